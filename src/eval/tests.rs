//! Evaluation: Program::from_source → record_from_json → outcomes.

use serde_json::{json, Value as Json};

use super::{EvalError, Outcome, Reason};
use crate::{check_reader, Checker, InputFormat, Program};

fn program(text: &str) -> Program {
    match Program::from_source("t.rules", text) {
        Ok(p) => p,
        Err(e) => panic!("{text:?} does not compile:\n{}", e.render()),
    }
}

fn outcomes(p: &Program, record: &Json) -> Vec<Outcome> {
    let record = p.record_from_json(record).expect("a JSON object");
    p.outcomes(&record).expect("the program's own record")
}

/// The outcome of the only rule of `text`.
fn one(text: &str, record: Json) -> Outcome {
    let p = program(text);
    let mut all = outcomes(&p, &record);
    assert_eq!(all.len(), 1, "{text:?} should have one rule");
    all.remove(0)
}

/// The outcomes of every rule, by id.
fn by_id(p: &Program, record: &Json) -> Vec<(String, Outcome)> {
    p.rule_ids()
        .map(str::to_string)
        .zip(outcomes(p, record))
        .collect()
}

fn names(p: &Program, slots: &[usize]) -> Vec<String> {
    slots.iter().map(|s| p.schema.slots[*s].name.clone()).collect()
}

/// The reports `check_reader` hands over for `input`, by record number
/// (a record with no findings may or may not be handed over: it reads as
/// an empty report).
fn read_all(p: &Program, input: &str, format: InputFormat) -> impl Fn(u64) -> crate::RecordReport {
    let mut checker = Checker::new(p);
    let mut reports = Vec::new();
    check_reader(input.as_bytes(), format, &mut checker, |r| {
        reports.push(r);
        Ok::<(), crate::InputError>(())
    })
    .unwrap();
    move |n| {
        reports
            .iter()
            .find(|r| r.record == n)
            .cloned()
            .unwrap_or(crate::RecordReport {
                record: n,
                ..Default::default()
            })
    }
}

const PASS: Outcome = Outcome::Pass;
const NA: Outcome = Outcome::NotApplicable;

fn failed() -> Outcome {
    Outcome::Violation {
        reason: Reason::Failed,
        missing: Vec::new(),
    }
}

fn is_unknown(o: &Outcome) -> bool {
    matches!(
        o,
        Outcome::Violation {
            reason: Reason::Missing,
            ..
        }
    )
}

/// The fields named by a `missing` violation, or a panic.
fn missing_of(p: &Program, o: &Outcome) -> Vec<String> {
    match o {
        Outcome::Violation {
            reason: Reason::Missing,
            missing,
        } => names(p, missing),
        other => panic!("expected a `missing` violation, got {other:?}"),
    }
}

/// Three-valued inputs: Some(bool) or missing.
const TV: [Option<bool>; 3] = [Some(true), Some(false), None];

fn tv_json(v: Option<bool>) -> Json {
    v.map_or(Json::Null, Json::Bool)
}

fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// What a check of truth value `v` gives.
fn expected(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "pass",
        Some(false) => "failed",
        None => "missing",
    }
}

fn kind(o: &Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::NotApplicable => "n/a",
        Outcome::Violation {
            reason: Reason::Failed,
            ..
        } => "failed",
        Outcome::Violation {
            reason: Reason::Missing,
            ..
        } => "missing",
        Outcome::Error(_) => "error",
        Outcome::NotChecked => "not checked",
    }
}

// ---------------------------------------------------------------------------
// Kleene logic

#[test]
fn kleene_truth_tables() {
    let p = program(
        "field a: bool\nfield b: bool\n\
         rule and_: a and b\nrule or_: a or b\nrule not_a: not a\n",
    );
    for a in TV {
        for b in TV {
            let record = json!({"a": tv_json(a), "b": tv_json(b)});
            let got = outcomes(&p, &record);
            assert_eq!(kind(&got[0]), expected(and3(a, b)), "{a:?} and {b:?}");
            assert_eq!(kind(&got[1]), expected(or3(a, b)), "{a:?} or {b:?}");
            assert_eq!(kind(&got[2]), expected(a.map(|x| !x)), "not {a:?}");
        }
    }
    // Absent is missing as well as null.
    let got = outcomes(&p, &json!({"b": false}));
    assert_eq!(got[0], failed(), "unknown and false");
    assert!(is_unknown(&got[1]), "unknown or false");
    let got = outcomes(&p, &json!({"b": true}));
    assert!(is_unknown(&got[0]), "unknown and true");
    assert_eq!(got[1], PASS, "unknown or true");
}

#[test]
fn comparisons_with_a_missing_operand_are_unknown() {
    let p = program(
        "rule a: n > 1 and m < 5\n\
         rule b: n > 1 or m < 5\n\
         rule c: not (n > 1)\n\
         rule d: n == m\n",
    );
    let got = by_id(&p, &json!({"n": 0}));
    assert_eq!(got[0].1, failed(), "false and unknown is false");
    assert!(is_unknown(&got[1].1), "false or unknown is unknown");
    assert_eq!(got[2].1, PASS);
    assert!(is_unknown(&got[3].1));
    let got = by_id(&p, &json!({"m": 0}));
    assert!(is_unknown(&got[0].1), "unknown and true is unknown");
    assert_eq!(got[1].1, PASS, "unknown or true is true");
    assert!(is_unknown(&got[2].1), "not unknown is unknown");
}

#[test]
fn when_false_or_unknown_is_not_applicable() {
    let p = program("rule r {\n  when role == \"civil_servant\"\n  check arrival <= 07:30\n}\n");
    let on_time = json!({"role": "civil_servant", "arrival": "07:15"});
    let late = json!({"role": "civil_servant", "arrival": "07:45"});
    assert_eq!(outcomes(&p, &on_time), [PASS]);
    assert_eq!(outcomes(&p, &late), [failed()]);
    assert_eq!(
        outcomes(&p, &json!({"role": "contractor", "arrival": "09:00"})),
        [NA]
    );
    assert_eq!(outcomes(&p, &json!({"arrival": "09:00"})), [NA]);
    assert_eq!(outcomes(&p, &json!({"role": null})), [NA]);
    // `when` true, check unknown: a violation for want of the data.
    let got = outcomes(&p, &json!({"role": "civil_servant"}));
    assert_eq!(missing_of(&p, &got[0]), ["arrival"]);
}

#[test]
fn and_or_stop_once_settled() {
    let p = program("rule r: count > 0 and total / count > 2\n");
    assert_eq!(outcomes(&p, &json!({"count": 0, "total": 10})), [failed()]);
    assert_eq!(outcomes(&p, &json!({"count": 2, "total": 10})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"count": 5, "total": 10})), [failed()]);
    let p = program("rule r: count == 0 or total / count > 2\n");
    assert_eq!(outcomes(&p, &json!({"count": 0, "total": 10})), [PASS]);
    // In a `when` too.
    let p = program("rule r {\n  when count != 0 and total / count > 2\n  check flag\n}\n");
    assert_eq!(
        outcomes(&p, &json!({"count": 0, "total": 10, "flag": false})),
        [NA]
    );
    // A settled left side is not re-read for `missing` either.
    let p = program("rule r: count > 0 and total / count > 2 and extra > 1\n");
    assert_eq!(outcomes(&p, &json!({"count": 0})), [failed()]);
}

