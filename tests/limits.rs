//! Issue 4, item 1: every limit gives a clear error naming the limit and
//! where it was hit, has a default, and can be changed through the API.

mod common;

use civrules::{
    check_reader, Checker, FileLoader, InputFormat, Limits, MemoryLoader, Program, RecordReport, Sources,
};

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
}

/// Lines of comment, one byte more than `limit` in all.
fn oversized(limit: usize) -> String {
    let line = "# một dòng chú thích\n";
    let mut text = line.repeat(limit / line.len() + 1);
    let mut end = limit + 1;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text.truncate(end);
    text
}

/// Issue 14, bug 5: a rules file over the size limit was `error:
/// main.rules: larger than 4194304 bytes`, with no place; §7 wants every
/// compile error as `PATH:LINE:COL: error:`. So for every kind of file the
/// limit bounds: rules (named, extended, formatted), sources and tests.
#[test]
fn a_file_over_the_size_limit_is_an_error_at_its_first_line() {
    let limit = Limits::DEFAULT.max_source_bytes;
    let big = oversized(limit);
    assert_eq!(big.len(), limit + 1);
    let dir = common::Dir::new("limits", "oversized");
    dir.write("main.rules", &big)
        .write("big.source", &big)
        .write("big.test", &big)
        .write("ok.rules", "rule r: x required\n")
        .write("base.rules", "extends \"main.rules\"\n")
        .write("d.ndjson", "{\"x\": 1}\n");
    let too_large = |path: &str, kind: &str| {
        format!("{path}:1:1: error: the file is larger than {limit} bytes, the most a {kind} file may be")
    };
    let cases: [(&[&str], String); 6] = [
        (
            &["check", "main.rules", "d.ndjson"],
            too_large("main.rules", "rules"),
        ),
        (&["lint", "main.rules"], too_large("main.rules", "rules")),
        (&["fmt", "main.rules"], too_large("main.rules", "rules")),
        (
            &["check", "ok.rules", "d.ndjson", "--source", "big.source"],
            too_large("big.source", "source"),
        ),
        (&["test", "big.test"], too_large("big.test", "test")),
        (
            &["lint", "base.rules"],
            format!(
                "base.rules:1:9: error: cannot extend \"main.rules\": the file is larger than {limit} bytes, \
                 the most a rules file may be"
            ),
        ),
    ];
    for (args, expected) in cases {
        let out = dir.run(args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert_eq!(
            out.stderr.lines().next(),
            Some(expected.as_str()),
            "{args:?}: {out:?}"
        );
    }
    // Just at the limit, a file is read.
    dir.write("main.rules", &big[..limit - 1]);
    assert_eq!(dir.run(&["lint", "main.rules"]).code, 0);
}

#[test]
fn a_file_loader_refuses_a_file_over_its_own_limit_at_the_first_line() {
    let dir = common::Dir::new("limits", "loader");
    dir.write("t.rules", &oversized(100));
    let path = dir.path.join("t.rules");
    let limits = Limits {
        max_source_bytes: 100,
        ..Limits::default()
    };
    let loader = FileLoader::new().with_limits(&limits);
    let error =
        Program::compile(&loader, &path.to_string_lossy(), &mut Sources::default(), &limits).unwrap_err();
    let location = error.diagnostics[0].location.as_ref().expect("located");
    assert_eq!((location.line, location.column), (1, 1));
    assert_eq!(
        error.diagnostics[0].message,
        "the file is larger than 100 bytes, the most a rules file may be"
    );
    let roomy = Limits {
        max_source_bytes: 200,
        ..Limits::default()
    };
    let loader = FileLoader::new().with_limits(&roomy);
    assert!(Program::compile(&loader, &path.to_string_lossy(), &mut Sources::default(), &roomy).is_ok());
}
