//! Records generated from the rules themselves: records of the rule set's
//! schema, compliant records, records that violate one chosen rule, and
//! boundary records — for tests of tools that embed civrules (with the
//! `proptest` feature, as proptest strategies) and for `civrules sample`.
//!
//! ```
//! use civrules::sample::{Sampler, Seeded};
//! use civrules::{Checker, Program};
//!
//! let program = Program::from_source("gio.rules", r#"
//!     rule on_time { when weekday(date) in 1..5  check arrival <= 07:30 }
//!     rule full_day: departure - arrival >= 8h
//! "#)?;
//! let sampler = Sampler::new(&program);
//! let mut src = Seeded::new(42);
//! let late = sampler.violating("on_time", &mut src)?;
//! let report = Checker::new(&program).check_json(&late);
//! assert_eq!(report.violations.len(), 1);
//! assert_eq!(report.violations[0].rule, "on_time");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How records are made
//!
//! Generation solves the rules instead of generating at random and
//! filtering. For every rule the solver picks a way for the rule to do what
//! is asked (its `when` false, or unknown, or true with the check true…),
//! through `and`, `or` and `not` with three-valued logic, and keeps a
//! domain per field consistent as it goes:
//!
//! - intervals of ints, decimals, times, dates and durations (`arrival <=
//!   07:30`, `x in 1..5`, `year(d) >= 2022`, `hour(t) < 12`, `arrival + 9h
//!   <= 17:30`, which also keeps `arrival + 9h` within the day);
//! - `weekday`, `month`, `day` of a date and `minute` of a time, as exact
//!   sets;
//! - finite sets of allowed and forbidden strings and bools (`==`, `!=`,
//!   `in`, `not in`), presence (`present`, `missing`, a comparison needs
//!   its fields), emptiness (`required`);
//! - differences of two fields (`departure - arrival >= 8h`, `a <= b`,
//!   `dossier_resolved - dossier_received <= 15d`), kept consistent by
//!   bounds propagation; `==`/`!=` between two string or bool fields.
//!
//! Any other condition on a single field (`matches`, `len`, `contains`,
//! `starts_with`, `lower(x) == …`, `n * 3 > 7`) is met by searching values:
//! strings for `matches` come from the pattern itself, others from the
//! literals the condition mentions, and every candidate is tested (a
//! bounded number of them). A condition over several fields that is not a
//! difference (`a + b > 10`, `total / count > 2`, `x in tags`) is met by
//! **filtering**: values are chosen for everything, the condition is
//! tested, and the choice is retried a bounded number of times. Every
//! record is finally checked by the compiled program before it is handed
//! out, so a record is never wrong — at worst the sampler gives up with
//! [`SampleError::GaveUp`].
//!
//! When the exact part of the search finds that no record can exist, the
//! error names the rules involved: [`SampleError::NeverFails`] for a rule
//! that cannot be violated, [`SampleError::NeverCompliant`] for one that
//! cannot pass, [`SampleError::Contradiction`] with a minimal set of rules
//! that cannot hold together (found by dropping rules one at a time).
//!
//! Choices come from a [`Choices`]: [`Seeded`] (a small deterministic
//! generator; the command uses it) or [`Replay`] (a list of choices, then
//! zeros). A choice of 0 is always the simplest — values near 0, 08:00,
//! 2022-01-03, short strings from the rules' literals — and the proptest
//! strategies shrink toward all-zero choices.
//!
//! # What records look like
//!
//! Like data: numbers, times, dates and durations are drawn from a small
//! window around the constants the rules compare each field with (a count
//! compared with `<= 0` is 0 to 5, not -991); the `key` field, where the
//! rules leave it free, holds ids `NV-0001`, `NV-0002` …, distinct within
//! one [`Sampler::sample`] call; a field of no type holds text or a flag
//! that fits its name (a person's name for `full_name`, an id for
//! `employee_id`, `true` for a field a rule holds `required`), empty only
//! where a rule needs it so.

