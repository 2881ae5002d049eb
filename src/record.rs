//! A record: one cell per field of the program that read it. A leaf over
//! `semantics::cell`: the readers (`input`) fill records, the evaluator
//! (`eval`) reads them, and neither is known here.

use crate::semantics::cell::Cell;

/// A record read into the slots of one [`crate::Program`]; strings may
/// borrow from the input it was read from. It knows its program: another
/// refuses it (see [`ForeignRecord`]).
///
/// ```
/// use civrules::{Outcome, Program, Reason};
///
/// let program = Program::from_source("t.rules", "rule on_time: arrival <= 07:30\n")?;
/// let json = serde_json::json!({"arrival": "07:45"});
/// let record = program.record_from_json(&json).expect("an object");
/// let outcomes = program.outcomes(&record)?;
/// assert!(matches!(outcomes[0], Outcome::Violation { reason: Reason::Failed, .. }));
///
/// let other = Program::from_source("u.rules", "rule on_time: arrival <= 07:30\n")?;
/// assert!(other.outcomes(&record).is_err(), "a record of another program is refused");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Record<'a> {
    pub(crate) program: ProgramId,
    pub(crate) cells: Vec<Cell<'a>>,
}

/// Which compiled program a [`Record`] was read for: a record's cells are
/// that program's slots, and mean nothing to another.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProgramId(u64);

impl ProgramId {
    /// An id no program had before (a clone of a program keeps its own).
    pub(crate) fn next() -> ProgramId {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        ProgramId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// A [`Record`] read for another [`crate::Program`] than the one it was
/// given to: its cells are the other program's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the record was read for another program: read it with this program's `record_from_json` or `record_from`")]
pub struct ForeignRecord;

impl<'a> Record<'a> {
    /// A record of `slots` missing cells of program `program`, in
    /// `buffer`'s allocation, whatever the lifetime the buffer's cells
    /// had: collecting into the same element layout reuses the vector in
    /// place.
    // `filter` cannot change the element's lifetime; `filter_map` can.
    #[allow(clippy::unnecessary_filter_map)]
    #[inline]
    pub(crate) fn reuse_for<'b>(buffer: Vec<Cell<'b>>, program: ProgramId, slots: usize) -> Record<'a> {
        let mut cells: Vec<Cell<'a>> = buffer.into_iter().filter_map(|_| None).collect();
        cells.extend((0..slots).map(|_| Cell::Missing));
        Record { program, cells }
    }

    /// Refuses a record of another program than `program` (of `slots`
    /// fields).
    #[inline]
    pub(crate) fn of_program(&self, program: ProgramId, slots: usize) -> Result<&Record<'a>, ForeignRecord> {
        if self.program == program && self.cells.len() == slots {
            Ok(self)
        } else {
            Err(ForeignRecord)
        }
    }

    /// Gives the allocation back for [`Record::reuse_for`].
    #[allow(clippy::unnecessary_filter_map)]
    pub(crate) fn into_buffer(mut self) -> Vec<Cell<'static>> {
        // Cleared first, the collect has nothing to drop. When it dropped
        // the cells itself, how well that was compiled changed with
        // unrelated code elsewhere in the crate: once a call a cell, 4%
        // more instructions to check CSV.
        self.cells.clear();
        self.cells.into_iter().filter_map(|_| None).collect()
    }

    /// The cell of a field by its slot.
    pub(crate) fn cell(&self, slot: usize) -> &Cell<'a> {
        &self.cells[slot]
    }

    /// The cells, one per field of the program, in the program's field order.
    pub fn cells(&self) -> &[Cell<'a>] {
        &self.cells
    }

    /// A copy that borrows nothing.
    pub fn into_owned(self) -> Record<'static> {
        Record {
            program: self.program,
            cells: self.cells.into_iter().map(Cell::into_static).collect(),
        }
    }
}
