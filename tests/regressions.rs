//! Inputs the fuzzers (`fuzz/`, see CONTRIBUTING.md) found to crash, hang
//! or break a property, minimised: a test per finding, input inline.

use civrules::fmt::format_source;
use civrules::{check_reader, Checker, InputError, InputFormat, Program, RecordReport};

/// Compiles `text` on a thread with a small stack (2 MiB, a test thread's
/// default, well under a main thread's 8 MiB), so that recursion that
/// depends on the input shows up here.
fn compile_on_small_stack(text: String) -> Result<Program, civrules::CompileError> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || Program::from_source("fuzz.rules", &text))
        .expect("thread")
        .join()
        .expect("no panic")
}

/// A chain of 200,000 `+` (50,000 on a 2 MiB stack) was lowered into a tree 200,000 deep, refused
/// by the depth limit only afterwards, and then dropping the tree
/// overflowed the stack. The chain is now refused while it is lowered.
#[test]
fn a_very_long_operator_chain_is_refused_without_overflowing_the_stack() {
    for op in ["+", "-", "*", "/", "and", "or"] {
        let chain = format!("rule r: a {}\n", format!("{op} a ").repeat(50_000));
        let error = compile_on_small_stack(chain.clone()).unwrap_err();
        assert!(error.to_string().contains("the limit is 256"), "{op}: {error}");
        assert!(format_source("fuzz.rules", &chain).is_err());
    }
    // Just under the limit still compiles.
    let ok = format!("rule r: i {} > 0\n", "+ 1 ".repeat(254));
    compile_on_small_stack(ok).unwrap();
}

fn read_csv(program: &Program, data: &[u8], max_record_bytes: Option<usize>) -> (u64, Vec<RecordReport>) {
    let mut checker = Checker::new(program);
    if let Some(limit) = max_record_bytes {
        checker = checker.with_max_record_bytes(limit);
    }
    let mut reports = Vec::new();
    check_reader(data, InputFormat::Csv, &mut checker, |r| {
        reports.push(r);
        Ok::<(), InputError>(())
    })
    .unwrap();
    (checker.records(), reports)
}

/// Rows as the csv crate reads them, header left out.
fn csv_rows(data: &[u8]) -> u64 {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(data)
        .byte_records()
        .count() as u64
}

/// Found by `records` (input `\n\n\xff`): the header was looked for in the
/// first chunk only, which ends at its last newline; when that chunk held
/// blank lines only, the header row was read as a record.
#[test]
fn a_csv_header_after_blank_lines_is_not_a_record() {
    let program = Program::from_source("t.rules", "rule r: note required").unwrap();
    for data in [&b"\n\nid,note"[..], b"\r\n\n\xff", b"\xEF\xBB\xBF\n\nid,note"] {
        assert_eq!(read_csv(&program, data, None).0, 0, "{data:?}");
    }
    let (records, reports) = read_csv(&program, b"\n\nid,note\n1,\n2,x", None);
    assert_eq!(records, 2);
    assert_eq!(reports.len(), 1);
}

/// Found by `records` (input `[\n_is"e\n }\n\n` with a small record
/// limit): the CSV reader cut records where the quotes seen so far were
/// even, but a quote inside an unquoted cell (`24" screen`) is text to the
/// csv crate. The rows after such a cell were taken for one over-long
/// record and dropped.
#[test]
fn a_quote_inside_an_unquoted_csv_cell_does_not_swallow_the_rows_after_it() {
    let program = Program::from_source("t.rules", "rule r: note required").unwrap();
    let mut data = b"id,size,note\n1,24\" screen,x\n".to_vec();
    for i in 0..20 {
        data.extend(format!("{i},x,\n").as_bytes());
    }
    let (records, reports) = read_csv(&program, &data, Some(32));
    assert_eq!(records, 21);
    assert_eq!(reports.len(), 20, "{reports:?}");
    assert!(reports.iter().all(|r| r.errors.is_empty()));
}

/// The same mistake the other way round, with the default limits: in
/// `1,5" x,"a⏎b"` the newline is inside a quoted cell after an even number
/// of quotes, so a chunk of a large file could end there and split the row
/// in two.
#[test]
fn a_large_csv_file_is_cut_into_chunks_only_between_rows() {
    let program = Program::from_source("t.rules", "rule r: note required").unwrap();
    let mut data = b"id,size,text,note\n".to_vec();
    while data.len() < 3 << 20 {
        data.extend(b"1,5\" x,\"a\nb\"\n");
    }
    let (records, reports) = read_csv(&program, &data, None);
    assert_eq!(records, csv_rows(&data));
    assert_eq!(reports.len() as u64, records, "every row lacks its note");
    assert!(reports.iter().all(|r| r.errors.is_empty()));
}

