//! Spreadsheets (contract §8): a workbook read whole with calamine, one
//! sheet picked (the first, or by name), its merged ranges filled with
//! their top-left value, its header row found, and each cell seen as a
//! [`SheetCell`] for the table in `eval/sheet.rs`.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{
    Data, Dimensions, ExcelDateTime, Ods, OdsError, Range, Reader, SheetType, Xls, XlsError, Xlsx, XlsxError,
};
use jiff::civil::{Date, DateTime, Time};
use jiff::SignedDuration;

use super::SheetCell;
use crate::diagnostic::closest;

use super::{InputError, InputFormat};

/// The first bytes of an OLE2 compound file: an `.xls`, or an encrypted
/// (password-protected) `.xlsx`.
const COMPOUND_FILE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The sheet to check, read whole.
pub(crate) struct Sheet {
    pub name: String,
    /// The used cells; `start` is where they begin in the sheet.
    pub cells: Range<Data>,
}

impl Sheet {
    /// The sheet's rows from its first used one, with the number (from 0)
    /// each has in the sheet.
    pub fn rows(&self) -> impl Iterator<Item = (u64, &[Data])> {
        let first = self.cells.start().map_or(0, |(row, _)| u64::from(row));
        self.cells.rows().zip(first..).map(|(row, number)| (number, row))
    }

    /// The number (from 0) of the sheet's first used column.
    pub fn first_column(&self) -> usize {
        self.cells.start().map_or(0, |(_, column)| column as usize)
    }
}

/// Reads the sheet named `wanted` (else the first worksheet) of a workbook
/// in `format`.
pub(crate) fn read_sheet(
    bytes: Vec<u8>,
    format: InputFormat,
    wanted: Option<&str>,
) -> Result<Sheet, InputError> {
    let head: Vec<u8> = bytes.iter().take(1024).copied().collect();
    // calamine is not meant to panic on a malformed workbook, but its
    // parsers are large; a panic is caught here so that one bad file is
    // unreadable input, as any other, rather than the end of the process.
    let read = catch_unwind(AssertUnwindSafe(|| match format {
        InputFormat::Xlsx => open::<Xlsx<_>>(
            bytes,
            wanted,
            |e| matches!(e, XlsxError::Password),
            |book, name| book.merge_cells_by_sheet_name(name).map_err(|e| e.to_string()),
        ),
        InputFormat::Xls => open::<Xls<_>>(
            bytes,
            wanted,
            |e| matches!(e, XlsError::Password),
            |book, name| book.merge_cells_by_sheet_name(name).map_err(|e| e.to_string()),
        ),
        InputFormat::Ods => {
            // calamine does not give the merged ranges of an OpenDocument
            // sheet: they are read from its XML here.
            let merged = OdsMerged::new(&bytes);
            open::<Ods<_>>(
                bytes,
                wanted,
                |e| matches!(e, OdsError::Password),
                |_, name| merged.of_sheet(name),
            )
        }
        _ => Err(Failure::Read(String::from("not a spreadsheet format"))),
    }));
    let read =
        read.unwrap_or_else(|_| Err(Failure::Read("the spreadsheet reader failed on this file".into())));
    match read {
        Ok(sheet) => Ok(sheet),
        Err(Failure::NoSheet { name, sheets }) => {
            let suggestion = closest(&name, sheets.iter().map(String::as_str)).map(str::to_string);
            Err(InputError::UnknownSheet {
                name,
                sheets,
                suggestion,
            })
        }
        Err(Failure::Password) => Err(InputError::Spreadsheet(format!(
            "{} workbook is password-protected (encrypted): save a copy without a password to check it",
            format_name(format)
        ))),
        Err(Failure::Read(why)) => Err(InputError::Spreadsheet(explain_failure(&head, format, &why))),
    }
}

/// Why a workbook could not be read.
enum Failure {
    NoSheet { name: String, sheets: Vec<String> },
    Password,
    Read(String),
}

