//! Writes a CSV file as an `.xlsx` workbook with typed cells, the way a
//! spreadsheet keeps such data: `YYYY-MM-DD` as a date cell, `HH:MM` and
//! `HH:MM:SS` as time cells, `true`/`false` as bool cells, numbers as
//! number cells, anything else as text. For benchmarks and trials
//! (`benches/sources.sh` makes the 200,000-row workbook with it).
//!
//! ```sh
//! cargo run --release --example csv_to_xlsx -- IN.csv OUT.xlsx
//! ```

use std::error::Error;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: csv_to_xlsx IN.csv OUT.xlsx".into());
    };
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(input)?;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("hh:mm:ss");
    for (row, record) in rows.records().enumerate() {
        let row = u32::try_from(row)?;
        for (column, cell) in record?.iter().enumerate() {
            let column = u16::try_from(column)?;
            let cell = cell.trim_start_matches('\u{FEFF}');
            if row == 0 || cell.is_empty() {
                sheet.write_string(row, column, cell)?;
            } else if let Some(day) = as_date(cell) {
                sheet.write_datetime_with_format(row, column, &day, &date)?;
            } else if let Some(at) = as_time(cell) {
                sheet.write_datetime_with_format(row, column, &at, &time)?;
            } else if let Ok(b) = cell.parse::<bool>() {
                sheet.write_boolean(row, column, b)?;
            } else if let Ok(n) = cell.parse::<f64>() {
                sheet.write_number(row, column, n)?;
            } else {
                sheet.write_string(row, column, cell)?;
            }
        }
    }
    book.save(output)?;
    Ok(())
}

fn as_date(text: &str) -> Option<ExcelDateTime> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    ExcelDateTime::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

fn as_time(text: &str) -> Option<ExcelDateTime> {
    let parts: Vec<&str> = text.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (h, m, "0"),
        [h, m, s] => (h, m, *s),
        _ => return None,
    };
    ExcelDateTime::from_hms(h.parse().ok()?, m.parse().ok()?, s.parse::<f64>().ok()?).ok()
}
