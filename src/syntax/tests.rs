use super::*;
use crate::Value;

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
            value: Value::Int(i64::MIN),
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
        only_rule(&f).message.as_ref().unwrap().value.literal.value,
        "a\"b\\c\n\u{1EA1}"
    );
}

#[test]
fn a_string_holds_any_character_but_a_quote_a_backslash_or_a_line_end() {
    // Each edge of the ranges the grammar reads text by, and beyond ASCII.
    let text = "\u{0}\u{9}\u{B}\u{1F} !#[]~\u{7F}Đơn vị ẞ 😀\u{10FFFF}";
    let f = parse_ok(&format!("rule a {{ check x required message \"{text}\" }}"));
    assert_eq!(only_rule(&f).message.as_ref().unwrap().value.literal.value, text);
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
        "expected a clause (title, severity, ref, when, per, check, message), found `chek`: did you mean `check`?"
    );
    let e = parse_err("rule a {\n  zzzzzz 1\n}\n");
    assert!(!e.message.contains("did you mean"), "{}", e.message);
}

#[test]
fn a_time_written_with_h_or_g_gets_did_you_mean() {
    for (written, time) in [
        ("7h30", "07:30"),
        ("7g30", "07:30"),
        ("07h30", "07:30"),
        ("7H30", "07:30"),
        ("17g05", "17:05"),
    ] {
        let text = format!("rule on_time: arrival <= {written}\n");
        let e = parse_err(&text);
        assert_eq!(
            e.message,
            format!("expected an expression, found `{written}`: did you mean `{time}`?"),
            "{text:?}"
        );
        assert_eq!(&text[e.span.start..e.span.end], written);
    }
    let e = parse_err("rule a: arrival in [07:00, 7g45]\n");
    assert!(
        e.message.ends_with("found `7g45`: did you mean `07:45`?"),
        "{}",
        e.message
    );
    // Only an hour of the day and minutes of an hour.
    for written in ["24h00", "7h60", "7h3", "123h30"] {
        let e = parse_err(&format!("rule on_time: arrival <= {written}\n"));
        assert!(!e.message.contains("did you mean"), "{written}: {}", e.message);
    }
}

/// The check of `rule a: {expr}`, each operation bracketed: `(a - b)`,
/// `(not a)`, `(x required)`; the author's parentheses as `{…}`.
fn shape(expr: &str) -> String {
    fn go(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Literal(l) => l.text.clone(),
            ExprKind::Field(p) => p.dotted(),
            ExprKind::Call { name, args } => {
                let args: Vec<_> = args.iter().map(go).collect();
                format!("{}({})", name.name, args.join(", "))
            }
            ExprKind::Neg(x) => format!("(-{})", go(x)),
            ExprKind::Not(x) => format!("(not {})", go(x)),
            ExprKind::Binary { op, lhs, rhs } => format!("({} {} {})", go(lhs), op.as_str(), go(rhs)),
            ExprKind::In {
                negated,
                element,
                set,
            } => {
                let not = if *negated { "not " } else { "" };
                format!("({} {not}in {})", go(element), crate::syntax::print::in_set(set))
            }
            ExprKind::Predicate { predicate, operand } => format!("({} {})", go(operand), predicate.as_str()),
            ExprKind::Paren(x) => format!("{{{}}}", go(x)),
        }
    }
    go(&only_rule(&parse_ok(&format!("rule a: {expr}\n"))).check.value)
}

#[test]
fn precedence_and_associativity() {
    for (expr, expected) in [
        ("a - b - c", "((a - b) - c)"),
        ("a / b * c", "((a / b) * c)"),
        ("a + b * c - d / e", "((a + (b * c)) - (d / e))"),
        ("a * b + c * d + e", "(((a * b) + (c * d)) + e)"),
        ("a or b or c", "((a or b) or c)"),
        ("a and b and c", "((a and b) and c)"),
        ("a or b and c or d", "((a or (b and c)) or d)"),
        ("a and b or c and d", "((a and b) or (c and d))"),
        ("not a and b", "((not a) and b)"),
        ("not a or not b", "((not a) or (not b))"),
        ("not not a", "(not (not a))"),
        ("not a == b", "(not (a == b))"),
        ("not x in [1, 2]", "(not (x in [1, 2]))"),
        ("-x * y", "((-x) * y)"),
        ("- x required", "(-(x required))"),
        ("-3 required", "(-(3 required))"),
        ("- -3", "(--3)"),
        ("x * -3", "(x * -3)"),
        ("x - -3", "(x - -3)"),
        ("a + b < c * d", "((a + b) < (c * d))"),
        ("a == b and c != d", "((a == b) and (c != d))"),
        ("x in [1, 2] and y", "((x in [1, 2]) and y)"),
        ("x not in 1..5 or y in z.w", "((x not in 1..5) or (y in z.w))"),
        ("a + b in [1]", "((a + b) in [1])"),
        ("(a or b) and c", "({(a or b)} and c)"),
        ("f(a + b, c or d) * 2", "(f((a + b), (c or d)) * 2)"),
        (
            "x required and y missing or z present",
            "(((x required) and (y missing)) or (z present))",
        ),
    ] {
        assert_eq!(shape(expr), expected, "{expr}");
    }
}