/// Found by `evaluate` (the key `i` held `[{…}, "…", []]`): an array inside
/// an untyped field's array was `{…}` (present) when read from JSON but a
/// list when read from a Rust value, so the two readers reported different
/// keys for one record.
#[test]
fn an_array_nested_in_an_untyped_list_reads_the_same_from_json_and_from_serialize() {
    let program = Program::from_source("t.rules", "key extra\nrule r: b required").unwrap();
    let record = serde_json::json!({"extra": ["x", [], [1, [2]], {"a": 1}], "b": false});
    let from_json = Checker::new(&program).check_json(&record);
    let from_text = Checker::new(&program)
        .check_ndjson_line(&record.to_string())
        .unwrap();
    let from_serialize = Checker::new(&program).check_serialize(&record);
    assert_eq!(from_json.violations, from_text.violations);
    assert_eq!(from_json.violations, from_serialize.violations);
}

/// Found by `evaluate` (`when emp.unit == "b" and 2022-02-08 + 8h > dt` on
/// `{}`): for a record without the field of a `when field == "value"`
/// guard, the checker's guard index skipped the rule as not applicable. But
/// the guard is unknown, not false, so `and` goes on to its right side,
/// which can fail: the rule's outcome is an error, as when every rule is
/// evaluated.
#[test]
fn a_guard_on_a_missing_field_does_not_hide_an_evaluation_error() {
    let rules = "field files: int\nfield days: int\n\
                 rule r {\n  when unit == \"A\" and files / days > 2\n  check ok required\n}\n";
    let program = Program::from_source("t.rules", rules).unwrap();
    let record = serde_json::json!({"files": 3, "days": 0});
    let outcomes = program
        .outcomes(&program.record_from_json(&record).unwrap())
        .expect("the program's own record");
    assert!(
        matches!(outcomes[..], [civrules::Outcome::Error(Some(_))]),
        "{outcomes:?}"
    );
    let report = Checker::new(&program).check_json(&record);
    assert_eq!(report.errors.len(), 1, "{report:?}");
    assert_eq!(report.errors[0].rule.as_deref(), Some("r"));
    // With the guard's value present, the guard index still decides.
    let other = serde_json::json!({"unit": "B", "files": 3, "days": 0});
    assert!(Checker::new(&program).check_json(&other).errors.is_empty());
}

