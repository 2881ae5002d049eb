//! Group rules (contract §9) and their output (§10), through the command:
//! compile errors at their place, outcomes of groups (failed, missing,
//! errors, aggregates not reached), `ungrouped`, messages, order, the
//! ndjson lines, the same bytes for any `--jobs`, and `extends`/`disable`.

mod common;

use common::{Dir, Out};
use serde_json::{json, Value};

fn json_of(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

const ATTENDANCE: &str = "ruleset \"cham-cong\"
key employee_id
field date: date
field arrival: time
field departure: time
field unit: string

rule on_time: arrival <= 07:30

rule late_repeat {
  title    \"Đi muộn nhiều lần trong một tháng\"
  severity major
  per      employee_id, month_start(date)
  check    violations(on_time) <= 1
  message  \"{full_name} đi muộn {violations(on_time)} lần trong tháng {month_start(date)}\"
}

rule weekly_hours {
  when  weekday(date) in 1..5
  per   employee_id, week_start(date)
  check sum(departure - arrival) >= count() * 8h
}
";

fn record(id: &str, name: &str, date: &str, arrival: &str, departure: Option<&str>) -> String {
    let mut r =
        json!({"employee_id": id, "full_name": name, "date": date, "arrival": arrival, "unit": "Sở Nội vụ"});
    if let Some(d) = departure {
        r["departure"] = json!(d);
    }
    r.to_string()
}

fn attendance_data() -> String {
    [
        record("A", "Nguyễn Văn An", "2022-02-07", "07:40", Some("17:00")),
        record("B", "Trần Thị Bình", "2022-02-07", "07:10", Some("17:00")),
        record("A", "Nguyễn Văn An", "2022-02-08", "07:50", None),
        record("A", "Nguyễn Văn An", "2022-02-09", "07:20", Some("17:00")),
        record("B", "Trần Thị Bình", "2022-02-08", "07:00", Some("16:00")),
    ]
    .join("\n")
}

#[test]
fn repeat_offences_and_weekly_hours_are_judged_per_group() {
    let dir = Dir::new("groups", "judged");
    dir.write("r.rules", ATTENDANCE)
        .write("d.ndjson", &attendance_data());
    let out = dir.run(&["check", "r.rules", "d.ndjson", "--format", "json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let report = json_of(&out);
    let groups = report["group_violations"].as_array().unwrap();
    // A was late twice in February; A's week misses a departure (unknown,
    // so `missing`, naming it); B's week is 9 h + 9 h ≥ 16 h: passes.
    assert_eq!(groups.len(), 2, "{report:#}");
    assert_eq!(
        groups[0],
        json!({
            "rule": "late_repeat", "severity": "major", "reason": "failed", "missing": [],
            "group": {"employee_id": "A", "month_start(date)": "2022-02-01"},
            "records": [1, 3, 4], "records_total": 3, "key": "A",
            "title": "Đi muộn nhiều lần trong một tháng",
            "message": "Nguyễn Văn An đi muộn 2 lần trong tháng 2022-02-01",
            "ref": null, "values": {"violations(on_time)": 2}
        })
    );
    assert_eq!(groups[1]["rule"], "weekly_hours");
    assert_eq!(groups[1]["reason"], "missing");
    assert_eq!(groups[1]["missing"], json!(["departure"]));
    assert_eq!(
        groups[1]["group"],
        json!({"employee_id": "A", "week_start(date)": "2022-02-07"})
    );
    assert_eq!(
        groups[1]["values"],
        json!({"sum(departure - arrival)": null, "count()": 3})
    );
    assert_eq!(
        report["summary"]["violations"],
        json!({"on_time": 2, "late_repeat": 1, "weekly_hours": 1})
    );
    assert_eq!(report["summary"]["ungrouped"], json!({}));
}

#[test]
fn a_record_without_a_per_value_is_counted_in_ungrouped_never_dropped() {
    let dir = Dir::new("groups", "ungrouped");
    let data = "{\"employee_id\": \"A\", \"date\": \"2022-02-07\", \"arrival\": \"07:40\"}\n\
                {\"date\": \"2022-02-07\", \"arrival\": \"07:40\"}\n\
                {\"employee_id\": \"A\", \"date\": \"not a date\", \"arrival\": \"07:40\"}\n";
    dir.write("r.rules", ATTENDANCE).write("d.ndjson", data);
    let out = dir.run(&["check", "r.rules", "d.ndjson", "--format", "json"]);
    let report = json_of(&out);
    // Record 2 has no employee_id: in no group of either rule. Record 3's
    // date is a data error (its own entry): `when weekday(date) …` is then
    // unknown, so weekly_hours does not apply, while late_repeat's
    // `month_start(date)` cannot be read: in no group.
    assert_eq!(
        report["summary"]["ungrouped"],
        json!({"late_repeat": 2, "weekly_hours": 1}),
        "{report:#}"
    );
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["field"], "date");
}

#[test]
fn compile_errors_point_at_the_place_with_did_you_mean() {
    let cases: &[(&str, &str, &str)] = &[
        ("rule r: count() > 1\n", "r.rules:1:9", "only for a group rule"),
        (
            "rule r {\n  per unit\n  check arrival <= 07:30\n}\n",
            "r.rules:3:9",
            "is not a `per` expression of rule `r`",
        ),
        (
            "rule on_time: arrival <= 07:30\nrule r {\n  per unit\n  check violations(on_tme) <= 3\n}\n",
            "r.rules:4:20",
            "did you mean `on_time`?",
        ),
        (
            "field name: string\nrule r {\n  per unit\n  check sum(name) > 1\n}\n",
            "r.rules:4:13",
            "`sum` of a string is not defined",
        ),
        (
            "field arrival: time\nrule r {\n  per unit\n  check avg(arrival) > 07:00\n}\n",
            "r.rules:4:13",
            "`avg` of a time is not defined",
        ),
        (
            "rule r {\n  per unit\n  check count(count() > 1) > 1\n}\n",
            "r.rules:3:15",
            "inside an aggregate",
        ),
        (
            "rule r {\n  per unit, month_start(date)\n  check month_start(day) > 2022-01-01\n}\n",
            "r.rules:3:9",
            "did you mean `month_start(date)`?",
        ),
    ];
    for (rules, place, says) in cases {
        let dir = Dir::new("groups", "errors");
        dir.write("r.rules", rules).write("d.ndjson", "{}\n");
        let out = dir.run(&["check", "r.rules", "d.ndjson"]);
        assert_eq!(out.code, 2, "{rules:?}: {out:?}");
        assert!(
            out.stderr.starts_with(&format!("{place}: error:")),
            "{rules:?}: {out:?}"
        );
        assert!(out.stderr.contains(says), "{rules:?}: {out:?}");
    }
}

#[test]
fn disabling_a_rule_that_a_kept_violations_names_is_an_error_at_the_disable() {
    let dir = Dir::new("groups", "disable");
    dir.write(
        "base.rules",
        "rule on_time: arrival <= 07:30\nrule late_repeat {\n  per employee_id\n  check violations(on_time) <= 3\n}\n",
    )
    .write("tinh.rules", "extends \"base.rules\"\ndisable rule on_time\n")
    .write("ok.rules", "extends \"base.rules\"\ndisable rule late_repeat\ndisable rule on_time\n")
    .write("over.rules", "extends \"base.rules\"\noverride rule late_repeat {\n  per employee_id\n  check violations(on_time) <= 1\n}\n")
    .write("d.ndjson", "{\"employee_id\": \"A\", \"arrival\": \"07:40\"}\n{\"employee_id\": \"A\", \"arrival\": \"07:45\"}\n");
    let out = dir.run(&["check", "tinh.rules", "d.ndjson"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.starts_with("tinh.rules:2:14: error:"), "{out:?}");
    assert!(out.stderr.contains("late_repeat"), "{out:?}");
    // Both disabled: nothing names on_time any more.
    let out = dir.run(&["check", "ok.rules", "d.ndjson", "--format", "summary"]);
    assert_eq!(out.code, 0, "{out:?}");
    // An override of a group rule replaces it like any rule.
    let out = dir.run(&["check", "over.rules", "d.ndjson", "--format", "json"]);
    let report = json_of(&out);
    assert_eq!(
        report["summary"]["violations"],
        json!({"on_time": 2, "late_repeat": 1}),
        "{out:?}"
    );
}

#[test]
fn aggregates_not_reached_do_not_matter_and_reached_errors_are_one_entry() {
    let rules = "key id\nfield n: int\nrule r {\n  per unit\n  check count() > 5 or sum(n) > 0\n}\n\
                 rule s {\n  per unit\n  check count() < 5 or sum(n) > 0\n}\n";
    let big = 9_000_000_000_000_000_000i64;
    let data = format!(
        "{{\"id\": 1, \"unit\": \"X\", \"n\": {big}}}\n{{\"id\": 2, \"unit\": \"X\", \"n\": {big}}}\n"
    );
    let dir = Dir::new("groups", "reached");
    dir.write("r.rules", rules).write("d.ndjson", &data);
    let out = dir.run(&["check", "r.rules", "d.ndjson", "--format", "json"]);
    let report = json_of(&out);
    // r: count() > 5 is false, so sum(n) is reached: its overflow (judged on
    // the group's total) is the group's error, one entry at its first
    // record. s: count() < 5 settles it; the sum is not reached.
    assert_eq!(report["group_violations"], json!([]), "{report:#}");
    assert_eq!(
        report["errors"],
        json!([{"record": 1, "field": null, "rule": "r", "key": 1,
                "message": "arithmetic overflow in `sum`", "group": {"unit": "X"}}])
    );
}

#[test]
fn avg_min_max_and_count_of_a_condition() {
    let rules = "field hours: decimal\nfield arrival: time\nfield overdue: int\n\
                 rule r {\n  per unit\n  check avg(hours) >= 8 and max(arrival) <= 07:30 and count(overdue > 0) <= count() * 0.05\n}\n";
    let data = "{\"unit\": \"A\", \"hours\": 8, \"arrival\": \"07:10\", \"overdue\": 0}\n\
                {\"unit\": \"A\", \"hours\": 7.5, \"arrival\": \"07:20\", \"overdue\": 1}\n\
                {\"unit\": \"B\", \"hours\": 9, \"arrival\": \"07:20\", \"overdue\": 0}\n";
    let dir = Dir::new("groups", "avg");
    dir.write("r.rules", rules).write("d.ndjson", data);
    let out = dir.run(&["check", "r.rules", "d.ndjson", "--format", "json"]);
    let report = json_of(&out);
    let groups = report["group_violations"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{report:#}");
    assert_eq!(groups[0]["group"], json!({"unit": "A"}));
    // avg(hours) = 7.75 fails, and `and` stops there.
    assert_eq!(
        groups[0]["values"],
        json!({"avg(hours)": 7.75, "max(arrival)": null, "count(overdue > 0)": null, "count()": null})
    );
}

/// Enough records to make many parts of the input for `--jobs`.
fn many_records() -> String {
    let mut data = String::new();
    for i in 0..30_000 {
        let unit = ["Sở Nội vụ", "Sở Tư pháp", "UBND huyện Nghi Lộc"][i % 3];
        let arrival = if i % 7 == 0 { "07:45" } else { "07:15" };
        let day = 1 + (i / 40) % 28;
        let month = 1 + (i / 1120) % 12;
        data.push_str(&format!(
            "{{\"employee_id\": \"NV-{:03}\", \"unit\": \"{unit}\", \"date\": \"2022-{month:02}-{day:02}\", \"arrival\": \"{arrival}\", \"departure\": \"17:00\"}}\n",
            i % 40
        ));
        if i % 1000 == 999 {
            data.push_str("{\"unit\": \"Sở Nội vụ\", \"date\": \"2022-02-01\", \"arrival\": \"07:50\"}\n");
        }
    }
    data
}

#[test]
fn the_output_is_the_same_bytes_for_any_jobs() {
    let dir = Dir::new("groups", "jobs");
    let rules = format!(
        "{ATTENDANCE}\nrule unit_late {{\n  per unit\n  check count(arrival > 07:30) <= count() / 10\n}}\n"
    );
    dir.write("r.rules", &rules).write("d.ndjson", &many_records());
    for format in ["json", "ndjson", "summary", "table"] {
        let one = dir.run(&["check", "r.rules", "d.ndjson", "--format", format, "--jobs", "1"]);
        let two = dir.run(&["check", "r.rules", "d.ndjson", "--format", format, "--jobs", "2"]);
        let three = dir.run(&["check", "r.rules", "d.ndjson", "--format", format, "--jobs", "3"]);
        assert_eq!(one.code, 1, "{format}: {}", one.stderr);
        assert!(
            one.stdout == two.stdout && one.stdout == three.stdout,
            "{format} differs with --jobs"
        );
    }
    let report = json_of(&dir.run(&["check", "r.rules", "d.ndjson", "--format", "json"]));
    assert_eq!(
        report["summary"]["ungrouped"],
        json!({"late_repeat": 30, "weekly_hours": 30})
    );
    let groups = report["group_violations"].as_array().unwrap();
    // Ordered by first record, then rule position.
    let order: Vec<(u64, usize)> = groups
        .iter()
        .map(|g| {
            let rule = ["late_repeat", "weekly_hours", "unit_late"]
                .iter()
                .position(|r| *r == g["rule"])
                .unwrap();
            (g["records"][0].as_u64().unwrap(), rule)
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(groups
        .iter()
        .all(|g| g["records"].as_array().unwrap().len() <= 100));
    assert!(groups.iter().any(|g| g["records_total"].as_u64().unwrap() > 100));
}

#[test]
fn ndjson_writes_record_lines_then_group_errors_then_group_violations() {
    let rules = "key id\nfield n: int\nrule pos: n >= 0\nrule r {\n  per unit\n  check sum(n) > 0\n}\n";
    let big = i64::MAX;
    let data = format!(
        "{{\"id\": 1, \"unit\": \"X\", \"n\": {big}}}\n{{\"id\": 2, \"unit\": \"Y\", \"n\": -1}}\n{{\"id\": 3, \"unit\": \"X\", \"n\": 1}}\n"
    );
    let dir = Dir::new("groups", "ndjson");
    dir.write("r.rules", rules).write("d.ndjson", &data);
    let out = dir.run(&["check", "r.rules", "d.ndjson", "--format", "ndjson"]);
    let kinds: Vec<(String, Value)> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["kind"].as_str().unwrap().to_string(), v["rule"].clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("violation".to_string(), json!("pos")),
            ("error".to_string(), json!("r")),
            ("group_violation".to_string(), json!("r")),
        ],
        "{out:?}"
    );
}

#[test]
fn a_group_rule_over_a_column_a_source_does_not_observe_is_not_checked() {
    let dir = Dir::new("groups", "source");
    dir.write(
        "r.rules",
        "key employee_id\nrule on_time: arrival <= 07:30\nrule r {\n  per employee_id\n  check max(departure) >= 17:00\n}\n",
    )
    .write("d.csv", "employee_id,arrival\nA,07:40\nA,07:20\n");
    let out = dir.run(&["check", "r.rules", "d.csv", "--format", "json"]);
    let report = json_of(&out);
    assert_eq!(report["summary"]["not_checked"], json!({"r": 2}), "{out:?}");
    assert_eq!(report["group_violations"], json!([]));
}
