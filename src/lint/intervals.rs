//! The lint's abstract domain: the values a variable may take, as a union
//! of intervals over a totally ordered set, and whether it may be missing.
//!
//! Ints, times (seconds of the day), dates (days), durations (seconds) and
//! bools (0 and 1) are discrete: their bounds are kept inclusive, so that
//! `x > 3 and x < 4` is seen to be empty. Decimals and strings are dense:
//! bounds may be open. A finite set (`x in ["a", "b"]`) is a union of
//! points, and its complement a union of open intervals. Every operation is
//! exact for these shapes; nothing is sampled.

use std::cmp::Ordering;
use std::ops::Bound::{self, Excluded, Included, Unbounded};

use rust_decimal::Decimal;

/// A totally ordered set of values.
pub(crate) trait Point: Ord + Clone + std::fmt::Debug {
    /// The neighbour above (`up`) or below, for a discrete type.
    fn step(&self, up: bool) -> Step<Self>;
}

/// What lies next to a value.
pub(crate) enum Step<T> {
    /// Nothing in particular: the type is dense.
    Dense,
    /// The next value.
    To(T),
    /// Nothing: the value is the end of its type.
    End,
}

impl Point for i64 {
    fn step(&self, up: bool) -> Step<i64> {
        match if up {
            self.checked_add(1)
        } else {
            self.checked_sub(1)
        } {
            Some(n) => Step::To(n),
            None => Step::End,
        }
    }
}

impl Point for Decimal {
    fn step(&self, _: bool) -> Step<Decimal> {
        Step::Dense
    }
}

impl Point for String {
    fn step(&self, _: bool) -> Step<String> {
        Step::Dense
    }
}

/// One interval; never empty once normalized.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Interval<T> {
    pub lo: Bound<T>,
    pub hi: Bound<T>,
}

/// A union of intervals: sorted, disjoint, not touching, none empty; the
/// bounds of a discrete type are inclusive.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ranges<T> {
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
        (Included(h), Included(l)) => l <= h || matches!(h.step(true), Step::To(n) if n == *l),
        (Included(h), Excluded(l)) | (Excluded(h), Included(l)) => l <= h,
        (Excluded(h), Excluded(l)) => l < h,
    }
}