mod analyze;
mod domain;
mod gen;
mod group;
mod solve;
#[cfg(feature = "proptest")]
mod strategy;

use std::io::{self, Write};
#[cfg(feature = "proptest")]
use std::sync::Arc;

use serde_json::Value as Json;

pub use gen::{Choices, Replay, Seeded};
#[cfg(feature = "proptest")]
pub use strategy::{
    boundary_records, compliant_records, records, records_with, violating_groups, violating_records,
};

use crate::check::FieldId;
use crate::semantics::ordinal::Grid;
use crate::semantics::value::{Scalar, Value};
use crate::Program;
use analyze::{Analysis, Cond, Kind, Subject};
use solve::{Failure, Pin, Policy, Solver, Want};

/// How records are generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleOptions {
    /// Leave fields that no rule needs out of records now and then (on by
    /// default). Off, every such field gets a value.
    pub missing: bool,
    /// Only values that survive a CSV round trip: no empty strings (an
    /// empty cell is missing), no untyped `"true"`/`"false"` strings. The
    /// command sets it for `--format csv`.
    pub csv_safe: bool,
}

impl Default for SampleOptions {
    fn default() -> SampleOptions {
        SampleOptions {
            missing: true,
            csv_safe: false,
        }
    }
}

/// What records to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Records of the schema: every rule may do anything.
    Records,
    /// Every rule passes or is not applicable.
    Compliant,
    /// The rule of this id is violated with reason `failed`; every other
    /// rule passes or is not applicable.
    Violating(String),
    /// Boundary records, one after the other round all boundaries.
    Boundaries,
}

/// Why no record could be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SampleError {
    /// A request names a rule the program does not have.
    #[error("there is no rule `{0}` in the rule set")]
    UnknownRule(String),
    /// One record was asked to violate a group rule (§9), which only a
    /// group of records can ([`Sampler::sample`] writes one).
    #[error("rule `{0}` is a group rule: a group of records violates it, not one record (`civrules sample --violate {0}` writes such a group)")]
    GroupRule(String),
    /// Groups were asked to violate a record rule.
    #[error("rule `{0}` is a record rule, not a group rule: one record violates it")]
    NotAGroupRule(String),
    /// No record can make the rule fail (proved).
    #[error("rule `{0}` can never be violated with reason `failed`: no record makes its `when` true and its check false")]
    NeverFails(String),
    /// Every record violates the rule (proved): none can comply.
    #[error("rule `{0}` can never pass or be not applicable")]
    NeverCompliant(String),
    /// The rules asked about cannot do what was asked together (proved).
    #[error("no record can {request}: {} cannot hold together", rule_list(.rules))]
    Contradiction {
        /// What was asked, in words.
        request: String,
        /// A minimal set of rules that cannot all do what was asked.
        rules: Vec<String>,
    },
    /// The search found no record, and did not prove there is none.
    #[error("found no record that can {request} ({}); the search gave up (with conditions it can only search for or filter: {})", rule_list(.rules), rule_list(.filtered))]
    GaveUp {
        /// What was asked, in words.
        request: String,
        /// The rules the request was about.
        rules: Vec<String>,
        /// Of the rules asked for, those with conditions that the solver
        /// only searches for (`matches`, `len`…) or filters (several
        /// fields beyond a difference).
        filtered: Vec<String>,
    },
    /// Boundary records were asked for, and no rule compares a field
    /// with a constant.
    #[error("no rule compares a field with a constant: there are no boundary records")]
    NoBoundaries,
}

fn rule_list(rules: &[String]) -> String {
    if rules.is_empty() {
        return "none".into();
    }
    let quoted: Vec<String> = rules.iter().map(|r| format!("`{r}`")).collect();
    let noun = if rules.len() == 1 { "rule" } else { "rules" };
    format!("{noun} {}", quoted.join(", "))
}

