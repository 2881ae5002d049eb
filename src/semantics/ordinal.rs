//! The one encoding of times, dates and durations as integers that order
//! as the values do: a time is nanoseconds since midnight, a date days
//! since 1970-01-01 (by jiff's calendar), a duration nanoseconds.
//!
//! Generated code holds these numbers in its slots and compares them with
//! Rust's operators, and the evaluator's flat tests of a time compare them
//! too: that is the language's comparison because the encoding is
//! order-preserving, which the tests below hold it to. Nothing else turns
//! a time, date or duration into a number.

use jiff::civil::{Date, Time};
use jiff::SignedDuration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
