//! civrules checks observation records (attendance logs, inspection forms,
//! exports of other systems) against civil-service discipline rules written
//! in a small typed language, and reports the violations.
//!
//! ```
//! use civrules::{Checker, Program, Report};
//!
//! let rules = r#"
//!     key employee_id
//!     rule badge: badge_worn required
//!     rule on_time {
//!       title   "Chấp hành thời gian làm việc"
//!       when    role == "civil_servant"
//!       check   arrival <= 07:30
//!       message "Đến muộn lúc {arrival}"
//!     }
//! "#;
//! let program = Program::from_source("cua-lo.rules", rules)?;
//!
//! let mut checker = Checker::new(&program);
//! let mut report = Report::new(&program);
//! for record in [
//!     serde_json::json!({"employee_id": "CL-001", "role": "civil_servant", "arrival": "07:15", "badge_worn": true}),
//!     serde_json::json!({"employee_id": "CL-002", "role": "civil_servant", "arrival": "07:45", "badge_worn": true}),
//! ] {
//!     report.push(checker.check_json(&record));
//! }
//! assert_eq!(report.violations.len(), 1);
//! assert_eq!(report.violations[0].message.as_deref(), Some("Đến muộn lúc 07:45"));
//! assert_eq!(report.summary.violations["on_time"], 1);
//! # Ok::<(), civrules::CompileError>(())
//! ```
//!
//! # The API in brief
//!
//! - **Compiling rules**: [`Program`] (`from_file`, `from_source`,
//!   `from_loader`, `compile` with [`Limits`]) through a [`Loader`]
//!   ([`FileLoader`], [`MemoryLoader`]). A rules file that does not compile
//!   gives a [`CompileError`]: [`Diagnostic`]s with a place, notes and a
//!   [`DiagnosticKind`] ([`ErrorKind`], [`WarningKind`]) a tool can match on.
//! - **Checking records**: a [`Checker`] checks JSON values, NDJSON lines,
//!   `Serialize` structs, or whole files ([`check_reader`],
//!   [`Checker::open_input`]) into [`RecordReport`]s, which a [`Report`]
//!   gathers (or only a [`Summary`], with [`Detail::Totals`]). A
//!   [`Program`] also gives each rule's [`Outcome`] for one [`Record`].
//! - **Exports as they are**: a [`Source`] (a `.source` file) tells how a
//!   system's CSV or spreadsheet names, spells and formats its columns.
//! - **Tools for rule authors**, functions over the above: [`lint`],
//!   [`fmt`], [`explain`], [`ruletest`], [`sample`]; and [`codegen`], which
//!   writes a program's rules as Rust, for a tool that checks its own
//!   structs by the million.
//!
//! The syntax tree, the typed rules and the compiled program's insides are
//! private: they change with every language feature. ARCHITECTURE.md maps
//! the stages.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// pest without its `std` feature (see Cargo.toml) generates code that
// names `alloc`.
extern crate alloc;

mod analysis;
mod check;
mod checker;
pub mod codegen;
mod compile;
mod diagnostic;
mod eval;
pub mod explain;
pub mod fmt;
mod input;
mod limits;
pub mod lint;
mod load;
mod record;
pub mod report;
pub mod ruletest;
pub mod sample;
mod semantics;
mod source;
mod syntax;

use std::path::Path;

pub use checker::{check_reader, check_reader_parallel, Captured, Checker, SourceMismatch, UnknownByField};
pub use compile::Program;
pub use diagnostic::{
    CompileError, Diagnostic, DiagnosticKind, ErrorKind, Level, Location, Note, SourceFile, Sources,
    WarningKind,
};
pub use eval::{Outcome, Reason};
pub use input::{Input, InputError, InputFormat, InputSummary, InputWarning, NeverHeld, SerializeError};
pub use limits::Limits;
pub use load::{FileLoader, LoadError, Loaded, Loader, MemoryLoader};

