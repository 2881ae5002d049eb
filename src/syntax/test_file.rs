//! Rule tests (`*.test`): text → [`TestFile`], with spans. The grammar is
//! `grammar/civrules-test.pest`, compiled with the rule language's own, so
//! that literals are read (and refused: `25:00`) exactly as in rules.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::{FieldPath, Ident, Literal, SourceId, Span, StrLit};
use super::lower::Lowerer;
use super::{from_pest, Grammar, Rule, SyntaxError};
use crate::diagnostic::ErrorKind;

/// One test file: the rules it tests, a record to start from, the tests.
#[derive(Clone, Debug, PartialEq)]
pub struct TestFile {
    /// The rules file, relative to the test file.
    pub rules: StrLit,
    /// The fields every record of the file starts with.
    pub base: Option<Object>,
    pub tests: Vec<TestDef>,
}

/// `test "name" { record {…} … expect RULE OUTCOME … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct TestDef {
    pub name: StrLit,
    /// Each record is checked, and must meet every expectation.
    pub records: Vec<Object>,
    pub expects: Vec<Expect>,
    pub span: Span,
}

/// `expect on_time failed`, or `expect group late_repeat {…} failed`.
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    pub rule: Ident,
    /// For a group rule (§9): its `per` values, each keyed by the
    /// expression's text (`"month_start(date)": 2022-02-01`).
    pub group: Option<Object>,
    pub outcome: ExpectedOutcome,
    pub span: Span,
}

/// What a rule must give a record.
#[derive(Clone, Debug, PartialEq)]
pub enum ExpectedOutcome {
    Pass,
    /// A violation with reason `failed`.
    Failed,
    /// A violation with reason `missing`; with a list, exactly those fields.
    Missing(Option<Vec<FieldPath>>),
    /// A violation, whatever the reason.
    Violation,
    NotApplicable,
    /// A data error in a field the rule reads, or an evaluation error.
    Error,
}

/// `{ arrival: 07:31, employee.unit: "Sở Nội vụ" }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub members: Vec<Member>,
    pub span: Span,
}

/// `employee.unit: "Sở Nội vụ"`: a dotted key reaches into nested objects.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: Vec<String>,
    pub key_span: Span,
    pub value: Datum,
}

/// A value in a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    Null(Span),
    Literal(Literal),
    List(Vec<Datum>, Span),
    Object(Object),
}

/// Parses a test file. `text` must not start with a byte-order mark.
pub fn parse_tests(source: SourceId, text: &str) -> Result<TestFile, SyntaxError> {
    // A test file is read within the default limits: `civrules test` is
    // run on the author's own files.
    check_depth(source, text, crate::Limits::DEFAULT.max_nesting)?;
    let mut pairs = Grammar::parse(Rule::test_file, text).map_err(|e| from_pest(source, text, e))?;
    let lw = Lowerer::new(source, text);
    let malformed = |span| SyntaxError {
        kind: ErrorKind::Syntax,
        message: "malformed test file".into(),
        span,
    };
    let file = pairs.next().ok_or_else(|| malformed(Span::default()))?;
    let mut rules = None;
    let mut base = None;
    let mut tests = Vec::new();
    for item in file.into_inner() {
        let span = lw.span(&item);
        match item.as_rule() {
            Rule::t_rules => {
                let path = item.into_inner().find(|p| p.as_rule() == Rule::string);
                rules = Some(lw.string(path.ok_or_else(|| malformed(span))?)?);
            }
            Rule::t_base => {
                let object = item.into_inner().find(|p| p.as_rule() == Rule::t_object);
                base = Some(object_of(&lw, object.ok_or_else(|| malformed(span))?)?);
            }
            Rule::t_test => tests.push(test_of(&lw, item)?),
            _ => {}
        }
    }
    Ok(TestFile {
        rules: rules.ok_or_else(|| malformed(Span::default()))?,
        base,
        tests,
    })
}

