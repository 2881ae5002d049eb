//! Code generated from rules (`civrules::codegen`) gives the interpreter's
//! counts and reports, whatever the records.
//!
//! The generated files are kept in the repository, where the benches and
//! these tests include them; a test here checks that each is what the
//! generator writes today. `UPDATE_GENERATED=1 cargo test --test codegen`
//! writes them again.

use std::path::{Path, PathBuf};

use civrules::codegen::runtime::{self, Generated};
use civrules::{Checker, Detail, Program};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

mod mixed {
    include!("codegen/mixed_rules.rs");
}

#[path = "../benches/support/baseline.rs"]
mod baseline;

mod workload {
    include!("../benches/support/workload_rules.rs");
}

mod nghe_an {
    include!("codegen/nghe_an_rules.rs");
}

/// Code from rules one of which generated code does not decide.
mod left {
    include!("codegen/left_rules.rs");
}

/// Code from more rules than one generated method holds.
mod many {
    include!("codegen/many_rules.rs");
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn mixed_program() -> Program {
    Program::from_file(root().join("tests/codegen/mixed.rules")).expect("compiles")
}

fn many_program() -> Program {
    Program::from_file(root().join("tests/codegen/many.rules")).expect("compiles")
}

fn left_program() -> Program {
    Program::from_file(root().join("tests/codegen/left.rules")).expect("compiles")
}

fn nghe_an_program() -> Program {
    Program::from_file(root().join("rules/nghe-an.rules")).expect("compiles")
}

fn workload_program() -> Program {
    Program::from_file(root().join("tests/data/workload.rules")).expect("compiles")
}

/// The file is what the generator writes for `program` (or is written,
/// with `UPDATE_GENERATED=1`).
fn assert_generated(program: &Program, file: &Path) {
    assert_generated_leaving(program, file, &[]);
}

/// [`assert_generated`], for a program whose rules `interpreted` generated
/// code does not decide.
fn assert_generated_leaving(program: &Program, file: &Path, interpreted: &[&str]) {
    let code = civrules::codegen::rust(program);
    assert_eq!(code.interpreted, interpreted);
    let kept = std::fs::read_to_string(file).unwrap_or_default();
    if kept == code.source {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(file, &code.source).expect("write");
    } else {
        panic!(
            "{} is not what civrules::codegen writes today; run `UPDATE_GENERATED=1 cargo test --test codegen`",
            file.display()
        );
    }
}

#[test]
fn the_generated_files_are_up_to_date() {
    assert_generated(&mixed_program(), &root().join("tests/codegen/mixed_rules.rs"));
    assert_generated(&many_program(), &root().join("tests/codegen/many_rules.rs"));
    assert_generated_leaving(
        &left_program(),
        &root().join("tests/codegen/left_rules.rs"),
        &["id_shape"],
    );
    assert_generated(&nghe_an_program(), &root().join("tests/codegen/nghe_an_rules.rs"));
    assert_generated(
        &workload_program(),
        &root().join("benches/support/workload_rules.rs"),
    );
}

#[test]
fn the_fingerprints_match_the_programs_they_were_generated_from() {
    assert_eq!(mixed::Rules::FINGERPRINT, mixed_program().codegen_fingerprint());
    assert_eq!(
        workload::Rules::FINGERPRINT,
        workload_program().codegen_fingerprint()
    );
    assert_eq!(many::Rules::FINGERPRINT, many_program().codegen_fingerprint());
    assert_ne!(mixed::Rules::FINGERPRINT, workload::Rules::FINGERPRINT);
}

/// A record as a struct: each field absent (skipped), or any JSON value.
#[derive(Clone, Debug, Serialize)]
struct Observation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ok: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    employee: Option<Employee>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unread: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wait: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filed: Option<Value>,
}

/// A nested object: a struct, which generated code reads, or any JSON
/// value (a map, which it gives to the interpreter).
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
enum Employee {
    Struct {
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        office: Option<Office>,
    },
    Json(Value),
}

#[derive(Clone, Debug, Serialize)]
struct Office {
    floor: Option<Value>,
}

