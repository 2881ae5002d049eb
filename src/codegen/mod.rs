//! Rules compiled to Rust source, for the tool that checks Rust structs by
//! the million and knows its rules when it is built.
//!
//! The evaluator in [`crate::Checker`] reads any record through one
//! schema, field by field, and decides rules from a compiled plan; that
//! generality costs it about five times what a struct and `if`s written
//! for the rules cost. [`rust`] writes that struct and those `if`s from a
//! [`Program`]: one typed slot per field, a `match` from each struct key
//! to its slot (which the compiler folds away when it inlines a struct's
//! `Serialize` impl), and each rule as plain three-valued logic over the
//! slots.
//!
//! Generated code only counts, and only what it can be sure of: a record
//! with a data error, an object or list in a field, a map where a struct
//! was expected, an evaluation error (arithmetic is the interpreter's own, and a
//! failure gives the record back), or a violation when entries are asked
//! for, goes to the interpreter, which decides it in full; so does every
//! record while a rule uses what generated code does not hold (see
//! [`GeneratedRust::interpreted`]). So the counts and reports are the
//! interpreter's, whatever the records.
//!
//! In a build script:
//!
//! ```no_run
//! let program = civrules::Program::from_file("rules/nghe-an.rules")?;
//! let code = civrules::codegen::rust(&program);
//! let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
//! std::fs::write(out.join("nghe_an_rules.rs"), code.source)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! and in the tool, with the same rules file compiled at run time:
//!
//! ```no_run
//! # let program = civrules::Program::from_file("rules/nghe-an.rules")?;
//! # let records: Vec<serde_json::Value> = Vec::new();
//! mod nghe_an {
//! # /*
//!     include!(concat!(env!("OUT_DIR"), "/nghe_an_rules.rs"));
//! # */
//! # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/codegen/nghe_an_rules.rs"));
//! }
//! let mut rules = nghe_an::Rules::default();
//! let mut checker = civrules::Checker::new(&program).with_detail(civrules::Detail::Totals);
//! for record in &records {
//!     checker.check_serialize_with(&mut rules, record);
//! }
//! # Ok::<(), civrules::CompileError>(())
//! ```
//!
//! Code generated from other rules than the checker's is never used: its
//! fingerprint ([`Program::codegen_fingerprint`]) differs, and every record
//! goes to the interpreter.

#[doc(hidden)]
pub mod runtime;

use std::fmt::Write as _;

use crate::check::{Field, Function, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::compile::GuardIndex;
use crate::semantics::compare::common_type;
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::ordinal;
use crate::semantics::value::{self, Scalar, Type, Value};
use crate::Program;

/// Rust source for one rule set, from [`rust`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedRust {
    /// A module's items: `pub struct Rules`, which implements
    /// [`runtime::Generated`]. Include it in a module of its own.
    pub source: String,
    /// The ids of rules generated code cannot decide (they use unary `-`,
    /// `lower`, `upper`, `matches` or a list). While there is one, the
    /// generated code sends every record to the interpreter.
    pub interpreted: Vec<String>,
    /// What [`Program::codegen_fingerprint`] gives for this program.
    pub fingerprint: u64,
}

impl Program {
    /// The fingerprint of the Rust code [`rust`] writes for this program:
    /// code whose `FINGERPRINT` is another was generated from other rules
    /// (or by another version of civrules), and
    /// [`crate::Checker::check_serialize_with`] does not use it.
    pub fn codegen_fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| rust(self).fingerprint)
    }
}

