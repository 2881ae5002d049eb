//! The mutation sweep: it parses the shipped rules, and for every literal
//! and every operator of every `when` and `check` writes a changed copy (a
//! constant one step up or down, each other comparison, `in`/`not in`,
//! `and`/`or`, another predicate), runs the shipped tests against it, and
//! expects a failure. The few changes that cannot change any outcome are
//! listed, with the reason, and held to that list.
//!
//! It lives in the crate because it reads the syntax tree, which is not
//! public.

use std::path::{Path, PathBuf};

use jiff::{civil::Time, SignedDuration, ToSpan};
use rust_decimal::Decimal;

use super::{test_files, Suite};
use crate::diagnostic::SourceId;
use crate::syntax::{self, Expr, ExprKind, InSet, StatementKind};
use crate::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the shipped `rules/` folder, removed at the end.
struct Dir {
    path: PathBuf,
}

impl Dir {
    fn with_shipped_rules() -> Dir {
        let path = std::env::temp_dir().join(format!("civrules-mutants-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the test folder");
        for entry in std::fs::read_dir(repo().join("rules")).expect("read rules/") {
            let from = entry.expect("a rules/ entry").path();
            std::fs::copy(&from, path.join(from.file_name().expect("a file name"))).expect("copy");
        }
        Dir { path }
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path.join(name), text).expect("write a file");
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// One changed copy of a rules file.
struct Mutant {
    file: &'static str,
    start: usize,
    end: usize,
    replacement: String,
}

impl Mutant {
    /// `national.rules:58: `08:00` → `08:01``.
    fn describe(&self, text: &str) -> String {
        let line = text[..self.start].matches('\n').count() + 1;
        format!(
            "{}:{line}: `{}` → `{}`",
            self.file,
            &text[self.start..self.end],
            self.replacement
        )
    }
}

/// Changes that cannot change any outcome, and why.
const EQUIVALENT: [(&str, &str); 7] = [
    // `weekday` is never 0: `in 0..5` is `in 1..5`.
    ("national.rules:59: `1` → `0`", "weekday(date) is 1 to 7"),
    ("national.rules:68: `1` → `0`", "weekday(date) is 1 to 7"),
    ("national.rules:77: `1` → `0`", "weekday(date) is 1 to 7"),
    // Only `false`, `""` and `[]` are present but not `required`.
    (
        "national.rules:110: `present` → `required`",
        "a date is required when present",
    ),
    (
        "national.rules:122: `present` → `required`",
        "a decimal is required when present",
    ),
    ("national.rules:137: `1` → `0`", "weekday(date) is 1 to 7"),
    ("nghe-an.rules:18: `1` → `0`", "weekday(date) is 1 to 7"),
];

#[test]
fn every_change_of_a_constant_or_operator_in_a_shipped_rule_fails_a_shipped_test() {
    let mut mutants = Vec::new();
    let mut texts = Vec::new();
    for file in ["national.rules", "nghe-an.rules"] {
        let text = std::fs::read_to_string(repo().join("rules").join(file)).expect("read");
        let parsed = syntax::parse(SourceId(0), &text).expect("the shipped rules parse");
        for statement in &parsed.statements {
            if let StatementKind::Rule(rule) | StatementKind::Override(rule) = &statement.kind {
                for expr in rule.when.iter().chain([&rule.check]) {
                    mutate(file, &text, &expr.value, &mut mutants);
                }
            }
        }
        texts.push((file, text));
    }
    assert!(mutants.len() > 100, "only {} mutants", mutants.len());
    let dir = Dir::with_shipped_rules();
    let mut survivors = Vec::new();
    for mutant in &mutants {
        let original = &texts
            .iter()
            .find(|(f, _)| *f == mutant.file)
            .expect("a shipped file")
            .1;
        let mut changed = original.clone();
        changed.replace_range(mutant.start..mutant.end, &mutant.replacement);
        dir.write(mutant.file, &changed);
        if !shipped_tests_fail(&dir.path) {
            survivors.push(mutant.describe(original));
        }
        dir.write(mutant.file, original);
    }
    let expected: Vec<&str> = EQUIVALENT.iter().map(|(m, _)| *m).collect();
    assert_eq!(
        survivors,
        expected,
        "changes no shipped test notices (of {})",
        mutants.len()
    );
}

/// Whether running every test file in `dir` fails or does not compile.
fn shipped_tests_fail(dir: &Path) -> bool {
    let files = test_files(&[dir.to_path_buf()]).expect("the test files");
    files.iter().any(|file| match Suite::load(file, None) {
        Ok(suite) => suite.run().iter().any(|r| !r.passed()),
        Err(_) => true,
    })
}

fn mutate(file: &'static str, text: &str, expr: &Expr, out: &mut Vec<Mutant>) {
    let mut push = |start: usize, end: usize, replacement: String| {
        out.push(Mutant {
            file,
            start,
            end,
            replacement,
        })
    };
    match &expr.kind {
        ExprKind::Literal(lit) => {
            for replacement in literal_mutants(&lit.value, &lit.text) {
                push(lit.span.start, lit.span.end, replacement);
            }
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (start, end) = between(text, lhs.span.end, rhs.span.start);
            let comparisons = ["==", "!=", "<", "<=", ">", ">="];
            let others: Vec<&str> = match op.as_str() {
                "and" => vec!["or"],
                "or" => vec!["and"],
                c if op.is_comparison() => comparisons.into_iter().filter(|o| *o != c).collect(),
                _ => vec![],
            };
            for other in others {
                push(start, end, other.to_string());
            }
            mutate(file, text, lhs, out);
            mutate(file, text, rhs, out);
        }
        ExprKind::In {
            negated,
            element,
            set,
        } => {
            let set_start = match set {
                InSet::List { span, .. } => span.start,
                InSet::Range { low, .. } => low.span.start,
                InSet::Field(path) => path.span.start,
            };
            let (start, end) = between(text, element.span.end, set_start);
            push(start, end, if *negated { "in" } else { "not in" }.to_string());
            let literals: Vec<&syntax::Literal> = match set {
                InSet::List { items, .. } => items.iter().collect(),
                InSet::Range { low, high } => vec![low, high],
                InSet::Field(_) => vec![],
            };
            for lit in literals {
                for replacement in literal_mutants(&lit.value, &lit.text) {
                    push(lit.span.start, lit.span.end, replacement);
                }
            }
            mutate(file, text, element, out);
        }
        ExprKind::Predicate { predicate, operand } => {
            let (start, end) = between(text, operand.span.end, expr.span.end);
            for other in ["required", "present", "missing"] {
                if other != predicate.as_str() {
                    push(start, end, other.to_string());
                }
            }
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| mutate(file, text, a, out)),
        ExprKind::Not(x) | ExprKind::Neg(x) | ExprKind::Paren(x) => mutate(file, text, x, out),
        ExprKind::Field(_) => {}
    }
}

/// The operator between two operands: its byte range, spaces left out.
fn between(text: &str, from: usize, to: usize) -> (usize, usize) {
    let gap = &text[from..to];
    let start = from + (gap.len() - gap.trim_start().len());
    let end = from + gap.trim_end().len();
    (start, end)
}

/// A constant one step either way (in the unit it is written in), or
/// another string, or the other bool.
fn literal_mutants(value: &Value, text: &str) -> Vec<String> {
    match value {
        Value::Bool(b) => vec![(!b).to_string()],
        Value::Int(i) => vec![(i - 1).to_string(), (i + 1).to_string()],
        Value::Decimal(d) => {
            let step = Decimal::new(1, d.scale());
            vec![(d - step).to_string(), (d + step).to_string()]
        }
        Value::String(s) => vec![format!("{:?}", format!("{s}_khác"))],
        Value::Time(t) => {
            let step = if text.matches(':').count() == 2 {
                SignedDuration::from_secs(1)
            } else {
                SignedDuration::from_mins(1)
            };
            [t.checked_sub(step), t.checked_add(step)]
                .into_iter()
                .flatten()
                .map(format_time)
                .collect()
        }
        Value::Date(d) => [d.checked_sub(1.day()), d.checked_add(1.day())]
            .into_iter()
            .flatten()
            .map(|d| d.to_string())
            .collect(),
        Value::Duration(d) => {
            let unit = match text.chars().last() {
                Some('d') => 86_400,
                Some('h') => 3_600,
                Some('m') => 60,
                _ => 1,
            };
            let secs = d.as_secs();
            vec![format!("{}s", secs - unit), format!("{}s", secs + unit)]
        }
        // A literal is a scalar.
        Value::List(_) | Value::Object => Vec::new(),
    }
}

fn format_time(t: Time) -> String {
    if t.second() == 0 {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}
