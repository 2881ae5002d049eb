//! Source texts and the errors that point into them.
//!
//! Every stage reports problems with a [`Span`]; [`Sources`] turns a span into
//! a path, a line and a column (counted in characters, from 1) so that the
//! public [`CompileError`] carries everything needed to print it.

use std::fmt;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

/// Which source text a span points into (an index into [`crate::Sources`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SourceId(pub u32);

/// A byte range in one source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub source: SourceId,
    pub start: usize,
    pub end: usize,
}

/// One source text and the name it is reported under.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name errors give it (a path as the user wrote it).
    pub name: String,
    /// The text, without a byte-order mark.
    pub text: String,
}

/// All the source texts of one compilation.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a text; a leading byte-order mark is dropped.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        let mut text = text.into();
        if text.starts_with('\u{FEFF}') {
            text.drain(..'\u{FEFF}'.len_utf8());
        }
        self.files.push(SourceFile {
            name: name.into(),
            text,
        });
        SourceId((self.files.len() - 1) as u32)
    }

    /// The text `id` names, if it was added here.
    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// Where a span starts: path, line, column, and the line's text.
    pub fn locate(&self, span: Span) -> Option<Location> {
        let file = self.get(span.source)?;
        let start = floor_char_boundary(&file.text, span.start);
        let line_start = file.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = file.text[start..]
            .find('\n')
            .map_or(file.text.len(), |i| start + i);
        let line_text = file.text[line_start..line_end].trim_end_matches('\r');
        let line = file.text[..start].matches('\n').count() + 1;
        let column = file.text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(&file.text, span.end.clamp(start, line_end));
        let width = file.text[start..end].chars().count().max(1);
        Some(Location {
            path: file.name.clone(),
            line,
            column,
            line_text: line_text.to_string(),
            width,
        })
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A place in a rules file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as [`SourceFile::name`].
    pub path: String,
    /// Counted from 1.
    pub line: usize,
    /// Counted from 1, in characters.
    pub column: usize,
    /// The text of that line, for showing it with a caret.
    pub line_text: String,
    /// How many characters the caret underlines.
    pub width: usize,
}

/// Whether a diagnostic stops the compilation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rules (or the source, or the tests) cannot be used.
    Error,
    /// They can, but something is probably not what the author meant.
    Warning,
}

/// What kind of error a compile error is, for a tool to match on; the
/// message says the same for people, with the names and places.
///
/// New kinds may come with new language features, so a `match` needs a
/// wildcard arm.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The text does not follow the grammar ("expected …, found …").
    Syntax,
    /// A literal that is no value: `25:00`, `2022-02-30`, an int beyond
    /// 64 bits, a bad escape in a string.
    InvalidLiteral,
    /// A field or an expression where the language wants a literal: a
    /// range bound, a list item.
    LiteralExpected,
    /// `ruleset` or `extends` after fields, keys or rules; two `ruleset`
    /// lines.
    StatementOrder,
    /// A clause, option or expectation given twice.
    Duplicate,
    /// A rule without a `check`, a test without a record or a name.
    Incomplete,
    /// Nesting deeper than [`crate::Limits`] allows.
    TooDeep,
    /// A file larger than [`crate::Limits`] allows.
    FileTooLarge,
    /// A file that cannot be read: not there, not UTF-8, outside the root,
    /// or an I/O error.
    FileUnreadable,
    /// Files that extend each other in a circle, or a chain of `extends`
    /// deeper than [`crate::Limits`] allows.
    ExtendsCycle,
    /// Two rules with one id, or a rule inherited from two files.
    DuplicateRule,
    /// `override` or `disable` of a rule that is not inherited, or of one
    /// this file already defines, overrides or disables.
    BadOverride,
    /// A field used or declared as two types; values of types that do not
    /// meet (`07:30 == "x"`, a list of mixed types).
    TypeConflict,
    /// A field whose type no use or declaration fixes.
    TypeNotInferred,
    /// An expression where a condition (a bool) is wanted, or the reverse.
    NotACondition,
    /// An operator on types it is not defined for (`-` of a string, a date
    /// times a date, ordering bools, comparing lists).
    OperatorNotDefined,
    /// A function the language does not have.
    UnknownFunction,
    /// A function given the wrong number of arguments.
    ArgumentCount,
    /// A function argument of a type it does not take, or a pattern that
    /// is not a string literal.
    ArgumentType,
    /// A pattern the regex engine refuses.
    InvalidPattern,
    /// A message with a bad `{…}` or an unmatched brace.
    InvalidMessage,
    /// A field read both as a value and as an object with fields.
    FieldIsObject,
    /// A name that is not there: a rule in a test's `expect`, a field in a
    /// test's record or a source's column.
    UnknownName,
    /// A `.source` file whose columns, words or formats do not fit
    /// together or with the rules.
    InvalidSource,
    /// An aggregate (§9) where none may be: outside a group rule's `check`
    /// and `message`, or inside another aggregate.
    AggregateMisplaced,
    /// A group rule's `check` or `message` reading a field outside an
    /// aggregate that is not one of its `per` expressions.
    NotAPerExpression,
    /// A `per` expression of a type that cannot tell groups apart (a list).
    NotAGroupKey,
}

