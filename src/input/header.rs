//! A header row (of a CSV file or a spreadsheet) → how each column reads,
//! and the fields the file observes (contract §8).

use crate::compile::{Program, Slot};
use crate::source::{ColumnMatch, Observed, Reading, Source};

use super::InputError;

/// How one column of a CSV file or spreadsheet is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnRead {
    /// Without a source: as contract §5 reads field `slot`.
    Plain(Slot),
    /// Through the source's `column` line of this index.
    Named(usize),
    /// Through the source, under the field's own name.
    Field(Slot),
}

impl ColumnRead {
    /// The source's reading of this column (a `Plain` column, read without
    /// a source, has the plain reading of its field).
    pub(crate) fn reading<'s>(&self, source: &'s Source) -> &'s Reading {
        match *self {
            ColumnRead::Named(index) => &source.readings[index],
            ColumnRead::Field(slot) | ColumnRead::Plain(slot) => &source.plain[slot],
        }
    }
}

/// What a header row says.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    /// For each column: how it reads (`None`: no rule, message or key reads it).
    pub columns: Vec<Option<ColumnRead>>,
    /// The fields the headers give.
    pub observed: Observed,
    /// The headers as written, and the fields they give, for "did you mean".
    pub names: Vec<String>,
    /// The columns (from 0) whose header trims to nothing.
    pub empty: Vec<usize>,
}

/// Reads a header row: each column's field, through `source` when there is
/// one. Two columns that give one field the rules read make the file
/// unreadable: which of the two to believe cannot be told.
pub(crate) fn map_header(
    headers: &[String],
    program: &Program,
    source: Option<&Source>,
) -> Result<Header, InputError> {
    let mut columns = Vec::with_capacity(headers.len());
    let mut observed = Vec::new();
    let mut names = Vec::new();
    let mut empty = Vec::new();
    // The column that gave each slot, by index.
    let mut given: Vec<Option<usize>> = vec![None; program.schema.slots.len()];
    for (index, header) in headers.iter().enumerate() {
        let (read, fields): (Option<ColumnRead>, Vec<String>) = match source {
            Some(source) => {
                let matched = source.column(program, header);
                let read = match matched {
                    // A column whose fields nothing reads is not read at all.
                    ColumnMatch::Named(reading) if source.readings[reading].slots().next().is_none() => None,
                    ColumnMatch::Named(reading) => Some(ColumnRead::Named(reading)),
                    ColumnMatch::Field(slot) => Some(ColumnRead::Field(slot)),
                    ColumnMatch::Unread | ColumnMatch::Empty => None,
                };
                (read, source.fields_of(program, matched, header))
            }
            None => {
                let name = header.trim();
                let slot = program.schema.slots.iter().position(|s| s.name == name);
                let fields = if name.is_empty() {
                    Vec::new()
                } else {
                    vec![name.to_string()]
                };
                (slot.map(ColumnRead::Plain), fields)
            }
        };
        if header.trim().is_empty() {
            empty.push(index);
        } else {
            names.push(header.trim().to_string());
        }
        let slots: Vec<Slot> = match (read, source) {
            (Some(ColumnRead::Plain(slot)), _) => vec![slot],
            (Some(other), Some(source)) => other.reading(source).slots().collect(),
            _ => Vec::new(),
        };
        for slot in slots {
            match given[slot] {
                Some(first) => {
                    return Err(InputError::FieldTwice {
                        field: program.schema.slots[slot].name.clone(),
                        first: headers[first].trim().to_string(),
                        second: header.trim().to_string(),
                    })
                }
                None => given[slot] = Some(index),
            }
        }
        for field in &fields {
            if !names.contains(field) {
                names.push(field.clone());
            }
        }
        observed.extend(fields);
        columns.push(read);
    }
    Ok(Header {
        columns,
        observed: Observed::only(observed),
        names,
        empty,
    })
}
