use super::*;

/// The body of the generated method `name`.
fn method<'c>(code: &'c str, name: &str) -> &'c str {
    code.split(&format!("fn {name}("))
        .nth(1)
        .and_then(|rest| rest.split("\n    }\n").next())
        .unwrap_or_else(|| panic!("no method {name} in {code}"))
}

fn generate(source: &str) -> GeneratedRust {
    let program = Program::from_source("t.rules", source).unwrap_or_else(|e| panic!("{e:?}"));
    rust(&program)
}

#[test]
fn each_rule_becomes_an_if_over_typed_slots() {
    let code = generate(
        "field hours: decimal\n\
         rule on_time: arrival <= 07:30\n\
         rule hours { when role == \"civil_servant\" check hours >= 8 }\n\
         rule badge: badge_worn required\n",
    );
    assert!(code.interpreted.is_empty());
    let s = &code.source;
    assert!(s.contains("s0: rt::DecimalSlot"), "{s}");
    assert!(
        s.contains("rt::TimeSlot") && s.contains("rt::TextSlot") && s.contains("rt::AnySlot"),
        "{s}"
    );
    assert!(s.contains("27000000000000_i64 /* 07:30 */"), "{s}");
    // The int literal is compared as a decimal, as the field is one.
    assert!(s.contains("rt::Decimal::from_parts(8, 0, 0, false, 0)"), "{s}");
    assert!(s.contains("== Some(true) && "), "the when guards the check: {s}");
    assert!(s.contains("\"arrival\" => rt::put(&mut self."), "{s}");
    assert!(s.contains(&format!("{:#018x}", code.fingerprint)), "{s}");
}

#[test]
fn rules_that_need_a_regex_a_new_string_or_a_list_are_left_to_the_interpreter() {
    let code = generate(
        "field total: int\nfield count: int\nfield tags: list[string]\n\
         rule a: arrival <= 07:30\n\
         rule b: weekday(d) <= 5 and departure - arrival >= 8h\n\
         rule c: total / count > 2\n\
         rule d: arrival + 1h <= 09:00\n\
         rule e: matches(name, \"^N\")\n\
         rule f: lower(name) == \"an\"\n\
         rule g: \"x\" in tags\n\
         rule h: x in [1, 2]\n\
         rule i: -total < 3\n",
    );
    assert_eq!(code.interpreted, ["e", "f", "g", "i"]);
    assert!(code.source.contains("false\n"), "{}", code.source);
    assert!(!code.source.contains("violated(0)"), "{}", code.source);
}

#[test]
fn arithmetic_goes_through_the_languages_own_and_can_give_the_record_back() {
    let code = generate(
        "field total: int\nfield count: int\nrule c: total / count > 2\nrule d: arrival + 1h <= 09:00\n",
    );
    assert!(code.interpreted.is_empty(), "{:?}", code.interpreted);
    let s = &code.source;
    assert!(
        s.contains("rt::arith::<rt::kind::Int, rt::kind::Int, rt::kind::Decimal>(rt::BinaryOp::Div, self.s0.get(), self.s1.get())?"),
        "{s}"
    );
    assert!(
        s.contains("rt::arith::<rt::kind::Time, rt::kind::Duration, rt::kind::Time>(rt::BinaryOp::Add,"),
        "{s}"
    );
    assert!(s.contains("Ok(())"), "{s}");
}

#[test]
fn nested_objects_are_read_by_a_type_for_each_and_a_key_both_read_and_led_through_is_not() {
    let code = generate(
        "rule a: employee.unit == \"x\"\nrule b: unit required\n\
         rule c: employee.office.floor >= 1\nrule d: badge required and badge.colour == \"red\"\n",
    )
    .source;
    assert!(
        code.contains("\"employee\" => rt::nest::<Rules, Object0, V>(self, value),"),
        "{code}"
    );
    assert!(
        code.contains("\"office\" => rt::nest::<Rules, Object1, V>(rules, value),"),
        "{code}"
    );
    assert!(code.contains("\"floor\" => rt::put(&mut rules.s"), "{code}");
    assert!(code.contains("impl rt::Nested<Rules> for Object1"), "{code}");
    assert!(code.contains("\"unit\" => rt::put(&mut self."), "{code}");
    assert!(code.contains("\"badge\" => false,"), "{code}");
}

