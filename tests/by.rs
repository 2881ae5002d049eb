//! `civrules check --by FIELD` (contract §10): totals per value of a field,
//! in `summary.by` (json and summary), the table's "Totals by" section, and
//! the warning for a field a file does not observe. The library side
//! (`Checker::with_by`) is tested at the end.

mod common;

use common::Dir;
use indexmap::IndexMap;
use serde_json::{json, Value};

/// `summary.by`, read keeping the order of its keys (a `serde_json::Value`
/// sorts them).
type ByTotals = IndexMap<String, IndexMap<String, IndexMap<String, u64>>>;

#[derive(serde::Deserialize)]
struct SummaryBy {
    by: Option<ByTotals>,
}

#[derive(serde::Deserialize)]
struct ReportBy {
    summary: SummaryBy,
}

/// `summary.by` of a `--format json` report.
fn by_of_report(text: &str) -> ByTotals {
    let report: ReportBy = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    report
        .summary
        .by
        .unwrap_or_else(|| panic!("no summary.by: {text}"))
}

/// `by` of a `--format summary` line.
fn by_of_summary(text: &str) -> ByTotals {
    let summary: SummaryBy = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    summary.by.unwrap_or_else(|| panic!("no by: {text}"))
}

const RULES: &str = "\
key employee_id
rule dated: date >= 2022-01-01
rule on_time: arrival <= 07:30
rule badge: badge_worn required
";

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Every rule with its count, in rule order (as `summary.by` lists them).
fn counts(dated: u64, on_time: u64, badge: u64) -> Value {
    json!({"dated": dated, "on_time": on_time, "badge": badge})
}

/// The keys of a map, in order.
fn keys<V>(map: &IndexMap<String, V>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

#[test]
fn values_come_in_order_of_first_appearance_with_every_rule_and_null_for_no_value() {
    let dir = Dir::new("by", "order");
    dir.write("r.rules", RULES).write(
        "d.ndjson",
        concat!(
            // Late, with a badge.
            r#"{"employee_id": "A1", "unit": "Sở Tư pháp", "date": "2022-02-09", "arrival": "07:45", "badge_worn": true, "floor": 3, "ratio": 1.50, "remote": false}"#,
            "\n",
            // No findings; a data error in `date` (counted as an error, not by unit).
            r#"{"employee_id": "A2", "unit": "Sở Nội vụ", "date": "09/02/2022", "arrival": "07:15", "badge_worn": true}"#,
            "\n",
            // Not an object.
            "[1, 2]\n",
            // No unit: late and no badge.
            r#"{"employee_id": "A3", "date": "2022-02-10", "arrival": "07:50", "badge_worn": false}"#,
            "\n",
            // Back to the first unit: no badge.
            r#"{"employee_id": "A4", "unit": "Sở Tư pháp", "date": "2022-02-10", "arrival": "07:20"}"#,
            "\n",
        ),
    );
    let out = dir.run(&[
        "check", "r.rules", "d.ndjson", "--by", "unit", "--by", "date", "--by", "floor", "--by", "ratio",
        "--by", "remote", "--format", "json",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    let report = json_of(&out.stdout);
    let ordered = by_of_report(&out.stdout);
    assert_eq!(
        keys(&ordered),
        ["unit", "date", "floor", "ratio", "remote"],
        "{out:?}"
    );
    for (field, values) in &ordered {
        for (value, counted) in values {
            assert_eq!(keys(counted), ["dated", "on_time", "badge"], "{field} {value}");
        }
    }
    let by = &report["summary"]["by"];
    assert_eq!(keys(&ordered["unit"]), ["Sở Tư pháp", "Sở Nội vụ", "null"]);
    assert_eq!(by["unit"]["Sở Tư pháp"], counts(0, 1, 1));
    // A record without findings still adds its value, every rule at zero.
    assert_eq!(by["unit"]["Sở Nội vụ"], counts(0, 0, 0));
    // The record with no unit and the one that is not an object.
    assert_eq!(by["unit"]["null"], counts(0, 1, 1));
    // Dates as messages print them; a data error in the field is "null",
    // and the error itself is in `errors`, not in the totals.
    assert_eq!(keys(&ordered["date"]), ["2022-02-09", "null", "2022-02-10"]);
    assert_eq!(by["date"]["null"], counts(0, 0, 0));
    assert_eq!(by["date"]["2022-02-10"], counts(0, 1, 2));
    // Numbers and bools as JSON writes them.
    assert_eq!(keys(&ordered["floor"]), ["3", "null"]);
    assert_eq!(keys(&ordered["ratio"]), ["1.5", "null"]);
    assert_eq!(keys(&ordered["remote"]), ["false", "null"]);
    // Each total adds up to the rule's total.
    for field in ["unit", "date", "floor"] {
        for rule in ["dated", "on_time", "badge"] {
            let sum: u64 = by[field]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, c)| c[rule].as_u64().unwrap_or(0))
                .sum();
            assert_eq!(
                json!(sum),
                report["summary"]["violations"][rule],
                "{field} {rule}"
            );
        }
    }
    // Totalling by fields changes nothing else.
    let plain = json_of(
        &dir.run(&["check", "r.rules", "d.ndjson", "--format", "json"])
            .stdout,
    );
    assert_eq!(report["violations"], plain["violations"]);
    assert_eq!(report["errors"], plain["errors"]);
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(2));
    assert!(
        plain["summary"].get("by").is_none(),
        "absent unless asked: {plain}"
    );
}

