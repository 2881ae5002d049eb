//! Group rules (§9): `per` expressions, aggregates, and what a group
//! rule's `check` and `message` may read outside an aggregate.

use super::{article, collect_reads, typed_rule, TypeChecker};
use crate::check::{Aggregate, Group, GroupKey, KeyExpr, Message, MessagePart, Rule, TypedExpr, TypedKind};
use crate::diagnostic::{closest, ErrorKind, Problem, Span};
use crate::semantics::aggregate::{self, AggregateFn};
use crate::semantics::value::Type;
use crate::syntax::print;
use crate::syntax::{self, Expr, ExprKind, RuleDef};

/// What the checker knows while it types a group rule's `check` and
/// `message`.
pub(super) struct GroupScope {
    /// Each `per` expression's text and type (`None`: a field no rule
    /// gives a type).
    per: Vec<(String, Option<Type>, Expr)>,
    aggregates: Vec<Aggregate>,
    /// Typing an aggregate's argument: record-level, no aggregate.
    in_aggregate: bool,
    /// Typing the message: aggregates found are not the check's.
    in_message: bool,
    rule: String,
}

impl TypeChecker {
    /// A group rule, typed (and reported on, in the loud walk).
    pub(super) fn group_rule(&mut self, rule: &RuleDef, per: &[Expr]) -> Option<Rule> {
        let when = self.condition(rule.when.as_ref().map(|c| &c.value));
        let mut keys = Vec::with_capacity(per.len());
        let mut scope_per = Vec::with_capacity(per.len());
        for expr in per {
            let text = print::expr(expr);
            if scope_per.iter().any(|(t, _, _): &(String, _, _)| *t == text) {
                let message = format!("`{text}` is twice in `per`");
                self.report(Problem::at(ErrorKind::Duplicate, expr.span, message));
            }
            let key = self.group_key(expr);
            let ty = match &key {
                Some(KeyExpr::Expr(typed)) => Some(typed.ty),
                _ => None,
            };
            scope_per.push((text.clone(), ty, expr.clone()));
            keys.push(key.map(|key| GroupKey { key, text }));
        }
        let outer = self.group.replace(GroupScope {
            per: scope_per,
            aggregates: Vec::new(),
            in_aggregate: false,
            in_message: false,
            rule: rule.id.name.clone(),
        });
        let check = self.condition(Some(&rule.check.value));
        let message = rule.message.as_ref().and_then(|m| self.group_message(&m.value));
        let scope = std::mem::replace(&mut self.group, outer)?;
        let keys: Option<Vec<GroupKey>> = keys.into_iter().collect();
        let (Some(check), Some(per), true) = (check, keys, rule.when.is_none() || when.is_some()) else {
            return None;
        };
        let mut reads = Vec::new();
        if let Some(w) = &when {
            collect_reads(w, &mut reads);
        }
        for key in &per {
            match &key.key {
                KeyExpr::Field(id) => {
                    if !reads.contains(id) {
                        reads.push(*id);
                    }
                }
                KeyExpr::Expr(e) => collect_reads(e, &mut reads),
            }
        }
        for aggregate in &scope.aggregates {
            if let Some(arg) = &aggregate.arg {
                collect_reads(arg, &mut reads);
            }
        }
        let group = Group {
            per,
            aggregates: scope.aggregates,
        };
        Some(typed_rule(rule, when, check, message, reads, Some(group)))
    }

    /// A `per` expression: record-level, of a type that tells groups apart.
    fn group_key(&mut self, expr: &Expr) -> Option<KeyExpr> {
        if let ExprKind::Field(path) = &expr.kind {
            if self.type_of(expr).is_none() {
                return Some(KeyExpr::Field(self.field_id(path)));
            }
        }
        let typed = self.expr(expr, None)?;
        if matches!(typed.ty, Type::List(_)) {
            let message = format!(
                "`per {}` is {}: a group's key must be a single value",
                print::expr(expr),
                article(typed.ty)
            );
            self.report(Problem::at(ErrorKind::NotAGroupKey, expr.span, message));
            return None;
        }
        Some(KeyExpr::Expr(typed))
    }

