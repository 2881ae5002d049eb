//! Names and types: every field gets an id and (where it is compared,
//! computed or passed to a function) a type; every expression is checked.
//!
//! Inference runs the same walk repeatedly in a quiet mode that only fills
//! in field types, until nothing changes; a last, loud walk builds the typed
//! expressions and reports every problem. One walk means the rules for
//! what a use implies are written once.

mod group;

use std::borrow::Cow;

use indexmap::IndexMap;

use super::resolve::Effective;
use super::{Field, FieldId, Message, MessagePart, Override, Rule, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::diagnostic::Span;
use crate::diagnostic::{closest, ErrorKind, Problem};
use crate::semantics::arith::{operand_type, result_type};
use crate::semantics::compare::common_type;
use crate::semantics::functions::{self, Function, Params};
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{Scalar, Type, Value};
use crate::syntax::{self, Expr, ExprKind, FieldPath, InSet, Literal, RuleDef};

/// How many quiet inference walks are made at most; each one can only add
/// information, so few are ever needed.
const MAX_INFERENCE_WALKS: usize = 16;

struct FieldState {
    path: Vec<String>,
    ty: Option<Type>,
    declared: bool,
    /// Where the type was fixed: the declaration or the first use that gave it.
    fixed_at: Option<Span>,
    /// The time meant by a literal such as `7.30` that made the field a
    /// decimal where it was fixed, and the literal's place: when the field
    /// is later used as a time, that literal was probably meant as one.
    fixed_by_time_like: Option<(String, Span)>,
    span: Span,
}

struct TypeChecker {
    /// The largest compiled size of a `matches` pattern.
    max_regex_bytes: usize,
    names: IndexMap<String, FieldId>,
    fields: Vec<FieldState>,
    /// Quiet walks infer; the loud walk reports.
    loud: bool,
    /// Typing with the fields as they are (no type given, widened or
    /// inferred), after the loud walk: for the rules overrides replaced.
    frozen: bool,
    /// Whether something would have been reported, or a field added or
    /// changed, while `frozen`.
    frozen_failed: bool,
    changed: bool,
    /// Whether the expression checked next is an operand of `-` or of
    /// arithmetic, where a field is not itself a side (§4): there an
    /// expected type may give an untyped field a type, after the sides
    /// have given theirs, and never widens a typed one.
    next_is_operand: bool,
    /// Whether operands may give untyped fields a type yet: not in the
    /// first quiet walks, so that what a field is compared with decides
    /// its type whatever the order of the uses.
    operand_inference: bool,
    /// An operand would have given a field a type in a walk that did not
    /// let it.
    operand_inference_deferred: bool,
    problems: Vec<Problem>,
    /// While a group rule's `check` and `message` are typed.
    group: Option<group::GroupScope>,
    /// Every rule of the effective set, with whether it is a group rule.
    rule_kinds: IndexMap<String, bool>,
    /// Every `disable` applied, with where it names the rule.
    disabled: Vec<(String, Span)>,
}

pub(crate) fn check_types(effective: Effective, max_regex_bytes: usize) -> Result<RuleSet, Vec<Problem>> {
    let mut checker = TypeChecker {
        max_regex_bytes,
        names: IndexMap::new(),
        fields: Vec::new(),
        loud: false,
        frozen: false,
        frozen_failed: false,
        changed: false,
        next_is_operand: false,
        operand_inference: false,
        operand_inference_deferred: false,
        problems: Vec::new(),
        group: None,
        rule_kinds: effective
            .rules
            .iter()
            .map(|r| (r.id.name.clone(), r.per.is_some()))
            .collect(),
        disabled: effective.disabled.clone(),
    };
    for (path, ty) in effective.declarations.values() {
        let id = checker.field_id(path);
        let state = &mut checker.fields[id.0 as usize];
        state.ty = Some(*ty);
        state.declared = true;
        state.fixed_at = Some(path.span);
    }
    let key = effective.key.as_ref().map(|k| checker.field_id(k));

    checker.infer(&effective);
    if checker.operand_inference_deferred {
        checker.operand_inference = true;
        checker.infer(&effective);
    }

    checker.loud = true;
    checker.operand_inference = true;
    let rules = effective
        .rules
        .iter()
        .filter_map(|rule| checker.rule(rule))
        .collect();
    checker.check_object_paths();
    if !checker.problems.is_empty() {
        return Err(checker.problems);
    }
    checker.loud = false;
    checker.frozen = true;
    let overrides = effective
        .overrides
        .iter()
        .map(|o| Override {
            replaced: checker.frozen_rule(&o.replaced),
            by: checker.frozen_rule(&o.by),
            replaced_span: o.replaced.id.span,
            span: o.by.id.span,
        })
        .collect();
    Ok(RuleSet {
        name: effective.name,
        root: effective.root,
        fields: checker
            .fields
            .into_iter()
            .map(|f| Field {
                name: f.path.join("."),
                path: f.path,
                ty: f.ty,
                declared: f.declared,
                span: f.span,
            })
            .collect(),
        key,
        rules,
        overrides,
    })
}

/// The typed rule of `rule`, from its typed parts.
fn typed_rule(
    rule: &RuleDef,
    when: Option<TypedExpr>,
    check: TypedExpr,
    message: Option<Message>,
    reads: Vec<FieldId>,
    group: Option<super::Group>,
) -> Rule {
    Rule {
        id: rule.id.name.clone(),
        title: rule.title.as_ref().map(|t| t.value.value.clone()),
        severity: rule.severity(),
        reference: rule.reference.as_ref().map(|r| r.value.value.clone()),
        when,
        check,
        message,
        reads,
        span: rule.id.span,
        group,
    }
}

pub(crate) fn collect_reads(expr: &TypedExpr, reads: &mut Vec<FieldId>) {
    let push = |id: FieldId, reads: &mut Vec<FieldId>| {
        if !reads.contains(&id) {
            reads.push(id);
        }
    };
    match &expr.kind {
        TypedKind::Literal(_) | TypedKind::GroupKey { .. } | TypedKind::Aggregate { .. } => {}
        TypedKind::Field(id) | TypedKind::Predicate(_, id) => push(*id, reads),
        TypedKind::Call(_, args) => args.iter().for_each(|a| collect_reads(a, reads)),
        TypedKind::Neg(x) | TypedKind::Not(x) => collect_reads(x, reads),
        TypedKind::Binary { lhs, rhs, .. } => {
            collect_reads(lhs, reads);
            collect_reads(rhs, reads);
        }
        TypedKind::In { element, set, .. } => {
            collect_reads(element, reads);
            if let TypedSet::Field(id) = set {
                push(*id, reads);
            }
        }
    }
}

/// A decimal literal written like a time (`7.30`, `17.05`): the time it
/// was probably meant to be (`07:30`), and where it stands.
fn time_like_text(literal: &Literal) -> Option<(String, Span)> {
    if !matches!(literal.value, Value::Decimal(_)) {
        return None;
    }
    let time = crate::semantics::value::time_written_otherwise(&literal.text, &['.'])?;
    Some((time, literal.span))
}

/// [`time_like_text`] of an expression that is such a literal, also in
/// parentheses.
fn time_like_literal(expr: &Expr) -> Option<(String, Span)> {
    match &expr.kind {
        ExprKind::Literal(literal) => time_like_text(literal),
        ExprKind::Paren(inner) => time_like_literal(inner),
        _ => None,
    }
}

/// A type conflict between a time and a literal such as `7.30` gets
/// "did you mean `07:30`?", at the literal.
fn with_time_hint(problem: Problem, time_like: Option<(String, Span)>) -> Problem {
    match time_like {
        Some((time, span)) => problem.note(format!("did you mean `{time}`?"), Some(span)),
        None => problem,
    }
}

fn article(ty: Type) -> String {
    match ty {
        Type::INT => "an int".into(),
        Type::List(_) => format!("a {ty}"),
        _ => format!("a {ty}"),
    }
}

impl TypeChecker {
    /// Quiet walks over every rule until a walk changes no field's type.
    fn infer(&mut self, effective: &Effective) {
        for _ in 0..MAX_INFERENCE_WALKS {
            self.changed = false;
            for rule in &effective.rules {
                match &rule.per {
                    Some(per) => {
                        self.group_rule(rule, &per.value);
                    }
                    None => {
                        self.condition(rule.when.as_ref().map(|c| &c.value));
                        self.condition(Some(&rule.check.value));
                    }
                }
            }
            if !self.changed {
                break;
            }
        }
    }

    /// [`TypeChecker::expr`] of an operand of `-` or of arithmetic.
    fn operand(&mut self, expr: &Expr, expected: Option<Type>) -> Option<TypedExpr> {
        self.next_is_operand = true;
        self.expr(expr, expected)
    }

    fn report(&mut self, problem: Problem) {
        if self.loud {
            self.problems.push(problem);
        }
        self.frozen_failed |= self.frozen;
    }

    /// A rule, typed (and reported on, in the loud walk).
    fn rule(&mut self, rule: &RuleDef) -> Option<Rule> {
        if let Some(per) = &rule.per {
            return self.group_rule(rule, &per.value);
        }
        let when = self.condition(rule.when.as_ref().map(|c| &c.value));
        let check = self.condition(Some(&rule.check.value));
        let message = rule.message.as_ref().and_then(|m| self.message(&m.value));
        let (Some(check), true) = (check, rule.when.is_none() || when.is_some()) else {
            return None;
        };
        let mut reads = Vec::new();
        if let Some(w) = &when {
            collect_reads(w, &mut reads);
        }
        collect_reads(&check, &mut reads);
        Some(typed_rule(rule, when, check, message, reads, None))
    }

    /// A rule typed under the fields as they are, `None` if it does not
    /// type so; the fields are left as they were.
    fn frozen_rule(&mut self, rule: &RuleDef) -> Option<Rule> {
        let known = self.fields.len();
        self.frozen_failed = false;
        let typed = self.rule(rule);
        let added = self.fields.len() > known;
        self.fields.truncate(known);
        self.names.truncate(known);
        let failed = std::mem::take(&mut self.frozen_failed);
        typed.filter(|_| !added && !failed)
    }

    fn field_id(&mut self, path: &FieldPath) -> FieldId {
        let name = name_key(path);
        if let Some(id) = self.names.get(name.as_ref()) {
            return *id;
        }
        let id = FieldId(self.fields.len() as u32);
        self.fields.push(FieldState {
            path: path.segments.clone(),
            ty: None,
            declared: false,
            fixed_at: None,
            fixed_by_time_like: None,
            span: path.span,
        });
        self.names.insert(name.into_owned(), id);
        id
    }

    /// A `when` or `check`: must be a bool.
    fn condition(&mut self, expr: Option<&Expr>) -> Option<TypedExpr> {
        let expr = expr?;
        let typed = self.expr(expr, Some(Type::BOOL))?;
        if typed.ty != Type::BOOL {
            let message = format!(
                "a condition must be true or false, but this is {}",
                article(typed.ty)
            );
            self.report(Problem::at(ErrorKind::NotACondition, expr.span, message));
            return None;
        }
        Some(typed)
    }

    /// The type of an expression as far as it is known now, without
    /// inferring or reporting anything.
    fn type_of(&self, expr: &Expr) -> Option<Type> {
        if let Some(ty) = self.group_type_of(expr) {
            return ty;
        }
        match &expr.kind {
            ExprKind::Literal(l) => l.value.ty(),
            ExprKind::Field(path) => self
                .names
                .get(name_key(path).as_ref())
                .and_then(|id| self.fields[id.0 as usize].ty),
            ExprKind::Paren(x) | ExprKind::Neg(x) => self.type_of(x),
            ExprKind::Not(_) | ExprKind::Predicate { .. } | ExprKind::In { .. } => Some(Type::BOOL),
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And | BinaryOp::Or => Some(Type::BOOL),
                op if op.is_comparison() => Some(Type::BOOL),
                op => result_type(*op, self.type_of(lhs)?, self.type_of(rhs)?),
            },
            ExprKind::Call { name, .. } => functions::by_name(&name.name).map(|s| s.result),
        }
    }

    fn expr(&mut self, expr: &Expr, expected: Option<Type>) -> Option<TypedExpr> {
        if let Some(typed) = self.group_expr(expr, expected) {
            self.next_is_operand = false;
            return typed;
        }
        let is_operand = std::mem::take(&mut self.next_is_operand);
        let span = expr.span;
        let typed = |kind, ty| Some(TypedExpr { kind, ty, span });
        match &expr.kind {
            ExprKind::Literal(l) => typed(TypedKind::Literal(l.value.clone()), l.value.ty()?),
            ExprKind::Field(path) => self.field_use(path, expected, is_operand),
            ExprKind::Paren(inner) => {
                self.next_is_operand = is_operand;
                self.expr(inner, expected)
            }
            ExprKind::Not(inner) => {
                let operand = self.expect_type(
                    inner,
                    Type::BOOL,
                    ErrorKind::NotACondition,
                    "`not` applies to true or false",
                )?;
                typed(TypedKind::Not(Box::new(operand)), Type::BOOL)
            }
            ExprKind::Neg(inner) => {
                let operand = self.operand(inner, self.type_of(inner).or(expected))?;
                if !matches!(operand.ty, Type::INT | Type::DECIMAL | Type::DURATION) {
                    let message = format!(
                        "`-` applies to a number or a duration, not {}",
                        article(operand.ty)
                    );
                    self.report(Problem::at(ErrorKind::OperatorNotDefined, span, message));
                    return None;
                }
                let ty = operand.ty;
                typed(TypedKind::Neg(Box::new(operand)), ty)
            }
            ExprKind::Predicate { predicate, operand } => self.predicate(*predicate, operand, span),
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And | BinaryOp::Or => {
                    let what = format!("`{}` joins conditions (true or false)", op.as_str());
                    let l = self.expect_type(lhs, Type::BOOL, ErrorKind::NotACondition, &what);
                    let r = self.expect_type(rhs, Type::BOOL, ErrorKind::NotACondition, &what);
                    let (l, r) = (l?, r?);
                    typed(
                        TypedKind::Binary {
                            op: *op,
                            lhs: Box::new(l),
                            rhs: Box::new(r),
                        },
                        Type::BOOL,
                    )
                }
                op if op.is_comparison() => self.comparison(*op, lhs, rhs, span),
                op => self.arithmetic(*op, lhs, rhs, expected, span),
            },
            ExprKind::In {
                negated,
                element,
                set,
            } => self.membership(*negated, element, set, span),
            ExprKind::Call { name, args } => self.call(&name.name, name.span, args, span),
        }
    }

    fn expect_type(&mut self, expr: &Expr, ty: Type, kind: ErrorKind, what: &str) -> Option<TypedExpr> {
        let typed = self.expr(expr, Some(ty))?;
        if typed.ty != ty {
            let message = format!("{what}, but this is {}", article(typed.ty));
            self.report(Problem::at(kind, expr.span, message));
            return None;
        }
        Some(typed)
    }

    /// A field read where `expected` is wanted; `is_operand` when it is an
    /// operand of `-` or of arithmetic rather than itself a side.
    fn field_use(&mut self, path: &FieldPath, expected: Option<Type>, is_operand: bool) -> Option<TypedExpr> {
        let id = self.field_id(path);
        let state = &mut self.fields[id.0 as usize];
        if self.frozen {
            return match (state.ty, expected) {
                (Some(t), Some(e)) if common_type(t, e).is_none() => None,
                (ty, _) => ty,
            }
            .map(|ty| TypedExpr {
                kind: TypedKind::Field(id),
                ty,
                span: path.span,
            })
            .or_else(|| {
                self.frozen_failed = true;
                None
            });
        }
        let ty = match (state.ty, expected) {
            (None, Some(_)) if is_operand && !self.operand_inference => {
                self.operand_inference_deferred = true;
                return None;
            }
            (None, Some(e)) => {
                state.ty = Some(e);
                state.fixed_at = Some(path.span);
                self.changed = true;
                e
            }
            (Some(Type::INT), Some(Type::DECIMAL)) if !state.declared && !is_operand => {
                state.ty = Some(Type::DECIMAL);
                self.changed = true;
                Type::DECIMAL
            }
            (Some(t), Some(e)) if common_type(t, e).is_none() => {
                let fixed_at = state.fixed_at;
                let name = path.dotted();
                let message = format!(
                    "field `{name}` is used as {} here, but it is {}",
                    article(e),
                    article(t)
                );
                let how = if state.declared {
                    "declared"
                } else {
                    "its type was fixed"
                };
                let mut problem = Problem::at(ErrorKind::TypeConflict, path.span, message)
                    .note(format!("{how} here, as {}", article(t)), fixed_at);
                if e == Type::TIME {
                    problem = with_time_hint(problem, state.fixed_by_time_like.clone());
                }
                self.report(problem);
                return None;
            }
            (Some(t), _) => t,
            (None, None) => {
                let name = path.dotted();
                let message = format!("the type of field `{name}` cannot be inferred here");
                let problem = Problem::at(ErrorKind::TypeNotInferred, path.span, message).note(
                    format!("declare it, e.g. `field {name}: time`, or compare it with a literal"),
                    None,
                );
                self.report(problem);
                return None;
            }
        };
        Some(TypedExpr {
            kind: TypedKind::Field(id),
            ty,
            span: path.span,
        })
    }

    fn predicate(&mut self, predicate: Predicate, operand: &Expr, span: Span) -> Option<TypedExpr> {
        let mut inner = operand;
        while let ExprKind::Paren(x) = &inner.kind {
            inner = x;
        }
        let ExprKind::Field(path) = &inner.kind else {
            let message = format!(
                "`{}` applies to a field, such as `badge_worn {0}`",
                predicate.as_str()
            );
            self.report(Problem::at(ErrorKind::OperatorNotDefined, span, message));
            return None;
        };
        let id = self.field_id(path);
        Some(TypedExpr {
            kind: TypedKind::Predicate(predicate, id),
            ty: Type::BOOL,
            span,
        })
    }

    /// Each side's known type is the other side's expected type.
    /// Int on one side and decimal on the other makes both decimal.
    fn sides(&mut self, lhs: &Expr, rhs: &Expr) -> (Option<TypedExpr>, Option<TypedExpr>) {
        let (lt, rt) = (self.type_of(lhs), self.type_of(rhs));
        let both = lt.zip(rt).and_then(|(l, r)| common_type(l, r));
        let l = self.expr(lhs, both.or(lt).or(rt));
        let r = self.expr(rhs, both.or(rt).or(lt).or(l.as_ref().map(|l| l.ty)));
        self.remember_time_like(lhs, std::slice::from_ref(rhs));
        self.remember_time_like(rhs, std::slice::from_ref(lhs));
        (l, r)
    }

    /// Keeps, for a field that `others` (literals such as `7.30`) have just
    /// made a decimal, the time that literal was probably meant to be.
    fn remember_time_like(&mut self, side: &Expr, others: &[Expr]) {
        let ExprKind::Field(path) = &side.kind else {
            return;
        };
        if let Some(hint) = others.iter().find_map(time_like_literal) {
            self.remember_time_like_for(path, hint);
        }
    }

    fn remember_time_like_for(&mut self, path: &FieldPath, hint: (String, Span)) {
        let Some(id) = self.names.get(name_key(path).as_ref()) else {
            return;
        };
        let state = &mut self.fields[id.0 as usize];
        if state.fixed_at == Some(path.span) && state.ty == Some(Type::DECIMAL) {
            state.fixed_by_time_like = Some(hint);
        }
    }

    fn comparison(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, span: Span) -> Option<TypedExpr> {
        let (l, r) = self.sides(lhs, rhs);
        let (l, r) = (l?, r?);
        let Some(joined) = common_type(l.ty, r.ty) else {
            let problem = self
                .field_conflict(&l, r.ty)
                .or_else(|| self.field_conflict(&r, l.ty))
                .unwrap_or_else(|| {
                    Problem::at(
                        ErrorKind::TypeConflict,
                        span,
                        format!("cannot compare {} with {}", article(l.ty), article(r.ty)),
                    )
                });
            let time_like = match (l.ty, r.ty) {
                (Type::TIME, _) => self.time_like_side(&r, rhs),
                (_, Type::TIME) => self.time_like_side(&l, lhs),
                _ => None,
            };
            self.report(with_time_hint(problem, time_like));
            return None;
        };
        let ordered = joined.scalar().is_some_and(Scalar::is_ordered);
        if !matches!(op, BinaryOp::Eq | BinaryOp::Ne) && !ordered {
            let message = format!(
                "`{}` needs an order, and {} values have none (use == or !=)",
                op.as_str(),
                joined
            );
            self.report(Problem::at(ErrorKind::OperatorNotDefined, span, message));
            return None;
        }
        if matches!(joined, Type::List(_)) {
            self.report(Problem::at(
                ErrorKind::OperatorNotDefined,
                span,
                "lists cannot be compared; use `in` or `len`",
            ));
            return None;
        }
        Some(TypedExpr {
            kind: TypedKind::Binary {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
            ty: Type::BOOL,
            span,
        })
    }

    /// The time that a side of a comparison was probably meant to be: a
    /// literal such as `7.30`, or a field that such a literal made a
    /// decimal.
    fn time_like_side(&self, typed: &TypedExpr, expr: &Expr) -> Option<(String, Span)> {
        match typed.kind {
            TypedKind::Field(id) => self.fields[id.0 as usize].fixed_by_time_like.clone(),
            _ => time_like_literal(expr),
        }
    }

    /// A field compared with a value of another type: say where the
    /// field's type was fixed.
    fn field_conflict(&self, side: &TypedExpr, other: Type) -> Option<Problem> {
        let TypedKind::Field(id) = side.kind else {
            return None;
        };
        let state = &self.fields[id.0 as usize];
        let name = state.path.join(".");
        let message = format!(
            "field `{name}` is used as {} here, but it is {}",
            article(other),
            article(side.ty)
        );
        let how = if state.declared {
            "declared"
        } else {
            "its type was fixed"
        };
        let fixed_at = state.fixed_at.filter(|s| *s != side.span);
        let mut problem = Problem::at(ErrorKind::TypeConflict, side.span, message);
        if fixed_at.is_some() {
            problem = problem.note(format!("{how} here, as {}", article(side.ty)), fixed_at);
        }
        Some(problem)
    }

    fn arithmetic(
        &mut self,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        expected: Option<Type>,
        span: Span,
    ) -> Option<TypedExpr> {
        let (lt, rt) = (self.type_of(lhs), self.type_of(rhs));
        let l_expect = lt.or_else(|| rt.and_then(|k| operand_type(op, k, true, expected)));
        let r_expect = rt.or_else(|| lt.and_then(|k| operand_type(op, k, false, expected)));
        let l = self.operand(lhs, l_expect);
        let r = self.operand(rhs, r_expect);
        let (l, r) = (l?, r?);
        let Some(ty) = result_type(op, l.ty, r.ty) else {
            let message = format!(
                "`{}` is not defined for {} and {}",
                op.as_str(),
                article(l.ty),
                article(r.ty)
            );
            self.report(Problem::at(ErrorKind::OperatorNotDefined, span, message));
            return None;
        };
        Some(TypedExpr {
            kind: TypedKind::Binary {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
            ty,
            span,
        })
    }

    fn literals_type(&mut self, items: &[&Literal], span: Span) -> Option<Type> {
        let mut ty: Option<Type> = None;
        for item in items {
            let t = item.value.ty()?;
            ty = match ty {
                None => Some(t),
                Some(prev) => match common_type(prev, t) {
                    Some(j) => Some(j),
                    None => {
                        let message = format!(
                            "a list holds one type, but here {} follows {}",
                            article(t),
                            article(prev)
                        );
                        let problem = Problem::at(ErrorKind::TypeConflict, item.span, message)
                            .note("in this list", Some(span));
                        let time_like = if prev == Type::TIME {
                            time_like_text(item)
                        } else if t == Type::TIME {
                            items.iter().find_map(|i| time_like_text(i))
                        } else {
                            None
                        };
                        self.report(with_time_hint(problem, time_like));
                        return None;
                    }
                },
            };
        }
        ty
    }

    fn membership(&mut self, negated: bool, element: &Expr, set: &InSet, span: Span) -> Option<TypedExpr> {
        let (typed_set, elem_ty) = match set {
            InSet::List {
                items,
                span: list_span,
            } => {
                let refs: Vec<&Literal> = items.iter().collect();
                let ty = self.literals_type(&refs, *list_span);
                let values = items.iter().map(|l| l.value.clone()).collect();
                (Some(TypedSet::List(values)), ty)
            }
            InSet::Range { low, high } => {
                let ty = self.literals_type(
                    &[low, high],
                    Span {
                        end: high.span.end,
                        ..low.span
                    },
                );
                if let Some(t) = ty {
                    if !matches!(t, Type::INT | Type::DECIMAL | Type::TIME | Type::DATE) {
                        let message =
                            format!("a range is of ints, decimals, times or dates, not of {t} values");
                        self.report(Problem::at(ErrorKind::OperatorNotDefined, low.span, message));
                    }
                }
                let set = TypedSet::Range(low.value.clone(), high.value.clone());
                (Some(set), ty)
            }
            InSet::Field(path) => {
                let known_elem = self.type_of(element).and_then(|t| t.scalar());
                let list_ty = self
                    .names
                    .get(name_key(path).as_ref())
                    .and_then(|id| self.fields[id.0 as usize].ty);
                let expect = match (list_ty, known_elem) {
                    // A list field keeps its element type: int and decimal
                    // compare with each other among its elements (§3).
                    (Some(Type::List(e)), Some(k))
                        if common_type(Type::Scalar(e), Type::Scalar(k)).is_some() =>
                    {
                        list_ty
                    }
                    _ => known_elem.map(Type::List),
                };
                let list = self.field_use(path, expect, false);
                match list {
                    Some(TypedExpr {
                        kind: TypedKind::Field(id),
                        ty: Type::List(e),
                        ..
                    }) => (Some(TypedSet::Field(id)), Some(Type::Scalar(e))),
                    Some(other) => {
                        let message = format!(
                            "`in` needs a list on its right, but `{}` is {}",
                            path.dotted(),
                            article(other.ty)
                        );
                        self.report(Problem::at(ErrorKind::TypeConflict, path.span, message));
                        (None, None)
                    }
                    None => (None, None),
                }
            }
        };
        let own = self.type_of(element);
        let element_expect = own
            .zip(elem_ty)
            .and_then(|(a, b)| common_type(a, b))
            .or(own)
            .or(elem_ty);
        let typed_element = self.expr(element, element_expect)?;
        let set_literals: Vec<&Literal> = match set {
            InSet::List { items, .. } => items.iter().collect(),
            InSet::Range { low, high } => vec![low, high],
            InSet::Field(_) => Vec::new(),
        };
        if let (ExprKind::Field(path), Some(hint)) =
            (&element.kind, set_literals.iter().find_map(|l| time_like_text(l)))
        {
            self.remember_time_like_for(path, hint);
        }
        let set = typed_set?;
        // An empty list (`x in []`) takes any element type.
        if let Some(elem_ty) = elem_ty {
            if common_type(typed_element.ty, elem_ty).is_none() {
                let message = format!(
                    "cannot look for {} among {} values",
                    article(typed_element.ty),
                    elem_ty
                );
                let time_like = (typed_element.ty == Type::TIME)
                    .then(|| set_literals.iter().find_map(|l| time_like_text(l)))
                    .flatten();
                self.report(with_time_hint(
                    Problem::at(ErrorKind::TypeConflict, span, message),
                    time_like,
                ));
                return None;
            }
        }
        if typed_element.ty == Type::BOOL && !matches!(set, TypedSet::List(_)) {
            self.report(Problem::at(
                ErrorKind::OperatorNotDefined,
                span,
                "a bool can only be looked for in a list",
            ));
            return None;
        }
        Some(TypedExpr {
            kind: TypedKind::In {
                negated,
                element: Box::new(typed_element),
                set,
            },
            ty: Type::BOOL,
            span,
        })
    }

    fn call(&mut self, name: &str, name_span: Span, args: &[Expr], span: Span) -> Option<TypedExpr> {
        if group::is_aggregate(name) {
            self.misplaced_aggregate(name, name_span);
            return None;
        }
        let Some(signature) = functions::by_name(name) else {
            let mut problem = Problem::at(
                ErrorKind::UnknownFunction,
                name_span,
                format!("unknown function `{name}`"),
            );
            let known = functions::names().chain(crate::semantics::aggregate::names());
            if let Some(near) = closest(name, known) {
                problem = problem.note(format!("did you mean `{near}`?"), None);
            } else {
                let all: Vec<&str> = functions::names().collect();
                problem = problem.note(format!("the functions are {}", all.join(", ")), None);
            }
            self.report(problem);
            return None;
        };
        let (typed_args, pattern) = match signature.params {
            Params::Exact(params) => (self.exact_args(name, params, args, span)?, None),
            Params::StringOrList => (vec![self.string_or_list_arg(name, args, span)?], None),
            Params::StringAndPattern => {
                let (subject, pattern) = self.string_and_pattern_args(name, args, span)?;
                (vec![subject], Some(pattern))
            }
        };
        Some(TypedExpr {
            kind: TypedKind::Call(
                Function {
                    builtin: signature.builtin,
                    pattern,
                },
                typed_args,
            ),
            ty: signature.result,
            span,
        })
    }

    /// The arguments of a function that takes one of each of `params`.
    fn exact_args(
        &mut self,
        name: &str,
        params: &[Scalar],
        args: &[Expr],
        span: Span,
    ) -> Option<Vec<TypedExpr>> {
        if args.len() != params.len() {
            let message = format!(
                "`{name}` takes {} argument(s), but {} were given",
                params.len(),
                args.len()
            );
            self.report(Problem::at(ErrorKind::ArgumentCount, span, message));
            return None;
        }
        let mut typed_args = Vec::with_capacity(args.len());
        for (arg, param) in args.iter().zip(params) {
            let what = format!("`{name}` takes {}", article(Type::Scalar(*param)));
            typed_args.push(self.expect_type(arg, Type::Scalar(*param), ErrorKind::ArgumentType, &what));
        }
        typed_args.into_iter().collect()
    }

    /// The one argument of a function that takes a string or a list.
    fn string_or_list_arg(&mut self, name: &str, args: &[Expr], span: Span) -> Option<TypedExpr> {
        let [arg] = args else {
            self.report(Problem::at(
                ErrorKind::ArgumentCount,
                span,
                format!("`{name}` takes 1 argument, but {} were given", args.len()),
            ));
            return None;
        };
        let Some(known) = self.type_of(arg) else {
            if let ExprKind::Field(path) = &arg.kind {
                let field = path.dotted();
                let message = format!(
                    "the type of field `{field}` cannot be inferred: `{name}` takes a string or a list"
                );
                let note = format!("declare it, e.g. `field {field}: string`");
                self.report(Problem::at(ErrorKind::TypeNotInferred, path.span, message).note(note, None));
                self.field_id(path);
                return None;
            }
            self.expr(arg, None);
            return None;
        };
        let typed = self.expr(arg, Some(known))?;
        if !matches!(typed.ty, Type::STRING | Type::List(_)) {
            self.report(Problem::at(
                ErrorKind::ArgumentType,
                arg.span,
                format!("`{name}` takes a string or a list, not {}", article(typed.ty)),
            ));
            return None;
        }
        Some(typed)
    }

    /// The string and the compiled pattern of a function that takes both.
    fn string_and_pattern_args(
        &mut self,
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> Option<(TypedExpr, regex::Regex)> {
        let [subject, pattern] = args else {
            let message = format!("`{name}` takes 2 arguments, but {} were given", args.len());
            self.report(Problem::at(ErrorKind::ArgumentCount, span, message));
            return None;
        };
        let subject = self.expect_type(
            subject,
            Type::STRING,
            ErrorKind::ArgumentType,
            &format!("`{name}` takes a string"),
        );
        let ExprKind::Literal(Literal {
            value: Value::String(text),
            ..
        }) = &pattern.kind
        else {
            self.report(Problem::at(
                ErrorKind::ArgumentType,
                pattern.span,
                format!("the pattern of `{name}` must be a string literal"),
            ));
            return None;
        };
        let regex = regex::RegexBuilder::new(text)
            .size_limit(self.max_regex_bytes)
            .dfa_size_limit(self.max_regex_bytes)
            .build();
        let regex = match regex {
            Ok(r) => r,
            Err(e) => {
                let detail = e.to_string();
                let last = detail
                    .lines()
                    .last()
                    .unwrap_or("invalid pattern")
                    .trim()
                    .to_string();
                self.report(Problem::at(
                    ErrorKind::InvalidPattern,
                    pattern.span,
                    format!("invalid pattern: {last}"),
                ));
                return None;
            }
        };
        Some((subject?, regex))
    }

    /// A record rule's message: text and field paths in braces. Other
    /// expressions in braces are for group rules (§9), which are not
    /// checked yet.
    fn message(&mut self, message: &syntax::Message) -> Option<Message> {
        let mut parts = Vec::new();
        for part in &message.parts {
            match part {
                syntax::MessagePart::Text(text) => parts.push(MessagePart::Text(text.clone())),
                syntax::MessagePart::Placeholder(placeholder) => {
                    let ExprKind::Field(path) = &placeholder.expr.kind else {
                        let problem = Problem::at(
                            ErrorKind::InvalidMessage,
                            message.literal.span,
                            format!(
                                "`{{{}}}` in a message must be a field path in braces, like `{{arrival}}`",
                                placeholder.text
                            ),
                        )
                        .note(
                            "other expressions in braces are for group rules (§9, `per`)",
                            None,
                        )
                        .note("write `{{` and `}}` for literal braces", None);
                        self.report(problem);
                        return None;
                    };
                    parts.push(MessagePart::Field(self.field_id(path)));
                }
            }
        }
        Some(Message { parts })
    }

    /// `employee` cannot hold a value of its own type and also be the object
    /// that `employee.unit` is read from.
    fn check_object_paths(&mut self) {
        for (i, inner) in self.fields.iter().enumerate() {
            for outer in &self.fields[..] {
                let is_prefix = outer.path.len() < inner.path.len() && inner.path.starts_with(&outer.path);
                if is_prefix && outer.ty.is_some() {
                    let message = format!(
                        "field `{}` has a type ({}), so `{}` cannot be read from it as an object",
                        outer.path.join("."),
                        outer.ty.map_or_else(String::new, |t| t.to_string()),
                        inner.path.join(".")
                    );
                    let span = self.fields[i].span;
                    self.problems
                        .push(Problem::at(ErrorKind::FieldIsObject, span, message));
                    return;
                }
            }
        }
    }
}

/// The key of `path` in `TypeChecker::names`, its segments joined by dots: a
/// name of one segment is its own key, which saves joining (an allocation)
/// at each of the many uses of a field.
fn name_key(path: &FieldPath) -> Cow<'_, str> {
    match path.segments.as_slice() {
        [one] => Cow::Borrowed(one),
        _ => Cow::Owned(path.dotted()),
    }
}
