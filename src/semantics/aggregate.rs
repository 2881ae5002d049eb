//! The aggregates of group rules (§9): which exist, what they take and
//! give, and the running state of one aggregate over a group's records.
//!
//! A state can be merged with the state of later records, so that parts
//! of the input checked apart (`--jobs`) and merged in input order give
//! the same value as one pass: sums are exact (an int sum in 128 bits, so
//! that an overflow is judged on the group's total, not on a part's), a
//! count is a count, and min and max keep the first of equal values.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::arith::EvalError;
use super::cell::Cell;
use super::compare;
use super::value::Type;

/// An aggregate function of a group rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggregateFn {
    /// `count()`: the group's records; `count(E)`: those where E is true.
    Count,
    /// `violations(R)`: the group's records that record rule R reported.
    Violations,
    /// `sum(E)`.
    Sum,
    /// `avg(E)`.
    Avg,
    /// `min(E)`.
    Min,
    /// `max(E)`.
    Max,
}

const ALL: [AggregateFn; 6] = [
    AggregateFn::Count,
    AggregateFn::Violations,
    AggregateFn::Sum,
    AggregateFn::Avg,
    AggregateFn::Min,
    AggregateFn::Max,
];

/// The aggregate called `name`, if it is one.
pub(crate) fn by_name(name: &str) -> Option<AggregateFn> {
    ALL.into_iter().find(|f| f.name() == name)
}

/// The names of the aggregates, for did-you-mean.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    ALL.into_iter().map(AggregateFn::name)
}

impl AggregateFn {
    /// As a rule writes it.
    pub fn name(self) -> &'static str {
        match self {
            AggregateFn::Count => "count",
            AggregateFn::Violations => "violations",
            AggregateFn::Sum => "sum",
            AggregateFn::Avg => "avg",
            AggregateFn::Min => "min",
            AggregateFn::Max => "max",
        }
    }

    /// The type of the aggregate of values of type `arg` (for `sum`,
    /// `avg`, `min`, `max`); `Err` says, in words, the types it takes.
    pub(crate) fn result_type(self, arg: Type) -> Result<Type, &'static str> {
        let numeric = matches!(arg, Type::INT | Type::DECIMAL | Type::DURATION);
        match self {
            AggregateFn::Count | AggregateFn::Violations => Ok(Type::INT),
            AggregateFn::Sum if numeric => Ok(arg),
            AggregateFn::Avg if arg == Type::INT => Ok(Type::DECIMAL),
            AggregateFn::Avg if numeric => Ok(arg),
            AggregateFn::Sum | AggregateFn::Avg => Err("an int, a decimal or a duration"),
            AggregateFn::Min | AggregateFn::Max
                if numeric || matches!(arg, Type::TIME | Type::DATE | Type::STRING) =>
            {
                Ok(arg)
            }
            AggregateFn::Min | AggregateFn::Max => {
                Err("an int, a decimal, a duration, a time, a date or a string")
            }
        }
    }
}

/// An exact running total.
#[derive(Clone, Debug, PartialEq)]
enum Total {
    Int(i128),
    /// `None` once beyond what a decimal holds.
    Decimal(Option<Decimal>),
    /// In nanoseconds.
    Duration(i128),
}

impl Total {
    fn zero(ty: Type) -> Total {
        match ty {
            Type::DECIMAL => Total::Decimal(Some(Decimal::ZERO)),
            Type::DURATION => Total::Duration(0),
            _ => Total::Int(0),
        }
    }

    fn add_cell(&mut self, cell: &Cell<'_>) {
        match (self, cell) {
            (Total::Int(t), Cell::Int(i)) => *t += i128::from(*i),
            (Total::Decimal(t), Cell::Int(i)) => *t = t.and_then(|t| t.checked_add(Decimal::from(*i))),
            (Total::Decimal(t), Cell::Decimal(d)) => *t = t.and_then(|t| t.checked_add(*d)),
            (Total::Duration(t), Cell::Duration(d)) => *t += d.as_nanos(),
            // The checker lets no other kind through.
            _ => {}
        }
    }

    fn merge(&mut self, other: &Total) {
        match (self, other) {
            (Total::Int(t), Total::Int(o)) | (Total::Duration(t), Total::Duration(o)) => *t += o,
            (Total::Decimal(t), Total::Decimal(o)) => *t = t.zip(*o).and_then(|(t, o)| t.checked_add(o)),
            _ => {}
        }
    }
}