// ---------------------------------------------------------------------------
// Arithmetic

#[test]
fn division_by_zero_is_an_error() {
    let p = program("rule r: total / count > 2\nrule other: total >= 0\nfield count: int\n");
    let got = outcomes(&p, &json!({"count": 0, "total": 10}));
    assert_eq!(got[0], Outcome::Error(Some(EvalError::DivisionByZero)));
    assert_eq!(got[1], PASS, "other rules are unaffected");
    let p = program("field x: decimal\nfield y: decimal\nrule r: x / y > 2.5\n");
    let got = outcomes(&p, &json!({"x": 1.5, "y": 0.0}));
    assert_eq!(got, [Outcome::Error(Some(EvalError::DivisionByZero))]);
    // With a missing operand it is unknown, never an evaluation error.
    let p = program("rule r: total / count > 2\nfield count: int\nfield total: int\n");
    let got = outcomes(&p, &json!({"count": 0}));
    assert_eq!(missing_of(&p, &got[0]), ["total"]);
    let p = program("rule r: total / 0 > 2\nfield total: int\n");
    assert!(is_unknown(&outcomes(&p, &json!({}))[0]));
    assert_eq!(
        outcomes(&p, &json!({"total": 1})),
        [Outcome::Error(Some(EvalError::DivisionByZero))]
    );
}

fn is_overflow(o: &Outcome) -> bool {
    matches!(o, Outcome::Error(Some(EvalError::Overflow { .. })))
}

#[test]
fn int_overflow_is_an_error() {
    let p = program("rule sq: n * n > 0\nrule inc: n + 1 > 0\nrule dec: n - 1 < 0\nrule neg: -n > 0\n");
    let got = outcomes(&p, &json!({"n": 4_000_000_000i64}));
    assert!(is_overflow(&got[0]), "{:?}", got[0]);
    assert_eq!(got[1], PASS);
    let got = outcomes(&p, &json!({"n": i64::MAX}));
    assert!(is_overflow(&got[0]), "{:?}", got[0]);
    assert!(is_overflow(&got[1]), "{:?}", got[1]);
    assert_eq!(got[2], failed());
    assert_eq!(got[3], failed());
    let got = outcomes(&p, &json!({"n": i64::MIN}));
    assert!(is_overflow(&got[2]), "{:?}", got[2]);
    assert!(is_overflow(&got[3]), "{:?}", got[3]);
    // Just inside the range is fine.
    let got = outcomes(&p, &json!({"n": 3_037_000_499i64}));
    assert_eq!(got[0], PASS);
    let got = outcomes(&p, &json!({"n": i64::MAX - 1}));
    assert_eq!(got[1], PASS);
}

#[test]
fn a_duration_times_an_int_is_a_duration() {
    // §3: `duration * int` and `int * duration` give a duration.
    assert_eq!(one("rule r: 8h * 5 == 40h\n", json!({})), PASS);
    assert_eq!(one("rule r: 2 * 30m == 1h\n", json!({})), PASS);
    assert_eq!(one("rule r: -2 * 30m == -1h\n", json!({})), PASS);
    assert_eq!(one("rule r: 1s * 0 == 0s\n", json!({})), PASS);
    let p = program("field wait: duration\nfield n: int\nrule r: wait * n <= 8h\nrule s: n * wait > 0s\n");
    assert_eq!(outcomes(&p, &json!({"wait": "1h30m", "n": 5})), [PASS, PASS]);
    assert_eq!(outcomes(&p, &json!({"wait": "1h30m", "n": 6})), [failed(), PASS]);
    let got = outcomes(&p, &json!({"wait": "1h"}));
    assert_eq!(missing_of(&p, &got[0]), ["n"], "missing, not an error");
    // Past the longest duration: an evaluation error.
    let got = outcomes(&p, &json!({"wait": "2d", "n": i64::MAX}));
    assert!(is_overflow(&got[0]), "{:?}", got[0]);
    assert!(is_overflow(&got[1]), "{:?}", got[1]);
    let mut checker = Checker::new(&p);
    let report = checker.check_json(&json!({"wait": "2d", "n": i64::MAX}));
    assert_eq!(report.errors.len(), 2, "{report:?}");
    assert_eq!(report.errors[0].rule.as_deref(), Some("r"));
    assert_eq!(report.errors[0].message, "arithmetic overflow in `*`");
    // An operand whose type only the product tells is inferred.
    let p = program("rule r: shift * 5 == 40h\nrule s: count * 30m <= 2h\n");
    assert_eq!(
        p.ruleset().fields.iter().map(|f| f.ty).collect::<Vec<_>>(),
        [Some(crate::Type::DURATION), Some(crate::Type::INT)]
    );
    assert_eq!(outcomes(&p, &json!({"shift": "8h", "count": 4})), [PASS, PASS]);
    assert_eq!(
        outcomes(&p, &json!({"shift": "7h", "count": 5})),
        [failed(), failed()]
    );
    // A decimal or a duration is not a factor of a duration.
    for text in [
        "rule r: 8h * 1.5 == 12h\n",
        "rule r: 8h * 2h == 16h\n",
        "rule r: 8h / 2 == 4h\n",
    ] {
        match Program::from_source("t.rules", text) {
            Ok(_) => panic!("{text:?} compiled"),
            Err(error) => assert!(
                error.render().contains("is not defined for"),
                "{}",
                error.render()
            ),
        }
    }
}

#[test]
fn int_divided_by_int_is_a_decimal() {
    let p =
        program("field a: int\nfield b: int\nrule r: a / b == 2.5\nrule s: a / b > 2\nrule t: a / b == 2\n");
    let got = outcomes(&p, &json!({"a": 10, "b": 4}));
    assert_eq!(got, [PASS, PASS, failed()]);
    assert_eq!(one("rule r: 7 / 2 == 3.5\n", json!({})), PASS);
    assert_eq!(one("rule r: n / 3 * 3 > 0.99\n", json!({"n": 1})), PASS);
    assert_eq!(one("rule r: -7 / 2 == -3.5\n", json!({})), PASS);
}

#[test]
fn decimals_are_exact() {
    assert_eq!(one("rule r: 0.1 + 0.2 == 0.3\n", json!({})), PASS);
    let p = program("field x: decimal\nfield y: decimal\nrule r: x + y == 0.3\n");
    assert_eq!(outcomes(&p, &json!({"x": 0.1, "y": 0.2})), [PASS]);
    assert_eq!(
        one(
            "field price: decimal\nrule r: price * 3 == 23.97\n",
            json!({"price": 7.99})
        ),
        PASS
    );
    assert_eq!(one("rule r: price == 7.99\n", json!({"price": 7.99})), PASS);
    // Ints and decimals compare by value.
    assert_eq!(one("rule r: n > 1.5\n", json!({"n": 2})), PASS);
    assert_eq!(
        one("field rate: decimal\nrule r: rate == 2\n", json!({"rate": 2})),
        PASS
    );
    assert_eq!(one("rule r: 1.10 == 1.1\n", json!({})), PASS);
}

