//! JSON records into slots (nested objects reached by paths); the
//! conversions of a JSON scalar to a cell are shared by the CSV and
//! `serde::Serialize` readers. A value that cannot be read as its field's
//! type becomes a data error in its cell.
//!
//! JSON is read with a `DeserializeSeed` driven by the program's schema:
//! each key is looked up among the keys the rules use, every other value is
//! skipped unparsed, and strings are borrowed from the input. The same seed
//! reads JSON text and `serde_json::Value`s.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::compile::{Child, PathNode, Schema, Slot};
use crate::record::Record;
use crate::semantics::cell::Cell;
use crate::semantics::value::{self, shortest_decimal, Scalar, Type};
use crate::source::{Reading, Source, Target, TopKey};

/// What the top level of a JSON record turned out to be.
pub(crate) enum Shape {
    Object,
    /// Not an object: what it was ("an array", "a number", …).
    Other(&'static str),
}

/// Reads one JSON value (text or `serde_json::Value`) into `record`.
///
/// `text` says that the deserializer reads JSON text, whose numbers can be
/// borrowed raw: a decimal field then gets every digit written, exactly.
pub(crate) fn read_json<'de, D: Deserializer<'de>>(
    deserializer: D,
    schema: &Schema,
    record: &mut Record<'de>,
    text: bool,
) -> Result<Shape, D::Error> {
    // With no record numbers kept, nothing is swept: the cells start missing.
    read_json_over(deserializer, schema, None, &mut record.cells, &mut [], 0, text)
}

/// [`read_json`] over the cells of the record read before (one per slot):
/// `written` holds, for each slot, the number of the record that last wrote
/// it, and a cell this record (`number`) does not write is made missing.
/// Cheaper than emptying every cell before each record.
///
/// `through`: the source the record is read through, whose columns name
/// its top-level keys (compared like headers) and read their values.
pub(crate) fn read_json_over<'de, D: Deserializer<'de>>(
    deserializer: D,
    schema: &Schema,
    through: Option<&Source>,
    cells: &mut [Cell<'de>],
    written: &mut [u64],
    number: u64,
    text: bool,
) -> Result<Shape, D::Error> {
    let read = deserializer.deserialize_any(TopVisitor {
        schema,
        through,
        text,
        cells: Cells::over(&mut *cells, &mut *written, number),
    });
    sweep_unwritten(cells, written, number);
    read
}

/// Makes missing each cell that record `number` did not write (see
/// [`Cells`]).
pub(super) fn sweep_unwritten(cells: &mut [Cell<'_>], written: &[u64], number: u64) {
    for (cell, by) in cells.iter_mut().zip(written) {
        if *by != number && !matches!(cell, Cell::Missing) {
            *cell = Cell::Missing;
        }
    }
}

/// The cells a reader writes, and, for each, the number of the record that
/// last wrote it: reading a record over the cells of the one before, then
/// sweeping away what it did not write ([`sweep_unwritten`]), is cheaper
/// than emptying every cell before each record.
pub(super) struct Cells<'c, 'a> {
    pub(super) cells: &'c mut [Cell<'a>],
    written: &'c mut [u64],
    record: u64,
}

impl<'c, 'a> Cells<'c, 'a> {
    /// The cells of record `number`, over those of the record before.
    pub(super) fn over(cells: &'c mut [Cell<'a>], written: &'c mut [u64], number: u64) -> Cells<'c, 'a> {
        Cells {
            cells,
            written,
            record: number,
        }
    }

    /// Cells that start missing, with no record numbers kept.
    pub(super) fn fresh(cells: &'c mut [Cell<'a>]) -> Cells<'c, 'a> {
        Cells::over(cells, &mut [], 0)
    }

    fn reborrow(&mut self) -> Cells<'_, 'a> {
        Cells {
            cells: &mut *self.cells,
            written: &mut *self.written,
            record: self.record,
        }
    }

    /// Notes that this record wrote `slot`.
    #[inline]
    pub(super) fn stamp(&mut self, slot: usize) {
        if let Some(by) = self.written.get_mut(slot) {
            *by = self.record;
        }
    }

