//! Writes `examples/cham-cong-2022-02-09.xlsx`, the attendance machine's
//! export of the inspection day as Excel keeps it, from the same data as
//! `examples/cham-cong-2022-02-09.csv`: the two title rows (the first
//! merged across the table), the header, and each row with its date and
//! times as typed date and time cells, the way the machine's software
//! writes them. A cell the CSV holds as text that is not a date or a time
//! (`07:5O:12`, `--:--`) stays text.
//!
//! ```sh
//! cargo run --example cham_cong_xlsx    # rewrites the .xlsx beside the .csv
//! ```
//!
//! `tests/examples.rs` checks that the two files give the same report.

use std::error::Error;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

fn main() -> Result<(), Box<dyn Error>> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let csv = std::fs::read_to_string(folder.join("cham-cong-2022-02-09.csv"))?;
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
    let mut book = Workbook::new();
    // A fixed creation time: the same data gives the same file.
    let created = ExcelDateTime::from_ymd(2022, 2, 9)?.and_hms(17, 30, 0)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet().set_name("Chấm công")?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("hh:mm:ss");
    for (row, record) in rows.records().enumerate() {
        let record = record?;
        let row = u32::try_from(row)?;
        if row == 0 {
            sheet.merge_range(0, 0, 0, 6, record.get(0).unwrap_or_default(), &bold)?;
            continue;
        }
        for (column, cell) in record.iter().enumerate() {
            let column = u16::try_from(column)?;
            if row >= 3 && column == 3 {
                if let Some(day) = parse_date(cell) {
                    sheet.write_datetime_with_format(row, column, &day, &date)?;
                    continue;
                }
            }
            if row >= 3 && (column == 4 || column == 5) {
                if let Some(at) = parse_time(cell) {
                    sheet.write_datetime_with_format(row, column, &at, &time)?;
                    continue;
                }
            }
            if !cell.is_empty() {
                let format = if row == 2 { &bold } else { &Format::new() };
                sheet.write_string_with_format(row, column, cell, format)?;
            }
        }
    }
    sheet.autofit();
    book.save(folder.join("cham-cong-2022-02-09.xlsx"))?;
    Ok(())
}

/// `09/02/2022`.
fn parse_date(text: &str) -> Option<ExcelDateTime> {
    let mut parts = text.split('/').map(str::parse::<u16>);
    let (day, month, year) = (parts.next()?.ok()?, parts.next()?.ok()?, parts.next()?.ok()?);
    ExcelDateTime::from_ymd(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()
}

/// `07:15:29`.
fn parse_time(text: &str) -> Option<ExcelDateTime> {
    let mut parts = text.split(':').map(str::parse::<u16>);
    let (hour, minute, second) = (parts.next()?.ok()?, parts.next()?.ok()?, parts.next()?.ok()?);
    ExcelDateTime::from_hms(hour, u8::try_from(minute).ok()?, f64::from(second)).ok()
}