#[test]
fn decimals_in_records_are_read_exactly() {
    // §2: decimals are exact base-10 with at least 28 significant digits; a
    // number in JSON text read as a decimal keeps its digits. (A
    // `serde_json::Value` has already rounded its numbers to f64, so this
    // goes through text: an NDJSON line and a `.json` document.)
    for (rules, line) in [
        (
            "field x: decimal\nrule r: x == 0.12345678901234567891\n",
            r#"{"x": 0.12345678901234567891}"#,
        ),
        (
            "field x: decimal\nrule r: x == 1234567890.1234567891\n",
            r#"{"x": 1234567890.1234567891}"#,
        ),
        (
            "field x: decimal\nrule r: x == 123456789012345678901234.5\n",
            r#"{"x": 123456789012345678901234.5}"#,
        ),
        (
            "field x: decimal\nfield y: decimal\nrule r: x + y == 0.3\n",
            r#"{"x": 0.1, "y": 0.2}"#,
        ),
        (
            "rule r: x == 0.10000000000000000001\n",
            r#"{"x": 0.10000000000000000001}"#,
        ),
    ] {
        let p = program(rules);
        let mut checker = Checker::new(&p);
        let report = checker.check_ndjson_line(line).expect("a record");
        assert!(
            report.violations.is_empty() && report.errors.is_empty(),
            "{rules:?} with {line}: {report:?}"
        );
        let reports = [read_all(&p, line, InputFormat::Json)(1)];
        assert!(
            reports[0].violations.is_empty() && reports[0].errors.is_empty(),
            "{rules:?} with {line} as .json: {:?}",
            reports[0]
        );
    }
}

