//! The one encoding of times, dates and durations as integers that order
//! as the values do: a time is nanoseconds since midnight, a date days
//! since 1970-01-01 (by jiff's calendar), a duration nanoseconds.
//!
//! Generated code holds these numbers in its slots and compares them with
//! Rust's operators, and the evaluator's flat tests of a time compare them
//! too: that is the language's comparison because the encoding is
//! order-preserving, which the tests below hold it to. Nothing else turns
//! a time, date or duration into a number.
//!
//! [`Grid`] is the resolution the sampler draws values at: not a second
//! encoding, a step over this one.

use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::value::{Scalar, Value};

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
const EPOCH: Date = Date::constant(1970, 1, 1);

/// A time of day as nanoseconds since midnight: comparing two is one
/// instruction, where `Time`'s own order compares field by field.
#[inline]
pub(crate) fn time(t: Time) -> i64 {
    let seconds = (i64::from(t.hour()) * 60 + i64::from(t.minute())) * 60 + i64::from(t.second());
    seconds * NANOS_PER_SECOND + i64::from(t.subsec_nanosecond())
}

/// The time whose [`time`] is `nanos`; `None` outside a day.
pub(crate) fn time_at(nanos: i64) -> Option<Time> {
    if !(0..SECONDS_PER_DAY * NANOS_PER_SECOND).contains(&nanos) {
        return None;
    }
    Time::midnight()
        .checked_add(SignedDuration::from_nanos(nanos))
        .ok()
}

/// A date as days since 1970-01-01 (negative before).
#[inline]
pub(crate) fn date(d: Date) -> i32 {
    // Whole days, of at most ±10,000 years: the quotient is exact and fits.
    (d.duration_since(EPOCH).as_secs() / SECONDS_PER_DAY) as i32
}

/// The date whose [`date`] is `days`; `None` outside jiff's calendar.
pub(crate) fn date_at(days: i32) -> Option<Date> {
    EPOCH
        .checked_add(SignedDuration::from_hours(i64::from(days) * 24))
        .ok()
}

/// A duration as nanoseconds.
#[inline]
pub(crate) fn duration(d: SignedDuration) -> i128 {
    d.as_nanos()
}

/// The duration of `nanos` nanoseconds; `None` past the longest duration.
pub(crate) fn duration_at(nanos: i128) -> Option<SignedDuration> {
    let seconds = i64::try_from(nanos / i128::from(NANOS_PER_SECOND)).ok()?;
    // Less than a second, of the sign of `seconds`: `new` has nothing to
    // carry into them, so it cannot overflow.
    let subsecond = i32::try_from(nanos % i128::from(NANOS_PER_SECOND)).ok()?;
    Some(SignedDuration::new(seconds, subsecond))
}

/// The ordinal of a value of an ordered type other than decimal and
/// string; a bool is 0 or 1 (bools are not ordered, but a set of them is
/// then a set of ordinals too).
pub(crate) fn of_value(value: &Value) -> Option<i128> {
    Some(match value {
        Value::Bool(b) => i128::from(*b),
        Value::Int(i) => i128::from(*i),
        Value::Time(t) => i128::from(time(*t)),
        Value::Date(d) => i128::from(date(*d)),
        Value::Duration(d) => duration(*d),
        Value::Decimal(_) | Value::String(_) | Value::List(_) | Value::Object => return None,
    })
}

/// The value of type `scalar` whose [`of_value`] is `point`; `None` when
/// there is none.
pub(crate) fn value_at(scalar: Scalar, point: i128) -> Option<Value> {
    Some(match scalar {
        Scalar::Bool => Value::Bool(point != 0),
        Scalar::Int => Value::Int(i64::try_from(point).ok()?),
        Scalar::Time => Value::Time(time_at(i64::try_from(point).ok()?)?),
        Scalar::Date => Value::Date(date_at(i32::try_from(point).ok()?)?),
        Scalar::Duration => Value::Duration(duration_at(point)?),
        Scalar::Decimal | Scalar::String => return None,
    })
}

/// The ordinals in one step of the [`Grid`] of `scalar` (a second for
/// times and durations, one for the rest but decimals): lint shows a value
/// on it where it can, as sample draws one.
pub(crate) const fn step(scalar: Scalar) -> i128 {
    match scalar {
        Scalar::Time | Scalar::Duration => STEP_NANOS as i128,
        _ => 1,
    }
}

