//! An `override` that changes nothing, or that lets through a record the
//! inherited rule would report (with that record as the example).

use std::ops::Bound::{Excluded, Included, Unbounded};

use rust_decimal::Decimal;

use super::conditions::used_vars;
use super::intervals::{Ranges, Values, VarSet};
use super::logic::{truth, Cases, Cond, Env, Var};
use super::terms::{int_value, Builder};
use crate::check::{Override, RuleSet};
use crate::diagnostic::{Problem, Sources, WarningKind};
use crate::semantics::value::Type;
use crate::syntax::{Clause, Expr, ExprKind, InSet, RuleDef, StrLit};

/// The warning about one override, if any.
pub(super) fn check_override(rules: &RuleSet, o: &Override, sources: &Sources) -> Option<Problem> {
    let id = &o.by.id.name;
    let inherited_from = sources
        .get(o.replaced.id.span.source)
        .map_or_else(|| "the file it extends".to_string(), |f| f.name.clone());
    if same_rule(&o.replaced, &o.by) {
        let message =
            format!("`override rule {id}` is identical to the rule it replaces, so it changes nothing");
        return Some(
            Problem::at(WarningKind::IdenticalOverride, o.by.id.span, message).note(
                format!(
                "the inherited rule, in {inherited_from}; remove the override or change what should differ"
            ),
                Some(o.replaced.id.span),
            ),
        );
    }
    let (record, how) = looser(rules, &o.replaced, &o.by)?;
    let message = format!(
        "`override rule {id}` is looser than the inherited rule: a record with {record} {how} here but is reported by {inherited_from}"
    );
    Some(
        Problem::at(WarningKind::LooserOverride, o.by.id.span, message)
            .note("the inherited rule's check", Some(o.replaced.check.value.span)),
    )
}

/// A record the old rule reports and the new one lets through, described,
/// and whether the new rule passes it or does not apply to it. Only when
/// both rules are exact comparisons: then the record really exists.
fn looser(rules: &RuleSet, old: &RuleDef, new: &RuleDef) -> Option<(String, &'static str)> {
    let mut b = Builder::new(rules);
    let old_when = old.when.as_ref().map(|w| b.syntax(&w.value));
    let old_check = b.syntax(&old.check.value);
    let new_when = new.when.as_ref().map(|w| b.syntax(&w.value));
    let new_check = b.syntax(&new.check.value);
    if !b.exact || !b.independent() {
        return None;
    }
    let applies = |when: &Option<Cond>| when.as_ref().map_or_else(Cases::all, |w| truth(w, &b.vars).t);
    let old_outcome = truth(&old_check, &b.vars);
    let reported = applies(&old_when).and(&old_outcome.f.or(&old_outcome.u));
    let passes = reported.and(&applies(&new_when).and(&truth(&new_check, &b.vars).t));
    let (found, how) = if passes.is_empty() {
        let not_applied = match &new_when {
            Some(w) => {
                let w = truth(w, &b.vars);
                w.f.or(&w.u)
            }
            None => Cases::none(),
        };
        (reported.and(&not_applied), "is not checked")
    } else {
        (passes, "passes")
    };
    // Where both rules apply alike, the `when` need not be shown.
    let same_when = match (&old.when, &new.when) {
        (None, None) => true,
        (Some(a), Some(b)) => same_expr(&a.value, &b.value),
        _ => false,
    };
    let shown: Vec<usize> = match (&new_when, same_when) {
        (Some(w), true) => {
            let when_vars = used_vars(w);
            let mut checks = used_vars(&old_check);
            checks.extend(used_vars(&new_check));
            (0..b.vars.len())
                .filter(|v| checks.contains(v) || !when_vars.contains(v))
                .collect()
        }
        _ => (0..b.vars.len()).collect(),
    };
    let mut envs = found.0;
    // A record with values reads better than one without them.
    envs.sort_by_key(|env| env.values().filter(|s| s.values.is_empty()).count());
    let record = envs.iter().find_map(|env| describe(env, &b.vars, &shown))?;
    Some((record, how))
}

/// "arrival 07:45", "role \"civil_servant\" and without arrival".
fn describe(env: &Env, vars: &[Var], shown: &[usize]) -> Option<String> {
    let mut with = Vec::new();
    let mut without = Vec::new();
    for (var, set) in env {
        let info = &vars[*var];
        let value = pick(info, set)?;
        if !shown.contains(var) {
            continue;
        }
        match value {
            Some(v) => with.push(format!("{} {v}", info.key)),
            None => without.push(info.key.clone()),
        }
    }
    match (with.is_empty(), without.is_empty()) {
        (true, true) => None,
        (false, true) => Some(with.join(", ")),
        (true, false) => Some(format!("no {}", without.join(", no "))),
        (false, false) => Some(format!("{} and no {}", with.join(", "), without.join(", no "))),
    }
}

