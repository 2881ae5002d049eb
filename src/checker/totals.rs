//! What a checker counts as it goes: findings by rule, errors, rules not
//! checked, the watched fields seen, and the findings by value of each
//! `--by` field.

use indexmap::IndexMap;

use crate::compile::Program;
use crate::eval::group::GroupTable;

/// For one `--by` field: each value met, in order of first appearance,
/// with its violations by rule index, then its number of records.
pub(crate) type ByTable = IndexMap<String, Vec<u64>>;

/// The text a `--by` table counts a record under when it holds no value:
/// the field missing or in error, or the record not an object.
pub(crate) const NO_VALUE: &str = "null";

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
    /// One table for each `--by` field, in the order asked for.
    pub(super) by: Vec<ByTable>,
}

impl Totals {
    /// Nothing counted yet, with an empty table for each of `by_fields`
    /// `--by` fields.
    pub(super) fn new(program: &Program, by_fields: usize) -> Totals {
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
            by: vec![ByTable::new(); by_fields],
        }
    }

    /// The row of `value` in `--by` table `field`: added after the values
    /// met so far (with no violations) when it is new. A row holds the
    /// violations of each of the `rules` rules, then its records.
    pub(super) fn by_row(&mut self, field: usize, value: &str, rules: usize) -> usize {
        let table = &mut self.by[field];
        match table.get_index_of(value) {
            Some(row) => row,
            None => table.insert_full(value.to_string(), vec![0; rules + 1]).0,
        }
    }

    /// Counts one more record under row `row` of `--by` table `field`.
    pub(super) fn add_by_record(&mut self, field: usize, row: usize) {
        if let Some(records) = self.by[field]
            .get_index_mut(row)
            .and_then(|(_, counts)| counts.last_mut())
        {
            *records += 1;
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
        // The other's values come after this one's: adding the counts of
        // the parts of an input in input order keeps the order in which
        // the values first appear, however the parts were checked.
        for (table, later) in self.by.iter_mut().zip(other.by) {
            for (value, counts) in later {
                let row = table.entry(value).or_insert_with(|| vec![0; counts.len()]);
                for (n, m) in row.iter_mut().zip(&counts) {
                    *n += m;
                }
            }
        }
    }
}