#[test]
fn decimals_from_json_values_keep_their_shortest_form() {
    // A `serde_json::Value` holds an f64; read as a decimal it is the
    // number that f64 prints as (its shortest form), not a rounding of it.
    // Each case is collected, so that one failure names them all.
    let mut wrong = Vec::new();
    for (rules, record) in [
        (
            "field x: decimal\nrule r: x > 0.3\n",
            json!({"x": 0.30000000000000004}),
        ),
        (
            "field x: decimal\nrule r: x == 0.30000000000000004\n",
            json!({"x": 0.30000000000000004}),
        ),
        (
            "field x: decimal\nrule r: x == 123456.78901234567\n",
            json!({"x": 123456.78901234567}),
        ),
        (
            "field xs: list[decimal]\nrule r: 0.30000000000000004 in xs\n",
            json!({"xs": [0.30000000000000004]}),
        ),
    ] {
        let p = program(rules);
        let got = outcomes(&p, &record);
        if got != [PASS] {
            wrong.push(format!("{rules:?} with {record} (a Value): {got:?}"));
        }
        let report = Checker::new(&p)
            .check_ndjson_line(&record.to_string())
            .expect("a record");
        if !report.violations.is_empty() {
            wrong.push(format!("{rules:?} with {record} (text): {:?}", report.violations));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_record_reads_the_same_from_a_json_value_and_from_json_text() {
    // One record, whichever way it arrives, gives one report: the message
    // shows the record's value the same way.
    let p = program("field d: decimal\nrule r {\n  check d > 5\n  message \"d = {d}\"\n}\n");
    for text in [
        r#"{"d": -3.0}"#,
        r#"{"d": 2.50}"#,
        r#"{"d": 1e2}"#,
        r#"{"d": -0.0}"#,
    ] {
        let value: Json = serde_json::from_str(text).unwrap();
        let from_value = Checker::new(&p).check_json(&value);
        let from_text = Checker::new(&p).check_ndjson_line(text).expect("a record");
        assert_eq!(from_value, from_text, "{text}");
    }
}

#[test]
fn a_field_used_as_int_and_as_decimal_reads_decimals() {
    // §4: a field inferred as int in one place and decimal in another is a
    // decimal, so a record may hold 1.5 there.
    let p = program("rule a: n > 1\nrule b: n < 2.5\n");
    assert_eq!(outcomes(&p, &json!({"n": 1.5})), [PASS, PASS]);
    assert_eq!(outcomes(&p, &json!({"n": 2})), [PASS, PASS]);
}

#[test]
fn an_empty_list_holds_nothing() {
    let p = program(
        "rule r: n > 0 and n not in []
rule s: n in []
",
    );
    assert_eq!(outcomes(&p, &json!({"n": 1})), [PASS, failed()]);
}

#[test]
fn time_and_date_differences_are_durations() {
    let p = program(
        "field arrive: time\nfield leave: time\n\
         rule long_day: leave - arrive >= 8h\n\
         rule backwards: arrive - leave < 0s\n\
         rule exact: leave - arrive == 9h30m\n",
    );
    let got = outcomes(&p, &json!({"arrive": "08:00", "leave": "17:30"}));
    assert_eq!(got, [PASS, PASS, PASS]);
    let got = outcomes(&p, &json!({"arrive": "08:00", "leave": "15:59:59"}));
    assert_eq!(got, [failed(), PASS, failed()]);
    let got = outcomes(&p, &json!({"arrive": "08:00"}));
    assert!(got.iter().all(is_unknown), "{got:?}");

    let p = program(
        "field start: date\nfield end: date\n\
         rule two_days: end - start == 2d\n\
         rule negative: start - end == -2d\n\
         rule hours: end - start == 48h\n",
    );
    // 2024 is a leap year.
    let got = outcomes(&p, &json!({"start": "2024-02-28", "end": "2024-03-01"}));
    assert_eq!(got, [PASS, PASS, PASS]);
    let got = outcomes(&p, &json!({"start": "2023-02-28", "end": "2023-03-01"}));
    assert_eq!(got, [failed(), failed(), failed()]);
    // Across a year.
    assert_eq!(
        one(
            "field a: date\nfield b: date\nrule r: b - a == 366d\n",
            json!({"a": "2024-01-01", "b": "2025-01-01"})
        ),
        PASS
    );
    // duration ± duration
    assert_eq!(
        one(
            "field d: duration\nrule r: d + 30m == 2h\n",
            json!({"d": "1h30m"})
        ),
        PASS
    );
    assert_eq!(
        one("field d: duration\nrule r: d - 2h < 0s\n", json!({"d": "1h"})),
        PASS
    );
}

#[test]
fn time_plus_duration_leaving_the_day_is_an_error() {
    let p = program("field arrive: time\nrule r: arrive + 2h <= 23:59:59\nrule s: arrive - 9h >= 00:00\n");
    let got = outcomes(&p, &json!({"arrive": "21:00"}));
    assert_eq!(got, [PASS, PASS]);
    let got = outcomes(&p, &json!({"arrive": "23:00"}));
    assert!(
        matches!(got[0], Outcome::Error(Some(EvalError::TimeOutOfDay { .. }))),
        "{:?}",
        got[0]
    );
    assert_eq!(got[1], PASS);
    let got = outcomes(&p, &json!({"arrive": "08:00"}));
    assert!(
        matches!(got[1], Outcome::Error(Some(EvalError::TimeOutOfDay { .. }))),
        "{:?}",
        got[1]
    );
    // Up to 23:59:59 exactly is inside the day.
    assert_eq!(
        one(
            "field t: time\nrule r: t + 1s == 23:59:59\n",
            json!({"t": "23:59:58"})
        ),
        PASS
    );
    assert!(matches!(
        one(
            "field t: time\nrule r: t + 1s == 23:59:59\n",
            json!({"t": "23:59:59"})
        ),
        Outcome::Error(Some(EvalError::TimeOutOfDay { .. }))
    ));
    // Missing time: unknown, not an error.
    assert!(is_unknown(&outcomes(&p, &json!({}))[0]));
}

#[test]
fn date_plus_duration_must_be_whole_days() {
    let p = program(
        "field start: date\nfield d: duration\n\
         rule plus_day: start + 1d == 2024-03-01\n\
         rule plus_hours: start + 36h > 2024-01-01\n\
         rule plus_field: start + d > 2024-01-01\n\
         rule minus: start - 24h == 2024-02-28\n",
    );
    let got = outcomes(&p, &json!({"start": "2024-02-29", "d": "2d"}));
    assert_eq!(got[0], PASS);
    assert!(
        matches!(got[1], Outcome::Error(Some(EvalError::NotWholeDays { .. }))),
        "{:?}",
        got[1]
    );
    assert_eq!(got[2], PASS);
    assert_eq!(got[3], PASS);
    let got = outcomes(&p, &json!({"start": "2024-02-29", "d": "25h"}));
    assert!(
        matches!(got[2], Outcome::Error(Some(EvalError::NotWholeDays { .. }))),
        "{:?}",
        got[2]
    );
    // Leaving the calendar is an evaluation error too.
    let got = outcomes(&p, &json!({"start": "9999-12-31", "d": "1d"}));
    assert!(matches!(got[2], Outcome::Error(Some(_))), "{:?}", got[2]);
}

// ---------------------------------------------------------------------------
// Ordering and membership

#[test]
fn strings_order_by_code_point() {
    let p = program("rule lt: name < \"a\"\nrule gt: name > \"Z\"\nrule le: name <= \"ă\"\n");
    // 'B' (U+0042) < 'Z' (U+005A) < 'a' (U+0061) < 'b'.
    assert_eq!(outcomes(&p, &json!({"name": "B"})), [PASS, failed(), PASS]);
    assert_eq!(outcomes(&p, &json!({"name": "b"})), [failed(), PASS, PASS]);
    // 'Đ' (U+0110) sorts after every ASCII letter, 'á' (U+00E1) before 'ă' (U+0103).
    assert_eq!(outcomes(&p, &json!({"name": "Đặng"})), [failed(), PASS, failed()]);
    assert_eq!(outcomes(&p, &json!({"name": "á"})), [failed(), PASS, PASS]);
    // A prefix sorts first.
    assert_eq!(one("rule r: name < \"abc\"\n", json!({"name": "ab"})), PASS);
    // Not by a locale: "ä" (U+00E4) > "z".
    assert_eq!(one("rule r: name > \"z\"\n", json!({"name": "ä"})), PASS);
    // Equality is exact (no normalisation, no case folding).
    assert_eq!(one("rule r: name == \"A\"\n", json!({"name": "a"})), failed());
}

#[test]
fn in_lists_and_inclusive_ranges() {
    let p = program(
        "rule ints: n in 1..5\n\
         rule list: n in [2, 4, 6]\n\
         rule not_list: n not in [2, 4]\n\
         rule not_range: n not in 1..5\n",
    );
    for (n, want) in [
        (0, [failed(), failed(), PASS, PASS]),
        (1, [PASS, failed(), PASS, failed()]),
        (2, [PASS, PASS, failed(), failed()]),
        (5, [PASS, failed(), PASS, failed()]),
        (6, [failed(), PASS, PASS, PASS]),
    ] {
        assert_eq!(outcomes(&p, &json!({ "n": n })), want, "n = {n}");
    }
    let got = outcomes(&p, &json!({}));
    assert!(got.iter().all(is_unknown), "missing element: {got:?}");

    let p = program("rule r: t in 07:00..07:30\n");
    assert_eq!(outcomes(&p, &json!({"t": "07:00"})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"t": "07:30"})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"t": "07:30:01"})), [failed()]);
    assert_eq!(outcomes(&p, &json!({"t": "6:59"})), [failed()]);
    let p = program("rule r: d in 2024-01-01..2024-12-31\n");
    assert_eq!(outcomes(&p, &json!({"d": "2024-12-31"})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"d": "2025-01-01"})), [failed()]);
    // A decimal in an int range, an int in a decimal list.
    let p = program("field rate: decimal\nrule r: rate in 1..2\n");
    assert_eq!(outcomes(&p, &json!({"rate": 2.0})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"rate": 2.01})), [failed()]);
    assert_eq!(one("rule r: n in [1, 2.5]\n", json!({"n": 1})), PASS);
    assert_eq!(one("rule r: n in [1, 2.5]\n", json!({"n": 2.5})), PASS);
    assert_eq!(one("rule r: n in -3..-1\n", json!({"n": -2})), PASS);
    // Strings.
    let p = program("rule r: unit in [\"Sở Nội vụ\", \"UBND\"]\n");
    assert_eq!(outcomes(&p, &json!({"unit": "Sở Nội vụ"})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"unit": "sở nội vụ"})), [failed()]);
    // Bools in a list.
    assert_eq!(one("rule r: flag in [true]\n", json!({"flag": false})), failed());
}

#[test]
fn list_fields() {
    let p = program(
        "field tags: list[string]\n\
         rule has_x: \"x\" in tags\n\
         rule no_x: \"x\" not in tags\n\
         rule two: len(tags) == 2\n\
         rule some: tags required\n\
         rule there: tags present\n",
    );
    let got = outcomes(&p, &json!({"tags": ["x", "y"]}));
    assert_eq!(got, [PASS, failed(), PASS, PASS, PASS]);
    let got = outcomes(&p, &json!({"tags": ["y"]}));
    assert_eq!(got, [failed(), PASS, failed(), PASS, PASS]);
    let got = outcomes(&p, &json!({"tags": []}));
    assert_eq!(got, [failed(), PASS, failed(), failed(), PASS]);
    let got = outcomes(&p, &json!({}));
    assert_eq!(missing_of(&p, &got[0]), ["tags"]);
    assert_eq!(missing_of(&p, &got[1]), ["tags"]);
    assert_eq!(missing_of(&p, &got[2]), ["tags"]);
    assert_eq!(got[3], failed());
    assert_eq!(got[4], failed());
    // Elements of the wrong type, or not a list at all: a data error.
    for bad in [
        json!({"tags": [1, 2]}),
        json!({"tags": "x"}),
        json!({"tags": ["x", 1]}),
    ] {
        let got = outcomes(&p, &bad);
        assert!(got.iter().all(|o| *o == Outcome::Error(None)), "{bad}: {got:?}");
    }
    // A field as the element.
    let p = program("field tags: list[string]\nrule r: code in tags\n");
    assert_eq!(outcomes(&p, &json!({"code": "b", "tags": ["a", "b"]})), [PASS]);
    let got = outcomes(&p, &json!({}));
    assert_eq!(missing_of(&p, &got[0]), ["code", "tags"]);
    // Int lists.
    let p = program("field ids: list[int]\nrule r: 3 in ids and len(ids) < 4\n");
    assert_eq!(outcomes(&p, &json!({"ids": [1, 2, 3]})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"ids": [1, 2, 3, 4]})), [failed()]);
}

