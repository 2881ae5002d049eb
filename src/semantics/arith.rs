//! Arithmetic (§3): which operations exist and the type of their result,
//! and computing them, checked: an overflow, a division by zero, a time
//! moved out of its day or a date off the calendar is an [`EvalError`],
//! never a wrapped or clamped value.

use jiff::SignedDuration;
use rust_decimal::Decimal;
use serde::Serialize;

use super::cell::Cell;
use super::compare::common_type;
use super::ops::BinaryOp;
use super::ordinal;
use super::value::{format_date, format_duration, format_time, Scalar, Type};

/// Why evaluating a rule failed for a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EvalError {
    /// `/` by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// A result too large for its type (an int beyond 64 bits, a decimal
    /// beyond 28 digits, a duration beyond jiff's range).
    #[error("arithmetic overflow in `{op}`")]
    Overflow {
        /// The operator, as written.
        op: String,
    },
    /// A time moved by a duration past midnight: times are of one day.
    #[error("{time} {op} {duration} leaves the day (00:00–23:59:59)")]
    TimeOutOfDay {
        /// The time.
        time: String,
        /// `+` or `-`.
        op: String,
        /// The duration.
        duration: String,
    },
    /// A date moved by a duration that is not whole days.
    #[error("a date can only move by whole days, not by {duration}")]
    NotWholeDays {
        /// The duration.
        duration: String,
    },
    /// A date moved (or computed) past the years jiff knows (-9999 to 9999).
    #[error("{date} {op} {duration} leaves the calendar")]
    DateOutOfRange {
        /// The date.
        date: String,
        /// The operator or function.
        op: String,
        /// The duration.
        duration: String,
    },
}

fn overflow(op: BinaryOp) -> EvalError {
    EvalError::Overflow {
        op: op.as_str().into(),
    }
}

/// The type of `lhs op rhs` for an arithmetic operator; `None` where the
/// operation is not defined. An int divided by an int is a decimal.
pub(crate) fn result_type(op: BinaryOp, lhs: Type, rhs: Type) -> Option<Type> {
    use BinaryOp::*;
    let numeric = |t: Type| t.scalar().is_some_and(Scalar::is_numeric);
    match (op, lhs, rhs) {
        (Div, Type::INT, Type::INT) => Some(Type::DECIMAL),
        (Add | Sub | Mul | Div, l, r) if numeric(l) && numeric(r) => common_type(l, r),
        (Sub, Type::TIME, Type::TIME) | (Sub, Type::DATE, Type::DATE) => Some(Type::DURATION),
        (Add | Sub, Type::TIME, Type::DURATION) | (Add, Type::DURATION, Type::TIME) => Some(Type::TIME),
        (Add | Sub, Type::DATE, Type::DURATION) | (Add, Type::DURATION, Type::DATE) => Some(Type::DATE),
        (Add | Sub, Type::DURATION, Type::DURATION) => Some(Type::DURATION),
        (Mul, Type::DURATION, Type::INT) | (Mul, Type::INT, Type::DURATION) => Some(Type::DURATION),
        _ => None,
    }
}

/// What an operand of unknown type must be for `op` to be defined, given
/// the other operand's type (`known`, on the right when `unknown_is_left`)
/// and, maybe, the type the whole operation is expected to have: the
/// inverse of [`result_type`], for inference.
pub(crate) fn operand_type(
    op: BinaryOp,
    known: Type,
    unknown_is_left: bool,
    expected: Option<Type>,
) -> Option<Type> {
    use BinaryOp::*;
    if known.scalar().is_some_and(Scalar::is_numeric) {
        // `n * 30m` and `d * 5` where a duration is expected: an int times
        // a duration.
        if op == Mul && known == Type::INT && expected == Some(Type::DURATION) {
            return Some(Type::DURATION);
        }
        return Some(known);
    }
    let temporal = |t: Option<Type>| t.filter(|t| matches!(*t, Type::TIME | Type::DATE | Type::DURATION));
    match (op, known, unknown_is_left) {
        (Add, Type::DURATION, _) => temporal(expected),
        (Add, Type::TIME | Type::DATE, _) => Some(Type::DURATION),
        (Mul, Type::DURATION, _) => Some(Type::INT),
        (Sub, Type::DURATION, true) => temporal(expected),
        (Sub, Type::DURATION, false) => Some(Type::DURATION),
        (Sub, Type::TIME | Type::DATE, true) => (expected == Some(Type::DURATION)).then_some(known),
        (Sub, Type::TIME | Type::DATE, false) => match expected {
            Some(Type::DURATION) => Some(known),
            Some(t) if t == known => Some(Type::DURATION),
            _ => None,
        },
        _ => None,
    }
}

