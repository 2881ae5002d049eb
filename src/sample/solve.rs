//! The solver: a depth-first search over the boolean structure of the rules
//! (which way each `when`/`check` is made true, false or unknown), keeping
//! per-field domains consistent as it goes, then a choice of values within
//! the domains, then a check of the record by the compiled program.
//!
//! Exact: intervals of ordered values, calendar masks (`weekday`, `month`,
//! `day`, `minute`), bools, finite sets of strings, presence and emptiness,
//! and differences of two fields (`departure - arrival >= 8h`, `a <= b`),
//! kept consistent by bounds propagation. Searched: any other condition on
//! one field (`matches`, `len`, `starts_with`, `x * 3 > 7`) — values are
//! drawn (from the pattern, the literals, the domain) and tested. Filtered:
//! conditions on several fields that are not differences — values are
//! chosen for everything else and the condition is tested, with a bounded
//! number of tries. A failed search over exact constraints only proves that
//! no record exists.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use super::analyze::{Analysis, AtomKind, Cond, Kind};
use super::domain::{self, Calendar, DAYS, MINUTES, MONTHS, WEEKDAYS};
use super::gen::{self, id_text, order, pick_ord, random_string, Choices, Looks, Retry, Seeded};
use crate::check::FieldId;
use crate::eval::{truth_of, Outcome, Reason};
use crate::record::Record;
use crate::semantics::cell::Cell;
use crate::semantics::domain::IntervalSet;
use crate::semantics::logic::Kleene;
use crate::semantics::ops::Predicate;
use crate::semantics::value::{format_date, format_duration, format_time, Scalar, Value};
use crate::Program;

/// What a record must do with one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    /// Anything (no data or evaluation errors still).
    Any,
    /// Pass or not applicable.
    Compliant,
    /// Violation with reason `failed`.
    Violated,
    /// Pass, not applicable or violation `failed`: never `missing`.
    Decided,
    /// Pass or violation `failed`: the `when` holds.
    Applicable,
}

/// A value fixed in advance (boundary records).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pin {
    Field(FieldId, i128),
    Difference(FieldId, FieldId, i128),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Presence {
    Free,
    Present,
    Missing,
}

#[derive(Clone, Debug)]
struct FieldDomain {
    presence: Presence,
    /// `required`: Some(true) the value must be empty, Some(false) not.
    empty: Option<bool>,
    ord: IntervalSet,
    cal: Calendar,
    /// Bit 0: false allowed; bit 1: true allowed.
    bools: u8,
    allowed: Option<BTreeSet<String>>,
    forbidden: BTreeSet<String>,
    /// Conditions on this field alone, tested on candidate values.
    filters: Vec<(usize, Kleene)>,
}

#[derive(Clone, Debug)]
struct Store {
    f: Vec<FieldDomain>,
    /// `f - g` in the set.
    diffs: Vec<(FieldId, FieldId, IntervalSet)>,
    /// `(f == g) == equal`.
    sames: Vec<(FieldId, FieldId, bool)>,
    /// Conditions over several fields, tested once values are chosen.
    opaque: Vec<(usize, Kleene)>,
}

#[derive(Clone, Copy)]
enum Goal<'a> {
    Rule(usize, Want),
    Cond(&'a Cond, Kleene),
}

enum Move<'a> {
    Goal(Goal<'a>),
    Present(FieldId),
    Missing(FieldId),
    Empty(FieldId, bool),
    Ord(FieldId, IntervalSet),
    Cal(FieldId, Calendar),
    Bools(FieldId, u8),
    Str(FieldId, &'a BTreeSet<String>, bool),
    Diff(FieldId, FieldId, IntervalSet),
    Same(FieldId, FieldId, bool),
    Filter(usize, FieldId, Kleene),
    Opaque(usize, Kleene),
    /// A condition whose truth is already settled (its fields are missing).
    Check(usize, Kleene),
}

/// What the generator is asked to avoid, and may do.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Policy {
    /// Leave unconstrained fields out now and then.
    pub missing: bool,
    /// Values must survive CSV: no empty strings, no untyped "true"/"false".
    pub csv: bool,
}

/// Why no record came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The constraints have no solution: proven.
    Impossible,
    /// The search ran out of tries (or met conditions it only filters).
    GaveUp,
}

/// How many search steps one request may take.
const BUDGET: usize = 20_000;
/// How many times values are chosen afresh for one solution of the
/// boolean structure, before the search moves on.
const ASSIGN_TRIES: u64 = 24;
/// How many times values are re-chosen for conditions over several fields.
const REPAIRS: usize = 200;
/// How many candidate values are tested for a searched condition.
const CANDIDATES: usize = 64;
/// Ordered domains up to this size are searched exhaustively.
const SCAN: u128 = 4_000;

pub(crate) struct Solver<'p> {
    pub program: &'p Program,
    pub an: &'p Analysis,
    pub policy: Policy,
    /// The record's number in a call that makes several, so that their
    /// key values differ; `None` for a record on its own.
    pub record_number: Option<u64>,
}

enum Found {
    Value(Value),
    /// There is none (proven).
    None,
    GaveUp,
}

struct Search<'s, 'p> {
    solver: &'s Solver<'p>,
    wants: &'s [Want],
    src: &'s mut dyn Choices,
    budget: usize,
    approximate: bool,
}

impl<'p> Solver<'p> {
    fn store(&self) -> Store {
        let f = self
            .an
            .fields
            .iter()
            .map(|info| {
                let mut forbidden = BTreeSet::new();
                if self.policy.csv {
                    forbidden.insert(String::new());
                }
                FieldDomain {
                    presence: Presence::Free,
                    empty: None,
                    ord: info.universe.clone(),
                    cal: Calendar::ALL,
                    bools: 0b11,
                    allowed: None,
                    forbidden,
                    filters: Vec::new(),
                }
            })
            .collect();
        Store {
            f,
            diffs: Vec::new(),
            sames: Vec::new(),
            opaque: Vec::new(),
        }
    }

