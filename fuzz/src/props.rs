//! The properties the fuzz targets check. Each function panics when a
//! property does not hold (libFuzzer and proptest both report a panic).

use arbitrary::Unstructured;
use serde_json::Value as Json;

use civrules::fmt::format_source;
use civrules::{
    check_reader, check_reader_parallel, Checker, InputError, InputFormat, Outcome, Program, RecordReport,
};

use super::{gen, rulesets};

// ---------------------------------------------------------------------------
// compile: source text → Program, and fmt

/// Any text: compiling gives a program or located diagnostics; `fmt`
/// output is a fixed point of `fmt` and compiles exactly when the input
/// does, to the same rule ids.
pub fn compile(text: &str) {
    let compiled = Program::from_source("fuzz.rules", text);
    if let Err(e) = &compiled {
        assert!(!e.diagnostics.is_empty(), "a compile error without diagnostics");
        let _ = e.render();
        let _ = e.to_string();
    }
    let formatted = match format_source("fuzz.rules", text) {
        Ok(f) => f,
        Err(e) => {
            let _ = e.render();
            assert!(
                compiled.is_err(),
                "fmt refuses text that compiles: {}",
                e.render()
            );
            return;
        }
    };
    let again = match format_source("fuzz.rules", &formatted) {
        Ok(f) => f,
        Err(e) => panic!(
            "fmt output does not parse:\n{}\n--- output:\n{formatted}",
            e.render()
        ),
    };
    assert_eq!(formatted, again, "fmt of fmt output differs");
    let recompiled = Program::from_source("fuzz.rules", &formatted);
    match (&compiled, &recompiled) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                a.rule_ids().collect::<Vec<_>>(),
                b.rule_ids().collect::<Vec<_>>(),
                "fmt changed the rule ids"
            );
            assert_eq!(a.name(), b.name());
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!(
            "fmt output does not compile:\n{}\n--- output:\n{formatted}",
            e.render()
        ),
        (Err(e), Ok(_)) => panic!(
            "fmt output compiles, its input did not:\n{}\n--- output:\n{formatted}",
            e.render()
        ),
    }
}

// ---------------------------------------------------------------------------
// records: bytes → records for a fixed rule set

/// What reading one input found: the reports with findings, and the number
/// of records counted (or the input error).
#[derive(Debug, PartialEq)]
pub struct Read {
    pub reports: Vec<RecordReport>,
    pub records: u64,
    pub error: Option<String>,
}

fn read(program: &Program, data: &[u8], format: InputFormat, jobs: usize, max_record: Option<usize>) -> Read {
    let mut checker = Checker::new(program);
    if let Some(limit) = max_record {
        checker = checker.with_max_record_bytes(limit);
    }
    let mut reports = Vec::new();
    let result = if jobs > 1 {
        check_reader_parallel(data, format, &mut checker, jobs, |r| {
            reports.push(r);
            Ok::<(), InputError>(())
        })
    } else {
        check_reader(data, format, &mut checker, |r| {
            reports.push(r);
            Ok::<(), InputError>(())
        })
    };
    let summary = checker.summary();
    let violations: usize = reports.iter().map(|r| r.violations.len()).sum();
    let errors: usize = reports.iter().map(|r| r.errors.len()).sum();
    assert_eq!(
        summary.violations.values().sum::<u64>(),
        violations as u64,
        "summary and reports disagree"
    );
    assert_eq!(summary.errors, errors as u64, "summary and reports disagree");
    let mut last = 0;
    for r in &reports {
        assert!(
            r.record > last && r.record <= checker.records(),
            "records out of order"
        );
        assert!(
            !r.violations.is_empty() || !r.errors.is_empty(),
            "a report without findings"
        );
        assert!(r.violations.iter().all(|v| v.record == r.record));
        assert!(r.errors.iter().all(|e| e.record == r.record));
        last = r.record;
    }
    if jobs > 1 {
        // Counting only, the workers hand nothing over until they are
        // done: the same totals, and the same failure.
        let mut counter = Checker::new(program).with_detail(civrules::Detail::Totals);
        if let Some(limit) = max_record {
            counter = counter.with_max_record_bytes(limit);
        }
        let counted = check_reader_parallel(data, format, &mut counter, jobs, |_| Ok::<(), InputError>(()));
        assert_eq!(
            counter.records(),
            checker.records(),
            "counting on two threads: records differ"
        );
        assert_eq!(
            counter.summary(),
            summary,
            "counting on two threads: totals differ"
        );
        assert_eq!(
            counted.err().map(|e| e.to_string()),
            result.as_ref().err().map(|e| e.to_string()),
            "counting on two threads: the failure differs"
        );
    }
    Read {
        records: checker.records(),
        reports,
        error: result.err().map(|e| e.to_string()),
    }
}

