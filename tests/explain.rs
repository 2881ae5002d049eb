//! `civrules explain` and the `values` evidence on violations (issue 5).

use std::path::PathBuf;
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("civrules-explain-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const RULES: &str = r#"key employee_id
rule on_time {
  title "Chấp hành thời gian làm việc"
  when  role == "civil_servant"
  check arrival <= 07:30
}
rule badge: badge_worn required
"#;

const DATA: &str = r#"{"employee_id": "NV-01", "role": "civil_servant", "arrival": "07:10", "badge_worn": true}
{"employee_id": "NV-02", "role": "civil_servant", "arrival": "07:42"}
"#;

fn run(d: &PathBuf, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_civrules"))
        .args(args)
        .current_dir(d)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn explain_shows_each_rule_the_values_and_the_boundary() {
    let d = dir("boundary");
    std::fs::write(d.join("r.rules"), RULES).unwrap();
    std::fs::write(d.join("d.ndjson"), DATA).unwrap();
    let (code, out, err) = run(&d, &["explain", "r.rules", "d.ndjson", "--record", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("record 2 (key NV-02)\n"), "{out}");
    assert!(out.contains("rule on_time: violation (failed)"), "{out}");
    assert!(out.contains("when  role == \"civil_servant\"  → true"), "{out}");
    assert!(
        out.contains("arrival 07:42 > 07:30: passes at or before 07:30"),
        "{out}"
    );
    assert!(out.contains("rule badge: violation (failed)"), "{out}");
    assert!(out.contains("badge_worn missing"), "{out}");
}

#[test]
fn explain_with_rule_shows_that_rule_only_and_a_wrong_number_is_an_error() {
    let d = dir("one-rule");
    std::fs::write(d.join("r.rules"), RULES).unwrap();
    std::fs::write(d.join("d.ndjson"), DATA).unwrap();
    let (code, out, _) = run(
        &d,
        &[
            "explain", "r.rules", "d.ndjson", "--record", "1", "--rule", "badge",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("rule badge: pass") && !out.contains("on_time"),
        "{out}"
    );
    let (code, _, err) = run(&d, &["explain", "r.rules", "d.ndjson", "--record", "3"]);
    assert_eq!(code, 2);
    assert!(err.contains("there is no record 3: the data holds 2"), "{err}");
    let (code, _, err) = run(
        &d,
        &[
            "explain", "r.rules", "d.ndjson", "--record", "1", "--rule", "bagde",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `badge`?"), "{err}");
}

#[test]
fn violations_carry_the_values_of_the_fields_the_rule_read() {
    let d = dir("values");
    std::fs::write(d.join("r.rules"), RULES).unwrap();
    std::fs::write(d.join("d.ndjson"), DATA).unwrap();
    let (code, out, _) = run(&d, &["check", "r.rules", "d.ndjson", "--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let violations = report["violations"].as_array().unwrap();
    assert_eq!(
        violations[0]["values"],
        serde_json::json!({"role": "civil_servant", "arrival": "07:42"})
    );
    assert_eq!(violations[1]["values"], serde_json::json!({"badge_worn": null}));
    let (_, out, _) = run(&d, &["check", "r.rules", "d.ndjson", "--format", "ndjson"]);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["values"]["arrival"], "07:42");
}

/// An employee on several days, a key that is all digits, and a record
/// number past the data, across two files.
const DAYS: &str = r#"{"employee_id": "HT-001", "role": "civil_servant", "date": "2022-02-08", "arrival": "07:10", "badge_worn": true}
{"employee_id": "HT-002", "role": "civil_servant", "date": "2022-02-08", "arrival": "07:42", "badge_worn": true}
{"employee_id": "HT-001", "role": "civil_servant", "date": "2022-02-09", "arrival": "07:35", "badge_worn": true}
"#;
const MORE_DAYS: &str = r#"{"employee_id": "HT-002", "role": "civil_servant", "date": "2022-02-09", "arrival": "07:05"}
{"employee_id": "0042", "role": "civil_servant", "date": "2022-02-09", "arrival": "07:00", "badge_worn": true}
"#;

#[test]
fn a_key_value_explains_every_record_of_that_key_in_input_order() {
    let d = dir("by-key");
    std::fs::write(d.join("r.rules"), RULES).unwrap();
    std::fs::write(d.join("a.ndjson"), DAYS).unwrap();
    std::fs::write(d.join("b.ndjson"), MORE_DAYS).unwrap();
    let (code, out, err) = run(
        &d,
        &[
            "explain", "r.rules", "a.ndjson", "b.ndjson", "--record", "HT-002", "--rule", "on_time",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "record 2 (key HT-002)\n\
         \n\
         rule on_time: violation (failed)\n  \
           title  Chấp hành thời gian làm việc\n  \
           reads  role = \"civil_servant\", arrival = 07:42\n  \
           when  role == \"civil_servant\"  → true  (\"civil_servant\" == \"civil_servant\")\n  \
           check arrival <= 07:30  → false  (07:42 <= 07:30)\n        \
                 arrival 07:42 > 07:30: passes at or before 07:30\n\
         \n\
         record 4 (key HT-002)\n\
         \n\
         rule on_time: pass\n  \
           title  Chấp hành thời gian làm việc\n  \
           reads  role = \"civil_servant\", arrival = 07:05\n  \
           when  role == \"civil_servant\"  → true  (\"civil_servant\" == \"civil_servant\")\n  \
           check arrival <= 07:30  → true  (07:05 <= 07:30)\n"
    );
}

#[test]
fn a_key_of_digits_is_asked_for_with_key_and_digits_alone_are_a_record_number() {
    let d = dir("digit-key");
    std::fs::write(d.join("r.rules"), RULES).unwrap();
    std::fs::write(d.join("a.ndjson"), DAYS).unwrap();
    std::fs::write(d.join("b.ndjson"), MORE_DAYS).unwrap();
    let (code, out, err) = run(
        &d,
        &["explain", "r.rules", "a.ndjson", "b.ndjson", "--key", "0042"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("record 5 (key 0042)\n"), "{out}");
    assert_eq!(out.matches("\nrecord ").count(), 0, "{out}");
    let (code, out, err) = run(
        &d,
        &["explain", "r.rules", "a.ndjson", "b.ndjson", "--record", "3"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("record 3 (key HT-001)\n"), "{out}");
    let (code, _, err) = run(
        &d,
        &["explain", "r.rules", "a.ndjson", "b.ndjson", "--record", "0042"],
    );
    assert_eq!(code, 2);
    assert_eq!(err, "civrules: error: there is no record 42: the data holds 5\n");
    let (code, _, err) = run(
        &d,
        &[
            "explain", "r.rules", "a.ndjson", "--record", "1", "--key", "HT-001",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn a_key_no_record_has_is_an_error_with_the_closest_key_seen() {
    let d = dir("no-key-match");
    std::fs::write(d.join("r.rules"), RULES).unwrap();
    std::fs::write(d.join("a.ndjson"), DAYS).unwrap();
    let (code, out, err) = run(&d, &["explain", "r.rules", "a.ndjson", "--record", "HT-020"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "civrules: error: no record has key HT-020; did you mean `HT-002`?\n"
    );
    let (code, _, err) = run(&d, &["explain", "r.rules", "a.ndjson", "--record", "QN-777"]);
    assert_eq!(code, 2);
    assert_eq!(err, "civrules: error: no record has key QN-777\n");
}

#[test]
fn rules_without_a_key_take_record_numbers_only() {
    let d = dir("keyless");
    std::fs::write(d.join("r.rules"), "rule on_time: arrival <= 07:30\n").unwrap();
    std::fs::write(d.join("a.ndjson"), DAYS).unwrap();
    for args in [["--record", "HT-002"], ["--key", "HT-002"]] {
        let mut all = vec!["explain", "r.rules", "a.ndjson"];
        all.extend(args);
        let (code, out, err) = run(&d, &all);
        assert_eq!((code, out.as_str()), (2, ""));
        assert_eq!(
            err,
            "civrules: error: the rules declare no `key`, so no record can be found by key `HT-002`; give a record number\n"
        );
    }
    let (code, out, _) = run(&d, &["explain", "r.rules", "a.ndjson", "--record", "2"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("record 2\n"), "{out}");
}

#[test]
fn a_group_rule_shows_the_records_per_values_and_its_groups_outcome() {
    let d = dir("group");
    std::fs::write(
        d.join("r.rules"),
        "key employee_id\nfield date: date\nrule on_time: arrival <= 07:30\n\
         rule late_repeat {\n  per employee_id, month_start(date)\n  check violations(on_time) <= 1\n}\n",
    )
    .unwrap();
    // The group of record 1 is only complete with record 3, read after it.
    std::fs::write(
        d.join("d.ndjson"),
        "{\"employee_id\": \"A\", \"date\": \"2022-02-01\", \"arrival\": \"07:40\"}\n\
         {\"date\": \"2022-02-01\", \"arrival\": \"07:40\"}\n\
         {\"employee_id\": \"A\", \"date\": \"2022-02-21\", \"arrival\": \"07:50\"}\n",
    )
    .unwrap();
    let (code, out, err) = run(
        &d,
        &[
            "explain",
            "r.rules",
            "d.ndjson",
            "--record",
            "1",
            "--rule",
            "late_repeat",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  group  employee_id = \"A\", month_start(date) = 2022-02-01\n  → the group (2 records): violation (failed)\n      violations(on_time) = 2\n"),
        "{out}"
    );
    let (_, out, _) = run(
        &d,
        &[
            "explain",
            "r.rules",
            "d.ndjson",
            "--record",
            "2",
            "--rule",
            "late_repeat",
        ],
    );
    assert!(out.contains("in no group, counted in `ungrouped`"), "{out}");
}
