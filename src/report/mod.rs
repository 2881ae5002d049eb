//! Stage: outcomes → report entries: violations and errors numbered by
//! record, the totals per rule, and the writers for each output format.
//!
//! The checker (`crate::checker`) numbers records as they come and turns
//! each record's outcomes into a [`RecordReport`]; a [`Report`] collects
//! them when the whole list is wanted (`--format json`), while the
//! streaming formats write each record's entries and keep only the
//! [`Summary`].

#[cfg(feature = "html")]
mod html;
mod spill;
mod stream;
mod table;
mod words;
mod write;

use indexmap::IndexMap;
use serde::Serialize;

use crate::check::MessagePart;
use crate::compile::Program;
use crate::eval::Reason;
use crate::record::Record;
use crate::semantics::value::Value;
use crate::syntax::Severity;

#[cfg(feature = "html")]
pub use html::{render_html, HtmlContext, HtmlError};
pub use stream::JsonStream;
pub use table::{render_table, Ending, TableStream};
pub use words::{Lang, Words};
pub use write::{write_json, write_ndjson_entries, write_ndjson_groups, write_summary};

/// One violation of one rule by one record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    /// Numbered from 1 in input order.
    pub record: u64,
    /// The rule's id.
    pub rule: String,
    /// The rule's severity.
    pub severity: Severity,
    /// Failed, or unknown because a field was missing.
    pub reason: Reason,
    /// The missing fields that made the check unknown; `[]` when `failed`.
    pub missing: Vec<String>,
    /// The record's key value, where the rules declare a `key`.
    pub key: Option<Value>,
    /// The rule's title.
    pub title: Option<String>,
    /// The rule's message, its `{field}`s filled from the record.
    pub message: Option<String>,
    /// The rule's `ref` (the regulation it comes from).
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// The evidence: the record's value of each field the rule reads (in
    /// `when` and `check`), null where missing.
    pub values: IndexMap<String, Option<Value>>,
}

/// A data error (`field` set), an evaluation error (`rule` set), or a record
/// that is not a JSON object (both null).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorEntry {
    /// Numbered from 1 in input order.
    pub record: u64,
    /// The field that could not be read as its type.
    pub field: Option<String>,
    /// The rule whose evaluation failed (division by zero, overflow…).
    pub rule: Option<String>,
    /// The record's key value; `None` where the rules declare no key, or
    /// the key field is missing or holds a data error.
    pub key: Option<Value>,
    /// What went wrong, in words.
    pub message: String,
    /// For a group rule's evaluation error (§9): the group, as in
    /// [`GroupViolation::group`]; `record` and `key` are then its first
    /// record's. Absent from the output for other entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<IndexMap<String, Value>>,
}

/// For one `--by` field: each value (in order of first appearance) with
/// its findings per rule (every rule, in rule order).
pub type ByValues = IndexMap<String, IndexMap<String, u64>>;

/// The findings of the group rules: violations by their group's first
/// record, then rule position, and the groups' error entries likewise.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupFindings {
    /// Every group violation.
    pub violations: Vec<GroupViolation>,
    /// Every group whose outcome is an evaluation error.
    pub errors: Vec<ErrorEntry>,
}

/// One violation of a group rule (§9) by one group of records.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupViolation {
    /// The group rule's id.
    pub rule: String,
    /// The rule's severity.
    pub severity: Severity,
    /// Failed, or unknown because a value was missing.
    pub reason: Reason,
    /// The missing fields that made the check unknown; `[]` when `failed`.
    pub missing: Vec<String>,
    /// Each `per` expression, as `fmt` writes it, with the group's value.
    pub group: IndexMap<String, Value>,
    /// The group's record numbers in input order (the first 100).
    pub records: Vec<u64>,
    /// How many records the group has.
    pub records_total: u64,
    /// The key of the group's first record.
    pub key: Option<Value>,
    /// The rule's title.
    pub title: Option<String>,
    /// The rule's message, its `{…}` filled from the group.
    pub message: Option<String>,
    /// The rule's `ref` (the regulation it comes from).
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Each aggregate the check reads, as `fmt` writes it, in order of
    /// first appearance, with its value (null where unknown or not
    /// reached).
    pub values: IndexMap<String, Option<Value>>,
    /// The group's first record's value of each `--by` field, as
    /// `summary.by` names it (for the html report's columns and filters;
    /// not in the json).
    #[serde(skip)]
    pub by: Vec<String>,
}

/// Everything one record gave rise to, data errors first.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RecordReport {
    /// Numbered from 1 in input order.
    pub record: u64,
    /// The record's violations, in rule order.
    pub violations: Vec<Violation>,
    /// The record's error entries.
    pub errors: Vec<ErrorEntry>,
    /// For a record with findings, its value of each `--by` field
    /// ([`crate::Checker::with_by`]) as the totals count it (`"null"` where
    /// it has none); empty otherwise. In no output of its own: the html
    /// report shows it beside the record's violations.
    #[serde(skip)]
    pub by: Vec<String>,
}

