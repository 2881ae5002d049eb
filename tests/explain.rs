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