fn employee() -> impl Strategy<Value = Employee> {
    let unit = prop::option::of(prop_oneof![texts(&["Sở Nội vụ", "Sở Y tế"]), any_value()]);
    let floor = prop_oneof![
        (0i64..3).prop_map(|n| Some(json!(n))),
        Just(None),
        any_value().prop_map(Some)
    ];
    let office = prop::option::of(floor.prop_map(|floor| Office { floor }));
    prop_oneof![
        3 => (unit, office).prop_map(|(unit, office)| Employee::Struct { unit, office }),
        1 => any_value().prop_map(Employee::Json),
    ]
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..12).prop_map(|n| json!(n)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        prop::sample::select(vec![7.5, 8.0, 7.999, 8.25, -0.0, 1e300, 0.1]).prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "",
            "07:30",
            "7:05",
            "06:00",
            "07:30:01",
            "25:00",
            "2022-03-08",
            "2022-12-31",
            "2023-01-01",
            "2022-02-30",
            "civil_servant",
            "guest",
            "contractor",
            "x",
            "Sở Nội vụ",
            "m",
            "true",
            "8",
            "1h30m",
            "90m",
            "3x",
        ])
        .prop_map(|s| json!(s)),
        Just(json!([])),
        Just(json!([1])),
        Just(json!({})),
        Just(json!({"unit": "Sở Nội vụ"})),
        Just(json!({"unit": "Sở Y tế"})),
    ]
}

/// A value of the field's own kind most of the time, so that many records
/// are decided by generated code; else anything.
fn field(usual: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Option<Value>> {
    prop::option::weighted(0.8, prop_oneof![8 => usual, 1 => any_value()])
}

fn texts(pool: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::sample::select(pool).prop_map(|s| json!(s))
}

fn observation() -> impl Strategy<Value = Observation> {
    let role = || texts(&["civil_servant", "guest", "contractor", "x", "m", "", "Sở Nội vụ"]);
    let number = || {
        prop_oneof![
            (-3i64..12).prop_map(|n| json!(n)),
            (0u32..40).prop_map(|n| json!(f64::from(n) / 4.0))
        ]
    };
    let scalar = || {
        prop_oneof![
            any::<bool>().prop_map(Value::Bool),
            texts(&["", "có", "0"]),
            (0i64..2).prop_map(|n| json!(n))
        ]
    };
    (
        (
            field(texts(&["NV-1", "NV-2", "NV-9", "NV-10", "NA-1"])),
            field(role()),
            field(number()),
            field((-3i64..12).prop_map(|n| json!(n))),
            field(texts(&[
                "2022-01-01",
                "2022-03-08",
                "2022-12-31",
                "2023-01-01",
                "2021-12-31",
            ])),
            field(texts(&[
                "06:00", "06:00:01", "07:30", "7:31", "07:29:59", "17:00",
            ])),
        ),
        (
            field(any::<bool>().prop_map(Value::Bool)),
            field(scalar()),
            field(scalar()),
            field(scalar()),
            prop::option::weighted(0.6, employee()),
            field(scalar()),
        ),
        (
            field(texts(&["1h", "1h30m", "1h29m59s", "-2h", "0s", "2d"])),
            field(texts(&["14:00", "15:30", "16:00:00", "23:59:59"])),
            // 1700: more than 292 years, which nanoseconds in 64 bits hold,
            // before the others.
            field(texts(&[
                "2021-12-20",
                "2022-02-28",
                "2022-03-01",
                "2022-12-31",
                "1700-01-01",
            ])),
        ),
    )
        .prop_map(
            |(
                (id, role, hours, count, day, start),
                (ok, badge, note, label, employee, unread),
                (wait, end, filed),
            )| {
                Observation {
                    id,
                    role,
                    hours,
                    count,
                    day,
                    start,
                    ok,
                    badge,
                    note,
                    label,
                    employee,
                    unread,
                    wait,
                    end,
                    filed,
                }
            },
        )
}

#[test]
fn the_property_below_meets_records_generated_code_decides_and_records_it_leaves() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut rules = mixed::Rules::default();
    let mut many = many::Rules::default();
    let (mut decided, mut decided_by_many) = (0, 0);
    for _ in 0..1000 {
        let record = observation().new_tree(&mut runner).expect("tree").current();
        decided += usize::from(runtime::read(&mut rules, &record));
        decided_by_many += usize::from(runtime::read(&mut many, &record));
    }
    assert!((200..=800).contains(&decided), "{decided} of 1000 decided");
    // Fewer: a record with an `employee` is the interpreter's there.
    assert!(
        (100..=800).contains(&decided_by_many),
        "{decided_by_many} of 1000 decided by code from many rules"
    );
}

