//! Stage 4: a [`Program`] and a [`Record`] → one [`Outcome`] per rule.
//!
//! Logic is three-valued: `Ok(None)` is *unknown* (a missing operand).
//! `and`/`or` go left to right and stop once the result is settled.

mod record;

use serde::Serialize;

use crate::compile::{CompiledRule, Program, Slot as SlotIndex};
use walk::Evaluator;

pub(crate) use record::{read_json, Shape};
pub use record::{Cell, Record};
pub use serialize::SerializeError;
pub(crate) use serialize::{read_serialize, SerializeScratch};

/// Why evaluating a rule failed for a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EvalError {
    #[error("division by zero")]
    DivisionByZero,
    #[error("arithmetic overflow in `{op}`")]
    Overflow { op: String },
    #[error("{time} {op} {duration} leaves the day (00:00–23:59:59)")]
    TimeOutOfDay {
        time: String,
        op: String,
        duration: String,
    },
    #[error("a date can only move by whole days, not by {duration}")]
    NotWholeDays { duration: String },
    #[error("{date} {op} {duration} leaves the calendar")]
    DateOutOfRange {
        date: String,
        op: String,
        duration: String,
    },
}

/// Why a rule was violated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// The check was false.
    Failed,
    /// The check was unknown: a field it needs is missing.
    Missing,
}

/// The outcome of one rule for one record.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `when` was false or unknown.
    NotApplicable,
    Pass,
    Violation {
        reason: Reason,
        /// The missing fields that made the check unknown (slots), in order
        /// of first appearance; empty when the reason is `Failed`.
        missing: Vec<SlotIndex>,
    },
    /// A field the rule reads holds a data error (`Err(None)`), or the
    /// evaluation failed.
    Error(Option<EvalError>),
}

mod ops;
mod serialize;
mod walk;

/// The outcome of one rule for one record.
pub(crate) fn outcome(rule: &CompiledRule, record: &Record<'_>) -> Outcome {
    outcome_of(rule, record, true, true)
}

/// [`outcome`], told whether any cell of the record may hold a data error
/// (most records have none, and then no rule need look), and whether the
/// missing fields of an unknown check are wanted (a count does not need
/// them; they take a second walk).
#[inline]
fn outcome_of(
    rule: &CompiledRule,
    record: &Record<'_>,
    may_have_errors: bool,
    name_missing: bool,
) -> Outcome {
    if may_have_errors
        && rule
            .reads
            .iter()
            .any(|s| matches!(record.cell(*s), Cell::Error(_)))
    {
        return Outcome::Error(None);
    }
    let evaluator = Evaluator { record };
    if let Some(when) = &rule.when {
        match evaluator.truth(when) {
            Ok(Some(true)) => {}
            Ok(_) => return Outcome::NotApplicable,
            Err(e) => return Outcome::Error(Some(*e)),
        }
    }
    match evaluator.truth(&rule.check) {
        Ok(Some(true)) => Outcome::Pass,
        Ok(Some(false)) => Outcome::Violation {
            reason: Reason::Failed,
            missing: Vec::new(),
        },
        Ok(None) => {
            let mut missing = Vec::new();
            if name_missing {
                evaluator.missing_fields(&rule.check, &mut missing);
            }
            Outcome::Violation {
                reason: Reason::Missing,
                missing,
            }
        }
        Err(e) => Outcome::Error(Some(*e)),
    }
}

impl Program {
    /// Every rule's outcome for `record`, in rule order, into `out`.
    pub(crate) fn outcomes_into(&self, record: &Record<'_>, out: &mut Vec<Outcome>) {
        out.clear();
        out.extend(self.rules.iter().map(|rule| outcome(rule, record)));
    }

    /// The violations and errors of `record` only, as (rule index,
    /// outcome) in rule order. Rules whose guard (see `GuardIndex`) cannot
    /// hold for the record are skipped: their outcome is "not applicable".
    pub(crate) fn findings_into(&self, record: &Record<'_>, out: &mut Vec<(u32, Outcome)>) {
        out.clear();
        self.for_each_finding(record, true, |i, found| out.push((i, found)));
        out.sort_by_key(|(i, _)| *i);
    }

    /// Hands each violation and error of `record` to `found`, in no
    /// particular order; an unknown check's missing fields only when
    /// `name_missing`.
    pub(crate) fn for_each_finding(
        &self,
        record: &Record<'_>,
        name_missing: bool,
        mut found: impl FnMut(u32, Outcome),
    ) {
        let may_have_errors = record.cells.iter().any(|c| matches!(c, Cell::Error(_)));
        let mut check =
            |i: u32| match outcome_of(&self.rules[i as usize], record, may_have_errors, name_missing) {
                finding @ (Outcome::Violation { .. } | Outcome::Error(_)) => found(i, finding),
                Outcome::Pass | Outcome::NotApplicable => {}
            };
        for &i in &self.guards.unguarded {
            check(i);
        }
        for group in &self.guards.groups {
            let selected: &[u32] = match record.cell(group.slot) {
                Cell::String(value) => group.by_value.get(value.as_ref()).map_or(&[], Vec::as_slice),
                Cell::Error(_) => &group.all,
                // Missing: every guard is unknown, so no rule applies, but
                // one whose `when` goes on (`… and x / y > 1`) may fail.
                _ => &group.unknown,
            };
            for &i in selected {
                check(i);
            }
        }
    }
}

#[cfg(test)]
mod tests;
