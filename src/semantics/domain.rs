//! The one domain of the tools: the values a term may take, as a union of
//! intervals over a totally ordered set ([`IntervalSet`]), by the kind of
//! its type ([`Domain`]), and whether it may be missing ([`VarSet`]).
//!
//! Ints, bools (0 and 1), times, dates and durations are sets of ordinals
//! (`i128`, the encoding of [`super::ordinal`]): discrete, so their bounds
//! are kept inclusive and `x > 3 and x < 4` is seen to be empty. Decimals
//! and strings are dense: bounds may be open. A finite set (`x in ["a",
//! "b"]`) is a union of points, its complement a union of open intervals.
//! Every operation is exact for these shapes; nothing is sampled, so lint's
//! proofs stay proofs. The sampler's discrete operations (`shift`,
//! `nearest`, `walk_from`, …) work on ordinal sets, where an unbounded end
//! stands for [`FAR`].

use std::cmp::Ordering;
use std::ops::Bound::{self, Excluded, Included, Unbounded};

use rust_decimal::Decimal;

use super::ops::BinaryOp;
use super::ordinal;
use super::value::{Type, Value};

/// Far beyond any ordinal (times and durations are nanoseconds, at most
/// about 2^93): the discrete operations read an unbounded end as this, so
/// that every member they name is finite.
pub(crate) const FAR: i128 = 1 << 100;

/// A totally ordered set of values.
pub(crate) trait Point: Ord + Clone + std::fmt::Debug {
    /// The neighbour above (`up`) or below, for a discrete type.
    fn next(&self, up: bool) -> Next<Self>;
}

/// What lies next to a value.
pub(crate) enum Next<T> {
    /// Nothing in particular: the type is dense.
    Dense,
    /// The next value.
    To(T),
    /// Nothing: the value is the end of its type.
    End,
}

impl Point for i128 {
    fn next(&self, up: bool) -> Next<i128> {
        match if up {
            self.checked_add(1)
        } else {
            self.checked_sub(1)
        } {
            Some(n) => Next::To(n),
            None => Next::End,
        }
    }
}

impl Point for Decimal {
    fn next(&self, _: bool) -> Next<Decimal> {
        Next::Dense
    }
}

impl Point for String {
    fn next(&self, _: bool) -> Next<String> {
        Next::Dense
    }
}

/// One interval; never empty once normalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Interval<T> {
    pub lo: Bound<T>,
    pub hi: Bound<T>,
}

/// A union of intervals: sorted, disjoint, not touching, none empty; the
/// bounds of a discrete type are inclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IntervalSet<T = i128> {
    parts: Vec<Interval<T>>,
}

/// Orders two lower bounds: where the interval starts.
fn cmp_lo<T: Ord>(a: &Bound<T>, b: &Bound<T>) -> Ordering {
    match (a, b) {
        (Unbounded, Unbounded) => Ordering::Equal,
        (Unbounded, _) => Ordering::Less,
        (_, Unbounded) => Ordering::Greater,
        (Included(x), Included(y)) | (Excluded(x), Excluded(y)) => x.cmp(y),
        (Included(x), Excluded(y)) => x.cmp(y).then(Ordering::Less),
        (Excluded(x), Included(y)) => x.cmp(y).then(Ordering::Greater),
    }
}

/// Orders two upper bounds: where the interval ends.
fn cmp_hi<T: Ord>(a: &Bound<T>, b: &Bound<T>) -> Ordering {
    match (a, b) {
        (Unbounded, Unbounded) => Ordering::Equal,
        (Unbounded, _) => Ordering::Greater,
        (_, Unbounded) => Ordering::Less,
        (Included(x), Included(y)) | (Excluded(x), Excluded(y)) => x.cmp(y),
        (Included(x), Excluded(y)) => x.cmp(y).then(Ordering::Greater),
        (Excluded(x), Included(y)) => x.cmp(y).then(Ordering::Less),
    }
}

/// Whether an interval ending at `hi` and one starting at `lo` (no earlier)
/// overlap or touch, so that their union is one interval.
fn joins<T: Point>(hi: &Bound<T>, lo: &Bound<T>) -> bool {
    match (hi, lo) {
        (Unbounded, _) | (_, Unbounded) => true,
        (Included(h), Included(l)) => l <= h || matches!(h.next(true), Next::To(n) if n == *l),
        (Included(h), Excluded(l)) | (Excluded(h), Included(l)) => l <= h,
        (Excluded(h), Excluded(l)) => l < h,
    }
}

