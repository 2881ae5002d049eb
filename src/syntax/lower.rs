//! pest pairs → syntax tree. Also checks what the grammar leaves open:
//! `ruleset`/`extends` first, each clause at most once, `check` present,
//! literal values real (`25:00` and `2022-02-30` are refused here).

use std::iter::Peekable;

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::{Rule, SyntaxError};
use crate::diagnostic::ErrorKind;
use crate::semantics::value::{self, Scalar, Type, Value};
use crate::Limits;

pub(super) struct Lowerer<'a> {
    pub(super) source: SourceId,
    pub(super) text: &'a str,
    pub(super) limits: Limits,
}

impl<'a> Lowerer<'a> {
    pub(super) fn new(source: SourceId, text: &'a str) -> Lowerer<'a> {
        Lowerer {
            source,
            text,
            limits: Limits::DEFAULT,
        }
    }
}

type Result<T> = std::result::Result<T, SyntaxError>;

/// The pairs of a rule whose operands and operators the lowering groups.
type Run<'i> = Peekable<Pairs<'i, Rule>>;

/// Two levels of left-associative operators that the grammar reads as one
/// flat run `a op b op c …`, with the rule of their operands: `tight`
/// binds closer than `loose`.
#[derive(Clone, Copy)]
struct Levels {
    loose: Rule,
    tight: Rule,
    operand: Rule,
}

const BOOLEAN: Levels = Levels {
    loose: Rule::op_or,
    tight: Rule::op_and,
    operand: Rule::not_expr,
};

const ARITHMETIC: Levels = Levels {
    loose: Rule::add_op,
    tight: Rule::mul_op,
    operand: Rule::unary,
};

pub(super) fn file(source: SourceId, text: &str, pair: Pair<'_, Rule>, limits: &Limits) -> Result<File> {
    let lw = Lowerer {
        limits: limits.clone(),
        ..Lowerer::new(source, text)
    };
    let mut file = File {
        ruleset: None,
        extends: Vec::new(),
        statements: Vec::new(),
        comments: collect_comments(source, text),
    };
    let mut seen_body = false;
    for stmt in pair.into_inner() {
        if stmt.as_rule() == Rule::EOI {
            break;
        }
        let span = lw.span(&stmt);
        let kind = lw.statement(stmt)?;
        match &kind {
            StatementKind::Ruleset(name) => {
                if seen_body {
                    return Err(lw.error(
                        ErrorKind::StatementOrder,
                        span,
                        "`ruleset` must come before fields, keys and rules",
                    ));
                }
                if file.ruleset.is_some() {
                    return Err(lw.error(
                        ErrorKind::StatementOrder,
                        span,
                        "a file has at most one `ruleset` line",
                    ));
                }
                file.ruleset = Some(name.clone());
            }
            StatementKind::Extends(path) => {
                if seen_body {
                    return Err(lw.error(
                        ErrorKind::StatementOrder,
                        span,
                        "`extends` must come before fields, keys and rules",
                    ));
                }
                file.extends.push(path.clone());
            }
            _ => seen_body = true,
        }
        file.statements.push(Statement { kind, span });
    }
    Ok(file)
}

/// Comments are not in the pest tree (they are implicit); find them by
/// scanning, skipping string literals.
fn collect_comments(source: SourceId, text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut iter = text.char_indices();
    while let Some((i, c)) = iter.next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let body = text[i..end].trim_end_matches('\r').trim_end();
                comments.push(Comment {
                    text: body.to_string(),
                    span: Span {
                        source,
                        start: i,
                        end: i + body.len(),
                    },
                });
                while iter.next().is_some_and(|(j, _)| j + 1 < end) {}
            }
            _ => {}
        }
    }
    comments
}

