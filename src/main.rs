//! The `civrules` command: arguments → library calls → exit status.
//! Exit 0: no findings; 1: violations or data/evaluation errors; 2: rules
//! that do not compile, bad usage, or unreadable input.

#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};
use indexmap::IndexMap;

use civrules::report::{Detail, HtmlContext, Lang};
use civrules::{
    Checker, FileLoader, InputError, InputFormat, Level, Loader, Program, Report, Source, Sources,
};

#[derive(Parser)]
#[command(
    name = "civrules",
    version,
    about = "Check observation records against civil-service discipline rules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check records against the rules and print the violations and errors
    /// found.
    ///
    /// The report goes to standard output. Exit 0 when nothing is found, 1
    /// on violations or data/evaluation errors, 2 when the rules do not
    /// compile, on bad usage or unreadable input.
    Check {
        /// The rules file.
        rules: PathBuf,
        /// Data files (.json, .ndjson/.jsonl, .csv, .xlsx, .xls, .ods), their
        /// records numbered on from one file to the next; `-` reads
        /// standard input.
        #[arg(required = true)]
        data: Vec<PathBuf>,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The words of `table` and `html` (default: vi for html, en
        /// otherwise); in Vietnamese, the dates the report prints itself
        /// read 09/02/2022.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        #[command(flatten)]
        reading: Reading,
        /// Exit 2, before any output, when the rules or the data files'
        /// headers give a warning (lint's warnings, rules not checked).
        #[arg(long)]
        deny_warnings: bool,
        /// Threads for NDJSON and CSV input (default: every core). The
        /// output is the same whatever the number.
        #[arg(long)]
        jobs: Option<usize>,
        /// Also total the violations of every rule by each value of FIELD
        /// (e.g. `unit`), in `summary.by` and the table; repeatable, each
        /// an independent total.
        #[arg(long = "by", value_name = "FIELD")]
        by: Vec<String>,
    },
    /// Print, for one record (or every record of one key value), each
    /// rule's outcome and why.
    ///
    /// For each rule: the values it read, each condition true, false or
    /// unknown with its operands, and for a failed comparison the boundary
    /// that would pass. Exit 2 when no record is the one asked for.
    #[command(group(ArgGroup::new("which").required(true).args(["record", "key"])))]
    Explain {
        /// The rules file.
        rules: PathBuf,
        /// Data files, numbered on from one to the next as `check` does.
        #[arg(required = true)]
        data: Vec<PathBuf>,
        /// The record: its number (only digits, from 1, as in `check`'s
        /// reports), or else a key value, which explains every record with
        /// that key, in input order.
        #[arg(long, value_name = "N|KEY")]
        record: Option<String>,
        /// Every record whose key field is this value, also when it is all
        /// digits.
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
        /// Only this rule.
        #[arg(long, value_name = "RULE_ID")]
        rule: Option<String>,
        #[command(flatten)]
        reading: Reading,
    },
    /// Compile rules files and print their errors and warnings.
    ///
    /// Everything goes to standard error, ending with a line that counts
    /// the files checked and what was found. Exit 0 with warnings or
    /// none, 2 with errors (or warnings, under `--deny-warnings`).
    Lint {
        /// Rules files; each is linted in the light of the files it extends.
        #[arg(required = true)]
        rules: Vec<PathBuf>,
        /// Let `extends` reach files anywhere under this folder.
        #[arg(long)]
        rules_root: Option<PathBuf>,
        /// Treat warnings as errors (exit 2).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Run rule tests and print a line per test, then each failure.
    ///
    /// Exit 0 when all pass, 1 when one fails, 2 when a test file or its
    /// rules do not compile (then nothing runs).
    Test {
        /// `.test` files, or folders: every `*.test` in them and their
        /// subfolders, in name order.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Let `extends` in the tested rules reach files anywhere under this folder.
        #[arg(long)]
        rules_root: Option<PathBuf>,
    },
    /// Print rules files in the canonical layout, comments kept.
    ///
    /// Without an option, each file's layout goes to standard output, one
    /// after the other. Exit 2 when a file cannot be read or does not
    /// parse.
    Fmt {
        /// Change nothing: exit 1 where a file is not formatted, naming each
        /// such file on standard error (`PATH: not formatted`).
        #[arg(long)]
        check: bool,
        /// Rewrite each file that is not formatted in its place (without a
        /// byte-order mark); leave the others untouched.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Rules files.
        #[arg(required = true)]
        rules: Vec<PathBuf>,
    },
    /// Print records made from the rules: compliant ones (the default),
    /// ones that violate one rule, or boundary records.
    ///
    /// Every record is checked by the rules before it is printed. Exit 2
    /// when no record can be what was asked, naming the rules in the way.
    Sample {
        /// The rules file.
        rules: PathBuf,
        /// How many records.
        #[arg(long, default_value_t = 10)]
        count: usize,
        /// The same seed gives the same records.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Records that violate this rule (reason `failed`) and no other.
        #[arg(long, value_name = "RULE_ID")]
        violate: Option<String>,
        /// Records holding a field at and next to each constant the rules
        /// compare it with, one such value a record, round them all again
        /// while `--count` asks for more.
        #[arg(long, conflicts_with = "violate")]
        boundaries: bool,
        /// How to print the records.
        #[arg(long, value_enum, default_value_t = RecordsFormat::Ndjson)]
        format: RecordsFormat,
        /// Let `extends` reach files anywhere under this folder.
        #[arg(long)]
        rules_root: Option<PathBuf>,
    },
}

/// How `check` and `explain` find and read the rules and the data.
#[derive(clap::Args)]
struct Reading {
    /// The format of the data (needed for `-`; overrides the extension).
    #[arg(long, value_enum)]
    input_format: Option<DataFormat>,
    /// A `.source` file saying how the export writes its data: column
    /// names, date and time formats, yes/no and "no value" words.
    #[arg(long, value_name = "FILE.source")]
    source: Option<PathBuf>,
    /// The sheet of a spreadsheet (default: its first sheet).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Let `extends` reach files anywhere under this folder.
    #[arg(long)]
    rules_root: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned columns for people, and totals per rule.
    Table,
    /// One JSON object: violations, errors and the summary.
    Json,
    /// One JSON object a line for each violation and error.
    Ndjson,
    /// Only the counts, as one JSON object.
    Summary,
    /// One self-contained HTML page to read, filter and print (A4).
    Html,
}

/// The languages of `--lang`.
#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

/// The formats data is read in.
#[derive(Clone, Copy, ValueEnum)]
enum DataFormat {
    /// A JSON array of objects (read: also one object).
    Json,
    /// One JSON object a line.
    Ndjson,
    /// A header row, then one record a row.
    Csv,
    /// An Excel workbook (its first sheet, or `--sheet`).
    Xlsx,
    /// An Excel 97–2003 workbook.
    Xls,
    /// An OpenDocument (LibreOffice) spreadsheet.
    Ods,
}

/// The formats `sample` writes records in.
#[derive(Clone, Copy, ValueEnum)]
enum RecordsFormat {
    /// A JSON array of objects.
    Json,
    /// One JSON object a line.
    Ndjson,
    /// A header row, then one record a row.
    Csv,
}

/// Why the command stops with exit status 2.
enum Fatal {
    Message(String),
    Rendered(String),
}

impl From<InputError> for Fatal {
    fn from(e: InputError) -> Fatal {
        Fatal::Message(e.to_string())
    }
}

impl From<io::Error> for Fatal {
    fn from(e: io::Error) -> Fatal {
        Fatal::Message(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            rules,
            data,
            format,
            lang,
            reading,
            deny_warnings,
            jobs,
            by,
        } => {
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let lang = match (lang, format) {
                (Some(LangArg::Vi), _) | (None, Format::Html) => Lang::Vi,
                (Some(LangArg::En), _) | (None, _) => Lang::En,
            };
            let options = CheckOptions {
                format,
                lang,
                reading,
                deny_warnings,
                jobs,
                by,
            };
            check(&rules, &data, &options)
        }
        Command::Lint {
            rules,
            rules_root,
            deny_warnings,
        } => lint(&rules, rules_root, deny_warnings),
        Command::Test { paths, rules_root } => test(&paths, rules_root.as_deref()),
        Command::Fmt { check, write, rules } => fmt(
            &rules,
            match (check, write) {
                (true, _) => FmtMode::Check,
                (false, true) => FmtMode::Write,
                (false, false) => FmtMode::Print,
            },
        ),
        Command::Explain {
            rules,
            data,
            record,
            key,
            rule,
            reading,
        } => selection(record, key)
            .and_then(|selection| explain(&rules, &data, selection, rule.as_deref(), &reading)),
        Command::Sample {
            rules,
            count,
            seed,
            violate,
            boundaries,
            format,
            rules_root,
        } => {
            let request = match (violate, boundaries) {
                (Some(rule), _) => civrules::sample::Request::Violating(rule),
                (None, true) => civrules::sample::Request::Boundaries,
                (None, false) => civrules::sample::Request::Compliant,
            };
            sample(&rules, &request, count, seed, format, rules_root)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal::Rendered(text)) => {
            eprint!("{text}");
            ExitCode::from(2)
        }
        Err(Fatal::Message(text)) => {
            eprintln!("civrules: error: {text}");
            ExitCode::from(2)
        }
    }
}

fn loader(rules_root: Option<PathBuf>) -> Box<dyn Loader> {
    match rules_root {
        Some(root) => Box::new(FileLoader::with_root(root)),
        None => Box::new(FileLoader::new()),
    }
}

fn compile(rules: &Path, rules_root: Option<PathBuf>) -> Result<Program, Fatal> {
    Program::from_loader(loader(rules_root).as_ref(), &rules.to_string_lossy())
        .map_err(|e| Fatal::Rendered(e.render()))
}

/// Each data file with its format: `--input-format`, else the extension.
fn data_inputs(
    data: &[PathBuf],
    input_format: Option<DataFormat>,
) -> Result<Vec<(&PathBuf, InputFormat)>, Fatal> {
    let chosen = input_format.map(|f| match f {
        DataFormat::Json => InputFormat::Json,
        DataFormat::Ndjson => InputFormat::Ndjson,
        DataFormat::Csv => InputFormat::Csv,
        DataFormat::Xlsx => InputFormat::Xlsx,
        DataFormat::Xls => InputFormat::Xls,
        DataFormat::Ods => InputFormat::Ods,
    });
    data.iter()
        .map(|path| match chosen.or_else(|| InputFormat::from_path(path)) {
            Some(format) => Ok((path, format)),
            None if path.as_os_str() == "-" => Err(Fatal::Message(
                "reading standard input needs --input-format json|ndjson|csv|xlsx|xls|ods".into(),
            )),
            None => Err(Fatal::Message(format!(
                "{}: cannot tell the data format from the extension; use --input-format",
                path.display()
            ))),
        })
        .collect()
}

/// `--sheet` names a sheet of a spreadsheet: with no spreadsheet among the
/// data, it is a mistake.
fn check_sheet_usage(inputs: &[(&PathBuf, InputFormat)], sheet: Option<&str>) -> Result<(), Fatal> {
    match sheet {
        Some(name) if !inputs.iter().any(|(_, format)| format.is_spreadsheet()) => {
            Err(Fatal::Message(format!(
            "--sheet \"{name}\" names a sheet of a spreadsheet, but no data file is one (.xlsx, .xls, .ods)"
        )))
        }
        _ => Ok(()),
    }
}

fn open_data(path: &Path) -> Result<Box<dyn Read + Send>, Fatal> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin()));
    }
    let file = File::open(path).map_err(|e| Fatal::Message(format!("{}: {e}", path.display())))?;
    Ok(Box::new(file))
}