#[test]
fn int_and_decimal_compare_among_a_list_fields_elements() {
    // A decimal among ints.
    let p = program("field ratio: decimal\nfield visit_counts: list[int]\nrule r: ratio in visit_counts\n");
    assert_eq!(
        outcomes(&p, &json!({"ratio": 1.0, "visit_counts": [1, 2]})),
        [PASS]
    );
    assert_eq!(outcomes(&p, &json!({"ratio": 2, "visit_counts": [1, 2]})), [PASS]);
    assert_eq!(
        outcomes(&p, &json!({"ratio": 1.5, "visit_counts": [1, 2]})),
        [failed()]
    );
    // An int among decimals, declared or inferred.
    for text in [
        "field count: int\nfield visit_ratios: list[decimal]\nrule r: count in visit_ratios\n",
        "field visit_ratios: list[decimal]\nrule r: count > 0 and count in visit_ratios\n",
    ] {
        let p = program(text);
        assert_eq!(
            outcomes(&p, &json!({"count": 1, "visit_ratios": [1.0]})),
            [PASS],
            "{text}"
        );
        assert_eq!(
            outcomes(&p, &json!({"count": 1, "visit_ratios": [0.5, 1]})),
            [PASS],
            "{text}"
        );
        assert_eq!(
            outcomes(&p, &json!({"count": 2, "visit_ratios": [1.5]})),
            [failed()],
            "{text}"
        );
    }
    let p =
        program("field count: int\nfield visit_ratios: list[decimal]\nrule r: count not in visit_ratios\n");
    assert_eq!(
        outcomes(&p, &json!({"count": 1, "visit_ratios": [1.0]})),
        [failed()]
    );
    assert_eq!(outcomes(&p, &json!({"count": 2, "visit_ratios": [1.5]})), [PASS]);
}

#[test]
fn minus_a_field_keeps_the_fields_type() {
    // `grade` is an int (the range), `-grade` is compared with a decimal.
    let p = program("rule r: grade in -50..27 and -grade <= 18.25\n");
    assert_eq!(outcomes(&p, &json!({"grade": -18})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"grade": -19})), [failed()]);
    assert_eq!(outcomes(&p, &json!({"grade": 3})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"grade": 3.5})), [Outcome::Error(None)]);
    let mut checker = Checker::new(&p);
    let report = checker.check_json(&json!({"grade": 3.5}));
    assert_eq!(report.errors.len(), 1, "{report:?}");
    assert_eq!(report.errors[0].field.as_deref(), Some("grade"));
}

// ---------------------------------------------------------------------------
// Predicates and paths

#[test]
fn required_present_missing() {
    let p = program("rule req: x required\nrule pre: x present\nrule mis: x missing\n");
    let f = failed;
    for (record, want) in [
        (json!({}), [f(), f(), PASS]),
        (json!({"x": null}), [f(), f(), PASS]),
        (json!({"x": false}), [f(), PASS, f()]),
        (json!({"x": ""}), [f(), PASS, f()]),
        (json!({"x": []}), [f(), PASS, f()]),
        (json!({"x": 0}), [PASS, PASS, f()]),
        (json!({"x": 0.0}), [PASS, PASS, f()]),
        (json!({"x": true}), [PASS, PASS, f()]),
        (json!({"x": " "}), [PASS, PASS, f()]),
        (json!({"x": "0"}), [PASS, PASS, f()]),
        (json!({"x": {"y": 1}}), [PASS, PASS, f()]),
    ] {
        assert_eq!(outcomes(&p, &record), want, "{record}");
    }
    // Typed fields behave the same.
    let p = program("field b: bool\nfield s: string\nrule rb: b required\nrule rs: s required\n");
    assert_eq!(outcomes(&p, &json!({"b": false, "s": ""})), [failed(), failed()]);
    assert_eq!(outcomes(&p, &json!({"b": true, "s": "a"})), [PASS, PASS]);
    let p = program("field n: int\nrule r: n required\n");
    assert_eq!(outcomes(&p, &json!({"n": 0})), [PASS]);
    // Predicates are never unknown.
    let p = program("rule r: not (x present) or x required\n");
    assert_eq!(outcomes(&p, &json!({})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"x": ""})), [failed()]);
}

#[test]
fn nested_paths() {
    let p = program(
        "key employee.id\n\
         rule unit: employee.unit == \"A\"\n\
         rule deep: a.b.c > 1\n\
         rule req: employee.name required\n",
    );
    let got = outcomes(
        &p,
        &json!({"employee": {"unit": "A", "id": "NV-1", "name": "Lan"}, "a": {"b": {"c": 2}}}),
    );
    assert_eq!(got, [PASS, PASS, PASS]);
    let got = outcomes(&p, &json!({"employee": {"unit": "B"}, "a": {"b": {"c": 0}}}));
    assert_eq!(got, [failed(), failed(), failed()]);
    for record in [
        json!({}),
        json!({"employee": null, "a": null}),
        json!({"employee": {}, "a": {"b": {}}}),
        json!({"employee": "A", "a": {"b": 3}}),
        json!({"employee": [1], "a": 1}),
    ] {
        let got = outcomes(&p, &record);
        assert_eq!(missing_of(&p, &got[0]), ["employee.unit"], "{record}");
        assert_eq!(missing_of(&p, &got[1]), ["a.b.c"], "{record}");
        assert_eq!(got[2], failed(), "{record}");
    }
    // A dotted key is not a path.
    let got = outcomes(&p, &json!({"employee.unit": "A"}));
    assert!(is_unknown(&got[0]), "{got:?}");
}

// ---------------------------------------------------------------------------
// Data errors