    /// The type of `expr` where it is a `per` expression or an aggregate of
    /// the group rule being typed, as far as known.
    pub(super) fn group_type_of(&self, expr: &Expr) -> Option<Option<Type>> {
        let scope = self.group.as_ref().filter(|s| !s.in_aggregate)?;
        let text = print::expr(expr);
        if let Some((_, ty, _)) = scope.per.iter().find(|(t, _, _)| *t == text) {
            return Some(*ty);
        }
        let ExprKind::Call { name, args } = &expr.kind else {
            return None;
        };
        let function = aggregate::by_name(&name.name)?;
        Some(match (function, args.as_slice()) {
            (AggregateFn::Count | AggregateFn::Violations, _) => Some(Type::INT),
            (function, [arg]) => self.type_of(arg).and_then(|t| function.result_type(t).ok()),
            _ => None,
        })
    }

    /// `expr` in a group rule's `check` or `message`, outside any
    /// aggregate: `None` when it is an ordinary expression, to be typed as
    /// one (its parts come back here).
    pub(super) fn group_expr(&mut self, expr: &Expr, expected: Option<Type>) -> Option<Option<TypedExpr>> {
        let scope = self.group.as_ref().filter(|s| !s.in_aggregate)?;
        let text = print::expr(expr);
        if let Some(index) = scope.per.iter().position(|(t, _, _)| *t == text) {
            return Some(self.group_key_use(index, expected));
        }
        match &expr.kind {
            ExprKind::Call { name, args } if aggregate::by_name(&name.name).is_some() => {
                let function = aggregate::by_name(&name.name)?;
                Some(self.aggregate(function, &text, args, expr.span, expected))
            }
            ExprKind::Field(path) => {
                self.not_a_per_expression(&path.dotted(), path.span);
                Some(None)
            }
            // `month_start(day)` beside `per …, month_start(date)`: said of
            // the whole call, which is what is near a `per` expression.
            ExprKind::Call { .. }
                if closest(&text, scope.per.iter().map(|(t, _, _)| t.as_str())).is_some() =>
            {
                self.not_a_per_expression(&text, expr.span);
                Some(None)
            }
            ExprKind::Predicate { operand, .. } if matches!(operand.kind, ExprKind::Field(_)) => {
                self.not_a_per_expression(&print::expr(operand), operand.span);
                Some(None)
            }
            ExprKind::In {
                set: syntax::InSet::Field(path),
                ..
            } => {
                self.not_a_per_expression(&path.dotted(), path.span);
                Some(None)
            }
            _ => None,
        }
    }

    fn not_a_per_expression(&mut self, text: &str, span: Span) {
        let Some(scope) = &self.group else { return };
        let message = format!(
            "`{text}` is not a `per` expression of rule `{}`: outside an aggregate a group rule reads only its `per` expressions",
            scope.rule
        );
        let mut problem = Problem::at(ErrorKind::NotAPerExpression, span, message).note(
            format!("read it inside an aggregate (`max({text})`, `count({text} …)`) or add it to `per`"),
            None,
        );
        if let Some(near) = closest(text, scope.per.iter().map(|(t, _, _)| t.as_str())) {
            problem = problem.note(format!("did you mean `{near}`?"), None);
        }
        self.report(problem);
    }

    fn group_key_use(&mut self, index: usize, expected: Option<Type>) -> Option<TypedExpr> {
        let (expr_text, ty, expr) = self.group.as_ref()?.per.get(index)?.clone();
        let ty = match ty {
            Some(ty) => ty,
            // A field only `per` named so far: this use may give it a type
            // (typed as a record-level expression, not found again here).
            None => {
                let ty = self.within_aggregate(|c| c.expr(&expr, expected))?.ty;
                if let Some(scope) = self.group.as_mut() {
                    scope.per[index].1 = Some(ty);
                }
                ty
            }
        };
        Some(TypedExpr {
            kind: TypedKind::GroupKey {
                index: index as u32,
                text: expr_text,
            },
            ty,
            span: expr.span,
        })
    }

