//! Issue 4, item 2: malformed and hostile input. Each gets a clear error or
//! a correct result: no panic, no stack overflow, no record dropped.

use std::path::PathBuf;
use std::process::{Command, Output};

use civrules::{check_reader, Checker, InputFormat, Program, RecordReport};

const RULES: &str = "key employee_id\nfield arrival: time\nfield days: int\nrule on_time: arrival <= 07:30\nrule badge: badge_worn required\n";

fn program() -> Program {
    Program::from_source("t.rules", RULES).unwrap()
}

/// The reports of records with findings, and the number of records.
fn read(format: InputFormat, data: &[u8]) -> Result<(u64, Vec<RecordReport>), civrules::InputError> {
    let program = program();
    let mut checker = Checker::new(&program);
    let mut reports = Vec::new();
    check_reader(data, format, &mut checker, |r| {
        reports.push(r);
        Ok::<(), civrules::InputError>(())
    })?;
    Ok((checker.records(), reports))
}

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("civrules-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn civrules(dir: &PathBuf, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civrules"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn invalid_utf8_in_a_rules_file_is_a_compile_error_with_its_position() {
    let d = dir("utf8-rules");
    std::fs::write(
        d.join("bad.rules"),
        b"rule a: x required\nrule b: \xff\xfe y required\n",
    )
    .unwrap();
    std::fs::write(d.join("d.ndjson"), "{}\n").unwrap();
    let out = civrules(&d, &["check", "bad.rules", "d.ndjson"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("bad.rules:2:9: error: the file is not UTF-8 text"),
        "{}",
        stderr(&out)
    );
}

/// A source or test file that is not UTF-8 is located as a rules file is
/// (it was `error: bad.source:2:9: not UTF-8 text`, with no place).
#[test]
fn invalid_utf8_in_a_source_or_test_file_is_a_compile_error_with_its_position() {
    let d = dir("utf8-source");
    std::fs::write(d.join("t.rules"), RULES).unwrap();
    std::fs::write(d.join("d.ndjson"), "{}\n").unwrap();
    std::fs::write(d.join("bad.source"), b"source \"s\"\ncolumn \"\xff\" -> days\n").unwrap();
    std::fs::write(d.join("bad.test"), b"rules \"t.rules\"\n# \xff\n").unwrap();
    let out = civrules(&d, &["check", "t.rules", "d.ndjson", "--source", "bad.source"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "bad.source:2:9: error: the file is not UTF-8 text\n"
    );
    let out = civrules(&d, &["test", "bad.test"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "bad.test:2:3: error: the file is not UTF-8 text\n");
}

#[test]
fn a_binary_or_json_file_as_rules_is_a_compile_error_that_shows_one_line_only() {
    let d = dir("not-rules");
    let secret = "{\n  \"password\": \"hunter2\",\n  \"token\": \"s3cr3t\"\n}\n";
    std::fs::write(d.join("config.json"), secret).unwrap();
    let out = civrules(&d, &["lint", "config.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("config.json:1:1: error:"), "{err}");
    assert!(!err.contains("hunter2") && !err.contains("s3cr3t"), "{err}");
    std::fs::write(d.join("prog.rules"), [0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 0xff]).unwrap();
    let out = civrules(&d, &["lint", "prog.rules"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn nul_bytes_are_a_syntax_error_in_rules_and_a_bad_line_in_ndjson() {
    let error = Program::from_source("t.rules", "rule a: x\0 required").unwrap_err();
    assert!(
        error.render().starts_with("t.rules:1:10: error:"),
        "{}",
        error.render()
    );
    let (records, reports) = read(
        InputFormat::Ndjson,
        b"{\"employee_id\": \"a\0\"}\n\0\n{\"arrival\": \"07:00\", \"badge_worn\": true}\n",
    )
    .unwrap();
    assert_eq!(records, 3);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1].errors[0].field, None);
}

#[test]
fn a_byte_order_mark_and_crlf_are_ignored_in_rules() {
    let program = Program::from_source(
        "t.rules",
        "\u{FEFF}rule a: arrival <= 07:30\r\nrule b: x required\r\n",
    )
    .unwrap();
    assert_eq!(program.rule_ids().collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn empty_files_are_no_rules_and_no_records() {
    let program = Program::from_source("empty.rules", "").unwrap();
    assert_eq!(program.rule_ids().count(), 0);
    assert_eq!(program.name(), "empty");
    for format in [InputFormat::Ndjson, InputFormat::Csv] {
        let (records, reports) = read(format, b"").unwrap();
        assert_eq!((records, reports.len()), (0, 0));
    }
    assert!(
        read(InputFormat::Json, b"").is_err(),
        "an empty .json file is not JSON"
    );
}

#[test]
fn invalid_utf8_in_a_record_is_an_error_for_that_record_only() {
    let (records, reports) =
        read(InputFormat::Ndjson, b"{\"arrival\": \"07:00\", \"badge_worn\": true}\n{\"arrival\": \"\xff\"}\n{\"arrival\": \"08:00\", \"badge_worn\": true}\n").unwrap();
    assert_eq!(records, 3);
    assert_eq!(reports.iter().map(|r| r.record).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(reports[0].errors.len(), 1);
    let (records, reports) = read(
        InputFormat::Csv,
        b"arrival,badge_worn\n07:00,true\n\xff,true\n08:00,true\n",
    )
    .unwrap();
    assert_eq!(records, 3);
    assert_eq!(reports[0].errors[0].field.as_deref(), Some("arrival"));
    assert_eq!(reports[1].violations[0].record, 3);
    // The two halves of `é` in two cells: the row's bytes together are
    // UTF-8, but neither cell is.
    let (_, reports) = read(InputFormat::Csv, b"arrival,badge_worn\n07:00\xc3,\xa9true\n").unwrap();
    let fields: Vec<_> = reports[0].errors.iter().map(|e| e.field.as_deref()).collect();
    assert_eq!(fields, [Some("arrival"), Some("badge_worn")]);
    // Long records, validated many bytes at a time: one bad byte deep in a
    // line or row, and a line cut in the middle of a character at its end.
    let text = "Trung tâm Phục vụ hành chính công tỉnh ".repeat(8);
    let mut ndjson = Vec::new();
    for bad in [&b"\xff"[..], b"\xe1\xbb"] {
        ndjson.extend_from_slice(
            format!("{{\"arrival\": \"07:00\", \"badge_worn\": true, \"note\": \"{text}").as_bytes(),
        );
        ndjson.extend_from_slice(bad);
        ndjson.extend_from_slice(format!("{text}\"}}\n").as_bytes());
    }
    ndjson.extend_from_slice(
        format!("{{\"arrival\": \"07:00\", \"badge_worn\": true, \"note\": \"{text}\"}}\n").as_bytes(),
    );
    let (records, reports) = read(InputFormat::Ndjson, &ndjson).unwrap();
    assert_eq!(records, 3);
    assert_eq!(reports.iter().map(|r| r.record).collect::<Vec<_>>(), [1, 2]);
    assert!(reports
        .iter()
        .all(|r| r.errors.len() == 1 && r.errors[0].field.is_none()));
    let mut csv = b"note,arrival,badge_worn\n".to_vec();
    csv.extend_from_slice(format!("{text},07:").as_bytes());
    csv.extend_from_slice(b"\xff");
    csv.extend_from_slice(format!("00,true\n{text},07:00,true\n").as_bytes());
    let (records, reports) = read(InputFormat::Csv, &csv).unwrap();
    assert_eq!(records, 2);
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].errors[0].field.as_deref(), Some("arrival"));
}

#[test]
fn a_json_array_cut_off_halfway_exits_2_after_reporting_only_what_was_read() {
    let d = dir("cut");
    std::fs::write(d.join("r.rules"), RULES).unwrap();
    std::fs::write(
        d.join("d.json"),
        "[{\"employee_id\": \"A\", \"arrival\": \"08:00\", \"badge_worn\": true},\n {\"employee_id\": \"B\", \"arri",
    )
    .unwrap();
    let out = civrules(
        &d,
        &["check", "r.rules", "d.json", "--format", "ndjson", "--jobs", "1"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("\"key\":\"A\""), "{stdout}");
    assert!(stderr(&out).contains("line 2 column"), "{}", stderr(&out));
}

#[test]
fn duplicate_keys_take_the_last_value() {
    let (_, reports) = read(
        InputFormat::Ndjson,
        b"{\"arrival\": \"07:00\", \"arrival\": \"09:00\", \"badge_worn\": true}\n",
    )
    .unwrap();
    assert_eq!(reports[0].violations[0].rule, "on_time");
}

#[test]
fn numbers_too_large_for_an_int_are_data_errors() {
    let (_, reports) = read(
        InputFormat::Ndjson,
        b"{\"days\": 9223372036854775808}\n{\"days\": 1e400}\n{\"days\": 123456789012345678901234567890}\n",
    )
    .unwrap();
    assert_eq!(reports.len(), 3);
    // 1e400 is not JSON serde_json accepts: the line is malformed.
    assert_eq!(reports[0].errors[0].field.as_deref(), Some("days"));
    assert_eq!(reports[2].errors[0].field.as_deref(), Some("days"));
}

#[test]
fn deeply_nested_json_is_read_without_a_stack_overflow() {
    // Values no rule reads are skipped without recursion, however deep.
    let deep = format!(
        "{{\"x\": {}1{}, \"arrival\": \"09:00\", \"badge_worn\": true}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (records, reports) = read(InputFormat::Ndjson, deep.as_bytes()).unwrap();
    assert_eq!(records, 1);
    assert_eq!(reports[0].violations[0].rule, "on_time");
    let (records, _) = read(InputFormat::Json, format!("[{}]", deep.trim()).as_bytes()).unwrap();
    assert_eq!(records, 1);
    // A deep value in a field a rule reads, and objects nested along a path.
    let program = Program::from_source("t.rules", "rule a: x required\nrule b: p.q.r required").unwrap();
    let mut checker = Checker::new(&program);
    let report = checker.check_ndjson_line(&deep).unwrap();
    assert_eq!(
        report
            .violations
            .iter()
            .map(|v| v.rule.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
    let nested = format!("{}1{}", "{\"p\":".repeat(50_000), "}".repeat(50_000));
    let report = checker.check_ndjson_line(&nested).unwrap();
    assert_eq!(report.record, 2);
}

#[test]
fn csv_rows_with_too_many_or_too_few_cells() {
    let (records, reports) =
        read(InputFormat::Csv, b"arrival,badge_worn\n07:00,true,extra\n08:00\n").unwrap();
    assert_eq!(records, 2);
    assert_eq!(reports[0].errors[0].field, None);
    assert!(reports[0].errors[0].message.contains("3 cells"));
    // Too few: the rest are missing.
    assert_eq!(
        reports[1]
            .violations
            .iter()
            .map(|v| v.rule.as_str())
            .collect::<Vec<_>>(),
        ["on_time", "badge"]
    );
}

#[test]
fn a_record_with_ten_thousand_fields_is_checked() {
    let mut line = String::from("{");
    for i in 0..10_000 {
        line.push_str(&format!("\"f{i}\": {i}, "));
    }
    line.push_str("\"arrival\": \"09:00\", \"badge_worn\": true}\n");
    let (_, reports) = read(InputFormat::Ndjson, line.as_bytes()).unwrap();
    assert_eq!(reports[0].violations[0].rule, "on_time");
}

#[test]
fn every_record_is_counted_whatever_it_holds() {
    let data = b"{}\n[]\n42\n\"x\"\nnull\n{\"arrival\": 7}\n{bad\n\n   \n{\"badge_worn\": true, \"arrival\": \"07:00\"}";
    let (records, reports) = read(InputFormat::Ndjson, data).unwrap();
    assert_eq!(records, 8);
    for report in &reports {
        let non_object = report
            .errors
            .iter()
            .any(|e| e.field.is_none() && e.rule.is_none());
        assert!(!non_object || (report.errors.len() == 1 && report.violations.is_empty()));
    }
}

#[test]
fn a_byte_order_mark_after_the_first_line_is_data_not_a_mark() {
    // Only a mark at the very start of a file is ignored; the csv crate
    // would also drop one at the start of any chunk it is handed.
    let (records, reports) = read(InputFormat::Csv, b"arrival\n\xEF\xBB\xBF\n").unwrap();
    assert_eq!(records, 1);
    assert_eq!(reports[0].errors[0].field.as_deref(), Some("arrival"));
}

#[test]
fn a_whitespace_line_longer_than_the_record_limit_is_still_blank() {
    let program = program();
    let mut checker = Checker::new(&program).with_max_record_bytes(50);
    let mut data = b"{\"arrival\": \"07:00\", \"badge_worn\": true}\n".to_vec();
    data.extend(std::iter::repeat_n(b' ', 5_000_000));
    data.extend(b"\n{}\n");
    let mut reports = Vec::new();
    check_reader(&data[..], InputFormat::Ndjson, &mut checker, |r| {
        reports.push(r);
        Ok::<(), civrules::InputError>(())
    })
    .unwrap();
    assert_eq!(checker.records(), 2);
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].record, 2);
}

#[test]
fn a_record_keeps_nothing_of_the_one_before_it_in_a_stream() {
    // NDJSON records of one chunk are read over the cells of the record
    // before: what a record lacks must be missing, whatever came before,
    // also after a line that was cut off or was not an object.
    let data = b"{\"employee_id\": \"A\", \"arrival\": \"07:00\", \"badge_worn\": true, \"days\": \"x\"}\n\
        {\"employee_id\": \"B\", \"badge_worn\": true}\n\
        {\"employee_id\": \"C\", \"arrival\": \"07:10\", \"badge_worn\": tru\n\
        {\"arrival\": \"07:20\"}\n\
        [1]\n\
        {\"employee_id\": \"D\", \"arrival\": {\"h\": 7}, \"badge_worn\": true}\n\
        {\"employee_id\": \"E\", \"arrival\": \"07:00\", \"arrival\": null, \"badge_worn\": true}\n";
    let (records, reports) = read(InputFormat::Ndjson, data).unwrap();
    assert_eq!(records, 7);
    let seen: Vec<String> = reports
        .iter()
        .map(|r| {
            let mut parts: Vec<String> = r
                .violations
                .iter()
                .map(|v| {
                    format!(
                        "{}:{}:{:?}:{:?}",
                        v.rule,
                        serde_json::to_string(&v.reason).unwrap(),
                        v.missing,
                        v.key
                    )
                })
                .collect();
            parts.extend(r.errors.iter().map(|e| format!("error:{:?}", e.field)));
            format!("{} {}", r.record, parts.join(" "))
        })
        .collect();
    assert_eq!(
        seen,
        [
            "1 error:Some(\"days\")",
            "2 on_time:\"missing\":[\"arrival\"]:Some(String(\"B\"))",
            "3 error:None",
            "4 badge:\"failed\":[]:None",
            "5 error:None",
            "6 error:Some(\"arrival\")",
            "7 on_time:\"missing\":[\"arrival\"]:Some(String(\"E\"))",
        ]
    );
}