/// A field of a [`Program`]: its name (dotted, for a field inside an
/// object) and its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo<'p> {
    /// The name as the rules write it (`employee.unit`).
    pub name: &'p str,
    /// Declared or inferred; `None` when only its presence is tested.
    pub ty: Option<Type>,
}
pub use record::{ForeignRecord, Record};
pub use report::{
    Detail, ErrorEntry, GroupFindings, GroupViolation, RecordReport, Report, Summary, Violation,
};
pub use semantics::arith::EvalError;
pub use semantics::cell::Cell;
pub use semantics::value::{DateStyle, Scalar, Type, Value};
pub use source::{Encoding, NotChecked, Observed, Source};
pub use syntax::Severity;

impl Program {
    /// Compiles the rules file at `path` and every file it `extends`
    /// (which must lie inside `path`'s folder).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Program, CompileError> {
        let path = path.as_ref().to_string_lossy().into_owned();
        Program::from_loader(&FileLoader::new(), &path)
    }

    /// Compiles the rules named `root`, loading it and what it `extends`
    /// through `loader` (e.g. a [`FileLoader::with_root`] or a
    /// [`MemoryLoader`]).
    pub fn from_loader(loader: &dyn Loader, root: &str) -> Result<Program, CompileError> {
        let mut sources = Sources::default();
        Program::compile_with_sources(loader, root, &mut sources)
    }

    /// Like [`Program::from_loader`], keeping the source texts read (for
    /// tools that show the rules next to their diagnostics).
    pub fn compile_with_sources(
        loader: &dyn Loader,
        root: &str,
        sources: &mut Sources,
    ) -> Result<Program, CompileError> {
        Program::compile(loader, root, sources, &Limits::default())
    }

    /// The whole compiler: `root` and what it `extends` through `loader`,
    /// within `limits`, keeping the source texts in `sources`.
    pub fn compile(
        loader: &dyn Loader,
        root: &str,
        sources: &mut Sources,
        limits: &Limits,
    ) -> Result<Program, CompileError> {
        let rules = check::check_with(loader, sources, root, limits)?;
        Ok(compile::compile(rules))
    }

    /// Compiles one rules text, reported under `name` (its stem is the
    /// default ruleset name). It cannot `extends` other files.
    pub fn from_source(name: &str, text: &str) -> Result<Program, CompileError> {
        let mut loader = MemoryLoader::new();
        loader.insert(name, text);
        Program::from_loader(&loader, name)
    }

    /// The checked, typed rules this program was compiled from.
    pub(crate) fn ruleset(&self) -> &check::RuleSet {
        &self.checked
    }

    /// The ruleset's name: its `ruleset` line, else the file's stem.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ids of the effective rules, in order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Whether any rule is a group rule (§9, `per`): then a
    /// [`Checker`] keeps each group's state until
    /// [`Checker::finish_groups`].
    pub fn has_group_rules(&self) -> bool {
        self.rules.iter().any(|r| r.group.is_some())
    }

    /// The fields the rules read or declare, in the order they were first
    /// named, each with its type: declared, or inferred from how the rules
    /// use it (`None` for a field only tested with `required`, `present`
    /// or `missing`).
    ///
    /// ```
    /// use civrules::{Program, Type};
    ///
    /// let program = Program::from_source("t.rules", "rule r: arrival <= 07:30 and badge_worn required\n")?;
    /// let fields: Vec<_> = program.fields().map(|f| (f.name, f.ty)).collect();
    /// assert_eq!(fields, [("arrival", Some(Type::TIME)), ("badge_worn", None)]);
    /// # Ok::<(), civrules::CompileError>(())
    /// ```
    pub fn fields(&self) -> impl Iterator<Item = FieldInfo<'_>> {
        self.checked.fields.iter().map(|f| FieldInfo {
            name: &f.name,
            ty: f.ty,
        })
    }

    /// This program, also reading `fields` (dotted names, `employee.unit`)
    /// that its rules may not read, so that a report can be broken down by
    /// them ([`Checker::with_by`]). Rules, outcomes and data errors stay
    /// those of the rules' own fields; a field the rules read is not added
    /// again. With a field added, the program is another program: records
    /// and sources are read for it anew.
    ///
    /// ```
    /// use civrules::{Checker, Program};
    ///
    /// let program = Program::from_source("gio.rules", "rule on_time: arrival <= 07:30")?
    ///     .with_extra_fields(["unit"]);
    /// let mut checker = Checker::new(&program).with_by(&["unit"])?;
    /// checker.check_json(&serde_json::json!({"unit": "Sở Tư pháp", "arrival": "07:45"}));
    /// let by = checker.summary().by.expect("asked for");
    /// assert_eq!(by["unit"]["Sở Tư pháp"]["on_time"], 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_extra_fields<I>(mut self, fields: I) -> Program
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let before = self.schema.slots.len();
        for field in fields {
            self.schema.slot_for(field.as_ref());
        }
        if self.schema.slots.len() != before {
            self.schema.program = record::ProgramId::next();
        }
        self
    }

    /// How many slots the rules' own fields take: the slots after them
    /// hold fields read only for reports ([`Program::with_extra_fields`]).
    pub(crate) fn rule_slots(&self) -> usize {
        self.checked.fields.len()
    }

    /// The field the rules' `key` line names, whose value identifies a
    /// record in reports.
    pub fn key_field(&self) -> Option<&str> {
        let key = self.checked.key?;
        self.checked.fields.get(key.0 as usize).map(|f| f.name.as_str())
    }

    /// Reads a JSON object into this program's slots (`None` when `json`
    /// is not an object).
    pub fn record_from_json<'a>(&self, json: &'a serde_json::Value) -> Option<Record<'a>> {
        let mut record = Record::empty(&self.schema);
        match input::read_json(json, &self.schema, &mut record, false) {
            Ok(input::Shape::Object) => Some(record),
            _ => None,
        }
    }

    /// Reads any serializable value (a tool's own struct) as a record,
    /// without JSON in between; `None` when it is not an object.
    pub fn record_from<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<Option<Record<'static>>, SerializeError> {
        let mut record = Record::empty(&self.schema);
        let mut scratch = input::SerializeScratch::default();
        match input::read_serialize(value, &self.schema, &mut record.cells, &mut scratch)? {
            input::Shape::Object => Ok(Some(record)),
            input::Shape::Other(_) => Ok(None),
        }
    }

    /// Every rule's outcome for `record`, in rule order. A record read by
    /// another program is refused.
    pub fn outcomes(&self, record: &Record<'_>) -> Result<Vec<Outcome>, ForeignRecord> {
        let record = record.of(&self.schema)?;
        let mut out = Vec::with_capacity(self.rules.len());
        self.outcomes_into(record, &mut out);
        Ok(out)
    }

    /// Every rule's outcome for `record`, read from an input that holds
    /// only the `observed` fields: a rule that reads another is
    /// [`Outcome::NotChecked`].
    ///
    /// ```
    /// use civrules::{Observed, Outcome, Program};
    ///
    /// let program = Program::from_source("ban.rules", "
    ///     rule badge: badge_worn required
    ///     rule nameplate: nameplate required
    /// ")?;
    /// let json = serde_json::json!({"badge_worn": true});
    /// let record = program.record_from_json(&json).expect("an object");
    /// let outcomes = program.outcomes_observed(&record, &Observed::only(["badge_worn"]))?;
    /// assert_eq!(outcomes, [Outcome::Pass, Outcome::NotChecked]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outcomes_observed(
        &self,
        record: &Record<'_>,
        observed: &Observed,
    ) -> Result<Vec<Outcome>, ForeignRecord> {
        let mut out = self.outcomes(record)?;
        for not_checked in observed.not_checked(self) {
            out[not_checked.index] = Outcome::NotChecked;
        }
        Ok(out)
    }
}
