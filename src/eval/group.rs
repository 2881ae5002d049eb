//! Group rules (§9): a record's part in its groups as it is read, and each
//! group's outcome once the last record is in.
//!
//! Only per-group state is kept (the first 100 record numbers, the first
//! record's key and message fields, one running state per aggregate), so
//! memory grows with the number of groups, never with the records. Parts
//! of the input checked apart are merged in input order
//! ([`GroupTable::merge_after`]), which gives the same groups, in the same
//! order, with the same values as one pass.

use indexmap::IndexMap;

use super::walk::Evaluator;
use super::{EvalError, Outcome, Reason};
use crate::compile::{CompiledRule, GroupPlan, Node, Slot};
use crate::record::Record;
use crate::semantics::aggregate::{AggregateFn, AggregateState, GroupKey, GroupKeyRef, Settled};
use crate::semantics::cell::Cell;
use crate::semantics::logic::Kleene;
use crate::semantics::value::Value;

/// How many record numbers a group keeps for its output (§9: the first
/// 100).
pub(crate) const RECORDS_KEPT: usize = 100;

/// One group of one group rule, so far.
#[derive(Clone, Debug)]
pub(crate) struct GroupState {
    /// The group's first record's number.
    pub first: u64,
    /// The first [`RECORDS_KEPT`] record numbers, in input order.
    pub records: Vec<u64>,
    pub total: u64,
    /// The first record's key.
    pub first_key: Option<Value>,
    /// The first record's values of the fields the message names.
    pub first_fields: Box<[Cell<'static>]>,
    pub aggregates: Box<[AggregateState]>,
    /// The first record's values of the `--by` fields, which the checker
    /// sets (it knows the fields): a violation of the group counts under
    /// them.
    pub first_by: Vec<String>,
}

/// The groups of one group rule, in order of their first record.
#[derive(Clone, Debug, Default)]
pub(crate) struct GroupTable {
    /// By the groups' `per` values.
    pub groups: IndexMap<GroupKey, GroupState>,
}

/// What a record made of a group rule.
#[derive(Debug)]
pub(crate) enum Entered {
    /// `when` was false or unknown: in no group, and nothing to count.
    NotApplicable,
    /// In a group.
    Grouped,
    /// `when` held but a `per` value was unknown or a data error: in no
    /// group, counted in `ungrouped`.
    Ungrouped,
    /// Evaluating `when` failed: the record's usual error entry, no group.
    WhenFault(EvalError),
    /// Evaluating a `per` expression failed: the record's usual error
    /// entry, and counted in `ungrouped`.
    KeyFault(EvalError),
}

fn reads_an_error(record: &Record<'_>, slots: &[Slot]) -> bool {
    slots.iter().any(|s| matches!(record.cell(*s), Cell::Error(_)))
}

/// Where a record stands with a group rule, before any group is touched.
#[derive(Debug)]
pub(crate) enum Placed<'a> {
    /// The group's `per` values, borrowing the record's strings: a group's
    /// values are copied only when the group is made.
    Keys(Vec<Cell<'a>>),
    /// In no group (see [`Entered`]).
    Not(Entered),
}

/// The `per` values of `record` for group rule `rule`, if it enters a
/// group.
pub(crate) fn place<'a>(rule: &CompiledRule, plan: &GroupPlan, record: &Record<'a>) -> Placed<'a> {
    let evaluator = Evaluator::new(record);
    if let Some(when) = &rule.when {
        match evaluator.truth(when) {
            Ok(Kleene::True) => {}
            Ok(_) => return Placed::Not(Entered::NotApplicable),
            Err(e) => return Placed::Not(Entered::WhenFault(*e)),
        }
    }
    let mut keys = Vec::with_capacity(plan.per.len());
    for key in &plan.per {
        if reads_an_error(record, &key.reads) {
            return Placed::Not(Entered::Ungrouped);
        }
        match evaluator.value(&key.node) {
            Ok(cell) if cell.is_operand() => keys.push(cell.into_owned()),
            Ok(_) => return Placed::Not(Entered::Ungrouped),
            Err(e) => return Placed::Not(Entered::KeyFault(*e)),
        }
    }
    Placed::Keys(keys)
}

