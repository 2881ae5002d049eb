//! The check stage: `extends` / `override` / `disable` (resolve.rs) and type
//! inference (types.rs), through [`check`] with a [`MemoryLoader`].

use super::{check, RuleSet};
use crate::semantics::value::{Scalar, Type};
use crate::syntax::Severity;
use crate::{CompileError, Diagnostic, MemoryLoader, Sources};

fn compile(files: &[(&str, &str)]) -> Result<RuleSet, CompileError> {
    let mut loader = MemoryLoader::new();
    for (name, text) in files {
        loader.insert(*name, *text);
    }
    let mut sources = Sources::default();
    check(&loader, &mut sources, files[0].0)
}

fn ok(files: &[(&str, &str)]) -> RuleSet {
    match compile(files) {
        Ok(rules) => rules,
        Err(e) => panic!("expected to compile, got:\n{}", e.render()),
    }
}

fn err(files: &[(&str, &str)]) -> CompileError {
    match compile(files) {
        Ok(rules) => panic!(
            "expected a compile error, got rules {:?}",
            rules.rules.iter().map(|r| &r.id).collect::<Vec<_>>()
        ),
        Err(e) => e,
    }
}

fn root(text: &str) -> RuleSet {
    ok(&[("root.rules", text)])
}

fn root_err(text: &str) -> CompileError {
    err(&[("root.rules", text)])
}

fn ids(rules: &RuleSet) -> Vec<&str> {
    rules.rules.iter().map(|r| r.id.as_str()).collect()
}

fn ty(rules: &RuleSet, name: &str) -> Option<Type> {
    rules
        .fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field `{name}` in {:?}", rules.fields))
        .ty
}

/// The one diagnostic whose message contains `needle`.
fn diagnostic<'a>(error: &'a CompileError, needle: &str) -> &'a Diagnostic {
    error
        .diagnostics
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic containing {needle:?} in:\n{}", error.render()))
}

/// (path, line, column) of a diagnostic.
fn place(d: &Diagnostic) -> (String, usize, usize) {
    let loc = d
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("diagnostic without a location: {d:?}"));
    (loc.path.clone(), loc.line, loc.column)
}

/// Line and column (from 1, in characters) of the `nth` (from 0)
/// occurrence of `needle` in `text`.
fn pos(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in {text:?}"))
        .0;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

fn assert_at(d: &Diagnostic, path: &str, text: &str, needle: &str, nth: usize) {
    let (line, column) = pos(text, needle, nth);
    assert_eq!(place(d), (path.to_string(), line, column), "{}", d.render());
}

// ---------------------------------------------------------------------------
// extends, override, disable

const BASE: &str = "\
ruleset \"national\"
field arrival: time
key employee_id

rule a: badge required
rule b {
  title    \"Old title\"
  severity critical
  ref      \"Old ref\"
  message  \"old {arrival}\"
  check    arrival <= 07:30
}
rule c: uniform required
";

#[test]
fn inherited_rules_keep_order_and_own_rules_follow() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"base.rules\"\nrule d: x required\nrule e: y required\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(ids(&rules), ["a", "b", "c", "d", "e"]);
}

#[test]
fn override_keeps_position_and_replaces_the_whole_rule() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"base.rules\"\nrule d: x required\noverride rule b { check arrival <= 07:00 }\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(ids(&rules), ["a", "b", "c", "d"]);
    let b = &rules.rules[1];
    assert_eq!(b.title, None, "title is not inherited");
    assert_eq!(b.severity, Severity::Major, "severity is not inherited");
    assert_eq!(b.reference, None, "ref is not inherited");
    assert!(b.message.is_none(), "message is not inherited");
    assert!(b.when.is_none());
}

#[test]
fn override_may_bring_its_own_clauses() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"base.rules\"\noverride rule a {\n  title \"New\"\n  severity info\n  check badge present\n}\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(ids(&rules), ["a", "b", "c"]);
    assert_eq!(rules.rules[0].title.as_deref(), Some("New"));
    assert_eq!(rules.rules[0].severity, Severity::Info);
    // The inherited b is untouched.
    assert_eq!(rules.rules[1].title.as_deref(), Some("Old title"));
    assert_eq!(rules.rules[1].severity, Severity::Critical);
    assert_eq!(rules.rules[1].reference.as_deref(), Some("Old ref"));
}

#[test]
fn an_override_keeps_both_rules_typed_under_the_final_fields() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"base.rules\"\noverride rule b { check arrival <= 07:00 }\noverride rule c: badge present\n",
        ),
        ("base.rules", "rule b: arrival <= 07:30\nrule c: grade > 3\n"),
    ]);
    assert_eq!(rules.overrides.len(), 2);
    let b = &rules.overrides[0];
    let replaced = b.replaced.as_ref().expect("the replaced rule types");
    assert_eq!(replaced.id, "b");
    assert_eq!(replaced.check.ty, Type::BOOL);
    assert!(b.by.is_some());
    assert_eq!(b.span, rules.rules[0].span);
    assert_ne!(b.replaced_span.source, b.span.source);
    // `grade` is not a field of the rule set any more: the replaced rule
    // does not type under its fields, and typing it added none.
    let c = &rules.overrides[1];
    assert!(c.replaced.is_none());
    assert!(c.by.is_some());
    assert!(rules.fields.iter().all(|f| f.name != "grade"));
}

#[test]
fn disable_drops_an_inherited_rule() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"base.rules\"\ndisable rule b\nrule z: x required\ndisable rule a\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(ids(&rules), ["c", "z"]);
}

#[test]
fn override_and_disable_together_keep_the_remaining_order() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"base.rules\"\nrule d: x required\noverride rule c: uniform present\ndisable rule a\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(ids(&rules), ["b", "c", "d"]);
}

#[test]
fn several_extends_merge_in_the_order_written() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"one.rules\"\nextends \"two.rules\"\nrule own: z required\n",
        ),
        ("one.rules", "rule p: x required\nrule q: x present\n"),
        ("two.rules", "rule r: y required\n"),
    ]);
    assert_eq!(ids(&rules), ["p", "q", "r", "own"]);
}