    #[inline]
    pub(super) fn put(&mut self, slot: usize, cell: Cell<'a>) {
        self.stamp(slot);
        self.cells[slot].overwrite(cell);
    }

    /// [`Cells::put`] of the cell `make` returns (see
    /// [`Cell::overwrite_with`]).
    #[inline]
    pub(super) fn put_with(&mut self, slot: usize, make: impl FnOnce() -> Cell<'a>) {
        self.stamp(slot);
        self.cells[slot].overwrite_with(make);
    }
}

struct TopVisitor<'s, 'c, 'a> {
    schema: &'s Schema,
    through: Option<&'s Source>,
    text: bool,
    cells: Cells<'c, 'a>,
}

macro_rules! not_object {
    ($($method:ident: $ty:ty => $kind:expr),* $(,)?) => {
        $(fn $method<E: de::Error>(self, _: $ty) -> Result<Shape, E> {
            Ok(Shape::Other($kind))
        })*
    };
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_, 'de> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    not_object! {
        visit_bool: bool => "a boolean",
        visit_i64: i64 => "a number",
        visit_u64: u64 => "a number",
        visit_f64: f64 => "a number",
        visit_str: &str => "a string",
    }

    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Other("null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Other("an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Shape, A::Error> {
        let mut cells = self.cells;
        match self.through {
            Some(source) => map.read_top_through(self.schema, source, &mut cells, self.text)?,
            None => map.read_map(self.schema, &self.schema.root, &mut cells, self.text)?,
        }
        Ok(Shape::Object)
    }
}

/// A node of no keys and no slot: where a named column's value is read,
/// its reading says where it goes.
static NO_NODE: PathNode = PathNode::EMPTY;

/// A map key, borrowed where the input allows.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads an object's keys into the cells, as methods of the map access
/// that yields them, for speed: rustc places the methods of this blanket impl
/// in the codegen unit of its `Self` type, the deserializer's own map access,
/// beside the `next_key_seed` it calls, which is then inlined into the loop.
/// As a free function of this module it could land in another codegen unit
/// and call `next_key_seed` out of line: 6.6M instructions more (3.5%) to
/// check 20,000 records (callgrind).
trait ReadKeys<'de>: MapAccess<'de> + Sized {
    /// The keys of an object at `node` of the schema's paths: a key the
    /// rules use is read by its field, any other skipped unparsed.
    fn read_map(
        self,
        schema: &Schema,
        node: &PathNode,
        cells: &mut Cells<'_, 'de>,
        text: bool,
    ) -> Result<(), Self::Error>;

    /// The top level of a record read through a source: each key compared
    /// like headers, a named column read by its reading, any other key the
    /// rules use by the plain reading of its field. Two keys that give one
    /// field make it a data error (the export is ambiguous about it).
    fn read_top_through(
        self,
        schema: &Schema,
        source: &Source,
        cells: &mut Cells<'_, 'de>,
        text: bool,
    ) -> Result<(), Self::Error>;
}

