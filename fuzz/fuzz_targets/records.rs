//! Record reading: the first byte picks a fixed rule set, the rest is read
//! as NDJSON, CSV and JSON. See `civrules_fuzz::props::records`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    civrules_fuzz::props::records(data);
});
