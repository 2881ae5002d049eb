//! Every compile error and warning carries a kind a tool can match on,
//! beside its message and place: one case of each kind, with the place it
//! points at.

use civrules::ruletest::Suite;
use civrules::{
    lint, CompileError, DiagnosticKind, ErrorKind, Level, MemoryLoader, Program, Source, WarningKind,
};

/// The kind and `PATH:LINE:COL` of the first error of compiling `files`
/// (the first is the root).
fn first_error(files: &[(&str, &str)]) -> (DiagnosticKind, String) {
    let mut loader = MemoryLoader::new();
    for (name, text) in files {
        loader.insert(*name, *text);
    }
    match Program::from_loader(&loader, files[0].0) {
        Ok(_) => panic!("{:?} compiled", files[0].1),
        Err(error) => kind_and_place(&error),
    }
}

fn kind_and_place(error: &CompileError) -> (DiagnosticKind, String) {
    let first = &error.diagnostics[0];
    assert_eq!(first.level, first.kind.level());
    let place = first
        .location
        .as_ref()
        .map_or_else(String::new, |l| format!("{}:{}:{}", l.path, l.line, l.column));
    (first.kind, place)
}

fn error(kind: ErrorKind) -> DiagnosticKind {
    DiagnosticKind::Error(kind)
}

