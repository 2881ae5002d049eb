//! Reading observation records from JSON, NDJSON and CSV. NDJSON and CSV
//! are streamed in chunks of whole records (`chunks.rs`), so memory does not
//! grow with the input, and chunks can be checked on several cores
//! (`parallel.rs`) with the output in input order.

mod chunks;
mod parallel;

use std::io::{BufReader, Read};
use std::path::Path;

use crate::report::{Checker, RecordReport};
use chunks::{Boundary, Chunker, Piece};

pub use parallel::check_reader_parallel;

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
    #[error("not UTF-8 text (byte {offset})")]
    NotUtf8 { offset: usize },
}

/// Reads every record of `input` in `format`, checks it with `checker`, and
/// hands the report of each record that has findings (violations or
/// errors) to `sink` as soon as it is made. `checker` keeps the count of
/// records and the totals.
pub fn check_reader<R: Read, E: From<InputError>>(
    input: R,
    format: InputFormat,
    checker: &mut Checker<'_>,
    mut sink: impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    match format {
        InputFormat::Json => {
            // One document: read whole, so that strings and numbers can be
            // borrowed from it (decimals digit for digit); its records are
            // checked one by one as the array is parsed, without building
            // a `serde_json::Value`.
            let mut bytes = Vec::new();
            BufReader::new(input)
                .read_to_end(&mut bytes)
                .map_err(InputError::from)?;
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
            let text = std::str::from_utf8(body).map_err(|e| InputError::NotUtf8 {
                offset: e.valid_up_to(),
            })?;
            let mut failure = None;
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let visitor = Document {
                checker,
                sink: &mut sink,
                failure: &mut failure,
            };
            let parsed = serde::Deserializer::deserialize_any(&mut deserializer, visitor)
                .and_then(|()| deserializer.end());
            if let Some(e) = failure {
                return Err(e);
            }
            parsed.map_err(InputError::from)?;
        }
        InputFormat::Ndjson | InputFormat::Csv => {
            let (mut chunker, kind) = Records::open(input, format, checker)?;
            let mut reports = Vec::new();
            while let Some(piece) = chunker.next_chunk().map_err(InputError::from)? {
                kind.check_piece(checker, &piece, &mut reports);
                if let Piece::Records(buffer) = piece {
                    chunker.recycle(buffer);
                }
                for report in reports.drain(..) {
                    sink(report)?;
                }
            }
        }
    }
    Ok(())
}

/// Appends `report` to `out` if it has findings: when only counting, none
/// has, and nothing is appended.
fn keep_findings(out: &mut Vec<RecordReport>, report: RecordReport) {
    if !report.violations.is_empty() || !report.errors.is_empty() {
        out.push(report);
    }
}

/// How the records of a chunk are read.
pub(crate) enum Records {
    Ndjson,
    Csv {
        /// The slot of each column (`None`: no rule reads it).
        columns: Vec<Option<usize>>,
    },
}

