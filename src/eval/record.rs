//! Records into slots: JSON objects (nested objects reached by paths), CSV
//! rows, and any `serde::Serialize` value. A value that cannot be read as
//! its field's type becomes a data error in its slot.

use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::compile::{PathNode, Program, Schema};
use crate::value::{self, Scalar, Type, Value};

/// One slot of a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    /// Absent or `null`.
    Missing,
    Value(Value),
    /// The value could not be read as the field's type; says why.
    Error(String),
}

/// A record read into the slots of one [`Program`].
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub(crate) slots: Vec<Slot>,
}

impl Record {
    pub(crate) fn empty(schema: &Schema) -> Record {
        Record {
            slots: vec![Slot::Missing; schema.slots.len()],
        }
    }

    /// Reads a JSON object; `None` when `json` is not an object.
    pub(crate) fn from_json(program: &Program, json: &Json) -> Option<Record> {
        let object = json.as_object()?;
        let mut record = Record::empty(&program.schema);
        read_object(&program.schema, &program.schema.root, object, &mut record);
        Some(record)
    }

    /// Reads a CSV row whose cells are named by `header`.
    pub(crate) fn from_csv(program: &Program, columns: &[Option<usize>], row: &csv::StringRecord) -> Record {
        let mut record = Record::empty(&program.schema);
        for (cell, slot) in row.iter().zip(columns) {
            if let Some(slot) = slot {
                record.slots[*slot] = csv_cell(program.schema.slots[*slot].ty, cell);
            }
        }
        record
    }

    /// The slot of a field, by its dotted name.
    pub(crate) fn slot(&self, slot: usize) -> &Slot {
        &self.slots[slot]
    }
}

fn read_object(
    schema: &Schema,
    node: &PathNode,
    object: &serde_json::Map<String, Json>,
    record: &mut Record,
) {
    for (key, child) in &node.children {
        let Some(json) = object.get(key) else { continue };
        if let Some(slot) = child.slot {
            record.slots[slot] = json_value(schema.slots[slot].ty, json);
        }
        if let Json::Object(inner) = json {
            read_object(schema, child, inner, record);
        }
    }
}

fn describe(json: &Json) -> String {
    let text = json.to_string();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(40).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn not_a(json: &Json, what: &str) -> Slot {
    Slot::Error(format!("{} is not {what}", describe(json)))
}

/// A JSON value read as `ty` (or, with no type, as whatever it is).
pub(crate) fn json_value(ty: Option<Type>, json: &Json) -> Slot {
    if json.is_null() {
        return Slot::Missing;
    }
    match ty {
        None => Slot::Value(untyped_json(json)),
        Some(Type::Scalar(s)) => json_scalar(s, json),
        Some(Type::List(elem)) => match json {
            Json::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match json_scalar(elem, item) {
                        Slot::Value(v) => values.push(v),
                        _ => return not_a(json, &format!("a list of {} values", elem.name())),
                    }
                }
                Slot::Value(Value::List(values))
            }
            _ => not_a(json, "a list"),
        },
    }
}

fn json_scalar(scalar: Scalar, json: &Json) -> Slot {
    let text_as = |parse: fn(&str) -> Option<Value>, what: &str| match json {
        Json::String(s) => parse(s).map_or_else(|| not_a(json, what), Slot::Value),
        _ => not_a(json, what),
    };
    match scalar {
        Scalar::Bool => match json {
            Json::Bool(b) => Slot::Value(Value::Bool(*b)),
            _ => not_a(json, "true or false"),
        },
        Scalar::Int => match json {
            Json::Number(n) => match n.as_i64() {
                Some(i) => Slot::Value(Value::Int(i)),
                None if n.as_f64().is_some_and(|f| f.abs() < 9.2e18) => {
                    not_a(json, "an int (it is written with a fraction)")
                }
                None => not_a(json, "a 64-bit int (too large)"),
            },
            _ => not_a(json, "an int"),
        },
        Scalar::Decimal => match json {
            Json::Number(n) => json_decimal(n).map_or_else(
                || not_a(json, "a decimal (out of range)"),
                |d| Slot::Value(Value::Decimal(d)),
            ),
            _ => not_a(json, "a decimal"),
        },
        Scalar::String => match json {
            Json::String(s) => Slot::Value(Value::String(s.clone())),
            _ => not_a(json, "a string"),
        },
        Scalar::Time => text_as(
            |s| value::parse_time(s).map(Value::Time),
            "a time (HH:MM or HH:MM:SS)",
        ),
        Scalar::Date => text_as(|s| value::parse_date(s).map(Value::Date), "a date (YYYY-MM-DD)"),
        Scalar::Duration => text_as(
            |s| value::parse_duration(s).map(Value::Duration),
            "a duration (like 8h or 1h30m)",
        ),
    }
}

/// JSON numbers arrive as i64, u64 or f64; an f64 is taken at its shortest
/// decimal form (`7.99` stays `7.99`).
fn json_decimal(n: &serde_json::Number) -> Option<Decimal> {
    if let Some(i) = n.as_i64() {
        return Some(Decimal::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(Decimal::from(u));
    }
    let f = n.as_f64()?;
    value::parse_decimal(&format!("{f}"))
}

fn untyped_json(json: &Json) -> Value {
    match json {
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => json_decimal(n).map_or_else(|| Value::String(n.to_string()), Value::Decimal),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::List(items.iter().filter(|j| !j.is_null()).map(untyped_json).collect()),
        Json::Object(_) | Json::Null => Value::Object,
    }
}

/// A CSV cell read as `ty`; an empty cell is missing.
pub(crate) fn csv_cell(ty: Option<Type>, cell: &str) -> Slot {
    if cell.is_empty() {
        return Slot::Missing;
    }
    let trimmed = cell.trim();
    let not_a = |what: &str| {
        Slot::Error(format!(
            "\"{}\" is not {what}",
            cell.chars().take(40).collect::<String>()
        ))
    };
    let parsed = |v: Option<Value>, what: &str| v.map_or_else(|| not_a(what), Slot::Value);
    match ty {
        None => match trimmed {
            "true" => Slot::Value(Value::Bool(true)),
            "false" => Slot::Value(Value::Bool(false)),
            _ => Slot::Value(Value::String(cell.to_string())),
        },
        Some(Type::Scalar(scalar)) => match scalar {
            Scalar::Bool => match trimmed {
                "true" | "1" => Slot::Value(Value::Bool(true)),
                "false" | "0" => Slot::Value(Value::Bool(false)),
                _ => not_a("true, false, 1 or 0"),
            },
            Scalar::Int => parsed(trimmed.parse().ok().map(Value::Int), "an int"),
            Scalar::Decimal => parsed(value::parse_decimal(trimmed).map(Value::Decimal), "a decimal"),
            Scalar::String => Slot::Value(Value::String(cell.to_string())),
            Scalar::Time => parsed(
                value::parse_time(trimmed).map(Value::Time),
                "a time (HH:MM or HH:MM:SS)",
            ),
            Scalar::Date => parsed(value::parse_date(trimmed).map(Value::Date), "a date (YYYY-MM-DD)"),
            Scalar::Duration => parsed(
                value::parse_duration(trimmed).map(Value::Duration),
                "a duration (like 8h or 1h30m)",
            ),
        },
        // A list in a CSV cell is written as a JSON array.
        Some(list @ Type::List(_)) => match serde_json::from_str::<Json>(trimmed) {
            Ok(json) => json_value(Some(list), &json),
            Err(_) => not_a("a list (write it as a JSON array)"),
        },
    }
}