#[test]
fn extends_chains_keep_the_deepest_rules_first() {
    let rules = ok(&[
        ("root.rules", "extends \"mid.rules\"\nrule top: z required\n"),
        (
            "mid.rules",
            "extends \"base.rules\"\nrule middle: y required\noverride rule a: badge present\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(ids(&rules), ["a", "b", "c", "middle", "top"]);
    // The root may override what the middle file overrode.
    let rules = ok(&[
        (
            "root.rules",
            "extends \"mid.rules\"\noverride rule a { title \"root\" check badge missing }\n",
        ),
        (
            "mid.rules",
            "extends \"base.rules\"\noverride rule a: badge present\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(ids(&rules), ["a", "b", "c"]);
    assert_eq!(rules.rules[0].title.as_deref(), Some("root"));
}

#[test]
fn extends_paths_are_relative_to_the_file_naming_them() {
    let rules = ok(&[
        (
            "tinh/root.rules",
            "extends \"../chung/base.rules\"\nrule own: x required\n",
        ),
        ("chung/base.rules", "extends \"more.rules\"\nrule b: y required\n"),
        ("chung/more.rules", "rule m: y present\n"),
    ]);
    assert_eq!(ids(&rules), ["m", "b", "own"]);
    assert_eq!(rules.name, "root");
}

#[test]
fn a_file_reached_twice_counts_once() {
    let common = "field arrival: time\nrule shared: arrival <= 07:30\n";
    let rules = ok(&[
        (
            "root.rules",
            "extends \"left.rules\"\nextends \"right.rules\"\nrule own: x required\n",
        ),
        ("left.rules", "extends \"common.rules\"\nrule l: y required\n"),
        ("right.rules", "extends \"common.rules\"\nrule r: z required\n"),
        ("common.rules", common),
    ]);
    assert_eq!(ids(&rules), ["shared", "l", "r", "own"]);
    assert_eq!(ty(&rules, "arrival"), Some(Type::TIME));

    // Named twice by the same file, too.
    let rules = ok(&[
        (
            "root.rules",
            "extends \"common.rules\"\nextends \"./common.rules\"\n",
        ),
        ("common.rules", common),
    ]);
    assert_eq!(ids(&rules), ["shared"]);
}

#[test]
fn an_extends_cycle_is_an_error() {
    let a = "extends \"b.rules\"\nrule ra: x required\n";
    let b = "# back to the start\nextends  \"root.rules\"\nrule rb: y required\n";
    let e = err(&[
        ("root.rules", "extends \"a.rules\"\nrule own: z required\n"),
        ("a.rules", a),
        ("b.rules", b),
    ]);
    let d = diagnostic(&e, "cycle");
    assert_eq!(place(d), ("b.rules".to_string(), 2, 10));
    assert!(d.message.contains("root.rules"), "{}", d.message);

    let text = "# myself\nextends \"root.rules\"\nrule r: x required\n";
    let e = root_err(text);
    let d = diagnostic(&e, "cycle");
    assert_at(d, "root.rules", text, "\"root.rules\"", 0);
}

#[test]
fn extending_a_missing_file_is_an_error() {
    let text = "ruleset \"x\"\nextends   \"nowhere.rules\"\n";
    let e = root_err(text);
    let d = diagnostic(&e, "nowhere.rules");
    assert_eq!(place(d), ("root.rules".to_string(), 2, 11));
}

#[test]
fn override_of_nothing_inherited_is_an_error() {
    let text = "rule a: x required\n\noverride rule ghost { check x present }\n";
    let e = root_err(text);
    let d = diagnostic(&e, "ghost");
    assert!(d.message.contains("no inherited rule"), "{}", d.message);
    assert_eq!(place(d), ("root.rules".to_string(), 3, 15));

    // A rule of the file's own is not inherited either.
    let e = root_err("rule a: x required\noverride rule a: x present\n");
    let d = diagnostic(&e, "override rule a");
    assert_eq!(place(d), ("root.rules".to_string(), 2, 15));

    // An id inherited but overridden twice.
    let text = "extends \"base.rules\"\noverride rule a: badge present\noverride rule a: badge missing\n";
    let e = err(&[("root.rules", text), ("base.rules", BASE)]);
    assert_eq!(e.diagnostics.len(), 1, "{}", e.render());
    assert_at(&e.diagnostics[0], "root.rules", text, "a: badge missing", 0);
}

#[test]
fn disable_of_nothing_inherited_is_an_error() {
    let text = "extends \"base.rules\"\ndisable rule bb\n";
    let e = err(&[("root.rules", text), ("base.rules", BASE)]);
    let d = diagnostic(&e, "bb");
    assert!(d.message.contains("no inherited rule"), "{}", d.message);
    assert_eq!(place(d), ("root.rules".to_string(), 2, 14));
    assert!(
        d.notes.iter().any(|n| n.message.contains("did you mean `b`")),
        "{d:?}"
    );

    let e = root_err("rule own: x required\ndisable rule own\n");
    assert_eq!(place(diagnostic(&e, "own")), ("root.rules".to_string(), 2, 14));

    // Disabling twice: the second has nothing left to disable.
    let e = err(&[
        (
            "root.rules",
            "extends \"base.rules\"\ndisable rule a\ndisable rule a\n",
        ),
        ("base.rules", BASE),
    ]);
    assert_eq!(e.diagnostics.len(), 1, "{}", e.render());
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 3, 14));
}

#[test]
fn a_duplicate_id_is_an_error() {
    let text = "rule a: x required\nrule b: y required\nrule   a: z required\n";
    let e = root_err(text);
    assert_eq!(e.diagnostics.len(), 1, "{}", e.render());
    let d = &e.diagnostics[0];
    assert!(d.message.contains("`a`"), "{}", d.message);
    assert_eq!(place(d), ("root.rules".to_string(), 3, 8));
    // The note points at the first definition.
    let note = d.notes[0].location.as_ref().expect("a located note");
    assert_eq!((note.line, note.column), (1, 6));

    // A rule inherited and defined again without `override`.
    let text = "extends \"base.rules\"\nrule b: x required\n";
    let e = err(&[("root.rules", text), ("base.rules", BASE)]);
    let d = diagnostic(&e, "`b`");
    assert!(d.message.contains("override"), "{}", d.message);
    assert_eq!(place(d), ("root.rules".to_string(), 2, 6));

    // The same id from two different parents.
    let e = err(&[
        ("root.rules", "extends \"one.rules\"\nextends \"two.rules\"\n"),
        ("one.rules", "rule same: x required\n"),
        ("two.rules", "rule same: y required\n"),
    ]);
    let d = diagnostic(&e, "same");
    assert_eq!(place(d), ("two.rules".to_string(), 1, 6));

    // Block forms too; the error is the same whatever the form.
    let e = root_err("rule a { check x required }\nrule a { check x present }\n");
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 2, 6));
}

#[test]
fn field_declarations_are_inherited() {
    let rules = ok(&[
        (
            "root.rules",
            "extends \"base.rules\"\nrule r: hours > 8\nrule s: late required\n",
        ),
        (
            "base.rules",
            "field hours: decimal\nfield late: duration\nfield arrival: time\n",
        ),
    ]);
    // Declared decimal: comparing with an int does not make it an int.
    assert_eq!(ty(&rules, "hours"), Some(Type::DECIMAL));
    // A declaration gives a type even where only `required` is used.
    assert_eq!(ty(&rules, "late"), Some(Type::DURATION));
    assert!(rules.fields.iter().find(|f| f.name == "late").unwrap().declared);
    // A declared field no rule uses is still a field (its data errors count).
    assert_eq!(ty(&rules, "arrival"), Some(Type::TIME));

    // An inherited declaration conflicts with a use of another type.
    let text = "extends \"base.rules\"\nrule r: arrival == 2022-01-01\n";
    let e = err(&[("root.rules", text), ("base.rules", "field arrival: time\n")]);
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 2, 9));
    let text = "extends \"base.rules\"\nrule r: weekday(arrival) == 1\n";
    let e = err(&[("root.rules", text), ("base.rules", "field arrival: time\n")]);
    let d = diagnostic(&e, "arrival");
    assert_eq!(place(d), ("root.rules".to_string(), 2, 17));
    let note = d
        .notes
        .iter()
        .find_map(|n| n.location.as_ref())
        .expect("a located note");
    assert_eq!((note.path.as_str(), note.line, note.column), ("base.rules", 1, 7));
}

