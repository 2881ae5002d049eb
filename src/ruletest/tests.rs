use super::*;
use crate::MemoryLoader;

const RULES: &str = r#"
key employee_id
field arrival: time
field breath_alcohol: decimal
field count: int
field hours: int
rule badge: badge_worn required
rule on_time {
  when  role == "civil_servant"
  check arrival <= 07:30
}
rule no_alcohol {
  when  breath_alcohol present
  check breath_alcohol <= 0.0
}
rule per_hour: count / hours > 1
"#;

fn suite(test: &str) -> Result<Suite, TestError> {
    Suite::from_source("gio.test", test, |rules| {
        let mut loader = MemoryLoader::new();
        loader.insert(rules, RULES);
        Program::from_loader(&loader, rules)
    })
}

fn run(test: &str) -> Vec<TestResult> {
    match suite(test) {
        Ok(s) => s.run(),
        Err(e) => panic!("{}", e.render()),
    }
}

fn compile_error(test: &str) -> String {
    match suite(test) {
        Ok(_) => panic!("compiled"),
        Err(e) => e.render(),
    }
}

const HEAD: &str = "rules \"gio.rules\"\nbase { employee_id: \"A-1\", role: \"civil_servant\", badge_worn: true, arrival: 07:00, count: 4, hours: 2 }\n";

#[test]
fn expectations_that_hold_pass() {
    let results = run(&format!(
        "{HEAD}test \"đúng giờ\" {{\n  record {{ arrival: 07:30 }}\n  record {{ arrival: 7:29 }}\n  expect on_time pass\n}}\n\
         test \"muộn\" {{\n  record {{ arrival: 07:31 }}\n  expect on_time failed\n}}\n\
         test \"thiếu giờ đến\" {{\n  record {{ arrival: null }}\n  expect on_time missing [arrival]\n}}\n\
         test \"không phải công chức\" {{\n  record {{ role: \"contract\", arrival: 09:00 }}\n  expect on_time not applicable\n}}\n\
         test \"uống rượu\" {{\n  record {{ breath_alcohol: 0.05 }}\n  expect no_alcohol violation\n}}\n\
         test \"sai kiểu\" {{\n  record {{ arrival: 42 }}\n  expect on_time error\n}}\n\
         test \"chia cho 0\" {{\n  record {{ count: 3, hours: 0 }}\n  expect per_hour error\n}}\n\
         test \"không đeo thẻ\" {{\n  record {{ badge_worn: false }}\n  expect badge failed\n}}\n"
    ));
    let failed: Vec<&TestResult> = results.iter().filter(|r| !r.passed()).collect();
    assert!(failed.is_empty(), "{}", render(&results));
    assert_eq!(results.len(), 8);
    assert!(render(&results).ends_with("\n8 passed, 0 failed\n"));
}

#[test]
fn unmentioned_rules_must_pass_or_not_apply() {
    let results = run(&format!(
        "{HEAD}test \"quên thẻ\" {{\n  record {{ badge_worn: false }}\n}}\n"
    ));
    assert!(!results[0].passed());
    let mismatch = &results[0].failures[0].mismatches[0];
    assert_eq!(
        (
            mismatch.rule.as_str(),
            mismatch.expected.as_str(),
            mismatch.actual.as_str()
        ),
        ("badge", "pass or not applicable", "failed")
    );
}

#[test]
fn a_failed_test_shows_expected_actual_and_the_record() {
    let results = run(&format!(
        "{HEAD}test \"muộn 07:31\" {{\n  record {{ arrival: 07:31, hours: null }}\n  expect on_time pass\n  expect per_hour missing [count]\n}}\n"
    ));
    let text = render(&results);
    assert_eq!(
        text,
        "running 1 test\n\
         test gio.test: muộn 07:31 ... FAILED\n\
         \n\
         failures:\n\
         \n\
         ---- gio.test: muộn 07:31 ----\n\
         record 1 of 1 (gio.test:4:10)\n\
         \x20 rule      expected         actual\n\
         \x20 on_time   pass             failed\n\
         \x20 per_hour  missing [count]  missing [hours]\n\
         \x20 values: { employee_id: \"A-1\", role: \"civil_servant\", badge_worn: true, arrival: 07:31, count: 4, hours: null }\n\
         \n\
         0 passed, 1 failed\n"
    );
}

#[test]
fn dotted_keys_reach_into_the_base_and_decimals_stay_exact() {
    let rules_text = "rule unit: employee.unit == \"Sở Nội vụ\" and employee.grade >= 0.1\n";
    let test = "rules \"r.rules\"\nbase { employee: { unit: \"Sở Tư pháp\", grade: 0.1 } }\n\
                test \"t\" {\n  record { employee.unit: \"Sở Nội vụ\" }\n  expect unit pass\n}\n";
    let suite = Suite::from_source("r.test", test, |name| Program::from_source(name, rules_text)).unwrap();
    let results = suite.run();
    assert!(results[0].passed(), "{}", render(&results));
}

#[test]
fn unknown_names_are_errors_with_did_you_mean() {
    let text = compile_error(&format!(
        "{HEAD}test \"t\" {{\n  record {{ arival: 07:31 }}\n  expect on_tme failed\n  expect badge missing [badge_wron]\n}}\n"
    ));
    assert!(
        text.contains("gio.test:4:12: error: no rule in gio.rules uses a field `arival`"),
        "{text}"
    );
    assert!(text.contains("did you mean `arrival`?"), "{text}");
    assert!(
        text.contains("gio.test:5:10: error: no rule `on_tme` in gio.rules"),
        "{text}"
    );
    assert!(text.contains("did you mean `on_time`?"), "{text}");
    assert!(text.contains("did you mean `badge_worn`?"), "{text}");
}

#[test]
fn a_test_without_records_or_with_a_rule_expected_twice_is_an_error() {
    let text = compile_error(&format!("{HEAD}test \"t\" {{\n  expect badge pass\n}}\n"));
    assert!(text.contains("test \"t\" has no record"), "{text}");
    let text = compile_error(&format!(
        "{HEAD}test \"t\" {{\n  record {{}}\n  expect badge pass\n  expect badge failed\n}}\n"
    ));
    assert!(
        text.contains("rule `badge` is expected twice in this test"),
        "{text}"
    );
    let text = compile_error(&format!(
        "{HEAD}test \"t\" {{\n  record {{}}\n}}\ntest \"t\" {{\n  record {{}}\n}}\n"
    ));
    assert!(text.contains("two tests are called \"t\""), "{text}");
}

#[test]
fn rules_that_do_not_compile_are_reported_as_such() {
    let result = Suite::from_source("x.test", "rules \"x.rules\"\n", |name| {
        Program::from_source(name, "rule a: x <= 25:00\n")
    });
    let text = result.map(|_| ()).unwrap_err().render();
    assert!(text.starts_with("x.rules:1:14: error: "), "{text}");
}
