//! `--format table`: for a person. Columns are aligned by their width on
//! screen (Vietnamese text, combining marks and wide characters included),
//! followed by the totals per rule and the rules that were not checked.
//! A cell is cut only to fit a terminal's width; written anywhere else (a
//! file, a pipe), nothing is cut.

use unicode_width::UnicodeWidthStr;

use std::io::{self, Write};

use super::spill::Spill;
use super::words::{Lang, Words};
use super::{ErrorEntry, GroupViolation, RecordReport, Report, Summary, Violation};
use crate::semantics::value::DateStyle;

fn width_of(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(width_of(text))))
}

/// `text` cut to at most `max` columns on screen, with `…` where cut.
fn clip(text: &str, max: usize) -> String {
    if width_of(text) <= max {
        return text.to_string();
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// One row, aligned to `widths`; the last cell is cut so that the row
/// fits in `width` columns, when there is a width to keep to.
fn line(row: &[String], widths: &[usize], width: Option<usize>) -> String {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        if i + 1 == row.len() {
            // The last cell takes what the line has left, and at least
            // a little, however narrow the terminal.
            match width {
                Some(width) => line.push_str(&clip(cell, width.saturating_sub(width_of(&line)).max(12))),
                None => line.push_str(cell),
            }
        } else {
            line.push_str(&pad(cell, widths.get(i).copied().unwrap_or(0)));
        }
    }
    let mut out = line.trim_end().to_string();
    out.push('\n');
    out
}

/// Each column's widest cell.
fn widths_of<'r>(rows: impl IntoIterator<Item = &'r Vec<String>>) -> Vec<usize> {
    let mut widths = Vec::new();
    for row in rows {
        widen(&mut widths, row);
    }
    widths
}

fn widen(widths: &mut Vec<usize>, row: &[String]) {
    if widths.len() < row.len() {
        widths.resize(row.len(), 0);
    }
    for (w, cell) in widths.iter_mut().zip(row) {
        *w = (*w).max(width_of(cell));
    }
}

/// Rows of cells, aligned.
fn table(rows: &[Vec<String>], width: Option<usize>) -> String {
    let widths = widths_of(rows);
    rows.iter().map(|row| line(row, &widths, width)).collect()
}

/// The rows of a long table (violations, errors), kept aside as they come
/// (in a [`Spill`]) with each column's widest cell, so that a table of any
/// length is aligned without being held.
struct Rows {
    widths: Vec<usize>,
    lines: Spill,
    rows: usize,
}

impl Rows {
    fn new(header: Vec<String>) -> Rows {
        let mut rows = Rows {
            widths: Vec::new(),
            lines: Spill::default(),
            rows: 0,
        };
        // A header of words serialises; nothing is lost if it did not.
        let _ = rows.push(&header);
        rows.rows = 0;
        rows
    }

    fn push(&mut self, row: &[String]) -> io::Result<()> {
        widen(&mut self.widths, row);
        self.lines.push_line(&serde_json::to_vec(row)?)?;
        self.rows += 1;
        Ok(())
    }

    /// The header and every row, aligned.
    fn write(&mut self, out: &mut impl Write, width: Option<usize>) -> io::Result<()> {
        let widths = &self.widths;
        self.lines.lines(|text| {
            let row: Vec<String> = serde_json::from_slice(text)?;
            out.write_all(line(&row, widths, width).as_bytes())
        })
    }
}

fn key_cell(key: Option<&crate::Value>, dates: DateStyle) -> String {
    key.map_or_else(|| "-".into(), |k| k.text_with(dates))
}

/// A header row of words.
fn header<const N: usize>(words: [&str; N]) -> Vec<String> {
    words.map(String::from).to_vec()
}