/// What the records gave an aggregate, apart from its values.
#[derive(Clone, Debug, PartialEq)]
enum Accumulated {
    Count(u64),
    Sum(Total),
    Avg(Total, u64),
    Extreme(Option<Cell<'static>>),
}

/// The running state of one aggregate over one group's records. A group
/// table holds one per aggregate per group, so what is rare (unknown
/// values, errors) is kept apart, boxed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AggregateState {
    function: AggregateFn,
    accumulated: Accumulated,
    flaws: Option<Box<Flaws>>,
}

/// What made some record's value useless.
#[derive(Clone, Debug, Default, PartialEq)]
struct Flaws {
    /// Slots of the fields whose absence made a value unknown, in order of
    /// first appearance.
    missing: Vec<usize>,
    /// A record's value read a field that holds a data error.
    data_error: bool,
    /// The first evaluation error of a record's value.
    fault: Option<EvalError>,
}

/// What an aggregate comes to once every record is in.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Settled {
    Value(Cell<'static>),
    /// Unknown: the slots of the missing fields behind it.
    Unknown(Vec<usize>),
    /// A record's value read a field in error (which has its own entry).
    DataError,
    Fault(EvalError),
}

impl AggregateState {
    /// The state before any record, for `function` over values of type
    /// `ty`: the argument's or the aggregate's, which differ only for `avg`
    /// of ints, totalled as decimals either way (ignored by counts).
    pub(crate) fn new(function: AggregateFn, ty: Option<Type>) -> AggregateState {
        let ty = ty.unwrap_or(Type::INT);
        let accumulated = match function {
            AggregateFn::Count | AggregateFn::Violations => Accumulated::Count(0),
            AggregateFn::Sum => Accumulated::Sum(Total::zero(ty)),
            AggregateFn::Avg => {
                Accumulated::Avg(Total::zero(if ty == Type::INT { Type::DECIMAL } else { ty }), 0)
            }
            AggregateFn::Min | AggregateFn::Max => Accumulated::Extreme(None),
        };
        AggregateState {
            function,
            accumulated,
            flaws: None,
        }
    }

    fn flaws(&mut self) -> &mut Flaws {
        self.flaws.get_or_insert_with(Box::default)
    }

    /// One more record counted (`count()`, `count(E)` where E held,
    /// `violations(R)` where R was reported).
    pub(crate) fn count_one(&mut self) {
        if let Accumulated::Count(n) = &mut self.accumulated {
            *n += 1;
        }
    }

    /// One record's value (of a kind the argument's type has).
    pub(crate) fn add_value(&mut self, cell: &Cell<'_>) {
        match &mut self.accumulated {
            Accumulated::Count(_) => {}
            Accumulated::Sum(total) => total.add_cell(cell),
            Accumulated::Avg(total, n) => {
                total.add_cell(cell);
                *n += 1;
            }
            Accumulated::Extreme(kept) => {
                let better = match kept {
                    None => true,
                    Some(kept) => {
                        let order = compare::compare(cell, kept);
                        match self.function {
                            AggregateFn::Min => order == Some(Ordering::Less),
                            _ => order == Some(Ordering::Greater),
                        }
                    }
                };
                if better {
                    *kept = Some(cell.clone().into_static());
                }
            }
        }
    }

    /// A record whose value is unknown, for want of the fields in `slots`.
    pub(crate) fn add_unknown(&mut self, slots: &[usize]) {
        let missing = &mut self.flaws().missing;
        for slot in slots {
            if !missing.contains(slot) {
                missing.push(*slot);
            }
        }
        if slots.is_empty() && missing.is_empty() {
            // Unknown without a field to name (no such expression exists
            // today): still unknown.
            missing.push(usize::MAX);
        }
    }

    /// A record whose value reads a field in error.
    pub(crate) fn add_data_error(&mut self) {
        self.flaws().data_error = true;
    }

    /// A record whose value could not be computed.
    pub(crate) fn add_fault(&mut self, error: EvalError) {
        self.flaws().fault.get_or_insert(error);
    }

    /// Adds the state of later records of the same group.
    pub(crate) fn merge(&mut self, later: &AggregateState) {
        match (&mut self.accumulated, &later.accumulated) {
            (Accumulated::Count(n), Accumulated::Count(m)) => *n += m,
            (Accumulated::Sum(t), Accumulated::Sum(u)) => t.merge(u),
            (Accumulated::Avg(t, n), Accumulated::Avg(u, m)) => {
                t.merge(u);
                *n += m;
            }
            (Accumulated::Extreme(_), Accumulated::Extreme(Some(value))) => self.add_value(value),
            _ => {}
        }
        if let Some(later) = &later.flaws {
            let flaws = self.flaws();
            for slot in &later.missing {
                if !flaws.missing.contains(slot) {
                    flaws.missing.push(*slot);
                }
            }
            flaws.data_error |= later.data_error;
            if flaws.fault.is_none() {
                flaws.fault = later.fault.clone();
            }
        }
    }

