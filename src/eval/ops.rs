//! Values during evaluation and the operations on them: comparison,
//! arithmetic (checked: overflow is an error, never a wrap) and functions.

use std::borrow::Cow;
use std::cmp::Ordering;

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::{Cell, EvalError};
use crate::check::Function;
use crate::compile::{Const, Domain};
use crate::semantics::ops::BinaryOp;
use crate::semantics::value::{format_date, format_duration, format_time, Type, Value};

/// An evaluation error, boxed so that results stay small on the hot path.
pub(super) type Fault = Box<EvalError>;

/// A value during evaluation; strings are borrowed from the record.
#[derive(Clone, Debug)]
pub(super) enum V<'a> {
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    Str(Cow<'a, str>),
    Time(Time),
    Date(Date),
    Dur(SignedDuration),
    /// A list's length: all that `len` needs.
    ListLen(usize),
}

pub(super) type Eval<'a> = Result<Option<V<'a>>, Fault>;

pub(super) fn borrow(value: &Value) -> V<'_> {
    match value {
        Value::Bool(b) => V::Bool(*b),
        Value::Int(i) => V::Int(*i),
        Value::Decimal(d) => V::Dec(*d),
        Value::String(s) => V::Str(Cow::Borrowed(s)),
        Value::Time(t) => V::Time(*t),
        Value::Date(d) => V::Date(*d),
        Value::Duration(d) => V::Dur(*d),
        Value::List(items) => V::ListLen(items.len()),
        Value::Object => V::Bool(true),
    }
}

pub(super) fn borrow_cell<'r>(cell: &'r Cell<'_>) -> Option<V<'r>> {
    Some(match cell {
        Cell::Bool(b) => V::Bool(*b),
        Cell::Int(i) => V::Int(*i),
        Cell::Decimal(d) => V::Dec(*d),
        Cell::String(s) => V::Str(Cow::Borrowed(s)),
        Cell::Time(t) => V::Time(*t),
        Cell::Date(d) => V::Date(*d),
        Cell::Duration(d) => V::Dur(*d),
        Cell::List(items) => V::ListLen(items.len()),
        Cell::Missing | Cell::Object | Cell::Error(_) => return None,
    })
}

fn as_decimal(v: &V<'_>) -> Option<Decimal> {
    match v {
        V::Int(i) => Some(Decimal::from(*i)),
        V::Dec(d) => Some(*d),
        _ => None,
    }
}

