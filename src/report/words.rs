//! The words of the reports written for people (`table` and `html`), in
//! each language `--lang` offers: one table, so that a heading is
//! translated once for both formats.

use serde::Serialize;

use crate::eval::Reason;
use crate::semantics::value::DateStyle;
use crate::syntax::Severity;

/// The language of a report written for people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English: the words the command has always printed.
    #[default]
    En,
    /// Vietnamese, with dates as `09/02/2022`.
    Vi,
}

/// Every heading and label of `table` and `html`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Words {
    /// The `lang` attribute of the html page.
    pub code: &'static str,
    /// The html page's heading.
    pub report_title: &'static str,
    /// The rule set, in the page's header.
    pub ruleset: &'static str,
    /// The data files, in the page's header.
    pub data_files: &'static str,
    /// The date of the check, in the page's header.
    pub check_date: &'static str,
    /// How many records were checked.
    pub records_checked: &'static str,
    /// The section of totals per rule (html).
    pub totals_per_rule: &'static str,
    /// The totals section of `table`.
    pub totals: &'static str,
    /// A count column of records.
    pub records: &'static str,
    /// A record's number.
    pub record: &'static str,
    /// The record's key.
    pub key: &'static str,
    /// A rule.
    pub rule: &'static str,
    /// A rule's title.
    pub title: &'static str,
    /// A rule's severity.
    pub severity: &'static str,
    /// Failed or missing.
    pub reason: &'static str,
    /// The rule's message.
    pub message: &'static str,
    /// `table`'s last column: the message, or else what is missing.
    pub detail: &'static str,
    /// The values a rule read.
    pub evidence: &'static str,
    /// The violations' heading.
    pub violations_heading: &'static str,
    /// A count column of violations.
    pub violations: &'static str,
    /// No violation was found.
    pub no_violations: &'static str,
    /// Before the rules without a violation under any value of a `--by`
    /// field.
    pub no_violations_of: &'static str,
    /// The values column of a `--by` table.
    pub value: &'static str,
    /// The sum row.
    pub total: &'static str,
    /// Before a `--by` field's name: "Totals by unit".
    pub totals_by: &'static str,
    /// The violations of group rules.
    pub group_violations: &'static str,
    /// A group's `per` values.
    pub group: &'static str,
    /// The error entries.
    pub errors: &'static str,
    /// `table`'s count of error entries: `errors: 3`.
    pub errors_count: &'static str,
    /// A field with a data error.
    pub field: &'static str,
    /// What went wrong.
    pub error: &'static str,
    /// Rules not checked, with why.
    pub not_checked: &'static str,
    /// Records in no group of a group rule, with why.
    pub ungrouped: &'static str,
    /// Before the missing fields of a `missing` violation.
    pub missing_fields: &'static str,
    /// The filters' heading.
    pub filter: &'static str,
    /// A filter's "no filter" choice.
    pub all: &'static str,
    /// Between the rows shown and all rows: "12 of 40".
    pub shown_of: &'static str,
    /// The signature of the inspection team's leader.
    pub team_leader: &'static str,
    /// The signature of the report's author.
    pub author: &'static str,
    /// Under each signature.
    pub sign_here: &'static str,
}

const EN: Words = Words {
    code: "en",
    report_title: "Inspection report",
    ruleset: "Rule set",
    data_files: "Data files",
    check_date: "Date of the check",
    records_checked: "Records checked",
    totals_per_rule: "Violations per rule",
    totals: "Totals",
    records: "records",
    record: "record",
    key: "key",
    rule: "rule",
    title: "title",
    severity: "severity",
    reason: "reason",
    message: "message",
    detail: "detail",
    evidence: "evidence",
    violations_heading: "Violations",
    violations: "violations",
    no_violations: "No violations.",
    no_violations_of: "no violations",
    value: "value",
    total: "total",
    totals_by: "Totals by",
    group_violations: "Group violations",
    group: "group",
    errors: "Errors",
    errors_count: "errors",
    field: "field",
    error: "error",
    not_checked: "Not checked (a field the rule reads is not in the data)",
    ungrouped: "In no group (a `per` value is missing or an error)",
    missing_fields: "missing",
    filter: "Filter",
    all: "all",
    shown_of: "of",
    team_leader: "Head of the inspection team",
    author: "Author of the report",
    sign_here: "(Signature and full name)",
};

