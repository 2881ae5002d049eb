//! The tree walk: three-valued truth of conditions, values of expressions,
//! and (for an unknown check only) the missing fields behind it. What each
//! operation means is `semantics`'; the walk only takes the operands to it.
//! A [`Trace`] is told each truth and value as the walk works it out, which
//! is how `explain` shows what the evaluator did.

use std::borrow::Cow;

use super::Record;
use crate::compile::{Node, Slot};
use crate::semantics::arith::{self, EvalError};
use crate::semantics::cell::Cell;
use crate::semantics::compare;
use crate::semantics::functions;
use crate::semantics::logic::{self, Kleene};

/// An evaluation error, boxed so that results stay small on the hot path.
pub(crate) type Fault = Box<EvalError>;

/// The truth of a condition.
pub(crate) type Judged = Result<Kleene, Fault>;

/// The value of an expression: a cell of the record or of the program
/// (borrowed), or one computed (owned). Unknown is [`Cell::Missing`].
pub(crate) type Valued<'r, 'a> = Result<Cow<'r, Cell<'a>>, Fault>;

/// What watches a walk: told the truth or value of each node as it is
/// worked out, and of no node the walk does not reach (the right side of
/// an `and` its left side settled).
pub(crate) trait Trace {
    /// Whether the hooks do anything. A walk nobody watches returns each
    /// result as it finds it: keeping one to show a trace first costs a
    /// copy of it (measured: 0.5% more instructions on a workload of
    /// arithmetic rules).
    const WATCHES: bool = true;
    #[inline(always)]
    fn truth(&self, _node: &Node, _judged: &Judged) {}
    #[inline(always)]
    fn value(&self, _node: &Node, _valued: &Valued<'_, '_>) {}
}

/// The walk of checking, watched by nobody: its hooks are empty, so the
/// walk compiles as if there were none.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Silent;

impl Trace for Silent {
    const WATCHES: bool = false;
}

impl<R: Trace + ?Sized> Trace for &R {
    const WATCHES: bool = R::WATCHES;
    #[inline(always)]
    fn truth(&self, node: &Node, judged: &Judged) {
        (**self).truth(node, judged);
    }
    #[inline(always)]
    fn value(&self, node: &Node, valued: &Valued<'_, '_>) {
        (**self).value(node, valued);
    }
}

/// The value of an unknown expression.
#[inline(always)]
fn unknown<'r, 'a>() -> Cow<'r, Cell<'a>> {
    Cow::Owned(Cell::Missing)
}

pub(crate) struct Evaluator<'r, 'a, T: Trace = Silent> {
    pub record: &'r Record<'a>,
    pub trace: T,
}

impl<'r, 'a> Evaluator<'r, 'a> {
    /// The walk of checking.
    #[inline(always)]
    pub fn new(record: &'r Record<'a>) -> Self {
        Evaluator {
            record,
            trace: Silent,
        }
    }
}

impl<'r, 'a, T: Trace> Evaluator<'r, 'a, T> {
    fn cell(&self, slot: Slot) -> &'r Cell<'a> {
        self.record.cell(slot)
    }

    /// The truth of a condition. Boolean nodes are decided here without
    /// building values; others go through [`Evaluator::value`].
    pub fn truth(&self, node: &'r Node) -> Judged {
        if !T::WATCHES {
            return self.judge(node);
        }
        let judged = self.judge(node);
        self.trace.truth(node, &judged);
        judged
    }

    /// The value of an expression; unknown is [`Cell::Missing`].
    pub fn value(&self, node: &'r Node) -> Valued<'r, 'a> {
        if !T::WATCHES {
            return self.compute(node);
        }
        let valued = self.compute(node);
        self.trace.value(node, &valued);
        valued
    }