    /// The aggregate's value over every record added. An evaluation error
    /// goes before a data error, which goes before unknown: each makes the
    /// value useless, and the error says most.
    pub(crate) fn settle(&self) -> Settled {
        if let Some(flaws) = &self.flaws {
            if let Some(fault) = &flaws.fault {
                return Settled::Fault(fault.clone());
            }
            if flaws.data_error {
                return Settled::DataError;
            }
            if !flaws.missing.is_empty() {
                let named = flaws
                    .missing
                    .iter()
                    .copied()
                    .filter(|s| *s != usize::MAX)
                    .collect();
                return Settled::Unknown(named);
            }
        }
        let overflow = || {
            Settled::Fault(EvalError::Overflow {
                op: self.function.name().into(),
            })
        };
        match &self.accumulated {
            Accumulated::Count(n) => {
                i64::try_from(*n).map_or_else(|_| overflow(), |n| Settled::Value(Cell::Int(n)))
            }
            Accumulated::Sum(total) => total_value(total).map_or_else(overflow, Settled::Value),
            Accumulated::Avg(total, n) => average(total, *n).map_or_else(overflow, Settled::Value),
            // A group has a record, so an extreme with no value had only
            // unknown ones, settled above.
            Accumulated::Extreme(value) => value.clone().map_or(Settled::Unknown(Vec::new()), Settled::Value),
        }
    }
}

fn duration_of_nanos(nanos: i128) -> Option<SignedDuration> {
    // Both parts take the total's sign, as `SignedDuration::new` wants.
    let secs = i64::try_from(nanos / 1_000_000_000).ok()?;
    let sub = i32::try_from(nanos % 1_000_000_000).ok()?;
    Some(SignedDuration::new(secs, sub))
}

fn total_value(total: &Total) -> Option<Cell<'static>> {
    Some(match total {
        Total::Int(t) => Cell::Int(i64::try_from(*t).ok()?),
        Total::Decimal(t) => Cell::Decimal((*t)?),
        Total::Duration(t) => Cell::Duration(duration_of_nanos(*t)?),
    })
}

/// The mean of `n` values totalling `total`: a decimal to 28 significant
/// digits, rounded half to even (rust_decimal's division), or a duration
/// cut toward zero to whole seconds.
fn average(total: &Total, n: u64) -> Option<Cell<'static>> {
    if n == 0 {
        return None;
    }
    Some(match total {
        Total::Int(t) => Cell::Decimal(Decimal::from_i128_with_scale(*t, 0).checked_div(Decimal::from(n))?),
        Total::Decimal(t) => Cell::Decimal((*t)?.checked_div(Decimal::from(n))?.normalize()),
        Total::Duration(t) => {
            let secs = *t / i128::from(n) / 1_000_000_000;
            Cell::Duration(SignedDuration::from_secs(i64::try_from(secs).ok()?))
        }
    })
}

/// A group's `per` values, as a group table keeps them: two groups are
/// one where their values are equal as the language compares them (an
/// int and a decimal of the same number, `1.5` and `1.50`, are one).
#[derive(Clone, Debug)]
pub(crate) struct GroupKey(pub Box<[Cell<'static>]>);

/// A record's `per` values, to look a group up by without copying them.
#[derive(Debug)]
pub(crate) struct GroupKeyRef<'k, 'a>(pub &'k [Cell<'a>]);

fn hash_key<H: Hasher>(cells: &[Cell<'_>], state: &mut H) {
    for cell in cells {
        match cell {
            // rust_decimal hashes equal values alike, whatever their scale.
            Cell::Int(i) => (1u8, Decimal::from(*i)).hash(state),
            Cell::Decimal(d) => (1u8, *d).hash(state),
            Cell::String(s) => (2u8, s.as_ref()).hash(state),
            Cell::Bool(b) => (3u8, *b).hash(state),
            Cell::Time(t) => (4u8, *t).hash(state),
            Cell::Date(d) => (5u8, *d).hash(state),
            Cell::Duration(d) => (6u8, *d).hash(state),
            // Never a key (`per` is a single value, never missing).
            Cell::List(_) | Cell::Object | Cell::Missing | Cell::Error(_) => 0u8.hash(state),
        }
    }
}

fn same_key(a: &[Cell<'_>], b: &[Cell<'_>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Cell::Int(x), Cell::Int(y)) => x == y,
            (Cell::Int(_) | Cell::Decimal(_), Cell::Int(_) | Cell::Decimal(_)) => {
                compare::compare(pair.0, pair.1) == Some(Ordering::Equal)
            }
            (Cell::String(x), Cell::String(y)) => x == y,
            (Cell::Bool(x), Cell::Bool(y)) => x == y,
            (Cell::Time(x), Cell::Time(y)) => x == y,
            (Cell::Date(x), Cell::Date(y)) => x == y,
            (Cell::Duration(x), Cell::Duration(y)) => x == y,
            (Cell::Object, Cell::Object) => true,
            _ => false,
        })
}

