//! Rule tests: records written beside a rules file, and the outcome each
//! rule must give them (`civrules test`; the format is in the README,
//! "Testing your rules").
//!
//! [`Suite::load`] parses a `*.test` file (its grammar is `grammar/civrules-test.pest`),
//! compiles the rules it names and binds the two: every rule id, field and
//! record key must exist, or it is a compile error with "did you mean".
//! [`Suite::run`] checks every record and compares outcomes;
//! [`render`] prints the results the way `cargo test` does.

mod record;
mod report;

use std::path::{Path, PathBuf};

use crate::diagnostic::Span;
use crate::diagnostic::{closest, CompileError, ErrorKind, Problem, Sources};
use crate::syntax::test_file::{self, ExpectedOutcome, TestFile};
use crate::{FileLoader, LoadError, Loader, Program};

pub use report::{render, Mismatch, RecordFailure, TestResult};

/// Why a test file could not be run: it could not be read, or it (or the
/// rules it names) does not compile.
#[derive(Debug, thiserror::Error)]
pub enum TestError {
    /// A test file (or a folder of them) could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The path as given.
        path: String,
        /// What the system said.
        message: String,
    },
    /// The test file, or the rules it names, does not compile.
    #[error(transparent)]
    Compile(#[from] CompileError),
}

impl TestError {
    /// As the command prints it: located diagnostics, or one line.
    pub fn render(&self) -> String {
        match self {
            TestError::Compile(e) => e.render(),
            TestError::Read { .. } => format!("civrules: error: {self}\n"),
        }
    }
}

/// A test file bound to its compiled rules, ready to run.
#[derive(Debug)]
pub struct Suite {
    /// The test file, as named on the command line.
    pub path: String,
    program: Program,
    tests: Vec<Case>,
}

/// One `test` block, bound: records as JSON and expectations by rule index.
#[derive(Debug)]
struct Case {
    name: String,
    records: Vec<record::Bound>,
    /// One entry per rule of the program; `None`: pass or not applicable
    /// (in a test without `expect group`; in one with, not looked at).
    expected: Vec<Option<ExpectedOutcome>>,
    /// `expect group …`: checked over all the test's records together.
    groups: Vec<GroupExpectation>,
}

/// `expect group R {per values} OUTCOME`.
#[derive(Debug)]
struct GroupExpectation {
    rule: usize,
    /// Each `per` expression's text with the value expected.
    group: Vec<(String, crate::Value)>,
    /// The group as the test writes it, for a failure's message.
    shown: String,
    outcome: ExpectedOutcome,
}

impl Suite {
    /// Reads the test file at `path`, and compiles the rules file it names
    /// (relative to the test file; `extends` may reach anywhere under
    /// `rules_root` when given, else only the rules file's folder).
    pub fn load(path: &Path, rules_root: Option<&Path>) -> Result<Suite, TestError> {
        let shown = path.display().to_string();
        let read_error = |message: String| TestError::Read {
            path: shown.clone(),
            message,
        };
        let limit = crate::Limits::DEFAULT.max_source_bytes;
        let bytes = crate::load::read_at_most(path, limit)
            .map_err(|e| read_error(e.to_string()))?
            .ok_or_else(|| {
                CompileError::at_place(
                    ErrorKind::FileTooLarge,
                    &shown,
                    1,
                    1,
                    crate::limits::file_too_large(limit, "test"),
                )
            })?;
        let text = crate::load::utf8(&shown, bytes).map_err(|e| match e {
            LoadError::NotUtf8 { path, line, column } => TestError::from(CompileError::at_place(
                ErrorKind::FileUnreadable,
                path,
                line,
                column,
                "the file is not UTF-8 text",
            )),
            other => read_error(other.to_string()),
        })?;
        let loader: Box<dyn Loader> = match rules_root {
            Some(root) => Box::new(FileLoader::with_root(root)),
            None => Box::new(FileLoader::new()),
        };
        let folder = path.parent().unwrap_or(Path::new(""));
        Suite::from_source(&shown, &text, |rules| {
            let rules_path: PathBuf = folder.join(rules);
            Program::from_loader(loader.as_ref(), &rules_path.to_string_lossy())
        })
    }