#[test]
fn a_conflicting_redeclaration_is_an_error() {
    let text = "extends \"base.rules\"\nfield  hours: string\n";
    let e = err(&[("root.rules", text), ("base.rules", "field hours: decimal\n")]);
    let d = diagnostic(&e, "hours");
    assert!(
        d.message.contains("string") && d.message.contains("decimal"),
        "{}",
        d.message
    );
    assert_eq!(place(d), ("root.rules".to_string(), 2, 8));
    let note = d.notes[0].location.as_ref().expect("a located note");
    assert_eq!((note.path.as_str(), note.line, note.column), ("base.rules", 1, 7));

    // In one file.
    let e = root_err("field n: int\nfield n: list[int]\n");
    assert_eq!(place(diagnostic(&e, "`n`")), ("root.rules".to_string(), 2, 7));

    // Two parents that disagree.
    let e = err(&[
        ("root.rules", "extends \"one.rules\"\nextends \"two.rules\"\n"),
        ("one.rules", "field n: int\n"),
        ("two.rules", "field n: date\n"),
    ]);
    assert_eq!(place(diagnostic(&e, "`n`")), ("two.rules".to_string(), 1, 7));

    // The same type again is fine.
    let rules = ok(&[
        ("root.rules", "extends \"base.rules\"\nfield hours: decimal\n"),
        ("base.rules", "field hours: decimal\n"),
    ]);
    assert_eq!(ty(&rules, "hours"), Some(Type::DECIMAL));
}

#[test]
fn an_own_key_replaces_an_inherited_one() {
    let key_name = |rules: &RuleSet| rules.key.map(|k| rules.field(k).name.clone());
    let rules = ok(&[
        ("root.rules", "extends \"base.rules\"\nkey staff.code\n"),
        ("base.rules", BASE),
    ]);
    assert_eq!(key_name(&rules).as_deref(), Some("staff.code"));
    let rules = ok(&[("root.rules", "extends \"base.rules\"\n"), ("base.rules", BASE)]);
    assert_eq!(key_name(&rules).as_deref(), Some("employee_id"));
    assert_eq!(key_name(&root("rule a: x required\n")), None);
}

#[test]
fn the_ruleset_name_is_the_roots_ruleset_else_its_stem() {
    assert_eq!(root("ruleset \"nghe-an\"\nrule a: x required\n").name, "nghe-an");
    assert_eq!(root("rule a: x required\n").name, "root");
    // The parent's name is not inherited.
    let rules = ok(&[("root.rules", "extends \"base.rules\"\n"), ("base.rules", BASE)]);
    assert_eq!(rules.name, "root");
    let rules = ok(&[
        ("dir/cua-lo.rules", "extends \"../base.rules\"\n"),
        ("base.rules", BASE),
    ]);
    assert_eq!(rules.name, "cua-lo");
    let rules = ok(&[("tỉnh.v2.rules", "rule a: x required\n")]);
    assert_eq!(rules.name, "tỉnh.v2");
}

#[test]
fn errors_in_an_extended_file_name_that_file() {
    let base = "rule a: x required\nrule b: t <= 25:00\n";
    let e = err(&[("root.rules", "extends \"base.rules\"\n"), ("base.rules", base)]);
    assert_eq!(place(&e.diagnostics[0]), ("base.rules".to_string(), 2, 14));
    let base = "rule a: x == y\n";
    let e = err(&[("root.rules", "extends \"base.rules\"\n"), ("base.rules", base)]);
    assert_eq!(place(&e.diagnostics[0]).0, "base.rules");
}

