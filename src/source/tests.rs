use super::*;
use crate::semantics::cell::Cell;
use crate::semantics::value::Value;

fn program(rules: &str) -> Program {
    Program::from_source("t.rules", rules).expect("rules compile")
}

fn compile(program: &Program, text: &str) -> Result<Source, CompileError> {
    Source::from_text(program, "m.source", text)
}

fn first_error(program: &Program, text: &str) -> String {
    match compile(program, text) {
        Ok(_) => panic!("compiled: {text}"),
        Err(e) => e.diagnostics[0].render(),
    }
}

/// The cells one text of the `column`-th column line gives, by field name.
fn read(
    program: &Program,
    source: &Source,
    column: usize,
    text: &str,
) -> Vec<(String, Option<Value>, Option<String>)> {
    let mut out = Vec::new();
    source.readings[column].read_text(text, |slot, cell| {
        let error = match &cell {
            Cell::Error(e) => Some(e.clone()),
            _ => None,
        };
        out.push((program.schema.slots[slot].name.clone(), cell.to_value(), error));
    });
    out
}

fn value_of(program: &Program, source: &Source, column: usize, text: &str) -> Option<Value> {
    read(program, source, column, text).pop().and_then(|(_, v, _)| v)
}

fn error_of(program: &Program, source: &Source, column: usize, text: &str) -> String {
    read(program, source, column, text)
        .pop()
        .and_then(|(_, _, e)| e)
        .unwrap_or_else(|| panic!("no error for {text:?}"))
}

const ATTENDANCE: &str = r#"
field date: date
field badge_worn: bool
field arrival: time
rule on_time {
  when  weekday(date) in 1..5
  check arrival <= 07:30
}
rule badge: badge_worn required
rule alcohol: breath_alcohol <= 0.0
"#;

#[test]
fn the_contract_example_compiles() {
    let p = program(ATTENDANCE);
    let source = compile(
        &p,
        r#"
source "may-cham-cong"                  # optional; default name = file stem
header_row 3
delimiter ";"
encoding "windows-1258"

column "Mã NV"       -> employee_id
column "Ngày"        -> date        format "%d/%m/%Y"
column "Giờ vào"     -> arrival     format "%H:%M:%S"
column "Check-in"    -> arrival     format "%I:%M %p"   # another export's name for it
column "Thời điểm"   -> visit_day, visit_time  format "%d/%m/%Y %H:%M"
column "Đeo thẻ"     -> badge_worn  yes ["Có", "x"] no ["Không"]
column "Nồng độ cồn" -> breath_alcohol  decimal_comma
column "Giờ ra"      -> departure   format "%H:%M:%S"  missing ["--:--"]
missing ["N/A", "-"]                    # words that mean "no value" in every column
observes employee_id, full_name, unit, date, arrival, departure, badge_worn
"#,
    )
    .expect("compiles");
    assert_eq!(source.name(), "may-cham-cong");
    assert_eq!(source.header_row(), Some(3));
    assert_eq!(source.delimiter(), b';');
    assert_eq!(source.encoding(), Encoding::Windows1258);
    assert_eq!(source.readings.len(), 8);
    // The list that starts a line is every column's, not only "Giờ ra"'s.
    assert_eq!(source.readings[7].words.lookup("--:--"), Word::Missing);
    assert_eq!(source.readings[6].words.lookup("--:--"), Word::Other);
    assert_eq!(source.readings[0].words.lookup("N/A"), Word::Missing);
    assert_eq!(source.observes.as_ref().map(Vec::len), Some(7));
}

#[test]
fn headers_are_found_like_headers() {
    let p = program(ATTENDANCE);
    let source = compile(
        &p,
        "column \"Mã NV\" -> employee_id\ncolumn \"Đeo thẻ\" -> badge_worn yes [\"Có\"]",
    )
    .unwrap();
    assert_eq!(source.column(&p, " mã nv "), ColumnMatch::Named(0));
    assert_eq!(source.column(&p, "ĐEO THẺ"), ColumnMatch::Named(1));
    let arrival = p.schema.slots.iter().position(|s| s.name == "arrival").unwrap();
    assert_eq!(source.column(&p, "Arrival"), ColumnMatch::Field(arrival));
    assert_eq!(source.column(&p, "Họ và tên"), ColumnMatch::Unread);
    assert_eq!(source.column(&p, "  "), ColumnMatch::Empty);
}

