//! The built-in functions (§5 of the contract): the only place one is
//! defined. Each has one row in [`SIGNATURES`] (its name, what it takes,
//! what it gives, and the [`Shape`] tools may reason about) and one arm in
//! [`apply`] (what it computes). The checker, the evaluator, generated
//! code, explain, lint and sample read these and name no function.

use std::borrow::{Borrow, Cow};

use jiff::civil::{Date, Time};
use jiff::SignedDuration;

use super::arith::EvalError;
use super::cell::Cell;
use super::value::{format_date, format_duration, Scalar, Type, Value};

/// A built-in function.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Builtin {
    /// `weekday(date)`: 1 (Monday) to 7 (Sunday).
    Weekday,
    /// `day(date)`: the day of the month.
    Day,
    /// `month(date)`: 1 to 12.
    Month,
    /// `year(date)`.
    Year,
    /// `hour(time)`: 0 to 23.
    Hour,
    /// `minute(time)`: 0 to 59.
    Minute,
    /// `len(string or list)`: characters or items.
    Len,
    /// `lower(string)`.
    Lower,
    /// `upper(string)`.
    Upper,
    /// `contains(string, string)`.
    Contains,
    /// `starts_with(string, string)`.
    StartsWith,
    /// `matches(string, "pattern")`.
    Matches,
    /// `week_start(date)`: the Monday of that ISO week.
    WeekStart,
    /// `month_start(date)`: the first day of that month.
    MonthStart,
}

/// A built-in function as a checked call names it.
#[derive(Clone, Debug)]
pub struct Function {
    pub builtin: Builtin,
    /// The pattern of a function whose last argument is one
    /// ([`Params::StringAndPattern`]), compiled once.
    pub pattern: Option<regex::Regex>,
}

impl Function {
    pub fn name(&self) -> &'static str {
        self.builtin.name()
    }
}

/// What a function takes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Params {
    /// One argument of each of these types.
    Exact(&'static [Scalar]),
    /// One argument: a string or a list.
    StringOrList,
    /// A string, and a pattern written as a string literal.
    StringAndPattern,
}

/// A calendar part of a date or time, which sample draws through masks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Weekday,
    Month,
    Day,
    Minute,
}

/// The arguments whose result lies in `[lo, hi]` (two values of the
/// result's type): one interval `[first, last]` of the argument's type, or
/// `None` when no argument gives such a result.
pub(crate) type Preimage = fn(lo: &Value, hi: &Value) -> Option<(Value, Value)>;

/// What lint and sample may know of a function of one argument, beyond
/// its types.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    /// Nothing: lint takes the call as a variable of its result type,
    /// sample searches.
    Opaque,
    /// A calendar part of the argument, taking every value of `image`.
    Part { part: Part, image: (i64, i64) },
    /// Non-decreasing in its argument, so the arguments whose result lies
    /// in an interval are one interval (`preimage`). `image`: the ints it
    /// gives, every one reached (`None` for a result that is not an int).
    /// `offset`: for a result of the argument's type, the least and the
    /// greatest `result − argument`, both reached and every value between.
    Monotone {
        image: Option<(i64, i64)>,
        preimage: Preimage,
        offset: Option<(i64, i64)>,
    },
    /// Every int of the range, and no other: a count of its argument's
    /// characters or items (sample tries strings of the lengths it is
    /// compared with).
    Image(i64, i64),
    /// Whether the first string holds the second, `Within` it (sample
    /// tries strings that do).
    Holds(Within),
}

/// Where [`Shape::Holds`] looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Within {
    Start,
    Anywhere,
}

/// One built-in function's row.
#[derive(Debug)]
pub(crate) struct Signature {
    pub builtin: Builtin,
    pub name: &'static str,
    pub params: Params,
    pub result: Type,
    pub shape: Shape,
}

/// The years of jiff's calendar (a test holds them to it).
const FIRST_YEAR: i64 = -9999;
const LAST_YEAR: i64 = 9999;

