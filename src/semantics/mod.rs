//! What the language means, in one place: values and their types and
//! text forms (`value`), and the operators (`ops`).
//!
//! The invariant: nothing else in the crate computes meaning. Every other
//! module that compares, computes or tests a value calls this one; this
//! module depends on nothing else in the crate.

pub(crate) mod ops;
pub(crate) mod value;
