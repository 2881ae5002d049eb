//! From rule expressions to [`Cond`]s: the checked, typed expressions of
//! the effective rules, and the syntax trees of the rules an `override`
//! replaced (which were never type-checked on their own; their fields take
//! the types of the rule set).
//!
//! A comparison or `in` of a variable with literals becomes exact; a
//! variable is a field, or any other expression, known by a canonical key
//! so that the same expression twice is the same variable.

use std::ops::Bound::{Excluded, Included, Unbounded};

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::intervals::{Ranges, Values};
use super::logic::{Cond, Var};
use crate::check::display::{self, Grouping};
use crate::check::{RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::semantics::functions::{self, Preimage, Shape, Signature};
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{Scalar, Type, Value};
use crate::syntax::{Expr, ExprKind, InSet};

/// Builds conditions over one shared table of variables.
pub(crate) struct Builder<'a> {
    rules: &'a RuleSet,
    pub vars: Vec<Var>,
    /// Whether every condition built so far is exact: no opaque part, and
    /// only variables whose every value can occur.
    pub exact: bool,
}

/// A variable as an operand: its key, type, the fields it reads, and
/// whether it is a field or a function of one field.
struct Operand {
    key: String,
    ty: Option<Type>,
    base: Vec<String>,
    universe: Option<Values>,
    exact: bool,
    /// For a monotone function of a field: the operand is that field, and
    /// what is compared is the function's result.
    through: Option<Through>,
}

/// A monotone function of a field, which a comparison with literals
/// holds the field to exactly: the results compared, pulled back through
/// the function's preimage.
struct Through {
    result: Type,
    /// The results the function gives.
    results: Values,
    preimage: Preimage,
    /// The least and greatest `result − field`, when they are of a type.
    offset: Option<(i64, i64)>,
}

impl Operand {
    /// The values the operand's comparisons are about.
    fn compared_universe(&self) -> Option<Values> {
        match &self.through {
            Some(through) => Some(through.results.clone()),
            None => self.ty.map(universe_of),
        }
    }
}