/// The report as aligned text: violations, errors, totals per rule, and
/// the rules not checked, in `lang`'s words (in Vietnamese, the keys and
/// group values that are dates read `09/02/2022`). `width`: the
/// terminal's width, to cut the last column to; `None` cuts nothing.
pub fn render_table(report: &Report, width: Option<usize>, lang: Lang) -> String {
    let mut table = TableStream::new(lang);
    let mut out = Vec::new();
    let written = report
        .violations
        .iter()
        .try_for_each(|v| table.violation(v))
        .and_then(|()| report.errors.iter().try_for_each(|e| table.error(e)))
        .and_then(|()| {
            let ending = Ending {
                ruleset: &report.ruleset,
                records: report.records,
                group_violations: &report.group_violations,
                group_errors: &[],
                summary: &report.summary,
            };
            table.finish(&mut out, &ending, width)
        });
    match written {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        // Only a temporary file can fail, and a report held in memory
        // needs one only for more than a megabyte of rows.
        Err(e) => format!("civrules: the table could not be written: {e}\n"),
    }
}

/// `--format table` written as the records are checked: the violations'
/// and errors' rows are kept aside (in a temporary file past a megabyte)
/// with their columns' widths, and the table is written at the end, when
/// the totals are known; its memory does not grow with the input. The text
/// is [`render_table`]'s for the same report.
pub struct TableStream {
    lang: Lang,
    violations: Rows,
    errors: Rows,
}

/// What a table ends with, known once every record is checked.
pub struct Ending<'a> {
    /// The rule set's name.
    pub ruleset: &'a str,
    /// How many records were read.
    pub records: u64,
    /// The group rules' violations.
    pub group_violations: &'a [GroupViolation],
    /// The group rules' error entries (after the records').
    pub group_errors: &'a [ErrorEntry],
    /// The totals.
    pub summary: &'a Summary,
}

impl TableStream {
    /// A table in `lang`'s words.
    pub fn new(lang: Lang) -> TableStream {
        let words = lang.words();
        TableStream {
            lang,
            violations: Rows::new(header([
                words.record,
                words.key,
                words.rule,
                words.severity,
                words.reason,
                words.detail,
            ])),
            errors: Rows::new(header([
                words.record,
                words.key,
                words.field,
                words.rule,
                words.error,
            ])),
        }
    }

    /// One record's rows.
    pub fn record(&mut self, record: &RecordReport) -> io::Result<()> {
        record.violations.iter().try_for_each(|v| self.violation(v))?;
        record.errors.iter().try_for_each(|e| self.error(e))
    }

    fn violation(&mut self, v: &Violation) -> io::Result<()> {
        let lang = self.lang;
        let dates = lang.date_style();
        self.violations.push(&[
            v.record.to_string(),
            key_cell(v.key.as_ref(), dates),
            v.rule.clone(),
            lang.severity(v.severity).into(),
            lang.reason(v.reason).into(),
            detail_of(lang, &v.message, &v.missing, &v.title),
        ])
    }

    fn error(&mut self, e: &ErrorEntry) -> io::Result<()> {
        self.errors.push(&[
            e.record.to_string(),
            key_cell(e.key.as_ref(), self.lang.date_style()),
            e.field.clone().unwrap_or_else(|| "-".into()),
            e.rule.clone().unwrap_or_else(|| "-".into()),
            e.message.clone(),
        ])
    }

