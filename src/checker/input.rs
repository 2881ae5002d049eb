//! Checking an opened [`Input`]: its document, chunks or sheet, record by
//! record, on one thread or several (`parallel.rs`).

use std::io::Read;

use super::{parallel, Checker};
use crate::diagnostic::closest;
#[cfg(feature = "spreadsheets")]
use crate::input::SheetBody;
use crate::input::{
    csv_reader, document_keys, Body, Chunker, Decoded, Fill, Input, InputError, InputFormat, InputSummary,
    NeverHeld, Opening, Piece, Records,
};
use crate::report::RecordReport;
use crate::source::ColumnMatch;

impl Checker<'_> {
    /// Checks every record of `input` (opened by [`Checker::open_input`]),
    /// handing the report of each record that has findings to `sink` as
    /// soon as it is made.
    pub fn check_input<R: Read, E: From<InputError>>(
        &mut self,
        input: Input<R>,
        sink: impl FnMut(RecordReport) -> Result<(), E>,
    ) -> Result<InputSummary, E> {
        check_with(input, self, sink, |chunker, records, checker, sink| {
            check_chunks(chunker, &records, checker, sink)
        })
    }

    /// [`Checker::check_input`] on `jobs` threads (NDJSON and CSV; a
    /// `.json` document is read on the calling thread). Reports reach
    /// `sink` in input order, numbered as with one thread.
    pub fn check_input_parallel<R: Read + Send, E: From<InputError>>(
        &mut self,
        input: Input<R>,
        jobs: usize,
        sink: impl FnMut(RecordReport) -> Result<(), E>,
    ) -> Result<InputSummary, E> {
        check_with(input, self, sink, |chunker, records, checker, sink| {
            if jobs > 1 {
                parallel::check_chunks_parallel(chunker, records, checker, jobs, sink)
            } else {
                check_chunks(chunker, &records, checker, sink)
            }
        })
    }

    /// Opens `input` in `format` for this checker (its program, and the
    /// source it reads through): reads a CSV header, or the first NDJSON
    /// records, or a whole `.json` document.
    ///
    /// A file that holds records but on which no rule can be checked (none
    /// of the fields they read is observed) is unreadable
    /// ([`InputError::NothingToCheck`]), as is a CSV file where two columns
    /// give one field the rules read ([`InputError::FieldTwice`]).
    pub fn open_input<R: Read>(&self, input: R, format: InputFormat) -> Result<Input<R>, InputError> {
        self.open_input_sheet(input, format, None)
    }

    /// [`Checker::open_input`], reading the sheet named `sheet` of a
    /// spreadsheet (`None`: its first worksheet). A spreadsheet is read
    /// whole; a name the workbook does not have is
    /// [`InputError::UnknownSheet`]. Other formats have no sheets, and
    /// ignore `sheet`.
    pub fn open_input_sheet<R: Read>(
        &self,
        input: R,
        format: InputFormat,
        sheet: Option<&str>,
    ) -> Result<Input<R>, InputError> {
        let opening = Opening {
            program: self.program(),
            source: self.source(),
            max_record_bytes: self.max_record_bytes(),
            by: &self.by,
        };
        Input::open(input, format, sheet, opening)
    }
}

