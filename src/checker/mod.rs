//! The run: a [`Checker`] numbers records as they come, has them read
//! (`input`), evaluated (`eval`) and turned into report entries
//! (`report`), keeps the totals (`totals.rs`), the records `explain` asks
//! for (`capture.rs`), and runs generated code ([`crate::codegen`]'s run
//! time). `input.rs` checks a whole opened [`Input`], `parallel.rs` its
//! chunks on several cores.

mod capture;
mod groups;
mod input;
mod parallel;
mod totals;

use indexmap::IndexMap;
use serde_json::Value as Json;

use crate::compile::{CompiledRule, Program, Slot};
use crate::eval::{Outcome, Reason, Verdict};
#[cfg(feature = "spreadsheets")]
use crate::input::fill_sheet;
use crate::input::{fill_csv, read_json_over, read_serialize, ColumnRead, SerializeScratch, Shape};
use crate::record::{ForeignRecord, Record};
use crate::report::{render_message, Detail, ErrorEntry, RecordReport, Summary, Violation};
use crate::semantics::cell::Cell;
use crate::source::{NotChecked, Observed, Source};
use totals::{Totals, NO_VALUE};

pub use capture::{Capture, Captured, NoKeyDeclared, Selection};
pub use input::{check_reader, check_reader_parallel};

/// A source compiled for another program than the checker's: its columns
/// would fill the wrong fields.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("source `{source_name}` was compiled for other rules than the checker's")]
pub struct SourceMismatch {
    /// The source's name (its `source` line, or its file's stem).
    pub source_name: String,
}

/// A `--by` field ([`Checker::with_by`]) that the checker's program does
/// not read: add it with [`Program::with_extra_fields`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` is not a field the program reads: compile it with `Program::with_extra_fields` to total by it{}", .suggestion.as_ref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default())]
pub struct UnknownByField {
    /// The field asked for.
    pub field: String,
    /// A field the program reads with a close name.
    pub suggestion: Option<String>,
}

/// Checks records one after another, numbering them from 1, and keeps the
/// running [`Summary`].
///
/// ```
/// let program = civrules::Program::from_source("gio.rules", "rule on_time: arrival <= 07:30")?;
/// let mut checker = civrules::Checker::new(&program);
/// let late = checker.check_json(&serde_json::json!({"arrival": "07:45"}));
/// assert_eq!(late.violations[0].rule, "on_time");
/// let blank = checker.check_ndjson_line("   ");
/// assert!(blank.is_none());
/// assert_eq!(checker.records(), 1);
/// # Ok::<(), civrules::CompileError>(())
/// ```
///
/// When only the totals are wanted, [`Detail::Totals`] skips writing the
/// entries:
///
/// ```
/// use civrules::report::Detail;
///
/// let program = civrules::Program::from_source("gio.rules", "rule on_time: arrival <= 07:30")?;
/// let mut checker = civrules::Checker::new(&program).with_detail(Detail::Totals);
/// let late = checker.check_json(&serde_json::json!({"arrival": "07:45"}));
/// assert!(late.violations.is_empty());
/// assert_eq!(checker.summary().violations["on_time"], 1);
/// # Ok::<(), civrules::CompileError>(())
/// ```
#[derive(Debug)]
pub struct Checker<'p> {
    program: &'p Program,
    records: u64,
    totals: Totals,
    detail: Detail,
    /// Reused from record to record, so that checking allocates nothing
    /// for a record without findings.
    findings: Vec<(u32, Outcome)>,
    cells: Vec<Cell<'static>>,
    /// For each slot, the record of a chunk that last wrote its cell (see
    /// [`Checker::check_ndjson_chunk`]).
    written: Vec<u64>,
    /// Cells for records read from Rust values, and what reading them
    /// keeps from record to record.
    owned: Vec<Cell<'static>>,
    scratch: SerializeScratch<'p>,
    /// The rules generated code found violated by the record it decided
    /// last, counted only once it has decided them all.
    generated_violations: Vec<usize>,
    max_record_bytes: usize,
    /// Which records to keep a copy of (for `explain`), and the copies.
    capture: Option<Capture>,
    /// The source records are read through, if any.
    source: Option<&'p Source>,
    /// The rules not checked on the current input (see
    /// [`Checker::observe`]), and the same as a mask by rule index.
    unchecked: Vec<u32>,
    unchecked_mask: Vec<bool>,
    /// The slots checked rules read, watched for a field that no record of
    /// the current input holds.
    watched: Vec<usize>,
    /// The `--by` fields, each with its slot, in the order asked for.
    by: Vec<(String, Slot)>,
    /// For the record being checked, its row in each `--by` table.
    by_rows: Vec<usize>,
    /// Where a `--by` value that is not a string is printed, reused.
    by_text: String,
}

