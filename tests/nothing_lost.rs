//! Issue 4, item 5: nothing is lost, whatever the input. Every record is
//! counted; each has at most one finding per rule, or exactly one error
//! saying it is not a record; and a file gives the same report as its
//! records split across two files, or checked on several threads.

use civrules::report::Detail;
use civrules::{check_reader, check_reader_parallel, Checker, InputFormat, Program, RecordReport, Summary};
use proptest::prelude::*;

const RULES: &str = r#"key employee_id
field arrival: time
field days: int
rule on_time { when role == "civil_servant" check arrival <= 07:30 }
rule badge: badge_worn required
rule ratio: days > 0 and files / days > 2
rule late_or_leave: on_leave == true or arrival <= 08:00
"#;

/// One NDJSON line: a record (well or badly typed), or something else.
fn line() -> impl Strategy<Value = String> {
    let time = prop_oneof![
        Just("\"07:10\"".to_string()),
        Just("\"08:45\"".to_string()),
        Just("\"7h30\"".to_string()),
        Just("42".to_string()),
        Just("null".to_string()),
    ];
    let int = prop_oneof![
        (-2i64..5).prop_map(|n| n.to_string()),
        Just("1.5".to_string()),
        Just("\"3\"".to_string())
    ];
    let record = (
        0u32..1000,
        prop::option::of(prop_oneof![Just("civil_servant"), Just("contract")]),
        prop::option::of(time),
        prop::option::of(any::<bool>()),
        prop::option::of(int.clone()),
        prop::option::of(int),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(id, role, arrival, badge, days, files, leave)| {
            let mut fields = vec![format!("\"employee_id\": \"NV-{id}\"")];
            if let Some(r) = role {
                fields.push(format!("\"role\": \"{r}\""));
            }
            if let Some(a) = arrival {
                fields.push(format!("\"arrival\": {a}"));
            }
            if let Some(b) = badge {
                fields.push(format!("\"badge_worn\": {b}"));
            }
            if let Some(d) = days {
                fields.push(format!("\"days\": {d}"));
            }
            if let Some(f) = files {
                fields.push(format!("\"files\": {f}"));
            }
            if let Some(l) = leave {
                fields.push(format!("\"on_leave\": {l}"));
            }
            format!("{{{}}}", fields.join(", "))
        });
    prop_oneof![
        6 => record,
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
        1 => Just("{\"arrival\": ".to_string()),
        1 => Just("[1, 2]".to_string()),
        1 => Just("\"text\"".to_string()),
        1 => Just("17".to_string()),
    ]
}

fn check(program: &Program, format: InputFormat, parts: &[&[u8]], jobs: usize) -> (u64, Vec<RecordReport>) {
    let (records, reports, summary) = check_with(program, Detail::Entries, format, parts, jobs);
    // The totals are the entries counted.
    let mut counted = summary.clone();
    counted.violations.values_mut().for_each(|n| *n = 0);
    counted.errors = 0;
    for report in &reports {
        for v in &report.violations {
            counted.violations[&v.rule] += 1;
        }
        counted.errors += report.errors.len() as u64;
    }
    assert_eq!(counted, summary);
    // Counting only, on one thread or several, gives the same totals.
    for jobs in [1, 3] {
        let (total_records, no_reports, totals) = check_with(program, Detail::Totals, format, parts, jobs);
        assert_eq!(total_records, records);
        assert!(no_reports.is_empty(), "{no_reports:?}");
        assert_eq!(totals, summary);
    }
    (records, reports)
}

fn check_with(
    program: &Program,
    detail: Detail,
    format: InputFormat,
    parts: &[&[u8]],
    jobs: usize,
) -> (u64, Vec<RecordReport>, Summary) {
    let mut checker = Checker::new(program).with_detail(detail);
    let mut reports = Vec::new();
    for part in parts {
        check_reader_parallel(*part, format, &mut checker, jobs, |r| {
            reports.push(r);
            Ok::<(), civrules::InputError>(())
        })
        .unwrap();
    }
    assert_eq!(checker.has_findings(), checker.summary().has_findings());
    (checker.records(), reports, checker.summary())
}

