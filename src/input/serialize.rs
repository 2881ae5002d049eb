//! Records from any `serde::Serialize` value — a tool's own struct — read
//! straight into cells, without JSON text or `serde_json::Value` between.
//!
//! Keys are looked up among the keys the rules use, values of other keys
//! are never visited, and the cells are kept from record to record: a
//! string is copied into the buffer of the string its cell held before, so
//! a steady stream of records allocates nothing (but for lists of strings).

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::ser::{self, Impossible, Serialize, Serializer};

use super::json::{
    decimal_from_raw, from_bool, from_f64, from_i64, from_typed_str, from_u64, sweep_unwritten, Cells, Shape,
};
use crate::compile::{PathNode, Schema, Slot};
use crate::semantics::cell::Cell;
use crate::semantics::value::{Scalar, Type};

/// Why a value could not be read as a record: its `Serialize` impl failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the record could not be serialized: {0}")]
// Every serializer method returns a `Result` of this: with a boxed `str`
// (two words, not a `String`'s three) it comes back in registers.
pub struct SerializeError(Box<str>);

impl ser::Error for SerializeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerializeError(msg.to_string().into())
    }
}

/// What reading records from Rust values keeps from one record to the
/// next, for the schema `'s`.
#[derive(Debug, Default)]
pub(crate) struct SerializeScratch<'s> {
    /// The number of the record being read, counted from 1.
    record: u64,
    /// The number of the record that last wrote each slot: what an earlier
    /// record left in a slot this one does not write is missing.
    written: Vec<u64>,
    keys: Keys<'s>,
}

/// How a record's keys are looked up.
#[derive(Debug, Default)]
struct Keys<'s> {
    /// A map key, while it is looked up.
    text: String,
    memo: KeyMemo<'s>,
}

/// The struct keys of the records read before, in the order met, and where
/// each led. Records of one type give the same `&'static str` keys in the
/// same order, so a key that is the very one met at its position last time
/// (same address and length, hence same text) needs no lookup. Keys of
/// another type, or after a skipped field, cost only the lookup a memo
/// would not have saved.
#[derive(Debug, Default)]
struct KeyMemo<'s> {
    seen: Vec<SeenKey<'s>>,
    /// Position of the next struct key in the record.
    next: usize,
}

#[derive(Debug)]
struct SeenKey<'s> {
    object: &'s PathNode,
    key: &'static str,
    child: Option<&'s PathNode>,
}

/// Keys beyond this position are looked up each time, so that the memo of
/// records of many nested structs stays small.
const KEY_MEMO_LIMIT: usize = 1024;

impl<'s> KeyMemo<'s> {
    #[inline]
    fn child(&mut self, object: &'s PathNode, key: &'static str) -> Option<&'s PathNode> {
        let at = self.next;
        self.next += 1;
        match self.seen.get(at) {
            Some(seen) if std::ptr::eq(seen.object, object) && std::ptr::eq(seen.key, key) => seen.child,
            _ => self.look_up(at, object, key),
        }
    }

    /// Kept out of line: the memo's point is that this is rare.
    #[cold]
    #[inline(never)]
    fn look_up(&mut self, at: usize, object: &'s PathNode, key: &'static str) -> Option<&'s PathNode> {
        let child = object.child(key);
        let seen = SeenKey { object, key, child };
        if let Some(earlier) = self.seen.get_mut(at) {
            *earlier = seen;
        } else if at == self.seen.len() && at < KEY_MEMO_LIMIT {
            self.seen.push(seen);
        }
        child
    }
}

/// A key of an object inside a list, which has no memo. Kept out of line,
/// so as not to weigh on the code of every struct field.
#[cold]
#[inline(never)]
fn child_in_list<'s>(object: &'s PathNode, key: &str) -> Option<&'s PathNode> {
    object.child(key)
}

/// Reads `value` into `cells`, one per slot: the cells of the record read
/// before with the same `scratch`, or none.
pub(crate) fn read_serialize<'s, T: Serialize + ?Sized>(
    value: &T,
    schema: &'s Schema,
    cells: &mut Vec<Cell<'static>>,
    scratch: &mut SerializeScratch<'s>,
) -> Result<Shape, SerializeError> {
    let slots = schema.slots.len();
    cells.resize_with(slots, || Cell::Missing);
    scratch.written.resize(slots, 0);
    scratch.record += 1;
    scratch.keys.memo.next = 0;
    let read = value.serialize(Top(&mut Writer {
        schema,
        cells: Cells::over(cells, &mut scratch.written, scratch.record),
        keys: Some(&mut scratch.keys),
    }));
    sweep_unwritten(cells, &scratch.written, scratch.record);
    read
}

