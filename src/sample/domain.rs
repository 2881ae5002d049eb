//! Domains of the solver: ordered values as integers ("ordinals") and sets
//! of them as sorted, disjoint intervals.
//!
//! Ordinals: an int is itself; a decimal is a count of `10^-scale` steps (a
//! grid one digit finer than the finest decimal literal of the rules); a
//! time is seconds since midnight; a date is days since 1970-01-01; a
//! duration is seconds.

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;

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

/// How ordinals are scaled for one rule set.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scale {
    /// Decimal places of the decimal grid.
    pub decimals: u32,
}

/// Days from 0001-01-01 and to 9999-12-31, relative to 1970-01-01; seconds
/// in a day.
const DAY: i128 = 86_400;
/// Decimals stay within 15 significant digits, so that a JSON number
/// carries them exactly.
const DECIMAL_DIGITS: u32 = 15;

fn epoch() -> Date {
    Date::constant(1970, 1, 1)
}

impl Scale {
    pub fn pow10(&self) -> i128 {
        10i128.pow(self.decimals)
    }

    /// All ordinals that a field of `scalar` can hold.
    pub fn universe(&self, scalar: Scalar) -> OrdSet {
        match scalar {
            Scalar::Int => OrdSet::range(i64::MIN as i128, i64::MAX as i128),
            Scalar::Decimal => {
                let m = 10i128.pow(DECIMAL_DIGITS) - 1;
                OrdSet::range(-m, m)
            }
            Scalar::Time => OrdSet::range(0, DAY - 1),
            Scalar::Date => {
                let lo = date_ord(Date::constant(1, 1, 1));
                let hi = date_ord(Date::constant(9999, 12, 31));
                OrdSet::range(lo, hi)
            }
            Scalar::Duration => OrdSet::range(-(1 << 53), 1 << 53),
            Scalar::Bool | Scalar::String => OrdSet::empty(),
        }
    }

    /// The ordinal of a value of an ordered type (an int also as a decimal).
    pub fn ord_of(&self, value: &Value, scalar: Scalar) -> Option<i128> {
        match (value, scalar) {
            (Value::Int(i), Scalar::Int) => Some(*i as i128),
            (Value::Int(i), Scalar::Decimal) => (*i as i128).checked_mul(self.pow10()),
            (Value::Decimal(d), Scalar::Decimal) => {
                let d = d.normalize();
                if d.scale() > self.decimals {
                    return None;
                }
                d.mantissa().checked_mul(10i128.pow(self.decimals - d.scale()))
            }
            (Value::Time(t), Scalar::Time) => Some(time_ord(*t)),
            (Value::Date(d), Scalar::Date) => Some(date_ord(*d)),
            (Value::Duration(d), Scalar::Duration) => Some(d.as_secs() as i128),
            _ => None,
        }
    }

    /// The value of an ordinal.
    pub fn value_of(&self, ord: i128, scalar: Scalar) -> Option<Value> {
        Some(match scalar {
            Scalar::Int => Value::Int(i64::try_from(ord).ok()?),
            Scalar::Decimal => Value::Decimal(
                Decimal::try_from_i128_with_scale(ord, self.decimals)
                    .ok()?
                    .normalize(),
            ),
            Scalar::Time => {
                let s = i32::try_from(ord).ok().filter(|s| (0..86_400).contains(s))?;
                Value::Time(Time::new((s / 3600) as i8, (s / 60 % 60) as i8, (s % 60) as i8, 0).ok()?)
            }
            Scalar::Date => Value::Date(ord_date(ord)?),
            Scalar::Duration => Value::Duration(SignedDuration::from_secs(i64::try_from(ord).ok()?)),
            Scalar::Bool | Scalar::String => return None,
        })
    }

    /// The step next to a literal: a minute for a time or duration written
    /// in whole minutes (else a second), a day, one int, one unit in the
    /// last digit a decimal literal is written with.
    pub fn step(&self, literal: &Value, scalar: Scalar) -> i128 {
        match (literal, scalar) {
            (Value::Time(t), _) if t.second() == 0 => 60,
            (Value::Duration(d), _) if d.as_secs() % 60 == 0 => 60,
            (Value::Decimal(d), Scalar::Decimal) => {
                let places = d.scale().min(self.decimals);
                10i128.pow(self.decimals - places)
            }
            (Value::Int(_), Scalar::Decimal) => self.pow10(),
            _ => 1,
        }
    }
}

pub(crate) fn time_ord(t: Time) -> i128 {
    i128::from(t.hour()) * 3600 + i128::from(t.minute()) * 60 + i128::from(t.second())
}

pub(crate) fn date_ord(d: Date) -> i128 {
    i128::from(d.duration_since(epoch()).as_secs()) / DAY
}

pub(crate) fn ord_date(days: i128) -> Option<Date> {
    let secs = i64::try_from(days.checked_mul(DAY)?).ok()?;
    epoch().checked_add(SignedDuration::from_secs(secs)).ok()
}

/// Year, month, day and weekday (1 = Monday) of a day ordinal, without
/// building a date (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil(days: i128) -> (i128, u32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i128::from(m <= 2);
    // 1970-01-01 was a Thursday (4).
    let weekday = ((days + 3).rem_euclid(7) + 1) as u32;
    (y, m, d, weekday)
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

    /// Whether the ordinal of a `scalar` value passes.
    pub fn admits(&self, ord: i128, scalar: Scalar) -> bool {
        match scalar {
            Scalar::Date => {
                let (_, m, d, w) = civil(ord);
                self.weekday >> w & 1 == 1 && self.month >> m & 1 == 1 && self.day >> d & 1 == 1
            }
            Scalar::Time => {
                let minute = (ord / 60 % 60) as u32;
                self.minute >> minute & 1 == 1
            }
            _ => true,
        }
    }

    /// How many consecutive ordinals contain every pattern: 400 years of
    /// days (a whole number of weeks), or a day of seconds.
    pub fn period(scalar: Scalar) -> u128 {
        match scalar {
            Scalar::Date => 146_097,
            _ => 86_400,
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
    fn ordinals_round_trip() {
        let scale = Scale { decimals: 2 };
        for (value, scalar) in [
            (Value::Int(-5), Scalar::Int),
            (Value::Decimal(Decimal::new(75, 1)), Scalar::Decimal),
            (Value::Time(Time::constant(7, 30, 5, 0)), Scalar::Time),
            (Value::Date(Date::constant(2022, 3, 31)), Scalar::Date),
            (Value::Duration(SignedDuration::from_mins(90)), Scalar::Duration),
        ] {
            let ord = scale.ord_of(&value, scalar).unwrap();
            assert_eq!(scale.value_of(ord, scalar), Some(value));
        }
        assert_eq!(
            scale.ord_of(&Value::Decimal(Decimal::new(1, 3)), Scalar::Decimal),
            None
        );
    }

    #[test]
    fn civil_dates_agree_with_jiff() {
        for days in (-800_000..2_900_000).step_by(997) {
            let date = ord_date(days).unwrap();
            let (y, m, d, w) = civil(days);
            assert_eq!(y, i128::from(date.year()));
            assert_eq!(m, date.month() as u32);
            assert_eq!(d, date.day() as u32);
            assert_eq!(w, date.weekday().to_monday_one_offset() as u32);
        }
    }
}