#[test]
fn a_wrong_json_type_is_a_data_error_for_the_rules_reading_it() {
    let p = program(
        "rule on_time: arrival <= 07:30\n\
         rule badge: badge_worn required\n\
         rule both: badge_worn required and arrival present\n\
         rule hours: hours >= 8\n",
    );
    for bad in [
        json!(730),
        json!("7h30"),
        json!("25:00"),
        json!(true),
        json!(["07:00"]),
        json!({"h": 7}),
    ] {
        let got = outcomes(&p, &json!({"arrival": bad, "badge_worn": true, "hours": 8}));
        assert_eq!(got[0], Outcome::Error(None), "{bad}");
        assert_eq!(got[1], PASS, "{bad}: other rules are unaffected");
        assert_eq!(got[2], Outcome::Error(None), "{bad}: even through `present`");
        assert_eq!(got[3], PASS, "{bad}");
    }
    // Each scalar type refuses what is not it.
    for (decl, bad) in [
        ("int", json!("5")),
        ("int", json!(1.5)),
        ("int", json!(true)),
        ("decimal", json!("1.5")),
        ("bool", json!("true")),
        ("bool", json!(1)),
        ("string", json!(5)),
        ("string", json!(["a"])),
        ("date", json!("2022-02-30")),
        ("date", json!("2022-2-09")),
        ("date", json!(20220209)),
        ("time", json!("24:00")),
        ("time", json!("07:3")),
        ("duration", json!("30min")),
        ("duration", json!(30)),
    ] {
        let p = program(&format!(
            "field v: {decl}\nrule r: v present\nrule other: w present\n"
        ));
        let got = outcomes(&p, &json!({"v": bad, "w": 1}));
        assert_eq!(got, [Outcome::Error(None), PASS], "{decl} ← {bad}");
    }
    // A data error wins even where `and` would not read the field.
    let p = program("field a: bool\nfield b: bool\nrule r: a and b\n");
    assert_eq!(
        outcomes(&p, &json!({"a": false, "b": "no"})),
        [Outcome::Error(None)]
    );
    // In `when`, too.
    let p = program("rule r {\n  when role == \"x\"\n  check n > 1\n}\n");
    assert_eq!(outcomes(&p, &json!({"role": 5, "n": 2})), [Outcome::Error(None)]);
}

#[test]
fn data_errors_are_reported_per_field_whether_or_not_a_rule_uses_it() {
    let p = program(
        "field hired: date\nfield arrival: time\n\
         rule badge {\n  check badge_worn required\n  message \"{arrival}\"\n}\n",
    );
    let mut checker = Checker::new(&p);
    let report = checker.check_json(&json!({"hired": "yesterday", "arrival": 7, "badge_worn": false}));
    let fields: Vec<_> = report.errors.iter().map(|e| e.field.as_deref()).collect();
    assert_eq!(fields, [Some("hired"), Some("arrival")]);
    assert!(report.errors.iter().all(|e| e.rule.is_none()));
    // A field used only in the message does not make the rule an error.
    assert_eq!(report.violations.len(), 1);
    assert_eq!(report.violations[0].rule, "badge");
    assert_eq!(report.violations[0].message.as_deref(), Some(""));
    let o = outcomes(&p, &json!({"hired": "yesterday", "badge_worn": true}));
    assert_eq!(o, [PASS]);
}

#[test]
fn a_record_that_is_not_an_object_is_one_error() {
    let p = program("rule r: x required\n");
    assert!(p.record_from_json(&json!([1, 2])).is_none());
    let mut checker = Checker::new(&p);
    for json in [json!([1]), json!("x"), json!(null), json!(3)] {
        let report = checker.check_json(&json);
        assert_eq!(report.errors.len(), 1);
        assert!(report.violations.is_empty());
        assert_eq!(
            (report.errors[0].field.as_ref(), report.errors[0].rule.as_ref()),
            (None, None)
        );
    }
    assert_eq!(checker.check_json(&json!({"x": 1})).record, 5);
}

// ---------------------------------------------------------------------------
// `missing`

#[test]
fn missing_lists_fields_in_order_of_first_appearance() {
    let p = program("rule r {\n  when w present\n  check b + a > 1 and a < 5 or c > 2 and flag\n}\n");
    let got = outcomes(&p, &json!({"w": 1}));
    assert_eq!(missing_of(&p, &got[0]), ["b", "a", "c", "flag"]);
    let got = outcomes(&p, &json!({"w": 1, "a": 1}));
    assert_eq!(missing_of(&p, &got[0]), ["b", "c", "flag"]);
    // Only the fields that made it unknown: a settled part adds none.
    let p = program("rule r: (a > 1 or b > 1) and (c > 1 or d > 1)\n");
    let got = outcomes(&p, &json!({"a": 2, "d": 0}));
    assert_eq!(missing_of(&p, &got[0]), ["c"]);
    let got = outcomes(&p, &json!({"a": 0, "c": 2}));
    assert_eq!(missing_of(&p, &got[0]), ["b"]);
    // Present fields are never listed; each missing field once.
    let p = program("rule r: x > 1 and y > x and x < 10 and weekday(d) < 6\n");
    let got = outcomes(&p, &json!({"y": 5}));
    assert_eq!(missing_of(&p, &got[0]), ["x", "d"]);
    // The `when` fields are not listed.
    let p = program("rule r {\n  when k > 0 or j > 0\n  check m > 1\n}\n");
    let got = outcomes(&p, &json!({"k": 1}));
    assert_eq!(missing_of(&p, &got[0]), ["m"]);
    // Through not, functions, membership and arithmetic.
    let p = program(
        "field tags: list[string]\n\
         rule r: not (lower(s) == \"x\") and t - 1 in [1, 2] and u in tags\n",
    );
    let got = outcomes(&p, &json!({}));
    assert_eq!(missing_of(&p, &got[0]), ["s", "t", "u", "tags"]);
    // The violation in a report names them the same way.
    let p = program("rule r: b > 1 and a > 1\n");
    let mut checker = Checker::new(&p);
    let report = checker.check_json(&json!({}));
    assert_eq!(report.violations[0].missing, ["b", "a"]);
    assert_eq!(report.violations[0].reason, Reason::Missing);
    let report = checker.check_json(&json!({"a": 0}));
    assert_eq!(report.violations[0].reason, Reason::Failed);
    assert!(report.violations[0].missing.is_empty());
}

// ---------------------------------------------------------------------------
// Functions of §3

#[test]
fn weekday_counts_from_monday() {
    let p = program("rule r: weekday(d) == n\nfield n: int\n");
    for (date, n) in [
        ("2024-01-01", 1),
        ("2024-01-02", 2),
        ("2022-02-09", 3),
        ("2024-01-04", 4),
        ("2024-01-05", 5),
        ("2024-01-06", 6),
        ("2024-01-07", 7),
        ("2000-02-29", 2),
    ] {
        assert_eq!(outcomes(&p, &json!({"d": date, "n": n})), [PASS], "{date}");
    }
    assert_eq!(
        one("rule r: weekday(d) <= 5\n", json!({"d": "2024-01-06"})),
        failed()
    );
}

#[test]
fn date_and_time_parts() {
    let p = program(
        "rule dd: day(d) == 9\nrule mm: month(d) == 2\nrule yy: year(d) == 2022\n\
         rule hh: hour(t) == 17\nrule mi: minute(t) == 5\n",
    );
    assert_eq!(
        outcomes(&p, &json!({"d": "2022-02-09", "t": "17:05:30"})),
        [PASS, PASS, PASS, PASS, PASS]
    );
    assert_eq!(one("rule r: hour(t) == 7\n", json!({"t": "7:30"})), PASS);
    assert_eq!(one("rule r: minute(t) == 0\n", json!({"t": "00:00"})), PASS);
}

