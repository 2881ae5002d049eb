//! The syntax tree: what a rules file says, with a span on every node.
//! Nothing here is resolved or typed yet.

pub use crate::diagnostic::{SourceId, Span};
pub use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{Type, Value};

/// One parsed rules file.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub ruleset: Option<StrLit>,
    pub extends: Vec<StrLit>,
    pub statements: Vec<Statement>,
    /// Every `#` comment, in source order, for the formatter.
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The comment's text from `#` to the end of its line.
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    Ruleset(StrLit),
    Extends(StrLit),
    Field { path: FieldPath, ty: Type },
    Key(FieldPath),
    Rule(RuleDef),
    Override(RuleDef),
    Disable(Ident),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `arrival` or `employee.unit`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldPath {
    pub segments: Vec<String>,
    pub span: Span,
}

impl FieldPath {
    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }
}

/// A string literal: its value and the text it was written as.
#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub raw: String,
    pub span: Span,
}

/// How grave a breach of a rule is (its `severity` clause).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information; not a breach.
    Info,
    /// A minor breach.
    Minor,
    /// A major breach (the default).
    Major,
    /// A critical breach.
    Critical,
}

impl Severity {
    /// As written in rules and reports: `info`, `minor`, `major`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

/// A rule, or an override's replacement, in short (`rule id: check`) or
/// block form. Each clause keeps the span from its keyword to its end.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleDef {
    pub id: Ident,
    pub short_form: bool,
    pub title: Option<Clause<StrLit>>,
    pub severity: Option<Clause<Severity>>,
    pub reference: Option<Clause<StrLit>>,
    pub when: Option<Clause<Expr>>,
    /// `per E, …`: a group rule's keys (§9), never empty.
    pub per: Option<Clause<Vec<Expr>>>,
    pub check: Clause<Expr>,
    pub message: Option<Clause<Message>>,
}

/// A message: its string literal, and what the string says read as text
/// and `{…}` placeholders (`{{` and `}}` are literal braces).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub literal: StrLit,
    pub parts: Vec<MessagePart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MessagePart {
    Text(String),
    Placeholder(Placeholder),
}

/// What a message holds in braces: an expression (a field path, as in
/// `{arrival}`, in any rule; any other expression only in a group rule,
/// §9, which `check` decides).
#[derive(Clone, Debug, PartialEq)]
pub struct Placeholder {
    pub expr: Expr,
    /// The text between the braces, trimmed, as written.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause<T> {
    pub value: T,
    pub span: Span,
}

impl RuleDef {
    pub fn severity(&self) -> Severity {
        self.severity.as_ref().map_or(Severity::Major, |c| c.value)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    Field(FieldPath),
    Call {
        name: Ident,
        args: Vec<Expr>,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    In {
        negated: bool,
        element: Box<Expr>,
        set: InSet,
    },
    Predicate {
        predicate: Predicate,
        operand: Box<Expr>,
    },
    /// Kept so that the formatter prints the author's parentheses.
    Paren(Box<Expr>),
}

/// The right-hand side of `in`.
#[derive(Clone, Debug, PartialEq)]
pub enum InSet {
    List { items: Vec<Literal>, span: Span },
    Range { low: Literal, high: Literal },
    Field(FieldPath),
}

/// A literal: its value (a scalar, checked: `25:00` is not one) and the
/// text it was written as.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    pub value: Value,
    pub text: String,
    pub span: Span,
}