impl<'a> Builder<'a> {
    pub fn new(rules: &'a RuleSet) -> Builder<'a> {
        Builder {
            rules,
            vars: Vec::new(),
            exact: true,
        }
    }

    /// Whether the variables used so far can take their values
    /// independently: no field feeds two of them.
    pub fn independent(&self) -> bool {
        let mut seen: Vec<&str> = Vec::new();
        for var in &self.vars {
            for field in &var.base {
                if seen.contains(&field.as_str()) {
                    return false;
                }
                seen.push(field);
            }
        }
        true
    }

    fn opaque(&mut self) -> Cond {
        self.exact = false;
        Cond::Opaque
    }

    fn var(&mut self, operand: Operand) -> usize {
        if let Some(i) = self.vars.iter().position(|v| v.key == operand.key) {
            return i;
        }
        let universe = operand
            .universe
            .unwrap_or_else(|| operand.ty.map_or(Values::Any, universe_of));
        self.exact &= operand.exact && universe != Values::Any;
        self.vars.push(Var {
            key: operand.key,
            ty: operand.ty,
            universe,
            base: operand.base,
        });
        self.vars.len() - 1
    }

    /// `operand op value` (or `value op operand`, flipped before).
    fn compare(&mut self, operand: Option<Operand>, op: BinaryOp, value: &Value) -> Cond {
        let Some(mut operand) = operand else {
            return self.opaque();
        };
        let through = operand.through.take();
        let var = self.var(operand);
        let universe = self.vars[var].universe.clone();
        let set = match &through {
            Some(through) => comparison_set(&through.results, op, value)
                .and_then(|results| pulled_back(through, &results, self.vars[var].ty)),
            None => comparison_set(&universe, op, value),
        };
        match set {
            Some(set) => Cond::Holds {
                var,
                set: set.intersect(&universe),
            },
            None => self.opaque(),
        }
    }

    /// `left op right` of two operands: known only for a monotone
    /// function of a field against the field itself, when the function's
    /// offset decides it for every value (`month_start(d) > d`).
    fn related(&mut self, left: Option<Operand>, op: BinaryOp, right: Option<Operand>) -> Cond {
        let (Some(left), Some(right)) = (left, right) else {
            return self.opaque();
        };
        let (mut call, field, op) = match (&left.through, &right.through) {
            (Some(_), None) => (left, right, op),
            (None, Some(_)) => (right, left, op.flipped()),
            _ => return self.opaque(),
        };
        let offset = call.through.take().and_then(|t| t.offset);
        let (Some((lo, hi)), true) = (offset, call.key == field.key) else {
            return self.opaque();
        };
        // `f(x) op x` is `f(x) − x op 0`, and `f(x) − x` takes every value
        // of the offset.
        let offsets = Values::Int(Ranges::between(Included(lo), Included(hi)));
        let Some(holding) = comparison_set(&offsets, op, &Value::Int(0)) else {
            return self.opaque();
        };
        let var = self.var(field);
        let universe = self.vars[var].universe.clone();
        if holding.is_empty() {
            Cond::Holds {
                var,
                set: universe.none_like(),
            }
        } else if holding == offsets {
            Cond::Holds { var, set: universe }
        } else {
            self.opaque()
        }
    }

    /// `operand in [values]` or `operand in low..high`.
    fn member(&mut self, operand: Option<Operand>, negated: bool, set: Option<Values>) -> Cond {
        let (Some(mut operand), Some(set)) = (operand, set) else {
            return self.opaque();
        };
        let through = operand.through.take();
        let var = self.var(operand);
        let set = match &through {
            Some(through) => match pulled_back(through, &set, self.vars[var].ty) {
                Some(set) => set,
                None => return self.opaque(),
            },
            None => set,
        };
        let set = set.intersect(&self.vars[var].universe);
        let holds = Cond::Holds { var, set };
        if negated {
            Cond::Not(Box::new(holds))
        } else {
            holds
        }
    }

    fn predicate(&mut self, operand: Option<Operand>, predicate: Predicate) -> Cond {
        let Some(operand) = operand else {
            return self.opaque();
        };
        let var = self.var(operand);
        if predicate == Predicate::Required && !matches!(self.vars[var].ty, Some(Type::Scalar(_))) {
            self.exact = false;
        }
        Cond::Pred { var, predicate }
    }

    /// A bool-valued operand standing as a condition: `when is_head`.
    fn boolean(&mut self, operand: Option<Operand>) -> Cond {
        self.compare(operand, BinaryOp::Eq, &Value::Bool(true))
    }

    // --- Checked expressions -------------------------------------------------

    /// The condition a checked `when` or `check` states.
    pub fn typed(&mut self, expr: &TypedExpr) -> Cond {
        match &expr.kind {
            TypedKind::Literal(Value::Bool(b)) => Cond::Const(*b),
            TypedKind::Not(inner) => Cond::Not(Box::new(self.typed(inner))),
            TypedKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And => Cond::And(Box::new(self.typed(lhs)), Box::new(self.typed(rhs))),
                BinaryOp::Or => Cond::Or(Box::new(self.typed(lhs)), Box::new(self.typed(rhs))),
                op if op.is_comparison() => match (&lhs.kind, &rhs.kind) {
                    (_, TypedKind::Literal(v)) => {
                        let operand = self.typed_operand(lhs);
                        self.compare(operand, *op, v)
                    }
                    (TypedKind::Literal(v), _) => {
                        let operand = self.typed_operand(rhs);
                        self.compare(operand, op.flipped(), v)
                    }
                    _ => {
                        let (left, right) = (self.typed_operand(lhs), self.typed_operand(rhs));
                        self.related(left, *op, right)
                    }
                },
                _ => self.opaque(),
            },
            TypedKind::In {
                negated,
                element,
                set,
            } => {
                let operand = self.typed_operand(element);
                let values = match set {
                    TypedSet::List(items) => list_values(operand.as_ref(), items.iter()),
                    TypedSet::Range(low, high) => range_values(operand.as_ref(), low, high),
                    TypedSet::Field(_) => None,
                };
                self.member(operand, *negated, values)
            }
            TypedKind::Predicate(predicate, id) => {
                let field = self.rules.field(*id);
                let operand = field_operand(&field.name, field.ty);
                self.predicate(Some(operand), *predicate)
            }
            TypedKind::Field(_) | TypedKind::Call(..) if expr.ty == Type::BOOL => {
                let operand = self.typed_operand(expr);
                self.boolean(operand)
            }
            _ => self.opaque(),
        }
    }

