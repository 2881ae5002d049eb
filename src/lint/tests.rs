use super::*;
use crate::{Level, MemoryLoader};

/// The warnings for `main.rules` among `files`, rendered one a line as
/// `LINE:COL: MESSAGE`.
fn warnings(files: &[(&str, &str)]) -> Vec<String> {
    let mut loader = MemoryLoader::new();
    for (name, text) in files {
        loader.insert(*name, *text);
    }
    match lint_file(&loader, files[0].0) {
        Ok(found) => found
            .iter()
            .map(|d| {
                assert_eq!(d.level, Level::Warning);
                let loc = d.location.as_ref().expect("a warning has a place");
                let notes: Vec<&str> = d.notes.iter().map(|n| n.message.as_str()).collect();
                format!(
                    "{}:{}: {} [{}]",
                    loc.line,
                    loc.column,
                    d.message,
                    notes.join(" | ")
                )
            })
            .collect(),
        Err(e) => panic!("does not compile: {}", e.render()),
    }
}

fn one(text: &str) -> Vec<String> {
    warnings(&[("main.rules", text)])
}

fn assert_one(found: &[String], part: &str) {
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains(part), "{found:#?}");
}

#[test]
fn the_shipped_rules_have_no_warnings() {
    let national = include_str!("../../rules/national.rules");
    let nghe_an = include_str!("../../rules/nghe-an.rules");
    assert_eq!(warnings(&[("national.rules", national)]), Vec::<String>::new());
    assert_eq!(
        warnings(&[("nghe-an.rules", nghe_an), ("national.rules", national)]),
        Vec::<String>::new()
    );
}

#[test]
fn a_check_that_can_never_hold() {
    let found = one("rule on_time: arrival <= 07:30 and arrival > 08:00\n");
    assert_one(&found, "1:15: rule `on_time`: this `check` can never hold");
    assert!(
        found[0].contains("no value of `arrival` can make it true"),
        "{found:?}"
    );
    assert_one(
        &one("field x: string\nrule r: x in []\n"),
        "this `check` can never hold",
    );
    assert_one(&one("rule r: n > 3 and n < 4\n"), "can never hold");
    assert_one(&one("rule r: d in 2022-03-01..2022-02-01\n"), "can never hold");
    assert_one(&one("rule r: weekday(d) == 8\n"), "can never hold");
    assert_one(
        &one("rule r: role == \"a\" and role == \"b\"\n"),
        "can never hold",
    );
    assert_one(&one("rule r: x required and x missing\n"), "can never hold");
    assert_one(&one("field n: int\nrule r: n == 2.5\n"), "can never hold");
}

