//! `--format html`: the report as one self-contained page that an
//! inspection leader opens, filters and prints (§10).
//!
//! The page is `templates/report.html`, rendered by minijinja with HTML
//! escaping on for every value. This module only shapes the report into
//! the template's rows, with every value already in text (dates in the
//! language's style, words from [`super::words`]): the template decides
//! nothing but layout.

use indexmap::IndexMap;
use jiff::civil::Date;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::words::{Lang, Words};
use super::{ErrorEntry, GroupViolation, Report, Violation};
use crate::compile::Program;
use crate::semantics::value::{DateStyle, Value};
use crate::syntax::Severity;

const TEMPLATE: &str = include_str!("../../templates/report.html");

/// What the page shows beside the report itself.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HtmlContext<'a> {
    /// The date of the check (the command's local date, or
    /// `SOURCE_DATE_EPOCH`'s, so that a rerun gives the same bytes).
    pub date: Date,
    /// The words of the page, and how it prints dates.
    pub lang: Lang,
    /// The data files checked, as the page names them.
    pub data_files: &'a [String],
    /// For a record with findings, its value of each `--by` field (in the
    /// order of [`super::Summary::by`]): the page's by-columns and filters
    /// of the violations. Without it, the violations have no by-columns.
    pub by_of_record: Option<&'a IndexMap<u64, Vec<String>>>,
    /// For each `--by` field, each value's number of records, when known:
    /// a column of the totals per value.
    pub records_by: Option<&'a IndexMap<String, IndexMap<String, u64>>>,
}

impl<'a> HtmlContext<'a> {
    /// A page dated `date` in `lang`, naming no data file.
    pub fn new(date: Date, lang: Lang) -> HtmlContext<'a> {
        HtmlContext {
            date,
            lang,
            data_files: &[],
            by_of_record: None,
            records_by: None,
        }
    }
}

/// The template could not be rendered (a defect of the template, never of
/// the data: every value is text to it).
#[derive(Debug, thiserror::Error)]
#[error("the html report could not be written: {0}")]
pub struct HtmlError(String);

/// The report as one HTML page: header (rule set, data files, date,
/// records), totals per rule with a bar chart, totals per `--by` value,
/// the violations with their filters, group violations, errors, rules
/// not checked and records in no group, and a signature block.
pub fn render_html(
    report: &Report,
    program: &Program,
    context: &HtmlContext<'_>,
) -> Result<String, HtmlError> {
    let page = Page::new(report, program, context);
    let mut env = Environment::new();
    // Every value the page holds is escaped, whatever the template's name.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    // A name the template misspells is an error, not an empty cell.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .map_err(|e| HtmlError(e.to_string()))?;
    env.set_syntax(syntax);
    env.add_template("report.html", TEMPLATE)
        .map_err(|e| HtmlError(e.to_string()))?;
    let template = env
        .get_template("report.html")
        .map_err(|e| HtmlError(e.to_string()))?;
    template
        .render(Serde(&page))
        .map_err(|e| HtmlError(e.to_string()))
}

/// Everything the template shows, as text and numbers.
#[derive(Serialize)]
struct Page<'a> {
    w: &'static Words,
    ruleset: &'a str,
    data_files: &'a [String],
    date: String,
    records: u64,
    rules: Vec<RuleTotal>,
    total_violations: u64,
    error_count: u64,
    chart: Chart,
    by_fields: Vec<&'a str>,
    by_tables: Vec<ByTable<'a>>,
    filters: Filters<'a>,
    violations: Vec<ViolationRow>,
    group_violations: Vec<GroupRow>,
    errors: Vec<ErrorRow>,
    not_checked: Vec<RuleTotal>,
    ungrouped: Vec<RuleTotal>,
}

#[derive(Serialize)]
struct RuleTotal {
    id: String,
    title: String,
    severity: &'static str,
    severity_words: &'static str,
    count: u64,
}

