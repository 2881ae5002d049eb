//! A plain tree-walking interpreter of the checked rules ([`TypedExpr`]),
//! written from the language contract and independent of the compiled
//! evaluator. It is slow (values are cloned, nothing is specialised) and
//! exists for two reasons: the sampler evaluates single conditions with it
//! while it solves, and the differential tests compare it with the compiled
//! evaluator on random rules and records.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::check::{FieldId, Function, Rule, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::eval::{Cell, EvalError, Outcome, Reason};
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{format_date, format_duration, format_time, Type, Value};

/// Where the interpreter reads field values: `None` is missing.
pub(crate) trait Env {
    fn get(&self, field: FieldId) -> Option<&Value>;
}

impl Env for [Option<Value>] {
    fn get(&self, field: FieldId) -> Option<&Value> {
        self.get(field.0 as usize).and_then(Option::as_ref)
    }
}

impl Env for Vec<Option<Value>> {
    fn get(&self, field: FieldId) -> Option<&Value> {
        self.as_slice().get(field.0 as usize).and_then(Option::as_ref)
    }
}

/// One field holds a value (or is missing); every other field is missing.
pub(crate) struct Single<'v>(pub FieldId, pub Option<&'v Value>);

impl Env for Single<'_> {
    fn get(&self, field: FieldId) -> Option<&Value> {
        if field == self.0 {
            self.1
        } else {
            None
        }
    }
}

type Eval = Result<Option<Value>, EvalError>;
type Truth = Result<Option<bool>, EvalError>;

/// Every rule's outcome for a record read by a program (its
/// [`crate::Record::cells`]), in rule order, computed by walking the checked
/// rules. Agrees with [`crate::Program::outcomes`]; the differential tests
/// hold it to that.
pub fn outcomes(rules: &RuleSet, cells: &[Cell<'_>]) -> Vec<Outcome> {
    let env: Vec<Option<Value>> = cells.iter().map(Cell::to_value).collect();
    let errors: Vec<bool> = cells.iter().map(|c| matches!(c, Cell::Error(_))).collect();
    rules
        .rules
        .iter()
        .map(|rule| {
            let bad = rule
                .reads
                .iter()
                .any(|f| errors.get(f.0 as usize).copied().unwrap_or(false));
            if bad {
                Outcome::Error(None)
            } else {
                outcome(rule, &env)
            }
        })
        .collect()
}

/// One rule's outcome in `env` (no data errors).
pub(crate) fn outcome<E: Env + ?Sized>(rule: &Rule, env: &E) -> Outcome {
    if let Some(when) = &rule.when {
        match truth(when, env) {
            Ok(Some(true)) => {}
            Ok(_) => return Outcome::NotApplicable,
            Err(e) => return Outcome::Error(Some(e)),
        }
    }
    match truth(&rule.check, env) {
        Ok(Some(true)) => Outcome::Pass,
        Ok(Some(false)) => Outcome::Violation {
            reason: Reason::Failed,
            missing: Vec::new(),
        },
        Ok(None) => {
            let mut missing = Vec::new();
            missing_fields(&rule.check, env, &mut missing);
            Outcome::Violation {
                reason: Reason::Missing,
                missing: missing.into_iter().map(|f| f.0 as usize).collect(),
            }
        }
        Err(e) => Outcome::Error(Some(e)),
    }
}

/// `required`: present, and not `false`, `""` or `[]`.
pub(crate) fn nonempty(value: Option<&Value>) -> bool {
    match value {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::List(items)) => !items.is_empty(),
        Some(_) => true,
    }
}