impl GroupTable {
    /// Record `number` read into `record`, for group rule `rule`:
    /// `violated(R)` tells whether record rule R reported it.
    pub(crate) fn enter(
        &mut self,
        rule: &CompiledRule,
        plan: &GroupPlan,
        record: &Record<'_>,
        number: u64,
        key_slot: Option<Slot>,
        violated: impl Fn(u32) -> bool,
    ) -> Entered {
        let keys = match place(rule, plan, record) {
            Placed::Keys(keys) => keys,
            Placed::Not(entered) => return entered,
        };
        let evaluator = Evaluator::new(record);
        let at = match self.groups.get_index_of(&GroupKeyRef(&keys)) {
            Some(at) => at,
            None => {
                let key = GroupKey(keys.into_iter().map(Cell::into_static).collect());
                let state = new_state(plan, record, number, key_slot);
                self.groups.insert_full(key, state).0
            }
        };
        let Some((_, state)) = self.groups.get_index_mut(at) else {
            return Entered::Grouped;
        };
        if state.records.len() < RECORDS_KEPT {
            state.records.push(number);
        }
        state.total += 1;
        for (aggregate, running) in plan.aggregates.iter().zip(state.aggregates.iter_mut()) {
            match (&aggregate.arg, aggregate.rule) {
                (None, Some(rule)) => {
                    if violated(rule) {
                        running.count_one();
                    }
                }
                (None, None) => running.count_one(),
                (Some((_, reads)), _) if reads_an_error(record, reads) => running.add_data_error(),
                (Some((node, _)), _) if aggregate.function == AggregateFn::Count => {
                    match evaluator.truth(node) {
                        Ok(Kleene::True) => running.count_one(),
                        Ok(_) => {}
                        Err(e) => running.add_fault(*e),
                    }
                }
                (Some((node, _)), _) => match evaluator.value(node) {
                    Ok(cell) if cell.is_operand() => running.add_value(&cell),
                    Ok(_) => {
                        let mut missing = Vec::new();
                        evaluator.missing_fields(node, &mut missing);
                        running.add_unknown(&missing);
                    }
                    Err(e) => running.add_fault(*e),
                },
            }
        }
        Entered::Grouped
    }

    /// Adds the groups of the records that come after this table's, whose
    /// numbers start after `base`.
    pub(crate) fn merge_after(&mut self, later: GroupTable, base: u64) {
        for (id, mut state) in later.groups {
            state.first += base;
            state.records.iter_mut().for_each(|n| *n += base);
            match self.groups.get_mut(&id) {
                Some(kept) => {
                    let room = RECORDS_KEPT.saturating_sub(kept.records.len());
                    kept.records.extend(state.records.into_iter().take(room));
                    kept.total += state.total;
                    for (running, more) in kept.aggregates.iter_mut().zip(&state.aggregates) {
                        running.merge(more);
                    }
                }
                None => {
                    self.groups.insert(id, state);
                }
            }
        }
    }
}

/// A group made by record `number`, before the record is added to it.
fn new_state(plan: &GroupPlan, record: &Record<'_>, number: u64, key_slot: Option<Slot>) -> GroupState {
    GroupState {
        first: number,
        records: Vec::new(),
        total: 0,
        first_key: key_slot.and_then(|k| record.cell(k).to_value()),
        first_fields: plan
            .first_record_fields
            .iter()
            .map(|s| match record.cell(*s) {
                Cell::Error(_) => Cell::Missing,
                cell => cell.clone().into_static(),
            })
            .collect(),
        aggregates: plan
            .aggregates
            .iter()
            .map(|a| AggregateState::new(a.function, a.arg.as_ref().map(|_| a.ty)))
            .collect(),
        first_by: Vec::new(),
    }
}

/// Each `per` expression's text with the group's value, as the output
/// names them.
pub(crate) fn per_values(plan: &GroupPlan, key: &GroupKey) -> IndexMap<String, Value> {
    plan.per
        .iter()
        .zip(key.0.iter())
        .filter_map(|(per, cell)| Some((per.text.clone(), cell.to_value()?)))
        .collect()
}

/// A group's outcome, with what its output needs.
#[derive(Debug)]
pub(crate) struct Judgement {
    pub outcome: Outcome,
    /// Each aggregate's value where the check reached it (by index in the
    /// plan's aggregates).
    pub values: Vec<Option<Value>>,
    /// The group as a record: `per` values, aggregates, first-record
    /// fields (for the message).
    pub record: Record<'static>,
}

