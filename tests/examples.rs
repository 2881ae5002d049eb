//! The attendance machine's export shipped in `examples/`: the CSV as Excel
//! saves it and the same data as `.xlsx`, read through
//! `examples/may-cham-cong.source` against `rules/nghe-an.rules`.

mod common;

use common::{repo, run, Out};
use serde_json::{json, Value};

fn check(data: &str, format: &str) -> Out {
    run(
        repo(),
        &[
            "check",
            "rules/nghe-an.rules",
            data,
            "--source",
            "examples/may-cham-cong.source",
            "--format",
            format,
        ],
    )
}

fn report(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out:?}"))
}

#[test]
fn the_attendance_export_gives_the_inspection_days_findings() {
    let out = check("examples/cham-cong-2022-02-09.csv", "json");
    assert_eq!(out.code, 1, "{out:?}");
    let report = report(&out);
    assert_eq!(report["records"], 30);
    let found: Vec<(u64, &str, &str, &str)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["record"].as_u64().unwrap(),
                v["key"].as_str().unwrap(),
                v["rule"].as_str().unwrap(),
                v["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (4, "NA-0004", "on_time", "failed"),
            (11, "NA-0011", "no_early_leave", "failed"),
            (19, "NA-0019", "on_time", "failed"),
            (19, "NA-0019", "no_early_leave", "failed"),
            (25, "NA-0025", "no_early_leave", "missing"),
            (25, "NA-0025", "full_day", "missing"),
        ]
    );
    assert_eq!(
        report["errors"],
        json!([{"record": 10, "field": "arrival", "rule": null, "key": "NA-0010",
                "message": "\"07:5O:12\" does not match the format \"%H:%M:%S\" of column \"Giờ vào\""}])
    );
    // What the machine never records is never reported: the rules that
    // read it are not checked, listed in rule order.
    let rules = [
        "badge",
        "nameplate",
        "dress",
        "work_plan",
        "tthc_overdue",
        "no_alcohol",
        "covid_mask",
        "health_declaration",
        "counter_presence",
        "unit_overdue_rate",
    ];
    let expected: serde_json::Map<String, Value> = rules.iter().map(|r| (r.to_string(), json!(30))).collect();
    assert_eq!(report["summary"]["not_checked"], Value::Object(expected));
    let section = &out.stdout[out.stdout.find("\"not_checked\"").unwrap()..];
    let positions: Vec<usize> = rules
        .iter()
        .map(|r| section.find(&format!("\"{r}\"")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{section}");
    assert_eq!(out.stderr.lines().count(), 10, "{}", out.stderr);
    assert!(out.stderr.starts_with(
        "examples/cham-cong-2022-02-09.csv: warning: rule badge not checked: no column gives field role\n"
    ));
}

#[test]
fn the_export_as_xlsx_gives_the_same_report_as_the_csv() {
    let csv = check("examples/cham-cong-2022-02-09.csv", "json");
    let xlsx = check("examples/cham-cong-2022-02-09.xlsx", "json");
    assert_eq!(xlsx.code, 1, "{xlsx:?}");
    assert_eq!(report(&xlsx), report(&csv));
}

#[test]
fn without_its_source_the_export_is_refused_not_misread() {
    let out = run(
        repo(),
        &[
            "check",
            "rules/nghe-an.rules",
            "examples/cham-cong-2022-02-09.csv",
        ],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("no rule can be checked"), "{out:?}");
}

/// The example month (`examples/gen_month.py` writes it): the inspection's
/// records and the machine's export of the same days.
#[test]
fn the_example_month_has_no_data_errors_and_its_two_files_agree() {
    let summary = |args: &[&str]| -> Value {
        let mut all = vec!["check", "rules/nghe-an.rules"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "summary", "--by", "unit", "--by", "employee_id"]);
        let out = run(repo(), &all);
        assert_eq!(out.code, 1, "{out:?}");
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out:?}"))
    };
    let records = summary(&["examples/nghe-an-2022-02.ndjson"]);
    let export = summary(&[
        "examples/nghe-an-2022-02.cham-cong.csv",
        "--source",
        "examples/may-cham-cong.source",
    ]);
    // 40 people, 16 working days (Tết until 04/02), 5 days of leave.
    assert_eq!(records["records"], 635);
    assert_eq!(export["records"], 635);
    assert_eq!(records["errors"], 0);
    assert_eq!(export["errors"], 0);
    assert_eq!(
        records["violations"],
        json!({"badge": 5, "nameplate": 0, "dress": 1, "on_time": 29, "no_early_leave": 15,
               "full_day": 13, "work_plan": 0, "tthc_overdue": 9, "no_alcohol": 0,
               "weekly_hours": 9, "late_repeat": 4,
               "covid_mask": 2, "health_declaration": 0, "counter_presence": 2, "unit_overdue_rate": 1})
    );
    // The group rules read the same times in both files: the same weeks
    // short, the same four people late more than three times.
    assert_eq!(export["violations"]["late_repeat"], 4);
    assert_eq!(export["violations"]["weekly_hours"], 9);
    // The machine records times: the time rules find the same, person by
    // person and unit by unit.
    for field in ["unit", "employee_id"] {
        let by_records = records["by"][field].as_object().expect("values");
        assert_eq!(
            by_records.len(),
            export["by"][field].as_object().expect("values").len()
        );
        for (value, counts) in by_records {
            for rule in ["on_time", "no_early_leave", "full_day"] {
                assert_eq!(
                    counts[rule], export["by"][field][value][rule],
                    "{field} {value} {rule}"
                );
            }
        }
    }
    assert_eq!(records["by"]["unit"].as_object().map(|u| u.len()), Some(6));
    assert_eq!(
        records["by"]["employee_id"].as_object().map(|p| p.len()),
        Some(40)
    );
    // Late more than three times in the month: four people (late_repeat's
    // four groups, each counted under its first record's person); one
    // exactly three.
    let repeated: Vec<&String> = records["by"]["employee_id"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, counts)| counts["late_repeat"] == 1)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(repeated, ["NA-1003", "NA-1307", "NA-1404", "NA-1503"]);
    let late: Vec<(&String, u64)> = records["by"]["employee_id"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(id, counts)| (id, counts["on_time"].as_u64().unwrap_or(0)))
        .filter(|(_, n)| *n >= 3)
        .collect();
    assert_eq!(late.iter().filter(|(_, n)| *n > 3).count(), 4, "{late:?}");
    assert_eq!(late.iter().filter(|(_, n)| *n == 3).count(), 1, "{late:?}");
}