#[test]
fn len_counts_characters() {
    // "Nguyễn Văn Á": 12 characters, more bytes.
    let name = "Nguy\u{1EC5}n V\u{0103}n \u{00C1}";
    assert!(name.len() > 12);
    let p = program("rule twelve: len(name) == 12\nrule short: len(name) < 13\nfield name: string\n");
    assert_eq!(outcomes(&p, &json!({ "name": name })), [PASS, PASS]);
    assert_eq!(
        one("field s: string\nrule r: len(s) == 0\n", json!({"s": ""})),
        PASS
    );
    assert_eq!(
        one(
            "field s: string\nrule r: len(s) == 4\n",
            json!({"s": "\u{0110}\u{1EB7}ng"})
        ),
        PASS
    );
    assert!(is_unknown(&one(
        "field s: string\nrule r: len(s) == 0\n",
        json!({})
    )));
}

#[test]
fn lower_and_upper_handle_vietnamese() {
    let p = program(
        "rule lo: lower(name) == \"đặng thị ánh\"\n\
         rule up: upper(name) == \"ĐẶNG THỊ ÁNH\"\n",
    );
    assert_eq!(outcomes(&p, &json!({"name": "ĐẶNG THỊ ÁNH"})), [PASS, PASS]);
    assert_eq!(outcomes(&p, &json!({"name": "Đặng Thị Ánh"})), [PASS, PASS]);
    assert_eq!(
        outcomes(&p, &json!({"name": "Dang Thi Anh"})),
        [failed(), failed()]
    );
    assert_eq!(
        one("rule r: upper(s) == \"NGUYỄN\"\n", json!({"s": "nguyễn"})),
        PASS
    );
}

#[test]
fn contains_and_starts_with() {
    let p = program(
        "rule c: contains(unit, \"Nội vụ\")\n\
         rule s: starts_with(unit, \"Sở\")\n\
         rule f: contains(unit, part)\n",
    );
    assert_eq!(
        outcomes(&p, &json!({"unit": "Sở Nội vụ Nghệ An", "part": "Nghệ"})),
        [PASS, PASS, PASS]
    );
    assert_eq!(
        outcomes(&p, &json!({"unit": "UBND tỉnh, Sở", "part": "x"})),
        [failed(), failed(), failed()]
    );
    assert_eq!(outcomes(&p, &json!({"unit": "", "part": ""}))[2], PASS);
    let got = outcomes(&p, &json!({"unit": "Sở"}));
    assert_eq!(missing_of(&p, &got[2]), ["part"]);
}

#[test]
fn matches_searches_anywhere_unless_anchored() {
    let p = program(
        "rule anywhere: matches(code, \"\\\\d{3}\")\n\
         rule anchored: matches(code, \"^\\\\d{3}$\")\n\
         rule prefix: matches(code, \"^NV-\")\n",
    );
    assert_eq!(outcomes(&p, &json!({"code": "NV-0042"})), [PASS, failed(), PASS]);
    assert_eq!(outcomes(&p, &json!({"code": "042"})), [PASS, PASS, failed()]);
    assert_eq!(
        outcomes(&p, &json!({"code": "x-NV-42"})),
        [failed(), failed(), failed()]
    );
    // Unicode text.
    assert_eq!(
        one("rule r: matches(s, \"^Sở .+ vụ$\")\n", json!({"s": "Sở Nội vụ"})),
        PASS
    );
    let got = outcomes(&p, &json!({}));
    assert!(got.iter().all(is_unknown));
}

#[test]
fn functions_of_missing_arguments_are_unknown() {
    let p = program(
        "rule a: weekday(d) < 6\nrule b: hour(t) < 12\nrule c: len(s) > 1 and s != \"\"\n\
         rule d: lower(s) == \"x\"\nrule e: starts_with(s, \"x\")\n",
    );
    let got = outcomes(&p, &json!({}));
    assert!(got.iter().all(is_unknown), "{got:?}");
}

// ---------------------------------------------------------------------------
// Other types

#[test]
fn bools_and_durations_compare() {
    let p = program("rule r: flag == false\nrule s: flag != true\n");
    assert_eq!(outcomes(&p, &json!({"flag": false})), [PASS, PASS]);
    assert_eq!(outcomes(&p, &json!({"flag": true})), [failed(), failed()]);
    let p = program("field ot: duration\nrule r: ot > 30m\nrule s: ot <= 1h30m\n");
    assert_eq!(outcomes(&p, &json!({"ot": "1h"})), [PASS, PASS]);
    assert_eq!(outcomes(&p, &json!({"ot": "30m"})), [failed(), PASS]);
    assert_eq!(outcomes(&p, &json!({"ot": "2h"})), [PASS, failed()]);
    assert_eq!(outcomes(&p, &json!({"ot": "90m"})), [PASS, PASS]);
    // Times with and without seconds, one-digit hours.
    let p = program("rule r: t <= 07:30\n");
    assert_eq!(outcomes(&p, &json!({"t": "7:30"})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"t": "07:30:00"})), [PASS]);
    assert_eq!(outcomes(&p, &json!({"t": "07:30:01"})), [failed()]);
}

#[test]
fn csv_cells_read_as_their_fields_type() {
    let p = program(
        "field badge: bool\nfield n: int\nfield code: string\n\
         rule badge: badge\nrule n: n > 0\nrule code: code == \"0042\"\n\
         rule untyped: flag required\nrule text: other required\n",
    );
    let csv = "badge,n,code,flag,other\n1,5,0042,false,0042\n0,0,42,true,\ntrue,,0042,,x\nyes,x,,0,\n";
    let report = read_all(&p, csv, InputFormat::Csv);
    let reports: Vec<_> = (1..=4).map(&report).collect();
    let rules = |i: usize| -> Vec<(String, String)> {
        reports[i]
            .violations
            .iter()
            .map(|v| (v.rule.clone(), format!("{:?}", v.reason)))
            .collect()
    };
    // Row 1: all pass ("false" untyped is a bool: not required).
    assert_eq!(rules(0), [("untyped".to_string(), "Failed".to_string())]);
    assert!(reports[0].errors.is_empty());
    // Row 2: badge 0, n 0, code 42, other empty (missing).
    assert_eq!(
        rules(1),
        [
            ("badge".to_string(), "Failed".to_string()),
            ("n".to_string(), "Failed".to_string()),
            ("code".to_string(), "Failed".to_string()),
            ("text".to_string(), "Failed".to_string()),
        ]
    );
    // Row 3: n empty → missing.
    assert_eq!(
        rules(2),
        [
            ("n".to_string(), "Missing".to_string()),
            ("untyped".to_string(), "Failed".to_string()),
        ]
    );
    // Row 4: "yes" and "x" are data errors; "0" untyped is text, so required.
    let fields: Vec<_> = reports[3].errors.iter().map(|e| e.field.clone()).collect();
    assert_eq!(fields, [Some("badge".to_string()), Some("n".to_string())]);
}

#[test]
fn evaluation_errors_in_when_are_errors() {
    let p = program("rule r {\n  when total / count > 1\n  check flag\n}\nfield count: int\n");
    assert_eq!(
        outcomes(&p, &json!({"total": 1, "count": 0, "flag": true})),
        [Outcome::Error(Some(EvalError::DivisionByZero))]
    );
    let mut checker = Checker::new(&p);
    let report = checker.check_json(&json!({"total": 1, "count": 0, "flag": true}));
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].rule.as_deref(), Some("r"));
    assert_eq!(report.errors[0].field, None);
}