    /// Writes the whole table.
    pub fn finish(
        mut self,
        out: &mut impl Write,
        ending: &Ending<'_>,
        width: Option<usize>,
    ) -> io::Result<()> {
        for e in ending.group_errors {
            self.error(e)?;
        }
        let lang = self.lang;
        let words = lang.words();
        let dates = lang.date_style();
        writeln!(
            out,
            "{}",
            lang.records_checked_line(ending.ruleset, ending.records)
        )?;
        if self.violations.rows > 0 {
            write!(out, "\n{}\n", words.violations_heading)?;
            self.violations.write(out, width)?;
        }
        if !ending.group_violations.is_empty() {
            let mut rows = vec![header([
                words.records,
                words.key,
                words.rule,
                words.severity,
                words.group,
                words.reason,
                words.detail,
            ])];
            for v in ending.group_violations {
                let group: Vec<String> = v
                    .group
                    .iter()
                    .map(|(text, value)| format!("{text}={}", value.text_with(dates)))
                    .collect();
                rows.push(vec![
                    v.records_total.to_string(),
                    key_cell(v.key.as_ref(), dates),
                    v.rule.clone(),
                    lang.severity(v.severity).into(),
                    group.join(", "),
                    lang.reason(v.reason).into(),
                    detail_of(lang, &v.message, &v.missing, &v.title),
                ]);
            }
            write!(out, "\n{}\n{}", words.group_violations, table(&rows, width))?;
        }
        if self.errors.rows > 0 {
            write!(out, "\n{}\n", words.errors)?;
            self.errors.write(out, width)?;
        }
        let summary = ending.summary;
        let mut rows = vec![header([words.rule, words.violations])];
        for (rule, count) in &summary.violations {
            rows.push(vec![rule.clone(), count.to_string()]);
        }
        let total = self.violations.rows + ending.group_violations.len();
        rows.push(vec![words.total.into(), total.to_string()]);
        write!(out, "\n{}\n{}", words.totals, table(&rows, width))?;
        writeln!(out, "{}: {}", words.errors_count, self.errors.rows)?;
        for (field, values) in summary.by.iter().flatten() {
            write!(
                out,
                "\n{} {field}\n{}",
                words.totals_by,
                by_table(values, width, words)
            )?;
        }
        for (heading, counts) in [
            (words.not_checked, &summary.not_checked),
            (words.ungrouped, &summary.ungrouped),
        ] {
            if !counts.is_empty() {
                let mut rows = vec![header([words.rule, words.records])];
                for (rule, count) in counts {
                    rows.push(vec![rule.clone(), count.to_string()]);
                }
                write!(out, "\n{heading}\n{}", table(&rows, width))?;
            }
        }
        Ok(())
    }
}

/// A violation's last cell: the missing fields, else its message, else its
/// rule's title.
fn detail_of(lang: Lang, message: &Option<String>, missing: &[String], title: &Option<String>) -> String {
    match (message, missing.is_empty()) {
        (_, false) => format!("{}: {}", lang.words().missing_fields, missing.join(", ")),
        (Some(m), true) => m.clone(),
        (None, true) => title.clone().unwrap_or_default(),
    }
}

