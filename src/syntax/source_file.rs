//! Source files (`*.source`, contract §8): text → [`SourceFileAst`], with
//! spans. The grammar is `grammar/source.pest`, compiled with the rule
//! language's own, so that strings, comments and field paths are read
//! exactly as in rules. What the grammar cannot say is checked here: each
//! directive and each column option at most once, and which `missing` list
//! belongs to a column and which to the whole file.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::{FieldPath, SourceId, Span, StrLit};
use super::lower::Lowerer;
use super::{from_pest, Grammar, Rule, SyntaxError};
use crate::diagnostic::ErrorKind;

/// One parsed source file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceFileAst {
    /// `source "NAME"`.
    pub name: Option<StrLit>,
    /// `header_row N`: the number and its span.
    pub header_row: Option<(u64, Span)>,
    pub delimiter: Option<StrLit>,
    pub encoding: Option<StrLit>,
    pub columns: Vec<ColumnDef>,
    /// `missing [...]` on a line of its own: words that mean "no value" in
    /// every column.
    pub missing: Option<WordList>,
    /// `observes F, ...`.
    pub observes: Option<(Vec<FieldPath>, Span)>,
}

/// `column "HEADER" -> FIELD[, FIELD] OPTIONS`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDef {
    pub header: StrLit,
    /// One field, or a date and a time field that one column is split into.
    pub fields: Vec<FieldPath>,
    pub format: Option<StrLit>,
    pub yes: Option<WordList>,
    pub no: Option<WordList>,
    pub decimal_comma: Option<Span>,
    pub missing: Option<WordList>,
    pub span: Span,
}

/// `["Có", "x"]`.
#[derive(Clone, Debug, PartialEq)]
pub struct WordList {
    pub words: Vec<StrLit>,
    pub span: Span,
}

/// Parses a source file. `text` must not start with a byte-order mark.
pub fn parse_source_file(source: SourceId, text: &str) -> Result<SourceFileAst, SyntaxError> {
    let mut pairs = Grammar::parse(Rule::source_file, text).map_err(|e| from_pest(source, text, e))?;
    let lw = Lowerer::new(source, text);
    let Some(file) = pairs.next() else {
        return Ok(SourceFileAst::default());
    };
    let mut ast = SourceFileAst::default();
    for item in file.into_inner() {
        let span = lw.span(&item);
        let rule = item.as_rule();
        let twice = |what: &str| SyntaxError {
            kind: ErrorKind::Duplicate,
            message: format!("`{what}` is given twice"),
            span,
        };
        match rule {
            Rule::s_source => set_once(&mut ast.name, string_in(&lw, item, span)?, || twice("source"))?,
            Rule::s_delimiter => set_once(&mut ast.delimiter, string_in(&lw, item, span)?, || {
                twice("delimiter")
            })?,
            Rule::s_encoding => set_once(&mut ast.encoding, string_in(&lw, item, span)?, || {
                twice("encoding")
            })?,
            Rule::s_header_row => {
                let number = item
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::s_number)
                    .ok_or_else(|| malformed(span))?;
                let number_span = lw.span(&number);
                let value = number
                    .as_str()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| SyntaxError {
                        kind: ErrorKind::InvalidSource,
                        message: "`header_row` counts rows from 1".into(),
                        span: number_span,
                    })?;
                set_once(&mut ast.header_row, (value, number_span), || twice("header_row"))?;
            }
            Rule::s_missing => {
                let words = words_in(&lw, item, span)?;
                set_once(&mut ast.missing, words, || twice("missing"))?;
            }
            Rule::s_observes => {
                let fields = item
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::path)
                    .map(|p| lw.path(p))
                    .collect();
                set_once(&mut ast.observes, (fields, span), || twice("observes"))?;
            }
            Rule::s_column => {
                let (column, file_wide) = column_of(&lw, text, item)?;
                ast.columns.push(column);
                if let Some(words) = file_wide {
                    if ast.missing.is_some() {
                        return Err(SyntaxError {
                            kind: ErrorKind::Duplicate,
                            message: "`missing` is given twice".into(),
                            span: words.span,
                        });
                    }
                    ast.missing = Some(words);
                }
            }
            _ => {}
        }
    }
    Ok(ast)
}

