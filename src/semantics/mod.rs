//! What the language means, in one place: values and their types and text
//! forms (`value`), the cell records hold and evaluation computes with
//! (`cell`), the one integer encoding of times, dates and durations
//! (`ordinal`), the operators (`ops`) and what they do: comparison
//! (`compare`), arithmetic and its result types (`arith`), three-valued
//! logic and the predicates (`logic`), the built-in functions
//! (`functions`), and the one interval domain the tools reason over
//! (`domain`).
//!
//! The invariant: nothing else computes meaning. The evaluator, generated
//! code's run time, the checker's result types and the tools call this
//! module to compare, compute or test a value; it depends on nothing else
//! in the crate.

pub(crate) mod aggregate;
pub(crate) mod arith;
pub(crate) mod cell;
pub(crate) mod compare;
pub(crate) mod domain;
pub(crate) mod functions;
pub(crate) mod logic;
pub(crate) mod ops;
pub(crate) mod ordinal;
pub(crate) mod value;
