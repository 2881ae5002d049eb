//! Spreadsheet cells read as their field's type (contract §8,
//! "Spreadsheets"): the one table of what each kind of cell gives each type
//! of field, used for plain columns ([`fill_sheet`]) and through a
//! source (`Reading::read_sheet`).
//!
//! | field \ cell | text | whole number | other number | true/false | date | time | date-time | duration | error |
//! | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
//! | `bool` | as text ¹ | `1` true, `0` false, else error | error | the bool | error | error | error | error | error |
//! | `int` | as text ¹ | the int | error | error | error | error | error | error | error |
//! | `decimal` | as text ¹ | the decimal | its shortest decimal form | error | error | error | error | error | error |
//! | `string` | as text ¹ | its text (`1001`) | its text (`7.5`) | `true` / `false` | `2022-02-09` | `07:30` | `2022-02-09 07:30` | `07:30`, `30:00` ² | error |
//! | `time` | as text ¹ | error | error | error | error ³ | the time | its time | as a time of day when in 0–24 h ⁴ | error |
//! | `date` | as text ¹ | error | error | error | the date | error | its date | error | error |
//! | `duration` | as text ¹ | error | error | error | error | the time since midnight ⁵ | error | the duration | error |
//! | `list[T]` | as text ¹ | error | error | error | error | error | error | error | error |
//! | no type | as text ¹ | its text | its text | the bool | its text | its text | its text | its text | error |
//!
//! 1. A text cell reads as a CSV cell does (§5), or through the source's
//!    reading of its column (words, `format`, `decimal_comma`, NFC): those
//!    apply to text cells alone. An empty cell is an empty text.
//! 2. A duration cell shows as a spreadsheet shows it, hours first
//!    (`[h]:mm`): `07:30`, `30:00`, `-01:15`, seconds when not zero.
//! 3. A date cell has no time of day: a date-time at exactly midnight
//!    looks the same in a workbook, and reading either as `00:00` would
//!    let a date column mapped to a time field pass every `<=` check.
//! 4. Excel's `[h]:mm` format makes a duration cell, and so does an
//!    OpenDocument time cell (`PT31H00M00S`) outside 0–24 h; one within a
//!    day is a time cell.
//! 5. Excel users type a duration such as 8:30 as a time of day.
//!
//! Times and durations are already rounded to the second (half a second
//! up) when the cell is made ([`SheetCell`]); an error is a data error
//! that says what the cell held.

use std::borrow::Cow;

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::csv::csv_cell;
use super::json::describe_type;
use super::ColumnRead;
use crate::compile::Program;
use crate::record::Record;
use crate::semantics::cell::Cell;
use crate::semantics::value::{format_date, format_time, shortest_decimal, Type};
use crate::source::Source;

/// A spreadsheet cell as its workbook types it, before its field's type is
/// looked at.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SheetCell<'d> {
    /// Nothing in the cell.
    Empty,
    Text(&'d str),
    Int(i64),
    /// A number that may have a fraction.
    Float(f64),
    Bool(bool),
    /// A cell typed as a date, a time of day or both, rounded to the
    /// second; a date-time is never without a date.
    DateTime {
        date: Option<Date>,
        time: Option<Time>,
    },
    /// A duration, rounded to the second.
    Duration(SignedDuration),
    /// The cell holds what no field can read: an error value (`#N/A`), or
    /// a date outside the calendar. The data error's message.
    Error(String),
}