/// The sampling grid of ordered values: a grid point is a value's
/// ordinal in steps of one second for a time or a duration (generated times
/// then read back from `HH:MM:SS` text), of one day for a date, of
/// `10^-decimals` for a decimal, of one for an int.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Grid {
    /// Decimal places of the decimal grid.
    pub decimals: u32,
}

/// Nanoseconds of one step of a time or duration.
const STEP_NANOS: i64 = NANOS_PER_SECOND;
/// Decimals stay within 15 significant digits, so that a JSON number
/// carries them exactly.
const DECIMAL_DIGITS: u32 = 15;
/// The longest duration drawn, in steps: 2^53 seconds, exact as a JSON
/// number.
const LONGEST_DURATION: i128 = 1 << 53;

impl Grid {
    /// Steps of a time or duration in a minute, an hour and a day.
    pub const MINUTE: i128 = (60 * NANOS_PER_SECOND / STEP_NANOS) as i128;
    pub const HOUR: i128 = 60 * Grid::MINUTE;
    pub const DAY: i128 = (SECONDS_PER_DAY * NANOS_PER_SECOND / STEP_NANOS) as i128;

    /// Steps of a decimal in one.
    pub fn per_unit(&self) -> i128 {
        10i128.pow(self.decimals)
    }

    /// The first and last grid points a value of `scalar` can be; `None`
    /// for a scalar that is not ordered.
    pub fn bounds(&self, scalar: Scalar) -> Option<(i128, i128)> {
        Some(match scalar {
            Scalar::Int => (i128::from(i64::MIN), i128::from(i64::MAX)),
            Scalar::Decimal => {
                let most = 10i128.pow(DECIMAL_DIGITS) - 1;
                (-most, most)
            }
            Scalar::Time => (0, Grid::DAY - 1),
            Scalar::Date => (
                i128::from(date(Date::constant(1, 1, 1))),
                i128::from(date(Date::constant(9999, 12, 31))),
            ),
            Scalar::Duration => (-LONGEST_DURATION, LONGEST_DURATION),
            Scalar::Bool | Scalar::String => return None,
        })
    }

    /// The grid point of `value` as a `scalar` (an int also as a decimal);
    /// `None` for a value between grid points or of another type.
    pub fn project(&self, value: &Value, scalar: Scalar) -> Option<i128> {
        let on_grid =
            |nanos: i128| (nanos % i128::from(STEP_NANOS) == 0).then(|| nanos / i128::from(STEP_NANOS));
        match (value, scalar) {
            (Value::Int(i), Scalar::Int) => Some(i128::from(*i)),
            (Value::Int(i), Scalar::Decimal) => i128::from(*i).checked_mul(self.per_unit()),
            (Value::Decimal(d), Scalar::Decimal) => {
                let d = d.normalize();
                let finer = self.decimals.checked_sub(d.scale())?;
                d.mantissa().checked_mul(10i128.pow(finer))
            }
            (Value::Time(t), Scalar::Time) => on_grid(i128::from(time(*t))),
            (Value::Date(d), Scalar::Date) => Some(i128::from(date(*d))),
            (Value::Duration(d), Scalar::Duration) => on_grid(duration(*d)),
            _ => None,
        }
    }