/// Opens a workbook of kind `B` and reads one sheet of it, its merged
/// ranges (`merged`) filled.
fn open<B>(
    bytes: Vec<u8>,
    wanted: Option<&str>,
    is_password: impl Fn(&B::Error) -> bool,
    merged: impl Fn(&mut B, &str) -> Result<Vec<Dimensions>, String>,
) -> Result<Sheet, Failure>
where
    B: Reader<Cursor<Vec<u8>>>,
    B::Error: std::fmt::Display,
{
    let failed = |e: B::Error| {
        if is_password(&e) {
            Failure::Password
        } else {
            Failure::Read(e.to_string())
        }
    };
    let mut book = B::new(Cursor::new(bytes)).map_err(failed)?;
    let worksheets: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let name = match wanted {
        Some(name) => match worksheets.iter().find(|s| s.as_str() == name) {
            Some(found) => found.clone(),
            None => {
                return Err(Failure::NoSheet {
                    name: name.to_string(),
                    sheets: worksheets,
                })
            }
        },
        None => match worksheets.first() {
            Some(first) => first.clone(),
            None => return Err(Failure::Read("the workbook has no worksheet".into())),
        },
    };
    let mut cells = book.worksheet_range(&name).map_err(failed)?;
    let regions = merged(&mut book, &name).map_err(Failure::Read)?;
    fill_merged(&mut cells, &regions).map_err(Failure::Read)?;
    Ok(Sheet { name, cells })
}

fn format_name(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Xls => "the .xls",
        InputFormat::Ods => "the .ods",
        _ => "the .xlsx",
    }
}

/// One line on why a file is not a readable workbook of its format, with
/// what the file looks like instead when that can be told.
fn explain_failure(head: &[u8], format: InputFormat, why: &str) -> String {
    let expected = match format {
        InputFormat::Xls => ".xls workbook",
        InputFormat::Ods => ".ods spreadsheet",
        _ => ".xlsx workbook",
    };
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        // Cut inside a character at the end of the look.
        Err(e) => e.error_len().is_none(),
    };
    let looks_like = if head.starts_with(COMPOUND_FILE) {
        match format {
            InputFormat::Xls => "an OLE2 compound file, but not a readable .xls workbook (damaged, or encrypted)",
            _ => "an OLE2 compound file: a password-protected (encrypted) workbook, or an .xls saved under another extension",
        }
    } else if head.starts_with(b"PK") && format == InputFormat::Xls {
        "a zip archive: an .xlsx or .ods saved under the .xls extension?"
    } else if head.is_empty() {
        "an empty file"
    } else if text && !head.contains(&0) {
        "text (CSV?) under a spreadsheet's extension: name it .csv, or give --input-format"
    } else {
        return format!("not a readable {expected}: {why}");
    };
    format!("not an {expected}: the file is {looks_like}")
}

/// The content of an OpenDocument spreadsheet, kept to find the merged
/// ranges of a sheet (`table:number-columns-spanned` and
/// `table:number-rows-spanned` on a cell).
struct OdsMerged {
    /// `content.xml`, when the file has one that names a merged range.
    content: Option<Vec<u8>>,
}

impl OdsMerged {
    fn new(bytes: &[u8]) -> OdsMerged {
        let read = || -> Option<Vec<u8>> {
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut archive.by_name("content.xml").ok()?, &mut content).ok()?;
            Some(content)
        };
        // A file that cannot be read this way fails in calamine, which says why.
        let content = read().filter(|c| memchr::memmem::find(c, b"-spanned=").is_some());
        OdsMerged { content }
    }

    /// The merged ranges of sheet `name`, in the sheet's rows and columns
    /// from 0 (as calamine counts them: repeated rows and cells included).
    fn of_sheet(&self, name: &str) -> Result<Vec<Dimensions>, String> {
        use quick_xml::events::{BytesStart, Event};
        let Some(content) = &self.content else {
            return Ok(Vec::new());
        };
        let number = |e: &BytesStart<'_>, key: &str| -> u32 {
            e.try_get_attribute(key)
                .ok()
                .flatten()
                .and_then(|a| a.value.trim().parse().ok())
                .unwrap_or(1)
        };
        let mut reader = quick_xml::Reader::from_reader(content.as_slice());
        let mut buffer = Vec::new();
        let mut regions = Vec::new();
        let (mut in_sheet, mut row, mut column, mut rows_repeated) = (false, 0u32, 0u32, 1u32);
        loop {
            let event = reader.read_event_into(&mut buffer).map_err(|e| e.to_string())?;
            let empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    "table:table" => {
                        let this = e.try_get_attribute("table:name").ok().flatten();
                        in_sheet = this.is_some_and(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .is_ok_and(|v| v == name)
                        });
                        row = 0;
                    }
                    "table:table-row" if in_sheet => {
                        column = 0;
                        rows_repeated = number(&e, "table:number-rows-repeated");
                        if empty {
                            row = row.saturating_add(rows_repeated);
                        }
                    }
                    cell @ ("table:table-cell" | "table:covered-table-cell") if in_sheet => {
                        if cell == "table:table-cell" {
                            let columns = number(&e, "table:number-columns-spanned").max(1);
                            let rows = number(&e, "table:number-rows-spanned").max(1);
                            if columns > 1 || rows > 1 {
                                regions.push(Dimensions {
                                    start: (row, column),
                                    end: (row.saturating_add(rows - 1), column.saturating_add(columns - 1)),
                                });
                            }
                        }
                        column = column.saturating_add(number(&e, "table:number-columns-repeated"));
                    }
                    _ => {}
                },
                Event::End(e) => match e.name().as_ref() {
                    "table:table" if in_sheet => break,
                    "table:table-row" if in_sheet => row = row.saturating_add(rows_repeated),
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
            buffer.clear();
        }
        Ok(regions)
    }
}

