//! Sources (contract §8): a system's export read as it is, through a
//! `.source` file — renamed columns compared like headers, formats,
//! yes/no and "no value" words, decimal commas, split columns, header
//! rows, delimiters and encodings — and the rules that cannot be checked
//! on a file whose data does not observe their fields, with the warnings
//! `check` prints and its exit statuses.

mod common;

use common::{Dir, Out};
use serde_json::{json, Value};

fn dir(name: &str) -> Dir {
    Dir::new("sources", name)
}

fn json_of(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out:?}"))
}

/// (record, rule, reason) of every violation.
fn violations(report: &Value) -> Vec<(u64, String, String)> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["record"].as_u64().unwrap(),
                v["rule"].as_str().unwrap().to_string(),
                v["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (record, field, key) of every error entry.
fn errors(report: &Value) -> Vec<(u64, Value, Value)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["record"].as_u64().unwrap(),
                e["field"].clone(),
                e["key"].clone(),
            )
        })
        .collect()
}

fn v(record: u64, rule: &str, reason: &str) -> (u64, String, String) {
    (record, rule.to_string(), reason.to_string())
}

const RULES: &str = r#"ruleset "cham-cong"
key employee_id
field date: date
field arrival: time
field badge_worn: bool

rule badge: badge_worn required
rule on_time {
  when  weekday(date) in 1..5
  check arrival <= 07:30
  message "{full_name} đến lúc {arrival}"
}
rule nameplate: nameplate required
"#;

const SOURCE: &str = r#"source "may-cham-cong"
column "Mã NV"     -> employee_id
column "Họ và tên" -> full_name
column "Ngày"      -> date       format "%d/%m/%Y"
column "Giờ vào"   -> arrival    format "%H:%M:%S"  missing ["--:--"]
column "Check-in"  -> arrival    format "%I:%M %p"
column "Đeo thẻ"   -> badge_worn yes ["Có", "x"] no ["Không"]
missing ["N/A"]
"#;

/// An attendance machine's export as Excel writes CSV: a byte-order mark,
/// CRLF line ends, Vietnamese headers, dd/mm/yyyy dates, Có/Không.
fn export() -> String {
    let rows = [
        "Mã NV,Họ và tên,Ngày,Giờ vào,Đeo thẻ",
        "HT-01,Nguyễn Văn An,09/02/2022,07:15:00,Có",
        "HT-02,Trần Thị Bình,09/02/2022,07:42:10,có",
        "HT-03,Lê Văn Cường,09/02/2022,07:20:05,KHÔNG",
        "HT-04,Phạm Thị Dung,09/02/2022,7h45,Có",
        "HT-05,Hồ Văn Em,12/02/2022,08:10:00,N/A",
        "HT-06,Võ Thị Phương,10/02/2022,--:--,x",
    ];
    format!("\u{FEFF}{}\r\n", rows.join("\r\n"))
}

fn attendance(name: &str) -> Dir {
    let d = dir(name);
    d.write("cham-cong.rules", RULES)
        .write("may.source", SOURCE)
        .write("data.csv", &export());
    d
}