    fn typed_operand(&self, expr: &TypedExpr) -> Option<Operand> {
        let key = typed_key(self.rules, expr)?;
        Some(match &expr.kind {
            TypedKind::Field(id) => field_operand(&key, self.rules.field(*id).ty),
            TypedKind::Call(function, args) => {
                let arg = match args.as_slice() {
                    [TypedExpr {
                        kind: TypedKind::Field(id),
                        ..
                    }] => Some(self.rules.field(*id)).map(|f| (f.name.clone(), f.ty)),
                    _ => None,
                };
                call_operand(
                    key,
                    function.builtin.signature(),
                    arg,
                    typed_reads(self.rules, expr),
                )
            }
            _ => Operand {
                key,
                ty: Some(expr.ty),
                base: typed_reads(self.rules, expr),
                universe: None,
                exact: false,
                through: None,
            },
        })
    }

    // --- Syntax trees (the rules an override replaced) -------------------------

    /// The condition a `when` or `check` states, as written.
    pub fn syntax(&mut self, expr: &Expr) -> Cond {
        match &expr.kind {
            ExprKind::Paren(inner) => self.syntax(inner),
            ExprKind::Literal(lit) => match lit.value {
                Value::Bool(b) => Cond::Const(b),
                _ => self.opaque(),
            },
            ExprKind::Not(inner) => Cond::Not(Box::new(self.syntax(inner))),
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And => Cond::And(Box::new(self.syntax(lhs)), Box::new(self.syntax(rhs))),
                BinaryOp::Or => Cond::Or(Box::new(self.syntax(lhs)), Box::new(self.syntax(rhs))),
                op if op.is_comparison() => match (&unparen(lhs).kind, &unparen(rhs).kind) {
                    (_, ExprKind::Literal(lit)) => {
                        let operand = self.syntax_operand(lhs);
                        self.compare(operand, *op, &lit.value)
                    }
                    (ExprKind::Literal(lit), _) => {
                        let operand = self.syntax_operand(rhs);
                        self.compare(operand, op.flipped(), &lit.value)
                    }
                    _ => {
                        let (left, right) = (self.syntax_operand(lhs), self.syntax_operand(rhs));
                        self.related(left, *op, right)
                    }
                },
                _ => self.opaque(),
            },
            ExprKind::In {
                negated,
                element,
                set,
            } => {
                let operand = self.syntax_operand(element);
                let values = match set {
                    InSet::List { items, .. } => {
                        let items: Vec<Value> = items.iter().map(|l| l.value.clone()).collect();
                        list_values(operand.as_ref(), items.iter())
                    }
                    InSet::Range { low, high } => range_values(operand.as_ref(), &low.value, &high.value),
                    InSet::Field(_) => None,
                };
                self.member(operand, *negated, values)
            }
            ExprKind::Predicate { predicate, operand } => {
                let operand = match &unparen(operand).kind {
                    ExprKind::Field(path) => {
                        let name = path.dotted();
                        let ty = self
                            .rules
                            .fields
                            .iter()
                            .find(|f| f.name == name)
                            .and_then(|f| f.ty);
                        Some(field_operand(&name, ty))
                    }
                    _ => None,
                };
                self.predicate(operand, *predicate)
            }
            ExprKind::Field(_) | ExprKind::Call { .. } => {
                let operand = self.syntax_operand(expr);
                match operand {
                    Some(o) if o.ty == Some(Type::BOOL) => self.boolean(Some(o)),
                    _ => self.opaque(),
                }
            }
            _ => self.opaque(),
        }
    }

    /// A field of the rule set, or a function of one field; anything else
    /// (whose type the syntax alone does not give) is `None`.
    fn syntax_operand(&self, expr: &Expr) -> Option<Operand> {
        match &unparen(expr).kind {
            ExprKind::Field(path) => {
                let name = path.dotted();
                let field = self.rules.fields.iter().find(|f| f.name == name)?;
                field.ty.map(|ty| field_operand(&name, Some(ty)))
            }
            ExprKind::Call { name, args } => {
                let signature = functions::by_name(&name.name)?;
                let key = syntax_key(expr)?;
                let arg = match args.as_slice() {
                    [arg] => match &unparen(arg).kind {
                        ExprKind::Field(path) => {
                            let name = path.dotted();
                            let ty = self
                                .rules
                                .fields
                                .iter()
                                .find(|f| f.name == name)
                                .and_then(|f| f.ty);
                            Some((name, ty))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                let mut base = Vec::new();
                syntax_reads(expr, &mut base);
                Some(call_operand(key, signature, arg, base))
            }
            _ => None,
        }
    }
}

fn unparen(expr: &Expr) -> &Expr {
    match &expr.kind {
        ExprKind::Paren(inner) => unparen(inner),
        _ => expr,
    }
}

fn field_operand(name: &str, ty: Option<Type>) -> Operand {
    Operand {
        key: name.to_string(),
        ty,
        base: vec![name.to_string()],
        universe: None,
        exact: !matches!(ty, Some(Type::List(_))),
        through: None,
    }
}

/// A call's variable: exact when the function's shape gives the range it
/// takes every value of, and its argument is a field. A monotone function
/// of a field of known type is that field, seen through the function.
fn call_operand(
    key: String,
    signature: &Signature,
    arg: Option<(String, Option<Type>)>,
    base: Vec<String>,
) -> Operand {
    let range = |(lo, hi): (i64, i64)| Values::Int(Ranges::between(Included(lo), Included(hi)));
    if let (
        Shape::Monotone {
            image,
            preimage,
            offset,
        },
        Some((field, Some(ty))),
    ) = (signature.shape, &arg)
    {
        let through = Through {
            result: signature.result,
            results: image.map_or_else(|| universe_of(signature.result), range),
            preimage,
            offset,
        };
        return Operand {
            through: Some(through),
            ..field_operand(field, Some(*ty))
        };
    }
    let universe = match signature.shape {
        Shape::Part { image, .. }
        | Shape::Monotone {
            image: Some(image), ..
        } => Some(range(image)),
        Shape::Image(lo, hi) => Some(range((lo, hi))),
        Shape::Monotone { image: None, .. } | Shape::Opaque | Shape::Holds(_) => None,
    };
    Operand {
        key,
        ty: Some(signature.result),
        exact: universe.is_some() && arg.is_some(),
        base,
        universe,
        through: None,
    }
}

/// The values of a field (of type `ty`) whose results through `through`
/// are in `results`.
fn pulled_back(through: &Through, results: &Values, ty: Option<Type>) -> Option<Values> {
    let Values::Int(results) = results.intersect(&through.results) else {
        return None;
    };
    let field_universe = universe_of(ty?);
    let mut out = field_universe.none_like();
    for part in results.parts() {
        let (Included(lo), Included(hi)) = (&part.lo, &part.hi) else {
            return None;
        };
        let (lo, hi) = (
            int_value(Some(through.result), *lo)?,
            int_value(Some(through.result), *hi)?,
        );
        if let Some((first, last)) = (through.preimage)(&lo, &hi) {
            let above = comparison_set(&field_universe, BinaryOp::Ge, &first)?;
            let below = comparison_set(&field_universe, BinaryOp::Le, &last)?;
            out = out.union(&above.intersect(&below));
        }
    }
    Some(out)
}

/// The values a type holds, in the lint's domain.
pub(crate) fn universe_of(ty: Type) -> Values {
    let between = |lo: i64, hi: i64| Values::Int(Ranges::between(Included(lo), Included(hi)));
    match ty {
        Type::BOOL => between(0, 1),
        Type::INT | Type::DURATION => Values::Int(Ranges::all()),
        Type::DECIMAL => Values::Dec(Ranges::all()),
        Type::STRING => Values::Str(Ranges::all()),
        Type::TIME => between(0, 86_399),
        Type::DATE => between(days(Date::MIN), days(Date::MAX)),
        Type::List(_) => Values::Any,
    }
}

/// The literal in the domain of a variable of `universe`'s kind.
enum Literal {
    Int(i64),
    Dec(Decimal),
    Str(String),
}

fn literal_in(universe: &Values, value: &Value) -> Option<Literal> {
    Some(match (universe, value) {
        (Values::Int(_), Value::Int(i)) => Literal::Int(*i),
        (Values::Int(_), Value::Bool(b)) => Literal::Int(i64::from(*b)),
        (Values::Int(_), Value::Time(t)) => Literal::Int(seconds(*t)),
        (Values::Int(_), Value::Date(d)) => Literal::Int(days(*d)),
        (Values::Int(_), Value::Duration(d)) if d.subsec_nanos() == 0 => Literal::Int(d.as_secs()),
        // An int compared with a decimal: kept as a decimal, rounded below.
        (Values::Int(_), Value::Decimal(d)) => Literal::Dec(*d),
        (Values::Dec(_), Value::Int(i)) => Literal::Dec(Decimal::from(*i)),
        (Values::Dec(_), Value::Decimal(d)) => Literal::Dec(*d),
        (Values::Str(_), Value::String(s)) => Literal::Str(s.clone()),
        _ => return None,
    })
}

/// The values of a variable for which `variable op value` is true.
fn comparison_set(universe: &Values, op: BinaryOp, value: &Value) -> Option<Values> {
    fn set<T: super::intervals::Point>(op: BinaryOp, p: T) -> Option<Ranges<T>> {
        Some(match op {
            BinaryOp::Eq => Ranges::point(p),
            BinaryOp::Ne => Ranges::point(p).complement(),
            BinaryOp::Lt => Ranges::between(Unbounded, Excluded(p)),
            BinaryOp::Le => Ranges::between(Unbounded, Included(p)),
            BinaryOp::Gt => Ranges::between(Excluded(p), Unbounded),
            BinaryOp::Ge => Ranges::between(Included(p), Unbounded),
            _ => return None,
        })
    }
    let values = match (universe, literal_in(universe, value)?) {
        (Values::Int(_), Literal::Int(i)) => Values::Int(set(op, i)?),
        (Values::Int(_), Literal::Dec(d)) => Values::Int(int_against_decimal(op, d)?),
        (Values::Dec(_), Literal::Dec(d)) => Values::Dec(set(op, d)?),
        (Values::Str(_), Literal::Str(s)) => Values::Str(set(op, s)?),
        _ => return None,
    };
    Some(values.intersect(universe))
}

/// `x op 7.5` for an int `x`: `x <= 7`, `x >= 8`, never `== 7.5`.
fn int_against_decimal(op: BinaryOp, d: Decimal) -> Option<Ranges<i64>> {
    let whole = |d: Decimal| i64::try_from(d).ok();
    if d.fract().is_zero() {
        let i = whole(d)?;
        return comparison_set(&Values::Int(Ranges::all()), op, &Value::Int(i)).and_then(|v| match v {
            Values::Int(r) => Some(r),
            _ => None,
        });
    }
    Some(match op {
        BinaryOp::Eq => Ranges::empty(),
        BinaryOp::Ne => Ranges::all(),
        BinaryOp::Lt | BinaryOp::Le => Ranges::between(Unbounded, Included(whole(d.floor())?)),
        BinaryOp::Gt | BinaryOp::Ge => Ranges::between(Included(whole(d.ceil())?), Unbounded),
        _ => return None,
    })
}

fn list_values<'v>(operand: Option<&Operand>, items: impl Iterator<Item = &'v Value>) -> Option<Values> {
    let universe = operand?.compared_universe()?;
    let mut out = universe.none_like();
    for item in items {
        out = out.union(&comparison_set(&universe, BinaryOp::Eq, item)?);
    }
    Some(out)
}

fn range_values(operand: Option<&Operand>, low: &Value, high: &Value) -> Option<Values> {
    let universe = operand?.compared_universe()?;
    let above = comparison_set(&universe, BinaryOp::Ge, low)?;
    let below = comparison_set(&universe, BinaryOp::Le, high)?;
    Some(above.intersect(&below))
}

/// Seconds since midnight.
pub(crate) fn seconds(t: Time) -> i64 {
    i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second())
}

