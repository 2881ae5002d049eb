//! The `civrules` command: arguments → library calls → exit status.
//! Exit 0: no findings; 1: violations or data/evaluation errors; 2: rules
//! that do not compile, bad usage, or unreadable input.

#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use civrules::report::Detail;
use civrules::{
    Captured, Checker, FileLoader, Input, InputError, InputFormat, Level, Loader, Program, Report, Source,
    Sources,
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
    /// Check records against the rules and report violations and errors.
    Check {
        /// The rules file.
        rules: PathBuf,
        /// Data files (.json, .ndjson/.jsonl, .csv, .xlsx, .xls, .ods); `-`
        /// reads standard input.
        #[arg(required = true)]
        data: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The format of the data (needed for `-`; overrides the extension).
        #[arg(long, value_enum)]
        input_format: Option<DataFormat>,
        /// The sheet of a spreadsheet to check (default: its first sheet).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// A `.source` file saying how the export writes its data: column
        /// names, date and time formats, yes/no and "no value" words.
        #[arg(long, value_name = "FILE.source")]
        source: Option<PathBuf>,
        /// Exit 2, before any output, when the rules or the data files'
        /// headers give a warning (lint's warnings, rules not checked).
        #[arg(long)]
        deny_warnings: bool,
        /// Let `extends` reach files anywhere under this folder.
        #[arg(long)]
        rules_root: Option<PathBuf>,
        /// Threads for NDJSON and CSV input (default: every core). The
        /// output is the same whatever the number.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// For one record, each rule's outcome and why: the values it read, each
    /// condition true, false or unknown, and the boundary that would pass.
    Explain {
        /// The rules file.
        rules: PathBuf,
        /// Data files, numbered on from one to the next as `check` does.
        #[arg(required = true)]
        data: Vec<PathBuf>,
        /// The record's number (from 1, as in `check`'s reports).
        #[arg(long)]
        record: u64,
        /// Only this rule.
        #[arg(long, value_name = "RULE_ID")]
        rule: Option<String>,
        #[arg(long, value_enum)]
        input_format: Option<DataFormat>,
        /// The sheet of a spreadsheet (default: its first sheet).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        #[arg(long)]
        rules_root: Option<PathBuf>,
    },
    /// Compile rules files and report errors (exit 2) and warnings.
    Lint {
        #[arg(required = true)]
        rules: Vec<PathBuf>,
        #[arg(long)]
        rules_root: Option<PathBuf>,
        /// Treat warnings as errors (exit 2).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Run rule tests (`*.test` files, or every one in a folder): exit 0
    /// when all pass, 1 when one fails, 2 when one does not compile.
    Test {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Let `extends` in the tested rules reach files anywhere under this folder.
        #[arg(long)]
        rules_root: Option<PathBuf>,
    },
    /// Print rules files in the canonical layout.
    Fmt {
        /// Exit 1 where a file is not formatted, printing nothing.
        #[arg(long)]
        check: bool,
        #[arg(required = true)]
        rules: Vec<PathBuf>,
    },
    /// Generate records from the rules: compliant ones (the default), ones
    /// that violate one rule, or boundary records.
    Sample {
        /// The rules file.
        rules: PathBuf,
        /// How many records.
        #[arg(long, default_value_t = 10)]
        count: usize,
        /// The same seed gives the same records.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Records that violate this rule (reason `failed`) and pass every other.
        #[arg(long, value_name = "RULE_ID")]
        violate: Option<String>,
        /// Records holding fields at and next to the constants the rules compare them with.
        #[arg(long, conflicts_with = "violate")]
        boundaries: bool,
        #[arg(long, value_enum, default_value_t = RecordsFormat::Ndjson)]
        format: RecordsFormat,
        #[arg(long)]
        rules_root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Ndjson,
    Summary,
}

/// The formats data is read in.
#[derive(Clone, Copy, ValueEnum)]
enum DataFormat {
    Json,
    Ndjson,
    Csv,
    Xlsx,
    Xls,
    Ods,
}

/// The formats `sample` writes records in.
#[derive(Clone, Copy, ValueEnum)]
enum RecordsFormat {
    Json,
    Ndjson,
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
            input_format,
            sheet,
            source,
            deny_warnings,
            rules_root,
            jobs,
        } => {
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let options = CheckOptions {
                format,
                input_format,
                sheet,
                source,
                deny_warnings,
                rules_root,
                jobs,
            };
            check(&rules, &data, &options)
        }
        Command::Lint {
            rules,
            rules_root,
            deny_warnings,
        } => lint(&rules, rules_root, deny_warnings),
        Command::Test { paths, rules_root } => test(&paths, rules_root.as_deref()),
        Command::Fmt { check, rules } => fmt(&rules, check),
        Command::Explain {
            rules,
            data,
            record,
            rule,
            input_format,
            sheet,
            rules_root,
        } => explain(
            &rules,
            &data,
            record,
            rule.as_deref(),
            input_format,
            sheet.as_deref(),
            rules_root,
        ),
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

fn explain(
    rules: &Path,
    data: &[PathBuf],
    number: u64,
    rule: Option<&str>,
    input_format: Option<DataFormat>,
    sheet: Option<&str>,
    rules_root: Option<PathBuf>,
) -> Result<u8, Fatal> {
    let inputs = data_inputs(data, input_format)?;
    check_sheet_usage(&inputs, sheet)?;
    let program = compile(rules, rules_root)?;
    let mut checker = Checker::new(&program).capturing(number);
    let mut captured = None;
    for (path, format) in inputs {
        Input::open_sheet(open_data(path)?, format, sheet, &checker)
            .map_err(Fatal::from)
            .and_then(|input| input.check(&mut checker, |_| Ok::<(), Fatal>(())))
            .map_err(|e| match e {
                Fatal::Message(m) => Fatal::Message(format!("{}: {m}", path.display())),
                other => other,
            })?;
        captured = checker.take_captured();
        if captured.is_some() {
            break;
        }
    }
    let text = match captured {
        Some(Captured::Record(record)) => civrules::explain::explain(&program, &record, number, rule)
            .map_err(|e| Fatal::Message(e.to_string()))?,
        Some(Captured::NotARecord(why)) => civrules::explain::explain_not_a_record(number, &why),
        None => {
            let message = format!(
                "there is no record {number}: the data holds {}",
                checker.records()
            );
            return Err(Fatal::Message(message));
        }
    };
    print!("{text}");
    Ok(0)
}

/// What `civrules check` was asked for, beside the rules and the data.
struct CheckOptions {
    format: Format,
    input_format: Option<DataFormat>,
    sheet: Option<String>,
    source: Option<PathBuf>,
    deny_warnings: bool,
    rules_root: Option<PathBuf>,
    jobs: usize,
}

fn check(rules: &Path, data: &[PathBuf], options: &CheckOptions) -> Result<u8, Fatal> {
    let inputs = data_inputs(data, options.input_format)?;
    check_sheet_usage(&inputs, options.sheet.as_deref())?;
    let mut sources = Sources::default();
    let program = Program::compile_with_sources(
        loader(options.rules_root.clone()).as_ref(),
        &rules.to_string_lossy(),
        &mut sources,
    )
    .map_err(|e| Fatal::Rendered(e.render()))?;
    // Every warning lint gives, printed before the report.
    let mut warnings = civrules::lint::lint(program.ruleset(), &sources, civrules::syntax::SourceId(0));
    let source = match &options.source {
        Some(path) => Some(Source::from_file(&program, path).map_err(|e| Fatal::Rendered(e.render()))?),
        None => None,
    };
    if let Some(source) = &source {
        warnings.extend(source.warnings().iter().cloned());
    }
    // The summary needs only the totals: no entry is written for a finding.
    let detail = match options.format {
        Format::Summary => Detail::Totals,
        _ => Detail::Entries,
    };
    let mut checker = Checker::new(&program).with_detail(detail);
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
        let input = Input::open_sheet(open_data(path)?, data_format, options.sheet.as_deref(), &checker)
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
    let mut report = Report::new(&program);
    let mut after = String::new();
    for (path, input) in opened {
        let format = options.format;
        let summary = input
            .check_parallel(&mut checker, options.jobs, |record| -> Result<(), Fatal> {
                match format {
                    Format::Ndjson => civrules::report::write_ndjson_entries(&mut out, &record)?,
                    Format::Json | Format::Table => report.push(record),
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
    report.finish(&checker);
    match options.format {
        Format::Json => civrules::report::write_json(&mut out, &report)?,
        Format::Table => {
            let width = table_width();
            out.write_all(civrules::report::render_table(&report, width).as_bytes())?
        }
        Format::Summary => civrules::report::write_summary(&mut out, checker.records(), &checker.summary())?,
        Format::Ndjson => {}
    }
    out.flush()?;
    eprint!("{after}");
    Ok(u8::from(checker.has_findings()))
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
    let mut failed = false;
    for path in rules {
        let loader = loader(rules_root.clone());
        match civrules::lint::lint_file(loader.as_ref(), &path.to_string_lossy()) {
            Ok(warnings) => {
                for mut warning in warnings {
                    if deny_warnings {
                        warning.level = Level::Error;
                        failed = true;
                    }
                    out.push_str(&warning.render());
                }
            }
            Err(e) => {
                failed = true;
                out.push_str(&e.render());
            }
        }
    }
    if failed {
        Err(Fatal::Rendered(out))
    } else {
        eprint!("{out}");
        Ok(0)
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

fn fmt(rules: &[PathBuf], check_only: bool) -> Result<u8, Fatal> {
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
        if check_only {
            // A byte-order mark is not part of the layout.
            if formatted != text.strip_prefix('\u{FEFF}').unwrap_or(&text) {
                eprintln!("{shown}: not formatted");
                unformatted = true;
            }
        } else {
            out.write_all(formatted.as_bytes())?;
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