    /// An aggregate call in a group rule's `check` or `message`.
    fn aggregate(
        &mut self,
        function: AggregateFn,
        text: &str,
        args: &[Expr],
        span: Span,
        expected: Option<Type>,
    ) -> Option<TypedExpr> {
        let in_message = self.group.as_ref().is_some_and(|s| s.in_message);
        if let Some(scope) = self.group.as_mut() {
            if let Some(index) = scope.aggregates.iter().position(|a| a.text == text) {
                scope.aggregates[index].in_check |= !in_message;
                let slot = (scope.per.len() + index) as u32;
                let found = &mut scope.aggregates[index];
                return Some(TypedExpr {
                    kind: TypedKind::Aggregate {
                        index: index as u32,
                        slot,
                        text: text.to_string(),
                    },
                    ty: found.ty,
                    span,
                });
            }
        }
        let name = function.name();
        let (arg, rule, ty) = match (function, args) {
            (AggregateFn::Count, []) => (None, None, Type::INT),
            (AggregateFn::Count, [arg]) => {
                let typed = self.within_aggregate(|c| {
                    c.expect_type(
                        arg,
                        Type::BOOL,
                        ErrorKind::ArgumentType,
                        "`count` counts the records where a condition holds",
                    )
                })?;
                (Some(typed), None, Type::INT)
            }
            (AggregateFn::Violations, [arg]) => (None, Some(self.violated_rule(arg)?), Type::INT),
            (AggregateFn::Count | AggregateFn::Violations, _) => {
                let wanted = if function == AggregateFn::Count {
                    "`count` takes no argument or a condition"
                } else {
                    "`violations` takes one rule id"
                };
                let message = format!("{wanted}, but {} were given", args.len());
                self.report(Problem::at(ErrorKind::ArgumentCount, span, message));
                return None;
            }
            (_, [arg]) => {
                // What the aggregate is compared with may type an untyped
                // argument; a typed one keeps its type, so that `sum` of a
                // string is refused as that.
                let arg_expected = match function {
                    _ if self.type_of(arg).is_some() => None,
                    AggregateFn::Avg => expected.filter(|t| *t == Type::DURATION),
                    _ => expected,
                };
                let typed = self.within_aggregate(|c| c.expr(arg, arg_expected))?;
                match function.result_type(typed.ty) {
                    Ok(ty) => (Some(typed), None, ty),
                    Err(takes) => {
                        let message = format!(
                            "`{name}` of {} is not defined: `{name}` takes {takes}",
                            article(typed.ty)
                        );
                        self.report(Problem::at(ErrorKind::ArgumentType, arg.span, message));
                        return None;
                    }
                }
            }
            (_, _) => {
                let message = format!("`{name}` takes 1 argument, but {} were given", args.len());
                self.report(Problem::at(ErrorKind::ArgumentCount, span, message));
                return None;
            }
        };
        let scope = self.group.as_mut()?;
        scope.aggregates.push(Aggregate {
            function,
            arg,
            rule,
            text: text.to_string(),
            ty,
            in_check: !in_message,
        });
        Some(TypedExpr {
            kind: TypedKind::Aggregate {
                index: scope.aggregates.len() as u32 - 1,
                slot: (scope.per.len() + scope.aggregates.len() - 1) as u32,
                text: text.to_string(),
            },
            ty,
            span,
        })
    }

    fn within_aggregate<T>(&mut self, type_it: impl FnOnce(&mut TypeChecker) -> Option<T>) -> Option<T> {
        if let Some(scope) = self.group.as_mut() {
            scope.in_aggregate = true;
        }
        let typed = type_it(self);
        if let Some(scope) = self.group.as_mut() {
            scope.in_aggregate = false;
        }
        typed
    }