/// A value of the set, shown as in a rules file; `Some(None)` when the
/// variable is missing; `None` when no value can be shown for sure.
fn pick(var: &Var, set: &VarSet) -> Option<Option<String>> {
    if set.values.is_empty() {
        return set.missing.then_some(None);
    }
    let shown = match &set.values {
        Values::Int(r) => int_value(var.ty, pick_int(r, var.ty)?)?.to_string(),
        Values::Dec(r) => pick_decimal(r)?.normalize().to_string(),
        Values::Str(r) => format!("{:?}", pick_string(r)?),
        Values::Any | Values::Nothing => return None,
    };
    Some(Some(shown))
}

/// The middle of the first interval (on a whole minute for times), or its
/// finite end.
fn pick_int(r: &Ranges<i64>, ty: Option<Type>) -> Option<i64> {
    let part = r.parts().first()?;
    let candidate = match (&part.lo, &part.hi) {
        (Included(lo), Included(hi)) => {
            let mid = i64::try_from((i128::from(*lo) + i128::from(*hi)) / 2).ok()?;
            let minute = mid - mid.rem_euclid(60);
            if matches!(ty, Some(Type::TIME | Type::DURATION)) && minute >= *lo {
                minute
            } else {
                mid
            }
        }
        (Included(lo), _) => *lo,
        (_, Included(hi)) => *hi,
        _ => 0,
    };
    r.contains(&candidate).then_some(candidate)
}

fn pick_decimal(r: &Ranges<Decimal>) -> Option<Decimal> {
    let part = r.parts().first()?;
    let candidate = match (&part.lo, &part.hi) {
        (Included(lo) | Excluded(lo), Included(hi) | Excluded(hi)) => (*lo + *hi) / Decimal::TWO,
        (Included(lo), Unbounded) => *lo,
        (Excluded(lo), Unbounded) => *lo + Decimal::ONE,
        (Unbounded, Included(hi)) => *hi,
        (Unbounded, Excluded(hi)) => *hi - Decimal::ONE,
        (Unbounded, Unbounded) => Decimal::ZERO,
    };
    r.contains(&candidate).then_some(candidate)
}

fn pick_string(r: &Ranges<String>) -> Option<String> {
    let part = r.parts().first()?;
    let mut candidates = Vec::new();
    if let Included(s) | Excluded(s) = &part.lo {
        candidates.push(s.clone());
        candidates.push(format!("{s}x"));
    }
    candidates.extend(["khác".to_string(), String::new(), "x".to_string()]);
    candidates.into_iter().find(|c| r.contains(c))
}

// --- Comparing rules as written, spans aside ---------------------------------

/// The same clauses, ignoring where they were written, how literals were
/// spelt (`7:30`, `07:30`) and parentheses; an absent severity is `major`.
pub(super) fn same_rule(a: &RuleDef, b: &RuleDef) -> bool {
    let text = |c: &Option<Clause<StrLit>>| c.as_ref().map(|c| c.value.value.clone());
    let expr = |c: &Option<Clause<Expr>>, d: &Option<Clause<Expr>>| match (c, d) {
        (None, None) => true,
        (Some(c), Some(d)) => same_expr(&c.value, &d.value),
        _ => false,
    };
    text(&a.title) == text(&b.title)
        && a.severity() == b.severity()
        && text(&a.reference) == text(&b.reference)
        && text(&a.message) == text(&b.message)
        && expr(&a.when, &b.when)
        && same_expr(&a.check.value, &b.check.value)
}

pub(super) fn same_expr(a: &Expr, b: &Expr) -> bool {
    use ExprKind as K;
    match (&a.kind, &b.kind) {
        (K::Paren(x), _) => same_expr(x, b),
        (_, K::Paren(y)) => same_expr(a, y),
        (K::Literal(x), K::Literal(y)) => x.value == y.value,
        (K::Field(x), K::Field(y)) => x.segments == y.segments,
        (K::Call { name: n, args: x }, K::Call { name: m, args: y }) => {
            n.name == m.name && x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_expr(x, y))
        }
        (K::Neg(x), K::Neg(y)) | (K::Not(x), K::Not(y)) => same_expr(x, y),
        (
            K::Binary {
                op: o,
                lhs: l1,
                rhs: r1,
            },
            K::Binary {
                op: p,
                lhs: l2,
                rhs: r2,
            },
        ) => o == p && same_expr(l1, l2) && same_expr(r1, r2),
        (
            K::In {
                negated: n1,
                element: e1,
                set: s1,
            },
            K::In {
                negated: n2,
                element: e2,
                set: s2,
            },
        ) => n1 == n2 && same_expr(e1, e2) && same_set(s1, s2),
        (
            K::Predicate {
                predicate: p,
                operand: x,
            },
            K::Predicate {
                predicate: q,
                operand: y,
            },
        ) => p == q && same_expr(x, y),
        _ => false,
    }
}

fn same_set(a: &InSet, b: &InSet) -> bool {
    match (a, b) {
        (InSet::List { items: x, .. }, InSet::List { items: y, .. }) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| x.value == y.value)
        }
        (InSet::Range { low: a, high: b }, InSet::Range { low: c, high: d }) => {
            a.value == c.value && b.value == d.value
        }
        (InSet::Field(x), InSet::Field(y)) => x.segments == y.segments,
        _ => false,
    }
}
