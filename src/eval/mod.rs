//! Stage 4: a [`Program`] and a [`Record`] → one [`Outcome`] per rule.
//!
//! Logic is three-valued: `Ok(None)` is *unknown* (a missing operand).
//! `and`/`or` go left to right and stop once the result is settled.

mod record;

use std::borrow::Cow;
use std::cmp::Ordering;

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::Function;
use crate::compile::{CompiledRule, Domain, Node, Program, Slot as SlotIndex};
use crate::syntax::BinaryOp;
use crate::value::{Type, Value};

pub(crate) use record::{read_json, Shape};
pub use record::{Cell, Record};

/// Why evaluating a rule failed for a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EvalError {
    #[error("division by zero")]
    DivisionByZero,
    #[error("arithmetic overflow in `{op}`")]
    Overflow { op: String },
    #[error("{time} {op} {duration} leaves the day (00:00–23:59:59)")]
    TimeOutOfDay {
        time: String,
        op: String,
        duration: String,
    },
    #[error("a date can only move by whole days, not by {duration}")]
    NotWholeDays { duration: String },
    #[error("{date} {op} {duration} leaves the calendar")]
    DateOutOfRange {
        date: String,
        op: String,
        duration: String,
    },
}

/// Why a rule was violated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// The check was false.
    Failed,
    /// The check was unknown: a field it needs is missing.
    Missing,
}

/// The outcome of one rule for one record.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `when` was false or unknown.
    NotApplicable,
    Pass,
    Violation {
        reason: Reason,
        /// The missing fields that made the check unknown (slots), in order
        /// of first appearance; empty when the reason is `Failed`.
        missing: Vec<SlotIndex>,
    },
    /// A field the rule reads holds a data error (`Err(None)`), or the
    /// evaluation failed.
    Error(Option<EvalError>),
}

/// A value during evaluation; strings are borrowed from the record.
#[derive(Clone, Debug)]
enum V<'a> {
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    Str(Cow<'a, str>),
    Time(Time),
    Date(Date),
    Dur(SignedDuration),
    /// A list's length: all that `len` needs.
    ListLen(usize),
}

type Eval<'a> = Result<Option<V<'a>>, EvalError>;

fn borrow(value: &Value) -> V<'_> {
    match value {
        Value::Bool(b) => V::Bool(*b),
        Value::Int(i) => V::Int(*i),
        Value::Decimal(d) => V::Dec(*d),
        Value::String(s) => V::Str(Cow::Borrowed(s)),
        Value::Time(t) => V::Time(*t),
        Value::Date(d) => V::Date(*d),
        Value::Duration(d) => V::Dur(*d),
        Value::List(items) => V::ListLen(items.len()),
        Value::Object => V::Bool(true),
    }
}

fn borrow_cell<'r>(cell: &'r Cell<'_>) -> Option<V<'r>> {
    Some(match cell {
        Cell::Bool(b) => V::Bool(*b),
        Cell::Int(i) => V::Int(*i),
        Cell::Decimal(d) => V::Dec(*d),
        Cell::String(s) => V::Str(Cow::Borrowed(s)),
        Cell::Time(t) => V::Time(*t),
        Cell::Date(d) => V::Date(*d),
        Cell::Duration(d) => V::Dur(*d),
        Cell::List(items) => V::ListLen(items.len()),
        Cell::Missing | Cell::Object | Cell::Error(_) => return None,
    })
}

fn as_decimal(v: &V<'_>) -> Option<Decimal> {
    match v {
        V::Int(i) => Some(Decimal::from(*i)),
        V::Dec(d) => Some(*d),
        _ => None,
    }
}