impl Lowerer<'_> {
    /// A pair's span without the whitespace and comments that pest's
    /// implicit rules may have taken in after its last token.
    pub(super) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        self.span_of(pair.as_span())
    }

    /// [`Lowerer::span`] of a pest span kept from a pair since moved.
    fn span_of(&self, s: pest::Span<'_>) -> Span {
        Span {
            source: self.source,
            start: s.start(),
            end: trim_end(self.text, s.start(), s.end()),
        }
    }

    pub(super) fn error(&self, kind: ErrorKind, span: Span, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            kind,
            message: message.into(),
            span,
        }
    }

    fn statement(&self, pair: Pair<'_, Rule>) -> Result<StatementKind> {
        let rule = pair.as_rule();
        let mut inner = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let mut next = || {
            inner
                .next()
                .ok_or_else(|| self.error(ErrorKind::Syntax, Span::default(), "malformed statement"))
        };
        Ok(match rule {
            Rule::ruleset_decl => StatementKind::Ruleset(self.string(next()?)?),
            Rule::extends_decl => StatementKind::Extends(self.string(next()?)?),
            Rule::field_decl => {
                let path = self.path(next()?);
                let ty = self.type_name(next()?);
                StatementKind::Field { path, ty }
            }
            Rule::key_decl => StatementKind::Key(self.path(next()?)),
            Rule::rule_def => {
                let id = self.ident(next()?);
                StatementKind::Rule(self.rule_body(id, next()?)?)
            }
            Rule::override_def => {
                let id = self.ident(next()?);
                StatementKind::Override(self.rule_body(id, next()?)?)
            }
            Rule::disable_def => StatementKind::Disable(self.ident(next()?)),
            other => {
                return Err(self.error(
                    ErrorKind::Syntax,
                    Span::default(),
                    format!("unexpected {other:?}"),
                ))
            }
        })
    }

    pub(super) fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    pub(super) fn path(&self, pair: Pair<'_, Rule>) -> FieldPath {
        FieldPath {
            span: self.span(&pair),
            segments: pair.into_inner().map(|p| p.as_str().to_string()).collect(),
        }
    }

    fn type_name(&self, pair: Pair<'_, Rule>) -> Type {
        let text = pair.as_str();
        let scalar_of = |s: &str| Scalar::from_name(s.trim()).unwrap_or(Scalar::String);
        match pair.into_inner().next() {
            Some(p) if p.as_rule() == Rule::list_type => {
                let elem = p.into_inner().next().map_or("string", |e| e.as_str());
                Type::List(scalar_of(elem))
            }
            _ => Type::Scalar(scalar_of(text)),
        }
    }

    pub(super) fn string(&self, pair: Pair<'_, Rule>) -> Result<StrLit> {
        let span = self.span(&pair);
        let raw = pair.as_str().to_string();
        let inner = &raw[1..raw.len() - 1];
        let value = unescape(inner)
            .ok_or_else(|| self.error(ErrorKind::InvalidLiteral, span, "invalid escape in string"))?;
        Ok(StrLit { value, raw, span })
    }

    fn rule_body(&self, id: Ident, body: Pair<'_, Rule>) -> Result<RuleDef> {
        let body_span = self.span(&body);
        if body.as_rule() == Rule::short_body {
            let span = self.span(&body);
            let mut parts = body.into_inner();
            let expr_pair = parts
                .next()
                .ok_or_else(|| self.error(ErrorKind::Syntax, span, "expected an expression"))?;
            if let Some(per) = parts.next() {
                return Err(self.error(
                    ErrorKind::Syntax,
                    self.span(&per),
                    format!(
                        "rule `{}` is in short form, which has only a check: a group rule with `per` needs the block form `rule {} {{ per … check … }}`",
                        id.name, id.name
                    ),
                ));
            }
            let check = self.expr(expr_pair)?;
            return Ok(RuleDef {
                id,
                short_form: true,
                title: None,
                severity: None,
                reference: None,
                when: None,
                per: None,
                check: Clause { value: check, span },
                message: None,
            });
        }
        let mut title = None;
        let mut severity = None;
        let mut reference = None;
        let mut when = None;
        let mut per = None;
        let mut check = None;
        let mut message = None;
        for clause in body.into_inner() {
            let span = self.span(&clause);
            let rule = clause.as_rule();
            if rule == Rule::per_clause {
                let keys = self.per_keys(clause, &id, span)?;
                let duplicate = || {
                    self.error(
                        ErrorKind::Duplicate,
                        span,
                        format!("`per` is given twice in rule `{}`", id.name),
                    )
                };
                set_once(&mut per, keys, span, duplicate)?;
                continue;
            }
            let mut parts = clause.into_inner().filter(|p| !is_keyword(p.as_rule()));
            let value = parts.next().ok_or_else(|| {
                self.error(
                    ErrorKind::Syntax,
                    span,
                    "expected a value after the clause keyword",
                )
            })?;
            let name = clause_name(rule);
            let duplicate = || {
                self.error(
                    ErrorKind::Duplicate,
                    span,
                    format!("`{name}` is given twice in rule `{}`", id.name),
                )
            };
            match rule {
                Rule::title_clause => set_once(&mut title, self.string(value)?, span, duplicate)?,
                Rule::ref_clause => set_once(&mut reference, self.string(value)?, span, duplicate)?,
                Rule::message_clause => {
                    let literal = self.string(value)?;
                    set_once(&mut message, self.message(literal)?, span, duplicate)?
                }
                Rule::when_clause => set_once(&mut when, self.expr(value)?, span, duplicate)?,
                Rule::check_clause => set_once(&mut check, self.expr(value)?, span, duplicate)?,
                Rule::severity_clause => {
                    let level = match value.as_str() {
                        "info" => Severity::Info,
                        "minor" => Severity::Minor,
                        "critical" => Severity::Critical,
                        _ => Severity::Major,
                    };
                    set_once(&mut severity, level, span, duplicate)?
                }
                _ => return Err(self.error(ErrorKind::Syntax, span, "unexpected clause")),
            }
        }
        let check = check.ok_or_else(|| {
            self.error(
                ErrorKind::Incomplete,
                body_span,
                format!("rule `{}` has no `check` clause", id.name),
            )
        })?;
        Ok(RuleDef {
            id,
            short_form: false,
            title,
            severity,
            reference,
            when,
            per,
            check,
            message,
        })
    }

    /// The expressions of a `per` clause. The grammar lets an expression
    /// be missing (none at all, or none after a comma) so that it can be
    /// refused here, in plain words, where it is missing.
    fn per_keys(&self, clause: Pair<'_, Rule>, id: &Ident, span: Span) -> Result<Vec<Expr>> {
        let mut keys = Vec::new();
        // The comma after which no expression has come yet.
        let mut open_comma: Option<Span> = None;
        for part in clause.into_inner() {
            match part.as_rule() {
                Rule::kw_per => {}
                Rule::per_comma => {
                    let comma = self.span(&part);
                    if keys.is_empty() || open_comma.is_some() {
                        return Err(self.missing_per_key(id, open_comma.unwrap_or(comma)));
                    }
                    open_comma = Some(comma);
                }
                _ => {
                    keys.push(self.expr(part)?);
                    open_comma = None;
                }
            }
        }
        if let Some(comma) = open_comma {
            return Err(self.missing_per_key(id, comma));
        }
        if keys.is_empty() {
            return Err(self.error(
                ErrorKind::Incomplete,
                span,
                format!(
                    "`per` in rule `{}` needs at least one expression to group by, like `per employee_id`",
                    id.name
                ),
            ));
        }
        Ok(keys)
    }

    fn missing_per_key(&self, id: &Ident, comma: Span) -> SyntaxError {
        self.error(
            ErrorKind::Syntax,
            comma,
            format!(
                "expected an expression after `,` in the `per` of rule `{}`",
                id.name
            ),
        )
    }

    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let expr = self.expr_inner(pair)?;
        let depth = depth_of(&expr);
        let limit = self.limits.max_expression_depth;
        if depth > limit {
            return Err(self.error(
                ErrorKind::TooDeep,
                expr.span,
                format!("this expression is nested {depth} deep; the limit is {limit}"),
            ));
        }
        Ok(expr)
    }

    fn expr_inner(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        // The span, which trims what pest took in after the last token, is
        // worked out only where it is kept.
        let raw = pair.as_span();
        let span = || self.span_of(raw);
        match pair.as_rule() {
            Rule::expr => self.chain(&mut pair.into_inner().peekable(), BOOLEAN, &span),
            Rule::not_expr => {
                let mut inner = pair.into_inner().peekable();
                if inner.next_if(|p| p.as_rule() == Rule::op_not).is_none() {
                    return self.comparison(inner, &span);
                }
                let operand = inner.next().ok_or_else(|| {
                    self.error(ErrorKind::Syntax, span(), "expected an expression after `not`")
                })?;
                Ok(Expr {
                    kind: ExprKind::Not(Box::new(self.expr_inner(operand)?)),
                    span: span(),
                })
            }
            Rule::unary => {
                let mut inner = pair.into_inner();
                let first = inner
                    .next()
                    .ok_or_else(|| self.error(ErrorKind::Syntax, span(), "empty expression"))?;
                if first.as_rule() == Rule::neg {
                    let operand = inner.next().ok_or_else(|| {
                        self.error(ErrorKind::Syntax, span(), "expected an expression after `-`")
                    })?;
                    return Ok(fold_negation(self.expr_inner(operand)?, span()));
                }
                let operand = self.expr_inner(first)?;
                let Some(p) = inner.next() else {
                    return Ok(operand);
                };
                let predicate = match p.as_str() {
                    "required" => Predicate::Required,
                    "present" => Predicate::Present,
                    _ => Predicate::Missing,
                };
                Ok(Expr {
                    kind: ExprKind::Predicate {
                        predicate,
                        operand: Box::new(operand),
                    },
                    span: span(),
                })
            }
            Rule::paren => {
                let inner = pair
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.error(ErrorKind::Syntax, span(), "empty parentheses"))?;
                Ok(Expr {
                    kind: ExprKind::Paren(Box::new(self.expr_inner(inner)?)),
                    span: span(),
                })
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.ident(
                    inner
                        .next()
                        .ok_or_else(|| self.error(ErrorKind::Syntax, span(), "expected a function name"))?,
                );
                let args = inner.map(|a| self.expr_inner(a)).collect::<Result<Vec<_>>>()?;
                Ok(Expr {
                    kind: ExprKind::Call { name, args },
                    span: span(),
                })
            }
            Rule::path => Ok(Expr {
                kind: ExprKind::Field(self.path(pair)),
                span: span(),
            }),
            // The literal has worked out the same span already.
            _ => {
                let literal = self.literal(pair)?;
                Ok(Expr {
                    span: literal.span,
                    kind: ExprKind::Literal(literal),
                })
            }
        }
    }

    /// Lowers the run of operands and `levels`' operators at the front of
    /// `pairs`, and stops before the first pair that is neither. `whole`
    /// is the span of the pair the run is in, for the errors that cannot
    /// happen on what the grammar accepts.
    fn chain(&self, pairs: &mut Run<'_>, levels: Levels, whole: &dyn Fn() -> Span) -> Result<Expr> {
        self.chain_at(pairs, levels, levels.loose, whole)
    }

    /// [`Lowerer::chain`] at the level of the operator `op`: operands bound
    /// by a tighter operator are grouped first, and each level associates
    /// to the left, as when every level was a grammar rule of its own.
    fn chain_at(
        &self,
        pairs: &mut Run<'_>,
        levels: Levels,
        op: Rule,
        whole: &dyn Fn() -> Span,
    ) -> Result<Expr> {
        let run = pairs.clone();
        let mut lhs = self.chain_operand(pairs, levels, op, whole)?;
        let limit = self.limits.max_expression_depth;
        let mut operators = 0usize;
        while let Some(op_pair) = pairs.next_if(|p| p.as_rule() == op) {
            // Each operator makes the tree one deeper: refuse before it is
            // built, as dropping a very deep tree would overflow the stack.
            operators += 1;
            if operators >= limit {
                return Err(self.error(
                    ErrorKind::TooDeep,
                    self.run_span(run, levels, op),
                    format!("this expression is nested more than {limit} deep; the limit is {limit}"),
                ));
            }
            let binary = match op_pair.as_str() {
                "or" => BinaryOp::Or,
                "and" => BinaryOp::And,
                "+" => BinaryOp::Add,
                "-" => BinaryOp::Sub,
                "*" => BinaryOp::Mul,
                _ => BinaryOp::Div,
            };
            let rhs = self.chain_operand(pairs, levels, op_pair.as_rule(), &|| self.span(&op_pair))?;
            let span = Span {
                start: lhs.span.start,
                end: rhs.span.end,
                ..lhs.span
            };
            lhs = Expr {
                kind: ExprKind::Binary {
                    op: binary,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            };
        }
        Ok(lhs)
    }

    /// One operand of a chain at the level of `op`: at the loose level, the
    /// whole run of the tight one.
    fn chain_operand(
        &self,
        pairs: &mut Run<'_>,
        levels: Levels,
        op: Rule,
        at: &dyn Fn() -> Span,
    ) -> Result<Expr> {
        if op == levels.loose {
            return self.chain_at(pairs, levels, levels.tight, at);
        }
        let operand = pairs
            .next()
            .ok_or_else(|| self.error(ErrorKind::Syntax, at(), "expected an operand"))?;
        self.expr_inner(operand)
    }

    /// The span of the run that [`Lowerer::chain_at`] at the level of `op`
    /// lowers from `run`: that of the grammar rule the level once was.
    fn run_span(&self, run: Run<'_>, levels: Levels, op: Rule) -> Span {
        let in_run = |rule: Rule| rule == levels.operand || rule == levels.tight || rule == op;
        let mut start = None;
        let mut end = 0;
        for pair in run.take_while(|p| in_run(p.as_rule())) {
            let span = pair.as_span();
            start.get_or_insert(span.start());
            end = span.end();
        }
        let start = start.unwrap_or(end);
        Span {
            source: self.source,
            start,
            end: trim_end(self.text, start, end),
        }
    }

    /// A comparison or `in` test from the pairs of the `not_expr` it fills,
    /// whose span it takes; or the one operand, when there is no test.
    fn comparison(&self, mut inner: Run<'_>, span: &dyn Fn() -> Span) -> Result<Expr> {
        let lhs = self.chain(&mut inner, ARITHMETIC, span)?;
        let Some(op_pair) = inner.next() else {
            return Ok(lhs);
        };
        let kind = match op_pair.as_rule() {
            Rule::op_in | Rule::not_in => {
                let rhs_pair = inner.next().ok_or_else(|| {
                    self.error(ErrorKind::Syntax, self.span(&op_pair), "expected an operand")
                })?;
                ExprKind::In {
                    negated: op_pair.as_rule() == Rule::not_in,
                    element: Box::new(lhs),
                    set: self.in_set(rhs_pair)?,
                }
            }
            _ => {
                let op = match op_pair.as_str() {
                    "==" => BinaryOp::Eq,
                    "!=" => BinaryOp::Ne,
                    "<" => BinaryOp::Lt,
                    "<=" => BinaryOp::Le,
                    ">" => BinaryOp::Gt,
                    _ => BinaryOp::Ge,
                };
                let rhs = self.chain(&mut inner, ARITHMETIC, &|| self.span(&op_pair))?;
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                }
            }
        };
        Ok(Expr { kind, span: span() })
    }

    fn in_set(&self, pair: Pair<'_, Rule>) -> Result<InSet> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::list => {
                let limit = self.limits.max_list_items;
                if pair.clone().into_inner().count() > limit {
                    let message = format!("this list has more than {limit} items (the limit)");
                    return Err(self.error(ErrorKind::TooDeep, span, message));
                }
                let items = pair
                    .into_inner()
                    .map(|p| self.bound(p, "a list item"))
                    .collect::<Result<Vec<_>>>()?;
                Ok(InSet::List { items, span })
            }
            Rule::range => {
                let mut inner = pair.into_inner();
                let mut bound = || {
                    inner
                        .next()
                        .ok_or_else(|| self.error(ErrorKind::Syntax, span, "a range needs two bounds"))
                        .and_then(|p| self.bound(p, "a range bound"))
                };
                let low = bound()?;
                let high = bound()?;
                Ok(InSet::Range { low, high })
            }
            _ => Ok(InSet::Field(self.path(pair))),
        }
    }

    /// A range bound or a list item (`place`), which §3 wants a literal. The
    /// grammar also reads a field or an expression there, so that the
    /// error can say what stands in the literal's place, and where.
    fn bound(&self, pair: Pair<'_, Rule>, place: &str) -> Result<Literal> {
        if pair.as_rule() != Rule::not_literal {
            return self.literal(pair);
        }
        let span = self.span(&pair);
        let text = &self.text[span.start..span.end];
        let parts: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
        let what = match parts.as_slice() {
            [only] if only.as_rule() == Rule::path => {
                match crate::diagnostic::closest(text, ["true", "false"]) {
                    Some(near) => format!("`{text}` is a field; did you mean `{near}`?"),
                    None => format!("`{text}` is a field; write the value itself"),
                }
            }
            _ => match literal_meant(&parts) {
                Some(literal) => format!("`{text}` is an expression; write `{literal}`"),
                None => format!("`{text}` is an expression; write its value"),
            },
        };
        Err(self.error(
            ErrorKind::LiteralExpected,
            span,
            format!("{place} must be a literal: {what}"),
        ))
    }

    pub(super) fn literal(&self, pair: Pair<'_, Rule>) -> Result<Literal> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let bad = |what: &str| {
            self.error(
                ErrorKind::InvalidLiteral,
                span,
                format!("`{text}` is not a valid {what}"),
            )
        };
        let value = match pair.as_rule() {
            Rule::boolean => Value::Bool(text == "true"),
            Rule::int => Value::Int(text.parse().map_err(|_| {
                self.error(
                    ErrorKind::InvalidLiteral,
                    span,
                    format!("`{text}` does not fit in a 64-bit int"),
                )
            })?),
            Rule::neg_number if !text.contains('.') => Value::Int(text.parse().map_err(|_| {
                self.error(
                    ErrorKind::InvalidLiteral,
                    span,
                    format!("`{text}` does not fit in a 64-bit int"),
                )
            })?),
            Rule::decimal | Rule::neg_number => {
                Value::Decimal(value::parse_decimal(text).ok_or_else(|| {
                    self.error(
                        ErrorKind::InvalidLiteral,
                        span,
                        format!("`{text}` has more digits than a decimal holds (28)"),
                    )
                })?)
            }
            Rule::time => {
                Value::Time(value::parse_time(text).ok_or_else(|| bad("time of day (00:00–23:59:59)"))?)
            }
            Rule::date => Value::Date(value::parse_date(text).ok_or_else(|| bad("calendar date"))?),
            Rule::duration => Value::Duration(
                value::parse_duration(text)
                    .ok_or_else(|| bad("duration (units d, h, m, s in that order, each once)"))?,
            ),
            Rule::string => Value::String(self.string(pair)?.value),
            other => {
                return Err(self.error(
                    ErrorKind::Syntax,
                    span,
                    format!("expected a literal, found {other:?}"),
                ))
            }
        };
        Ok(Literal {
            value,
            text: text.to_string(),
            span,
        })
    }
}