/// A value at or next to a constant that a rule compares with: `07:29`,
/// `07:30` and `07:31` for `arrival <= 07:30`.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    /// The rule whose comparison it is.
    pub rule: String,
    /// The field, or two fields for a difference `fields[0] - fields[1]`.
    pub fields: Vec<String>,
    /// The field's value, or the difference.
    pub value: Value,
    rule_index: usize,
    pin: Pin,
}

/// Makes records from a compiled rule set. Build once, draw many.
pub struct Sampler {
    program: Program,
    analysis: Analysis,
    options: SampleOptions,
    boundaries: Vec<Boundary>,
}

impl std::fmt::Debug for Sampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sampler")
            .field("ruleset", &self.program.name())
            .field("options", &self.options)
            .finish()
    }
}

/// How many times a request is retried with fresh choices after the
/// search gave up.
const RETRIES: u64 = 3;

fn mix(seed: u64, i: u64) -> u64 {
    let mut s = Seeded::new(seed ^ i.wrapping_mul(0xA076_1D64_78BD_642F));
    s.next_u64()
}

impl Sampler {
    /// A sampler for `program`'s rules, with default options.
    pub fn new(program: &Program) -> Sampler {
        let analysis = analyze::analyze(program.ruleset());
        let mut sampler = Sampler {
            program: program.clone(),
            analysis,
            options: SampleOptions::default(),
            boundaries: Vec::new(),
        };
        sampler.boundaries = sampler.find_boundaries();
        sampler
    }

    /// The same sampler with other options.
    pub fn with_options(mut self, options: SampleOptions) -> Sampler {
        self.options = options;
        self
    }