struct Writer<'s, 'c> {
    schema: &'s Schema,
    cells: Cells<'c, 'static>,
    /// `None` for the elements of a list, whose strings the list's cell owns.
    keys: Option<&'c mut Keys<'s>>,
}

impl<'s, 'c> Writer<'s, 'c> {
    /// The node of a struct's `key`, if the rules read it.
    #[inline]
    fn struct_child(&mut self, object: &'s PathNode, key: &'static str) -> Option<&'s PathNode> {
        match self.keys.as_deref_mut() {
            Some(keys) => keys.memo.child(object, key),
            None => child_in_list(object, key),
        }
    }

    /// The value of a key, into its node if the rules read it.
    fn field<T: Serialize + ?Sized>(
        &mut self,
        node: Option<&'s PathNode>,
        value: &T,
    ) -> Result<(), SerializeError> {
        match node {
            Some(node) => value.serialize(Field { w: self, node }),
            None => Ok(()),
        }
    }

    /// Puts `cell` in `slot`.
    #[inline]
    fn put(&mut self, slot: Slot, cell: Cell<'static>) {
        self.cells.put(slot, cell);
    }

    /// A string cell, in the buffer of the string the cell held if any.
    fn put_text(&mut self, slot: Slot, text: &str) {
        self.cells.stamp(slot);
        match &mut self.cells.cells[slot] {
            Cell::String(Cow::Owned(buffer)) => {
                buffer.clear();
                buffer.push_str(text);
            }
            cell => *cell = Cell::String(Cow::Owned(text.to_owned())),
        }
    }
}

/// The record itself: an object (struct or map), or not a record.
struct Top<'w, 's, 'c>(&'w mut Writer<'s, 'c>);

macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*) => $kind:expr;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Shape, SerializeError> {
            Ok(Shape::Other($kind))
        })*
    };
}

impl<'w, 's, 'c> Serializer for Top<'w, 's, 'c> {
    type Ok = Shape;
    type Error = SerializeError;
    type SerializeSeq = Skip<Shape>;
    type SerializeTuple = Skip<Shape>;
    type SerializeTupleStruct = Skip<Shape>;
    type SerializeTupleVariant = Skip<Shape>;
    type SerializeMap = Object<'w, 's, 'c, Shape>;
    type SerializeStruct = Object<'w, 's, 'c, Shape>;
    type SerializeStructVariant = Skip<Shape>;

