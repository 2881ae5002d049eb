//! Types and values shared by every stage: what a field can hold, and the
//! text forms of times, dates and durations (the same in rules and records).

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// The type of a scalar value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scalar {
    Bool,
    Int,
    Decimal,
    String,
    Time,
    Date,
    Duration,
}

/// The type of a field or an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Scalar(Scalar),
    /// A JSON array whose elements are all of one scalar type.
    List(Scalar),
}

impl Scalar {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scalar::Bool => "bool",
            Scalar::Int => "int",
            Scalar::Decimal => "decimal",
            Scalar::String => "string",
            Scalar::Time => "time",
            Scalar::Date => "date",
            Scalar::Duration => "duration",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Scalar> {
        Some(match name {
            "bool" => Scalar::Bool,
            "int" => Scalar::Int,
            "decimal" => Scalar::Decimal,
            "string" => Scalar::String,
            "time" => Scalar::Time,
            "date" => Scalar::Date,
            "duration" => Scalar::Duration,
            _ => return None,
        })
    }

    /// Whether `<` and friends are defined (bool has only `==` and `!=`).
    pub(crate) fn is_ordered(self) -> bool {
        self != Scalar::Bool
    }

    pub(crate) fn is_numeric(self) -> bool {
        matches!(self, Scalar::Int | Scalar::Decimal)
    }
}

impl Type {
    pub const BOOL: Type = Type::Scalar(Scalar::Bool);
    pub const INT: Type = Type::Scalar(Scalar::Int);
    pub const DECIMAL: Type = Type::Scalar(Scalar::Decimal);
    pub const STRING: Type = Type::Scalar(Scalar::String);
    pub const TIME: Type = Type::Scalar(Scalar::Time);
    pub const DATE: Type = Type::Scalar(Scalar::Date);
    pub const DURATION: Type = Type::Scalar(Scalar::Duration);

    pub(crate) fn scalar(self) -> Option<Scalar> {
        match self {
            Type::Scalar(s) => Some(s),
            Type::List(_) => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Scalar(s) => f.write_str(s.name()),
            Type::List(s) => write!(f, "list[{}]", s.name()),
        }
    }
}

impl Serialize for Type {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A value read from a record or computed by a rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    String(String),
    Time(Time),
    Date(Date),
    Duration(SignedDuration),
    List(Vec<Value>),
    /// A JSON object in a field that no rule gives a type: only its presence
    /// matters.
    Object,
}

impl Value {
    /// The value's type: `None` for an object, and for a list that is
    /// empty or holds elements of more than one type.
    pub fn ty(&self) -> Option<Type> {
        Some(match self {
            Value::Bool(_) => Type::BOOL,
            Value::Int(_) => Type::INT,
            Value::Decimal(_) => Type::DECIMAL,
            Value::String(_) => Type::STRING,
            Value::Time(_) => Type::TIME,
            Value::Date(_) => Type::DATE,
            Value::Duration(_) => Type::DURATION,
            Value::List(items) => {
                let mut scalars = items.iter().map(|item| item.ty().and_then(Type::scalar));
                let first = scalars.next()??;
                if !scalars.all(|s| s == Some(first)) {
                    return None;
                }
                Type::List(first)
            }
            Value::Object => return None,
        })
    }
}

/// Messages and reports print times as `HH:MM` (`HH:MM:SS` with seconds),
/// dates as `YYYY-MM-DD` and durations in the literal form (`1h30m`).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{}", d.normalize()),
            Value::String(s) => f.write_str(s),
            Value::Time(t) => f.write_str(&format_time(*t)),
            Value::Date(d) => f.write_str(&format_date(*d)),
            Value::Duration(d) => f.write_str(&format_duration(*d)),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object => f.write_str("{…}"),
        }
    }
}

/// Records in JSON reports show a value as JSON: numbers and booleans as
/// themselves, everything else in its printed form.
///
/// A decimal is written with every digit it holds, as messages print it:
/// through serde_json's `RawValue`, since an f64 between would keep only
/// about 17 digits of a decimal's 28. serde_json writes it as a JSON
/// number; a serializer of another format sees serde_json's raw-value
/// struct (a record read from a struct by [`crate::Checker`] reads it as
/// the number it holds).
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Decimal(d) => {
                let digits = d.normalize().to_string();
                match serde_json::value::RawValue::from_string(digits) {
                    Ok(number) => number.serialize(serializer),
                    // Never: a decimal prints as a JSON number.
                    Err(_) => serializer.collect_str(&d.normalize()),
                }
            }
            Value::List(items) => items.serialize(serializer),
            other => serializer.collect_str(other),
        }
    }
}

/// The int that a JSON number handed over as a float stands for, if any:
/// JSON's `-0` is the integer 0, but serde_json gives it as the float -0.0
/// (its integers have no negative zero). The text `-0.0` gives the same
/// float, so it reads as 0 too; any other float, `0.0` included, was
/// written with a fraction, and is not an int.
#[inline]
pub(crate) fn int_of_json_float(v: f64) -> Option<i64> {
    (v == 0.0 && v.is_sign_negative()).then_some(0)
}