    /// A record that does with each rule what `wants` says, with `pins`.
    pub fn solve(&self, wants: &[Want], pins: &[Pin], src: &mut dyn Choices) -> Result<Json, Failure> {
        let mut search = Search {
            solver: self,
            wants,
            src,
            budget: BUDGET,
            approximate: false,
        };
        let mut store = self.store();
        let mut steps = Vec::new();
        for pin in pins {
            match pin {
                Pin::Field(f, v) => {
                    steps.push(Move::Present(*f));
                    steps.push(Move::Ord(*f, IntervalSet::point(*v)));
                }
                Pin::Difference(f, g, v) => {
                    steps.push(Move::Present(*f));
                    steps.push(Move::Present(*g));
                    steps.push(Move::Diff(*f, *g, IntervalSet::point(*v)));
                }
            }
        }
        let mut goals = Vec::new();
        if !search.apply(&mut store, steps, &mut goals) {
            return Err(if search.approximate {
                Failure::GaveUp
            } else {
                Failure::Impossible
            });
        }
        // Rules that want the most go first (they are popped last-in).
        for (i, want) in wants.iter().enumerate().rev() {
            if !matches!(want, Want::Violated | Want::Applicable) {
                goals.push(Goal::Rule(i, *want));
            }
        }
        for (i, want) in wants.iter().enumerate().rev() {
            if matches!(want, Want::Violated | Want::Applicable) {
                goals.push(Goal::Rule(i, *want));
            }
        }
        match search.dfs(store, goals) {
            Some(json) => Ok(json),
            None if search.approximate => Err(Failure::GaveUp),
            None => Err(Failure::Impossible),
        }
    }

    /// The rules' constants of a scalar, and the values of that scalar
    /// already chosen for the record (`local`).
    fn constants(&self, scalar: Scalar, local: &[Option<Value>]) -> Vec<i128> {
        let mut out: Vec<i128> = self
            .an
            .constants
            .iter()
            .filter(|(s, _)| *s == scalar)
            .map(|(_, o)| *o)
            .collect();
        for v in local.iter().flatten() {
            let items = match v {
                Value::List(items) => items.as_slice(),
                v => std::slice::from_ref(v),
            };
            out.extend(items.iter().filter_map(|v| self.an.grid.project(v, scalar)));
        }
        out
    }

