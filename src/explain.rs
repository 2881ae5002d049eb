//! Why a rule fired, or did not, for one record (`civrules explain`).
//!
//! Each rule's outcome, the record's values of the fields it reads, and the
//! value of every condition in its `when` and `check` — true, false or
//! unknown, with the operands — down to the comparison that decided it,
//! with the boundary that would have passed ("arrival 07:42 > 07:30: passes
//! at or before 07:30"). It shows the evaluator's own walk of each rule
//! (the truths and values an `eval::Trace` is told), in the words of the
//! checked rules each compiled node came from (`compile::origin`): what
//! was not evaluated is what the walk did not reach.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;

use crate::check::display::{literal as shown, Shown};
use crate::check::{Field, FieldId, Rule, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::checker::Captured;
pub use crate::checker::{Capture, NoKeyDeclared, Selection};
use crate::compile::origin::{parts, Parts, Side};
use crate::compile::{CompiledRule, Node};
use crate::eval::group::{place, Entered, Placed};
use crate::eval::{self, Evaluator, Judged, Outcome, Reason, Trace, Valued};
use crate::semantics::aggregate::{GroupKey, GroupKeyRef};
use crate::semantics::cell::Cell;
use crate::semantics::logic::Kleene;
use crate::semantics::ops::BinaryOp;
use crate::semantics::value::{Scalar, Type, Value};
use crate::{Program, Record};

/// `--rule` named no rule of the program.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no rule is called `{rule}`{hint}")]
pub struct UnknownRule {
    /// The id asked for.
    pub rule: String,
    hint: String,
}

/// Explains the outcome of each rule (or of `only` the one named) for
/// `record`, the record numbered `number`.
///
/// ```
/// let program = civrules::Program::from_source("t.rules", "rule on_time: arrival <= 07:30")?;
/// let json = serde_json::json!({"arrival": "07:42"});
/// let record = program.record_from_json(&json).unwrap();
/// let text = civrules::explain::explain(&program, &record, 1, None).unwrap();
/// assert!(text.contains("arrival 07:42 > 07:30: passes at or before 07:30"));
/// # Ok::<(), civrules::CompileError>(())
/// ```
pub fn explain(
    program: &Program,
    record: &Record<'_>,
    number: u64,
    only: Option<&str>,
) -> Result<String, ExplainError> {
    explain_checked(program, record, number, only, &[], &GroupOutcomes::default())
}

/// The outcome of every group of every group rule (§9), judged once the
/// whole input has been checked, for [`explain_capture_grouped`] to show
/// beside a record the outcome of each group it is in.
#[derive(Debug, Default)]
pub struct GroupOutcomes {
    /// By rule index, by the groups' `per` values.
    judged: HashMap<usize, indexmap::IndexMap<GroupKey, JudgedGroupText>>,
    judged_at_all: bool,
}

#[derive(Debug)]
struct JudgedGroupText {
    outcome: Outcome,
    records: u64,
    values: Vec<(String, Option<Value>)>,
}

impl GroupOutcomes {
    /// Judges the groups `checker` kept (it keeps none afterwards: call
    /// this once every record has been checked, instead of
    /// [`crate::Checker::finish_groups`]).
    pub fn judge(checker: &mut crate::Checker<'_>) -> GroupOutcomes {
        let program = checker.program();
        let mut judged = HashMap::new();
        for group in checker.judge_groups() {
            let Some(plan) = &program.rules[group.rule].group else {
                continue;
            };
            let values = plan
                .aggregates
                .iter()
                .zip(&group.judged.values)
                .map(|(a, v)| (a.text.clone(), v.clone()))
                .collect();
            judged
                .entry(group.rule)
                .or_insert_with(indexmap::IndexMap::new)
                .insert(
                    group.key,
                    JudgedGroupText {
                        outcome: group.judged.outcome,
                        records: group.state.total,
                        values,
                    },
                );
        }
        GroupOutcomes {
            judged,
            judged_at_all: true,
        }
    }
}

/// [`explain`] of a record on which the rules `unchecked` were not checked.
fn explain_checked(
    program: &Program,
    record: &Record<'_>,
    number: u64,
    only: Option<&str>,
    unchecked: &[u32],
    groups: &GroupOutcomes,
) -> Result<String, ExplainError> {
    let rules = program.ruleset();
    if let Some(id) = only {
        if !rules.rules.iter().any(|r| r.id == id) {
            let hint = crate::diagnostic::closest(id, rules.rules.iter().map(|r| r.id.as_str()))
                .map_or_else(String::new, |near| format!("; did you mean `{near}`?"));
            return Err(ExplainError::UnknownRule(UnknownRule {
                rule: id.to_string(),
                hint,
            }));
        }
    }
    let record = record.of(&program.schema)?;
    let mut out = format!("record {number}");
    if let Some(key) = rules.key.and_then(|k| record.cell(k.0 as usize).to_value()) {
        let _ = write!(out, " (key {key})");
    }
    out.push('\n');
    for (index, (rule, compiled)) in rules.rules.iter().zip(&program.rules).enumerate() {
        if only.is_some_and(|id| id != rule.id) {
            continue;
        }
        let explainer = Explainer {
            rules,
            record,
            recorder: Recorder::default(),
        };
        let not_checked = unchecked.iter().any(|&u| u as usize == index);
        if let Some(plan) = &compiled.group {
            out.push('\n');
            explainer.group_rule(rule, compiled, plan, index, not_checked, groups, &mut out);
            continue;
        }
        let outcome = if not_checked {
            Outcome::NotChecked
        } else {
            eval::traced(compiled, record, &explainer.recorder)
        };
        out.push('\n');
        explainer.rule(rule, compiled, &outcome, &mut out);
    }
    Ok(out)
}

/// Explains a record that could not be read as an object.
pub fn explain_not_a_record(number: u64, why: &str) -> String {
    format!("record {number}\n\nnot checked: {why}\n")
}

impl Selection {
    /// Reads `--record`: only digits is a record number, anything else a
    /// key value (a key that is all digits needs [`Selection::Key`]).
    ///
    /// ```
    /// use civrules::explain::Selection;
    /// assert_eq!(Selection::parse("12"), Ok(Selection::Number(12)));
    /// assert_eq!(Selection::parse("HT-002"), Ok(Selection::Key("HT-002".into())));
    /// ```
    pub fn parse(text: &str) -> Result<Selection, ExplainError> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Selection::Key(text.to_string()));
        }
        text.parse()
            .map(Selection::Number)
            .map_err(|_| ExplainError::NumberTooLarge(text.to_string()))
    }
}

