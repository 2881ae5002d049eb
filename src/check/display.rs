//! A typed expression as text: the canonical text `fmt` prints for the
//! same expression written with no more parentheses than it needs. The
//! tools that show an expression (`explain`, lint's warnings) print it
//! here, so that an expression reads the same wherever it is shown.

use std::fmt;

use super::{RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::semantics::ops::BinaryOp;
use crate::semantics::value::Value;

/// Which parentheses an expression is printed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Grouping {
    /// Only those the grammar needs to read the expression back as the same
    /// tree: `fmt`'s text of it.
    Needed,
    /// Also around every arithmetic operation, `(a + b) * 2` as
    /// `((a + b) * 2)`: the form the keys of `analysis`'s terms take, which
    /// lint's warnings show.
    EveryArithmetic,
}

/// `expr` printed by [`fmt::Display`].
pub(crate) struct Shown<'a> {
    pub rules: &'a RuleSet,
    pub expr: &'a TypedExpr,
    pub grouping: Grouping,
}

impl<'a> Shown<'a> {
    /// `expr` as `fmt` prints it.
    pub fn new(rules: &'a RuleSet, expr: &'a TypedExpr) -> Shown<'a> {
        Shown {
            rules,
            expr,
            grouping: Grouping::Needed,
        }
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text(self.rules, self.expr, self.grouping))
    }
}

/// How tightly an expression binds, loosest first, as the grammar's levels
/// go (`grammar/civrules.pest`): an operand looser than its place is
/// parenthesised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Or,
    And,
    Not,
    Comparison,
    Sum,
    Product,
    Unary,
    Primary,
}

impl Level {
    /// The level just tighter than this one: the right operand of a
    /// left-associative operator, which must not be a run of its own.
    fn tighter(self) -> Level {
        match self {
            Level::Or => Level::And,
            Level::And => Level::Not,
            Level::Not => Level::Comparison,
            Level::Comparison => Level::Sum,
            Level::Sum => Level::Product,
            Level::Product => Level::Unary,
            Level::Unary | Level::Primary => Level::Primary,
        }
    }
}

fn level(expr: &TypedExpr, grouping: Grouping) -> Level {
    match &expr.kind {
        TypedKind::Binary { op, .. } if grouping == Grouping::EveryArithmetic && is_arithmetic(*op) => {
            Level::Primary
        }
        TypedKind::Literal(_)
        | TypedKind::Field(_)
        | TypedKind::Call(..)
        | TypedKind::GroupKey { .. }
        | TypedKind::Aggregate { .. } => Level::Primary,
        TypedKind::Neg(_) | TypedKind::Predicate(..) => Level::Unary,
        TypedKind::Not(_) => Level::Not,
        TypedKind::In { .. } => Level::Comparison,
        TypedKind::Binary { op, .. } => binary_level(*op),
    }
}

fn binary_level(op: BinaryOp) -> Level {
    match op {
        BinaryOp::Or => Level::Or,
        BinaryOp::And => Level::And,
        BinaryOp::Add | BinaryOp::Sub => Level::Sum,
        BinaryOp::Mul | BinaryOp::Div => Level::Product,
        _ => Level::Comparison,
    }
}

fn is_arithmetic(op: BinaryOp) -> bool {
    matches!(op, BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div)
}

/// `expr` as text.
pub(crate) fn text(rules: &RuleSet, expr: &TypedExpr, grouping: Grouping) -> String {
    let operand = |e: &TypedExpr, at_least: Level| {
        let text = text(rules, e, grouping);
        if level(e, grouping) < at_least {
            format!("({text})")
        } else {
            text
        }
    };
    match &expr.kind {
        TypedKind::Literal(v) => literal(v),
        TypedKind::Field(id) => rules.field(*id).name.clone(),
        TypedKind::GroupKey { text, .. } | TypedKind::Aggregate { text, .. } => text.clone(),
        TypedKind::Predicate(p, id) => format!("{} {}", rules.field(*id).name, p.as_str()),
        TypedKind::Not(x) => format!("not {}", operand(x, Level::Not)),
        TypedKind::Neg(x) => {
            let text = operand(x, Level::Unary);
            // `-` right before a digit starts a negative number (as `fmt`
            // says): `-2022-01-01` would read back as a subtraction.
            let space = if grouping == Grouping::Needed && text.starts_with(|c: char| c.is_ascii_digit()) {
                " "
            } else {
                ""
            };
            format!("-{space}{text}")
        }
        TypedKind::Binary { op, lhs, rhs } if grouping == Grouping::EveryArithmetic && is_arithmetic(*op) => {
            format!(
                "({} {} {})",
                text(rules, lhs, grouping),
                op.as_str(),
                text(rules, rhs, grouping)
            )
        }
        TypedKind::Binary { op, lhs, rhs } => {
            let at = binary_level(*op);
            // A comparison does not chain: both sides are sums.
            let (left, right) = if at == Level::Comparison {
                (Level::Sum, Level::Sum)
            } else {
                (at, at.tighter())
            };
            format!("{} {} {}", operand(lhs, left), op.as_str(), operand(rhs, right))
        }
        TypedKind::Call(function, args) => {
            let mut args: Vec<String> = args.iter().map(|a| text(rules, a, grouping)).collect();
            if let Some(regex) = &function.pattern {
                args.push(literal(&Value::String(regex.as_str().to_string())));
            }
            format!("{}({})", function.name(), args.join(", "))
        }
        TypedKind::In {
            negated,
            element,
            set,
        } => {
            let set = match set {
                TypedSet::List(items) => {
                    let items: Vec<String> = items.iter().map(literal).collect();
                    format!("[{}]", items.join(", "))
                }
                TypedSet::Range(low, high) => format!("{}..{}", literal(low), literal(high)),
                TypedSet::Field(id) => rules.field(*id).name.clone(),
            };
            let op = if *negated { "not in" } else { "in" };
            format!("{} {op} {set}", operand(element, Level::Sum))
        }
    }
}