    /// A record of the program with `values` (by field), missing
    /// elsewhere.
    fn record<'v>(&self, values: impl IntoIterator<Item = (FieldId, &'v Value)>) -> Record<'v> {
        let mut record = Record::empty(&self.program.schema);
        for (f, value) in values {
            record.cells[f.0 as usize] = Cell::of_value(value);
        }
        record
    }

    /// The truth of atom `a` on `record`, as the program's evaluator gives
    /// it; `None` for an evaluation error.
    fn truth(&self, a: usize, record: &Record<'_>) -> Option<Kleene> {
        truth_of(&self.an.atoms[a].node, record).ok()
    }

    fn filters_pass(&self, f: FieldId, st: &FieldDomain, value: &Value) -> bool {
        self.filters_pass_on(&mut Record::empty(&self.program.schema), f, st, value)
    }

    /// [`Solver::filters_pass`] on `probe`, a record of the program that is
    /// missing but for `f`, reused from one candidate value to the next.
    fn filters_pass_on(
        &self,
        probe: &mut Record<'static>,
        f: FieldId,
        st: &FieldDomain,
        value: &Value,
    ) -> bool {
        probe.cells[f.0 as usize] = Cell::of_value(value).into_static();
        st.filters
            .iter()
            .all(|(atom, want)| self.truth(*atom, probe) == Some(*want))
    }

    fn find_ord(
        &self,
        f: FieldId,
        scalar: Scalar,
        st: &FieldDomain,
        set: &IntervalSet,
        local: &[Option<Value>],
        src: &mut dyn Choices,
    ) -> Found {
        if st.empty == Some(true) {
            return Found::None;
        }
        let constants = self.constants(scalar, local);
        let window = &self.an.windows[f.0 as usize];
        let Some(first) = pick_ord(set, scalar, window, &constants, src) else {
            return Found::None;
        };
        let value = |o: i128| self.an.grid.value_at(o, scalar);
        let mut probe = Record::empty(&self.program.schema);
        let mut ok = |o: i128| {
            value(o).is_some_and(|v| {
                st.cal.admits(&v) && (st.filters.is_empty() || self.filters_pass_on(&mut probe, f, st, &v))
            })
        };
        if st.cal.is_all() && st.filters.is_empty() {
            return value(first).map_or(Found::GaveUp, Found::Value);
        }
        // The window first, so that a weekday or a filter does not lead to
        // a value at the far end of the set.
        let in_window = set.intersect(window);
        for o in in_window.walk_from(first, SCAN).chain(set.walk_from(first, SCAN)) {
            if ok(o) {
                return value(o).map_or(Found::GaveUp, Found::Value);
            }
        }
        if set.size() <= SCAN {
            return Found::None;
        }
        if st.filters.is_empty() {
            // Calendar masks only: a period of every interval holds every
            // pattern, so scanning it settles the question.
            let period = Calendar::period(scalar);
            for (lo, hi) in set.closed_parts() {
                let end = hi.min(lo + period as i128 - 1);
                for o in lo..=end {
                    if ok(o) {
                        return value(o).map_or(Found::GaveUp, Found::Value);
                    }
                }
            }
            return Found::None;
        }
        for _ in 0..8 {
            if let Some(start) = pick_ord(set, scalar, window, &constants, src) {
                for o in set.walk_from(start, 256) {
                    if ok(o) {
                        return value(o).map_or(Found::GaveUp, Found::Value);
                    }
                }
            }
        }
        Found::GaveUp
    }

    fn find_bool(
        &self,
        f: FieldId,
        st: &FieldDomain,
        pins: &[Value],
        bans: &[Value],
        src: &mut dyn Choices,
    ) -> Found {
        for i in order(2, src) {
            let b = i == 1;
            let v = Value::Bool(b);
            let allowed = st.bools & (1 << i) != 0;
            if allowed
                && pins.iter().all(|p| *p == v)
                && !bans.contains(&v)
                && match st.empty {
                    Some(true) => !b,
                    Some(false) => b,
                    None => true,
                }
                && self.filters_pass(f, st, &v)
            {
                return Found::Value(v);
            }
        }
        Found::None
    }

    fn string_ok(&self, f: FieldId, st: &FieldDomain, s: &str, bans: &[Value]) -> bool {
        let empty_ok = match st.empty {
            Some(true) => s.is_empty(),
            Some(false) => !s.is_empty(),
            None => true,
        };
        let v = Value::String(s.to_string());
        empty_ok
            && !st.forbidden.contains(s)
            && st.allowed.as_ref().is_none_or(|a| a.contains(s))
            && !bans.contains(&v)
            && self.filters_pass(f, st, &v)
    }

    /// A string worth trying for field `f` (for a list's elements, the
    /// list).
    fn string_candidate(
        &self,
        f: FieldId,
        st: &FieldDomain,
        local: &[Option<Value>],
        src: &mut dyn Choices,
    ) -> String {
        let mut strings: Vec<&str> = Vec::new();
        let mut patterns = Vec::new();
        let mut prefixes: Vec<&str> = Vec::new();
        let mut needles: Vec<&str> = Vec::new();
        let mut lengths: Vec<usize> = Vec::new();
        for (atom, _) in &st.filters {
            if let AtomKind::Unary { hints, .. } = &self.an.atoms[*atom].kind {
                strings.extend(hints.strings.iter().map(String::as_str));
                patterns.extend(hints.patterns.iter());
                prefixes.extend(hints.prefixes.iter().map(String::as_str));
                needles.extend(hints.needles.iter().map(String::as_str));
                lengths.extend(hints.lengths.iter().copied());
            }
        }
        // A length the rules compare `len` with: a string of that many
        // characters, half the time (text that fits the name seldom has it).
        if !lengths.is_empty() && src.below(2) == 0 {
            let length = lengths[src.below(lengths.len() as u64) as usize];
            return gen::string_of_length(length, src);
        }
        // The strings the rules compare this field with, mostly; any of the
        // rules' strings now and then.
        let own: Vec<&str> = self
            .an
            .atoms
            .iter()
            .filter_map(|a| match &a.kind {
                AtomKind::Str { field, items, .. } if *field == f => Some(items),
                _ => None,
            })
            .flatten()
            .map(String::as_str)
            .collect();
        let mut pool: Vec<&str> = if own.is_empty() || src.below(4) == 0 {
            self.an.strings.iter().map(String::as_str).collect()
        } else {
            own
        };
        for v in local.iter().flatten() {
            match v {
                Value::String(s) => pool.push(s),
                Value::List(items) => pool.extend(items.iter().filter_map(|i| match i {
                    Value::String(s) => Some(s.as_str()),
                    _ => None,
                })),
                _ => {}
            }
        }
        let pick = |list: &[&str], src: &mut dyn Choices| -> String {
            if list.is_empty() {
                String::new()
            } else {
                list[src.below(list.len() as u64) as usize].to_string()
            }
        };
        let s = match src.below(5) {
            0 if !strings.is_empty() => pick(&strings, src),
            0 | 1 if !pool.is_empty() => pick(&pool, src),
            2 if !patterns.is_empty() => {
                let hir = patterns[src.below(patterns.len() as u64) as usize];
                gen::from_pattern(hir, src).unwrap_or_default()
            }
            _ => {
                let mut s = String::new();
                if !prefixes.is_empty() && src.below(4) != 0 {
                    s.push_str(&pick(&prefixes, src));
                }
                if !patterns.is_empty() && src.below(2) == 0 {
                    let hir = patterns[src.below(patterns.len() as u64) as usize];
                    s.push_str(&gen::from_pattern(hir, src).unwrap_or_default());
                } else if src.below(4) == 0 {
                    // Arbitrary text now and then, for tools that test
                    // themselves with these records.
                    s.push_str(&random_string(src));
                } else {
                    s.push_str(&self.text_like(f, src));
                }
                if !needles.is_empty() && src.below(4) != 0 {
                    s.push_str(&pick(&needles, src));
                    if src.below(2) == 0 {
                        s.push_str(&random_string(src));
                    }
                }
                s
            }
        };
        match src.below(6) {
            4 => s.to_lowercase(),
            5 => s.to_uppercase(),
            _ => s,
        }
    }

    fn find_str(
        &self,
        f: FieldId,
        st: &FieldDomain,
        pins: &[Value],
        bans: &[Value],
        local: &[Option<Value>],
        src: &mut dyn Choices,
    ) -> Found {
        if let Some(Value::String(p)) = pins.first() {
            return if self.string_ok(f, st, p, bans) {
                Found::Value(Value::String(p.clone()))
            } else {
                Found::None
            };
        }
        if let Some(allowed) = &st.allowed {
            let items: Vec<&String> = allowed.iter().collect();
            for i in order(items.len(), src) {
                if self.string_ok(f, st, items[i], bans) {
                    return Found::Value(Value::String(items[i].clone()));
                }
            }
            return Found::None;
        }
        if st.empty == Some(true) {
            return if self.string_ok(f, st, "", bans) {
                Found::Value(Value::String(String::new()))
            } else {
                Found::None
            };
        }
        for _ in 0..CANDIDATES {
            let s = self.string_candidate(f, st, local, src);
            if self.string_ok(f, st, &s, bans) {
                return Found::Value(Value::String(s));
            }
        }
        // Text that looks like data is never empty: the one string it
        // cannot stumble on (`len(s) <= 0`).
        if self.string_ok(f, st, "", bans) {
            return Found::Value(Value::String(String::new()));
        }
        Found::GaveUp
    }

    fn element(
        &self,
        f: FieldId,
        scalar: Scalar,
        st: &FieldDomain,
        local: &[Option<Value>],
        src: &mut dyn Choices,
    ) -> Option<Value> {
        match scalar {
            Scalar::Bool => Some(Value::Bool(src.below(2) == 1)),
            Scalar::String => Some(Value::String(self.string_candidate(f, st, local, src))),
            s => {
                let universe = domain::universe(self.an.grid, s);
                let window = self.an.scalar_window(s);
                let o = pick_ord(&universe, s, &window, &self.constants(s, local), src)?;
                self.an.grid.value_at(o, s)
            }
        }
    }

    fn find_list(
        &self,
        f: FieldId,
        scalar: Scalar,
        st: &FieldDomain,
        local: &[Option<Value>],
        src: &mut dyn Choices,
    ) -> Found {
        for _ in 0..CANDIDATES {
            let len = match st.empty {
                Some(true) => 0,
                Some(false) => 1 + src.below(3),
                None => src.below(4),
            };
            let items: Option<Vec<Value>> = (0..len)
                .map(|_| self.element(f, scalar, st, local, src))
                .collect();
            let Some(items) = items else { continue };
            let v = Value::List(items);
            if self.filters_pass(f, st, &v) {
                return Found::Value(v);
            }
            if st.empty == Some(true) {
                return Found::None;
            }
        }
        Found::GaveUp
    }

    /// A value for a field of no type: text or a flag that looks like the
    /// field (see [`Looks`]); empty only where a rule needs it so (`""`,
    /// or `false` for a flag and in CSV, where an empty cell is missing).
    fn find_untyped(&self, f: FieldId, st: &FieldDomain, src: &mut dyn Choices) -> Found {
        let looks = self.looks(f);
        Found::Value(match st.empty {
            Some(true) if looks == Looks::Flag || self.policy.csv => Value::Bool(false),
            Some(true) => Value::String(String::new()),
            _ => looks.value(src),
        })
    }

    /// Text that looks like what field `f` holds, by its name (a flag's
    /// name gets a word: the field is text).
    fn text_like(&self, f: FieldId, src: &mut dyn Choices) -> String {
        match self.looks(f) {
            Looks::Flag => Looks::Word,
            looks => looks,
        }
        .value(src)
        .to_string()
    }

    fn looks(&self, f: FieldId) -> Looks {
        let field = &self.program.ruleset().fields[f.0 as usize];
        let name = field.path.last().map_or(field.name.as_str(), String::as_str);
        Looks::of(name, self.an.fields[f.0 as usize].required)
    }

    /// The key field's value where the rules leave it free: an id such as
    /// `NV-0007` (the record's number in its call, so that the records of
    /// one call differ), or the number itself for an int key.
    fn key_value(
        &self,
        f: FieldId,
        st: &FieldDomain,
        set: &IntervalSet,
        pins: &[Value],
        src: &mut dyn Choices,
    ) -> Option<Value> {
        if !pins.is_empty() || !st.filters.is_empty() || st.empty == Some(true) {
            return None;
        }
        let number = self.record_number.unwrap_or_else(|| 1 + src.below(9999));
        let value = match self.an.fields[f.0 as usize].kind {
            Kind::Untyped => Value::String(id_text(number)),
            Kind::Str => {
                let id = id_text(number);
                let allowed =
                    !st.forbidden.contains(&id) && st.allowed.as_ref().is_none_or(|a| a.contains(&id));
                return allowed.then_some(Value::String(id));
            }
            Kind::Ord(Scalar::Int) => {
                let n = i128::from(number);
                return set
                    .contains(&n)
                    .then_some(Value::Int(i64::try_from(number).ok()?));
            }
            _ => return None,
        };
        Some(value)
    }

    /// A value for field `f` within its domain (and `set`, for an ordered
    /// field), equal to every pin and to no ban.
    #[allow(clippy::too_many_arguments)]
    fn find(
        &self,
        f: FieldId,
        st: &FieldDomain,
        set: &IntervalSet,
        pins: &[Value],
        bans: &[Value],
        local: &[Option<Value>],
        src: &mut dyn Choices,
    ) -> Found {
        if self.program.ruleset().key == Some(f) {
            if let Some(v) = self.key_value(f, st, set, pins, src) {
                if !bans.contains(&v) {
                    return Found::Value(v);
                }
            }
        }
        match self.an.fields[f.0 as usize].kind {
            Kind::Ord(s) => self.find_ord(f, s, st, set, local, src),
            Kind::Bool => self.find_bool(f, st, pins, bans, src),
            Kind::Str => self.find_str(f, st, pins, bans, local, src),
            Kind::List(s) => self.find_list(f, s, st, local, src),
            Kind::Untyped => self.find_untyped(f, st, src),
            Kind::Object => {
                if st.empty == Some(true) {
                    Found::None
                } else {
                    Found::Value(Value::Object)
                }
            }
        }
    }

    /// Values for every field of a consistent store.
    fn assign(&self, store: &Store, src: &mut dyn Choices) -> Option<Vec<Option<Value>>> {
        let n = self.an.fields.len();
        let classes = classes(n, &store.sames);
        let mut ords: Vec<IntervalSet> = store.f.iter().map(|s| s.ord.clone()).collect();
        let mut vals: Vec<Option<Value>> = vec![None; n];
        let in_diff = |f: FieldId| store.diffs.iter().any(|(a, b, _)| *a == f || *b == f);
        for i in 0..n {
            let f = FieldId(i as u32);
            let info = &self.an.fields[i];
            if info.kind == Kind::Object {
                continue;
            }
            let st = &store.f[i];
            // A record has its key, unless a rule wants it missing.
            let is_key = self.program.ruleset().key == Some(f);
            match st.presence {
                Presence::Missing => continue,
                Presence::Free if !is_key && self.policy.missing && src.below(8) == 7 => continue,
                _ => {}
            }
            let mut pins = Vec::new();
            let mut bans = Vec::new();
            if !store.sames.is_empty() {
                // Equal to every field of its class, unequal to every field
                // of a class it must differ from.
                for (j, v) in vals.iter().enumerate() {
                    let Some(v) = v else { continue };
                    if classes[j] == classes[i] {
                        pins.push(v.clone());
                    } else if store
                        .sames
                        .iter()
                        .any(|(a, b, eq)| !eq && same_pair(&classes, (*a, *b), (f, FieldId(j as u32))))
                    {
                        bans.push(v.clone());
                    }
                }
            }
            match self.find(f, st, &ords[i], &pins, &bans, &vals, src) {
                Found::Value(v) => {
                    if in_diff(f) {
                        if let Kind::Ord(s) = info.kind {
                            ords[i] = IntervalSet::point(self.an.grid.project(&v, s)?);
                            propagate(&mut ords, &store.diffs).ok()?;
                        }
                    }
                    vals[i] = Some(v);
                }
                _ if st.presence == Presence::Free => {}
                _ => return None,
            }
        }
        // Objects that fields are read from: deepest first.
        let mut objects: Vec<usize> = (0..n)
            .filter(|i| self.an.fields[*i].kind == Kind::Object)
            .collect();
        objects.sort_by_key(|i| std::cmp::Reverse(self.an.fields[*i].depth));
        for i in objects {
            let info = &self.an.fields[i];
            let st = &store.f[i];
            let child = info.children.iter().any(|c| vals[c.0 as usize].is_some());
            let present = match st.presence {
                Presence::Present => true,
                Presence::Missing => false,
                Presence::Free => child || !(self.policy.missing && src.below(8) == 7),
            };
            if present {
                vals[i] = Some(Value::Object);
            } else {
                for c in &info.children {
                    vals[c.0 as usize] = None;
                }
            }
        }
        Some(vals)
    }

    /// Re-chooses the values of fields that conditions over several fields
    /// read, until every such condition has its truth (bounded): the
    /// filtering fallback.
    fn repair(
        &self,
        store: &Store,
        mut vals: Vec<Option<Value>>,
        src: &mut dyn Choices,
    ) -> Option<Vec<Option<Value>>> {
        let related = |f: &FieldId| {
            store.diffs.iter().any(|(a, b, _)| a == f || b == f)
                || store.sames.iter().any(|(a, b, _)| a == f || b == f)
        };
        for _ in 0..REPAIRS {
            let failing: Vec<usize> = {
                let record = self.record(
                    vals.iter()
                        .enumerate()
                        .filter_map(|(i, v)| Some((FieldId(i as u32), v.as_ref()?))),
                );
                store
                    .opaque
                    .iter()
                    .filter(|(atom, want)| self.truth(*atom, &record) != Some(*want))
                    .map(|(atom, _)| *atom)
                    .collect()
            };
            if failing.is_empty() {
                return Some(vals);
            }
            let atom = &self.an.atoms[failing[src.below(failing.len() as u64) as usize]];
            let free: Vec<FieldId> = atom
                .fields
                .iter()
                .filter(|f| vals[f.0 as usize].is_some() && !related(f))
                .copied()
                .collect();
            if free.is_empty() {
                return None;
            }
            let f = free[src.below(free.len() as u64) as usize];
            let st = &store.f[f.0 as usize];
            if let Found::Value(v) = self.find(f, st, &st.ord, &[], &[], &vals, src) {
                vals[f.0 as usize] = Some(v);
            }
        }
        None
    }

    /// The record as JSON: nested paths become nested objects.
    pub fn to_json(&self, vals: &[Option<Value>]) -> Json {
        let mut root = Map::new();
        let fields = &self.program.ruleset().fields;
        for (i, v) in vals.iter().enumerate() {
            if let Some(v) = v {
                insert(&mut root, &fields[i].path, v);
            }
        }
        Json::Object(root)
    }

    /// Whether the compiled program gives every rule what is wanted.
    fn verify(&self, json: &Json, wants: &[Want]) -> bool {
        let Some(record) = self.program.record_from_json(json) else {
            return false;
        };
        if record.cells().iter().any(|c| matches!(c, Cell::Error(_))) {
            return false;
        }
        let Ok(outcomes) = self.program.outcomes(&record) else {
            return false;
        };
        outcomes.iter().zip(wants).all(|(o, w)| outcome_fits(o, *w))
    }
}