/// Why `explain` has nothing to show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    /// `--rule` named no rule of the program.
    #[error(transparent)]
    UnknownRule(#[from] UnknownRule),
    /// The record was read by another program.
    #[error(transparent)]
    ForeignRecord(#[from] crate::ForeignRecord),
    /// The data has fewer records than the number asked for.
    #[error("there is no record {number}: the data holds {records}")]
    NoRecord {
        /// The number asked for, from 1.
        number: u64,
        /// How many records the data holds.
        records: u64,
    },
    /// The number asked for does not fit in 64 bits.
    #[error("there is no record {0}: the number is too large")]
    NumberTooLarge(String),
    /// No record has the key value asked for.
    #[error("no record has key {key}{hint}")]
    NoRecordWithKey {
        /// The key value asked for.
        key: String,
        /// A close key value the data holds, as a sentence's end.
        hint: String,
    },
    /// A key value was asked for, and the rules declare no `key`.
    #[error("the rules declare no `key`, so no record can be found by key `{0}`; give a record number")]
    NoKeyDeclared(String),
}

impl From<NoKeyDeclared> for ExplainError {
    fn from(e: NoKeyDeclared) -> ExplainError {
        ExplainError::NoKeyDeclared(e.0)
    }
}

/// Explains each record of `capture` (or only rule `only`) as
/// [`explain`] does, separated by a blank line; `records` is how many
/// records were read, for the error when the number asked for is past them.
pub fn explain_capture(
    program: &Program,
    capture: &Capture,
    only: Option<&str>,
    records: u64,
) -> Result<String, ExplainError> {
    explain_capture_grouped(program, capture, only, records, &GroupOutcomes::default())
}

/// [`explain_capture`], with the outcome of the groups each record is in
/// (for group rules, §9).
pub fn explain_capture_grouped(
    program: &Program,
    capture: &Capture,
    only: Option<&str>,
    records: u64,
    groups: &GroupOutcomes,
) -> Result<String, ExplainError> {
    if capture.kept.is_empty() {
        return Err(match &capture.selection {
            Selection::Number(number) => ExplainError::NoRecord {
                number: *number,
                records,
            },
            Selection::Key(key) => ExplainError::NoRecordWithKey {
                key: key.clone(),
                hint: capture
                    .closest_key()
                    .map_or_else(String::new, |near| format!("; did you mean `{near}`?")),
            },
        });
    }
    let mut texts = Vec::with_capacity(capture.kept.len());
    for ((number, captured), unchecked) in capture.kept.iter().zip(&capture.unchecked) {
        texts.push(match captured {
            Captured::Record(record) => explain_checked(program, record, *number, only, unchecked, groups)?,
            Captured::NotARecord(why) => explain_not_a_record(*number, why),
        });
    }
    Ok(texts.join("\n"))
}

/// What the evaluator's walk of one rule worked out, node by node; a node
/// it did not reach has no entry.
#[derive(Default)]
struct Recorder {
    truths: RefCell<HashMap<*const Node, Result<Kleene, String>>>,
    /// `None` for unknown.
    values: RefCell<HashMap<*const Node, Result<Option<Value>, String>>>,
}

impl Trace for Recorder {
    fn truth(&self, node: &Node, judged: &Judged) {
        let judged = judged.as_ref().map(|k| *k).map_err(|e| e.to_string());
        self.truths
            .borrow_mut()
            .entry(node as *const Node)
            .or_insert(judged);
    }

    fn value(&self, node: &Node, valued: &Valued<'_, '_>) {
        let valued = match valued {
            Ok(cell) => Ok(cell.is_operand().then(|| cell.to_value()).flatten()),
            Err(e) => Err(e.to_string()),
        };
        self.values
            .borrow_mut()
            .entry(node as *const Node)
            .or_insert(valued);
    }
}

/// Explains one rule: the nodes are the program's, borrowed for the whole
/// explanation, so their addresses name them in the recorder.
struct Explainer<'a> {
    rules: &'a RuleSet,
    record: &'a Record<'a>,
    recorder: Recorder,
}