/// Every cell of a merged range reads the range's top-left value. Ranges
/// are cut to the used cells (a range reaching past them holds nothing
/// there), and cells are filled at most as many times as the sheet has:
/// merged ranges do not overlap, so a file whose ranges would fill more
/// is malformed.
fn fill_merged(cells: &mut Range<Data>, regions: &[Dimensions]) -> Result<(), String> {
    let (Some((top, left)), Some((bottom, right))) = (cells.start(), cells.end()) else {
        return Ok(());
    };
    let mut budget = (cells.width() as u64).saturating_mul(cells.height() as u64);
    for region in regions {
        let Some(value) = cells.get_value(region.start).cloned() else {
            continue;
        };
        if value == Data::Empty {
            continue;
        }
        let rows = region.start.0.max(top)..=region.end.0.min(bottom);
        let columns = region.start.1.max(left)..=region.end.1.min(right);
        for row in rows {
            for column in columns.clone() {
                if (row, column) == region.start {
                    continue;
                }
                budget = budget
                    .checked_sub(1)
                    .ok_or_else(|| String::from("its merged ranges overlap"))?;
                cells.set_value((row, column), value.clone());
            }
        }
    }
    Ok(())
}

/// Whether a row holds nothing (blank, like a blank NDJSON line).
pub(crate) fn is_blank(row: &[Data]) -> bool {
    row.iter().all(is_empty)
}

/// Whether a cell holds nothing: empty, or text that trims to nothing.
pub(crate) fn is_empty(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A header cell, as text: a number header `2022` reads `2022`, an error
/// `#N/A`, a date `2022-02-09`.
pub(crate) fn header_text(cell: &Data, ods: bool) -> String {
    use super::{sheet_value, SheetValue};
    match cell {
        Data::String(text) => text.clone(),
        Data::Error(error) => error.to_string(),
        other => match sheet_value(
            Some(crate::semantics::value::Type::STRING),
            &sheet_cell(other, ods),
        ) {
            SheetValue::Text(text) => text.to_string(),
            SheetValue::Value(crate::Cell::String(text)) => text.into_owned(),
            SheetValue::Value(_) => String::new(),
        },
    }
}

/// What a cell holds, typed as the workbook types it. `ods`: the workbook
/// is OpenDocument, whose error values calamine gives as their text.
pub(crate) fn sheet_cell(cell: &Data, ods: bool) -> SheetCell<'_> {
    match cell {
        Data::Empty => SheetCell::Empty,
        Data::String(text) if ods && is_error_text(text) => error_cell(text),
        Data::String(text) => SheetCell::Text(text),
        Data::Int(i) => SheetCell::Int(*i),
        Data::Float(v) => SheetCell::Float(*v),
        Data::Bool(b) => SheetCell::Bool(*b),
        Data::DateTime(serial) => excel_date_time(serial),
        Data::DateTimeIso(text) => iso_date_time(text),
        // OpenDocument has one kind of cell for times of day and durations:
        // one within a day is taken as a time, as the sheet shows it.
        Data::DurationIso(text) => match iso_duration(text) {
            Some(duration) if (0..86_400).contains(&duration.as_secs()) => SheetCell::DateTime {
                date: None,
                time: Some(clock(duration.as_secs() as i32)),
            },
            Some(duration) => SheetCell::Duration(duration),
            None => SheetCell::Error(format!("the time cell \"{text}\" cannot be read")),
        },
        Data::Error(error) => error_cell(&error.to_string()),
    }
}

