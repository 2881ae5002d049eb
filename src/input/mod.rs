//! Stage: input bytes → records. JSON, NDJSON and CSV, read as contract §5
//! says or through a source (§8). NDJSON and CSV are streamed in chunks of
//! whole records (`chunks.rs`), so memory does not grow with the input, and
//! chunks can be checked on several cores (`checker/parallel.rs`) with the
//! output in input order. An input is opened first (`Input::open`): its
//! header (or first records) says which fields it observes, so which rules
//! cannot be checked on it, before any record is. The readers of records
//! are here too: JSON (`json.rs`), CSV (`csv.rs`), `serde::Serialize`
//! values (`serialize.rs`), spreadsheet cells (`sheet_value.rs`), and a
//! column's value through a source (`through.rs`). This stage reads; the
//! checker (`crate::checker`) drives it and checks what it reads.

mod chunks;
mod csv;
mod decode;
mod header;
mod json;
mod keys;
mod serialize;
#[cfg(feature = "spreadsheets")]
mod sheet;
#[cfg(feature = "spreadsheets")]
mod sheet_value;
mod through;

use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::compile::Program;
use crate::diagnostic::closest;
use crate::source::{ColumnMatch, NotChecked, Observed, Source};
use chunks::Boundary;
use header::{map_header, Header};

pub(crate) use self::csv::fill_csv;
pub(crate) use chunks::{Chunker, Fill, Piece};
pub(crate) use decode::Decoded;
pub(crate) use header::ColumnRead;
pub(crate) use json::{read_json, read_json_over, Shape};
pub(crate) use keys::document_keys;
pub use serialize::SerializeError;
pub(crate) use serialize::{read_serialize, SerializeScratch};
#[cfg(feature = "spreadsheets")]
pub(crate) use sheet::sheet_cell;
#[cfg(feature = "spreadsheets")]
pub(crate) use sheet_value::sheet_value;
#[cfg(feature = "spreadsheets")]
pub(crate) use sheet_value::{fill_sheet, SheetCell, SheetValue};

/// What an input is opened for: the program whose fields its records give,
/// the source they are read through (if any), and the longest record read
/// (see [`crate::Limits::max_record_bytes`]), and the `--by` fields, which
/// the file should observe.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Opening<'p> {
    pub program: &'p Program,
    pub source: Option<&'p Source>,
    pub max_record_bytes: usize,
    pub by: &'p [(String, usize)],
}

/// The format of a data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// An array of objects, or one object.
    Json,
    /// One object a line; blank lines are not records.
    Ndjson,
    /// A header row of field names, then a record a row.
    Csv,
    /// An Excel workbook (Office Open XML), read whole: one sheet, its
    /// header row, then a record a row (feature `spreadsheets`).
    #[cfg(feature = "spreadsheets")]
    Xlsx,
    /// An Excel 97–2003 workbook, read as `Xlsx` is.
    #[cfg(feature = "spreadsheets")]
    Xls,
    /// An OpenDocument spreadsheet, read as `Xlsx` is.
    #[cfg(feature = "spreadsheets")]
    Ods,
}

impl InputFormat {
    /// By extension, in any case: `.json`, `.ndjson`/`.jsonl`, `.csv`, and
    /// with feature `spreadsheets` `.xlsx`, `.xls`, `.ods`.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(InputFormat::Json),
            "ndjson" | "jsonl" => Some(InputFormat::Ndjson),
            "csv" => Some(InputFormat::Csv),
            #[cfg(feature = "spreadsheets")]
            "xlsx" => Some(InputFormat::Xlsx),
            #[cfg(feature = "spreadsheets")]
            "xls" => Some(InputFormat::Xls),
            #[cfg(feature = "spreadsheets")]
            "ods" => Some(InputFormat::Ods),
            _ => None,
        }
    }

    /// A spreadsheet: read whole, one sheet of it.
    pub fn is_spreadsheet(self) -> bool {
        match self {
            InputFormat::Json | InputFormat::Ndjson | InputFormat::Csv => false,
            #[cfg(feature = "spreadsheets")]
            InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods => true,
        }
    }

    /// Its records are rows under a header, which says what they observe
    /// (contract §8).
    pub(crate) fn has_header_row(self) -> bool {
        self == InputFormat::Csv || self.is_spreadsheet()
    }
}