#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    /// Where the bars start, right of the rule ids.
    bar_x: u32,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Bar {
    rule: String,
    count: u64,
    y: u32,
    width: u32,
}

#[derive(Serialize)]
struct ByTable<'a> {
    field: &'a str,
    /// The rules with a violation under some value: a column each.
    rules: Vec<&'a str>,
    /// The rules without: named under the table.
    quiet: Vec<&'a str>,
    has_records: bool,
    rows: Vec<ByRow<'a>>,
    sums: ByRow<'a>,
}

#[derive(Serialize)]
struct ByRow<'a> {
    value: &'a str,
    records: Option<u64>,
    counts: Vec<u64>,
    total: u64,
}

#[derive(Serialize)]
struct Filters<'a> {
    rules: Vec<Choice>,
    severities: Vec<Choice>,
    by: Vec<ByFilter<'a>>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct ByFilter<'a> {
    index: usize,
    field: &'a str,
    values: Vec<&'a str>,
}

#[derive(Serialize)]
struct Item {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct ViolationRow {
    record: u64,
    key: String,
    by: Vec<String>,
    rule: String,
    severity: &'static str,
    severity_words: &'static str,
    reason: &'static str,
    message: String,
    missing: String,
    evidence: Vec<Item>,
}

#[derive(Serialize)]
struct GroupRow {
    group: Vec<Item>,
    /// The first record's `--by` values.
    by: Vec<String>,
    rule: String,
    severity: &'static str,
    severity_words: &'static str,
    reason: &'static str,
    records_total: u64,
    records: String,
    key: String,
    message: String,
    missing: String,
    evidence: Vec<Item>,
}

#[derive(Serialize)]
struct ErrorRow {
    record: u64,
    key: String,
    field: String,
    rule: String,
    message: String,
    group: Vec<Item>,
}

/// The chart's geometry, in the SVG's own units.
const CHART_WIDTH: u32 = 560;
const CHART_BAR_X: u32 = 190;
const CHART_ROW: u32 = 20;
/// Room right of the longest bar for its count.
const CHART_COUNT_ROOM: u32 = 50;

impl<'a> Page<'a> {
    fn new(report: &'a Report, program: &Program, context: &HtmlContext<'a>) -> Page<'a> {
        let lang = context.lang;
        let dates = lang.date_style();
        let rule_info: IndexMap<&str, (Option<&str>, Severity)> = program
            .rules
            .iter()
            .map(|rule| (rule.id.as_str(), (rule.title.as_deref(), rule.severity)))
            .collect();
        let rule_total = |id: &str, count: u64| {
            let (title, severity) = rule_info.get(id).copied().unwrap_or((None, Severity::Major));
            RuleTotal {
                id: id.to_string(),
                title: title.unwrap_or_default().to_string(),
                severity: severity.as_str(),
                severity_words: lang.severity(severity),
                count,
            }
        };
        let rules: Vec<RuleTotal> = report
            .summary
            .violations
            .iter()
            .map(|(id, count)| rule_total(id, *count))
            .collect();
        let by_fields: Vec<&str> = report
            .summary
            .by
            .iter()
            .flat_map(|by| by.keys().map(String::as_str))
            .collect();
        let by_of = |record: u64| -> Vec<String> {
            match context.by_of_record {
                Some(map) => map.get(&record).cloned().unwrap_or_default(),
                None => Vec::new(),
            }
        };
        Page {
            w: lang.words(),
            ruleset: &report.ruleset,
            data_files: context.data_files,
            date: dates.format(context.date),
            records: report.records,
            total_violations: report.summary.violations.values().sum(),
            error_count: report.summary.errors,
            chart: chart(&rules),
            by_tables: by_tables(report, context.records_by),
            filters: filters(report, context, lang),
            by_fields: if context.by_of_record.is_some() {
                by_fields
            } else {
                Vec::new()
            },
            violations: report
                .violations
                .iter()
                .map(|v| violation_row(v, by_of(v.record), lang))
                .collect(),
            group_violations: report
                .group_violations
                .iter()
                .map(|g| group_row(g, lang, context.by_of_record.is_some()))
                .collect(),
            errors: report.errors.iter().map(|e| error_row(e, dates)).collect(),
            not_checked: report
                .summary
                .not_checked
                .iter()
                .map(|(id, count)| rule_total(id, *count))
                .collect(),
            ungrouped: report
                .summary
                .ungrouped
                .iter()
                .map(|(id, count)| rule_total(id, *count))
                .collect(),
            rules,
        }
    }
}