#[test]
fn a_check_that_can_hold_is_not_reported() {
    for text in [
        "rule r: arrival <= 07:30 and arrival > 07:00\n",
        "rule r: n > 3.5 and n < 4\n",
        "rule r: d in 2022-02-01..2022-02-01\n",
        "field arrival: time\nrule r: departure - arrival >= 8h and departure - arrival < 8h1s\n",
        "rule r: role != \"a\" and role != \"b\"\n",
        "rule r: weekday(d) in 1..5 or weekday(d) == 6\n",
        // Different expressions: the lint does not relate them.
        "field arrival: time\nrule r: departure - arrival >= 8h and arrival - departure >= 8h\n",
        "rule r: lower(x) == \"A\"\n",
    ] {
        assert_eq!(one(text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn a_when_that_can_never_hold() {
    let found = one("field x: int\nrule r {\n  when  x in [] \n  check badge required\n}\n");
    assert_one(
        &found,
        "3:9: rule `r`: this `when` can never hold, so the rule never applies",
    );
    let found = one("rule r {\n  when weekday(d) > 7\n  check badge required\n}\n");
    assert_one(&found, "this `when` can never hold");
}

#[test]
fn a_check_that_contradicts_its_when() {
    let found = one("rule r {\n  when arrival > 08:00\n  check arrival <= 07:30\n}\n");
    assert_one(
        &found,
        "3:9: rule `r`: this `check` can never hold where the rule applies",
    );
}

#[test]
fn a_check_that_can_never_fail_reports_only_missing_fields() {
    let found = one("rule r: arrival <= 08:00 or arrival > 07:30\n");
    assert_one(
        &found,
        "this `check` can never fail: it holds for every value of `arrival`",
    );
    assert!(
        found[0].contains("only records where `arrival` is missing"),
        "{found:?}"
    );
    // Where the `when` makes sure the field is there, it always holds.
    let found = one("rule r {\n  when arrival present\n  check arrival >= 00:00\n}\n");
    assert_one(
        &found,
        "this `check` always holds, so the rule never reports a record",
    );
}

#[test]
fn a_check_that_always_holds() {
    assert_one(&one("rule r: x present or x missing\n"), "always holds");
    assert_one(&one("rule r: true\n"), "always holds");
    // `required` is false for `false`: this one can fail.
    assert_eq!(
        one("rule r: b required or b missing\nfield b: bool\n"),
        Vec::<String>::new()
    );
}

#[test]
fn a_declared_field_that_nothing_uses() {
    let found = one("field arrival: time\nfield note: string\nrule r: arrival <= 07:30\n");
    assert_one(
        &found,
        "2:7: field `note` is declared as string but no rule, message or key uses it",
    );
    // A message or the key is a use.
    let text = "key id\nfield id: string\nfield name: string\nrule r {\n  check a required\n  message \"{name}\"\n}\n";
    assert_eq!(one(text), Vec::<String>::new());
    // A declaration with a typo gets a suggestion.
    let found = one("field arival: time\nrule r: arrival <= 07:30\n");
    assert_one(&found, "field `arival` is declared as time but no rule");
    assert!(found[0].contains("did you mean `arrival`?"), "{found:?}");
}

#[test]
fn an_inherited_declaration_is_the_parents_business() {
    let found = warnings(&[
        ("main.rules", "extends \"base.rules\"\nrule r: a required\n"),
        (
            "base.rules",
            "field note: string\nrule on_time: arrival <= 07:30 and arrival > 08:00\n",
        ),
    ]);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_field_used_once_close_to_another_gets_did_you_mean() {
    let text = "field arrival: time\nrule on_time: arrival <= 07:30\nrule note {\n  when  arival > 07:30\n  check note required\n}\n";
    let found = one(text);
    assert_one(
        &found,
        "4:9: field `arival` is used only here, but `arrival` is used elsewhere: did you mean `arrival`?",
    );
    // Two fields used as often as each other are both meant.
    assert_eq!(one("rule r: unit required and units > 1\n"), Vec::<String>::new());
}

#[test]
fn an_override_identical_to_the_inherited_rule() {
    let found = warnings(&[
        (
            "main.rules",
            "extends \"base.rules\"\noverride rule on_time { check (arrival <= 7:30) }\n",
        ),
        ("base.rules", "rule on_time: arrival <= 07:30\n"),
    ]);
    assert_one(
        &found,
        "2:15: `override rule on_time` is identical to the rule it replaces, so it changes nothing",
    );
}

#[test]
fn an_override_looser_than_the_inherited_rule_shows_a_record() {
    let found = warnings(&[
        (
            "main.rules",
            "extends \"base.rules\"\noverride rule on_time {\n  when weekday(date) in 1..5\n  check arrival <= 08:00\n}\n",
        ),
        (
            "base.rules",
            "rule on_time {\n  when weekday(date) in 1..5\n  check arrival <= 07:30\n}\n",
        ),
    ]);
    assert_one(
        &found,
        "2:15: `override rule on_time` is looser than the inherited rule: a record with arrival 07:45 passes here but is reported by base.rules",
    );
}

#[test]
fn an_override_that_applies_to_fewer_records_is_looser() {
    let found = warnings(&[
        (
            "main.rules",
            "extends \"base.rules\"\noverride rule on_time {\n  when weekday(date) in 1..4\n  check arrival <= 07:30\n}\n",
        ),
        (
            "base.rules",
            "rule on_time {\n  when weekday(date) in 1..5\n  check arrival <= 07:30\n}\n",
        ),
    ]);
    assert_one(
        &found,
        "a record with weekday(date) 5, arrival 15:45 is not checked here",
    );
}

#[test]
fn a_stricter_override_or_one_on_other_fields_is_not_reported() {
    let base = (
        "base.rules",
        "rule on_time: arrival <= 08:00\nrule dress: dress in [\"uniform\", \"formal\"]\n",
    );
    for text in [
        "extends \"base.rules\"\noverride rule on_time { check arrival <= 07:30 }\n",
        "extends \"base.rules\"\noverride rule dress { check dress == \"uniform\" }\n",
        // Not comparisons of the same kind: the lint does not judge.
        "extends \"base.rules\"\noverride rule on_time { check departure - arrival >= 8h and departure >= 17:00 }\n",
    ] {
        assert_eq!(warnings(&[("main.rules", text), base]), Vec::<String>::new(), "{text}");
    }
    let found = warnings(&[
        (
            "main.rules",
            "extends \"base.rules\"\noverride rule dress { check dress in [\"uniform\", \"formal\", \"casual\"] }\n",
        ),
        base,
    ]);
    assert_one(&found, "a record with dress \"casual\" passes here");
}

#[test]
fn an_override_of_a_rule_on_fields_the_rule_set_no_longer_has_is_not_judged() {
    // The replaced rule reads `grade`, which no effective rule does: it
    // does not type under the rule set's fields, so nothing is proved.
    let found = warnings(&[
        (
            "main.rules",
            "extends \"base.rules\"\noverride rule level { check rank > 3 }\n",
        ),
        ("base.rules", "rule level: grade > 3\n"),
    ]);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_looser_override_on_durations_shows_one_in_whole_minutes() {
    let found = warnings(&[
        (
            "main.rules",
            "extends \"base.rules\"\noverride rule breaks { check lunch <= 45m }\n",
        ),
        ("base.rules", "rule breaks: lunch <= 30m\n"),
    ]);
    assert_one(&found, "a record with lunch 37m passes here");
}