/// Every built-in function, in the order the contract lists them.
pub(crate) static SIGNATURES: &[Signature] = &[
    Signature {
        builtin: Builtin::Weekday,
        name: "weekday",
        params: Params::Exact(&[Scalar::Date]),
        result: Type::INT,
        shape: Shape::Part {
            part: Part::Weekday,
            image: (1, 7),
        },
    },
    Signature {
        builtin: Builtin::Day,
        name: "day",
        params: Params::Exact(&[Scalar::Date]),
        result: Type::INT,
        shape: Shape::Part {
            part: Part::Day,
            image: (1, 31),
        },
    },
    Signature {
        builtin: Builtin::Month,
        name: "month",
        params: Params::Exact(&[Scalar::Date]),
        result: Type::INT,
        shape: Shape::Part {
            part: Part::Month,
            image: (1, 12),
        },
    },
    Signature {
        builtin: Builtin::Year,
        name: "year",
        params: Params::Exact(&[Scalar::Date]),
        result: Type::INT,
        shape: Shape::Monotone {
            image: Some((FIRST_YEAR, LAST_YEAR)),
            preimage: year_preimage,
            offset: None,
        },
    },
    Signature {
        builtin: Builtin::Hour,
        name: "hour",
        params: Params::Exact(&[Scalar::Time]),
        result: Type::INT,
        shape: Shape::Monotone {
            image: Some((0, 23)),
            preimage: hour_preimage,
            offset: None,
        },
    },
    Signature {
        builtin: Builtin::Minute,
        name: "minute",
        params: Params::Exact(&[Scalar::Time]),
        result: Type::INT,
        shape: Shape::Part {
            part: Part::Minute,
            image: (0, 59),
        },
    },
    Signature {
        builtin: Builtin::Len,
        name: "len",
        params: Params::StringOrList,
        result: Type::INT,
        shape: Shape::Image(0, i64::MAX),
    },
    Signature {
        builtin: Builtin::Lower,
        name: "lower",
        params: Params::Exact(&[Scalar::String]),
        result: Type::STRING,
        shape: Shape::Opaque,
    },
    Signature {
        builtin: Builtin::Upper,
        name: "upper",
        params: Params::Exact(&[Scalar::String]),
        result: Type::STRING,
        shape: Shape::Opaque,
    },
    Signature {
        builtin: Builtin::Contains,
        name: "contains",
        params: Params::Exact(&[Scalar::String, Scalar::String]),
        result: Type::BOOL,
        shape: Shape::Holds(Within::Anywhere),
    },
    Signature {
        builtin: Builtin::StartsWith,
        name: "starts_with",
        params: Params::Exact(&[Scalar::String, Scalar::String]),
        result: Type::BOOL,
        shape: Shape::Holds(Within::Start),
    },
    Signature {
        builtin: Builtin::Matches,
        name: "matches",
        params: Params::StringAndPattern,
        result: Type::BOOL,
        shape: Shape::Opaque,
    },
    Signature {
        builtin: Builtin::WeekStart,
        name: "week_start",
        params: Params::Exact(&[Scalar::Date]),
        result: Type::DATE,
        shape: Shape::Monotone {
            image: None,
            preimage: week_preimage,
            offset: Some((-6, 0)),
        },
    },
    Signature {
        builtin: Builtin::MonthStart,
        name: "month_start",
        params: Params::Exact(&[Scalar::Date]),
        result: Type::DATE,
        shape: Shape::Monotone {
            image: None,
            preimage: month_preimage,
            offset: Some((-30, 0)),
        },
    },
];

/// The function called `name`.
pub(crate) fn by_name(name: &str) -> Option<&'static Signature> {
    SIGNATURES.iter().find(|s| s.name == name)
}

/// The names of every function, in the contract's order.
pub(crate) fn names() -> impl Iterator<Item = &'static str> + Clone {
    SIGNATURES.iter().map(|s| s.name)
}

impl Builtin {
    pub(crate) fn signature(self) -> &'static Signature {
        // Every builtin has its row: the unit test below holds the table to it.
        SIGNATURES
            .iter()
            .find(|s| s.builtin == self)
            .unwrap_or(&SIGNATURES[0])
    }

    /// Its name in rules.
    pub fn name(self) -> &'static str {
        self.signature().name
    }
}