fn test_of(lw: &Lowerer<'_>, pair: Pair<'_, Rule>) -> Result<TestDef, SyntaxError> {
    let span = lw.span(&pair);
    let mut name = None;
    let mut records = Vec::new();
    let mut expects = Vec::new();
    for item in pair.into_inner() {
        match item.as_rule() {
            Rule::string => name = Some(lw.string(item)?),
            Rule::t_record => {
                if let Some(object) = item.into_inner().find(|p| p.as_rule() == Rule::t_object) {
                    records.push(object_of(lw, object)?);
                }
            }
            Rule::t_expect => expects.push(expect_of(lw, item)?),
            _ => {}
        }
    }
    let name = name.ok_or_else(|| lw.error(ErrorKind::Incomplete, span, "a test needs a name"))?;
    Ok(TestDef {
        name,
        records,
        expects,
        span,
    })
}

fn expect_of(lw: &Lowerer<'_>, pair: Pair<'_, Rule>) -> Result<Expect, SyntaxError> {
    let span = lw.span(&pair);
    let mut rule = None;
    let mut group = None;
    let mut outcome = None;
    for item in pair.into_inner() {
        outcome = match item.as_rule() {
            Rule::ident => {
                rule = Some(lw.ident(item));
                continue;
            }
            Rule::t_object => {
                group = Some(object_of(lw, item)?);
                continue;
            }
            Rule::t_pass => Some(ExpectedOutcome::Pass),
            Rule::t_failed => Some(ExpectedOutcome::Failed),
            Rule::t_violation => Some(ExpectedOutcome::Violation),
            Rule::t_not_applicable => Some(ExpectedOutcome::NotApplicable),
            Rule::t_error => Some(ExpectedOutcome::Error),
            Rule::t_missing => {
                let fields = item
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::t_fields)
                    .map(|list| list.into_inner().map(|p| lw.path(p)).collect());
                Some(ExpectedOutcome::Missing(fields))
            }
            _ => continue,
        };
    }
    match (rule, outcome) {
        (Some(rule), Some(outcome)) => Ok(Expect {
            rule,
            group,
            outcome,
            span,
        }),
        _ => Err(lw.error(ErrorKind::Syntax, span, "expected `expect RULE OUTCOME`")),
    }
}

fn object_of(lw: &Lowerer<'_>, pair: Pair<'_, Rule>) -> Result<Object, SyntaxError> {
    let span = lw.span(&pair);
    let mut members: Vec<Member> = Vec::new();
    for member in pair.into_inner() {
        let mut parts = member.into_inner();
        let (Some(key), Some(value)) = (parts.next(), parts.next()) else {
            return Err(lw.error(ErrorKind::Syntax, span, "expected `name: value`"));
        };
        let key_span = lw.span(&key);
        let mut segments = Vec::new();
        for name in key.into_inner() {
            match name.into_inner().next() {
                Some(s) if s.as_rule() == Rule::string => segments.push(lw.string(s)?.value),
                Some(word) => segments.push(word.as_str().to_string()),
                None => {}
            }
        }
        if members.iter().any(|m| m.key == segments) {
            let message = format!("`{}` is given twice in this record", segments.join("."));
            return Err(lw.error(ErrorKind::Duplicate, key_span, message));
        }
        members.push(Member {
            key: segments,
            key_span,
            value: datum_of(lw, value)?,
        });
    }
    Ok(Object { members, span })
}

fn datum_of(lw: &Lowerer<'_>, pair: Pair<'_, Rule>) -> Result<Datum, SyntaxError> {
    let span = lw.span(&pair);
    Ok(match pair.as_rule() {
        Rule::t_null => Datum::Null(span),
        Rule::t_object => Datum::Object(object_of(lw, pair)?),
        Rule::t_list => Datum::List(
            pair.into_inner()
                .map(|p| datum_of(lw, p))
                .collect::<Result<_, _>>()?,
            span,
        ),
        _ => Datum::Literal(lw.literal(pair)?),
    })
}