/// Orders two values of one comparison domain.
fn compare(domain: Domain, a: &V<'_>, b: &V<'_>) -> Option<Ordering> {
    match (domain, a, b) {
        (Domain::Int, V::Int(x), V::Int(y)) => Some(x.cmp(y)),
        (Domain::Decimal, x, y) => Some(as_decimal(x)?.cmp(&as_decimal(y)?)),
        (Domain::String, V::Str(x), V::Str(y)) => Some(x.as_ref().cmp(y.as_ref())),
        (Domain::Time, V::Time(x), V::Time(y)) => Some(x.cmp(y)),
        (Domain::Date, V::Date(x), V::Date(y)) => Some(x.cmp(y)),
        (Domain::Duration, V::Dur(x), V::Dur(y)) => Some(x.cmp(y)),
        (Domain::Bool, V::Bool(x), V::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn holds(op: BinaryOp, ordering: Ordering) -> bool {
    match op {
        BinaryOp::Eq => ordering == Ordering::Equal,
        BinaryOp::Ne => ordering != Ordering::Equal,
        BinaryOp::Lt => ordering == Ordering::Less,
        BinaryOp::Le => ordering != Ordering::Greater,
        BinaryOp::Gt => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    }
}

fn overflow(op: BinaryOp) -> EvalError {
    EvalError::Overflow {
        op: op.as_str().into(),
    }
}

fn arithmetic<'a>(op: BinaryOp, result: Type, a: V<'a>, b: V<'a>) -> Result<V<'a>, EvalError> {
    use BinaryOp::*;
    Ok(match (a, b) {
        (V::Int(x), V::Int(y)) if result == Type::INT => V::Int(
            match op {
                Add => x.checked_add(y),
                Sub => x.checked_sub(y),
                _ => x.checked_mul(y),
            }
            .ok_or_else(|| overflow(op))?,
        ),
        (x @ (V::Int(_) | V::Dec(_)), y @ (V::Int(_) | V::Dec(_))) => {
            let (x, y) = (
                as_decimal(&x).ok_or_else(|| overflow(op))?,
                as_decimal(&y).ok_or_else(|| overflow(op))?,
            );
            if op == Div && y.is_zero() {
                return Err(EvalError::DivisionByZero);
            }
            V::Dec(
                match op {
                    Add => x.checked_add(y),
                    Sub => x.checked_sub(y),
                    Mul => x.checked_mul(y),
                    _ => x.checked_div(y),
                }
                .ok_or_else(|| overflow(op))?,
            )
        }
        (V::Time(x), V::Time(y)) => V::Dur(x.duration_since(y)),
        (V::Date(x), V::Date(y)) => V::Dur(x.duration_since(y)),
        (V::Time(t), V::Dur(d)) | (V::Dur(d), V::Time(t)) => {
            let moved = if op == Sub {
                t.checked_sub(d)
            } else {
                t.checked_add(d)
            };
            V::Time(moved.map_err(|_| EvalError::TimeOutOfDay {
                time: crate::value::format_time(t),
                op: op.as_str().into(),
                duration: crate::value::format_duration(d),
            })?)
        }
        (V::Date(t), V::Dur(d)) | (V::Dur(d), V::Date(t)) => {
            if d.as_secs() % 86_400 != 0 || d.subsec_nanos() != 0 {
                return Err(EvalError::NotWholeDays {
                    duration: crate::value::format_duration(d),
                });
            }
            let moved = if op == Sub {
                t.checked_sub(d)
            } else {
                t.checked_add(d)
            };
            V::Date(moved.map_err(|_| EvalError::DateOutOfRange {
                date: crate::value::format_date(t),
                op: op.as_str().into(),
                duration: crate::value::format_duration(d),
            })?)
        }
        (V::Dur(x), V::Dur(y)) => V::Dur(
            if op == Sub {
                x.checked_sub(y)
            } else {
                x.checked_add(y)
            }
            .ok_or_else(|| overflow(op))?,
        ),
        _ => return Err(overflow(op)),
    })
}

fn member<'v>(domain: Domain, element: &V<'_>, mut items: impl Iterator<Item = V<'v>>) -> bool {
    items.any(|item| compare(domain, element, &item) == Some(Ordering::Equal))
}

fn call<'a>(function: &Function, args: Vec<V<'a>>) -> Option<V<'a>> {
    let mut args = args.into_iter();
    let first = args.next()?;
    Some(match (function, first) {
        (Function::Weekday, V::Date(d)) => V::Int(d.weekday().to_monday_one_offset().into()),
        (Function::Day, V::Date(d)) => V::Int(d.day().into()),
        (Function::Month, V::Date(d)) => V::Int(d.month().into()),
        (Function::Year, V::Date(d)) => V::Int(d.year().into()),
        (Function::Hour, V::Time(t)) => V::Int(t.hour().into()),
        (Function::Minute, V::Time(t)) => V::Int(t.minute().into()),
        (Function::Len, V::Str(s)) => V::Int(s.chars().count() as i64),
        (Function::Len, V::ListLen(n)) => V::Int(n as i64),
        (Function::Lower, V::Str(s)) => V::Str(Cow::Owned(s.to_lowercase())),
        (Function::Upper, V::Str(s)) => V::Str(Cow::Owned(s.to_uppercase())),
        (Function::Matches(regex), V::Str(s)) => V::Bool(regex.is_match(&s)),
        (Function::Contains, V::Str(s)) => match args.next()? {
            V::Str(needle) => V::Bool(s.contains(needle.as_ref())),
            _ => return None,
        },
        (Function::StartsWith, V::Str(s)) => match args.next()? {
            V::Str(prefix) => V::Bool(s.starts_with(prefix.as_ref())),
            _ => return None,
        },
        _ => return None,
    })
}