#[test]
fn the_fingerprint_follows_what_the_code_decides_not_how_the_rules_are_written() {
    let a = generate("rule a: arrival <= 07:30\n");
    let spaced = generate("# a comment\nrule a {\n  title \"Đi làm đúng giờ\"\n  check arrival <= 7:30\n}\n");
    let other = generate("rule a: arrival <= 07:31\n");
    assert_eq!(a.fingerprint, spaced.fingerprint);
    assert_ne!(a.fingerprint, other.fingerprint);
    let program = Program::from_source("t.rules", "rule a: arrival <= 07:30\n").unwrap();
    assert_eq!(program.codegen_fingerprint(), a.fingerprint);
}

#[test]
fn decimal_constants_keep_sign_and_scale() {
    let d: rust_decimal::Decimal = "-1234567890123456789.25".parse().unwrap();
    let text = decimal(d);
    let parts: Vec<&str> = text
        .trim_start_matches("rt::Decimal::from_parts(")
        .split(')')
        .next()
        .unwrap()
        .split(", ")
        .collect();
    let n = |i: usize| parts[i].parse::<u32>().unwrap();
    let rebuilt = rust_decimal::Decimal::from_parts(n(0), n(1), n(2), parts[3] == "true", n(4));
    assert_eq!(rebuilt, d);
    assert_eq!(rebuilt.scale(), 2);
}

#[test]
fn rules_guarded_by_many_values_of_a_field_are_decided_for_the_records_own_value() {
    let mut source = String::from("field hours: decimal\nrule all: hours >= 8\n");
    for unit in ["b", "a", "d", "c"] {
        source.push_str(&format!(
            "rule r_{unit} {{ when unit == \"{unit}\" check hours >= 7 }}\n"
        ));
    }
    source.push_str("rule two { when unit in [\"a\", \"c\"] and hours > 1 check hours < 12 }\n");
    let code = generate(&source).source;
    assert!(
        code.contains("const VALUES: [&str; 4] = [\"a\", \"b\", \"c\", \"d\"];"),
        "{code}"
    );
    assert!(code.contains("Ok(0) => self.s1_0(&mut violated)?,"), "{code}");
    // `a`'s rules: its own, and the one for `a` and `c`.
    let a = method(&code, "s1_0");
    assert!(
        a.contains("violated(2)") && a.contains("violated(5)") && !a.contains("violated(1)"),
        "{a}"
    );
    // The unguarded rule stays in `decide`.
    assert!(
        code.split("fn decide").nth(1).unwrap().contains("violated(0)"),
        "{code}"
    );
}

#[test]
fn a_few_guarded_rules_are_tested_one_by_one() {
    let code =
        generate("rule a { when unit == \"x\" check n >= 1 }\nrule b { when unit == \"y\" check n >= 2 }\n");
    assert!(!code.source.contains("binary_search"), "{}", code.source);
    assert!(!code.source.contains("impl Rules"), "{}", code.source);
}

#[test]
fn thousands_of_unguarded_rules_are_split_into_methods() {
    let source: String = (0..130).map(|n| format!("rule r{n}: n >= {n}\n")).collect();
    let code = generate(&source).source;
    assert!(code.contains("self.rules_0(&mut violated)?;"), "{code}");
    assert!(code.contains("self.rules_2(&mut violated)?;"), "{code}");
    assert!(!code.contains("rules_3"), "{code}");
}

#[test]
fn where_a_guard_field_is_missing_only_the_rules_whose_guard_goes_on_are_evaluated() {
    let mut source = String::new();
    for unit in ["a", "b", "c", "d"] {
        source.push_str(&format!(
            "rule r_{unit} {{ when unit == \"{unit}\" check n >= 7 }}\n"
        ));
    }
    source.push_str("rule more { when unit == \"a\" and n / m > 1 check n < 12 }\n");
    let code = generate(&source).source;
    assert!(
        code.contains("None => self.s0_missing(&mut violated)?,"),
        "{code}"
    );
    let missing = method(&code, "s0_missing");
    assert!(
        missing.contains("violated(4)") && !missing.contains("violated(0)"),
        "{missing}"
    );
}