impl<T: Point> Interval<T> {
    /// The interval with discrete bounds made inclusive; `None` if empty.
    fn normalized(lo: Bound<T>, hi: Bound<T>) -> Option<Interval<T>> {
        let lo = match lo {
            Excluded(x) => match x.next(true) {
                Next::To(n) => Included(n),
                Next::End => return None,
                Next::Dense => Excluded(x),
            },
            other => other,
        };
        let hi = match hi {
            Excluded(x) => match x.next(false) {
                Next::To(n) => Included(n),
                Next::End => return None,
                Next::Dense => Excluded(x),
            },
            other => other,
        };
        let empty = match (&lo, &hi) {
            (Unbounded, _) | (_, Unbounded) => false,
            (Included(a), Included(b)) => a > b,
            (Included(a), Excluded(b)) | (Excluded(a), Included(b)) | (Excluded(a), Excluded(b)) => a >= b,
        };
        (!empty).then_some(Interval { lo, hi })
    }

    fn contains(&self, value: &T) -> bool {
        let above = match &self.lo {
            Unbounded => true,
            Included(l) => value >= l,
            Excluded(l) => value > l,
        };
        let below = match &self.hi {
            Unbounded => true,
            Included(h) => value <= h,
            Excluded(h) => value < h,
        };
        above && below
    }
}

impl<T: Point> IntervalSet<T> {
    /// No value.
    pub fn empty() -> IntervalSet<T> {
        IntervalSet { parts: Vec::new() }
    }

    /// Every value of the type.
    pub fn all() -> IntervalSet<T> {
        IntervalSet::between(Unbounded, Unbounded)
    }

    /// The values between two bounds (empty if they are crossed).
    pub fn between(lo: Bound<T>, hi: Bound<T>) -> IntervalSet<T> {
        IntervalSet {
            parts: Interval::normalized(lo, hi).into_iter().collect(),
        }
    }

    /// One value.
    pub fn point(value: T) -> IntervalSet<T> {
        IntervalSet::between(Included(value.clone()), Included(value))
    }

    /// A union of intervals in any order, overlapping or not.
    fn from_parts(mut parts: Vec<Interval<T>>) -> IntervalSet<T> {
        parts.sort_by(|a, b| cmp_lo(&a.lo, &b.lo));
        let mut merged: Vec<Interval<T>> = Vec::with_capacity(parts.len());
        for part in parts {
            match merged.last_mut() {
                Some(last) if joins(&last.hi, &part.lo) => {
                    if cmp_hi(&part.hi, &last.hi) == Ordering::Greater {
                        last.hi = part.hi;
                    }
                }
                _ => merged.push(part),
            }
        }
        IntervalSet { parts: merged }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn parts(&self) -> &[Interval<T>] {
        &self.parts
    }

    pub fn contains(&self, value: &T) -> bool {
        self.parts.iter().any(|p| p.contains(value))
    }

    pub fn union(&self, other: &IntervalSet<T>) -> IntervalSet<T> {
        IntervalSet::from_parts(self.parts.iter().chain(&other.parts).cloned().collect())
    }

    pub fn intersect(&self, other: &IntervalSet<T>) -> IntervalSet<T> {
        let mut parts = Vec::new();
        for a in &self.parts {
            for b in &other.parts {
                let lo = if cmp_lo(&a.lo, &b.lo) == Ordering::Greater {
                    &a.lo
                } else {
                    &b.lo
                };
                let hi = if cmp_hi(&a.hi, &b.hi) == Ordering::Less {
                    &a.hi
                } else {
                    &b.hi
                };
                parts.extend(Interval::normalized(lo.clone(), hi.clone()));
            }
        }
        IntervalSet::from_parts(parts)
    }

    /// Every value of the type that is not in `self`.
    pub fn complement(&self) -> IntervalSet<T> {
        let flip = |b: &Bound<T>| match b {
            Included(x) => Excluded(x.clone()),
            Excluded(x) => Included(x.clone()),
            Unbounded => Unbounded,
        };
        let mut parts = Vec::new();
        let mut lo: Option<Bound<T>> = Some(Unbounded);
        for part in &self.parts {
            if let (Some(start), false) = (lo.take(), matches!(part.lo, Unbounded)) {
                parts.extend(Interval::normalized(start, flip(&part.lo)));
            }
            lo = match &part.hi {
                Unbounded => None,
                hi => Some(flip(hi)),
            };
        }
        if let Some(start) = lo {
            parts.extend(Interval::normalized(start, Unbounded));
        }
        IntervalSet { parts }
    }

    /// The values of `universe` that are not in `self`.
    pub fn within_complement(&self, universe: &IntervalSet<T>) -> IntervalSet<T> {
        universe.intersect(&self.complement())
    }

    /// The values for which `value op p` is true (`None` for an operator
    /// that does not compare).
    pub fn comparison(op: BinaryOp, p: T) -> Option<IntervalSet<T>> {
        Some(match op {
            BinaryOp::Eq => IntervalSet::point(p),
            BinaryOp::Ne => IntervalSet::point(p).complement(),
            BinaryOp::Lt => IntervalSet::between(Unbounded, Excluded(p)),
            BinaryOp::Le => IntervalSet::between(Unbounded, Included(p)),
            BinaryOp::Gt => IntervalSet::between(Excluded(p), Unbounded),
            BinaryOp::Ge => IntervalSet::between(Included(p), Unbounded),
            _ => return None,
        })
    }
}

impl IntervalSet<i128> {
    /// The intervals as closed pairs; `None` if one is unbounded.
    pub fn bounded_parts(&self) -> Option<Vec<(i128, i128)>> {
        self.parts
            .iter()
            .map(|p| match (&p.lo, &p.hi) {
                (Included(lo), Included(hi)) => Some((*lo, *hi)),
                _ => None,
            })
            .collect()
    }
}

/// The discrete operations the sampler walks ordinals with.
impl IntervalSet<i128> {
    /// The ordinals from `lo` to `hi`, both included (empty if crossed).
    pub fn range(lo: i128, hi: i128) -> IntervalSet<i128> {
        IntervalSet::between(Included(lo), Included(hi))
    }