/// Checks `records` with the interpreter and with the generated `G`, at
/// `detail`, and returns both runs' reports and summaries.
fn both_ways<G: Generated, T: Serialize>(program: &Program, records: &[T], detail: Detail) {
    let mut interpreted = Checker::new(program).with_detail(detail);
    let mut generated = Checker::new(program).with_detail(detail);
    let mut rules = G::default();
    for record in records {
        let expected = interpreted.check_serialize(record);
        let got = generated.check_serialize_with(&mut rules, record);
        assert_eq!(got, expected);
    }
    assert_eq!(generated.summary(), interpreted.summary());
    assert_eq!(generated.records(), interpreted.records());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_code_gives_the_interpreters_counts_and_reports(records in prop::collection::vec(observation(), 1..24)) {
        let program = mixed_program();
        both_ways::<mixed::Rules, _>(&program, &records, Detail::Totals);
        both_ways::<mixed::Rules, _>(&program, &records, Detail::Entries);
        let many = many_program();
        both_ways::<many::Rules, _>(&many, &records, Detail::Totals);
        both_ways::<many::Rules, _>(&many, &records, Detail::Entries);
        // Code generated from other rules decides nothing, and is harmless.
        both_ways::<workload::Rules, _>(&program, &records, Detail::Totals);
    }
}

fn clean() -> Observation {
    Observation {
        id: Some(json!("NV-1")),
        role: Some(json!("civil_servant")),
        hours: Some(json!(8.5)),
        count: Some(json!(1)),
        day: Some(json!("2022-05-01")),
        start: Some(json!("07:00")),
        ok: Some(json!(true)),
        badge: Some(json!("yes")),
        note: None,
        label: None,
        employee: None,
        unread: Some(json!({"anything": [1, 2]})),
        wait: Some(json!("45m")),
        end: Some(json!("16:30")),
        filed: Some(json!("2022-04-25")),
    }
}

#[test]
fn generated_code_decides_clean_records_and_leaves_the_rest() {
    let mut rules = mixed::Rules::default();
    assert!(runtime::read(&mut rules, &clean()));
    let mut violated = Vec::new();
    assert!(rules.decide(|index| violated.push(index)).is_ok());
    // `hours_listed` (8.5 is not listed), and `unit_nested` and `floor` (no
    // employee: unknown); every other rule passes.
    assert_eq!(violated, [9, 12, 29]);

    // A nested struct is read by generated code, two deep.
    let employed = Observation {
        employee: Some(Employee::Struct {
            unit: Some(json!("Sở Y tế")),
            office: Some(Office {
                floor: Some(json!(2)),
            }),
        }),
        ..clean()
    };
    assert!(runtime::read(&mut rules, &employed));
    let mut violated = Vec::new();
    assert!(rules.decide(|index| violated.push(index)).is_ok());
    assert_eq!(violated, [9]);

    // 17:00 + 9h is past midnight: an evaluation error, the interpreter's.
    let late = Observation {
        start: Some(json!("17:00")),
        ..clean()
    };
    assert!(runtime::read(&mut rules, &late));
    assert!(rules.decide(|_| {}).is_err());

    let bad_time = Observation {
        start: Some(json!("25:00")),
        ..clean()
    };
    assert!(
        !runtime::read(&mut rules, &bad_time),
        "a data error is the interpreter's"
    );
    let nested = Observation {
        employee: Some(Employee::Json(json!({"unit": "x"}))),
        ..clean()
    };
    assert!(
        !runtime::read(&mut rules, &nested),
        "a nested object is the interpreter's"
    );
    let list_in_untyped = Observation {
        badge: Some(json!([])),
        ..clean()
    };
    assert!(
        !runtime::read(&mut rules, &list_in_untyped),
        "a list is the interpreter's"
    );
    assert!(
        !runtime::read(&mut rules, &json!({"start": "07:00"})),
        "a map is the interpreter's"
    );
}

#[test]
fn the_workload_structs_are_counted_as_the_interpreter_counts_them() {
    let data = std::fs::read_to_string(root().join("tests/codegen/workload_sample.ndjson")).expect("sample");
    let records: Vec<baseline::OwnedObservation> = data
        .lines()
        .map(|line| serde_json::from_str(line).expect("record"))
        .collect();
    assert!(records.len() >= 50);
    let program = workload_program();
    both_ways::<workload::Rules, _>(&program, &records, Detail::Totals);
    both_ways::<workload::Rules, _>(&program, &records, Detail::Entries);
    let mut rules = workload::Rules::default();
    assert!(
        records.iter().all(|r| runtime::read(&mut rules, r)),
        "every workload record is decided"
    );
}

