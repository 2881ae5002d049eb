//! The machine-readable output formats: `json`, `ndjson` and `summary`.

use std::io::{self, Write};

use serde::Serialize;

use super::{ErrorEntry, GroupViolation, RecordReport, Report, Summary};

/// `--format json`: the whole report as one object.
pub fn write_json(out: &mut impl Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    kind: &'static str,
    #[serde(flatten)]
    entry: &'a T,
}

/// `--format ndjson`: one line per violation and error, tagged with
/// `"kind"`, violations of a record before its errors.
pub fn write_ndjson_entries(out: &mut impl Write, record: &RecordReport) -> io::Result<()> {
    for violation in &record.violations {
        serde_json::to_writer(
            &mut *out,
            &Tagged {
                kind: "violation",
                entry: violation,
            },
        )?;
        out.write_all(b"\n")?;
    }
    for error in &record.errors {
        serde_json::to_writer(
            &mut *out,
            &Tagged {
                kind: "error",
                entry: error,
            },
        )?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `--format ndjson`, after the last record: the group rules' error
/// lines, then their `group_violation` lines (§9).
pub fn write_ndjson_groups(
    out: &mut impl Write,
    errors: &[ErrorEntry],
    violations: &[GroupViolation],
) -> io::Result<()> {
    for error in errors {
        serde_json::to_writer(
            &mut *out,
            &Tagged {
                kind: "error",
                entry: error,
            },
        )?;
        out.write_all(b"\n")?;
    }
    for violation in violations {
        serde_json::to_writer(
            &mut *out,
            &Tagged {
                kind: "group_violation",
                entry: violation,
            },
        )?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    records: u64,
    #[serde(flatten)]
    summary: &'a Summary,
}

/// `--format summary`: `{"records": N, "violations": {...}, "errors": N,
/// "not_checked": {...}}`.
pub fn write_summary(out: &mut impl Write, records: u64, summary: &Summary) -> io::Result<()> {
    let value = SummaryOut { records, summary };
    serde_json::to_writer(&mut *out, &value)?;
    out.write_all(b"\n")
}
