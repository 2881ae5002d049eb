//! Running a test and printing the results like `cargo test`.

use super::{Case, Suite};
use crate::input::{read_json, Shape};
use crate::syntax::test_file::ExpectedOutcome;
use crate::{Cell, Checker, Outcome, Program, Reason, Record};

/// The result of one test.
#[derive(Clone, Debug, PartialEq)]
pub struct TestResult {
    /// The test file, as named on the command line.
    pub file: String,
    /// The test's name, as written after `test`.
    pub name: String,
    /// One entry per record that did not get the outcomes expected.
    pub failures: Vec<RecordFailure>,
    /// The groups (`expect group`) that did not get the outcome expected;
    /// `rule` names the rule and the group.
    pub group_failures: Vec<Mismatch>,
}

impl TestResult {
    /// Whether every record and group got the outcomes expected.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.group_failures.is_empty()
    }
}

/// A record of a test, and the rules whose outcome was not the one expected.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordFailure {
    /// Which record of the test, from 1.
    pub record: usize,
    /// How many records the test has.
    pub of: usize,
    /// `PATH:LINE:COL` of the record in the test file.
    pub location: String,
    /// The record as checked (the file's `base` with the test's fields), in
    /// the test file's notation.
    pub values: String,
    /// The rules whose outcome differs, in the rules file's order.
    pub mismatches: Vec<Mismatch>,
}

/// One rule's expected and actual outcome, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// The rule's id.
    pub rule: String,
    /// The outcome the test expects (`pass`, `fail`, `missing`, `error`…).
    pub expected: String,
    /// The outcome the rule gave, with its message or error.
    pub actual: String,
}

pub(super) fn run_case(suite: &Suite, case: &Case) -> TestResult {
    // With groups, the records differ on purpose (late, then on time):
    // only the record rules the test names are held to an outcome.
    let grouped = !case.groups.is_empty();
    let failures = case
        .records
        .iter()
        .enumerate()
        .filter_map(|(i, bound)| {
            let mismatches = check_record(&suite.program, &bound.json, &case.expected, grouped);
            (!mismatches.is_empty()).then(|| RecordFailure {
                record: i + 1,
                of: case.records.len(),
                location: bound.location.clone(),
                values: bound.shown.clone(),
                mismatches,
            })
        })
        .collect();
    TestResult {
        file: suite.path.clone(),
        name: case.name.clone(),
        failures,
        group_failures: if grouped {
            check_groups(suite, case)
        } else {
            Vec::new()
        },
    }
}

/// Every record of the test checked together, and each `expect group`
/// held to its group's outcome (`not applicable`: no such group).
fn check_groups(suite: &Suite, case: &Case) -> Vec<Mismatch> {
    let program = &suite.program;
    let mut checker = Checker::new(program);
    for bound in &case.records {
        checker.check_ndjson_line(&bound.json);
    }
    // Each judged group with its `per` values by text, as a test names them.
    let judged: Vec<_> = checker
        .judge_groups()
        .into_iter()
        .filter_map(|j| {
            Some((
                crate::eval::group::per_values(program.rules[j.rule].group.as_ref()?, &j.key),
                j,
            ))
        })
        .collect();
    let rules = program.ruleset();
    let field_name = |slot: &usize| rules.fields[*slot].name.clone();
    let mut out = Vec::new();
    for expectation in &case.groups {
        let found = judged.iter().find(|(values, j)| {
            j.rule == expectation.rule
                && expectation.group.len() == values.len()
                && expectation
                    .group
                    .iter()
                    .all(|(text, value)| values.get(text).is_some_and(|v| same_value(v, value)))
        });
        let found = found.map(|(_, j)| j);
        let outcome = found.map_or(Outcome::NotApplicable, |j| j.judged.outcome.clone());
        if meets(&outcome, Some(&expectation.outcome), &field_name) {
            continue;
        }
        let actual = match (&outcome, found) {
            (Outcome::NotApplicable, None) => "no such group (not applicable)".to_string(),
            (outcome, _) => describe_outcome(outcome, &field_name),
        };
        out.push(Mismatch {
            rule: expectation.shown.clone(),
            expected: describe(Some(&expectation.outcome)),
            actual,
        });
    }
    out
}

/// A group's value and the literal a test wrote for it: an int written
/// for a decimal key is the same number.
fn same_value(actual: &crate::Value, written: &crate::Value) -> bool {
    use crate::Value as V;
    match (actual, written) {
        (V::Decimal(a), V::Int(b)) | (V::Int(b), V::Decimal(a)) => *a == rust_decimal::Decimal::from(*b),
        (a, b) => a == b,
    }
}

fn describe_outcome(outcome: &Outcome, field_name: &dyn Fn(&usize) -> String) -> String {
    match outcome {
        Outcome::Pass => "pass".to_string(),
        Outcome::NotApplicable => "not applicable".to_string(),
        Outcome::NotChecked => "not checked".to_string(),
        Outcome::Violation {
            reason: Reason::Failed,
            ..
        } => "failed".to_string(),
        Outcome::Violation { missing, .. } => {
            let names: Vec<String> = missing.iter().map(field_name).collect();
            format!("missing [{}]", names.join(", "))
        }
        Outcome::Error(Some(e)) => format!("error: {e}"),
        Outcome::Error(None) => "error: a value it reads is a data error".to_string(),
    }
}

