//! What a checker counts as it goes: findings by rule, errors, rules not
//! checked, and the watched fields seen.

use crate::compile::Program;
use crate::eval::group::GroupTable;

/// The running totals of a checker, by rule index.
#[derive(Clone, Debug, Default)]
pub(crate) struct Totals {
    pub(super) violations: Vec<u64>,
    pub(super) errors: u64,
    /// Records each rule was not checked on.
    pub(super) not_checked: Vec<u64>,
    /// Records in no group of each group rule (§9: a `per` value unknown
    /// or an error); zero for record rules.
    pub(super) ungrouped: Vec<u64>,
    /// By slot: whether a record of the current file held a value there
    /// (only the watched slots, see [`super::Checker::observe`]).
    pub(super) seen: Vec<bool>,
    /// Every watched slot has been seen: nothing more to look at.
    pub(super) all_seen: bool,
    /// By rule index, the groups of each group rule (empty for a program
    /// without any).
    pub(super) groups: Vec<GroupTable>,
}

impl Totals {
    pub(super) fn new(program: &Program) -> Totals {
        Totals {
            violations: vec![0; program.rules.len()],
            errors: 0,
            not_checked: vec![0; program.rules.len()],
            ungrouped: vec![0; program.rules.len()],
            seen: vec![false; program.schema.slots.len()],
            all_seen: true,
            groups: if program.has_group_rules() {
                vec![GroupTable::default(); program.rules.len()]
            } else {
                Vec::new()
            },
        }
    }

    /// Adds the totals of the records that come after these, numbered on
    /// from `base`.
    pub(super) fn add(&mut self, other: Totals, base: u64) {
        for (table, later) in self.groups.iter_mut().zip(other.groups) {
            table.merge_after(later, base);
        }
        for (n, m) in self.violations.iter_mut().zip(&other.violations) {
            *n += m;
        }
        self.errors += other.errors;
        for (n, m) in self.not_checked.iter_mut().zip(&other.not_checked) {
            *n += m;
        }
        for (n, m) in self.ungrouped.iter_mut().zip(&other.ungrouped) {
            *n += m;
        }
        for (seen, by_other) in self.seen.iter_mut().zip(&other.seen) {
            *seen |= by_other;
        }
        self.all_seen |= other.all_seen;
    }
}