/// What a cell gives a field: a value, or text to read as text is read.
pub(crate) enum SheetValue<'d> {
    Value(Cell<'d>),
    Text(&'d str),
}

/// The table above: what `cell` gives a field of type `ty`.
pub(crate) fn sheet_value<'d>(ty: Option<Type>, cell: &SheetCell<'d>) -> SheetValue<'d> {
    let value = match cell {
        SheetCell::Empty => return SheetValue::Text(""),
        SheetCell::Text(text) => return SheetValue::Text(text),
        SheetCell::Error(message) => Cell::Error(message.clone()),
        SheetCell::Bool(b) => match ty {
            None | Some(Type::BOOL) => Cell::Bool(*b),
            Some(Type::STRING) => Cell::String(Cow::Borrowed(if *b { "true" } else { "false" })),
            Some(ty) => wrong(cell, ty),
        },
        SheetCell::Int(i) => whole_number(ty, *i, cell),
        SheetCell::Float(v) => match whole(*v) {
            Some(i) => whole_number(ty, i, cell),
            None => match ty {
                Some(Type::DECIMAL) => decimal(*v),
                None | Some(Type::STRING) => Cell::String(Cow::Owned(number_text(*v))),
                Some(ty) => wrong(cell, ty),
            },
        },
        SheetCell::DateTime { date, time } => match (ty, date, time) {
            (Some(Type::DATE), Some(date), _) => Cell::Date(*date),
            (Some(Type::TIME), Some(_), Some(time)) | (Some(Type::TIME), None, Some(time)) => {
                Cell::Time(*time)
            }
            (Some(Type::DURATION), None, Some(time)) => Cell::Duration(since_midnight(*time)),
            (None | Some(Type::STRING), _, _) => Cell::String(Cow::Owned(cell_text(cell))),
            (Some(ty), _, _) => wrong(cell, ty),
        },
        SheetCell::Duration(duration) => match ty {
            Some(Type::DURATION) => Cell::Duration(*duration),
            Some(Type::TIME) => match time_of_day(*duration) {
                Some(time) => Cell::Time(time),
                None => wrong(cell, Type::TIME),
            },
            None | Some(Type::STRING) => Cell::String(Cow::Owned(cell_text(cell))),
            Some(ty) => wrong(cell, ty),
        },
    };
    SheetValue::Value(value)
}

/// A spreadsheet cell in a column read without a source: text as a CSV
/// cell (§5), anything else by the table.
pub(crate) fn plain_sheet_cell<'d>(ty: Option<Type>, cell: &SheetCell<'d>) -> Cell<'d> {
    match sheet_value(ty, cell) {
        SheetValue::Value(value) => value,
        SheetValue::Text(text) => csv_cell(ty, text),
    }
}

/// Reads a spreadsheet row whose cells are named by `columns`; `cell`
/// tells what a cell of the row holds (see [`SheetCell`]). Only
/// the columns that are read are looked at.
pub(crate) fn fill_sheet<'a, D>(
    record: &mut Record<'a>,
    program: &Program,
    source: Option<&Source>,
    columns: &[Option<ColumnRead>],
    row: &'a [D],
    cell: impl Fn(&'a D) -> SheetCell<'a>,
) {
    for (data, read) in row.iter().zip(columns) {
        let Some(read) = read else { continue };
        let sheet_cell = cell(data);
        match (read, source) {
            (ColumnRead::Plain(slot), _) => {
                let ty = program.schema.slots[*slot].ty;
                record.cells[*slot].overwrite(plain_sheet_cell(ty, &sheet_cell));
            }
            (other, Some(source)) => {
                let cells = &mut record.cells;
                other
                    .reading(source)
                    .read_sheet(&sheet_cell, |slot, value| cells[slot].overwrite(value));
            }
            (_, None) => {}
        }
    }
}

/// A whole number (an int cell, or a number cell without a fraction).
fn whole_number<'d>(ty: Option<Type>, i: i64, cell: &SheetCell<'_>) -> Cell<'d> {
    match ty {
        Some(Type::INT) => Cell::Int(i),
        Some(Type::DECIMAL) => Cell::Decimal(Decimal::from(i)),
        Some(Type::BOOL) if i == 1 => Cell::Bool(true),
        Some(Type::BOOL) if i == 0 => Cell::Bool(false),
        // Excel turns ids into numbers: `1001`, not `1001.0`.
        None | Some(Type::STRING) => Cell::String(Cow::Owned(i.to_string())),
        Some(ty) => wrong(cell, ty),
    }
}

/// The int a float holds when it has no fraction and fits.
fn whole(v: f64) -> Option<i64> {
    // 2^63 is exact as a float; every whole float below it fits an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v)).then_some(v as i64)
}

fn decimal<'d>(v: f64) -> Cell<'d> {
    match shortest_decimal(v) {
        Some(d) => Cell::Decimal(d),
        None => Cell::Error(format!("the number {v} is out of the range of a decimal")),
    }
}

/// A number's text: its shortest decimal form, as the cell shows it.
fn number_text(v: f64) -> String {
    match whole(v) {
        Some(i) => i.to_string(),
        None => shortest_decimal(v).map_or_else(|| v.to_string(), |d| d.to_string()),
    }
}