struct Evaluator<'r, 'a> {
    record: &'r Record<'a>,
}

impl<'r> Evaluator<'r, '_> {
    fn present(&self, slot: SlotIndex) -> bool {
        !matches!(self.record.cell(slot), Cell::Missing | Cell::Error(_))
    }

    fn eval(&self, node: &'r Node) -> Eval<'r> {
        Ok(match node {
            Node::Const(v) => Some(borrow(v)),
            Node::Field(slot) => borrow_cell(self.record.cell(*slot)),
            Node::Required(slot) => Some(V::Bool(self.record.cell(*slot).is_nonempty())),
            Node::Present(slot) => Some(V::Bool(self.present(*slot))),
            Node::Missing(slot) => Some(V::Bool(!self.present(*slot))),
            Node::And(l, r) => match self.truth(l)? {
                Some(false) => Some(V::Bool(false)),
                left => match (left, self.truth(r)?) {
                    (_, Some(false)) => Some(V::Bool(false)),
                    (Some(true), Some(true)) => Some(V::Bool(true)),
                    _ => None,
                },
            },
            Node::Or(l, r) => match self.truth(l)? {
                Some(true) => Some(V::Bool(true)),
                left => match (left, self.truth(r)?) {
                    (_, Some(true)) => Some(V::Bool(true)),
                    (Some(false), Some(false)) => Some(V::Bool(false)),
                    _ => None,
                },
            },
            Node::Not(x) => self.truth(x)?.map(|b| V::Bool(!b)),
            Node::Compare { op, domain, lhs, rhs } => {
                let (l, r) = (self.eval(lhs)?, self.eval(rhs)?);
                match (l, r) {
                    (Some(l), Some(r)) => compare(*domain, &l, &r).map(|o| V::Bool(holds(*op, o))),
                    _ => None,
                }
            }
            Node::Arith { op, lhs, rhs, result } => {
                let (l, r) = (self.eval(lhs)?, self.eval(rhs)?);
                match (l, r) {
                    (Some(l), Some(r)) => Some(arithmetic(*op, *result, l, r)?),
                    _ => None,
                }
            }
            Node::Neg(x) => match self.eval(x)? {
                Some(V::Int(i)) => Some(V::Int(i.checked_neg().ok_or_else(|| overflow(BinaryOp::Sub))?)),
                Some(V::Dec(d)) => Some(V::Dec(-d)),
                Some(V::Dur(d)) => Some(V::Dur(d.checked_neg().ok_or_else(|| overflow(BinaryOp::Sub))?)),
                _ => None,
            },
            Node::InList {
                negated,
                domain,
                element,
                items,
            } => self
                .eval(element)?
                .map(|e| V::Bool(member(*domain, &e, items.iter().map(borrow)) != *negated)),
            Node::InRange {
                negated,
                domain,
                element,
                low,
                high,
            } => self.eval(element)?.map(|e| {
                let above = compare(*domain, &e, &borrow(low)).is_some_and(|o| o != Ordering::Less);
                let below = compare(*domain, &e, &borrow(high)).is_some_and(|o| o != Ordering::Greater);
                V::Bool((above && below) != *negated)
            }),
            Node::InField {
                negated,
                domain,
                element,
                list,
            } => {
                let element = self.eval(element)?;
                match (element, self.record.cell(*list)) {
                    (Some(e), Cell::List(items)) => Some(V::Bool(
                        member(*domain, &e, items.iter().filter_map(borrow_cell)) != *negated,
                    )),
                    _ => None,
                }
            }
            Node::Call(function, args) => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    match self.eval(arg)? {
                        Some(v) => values.push(v),
                        None => return Ok(None),
                    }
                }
                call(function, values)
            }
        })
    }

    fn truth(&self, node: &'r Node) -> Result<Option<bool>, EvalError> {
        Ok(match self.eval(node)? {
            Some(V::Bool(b)) => Some(b),
            _ => None,
        })
    }

    /// The missing fields that make `node` unknown, in order of first
    /// appearance; only called when it is.
    fn missing_fields(&self, node: &'r Node, out: &mut Vec<SlotIndex>) {
        let push = |slot: SlotIndex, out: &mut Vec<SlotIndex>| {
            if !out.contains(&slot) {
                out.push(slot);
            }
        };
        let unknown = |n: &'r Node| matches!(self.eval(n), Ok(None));
        match node {
            Node::Field(slot) => {
                if !self.present(*slot) {
                    push(*slot, out);
                }
            }
            Node::And(l, r) | Node::Or(l, r) => {
                if unknown(l) {
                    self.missing_fields(l, out);
                }
                if unknown(r) {
                    self.missing_fields(r, out);
                }
            }
            Node::Not(x) | Node::Neg(x) => self.missing_fields(x, out),
            Node::Compare { lhs, rhs, .. } | Node::Arith { lhs, rhs, .. } => {
                for side in [lhs, rhs] {
                    if unknown(side) {
                        self.missing_fields(side, out);
                    }
                }
            }
            Node::InList { element, .. } | Node::InRange { element, .. } => self.missing_fields(element, out),
            Node::InField { element, list, .. } => {
                if unknown(element) {
                    self.missing_fields(element, out);
                }
                if !self.present(*list) {
                    push(*list, out);
                }
            }
            Node::Call(_, args) => {
                for arg in args {
                    if unknown(arg) {
                        self.missing_fields(arg, out);
                    }
                }
            }
            Node::Const(_) | Node::Required(_) | Node::Present(_) | Node::Missing(_) => {}
        }
    }
}

