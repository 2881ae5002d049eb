//! The built-in functions (§5 of the contract) and what each computes.
//!
//! Their signatures are still checked in `check/types.rs`; what a call
//! gives is defined here only.

use std::borrow::{Borrow, Cow};

use super::cell::Cell;

/// A built-in function, as a checked call names it.
#[derive(Clone, Debug)]
pub enum Function {
    Weekday,
    Day,
    Month,
    Year,
    Hour,
    Minute,
    Len,
    Lower,
    Upper,
    Contains,
    StartsWith,
    /// The pattern, compiled once.
    Matches(regex::Regex),
}

impl Function {
    pub fn name(&self) -> &'static str {
        match self {
            Function::Weekday => "weekday",
            Function::Day => "day",
            Function::Month => "month",
            Function::Year => "year",
            Function::Hour => "hour",
            Function::Minute => "minute",
            Function::Len => "len",
            Function::Lower => "lower",
            Function::Upper => "upper",
            Function::Contains => "contains",
            Function::StartsWith => "starts_with",
            Function::Matches(_) => "matches",
        }
    }
}

/// The value of `function` called with `args`, every one of them an
/// operand (a missing argument makes the call unknown before this);
/// `None` for arguments the function does not take (the checker lets none
/// through).
pub(crate) fn apply<'a, A: Borrow<Cell<'a>>>(function: &Function, args: &[A]) -> Option<Cell<'static>> {
    let arg = |i: usize| args.get(i).map(Borrow::borrow);
    let count = |n: usize| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    Some(match (function, arg(0)?) {
        (Function::Weekday, Cell::Date(d)) => Cell::Int(d.weekday().to_monday_one_offset().into()),
        (Function::Day, Cell::Date(d)) => Cell::Int(d.day().into()),
        (Function::Month, Cell::Date(d)) => Cell::Int(d.month().into()),
        (Function::Year, Cell::Date(d)) => Cell::Int(d.year().into()),
        (Function::Hour, Cell::Time(t)) => Cell::Int(t.hour().into()),
        (Function::Minute, Cell::Time(t)) => Cell::Int(t.minute().into()),
        (Function::Len, Cell::String(s)) => count(s.chars().count()),
        (Function::Len, Cell::List(items)) => count(items.len()),
        (Function::Lower, Cell::String(s)) => Cell::String(Cow::Owned(s.to_lowercase())),
        (Function::Upper, Cell::String(s)) => Cell::String(Cow::Owned(s.to_uppercase())),
        (Function::Matches(regex), Cell::String(s)) => Cell::Bool(regex.is_match(s)),
        (Function::Contains, Cell::String(s)) => match arg(1)? {
            Cell::String(needle) => Cell::Bool(s.contains(needle.as_ref())),
            _ => return None,
        },
        (Function::StartsWith, Cell::String(s)) => match arg(1)? {
            Cell::String(prefix) => Cell::Bool(s.starts_with(prefix.as_ref())),
            _ => return None,
        },
        _ => return None,
    })
}