fn without_bom(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(data)
}

/// The first byte picks one of the fixed rule sets; the rest is read as
/// NDJSON, CSV and JSON. No record is lost: NDJSON has a record per
/// non-blank line, CSV one per row after the header, JSON one per element
/// of the array (or one); reading on two threads gives the same as on one.
pub fn records(input: &[u8]) {
    let Some((&selector, data)) = input.split_first() else {
        return;
    };
    let programs = rulesets::programs();
    let program = &programs[selector as usize % programs.len()];

    // Once with the default limit on a record's size, and once with a
    // small one, so that the path of over-long records is reached too.
    for max_record in [None, Some(8 + selector as usize / programs.len() * 4)] {
        // NDJSON never fails as a whole.
        let ndjson = read(program, data, InputFormat::Ndjson, 1, max_record);
        assert_eq!(ndjson.error, None, "NDJSON input failed as a whole");
        let lines = data
            .split(|&b| b == b'\n')
            .filter(|line| !without_bom(line).iter().all(u8::is_ascii_whitespace))
            .count();
        assert_eq!(
            ndjson.records, lines as u64,
            "NDJSON: records counted != non-blank lines"
        );
        let parallel = read(program, data, InputFormat::Ndjson, 2, max_record);
        assert_eq!(parallel, ndjson, "NDJSON on two threads differs");

        // CSV: a record per row after the header, as the csv crate reads them.
        let csv = read(program, data, InputFormat::Csv, 1, max_record);
        let rows = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(without_bom(data))
            .byte_records()
            .count();
        if csv.error.is_none() {
            assert_eq!(csv.records, rows as u64, "CSV: records counted != rows");
        }
        let parallel = read(program, data, InputFormat::Csv, 2, max_record);
        assert_eq!(parallel, csv, "CSV on two threads differs");
    }

    // JSON: the document is valid exactly when serde_json says so.
    let json = read(program, data, InputFormat::Json, 1, None);
    match serde_json::from_slice::<Json>(without_bom(data)) {
        Ok(Json::Array(items)) => {
            assert_eq!(json.error, None, "valid JSON refused");
            assert_eq!(
                json.records,
                items.len() as u64,
                "JSON: records counted != elements"
            );
        }
        Ok(_) => {
            assert_eq!(json.error, None, "valid JSON refused");
            assert_eq!(json.records, 1, "JSON: one value is one record");
        }
        Err(_) => assert!(json.error.is_some(), "invalid JSON accepted"),
    }
}

// ---------------------------------------------------------------------------
// evaluate: generated rules × generated records

/// A report's violations, and its errors as `(field, rule)`.
type Essence = (Vec<civrules::Violation>, Vec<(Option<String>, Option<String>)>);

/// A report with the error messages left out (readers word them apart).
fn essence(report: &RecordReport) -> Essence {
    (
        report.violations.clone(),
        report
            .errors
            .iter()
            .map(|e| (e.field.clone(), e.rule.clone()))
            .collect(),
    )
}