impl Hash for GroupKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_key(&self.0, state);
    }
}

impl PartialEq for GroupKey {
    fn eq(&self, other: &GroupKey) -> bool {
        same_key(&self.0, &other.0)
    }
}

impl Eq for GroupKey {}

impl Hash for GroupKeyRef<'_, '_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_key(self.0, state);
    }
}

impl indexmap::Equivalent<GroupKey> for GroupKeyRef<'_, '_> {
    fn equivalent(&self, key: &GroupKey) -> bool {
        same_key(self.0, &key.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle_of(function: AggregateFn, ty: Type, cells: &[Cell<'static>]) -> Settled {
        let mut state = AggregateState::new(function, Some(ty));
        for cell in cells {
            state.add_value(cell);
        }
        state.settle()
    }

    #[test]
    fn avg_of_ints_is_an_exact_decimal_rounded_half_to_even() {
        let ints = [Cell::Int(1), Cell::Int(2)];
        assert_eq!(
            settle_of(AggregateFn::Avg, Type::INT, &ints),
            Settled::Value(Cell::Decimal(Decimal::new(15, 1)))
        );
        let thirds = [Cell::Int(1), Cell::Int(0), Cell::Int(1)];
        let Settled::Value(Cell::Decimal(d)) = settle_of(AggregateFn::Avg, Type::INT, &thirds) else {
            panic!("a decimal");
        };
        assert_eq!(d.to_string(), "0.6666666666666666666666666667");
    }

    #[test]
    fn avg_of_durations_is_cut_toward_zero_to_whole_seconds() {
        let d = |s| Cell::Duration(SignedDuration::from_secs(s));
        assert_eq!(
            settle_of(AggregateFn::Avg, Type::DURATION, &[d(1), d(2)]),
            Settled::Value(d(1))
        );
        assert_eq!(
            settle_of(AggregateFn::Avg, Type::DURATION, &[d(-1), d(-2)]),
            Settled::Value(d(-1))
        );
    }

    #[test]
    fn an_int_sum_overflows_on_the_total_not_on_a_part() {
        let parts = [Cell::Int(i64::MAX), Cell::Int(1), Cell::Int(-2)];
        assert_eq!(
            settle_of(AggregateFn::Sum, Type::INT, &parts),
            Settled::Value(Cell::Int(i64::MAX - 1))
        );
        let over = [Cell::Int(i64::MAX), Cell::Int(1)];
        assert!(matches!(
            settle_of(AggregateFn::Sum, Type::INT, &over),
            Settled::Fault(EvalError::Overflow { .. })
        ));
    }

    #[test]
    fn merged_parts_equal_one_pass() {
        let cells: Vec<Cell<'static>> = (0..10).map(|i| Cell::Int(i * 7 % 5)).collect();
        for function in [
            AggregateFn::Sum,
            AggregateFn::Avg,
            AggregateFn::Min,
            AggregateFn::Max,
        ] {
            let whole = settle_of(function, Type::INT, &cells);
            let mut first = AggregateState::new(function, Some(Type::INT));
            let mut second = AggregateState::new(function, Some(Type::INT));
            cells[..4].iter().for_each(|c| first.add_value(c));
            cells[4..].iter().for_each(|c| second.add_value(c));
            first.merge(&second);
            assert_eq!(first.settle(), whole, "{function:?}");
        }
    }

    #[test]
    fn an_error_outweighs_unknown() {
        let mut state = AggregateState::new(AggregateFn::Sum, Some(Type::INT));
        state.add_unknown(&[3]);
        assert_eq!(state.settle(), Settled::Unknown(vec![3]));
        state.add_data_error();
        assert_eq!(state.settle(), Settled::DataError);
        state.add_fault(EvalError::DivisionByZero);
        assert_eq!(state.settle(), Settled::Fault(EvalError::DivisionByZero));
    }

    #[test]
    fn types_follow_the_argument() {
        assert_eq!(AggregateFn::Avg.result_type(Type::INT), Ok(Type::DECIMAL));
        assert_eq!(AggregateFn::Max.result_type(Type::TIME), Ok(Type::TIME));
        assert!(AggregateFn::Avg.result_type(Type::TIME).is_err());
        assert!(AggregateFn::Sum.result_type(Type::STRING).is_err());
    }
}
