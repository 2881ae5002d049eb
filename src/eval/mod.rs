//! Stage 4: a [`Program`] and a [`Record`] → one [`Outcome`] per rule.
//!
//! Logic is three-valued (`semantics::logic::Kleene`): a missing operand
//! makes a comparison unknown. `and`/`or` go left to right and stop once
//! the result is settled.

use serde::Serialize;

use crate::compile::{CompiledRule, Node, Program, Slot as SlotIndex};
use crate::record::Record;
pub use crate::semantics::arith::EvalError;
use crate::semantics::cell::Cell;
use crate::semantics::logic::Kleene;
pub(crate) use walk::{Evaluator, Fault, Judged, Trace, Valued};

/// Why a rule was violated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// The check was false.
    Failed,
    /// The check was unknown: a field it needs is missing.
    Missing,
}

impl Reason {
    /// As reports write it: `failed` or `missing`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Failed => "failed",
            Reason::Missing => "missing",
        }
    }
}

/// The outcome of one rule for one record.
///
/// ```
/// use civrules::{Outcome, Program, Reason};
///
/// let program = Program::from_source("t.rules", "rule on_time { when role == \"civil_servant\" check arrival <= 07:30 }\n")?;
/// let outcome = |json: serde_json::Value| {
///     let record = program.record_from_json(&json).expect("an object");
///     program.outcomes(&record).expect("its own record")[0].clone()
/// };
/// assert_eq!(outcome(serde_json::json!({"role": "guest"})), Outcome::NotApplicable);
/// assert_eq!(outcome(serde_json::json!({"role": "civil_servant", "arrival": "07:00"})), Outcome::Pass);
/// assert!(matches!(
///     outcome(serde_json::json!({"role": "civil_servant"})),
///     Outcome::Violation { reason: Reason::Missing, .. }
/// ));
/// # Ok::<(), civrules::CompileError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `when` was false or unknown.
    NotApplicable,
    /// The check held.
    Pass,
    /// The check failed, or was unknown for a missing field.
    Violation {
        /// Failed or missing.
        reason: Reason,
        /// The missing fields that made the check unknown (slots), in order
        /// of first appearance; empty when the reason is `Failed`.
        missing: Vec<SlotIndex>,
    },
    /// A field the rule reads holds a data error (`Err(None)`), or the
    /// evaluation failed.
    Error(Option<EvalError>),
    /// The rule reads a field that the record's input does not observe
    /// (contract §8): it was not checked, and says nothing about the record.
    NotChecked,
}

pub(crate) mod group;
mod step;
mod walk;

/// What one rule made of one record: an [`Outcome`] before the missing
/// fields of an unknown check are looked for, and with nothing to drop
/// when the rule passes.
#[derive(Debug)]
pub(crate) enum Verdict {
    NotApplicable,
    Pass,
    Failed,
    /// The check was unknown.
    Unknown,
    /// A field the rule reads holds a data error.
    DataError,
    Fault(Fault),
}

impl Verdict {
    /// A violation or an error: what a report lists.
    fn is_finding(&self) -> bool {
        !matches!(self, Verdict::Pass | Verdict::NotApplicable)
    }
}

/// The outcome of one rule for one record.
pub(crate) fn outcome(rule: &CompiledRule, record: &Record<'_>) -> Outcome {
    // A group rule is checked over groups, not records (`group`).
    if rule.group.is_some() {
        return Outcome::NotApplicable;
    }
    outcome_of(rule, record, verdict(rule, record, true, false))
}

/// The verdict of `rule` on `record`, told whether any cell of the record
/// may hold a data error (most records have none, and then no rule need
/// look) and whether the guard index picked the rule by the value of its
/// guard field (then only the rest of its `when` is left to decide).
#[inline(always)]
fn verdict(rule: &CompiledRule, record: &Record<'_>, may_have_errors: bool, guard_met: bool) -> Verdict {
    if may_have_errors
        && rule
            .reads
            .iter()
            .any(|s| matches!(record.cell(*s), Cell::Error(_)))
    {
        return Verdict::DataError;
    }
    let evaluator = Evaluator::new(record);
    let when = if guard_met {
        &rule.plan.when_met
    } else {
        &rule.plan.when
    };
    match when.truth(&evaluator) {
        Ok(Kleene::True) => {}
        Ok(_) => return Verdict::NotApplicable,
        Err(e) => return Verdict::Fault(e),
    }
    checked(rule.plan.check.truth(&evaluator))
}

/// The verdict of a rule that applies, from the truth of its check.
#[inline(always)]
fn checked(truth: Judged) -> Verdict {
    match truth {
        Ok(Kleene::True) => Verdict::Pass,
        Ok(Kleene::False) => Verdict::Failed,
        Ok(Kleene::Unknown) => Verdict::Unknown,
        Err(e) => Verdict::Fault(e),
    }
}