/// A time of day as one number that orders as the time does: comparing
/// two is one instruction, where `Time`'s own order compares field by field.
#[inline]
pub(crate) fn time_order(t: Time) -> i64 {
    let seconds = (i64::from(t.hour()) * 60 + i64::from(t.minute())) * 60 + i64::from(t.second());
    seconds * 1_000_000_000 + i64::from(t.subsec_nanosecond())
}

/// A date as one number that orders as the date does (see [`time_order`]).
#[inline]
pub(crate) fn date_order(d: Date) -> i32 {
    (i32::from(d.year()) * 16 + i32::from(d.month())) * 32 + i32::from(d.day())
}

/// The time whose [`time_order`] is `order`.
pub(crate) fn time_of_order(order: i64) -> Option<Time> {
    let nanos = i32::try_from(order % 1_000_000_000).ok()?;
    let seconds = order / 1_000_000_000;
    let hour = i8::try_from(seconds / 3600).ok()?;
    let minute = i8::try_from(seconds / 60 % 60).ok()?;
    let second = i8::try_from(seconds % 60).ok()?;
    Time::new(hour, minute, second, nanos).ok()
}

/// The year, month and day a [`date_order`] is made of. The number is
/// (year × 16 + month) × 32 + day, so shifts undo it, negative years
/// included.
#[inline]
pub(crate) fn date_order_parts(order: i32) -> (i32, i32, i32) {
    (order >> 9, (order >> 5) & 15, order & 31)
}

/// The date whose [`date_order`] is `order`.
pub(crate) fn date_of_order(order: i32) -> Option<Date> {
    let (year, month, day) = date_order_parts(order);
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

pub(crate) fn format_time(t: Time) -> String {
    if t.second() == 0 {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

pub(crate) fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `duration * int` (and `int * duration`, §3): `None` where the product
/// is past the longest duration (an overflow). The one definition that
/// evaluation, generated code and the sampler's interpreter all use.
pub(crate) fn duration_times(d: SignedDuration, factor: i64) -> Option<SignedDuration> {
    const NANOS_PER_SECOND: i128 = 1_000_000_000;
    let nanos = d.as_nanos().checked_mul(i128::from(factor))?;
    let seconds = i64::try_from(nanos / NANOS_PER_SECOND).ok()?;
    // Less than a second, of the sign of `seconds`: `new` has nothing to
    // carry into them, so it cannot overflow.
    let subsecond = i32::try_from(nanos % NANOS_PER_SECOND).ok()?;
    Some(SignedDuration::new(seconds, subsecond))
}

pub(crate) fn format_duration(d: SignedDuration) -> String {
    let total = d.as_secs();
    if total == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    if total < 0 {
        out.push('-');
    }
    let mut rest = total.unsigned_abs();
    for (unit, secs) in [('d', 86_400u64), ('h', 3_600), ('m', 60), ('s', 1)] {
        let n = rest / secs;
        rest %= secs;
        if n > 0 {
            out.push_str(&n.to_string());
            out.push(unit);
        }
    }
    out
}

/// `H:MM`, `HH:MM` or `HH:MM:SS`, a real time of day.
pub fn parse_time(text: &str) -> Option<Time> {
    let (hour, rest) = match text.as_bytes() {
        [h, b':', rest @ ..] => (digit(*h)?, rest),
        [h0, h1, b':', rest @ ..] => (two_digits(*h0, *h1)?, rest),
        _ => return None,
    };
    let (minute, second) = match *rest {
        [m0, m1] => (two_digits(m0, m1)?, 0),
        [m0, m1, b':', s0, s1] => (two_digits(m0, m1)?, two_digits(s0, s1)?),
        _ => return None,
    };
    Time::new(hour, minute, second, 0).ok()
}

/// The time of day that `7h30`, `7g30` (giờ) or `7.30` stands for, as
/// people write times in Vietnamese documents: `07:30`, for a "did you
/// mean". `separators` are the characters allowed between the hour (one or
/// two digits, 0–23) and the minutes (two digits, 00–59).
pub(crate) fn time_written_otherwise(text: &str, separators: &[char]) -> Option<String> {
    let (hour, minutes) = text.split_once(separators)?;
    if !(1..=2).contains(&hour.len()) || minutes.len() != 2 {
        return None;
    }
    parse_time(&format!("{hour}:{minutes}")).map(format_time)
}

/// Exactly `YYYY-MM-DD`, a real calendar date.
pub fn parse_date(text: &str) -> Option<Date> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = text.as_bytes() else {
        return None;
    };
    let year = i16::from(two_digits(y0, y1)?) * 100 + i16::from(two_digits(y2, y3)?);
    Date::new(year, two_digits(m0, m1)?, two_digits(d0, d1)?).ok()
}

fn digit(c: u8) -> Option<i8> {
    let d = c.wrapping_sub(b'0');
    (d <= 9).then_some(d as i8)
}

fn two_digits(tens: u8, ones: u8) -> Option<i8> {
    Some(digit(tens)? * 10 + digit(ones)?)
}

/// `8h`, `30m`, `1h30m`, `45s`, `2d`: units in the order d, h, m, s, each at
/// most once; a leading `-` for a negative duration.
pub fn parse_duration(text: &str) -> Option<SignedDuration> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if body.is_empty() {
        return None;
    }
    let units = [('d', 86_400i64), ('h', 3_600), ('m', 60), ('s', 1)];
    let mut next_unit = 0;
    let mut total: i64 = 0;
    let mut digits_start = 0;
    for (i, c) in body.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        let position = units[next_unit..].iter().position(|(u, _)| *u == c)?;
        let (_, secs) = units[next_unit + position];
        next_unit += position + 1;
        let digits = &body[digits_start..i];
        if digits.is_empty() {
            return None;
        }
        let n: i64 = digits.parse().ok()?;
        total = total.checked_add(n.checked_mul(secs)?)?;
        digits_start = i + 1;
    }
    if digits_start != body.len() {
        return None;
    }
    let total = if negative { total.checked_neg()? } else { total };
    Some(SignedDuration::from_secs(total))
}