// ---------------------------------------------------------------------------
// types

#[test]
fn a_comparison_with_a_literal_gives_the_type() {
    let rules = root(
        "rule a: arrival <= 07:30\n\
         rule b: 2022-01-01 < day_off\n\
         rule c: hours >= 8\n\
         rule d: rate < 0.5\n\
         rule e: role == \"civil_servant\"\n\
         rule f: overtime > 30m\n\
         rule g: badge == true\n\
         rule h: unit in [\"A\", \"B\"]\n\
         rule i: shift not in 07:00..09:00\n\
         rule j: grade in 1..10\n\
         rule k: pay in [1, 2.5]\n\
         rule l: -3 < delta\n",
    );
    for (name, want) in [
        ("arrival", Type::TIME),
        ("day_off", Type::DATE),
        ("hours", Type::INT),
        ("rate", Type::DECIMAL),
        ("role", Type::STRING),
        ("overtime", Type::DURATION),
        ("badge", Type::BOOL),
        ("unit", Type::STRING),
        ("shift", Type::TIME),
        ("grade", Type::INT),
        ("pay", Type::DECIMAL),
        ("delta", Type::INT),
    ] {
        assert_eq!(ty(&rules, name), Some(want), "{name}");
    }
}

#[test]
fn field_equals_field_unifies() {
    let rules = root("rule a: planned == actual\nrule b: actual <= 17:00\n");
    assert_eq!(ty(&rules, "planned"), Some(Type::TIME));
    assert_eq!(ty(&rules, "actual"), Some(Type::TIME));
    // Through a chain, whichever order the rules come in.
    let rules = root("rule a: x == y\nrule b: y != z\nrule c: z < 2022-01-01\n");
    for name in ["x", "y", "z"] {
        assert_eq!(ty(&rules, name), Some(Type::DATE), "{name}");
    }
    // Through a declaration.
    let rules = root("field y: duration\nrule a: x > y\n");
    assert_eq!(ty(&rules, "x"), Some(Type::DURATION));
}

#[test]
fn a_function_parameter_gives_the_type() {
    let rules = root(
        "rule a: weekday(d) <= 5\n\
         rule b: hour(t) < 12\n\
         rule c: year(y) == 2024 and month(m) == 1 and day(dd) == 1 and minute(mm) == 0\n\
         rule d: lower(s) == \"x\" and upper(u) != \"Y\"\n\
         rule e: contains(hay, needle) and starts_with(p, q)\n\
         rule f: matches(code, \"^NV-\\\\d+$\")\n",
    );
    for (name, want) in [
        ("d", Type::DATE),
        ("t", Type::TIME),
        ("y", Type::DATE),
        ("m", Type::DATE),
        ("dd", Type::DATE),
        ("mm", Type::TIME),
        ("s", Type::STRING),
        ("u", Type::STRING),
        ("hay", Type::STRING),
        ("needle", Type::STRING),
        ("p", Type::STRING),
        ("q", Type::STRING),
        ("code", Type::STRING),
    ] {
        assert_eq!(ty(&rules, name), Some(want), "{name}");
    }
    // `len` takes a string or a list: its argument's type comes from elsewhere.
    let rules = root("rule a: len(name) > 2 and name != \"\"\n");
    assert_eq!(ty(&rules, "name"), Some(Type::STRING));
    let rules = root("field tags: list[string]\nrule a: len(tags) > 0\n");
    assert_eq!(
        ty(&rules, "tags"),
        Some(Type::List(crate::semantics::value::Scalar::String))
    );
}

#[test]
fn a_bool_position_gives_bool() {
    let rules = root(
        "rule a {\n  when on_leave\n  check x required\n}\n\
         rule b: not absent\n\
         rule c: p and q or r\n\
         rule d: (s)\n",
    );
    for name in ["on_leave", "absent", "p", "q", "r", "s"] {
        assert_eq!(ty(&rules, name), Some(Type::BOOL), "{name}");
    }
}

#[test]
fn int_in_one_place_and_decimal_in_another_is_decimal() {
    // Decimal first, then int: the decimal stays.
    let rules = root("rule a: n < 2.5\nrule b: n > 1\n");
    assert_eq!(ty(&rules, "n"), Some(Type::DECIMAL));
    // Int first, then decimal (each case collected, so that one failure
    // names them all).
    let mut wrong = Vec::new();
    for (text, fields) in [
        ("rule a: n > 1\nrule b: n < 2.5\n", &["n"][..]),
        ("rule a: n > 1 and n < 2.5\n", &["n"][..]),
        ("rule a: n in [1, 2]\nrule b: n == 0.5\n", &["n"][..]),
        ("rule a: n == 1\nrule b: n in [0.5, 1]\n", &["n"][..]),
        ("rule a: n >= 1\nrule b: n in 1..2.5\n", &["n"][..]),
        (
            "rule a: m == n\nrule b: m > 1\nrule c: n > 0.5\n",
            &["m", "n"][..],
        ),
    ] {
        let rules = root(text);
        for name in fields {
            if ty(&rules, name) != Some(Type::DECIMAL) {
                wrong.push(format!("{text:?}: `{name}` is {:?}", ty(&rules, name)));
            }
        }
    }
    assert!(wrong.is_empty(), "should be decimal:\n{}", wrong.join("\n"));
}