/// The day the lint counts dates from.
const EPOCH: Date = Date::constant(1970, 1, 1);

/// Days since 1970-01-01.
pub(crate) fn days(d: Date) -> i64 {
    d.duration_since(EPOCH).as_secs() / 86_400
}

/// The date `days` after 1970-01-01.
pub(crate) fn date_of(days: i64) -> Option<Date> {
    EPOCH
        .checked_add(SignedDuration::from_secs(days.checked_mul(86_400)?))
        .ok()
}

/// A value of a variable of type `ty`, from its point in the domain.
pub(crate) fn int_value(ty: Option<Type>, point: i64) -> Option<Value> {
    Some(match ty? {
        Type::BOOL => Value::Bool(point != 0),
        Type::TIME => {
            let t = Time::new(
                i8::try_from(point / 3600).ok()?,
                i8::try_from(point / 60 % 60).ok()?,
                i8::try_from(point % 60).ok()?,
                0,
            );
            Value::Time(t.ok()?)
        }
        Type::DATE => Value::Date(date_of(point)?),
        Type::DURATION => Value::Duration(SignedDuration::from_secs(point)),
        Type::Scalar(Scalar::Int) => Value::Int(point),
        _ => return None,
    })
}

// --- Keys -----------------------------------------------------------------

fn literal_key(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// The canonical text of a checked operand; `None` for a condition.
fn typed_key(rules: &RuleSet, expr: &TypedExpr) -> Option<String> {
    fn operand(expr: &TypedExpr) -> bool {
        match &expr.kind {
            TypedKind::Literal(_) | TypedKind::Field(_) => true,
            TypedKind::Call(_, args) => args.iter().all(operand),
            TypedKind::Neg(inner) => operand(inner),
            TypedKind::Binary { op, lhs, rhs } => {
                !op.is_comparison()
                    && !matches!(op, BinaryOp::And | BinaryOp::Or)
                    && operand(lhs)
                    && operand(rhs)
            }
            _ => false,
        }
    }
    operand(expr).then(|| display::text(rules, expr, Grouping::EveryArithmetic))
}

/// The canonical text of an operand as written: the same as [`typed_key`]
/// gives for the same expression once checked.
fn syntax_key(expr: &Expr) -> Option<String> {
    Some(match &expr.kind {
        ExprKind::Paren(inner) => syntax_key(inner)?,
        ExprKind::Literal(lit) => literal_key(&lit.value),
        ExprKind::Field(path) => path.dotted(),
        ExprKind::Call { name, args } => {
            let parts = args.iter().map(syntax_key).collect::<Option<Vec<_>>>()?;
            format!("{}({})", name.name, parts.join(", "))
        }
        ExprKind::Neg(inner) => format!("-{}", syntax_key(inner)?),
        ExprKind::Binary { op, lhs, rhs }
            if !op.is_comparison() && !matches!(op, BinaryOp::And | BinaryOp::Or) =>
        {
            format!("({} {} {})", syntax_key(lhs)?, op.as_str(), syntax_key(rhs)?)
        }
        _ => return None,
    })
}

fn typed_reads(rules: &RuleSet, expr: &TypedExpr) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            TypedKind::Field(id) | TypedKind::Predicate(_, id) => out.push(rules.field(*id).name.clone()),
            TypedKind::Call(_, args) => stack.extend(args),
            TypedKind::Neg(x) | TypedKind::Not(x) => stack.push(x),
            TypedKind::Binary { lhs, rhs, .. } => {
                stack.push(lhs);
                stack.push(rhs);
            }
            TypedKind::In { element, .. } => stack.push(element),
            TypedKind::Literal(_) => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

fn syntax_reads(expr: &Expr, out: &mut Vec<String>) {
    match &expr.kind {
        ExprKind::Field(path) => {
            if !out.contains(&path.dotted()) {
                out.push(path.dotted());
            }
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| syntax_reads(a, out)),
        ExprKind::Paren(x) | ExprKind::Neg(x) | ExprKind::Not(x) => syntax_reads(x, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            syntax_reads(lhs, out);
            syntax_reads(rhs, out);
        }
        ExprKind::In { element, .. } => syntax_reads(element, out),
        ExprKind::Predicate { operand, .. } => syntax_reads(operand, out),
        ExprKind::Literal(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_both_ways() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(days(d(1970, 1, 1)), 0);
        assert_eq!(days(d(2022, 3, 1)) - days(d(2022, 2, 28)), 1);
        assert_eq!(days(d(2024, 3, 1)) - days(d(2024, 2, 28)), 2);
        for date in [
            d(2022, 2, 9),
            Date::MIN,
            Date::MAX,
            d(2000, 2, 29),
            d(1969, 12, 31),
        ] {
            assert_eq!(date_of(days(date)), Some(date));
        }
    }

    #[test]
    fn an_int_against_a_fraction_rounds_the_right_way() {
        let below = int_against_decimal(BinaryOp::Lt, Decimal::new(75, 1)).unwrap();
        assert_eq!(below, Ranges::between(Unbounded, Included(7)));
        let above = int_against_decimal(BinaryOp::Gt, Decimal::new(75, 1)).unwrap();
        assert_eq!(above, Ranges::between(Included(8), Unbounded));
        assert!(int_against_decimal(BinaryOp::Eq, Decimal::new(75, 1))
            .unwrap()
            .is_empty());
        let whole = int_against_decimal(BinaryOp::Lt, Decimal::new(80, 1)).unwrap();
        assert_eq!(whole, Ranges::between(Unbounded, Included(7)));
    }

    #[test]
    fn times_compare_in_seconds_of_the_day() {
        let universe = universe_of(Type::TIME);
        let late =
            comparison_set(&universe, BinaryOp::Gt, &Value::Time(Time::constant(7, 30, 0, 0))).unwrap();
        assert_eq!(
            late,
            Values::Int(Ranges::between(Included(27_001), Included(86_399)))
        );
        assert_eq!(
            int_value(Some(Type::TIME), 27_900),
            Some(Value::Time(Time::constant(7, 45, 0, 0)))
        );
    }
}