impl<'p> Checker<'p> {
    /// A checker of `program`'s rules, with the default record size limit
    /// ([`crate::Limits::DEFAULT`]) and every finding written down
    /// ([`Detail::Entries`]).
    pub fn new(program: &'p Program) -> Checker<'p> {
        Checker {
            program,
            records: 0,
            totals: Totals::new(program, 0),
            detail: Detail::Entries,
            findings: Vec::new(),
            cells: Vec::new(),
            written: Vec::new(),
            owned: Vec::new(),
            scratch: SerializeScratch::default(),
            generated_violations: Vec::new(),
            max_record_bytes: crate::Limits::DEFAULT.max_record_bytes,
            capture: None,
            source: None,
            unchecked: Vec::new(),
            unchecked_mask: Vec::new(),
            watched: Vec::new(),
            by: Vec::new(),
            by_rows: Vec::new(),
            by_text: String::new(),
        }
    }

    /// Also totals the findings by value of each of `fields` (contract
    /// §10, `--by`): for each field, each value met (in order of first
    /// appearance, every record adding its own, with findings or
    /// without), the violations of every rule, in rule order. A record
    /// missing the field, holding a data error in it, or not an object
    /// counts under `"null"`. Each field must be one the program reads
    /// (see [`Program::with_extra_fields`]); one asked for twice is
    /// totalled once. Any totals counted before are started again.
    ///
    /// ```
    /// let program = civrules::Program::from_source("gio.rules", "rule on_time: arrival <= 07:30")?;
    /// assert!(civrules::Checker::new(&program).with_by(&["unit"]).is_err());
    /// let program = program.with_extra_fields(["unit"]);
    /// let mut checker = civrules::Checker::new(&program).with_by(&["unit", "arrival"])?;
    /// checker.check_json(&serde_json::json!({"unit": "Sở Nội vụ", "arrival": "07:45"}));
    /// checker.check_json(&serde_json::json!({"arrival": "07:15"}));
    /// let by = checker.summary().by.expect("asked for");
    /// assert_eq!(by["unit"]["Sở Nội vụ"]["on_time"], 1);
    /// assert_eq!(by["unit"]["null"]["on_time"], 0);
    /// assert_eq!(by["arrival"].keys().collect::<Vec<_>>(), ["07:45", "07:15"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_by(mut self, fields: &[&str]) -> Result<Checker<'p>, UnknownByField> {
        let schema = &self.program.schema;
        let mut by: Vec<(String, Slot)> = Vec::with_capacity(fields.len());
        for field in fields {
            let Some(slot) = schema.slot_of(field) else {
                let names = schema.slots.iter().map(|s| s.name.as_str());
                return Err(UnknownByField {
                    field: field.to_string(),
                    suggestion: crate::diagnostic::closest(field, names).map(str::to_string),
                });
            };
            if !by.iter().any(|(name, _)| name == field) {
                by.push((field.to_string(), slot));
            }
        }
        self.by = by;
        self.totals = Totals::new(self.program, self.by.len());
        self.totals.all_seen = self.watched.is_empty();
        Ok(self)
    }

    /// The `--by` fields, in the order asked for.
    pub fn by_fields(&self) -> impl Iterator<Item = &str> {
        self.by.iter().map(|(name, _)| name.as_str())
    }

    /// Finds, for a record (`None`: one that is not an object), its row
    /// in each `--by` table, adding its value where new.
    fn note_by_values(&mut self, record: Option<&Record<'_>>) {
        self.by_rows.clear();
        let rules = self.program.rules.len();
        for (field, (_, slot)) in self.by.iter().enumerate() {
            let cell = record.and_then(|r| r.cells().get(*slot));
            let value = cell
                .and_then(|c| c.printed(&mut self.by_text))
                .unwrap_or(NO_VALUE);
            let row = self.totals.by_row(field, value, rules);
            self.totals.add_by_record(field, row);
            self.by_rows.push(row);
        }
    }

    /// For each `--by` field, each value's number of records (in the order
    /// of [`Summary::by`]); `None` when no field was asked for. The html
    /// report shows them beside the totals per value.
    pub fn by_records(&self) -> Option<IndexMap<String, IndexMap<String, u64>>> {
        (!self.by.is_empty()).then(|| {
            self.by
                .iter()
                .zip(&self.totals.by)
                .map(|((field, _), table)| {
                    let records = table
                        .iter()
                        .map(|(value, counts)| (value.clone(), counts.last().copied().unwrap_or(0)))
                        .collect();
                    (field.clone(), records)
                })
                .collect()
        })
    }

    /// Counts one violation of rule `rule` (by index) under `values` (as
    /// [`by_values`] gave them) in the `--by` tables: for a group rule,
    /// its group's first record's values.
    pub(crate) fn count_by(&mut self, values: &[String], rule: usize) {
        let rules = self.program.rules.len();
        for (field, value) in values.iter().enumerate().take(self.by.len()) {
            let row = self.totals.by_row(field, value, rules);
            add_by(&mut self.totals, &[(field, row)], rule);
        }
    }

