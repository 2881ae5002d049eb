//! Spreadsheets as input (contract §8, "Spreadsheets"): typed cells read as
//! their field's type, merged ranges, the header row, `--sheet`, empty rows
//! and sheets, and workbooks that cannot be read; and a property: one data
//! set gives the same report as NDJSON, as CSV through a source and as XLSX
//! through the same source.
//!
//! Every workbook is built here: `.xlsx` with rust_xlsxwriter, `.ods` as a
//! zip of hand-written XML. Nothing can write a real `.xls`, so only its
//! error paths are tested.

mod common;

use std::io::{Cursor, Write};
use std::process::{Command, Stdio};

use civrules::{Captured, Checker, InputError, InputFormat, InputWarning, Program, Report, Source};
use common::{Dir, Out};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Building workbooks
// ---------------------------------------------------------------------------

/// One cell of a test sheet, as the workbook types it.
#[derive(Clone, Debug)]
enum C {
    Blank,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(u16, u8, u8),
    /// A time of day with milliseconds.
    Time(u16, u8, u8, u16),
    DateTime(u16, u8, u8, u16, u8, u8),
    /// A formula whose cached result is an error value (`#DIV/0!`).
    Error(&'static str, &'static str),
}

fn t(text: &str) -> C {
    C::Text(text.to_string())
}

/// A sheet: its name, its rows from row 1 and column A, and its merged
/// ranges (first row, first column, last row, last column, from 0) with
/// the text of each.
#[derive(Clone)]
struct SheetSpec {
    name: &'static str,
    rows: Vec<Vec<C>>,
    merged: Vec<(u32, u16, u32, u16, &'static str)>,
}

fn sheet(name: &'static str, rows: Vec<Vec<C>>) -> SheetSpec {
    SheetSpec {
        name,
        rows,
        merged: Vec::new(),
    }
}

fn xlsx(sheets: &[SheetSpec]) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("hh:mm:ss");
    let date_time = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    for spec in sheets {
        let ws = book.add_worksheet();
        ws.set_name(spec.name).expect("a sheet name");
        for &(r1, c1, r2, c2, text) in &spec.merged {
            ws.merge_range(r1, c1, r2, c2, text, &Format::new())
                .expect("a merged range");
        }
        for (r, row) in spec.rows.iter().enumerate() {
            let r = r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    C::Blank => continue,
                    C::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    C::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                    C::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    C::Date(y, m, d) => {
                        let value = ExcelDateTime::from_ymd(*y, *m, *d).expect("a date");
                        ws.write_datetime_with_format(r, c, &value, &date).map(|_| ())
                    }
                    C::Time(h, m, s, ms) => {
                        let value = ExcelDateTime::from_hms_milli(*h, *m, *s, *ms).expect("a time");
                        ws.write_datetime_with_format(r, c, &value, &time).map(|_| ())
                    }
                    C::DateTime(y, mo, d, h, mi, s) => {
                        let value = ExcelDateTime::from_ymd(*y, *mo, *d)
                            .and_then(|v| v.and_hms(*h, *mi, *s))
                            .expect("a date-time");
                        ws.write_datetime_with_format(r, c, &value, &date_time)
                            .map(|_| ())
                    }
                    C::Error(formula, result) => ws
                        .write_formula(r, c, Formula::new(*formula).set_result(*result))
                        .map(|_| ()),
                }
                .expect("write a cell");
            }
        }
    }
    book.save_to_buffer().expect("an xlsx in memory")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal OpenDocument spreadsheet: mimetype, content.xml and the
/// manifest, stored uncompressed.
fn ods(sheets: &[SheetSpec]) -> Vec<u8> {
    ods_with(sheets, false)
}

/// [`ods`], its content marked encrypted in the manifest when `encrypted`
/// (as LibreOffice marks a file saved with a password).
fn ods_with(sheets: &[SheetSpec], encrypted: bool) -> Vec<u8> {
    let mut tables = String::new();
    for spec in sheets {
        tables.push_str(&format!("<table:table table:name=\"{}\">", escape(spec.name)));
        let mut rows = spec.rows.clone();
        for &(r1, c1, r2, c2, text) in &spec.merged {
            for r in r1..=r2 {
                let r = r as usize;
                if rows.len() <= r {
                    rows.resize(r + 1, Vec::new());
                }
                if rows[r].len() <= c2 as usize {
                    rows[r].resize(c2 as usize + 1, C::Blank);
                }
            }
            rows[r1 as usize][c1 as usize] = t(text);
        }
        for (r, row) in rows.iter().enumerate() {
            tables.push_str("<table:table-row>");
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let merged = spec
                    .merged
                    .iter()
                    .find(|m| (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c));
                if let Some(&(r1, c1, r2, c2, text)) = merged {
                    // The top-left cell spans the range; the others are covered.
                    if (r, c) == (r1, c1) {
                        tables.push_str(&format!(
                            "<table:table-cell office:value-type=\"string\" table:number-columns-spanned=\"{}\" \
                             table:number-rows-spanned=\"{}\"><text:p>{}</text:p></table:table-cell>",
                            c2 - c1 + 1,
                            r2 - r1 + 1,
                            escape(text)
                        ));
                    } else {
                        tables.push_str("<table:covered-table-cell/>");
                    }
                    continue;
                }
                let xml = match cell {
                    C::Blank => "<table:table-cell/>".to_string(),
                    C::Text(s) => format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        escape(s)
                    ),
                    C::Number(n) => format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                    ),
                    C::Bool(b) => format!(
                        "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"{b}\"><text:p>{}</text:p></table:table-cell>",
                        if *b { "TRUE" } else { "FALSE" }
                    ),
                    C::Date(y, m, d) => format!(
                        "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{d:02}/{m:02}/{y}</text:p></table:table-cell>"
                    ),
                    C::Time(h, m, s, ms) => format!(
                        "<table:table-cell office:value-type=\"time\" office:time-value=\"PT{h:02}H{m:02}M{s:02}.{ms:03}S\"><text:p>{h:02}:{m:02}:{s:02}</text:p></table:table-cell>"
                    ),
                    C::DateTime(y, mo, d, h, mi, s) => format!(
                        "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}\"><text:p>x</text:p></table:table-cell>"
                    ),
                    // How LibreOffice writes a formula whose result is an error.
                    C::Error(formula, result) => format!(
                        "<table:table-cell table:formula=\"of:{}\" office:value-type=\"string\" office:string-value=\"\" calcext:value-type=\"error\"><text:p>{result}</text:p></table:table-cell>",
                        escape(formula)
                    ),
                };
                tables.push_str(&xml);
            }
            tables.push_str("</table:table-row>");
        }
        tables.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content \
           xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
           xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
           xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
           xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\" \
           office:version=\"1.2\">\
         <office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>\
         </office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">ENCRYPTION</manifest:file-entry>\
        </manifest:manifest>";
    let manifest = manifest.replace(
        "ENCRYPTION",
        if encrypted {
            "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" manifest:checksum=\"AAAA\"/>"
        } else {
            ""
        },
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_str()),
        ("META-INF/manifest.xml", manifest.as_str()),
    ] {
        zip.start_file(name, stored).expect("a zip entry");
        zip.write_all(text.as_bytes()).expect("write a zip entry");
    }
    zip.finish().expect("an ods in memory").into_inner()
}