impl<'de, A: MapAccess<'de>> ReadKeys<'de> for A {
    fn read_map(
        mut self,
        schema: &Schema,
        node: &PathNode,
        cells: &mut Cells<'_, 'de>,
        text: bool,
    ) -> Result<(), A::Error> {
        while let Some(Key(key)) = self.next_key()? {
            match node.find(&key) {
                Some(Child::Leaf { slot, ty, node }) => self.next_value_seed(Leaf {
                    schema,
                    node,
                    slot,
                    ty,
                    text,
                    cells,
                })?,
                Some(Child::Inner(node)) => self.next_value_seed(FieldSeed {
                    schema,
                    node,
                    reading: None,
                    text,
                    cells: cells.reborrow(),
                })?,
                None => {
                    self.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn read_top_through(
        mut self,
        schema: &Schema,
        source: &Source,
        cells: &mut Cells<'_, 'de>,
        text: bool,
    ) -> Result<(), A::Error> {
        // Which key gave each slot written so far, as compared.
        let mut given: Vec<(Slot, Box<str>)> = Vec::new();
        let mut twice: Vec<(Slot, String)> = Vec::new();
        while let Some(Key(key)) = self.next_key()? {
            let (node, reading) = match source.top_key(&key) {
                Some(TopKey::Named(reading)) => (&NO_NODE, Some(&source.readings[*reading])),
                Some(TopKey::Own(own)) => match schema.root.child(own) {
                    Some(node) => (node, node.slot.map(|s| &source.plain[s])),
                    None => (&NO_NODE, None),
                },
                None => (&NO_NODE, None),
            };
            if node.children.is_empty() && reading.is_none() {
                self.next_value::<IgnoredAny>()?;
                continue;
            }
            self.next_value_seed(FieldSeed {
                schema,
                node,
                reading,
                text,
                cells: cells.reborrow(),
            })?;
            let compared = crate::source::like_header(&key);
            for slot in reading.into_iter().flat_map(Reading::slots) {
                match given.iter().find(|(s, _)| *s == slot) {
                    Some((_, by)) if **by != *compared => {
                        twice.push((slot, format!("\"{by}\" and \"{key}\"")))
                    }
                    Some(_) => {}
                    None => given.push((slot, compared.as_ref().into())),
                }
            }
        }
        for (slot, keys) in twice {
            let field = &schema.slots[slot].name;
            cells.put(slot, Cell::Error(format!("two keys give field {field}: {keys}")));
        }
        Ok(())
    }
}

/// The value of a key that is one field and holds no other (most keys): a
/// [`FieldSeed`] cut down to what a scalar needs, with the slot and type
/// looked up once. Two thirds of a record's reading is spent per value, so
/// what is left out here shows (callgrind: 8.5% fewer instructions for a
/// check of the workload).
struct Leaf<'s, 'c, 'r, 'a> {
    schema: &'s Schema,
    node: &'s PathNode,
    slot: Slot,
    ty: Option<Type>,
    text: bool,
    cells: &'r mut Cells<'c, 'a>,
}

impl<'s, 'r, 'de> Leaf<'s, '_, 'r, 'de> {
    #[inline]
    fn put(self, make: impl FnOnce(Option<Type>) -> Cell<'de>) {
        let ty = self.ty;
        self.cells.put_with(self.slot, || make(ty));
    }

    /// Arrays and objects, rare in a scalar's place, as the full seed reads
    /// them.
    fn field(self) -> FieldSeed<'s, 'r, 'de> {
        let cells: &'r mut Cells<'_, 'de> = self.cells;
        FieldSeed {
            schema: self.schema,
            node: self.node,
            reading: None,
            text: self.text,
            cells: cells.reborrow(),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Leaf<'_, '_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.text && self.ty == Some(Type::DECIMAL) {
            let raw = <&'de serde_json::value::RawValue as de::Deserialize>::deserialize(deserializer)?;
            self.put(|_| decimal_from_raw(raw.get()));
            return Ok(());
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Leaf<'_, '_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    // The common case apart, so that its cell is made in place rather than
    // merged with the others' (see `Cell::overwrite_with`).
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        if takes_bool(self.ty) {
            self.put(|_| Cell::Bool(v));
        } else {
            self.put(|ty| from_bool(ty, v));
        }
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.put(|ty| from_i64(ty, v));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.put(|ty| from_u64(ty, v));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.put(|ty| from_f64(ty, v));
        Ok(())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        if takes_str(self.ty) {
            self.put(|_| Cell::String(Cow::Borrowed(v)));
        } else if let Some(clock) = self.ty.and_then(|ty| clock_of(ty, v)) {
            self.put(|_| Cell::from(clock));
        } else {
            self.put(|ty| from_str(ty, Cow::Borrowed(v)));
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.put(|ty| from_str(ty, Cow::Owned(v.to_string())));
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.put(|ty| from_str(ty, Cow::Owned(v)));
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.put(|_| Cell::Missing);
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.field().visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.field().visit_map(map)
    }
}

/// The value of one key the rules use: into its slot (if a field), and on
/// into the object's keys (if fields are read from inside it).
pub(super) struct FieldSeed<'s, 'c, 'a> {
    pub(super) schema: &'s Schema,
    pub(super) node: &'s PathNode,
    /// How a source reads this value, when the record is read through one.
    pub(super) reading: Option<&'s Reading>,
    pub(super) text: bool,
    pub(super) cells: Cells<'c, 'a>,
}

impl FieldSeed<'_, '_, '_> {
    /// The slot the value goes to, and its type (`None`: no slot).
    fn target(&self) -> Option<(Slot, Option<Type>)> {
        match self.reading {
            Some(reading) => match reading.target {
                Target::One { slot, ty } => slot.map(|s| (s, ty)),
                Target::Split { .. } => None,
            },
            None => self.node.slot.map(|s| (s, self.schema.slots[s].ty)),
        }
    }

    fn ty(&self) -> Option<Option<Type>> {
        self.target().map(|(_, ty)| ty)
    }
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.text && self.ty() == Some(Some(Type::DECIMAL)) {
            let raw = <&'de serde_json::value::RawValue as de::Deserialize>::deserialize(deserializer)?;
            if let (Some(reading), true) = (self.reading, raw.get().starts_with('"')) {
                // A string through a source: its words, its decimal comma.
                let text: String = serde_json::from_str(raw.get()).map_err(de::Error::custom)?;
                let mut cells = self.cells;
                reading.read_text(&text, |slot, cell| cells.put(slot, cell.into_static()));
                return Ok(());
            }
            self.set(|_| decimal_from_raw(raw.get()));
            return Ok(());
        }
        deserializer.deserialize_any(self)
    }
}

/// A decimal field's JSON text: a number, taken digit for digit (an
/// exponent or more digits than a decimal holds go through f64).
pub(super) fn decimal_from_raw(raw: &str) -> Cell<'static> {
    match raw.as_bytes().first() {
        Some(b'-' | b'0'..=b'9') => match value::parse_decimal(raw) {
            Some(d) => Cell::Decimal(d),
            None => match raw.parse::<f64>() {
                Ok(f) => from_f64(Some(Type::DECIMAL), f),
                Err(_) => not_a(raw, Type::DECIMAL),
            },
        },
        _ if raw == "null" => Cell::Missing,
        _ => {
            let shown: String = raw.chars().take(40).collect();
            let more = if raw.chars().count() > 40 { "…" } else { "" };
            not_a(format!("{shown}{more}"), Type::DECIMAL)
        }
    }
}