#[test]
fn each_error_in_a_rules_file_has_its_kind_and_place() {
    let deep = format!("rule r: {}a{} > 1\n", "(".repeat(200), ")".repeat(200));
    let cases: &[(&str, ErrorKind, &str)] = &[
        (
            "rule r: arrival <= 07:30 and\n",
            ErrorKind::Syntax,
            "main.rules:2:1",
        ),
        (
            "rule r: arrival <= 25:00\n",
            ErrorKind::InvalidLiteral,
            "main.rules:1:20",
        ),
        (
            "rule r: visits in count..8\n",
            ErrorKind::LiteralExpected,
            "main.rules:1:19",
        ),
        (
            "field a: int\nruleset \"x\"\nrule r: a > 1\n",
            ErrorKind::StatementOrder,
            "main.rules:2:1",
        ),
        (
            "rule r {\n  check a > 1\n  check a > 2\n}\n",
            ErrorKind::Duplicate,
            "main.rules:3:3",
        ),
        (
            "rule r {\n  title \"x\"\n}\n",
            ErrorKind::Incomplete,
            "main.rules:1:8",
        ),
        (&deep, ErrorKind::TooDeep, "main.rules:1:"),
        (
            "extends \"missing.rules\"\nrule r: a > 1\n",
            ErrorKind::FileUnreadable,
            "main.rules:1:9",
        ),
        (
            "rule r: a > 1\nrule r: a > 2\n",
            ErrorKind::DuplicateRule,
            "main.rules:2:6",
        ),
        (
            "override rule nope: a > 1\n",
            ErrorKind::BadOverride,
            "main.rules:1:",
        ),
        (
            "rule r: arrival <= 07:30\nrule s: arrival == \"x\"\n",
            ErrorKind::TypeConflict,
            "main.rules:2:",
        ),
        ("rule r: a == b\n", ErrorKind::TypeNotInferred, "main.rules:1:9"),
        ("rule r: 1 + 2\n", ErrorKind::NotACondition, "main.rules:1:9"),
        (
            "field name: string\nrule r: -name == \"x\"\n",
            ErrorKind::OperatorNotDefined,
            "main.rules:2:9",
        ),
        (
            "field name: string\nrule r: lenght(name) > 2\n",
            ErrorKind::UnknownFunction,
            "main.rules:2:9",
        ),
        (
            "field name: string\nrule r: len(name, name) > 2\n",
            ErrorKind::ArgumentCount,
            "main.rules:2:9",
        ),
        (
            "rule r: weekday(07:30) == 1\n",
            ErrorKind::ArgumentType,
            "main.rules:1:17",
        ),
        (
            "field name: string\nrule r: matches(name, \"(\")\n",
            ErrorKind::InvalidPattern,
            "main.rules:2:23",
        ),
        (
            "rule r {\n  check a > 1\n  message \"{bad\"\n}\n",
            ErrorKind::InvalidMessage,
            "main.rules:3:11",
        ),
        (
            "field employee: string\nrule r: employee.unit == \"x\"\n",
            ErrorKind::FieldIsObject,
            "main.rules:2:9",
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(text, kind, place)| {
            let (found, at) = first_error(&[("main.rules", text)]);
            (found != error(*kind) || !at.starts_with(place))
                .then(|| format!("{text:?}: {found:?} at {at}, wanted {kind:?} at {place}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn errors_across_files_and_over_the_limits_have_their_kind() {
    let (kind, at) = first_error(&[
        ("a.rules", "extends \"b.rules\"\nrule r: x > 1\n"),
        ("b.rules", "extends \"a.rules\"\nrule s: x > 2\n"),
    ]);
    assert_eq!(kind, error(ErrorKind::ExtendsCycle), "at {at}");
    assert!(at.starts_with("b.rules:1:9"), "{at}");

    let large = format!("rule r: a > 1\n{}", "#\n".repeat(3 << 20));
    let (kind, at) = first_error(&[("big.rules", &large)]);
    assert_eq!(kind, error(ErrorKind::FileTooLarge));
    assert_eq!(at, "big.rules:1:1");
}

#[test]
fn errors_in_source_and_test_files_have_their_kind() {
    let program = Program::from_source("main.rules", "rule r: badge_worn required\n").unwrap();
    let bad_source = Source::from_text(&program, "m.source", "encoding \"latin-9\"\n").unwrap_err();
    let (kind, at) = kind_and_place(&bad_source);
    assert_eq!(kind, error(ErrorKind::InvalidSource));
    assert_eq!(at, "m.source:1:10");

    let suite = Suite::from_source(
        "m.test",
        "rules \"main.rules\"\ntest \"t\" {\n  record { badge_worn: true }\n  expect nope pass\n}\n",
        |_| Ok(program.clone()),
    );
    let Err(civrules::ruletest::TestError::Compile(refused)) = suite else {
        panic!("the test file was taken");
    };
    let (kind, at) = kind_and_place(&refused);
    assert_eq!(kind, error(ErrorKind::UnknownName));
    assert_eq!(at, "m.test:4:10");
}

/// The kinds of the warnings `lint` gives for `files`.
fn warnings(files: &[(&str, &str)]) -> Vec<(WarningKind, String)> {
    let mut loader = MemoryLoader::new();
    for (name, text) in files {
        loader.insert(*name, *text);
    }
    let found = lint::lint_file(&loader, files[0].0).unwrap();
    found
        .iter()
        .map(|d| {
            assert_eq!(d.level, Level::Warning);
            let DiagnosticKind::Warning(kind) = d.kind else {
                panic!("{} is a warning of the kind of an error", d.render());
            };
            let l = d.location.as_ref().unwrap();
            (kind, format!("{}:{}:{}", l.path, l.line, l.column))
        })
        .collect()
}

#[test]
fn each_warning_of_lint_has_its_kind() {
    let cases: &[(&str, WarningKind)] = &[
        (
            "field a: int\nfield b: bool\nrule r {\n  when a > 5 and a < 3\n  check b required\n}\n",
            WarningKind::WhenNeverHolds,
        ),
        (
            "field a: int\nrule r: a > 5 and a < 3\n",
            WarningKind::CheckNeverHolds,
        ),
        (
            "field a: int\nrule r: a missing or a present\n",
            WarningKind::CheckAlwaysHolds,
        ),
        (
            "field a: int\nrule r: a > 5 or a <= 5\n",
            WarningKind::CheckNeverFails,
        ),
        ("field z: int\nrule r: a > 1\n", WarningKind::UnusedField),
        (
            "rule r: arrival <= 07:30\nrule s: arrival >= 07:00\nrule t: arival <= 08:00\n",
            WarningKind::MisspeltField,
        ),
    ];
    for (text, kind) in cases {
        let found = warnings(&[("main.rules", text)]);
        assert!(found.iter().any(|(k, _)| k == kind), "{text:?}: {found:?}");
    }
    let base = ("base.rules", "field a: int\nrule r: a <= 5\n");
    let found = warnings(&[
        ("main.rules", "extends \"base.rules\"\noverride rule r: a <= 5\n"),
        base,
    ]);
    assert_eq!(
        found,
        [(WarningKind::IdenticalOverride, "main.rules:2:15".to_string())]
    );
    let found = warnings(&[
        ("main.rules", "extends \"base.rules\"\noverride rule r: a <= 9\n"),
        base,
    ]);
    assert_eq!(
        found,
        [(WarningKind::LooserOverride, "main.rules:2:15".to_string())]
    );
}

#[test]
fn a_warning_of_a_source_file_has_its_kind() {
    let program = Program::from_source("main.rules", "rule r: badge_worn required\n").unwrap();
    let source = Source::from_text(&program, "m.source", "column \"Đeo thẻ\" -> badge_wron\n").unwrap();
    let kinds: Vec<DiagnosticKind> = source.warnings().iter().map(|w| w.kind).collect();
    assert_eq!(kinds, [DiagnosticKind::Warning(WarningKind::Source)]);
}