fn check_record(
    program: &Program,
    json: &str,
    expected: &[Option<ExpectedOutcome>],
    only_named: bool,
) -> Vec<Mismatch> {
    let rules = program.ruleset();
    let mut record = Record::empty(&program.schema);
    let mut reader = serde_json::Deserializer::from_str(json);
    let read = read_json(&mut reader, &program.schema, &mut record, true);
    let outcomes = match read {
        Ok(Shape::Object) => program
            .outcomes(&record)
            .unwrap_or_else(|_| vec![Outcome::Error(None); rules.rules.len()]),
        // The record is built by the test runner: this does not happen.
        _ => vec![Outcome::Error(None); rules.rules.len()],
    };
    let mut out = Vec::new();
    for ((rule, outcome), expected) in rules.rules.iter().zip(&outcomes).zip(expected) {
        let field_name = |slot: &usize| rules.fields[*slot].name.clone();
        if (only_named && expected.is_none()) || meets(outcome, expected.as_ref(), &field_name) {
            continue;
        }
        let actual = match outcome {
            Outcome::Error(None) => {
                let why = rule
                    .reads
                    .iter()
                    .find_map(|id| match &record.cells()[id.0 as usize] {
                        Cell::Error(message) => Some(format!("{}: {message}", rules.field(*id).name)),
                        _ => None,
                    });
                format!(
                    "error: {}",
                    why.unwrap_or_else(|| "the record could not be read".into())
                )
            }
            other => describe_outcome(other, &field_name),
        };
        out.push(Mismatch {
            rule: rule.id.clone(),
            expected: describe(expected.as_ref()),
            actual,
        });
    }
    out
}

fn meets(outcome: &Outcome, expected: Option<&ExpectedOutcome>, name: &dyn Fn(&usize) -> String) -> bool {
    use ExpectedOutcome as E;
    match (expected, outcome) {
        (None, Outcome::Pass | Outcome::NotApplicable) => true,
        (Some(E::Pass), Outcome::Pass) | (Some(E::NotApplicable), Outcome::NotApplicable) => true,
        (Some(E::Error), Outcome::Error(_)) | (Some(E::Violation), Outcome::Violation { .. }) => true,
        (Some(E::Failed), Outcome::Violation { reason, .. }) => *reason == Reason::Failed,
        (Some(E::Missing(fields)), Outcome::Violation { reason, missing }) => {
            let mut actual: Vec<String> = missing.iter().map(name).collect();
            let mut wanted: Vec<String> = fields.iter().flatten().map(|p| p.dotted()).collect();
            actual.sort();
            wanted.sort();
            *reason == Reason::Missing && (fields.is_none() || actual == wanted)
        }
        _ => false,
    }
}

fn describe(expected: Option<&ExpectedOutcome>) -> String {
    match expected {
        None => "pass or not applicable".into(),
        Some(ExpectedOutcome::Pass) => "pass".into(),
        Some(ExpectedOutcome::Failed) => "failed".into(),
        Some(ExpectedOutcome::Missing(None)) => "missing".into(),
        Some(ExpectedOutcome::Missing(Some(fields))) => {
            let names: Vec<String> = fields.iter().map(|p| p.dotted()).collect();
            format!("missing [{}]", names.join(", "))
        }
        Some(ExpectedOutcome::Violation) => "violation (failed or missing)".into(),
        Some(ExpectedOutcome::NotApplicable) => "not applicable".into(),
        Some(ExpectedOutcome::Error) => "error".into(),
    }
}

/// The results as `civrules test` prints them: a line per test, then each
/// failed test's differences (expected and actual outcome per rule, and
/// the record's values), then `N passed, N failed`.
pub fn render(results: &[TestResult]) -> String {
    let mut out = format!(
        "running {} test{}\n",
        results.len(),
        if results.len() == 1 { "" } else { "s" }
    );
    for r in results {
        let status = if r.passed() { "ok" } else { "FAILED" };
        out.push_str(&format!("test {}: {} ... {status}\n", r.file, r.name));
    }
    let failed: Vec<&TestResult> = results.iter().filter(|r| !r.passed()).collect();
    if !failed.is_empty() {
        out.push_str("\nfailures:\n");
        for r in &failed {
            out.push_str(&format!("\n---- {}: {} ----\n", r.file, r.name));
            for f in &r.failures {
                out.push_str(&render_failure(f));
            }
            if !r.group_failures.is_empty() {
                out.push_str("groups (all the records of the test)\n");
                for m in &r.group_failures {
                    out.push_str(&format!(
                        "  {}\n    expected {}, actual {}\n",
                        m.rule, m.expected, m.actual
                    ));
                }
            }
        }
    }
    out.push_str(&format!(
        "\n{} passed, {} failed\n",
        results.len() - failed.len(),
        failed.len()
    ));
    out
}

fn render_failure(f: &RecordFailure) -> String {
    let rule_width = f
        .mismatches
        .iter()
        .map(|m| m.rule.chars().count())
        .chain([4])
        .max()
        .unwrap_or(4);
    let expected_width = f
        .mismatches
        .iter()
        .map(|m| m.expected.chars().count())
        .chain([8])
        .max()
        .unwrap_or(8);
    let mut out = format!("record {} of {} ({})\n", f.record, f.of, f.location);
    out.push_str(&format!(
        "  {:rule_width$}  {:expected_width$}  actual\n",
        "rule", "expected"
    ));
    for m in &f.mismatches {
        out.push_str(&format!(
            "  {:rule_width$}  {:expected_width$}  {}\n",
            m.rule, m.expected, m.actual
        ));
    }
    out.push_str(&format!("  values: {}\n", f.values));
    out
}
