//! The tree walk: three-valued truth of conditions, values of expressions,
//! and (for an unknown check only) the missing fields behind it.

use std::cmp::Ordering;

use super::ops::{self, borrow, borrow_cell, Eval, Fault, V};
use super::{Cell, Record};
use crate::compile::{Node, Slot};
use crate::semantics::ops::BinaryOp;

pub(super) struct Evaluator<'r, 'a> {
    pub record: &'r Record<'a>,
}

/// Kleene truth: `None` is unknown.
pub(super) type Truth = Result<Option<bool>, Fault>;

impl<'r> Evaluator<'r, '_> {
    fn present(&self, slot: Slot) -> bool {
        !matches!(self.record.cell(slot), Cell::Missing | Cell::Error(_))
    }

    /// The truth of a condition. Boolean nodes are decided here without
    /// building values; others go through [`Evaluator::value`].
    pub fn truth(&self, node: &'r Node) -> Truth {
        Ok(match node {
            Node::CmpConst { op, slot, constant } => {
                ops::compare_const(self.record.cell(*slot), *op, constant)
            }
            Node::InStrings { negated, slot, items } => match self.record.cell(*slot) {
                Cell::String(s) => Some(items.iter().any(|i| i.as_ref() == s.as_ref()) != *negated),
                _ => None,
            },
            Node::Required(slot) => Some(self.record.cell(*slot).is_nonempty()),
            Node::Present(slot) => Some(self.present(*slot)),
            Node::Missing(slot) => Some(!self.present(*slot)),
            Node::And(l, r) => match self.truth(l)? {
                Some(false) => Some(false),
                left => match (left, self.truth(r)?) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                },
            },
            Node::Or(l, r) => match self.truth(l)? {
                Some(true) => Some(true),
                left => match (left, self.truth(r)?) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                },
            },
            Node::Not(x) => self.truth(x)?.map(|b| !b),
            Node::Compare { op, domain, lhs, rhs } => {
                let (l, r) = (self.value(lhs)?, self.value(rhs)?);
                match (l, r) {
                    (Some(l), Some(r)) => ops::compare(*domain, &l, &r).map(|o| ops::holds(*op, o)),
                    _ => None,
                }
            }
            Node::InList {
                negated,
                domain,
                element,
                items,
            } => self
                .value(element)?
                .map(|e| ops::member(*domain, &e, items.iter().map(borrow)) != *negated),
            Node::InRange {
                negated,
                domain,
                element,
                low,
                high,
            } => self.value(element)?.map(|e| {
                let above = ops::compare(*domain, &e, &borrow(low)).is_some_and(|o| o != Ordering::Less);
                let below = ops::compare(*domain, &e, &borrow(high)).is_some_and(|o| o != Ordering::Greater);
                (above && below) != *negated
            }),
            Node::InField {
                negated,
                domain,
                element,
                list,
            } => match (self.value(element)?, self.record.cell(*list)) {
                (Some(e), Cell::List(items)) => {
                    Some(ops::member(*domain, &e, items.iter().filter_map(borrow_cell)) != *negated)
                }
                _ => None,
            },
            Node::Const(_) | Node::Field(_) | Node::Arith { .. } | Node::Neg(_) | Node::Call(..) => {
                match self.value(node)? {
                    Some(V::Bool(b)) => Some(b),
                    _ => None,
                }
            }
        })
    }

    /// The value of an expression; `Ok(None)` is unknown.
    pub fn value(&self, node: &'r Node) -> Eval<'r> {
        Ok(match node {
            Node::Const(v) => Some(borrow(v)),
            Node::Field(slot) => borrow_cell(self.record.cell(*slot)),
            Node::Arith { op, lhs, rhs, result } => {
                let (l, r) = (self.value(lhs)?, self.value(rhs)?);
                match (l, r) {
                    (Some(l), Some(r)) => Some(ops::arithmetic(*op, *result, l, r)?),
                    _ => None,
                }
            }
            Node::Neg(x) => match self.value(x)? {
                Some(V::Int(i)) => Some(V::Int(
                    i.checked_neg().ok_or_else(|| ops::overflow(BinaryOp::Sub))?,
                )),
                Some(V::Dec(d)) => Some(V::Dec(-d)),
                Some(V::Dur(d)) => Some(V::Dur(
                    d.checked_neg().ok_or_else(|| ops::overflow(BinaryOp::Sub))?,
                )),
                _ => None,
            },
            Node::Call(function, args) => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    match self.value(arg)? {
                        Some(v) => values.push(v),
                        None => return Ok(None),
                    }
                }
                ops::call(function, values)
            }
            condition => self.truth(condition)?.map(V::Bool),
        })
    }

    fn unknown(&self, node: &'r Node) -> bool {
        matches!(self.value(node), Ok(None))
    }

    /// The missing fields that make `node` unknown, in order of first
    /// appearance; only called when it is.
    pub fn missing_fields(&self, node: &'r Node, out: &mut Vec<Slot>) {
        let push = |slot: Slot, out: &mut Vec<Slot>| {
            if !self.present(slot) && !out.contains(&slot) {
                out.push(slot);
            }
        };
        match node {
            Node::Field(slot) | Node::CmpConst { slot, .. } | Node::InStrings { slot, .. } => {
                push(*slot, out)
            }
            Node::And(l, r) | Node::Or(l, r) => {
                for side in [l, r] {
                    if self.unknown(side) {
                        self.missing_fields(side, out);
                    }
                }
            }
            Node::Not(x) | Node::Neg(x) => self.missing_fields(x, out),
            Node::Compare { lhs, rhs, .. } | Node::Arith { lhs, rhs, .. } => {
                for side in [lhs, rhs] {
                    if self.unknown(side) {
                        self.missing_fields(side, out);
                    }
                }
            }
            Node::InList { element, .. } | Node::InRange { element, .. } => self.missing_fields(element, out),
            Node::InField { element, list, .. } => {
                if self.unknown(element) {
                    self.missing_fields(element, out);
                }
                push(*list, out);
            }
            Node::Call(_, args) => {
                for arg in args {
                    if self.unknown(arg) {
                        self.missing_fields(arg, out);
                    }
                }
            }
            Node::Const(_) | Node::Required(_) | Node::Present(_) | Node::Missing(_) => {}
        }
    }
}
