//! A rule whose `when` can never hold, or whose `check` can never hold,
//! never fail, or always holds, decided over the interval domain.
//!
//! With three-valued logic a `check` has three sets of records: true
//! (pass), false (violation, `failed`) and unknown (violation, `missing`).
//! Only records the rule applies to (its `when` is true) count:
//! - no record makes it true: it **can never hold**, every record it
//!   applies to is reported;
//! - no record makes it false, but some make it unknown: it **can never
//!   fail**, the rule reports only records where a field it reads is
//!   missing;
//! - no record makes it false or unknown: it **always holds**, the rule
//!   never reports anything.

use super::logic::{truth, Cases};
use crate::analysis::{used_terms, Builder, Cond};
use crate::check::{Rule, RuleSet};
use crate::diagnostic::{Problem, WarningKind};

/// The warnings about one rule's `when` and `check`.
pub(super) fn check_rule(rules: &RuleSet, rule: &Rule) -> Option<Problem> {
    let mut builder = Builder::new(rules);
    let when = rule.when.as_ref().map(|w| (w.span, builder.cond(w)));
    let check = builder.cond(&rule.check);
    let (terms, atoms) = (&builder.terms, &builder.atoms);
    let id = &rule.id;
    let applies = match &when {
        Some((span, cond)) => {
            let applies = truth(cond, terms, atoms).t;
            if applies.is_empty() {
                let message = format!("rule `{id}`: this `when` can never hold, so the rule never applies");
                return Some(
                    Problem::at(WarningKind::WhenNeverHolds, *span, message)
                        .note(no_value(cond, &builder), None),
                );
            }
            applies
        }
        None => Cases::all(),
    };
    let outcomes = truth(&check, terms, atoms);
    let span = rule.check.span;
    if applies.and(&outcomes.t).is_empty() {
        let problem = if outcomes.t.is_empty() || when.is_none() {
            Problem::at(
WarningKind::CheckNeverHolds,
                span,
                format!("rule `{id}`: this `check` can never hold, so every record the rule applies to is reported"),
            )
            .note(no_value(&check, &builder), None)
        } else {
            Problem::at(
WarningKind::CheckNeverHolds,
                span,
                format!("rule `{id}`: this `check` can never hold where the rule applies, so every record it applies to is reported"),
            )
            .note("no record that meets the `when` meets the `check`", rule.when.as_ref().map(|w| w.span))
        };
        return Some(problem);
    }
    if !applies.and(&outcomes.f).is_empty() {
        return None;
    }
    let unknown = applies.and(&outcomes.u);
    if unknown.is_empty() {
        let message = format!("rule `{id}`: this `check` always holds, so the rule never reports a record");
        return Some(Problem::at(WarningKind::CheckAlwaysHolds, span, message).note(
            "no record, whatever its values and whichever fields it lacks, fails it",
            None,
        ));
    }
    let missing = missing_fields(&unknown, &builder);
    let message = format!(
        "rule `{id}`: this `check` can never fail: it holds for every value of {}, so the rule reports only records where {} missing",
        names(&used_terms(&check, atoms), &builder),
        if missing.len() == 1 {
            format!("{} is", missing[0])
        } else {
            format!("one of {} is", missing.join(", "))
        }
    );
    Some(Problem::at(WarningKind::CheckNeverFails, span, message).note(
        "a `check` states what a compliant record looks like; check the operators (`and`/`or`, `<`/`>`) and the constants",
        None,
    ))
}

fn no_value(cond: &Cond, builder: &Builder<'_>) -> String {
    let vars = used_terms(cond, &builder.atoms);
    if vars.is_empty() {
        return "it is false for every record".into();
    }
    let what = if vars.len() == 1 { "value" } else { "values" };
    format!(
        "no {what} of {} can make it true; check the operators (`and`/`or`, `<`/`>`) and the constants",
        names(&vars, builder)
    )
}

fn names(vars: &[usize], builder: &Builder<'_>) -> String {
    let names: Vec<String> = vars
        .iter()
        .map(|v| format!("`{}`", builder.terms[*v].key))
        .collect();
    match names.split_last() {
        None => "its fields".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The variables that are missing in some record that makes a check unknown.
fn missing_fields(unknown: &Cases, builder: &Builder<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for env in &unknown.0 {
        for (var, set) in env {
            let name = format!("`{}`", builder.terms[*var].key);
            if set.missing && set.values.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    if out.is_empty() {
        out.push("a field it reads".into());
    }
    out
}
