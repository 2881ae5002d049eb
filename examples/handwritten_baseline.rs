//! The yardstick for civrules' speed, as a whole process: the nine rules of
//! `../shared/bench/workload.rules` written by hand (see
//! `benches/support/baseline.rs`), over an NDJSON file, printing counts like
//! `civrules check --format summary`.
//!
//! ```sh
//! cargo run --release --example handwritten_baseline -- records.ndjson
//! ```

use std::io::{BufRead, BufReader};

#[path = "../benches/support/baseline.rs"]
mod baseline;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: handwritten_baseline RECORDS.ndjson")?;
    let reader = BufReader::new(std::fs::File::open(path)?);
    let mut counts = [0u64; 9];
    let (mut records, mut errors) = (0u64, 0u64);
    for line in reader.split(b'\n') {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        records += 1;
        let Ok(observation) = serde_json::from_slice::<baseline::Observation>(&line) else {
            errors += 1;
            continue;
        };
        for (count, holds) in counts.iter_mut().zip(baseline::check(&observation)) {
            *count += u64::from(!holds);
        }
    }
    let violations: Vec<String> = baseline::RULES
        .iter()
        .zip(counts)
        .map(|(rule, count)| format!("\"{rule}\":{count}"))
        .collect();
    println!(
        "{{\"records\":{records},\"violations\":{{{}}},\"errors\":{errors}}}",
        violations.join(",")
    );
    Ok(())
}
