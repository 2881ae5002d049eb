//! Domains of the solver: sets of ordered values as sorted, disjoint
//! intervals of their points on the sampling grid
//! (`semantics::ordinal::Grid`: `semantics::ordinal`'s encoding in steps of
//! a second, a day, `10^-decimals`; the decimal grid is one digit finer
//! than the finest decimal literal of the rules), and calendar masks.

use crate::semantics::ordinal::Grid;
use crate::semantics::value::{Scalar, Value};

/// A set of integers: sorted, disjoint, non-adjacent closed intervals.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct OrdSet {
    iv: Vec<(i128, i128)>,
}

/// Far beyond any ordinal, so that "unbounded" stays finite.
pub(crate) const INF: i128 = 1 << 100;

impl OrdSet {
    pub fn empty() -> OrdSet {
        OrdSet { iv: Vec::new() }
    }

    pub fn range(lo: i128, hi: i128) -> OrdSet {
        if lo > hi {
            OrdSet::empty()
        } else {
            OrdSet { iv: vec![(lo, hi)] }
        }
    }

    pub fn point(p: i128) -> OrdSet {
        OrdSet::range(p, p)
    }

    pub fn all() -> OrdSet {
        OrdSet::range(-INF, INF)
    }

    #[cfg(test)]
    pub fn from_points(points: impl IntoIterator<Item = i128>) -> OrdSet {
        let mut set = OrdSet::empty();
        for p in points {
            set = set.union(&OrdSet::point(p));
        }
        set
    }

    pub fn intervals(&self) -> &[(i128, i128)] {
        &self.iv
    }

    pub fn is_empty(&self) -> bool {
        self.iv.is_empty()
    }

    pub fn min(&self) -> Option<i128> {
        self.iv.first().map(|i| i.0)
    }

    pub fn max(&self) -> Option<i128> {
        self.iv.last().map(|i| i.1)
    }

    pub fn contains(&self, x: i128) -> bool {
        self.iv.iter().any(|&(lo, hi)| lo <= x && x <= hi)
    }

    /// How many members, saturating.
    pub fn size(&self) -> u128 {
        self.iv
            .iter()
            .fold(0u128, |n, &(lo, hi)| n.saturating_add((hi - lo) as u128 + 1))
    }

    fn normalized(mut iv: Vec<(i128, i128)>) -> OrdSet {
        iv.retain(|(lo, hi)| lo <= hi);
        iv.sort_unstable();
        let mut out: Vec<(i128, i128)> = Vec::with_capacity(iv.len());
        for (lo, hi) in iv {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        OrdSet { iv: out }
    }

    pub fn union(&self, other: &OrdSet) -> OrdSet {
        OrdSet::normalized(self.iv.iter().chain(&other.iv).copied().collect())
    }

    pub fn intersect(&self, other: &OrdSet) -> OrdSet {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.iv.len() && j < other.iv.len() {
            let (a, b) = (self.iv[i], other.iv[j]);
            let lo = a.0.max(b.0);
            let hi = a.1.min(b.1);
            if lo <= hi {
                out.push((lo, hi));
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        OrdSet { iv: out }
    }

    /// Everything in `universe` that is not in this set.
    pub fn complement_in(&self, universe: &OrdSet) -> OrdSet {
        let mut gaps = Vec::new();
        let mut from = -INF - 1;
        for &(lo, hi) in &self.iv {
            gaps.push((from + 1, lo - 1));
            from = hi;
        }
        gaps.push((from + 1, INF + 1));
        OrdSet::normalized(gaps).intersect(universe)
    }

    /// `{x + by : x in self}`.
    pub fn shift(&self, by: i128) -> OrdSet {
        OrdSet {
            iv: self.iv.iter().map(|&(lo, hi)| (lo + by, hi + by)).collect(),
        }
    }

    /// `{-x : x in self}`.
    pub fn negate(&self) -> OrdSet {
        OrdSet::normalized(self.iv.iter().map(|&(lo, hi)| (-hi, -lo)).collect())
    }

    /// The member nearest to `x` (the lower one on a tie).
    pub fn nearest(&self, x: i128) -> Option<i128> {
        let mut best: Option<i128> = None;
        for &(lo, hi) in &self.iv {
            let c = x.clamp(lo, hi);
            if best.is_none_or(|b| (c - x).abs() < (b - x).abs()) {
                best = Some(c);
            }
        }
        best
    }

    /// The members from `start` on (wrapping round to the first), at most
    /// `limit` of them.
    pub fn walk_from(&self, start: i128, limit: u128) -> impl Iterator<Item = i128> + '_ {
        let upper = self
            .iv
            .iter()
            .filter(move |iv| iv.1 >= start)
            .map(move |&(lo, hi)| (lo.max(start), hi));
        let lower = self
            .iv
            .iter()
            .filter(move |iv| iv.0 < start)
            .map(move |&(lo, hi)| (lo, hi.min(start - 1)));
        upper
            .chain(lower)
            .flat_map(|(lo, hi)| lo..=hi)
            .take(limit.min(usize::MAX as u128) as usize)
    }
}

/// All grid points (see [`Grid`]) a field of `scalar` can hold.
pub(crate) fn universe(grid: Grid, scalar: Scalar) -> OrdSet {
    grid.bounds(scalar)
        .map_or(OrdSet::empty(), |(first, last)| OrdSet::range(first, last))
}

/// The step next to a literal, in grid points: a minute for a time or
/// duration written in whole minutes (else a second), a day, one int, one
/// unit in the last digit a decimal literal is written with.
pub(crate) fn literal_step(grid: Grid, literal: &Value, scalar: Scalar) -> i128 {
    match (literal, scalar) {
        (Value::Time(t), _) if t.second() == 0 => Grid::MINUTE,
        (Value::Duration(d), _) if d.as_secs() % 60 == 0 => Grid::MINUTE,
        (Value::Decimal(d), Scalar::Decimal) => {
            let places = d.scale().min(grid.decimals);
            10i128.pow(grid.decimals - places)
        }
        (Value::Int(_), Scalar::Decimal) => grid.per_unit(),
        _ => 1,
    }
}

/// The calendar functions a date or time can be held to exactly: bit `k`
/// of a mask allows the function's value `k` (weekday 1–7, month 1–12,
/// day 1–31, minute 0–59).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Calendar {
    pub weekday: u64,
    pub month: u64,
    pub day: u64,
    pub minute: u64,
}

pub(crate) const WEEKDAYS: u64 = 0b1111_1110;
pub(crate) const MONTHS: u64 = 0b1_1111_1111_1110;
pub(crate) const DAYS: u64 = ((1u64 << 32) - 1) & !1;
pub(crate) const MINUTES: u64 = (1u64 << 60) - 1;

impl Calendar {
    pub const ALL: Calendar = Calendar {
        weekday: WEEKDAYS,
        month: MONTHS,
        day: DAYS,
        minute: MINUTES,
    };