impl Records {
    /// Starts reading NDJSON or CSV: for CSV, reads the header row.
    pub(crate) fn open<R: Read>(
        input: R,
        format: InputFormat,
        checker: &Checker<'_>,
    ) -> Result<(Chunker<R>, Records), InputError> {
        if format != InputFormat::Csv {
            return Ok((
                Chunker::new(input, Boundary::Newline, checker.max_record_bytes()),
                Records::Ndjson,
            ));
        }
        let mut chunker = Chunker::new(input, Boundary::CsvNewline, checker.max_record_bytes());
        let mut header = csv::ByteRecord::new();
        let mut at_start = true;
        // A chunk of blank lines only has no header: it is further on.
        let rest = loop {
            let chunk = match chunker.next_chunk()? {
                Some(Piece::Records(bytes)) => bytes,
                Some(Piece::Oversized) => {
                    let limit = checker.max_record_bytes();
                    return Err(InputError::Csv(csv::Error::from(std::io::Error::other(format!(
                        "the header row is longer than {limit} bytes (the limit)"
                    )))));
                }
                None => break Vec::new(),
            };
            let body = if at_start {
                chunk.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&chunk)
            } else {
                &chunk
            };
            at_start = false;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(body);
            if reader.read_byte_record(&mut header)? {
                break body[reader.position().byte() as usize..].to_vec();
            }
        };
        chunker.push_front(rest);
        let program = checker.program();
        let columns = header
            .iter()
            .map(|h| {
                let name = String::from_utf8_lossy(h);
                program.schema.slots.iter().position(|s| s.name == name.trim())
            })
            .collect();
        Ok((chunker, Records::Csv { columns }))
    }

    /// Checks every record of `chunk`, numbering them on in `checker`, and
    /// appends the reports that have findings to `out`.
    pub(crate) fn check_piece(&self, checker: &mut Checker<'_>, piece: &Piece, out: &mut Vec<RecordReport>) {
        match piece {
            Piece::Records(chunk) => self.check_chunk(checker, chunk, out),
            Piece::Oversized => {
                let limit = checker.max_record_bytes();
                keep_findings(
                    out,
                    checker.not_a_record(format!("the record is longer than {limit} bytes (the limit)")),
                );
            }
        }
    }

    fn check_chunk(&self, checker: &mut Checker<'_>, chunk: &[u8], out: &mut Vec<RecordReport>) {
        let mut keep = |report: RecordReport| keep_findings(out, report);
        match self {
            Records::Ndjson => checker.check_ndjson_chunk(chunk, keep),
            Records::Csv { columns } => {
                // The csv crate drops a byte-order mark at the start of what
                // it reads; in a later chunk those bytes are data, so they
                // must not stand first: an empty line before them is skipped.
                let lead: &[u8] = if chunk.starts_with(b"\xEF\xBB\xBF") {
                    b"\n"
                } else {
                    b""
                };
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(lead.chain(chunk));
                let mut row = csv::ByteRecord::new();
                let limit = checker.max_record_bytes();
                loop {
                    let start = reader.position().byte();
                    let read = reader.read_byte_record(&mut row);
                    if matches!(read, Ok(true)) && reader.position().byte() - start > limit as u64 {
                        keep(
                            checker
                                .not_a_record(format!("the record is longer than {limit} bytes (the limit)")),
                        );
                        continue;
                    }
                    match read {
                        Ok(false) => break,
                        Ok(true) if row.len() > columns.len() => {
                            let message = format!(
                                "the row has {} cells but the header names {}",
                                row.len(),
                                columns.len()
                            );
                            keep(checker.not_a_record(message));
                        }
                        Ok(true) => keep(checker.check_csv_row(columns, &row)),
                        Err(e) => keep(checker.not_a_record(format!("unreadable CSV row: {e}"))),
                    }
                }
            }
        }
    }
}

/// A `.json` document: an array of records, or one record.
struct Document<'c, 'p, 's, S, E> {
    checker: &'c mut Checker<'p>,
    sink: &'s mut S,
    /// The sink's own error, kept aside while serde unwinds.
    failure: &'s mut Option<E>,
}

impl<S, E> Document<'_, '_, '_, S, E>
where
    S: FnMut(RecordReport) -> Result<(), E>,
{
    fn hand_over<X: serde::de::Error>(&mut self, report: RecordReport) -> Result<(), X> {
        if report.violations.is_empty() && report.errors.is_empty() {
            return Ok(());
        }
        (self.sink)(report).map_err(|e| {
            *self.failure = Some(e);
            X::custom("stopped")
        })
    }
}

/// Each element of the array, read and checked as it is parsed.
struct Element<'c, 'p>(&'c mut Checker<'p>);

impl<'de> serde::de::DeserializeSeed<'de> for Element<'_, '_> {
    type Value = RecordReport;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<RecordReport, D::Error> {
        self.0.check_deserializer(deserializer, true)
    }
}

impl<'de, S, E> serde::de::Visitor<'de> for Document<'_, '_, '_, S, E>
where
    S: FnMut(RecordReport) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of records, or one record")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(report) = seq.next_element_seed(Element(self.checker))? {
            self.hand_over(report)?;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let deserializer = serde::de::value::MapAccessDeserializer::new(map);
        let report = self.checker.check_deserializer(deserializer, true)?;
        self.hand_over(report)
    }

    fn visit_bool<X: serde::de::Error>(mut self, _: bool) -> Result<(), X> {
        let report = self
            .checker
            .not_a_record("the record is a boolean, not a JSON object".into());
        self.hand_over(report)
    }

    fn visit_i64<X: serde::de::Error>(mut self, _: i64) -> Result<(), X> {
        let report = self
            .checker
            .not_a_record("the record is a number, not a JSON object".into());
        self.hand_over(report)
    }

    fn visit_u64<X: serde::de::Error>(self, v: u64) -> Result<(), X> {
        self.visit_i64(v as i64)
    }

    fn visit_f64<X: serde::de::Error>(self, _: f64) -> Result<(), X> {
        self.visit_i64(0)
    }

    fn visit_str<X: serde::de::Error>(mut self, _: &str) -> Result<(), X> {
        let report = self
            .checker
            .not_a_record("the record is a string, not a JSON object".into());
        self.hand_over(report)
    }

    fn visit_unit<X: serde::de::Error>(mut self) -> Result<(), X> {
        let report = self
            .checker
            .not_a_record("the record is null, not a JSON object".into());
        self.hand_over(report)
    }
}