#[test]
fn an_operand_of_minus_or_arithmetic_never_widens_a_typed_field() {
    // §4 gives a field its type from a comparison with the field itself as
    // a side: `-grade <= 18.25` compares `-grade`, not `grade`, with a
    // decimal; the range makes `grade` an int, in either order.
    for text in [
        "rule r: grade in -5..27 and -grade <= 18.25\n",
        "rule r: -grade <= 18.25 and grade in -5..27\n",
        "rule a: -grade <= 18.25\nrule b: grade in -5..27\n",
        "rule r: grade in -5..27 and -(grade) <= 18.25\n",
        "rule r: grade in -5..27 and grade * 2 <= 18.25\n",
        "rule r: grade + 0.5 <= 18.25 and grade in -5..27\n",
    ] {
        assert_eq!(ty(&root(text), "grade"), Some(Type::INT), "{text:?}");
    }
    // Where nothing else gives it one, an operand still may.
    assert_eq!(
        ty(&root("rule r: -grade <= 18.25\n"), "grade"),
        Some(Type::DECIMAL)
    );
    assert_eq!(ty(&root("rule r: grade + 1 <= 18\n"), "grade"), Some(Type::INT));
    // A field that is itself a side is still widened.
    assert_eq!(
        ty(&root("rule r: grade in -5..27 and grade <= 18.25\n"), "grade"),
        Some(Type::DECIMAL)
    );
    assert_eq!(
        ty(&root("rule r: grade in -5..27 and (grade) <= 18.25\n"), "grade"),
        Some(Type::DECIMAL)
    );
}

#[test]
fn int_and_decimal_meet_in_a_list_field() {
    // §3: `x in tags` tests the list's elements, and int and decimal
    // compare with each other there too. The list keeps its element type.
    let rules = root("field ratio: decimal\nfield visit_counts: list[int]\nrule r: ratio in visit_counts\n");
    assert_eq!(ty(&rules, "visit_counts"), Some(Type::List(Scalar::Int)));
    assert_eq!(ty(&rules, "ratio"), Some(Type::DECIMAL));
    let rules = root("field count: int\nfield visit_ratios: list[decimal]\nrule r: count in visit_ratios\n");
    assert_eq!(ty(&rules, "visit_ratios"), Some(Type::List(Scalar::Decimal)));
    assert_eq!(ty(&rules, "count"), Some(Type::INT));
    // A field typed by a use, not declared: int among decimals is a
    // decimal, as with `count in [1.5, 2]`.
    let rules = root("field visit_ratios: list[decimal]\nrule r: count > 0 and count in visit_ratios\n");
    assert_eq!(ty(&rules, "count"), Some(Type::DECIMAL));
    let rules = root("rule r: ratio <= 0.5 and ratio in visit_counts and visit_counts required\nfield visit_counts: list[int]\n");
    assert_eq!(ty(&rules, "visit_counts"), Some(Type::List(Scalar::Int)));
    // Other types still do not meet.
    let e = root_err("field when: time\nfield counts: list[int]\nrule r: when in counts\n");
    diagnostic(&e, "list[time]");
}

#[test]
fn a_decimal_range_parses_and_types() {
    // §3: `x in a..b` is an inclusive range of int, decimal, time, date.
    let rules = root("rule a: rate in 0.5..1.5\n");
    assert_eq!(ty(&rules, "rate"), Some(Type::DECIMAL));
    let rules = root("rule a: rate in -0.25..0.75\n");
    assert_eq!(ty(&rules, "rate"), Some(Type::DECIMAL));
    let rules = root("rule a: rate in 0.5..2\n");
    assert_eq!(ty(&rules, "rate"), Some(Type::DECIMAL));
}

#[test]
fn arithmetic_infers_its_operands() {
    let rules = root(
        "rule a: arrival + 15m <= 07:45\n\
         rule b: count > 0 and total / count > 2\n\
         rule d: start - 1d > 2022-01-01\n",
    );
    assert_eq!(ty(&rules, "arrival"), Some(Type::TIME));
    assert!(
        matches!(ty(&rules, "total"), Some(Type::INT | Type::DECIMAL)),
        "{:?}",
        ty(&rules, "total")
    );
    assert_eq!(ty(&rules, "count"), Some(Type::INT));
    assert_eq!(ty(&rules, "start"), Some(Type::DATE));
    // `leaving - arriving` is a duration from two times or two dates: the
    // rule alone does not say which; with one of them fixed it does.
    let rules = root("rule c: leaving - arriving >= 8h\nrule e: leaving <= 17:00\n");
    assert_eq!(ty(&rules, "arriving"), Some(Type::TIME));
}

#[test]
fn predicates_and_messages_need_no_type() {
    let rules = root(
        "key employee_id\n\
         rule a {\n  check badge required and note present and gone missing\n  message \"{who.name}: {badge}\"\n}\n",
    );
    for name in ["employee_id", "badge", "note", "gone", "who.name"] {
        assert_eq!(ty(&rules, name), None, "{name}");
    }
    // reads: the fields of when and check, in order of first use.
    let rules = root("rule a {\n  when x > 1\n  check y required and x < 5 and z == 3 and y present\n}\n");
    let reads: Vec<&str> = rules.rules[0]
        .reads
        .iter()
        .map(|id| rules.field(*id).name.as_str())
        .collect();
    assert_eq!(reads, ["x", "y", "z"]);
}

#[test]
fn a_time_used_as_a_date_is_an_error() {
    // Compared with a date: the comparison is the error (its left end).
    let text = "rule a: t <= 07:30\nrule b: 2022-01-01 == t\n";
    let e = root_err(text);
    assert_eq!(e.diagnostics.len(), 1, "{}", e.render());
    let d = &e.diagnostics[0];
    assert!(
        d.message.contains("date") && d.message.contains("time"),
        "{}",
        d.message
    );
    let (path, line, column) = place(d);
    assert_eq!((path.as_str(), line), ("root.rules", 2));
    assert!(column == 9 || column == 23, "{}", d.render());

    // Passed where a date is needed: the field is the error.
    let text = "rule a: t <= 07:30\nrule b: day(t) == 1\n";
    let e = root_err(text);
    assert_eq!(e.diagnostics.len(), 1, "{}", e.render());
    let d = &e.diagnostics[0];
    assert!(d.message.contains("`t`"), "{}", d.message);
    assert!(
        d.message.contains("date") && d.message.contains("time"),
        "{}",
        d.message
    );
    assert_eq!(place(d), ("root.rules".to_string(), 2, 13));
    // The note says where the type was fixed.
    let note = d
        .notes
        .iter()
        .find_map(|n| n.location.as_ref())
        .expect("a located note");
    assert_eq!((note.line, note.column), (1, 9));

    // The other way round: a date first, then used as a time.
    let text = "rule a: weekday(d) == 1\nrule b: d < 07:00\n";
    let e = root_err(text);
    let (_, line, _) = place(&e.diagnostics[0]);
    assert_eq!(line, 2, "{}", e.render());
}

