//! Source files (contract §8): a `.source` file → a [`Source`], how one
//! system writes its export, bound to the fields of one [`Program`].
//!
//! The input stage asks a source two things: which field a header (or a
//! top-level JSON key) gives ([`Source::column`]), and how a value of that
//! column reads ([`Reading`]): its format, its words for yes, no and "no
//! value", its decimal comma (the reading itself is the input stage's,
//! `input/through.rs`). Which fields a file observes, and so which
//! rules cannot be checked on it, is worked out here too
//! ([`Observed`]), from the headers or the `observes` line.

mod format;
mod observed;
mod words;

use std::path::Path;
use std::sync::Arc;

use crate::check::RuleSet;
use crate::compile::{Program, Slot};
use crate::diagnostic::Span;
use crate::diagnostic::{closest, CompileError, Diagnostic, ErrorKind, Problem, Sources, WarningKind};
use crate::load::LoadError;
use crate::semantics::value::Type;
use crate::syntax::source_file::{parse_source_file, ColumnDef, SourceFileAst, WordList};
use crate::syntax::{FieldPath, StrLit};

pub(crate) use format::Format;
pub use observed::{NotChecked, Observed};
pub(crate) use words::{like_header, nfc, trim, Word, WordTable, Words};

/// A compiled source file: how one system's export is read, for the
/// fields of one program.
///
/// ```
/// use civrules::{Checker, Program, Source};
///
/// let program = Program::from_source("cham-cong.rules", "
///     field arrival: time
///     rule on_time: arrival <= 07:30
///     rule badge: badge_worn required
/// ")?;
/// let source = Source::from_text(&program, "may-cham-cong.source", r#"
///     column "Giờ vào" -> arrival    format "%H:%M:%S"
///     column "Đeo thẻ" -> badge_worn yes ["Có"] no ["Không"]
/// "#)?;
/// let mut checker = Checker::new(&program).with_source(&source)?;
/// let report = checker.check_json(&serde_json::json!({"Giờ vào": "07:42:10", "Đeo thẻ": "không"}));
/// let rules: Vec<&str> = report.violations.iter().map(|v| v.rule.as_str()).collect();
/// assert_eq!(rules, ["on_time", "badge"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    /// The checked rules of the program it was compiled for: a checker of
    /// another program refuses it (slots would not match).
    pub(crate) rules: Arc<RuleSet>,
    /// The slots of that program (its rules' fields and those it reads
    /// for reports), which the readings name.
    program: crate::record::ProgramId,
    pub(crate) header_row: Option<u64>,
    pub(crate) delimiter: u8,
    pub(crate) encoding: Encoding,
    /// One per `column` line, in order.
    pub(crate) readings: Vec<Reading>,
    /// Each `column` line's header as compared, with its reading.
    by_header: Vec<(String, usize)>,
    /// How a column that no `column` line names reads, by the slot it
    /// gives: the file-wide `missing` words, and NFC.
    pub(crate) plain: Vec<Reading>,
    /// The `observes` line: the fields a JSON export ever carries.
    pub(crate) observes: Option<Vec<String>>,
    /// Each top-level key a JSON record may hold, as compared: a named
    /// column, or a key of the rules' own.
    top_keys: std::collections::HashMap<String, TopKey>,
    warnings: Vec<Diagnostic>,
}

/// A top-level JSON key, compared like headers.
#[derive(Clone, Debug)]
pub(crate) enum TopKey {
    /// A `column` line's header: its reading.
    Named(usize),
    /// A key the rules use, as they write it.
    Own(Box<str>),
}

/// The text encoding of a CSV export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, either byte order, told by its byte-order mark.
    Utf16,
    /// The Vietnamese Windows code page, which writes tone marks as
    /// combining characters (read and then composed, NFC).
    Windows1258,
}

