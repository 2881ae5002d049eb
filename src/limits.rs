//! Bounds on the work and memory that input can ask for, in one place.
//! Each has a default that suits rules files written by people and records
//! from ordinary systems; an embedding tool can change them.

/// What the compiler and the record readers accept at most. A larger or
/// deeper input gets an error that names the limit and where it was hit:
/// a compile error for rules, a data error for one record.
///
/// ```
/// let strict = civrules::Limits { max_list_items: 3, ..civrules::Limits::default() };
/// let mut sources = civrules::Sources::default();
/// let mut loader = civrules::MemoryLoader::new();
/// loader.insert("t.rules", r#"rule r: unit in ["a", "b", "c", "d"]"#);
/// let error = civrules::Program::compile(&loader, "t.rules", &mut sources, &strict).unwrap_err();
/// assert!(error.to_string().contains("more than 3 items"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in one rules file.
    pub max_source_bytes: usize,
    /// Parentheses, brackets and prefix operators (`not`, `-`) nested in
    /// one another.
    pub max_nesting: usize,
    /// Depth of an expression tree (operators chained or nested).
    pub max_expression_depth: usize,
    /// Items in one list literal.
    pub max_list_items: usize,
    /// Files in one chain of `extends`.
    pub max_extends_depth: usize,
    /// Bytes a compiled `matches` pattern may take (the regex crate's own
    /// size limits).
    pub max_regex_bytes: usize,
    /// Bytes in one NDJSON line or CSV row; a longer record is one data
    /// error and the records after it are still checked.
    pub max_record_bytes: usize,
}

impl Limits {
    /// The defaults: 4 MiB of source, 64 levels of nesting, expressions 256
    /// deep, 10,000 list items, 32 files of `extends`, 1 MiB of compiled
    /// pattern and 16 MiB records. Every stage that protects itself with a
    /// limit reads it from the `Limits` it is given, or from these.
    pub const DEFAULT: Limits = Limits {
        max_source_bytes: 4 << 20,
        max_nesting: 64,
        max_expression_depth: 256,
        max_list_items: 10_000,
        max_extends_depth: 32,
        max_regex_bytes: 1 << 20,
        max_record_bytes: 16 << 20,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// What a file over [`Limits::max_source_bytes`] is told; `kind` says
/// what the file is (rules, source, test).
pub(crate) fn file_too_large(limit: usize, kind: &str) -> String {
    format!("the file is larger than {limit} bytes, the most a {kind} file may be")
}