    not_an_object! {
        serialize_bool(bool) => "a boolean";
        serialize_i8(i8) => "a number";
        serialize_i16(i16) => "a number";
        serialize_i32(i32) => "a number";
        serialize_i64(i64) => "a number";
        serialize_u8(u8) => "a number";
        serialize_u16(u16) => "a number";
        serialize_u32(u32) => "a number";
        serialize_u64(u64) => "a number";
        serialize_f32(f32) => "a number";
        serialize_f64(f64) => "a number";
        serialize_char(char) => "a string";
        serialize_str(&str) => "a string";
        serialize_bytes(&[u8]) => "an array";
        serialize_none() => "null";
        serialize_unit() => "null";
        serialize_unit_struct(&'static str) => "null";
        serialize_unit_variant(&'static str, u32, &'static str) => "a string";
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Shape, SerializeError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Shape, SerializeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Shape, SerializeError> {
        Ok(Shape::Other("an enum variant"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Skip<Shape>, SerializeError> {
        Ok(Skip(Shape::Other("an array")))
    }

    fn serialize_tuple(self, _: usize) -> Result<Skip<Shape>, SerializeError> {
        Ok(Skip(Shape::Other("an array")))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Skip<Shape>, SerializeError> {
        Ok(Skip(Shape::Other("an array")))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Skip<Shape>, SerializeError> {
        Ok(Skip(Shape::Other("an enum variant")))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Object<'w, 's, 'c, Shape>, SerializeError> {
        let node = &self.0.schema.root;
        Ok(Object::new(self.0, node, Shape::Object))
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Object<'w, 's, 'c, Shape>, SerializeError> {
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Skip<Shape>, SerializeError> {
        Ok(Skip(Shape::Other("an enum variant")))
    }
}

/// A compound value whose parts do not matter: it ends as `T`.
struct Skip<T>(T);

macro_rules! skip_compound {
    ($($trait:ident: $($method:ident),*;)*) => {
        $(impl<T> ser::$trait for Skip<T> {
            type Ok = T;
            type Error = SerializeError;
            $(fn $method<V: Serialize + ?Sized>(&mut self, _: &V) -> Result<(), SerializeError> {
                Ok(())
            })*
            fn end(self) -> Result<T, SerializeError> {
                Ok(self.0)
            }
        })*
    };
}

skip_compound! {
    SerializeSeq: serialize_element;
    SerializeTuple: serialize_element;
    SerializeTupleStruct: serialize_field;
    SerializeTupleVariant: serialize_field;
}

impl<T> ser::SerializeStructVariant for Skip<T> {
    type Ok = T;
    type Error = SerializeError;
    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        _: &V,
    ) -> Result<(), SerializeError> {
        Ok(())
    }
    fn end(self) -> Result<T, SerializeError> {
        Ok(self.0)
    }
}

/// An object: its keys the rules read go to their cells.
struct Object<'w, 's, 'c, T> {
    w: &'w mut Writer<'s, 'c>,
    node: &'s PathNode,
    /// Where a map entry's key leads, between `serialize_key` and
    /// `serialize_value`.
    key_node: Option<&'s PathNode>,
    done: T,
}

impl<'w, 's, 'c, T> Object<'w, 's, 'c, T> {
    fn new(w: &'w mut Writer<'s, 'c>, node: &'s PathNode, done: T) -> Self {
        Object {
            w,
            node,
            key_node: None,
            done,
        }
    }
}

impl<T> ser::SerializeStruct for Object<'_, '_, '_, T> {
    type Ok = T;
    type Error = SerializeError;

    #[inline]
    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), SerializeError> {
        let node = self.w.struct_child(self.node, key);
        self.w.field(node, value)
    }

    fn end(self) -> Result<T, SerializeError> {
        Ok(self.done)
    }
}

impl<T> ser::SerializeMap for Object<'_, '_, '_, T> {
    type Ok = T;
    type Error = SerializeError;

    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), SerializeError> {
        // A key that is not text names no field, nor does any key of an
        // object the rules read nothing from.
        self.key_node = None;
        let object = self.node;
        if object.children.is_empty() {
            return Ok(());
        }
        // The key's text goes in the scratch's buffer; a list's elements
        // have none, and use one of their own.
        let mut own = String::new();
        let text = match self.w.keys.as_deref_mut() {
            Some(keys) => &mut keys.text,
            None => &mut own,
        };
        text.clear();
        if key.serialize(KeyText(text)).is_ok() {
            self.key_node = object.child(text);
        }
        Ok(())
    }

    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), SerializeError> {
        let node = self.key_node.take();
        self.w.field(node, value)
    }

    fn end(self) -> Result<T, SerializeError> {
        Ok(self.done)
    }
}

/// The value of one key the rules use.
struct Field<'w, 's, 'c> {
    w: &'w mut Writer<'s, 'c>,
    node: &'s PathNode,
}

impl Field<'_, '_, '_> {
    fn set(self, make: impl FnOnce(Option<Type>) -> Cell<'static>) -> Result<(), SerializeError> {
        if let Some(slot) = self.node.slot {
            let ty = self.w.schema.slots[slot].ty;
            self.w.put(slot, make(ty));
        }
        Ok(())
    }
}

/// Narrow numbers read as their wide kind.
macro_rules! widened {
    ($($method:ident($ty:ty) => $wide:ident),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), SerializeError> {
            self.$wide(v.into())
        })*
    };
}