fn assert_one_finding_per_rule(report: &RecordReport) {
    let not_a_record = report
        .errors
        .iter()
        .any(|e| e.field.is_none() && e.rule.is_none());
    if not_a_record {
        assert_eq!(report.errors.len(), 1, "{report:?}");
        assert!(report.violations.is_empty(), "{report:?}");
        return;
    }
    let mut rules: Vec<&str> = report.violations.iter().map(|v| v.rule.as_str()).collect();
    rules.extend(report.errors.iter().filter_map(|e| e.rule.as_deref()));
    let count = rules.len();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(
        rules.len(),
        count,
        "a rule has two findings in one record: {report:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ndjson_records_are_all_counted_and_split_files_agree(
        lines in prop::collection::vec(line(), 0..40),
        split in any::<prop::sample::Index>(),
        crlf in any::<bool>(),
    ) {
        let program = Program::from_source("t.rules", RULES).unwrap();
        let end = if crlf { "\r\n" } else { "\n" };
        let text: String = lines.iter().map(|l| format!("{l}{end}")).collect();
        let expected = lines.iter().filter(|l| !l.trim().is_empty()).count() as u64;

        let (records, whole) = check(&program, InputFormat::Ndjson, &[text.as_bytes()], 1);
        prop_assert_eq!(records, expected);
        whole.iter().for_each(assert_one_finding_per_rule);
        // Every outcome of every record: one per rule, or not a record.
        for l in lines.iter().filter(|l| !l.trim().is_empty()) {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(l) {
                if let Some(record) = program.record_from_json(&json) {
                    prop_assert_eq!(program.outcomes(&record).expect("the program's own record").len(), program.rule_ids().count());
                }
            }
        }

        let at = split.index(lines.len() + 1);
        let first: String = lines[..at].iter().map(|l| format!("{l}{end}")).collect();
        let second: String = lines[at..].iter().map(|l| format!("{l}{end}")).collect();
        let (split_records, split_reports) =
            check(&program, InputFormat::Ndjson, &[first.as_bytes(), second.as_bytes()], 1);
        prop_assert_eq!(split_records, records);
        prop_assert_eq!(&split_reports, &whole);

        let (parallel_records, parallel_reports) = check(&program, InputFormat::Ndjson, &[text.as_bytes()], 3);
        prop_assert_eq!(parallel_records, records);
        prop_assert_eq!(&parallel_reports, &whole);
    }

    #[test]
    fn csv_rows_are_all_counted_and_split_files_agree(
        rows in prop::collection::vec(
            (prop_oneof![Just(""), Just("07:10"), Just("08:45"), Just("7h30")],
             prop_oneof![Just(""), Just("true"), Just("false"), Just("1")],
             prop_oneof![Just(""), Just("0"), Just("3"), Just("x"), Just("\"a,b\nc\"")],
             any::<bool>()),
            0..30),
        split in any::<prop::sample::Index>(),
    ) {
        let program = Program::from_source("t.rules", RULES).unwrap();
        let header = "arrival,badge_worn,days,extra\n";
        let row = |(a, b, d, more): &(&str, &str, &str, bool)| {
            if *more { format!("{a},{b},{d},x,y\n") } else { format!("{a},{b},{d},x\n") }
        };
        let body: String = rows.iter().map(row).collect();
        let (records, whole) = check(&program, InputFormat::Csv, &[format!("{header}{body}").as_bytes()], 1);
        prop_assert_eq!(records, rows.len() as u64);
        whole.iter().for_each(assert_one_finding_per_rule);

        let at = split.index(rows.len() + 1);
        let first: String = rows[..at].iter().map(row).collect();
        let second: String = rows[at..].iter().map(row).collect();
        let parts = [format!("{header}{first}"), format!("{header}{second}")];
        let (split_records, split_reports) =
            check(&program, InputFormat::Csv, &[parts[0].as_bytes(), parts[1].as_bytes()], 1);
        prop_assert_eq!(split_records, records);
        prop_assert_eq!(&split_reports, &whole);
        let (_, parallel_reports) = check(&program, InputFormat::Csv, &[format!("{header}{body}").as_bytes()], 2);
        prop_assert_eq!(&parallel_reports, &whole);
    }
}

#[test]
fn a_json_document_counts_every_element() {
    let program = Program::from_source("t.rules", RULES).unwrap();
    let mut checker = Checker::new(&program);
    let mut reports = Vec::new();
    check_reader(
        &b"[{}, [], 3, null, {\"arrival\": \"x\"}]"[..],
        InputFormat::Json,
        &mut checker,
        |r| {
            reports.push(r);
            Ok::<(), civrules::InputError>(())
        },
    )
    .unwrap();
    assert_eq!(checker.records(), 5);
    reports.iter().for_each(assert_one_finding_per_rule);
}

/// About 3 MB (a dozen chunks, more than are ever in flight) of records
/// that each break three rules, as NDJSON and as CSV.
fn many_chunks() -> [(InputFormat, Vec<u8>); 2] {
    let note = "n".repeat(100);
    let mut ndjson = String::new();
    let mut csv = String::from("employee_id,role,arrival,note\n");
    for i in 0..24_000 {
        let arrival = if i % 7 == 0 { "nope" } else { "08:45" };
        ndjson.push_str(&format!(
            "{{\"employee_id\": \"E{i}\", \"role\": \"civil_servant\", \"arrival\": \"{arrival}\", \"note\": \"{note}\"}}\n"
        ));
        csv.push_str(&format!("E{i},civil_servant,{arrival},{note}\n"));
    }
    [
        (InputFormat::Ndjson, ndjson.into_bytes()),
        (InputFormat::Csv, csv.into_bytes()),
    ]
}