/// A record of `examples/nghe-an-2022-02-09.ndjson` as a struct.
#[derive(Debug, serde::Deserialize, Serialize)]
struct NgheAnRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    employee_id: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    full_name: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arrival: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    departure: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    badge_worn: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nameplate: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dress: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mask_worn: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    health_declared: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    handles_procedures: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_head: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    work_plan_issued: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    breath_alcohol: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    overdue_procedures: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_counter: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counter: Option<Value>,
}

#[test]
fn the_shipped_rules_are_decided_by_generated_code_as_by_the_interpreter() {
    let data = std::fs::read_to_string(root().join("examples/nghe-an-2022-02-09.ndjson")).expect("sample");
    let records: Vec<Value> = data
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("record"))
        .collect();
    // As structs: each record's keys as fields, through a struct of
    // optional JSON values of the same names.
    let structs: Vec<NgheAnRecord> = records
        .iter()
        .map(|r| serde_json::from_value(r.clone()).expect("fields"))
        .collect();
    let program = nghe_an_program();
    both_ways::<nghe_an::Rules, _>(&program, &structs, Detail::Totals);
    both_ways::<nghe_an::Rules, _>(&program, &structs, Detail::Entries);
    let mut rules = nghe_an::Rules::default();
    let decided = structs.iter().filter(|r| runtime::read(&mut rules, *r)).count();
    assert!(
        decided * 2 >= structs.len(),
        "{decided} of {} decided",
        structs.len()
    );
}

#[test]
fn the_record_kept_for_explain_is_read_by_the_interpreter() {
    let program = mixed_program();
    // Only counting, so that generated code would decide the record.
    let mut checker = Checker::new(&program).with_detail(Detail::Totals).capturing(2);
    let mut rules = mixed::Rules::default();
    for _ in 0..3 {
        checker.check_serialize_with(&mut rules, &clean());
    }
    let expected = program
        .record_from(&clean())
        .expect("serializes")
        .expect("an object");
    assert_eq!(
        checker.take_captured(),
        Some(civrules::Captured::Record(expected))
    );
    assert_eq!(checker.records(), 3);
}

#[test]
fn where_a_guard_field_is_missing_the_rules_whose_guard_goes_on_are_still_evaluated() {
    // `guest_ratio`: `when role == "guest" and hours / (count - 1) > 1`.
    // With no role the guard is unknown, not false, so the interpreter
    // goes on, divides by zero and reports an error; so must generated
    // code, by giving the record back.
    let program = mixed_program();
    let record = Observation {
        role: None,
        count: Some(json!(1)),
        hours: Some(json!(8)),
        ..clean()
    };
    let mut interpreted = Checker::new(&program).with_detail(Detail::Totals);
    let mut generated = Checker::new(&program).with_detail(Detail::Totals);
    let mut rules = mixed::Rules::default();
    interpreted.check_serialize(&record);
    generated.check_serialize_with(&mut rules, &record);
    assert_eq!(interpreted.summary().errors, 1);
    assert_eq!(generated.summary(), interpreted.summary());
}

#[test]
fn minus_zero_in_an_int_field_is_read_by_generated_code_as_the_integer_zero() {
    // JSON's `-0` reaches a serializer as the float -0.0; in the int field
    // `count` it is 0, for generated code as for the interpreter.
    let program = mixed_program();
    let zero = Observation {
        count: Some(json!(0)),
        ..clean()
    };
    let minus_zero = Observation {
        count: Some(json!(-0.0)),
        ..clean()
    };
    let mut rules = mixed::Rules::default();
    let mut decide = |record: &Observation| {
        let read = runtime::read(&mut rules, record);
        let mut violated = Vec::new();
        let decided = rules.decide(|index| violated.push(index)).is_ok();
        (read, decided, violated)
    };
    let expected = decide(&zero);
    assert!(expected.0, "a clean record is read by generated code");
    assert_eq!(decide(&minus_zero), expected);
    let interpreted = Checker::new(&program).check_serialize(&minus_zero);
    assert!(interpreted.errors.is_empty(), "{interpreted:?}");
    assert_eq!(interpreted, Checker::new(&program).check_serialize(&zero));
    both_ways::<mixed::Rules, _>(&program, &[zero, minus_zero], Detail::Entries);
}

