//! A test's record: the file's `base`, with the test's own fields laid
//! over it, as JSON (what `check` would read) and as written (for the
//! report).

use indexmap::IndexMap;

use crate::check::RuleSet;
use crate::diagnostic::Span;
use crate::diagnostic::{Problem, Sources};
use crate::semantics::value::{format_date, format_duration, format_time, Value};
use crate::syntax::test_file::{Datum, Object};

/// A JSON object being built.
#[derive(Clone, Debug, Default)]
pub(super) struct Tree {
    members: IndexMap<String, Node>,
}

#[derive(Clone, Debug)]
enum Node {
    Object(Tree),
    Leaf { json: String, shown: String },
}

/// A finished record.
#[derive(Clone, Debug)]
pub(super) struct Bound {
    pub json: String,
    pub shown: String,
    /// `PATH:LINE:COL` of its `{`.
    pub location: String,
}

impl Bound {
    pub fn new(tree: &Tree, span: Span, sources: &Sources) -> Bound {
        let location = sources
            .locate(span)
            .map(|l| format!("{}:{}:{}", l.path, l.line, l.column))
            .unwrap_or_default();
        Bound {
            json: tree.json(),
            shown: tree.shown(),
            location,
        }
    }
}

impl Tree {
    /// Lays the members of `object` over `self`: each replaces the field
    /// of the same path (`employee.unit` only that, inside `employee`). A
    /// key that leads to no field of `rules` is a problem.
    pub fn lay(&mut self, object: &Object, rules: &Known<'_>, problems: &mut Vec<Problem>) {
        for member in &object.members {
            check_key(&member.key, &member.value, member.key_span, rules, problems);
            self.set(&member.key, node(&member.value));
        }
    }

    fn set(&mut self, path: &[String], value: Node) {
        let Some((last, parents)) = path.split_last() else {
            return;
        };
        let mut at = self;
        for key in parents {
            let entry = at
                .members
                .entry(key.clone())
                .or_insert_with(|| Node::Object(Tree::default()));
            if let Node::Leaf { .. } = entry {
                *entry = Node::Object(Tree::default());
            }
            at = match entry {
                Node::Object(tree) => tree,
                Node::Leaf { .. } => return,
            };
        }
        at.members.insert(last.clone(), value);
    }

    fn json(&self) -> String {
        let members: Vec<String> = self
            .members
            .iter()
            .map(|(k, v)| format!("{}:{}", quote(k), v.json()))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    fn shown(&self) -> String {
        if self.members.is_empty() {
            return "{}".into();
        }
        let members: Vec<String> = self
            .members
            .iter()
            .map(|(k, v)| format!("{}: {}", shown_key(k), v.shown()))
            .collect();
        format!("{{ {} }}", members.join(", "))
    }
}

impl Node {
    fn json(&self) -> String {
        match self {
            Node::Object(tree) => tree.json(),
            Node::Leaf { json, .. } => json.clone(),
        }
    }

    fn shown(&self) -> String {
        match self {
            Node::Object(tree) => tree.shown(),
            Node::Leaf { shown, .. } => shown.clone(),
        }
    }
}

fn node(datum: &Datum) -> Node {
    match datum {
        Datum::Object(object) => {
            let mut tree = Tree::default();
            for member in &object.members {
                tree.set(&member.key, node(&member.value));
            }
            Node::Object(tree)
        }
        other => Node::Leaf {
            json: leaf_json(other),
            shown: leaf_shown(other),
        },
    }
}

/// A value as a record holds it: times, dates and durations as strings in
/// their literal form, numbers digit for digit.
fn leaf_json(datum: &Datum) -> String {
    match datum {
        Datum::Null(_) => "null".into(),
        Datum::List(items, _) => format!(
            "[{}]",
            items.iter().map(|d| node(d).json()).collect::<Vec<_>>().join(",")
        ),
        Datum::Object(_) => node(datum).json(),
        Datum::Literal(lit) => match &lit.value {
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Decimal(d) => d.to_string(),
            Value::String(s) => quote(s),
            Value::Time(t) => quote(&format_time(*t)),
            Value::Date(d) => quote(&format_date(*d)),
            Value::Duration(d) => quote(&format_duration(*d)),
            // Not a literal's value, which is a scalar.
            other @ (Value::List(_) | Value::Object) => {
                serde_json::to_string(other).unwrap_or_else(|_| "null".into())
            }
        },
    }
}

fn leaf_shown(datum: &Datum) -> String {
    match datum {
        Datum::Null(_) => "null".into(),
        Datum::List(items, _) => format!(
            "[{}]",
            items
                .iter()
                .map(|d| node(d).shown())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Datum::Object(_) => node(datum).shown(),
        Datum::Literal(lit) => lit.text.clone(),
    }
}

/// An object as the test file writes it (`{ employee_id: "A", … }`).
pub(super) fn shown_object(object: &super::test_file::Object) -> String {
    node(&Datum::Object(object.clone())).shown()
}

fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn shown_key(key: &str) -> String {
    let mut chars = key.chars();
    let word = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if word {
        key.to_string()
    } else {
        quote(key)
    }
}

/// The rules a record is written for, and how the test file names them.
pub(super) struct Known<'a> {
    pub rules: &'a RuleSet,
    pub file: &'a str,
}

/// A record key must lead to a field the rules read: be a field, an object
/// on the way to one, or lie inside a field of no type (an object).
fn check_key(path: &[String], value: &Datum, span: Span, known: &Known<'_>, problems: &mut Vec<Problem>) {
    let fields = &known.rules.fields;
    let leads_somewhere = fields.iter().any(|f| {
        f.path.starts_with(path) || (f.ty.is_none() && path.starts_with(&f.path) && path.len() > f.path.len())
    });
    if !leads_somewhere {
        problems.push(super::unknown_field(&path.join("."), span, known));
        return;
    }
    // Inside an object, each key must lead somewhere too (unless the object
    // is the value of a field of no type).
    let untyped_field = fields.iter().any(|f| f.path == path && f.ty.is_none());
    if let (Datum::Object(object), false) = (value, untyped_field) {
        for member in &object.members {
            let inner: Vec<String> = path.iter().chain(&member.key).cloned().collect();
            check_key(&inner, &member.value, member.key_span, known, problems);
        }
    }
}