/// Input that cannot be read as records at all (the command exits 2).
/// Why an input could not be read to its end. (A record that cannot be
/// read is an error entry of the report, not this.)
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A JSON document that is not JSON.
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A CSV file the csv reader refuses.
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Text that is not UTF-8 where UTF-8 is wanted.
    #[error("not UTF-8 text (byte {offset})")]
    NotUtf8 {
        /// The first byte that is not, from 0.
        offset: usize,
    },
    /// Two columns give one field that the rules read.
    #[error(
        "columns \"{first}\" and \"{second}\" both give field {field}: which one to read cannot be told"
    )]
    FieldTwice {
        /// The field.
        field: String,
        /// The first column's header.
        first: String,
        /// The second column's header.
        second: String,
    },
    /// The file holds records, but no rule can be checked on them.
    #[error(
        "no rule can be checked: {} field{} {} that the rules need",
        if *by_observes { "the source's `observes` lists no" } else { "no column gives the" },
        if fields.len() == 1 { "" } else { "s" },
        fields.join(", ")
    )]
    NothingToCheck {
        /// The fields the rules need that the file does not give.
        fields: Vec<String>,
        /// They are missing from the source's `observes` line, not from a
        /// header.
        by_observes: bool,
    },
    /// A spreadsheet that cannot be read: damaged, encrypted, or not of its
    /// format.
    #[error("{0}")]
    Spreadsheet(String),
    /// `--sheet` names a sheet the workbook does not have.
    #[error(
        "the workbook has no sheet \"{name}\"{}; its sheets: {}",
        suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default(),
        sheets.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
    )]
    UnknownSheet {
        /// The name asked for.
        name: String,
        /// The sheets the workbook has, in order.
        sheets: Vec<String>,
        /// The sheet whose name is close to the one asked for.
        suggestion: Option<String>,
    },
}

/// An input file opened for checking: its header (or first records) read,
/// so that what it observes, the rules that cannot be checked on it and
/// its warnings are known before any record is checked (contract §8: the
/// command looks at every file first).
///
/// ```
/// use civrules::{Checker, InputFormat, Program};
///
/// let program = Program::from_source("ban.rules", "
///     rule badge: badge_worn required
///     rule nameplate: nameplate required
/// ")?;
/// let csv = "employee_id,badge_worn\nNV-1,true\nNV-2,false\n";
/// let mut checker = Checker::new(&program);
/// let input = checker.open_input(csv.as_bytes(), InputFormat::Csv)?;
/// // No column gives `nameplate`: that rule is not checked on this file.
/// assert_eq!(input.not_checked()[0].rule, "nameplate");
/// let mut found = Vec::new();
/// let summary = checker.check_input(input, |report| {
///     found.push(report);
///     Ok::<_, civrules::InputError>(())
/// })?;
/// assert_eq!(summary.records, 2);
/// assert_eq!(found.len(), 1);
/// assert_eq!(checker.summary().not_checked["nameplate"], 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Input<R> {
    pub(crate) format: InputFormat,
    pub(crate) body: Body<R>,
    pub(crate) observed: Observed,
    not_checked: Vec<NotChecked>,
    warnings: Vec<InputWarning>,
    /// Names the file uses (its headers, the keys of its first records, and
    /// the fields they give), for "did you mean".
    pub(crate) names: Vec<String>,
}

pub(crate) enum Body<R> {
    /// A `.json` document, read whole.
    Document(Vec<u8>),
    /// NDJSON or CSV, cut into chunks of whole records.
    Chunks {
        chunker: Box<Chunker<Decoded<R>>>,
        records: Records,
    },
    /// One sheet of a spreadsheet, read whole.
    #[cfg(feature = "spreadsheets")]
    Sheet(Box<SheetBody>),
}

/// The records of a sheet: the rows under its header.
#[cfg(feature = "spreadsheets")]
pub(crate) struct SheetBody {
    sheet: sheet::Sheet,
    /// The header's row, from 0 in the sheet (`None`: the sheet is empty).
    header_row: Option<u64>,
    pub(crate) columns: Vec<Option<ColumnRead>>,
    /// OpenDocument, whose error values calamine gives as text.
    pub(crate) ods: bool,
}

