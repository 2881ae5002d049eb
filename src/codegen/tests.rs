use super::*;

fn generate(source: &str) -> GeneratedRust {
    let program = Program::from_source("t.rules", source).unwrap_or_else(|e| panic!("{e:?}"));
    rust(&program)
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