    /// The intervals as closed pairs, an unbounded end read as ±[`FAR`].
    pub fn closed_parts(&self) -> Vec<(i128, i128)> {
        self.parts
            .iter()
            .map(|p| (closed(&p.lo, -FAR), closed(&p.hi, FAR)))
            .collect()
    }

    /// The least member (-[`FAR`] when there is no least).
    pub fn min(&self) -> Option<i128> {
        self.parts.first().map(|p| closed(&p.lo, -FAR))
    }

    /// The greatest member ([`FAR`] when there is no greatest).
    pub fn max(&self) -> Option<i128> {
        self.parts.last().map(|p| closed(&p.hi, FAR))
    }

    /// How many members, saturating.
    pub fn size(&self) -> u128 {
        self.closed_parts().iter().fold(0u128, |n, &(lo, hi)| {
            n.saturating_add(hi.abs_diff(lo).saturating_add(1))
        })
    }

    /// `{x + by : x in self}`; an unbounded end stays unbounded.
    pub fn shift(&self, by: i128) -> IntervalSet<i128> {
        let moved = |b: &Bound<i128>| match b {
            Included(x) => Included(x.saturating_add(by)),
            Excluded(x) => Excluded(x.saturating_add(by)),
            Unbounded => Unbounded,
        };
        IntervalSet::from_parts(
            self.parts
                .iter()
                .filter_map(|p| Interval::normalized(moved(&p.lo), moved(&p.hi)))
                .collect(),
        )
    }

    /// `{-x : x in self}`; an unbounded end becomes the other one.
    pub fn negate(&self) -> IntervalSet<i128> {
        let negated = |b: &Bound<i128>| match b {
            Included(x) => Included(x.saturating_neg()),
            Excluded(x) => Excluded(x.saturating_neg()),
            Unbounded => Unbounded,
        };
        IntervalSet::from_parts(
            self.parts
                .iter()
                .filter_map(|p| Interval::normalized(negated(&p.hi), negated(&p.lo)))
                .collect(),
        )
    }

    /// The member nearest to `x` (the lower one on a tie).
    pub fn nearest(&self, x: i128) -> Option<i128> {
        let mut best: Option<i128> = None;
        for (lo, hi) in self.closed_parts() {
            let c = x.clamp(lo, hi);
            if best.is_none_or(|b| c.abs_diff(x) < b.abs_diff(x)) {
                best = Some(c);
            }
        }
        best
    }