/// Orders two values of one comparison domain.
pub(super) fn compare(domain: Domain, a: &V<'_>, b: &V<'_>) -> Option<Ordering> {
    match (domain, a, b) {
        (Domain::Int, V::Int(x), V::Int(y)) => Some(x.cmp(y)),
        (Domain::Decimal, x, y) => Some(as_decimal(x)?.cmp(&as_decimal(y)?)),
        (Domain::String, V::Str(x), V::Str(y)) => Some(x.as_ref().cmp(y.as_ref())),
        (Domain::Time, V::Time(x), V::Time(y)) => Some(x.cmp(y)),
        (Domain::Date, V::Date(x), V::Date(y)) => Some(x.cmp(y)),
        (Domain::Duration, V::Dur(x), V::Dur(y)) => Some(x.cmp(y)),
        (Domain::Bool, V::Bool(x), V::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

pub(super) fn holds(op: BinaryOp, ordering: Ordering) -> bool {
    match op {
        BinaryOp::Eq => ordering == Ordering::Equal,
        BinaryOp::Ne => ordering != Ordering::Equal,
        BinaryOp::Lt => ordering == Ordering::Less,
        BinaryOp::Le => ordering != Ordering::Greater,
        BinaryOp::Gt => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    }
}

pub(super) fn overflow(op: BinaryOp) -> Fault {
    Box::new(EvalError::Overflow {
        op: op.as_str().into(),
    })
}

pub(super) fn arithmetic<'a>(op: BinaryOp, result: Type, a: V<'a>, b: V<'a>) -> Result<V<'a>, Fault> {
    use BinaryOp::*;
    Ok(match (a, b) {
        (V::Int(x), V::Int(y)) if result == Type::INT => V::Int(
            match op {
                Add => x.checked_add(y),
                Sub => x.checked_sub(y),
                _ => x.checked_mul(y),
            }
            .ok_or_else(|| overflow(op))?,
        ),
        (x @ (V::Int(_) | V::Dec(_)), y @ (V::Int(_) | V::Dec(_))) => {
            let (x, y) = (
                as_decimal(&x).ok_or_else(|| overflow(op))?,
                as_decimal(&y).ok_or_else(|| overflow(op))?,
            );
            if op == Div && y.is_zero() {
                return Err(Box::new(EvalError::DivisionByZero));
            }
            V::Dec(
                match op {
                    Add => x.checked_add(y),
                    Sub => x.checked_sub(y),
                    Mul => x.checked_mul(y),
                    _ => x.checked_div(y),
                }
                .ok_or_else(|| overflow(op))?,
            )
        }
        (V::Time(x), V::Time(y)) => V::Dur(x.duration_since(y)),
        (V::Date(x), V::Date(y)) => V::Dur(x.duration_since(y)),
        (V::Time(t), V::Dur(d)) | (V::Dur(d), V::Time(t)) => {
            let moved = if op == Sub {
                t.checked_sub(d)
            } else {
                t.checked_add(d)
            };
            V::Time(moved.map_err(|_| {
                Box::new(EvalError::TimeOutOfDay {
                    time: format_time(t),
                    op: op.as_str().into(),
                    duration: format_duration(d),
                })
            })?)
        }
        (V::Date(t), V::Dur(d)) | (V::Dur(d), V::Date(t)) => {
            if d.as_secs() % 86_400 != 0 || d.subsec_nanos() != 0 {
                return Err(Box::new(EvalError::NotWholeDays {
                    duration: format_duration(d),
                }));
            }
            let moved = if op == Sub {
                t.checked_sub(d)
            } else {
                t.checked_add(d)
            };
            V::Date(moved.map_err(|_| {
                Box::new(EvalError::DateOutOfRange {
                    date: format_date(t),
                    op: op.as_str().into(),
                    duration: format_duration(d),
                })
            })?)
        }
        (V::Dur(d), V::Int(factor)) | (V::Int(factor), V::Dur(d)) if op == Mul => {
            V::Dur(crate::semantics::value::duration_times(d, factor).ok_or_else(|| overflow(op))?)
        }
        (V::Dur(x), V::Dur(y)) => V::Dur(
            if op == Sub {
                x.checked_sub(y)
            } else {
                x.checked_add(y)
            }
            .ok_or_else(|| overflow(op))?,
        ),
        _ => return Err(overflow(op)),
    })
}

pub(super) fn member<'v>(domain: Domain, element: &V<'_>, mut items: impl Iterator<Item = V<'v>>) -> bool {
    items.any(|item| compare(domain, element, &item) == Some(Ordering::Equal))
}

pub(super) fn call<'a>(function: &Function, args: Vec<V<'a>>) -> Option<V<'a>> {
    let mut args = args.into_iter();
    let first = args.next()?;
    Some(match (function, first) {
        (Function::Weekday, V::Date(d)) => V::Int(d.weekday().to_monday_one_offset().into()),
        (Function::Day, V::Date(d)) => V::Int(d.day().into()),
        (Function::Month, V::Date(d)) => V::Int(d.month().into()),
        (Function::Year, V::Date(d)) => V::Int(d.year().into()),
        (Function::Hour, V::Time(t)) => V::Int(t.hour().into()),
        (Function::Minute, V::Time(t)) => V::Int(t.minute().into()),
        (Function::Len, V::Str(s)) => V::Int(s.chars().count() as i64),
        (Function::Len, V::ListLen(n)) => V::Int(n as i64),
        (Function::Lower, V::Str(s)) => V::Str(Cow::Owned(s.to_lowercase())),
        (Function::Upper, V::Str(s)) => V::Str(Cow::Owned(s.to_uppercase())),
        (Function::Matches(regex), V::Str(s)) => V::Bool(regex.is_match(&s)),
        (Function::Contains, V::Str(s)) => match args.next()? {
            V::Str(needle) => V::Bool(s.contains(needle.as_ref())),
            _ => return None,
        },
        (Function::StartsWith, V::Str(s)) => match args.next()? {
            V::Str(prefix) => V::Bool(s.starts_with(prefix.as_ref())),
            _ => return None,
        },
        _ => return None,
    })
}

/// `cell OP constant` without building values: the commonest check.
/// `None` when the cell holds no value (missing).
pub(super) fn compare_const(cell: &Cell<'_>, op: BinaryOp, constant: &Const) -> Option<bool> {
    let ordering = match (cell, constant) {
        (Cell::Int(x), Const::Int(c)) => x.cmp(c),
        (Cell::Int(x), Const::Decimal(c)) => Decimal::from(*x).cmp(c),
        (Cell::Decimal(x), Const::Decimal(c)) => x.cmp(c),
        (Cell::Decimal(x), Const::Int(c)) => x.cmp(&Decimal::from(*c)),
        (Cell::String(x), Const::String(c)) => x.as_ref().cmp(c.as_ref()),
        (Cell::Time(x), Const::Time(c)) => x.cmp(c),
        (Cell::Date(x), Const::Date(c)) => x.cmp(c),
        (Cell::Duration(x), Const::Duration(c)) => x.cmp(c),
        (Cell::Bool(x), Const::Bool(c)) => x.cmp(c),
        _ => return None,
    };
    Some(holds(op, ordering))
}