fn insert(map: &mut Map<String, Json>, path: &[String], v: &Value) {
    match path {
        [] => {}
        [last] => match v {
            Value::Object => {
                map.entry(last.clone())
                    .or_insert_with(|| Json::Object(Map::new()));
            }
            v => {
                map.insert(last.clone(), to_json_value(v));
            }
        },
        [first, rest @ ..] => {
            let entry = map
                .entry(first.clone())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(inner) = entry {
                insert(inner, rest, v);
            }
        }
    }
}

/// Whether an outcome is one a want allows.
pub(crate) fn outcome_fits(outcome: &Outcome, want: Want) -> bool {
    let failed = matches!(
        outcome,
        Outcome::Violation {
            reason: Reason::Failed,
            ..
        }
    );
    match (want, outcome) {
        (_, Outcome::Error(_)) => false,
        (Want::Any, _) => true,
        (Want::Compliant, o) => matches!(o, Outcome::Pass | Outcome::NotApplicable),
        (Want::Violated, _) => failed,
        (Want::Decided, o) => failed || matches!(o, Outcome::Pass | Outcome::NotApplicable),
        (Want::Applicable, o) => failed || matches!(o, Outcome::Pass),
    }
}

/// A value in its JSON form: numbers and booleans as themselves, times,
/// dates and durations in their literal form.
pub(crate) fn to_json_value(v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Decimal(d) => {
            let d = d.normalize();
            let text = d.to_string();
            if d.scale() == 0 {
                if let Ok(i) = text.parse::<i64>() {
                    return Json::from(i);
                }
            }
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Json::String(text), Json::Number)
        }
        Value::String(s) => Json::String(s.clone()),
        Value::Time(t) => Json::String(format_time(*t)),
        Value::Date(d) => Json::String(format_date(*d)),
        Value::Duration(d) => Json::String(format_duration(*d)),
        Value::List(items) => Json::Array(items.iter().map(to_json_value).collect()),
        Value::Object => Json::Object(Map::new()),
    }
}