#[test]
fn a_duration_times_an_int_is_generated_and_computed_as_the_interpreter_does() {
    use runtime::kind::{Duration, Int};
    use runtime::BinaryOp::Mul;
    let program = Program::from_source(
        "t.rules",
        "field wait: duration\nfield n: int\nrule r: wait * n <= 8h\nrule s: n * wait > 0s\n",
    )
    .expect("compiles");
    assert!(civrules::codegen::rust(&program).interpreted.is_empty());
    // Generated code computes `*` by `runtime::arith`; an error there gives
    // the record to the interpreter, which reports it.
    let hour: i64 = 3_600_000_000_000;
    assert_eq!(
        runtime::arith::<Duration, Int, Duration>(Mul, Some(hour), Some(5)).ok(),
        Some(Some(5 * hour))
    );
    assert_eq!(
        runtime::arith::<Int, Duration, Duration>(Mul, Some(5), Some(hour)).ok(),
        Some(Some(5 * hour))
    );
    assert_eq!(
        runtime::arith::<Duration, Int, Duration>(Mul, Some(hour), None).ok(),
        Some(None)
    );
    assert!(runtime::arith::<Duration, Int, Duration>(Mul, Some(hour), Some(i64::MAX)).is_err());
    let mut checker = Checker::new(&program);
    let report = checker.check_json(&json!({"wait": "1h", "n": i64::MAX}));
    assert_eq!(report.errors.len(), 2, "{report:?}");
}

/// What generated code made of a record it read.
#[derive(Debug, PartialEq)]
enum Decision {
    /// It decided the record: these rules (by index) are violated.
    Decided(Vec<usize>),
    /// An operation failed: the interpreter must decide the record.
    HandedBack,
}

/// Generated code `G`, watched: what each call of `decide` gave. A record
/// [`Checker::check_serialize_with`] checks without calling `decide` was
/// not read by generated code at all.
#[derive(Default)]
struct Watched<G> {
    generated: G,
    decisions: std::cell::RefCell<Vec<Decision>>,
}

impl<G: Generated> Generated for Watched<G> {
    const FINGERPRINT: u64 = G::FINGERPRINT;

    fn clear(&mut self) {
        self.generated.clear();
    }

    fn field<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> bool {
        self.generated.field(key, value)
    }

    fn decide(&self, mut violated: impl FnMut(usize)) -> Result<(), runtime::Unsure> {
        let mut found = Vec::new();
        let decision = self.generated.decide(|index| {
            found.push(index);
            violated(index);
        });
        self.decisions.borrow_mut().push(match decision {
            Ok(()) => Decision::Decided(found),
            Err(_) => Decision::HandedBack,
        });
        decision
    }
}

impl<G> Watched<G> {
    /// What generated code made of the one record it was offered since the
    /// last call: `None` when it did not read it, else its decision.
    fn take_decision(&mut self) -> Option<Decision> {
        let mut decisions = self.decisions.take();
        assert!(decisions.len() <= 1, "one record, one decision");
        decisions.pop()
    }
}