/// Writes the rules of `program` as Rust (see the [module docs](self)).
pub fn rust(program: &Program) -> GeneratedRust {
    let rules = program.ruleset();
    let slots: Vec<SlotKind> = rules.fields.iter().map(|f| SlotKind::of(f.ty)).collect();
    let gen = Gen { slots: &slots };
    let mut decisions = Vec::new();
    let mut interpreted = Vec::new();
    for (index, rule) in rules.rules.iter().enumerate() {
        // A group rule has no outcome for a record (it is checked over
        // groups, after the last record), so nothing to decide here; a
        // checker of a program with group rules reads every record into
        // the interpreter's slots for their state.
        if rule.group.is_some() {
            continue;
        }
        let when = match &rule.when {
            Some(when) => gen.truth(when).map(|w| format!("{w} == Some(true) && ")),
            None => Ok(String::new()),
        };
        match (when, gen.truth(&rule.check)) {
            (Ok(when), Ok(check)) => decisions.push(format!(
                "        // {id}\n        if {when}{check} != Some(true) {{\n            violated({index});\n        }}\n",
                id = rule.id,
            )),
            _ => interpreted.push(rule.id.clone()),
        }
    }
    let decides = interpreted.is_empty();
    let layout = if decides {
        Layout::of(&program.guards, &slots, decisions.len())
    } else {
        Layout::default()
    };
    let body = body(rules, &slots, &decisions, &layout, decides);
    let fingerprint = fnv1a(body.as_bytes());
    let source = format!(
        "// @generated by civrules {version} (civrules::codegen) from the rules \"{name}\". Do not edit:\n\
         // generate it again when the rules change. Code generated from other rules is\n\
         // never used (its fingerprint differs): the interpreter checks every record.\n\
         {body}",
        version = env!("CARGO_PKG_VERSION"),
        name = rules.name.escape_default(),
        body = body.replace(FINGERPRINT_HOLE, &format!("{fingerprint:#018x}")),
    );
    GeneratedRust {
        source,
        interpreted,
        fingerprint,
    }
}

/// A field whose guards name at least this many values has its rules
/// decided only for the record's own value, found by binary search: what
/// keeps a province file of thousands of per-unit rules cheap, here as in
/// the interpreter. With fewer, the guards are tested one by one.
const GROUP_MIN_VALUES: usize = 4;

/// Rules are written in methods of at most this many: one function of
/// thousands of rules takes the compiler far longer than many small ones.
const RULES_PER_METHOD: usize = 64;

/// Where each rule's `if` goes.
#[derive(Default)]
struct Layout {
    /// Rules decided for every record, in order.
    ungrouped: Vec<usize>,
    groups: Vec<Group>,
}

/// The rules guarded by values of one text field (a group of the
/// interpreter's `GuardIndex`).
struct Group {
    slot: usize,
    /// Sorted, each with the rules it guards.
    values: Vec<(String, Vec<usize>)>,
    /// The rules whose guard goes on with `and …`: where the field is
    /// missing, the guard is unknown, not false, and the rest is still
    /// evaluated (it may fail).
    unknown: Vec<usize>,
}

impl Layout {
    /// The groups of `guards` that name enough values, and every other
    /// rule of the `rules` in order.
    fn of(guards: &GuardIndex, slots: &[SlotKind], rules: usize) -> Layout {
        let indexes = |rules: &[u32]| rules.iter().map(|r| *r as usize).collect::<Vec<_>>();
        let mut grouped = vec![false; rules];
        let groups = guards
            .groups
            .iter()
            .filter(|g| g.by_value.len() >= GROUP_MIN_VALUES && slots[g.slot] == SlotKind::Text)
            .map(|g| {
                for rule in &g.all {
                    grouped[*rule as usize] = true;
                }
                let mut values: Vec<(String, Vec<usize>)> = g
                    .by_value
                    .iter()
                    .map(|(value, rules)| (value.to_string(), indexes(rules)))
                    .collect();
                // Byte order, which `binary_search` on `&str` follows.
                values.sort_by(|a, b| a.0.cmp(&b.0));
                Group {
                    slot: g.slot,
                    values,
                    unknown: indexes(&g.unknown),
                }
            })
            .collect();
        let ungrouped = (0..rules).filter(|r| !grouped[*r]).collect();
        Layout { ungrouped, groups }
    }
}

/// Where the fingerprint goes, in the text it is a hash of.
const FINGERPRINT_HOLE: &str = "@FINGERPRINT@";