// ---------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------

/// Checks `bytes` in `format` (and through `source`, compiled for
/// `program`) with the library; the report, or why the input is unreadable.
fn check(
    program: &Program,
    source: Option<&str>,
    bytes: &[u8],
    format: InputFormat,
    sheet: Option<&str>,
) -> Result<(Report, Vec<InputWarning>), InputError> {
    let source =
        source.map(|text| Source::from_text(program, "test.source", text).expect("the source compiles"));
    let mut checker = Checker::new(program);
    if let Some(source) = &source {
        checker = checker.with_source(source).expect("the source's program");
    }
    let input = checker.open_input_sheet(bytes, format, sheet)?;
    let warnings = input.warnings().to_vec();
    let mut report = Report::new(program);
    checker.check_input(input, |r| {
        report.push(r);
        Ok::<_, InputError>(())
    })?;
    report.finish(checker.records(), checker.summary());
    Ok((report, warnings))
}

/// Record `number` of `bytes` as read (read through `source`, if any).
fn captured(
    program: &Program,
    source: Option<&str>,
    bytes: &[u8],
    format: InputFormat,
    number: u64,
) -> Captured {
    let source =
        source.map(|text| Source::from_text(program, "test.source", text).expect("the source compiles"));
    let mut checker = Checker::new(program).capturing(number);
    if let Some(source) = &source {
        checker = checker.with_source(source).expect("the source's program");
    }
    let input = checker.open_input(bytes, format).expect("a readable workbook");
    checker
        .check_input(input, |_| Ok::<_, InputError>(()))
        .expect("checked");
    checker.take_captured().expect("the record was read")
}

/// The record a JSON object reads as.
fn from_json(program: &Program, json: &Value) -> civrules::Record<'static> {
    program.record_from_json(json).expect("an object").into_owned()
}

fn errors(report: &Report) -> Vec<(u64, Option<String>, Option<String>, String)> {
    report
        .errors
        .iter()
        .map(|e| (e.record, e.field.clone(), e.rule.clone(), e.message.clone()))
        .collect()
}

fn violations(report: &Report) -> Vec<(u64, String)> {
    report
        .violations
        .iter()
        .map(|v| (v.record, v.rule.clone()))
        .collect()
}

/// Writes `bytes` to `name` in the test's folder.
fn put(dir: &Dir, name: &str, bytes: &[u8]) {
    std::fs::write(dir.path.join(name), bytes).expect("write a test file");
}

