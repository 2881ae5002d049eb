//! Records from any `serde::Serialize` value — a tool's own struct — read
//! straight into cells, without JSON text or `serde_json::Value` between.
//!
//! Keys are looked up among the keys the rules use, values of other keys
//! are never visited, and strings are copied into buffers kept from record
//! to record (`StringPool`), so a steady stream of records allocates
//! nothing.

use std::borrow::Cow;

use serde::ser::{self, Impossible, Serialize, Serializer};

use super::record::{from_bool, from_f64, from_i64, from_str, from_u64, Cell};
use super::Shape;
use crate::compile::{PathNode, Schema};
use crate::value::{Scalar, Type};

/// Why a value could not be read as a record: its `Serialize` impl failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the record could not be serialized: {0}")]
pub struct SerializeError(String);

impl ser::Error for SerializeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerializeError(msg.to_string())
    }
}

/// String buffers taken back from cells, to be filled again.
#[derive(Debug, Default)]
pub(crate) struct StringPool(Vec<String>);

impl StringPool {
    fn string(&mut self, text: &str) -> String {
        let mut s = self.0.pop().unwrap_or_default();
        s.clear();
        s.push_str(text);
        s
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Empties `cells` for the next record, keeping their strings.
    pub fn reset(&mut self, cells: &mut Vec<Cell<'static>>, len: usize) {
        for cell in cells.iter_mut() {
            if let Cell::String(Cow::Owned(s)) = std::mem::replace(cell, Cell::Missing) {
                self.0.push(s);
            }
        }
        cells.resize(len, Cell::Missing);
    }
}

/// Reads `value` into `cells` (which must be all missing, one per slot).
pub(crate) fn read_serialize<T: Serialize + ?Sized>(
    value: &T,
    schema: &Schema,
    cells: &mut [Cell<'static>],
    pool: &mut StringPool,
) -> Result<Shape, SerializeError> {
    value.serialize(Top(Writer { schema, cells, pool }))
}

struct Writer<'s, 'c> {
    schema: &'s Schema,
    cells: &'c mut [Cell<'static>],
    pool: &'c mut StringPool,
}

impl<'s> Writer<'s, '_> {
    fn reborrow(&mut self) -> Writer<'s, '_> {
        Writer {
            schema: self.schema,
            cells: self.cells,
            pool: self.pool,
        }
    }

    /// The value of `key` in the object at `node`, if the rules read it.
    fn field<T: Serialize + ?Sized>(
        &mut self,
        node: &'s PathNode,
        key: &str,
        value: &T,
    ) -> Result<(), SerializeError> {
        match node.child(key) {
            Some(child) => value.serialize(Field {
                w: self.reborrow(),
                node: child,
            }),
            None => Ok(()),
        }
    }
}

/// The record itself: an object (struct or map), or not a record.
struct Top<'s, 'c>(Writer<'s, 'c>);

macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*) => $kind:expr;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Shape, SerializeError> {
            Ok(Shape::Other($kind))
        })*
    };
}

impl<'s, 'c> Serializer for Top<'s, 'c> {
    type Ok = Shape;
    type Error = SerializeError;
    type SerializeSeq = Skip<Shape>;
    type SerializeTuple = Skip<Shape>;
    type SerializeTupleStruct = Skip<Shape>;
    type SerializeTupleVariant = Skip<Shape>;
    type SerializeMap = Object<'s, 'c, Shape>;
    type SerializeStruct = Object<'s, 'c, Shape>;
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

