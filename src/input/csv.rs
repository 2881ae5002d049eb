//! CSV rows into records: each cell read as its field's type, or through
//! the source's reading of its column.

use std::borrow::Cow;

use serde::de::DeserializeSeed;

use super::json::{not_a, Cells, FieldSeed, Quoted};
use super::ColumnRead;
use crate::compile::{PathNode, Program, Schema};
use crate::record::Record;
use crate::semantics::cell::Cell;
use crate::semantics::value::{self, Type};
use crate::source::Source;

/// Reads a CSV row whose cells are named by `columns` (how each
/// column reads, see [`ColumnRead`]).
///
/// `#[inline]`, so that it is compiled beside its one caller, the checker's
/// row loop, and inlined there whatever codegen unit this module lands in
/// (called out of line it cost 0.6% more instructions on the CSV workload).
#[inline]
pub(crate) fn fill_csv<'a>(
    record: &mut Record<'a>,
    program: &Program,
    source: Option<&Source>,
    columns: &[Option<ColumnRead>],
    row: &'a csv::ByteRecord,
) {
    // One validation for the whole row is much cheaper than one a cell;
    // only a row that is not all UTF-8 is looked at cell by cell.
    let whole = simdutf8::basic::from_utf8(row.as_slice()).ok();
    for (column, (bytes, read)) in row.iter().zip(columns).enumerate() {
        let Some(read) = read else { continue };
        let text = whole.and_then(|whole| whole.get(row.range(column)?));
        let text = match text.map_or_else(|| std::str::from_utf8(bytes), Ok) {
            Ok(text) => text,
            Err(_) => {
                let error = || Cell::Error("the cell is not UTF-8 text".into());
                match (read, source) {
                    (ColumnRead::Plain(slot), _) => record.cells[*slot].overwrite(error()),
                    (other, Some(source)) => {
                        for slot in other.reading(source).slots() {
                            record.cells[slot].overwrite(error());
                        }
                    }
                    (_, None) => {}
                }
                continue;
            }
        };
        match (read, source) {
            (ColumnRead::Plain(slot), _) => {
                let ty = program.schema.slots[*slot].ty;
                record.cells[*slot].overwrite(csv_cell(ty, text));
            }
            (other, Some(source)) => {
                let cells = &mut record.cells;
                other
                    .reading(source)
                    .read_text(text, |slot, cell| cells[slot].overwrite(cell));
            }
            (_, None) => {}
        }
    }
}

/// A CSV cell read as `ty`; an empty cell is missing. Typed values are
/// trimmed; a list is written as a JSON array.
pub(crate) fn csv_cell(ty: Option<Type>, cell: &str) -> Cell<'_> {
    if cell.is_empty() {
        return Cell::Missing;
    }
    // Most cells have nothing to trim, which their ends show at a glance.
    let solid = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let trimmed = if solid(cell.as_bytes().first()) && solid(cell.as_bytes().last()) {
        cell
    } else {
        cell.trim()
    };
    let parsed = match ty {
        None => match trimmed {
            "true" => Some(Cell::Bool(true)),
            "false" => Some(Cell::Bool(false)),
            _ => Some(Cell::String(Cow::Borrowed(cell))),
        },
        Some(Type::BOOL) => match trimmed {
            "true" | "1" => Some(Cell::Bool(true)),
            "false" | "0" => Some(Cell::Bool(false)),
            _ => None,
        },
        Some(Type::INT) => trimmed.parse().ok().map(Cell::Int),
        Some(Type::DECIMAL) => value::parse_decimal(trimmed).map(Cell::Decimal),
        Some(Type::STRING) => Some(Cell::String(Cow::Borrowed(cell))),
        Some(Type::TIME) => value::parse_time(trimmed).map(Cell::Time),
        Some(Type::DATE) => value::parse_date(trimmed).map(Cell::Date),
        Some(Type::DURATION) => value::parse_duration(trimmed).map(Cell::Duration),
        Some(list @ Type::List(_)) => {
            let mut record_cells = vec![Cell::Missing];
            let schema_node = PathNode::leaf(0);
            let schema = Schema::single(list);
            let mut de = serde_json::Deserializer::from_str(trimmed);
            let seed = FieldSeed {
                schema: &schema,
                node: &schema_node,
                reading: None,
                text: true,
                cells: Cells::fresh(&mut record_cells),
            };
            match seed.deserialize(&mut de).and_then(|()| de.end()) {
                Ok(()) => record_cells.pop(),
                Err(_) => None,
            }
        }
    };
    parsed.unwrap_or_else(|| match ty {
        Some(t) => not_a(Quoted(cell), t),
        None => Cell::Missing,
    })
}
