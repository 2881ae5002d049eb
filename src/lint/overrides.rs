//! An `override` that changes nothing, or that lets through a record the
//! inherited rule would report (with that record as the example).

use std::ops::Bound::{Excluded, Included, Unbounded};

use rust_decimal::Decimal;

use super::logic::{truth, Cases, Env};
use crate::analysis::{used_terms, Builder, Cond, Term};
use crate::check::{Function, Override, Rule, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::diagnostic::{Problem, Sources, WarningKind};
use crate::semantics::domain::{Domain, IntervalSet, VarSet};
use crate::semantics::ordinal;
use crate::semantics::value::Scalar;

/// The warning about one override, if any.
pub(super) fn check_override(rules: &RuleSet, o: &Override, sources: &Sources) -> Option<Problem> {
    // A rule that does not type under the rule set's fields is not
    // compared: nothing can be proved about it.
    let (Some(replaced), Some(by)) = (&o.replaced, &o.by) else {
        return None;
    };
    let id = &by.id;
    let inherited_from = sources
        .get(o.replaced_span.source)
        .map_or_else(|| "the file it extends".to_string(), |f| f.name.clone());
    if same_rule(replaced, by) {
        let message =
            format!("`override rule {id}` is identical to the rule it replaces, so it changes nothing");
        return Some(Problem::at(WarningKind::IdenticalOverride, o.span, message).note(
            format!(
                "the inherited rule, in {inherited_from}; remove the override or change what should differ"
            ),
            Some(o.replaced_span),
        ));
    }
    let (record, how) = looser(rules, replaced, by)?;
    let message = format!(
        "`override rule {id}` is looser than the inherited rule: a record with {record} {how} here but is reported by {inherited_from}"
    );
    Some(
        Problem::at(WarningKind::LooserOverride, o.span, message)
            .note("the inherited rule's check", Some(replaced.check.span)),
    )
}

/// A record the old rule reports and the new one lets through, described,
/// and whether the new rule passes it or does not apply to it. Only when
/// both rules are exact comparisons: then the record really exists.
fn looser(rules: &RuleSet, old: &Rule, new: &Rule) -> Option<(String, &'static str)> {
    let mut b = Builder::new(rules);
    let old_when = old.when.as_ref().map(|w| b.cond(w));
    let old_check = b.cond(&old.check);
    let new_when = new.when.as_ref().map(|w| b.cond(w));
    let new_check = b.cond(&new.check);
    if !b.exact() || !b.independent() {
        return None;
    }
    let truth = |cond: &Cond| truth(cond, &b.terms, &b.atoms);
    let applies = |when: &Option<Cond>| when.as_ref().map_or_else(Cases::all, |w| truth(w).t);
    let old_outcome = truth(&old_check);
    let reported = applies(&old_when).and(&old_outcome.f.or(&old_outcome.u));
    let passes = reported.and(&applies(&new_when).and(&truth(&new_check).t));
    let (found, how) = if passes.is_empty() {
        let not_applied = match &new_when {
            Some(w) => {
                let w = truth(w);
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
        (Some(a), Some(b)) => same_expr(a, b),
        _ => false,
    };
    let shown: Vec<usize> = match (&new_when, same_when) {
        (Some(w), true) => {
            let when_terms = used_terms(w, &b.atoms);
            let mut checks = used_terms(&old_check, &b.atoms);
            checks.extend(used_terms(&new_check, &b.atoms));
            (0..b.terms.len())
                .filter(|v| checks.contains(v) || !when_terms.contains(v))
                .collect()
        }
        _ => (0..b.terms.len()).collect(),
    };
    let mut envs = found.0;
    // A record with values reads better than one without them.
    envs.sort_by_key(|env| env.values().filter(|s| s.values.is_empty()).count());
    let record = envs.iter().find_map(|env| describe(env, &b.terms, &shown))?;
    Some((record, how))
}

/// "arrival 07:45", "role \"civil_servant\" and without arrival".
fn describe(env: &Env, terms: &[Term], shown: &[usize]) -> Option<String> {
    let mut with = Vec::new();
    let mut without = Vec::new();
    for (var, set) in env {
        let info = &terms[*var];
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
/// term is missing; `None` when no value can be shown for sure.
fn pick(term: &Term, set: &VarSet) -> Option<Option<String>> {
    if set.values.is_empty() {
        return set.missing.then_some(None);
    }
    let shown = match &set.values {
        Domain::Ordinal(r) => {
            let scalar = term.ty?.scalar()?;
            ordinal::value_at(scalar, pick_ordinal(r, scalar)?)?.to_string()
        }
        Domain::Decimal(r) => pick_decimal(r)?.normalize().to_string(),
        Domain::Text(r) => format!("{:?}", pick_string(r)?),
        Domain::Any | Domain::Nothing => return None,
    };
    Some(Some(shown))
}

/// The middle of the first interval (on a whole minute for times and
/// durations), or its finite end, counted in whole units of the type
/// (seconds for times and durations) where the interval holds one.
fn pick_ordinal(r: &IntervalSet<i128>, scalar: Scalar) -> Option<i128> {
    let part = r.parts().first()?;
    let step = ordinal::step(scalar);
    // The interval in whole steps; in ordinals if it holds no whole step.
    let (lo, hi, step) = match (&part.lo, &part.hi) {
        (Included(lo), Included(hi)) if ceil_div(*lo, step) <= hi.div_euclid(step) => {
            (Included(ceil_div(*lo, step)), Included(hi.div_euclid(step)), step)
        }
        (Included(lo), Unbounded) => (Included(ceil_div(*lo, step)), Unbounded, step),
        (Unbounded, Included(hi)) => (Unbounded, Included(hi.div_euclid(step)), step),
        (lo, hi) => (*lo, *hi, 1),
    };
    let candidate = match (lo, hi) {
        (Included(lo), Included(hi)) => {
            let mid = (lo + hi) / 2;
            let minute = mid - mid.rem_euclid(60);
            if step > 1 && minute >= lo {
                minute
            } else {
                mid
            }
        }
        (Included(lo), _) => lo,
        (_, Included(hi)) => hi,
        _ => 0,
    }
    .checked_mul(step)?;
    r.contains(&candidate).then_some(candidate)
}

/// The least whole number of steps at or above `x`.
fn ceil_div(x: i128, step: i128) -> i128 {
    -(x.saturating_neg().div_euclid(step))
}

fn pick_decimal(r: &IntervalSet<Decimal>) -> Option<Decimal> {
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

fn pick_string(r: &IntervalSet<String>) -> Option<String> {
    let part = r.parts().first()?;
    let mut candidates = Vec::new();
    if let Included(s) | Excluded(s) = &part.lo {
        candidates.push(s.clone());
        candidates.push(format!("{s}x"));
    }
    candidates.extend(["khác".to_string(), String::new(), "x".to_string()]);
    candidates.into_iter().find(|c| r.contains(c))
}

// --- Comparing typed rules, spans aside -------------------------------------

/// The same clauses, ignoring where they were written, how literals were
/// spelt (`7:30`, `07:30`) and parentheses; an absent severity is `major`.
pub(super) fn same_rule(a: &Rule, b: &Rule) -> bool {
    let expr = |c: &Option<TypedExpr>, d: &Option<TypedExpr>| match (c, d) {
        (None, None) => true,
        (Some(c), Some(d)) => same_expr(c, d),
        _ => false,
    };
    a.title == b.title
        && a.severity == b.severity
        && a.reference == b.reference
        && a.message == b.message
        && expr(&a.when, &b.when)
        && same_expr(&a.check, &b.check)
}

pub(super) fn same_expr(a: &TypedExpr, b: &TypedExpr) -> bool {
    use TypedKind as K;
    let all = |x: &[TypedExpr], y: &[TypedExpr]| {
        x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_expr(x, y))
    };
    a.ty == b.ty
        && match (&a.kind, &b.kind) {
            (K::Literal(x), K::Literal(y)) => x == y,
            (K::Field(x), K::Field(y)) => x == y,
            (K::Call(f, x), K::Call(g, y)) => same_function(f, g) && all(x, y),
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
            (K::Predicate(p, x), K::Predicate(q, y)) => p == q && x == y,
            _ => false,
        }
}

fn same_function(f: &Function, g: &Function) -> bool {
    f.builtin == g.builtin
        && f.pattern.as_ref().map(regex::Regex::as_str) == g.pattern.as_ref().map(regex::Regex::as_str)
}

fn same_set(a: &TypedSet, b: &TypedSet) -> bool {
    match (a, b) {
        (TypedSet::List(x), TypedSet::List(y)) => x == y,
        (TypedSet::Range(a, b), TypedSet::Range(c, d)) => a == c && b == d,
        (TypedSet::Field(x), TypedSet::Field(y)) => x == y,
        _ => false,
    }
}
