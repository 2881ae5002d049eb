// Each user of this module takes the part it needs.
#![allow(dead_code)]

//! The nine rules of `../shared/bench/workload.rules` written by hand, as a
//! developer would without civrules: serde derive into a struct of borrowed
//! fields and plain `if`s: the in-process equivalent that the benches put
//! beside civrules (the whole-process yardstick is
//! `../shared/bench/native_baseline`, see `benches/README.md`).
//!
//! It cuts corners civrules may not: no three-valued logic beyond "field
//! absent", no data errors, times compared by minutes after a split.

use serde::{Deserialize, Serialize};

/// The rule ids, in the workload's order.
pub const RULES: [&str; 9] = [
    "badge",
    "nameplate",
    "on_time",
    "no_early_leave",
    "full_hours",
    "dress",
    "work_plan",
    "procedures",
    "covid_mask",
];

#[derive(Deserialize)]
pub struct Observation<'a> {
    #[serde(borrow)]
    pub role: Option<&'a str>,
    pub date: Option<&'a str>,
    pub arrival: Option<&'a str>,
    pub departure: Option<&'a str>,
    pub hours_worked: Option<f64>,
    pub badge_worn: Option<bool>,
    pub nameplate: Option<bool>,
    pub dress: Option<&'a str>,
    pub work_plan_issued: Option<bool>,
    pub overdue_procedures: Option<i64>,
    pub mask_worn: Option<bool>,
}

/// The same record as a tool would hold it in memory.
#[derive(Clone, Serialize, Deserialize)]
pub struct OwnedObservation {
    pub employee_id: String,
    pub unit: String,
    pub role: String,
    pub date: String,
    pub arrival: String,
    pub departure: String,
    pub hours_worked: f64,
    pub badge_worn: bool,
    pub nameplate: bool,
    pub dress: String,
    pub work_plan_issued: bool,
    pub overdue_procedures: i64,
    pub mask_worn: bool,
}

/// `H:MM` or `HH:MM` as minutes since midnight.
#[inline]
fn minutes(time: &str) -> Option<u32> {
    let (h, m) = time.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 60 + m.get(..2)?.parse::<u32>().ok()?)
}

/// Whether each rule holds, in [`RULES`] order.
#[inline]
pub fn check(o: &Observation<'_>) -> [bool; 9] {
    [
        o.badge_worn == Some(true),
        o.nameplate == Some(true),
        o.arrival.and_then(minutes).is_some_and(|m| m <= 7 * 60 + 30),
        o.departure.and_then(minutes).is_some_and(|m| m >= 17 * 60),
        o.hours_worked.is_some_and(|h| h >= 8.0),
        o.role != Some("civil_servant") || matches!(o.dress, Some("uniform" | "formal")),
        o.work_plan_issued == Some(true),
        o.overdue_procedures.is_some_and(|n| n <= 0),
        o.date.is_none_or(|d| d > "2022-03-31") || o.mask_worn == Some(true),
    ]
}

/// [`check`] for a record held in memory.
#[inline]
pub fn check_owned(o: &OwnedObservation) -> [bool; 9] {
    check(&Observation {
        role: Some(&o.role),
        date: Some(&o.date),
        arrival: Some(&o.arrival),
        departure: Some(&o.departure),
        hours_worked: Some(o.hours_worked),
        badge_worn: Some(o.badge_worn),
        nameplate: Some(o.nameplate),
        dress: Some(&o.dress),
        work_plan_issued: Some(o.work_plan_issued),
        overdue_procedures: Some(o.overdue_procedures),
        mask_worn: Some(o.mask_worn),
    })
}