/// A decimal from its text, exactly (`1.5`, `-0.25`, `8`).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str_exact(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_written_with_h_g_or_a_point_are_recognised_within_a_day() {
        let letters = &['h', 'H', 'g', 'G'];
        for (text, time) in [
            ("7h30", "07:30"),
            ("7g30", "07:30"),
            ("07h30", "07:30"),
            ("7H30", "07:30"),
        ] {
            assert_eq!(
                time_written_otherwise(text, letters).as_deref(),
                Some(time),
                "{text}"
            );
        }
        assert_eq!(time_written_otherwise("17g05", letters).as_deref(), Some("17:05"));
        assert_eq!(time_written_otherwise("0h00", letters).as_deref(), Some("00:00"));
        assert_eq!(time_written_otherwise("23h59", letters).as_deref(), Some("23:59"));
        for text in [
            "24h00", "7h60", "7h3", "7h300", "123h30", "h30", "7h", "7x30", "7h3a", "7.30", "-7h30",
        ] {
            assert_eq!(time_written_otherwise(text, letters), None, "{text}");
        }
        assert_eq!(time_written_otherwise("7.30", &['.']).as_deref(), Some("07:30"));
        assert_eq!(time_written_otherwise("7.75", &['.']), None);
    }

    #[test]
    fn time_and_date_orders_are_those_of_times_and_dates() {
        let times: Vec<Time> = [
            (0, 0, 0, 0),
            (0, 0, 0, 1),
            (7, 29, 59, 999_999_999),
            (7, 30, 0, 0),
            (7, 30, 1, 0),
        ]
        .into_iter()
        .chain([(12, 0, 0, 0), (23, 59, 59, 0), (23, 59, 59, 999_999_999)])
        .map(|(h, m, s, n)| Time::constant(h, m, s, n))
        .collect();
        for a in &times {
            for b in &times {
                assert_eq!(time_order(*a).cmp(&time_order(*b)), a.cmp(b), "{a} {b}");
            }
        }
        let dates: Vec<Date> = [
            (-9999, 1, 1),
            (-1, 12, 31),
            (0, 1, 1),
            (2022, 2, 28),
            (2022, 3, 1),
        ]
        .into_iter()
        .chain([(2022, 3, 31), (2022, 12, 31), (2023, 1, 1), (9999, 12, 31)])
        .map(|(y, m, d)| Date::constant(y, m, d))
        .collect();
        for a in &dates {
            for b in &dates {
                assert_eq!(date_order(*a).cmp(&date_order(*b)), a.cmp(b), "{a} {b}");
            }
        }
        // And each number gives its time or date back.
        for t in &times {
            assert_eq!(time_of_order(time_order(*t)), Some(*t));
        }
        for d in &dates {
            assert_eq!(date_of_order(date_order(*d)), Some(*d));
        }
    }

    #[test]
    fn times_accept_one_digit_hours_and_seconds() {
        assert_eq!(parse_time("7:30"), Some(Time::constant(7, 30, 0, 0)));
        assert_eq!(parse_time("17:00:30"), Some(Time::constant(17, 0, 30, 0)));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("7h30"), None);
        assert_eq!(parse_time("07:3"), None);
        assert_eq!(parse_time("07:30:"), None);
        assert_eq!(parse_time("123:00"), None);
        assert_eq!(parse_time(":30"), None);
        assert_eq!(parse_time("07:30:60"), None);
    }

    #[test]
    fn dates_must_be_real_and_exact() {
        assert!(parse_date("2022-02-09").is_some());
        assert_eq!(parse_date("2022-02-30"), None);
        assert_eq!(parse_date("2022-2-09"), None);
        assert_eq!(parse_date("20220209"), None);
    }

    #[test]
    fn durations_parse_and_print_in_literal_form() {
        assert_eq!(parse_duration("1h30m"), Some(SignedDuration::from_mins(90)));
        assert_eq!(parse_duration("2d"), Some(SignedDuration::from_hours(48)));
        assert_eq!(parse_duration("30m1h"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(format_duration(SignedDuration::from_mins(90)), "1h30m");
        assert_eq!(format_duration(SignedDuration::from_secs(-45)), "-45s");
    }
}