impl<'w, 's, 'c> Serializer for Field<'w, 's, 'c> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = List<'w, 's, 'c>;
    type SerializeTuple = List<'w, 's, 'c>;
    type SerializeTupleStruct = List<'w, 's, 'c>;
    type SerializeTupleVariant = Skip<()>;
    type SerializeMap = Nested<'w, 's, 'c>;
    type SerializeStruct = Nested<'w, 's, 'c>;
    type SerializeStructVariant = Skip<()>;

    widened! {
        serialize_i8(i8) => serialize_i64, serialize_i16(i16) => serialize_i64,
        serialize_i32(i32) => serialize_i64, serialize_u8(u8) => serialize_i64,
        serialize_u16(u16) => serialize_i64, serialize_u32(u32) => serialize_i64,
        serialize_f32(f32) => serialize_f64,
    }
    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.set(|ty| from_bool(ty, v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerializeError> {
        self.set(|ty| from_i64(ty, v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerializeError> {
        self.set(|ty| from_u64(ty, v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerializeError> {
        self.set(|ty| from_f64(ty, v))
    }
    fn serialize_char(self, v: char) -> Result<(), SerializeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    /// Text: a string, or parsed as its field's type.
    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        if let Some(slot) = self.node.slot {
            match self.w.schema.slots[slot].ty {
                None | Some(Type::STRING) => self.w.put_text(slot, v),
                Some(ty) => self.w.put(slot, from_typed_str(ty, v)),
            }
        }
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerializeError> {
        use ser::SerializeSeq;
        let mut list = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            list.serialize_element(byte)?;
        }
        list.end()
    }
    fn serialize_none(self) -> Result<(), SerializeError> {
        self.set(|_| Cell::Missing)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerializeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), SerializeError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), SerializeError> {
        self.serialize_none()
    }
    /// As serde_json does: a unit variant is its name.
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), SerializeError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), SerializeError> {
        self.set(object_cell)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<List<'w, 's, 'c>, SerializeError> {
        Ok(List {
            field: self,
            items: Vec::new(),
            bad: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<List<'w, 's, 'c>, SerializeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<List<'w, 's, 'c>, SerializeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Skip<()>, SerializeError> {
        self.set(object_cell)?;
        Ok(Skip(()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Nested<'w, 's, 'c>, SerializeError> {
        Ok(Nested {
            slot: self.node.slot,
            object: Object::new(self.w, self.node, ()),
            raw: false,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Nested<'w, 's, 'c>, SerializeError> {
        let mut nested = self.serialize_map(None)?;
        nested.raw = name == RAW_VALUE_TOKEN;
        Ok(nested)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Skip<()>, SerializeError> {
        self.set(object_cell)?;
        Ok(Skip(()))
    }
}

fn object_cell(ty: Option<Type>) -> Cell<'static> {
    match ty {
        None => Cell::Object,
        Some(ty) => Cell::Error(format!("an object is not {}", super::json::describe_type(ty))),
    }
}

/// The name of the struct that serde_json's `RawValue` serializes as (a
/// decimal [`crate::Value`] is one, for its exact digits); its one field is
/// JSON text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// An object inside a record: its own keys, then its cell (if a field).
struct Nested<'w, 's, 'c> {
    slot: Option<usize>,
    object: Object<'w, 's, 'c, ()>,
    /// A `RawValue`: not an object, but the JSON text its field holds.
    raw: bool,
}

impl Nested<'_, '_, '_> {
    fn finish(self) -> Result<(), SerializeError> {
        let Nested { slot, object, raw } = self;
        if let (Some(slot), false) = (slot, raw) {
            let ty = object.w.schema.slots[slot].ty;
            object.w.put(slot, object_cell(ty));
        }
        Ok(())
    }

    /// A `RawValue`'s JSON text, read as the same text in a JSON record is:
    /// a decimal field digit for digit, anything else as serde_json
    /// parses it.
    fn read_raw<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), SerializeError> {
        let mut text = String::new();
        value.serialize(KeyText(&mut text))?;
        let node = self.object.node;
        let w = &mut *self.object.w;
        match node.slot {
            Some(slot) if w.schema.slots[slot].ty == Some(Type::DECIMAL) => {
                w.put(slot, decimal_from_raw(&text));
                Ok(())
            }
            _ => {
                let json: serde_json::Value = serde_json::from_str(&text).map_err(ser::Error::custom)?;
                json.serialize(Field { w, node })
            }
        }
    }
}

impl ser::SerializeStruct for Nested<'_, '_, '_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), SerializeError> {
        if self.raw {
            return self.read_raw(value);
        }
        ser::SerializeStruct::serialize_field(&mut self.object, key, value)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.finish()
    }
}

impl ser::SerializeMap for Nested<'_, '_, '_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), SerializeError> {
        ser::SerializeMap::serialize_key(&mut self.object, key)
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), SerializeError> {
        ser::SerializeMap::serialize_value(&mut self.object, value)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.finish()
    }
}

/// An array field: its elements as cells of the list's element type.
struct List<'w, 's, 'c> {
    field: Field<'w, 's, 'c>,
    items: Vec<Cell<'static>>,
    bad: bool,
}

impl List<'_, '_, '_> {
    fn element_type(&self) -> Option<Option<Scalar>> {
        let slot = self.field.node.slot?;
        Some(match self.field.w.schema.slots[slot].ty {
            None => None,
            Some(Type::List(s)) => Some(s),
            Some(Type::Scalar(s)) => Some(s),
        })
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) {
        let Some(element) = self.element_type() else {
            return;
        };
        let mut cell = [Cell::Missing];
        let schema = Schema::single_of(element.map(Type::Scalar));
        let node = PathNode::leaf(0);
        let mut writer = Writer {
            schema: &schema,
            cells: Cells::fresh(&mut cell),
            keys: None,
        };
        let _ = value.serialize(Field {
            w: &mut writer,
            node: &node,
        });
        match std::mem::replace(&mut cell[0], Cell::Missing) {
            Cell::Error(_) => self.bad = true,
            Cell::Missing if element.is_some() => self.bad = true,
            Cell::Missing => {}
            // As when reading JSON: an array inside an untyped field's
            // array only counts as being there.
            Cell::List(_) if element.is_none() => self.items.push(Cell::Object),
            other => self.items.push(other),
        }
    }

    fn finish(self) -> Result<(), SerializeError> {
        let List { field, items, bad } = self;
        field.set(|ty| match ty {
            None => Cell::List(items),
            Some(Type::List(s)) if bad => {
                Cell::Error(format!("the array is not a list of {} values", s.name()))
            }
            Some(Type::List(_)) => Cell::List(items),
            Some(ty) => Cell::Error(format!("an array is not {}", super::json::describe_type(ty))),
        })
    }
}

macro_rules! list_compound {
    ($($trait:ident: $method:ident;)*) => {
        $(impl ser::$trait for List<'_, '_, '_> {
            type Ok = ();
            type Error = SerializeError;
            fn $method<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), SerializeError> {
                self.push(value);
                Ok(())
            }
            fn end(self) -> Result<(), SerializeError> {
                self.finish()
            }
        })*
    };
}