    /// A test file's text, reported under `name`, with `compile` giving
    /// the program for the rules path the file names.
    pub fn from_source(
        name: &str,
        text: &str,
        compile: impl FnOnce(&str) -> Result<Program, CompileError>,
    ) -> Result<Suite, TestError> {
        let mut sources = Sources::default();
        let source = sources.add(name, text);
        let text = sources.get(source).map(|f| f.text.clone()).unwrap_or_default();
        let located = |problems: Vec<Problem>, sources: &Sources| CompileError {
            diagnostics: problems.into_iter().map(|p| p.into_diagnostic(sources)).collect(),
        };
        let file =
            test_file::parse_tests(source, &text).map_err(|e| located(vec![Problem::from(e)], &sources))?;
        let program = compile(&file.rules.value)?;
        let tests = bind(&file, &program, &sources).map_err(|p| located(p, &sources))?;
        Ok(Suite {
            path: name.to_string(),
            program,
            tests,
        })
    }

    /// How many tests the file holds.
    pub fn len(&self) -> usize {
        self.tests.len()
    }

    /// Whether the file holds no test.
    pub fn is_empty(&self) -> bool {
        self.tests.is_empty()
    }

    /// Runs every test, in file order.
    pub fn run(&self) -> Vec<TestResult> {
        self.tests
            .iter()
            .map(|case| report::run_case(self, case))
            .collect()
    }
}

