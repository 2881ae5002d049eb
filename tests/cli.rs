//! Integration tests of the `civrules` command, held to the contract in
//! the language spec (§7 command line): exit statuses, the compile-error
//! format on standard error, every output format, every input format, the
//! rendering of messages, `fmt`, `lint`, and the shipped example.
//!
//! Each test works in its own folder under the system temp folder, which is
//! also the working directory of the command, so that paths in messages are
//! the relative paths given on the command line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A fresh folder for one test, removed when the test ends.
struct Dir {
    path: PathBuf,
}

impl Dir {
    fn new(test: &str) -> Dir {
        let path = std::env::temp_dir().join(format!("civrules-cli-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the test folder");
        Dir { path }
    }

    /// Writes `contents` to `name` (folders created as needed).
    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> &Dir {
        let file = self.path.join(name);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).expect("create a folder");
        }
        std::fs::write(&file, contents).expect("write a test file");
        self
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path.join(name)).expect("read a test file")
    }

    /// Runs the command in this folder.
    fn run(&self, args: &[&str]) -> Out {
        run_in(&self.path, args, None)
    }

    /// Runs the command in this folder with `input` on standard input.
    fn run_stdin(&self, args: &[&str], input: &[u8]) -> Out {
        run_in(&self.path, args, Some(input))
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// What one run of the command gave.
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Out {
    fn expect_code(&self, code: i32) -> &Out {
        assert_eq!(self.code, code, "unexpected exit status:\n{self:?}");
        self
    }

    /// Standard output as one JSON value.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{self:?}"))
    }

    /// Standard output as NDJSON: one JSON value a line.
    fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("line {line:?} is not JSON ({e}):\n{self:?}"))
            })
            .collect()
    }
}