/// The generated items, with the fingerprint left as a hole.
fn body(rules: &RuleSet, slots: &[SlotKind], decisions: &[String], layout: &Layout, decides: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "// civrules {}", env!("CARGO_PKG_VERSION"));
    out.push_str("use civrules::codegen::runtime::{self as rt, Slot as _};\n\n");
    out.push_str("/// One typed slot for each field the rules know.\n");
    out.push_str("#[derive(Debug, Default)]\npub struct Rules {\n");
    for (index, (field, kind)) in rules.fields.iter().zip(slots).enumerate() {
        let _ = writeln!(
            out,
            "    /// `{}`\n    s{index}: rt::{},",
            field.name,
            kind.slot_type()
        );
    }
    // Lints are for code people write; this is regenerated, not edited.
    out.push_str("}\n\n#[allow(clippy::all)]\nimpl rt::Generated for Rules {\n");
    let _ = writeln!(out, "    const FINGERPRINT: u64 = {FINGERPRINT_HOLE};\n");
    out.push_str("    #[inline]\n    fn clear(&mut self) {\n");
    for index in 0..slots.len() {
        let _ = writeln!(out, "        self.s{index}.clear();");
    }
    out.push_str("    }\n\n");
    out.push_str("    #[inline]\n");
    out.push_str(
        "    fn field<V: rt::serde::Serialize + ?Sized>(&mut self, key: &str, value: &V) -> bool {\n",
    );
    // The types that read nested objects, written after the rules.
    let mut nested = NestedTypes::default();
    if decides {
        out.push_str("        match key {\n");
        out.push_str(&key_arms(&KeyTree::of(&rules.fields), "self", &mut nested));
        out.push_str("            _ => true,\n        }\n");
    } else {
        out.push_str("        // Some rules are left to the interpreter, and with them every record.\n");
        out.push_str("        let _ = (key, value);\n        false\n");
    }
    out.push_str("    }\n\n");
    out.push_str("    #[inline]\n    #[allow(unused_mut, unused_variables)]\n");
    out.push_str("    fn decide(&self, mut violated: impl FnMut(usize)) -> Result<(), rt::Unsure> {\n");
    // Methods that decide some of the rules, written after the trait's impl.
    let mut methods = String::new();
    let mut method = |name: &str, rules: &[usize]| {
        let _ = writeln!(
            methods,
            "\n    fn {name}(&self, mut violated: impl FnMut(usize)) -> Result<(), rt::Unsure> {{"
        );
        for position in rules {
            methods.push_str(&decisions[*position]);
        }
        methods.push_str("        Ok(())\n    }\n");
    };
    if layout.ungrouped.len() <= RULES_PER_METHOD {
        for position in &layout.ungrouped {
            out.push_str(&decisions[*position]);
        }
    } else {
        for (n, chunk) in layout.ungrouped.chunks(RULES_PER_METHOD).enumerate() {
            let name = format!("rules_{n}");
            let _ = writeln!(out, "        self.{name}(&mut violated)?;");
            method(&name, chunk);
        }
    }
    for Group {
        slot,
        values,
        unknown,
    } in &layout.groups
    {
        let _ = writeln!(
            out,
            "        // Rules guarded by `{}`: only those of the record's own value.",
            rules.fields[*slot].name
        );
        let _ = writeln!(
            out,
            "        match self.s{slot}.get() {{\n            Some(value) => {{"
        );
        let keys: Vec<String> = values.iter().map(|(v, _)| format!("{v:?}")).collect();
        let _ = writeln!(
            out,
            "                const VALUES: [&str; {}] = [{}];\n                match VALUES.binary_search(&value) {{",
            keys.len(),
            keys.join(", ")
        );
        for (n, (_, rules)) in values.iter().enumerate() {
            let name = format!("s{slot}_{n}");
            let _ = writeln!(out, "                    Ok({n}) => self.{name}(&mut violated)?,");
            method(&name, rules);
        }
        out.push_str("                    _ => {}\n                }\n            }\n");
        if unknown.is_empty() {
            out.push_str("            None => {}\n");
        } else {
            let name = format!("s{slot}_missing");
            let _ = writeln!(out, "            None => self.{name}(&mut violated)?,");
            method(&name, unknown);
        }
        out.push_str("        }\n");
    }
    if decides {
        out.push_str("        Ok(())\n    }\n}\n");
    } else {
        // `field` refuses every key, but a record with none (a struct
        // without fields) is read all the same.
        out.push_str("        Err(rt::Unsure)\n    }\n}\n");
    }
    if !methods.is_empty() {
        out.push_str("\n#[allow(clippy::all)]\nimpl Rules {");
        out.push_str(&methods);
        out.push_str("}\n");
    }
    out.push_str(&nested.code);
    out
}

