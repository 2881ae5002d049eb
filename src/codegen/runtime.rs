//! What the code that [`super::rust`] generates calls: typed slots for a
//! record's fields, the serializer that fills them from a struct, and
//! three-valued logic.
//!
//! Generated code implements [`Generated`]; a [`crate::Checker`] runs it
//! with [`crate::Checker::check_serialize_with`]. Nothing here is meant to
//! be called by hand, but all of it is public because generated code,
//! compiled in the embedding crate, needs it.
//!
//! Every slot reads a value exactly as the interpreter's cells do
//! (`eval::record`), or says it cannot be sure: a data error, an object or
//! a list in a field, a map where a struct was expected, a value of a kind
//! generated code does not hold. The record then goes to the interpreter,
//! which decides it in full.

use std::fmt;

use serde::ser::{self, Serialize, Serializer};

use crate::eval;
use crate::semantics::value;

pub use rust_decimal::Decimal;
pub use serde;

/// Rules compiled to Rust: one struct of typed slots, the keys that fill
/// them, and the rules as plain code over them.
pub trait Generated: Default {
    /// The fingerprint of the code, as [`crate::Program::codegen_fingerprint`]
    /// gives it for the program the code was generated from.
    const FINGERPRINT: u64;

    /// Empties every slot, before a record is read.
    fn clear(&mut self);

    /// Reads the value of a top-level `key` into its slot, if the rules
    /// read it. `false` when the value cannot be decided here.
    fn field<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> bool;

    /// Calls `violated` with the index of each rule the record read last
    /// violates (a rule that applies and whose check is false or unknown).
    /// The record read last had no data error; `Err` when an operation
    /// failed (an evaluation error, or one generated code cannot hold),
    /// and the interpreter must decide the record, whatever was called.
    fn decide(&self, violated: impl FnMut(usize)) -> Result<(), Unsure>;
}

/// Reads `value` into `generated`'s slots: `false` when some part of the
/// record cannot be decided by generated code (it or an object on the way
/// to a field is not a struct, or a field holds a data error, an object or
/// a list), and the interpreter must check it.
#[inline]
pub fn read<G: Generated, T: Serialize + ?Sized>(generated: &mut G, value: &T) -> bool {
    generated.clear();
    value.serialize(Top(generated)).unwrap_or(false)
}

/// Why generated code gave a record back to the interpreter.
#[derive(Debug)]
pub struct Unsure;

impl fmt::Display for Unsure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value generated code does not decide")
    }
}

impl std::error::Error for Unsure {}

impl ser::Error for Unsure {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsure
    }
}

/// One field's value, as generated code holds it.
pub trait Slot {
    fn clear(&mut self);
    /// Each returns `false` for a value that is a data error for this
    /// slot, or one it does not hold.
    fn bool(&mut self, v: bool) -> bool;
    fn int(&mut self, v: i64) -> bool;
    fn uint(&mut self, v: u64) -> bool;
    fn float(&mut self, v: f64) -> bool;
    fn text(&mut self, v: &str) -> bool;
    /// Present and not null.
    fn present(&self) -> bool;
    /// Present, not null, not `false`, not `""`: for most kinds, present.
    #[inline]
    fn required(&self) -> bool {
        self.present()
    }
}