fn error_cell(text: &str) -> SheetCell<'static> {
    SheetCell::Error(format!("the cell holds the spreadsheet error {text}"))
}

/// The error values of spreadsheets, and LibreOffice's own `Err:502`.
fn is_error_text(text: &str) -> bool {
    matches!(
        text,
        "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!"
    ) || text
        .strip_prefix("Err:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An Excel serial date-time: days since the epoch, the time of day as
/// the fraction. Below 1 it is a time alone; a whole number is a date
/// alone (a date-time at midnight cannot be told from it).
fn excel_date_time(serial: &ExcelDateTime) -> SheetCell<'static> {
    let value = serial.as_f64();
    if serial.is_duration() {
        return match round_seconds(value * 86_400.0) {
            Some(seconds) => SheetCell::Duration(SignedDuration::from_secs(seconds)),
            None => SheetCell::Error(format!("the duration cell {value} is out of range")),
        };
    }
    // Excel shows nothing past 9999-12-31 (serial 2,958,465) nor before
    // its epoch.
    if !(0.0..2_958_466.0).contains(&value) {
        return SheetCell::Error(format!("the date cell {value} is outside Excel's calendar"));
    }
    let (year, month, day, hour, minute, second, millisecond) = serial.to_ymd_hms_milli();
    let mut seconds = i32::from(hour) * 3600 + i32::from(minute) * 60 + i32::from(second);
    if millisecond >= 500 {
        seconds += 1;
    }
    if value < 1.0 {
        // A time alone: its last half second stays in its day.
        return SheetCell::DateTime {
            date: None,
            time: Some(clock(seconds.min(86_399))),
        };
    }
    let date = i16::try_from(year)
        .ok()
        .and_then(|y| Date::new(y, month as i8, day as i8).ok());
    let Some(mut date) = date else {
        return SheetCell::Error(format!(
            "the date cell {year:04}-{month:02}-{day:02} is not a calendar date (Excel's 1900 has a 29 February)"
        ));
    };
    if value.fract() == 0.0 {
        return SheetCell::DateTime {
            date: Some(date),
            time: None,
        };
    }
    if seconds >= 86_400 {
        seconds -= 86_400;
        date = match date.tomorrow() {
            Ok(next) => next,
            Err(_) => return SheetCell::Error(format!("the date cell {value} is outside the calendar")),
        };
    }
    SheetCell::DateTime {
        date: Some(date),
        time: Some(clock(seconds)),
    }
}

/// A time of day from its seconds since midnight (0 to 86,399).
fn clock(seconds: i32) -> Time {
    let seconds = seconds.clamp(0, 86_399);
    Time::new(
        (seconds / 3600) as i8,
        (seconds / 60 % 60) as i8,
        (seconds % 60) as i8,
        0,
    )
    .unwrap_or_default()
}

/// Seconds, rounded half up; `None` out of a duration's range.
fn round_seconds(seconds: f64) -> Option<i64> {
    let rounded = (seconds + 0.5).floor();
    (rounded.is_finite() && rounded.abs() < 9.0e15).then_some(rounded as i64)
}

/// An ISO 8601 date (`2022-02-09`) or date-time (`2022-02-09T07:30:00`,
/// maybe with a fraction of a second), as OpenDocument writes them.
fn iso_date_time(text: &str) -> SheetCell<'_> {
    let unreadable = || SheetCell::Error(format!("the date cell \"{text}\" cannot be read"));
    if !text.contains('T') {
        return match text.parse::<Date>() {
            Ok(date) => SheetCell::DateTime {
                date: Some(date),
                time: None,
            },
            Err(_) => unreadable(),
        };
    }
    let Ok(date_time) = text.parse::<DateTime>() else {
        return unreadable();
    };
    let mut date = date_time.date();
    let time = date_time.time();
    let mut seconds =
        i32::from(time.hour()) * 3600 + i32::from(time.minute()) * 60 + i32::from(time.second());
    if time.subsec_nanosecond() >= 500_000_000 {
        seconds += 1;
    }
    if seconds >= 86_400 {
        seconds -= 86_400;
        date = match date.tomorrow() {
            Ok(next) => next,
            Err(_) => return unreadable(),
        };
    }
    SheetCell::DateTime {
        date: Some(date),
        time: Some(clock(seconds)),
    }
}