#[test]
fn an_export_is_read_as_it_is_through_its_source() {
    let d = attendance("export");
    let out = d.run(&[
        "check",
        "cham-cong.rules",
        "data.csv",
        "--source",
        "may.source",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    let report = json_of(&out);
    assert_eq!(report["records"], 6);
    assert_eq!(
        violations(&report),
        [
            v(2, "on_time", "failed"),
            v(3, "badge", "failed"),
            // N/A means no value: the badge cannot be shown.
            v(5, "badge", "failed"),
            // `--:--` is this column's word for no value: not compliant.
            v(6, "on_time", "missing"),
        ]
    );
    // `7h45` does not match the column's format: a data error naming the
    // column and the format, with the record's key; its other rules are
    // still checked (the badge passes).
    assert_eq!(errors(&report), [(4, json!("arrival"), json!("HT-04"))]);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "\"7h45\" does not match the format \"%H:%M:%S\" of column \"Giờ vào\""
    );
    // A field the source names but no rule reads still renders in messages.
    assert_eq!(
        report["violations"][0]["message"],
        "Trần Thị Bình đến lúc 07:42:10"
    );
    assert_eq!(report["violations"][0]["key"], "HT-02");
    // No column gives `nameplate`: never checked, never accused.
    assert_eq!(report["summary"]["not_checked"], json!({"nameplate": 6}));
    assert_eq!(
        report["summary"]["violations"],
        json!({"badge": 2, "on_time": 2, "nameplate": 0})
    );
    assert_eq!(
        out.stderr,
        "data.csv: warning: rule nameplate not checked: no column gives field nameplate\n"
    );
}

#[test]
fn another_export_names_the_same_field_differently() {
    let d = dir("check-in");
    d.write("cham-cong.rules", RULES)
        .write("may.source", SOURCE)
        .write(
            "other.csv",
            "Mã NV,Check-in,Đeo thẻ\nHT-07,07:45 SA,x\nHT-08,07:10 am,x\nHT-09,05:10 CH,x\n",
        );
    let out = d.run(&[
        "check",
        "cham-cong.rules",
        "other.csv",
        "--source",
        "may.source",
        "--format",
        "json",
    ]);
    let report = json_of(&out);
    // No date column: on_time reads `date`, so it is not checked either.
    assert_eq!(violations(&report), []);
    assert_eq!(
        report["summary"]["not_checked"],
        json!({"on_time": 3, "nameplate": 3})
    );
    let d2 = dir("check-in-dated");
    d2.write("cham-cong.rules", RULES).write("may.source", SOURCE).write(
        "other.csv",
        "Mã NV,Ngày,Check-in\nHT-07,09/02/2022,07:45 SA\nHT-08,09/02/2022,07:10 am\nHT-09,09/02/2022,05:10 CH\n",
    );
    let out = d2.run(&[
        "check",
        "cham-cong.rules",
        "other.csv",
        "--source",
        "may.source",
        "--format",
        "json",
    ]);
    let report = json_of(&out);
    assert_eq!(
        violations(&report),
        [v(1, "on_time", "failed"), v(3, "on_time", "failed")]
    );
    assert_eq!(report["violations"][1]["values"]["arrival"], "17:10");
}

#[test]
fn two_columns_that_give_one_field_make_the_file_unreadable() {
    let d = dir("twice");
    d.write("cham-cong.rules", RULES)
        .write("may.source", SOURCE)
        .write(
            "data.csv",
            "Mã NV,Ngày,Giờ vào,Check-in\nHT-01,09/02/2022,07:15:00,07:15 AM\n",
        );
    let out = d.run(&["check", "cham-cong.rules", "data.csv", "--source", "may.source"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("data.csv: columns \"Giờ vào\" and \"Check-in\" both give field arrival"),
        "{out:?}"
    );
    // An unnamed header equal to the field's name counts too.
    d.write("data.csv", "Mã NV,arrival,Giờ vào\nHT-01,07:15,07:15:00\n");
    let out = d.run(&["check", "cham-cong.rules", "data.csv", "--source", "may.source"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("both give field arrival"), "{out:?}");
}

#[test]
fn a_split_column_gives_a_date_and_a_time() {
    let d = dir("split");
    d.write("r.rules", RULES)
        .write(
            "may.source",
            "column \"Mã NV\" -> employee_id\ncolumn \"Thời điểm\" -> date, arrival format \"%d/%m/%Y %H:%M\"\ncolumn \"Đeo thẻ\" -> badge_worn yes [\"Có\"] no [\"Không\"]\n",
        )
        .write(
            "data.csv",
            "Mã NV,Thời điểm,Đeo thẻ\nA,09/02/2022 07:31,Có\nB,12/02/2022 09:00,Có\nC,hôm qua,Có\n",
        );
    let out = d.run(&[
        "check",
        "r.rules",
        "data.csv",
        "--source",
        "may.source",
        "--format",
        "json",
    ]);
    let report = json_of(&out);
    assert_eq!(violations(&report), [v(1, "on_time", "failed")]);
    // A value that does not match: a data error for each field it gives.
    assert_eq!(
        errors(&report),
        [(3, json!("date"), json!("C")), (3, json!("arrival"), json!("C"))]
    );
}

#[test]
fn decimal_commas_are_read_and_points_are_never_guessed() {
    let d = dir("comma");
    d.write("r.rules", "key id\nrule no_alcohol: breath_alcohol <= 0.0\n")
        .write(
            "s.source",
            "column \"Nồng độ cồn\" -> breath_alcohol decimal_comma\n",
        )
        .write("data.csv", "id,Nồng độ cồn\nA,\"0,15\"\nB,0\nC,1.234\n");
    let out = d.run(&[
        "check", "r.rules", "data.csv", "--source", "s.source", "--format", "json",
    ]);
    let report = json_of(&out);
    assert_eq!(violations(&report), [v(1, "no_alcohol", "failed")]);
    assert_eq!(report["violations"][0]["values"]["breath_alcohol"], 0.15);
    assert_eq!(errors(&report), [(3, json!("breath_alcohol"), json!("C"))]);
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("decimal_comma"));
}

#[test]
fn title_rows_a_delimiter_and_windows_1258_text() {
    let d = dir("cp1258");
    d.write(
        "r.rules",
        "key id\nrule unit_known: unit in [\"Sở Nội vụ\", \"Sở Tài chính\"]\nrule badge: badge_worn required\n",
    )
    .write(
        "s.source",
        "header_row 3\ndelimiter \";\"\nencoding \"windows-1258\"\ncolumn \"Mã\" -> id\ncolumn \"Đơn vị\" -> unit\ncolumn \"Đeo thẻ\" -> badge_worn yes [\"Có\"] no [\"Không\"]\n",
    );
    // windows-1258 writes tone marks as combining characters: "Sở Nội vụ"
    // read back is decomposed, and NFC makes it the rules' string again.
    let cp = windows_1258(
        "BÁO CÁO CHẤM CÔNG;;\r\nNgày 09/02/2022;;\r\nMã;Đơn vị;Đeo thẻ\r\nA;Sở Nội vụ;Có\r\nB;Sở Xây dựng;Không\r\n",
    );
    d.write_bytes("data.csv", &cp);
    let out = d.run(&[
        "check", "r.rules", "data.csv", "--source", "s.source", "--format", "json",
    ]);
    let report = json_of(&out);
    assert_eq!(report["records"], 2, "{out:?}");
    assert_eq!(
        violations(&report),
        [v(2, "unit_known", "failed"), v(2, "badge", "failed")]
    );
}

/// Vietnamese text as Windows writes it in code page 1258: the letters
/// with a circumflex, a breve or a horn precomposed, the tone marks as
/// combining characters after them.
fn windows_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let mut composed = String::new();
    let mut letter: Option<char> = None;
    let mut tones = String::new();
    let flush = |composed: &mut String, letter: &mut Option<char>, tones: &mut String| {
        composed.extend(letter.take());
        composed.push_str(tones);
        tones.clear();
    };
    for c in text.nfd() {
        match c {
            '\u{302}' | '\u{306}' | '\u{31B}' => {
                let base = letter.unwrap_or(' ');
                letter = unicode_normalization::char::compose(base, c);
            }
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => tones.push(c),
            _ => {
                flush(&mut composed, &mut letter, &mut tones);
                letter = Some(c);
            }
        }
    }
    flush(&mut composed, &mut letter, &mut tones);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&composed);
    assert!(!unmappable, "{composed}");
    bytes.into_owned()
}