/// A value as a literal: strings quoted, the rest as messages print them.
pub(crate) fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(literal).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{text, Grouping, Level};

    /// A generated expression: its text with only the parentheses it
    /// needs, and how tightly it binds.
    #[derive(Clone, Debug)]
    struct Gen {
        text: String,
        level: Level,
    }

    fn leaf(text: &str) -> Gen {
        Gen {
            text: text.to_string(),
            level: Level::Primary,
        }
    }

    /// `text` at `level`, parenthesised if that is looser than `at_least`.
    fn at(g: &Gen, at_least: Level) -> String {
        if g.level < at_least {
            format!("({})", g.text)
        } else {
            g.text.clone()
        }
    }

    fn binary(lhs: &Gen, op: &str, rhs: &Gen, level: Level) -> Gen {
        let (left, right) = if level == Level::Comparison {
            (Level::Sum, Level::Sum)
        } else {
            (level, level.tighter())
        };
        Gen {
            text: format!("{} {op} {}", at(lhs, left), at(rhs, right)),
            level,
        }
    }

    fn neg(x: &Gen) -> Gen {
        // `-` before a number literal is part of the literal (the parser
        // folds it), written as such.
        if x.text.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return leaf(&format!("-{}", x.text));
        }
        let operand = at(x, Level::Unary);
        let space = if operand.starts_with(|c: char| c.is_ascii_digit()) {
            " "
        } else {
            ""
        };
        Gen {
            text: format!("-{space}{operand}"),
            level: Level::Unary,
        }
    }

    fn select(items: &[&'static str]) -> impl Strategy<Value = Gen> {
        prop::sample::select(items.to_vec()).prop_map(leaf)
    }

    /// Ints and decimals, written as the checked literal prints.
    fn number() -> impl Strategy<Value = Gen> {
        let leaf = prop_oneof![
            3 => select(&["n1", "n2", "d1", "1", "3", "17", "-5", "2.5", "-0.25"]),
            1 => select(&["len(s1)", "len(tags)", "hour(t1)", "minute(t1)", "year(dt1)", "weekday(dt1)"]),
        ];
        leaf.prop_recursive(3, 12, 2, |inner| {
            prop_oneof![
                (inner.clone(), prop::sample::select(vec!["+", "-"]), inner.clone())
                    .prop_map(|(l, op, r)| binary(&l, op, &r, Level::Sum)),
                (inner.clone(), prop::sample::select(vec!["*", "/"]), inner.clone())
                    .prop_map(|(l, op, r)| binary(&l, op, &r, Level::Product)),
                inner.prop_map(|x| neg(&x)),
            ]
        })
    }

    fn duration() -> impl Strategy<Value = Gen> {
        select(&["du1", "30m", "1h30m", "2d"]).prop_recursive(2, 6, 2, |inner| {
            prop_oneof![
                (inner.clone(), prop::sample::select(vec!["+", "-"]), inner.clone())
                    .prop_map(|(l, op, r)| binary(&l, op, &r, Level::Sum)),
                (inner.clone(), select(&["2", "n1"])).prop_map(|(l, r)| binary(&l, "*", &r, Level::Product)),
                inner.prop_map(|x| neg(&x)),
            ]
        })
    }

    /// A comparison of two sides of one type.
    fn comparison() -> impl Strategy<Value = Gen> {
        let op = || prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">="]);
        let compared = |l: Gen, op: &str, r: Gen| binary(&l, op, &r, Level::Comparison);
        prop_oneof![
            (number(), op(), number()).prop_map(move |(l, op, r)| compared(l, op, r)),
            (duration(), op(), duration()).prop_map(move |(l, op, r)| compared(l, op, r)),
            (
                select(&["t1", "07:30"]),
                prop::sample::select(vec!["+", "-"]),
                duration(),
                op(),
                select(&["t1", "23:59:59", "00:00"])
            )
                .prop_map(move |(t, sign, d, op, r)| compared(
                    binary(&t, sign, &d, Level::Sum),
                    op,
                    r
                )),
            (
                select(&["dt1", "2024-02-29"]),
                op(),
                select(&["dt1", "2020-01-01"])
            )
                .prop_map(move |(l, op, r)| compared(l, op, r)),
            (
                select(&["s1", "emp.unit", "lower(s1)", "upper(emp.unit)"]),
                op(),
                select(&["\"a\"", "\"Sở Nội vụ\"", "\"a\\\"b\"", "\"x\\ny\"", "s1"])
            )
                .prop_map(move |(l, op, r)| compared(l, op, r)),
        ]
    }

    fn atom() -> impl Strategy<Value = Gen> {
        let unary = |text: String| Gen {
            text,
            level: Level::Unary,
        };
        let member = |element: Gen, negated: bool, set: &str| Gen {
            text: format!(
                "{} {} {set}",
                at(&element, Level::Sum),
                if negated { "not in" } else { "in" }
            ),
            level: Level::Comparison,
        };
        prop_oneof![
            4 => comparison(),
            1 => select(&["b1", "b2", "contains(s1, \"a\")", "starts_with(emp.unit, \"Sở\")", "matches(s1, \"\\\\d{2}\")"]),
            1 => (
                prop::sample::select(vec!["b1", "n1", "tags", "emp.unit"]),
                prop::sample::select(vec!["required", "present", "missing"])
            )
                .prop_map(move |(f, p)| unary(format!("{f} {p}"))),
            1 => (number(), any::<bool>(), prop::sample::select(vec!["[1, 2, -3]", "0..10", "[2.5]"]))
                .prop_map(move |(e, negated, set)| member(e, negated, set)),
            1 => (select(&["s1", "\"a\""]), any::<bool>(), prop::sample::select(vec!["[\"a\", \"b\"]", "tags"]))
                .prop_map(move |(e, negated, set)| member(e, negated, set)),
            1 => (select(&["t1", "07:30"]), any::<bool>())
                .prop_map(move |(e, negated)| member(e, negated, "07:00..17:30")),
        ]
    }

    fn condition() -> impl Strategy<Value = Gen> {
        atom().prop_recursive(4, 16, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(l, r)| binary(&l, "and", &r, Level::And)),
                (inner.clone(), inner.clone()).prop_map(|(l, r)| binary(&l, "or", &r, Level::Or)),
                inner.clone().prop_map(|x| Gen {
                    text: format!("not {}", at(&x, Level::Not)),
                    level: Level::Not,
                }),
                (
                    inner,
                    prop::sample::select(vec!["==", "!="]),
                    select(&["b1", "true"])
                )
                    .prop_map(|(l, op, r)| binary(&l, op, &r, Level::Comparison)),
            ]
        })
    }

    const FIELDS: &str = "field b1: bool\nfield b2: bool\nfield n1: int\nfield n2: int\nfield d1: decimal\nfield s1: string\nfield emp.unit: string\nfield t1: time\nfield dt1: date\nfield du1: duration\nfield tags: list[string]\n";

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(512) })]

        #[test]
        fn the_typed_text_is_fmt_text_of_the_source(when in condition(), check in condition()) {
            let source = format!("{FIELDS}rule r {{\n  when {}\n  check {}\n}}\n", when.text, check.text);
            // Some generated expressions are not well typed (a decimal
            // times a duration): only those that check are compared.
            let program = crate::Program::from_source("t.rules", &source);
            prop_assume!(program.is_ok());
            let program = program.expect("assumed");
            let formatted = crate::fmt::format_source("t.rules", &source).expect("it checks, so it parses");
            let rules = program.ruleset();
            let rule = &rules.rules[0];
            let shown = |e| text(rules, e, Grouping::Needed);
            let when = shown(rule.when.as_ref().expect("a when"));
            let check = shown(&rule.check);
            let want = format!("{FIELDS}\nrule r {{\n  when     {when}\n  check    {check}\n}}\n");
            prop_assert_eq!(formatted, want);
        }
    }

    #[test]
    fn lint_keys_group_every_arithmetic_operation() {
        let program = crate::Program::from_source(
            "t.rules",
            "field n1: int\nfield du1: duration\nrule r: (n1 + 2) * 3 - -n1 > len(\"ab\") and -(du1 + 1h) < 0s",
        )
        .expect("compiles");
        let rules = program.ruleset();
        let crate::check::TypedKind::Binary { lhs, rhs, .. } = &rules.rules[0].check.kind else {
            panic!("an and");
        };
        let operands = |e: &crate::check::TypedExpr| match &e.kind {
            crate::check::TypedKind::Binary { lhs, rhs, .. } => (
                text(rules, lhs, Grouping::EveryArithmetic),
                text(rules, rhs, Grouping::EveryArithmetic),
            ),
            _ => panic!("a comparison"),
        };
        assert_eq!(
            operands(lhs),
            ("(((n1 + 2) * 3) - -n1)".to_string(), "len(\"ab\")".to_string())
        );
        assert_eq!(operands(rhs), ("-(du1 + 1h)".to_string(), "0s".to_string()));
        assert_eq!(
            text(rules, &rules.rules[0].check, Grouping::Needed),
            "(n1 + 2) * 3 - -n1 > len(\"ab\") and -(du1 + 1h) < 0s"
        );
    }
}