    /// The program the records are for.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// A solver for record `number` of a call (for its key value), or a
    /// record on its own.
    fn solver(&self, number: Option<u64>) -> Solver<'_> {
        Solver {
            program: &self.program,
            an: &self.analysis,
            policy: Policy {
                missing: self.options.missing,
                csv: self.options.csv_safe,
            },
            record_number: number,
        }
    }

    fn rule_index(&self, id: &str) -> Result<usize, SampleError> {
        self.program
            .rule_ids()
            .position(|r| r == id)
            .ok_or_else(|| SampleError::UnknownRule(id.to_string()))
    }

    fn rule_id(&self, i: usize) -> String {
        self.program.ruleset().rules[i].id.clone()
    }

    /// A record of the schema: every typed field gets a value of its type
    /// (strings from the rules' literals and arbitrary ones), some fields
    /// are missing unless [`SampleOptions::missing`] is off. Rules may do
    /// anything with it, but it holds no data errors.
    pub fn record(&self, src: &mut dyn Choices) -> Json {
        self.record_numbered(src, None)
    }

    fn record_numbered(&self, src: &mut dyn Choices, number: Option<u64>) -> Json {
        let wants = vec![Want::Any; self.analysis.rules.len()];
        let solver = self.solver(number);
        match solver.solve(&wants, &[], src) {
            Ok(json) => json,
            // Cannot happen (nothing is asked of any rule); an empty
            // record is still a record of the schema.
            Err(_) => Json::Object(serde_json::Map::new()),
        }
    }

    /// A record for which every rule passes or is not applicable.
    pub fn compliant(&self, src: &mut dyn Choices) -> Result<Json, SampleError> {
        self.compliant_numbered(src, None)
    }

    fn compliant_numbered(&self, src: &mut dyn Choices, number: Option<u64>) -> Result<Json, SampleError> {
        let wants = vec![Want::Compliant; self.analysis.rules.len()];
        self.attempt(&wants, &[], src, number)
            .map_err(|f| self.explain(&wants, &[], None, f, "comply with every rule"))
    }

    /// A record that violates rule `rule` with reason `failed`, and for
    /// which every other rule passes or is not applicable.
    pub fn violating(&self, rule: &str, src: &mut dyn Choices) -> Result<Json, SampleError> {
        self.violating_numbered(rule, src, None)
    }

    fn violating_numbered(
        &self,
        rule: &str,
        src: &mut dyn Choices,
        number: Option<u64>,
    ) -> Result<Json, SampleError> {
        let r = self.rule_index(rule)?;
        if self.program.rules[r].group.is_some() {
            return Err(SampleError::GroupRule(rule.to_string()));
        }
        let mut wants = vec![Want::Compliant; self.analysis.rules.len()];
        wants[r] = Want::Violated;
        self.attempt(&wants, &[], src, number).map_err(|f| {
            let request = format!("violate `{rule}` alone");
            self.explain(&wants, &[], Some(r), f, &request)
        })
    }

    /// Every boundary of the rules: each constant that a rule compares a
    /// field (or a difference of two fields) with, and the values next to
    /// it.
    pub fn boundaries(&self) -> &[Boundary] {
        &self.boundaries
    }

    /// A record with the boundary's value, for which the boundary's rule
    /// applies (where the value allows) and passes or fails (never
    /// `missing`); rules that do not read the boundary's fields pass or
    /// are not applicable.
    pub fn boundary(&self, boundary: &Boundary, src: &mut dyn Choices) -> Result<Json, SampleError> {
        self.boundary_numbered(boundary, src, None)
    }

    fn boundary_numbered(
        &self,
        boundary: &Boundary,
        src: &mut dyn Choices,
        number: Option<u64>,
    ) -> Result<Json, SampleError> {
        let pinned: Vec<FieldId> = match boundary.pin {
            Pin::Field(f, _) => vec![f],
            Pin::Difference(f, g, _) => vec![f, g],
        };
        let n = self.analysis.rules.len();
        let mut wants: Vec<Want> = (0..n)
            .map(|i| {
                if self.analysis.rules[i].reads.iter().any(|f| pinned.contains(f)) {
                    Want::Decided
                } else {
                    Want::Compliant
                }
            })
            .collect();
        wants[boundary.rule_index] = Want::Applicable;
        let pins = std::slice::from_ref(&boundary.pin);
        let first = self.attempt(&wants, pins, src, number);
        first.or_else(|_| {
            wants[boundary.rule_index] = Want::Decided;
            self.attempt(&wants, pins, src, number).map_err(|f| {
                let request = format!("hold {} at {}", boundary.fields.join(" - "), boundary.value);
                self.explain(&wants, pins, Some(boundary.rule_index), f, &request)
            })
        })
    }

    /// `count` records for `request`, from `seed`: the same seed gives the
    /// same records. Where the rules declare a `key` that they leave free,
    /// the records' key values are distinct (`NV-0001`, `NV-0002`, …).
    ///
    /// For a group rule (§9), [`Request::Violating`] gives the records of
    /// one group that violates it (however many that takes; `count` is
    /// not used), the other rules doing what they may.
    pub fn sample(&self, request: &Request, count: usize, seed: u64) -> Result<Vec<Json>, SampleError> {
        if let Request::Violating(rule) = request {
            let r = self.rule_index(rule)?;
            if self.program.rules[r].group.is_some() {
                return self.violating_group(r, seed);
            }
        }
        if *request == Request::Boundaries && self.boundaries.is_empty() {
            return Err(SampleError::NoBoundaries);
        }
        let mut out = Vec::with_capacity(count);
        for i in 0..count {
            let mut src = Seeded::new(mix(seed, i as u64));
            let number = Some(i as u64 + 1);
            out.push(match request {
                Request::Records => self.record_numbered(&mut src, number),
                Request::Compliant => self.compliant_numbered(&mut src, number)?,
                Request::Violating(rule) => self.violating_numbered(rule, &mut src, number)?,
                Request::Boundaries => {
                    let b = &self.boundaries[i % self.boundaries.len()];
                    self.boundary_numbered(b, &mut src, number)?
                }
            });
        }
        Ok(out)
    }

    /// Solves, retrying with fresh choices when the search gave up.
    fn attempt(
        &self,
        wants: &[Want],
        pins: &[Pin],
        src: &mut dyn Choices,
        number: Option<u64>,
    ) -> Result<Json, Failure> {
        let solver = self.solver(number);
        let mut last = Failure::GaveUp;
        for attempt in 0..RETRIES {
            let mut retry = gen::Retry {
                inner: &mut *src,
                extra: Seeded::new(0xC1 + attempt),
                attempt,
            };
            match solver.solve(wants, pins, &mut retry) {
                Ok(json) => return Ok(json),
                Err(Failure::Impossible) => return Err(Failure::Impossible),
                Err(f) => last = f,
            }
        }
        Err(last)
    }

    fn proven_impossible(&self, wants: &[Want], pins: &[Pin]) -> bool {
        self.solver(None).solve(wants, pins, &mut Seeded::new(1)) == Err(Failure::Impossible)
    }

    /// Names the rules behind a failed request.
    fn explain(
        &self,
        wants: &[Want],
        pins: &[Pin],
        primary: Option<usize>,
        failure: Failure,
        request: &str,
    ) -> SampleError {
        let targeted: Vec<usize> = (0..wants.len()).filter(|i| wants[*i] != Want::Any).collect();
        if failure == Failure::GaveUp {
            let mut rules: Vec<usize> = match primary {
                Some(p) => vec![p],
                None => targeted.clone(),
            };
            rules.dedup();
            let filtered = targeted
                .iter()
                .filter(|i| self.filters(**i))
                .map(|i| self.rule_id(*i))
                .collect();
            return SampleError::GaveUp {
                request: request.to_string(),
                rules: rules.into_iter().map(|i| self.rule_id(i)).collect(),
                filtered,
            };
        }
        // A rule that cannot do what it is asked even alone.
        let alone = |i: usize| {
            let mut w = vec![Want::Any; wants.len()];
            w[i] = wants[i];
            self.proven_impossible(&w, pins)
        };
        if pins.is_empty() {
            if let Some(p) = primary {
                if wants[p] == Want::Violated && alone(p) {
                    return SampleError::NeverFails(self.rule_id(p));
                }
            }
            for &i in &targeted {
                if wants[i] == Want::Compliant && alone(i) {
                    return SampleError::NeverCompliant(self.rule_id(i));
                }
            }
        }
        // Drop rules one at a time while the rest stays impossible.
        let mut current = wants.to_vec();
        for &i in &targeted {
            if Some(i) == primary {
                continue;
            }
            let mut trial = current.clone();
            trial[i] = Want::Any;
            if self.proven_impossible(&trial, pins) {
                current = trial;
            }
        }
        let rules = (0..current.len())
            .filter(|i| current[*i] != Want::Any)
            .map(|i| self.rule_id(i))
            .collect();
        SampleError::Contradiction {
            request: request.to_string(),
            rules,
        }
    }

    /// Whether rule `i` has conditions that the solver only searches for
    /// or filters.
    fn filters(&self, i: usize) -> bool {
        let rule = &self.analysis.rules[i];
        let mut atoms = Vec::new();
        if let Some(w) = &rule.when {
            atoms_of(w, &mut atoms);
        }
        atoms_of(&rule.check, &mut atoms);
        atoms.iter().any(|a| {
            matches!(
                self.analysis.atoms[*a].kind,
                analyze::AtomKind::Opaque | analyze::AtomKind::Unary { .. }
            )
        })
    }

    fn find_boundaries(&self) -> Vec<Boundary> {
        let mut out: Vec<Boundary> = Vec::new();
        let fields = &self.program.ruleset().fields;
        let grid = self.analysis.grid;
        for (r, rule) in self.analysis.rules.iter().enumerate() {
            let mut atoms = Vec::new();
            if let Some(w) = &rule.when {
                atoms_of(w, &mut atoms);
            }
            atoms_of(&rule.check, &mut atoms);
            for a in atoms {
                for (subject, c, step) in &self.analysis.atoms[a].points {
                    for v in [c - step, *c, c + step] {
                        let (pin, names, value) = match *subject {
                            Subject::Field(f) => {
                                let info = &self.analysis.fields[f.0 as usize];
                                let Kind::Ord(s) = info.kind else { continue };
                                if !info.universe.contains(&v) {
                                    continue;
                                }
                                let Some(value) = grid.value_at(v, s) else {
                                    continue;
                                };
                                (Pin::Field(f, v), vec![fields[f.0 as usize].name.clone()], value)
                            }
                            Subject::Difference(f, g) => {
                                let Kind::Ord(s) = self.analysis.fields[f.0 as usize].kind else {
                                    continue;
                                };
                                let value = match s {
                                    // Days apart, and a time's grid is a duration's.
                                    Scalar::Date => grid.value_at(v * Grid::DAY, Scalar::Duration),
                                    Scalar::Time => grid.value_at(v, Scalar::Duration),
                                    s => grid.value_at(v, s),
                                };
                                let Some(value) = value else { continue };
                                let names = vec![
                                    fields[f.0 as usize].name.clone(),
                                    fields[g.0 as usize].name.clone(),
                                ];
                                (Pin::Difference(f, g, v), names, value)
                            }
                        };
                        let duplicate = out
                            .iter()
                            .any(|b| b.rule_index == r && b.fields == names && b.value == value);
                        if !duplicate {
                            out.push(Boundary {
                                rule: self.rule_id(r),
                                fields: names,
                                value,
                                rule_index: r,
                                pin,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    /// A strategy for `request` (see the free functions
    /// [`records`], [`compliant_records`], [`violating_records`],
    /// [`boundary_records`]).
    #[cfg(feature = "proptest")]
    pub fn strategy(
        self: &Arc<Self>,
        request: Request,
    ) -> Result<proptest::strategy::BoxedStrategy<Json>, SampleError> {
        strategy::for_request(Arc::clone(self), request)
    }
}

fn atoms_of(cond: &Cond, out: &mut Vec<usize>) {
    match cond {
        Cond::Atom(a) => out.push(*a),
        Cond::And(l, r) | Cond::Or(l, r) => {
            atoms_of(l, out);
            atoms_of(r, out);
        }
        Cond::Not(x) => atoms_of(x, out),
        Cond::Const(_) | Cond::Pred(..) => {}
    }
}

/// The forms `civrules sample` prints records in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleFormat {
    /// One JSON object a line.
    Ndjson,
    /// One JSON array.
    Json,
    /// A header row of every field name, then a row a record (an empty
    /// cell is missing; a list is a JSON array in its cell).
    Csv,
}

/// Writes records made for `program` in `format`.
pub fn write_records(
    out: &mut dyn Write,
    program: &Program,
    records: &[Json],
    format: SampleFormat,
) -> io::Result<()> {
    match format {
        SampleFormat::Ndjson => {
            for r in records {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
            }
        }
        SampleFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, records)?;
            out.write_all(b"\n")?;
        }
        SampleFormat::Csv => {
            let fields = &program.ruleset().fields;
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(fields.iter().map(|f| f.name.as_str()))?;
            for r in records {
                let row: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        let mut at = Some(r);
                        for seg in &f.path {
                            at = at.and_then(|v| v.get(seg));
                        }
                        match at {
                            None | Some(Json::Null) => String::new(),
                            Some(Json::String(s)) => s.clone(),
                            Some(Json::Object(_)) => "{}".into(),
                            Some(other) => other.to_string(),
                        }
                    })
                    .collect();
                w.write_record(&row)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
