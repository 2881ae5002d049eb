//! Stage 1: source text → syntax tree with spans.
//!
//! [`parse`] is the entry point. pest's pairs never leave this module: the
//! lowering in `lower.rs` turns them into [`ast`] nodes and checks what the
//! grammar leaves open (statement order, clause repetition, literal values).

pub mod ast;
mod lower;
mod message;
pub(crate) mod print;
pub mod source_file;
pub mod test_file;

use pest::Parser as _;
use pest_derive::Parser;

use crate::diagnostic::ErrorKind;

pub use ast::*;

#[derive(Parser)]
#[grammar = "../grammar/civrules.pest"]
#[grammar = "../grammar/civrules-test.pest"]
#[grammar = "../grammar/source.pest"]
struct Grammar;

/// Why a rules file could not be parsed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Span,
}

/// Parses one rules file within the default [`crate::Limits`]. `text` must
/// not start with a byte-order mark (callers strip it, see
/// [`crate::Sources`]).
pub fn parse(source: SourceId, text: &str) -> Result<File, SyntaxError> {
    parse_with(source, text, &crate::Limits::DEFAULT)
}

/// [`parse`] within `limits`.
pub fn parse_with(source: SourceId, text: &str, limits: &crate::Limits) -> Result<File, SyntaxError> {
    if text.len() > limits.max_source_bytes {
        return Err(SyntaxError {
            kind: ErrorKind::FileTooLarge,
            message: crate::limits::file_too_large(limits.max_source_bytes, "rules"),
            span: Span {
                source,
                start: 0,
                end: 0,
            },
        });
    }
    check_nesting(source, text, limits.max_nesting)?;
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|e| from_pest(source, text, e))?;
    let file = pairs.next().ok_or_else(|| SyntaxError {
        kind: ErrorKind::Syntax,
        message: "empty parse".into(),
        span: Span::default(),
    })?;
    lower::file(source, text, file, limits)
}

/// Refuses input nested deeper than `max_nesting`, counting `(`, `[` and
/// runs of `not` / unary `-`, outside strings and comments.
fn check_nesting(source: SourceId, text: &str, max_nesting: usize) -> Result<(), SyntaxError> {
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    let mut chars = text.char_indices().peekable();
    let too_deep = |at: usize| SyntaxError {
        kind: ErrorKind::TooDeep,
        message: format!("expressions are nested more than {max_nesting} deep"),
        span: Span {
            source,
            start: at,
            end: at + 1,
        },
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => {
                while chars.peek().is_some_and(|(_, c)| *c != '\n') {
                    chars.next();
                }
            }
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '(' | '[' => {
                depth += 1;
                if depth > max_nesting {
                    return Err(too_deep(i));
                }
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            '-' => {
                prefix_run += 1;
                if prefix_run > max_nesting {
                    return Err(too_deep(i));
                }
            }
            'n' if text[i..].starts_with("not")
                && !text[i + 3..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_') =>
            {
                prefix_run += 1;
                if prefix_run > max_nesting {
                    return Err(too_deep(i));
                }
                chars.next();
                chars.next();
            }
            c if c.is_whitespace() => {}
            _ => prefix_run = 0,
        }
    }
    Ok(())
}

fn from_pest(source: SourceId, text: &str, error: pest::error::Error<Rule>) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let start = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = describe_found(&text[start..]);
    let message = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut expected: Vec<&str> = positives.iter().filter_map(|r| describe_rule(*r)).collect();
            expected.sort_unstable();
            expected.dedup();
            let mut message = match expected.len() {
                0 => format!("unexpected {found}"),
                1 => format!("expected {}, found {found}", expected[0]),
                _ => {
                    let (last, rest) = expected.split_last().unwrap_or((&"", &[]));
                    format!("expected {} or {last}, found {found}", rest.join(", "))
                }
            };
            let word = &text[start..start + found_len(&text[start..])];
            let words = positives.iter().flat_map(|r| keywords(*r).iter().copied());
            let near = crate::diagnostic::closest(word, words)
                .map(str::to_string)
                .or_else(|| crate::semantics::value::time_written_otherwise(word, &['h', 'H', 'g', 'G']));
            if let Some(near) = near {
                message.push_str(&format!(": did you mean `{near}`?"));
            }
            message
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let end = start + found_len(&text[start..]);
    SyntaxError {
        kind: ErrorKind::Syntax,
        message,
        span: Span { source, start, end },
    }
}