fn run_in(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Out {
    let mut command = Command::new(env!("CARGO_BIN_EXE_civrules"));
    command
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = command.spawn().expect("start civrules");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().expect("stdin");
        // The command may exit without reading (bad usage): a closed pipe is
        // not a failure of the test.
        if let Err(e) = stdin.write_all(input) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
    }
    let output = child.wait_with_output().expect("wait for civrules");
    Out {
        code: output.status.code().expect("civrules was killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The crate's folder (for the shipped rules and examples).
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_in_repo(args: &[&str]) -> Out {
    run_in(repo(), args, None)
}

/// Asserts a compile error: exit 2, nothing on stdout, and on stderr
/// `LOCATION: error: MESSAGE` (MESSAGE containing `fragment`), followed by
/// `source_line` and a caret under the column of LOCATION (`PATH:LINE:COL`).
fn assert_compile_error(out: &Out, location: &str, source_line: &str, fragment: &str) {
    out.expect_code(2);
    assert_eq!(out.stdout, "", "nothing on stdout for a compile error:\n{out:?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    let first = lines.first().copied().unwrap_or_default();
    let prefix = format!("{location}: error: ");
    assert!(
        first.starts_with(&prefix),
        "first stderr line should start with {prefix:?}:\n{out:?}"
    );
    assert!(
        first[prefix.len()..].contains(fragment),
        "the message should mention {fragment:?}:\n{out:?}"
    );
    let column: usize = location.rsplit(':').next().unwrap().parse().unwrap();
    let shown = lines
        .iter()
        .enumerate()
        .skip(1)
        .take(3)
        .find(|(_, l)| l.ends_with(source_line))
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("the source line {source_line:?} should follow:\n{out:?}"));
    let gutter = lines[shown].chars().count() - source_line.chars().count();
    let caret_line = lines
        .get(shown + 1)
        .unwrap_or_else(|| panic!("a caret line should follow the source line:\n{out:?}"));
    let caret = caret_line
        .chars()
        .position(|c| c == '^')
        .unwrap_or_else(|| panic!("the line after the source should hold a caret:\n{out:?}"));
    assert_eq!(
        caret,
        gutter + column - 1,
        "the caret should stand under column {column} of the source line:\n{out:?}"
    );
}

/// The character column (from 0) where `needle` starts in `line`.
fn char_index(line: &str, needle: &str) -> usize {
    let byte = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in {line:?}"));
    line[..byte].chars().count()
}

/// Asserts that `keys` occur in `text` in this order (as `"key":`).
fn assert_keys_in_order(text: &str, keys: &[&str]) {
    let mut from = 0;
    for key in keys {
        let needle = format!("\"{key}\":");
        let at = text[from..]
            .find(&needle)
            .unwrap_or_else(|| panic!("{needle} should follow the previous keys in:\n{text}"));
        from += at + needle.len();
    }
}

/// Error entries with their (free-form) message checked to be a non-empty
/// string and replaced by "…", so that whole objects can be compared.
fn without_messages(errors: &Value) -> Value {
    Value::Array(
        errors
            .as_array()
            .expect("errors is an array")
            .iter()
            .map(|e| {
                let mut e = e.clone();
                let message = e["message"].as_str().unwrap_or_default();
                assert!(!message.is_empty(), "an error entry needs a message: {e}");
                e["message"] = json!("…");
                e
            })
            .collect(),
    )
}

/// (record, rule, reason) of each violation, in order.
fn violation_list(report: &Value) -> Vec<(u64, String, String)> {
    report["violations"]
        .as_array()
        .expect("violations is an array")
        .iter()
        .map(|v| {
            (
                v["record"].as_u64().unwrap(),
                v["rule"].as_str().unwrap().to_string(),
                v["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn triples(list: &[(u64, &str, &str)]) -> Vec<(u64, String, String)> {
    list.iter()
        .map(|(r, a, b)| (*r, a.to_string(), b.to_string()))
        .collect()
}

/// (record, field, rule) of each error entry, in order.
fn error_list(report: &Value) -> Vec<(u64, Value, Value)> {
    report["errors"]
        .as_array()
        .expect("errors is an array")
        .iter()
        .map(|e| {
            (
                e["record"].as_u64().unwrap(),
                e["field"].clone(),
                e["rule"].clone(),
            )
        })
        .collect()
}

// A small rule set and data used by several output-format tests.
//
// rec 1 NV-01: passes every rule.
// rec 2 NV-02: badge failed (absent), on_time failed (07:45).
// rec 3 NV-03: "7h45" is a data error for `arrival` (on_time does not apply:
//              contract; full_day uses arrival → error, no entry of its own);
//              count 0 → division by zero in `ratio` → evaluation error.
// rec 4 (no key): departure missing → full_day missing ["departure"].
// rec 5: a JSON array, not an object → one error, field and rule null.
const STAFF_RULES: &str = r#"ruleset "sở-nội-vụ"
key employee_id
field arrival: time
field departure: time
field total: int
field count: int

rule badge: badge_worn required

rule on_time {
  title    "Chấp hành thời gian làm việc"
  severity critical
  ref      "Nghị định 112/2020/NĐ-CP"
  when     role == "civil_servant"
  check    arrival <= 07:30
  message  "Đến muộn lúc {arrival}"
}

rule full_day {
  severity minor
  check    departure - arrival >= 8h
}

rule ratio: total / count > 2
"#;

const STAFF_DATA: &str = r#"{"employee_id": "NV-01", "role": "civil_servant", "arrival": "07:15", "departure": "17:20", "badge_worn": true, "total": 6, "count": 1}
{"employee_id": "NV-02", "role": "civil_servant", "arrival": "07:45", "departure": "17:00", "total": 6, "count": 2}
{"employee_id": "NV-03", "role": "contract", "arrival": "7h45", "departure": "16:00", "badge_worn": true, "total": 5, "count": 0}
{"role": "civil_servant", "arrival": "07:00", "badge_worn": true, "total": 6, "count": 1}
["NV-05", "07:00"]
"#;

fn staff(test: &str) -> Dir {
    let dir = Dir::new(test);
    dir.write("so-noi-vu.rules", STAFF_RULES)
        .write("data.ndjson", STAFF_DATA);
    dir
}

fn staff_expected_report() -> Value {
    json!({
        "ruleset": "sở-nội-vụ",
        "records": 5,
        "violations": [
            {"record": 2, "rule": "badge", "severity": "major", "reason": "failed", "missing": [],
             "key": "NV-02", "title": null, "message": null, "ref": null},
            {"record": 2, "rule": "on_time", "severity": "critical", "reason": "failed", "missing": [],
             "key": "NV-02", "title": "Chấp hành thời gian làm việc", "message": "Đến muộn lúc 07:45",
             "ref": "Nghị định 112/2020/NĐ-CP"},
            {"record": 4, "rule": "full_day", "severity": "minor", "reason": "missing",
             "missing": ["departure"], "key": null, "title": null, "message": null, "ref": null}
        ],
        "group_violations": [],
        "errors": [
            {"record": 3, "field": "arrival", "rule": null, "key": "NV-03", "message": "…"},
            {"record": 3, "field": null, "rule": "ratio", "key": "NV-03", "message": "…"},
            {"record": 5, "field": null, "rule": null, "key": null, "message": "…"}
        ],
        "summary": {
            "violations": {"badge": 1, "on_time": 1, "full_day": 1, "ratio": 0},
            "errors": 3,
            "not_checked": {},
            "ungrouped": {}
        }
    })
}

// ---------------------------------------------------------------------------
// Exit statuses
// ---------------------------------------------------------------------------

#[test]
fn check_exits_0_when_there_are_no_violations_and_no_errors() {
    let dir = Dir::new("exit0");
    dir.write(
        "gio.rules",
        "rule on_time: arrival <= 07:30\nrule badge: badge_worn required\n",
    )
    .write(
        "data.ndjson",
        "{\"arrival\": \"07:10\", \"badge_worn\": true}\n{\"arrival\": \"07:30\", \"badge_worn\": true}\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(0);
    let report = out.json();
    assert_eq!(report["records"], 2);
    assert_eq!(report["violations"], json!([]));
    assert_eq!(report["errors"], json!([]));
}

#[test]
fn check_exits_1_when_a_rule_is_violated() {
    let dir = Dir::new("exit1-violation");
    dir.write("gio.rules", "rule on_time: arrival <= 07:30\n").write(
        "data.ndjson",
        "{\"arrival\": \"07:10\"}\n{\"arrival\": \"07:31\"}\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    assert_eq!(violation_list(&out.json()), triples(&[(2, "on_time", "failed")]));
}

#[test]
fn check_exits_1_when_there_are_only_data_errors() {
    let dir = Dir::new("exit1-data-error");
    dir.write(
        "gio.rules",
        "field arrival: time\nrule on_time: arrival <= 07:30\n",
    )
    .write("data.ndjson", "{\"arrival\": \"7h45\"}\n");
    let out = dir.run(&["check", "gio.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["violations"], json!([]));
    assert_eq!(error_list(&report), vec![(1, json!("arrival"), Value::Null)]);
}

#[test]
fn check_exits_1_when_there_are_only_evaluation_errors() {
    let dir = Dir::new("exit1-eval-error");
    dir.write(
        "chia.rules",
        "field a: int\nfield b: int\nrule ratio: a / b > 1\n",
    )
    .write("data.json", "[{\"a\": 1, \"b\": 0}]");
    let out = dir.run(&["check", "chia.rules", "data.json", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["violations"], json!([]));
    assert_eq!(error_list(&report), vec![(1, Value::Null, json!("ratio"))]);
}

#[test]
fn check_exits_2_when_the_rules_do_not_compile() {
    let dir = Dir::new("exit2-compile");
    dir.write("gio.rules", "rule on_time: arrival <= 25:00\n")
        .write("data.ndjson", "{\"arrival\": \"07:10\"}\n");
    let out = dir.run(&["check", "gio.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.starts_with("gio.rules:1:26: error: "), "{out:?}");
}

#[test]
fn a_time_written_7h30_or_7g30_is_a_syntax_error_that_suggests_07_30() {
    let dir = Dir::new("time-7h30");
    dir.write("data.ndjson", "{\"arrival\": \"07:10\"}\n");
    for (written, time) in [
        ("7h30", "07:30"),
        ("7g30", "07:30"),
        ("07h30", "07:30"),
        ("7H30", "07:30"),
        ("17g05", "17:05"),
    ] {
        let line = format!("rule on_time: arrival <= {written}");
        dir.write("gio.rules", format!("# Giờ làm việc\n{line}\n"));
        let out = dir.run(&["check", "gio.rules", "data.ndjson"]);
        let message = format!("expected an expression, found `{written}`: did you mean `{time}`?");
        assert_compile_error(&out, "gio.rules:2:26", &line, &message);
    }
    dir.write("gio.rules", "rule on_time: arrival <= 7g30\n");
    let out = dir.run(&["lint", "gio.rules"]);
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "gio.rules:1:26: error: expected an expression, found `7g30`: did you mean `07:30`?\n  \
         |\n\
         1 | rule on_time: arrival <= 7g30\n  \
         |                          ^^^^\n\
         lint: 1 file checked, 1 error\n"
    );
    dir.write("gio.rules", "rule on_time: arrival <= 25h30\n");
    let out = dir.run(&["lint", "gio.rules"]);
    out.expect_code(2);
    assert!(!out.stderr.contains("did you mean"), "{out:?}");
}

#[test]
fn a_decimal_7_30_that_meets_a_time_gets_did_you_mean_07_30() {
    let dir = Dir::new("time-7.30");
    dir.write("data.ndjson", "{\"arrival\": \"07:10\"}\n");
    dir.write(
        "gio.rules",
        "field arrival: time\nrule on_time: arrival <= 7.30\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson"]);
    assert_compile_error(&out, "gio.rules:2:15", "rule on_time: arrival <= 7.30", "");
    assert_eq!(
        out.stderr,
        "gio.rules:2:15: error: field `arrival` is used as a decimal here, but it is a time\n  \
         |\n\
         2 | rule on_time: arrival <= 7.30\n  \
         |               ^^^^^^^\n  \
         = note: gio.rules:1:7: declared here, as a time\n  \
         |\n\
         1 | field arrival: time\n  \
         |       ^^^^^^^\n  \
         = note: gio.rules:2:26: did you mean `07:30`?\n  \
         |\n\
         2 | rule on_time: arrival <= 7.30\n  \
         |                          ^^^^\n"
    );
    // A time from another use, before or after, or through another field.
    dir.write(
        "gio.rules",
        "rule early: arrival >= 06:00\nrule on_time: arrival <= 7.30\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson"]);
    assert_compile_error(
        &out,
        "gio.rules:2:15",
        "rule on_time: arrival <= 7.30",
        "is used as a decimal here",
    );
    assert!(
        out.stderr
            .contains("  = note: gio.rules:2:26: did you mean `07:30`?\n"),
        "{out:?}"
    );
    dir.write(
        "gio.rules",
        "rule no_early_leave: departure >= 17:00\nrule on_time: arrival <= 7.30 and departure > arrival\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson"]);
    assert_compile_error(
        &out,
        "gio.rules:2:35",
        "rule on_time: arrival <= 7.30 and departure > arrival",
        "field `departure` is used as a decimal here",
    );
    assert!(
        out.stderr
            .contains("  = note: gio.rules:2:26: did you mean `07:30`?\n"),
        "{out:?}"
    );
    dir.write(
        "gio.rules",
        "rule on_time: arrival <= 7.30\nrule no_early_leave: departure - arrival >= 8h and arrival >= 06:00\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson"]);
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("  = note: gio.rules:1:26: did you mean `07:30`?\n"),
        "{out:?}"
    );
}

#[test]
fn check_exits_2_when_the_rules_file_is_missing() {
    let dir = Dir::new("exit2-no-rules");
    dir.write("data.ndjson", "{}\n");
    let out = dir.run(&["check", "khong-co.rules", "data.ndjson"]);
    out.expect_code(2);
    assert!(out.stderr.contains("khong-co.rules"), "{out:?}");
    assert_eq!(out.stdout, "");
}

#[test]
fn check_exits_2_when_standard_input_has_no_input_format() {
    let dir = Dir::new("exit2-stdin");
    dir.write("gio.rules", "rule badge: badge_worn required\n");
    let out = dir.run_stdin(&["check", "gio.rules", "-"], b"{\"badge_worn\": true}\n");
    out.expect_code(2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("--input-format"), "{out:?}");
}

#[test]
fn check_exits_2_when_a_data_file_is_missing() {
    let dir = Dir::new("exit2-no-data");
    dir.write("gio.rules", "rule badge: badge_worn required\n");
    let out = dir.run(&["check", "gio.rules", "khong-co.ndjson", "--format", "json"]);
    out.expect_code(2);
    assert!(out.stderr.contains("khong-co.ndjson"), "{out:?}");
}

#[test]
fn check_exits_2_when_a_later_data_file_is_missing() {
    let dir = Dir::new("exit2-no-second-data");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("a.ndjson", "{\"badge_worn\": true}\n");
    let out = dir.run(&[
        "check",
        "gio.rules",
        "a.ndjson",
        "b.ndjson",
        "--format",
        "summary",
    ]);
    out.expect_code(2);
    assert!(out.stderr.contains("b.ndjson"), "{out:?}");
}

#[test]
fn check_exits_2_when_a_json_file_is_not_valid_json() {
    let dir = Dir::new("exit2-bad-json");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("data.json", "[{\"badge_worn\": true},\n {\"badge_worn\": \n");
    let out = dir.run(&["check", "gio.rules", "data.json", "--format", "json"]);
    out.expect_code(2);
    assert!(out.stderr.contains("data.json"), "{out:?}");
}

#[test]
fn check_exits_2_when_a_json_file_has_trailing_garbage() {
    let dir = Dir::new("exit2-json-trailing");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("data.json", "{\"badge_worn\": true}\n{\"badge_worn\": false}\n");
    let out = dir.run(&["check", "gio.rules", "data.json", "--format", "json"]);
    out.expect_code(2);
}

#[test]
fn check_exits_2_when_the_data_extension_is_unknown() {
    let dir = Dir::new("exit2-extension");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("data.txt", "{\"badge_worn\": true}\n");
    let out = dir.run(&["check", "gio.rules", "data.txt", "--format", "json"]);
    out.expect_code(2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("data.txt"), "{out:?}");
}

#[test]
fn check_reads_an_unknown_extension_with_input_format() {
    let dir = Dir::new("input-format-overrides");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("data.txt", "{\"badge_worn\": true}\n{\"badge_worn\": false}\n");
    let out = dir.run(&[
        "check",
        "gio.rules",
        "data.txt",
        "--input-format",
        "ndjson",
        "--format",
        "json",
    ]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 2);
    assert_eq!(violation_list(&report), triples(&[(2, "badge", "failed")]));
}

#[test]
fn bad_usage_exits_2() {
    let dir = Dir::new("bad-usage");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("data.ndjson", "{}\n");
    // No DATA.
    dir.run(&["check", "gio.rules"]).expect_code(2);
    // An unknown output format.
    dir.run(&["check", "gio.rules", "data.ndjson", "--format", "xml"])
        .expect_code(2);
    // An unknown input format.
    dir.run(&["check", "gio.rules", "data.ndjson", "--input-format", "xml"])
        .expect_code(2);
    // An unknown command.
    dir.run(&["kiem-tra", "gio.rules"]).expect_code(2);
    // No command at all.
    dir.run(&[]).expect_code(2);
}

// ---------------------------------------------------------------------------
// Compile errors: PATH:LINE:COL: error: MESSAGE, the line, a caret
// ---------------------------------------------------------------------------

#[test]
fn compile_error_for_a_syntax_error_counts_the_column_in_characters() {
    let dir = Dir::new("syntax-error");
    // `và` is not an operator. Before it, "đúng_giờ" has multi-byte letters:
    // column 33 in characters (it would be 35 in bytes).
    dir.write(
        "gio.rules",
        "# Quy định về giờ giấc\nrule đúng_giờ: arrival <= 07:30 và x\n",
    );
    let out = dir.run(&["lint", "gio.rules"]);
    assert_compile_error(&out, "gio.rules:2:33", "rule đúng_giờ: arrival <= 07:30 và x", "");
}

#[test]
fn compile_error_for_an_impossible_time() {
    let dir = Dir::new("bad-time");
    dir.write(
        "gio.rules",
        "ruleset \"thử\"\nrule đúng_giờ: giờ_đến <= 07:30 and giờ_về >= 25:00\n",
    )
    .write("data.ndjson", "{}\n");
    let out = dir.run(&["check", "gio.rules", "data.ndjson"]);
    assert_compile_error(
        &out,
        "gio.rules:2:47",
        "rule đúng_giờ: giờ_đến <= 07:30 and giờ_về >= 25:00",
        "25:00",
    );
}

#[test]
fn compile_error_for_an_impossible_date() {
    let dir = Dir::new("bad-date");
    dir.write("ngay.rules", "rule ngày_nghỉ: ngày_nghỉ != 2022-02-30\n");
    let out = dir.run(&["lint", "ngay.rules"]);
    assert_compile_error(
        &out,
        "ngay.rules:1:30",
        "rule ngày_nghỉ: ngày_nghỉ != 2022-02-30",
        "2022-02-30",
    );
}

#[test]
fn compile_error_for_a_field_used_as_a_time_and_as_a_date() {
    let dir = Dir::new("type-conflict");
    dir.write(
        "tiep-nhan.rules",
        "# Tiếp nhận hồ sơ\nrule tiếp_nhận: giờ_nhận >= 07:30 and giờ_nhận <= 2022-12-31\n",
    )
    .write("data.ndjson", "{}\n");
    let out = dir.run(&["check", "tiep-nhan.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(2);
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("tiep-nhan.rules:2:"), "{out:?}");
    let column: usize = first.split(':').nth(2).unwrap().parse().unwrap();
    let location = format!("tiep-nhan.rules:2:{column}");
    assert_compile_error(
        &out,
        &location,
        "rule tiếp_nhận: giờ_nhận >= 07:30 and giờ_nhận <= 2022-12-31",
        "",
    );
    assert!(first.contains("time") && first.contains("date"), "{out:?}");
}

#[test]
fn compile_error_for_comparing_a_string_with_a_time() {
    let dir = Dir::new("string-vs-time");
    dir.write("so-sanh.rules", "rule sớm: \"Đến\" == 07:30\n");
    let out = dir.run(&["lint", "so-sanh.rules"]);
    assert_compile_error(&out, "so-sanh.rules:1:11", "rule sớm: \"Đến\" == 07:30", "");
}

#[test]
fn compile_error_for_an_unknown_function() {
    let dir = Dir::new("unknown-function");
    dir.write("thu.rules", "rule thứ_hai: thứ(ngày) == 2\n");
    let out = dir.run(&["lint", "thu.rules"]);
    assert_compile_error(&out, "thu.rules:1:15", "rule thứ_hai: thứ(ngày) == 2", "thứ");
}

#[test]
fn compile_error_for_a_field_or_an_expression_as_a_range_bound_points_at_the_bound() {
    let dir = Dir::new("range-bound");
    for (line, location, fragment) in [
        (
            "rule r: visits in count..8",
            "main.rules:1:19",
            "a range bound must be a literal: `count` is a field; write the value itself",
        ),
        (
            "rule r: visits in (-3)..8",
            "main.rules:1:19",
            "a range bound must be a literal: `(-3)` is an expression; write `-3`",
        ),
        (
            "rule r: due in issued .. 2020-08-14",
            "main.rules:1:16",
            "a range bound must be a literal: `issued` is a field; write the value itself",
        ),
        (
            "rule r: x in [a, 1]",
            "main.rules:1:15",
            "a list item must be a literal: `a` is a field; write the value itself",
        ),
    ] {
        dir.write("main.rules", format!("{line}\n"));
        let out = dir.run(&["lint", "main.rules"]);
        assert_compile_error(&out, location, line, fragment);
    }
}

#[test]
fn compile_error_for_a_wrong_number_of_arguments() {
    let dir = Dir::new("wrong-arity");
    dir.write("thu.rules", "rule thứ: weekday(ngày, giờ) == 2\n");
    let out = dir.run(&["lint", "thu.rules"]);
    out.expect_code(2);
    assert!(out.stderr.starts_with("thu.rules:1:"), "{out:?}");
}

#[test]
fn compile_error_for_a_duplicate_rule_id() {
    let dir = Dir::new("duplicate-id");
    dir.write(
        "the.rules",
        "rule thẻ: badge_worn required\n# Thẻ công chức\nrule thẻ: the_cong_chuc required\n",
    );
    let out = dir.run(&["lint", "the.rules"]);
    assert_compile_error(&out, "the.rules:3:6", "rule thẻ: the_cong_chuc required", "thẻ");
}

#[test]
fn compile_error_for_redefining_an_inherited_rule_without_override() {
    let dir = Dir::new("duplicate-inherited");
    dir.write("base.rules", "rule badge: badge_worn required\n")
        .write(
            "tinh.rules",
            "extends \"base.rules\"\n# Đeo thẻ\nrule badge: thẻ required\n",
        );
    let out = dir.run(&["lint", "tinh.rules"]);
    assert_compile_error(&out, "tinh.rules:3:6", "rule badge: thẻ required", "badge");
}

#[test]
fn compile_error_for_override_of_a_rule_nothing_inherited() {
    let dir = Dir::new("override-nothing");
    dir.write(
        "nghe-an.rules",
        "# Tỉnh Nghệ An\noverride rule đúng_giờ { check arrival <= 07:00 }\n",
    );
    let out = dir.run(&["lint", "nghe-an.rules"]);
    assert_compile_error(
        &out,
        "nghe-an.rules:2:15",
        "override rule đúng_giờ { check arrival <= 07:00 }",
        "đúng_giờ",
    );
}

#[test]
fn compile_error_for_override_of_a_rule_the_file_itself_defines() {
    let dir = Dir::new("override-own");
    dir.write(
        "gio.rules",
        "rule đúng_giờ: arrival <= 07:30\noverride rule đúng_giờ: arrival <= 07:00\n",
    );
    let out = dir.run(&["lint", "gio.rules"]);
    out.expect_code(2);
    assert!(out.stderr.starts_with("gio.rules:2:"), "{out:?}");
}

#[test]
fn compile_error_for_disable_of_a_rule_nothing_inherited() {
    let dir = Dir::new("disable-nothing");
    dir.write(
        "nghe-an.rules",
        "rule badge: badge_worn required\ndisable rule khẩu_trang\n",
    );
    let out = dir.run(&["lint", "nghe-an.rules"]);
    assert_compile_error(
        &out,
        "nghe-an.rules:2:14",
        "disable rule khẩu_trang",
        "khẩu_trang",
    );
}

#[test]
fn compile_error_for_an_extends_cycle() {
    let dir = Dir::new("extends-cycle");
    dir.write("a.rules", "extends \"b.rules\"\nrule a: x required\n")
        .write("b.rules", "extends \"a.rules\"\nrule b: y required\n")
        .write("data.ndjson", "{}\n");
    let out = dir.run(&["check", "a.rules", "data.ndjson"]);
    assert_compile_error(&out, "b.rules:1:9", "extends \"a.rules\"", "cycle");
}

#[test]
fn compile_error_for_an_extends_of_itself() {
    let dir = Dir::new("extends-self");
    dir.write(
        "a.rules",
        "# tự kế thừa\nextends \"a.rules\"\nrule a: x required\n",
    );
    let out = dir.run(&["lint", "a.rules"]);
    assert_compile_error(&out, "a.rules:2:9", "extends \"a.rules\"", "cycle");
}

#[test]
fn compile_error_for_an_extends_of_a_missing_file() {
    let dir = Dir::new("extends-missing");
    dir.write(
        "tinh.rules",
        "ruleset \"tỉnh\"\nextends \"không-có.rules\"\nrule a: x required\n",
    );
    let out = dir.run(&["lint", "tinh.rules"]);
    assert_compile_error(
        &out,
        "tinh.rules:2:9",
        "extends \"không-có.rules\"",
        "không-có.rules",
    );
}

/// chung/quoc-gia.rules is outside tinh/, the folder of the rules file.
fn outside_root(test: &str) -> Dir {
    let dir = Dir::new(test);
    dir.write(
        "chung/quoc-gia.rules",
        "ruleset \"quốc-gia\"\nrule badge: badge_worn required\n",
    )
    .write(
        "tinh/nghe-an.rules",
        "ruleset \"nghe-an\"\nextends \"../chung/quoc-gia.rules\"\nrule mask: mask_worn required\n",
    )
    .write(
        "data.ndjson",
        "{\"badge_worn\": true, \"mask_worn\": true}\n{\"badge_worn\": false, \"mask_worn\": true}\n",
    );
    dir
}

#[test]
fn extends_outside_the_rules_folder_is_refused() {
    let dir = outside_root("extends-outside");
    let out = dir.run(&["check", "tinh/nghe-an.rules", "data.ndjson", "--format", "json"]);
    assert_compile_error(
        &out,
        "tinh/nghe-an.rules:2:9",
        "extends \"../chung/quoc-gia.rules\"",
        "",
    );
    let lint = dir.run(&["lint", "tinh/nghe-an.rules"]);
    lint.expect_code(2);
    assert!(
        lint.stderr.starts_with("tinh/nghe-an.rules:2:9: error: "),
        "{lint:?}"
    );
}

#[test]
fn extends_outside_the_rules_folder_is_allowed_with_rules_root() {
    let dir = outside_root("extends-rules-root");
    let out = dir.run(&[
        "check",
        "tinh/nghe-an.rules",
        "data.ndjson",
        "--format",
        "json",
        "--rules-root",
        ".",
    ]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["ruleset"], "nghe-an");
    assert_eq!(violation_list(&report), triples(&[(2, "badge", "failed")]));
    assert_keys_in_order(
        &out.stdout[out.stdout.find("\"summary\"").unwrap()..],
        &["badge", "mask"],
    );
    dir.run(&["lint", "tinh/nghe-an.rules", "--rules-root", "."])
        .expect_code(0);
}

#[test]
fn extends_into_a_subfolder_needs_no_rules_root() {
    let dir = Dir::new("extends-subfolder");
    dir.write("chung/quoc-gia.rules", "rule badge: badge_worn required\n")
        .write(
            "nghe-an.rules",
            "extends \"chung/quoc-gia.rules\"\nrule mask: mask_worn required\n",
        )
        .write("data.ndjson", "{\"badge_worn\": true, \"mask_worn\": true}\n");
    let out = dir.run(&["check", "nghe-an.rules", "data.ndjson", "--format", "summary"]);
    out.expect_code(0);
    assert_eq!(
        out.json(),
        json!({"records": 1, "violations": {"badge": 0, "mask": 0}, "errors": 0, "not_checked": {}, "ungrouped": {}})
    );
}

#[test]
fn compile_error_in_an_inherited_file_names_that_file() {
    let dir = Dir::new("error-in-inherited");
    dir.write("base.rules", "# Quy định chung\nrule on_time: arrival <= 24:00\n")
        .write("tinh.rules", "extends \"base.rules\"\nrule b: x required\n");
    let out = dir.run(&["lint", "tinh.rules"]);
    assert_compile_error(&out, "base.rules:2:26", "rule on_time: arrival <= 24:00", "24:00");
}

#[test]
fn compile_error_in_a_crlf_rules_file_shows_the_line_without_carriage_return() {
    let dir = Dir::new("crlf-compile-error");
    dir.write("gio.rules", "rule a: x <= 07:30\r\nrule giờ_về: y >= 25:00\r\n");
    let out = dir.run(&["lint", "gio.rules"]);
    assert_compile_error(&out, "gio.rules:2:19", "rule giờ_về: y >= 25:00", "25:00");
    assert!(!out.stderr.contains('\r'), "{out:?}");
}

#[test]
fn compile_error_column_ignores_a_byte_order_mark() {
    let dir = Dir::new("bom-compile-error");
    dir.write("gio.rules", "\u{FEFF}rule giờ: arrival <= 25:00\n");
    let out = dir.run(&["lint", "gio.rules"]);
    assert_compile_error(&out, "gio.rules:1:22", "rule giờ: arrival <= 25:00", "25:00");
}

// ---------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------

#[test]
fn json_format_prints_the_whole_report_object() {
    let dir = staff("json-whole");
    let out = dir.run(&["check", "so-noi-vu.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let mut report = out.json();
    report["errors"] = without_messages(&report["errors"]);
    // `values` (the evidence) is asserted in tests/explain.rs.
    for violation in report["violations"].as_array_mut().unwrap() {
        assert!(violation.as_object_mut().unwrap().remove("values").is_some());
    }
    assert_eq!(report, staff_expected_report());
    // summary.violations lists every rule in the order of the rule set.
    let summary = &out.stdout[out.stdout.find("\"summary\"").unwrap()..];
    assert_keys_in_order(summary, &["badge", "on_time", "full_day", "ratio"]);
}

#[test]
fn json_violation_fields_are_null_where_the_rule_has_none() {
    let dir = Dir::new("json-nulls");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("data.json", "{\"employee_id\": \"NV-01\"}");
    let out = dir.run(&["check", "gio.rules", "data.json", "--format", "json"]);
    out.expect_code(1);
    assert_eq!(
        out.json(),
        json!({
            "ruleset": "gio",
            "records": 1,
            "violations": [
                {"record": 1, "rule": "badge", "severity": "major", "reason": "failed", "missing": [],
                 "key": null, "title": null, "message": null, "ref": null, "values": {"badge_worn": null}}
            ],
            "group_violations": [],
            "errors": [],
            "summary": {"violations": {"badge": 1}, "errors": 0, "not_checked": {}, "ungrouped": {}}
        })
    );
}

#[test]
fn json_missing_lists_fields_in_order_of_first_appearance() {
    let dir = Dir::new("json-missing-order");
    dir.write(
        "ngay.rules",
        "field arrival: time\nfield departure: time\n\
         rule full_day: departure - arrival >= 8h\n\
         rule b: (c > 1 or a > 2) and c < 5\n",
    )
    .write("data.ndjson", "{}\n{\"arrival\": \"07:00\", \"a\": 3}\n");
    let out = dir.run(&["check", "ngay.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let missing: Vec<(u64, String, Value)> = out.json()["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            assert_eq!(v["reason"], "missing");
            (
                v["record"].as_u64().unwrap(),
                v["rule"].as_str().unwrap().to_string(),
                v["missing"].clone(),
            )
        })
        .collect();
    assert_eq!(
        missing,
        vec![
            (1, "full_day".to_string(), json!(["departure", "arrival"])),
            (1, "b".to_string(), json!(["c", "a"])),
            (2, "full_day".to_string(), json!(["departure"])),
            (2, "b".to_string(), json!(["c"])),
        ]
    );
}

#[test]
fn json_orders_violations_by_record_then_rule_position() {
    let dir = Dir::new("json-order");
    dir.write(
        "gio.rules",
        "rule z_last: z required\nrule a_first: a required\nrule m_mid: m required\n",
    )
    .write("data.json", "[{\"m\": 1}, {}, {\"z\": 1, \"a\": 1}]");
    let out = dir.run(&["check", "gio.rules", "data.json", "--format", "json"]);
    out.expect_code(1);
    assert_eq!(
        violation_list(&out.json()),
        triples(&[
            (1, "z_last", "failed"),
            (1, "a_first", "failed"),
            (2, "z_last", "failed"),
            (2, "a_first", "failed"),
            (2, "m_mid", "failed"),
            (3, "m_mid", "failed"),
        ])
    );
    let summary = &out.stdout[out.stdout.find("\"summary\"").unwrap()..];
    assert_keys_in_order(summary, &["z_last", "a_first", "m_mid"]);
}

#[test]
fn json_lists_data_errors_before_evaluation_errors_within_a_record() {
    let dir = Dir::new("json-error-order");
    dir.write(
        "chia.rules",
        "field a: int\nfield b: int\nfield t: time\nfield z: date\n\
         rule r1: a / b > 1\nrule r2: t <= 07:30\nrule r3: a / b < 9\n",
    )
    .write(
        "data.ndjson",
        "{\"a\": 1, \"b\": 0, \"t\": \"sáng\", \"z\": \"hôm nay\"}\n",
    );
    let out = dir.run(&["check", "chia.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["violations"], json!([]));
    // One entry per data error (for every typed field, used or not); the
    // rule using `t` gets no entry of its own; then evaluation errors in
    // rule order.
    assert_eq!(
        error_list(&report),
        vec![
            (1, json!("t"), Value::Null),
            (1, json!("z"), Value::Null),
            (1, Value::Null, json!("r1")),
            (1, Value::Null, json!("r3")),
        ]
    );
    assert_eq!(report["summary"]["errors"], 4);
}

#[test]
fn ndjson_format_prints_each_violation_and_error_with_its_kind() {
    let dir = staff("ndjson-kind");
    let out = dir.run(&["check", "so-noi-vu.rules", "data.ndjson", "--format", "ndjson"]);
    out.expect_code(1);
    let lines = out.ndjson();
    assert_eq!(lines.len(), 6, "{out:?}");
    let expected = staff_expected_report();
    let mut violations = Vec::new();
    let mut errors = Vec::new();
    let mut last_record = 0;
    for line in lines {
        let mut entry = line.as_object().expect("each line is an object").clone();
        let record = entry["record"].as_u64().unwrap();
        assert!(record >= last_record, "entries come in record order:\n{out:?}");
        last_record = record;
        entry.remove("values");
        match entry.remove("kind") {
            Some(Value::String(kind)) if kind == "violation" => violations.push(Value::Object(entry)),
            Some(Value::String(kind)) if kind == "error" => errors.push(Value::Object(entry)),
            other => panic!("unexpected kind {other:?}:\n{out:?}"),
        }
    }
    assert_eq!(Value::Array(violations), expected["violations"]);
    assert_eq!(without_messages(&Value::Array(errors)), expected["errors"]);
}

#[test]
fn ndjson_format_prints_nothing_when_there_are_no_findings() {
    let dir = Dir::new("ndjson-empty");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("data.ndjson", "{\"badge_worn\": true}\n");
    let out = dir.run(&["check", "gio.rules", "data.ndjson", "--format", "ndjson"]);
    out.expect_code(0);
    assert_eq!(out.stdout.trim(), "");
}

#[test]
fn summary_format_prints_records_violations_per_rule_and_errors() {
    let dir = staff("summary");
    let out = dir.run(&["check", "so-noi-vu.rules", "data.ndjson", "--format", "summary"]);
    out.expect_code(1);
    assert_eq!(
        out.json(),
        json!({
            "records": 5,
            "violations": {"badge": 1, "on_time": 1, "full_day": 1, "ratio": 0},
            "errors": 3,
            "not_checked": {},
            "ungrouped": {}
        })
    );
    assert_keys_in_order(
        &out.stdout,
        &[
            "records",
            "violations",
            "badge",
            "on_time",
            "full_day",
            "ratio",
            "errors",
        ],
    );
}

#[test]
fn summary_format_exit_status_follows_the_findings() {
    let dir = Dir::new("summary-exit");
    dir.write("gio.rules", "rule badge: badge_worn required\n")
        .write("ok.ndjson", "{\"badge_worn\": true}\n")
        .write("bad.ndjson", "{\"badge_worn\": false}\n");
    let ok = dir.run(&["check", "gio.rules", "ok.ndjson", "--format", "summary"]);
    ok.expect_code(0);
    assert_eq!(
        ok.json(),
        json!({"records": 1, "violations": {"badge": 0}, "errors": 0, "not_checked": {}, "ungrouped": {}})
    );
    let bad = dir.run(&["check", "gio.rules", "bad.ndjson", "--format", "summary"]);
    bad.expect_code(1);
    assert_eq!(
        bad.json(),
        json!({"records": 1, "violations": {"badge": 1}, "errors": 0, "not_checked": {}, "ungrouped": {}})
    );
}

const TABLE_RULES: &str = r#"ruleset "văn-hoá-công-sở"
key mã

rule thẻ {
  title    "Đeo thẻ công chức"
  severity minor
  check    badge_worn required
  message  "Không đeo thẻ: {họ_tên}"
}

rule on_time {
  title    "Đến cơ quan đúng giờ"
  check    arrival <= 07:30
  message  "Đến cơ quan lúc {arrival}"
}

rule trang_phục_công_sở {
  title    "Trang phục công sở"
  severity critical
  check    dress in ["uniform", "formal"]
}

rule biển_tên: nameplate required
"#;

const TABLE_DATA: &str = r#"{"mã": "Đặng-01", "họ_tên": "Đặng Thị Hồng Nhung", "badge_worn": false, "arrival": "07:45", "nameplate": true, "dress": "formal"}
{"mã": "NV-000002", "họ_tên": "Lê Minh", "badge_worn": true, "arrival": "07:10", "nameplate": false, "dress": "casual"}
{"mã": "Ư", "họ_tên": "Hồ Văn Tiến", "badge_worn": true, "arrival": "08:00", "nameplate": true, "dress": "uniform"}
"#;

#[test]
fn table_format_aligns_columns_by_characters_and_totals_each_rule() {
    let dir = Dir::new("table");
    dir.write("van-hoa.rules", TABLE_RULES)
        .write("data.ndjson", TABLE_DATA);
    let out = dir.run(&["check", "van-hoa.rules", "data.ndjson", "--format", "table"]);
    out.expect_code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let row = |key: &str, rule: &str| -> &str {
        let rule_cell = format!(" {rule} ");
        lines
            .iter()
            .copied()
            .find(|l| l.contains(key) && l.contains(&rule_cell))
            .unwrap_or_else(|| panic!("no row for {key} / {rule}:\n{out:?}"))
    };
    let rows = [
        (row("Đặng-01", "thẻ"), "thẻ", "minor"),
        (row("Đặng-01", "on_time"), "on_time", "major"),
        (
            row("NV-000002", "trang_phục_công_sở"),
            "trang_phục_công_sở",
            "critical",
        ),
        (row("NV-000002", "biển_tên"), "biển_tên", "major"),
        (row(" Ư ", "on_time"), "on_time", "major"),
    ];
    // The rule column and the severity column start at the same character
    // on every row, whatever the width in bytes of the keys before them.
    let rule_column = char_index(rows[0].0, " thẻ ") + 1;
    let severity_column = char_index(rows[0].0, " minor ") + 1;
    for (line, rule, severity) in rows {
        assert_eq!(
            char_index(line, &format!(" {rule} ")) + 1,
            rule_column,
            "{line:?}\n{out:?}"
        );
        assert_eq!(
            char_index(line, &format!(" {severity} ")) + 1,
            severity_column,
            "{line:?}\n{out:?}"
        );
    }
    // Vietnamese messages and titles are shown whole.
    let message_column = char_index(rows[0].0, "Không đeo thẻ: Đặng Thị Hồng Nhung");
    assert_eq!(char_index(rows[1].0, "Đến cơ quan lúc 07:45"), message_column);
    assert_eq!(char_index(rows[4].0, "Đến cơ quan lúc 08:00"), message_column);
    assert!(rows[2].0.contains("Trang phục công sở"), "{out:?}");
    // Totals per rule, every rule, counts aligned.
    let totals: Vec<(&str, usize)> = [
        ("thẻ", "1"),
        ("on_time", "2"),
        ("trang_phục_công_sở", "1"),
        ("biển_tên", "1"),
    ]
    .iter()
    .map(|(rule, count)| {
        let line = lines
            .iter()
            .copied()
            .find(|l| l.split_whitespace().collect::<Vec<_>>() == [*rule, *count])
            .unwrap_or_else(|| panic!("no total line `{rule} {count}`:\n{out:?}"));
        (line, line.chars().count() - 1)
    })
    .collect();
    assert!(
        totals.iter().all(|(_, at)| *at == totals[0].1),
        "counts aligned: {totals:?}\n{out:?}"
    );
    assert!(out.stdout.contains("văn-hoá-công-sở"), "{out:?}");
}

#[test]
fn table_format_shows_errors() {
    let dir = staff("table-errors");
    let out = dir.run(&["check", "so-noi-vu.rules", "data.ndjson", "--format", "table"]);
    out.expect_code(1);
    assert!(out.stdout.contains("arrival"), "{out:?}");
    assert!(out.stdout.contains("ratio"), "{out:?}");
    assert!(out.stdout.contains("Đến muộn lúc 07:45"), "{out:?}");
}

#[test]
fn table_is_the_default_format() {
    let dir = Dir::new("table-default");
    dir.write("van-hoa.rules", TABLE_RULES)
        .write("data.ndjson", TABLE_DATA);
    let default = dir.run(&["check", "van-hoa.rules", "data.ndjson"]);
    let table = dir.run(&["check", "van-hoa.rules", "data.ndjson", "--format", "table"]);
    default.expect_code(1);
    assert_eq!(default.stdout, table.stdout);
    assert!(default.stdout.contains("Không đeo thẻ: Đặng Thị Hồng Nhung"));
}

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

const BADGE_RULES: &str = "key employee_id\nfield badge_worn: bool\nrule badge: badge_worn required\n";

#[test]
fn json_input_reads_an_array_of_objects() {
    let dir = Dir::new("json-array");
    dir.write("the.rules", BADGE_RULES).write(
        "data.json",
        r#"[
  {"employee_id": "NV-01", "badge_worn": true},
  {"employee_id": "NV-02", "badge_worn": false},
  {"employee_id": "NV-03"}
]"#,
    );
    let out = dir.run(&["check", "the.rules", "data.json", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 3);
    assert_eq!(
        violation_list(&report),
        triples(&[(2, "badge", "failed"), (3, "badge", "failed")])
    );
    assert_eq!(report["violations"][1]["key"], "NV-03");
}

#[test]
fn json_input_reads_a_single_object() {
    let dir = Dir::new("json-object");
    dir.write("the.rules", BADGE_RULES).write(
        "data.json",
        "{\n  \"employee_id\": \"NV-01\",\n  \"badge_worn\": false\n}\n",
    );
    let out = dir.run(&["check", "the.rules", "data.json", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 1);
    assert_eq!(violation_list(&report), triples(&[(1, "badge", "failed")]));
    assert_eq!(report["violations"][0]["key"], "NV-01");
}

#[test]
fn json_array_element_that_is_not_an_object_is_one_error() {
    let dir = Dir::new("json-non-object");
    dir.write("the.rules", BADGE_RULES).write(
        "data.json",
        r#"[{"badge_worn": true}, 5, "NV-03", {"badge_worn": false}]"#,
    );
    let out = dir.run(&["check", "the.rules", "data.json", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 4);
    assert_eq!(
        error_list(&report),
        vec![(2, Value::Null, Value::Null), (3, Value::Null, Value::Null)]
    );
    assert_eq!(violation_list(&report), triples(&[(4, "badge", "failed")]));
}

#[test]
fn json_input_that_is_an_empty_array_has_no_records() {
    let dir = Dir::new("json-empty");
    dir.write("the.rules", BADGE_RULES).write("data.json", "[]\n");
    let out = dir.run(&["check", "the.rules", "data.json", "--format", "summary"]);
    out.expect_code(0);
    assert_eq!(
        out.json(),
        json!({"records": 0, "violations": {"badge": 0}, "errors": 0, "not_checked": {}, "ungrouped": {}})
    );
}

#[test]
fn ndjson_input_skips_blank_lines_and_reports_bad_lines_as_one_error_each() {
    let dir = Dir::new("ndjson-lines");
    dir.write("cham-cong.rules", "key employee_id\nfield arrival: time\nrule dung_gio: arrival <= 07:30\nrule the: badge_worn required\n")
        .write(
            "data.ndjson",
            "{\"employee_id\": \"NV-01\", \"arrival\": \"07:10\", \"badge_worn\": true}\n\
             \n\
             {\"employee_id\": \"NV-02\", \"arrival\": \"7h30\", \"badge_worn\": false}\n\
             {\"employee_id\": \"NV-03\", \"arrival\": \"07:40\"\n\
             [\"NV-04\", \"07:00\"]\n\
             \x20\t \n\
             null\n\
             {\"employee_id\": \"NV-06\", \"arrival\": \"07:45\"}",
        );
    let out = dir.run(&["check", "cham-cong.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 6);
    assert_eq!(
        violation_list(&report),
        triples(&[
            (2, "the", "failed"),
            (6, "dung_gio", "failed"),
            (6, "the", "failed")
        ])
    );
    assert_eq!(
        error_list(&report),
        vec![
            (2, json!("arrival"), Value::Null),
            (3, Value::Null, Value::Null),
            (4, Value::Null, Value::Null),
            (5, Value::Null, Value::Null),
        ]
    );
    assert_eq!(
        report["summary"],
        json!({"violations": {"dung_gio": 1, "the": 2}, "errors": 4, "not_checked": {}, "ungrouped": {}})
    );
}

#[test]
fn ndjson_line_that_is_not_utf8_is_one_error() {
    let dir = Dir::new("ndjson-not-utf8");
    let mut data = b"{\"badge_worn\": true}\n{\"badge_worn\": \"".to_vec();
    data.extend_from_slice(b"\xff\xfe\"}\n{\"badge_worn\": false}\n");
    dir.write("the.rules", BADGE_RULES).write("data.ndjson", data);
    let out = dir.run(&["check", "the.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 3);
    assert_eq!(error_list(&report), vec![(2, Value::Null, Value::Null)]);
    assert_eq!(violation_list(&report), triples(&[(3, "badge", "failed")]));
}

#[test]
fn jsonl_extension_is_read_as_ndjson() {
    let dir = Dir::new("jsonl");
    dir.write("the.rules", BADGE_RULES).write(
        "data.jsonl",
        "{\"employee_id\": \"NV-01\", \"badge_worn\": true}\n\n{\"employee_id\": \"NV-02\"}\n",
    );
    let out = dir.run(&["check", "the.rules", "data.jsonl", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 2);
    assert_eq!(violation_list(&report), triples(&[(2, "badge", "failed")]));
}

const CSV_RULES: &str = r#"key employee_id
field badge_worn: bool
field arrival: time
field overdue: int
rule badge: badge_worn required
rule on_time: arrival <= 07:30
rule tthc: overdue <= 0
rule flag_set {
  check   flag required
  message "mã {code}"
}
"#;

#[test]
fn csv_input_reads_a_header_empty_cells_as_missing_and_bools_as_1_0() {
    let dir = Dir::new("csv");
    dir.write("csv.rules", CSV_RULES).write(
        "data.csv",
        "employee_id,badge_worn,arrival,overdue,flag,code\n\
         NV-1,1,07:10,0,true,0042\n\
         NV-2,0,07:20,,false,0042\n\
         NV-3,true,,2,,\n\
         NV-4,yes,07:00,0,true,x\n",
    );
    let out = dir.run(&["check", "csv.rules", "data.csv", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 4);
    // 1 → true, 0 → false; an empty cell is missing; `false` in an untyped
    // column is a bool (so `required` is false), `0042` stays text.
    assert_eq!(
        violation_list(&report),
        triples(&[
            (2, "badge", "failed"),
            (2, "tthc", "missing"),
            (2, "flag_set", "failed"),
            (3, "on_time", "missing"),
            (3, "tthc", "failed"),
            (3, "flag_set", "failed"),
        ])
    );
    let violations = report["violations"].as_array().unwrap();
    assert_eq!(violations[1]["missing"], json!(["overdue"]));
    assert_eq!(violations[2]["message"], "mã 0042");
    assert_eq!(violations[2]["key"], "NV-2");
    assert_eq!(violations[3]["missing"], json!(["arrival"]));
    assert_eq!(violations[5]["message"], "mã ");
    // `yes` is not a bool: a data error for that record and field.
    assert_eq!(error_list(&report), vec![(4, json!("badge_worn"), Value::Null)]);
}

#[test]
fn csv_input_handles_quoted_cells_and_crlf_rows() {
    let dir = Dir::new("csv-quoted");
    dir.write(
        "ghi-chu.rules",
        "rule r {\n  check   ok required\n  message \"{ghi_chu}\"\n}\n",
    )
    .write(
        "data.csv",
        "ok,ghi_chu\r\nfalse,\"Sở Nội vụ, \"\"phòng 2\"\"\"\r\ntrue,x\r\n",
    );
    let out = dir.run(&["check", "ghi-chu.rules", "data.csv", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 2);
    assert_eq!(violation_list(&report), triples(&[(1, "r", "failed")]));
    assert_eq!(report["violations"][0]["message"], "Sở Nội vụ, \"phòng 2\"");
}

#[test]
fn standard_input_is_read_with_input_format() {
    let dir = Dir::new("stdin");
    dir.write("the.rules", BADGE_RULES);
    let ndjson = dir.run_stdin(
        &[
            "check",
            "the.rules",
            "-",
            "--input-format",
            "ndjson",
            "--format",
            "json",
        ],
        b"{\"employee_id\": \"NV-01\", \"badge_worn\": true}\n\n{\"employee_id\": \"NV-02\"}\n",
    );
    ndjson.expect_code(1);
    let report = ndjson.json();
    assert_eq!(report["records"], 2);
    assert_eq!(violation_list(&report), triples(&[(2, "badge", "failed")]));
    assert_eq!(report["violations"][0]["key"], "NV-02");

    let csv = dir.run_stdin(
        &[
            "check",
            "the.rules",
            "-",
            "--input-format",
            "csv",
            "--format",
            "summary",
        ],
        b"employee_id,badge_worn\nNV-01,1\nNV-02,0\nNV-03,\n",
    );
    csv.expect_code(1);
    assert_eq!(
        csv.json(),
        json!({"records": 3, "violations": {"badge": 2}, "errors": 0, "not_checked": {}, "ungrouped": {}})
    );

    let json = dir.run_stdin(
        &[
            "check",
            "the.rules",
            "-",
            "--input-format",
            "json",
            "--format",
            "summary",
        ],
        b"[{\"badge_worn\": true}]",
    );
    json.expect_code(0);
    assert_eq!(
        json.json(),
        json!({"records": 1, "violations": {"badge": 0}, "errors": 0, "not_checked": {}, "ungrouped": {}})
    );
}

#[test]
fn records_are_numbered_across_data_files() {
    let dir = Dir::new("numbering");
    dir.write("the.rules", BADGE_RULES)
        .write(
            "a.ndjson",
            "{\"employee_id\": \"A-1\"}\n\n{\"employee_id\": \"A-2\", \"badge_worn\": true}\n",
        )
        .write("b.csv", "employee_id,badge_worn\nB-1,0\nB-2,1\n")
        .write("c.json", "[{\"employee_id\": \"C-1\", \"badge_worn\": false}, 7]");
    let out = dir.run(&[
        "check",
        "the.rules",
        "a.ndjson",
        "b.csv",
        "c.json",
        "--format",
        "json",
    ]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 6);
    assert_eq!(
        violation_list(&report),
        triples(&[
            (1, "badge", "failed"),
            (3, "badge", "failed"),
            (5, "badge", "failed")
        ])
    );
    let keys: Vec<&Value> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["key"])
        .collect();
    assert_eq!(keys, [&json!("A-1"), &json!("B-1"), &json!("C-1")]);
    assert_eq!(error_list(&report), vec![(6, Value::Null, Value::Null)]);

    let ndjson = dir.run(&[
        "check",
        "the.rules",
        "a.ndjson",
        "b.csv",
        "c.json",
        "--format",
        "ndjson",
    ]);
    ndjson.expect_code(1);
    let records: Vec<u64> = ndjson
        .ndjson()
        .iter()
        .map(|l| l["record"].as_u64().unwrap())
        .collect();
    assert_eq!(records, [1, 3, 5, 6]);
}

#[test]
fn a_byte_order_mark_at_the_start_of_a_data_file_is_ignored() {
    let dir = Dir::new("bom-data");
    // The first field of each file is the one the rule uses: a BOM kept in
    // it would hide it.
    let rules = "key employee_id\nrule badge: badge_worn required\n";
    dir.write("the.rules", rules)
        .write(
            "data.json",
            "\u{FEFF}[{\"badge_worn\": true, \"employee_id\": \"J-1\"}, {\"employee_id\": \"J-2\"}]",
        )
        .write(
            "data.ndjson",
            "\u{FEFF}{\"badge_worn\": true, \"employee_id\": \"N-1\"}\n{\"employee_id\": \"N-2\"}\n",
        )
        .write("data.csv", "\u{FEFF}badge_worn,employee_id\ntrue,C-1\n,C-2\n");
    for file in ["data.json", "data.ndjson", "data.csv"] {
        let out = dir.run(&["check", "the.rules", file, "--format", "json"]);
        out.expect_code(1);
        let report = out.json();
        assert_eq!(report["records"], 2, "{file}: {out:?}");
        assert_eq!(report["errors"], json!([]), "{file}: {out:?}");
        assert_eq!(
            violation_list(&report),
            triples(&[(2, "badge", "failed")]),
            "{file}"
        );
    }
}

#[test]
fn crlf_line_endings_in_ndjson_data() {
    let dir = Dir::new("crlf-ndjson");
    dir.write(
        "gio.rules",
        "key employee_id\nfield arrival: time\nrule on_time: arrival <= 07:30\n",
    )
    .write(
        "data.ndjson",
        "{\"employee_id\": \"A\", \"arrival\": \"07:40\"}\r\n\r\n{\"employee_id\": \"B\", \"arrival\": \"07:00\"}\r\n{\"employee_id\": \"C\", \"arrival\": \"08:00\"}\r\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 3);
    assert_eq!(report["errors"], json!([]));
    assert_eq!(
        violation_list(&report),
        triples(&[(1, "on_time", "failed"), (3, "on_time", "failed")])
    );
    assert_eq!(report["violations"][1]["key"], "C");
}

#[test]
fn crlf_line_endings_in_a_rules_file() {
    let dir = Dir::new("crlf-rules");
    dir.write(
        "crlf.rules",
        "ruleset \"crlf\"\r\nkey employee_id\r\n# chú thích\r\nrule on_time {\r\n  title \"Đúng giờ\"\r\n  check arrival <= 07:30\r\n  message \"lúc {arrival}\"\r\n}\r\nrule badge: badge_worn required\r\n",
    )
    .write(
        "data.ndjson",
        "{\"employee_id\": \"A\", \"arrival\": \"07:40\", \"badge_worn\": true}\n{\"employee_id\": \"B\", \"arrival\": \"07:00\"}\n",
    );
    dir.run(&["lint", "crlf.rules"]).expect_code(0);
    let out = dir.run(&["check", "crlf.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["ruleset"], "crlf");
    assert_eq!(
        violation_list(&report),
        triples(&[(1, "on_time", "failed"), (2, "badge", "failed")])
    );
    assert_eq!(report["violations"][0]["title"], "Đúng giờ");
    assert_eq!(report["violations"][0]["message"], "lúc 07:40");
}

#[test]
fn a_typed_field_that_cannot_be_read_is_a_data_error_even_if_no_rule_uses_it() {
    let dir = Dir::new("unused-typed-field");
    dir.write(
        "gio.rules",
        "field ngay: date\nfield so: int\nrule badge: badge_worn required\n",
    )
    .write(
        "data.ndjson",
        "{\"badge_worn\": true, \"ngay\": \"09/02/2022\", \"so\": 1.5}\n",
    );
    let out = dir.run(&["check", "gio.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["violations"], json!([]));
    assert_eq!(
        error_list(&report),
        vec![(1, json!("ngay"), Value::Null), (1, json!("so"), Value::Null)]
    );
}

#[test]
fn ruleset_name_comes_from_the_file_on_the_command_line() {
    let dir = Dir::new("ruleset-name");
    dir.write(
        "quoc-gia.rules",
        "ruleset \"quốc-gia\"\nrule badge: badge_worn required\n",
    )
    .write(
        "cua-lo.rules",
        "extends \"quoc-gia.rules\"\nrule mask: mask_worn required\n",
    )
    .write("data.json", "[]");
    let out = dir.run(&["check", "cua-lo.rules", "data.json", "--format", "json"]);
    out.expect_code(0);
    let report = out.json();
    assert_eq!(report["ruleset"], "cua-lo");
    assert_eq!(report["summary"]["violations"], json!({"badge": 0, "mask": 0}));
    let out = dir.run(&["check", "quoc-gia.rules", "data.json", "--format", "json"]);
    assert_eq!(out.json()["ruleset"], "quốc-gia");
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/// The message of the only violation of `rules` by the one record in `data`.
fn rendered_message(test: &str, rules: &str, record: &str) -> String {
    let dir = Dir::new(test);
    dir.write("m.rules", rules)
        .write("data.ndjson", format!("{record}\n"));
    let out = dir.run(&["check", "m.rules", "data.ndjson", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["violations"].as_array().map(Vec::len), Some(1), "{out:?}");
    report["violations"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("a message:\n{out:?}"))
        .to_string()
}

#[test]
fn message_replaces_placeholders_with_the_record_values() {
    let message = rendered_message(
        "message-fields",
        "field ngày: date\nrule r {\n  check fail required\n  message \"{họ_tên} ({đơn_vị.tên}) ngày {ngày}: {số_hồ_sơ} hồ sơ, {mã}\"\n}\n",
        r#"{"họ_tên": "Nguyễn Văn Hùng", "đơn_vị": {"tên": "Sở Nội vụ"}, "ngày": "2022-02-09", "số_hồ_sơ": 2, "mã": "0042", "fail": false}"#,
    );
    assert_eq!(
        message,
        "Nguyễn Văn Hùng (Sở Nội vụ) ngày 2022-02-09: 2 hồ sơ, 0042"
    );
}

#[test]
fn message_double_braces_print_single_braces() {
    let message = rendered_message(
        "message-braces",
        "field arrival: time\nrule r {\n  check arrival <= 07:00\n  message \"{{arrival}} = {arrival}, {{{arrival}}} {{}}\"\n}\n",
        r#"{"arrival": "07:45"}"#,
    );
    assert_eq!(message, "{arrival} = 07:45, {07:45} {}");
}

#[test]
fn message_prints_a_time_as_hh_mm_and_seconds_only_when_not_zero() {
    let rules = "field arrival: time\nfield departure: time\n\
                 rule r {\n  check arrival <= 07:00\n  message \"{arrival} – {departure}\"\n}\n";
    assert_eq!(
        rendered_message(
            "message-time-1",
            rules,
            r#"{"arrival": "7:05", "departure": "17:00:00"}"#
        ),
        "07:05 – 17:00"
    );
    assert_eq!(
        rendered_message(
            "message-time-2",
            rules,
            r#"{"arrival": "07:45:30", "departure": "17:00:05"}"#
        ),
        "07:45:30 – 17:00:05"
    );
}

#[test]
fn message_prints_a_missing_value_as_nothing() {
    let message = rendered_message(
        "message-missing",
        "rule r {\n  check departure >= 17:00\n  message \"Về lúc [{departure}] ({ghi_chú}) {đơn_vị.tên}.\"\n}\n",
        r#"{"ghi_chú": null, "đơn_vị": {}}"#,
    );
    assert_eq!(message, "Về lúc [] () .");
}

// ---------------------------------------------------------------------------
// fmt
// ---------------------------------------------------------------------------

const ODD_RULES: &str = "ruleset    \"so-noi-vu\"
key\temployee_id
field  arrival :time
rule    badge   :
        badge_worn     required
rule on_time{check arrival<=7:30}
   rule   du_gio   {
message \"Chỉ làm {hours_worked} giờ\"   severity   minor
      check    hours_worked>=8.0  when not(on_leave)and role in[\"a\",\"b\"]
title \"Đủ giờ làm việc\"    ref \"NĐ 112\" }
disable rule   z
";

const ODD_RULES_FORMATTED: &str = "ruleset \"so-noi-vu\"
key employee_id
field arrival: time
rule badge: badge_worn required
rule on_time: arrival <= 7:30

rule du_gio {
  title    \"Đủ giờ làm việc\"
  severity minor
  ref      \"NĐ 112\"
  when     not (on_leave) and role in [\"a\", \"b\"]
  check    hours_worked >= 8.0
  message  \"Chỉ làm {hours_worked} giờ\"
}

disable rule z
";

#[test]
fn fmt_prints_the_canonical_layout() {
    let dir = Dir::new("fmt-layout");
    dir.write("odd.rules", ODD_RULES);
    let out = dir.run(&["fmt", "odd.rules"]);
    out.expect_code(0);
    assert_eq!(out.stdout, ODD_RULES_FORMATTED);
    // The file itself is left alone.
    assert_eq!(dir.read("odd.rules"), ODD_RULES);
}

#[test]
fn fmt_is_idempotent() {
    let dir = Dir::new("fmt-idempotent");
    dir.write("odd.rules", ODD_RULES);
    let once = dir.run(&["fmt", "odd.rules"]);
    once.expect_code(0);
    dir.write("once.rules", &once.stdout);
    let twice = dir.run(&["fmt", "once.rules"]);
    twice.expect_code(0);
    assert_eq!(twice.stdout, once.stdout);
}

#[test]
fn fmt_output_compiles_to_the_same_rules() {
    let dir = Dir::new("fmt-same-rules");
    dir.write(
        "odd.rules",
        "key employee_id\nrule    badge   :\n  badge_worn required\nrule on_time{check arrival<=7:30 message \"lúc {arrival}\"}\n",
    )
    .write(
        "data.ndjson",
        "{\"employee_id\": \"A\", \"arrival\": \"07:35\", \"badge_worn\": true}\n{\"employee_id\": \"B\", \"arrival\": \"07:00\"}\n",
    );
    let formatted = dir.run(&["fmt", "odd.rules"]);
    formatted.expect_code(0);
    // Same file stem, so the ruleset name is the same too.
    dir.write("fmt/odd.rules", &formatted.stdout);
    let before = dir.run(&["check", "odd.rules", "data.ndjson", "--format", "json"]);
    let after = dir.run(&["check", "fmt/odd.rules", "data.ndjson", "--format", "json"]);
    before.expect_code(1);
    after.expect_code(1);
    assert_eq!(before.json(), after.json());
}

const COMMENTED_RULES: &str = "# Quy định chung của Sở Nội vụ
ruleset \"sở-nội-vụ\"  # tên bộ quy tắc

key employee_id

# Đeo thẻ công chức
rule badge: badge_worn required  # bắt buộc

rule on_time {
  title    \"Đúng giờ\"  # tiêu đề
  # giờ mùa đông
  check    arrival <= 07:30  # giờ vào
  message  \"Đến lúc {arrival}\"
}

# hết
";

#[test]
fn fmt_keeps_every_comment() {
    let dir = Dir::new("fmt-comments");
    dir.write("c.rules", COMMENTED_RULES);
    let out = dir.run(&["fmt", "c.rules"]);
    out.expect_code(0);
    for comment in [
        "# Quy định chung của Sở Nội vụ",
        "# tên bộ quy tắc",
        "# Đeo thẻ công chức",
        "# bắt buộc",
        "# tiêu đề",
        "# giờ mùa đông",
        "# giờ vào",
        "# hết",
    ] {
        assert_eq!(
            out.stdout.matches(comment).count(),
            1,
            "{comment:?} kept once:\n{out:?}"
        );
    }
}

#[test]
fn fmt_leaves_a_formatted_file_with_comments_unchanged() {
    let dir = Dir::new("fmt-comments-fixed-point");
    dir.write("c.rules", COMMENTED_RULES);
    let out = dir.run(&["fmt", "c.rules"]);
    out.expect_code(0);
    assert_eq!(
        out.stdout, COMMENTED_RULES,
        "a file already in the canonical layout"
    );
    dir.run(&["fmt", "--check", "c.rules"]).expect_code(0);
}

#[test]
fn fmt_keeps_a_trailing_comment_at_the_end_of_its_line() {
    // src/fmt.rs documents the layout: "a comment on the line of a statement
    // or clause stays at its end".
    let dir = Dir::new("fmt-trailing-comment");
    dir.write(
        "c.rules",
        "rule badge:   badge_worn required   # thẻ\nrule on_time {\n  title \"t\"\n  check arrival<=07:30   # giờ\n}\n",
    );
    let out = dir.run(&["fmt", "c.rules"]);
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        "rule badge: badge_worn required  # thẻ\n\nrule on_time {\n  title    \"t\"\n  check    arrival <= 07:30  # giờ\n}\n"
    );
}

#[test]
fn fmt_is_idempotent_on_a_file_with_comments() {
    let dir = Dir::new("fmt-comments-idempotent");
    dir.write(
        "c.rules",
        "rule a: x required\nrule b { title \"t\"  # c\n  check y required\n}\n\
         rule d: z required\nrule e {\n  check w <= 1  # w\n}\n",
    );
    let once = dir.run(&["fmt", "c.rules"]);
    once.expect_code(0);
    dir.write("once.rules", &once.stdout);
    let twice = dir.run(&["fmt", "once.rules"]);
    twice.expect_code(0);
    assert_eq!(
        twice.stdout, once.stdout,
        "formatting a formatted file changes nothing"
    );
    dir.run(&["fmt", "--check", "once.rules"]).expect_code(0);
}

#[test]
fn fmt_check_exits_1_on_an_unformatted_file_and_prints_nothing_on_stdout() {
    let dir = Dir::new("fmt-check-1");
    dir.write("odd.rules", ODD_RULES);
    let out = dir.run(&["fmt", "--check", "odd.rules"]);
    out.expect_code(1);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("odd.rules"), "{out:?}");
    assert_eq!(dir.read("odd.rules"), ODD_RULES, "--check changes no file");
}

#[test]
fn fmt_check_exits_0_on_a_formatted_file() {
    let dir = Dir::new("fmt-check-0");
    dir.write("ok.rules", ODD_RULES_FORMATTED);
    let out = dir.run(&["fmt", "--check", "ok.rules"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "");
}

#[test]
fn fmt_check_accepts_the_shipped_rules() {
    run_in_repo(&["fmt", "--check", "rules/national.rules", "rules/nghe-an.rules"]).expect_code(0);
}

#[test]
fn fmt_check_exits_1_when_any_file_is_unformatted() {
    let dir = Dir::new("fmt-check-several");
    dir.write("ok.rules", ODD_RULES_FORMATTED)
        .write("odd.rules", ODD_RULES);
    let out = dir.run(&["fmt", "--check", "ok.rules", "odd.rules"]);
    out.expect_code(1);
    assert!(out.stderr.contains("odd.rules"), "{out:?}");
    assert!(!out.stderr.contains("ok.rules"), "{out:?}");
}

#[test]
fn fmt_check_ignores_a_byte_order_mark() {
    // §1: a byte-order mark at the start is ignored.
    let dir = Dir::new("fmt-check-bom");
    dir.write("bom.rules", format!("\u{FEFF}{ODD_RULES_FORMATTED}"));
    dir.run(&["fmt", "--check", "bom.rules"]).expect_code(0);
}

/// The names in a test folder, sorted.
fn file_names(dir: &Dir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(&dir.path)
        .expect("list the test folder")
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn modified(dir: &Dir, name: &str) -> std::time::SystemTime {
    std::fs::metadata(dir.path.join(name))
        .and_then(|m| m.modified())
        .expect("the file's modification time")
}

#[test]
fn fmt_write_rewrites_unformatted_files_in_place_and_leaves_formatted_ones() {
    let dir = Dir::new("fmt-write");
    dir.write("odd.rules", ODD_RULES)
        .write("ok.rules", ODD_RULES_FORMATTED)
        .write("bom.rules", format!("\u{FEFF}{ODD_RULES}"));
    // An hour ago, so that a rewrite now would show.
    let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(dir.path.join("ok.rules"))
        .and_then(|f| f.set_modified(earlier))
        .expect("set the modification time");
    let before = modified(&dir, "ok.rules");
    let out = dir.run(&["fmt", "--write", "odd.rules", "ok.rules", "bom.rules"]);
    out.expect_code(0);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""), "{out:?}");
    assert_eq!(dir.read("odd.rules"), ODD_RULES_FORMATTED);
    assert_eq!(
        dir.read("bom.rules"),
        ODD_RULES_FORMATTED,
        "the byte-order mark is left out"
    );
    assert_eq!(dir.read("ok.rules"), ODD_RULES_FORMATTED);
    assert_eq!(
        modified(&dir, "ok.rules"),
        before,
        "a formatted file is not written"
    );
    assert_eq!(
        file_names(&dir),
        ["bom.rules", "odd.rules", "ok.rules"],
        "nothing else is left"
    );
    dir.run(&["fmt", "--check", "odd.rules", "ok.rules", "bom.rules"])
        .expect_code(0);
}

#[cfg(unix)]
#[test]
fn fmt_write_keeps_the_permissions_and_replaces_the_file_a_link_points_to() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new("fmt-write-permissions");
    dir.write("odd.rules", ODD_RULES);
    std::fs::set_permissions(dir.path.join("odd.rules"), std::fs::Permissions::from_mode(0o640))
        .expect("set permissions");
    std::os::unix::fs::symlink("odd.rules", dir.path.join("link.rules")).expect("make a link");
    dir.run(&["fmt", "--write", "link.rules"]).expect_code(0);
    assert_eq!(dir.read("odd.rules"), ODD_RULES_FORMATTED);
    let link = std::fs::symlink_metadata(dir.path.join("link.rules")).expect("the link");
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let mode = std::fs::metadata(dir.path.join("odd.rules"))
        .expect("the file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn fmt_write_with_check_is_a_usage_error_and_changes_nothing() {
    let dir = Dir::new("fmt-write-check");
    dir.write("odd.rules", ODD_RULES);
    let out = dir.run(&["fmt", "--write", "--check", "odd.rules"]);
    out.expect_code(2);
    assert!(out.stderr.contains("cannot be used with"), "{out:?}");
    assert_eq!(dir.read("odd.rules"), ODD_RULES);
}

#[test]
fn fmt_write_leaves_a_file_with_a_syntax_error_as_it_is() {
    let dir = Dir::new("fmt-write-syntax-error");
    let bad = "# Giờ giấc\nrule đúng_giờ arrival <= 07:30\n";
    dir.write("bad.rules", bad);
    let out = dir.run(&["fmt", "--write", "bad.rules"]);
    assert_compile_error(&out, "bad.rules:2:15", "rule đúng_giờ arrival <= 07:30", "");
    assert_eq!(dir.read("bad.rules"), bad);
    assert_eq!(file_names(&dir), ["bad.rules"]);
}

#[test]
fn help_texts_say_what_the_commands_print_and_where() {
    let dir = Dir::new("help");
    let fmt = dir.run(&["fmt", "--help"]);
    fmt.expect_code(0);
    assert!(!fmt.stdout.contains("printing nothing"), "{fmt:?}");
    assert!(
        fmt.stdout
            .contains("naming each such file on standard error (`PATH: not formatted`)"),
        "{fmt:?}"
    );
    assert!(fmt.stdout.contains("--write"), "{fmt:?}");
    let lint = dir.run(&["lint", "--help"]);
    assert!(
        lint.stdout
            .contains("Everything goes to standard error, ending with a line that counts the files checked"),
        "{lint:?}"
    );
    let explain = dir.run(&["explain", "--help"]);
    assert!(explain.stdout.contains("or else a key value"), "{explain:?}");
    let check = dir.run(&["check", "--help"]);
    assert!(check.stdout.contains("summary: Only the counts"), "{check:?}");
    // Every option says what it is for.
    for command in ["check", "explain", "lint", "test", "fmt", "sample"] {
        let help = dir.run(&[command, "--help"]);
        let lines: Vec<&str> = help.stdout.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let option = line.trim_start();
            if option.starts_with("--") || option.starts_with('<') {
                let described = lines.get(i + 1).is_some_and(|next| !next.trim().is_empty());
                assert!(
                    described,
                    "`{command} --help`: {option} is not described:\n{}",
                    help.stdout
                );
            }
        }
    }
}

#[test]
fn fmt_exits_2_on_a_syntax_error() {
    let dir = Dir::new("fmt-syntax-error");
    dir.write("bad.rules", "# Giờ giấc\nrule đúng_giờ arrival <= 07:30\n");
    let out = dir.run(&["fmt", "bad.rules"]);
    assert_compile_error(&out, "bad.rules:2:15", "rule đúng_giờ arrival <= 07:30", "");
    let check = dir.run(&["fmt", "--check", "bad.rules"]);
    check.expect_code(2);
}

// ---------------------------------------------------------------------------
// lint
// ---------------------------------------------------------------------------

#[test]
fn lint_accepts_the_shipped_rules() {
    let out = run_in_repo(&["lint", "rules/national.rules", "rules/nghe-an.rules"]);
    out.expect_code(0);
    assert!(!out.stderr.contains("error"), "{out:?}");
}

#[test]
fn lint_exits_2_and_reports_the_error() {
    let dir = Dir::new("lint-error");
    dir.write(
        "gio.rules",
        "# Giờ làm việc\nrule đúng_giờ: arrival <= 07:30 and arrival <= \"tám giờ\"\n",
    );
    let out = dir.run(&["lint", "gio.rules"]);
    out.expect_code(2);
    assert!(out.stderr.starts_with("gio.rules:2:"), "{out:?}");
    assert!(out.stderr.contains("error:"), "{out:?}");
}

#[test]
fn lint_reports_each_invalid_file() {
    let dir = Dir::new("lint-several");
    dir.write("ok.rules", "rule badge: badge_worn required\n")
        .write("a.rules", "rule a: x <= 25:00\n")
        .write("b.rules", "rule b: thứ(x) == 1\n");
    let out = dir.run(&["lint", "a.rules", "ok.rules", "b.rules"]);
    out.expect_code(2);
    assert!(out.stderr.contains("a.rules:1:14: error: "), "{out:?}");
    assert!(out.stderr.contains("b.rules:1:9: error: "), "{out:?}");
    assert!(!out.stderr.contains("ok.rules"), "{out:?}");
    dir.run(&["lint", "ok.rules"]).expect_code(0);
}

// ---------------------------------------------------------------------------
// The shipped example (examples/README.md)
// ---------------------------------------------------------------------------

const NGHE_AN_RULES: [&str; 15] = [
    "badge",
    "nameplate",
    "dress",
    "on_time",
    "no_early_leave",
    "full_day",
    "work_plan",
    "tthc_overdue",
    "no_alcohol",
    "weekly_hours",
    "late_repeat",
    "covid_mask",
    "health_declaration",
    "counter_presence",
    "unit_overdue_rate",
];

#[test]
fn shipped_example_ndjson_gives_the_documented_outcomes() {
    let out = run_in_repo(&[
        "check",
        "rules/nghe-an.rules",
        "examples/nghe-an-2022-02-09.ndjson",
        "--format",
        "json",
    ]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["ruleset"], "nghe-an");
    assert_eq!(report["records"], 36);
    let violations: Vec<(u64, String, String, Value, Value)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["record"].as_u64().unwrap(),
                v["rule"].as_str().unwrap().to_string(),
                v["reason"].as_str().unwrap().to_string(),
                v["missing"].clone(),
                v["key"].clone(),
            )
        })
        .collect();
    let expected: Vec<(u64, String, String, Value, Value)> = [
        (4, "on_time", "failed", json!([])),
        (6, "badge", "failed", json!([])),
        (8, "dress", "failed", json!([])),
        (11, "no_early_leave", "failed", json!([])),
        (13, "covid_mask", "failed", json!([])),
        (14, "dress", "missing", json!(["dress"])),
        (19, "nameplate", "failed", json!([])),
        (19, "on_time", "failed", json!([])),
        (19, "no_early_leave", "failed", json!([])),
        (20, "tthc_overdue", "failed", json!([])),
        (22, "no_alcohol", "failed", json!([])),
        (24, "work_plan", "failed", json!([])),
        (25, "no_early_leave", "missing", json!(["departure"])),
        (25, "full_day", "missing", json!(["departure"])),
        (30, "counter_presence", "failed", json!([])),
    ]
    .into_iter()
    .map(|(record, rule, reason, missing)| {
        (
            record,
            rule.to_string(),
            reason.to_string(),
            missing,
            json!(format!("NA-{record:04}")),
        )
    })
    .collect();
    assert_eq!(violations, expected);
    assert_eq!(error_list(&report), vec![(10, json!("arrival"), Value::Null)]);
    assert_eq!(
        report["summary"]["violations"],
        json!({
            "badge": 1, "nameplate": 1, "dress": 2, "on_time": 2, "no_early_leave": 3, "full_day": 1,
            "work_plan": 1, "tthc_overdue": 1, "no_alcohol": 1, "weekly_hours": 1, "late_repeat": 0,
            "covid_mask": 1, "health_declaration": 0, "counter_presence": 1, "unit_overdue_rate": 1
        })
    );
    assert_eq!(report["summary"]["errors"], 1);
    // One day of data: NA-0025's week lacks a departure (missing, not
    // failed), and Vinh's one-stop desk has 1 of 2 checks overdue.
    let groups: Vec<(Value, Value, Value)> = report["group_violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["rule"].clone(), g["group"].clone(), g["reason"].clone()))
        .collect();
    assert_eq!(
        groups,
        [
            (
                json!("unit_overdue_rate"),
                json!({"unit": "UBND thành phố Vinh"}),
                json!("failed")
            ),
            (
                json!("weekly_hours"),
                json!({"employee_id": "NA-0025", "week_start(date)": "2022-02-07"}),
                json!("missing")
            ),
        ]
    );
    let summary = &out.stdout[out.stdout.find("\"summary\"").unwrap()..];
    assert_keys_in_order(summary, &NGHE_AN_RULES);
    // Severities and texts come from the effective rules (on_time overridden).
    let on_time = &report["violations"][0];
    assert_eq!(on_time["severity"], "major");
    assert_eq!(on_time["message"], "Đến cơ quan lúc 07:48, sau 07:30");
    assert_eq!(
        on_time["title"],
        "Đến cơ quan đúng giờ (giờ làm việc mùa đông của tỉnh Nghệ An)"
    );
    assert_eq!(
        report["violations"][10]["message"],
        "Nồng độ cồn 0.15 mg/L khí thở"
    );
    assert_eq!(report["violations"][10]["severity"], "critical");
}

#[test]
fn shipped_example_csv_gives_the_documented_outcomes() {
    let out = run_in_repo(&[
        "check",
        "rules/nghe-an.rules",
        "examples/nghe-an-2022-02-09.csv",
        "--format",
        "json",
    ]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 8);
    assert_eq!(
        violation_list(&report),
        triples(&[
            (2, "on_time", "failed"),
            (3, "badge", "failed"),
            (3, "nameplate", "failed"),
            (4, "tthc_overdue", "missing"),
            (6, "covid_mask", "failed"),
            (8, "no_early_leave", "failed"),
        ])
    );
    assert_eq!(report["violations"][3]["missing"], json!(["overdue_procedures"]));
    assert_eq!(report["violations"][0]["key"], "NA-0102");
    assert_eq!(report["errors"], json!([]));
}

#[test]
fn shipped_examples_checked_together_number_the_csv_records_37_to_44() {
    let out = run_in_repo(&[
        "check",
        "rules/nghe-an.rules",
        "examples/nghe-an-2022-02-09.ndjson",
        "examples/nghe-an-2022-02-09.csv",
        "--format",
        "json",
    ]);
    out.expect_code(1);
    let report = out.json();
    assert_eq!(report["records"], 44);
    let csv_part: Vec<(u64, String, String)> = violation_list(&report)
        .into_iter()
        .filter(|(record, _, _)| *record > 36)
        .collect();
    assert_eq!(
        csv_part,
        triples(&[
            (38, "on_time", "failed"),
            (39, "badge", "failed"),
            (39, "nameplate", "failed"),
            (40, "tthc_overdue", "missing"),
            (42, "covid_mask", "failed"),
            (44, "no_early_leave", "failed"),
        ])
    );
    assert_eq!(report["violations"].as_array().unwrap().len(), 21);
    assert_eq!(error_list(&report), vec![(10, json!("arrival"), Value::Null)]);
}

#[test]
fn shipped_example_summary_format() {
    let out = run_in_repo(&[
        "check",
        "rules/nghe-an.rules",
        "examples/nghe-an-2022-02-09.ndjson",
        "--format",
        "summary",
    ]);
    out.expect_code(1);
    assert_eq!(
        out.json(),
        json!({
            "records": 36,
            "violations": {
                "badge": 1, "nameplate": 1, "dress": 2, "on_time": 2, "no_early_leave": 3, "full_day": 1,
                "work_plan": 1, "tthc_overdue": 1, "no_alcohol": 1, "weekly_hours": 1, "late_repeat": 0,
                "covid_mask": 1, "health_declaration": 0, "counter_presence": 1, "unit_overdue_rate": 1
            },
            "errors": 1,
            "not_checked": {},
            "ungrouped": {}
        })
    );
    assert_keys_in_order(&out.stdout, &NGHE_AN_RULES);
}