/// How the values of one column are read.
#[derive(Clone, Debug)]
pub(crate) struct Reading {
    /// The header as the source writes it (or the field's name), for
    /// messages.
    pub column: String,
    /// The fields the `column` line names, as written (`None` for a column
    /// read under its field's own name).
    pub names: Option<Vec<String>>,
    pub target: Target,
    pub format: Option<Format>,
    /// The column's words: its own `missing`, `yes` and `no`, then the
    /// file-wide `missing`.
    pub words: WordTable,
    pub decimal_comma: bool,
    /// The words a bool reads, as written, for the message of a word that
    /// is not one of them.
    pub allowed: String,
}

/// The field (or fields) a column gives.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// One field; `slot` is `None` when no rule, message or key reads it.
    One { slot: Option<Slot>, ty: Option<Type> },
    /// A date and a time, from one column (`-> d, t format "…"`).
    Split { date: Option<Slot>, time: Option<Slot> },
}

/// What a header (or a top-level key) of a data file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnMatch {
    /// A `column` line names it.
    Named(usize),
    /// It is a field's own name (compared like headers).
    Field(Slot),
    /// It gives a field that no rule, message or key reads.
    Unread,
    /// Its header trims to nothing.
    Empty,
}

impl Source {
    /// Compiles the source file at `path` for `program`'s fields.
    pub fn from_file(program: &Program, path: impl AsRef<Path>) -> Result<Source, CompileError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let failed = |message: String| CompileError {
            diagnostics: vec![
                Problem::nowhere(ErrorKind::FileUnreadable, message).into_diagnostic(&Sources::default())
            ],
        };
        let limit = crate::Limits::DEFAULT.max_source_bytes;
        let bytes = crate::load::read_at_most(path, limit)
            .map_err(|e| failed(format!("{shown}: {e}")))?
            .ok_or_else(|| {
                CompileError::at_place(
                    ErrorKind::FileTooLarge,
                    &shown,
                    1,
                    1,
                    crate::limits::file_too_large(limit, "source"),
                )
            })?;
        let text = crate::load::utf8(&shown, bytes).map_err(|e| match e {
            LoadError::NotUtf8 { path, line, column } => CompileError::at_place(
                ErrorKind::FileUnreadable,
                path,
                line,
                column,
                "the file is not UTF-8 text",
            ),
            other => failed(other.to_string()),
        })?;
        Source::from_text(program, &shown, &text)
    }

    /// Compiles a source text, reported under `name` (its stem is the
    /// default source name).
    pub fn from_text(program: &Program, name: &str, text: &str) -> Result<Source, CompileError> {
        let mut sources = Sources::default();
        let id = sources.add(name, text);
        let text = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
        let ast = parse_source_file(id, &text).map_err(|e| CompileError {
            diagnostics: vec![Problem::from(e).into_diagnostic(&sources)],
        })?;
        let stem = Path::new(name)
            .file_stem()
            .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned());
        let mut builder = Builder::new(program);
        let source = builder.build(&ast, stem);
        if !builder.errors.is_empty() {
            return Err(CompileError {
                diagnostics: builder
                    .errors
                    .into_iter()
                    .map(|p| p.into_diagnostic(&sources))
                    .collect(),
            });
        }
        let warnings = builder
            .warnings
            .into_iter()
            .map(|p| p.into_diagnostic(&sources))
            .collect();
        Ok(Source { warnings, ..source })
    }

    /// The source's name: its `source` line, else the file's stem.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What compiled but is probably not what was meant (a column giving a
    /// field that no rule reads, with a name close to one that a rule
    /// reads).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The CSV separator (`delimiter`).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The CSV text encoding (`encoding`).
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The header's row (`header_row`, from 1), if the source sets it.
    pub fn header_row(&self) -> Option<u64> {
        self.header_row
    }

    /// Whether this source was compiled for `program`.
    pub(crate) fn is_for(&self, program: &Program) -> bool {
        Arc::ptr_eq(&self.rules, &program.checked) && self.program == program.schema.program
    }

    /// What a data file's header (or a record's top-level key) gives.
    pub(crate) fn column(&self, program: &Program, header: &str) -> ColumnMatch {
        let compared = like_header(header);
        if compared.is_empty() {
            return ColumnMatch::Empty;
        }
        if let Some((_, reading)) = self.by_header.iter().find(|(h, _)| *h == compared) {
            return ColumnMatch::Named(*reading);
        }
        let slots = &program.schema.slots;
        let exact = slots.iter().position(|s| s.name == header.trim());
        let like = || slots.iter().position(|s| like_header(&s.name) == compared);
        match exact.or_else(like) {
            Some(slot) => ColumnMatch::Field(slot),
            None => ColumnMatch::Unread,
        }
    }

    /// What a top-level JSON key is, compared like headers.
    pub(crate) fn top_key(&self, key: &str) -> Option<&TopKey> {
        self.top_keys.get(like_header(key).as_ref())
    }

    /// The field names a column gives (for observed fields and messages).
    pub(crate) fn fields_of(&self, program: &Program, matched: ColumnMatch, header: &str) -> Vec<String> {
        match matched {
            ColumnMatch::Named(reading) => self.readings[reading].field_names(program),
            ColumnMatch::Field(slot) => vec![program.schema.slots[slot].name.clone()],
            ColumnMatch::Unread => vec![header.trim().to_string()],
            ColumnMatch::Empty => Vec::new(),
        }
    }
}