#[test]
fn a_declared_type_conflicts_with_a_use() {
    let text = "field n: int\n\nrule a: n == \"x\"\n";
    let e = root_err(text);
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 3, 9));
    let text = "field n: int\n\nrule a: not n\n";
    let e = root_err(text);
    let d = &e.diagnostics[0];
    assert_eq!(place(d), ("root.rules".to_string(), 3, 13));
    let note = d
        .notes
        .iter()
        .find_map(|n| n.location.as_ref())
        .expect("a located note");
    assert_eq!((note.line, note.column), (1, 7));
}

#[test]
fn comparing_literals_of_different_types_is_an_error() {
    let text = "rule ok: x required\nrule bad {\n  check   07:30 == \"x\"\n}\n";
    let e = root_err(text);
    let d = diagnostic(&e, "compare");
    assert!(
        d.message.contains("time") && d.message.contains("string"),
        "{}",
        d.message
    );
    assert_eq!(place(d), ("root.rules".to_string(), 3, 11));

    let e = root_err("rule a: 1 < \"1\"\n");
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 1, 9));
    // Lists of one element type only.
    let text = "rule a: x in [1, \"two\"]\n";
    let e = root_err(text);
    assert_at(&e.diagnostics[0], "root.rules", text, "\"two\"", 0);
    // bool has no order.
    let text = "rule a: flag < true\n";
    let e = root_err(text);
    assert!(e.diagnostics[0].message.contains("order"), "{}", e.render());
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 1, 9));
}

#[test]
fn an_unknown_function_is_an_error_with_a_suggestion() {
    let text = "rule a {\n  when  role == \"x\"\n  check weekdy(d) <= 5\n}\n";
    let e = root_err(text);
    let d = diagnostic(&e, "weekdy");
    assert!(d.message.contains("unknown function"), "{}", d.message);
    assert_eq!(place(d), ("root.rules".to_string(), 3, 9));
    assert!(
        d.notes
            .iter()
            .any(|n| n.message.contains("did you mean `weekday`")),
        "{:?}",
        d.notes
    );
    // Far from every function: no suggestion, but the list of functions.
    let e = root_err("rule a: frobnicate(x) == 1\n");
    let d = diagnostic(&e, "frobnicate");
    assert!(
        !d.notes.iter().any(|n| n.message.contains("did you mean")),
        "{d:?}"
    );
    assert_eq!(place(d), ("root.rules".to_string(), 1, 9));
}

#[test]
fn a_wrong_number_of_arguments_is_an_error() {
    let text = "rule a: x required\nrule b: weekday(d, e) == 1\n";
    let e = root_err(text);
    let d = diagnostic(&e, "weekday");
    assert!(
        d.message.contains('1') && d.message.contains('2'),
        "{}",
        d.message
    );
    assert_eq!(place(d), ("root.rules".to_string(), 2, 9));

    for (text, name) in [
        ("rule b: len() == 1\n", "len"),
        ("rule b: len(a, b) == 1\n", "len"),
        ("rule b: contains(s)\n", "contains"),
        ("rule b: matches(s)\n", "matches"),
        ("rule b: starts_with(s, \"a\", \"b\")\n", "starts_with"),
        ("rule b: hour() == 1\n", "hour"),
    ] {
        let e = root_err(text);
        let d = diagnostic(&e, name);
        assert!(d.message.contains("argument"), "{text}: {}", d.message);
        assert_eq!(place(d), ("root.rules".to_string(), 1, 9), "{text}");
    }
}

#[test]
fn an_argument_of_the_wrong_type_is_an_error() {
    let text = "rule a: weekday(07:30) == 1\n";
    let e = root_err(text);
    assert_at(&e.diagnostics[0], "root.rules", text, "07:30", 0);
    let text = "rule a: t <= 07:30\nrule b: weekday(t) == 1\n";
    let e = root_err(text);
    assert_at(&e.diagnostics[0], "root.rules", text, "t)", 0);
}

#[test]
fn a_field_whose_type_cannot_be_inferred_is_an_error() {
    let text = "rule a: x required\nrule b: left == right\n";
    let e = root_err(text);
    let d = diagnostic(&e, "left");
    assert!(d.message.contains("cannot be inferred"), "{}", d.message);
    assert_eq!(place(d), ("root.rules".to_string(), 2, 9));

    let text = "rule a: len(s) > 3\n";
    let e = root_err(text);
    let d = diagnostic(&e, "`s`");
    assert!(d.message.contains("cannot be inferred"), "{}", d.message);
    assert_eq!(place(d), ("root.rules".to_string(), 1, 13));

    // `a + b` with nothing known about either.
    let text = "rule a: a + b > c\n";
    let e = root_err(text);
    assert!(e.render().contains("cannot be inferred"), "{}", e.render());
    assert_eq!(place(&e.diagnostics[0]).1, 1);
}

#[test]
fn a_condition_must_be_a_bool() {
    let text = "rule a {\n  when n > 1\n  check n\n}\n";
    let e = root_err(text);
    assert_at(&e.diagnostics[0], "root.rules", text, "n\n}", 0);
    let text = "rule a: 1 + 2\n";
    let e = root_err(text);
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 1, 9));
}

