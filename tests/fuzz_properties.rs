//! The fuzz targets' properties (`fuzz/src/props.rs`) under proptest, with
//! a bounded number of cases, so that CI checks them on every change:
//!
//! - `compile`: any text compiles or gives located diagnostics; `fmt`
//!   output is a fixed point and compiles exactly when its input does, to
//!   the same rule ids;
//! - `records`: bytes read as NDJSON, CSV and JSON for the fixed rule sets
//!   never panic and lose no record, on one thread or two;
//! - `evaluate`: generated rules × generated records give one outcome per
//!   rule, deterministically, the same through every record reader and
//!   after `fmt`.
//!
//! The fuzzers explore the same properties far longer (CONTRIBUTING.md).

#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::PathBuf;

use proptest::prelude::*;

use fuzz::props;

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).expect("seed")).collect()
}

/// A seed with a few bytes replaced, inserted or removed.
#[derive(Clone, Debug)]
enum Edit {
    Replace(usize, Vec<u8>),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
}

fn mutate(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for edit in edits {
        let len = out.len();
        match edit {
            Edit::Replace(at, bytes) if len > 0 => {
                let at = at % len;
                let end = (at + bytes.len()).min(len);
                out.splice(at..end, bytes.iter().copied());
            }
            Edit::Insert(at, bytes) => {
                let at = if len == 0 { 0 } else { at % (len + 1) };
                out.splice(at..at, bytes.iter().copied());
            }
            Edit::Remove(at, n) if len > 0 => {
                let at = at % len;
                let end = (at + n).min(len);
                out.drain(at..end);
            }
            _ => {}
        }
    }
    out
}

/// Bytes that matter to rules, JSON and CSV, and a few that do not.
fn token_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<&'static [u8]> = vec![
        b"\n",
        b"\r\n",
        b" ",
        b"\"",
        b",",
        b":",
        b"{",
        b"}",
        b"[",
        b"]",
        b"(",
        b")",
        b"#",
        b"\\",
        b"..",
        b".",
        b"-",
        b"0",
        b"9",
        b"07:30",
        b"2022-02-30",
        b"1h30m",
        b"and ",
        b"or ",
        b"not ",
        b" in ",
        b"required",
        b"rule r: ",
        b"check ",
        b"when ",
        b"null",
        b"true",
        b"1e400",
        b"\xEF\xBB\xBF",
        b"\xFF",
        b"\0",
        b"\xC3",
        "ệ".as_bytes(),
    ];
    prop::collection::vec(prop::sample::select(pieces), 1..6).prop_map(|p| p.concat())
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), token_bytes()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<usize>(), token_bytes()).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Remove(at, n)),
    ];
    prop::collection::vec(edit, 0..6)
}

/// A seed of `target`, mutated; or bytes from scratch.
fn input(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds(target);
    prop_oneof![
        3 => (prop::sample::select(seeds), edits()).prop_map(|(seed, e)| mutate(&seed, &e)),
        1 => prop::collection::vec(token_bytes(), 0..40).prop_map(|p| p.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn compile_never_panics_and_fmt_is_a_fixed_point(data in input("compile")) {
        if let Ok(text) = std::str::from_utf8(&data) {
            props::compile(text);
        }
    }

    #[test]
    fn generated_rules_through_fmt_and_compile(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        // The evaluate generator's rules text, as the compile target sees it.
        let mut u = arbitrary::Unstructured::new(&data);
        if let Ok(case) = fuzz::gen::case(&mut u) {
            props::compile(&case.rules);
        }
    }

    #[test]
    fn records_are_never_lost(selector in any::<u8>(), data in input("records")) {
        // The seeds carry their own selector byte; pick another now and then.
        let mut data = data;
        if selector % 4 == 0 && !data.is_empty() {
            data[0] = selector;
        }
        props::records(&data);
    }

    #[test]
    fn evaluation_is_total_and_deterministic(data in prop::collection::vec(any::<u8>(), 0..4096)) {
        let mut u = arbitrary::Unstructured::new(&data);
        let _ = props::evaluate(&mut u);
    }
}