/// Slots that hold an `Option` of a value, `None` when missing.
macro_rules! option_slots {
    ($($(#[$doc:meta])* $name:ident($ty:ty);)*) => {
        $($(#[$doc])*
        #[derive(Debug, Default)]
        pub struct $name(Option<$ty>);

        impl $name {
            #[inline]
            pub fn get(&self) -> Option<$ty> {
                self.0
            }
        })*
    };
}

option_slots! {
    /// A `bool` field.
    BoolSlot(bool);
    /// An `int` field.
    IntSlot(i64);
    /// A `decimal` field.
    DecimalSlot(Decimal);
    /// A `time` field, as one number that orders as the time does.
    TimeSlot(i64);
    /// A `date` field, as one number that orders as the date does.
    DateSlot(i32);
    /// A `duration` field, in nanoseconds.
    DurationSlot(i64);
}

/// `clear` and `present` of an [`option_slots`] slot.
macro_rules! option_slot_state {
    () => {
        #[inline]
        fn clear(&mut self) {
            self.0 = None;
        }
        #[inline]
        fn present(&self) -> bool {
            self.0.is_some()
        }
    };
}

/// A `string` field, copied into a buffer kept from record to record.
#[derive(Debug, Default)]
pub struct TextSlot {
    present: bool,
    text: String,
}

impl TextSlot {
    #[inline]
    pub fn get(&self) -> Option<&str> {
        self.present.then_some(self.text.as_str())
    }
}

/// A field with no type (used only in `required`, `present`, `missing`,
/// messages, or as the key): only whether it is there, and empty.
#[derive(Debug, Default)]
pub struct AnySlot(Presence);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Presence {
    #[default]
    Missing,
    Empty,
    Filled,
}

/// A field of a type generated code does not hold (a list): any value
/// there sends the record to the interpreter.
#[derive(Debug, Default)]
pub struct OtherSlot;

macro_rules! refuse {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(#[inline]
        fn $method(&mut self, _: $ty) -> bool {
            false
        })*
    };
}

impl Slot for BoolSlot {
    option_slot_state!();
    #[inline]
    fn bool(&mut self, v: bool) -> bool {
        self.0 = Some(v);
        true
    }
    refuse!(int(i64), uint(u64), float(f64), text(&str));
    #[inline]
    fn required(&self) -> bool {
        self.0 == Some(true)
    }
}

impl Slot for IntSlot {
    option_slot_state!();
    #[inline]
    fn int(&mut self, v: i64) -> bool {
        self.0 = Some(v);
        true
    }
    #[inline]
    fn uint(&mut self, v: u64) -> bool {
        i64::try_from(v).is_ok_and(|v| self.int(v))
    }
    #[inline]
    fn float(&mut self, v: f64) -> bool {
        value::int_of_json_float(v).is_some_and(|v| self.int(v))
    }
    refuse!(bool(bool), text(&str));
}

impl Slot for DecimalSlot {
    option_slot_state!();
    #[inline]
    fn int(&mut self, v: i64) -> bool {
        self.0 = Some(Decimal::from(v));
        true
    }
    #[inline]
    fn uint(&mut self, v: u64) -> bool {
        self.0 = Some(Decimal::from(v));
        true
    }
    #[inline]
    fn float(&mut self, v: f64) -> bool {
        self.0 = crate::eval::shortest_decimal(v);
        self.0.is_some()
    }
    refuse!(bool(bool), text(&str));
}

impl Slot for TextSlot {
    #[inline]
    fn clear(&mut self) {
        self.present = false;
    }
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.text.clear();
        self.text.push_str(v);
        self.present = true;
        true
    }
    refuse!(bool(bool), int(i64), uint(u64), float(f64));
    #[inline]
    fn present(&self) -> bool {
        self.present
    }
    #[inline]
    fn required(&self) -> bool {
        self.present && !self.text.is_empty()
    }
}

impl Slot for TimeSlot {
    option_slot_state!();
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.0 = value::parse_time(v).map(value::time_order);
        self.0.is_some()
    }
    refuse!(bool(bool), int(i64), uint(u64), float(f64));
}

impl Slot for DateSlot {
    option_slot_state!();
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.0 = value::parse_date(v).map(value::date_order);
        self.0.is_some()
    }
    refuse!(bool(bool), int(i64), uint(u64), float(f64));
}

impl Slot for DurationSlot {
    option_slot_state!();
    /// A duration too long for 64 bits of nanoseconds (292 years) is left
    /// to the interpreter.
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.0 = value::parse_duration(v).and_then(|d| i64::try_from(d.as_nanos()).ok());
        self.0.is_some()
    }
    refuse!(bool(bool), int(i64), uint(u64), float(f64));
}