#[test]
fn a_bad_pattern_is_a_compile_error() {
    let text = "rule a: matches(code, \"(unclosed\")\n";
    let e = root_err(text);
    assert!(e.diagnostics[0].message.contains("pattern"), "{}", e.render());
    assert_at(&e.diagnostics[0], "root.rules", text, "\"(unclosed\"", 0);
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = "rule ngày_nghỉ: giờ_đến <= 07:30 and giờ_đến == 2022-01-01\n";
    let e = root_err(text);
    let d = &e.diagnostics[0];
    assert_at(d, "root.rules", text, "giờ_đến", 1);
    assert_eq!(place(d), ("root.rules".to_string(), 1, 38));
}

#[test]
fn a_typed_list_field_and_membership() {
    let rules = root("field tags: list[string]\nrule a: \"x\" in tags\nrule b: code in tags\n");
    assert_eq!(ty(&rules, "code"), Some(Type::STRING));
    let e = root_err("field tags: list[int]\nrule a: \"x\" in tags\n");
    assert_eq!(place(&e.diagnostics[0]).1, 2, "{}", e.render());
}

#[test]
fn a_field_cannot_be_both_a_value_and_an_object() {
    let e = root_err("rule a: employee == \"x\"\nrule b: employee.unit == \"y\"\n");
    assert!(e.render().contains("employee"), "{}", e.render());
    // Both as objects with untyped parents are fine.
    let rules = root("rule a: employee.unit == \"y\"\nrule b: employee present\n");
    assert_eq!(ty(&rules, "employee.unit"), Some(Type::STRING));
}

#[test]
fn ranges_are_of_ints_decimals_times_or_dates() {
    for text in [
        "rule a: s in \"a\"..\"z\"\n",
        "rule a: d in 1h..2h\n",
        "rule a: t in 07:00..2022-01-01\n",
        "rule a: b in true..false\n",
    ] {
        let e = root_err(text);
        assert_eq!(place(&e.diagnostics[0]).1, 1, "{text}: {}", e.render());
        assert!(place(&e.diagnostics[0]).2 >= 9, "{text}: {}", e.render());
    }
}

#[test]
fn operators_check_their_operand_types() {
    for (text, column) in [
        // `not` of a non-bool.
        ("rule a: not 5\n", 13),
        // `-` of a string.
        ("rule a: -s == \"x\"\n", 9),
        // `+` of a time and a time.
        ("field t: time\nrule a: t + t > 07:00\n", 9),
        // a list compared with ==.
        ("field tags: list[string]\nrule a: tags == tags\n", 9),
        // a predicate of something that is not a field.
        ("rule a: (n + 1) required and n > 0\n", 9),
        // the pattern of matches must be a literal.
        ("rule a: matches(s, p) and p == \"x\"\n", 20),
        // an argument of the wrong type to contains.
        ("rule a: contains(s, 5)\n", 21),
    ] {
        let e = root_err(text);
        let (_, line, col) = place(&e.diagnostics[0]);
        assert_eq!(
            (line, col),
            (text.matches('\n').count(), column),
            "{text}: {}",
            e.render()
        );
    }
}

#[test]
fn message_holes_must_be_field_paths() {
    for text in [
        "rule a {\n  check x required\n  message \"late {1x}\"\n}\n",
        "rule a {\n  check x required\n  message \"late {arrival\"\n}\n",
        "rule a {\n  check x required\n  message \"late }\"\n}\n",
        "rule a {\n  check x required\n  message \"late {}\"\n}\n",
    ] {
        let e = root_err(text);
        assert_eq!(
            place(&e.diagnostics[0]),
            ("root.rules".to_string(), 3, 11),
            "{}",
            e.render()
        );
    }
    // Escaped braces and nested paths are fine.
    let rules = root("rule a {\n  check x required\n  message \"{{x}} {emp.unit} {x}\"\n}\n");
    assert_eq!(ty(&rules, "emp.unit"), None);
}

#[test]
fn patterns_needing_backtracking_are_refused() {
    // A linear-time engine: no backreferences, no look-around.
    for pattern in [r#""(a)\\1""#, r#""(?=a)b""#, r#""a(?!b)""#] {
        let text = format!("rule a: matches(s, {pattern})\n");
        let e = root_err(&text);
        assert!(e.diagnostics[0].message.contains("pattern"), "{}", e.render());
        assert_at(&e.diagnostics[0], "root.rules", &text, pattern, 0);
    }
    // Ordinary patterns compile, Unicode classes included.
    root("rule a: matches(s, \"^\\\\p{L}+ \\\\d{2,4}$\") and matches(s, \"(?i)sở\")\n");
}