#[test]
fn many_chunks_full_of_findings_are_reported_on_several_threads_as_on_one() {
    let program = Program::from_source("t.rules", RULES).unwrap();
    for (format, data) in many_chunks() {
        let (records, one) = check(&program, format, &[&data], 1);
        assert_eq!(records, 24_000);
        for jobs in [2, 3] {
            let (parallel_records, parallel) = check(&program, format, &[&data], jobs);
            assert_eq!(parallel_records, records);
            assert!(parallel == one, "{format:?}, --jobs {jobs}: the reports differ");
        }
    }
}

#[test]
fn a_sink_that_gives_up_stops_every_thread() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let program = Program::from_source("t.rules", RULES).unwrap();
        for (format, data) in many_chunks() {
            for jobs in [2, 3] {
                for enough in [1, 5_000] {
                    let mut checker = Checker::new(&program);
                    let mut taken = 0;
                    let result = check_reader_parallel(&data[..], format, &mut checker, jobs, |_| {
                        taken += 1;
                        if taken == enough {
                            // Time for the workers to get as far ahead as
                            // they may, and wait.
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            return Err(civrules::InputError::from(std::io::Error::other("enough")));
                        }
                        Ok(())
                    });
                    assert!(result.is_err(), "{format:?}, --jobs {jobs}");
                    assert_eq!(taken, enough);
                }
            }
        }
        let _ = tx.send(());
    });
    // A thread left waiting would keep the call from returning.
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("check_reader_parallel returned after the sink gave up");
}

/// Gives `data` up to `fail_at` bytes, then fails every read.
struct FailingReader<'a> {
    data: &'a [u8],
    fail_at: usize,
}

impl std::io::Read for FailingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.fail_at == 0 {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.fail_at).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.fail_at -= n;
        Ok(n)
    }
}

#[test]
fn a_read_that_fails_part_way_is_an_error_after_the_records_before_it() {
    let program = Program::from_source("t.rules", RULES).unwrap();
    for (format, data) in many_chunks() {
        let (_, whole) = check(&program, format, &[&data], 1);
        for jobs in [1, 2, 3] {
            let mut checker = Checker::new(&program);
            let mut reports = Vec::new();
            let input = FailingReader {
                data: &data,
                fail_at: data.len() / 2,
            };
            let result = check_reader_parallel(input, format, &mut checker, jobs, |r| {
                reports.push(r);
                Ok::<(), civrules::InputError>(())
            });
            assert!(
                matches!(result, Err(civrules::InputError::Io(_))),
                "{format:?}, --jobs {jobs}: {result:?}"
            );
            // What was reported is the reports of the first records, as
            // checking them all gives them, and no more than half of them.
            assert!(
                !reports.is_empty() && reports.len() < whole.len() / 2 + 1,
                "{format:?}, --jobs {jobs}"
            );
            assert!(reports[..] == whole[..reports.len()], "{format:?}, --jobs {jobs}");
            // Counting only, the failure is no less an error.
            let mut counter = Checker::new(&program).with_detail(Detail::Totals);
            let input = FailingReader {
                data: &data,
                fail_at: data.len() / 2,
            };
            let result = check_reader_parallel(input, format, &mut counter, jobs, |_| {
                Ok::<(), civrules::InputError>(())
            });
            assert!(
                matches!(result, Err(civrules::InputError::Io(_))),
                "{format:?}, --jobs {jobs}, counting"
            );
            assert!(
                counter.records() > 0 && counter.records() < 24_000 / 2 + 1,
                "{format:?}, --jobs {jobs}"
            );
        }
    }
}

/// Found by the `records` property: counting on several threads, over-long
/// records (each a report of its own, empty when counting) were lent out
/// and never came back, and a worker waited for them for ever.
#[test]
fn counting_over_long_records_on_several_threads_ends_and_counts_them() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let program = Program::from_source("t.rules", RULES).unwrap();
        // An over-long record at the start of a chunk is skipped unread, a
        // piece of its own; records longer than the 64 KiB the skipping
        // reads at a time are each one: eight of them, then short ones.
        let long = format!("{{\"note\": \"{}\"}}\n", "n".repeat(70_000));
        let data = format!("{}{}", long.repeat(8), "{\"badge_worn\": false}\n".repeat(1_000));
        let count = |jobs| {
            let mut checker = Checker::new(&program)
                .with_detail(Detail::Totals)
                .with_max_record_bytes(100);
            check_reader_parallel(data.as_bytes(), InputFormat::Ndjson, &mut checker, jobs, |_| {
                Ok::<(), civrules::InputError>(())
            })
            .unwrap();
            (checker.records(), checker.summary())
        };
        let one = count(1);
        assert_eq!(one.0, 1_008);
        assert_eq!(one.1.errors, 8, "one error for each over-long record");
        for jobs in [2, 3] {
            assert_eq!(count(jobs), one, "--jobs {jobs}");
        }
        let _ = tx.send(());
    });
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("counting on several threads returned");
}
