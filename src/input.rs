//! Reading observation records from JSON, NDJSON and CSV, streamed: NDJSON
//! and CSV are read a record at a time, so memory does not grow with input.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::report::{Checker, RecordReport};

/// The format of a data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// An array of objects, or one object.
    Json,
    /// One object a line; blank lines are not records.
    Ndjson,
    /// A header row of field names, then a record a row.
    Csv,
}

impl InputFormat {
    /// By extension: `.json`, `.ndjson`/`.jsonl`, `.csv`.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        match path.extension()?.to_str()? {
            "json" => Some(InputFormat::Json),
            "ndjson" | "jsonl" => Some(InputFormat::Ndjson),
            "csv" => Some(InputFormat::Csv),
            _ => None,
        }
    }
}

/// Input that cannot be read as records at all (the command exits 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Reads every record of `input` in `format`, checks it with `checker`, and
/// hands each record's report to `sink` as soon as it is made.
pub fn check_reader<R: Read, E: From<InputError>>(
    input: R,
    format: InputFormat,
    checker: &mut Checker<'_>,
    mut sink: impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    match format {
        InputFormat::Json => {
            let mut reader = BufReader::new(input);
            skip_bom(&mut reader).map_err(InputError::from)?;
            let json: serde_json::Value = serde_json::from_reader(reader).map_err(InputError::from)?;
            match json {
                serde_json::Value::Array(items) => {
                    for item in &items {
                        sink(checker.check_json(item))?;
                    }
                }
                other => sink(checker.check_json(&other))?,
            }
        }
        InputFormat::Ndjson => {
            let mut reader = BufReader::new(input);
            let mut line = Vec::new();
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line).map_err(InputError::from)? == 0 {
                    break;
                }
                let report = checker.check_ndjson_bytes(&line);
                if let Some(report) = report {
                    sink(report)?;
                }
            }
        }
        InputFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
            let headers = reader.byte_headers().map_err(InputError::from)?.clone();
            let program = checker.program();
            let columns: Vec<Option<usize>> = headers
                .iter()
                .map(|h| {
                    let name = String::from_utf8_lossy(h);
                    let name = name.trim_start_matches('\u{FEFF}').trim();
                    program.schema.slots.iter().position(|s| s.name == name)
                })
                .collect();
            let mut row = csv::ByteRecord::new();
            loop {
                match reader.read_byte_record(&mut row) {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(e) => {
                        sink(checker.not_a_record(format!("unreadable CSV row: {e}")))?;
                        continue;
                    }
                }
                if row.len() > headers.len() {
                    let message = format!(
                        "the row has {} cells but the header names {}",
                        row.len(),
                        headers.len()
                    );
                    sink(checker.not_a_record(message))?;
                    continue;
                }
                sink(checker.check_csv_row(&columns, &row))?;
            }
        }
    }
    Ok(())
}

/// A UTF-8 byte-order mark at the start of a file is ignored.
fn skip_bom(reader: &mut impl BufRead) -> std::io::Result<()> {
    let start = reader.fill_buf()?;
    if start.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(())
}