#[test]
fn operations_span_their_operands() {
    let text = "rule a {\n  check not x + y * -z >= 3 # c\n    and w in [1] or v required\n}\n";
    let file = parse_ok(text);
    let check = &only_rule(&file).check.value;
    let at = |e: &Expr| &text[e.span.start..e.span.end];
    assert_eq!(
        at(check),
        "not x + y * -z >= 3 # c\n    and w in [1] or v required"
    );
    let ExprKind::Binary { lhs: or_lhs, rhs, .. } = &check.kind else {
        panic!("{check:?}")
    };
    assert_eq!(at(rhs), "v required");
    assert_eq!(at(or_lhs), "not x + y * -z >= 3 # c\n    and w in [1]");
    let ExprKind::Binary { lhs: not, rhs: w, .. } = &or_lhs.kind else {
        panic!("{or_lhs:?}")
    };
    assert_eq!(at(w), "w in [1]");
    assert_eq!(at(not), "not x + y * -z >= 3");
    let ExprKind::Not(cmp) = &not.kind else {
        panic!("{not:?}")
    };
    assert_eq!(at(cmp), "x + y * -z >= 3");
    let ExprKind::Binary { lhs: sum, .. } = &cmp.kind else {
        panic!("{cmp:?}")
    };
    assert_eq!(at(sum), "x + y * -z");
    let ExprKind::Binary { rhs: product, .. } = &sum.kind else {
        panic!("{sum:?}")
    };
    assert_eq!(at(product), "y * -z");
}

#[test]
fn comparisons_do_not_chain_and_not_is_not_an_operand() {
    for (text, at, found) in [
        ("rule a: a < b == c\n", 14, "`=`"),
        ("rule a: a in [1] == c\n", 17, "`=`"),
        ("rule a: a + not b\n", 12, "`not`"),
        ("rule a: a == not b\n", 13, "`not`"),
        ("rule a: - not b\n", 10, "`not`"),
        ("rule a: a required present\n", 19, "`present`"),
    ] {
        let e = parse_err(text);
        assert_eq!(e.span.start, at, "{text:?}: {}", e.message);
        assert!(
            e.message.ends_with(&format!("found {found}")),
            "{text:?}: {}",
            e.message
        );
    }
    assert_eq!(
        parse_err("rule a: a + not b\n").message,
        "expected an expression, found `not`"
    );
}

#[test]
fn a_missing_operand_is_an_expression_expected() {
    for text in [
        "rule a: \n",
        "rule a: x and \n",
        "rule a: x or not \n",
        "rule a: x == \n",
        "rule a: x * \n",
        "rule a: x + - \n",
        "rule a: (\n",
        "rule a: f(x, \n",
    ] {
        let e = parse_err(text);
        assert_eq!(
            e.message, "expected an expression, found the end of the file",
            "{text:?}"
        );
        assert_eq!(e.span.start, text.len(), "{text:?}");
    }
}

#[test]
fn a_long_chain_is_refused_where_its_level_starts() {
    let limit = crate::Limits::default().max_expression_depth;
    // 129 `or`s, each between two `and`s: no one level reaches the limit.
    parse_ok(&format!("rule a: x{}\n", " and x or x".repeat(limit / 2)));
    let text = format!("rule a: y == 1 or x{} # c\n", " * x".repeat(limit));
    let e = parse_err(&text);
    assert!(e.message.contains("nested more than"), "{}", e.message);
    assert_eq!(
        &text[e.span.start..e.span.end],
        format!("x{}", " * x".repeat(limit))
    );
}

/// The message and the text under the caret of the error for `text`.
fn error_at(text: &str) -> (String, &str) {
    let e = parse_err(text);
    (e.message, &text[e.span.start..e.span.end])
}

