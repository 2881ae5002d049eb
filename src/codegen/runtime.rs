//! What the code that [`super::rust`] generates calls: typed slots for a
//! record's fields, the serializer that fills them from a struct, and the
//! language's logic, arithmetic and functions, which are `semantics`'
//! (slots hold times, dates and durations as `semantics::ordinal` encodes
//! them, so that generated code compares them as integers).
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

use std::borrow::Cow;
use std::fmt;

use serde::ser::{self, Serialize, Serializer};

use crate::semantics::arith;
use crate::semantics::cell::Cell;
pub use crate::semantics::functions::Builtin;
use crate::semantics::functions::{self, Function};
use crate::semantics::logic::{self, Kleene};
use crate::semantics::ordinal;
use crate::semantics::value;
use crate::Type;

pub use crate::semantics::ops::BinaryOp;
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
    /// A `time` field, as its `ordinal::time` (nanoseconds since midnight).
    TimeSlot(i64);
    /// A `date` field, as its `ordinal::date` (days since 1970-01-01).
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
        self.0.is_some_and(|b| logic::required(&Cell::Bool(b)))
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
        self.0 = value::shortest_decimal(v);
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
        self.present && logic::required(&Cell::String(Cow::Borrowed(&self.text)))
    }
}

impl Slot for TimeSlot {
    option_slot_state!();
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.0 = value::parse_time(v).map(ordinal::time);
        self.0.is_some()
    }
    refuse!(bool(bool), int(i64), uint(u64), float(f64));
}

impl Slot for DateSlot {
    option_slot_state!();
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.0 = value::parse_date(v).map(ordinal::date);
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
        self.0 = value::parse_duration(v).and_then(|d| i64::try_from(ordinal::duration(d)).ok());
        self.0.is_some()
    }
    refuse!(bool(bool), int(i64), uint(u64), float(f64));
}

impl Presence {
    /// What `required` and `present` make of the cell the interpreter
    /// reads the same value as.
    #[inline]
    fn of(cell: &Cell<'_>) -> Presence {
        if logic::required(cell) {
            Presence::Filled
        } else if logic::present(cell) {
            Presence::Empty
        } else {
            Presence::Missing
        }
    }
}

impl Slot for AnySlot {
    #[inline]
    fn clear(&mut self) {
        self.0 = Presence::Missing;
    }
    #[inline]
    fn bool(&mut self, v: bool) -> bool {
        self.0 = Presence::of(&Cell::Bool(v));
        true
    }
    #[inline]
    fn int(&mut self, v: i64) -> bool {
        self.0 = Presence::of(&Cell::Int(v));
        true
    }
    #[inline]
    fn uint(&mut self, v: u64) -> bool {
        self.0 = Presence::of(&match i64::try_from(v) {
            Ok(v) => Cell::Int(v),
            Err(_) => Cell::Decimal(Decimal::from(v)),
        });
        true
    }
    /// A float no decimal can hold (infinite, not a number, too large) is
    /// a data error, even in a field with no type.
    #[inline]
    fn float(&mut self, v: f64) -> bool {
        match value::shortest_decimal(v) {
            Some(d) => {
                self.0 = Presence::of(&Cell::Decimal(d));
                true
            }
            None => false,
        }
    }
    #[inline]
    fn text(&mut self, v: &str) -> bool {
        self.0 = Presence::of(&Cell::String(Cow::Borrowed(v)));
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

/// Three-valued `and`.
#[inline]
pub fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    Kleene::from(a).and(Kleene::from(b)).into()
}

/// Three-valued `or`.
#[inline]
pub fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    Kleene::from(a).or(Kleene::from(b)).into()
}

/// Three-valued `not`.
#[inline]
pub fn not(a: Option<bool>) -> Option<bool> {
    Kleene::from(a).not().into()
}

/// `test` of two operands, unknown when either is missing: a comparison
/// of two values as slots hold them.
#[inline]
pub fn both<A, B>(a: Option<A>, b: Option<B>, test: impl FnOnce(A, B) -> bool) -> Option<bool> {
    Some(test(a?, b?))
}

