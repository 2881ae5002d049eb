//! Issue 4, item 1: every limit gives a clear error naming the limit and
//! where it was hit, has a default, and can be changed through the API.

use civrules::{check_reader, Checker, InputFormat, Limits, MemoryLoader, Program, RecordReport, Sources};

fn compile_with(text: &str, limits: &Limits) -> Result<Program, civrules::CompileError> {
    let mut loader = MemoryLoader::new();
    loader.insert("t.rules", text);
    Program::compile(&loader, "t.rules", &mut Sources::default(), limits)
}

fn first_error(text: &str, limits: &Limits) -> String {
    match compile_with(text, limits) {
        Ok(_) => panic!("{text:.60} compiled"),
        Err(e) => e.render(),
    }
}

#[test]
fn a_rules_file_over_the_size_limit_is_refused() {
    let limits = Limits {
        max_source_bytes: 100,
        ..Limits::default()
    };
    let text = format!("rule a: x required\n# {}\n", "đ".repeat(100));
    let error = first_error(&text, &limits);
    assert!(error.contains("larger than 100 bytes"), "{error}");
    assert!(error.starts_with("t.rules:1:1: error:"), "{error}");
}

#[test]
fn parentheses_nested_past_the_limit_are_an_error_not_a_stack_overflow() {
    let deep = format!("rule a: {}x{} required", "(".repeat(100_000), ")".repeat(100_000));
    let error = first_error(&deep, &Limits::default());
    assert!(error.contains("nested more than 64 deep"), "{error}");
    let nots = format!("rule a: {}x", "not ".repeat(100_000));
    assert!(first_error(&nots, &Limits::default()).contains("nested more than 64"));
    let shallow = Limits {
        max_nesting: 3,
        ..Limits::default()
    };
    assert!(first_error("rule a: ((((x)))) required", &shallow).contains("more than 3 deep"));
    assert!(compile_with("rule a: (((x))) required", &shallow).is_ok());
}

#[test]
fn a_long_chain_of_operators_is_an_error_past_the_depth_limit() {
    let chain = format!("rule a: x{}", " and x".repeat(10_000));
    let error = first_error(&chain, &Limits::default());
    assert!(error.contains("the limit is 256"), "{error}");
}

#[test]
fn a_list_over_the_length_limit_is_refused() {
    let limits = Limits {
        max_list_items: 3,
        ..Limits::default()
    };
    let error = first_error(r#"rule r: unit in ["a", "b", "c", "d"]"#, &limits);
    assert!(error.contains("more than 3 items"), "{error}");
    assert!(error.starts_with("t.rules:1:17:"), "{error}");
    assert!(compile_with(r#"rule r: unit in ["a", "b", "c"]"#, &limits).is_ok());
}

#[test]
fn extends_chained_past_the_limit_is_refused() {
    let mut loader = MemoryLoader::new();
    for i in 0..10 {
        loader.insert(format!("f{i}.rules"), format!("extends \"f{}.rules\"\n", i + 1));
    }
    loader.insert("f10.rules", "rule a: x required\n");
    let limits = Limits {
        max_extends_depth: 5,
        ..Limits::default()
    };
    let error = Program::compile(&loader, "f0.rules", &mut Sources::default(), &limits).unwrap_err();
    assert!(
        error.render().contains("more than 5 files deep"),
        "{}",
        error.render()
    );
    assert!(Program::compile(&loader, "f0.rules", &mut Sources::default(), &Limits::default()).is_ok());
}

#[test]
fn a_pattern_over_the_regex_size_limit_is_a_compile_error() {
    let error = first_error(
        r#"rule r: matches(code, "\\w{1000}\\w{1000}\\w{1000}")"#,
        &Limits::default(),
    );
    assert!(error.contains("invalid pattern"), "{error}");
    assert!(error.contains("size limit"), "{error}");
}

fn check(program: &Program, format: InputFormat, data: &[u8], limits: &Limits) -> (u64, Vec<RecordReport>) {
    let mut checker = Checker::new(program).with_max_record_bytes(limits.max_record_bytes);
    let mut reports = Vec::new();
    check_reader(data, format, &mut checker, |r| {
        reports.push(r);
        Ok::<(), civrules::InputError>(())
    })
    .unwrap();
    (checker.records(), reports)
}

#[test]
fn an_over_long_ndjson_line_is_an_error_for_that_record_and_the_rest_go_on() {
    let program = Program::from_source("t.rules", "rule on_time: arrival <= 07:30").unwrap();
    let limits = Limits {
        max_record_bytes: 1000,
        ..Limits::default()
    };
    let mut data = b"{\"arrival\": \"07:00\"}\n".to_vec();
    data.extend(format!("{{\"note\": \"{}\"}}\n", "x".repeat(5_000_000)).as_bytes());
    data.extend(b"{\"arrival\": \"08:00\"}\n");
    let (records, reports) = check(&program, InputFormat::Ndjson, &data, &limits);
    assert_eq!(records, 3);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].record, 2);
    assert!(reports[0].errors[0].message.contains("longer than 1000 bytes"));
    assert_eq!(reports[1].record, 3);
    assert_eq!(reports[1].violations[0].rule, "on_time");
}

#[test]
fn an_over_long_csv_field_is_an_error_for_that_record_and_the_rest_go_on() {
    let program = Program::from_source("t.rules", "rule on_time: arrival <= 07:30").unwrap();
    let limits = Limits {
        max_record_bytes: 1000,
        ..Limits::default()
    };
    let mut data = b"arrival,note\n07:00,a\n".to_vec();
    data.extend(format!("07:00,\"{}\"\n", "y\n".repeat(100_000)).as_bytes());
    data.extend(b"08:00,c\n");
    let (records, reports) = check(&program, InputFormat::Csv, &data, &limits);
    assert_eq!(records, 3);
    assert_eq!(reports.len(), 2);
    assert!(reports[0].errors[0].message.contains("longer than 1000 bytes"));
    assert_eq!(reports[1].violations[0].record, 3);
}

#[test]
fn integer_and_duration_arithmetic_overflow_is_an_evaluation_error() {
    let program = Program::from_source(
        "t.rules",
        "field d: duration\nrule sum: n + 1 > 0\nrule product: n * n > 0\nrule later: d + 1s > 0s",
    )
    .unwrap();
    let mut checker = Checker::new(&program);
    let report = checker
        .check_ndjson_line(r#"{"n": 9223372036854775807, "d": "106751991167300d15h30m7s"}"#)
        .unwrap();
    let rules: Vec<_> = report.errors.iter().filter_map(|e| e.rule.as_deref()).collect();
    assert_eq!(rules, ["sum", "product", "later"]);
    assert!(report.errors.iter().all(|e| e.message.contains("overflow")));
    assert!(report.violations.is_empty());
}

#[test]
fn the_defaults_are_documented_values() {
    let limits = Limits::default();
    assert_eq!(limits.max_source_bytes, 4 << 20);
    assert_eq!(limits.max_nesting, 64);
    assert_eq!(limits.max_expression_depth, 256);
    assert_eq!(limits.max_list_items, 10_000);
    assert_eq!(limits.max_extends_depth, 32);
    assert_eq!(limits.max_regex_bytes, 1 << 20);
    assert_eq!(limits.max_record_bytes, 16 << 20);
    assert_eq!(limits, Limits::DEFAULT);
    assert_eq!(civrules::MAX_SOURCE_BYTES, Limits::DEFAULT.max_source_bytes);
}