#[test]
fn a_field_as_a_range_bound_is_an_error_at_the_bound() {
    for (text, bound, fragment) in [
        (
            "rule r: visits in count..8",
            "count",
            "`count` is a field; write the value itself",
        ),
        ("rule r: visits in 1..count", "count", "`count` is a field"),
        (
            "rule r: due in issued .. 2020-08-14",
            "issued",
            "`issued` is a field",
        ),
        ("rule r: x in a.b..8", "a.b", "`a.b` is a field"),
        (
            "rule r { check visits in count..8 }",
            "count",
            "`count` is a field",
        ),
    ] {
        let (message, under) = error_at(text);
        assert!(
            message.starts_with("a range bound must be a literal: "),
            "{text}: {message}"
        );
        assert!(message.contains(fragment), "{text}: {message}");
        assert_eq!(under, bound, "{text}: {message}");
    }
}

#[test]
fn an_expression_as_a_range_bound_suggests_the_literal_it_stands_for() {
    for (text, bound, message) in [
        (
            "rule r: visits in (-3)..8",
            "(-3)",
            "`(-3)` is an expression; write `-3`",
        ),
        (
            "rule r: visits in ( 3 )..8",
            "( 3 )",
            "`( 3 )` is an expression; write `3`",
        ),
        (
            "rule r: visits in - 3..8",
            "- 3",
            "`- 3` is an expression; write `-3`",
        ),
        (
            "rule r: visits in -(3)..8",
            "-(3)",
            "`-(3)` is an expression; write `-3`",
        ),
        (
            "rule r: t in (07:30)..08:00",
            "(07:30)",
            "`(07:30)` is an expression; write `07:30`",
        ),
        (
            "rule r: visits in 1..8 * 2",
            "8 * 2",
            "`8 * 2` is an expression; write its value",
        ),
        (
            "rule r: visits in -count..8",
            "-count",
            "`-count` is an expression; write its value",
        ),
        (
            "rule r: visits in len(s)..8",
            "len(s)",
            "`len(s)` is an expression; write its value",
        ),
        (
            "rule r: visits in (a + 1)..8",
            "(a + 1)",
            "`(a + 1)` is an expression; write its value",
        ),
    ] {
        let (got, under) = error_at(text);
        assert_eq!(
            got,
            format!("a range bound must be a literal: {message}"),
            "{text}"
        );
        assert_eq!(under, bound, "{text}");
    }
}

#[test]
fn a_field_or_an_expression_as_a_list_item_is_an_error_at_the_item() {
    for (text, item, message) in [
        (
            "rule r: x in [a, 1]",
            "a",
            "`a` is a field; write the value itself",
        ),
        (
            "rule r: x in [1, a]",
            "a",
            "`a` is a field; write the value itself",
        ),
        ("rule r: x in [(1)]", "(1)", "`(1)` is an expression; write `1`"),
        (
            "rule r: x in [1 + 2]",
            "1 + 2",
            "`1 + 2` is an expression; write its value",
        ),
        (
            "rule r: x in [true, fals]",
            "fals",
            "`fals` is a field; did you mean `false`?",
        ),
    ] {
        let (got, under) = error_at(text);
        assert_eq!(got, format!("a list item must be a literal: {message}"), "{text}");
        assert_eq!(under, item, "{text}");
    }
}

#[test]
fn a_list_field_after_in_is_still_a_field() {
    let f = parse_ok("field tags: list[string]\nrule r: x in tags and y not in tags\n");
    let ExprKind::Binary { lhs, rhs, .. } = &only_rule(&f).check.value.kind else {
        panic!("an `and`")
    };
    for side in [lhs, rhs] {
        let ExprKind::In { set, .. } = &side.kind else {
            panic!("an `in`: {side:?}")
        };
        assert!(
            matches!(set, InSet::Field(p) if p.segments == ["tags"]),
            "{set:?}"
        );
    }
}

#[test]
fn errors_near_a_bound_that_is_not_one_read_as_before() {
    // Reading a name or parentheses as a bound, and giving it up, leaves
    // the errors that the grammar without that reading gave.
    let statement = "`rule`, a statement (ruleset, extends, field, key, rule, override, disable)";
    for (text, message) in [
        (
            "rule r: x in tags foo",
            format!("expected {statement}, an operator or the end of the file, found `foo`"),
        ),
        (
            "rule r: x in f(1)",
            format!("expected {statement}, an operator or the end of the file, found `(`"),
        ),
        (
            "rule r: x in (1..8)",
            "expected a list or a range or a name, found `(`".to_string(),
        ),
        (
            "rule r: x in ()",
            "expected a list or a range or a name, found `(`".to_string(),
        ),
        (
            "rule r: x in [a b]",
            "expected a literal or a string, found `a`".to_string(),
        ),
        (
            "rule r: x in 1..",
            "expected a literal or a string, found the end of the file".to_string(),
        ),
        (
            "rule r: x in",
            "expected a list or a range or a name, found the end of the file".to_string(),
        ),
    ] {
        assert_eq!(parse_err(text).message, message, "{text}");
    }
}