impl Reading {
    /// The slots this column writes.
    pub(crate) fn slots(&self) -> impl Iterator<Item = Slot> {
        let (a, b) = match self.target {
            Target::One { slot, .. } => (slot, None),
            Target::Split { date, time } => (date, time),
        };
        a.into_iter().chain(b)
    }

    fn field_names(&self, program: &Program) -> Vec<String> {
        self.names.clone().unwrap_or_else(|| {
            self.slots()
                .map(|s| program.schema.slots[s].name.clone())
                .collect()
        })
    }
}

/// Builds a [`Source`] from its syntax tree, collecting every problem.
struct Builder<'p> {
    program: &'p Program,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    /// The type each slot is read as: the rules', else the one an option
    /// gave it, with where.
    implied: Vec<Option<(Type, Span)>>,
}

impl<'p> Builder<'p> {
    fn new(program: &'p Program) -> Builder<'p> {
        Builder {
            program,
            errors: Vec::new(),
            warnings: Vec::new(),
            implied: vec![None; program.schema.slots.len()],
        }
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors
            .push(Problem::at(ErrorKind::InvalidSource, span, message));
    }

    fn slot_of(&self, name: &str) -> Option<Slot> {
        self.program.schema.slots.iter().position(|s| s.name == name)
    }

    /// The fields rules read, for "did you mean" on a name they do not.
    fn suggest(&self, name: &str) -> Option<String> {
        let names = self.program.schema.slots.iter().map(|s| s.name.as_str());
        closest(name, names).map(str::to_string)
    }

    fn build(&mut self, ast: &SourceFileAst, stem: String) -> Source {
        let delimiter = ast.delimiter.as_ref().map_or(b',', |d| self.delimiter(d));
        let encoding = ast.encoding.as_ref().map_or(Encoding::Utf8, |e| self.encoding(e));
        let file_missing = ast.missing.as_ref().map(|w| self.words(w)).unwrap_or_default();
        let mut by_header: Vec<(String, usize, Span)> = Vec::new();
        let mut readings = Vec::new();
        for column in &ast.columns {
            let header = like_header(&column.header.value).into_owned();
            if header.is_empty() {
                self.error(column.header.span, "a column's header cannot be empty");
            } else if let Some((_, _, first)) = by_header.iter().find(|(h, _, _)| *h == header) {
                let first = *first;
                self.errors.push(
                    Problem::at(
ErrorKind::Duplicate,
                        column.header.span,
                        format!("duplicate header \"{}\" (headers are compared after trimming, NFC and lower-casing)", column.header.value),
                    )
                    .note("the first column line with this header", Some(first)),
                );
            }
            by_header.push((header, readings.len(), column.header.span));
            readings.push(self.column(column, &file_missing));
        }
        let plain = (0..self.program.schema.slots.len())
            .map(|slot| {
                let declared = self.program.schema.slots[slot].ty;
                let ty = declared.or(self.implied[slot].map(|(t, _)| t));
                Reading::plain(
                    self.program.schema.slots[slot].name.clone(),
                    slot,
                    ty,
                    file_missing.clone(),
                )
            })
            .collect();
        // The implied types are known only now: readings made before a
        // later line typed their field read it as that type too.
        for reading in &mut readings {
            if let Target::One { slot: Some(slot), ty } = &mut reading.target {
                if ty.is_none() {
                    *ty = self.implied[*slot].map(|(t, _)| t);
                }
            }
        }
        let mut top_keys = std::collections::HashMap::new();
        for (header, reading, _) in &by_header {
            top_keys.entry(header.clone()).or_insert(TopKey::Named(*reading));
        }
        for (key, _) in &self.program.schema.root.children {
            let compared = like_header(key).into_owned();
            top_keys
                .entry(compared)
                .or_insert_with(|| TopKey::Own(key.clone()));
        }
        let observes = ast.observes.as_ref().map(|(fields, _)| {
            for field in fields {
                self.unread_field(field, "observes");
            }
            fields.iter().map(FieldPath::dotted).collect()
        });
        Source {
            name: ast.name.as_ref().map_or(stem, |n| n.value.clone()),
            rules: self.program.checked.clone(),
            program: self.program.schema.program,
            header_row: ast.header_row.map(|(n, _)| n),
            delimiter,
            encoding,
            readings,
            by_header: by_header.into_iter().map(|(h, r, _)| (h, r)).collect(),
            plain,
            observes,
            top_keys,
            warnings: Vec::new(),
        }
    }

    fn delimiter(&mut self, lit: &StrLit) -> u8 {
        let mut chars = lit.value.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii() && !matches!(c, '"' | '\n' | '\r') => c as u8,
            (Some(c), None) if !c.is_ascii() => {
                self.error(
                    lit.span,
                    "the delimiter must be an ASCII character (`,` `;` `\\t` `|` …)",
                );
                b','
            }
            _ => {
                self.error(
                    lit.span,
                    "the delimiter is one character, not a quote or a line break",
                );
                b','
            }
        }
    }