/// The value of `function` called with `args`, every one of them an
/// operand (a missing argument makes the call unknown before this);
/// `Ok(None)` for arguments the function does not take (the checker lets
/// none through), `Err` for a result the language has no value for.
pub(crate) fn apply<'a, A: Borrow<Cell<'a>>>(
    function: &Function,
    args: &[A],
) -> Result<Option<Cell<'static>>, EvalError> {
    let arg = |i: usize| args.get(i).map(Borrow::borrow);
    let count = |n: usize| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let (Some(first), second) = (arg(0), arg(1)) else {
        return Ok(None);
    };
    Ok(Some(match (function.builtin, first, second) {
        (Builtin::Weekday, Cell::Date(d), _) => Cell::Int(d.weekday().to_monday_one_offset().into()),
        (Builtin::Day, Cell::Date(d), _) => Cell::Int(d.day().into()),
        (Builtin::Month, Cell::Date(d), _) => Cell::Int(d.month().into()),
        (Builtin::Year, Cell::Date(d), _) => Cell::Int(d.year().into()),
        (Builtin::Hour, Cell::Time(t), _) => Cell::Int(t.hour().into()),
        (Builtin::Minute, Cell::Time(t), _) => Cell::Int(t.minute().into()),
        (Builtin::Len, Cell::String(s), _) => count(s.chars().count()),
        (Builtin::Len, Cell::List(items), _) => count(items.len()),
        (Builtin::Lower, Cell::String(s), _) => Cell::String(Cow::Owned(s.to_lowercase())),
        (Builtin::Upper, Cell::String(s), _) => Cell::String(Cow::Owned(s.to_uppercase())),
        (Builtin::Matches, Cell::String(s), _) => match &function.pattern {
            Some(regex) => Cell::Bool(regex.is_match(s)),
            None => return Ok(None),
        },
        (Builtin::Contains, Cell::String(s), Some(Cell::String(needle))) => {
            Cell::Bool(s.contains(needle.as_ref()))
        }
        (Builtin::StartsWith, Cell::String(s), Some(Cell::String(prefix))) => {
            Cell::Bool(s.starts_with(prefix.as_ref()))
        }
        (Builtin::WeekStart, Cell::Date(d), _) => Cell::Date(week_start(*d)?),
        (Builtin::MonthStart, Cell::Date(d), _) => Cell::Date(d.first_of_month()),
        _ => return Ok(None),
    }))
}

/// The Monday of `date`'s ISO week; an error before the calendar's first
/// Monday.
fn week_start(date: Date) -> Result<Date, EvalError> {
    let back = date.weekday().to_monday_zero_offset();
    date.checked_sub(jiff::Span::new().days(back))
        .map_err(|_| EvalError::DateOutOfRange {
            date: format_date(date),
            op: "-".into(),
            duration: format_duration(SignedDuration::from_hours(24 * i64::from(back))),
        })
}

/// The dates whose week starts in `lo..=hi`: from the first Monday on or
/// after `lo` to the Sunday of `hi`'s week.
fn week_preimage(lo: &Value, hi: &Value) -> Option<(Value, Value)> {
    let (Value::Date(lo), Value::Date(hi)) = (lo, hi) else {
        return None;
    };
    let ahead = (7 - lo.weekday().to_monday_zero_offset()) % 7;
    let first = lo.checked_add(jiff::Span::new().days(ahead)).ok()?;
    let monday = week_start(*hi).ok()?;
    let last = monday.checked_add(jiff::Span::new().days(6)).unwrap_or(Date::MAX);
    (first <= monday).then_some((Value::Date(first), Value::Date(last)))
}

/// The dates whose month starts in `lo..=hi`: from the first first-of-month
/// on or after `lo` to the last day of `hi`'s month.
fn month_preimage(lo: &Value, hi: &Value) -> Option<(Value, Value)> {
    let (Value::Date(lo), Value::Date(hi)) = (lo, hi) else {
        return None;
    };
    let first = if lo.day() == 1 {
        *lo
    } else {
        lo.last_of_month().tomorrow().ok()?
    };
    (first <= *hi).then_some((Value::Date(first), Value::Date(hi.last_of_month())))
}

/// The dates of the years `lo..=hi`.
fn year_preimage(lo: &Value, hi: &Value) -> Option<(Value, Value)> {
    let (Value::Int(lo), Value::Int(hi)) = (lo, hi) else {
        return None;
    };
    let year = |y: i64| i16::try_from(y.clamp(Date::MIN.year().into(), Date::MAX.year().into())).ok();
    let (first, last) = (year(*lo)?, year(*hi)?);
    if lo > hi || *hi < i64::from(Date::MIN.year()) || *lo > i64::from(Date::MAX.year()) {
        return None;
    }
    Some((
        Value::Date(Date::new(first, 1, 1).ok()?),
        Value::Date(Date::new(last, 12, 31).ok()?),
    ))
}