/// The literal that the parts of a `not_literal` stand for when they are
/// one term, in parentheses and after at most one `-` (`(-3)`, `- 3`,
/// `-(3)`): what the author meant, to suggest in the error. Operators
/// between terms are not pairs, so a second term means an operator.
fn literal_meant(parts: &[Pair<'_, Rule>]) -> Option<String> {
    use pest::Parser as _;
    let (term, negations) = parts.split_last()?;
    if negations.iter().any(|p| p.as_rule() != Rule::neg) || negations.len() > 1 {
        return None;
    }
    let mut inner = term.as_str().trim();
    while let Some(rest) = inner.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        inner = rest.trim();
    }
    let literal = match negations.len() {
        0 => inner.to_string(),
        _ if inner.starts_with('-') => return None,
        _ => format!("-{inner}"),
    };
    super::Grammar::parse(Rule::lone_literal, &literal).ok()?;
    Some(literal)
}

fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    // pest's implicit skip runs on through whitespace, so a span that took in
    // a comment ends in whitespace, or at the end of the text.
    let last = text.as_bytes()[start..end].last();
    if end < text.len() && !last.is_some_and(u8::is_ascii_whitespace) {
        return end;
    }
    if memchr::memchr(b'#', &text.as_bytes()[start..end]).is_none() {
        return start + text[start..end].trim_end().len();
    }
    loop {
        end = start + text[start..end].trim_end().len();
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1).max(start);
        match comment_start(&text[line_start..end]) {
            Some(offset) => end = line_start + offset,
            None => return end,
        }
    }
}

