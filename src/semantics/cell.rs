//! [`Cell`]: a value as a record holds it and evaluation computes with it.
//!
//! The one scalar value type of evaluation, kept apart from [`Value`] for
//! speed: strings are borrowed from the input the record was read from (no
//! copy per record), and a missing field, a data error and an object are
//! variants of the same enum, so that testing a cell is one `match`.
//! [`Value`] is the owned form, for literals, reports and tools.

use std::borrow::Cow;

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::value::Value;

/// One field of a record, as read, and what evaluation computes with.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Absent or `null` (or an empty CSV cell).
    Missing,
    /// A bool.
    Bool(bool),
    /// An int.
    Int(i64),
    /// A decimal, exact to 28 digits.
    Decimal(Decimal),
    /// A string, borrowed from the input where it can be.
    String(Cow<'a, str>),
    /// A time of day.
    Time(Time),
    /// A date.
    Date(Date),
    /// A duration.
    Duration(SignedDuration),
    /// A list of one type.
    List(Vec<Cell<'a>>),
    /// A JSON object in a field that no rule gives a type.
    Object,
    /// The value could not be read as the field's type; says why.
    Error(String),
}

impl<'a> Cell<'a> {
    /// Puts `new` in the cell's place. A record's cells mostly hold what the
    /// record before left there, which owns no memory: skipping its drop
    /// glue (a call, and a dispatch on the old kind) is a good part of the
    /// cost of reading a field.
    #[inline]
    pub(crate) fn overwrite(&mut self, new: Cell<'a>) {
        self.overwrite_with(|| new);
    }

    /// [`Cell::overwrite`] with the cell that `make` returns, made only
    /// once the old one is out of the way: it is then written straight into
    /// place. Made before, it waits on the stack across the old one's drop,
    /// and copying it in by wide loads from narrow stores stalls the CPU
    /// (perf: four fifths of the cycles spent putting a bool in a cell).
    #[inline]
    pub(crate) fn overwrite_with(&mut self, make: impl FnOnce() -> Cell<'a>) {
        // Every kind named, so that a new one must say whether it owns memory
        // (forgetting one that does would leak it).
        let owns_memory = match self {
            Cell::String(Cow::Owned(_)) | Cell::List(_) | Cell::Error(_) => true,
            Cell::String(Cow::Borrowed(_))
            | Cell::Missing
            | Cell::Bool(_)
            | Cell::Int(_)
            | Cell::Decimal(_)
            | Cell::Time(_)
            | Cell::Date(_)
            | Cell::Duration(_)
            | Cell::Object => false,
        };
        if owns_memory {
            *self = Cell::Missing;
        }
        std::mem::forget(std::mem::replace(self, make()));
    }
}

impl Cell<'_> {
    /// The cell as messages print it (`07:45`, `2022-02-09`, `1h30m`, a
    /// string as it is); `None` when missing or in error. A string is
    /// handed out as it is; any other value is written into `buffer`
    /// (emptied first), which is reused from one call to the next.
    pub(crate) fn printed<'x>(&'x self, buffer: &'x mut String) -> Option<&'x str> {
        use std::fmt::Write;
        match self {
            Cell::String(text) => Some(text),
            other => {
                let value = other.to_value()?;
                buffer.clear();
                // Writing into a String cannot fail.
                let _ = write!(buffer, "{value}");
                Some(buffer)
            }
        }
    }

    /// The cell as an owned [`Value`]; `None` when missing or in error.
    pub fn to_value(&self) -> Option<Value> {
        Some(match self {
            Cell::Missing | Cell::Error(_) => return None,
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Int(i) => Value::Int(*i),
            Cell::Decimal(d) => Value::Decimal(*d),
            Cell::String(s) => Value::String(s.to_string()),
            Cell::Time(t) => Value::Time(*t),
            Cell::Date(d) => Value::Date(*d),
            Cell::Duration(d) => Value::Duration(*d),
            Cell::List(items) => Value::List(items.iter().filter_map(Cell::to_value).collect()),
            Cell::Object => Value::Object,
        })
    }

    pub(crate) fn into_static(self) -> Cell<'static> {
        match self {
            Cell::Missing => Cell::Missing,
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Int(i) => Cell::Int(i),
            Cell::Decimal(d) => Cell::Decimal(d),
            Cell::String(s) => Cell::String(Cow::Owned(s.into_owned())),
            Cell::Time(t) => Cell::Time(t),
            Cell::Date(d) => Cell::Date(d),
            Cell::Duration(d) => Cell::Duration(d),
            Cell::List(items) => Cell::List(items.into_iter().map(Cell::into_static).collect()),
            Cell::Object => Cell::Object,
            Cell::Error(e) => Cell::Error(e),
        }
    }
}

impl<'v> Cell<'v> {
    /// The cell that holds `value`, its strings borrowed.
    pub(crate) fn of_value(value: &'v Value) -> Cell<'v> {
        match value {
            Value::Bool(b) => Cell::Bool(*b),
            Value::Int(i) => Cell::Int(*i),
            Value::Decimal(d) => Cell::Decimal(*d),
            Value::String(s) => Cell::String(Cow::Borrowed(s)),
            Value::Time(t) => Cell::Time(*t),
            Value::Date(d) => Cell::Date(*d),
            Value::Duration(d) => Cell::Duration(*d),
            Value::List(items) => Cell::List(items.iter().map(Cell::of_value).collect()),
            Value::Object => Cell::Object,
        }
    }

    /// Whether the cell holds an operand: not missing, and neither an
    /// object nor a data error, which evaluation treats as missing.
    #[inline]
    pub(crate) fn is_operand(&self) -> bool {
        !matches!(self, Cell::Missing | Cell::Object | Cell::Error(_))
    }
}