impl Slot for AnySlot {
    #[inline]
    fn clear(&mut self) {
        self.0 = Presence::Missing;
    }
    #[inline]
    fn bool(&mut self, v: bool) -> bool {
        self.0 = if v { Presence::Filled } else { Presence::Empty };
        true
    }
    #[inline]
    fn int(&mut self, _: i64) -> bool {
        self.0 = Presence::Filled;
        true
    }
    #[inline]
    fn uint(&mut self, _: u64) -> bool {
        self.0 = Presence::Filled;
        true
    }
    /// A float no decimal can hold (infinite, not a number, too large) is
    /// a data error, even in a field with no type.
    #[inline]
    fn float(&mut self, v: f64) -> bool {
        self.0 = Presence::Filled;
        crate::eval::shortest_decimal(v).is_some()
    }
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.0 = if v.is_empty() {
            Presence::Empty
        } else {
            Presence::Filled
        };
        true
    }
    #[inline]
    fn present(&self) -> bool {
        self.0 != Presence::Missing
    }
    #[inline]
    fn required(&self) -> bool {
        self.0 == Presence::Filled
    }
}

impl Slot for OtherSlot {
    #[inline]
    fn clear(&mut self) {}
    refuse!(bool(bool), int(i64), uint(u64), float(f64), text(&str));
    #[inline]
    fn present(&self) -> bool {
        false
    }
}

/// Reads one field's value into its slot: `false` when it cannot.
#[inline]
pub fn put<S: Slot, V: Serialize + ?Sized>(slot: &mut S, value: &V) -> bool {
    value.serialize(IntoSlot(slot)).unwrap_or(false)
}

/// The keys of a nested object the rules read, in generated code: one
/// type for each object on the way to nested fields.
pub trait Nested<R> {
    /// As [`Generated::field`], into the slots of `rules`.
    fn field<V: Serialize + ?Sized>(rules: &mut R, key: &str, value: &V) -> bool;
}

/// Reads a nested object, key by key, through `N`: `false` when it is not
/// a struct (a map, a list, a string), which the interpreter reads. A
/// missing or null object leaves its fields missing.
#[inline]
pub fn nest<R, N: Nested<R>, V: Serialize + ?Sized>(rules: &mut R, value: &V) -> bool {
    value
        .serialize(NestedValue::<R, N> {
            rules,
            keys: std::marker::PhantomData,
        })
        .unwrap_or(false)
}

/// Three-valued `and`: false wins over unknown.
#[inline]
pub fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Three-valued `or`: true wins over unknown.
#[inline]
pub fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// Three-valued `not`.
#[inline]
pub fn not(a: Option<bool>) -> Option<bool> {
    a.map(|a| !a)
}

/// `test` of two operands, unknown when either is missing.
#[inline]
pub fn both<A, B>(a: Option<A>, b: Option<B>, test: impl FnOnce(A, B) -> bool) -> Option<bool> {
    Some(test(a?, b?))
}

/// `f` of two operands, missing when either is.
#[inline]
pub fn zip<A, B, R>(a: Option<A>, b: Option<B>, f: impl FnOnce(A, B) -> R) -> Option<R> {
    Some(f(a?, b?))
}

const NANOS_PER_MINUTE: i64 = 60_000_000_000;

/// `hour(t)` of a time slot's number.
#[inline]
pub fn hour(time: i64) -> i64 {
    time / (60 * NANOS_PER_MINUTE)
}

/// `minute(t)` of a time slot's number.
#[inline]
pub fn minute(time: i64) -> i64 {
    time / NANOS_PER_MINUTE % 60
}

/// `year(d)` of a date slot's number.
#[inline]
pub fn year(date: i32) -> i64 {
    i64::from(value::date_order_parts(date).0)
}

