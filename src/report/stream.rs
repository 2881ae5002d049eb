//! `--format json` written as the records are checked, so that its memory
//! does not grow with the input (§10 lets an object's keys come in any
//! order). Violations are written at once; error entries, which the
//! contract lists after the violations, wait in a spill file; the number
//! of records and the totals come last, when they are known.

use std::io::{self, Write};

use serde::Serialize;

use super::spill::Spill;
use super::{GroupFindings, RecordReport, Summary};

/// A JSON report written as it goes: [`JsonStream::begin`], then
/// [`JsonStream::record`] for each record's entries, then
/// [`JsonStream::finish`]. The result is the object [`super::write_json`]
/// writes for the same report, its keys in another order and each entry
/// on a line of its own.
pub struct JsonStream<W: Write> {
    out: W,
    violations: usize,
    errors: Spill,
}

fn write_entry(out: &mut impl Write, first: bool, entry: &[u8]) -> io::Result<()> {
    out.write_all(if first { b"\n    " } else { b",\n    " })?;
    out.write_all(entry)
}

fn entry_json<T: Serialize>(entry: &T) -> io::Result<Vec<u8>> {
    Ok(serde_json::to_vec(entry)?)
}

impl<W: Write> JsonStream<W> {
    /// Opens the object and its `violations` list.
    pub fn begin(mut out: W, ruleset: &str) -> io::Result<JsonStream<W>> {
        out.write_all(b"{\n  \"ruleset\": ")?;
        serde_json::to_writer(&mut out, ruleset)?;
        out.write_all(b",\n  \"violations\": [")?;
        Ok(JsonStream {
            out,
            violations: 0,
            errors: Spill::default(),
        })
    }

    /// One record's entries: its violations now, its errors later.
    pub fn record(&mut self, record: &RecordReport) -> io::Result<()> {
        for violation in &record.violations {
            write_entry(&mut self.out, self.violations == 0, &entry_json(violation)?)?;
            self.violations += 1;
        }
        for error in &record.errors {
            self.errors.push_line(&entry_json(error)?)?;
        }
        Ok(())
    }

    /// Closes the violations, writes the group violations, every error
    /// entry (the records', then the groups'), the number of records and
    /// the totals, and hands the output back.
    pub fn finish(mut self, records: u64, groups: &GroupFindings, summary: &Summary) -> io::Result<W> {
        let close = |out: &mut W, empty: bool| out.write_all(if empty { b"]" } else { b"\n  ]" });
        close(&mut self.out, self.violations == 0)?;
        self.out.write_all(b",\n  \"group_violations\": [")?;
        for (i, violation) in groups.violations.iter().enumerate() {
            write_entry(&mut self.out, i == 0, &entry_json(violation)?)?;
        }
        close(&mut self.out, groups.violations.is_empty())?;
        self.out.write_all(b",\n  \"errors\": [")?;
        let mut written = 0;
        let out = &mut self.out;
        self.errors.lines(|line| {
            written += 1;
            write_entry(out, written == 1, line)
        })?;
        for error in &groups.errors {
            written += 1;
            write_entry(&mut self.out, written == 1, &entry_json(error)?)?;
        }
        close(&mut self.out, written == 0)?;
        self.out.write_all(b",\n  \"records\": ")?;
        serde_json::to_writer(&mut self.out, &records)?;
        self.out.write_all(b",\n  \"summary\": ")?;
        serde_json::to_writer(&mut self.out, summary)?;
        self.out.write_all(b"\n}\n")?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Checker, Program, Report};

    /// The stream's object and `write_json`'s are one and the same JSON
    /// value, errors spilled to a file or not.
    #[test]
    fn the_streamed_object_is_the_whole_reports() {
        let program = Program::from_source(
            "t.rules",
            "key id\nfield n: int\nrule pos: n >= 0\nrule r {\n  per unit\n  check sum(n) > 0\n}\n",
        )
        .unwrap();
        let mut lines: Vec<String> = Vec::new();
        for i in 0..30_000 {
            lines.push(match i % 3 {
                0 => format!("{{\"id\": {i}, \"unit\": \"u{}\", \"n\": -1}}", i % 7),
                1 => format!(
                    "{{\"id\": {i}, \"unit\": \"u{}\", \"n\": \"not a number\"}}",
                    i % 7
                ),
                _ => "not json".to_string(),
            });
        }
        let mut checker = Checker::new(&program);
        let mut report = Report::new(&program);
        let mut stream = JsonStream::begin(Vec::new(), "t").unwrap();
        for line in &lines {
            if let Some(record) = checker.check_ndjson_line(line) {
                stream.record(&record).unwrap();
                report.push(record);
            }
        }
        let groups = checker.finish_groups();
        assert!(stream.errors.spilled(), "enough errors to spill");
        let streamed = stream
            .finish(checker.records(), &groups, &checker.summary())
            .unwrap();
        report.push_groups(groups);
        report.finish(checker.records(), checker.summary());
        let mut whole = Vec::new();
        crate::report::write_json(&mut whole, &report).unwrap();
        let a: serde_json::Value = serde_json::from_slice(&streamed).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&whole).unwrap();
        assert_eq!(a, b);
    }
}