fn since_midnight(time: Time) -> SignedDuration {
    let seconds = i64::from(time.hour()) * 3600 + i64::from(time.minute()) * 60 + i64::from(time.second());
    SignedDuration::from_secs(seconds)
}

/// A duration as a time of day, when it is one (0 to 24 hours, not 24).
fn time_of_day(duration: SignedDuration) -> Option<Time> {
    let seconds = duration.as_secs();
    if !(0..86_400).contains(&seconds) {
        return None;
    }
    Time::new(
        (seconds / 3600) as i8,
        (seconds / 60 % 60) as i8,
        (seconds % 60) as i8,
        0,
    )
    .ok()
}

/// A typed cell's text, in the language's literal forms.
fn cell_text(cell: &SheetCell<'_>) -> String {
    match cell {
        SheetCell::Empty => String::new(),
        SheetCell::Text(text) => (*text).to_string(),
        SheetCell::Int(i) => i.to_string(),
        SheetCell::Float(v) => number_text(*v),
        SheetCell::Bool(b) => b.to_string(),
        SheetCell::DateTime { date, time } => match (date, time) {
            (Some(date), Some(time)) => format!("{} {}", format_date(*date), format_time(*time)),
            (Some(date), None) => format_date(*date),
            (None, Some(time)) => format_time(*time),
            (None, None) => String::new(),
        },
        SheetCell::Duration(duration) => {
            let seconds = duration.as_secs();
            let sign = if seconds < 0 { "-" } else { "" };
            let seconds = seconds.unsigned_abs();
            let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
            if seconds == 0 {
                format!("{sign}{hours:02}:{minutes:02}")
            } else {
                format!("{sign}{hours:02}:{minutes:02}:{seconds:02}")
            }
        }
        SheetCell::Error(message) => message.clone(),
    }
}