    #[inline(always)]
    fn judge(&self, node: &'r Node) -> Judged {
        let known = |holds: Option<bool>| Kleene::from(holds);
        Ok(match node {
            Node::CmpConst { op, slot, constant } => {
                known(compare::compare(self.cell(*slot), constant).map(|o| compare::holds(*op, o)))
            }
            Node::InStrings { negated, slot, items } => match self.cell(*slot) {
                Cell::String(s) => Kleene::from(items.iter().any(|i| i.as_ref() == s.as_ref()) != *negated),
                _ => Kleene::Unknown,
            },
            Node::Required(slot) => Kleene::from(logic::required(self.cell(*slot))),
            Node::Present(slot) => Kleene::from(logic::present(self.cell(*slot))),
            Node::Missing(slot) => Kleene::from(!logic::present(self.cell(*slot))),
            Node::And(l, r) => {
                let left = self.truth(l)?;
                if left.settles_and() {
                    left
                } else {
                    left.and(self.truth(r)?)
                }
            }
            Node::Or(l, r) => {
                let left = self.truth(l)?;
                if left.settles_or() {
                    left
                } else {
                    left.or(self.truth(r)?)
                }
            }
            Node::Not(x) => self.truth(x)?.not(),
            Node::Compare { op, lhs, rhs } => {
                let (l, r) = (self.value(lhs)?, self.value(rhs)?);
                known(compare::compare(&l, &r).map(|o| compare::holds(*op, o)))
            }
            Node::InList {
                negated,
                element,
                items,
            } => {
                let e = self.value(element)?;
                known(
                    e.is_operand()
                        .then(|| compare::member(&e, items.iter()) != *negated),
                )
            }
            Node::InRange {
                negated,
                element,
                low,
                high,
            } => {
                let e = self.value(element)?;
                known(
                    e.is_operand()
                        .then(|| compare::in_range(&e, low, high) != *negated),
                )
            }
            Node::InField {
                negated,
                element,
                list,
            } => match (self.value(element)?, self.cell(*list)) {
                (e, Cell::List(items)) if e.is_operand() => {
                    Kleene::from(compare::member(&e, items.iter()) != *negated)
                }
                _ => Kleene::Unknown,
            },
            Node::Const(_) | Node::Field(_) | Node::Arith { .. } | Node::Neg(_) | Node::Call(..) => {
                match self.value(node)?.as_ref() {
                    Cell::Bool(b) => Kleene::from(*b),
                    _ => Kleene::Unknown,
                }
            }
        })
    }

    #[inline(always)]
    fn compute(&self, node: &'r Node) -> Valued<'r, 'a> {
        Ok(match node {
            Node::Const(c) => Cow::Borrowed(c),
            Node::Field(slot) => match self.cell(*slot) {
                cell if cell.is_operand() => Cow::Borrowed(cell),
                _ => unknown(),
            },
            Node::Arith { op, lhs, rhs, result } => {
                let (l, r) = (self.value(lhs)?, self.value(rhs)?);
                if !(l.is_operand() && r.is_operand()) {
                    return Ok(unknown());
                }
                Cow::Owned(arith::apply(*op, *result, &l, &r)?)
            }
            Node::Neg(x) => {
                let operand = self.value(x)?;
                match arith::negate(&operand) {
                    Some(negated) => Cow::Owned(negated?),
                    None => unknown(),
                }
            }
            Node::Call(function, args) => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    let value = self.value(arg)?;
                    if !value.is_operand() {
                        return Ok(unknown());
                    }
                    values.push(value);
                }
                functions::apply(function, &values)?.map_or(unknown(), Cow::Owned)
            }
            condition => match self.truth(condition)? {
                Kleene::True => Cow::Owned(Cell::Bool(true)),
                Kleene::False => Cow::Owned(Cell::Bool(false)),
                Kleene::Unknown => unknown(),
            },
        })
    }
}

/// The missing fields are looked for by a walk of their own, which goes
/// where the walk of checking did not: a trace is not told of it.
impl<'r, 'a> Evaluator<'r, 'a> {
    fn is_unknown(&self, node: &'r Node) -> bool {
        matches!(self.value(node), Ok(value) if !value.is_operand())
    }

    /// The missing fields that make `node` unknown, in order of first
    /// appearance; only called when it is.
    pub fn missing_fields(&self, node: &'r Node, out: &mut Vec<Slot>) {
        let push = |slot: Slot, out: &mut Vec<Slot>| {
            if !logic::present(self.cell(slot)) && !out.contains(&slot) {
                out.push(slot);
            }
        };
        match node {
            Node::Field(slot) | Node::CmpConst { slot, .. } | Node::InStrings { slot, .. } => {
                push(*slot, out)
            }
            Node::And(l, r) | Node::Or(l, r) => {
                for side in [l, r] {
                    if self.is_unknown(side) {
                        self.missing_fields(side, out);
                    }
                }
            }
            Node::Not(x) | Node::Neg(x) => self.missing_fields(x, out),
            Node::Compare { lhs, rhs, .. } | Node::Arith { lhs, rhs, .. } => {
                for side in [lhs, rhs] {
                    if self.is_unknown(side) {
                        self.missing_fields(side, out);
                    }
                }
            }
            Node::InList { element, .. } | Node::InRange { element, .. } => self.missing_fields(element, out),
            Node::InField { element, list, .. } => {
                if self.is_unknown(element) {
                    self.missing_fields(element, out);
                }
                push(*list, out);
            }
            Node::Call(_, args) => {
                for arg in args {
                    if self.is_unknown(arg) {
                        self.missing_fields(arg, out);
                    }
                }
            }
            Node::Const(_) | Node::Required(_) | Node::Present(_) | Node::Missing(_) => {}
        }
    }
}