impl<'de> FieldSeed<'_, '_, 'de> {
    fn set(self, make: impl Fn(Option<Type>) -> Cell<'de>) {
        let mut cells = self.cells;
        match self.reading.map(|r| &r.target) {
            // A value that is not text, where one column gives a date and
            // a time: each reads it as its own type (and fails).
            Some(Target::Split { date, time }) => {
                for (slot, ty) in [(*date, Type::DATE), (*time, Type::TIME)] {
                    if let Some(slot) = slot {
                        cells.put(slot, make(Some(ty)));
                    }
                }
            }
            Some(Target::One { slot: Some(slot), ty }) => cells.put(*slot, make(*ty)),
            Some(Target::One { slot: None, .. }) => {}
            None => {
                if let Some(slot) = self.node.slot {
                    cells.put(slot, make(self.schema.slots[slot].ty));
                }
            }
        }
    }

    /// A string value: through the source's reading, if any.
    fn set_str(self, v: Cow<'de, str>) {
        match (self.reading, v) {
            (Some(reading), Cow::Borrowed(v)) => {
                let mut cells = self.cells;
                reading.read_text(v, |slot, cell| cells.put(slot, cell));
            }
            (Some(reading), Cow::Owned(v)) => {
                let mut cells = self.cells;
                reading.read_text(&v, |slot, cell| cells.put(slot, cell.into_static()));
            }
            (None, v) => {
                if let Some(slot) = self.node.slot {
                    let mut cells = self.cells;
                    cells.put(slot, from_str(self.schema.slots[slot].ty, v));
                }
            }
        }
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.set(|ty| from_bool(ty, v));
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.set(|ty| from_i64(ty, v));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.set(|ty| from_u64(ty, v));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.set(|ty| from_f64(ty, v));
        Ok(())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.set_str(Cow::Borrowed(v));
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.set_str(Cow::Owned(v.to_string()));
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.set_str(Cow::Owned(v));
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.set(|_| Cell::Missing);
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some(ty) = self.ty() else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            // One column giving a date and a time: an array is neither.
            self.set(|ty| {
                Cell::Error(format!(
                    "an array is not {}",
                    describe_type(ty.unwrap_or(Type::DATE))
                ))
            });
            return Ok(());
        };
        let element = match ty {
            None => None,
            Some(Type::List(scalar)) => Some(scalar),
            Some(other) => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                self.set(|_| Cell::Error(format!("an array is not {}", describe_type(other))));
                return Ok(());
            }
        };
        let mut items = Vec::new();
        let mut bad = false;
        while let Some(item) = seq.next_element_seed(ElementSeed(element))? {
            match item {
                Cell::Error(_) => bad = true,
                Cell::Missing if element.is_some() => bad = true,
                Cell::Missing => {}
                cell => items.push(cell),
            }
        }
        let cell = match (bad, element) {
            (true, Some(s)) => Cell::Error(format!("the array is not a list of {} values", s.name())),
            _ => Cell::List(items),
        };
        if let Some((slot, _)) = self.target() {
            let mut cells = self.cells;
            cells.put(slot, cell);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let target = self.target();
        let FieldSeed {
            schema,
            node,
            reading,
            text,
            mut cells,
        } = self;
        map.read_map(schema, node, &mut cells, text)?;
        if let Some((slot, ty)) = target {
            let cell = match ty {
                None => Cell::Object,
                Some(ty) => Cell::Error(format!("an object is not {}", describe_type(ty))),
            };
            cells.put(slot, cell);
        } else if let Some(Target::Split { date, time }) = reading.map(|r| &r.target) {
            for slot in [*date, *time].into_iter().flatten() {
                cells.put(slot, Cell::Error("an object is not a date and a time".into()));
            }
        }
        Ok(())
    }
}