    /// Reads records through `source` (contract §8): its columns name the
    /// top-level keys of JSON records and the columns of CSV and
    /// spreadsheets, and read their values. The source must have been
    /// compiled for this checker's program.
    pub fn with_source(mut self, source: &'p Source) -> Result<Checker<'p>, SourceMismatch> {
        if !source.is_for(self.program) {
            return Err(SourceMismatch {
                source_name: source.name().to_string(),
            });
        }
        self.source = Some(source);
        Ok(self)
    }

    /// The source records are read through.
    pub fn source(&self) -> Option<&'p Source> {
        self.source
    }

    /// Checks the records that follow as records of an input that holds
    /// only the `observed` fields: a rule that reads any other is not
    /// checked on them (no outcome, counted in
    /// [`Summary::not_checked`]). Also starts watching, for
    /// [`Checker::never_held`], the fields the checked rules read.
    /// Returns the rules not checked.
    pub fn observe(&mut self, observed: &Observed) -> Vec<NotChecked> {
        let not_checked = observed.not_checked(self.program);
        self.unchecked = not_checked.iter().map(|n| n.index as u32).collect();
        self.unchecked_mask = vec![false; self.program.rules.len()];
        for n in &not_checked {
            self.unchecked_mask[n.index] = true;
        }
        let mut watched: Vec<usize> = self
            .program
            .rules
            .iter()
            .zip(&self.unchecked_mask)
            .filter(|(_, unchecked)| !**unchecked)
            .flat_map(|(rule, _)| rule.reads.iter().copied())
            .collect();
        watched.sort_unstable();
        watched.dedup();
        self.watched = watched;
        self.totals.seen.iter_mut().for_each(|s| *s = false);
        self.totals.all_seen = self.watched.is_empty();
        not_checked
    }

    /// The fields that checked rules read and that no record since
    /// [`Checker::observe`] held (a misspelt field, or one the export
    /// never carries), in slot order.
    pub fn never_held(&self) -> Vec<String> {
        self.watched
            .iter()
            .filter(|s| !self.totals.seen[**s])
            .map(|s| self.program.schema.slots[*s].name.clone())
            .collect()
    }

    /// Counts, for a record of the current input, the rules not checked
    /// on it and the watched fields it holds.
    fn note_record(&mut self, record: Option<&Record<'_>>) {
        for &rule in &self.unchecked {
            self.totals.not_checked[rule as usize] += 1;
        }
        if let (false, Some(record)) = (self.totals.all_seen, record) {
            let mut all = true;
            for &slot in &self.watched {
                if !self.totals.seen[slot] {
                    if matches!(record.cell(slot), Cell::Missing) {
                        all = false;
                    } else {
                        self.totals.seen[slot] = true;
                    }
                }
            }
            self.totals.all_seen = all;
        }
    }

    fn is_checked(&self, rule: usize) -> bool {
        !self.unchecked_mask.get(rule).copied().unwrap_or(false)
    }