/// The outcome of `rule` for one group.
pub(crate) fn judge(rule: &CompiledRule, plan: &GroupPlan, key: &GroupKey, state: &GroupState) -> Judgement {
    let settled: Vec<Settled> = state.aggregates.iter().map(AggregateState::settle).collect();
    let mut cells: Vec<Cell<'static>> = Vec::with_capacity(plan.width());
    cells.extend(key.0.iter().cloned());
    cells.extend(settled.iter().map(|s| match s {
        Settled::Value(cell) => cell.clone(),
        Settled::Unknown(_) => Cell::Missing,
        Settled::DataError | Settled::Fault(_) => Cell::Error(String::new()),
    }));
    cells.extend(state.first_fields.iter().cloned());
    let record = Record {
        program: Default::default(),
        cells,
    };
    let keys = plan.per.len();
    let mut reached = Vec::new();
    reached_slots(&rule.check, &record, &mut reached);
    let reached_aggregate = |i: usize| reached.contains(&(keys + i));
    let values = settled
        .iter()
        .enumerate()
        .map(|(i, s)| match s {
            Settled::Value(cell) if reached_aggregate(i) => cell.to_value(),
            _ => None,
        })
        .collect();
    let fault = settled.iter().enumerate().find_map(|(i, s)| match s {
        Settled::Fault(e) if reached_aggregate(i) => Some(e.clone()),
        _ => None,
    });
    let data_error = settled
        .iter()
        .enumerate()
        .any(|(i, s)| matches!(s, Settled::DataError) && reached_aggregate(i));
    let outcome = if let Some(e) = fault {
        Outcome::Error(Some(e))
    } else if data_error {
        Outcome::Error(None)
    } else {
        let evaluator = Evaluator::new(&record);
        match evaluator.truth(&rule.check) {
            Ok(Kleene::True) => Outcome::Pass,
            Ok(Kleene::False) => Outcome::Violation {
                reason: Reason::Failed,
                missing: Vec::new(),
            },
            Ok(Kleene::Unknown) => {
                let mut missing = Vec::new();
                let mut slots = Vec::new();
                evaluator.missing_fields(&rule.check, &mut slots);
                for slot in slots {
                    if let Some(Settled::Unknown(fields)) =
                        slot.checked_sub(keys).and_then(|i| settled.get(i))
                    {
                        for field in fields {
                            if !missing.contains(field) {
                                missing.push(*field);
                            }
                        }
                    }
                }
                Outcome::Violation {
                    reason: Reason::Missing,
                    missing,
                }
            }
            Err(e) => Outcome::Error(Some(*e)),
        }
    };
    Judgement {
        outcome,
        values,
        record,
    }
}

/// The slots of the group's record that the check reads as the evaluator
/// walks it: `and` and `or` read their right side only where the left
/// does not settle them (§6), so an aggregate there may not be reached.
fn reached_slots(node: &Node, record: &Record<'_>, out: &mut Vec<Slot>) {
    match node {
        Node::And(l, r) | Node::Or(l, r) => {
            reached_slots(l, record, out);
            let settles = match Evaluator::new(record).truth(l) {
                Ok(truth) if matches!(node, Node::And(..)) => truth.settles_and(),
                Ok(truth) => truth.settles_or(),
                Err(_) => true,
            };
            if !settles {
                reached_slots(r, record, out);
            }
        }
        Node::Not(x) | Node::Neg(x) => reached_slots(x, record, out),
        Node::Field(slot)
        | Node::CmpConst { slot, .. }
        | Node::InStrings { slot, .. }
        | Node::Required(slot)
        | Node::Present(slot)
        | Node::Missing(slot) => out.push(*slot),
        Node::Compare { lhs, rhs, .. } | Node::Arith { lhs, rhs, .. } => {
            reached_slots(lhs, record, out);
            reached_slots(rhs, record, out);
        }
        Node::InList { element, .. } | Node::InRange { element, .. } => reached_slots(element, record, out),
        Node::InField { element, list, .. } => {
            reached_slots(element, record, out);
            out.push(*list);
        }
        Node::Call(_, args) => args.iter().for_each(|a| reached_slots(a, record, out)),
        Node::Const(_) => {}
    }
}