    fn encoding(&mut self, lit: &StrLit) -> Encoding {
        const NAMES: [&str; 3] = ["utf-8", "utf-16", "windows-1258"];
        match lit.value.to_ascii_lowercase().as_str() {
            "utf-8" => Encoding::Utf8,
            "utf-16" => Encoding::Utf16,
            "windows-1258" => Encoding::Windows1258,
            other => {
                let hint = closest(other, NAMES)
                    .map(|n| format!(": did you mean \"{n}\"?"))
                    .unwrap_or_default();
                self.error(
                    lit.span,
                    format!(
                        "unknown encoding \"{}\" (utf-8, utf-16 or windows-1258){hint}",
                        lit.value
                    ),
                );
                Encoding::Utf8
            }
        }
    }

    fn words(&mut self, list: &WordList) -> Words {
        Words::new(list.words.iter().map(|w| w.value.as_str()))
    }

    /// A field named in the source that no rule, message or key reads:
    /// a warning where its name is close to one that is read.
    fn unread_field(&mut self, field: &FieldPath, place: &str) {
        let name = field.dotted();
        if self.slot_of(&name).is_some() {
            return;
        }
        if let Some(near) = self.suggest(&name) {
            self.warnings.push(Problem::at(
                WarningKind::Source,
                field.span,
                format!("{place} field `{name}`, which no rule reads: did you mean `{near}`?"),
            ));
        }
    }