/// Bounds propagation over `f - g in set` (the hull of each set):
/// `Err(proven)` when some domain empties (proven), or when the bounds keep
/// shrinking past the rounds Bellman-Ford needs: a negative cycle, proven
/// where no domain has holes (holes can make the bounds move longer).
fn propagate(ords: &mut [IntervalSet], diffs: &[(FieldId, FieldId, IntervalSet)]) -> Result<(), bool> {
    if diffs.is_empty() {
        return Ok(());
    }
    let mut vars: Vec<FieldId> = diffs.iter().flat_map(|(f, g, _)| [*f, *g]).collect();
    vars.sort();
    vars.dedup();
    let holes = vars.iter().any(|v| ords[v.0 as usize].parts().len() > 1);
    for _ in 0..vars.len() + 2 {
        let mut changed = false;
        for (f, g, set) in diffs {
            let (Some(a), Some(b)) = (set.min(), set.max()) else {
                return Err(true);
            };
            let (fi, gi) = (f.0 as usize, g.0 as usize);
            let (Some(gmin), Some(gmax)) = (ords[gi].min(), ords[gi].max()) else {
                return Err(true);
            };
            let nf = ords[fi].intersect(&IntervalSet::range(gmin + a, gmax + b));
            if nf != ords[fi] {
                changed = true;
                ords[fi] = nf;
            }
            let (Some(fmin), Some(fmax)) = (ords[fi].min(), ords[fi].max()) else {
                return Err(true);
            };
            let ng = ords[gi].intersect(&IntervalSet::range(fmin - b, fmax - a));
            if ng != ords[gi] {
                changed = true;
                ords[gi] = ng;
            }
            if ords[gi].is_empty() {
                return Err(true);
            }
        }
        if !changed {
            return Ok(());
        }
    }
    Err(!holes)
}