const VI: Words = Words {
    code: "vi",
    report_title: "Báo cáo kết quả kiểm tra",
    ruleset: "Bộ quy tắc",
    data_files: "Tệp dữ liệu",
    check_date: "Ngày kiểm tra",
    records_checked: "Số bản ghi đã kiểm tra",
    totals_per_rule: "Vi phạm theo quy tắc",
    totals: "Tổng hợp",
    records: "Số bản ghi",
    record: "Bản ghi",
    key: "Khóa",
    rule: "Quy tắc",
    title: "Tên quy tắc",
    severity: "Mức độ",
    reason: "Lý do",
    message: "Nội dung",
    detail: "Chi tiết",
    evidence: "Giá trị ghi nhận",
    violations_heading: "Vi phạm",
    violations: "Số vi phạm",
    no_violations: "Không có vi phạm.",
    no_violations_of: "Không có vi phạm",
    value: "Giá trị",
    total: "Tổng cộng",
    totals_by: "Tổng hợp theo",
    group_violations: "Vi phạm theo nhóm",
    group: "Nhóm",
    errors: "Lỗi dữ liệu",
    errors_count: "Lỗi dữ liệu",
    field: "Trường dữ liệu",
    error: "Lỗi",
    not_checked: "Không kiểm tra được (dữ liệu không có trường mà quy tắc cần đọc)",
    ungrouped: "Không thuộc nhóm nào (giá trị của `per` bị thiếu hoặc lỗi)",
    missing_fields: "Thiếu dữ liệu",
    filter: "Lọc",
    all: "Tất cả",
    shown_of: "trên",
    team_leader: "Trưởng đoàn kiểm tra",
    author: "Người lập báo cáo",
    sign_here: "(Ký, ghi rõ họ tên)",
};

impl Lang {
    /// The language `--lang` names: `vi` or `en`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "vi" => Some(Lang::Vi),
            _ => None,
        }
    }

    /// Every heading and label in this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Vi => &VI,
        }
    }

    /// How this language's reports print the dates they print themselves.
    pub fn date_style(self) -> DateStyle {
        match self {
            Lang::En => DateStyle::Iso,
            Lang::Vi => DateStyle::DayMonthYear,
        }
    }

    /// A severity in words (in English, as rules write it).
    pub fn severity(self, severity: Severity) -> &'static str {
        match (self, severity) {
            (Lang::En, s) => s.as_str(),
            (Lang::Vi, Severity::Info) => "Thông tin",
            (Lang::Vi, Severity::Minor) => "Nhẹ",
            (Lang::Vi, Severity::Major) => "Nghiêm trọng",
            (Lang::Vi, Severity::Critical) => "Đặc biệt nghiêm trọng",
        }
    }

    /// A reason in words (in English, as JSON writes it).
    pub fn reason(self, reason: Reason) -> &'static str {
        match (self, reason) {
            (Lang::En, r) => r.as_str(),
            (Lang::Vi, Reason::Failed) => "Không đạt",
            (Lang::Vi, Reason::Missing) => "Thiếu dữ liệu",
        }
    }

    /// The first line of `table`: the rule set and how many records.
    pub fn records_checked_line(self, ruleset: &str, records: u64) -> String {
        match self {
            Lang::En => format!("ruleset {ruleset}: {records} records checked"),
            Lang::Vi => format!("Bộ quy tắc {ruleset}: đã kiểm tra {records} bản ghi"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_translated() {
        let en = serde_json::to_value(Lang::En.words()).unwrap();
        let vi = serde_json::to_value(Lang::Vi.words()).unwrap();
        let (en, vi) = (en.as_object().unwrap(), vi.as_object().unwrap());
        for (name, english) in en {
            let vietnamese = &vi[name];
            assert!(!vietnamese.as_str().unwrap().is_empty(), "{name}");
            // Codes differ; a label left in English would be the same text.
            assert_ne!(english, vietnamese, "{name} is not translated");
        }
        for severity in [
            Severity::Info,
            Severity::Minor,
            Severity::Major,
            Severity::Critical,
        ] {
            assert_ne!(Lang::Vi.severity(severity), Lang::En.severity(severity));
        }
        assert_eq!(Lang::Vi.severity(Severity::Major), "Nghiêm trọng");
        assert_eq!(Lang::Vi.reason(Reason::Failed), "Không đạt");
        assert_eq!(Lang::Vi.reason(Reason::Missing), "Thiếu dữ liệu");
    }

    #[test]
    fn codes_name_their_language() {
        assert_eq!(Lang::from_code("vi"), Some(Lang::Vi));
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::Vi.words().code, "vi");
    }
}
