//! `civrules test` and the shipped rule tests (`rules/*.test`): they pass,
//! and they are strong enough that changing a constant or an operator in a
//! shipped rule makes one of them fail.
//!
//! The mutation sweep parses the shipped rules, and for every literal and
//! every operator of every `when` and `check` writes a changed copy (a
//! constant one step up or down, each other comparison, `in`/`not in`,
//! `and`/`or`, another predicate), runs the shipped tests against it through
//! the library, and expects a failure. The few changes that cannot change
//! any outcome are listed, with the reason, and held to that list.

mod common;

use std::path::Path;

use civrules::ruletest::{test_files, Suite};
use civrules::syntax::{self, Expr, ExprKind, InSet, SourceId, StatementKind};
use civrules::Value;
use common::{repo, run as civrules, Dir};
use jiff::{civil::Time, SignedDuration, ToSpan};
use rust_decimal::Decimal;

/// A copy of the shipped `rules/` folder.
fn with_shipped_rules(name: &str) -> Dir {
    let dir = Dir::new("ruletests", name);
    for entry in std::fs::read_dir(repo().join("rules")).expect("read rules/") {
        let from = entry.expect("a rules/ entry").path();
        std::fs::copy(&from, dir.path.join(from.file_name().expect("a file name"))).expect("copy");
    }
    dir
}

// ---------------------------------------------------------------------------
// The shipped tests
// ---------------------------------------------------------------------------

#[test]
fn the_shipped_rule_tests_pass() {
    let out = civrules(repo(), &["test", "rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("running "), "{out:?}");
    assert!(
        out.stdout
            .contains("test rules/nghe-an.test: đến muộn 07:31 ... ok\n"),
        "{out:?}"
    );
    assert!(out.stdout.ends_with(" passed, 0 failed\n"), "{out:?}");
    assert_eq!(out.stderr, "");
}

#[test]
fn every_shipped_rule_is_named_by_its_test_file() {
    for (rules, test) in [
        ("national.rules", "national.test"),
        ("nghe-an.rules", "nghe-an.test"),
    ] {
        let program = civrules::Program::from_file(repo().join("rules").join(rules)).expect("compiles");
        let text = std::fs::read_to_string(repo().join("rules").join(test)).expect("read the test file");
        for id in program.rule_ids() {
            assert!(
                text.contains(&format!("expect {id} ")),
                "{test} never expects anything of `{id}`"
            );
        }
    }
}

#[test]
fn a_changed_constant_makes_a_shipped_test_fail() {
    let dir = with_shipped_rules("constant");
    let rules = dir.read("national.rules");
    dir.write(
        "national.rules",
        &rules.replacen("check    arrival <= 08:00", "check    arrival <= 08:01", 1),
    );
    let out = civrules(&dir.path, &["test", "national.test"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("test national.test: đến muộn 08:01 ... FAILED\n"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("  on_time  failed    pass\n"),
        "the diff shows expected and actual outcome:\n{out:?}"
    );
    assert!(
        out.stdout.contains("arrival: 08:01"),
        "the diff shows the record:\n{out:?}"
    );
    assert!(out.stdout.ends_with(" passed, 1 failed\n"), "{out:?}");
}

#[test]
fn a_flipped_operator_makes_a_shipped_test_fail() {
    let dir = with_shipped_rules("operator");
    let rules = dir.read("nghe-an.rules");
    dir.write(
        "nghe-an.rules",
        &rules.replacen("arrival <= 07:30", "arrival < 07:30", 1),
    );
    let out = civrules(&dir.path, &["test", "."]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("test ./nghe-an.test: đến lúc 07:29 và đúng 07:30 ... FAILED\n"),
        "{out:?}"
    );
    assert!(out.stdout.contains("record 2 of 2 (./nghe-an.test:"), "{out:?}");
}

// ---------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------

#[test]
fn a_test_file_that_does_not_compile_exits_2_with_its_place() {
    let dir = Dir::new("ruletests", "bad-test");
    dir.write("gio.rules", "rule on_time: arrival <= 07:30\n");
    dir.write(
        "gio.test",
        "rules \"gio.rules\"\ntest \"muộn\" {\n  record { arrival: 07:31 }\n  expect on_tme failed\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("gio.test:4:10: error: no rule `on_tme` in gio.rules\n"),
        "{out:?}"
    );
    assert!(out.stderr.contains("did you mean `on_time`?"), "{out:?}");
    assert_eq!(out.stdout, "");

    dir.write(
        "gio.test",
        "rules \"gio.rules\"\ntest \"muộn\" {\n  record { arrival: 7h }\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(
        out.code, 1,
        "a duration where a time is read is a data error: {out:?}"
    );
    assert!(
        out.stdout
            .contains("  on_time  pass or not applicable  error: arrival: "),
        "{out:?}"
    );

    dir.write(
        "gio.test",
        "rules \"gio.rules\"\ntest \"muộn\" {\n  record { arrival: 24:00 }\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("gio.test:3:21: error: `24:00` is not a valid time of day"),
        "{out:?}"
    );
}

#[test]
fn rules_that_do_not_compile_exit_2() {
    let dir = Dir::new("ruletests", "bad-rules");
    dir.write("gio.rules", "rule on_time: arrival <= 25:00\n");
    dir.write("gio.test", "rules \"gio.rules\"\ntest \"t\" {\n  record {}\n}\n");
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.starts_with("gio.rules:1:26: error: "), "{out:?}");
    dir.write(
        "gio.test",
        "rules \"khong-co.rules\"\ntest \"t\" {\n  record {}\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("khong-co.rules: no such file"), "{out:?}");
}

#[test]
fn a_folder_without_test_files_or_a_missing_file_exits_2() {
    let dir = Dir::new("ruletests", "empty");
    assert_eq!(civrules(&dir.path, &["test", "."]).code, 2);
    let out = civrules(&dir.path, &["test", "khong-co.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.starts_with("civrules: error: khong-co.test: "),
        "{out:?}"
    );
}

#[test]
fn a_folder_runs_every_test_file_in_it_in_name_order() {
    let dir = Dir::new("ruletests", "folder");
    dir.write("gio.rules", "rule on_time: arrival <= 07:30\n");
    dir.write(
        "b.test",
        "rules \"gio.rules\"\ntest \"b\" {\n  record { arrival: 07:31 }\n  expect on_time failed\n}\n",
    );
    dir.write(
        "a.test",
        "rules \"gio.rules\"\ntest \"a\" {\n  record { arrival: 07:31 }\n}\n",
    );
    dir.write("notes.txt", "not a test\n");
    let out = civrules(&dir.path, &["test", "."]);
    assert_eq!(out.code, 1, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "running 2 tests",
            "test ./a.test: a ... FAILED",
            "test ./b.test: b ... ok"
        ]
    );
    assert_eq!(lines.last(), Some(&"1 passed, 1 failed"));
}

// ---------------------------------------------------------------------------
// Mutations of the shipped rules
// ---------------------------------------------------------------------------

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
const EQUIVALENT: [(&str, &str); 6] = [
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
    let dir = with_shipped_rules("mutants");
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
