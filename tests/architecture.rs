//! The layering ARCHITECTURE.md states, checked on the source: data flows
//! one way through the stages, and no stage calls a tool.
//!
//! Each top-level module of `src/` (a folder or a file) is a stage of a
//! rank or a tool. A stage may use the stages of lower ranks; a tool may
//! use any stage and the tools' shared machinery (`analysis`); nothing
//! else uses a tool. The edges are read from the text
//! (`crate::x` paths and `use crate::{x, …}` groups, tests and comments
//! left out; a name the crate root re-exports counts as the module it comes
//! from), which is crude but enough: the modules name each other that way.
//! `codegen::runtime` (the run time of generated code) counts apart from
//! the generator: the checker may use it, a stated exception (`STATED`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The stages, by rank: a stage may use those of a lower rank. The leaves
/// (rank 0) use nothing in the crate.
const STAGES: &[(&str, u32)] = &[
    ("semantics", 0),
    ("diagnostic", 0),
    ("limits", 0),
    ("load", 1),
    ("record", 1),
    ("syntax", 2),
    ("check", 3),
    ("compile", 4),
    ("source", 5),
    ("input", 6),
    ("eval", 7),
    ("report", 8),
    ("checker", 9),
];

/// Tools for the rules' authors: they may call any stage.
const TOOLS: &[&str] = &[
    "analysis", "lint", "sample", "explain", "fmt", "ruletest", "codegen",
];

/// Tools' shared machinery: the other tools may use it (lint and sample
/// reason over its conditions), no stage may.
const SHARED_BY_TOOLS: &[&str] = &["analysis"];

/// The public facade and the command, which may use anything.
const FACADE: &[&str] = &["lib", "main"];

/// The run-time half of generated code, a leaf over `semantics` that only
/// the checker (and tools) may use.
const RUNTIME: &str = "codegen::runtime";

/// Edges against the layering that stay, and why.
const STATED: &[(&str, &str, &str)] = &[
    // The checker runs generated code through codegen's run time, which a
    // tool's generated module implements (`Generated`, `read`).
    ("checker", RUNTIME, "Checker::check_serialize_with"),
];

/// Edges against the layering that the code still has, each with the step
/// of issue 14 that removes it, or why it stays. The list only shrinks: an
/// edge listed here that the code no longer has fails the test too, so
/// that it is struck.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

fn src() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
}

/// The text of a source file without `#[cfg(test)]` modules and comments.
fn without_tests_and_comments(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let next_is_test_module = line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "));
        if next_is_test_module {
            let Some(header) = lines.next() else { break };
            if header.trim_end().ends_with('{') {
                let mut depth = brace_balance(header);
                while depth > 0 {
                    let Some(inner) = lines.next() else { break };
                    depth += brace_balance(inner);
                }
            }
            continue;
        }
        let code = line.find("//").map_or(line, |at| &line[..at]);
        out.push_str(code);
        out.push('\n');
    }
    out
}

fn brace_balance(line: &str) -> i64 {
    line.matches('{').count() as i64 - line.matches('}').count() as i64
}

/// The first segment of every `crate::` path in `code`, and of every item
/// of a `use crate::{…}` group.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // `codegen::runtime` counts apart from the rest of codegen: it is the
    // run-time half of generated code, not the generator (a tool).
    let identifier = |s: &str| -> String {
        let name: String = s
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        match s[name.len()..].strip_prefix("::runtime") {
            Some(rest)
                if name == "codegen" && !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') =>
            {
                RUNTIME.to_string()
            }
            _ => name,
        }
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_whitespace() => {}
                    _ if item_start => {
                        item_start = false;
                        out.insert(identifier(&group[i..]));
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(identifier(rest));
        }
    }
    out.retain(|name| !name.is_empty() && name != "self");
    out
}

