//! What the fuzz targets check, kept apart from libFuzzer so that
//! `tests/fuzz_properties.rs` in the main crate runs the same properties
//! under proptest (it includes this file with `#[path]`).

pub mod gen;
pub mod props;
pub mod rulesets;