#[test]
fn extends_stays_inside_and_does_not_nest_without_end() {
    // A MemoryLoader's names have no folder above the top.
    let e = err(&[
        ("root.rules", "extends \"../outside.rules\"\n"),
        ("../outside.rules", "rule a: x required\n"),
    ]);
    assert_eq!(place(&e.diagnostics[0]), ("root.rules".to_string(), 1, 9));
    // A missing file extended by a parent is reported in the parent.
    let e = err(&[
        ("root.rules", "extends \"mid.rules\"\n"),
        ("mid.rules", "# mid\nextends \"gone.rules\"\n"),
    ]);
    let d = diagnostic(&e, "gone.rules");
    assert_eq!(place(d), ("mid.rules".to_string(), 2, 9));
    // A chain deeper than the limit is an error, not a crash.
    let depth = crate::Limits::DEFAULT.max_extends_depth + 5;
    let names: Vec<String> = (0..=depth).map(|i| format!("f{i}.rules")).collect();
    let texts: Vec<String> = (0..=depth)
        .map(|i| {
            if i < depth {
                format!("extends \"f{}.rules\"\nrule r{i}: x required\n", i + 1)
            } else {
                "rule last: x required\n".to_string()
            }
        })
        .collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .map(String::as_str)
        .zip(texts.iter().map(String::as_str))
        .collect();
    let e = err(&files);
    assert!(e.render().contains("deep"), "{}", e.render());
    // Just inside the limit is fine.
    let depth = crate::Limits::DEFAULT.max_extends_depth - 1;
    let files: Vec<(String, String)> = (0..=depth)
        .map(|i| {
            let text = if i < depth {
                format!("extends \"f{}.rules\"\nrule r{i}: x required\n", i + 1)
            } else {
                "rule last: x required\n".to_string()
            };
            (format!("f{i}.rules"), text)
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let rules = ok(&files);
    assert_eq!(rules.rules.len(), depth + 1);
    assert_eq!(rules.rules[0].id, "last");
}

#[test]
fn an_override_in_a_file_reached_second_still_sees_what_it_inherits() {
    // right.rules extends common.rules and overrides its rule `c`; on its
    // own it compiles. In a diamond, common.rules counts once, but right.rules
    // still inherits `c`: whatever the outcome (the override applies, or a
    // conflict with left's copy is reported), "no inherited rule is called
    // `c`" is not true.
    let right = "extends \"common.rules\"\noverride rule c: x present\n";
    let common = "rule c: x required\n";
    let alone = ok(&[("right.rules", right), ("common.rules", common)]);
    assert_eq!(ids(&alone), ["c"]);
    let diamond = compile(&[
        ("root.rules", "extends \"left.rules\"\nextends \"right.rules\"\n"),
        ("left.rules", "extends \"common.rules\"\nrule l: y required\n"),
        ("right.rules", right),
        ("common.rules", common),
    ]);
    if let Err(e) = diamond {
        assert!(
            !e.render().contains("no inherited rule"),
            "right.rules does inherit `c`:\n{}",
            e.render()
        );
    }
}

// ---------------------------------------------------------------------------
// A time written `7.30`
// ---------------------------------------------------------------------------

/// The note of `d` that says "did you mean", and where it points.
fn time_hint(d: &Diagnostic) -> (String, usize, usize) {
    let note = d
        .notes
        .iter()
        .find(|n| n.message.starts_with("did you mean"))
        .unwrap_or_else(|| panic!("no \"did you mean\" note:\n{}", d.render()));
    let at = note.location.as_ref().expect("the note points at the literal");
    (note.message.clone(), at.line, at.column)
}

#[test]
fn a_decimal_written_like_a_time_meets_a_declared_time() {
    let text = "field arrival: time\nrule on_time: arrival <= 7.30\n";
    let e = root_err(text);
    let d = diagnostic(&e, "is used as a decimal here, but it is a time");
    assert_at(d, "root.rules", text, "arrival", 1);
    assert_eq!(time_hint(d), ("did you mean `07:30`?".into(), 2, 26));
}

#[test]
fn a_decimal_written_like_a_time_meets_a_time_from_another_use_in_either_order() {
    let text = "rule a: arrival >= 06:00\nrule on_time: arrival <= 17.05\n";
    let d = &root_err(text).diagnostics[0];
    assert_eq!(time_hint(d), ("did you mean `17:05`?".into(), 2, 26));
    // The decimal use comes first and fixes the type; the hint goes with it.
    let text = "rule on_time: arrival <= 7.30\nrule a: arrival >= 06:00\n";
    let e = root_err(text);
    let d = diagnostic(&e, "is used as a time here, but it is a decimal");
    assert_at(d, "root.rules", text, "arrival", 1);
    assert_eq!(time_hint(d), ("did you mean `07:30`?".into(), 1, 26));
}

#[test]
fn decimals_like_times_in_lists_ranges_and_beside_time_literals_get_the_hint() {
    for (text, hint) in [
        (
            "rule a: arrival <= 07:00\nrule b: arrival in [7.30, 8.00]\n",
            ("did you mean `07:30`?", 2, 21),
        ),
        (
            "rule a: arrival in [07:30, 8.15]\n",
            ("did you mean `08:15`?", 1, 28),
        ),
        (
            "rule a: arrival in 7.30..8.00\nrule b: arrival <= 07:30\n",
            ("did you mean `07:30`?", 1, 20),
        ),
        ("rule a: 07:30 == (17.05)\n", ("did you mean `17:05`?", 1, 19)),
    ] {
        let e = root_err(text);
        assert_eq!(
            time_hint(&e.diagnostics[0]),
            (hint.0.to_string(), hint.1, hint.2),
            "{text:?}"
        );
    }
}

#[test]
fn other_decimals_and_other_conflicts_get_no_time_hint() {
    for text in [
        "field arrival: time\nrule a: arrival <= 7.75\n",
        "field arrival: time\nrule a: arrival <= 7.3\n",
        "field arrival: time\nrule a: arrival <= 24.00\n",
        "field arrival: date\nrule a: arrival <= 7.30\n",
        "rule a: arrival <= 7.30\nrule b: arrival == \"x\"\n",
    ] {
        let e = root_err(text);
        let hinted = e
            .diagnostics
            .iter()
            .flat_map(|d| &d.notes)
            .any(|n| n.message.contains("did you mean"));
        assert!(!hinted, "{text:?}:\n{}", e.render());
    }
}

#[test]
fn the_group_rules_of_the_contract_check() {
    // The examples name `on_time` and leave `arrival` and `departure` to
    // the fields a rules file declares.
    let declared = "field arrival: time\nfield departure: time\nrule on_time: arrival <= 07:30\n";
    let rules = root(&format!(
        "{declared}{}",
        include_str!("../../tests/data/group_rules.rules")
    ));
    let groups: Vec<usize> = rules
        .rules
        .iter()
        .filter_map(|r| r.group.as_ref())
        .map(|g| g.aggregates.len())
        .collect();
    // late_repeat: violations(on_time); daily_hours_in_week: sum, count();
    // unit_overdue_rate: count(E), count().
    assert_eq!(groups, [1, 2, 2]);
    let texts: Vec<&str> = rules.rules[2]
        .group
        .iter()
        .flat_map(|g| &g.aggregates)
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(texts, ["sum(departure - arrival)", "count()"]);
}
