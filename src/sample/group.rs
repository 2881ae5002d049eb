//! A group of records that violates a group rule (§9): `sample --violate
//! R` where R has `per`.
//!
//! A group's outcome depends on how many records it has and on what each
//! holds, which the record solver cannot reason about; so groups are
//! searched for. Each try makes a few records of one kind (violating a
//! record rule the group rule counts, violating another, complying, or
//! anything), gives them the first one's values of the fields the `per`
//! expressions read, so that they are one group, and lets the checker
//! judge them: the group is the checker's own verdict, never a guess.

use serde_json::Value as Json;

use super::{mix, SampleError, Sampler, Seeded, Want};
use crate::eval::{Outcome, Reason};
use crate::Checker;

/// Group sizes tried, smallest first: the first group found is small.
const SIZES: [usize; 9] = [1, 2, 3, 4, 5, 6, 8, 12, 20];

/// How a try makes each record of its group.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Make {
    /// Violating a record rule, every other passing or not applicable.
    ViolatingAlone(usize),
    /// Violating a record rule, the others decided (never `missing`)
    /// either way: a rule may be violated only beside others (`full_day`
    /// beside `on_time` and `no_early_leave`).
    Violating(usize),
    Compliant,
    Any,
}

impl Sampler {
    /// The records of one group that violates group rule `r` with reason
    /// `failed`, from `seed`.
    pub(super) fn violating_group(&self, r: usize, seed: u64) -> Result<Vec<Json>, SampleError> {
        let program = &self.program;
        let rules = program.ruleset();
        let id = self.rule_id(r);
        let plan = program.rules[r]
            .group
            .as_ref()
            .ok_or_else(|| SampleError::UnknownRule(id.clone()))?;
        let mut per_paths: Vec<&[String]> = Vec::new();
        for slot in plan.per.iter().flat_map(|k| &k.reads) {
            let path = rules.fields[*slot].path.as_slice();
            if !per_paths.contains(&path) {
                per_paths.push(path);
            }
        }
        // The rules the check counts first, then every other record rule.
        let mut makes: Vec<Make> = plan
            .aggregates
            .iter()
            .filter_map(|a| a.rule)
            .map(|i| Make::ViolatingAlone(i as usize))
            .collect();
        let record_rules = (0..program.rules.len()).filter(|i| program.rules[*i].group.is_none());
        for i in record_rules.clone() {
            if !makes.contains(&Make::ViolatingAlone(i)) {
                makes.push(Make::ViolatingAlone(i));
            }
        }
        makes.push(Make::Compliant);
        // Records that comply with the other rules first, so that the
        // group's records show only what makes it fail where they can.
        let mut loose: Vec<Make> = record_rules.map(Make::Violating).collect();
        loose.push(Make::Any);
        // Each kind's records are made once, as a group grows: a group of
        // 5 is the group of 4 and one more record.
        for makes in [makes, loose] {
            let mut pools: Vec<Option<Vec<Json>>> = vec![Some(Vec::new()); makes.len()];
            for size in SIZES {
                for (k, make) in makes.iter().enumerate() {
                    let Some(pool) = pools[k].as_mut() else { continue };
                    while pool.len() < size {
                        let number = pool.len() as u64 + 1;
                        match self.record_of(*make, mix(seed, (k as u64) << 32 | number), number) {
                            Some(record) => pool.push(record),
                            None => break,
                        }
                    }
                    if pool.len() < size {
                        pools[k] = None;
                        continue;
                    }
                    let mut records = pool.clone();
                    share_paths(&mut records, &per_paths);
                    if violates(program, r, &records) {
                        return Ok(records);
                    }
                }
            }
        }
        Err(SampleError::GaveUp {
            request: format!("make a group that violates `{id}`"),
            rules: vec![id],
            filtered: Vec::new(),
        })
    }

    /// Record `number` of a group, made as `make` says.
    fn record_of(&self, make: Make, seed: u64, number: u64) -> Option<Json> {
        let mut src = Seeded::new(seed);
        let number = Some(number);
        match make {
            Make::ViolatingAlone(rule) => self
                .violating_numbered(&self.rule_id(rule), &mut src, number)
                .ok(),
            Make::Violating(rule) => {
                let mut wants = vec![Want::Decided; self.analysis.rules.len()];
                wants[rule] = Want::Violated;
                self.attempt(&wants, &[], &mut src, number).ok()
            }
            Make::Compliant => self.compliant_numbered(&mut src, number).ok(),
            Make::Any => Some(self.record_numbered(&mut src, number)),
        }
    }
}

/// Gives every record the first one's value at each of `paths` (or none,
/// where the first has none).
fn share_paths(records: &mut [Json], paths: &[&[String]]) {
    let Some((first, rest)) = records.split_first_mut() else {
        return;
    };
    for path in paths {
        let value = get(first, path).cloned();
        for record in rest.iter_mut() {
            set(record, path, value.clone());
        }
    }
}

fn get<'j>(json: &'j Json, path: &[String]) -> Option<&'j Json> {
    path.iter().try_fold(json, |at, key| at.get(key))
}

fn set(json: &mut Json, path: &[String], value: Option<Json>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = json;
    for key in parents {
        let Some(object) = at.as_object_mut() else { return };
        at = object
            .entry(key.clone())
            .or_insert_with(|| Json::Object(serde_json::Map::new()));
    }
    if let Some(object) = at.as_object_mut() {
        match value {
            Some(value) => {
                object.insert(last.clone(), value);
            }
            None => {
                object.remove(last);
            }
        }
    }
}

/// Whether `records`, checked, make one group of rule `r` of them all,
/// which the rule reports as failed.
fn violates(program: &crate::Program, r: usize, records: &[Json]) -> bool {
    let mut checker = Checker::new(program);
    for record in records {
        checker.check_json(record);
    }
    checker.judge_groups().iter().any(|group| {
        group.rule == r
            && group.state.total == records.len() as u64
            && matches!(
                group.judged.outcome,
                Outcome::Violation {
                    reason: Reason::Failed,
                    ..
                }
            )
    })
}
