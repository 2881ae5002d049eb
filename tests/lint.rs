//! `civrules lint`: warnings with their place (`PATH:LINE:COL: warning:`,
//! the source line and a caret), exit 0 with warnings, 2 with errors, and
//! `--deny-warnings` turning warnings into errors.

mod common;

use common::{repo, run, Dir, Out};

impl Dir {
    fn lint(&self, args: &[&str]) -> Out {
        self.run(&[&["lint"], args].concat())
    }
}

#[test]
fn the_shipped_rules_lint_clean() {
    let out = run(
        repo(),
        &[
            "lint",
            "--deny-warnings",
            "rules/national.rules",
            "rules/nghe-an.rules",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr, "lint: 2 files checked, no warnings\n");
}

#[test]
fn a_warning_has_its_place_and_a_caret_and_exits_0() {
    let dir = Dir::new("lint", "caret");
    dir.write(
        "gio.rules",
        "# Giờ làm việc\nrule on_time: arrival <= 07:30 and arrival > 08:00\n",
    );
    let out = dir.lint(&["gio.rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "gio.rules:2:15: warning: rule `on_time`: this `check` can never hold, so every record the rule applies to is reported\n  \
         |\n\
         2 | rule on_time: arrival <= 07:30 and arrival > 08:00\n  \
         |               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  \
         = note: no value of `arrival` can make it true; check the operators (`and`/`or`, `<`/`>`) and the constants\n\
         lint: 1 file checked, 1 warning\n"
    );
}

#[test]
fn deny_warnings_makes_them_errors() {
    let dir = Dir::new("lint", "deny");
    dir.write("gio.rules", "field x: string\nrule r: x in []\n");
    let out = dir.lint(&["--deny-warnings", "gio.rules"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("gio.rules:2:9: error: rule `r`: this `check` can never hold"),
        "{out:?}"
    );
    let out = dir.lint(&["gio.rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.starts_with("gio.rules:2:9: warning: "), "{out:?}");
}

#[test]
fn errors_exit_2_with_or_without_warnings_around_them() {
    let dir = Dir::new("lint", "errors");
    dir.write("bad.rules", "rule a: x <= 25:00\n")
        .write("warn.rules", "field note: string\nrule a: b required\n");
    let out = dir.lint(&["warn.rules", "bad.rules"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("warn.rules:1:7: warning: field `note` is declared as string but no rule"),
        "{out:?}"
    );
    assert!(out.stderr.contains("bad.rules:1:14: error: "), "{out:?}");
}

#[test]
fn a_when_that_never_holds_and_a_check_that_never_fails() {
    let dir = Dir::new("lint", "when");
    dir.write(
        "gio.rules",
        "rule on_time {\n  when  weekday(date) in 6..5\n  check arrival <= 07:30\n}\nrule left {\n  check departure >= 17:00 or departure < 17:30\n}\n",
    );
    let out = dir.lint(&["gio.rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains(
            "gio.rules:2:9: warning: rule `on_time`: this `when` can never hold, so the rule never applies\n"
        ),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("gio.rules:6:9: warning: rule `left`: this `check` can never fail: it holds for every value of `departure`, so the rule reports only records where `departure` is missing\n"),
        "{out:?}"
    );
}

#[test]
fn a_looser_override_is_shown_with_a_record() {
    let dir = Dir::new("lint", "looser");
    dir.write("national.rules", "rule on_time {\n  when  weekday(date) in 1..5\n  check arrival <= 07:30\n}\n")
        .write(
            "tinh.rules",
            "extends \"national.rules\"\noverride rule on_time {\n  when  weekday(date) in 1..5\n  check arrival <= 08:00\n}\n",
        );
    let out = dir.lint(&["tinh.rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.starts_with(
            "tinh.rules:2:15: warning: `override rule on_time` is looser than the inherited rule: a record with arrival 07:45 passes here but is reported by national.rules\n"
        ),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("  = note: national.rules:3:9: the inherited rule's check\n"),
        "{out:?}"
    );
    // Linting the national file alone says nothing about the province.
    assert_eq!(
        dir.lint(&["national.rules"]).stderr,
        "lint: 1 file checked, no warnings\n"
    );
}

#[test]
fn an_identical_override_and_a_misspelt_field() {
    let dir = Dir::new("lint", "identical");
    dir.write("national.rules", "field arrival: time\nrule on_time: arrival <= 07:30\n")
        .write(
            "tinh.rules",
            "extends \"national.rules\"\noverride rule on_time { check arrival <= 07:30 }\nrule note {\n  when  arival > 07:30\n  check note required\n}\n",
        );
    let out = dir.lint(&["tinh.rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("tinh.rules:2:15: warning: `override rule on_time` is identical to the rule it replaces, so it changes nothing\n"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("tinh.rules:4:9: warning: field `arival` is used only here, but `arrival` is used elsewhere: did you mean `arrival`?\n"),
        "{out:?}"
    );
}

#[test]
fn the_last_line_counts_the_files_and_what_was_found() {
    let dir = Dir::new("lint", "counts");
    dir.write("ok.rules", "rule badge: badge_worn required\n")
        .write("ok2.rules", "rule on_time: arrival <= 07:30\n")
        .write(
            "warn.rules",
            "field unused: int\nrule on_time: arrival <= 07:30 and arrival > 08:00\n",
        )
        .write("bad.rules", "rule a: x <= 25:00\n");
    let last_line = |out: &Out| out.stderr.lines().last().unwrap_or_default().to_string();

    let out = dir.lint(&["ok.rules"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (0, "lint: 1 file checked, no warnings\n")
    );
    let out = dir.lint(&["ok.rules", "ok2.rules"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (0, "lint: 2 files checked, no warnings\n")
    );
    let out = dir.lint(&["ok.rules", "warn.rules"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr.matches(": warning: ").count(), 2, "{out:?}");
    assert_eq!(last_line(&out), "lint: 2 files checked, 2 warnings");
    let out = dir.lint(&["--deny-warnings", "warn.rules"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(last_line(&out), "lint: 1 file checked, 2 errors");
    let out = dir.lint(&["bad.rules", "warn.rules", "ok.rules"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(last_line(&out), "lint: 3 files checked, 1 error, 2 warnings");
    assert_eq!(out.stdout, "");
}

#[test]
fn a_misspelt_keyword_gets_did_you_mean() {
    let dir = Dir::new("lint", "keyword");
    dir.write(
        "gio.rules",
        "rule on_time {\n  titel \"Đến đúng giờ\"\n  check arrival <= 07:30\n}\n",
    );
    let out = dir.lint(&["gio.rules"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.starts_with("gio.rules:2:3: error: expected a clause (title, severity, ref, when, per, check, message), found `titel`: did you mean `title`?\n"),
        "{out:?}"
    );
}