/// Where a `#` outside a string starts a comment on this line.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

/// `-` before a number literal is part of the literal, so that
/// `-9223372036854775808` is an int and `[-3, 4]` and `-3` agree.
fn fold_negation(operand: Expr, span: Span) -> Expr {
    if let ExprKind::Literal(lit) = &operand.kind {
        if !lit.text.starts_with('-') {
            let negated = match &lit.value {
                Value::Int(i) => i.checked_neg().map(Value::Int),
                Value::Decimal(d) => Some(Value::Decimal(-*d)),
                _ => None,
            };
            if let Some(value) = negated {
                return Expr {
                    kind: ExprKind::Literal(Literal {
                        value,
                        text: format!("-{}", lit.text),
                        span,
                    }),
                    span,
                };
            }
        }
    }
    Expr {
        kind: ExprKind::Neg(Box::new(operand)),
        span,
    }
}

fn depth_of(expr: &Expr) -> usize {
    // Iterative, so that measuring a deep tree cannot itself overflow.
    let mut max = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        match &e.kind {
            ExprKind::Literal(_) | ExprKind::Field(_) => {}
            ExprKind::Call { args, .. } => stack.extend(args.iter().map(|a| (a, d + 1))),
            ExprKind::Neg(x) | ExprKind::Not(x) | ExprKind::Paren(x) => stack.push((x, d + 1)),
            ExprKind::Predicate { operand, .. } => stack.push((operand, d + 1)),
            ExprKind::In { element, .. } => stack.push((element, d + 1)),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push((lhs, d + 1));
                stack.push((rhs, d + 1));
            }
        }
    }
    max
}

