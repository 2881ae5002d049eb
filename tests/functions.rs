//! `week_start(date)` and `month_start(date)` (contract §9) in every
//! consumer: the checker, the evaluator, explain, lint, sample and
//! generated code. Each is defined once, in `semantics/functions.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use civrules::{Outcome, Program, Type};
use serde_json::json;

fn civrules(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_civrules"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh folder holding `files`.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("civrules-functions-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write");
    }
    dir
}

#[test]
fn check_types_the_calls_as_dates_and_infers_their_argument() {
    let program = Program::from_source(
        "t.rules",
        "rule a: week_start(d) <= d\nrule b: month_start(e) == start\n",
    )
    .expect("compiles");
    let ty = |name: &str| program.fields().find(|f| f.name == name).and_then(|f| f.ty);
    assert_eq!(ty("d"), Some(Type::DATE));
    assert_eq!(ty("e"), Some(Type::DATE));
    assert_eq!(ty("start"), Some(Type::DATE));

    // Every message and note of the errors compiling `text`.
    let errors = |text: &str| -> String {
        let error = Program::from_source("t.rules", text).unwrap_err();
        let mut all = String::new();
        for d in &error.diagnostics {
            all.push_str(&d.message);
            all.push('\n');
            for note in &d.notes {
                all.push_str(&note.message);
                all.push('\n');
            }
        }
        all
    };
    let misspelt = errors("field d: date\nrule a: week_strat(d) == d\n");
    assert!(misspelt.contains("did you mean `week_start`?"), "{misspelt}");
    let time = errors("field d: date\nrule a: month_start(07:30) == d\n");
    assert!(time.contains("`month_start` takes a date"), "{time}");
    let two = errors("field d: date\nrule a: week_start(d, d) == d\n");
    assert!(
        two.contains("`week_start` takes 1 argument(s), but 2 were given"),
        "{two}"
    );
}

#[test]
fn eval_gives_the_monday_and_the_first_of_the_month() {
    let program = Program::from_source(
        "t.rules",
        "field d: date\nrule week: week_start(d) == w\nrule month: month_start(d) == m\n",
    )
    .expect("compiles");
    let outcomes = |d: &str, w: &str, m: &str| {
        let json = json!({"d": d, "w": w, "m": m});
        let record = program.record_from_json(&json).expect("an object");
        program.outcomes(&record).expect("its own record")
    };
    // A Wednesday; a Sunday, whose week began the year before; a leap day.
    for (d, w, m) in [
        ("2022-02-09", "2022-02-07", "2022-02-01"),
        ("2022-01-02", "2021-12-27", "2022-01-01"),
        ("2024-02-29", "2024-02-26", "2024-02-01"),
        ("2022-02-07", "2022-02-07", "2022-02-01"),
    ] {
        assert_eq!(outcomes(d, w, m), [Outcome::Pass, Outcome::Pass], "{d}");
    }
    let wrong = outcomes("2022-01-02", "2022-01-03", "2021-12-01");
    assert!(
        wrong.iter().all(|o| matches!(o, Outcome::Violation { .. })),
        "{wrong:?}"
    );
}

#[test]
fn explain_shows_the_value_of_the_call() {
    let dir = folder(
        "explain",
        &[
            (
                "w.rules",
                "rule week: week_start(d) == 2022-02-07\nrule month: month_start(d) == 2024-02-01\n",
            ),
            ("r.ndjson", "{\"d\": \"2022-02-09\"}\n{\"d\": \"2024-02-29\"}\n"),
        ],
    );
    let (code, out, err) = civrules(&dir, &["explain", "--record", "1", "w.rules", "r.ndjson"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("week_start(d) == 2022-02-07  → true  (2022-02-07 == 2022-02-07)"),
        "{out}"
    );
    assert!(
        out.contains("month_start(d) == 2024-02-01  → false  (2022-02-01 == 2024-02-01)"),
        "{out}"
    );
    let (_, out, _) = civrules(&dir, &["explain", "--record", "2", "w.rules", "r.ndjson"]);
    assert!(out.contains("month_start(d) == 2024-02-01  → true"), "{out}");
}

#[test]
fn lint_proves_a_start_never_comes_after_its_date() {
    let dir = folder(
        "lint",
        &[(
            "w.rules",
            "field d: date\nrule later: month_start(d) > d\nrule week: week_start(d) == 2022-02-09\n",
        )],
    );
    let (_, out, err) = civrules(&dir, &["lint", "w.rules"]);
    let text = format!("{out}{err}");
    assert!(
        text.contains("rule `later`: this `check` can never hold"),
        "{text}"
    );
    // A week starts on a Monday: 2022-02-09 is a Wednesday.
    assert!(
        text.contains("rule `week`: this `check` can never hold"),
        "{text}"
    );
}

fn sampled_dates(dir: &Path, args: &[&str]) -> Vec<jiff::civil::Date> {
    let (code, out, err) = civrules(dir, args);
    assert_eq!(code, 0, "{err}");
    let dates: Vec<jiff::civil::Date> = out
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
            record["d"].as_str().expect("a date").parse().expect("a date")
        })
        .collect();
    assert!(!dates.is_empty(), "{out}");
    dates
}

#[test]
fn sample_draws_dates_in_the_month_or_week_asked_for() {
    let dir = folder(
        "sample",
        &[
            ("m.rules", "rule month: month_start(d) == 2022-03-01\n"),
            (
                "w.rules",
                "rule week: week_start(d) == 2022-02-07\nrule after: d >= 2000-01-01\n",
            ),
        ],
    );
    for d in sampled_dates(&dir, &["sample", "m.rules", "--count", "8"]) {
        assert_eq!((d.year(), d.month()), (2022, 3), "{d}");
    }
    let monday = jiff::civil::date(2022, 2, 7);
    for d in sampled_dates(&dir, &["sample", "w.rules", "--count", "8"]) {
        assert!(d >= monday && d <= jiff::civil::date(2022, 2, 13), "{d}");
    }
    for d in sampled_dates(&dir, &["sample", "w.rules", "--violate", "week", "--count", "8"]) {
        assert!(d >= jiff::civil::date(2000, 1, 1), "{d}");
        assert!(!(d >= monday && d <= jiff::civil::date(2022, 2, 13)), "{d}");
    }
}

#[test]
fn generated_code_decides_the_calls_itself() {
    // That it agrees with the evaluator is tests/codegen.rs's differential
    // test, whose rules (tests/codegen/mixed.rules) call both functions.
    let program = Program::from_source(
        "t.rules",
        "field d: date\nrule a: week_start(d) == 2022-02-07 and month_start(d) <= d\n",
    )
    .expect("compiles");
    let code = civrules::codegen::rust(&program);
    assert!(code.interpreted.is_empty(), "{:?}", code.interpreted);
    assert!(code.source.contains("rt::Builtin::WeekStart"), "{}", code.source);
    assert!(code.source.contains("rt::Builtin::MonthStart"), "{}", code.source);
}