    fn column(&mut self, column: &ColumnDef, file_missing: &Words) -> Reading {
        let yes = column.yes.as_ref().map(|w| self.words(w)).unwrap_or_default();
        let no = column.no.as_ref().map(|w| self.words(w)).unwrap_or_default();
        let own_missing = column.missing.as_ref().map(|w| self.words(w)).unwrap_or_default();
        self.same_word_twice(column);
        let format = column.format.as_ref().and_then(|f| match Format::new(&f.value) {
            Ok(format) => Some(format),
            Err(message) => {
                self.error(f.span, message);
                None
            }
        });
        for field in &column.fields {
            self.unread_field(field, "the column gives");
        }
        let target = match column.fields.as_slice() {
            [field] => self.one_field(column, field, format.as_ref()),
            [date, time] => self.split(column, date, time, format.as_ref()),
            _ => Target::One { slot: None, ty: None },
        };
        let mut allowed: Vec<&str> = Vec::new();
        for list in [&column.yes, &column.no].into_iter().flatten() {
            allowed.extend(list.words.iter().map(|w| w.value.as_str()));
        }
        allowed.extend(["true", "false", "1", "0"]);
        Reading {
            column: column.header.value.clone(),
            names: Some(column.fields.iter().map(FieldPath::dotted).collect()),
            target,
            format,
            words: WordTable::new(&[
                (&own_missing, Word::Missing),
                (&yes, Word::Bool(true)),
                (&no, Word::Bool(false)),
                (file_missing, Word::Missing),
            ]),
            decimal_comma: column.decimal_comma.is_some(),
            allowed: allowed.join(", "),
        }
    }

    /// One word in two lists of one column is a compile error.
    fn same_word_twice(&mut self, column: &ColumnDef) {
        let lists = [
            ("yes", &column.yes),
            ("no", &column.no),
            ("missing", &column.missing),
        ];
        let mut seen: Vec<(String, &str, Span)> = Vec::new();
        for (list_name, list) in lists {
            let Some(list) = list else { continue };
            let mut own: Vec<String> = Vec::new();
            for word in &list.words {
                let compared = like_header(&word.value).into_owned();
                if own.contains(&compared) {
                    continue;
                }
                if let Some((_, other, first)) = seen.iter().find(|(w, _, _)| *w == compared) {
                    let (other, first) = (*other, *first);
                    self.errors.push(
                        Problem::at(
                            ErrorKind::InvalidSource,
                            word.span,
                            format!(
                                "\"{}\" is in both the `{other}` and the `{list_name}` words of this column",
                                word.value
                            ),
                        )
                        .note(format!("the `{other}` word"), Some(first)),
                    );
                }
                own.push(compared.clone());
                seen.push((compared, list_name, word.span));
            }
        }
    }