list_compound! {
    SerializeSeq: serialize_element;
    SerializeTuple: serialize_element;
    SerializeTupleStruct: serialize_field;
}

/// Key methods that give the value's text.
macro_rules! key_as_text {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), SerializeError> {
            write!(self.0, "{v}").map_err(ser::Error::custom)
        })*
    };
}

/// Key methods for values that cannot be an object key.
macro_rules! not_a_key {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<(), SerializeError> {
            Err(ser::Error::custom("not a key"))
        })*
    };
}

/// A map key as text, appended to the string (numbers and the like become
/// their decimal text, as JSON object keys do); anything else is not a key.
struct KeyText<'t>(&'t mut String);

impl Serializer for KeyText<'_> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = Impossible<(), SerializeError>;
    type SerializeTuple = Impossible<(), SerializeError>;
    type SerializeTupleStruct = Impossible<(), SerializeError>;
    type SerializeTupleVariant = Impossible<(), SerializeError>;
    type SerializeMap = Impossible<(), SerializeError>;
    type SerializeStruct = Impossible<(), SerializeError>;
    type SerializeStructVariant = Impossible<(), SerializeError>;

    key_as_text! {
        serialize_char(char), serialize_i8(i8), serialize_i16(i16),
        serialize_i32(i32), serialize_i64(i64), serialize_u8(u8), serialize_u16(u16),
        serialize_u32(u32), serialize_u64(u64),
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), SerializeError> {
        self.serialize_str(variant)
    }
    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        self.0.push_str(v);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        value.serialize(self)
    }
    not_a_key! {
        serialize_bool(bool), serialize_f32(f32), serialize_f64(f64), serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    }
    fn serialize_none(self) -> Result<(), SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_unit(self) -> Result<(), SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use crate::{Cell, Checker, Program, Record};

    #[derive(Serialize)]
    struct Unit<'a> {
        name: &'a str,
        code: u32,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Role {
        CivilServant,
        Contract,
    }

    #[derive(Serialize)]
    struct Observation<'a> {
        employee_id: String,
        role: Role,
        arrival: Option<&'a str>,
        hours_worked: f64,
        overdue_procedures: u64,
        badge_worn: bool,
        tags: Vec<&'a str>,
        unit: Unit<'a>,
        ignored: Vec<Vec<u8>>,
    }

    const RULES: &str = r#"
