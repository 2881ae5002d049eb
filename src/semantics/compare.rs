//! Comparison (§2, §3): how two values order, what `==`, `<` and the
//! others make of that, and membership in a list or a range.
//!
//! Values of one type compare as that type; an int and a decimal compare
//! as decimals; anything else does not compare (`None`, which evaluation
//! reads as unknown: the checker lets no such comparison through). Each
//! `*_against` function is the comparison of one type with a constant of
//! that type, which the evaluator's flat tests call directly (one `match`
//! on the cell); [`compare`] is all of them.

use std::cmp::Ordering;

use jiff::civil::Date;
use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::cell::Cell;
use super::ops::BinaryOp;
use super::ordinal;
use super::value::Type;

/// The type two values of types `a` and `b` are compared (and computed) as:
/// their type when it is the same, a decimal for an int and a decimal,
/// `None` for any other pair.
pub(crate) fn common_type(a: Type, b: Type) -> Option<Type> {
    match (a, b) {
        _ if a == b => Some(a),
        (Type::INT, Type::DECIMAL) | (Type::DECIMAL, Type::INT) => Some(Type::DECIMAL),
        _ => None,
    }
}

/// How `a` orders against `b`; `None` when they do not compare (a missing
/// operand included).
pub(crate) fn compare(a: &Cell<'_>, b: &Cell<'_>) -> Option<Ordering> {
    match b {
        Cell::Int(c) => int_against(a, *c),
        Cell::Decimal(c) => decimal_against(a, c),
        Cell::String(c) => string_against(a, c),
        Cell::Time(c) => time_against(a, ordinal::time(*c)),
        Cell::Date(c) => date_against(a, c),
        Cell::Duration(c) => duration_against(a, c),
        Cell::Bool(c) => bool_against(a, *c),
        Cell::Missing | Cell::List(_) | Cell::Object | Cell::Error(_) => None,
    }
}

/// Whether a comparison `op` holds for two operands that order as
/// `ordering`.
#[inline]
pub(crate) fn holds(op: BinaryOp, ordering: Ordering) -> bool {
    Accept::of(op).holds(ordering)
}

/// Whether `element` equals one of `items`.
pub(crate) fn member<'c>(element: &Cell<'_>, mut items: impl Iterator<Item = &'c Cell<'c>>) -> bool {
    items.any(|item| compare(element, item) == Some(Ordering::Equal))
}

/// Whether `element` lies in `low..high`, both included.
pub(crate) fn in_range(element: &Cell<'_>, low: &Cell<'_>, high: &Cell<'_>) -> bool {
    compare(element, low).is_some_and(|o| o != Ordering::Less)
        && compare(element, high).is_some_and(|o| o != Ordering::Greater)
}

/// The orderings for which a comparison holds, one bit each, so that
/// testing one needs no second dispatch on the operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Accept(u8);

impl Accept {
    /// The orderings for which `op` holds. Only comparisons are given
    /// here, and `>=` is the last of them.
    pub fn of(op: BinaryOp) -> Accept {
        const LESS: u8 = 1;
        const EQUAL: u8 = 2;
        const GREATER: u8 = 4;
        Accept(match op {
            BinaryOp::Eq => EQUAL,
            BinaryOp::Ne => LESS | GREATER,
            BinaryOp::Lt => LESS,
            BinaryOp::Le => LESS | EQUAL,
            BinaryOp::Gt => GREATER,
            _ => GREATER | EQUAL,
        })
    }

    #[inline]
    pub fn holds(self, ordering: Ordering) -> bool {
        self.0 & (1 << (ordering as i8 + 1)) != 0
    }
}

/// A cell against an int: an int as an int, a decimal as a decimal.
#[inline(always)]
pub(crate) fn int_against(cell: &Cell<'_>, constant: i64) -> Option<Ordering> {
    match cell {
        Cell::Int(x) => Some(x.cmp(&constant)),
        Cell::Decimal(x) => Some(x.cmp(&Decimal::from(constant))),
        _ => None,
    }
}

