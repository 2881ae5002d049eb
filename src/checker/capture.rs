//! The records a checker keeps for `explain`, as it checks them: the
//! checker offers each record, the capture keeps those its selection asks
//! for.

use crate::compile::Program;
use crate::record::Record;

/// Which records to explain: `--record N`, `--record KEY` or `--key KEY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The record of this number (from 1, as `check` numbers them).
    Number(u64),
    /// Every record whose key field reads as this text.
    Key(String),
}

/// A record kept by [`super::Checker::capturing`]: as read, or why it could not be.
#[derive(Clone, Debug, PartialEq)]
pub enum Captured {
    /// The record, with its values owned.
    Record(Record<'static>),
    /// Why the text was no record (not an object, not JSON), as its error
    /// entry says.
    NotARecord(String),
}

/// Records are to be found by key, and the rules declare no `key`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the rules declare no `key`, so no record can be found by key `{0}`; give a record number")]
pub struct NoKeyDeclared(pub String);

/// The records a [`crate::Checker`] keeps for explaining, as it checks
/// them (see [`crate::Checker::with_capture`]): the one of a number, or
/// every one of a key value, in input order.
///
/// ```
/// use civrules::explain::{Capture, Selection};
///
/// let program = civrules::Program::from_source("t.rules", "key employee_id\nrule on_time: arrival <= 07:30")?;
/// let capture = Capture::new(&program, Selection::Key("HT-2".into())).unwrap();
/// let mut checker = civrules::Checker::new(&program).with_capture(capture);
/// for (id, arrival) in [("HT-1", "07:10"), ("HT-2", "07:45"), ("HT-2", "07:20")] {
///     checker.check_json(&serde_json::json!({"employee_id": id, "arrival": arrival}));
/// }
/// let capture = checker.take_capture().unwrap();
/// let text = civrules::explain::explain_capture(&program, &capture, None, checker.records()).unwrap();
/// assert!(text.starts_with("record 2 (key HT-2)\n"));
/// assert!(text.contains("\n\nrecord 3 (key HT-2)\n"));
/// # Ok::<(), civrules::CompileError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Capture {
    pub(crate) selection: Selection,
    key_slot: Option<usize>,
    pub(crate) kept: Vec<(u64, Captured)>,
    /// For each record kept, the rules not checked on it (its input did
    /// not observe a field they read).
    pub(crate) unchecked: Vec<Vec<u32>>,
    /// The key value seen closest to the one asked for, and how close, for
    /// a "did you mean" when none matches.
    nearest_key: Option<(usize, String)>,
}

impl Capture {
    /// Fails when records are to be found by key and the rules declare no
    /// `key`.
    pub fn new(program: &Program, selection: Selection) -> Result<Capture, NoKeyDeclared> {
        if let (Selection::Key(key), None) = (&selection, program.key) {
            return Err(NoKeyDeclared(key.clone()));
        }
        Ok(Capture {
            selection,
            key_slot: program.key,
            kept: Vec::new(),
            unchecked: Vec::new(),
            nearest_key: None,
        })
    }

    /// A capture of record `number`, which every program can make.
    pub(crate) fn number(number: u64) -> Capture {
        Capture {
            selection: Selection::Number(number),
            key_slot: None,
            kept: Vec::new(),
            unchecked: Vec::new(),
            nearest_key: None,
        }
    }

    /// Which records are kept.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// Whether record `number` may be kept, so that it must be read into
    /// cells (and not only decided by generated code).
    pub(crate) fn may_keep(&self, number: u64) -> bool {
        match self.selection {
            Selection::Number(wanted) => wanted == number,
            Selection::Key(_) => true,
        }
    }

    /// Whether nothing more can be kept: the record of a number was seen.
    /// (A key value may come again in any later record.)
    pub fn is_complete(&self) -> bool {
        matches!(self.selection, Selection::Number(_)) && !self.kept.is_empty()
    }

    /// Record `number`, as it is checked; `unchecked`: the rules not
    /// checked on it.
    pub(crate) fn offer(&mut self, number: u64, record: &Record<'_>, unchecked: &[u32]) {
        let wanted = match &self.selection {
            Selection::Number(wanted) => *wanted == number,
            Selection::Key(key) => {
                let Some(text) = self
                    .key_slot
                    .and_then(|slot| record.cell(slot).to_value())
                    .map(|value| value.to_string())
                else {
                    return;
                };
                let wanted = text == *key;
                if !wanted {
                    self.remember_if_nearer(key.clone(), text);
                }
                wanted
            }
        };
        if wanted {
            self.kept
                .push((number, Captured::Record(record.clone().into_owned())));
            self.unchecked.push(unchecked.to_vec());
        }
    }

    fn remember_if_nearer(&mut self, key: String, seen: String) {
        let Some(distance) = crate::diagnostic::closeness(&key, &seen) else {
            return;
        };
        if self.nearest_key.as_ref().is_none_or(|(best, _)| distance < *best) {
            self.nearest_key = Some((distance, seen));
        }
    }

    /// Record `number`, which could not be read (it has no key).
    pub(crate) fn offer_unreadable(&mut self, number: u64, why: &str) {
        if self.selection == Selection::Number(number) {
            self.kept.push((number, Captured::NotARecord(why.to_string())));
            self.unchecked.push(Vec::new());
        }
    }

    /// The records kept, numbered, in input order.
    pub fn records(&self) -> &[(u64, Captured)] {
        &self.kept
    }

    /// Takes the first record kept.
    pub(crate) fn take_first(&mut self) -> Option<Captured> {
        (!self.kept.is_empty()).then(|| {
            self.unchecked.remove(0);
            self.kept.remove(0).1
        })
    }

    /// The key value seen that is closest to the one asked for, where one
    /// is close.
    pub fn closest_key(&self) -> Option<&str> {
        self.nearest_key.as_ref().map(|(_, key)| key.as_str())
    }
}