/// `month(d)` of a date slot's number.
#[inline]
pub fn month(date: i32) -> i64 {
    i64::from(value::date_order_parts(date).1)
}

/// `day(d)` of a date slot's number.
#[inline]
pub fn day(date: i32) -> i64 {
    i64::from(value::date_order_parts(date).2)
}

/// `weekday(d)` of a date slot's number: 1 = Monday … 7 = Sunday.
/// `None` cannot happen for a number a slot holds.
#[inline]
pub fn weekday(date: i32) -> Option<i64> {
    Some(
        value::date_of_order(date)?
            .weekday()
            .to_monday_one_offset()
            .into(),
    )
}

/// `len(s)`: characters, not bytes.
#[inline]
pub fn char_count(text: &str) -> i64 {
    i64::try_from(text.chars().count()).unwrap_or(i64::MAX)
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

/// The type the checker gave an operation's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gives {
    Int,
    Decimal,
    Time,
    Date,
    Duration,
}

/// An operand of arithmetic, as the slots hold it (times, dates and
/// durations as their numbers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Operand {
    Int(i64),
    Decimal(Decimal),
    Time(i64),
    Date(i32),
    Duration(i64),
}

impl Operand {
    #[inline]
    pub fn int(self) -> Option<i64> {
        match self {
            Operand::Int(i) => Some(i),
            _ => None,
        }
    }
    #[inline]
    pub fn decimal(self) -> Option<Decimal> {
        match self {
            Operand::Decimal(d) => Some(d),
            _ => None,
        }
    }
    #[inline]
    pub fn time(self) -> Option<i64> {
        match self {
            Operand::Time(t) => Some(t),
            _ => None,
        }
    }
    #[inline]
    pub fn date(self) -> Option<i32> {
        match self {
            Operand::Date(d) => Some(d),
            _ => None,
        }
    }
    #[inline]
    pub fn duration(self) -> Option<i64> {
        match self {
            Operand::Duration(d) => Some(d),
            _ => None,
        }
    }

    fn evaluated(self) -> Option<eval::Operand> {
        Some(match self {
            Operand::Int(i) => eval::Operand::Int(i),
            Operand::Decimal(d) => eval::Operand::Decimal(d),
            Operand::Time(t) => eval::Operand::Time(value::time_of_order(t)?),
            Operand::Date(d) => eval::Operand::Date(value::date_of_order(d)?),
            Operand::Duration(d) => eval::Operand::Duration(jiff::SignedDuration::from_nanos(d)),
        })
    }

    fn held(o: eval::Operand) -> Option<Operand> {
        Some(match o {
            eval::Operand::Int(i) => Operand::Int(i),
            eval::Operand::Decimal(d) => Operand::Decimal(d),
            eval::Operand::Time(t) => Operand::Time(value::time_order(t)),
            eval::Operand::Date(d) => Operand::Date(value::date_order(d)),
            eval::Operand::Duration(d) => Operand::Duration(i64::try_from(d.as_nanos()).ok()?),
        })
    }
}

/// `a op b`, computed by the interpreter's own arithmetic: missing when an
/// operand is, `Err` for an evaluation error (overflow, division by zero,
/// a time past midnight, a date moved by part of a day), which only the
/// interpreter reports.
pub fn arith(
    op: Arith,
    gives: Gives,
    a: Option<Operand>,
    b: Option<Operand>,
) -> Result<Option<Operand>, Unsure> {
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(None);
    };
    let op = match op {
        Arith::Add => crate::semantics::ops::BinaryOp::Add,
        Arith::Sub => crate::semantics::ops::BinaryOp::Sub,
        Arith::Mul => crate::semantics::ops::BinaryOp::Mul,
        Arith::Div => crate::semantics::ops::BinaryOp::Div,
    };
    let result = match gives {
        Gives::Int => crate::Type::INT,
        Gives::Decimal => crate::Type::DECIMAL,
        Gives::Time => crate::Type::TIME,
        Gives::Date => crate::Type::DATE,
        Gives::Duration => crate::Type::DURATION,
    };
    let outcome = eval::arithmetic(
        op,
        result,
        a.evaluated().ok_or(Unsure)?,
        b.evaluated().ok_or(Unsure)?,
    );
    outcome.and_then(Operand::held).map(Some).ok_or(Unsure)
}