/// Checks the records, the chunks of NDJSON and CSV by `chunks`.
fn check_with<R: Read, E, S>(
    input: Input<R>,
    checker: &mut Checker<'_>,
    mut sink: S,
    chunks: impl FnOnce(Chunker<Decoded<R>>, Records, &mut Checker<'_>, &mut S) -> Result<(), E>,
) -> Result<InputSummary, E>
where
    E: From<InputError>,
    S: FnMut(RecordReport) -> Result<(), E>,
{
    checker.observe(&input.observed);
    let before = checker.records();
    let Input {
        format, body, names, ..
    } = input;
    let document = match body {
        Body::Document(bytes) => {
            check_document(&bytes, checker, &mut sink)?;
            Some(bytes)
        }
        Body::Chunks { chunker, records } => {
            chunks(*chunker, records, checker, &mut sink)?;
            None
        }
        #[cfg(feature = "spreadsheets")]
        Body::Sheet(body) => {
            check_sheet(&body, checker, &mut sink)?;
            None
        }
    };
    let records = checker.records() - before;
    Ok(finish(format, names, document.as_deref(), checker, records))
}

/// What checking an input came to: its records, and the fields no record
/// held, each with the closest name the file uses.
fn finish(
    format: InputFormat,
    names: Vec<String>,
    document: Option<&[u8]>,
    checker: &Checker<'_>,
    records: u64,
) -> InputSummary {
    let never_held = if format.has_header_row() || records == 0 {
        Vec::new()
    } else {
        checker.never_held()
    };
    let names = match document {
        Some(text) if !never_held.is_empty() && names.is_empty() => {
            let mut keys = document_keys(text);
            if let Some(source) = checker.source() {
                let program = checker.program();
                let given: Vec<String> = keys
                    .iter()
                    .flat_map(|n| match source.column(program, n) {
                        m @ (ColumnMatch::Named(_) | ColumnMatch::Field(_)) => {
                            source.fields_of(program, m, n)
                        }
                        _ => Vec::new(),
                    })
                    .collect();
                keys.extend(given);
            }
            keys
        }
        _ => names,
    };
    InputSummary {
        records,
        never_held: never_held
            .into_iter()
            .map(|field| NeverHeld {
                suggestion: closest(&field, names.iter().map(String::as_str)).map(str::to_string),
                field,
                records,
            })
            .collect(),
    }
}
/// Checks the rows under a sheet's header on the calling thread; blank
/// rows are not records.
#[cfg(feature = "spreadsheets")]
fn check_sheet<E: From<InputError>>(
    body: &SheetBody,
    checker: &mut Checker<'_>,
    sink: &mut impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    for row in body.records() {
        let report = checker.check_sheet_row(&body.columns, row, body.ods);
        if !report.violations.is_empty() || !report.errors.is_empty() {
            sink(report)?;
        }
    }
    Ok(())
}
/// Checks every chunk of NDJSON or CSV on the calling thread.
fn check_chunks<R: Fill, E: From<InputError>>(
    mut chunker: Chunker<R>,
    records: &Records,
    checker: &mut Checker<'_>,
    sink: &mut impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    let mut reports = Vec::new();
    while let Some(piece) = chunker.next_chunk().map_err(InputError::from)? {
        check_piece(records, checker, &piece, &mut reports);
        if let Piece::Records(buffer) = piece {
            chunker.recycle(buffer);
        }
        for report in reports.drain(..) {
            sink(report)?;
        }
    }
    Ok(())
}

/// Checks a `.json` document (read whole, so that strings and numbers can
/// be borrowed from it, decimals digit for digit); its records are checked
/// one by one as the array is parsed, without building a
/// `serde_json::Value`.
fn check_document<E: From<InputError>>(
    bytes: &[u8],
    checker: &mut Checker<'_>,
    sink: &mut impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let mut failure = None;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let visitor = Document {
        checker,
        sink,
        failure: &mut failure,
    };
    let parsed =
        serde::Deserializer::deserialize_any(&mut deserializer, visitor).and_then(|()| deserializer.end());
    if let Some(e) = failure {
        return Err(e);
    }
    parsed.map_err(InputError::from)?;
    Ok(())
}

/// Reads every record of `input` in `format`, checks it with `checker`, and
/// hands the report of each record that has findings (violations or
/// errors) to `sink` as soon as it is made. `checker` keeps the count of
/// records and the totals. ([`Input`] does the same in two steps, with the
/// file's warnings in between.)
pub fn check_reader<R: Read, E: From<InputError>>(
    input: R,
    format: InputFormat,
    checker: &mut Checker<'_>,
    sink: impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    let input = checker.open_input(input, format)?;
    checker.check_input(input, sink).map(|_| ())
}

/// [`check_reader`] on `jobs` threads (NDJSON and CSV; a `.json` document
/// and `jobs <= 1` are read on the calling thread). Reports reach `sink`
/// in input order, numbered as with one thread.
pub fn check_reader_parallel<R: Read + Send, E: From<InputError>>(
    input: R,
    format: InputFormat,
    checker: &mut Checker<'_>,
    jobs: usize,
    sink: impl FnMut(RecordReport) -> Result<(), E>,
) -> Result<(), E> {
    let input = checker.open_input(input, format)?;
    checker.check_input_parallel(input, jobs, sink).map(|_| ())
}

/// Appends `report` to `out` if it has findings: when only counting, none
/// has, and nothing is appended.
fn keep_findings(out: &mut Vec<RecordReport>, report: RecordReport) {
    if !report.violations.is_empty() || !report.errors.is_empty() {
        out.push(report);
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

/// Checks every record of `piece`, numbering them on in `checker`, and
/// appends the reports that have findings to `out`.
pub(super) fn check_piece(
    records: &Records,
    checker: &mut Checker<'_>,
    piece: &Piece,
    out: &mut Vec<RecordReport>,
) {
    match piece {
        Piece::Records(chunk) => check_chunk(records, checker, chunk, out),
        Piece::Oversized => {
            let limit = checker.max_record_bytes();
            keep_findings(
                out,
                checker.not_a_record(format!("the record is longer than {limit} bytes (the limit)")),
            );
        }
    }
}

/// The records of one chunk of NDJSON or CSV.
fn check_chunk(records: &Records, checker: &mut Checker<'_>, chunk: &[u8], out: &mut Vec<RecordReport>) {
    let mut keep = |report: RecordReport| keep_findings(out, report);
    match records {
        Records::Ndjson => checker.check_ndjson_chunk(chunk, keep),
        Records::Csv { columns, delimiter } => {
            // The csv crate drops a byte-order mark at the start of what
            // it reads; in a later chunk those bytes are data, so they
            // must not stand first: an empty line before them is skipped.
            let lead: &[u8] = if chunk.starts_with(b"\xEF\xBB\xBF") {
                b"\n"
            } else {
                b""
            };
            let mut reader = csv_reader(lead.chain(chunk), *delimiter);
            let mut row = csv::ByteRecord::new();
            let limit = checker.max_record_bytes();
            loop {
                let start = reader.position().byte();
                let read = reader.read_byte_record(&mut row);
                if matches!(read, Ok(true)) && reader.position().byte() - start > limit as u64 {
                    keep(
                        checker.not_a_record(format!("the record is longer than {limit} bytes (the limit)")),
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