/// Violations per rule (every rule, in order, zero counts included), the
/// number of error entries, and the rules that could not be checked on
/// some records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Violations per rule id, every rule in order, zeros included.
    pub violations: IndexMap<String, u64>,
    /// How many error entries there are.
    pub errors: u64,
    /// For each rule not checked on at least one record (its input file
    /// did not observe a field it reads), how many records, in rule order.
    pub not_checked: IndexMap<String, u64>,
    /// For each group rule with at least one record in no group (its
    /// `when` held but a `per` value was unknown or an error), how many
    /// records, in rule order.
    pub ungrouped: IndexMap<String, u64>,
    /// With `--by FIELD` ([`crate::Checker::with_by`]): for each such
    /// field, each value's findings per rule (every rule, in rule order),
    /// values in order of first appearance, `"null"` for a record without
    /// one. Absent when no field was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<IndexMap<String, ByValues>>,
}

/// The whole result of checking some records, as `--format json` writes
/// it.
///
/// ```
/// use civrules::{Checker, Program, Report};
///
/// let program = Program::from_source("t.rules", "rule badge: badge_worn required\n")?;
/// let mut checker = Checker::new(&program);
/// let mut report = Report::new(&program);
/// for line in ["{\"badge_worn\": true}", "{}", "not json"] {
///     if let Some(record) = checker.check_ndjson_line(line) {
///         report.push(record);
///     }
/// }
/// report.finish(checker.records(), checker.summary());
/// assert_eq!((report.records, report.violations.len(), report.errors.len()), (3, 1, 1));
/// assert_eq!(report.summary.violations["badge"], 1);
/// # Ok::<(), civrules::CompileError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The rule set's name.
    pub ruleset: String,
    /// How many records were read.
    pub records: u64,
    /// Every violation, in record order, then rule order.
    pub violations: Vec<Violation>,
    /// Every group rule's violation (§9), by the group's first record,
    /// then rule position.
    pub group_violations: Vec<GroupViolation>,
    /// Every error entry, in record order; group rules' after every
    /// record's.
    pub errors: Vec<ErrorEntry>,
    /// The totals.
    pub summary: Summary,
}

impl Report {
    /// An empty report for `program`'s rules.
    pub fn new(program: &Program) -> Report {
        Report {
            ruleset: program.name.clone(),
            records: 0,
            violations: Vec::new(),
            group_violations: Vec::new(),
            errors: Vec::new(),
            summary: Summary::new(program),
        }
    }

    /// Adds one record's entries (as a [`crate::Checker`] produced them).
    pub fn push(&mut self, record: RecordReport) {
        self.records = self.records.max(record.record);
        self.summary.count(&record);
        self.violations.extend(record.violations);
        self.errors.extend(record.errors);
    }

    /// Whether any violation or error was found (the command exits 1).
    pub fn has_findings(&self) -> bool {
        !self.violations.is_empty() || !self.group_violations.is_empty() || !self.errors.is_empty()
    }

    /// Adds the group rules' findings ([`crate::Checker::finish_groups`]):
    /// their violations, and their error entries after every record's.
    pub fn push_groups(&mut self, groups: GroupFindings) {
        self.group_violations.extend(groups.violations);
        self.errors.extend(groups.errors);
    }

    /// Takes the number of records and the totals from the checker that
    /// made the entries ([`crate::Checker::records`],
    /// [`crate::Checker::summary`]): it also counted what has no entry
    /// (records without findings, rules not checked).
    pub fn finish(&mut self, records: u64, summary: Summary) {
        self.records = records;
        self.summary = summary;
    }
}

impl Summary {
    fn new(program: &Program) -> Summary {
        Summary {
            violations: program.rules.iter().map(|r| (r.id.clone(), 0)).collect(),
            errors: 0,
            not_checked: IndexMap::new(),
            ungrouped: IndexMap::new(),
            by: None,
        }
    }

    /// Whether any violation or error was counted.
    pub fn has_findings(&self) -> bool {
        self.errors > 0 || self.violations.values().any(|n| *n > 0)
    }

    fn count(&mut self, record: &RecordReport) {
        for v in &record.violations {
            if let Some(n) = self.violations.get_mut(&v.rule) {
                *n += 1;
            }
        }
        self.errors += record.errors.len() as u64;
    }
}

/// How much a [`crate::Checker`] writes down about each finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detail {
    /// Each violation and error as an entry of the record's
    /// [`RecordReport`], with its rule, title, message and the values the
    /// rule read.
    #[default]
    Entries,
    /// Only the totals of [`crate::Checker::summary`]: every [`RecordReport`] comes
    /// back empty, and a finding costs a count, not an entry. For a
    /// dashboard, or `civrules check --format summary`.
    Totals,
}

/// A message with each `{path}` replaced by the record's value (nothing
/// for a missing value).
pub(crate) fn render_message(parts: &[MessagePart], record: &Record<'_>) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            MessagePart::Text(t) => out.push_str(t),
            MessagePart::Field(id) => {
                if let Some(v) = record.cell(id.0 as usize).to_value() {
                    out.push_str(&v.to_string());
                }
            }
            // Compiling a group rule turns these into the slots of its
            // group's record (`eval::group`).
            MessagePart::GroupKey(_) | MessagePart::Aggregate(_) => {}
        }
    }
    out
}