/// The record itself: a struct, or something generated code leaves to the
/// interpreter.
struct Top<'g, G>(&'g mut G);

/// A struct's fields.
struct Fields<'g, G> {
    generated: &'g mut G,
}

/// One field's value, into its slot.
struct IntoSlot<'s, S>(&'s mut S);

/// Serializer methods that end in `Unsure`: the value is not one
/// generated code decides.
macro_rules! unsure {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(#[inline]
        fn $method(self, $(_: $arg),*) -> Result<$ret, Unsure> {
            Err(Unsure)
        })*
    };
}

/// The compound serializers a value that is not decided here would need.
macro_rules! compound_types {
    ($ok:ty) => {
        type SerializeSeq = ser::Impossible<$ok, Unsure>;
        type SerializeTuple = ser::Impossible<$ok, Unsure>;
        type SerializeTupleStruct = ser::Impossible<$ok, Unsure>;
        type SerializeTupleVariant = ser::Impossible<$ok, Unsure>;
        type SerializeMap = ser::Impossible<$ok, Unsure>;
        type SerializeStructVariant = ser::Impossible<$ok, Unsure>;
    };
}

macro_rules! unsure_compounds {
    ($ok:ty) => {
        unsure! {
            serialize_bytes(&[u8]) -> $ok;
            serialize_seq(Option<usize>) -> ser::Impossible<$ok, Unsure>;
            serialize_tuple(usize) -> ser::Impossible<$ok, Unsure>;
            serialize_tuple_struct(&'static str, usize) -> ser::Impossible<$ok, Unsure>;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> ser::Impossible<$ok, Unsure>;
            serialize_map(Option<usize>) -> ser::Impossible<$ok, Unsure>;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> ser::Impossible<$ok, Unsure>;
        }
        #[inline]
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, Unsure> {
            Err(Unsure)
        }
    };
}

/// `Some(v)` and a newtype are their value.
macro_rules! see_through {
    () => {
        #[inline]
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Unsure> {
            value.serialize(self)
        }

        #[inline]
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<bool, Unsure> {
            value.serialize(self)
        }
    };
}

/// The scalar serializer methods of a value that must be a struct.
macro_rules! unsure_scalars {
    () => {
        unsure! {
            serialize_bool(bool) -> bool;
            serialize_i8(i8) -> bool;
            serialize_i16(i16) -> bool;
            serialize_i32(i32) -> bool;
            serialize_i64(i64) -> bool;
            serialize_u8(u8) -> bool;
            serialize_u16(u16) -> bool;
            serialize_u32(u32) -> bool;
            serialize_u64(u64) -> bool;
            serialize_f32(f32) -> bool;
            serialize_f64(f64) -> bool;
            serialize_char(char) -> bool;
            serialize_str(&str) -> bool;
            serialize_unit_variant(&'static str, u32, &'static str) -> bool;
        }
    };
}

impl<'g, G: Generated> Serializer for Top<'g, G> {
    type Ok = bool;
    type Error = Unsure;
    type SerializeStruct = Fields<'g, G>;
    compound_types!(bool);

    // A record that is not an object is an error entry, which the
    // interpreter writes.
    unsure_scalars!();
    unsure! {
        serialize_none() -> bool;
        serialize_unit() -> bool;
        serialize_unit_struct(&'static str) -> bool;
    }
    unsure_compounds!(bool);

    see_through!();

    #[inline]
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'g, G>, Unsure> {
        Ok(Fields { generated: self.0 })
    }
}

impl<G: Generated> ser::SerializeStruct for Fields<'_, G> {
    type Ok = bool;
    type Error = Unsure;

    #[inline]
    fn serialize_field<V: Serialize + ?Sized>(&mut self, key: &'static str, value: &V) -> Result<(), Unsure> {
        if self.generated.field(key, value) {
            Ok(())
        } else {
            Err(Unsure)
        }
    }

    #[inline]
    fn end(self) -> Result<bool, Unsure> {
        Ok(true)
    }
}