/// A cell against a decimal: a decimal or an int, as decimals.
#[inline(always)]
pub(crate) fn decimal_against(cell: &Cell<'_>, constant: &Decimal) -> Option<Ordering> {
    match cell {
        Cell::Decimal(x) => Some(cmp_decimal(x, constant)),
        Cell::Int(x) => Some(cmp_decimal(&Decimal::from(*x), constant)),
        _ => None,
    }
}

/// A cell against a string, by its bytes (Unicode scalar order).
#[inline(always)]
pub(crate) fn string_against(cell: &Cell<'_>, constant: &str) -> Option<Ordering> {
    match cell {
        Cell::String(x) => Some(x.as_ref().cmp(constant)),
        _ => None,
    }
}

/// A cell against a time given as its [`ordinal::time`].
#[inline(always)]
pub(crate) fn time_against(cell: &Cell<'_>, constant: i64) -> Option<Ordering> {
    match cell {
        Cell::Time(x) => Some(ordinal::time(*x).cmp(&constant)),
        _ => None,
    }
}

/// A cell against a date.
#[inline(always)]
pub(crate) fn date_against(cell: &Cell<'_>, constant: &Date) -> Option<Ordering> {
    match cell {
        Cell::Date(x) => Some(x.cmp(constant)),
        _ => None,
    }
}

/// A cell against a duration.
#[inline(always)]
pub(crate) fn duration_against(cell: &Cell<'_>, constant: &SignedDuration) -> Option<Ordering> {
    match cell {
        Cell::Duration(x) => Some(x.cmp(constant)),
        _ => None,
    }
}

/// A cell against a bool (`false` before `true`; only `==` and `!=` are
/// allowed on bools).
#[inline(always)]
pub(crate) fn bool_against(cell: &Cell<'_>, constant: bool) -> Option<Ordering> {
    match cell {
        Cell::Bool(x) => Some(x.cmp(&constant)),
        _ => None,
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
#[inline]
pub(crate) fn cmp_decimal(x: &Decimal, c: &Decimal) -> Ordering {
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
    use std::borrow::Cow;
    use std::str::FromStr;

    use jiff::civil::Time;

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

    #[test]
    fn ints_and_decimals_compare_as_decimals_and_other_kinds_not_at_all() {
        let two = Cell::Int(2);
        let two_point_five = Cell::Decimal(Decimal::new(25, 1));
        assert_eq!(compare(&two, &two_point_five), Some(Ordering::Less));
        assert_eq!(compare(&two_point_five, &two), Some(Ordering::Greater));
        assert_eq!(
            compare(&Cell::Decimal(Decimal::new(20, 1)), &two),
            Some(Ordering::Equal)
        );
        let text = Cell::String(Cow::Borrowed("2"));
        let time = Cell::Time(Time::constant(7, 30, 0, 0));
        for (a, b) in [
            (&two, &text),
            (&text, &two),
            (&time, &two),
            (&Cell::Missing, &two),
            (&two, &Cell::Missing),
        ] {
            assert_eq!(compare(a, b), None, "{a:?} {b:?}");
        }
        assert!(member(&two, [Cell::Decimal(Decimal::new(20, 1))].iter()));
        assert!(in_range(&two_point_five, &Cell::Int(2), &Cell::Int(3)));
        assert!(!in_range(&Cell::Missing, &Cell::Int(2), &Cell::Int(3)));
    }

    #[test]
    fn accept_holds_for_the_orderings_of_its_operator() {
        use BinaryOp::*;
        for op in [Eq, Ne, Lt, Le, Gt, Ge] {
            for (ordering, a, b) in [
                (Ordering::Less, 1, 2),
                (Ordering::Equal, 2, 2),
                (Ordering::Greater, 3, 2),
            ] {
                let expected = match op {
                    Eq => a == b,
                    Ne => a != b,
                    Lt => a < b,
                    Le => a <= b,
                    Gt => a > b,
                    _ => a >= b,
                };
                assert_eq!(holds(op, ordering), expected, "{op:?} {ordering:?}");
            }
        }
    }
}