/// The times of the hours `lo..=hi`.
fn hour_preimage(lo: &Value, hi: &Value) -> Option<(Value, Value)> {
    let (Value::Int(lo), Value::Int(hi)) = (lo, hi) else {
        return None;
    };
    let (first, last) = ((*lo).max(0), (*hi).min(23));
    if first > last {
        return None;
    }
    Some((
        Value::Time(Time::new(i8::try_from(first).ok()?, 0, 0, 0).ok()?),
        Value::Time(Time::new(i8::try_from(last).ok()?, 59, 59, 999_999_999).ok()?),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_one_row_and_every_name_one_function() {
        for (i, row) in SIGNATURES.iter().enumerate() {
            assert_eq!(row.builtin.signature().name, row.name);
            assert_eq!(by_name(row.name).map(|s| s.builtin), Some(row.builtin));
            assert!(SIGNATURES[..i].iter().all(|r| r.builtin != row.builtin));
        }
    }

    #[test]
    fn the_years_are_jiffs() {
        assert_eq!(FIRST_YEAR, i64::from(Date::MIN.year()));
        assert_eq!(LAST_YEAR, i64::from(Date::MAX.year()));
    }

    #[test]
    fn preimages_of_year_and_hour_are_whole_periods() {
        let date = |y, m, d| Value::Date(Date::new(y, m, d).unwrap());
        assert_eq!(
            year_preimage(&Value::Int(2021), &Value::Int(2022)),
            Some((date(2021, 1, 1), date(2022, 12, 31)))
        );
        assert_eq!(year_preimage(&Value::Int(2023), &Value::Int(2022)), None);
        assert_eq!(
            hour_preimage(&Value::Int(-5), &Value::Int(0)),
            Some((
                Value::Time(Time::midnight()),
                Value::Time(Time::constant(0, 59, 59, 999_999_999))
            ))
        );
        assert_eq!(hour_preimage(&Value::Int(24), &Value::Int(30)), None);
    }

    #[test]
    fn preimages_of_week_and_month_starts_are_whole_weeks_and_months() {
        let date = |y, m, d| Value::Date(Date::new(y, m, d).unwrap());
        // 2022-02-07 is a Monday.
        assert_eq!(
            week_preimage(&date(2022, 2, 7), &date(2022, 2, 7)),
            Some((date(2022, 2, 7), date(2022, 2, 13)))
        );
        assert_eq!(
            week_preimage(&date(2022, 2, 8), &date(2022, 2, 15)),
            Some((date(2022, 2, 14), date(2022, 2, 20)))
        );
        assert_eq!(week_preimage(&date(2022, 2, 8), &date(2022, 2, 13)), None);
        assert_eq!(
            month_preimage(&date(2024, 2, 1), &date(2024, 2, 1)),
            Some((date(2024, 2, 1), date(2024, 2, 29)))
        );
        assert_eq!(
            month_preimage(&date(2022, 2, 2), &date(2022, 3, 1)),
            Some((date(2022, 3, 1), date(2022, 3, 31)))
        );
        assert_eq!(month_preimage(&date(2022, 2, 2), &date(2022, 2, 28)), None);
        assert!(week_preimage(&Value::Date(Date::MIN), &Value::Date(Date::MAX)).is_some());
        assert!(month_preimage(&Value::Date(Date::MIN), &Value::Date(Date::MAX)).is_some());
    }

    #[test]
    fn week_and_month_starts_stay_in_the_calendar() {
        // -9999-01-01 is a Monday (as 0001-01-01 is, 25 cycles of 400
        // years later), so no week starts before the calendar does.
        for builtin in [Builtin::WeekStart, Builtin::MonthStart] {
            let function = Function {
                builtin,
                pattern: None,
            };
            for d in [Date::MIN, Date::MIN.tomorrow().unwrap(), Date::MAX] {
                assert!(matches!(
                    apply(&function, &[Cell::Date(d)]),
                    Ok(Some(Cell::Date(_)))
                ));
            }
        }
        assert_eq!(week_start(Date::MIN), Ok(Date::MIN));
    }
}
