//! Throughput of civrules on the shared benchmark workload, side by side
//! with the same nine rules written by hand (`support/baseline.rs`), and
//! the many-rules and compile-time targets. Run with `cargo bench`.
//!
//! The records come from `../shared/bench/gen_records.py` (20,000 of them,
//! written once under `target/bench-data/`).

use std::path::{Path, PathBuf};
use std::process::Command;

use civrules::{Checker, Detail, Program};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::Deserialize;

#[path = "support/baseline.rs"]
mod baseline;

/// The workload's rules as Rust, from `civrules::codegen` (kept up to date
/// by `tests/codegen.rs`).
mod workload_rules {
    include!("support/workload_rules.rs");
}

const RECORDS: usize = 20_000;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench")
}

/// The workload's NDJSON records, generated once.
fn records() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let file = dir.join(format!("{RECORDS}.ndjson"));
    if !file.exists() {
        std::fs::create_dir_all(&dir).expect("target/bench-data");
        let status = Command::new("python3")
            .arg(shared().join("gen_records.py"))
            .arg(RECORDS.to_string())
            .arg("--out")
            .arg(&file)
            .status()
            .expect("python3 runs gen_records.py");
        assert!(status.success(), "gen_records.py failed");
    }
    std::fs::read(file).expect("the generated records")
}

fn lines(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect()
}

fn workload() -> Program {
    Program::from_file(shared().join("workload.rules")).expect("workload.rules compiles")
}

/// NDJSON text → findings: civrules against serde derive + `if`s.
fn ndjson(c: &mut Criterion) {
    let data = records();
    let lines = lines(&data);
    let program = workload();
    let mut group = c.benchmark_group("ndjson_workload");
    group.throughput(Throughput::Elements(lines.len() as u64));
    // Like the hand-written code, counting only (as `--format summary`).
    group.bench_function("civrules", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&program).with_detail(Detail::Totals);
            for line in &lines {
                checker.check_ndjson_bytes(line);
            }
            checker.summary().errors
        })
    });
    // Each violation written down in full, as `--format json` needs.
    group.bench_function("civrules_entries", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&program);
            for line in &lines {
                checker.check_ndjson_bytes(line);
            }
            checker.summary().errors
        })
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            let mut counts = [0u64; 9];
            for line in &lines {
                if let Ok(o) = serde_json::from_slice::<baseline::Observation>(line) {
                    for (n, holds) in counts.iter_mut().zip(baseline::check(&o)) {
                        *n += u64::from(!holds);
                    }
                }
            }
            counts
        })
    });
    group.finish();
}

/// `serde_json::Value`s already in memory (what a tool that received
/// JSON from elsewhere holds) → findings.
fn json_values(c: &mut Criterion) {
    let data = records();
    let values: Vec<serde_json::Value> = lines(&data)
        .iter()
        .map(|l| serde_json::from_slice(l).expect("a workload record"))
        .collect();
    let program = workload();
    let mut group = c.benchmark_group("json_values_workload");
    group.throughput(Throughput::Elements(values.len() as u64));
    group.bench_function("civrules", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&program).with_detail(Detail::Totals);
            for value in &values {
                checker.check_json(value);
            }
            checker.summary().errors
        })
    });
    // The same struct of borrowed fields, read from the value by serde.
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            let mut counts = [0u64; 9];
            for value in &values {
                if let Ok(o) = baseline::Observation::deserialize(value) {
                    for (n, holds) in counts.iter_mut().zip(baseline::check(&o)) {
                        *n += u64::from(!holds);
                    }
                }
            }
            counts
        })
    });
    group.finish();
}

/// Rust structs in memory → findings, with no JSON at all.
fn structs(c: &mut Criterion) {
    let data = records();
    let owned: Vec<baseline::OwnedObservation> = lines(&data)
        .iter()
        .map(|l| serde_json::from_slice(l).expect("a workload record"))
        .collect();
    let program = workload();
    let mut group = c.benchmark_group("struct_workload");
    group.throughput(Throughput::Elements(owned.len() as u64));
    group.bench_function("civrules", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&program).with_detail(Detail::Totals);
            for record in &owned {
                checker.check_serialize(record);
            }
            checker.summary().errors
        })
    });
    group.bench_function("civrules_generated", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&program).with_detail(Detail::Totals);
            let mut rules = workload_rules::Rules::default();
            for record in &owned {
                checker.check_serialize_with(&mut rules, record);
            }
            checker.summary().errors
        })
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            let mut counts = [0u64; 9];
            for record in &owned {
                for (n, holds) in counts.iter_mut().zip(baseline::check_owned(record)) {
                    *n += u64::from(!holds);
                }
            }
            counts
        })
    });
    group.finish();
}

/// A province file of 10,000 rules, ten for each of 1,000 units, each
/// guarded by `when unit == "…"`.
fn many_rules_source() -> String {
    let checks = [
        "badge_worn required",
        "nameplate required",
        "arrival <= 07:30",
        "departure >= 17:00",
        "hours_worked >= 8.0",
        "dress in [\"uniform\", \"formal\"]",
        "work_plan_issued required",
        "overdue_procedures <= 0",
        "mask_worn required",
        "arrival <= 08:00",
    ];
    let mut source = String::from("ruleset \"10k\"\nfield hours_worked: decimal\n");
    for unit in 0..1000 {
        for (i, check) in checks.iter().enumerate() {
            source.push_str(&format!(
                "rule u{unit:04}_{i} {{\n  when  unit == \"Đơn vị {unit:04}\"\n  check {check}\n}}\n"
            ));
        }
    }
    source
}

fn many_rules(c: &mut Criterion) {
    let source = many_rules_source();
    let data = records();
    // The workload's records, spread over the 1,000 units.
    let text = String::from_utf8(data).expect("UTF-8 records");
    let spread: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a record");
            let mut value = value;
            value["unit"] = format!("Đơn vị {:04}", i % 1000).into();
            value.to_string()
        })
        .collect();
    let mut group = c.benchmark_group("many_rules");
    group.bench_function("compile_10k_rules", |b| {
        b.iter(|| Program::from_source("10k.rules", &source).expect("compiles"))
    });
    let program = Program::from_source("10k.rules", &source).expect("compiles");
    group.throughput(Throughput::Elements(spread.len() as u64));
    group.bench_function("check_10k_rules", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&program).with_detail(Detail::Totals);
            for line in &spread {
                checker.check_ndjson_line(line);
            }
            checker.summary().errors
        })
    });
    group.finish();
}

fn compile(c: &mut Criterion) {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/nghe-an.rules");
    c.bench_function("compile_nghe_an", |b| {
        b.iter(|| Program::from_file(&rules).expect("compiles"))
    });
}

criterion_group!(benches, ndjson, json_values, structs, many_rules, compile);
criterion_main!(benches);