/// The outcome of one rule for one record.
pub(crate) fn outcome(rule: &CompiledRule, record: &Record<'_>) -> Outcome {
    if rule
        .reads
        .iter()
        .any(|s| matches!(record.cell(*s), Cell::Error(_)))
    {
        return Outcome::Error(None);
    }
    let evaluator = Evaluator { record };
    if let Some(when) = &rule.when {
        match evaluator.truth(when) {
            Ok(Some(true)) => {}
            Ok(_) => return Outcome::NotApplicable,
            Err(e) => return Outcome::Error(Some(e)),
        }
    }
    match evaluator.truth(&rule.check) {
        Ok(Some(true)) => Outcome::Pass,
        Ok(Some(false)) => Outcome::Violation {
            reason: Reason::Failed,
            missing: Vec::new(),
        },
        Ok(None) => {
            let mut missing = Vec::new();
            evaluator.missing_fields(&rule.check, &mut missing);
            Outcome::Violation {
                reason: Reason::Missing,
                missing,
            }
        }
        Err(e) => Outcome::Error(Some(e)),
    }
}

impl Program {
    /// Every rule's outcome for `record`, in rule order, into `out`.
    pub(crate) fn outcomes_into(&self, record: &Record<'_>, out: &mut Vec<Outcome>) {
        out.clear();
        out.extend(self.rules.iter().map(|rule| outcome(rule, record)));
    }
}

#[cfg(test)]
mod tests;