/// The three-valued truth of a condition.
pub(crate) fn truth<E: Env + ?Sized>(expr: &TypedExpr, env: &E) -> Truth {
    match &expr.kind {
        TypedKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => {
            let left = truth(lhs, env)?;
            if left == Some(false) {
                return Ok(Some(false));
            }
            Ok(match (left, truth(rhs, env)?) {
                (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            })
        }
        TypedKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => {
            let left = truth(lhs, env)?;
            if left == Some(true) {
                return Ok(Some(true));
            }
            Ok(match (left, truth(rhs, env)?) {
                (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            })
        }
        TypedKind::Not(x) => Ok(truth(x, env)?.map(|b| !b)),
        _ => Ok(match value(expr, env)? {
            Some(Value::Bool(b)) => Some(b),
            _ => None,
        }),
    }
}

fn is_unknown<E: Env + ?Sized>(expr: &TypedExpr, env: &E) -> bool {
    matches!(value(expr, env), Ok(None))
}

/// The missing fields behind an unknown expression, in order of first
/// appearance.
fn missing_fields<E: Env + ?Sized>(expr: &TypedExpr, env: &E, out: &mut Vec<FieldId>) {
    let push = |f: FieldId, out: &mut Vec<FieldId>| {
        if env.get(f).is_none() && !out.contains(&f) {
            out.push(f);
        }
    };
    match &expr.kind {
        TypedKind::Field(f) => push(*f, out),
        TypedKind::Literal(_) | TypedKind::Predicate(..) => {}
        TypedKind::Not(x) | TypedKind::Neg(x) => missing_fields(x, env, out),
        TypedKind::Binary { lhs, rhs, .. } => {
            for side in [lhs, rhs] {
                if is_unknown(side, env) {
                    missing_fields(side, env, out);
                }
            }
        }
        TypedKind::In { element, set, .. } => {
            if is_unknown(element, env) {
                missing_fields(element, env, out);
            }
            if let TypedSet::Field(list) = set {
                push(*list, out);
            }
        }
        TypedKind::Call(_, args) => {
            for arg in args {
                if is_unknown(arg, env) {
                    missing_fields(arg, env, out);
                }
            }
        }
    }
}

/// The value of an expression; `Ok(None)` is unknown.
pub(crate) fn value<E: Env + ?Sized>(expr: &TypedExpr, env: &E) -> Eval {
    Ok(match &expr.kind {
        TypedKind::Literal(v) => Some(v.clone()),
        TypedKind::Field(f) => env.get(*f).cloned(),
        TypedKind::Predicate(p, f) => {
            let v = env.get(*f);
            Some(Value::Bool(match p {
                Predicate::Required => nonempty(v),
                Predicate::Present => v.is_some(),
                Predicate::Missing => v.is_none(),
            }))
        }
        TypedKind::Binary {
            op: BinaryOp::And | BinaryOp::Or,
            ..
        }
        | TypedKind::Not(_) => truth(expr, env)?.map(Value::Bool),
        TypedKind::Neg(x) => match value(x, env)? {
            None => None,
            Some(Value::Int(i)) => Some(Value::Int(
                i.checked_neg().ok_or_else(|| overflow(BinaryOp::Sub))?,
            )),
            Some(Value::Decimal(d)) => Some(Value::Decimal(-d)),
            Some(Value::Duration(d)) => Some(Value::Duration(
                d.checked_neg().ok_or_else(|| overflow(BinaryOp::Sub))?,
            )),
            Some(_) => None,
        },
        TypedKind::Binary { op, lhs, rhs } if op.is_comparison() => {
            let l = value(lhs, env)?;
            let r = value(rhs, env)?;
            match (l, r) {
                (Some(l), Some(r)) => compare(&l, &r).map(|o| Value::Bool(holds(*op, o))),
                _ => None,
            }
        }
        TypedKind::Binary { op, lhs, rhs } => {
            let l = value(lhs, env)?;
            let r = value(rhs, env)?;
            match (l, r) {
                (Some(l), Some(r)) => Some(arithmetic(*op, expr.ty, l, r)?),
                _ => None,
            }
        }
        TypedKind::In {
            negated,
            element,
            set,
        } => {
            let e = value(element, env)?;
            match set {
                TypedSet::List(items) => {
                    e.map(|e| Value::Bool(items.iter().any(|i| equal(&e, i)) != *negated))
                }
                TypedSet::Range(low, high) => e.map(|e| {
                    let inside = compare(&e, low).is_some_and(|o| o != Ordering::Less)
                        && compare(&e, high).is_some_and(|o| o != Ordering::Greater);
                    Value::Bool(inside != *negated)
                }),
                TypedSet::Field(list) => match (e, env.get(*list)) {
                    (Some(e), Some(Value::List(items))) => {
                        Some(Value::Bool(items.iter().any(|i| equal(&e, i)) != *negated))
                    }
                    _ => None,
                },
            }
        }
        TypedKind::Call(function, args) => {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                match value(arg, env)? {
                    Some(v) => values.push(v),
                    None => return Ok(None),
                }
            }
            call(function, &values)
        }
    })
}

fn overflow(op: BinaryOp) -> EvalError {
    EvalError::Overflow {
        op: op.as_str().into(),
    }
}

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// Orders two values of comparable types (ints and decimals mix).
pub(crate) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(_) | Value::Decimal(_), Value::Int(_) | Value::Decimal(_)) => {
            Some(decimal(a)?.cmp(&decimal(b)?))
        }
        (Value::String(x), Value::String(y)) => Some(x.as_str().cmp(y.as_str())),
        (Value::Time(x), Value::Time(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Duration(x), Value::Duration(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    compare(a, b) == Some(Ordering::Equal)
}

fn holds(op: BinaryOp, o: Ordering) -> bool {
    match op {
        BinaryOp::Eq => o == Ordering::Equal,
        BinaryOp::Ne => o != Ordering::Equal,
        BinaryOp::Lt => o == Ordering::Less,
        BinaryOp::Le => o != Ordering::Greater,
        BinaryOp::Gt => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }
}

fn arithmetic(op: BinaryOp, result: Type, a: Value, b: Value) -> Result<Value, EvalError> {
    use BinaryOp::*;
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) if result == Type::INT => Value::Int(
            match op {
                Add => x.checked_add(y),
                Sub => x.checked_sub(y),
                _ => x.checked_mul(y),
            }
            .ok_or_else(|| overflow(op))?,
        ),
        (x @ (Value::Int(_) | Value::Decimal(_)), y @ (Value::Int(_) | Value::Decimal(_))) => {
            let (x, y) = (
                decimal(&x).ok_or_else(|| overflow(op))?,
                decimal(&y).ok_or_else(|| overflow(op))?,
            );
            if op == Div && y.is_zero() {
                return Err(EvalError::DivisionByZero);
            }
            Value::Decimal(
                match op {
                    Add => x.checked_add(y),
                    Sub => x.checked_sub(y),
                    Mul => x.checked_mul(y),
                    _ => x.checked_div(y),
                }
                .ok_or_else(|| overflow(op))?,
            )
        }
        (Value::Time(x), Value::Time(y)) => Value::Duration(x.duration_since(y)),
        (Value::Date(x), Value::Date(y)) => Value::Duration(x.duration_since(y)),
        (Value::Time(t), Value::Duration(d)) | (Value::Duration(d), Value::Time(t)) => {
            let moved = if op == Sub {
                t.checked_sub(d)
            } else {
                t.checked_add(d)
            };
            Value::Time(moved.map_err(|_| EvalError::TimeOutOfDay {
                time: format_time(t),
                op: op.as_str().into(),
                duration: format_duration(d),
            })?)
        }
        (Value::Date(t), Value::Duration(d)) | (Value::Duration(d), Value::Date(t)) => {
            if d.as_secs() % 86_400 != 0 || d.subsec_nanos() != 0 {
                return Err(EvalError::NotWholeDays {
                    duration: format_duration(d),
                });
            }
            let moved = if op == Sub {
                t.checked_sub(d)
            } else {
                t.checked_add(d)
            };
            Value::Date(moved.map_err(|_| EvalError::DateOutOfRange {
                date: format_date(t),
                op: op.as_str().into(),
                duration: format_duration(d),
            })?)
        }
        (Value::Duration(d), Value::Int(factor)) | (Value::Int(factor), Value::Duration(d)) if op == Mul => {
            Value::Duration(crate::semantics::value::duration_times(d, factor).ok_or_else(|| overflow(op))?)
        }
        (Value::Duration(x), Value::Duration(y)) => Value::Duration(
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

fn call(function: &Function, args: &[Value]) -> Option<Value> {
    let string = |i: usize| match args.get(i) {
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    Some(match (function, args.first()?) {
        (Function::Weekday, Value::Date(d)) => Value::Int(d.weekday().to_monday_one_offset().into()),
        (Function::Day, Value::Date(d)) => Value::Int(d.day().into()),
        (Function::Month, Value::Date(d)) => Value::Int(d.month().into()),
        (Function::Year, Value::Date(d)) => Value::Int(d.year().into()),
        (Function::Hour, Value::Time(t)) => Value::Int(t.hour().into()),
        (Function::Minute, Value::Time(t)) => Value::Int(t.minute().into()),
        (Function::Len, Value::String(s)) => Value::Int(s.chars().count() as i64),
        (Function::Len, Value::List(items)) => Value::Int(items.len() as i64),
        (Function::Lower, Value::String(s)) => Value::String(s.to_lowercase()),
        (Function::Upper, Value::String(s)) => Value::String(s.to_uppercase()),
        (Function::Matches(regex), Value::String(s)) => Value::Bool(regex.is_match(s)),
        (Function::Contains, Value::String(s)) => Value::Bool(s.contains(string(1)?)),
        (Function::StartsWith, Value::String(s)) => Value::Bool(s.starts_with(string(1)?)),
        _ => return None,
    })
}