    /// The record rule `violations(R)` names: one of the effective set,
    /// not a group rule, not disabled.
    fn violated_rule(&mut self, arg: &Expr) -> Option<String> {
        let ExprKind::Field(path) = &arg.kind else {
            let message = "`violations` takes the id of a record rule, like `violations(on_time)`";
            self.report(Problem::at(ErrorKind::ArgumentType, arg.span, message));
            return None;
        };
        let id = path.dotted();
        match self.rule_kinds.get(&id) {
            Some(false) => {}
            Some(true) => {
                let message = format!(
                    "`violations({id})`: `{id}` is a group rule; `violations` counts a record rule's"
                );
                self.report(Problem::at(ErrorKind::ArgumentType, arg.span, message));
                return None;
            }
            None => {
                if let Some((_, at)) = self.disabled.iter().find(|(d, _)| *d == id).cloned() {
                    let rule = self.group.as_ref().map(|s| s.rule.clone()).unwrap_or_default();
                    let message = format!(
                        "`disable rule {id}`: rule `{rule}` counts its violations (`violations({id})`)"
                    );
                    let problem = Problem::at(ErrorKind::BadOverride, at, message)
                        .note(format!("`violations({id})` is here"), Some(arg.span))
                        .note(format!("keep `{id}`, or change or disable `{rule}` too"), None);
                    self.report(problem);
                    return None;
                }
                let message = format!("`violations({id})`: there is no rule `{id}`");
                let mut problem = Problem::at(ErrorKind::UnknownName, arg.span, message);
                let records = self
                    .rule_kinds
                    .iter()
                    .filter(|(_, g)| !**g)
                    .map(|(r, _)| r.as_str());
                if let Some(near) = closest(&id, records) {
                    problem = problem.note(format!("did you mean `{near}`?"), None);
                }
                self.report(problem);
                return None;
            }
        }
        Some(id)
    }

    /// A group rule's message: `per` expressions and aggregates in braces
    /// take the group's values; any other field path, the first record's.
    fn group_message(&mut self, message: &syntax::Message) -> Option<Message> {
        if let Some(scope) = self.group.as_mut() {
            scope.in_message = true;
        }
        let mut parts = Vec::new();
        let mut ok = true;
        for part in &message.parts {
            match part {
                syntax::MessagePart::Text(text) => parts.push(MessagePart::Text(text.clone())),
                syntax::MessagePart::Placeholder(placeholder) => {
                    let expr = &placeholder.expr;
                    // A `per` expression or an aggregate.
                    if self.group_type_of(expr).is_some() {
                        match self.group_expr(expr, None).flatten().map(|t| t.kind) {
                            Some(TypedKind::GroupKey { index, .. }) => {
                                parts.push(MessagePart::GroupKey(index))
                            }
                            Some(TypedKind::Aggregate { index, .. }) => {
                                parts.push(MessagePart::Aggregate(index))
                            }
                            _ => ok = false,
                        }
                    } else if let ExprKind::Field(path) = &expr.kind {
                        parts.push(MessagePart::Field(self.field_id(path)));
                    } else {
                        let problem = Problem::at(
                            ErrorKind::InvalidMessage,
                            message.literal.span,
                            format!(
                                "`{{{}}}` in a group rule's message is not a `per` expression, an aggregate or a field",
                                placeholder.text
                            ),
                        )
                        .note("a field path takes the value of the group's first record", None);
                        self.report(problem);
                        ok = false;
                    }
                }
            }
        }
        if let Some(scope) = self.group.as_mut() {
            scope.in_message = false;
        }
        ok.then_some(Message { parts })
    }

    /// An aggregate called where none may be: outside a group rule's
    /// `check` and `message`, or inside another aggregate.
    pub(super) fn misplaced_aggregate(&mut self, name: &str, span: Span) {
        let inside = self.group.as_ref().is_some_and(|s| s.in_aggregate);
        let message = if inside {
            format!("`{name}` inside an aggregate: an aggregate's argument is read on each record")
        } else {
            format!("`{name}` is an aggregate: it is only for a group rule's `check` and `message`")
        };
        let problem = Problem::at(ErrorKind::AggregateMisplaced, span, message).note(
            "a group rule has `per`, e.g. `per employee_id, month_start(date)`; its `when` and `per` are read on each record",
            None,
        );
        self.report(problem);
    }
}

/// Whether `name` is an aggregate's.
pub(super) fn is_aggregate(name: &str) -> bool {
    aggregate::by_name(name).is_some()
}
