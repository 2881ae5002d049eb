//! Deciding a [`Step`] in place. A step made from a node must agree with
//! the walk of that node (`Evaluator::truth`), which the tests check cell
//! by cell.

use super::walk::{Evaluator, Judged};
use super::{Record, Verdict};
use crate::compile::{BareKernels, Step};
use crate::semantics::cell::Cell;
use crate::semantics::compare::{
    bool_against, date_against, decimal_against, duration_against, int_against, string_against, time_against,
};
use crate::semantics::logic::{self, Kleene};

impl Step {
    /// Kleene truth of the step: unknown when a cell it tests holds no
    /// value of the type compared (missing, or a data error that the
    /// caller has not already ruled out).
    #[inline(always)]
    pub(super) fn truth<'r>(&'r self, evaluator: &Evaluator<'r, '_>) -> Judged {
        let cell = |slot: &usize| evaluator.record.cell(*slot);
        let compared = match self {
            Step::Always => return Ok(Kleene::True),
            Step::Walk(node) => return evaluator.truth(node),
            Step::Required(slot) => return Ok(Kleene::from(logic::required(cell(slot)))),
            Step::Present(slot) => return Ok(Kleene::from(logic::present(cell(slot)))),
            Step::Missing(slot) => return Ok(Kleene::from(!logic::present(cell(slot)))),
            Step::InStrings { negated, slot, items } => {
                return Ok(match cell(slot) {
                    Cell::String(s) => {
                        Kleene::from(items.iter().any(|i| i.as_ref() == s.as_ref()) != *negated)
                    }
                    _ => Kleene::Unknown,
                })
            }
            Step::Int {
                slot,
                accept,
                constant,
            } => int_against(cell(slot), *constant).map(|o| accept.holds(o)),
            Step::Decimal {
                slot,
                accept,
                constant,
            } => decimal_against(cell(slot), constant).map(|o| accept.holds(o)),
            Step::String {
                slot,
                accept,
                constant,
            } => string_against(cell(slot), constant).map(|o| accept.holds(o)),
            Step::Time {
                slot,
                accept,
                constant,
            } => time_against(cell(slot), *constant).map(|o| accept.holds(o)),
            Step::Date {
                slot,
                accept,
                constant,
            } => date_against(cell(slot), constant).map(|o| accept.holds(o)),
            Step::Duration {
                slot,
                accept,
                constant,
            } => duration_against(cell(slot), constant).map(|o| accept.holds(o)),
            Step::Bool {
                slot,
                accept,
                constant,
            } => bool_against(cell(slot), *constant).map(|o| accept.holds(o)),
        };
        Ok(Kleene::from(compared))
    }
}

impl BareKernels {
    /// Hands the verdict of each of these rules that is a finding to
    /// `found`, for a record without data errors. Each loop decides its
    /// rules as [`Step::truth`] decides their checks.
    #[inline(always)]
    pub(super) fn for_each_finding(&self, record: &Record<'_>, found: &mut impl FnMut(u32, Verdict)) {
        for &(rule, slot) in &self.required {
            if !logic::required(record.cell(slot)) {
                found(rule, Verdict::Failed);
            }
        }
        for &(rule, slot, accept, constant) in &self.times {
            match time_against(record.cell(slot), constant) {
                Some(o) if accept.holds(o) => {}
                Some(_) => found(rule, Verdict::Failed),
                None => found(rule, Verdict::Unknown),
            }
        }
        for &(rule, slot, accept, constant) in &self.ints {
            match int_against(record.cell(slot), constant) {
                Some(o) if accept.holds(o) => {}
                Some(_) => found(rule, Verdict::Failed),
                None => found(rule, Verdict::Unknown),
            }
        }
        let evaluator = Evaluator::new(record);
        for (rule, check) in &self.other {
            match check.truth(&evaluator) {
                Ok(Kleene::True) => {}
                truth => found(*rule, super::checked(truth)),
            }
        }
    }
}