    pub fn is_all(&self) -> bool {
        *self == Calendar::ALL
    }

    pub fn is_empty(&self) -> bool {
        self.weekday == 0 || self.month == 0 || self.day == 0 || self.minute == 0
    }

    pub fn intersect(&self, other: &Calendar) -> Calendar {
        Calendar {
            weekday: self.weekday & other.weekday,
            month: self.month & other.month,
            day: self.day & other.day,
            minute: self.minute & other.minute,
        }
    }

    /// Whether `value` passes: its weekday, month and day (a date) or its
    /// minute (a time) are allowed, as jiff reads them.
    pub fn admits(&self, value: &Value) -> bool {
        let allows = |mask: u64, bit: i8| mask >> bit & 1 == 1;
        match value {
            Value::Date(date) => {
                allows(self.weekday, date.weekday().to_monday_one_offset())
                    && allows(self.month, date.month())
                    && allows(self.day, date.day())
            }
            Value::Time(time) => allows(self.minute, time.minute()),
            _ => true,
        }
    }

    /// How many consecutive grid points contain every pattern: 400 years
    /// of days (a whole number of weeks), or a day of times.
    pub fn period(scalar: Scalar) -> u128 {
        match scalar {
            Scalar::Date => 146_097,
            _ => Grid::DAY as u128,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_intersect_unite_and_complement() {
        let a = OrdSet::range(0, 10);
        let b = OrdSet::from_points([3, 5, 20]);
        assert_eq!(a.intersect(&b), OrdSet::from_points([3, 5]));
        let c = b.complement_in(&a);
        assert_eq!(c.intervals(), &[(0, 2), (4, 4), (6, 10)]);
        assert_eq!(c.size(), 9);
        assert_eq!(c.nearest(5), Some(4));
        assert_eq!(a.union(&OrdSet::range(11, 12)).intervals(), &[(0, 12)]);
        let walked: Vec<i128> = c.walk_from(8, 100).collect();
        assert_eq!(walked, vec![8, 9, 10, 0, 1, 2, 4, 6, 7]);
    }

    #[test]
    fn calendars_read_the_date_and_the_minute() {
        let date = |y, m, d| Value::Date(jiff::civil::date(y, m, d));
        let mondays = Calendar {
            weekday: 1 << 1,
            ..Calendar::ALL
        };
        assert!(mondays.admits(&date(2022, 1, 3)));
        assert!(!mondays.admits(&date(2022, 1, 4)));
        assert!(mondays.admits(&date(2022, 1, 10)));
        let leap_days = Calendar {
            month: 1 << 2,
            day: 1 << 29,
            ..Calendar::ALL
        };
        assert!(leap_days.admits(&date(2024, 2, 29)));
        assert!(!leap_days.admits(&date(2024, 3, 29)));
        assert!(!leap_days.admits(&date(2024, 2, 28)));
        let half_past = Calendar {
            minute: 1 << 30,
            ..Calendar::ALL
        };
        let time = |h, m, s| Value::Time(jiff::civil::time(h, m, s, 0));
        assert!(half_past.admits(&time(7, 30, 59)));
        assert!(!half_past.admits(&time(7, 31, 0)));
        assert!(half_past.admits(&Value::Int(7)));
    }
}