/// Hands `verdict` to `found` if it is a violation or an error.
#[inline(always)]
fn pass_finding(found: &mut impl FnMut(u32, Verdict), rule: u32, verdict: Verdict) {
    if verdict.is_finding() {
        found(rule, verdict);
    }
}

/// `verdict` as an [`Outcome`], with the missing fields behind an unknown
/// check (a second walk, which a count does without by keeping verdicts).
fn outcome_of(rule: &CompiledRule, record: &Record<'_>, verdict: Verdict) -> Outcome {
    match verdict {
        Verdict::NotApplicable => Outcome::NotApplicable,
        Verdict::Pass => Outcome::Pass,
        Verdict::Failed => Outcome::Violation {
            reason: Reason::Failed,
            missing: Vec::new(),
        },
        Verdict::Unknown => {
            let mut missing = Vec::new();
            Evaluator::new(record).missing_fields(&rule.check, &mut missing);
            Outcome::Violation {
                reason: Reason::Missing,
                missing,
            }
        }
        Verdict::DataError => Outcome::Error(None),
        Verdict::Fault(e) => Outcome::Error(Some(*e)),
    }
}

/// The outcome of `rule` on `record`, as [`outcome`] gives it, from a walk
/// of the trees of its `when` and `check` (not of the steps that checking
/// runs) that `trace` watches.
pub(crate) fn traced<T: Trace>(rule: &CompiledRule, record: &Record<'_>, trace: T) -> Outcome {
    if rule.group.is_some() {
        return Outcome::NotApplicable;
    }
    if rule
        .reads
        .iter()
        .any(|s| matches!(record.cell(*s), Cell::Error(_)))
    {
        return Outcome::Error(None);
    }
    let evaluator = Evaluator { record, trace };
    if let Some(when) = &rule.when {
        match evaluator.truth(when) {
            Ok(Kleene::True) => {}
            Ok(_) => return Outcome::NotApplicable,
            Err(e) => return Outcome::Error(Some(*e)),
        }
    }
    outcome_of(rule, record, checked(evaluator.truth(&rule.check)))
}

/// The truth of one compiled condition (see `compile::node`) on `record`,
/// as the evaluator judges it inside a rule: for tools that test
/// conditions of their own on records they make (the sampler).
pub(crate) fn truth_of(condition: &Node, record: &Record<'_>) -> Result<Kleene, EvalError> {
    Evaluator::new(record).truth(condition).map_err(|fault| *fault)
}

impl Program {
    /// Every rule's outcome for `record`, in rule order, into `out`.
    pub(crate) fn outcomes_into(&self, record: &Record<'_>, out: &mut Vec<Outcome>) {
        out.clear();
        out.extend(self.rules.iter().map(|rule| outcome(rule, record)));
    }

    /// The violations and errors of `record` only, as (rule index,
    /// outcome) in rule order. Rules whose guard (see `GuardIndex`) cannot
    /// hold for the record are skipped, as not applicable, even one that
    /// reads a field in error elsewhere: its outcome would be an error
    /// without an entry of its own (the field's entry stands for it), so a
    /// report is the same either way, and a record with a data error does
    /// not meet every rule of a 10,000-rule file. `may_have_errors` as for
    /// [`Program::for_each_verdict`]: the caller has looked at the cells.
    pub(crate) fn findings_into(
        &self,
        record: &Record<'_>,
        may_have_errors: bool,
        out: &mut Vec<(u32, Outcome)>,
    ) {
        out.clear();
        self.for_each_verdict(record, may_have_errors, |i, verdict| {
            out.push((i, outcome_of(&self.rules[i as usize], record, verdict)));
        });
        out.sort_by_key(|(i, _)| *i);
    }

    /// Hands the verdict of each violation and error of `record` to
    /// `found`, in no particular order; `may_have_errors` is false only if
    /// no cell of the record holds a data error.
    pub(crate) fn for_each_verdict(
        &self,
        record: &Record<'_>,
        may_have_errors: bool,
        mut found: impl FnMut(u32, Verdict),
    ) {
        if may_have_errors {
            for &i in &self.guards.bare {
                pass_finding(
                    &mut found,
                    i,
                    verdict(&self.rules[i as usize], record, true, false),
                );
            }
        } else {
            self.guards.kernels.for_each_finding(record, &mut found);
        }
        for &i in &self.guards.unguarded {
            pass_finding(
                &mut found,
                i,
                verdict(&self.rules[i as usize], record, may_have_errors, false),
            );
        }
        for group in &self.guards.groups {
            let (selected, met): (&[u32], bool) = match record.cell(group.slot) {
                Cell::String(value) => (group.rules_for(value), true),
                Cell::Error(_) => (&group.all, false),
                // Missing: every guard is unknown, so no rule applies, but
                // one whose `when` goes on (`… and x / y > 1`) may fail.
                _ => (&group.unknown, false),
            };
            for &i in selected {
                pass_finding(
                    &mut found,
                    i,
                    verdict(&self.rules[i as usize], record, may_have_errors, met),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