    /// The members from `start` on (wrapping round to the first), at most
    /// `limit` of them.
    pub fn walk_from(&self, start: i128, limit: u128) -> impl Iterator<Item = i128> {
        let parts = self.closed_parts();
        let upper: Vec<(i128, i128)> = parts
            .iter()
            .filter(|iv| iv.1 >= start)
            .map(|&(lo, hi)| (lo.max(start), hi))
            .collect();
        let lower: Vec<(i128, i128)> = parts
            .iter()
            .filter(|iv| iv.0 < start)
            .map(|&(lo, hi)| (lo, hi.min(start - 1)))
            .collect();
        upper
            .into_iter()
            .chain(lower)
            .flat_map(|(lo, hi)| lo..=hi)
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
    }
}

/// A bound as a closed end, `far` for an unbounded one.
fn closed(bound: &Bound<i128>, far: i128) -> i128 {
    match bound {
        Included(x) => *x,
        // Never left by `normalized` for ordinals; stepped for safety.
        Excluded(x) => {
            if far < 0 {
                x.saturating_add(1)
            } else {
                x.saturating_sub(1)
            }
        }
        Unbounded => far,
    }
}

/// The values a term may take, by the kind of its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Domain {
    /// Ints, bools (0, 1), times, dates and durations, as ordinals.
    Ordinal(IntervalSet<i128>),
    Decimal(IntervalSet<Decimal>),
    Text(IntervalSet<String>),
    /// Values the domain does not describe (lists, fields of no type): any.
    Any,
    /// No value, of a kind the domain does not describe.
    Nothing,
}

impl Domain {
    /// Every value of a type.
    pub fn universe(ty: Type) -> Domain {
        let between = |lo: i128, hi: i128| Domain::Ordinal(IntervalSet::range(lo, hi));
        match ty {
            Type::BOOL => between(0, 1),
            Type::INT | Type::DURATION => Domain::Ordinal(IntervalSet::all()),
            Type::DECIMAL => Domain::Decimal(IntervalSet::all()),
            Type::STRING => Domain::Text(IntervalSet::all()),
            Type::TIME => between(
                i128::from(ordinal::time(jiff::civil::Time::MIN)),
                i128::from(ordinal::time(jiff::civil::Time::MAX)),
            ),
            Type::DATE => between(
                i128::from(ordinal::date(jiff::civil::Date::MIN)),
                i128::from(ordinal::date(jiff::civil::Date::MAX)),
            ),
            Type::List(_) => Domain::Any,
        }
    }

    /// The values of `universe` for which `value op literal` is true;
    /// `None` when the literal is not of the universe's kind or `op` does
    /// not compare. An int against a fraction rounds the right way
    /// (`x < 7.5` is `x <= 7`, `x == 7.5` is nothing).
    pub fn of_comparison(op: BinaryOp, literal: &Value, universe: &Domain) -> Option<Domain> {
        let set = match (universe, literal) {
            (Domain::Ordinal(_), Value::Decimal(d)) => Domain::Ordinal(int_against_decimal(op, *d)?),
            (Domain::Ordinal(_), literal) => {
                Domain::Ordinal(IntervalSet::comparison(op, ordinal::of_value(literal)?)?)
            }
            (Domain::Decimal(_), Value::Int(i)) => {
                Domain::Decimal(IntervalSet::comparison(op, Decimal::from(*i))?)
            }
            (Domain::Decimal(_), Value::Decimal(d)) => Domain::Decimal(IntervalSet::comparison(op, *d)?),
            (Domain::Text(_), Value::String(s)) => Domain::Text(IntervalSet::comparison(op, s.clone())?),
            _ => return None,
        };
        Some(set.intersect(universe))
    }