/// What kind of warning a diagnostic is, for a tool to match on.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A `when` that no record can meet: the rule never applies.
    WhenNeverHolds,
    /// A `check` that no record can meet: every record it applies to is
    /// reported.
    CheckNeverHolds,
    /// A `check` that every record meets, whatever its values and
    /// whichever fields it lacks: the rule never reports anything.
    CheckAlwaysHolds,
    /// A `check` that holds for every value of its fields: the rule
    /// reports only records that lack one.
    CheckNeverFails,
    /// A declared field that nothing reads.
    UnusedField,
    /// A field used once, close to the name of one used elsewhere.
    MisspeltField,
    /// An override that does the same as the rule it replaces.
    IdenticalOverride,
    /// An override that lets through a record the rule it replaces
    /// reports.
    LooserOverride,
    /// A `.source` file that reads or leaves something the rules may not
    /// expect (a column of an unused field, a header not found…).
    Source,
}

/// The kind of a diagnostic: an error or a warning, and which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum DiagnosticKind {
    /// An error of this kind.
    Error(ErrorKind),
    /// A warning of this kind.
    Warning(WarningKind),
}

impl DiagnosticKind {
    /// Whether it is an error or a warning.
    pub fn level(self) -> Level {
        match self {
            DiagnosticKind::Error(_) => Level::Error,
            DiagnosticKind::Warning(_) => Level::Warning,
        }
    }
}

impl From<ErrorKind> for DiagnosticKind {
    fn from(kind: ErrorKind) -> DiagnosticKind {
        DiagnosticKind::Error(kind)
    }
}

impl From<WarningKind> for DiagnosticKind {
    fn from(kind: WarningKind) -> DiagnosticKind {
        DiagnosticKind::Warning(kind)
    }
}

/// One problem found in a rules file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning; the same as `kind.level()`.
    pub level: Level,
    /// What kind of problem it is.
    pub kind: DiagnosticKind,
    /// What is wrong, in words.
    pub message: String,
    /// Where, when there is a place to point at.
    pub location: Option<Location>,
    /// Further places and hints ("the type was fixed here", "did you mean …").
    pub notes: Vec<Note>,
}

/// A further place or hint of a [`Diagnostic`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The hint, in words.
    pub message: String,
    /// The place it points at, if any.
    pub location: Option<Location>,
}

impl Diagnostic {
    /// `PATH:LINE:COL: error: MESSAGE`, the source line with a caret under
    /// the column, then the notes.
    pub fn render(&self) -> String {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let mut out = String::new();
        match &self.location {
            Some(loc) => {
                out.push_str(&format!(
                    "{}:{}:{}: {level}: {}\n",
                    loc.path, loc.line, loc.column, self.message
                ));
                out.push_str(&snippet(loc));
            }
            None => out.push_str(&format!("{level}: {}\n", self.message)),
        }
        for note in &self.notes {
            match &note.location {
                Some(loc) => {
                    out.push_str(&format!(
                        "  = note: {}:{}:{}: {}\n",
                        loc.path, loc.line, loc.column, note.message
                    ));
                    out.push_str(&snippet(loc));
                }
                None => out.push_str(&format!("  = note: {}\n", note.message)),
            }
        }
        out
    }
}