fn outcome_text(outcome: &Outcome, rules: &RuleSet) -> String {
    match outcome {
        Outcome::Pass => "pass".into(),
        Outcome::NotApplicable => "not applicable".into(),
        Outcome::NotChecked => "not checked (its input does not hold every field it reads)".into(),
        Outcome::Violation {
            reason: Reason::Failed,
            ..
        } => "violation (failed)".into(),
        Outcome::Violation { missing, .. } => {
            let names: Vec<&str> = missing.iter().map(|s| rules.fields[*s].name.as_str()).collect();
            format!("violation (missing: {})", names.join(", "))
        }
        Outcome::Error(None) => "error (a field it reads holds a data error)".into(),
        Outcome::Error(Some(e)) => format!("error ({e})"),
    }
}

impl Explainer<'_> {
    fn field(&self, id: FieldId) -> &Field {
        self.rules.field(id)
    }

    fn rule(&self, rule: &Rule, compiled: &CompiledRule, outcome: &Outcome, out: &mut String) {
        let _ = writeln!(out, "rule {}: {}", rule.id, outcome_text(outcome, self.rules));
        if let Some(title) = &rule.title {
            let _ = writeln!(out, "  title  {title}");
        }
        if matches!(outcome, Outcome::NotChecked) {
            // What the input does not hold says nothing about the record.
            return;
        }
        let reads: Vec<String> = rule.reads.iter().map(|id| self.reading(*id)).collect();
        if !reads.is_empty() {
            let _ = writeln!(out, "  reads  {}", reads.join(", "));
        }
        if matches!(outcome, Outcome::Error(None)) {
            return;
        }
        if let (Some(when), Some(node)) = (&rule.when, &compiled.when) {
            self.condition("when ", when, node, 1, out);
            if matches!(outcome, Outcome::NotApplicable) {
                let _ = writeln!(
                    out,
                    "  → `when` does not hold (false or unknown), so the rule does not apply"
                );
                return;
            }
        }
        self.condition("check", &rule.check, &compiled.check, 1, out);
    }

    /// A group rule: the record's `per` values and its group's outcome.
    #[allow(clippy::too_many_arguments)]
    fn group_rule(
        &self,
        rule: &Rule,
        compiled: &CompiledRule,
        plan: &crate::compile::GroupPlan,
        index: usize,
        not_checked: bool,
        groups: &GroupOutcomes,
        out: &mut String,
    ) {
        let per: Vec<&str> = plan.per.iter().map(|k| k.text.as_str()).collect();
        let _ = writeln!(out, "rule {}: group rule, per {}", rule.id, per.join(", "));
        if let Some(title) = &rule.title {
            let _ = writeln!(out, "  title  {title}");
        }
        if not_checked {
            let _ = writeln!(
                out,
                "  → not checked (its input does not hold every field it reads)"
            );
            return;
        }
        let reads: Vec<String> = rule.reads.iter().map(|id| self.reading(*id)).collect();
        if !reads.is_empty() {
            let _ = writeln!(out, "  reads  {}", reads.join(", "));
        }
        if let (Some(when), Some(node)) = (&rule.when, &compiled.when) {
            self.condition("when ", when, node, 1, out);
        }
        let keys = match place(compiled, plan, self.record) {
            Placed::Keys(keys) => keys,
            Placed::Not(Entered::NotApplicable) => {
                let _ = writeln!(
                    out,
                    "  → `when` does not hold (false or unknown), so the record is in no group"
                );
                return;
            }
            Placed::Not(Entered::WhenFault(e)) => {
                let _ = writeln!(out, "  → `when` is an error ({e}), so the record is in no group");
                return;
            }
            Placed::Not(Entered::KeyFault(e)) => {
                let _ = writeln!(
                    out,
                    "  → a `per` value is an error ({e}): in no group, counted in `ungrouped`"
                );
                return;
            }
            Placed::Not(_) => {
                let _ = writeln!(
                    out,
                    "  → a `per` value is missing or a data error: in no group, counted in `ungrouped`"
                );
                return;
            }
        };
        let values: Vec<String> = per
            .iter()
            .zip(&keys)
            .map(|(text, cell)| match cell.to_value() {
                Some(v) => format!("{text} = {}", shown(&v)),
                None => format!("{text} missing"),
            })
            .collect();
        let _ = writeln!(out, "  group  {}", values.join(", "));
        let judged = groups.judged.get(&index).and_then(|g| g.get(&GroupKeyRef(&keys)));
        match judged {
            Some(judged) => {
                let _ = writeln!(
                    out,
                    "  → the group ({} record{}): {}",
                    judged.records,
                    if judged.records == 1 { "" } else { "s" },
                    outcome_text(&judged.outcome, self.rules)
                );
                for (text, value) in &judged.values {
                    let value = value
                        .as_ref()
                        .map_or_else(|| "unknown or not reached".into(), shown);
                    let _ = writeln!(out, "      {text} = {value}");
                }
            }
            None if groups.judged_at_all => {
                let _ = writeln!(out, "  → the group was not judged");
            }
            None => {
                let _ = writeln!(
                    out,
                    "  → its group is judged over the whole input (`civrules explain` reads it all)"
                );
            }
        }
    }

    /// `arrival = 07:42`, `badge_worn missing`, `arrival: data error (…)`.
    fn reading(&self, id: FieldId) -> String {
        let name = &self.field(id).name;
        match self.record.cell(id.0 as usize) {
            Cell::Missing => format!("{name} missing"),
            Cell::Error(e) => format!("{name}: data error ({e})"),
            cell => match cell.to_value() {
                Some(v) => format!("{name} = {}", shown(&v)),
                None => format!("{name} missing"),
            },
        }
    }

    /// The truth of `node` as the walk found it. The walk reaches every
    /// node shown but the check of a rule whose `when` failed with an
    /// error, and the right side of an `and`/`or` whose left side did:
    /// those are walked here, as checking would have walked them.
    fn truth(&self, node: &Node) -> Result<Kleene, String> {
        let recorded = self.recorder.truths.borrow().get(&(node as *const Node)).cloned();
        recorded.unwrap_or_else(|| {
            let judged = self.evaluator().truth(node);
            judged.map_err(|e| e.to_string())
        })
    }

    /// The value of `node` as the walk found it (or, where the walk stopped
    /// at an error before it, as it would have), as text.
    fn value(&self, node: &Node) -> String {
        let recorded = self.recorder.values.borrow().get(&(node as *const Node)).cloned();
        let value = recorded.unwrap_or_else(|| match self.evaluator().value(node) {
            Ok(cell) => Ok(cell.is_operand().then(|| cell.to_value()).flatten()),
            Err(e) => Err(e.to_string()),
        });
        match value {
            Ok(Some(v)) => shown(&v),
            Ok(None) => "unknown".into(),
            Err(err) => format!("error: {err}"),
        }
    }

    fn evaluator(&self) -> Evaluator<'_, '_, &Recorder> {
        Evaluator {
            record: self.record,
            trace: &self.recorder,
        }
    }

    /// The value of one operand: a node's, a field's as the walk reads it,
    /// or a literal as written.
    fn side(&self, side: Side<'_>) -> String {
        match side {
            Side::Node(_, node) => self.value(node),
            Side::Cell(_, slot) => {
                let cell = self.record.cell(slot);
                match cell.is_operand().then(|| cell.to_value()).flatten() {
                    Some(v) => shown(&v),
                    None => "unknown".into(),
                }
            }
            Side::Literal(expr) => match &expr.kind {
                TypedKind::Literal(v) => shown(v),
                _ => self.show(expr),
            },
        }
    }

    /// One line for a condition, then its parts (for `and`/`or`/`not`).
    fn condition(&self, label: &str, expr: &TypedExpr, node: &Node, depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        let truth = match self.truth(node) {
            Ok(Kleene::True) => "true".to_string(),
            Ok(Kleene::False) => "false".to_string(),
            Ok(Kleene::Unknown) => "unknown".to_string(),
            Err(e) => format!("error: {e}"),
        };
        let detail = self.detail(expr, node);
        let _ = write!(out, "{indent}{label} {}  → {truth}", self.show(expr));
        if !detail.is_empty() {
            let _ = write!(out, "  ({detail})");
        }
        out.push('\n');
        if truth == "false" {
            if let Some(hint) = self.boundary(expr) {
                let _ = writeln!(out, "{indent}      {hint}");
            }
        }
        match (&expr.kind, parts(expr, node)) {
            (
                TypedKind::Binary {
                    op: op @ (BinaryOp::And | BinaryOp::Or),
                    ..
                },
                Some(Parts::Both(Side::Node(lhs, left), Side::Node(rhs, right))),
            ) => {
                let word = if *op == BinaryOp::And { "and" } else { "or" };
                self.condition("·", lhs, left, depth + 1, out);
                // The walk did not reach the right side: the left one
                // settled the result.
                let reached = self
                    .recorder
                    .truths
                    .borrow()
                    .contains_key(&(right as *const Node));
                let settled = matches!(
                    self.truth(left),
                    Ok(k) if if *op == BinaryOp::And { k.settles_and() } else { k.settles_or() }
                );
                if !reached && settled {
                    let _ = writeln!(
                        out,
                        "{indent}  · {} — not evaluated: `{word}` is settled by its left side",
                        self.show(rhs)
                    );
                } else {
                    self.condition("·", rhs, right, depth + 1, out);
                }
            }
            (TypedKind::Not(_), Some(Parts::One(Side::Node(inner, node)))) => {
                self.condition("·", inner, node, depth + 1, out)
            }
            _ => {}
        }
    }

    /// The operands' values of a comparison, membership or predicate, and
    /// which fields are missing.
    fn detail(&self, expr: &TypedExpr, node: &Node) -> String {
        let mut missing = Vec::new();
        self.missing(expr, &mut missing);
        let missing = if missing.is_empty() {
            String::new()
        } else {
            format!("missing: {}", missing.join(", "))
        };
        let operands = match (&expr.kind, parts(expr, node)) {
            (TypedKind::Binary { op, .. }, Some(Parts::Compared(lhs, rhs))) => {
                format!("{} {} {}", self.side(lhs), op.as_str(), self.side(rhs))
            }
            (TypedKind::In { .. }, Some(Parts::Member(element))) => {
                format!("{} is {}", self.show(element.expr()), self.side(element))
            }
            (TypedKind::Predicate(_, id), _) => self.reading(*id),
            (TypedKind::Call(..) | TypedKind::Field(_), _) => self.value(node),
            _ => String::new(),
        };
        match (operands.is_empty(), missing.is_empty()) {
            (false, false) => format!("{operands}; {missing}"),
            (false, true) => operands,
            (true, _) => missing,
        }
    }

    /// The missing fields that `expr` reads as an operand (not through a
    /// condition of its own), in order of first appearance.
    fn missing(&self, expr: &TypedExpr, out: &mut Vec<String>) {
        let note = |id: FieldId, out: &mut Vec<String>| {
            let name = self.field(id).name.clone();
            let absent = matches!(self.record.cell(id.0 as usize), Cell::Missing | Cell::Error(_));
            if absent && !out.contains(&name) {
                out.push(name);
            }
        };
        match &expr.kind {
            TypedKind::Field(id) => note(*id, out),
            TypedKind::Binary { op, lhs, rhs } if !matches!(op, BinaryOp::And | BinaryOp::Or) => {
                self.missing(lhs, out);
                self.missing(rhs, out);
            }
            TypedKind::Neg(x) => self.missing(x, out),
            TypedKind::Call(_, args) => args.iter().for_each(|a| self.missing(a, out)),
            TypedKind::In { element, set, .. } => {
                self.missing(element, out);
                if let TypedSet::Field(id) = set {
                    note(*id, out);
                }
            }
            _ => {}
        }
    }

    /// For a failed `field OP literal`: the values that would have passed.
    fn boundary(&self, expr: &TypedExpr) -> Option<String> {
        let TypedKind::Binary { op, lhs, rhs } = &expr.kind else {
            return None;
        };
        let (field, literal, op) = match (&lhs.kind, &rhs.kind) {
            (TypedKind::Field(f), TypedKind::Literal(v)) => (*f, v, *op),
            (TypedKind::Literal(v), TypedKind::Field(f)) => (*f, v, op.flipped()),
            _ => return None,
        };
        let value = self.record.cell(field.0 as usize).to_value()?;
        let name = &self.field(field).name;
        let temporal = matches!(lhs.ty, Type::Scalar(Scalar::Time | Scalar::Date))
            || matches!(rhs.ty, Type::Scalar(Scalar::Time | Scalar::Date));
        let (actual, passes) = match (op, temporal) {
            (BinaryOp::Le, true) => (">", format!("at or before {}", shown(literal))),
            (BinaryOp::Lt, true) => (">=", format!("before {}", shown(literal))),
            (BinaryOp::Ge, true) => ("<", format!("at or after {}", shown(literal))),
            (BinaryOp::Gt, true) => ("<=", format!("after {}", shown(literal))),
            (BinaryOp::Le, false) => (">", format!("at {} or less", shown(literal))),
            (BinaryOp::Lt, false) => (">=", format!("below {}", shown(literal))),
            (BinaryOp::Ge, false) => ("<", format!("at {} or more", shown(literal))),
            (BinaryOp::Gt, false) => ("<=", format!("above {}", shown(literal))),
            (BinaryOp::Eq, _) => ("!=", format!("only at {}", shown(literal))),
            (BinaryOp::Ne, _) => ("==", format!("at anything but {}", shown(literal))),
            _ => return None,
        };
        Some(format!(
            "{name} {} {actual} {}: passes {passes}",
            shown(&value),
            shown(literal)
        ))
    }

    /// An expression as it reads in a rules file.
    fn show(&self, expr: &TypedExpr) -> String {
        Shown::new(self.rules, expr).to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::Program;

    fn explain(rules: &str, record: serde_json::Value, only: Option<&str>) -> String {
        let program = Program::from_source("t.rules", rules).unwrap();
        let record = program.record_from_json(&record).unwrap();
        super::explain(&program, &record, 7, only).unwrap()
    }

    #[test]
    fn a_failed_comparison_shows_the_values_and_the_boundary() {
        let text = explain(
            "key employee_id\nrule on_time {\n  title \"Đúng giờ\"\n  when role == \"civil_servant\"\n  check arrival <= 07:30\n}",
            serde_json::json!({"employee_id": "NA-7", "role": "civil_servant", "arrival": "07:42"}),
            None,
        );
        assert!(text.starts_with("record 7 (key NA-7)\n"), "{text}");
        assert!(text.contains("rule on_time: violation (failed)"), "{text}");
        assert!(
            text.contains("reads  role = \"civil_servant\", arrival = 07:42"),
            "{text}"
        );
        assert!(text.contains("when  role == \"civil_servant\"  → true"), "{text}");
        assert!(
            text.contains("check arrival <= 07:30  → false  (07:42 <= 07:30)"),
            "{text}"
        );
        assert!(
            text.contains("arrival 07:42 > 07:30: passes at or before 07:30"),
            "{text}"
        );
    }

    #[test]
    fn a_when_that_does_not_hold_is_named() {
        let text = explain(
            "rule on_time {\n  when role == \"civil_servant\"\n  check arrival <= 07:30\n}",
            serde_json::json!({"role": "contract", "arrival": "08:10"}),
            None,
        );
        assert!(text.contains("rule on_time: not applicable"), "{text}");
        assert!(text.contains("`when` does not hold"), "{text}");
        assert!(!text.contains("check"), "{text}");
    }

    #[test]
    fn unknown_parts_name_the_missing_fields_and_short_circuit_is_shown() {
        let text = explain(
            "rule co_mat: on_leave == true or arrival <= 07:30\nrule tb: days > 0 and files / days > 2",
            serde_json::json!({"days": 0}),
            None,
        );
        assert!(
            text.contains("rule co_mat: violation (missing: on_leave, arrival)"),
            "{text}"
        );
        assert!(
            text.contains("on_leave == true  → unknown  (unknown == true; missing: on_leave)"),
            "{text}"
        );
        assert!(
            text.contains("not evaluated: `and` is settled by its left side"),
            "{text}"
        );
    }

    #[test]
    fn digits_alone_are_a_record_number_and_anything_else_a_key() {
        use super::{ExplainError, Selection};
        assert_eq!(Selection::parse("7"), Ok(Selection::Number(7)));
        assert_eq!(Selection::parse("007"), Ok(Selection::Number(7)));
        assert_eq!(Selection::parse("HT-002"), Ok(Selection::Key("HT-002".into())));
        assert_eq!(Selection::parse("7 "), Ok(Selection::Key("7 ".into())));
        assert_eq!(Selection::parse("-3"), Ok(Selection::Key("-3".into())));
        assert_eq!(Selection::parse(""), Ok(Selection::Key(String::new())));
        assert_eq!(
            Selection::parse("99999999999999999999999"),
            Err(ExplainError::NumberTooLarge("99999999999999999999999".into()))
        );
    }

    /// Checks `records` keeping what `selection` asks for, and explains it.
    fn explain_selected(
        rules: &str,
        records: &[serde_json::Value],
        selection: super::Selection,
    ) -> Result<String, super::ExplainError> {
        let program = Program::from_source("t.rules", rules).unwrap();
        let capture = super::Capture::new(&program, selection)?;
        let mut checker = crate::Checker::new(&program).with_capture(capture);
        for record in records {
            checker.check_json(record);
        }
        let records = checker.records();
        let capture = checker.take_capture().unwrap();
        super::explain_capture(&program, &capture, None, records)
    }

    #[test]
    fn a_number_key_is_matched_by_its_text_and_a_string_key_as_written() {
        use super::Selection;
        let rules = "key so_hieu\nrule on_time: arrival <= 07:30";
        let records = [
            serde_json::json!({"so_hieu": 42, "arrival": "07:10"}),
            serde_json::json!({"so_hieu": 7, "arrival": "07:45"}),
            serde_json::json!({"so_hieu": 42, "arrival": "07:50"}),
        ];
        let text = explain_selected(rules, &records, Selection::Key("42".into())).unwrap();
        assert!(text.starts_with("record 1 (key 42)\n"), "{text}");
        assert!(text.contains("\n\nrecord 3 (key 42)\n"), "{text}");
        assert!(!text.contains("record 2"), "{text}");
        let records = [
            serde_json::json!({"so_hieu": "hà-01", "arrival": "07:10"}),
            serde_json::json!({"so_hieu": "HÀ-01", "arrival": "07:10"}),
        ];
        let text = explain_selected(rules, &records, Selection::Key("HÀ-01".into())).unwrap();
        assert!(text.starts_with("record 2 (key HÀ-01)\n"), "{text}");
    }

    #[test]
    fn no_record_of_the_key_names_the_closest_key_seen() {
        use super::{ExplainError, Selection};
        let rules = "key employee_id\nrule badge: badge_worn required";
        let records = [
            serde_json::json!({"employee_id": "HT-009"}),
            serde_json::json!({"employee_id": "HT-019"}),
            serde_json::json!({"employee_id": "XY-777"}),
            serde_json::json!("not an object"),
        ];
        let error = explain_selected(rules, &records, Selection::Key("HT-099".into())).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no record has key HT-099; did you mean `HT-009`?"
        );
        let error = explain_selected(rules, &records, Selection::Key("QN".into())).unwrap_err();
        assert!(matches!(error, ExplainError::NoRecordWithKey { ref hint, .. } if hint.is_empty()));
        let error = explain_selected(rules, &records, Selection::Number(5)).unwrap_err();
        assert_eq!(error.to_string(), "there is no record 5: the data holds 4");
        let text = explain_selected(rules, &records, Selection::Number(4)).unwrap();
        assert!(text.starts_with("record 4\n\nnot checked:"), "{text}");
    }

    #[test]
    fn rules_without_a_key_cannot_select_by_key() {
        let program = Program::from_source("t.rules", "rule badge: badge_worn required").unwrap();
        let error = super::Capture::new(&program, super::Selection::Key("HT-1".into())).unwrap_err();
        assert_eq!(
            super::ExplainError::from(error),
            super::ExplainError::NoKeyDeclared("HT-1".into())
        );
        assert!(super::Capture::new(&program, super::Selection::Number(1)).is_ok());
    }

    #[test]
    fn one_rule_can_be_chosen_and_a_misspelt_one_gets_a_suggestion() {
        let program = Program::from_source(
            "t.rules",
            "rule badge: badge_worn required\nrule on_time: arrival <= 07:30",
        )
        .unwrap();
        let json = serde_json::json!({});
        let record = program.record_from_json(&json).unwrap();
        let text = super::explain(&program, &record, 1, Some("badge")).unwrap();
        assert!(text.contains("rule badge") && !text.contains("on_time"), "{text}");
        let error = super::explain(&program, &record, 1, Some("on_tme")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no rule is called `on_tme`; did you mean `on_time`?"
        );
    }
}