fn found_len(rest: &str) -> usize {
    let word: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    }
}

fn describe_found(rest: &str) -> String {
    match rest.chars().next() {
        None => "the end of the file".into(),
        Some('\n') | Some('\r') => "the end of the line".into(),
        Some(_) => format!("`{}`", &rest[..found_len(rest)]),
    }
}

const SOURCE_STATEMENT: &str =
    "a source statement (source, header_row, delimiter, encoding, column, missing, observes)";

const STATEMENT: &str = "a statement (ruleset, extends, field, key, rule, override, disable)";

fn describe_rule(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::ruleset_decl | Rule::extends_decl | Rule::field_decl | Rule::key_decl => STATEMENT,
        Rule::rule_def | Rule::override_def | Rule::disable_def => STATEMENT,
        Rule::file | Rule::kw_ruleset | Rule::kw_extends | Rule::kw_field | Rule::kw_key => STATEMENT,
        Rule::kw_override | Rule::kw_disable => STATEMENT,
        Rule::kw_rule => "`rule`",
        Rule::kw_title
        | Rule::kw_severity
        | Rule::kw_ref
        | Rule::kw_when
        | Rule::kw_check
        | Rule::kw_message => "a clause (title, severity, ref, when, per, check, message)",
        // Not named: `per` is also tried after a short-form rule, only to
        // refuse it there, where "a clause" is not what is expected. In a
        // block, every other clause is tried beside it and names "a clause".
        Rule::kw_per | Rule::per_clause => return None,
        Rule::short_body => "`:`",
        Rule::block => "`{`",
        Rule::title_clause
        | Rule::severity_clause
        | Rule::ref_clause
        | Rule::when_clause
        | Rule::check_clause
        | Rule::message_clause => "a clause (title, severity, ref, when, per, check, message)",
        Rule::severity => "a severity (info, minor, major, critical)",
        Rule::type_name | Rule::scalar_type | Rule::list_type => {
            "a type (bool, int, decimal, string, time, date, duration, list[…])"
        }
        Rule::expr | Rule::not_expr | Rule::unary => "an expression",
        Rule::paren | Rule::call | Rule::path | Rule::ident => "a name",
        Rule::op_or | Rule::op_and => "an operator",
        Rule::op_not | Rule::op_in | Rule::not_in | Rule::cmp_op | Rule::add_op | Rule::mul_op => {
            "an operator"
        }
        Rule::predicate => "`required`, `present` or `missing`",
        Rule::range | Rule::list => "a list or a range",
        Rule::neg_number | Rule::neg => "a literal",
        Rule::boolean | Rule::time | Rule::date | Rule::duration | Rule::decimal | Rule::int => "a literal",
        Rule::string | Rule::string_inner | Rule::escape => "a string",
        // Rule tests (`*.test`).
        Rule::test_file | Rule::kw_rules => "`rules \"FILE.rules\"`",
        Rule::kw_base | Rule::kw_test => "`test \"NAME\" {`",
        Rule::kw_record | Rule::kw_expect => "`record {…}` or `expect RULE OUTCOME`",
        Rule::t_pass
        | Rule::t_failed
        | Rule::t_missing
        | Rule::kw_missing
        | Rule::t_violation
        | Rule::t_not_applicable
        | Rule::t_error => "an outcome (pass, failed, missing, violation, not applicable, error)",
        Rule::t_object => "`{`",
        Rule::t_member | Rule::t_key | Rule::t_name | Rule::t_word => "a field name",
        Rule::t_null | Rule::t_list => "a value",
        // Source files (`*.source`).
        Rule::source_file
        | Rule::s_source
        | Rule::s_header_row
        | Rule::s_delimiter
        | Rule::s_encoding
        | Rule::s_column
        | Rule::s_missing
        | Rule::s_observes
        | Rule::kw_source
        | Rule::kw_header_row
        | Rule::kw_delimiter
        | Rule::kw_encoding
        | Rule::kw_column
        | Rule::kw_observes
        | Rule::kw_s_missing => SOURCE_STATEMENT,
        Rule::s_format | Rule::s_yes | Rule::s_no | Rule::s_decimal_comma | Rule::s_col_missing => {
            "a column option (format, yes, no, decimal_comma, missing)"
        }
        Rule::kw_format | Rule::kw_yes | Rule::kw_no | Rule::kw_decimal_comma => {
            "a column option (format, yes, no, decimal_comma, missing)"
        }
        Rule::s_arrow => "`->`",
        Rule::s_words => "a list of words (`[\"Có\", \"x\"]`)",
        Rule::s_number => "a row number",
        _ => return None,
    })
}