/// The examples of §9 (group rules), verbatim.
const GROUP_RULES: &str = include_str!("../../tests/data/group_rules.rules");

fn rules(file: &File) -> Vec<&RuleDef> {
    file.statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::Rule(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn per_texts(rule: &RuleDef) -> Vec<String> {
    let per = rule.per.as_ref().expect("a `per` clause");
    per.value.iter().map(crate::fmt::expr).collect()
}

#[test]
fn the_group_rules_of_section_9_parse() {
    let f = parse_ok(GROUP_RULES);
    let rules = rules(&f);
    assert_eq!(rules.len(), 3);
    assert_eq!(per_texts(rules[0]), ["employee_id", "month_start(date)"]);
    assert_eq!(per_texts(rules[1]), ["employee_id", "week_start(date)"]);
    assert_eq!(per_texts(rules[2]), ["unit"]);
    // `per` keeps its span from the keyword to its last expression.
    let per = rules[0].per.as_ref().expect("per");
    assert_eq!(
        &GROUP_RULES[per.span.start..per.span.end],
        "per      employee_id, month_start(date)"
    );
    // Aggregates are ordinary calls: `violations` of a rule id as a path,
    // `count()` with no argument.
    let ExprKind::Binary { lhs, .. } = &rules[0].check.value.kind else {
        panic!("{:?}", rules[0].check.value)
    };
    let ExprKind::Call { name, args } = &lhs.kind else {
        panic!("{lhs:?}")
    };
    assert_eq!(name.name, "violations");
    assert!(matches!(&args[..], [Expr { kind: ExprKind::Field(p), .. }] if p.dotted() == "on_time"));
    assert_eq!(
        crate::fmt::expr(&rules[1].check.value),
        "sum(departure - arrival) >= count() * 8h"
    );
    let ExprKind::Binary { rhs, .. } = &rules[2].check.value.kind else {
        panic!("{:?}", rules[2].check.value)
    };
    let ExprKind::Binary { lhs: count, .. } = &rhs.kind else {
        panic!("{rhs:?}")
    };
    assert!(matches!(&count.kind, ExprKind::Call { name, args } if name.name == "count" && args.is_empty()));
}

#[test]
fn per_may_stand_anywhere_in_a_block() {
    for text in [
        "rule r {\n  per a, b.c\n  check count() > 1\n}\n",
        "rule r {\n  check count() > 1\n  per a, b.c\n}\n",
        "rule r {\n  message \"x\"\n  per a, b.c\n  when a present\n  check count() > 1\n}\n",
        "rule r { per a , b.c check count() > 1 }",
    ] {
        let f = parse_ok(text);
        assert_eq!(per_texts(only_rule(&f)), ["a", "b.c"], "{text}");
    }
    // A rule without `per` has none.
    assert!(only_rule(&parse_ok("rule r {\n  check a\n}\n")).per.is_none());
    // `per` is a keyword only at the start of a clause: a field may be
    // called `per`, or start with it.
    let f = parse_ok("rule r {\n  per period, per_unit\n  check per_unit > 0\n}\n");
    assert_eq!(per_texts(only_rule(&f)), ["period", "per_unit"]);
}

/// Line and column (from 1) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[test]
fn per_twice_empty_or_in_a_short_form_is_an_error_at_per() {
    for (text, at, needle) in [
        (
            "rule r {\n  per a\n  check count() > 1\n  per b\n}\n",
            (4, 3),
            "`per` is given twice in rule `r`",
        ),
        (
            "rule r {\n  per\n  check count() > 1\n}\n",
            (2, 3),
            "needs at least one expression",
        ),
        (
            "rule r {\n  check count() > 1\n  per }\n",
            (3, 3),
            "needs at least one expression",
        ),
        ("rule r: count() > 1 per a\n", (1, 21), "short form"),
        ("rule r: count() > 1\n  per a, b\n", (2, 3), "block form"),
    ] {
        let e = parse_err(text);
        assert_eq!(line_col(text, e.span.start), at, "{text}: {}", e.message);
        assert!(e.message.contains(needle), "{text}: {}", e.message);
    }
    // A comma with no expression after it is an error at the comma, not
    // at the next clause's keyword read as a field.
    for (text, at) in [
        ("rule r {\n  per a,\n  check count() > 1\n}\n", (2, 8)),
        ("rule r {\n  per a,, b\n  check count() > 1\n}\n", (2, 8)),
        ("rule r {\n  per , b\n  check count() > 1\n}\n", (2, 7)),
    ] {
        let e = parse_err(text);
        assert_eq!(line_col(text, e.span.start), at, "{text}: {}", e.message);
        assert!(
            e.message.contains("expected an expression after `,`"),
            "{}",
            e.message
        );
    }
}
