//! Rules compiler: any text → `Program::from_source` and `fmt`.
//! See `civrules_fuzz::props::compile` for the properties.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        civrules_fuzz::props::compile(text);
    }
});
