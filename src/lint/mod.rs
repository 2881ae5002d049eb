//! Warnings about rules that compile but probably do not say what their
//! author meant. Lint reads the checked rule set (with, for overrides,
//! the replaced rules typed too); nothing earlier in the pipeline depends
//! on it.
//!
//! - a rule whose `when` can never hold, or whose `check` can never hold,
//!   can never fail, or always holds (`conditions.rs`), decided by
//!   reasoning over the conditions of `analysis` with intervals
//!   and finite sets (`logic.rs`), never by trying values: a warning is a
//!   proof;
//! - a declared field that nothing uses; a field used once whose name is
//!   close to a field used elsewhere (`arival` beside `arrival`);
//! - an `override` identical to the rule it replaces, or looser than it,
//!   with a record that shows it (`overrides.rs`).
//!
//! Only what is written in the file being linted is reported: a province
//! file is not warned about the national file it extends (lint that one on
//! its own).

mod conditions;
mod logic;
mod overrides;

use crate::check::{FieldId, KeyExpr, MessagePart, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::diagnostic::SourceId;
use crate::diagnostic::{closest, CompileError, Diagnostic, Problem, Sources, WarningKind};
use crate::load::Loader;
use crate::Program;

/// The warnings about the rules file `program` was compiled from (what it
/// extends is only context), ordered by place; `sources` are the texts
/// read when compiling it ([`Program::compile_with_sources`]).
///
/// ```
/// use civrules::{MemoryLoader, Program, Sources, WarningKind, DiagnosticKind};
///
/// let mut loader = MemoryLoader::new();
/// loader.insert("gio.rules", "field z: int\nrule on_time: arrival <= 07:30\n");
/// let mut sources = Sources::default();
/// let program = Program::compile_with_sources(&loader, "gio.rules", &mut sources)?;
/// let warnings = civrules::lint::lint(&program, &sources);
/// assert_eq!(warnings[0].kind, DiagnosticKind::Warning(WarningKind::UnusedField));
/// # Ok::<(), civrules::CompileError>(())
/// ```
pub fn lint(program: &Program, sources: &Sources) -> Vec<Diagnostic> {
    lint_rules(program.ruleset(), sources)
}

fn lint_rules(rules: &RuleSet, sources: &Sources) -> Vec<Diagnostic> {
    let root = rules.root;
    let mut problems: Vec<Problem> = Vec::new();
    for rule in rules.rules.iter().filter(|r| r.span.source == root) {
        problems.extend(conditions::check_rule(rules, rule));
    }
    for o in rules.overrides.iter().filter(|o| o.span.source == root) {
        problems.extend(overrides::check_override(rules, o, sources));
    }
    let uses = field_uses(rules);
    problems.extend(unused_fields(rules, &uses, root));
    problems.extend(misspelt_fields(rules, &uses, root));
    problems.sort_by_key(|p| p.span.map(|s| (s.start, s.end)));
    problems.into_iter().map(|p| p.into_diagnostic(sources)).collect()
}

/// Compiles the rules file `root` through `loader` and lints it: the
/// compile errors, or the warnings.
///
/// ```
/// let mut loader = civrules::MemoryLoader::new();
/// loader.insert("gio.rules", "rule on_time: arrival <= 07:30 and arrival > 08:00\n");
/// let warnings = civrules::lint::lint_file(&loader, "gio.rules")?;
/// assert_eq!(warnings.len(), 1);
/// assert!(warnings[0].message.contains("can never hold"));
/// # Ok::<(), civrules::CompileError>(())
/// ```
pub fn lint_file(loader: &dyn Loader, root: &str) -> Result<Vec<Diagnostic>, CompileError> {
    let mut sources = Sources::default();
    let rules = crate::check::check(loader, &mut sources, root)?;
    Ok(lint_rules(&rules, &sources))
}

/// How many times each field is named in a `when`, a `check`, a message or
/// the key (declarations do not count).
fn field_uses(rules: &RuleSet) -> Vec<usize> {
    fn walk(expr: &TypedExpr, uses: &mut [usize]) {
        let mut count = |id: FieldId| uses[id.0 as usize] += 1;
        match &expr.kind {
            TypedKind::Field(id) | TypedKind::Predicate(_, id) => count(*id),
            TypedKind::In { element, set, .. } => {
                if let TypedSet::Field(id) = set {
                    count(*id);
                }
                walk(element, uses);
            }
            TypedKind::Call(_, args) => args.iter().for_each(|a| walk(a, uses)),
            TypedKind::Neg(x) | TypedKind::Not(x) => walk(x, uses),
            TypedKind::Binary { lhs, rhs, .. } => {
                walk(lhs, uses);
                walk(rhs, uses);
            }
            TypedKind::Literal(_) | TypedKind::GroupKey { .. } | TypedKind::Aggregate { .. } => {}
        }
    }
    let mut uses = vec![0; rules.fields.len()];
    for rule in &rules.rules {
        if let Some(when) = &rule.when {
            walk(when, &mut uses);
        }
        walk(&rule.check, &mut uses);
        if let Some(group) = &rule.group {
            for key in &group.per {
                match &key.key {
                    KeyExpr::Field(id) => uses[id.0 as usize] += 1,
                    KeyExpr::Expr(e) => walk(e, &mut uses),
                }
            }
            for arg in group.aggregates.iter().filter_map(|a| a.arg.as_ref()) {
                walk(arg, &mut uses);
            }
        }
        for part in rule.message.iter().flat_map(|m| &m.parts) {
            if let MessagePart::Field(id) = part {
                uses[id.0 as usize] += 1;
            }
        }
    }
    if let Some(key) = rules.key {
        uses[key.0 as usize] += 1;
    }
    uses
}

fn unused_fields<'a>(
    rules: &'a RuleSet,
    uses: &'a [usize],
    root: SourceId,
) -> impl Iterator<Item = Problem> + 'a {
    let used = move |i: usize| uses[i] > 0;
    rules
        .fields
        .iter()
        .enumerate()
        .filter(move |(i, f)| f.declared && !used(*i) && f.span.source == root)
        .map(move |(_, f)| {
            let ty = f.ty.map_or_else(String::new, |t| format!(" as {t}"));
            let mut problem = Problem::at(
WarningKind::UnusedField,
                f.span,
                format!("field `{}` is declared{ty} but no rule, message or key uses it", f.name),
            );
            let others = rules.fields.iter().enumerate().filter(|(i, _)| used(*i));
            if let Some(near) = closest(&f.name, others.map(|(_, g)| g.name.as_str())) {
                problem = problem.note(format!("did you mean `{near}`?"), None);
            } else {
                problem = problem.note(
                    "its values are still read, and one that is not of its type is a data error; remove the declaration if no rule needs the field",
                    None,
                );
            }
            problem
        })
}

/// A field named once, close to a field that is named more often (or
/// declared and named): most likely a typo of it.
fn misspelt_fields<'a>(
    rules: &'a RuleSet,
    uses: &'a [usize],
    root: SourceId,
) -> impl Iterator<Item = Problem> + 'a {
    rules
        .fields
        .iter()
        .enumerate()
        .filter(move |(i, f)| uses[*i] == 1 && !f.declared && f.span.source == root)
        .filter_map(move |(i, f)| {
            let others = rules
                .fields
                .iter()
                .enumerate()
                .filter(|(j, g)| *j != i && uses[*j] >= if g.declared { 1 } else { 2 })
                .map(|(_, g)| g.name.as_str());
            let near = closest(&f.name, others)?;
            Some(Problem::at(
                WarningKind::MisspeltField,
                f.span,
                format!(
                    "field `{}` is used only here, but `{near}` is used elsewhere: did you mean `{near}`?",
                    f.name
                ),
            ))
        })
}

#[cfg(test)]
mod tests;