fn chart(rules: &[RuleTotal]) -> Chart {
    let most = rules.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let room = u64::from(CHART_WIDTH - CHART_BAR_X - CHART_COUNT_ROOM);
    let bars: Vec<Bar> = rules
        .iter()
        .zip(0u32..)
        .map(|(rule, row)| Bar {
            rule: rule.id.clone(),
            count: rule.count,
            y: row * CHART_ROW,
            // At most `room`, since count <= most.
            width: u32::try_from(rule.count * room / most).unwrap_or(0),
        })
        .collect();
    let rows = u32::try_from(bars.len()).unwrap_or(u32::MAX);
    Chart {
        width: CHART_WIDTH,
        height: rows.saturating_mul(CHART_ROW).max(CHART_ROW),
        bar_x: CHART_BAR_X,
        bars,
    }
}

/// One table per `--by` field: a row per value, a column per rule that
/// has a violation under some value (every rule side by side would not fit
/// a page; the others are named under the table, as `table` does), the
/// total, and a last row of sums.
fn by_tables<'a>(
    report: &'a Report,
    records_by: Option<&IndexMap<String, IndexMap<String, u64>>>,
) -> Vec<ByTable<'a>> {
    let Some(by) = &report.summary.by else {
        return Vec::new();
    };
    by.iter()
        .map(|(field, values)| {
            let (rules, quiet): (Vec<&str>, Vec<&str>) = report
                .summary
                .violations
                .keys()
                .map(String::as_str)
                .partition(|rule| {
                    values
                        .values()
                        .any(|counts| counts.get(*rule).is_some_and(|n| *n > 0))
                });
            let records = records_by.and_then(|r| r.get(field));
            let rows: Vec<ByRow<'a>> = values
                .iter()
                .map(|(value, counts)| ByRow {
                    value,
                    records: records.and_then(|r| r.get(value).copied()),
                    counts: rules
                        .iter()
                        .map(|rule| counts.get(*rule).copied().unwrap_or(0))
                        .collect(),
                    total: counts.values().sum(),
                })
                .collect();
            let sums = ByRow {
                value: "",
                records: records.map(|r| r.values().sum()),
                counts: (0..rules.len())
                    .map(|i| rows.iter().map(|row| row.counts[i]).sum())
                    .collect(),
                total: rows.iter().map(|row| row.total).sum(),
            };
            ByTable {
                field,
                has_records: records.is_some(),
                rules,
                quiet,
                rows,
                sums,
            }
        })
        .collect()
}

fn filters<'a>(report: &'a Report, context: &HtmlContext<'_>, lang: Lang) -> Filters<'a> {
    let rules = report
        .summary
        .violations
        .keys()
        .filter(|rule| report.violations.iter().any(|v| &v.rule == *rule))
        .map(|rule| Choice {
            value: rule.clone(),
            label: rule.clone(),
        })
        .collect();
    let severities = [
        Severity::Info,
        Severity::Minor,
        Severity::Major,
        Severity::Critical,
    ]
    .into_iter()
    .filter(|severity| report.violations.iter().any(|v| v.severity == *severity))
    .map(|severity| Choice {
        value: severity.as_str().to_string(),
        label: lang.severity(severity).to_string(),
    })
    .collect();
    let by = match (&report.summary.by, context.by_of_record) {
        (Some(by), Some(_)) => by
            .iter()
            .enumerate()
            .map(|(index, (field, values))| ByFilter {
                index,
                field,
                values: values.keys().map(String::as_str).collect(),
            })
            .collect(),
        _ => Vec::new(),
    };
    Filters {
        rules,
        severities,
        by,
    }
}