/// The records `explain` is asked about: `--record N|KEY` or `--key KEY`.
fn selection(record: Option<String>, key: Option<String>) -> Result<civrules::explain::Selection, Fatal> {
    use civrules::explain::Selection;
    match (record, key) {
        (Some(record), _) => Selection::parse(&record).map_err(|e| Fatal::Message(e.to_string())),
        (None, Some(key)) => Ok(Selection::Key(key)),
        (None, None) => Err(Fatal::Message("explain needs --record N|KEY or --key KEY".into())),
    }
}

fn explain(
    rules: &Path,
    data: &[PathBuf],
    selection: civrules::explain::Selection,
    rule: Option<&str>,
    reading: &Reading,
) -> Result<u8, Fatal> {
    use civrules::explain::{explain_capture_grouped, Capture, GroupOutcomes};
    let message = |e: civrules::explain::ExplainError| Fatal::Message(e.to_string());
    let inputs = data_inputs(data, reading.input_format)?;
    check_sheet_usage(&inputs, reading.sheet.as_deref())?;
    let program = compile(rules, reading.rules_root.clone())?;
    let source = compile_source(&program, reading)?;
    let capture = Capture::new(&program, selection).map_err(|e| message(e.into()))?;
    let mut checker = Checker::new(&program).with_capture(capture);
    if let Some(source) = &source {
        checker = checker
            .with_source(source)
            .map_err(|e| Fatal::Message(e.to_string()))?;
    }
    for (path, format) in inputs {
        checker
            .open_input_sheet(open_data(path)?, format, reading.sheet.as_deref())
            .map_err(Fatal::from)
            .and_then(|input| checker.check_input(input, |_| Ok::<(), Fatal>(())))
            .map_err(|e| match e {
                Fatal::Message(m) => Fatal::Message(format!("{}: {m}", path.display())),
                other => other,
            })?;
        // A group's outcome needs every record.
        if checker.capture().is_some_and(Capture::is_complete) && !program.has_group_rules() {
            break;
        }
    }
    let records = checker.records();
    let groups = GroupOutcomes::judge(&mut checker);
    let Some(capture) = checker.take_capture() else {
        return Err(Fatal::Message("the records to explain were not kept".into()));
    };
    print!(
        "{}",
        explain_capture_grouped(&program, &capture, rule, records, &groups).map_err(message)?
    );
    Ok(0)
}

