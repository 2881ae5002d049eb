//! `--format table`: for a person. Columns are aligned by their width on
//! screen (Vietnamese text, combining marks and wide characters included),
//! followed by the totals per rule and the rules that were not checked.
//! A cell is cut only to fit a terminal's width; written anywhere else (a
//! file, a pipe), nothing is cut.

use unicode_width::UnicodeWidthStr;

use super::Report;

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

fn key_cell(key: Option<&crate::Value>) -> String {
    key.map_or_else(|| "-".into(), |k| k.to_string())
}

/// The report as aligned text: violations, errors, totals per rule, and
/// the rules not checked. `width`: the terminal's width, to cut the last
/// column to; `None` cuts nothing.
pub fn render_table(report: &Report, width: Option<usize>) -> String {
    let mut out = format!("ruleset {}: {} records checked\n", report.ruleset, report.records);
    if !report.violations.is_empty() {
        let mut rows = vec![["record", "key", "rule", "severity", "reason", "detail"]
            .map(String::from)
            .to_vec()];
        for v in &report.violations {
            let detail = match (&v.message, v.missing.is_empty()) {
                (_, false) => format!("missing: {}", v.missing.join(", ")),
                (Some(m), true) => m.clone(),
                (None, true) => v.title.clone().unwrap_or_default(),
            };
            rows.push(vec![
                v.record.to_string(),
                key_cell(v.key.as_ref()),
                v.rule.clone(),
                v.severity.as_str().into(),
                v.reason.as_str().into(),
                detail,
            ]);
        }
        out.push_str("\nViolations\n");
        out.push_str(&table(&rows, width));
    }
    if !report.group_violations.is_empty() {
        let mut rows = vec![
            ["records", "key", "rule", "severity", "group", "reason", "detail"]
                .map(String::from)
                .to_vec(),
        ];
        for v in &report.group_violations {
            let detail = match (&v.message, v.missing.is_empty()) {
                (_, false) => format!("missing: {}", v.missing.join(", ")),
                (Some(m), true) => m.clone(),
                (None, true) => v.title.clone().unwrap_or_default(),
            };
            let group: Vec<String> = v
                .group
                .iter()
                .map(|(text, value)| format!("{text}={value}"))
                .collect();
            rows.push(vec![
                v.records_total.to_string(),
                key_cell(v.key.as_ref()),
                v.rule.clone(),
                v.severity.as_str().into(),
                group.join(", "),
                v.reason.as_str().into(),
                detail,
            ]);
        }
        out.push_str("\nGroup violations\n");
        out.push_str(&table(&rows, width));
    }
    if !report.errors.is_empty() {
        let mut rows = vec![["record", "key", "field", "rule", "error"]
            .map(String::from)
            .to_vec()];
        for e in &report.errors {
            rows.push(vec![
                e.record.to_string(),
                key_cell(e.key.as_ref()),
                e.field.clone().unwrap_or_else(|| "-".into()),
                e.rule.clone().unwrap_or_else(|| "-".into()),
                e.message.clone(),
            ]);
        }
        out.push_str("\nErrors\n");
        out.push_str(&table(&rows, width));
    }
    let mut rows = vec![["rule", "violations"].map(String::from).to_vec()];
    for (rule, count) in &report.summary.violations {
        rows.push(vec![rule.clone(), count.to_string()]);
    }
    let total = report.violations.len() + report.group_violations.len();
    rows.push(vec!["total".into(), total.to_string()]);
    out.push_str("\nTotals\n");
    out.push_str(&table(&rows, width));
    out.push_str(&format!("errors: {}\n", report.errors.len()));
    for (field, values) in report.summary.by.iter().flatten() {
        out.push_str(&format!("\nTotals by {field}\n"));
        out.push_str(&by_table(values, width));
    }
    if !report.summary.not_checked.is_empty() {
        let mut rows = vec![["rule", "records"].map(String::from).to_vec()];
        for (rule, count) in &report.summary.not_checked {
            rows.push(vec![rule.clone(), count.to_string()]);
        }
        out.push_str("\nNot checked (a field the rule reads is not in the data)\n");
        out.push_str(&table(&rows, width));
    }
    if !report.summary.ungrouped.is_empty() {
        let mut rows = vec![["rule", "records"].map(String::from).to_vec()];
        for (rule, count) in &report.summary.ungrouped {
            rows.push(vec![rule.clone(), count.to_string()]);
        }
        out.push_str("\nIn no group (a `per` value is missing or an error)\n");
        out.push_str(&table(&rows, width));
    }
    out
}

/// One `--by` field's totals: a row per value, a column per rule, and the
/// total. A rule with no violation under any value gets no column (twelve
/// rules side by side would not fit a page); the line under the table names
/// such rules.
fn by_table(values: &super::ByValues, width: Option<usize>) -> String {
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
    let mut header = vec!["value".to_string()];
    header.extend(shown.iter().map(|r| r.to_string()));
    header.push("total".into());
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
    let mut last = vec!["total".to_string()];
    last.extend(column_totals.iter().map(u64::to_string));
    rows.push(last);
    let mut out = table(&rows, width);
    if !quiet.is_empty() {
        let names: Vec<&str> = quiet.iter().map(|r| r.as_str()).collect();
        out.push_str(&format!("no violations: {}\n", names.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
