//! The yardstick for civrules' speed: the nine rules of
//! `../shared/bench/workload.rules` written by hand in Rust, as a developer
//! would without civrules — serde derive into a struct of borrowed fields,
//! the rules as plain `if`s, counts per rule printed like `--format summary`.
//!
//! ```sh
//! cargo run --release --example handwritten_baseline -- records.ndjson
//! ```
//!
//! It cuts corners civrules may not: no three-valued logic beyond "field
//! absent", times compared as text after a length check, no data errors.

use std::io::{BufRead, BufReader};

use serde::Deserialize;

#[derive(Deserialize)]
struct Observation<'a> {
    #[serde(borrow)]
    role: Option<&'a str>,
    date: Option<&'a str>,
    arrival: Option<&'a str>,
    departure: Option<&'a str>,
    hours_worked: Option<f64>,
    badge_worn: Option<bool>,
    nameplate: Option<bool>,
    dress: Option<&'a str>,
    work_plan_issued: Option<bool>,
    overdue_procedures: Option<i64>,
    mask_worn: Option<bool>,
}

/// `H:MM` or `HH:MM` as minutes since midnight.
fn minutes(time: &str) -> Option<u32> {
    let (h, m) = time.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 60 + m.get(..2)?.parse::<u32>().ok()?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: handwritten_baseline RECORDS.ndjson")?;
    let reader = BufReader::new(std::fs::File::open(path)?);
    let names = [
        "badge",
        "nameplate",
        "on_time",
        "no_early_leave",
        "full_hours",
        "dress",
        "work_plan",
        "procedures",
        "covid_mask",
    ];
    let mut counts = [0u64; 9];
    let mut records = 0u64;
    let mut errors = 0u64;
    for line in reader.split(b'\n') {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        records += 1;
        let Ok(o) = serde_json::from_slice::<Observation>(&line) else {
            errors += 1;
            continue;
        };
        let checks = [
            o.badge_worn == Some(true),
            o.nameplate == Some(true),
            o.arrival.and_then(minutes).is_some_and(|m| m <= 7 * 60 + 30),
            o.departure.and_then(minutes).is_some_and(|m| m >= 17 * 60),
            o.hours_worked.is_some_and(|h| h >= 8.0),
            o.role != Some("civil_servant") || matches!(o.dress, Some("uniform" | "formal")),
            o.work_plan_issued == Some(true),
            o.overdue_procedures.is_some_and(|n| n <= 0),
            o.date.is_none_or(|d| d > "2022-03-31") || o.mask_worn == Some(true),
        ];
        for (count, ok) in counts.iter_mut().zip(checks) {
            *count += u64::from(!ok);
        }
    }
    let violations: Vec<String> = names
        .iter()
        .zip(counts)
        .map(|(n, c)| format!("\"{n}\":{c}"))
        .collect();
    println!(
        "{{\"records\":{records},\"violations\":{{{}}},\"errors\":{errors}}}",
        violations.join(",")
    );
    Ok(())
}
