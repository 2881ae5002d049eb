//! Types and values shared by every stage: what a field can hold, the text
//! forms of times, dates and durations (the same in rules and records), and
//! the number a JSON float stands for in an int or a decimal field.

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// The type of a scalar value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scalar {
    /// `true` or `false`.
    Bool,
    /// A 64-bit signed integer.
    Int,
    /// An exact decimal of up to 28 significant digits.
    Decimal,
    /// UTF-8 text.
    String,
    /// A time of day, `07:30` or `07:30:15`.
    Time,
    /// A calendar date, `2022-02-09`.
    Date,
    /// A signed length of time, `1h30m`.
    Duration,
}

/// The type of a field or an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// One value.
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
    /// `bool`.
    pub const BOOL: Type = Type::Scalar(Scalar::Bool);
    /// `int`.
    pub const INT: Type = Type::Scalar(Scalar::Int);
    /// `decimal`.
    pub const DECIMAL: Type = Type::Scalar(Scalar::Decimal);
    /// `string`.
    pub const STRING: Type = Type::Scalar(Scalar::String);
    /// `time`.
    pub const TIME: Type = Type::Scalar(Scalar::Time);
    /// `date`.
    pub const DATE: Type = Type::Scalar(Scalar::Date);
    /// `duration`.
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
    /// A bool.
    Bool(bool),
    /// An int.
    Int(i64),
    /// A decimal, exact.
    Decimal(Decimal),
    /// A string.
    String(String),
    /// A time of day.
    Time(Time),
    /// A date.
    Date(Date),
    /// A duration.
    Duration(SignedDuration),
    /// A list of values of one type.
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

/// How the reports written for people print a date: the language's own
/// `YYYY-MM-DD` (what messages, JSON and English reports print), or
/// `DD/MM/YYYY`, as Vietnamese documents write it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateStyle {
    /// `2022-02-09`.
    #[default]
    Iso,
    /// `09/02/2022`.
    DayMonthYear,
}

impl DateStyle {
    /// `date` in this style.
    pub fn format(self, date: Date) -> String {
        match self {
            DateStyle::Iso => format_date(date),
            DateStyle::DayMonthYear => format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year()),
        }
    }
}