/// One element of an array field: a scalar of the list's type, or (for an
/// untyped field) whatever it is.
struct ElementSeed(Option<Scalar>);

impl<'de> DeserializeSeed<'de> for ElementSeed {
    type Value = Cell<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cell<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed {
    type Value = Cell<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell<'de>, E> {
        Ok(from_bool(self.0.map(Type::Scalar), v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell<'de>, E> {
        Ok(from_i64(self.0.map(Type::Scalar), v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell<'de>, E> {
        Ok(from_u64(self.0.map(Type::Scalar), v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell<'de>, E> {
        Ok(from_f64(self.0.map(Type::Scalar), v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cell<'de>, E> {
        Ok(from_str(self.0.map(Type::Scalar), Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell<'de>, E> {
        Ok(from_str(self.0.map(Type::Scalar), Cow::Owned(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell<'de>, E> {
        Ok(Cell::Missing)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Cell<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(match self.0 {
            None => Cell::Object,
            Some(_) => Cell::Error("a nested array".into()),
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cell<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(match self.0 {
            None => Cell::Object,
            Some(_) => Cell::Error("an object".into()),
        })
    }
}

pub(super) fn describe_type(ty: Type) -> String {
    match ty {
        Type::Scalar(Scalar::Bool) => "true or false".into(),
        Type::Scalar(Scalar::Int) => "an int".into(),
        Type::Scalar(Scalar::Time) => "a time (HH:MM or HH:MM:SS)".into(),
        Type::Scalar(Scalar::Date) => "a date (YYYY-MM-DD)".into(),
        Type::Scalar(Scalar::Duration) => "a duration (like 8h or 1h30m)".into(),
        Type::Scalar(s) => format!("a {}", s.name()),
        Type::List(s) => format!("a list of {} values", s.name()),
    }
}

/// Out of line: a value of the wrong type is rare, and the formatting it
/// needs would otherwise weigh on every reading of a value.
#[cold]
#[inline(never)]
pub(super) fn not_a(shown: impl fmt::Display, ty: Type) -> Cell<'static> {
    Cell::Error(format!("{shown} is not {}", describe_type(ty)))
}

#[inline]
pub(super) fn from_bool<'a>(ty: Option<Type>, v: bool) -> Cell<'a> {
    match ty {
        Some(t) if !takes_bool(ty) => not_a(v, t),
        _ => Cell::Bool(v),
    }
}

/// Whether a field of type `ty` takes a JSON bool as it is.
#[inline]
fn takes_bool(ty: Option<Type>) -> bool {
    matches!(ty, None | Some(Type::BOOL))
}

/// Whether a field of type `ty` takes a JSON string as it is.
#[inline]
fn takes_str(ty: Option<Type>) -> bool {
    matches!(ty, None | Some(Type::STRING))
}

#[inline]
pub(super) fn from_i64<'a>(ty: Option<Type>, v: i64) -> Cell<'a> {
    match ty {
        None | Some(Type::INT) => Cell::Int(v),
        Some(Type::DECIMAL) => Cell::Decimal(Decimal::from(v)),
        Some(t) => not_a(v, t),
    }
}

pub(super) fn from_u64<'a>(ty: Option<Type>, v: u64) -> Cell<'a> {
    if let Ok(i) = i64::try_from(v) {
        return from_i64(ty, i);
    }
    match ty {
        Some(Type::INT) => Cell::Error(format!("{v} is too large for a 64-bit int")),
        None | Some(Type::DECIMAL) => Cell::Decimal(Decimal::from(v)),
        Some(t) => not_a(v, t),
    }
}

/// A JSON number with a fraction or an exponent (or `-0`). It is taken at
/// its shortest decimal form (`7.99` stays `7.99`): what an f64 can carry.
pub(super) fn from_f64<'a>(ty: Option<Type>, v: f64) -> Cell<'a> {
    match ty {
        Some(Type::INT) => match value::int_of_json_float(v) {
            Some(i) => Cell::Int(i),
            None if v.abs() < 9.2e18 => {
                Cell::Error(format!("{v} is not an int (it is written with a fraction)"))
            }
            None => Cell::Error(format!("{v} is too large for a 64-bit int")),
        },
        None | Some(Type::DECIMAL) => match shortest_decimal(v) {
            Some(d) => Cell::Decimal(d),
            None => Cell::Error(format!("{v} is out of the range of a decimal")),
        },
        Some(t) => not_a(v, t),
    }
}

/// Text as a data error shows it: quoted, and cut after 40 characters.
pub(super) struct Quoted<'a>(pub(super) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.0.chars().take(40).collect();
        let more = if self.0.chars().count() > 40 { "…" } else { "" };
        write!(f, "\"{shown}{more}\"")
    }
}

/// A JSON string: a string, or a time, date or duration in literal form.
pub(super) fn from_str(ty: Option<Type>, v: Cow<'_, str>) -> Cell<'_> {
    match ty {
        Some(t) if !takes_str(ty) => from_typed_str(t, &v),
        _ => Cell::String(v),
    }
}

/// A JSON string in a field of another type than string: a time, date or
/// duration in literal form, or a data error.
pub(super) fn from_typed_str(ty: Type, v: &str) -> Cell<'static> {
    let parsed = match ty {
        Type::DURATION => value::parse_duration(v).map(Cell::Duration),
        _ => clock_of(ty, v).map(Cell::from),
    };
    match parsed {
        Some(cell) => cell,
        None => not_a(Quoted(v), ty),
    }
}

/// A time or a date read from a string, for a field of that type: small
/// enough to come back from a call in registers, where a cell comes back
/// through memory and is copied into place by wide loads of narrow stores,
/// which stalls (see `Cell::overwrite_with`).
#[derive(Clone, Copy)]
enum Clock {
    Time(jiff::civil::Time),
    Date(jiff::civil::Date),
}

/// The time or date `v` reads as, where `ty` is one and `v` is written as
/// its literal.
fn clock_of(ty: Type, v: &str) -> Option<Clock> {
    match ty {
        Type::TIME => value::parse_time(v).map(Clock::Time),
        Type::DATE => value::parse_date(v).map(Clock::Date),
        _ => None,
    }
}

impl From<Clock> for Cell<'_> {
    fn from(clock: Clock) -> Self {
        match clock {
            Clock::Time(t) => Cell::Time(t),
            Clock::Date(d) => Cell::Date(d),
        }
    }
}