/// The record's keys the rules know, as a tree: a key holds a field's
/// value, or leads to nested keys, or (for the interpreter) both.
#[derive(Default)]
struct KeyTree<'f> {
    slot: Option<usize>,
    children: Vec<(&'f str, KeyTree<'f>)>,
}

impl<'f> KeyTree<'f> {
    fn of(fields: &'f [Field]) -> KeyTree<'f> {
        let mut root = KeyTree::default();
        for (index, field) in fields.iter().enumerate() {
            let mut node = &mut root;
            for segment in &field.path {
                let at = match node.children.iter().position(|(key, _)| key == segment) {
                    Some(at) => at,
                    None => {
                        node.children.push((segment, KeyTree::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[at].1;
            }
            node.slot = Some(index);
        }
        root
    }
}

/// The types that read nested objects, and how many there are.
#[derive(Default)]
struct NestedTypes {
    code: String,
    count: usize,
}

/// The `match` arms of the keys of `tree`, reached through `owner` (`self`
/// at the top, `rules` inside a nested object); the types that read nested
/// objects are added to `nested`.
fn key_arms(tree: &KeyTree<'_>, owner: &str, nested: &mut NestedTypes) -> String {
    let mut arms = String::new();
    for (key, child) in &tree.children {
        let arm = match (child.slot, child.children.is_empty()) {
            (Some(slot), true) => format!("rt::put(&mut {owner}.s{slot}, value)"),
            (None, false) => {
                // One type for each object on the way to nested fields,
                // numbered in the order the keys are met.
                let name = format!("Object{}", nested.count);
                nested.count += 1;
                let inner = key_arms(child, "rules", nested);
                let _ = write!(
                    nested.code,
                    "\n/// The keys of `{key}`.\nstruct {name};\n\n\
                     #[allow(clippy::all)]\nimpl rt::Nested<Rules> for {name} {{\n    #[inline]\n    \
                     fn field<V: rt::serde::Serialize + ?Sized>(rules: &mut Rules, key: &str, value: &V) -> bool {{\n        \
                     match key {{\n{inner}            _ => true,\n        }}\n    }}\n}}\n"
                );
                format!("rt::nest::<Rules, {name}, V>({owner}, value)")
            }
            // A key both read and led through: the interpreter's.
            _ => "false".to_owned(),
        };
        let _ = writeln!(arms, "            {key:?} => {arm},");
    }
    arms
}

/// FNV-1a, 64 bits: a fingerprint, not a defence against anyone.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// How generated code holds a field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SlotKind {
    Bool,
    Int,
    Decimal,
    Text,
    Time,
    Date,
    /// In nanoseconds.
    Duration,
    /// No type: only whether it is there, and empty.
    Any,
    /// A list: left to the interpreter.
    Other,
}

impl SlotKind {
    fn of(ty: Option<Type>) -> SlotKind {
        match ty {
            None => SlotKind::Any,
            Some(Type::Scalar(scalar)) => match scalar {
                Scalar::Bool => SlotKind::Bool,
                Scalar::Int => SlotKind::Int,
                Scalar::Decimal => SlotKind::Decimal,
                Scalar::String => SlotKind::Text,
                Scalar::Time => SlotKind::Time,
                Scalar::Date => SlotKind::Date,
                Scalar::Duration => SlotKind::Duration,
            },
            Some(Type::List(_)) => SlotKind::Other,
        }
    }

    fn slot_type(self) -> &'static str {
        match self {
            SlotKind::Bool => "BoolSlot",
            SlotKind::Int => "IntSlot",
            SlotKind::Decimal => "DecimalSlot",
            SlotKind::Text => "TextSlot",
            SlotKind::Time => "TimeSlot",
            SlotKind::Date => "DateSlot",
            SlotKind::Duration => "DurationSlot",
            SlotKind::Any => "AnySlot",
            SlotKind::Other => "OtherSlot",
        }
    }

    /// For a kind arithmetic takes: its `rt::kind`.
    fn arithmetic_kind(self) -> Option<&'static str> {
        match self {
            SlotKind::Bool => None,
            kind => kind.value_kind(),
        }
    }

    /// For a kind whose values `rt::Kind` turns into cells and back: its
    /// `rt::kind`.
    fn value_kind(self) -> Option<&'static str> {
        Some(match self {
            SlotKind::Bool => "Bool",
            SlotKind::Int => "Int",
            SlotKind::Decimal => "Decimal",
            SlotKind::Time => "Time",
            SlotKind::Date => "Date",
            SlotKind::Duration => "Duration",
            _ => return None,
        })
    }

    /// The language's type of a kind that holds values.
    fn ty(self) -> Option<Type> {
        Some(Type::Scalar(match self {
            SlotKind::Bool => Scalar::Bool,
            SlotKind::Int => Scalar::Int,
            SlotKind::Decimal => Scalar::Decimal,
            SlotKind::Text => Scalar::String,
            SlotKind::Time => Scalar::Time,
            SlotKind::Date => Scalar::Date,
            SlotKind::Duration => Scalar::Duration,
            SlotKind::Any | SlotKind::Other => return None,
        }))
    }

    /// Kinds a value of which is an `Option` of a Rust value.
    fn holds_values(self) -> bool {
        !matches!(self, SlotKind::Any | SlotKind::Other)
    }
}

/// A construct generated code does not decide.
struct Unsupported;

/// A Rust expression of type `Option<T>`, where `T` is what `kind` holds
/// (`&str` for text).
struct Code {
    text: String,
    kind: SlotKind,
    /// The literal it is, which a conversion writes again as a constant.
    literal: Option<Value>,
}

impl Code {
    /// An expression that is not a literal.
    fn computed(text: String, kind: SlotKind) -> Code {
        Code {
            text,
            kind,
            literal: None,
        }
    }
}

struct Gen<'a> {
    slots: &'a [SlotKind],
}