    fn serialize_map(self, _: Option<usize>) -> Result<Object<'s, 'c, Shape>, SerializeError> {
        let node = &self.0.schema.root;
        Ok(Object::new(self.0, node, Shape::Object))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'s, 'c, Shape>, SerializeError> {
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
struct Object<'s, 'c, T> {
    w: Writer<'s, 'c>,
    node: &'s PathNode,
    /// The key of a map entry, between `serialize_key` and `serialize_value`.
    key: Option<String>,
    done: T,
}

impl<'s, 'c, T> Object<'s, 'c, T> {
    fn new(w: Writer<'s, 'c>, node: &'s PathNode, done: T) -> Self {
        Object {
            w,
            node,
            key: None,
            done,
        }
    }
}

impl<T> ser::SerializeStruct for Object<'_, '_, T> {
    type Ok = T;
    type Error = SerializeError;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), SerializeError> {
        self.w.field(self.node, key, value)
    }

    fn end(self) -> Result<T, SerializeError> {
        Ok(self.done)
    }
}

impl<T> ser::SerializeMap for Object<'_, '_, T> {
    type Ok = T;
    type Error = SerializeError;

    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), SerializeError> {
        self.key = key.serialize(KeyText).ok();
        Ok(())
    }

    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), SerializeError> {
        match self.key.take() {
            Some(key) => self.w.field(self.node, &key, value),
            // A key that is not text names no field.
            None => Ok(()),
        }
    }

    fn end(self) -> Result<T, SerializeError> {
        Ok(self.done)
    }
}

/// The value of one key the rules use.
struct Field<'s, 'c> {
    w: Writer<'s, 'c>,
    node: &'s PathNode,
}