fn as_decimal(cell: &Cell<'_>) -> Option<Decimal> {
    match cell {
        Cell::Int(i) => Some(Decimal::from(*i)),
        Cell::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// `a op b`, where `result` is the type [`result_type`] gave it. Operands
/// of kinds the operation does not take (the checker lets none through)
/// are an overflow.
pub(crate) fn apply(
    op: BinaryOp,
    result: Type,
    a: &Cell<'_>,
    b: &Cell<'_>,
) -> Result<Cell<'static>, EvalError> {
    use BinaryOp::*;
    Ok(match (a, b) {
        (Cell::Int(x), Cell::Int(y)) if result == Type::INT => Cell::Int(
            match op {
                Add => x.checked_add(*y),
                Sub => x.checked_sub(*y),
                _ => x.checked_mul(*y),
            }
            .ok_or_else(|| overflow(op))?,
        ),
        (Cell::Int(_) | Cell::Decimal(_), Cell::Int(_) | Cell::Decimal(_)) => {
            let (x, y) = (
                as_decimal(a).ok_or_else(|| overflow(op))?,
                as_decimal(b).ok_or_else(|| overflow(op))?,
            );
            if op == Div && y.is_zero() {
                return Err(EvalError::DivisionByZero);
            }
            Cell::Decimal(
                match op {
                    Add => x.checked_add(y),
                    Sub => x.checked_sub(y),
                    Mul => x.checked_mul(y),
                    _ => x.checked_div(y),
                }
                .ok_or_else(|| overflow(op))?,
            )
        }
        (Cell::Time(x), Cell::Time(y)) => Cell::Duration(x.duration_since(*y)),
        (Cell::Date(x), Cell::Date(y)) => Cell::Duration(x.duration_since(*y)),
        (Cell::Time(t), Cell::Duration(d)) | (Cell::Duration(d), Cell::Time(t)) => {
            let moved = if op == Sub {
                t.checked_sub(*d)
            } else {
                t.checked_add(*d)
            };
            Cell::Time(moved.map_err(|_| EvalError::TimeOutOfDay {
                time: format_time(*t),
                op: op.as_str().into(),
                duration: format_duration(*d),
            })?)
        }
        (Cell::Date(t), Cell::Duration(d)) | (Cell::Duration(d), Cell::Date(t)) => {
            if d.as_secs() % 86_400 != 0 || d.subsec_nanos() != 0 {
                return Err(EvalError::NotWholeDays {
                    duration: format_duration(*d),
                });
            }
            let moved = if op == Sub {
                t.checked_sub(*d)
            } else {
                t.checked_add(*d)
            };
            Cell::Date(moved.map_err(|_| EvalError::DateOutOfRange {
                date: format_date(*t),
                op: op.as_str().into(),
                duration: format_duration(*d),
            })?)
        }
        (Cell::Duration(d), Cell::Int(factor)) | (Cell::Int(factor), Cell::Duration(d)) if op == Mul => {
            Cell::Duration(duration_times(*d, *factor).ok_or_else(|| overflow(op))?)
        }
        (Cell::Duration(x), Cell::Duration(y)) => Cell::Duration(
            if op == Sub {
                x.checked_sub(*y)
            } else {
                x.checked_add(*y)
            }
            .ok_or_else(|| overflow(op))?,
        ),
        _ => return Err(overflow(op)),
    })
}

/// `-a` of an int, a decimal or a duration; `None` for another kind.
pub(crate) fn negate(a: &Cell<'_>) -> Option<Result<Cell<'static>, EvalError>> {
    let negated = match a {
        Cell::Int(i) => i.checked_neg().map(Cell::Int),
        Cell::Decimal(d) => Some(Cell::Decimal(-*d)),
        Cell::Duration(d) => d.checked_neg().map(Cell::Duration),
        _ => return None,
    };
    Some(negated.ok_or_else(|| overflow(BinaryOp::Sub)))
}

/// `duration * int` (and `int * duration`): `None` where the product is
/// past the longest duration (an overflow).
fn duration_times(d: SignedDuration, factor: i64) -> Option<SignedDuration> {
    ordinal::duration_at(ordinal::duration(d).checked_mul(i128::from(factor))?)
}

#[cfg(test)]
mod tests {
    use jiff::civil::{Date, Time};

    use super::*;

    #[test]
    fn results_are_checked() {
        let max = Cell::Int(i64::MAX);
        assert_eq!(
            apply(BinaryOp::Add, Type::INT, &max, &Cell::Int(1)),
            Err(overflow(BinaryOp::Add))
        );
        assert_eq!(
            apply(BinaryOp::Div, Type::DECIMAL, &Cell::Int(1), &Cell::Int(0)),
            Err(EvalError::DivisionByZero)
        );
        assert_eq!(
            apply(BinaryOp::Div, Type::DECIMAL, &Cell::Int(1), &Cell::Int(4)),
            Ok(Cell::Decimal(Decimal::new(25, 2)))
        );
        let late = Cell::Time(Time::constant(23, 0, 0, 0));
        let two_hours = Cell::Duration(SignedDuration::from_hours(2));
        assert!(matches!(
            apply(BinaryOp::Add, Type::TIME, &late, &two_hours),
            Err(EvalError::TimeOutOfDay { .. })
        ));
        let day = Cell::Date(Date::constant(2022, 2, 9));
        assert!(matches!(
            apply(BinaryOp::Add, Type::DATE, &day, &two_hours),
            Err(EvalError::NotWholeDays { .. })
        ));
        assert_eq!(
            apply(BinaryOp::Mul, Type::DURATION, &Cell::Int(3), &two_hours),
            Ok(Cell::Duration(SignedDuration::from_hours(6)))
        );
        assert_eq!(
            apply(
                BinaryOp::Mul,
                Type::DURATION,
                &Cell::Duration(SignedDuration::MAX),
                &Cell::Int(2)
            ),
            Err(overflow(BinaryOp::Mul))
        );
        assert_eq!(negate(&Cell::Int(i64::MIN)), Some(Err(overflow(BinaryOp::Sub))));
        assert_eq!(negate(&Cell::Bool(true)), None);
    }

    #[test]
    fn result_types_follow_the_contract() {
        use BinaryOp::*;
        assert_eq!(result_type(Div, Type::INT, Type::INT), Some(Type::DECIMAL));
        assert_eq!(result_type(Add, Type::INT, Type::DECIMAL), Some(Type::DECIMAL));
        assert_eq!(result_type(Sub, Type::DATE, Type::DATE), Some(Type::DURATION));
        assert_eq!(result_type(Add, Type::DURATION, Type::TIME), Some(Type::TIME));
        assert_eq!(result_type(Sub, Type::DURATION, Type::TIME), None);
        assert_eq!(result_type(Mul, Type::INT, Type::DURATION), Some(Type::DURATION));
        assert_eq!(result_type(Mul, Type::DATE, Type::INT), None);
        assert_eq!(result_type(Add, Type::STRING, Type::STRING), None);
    }
}