impl Gen<'_> {
    /// An expression of type `Option<bool>`: the truth of `expr`.
    fn truth(&self, expr: &TypedExpr) -> Result<String, Unsupported> {
        let code = self.value(expr)?;
        if code.kind == SlotKind::Bool {
            Ok(code.text)
        } else {
            Err(Unsupported)
        }
    }

    fn value(&self, expr: &TypedExpr) -> Result<Code, Unsupported> {
        let bool_code = |text: String| Code::computed(text, SlotKind::Bool);
        match &expr.kind {
            // A group rule is checked over groups, after the last record:
            // the interpreter's, never generated code's.
            TypedKind::GroupKey { .. } | TypedKind::Aggregate { .. } => Err(Unsupported),
            TypedKind::Literal(v) => {
                let kind = SlotKind::of(Some(expr.ty));
                Ok(Code {
                    text: format!("Some({})", literal(v, kind)?),
                    kind,
                    literal: Some(v.clone()),
                })
            }
            TypedKind::Field(id) => {
                let kind = self.slots[id.0 as usize];
                if !kind.holds_values() {
                    return Err(Unsupported);
                }
                Ok(Code::computed(format!("self.s{}.get()", id.0), kind))
            }
            TypedKind::Not(inner) => Ok(bool_code(format!("rt::not({})", self.truth(inner)?))),
            TypedKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And | BinaryOp::Or => {
                    let f = if *op == BinaryOp::And { "and" } else { "or" };
                    Ok(bool_code(format!(
                        "rt::{f}({}, {})",
                        self.truth(lhs)?,
                        self.truth(rhs)?
                    )))
                }
                BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                    let (a, b) = unify(self.value(lhs)?, self.value(rhs)?)?;
                    if a.kind == SlotKind::Bool && !matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
                        return Err(Unsupported);
                    }
                    // The language's comparison operators are Rust's.
                    Ok(Code::computed(
                        format!("rt::both({}, {}, |x, y| x {} y)", a.text, b.text, op.as_str()),
                        SlotKind::Bool,
                    ))
                }
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                    let (a, b) = (self.value(lhs)?, self.value(rhs)?);
                    arithmetic(*op, expr.ty, a, b)
                }
            },
            TypedKind::In {
                negated,
                element,
                set,
            } => {
                let element = self.value(element)?;
                let test = match set {
                    TypedSet::List(items) => {
                        let kind = set_kind(element.kind, items.iter())?;
                        let element = convert(element, kind)?;
                        let tests = items
                            .iter()
                            .map(|item| Ok(format!("v == {}", literal(item, kind)?)))
                            .collect::<Result<Vec<_>, Unsupported>>()?;
                        let tests = if tests.is_empty() {
                            "false".to_owned()
                        } else {
                            tests.join(" || ")
                        };
                        format!("{}.map(|v| {tests})", element.text)
                    }
                    TypedSet::Range(low, high) => {
                        let kind = set_kind(element.kind, [low, high].into_iter())?;
                        let element = convert(element, kind)?;
                        format!(
                            "{}.map(|v| ({}..={}).contains(&v))",
                            element.text,
                            literal(low, kind)?,
                            literal(high, kind)?
                        )
                    }
                    TypedSet::Field(_) => return Err(Unsupported),
                };
                Ok(bool_code(if *negated {
                    format!("rt::not({test})")
                } else {
                    test
                }))
            }
            TypedKind::Predicate(predicate, id) => {
                let slot = format!("self.s{}", id.0);
                Ok(bool_code(match predicate {
                    Predicate::Required => format!("Some({slot}.required())"),
                    Predicate::Present => format!("Some({slot}.present())"),
                    Predicate::Missing => format!("Some(!{slot}.present())"),
                }))
            }
            TypedKind::Call(function, args) => self.call(function, args),
            TypedKind::Neg(_) => Err(Unsupported),
        }
    }

    /// Any function of arguments whose values slots hold, giving a value
    /// a slot holds (the kind its signature gives), through `rt::call`;
    /// a pattern, a text result or a list argument is the interpreter's.
    fn call(&self, function: &Function, args: &[TypedExpr]) -> Result<Code, Unsupported> {
        if function.pattern.is_some() {
            return Err(Unsupported);
        }
        let arguments = args
            .iter()
            .map(|a| {
                let code = self.value(a)?;
                Ok(match code.kind {
                    SlotKind::Text => format!("rt::text({})", code.text),
                    kind => format!(
                        "rt::value::<rt::kind::{}>({})",
                        kind.value_kind().ok_or(Unsupported)?,
                        code.text
                    ),
                })
            })
            .collect::<Result<Vec<_>, Unsupported>>()?;
        let result = SlotKind::of(Some(function.builtin.signature().result));
        Ok(Code::computed(
            format!(
                "rt::call::<rt::kind::{}, {}>(rt::Builtin::{:?}, [{}])?",
                result.value_kind().ok_or(Unsupported)?,
                arguments.len(),
                function.builtin,
                arguments.join(", ")
            ),
            result,
        ))
    }
}