/// Runs the command with `input` on standard input.
fn run_stdin(dir: &Dir, args: &[&str], input: &[u8]) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_civrules"))
        .args(args)
        .current_dir(&dir.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start civrules");
    let mut stdin = child.stdin.take().expect("stdin");
    if let Err(e) = stdin.write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    drop(stdin);
    let output = child.wait_with_output().expect("wait for civrules");
    Out {
        code: output.status.code().expect("civrules exited"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

fn json_out(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{out:?}"))
}

// ---------------------------------------------------------------------------
// Typed cells
// ---------------------------------------------------------------------------

const TYPED_RULES: &str = "
    key employee_id
    field date: date
    field arrival: time
    field departure: time
    field badge_worn: bool
    field hours: decimal
    field visits: int
    field day_text: string
    field clock_text: string
    field worked: duration
    rule on_time: arrival <= 07:30
    rule full_day: departure - arrival >= 8h
    rule badge: badge_worn required
    rule weekday: weekday(date) in 1..5
    rule hours_known: hours present and visits present and worked present
    rule texts: day_text present and clock_text present and note present and full_name present
";

fn typed_header() -> Vec<C> {
    [
        "employee_id",
        "full_name",
        "date",
        "arrival",
        "departure",
        "badge_worn",
        "hours",
        "visits",
        "day_text",
        "clock_text",
        "worked",
        "note",
    ]
    .iter()
    .map(|h| t(h))
    .collect()
}

fn typed_rows() -> Vec<Vec<C>> {
    vec![
        typed_header(),
        vec![
            C::Number(1001.0),
            t("Nguyễn Văn An"),
            C::Date(2022, 2, 9),
            // A date-time in a time field gives its time.
            C::DateTime(2022, 2, 9, 7, 42, 10),
            C::Time(17, 5, 30, 0),
            C::Bool(true),
            C::Number(7.75),
            C::Number(3.0),
            C::Date(2022, 2, 9),
            C::Time(7, 30, 0, 0),
            C::Time(8, 30, 0, 0),
            C::Number(12.5),
        ],
        vec![
            t("NV-0002"),
            t("Trần Thị Bình"),
            // Text cells read as in CSV.
            t("2022-02-10"),
            // Times round to the second, half a second up.
            C::Time(7, 29, 59, 500),
            C::Time(15, 29, 59, 499),
            t("false"),
            t("8"),
            t("4"),
            t("x"),
            t("07:31"),
            t("1h30m"),
            C::Bool(false),
        ],
    ]
}

#[test]
fn typed_cells_read_as_the_same_record_written_in_literal_forms() {
    let program = Program::from_source("typed.rules", TYPED_RULES).unwrap();
    let book = xlsx(&[sheet("Chấm công", typed_rows())]);
    let first = json!({
        "employee_id": "1001", "full_name": "Nguyễn Văn An", "date": "2022-02-09",
        "arrival": "07:42:10", "departure": "17:05:30", "badge_worn": true,
        "hours": 7.75, "visits": 3, "day_text": "2022-02-09", "clock_text": "07:30",
        "worked": "8h30m", "note": "12.5"
    });
    let second = json!({
        "employee_id": "NV-0002", "full_name": "Trần Thị Bình", "date": "2022-02-10",
        "arrival": "07:30:00", "departure": "15:29:59", "badge_worn": false,
        "hours": 8, "visits": 4, "day_text": "x", "clock_text": "07:31",
        "worked": "1h30m", "note": false
    });
    for (number, expected) in [(1, first), (2, second)] {
        match captured(&program, None, &book, InputFormat::Xlsx, number) {
            Captured::Record(record) => assert_eq!(record, from_json(&program, &expected), "record {number}"),
            other => panic!("record {number}: {other:?}"),
        }
    }
    let (report, warnings) = check(&program, None, &book, InputFormat::Xlsx, None).unwrap();
    assert_eq!(warnings, []);
    assert_eq!(report.records, 2);
    assert_eq!(errors(&report), []);
    assert_eq!(
        violations(&report),
        [(1, "on_time".into()), (2, "full_day".into()), (2, "badge".into())]
    );
    // The key of a number cell is its text.
    assert_eq!(
        serde_json::to_value(&report.violations[0].key).unwrap(),
        json!("1001")
    );
}

#[test]
fn cells_a_field_cannot_read_are_data_errors_and_the_rest_is_still_checked() {
    let program = Program::from_source("typed.rules", TYPED_RULES).unwrap();
    let mut rows = vec![typed_header()];
    rows.push(vec![
        C::Number(1003.0),
        t("Lê Văn Cường"),
        // A time alone has no date.
        C::Time(7, 30, 0, 0),
        C::Error("=1/0", "#DIV/0!"),
        C::Error("=NA()", "#N/A"),
        C::Bool(true),
        C::Number(7.5),
        // Not whole: not an int.
        C::Number(2.5),
        C::Date(2022, 2, 9),
        // A number is not a time, even one that Excel could show as one.
        C::Number(0.3125),
        C::Date(2022, 2, 9),
        t("ghi chú"),
    ]);
    let book = xlsx(&[sheet("Sheet1", rows)]);
    let (report, _) = check(&program, None, &book, InputFormat::Xlsx, None).unwrap();
    let errors = errors(&report);
    let by_field = |field: &str| {
        errors
            .iter()
            .find(|e| e.1.as_deref() == Some(field))
            .map(|e| e.3.clone())
            .unwrap_or_else(|| panic!("no data error for {field}: {errors:?}"))
    };
    assert_eq!(by_field("date"), "the time cell 07:30 is not a date (YYYY-MM-DD)");
    assert_eq!(
        by_field("arrival"),
        "the cell holds the spreadsheet error #DIV/0!"
    );
    assert_eq!(by_field("departure"), "the cell holds the spreadsheet error #N/A");
    assert_eq!(by_field("visits"), "the number cell 2.5 is not an int");
    assert_eq!(
        by_field("worked"),
        "the date cell 2022-02-09 is not a duration (like 8h or 1h30m)"
    );
    assert_eq!(errors.len(), 5, "{errors:?}");
    // clock_text is a string: the number's text. The badge rule, which
    // reads no field in error, is still checked and passes; the rules that
    // read one have no outcome but the error.
    assert_eq!(violations(&report), []);
    assert_eq!(report.summary.errors, 5);
}

#[test]
fn ids_stored_as_numbers_read_as_their_text_in_fields_of_no_type_and_string_fields() {
    let program = Program::from_source(
        "ids.rules",
        "key employee_id\nfield code: string\nrule badge: badge_worn required",
    )
    .unwrap();
    let book = xlsx(&[sheet(
        "Sheet1",
        vec![
            vec![t("employee_id"), t("code"), t("badge_worn")],
            vec![C::Number(1001.0), C::Number(42.0), C::Bool(false)],
            vec![C::Number(-7.0), C::Number(0.5), C::Bool(false)],
        ],
    )]);
    let (report, _) = check(&program, None, &book, InputFormat::Xlsx, None).unwrap();
    let keys: Vec<Value> = report
        .violations
        .iter()
        .map(|v| serde_json::to_value(&v.key).unwrap())
        .collect();
    assert_eq!(keys, [json!("1001"), json!("-7")]);
    match captured(&program, None, &book, InputFormat::Xlsx, 2) {
        Captured::Record(record) => assert_eq!(
            record,
            from_json(
                &program,
                &json!({"employee_id": "-7", "code": "0.5", "badge_worn": false})
            )
        ),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Through a source
// ---------------------------------------------------------------------------

const ATTENDANCE_RULES: &str = r#"
    key employee_id
    field date: date
    field arrival: time
    field departure: time
    field badge_worn: bool
    rule on_time {
      when    weekday(date) in 1..5
      check   arrival <= 07:30
      message "{full_name} đến lúc {arrival} ngày {date}"
    }
    rule full_day {
      when  weekday(date) in 1..5
      check departure - arrival >= 8h
    }
    rule badge {
      check   badge_worn required
      message "{full_name} ({unit}) không đeo thẻ"
    }
    rule unit_known: unit required
    rule weekend_quiet {
      when  weekday(date) in 6..7
      check arrival missing
    }
"#;

const ATTENDANCE_SOURCE: &str = r#"
    source "may-cham-cong"
    header_row 3
    column "Mã NV"     -> employee_id
    column "Họ và tên" -> full_name
    column "Đơn vị"    -> unit
    column "Ngày"      -> date       format "%d/%m/%Y"
    column "Giờ vào"   -> arrival    format "%H:%M:%S"
    column "Giờ ra"    -> departure  format "%H:%M:%S"  missing ["--:--"]
    column "Đeo thẻ"   -> badge_worn yes ["Có"] no ["Không"]
"#;

fn attendance_header() -> Vec<C> {
    [
        "Mã NV",
        "Họ và tên",
        "Đơn vị",
        "Ngày",
        "Giờ vào",
        "Giờ ra",
        "Đeo thẻ",
    ]
    .iter()
    .map(|h| t(h))
    .collect()
}

#[test]
fn through_a_source_typed_cells_skip_the_format_and_text_cells_use_it() {
    let program = Program::from_source("cc.rules", ATTENDANCE_RULES).unwrap();
    let book = xlsx(&[SheetSpec {
        name: "Chấm công",
        rows: vec![
            vec![t("BẢNG CHẤM CÔNG THÁNG 02/2022")],
            vec![],
            attendance_header(),
            vec![
                C::Number(1001.0),
                t("Nguyễn Văn An"),
                t("Sở Nội vụ"),
                C::Date(2022, 2, 9),
                C::Time(7, 42, 10, 0),
                t("--:--"),
                t("Không"),
            ],
            vec![
                t("1002"),
                t("Trần Thị Bình"),
                t("Sở Nội vụ"),
                t("09/02/2022"),
                t("07:20:00"),
                C::Time(17, 0, 0, 0),
                C::Bool(true),
            ],
            // Text that does not match the format: a data error naming the
            // column and the format.
            vec![
                t("1003"),
                t("Lê Văn Cường"),
                t("Sở Nội vụ"),
                t("2022-02-09"),
                t("07:20:00"),
                t("17:00:00"),
                t("Có"),
            ],
        ],
        merged: vec![(0, 0, 0, 6, "BẢNG CHẤM CÔNG THÁNG 02/2022")],
    }]);
    let (report, warnings) =
        check(&program, Some(ATTENDANCE_SOURCE), &book, InputFormat::Xlsx, None).unwrap();
    assert_eq!(warnings, []);
    assert_eq!(report.records, 3);
    assert_eq!(
        violations(&report),
        [(1, "on_time".into()), (1, "full_day".into()), (1, "badge".into())]
    );
    assert_eq!(
        report.violations[0].message.as_deref(),
        Some("Nguyễn Văn An đến lúc 07:42:10 ngày 2022-02-09")
    );
    assert_eq!(
        report.violations[2].message.as_deref(),
        Some("Nguyễn Văn An (Sở Nội vụ) không đeo thẻ")
    );
    assert_eq!(
        errors(&report),
        [(
            3,
            Some("date".into()),
            None,
            "\"2022-02-09\" does not match the format \"%d/%m/%Y\" of column \"Ngày\"".into()
        )]
    );
}

#[test]
fn a_number_header_reads_as_its_text() {
    let program = Program::from_source("y.rules", "rule target: target_2022 >= 10").unwrap();
    let book = xlsx(&[sheet(
        "Sheet1",
        vec![vec![t("Mã NV"), C::Number(2022.0)], vec![t("1"), C::Number(9.0)]],
    )]);
    let source = "column \"2022\" -> target_2022";
    let (report, warnings) = check(&program, Some(source), &book, InputFormat::Xlsx, None).unwrap();
    assert_eq!(warnings, []);
    assert_eq!(violations(&report), [(1, "target".into())]);
}

#[test]
fn two_columns_that_give_one_field_make_the_sheet_unreadable() {
    let program = Program::from_source("a.rules", "rule on_time: arrival <= 07:30").unwrap();
    let book = xlsx(&[sheet(
        "Sheet1",
        vec![vec![t("arrival"), t("Giờ vào")], vec![t("07:00"), t("07:00")]],
    )]);
    let source = "column \"Giờ vào\" -> arrival";
    let error = check(&program, Some(source), &book, InputFormat::Xlsx, None).unwrap_err();
    assert!(matches!(error, InputError::FieldTwice { .. }), "{error}");
}

// ---------------------------------------------------------------------------
// Layout: merged ranges, header rows, empty rows and sheets
// ---------------------------------------------------------------------------

#[test]
fn a_merged_range_reads_its_top_left_value_in_every_cell() {
    let program = Program::from_source(
        "m.rules",
        "key employee_id\nrule unit_known: unit required\nrule in_unit: unit == \"Sở Nội vụ\"",
    )
    .unwrap();
    let mut spec = sheet(
        "Sheet1",
        vec![
            vec![t("employee_id"), t("unit")],
            vec![t("NV-1")],
            vec![t("NV-2")],
            vec![t("NV-3")],
            vec![t("NV-4"), t("Sở Y tế")],
        ],
    );
    // "Đơn vị" written once for three people, as offices lay out their lists.
    spec.merged = vec![(1, 1, 3, 1, "Sở Nội vụ")];
    for (book, format) in [
        (xlsx(&[spec.clone()]), InputFormat::Xlsx),
        (ods(&[spec]), InputFormat::Ods),
    ] {
        let (report, _) = check(&program, None, &book, format, None).unwrap();
        assert_eq!(report.records, 4, "{format:?}");
        assert_eq!(violations(&report), [(4, "in_unit".into())], "{format:?}");
    }
}

#[test]
fn merged_ranges_across_columns_and_rows_in_an_ods_sheet() {
    let program = Program::from_source(
        "m.rules",
        "field date: date\nrule a: a == \"x\"\nrule b: b == \"x\"\nrule c: c == \"x\"",
    )
    .unwrap();
    // A title merged across the columns above the header, and a block of
    // two rows and two columns.
    let mut spec = sheet(
        "Sheet1",
        vec![
            vec![],
            vec![t("a"), t("b"), t("c")],
            vec![t("y"), C::Blank, C::Blank],
            vec![],
            vec![t("y"), t("y"), t("x")],
        ],
    );
    spec.merged = vec![(0, 0, 0, 2, "Tiêu đề"), (2, 1, 3, 2, "x")];
    let source = "header_row 2";
    for (book, format) in [
        (xlsx(&[spec.clone()]), InputFormat::Xlsx),
        (ods(&[spec]), InputFormat::Ods),
    ] {
        let (report, warnings) = check(&program, Some(source), &book, format, None).unwrap();
        assert_eq!(warnings, [], "{format:?}");
        assert_eq!(report.records, 3, "{format:?}");
        assert_eq!(
            violations(&report),
            [(1, "a".into()), (2, "a".into()), (3, "a".into()), (3, "b".into())],
            "{format:?}"
        );
    }
}

#[test]
fn the_header_row_counts_the_sheets_rows_from_one_whatever_the_used_range() {
    let program = Program::from_source("h.rules", "rule on_time: arrival <= 07:30").unwrap();
    // Rows 1 and 2 and column A are empty: calamine's range starts at B3,
    // but `header_row 4` still means the sheet's fourth row.
    let rows = vec![
        vec![],
        vec![],
        vec![C::Blank, t("Bảng chấm công")],
        vec![C::Blank, t("Giờ vào")],
        vec![C::Blank, t("07:45")],
        vec![C::Blank, t("07:15")],
    ];
    let book = xlsx(&[sheet("Sheet1", rows)]);
    let source = "header_row 4\ncolumn \"Giờ vào\" -> arrival";
    let (report, warnings) = check(&program, Some(source), &book, InputFormat::Xlsx, None).unwrap();
    assert_eq!(warnings, []);
    assert_eq!(report.records, 2);
    assert_eq!(violations(&report), [(1, "on_time".into())]);
    // Without `header_row`, the first non-empty row is the header: here the
    // title, which gives no field the rules read.
    let error = check(
        &program,
        Some("column \"Giờ vào\" -> arrival"),
        &book,
        InputFormat::Xlsx,
        None,
    )
    .unwrap_err();
    assert!(matches!(error, InputError::NothingToCheck { .. }), "{error}");
}

#[test]
fn empty_rows_are_not_records_and_an_empty_sheet_has_none() {
    let program = Program::from_source("e.rules", "rule on_time: arrival <= 07:30").unwrap();
    let rows = vec![
        vec![t("arrival")],
        vec![],
        vec![t("07:45")],
        vec![t("   ")],
        vec![],
        vec![t("07:50")],
    ];
    let book = xlsx(&[sheet("Sheet1", rows), sheet("Trống", vec![])]);
    let (report, _) = check(&program, None, &book, InputFormat::Xlsx, None).unwrap();
    assert_eq!(report.records, 2);
    assert_eq!(
        violations(&report),
        [(1, "on_time".into()), (2, "on_time".into())]
    );

    let (report, warnings) = check(&program, None, &book, InputFormat::Xlsx, Some("Trống")).unwrap();
    assert_eq!(report.records, 0);
    assert_eq!(
        warnings,
        [InputWarning::EmptySheet {
            sheet: "Trống".into(),
            header_row: None
        }]
    );
    assert_eq!(warnings[0].to_string(), "sheet Trống is empty: it has no records");
}

#[test]
fn columns_with_empty_headers_are_ignored_with_a_warning_when_they_hold_values() {
    let program = Program::from_source("e.rules", "rule on_time: arrival <= 07:30").unwrap();
    let rows = vec![
        vec![t("arrival"), C::Blank, t("  "), t("note")],
        vec![t("07:45"), t("x"), C::Blank, t("y")],
    ];
    let book = xlsx(&[sheet("Sheet1", rows)]);
    let (report, warnings) = check(&program, None, &book, InputFormat::Xlsx, None).unwrap();
    assert_eq!(report.records, 1);
    assert_eq!(warnings, [InputWarning::EmptyHeader { column: 2 }]);
}

// ---------------------------------------------------------------------------
// OpenDocument
// ---------------------------------------------------------------------------

#[test]
fn an_ods_sheet_reads_its_typed_cells_as_an_xlsx_does() {
    let program = Program::from_source("typed.rules", TYPED_RULES).unwrap();
    let book = ods(&[sheet("Chấm công", typed_rows())]);
    let xlsx_book = xlsx(&[sheet("Chấm công", typed_rows())]);
    for number in [1, 2] {
        let from_ods = captured(&program, None, &book, InputFormat::Ods, number);
        let from_xlsx = captured(&program, None, &xlsx_book, InputFormat::Xlsx, number);
        assert_eq!(from_ods, from_xlsx, "record {number}");
    }
    let rows = vec![
        vec![t("arrival"), t("date")],
        vec![C::Error("=1/0", "#DIV/0!"), C::Time(7, 30, 0, 0)],
    ];
    let (report, _) = check(&program, None, &ods(&[sheet("S", rows)]), InputFormat::Ods, None).unwrap();
    assert_eq!(
        errors(&report),
        [
            (
                1,
                Some("date".into()),
                None,
                "the time cell 07:30 is not a date (YYYY-MM-DD)".into()
            ),
            (
                1,
                Some("arrival".into()),
                None,
                "the cell holds the spreadsheet error #DIV/0!".into()
            ),
        ]
    );
}

#[test]
fn an_ods_sheet_is_picked_by_name() {
    let program = Program::from_source("o.rules", "rule on_time: arrival <= 07:30").unwrap();
    let book = ods(&[
        sheet("Tóm tắt", vec![vec![t("arrival")], vec![t("07:00")]]),
        sheet(
            "Chi tiết",
            vec![vec![t("arrival")], vec![t("08:00")], vec![t("09:00")]],
        ),
    ]);
    let (report, _) = check(&program, None, &book, InputFormat::Ods, Some("Chi tiết")).unwrap();
    assert_eq!(report.records, 2);
    let (report, _) = check(&program, None, &book, InputFormat::Ods, None).unwrap();
    assert_eq!(report.records, 1);
}

// ---------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------

fn two_sheets() -> Vec<u8> {
    xlsx(&[
        sheet(
            "Tóm tắt",
            vec![vec![t("employee_id"), t("arrival")], vec![t("NV-1"), t("07:00")]],
        ),
        sheet(
            "Chấm công",
            vec![
                vec![t("employee_id"), t("arrival")],
                vec![C::Number(1001.0), C::Time(7, 45, 0, 0)],
                vec![C::Number(1002.0), C::Time(7, 15, 0, 0)],
            ],
        ),
    ])
}

const ON_TIME: &str = "key employee_id\nfield arrival: time\nrule on_time: arrival <= 07:30\n";

#[test]
fn check_reads_the_first_sheet_or_the_one_sheet_names() {
    let dir = Dir::new("sheets", "sheet");
    dir.write("r.rules", ON_TIME);
    put(&dir, "cham-cong.XLSX", &two_sheets());
    let out = dir.run(&["check", "r.rules", "cham-cong.XLSX", "--format", "json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_out(&out)["records"], 1);

    let out = dir.run(&[
        "check",
        "r.rules",
        "cham-cong.XLSX",
        "--sheet",
        "Chấm công",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    let report = json_out(&out);
    assert_eq!(report["records"], 2);
    assert_eq!(report["violations"][0]["key"], "1001");
    assert_eq!(report["violations"][0]["values"]["arrival"], "07:45");

    let out = dir.run(&["check", "r.rules", "cham-cong.XLSX", "--sheet", "Cham cong"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr,
        "civrules: error: cham-cong.XLSX: the workbook has no sheet \"Cham cong\" (did you mean \"Chấm công\"?); \
         its sheets: \"Tóm tắt\", \"Chấm công\"\n"
    );
    assert_eq!(out.stdout, "");

    let out = dir.run(&[
        "explain",
        "r.rules",
        "cham-cong.XLSX",
        "--sheet",
        "Chấm công",
        "--record",
        "1",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("arrival = 07:45"), "{out:?}");
}

#[test]
fn sheet_without_a_spreadsheet_is_bad_usage() {
    let dir = Dir::new("sheets", "sheet-usage");
    dir.write("r.rules", ON_TIME).write("d.csv", "arrival\n07:00\n");
    let out = dir.run(&["check", "r.rules", "d.csv", "--sheet", "Sheet1"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no data file is one"), "{out:?}");
}

#[test]
fn standard_input_reads_a_spreadsheet_whole() {
    let dir = Dir::new("sheets", "stdin");
    dir.write("r.rules", ON_TIME);
    let out = run_stdin(
        &dir,
        &[
            "check",
            "r.rules",
            "-",
            "--input-format",
            "xlsx",
            "--sheet",
            "Chấm công",
            "--format",
            "summary",
        ],
        &two_sheets(),
    );
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(json_out(&out)["violations"]["on_time"], 1);
    let ods_book = ods(&[sheet("S", vec![vec![t("arrival")], vec![C::Time(7, 0, 0, 0)]])]);
    let out = run_stdin(
        &dir,
        &[
            "check",
            "r.rules",
            "-",
            "--input-format",
            "ods",
            "--format",
            "summary",
        ],
        &ods_book,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_out(&out)["records"], 1);
}

#[test]
fn an_empty_sheet_is_a_warning_not_an_error() {
    let dir = Dir::new("sheets", "empty");
    dir.write("r.rules", ON_TIME);
    put(&dir, "empty.xlsx", &xlsx(&[sheet("Trống", vec![])]));
    let out = dir.run(&["check", "r.rules", "empty.xlsx", "--format", "summary"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_out(&out)["records"], 0);
    assert_eq!(
        out.stderr,
        "empty.xlsx: warning: sheet Trống is empty: it has no records\n"
    );
    let out = dir.run(&["check", "r.rules", "empty.xlsx", "--deny-warnings"]);
    assert_eq!(out.code, 2, "{out:?}");
}

/// The one line the command prints for a workbook it cannot read.
fn unreadable(dir: &Dir, name: &str, bytes: &[u8]) -> String {
    put(dir, name, bytes);
    let out = dir.run(&["check", "r.rules", name]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "", "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "one line:\n{out:?}");
    let prefix = format!("civrules: error: {name}: ");
    assert!(out.stderr.starts_with(&prefix), "{out:?}");
    out.stderr[prefix.len()..].trim_end().to_string()
}

#[test]
fn workbooks_that_cannot_be_read_are_one_line_and_exit_2() {
    let dir = Dir::new("sheets", "unreadable");
    dir.write("r.rules", ON_TIME);
    let csv = "\u{feff}Mã NV,Giờ vào\r\n1001,07:45\r\n".as_bytes();
    // An OLE2 compound file that is nothing more: what an encrypted .xlsx
    // starts with.
    let mut compound = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    compound.resize(4096, 0);
    let book = two_sheets();
    let mut cut = book.clone();
    cut.truncate(book.len() / 2);
    let mut garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
    garbage[0] = 0;

    assert_eq!(
        unreadable(&dir, "csv.xlsx", csv),
        "not an .xlsx workbook: the file is text (CSV?) under a spreadsheet's extension: name it .csv, or give --input-format"
    );
    assert_eq!(
        unreadable(&dir, "locked.xlsx", &compound),
        "not an .xlsx workbook: the file is an OLE2 compound file: a password-protected (encrypted) workbook, \
         or an .xls saved under another extension"
    );
    assert!(unreadable(&dir, "cut.xlsx", &cut).starts_with("not a readable .xlsx workbook: "));
    assert!(unreadable(&dir, "garbage.xlsx", &garbage).starts_with("not a readable .xlsx workbook: "));
    assert!(unreadable(&dir, "cut.ods", &cut).starts_with("not a readable .ods spreadsheet: "));
    assert_eq!(
        unreadable(&dir, "csv.ods", csv),
        "not an .ods spreadsheet: the file is text (CSV?) under a spreadsheet's extension: name it .csv, or give --input-format"
    );
    assert_eq!(
        unreadable(&dir, "empty.xlsx", b""),
        "not an .xlsx workbook: the file is an empty file"
    );
    // .xls: nothing here writes one, so only what is not one.
    assert_eq!(
        unreadable(&dir, "locked.xls", &compound),
        "not an .xls workbook: the file is an OLE2 compound file, but not a readable .xls workbook (damaged, or encrypted)"
    );
    assert_eq!(
        unreadable(&dir, "book.xls", &book),
        "not an .xls workbook: the file is a zip archive: an .xlsx or .ods saved under the .xls extension?"
    );
    assert_eq!(
        unreadable(&dir, "csv.xls", csv),
        "not an .xls workbook: the file is text (CSV?) under a spreadsheet's extension: name it .csv, or give --input-format"
    );
    assert!(unreadable(&dir, "garbage.xls", &garbage).starts_with("not a readable .xls workbook: "));
}

/// An OLE2 compound file holding `streams`.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("a compound file");
    for (name, bytes) in streams {
        let mut stream = file.create_stream(name).expect("a stream");
        stream.write_all(bytes).expect("write a stream");
    }
    file.flush().expect("flush the compound file");
    file.into_inner().into_inner()
}

#[test]
fn password_protected_workbooks_say_so() {
    let dir = Dir::new("sheets", "password");
    dir.write("r.rules", ON_TIME);
    // Excel encrypts an .xlsx into a compound file with these two streams.
    let xlsx_locked = compound(&[("EncryptionInfo", &[4, 0, 4, 0]), ("EncryptedPackage", &[0; 64])]);
    // An .xls whose workbook stream starts with FilePass (0x002F): RC4.
    let xls_locked = compound(&[("Workbook", &[0x2F, 0, 2, 0, 1, 0])]);
    for (name, bytes) in [
        ("locked.xlsx", xlsx_locked),
        ("locked.xls", xls_locked),
        (
            "locked.ods",
            ods_with(&[sheet("S", vec![vec![t("arrival")]])], true),
        ),
    ] {
        let extension = name.rsplit('.').next().unwrap();
        assert_eq!(
            unreadable(&dir, name, &bytes),
            format!(
                "the .{extension} workbook is password-protected (encrypted): save a copy without a password to check it"
            )
        );
    }
}

// ---------------------------------------------------------------------------
// One data set, three exports
// ---------------------------------------------------------------------------

/// One attendance record of the property; `None` is a missing value.
#[derive(Clone, Debug)]
struct Attendance {
    employee: u32,
    name: usize,
    unit: Option<usize>,
    /// Days after 2022-01-01.
    day: u16,
    arrival: Option<(u8, u8, u8)>,
    departure: Option<(u8, u8, u8)>,
    badge: Option<bool>,
    /// How the export writes the cells of this record.
    style: Style,
    /// A blank line or row before this record.
    blank_before: bool,
}

/// Exports write a value in more than one way.
#[derive(Clone, Copy, Debug)]
struct Style {
    /// XLSX: the date and times as text (the format reads them), not typed.
    text_cells: bool,
    /// A missing departure written `--:--`, not left empty.
    dashes: bool,
    /// NDJSON: a missing value as `null`, not left out.
    nulls: bool,
    /// XLSX: the badge as a true/false cell, not the words.
    bool_cell: bool,
}

const NAMES: [&str; 5] = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
];
const UNITS: [&str; 3] = ["Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tư pháp"];

fn attendance() -> impl Strategy<Value = Attendance> {
    let time = || prop::option::weighted(0.85, (6u8..19, 0u8..60, 0u8..60));
    let style = (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(text_cells, dashes, nulls, bool_cell)| Style {
            text_cells,
            dashes,
            nulls,
            bool_cell,
        },
    );
    (
        (
            1000u32..1020,
            0..NAMES.len(),
            prop::option::weighted(0.9, 0..UNITS.len()),
        ),
        (
            0u16..365,
            time(),
            time(),
            prop::option::weighted(0.85, any::<bool>()),
        ),
        style,
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |((employee, name, unit), (day, arrival, departure, badge), style, blank_before)| Attendance {
                employee,
                name,
                unit,
                day,
                arrival,
                departure,
                badge,
                style,
                blank_before,
            },
        )
}

fn date_of(day: u16) -> (u16, u8, u8) {
    let date = jiff::civil::date(2022, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(day)))
        .expect("a 2022 date");
    (date.year() as u16, date.month() as u8, date.day() as u8)
}

fn hms((h, m, s): (u8, u8, u8)) -> String {
    format!("{h:02}:{m:02}:{s:02}")
}

fn as_ndjson(records: &[Attendance]) -> String {
    let mut out = String::new();
    for r in records {
        if r.blank_before {
            out.push_str("  \n");
        }
        let (y, m, d) = date_of(r.day);
        let mut object = serde_json::Map::new();
        let mut put = |key: &str, value: Option<Value>| match value {
            Some(v) => {
                object.insert(key.into(), v);
            }
            None if r.style.nulls => {
                object.insert(key.into(), Value::Null);
            }
            None => {}
        };
        put("employee_id", Some(json!(r.employee.to_string())));
        put("full_name", Some(json!(NAMES[r.name])));
        put("unit", r.unit.map(|u| json!(UNITS[u])));
        put("date", Some(json!(format!("{y:04}-{m:02}-{d:02}"))));
        put("arrival", r.arrival.map(|t| json!(hms(t))));
        put("departure", r.departure.map(|t| json!(hms(t))));
        put("badge_worn", r.badge.map(|b| json!(b)));
        out.push_str(&Value::Object(object).to_string());
        out.push('\n');
    }
    out
}

/// As Excel writes CSV: a byte-order mark, CRLF, the export's own title
/// rows, headers, words and dates.
fn as_csv(records: &[Attendance]) -> Vec<u8> {
    let mut out = String::from(
        "\u{feff}BẢNG CHẤM CÔNG,,,,,,\r\n,,,,,,\r\nMã NV,Họ và tên,Đơn vị,Ngày,Giờ vào,Giờ ra,Đeo thẻ\r\n",
    );
    for r in records {
        if r.blank_before {
            out.push_str("\r\n");
        }
        let (y, m, d) = date_of(r.day);
        let departure = match (r.departure, r.style.dashes) {
            (Some(t), _) => hms(t),
            (None, true) => "--:--".into(),
            (None, false) => String::new(),
        };
        let badge = match r.badge {
            Some(true) => "Có",
            Some(false) => "Không",
            None => "",
        };
        out.push_str(&format!(
            "{},{},{},{d:02}/{m:02}/{y},{},{departure},{badge}\r\n",
            r.employee,
            NAMES[r.name],
            r.unit.map_or("", |u| UNITS[u]),
            r.arrival.map(hms).unwrap_or_default(),
        ));
    }
    out.into_bytes()
}

fn as_xlsx(records: &[Attendance]) -> Vec<u8> {
    let mut rows = vec![vec![t("BẢNG CHẤM CÔNG")], vec![], attendance_header()];
    for r in records {
        if r.blank_before {
            rows.push(vec![]);
        }
        let (y, m, d) = date_of(r.day);
        let typed_time = |time: Option<(u8, u8, u8)>| match time {
            Some(t) if r.style.text_cells => C::Text(hms(t)),
            Some((h, m, s)) => C::Time(u16::from(h), m, s, 0),
            None => C::Blank,
        };
        let departure = match (r.departure, r.style.dashes) {
            (None, true) => t("--:--"),
            (time, _) => typed_time(time),
        };
        let badge = match (r.badge, r.style.bool_cell) {
            (Some(b), true) => C::Bool(b),
            (Some(true), false) => t("Có"),
            (Some(false), false) => t("Không"),
            (None, _) => C::Blank,
        };
        rows.push(vec![
            // Excel turns ids into numbers.
            C::Number(f64::from(r.employee)),
            t(NAMES[r.name]),
            r.unit.map_or(C::Blank, |u| t(UNITS[u])),
            if r.style.text_cells {
                C::Text(format!("{d:02}/{m:02}/{y}"))
            } else {
                C::Date(y, m, d)
            },
            typed_time(r.arrival),
            departure,
            badge,
        ]);
    }
    let mut spec = sheet("Chấm công", rows);
    spec.merged = vec![(0, 0, 0, 6, "BẢNG CHẤM CÔNG")];
    xlsx(&[spec])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// NDJSON with the contract's field names and literal forms, CSV through
    /// a source, and XLSX (typed cells) through the same source give the
    /// same report.
    #[test]
    fn one_data_set_gives_one_report_as_ndjson_csv_and_xlsx(records in prop::collection::vec(attendance(), 0..25)) {
        let program = Program::from_source("cham-cong.rules", ATTENDANCE_RULES).unwrap();
        let ndjson = as_ndjson(&records);
        let (from_ndjson, _) = check(&program, None, ndjson.as_bytes(), InputFormat::Ndjson, None).unwrap();
        let (from_csv, _) = check(&program, Some(ATTENDANCE_SOURCE), &as_csv(&records), InputFormat::Csv, None).unwrap();
        let (from_xlsx, _) = check(&program, Some(ATTENDANCE_SOURCE), &as_xlsx(&records), InputFormat::Xlsx, None).unwrap();
        prop_assert_eq!(from_ndjson.records, records.len() as u64);
        let expected = serde_json::to_value(&from_ndjson).unwrap();
        prop_assert_eq!(&serde_json::to_value(&from_csv).unwrap(), &expected);
        prop_assert_eq!(&serde_json::to_value(&from_xlsx).unwrap(), &expected);
    }
}
