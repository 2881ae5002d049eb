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

/// Writes each of `entries` as one line tagged `"kind": kind`.
fn write_tagged<T: Serialize>(out: &mut impl Write, kind: &'static str, entries: &[T]) -> io::Result<()> {
    for entry in entries {
        serde_json::to_writer(&mut *out, &Tagged { kind, entry })?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `--format ndjson`: one line per violation and error, tagged with
/// `"kind"`, violations of a record before its errors.
pub fn write_ndjson_entries(out: &mut impl Write, record: &RecordReport) -> io::Result<()> {
    write_tagged(out, "violation", &record.violations)?;
    write_tagged(out, "error", &record.errors)
}

/// `--format ndjson`, after the last record: the group rules' error
/// lines, then their `group_violation` lines (§9).
pub fn write_ndjson_groups(
    out: &mut impl Write,
    errors: &[ErrorEntry],
    violations: &[GroupViolation],
) -> io::Result<()> {
    write_tagged(out, "error", errors)?;
    write_tagged(out, "group_violation", violations)
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