/// `a op b`, computed by `rt::arith` (`semantics::arith`), whose
/// evaluation errors, and results too long for a slot (two dates more than
/// 292 years apart, in nanoseconds), leave the record to the interpreter
/// (`?`).
fn arithmetic(op: BinaryOp, result: Type, a: Code, b: Code) -> Result<Code, Unsupported> {
    let kind = SlotKind::of(Some(result));
    let name = match op {
        BinaryOp::Add => "Add",
        BinaryOp::Sub => "Sub",
        BinaryOp::Mul => "Mul",
        _ => "Div",
    };
    let of = |kind: SlotKind| kind.arithmetic_kind().ok_or(Unsupported);
    Ok(Code::computed(
        format!(
            "rt::arith::<rt::kind::{}, rt::kind::{}, rt::kind::{}>(rt::BinaryOp::{name}, {}, {})?",
            of(a.kind)?,
            of(b.kind)?,
            of(kind)?,
            a.text,
            b.text
        ),
        kind,
    ))
}

/// The two sides of a comparison as values of one kind, the type they
/// compare as (`semantics::compare::common_type`: an int beside a decimal
/// is a decimal).
fn unify(a: Code, b: Code) -> Result<(Code, Code), Unsupported> {
    let common = common_type(a.kind.ty().ok_or(Unsupported)?, b.kind.ty().ok_or(Unsupported)?);
    let kind = SlotKind::of(Some(common.ok_or(Unsupported)?));
    Ok((convert(a, kind)?, convert(b, kind)?))
}