fn set_once<T>(
    slot: &mut Option<Clause<T>>,
    value: T,
    span: Span,
    duplicate: impl Fn() -> SyntaxError,
) -> Result<()> {
    if slot.is_some() {
        return Err(duplicate());
    }
    *slot = Some(Clause { value, span });
    Ok(())
}

fn clause_name(rule: Rule) -> &'static str {
    match rule {
        Rule::title_clause => "title",
        Rule::severity_clause => "severity",
        Rule::ref_clause => "ref",
        Rule::when_clause => "when",
        Rule::check_clause => "check",
        _ => "message",
    }
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_ruleset
            | Rule::kw_extends
            | Rule::kw_field
            | Rule::kw_key
            | Rule::kw_rule
            | Rule::kw_override
            | Rule::kw_disable
            | Rule::kw_title
            | Rule::kw_severity
            | Rule::kw_ref
            | Rule::kw_when
            | Rule::kw_check
            | Rule::kw_message
            | Rule::kw_per
    )
}

/// Resolves `\" \\ \n \t \u{…}`; the grammar admits no other escape.
fn unescape(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'u' => {
                let rest = chars.as_str();
                let close = rest.find('}')?;
                let code = u32::from_str_radix(rest.get(1..close)?, 16).ok()?;
                out.push(char::from_u32(code)?);
                chars = rest[close + 1..].chars();
            }
            _ => return None,
        }
    }
    Some(out)
}