/// Generated rules either compile or give located diagnostics; a compiled
/// program gives exactly one outcome per rule, the same every time, the
/// same through every way of reading a record, and the same after `fmt`.
pub fn evaluate(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let case = gen::case(u)?;
    let rules = &case.rules;
    let program = match Program::from_source("gen.rules", &case.rules) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "a compile error without diagnostics");
            let _ = e.render();
            return Ok(());
        }
    };
    let ids: Vec<&str> = program.rule_ids().collect();
    assert_eq!(ids, case.ids, "the program's rules are not the rules written");
    let formatted = match format_source("gen.rules", &case.rules) {
        Ok(f) => f,
        Err(e) => panic!("fmt refuses rules that compile:\n{}", e.render()),
    };
    let reformatted = match Program::from_source("gen.rules", &formatted) {
        Ok(p) => p,
        Err(e) => panic!(
            "fmt output does not compile:\n{}\n--- output:\n{formatted}",
            e.render()
        ),
    };

    let mut from_json = Checker::new(&program);
    let mut from_text = Checker::new(&program);
    let mut from_serialize = Checker::new(&program);
    let mut expected = Vec::new();
    for (n, json) in case.records.iter().enumerate() {
        let text = serde_json::to_string(json).expect("a JSON value prints");
        let a = from_json.check_json(json);
        let b = from_text.check_ndjson_bytes(text.as_bytes()).expect("not blank");
        let c = from_serialize.check_serialize(json);
        assert_eq!(a.record, n as u64 + 1);
        assert_eq!(
            essence(&a),
            essence(&b),
            "check_json and NDJSON text disagree on {text}\n--- rules:\n{rules}"
        );
        assert_eq!(
            essence(&a),
            essence(&c),
            "check_json and check_serialize disagree on {text}\n--- rules:\n{rules}"
        );

        match program.record_from_json(json) {
            None => {
                assert!(!json.is_object());
                assert!(a.violations.is_empty() && a.errors.len() == 1);
            }
            Some(record) => {
                let outcomes = program.outcomes(&record).expect("the program's own record");
                assert_eq!(outcomes.len(), ids.len(), "not one outcome per rule");
                assert_eq!(
                    program.outcomes(&record).expect("the program's own record"),
                    outcomes,
                    "evaluation is not deterministic"
                );
                // The checker's sparse walk finds what the full one does.
                let violations: Vec<&str> = outcomes
                    .iter()
                    .zip(&ids)
                    .filter(|(o, _)| matches!(o, Outcome::Violation { .. }))
                    .map(|(_, id)| *id)
                    .collect();
                let found: Vec<&str> = a.violations.iter().map(|v| v.rule.as_str()).collect();
                assert_eq!(
                    found, violations,
                    "checker and outcomes disagree on {text}\n--- rules:\n{rules}"
                );
                let failed: Vec<&str> = outcomes
                    .iter()
                    .zip(&ids)
                    .filter(|(o, _)| matches!(o, Outcome::Error(Some(_))))
                    .map(|(_, id)| *id)
                    .collect();
                let errors: Vec<&str> = a.errors.iter().filter_map(|e| e.rule.as_deref()).collect();
                assert_eq!(
                    errors, failed,
                    "checker and outcomes disagree on {text}\n--- rules:\n{rules}"
                );
                let record2 = reformatted.record_from_json(json).expect("an object");
                assert_eq!(
                    reformatted.outcomes(&record2).expect("the program's own record"),
                    outcomes,
                    "fmt changed an outcome on {text}\n--- rules:\n{rules}"
                );
            }
        }
        expected.push(a);
    }

    // The same records as one JSON document and as NDJSON.
    let expected: Vec<_> = expected
        .iter()
        .filter(|r| !r.violations.is_empty() || !r.errors.is_empty())
        .map(essence)
        .collect();
    let document = serde_json::to_vec(&case.records).expect("prints");
    let ndjson: Vec<u8> = case
        .records
        .iter()
        .flat_map(|r| {
            let mut line = serde_json::to_vec(r).expect("prints");
            line.push(b'\n');
            line
        })
        .collect();
    for (data, format) in [(&document, InputFormat::Json), (&ndjson, InputFormat::Ndjson)] {
        let got = read(&program, data, format, 1, None);
        assert_eq!(got.error, None);
        assert_eq!(
            got.records,
            case.records.len() as u64,
            "{format:?}: a record was lost"
        );
        let got: Vec<_> = got.reports.iter().map(essence).collect();
        assert_eq!(
            got, expected,
            "{format:?} reading differs from check_json\n--- rules:\n{rules}"
        );
    }
    Ok(())
}
