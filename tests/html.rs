//! `--format html` in a real browser: headless Chromium driven through
//! chromedriver (W3C WebDriver over HTTP) reads the report of
//! tests/data/html-month.ndjson and checks what a reader sees: the totals
//! the JSON report gives, a filter that keeps one unit's rows, no request
//! leaving the page, a print to A4 PDF of more than one page, and a data
//! value holding `<script>` shown as text. The rules have a group rule
//! (repeat lateness), so that the page has a group violation too.
//!
//! Needs Debian's `chromium` and `chromium-driver`: when they are absent the
//! test installs them (`apt-get install -y chromium chromium-driver`, as
//! root), and fails, saying how to install them, when it cannot.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs the command and gives its standard output (exit 1: findings).
fn civrules(args: &[&str], envs: &[(&str, &str)]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_civrules"))
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .expect("run civrules");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Installs Chromium and chromedriver when they are absent; panics with
/// the way to install them when that fails.
fn ensure_browser() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INSTALLED.get_or_init(|| {
        let present = || Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
        if present() {
            return Ok(());
        }
        let install = || {
            Command::new("apt-get")
                .args(["install", "-y", "chromium", "chromium-driver"])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
        };
        // A machine fresh from its image may not have read the package lists.
        if !install().is_ok_and(|s| s.success()) {
            let _ = Command::new("apt-get").arg("update").status();
            let _ = install();
        }
        if present() {
            Ok(())
        } else {
            Err(format!(
                "tests/html.rs needs {CHROMIUM} and {CHROMEDRIVER}, and could not install them; \
                 install them with `apt-get update && apt-get install -y chromium chromium-driver` \
                 (Debian's packages), as root, then run the tests again"
            ))
        }
    });
    if let Err(message) = result {
        panic!("{message}");
    }
}

/// A chromedriver process with one browser session, both ended on drop.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    profile: PathBuf,
}