#[test]
fn a_utf16_export_is_recognised_by_its_byte_order_mark() {
    let d = dir("utf16");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "employee_id,badge_worn\r\nA,true\r\nB,false\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    d.write("r.rules", "key employee_id\nrule badge: badge_worn required\n")
        .write_bytes("data.csv", &bytes);
    let out = d.run(&["check", "r.rules", "data.csv", "--format", "json"]);
    assert_eq!(violations(&json_of(&out)), [v(2, "badge", "failed")], "{out:?}");
}

#[test]
fn a_misspelt_field_is_a_rule_not_checked_with_a_did_you_mean() {
    let d = dir("misspelt");
    d.write(
        "r.rules",
        "rule badge: badge_wron required\nrule on_time: arrival <= 07:30\n",
    )
    .write("data.csv", "badge_worn,arrival\ntrue,07:00\ntrue,07:45\n");
    let out = d.run(&["check", "r.rules", "data.csv", "--format", "summary"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        json_of(&out),
        json!({"records": 2, "violations": {"badge": 0, "on_time": 1}, "errors": 0, "not_checked": {"badge": 2}, "ungrouped": {}})
    );
    assert_eq!(
        out.stderr,
        "data.csv: warning: rule badge not checked: no column gives field badge_wron: did you mean badge_worn?\n"
    );
}

#[test]
fn no_rule_that_can_be_checked_is_unreadable_input() {
    let d = dir("nothing");
    d.write("r.rules", RULES).write(
        "raw.csv",
        "Mã NV,Họ và tên,Đơn vị,Ngày,Giờ vào,Giờ ra,Đeo thẻ\nHT-01,An,Sở Nội vụ,09/02/2022,07:15:00,17:00:00,Có\n",
    );
    let out = d.run(&["check", "r.rules", "raw.csv"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("raw.csv: no rule can be checked: no column gives the fields badge_worn, date, arrival, nameplate that the rules need"),
        "{out:?}"
    );
    // A file with no records at all is not an error.
    d.write("empty.csv", "Mã NV,Ngày\n");
    let out = d.run(&["check", "r.rules", "empty.csv", "--format", "summary"]);
    assert_eq!(out.code, 0, "{out:?}");
    // Every file is looked at before any output: a bad second file stops
    // the check before the first is reported.
    d.write(
        "good.csv",
        "employee_id,badge_worn,date,arrival,nameplate\nA,true,2022-02-09,07:00,true\n",
    );
    let out = d.run(&["check", "r.rules", "good.csv", "raw.csv", "--format", "json"]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{out:?}");
}

#[test]
fn check_prints_lint_warnings_and_deny_warnings_stops_before_any_output() {
    let d = dir("deny");
    d.write(
        "r.rules",
        "field arrival: time\nrule on_time: arrival <= 07:30\nrule late: arival > 09:00\n",
    )
    .write("data.ndjson", "{\"arrival\": \"07:00\", \"arival\": \"07:00\"}\n");
    let out = d.run(&["check", "r.rules", "data.ndjson", "--format", "summary"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("r.rules:3:12: warning: field `arival` is used only here"),
        "{out:?}"
    );
    let out = d.run(&[
        "check",
        "r.rules",
        "data.ndjson",
        "--format",
        "summary",
        "--deny-warnings",
    ]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("r.rules:3:12: error: field `arival`"),
        "{out:?}"
    );
    assert!(out.stderr.contains("--deny-warnings"), "{out:?}");
    // A header warning is denied too.
    let d = dir("deny-header");
    d.write(
        "r.rules",
        "rule badge: badge_worn required\nrule plate: nameplate required\n",
    )
    .write("data.csv", "badge_worn\ntrue\n");
    let out = d.run(&["check", "r.rules", "data.csv", "--deny-warnings"]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{out:?}");
    assert!(
        out.stderr.contains("data.csv: error: rule plate not checked"),
        "{out:?}"
    );
    // Clean rules and data: the check runs as usual.
    d.write("data.csv", "badge_worn,nameplate\ntrue,true\n");
    let out = d.run(&[
        "check",
        "r.rules",
        "data.csv",
        "--deny-warnings",
        "--format",
        "summary",
    ]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{out:?}");
}

#[test]
fn a_field_missing_from_every_json_record_is_a_warning_after_the_report() {
    let d = dir("never-held");
    d.write("r.rules", "rule badge: badge_wron required\n").write(
        "data.ndjson",
        "{\"badge_worn\": true}\n{\"badge_worn\": true}\n\n{\"badge_worn\": false}\n",
    );
    let out = d.run(&["check", "r.rules", "data.ndjson", "--format", "json"]);
    assert_eq!(out.code, 1);
    // JSON observes every field: the rule is checked, and reports
    // missing fields; the warning says why.
    assert_eq!(json_of(&out)["summary"]["violations"]["badge"], 3);
    assert_eq!(
        out.stderr,
        "data.ndjson: warning: field badge_wron is missing from all 3 records: did you mean badge_worn?\n"
    );
    d.write("data.json", "[{\"badge_worn\": true}]");
    let out = d.run(&["check", "r.rules", "data.json", "--format", "summary"]);
    assert_eq!(
        out.stderr,
        "data.json: warning: field badge_wron is missing from the one record: did you mean badge_worn?\n"
    );
}

#[test]
fn observes_lists_what_a_json_export_can_hold() {
    let d = dir("observes");
    d.write("r.rules", RULES)
        .write("s.source", "observes employee_id, date, arrival, badge_worn\n")
        .write(
            "data.ndjson",
            "{\"employee_id\": \"A\", \"date\": \"2022-02-09\", \"arrival\": \"07:45\", \"badge_worn\": true}\n",
        );
    let out = d.run(&[
        "check",
        "r.rules",
        "data.ndjson",
        "--source",
        "s.source",
        "--format",
        "json",
    ]);
    let report = json_of(&out);
    assert_eq!(violations(&report), [v(1, "on_time", "failed")]);
    assert_eq!(report["summary"]["not_checked"], json!({"nameplate": 1}));
    assert_eq!(
        out.stderr,
        "data.ndjson: warning: rule nameplate not checked: the source's `observes` does not list field nameplate\n"
    );
    // Nothing to check at all: unreadable.
    d.write("s.source", "observes employee_id\n");
    let out = d.run(&["check", "r.rules", "data.ndjson", "--source", "s.source"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no rule can be checked"), "{out:?}");
}

#[test]
fn json_keys_are_compared_like_headers_and_strings_read_through_the_source() {
    let d = dir("json-source");
    d.write("r.rules", RULES).write("s.source", SOURCE).write(
        "data.ndjson",
        concat!(
            "{\" mã nv \": \"A\", \"NGÀY\": \"09/02/2022\", \"Giờ vào\": \"07:45:00\", \"Đeo thẻ\": \"Không\", \"nameplate\": true}\n",
            "{\"Mã NV\": \"B\", \"Ngày\": \"09/02/2022\", \"Giờ vào\": \"07:00:00\", \"Check-in\": \"07:00 AM\", \"Đeo thẻ\": true, \"nameplate\": true}\n",
            "{\"Mã NV\": \"C\", \"date\": \"2022-02-09\", \"arrival\": \"N/A\", \"badge_worn\": \"TRUE\", \"nameplate\": true}\n",
        ),
    );
    let out = d.run(&[
        "check",
        "r.rules",
        "data.ndjson",
        "--source",
        "s.source",
        "--format",
        "json",
    ]);
    let report = json_of(&out);
    // Record 1: a decomposed or differently cased key is the column; the
    // word `Không` reads as false. A JSON `true` stays true (record 2).
    // Record 3: keys under the fields' own names read as their fields
    // (contract §5 forms, §5 words compared like headers) and through the
    // file-wide words (`N/A` is no value).
    assert_eq!(
        violations(&report),
        [
            v(1, "badge", "failed"),
            v(1, "on_time", "failed"),
            v(3, "on_time", "missing")
        ]
    );
    // Two keys of one record give `arrival`: a data error for it.
    assert_eq!(errors(&report), [(2, json!("arrival"), json!("B"))]);
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("two keys give field arrival"));
}

#[test]
fn an_empty_header_with_values_is_a_warning() {
    let d = dir("empty-header");
    d.write("r.rules", "rule badge: badge_worn required\n")
        .write("data.csv", "badge_worn,,\ntrue,ghi chú,\n");
    let out = d.run(&["check", "r.rules", "data.csv", "--format", "summary"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stderr,
        "data.csv: warning: column 2 has no header: its values are not read\n"
    );
}

#[test]
fn a_source_that_does_not_compile_points_at_its_line() {
    let d = dir("bad-source");
    d.write("r.rules", RULES).write("data.csv", "a\n1\n").write(
        "s.source",
        "column \"Mã NV\" -> employee_id\ncolumn \"Đeo thẻ\" -> badge_worn format \"%d/%m/%Y\"\n",
    );
    let out = d.run(&["check", "r.rules", "data.csv", "--source", "s.source"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr,
        "s.source:2:39: error: field `badge_worn` is a bool in the rules, but `format` reads dates\n  |\n2 | column \"Đeo thẻ\" -> badge_worn format \"%d/%m/%Y\"\n  |                                       ^^^^^^^^^^\n"
    );
    d.write("s.source", "colunm \"Mã NV\" -> employee_id\n");
    let out = d.run(&["check", "r.rules", "data.csv", "--source", "s.source"]);
    assert!(
        out.stderr
            .starts_with("s.source:1:1: error: expected a source statement"),
        "{out:?}"
    );
    assert!(out.stderr.contains("did you mean `column`?"), "{out:?}");
}

#[test]
fn the_table_shows_keys_in_error_rows_the_rules_not_checked_and_never_cuts_when_piped() {
    let d = attendance("table");
    let out = d.run(&["check", "cham-cong.rules", "data.csv", "--source", "may.source"]);
    assert_eq!(out.code, 1);
    let errors = &out.stdout[out.stdout.find("Errors").unwrap()..];
    assert!(errors.contains("4       HT-04  arrival  -     \"7h45\" does not match the format \"%H:%M:%S\" of column \"Giờ vào\""), "{}", out.stdout);
    assert!(out.stdout.contains("Not checked"), "{}", out.stdout);
    assert!(out.stdout.contains("nameplate  6"), "{}", out.stdout);
    // A long message is written whole when standard output is not a terminal.
    let long = "Trần Thị Bình đến lúc 07:42:10";
    assert!(out.stdout.contains(long), "{}", out.stdout);
}

#[test]
fn the_library_reads_through_a_source_and_refuses_one_of_other_rules() {
    use civrules::{Checker, InputFormat, Program, Source};
    let program = Program::from_source("cham-cong.rules", RULES).unwrap();
    let source = Source::from_text(&program, "may.source", SOURCE).unwrap();
    let mut checker = Checker::new(&program).with_source(&source).unwrap();
    let export = export();
    let input = checker.open_input(export.as_bytes(), InputFormat::Csv).unwrap();
    assert_eq!(input.not_checked().len(), 1);
    assert_eq!(
        input.warnings()[0].to_string(),
        "rule nameplate not checked: no column gives field nameplate"
    );
    let mut reports = Vec::new();
    let summary = checker
        .check_input(input, |r| {
            reports.push(r);
            Ok::<_, civrules::InputError>(())
        })
        .unwrap();
    assert_eq!(summary.records, 6);
    assert_eq!(checker.summary().not_checked["nameplate"], 6);
    assert_eq!(reports.iter().map(|r| r.violations.len()).sum::<usize>(), 4);

    let other = Program::from_source("other.rules", "rule x: y required").unwrap();
    let error = Checker::new(&other).with_source(&source).unwrap_err();
    assert_eq!(
        error.to_string(),
        "source `may-cham-cong` was compiled for other rules than the checker's"
    );
}

#[test]
fn explain_reads_through_the_source_and_says_which_rules_were_not_checked() {
    let d = attendance("explain");
    let out = d.run(&[
        "explain",
        "cham-cong.rules",
        "data.csv",
        "--source",
        "may.source",
        "--record",
        "HT-02",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains("rule on_time: violation (failed)\n  reads  date = 2022-02-09, arrival = 07:42:10"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("rule nameplate: not checked (its input does not hold every field it reads)\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn what_an_input_finds_is_the_same_on_one_thread_and_two() {
    use civrules::{Checker, Detail, InputFormat, Program, Source};
    let program = Program::from_source("cham-cong.rules", RULES).unwrap();
    let source = Source::from_text(&program, "may.source", SOURCE).unwrap();
    // Far more than one chunk of each, so that both threads read some.
    let mut ndjson = String::new();
    let mut csv = String::from("Mã NV,Ngày,Giờ vào,Đeo thẻ\n");
    for i in 0..40_000 {
        let late = if i % 7 == 0 { "07:45:00" } else { "07:15:00" };
        let badge = if i % 11 == 0 { "Không" } else { "Có" };
        ndjson.push_str(&format!(
            "{{\"Mã NV\": \"NV-{i}\", \"Ngày\": \"09/02/2022\", \"Giờ vào\": \"{late}\", \"Đeo thẻ\": \"{badge}\"}}\n"
        ));
        csv.push_str(&format!("NV-{i},09/02/2022,{late},{badge}\n"));
    }
    for (text, format) in [(&ndjson, InputFormat::Ndjson), (&csv, InputFormat::Csv)] {
        for detail in [Detail::Entries, Detail::Totals] {
            let mut results = Vec::new();
            for jobs in [1, 2] {
                let mut checker = Checker::new(&program)
                    .with_detail(detail)
                    .with_source(&source)
                    .unwrap();
                let input = checker.open_input(text.as_bytes(), format).unwrap();
                let mut reports = Vec::new();
                let summary = checker
                    .check_input_parallel(input, jobs, |r| {
                        reports.push(r);
                        Ok::<_, civrules::InputError>(())
                    })
                    .unwrap();
                results.push((summary, checker.summary(), reports));
            }
            assert_eq!(results[0], results[1], "{format:?} {detail:?}");
            let (summary, totals, _) = &results[0];
            assert_eq!(summary.records, 40_000);
            // No record holds `nameplate`: in JSON it is observed, and
            // never held; in CSV no column gives it.
            let never_held: Vec<&str> = summary.never_held.iter().map(|n| n.field.as_str()).collect();
            match format {
                InputFormat::Ndjson => {
                    assert_eq!(never_held, ["nameplate"]);
                    assert!(totals.not_checked.is_empty());
                }
                _ => {
                    assert_eq!(never_held, Vec::<&str>::new());
                    assert_eq!(totals.not_checked["nameplate"], 40_000);
                }
            }
            assert_eq!(totals.violations["on_time"], 40_000 / 7 + 1);
        }
    }
}