#[test]
fn messages_show_the_records_values() {
    let p = program(
        "field ngay: date\n\
         rule on_time {\n  check arrival <= 07:30\n  message \"Đến muộn lúc {arrival}, ngày {ngay}, [{absent}] {{x}} {emp.unit}\"\n}\n",
    );
    let mut checker = Checker::new(&p);
    let cases = [
        (
            json!({"arrival": "7:45", "ngay": "2024-01-02", "emp": {"unit": "Sở"}}),
            "Đến muộn lúc 07:45, ngày 2024-01-02, [] {x} Sở",
        ),
        (
            json!({"arrival": "07:45:30"}),
            "Đến muộn lúc 07:45:30, ngày , [] {x} ",
        ),
        (
            json!({"arrival": "08:00:00", "absent": 5}),
            "Đến muộn lúc 08:00, ngày , [5] {x} ",
        ),
    ];
    for (record, want) in cases {
        let report = checker.check_json(&record);
        assert_eq!(report.violations[0].message.as_deref(), Some(want), "{record}");
    }
}

#[test]
fn csv_numbers_and_text() {
    let p = program(
        "field rate: decimal\nfield n: int\nkey code\n\
         rule r: rate > 2\nrule s: n >= 7\n",
    );
    let csv = "code,rate,n\n0042,2.50,007\n0043, 1.5 ,6\n";
    let report = read_all(&p, csv, InputFormat::Csv);
    let reports = [report(1), report(2)];
    assert!(
        reports[0].violations.is_empty() && reports[0].errors.is_empty(),
        "{:?}",
        reports[0]
    );
    let rules: Vec<&str> = reports[1].violations.iter().map(|v| v.rule.as_str()).collect();
    assert_eq!(rules, ["r", "s"]);
    // An untyped key keeps its text: "0043", not 43.
    assert_eq!(
        reports[1].violations[0]
            .key
            .as_ref()
            .map(|k| k.to_string())
            .as_deref(),
        Some("0043")
    );
}

// ---------------------------------------------------------------------------
// Steps: one test of one field, decided without the walk

/// A rule that is one test of one field (perhaps under a `when` of one) is
/// run as `Step`s, not by the walk of its nodes; nothing else checks that
/// the two agree, for every kind of cell: values on either side of the
/// constant, other scales of decimals, missing fields, nulls and data errors.
#[test]
fn steps_agree_with_the_walk_of_their_nodes() {
    let p = program(
        r#"
field i: int
field d: decimal
field s: string
field t: time
field dt: date
field du: duration
field b: bool
rule i_lt { when i != 0 check i < 3 }
rule i_ge: i >= 2.5
rule i_eq: 7 == i
rule d_le: d <= 8.0
rule d_gt: d > 8
rule d_eq: d == 7.25
rule d_ne: d != 0.001
rule d_big: d < 7922816251426433759354395033.5
rule d_tiny: d > 0.0000000000000000000000000001
rule s_lt: s < "m"
rule s_eq { when s == "abc" check s != "abd" }
rule s_in { when s not in ["x"] check s in ["a", "abc"] }
rule t_le { when t > 06:00 check t <= 07:30 }
rule dt_gt: dt > 2022-03-31
rule du_ge: du >= 1h30m
rule b_eq: b == true
rule b_ne { when b present check false != b }
rule req { when u missing check s required }
rule u_req: u required
"#,
    );
    for rule in &p.rules {
        assert!(
            !matches!(rule.plan.check, crate::compile::Step::Walk(_))
                && !matches!(rule.plan.when, crate::compile::Step::Walk(_)),
            "{} is not run as steps",
            rule.id
        );
    }
    let fields: [(&str, Vec<Json>); 8] = [
        (
            "i",
            vec![
                json!(null),
                json!(0),
                json!(2),
                json!(3),
                json!(7),
                json!(-5),
                json!(i64::MAX),
                json!(i64::MIN),
                json!("x"),
                json!(2.5),
            ],
        ),
        (
            "d",
            vec![
                json!(7.25),
                json!(8),
                json!(8.0),
                json!(8.00000001),
                json!(7.99999999),
                json!(-8),
                json!(0.001),
                json!(0),
                json!(-0.0),
                json!(1e-28),
                json!(7.9e27),
                json!(-1e27),
                json!(true),
                json!(null),
                json!("8"),
            ],
        ),
        (
            "s",
            vec![
                json!(""),
                json!("a"),
                json!("abc"),
                json!("abd"),
                json!("m"),
                json!("n"),
                json!("x"),
                json!("ẞ"),
                json!(5),
                json!(null),
            ],
        ),
        (
            "t",
            vec![
                json!("07:30"),
                json!("07:29:59.5"),
                json!("07:30:00.000000001"),
                json!("06:00"),
                json!("05:00"),
                json!("7h"),
                json!(null),
            ],
        ),
        (
            "dt",
            vec![
                json!("2022-03-31"),
                json!("2022-04-01"),
                json!("2021-12-31"),
                json!(3),
                json!(null),
            ],
        ),
        (
            "du",
            vec![
                json!("1h30m"),
                json!("90m"),
                json!("1h29m59s"),
                json!("1d"),
                json!("x"),
                json!(null),
            ],
        ),
        (
            "b",
            vec![json!(true), json!(false), json!("true"), json!(1), json!(null)],
        ),
        (
            "u",
            vec![json!(0), json!(""), json!([]), json!({}), json!("u"), json!(null)],
        ),
    ];
    let longest = fields.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let mut records = Vec::new();
    for k in 0..longest {
        // Each field cycles through its values, so that every value meets
        // several others; a field left out now and then is missing.
        let mut record = serde_json::Map::new();
        for (n, (name, values)) in fields.iter().enumerate() {
            if (k + n) % 5 != 4 {
                record.insert(name.to_string(), values[(k + n) % values.len()].clone());
            }
        }
        records.push(Json::Object(record));
        let mut record = serde_json::Map::new();
        for (name, values) in &fields {
            record.insert(name.to_string(), values[k % values.len()].clone());
        }
        records.push(Json::Object(record));
    }
    let mut errors = 0;
    for json in &records {
        let record = p.record_from_json(json).expect("an object");
        errors += record
            .cells()
            .iter()
            .filter(|c| matches!(c, super::Cell::Error(_)))
            .count();
        let evaluator = super::walk::Evaluator::new(&record);
        for rule in &p.rules {
            let pairs = [
                (&rule.plan.check, Some(&rule.check)),
                (&rule.plan.when, rule.when.as_ref()),
            ];
            for (step, node) in pairs {
                let walked = node.map_or(Ok(crate::semantics::logic::Kleene::True), |n| evaluator.truth(n));
                assert_eq!(step.truth(&evaluator), walked, "{} on {json}", rule.id);
            }
        }
    }
    assert!(errors > 0, "no data errors among the records");
}