/// A nested object's value.
struct NestedValue<'r, R, N> {
    rules: &'r mut R,
    keys: std::marker::PhantomData<N>,
}

/// A nested struct's fields.
struct NestedFields<'r, R, N> {
    rules: &'r mut R,
    keys: std::marker::PhantomData<N>,
}

impl<'r, R, N: Nested<R>> Serializer for NestedValue<'r, R, N> {
    type Ok = bool;
    type Error = Unsure;
    type SerializeStruct = NestedFields<'r, R, N>;
    compound_types!(bool);

    unsure_scalars!();
    unsure_compounds!(bool);

    #[inline]
    fn serialize_none(self) -> Result<bool, Unsure> {
        Ok(true)
    }

    #[inline]
    fn serialize_unit(self) -> Result<bool, Unsure> {
        Ok(true)
    }

    #[inline]
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Unsure> {
        Ok(true)
    }

    see_through!();

    #[inline]
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<NestedFields<'r, R, N>, Unsure> {
        Ok(NestedFields {
            rules: self.rules,
            keys: std::marker::PhantomData,
        })
    }
}

impl<R, N: Nested<R>> ser::SerializeStruct for NestedFields<'_, R, N> {
    type Ok = bool;
    type Error = Unsure;

    #[inline]
    fn serialize_field<V: Serialize + ?Sized>(&mut self, key: &'static str, value: &V) -> Result<(), Unsure> {
        if N::field(self.rules, key, value) {
            Ok(())
        } else {
            Err(Unsure)
        }
    }

    #[inline]
    fn end(self) -> Result<bool, Unsure> {
        Ok(true)
    }
}

/// Narrow numbers read as their wide kind, as the interpreter does.
macro_rules! widen {
    ($($method:ident($ty:ty) => $slot:ident),* $(,)?) => {
        $(#[inline]
        fn $method(self, v: $ty) -> Result<bool, Unsure> {
            Ok(self.0.$slot(v.into()))
        })*
    };
}

impl<S: Slot> Serializer for IntoSlot<'_, S> {
    type Ok = bool;
    type Error = Unsure;
    type SerializeStruct = ser::Impossible<bool, Unsure>;
    compound_types!(bool);

    widen! {
        serialize_bool(bool) => bool,
        serialize_i8(i8) => int, serialize_i16(i16) => int, serialize_i32(i32) => int, serialize_i64(i64) => int,
        serialize_u8(u8) => int, serialize_u16(u16) => int, serialize_u32(u32) => int, serialize_u64(u64) => uint,
        serialize_f32(f32) => float, serialize_f64(f64) => float,
    }

    #[inline]
    fn serialize_char(self, v: char) -> Result<bool, Unsure> {
        Ok(self.0.text(v.encode_utf8(&mut [0; 4])))
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<bool, Unsure> {
        Ok(self.0.text(v))
    }

    /// As serde_json does: a unit variant is its name.
    #[inline]
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<bool, Unsure> {
        Ok(self.0.text(variant))
    }

    #[inline]
    fn serialize_none(self) -> Result<bool, Unsure> {
        self.0.clear();
        Ok(true)
    }

    #[inline]
    fn serialize_unit(self) -> Result<bool, Unsure> {
        self.serialize_none()
    }

    #[inline]
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Unsure> {
        self.serialize_none()
    }

    see_through!();

    unsure_compounds!(bool);

    #[inline]
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsure> {
        Err(Unsure)
    }
}