fn rule_index(program: &Program, id: &str) -> usize {
    program
        .rule_ids()
        .position(|rule| rule == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

/// Checks `record` counting only, with generated code watched: what
/// `decide` gave, and the violations counted for the rule `id`.
fn decided_by_generated_code(program: &Program, record: &Observation, id: &str) -> (Option<Decision>, u64) {
    let mut checker = Checker::new(program).with_detail(Detail::Totals);
    let mut rules = Watched::<mixed::Rules>::default();
    checker.check_serialize_with(&mut rules, record);
    let counted = checker.summary().violations[id];
    (rules.take_decision(), counted)
}

#[test]
fn a_time_limit_is_decided_by_generated_code_to_the_second() {
    // `early`: `start <= 07:30`.
    let program = mixed_program();
    let early = rule_index(&program, "early");
    for (start, fails) in [
        ("07:29:59", false),
        ("07:30", false),
        ("07:30:00", false),
        ("07:30:01", true),
    ] {
        let record = Observation {
            start: Some(json!(start)),
            ..clean()
        };
        let (decision, counted) = decided_by_generated_code(&program, &record, "early");
        let Some(Decision::Decided(violated)) = decision else {
            panic!("{start}: not decided by generated code: {decision:?}");
        };
        assert_eq!(violated.contains(&early), fails, "{start}");
        assert_eq!(counted, u64::from(fails), "{start}");
        // The interpreter, asked for entries, agrees.
        let report = Checker::new(&program).check_serialize(&record);
        assert_eq!(
            report.violations.iter().any(|v| v.rule == "early"),
            fails,
            "{start}: {report:?}"
        );
    }
}

#[test]
fn a_guarded_limit_on_a_decimal_field_is_decided_by_generated_code_for_its_own_role() {
    // `full_hours`: `when role == "civil_servant" check hours >= 8`, with
    // `hours` a decimal and 8 written as an int.
    let program = mixed_program();
    let full_hours = rule_index(&program, "full_hours");
    for (role, hours, fails) in [
        ("civil_servant", json!(8), false),
        ("civil_servant", json!(8.0), false),
        ("civil_servant", json!(7.99), true),
        ("civil_servant", json!(7), true),
        ("guest", json!(7), false),
        ("contractor", json!(7.99), false),
    ] {
        let record = Observation {
            role: Some(json!(role)),
            hours: Some(hours.clone()),
            // Not 1, which `guest_ratio` divides by zero.
            count: Some(json!(2)),
            ..clean()
        };
        let (decision, counted) = decided_by_generated_code(&program, &record, "full_hours");
        let Some(Decision::Decided(violated)) = decision else {
            panic!("{role} {hours}: not decided by generated code: {decision:?}");
        };
        assert_eq!(violated.contains(&full_hours), fails, "{role} {hours}");
        assert_eq!(counted, u64::from(fails), "{role} {hours}");
    }
}

#[test]
fn an_evaluation_error_in_generated_arithmetic_hands_the_record_to_the_interpreter() {
    // `guest_ratio`: `when role == "guest" and hours / (count - 1) > 1`;
    // `shift_end`: `start + 9h <= end`.
    let program = mixed_program();
    let guest = |count: i64, start: &str| Observation {
        role: Some(json!("guest")),
        count: Some(json!(count)),
        start: Some(json!(start)),
        note: Some(json!("visitor")),
        ..clean()
    };
    for (record, rule, message) in [
        (guest(1, "07:00"), "guest_ratio", "division by zero"),
        (guest(2, "17:00"), "shift_end", "leaves the day"),
    ] {
        let mut checker = Checker::new(&program);
        let mut rules = Watched::<mixed::Rules>::default();
        let report = checker.check_serialize_with(&mut rules, &record);
        assert!(
            rules.take_decision() == Some(Decision::HandedBack),
            "{rule}: generated code read the record and gave it back"
        );
        let errors: Vec<_> = report
            .errors
            .iter()
            .map(|e| (e.rule.as_deref(), e.field.as_deref()))
            .collect();
        assert_eq!(errors, [(Some(rule), None)], "{report:?}");
        assert!(report.errors[0].message.contains(message), "{report:?}");
        assert_eq!(report, Checker::new(&program).check_serialize(&record));
    }
    // With a count that divides, generated code decides the record.
    let record = guest(2, "07:00");
    let (decision, counted) = decided_by_generated_code(&program, &record, "guest_ratio");
    assert!(matches!(decision, Some(Decision::Decided(_))), "{decision:?}");
    assert_eq!(counted, 0);
    let mut checker = Checker::new(&program).with_detail(Detail::Totals);
    checker.check_serialize(&record);
    assert_eq!(checker.summary().errors, 0);
}

#[test]
fn while_a_rule_is_left_to_the_interpreter_generated_code_decides_no_record() {
    // `id_shape` uses `matches`; `early` alone generated code could decide.
    #[derive(Serialize)]
    struct Nothing {}
    let program = left_program();
    let late = Observation {
        start: Some(json!("07:30:01")),
        ..clean()
    };
    let on_time = Observation {
        id: Some(json!("x")),
        ..clean()
    };
    for detail in [Detail::Totals, Detail::Entries] {
        let mut generated = Checker::new(&program).with_detail(detail);
        let mut interpreted = Checker::new(&program).with_detail(detail);
        let mut rules = Watched::<left::Rules>::default();
        for record in [&late, &on_time, &clean()] {
            let report = generated.check_serialize_with(&mut rules, record);
            assert_eq!(rules.take_decision(), None, "{record:?}");
            assert_eq!(report, interpreted.check_serialize(record));
        }
        // A record without fields is read without refusing any key.
        let report = generated.check_serialize_with(&mut rules, &Nothing {});
        assert_eq!(rules.take_decision(), Some(Decision::HandedBack));
        assert_eq!(report, interpreted.check_serialize(&Nothing {}));
        assert_eq!(generated.summary(), interpreted.summary());
        assert_eq!(generated.summary().violations["early"], 2);
        assert_eq!(generated.summary().violations["id_shape"], 2);
    }
}