/// What kind of cell it is, for a data error.
fn kind(cell: &SheetCell<'_>) -> &'static str {
    match cell {
        SheetCell::Empty | SheetCell::Text(_) => "text",
        SheetCell::Int(_) | SheetCell::Float(_) => "number",
        SheetCell::Bool(_) => "true/false",
        SheetCell::DateTime {
            date: Some(_),
            time: Some(_),
        } => "date-time",
        SheetCell::DateTime { date: Some(_), .. } => "date",
        SheetCell::DateTime { .. } => "time",
        SheetCell::Duration(_) => "duration",
        SheetCell::Error(_) => "error",
    }
}

/// A cell of a kind its field's type cannot read.
#[cold]
fn wrong<'d>(cell: &SheetCell<'_>, ty: Type) -> Cell<'d> {
    Cell::Error(format!(
        "the {} cell {} is not {}",
        kind(cell),
        cell_text(cell),
        describe_type(ty)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantics::value::Type;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn time(h: i8, m: i8, s: i8) -> Time {
        Time::new(h, m, s, 0).unwrap()
    }

    fn read(ty: Option<Type>, cell: SheetCell<'_>) -> Cell<'static> {
        plain_sheet_cell(ty, &cell).into_static()
    }

    fn text(s: &str) -> Cell<'static> {
        Cell::String(Cow::Owned(s.to_string()))
    }

    fn is_error(cell: &Cell<'_>, says: &str) -> bool {
        matches!(cell, Cell::Error(m) if m.contains(says))
    }

    #[test]
    fn numbers_read_as_ints_when_whole_and_as_text_in_strings() {
        assert_eq!(read(Some(Type::INT), SheetCell::Float(1001.0)), Cell::Int(1001));
        assert_eq!(read(Some(Type::INT), SheetCell::Int(-3)), Cell::Int(-3));
        assert_eq!(read(None, SheetCell::Float(1001.0)), text("1001"));
        assert_eq!(read(Some(Type::STRING), SheetCell::Float(1001.0)), text("1001"));
        assert_eq!(read(Some(Type::STRING), SheetCell::Float(7.5)), text("7.5"));
        assert_eq!(
            read(Some(Type::STRING), SheetCell::Float(0.1 + 0.2)),
            text("0.30000000000000004")
        );
        assert_eq!(
            read(Some(Type::DECIMAL), SheetCell::Float(0.15)),
            Cell::Decimal(Decimal::new(15, 2))
        );
        assert_eq!(
            read(Some(Type::DECIMAL), SheetCell::Float(8.0)),
            Cell::Decimal(Decimal::from(8))
        );
        assert!(is_error(
            &read(Some(Type::INT), SheetCell::Float(7.5)),
            "the number cell 7.5 is not an int"
        ));
        assert!(is_error(
            &read(Some(Type::INT), SheetCell::Float(1e300)),
            "is not an int"
        ));
        assert_eq!(read(Some(Type::BOOL), SheetCell::Float(1.0)), Cell::Bool(true));
        assert_eq!(read(Some(Type::BOOL), SheetCell::Int(0)), Cell::Bool(false));
        assert!(is_error(
            &read(Some(Type::BOOL), SheetCell::Int(2)),
            "true or false"
        ));
        assert!(is_error(
            &read(Some(Type::TIME), SheetCell::Float(0.3125)),
            "not a time"
        ));
    }

    #[test]
    fn dates_and_times_give_the_part_their_field_needs() {
        let both = || SheetCell::DateTime {
            date: Some(date(2022, 2, 9)),
            time: Some(time(7, 42, 10)),
        };
        let day = || SheetCell::DateTime {
            date: Some(date(2022, 2, 9)),
            time: None,
        };
        let clock = || SheetCell::DateTime {
            date: None,
            time: Some(time(7, 30, 0)),
        };
        assert_eq!(read(Some(Type::DATE), both()), Cell::Date(date(2022, 2, 9)));
        assert_eq!(read(Some(Type::TIME), both()), Cell::Time(time(7, 42, 10)));
        assert_eq!(read(Some(Type::DATE), day()), Cell::Date(date(2022, 2, 9)));
        assert!(is_error(
            &read(Some(Type::TIME), day()),
            "the date cell 2022-02-09 is not a time"
        ));
        assert_eq!(read(Some(Type::TIME), clock()), Cell::Time(time(7, 30, 0)));
        assert!(is_error(
            &read(Some(Type::DATE), clock()),
            "the time cell 07:30 is not a date"
        ));
        assert_eq!(
            read(Some(Type::DURATION), clock()),
            Cell::Duration(SignedDuration::from_mins(450))
        );
        assert_eq!(read(Some(Type::STRING), day()), text("2022-02-09"));
        assert_eq!(read(None, clock()), text("07:30"));
        assert_eq!(read(None, both()), text("2022-02-09 07:42:10"));
        assert!(is_error(&read(Some(Type::INT), day()), "is not an int"));
    }

    #[test]
    fn durations_are_times_of_day_within_a_day() {
        let d = |secs| SheetCell::Duration(SignedDuration::from_secs(secs));
        assert_eq!(read(Some(Type::TIME), d(27_000)), Cell::Time(time(7, 30, 0)));
        assert!(is_error(
            &read(Some(Type::TIME), d(86_400)),
            "the duration cell 24:00"
        ));
        assert!(is_error(&read(Some(Type::TIME), d(-60)), "-00:01"));
        assert_eq!(
            read(Some(Type::DURATION), d(108_000)),
            Cell::Duration(SignedDuration::from_hours(30))
        );
        assert_eq!(read(None, d(108_000)), text("30:00"));
        assert_eq!(read(Some(Type::STRING), d(27_005)), text("07:30:05"));
    }

    #[test]
    fn bools_errors_and_text() {
        assert_eq!(read(Some(Type::BOOL), SheetCell::Bool(true)), Cell::Bool(true));
        assert_eq!(read(None, SheetCell::Bool(false)), Cell::Bool(false));
        assert_eq!(read(Some(Type::STRING), SheetCell::Bool(true)), text("true"));
        assert!(is_error(
            &read(Some(Type::INT), SheetCell::Bool(true)),
            "true/false cell"
        ));
        let na = || SheetCell::Error("the cell holds the error #N/A".into());
        for ty in [None, Some(Type::STRING), Some(Type::TIME), Some(Type::BOOL)] {
            assert!(is_error(&read(ty, na()), "#N/A"));
        }
        assert_eq!(
            read(Some(Type::TIME), SheetCell::Text("07:30")),
            Cell::Time(time(7, 30, 0))
        );
        assert_eq!(read(Some(Type::BOOL), SheetCell::Text("1")), Cell::Bool(true));
        assert_eq!(read(None, SheetCell::Text("0042")), text("0042"));
        assert_eq!(read(Some(Type::DATE), SheetCell::Empty), Cell::Missing);
        assert_eq!(read(None, SheetCell::Empty), Cell::Missing);
    }
}
