//! How a tool that embeds civrules tests itself with records generated
//! from the rules (the `proptest` feature).
//!
//! The "tool" here is a small HR function: from a record's civrules report
//! it computes the points deducted from an employee's monthly discipline
//! score. Its property tests say what must hold whatever the record:
//! a compliant record costs nothing; a record that breaks `on_time` (and
//! nothing else) costs exactly the points for a major violation; and at
//! the boundary 07:30 an employee is on time, at 07:31 late.
//!
//! ```sh
//! cargo run --example sample_proptest --features proptest
//! ```
//!
//! In a test file the same properties are written with the `proptest!`
//! macro; see `mod tests` at the end.

use civrules::sample::{boundary_records, compliant_records, violating_records};
use civrules::{Checker, Program, RecordReport, Severity};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// The tool's own logic: points deducted for a record's violations.
fn deduction(report: &RecordReport) -> u32 {
    report
        .violations
        .iter()
        .map(|v| match v.severity {
            Severity::Info => 0,
            Severity::Minor => 1,
            Severity::Major => 3,
            Severity::Critical => 10,
        })
        .sum()
}

fn deduction_for(program: &Program, record: &serde_json::Value) -> u32 {
    deduction(&Checker::new(program).check_json(record))
}

fn program() -> Program {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/nghe-an.rules");
    Program::from_file(path).expect("the shipped rules compile")
}

fn main() {
    let program = program();
    let mut runner = TestRunner::new(cases(64));

    // 1. Compliant records cost nothing.
    let compliant = compliant_records(&program).expect("a compliant record exists");
    runner
        .run(&compliant, |record| {
            prop_assert_eq!(deduction_for(&program, &record), 0, "{}", record);
            Ok(())
        })
        .expect("compliant records cost nothing");
    println!("compliant records: no deduction");

    // 2. Breaking `on_time` alone costs a major violation's points.
    let late = violating_records(&program, "on_time").expect("`on_time` can be broken alone");
    runner
        .run(&late, |record| {
            prop_assert_eq!(deduction_for(&program, &record), 3, "{}", record);
            Ok(())
        })
        .expect("a late arrival costs 3 points");
    println!("records late for work, and nothing else: 3 points each");

    // 3. At the boundary: 07:30 is on time, 07:31 is late.
    let boundaries = boundary_records(&program).expect("the rules compare fields with constants");
    runner
        .run(&boundaries, |record| {
            if record.get("arrival").and_then(|a| a.as_str()) == Some("07:30") {
                let report = Checker::new(&program).check_json(&record);
                prop_assert!(
                    report.violations.iter().all(|v| v.rule != "on_time"),
                    "{}",
                    record
                );
            }
            Ok(())
        })
        .expect("07:30 is on time");
    println!("boundary records: 07:30 is on time");
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest! {
        #![proptest_config(Config::with_cases(64))]

        #[test]
        fn compliant_records_cost_nothing(record in compliant_records(&program()).unwrap()) {
            prop_assert_eq!(deduction_for(&program(), &record), 0);
        }

        #[test]
        fn a_late_arrival_costs_three_points(record in violating_records(&program(), "on_time").unwrap()) {
            prop_assert_eq!(deduction_for(&program(), &record), 3);
        }
    }
}

/// A runner's configuration: `n` cases, failures not saved to a file.
fn cases(n: u32) -> Config {
    Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    }
}