    /// Continues the numbering after `records` records checked elsewhere.
    pub fn starting_after(mut self, records: u64) -> Checker<'p> {
        self.records = records;
        self
    }

    /// Reads NDJSON lines and CSV rows of up to `limit` bytes (see
    /// [`crate::Limits::max_record_bytes`]); a longer one is one error entry.
    pub fn with_max_record_bytes(mut self, limit: usize) -> Checker<'p> {
        self.max_record_bytes = limit;
        self
    }

    /// The largest record read, in bytes; a larger one is an error entry.
    pub fn max_record_bytes(&self) -> usize {
        self.max_record_bytes
    }

    /// Sets how much is written down about each finding.
    pub fn with_detail(mut self, detail: Detail) -> Checker<'p> {
        self.detail = detail;
        self
    }

    /// How much is written down about each finding.
    pub fn detail(&self) -> Detail {
        self.detail
    }

    /// A checker with the same settings that starts from nothing, for
    /// another thread's part of the input.
    pub(crate) fn fresh(&self) -> Checker<'p> {
        let mut fresh = Checker::new(self.program)
            .with_max_record_bytes(self.max_record_bytes)
            .with_detail(self.detail);
        fresh.source = self.source;
        fresh.unchecked = self.unchecked.clone();
        fresh.unchecked_mask = self.unchecked_mask.clone();
        fresh.watched = self.watched.clone();
        fresh.by = self.by.clone();
        fresh.totals = Totals::new(self.program, self.by.len());
        fresh.totals.all_seen = self.watched.is_empty();
        fresh
    }

    /// The program whose rules this checker checks.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Renumbers a report that another checker made for a part of the
    /// input, on from `base` records before that part. (Its findings are
    /// counted by [`Checker::absorb`].)
    pub(crate) fn renumber(mut report: RecordReport, base: u64) -> RecordReport {
        report.record += base;
        report.violations.iter_mut().for_each(|v| v.record += base);
        report.errors.iter_mut().for_each(|e| e.record += base);
        report
    }

    /// Counts the records and findings of a part of the input checked by
    /// another checker.
    pub(crate) fn absorb(&mut self, records: u64, totals: Totals) {
        let base = self.records;
        self.records += records;
        self.totals.add(totals, base);
    }

    /// Hands over the records and totals counted so far, and starts again
    /// from nothing (for a worker's next part of the input).
    pub(crate) fn take_counts(&mut self) -> (u64, Totals) {
        let mut next = Totals::new(self.program, self.by.len());
        next.all_seen = self.watched.is_empty();
        let totals = std::mem::replace(&mut self.totals, next);
        (std::mem::take(&mut self.records), totals)
    }

    /// How many records were checked so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The violations per rule and the errors counted so far.
    pub fn summary(&self) -> Summary {
        Summary {
            violations: self
                .program
                .rules
                .iter()
                .zip(&self.totals.violations)
                .map(|(rule, n)| (rule.id.clone(), *n))
                .collect(),
            errors: self.totals.errors,
            not_checked: self
                .program
                .rules
                .iter()
                .zip(&self.totals.not_checked)
                .filter(|(_, n)| **n > 0)
                .map(|(rule, n)| (rule.id.clone(), *n))
                .collect(),
            ungrouped: self
                .program
                .rules
                .iter()
                .zip(&self.totals.ungrouped)
                .filter(|(_, n)| **n > 0)
                .map(|(rule, n)| (rule.id.clone(), *n))
                .collect(),
            by: (!self.by.is_empty()).then(|| {
                self.by
                    .iter()
                    .zip(&self.totals.by)
                    .map(|((field, _), table)| {
                        let values = table
                            .iter()
                            .map(|(value, counts)| {
                                let counts = self
                                    .program
                                    .rules
                                    .iter()
                                    .zip(counts)
                                    .map(|(rule, n)| (rule.id.clone(), *n))
                                    .collect();
                                (value.clone(), counts)
                            })
                            .collect();
                        (field.clone(), values)
                    })
                    .collect()
            }),
        }
    }

    /// Whether any violation or error was found so far.
    pub fn has_findings(&self) -> bool {
        self.totals.errors > 0 || self.totals.violations.iter().any(|n| *n > 0)
    }

    /// A JSON value as the next record (a value that is not an object is
    /// one error entry).
    pub fn check_json(&mut self, json: &Json) -> RecordReport {
        self.check_deserializer(json, false)
            .unwrap_or_else(|e| self.not_a_record(format!("unreadable record: {e}")))
    }

    /// Reads the next record from a JSON deserializer and checks it; a read
    /// error is handed back, for the caller to judge. `text` as in
    /// [`crate::input::read_json`].
    pub(crate) fn check_deserializer<'de, D: serde::Deserializer<'de>>(
        &mut self,
        deserializer: D,
        text: bool,
    ) -> Result<RecordReport, D::Error> {
        let mut record = Record::reuse(std::mem::take(&mut self.cells), &self.program.schema);
        let result = read_json_over(
            deserializer,
            &self.program.schema,
            self.source,
            &mut record.cells,
            &mut [],
            0,
            text,
        )
        .map(|shape| self.check_shape(shape, &record));
        self.cells = record.into_buffer();
        result
    }

    /// Any `serde::Serialize` value — a tool's own struct — as the next
    /// record, read without JSON in between.
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Attendance<'a> {
    ///     employee_id: &'a str,
    ///     arrival: &'a str,
    ///     badge_worn: bool,
    /// }
    ///
    /// let program = civrules::Program::from_source(
    ///     "gio.rules",
    ///     "key employee_id\nrule on_time: arrival <= 07:30\nrule badge: badge_worn required",
    /// )?;
    /// let mut checker = civrules::Checker::new(&program);
    /// let report = checker.check_serialize(&Attendance { employee_id: "NA-7", arrival: "07:42", badge_worn: true });
    /// assert_eq!(report.violations.len(), 1);
    /// assert_eq!(report.violations[0].rule, "on_time");
    /// assert_eq!(report.violations[0].key, Some(civrules::Value::String("NA-7".into())));
    /// # Ok::<(), civrules::CompileError>(())
    /// ```
    pub fn check_serialize<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> RecordReport {
        let program = self.program;
        let mut cells = std::mem::take(&mut self.owned);
        let read = read_serialize(value, &program.schema, &mut cells, &mut self.scratch);
        let record = Record {
            program: program.schema.program,
            cells,
        };
        let report = match read {
            Ok(shape) => self.check_shape(shape, &record),
            Err(e) => self.not_a_record(e.to_string()),
        };
        self.owned = record.cells;
        report
    }

    /// [`Checker::check_serialize`], with code generated from the rules
    /// ([`crate::codegen`]) deciding what it can: it counts a record that
    /// has no data error and (unless only counting) no violation, and
    /// gives every other record to the interpreter. The reports and counts
    /// are the same as [`Checker::check_serialize`]'s; only faster.
    ///
    /// Code generated from other rules than the checker's (see
    /// [`Program::codegen_fingerprint`]) decides nothing: every record then
    /// goes to the interpreter.
    pub fn check_serialize_with<G, T>(&mut self, generated: &mut G, value: &T) -> RecordReport
    where
        G: crate::codegen::runtime::Generated,
        T: serde::Serialize + ?Sized,
    {
        let decided = G::FINGERPRINT == self.program.codegen_fingerprint()
            // The record to keep for `explain` is kept by the interpreter.
            && !self.capture.as_ref().is_some_and(|c| c.may_keep(self.records + 1))
            // So are records whose rules are not all checked, or whose
            // fields are still watched (see `Checker::observe`).
            && self.unchecked.is_empty()
            && self.totals.all_seen
            && self.source.is_none()
            // Group rules keep state from the interpreter's records.
            && self.totals.groups.is_empty()
            // The `--by` tables need the record's cells.
            && self.by.is_empty()
            && crate::codegen::runtime::read(generated, value);
        if !decided {
            return self.check_serialize(value);
        }
        let mut violated = std::mem::take(&mut self.generated_violations);
        violated.clear();
        let decision = generated.decide(|index| violated.push(index));
        let counted = decision.is_ok() && (self.detail == Detail::Totals || violated.is_empty());
        if counted {
            for index in &violated {
                if let Some(count) = self.totals.violations.get_mut(*index) {
                    *count += 1;
                }
            }
        }
        self.generated_violations = violated;
        if !counted {
            return self.check_serialize(value);
        }
        self.records += 1;
        RecordReport {
            record: self.records,
            ..RecordReport::default()
        }
    }

    /// The cells of the last record read from a Rust value.
    #[cfg(test)]
    pub(crate) fn serialized_cells(&self) -> &[Cell<'static>] {
        &self.owned
    }

    /// One NDJSON line: `None` for a blank line (not a record); a malformed
    /// line is one error entry.
    pub fn check_ndjson_line(&mut self, line: &str) -> Option<RecordReport> {
        self.check_ndjson_bytes(line.as_bytes())
    }

    /// [`Checker::check_ndjson_line`] for bytes: text that is not UTF-8 is a
    /// malformed line.
    pub fn check_ndjson_bytes(&mut self, line: &[u8]) -> Option<RecordReport> {
        let line = match self.ndjson_line(line) {
            Ok(line) => line,
            Err(skipped) => return skipped,
        };
        let mut cells = Record::reuse(std::mem::take(&mut self.cells), &self.program.schema).cells;
        let report = self.read_ndjson(line, &mut cells, &mut [], 0);
        self.cells = Record {
            program: self.program.schema.program,
            cells,
        }
        .into_buffer();
        Some(report)
    }

    /// Every NDJSON line of `chunk`, each as [`Checker::check_ndjson_bytes`]
    /// checks it, its report handed to `keep`. The cells borrow from the
    /// chunk for the whole of it, so each record is read over the one
    /// before, instead of into cells emptied one by one for each record.
    pub(crate) fn check_ndjson_chunk(&mut self, chunk: &[u8], mut keep: impl FnMut(RecordReport)) {
        let mut cells = Record::reuse(std::mem::take(&mut self.cells), &self.program.schema).cells;
        let mut written = std::mem::take(&mut self.written);
        written.clear();
        written.resize(cells.len(), 0);
        // One check of the whole chunk costs less than one a line (a
        // fixed cost each); where it fails, each line is checked alone, so
        // that only the lines that are not UTF-8 are error entries.
        let text = simdutf8::basic::from_utf8(chunk).ok();
        let mut start = 0;
        for (number, end) in (1..).zip(memchr::memchr_iter(b'\n', chunk).chain([chunk.len()])) {
            let line = &chunk[start..end];
            start = end + 1;
            match self.ndjson_line(line) {
                // The line ends where it ended in the chunk (see `ndjson_line`).
                Ok(line) => match text.and_then(|text| text.get(end - line.len()..end)) {
                    Some(line) => keep(self.read_ndjson_text(line, &mut cells, &mut written, number)),
                    None => keep(self.read_ndjson(line, &mut cells, &mut written, number)),
                },
                Err(Some(report)) => keep(report),
                Err(None) => {}
            }
        }
        self.cells = Record {
            program: self.program.schema.program,
            cells,
        }
        .into_buffer();
        self.written = written;
    }

    /// Reads one NDJSON line (past [`Checker::ndjson_line`]) over `cells` and
    /// checks it; `written` and `number` as in [`read_json_over`] (empty and
    /// 0 for cells that start missing). A line that is not UTF-8 or not JSON
    /// is one error entry.
    fn read_ndjson<'l>(
        &mut self,
        line: &'l [u8],
        cells: &mut Vec<Cell<'l>>,
        written: &mut [u64],
        number: u64,
    ) -> RecordReport {
        // Validating the whole line at once is cheaper than validating each
        // string, and lets serde_json borrow without checking again.
        let Ok(line) = simdutf8::basic::from_utf8(line) else {
            return self.not_a_record("malformed JSON: the line is not UTF-8 text".into());
        };
        self.read_ndjson_text(line, cells, written, number)
    }

    /// [`Checker::read_ndjson`] of a line known to be UTF-8.
    fn read_ndjson_text<'l>(
        &mut self,
        line: &'l str,
        cells: &mut Vec<Cell<'l>>,
        written: &mut [u64],
        number: u64,
    ) -> RecordReport {
        let mut deserializer = serde_json::Deserializer::from_str(line);
        let read = read_json_over(
            &mut deserializer,
            &self.program.schema,
            self.source,
            cells,
            written,
            number,
            true,
        )
        .and_then(|shape| deserializer.end().map(|()| shape));
        let record = Record {
            program: self.program.schema.program,
            cells: std::mem::take(cells),
        };
        let report = match read {
            Ok(shape) => self.check_shape(shape, &record),
            Err(e) => self.not_a_record(format!("malformed JSON: {e}")),
        };
        *cells = record.cells;
        report
    }

    /// An NDJSON line without its byte-order mark (an end of `line`), or
    /// what it comes to without being read: nothing for a blank line, an
    /// error entry for an over-long one.
    fn ndjson_line<'l>(&mut self, line: &'l [u8]) -> Result<&'l [u8], Option<RecordReport>> {
        let line = line.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return Err(None);
        }
        if line.len() > self.max_record_bytes {
            let limit = self.max_record_bytes;
            return Err(Some(self.not_a_record(format!(
                "the record is longer than {limit} bytes (the limit)"
            ))));
        }
        Ok(line)
    }

    /// A CSV row, its cells named by `columns` (how each column reads).
    pub(crate) fn check_csv_row(
        &mut self,
        columns: &[Option<ColumnRead>],
        row: &csv::ByteRecord,
    ) -> RecordReport {
        let mut record = Record::reuse(std::mem::take(&mut self.cells), &self.program.schema);
        fill_csv(&mut record, self.program, self.source, columns, row);
        let report = self.check_read(&record);
        self.cells = record.into_buffer();
        report
    }

    /// A spreadsheet row, its cells named by `columns` (`ods`: the
    /// workbook is OpenDocument).
    #[cfg(feature = "spreadsheets")]
    pub(crate) fn check_sheet_row(
        &mut self,
        columns: &[Option<ColumnRead>],
        row: &[calamine::Data],
        ods: bool,
    ) -> RecordReport {
        let mut record = Record::reuse(std::mem::take(&mut self.cells), &self.program.schema);
        fill_sheet(&mut record, self.program, self.source, columns, row, |cell| {
            crate::input::sheet_cell(cell, ods)
        });
        let report = self.check_read(&record);
        self.cells = record.into_buffer();
        report
    }

    fn check_shape(&mut self, shape: Shape, record: &Record<'_>) -> RecordReport {
        match shape {
            Shape::Object => self.check_read(record),
            Shape::Other(kind) => self.not_a_record(format!("the record is {kind}, not a JSON object")),
        }
    }

    /// Keeps a copy of record `number` as it is checked (for `explain`).
    pub fn capturing(self, number: u64) -> Checker<'p> {
        self.with_capture(Capture::number(number))
    }

    /// Keeps a copy of the records `capture` selects as they are checked:
    /// a record number, or every record of a key value (for `explain`).
    pub fn with_capture(mut self, capture: Capture) -> Checker<'p> {
        self.capture = Some(capture);
        self
    }

    /// The record kept by [`Checker::capturing`], once it has been checked.
    pub fn take_captured(&mut self) -> Option<Captured> {
        self.capture.as_mut().and_then(Capture::take_first)
    }

    /// What [`Checker::with_capture`] kept so far.
    pub fn capture(&self) -> Option<&Capture> {
        self.capture.as_ref()
    }

    /// Takes what [`Checker::with_capture`] kept; nothing more is kept.
    pub fn take_capture(&mut self) -> Option<Capture> {
        self.capture.take()
    }

    /// A record already read into slots (by this checker's program:
    /// [`crate::Program::record_from_json`], [`crate::Program::record_from`]);
    /// a record of another program is refused.
    pub fn check_record(&mut self, record: &Record<'_>) -> Result<RecordReport, ForeignRecord> {
        let record = record.of(&self.program.schema)?;
        Ok(self.check_read(record))
    }

    /// A record this checker read itself.
    fn check_read(&mut self, record: &Record<'_>) -> RecordReport {
        self.records += 1;
        let number = self.records;
        if let Some(capture) = &mut self.capture {
            capture.offer(number, record, &self.unchecked);
        }
        self.note_record(Some(record));
        self.note_by_values(Some(record));
        if self.detail == Detail::Totals {
            return self.count_record(number, record);
        }
        let mut report = RecordReport {
            record: number,
            ..RecordReport::default()
        };
        let program = self.program;
        let key = || program.key.and_then(|k| record.cell(k).to_value());
        // Fields read only for reports (`--by`) have no errors of their own.
        let rule_slots = self.program.rule_slots();
        for (cell, info) in record
            .cells()
            .iter()
            .zip(&self.program.schema.slots[..rule_slots])
        {
            if let Cell::Error(message) = cell {
                self.totals.errors += 1;
                report.errors.push(ErrorEntry {
                    record: number,
                    field: Some(info.name.clone()),
                    rule: None,
                    key: key(),
                    message: message.clone(),
                    group: None,
                });
            }
        }
        // The data errors were just written down: no rule need look for one
        // in a record without.
        let may_have_errors = !report.errors.is_empty();
        self.program
            .findings_into(record, may_have_errors, &mut self.findings);
        for (index, outcome) in &self.findings {
            if !self.is_checked(*index as usize) {
                continue;
            }
            let rule = &self.program.rules[*index as usize];
            match outcome {
                Outcome::Violation { reason, missing } => {
                    self.totals.violations[*index as usize] += 1;
                    add_by_rows(&mut self.totals, &self.by_rows, *index as usize);
                    report
                        .violations
                        .push(self.violation(number, rule, *reason, missing, record));
                }
                // `Error(None)` is a data error, already counted above.
                Outcome::Error(Some(e)) => {
                    self.totals.errors += 1;
                    report.errors.push(ErrorEntry {
                        record: number,
                        field: None,
                        rule: Some(rule.id.clone()),
                        key: self.program.key.and_then(|k| record.cell(k).to_value()),
                        message: e.to_string(),
                        group: None,
                    });
                }
                _ => {}
            }
        }
        if !self.totals.groups.is_empty() {
            let findings = std::mem::take(&mut self.findings);
            let violated = |rule: u32| {
                findings
                    .iter()
                    .any(|(i, o)| *i == rule && matches!(o, Outcome::Violation { .. }))
            };
            self.enter_groups(record, number, &violated, Some(&mut report.errors));
            self.findings = findings;
        }
        if !self.by.is_empty() && (!report.violations.is_empty() || !report.errors.is_empty()) {
            report.by = by_values(&self.by, record);
        }
        report
    }

    /// [`Checker::check_record`] with [`Detail::Totals`]: counts only.
    fn count_record(&mut self, number: u64, record: &Record<'_>) -> RecordReport {
        let totals = &mut self.totals;
        let by_rows = &self.by_rows;
        // Fields read only for reports (`--by`) have no errors of their own.
        let data_errors = record
            .cells()
            .iter()
            .take(self.program.rule_slots())
            .filter(|c| matches!(c, Cell::Error(_)))
            .count() as u64;
        totals.errors += data_errors;
        let unchecked = &self.unchecked_mask;
        let grouping = !totals.groups.is_empty();
        let mut violated = std::mem::take(&mut self.generated_violations);
        violated.clear();
        self.program
            .for_each_verdict(record, data_errors > 0, |index, verdict| {
                if unchecked.get(index as usize).copied().unwrap_or(false) {
                    return;
                }
                match verdict {
                    Verdict::Failed | Verdict::Unknown => {
                        totals.violations[index as usize] += 1;
                        if grouping {
                            violated.push(index as usize);
                        }
                        add_by_rows(totals, by_rows, index as usize);
                    }
                    Verdict::Fault(_) => totals.errors += 1,
                    // A data error, counted above.
                    _ => {}
                }
            });
        if grouping {
            self.enter_groups(record, number, &|rule| violated.contains(&(rule as usize)), None);
        }
        self.generated_violations = violated;
        RecordReport {
            record: number,
            ..RecordReport::default()
        }
    }

    /// Counts a record that could not be read at all (one error entry,
    /// with `field` and `rule` null).
    pub fn not_a_record(&mut self, message: String) -> RecordReport {
        self.records += 1;
        self.note_record(None);
        self.note_by_values(None);
        if let Some(capture) = &mut self.capture {
            capture.offer_unreadable(self.records, &message);
        }
        self.totals.errors += 1;
        let errors = match self.detail {
            Detail::Entries => vec![ErrorEntry {
                record: self.records,
                field: None,
                rule: None,
                key: None,
                message,
                group: None,
            }],
            Detail::Totals => Vec::new(),
        };
        let by = match self.detail {
            Detail::Entries => vec![NO_VALUE.to_string(); self.by.len()],
            Detail::Totals => Vec::new(),
        };
        RecordReport {
            record: self.records,
            violations: Vec::new(),
            errors,
            by,
        }
    }

    fn violation(
        &self,
        number: u64,
        rule: &CompiledRule,
        reason: Reason,
        missing: &[usize],
        record: &Record<'_>,
    ) -> Violation {
        let schema = &self.program.schema;
        Violation {
            record: number,
            rule: rule.id.clone(),
            severity: rule.severity,
            reason,
            missing: missing.iter().map(|s| schema.slots[*s].name.clone()).collect(),
            key: self.program.key.and_then(|k| record.cell(k).to_value()),
            title: rule.title.clone(),
            message: rule.message.as_ref().map(|parts| render_message(parts, record)),
            reference: rule.reference.clone(),
            values: rule
                .reads
                .iter()
                .map(|s| (schema.slots[*s].name.clone(), record.cell(*s).to_value()))
                .collect(),
        }
    }
}

