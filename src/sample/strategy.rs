//! proptest strategies over the sampler (the `proptest` feature).
//!
//! A strategy generates a seed and a *complexity*, and draws the sampler's
//! choices from the seed, cut down to the complexity's bits. proptest
//! shrinks the complexity toward 0, where every choice is 0, the simplest:
//! a failing record shrinks toward plain values (0, 08:00, short strings)
//! in a handful of steps. Each strategy solves once when it is built, so
//! that a request no record can meet is an error then, not a panic in a
//! test.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde_json::Value as Json;

use super::{Choices, Request, SampleError, SampleOptions, Sampler, Seeded};
use crate::Program;

/// The highest complexity: every bit of every choice.
const FULL: u32 = 16;

/// Choices from a seed, keeping the low `4 * complexity` bits of each.
struct Scaled {
    rng: Seeded,
    complexity: u32,
}

impl Choices for Scaled {
    fn next_u64(&mut self) -> u64 {
        match self.complexity.min(FULL) {
            0 => 0,
            c => self.rng.next_u64() >> (64 - 4 * c),
        }
    }
}

/// Mostly full complexity; shrinking tries lower ones.
fn choices() -> impl Strategy<Value = (u32, u64)> {
    (prop_oneof![1 => 0..FULL, 4 => Just(FULL)], any::<u64>())
}

fn source((complexity, seed): (u32, u64)) -> Scaled {
    Scaled {
        rng: Seeded::new(seed),
        complexity,
    }
}

pub(super) fn for_request(
    sampler: Arc<Sampler>,
    request: Request,
) -> Result<BoxedStrategy<Json>, SampleError> {
    Ok(match request {
        Request::Records => choices()
            .prop_map(move |c| sampler.record(&mut source(c)))
            .boxed(),
        Request::Compliant => {
            let witness = sampler.compliant(&mut Seeded::new(0))?;
            choices()
                .prop_map(move |c| {
                    sampler
                        .compliant(&mut source(c))
                        .unwrap_or_else(|_| witness.clone())
                })
                .boxed()
        }
        Request::Violating(rule) => {
            let witness = sampler.violating(&rule, &mut Seeded::new(0))?;
            choices()
                .prop_map(move |c| {
                    sampler
                        .violating(&rule, &mut source(c))
                        .unwrap_or_else(|_| witness.clone())
                })
                .boxed()
        }
        Request::Boundaries => {
            // Only the boundaries some record can hold.
            let usable: Vec<usize> = (0..sampler.boundaries().len())
                .filter(|i| {
                    sampler
                        .boundary(&sampler.boundaries()[*i], &mut Seeded::new(0))
                        .is_ok()
                })
                .collect();
            if usable.is_empty() {
                return Err(SampleError::NoBoundaries);
            }
            let witnesses: Vec<Json> = usable
                .iter()
                .filter_map(|i| {
                    sampler
                        .boundary(&sampler.boundaries()[*i], &mut Seeded::new(0))
                        .ok()
                })
                .collect();
            (0..usable.len(), choices())
                .prop_map(move |(k, c)| {
                    let b = &sampler.boundaries()[usable[k]];
                    sampler
                        .boundary(b, &mut source(c))
                        .unwrap_or_else(|_| witnesses[k].clone())
                })
                .boxed()
        }
    })
}

/// Records of `program`'s schema (fields missing now and then).
pub fn records(program: &Program) -> BoxedStrategy<Json> {
    records_with(program, SampleOptions::default())
}

/// Records of `program`'s schema, with options.
pub fn records_with(program: &Program, options: SampleOptions) -> BoxedStrategy<Json> {
    let sampler = Arc::new(Sampler::new(program).with_options(options));
    choices()
        .prop_map(move |c| sampler.record(&mut source(c)))
        .boxed()
}

/// Records for which every rule of `program` passes or is not applicable.
pub fn compliant_records(program: &Program) -> Result<BoxedStrategy<Json>, SampleError> {
    for_request(Arc::new(Sampler::new(program)), Request::Compliant)
}

/// Records that violate `rule` (reason `failed`) and comply with every
/// other rule.
pub fn violating_records(program: &Program, rule: &str) -> Result<BoxedStrategy<Json>, SampleError> {
    for_request(
        Arc::new(Sampler::new(program)),
        Request::Violating(rule.to_string()),
    )
}

/// Groups of records (§9) that violate group rule `rule` (reason
/// `failed`): each value is the records of one group, which the checker
/// judges as violating it.
pub fn violating_groups(program: &Program, rule: &str) -> Result<BoxedStrategy<Vec<Json>>, SampleError> {
    let sampler = Arc::new(Sampler::new(program));
    let rule = rule.to_string();
    if !program
        .ruleset()
        .rules
        .iter()
        .any(|r| r.id == rule && r.group.is_some())
    {
        program
            .rule_ids()
            .find(|r| *r == rule)
            .ok_or_else(|| SampleError::UnknownRule(rule.clone()))?;
        return Err(SampleError::NotAGroupRule(rule));
    }
    let witness = sampler.sample(&Request::Violating(rule.clone()), 1, 0)?;
    Ok(any::<u64>()
        .prop_map(move |seed| {
            sampler
                .sample(&Request::Violating(rule.clone()), 1, seed)
                .unwrap_or_else(|_| witness.clone())
        })
        .boxed())
}

/// Boundary records: each holds a field at, or next to, a constant that a
/// rule compares it with (see [`Sampler::boundary`]).
pub fn boundary_records(program: &Program) -> Result<BoxedStrategy<Json>, SampleError> {
    for_request(Arc::new(Sampler::new(program)), Request::Boundaries)
}