#[test]
fn the_summary_format_counts_the_same_and_ndjson_is_unchanged() {
    let dir = Dir::new("by", "formats");
    dir.write("r.rules", RULES).write(
        "d.ndjson",
        concat!(
            r#"{"employee_id": "A1", "unit": "B", "date": "2022-02-09", "arrival": "07:45", "badge_worn": true}"#,
            "\n",
            r#"{"employee_id": "A2", "unit": "A", "date": "2021-02-09", "arrival": "07:15"}"#,
            "\n",
        ),
    );
    let json = dir.run(&["check", "r.rules", "d.ndjson", "--by", "unit", "--format", "json"]);
    let summary = dir.run(&[
        "check", "r.rules", "d.ndjson", "--by", "unit", "--format", "summary",
    ]);
    // Compared as text: maps compare equal in any order.
    assert_eq!(
        format!("{:?}", by_of_summary(&summary.stdout)),
        format!("{:?}", by_of_report(&json.stdout))
    );
    assert_eq!(keys(&by_of_summary(&summary.stdout)["unit"]), ["B", "A"]);
    let summary = json_of(&summary.stdout);
    assert_eq!(summary["by"]["unit"]["A"], counts(1, 0, 1));
    let without = json_of(
        &dir.run(&["check", "r.rules", "d.ndjson", "--format", "summary"])
            .stdout,
    );
    assert!(without.get("by").is_none(), "{without}");
    let plain = dir.run(&["check", "r.rules", "d.ndjson", "--format", "ndjson"]);
    let by = dir.run(&[
        "check", "r.rules", "d.ndjson", "--format", "ndjson", "--by", "unit",
    ]);
    assert_eq!(plain.stdout, by.stdout);
    assert!(!by.stdout.is_empty());
}

#[test]
fn the_table_shows_totals_by_each_field() {
    let dir = Dir::new("by", "table");
    dir.write("r.rules", RULES).write(
        "d.ndjson",
        concat!(
            r#"{"employee_id": "A1", "unit": "Sở Tư pháp", "date": "2022-02-09", "arrival": "07:45", "badge_worn": true}"#,
            "\n",
            r#"{"employee_id": "A2", "unit": "UBND huyện Nghi Lộc", "date": "2022-02-09", "arrival": "07:15", "badge_worn": true}"#,
            "\n",
            r#"{"employee_id": "A3", "unit": "Sở Tư pháp", "date": "2022-02-09", "arrival": "07:55"}"#,
            "\n",
        ),
    );
    let out = dir.run(&["check", "r.rules", "d.ndjson", "--by", "unit"]);
    assert_eq!(out.code, 1, "{out:?}");
    let section = out
        .stdout
        .split("\nTotals by unit\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no section: {out:?}"));
    let lines: Vec<Vec<&str>> = section
        .lines()
        .take(5)
        .map(|l| l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect())
        .collect();
    assert_eq!(lines[0], ["value", "on_time", "badge", "total"], "{out:?}");
    assert_eq!(lines[1], ["Sở Tư pháp", "2", "1", "3"], "{out:?}");
    assert_eq!(lines[2], ["UBND huyện Nghi Lộc", "0", "0", "0"], "{out:?}");
    assert_eq!(lines[3], ["total", "2", "1", "3"], "{out:?}");
    assert_eq!(lines[4], ["no violations: dated"], "{out:?}");
    let plain = dir.run(&["check", "r.rules", "d.ndjson"]);
    assert!(!plain.stdout.contains("Totals by"), "{plain:?}");
}

