//! Evaluation: rules from a structured generator × generated records.
//! See `civrules_fuzz::gen` and `civrules_fuzz::props::evaluate`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let _ = civrules_fuzz::props::evaluate(&mut u);
});