/// Classes of fields that must be equal: a representative per field.
fn classes(n: usize, sames: &[(FieldId, FieldId, bool)]) -> Vec<usize> {
    let mut rep: Vec<usize> = (0..n).collect();
    fn find(rep: &mut [usize], mut x: usize) -> usize {
        while rep[x] != x {
            rep[x] = rep[rep[x]];
            x = rep[x];
        }
        x
    }
    for (a, b, equal) in sames {
        if *equal {
            let (ra, rb) = (find(&mut rep, a.0 as usize), find(&mut rep, b.0 as usize));
            rep[ra.max(rb)] = ra.min(rb);
        }
    }
    (0..n).map(|i| find(&mut rep, i)).collect()
}

/// Whether `(x, y)` joins the same two classes as the pair `(a, b)`.
fn same_pair(classes: &[usize], (a, b): (FieldId, FieldId), (x, y): (FieldId, FieldId)) -> bool {
    let c = |f: FieldId| classes[f.0 as usize];
    (c(a), c(b)) == (c(x), c(y)) || (c(a), c(b)) == (c(y), c(x))
}

/// The complement of a calendar that restricts one function.
fn calendar_not(cal: &Calendar) -> Calendar {
    let mut out = Calendar::ALL;
    if cal.weekday != WEEKDAYS {
        out.weekday = !cal.weekday & WEEKDAYS;
    } else if cal.month != MONTHS {
        out.month = !cal.month & MONTHS;
    } else if cal.day != DAYS {
        out.day = !cal.day & DAYS;
    } else if cal.minute != MINUTES {
        out.minute = !cal.minute & MINUTES;
    } else {
        out.weekday = 0;
    }
    out
}

impl<'s, 'p> Search<'s, 'p> {
    fn dfs(&mut self, store: Store, mut goals: Vec<Goal<'p>>) -> Option<Json> {
        if self.budget == 0 {
            self.approximate = true;
            return None;
        }
        self.budget -= 1;
        let Some(goal) = goals.pop() else {
            return self.complete(&store);
        };
        let mut alts = self.alternatives(goal);
        let picks = order(alts.len(), self.src);
        let last = picks.len();
        let mut store = Some(store);
        for (k, i) in picks.into_iter().enumerate() {
            let steps = std::mem::take(&mut alts[i]);
            let mut s = if k + 1 == last {
                store.take()?
            } else {
                store.as_ref()?.clone()
            };
            let mut g = goals.clone();
            if self.apply(&mut s, steps, &mut g) {
                if let Some(json) = self.dfs(s, g) {
                    return Some(json);
                }
            }
            if self.budget == 0 {
                self.approximate = true;
                return None;
            }
        }
        None
    }

    /// Values for a consistent store, tested by the program.
    fn complete(&mut self, store: &Store) -> Option<Json> {
        let solver = self.solver;
        for attempt in 0..ASSIGN_TRIES {
            self.budget = self.budget.saturating_sub(4);
            let vals = {
                let mut src = Retry {
                    inner: &mut *self.src,
                    extra: Seeded::new(attempt),
                    attempt,
                };
                solver
                    .assign(store, &mut src)
                    .and_then(|vals| solver.repair(store, vals, &mut src))
            };
            let Some(vals) = vals else {
                self.approximate = true;
                continue;
            };
            if let Some(json) = self.verified(&vals) {
                return Some(json);
            }
            if self.budget == 0 {
                break;
            }
        }
        None
    }

    fn verified(&mut self, vals: &[Option<Value>]) -> Option<Json> {
        let json = self.solver.to_json(vals);
        if self.solver.verify(&json, self.wants) {
            return Some(json);
        }
        self.approximate = true;
        None
    }

