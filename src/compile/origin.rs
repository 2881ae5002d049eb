//! Which typed expression each compiled [`Node`] came from: the inverse of
//! [`super::node`], written beside it, for the tools that show the
//! evaluator's walk in the words of the rules (`explain`).
//!
//! The lowering is one to one but for the nodes it folds: `field OP
//! literal` (either way round) becomes one [`Node::CmpConst`], and a
//! string field `in` a list of strings one [`Node::InStrings`]; their field
//! and literal have no node of their own.

use super::{Node, Slot};
use crate::check::{TypedExpr, TypedKind};

/// One operand of a node, with the typed expression it was compiled from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Side<'a> {
    /// An operand with a node of its own.
    Node(&'a TypedExpr, &'a Node),
    /// A field folded into its parent node: the walk reads its slot.
    Cell(&'a TypedExpr, Slot),
    /// A literal folded into its parent node.
    Literal(&'a TypedExpr),
}

impl<'a> Side<'a> {
    pub fn expr(&self) -> &'a TypedExpr {
        match self {
            Side::Node(expr, _) | Side::Cell(expr, _) | Side::Literal(expr) => expr,
        }
    }
}

/// The operands of a node, each with its typed expression.
#[derive(Clone, Debug)]
pub(crate) enum Parts<'a> {
    /// `and`, `or`, and arithmetic: left and right.
    Both(Side<'a>, Side<'a>),
    /// `not`, `-`.
    One(Side<'a>),
    /// A comparison: its sides, in the order written.
    Compared(Side<'a>, Side<'a>),
    /// `in`: the element (the set is literals or a field).
    Member(Side<'a>),
    /// A call: its arguments. (`explain` shows what a call gives, not its
    /// arguments; the tests walk them, as every pair.)
    #[cfg_attr(not(test), allow(dead_code))]
    Args(Vec<Side<'a>>),
    /// A literal, a field or a predicate.
    Leaf,
}

/// The operands of `node`, compiled from `expr`, each with the typed
/// expression it came from. `None` when `node` was not compiled from
/// `expr`.
pub(crate) fn parts<'a>(expr: &'a TypedExpr, node: &'a Node) -> Option<Parts<'a>> {
    let pair = |e: &'a TypedExpr, n: &'a Node| Side::Node(e, n);
    Some(match (&expr.kind, node) {
        (TypedKind::Literal(_), Node::Const(_))
        | (TypedKind::Field(_), Node::Field(_))
        | (TypedKind::Predicate(..), Node::Required(_) | Node::Present(_) | Node::Missing(_)) => Parts::Leaf,
        (TypedKind::Not(x), Node::Not(n)) | (TypedKind::Neg(x), Node::Neg(n)) => Parts::One(pair(x, n)),
        (
            TypedKind::Binary { lhs, rhs, .. },
            Node::And(l, r) | Node::Or(l, r) | Node::Arith { lhs: l, rhs: r, .. },
        ) => Parts::Both(pair(lhs, l), pair(rhs, r)),
        (TypedKind::Binary { lhs, rhs, .. }, Node::Compare { lhs: l, rhs: r, .. }) => {
            Parts::Compared(pair(lhs, l), pair(rhs, r))
        }
        (TypedKind::Binary { lhs, rhs, .. }, Node::CmpConst { slot, .. }) => {
            let side = |e: &'a TypedExpr| match e.kind {
                TypedKind::Field(_) => Side::Cell(e, *slot),
                _ => Side::Literal(e),
            };
            Parts::Compared(side(lhs), side(rhs))
        }
        (TypedKind::In { element, .. }, Node::InStrings { slot, .. }) => {
            Parts::Member(Side::Cell(element, *slot))
        }
        (
            TypedKind::In { element, .. },
            Node::InList { element: e, .. }
            | Node::InRange { element: e, .. }
            | Node::InField { element: e, .. },
        ) => Parts::Member(pair(element, e)),
        (TypedKind::Call(_, args), Node::Call(_, nodes)) if args.len() == nodes.len() => {
            Parts::Args(args.iter().zip(nodes).map(|(a, n)| pair(a, n)).collect())
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{parts, Parts, Side};
    use crate::check::TypedExpr;
    use crate::compile::{node, Node};

    /// Every pair `parts` makes below `expr` and `node` is a typed
    /// expression and the node compile makes of it.
    fn pairs_compile_back(expr: &TypedExpr, n: &Node, seen: &mut usize) {
        *seen += 1;
        assert_eq!(format!("{:?}", node(expr)), format!("{n:?}"), "{expr:?}");
        let sides = match parts(expr, n).unwrap_or_else(|| panic!("no parts: {expr:?} {n:?}")) {
            Parts::Both(l, r) | Parts::Compared(l, r) => vec![l, r],
            Parts::One(x) | Parts::Member(x) => vec![x],
            Parts::Args(args) => args,
            Parts::Leaf => vec![],
        };
        for side in sides {
            match side {
                Side::Node(e, n) => pairs_compile_back(e, n, seen),
                Side::Cell(e, slot) => {
                    assert!(matches!(e.kind, crate::check::TypedKind::Field(id) if id.0 as usize == slot))
                }
                Side::Literal(e) => assert!(matches!(e.kind, crate::check::TypedKind::Literal(_))),
            }
        }
    }

    #[test]
    fn every_node_pairs_with_the_expression_it_was_compiled_from() {
        let source = "field n: int\nfield d: decimal\nfield s: string\nfield t: time\nfield day: date\nfield tags: list[string]\nfield counts: list[int]\n\
            rule a: n > 3 and 07:30 >= t or not (s in [\"a\", \"b\"])\n\
            rule b: n + 2 * n > -n and d in [1, 2.5] and n in 0..10 and n in counts and s not in tags\n\
            rule c: contains(s, \"x\") and len(s) + 1 == n and matches(s, \"^a\") and month(day) in [1, 2]\n\
            rule e { when x required and y missing and z present\n check (n > 1) == flag and 2.5 <= d and \"a\" in tags and d == n }";
        let program = crate::Program::from_source("t.rules", source).expect("compiles");
        let mut seen = 0;
        for (rule, compiled) in program.ruleset().rules.iter().zip(&program.rules) {
            if let (Some(expr), Some(n)) = (&rule.when, &compiled.when) {
                pairs_compile_back(expr, n, &mut seen);
            }
            pairs_compile_back(&rule.check, &compiled.check, &mut seen);
        }
        assert!(seen > 40, "{seen}");
    }
}
