//! Domains of the solver beyond `semantics::domain::IntervalSet` (which
//! holds a field's points on the sampling grid, `semantics::ordinal::Grid`:
//! `semantics::ordinal`'s encoding in steps of a second, a day,
//! `10^-decimals`; the decimal grid is one digit finer than the finest
//! decimal literal of the rules): a field's universe, a literal's step, and
//! calendar masks.

use crate::semantics::domain::IntervalSet;
use crate::semantics::ordinal::Grid;
use crate::semantics::value::{Scalar, Value};

/// All grid points (see [`Grid`]) a field of `scalar` can hold.
pub(crate) fn universe(grid: Grid, scalar: Scalar) -> IntervalSet {
    grid.bounds(scalar).map_or(IntervalSet::empty(), |(first, last)| {
        IntervalSet::range(first, last)
    })
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