fn snippet(loc: &Location) -> String {
    // A place in text that cannot be shown (not UTF-8) has no snippet.
    if loc.width == 0 {
        return String::new();
    }
    let number = loc.line.to_string();
    let pad = " ".repeat(number.len());
    // Columns and widths count characters; the caret line counts the cells
    // a terminal shows them in (two for a wide character, none for a
    // combining mark), so that the caret stands under the span.
    let text = loc.line_text.as_str();
    let byte_at = |chars: usize| text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i);
    let start = byte_at(loc.column.saturating_sub(1));
    let end = byte_at(loc.column.saturating_sub(1) + loc.width);
    // Tabs keep their width under the caret line by being copied.
    let lead: Vec<String> = text[..start]
        .split('\t')
        .map(|part| " ".repeat(part.width()))
        .collect();
    let carets = "^".repeat(text[start..end].width().max(1));
    format!(
        "{pad} |\n{number} | {text}\n{pad} | {}{carets}\n",
        lead.join("\t")
    )
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{}:{}:{}: {}", loc.path, loc.line, loc.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a rule set could not be compiled: one or more diagnostics, each with
/// its file, line and column.
///
/// ```
/// use civrules::{DiagnosticKind, ErrorKind, Program};
///
/// let error = Program::from_source("gio.rules", "rule on_time: arrival <= 25:00\n").unwrap_err();
/// let first = &error.diagnostics[0];
/// assert_eq!(first.kind, DiagnosticKind::Error(ErrorKind::InvalidLiteral));
/// let place = first.location.as_ref().map(|l| (l.line, l.column));
/// assert_eq!(place, Some((1, 26)));
/// assert!(error.render().starts_with("gio.rules:1:26: error: "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct CompileError {
    /// The errors, in the order of the files and lines (at least one).
    pub diagnostics: Vec<Diagnostic>,
}

impl CompileError {
    /// One error at a place given as path, line and column, for a file
    /// whose text is not kept (too large, or not UTF-8).
    pub(crate) fn at_place(
        kind: ErrorKind,
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> CompileError {
        let problem = Problem::at_place(kind, path, line, column, message);
        CompileError {
            diagnostics: vec![problem.into_diagnostic(&Sources::default())],
        }
    }

    /// All diagnostics rendered as the command prints them.
    pub fn render(&self) -> String {
        self.diagnostics.iter().map(Diagnostic::render).collect()
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.diagnostics.first() {
            Some(d) => write!(f, "{d}")?,
            None => f.write_str("the rules do not compile")?,
        }
        if self.diagnostics.len() > 1 {
            write!(f, " (and {} more)", self.diagnostics.len() - 1)?;
        }
        Ok(())
    }
}

/// A problem found by a stage, before it is located in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub kind: DiagnosticKind,
    pub message: String,
    pub span: Option<Span>,
    /// A place given as path, line and column, for text that has no
    /// source entry (a file that is not UTF-8).
    pub place: Option<(String, usize, usize)>,
    pub notes: Vec<(String, Option<Span>)>,
}

impl Problem {
    pub fn at(kind: impl Into<DiagnosticKind>, span: Span, message: impl Into<String>) -> Problem {
        Problem {
            kind: kind.into(),
            message: message.into(),
            span: Some(span),
            place: None,
            notes: Vec::new(),
        }
    }

    pub fn nowhere(kind: impl Into<DiagnosticKind>, message: impl Into<String>) -> Problem {
        Problem {
            kind: kind.into(),
            message: message.into(),
            span: None,
            place: None,
            notes: Vec::new(),
        }
    }

    pub fn at_place(
        kind: impl Into<DiagnosticKind>,
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            place: Some((path.into(), line, column)),
            ..Problem::nowhere(kind, message)
        }
    }

    pub fn note(mut self, message: impl Into<String>, span: Option<Span>) -> Problem {
        self.notes.push((message.into(), span));
        self
    }

    pub fn into_diagnostic(self, sources: &Sources) -> Diagnostic {
        Diagnostic {
            level: self.kind.level(),
            kind: self.kind,
            message: self.message,
            location: self.span.and_then(|s| sources.locate(s)).or_else(|| {
                self.place.map(|(path, line, column)| Location {
                    path,
                    line,
                    column,
                    line_text: String::new(),
                    width: 0,
                })
            }),
            notes: self
                .notes
                .into_iter()
                .map(|(message, span)| Note {
                    message,
                    location: span.and_then(|s| sources.locate(s)),
                })
                .collect(),
        }
    }
}