/// What `civrules check` was asked for, beside the rules and the data.
struct CheckOptions {
    format: Format,
    lang: Lang,
    reading: Reading,
    deny_warnings: bool,
    jobs: usize,
    /// The `--by` fields, in the order given.
    by: Vec<String>,
}

/// The `--source` file, compiled for `program`.
fn compile_source(program: &Program, reading: &Reading) -> Result<Option<Source>, Fatal> {
    reading
        .source
        .as_ref()
        .map(|path| Source::from_file(program, path).map_err(|e| Fatal::Rendered(e.render())))
        .transpose()
}

fn check(rules: &Path, data: &[PathBuf], options: &CheckOptions) -> Result<u8, Fatal> {
    let reading = &options.reading;
    // Read before any work, so that a bad SOURCE_DATE_EPOCH stops at once.
    let check_date = match options.format {
        Format::Html => Some(check_date()?),
        _ => None,
    };
    let inputs = data_inputs(data, reading.input_format)?;
    check_sheet_usage(&inputs, reading.sheet.as_deref())?;
    if let Some(field) = options
        .by
        .iter()
        .find(|f| f.split('.').any(|segment| segment.trim().is_empty()))
    {
        return Err(Fatal::Message(format!(
            "--by \"{field}\" is not a field name (`unit`, `employee.unit`)"
        )));
    }
    let mut sources = Sources::default();
    let program = Program::compile_with_sources(
        loader(reading.rules_root.clone()).as_ref(),
        &rules.to_string_lossy(),
        &mut sources,
    )
    .map_err(|e| Fatal::Rendered(e.render()))?
    // A `--by` field no rule reads is read too, for the totals alone.
    .with_extra_fields(&options.by);
    // Every warning lint gives, printed before the report.
    let mut warnings = civrules::lint::lint(&program, &sources);
    let source = compile_source(&program, reading)?;
    if let Some(source) = &source {
        warnings.extend(source.warnings().iter().cloned());
    }
    // The summary needs only the totals: no entry is written for a finding.
    let detail = match options.format {
        Format::Summary => Detail::Totals,
        _ => Detail::Entries,
    };
    let by: Vec<&str> = options.by.iter().map(String::as_str).collect();
    let mut checker = Checker::new(&program)
        .with_detail(detail)
        .with_by(&by)
        .map_err(|e| Fatal::Message(e.to_string()))?;
    if let Some(source) = &source {
        checker = checker
            .with_source(source)
            .map_err(|e| Fatal::Message(e.to_string()))?;
    }
    // A first look at every file: its header (or first records) tells
    // which rules cannot be checked on it, before any output.
    let mut opened = Vec::with_capacity(inputs.len());
    let mut rendered = String::new();
    for warning in &mut warnings {
        if options.deny_warnings {
            warning.level = Level::Error;
        }
        rendered.push_str(&warning.render());
    }
    let level = if options.deny_warnings { "error" } else { "warning" };
    let mut input_warnings = 0;
    for (path, data_format) in inputs {
        let input = checker
            .open_input_sheet(open_data(path)?, data_format, reading.sheet.as_deref())
            .map_err(|e| Fatal::Message(format!("{}: {e}", path.display())))?;
        for warning in input.warnings() {
            input_warnings += 1;
            rendered.push_str(&format!("{}: {level}: {warning}\n", path.display()));
        }
        opened.push((path, input));
    }
    if options.deny_warnings && (input_warnings > 0 || !warnings.is_empty()) {
        rendered.push_str("civrules: error: warnings are denied (--deny-warnings); nothing was checked\n");
        return Err(Fatal::Rendered(rendered));
    }
    eprint!("{rendered}");
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    // Only html holds the whole report.
    let mut report = Report::new(&program);
    // For html: each record's `--by` values, shown beside its violations.
    let mut by_of_record: IndexMap<u64, Vec<String>> = IndexMap::new();
    let mut after = String::new();
    // json is written as it goes: its memory does not grow with the input.
    let mut json = match options.format {
        Format::Json => Some(civrules::report::JsonStream::begin(
            BufWriter::new(io::stdout()),
            program.name(),
        )?),
        _ => None,
    };
    // So is table, its rows kept aside until their columns' widths are known.
    let mut table = match options.format {
        Format::Table => Some(civrules::report::TableStream::new(options.lang)),
        _ => None,
    };
    for (path, input) in opened {
        let format = options.format;
        let summary = checker
            .check_input_parallel(input, options.jobs, |record| -> Result<(), Fatal> {
                match format {
                    Format::Ndjson => civrules::report::write_ndjson_entries(&mut out, &record)?,
                    Format::Json => {
                        if let Some(json) = &mut json {
                            json.record(&record)?;
                        }
                    }
                    Format::Table => {
                        if let Some(table) = &mut table {
                            table.record(&record)?;
                        }
                    }
                    Format::Html => {
                        let mut record = record;
                        if !record.by.is_empty() {
                            by_of_record.insert(record.record, std::mem::take(&mut record.by));
                        }
                        report.push(record)
                    }
                    Format::Summary => {}
                }
                Ok(())
            })
            .map_err(|e| match e {
                Fatal::Message(m) => Fatal::Message(format!("{}: {m}", path.display())),
                other => other,
            })?;
        for field in &summary.never_held {
            after.push_str(&format!("{}: warning: {field}\n", path.display()));
        }
    }
    let groups = checker.finish_groups();
    let (records, summary) = (checker.records(), checker.summary());
    if let Some(json) = json.take() {
        json.finish(records, &groups, &summary)?.flush()?;
    }
    if let Some(table) = table.take() {
        let ending = civrules::report::Ending {
            ruleset: program.name(),
            records,
            group_violations: &groups.violations,
            group_errors: &groups.errors,
            summary: &summary,
        };
        table.finish(&mut out, &ending, table_width())?;
    }
    match options.format {
        Format::Ndjson => {
            civrules::report::write_ndjson_groups(&mut out, &groups.errors, &groups.violations)?
        }
        Format::Html => {
            report.push_groups(groups);
            report.finish(records, summary);
            let data_files: Vec<String> = data.iter().map(|path| path.display().to_string()).collect();
            let mut context = HtmlContext::new(check_date.unwrap_or_default(), options.lang);
            context.data_files = &data_files;
            let records_by = checker.by_records();
            if records_by.is_some() {
                context.by_of_record = Some(&by_of_record);
                context.records_by = records_by.as_ref();
            }
            let page = civrules::report::render_html(&report, &program, &context)
                .map_err(|e| Fatal::Message(e.to_string()))?;
            out.write_all(page.as_bytes())?
        }
        Format::Summary => civrules::report::write_summary(&mut out, records, &summary)?,
        // Written as they went.
        Format::Json | Format::Table => {}
    }
    out.flush()?;
    eprint!("{after}");
    Ok(u8::from(checker.has_findings()))
}