impl Browser {
    fn start(name: &str) -> Browser {
        ensure_browser();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let profile = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("html-chromium-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        let mut browser = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            agent,
            profile,
        };
        browser.wait_until_ready();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-crash-reporter", "--disable-breakpad",
                    "--window-size=1280,1000",
                    format!("--user-data-dir={}", browser.profile.display()),
                ],
            },
        }}});
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        browser
    }

    fn wait_until_ready(&self) {
        let start = Instant::now();
        loop {
            let ready = self
                .agent
                .get(format!("{}/status", self.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .is_some_and(|status| status["value"]["ready"] == true);
            if ready {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// One WebDriver command: the whole answer, whatever its status.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let text = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
    }

    /// A command of the session that must succeed: its `value`.
    fn session(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let answer = self.call(method, &format!("/session/{}{path}", self.session), body);
        let value = answer["value"].clone();
        assert!(
            value.get("error").is_none(),
            "{method} {path}: {}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        value
    }

    fn open(&self, file: &Path) {
        self.session(
            "POST",
            "/url",
            Some(json!({"url": format!("file://{}", file.display())})),
        );
    }

    fn script(&self, script: &str) -> Value {
        self.session(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn click(&self, css: &str) {
        let found = self.session(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        let id = found["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string();
        self.session("POST", &format!("/element/{id}/click"), None);
    }

    /// Whether an alert is open (a script of the data ran).
    fn alert_open(&self) -> bool {
        let answer = self.call("GET", &format!("/session/{}/alert/text", self.session), None);
        answer["value"].get("error").is_none()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let digit = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    for chunk in clean.chunks(4) {
        let mut bits = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            bits |= digit(*c) << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// The JSON and html reports of the month, written where the browser
/// reads them (never into the repository).
fn reports(name: &str, extra: &[&str]) -> (Value, PathBuf, String) {
    let rules = data("html-month.rules");
    let month = data("html-month.ndjson");
    let mut args = vec!["check", rules.as_str(), month.as_str()];
    args.extend_from_slice(extra);
    let json_args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let json: Value = serde_json::from_slice(&civrules(&json_args, &[])).expect("the JSON report");
    let html_args: Vec<&str> = args.iter().copied().chain(["--format", "html"]).collect();
    let html = civrules(&html_args, &[("SOURCE_DATE_EPOCH", "1645142400")]);
    let html = String::from_utf8(html).expect("UTF-8 html");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("html-{name}.html"));
    std::fs::write(&path, &html).expect("write the report");
    (json, path, html)
}

/// The unit of a record of html-month.ndjson, by its number.
fn month_unit_of(record: u64) -> String {
    static UNITS: OnceLock<Vec<String>> = OnceLock::new();
    let units = UNITS.get_or_init(|| {
        std::fs::read_to_string(data("html-month.ndjson"))
            .expect("read the month")
            .lines()
            .map(|line| {
                let record: Value = serde_json::from_str(line).expect("a JSON line");
                record["unit"].as_str().unwrap_or_default().to_string()
            })
            .collect()
    });
    record
        .checked_sub(1)
        .and_then(|i| units.get(usize::try_from(i).ok()?))
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_browser_shows_the_report_as_the_json_says_and_prints_it_on_a4() {
    let (json, path, html) = reports("month", &["--by", "unit"]);
    let browser = Browser::start("month");
    browser.open(&path);

    // (e) The data value holding a script is text; nothing of it ran.
    assert!(!browser.alert_open(), "a script of the data ran");
    assert_eq!(browser.script("return document.scripts.length"), json!(1));
    let text = browser.script("return document.body.innerText");
    assert!(
        text.as_str()
            .unwrap_or_default()
            .contains("<script>alert(1)</script>"),
        "the data value is not shown as text"
    );

    // (a) The totals the page shows are the JSON report's.
    let shown = browser.script(
        "const totals = {};\
         for (const cell of document.querySelectorAll('[data-total-rule]')) {\
           totals[cell.dataset.totalRule] = Number(cell.textContent); }\
         return {rules: totals,\
           records: Number(document.querySelector('[data-total=records]').textContent),\
           errors: Number(document.querySelector('[data-total=errors]').textContent),\
           rows: document.querySelectorAll('#violations tbody tr').length,\
           groups: document.querySelectorAll('#group-violations tbody tr').length};",
    );
    assert_eq!(shown["rules"], json["summary"]["violations"]);
    assert_eq!(shown["records"], json["records"]);
    assert_eq!(shown["errors"], json["summary"]["errors"]);
    assert_eq!(
        shown["rows"],
        json!(json["violations"].as_array().map_or(0, Vec::len))
    );
    let groups = json["group_violations"].as_array().map_or(0, Vec::len);
    assert!(groups > 0, "the month has a group violation");
    assert_eq!(shown["groups"], json!(groups));

    // (c) Nothing was fetched, and the file names no place to fetch from.
    assert_eq!(
        browser.script("return performance.getEntriesByType('resource').length"),
        json!(0)
    );
    for reference in ["http:", "https:", "ftp:", "src=", "href=", "url(", "@import"] {
        assert!(!html.contains(reference), "the page holds {reference}");
    }

    // The filter by rule keeps only that rule's rows.
    browser.click("select[data-filter=rule] option[value=badge]");
    let visible = browser.script(
        "return Array.from(document.querySelectorAll('#violations tbody tr'))\
           .filter(row => getComputedStyle(row).display !== 'none')\
           .map(row => row.dataset.rule);",
    );
    let badge = json["violations"]
        .as_array()
        .map_or(0, |all| all.iter().filter(|v| v["rule"] == "badge").count());
    let visible = visible.as_array().cloned().unwrap_or_default();
    assert!(badge > 0);
    assert_eq!(visible.len(), badge, "{visible:?}");
    assert!(visible.iter().all(|rule| rule == "badge"));
    // What a print of the filtered page says it leaves out.
    let note = browser.script(
        "const note = document.getElementById('filter-note'); return [note.hidden, note.textContent];",
    );
    assert_eq!(note[0], json!(false));
    assert!(
        note[1]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("badge ({badge} trên")),
        "{note}"
    );
    browser.click("select[data-filter=rule] option[value='']");

    // (b) Choosing a unit keeps exactly that unit's rows.
    let unit = "UBND huyện Nghi Lộc";
    let of_unit = json["violations"].as_array().map_or(0, |all| {
        all.iter()
            .filter(|v| month_unit_of(v["record"].as_u64().unwrap_or(0)) == unit)
            .count()
    });
    assert!(of_unit > 0);
    browser.click(&format!("select[data-filter=by0] option[value='{unit}']"));
    let visible = browser.script(
        "return Array.from(document.querySelectorAll('#violations tbody tr'))\
           .filter(row => getComputedStyle(row).display !== 'none')\
           .map(row => row.dataset.by0);",
    );
    let visible = visible.as_array().cloned().unwrap_or_default();
    assert_eq!(visible.len(), of_unit, "{visible:?}");
    assert!(visible.iter().all(|shown| shown == unit), "{visible:?}");
    // Group violations follow the filter, by their first record's unit.
    let groups = browser.script(
        "return Array.from(document.querySelectorAll('#group-violations tbody tr'))\
           .map(row => [row.dataset.by0, getComputedStyle(row).display !== 'none']);",
    );
    let groups = groups.as_array().cloned().unwrap_or_default();
    assert!(!groups.is_empty(), "the test month has group violations");
    for group in &groups {
        assert_eq!(group[1] == true, group[0] == unit, "{groups:?}");
    }
    // The unit's totals shown are the JSON report's.
    let shown = browser.script(
        "const table = document.querySelector('section[data-by-field=unit] table');\
         const head = Array.from(table.tHead.rows[0].cells).map(c => c.textContent);\
         const rows = {};\
         for (const row of table.tBodies[0].rows) {\
           const cells = Array.from(row.cells).map(c => c.textContent);\
           rows[cells[0]] = Object.fromEntries(head.map((h, i) => [h, cells[i]])); }\
         return rows;",
    );
    let by_unit = &json["summary"]["by"]["unit"];
    for (value, counts) in by_unit.as_object().into_iter().flatten() {
        let row = &shown[value];
        for (rule, count) in counts.as_object().into_iter().flatten() {
            // A rule without a violation under any unit has no column.
            if let Some(cell) = row.get(rule) {
                assert_eq!(cell.as_str(), Some(count.to_string().as_str()), "{value} {rule}");
            } else {
                assert!(by_unit
                    .as_object()
                    .into_iter()
                    .flatten()
                    .all(|(_, c)| c[rule] == 0));
            }
        }
    }
    browser.click("select[data-filter=by0] option[value='']");

    // A screenshot for people, under target/.
    browser.script("window.scrollTo(0, 0); return null;");
    let screenshot = browser.session("GET", "/screenshot", None);
    let png = base64_decode(screenshot.as_str().unwrap_or_default());
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::write(
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report.png"),
        png,
    )
    .expect("write the screenshot");

    // (d) Printed on A4: pages of 595 × 842 points, more than one.
    let pdf = browser.session(
        "POST",
        "/print",
        Some(json!({"page": {"width": 21.0, "height": 29.7}, "background": true})),
    );
    let pdf = base64_decode(pdf.as_str().unwrap_or_default());
    assert!(pdf.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&pdf);
    let media = regex::Regex::new(r"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]").unwrap();
    let boxes: Vec<(f64, f64)> = media
        .captures_iter(&text)
        .map(|c| (c[1].parse().unwrap_or(0.0), c[2].parse().unwrap_or(0.0)))
        .collect();
    assert!(!boxes.is_empty(), "no MediaBox in the PDF");
    for (width, height) in &boxes {
        assert!(
            (width - 595.0).abs() <= 1.0 && (height - 842.0).abs() <= 1.0,
            "{width} × {height}"
        );
    }
    let pages = regex::Regex::new(r"/Type\s*/Page\b")
        .unwrap()
        .find_iter(&text)
        .count();
    assert!(pages >= 2, "{pages} page(s)");
    std::fs::write(
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report.pdf"),
        &pdf,
    )
    .expect("write the PDF");
}

#[test]
fn the_same_run_gives_the_same_bytes() {
    let (_, _, first) = reports("again-1", &["--by", "unit"]);
    let (_, _, second) = reports("again-2", &["--by", "unit"]);
    assert_eq!(first, second);
    assert!(
        first.contains("18&#x2f;02&#x2f;2022"),
        "SOURCE_DATE_EPOCH's date, day first"
    );

    // Several chunks of input, checked on one thread or three.
    let month = std::fs::read_to_string(data("html-month.ndjson")).expect("read the month");
    let big = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-month-x20.ndjson");
    std::fs::write(&big, month.repeat(20)).expect("write the big month");
    let rules = data("html-month.rules");
    let big = big.display().to_string();
    let epoch = [("SOURCE_DATE_EPOCH", "1645142400")];
    let page = |jobs: &str| {
        civrules(
            &[
                "check", &rules, &big, "--format", "html", "--by", "unit", "--jobs", jobs,
            ],
            &epoch,
        )
    };
    let one = page("1");
    assert_eq!(one, page("3"));
    assert!(String::from_utf8_lossy(&one).contains("data-total=\"records\">5040</dd>"));
}

/// The command's run: exit code, standard output and error.
fn run(args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_civrules"))
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .expect("run civrules");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn html_is_vietnamese_unless_asked_and_table_english() {
    let (rules, month) = (data("html-month.rules"), data("html-month.ndjson"));
    let epoch = [("SOURCE_DATE_EPOCH", "1645142400")];
    let (code, vi, _) = run(&["check", &rules, &month, "--format", "html"], &epoch);
    assert_eq!(code, Some(1));
    assert!(vi.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    assert!(vi.contains("Ngày kiểm tra") && vi.contains("Trưởng đoàn kiểm tra"));
    let (_, en, _) = run(
        &["check", &rules, &month, "--format", "html", "--lang", "en"],
        &epoch,
    );
    assert!(en.contains("<html lang=\"en\">") && en.contains("2022-02-18"));
    assert!(en.contains("Date of the check"));

    let (code, table, _) = run(&["check", &rules, &month], &[]);
    assert_eq!(code, Some(1));
    assert!(
        table.starts_with("ruleset kiem-tra-thang: 252 records checked\n"),
        "{table}"
    );
    let (_, table, _) = run(&["check", &rules, &month, "--lang", "vi"], &[]);
    assert!(
        table.starts_with("Bộ quy tắc kiem-tra-thang: đã kiểm tra 252 bản ghi\n"),
        "{table}"
    );
    assert!(
        table.contains("Nghiêm trọng") && table.contains("Tổng cộng"),
        "{table}"
    );
    let (_, table, _) = run(&["check", &rules, &month, "--lang", "vi", "--by", "unit"], &[]);
    assert!(table.contains("\nTổng hợp theo unit\nGiá trị "), "{table}");
    let (_, table, _) = run(&["check", &rules, &month, "--by", "unit"], &[]);
    assert!(table.contains("\nTotals by unit\nvalue "), "{table}");
    // The machine formats keep their words.
    let (_, json, _) = run(
        &["check", &rules, &month, "--format", "json", "--lang", "vi"],
        &[],
    );
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let violations = json["violations"].as_array().expect("violations");
    assert!(violations.iter().any(|v| v["severity"] == "major"));
    assert!(violations.iter().any(|v| v["reason"] == "failed"));
}

#[test]
fn a_source_date_epoch_that_is_not_seconds_stops_before_any_output() {
    let (rules, month) = (data("html-month.rules"), data("html-month.ndjson"));
    let (code, out, err) = run(
        &["check", &rules, &month, "--format", "html"],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert!(err.contains("SOURCE_DATE_EPOCH"), "{err}");
}

#[test]
fn a_record_with_findings_carries_its_by_values_and_each_value_counts_its_records() {
    let program = civrules::Program::from_source("t.rules", "rule on_time: arrival <= 07:30\n")
        .expect("rules")
        .with_extra_fields(["unit"]);
    let mut checker = civrules::Checker::new(&program)
        .with_by(&["unit"])
        .expect("a field");
    let late = checker.check_json(&json!({"unit": "Sở Nội vụ", "arrival": "07:45"}));
    assert_eq!(late.by, ["Sở Nội vụ"]);
    let on_time = checker.check_json(&json!({"unit": "Sở Nội vụ", "arrival": "07:15"}));
    assert!(
        on_time.by.is_empty(),
        "a record without findings allocates nothing"
    );
    let unknown = checker.check_json(&json!({"arrival": "7h"}));
    assert_eq!(unknown.by, ["null"]);
    let not_an_object = checker.not_a_record("not an object".into());
    assert_eq!(not_an_object.by, ["null"]);
    let records = checker.by_records().expect("asked for");
    assert_eq!(
        records["unit"]
            .iter()
            .map(|(v, n)| (v.as_str(), *n))
            .collect::<Vec<_>>(),
        [("Sở Nội vụ", 2), ("null", 2)]
    );
    // The JSON's by totals stay as they were: violations per rule only.
    let by = checker.summary().by.expect("asked for");
    assert_eq!(by["unit"]["Sở Nội vụ"].len(), 1);
    assert_eq!(by["unit"]["Sở Nội vụ"]["on_time"], 1);
    assert!(civrules::Checker::new(&program).by_records().is_none());
}
