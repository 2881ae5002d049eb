//! `--format table`: for a person at a terminal. Columns are aligned by
//! characters (Vietnamese text included), followed by the totals per rule.

use super::Report;

fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if i + 1 == row.len() {
                    cell.clone()
                } else {
                    pad(cell, widths[i])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The report as aligned text: violations, errors, then totals per rule.
pub fn render_table(report: &Report) -> String {
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
                v.key
                    .as_ref()
                    .map_or_else(|| "-".into(), |k| clip(&k.to_string(), 24)),
                v.rule.clone(),
                v.severity.as_str().into(),
                serde_json::to_value(v.reason)
                    .ok()
                    .and_then(|r| r.as_str().map(String::from))
                    .unwrap_or_default(),
                clip(&detail, 60),
            ]);
        }
        out.push_str("\nViolations\n");
        out.push_str(&table(&rows));
    }
    if !report.errors.is_empty() {
        let mut rows = vec![["record", "field", "rule", "error"].map(String::from).to_vec()];
        for e in &report.errors {
            rows.push(vec![
                e.record.to_string(),
                e.field.clone().unwrap_or_else(|| "-".into()),
                e.rule.clone().unwrap_or_else(|| "-".into()),
                clip(&e.message, 70),
            ]);
        }
        out.push_str("\nErrors\n");
        out.push_str(&table(&rows));
    }
    let mut rows = vec![["rule", "violations"].map(String::from).to_vec()];
    for (rule, count) in &report.summary.violations {
        rows.push(vec![rule.clone(), count.to_string()]);
    }
    rows.push(vec!["total".into(), report.violations.len().to_string()]);
    out.push_str("\nTotals\n");
    out.push_str(&table(&rows));
    out.push_str(&format!("errors: {}\n", report.errors.len()));
    out
}