/// The date of the check that the html report prints: the local date, or
/// the day of `SOURCE_DATE_EPOCH` (seconds since 1970, in UTC) when it is
/// set, so that a rerun gives the same bytes.
fn check_date() -> Result<jiff::civil::Date, Fatal> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
            .map(|at| at.to_zoned(jiff::tz::TimeZone::UTC).date())
            .ok_or_else(|| {
                Fatal::Message(format!(
                    "SOURCE_DATE_EPOCH is \"{text}\", not a number of seconds since 1970-01-01"
                ))
            }),
        Err(_) => Ok(jiff::Zoned::now().date()),
    }
}

/// The width `table` may use: the terminal's, when standard output is one;
/// otherwise nothing is cut.
fn table_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    let columns = terminal_size::terminal_size().map(|(terminal_size::Width(w), _)| usize::from(w));
    Some(columns.unwrap_or(100))
}

fn lint(rules: &[PathBuf], rules_root: Option<PathBuf>, deny_warnings: bool) -> Result<u8, Fatal> {
    let mut out = String::new();
    let (mut warnings, mut errors) = (0, 0);
    for path in rules {
        let loader = loader(rules_root.clone());
        match civrules::lint::lint_file(loader.as_ref(), &path.to_string_lossy()) {
            Ok(found) => {
                for mut warning in found {
                    if deny_warnings {
                        warning.level = Level::Error;
                        errors += 1;
                    } else {
                        warnings += 1;
                    }
                    out.push_str(&warning.render());
                }
            }
            Err(e) => {
                errors += e.diagnostics.len().max(1);
                out.push_str(&e.render());
            }
        }
    }
    // A last line, so that a clean run says it ran.
    let files = counted(rules.len(), "file");
    let found = match (errors, warnings) {
        (0, 0) => "no warnings".to_string(),
        (0, _) => counted(warnings, "warning"),
        (_, 0) => counted(errors, "error"),
        _ => format!("{}, {}", counted(errors, "error"), counted(warnings, "warning")),
    };
    out.push_str(&format!("lint: {files} checked, {found}\n"));
    if errors > 0 {
        Err(Fatal::Rendered(out))
    } else {
        eprint!("{out}");
        Ok(0)
    }
}