    /// The values of `universe` among `items`.
    pub fn of_list<'v>(items: impl IntoIterator<Item = &'v Value>, universe: &Domain) -> Option<Domain> {
        let mut out = universe.none_like();
        for item in items {
            out = out.union(&Domain::of_comparison(BinaryOp::Eq, item, universe)?);
        }
        Some(out)
    }

    /// The values of `universe` from `low` to `high`, both included.
    pub fn of_range(low: &Value, high: &Value, universe: &Domain) -> Option<Domain> {
        let above = Domain::of_comparison(BinaryOp::Ge, low, universe)?;
        let below = Domain::of_comparison(BinaryOp::Le, high, universe)?;
        Some(above.intersect(&below))
    }

    /// No value of the same kind as `self`.
    pub fn none_like(&self) -> Domain {
        match self {
            Domain::Ordinal(_) => Domain::Ordinal(IntervalSet::empty()),
            Domain::Decimal(_) => Domain::Decimal(IntervalSet::empty()),
            Domain::Text(_) => Domain::Text(IntervalSet::empty()),
            Domain::Any | Domain::Nothing => Domain::Nothing,
        }
    }

    /// Whether no value is left (`Any` never is: it is not described).
    pub fn is_empty(&self) -> bool {
        match self {
            Domain::Ordinal(r) => r.is_empty(),
            Domain::Decimal(r) => r.is_empty(),
            Domain::Text(r) => r.is_empty(),
            Domain::Any => false,
            Domain::Nothing => true,
        }
    }

    pub fn intersect(&self, other: &Domain) -> Domain {
        match (self, other) {
            (Domain::Ordinal(a), Domain::Ordinal(b)) => Domain::Ordinal(a.intersect(b)),
            (Domain::Decimal(a), Domain::Decimal(b)) => Domain::Decimal(a.intersect(b)),
            (Domain::Text(a), Domain::Text(b)) => Domain::Text(a.intersect(b)),
            (Domain::Nothing, _) | (_, Domain::Nothing) => Domain::Nothing,
            (Domain::Any, x) | (x, Domain::Any) => x.clone(),
            // Kinds never mix for one term; if they did, keep more.
            (a, _) => a.clone(),
        }
    }

    pub fn union(&self, other: &Domain) -> Domain {
        match (self, other) {
            (Domain::Ordinal(a), Domain::Ordinal(b)) => Domain::Ordinal(a.union(b)),
            (Domain::Decimal(a), Domain::Decimal(b)) => Domain::Decimal(a.union(b)),
            (Domain::Text(a), Domain::Text(b)) => Domain::Text(a.union(b)),
            (Domain::Nothing, x) | (x, Domain::Nothing) => x.clone(),
            _ => Domain::Any,
        }
    }

    /// The values of `universe` that are not in `self`.
    pub fn within_complement(&self, universe: &Domain) -> Domain {
        match (self, universe) {
            (Domain::Ordinal(a), Domain::Ordinal(u)) => Domain::Ordinal(a.within_complement(u)),
            (Domain::Decimal(a), Domain::Decimal(u)) => Domain::Decimal(a.within_complement(u)),
            (Domain::Text(a), Domain::Text(u)) => Domain::Text(a.within_complement(u)),
            // What `Any` leaves out is not known: keep the whole universe.
            _ => universe.clone(),
        }
    }

    /// The values of a term of type `ty` that the predicate `required`
    /// rejects though present (`false`, `""`); `None` when not described
    /// (a list's `[]`, a term of no type).
    pub fn not_required(ty: Option<Type>, universe: &Domain) -> Option<Domain> {
        match (ty?, universe) {
            (Type::BOOL, Domain::Ordinal(_)) => {
                ordinal::of_value(&Value::Bool(false)).map(|f| Domain::Ordinal(IntervalSet::point(f)))
            }
            (Type::STRING, Domain::Text(_)) => Some(Domain::Text(IntervalSet::point(String::new()))),
            (Type::Scalar(_), _) => Some(universe.none_like()),
            (Type::List(_), _) => None,
        }
    }
}

/// `x op 7.5` for an int `x`: `x <= 7`, `x >= 8`, never `== 7.5`.
fn int_against_decimal(op: BinaryOp, d: Decimal) -> Option<IntervalSet<i128>> {
    let whole = |d: Decimal| i128::try_from(d).ok();
    if d.fract().is_zero() {
        return IntervalSet::comparison(op, whole(d)?);
    }
    Some(match op {
        BinaryOp::Eq => IntervalSet::empty(),
        BinaryOp::Ne => IntervalSet::all(),
        BinaryOp::Lt | BinaryOp::Le => IntervalSet::between(Unbounded, Included(whole(d.floor())?)),
        BinaryOp::Gt | BinaryOp::Ge => IntervalSet::between(Included(whole(d.ceil())?), Unbounded),
        _ => return None,
    })
}

