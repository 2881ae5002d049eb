//! `civrules test` and the shipped rule tests (`rules/*.test`): they pass,
//! and the command reports them. That they are strong enough that changing
//! a constant or an operator in a shipped rule makes one of them fail is
//! held by the mutation sweep in `src/ruletest/mutation_tests.rs`, which
//! needs the syntax tree.

mod common;

use common::{repo, run as civrules, Dir};

/// A copy of the shipped `rules/` folder.
fn with_shipped_rules(name: &str) -> Dir {
    let dir = Dir::new("ruletests", name);
    for entry in std::fs::read_dir(repo().join("rules")).expect("read rules/") {
        let from = entry.expect("a rules/ entry").path();
        std::fs::copy(&from, dir.path.join(from.file_name().expect("a file name"))).expect("copy");
    }
    dir
}

// ---------------------------------------------------------------------------
// The shipped tests
// ---------------------------------------------------------------------------

#[test]
fn the_shipped_rule_tests_pass() {
    let out = civrules(repo(), &["test", "rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("running "), "{out:?}");
    assert!(
        out.stdout
            .contains("test rules/nghe-an.test: đến muộn 07:31 ... ok\n"),
        "{out:?}"
    );
    assert!(out.stdout.ends_with(" passed, 0 failed\n"), "{out:?}");
    assert_eq!(out.stderr, "");
}

#[test]
fn every_shipped_rule_is_named_by_its_test_file() {
    for (rules, test) in [
        ("national.rules", "national.test"),
        ("nghe-an.rules", "nghe-an.test"),
    ] {
        let program = civrules::Program::from_file(repo().join("rules").join(rules)).expect("compiles");
        let text = std::fs::read_to_string(repo().join("rules").join(test)).expect("read the test file");
        for id in program.rule_ids() {
            assert!(
                text.contains(&format!("expect {id} ")) || text.contains(&format!("expect group {id} ")),
                "{test} never expects anything of `{id}`"
            );
        }
    }
}

#[test]
fn a_changed_constant_makes_a_shipped_test_fail() {
    let dir = with_shipped_rules("constant");
    let rules = dir.read("national.rules");
    dir.write(
        "national.rules",
        &rules.replacen("check    arrival <= 08:00", "check    arrival <= 08:01", 1),
    );
    let out = civrules(&dir.path, &["test", "national.test"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("test national.test: đến muộn 08:01 ... FAILED\n"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("  on_time  failed    pass\n"),
        "the diff shows expected and actual outcome:\n{out:?}"
    );
    assert!(
        out.stdout.contains("arrival: 08:01"),
        "the diff shows the record:\n{out:?}"
    );
    assert!(out.stdout.ends_with(" passed, 1 failed\n"), "{out:?}");
}

#[test]
fn a_flipped_operator_makes_a_shipped_test_fail() {
    let dir = with_shipped_rules("operator");
    let rules = dir.read("nghe-an.rules");
    dir.write(
        "nghe-an.rules",
        &rules.replacen("arrival <= 07:30", "arrival < 07:30", 1),
    );
    let out = civrules(&dir.path, &["test", "."]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("test ./nghe-an.test: đến lúc 07:29 và đúng 07:30 ... FAILED\n"),
        "{out:?}"
    );
    assert!(out.stdout.contains("record 2 of 2 (./nghe-an.test:"), "{out:?}");
}

// ---------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------

#[test]
fn a_test_file_that_does_not_compile_exits_2_with_its_place() {
    let dir = Dir::new("ruletests", "bad-test");
    dir.write("gio.rules", "rule on_time: arrival <= 07:30\n");
    dir.write(
        "gio.test",
        "rules \"gio.rules\"\ntest \"muộn\" {\n  record { arrival: 07:31 }\n  expect on_tme failed\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("gio.test:4:10: error: no rule `on_tme` in gio.rules\n"),
        "{out:?}"
    );
    assert!(out.stderr.contains("did you mean `on_time`?"), "{out:?}");
    assert_eq!(out.stdout, "");

    dir.write(
        "gio.test",
        "rules \"gio.rules\"\ntest \"muộn\" {\n  record { arrival: 7h }\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(
        out.code, 1,
        "a duration where a time is read is a data error: {out:?}"
    );
    assert!(
        out.stdout
            .contains("  on_time  pass or not applicable  error: arrival: "),
        "{out:?}"
    );

    dir.write(
        "gio.test",
        "rules \"gio.rules\"\ntest \"muộn\" {\n  record { arrival: 24:00 }\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("gio.test:3:21: error: `24:00` is not a valid time of day"),
        "{out:?}"
    );
}

#[test]
fn rules_that_do_not_compile_exit_2() {
    let dir = Dir::new("ruletests", "bad-rules");
    dir.write("gio.rules", "rule on_time: arrival <= 25:00\n");
    dir.write("gio.test", "rules \"gio.rules\"\ntest \"t\" {\n  record {}\n}\n");
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.starts_with("gio.rules:1:26: error: "), "{out:?}");
    dir.write(
        "gio.test",
        "rules \"khong-co.rules\"\ntest \"t\" {\n  record {}\n}\n",
    );
    let out = civrules(&dir.path, &["test", "gio.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("khong-co.rules: no such file"), "{out:?}");
}

#[test]
fn a_folder_without_test_files_or_a_missing_file_exits_2() {
    let dir = Dir::new("ruletests", "empty");
    assert_eq!(civrules(&dir.path, &["test", "."]).code, 2);
    let out = civrules(&dir.path, &["test", "khong-co.test"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.starts_with("civrules: error: khong-co.test: "),
        "{out:?}"
    );
}

#[test]
fn a_folder_runs_every_test_file_in_it_in_name_order() {
    let dir = Dir::new("ruletests", "folder");
    dir.write("gio.rules", "rule on_time: arrival <= 07:30\n");
    dir.write(
        "b.test",
        "rules \"gio.rules\"\ntest \"b\" {\n  record { arrival: 07:31 }\n  expect on_time failed\n}\n",
    );
    dir.write(
        "a.test",
        "rules \"gio.rules\"\ntest \"a\" {\n  record { arrival: 07:31 }\n}\n",
    );
    dir.write("notes.txt", "not a test\n");
    let out = civrules(&dir.path, &["test", "."]);
    assert_eq!(out.code, 1, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "running 2 tests",
            "test ./a.test: a ... FAILED",
            "test ./b.test: b ... ok"
        ]
    );
    assert_eq!(lines.last(), Some(&"1 passed, 1 failed"));
}

// ---------------------------------------------------------------------------
// Group rules (§9): several records, and the groups expected
// ---------------------------------------------------------------------------

const GROUP_RULES: &str = "key employee_id\nfield date: date\nrule on_time: arrival <= 07:30\n\
rule late_repeat {\n  per employee_id, month_start(date)\n  check violations(on_time) <= 1\n}\n";

#[test]
fn a_test_of_several_records_holds_each_group_to_its_outcome() {
    let dir = Dir::new("ruletests", "groups");
    dir.write("r.rules", GROUP_RULES).write(
        "r.test",
        "rules \"r.rules\"\n\
         test \"hai lần muộn\" {\n\
           record { employee_id: \"A\", date: 2022-02-07, arrival: 07:40 }\n\
           record { employee_id: \"A\", date: 2022-02-08, arrival: 07:50 }\n\
           record { employee_id: \"B\", date: 2022-02-08, arrival: 07:50 }\n\
           expect group late_repeat { employee_id: \"A\", \"month_start(date)\": 2022-02-01 } failed\n\
           expect group late_repeat { employee_id: \"B\", \"month_start(date)\": 2022-02-01 } failed\n\
           expect group late_repeat { employee_id: \"C\", \"month_start(date)\": 2022-02-01 } pass\n\
         }\n",
    );
    let out = dir.run(&["test", "r.test"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains(
            "  late_repeat { employee_id: \"B\", \"month_start(date)\": 2022-02-01 }\n    expected failed, actual pass\n"
        ),
        "{out:?}"
    );
    assert!(
        out.stdout
            .contains("expected pass, actual no such group (not applicable)"),
        "{out:?}"
    );
    assert!(out.stdout.ends_with("0 passed, 1 failed\n"), "{out:?}");
}

#[test]
fn a_group_expectation_names_a_group_rule_and_every_per_expression() {
    let cases = [
        (
            "expect late_repeat failed",
            "r.test:3:10: error: `late_repeat` is a group rule",
        ),
        (
            "expect group on_time { employee_id: \"A\" } failed",
            "r.test:3:16: error: `expect group on_time`",
        ),
        (
            "expect group late_repeat { employee_id: \"A\", \"month_start(dat)\": 2022-02-01 } failed",
            "did you mean `month_start(date)`?",
        ),
        (
            "expect group late_repeat { employee_id: \"A\" } failed",
            "month_start(date) missing",
        ),
    ];
    for (expect, says) in cases {
        let dir = Dir::new("ruletests", "group-errors");
        dir.write("r.rules", GROUP_RULES).write(
            "r.test",
            &format!("rules \"r.rules\"\ntest \"t\" {{ record {{ employee_id: \"A\" }}\n  {expect}\n}}\n"),
        );
        let out = dir.run(&["test", "r.test"]);
        assert_eq!(out.code, 2, "{expect}: {out:?}");
        assert!(out.stderr.contains(says), "{expect}: {out:?}");
    }
}