impl Value {
    /// The value as [`fmt::Display`] prints it, except that dates (also in
    /// a list) are printed in `dates`' style.
    pub fn text_with(&self, dates: DateStyle) -> String {
        match self {
            Value::Date(d) => dates.format(*d),
            Value::List(items) if dates != DateStyle::Iso => {
                let items: Vec<String> = items.iter().map(|item| item.text_with(dates)).collect();
                format!("[{}]", items.join(", "))
            }
            other => other.to_string(),
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

/// The decimal that an f64 prints as (its shortest round-trip form), which
/// is what the JSON text said when it had at most 17 significant digits.
pub(crate) fn shortest_decimal(v: f64) -> Option<Decimal> {
    shortest_short_decimal(v).or_else(|| shortest_decimal_by_fmt(v))
}

/// [`shortest_decimal`] for a float of at most 15 significant digits (what
/// measurements hold), by arithmetic instead of printing and parsing text.
///
/// At 15 digits or fewer, the decimals of one scale are further apart than
/// the float's neighbours, so at most one of them reads back as the float;
/// the one at the smallest scale that does is therefore the shortest form,
/// the one `{v}` prints. `v × 10^scale` is then within a quarter of that
/// decimal's digits, so rounding it finds them. `None` when there is no
/// such decimal: the slow way decides.
fn shortest_short_decimal(v: f64) -> Option<Decimal> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    // Zero has a sign, which `{v}` keeps.
    if !v.is_finite() || v == 0.0 {
        return None;
    }
    for (scale, power) in POWERS.iter().enumerate() {
        let scaled = v * power;
        if scaled.abs() >= 1e15 {
            return None;
        }
        // Rounded half away from zero by a cast, which truncates: within a
        // quarter of the digits, that is as good as `round`, which is a call
        // into libm on this target.
        let digits = (scaled + 0.5f64.copysign(scaled)) as i64;
        // Both exact, so the quotient is the float nearest the decimal:
        // what reading the decimal's text gives.
        if digits as f64 / power == v {
            return Decimal::try_new(digits, scale as u32).ok();
        }
    }
    None
}

/// [`shortest_decimal`] the slow way: `{v}`'s text, parsed.
fn shortest_decimal_by_fmt(v: f64) -> Option<Decimal> {
    use std::io::Write;
    let mut buffer = [0u8; 48];
    let mut cursor = &mut buffer[..];
    if write!(cursor, "{v}").is_ok() {
        let written = 48 - cursor.len();
        if let Some(d) = std::str::from_utf8(&buffer[..written])
            .ok()
            .and_then(parse_decimal)
        {
            return Some(d);
        }
    }
    // Too long to print here: beyond what a decimal holds exactly anyway.
    Decimal::from_f64(v)
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
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn dates_print_day_first_only_in_that_style() {
        let date = Date::new(2022, 2, 9).unwrap();
        assert_eq!(DateStyle::Iso.format(date), "2022-02-09");
        assert_eq!(DateStyle::DayMonthYear.format(date), "09/02/2022");
        let list = Value::List(vec![
            Value::Date(date),
            Value::Date(Date::new(2022, 12, 31).unwrap()),
        ]);
        assert_eq!(
            list.text_with(DateStyle::DayMonthYear),
            "[09/02/2022, 31/12/2022]"
        );
        assert_eq!(list.text_with(DateStyle::Iso), list.to_string());
        let time = Value::Time(Time::new(7, 30, 0, 0).unwrap());
        assert_eq!(time.text_with(DateStyle::DayMonthYear), "07:30");
    }

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

    /// The same decimal, down to its scale and the sign of its zero.
    fn same(a: Option<Decimal>, b: Option<Decimal>) -> bool {
        a.map(|d| d.serialize()) == b.map(|d| d.serialize())
    }

    #[test]
    fn short_floats_read_as_fmt_prints_them() {
        let values = [
            8.17,
            7.75,
            8.0,
            100.0,
            -100.0,
            0.1,
            0.3,
            0.1 + 0.2,
            1.0 / 3.0,
            -2.5,
            1e-7,
            1.5e-7,
            123456.789,
            1e15,
            1e16,
            1e17,
            1e21,
            1.7976931348623157e308,
            5e-324,
            1e-28,
            1e-29,
            1.25e-27,
            7.9e28,
            8e28,
            9_007_199_254_740_993.0,
            0.000001,
            // Halfway between two 17-digit forms: `fmt` takes the one above.
            -28_413_593_792_411.0 - 1.0 / 16.0,
            0.1 + 0.7,
            999_999_999_999_999.9,
            123_456_789_012_345.6,
            0.000_000_000_000_001_5,
            1.0 / 1024.0,
        ];
        for v in values {
            let short = shortest_short_decimal(v);
            if short.is_some() {
                assert!(same(short, shortest_decimal_by_fmt(v)), "{v}");
            }
            assert!(same(shortest_decimal(v), shortest_decimal_by_fmt(v)), "{v}");
        }
        assert_eq!(shortest_short_decimal(8.17), Some(Decimal::new(817, 2)));
        assert_eq!(shortest_short_decimal(100.0).map(|d| d.scale()), Some(0));
        // Zero has a sign that `fmt` keeps: the slow way decides.
        assert_eq!(shortest_short_decimal(-0.0), None);
    }

    proptest! {
        #[test]
        fn any_float_reads_the_same_by_arithmetic_as_by_fmt(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assert!(same(shortest_decimal(v), shortest_decimal_by_fmt(v)), "{v}");
        }

        #[test]
        fn floats_written_in_decimal_read_the_same_by_arithmetic_as_by_fmt(
            digits in any::<i64>(),
            scale in 0u32..30,
        ) {
            let v = digits as f64 / 10f64.powi(scale as i32);
            prop_assert!(same(shortest_decimal(v), shortest_decimal_by_fmt(v)), "{v}");
        }
    }
}
