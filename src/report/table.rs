//! `--format table`: for a person. Columns are aligned by their width on
//! screen (Vietnamese text, combining marks and wide characters included),
//! followed by the totals per rule and the rules that were not checked.
//! A cell is cut only to fit a terminal's width; written anywhere else (a
//! file, a pipe), nothing is cut.

use unicode_width::UnicodeWidthStr;

use super::words::{Lang, Words};
use super::Report;
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

/// Rows of cells, aligned; the last column is cut so that a row fits in
/// `width` columns, when there is a width to keep to.
fn table(rows: &[Vec<String>], width: Option<usize>) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| width_of(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
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
                line.push_str(&pad(cell, widths[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
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
    let words = lang.words();
    let dates = lang.date_style();
    let detail_of = |message: &Option<String>, missing: &[String], title: &Option<String>| match (
        message,
        missing.is_empty(),
    ) {
        (_, false) => format!("{}: {}", words.missing_fields, missing.join(", ")),
        (Some(m), true) => m.clone(),
        (None, true) => title.clone().unwrap_or_default(),
    };
    let mut out = lang.records_checked_line(&report.ruleset, report.records);
    out.push('\n');
    if !report.violations.is_empty() {
        let mut rows = vec![header([
            words.record,
            words.key,
            words.rule,
            words.severity,
            words.reason,
            words.detail,
        ])];
        for v in &report.violations {
            rows.push(vec![
                v.record.to_string(),
                key_cell(v.key.as_ref(), dates),
                v.rule.clone(),
                lang.severity(v.severity).into(),
                lang.reason(v.reason).into(),
                detail_of(&v.message, &v.missing, &v.title),
            ]);
        }
        out.push_str(&format!("\n{}\n", words.violations_heading));
        out.push_str(&table(&rows, width));
    }
    if !report.group_violations.is_empty() {
        let mut rows = vec![header([
            words.records,
            words.key,
            words.rule,
            words.severity,
            words.group,
            words.reason,
            words.detail,
        ])];
        for v in &report.group_violations {
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
                detail_of(&v.message, &v.missing, &v.title),
            ]);
        }
        out.push_str(&format!("\n{}\n", words.group_violations));
        out.push_str(&table(&rows, width));
    }
    if !report.errors.is_empty() {
        let mut rows = vec![header([
            words.record,
            words.key,
            words.field,
            words.rule,
            words.error,
        ])];
        for e in &report.errors {
            rows.push(vec![
                e.record.to_string(),
                key_cell(e.key.as_ref(), dates),
                e.field.clone().unwrap_or_else(|| "-".into()),
                e.rule.clone().unwrap_or_else(|| "-".into()),
                e.message.clone(),
            ]);
        }
        out.push_str(&format!("\n{}\n", words.errors));
        out.push_str(&table(&rows, width));
    }
    let mut rows = vec![header([words.rule, words.violations])];
    for (rule, count) in &report.summary.violations {
        rows.push(vec![rule.clone(), count.to_string()]);
    }
    let total = report.violations.len() + report.group_violations.len();
    rows.push(vec![words.total.into(), total.to_string()]);
    out.push_str(&format!("\n{}\n", words.totals));
    out.push_str(&table(&rows, width));
    out.push_str(&format!("{}: {}\n", words.errors_count, report.errors.len()));
    for (field, values) in report.summary.by.iter().flatten() {
        out.push_str(&format!("\n{} {field}\n", words.totals_by));
        out.push_str(&by_table(values, width, words));
    }
    if !report.summary.not_checked.is_empty() {
        let mut rows = vec![header([words.rule, words.records])];
        for (rule, count) in &report.summary.not_checked {
            rows.push(vec![rule.clone(), count.to_string()]);
        }
        out.push_str(&format!("\n{}\n", words.not_checked));
        out.push_str(&table(&rows, width));
    }
    if !report.summary.ungrouped.is_empty() {
        let mut rows = vec![header([words.rule, words.records])];
        for (rule, count) in &report.summary.ungrouped {
            rows.push(vec![rule.clone(), count.to_string()]);
        }
        out.push_str(&format!("\n{}\n", words.ungrouped));
        out.push_str(&table(&rows, width));
    }
    out
}

/// One `--by` field's totals: a row per value, a column per rule, and the
/// total. A rule with no violation under any value gets no column (twelve
/// rules side by side would not fit a page); the line under the table names
/// such rules.
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