/// Found by `evaluate` (an untyped field holding `123456789.12345679`):
/// serde_json's default float parsing may land one unit in the last place
/// off, so the number read from NDJSON text printed as
/// `123456789.1234568` while the same number from a `serde_json::Value`
/// kept its 17 digits. Exact float parsing (`float_roundtrip`) makes every
/// reader take a number at what its text says.
#[test]
fn a_json_number_with_17_significant_digits_reads_as_written() {
    let program = Program::from_source("t.rules", "key u\nrule r: b required").unwrap();
    for number in ["123456789.12345679", "0.30000000000000004"] {
        let line = format!(r#"{{"u": {number}, "b": false}}"#);
        let from_text = Checker::new(&program).check_ndjson_line(&line).unwrap();
        let json: serde_json::Value = serde_json::from_str(&line).unwrap();
        let from_json = Checker::new(&program).check_json(&json);
        for report in [from_text, from_json] {
            let key = report.violations[0].key.as_ref().map(|k| k.to_string());
            assert_eq!(key.as_deref(), Some(number));
        }
    }
}

/// Found by `compile` (`rule time_window: - 2022-01-01 >= 0d`, mutated
/// from a seed): fmt printed the negation of a date as `-2022-01-01`,
/// which reads back as `-2022 - 01 - 01`, so fmt of fmt output differed;
/// `- 07:30` became `-07:30`, which does not parse at all. A `-` before
/// anything that starts with a digit now keeps a space.
#[test]
fn fmt_keeps_a_minus_apart_from_a_date_or_a_time() {
    for text in [
        "rule r: - 2022-01-01 >= 0d\n",
        "rule r: x == - 07:30\n",
        "rule r: x == - 7:30:15\n",
        "rule r: x == - 8h\n",
        "rule r: - 2022-01-01 required\n",
        "rule r: x == - - 2022-01-01\n",
    ] {
        let once = format_source("t.rules", text).unwrap();
        let twice = format_source("t.rules", &once).unwrap_or_else(|e| panic!("{once}: {}", e.render()));
        assert_eq!(once, twice, "{text}");
        assert_eq!(
            Program::from_source("t.rules", text).is_ok(),
            Program::from_source("t.rules", &once).is_ok(),
            "{text}"
        );
    }
    assert_eq!(
        format_source("t.rules", "rule r: x == -5\n").unwrap(),
        "rule r: x == -5\n"
    );
}

/// Found by `records` (a row over the record limit, then `\r` and more
/// rows): the csv crate ends a record at `\r` as well as at `\n`, but the
/// CSV chunker looked for `\n` only, so skipping an over-long row swallowed
/// the rows after it up to the next `\n` (in a file with `\r` line ends,
/// all of them).
#[test]
fn a_carriage_return_ends_a_csv_record_for_the_chunker_too() {
    let program = Program::from_source("t.rules", "rule r: note required").unwrap();
    let data = format!("id,note\r1,{}\r2,\r3,y\r\n4,\r", "x".repeat(100));
    let (records, reports) = read_csv(&program, data.as_bytes(), Some(32));
    assert_eq!(records, csv_rows(data.as_bytes()));
    assert_eq!(records, 4);
    assert_eq!(reports.len(), 3, "{reports:?}");
    assert!(reports[0].errors[0].message.contains("longer than 32 bytes"));
}

/// Issue 14: a `Record` read by one program and passed to another indexed
/// that program's slots with the other's cells — a panic where it had
/// fewer fields, a silent misreading where it had as many. It is refused.
#[test]
fn a_record_of_another_program_is_refused_not_misread() {
    let small = Program::from_source("a.rules", "rule a: x required").unwrap();
    let same_size = Program::from_source("b.rules", "rule b: y required").unwrap();
    let large = Program::from_source("c.rules", "rule c: x required and y required and z required").unwrap();
    let json = serde_json::json!({"x": true, "y": true, "z": true});
    for (reader, other) in [(&small, &large), (&large, &small), (&small, &same_size)] {
        let record = reader.record_from_json(&json).unwrap();
        assert_eq!(other.outcomes(&record), Err(civrules::ForeignRecord));
        let observed = civrules::Observed::all();
        assert_eq!(
            other.outcomes_observed(&record, &observed),
            Err(civrules::ForeignRecord)
        );
        assert!(matches!(
            civrules::explain::explain(other, &record, 1, None),
            Err(civrules::explain::ExplainError::ForeignRecord(_))
        ));
        let mut checker = civrules::Checker::new(other);
        assert_eq!(checker.check_record(&record), Err(civrules::ForeignRecord));
        assert_eq!(checker.records(), 0, "a refused record is not counted");
        // Its own program takes it, and so does a clone of that program.
        assert!(reader.outcomes(&record).is_ok());
        assert!(reader.clone().outcomes(&record).is_ok());
        assert!(civrules::Checker::new(reader).check_record(&record).is_ok());
    }
}

// Issue 14: reading and showing values exactly (found by differential
// testing against the contract).

/// `values` and `key` in `--format json`/`ndjson` went through f64:
/// `0.1234567890123456789012345677` was shown as `0.12345678901234568`, and
/// a tiny negative decimal as `-1e-28`. The evidence shows the value the
/// record holds, digit for digit, as messages do, still as a JSON number.
#[test]
fn a_decimal_in_the_evidence_and_the_key_keeps_every_digit() {
    let rules = "key k\nfield k: decimal\nfield x: decimal\nrule r: x == 1\n";
    let program = Program::from_source("t.rules", rules).unwrap();
    for number in [
        "0.1234567890123456789012345677",
        "-0.0000000000000000000000000001",
        "7922816251426433759354395.033",
        "-12345678901234567890.12345678",
    ] {
        let line = format!(r#"{{"k": {number}, "x": {number}}}"#);
        let json: serde_json::Value = serde_json::from_str(&line).unwrap();
        let from_text = Checker::new(&program).check_ndjson_line(&line).unwrap();
        let from_document = {
            let mut checker = Checker::new(&program);
            let mut reports = Vec::new();
            check_reader(
                format!("[{line}]").as_bytes(),
                InputFormat::Json,
                &mut checker,
                |r| {
                    reports.push(r);
                    Ok::<(), InputError>(())
                },
            )
            .unwrap();
            reports.remove(0)
        };
        for report in [from_text, from_document] {
            let mut ndjson = Vec::new();
            civrules::report::write_ndjson_entries(&mut ndjson, &report).unwrap();
            let ndjson = String::from_utf8(ndjson).unwrap();
            assert!(
                ndjson.contains(&format!(r#""key":{number},"#)),
                "{number}: {ndjson}"
            );
            assert!(
                ndjson.contains(&format!(r#""values":{{"x":{number}}}"#)),
                "{number}: {ndjson}"
            );
        }
        // A `serde_json::Value` holds an f64: the record read from it
        // holds what that f64 says, and the evidence shows just that.
        let report = Checker::new(&program).check_json(&json);
        let key = report.violations[0].key.as_ref().unwrap().to_string();
        let shown = serde_json::to_string(&report.violations[0].values).unwrap();
        assert_eq!(shown, format!(r#"{{"x":{key}}}"#));
    }
}

/// A decimal [`civrules::Value`] serializes as serde_json's raw number (its
/// exact digits); a tool that builds its records from such values, as
/// structs, has them read as the numbers they hold, exactly (before, a
/// decimal became a data error: "an object is not a decimal").
#[test]
fn a_decimal_value_in_a_struct_reads_as_the_number_it_holds() {
    #[derive(serde::Serialize)]
    struct Row {
        k: civrules::Value,
        x: civrules::Value,
        n: civrules::Value,
    }
    let rules = "key k\nfield k: decimal\nfield x: decimal\nrule r: x == 1\nrule s: n == 2.25\n";
    let program = Program::from_source("t.rules", rules).unwrap();
    let line = r#"{"k": 0.1234567890123456789012345677, "x": -0.0000000000000000000000000001, "n": 2.50}"#;
    let report = Checker::new(&program).check_ndjson_line(line).unwrap();
    let values = &report.violations[0].values;
    let n = report.violations[1].values["n"].clone().unwrap();
    let row = Row {
        k: report.violations[0].key.clone().unwrap(),
        x: values["x"].clone().unwrap(),
        n,
    };
    let again = Checker::new(&program).check_serialize(&row);
    assert_eq!(again, report);
}

/// Reads one record with every reader: an NDJSON line, a `.json`
/// document, and the `serde_json::Value` its text parses to.
fn every_reader(program: &Program, line: &str) -> [RecordReport; 3] {
    let from_line = Checker::new(program).check_ndjson_line(line).unwrap_or_default();
    let mut checker = Checker::new(program);
    let mut from_document = RecordReport::default();
    check_reader(
        format!("[{line}]").as_bytes(),
        InputFormat::Json,
        &mut checker,
        |r| {
            from_document = r;
            Ok::<(), InputError>(())
        },
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(line).unwrap();
    let from_value = Checker::new(program).check_json(&json);
    [from_line, from_document, from_value]
}

/// `{"n": -0}` for an int field was a data error ("-0 is not an int (it is
/// written with a fraction)"): serde_json hands JSON's `-0` over as the
/// float -0.0. It is the integer 0, from every reader, and from a struct
/// that holds -0.0 (its text in JSON is `-0.0`, which serde_json cannot
/// tell from `-0`: it reads as 0 too). Other zeros with a fraction, and
/// other fractions, stay data errors.
#[test]
fn minus_zero_in_an_int_field_is_the_integer_zero() {
    #[derive(serde::Serialize)]
    struct Row {
        n: f64,
    }
    let program = Program::from_source("t.rules", "field n: int\nrule r: n > 0\n").unwrap();
    let zero = Checker::new(&program).check_ndjson_line(r#"{"n": 0}"#).unwrap();
    assert!(zero.errors.is_empty() && zero.violations.len() == 1, "{zero:?}");
    for line in [r#"{"n": -0}"#, r#"{"n": -0.0}"#, r#"{"n": -0e5}"#] {
        for report in every_reader(&program, line) {
            assert_eq!(report, zero, "{line}");
        }
    }
    assert_eq!(Checker::new(&program).check_serialize(&Row { n: -0.0 }), zero);
    for line in [r#"{"n": 0.0}"#, r#"{"n": 0.5}"#, r#"{"n": -1.5}"#] {
        for report in every_reader(&program, line) {
            assert_eq!(report.errors.len(), 1, "{line}: {report:?}");
        }
    }
}