    fn alternatives(&mut self, goal: Goal<'p>) -> Vec<Vec<Move<'p>>> {
        use Kleene::*;
        let an = self.solver.an;
        let g = |c: &'p Cond, t: Kleene| Move::Goal(Goal::Cond(c, t));
        // Each way two sides give a truth; a side not evaluated is free.
        let sides = |l: &'p Cond, r: &'p Cond, pairs: Vec<(Kleene, Option<Kleene>)>| {
            pairs
                .into_iter()
                .map(|(lt, rt)| std::iter::once(g(l, lt)).chain(rt.map(|rt| g(r, rt))).collect())
                .collect()
        };
        match goal {
            Goal::Rule(i, want) => {
                let rule = &an.rules[i];
                let c = &rule.check;
                match (want, &rule.when) {
                    (Want::Any, _) => vec![vec![]],
                    (Want::Compliant, Some(w)) => vec![
                        vec![g(w, True), g(c, True)],
                        vec![g(w, False)],
                        vec![g(w, Unknown)],
                    ],
                    (Want::Compliant, None) => vec![vec![g(c, True)]],
                    (Want::Violated, Some(w)) => vec![vec![g(w, True), g(c, False)]],
                    (Want::Violated, None) => vec![vec![g(c, False)]],
                    (Want::Decided, Some(w)) => vec![
                        vec![g(w, True), g(c, True)],
                        vec![g(w, True), g(c, False)],
                        vec![g(w, False)],
                        vec![g(w, Unknown)],
                    ],
                    (Want::Applicable, Some(w)) => {
                        vec![vec![g(w, True), g(c, True)], vec![g(w, True), g(c, False)]]
                    }
                    (Want::Decided | Want::Applicable, None) => vec![vec![g(c, True)], vec![g(c, False)]],
                }
            }
            Goal::Cond(cond, t) => match cond {
                Cond::Const(b) => match (t, b) {
                    (True, true) | (False, false) => vec![vec![]],
                    _ => vec![],
                },
                Cond::Pred(p, term) => {
                    let p = *p;
                    let Some(f) = self.solver.an.field_of(*term) else {
                        return vec![];
                    };
                    match (p, t) {
                        (_, Unknown) => vec![],
                        (Predicate::Required, True) => vec![vec![Move::Present(f), Move::Empty(f, false)]],
                        (Predicate::Required, False) => {
                            vec![
                                vec![Move::Missing(f)],
                                vec![Move::Present(f), Move::Empty(f, true)],
                            ]
                        }
                        (Predicate::Present, True) | (Predicate::Missing, False) => {
                            vec![vec![Move::Present(f)]]
                        }
                        (Predicate::Present, False) | (Predicate::Missing, True) => {
                            vec![vec![Move::Missing(f)]]
                        }
                    }
                }
                Cond::Not(x) => vec![vec![g(x, t.not())]],
                Cond::And(l, r) => sides(l, r, t.and_pairs()),
                Cond::Or(l, r) => sides(l, r, t.or_pairs()),
                Cond::Atom(a) => self.atom_alternatives(*a, t),
            },
        }
    }

    fn atom_alternatives(&mut self, a: usize, t: Kleene) -> Vec<Vec<Move<'p>>> {
        use Kleene::*;
        let atom = &self.solver.an.atoms[a];
        let safe = || atom.safe.iter().map(|(f, s)| Move::Ord(*f, s.clone()));
        let known = |mut steps: Vec<Move<'p>>, fields: &[crate::check::FieldId]| {
            steps.extend(fields.iter().map(|f| Move::Present(*f)));
            steps.extend(safe());
            vec![steps]
        };
        let unknown_one = |f: FieldId| vec![vec![Move::Missing(f)]];
        match (&atom.kind, t) {
            (AtomKind::Ord { field, .. }, Unknown)
            | (AtomKind::Cal { field, .. }, Unknown)
            | (AtomKind::Bool { field, .. }, Unknown)
            | (AtomKind::Str { field, .. }, Unknown) => unknown_one(*field),
            (AtomKind::Ord { field, set }, True) => known(vec![Move::Ord(*field, set.clone())], &[*field]),
            (AtomKind::Ord { field, set }, False) => {
                let not = set.within_complement(&self.solver.an.fields[field.0 as usize].universe);
                known(vec![Move::Ord(*field, not)], &[*field])
            }
            (AtomKind::Cal { field, cal }, True) => known(vec![Move::Cal(*field, *cal)], &[*field]),
            (AtomKind::Cal { field, cal }, False) => {
                known(vec![Move::Cal(*field, calendar_not(cal))], &[*field])
            }
            (AtomKind::Bool { field, mask }, True) => known(vec![Move::Bools(*field, *mask)], &[*field]),
            (AtomKind::Bool { field, mask }, False) => {
                known(vec![Move::Bools(*field, !mask & 0b11)], &[*field])
            }
            (
                AtomKind::Str {
                    field,
                    items,
                    negated,
                },
                True,
            ) => known(vec![Move::Str(*field, items, *negated)], &[*field]),
            (
                AtomKind::Str {
                    field,
                    items,
                    negated,
                },
                False,
            ) => known(vec![Move::Str(*field, items, !*negated)], &[*field]),
            (AtomKind::Diff { f, g, set }, True) => known(vec![Move::Diff(*f, *g, set.clone())], &[*f, *g]),
            (AtomKind::Diff { f, g, set }, False) => {
                known(vec![Move::Diff(*f, *g, set.complement())], &[*f, *g])
            }
            (AtomKind::Diff { f, g, .. }, Unknown) => vec![
                std::iter::once(Move::Missing(*f)).chain(safe()).collect(),
                std::iter::once(Move::Missing(*g)).chain(safe()).collect(),
            ],
            (AtomKind::Same { f, g, equal }, True) => known(vec![Move::Same(*f, *g, *equal)], &[*f, *g]),
            (AtomKind::Same { f, g, equal }, False) => known(vec![Move::Same(*f, *g, !*equal)], &[*f, *g]),
            (AtomKind::Same { f, g, .. }, Unknown) => vec![vec![Move::Missing(*f)], vec![Move::Missing(*g)]],
            (AtomKind::Unary { field, .. }, Unknown) => {
                vec![vec![Move::Missing(*field), Move::Check(a, Unknown)]]
            }
            (AtomKind::Unary { field, .. }, t) => {
                vec![vec![Move::Present(*field), Move::Filter(a, *field, t)]]
            }
            (AtomKind::Opaque, t) => {
                self.approximate = true;
                if atom.fields.is_empty() {
                    return vec![vec![Move::Check(a, t)]];
                }
                match t {
                    Unknown => atom
                        .fields
                        .iter()
                        .map(|f| vec![Move::Missing(*f), Move::Opaque(a, Unknown)])
                        .collect(),
                    t => vec![atom
                        .fields
                        .iter()
                        .map(|f| Move::Present(*f))
                        .chain([Move::Opaque(a, t)])
                        .collect()],
                }
            }
        }
    }

    fn fail(&mut self, proven: bool) -> bool {
        if !proven {
            self.approximate = true;
        }
        false
    }

    /// Applies an alternative's steps (goals go onto `goals`, first step
    /// on top); false when the store becomes inconsistent.
    fn apply(&mut self, store: &mut Store, steps: Vec<Move<'p>>, goals: &mut Vec<Goal<'p>>) -> bool {
        let mut touched: Vec<FieldId> = Vec::new();
        let mut new_goals = Vec::new();
        let mut diffs_changed = false;
        for step in steps {
            match step {
                Move::Goal(goal) => new_goals.push(goal),
                Move::Present(f) | Move::Missing(f) => {
                    let want = if matches!(step, Move::Present(_)) {
                        Presence::Present
                    } else {
                        Presence::Missing
                    };
                    let st = &mut store.f[f.0 as usize];
                    if st.presence != Presence::Free && st.presence != want {
                        return self.fail(true);
                    }
                    st.presence = want;
                    touched.push(f);
                }
                Move::Empty(f, e) => {
                    let st = &mut store.f[f.0 as usize];
                    if st.empty.is_some_and(|x| x != e) {
                        return self.fail(true);
                    }
                    st.empty = Some(e);
                    touched.push(f);
                }
                Move::Ord(f, set) => {
                    let st = &mut store.f[f.0 as usize];
                    st.ord = st.ord.intersect(&set);
                    touched.push(f);
                }
                Move::Cal(f, cal) => {
                    let st = &mut store.f[f.0 as usize];
                    st.cal = st.cal.intersect(&cal);
                    touched.push(f);
                }
                Move::Bools(f, mask) => {
                    store.f[f.0 as usize].bools &= mask;
                    touched.push(f);
                }
                Move::Str(f, items, negated) => {
                    let st = &mut store.f[f.0 as usize];
                    if negated {
                        st.forbidden.extend(items.iter().cloned());
                    } else {
                        st.allowed = Some(match &st.allowed {
                            Some(a) => a.intersection(items).cloned().collect(),
                            None => items.clone(),
                        });
                    }
                    touched.push(f);
                }
                Move::Diff(f, g, set) => {
                    // Two differences of one pair of fields are one.
                    let same = store
                        .diffs
                        .iter_mut()
                        .find(|(a, b, _)| (*a, *b) == (f, g) || (*a, *b) == (g, f));
                    match same {
                        Some((a, _, old)) => {
                            let set = if *a == f { set } else { set.negate() };
                            *old = old.intersect(&set);
                            if old.is_empty() {
                                return self.fail(true);
                            }
                        }
                        None => store.diffs.push((f, g, set)),
                    }
                    diffs_changed = true;
                }
                Move::Same(f, g, equal) => store.sames.push((f, g, equal)),
                Move::Filter(a, f, t) => {
                    store.f[f.0 as usize].filters.push((a, t));
                    touched.push(f);
                }
                Move::Opaque(a, t) => store.opaque.push((a, t)),
                Move::Check(a, t) => {
                    let got = self.solver.truth(a, &self.solver.record([]));
                    if got != Some(t) {
                        return self.fail(true);
                    }
                }
            }
        }
        goals.extend(new_goals.into_iter().rev());
        touched.sort();
        touched.dedup();
        self.settle(store, &touched, diffs_changed)
    }

    /// Equalities between fields: no class of equal fields holds two that
    /// must differ, and each class's bools or finite strings meet.
    fn sames_consistent(&self, store: &Store) -> bool {
        let n = store.f.len();
        let classes = classes(n, &store.sames);
        if store
            .sames
            .iter()
            .any(|(a, b, eq)| !eq && classes[a.0 as usize] == classes[b.0 as usize])
        {
            return false;
        }
        for root in 0..n {
            let members: Vec<usize> = (0..n)
                .filter(|i| classes[*i] == root && store.f[*i].presence == Presence::Present)
                .collect();
            if members.len() < 2 {
                continue;
            }
            let mask = members.iter().fold(0b11u8, |m, i| m & store.f[*i].bools);
            let strings = members
                .iter()
                .filter_map(|i| store.f[*i].allowed.as_ref())
                .fold(None::<BTreeSet<String>>, |acc, a| {
                    Some(acc.map_or_else(|| a.clone(), |x| x.intersection(a).cloned().collect()))
                });
            let kind = self.solver.an.fields[members[0]].kind;
            if kind == Kind::Bool && mask == 0 {
                return false;
            }
            if let Some(strings) = strings {
                if strings
                    .iter()
                    .all(|s| members.iter().any(|i| store.f[*i].forbidden.contains(s)))
                {
                    return false;
                }
            }
        }
        true
    }

    /// Checks the touched fields (and the differences) for consistency.
    fn settle(&mut self, store: &mut Store, touched: &[FieldId], diffs_changed: bool) -> bool {
        let an = self.solver.an;
        let mut scratch = Seeded::new(0x5eed);
        for &f in touched {
            let i = f.0 as usize;
            let info = &an.fields[i];
            let presence = store.f[i].presence;
            if presence == Presence::Present
                && info
                    .parents
                    .iter()
                    .any(|p| store.f[p.0 as usize].presence == Presence::Missing)
            {
                return self.fail(true);
            }
            if presence == Presence::Missing
                && info
                    .children
                    .iter()
                    .any(|c| store.f[c.0 as usize].presence == Presence::Present)
            {
                return self.fail(true);
            }
            let st = &mut store.f[i];
            match (info.kind, st.empty) {
                (Kind::Bool, Some(true)) => st.bools &= 0b01,
                (Kind::Bool, Some(false)) => st.bools &= 0b10,
                (Kind::Str, Some(false)) => {
                    st.forbidden.insert(String::new());
                }
                (Kind::Str, Some(true)) => {
                    st.allowed = Some(match &st.allowed {
                        Some(a) => a.iter().filter(|s| s.is_empty()).cloned().collect(),
                        None => BTreeSet::from([String::new()]),
                    });
                }
                _ => {}
            }
            if presence != Presence::Present {
                continue;
            }
            let st = &store.f[i];
            let needs_search = match info.kind {
                Kind::Ord(_) => {
                    if st.empty == Some(true) || st.ord.is_empty() || st.cal.is_empty() {
                        return self.fail(true);
                    }
                    !st.cal.is_all() || !st.filters.is_empty()
                }
                Kind::Bool => {
                    if st.bools == 0 {
                        return self.fail(true);
                    }
                    !st.filters.is_empty()
                }
                Kind::Str => {
                    if let Some(a) = &st.allowed {
                        if a.iter().all(|s| st.forbidden.contains(s)) {
                            return self.fail(true);
                        }
                    }
                    !st.filters.is_empty()
                }
                Kind::List(_) => !st.filters.is_empty(),
                Kind::Object => {
                    if st.empty == Some(true) {
                        return self.fail(true);
                    }
                    false
                }
                Kind::Untyped => false,
            };
            if needs_search {
                match self.solver.find(f, st, &st.ord, &[], &[], &[], &mut scratch) {
                    Found::Value(_) => {}
                    Found::None => return self.fail(true),
                    Found::GaveUp => return self.fail(false),
                }
            }
        }
        if !store.sames.is_empty() && !self.sames_consistent(store) {
            return self.fail(true);
        }
        let in_diffs = touched
            .iter()
            .any(|f| store.diffs.iter().any(|(a, b, _)| a == f || b == f));
        if diffs_changed || in_diffs {
            let mut ords: Vec<IntervalSet> = store.f.iter().map(|s| s.ord.clone()).collect();
            if let Err(proven) = propagate(&mut ords, &store.diffs) {
                return self.fail(proven);
            }
            for (st, o) in store.f.iter_mut().zip(ords) {
                st.ord = o;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn propagation_finds_negative_cycles_and_tightens_bounds() {
        let f = FieldId(0);
        let g = FieldId(1);
        let mut ords = vec![IntervalSet::range(0, 100), IntervalSet::range(0, 100)];
        // f - g >= 30
        let diffs = vec![(f, g, IntervalSet::range(30, 1 << 100))];
        assert!(propagate(&mut ords, &diffs).is_ok());
        assert_eq!(ords[0], IntervalSet::range(30, 100));
        assert_eq!(ords[1], IntervalSet::range(0, 70));
        // and g - f >= 1: impossible
        let diffs = vec![
            (f, g, IntervalSet::range(30, 1 << 100)),
            (g, f, IntervalSet::range(1, 1 << 100)),
        ];
        let mut ords = vec![IntervalSet::range(0, 100), IntervalSet::range(0, 100)];
        assert_eq!(propagate(&mut ords, &diffs), Err(true));
    }
}