fn by_table(values: &super::ByValues, width: Option<usize>, words: &Words) -> String {
    // Every value lists every rule, in rule order.
    let rules: Vec<&String> = values
        .values()
        .next()
        .map(|counts| counts.keys().collect())
        .unwrap_or_default();
    let (shown, quiet): (Vec<&String>, Vec<&String>) = rules.into_iter().partition(|rule| {
        values
            .values()
            .any(|counts| counts.get(*rule).is_some_and(|n| *n > 0))
    });
    let mut header = vec![words.value.to_string()];
    header.extend(shown.iter().map(|r| r.to_string()));
    header.push(words.total.into());
    let mut rows = vec![header];
    let mut column_totals = vec![0u64; shown.len() + 1];
    for (value, counts) in values {
        let mut row = vec![value.clone()];
        for (i, rule) in shown.iter().enumerate() {
            let n = counts.get(*rule).copied().unwrap_or(0);
            column_totals[i] += n;
            row.push(n.to_string());
        }
        let total: u64 = counts.values().sum();
        column_totals[shown.len()] += total;
        row.push(total.to_string());
        rows.push(row);
    }
    let mut last = vec![words.total.to_string()];
    last.extend(column_totals.iter().map(u64::to_string));
    rows.push(last);
    let mut out = table(&rows, width);
    if !quiet.is_empty() {
        let names: Vec<&str> = quiet.iter().map(|r| r.as_str()).collect();
        out.push_str(&format!("{}: {}\n", words.no_violations_of, names.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_tables_have_vietnamese_words_and_dates() {
        use crate::report::{GroupViolation, Violation};
        use crate::{Program, Reason, Severity, Value};
        let program = Program::from_source("t", "rule on_time: arrival <= 07:30\n").unwrap();
        let mut report = Report::new(&program);
        report.records = 1;
        let date = jiff::civil::Date::new(2022, 2, 9).unwrap();
        report.violations.push(Violation {
            record: 1,
            rule: "on_time".into(),
            severity: Severity::Major,
            reason: Reason::Missing,
            missing: vec!["arrival".into()],
            key: Some(Value::Date(date)),
            title: None,
            message: None,
            reference: None,
            values: Default::default(),
        });
        report.group_violations.push(GroupViolation {
            rule: "on_time".into(),
            severity: Severity::Major,
            reason: Reason::Failed,
            missing: vec![],
            group: [("week_start(date)".to_string(), Value::Date(date))]
                .into_iter()
                .collect(),
            records: vec![1],
            records_total: 1,
            key: None,
            title: None,
            message: Some("2022-02-09 stays as written".into()),
            reference: None,
            values: Default::default(),
            by: vec!["Sở Nội vụ".into()],
        });
        let vi = render_table(&report, None, Lang::Vi);
        for words in [
            "Bộ quy tắc t: đã kiểm tra 1 bản ghi",
            "Vi phạm\n",
            "Nghiêm trọng",
            "Thiếu dữ liệu: arrival",
            "Không đạt",
            "09/02/2022",
            "week_start(date)=09/02/2022",
            "2022-02-09 stays as written",
            "Tổng cộng",
            "Lỗi dữ liệu: 0",
        ] {
            assert!(vi.contains(words), "{words} in\n{vi}");
        }
        let en = render_table(&report, None, Lang::En);
        assert!(
            en.starts_with("ruleset t: 1 records checked\n\nViolations\nrecord  key"),
            "{en}"
        );
        assert!(
            en.contains("2022-02-09  on_time  major     missing  missing: arrival"),
            "{en}"
        );
        assert!(en.contains("week_start(date)=2022-02-09"));
    }

    /// A table streamed record by record, its rows spilled to a file, is
    /// the text of the whole report's table.
    #[test]
    fn a_streamed_table_is_the_whole_reports() {
        let program = crate::Program::from_source(
            "t.rules",
            "key id\nfield n: int\nrule pos: n >= 0\nrule r {\n  per unit\n  check sum(n) > 0\n}\n",
        )
        .unwrap();
        let mut checker = crate::Checker::new(&program);
        let mut report = Report::new(&program);
        let mut stream = TableStream::new(Lang::Vi);
        for i in 0..60_000 {
            let line = match i % 3 {
                0 => format!("{{\"id\": \"NV-{i}\", \"unit\": \"Sở {}\", \"n\": -1}}", i % 7),
                1 => format!(
                    "{{\"id\": {i}, \"unit\": \"u{}\", \"n\": \"không phải số\"}}",
                    i % 7
                ),
                _ => "not json".to_string(),
            };
            if let Some(record) = checker.check_ndjson_line(&line) {
                stream.record(&record).unwrap();
                report.push(record);
            }
        }
        assert!(stream.violations.lines.spilled() && stream.errors.lines.spilled());
        let groups = checker.finish_groups();
        let summary = checker.summary();
        let mut streamed = Vec::new();
        let ending = Ending {
            ruleset: "t",
            records: checker.records(),
            group_violations: &groups.violations,
            group_errors: &groups.errors,
            summary: &summary,
        };
        stream.finish(&mut streamed, &ending, None).unwrap();
        report.push_groups(groups);
        report.finish(checker.records(), summary);
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            render_table(&report, None, Lang::Vi)
        );
    }

    #[test]
    fn cells_align_by_their_width_on_screen() {
        let decomposed = "Ba\u{300}n"; // "Bàn" with a combining grave accent
        let rows = vec![
            vec![decomposed.to_string(), "x".into()],
            vec!["Bàn".into(), "y".into()],
            vec!["Sở".into(), "z".into()],
        ];
        let text = table(&rows, None);
        let columns: Vec<usize> = text
            .lines()
            .map(|l| width_of(&l[..l.rfind(' ').unwrap()]))
            .collect();
        assert_eq!(columns, [4, 4, 4], "{text}");
    }

    #[test]
    fn only_a_terminal_width_cuts_the_last_cell() {
        let long = "Bàn làm việc của Nguyễn Văn An không có biển tên theo quy định".to_string();
        let rows = vec![vec!["1".to_string(), long.clone()]];
        assert!(table(&rows, None).contains(&long));
        let cut = table(&rows, Some(40));
        assert!(width_of(cut.trim_end()) <= 40, "{cut}");
        assert!(cut.trim_end().ends_with('…'));
    }
}