fn text(value: Option<&Value>, dates: DateStyle) -> String {
    value.map_or_else(|| "—".to_string(), |v| v.text_with(dates))
}

fn items<'v>(values: impl Iterator<Item = (&'v String, Option<&'v Value>)>, dates: DateStyle) -> Vec<Item> {
    values
        .map(|(name, value)| Item {
            name: name.clone(),
            value: text(value, dates),
        })
        .collect()
}

fn violation_row(v: &Violation, by: Vec<String>, lang: Lang) -> ViolationRow {
    let dates = lang.date_style();
    ViolationRow {
        record: v.record,
        key: text(v.key.as_ref(), dates),
        by,
        rule: v.rule.clone(),
        severity: v.severity.as_str(),
        severity_words: lang.severity(v.severity),
        reason: lang.reason(v.reason),
        message: v.message.clone().or_else(|| v.title.clone()).unwrap_or_default(),
        missing: v.missing.join(", "),
        evidence: items(v.values.iter().map(|(k, v)| (k, v.as_ref())), dates),
    }
}

/// A group violation's row; `with_by`: the page has `--by` columns.
fn group_row(g: &GroupViolation, lang: Lang, with_by: bool) -> GroupRow {
    let dates = lang.date_style();
    let mut records: Vec<String> = g.records.iter().map(u64::to_string).collect();
    if g.records_total > g.records.len() as u64 {
        records.push("…".into());
    }
    GroupRow {
        group: items(g.group.iter().map(|(k, v)| (k, Some(v))), dates),
        by: if with_by { g.by.clone() } else { Vec::new() },
        rule: g.rule.clone(),
        severity: g.severity.as_str(),
        severity_words: lang.severity(g.severity),
        reason: lang.reason(g.reason),
        records_total: g.records_total,
        records: records.join(", "),
        key: text(g.key.as_ref(), dates),
        message: g.message.clone().or_else(|| g.title.clone()).unwrap_or_default(),
        missing: g.missing.join(", "),
        evidence: items(g.values.iter().map(|(k, v)| (k, v.as_ref())), dates),
    }
}