/// An ISO 8601 duration as OpenDocument writes a time cell: `PT07H30M00S`,
/// `-PT1H`, `P1DT2H`, seconds maybe with a fraction. Rounded to the second.
fn iso_duration(text: &str) -> Option<SignedDuration> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((days, time)) => (days, time),
        None => (rest, ""),
    };
    let mut seconds = 0f64;
    let mut parts = 0;
    if !days.is_empty() {
        seconds += days.strip_suffix('D')?.parse::<u32>().ok()? as f64 * 86_400.0;
        parts += 1;
    }
    let mut number = String::new();
    for c in time.chars() {
        let unit = match c {
            'H' => 3600.0,
            'M' => 60.0,
            'S' => 1.0,
            _ => {
                number.push(c);
                continue;
            }
        };
        if number.is_empty() || number.starts_with(['+', '-']) {
            return None;
        }
        seconds += number.parse::<f64>().ok()? * unit;
        number.clear();
        parts += 1;
    }
    if !number.is_empty() || parts == 0 {
        return None;
    }
    let seconds = round_seconds(seconds)?;
    Some(SignedDuration::from_secs(if negative {
        -seconds
    } else {
        seconds
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};

    fn serial(value: f64) -> SheetCell<'static> {
        excel_date_time(&ExcelDateTime::new(value, ExcelDateTimeType::DateTime, false))
    }

    fn date(y: i16, m: i8, d: i8) -> Option<Date> {
        Date::new(y, m, d).ok()
    }

    fn time(h: i8, m: i8, s: i8) -> Option<Time> {
        Time::new(h, m, s, 0).ok()
    }

    #[test]
    fn excel_serials_split_into_a_date_and_a_time_rounded_to_the_second() {
        // 2022-02-09 is serial 44601.
        assert_eq!(
            serial(44601.0),
            SheetCell::DateTime {
                date: date(2022, 2, 9),
                time: None
            }
        );
        assert_eq!(
            serial(0.3125),
            SheetCell::DateTime {
                date: None,
                time: time(7, 30, 0)
            }
        );
        assert_eq!(
            serial(0.0),
            SheetCell::DateTime {
                date: None,
                time: time(0, 0, 0)
            }
        );
        let at = |h: f64, m: f64, s: f64| 44601.0 + (h * 3600.0 + m * 60.0 + s) / 86_400.0;
        assert_eq!(
            serial(at(7.0, 42.0, 10.0)),
            SheetCell::DateTime {
                date: date(2022, 2, 9),
                time: time(7, 42, 10)
            }
        );
        assert_eq!(
            serial(at(7.0, 42.0, 10.5)),
            SheetCell::DateTime {
                date: date(2022, 2, 9),
                time: time(7, 42, 11)
            }
        );
        assert_eq!(
            serial(at(7.0, 42.0, 10.49)),
            SheetCell::DateTime {
                date: date(2022, 2, 9),
                time: time(7, 42, 10)
            }
        );
        // The last half second of a day-time goes on to the next day; of
        // a time alone, it stays.
        assert_eq!(
            serial(at(23.0, 59.0, 59.6)),
            SheetCell::DateTime {
                date: date(2022, 2, 10),
                time: time(0, 0, 0)
            }
        );
        assert_eq!(
            serial((86_399.6) / 86_400.0),
            SheetCell::DateTime {
                date: None,
                time: time(23, 59, 59)
            }
        );
        assert!(matches!(serial(60.0), SheetCell::Error(m) if m.contains("29 February")));
        assert!(matches!(serial(-1.0), SheetCell::Error(_)));
        assert!(matches!(serial(3e6), SheetCell::Error(_)));
        assert!(matches!(serial(f64::NAN), SheetCell::Error(_)));
        let duration = ExcelDateTime::new(1.25, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(
            excel_date_time(&duration),
            SheetCell::Duration(SignedDuration::from_hours(30))
        );
    }

    #[test]
    fn opendocument_dates_and_durations() {
        assert_eq!(
            iso_date_time("2022-02-09"),
            SheetCell::DateTime {
                date: date(2022, 2, 9),
                time: None
            }
        );
        assert_eq!(
            iso_date_time("2022-02-09T07:42:10"),
            SheetCell::DateTime {
                date: date(2022, 2, 9),
                time: time(7, 42, 10)
            }
        );
        assert_eq!(
            iso_date_time("2022-02-09T07:42:10.5"),
            SheetCell::DateTime {
                date: date(2022, 2, 9),
                time: time(7, 42, 11)
            }
        );
        assert!(matches!(iso_date_time("yesterday"), SheetCell::Error(_)));
        let secs = |s| Some(SignedDuration::from_secs(s));
        assert_eq!(iso_duration("PT07H30M00S"), secs(27_000));
        assert_eq!(iso_duration("PT7H30M0.5S"), secs(27_001));
        assert_eq!(iso_duration("-PT1H"), secs(-3600));
        assert_eq!(iso_duration("P1DT2H"), secs(93_600));
        assert_eq!(iso_duration("PT0S"), secs(0));
        for bad in ["", "P", "PT", "T7H", "PT7X", "PTH", "PT7", "PT-7H", "P1.5DT1H"] {
            assert_eq!(iso_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn error_values_and_headers() {
        assert_eq!(
            sheet_cell(&Data::Error(CellErrorType::NA), false),
            SheetCell::Error("the cell holds the spreadsheet error #N/A".into())
        );
        assert!(matches!(
            sheet_cell(&Data::String("#DIV/0!".into()), true),
            SheetCell::Error(_)
        ));
        assert!(matches!(
            sheet_cell(&Data::String("Err:502".into()), true),
            SheetCell::Error(_)
        ));
        assert_eq!(
            sheet_cell(&Data::String("#N/A".into()), false),
            SheetCell::Text("#N/A")
        );
        assert_eq!(header_text(&Data::Float(2022.0), false), "2022");
        assert_eq!(header_text(&Data::Float(1.5), false), "1.5");
        assert_eq!(header_text(&Data::String(" Mã NV ".into()), false), " Mã NV ");
        assert_eq!(header_text(&Data::Bool(true), false), "true");
        assert_eq!(header_text(&Data::Empty, false), "");
    }

    #[test]
    fn opendocument_merged_ranges_count_repeated_rows_and_cells() {
        let xml = r#"<office:spreadsheet>
            <table:table table:name="Khác"><table:table-row>
              <table:table-cell table:number-columns-spanned="9"/></table:table-row></table:table>
            <table:table table:name="A &amp; B">
              <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
              <table:table-row>
                <table:table-cell table:number-columns-repeated="3"/>
                <table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="3"><text:p>x</text:p></table:table-cell>
                <table:covered-table-cell/>
              </table:table-row>
              <table:table-row/>
              <table:table-row><table:table-cell table:number-rows-spanned="2"/></table:table-row>
            </table:table></office:spreadsheet>"#;
        let merged = OdsMerged {
            content: Some(xml.as_bytes().to_vec()),
        };
        assert_eq!(
            merged.of_sheet("A & B"),
            Ok(vec![
                Dimensions {
                    start: (2, 3),
                    end: (4, 4)
                },
                Dimensions {
                    start: (4, 0),
                    end: (5, 0)
                },
            ])
        );
        assert_eq!(merged.of_sheet("Không có"), Ok(vec![]));
    }

    #[test]
    fn what_a_file_that_is_not_a_workbook_looks_like() {
        let says = |head: &[u8], format| explain_failure(head, format, "zip error");
        assert!(says(b"Ma NV,Ho ten\r\n", InputFormat::Xlsx).contains("text (CSV?)"));
        assert!(says(COMPOUND_FILE, InputFormat::Xlsx).contains("password-protected"));
        assert!(says(COMPOUND_FILE, InputFormat::Xls).contains("not a readable .xls"));
        assert!(says(b"PK\x03\x04", InputFormat::Xls).contains("zip archive"));
        assert!(says(b"", InputFormat::Ods).contains("empty file"));
        assert_eq!(
            says(b"PK\x03\x04\0\0", InputFormat::Xlsx),
            "not a readable .xlsx workbook: zip error"
        );
    }
}