/// Checks every name in the file against the program, and turns records
/// into JSON: all problems at once.
fn bind(file: &TestFile, program: &Program, sources: &Sources) -> Result<Vec<Case>, Vec<Problem>> {
    let mut problems = Vec::new();
    let rules = program.ruleset();
    let rule_ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    let rules_name = &file.rules.value;
    let known = record::Known {
        rules,
        file: rules_name,
    };
    let mut base = record::Tree::default();
    if let Some(object) = &file.base {
        base.lay(object, &known, &mut problems);
    }
    let mut cases = Vec::with_capacity(file.tests.len());
    for (i, test) in file.tests.iter().enumerate() {
        let name = &test.name.value;
        if let Some(first) = file.tests[..i].iter().find(|t| t.name.value == *name) {
            problems.push(
                Problem::at(
                    ErrorKind::Duplicate,
                    test.name.span,
                    format!("two tests are called \"{name}\""),
                )
                .note("the other one", Some(first.name.span)),
            );
        }
        if test.records.is_empty() {
            problems.push(Problem::at(
                ErrorKind::Incomplete,
                test.name.span,
                format!("test \"{name}\" has no record: add `record {{ … }}`"),
            ));
        }
        let mut expected: Vec<Option<ExpectedOutcome>> = vec![None; rule_ids.len()];
        let mut given: Vec<Option<Span>> = vec![None; rule_ids.len()];
        let mut groups = Vec::new();
        for expect in &test.expects {
            let id = &expect.rule.name;
            let group_rule = rules.rules.iter().position(|r| r.id == *id && r.group.is_some());
            match (&expect.group, group_rule) {
                (Some(object), Some(index)) => {
                    if let Some(group) = group_of(object, &rules.rules[index], &mut problems) {
                        groups.push(GroupExpectation {
                            rule: index,
                            shown: format!("{id} {}", record::shown_object(object)),
                            group,
                            outcome: expect.outcome.clone(),
                        });
                    }
                    continue;
                }
                (Some(_), None) if rule_ids.contains(&id.as_str()) => {
                    problems.push(Problem::at(
                        ErrorKind::UnknownName,
                        expect.rule.span,
                        format!("`expect group {id}`: `{id}` is a record rule; write `expect {id} …`"),
                    ));
                    continue;
                }
                (None, Some(_)) => {
                    problems.push(Problem::at(
                        ErrorKind::UnknownName,
                        expect.rule.span,
                        format!("`{id}` is a group rule: write `expect group {id} {{per values}} …`"),
                    ));
                    continue;
                }
                _ => {}
            }
            let Some(index) = rule_ids.iter().position(|r| r == id) else {
                let mut problem = Problem::at(
                    ErrorKind::UnknownName,
                    expect.rule.span,
                    format!("no rule `{id}` in {rules_name}"),
                );
                problem = match closest(id, rule_ids.iter().copied()) {
                    Some(near) => problem.note(format!("did you mean `{near}`?"), None),
                    None => problem.note(format!("its rules are {}", rule_ids.join(", ")), None),
                };
                problems.push(problem);
                continue;
            };
            if let Some(first) = given[index] {
                problems.push(
                    Problem::at(
                        ErrorKind::Duplicate,
                        expect.span,
                        format!("rule `{id}` is expected twice in this test"),
                    )
                    .note("the first expectation", Some(first)),
                );
            }
            if let ExpectedOutcome::Missing(Some(named)) = &expect.outcome {
                for path in named {
                    let field = path.dotted();
                    if !rules.fields.iter().any(|f| f.name == field) {
                        problems.push(unknown_field(&field, path.span, &known));
                    }
                }
            }
            given[index] = Some(expect.span);
            expected[index] = Some(expect.outcome.clone());
        }
        let records = test
            .records
            .iter()
            .map(|r| {
                let mut tree = base.clone();
                tree.lay(r, &known, &mut problems);
                record::Bound::new(&tree, r.span, sources)
            })
            .collect();
        cases.push(Case {
            name: name.clone(),
            records,
            expected,
            groups,
        });
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}

/// The `per` values an `expect group` names: exactly the rule's `per`
/// expressions, as `fmt` writes them, each with a literal.
fn group_of(
    object: &test_file::Object,
    rule: &crate::check::Rule,
    problems: &mut Vec<Problem>,
) -> Option<Vec<(String, crate::Value)>> {
    let per: Vec<&str> = rule
        .group
        .iter()
        .flat_map(|g| &g.per)
        .map(|k| k.text.as_str())
        .collect();
    let mut values = Vec::new();
    let mut ok = true;
    for member in &object.members {
        let text = member.key.join(".");
        if !per.contains(&text.as_str()) {
            let mut problem = Problem::at(
                ErrorKind::UnknownName,
                member.key_span,
                format!("`{text}` is not a `per` expression of rule `{}`", rule.id),
            );
            problem = match closest(&text, per.iter().copied()) {
                Some(near) => problem.note(format!("did you mean `{near}`?"), None),
                None => problem.note(format!("its `per` expressions are {}", per.join(", ")), None),
            };
            problems.push(problem);
            ok = false;
            continue;
        }
        match &member.value {
            test_file::Datum::Literal(literal) => values.push((text, literal.value.clone())),
            _ => {
                problems.push(Problem::at(
                    ErrorKind::LiteralExpected,
                    member.key_span,
                    format!("`{text}`: a group's value is a literal, like \"NV-01\" or 2022-02-01"),
                ));
                ok = false;
            }
        }
    }
    let named: Vec<&str> = values.iter().map(|(t, _)| t.as_str()).collect();
    let left: Vec<&str> = per.iter().copied().filter(|p| !named.contains(p)).collect();
    if ok && !left.is_empty() {
        problems.push(Problem::at(
            ErrorKind::Incomplete,
            object.span,
            format!(
                "the group needs a value for every `per` expression: {} missing",
                left.join(", ")
            ),
        ));
        ok = false;
    }
    ok.then_some(values)
}

fn unknown_field(name: &str, span: Span, known: &record::Known<'_>) -> Problem {
    let problem = Problem::at(
        ErrorKind::UnknownName,
        span,
        format!("no rule in {} uses a field `{name}`", known.file),
    );
    let fields: Vec<&str> = known.rules.fields.iter().map(|f| f.name.as_str()).collect();
    match closest(name, fields.iter().copied()) {
        Some(near) => problem.note(format!("did you mean `{near}`?"), None),
        None => problem.note(format!("its fields are {}", fields.join(", ")), None),
    }
}

/// The test files among `paths`: a file as given, a folder's `*.test`
/// files (subfolders included), in name order.
pub fn test_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, TestError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = out.len();
            collect(path, &mut out).map_err(|e| TestError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            if out.len() == before {
                return Err(TestError::Read {
                    path: path.display().to_string(),
                    message: "no *.test file in this folder".into(),
                });
            }
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn collect(folder: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if entry.extension().is_some_and(|e| e == "test") {
            out.push(entry);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod mutation_tests;