/// A record's value of each of the `by` fields (with their slots), as the
/// `--by` tables count it: `"null"` where it has none.
fn by_values(by: &[(String, Slot)], record: &Record<'_>) -> Vec<String> {
    let mut buffer = String::new();
    by.iter()
        .map(|(_, slot)| {
            record
                .cells()
                .get(*slot)
                .and_then(|c| c.printed(&mut buffer))
                .unwrap_or(NO_VALUE)
                .to_string()
        })
        .collect()
}

/// Counts a violation of rule `rule` (by index) in the `--by` tables, in
/// the given `(table, row)`s.
fn add_by(totals: &mut Totals, rows: &[(usize, usize)], rule: usize) {
    for &(field, row) in rows {
        if let Some(count) = totals.by[field]
            .get_index_mut(row)
            .and_then(|(_, counts)| counts.get_mut(rule))
        {
            *count += 1;
        }
    }
}

/// [`add_by`] for the rows of one record: its row in each table in turn.
fn add_by_rows(totals: &mut Totals, rows: &[usize], rule: usize) {
    for (field, row) in rows.iter().enumerate() {
        add_by(totals, &[(field, *row)], rule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_is_not_utf8_is_one_error_and_the_rest_of_its_chunk_is_read() {
        let program =
            Program::from_source("r.rules", "key id\nrule on_time: arrival <= 07:30").expect("compiles");
        let mut checker = Checker::new(&program);
        let mut chunk = Vec::new();
        chunk.extend_from_slice("\u{feff}{\"id\": \"Lê\", \"arrival\": \"07:45\"}\n".as_bytes());
        chunk.extend_from_slice(b"{\"id\": \"\xff\", \"arrival\": \"07:00\"}\n");
        chunk.extend_from_slice("{\"id\": \"Đỗ\", \"arrival\": \"08:00\"}".as_bytes());
        let mut reports = Vec::new();
        checker.check_ndjson_chunk(&chunk, |report| reports.push(report));
        let found: Vec<_> = reports
            .iter()
            .map(|r| {
                let violations: Vec<_> = r.violations.iter().map(|v| v.key.clone()).collect();
                let errors: Vec<_> = r.errors.iter().map(|e| e.message.clone()).collect();
                (r.record, violations, errors)
            })
            .collect();
        let key = |k: &str| vec![Some(crate::semantics::value::Value::String(k.into()))];
        assert_eq!(
            found,
            [
                (1, key("Lê"), vec![]),
                (
                    2,
                    vec![],
                    vec!["malformed JSON: the line is not UTF-8 text".to_string()]
                ),
                (3, key("Đỗ"), vec![]),
            ]
        );
    }

    #[test]
    fn a_group_violation_counts_under_the_values_kept_from_its_first_record() {
        let program = Program::from_source(
            "r.rules",
            "rule on_time: arrival <= 07:30\nrule badge: badge_worn required",
        )
        .expect("compiles")
        .with_extra_fields(["unit", "date"]);
        let mut checker = Checker::new(&program)
            .with_by(&["unit", "date"])
            .expect("fields of the program");
        let first = serde_json::json!({"unit": "Sở Tư pháp", "date": "2022-02-09", "arrival": "07:00", "badge_worn": true});
        let first = program.record_from_json(&first).expect("an object");
        checker.check_record(&first).expect("its program's record");
        let kept = by_values(&checker.by, &first);
        assert_eq!(kept, ["Sở Tư pháp", "2022-02-09"]);
        let other = serde_json::json!({"arrival": "07:00", "badge_worn": true});
        let other = program.record_from_json(&other).expect("an object");
        checker.check_record(&other).expect("its program's record");
        assert_eq!(by_values(&checker.by, &other), ["null", "null"]);
        // At the end of the input, the group's violation of rule 1.
        checker.count_by(&kept, 1);
        let by = checker.summary().by.expect("asked for");
        assert_eq!(by["unit"]["Sở Tư pháp"]["badge"], 1);
        assert_eq!(by["unit"]["null"]["badge"], 0);
        assert_eq!(by["date"]["2022-02-09"]["badge"], 1);
        assert_eq!(by["date"]["2022-02-09"]["on_time"], 0);
    }
}