key employee_id
field tags: list[string]
rule on_time {
  when    role == "civil_servant"
  check   arrival <= 07:30
  message "{employee_id} đến lúc {arrival}, đơn vị {unit.name}"
}
rule hours:  hours_worked >= 8
rule overdue: overdue_procedures <= 0
rule badge: badge_worn required
rule tagged: "kiểm tra" in tags
rule unit_code: unit.code in 100..199
"#;

    fn samples() -> Vec<Observation<'static>> {
        vec![
            Observation {
                employee_id: "NA-1".into(),
                role: Role::CivilServant,
                arrival: Some("07:45"),
                hours_worked: 7.5,
                overdue_procedures: 2,
                badge_worn: false,
                tags: vec!["kiểm tra"],
                unit: Unit {
                    name: "Sở Nội vụ",
                    code: 150,
                },
                ignored: vec![vec![1, 2]],
            },
            Observation {
                employee_id: "NA-2".into(),
                role: Role::Contract,
                arrival: None,
                hours_worked: 8.25,
                overdue_procedures: 0,
                badge_worn: true,
                tags: vec![],
                unit: Unit {
                    name: "UBND thị xã Cửa Lò",
                    code: 200,
                },
                ignored: vec![],
            },
        ]
    }

    #[test]
    fn a_struct_gives_the_same_report_as_its_json() {
        let program = Program::from_source("t.rules", RULES).unwrap();
        let mut direct = Checker::new(&program);
        let mut via_json = Checker::new(&program);
        for sample in samples() {
            let json = serde_json::to_value(&sample).unwrap();
            let a = direct.check_serialize(&sample);
            let b = via_json.check_json(&json);
            assert_eq!(a, b);
        }
        assert_eq!(direct.summary(), via_json.summary());
        assert_eq!(direct.summary().violations["on_time"], 1);
        assert_eq!(direct.summary().violations["tagged"], 1);
        assert_eq!(direct.summary().violations["unit_code"], 1);
    }

    #[test]
    fn maps_with_text_keys_are_records_and_other_values_are_not() {
        let program = Program::from_source("t.rules", "rule on_time: arrival <= 07:30").unwrap();
        let mut checker = Checker::new(&program);
        let mut map = BTreeMap::new();
        map.insert("arrival", "08:00");
        let report = checker.check_serialize(&map);
        assert_eq!(report.violations.len(), 1);
        let report = checker.check_serialize(&42);
        assert_eq!(report.errors.len(), 1);
        assert_eq!(report.errors[0].field, None);
        assert_eq!(checker.records(), 2);
    }

    #[test]
    fn a_wrongly_typed_value_is_a_data_error() {
        let program = Program::from_source("t.rules", "rule on_time: arrival <= 07:30").unwrap();
        let mut checker = Checker::new(&program);
        let mut map = BTreeMap::new();
        map.insert("arrival", "7h30");
        let report = checker.check_serialize(&map);
        assert_eq!(report.errors[0].field.as_deref(), Some("arrival"));
        assert!(report.violations.is_empty());
    }

    #[test]
    fn a_string_is_copied_into_the_buffer_of_the_string_before() {
        let program = Program::from_source("t.rules", "rule dress: dress in [\"uniform\"]").unwrap();
        let mut checker = Checker::new(&program);
        let buffer = |checker: &Checker| match &checker.serialized_cells()[0] {
            Cell::String(std::borrow::Cow::Owned(s)) => Some(s.as_ptr()),
            _ => None,
        };
        let mut map = BTreeMap::new();
        map.insert("dress", "a long and casual dress");
        checker.check_serialize(&map);
        let first = buffer(&checker);
        assert!(first.is_some());
        for dress in ["casual", "uniform", "formal"] {
            map.insert("dress", dress);
            checker.check_serialize(&map);
            assert_eq!(buffer(&checker), first);
        }
        assert_eq!(checker.summary().violations["dress"], 3);
    }

    /// The cells are kept from record to record: what one record held must
    /// not show through in the next, which lacks the field.
    #[test]
    fn a_field_the_record_lacks_is_missing_whatever_the_record_before_held() {
        let program = Program::from_source("t.rules", VISIT_RULES).unwrap();
        let mut checker = Checker::new(&program);
        let mut via_json = Checker::new(&program);
        let full = serde_json::json!({
            "name": "NA-1", "dress": "casual", "arrival": "08:00",
            "office": {"name": "UBND", "code": 250},
        });
        let records = [
            full.clone(),
            serde_json::json!({"office": 7}),
            full,
            serde_json::json!({"name": "NA-2", "office": {}}),
            serde_json::json!([]),
            serde_json::json!({}),
        ];
        for json in &records {
            assert_eq!(checker.check_serialize(json), via_json.check_json(json), "{json}");
        }
        assert!(checker.serialized_cells().iter().all(|c| *c == Cell::Missing));
    }

    #[derive(Serialize)]
    struct Office<'a> {
        name: &'a str,
        code: u32,
    }

    #[derive(Serialize)]
    struct Visit<'a> {
        name: &'a str,
        office: Office<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        arrival: Option<&'a str>,
        dress: String,
    }

    /// The same fields as [`Visit`], in another order, and `name` both at
    /// the top and in the nested struct at other positions.
    #[derive(Serialize)]
    struct Inspection<'a> {
        office: Office<'a>,
        dress: &'a str,
        arrival: &'a str,
        name: String,
    }

    const VISIT_RULES: &str = r#"