#[test]
fn formats_words_and_decimal_commas_read_values() {
    let p = program(ATTENDANCE);
    let source = compile(
        &p,
        r#"
column "Ngày" -> date format "%d/%m/%Y"
column "Giờ vào" -> arrival format "%H:%M:%S" missing ["--:--"]
column "Đeo thẻ" -> badge_worn yes ["Có", "x"] no ["Không", ""]
column "Cồn" -> breath_alcohol decimal_comma
missing ["N/A"]
"#,
    )
    .unwrap();
    let date = |s: &str| crate::semantics::value::parse_date(s).map(Value::Date);
    let time = |s: &str| crate::semantics::value::parse_time(s).map(Value::Time);
    assert_eq!(value_of(&p, &source, 0, "09/02/2022"), date("2022-02-09"));
    assert_eq!(value_of(&p, &source, 0, " n/a "), None);
    assert_eq!(value_of(&p, &source, 1, "07:42:10"), time("07:42:10"));
    assert_eq!(value_of(&p, &source, 1, "--:--"), None);
    assert_eq!(value_of(&p, &source, 2, "không"), Some(Value::Bool(false)));
    assert_eq!(value_of(&p, &source, 2, "X"), Some(Value::Bool(true)));
    assert_eq!(value_of(&p, &source, 2, "TRUE"), Some(Value::Bool(true)));
    // `""` among the no words: a blank cell is a no, not missing.
    assert_eq!(value_of(&p, &source, 2, "  "), Some(Value::Bool(false)));
    assert_eq!(
        value_of(&p, &source, 3, "0,15"),
        Some(Value::Decimal(rust_decimal::Decimal::new(15, 2)))
    );
    let mismatch = error_of(&p, &source, 1, "7h45");
    assert!(
        mismatch.contains("\"7h45\" does not match the format \"%H:%M:%S\" of column \"Giờ vào\""),
        "{mismatch}"
    );
    let word = error_of(&p, &source, 2, "Có lẽ");
    assert!(word.contains("Có, x, Không"), "{word}");
    let point = error_of(&p, &source, 3, "1.234");
    assert!(point.contains("decimal_comma"), "{point}");
}

#[test]
fn a_split_column_gives_a_date_and_a_time() {
    let p = program("rule r: visit_day <= 2022-12-31 and visit_time <= 17:00");
    let source = compile(
        &p,
        r#"column "Thời điểm" -> visit_day, visit_time format "%d/%m/%Y %H:%M""#,
    )
    .unwrap();
    let cells = read(&p, &source, 0, "09/02/2022 16:30");
    assert_eq!(cells.len(), 2);
    assert_eq!(
        cells[0].1,
        crate::semantics::value::parse_date("2022-02-09").map(Value::Date)
    );
    assert_eq!(
        cells[1].1,
        crate::semantics::value::parse_time("16:30").map(Value::Time)
    );
    let errors = read(&p, &source, 0, "hôm qua");
    assert!(errors
        .iter()
        .all(|(_, _, e)| e.as_deref().is_some_and(|e| e.contains("Thời điểm"))));
}

#[test]
fn options_give_a_field_of_no_type_its_type() {
    let p = program("rule badge: badge_worn required\nrule seen: seen_at present");
    let source = compile(
        &p,
        "column \"Đeo thẻ\" -> badge_worn no [\"Không\"]\ncolumn \"Lúc\" -> seen_at format \"%H:%M\"",
    )
    .unwrap();
    assert_eq!(value_of(&p, &source, 0, "Không"), Some(Value::Bool(false)));
    assert_eq!(
        value_of(&p, &source, 1, "7:05"),
        crate::semantics::value::parse_time("07:05").map(Value::Time)
    );
}

#[test]
fn bad_source_files_are_compile_errors_at_their_place() {
    let p = program(ATTENDANCE);
    for (text, says) in [
        (
            "column \"Mã NV\" -> employee_id\ncolumn \" mã nv\" -> unit",
            "m.source:2:8: error: duplicate header",
        ),
        ("field x: int", "m.source:1:1: error: expected a source statement"),
        ("colum \"A\" -> a", "did you mean `column`?"),
        (
            "column \"A\" -> badge_worn format \"%d/%m/%Y\"",
            "is a bool in the rules, but `format` reads dates",
        ),
        (
            "column \"A\" -> arrival format \"%d/%m/%Y\"",
            "is a time in the rules, but `format` reads dates",
        ),
        (
            "column \"A\" -> date format \"%m/%Y\"",
            "m.source:1:27: error: a date needs a day",
        ),
        (
            "column \"A\" -> arrival yes [\"x\"]",
            "`yes`/`no` reads true and false",
        ),
        (
            "column \"A\" -> badge_worn yes [\"Có\"] no [\"có\"]",
            "is in both the `yes` and the `no` words",
        ),
        (
            "column \"A\" -> badge_worn yes [\"x\"] yes [\"y\"]",
            "`yes` is given twice in this column",
        ),
        ("column \"A\" -> d, t", "needs a `format` that has both"),
        (
            "column \"A\" -> d, t format \"%d/%m/%Y\"",
            "needs a format that has both",
        ),
        ("column \"A\" -> x format \"%d/%m/%Y %H:%M\"", "has no type"),
        ("encoding \"utf8\"", "did you mean \"utf-8\"?"),
        ("delimiter \";;\"", "one character"),
        ("header_row 0", "counts rows from 1"),
        ("header_row 2\nheader_row 3", "`header_row` is given twice"),
        ("missing [\"-\"]\nmissing [\"N/A\"]", "`missing` is given twice"),
        (
            "column \"A\" -> a format \"%H\" fromat \"x\"",
            "m.source:1:29: error: expected a column option",
        ),
    ] {
        let rendered = first_error(&p, text);
        assert!(rendered.contains(says), "{text}\n{rendered}");
    }
}

#[test]
fn a_field_close_to_one_the_rules_read_is_a_warning() {
    let p = program(ATTENDANCE);
    let source = compile(&p, "column \"Đeo thẻ\" -> badge_wron\nobserves arival, full_name").unwrap();
    let warnings: Vec<String> = source.warnings().iter().map(|w| w.render()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("m.source:1:21: warning: the column gives field `badge_wron`, which no rule reads: did you mean `badge_worn`?"), "{}", warnings[0]);
    assert!(warnings[1].contains("did you mean `arrival`?"), "{}", warnings[1]);
}