fn malformed(span: Span) -> SyntaxError {
    SyntaxError {
        kind: ErrorKind::Syntax,
        message: "malformed source file".into(),
        span,
    }
}

fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    twice: impl FnOnce() -> SyntaxError,
) -> Result<(), SyntaxError> {
    if slot.is_some() {
        return Err(twice());
    }
    *slot = Some(value);
    Ok(())
}

fn string_in(lw: &Lowerer<'_>, pair: Pair<'_, Rule>, span: Span) -> Result<StrLit, SyntaxError> {
    let string = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::string)
        .ok_or_else(|| malformed(span))?;
    lw.string(string)
}

fn words_in(lw: &Lowerer<'_>, pair: Pair<'_, Rule>, span: Span) -> Result<WordList, SyntaxError> {
    let list = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::s_words)
        .ok_or_else(|| malformed(span))?;
    let list_span = lw.span(&list);
    let words = list
        .into_inner()
        .filter(|p| p.as_rule() == Rule::string)
        .map(|p| lw.string(p))
        .collect::<Result<_, _>>()?;
    Ok(WordList {
        words,
        span: list_span,
    })
}

/// A column line, and the file-wide `missing` list that the grammar read
/// as its last option because it follows it (see `grammar/source.pest`).
fn column_of(
    lw: &Lowerer<'_>,
    text: &str,
    pair: Pair<'_, Rule>,
) -> Result<(ColumnDef, Option<WordList>), SyntaxError> {
    let span = lw.span(&pair);
    let mut header = None;
    let mut fields = Vec::new();
    let mut column = ColumnDef {
        header: StrLit {
            value: String::new(),
            raw: String::new(),
            span,
        },
        fields: Vec::new(),
        format: None,
        yes: None,
        no: None,
        decimal_comma: None,
        missing: None,
        span,
    };
    let mut file_wide: Option<WordList> = None;
    // Where the token before the current one ended: a line break between
    // the two puts a `missing` list at the start of its line.
    let mut previous_end = span.start;
    for item in pair.into_inner() {
        let item_span = lw.span(&item);
        let starts_line = text
            .get(previous_end..item_span.start)
            .is_some_and(|between| between.contains('\n'));
        previous_end = item_span.end;
        let rule = item.as_rule();
        if file_wide.is_some() {
            // Nothing of a column may follow a list that left it.
            return Err(SyntaxError {
                kind: ErrorKind::InvalidSource,
                message: "this option follows a `missing` list that starts a line, which is for every \
                          column: put the option on its column's line"
                    .into(),
                span: item_span,
            });
        }
        let twice = |what: &str| SyntaxError {
            kind: ErrorKind::Duplicate,
            message: format!("`{what}` is given twice in this column"),
            span: item_span,
        };
        match rule {
            Rule::string => header = Some(lw.string(item)?),
            Rule::path => fields.push(lw.path(item)),
            Rule::s_format => set_once(&mut column.format, string_in(lw, item, item_span)?, || {
                twice("format")
            })?,
            Rule::s_yes => set_once(&mut column.yes, words_in(lw, item, item_span)?, || twice("yes"))?,
            Rule::s_no => set_once(&mut column.no, words_in(lw, item, item_span)?, || twice("no"))?,
            Rule::s_decimal_comma => {
                set_once(&mut column.decimal_comma, item_span, || twice("decimal_comma"))?
            }
            Rule::s_col_missing if starts_line => file_wide = Some(words_in(lw, item, item_span)?),
            Rule::s_col_missing => set_once(&mut column.missing, words_in(lw, item, item_span)?, || {
                twice("missing")
            })?,
            _ => {}
        }
    }
    column.header = header.ok_or_else(|| malformed(span))?;
    column.fields = fields;
    Ok((column, file_wide))
}