/// What one term may be: missing or not, and which values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VarSet {
    pub missing: bool,
    pub values: Domain,
}

impl VarSet {
    pub fn is_empty(&self) -> bool {
        !self.missing && self.values.is_empty()
    }

    pub fn intersect(&self, other: &VarSet) -> VarSet {
        VarSet {
            missing: self.missing && other.missing,
            values: self.values.intersect(&other.values),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::Time;

    use super::*;
    use crate::semantics::value::Scalar;

    fn ints(parts: &[(i128, i128)]) -> IntervalSet<i128> {
        parts.iter().fold(IntervalSet::empty(), |acc, (a, b)| {
            acc.union(&IntervalSet::range(*a, *b))
        })
    }

    fn points(points: &[i128]) -> IntervalSet<i128> {
        points
            .iter()
            .fold(IntervalSet::empty(), |acc, p| acc.union(&IntervalSet::point(*p)))
    }

    #[test]
    fn discrete_bounds_are_made_inclusive() {
        let above_3 = IntervalSet::between(Excluded(3i128), Unbounded);
        let below_4 = IntervalSet::between(Unbounded, Excluded(4i128));
        assert!(above_3.intersect(&below_4).is_empty());
        assert_eq!(above_3, IntervalSet::between(Included(4), Unbounded));
        assert!(IntervalSet::between(Excluded(i128::MAX), Unbounded).is_empty());
    }

    #[test]
    fn dense_open_intervals_are_not_empty() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        let above = IntervalSet::between(Excluded(d("3")), Unbounded);
        let below = IntervalSet::between(Unbounded, Excluded(d("4")));
        let both = above.intersect(&below);
        assert!(!both.is_empty());
        assert!(both.contains(&d("3.5")));
        assert!(!both.contains(&d("4")));
        let touching = IntervalSet::between(Unbounded, Excluded(d("3"))).intersect(&above);
        assert!(touching.is_empty());
    }

    #[test]
    fn union_merges_overlapping_and_adjacent_discrete_intervals() {
        assert_eq!(ints(&[(1, 3), (4, 6)]), ints(&[(1, 6)]));
        assert_eq!(ints(&[(5, 9), (1, 6)]), ints(&[(1, 9)]));
        assert_eq!(ints(&[(1, 2), (5, 6)]).parts().len(), 2);
    }

    #[test]
    fn complement_within_a_universe() {
        let week = ints(&[(1, 7)]);
        let workdays = ints(&[(1, 5)]);
        assert_eq!(workdays.within_complement(&week), ints(&[(6, 7)]));
        assert!(week.within_complement(&week).is_empty());
        let not_four = IntervalSet::point(4i128).within_complement(&week);
        assert_eq!(not_four, ints(&[(1, 3), (5, 7)]));
        let outside = IntervalSet::between(Unbounded, Included(0))
            .union(&IntervalSet::point(4))
            .union(&IntervalSet::between(Included(8), Unbounded));
        assert_eq!(not_four.complement(), outside);
    }

    #[test]
    fn string_points_and_their_complement() {
        let s = |x: &str| x.to_string();
        let set = IntervalSet::point(s("formal")).union(&IntervalSet::point(s("uniform")));
        let others = set.complement();
        assert!(!others.contains(&s("formal")));
        assert!(others.contains(&s("casual")));
        assert!(others.contains(&s("")));
        assert!(set.intersect(&others).is_empty());
        assert_eq!(others.complement(), set);
    }

    #[test]
    fn a_variable_is_empty_only_when_it_cannot_be_missing_either() {
        let none = VarSet {
            missing: false,
            values: Domain::Ordinal(IntervalSet::empty()),
        };
        assert!(none.is_empty());
        let missing = VarSet {
            missing: true,
            values: Domain::Ordinal(IntervalSet::empty()),
        };
        assert!(!missing.is_empty());
        assert!(missing.intersect(&none).is_empty());
        let any = VarSet {
            missing: false,
            values: Domain::Any,
        };
        assert!(!any.is_empty());
    }

    // The sampler's operations.

    #[test]
    fn sets_intersect_unite_and_complement() {
        let a = IntervalSet::range(0, 10);
        let b = points(&[3, 5, 20]);
        assert_eq!(a.intersect(&b), points(&[3, 5]));
        let c = b.within_complement(&a);
        assert_eq!(c.closed_parts(), vec![(0, 2), (4, 4), (6, 10)]);
        assert_eq!(c.size(), 9);
        assert_eq!(c.nearest(5), Some(4));
        assert_eq!(a.union(&IntervalSet::range(11, 12)).closed_parts(), vec![(0, 12)]);
        let walked: Vec<i128> = c.walk_from(8, 100).collect();
        assert_eq!(walked, vec![8, 9, 10, 0, 1, 2, 4, 6, 7]);
        assert_eq!(c.walk_from(8, 4).count(), 4);
    }

    #[test]
    fn ends_shift_and_negate_and_unbounded_ones_stand_far() {
        let c = ints(&[(0, 2), (6, 10)]);
        assert_eq!(c.min(), Some(0));
        assert_eq!(c.max(), Some(10));
        assert_eq!(c.shift(5), ints(&[(5, 7), (11, 15)]));
        assert_eq!(c.negate(), ints(&[(-10, -6), (-2, 0)]));
        assert_eq!(IntervalSet::range(3, 2), IntervalSet::empty());
        assert_eq!(IntervalSet::<i128>::empty().min(), None);
        assert_eq!(IntervalSet::<i128>::empty().nearest(3), None);
        let all = IntervalSet::<i128>::all();
        assert_eq!(all.min(), Some(-FAR));
        assert_eq!(all.max(), Some(FAR));
        assert_eq!(all.nearest(42), Some(42));
        assert_eq!(all.shift(7), all);
        assert_eq!(all.negate(), all);
        let above = IntervalSet::between(Included(5), Unbounded);
        assert_eq!(above.negate(), IntervalSet::between(Unbounded, Included(-5)));
        assert_eq!(above.nearest(0), Some(5));
        assert_eq!(above.size(), (FAR - 5 + 1) as u128);
        assert_eq!(all.size(), (2 * FAR + 1) as u128);
    }

    #[test]
    fn times_compare_as_their_ordinals() {
        let universe = Domain::universe(Type::TIME);
        let half_past_seven = Value::Time(Time::constant(7, 30, 0, 0));
        let late = Domain::of_comparison(BinaryOp::Gt, &half_past_seven, &universe).unwrap();
        let nanos = |t: Time| i128::from(ordinal::time(t));
        assert_eq!(
            late,
            Domain::Ordinal(IntervalSet::range(
                nanos(Time::constant(7, 30, 0, 0)) + 1,
                nanos(Time::MAX)
            ))
        );
        assert_eq!(
            ordinal::value_at(Scalar::Time, nanos(Time::constant(7, 45, 0, 0))),
            Some(Value::Time(Time::constant(7, 45, 0, 0)))
        );
    }

    #[test]
    fn an_int_against_a_fraction_rounds_the_right_way() {
        let universe = Domain::universe(Type::INT);
        let against = |op, s: &str| {
            let d = Value::Decimal(Decimal::from_str_exact(s).unwrap());
            Domain::of_comparison(op, &d, &universe).unwrap()
        };
        let ordinals = |set| Domain::Ordinal(set);
        assert_eq!(
            against(BinaryOp::Lt, "7.5"),
            ordinals(IntervalSet::between(Unbounded, Included(7)))
        );
        assert_eq!(
            against(BinaryOp::Gt, "7.5"),
            ordinals(IntervalSet::between(Included(8), Unbounded))
        );
        assert!(against(BinaryOp::Eq, "7.5").is_empty());
        assert_eq!(
            against(BinaryOp::Lt, "8.0"),
            ordinals(IntervalSet::between(Unbounded, Included(7)))
        );
    }

    #[test]
    fn lists_and_ranges_of_literals() {
        let universe = Domain::universe(Type::STRING);
        let items = [Value::String("a".into()), Value::String("b".into())];
        let set = Domain::of_list(&items, &universe).unwrap();
        let Domain::Text(set) = set else {
            panic!("a set of strings")
        };
        assert!(set.contains(&"a".to_string()) && !set.contains(&"ab".to_string()));
        let week = Domain::of_range(&Value::Int(1), &Value::Int(5), &Domain::universe(Type::INT));
        assert_eq!(week, Some(Domain::Ordinal(IntervalSet::range(1, 5))));
        assert_eq!(Domain::of_list(&[Value::Int(1)], &universe), None);
    }
}