    /// The value of `scalar` at grid point `point`; `None` outside what
    /// the type holds.
    pub fn value_at(&self, point: i128, scalar: Scalar) -> Option<Value> {
        let nanos = || point.checked_mul(i128::from(STEP_NANOS));
        Some(match scalar {
            Scalar::Int => Value::Int(i64::try_from(point).ok()?),
            Scalar::Decimal => Value::Decimal(
                Decimal::try_from_i128_with_scale(point, self.decimals)
                    .ok()?
                    .normalize(),
            ),
            Scalar::Time => Value::Time(time_at(i64::try_from(nanos()?).ok()?)?),
            Scalar::Date => Value::Date(date_at(i32::try_from(point).ok()?)?),
            Scalar::Duration => Value::Duration(duration_at(nanos()?)?),
            Scalar::Bool | Scalar::String => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::cell::Cell;
    use super::*;

    #[test]
    fn grid_points_give_their_values_back_in_order() {
        let grid = Grid { decimals: 2 };
        for (value, scalar) in [
            (Value::Int(-5), Scalar::Int),
            (Value::Decimal(Decimal::new(75, 1)), Scalar::Decimal),
            (Value::Time(Time::constant(7, 30, 5, 0)), Scalar::Time),
            (Value::Date(Date::constant(2022, 3, 31)), Scalar::Date),
            (Value::Duration(SignedDuration::from_mins(-90)), Scalar::Duration),
        ] {
            let point = grid.project(&value, scalar).unwrap();
            assert_eq!(grid.value_at(point, scalar), Some(value.clone()));
            let next = grid.value_at(point + 1, scalar).unwrap();
            let order = super::super::compare::compare(&Cell::of_value(&next), &Cell::of_value(&value));
            assert_eq!(order, Some(std::cmp::Ordering::Greater), "{next:?} {value:?}");
            let (first, last) = grid.bounds(scalar).unwrap();
            assert!(first <= point && point <= last);
        }
        assert_eq!(grid.project(&Value::Int(3), Scalar::Decimal), Some(300));
        assert_eq!(
            grid.project(&Value::Time(Time::constant(8, 0, 0, 0)), Scalar::Time),
            Some(8 * Grid::HOUR)
        );
        assert_eq!(grid.project(&Value::Date(EPOCH), Scalar::Date), Some(0));
        // Between grid points.
        assert_eq!(
            grid.project(&Value::Decimal(Decimal::new(1, 3)), Scalar::Decimal),
            None
        );
        assert_eq!(
            grid.project(&Value::Time(Time::constant(8, 0, 0, 1)), Scalar::Time),
            None
        );
        assert_eq!(grid.value_at(Grid::DAY, Scalar::Time), None);
        let (_, last_day) = grid.bounds(Scalar::Date).unwrap();
        assert_eq!(
            grid.value_at(last_day, Scalar::Date),
            Some(Value::Date(Date::constant(9999, 12, 31)))
        );
    }

    #[test]
    fn the_encodings_order_as_the_values_do_and_give_them_back() {
        let times: Vec<Time> = [
            (0, 0, 0, 0),
            (0, 0, 0, 1),
            (7, 29, 59, 999_999_999),
            (7, 30, 0, 0),
            (7, 30, 1, 0),
            (12, 0, 0, 0),
            (23, 59, 59, 0),
            (23, 59, 59, 999_999_999),
        ]
        .into_iter()
        .map(|(h, m, s, n)| Time::constant(h, m, s, n))
        .collect();
        for a in &times {
            for b in &times {
                assert_eq!(time(*a).cmp(&time(*b)), a.cmp(b), "{a} {b}");
            }
            assert_eq!(time_at(time(*a)), Some(*a));
        }
        assert_eq!(time_at(-1), None);
        assert_eq!(time_at(SECONDS_PER_DAY * NANOS_PER_SECOND), None);

        let dates: Vec<Date> = [
            (-9999, 1, 1),
            (-1, 12, 31),
            (0, 1, 1),
            (1969, 12, 31),
            (1970, 1, 1),
            (2022, 2, 28),
            (2022, 3, 1),
            (2024, 2, 29),
            (2022, 12, 31),
            (9999, 12, 31),
        ]
        .into_iter()
        .map(|(y, m, d)| Date::constant(y, m, d))
        .collect();
        for a in &dates {
            for b in &dates {
                assert_eq!(date(*a).cmp(&date(*b)), a.cmp(b), "{a} {b}");
            }
            assert_eq!(date_at(date(*a)), Some(*a));
        }
        assert_eq!(date(Date::constant(1970, 1, 2)), 1);
        assert_eq!(date(Date::constant(1969, 12, 31)), -1);
        assert_eq!(date_at(i32::MAX), None);

        for d in [
            SignedDuration::MIN,
            SignedDuration::from_secs(-90),
            SignedDuration::ZERO,
            SignedDuration::from_nanos(1),
            SignedDuration::from_hours(8),
            SignedDuration::MAX,
        ] {
            assert_eq!(duration_at(duration(d)), Some(d));
        }
        assert_eq!(duration_at(duration(SignedDuration::MAX) + 1), None);
    }
}