impl Field<'_, '_> {
    fn set(
        self,
        make: impl FnOnce(Option<Type>, &mut StringPool) -> Cell<'static>,
    ) -> Result<(), SerializeError> {
        if let Some(slot) = self.node.slot {
            let ty = self.w.schema.slots[slot].ty;
            self.w.cells[slot] = make(ty, self.w.pool);
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

/// Text as its field's type: strings into pooled buffers, the rest parsed.
fn text_cell(ty: Option<Type>, text: &str, pool: &mut StringPool) -> Cell<'static> {
    match ty {
        None | Some(Type::STRING) => Cell::String(Cow::Owned(pool.string(text))),
        _ => match from_str(ty, Cow::Borrowed(text)) {
            Cell::String(s) => Cell::String(Cow::Owned(s.into_owned())),
            Cell::Error(e) => Cell::Error(e),
            other => other.into_static(),
        },
    }
}

impl<'s, 'c> Serializer for Field<'s, 'c> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = List<'s, 'c>;
    type SerializeTuple = List<'s, 'c>;
    type SerializeTupleStruct = List<'s, 'c>;
    type SerializeTupleVariant = Skip<()>;
    type SerializeMap = Nested<'s, 'c>;
    type SerializeStruct = Nested<'s, 'c>;
    type SerializeStructVariant = Skip<()>;

    widened! {
        serialize_i8(i8) => serialize_i64, serialize_i16(i16) => serialize_i64,
        serialize_i32(i32) => serialize_i64, serialize_u8(u8) => serialize_i64,
        serialize_u16(u16) => serialize_i64, serialize_u32(u32) => serialize_i64,
        serialize_f32(f32) => serialize_f64,
    }
    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.set(|ty, _| from_bool(ty, v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerializeError> {
        self.set(|ty, _| from_i64(ty, v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerializeError> {
        self.set(|ty, _| from_u64(ty, v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerializeError> {
        self.set(|ty, _| from_f64(ty, v))
    }
    fn serialize_char(self, v: char) -> Result<(), SerializeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        self.set(|ty, pool| text_cell(ty, v, pool))
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
        self.set(|_, _| Cell::Missing)
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
    fn serialize_seq(self, _: Option<usize>) -> Result<List<'s, 'c>, SerializeError> {
        Ok(List {
            field: self,
            items: Vec::new(),
            bad: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<List<'s, 'c>, SerializeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<List<'s, 'c>, SerializeError> {
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
    fn serialize_map(self, _: Option<usize>) -> Result<Nested<'s, 'c>, SerializeError> {
        Ok(Nested {
            slot: self.node.slot,
            object: Object::new(self.w, self.node, ()),
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Nested<'s, 'c>, SerializeError> {
        self.serialize_map(None)
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

fn object_cell(ty: Option<Type>, _: &mut StringPool) -> Cell<'static> {
    match ty {
        None => Cell::Object,
        Some(ty) => Cell::Error(format!("an object is not {}", super::record::describe_type(ty))),
    }
}

/// An object inside a record: its own keys, then its cell (if a field).
struct Nested<'s, 'c> {
    slot: Option<usize>,
    object: Object<'s, 'c, ()>,
}

impl Nested<'_, '_> {
    fn finish(self) -> Result<(), SerializeError> {
        let Nested { slot, object } = self;
        if let Some(slot) = slot {
            let ty = object.w.schema.slots[slot].ty;
            object.w.cells[slot] = object_cell(ty, object.w.pool);
        }
        Ok(())
    }
}

impl ser::SerializeStruct for Nested<'_, '_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), SerializeError> {
        ser::SerializeStruct::serialize_field(&mut self.object, key, value)
    }
    fn end(self) -> Result<(), SerializeError> {
        self.finish()
    }
}

impl ser::SerializeMap for Nested<'_, '_> {
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
struct List<'s, 'c> {
    field: Field<'s, 'c>,
    items: Vec<Cell<'static>>,
    bad: bool,
}

impl List<'_, '_> {
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
        let writer = Writer {
            schema: &schema,
            cells: &mut cell,
            pool: self.field.w.pool,
        };
        let _ = value.serialize(Field {
            w: writer,
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
        field.set(|ty, _| match ty {
            None => Cell::List(items),
            Some(Type::List(s)) if bad => {
                Cell::Error(format!("the array is not a list of {} values", s.name()))
            }
            Some(Type::List(_)) => Cell::List(items),
            Some(ty) => Cell::Error(format!("an array is not {}", super::record::describe_type(ty))),
        })
    }
}

macro_rules! list_compound {
    ($($trait:ident: $method:ident;)*) => {
        $(impl ser::$trait for List<'_, '_> {
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
        $(fn $method(self, v: $ty) -> Result<String, SerializeError> {
            Ok(v.to_string())
        })*
    };
}

/// Key methods for values that cannot be an object key.
macro_rules! not_a_key {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<String, SerializeError> {
            Err(ser::Error::custom("not a key"))
        })*
    };
}

/// A map key as text (numbers and the like become their decimal text, as
/// JSON object keys do); anything else is not a key.
struct KeyText;

impl Serializer for KeyText {
    type Ok = String;
    type Error = SerializeError;
    type SerializeSeq = Impossible<String, SerializeError>;
    type SerializeTuple = Impossible<String, SerializeError>;
    type SerializeTupleStruct = Impossible<String, SerializeError>;
    type SerializeTupleVariant = Impossible<String, SerializeError>;
    type SerializeMap = Impossible<String, SerializeError>;
    type SerializeStruct = Impossible<String, SerializeError>;
    type SerializeStructVariant = Impossible<String, SerializeError>;

    key_as_text! {
        serialize_str(&str), serialize_char(char), serialize_i8(i8), serialize_i16(i16),
        serialize_i32(i32), serialize_i64(i64), serialize_u8(u8), serialize_u16(u16),
        serialize_u32(u32), serialize_u64(u64),
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, SerializeError> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, SerializeError> {
        value.serialize(self)
    }
    not_a_key! {
        serialize_bool(bool), serialize_f32(f32), serialize_f64(f64), serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    }
    fn serialize_none(self) -> Result<String, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_unit(self) -> Result<String, SerializeError> {
        Err(ser::Error::custom("not a key"))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, SerializeError> {
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

    use crate::{Checker, Program};

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
    fn string_buffers_are_reused_from_record_to_record() {
        let program = Program::from_source("t.rules", "rule dress: dress in [\"uniform\"]").unwrap();
        let mut checker = Checker::new(&program);
        let mut map = BTreeMap::new();
        for dress in ["casual", "uniform", "formal"] {
            map.insert("dress", dress);
            checker.check_serialize(&map);
        }
        assert_eq!(checker.summary().violations["dress"], 2);
        assert!(checker.pool_len() <= 1);
    }
}