    fn one_field(&mut self, column: &ColumnDef, field: &FieldPath, format: Option<&Format>) -> Target {
        let name = field.dotted();
        let slot = self.slot_of(&name);
        let declared = slot.and_then(|s| self.program.schema.slots[s].ty);
        // The type each option implies, with the option's place.
        let mut options: Vec<(&str, Option<Type>, Span)> = Vec::new();
        if let Some(list) = column.yes.as_ref().or(column.no.as_ref()) {
            let span = list.span;
            options.push(("yes/no", Some(Type::BOOL), span));
        }
        if let Some(f) = &column.format {
            let implied = format.and_then(|f| match (f.date, f.time) {
                (true, false) => Some(Type::DATE),
                (false, true) => Some(Type::TIME),
                _ => None,
            });
            options.push(("format", implied, f.span));
        }
        if let Some(span) = column.decimal_comma {
            options.push(("decimal_comma", Some(Type::DECIMAL), span));
        }
        if let [(first, _, _), (second, _, span), ..] = options.as_slice() {
            let message = format!("`{second}` and `{first}` cannot go together: they read different types");
            self.error(*span, message);
            return Target::One { slot, ty: declared };
        }
        let Some((option, implied, span)) = options.first().copied() else {
            return Target::One { slot, ty: declared };
        };
        match declared {
            Some(ty) => {
                let fits = match option {
                    "yes/no" => ty == Type::BOOL,
                    "decimal_comma" => ty == Type::DECIMAL || ty == Type::INT,
                    _ => match ty {
                        Type::DATE => format.is_none_or(|f| f.date),
                        Type::TIME => format.is_none_or(|f| f.time),
                        _ => false,
                    },
                };
                if !fits {
                    let what = match option {
                        "yes/no" => "reads true and false".to_string(),
                        "decimal_comma" => "reads numbers".to_string(),
                        _ => match format {
                            Some(f) if f.date && !f.time => "reads dates".into(),
                            Some(f) if f.time && !f.date => "reads times".into(),
                            _ => "reads dates and times".into(),
                        },
                    };
                    let option = if option == "yes/no" { "yes`/`no" } else { option };
                    self.error(
                        span,
                        format!("field `{name}` is a {ty} in the rules, but `{option}` {what}"),
                    );
                }
                Target::One { slot, ty: Some(ty) }
            }
            None => {
                let Some(implied) = implied else {
                    // A format with both a date and a time, for a field of
                    // no type: which part is meant cannot be told.
                    self.error(
                        span,
                        format!(
                            "the format reads a date and a time, but field `{name}` has no type: declare it \
                             (`field {name}: date` or `time`) or split the column (`-> {name}_date, {name}_time`)"
                        ),
                    );
                    return Target::One { slot, ty: None };
                };
                if let Some(slot) = slot {
                    match self.implied[slot] {
                        Some((other, at)) if other != implied => {
                            self.errors.push(
                                Problem::at(
ErrorKind::TypeConflict,
                                    span,
                                    format!("this makes field `{name}` a {implied}, but another column made it a {other}"),
                                )
                                .note("made a different type here", Some(at)),
                            );
                        }
                        _ => self.implied[slot] = Some((implied, span)),
                    }
                }
                Target::One {
                    slot,
                    ty: Some(implied),
                }
            }
        }
    }

    fn split(
        &mut self,
        column: &ColumnDef,
        date: &FieldPath,
        time: &FieldPath,
        format: Option<&Format>,
    ) -> Target {
        let span = column.fields[1].span;
        match (&column.format, format) {
            (None, _) => self.error(
                span,
                "a column split into a date and a time needs a `format` that has both (`format \"%d/%m/%Y %H:%M\"`)",
            ),
            (Some(lit), Some(f)) if !(f.date && f.time) => {
                self.error(lit.span, "a column split into a date and a time needs a format that has both")
            }
            _ => {}
        }
        for (list, what) in [
            (column.yes.as_ref().map(|w| w.span), "yes"),
            (column.no.as_ref().map(|w| w.span), "no"),
        ] {
            if let Some(at) = list {
                self.error(
                    at,
                    format!("`{what}` reads true and false; a split column gives a date and a time"),
                );
            }
        }
        if let Some(at) = column.decimal_comma {
            self.error(
                at,
                "`decimal_comma` reads numbers; a split column gives a date and a time",
            );
        }
        let mut slot_of = |field: &FieldPath, want: Type| {
            let name = field.dotted();
            let slot = self.slot_of(&name)?;
            match self.program.schema.slots[slot].ty {
                Some(ty) if ty != want => {
                    self.error(
                        field.span,
                        format!(
                            "field `{name}` is a {ty} in the rules, but this part of the column is a {want}"
                        ),
                    );
                }
                Some(_) => {}
                None => self.implied[slot] = Some((want, field.span)),
            }
            Some(slot)
        };
        Target::Split {
            date: slot_of(date, Type::DATE),
            time: slot_of(time, Type::TIME),
        }
    }
}

impl Reading {
    /// The reading of a column that no `column` line names.
    fn plain(column: String, slot: Slot, ty: Option<Type>, file_missing: Words) -> Reading {
        Reading {
            column,
            names: None,
            target: Target::One { slot: Some(slot), ty },
            format: None,
            words: WordTable::new(&[(&file_missing, Word::Missing)]),
            decimal_comma: false,
            allowed: "true, false, 1, 0".into(),
        }
    }
}

#[cfg(test)]
mod tests;