/// The words a rule of the grammar stands for, offered as "did you mean"
/// when a word close to one of them is found in its place.
fn keywords(rule: Rule) -> &'static [&'static str] {
    match rule {
        // A file that fails at its first token: a statement was expected.
        Rule::file => &[
            "ruleset", "extends", "field", "key", "rule", "override", "disable",
        ],
        Rule::kw_ruleset => &["ruleset"],
        Rule::kw_extends => &["extends"],
        Rule::kw_field => &["field"],
        Rule::kw_key => &["key"],
        Rule::kw_rule => &["rule"],
        Rule::kw_override => &["override"],
        Rule::kw_disable => &["disable"],
        Rule::kw_title => &["title"],
        Rule::kw_severity => &["severity"],
        Rule::kw_ref => &["ref"],
        Rule::kw_when => &["when"],
        Rule::kw_per => &["per"],
        Rule::kw_check => &["check"],
        Rule::kw_message => &["message"],
        Rule::severity => &["info", "minor", "major", "critical"],
        Rule::type_name | Rule::scalar_type => &[
            "bool", "int", "decimal", "string", "time", "date", "duration", "list",
        ],
        Rule::predicate => &["required", "present", "missing"],
        Rule::op_and => &["and"],
        Rule::op_or => &["or"],
        Rule::op_in | Rule::not_in => &["in"],
        Rule::boolean => &["true", "false"],
        Rule::test_file | Rule::kw_rules => &["rules"],
        Rule::kw_base => &["base"],
        Rule::kw_test => &["test"],
        Rule::kw_record => &["record"],
        Rule::kw_expect => &["expect"],
        Rule::t_pass => &["pass"],
        Rule::t_failed => &["failed"],
        Rule::t_missing | Rule::kw_missing => &["missing"],
        Rule::t_violation => &["violation"],
        Rule::t_not_applicable => &["not"],
        Rule::t_error => &["error"],
        Rule::source_file => &[
            "source",
            "header_row",
            "delimiter",
            "encoding",
            "column",
            "missing",
            "observes",
        ],
        Rule::kw_source => &["source"],
        Rule::kw_header_row => &["header_row"],
        Rule::kw_delimiter => &["delimiter"],
        Rule::kw_encoding => &["encoding"],
        Rule::kw_column => &["column"],
        Rule::kw_observes => &["observes"],
        Rule::kw_s_missing => &["missing"],
        Rule::kw_format => &["format"],
        Rule::kw_yes => &["yes"],
        Rule::kw_no => &["no"],
        Rule::kw_decimal_comma => &["decimal_comma"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests;

impl From<SyntaxError> for crate::diagnostic::Problem {
    fn from(error: SyntaxError) -> Self {
        crate::diagnostic::Problem::at(error.kind, error.span, error.message)
    }
}
