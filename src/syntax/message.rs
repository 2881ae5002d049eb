//! A message's string → text and `{…}` placeholders, each an expression
//! read with the expression grammar, with spans in the rules file.

use pest::Parser as _;

use super::ast::*;
use super::lower::Lowerer;
use super::{Grammar, Rule, SyntaxError};
use crate::diagnostic::ErrorKind;

type Result<T> = std::result::Result<T, SyntaxError>;

/// How to write what a message means by a brace, said with every refusal.
const BRACES: &str =
    "a placeholder is an expression in braces, like `{arrival}`; write `{{` and `}}` for literal braces";

impl Lowerer<'_> {
    /// Reads a message's placeholders. Its errors stand at the string, as
    /// they did when `check` read them.
    pub(super) fn message(&self, literal: StrLit) -> Result<Message> {
        let value = literal.value.as_str();
        let refuse = |what: String| self.error(ErrorKind::InvalidMessage, literal.span, what);
        let offsets = raw_offsets(
            literal
                .raw
                .get(1..literal.raw.len().saturating_sub(1))
                .unwrap_or(""),
        );
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = value.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.next_if(|(_, c)| *c == '{').is_some() => text.push('{'),
                '}' if chars.next_if(|(_, c)| *c == '}').is_some() => text.push('}'),
                '{' => {
                    let start = at + 1;
                    // The first `}` closes: a placeholder holds no brace,
                    // not even in a string literal.
                    let Some(length) = value[start..].find('}') else {
                        return Err(refuse(format!(
                            "`{{{}` in a message is not closed: {BRACES}",
                            &value[start..]
                        )));
                    };
                    let end = start + length;
                    while chars.next_if(|(i, _)| *i <= end).is_some() {}
                    let placeholder = self.placeholder(&literal, start, end, &offsets)?;
                    if !text.is_empty() {
                        parts.push(MessagePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(MessagePart::Placeholder(placeholder));
                }
                '}' => return Err(refuse(format!("unmatched `}}` in a message: {BRACES}"))),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(MessagePart::Text(text));
        }
        Ok(Message { literal, parts })
    }

    /// The placeholder between the braces at `start..end` of the message's
    /// value.
    fn placeholder(
        &self,
        literal: &StrLit,
        start: usize,
        end: usize,
        offsets: &[usize],
    ) -> Result<Placeholder> {
        let inner = &literal.value[start..end];
        let written = inner.trim();
        let at_string = |e: SyntaxError| SyntaxError {
            kind: ErrorKind::InvalidMessage,
            message: format!("`{{{written}}}` in a message: {}; {BRACES}", e.message),
            span: literal.span,
        };
        if written.is_empty() {
            return Err(self.error(
                ErrorKind::InvalidMessage,
                literal.span,
                format!("`{{}}` in a message is empty: {BRACES}"),
            ));
        }
        // The file's check skipped the string; pest must not recurse deeper
        // here than elsewhere.
        super::check_nesting(self.source, inner, self.limits.max_nesting).map_err(at_string)?;
        let mut pairs = Grammar::parse(Rule::lone_expr, inner)
            .map_err(|e| at_string(super::from_pest(self.source, inner, e)))?;
        let expr_pair = pairs
            .next()
            .and_then(|lone| lone.into_inner().find(|p| p.as_rule() == Rule::expr))
            .ok_or_else(|| {
                self.error(
                    ErrorKind::InvalidMessage,
                    literal.span,
                    format!("`{{{written}}}`: {BRACES}"),
                )
            })?;
        let within = Lowerer {
            source: self.source,
            text: inner,
            limits: self.limits.clone(),
        };
        let mut expr = within.expr(expr_pair).map_err(at_string)?;
        // Spans so far count from `start` in the value; escapes make the
        // file's text longer than the value, so each offset is looked up.
        let string_start = literal.span.start + 1;
        let raw_end = offsets.last().copied().unwrap_or(0);
        map_spans(&mut expr, &|offset| {
            string_start + offsets.get(start + offset).copied().unwrap_or(raw_end)
        });
        Ok(Placeholder {
            expr,
            text: written.to_string(),
        })
    }
}

/// For each byte of a string's value, the offset in its written text (the
/// part between the quotes) of the character or escape that gave it; one
/// more entry for the end.
fn raw_offsets(raw: &str) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(raw.len() + 1);
    let mut chars = raw.char_indices();
    while let Some((at, c)) = chars.next() {
        let value_length = if c != '\\' {
            c.len_utf8()
        } else {
            match chars.next() {
                Some((_, 'u')) => {
                    // `\u{HEX}`: the character's own length.
                    let mut hex = String::new();
                    for (_, h) in chars.by_ref() {
                        if h == '}' {
                            break;
                        }
                        hex.push(h);
                    }
                    u32::from_str_radix(hex.trim_start_matches('{'), 16)
                        .ok()
                        .and_then(char::from_u32)
                        .map_or(1, char::len_utf8)
                }
                Some(_) => 1,
                None => 0,
            }
        };
        offsets.extend(std::iter::repeat_n(at, value_length));
    }
    offsets.push(raw.len());
    offsets
}

/// Moves every span in `expr` by `to_file`.
fn map_spans(expr: &mut Expr, to_file: &dyn Fn(usize) -> usize) {
    let span = |s: &mut Span| {
        s.start = to_file(s.start);
        s.end = to_file(s.end);
    };
    span(&mut expr.span);
    match &mut expr.kind {
        ExprKind::Literal(literal) => span(&mut literal.span),
        ExprKind::Field(path) => span(&mut path.span),
        ExprKind::Call { name, args } => {
            span(&mut name.span);
            for arg in args {
                map_spans(arg, to_file);
            }
        }
        ExprKind::Neg(operand) | ExprKind::Not(operand) | ExprKind::Paren(operand) => {
            map_spans(operand, to_file)
        }
        ExprKind::Predicate { operand, .. } => map_spans(operand, to_file),
        ExprKind::Binary { lhs, rhs, .. } => {
            map_spans(lhs, to_file);
            map_spans(rhs, to_file);
        }
        ExprKind::In { element, set, .. } => {
            map_spans(element, to_file);
            match set {
                InSet::List { items, span: list } => {
                    span(list);
                    for item in items {
                        span(&mut item.span);
                    }
                }
                InSet::Range { low, high } => {
                    span(&mut low.span);
                    span(&mut high.span);
                }
                InSet::Field(path) => span(&mut path.span),
            }
        }
    }
}
