//! How a rule is run per record. Most rules are one test of one field
//! (`x required`, `arrival <= 07:30`), perhaps under a `when` of the same
//! kind; such a test is kept as a [`Step`] that the evaluator decides in
//! place, without entering the recursive walk of [`Node`]s, whose entry and
//! exit cost more than the test itself.

use jiff::civil::Date;
use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::{guard, Node, Slot};
use crate::semantics::cell::Cell;
use crate::semantics::compare::Accept;
use crate::semantics::ordinal;

/// One condition of a rule, as run: most are one test of one field against
/// constants, kept flat so that deciding one takes a single dispatch (the
/// constant's type picks the variant: the evaluator only checks that the
/// cell holds that type); anything else goes to the general walk.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    /// No condition: a rule without `when`, or one whose `when` was all
    /// guard.
    Always,
    /// Anything that is not one test of one field.
    Walk(Box<Node>),
    Required(Slot),
    Present(Slot),
    Missing(Slot),
    Int {
        slot: Slot,
        accept: Accept,
        constant: i64,
    },
    Decimal {
        slot: Slot,
        accept: Accept,
        constant: Decimal,
    },
    String {
        slot: Slot,
        accept: Accept,
        constant: Box<str>,
    },
    /// The constant as [`ordinal::time`] gives it.
    Time {
        slot: Slot,
        accept: Accept,
        constant: i64,
    },
    Date {
        slot: Slot,
        accept: Accept,
        constant: Date,
    },
    Duration {
        slot: Slot,
        accept: Accept,
        constant: SignedDuration,
    },
    Bool {
        slot: Slot,
        accept: Accept,
        constant: bool,
    },
    InStrings {
        negated: bool,
        slot: Slot,
        items: Box<[Box<str>]>,
    },
}

impl Step {
    fn of(node: &Node) -> Step {
        match node {
            Node::Required(slot) => Step::Required(*slot),
            Node::Present(slot) => Step::Present(*slot),
            Node::Missing(slot) => Step::Missing(*slot),
            Node::InStrings { negated, slot, items } => Step::InStrings {
                negated: *negated,
                slot: *slot,
                items: items.clone(),
            },
            Node::CmpConst { op, slot, constant } => {
                let (slot, accept) = (*slot, Accept::of(*op));
                match constant {
                    Cell::Int(c) => Step::Int {
                        slot,
                        accept,
                        constant: *c,
                    },
                    Cell::Decimal(c) => Step::Decimal {
                        slot,
                        accept,
                        constant: *c,
                    },
                    Cell::String(c) => Step::String {
                        slot,
                        accept,
                        constant: c.as_ref().into(),
                    },
                    Cell::Time(c) => Step::Time {
                        slot,
                        accept,
                        constant: ordinal::time(*c),
                    },
                    Cell::Date(c) => Step::Date {
                        slot,
                        accept,
                        constant: *c,
                    },
                    Cell::Duration(c) => Step::Duration {
                        slot,
                        accept,
                        constant: *c,
                    },
                    Cell::Bool(c) => Step::Bool {
                        slot,
                        accept,
                        constant: *c,
                    },
                    Cell::Missing | Cell::List(_) | Cell::Object | Cell::Error(_) => {
                        Step::Walk(Box::new(node.clone()))
                    }
                }
            }
            _ => Step::Walk(Box::new(node.clone())),
        }
    }
}

/// A rule's `when` and `check` as run per record.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub when: Step,
    /// `when` for a record that the guard index picked by the value of the
    /// rule's guard field: the guard is then true, and `true and x` is `x`,
    /// so only what follows it is left to decide.
    pub when_met: Step,
    pub check: Step,
}

impl Plan {
    pub fn build(when: Option<&Node>, check: &Node) -> Plan {
        let when_step = when.map_or(Step::Always, Step::of);
        let when_met = match when {
            Some(node) if guard(node).is_some() => after_guard(node).as_ref().map_or(Step::Always, Step::of),
            _ => when_step.clone(),
        };
        Plan {
            when: when_step,
            when_met,
            check: Step::of(check),
        }
    }
}

/// `when` without its guard (the leftmost test of its chain of `and`s, see
/// [`guard`]); `None` when nothing else is left.
fn after_guard(when: &Node) -> Option<Node> {
    match when {
        Node::And(left, right) => Some(match after_guard(left) {
            Some(rest) => Node::And(Box::new(rest), right.clone()),
            None => (**right).clone(),
        }),
        _ => None,
    }
}
