//! Deciding a [`Step`] in place. A step made from a node must agree with
//! the walk of that node (`Evaluator::truth`), which the tests check cell
//! by cell.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::walk::{Evaluator, Truth};
use super::{Cell, Record, Verdict};
use crate::compile::{BareKernels, Step};
use crate::semantics::value::{date_order, time_order};

impl Step {
    /// Kleene truth of the step: `Ok(None)` when a cell it tests holds no
    /// value of the type compared (missing, or a data error that the
    /// caller has not already ruled out).
    #[inline(always)]
    pub(super) fn truth<'r>(&'r self, evaluator: &Evaluator<'r, '_>) -> Truth {
        let cell = |slot: &usize| evaluator.record.cell(*slot);
        let holds = match self {
            Step::Always => true,
            Step::Walk(node) => return evaluator.truth(node),
            Step::Required(slot) => cell(slot).is_nonempty(),
            Step::Present(slot) => !matches!(cell(slot), Cell::Missing | Cell::Error(_)),
            Step::Missing(slot) => matches!(cell(slot), Cell::Missing | Cell::Error(_)),
            Step::InStrings { negated, slot, items } => match cell(slot) {
                Cell::String(s) => items.iter().any(|i| i.as_ref() == s.as_ref()) != *negated,
                _ => return Ok(None),
            },
            Step::Int {
                slot,
                accept,
                constant,
            } => match cell(slot) {
                Cell::Int(x) => accept.holds(x.cmp(constant)),
                Cell::Decimal(x) => accept.holds(x.cmp(&Decimal::from(*constant))),
                _ => return Ok(None),
            },
            Step::Decimal {
                slot,
                accept,
                constant,
            } => match cell(slot) {
                Cell::Decimal(x) => accept.holds(cmp_decimal(x, constant)),
                Cell::Int(x) => accept.holds(cmp_decimal(&Decimal::from(*x), constant)),
                _ => return Ok(None),
            },
            Step::String {
                slot,
                accept,
                constant,
            } => match cell(slot) {
                Cell::String(x) => accept.holds(x.as_ref().cmp(constant.as_ref())),
                _ => return Ok(None),
            },
            Step::Time {
                slot,
                accept,
                constant,
            } => match cell(slot) {
                Cell::Time(x) => accept.holds(time_order(*x).cmp(constant)),
                _ => return Ok(None),
            },
            Step::Date {
                slot,
                accept,
                constant,
            } => match cell(slot) {
                Cell::Date(x) => accept.holds(date_order(*x).cmp(constant)),
                _ => return Ok(None),
            },
            Step::Duration {
                slot,
                accept,
                constant,
            } => match cell(slot) {
                Cell::Duration(x) => accept.holds(x.cmp(constant)),
                _ => return Ok(None),
            },
            Step::Bool {
                slot,
                accept,
                constant,
            } => match cell(slot) {
                Cell::Bool(x) => accept.holds(x.cmp(constant)),
                _ => return Ok(None),
            },
        };
        Ok(Some(holds))
    }
}

impl BareKernels {
    /// Hands the verdict of each of these rules that is a finding to
    /// `found`, for a record without data errors. Each loop decides its
    /// rules as [`Step::truth`] decides their checks.
    #[inline(always)]
    pub(super) fn for_each_finding(&self, record: &Record<'_>, found: &mut impl FnMut(u32, Verdict)) {
        for &(rule, slot) in &self.required {
            if !record.cell(slot).is_nonempty() {
                found(rule, Verdict::Failed);
            }
        }
        for &(rule, slot, accept, constant) in &self.times {
            match record.cell(slot) {
                Cell::Time(x) if accept.holds(time_order(*x).cmp(&constant)) => {}
                Cell::Time(_) => found(rule, Verdict::Failed),
                _ => found(rule, Verdict::Unknown),
            }
        }
        for &(rule, slot, accept, constant) in &self.ints {
            let holds = match record.cell(slot) {
                Cell::Int(x) => accept.holds(x.cmp(&constant)),
                Cell::Decimal(x) => accept.holds(x.cmp(&Decimal::from(constant))),
                _ => {
                    found(rule, Verdict::Unknown);
                    continue;
                }
            };
            if !holds {
                found(rule, Verdict::Failed);
            }
        }
        let evaluator = Evaluator { record };
        for (rule, check) in &self.other {
            match check.truth(&evaluator) {
                Ok(Some(true)) => {}
                truth => found(*rule, super::checked(truth)),
            }
        }
    }
}

/// Powers of ten that fit in an `i64`.
const POW10: [i64; 19] = {
    let mut table = [1i64; 19];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `Decimal::cmp`, which rescales through a general loop: done instead, when
/// both mantissas fit in an `i64` and the scales differ by at most 18 (the
/// values of records and rules, nearly always), as one multiplication by a
/// power of ten, whose product of two `i64`s cannot overflow an `i128`.
pub(super) fn cmp_decimal(x: &Decimal, c: &Decimal) -> Ordering {
    if let (Ok(xm), Ok(cm)) = (i64::try_from(x.mantissa()), i64::try_from(c.mantissa())) {
        let (xs, cs) = (x.scale(), c.scale());
        let (xm, cm) = (i128::from(xm), i128::from(cm));
        if xs >= cs {
            if let Some(p) = POW10.get((xs - cs) as usize) {
                return xm.cmp(&(cm * i128::from(*p)));
            }
        } else if let Some(p) = POW10.get((cs - xs) as usize) {
            return (xm * i128::from(*p)).cmp(&cm);
        }
    }
    x.cmp(c)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn decimals_compare_as_decimal_cmp_does() {
        let mut values: Vec<Decimal> = [
            "0",
            "-0",
            "0.000",
            "1",
            "-1",
            "8",
            "8.0",
            "8.00",
            "7.999999",
            "8.000001",
            "7.25",
            "-7.25",
            "0.001",
            "-0.001",
            "1000000000000000000",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "0.0000000000000000000000000001",
            "-0.0000000000000000000000000001",
            "1.0000000000000000000000000001",
            "922337203685477580.7",
            "0.9223372036854775807",
        ]
        .iter()
        .map(|s| Decimal::from_str(s).unwrap())
        .collect();
        values.extend([Decimal::MAX, Decimal::MIN, Decimal::ONE / Decimal::from(3)]);
        for x in &values {
            for c in &values {
                assert_eq!(cmp_decimal(x, c), x.cmp(c), "{x} vs {c}");
            }
        }
    }
}