#[cfg(feature = "spreadsheets")]
impl SheetBody {
    /// The rows under the sheet's header; blank rows are not records.
    pub(crate) fn records(&self) -> impl Iterator<Item = &[calamine::Data]> {
        let header_row = self.header_row;
        self.sheet
            .rows()
            .filter(move |(number, row)| {
                header_row.is_some_and(|header| *number > header) && !sheet::is_blank(row)
            })
            .map(|(_, row)| row)
    }
}

/// What [`crate::Checker::open_input`] noticed about a file, printed by the command on
/// standard error (`PATH: warning: …`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputWarning {
    /// A rule reads fields the file does not observe: it is not checked on
    /// the file's records.
    NotChecked {
        /// The rule's id.
        rule: String,
        /// The fields it reads that the file does not observe.
        fields: Vec<String>,
        /// The fields are missing from the source's `observes` line, not
        /// from a header.
        by_observes: bool,
        /// A name the file uses that is close to the first field.
        suggestion: Option<String>,
    },
    /// A column whose header is empty holds values; they are not read.
    EmptyHeader {
        /// Counted from 1 (in a spreadsheet, A is 1).
        column: usize,
    },
    /// A `--by` field that the file does not observe: all its records
    /// count under `"null"`.
    ByNotObserved {
        /// The field.
        field: String,
        /// The field is missing from the source's `observes` line, not
        /// from a header.
        by_observes: bool,
        /// A name the file uses that is close to the field.
        suggestion: Option<String>,
    },
    /// The sheet of a spreadsheet holds nothing at or under its header
    /// row: it has no records.
    EmptySheet {
        /// The sheet's name.
        sheet: String,
        /// The source's `header_row`, when it sets one.
        header_row: Option<u64>,
    },
}

impl fmt::Display for InputWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputWarning::NotChecked {
                rule,
                fields,
                by_observes,
                suggestion,
            } => {
                let s = if fields.len() > 1 { "s" } else { "" };
                let fields = fields.join(", ");
                if *by_observes {
                    write!(
                        f,
                        "rule {rule} not checked: the source's `observes` does not list field{s} {fields}"
                    )?;
                } else {
                    write!(f, "rule {rule} not checked: no column gives field{s} {fields}")?;
                }
                if let Some(near) = suggestion {
                    write!(f, ": did you mean {near}?")?;
                }
                Ok(())
            }
            InputWarning::ByNotObserved {
                field,
                by_observes,
                suggestion,
            } => {
                if *by_observes {
                    write!(
                        f,
                        "--by {field}: the source's `observes` does not list field {field}"
                    )?;
                } else {
                    write!(f, "--by {field}: no column gives field {field}")?;
                }
                write!(f, ", so every record counts under \"null\"")?;
                if let Some(near) = suggestion {
                    write!(f, ": did you mean {near}?")?;
                }
                Ok(())
            }
            InputWarning::EmptyHeader { column } => {
                write!(f, "column {column} has no header: its values are not read")
            }
            InputWarning::EmptySheet {
                sheet,
                header_row: None,
            } => write!(f, "sheet {sheet} is empty: it has no records"),
            InputWarning::EmptySheet {
                sheet,
                header_row: Some(row),
            } => write!(
                f,
                "sheet {sheet} is empty from row {row} (the source's header_row) down: it has no records"
            ),
        }
    }
}

/// What checking one input file found beyond its records' entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputSummary {
    /// The records of this file.
    pub records: u64,
    /// For JSON and NDJSON: the fields checked rules read that no record
    /// of the file held (contract §8: a warning after the report).
    pub never_held: Vec<NeverHeld>,
}

/// A field that checked rules read and that no record of a JSON or NDJSON
/// file held: misspelt in the rules, or not in the export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeverHeld {
    /// The field's name.
    pub field: String,
    /// The records of the file.
    pub records: u64,
    /// A key of the file close to the field's name.
    pub suggestion: Option<String>,
}

impl fmt::Display for NeverHeld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let records = if self.records == 1 {
            "the one record".to_string()
        } else {
            format!("all {} records", self.records)
        };
        write!(f, "field {} is missing from {records}", self.field)?;
        if let Some(near) = &self.suggestion {
            write!(f, ": did you mean {near}?")?;
        }
        Ok(())
    }
}