/// NDJSON of `records` records, larger than a chunk of parallel input, whose
/// unit changes every 300 records, so that each chunk brings new values.
fn many_records(records: usize) -> String {
    let mut text = String::new();
    for i in 0..records {
        let unit = if i % 7 == 3 {
            "null-ish".to_string()
        } else {
            format!("Đơn vị {}", (records - i) / 300)
        };
        let arrival = if i % 5 == 0 { "07:45" } else { "07:10" };
        let badge = if i % 11 == 0 {
            ""
        } else {
            r#", "badge_worn": true"#
        };
        let unit = if i % 13 == 0 {
            String::new()
        } else {
            format!(r#", "unit": "{unit}""#)
        };
        text.push_str(&format!(
            r#"{{"employee_id": "NV-{i:05}", "date": "2022-02-{:02}", "arrival": "{arrival}"{badge}{unit}, "note": "padding padding padding padding"}}"#,
            1 + i % 28
        ));
        text.push('\n');
    }
    text
}

#[test]
fn the_totals_are_the_same_for_any_number_of_threads() {
    let dir = Dir::new("by", "jobs");
    let data = many_records(12_000);
    assert!(data.len() > 3 * (1 << 18), "several chunks: {}", data.len());
    dir.write("r.rules", RULES).write("d.ndjson", &data);
    let csv: String = std::iter::once("employee_id,unit,date,arrival,badge_worn\n".to_string())
        .chain((0..12_000).map(|i| {
            format!(
                "NV-{i:05},Đơn vị {},2022-02-{:02},{},{}\n",
                (12_000 - i) / 250,
                1 + i % 28,
                if i % 4 == 0 { "07:40" } else { "07:00" },
                if i % 9 == 0 { "" } else { "true" }
            )
        }))
        .collect();
    dir.write("d.csv", &csv);
    for file in ["d.ndjson", "d.csv"] {
        for format in ["json", "summary", "table"] {
            let run = |jobs: &str| {
                dir.run(&[
                    "check", "r.rules", file, "--by", "unit", "--by", "date", "--format", format, "--jobs",
                    jobs,
                ])
            };
            let one = run("1");
            assert_eq!(one.code, 1, "{one:?}");
            for jobs in ["2", "3"] {
                let more = run(jobs);
                assert!(
                    one.stdout == more.stdout,
                    "{file} --format {format} --jobs {jobs} differs"
                );
            }
            if format == "summary" {
                let by = by_of_summary(&one.stdout);
                let units = keys(&by["unit"]);
                let first = if file == "d.csv" { "Đơn vị 48" } else { "null" };
                assert_eq!(units[0], first, "{units:?}");
                // Units count down through the file: their order is the file's.
                let numbered: Vec<u64> = units
                    .iter()
                    .filter_map(|u| u.strip_prefix("Đơn vị ")?.parse().ok())
                    .collect();
                assert!(numbered.windows(2).all(|w| w[0] > w[1]), "{units:?}");
                assert!(numbered.len() > 30, "{units:?}");
                assert_eq!(keys(&by["date"]).len(), 28);
            }
        }
    }
}

#[test]
fn csv_and_a_source_give_the_field_by_its_header() {
    let dir = Dir::new("by", "source");
    dir.write("r.rules", "key employee_id\nrule on_time: arrival <= 07:30\n")
        .write(
            "may.source",
            "column \"Mã NV\" -> employee_id\n\
             column \"Đơn vị\" -> unit\n\
             column \"Ngày\" -> date format \"%d/%m/%Y\"\n\
             column \"Giờ vào\" -> arrival format \"%H:%M\"\n",
        )
        .write(
            "cham-cong.csv",
            "Mã NV,Đơn vị,Ngày,Giờ vào\n\
             NV-1,Sở Tư pháp,09/02/2022,07:45\n\
             NV-2,Sở Nội vụ,9 tháng 2,07:10\n\
             NV-3,Sở Tư pháp,10/02/2022,07:50\n",
        )
        .write(
            "plain.csv",
            "employee_id,unit,arrival\nNV-1,Sở Tư pháp,07:45\nNV-2,,07:10\n",
        );
    let out = dir.run(&[
        "check",
        "r.rules",
        "cham-cong.csv",
        "--source",
        "may.source",
        "--by",
        "unit",
        "--by",
        "date",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stderr, "", "{out:?}");
    let report = json_of(&out.stdout);
    let by = &report["summary"]["by"];
    assert_eq!(
        by["unit"],
        json!({"Sở Tư pháp": {"on_time": 2}, "Sở Nội vụ": {"on_time": 0}})
    );
    // The source's format reads the dates; one it cannot read is "null",
    // and, no rule reading `date`, it is no error of the report's.
    assert_eq!(
        by["date"],
        json!({"2022-02-09": {"on_time": 1}, "null": {"on_time": 0}, "2022-02-10": {"on_time": 1}})
    );
    assert_eq!(report["errors"], json!([]), "{out:?}");
    let plain = dir.run(&[
        "check",
        "r.rules",
        "plain.csv",
        "--by",
        "unit",
        "--format",
        "summary",
    ]);
    assert_eq!(
        json_of(&plain.stdout)["by"]["unit"],
        json!({"Sở Tư pháp": {"on_time": 1}, "null": {"on_time": 0}}),
        "{plain:?}"
    );
}

#[test]
fn a_field_the_file_does_not_observe_is_a_warning() {
    let dir = Dir::new("by", "warning");
    dir.write("r.rules", "key employee_id\nrule on_time: arrival <= 07:30\n")
        .write("d.csv", "employee_id,unti,arrival\nNV-1,Sở Tư pháp,07:45\n")
        .write(
            "d.ndjson",
            "{\"employee_id\": \"NV-1\", \"arrival\": \"07:45\"}\n",
        )
        .write("obs.source", "observes employee_id, arrival\n");
    let out = dir.run(&["check", "r.rules", "d.csv", "--by", "unit", "--format", "summary"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stderr,
        "d.csv: warning: --by unit: no column gives field unit, so every record counts under \"null\": did you mean unti?\n",
        "{out:?}"
    );
    assert_eq!(
        json_of(&out.stdout)["by"]["unit"],
        json!({"null": {"on_time": 1}})
    );
    // A JSON file observes every field, unless a source's `observes` says.
    let json = dir.run(&[
        "check", "r.rules", "d.ndjson", "--by", "unit", "--format", "summary",
    ]);
    assert_eq!(json.stderr, "", "{json:?}");
    let observes = dir.run(&[
        "check",
        "r.rules",
        "d.ndjson",
        "--by",
        "unit",
        "--source",
        "obs.source",
        "--format",
        "summary",
    ]);
    assert!(
        observes
            .stderr
            .starts_with("d.ndjson: warning: --by unit: the source's `observes` does not list field unit"),
        "{observes:?}"
    );
    // `--deny-warnings` counts it: exit 2, nothing on standard output.
    let denied = dir.run(&["check", "r.rules", "d.csv", "--by", "unit", "--deny-warnings"]);
    assert_eq!(denied.code, 2, "{denied:?}");
    assert_eq!(denied.stdout, "");
    assert!(
        denied
            .stderr
            .contains("d.csv: error: --by unit: no column gives field unit"),
        "{denied:?}"
    );
    let bad = dir.run(&["check", "r.rules", "d.csv", "--by", ""]);
    assert_eq!(bad.code, 2, "{bad:?}");
}

#[test]
fn the_library_totals_by_fields_the_program_reads() -> Result<(), Box<dyn std::error::Error>> {
    use civrules::report::Detail;
    use civrules::{Checker, Program};

    let program = Program::from_source("r.rules", RULES)?;
    let refused = Checker::new(&program).with_by(&["unti"]).err().ok_or("refused")?;
    assert_eq!(refused.field, "unti");
    let program = program.with_extra_fields(["unit", "date"]);
    for detail in [Detail::Entries, Detail::Totals] {
        let mut checker = Checker::new(&program)
            .with_detail(detail)
            .with_by(&["unit", "unit"])?;
        assert_eq!(checker.by_fields().collect::<Vec<_>>(), ["unit"]);
        checker
            .check_json(&json!({"unit": "B", "date": "2022-02-09", "arrival": "07:45", "badge_worn": true}));
        checker.check_serialize(&json!({"unit": "A", "date": "2022-02-09", "arrival": "07:00"}));
        checker.check_json(&json!("not an object"));
        let by = checker.summary().by.ok_or("asked for")?;
        let units: Vec<&String> = by["unit"].keys().collect();
        assert_eq!(units, ["B", "A", "null"], "{detail:?}");
        assert_eq!(by["unit"]["B"]["on_time"], 1);
        assert_eq!(by["unit"]["A"]["badge"], 1);
        assert_eq!(by["unit"]["null"].values().sum::<u64>(), 0);
    }
    // A source compiled before the fields were added is another program's.
    let before = Program::from_source("r.rules", RULES)?;
    let source = civrules::Source::from_text(&before, "s.source", "column \"Đơn vị\" -> unit\n")?;
    let after = before.clone().with_extra_fields(["unit"]);
    assert!(Checker::new(&after).with_source(&source).is_err());
    assert!(Checker::new(&before).with_source(&source).is_ok());
    Ok(())
}

#[test]
fn a_group_violation_counts_under_its_first_records_value() {
    let dir = Dir::new("by", "groups");
    let rules = "\
key employee_id
rule on_time: arrival <= 07:30
rule late_repeat {
  per   employee_id
  check violations(on_time) <= 1
}
";
    // A is late twice: the group of A violates late_repeat, and counts
    // under A's first record's unit (where A worked on the first day),
    // not under the unit of a later record of the group.
    let lines = [
        r#"{"employee_id": "B", "unit": "Sở Nội vụ", "arrival": "07:00"}"#,
        r#"{"employee_id": "A", "unit": "Sở Tư pháp", "arrival": "07:40"}"#,
        r#"{"employee_id": "A", "unit": "Sở Nội vụ", "arrival": "07:50"}"#,
        r#"{"employee_id": "C", "arrival": "07:55"}"#,
        r#"{"employee_id": "C", "unit": "Sở Nội vụ", "arrival": "07:56"}"#,
    ];
    dir.write("r.rules", rules)
        .write("d.ndjson", &(lines.join("\n") + "\n"));
    let out = dir.run(&["check", "r.rules", "d.ndjson", "--by", "unit", "--format", "json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let by = by_of_report(&out.stdout);
    let unit = &by["unit"];
    assert_eq!(keys(unit), ["Sở Nội vụ", "Sở Tư pháp", "null"], "{out:?}");
    let count = |value: &str, rule: &str| unit[value][rule];
    assert_eq!(count("Sở Tư pháp", "late_repeat"), 1);
    assert_eq!(count("Sở Nội vụ", "late_repeat"), 0);
    assert_eq!(count("null", "late_repeat"), 1);
    assert_eq!(count("Sở Nội vụ", "on_time"), 2);
    assert_eq!(count("Sở Tư pháp", "on_time"), 1);
    assert_eq!(count("null", "on_time"), 1);
    let summary = dir.run(&[
        "check", "r.rules", "d.ndjson", "--by", "unit", "--format", "summary",
    ]);
    assert_eq!(
        format!("{:?}", by_of_summary(&summary.stdout)),
        format!("{by:?}"),
        "{summary:?}"
    );
}

#[test]
fn group_totals_by_field_are_the_same_for_any_number_of_threads() {
    let dir = Dir::new("by", "groups-jobs");
    let rules = "\
key employee_id
rule on_time: arrival <= 07:30
rule late_repeat {
  per   employee_id
  check violations(on_time) <= 2
}
";
    let mut data = String::new();
    for i in 0..12_000 {
        // 400 people, each on 30 records spread through the file; their
        // unit changes half-way, so the first record's unit is the one
        // counted.
        let person = i % 400;
        let unit = if i < 6_000 { person % 17 } else { person % 5 };
        let arrival = if (i * 7 + person) % 9 == 0 {
            "07:41"
        } else {
            "07:12"
        };
        data.push_str(&format!(
            r#"{{"employee_id": "NV-{person:03}", "unit": "Đơn vị {unit}", "arrival": "{arrival}", "note": "padding padding padding padding padding"}}"#
        ));
        data.push('\n');
    }
    dir.write("r.rules", rules).write("d.ndjson", &data);
    for format in ["json", "summary"] {
        let run = |jobs: &str| {
            dir.run(&[
                "check", "r.rules", "d.ndjson", "--by", "unit", "--format", format, "--jobs", jobs,
            ])
        };
        let one = run("1");
        assert_eq!(one.code, 1, "{one:?}");
        let two = run("2");
        assert!(one.stdout == two.stdout, "--format {format} --jobs 2 differs");
        if format == "summary" {
            let by = by_of_summary(&one.stdout);
            let grouped: u64 = by["unit"].values().map(|c| c["late_repeat"]).sum();
            assert!(grouped > 0, "{by:?}");
            // Every group's first record is in the first half: units 0–16.
            assert_eq!(by["unit"].len(), 17);
        }
    }
}
