//! An expression as text in canonical spacing: how `fmt` writes it, and
//! how a group rule's `per` expressions and aggregates are named and
//! matched (§9: "compared as `fmt` writes them").

use super::ast::{Expr, ExprKind, InSet};

/// The right-hand side of `in`, as written.
pub(crate) fn in_set(set: &InSet) -> String {
    match set {
        InSet::List { items, .. } => {
            let items: Vec<&str> = items.iter().map(|l| l.text.as_str()).collect();
            format!("[{}]", items.join(", "))
        }
        InSet::Range { low, high } => format!("{}..{}", low.text, high.text),
        InSet::Field(p) => p.dotted(),
    }
}

/// An expression in canonical spacing.
pub(crate) fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Literal(l) => l.text.clone(),
        ExprKind::Field(p) => p.dotted(),
        ExprKind::Call { name, args } => {
            let args: Vec<String> = args.iter().map(expr).collect();
            format!("{}({})", name.name, args.join(", "))
        }
        ExprKind::Neg(x) => {
            // `-` right before a digit starts a negative number: `-2022-01-01`
            // would read back as `-2022 - 01 - 01`, and `-07:30` not at all.
            let operand = expr(x);
            let space = if operand.starts_with(|c: char| c.is_ascii_digit()) {
                " "
            } else {
                ""
            };
            format!("-{space}{operand}")
        }
        ExprKind::Not(x) => format!("not {}", expr(x)),
        ExprKind::Binary { op, lhs, rhs } => format!("{} {} {}", expr(lhs), op.as_str(), expr(rhs)),
        ExprKind::In {
            negated,
            element,
            set,
        } => {
            let op = if *negated { "not in" } else { "in" };
            format!("{} {op} {}", expr(element), in_set(set))
        }
        ExprKind::Predicate { predicate, operand } => format!("{} {}", expr(operand), predicate.as_str()),
        ExprKind::Paren(x) => format!("({})", expr(x)),
    }
}
