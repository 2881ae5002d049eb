//! How a text value of a column reads through a source (contract §8): the
//! column's words first (its own `missing`, `yes`, `no`), then the
//! file-wide `missing` words, then the field's type with the column's
//! `format` or `decimal_comma`. Strings are NFC-normalised.

use std::borrow::Cow;

use super::csv::csv_cell;
#[cfg(feature = "spreadsheets")]
use super::sheet_value::{sheet_value, SheetCell, SheetValue};
use crate::compile::Slot;
use crate::semantics::cell::Cell;
use crate::semantics::value::{self, Type};
use crate::source::{like_header, nfc, trim, Reading, Target, Word};

impl Reading {
    /// Reads one text value of this column, handing each field it gives
    /// (one, or a date and a time) to `put`.
    #[inline]
    pub(crate) fn read_text<'a>(&self, text: &'a str, mut put: impl FnMut(Slot, Cell<'a>)) {
        match self.target {
            Target::One { slot: None, .. }
            | Target::Split {
                date: None,
                time: None,
            } => {}
            Target::One { slot: Some(slot), ty } => put(slot, self.one(text, ty)),
            Target::Split { date, time } => {
                let trimmed = trim(text);
                let (d, t) = match self.words.lookup(trimmed) {
                    Word::Missing | Word::Bool(_) => (Cell::Missing, Cell::Missing),
                    Word::Other => match self.format.as_ref().and_then(|f| f.read(trimmed)) {
                        Some((d, t)) => (
                            d.map_or(Cell::Missing, Cell::Date),
                            t.map_or(Cell::Missing, Cell::Time),
                        ),
                        None => {
                            let error = self.mismatch(trimmed);
                            (Cell::Error(error.clone()), Cell::Error(error))
                        }
                    },
                };
                if let Some(slot) = date {
                    put(slot, d);
                }
                if let Some(slot) = time {
                    put(slot, t);
                }
            }
        }
    }

    /// Reads one spreadsheet cell of this column: a text cell as
    /// [`Reading::read_text`] reads it (words, `format`, `decimal_comma`
    /// apply to text alone), any other by the table of
    /// [`sheet_value`].
    #[cfg(feature = "spreadsheets")]
    pub(crate) fn read_sheet<'a>(&self, cell: &SheetCell<'a>, mut put: impl FnMut(Slot, Cell<'a>)) {
        let value = |ty: Option<Type>| match sheet_value(ty, cell) {
            SheetValue::Value(value) => Ok(value),
            SheetValue::Text(text) => Err(text),
        };
        match self.target {
            Target::One { slot: Some(slot), ty } => match value(ty) {
                Ok(value) => put(slot, value),
                Err(text) => put(slot, self.one(text, ty)),
            },
            Target::One { slot: None, .. } => {}
            Target::Split { date, time } => match (value(Some(Type::DATE)), value(Some(Type::TIME))) {
                (Ok(d), Ok(t)) => {
                    if let Some(slot) = date {
                        put(slot, d);
                    }
                    if let Some(slot) = time {
                        put(slot, t);
                    }
                }
                // A text cell: the column's format splits it.
                (Err(text), _) | (_, Err(text)) => self.read_text(text, put),
            },
        }
    }

    #[inline]
    fn one<'a>(&self, text: &'a str, ty: Option<Type>) -> Cell<'a> {
        let trimmed = trim(text);
        match self.words.lookup(trimmed) {
            Word::Missing => return Cell::Missing,
            Word::Bool(b) => return Cell::Bool(b),
            Word::Other => {}
        }
        if let Some(format) = &self.format {
            return match format.read(trimmed) {
                Some((Some(d), _)) if ty == Some(Type::DATE) => Cell::Date(d),
                Some((_, Some(t))) if ty == Some(Type::TIME) => Cell::Time(t),
                _ => Cell::Error(self.mismatch(trimmed)),
            };
        }
        match ty {
            Some(Type::BOOL) => match like_header(trimmed).as_ref() {
                "true" | "1" => Cell::Bool(true),
                "false" | "0" => Cell::Bool(false),
                _ => Cell::Error(format!(
                    "\"{}\" is not a word for yes or no in column \"{}\" ({})",
                    shown(trimmed),
                    self.column,
                    self.allowed
                )),
            },
            Some(Type::INT | Type::DECIMAL) if self.decimal_comma => self.comma_number(trimmed, ty),
            Some(Type::STRING) | None => match ty.is_none().then_some(trimmed) {
                Some("true") => Cell::Bool(true),
                Some("false") => Cell::Bool(false),
                _ => Cell::String(nfc(text)),
            },
            _ => csv_cell(ty, text),
        }
    }

    /// A number written with a decimal comma: a `.` is refused, since
    /// Vietnamese writes it between thousands.
    fn comma_number<'a>(&self, trimmed: &str, ty: Option<Type>) -> Cell<'a> {
        if trimmed.contains('.') {
            return Cell::Error(format!(
                "\"{}\" has a `.`, but column \"{}\" writes decimals with a comma (decimal_comma); \
                 a `.` between thousands is not read, to never guess",
                shown(trimmed),
                self.column
            ));
        }
        let text: Cow<'_, str> = if trimmed.contains(',') {
            Cow::Owned(trimmed.replacen(',', ".", 1))
        } else {
            Cow::Borrowed(trimmed)
        };
        let parsed = match ty {
            Some(Type::INT) => text.parse().ok().map(Cell::Int),
            _ => value::parse_decimal(&text).map(Cell::Decimal),
        };
        parsed.unwrap_or_else(|| {
            let what = if ty == Some(Type::INT) {
                "an int"
            } else {
                "a decimal"
            };
            Cell::Error(format!(
                "\"{}\" is not {what} written with a decimal comma (column \"{}\")",
                shown(trimmed),
                self.column
            ))
        })
    }

    fn mismatch(&self, trimmed: &str) -> String {
        let format = self.format.as_ref().map_or("", |f| f.text.as_str());
        format!(
            "\"{}\" does not match the format \"{format}\" of column \"{}\"",
            shown(trimmed),
            self.column
        )
    }
}

/// A value as a message shows it: cut after 40 characters.
fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(40) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}
