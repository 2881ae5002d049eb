use super::*;

fn parse_ok(text: &str) -> File {
    match parse(SourceId(0), text) {
        Ok(f) => f,
        Err(e) => panic!("{text:?}: {} at {:?}", e.message, e.span),
    }
}

fn parse_err(text: &str) -> SyntaxError {
    match parse(SourceId(0), text) {
        Ok(f) => panic!("{text:?} parsed: {f:?}"),
        Err(e) => e,
    }
}

fn only_rule(file: &File) -> &RuleDef {
    file.statements
        .iter()
        .find_map(|s| match &s.kind {
            StatementKind::Rule(r) => Some(r),
            _ => None,
        })
        .expect("a rule")
}

#[test]
fn short_and_block_forms_parse() {
    let f = parse_ok(
        "ruleset \"x\"\nrule badge: badge_worn required\nrule on_time {\n  title \"Đúng giờ\"\n  severity minor\n  when role == \"civil_servant\"\n  check arrival <= 07:30\n  message \"{arrival}\"\n}\n",
    );
    assert_eq!(f.ruleset.as_ref().map(|s| s.value.as_str()), Some("x"));
    assert_eq!(f.statements.len(), 3);
    let StatementKind::Rule(r) = &f.statements[2].kind else {
        panic!()
    };
    assert_eq!(r.severity(), Severity::Minor);
    assert_eq!(r.title.as_ref().unwrap().value.value, "Đúng giờ");
    assert!(r.when.is_some());
}

#[test]
fn a_literal_cannot_run_into_a_word() {
    let e = parse_err("rule a: x <= 30min");
    assert_eq!(e.span.start, 13, "{}", e.message);
}

#[test]
fn impossible_literals_are_errors() {
    assert!(parse_err("rule a: t <= 25:00").message.contains("25:00"));
    assert!(parse_err("rule a: d <= 2022-02-30")
        .message
        .contains("2022-02-30"));
    assert!(parse_err("rule a: n <= 99999999999999999999")
        .message
        .contains("64-bit"));
}

#[test]
fn reserved_words_are_not_field_names() {
    parse_err("rule a: in required");
    parse_ok("rule a: index required");
    parse_ok("rule a: notes required and inside present");
}

#[test]
fn not_in_ranges_and_lists() {
    let f =
        parse_ok("rule a: unit not in [\"A\", \"B\"] and d in 1..5 and t in 07:00..07:30 and n in [-3, 4]");
    let r = only_rule(&f);
    assert!(matches!(
        r.check.value.kind,
        ExprKind::Binary {
            op: BinaryOp::And,
            ..
        }
    ));
}

#[test]
fn negative_int_literal_folds() {
    let f = parse_ok("rule a: n >= -9223372036854775808");
    let ExprKind::Binary { rhs, .. } = &only_rule(&f).check.value.kind else {
        panic!()
    };
    assert!(matches!(
        rhs.kind,
        ExprKind::Literal(Literal {
            value: LiteralValue::Int(i64::MIN),
            ..
        })
    ));
}

#[test]
fn ruleset_after_rules_is_refused() {
    let e = parse_err("rule a: x required\nruleset \"late\"");
    assert!(e.message.contains("must come before"), "{}", e.message);
}

#[test]
fn clause_twice_and_no_check_are_refused() {
    assert!(parse_err("rule a { check x required check y required }")
        .message
        .contains("twice"));
    assert!(parse_err("rule a { title \"t\" }").message.contains("no `check`"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("rule a: {}x{} required", "(".repeat(100_000), ")".repeat(100_000));
    assert!(parse_err(&deep).message.contains("nested"));
    let nots = format!("rule a: {} x", "not ".repeat(100_000));
    assert!(parse_err(&nots).message.contains("nested"));
    let chain = format!("rule a: x{}", " and x".repeat(10_000));
    assert!(parse_err(&chain).message.contains("nested"));
}

#[test]
fn comments_are_collected_but_not_inside_strings() {
    let f = parse_ok("# đầu\nrule a: x == \"#not\" # cuối\n");
    let texts: Vec<_> = f.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["# đầu", "# cuối"]);
}

#[test]
fn string_escapes_resolve() {
    let f = parse_ok(r#"rule a { check x required message "a\"b\\c\n\u{1EA1}" }"#);
    assert_eq!(
        only_rule(&f).message.as_ref().unwrap().value.value,
        "a\"b\\c\n\u{1EA1}"
    );
}

#[test]
fn a_string_holds_any_character_but_a_quote_a_backslash_or_a_line_end() {
    // Each edge of the ranges the grammar reads text by, and beyond ASCII.
    let text = "\u{0}\u{9}\u{B}\u{1F} !#[]~\u{7F}Đơn vị ẞ 😀\u{10FFFF}";
    let f = parse_ok(&format!("rule a {{ check x required message \"{text}\" }}"));
    assert_eq!(only_rule(&f).message.as_ref().unwrap().value.value, text);
    for bad in ["\n", "\\", "\""] {
        parse_err(&format!("rule a {{ check x required message \"a{bad}b\" }}"));
    }
}

#[test]
fn spaces_tabs_and_line_ends_separate_tokens_and_nothing_else_does() {
    let f = parse_ok("rule\ta\t:\r\n\tx\r\n\t\trequired\n");
    assert_eq!(only_rule(&f).id.name, "a");
    for other in ["\u{B}", "\u{C}", "\u{A0}"] {
        parse_err(&format!("rule a:{other}x required\n"));
    }
}

#[test]
fn a_misspelt_keyword_gets_did_you_mean() {
    for (text, expected) in [
        ("rule a {\n  chek arrival <= 07:30\n}\n", "did you mean `check`?"),
        (
            "rule a {\n  titel \"x\"\n  check a required\n}\n",
            "did you mean `title`?",
        ),
        (
            "rule a {\n  severity majr\n  check a required\n}\n",
            "did you mean `major`?",
        ),
        ("rul a: b required\n", "did you mean `rule`?"),
        (
            "overide rule a { check b required }\n",
            "did you mean `override`?",
        ),
        ("field a: tme\n", "did you mean `time`?"),
        ("rule a: b requird\n", "did you mean `required`?"),
    ] {
        let e = parse_err(text);
        assert!(e.message.ends_with(expected), "{text:?}: {}", e.message);
    }
    let e = parse_err("rule a {\n  chek arrival <= 07:30\n}\n");
    assert_eq!(
        e.message,
        "expected a clause (title, severity, ref, when, check, message), found `chek`: did you mean `check`?"
    );
    let e = parse_err("rule a {\n  zzzzzz 1\n}\n");
    assert!(!e.message.contains("did you mean"), "{}", e.message);
}