key name
rule dress: dress in ["uniform"]
rule on_time: arrival <= 07:30
rule office: office.name in ["Sở Nội vụ"]
rule code: office.code in 100..199
rule named: name required
"#;

    /// The key memo must never send a value to the node of the key that was
    /// at its position in an earlier record.
    #[test]
    fn records_of_several_types_and_maps_read_as_their_json_in_one_checker() {
        let program = Program::from_source("t.rules", VISIT_RULES).unwrap();
        let mut checker = Checker::new(&program);
        let office = Office {
            name: "Sở Nội vụ",
            code: 150,
        };
        let other = Office {
            name: "UBND",
            code: 250,
        };
        let mut map = BTreeMap::new();
        map.insert("dress".to_string(), serde_json::json!("uniform"));
        map.insert(
            "office".to_string(),
            serde_json::json!({"name": "UBND", "code": 120}),
        );
        map.insert("arrival".to_string(), serde_json::json!("08:00"));
        let records = [
            serde_json::to_value(Visit {
                name: "NA-1",
                office: Office { ..office },
                arrival: Some("07:45"),
                dress: "casual".into(),
            }),
            serde_json::to_value(Visit {
                name: "",
                office: Office { ..other },
                arrival: None,
                dress: "uniform".into(),
            }),
            serde_json::to_value(Inspection {
                office: Office { ..other },
                dress: "uniform",
                arrival: "07:00",
                name: "NA-3".into(),
            }),
            serde_json::to_value(&map),
            serde_json::to_value(Visit {
                name: "NA-5",
                office: Office { ..office },
                arrival: Some("07:00"),
                dress: "casual".into(),
            }),
        ];
        let records: Vec<serde_json::Value> = records.into_iter().map(Result::unwrap).collect();
        let reports_of_structs = [
            checker.check_serialize(&Visit {
                name: "NA-1",
                office: Office { ..office },
                arrival: Some("07:45"),
                dress: "casual".into(),
            }),
            checker.check_serialize(&Visit {
                name: "",
                office: Office { ..other },
                arrival: None,
                dress: "uniform".into(),
            }),
            checker.check_serialize(&Inspection {
                office: Office { ..other },
                dress: "uniform",
                arrival: "07:00",
                name: "NA-3".into(),
            }),
            checker.check_serialize(&map),
            checker.check_serialize(&Visit {
                name: "NA-5",
                office: Office { ..office },
                arrival: Some("07:00"),
                dress: "casual".into(),
            }),
        ];
        let mut via_json = Checker::new(&program);
        for (json, report) in records.iter().zip(reports_of_structs) {
            assert_eq!(report, via_json.check_json(json), "{json}");
        }
        assert_eq!(checker.summary(), via_json.summary());
        assert_eq!(checker.summary().violations["named"], 2);
        assert_eq!(checker.summary().violations["code"], 2);
    }

    /// A struct, or a value in it. Its keys are these statics, so a key has
    /// the same address in every object, whatever the compiler does with
    /// equal string literals.
    enum Tree {
        Struct(Vec<(&'static str, Tree)>),
        Leaf(serde_json::Value),
    }

    static NAME: &str = "name";
    static OFFICE: &str = "office";
    static DRESS: &str = "dress";
    static ARRIVAL: &str = "arrival";

    impl Serialize for Tree {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            match self {
                Tree::Leaf(value) => value.serialize(serializer),
                Tree::Struct(fields) => {
                    let mut object = serializer.serialize_struct("Tree", fields.len())?;
                    for (key, value) in fields {
                        object.serialize_field(key, value)?;
                    }
                    object.end()
                }
            }
        }
    }

    /// The memo must tell one key in two objects apart: `name` is third
    /// both in the office of the first record and at the top of the second.
    #[test]
    fn one_key_at_one_position_in_two_objects_reads_as_its_json() {
        use serde_json::json;
        use Tree::{Leaf, Struct};
        let program = Program::from_source("t.rules", VISIT_RULES).unwrap();
        let records = [
            Struct(vec![
                (NAME, Leaf(json!("NA-1"))),
                (OFFICE, Struct(vec![(NAME, Leaf(json!("UBND")))])),
                (DRESS, Leaf(json!("uniform"))),
            ]),
            Struct(vec![
                (DRESS, Leaf(json!("uniform"))),
                (ARRIVAL, Leaf(json!("07:00"))),
                (NAME, Leaf(json!("NA-2"))),
                (OFFICE, Struct(vec![(NAME, Leaf(json!("Sở Nội vụ")))])),
            ]),
        ];
        let mut checker = Checker::new(&program);
        let mut via_json = Checker::new(&program);
        for _ in 0..2 {
            for record in &records {
                let json = serde_json::to_value(record).unwrap();
                assert_eq!(
                    checker.check_serialize(record),
                    via_json.check_json(&json),
                    "{json}"
                );
            }
        }
    }

    /// A map whose keys come twice, in the order given.
    struct Pairs(Vec<(&'static str, serde_json::Value)>);

    impl Serialize for Pairs {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (key, value) in &self.0 {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }
    }

    /// Of a key given twice the later value counts, as when reading JSON
    /// text, whichever kinds of value the two are.
    #[test]
    fn a_key_given_twice_reads_as_its_json_text() {
        use serde_json::json;
        let program = Program::from_source("t.rules", "key id\nrule dress: dress in [\"uniform\"]").unwrap();
        let cases = [
            vec![("dress", json!("casual")), ("dress", json!("uniform"))],
            vec![("dress", json!("uniform")), ("dress", json!("casual"))],
            vec![("dress", json!("uniform")), ("dress", json!(null))],
            vec![("dress", json!("uniform")), ("dress", json!(true))],
            vec![("dress", json!(true)), ("dress", json!("casual"))],
            vec![
                ("id", json!("a")),
                ("dress", json!("uniform")),
                ("id", json!("b")),
                ("dress", json!({"x": 1})),
                ("id", json!(7)),
            ],
            vec![
                ("dress", json!("casual")),
                ("id", json!("c")),
                ("dress", json!("formal")),
            ],
        ];
        let mut checker = Checker::new(&program);
        let mut via_text = Checker::new(&program);
        for pairs in cases {
            let text = format!(
                "{{{}}}",
                pairs
                    .iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let expected = via_text.check_ndjson_line(&text).unwrap();
            assert_eq!(checker.check_serialize(&Pairs(pairs)), expected, "{text}");
        }
    }

    #[test]
    fn a_record_from_a_struct_owns_its_strings() {
        let program = Program::from_source("t.rules", VISIT_RULES).unwrap();
        let visit = Visit {
            name: "NA-1",
            office: Office {
                name: "Sở Nội vụ",
                code: 150,
            },
            arrival: None,
            dress: "casual".into(),
        };
        let record = program.record_from(&visit).unwrap().unwrap();
        let json = serde_json::to_value(&visit).unwrap();
        assert_eq!(
            Some(record.clone()),
            program.record_from_json(&json).map(Record::into_owned)
        );
        assert!(record
            .cells()
            .iter()
            .any(|c| matches!(c, Cell::String(std::borrow::Cow::Owned(s)) if s == "casual")));
    }
}
