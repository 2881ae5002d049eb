//! A plain tree-walking interpreter of the checked rules ([`TypedExpr`]),
//! independent of the compiled evaluator's walk: what each operation means
//! is `semantics`', as for the evaluator. It is slow (values are cloned,
//! nothing is specialised). Only `explain` still walks with it, until it
//! traces the evaluator's own walk (issue 14, S11); then it goes. The
//! sampler tests conditions with the evaluator.

use crate::check::{FieldId, Rule, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::eval::{Outcome, Reason};
use crate::semantics::arith::{self, EvalError};
use crate::semantics::cell::Cell;
use crate::semantics::compare;
use crate::semantics::functions;
use crate::semantics::logic::{self, Kleene};
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::Value;

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

type Eval = Result<Option<Value>, EvalError>;
type Truth = Result<Option<bool>, EvalError>;

/// Every rule's outcome for a record read by a program (its
/// [`crate::Record::cells`]), in rule order, computed by walking the checked
/// rules. Meant to agree with [`crate::Program::outcomes`]; only explain's
/// tests still exercise it, as it is on its way out.
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

/// The cell `value` is, missing for `None`.
fn cell(value: Option<&Value>) -> Cell<'_> {
    value.map_or(Cell::Missing, Cell::of_value)
}

/// The three-valued truth of a condition.
pub(crate) fn truth<E: Env + ?Sized>(expr: &TypedExpr, env: &E) -> Truth {
    match &expr.kind {
        TypedKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => {
            let left = Kleene::from(truth(lhs, env)?);
            if left.settles_and() {
                return Ok(left.into());
            }
            Ok(left.and(Kleene::from(truth(rhs, env)?)).into())
        }
        TypedKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => {
            let left = Kleene::from(truth(lhs, env)?);
            if left.settles_or() {
                return Ok(left.into());
            }
            Ok(left.or(Kleene::from(truth(rhs, env)?)).into())
        }
        TypedKind::Not(x) => Ok(Kleene::from(truth(x, env)?).not().into()),
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
            let v = cell(env.get(*f));
            Some(Value::Bool(match p {
                Predicate::Required => logic::required(&v),
                Predicate::Present => logic::present(&v),
                Predicate::Missing => !logic::present(&v),
            }))
        }
        TypedKind::Binary {
            op: BinaryOp::And | BinaryOp::Or,
            ..
        }
        | TypedKind::Not(_) => truth(expr, env)?.map(Value::Bool),
        TypedKind::Neg(x) => match arith::negate(&cell(value(x, env)?.as_ref())) {
            Some(negated) => negated?.to_value(),
            None => None,
        },
        TypedKind::Binary { op, lhs, rhs } if op.is_comparison() => {
            let l = value(lhs, env)?;
            let r = value(rhs, env)?;
            match (l, r) {
                (Some(l), Some(r)) => compare(&l, &r).map(|o| Value::Bool(compare::holds(*op, o))),
                _ => None,
            }
        }
        TypedKind::Binary { op, lhs, rhs } => {
            let l = value(lhs, env)?;
            let r = value(rhs, env)?;
            match (l, r) {
                (Some(l), Some(r)) => {
                    arith::apply(*op, expr.ty, &Cell::of_value(&l), &Cell::of_value(&r))?.to_value()
                }
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
                    let inside =
                        compare::in_range(&Cell::of_value(&e), &Cell::of_value(low), &Cell::of_value(high));
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
            let args: Vec<Cell<'_>> = values.iter().map(Cell::of_value).collect();
            functions::apply(function, &args)?.and_then(|c| c.to_value())
        }
    })
}

/// Orders two values of comparable types (ints and decimals mix).
pub(crate) fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    compare::compare(&Cell::of_value(a), &Cell::of_value(b))
}

fn equal(a: &Value, b: &Value) -> bool {
    compare(a, b) == Some(std::cmp::Ordering::Equal)
}