/// Refuses objects and lists nested deeper than `max_nesting` before the
/// recursive parser sees them.
fn check_depth(source: SourceId, text: &str, max_nesting: usize) -> Result<(), SyntaxError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' => {
                in_comment = false;
                in_string = false;
            }
            _ if in_comment => {}
            _ if in_string => match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            },
            '#' => in_comment = true,
            '"' => in_string = true,
            '{' | '[' => {
                depth += 1;
                if depth > max_nesting {
                    return Err(SyntaxError {
                        kind: ErrorKind::TooDeep,
                        message: format!("records are nested more than {max_nesting} deep"),
                        span: Span {
                            source,
                            start: i,
                            end: i + 1,
                        },
                    });
                }
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    const FILE: &str = r#"# Kiểm thử
rules "nghe-an.rules"

base { employee_id: "NA-1", role: "civil_servant", date: 2022-02-09 }

test "đến muộn 07:31" {
  record { arrival: 07:31, employee.unit: "Sở Nội vụ", tags: ["a", "b"], "full name": null }
  record { arrival: 7:45, breath_alcohol: -0.25, seconds: 17:00:30, span: 1h30m, n: 3, ok: true }
  expect on_time failed
  expect badge pass
  expect full_day missing [departure]
  expect dress missing
  expect tthc violation
  expect covid_mask not applicable
  expect x error
}
"#;

    #[test]
    fn a_test_file_parses_with_every_literal_form() {
        let file = parse_tests(SourceId(0), FILE).unwrap();
        assert_eq!(file.rules.value, "nghe-an.rules");
        assert_eq!(file.base.as_ref().unwrap().members.len(), 3);
        let test = &file.tests[0];
        assert_eq!(test.name.value, "đến muộn 07:31");
        assert_eq!(test.records.len(), 2);
        let first = &test.records[0].members;
        assert_eq!(first[1].key, ["employee", "unit"]);
        assert_eq!(first[3].key, ["full name"]);
        assert!(matches!(first[3].value, Datum::Null(_)));
        assert!(matches!(&first[2].value, Datum::List(items, _) if items.len() == 2));
        let Datum::Literal(lit) = &test.records[1].members[1].value else {
            panic!("a literal")
        };
        assert_eq!(lit.value, Value::Decimal(rust_decimal::Decimal::new(-25, 2)));
        let outcomes: Vec<&ExpectedOutcome> = test.expects.iter().map(|e| &e.outcome).collect();
        assert_eq!(outcomes.len(), 7);
        assert_eq!(outcomes[0], &ExpectedOutcome::Failed);
        assert!(matches!(outcomes[2], ExpectedOutcome::Missing(Some(f)) if f[0].dotted() == "departure"));
        assert_eq!(outcomes[3], &ExpectedOutcome::Missing(None));
        assert_eq!(outcomes[5], &ExpectedOutcome::NotApplicable);
        assert_eq!(outcomes[6], &ExpectedOutcome::Error);
    }

    #[test]
    fn mistakes_in_a_test_file_are_located() {
        let err = |text: &str| parse_tests(SourceId(0), text).unwrap_err();
        let e = err("rules \"a.rules\"\ntest \"t\" {\n  record { arrival: 25:00 }\n}\n");
        assert!(e.message.contains("`25:00` is not a valid time"), "{}", e.message);
        let e = err("rules \"a.rules\"\ntest \"t\" {\n  expect on_time passs\n}\n");
        assert!(e.message.ends_with("did you mean `pass`?"), "{}", e.message);
        let e = err("rules \"a.rules\"\ntest \"t\" {\n  recrod { a: 1 }\n}\n");
        assert!(e.message.ends_with("did you mean `record`?"), "{}", e.message);
        let e = err("rule \"a.rules\"\n");
        assert!(e.message.ends_with("did you mean `rules`?"), "{}", e.message);
        let e = err("rules \"a.rules\"\ntest \"t\" {\n  record { a: 1, a: 2 }\n}\n");
        assert_eq!(e.message, "`a` is given twice in this record");
        let deep = format!(
            "rules \"a.rules\"\nbase {{ a: {}1{} }}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(err(&deep).message.contains("nested more than"));
    }
}
