//! Stage 2: syntax trees → one checked, typed [`RuleSet`].
//!
//! `resolve.rs` follows `extends` and applies `override`/`disable`;
//! `types.rs` names every field, infers and checks types, and builds typed
//! expressions. The result refers to fields by [`FieldId`], never by name.

pub(crate) mod display;
mod resolve;
mod types;
pub(crate) use types::collect_reads;

use crate::diagnostic::{Problem, Sources};
use crate::diagnostic::{SourceId, Span};
use crate::load::Loader;
pub use crate::semantics::functions::Function;
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{Type, Value};
use crate::syntax::Severity;

/// Index of a field in [`RuleSet::fields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u32);

/// A field that a rule, a message, the key or a declaration names.
#[derive(Clone, Debug)]
pub struct Field {
    /// `employee.unit` → `["employee", "unit"]`.
    pub path: Vec<String>,
    /// The dotted name.
    pub name: String,
    /// `None` for a field used only in `required`/`present`/`missing`, in
    /// messages or as the key.
    pub ty: Option<Type>,
    /// Declared with `field`, or else inferred.
    pub declared: bool,
    pub span: Span,
}

/// The effective, checked rules of one rules file and all it extends.
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub name: String,
    /// The text of the file compiled (not of those it extends).
    pub root: SourceId,
    pub fields: Vec<Field>,
    pub key: Option<FieldId>,
    pub rules: Vec<Rule>,
    /// Every `override` that made these rules, with the inherited rule it
    /// replaced, both typed (for tools that compare them, like lint).
    pub overrides: Vec<Override>,
}

/// An `override rule`: the inherited rule and the rule that replaced it,
/// each typed under the fields of the rule set (nothing is inferred or
/// reported for them); `None` for one that does not type so, as a rule an
/// override replaced may name fields the effective rules no longer use.
#[derive(Clone, Debug)]
pub struct Override {
    pub replaced: Option<Rule>,
    pub by: Option<Rule>,
    /// Where the inherited rule is named, in the file it came from.
    pub replaced_span: Span,
    /// Where the override names the rule.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: Option<String>,
    pub severity: Severity,
    pub reference: Option<String>,
    pub when: Option<TypedExpr>,
    pub check: TypedExpr,
    pub message: Option<Message>,
    /// The fields that `when` and `check` read, in order of first use (of
    /// a group rule: `when`, `per` and the aggregates' arguments).
    pub reads: Vec<FieldId>,
    pub span: Span,
    /// What makes it a group rule (§9); its `check` then reads only
    /// [`TypedKind::GroupKey`]s and [`TypedKind::Aggregate`]s, with
    /// record-level expressions only inside the aggregates.
    pub group: Option<Group>,
}

/// A group rule's keys and aggregates.
#[derive(Clone, Debug)]
pub struct Group {
    /// The `per` expressions, in order.
    pub per: Vec<GroupKey>,
    /// Every aggregate of the `check`, in order of first appearance, then
    /// those only the message names.
    pub aggregates: Vec<Aggregate>,
}

/// One `per` expression.
#[derive(Clone, Debug)]
pub struct GroupKey {
    pub key: KeyExpr,
    /// As `fmt` writes it: the name of the key in the output.
    pub text: String,
}

/// A `per` expression as the records are grouped by it.
#[derive(Clone, Debug)]
pub enum KeyExpr {
    /// A field no rule gives a type: its value as the record holds it.
    Field(FieldId),
    Expr(TypedExpr),
}

/// One aggregate of a group rule.
#[derive(Clone, Debug)]
pub struct Aggregate {
    pub function: crate::semantics::aggregate::AggregateFn,
    /// `count(E)`, `sum(E)`…: the record-level expression; `None` for
    /// `count()` and `violations(R)`.
    pub arg: Option<TypedExpr>,
    /// `violations(R)`: the record rule's id.
    pub rule: Option<String>,
    /// As `fmt` writes it: its name in the output's `values`.
    pub text: String,
    pub ty: Type,
    /// Written in the `check` (the output's `values` list only those).
    pub in_check: bool,
}

/// A message with its `{path}` holes resolved to fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub parts: Vec<MessagePart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MessagePart {
    Text(String),
    /// A field's value (in a group rule's message: the first record's).
    Field(FieldId),
    /// A group rule's `per` value, by index in [`Group::per`].
    GroupKey(u32),
    /// A group rule's aggregate, by index in [`Group::aggregates`].
    Aggregate(u32),
}

/// An expression whose type is known and whose fields are resolved.
#[derive(Clone, Debug)]
pub struct TypedExpr {
    pub kind: TypedKind,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TypedKind {
    Literal(Value),
    Field(FieldId),
    Call(Function, Vec<TypedExpr>),
    Neg(Box<TypedExpr>),
    Not(Box<TypedExpr>),
    Binary {
        op: BinaryOp,
        lhs: Box<TypedExpr>,
        rhs: Box<TypedExpr>,
    },
    In {
        negated: bool,
        element: Box<TypedExpr>,
        set: TypedSet,
    },
    Predicate(Predicate, FieldId),
    /// In a group rule's `check`: the group's value of a `per` expression
    /// (index in [`Group::per`]), with its text.
    GroupKey {
        index: u32,
        text: String,
    },
    /// In a group rule's `check`: an aggregate's value (index in
    /// [`Group::aggregates`]), with its text. A group is checked as a
    /// record of its own whose slots are the `per` values, then the
    /// aggregates: `slot` is this one's.
    Aggregate {
        index: u32,
        slot: u32,
        text: String,
    },
}

#[derive(Clone, Debug)]
pub enum TypedSet {
    List(Vec<Value>),
    /// Inclusive bounds.
    Range(Value, Value),
    /// A field of list type: membership among its elements.
    Field(FieldId),
}

/// Loads `root` through `loader` (following `extends`), and checks it,
/// within the default [`crate::Limits`]. Sources read along the way are
/// added to `sources`.
pub fn check(loader: &dyn Loader, sources: &mut Sources, root: &str) -> Result<RuleSet, crate::CompileError> {
    check_with(loader, sources, root, &crate::Limits::default())
}

/// [`check`] within `limits`.
pub fn check_with(
    loader: &dyn Loader,
    sources: &mut Sources,
    root: &str,
    limits: &crate::Limits,
) -> Result<RuleSet, crate::CompileError> {
    let located = |problems: Vec<Problem>, sources: &Sources| crate::CompileError {
        diagnostics: problems.into_iter().map(|p| p.into_diagnostic(sources)).collect(),
    };
    let effective = resolve::resolve(loader, sources, root, limits).map_err(|p| located(p, sources))?;
    types::check_types(effective, limits.max_regex_bytes).map_err(|p| located(p, sources))
}

impl RuleSet {
    pub fn field(&self, id: FieldId) -> &Field {
        &self.fields[id.0 as usize]
    }
}

#[cfg(test)]
mod tests;