/// The modules of `src/`: its folders and its files, by name.
fn modules() -> BTreeSet<String> {
    fs::read_dir(src())
        .expect("src/ is readable")
        .map(|entry| {
            let path = entry.expect("an entry of src/").path();
            path.file_stem()
                .expect("a named entry")
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The names the crate root re-exports (`pub use module::…::{A, B}`), and
/// the module each comes from.
fn root_exports() -> BTreeMap<String, String> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    let lib = without_tests_and_comments(&lib);
    let mut out = BTreeMap::new();
    for (at, _) in lib.match_indices("pub use ") {
        let statement = &lib[at + "pub use ".len()..];
        let statement = &statement[..statement.find(';').expect("a `pub use` ends")];
        let module = statement.split("::").next().expect("a path").trim().to_string();
        let names = match statement.find('{') {
            Some(open) => statement[open + 1..].trim_end_matches('}').to_string(),
            None => statement.rsplit("::").next().expect("a path").to_string(),
        };
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            out.insert(name.to_string(), module.clone());
        }
    }
    out
}

/// Every source file of `src/` but test files, with the module it is of.
fn files() -> Vec<(String, std::path::PathBuf)> {
    fn walk(dir: &Path, module: &str, out: &mut Vec<(String, std::path::PathBuf)>) {
        for entry in fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, module, out);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                out.push((module.to_string(), path));
            }
        }
    }
    let mut out = Vec::new();
    for module in modules() {
        let folder = src().join(&module);
        if folder.is_dir() {
            walk(&folder, &module, &mut out);
        } else {
            out.push((module.clone(), src().join(format!("{module}.rs"))));
        }
    }
    out
}

/// Every edge between two modules, with a file that makes it.
fn edges() -> BTreeMap<(String, String), String> {
    let modules = modules();
    let exports = root_exports();
    let mut out = BTreeMap::new();
    for (module, path) in files() {
        let text = fs::read_to_string(&path).expect("a source file");
        for name in crate_paths(&without_tests_and_comments(&text)) {
            let target = if modules.contains(&name) || name == RUNTIME {
                name
            } else if let Some(module) = exports.get(&name) {
                module.clone()
            } else {
                panic!(
                    "{}: `crate::{name}` is neither a module of src/ nor a name the crate root re-exports",
                    path.display()
                );
            };
            if target != module {
                let file = path.strip_prefix(src()).unwrap_or(&path).display().to_string();
                out.entry((module.clone(), target)).or_insert(file);
            }
        }
    }
    out
}

fn rank(module: &str) -> Option<u32> {
    STAGES
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, rank)| *rank)
}

fn allowed(from: &str, to: &str) -> bool {
    if FACADE.contains(&from) || STATED.iter().any(|(f, t, _)| *f == from && *t == to) {
        return true;
    }
    // The run time is codegen's own, and a tool's to use.
    if to == RUNTIME {
        return from == "codegen" || TOOLS.contains(&from);
    }
    if TOOLS.contains(&from) && SHARED_BY_TOOLS.contains(&to) {
        return true;
    }
    if TOOLS.contains(&to) {
        return false;
    }
    if TOOLS.contains(&from) {
        return true;
    }
    matches!((rank(from), rank(to)), (Some(from), Some(to)) if from > to)
}

#[test]
fn every_module_has_a_place_in_the_layering() {
    for module in modules() {
        assert!(
            rank(&module).is_some() || TOOLS.contains(&module.as_str()) || FACADE.contains(&module.as_str()),
            "src/{module} is neither a stage nor a tool: give it a place in tests/architecture.rs and ARCHITECTURE.md"
        );
    }
}

#[test]
fn no_module_uses_a_later_stage_or_a_tool() {
    let edges = edges();
    let excepted = |from: &str, to: &str| EXCEPTIONS.iter().any(|(f, t, _)| *f == from && *t == to);
    let wrong: Vec<String> = edges
        .iter()
        .filter(|((from, to), _)| !allowed(from, to) && !excepted(from, to))
        .map(|((from, to), file)| format!("{from} → {to} (in src/{file})"))
        .collect();
    assert!(
        wrong.is_empty(),
        "edges against the layering (a stage uses only earlier stages, nothing uses a tool):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn every_exception_is_still_needed() {
    let edges = edges();
    for (from, to, what) in EXCEPTIONS {
        assert!(
            !allowed(from, to),
            "{from} → {to} is allowed by the layering: strike it from EXCEPTIONS"
        );
        assert!(
            edges.contains_key(&(from.to_string(), to.to_string())),
            "{from} → {to} ({what}) is gone: strike it from EXCEPTIONS"
        );
    }
}

#[test]
fn the_reading_sees_paths_and_groups() {
    let code = without_tests_and_comments(
        "use crate::a::B;\nuse crate::{c, d::{E, F}, self};\nfn f() { crate::g::h(); } // crate::comment\n#[cfg(test)]\nmod tests {\n    use crate::t;\n}\nuse crate::codegen::runtime::X;\nuse crate::codegen::runtimes;\n",
    );
    let found: Vec<String> = crate_paths(&code).into_iter().collect();
    assert_eq!(found, ["a", "c", "codegen", "codegen::runtime", "d", "g"]);
}