fn error_row(e: &ErrorEntry, dates: DateStyle) -> ErrorRow {
    ErrorRow {
        record: e.record,
        key: text(e.key.as_ref(), dates),
        field: e.field.clone().unwrap_or_else(|| "—".into()),
        rule: e.rule.clone().unwrap_or_else(|| "—".into()),
        message: e.message.clone(),
        group: e
            .group
            .iter()
            .flat_map(|group| items(group.iter().map(|(k, v)| (k, Some(v))), dates))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Reason;
    use crate::report::{Report, Summary};

    fn program() -> Program {
        Program::from_source(
            "kiem-tra",
            "key employee_id\n\
             rule on_time {\n  title \"Đến đúng giờ\"\n  check arrival <= 07:30\n  message \"{note}\"\n}\n\
             rule badge {\n  title \"Đeo thẻ\"\n  severity minor\n  check badge_worn\n}\n",
        )
        .unwrap()
    }

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    /// A report as the checker would give it, with what it cannot give yet
    /// (a group violation, totals by unit) made by hand.
    fn report(program: &Program) -> Report {
        let mut report = Report::new(program);
        report.records = 3;
        report.violations.push(Violation {
            record: 2,
            rule: "on_time".into(),
            severity: Severity::Major,
            reason: Reason::Failed,
            missing: vec![],
            key: Some(Value::String("HT-014".into())),
            title: Some("Đến đúng giờ".into()),
            message: Some("<script>alert(1)</script>".into()),
            reference: None,
            values: [
                ("arrival".to_string(), Some(Value::String("07:48".into()))),
                ("date".to_string(), Some(Value::Date(date(2022, 2, 9)))),
            ]
            .into_iter()
            .collect(),
        });
        report.group_violations.push(GroupViolation {
            rule: "on_time".into(),
            severity: Severity::Major,
            reason: Reason::Failed,
            missing: vec![],
            group: [
                ("employee_id".to_string(), Value::String("HT-014".into())),
                ("month_start(date)".to_string(), Value::Date(date(2022, 2, 1))),
            ]
            .into_iter()
            .collect(),
            records: vec![2, 3],
            records_total: 2,
            key: Some(Value::String("HT-014".into())),
            title: None,
            message: Some("đi muộn 4 lần".into()),
            reference: None,
            values: [("violations(on_time)".to_string(), Some(Value::Int(4)))]
                .into_iter()
                .collect(),
            by: vec!["Sở Nội vụ".into()],
        });
        report.errors.push(ErrorEntry {
            record: 3,
            field: Some("arrival".into()),
            rule: None,
            key: None,
            message: "\"7h45\" is not a time".into(),
            group: None,
        });
        report.summary = Summary {
            violations: [("on_time".to_string(), 2), ("badge".to_string(), 0)]
                .into_iter()
                .collect(),
            errors: 1,
            not_checked: [("badge".to_string(), 3)].into_iter().collect(),
            ungrouped: IndexMap::new(),
            by: Some(
                [(
                    "unit".to_string(),
                    [(
                        "Sở <Nội vụ>".to_string(),
                        [("on_time".to_string(), 2), ("badge".to_string(), 0)]
                            .into_iter()
                            .collect(),
                    )]
                    .into_iter()
                    .collect(),
                )]
                .into_iter()
                .collect(),
            ),
        };
        report
    }

    #[test]
    fn every_data_value_is_escaped() {
        let program = program();
        let page = render_html(
            &report(&program),
            &program,
            &HtmlContext::new(date(2022, 2, 9), Lang::Vi),
        )
        .unwrap();
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
        assert!(page.contains("Sở &lt;Nội vụ&gt;"));
        // The page's own script is the only one.
        assert_eq!(page.matches("<script").count(), 1);
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        let program = program();
        let page = render_html(
            &report(&program),
            &program,
            &HtmlContext::new(date(2022, 2, 9), Lang::En),
        )
        .unwrap();
        assert!(page.contains(
            "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\""
        ));
        for reference in ["http:", "https:", "src=", "href=", "url(", "@import"] {
            assert!(!page.contains(reference), "{reference}");
        }
    }

    #[test]
    fn vietnamese_pages_print_their_dates_day_first() {
        let program = program();
        let report = report(&program);
        let vi = render_html(&report, &program, &HtmlContext::new(date(2022, 3, 1), Lang::Vi)).unwrap();
        // The check's date, a group value, and evidence (`/` escaped).
        for shown in [
            "01&#x2f;03&#x2f;2022",
            "01&#x2f;02&#x2f;2022",
            "09&#x2f;02&#x2f;2022",
        ] {
            assert!(vi.contains(shown), "{shown}");
        }
        assert!(!vi.contains("2022-02-09"));
        assert!(vi.contains("Trưởng đoàn kiểm tra") && vi.contains("Người lập báo cáo"));
        assert!(vi.contains("(Ký, ghi rõ họ tên)"));
        assert!(vi.contains("Nghiêm trọng") && vi.contains("Không đạt") && vi.contains("Lỗi dữ liệu"));
        let en = render_html(&report, &program, &HtmlContext::new(date(2022, 3, 1), Lang::En)).unwrap();
        for shown in ["2022-03-01", "2022-02-01", "2022-02-09"] {
            assert!(en.contains(shown), "{shown}");
        }
        assert!(en.contains("Head of the inspection team"));
    }

    #[test]
    fn every_section_shows_its_entries() {
        let program = program();
        let report = report(&program);
        let files = ["thang-02.csv".to_string()];
        let mut context = HtmlContext::new(date(2022, 3, 1), Lang::En);
        context.data_files = &files;
        let page = render_html(&report, &program, &context).unwrap();
        assert!(page.contains("<dd id=\"ruleset\">kiem-tra</dd>"));
        assert!(page.contains("<code>thang-02.csv</code>"));
        assert!(page.contains("<dd id=\"records\" data-total=\"records\">3</dd>"));
        assert!(page.contains("data-total-rule=\"on_time\">2</td>"));
        assert!(page.contains("data-total-rule=\"badge\">0</td>"));
        assert!(page.contains("data-total=\"errors\">1</td>"));
        // Titles beside the totals; the bar chart.
        assert!(page.contains("<td>Đến đúng giờ</td>") && page.contains("<td>Đeo thẻ</td>"));
        assert_eq!(page.matches("<rect ").count(), 2);
        // Totals by unit, the group violation, the error with no key, the
        // rule not checked.
        assert!(page.contains("data-by-field=\"unit\""));
        assert!(page.contains("violations(on_time)</code> = 4"));
        assert!(page.contains("đi muộn 4 lần"));
        assert!(page.contains("&quot;7h45&quot; is not a time"));
        assert!(page.contains("id=\"not-checked\""));
        assert!(!page.contains("id=\"ungrouped\""));
        // No by-values were given for the records: no by-columns or filters.
        assert!(!page.contains("data-filter=\"by0\""));
    }

    #[test]
    fn by_values_of_records_make_columns_and_filters() {
        let program = program();
        let report = report(&program);
        let by: IndexMap<u64, Vec<String>> = [(2, vec!["Sở <Nội vụ>".to_string()])].into_iter().collect();
        let mut context = HtmlContext::new(date(2022, 3, 1), Lang::En);
        context.by_of_record = Some(&by);
        let page = render_html(&report, &program, &context).unwrap();
        assert!(page.contains("data-filter=\"by0\""));
        assert!(page.contains("<option value=\"Sở &lt;Nội vụ&gt;\">"));
        assert!(page.contains("data-by0=\"Sở &lt;Nội vụ&gt;\""));
    }

    #[test]
    fn records_per_by_value_make_a_column_when_known() {
        let program = program();
        let report = report(&program);
        let context = HtmlContext::new(date(2022, 3, 1), Lang::Vi);
        let without = render_html(&report, &program, &context).unwrap();
        let records: IndexMap<String, IndexMap<String, u64>> = [(
            "unit".to_string(),
            [("Sở <Nội vụ>".to_string(), 3)].into_iter().collect(),
        )]
        .into_iter()
        .collect();
        let mut context = HtmlContext::new(date(2022, 3, 1), Lang::Vi);
        context.records_by = Some(&records);
        let with = render_html(&report, &program, &context).unwrap();
        let row = "<tr><td>Sở &lt;Nội vụ&gt;</td><td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">2</td></tr>";
        assert!(with.contains(row), "{with}");
        assert!(!without.contains(row));
        assert!(without.contains("<tr><td>Sở &lt;Nội vụ&gt;</td><td class=\"n\">2</td>"));
        // badge has no violation under any unit: no column, named below.
        assert!(with.contains("Không có vi phạm: <code>badge</code>"));
        assert!(
            with.contains("<tr class=\"sum\"><td>Tổng cộng</td><td class=\"n\">3</td><td class=\"n\">2</td>")
        );
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let program = program();
        let report = report(&program);
        let context = HtmlContext::new(date(2022, 3, 1), Lang::Vi);
        assert_eq!(
            render_html(&report, &program, &context).unwrap(),
            render_html(&report, &program, &context).unwrap()
        );
    }
}