/// `1 file`, `2 files`.
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn test(paths: &[PathBuf], rules_root: Option<&Path>) -> Result<u8, Fatal> {
    use civrules::ruletest::{self, Suite, TestError};
    let rendered = |e: TestError| Fatal::Rendered(e.render());
    let mut suites = Vec::new();
    let mut errors = String::new();
    for path in ruletest::test_files(paths).map_err(rendered)? {
        match Suite::load(&path, rules_root) {
            Ok(suite) => suites.push(suite),
            Err(e) => errors.push_str(&e.render()),
        }
    }
    if !errors.is_empty() {
        return Err(Fatal::Rendered(errors));
    }
    let results: Vec<_> = suites.iter().flat_map(Suite::run).collect();
    print!("{}", ruletest::render(&results));
    Ok(u8::from(results.iter().any(|r| !r.passed())))
}

/// What `fmt` does with each file's canonical layout.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FmtMode {
    Print,
    Check,
    Write,
}

fn fmt(rules: &[PathBuf], mode: FmtMode) -> Result<u8, Fatal> {
    let mut unformatted = false;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for path in rules {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Fatal::Message(format!("{shown}: {e}")))?;
        let text =
            String::from_utf8(bytes).map_err(|_| Fatal::Message(format!("{shown}: not UTF-8 text")))?;
        let formatted =
            civrules::fmt::format_source(&shown, &text).map_err(|e| Fatal::Rendered(e.render()))?;
        // A byte-order mark is not part of the layout.
        let changed = formatted != text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        match mode {
            FmtMode::Print => out.write_all(formatted.as_bytes())?,
            FmtMode::Check if changed => {
                eprintln!("{shown}: not formatted");
                unformatted = true;
            }
            FmtMode::Write if changed => civrules::fmt::replace_file(path, &formatted)
                .map_err(|e| Fatal::Message(format!("{shown}: cannot rewrite: {e}")))?,
            FmtMode::Check | FmtMode::Write => {}
        }
    }
    Ok(u8::from(unformatted))
}

fn sample(
    rules: &Path,
    request: &civrules::sample::Request,
    count: usize,
    seed: u64,
    format: RecordsFormat,
    rules_root: Option<PathBuf>,
) -> Result<u8, Fatal> {
    use civrules::sample::{SampleFormat, SampleOptions, Sampler};
    let program = compile(rules, rules_root)?;
    let (format, csv_safe) = match format {
        RecordsFormat::Json => (SampleFormat::Json, false),
        RecordsFormat::Ndjson => (SampleFormat::Ndjson, false),
        RecordsFormat::Csv => (SampleFormat::Csv, true),
    };
    let options = SampleOptions {
        csv_safe,
        ..SampleOptions::default()
    };
    let sampler = Sampler::new(&program).with_options(options);
    let records = sampler
        .sample(request, count, seed)
        .map_err(|e| Fatal::Message(e.to_string()))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    civrules::sample::write_records(&mut out, &program, &records, format)?;
    out.flush()?;
    Ok(0)
}