/// A kind of value generated code computes with, as its slots hold it:
/// the cell it stands for, and back.
pub trait Kind {
    /// What a slot of the kind holds.
    type Held: Copy;
    /// The language's type of the kind.
    const TYPE: Type;
    /// The cell `held` stands for; `None` for a number no value has.
    fn cell(held: Self::Held) -> Option<Cell<'static>>;
    /// What a slot holds for `cell`; `None` for a cell of another kind,
    /// or one a slot cannot hold (a duration of more than 292 years).
    fn held(cell: &Cell<'_>) -> Option<Self::Held>;
}

/// The kinds of [`Kind`]: each language type generated code computes
/// with, what its slots hold, and how that turns into a cell and back.
macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident($held:ty) = $ty:expr,
        |$h:ident| $to_cell:expr, |$c:ident| $to_held:expr;)*) => {
        /// The kinds of [`Kind`].
        pub mod kind {
            $($(#[$doc])* pub struct $kind;)*
        }

        $(impl Kind for kind::$kind {
            type Held = $held;
            const TYPE: Type = $ty;
            #[inline]
            fn cell($h: $held) -> Option<Cell<'static>> {
                $to_cell
            }
            #[inline]
            fn held($c: &Cell<'_>) -> Option<$held> {
                match $c {
                    Cell::$kind($c) => $to_held,
                    _ => None,
                }
            }
        })*
    };
}

kinds! {
    /// A `bool`.
    Bool(bool) = Type::BOOL, |held| Some(Cell::Bool(held)), |cell| Some(*cell);
    /// An `int`.
    Int(i64) = Type::INT, |held| Some(Cell::Int(held)), |cell| Some(*cell);
    /// A `decimal`.
    Decimal(Decimal) = Type::DECIMAL, |held| Some(Cell::Decimal(held)), |cell| Some(*cell);
    /// A `time`, as its `ordinal::time`.
    Time(i64) = Type::TIME, |held| ordinal::time_at(held).map(Cell::Time), |cell| Some(ordinal::time(*cell));
    /// A `date`, as its `ordinal::date`.
    Date(i32) = Type::DATE, |held| ordinal::date_at(held).map(Cell::Date), |cell| Some(ordinal::date(*cell));
    /// A `duration`, in nanoseconds.
    Duration(i64) = Type::DURATION,
        |held| ordinal::duration_at(i128::from(held)).map(Cell::Duration),
        |cell| i64::try_from(ordinal::duration(*cell)).ok();
}

/// `a op b` of kinds `A` and `B`, giving kind `R` (the type the checker
/// gave the operation), computed by `semantics::arith`: missing when an
/// operand is, `Err` for an evaluation error (overflow, division by zero,
/// a time past midnight, a date moved by part of a day) or a result a
/// slot cannot hold, which only the interpreter reports.
pub fn arith<A: Kind, B: Kind, R: Kind>(
    op: BinaryOp,
    a: Option<A::Held>,
    b: Option<B::Held>,
) -> Result<Option<R::Held>, Unsure> {
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(None);
    };
    let (a, b) = (A::cell(a).ok_or(Unsure)?, B::cell(b).ok_or(Unsure)?);
    let result = arith::apply(op, R::TYPE, &a, &b).map_err(|_| Unsure)?;
    R::held(&result).map(Some).ok_or(Unsure)
}

/// A value of kind `K`, as a function's argument.
#[inline]
pub fn value<K: Kind>(held: Option<K::Held>) -> Option<Cell<'static>> {
    K::cell(held?)
}

/// A text, as a function's argument.
#[inline]
pub fn text(text: Option<&str>) -> Option<Cell<'_>> {
    Some(Cell::String(Cow::Borrowed(text?)))
}

/// `builtin(arguments)`, a value of kind `R` (the type its signature
/// gives), computed by `semantics::functions`: missing when an argument
/// is, `Err` for an evaluation error or a result of another kind, which
/// only the interpreter reports.
#[inline]
pub fn call<'a, R: Kind, const N: usize>(
    builtin: Builtin,
    arguments: [Option<Cell<'a>>; N],
) -> Result<Option<R::Held>, Unsure> {
    if arguments.iter().any(Option::is_none) {
        return Ok(None);
    }
    let cells = arguments.map(|argument| argument.unwrap_or(Cell::Missing));
    let function = Function {
        builtin,
        pattern: None,
    };
    match functions::apply(&function, &cells) {
        Ok(Some(result)) => R::held(&result).map(Some).ok_or(Unsure),
        Ok(None) => Ok(None),
        Err(_) => Err(Unsure),
    }
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