impl<R: Read> Input<R> {
    /// Opens `input` in `format` for `opening` (its program, and the
    /// source it reads through): reads a CSV header, or the first NDJSON
    /// records, or a whole `.json` document; of a spreadsheet, the sheet
    /// named `sheet` (`None`: its first worksheet), read whole. A name the
    /// workbook does not have is [`InputError::UnknownSheet`]; other formats
    /// have no sheets, and ignore `sheet`.
    ///
    /// A file that holds records but on which no rule can be checked (none
    /// of the fields they read is observed) is unreadable
    /// ([`InputError::NothingToCheck`]), as is a CSV file where two columns
    /// give one field the rules read ([`InputError::FieldTwice`]).
    pub(crate) fn open(
        input: R,
        format: InputFormat,
        sheet: Option<&str>,
        opening: Opening<'_>,
    ) -> Result<Input<R>, InputError> {
        #[cfg(not(feature = "spreadsheets"))]
        let _ = sheet;
        let program = opening.program;
        let source = opening.source;
        let observes = source.and_then(|s| s.observes.clone());
        let json_observed = || observes.clone().map_or_else(Observed::all, Observed::only);
        let mut warnings = Vec::new();
        let (body, observed, names, has_records, has_header) = match format {
            InputFormat::Json => {
                let mut bytes = Vec::new();
                BufReader::new(input).read_to_end(&mut bytes)?;
                if bytes.starts_with(b"\xEF\xBB\xBF") {
                    bytes.drain(..3);
                }
                if let Err(e) = simdutf8::compat::from_utf8(&bytes) {
                    return Err(InputError::NotUtf8 {
                        offset: e.valid_up_to(),
                    });
                }
                let has_records = !is_empty_array(&bytes);
                (
                    Body::Document(bytes),
                    json_observed(),
                    Vec::new(),
                    has_records,
                    observes.is_some(),
                )
            }
            InputFormat::Ndjson => {
                let plain = Decoded::new(input, crate::source::Encoding::Utf8)?;
                let mut chunker = Chunker::new(plain, Boundary::Newline, opening.max_record_bytes);
                let mut names = Vec::new();
                let mut has_records = false;
                if let Some(piece) = chunker.next_chunk()? {
                    if let Piece::Records(chunk) = &piece {
                        let lines = chunk
                            .split(|b| *b == b'\n')
                            .filter(|l| !l.iter().all(u8::is_ascii_whitespace));
                        for line in lines.take(keys::SAMPLED_RECORDS) {
                            has_records = true;
                            let line = line.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(line);
                            keys::line_keys(line, &mut names);
                        }
                    } else {
                        has_records = true;
                    }
                    match piece {
                        Piece::Records(chunk) => chunker.push_front(chunk),
                        // The first record was over-long: it stays one error.
                        Piece::Oversized => chunker.push_oversized(),
                    }
                }
                let body = Body::Chunks {
                    chunker: Box::new(chunker),
                    records: Records::Ndjson,
                };
                (body, json_observed(), names, has_records, observes.is_some())
            }
            InputFormat::Csv => {
                let (chunker, header, first_look) = open_csv(input, opening)?;
                for column in first_look.empty_with_values {
                    warnings.push(InputWarning::EmptyHeader { column: column + 1 });
                }
                let body = Body::Chunks {
                    chunker: Box::new(chunker),
                    records: Records::Csv {
                        columns: header.columns,
                        delimiter: source.map_or(b',', |s| s.delimiter),
                    },
                };
                (
                    body,
                    header.observed,
                    header.names,
                    first_look.has_records,
                    first_look.has_header,
                )
            }
            #[cfg(feature = "spreadsheets")]
            InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods => {
                let mut bytes = Vec::new();
                let mut input = input;
                input.read_to_end(&mut bytes)?;
                let (body, header, first_look) =
                    open_spreadsheet(bytes, format, sheet, opening, &mut warnings)?;
                (
                    Body::Sheet(Box::new(body)),
                    header.observed,
                    header.names,
                    first_look.has_records,
                    first_look.has_header,
                )
            }
        };
        let mut names = names;
        if let Some(source) = source {
            // Keys give fields through the source: offer those too.
            let given: Vec<String> = names
                .iter()
                .flat_map(|n| match source.column(program, n) {
                    m @ (ColumnMatch::Named(_) | ColumnMatch::Field(_)) => source.fields_of(program, m, n),
                    _ => Vec::new(),
                })
                .collect();
            for name in given {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let not_checked = observed.not_checked(program);
        if has_header {
            let offered: Vec<&str> = match observed.fields() {
                Some(fields) if format.has_header_row() => names
                    .iter()
                    .map(String::as_str)
                    .chain(fields.iter().map(String::as_str))
                    .collect(),
                Some(fields) => fields.iter().map(String::as_str).collect(),
                None => Vec::new(),
            };
            for n in &not_checked {
                let first = n.fields.first().map_or("", String::as_str);
                warnings.push(InputWarning::NotChecked {
                    rule: n.rule.clone(),
                    fields: n.fields.clone(),
                    by_observes: !format.has_header_row(),
                    suggestion: closest(first, offered.iter().copied()).map(str::to_string),
                });
            }
            for (field, _) in opening.by.iter().filter(|(f, _)| !observed.holds(f)) {
                warnings.push(InputWarning::ByNotObserved {
                    field: field.clone(),
                    by_observes: !format.has_header_row(),
                    suggestion: closest(field, offered.iter().copied()).map(str::to_string),
                });
            }
        }
        if has_header && has_records && !program.rules.is_empty() && not_checked.len() == program.rules.len()
        {
            let mut fields: Vec<String> = Vec::new();
            for n in &not_checked {
                for f in &n.fields {
                    if !fields.contains(f) {
                        fields.push(f.clone());
                    }
                }
            }
            return Err(InputError::NothingToCheck {
                fields,
                by_observes: !format.has_header_row(),
            });
        }
        Ok(Input {
            format,
            body,
            observed,
            not_checked,
            warnings,
            names,
        })
    }

    /// The fields this file can hold.
    pub fn observed(&self) -> &Observed {
        &self.observed
    }

    /// The rules that cannot be checked on this file's records.
    pub fn not_checked(&self) -> &[NotChecked] {
        &self.not_checked
    }

    /// What opening the file noticed.
    pub fn warnings(&self) -> &[InputWarning] {
        &self.warnings
    }
}

/// Whether a `.json` document is an empty array (a file with no records).
fn is_empty_array(bytes: &[u8]) -> bool {
    let mut rest = bytes.iter().filter(|b| !b.is_ascii_whitespace());
    matches!(
        (rest.next(), rest.next(), rest.next()),
        (Some(b'['), Some(b']'), None)
    )
}

/// What the first look at a CSV file found.
struct FirstLook {
    has_header: bool,
    has_records: bool,
    /// Columns (from 0) with an empty header and a value in the first chunk.
    empty_with_values: Vec<usize>,
}

/// Opens a CSV file: its encoding, the rows above its header, the header,
/// and a look at the first chunk of records after it.
fn open_csv<R: Read>(
    input: R,
    opening: Opening<'_>,
) -> Result<(Chunker<Decoded<R>>, Header, FirstLook), InputError> {
    let source = opening.source;
    let encoding = source.map_or(crate::source::Encoding::Utf8, |s| s.encoding);
    let delimiter = source.map_or(b',', |s| s.delimiter);
    let mut to_skip = source.and_then(|s| s.header_row).map_or(0, |n| n - 1);
    let limit = opening.max_record_bytes;
    let mut chunker = Chunker::new(Decoded::new(input, encoding)?, Boundary::CsvNewline, limit);
    let mut row = ::csv::ByteRecord::new();
    let mut at_start = true;
    let found = loop {
        let chunk = match chunker.next_chunk()? {
            Some(Piece::Records(bytes)) => bytes,
            Some(Piece::Oversized) if to_skip > 0 => {
                to_skip -= 1;
                continue;
            }
            Some(Piece::Oversized) => {
                return Err(InputError::Csv(::csv::Error::from(std::io::Error::other(
                    format!("the header row is longer than {limit} bytes (the limit)"),
                ))));
            }
            None => break false,
        };
        let mut body: &[u8] = if at_start {
            chunk.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&chunk)
        } else {
            &chunk
        };
        at_start = false;
        // Rows above the header (`header_row`) are not records.
        while to_skip > 0 && !body.is_empty() {
            body = memchr::memchr(b'\n', body).map_or(&[][..], |end| &body[end + 1..]);
            to_skip -= 1;
        }
        let mut header_reader = csv_reader(body, delimiter);
        // A chunk of blank lines only has no header: it is further on.
        if header_reader.read_byte_record(&mut row)? {
            let rest = body[header_reader.position().byte() as usize..].to_vec();
            chunker.push_front(rest);
            break true;
        }
    };
    let headers: Vec<String> = row
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let header = map_header(&headers, opening.program, source)?;
    let mut look = FirstLook {
        has_header: found,
        has_records: false,
        empty_with_values: Vec::new(),
    };
    match chunker.next_chunk()? {
        Some(Piece::Records(chunk)) => {
            let mut rows = csv_reader(chunk.as_slice(), delimiter);
            let mut cells = ::csv::ByteRecord::new();
            while let Ok(true) = rows.read_byte_record(&mut cells) {
                look.has_records = true;
                // Only columns without a header need more than one row.
                if header.empty.len() == look.empty_with_values.len() {
                    break;
                }
                for &column in &header.empty {
                    let holds = cells.get(column).is_some_and(|c| !c.trim_ascii().is_empty());
                    if holds && !look.empty_with_values.contains(&column) {
                        look.empty_with_values.push(column);
                    }
                }
            }
            chunker.push_front(chunk);
        }
        Some(Piece::Oversized) => {
            look.has_records = true;
            chunker.push_oversized();
        }
        None => {}
    }
    Ok((chunker, header, look))
}

/// Opens a spreadsheet: reads the sheet, finds its header row (the
/// source's `header_row`, counted in the sheet from 1, else the first
/// non-empty row; an empty row there moves it down, as in CSV), and looks
/// at the rows under it.
#[cfg(feature = "spreadsheets")]
fn open_spreadsheet(
    bytes: Vec<u8>,
    format: InputFormat,
    wanted: Option<&str>,
    opening: Opening<'_>,
    warnings: &mut Vec<InputWarning>,
) -> Result<(SheetBody, Header, FirstLook), InputError> {
    let sheet = sheet::read_sheet(bytes, format, wanted)?;
    let ods = format == InputFormat::Ods;
    let source = opening.source;
    let from = source
        .and_then(|s| s.header_row)
        .map_or(0, |n| n.saturating_sub(1));
    let header_row = sheet
        .rows()
        .find(|(number, row)| *number >= from && !sheet::is_blank(row));
    let headers: Vec<String> = header_row
        .map(|(_, row)| row.iter().map(|cell| sheet::header_text(cell, ods)).collect())
        .unwrap_or_default();
    let header_row = header_row.map(|(number, _)| number);
    let header = map_header(&headers, opening.program, source)?;
    let mut look = FirstLook {
        has_header: header_row.is_some(),
        has_records: false,
        empty_with_values: Vec::new(),
    };
    match header_row {
        Some(header_row) => {
            let records = sheet
                .rows()
                .filter(|(number, row)| *number > header_row && !sheet::is_blank(row));
            for (_, row) in records {
                look.has_records = true;
                for &column in &header.empty {
                    let holds = row.get(column).is_some_and(|cell| !sheet::is_empty(cell));
                    if holds && !look.empty_with_values.contains(&column) {
                        look.empty_with_values.push(column);
                    }
                }
            }
        }
        None => warnings.push(InputWarning::EmptySheet {
            sheet: sheet.name.clone(),
            header_row: source.and_then(|s| s.header_row),
        }),
    }
    look.empty_with_values.sort_unstable();
    for column in &look.empty_with_values {
        warnings.push(InputWarning::EmptyHeader {
            column: sheet.first_column() + column + 1,
        });
    }
    let body = SheetBody {
        sheet,
        header_row,
        columns: header.columns.clone(),
        ods,
    };
    Ok((body, header, look))
}

/// A reader of CSV records (the header is a record like the others).
pub(crate) fn csv_reader<T: Read>(bytes: T, delimiter: u8) -> ::csv::Reader<T> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// How the records of a chunk are read.
pub(crate) enum Records {
    Ndjson,
    Csv {
        /// How each column reads (`None`: no rule reads it).
        columns: Vec<Option<ColumnRead>>,
        delimiter: u8,
    },
}