impl<T: Point> Interval<T> {
    /// The interval with discrete bounds made inclusive; `None` if empty.
    fn normalized(lo: Bound<T>, hi: Bound<T>) -> Option<Interval<T>> {
        let lo = match lo {
            Excluded(x) => match x.step(true) {
                Step::To(n) => Included(n),
                Step::End => return None,
                Step::Dense => Excluded(x),
            },
            other => other,
        };
        let hi = match hi {
            Excluded(x) => match x.step(false) {
                Step::To(n) => Included(n),
                Step::End => return None,
                Step::Dense => Excluded(x),
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

impl<T: Point> Ranges<T> {
    /// No value.
    pub fn empty() -> Ranges<T> {
        Ranges { parts: Vec::new() }
    }

    /// Every value of the type.
    pub fn all() -> Ranges<T> {
        Ranges::between(Unbounded, Unbounded)
    }

    /// The values between two bounds (empty if they are crossed).
    pub fn between(lo: Bound<T>, hi: Bound<T>) -> Ranges<T> {
        Ranges {
            parts: Interval::normalized(lo, hi).into_iter().collect(),
        }
    }

    /// One value.
    pub fn point(value: T) -> Ranges<T> {
        Ranges::between(Included(value.clone()), Included(value))
    }

    /// A union of intervals in any order, overlapping or not.
    fn from_parts(mut parts: Vec<Interval<T>>) -> Ranges<T> {
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
        Ranges { parts: merged }
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

    pub fn union(&self, other: &Ranges<T>) -> Ranges<T> {
        Ranges::from_parts(self.parts.iter().chain(&other.parts).cloned().collect())
    }

    pub fn intersect(&self, other: &Ranges<T>) -> Ranges<T> {
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
        Ranges::from_parts(parts)
    }

    /// Every value of the type that is not in `self`.
    pub fn complement(&self) -> Ranges<T> {
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
        Ranges { parts }
    }

    /// The values of `universe` that are not in `self`.
    pub fn within_complement(&self, universe: &Ranges<T>) -> Ranges<T> {
        universe.intersect(&self.complement())
    }
}

/// The values a variable may take, by the kind of its type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Values {
    /// Ints, bools (0, 1), times (seconds), dates (days), durations (seconds).
    Int(Ranges<i64>),
    Dec(Ranges<Decimal>),
    Str(Ranges<String>),
    /// Values the domain does not describe (lists, fields of no type): any.
    Any,
    /// No value, of a kind the domain does not describe.
    Nothing,
}

impl Values {
    /// No value of the same kind as `self`.
    pub fn none_like(&self) -> Values {
        match self {
            Values::Int(_) => Values::Int(Ranges::empty()),
            Values::Dec(_) => Values::Dec(Ranges::empty()),
            Values::Str(_) => Values::Str(Ranges::empty()),
            Values::Any | Values::Nothing => Values::Nothing,
        }
    }

    /// Whether no value is left (`Any` never is: it is not described).
    pub fn is_empty(&self) -> bool {
        match self {
            Values::Int(r) => r.is_empty(),
            Values::Dec(r) => r.is_empty(),
            Values::Str(r) => r.is_empty(),
            Values::Any => false,
            Values::Nothing => true,
        }
    }

    pub fn intersect(&self, other: &Values) -> Values {
        match (self, other) {
            (Values::Int(a), Values::Int(b)) => Values::Int(a.intersect(b)),
            (Values::Dec(a), Values::Dec(b)) => Values::Dec(a.intersect(b)),
            (Values::Str(a), Values::Str(b)) => Values::Str(a.intersect(b)),
            (Values::Nothing, _) | (_, Values::Nothing) => Values::Nothing,
            (Values::Any, x) | (x, Values::Any) => x.clone(),
            // Kinds never mix for one variable; if they did, keep more.
            (a, _) => a.clone(),
        }
    }

    pub fn union(&self, other: &Values) -> Values {
        match (self, other) {
            (Values::Int(a), Values::Int(b)) => Values::Int(a.union(b)),
            (Values::Dec(a), Values::Dec(b)) => Values::Dec(a.union(b)),
            (Values::Str(a), Values::Str(b)) => Values::Str(a.union(b)),
            (Values::Nothing, x) | (x, Values::Nothing) => x.clone(),
            _ => Values::Any,
        }
    }

    /// The values of `universe` that are not in `self`.
    pub fn within_complement(&self, universe: &Values) -> Values {
        match (self, universe) {
            (Values::Int(a), Values::Int(u)) => Values::Int(a.within_complement(u)),
            (Values::Dec(a), Values::Dec(u)) => Values::Dec(a.within_complement(u)),
            (Values::Str(a), Values::Str(u)) => Values::Str(a.within_complement(u)),
            // What `Any` leaves out is not known: keep the whole universe.
            _ => universe.clone(),
        }
    }
}

/// What one variable may be: missing or not, and which values.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct VarSet {
    pub missing: bool,
    pub values: Values,
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
    use super::*;

    fn ints(parts: &[(i64, i64)]) -> Ranges<i64> {
        parts.iter().fold(Ranges::empty(), |acc, (a, b)| {
            acc.union(&Ranges::between(Included(*a), Included(*b)))
        })
    }

    #[test]
    fn discrete_bounds_are_made_inclusive() {
        let above_3 = Ranges::between(Excluded(3i64), Unbounded);
        let below_4 = Ranges::between(Unbounded, Excluded(4i64));
        assert!(above_3.intersect(&below_4).is_empty());
        assert_eq!(above_3, Ranges::between(Included(4), Unbounded));
        assert!(Ranges::between(Excluded(i64::MAX), Unbounded).is_empty());
    }

    #[test]
    fn dense_open_intervals_are_not_empty() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        let above = Ranges::between(Excluded(d("3")), Unbounded);
        let below = Ranges::between(Unbounded, Excluded(d("4")));
        let both = above.intersect(&below);
        assert!(!both.is_empty());
        assert!(both.contains(&d("3.5")));
        assert!(!both.contains(&d("4")));
        let touching = Ranges::between(Unbounded, Excluded(d("3"))).intersect(&above);
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
        let not_four = Ranges::point(4i64).within_complement(&week);
        assert_eq!(not_four, ints(&[(1, 3), (5, 7)]));
        let outside = Ranges::between(Unbounded, Included(0))
            .union(&Ranges::point(4))
            .union(&Ranges::between(Included(8), Unbounded));
        assert_eq!(not_four.complement(), outside);
    }

    #[test]
    fn string_points_and_their_complement() {
        let s = |x: &str| x.to_string();
        let set = Ranges::point(s("formal")).union(&Ranges::point(s("uniform")));
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
            values: Values::Int(Ranges::empty()),
        };
        assert!(none.is_empty());
        let missing = VarSet {
            missing: true,
            values: Values::Int(Ranges::empty()),
        };
        assert!(!missing.is_empty());
        assert!(missing.intersect(&none).is_empty());
        let any = VarSet {
            missing: false,
            values: Values::Any,
        };
        assert!(!any.is_empty());
    }
}