/// `code` as a value of `kind`: itself, or an int as a decimal.
fn convert(code: Code, kind: SlotKind) -> Result<Code, Unsupported> {
    match (code.kind, kind) {
        (x, y) if x == y => Ok(code),
        (SlotKind::Int, SlotKind::Decimal) => Ok(Code {
            text: match &code.literal {
                Some(v) => format!("Some({})", literal(v, kind)?),
                None => format!("{}.map(rt::Decimal::from)", code.text),
            },
            kind,
            literal: code.literal,
        }),
        _ => Err(Unsupported),
    }
}

/// The kind an element and the literals it is tested against are compared
/// as (`semantics::compare::common_type` of them all).
fn set_kind<'v>(element: SlotKind, items: impl Iterator<Item = &'v Value>) -> Result<SlotKind, Unsupported> {
    let mut ty = element.ty().ok_or(Unsupported)?;
    for item in items {
        ty = item.ty().and_then(|t| common_type(ty, t)).ok_or(Unsupported)?;
    }
    Ok(SlotKind::of(Some(ty)))
}

/// A literal as a Rust constant of what `kind` holds.
fn literal(v: &Value, kind: SlotKind) -> Result<String, Unsupported> {
    Ok(match (v, kind) {
        (Value::Bool(b), SlotKind::Bool) => b.to_string(),
        (Value::Int(i), SlotKind::Int) => format!("{i}_i64"),
        (Value::Int(i), SlotKind::Decimal) => decimal(rust_decimal::Decimal::from(*i)),
        (Value::Decimal(d), SlotKind::Decimal) => decimal(*d),
        (Value::String(s), SlotKind::Text) => format!("{s:?}"),
        (Value::Time(t), SlotKind::Time) => {
            format!("{}_i64 /* {} */", ordinal::time(*t), value::format_time(*t))
        }
        (Value::Date(d), SlotKind::Date) => format!("{}_i32 /* {d} */", ordinal::date(*d)),
        (Value::Duration(d), SlotKind::Duration) => {
            let nanos = i64::try_from(ordinal::duration(*d)).map_err(|_| Unsupported)?;
            format!("{nanos}_i64 /* {v} */")
        }
        _ => return Err(Unsupported),
    })
}

/// A decimal constant, built from its parts as `rust_decimal` stores them.
fn decimal(d: rust_decimal::Decimal) -> String {
    let mantissa = d.mantissa().unsigned_abs();
    // A decimal's mantissa has 96 bits: three words, low first.
    let word = |n: u32| (mantissa >> (32 * n)) as u32;
    format!(
        "rt::Decimal::from_parts({}, {}, {}, {}, {}) /* {d} */",
        word(0),
        word(1),
        word(2),
        d.is_sign_negative(),
        d.scale()
    )
}

#[cfg(test)]
mod tests;