/// "did you mean …?": the candidate closest to `name`, if it is close.
pub(crate) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter_map(|c| Some((closeness(name, c)?, c)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// How far `candidate` is from `name` when it is close enough to suggest
/// (and not `name` itself), for callers that meet candidates one at a time.
pub(crate) fn closeness(name: &str, candidate: &str) -> Option<usize> {
    let limit = (name.chars().count() / 3).max(1);
    let distance = edit_distance(name, candidate);
    (distance <= limit && candidate != name).then_some(distance)
}

/// Levenshtein distance where swapping two neighbouring characters is one
/// edit too (`titel` is one edit from `title`): the typos people make.
/// strsim's optimal string alignment, over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters_from_one() {
        let mut sources = Sources::default();
        let id = sources.add("a.rules", "\u{FEFF}# đầu\nrule ả: x required\n");
        let start = sources.get(id).unwrap().text.find('x').unwrap();
        let loc = sources
            .locate(Span {
                source: id,
                start,
                end: start + 1,
            })
            .unwrap();
        assert_eq!((loc.line, loc.column), (2, 9));
        assert_eq!(loc.line_text, "rule ả: x required");
    }

    #[test]
    fn render_shows_the_line_and_a_caret() {
        let d = Diagnostic {
            level: Level::Error,
            kind: DiagnosticKind::Error(ErrorKind::Syntax),
            message: "boom".into(),
            location: Some(Location {
                path: "m.rules".into(),
                line: 3,
                column: 5,
                line_text: "abc defg".into(),
                width: 4,
            }),
            notes: vec![],
        };
        assert_eq!(
            d.render(),
            "m.rules:3:5: error: boom\n  |\n3 | abc defg\n  |     ^^^^\n"
        );
    }

    /// The caret line counts what a terminal shows, not characters: a wide
    /// character takes two cells, a combining mark none (Vietnamese typed
    /// decomposed, `ả` as `a` + U+0309), so the caret stays under the span.
    #[test]
    fn the_caret_stands_under_the_span_after_wide_characters_and_combining_marks() {
        let mut sources = Sources::default();
        let text = "rule r: unit == \"Sở a\u{0309} 中文\" and bogus(x)\n";
        let id = sources.add("w.rules", text);
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            let span = Span {
                source: id,
                start,
                end: start + needle.len(),
            };
            let d = Problem::at(ErrorKind::Syntax, span, "here").into_diagnostic(&sources);
            d.render()
        };
        let line = text.trim_end();
        // 20 cells up to `ả`, one for it, then a space, four for `中文`, and
        // `" and `: 32 cells; the column counts 32 characters.
        assert_eq!(
            at("bogus"),
            format!(
                "w.rules:1:32: error: here\n  |\n1 | {line}\n  | {}^^^^^\n",
                " ".repeat(32)
            )
        );
        assert_eq!(
            at("中文"),
            format!(
                "w.rules:1:24: error: here\n  |\n1 | {line}\n  | {}^^^^\n",
                " ".repeat(22)
            )
        );
        assert_eq!(
            at("a\u{0309}"),
            format!(
                "w.rules:1:21: error: here\n  |\n1 | {line}\n  | {}^\n",
                " ".repeat(20)
            )
        );
        // A tab before the span is copied, so that it lines up whatever
        // the tab stops.
        let id = sources.add("t.rules", "\tả\tbogus\n");
        let start = "\tả\t".len();
        let span = Span {
            source: id,
            start,
            end: start + 5,
        };
        let d = Problem::at(ErrorKind::Syntax, span, "here").into_diagnostic(&sources);
        assert!(d.render().ends_with("\n  | \t \t^^^^^\n"), "{:?}", d.render());
    }

    #[test]
    fn closest_suggests_near_names_only() {
        assert_eq!(closest("arival", ["arrival", "departure"]), Some("arrival"));
        assert_eq!(closest("zzz", ["arrival"]), None);
    }

    #[test]
    fn a_swap_of_neighbouring_letters_is_one_edit() {
        assert_eq!(edit_distance("titel", "title"), 1);
        assert_eq!(edit_distance("chek", "check"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(closest("titel", ["title", "message"]), Some("title"));
    }
}
