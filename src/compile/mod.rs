//! Stage 3: a checked [`RuleSet`] → a [`Program`], the form the evaluator
//! runs. Fields become slots in a record; every operator is specialised to
//! its operand types, so evaluation neither looks up names nor checks types.

use crate::check::{self, MessagePart, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::semantics::cell::Cell;
use crate::semantics::compare::{common_type, Accept};
use crate::semantics::functions::Function;
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{Type, Value};
use crate::syntax::Severity;

pub(crate) mod origin;
mod plan;
pub(crate) use plan::{Plan, Step};

/// Index of a value in a record's slots (the field's id in the rule set).
pub type Slot = usize;

/// Compiled rules, ready to check any number of records. Immutable,
/// `Send` and `Sync`: compile once, share it between threads.
///
/// ```
/// use civrules::Program;
///
/// let program = Program::from_source("gio.rules", "key employee_id\nrule on_time: arrival <= 07:30\n")?;
/// assert_eq!(program.name(), "gio");
/// assert_eq!(program.rule_ids().collect::<Vec<_>>(), ["on_time"]);
/// assert_eq!(program.key_field(), Some("employee_id"));
/// # Ok::<(), civrules::CompileError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) name: String,
    pub(crate) schema: Schema,
    pub(crate) key: Option<Slot>,
    pub(crate) rules: Vec<CompiledRule>,
    /// The checked rules it was compiled from, for tools that reason about
    /// the rules themselves (lint, explain, sample); never read per record.
    pub(crate) checked: std::sync::Arc<RuleSet>,
    pub(crate) guards: GuardIndex,
    /// What [`Program::codegen_fingerprint`] gives, worked out when first
    /// asked for.
    pub(crate) fingerprint: std::sync::OnceLock<u64>,
}

/// Rules guarded by `when field == "value"` (or `in [...]`, or either
/// followed by `and …`), grouped by field and value: a record meets only the
/// rules of its own value, and the others are not applicable without being
/// evaluated one by one — what makes a province file of thousands of
/// per-unit rules cheap.
#[derive(Clone, Debug, Default)]
pub(crate) struct GuardIndex {
    /// Rules with no such guard, in order: evaluated for every record;
    /// those that are only a flat check are in `bare` instead.
    pub unguarded: Vec<u32>,
    /// Rules with no `when` at all and a flat `check`, in order: for a
    /// record without data errors, the check alone decides them, in
    /// `kernels`, and going through those few bytes instead of whole rules
    /// is much of what evaluating such rules costs.
    pub bare: Vec<u32>,
    /// The checks of the same rules, by their kind.
    pub kernels: BareKernels,
    pub groups: Vec<GuardGroup>,
}

/// The bare rules (see [`GuardIndex::bare`]) by the kind of their check,
/// each kind decided in a loop of its own: a record without data errors
/// meets every one of them, and one test of one cell, made without first
/// dispatching on the kind of test, is a few instructions.
#[derive(Clone, Debug, Default)]
pub(crate) struct BareKernels {
    /// `x required`.
    pub required: Vec<(u32, Slot)>,
    /// A field compared with a time, the constant as `ordinal::time` gives it.
    pub times: Vec<(u32, Slot, Accept, i64)>,
    /// A field compared with an int.
    pub ints: Vec<(u32, Slot, Accept, i64)>,
    /// The others, decided as steps.
    pub other: Vec<(u32, Step)>,
}

impl BareKernels {
    fn add(&mut self, rule: u32, check: &Step) {
        match *check {
            Step::Required(slot) => self.required.push((rule, slot)),
            Step::Time {
                slot,
                accept,
                constant,
            } => self.times.push((rule, slot, accept, constant)),
            Step::Int {
                slot,
                accept,
                constant,
            } => self.ints.push((rule, slot, accept, constant)),
            _ => self.other.push((rule, check.clone())),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct GuardGroup {
    pub slot: Slot,
    pub by_value: KeyMap<Vec<u32>>,
    /// The same as `by_value`, for a group of a few values (`when role ==
    /// "…"`): looked at one by one, by their words, with no hashing and no
    /// call to `memcmp` (a fifth of the cycles of evaluating the workload's
    /// rules went to the hash map).
    few: Option<Vec<FewValue>>,
    /// Every rule of the group, in order (for a record whose guard field
    /// holds a data error: each of them has the outcome error).
    pub all: Vec<u32>,
    /// The rules whose guard goes on with `and …`, in order (for a record
    /// without the guard field: the guard is unknown, not false, so the
    /// rest is still evaluated and may end in an evaluation error).
    pub unknown: Vec<u32>,
}

impl GuardIndex {
    fn build(rules: &[CompiledRule]) -> GuardIndex {
        let mut index = GuardIndex::default();
        for (i, rule) in rules.iter().enumerate() {
            let i = i as u32;
            // A group rule has no outcome for a record: it is checked over
            // groups (`eval::group`).
            if rule.group.is_some() {
                continue;
            }
            let Some((slot, values)) = rule.when.as_ref().and_then(guard) else {
                if rule.when.is_none() && !matches!(rule.plan.check, Step::Walk(_)) {
                    index.kernels.add(i, &rule.plan.check);
                    index.bare.push(i);
                } else {
                    index.unguarded.push(i);
                }
                continue;
            };
            let group = match index.groups.iter().position(|g| g.slot == slot) {
                Some(g) => &mut index.groups[g],
                None => {
                    index.groups.push(GuardGroup {
                        slot,
                        by_value: Default::default(),
                        few: None,
                        all: Vec::new(),
                        unknown: Vec::new(),
                    });
                    let last = index.groups.len() - 1;
                    &mut index.groups[last]
                }
            };
            group.all.push(i);
            if matches!(rule.when, Some(Node::And(..))) {
                group.unknown.push(i);
            }
            for value in values {
                let rules = group.by_value.entry(value.into()).or_default();
                if rules.last() != Some(&i) {
                    rules.push(i);
                }
            }
        }
        for group in &mut index.groups {
            group.few = (group.by_value.len() <= FEW_GUARD_VALUES).then(|| {
                let words = |value: &str| KeyWords::of(value.as_bytes());
                group
                    .by_value
                    .iter()
                    .map(|(value, rules)| (words(value), value.clone(), rules.clone()))
                    .collect()
            });
        }
        index
    }
}

/// A value of a guard group of a few (see [`GuardGroup::few`]): its words,
/// itself, and its rules.
type FewValue = (KeyWords, Box<str>, Vec<u32>);

/// Up to how many values a guard group looks at one by one.
const FEW_GUARD_VALUES: usize = 8;

impl GuardGroup {
    /// The rules whose guard holds where the guard field is `value`.
    #[inline]
    pub fn rules_for(&self, value: &str) -> &[u32] {
        let Some(few) = &self.few else {
            return self.by_value.get(value).map_or(&[], Vec::as_slice);
        };
        let words = KeyWords::of(value.as_bytes());
        few.iter()
            .find(|(w, v, _)| *w == words && (value.len() <= WORDS_COVER || v.as_ref() == value))
            .map_or(&[], |(_, _, rules)| rules.as_slice())
    }
}

/// The field and values of a guard that can only hold for those values.
fn guard(when: &Node) -> Option<(Slot, Vec<&str>)> {
    match when {
        Node::CmpConst {
            op: BinaryOp::Eq,
            slot,
            constant: Cell::String(value),
        } => Some((*slot, vec![value.as_ref()])),
        Node::InStrings {
            negated: false,
            slot,
            items,
        } => Some((*slot, items.iter().map(AsRef::as_ref).collect())),
        // `and` is false whenever its left side is.
        Node::And(left, _) => guard(left),
        _ => None,
    }
}

/// What a record is read into: one slot per field, and the tree of JSON
/// object keys that leads to each.
#[derive(Clone, Debug, Default)]
pub(crate) struct Schema {
    pub slots: Vec<SlotInfo>,
    pub root: PathNode,
    /// The program whose slots these are: its records carry it.
    pub program: ProgramId,
}

pub use crate::record::ProgramId;
use crate::record::{ForeignRecord, Record};

/// Records of the program whose schema this is.
impl<'a> Record<'a> {
    pub(crate) fn empty(schema: &Schema) -> Record<'a> {
        Record::reuse_for(Vec::new(), schema.program, schema.slots.len())
    }

    /// A record of missing cells for `schema`'s program in `buffer`'s
    /// allocation (see [`Record::reuse_for`]).
    #[inline]
    pub(crate) fn reuse<'b>(buffer: Vec<Cell<'b>>, schema: &Schema) -> Record<'a> {
        Record::reuse_for(buffer, schema.program, schema.slots.len())
    }

    /// Refuses a record of another program than the one `schema` is of.
    #[inline]
    pub(crate) fn of(&self, schema: &Schema) -> Result<&Record<'a>, ForeignRecord> {
        self.of_program(schema.program, schema.slots.len())
    }
}

#[derive(Clone, Debug)]
pub(crate) struct SlotInfo {
    pub name: String,
    pub ty: Option<Type>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct PathNode {
    pub slot: Option<Slot>,
    /// The type of the field in `slot`, if it has one.
    ty: Option<Type>,
    /// The keys of this object that the rules use.
    pub children: Vec<(Box<str>, PathNode)>,
    /// Open-addressing index into `children`: every key of every record
    /// is looked up here, so it must be cheap.
    table: Vec<Probe>,
}

/// A slot of [`PathNode`]'s table: a child's key in words, the child
/// (index + 1; 0: empty slot), and, for a child that is one field with no
/// keys of its own (most are), that field's slot and type, so that reading
/// its value looks at nothing else (`NOT_A_LEAF` otherwise).
#[derive(Clone, Copy, Debug)]
struct Probe {
    words: KeyWords,
    child: u32,
    leaf_slot: u32,
    leaf_ty: Option<Type>,
}

const NOT_A_LEAF: u32 = u32::MAX;

impl Default for Probe {
    fn default() -> Probe {
        Probe {
            words: KeyWords::default(),
            child: 0,
            leaf_slot: NOT_A_LEAF,
            leaf_ty: None,
        }
    }
}

/// A key of an object that the rules use, as [`PathNode::find`] finds it.
pub(crate) enum Child<'s> {
    /// One field, with no keys of its own: where its value goes.
    Leaf {
        slot: Slot,
        ty: Option<Type>,
        node: &'s PathNode,
    },
    /// An object whose keys the rules use (and maybe a field too).
    Inner(&'s PathNode),
}

/// A key's length and its first and last eight bytes (of a shorter key,
/// its first and last four, or three of its bytes): equal words are equal
/// keys up to sixteen bytes, which most keys are, so a lookup compares them
/// without a call to `memcmp` (a fifth of the cost of reading a record's
/// keys before).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct KeyWords {
    len: u64,
    head: u64,
    tail: u64,
}

/// Keys up to this long are told apart by their [`KeyWords`] alone.
const WORDS_COVER: usize = 16;

impl KeyWords {
    #[inline]
    fn of(key: &[u8]) -> KeyWords {
        let len = key.len();
        // Overlapping loads read every byte of a short key in constant
        // time, with no loop over its bytes; the length tells apart keys
        // whose loads coincide.
        let (head, tail) = if let (Some(head), Some(tail)) = (key.first_chunk::<8>(), key.last_chunk::<8>()) {
            (u64::from_le_bytes(*head), u64::from_le_bytes(*tail))
        } else if let (Some(head), Some(tail)) = (key.first_chunk::<4>(), key.last_chunk::<4>()) {
            (
                u64::from(u32::from_le_bytes(*head)),
                u64::from(u32::from_le_bytes(*tail)),
            )
        } else if let (Some(&first), Some(&last)) = (key.first(), key.last()) {
            let middle = key.get(len / 2).copied().unwrap_or(0);
            (
                u64::from(first) | u64::from(middle) << 8 | u64::from(last) << 16,
                0,
            )
        } else {
            (0, 0)
        };
        KeyWords {
            len: len as u64,
            head,
            tail,
        }
    }

    /// Mixed by one multiplication: constant time, whatever the length.
    #[inline]
    fn hash(&self) -> usize {
        let mixed = (self.head ^ self.tail.rotate_left(29) ^ self.len).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed ^ (mixed >> 32)) as usize
    }
}

/// A hash of a record key (or guard value) in constant time: its length
/// and its first and last eight bytes ([`KeyWords`]). Keys that differ only
/// in the middle of a long name collide and are told apart by the
/// comparison that follows; only the rules' own keys are in a table, so a
/// record's keys cannot make its chains longer.
fn key_hash(key: &[u8]) -> usize {
    KeyWords::of(key).hash()
}

/// [`key_hash`] for a `HashMap` of guard values: looked up once per record
/// and group, where SipHash's resistance to chosen keys buys nothing (the
/// map holds only the rules' own values).
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(17) ^ key_hash(bytes) as u64;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type KeyMap<V> = std::collections::HashMap<Box<str>, V, std::hash::BuildHasherDefault<KeyHasher>>;

impl PathNode {
    /// A node of no slot and no keys.
    pub const EMPTY: PathNode = PathNode {
        slot: None,
        ty: None,
        children: Vec::new(),
        table: Vec::new(),
    };

    /// A node that holds one slot and no keys.
    pub fn leaf(slot: Slot) -> PathNode {
        PathNode {
            slot: Some(slot),
            ..PathNode::default()
        }
    }

    /// The node for `key` among this object's keys that the rules use.
    #[inline(always)]
    pub fn child(&self, key: &str) -> Option<&PathNode> {
        self.find(key).map(|child| match child {
            Child::Leaf { node, .. } | Child::Inner(node) => node,
        })
    }

    /// [`PathNode::child`], told apart as a leaf or an inner node.
    #[inline(always)]
    pub fn find(&self, key: &str) -> Option<Child<'_>> {
        let at = self.probe(KeyWords::of(key.as_bytes()), key)?;
        self.child_at(at)
    }

    /// The place in the table of the key of these words, if the rules use it.
    #[inline(always)]
    fn probe(&self, words: KeyWords, key: &str) -> Option<usize> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut at = words.hash() & mask;
        loop {
            let probe = &self.table[at];
            if probe.child == 0 {
                return None;
            }
            if probe.words == words {
                let (k, _) = &self.children[probe.child as usize - 1];
                if key.len() <= WORDS_COVER || k.as_bytes() == key.as_bytes() {
                    return Some(at);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The child at place `at` of the table (`None` out of it, or empty).
    #[inline(always)]
    fn child_at(&self, at: usize) -> Option<Child<'_>> {
        let probe = self.table.get(at)?;
        let (_, node) = self.children.get((probe.child as usize).checked_sub(1)?)?;
        Some(if probe.leaf_slot == NOT_A_LEAF {
            Child::Inner(node)
        } else {
            Child::Leaf {
                slot: probe.leaf_slot as Slot,
                ty: probe.leaf_ty,
                node,
            }
        })
    }

    /// Gives the field in `slot`, of type `ty`, the node reached by `path`
    /// from this one, and brings the tables on the way up to date.
    fn place<S: AsRef<str>>(&mut self, path: &[S], slot: Slot, ty: Option<Type>) {
        match path.split_first() {
            None => {
                self.slot = Some(slot);
                self.ty = ty;
            }
            Some((first, rest)) => {
                self.child_mut(first.as_ref()).place(rest, slot, ty);
                // The child may have become a leaf, or stopped being one.
                self.rebuild_table();
            }
        }
    }

    fn child_mut(&mut self, key: &str) -> &mut PathNode {
        let i = match self.children.iter().position(|(k, _)| k.as_ref() == key) {
            Some(i) => i,
            None => {
                self.children.push((key.into(), PathNode::default()));
                self.rebuild_table();
                self.children.len() - 1
            }
        };
        &mut self.children[i].1
    }

    fn rebuild_table(&mut self) {
        // At most a quarter full: a key the rules do not use, looked up
        // in every record, mostly meets an empty slot at once.
        let size = (self.children.len() * 4).next_power_of_two().max(8);
        let mut table = vec![Probe::default(); size];
        for (i, (key, _)) in self.children.iter().enumerate() {
            let words = KeyWords::of(key.as_bytes());
            let mut at = words.hash() & (size - 1);
            while table[at].child != 0 {
                at = (at + 1) & (size - 1);
            }
            let node = &self.children[i].1;
            let leaf_slot = match node.slot {
                Some(slot) if node.children.is_empty() => u32::try_from(slot).unwrap_or(NOT_A_LEAF),
                _ => NOT_A_LEAF,
            };
            table[at] = Probe {
                words,
                child: i as u32 + 1,
                leaf_slot,
                leaf_ty: node.ty,
            };
        }
        self.table = table;
    }
}

impl Schema {
    /// A schema of one field, of type `ty`, in slot 0.
    pub fn single(ty: Type) -> Schema {
        Schema::single_of(Some(ty))
    }

    /// A new slot for the field `name`, reached by the JSON keys `path`.
    fn push_slot<S: AsRef<str>>(&mut self, name: String, ty: Option<Type>, path: &[S]) -> Slot {
        let slot = self.slots.len();
        self.slots.push(SlotInfo { name, ty });
        self.root.place(path, slot, ty);
        slot
    }

    /// The slot of the field named `name` (dotted, as the rules write it).
    pub fn slot_of(&self, name: &str) -> Option<Slot> {
        self.slots.iter().position(|s| s.name == name)
    }

    /// The slot of the field named `name`, a new one of no type if no
    /// rule reads it: a field read only to be reported on (`--by`).
    pub fn slot_for(&mut self, name: &str) -> Slot {
        match self.slot_of(name) {
            Some(slot) => slot,
            None => {
                let path: Vec<&str> = name.split('.').collect();
                self.push_slot(name.to_string(), None, &path)
            }
        }
    }

    /// A schema of one field, typed or not, in slot 0.
    pub fn single_of(ty: Option<Type>) -> Schema {
        Schema {
            slots: vec![SlotInfo {
                name: String::new(),
                ty,
            }],
            root: PathNode::default(),
            program: ProgramId::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct CompiledRule {
    pub id: String,
    pub title: Option<String>,
    pub severity: Severity,
    pub reference: Option<String>,
    pub message: Option<Vec<MessagePart>>,
    pub when: Option<Node>,
    pub check: Node,
    /// Slots the rule reads: a data error in any of them makes its outcome
    /// an error.
    pub reads: Vec<Slot>,
    /// `when` and `check` as the evaluator runs them.
    pub plan: Plan,
    /// A group rule's keys and aggregates (§9); its `check` and `message`
    /// then read the slots of its group's record (see [`GroupPlan`]), and
    /// it has no outcome for a record of its own.
    pub group: Option<Box<GroupPlan>>,
}

/// A group rule, compiled. Its groups are checked as records of their
/// own, whose slots are the `per` values, then the aggregates, then the
/// fields its message takes from the group's first record: so the one
/// evaluator decides a group's check, and renders its message, as it does
/// a record's.
#[derive(Clone, Debug)]
pub(crate) struct GroupPlan {
    pub per: Vec<KeyPlan>,
    pub aggregates: Vec<AggregatePlan>,
    /// The record slots of the message's other fields.
    pub first_record_fields: Vec<Slot>,
}

/// One `per` expression, read on each record.
#[derive(Clone, Debug)]
pub(crate) struct KeyPlan {
    pub text: String,
    pub node: Node,
    /// The record slots it reads (a data error there leaves the record in
    /// no group).
    pub reads: Vec<Slot>,
}

/// One aggregate.
#[derive(Clone, Debug)]
pub(crate) struct AggregatePlan {
    pub function: crate::semantics::aggregate::AggregateFn,
    pub text: String,
    pub ty: Type,
    /// `count(E)`, `sum(E)`…: E on each record, and the slots it reads.
    pub arg: Option<(Node, Vec<Slot>)>,
    /// `violations(R)`: R's index.
    pub rule: Option<u32>,
    /// Written in the check: listed in a violation's `values`.
    pub in_check: bool,
}

impl GroupPlan {
    /// How many slots a group's record has.
    pub fn width(&self) -> usize {
        self.per.len() + self.aggregates.len() + self.first_record_fields.len()
    }
}

/// An evaluator node: a typed expression with its operations resolved.
/// Constants are cells, converted once here; comparisons dispatch on the
/// kinds of the cells they meet (`semantics::compare`).
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// `field OP literal` (or `literal OP field`, turned round).
    CmpConst {
        op: BinaryOp,
        slot: Slot,
        constant: Cell<'static>,
    },
    /// `field in ["a", "b"]` on a string field.
    InStrings {
        negated: bool,
        slot: Slot,
        items: Box<[Box<str>]>,
    },
    Const(Cell<'static>),
    Field(Slot),
    Required(Slot),
    Present(Slot),
    Missing(Slot),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Compare {
        op: BinaryOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Arith {
        op: BinaryOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
        result: Type,
    },
    Neg(Box<Node>),
    InList {
        negated: bool,
        element: Box<Node>,
        items: Vec<Cell<'static>>,
    },
    InRange {
        negated: bool,
        element: Box<Node>,
        low: Cell<'static>,
        high: Cell<'static>,
    },
    InField {
        negated: bool,
        element: Box<Node>,
        list: Slot,
    },
    Call(Function, Vec<Node>),
}

/// A literal as the cell evaluation compares with.
fn constant(value: &Value) -> Cell<'static> {
    Cell::of_value(value).into_static()
}

/// The node of `expr`: how the evaluator runs it (also for tools that
/// evaluate conditions of their own, as the sampler does).
pub(crate) fn node(expr: &TypedExpr) -> Node {
    let boxed = |e: &TypedExpr| Box::new(node(e));
    match &expr.kind {
        TypedKind::Literal(v) => Node::Const(constant(v)),
        TypedKind::Field(id) => Node::Field(id.0 as Slot),
        TypedKind::GroupKey { index: slot, .. } | TypedKind::Aggregate { slot, .. } => {
            Node::Field(*slot as Slot)
        }
        TypedKind::Predicate(p, id) => match p {
            Predicate::Required => Node::Required(id.0 as Slot),
            Predicate::Present => Node::Present(id.0 as Slot),
            Predicate::Missing => Node::Missing(id.0 as Slot),
        },
        TypedKind::Not(x) => Node::Not(boxed(x)),
        TypedKind::Neg(x) => Node::Neg(boxed(x)),
        TypedKind::Call(f, args) => Node::Call(f.clone(), args.iter().map(node).collect()),
        TypedKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::And => Node::And(boxed(lhs), boxed(rhs)),
            BinaryOp::Or => Node::Or(boxed(lhs), boxed(rhs)),
            op if op.is_comparison() => {
                field_against_literal(*op, lhs, rhs).unwrap_or_else(|| Node::Compare {
                    op: *op,
                    lhs: boxed(lhs),
                    rhs: boxed(rhs),
                })
            }
            op => Node::Arith {
                op: *op,
                lhs: boxed(lhs),
                rhs: boxed(rhs),
                result: expr.ty,
            },
        },
        TypedKind::In {
            negated,
            element,
            set,
        } => {
            let negated = *negated;
            match set {
                TypedSet::List(items) => match &element.kind {
                    TypedKind::Field(id) if element.ty == Type::STRING => Node::InStrings {
                        negated,
                        slot: id.0 as Slot,
                        items: items
                            .iter()
                            .filter_map(|v| match v {
                                Value::String(s) => Some(s.as_str().into()),
                                _ => None,
                            })
                            .collect(),
                    },
                    _ => Node::InList {
                        negated,
                        element: boxed(element),
                        items: items.iter().map(constant).collect(),
                    },
                },
                TypedSet::Range(low, high) => Node::InRange {
                    negated,
                    element: boxed(element),
                    low: constant(low),
                    high: constant(high),
                },
                TypedSet::Field(id) => Node::InField {
                    negated,
                    element: boxed(element),
                    list: id.0 as Slot,
                },
            }
        }
    }
}

/// `field OP literal` as a [`Node::CmpConst`]. An int literal that meets
/// a decimal is made a decimal once, here, so that the flat test of the
/// rule is the decimal one.
fn field_against_literal(op: BinaryOp, lhs: &TypedExpr, rhs: &TypedExpr) -> Option<Node> {
    let (slot, literal, op) = match (&lhs.kind, &rhs.kind) {
        (TypedKind::Field(id), TypedKind::Literal(v)) => (id.0 as Slot, v, op),
        (TypedKind::Literal(v), TypedKind::Field(id)) => (id.0 as Slot, v, op.flipped()),
        _ => return None,
    };
    let constant = match literal {
        Value::Int(i) if common_type(lhs.ty, rhs.ty) == Some(Type::DECIMAL) => Cell::Decimal((*i).into()),
        Value::List(_) | Value::Object => return None,
        other => constant(other),
    };
    Some(Node::CmpConst { op, slot, constant })
}

fn rules_reads(rule: &check::Rule) -> Vec<Slot> {
    rule.reads.iter().map(|id| id.0 as Slot).collect()
}

fn group_plan(rules: &RuleSet, group: &check::Group) -> GroupPlan {
    let reads_of = |e: &TypedExpr| {
        let mut reads = Vec::new();
        check::collect_reads(e, &mut reads);
        reads.into_iter().map(|id| id.0 as Slot).collect::<Vec<Slot>>()
    };
    GroupPlan {
        per: group
            .per
            .iter()
            .map(|key| match &key.key {
                check::KeyExpr::Field(id) => KeyPlan {
                    text: key.text.clone(),
                    node: Node::Field(id.0 as Slot),
                    reads: vec![id.0 as Slot],
                },
                check::KeyExpr::Expr(e) => KeyPlan {
                    text: key.text.clone(),
                    node: node(e),
                    reads: reads_of(e),
                },
            })
            .collect(),
        aggregates: group
            .aggregates
            .iter()
            .map(|a| AggregatePlan {
                function: a.function,
                text: a.text.clone(),
                ty: a.ty,
                arg: a.arg.as_ref().map(|e| (node(e), reads_of(e))),
                rule: a
                    .rule
                    .as_ref()
                    .and_then(|id| rules.rules.iter().position(|r| r.id == *id))
                    .map(|i| i as u32),
                in_check: a.in_check,
            })
            .collect(),
        first_record_fields: Vec::new(),
    }
}

/// The fields a group rule's message takes from the group's first record,
/// in order of first appearance.
fn group_first_fields(parts: &[MessagePart]) -> Vec<check::FieldId> {
    let mut fields = Vec::new();
    for part in parts {
        if let MessagePart::Field(id) = part {
            if !fields.contains(id) {
                fields.push(*id);
            }
        }
    }
    fields
}

/// A group rule's message over the slots of its group's record.
fn group_message(
    group: &check::Group,
    parts: &[MessagePart],
    first: Vec<check::FieldId>,
) -> Vec<MessagePart> {
    let (keys, aggregates) = (group.per.len() as u32, group.aggregates.len() as u32);
    parts
        .iter()
        .map(|part| match part {
            MessagePart::GroupKey(i) => MessagePart::Field(check::FieldId(*i)),
            MessagePart::Aggregate(i) => MessagePart::Field(check::FieldId(keys + i)),
            MessagePart::Field(id) => {
                let at = first.iter().position(|f| f == id).unwrap_or(0) as u32;
                MessagePart::Field(check::FieldId(keys + aggregates + at))
            }
            text => text.clone(),
        })
        .collect()
}

/// Compiles a checked rule set.
pub fn compile(rules: RuleSet) -> Program {
    let mut schema = Schema {
        program: ProgramId::next(),
        ..Schema::default()
    };
    for field in &rules.fields {
        schema.push_slot(field.name.clone(), field.ty, &field.path);
    }
    let compiled: Vec<CompiledRule> = rules
        .rules
        .iter()
        .map(|rule: &check::Rule| {
            let (when, checked) = (rule.when.as_ref().map(node), node(&rule.check));
            let mut reads: Vec<Slot> = rules_reads(rule);
            let group = rule.group.as_ref().map(|group| {
                // A group rule counting another's violations is checked
                // only where that one is.
                for aggregate in &group.aggregates {
                    let named = aggregate
                        .rule
                        .as_ref()
                        .and_then(|id| rules.rules.iter().find(|r| r.id == *id));
                    for slot in named.map(rules_reads).unwrap_or_default() {
                        if !reads.contains(&slot) {
                            reads.push(slot);
                        }
                    }
                }
                Box::new(group_plan(&rules, group))
            });
            let message = rule.message.as_ref().map(|m| match &rule.group {
                Some(group) => group_message(group, &m.parts, group_first_fields(&m.parts)),
                None => m.parts.clone(),
            });
            let group = group.map(|mut plan| {
                plan.first_record_fields = rule
                    .message
                    .as_ref()
                    .map(|m| {
                        group_first_fields(&m.parts)
                            .iter()
                            .map(|id| id.0 as Slot)
                            .collect()
                    })
                    .unwrap_or_default();
                plan
            });
            CompiledRule {
                id: rule.id.clone(),
                title: rule.title.clone(),
                severity: rule.severity,
                reference: rule.reference.clone(),
                message,
                reads,
                plan: Plan::build(when.as_ref(), &checked),
                when,
                check: checked,
                group,
            }
        })
        .collect();
    let name = rules.name.clone();
    let key = rules.key.map(|k| k.0 as Slot);
    let guards = GuardIndex::build(&compiled);
    Program {
        guards,
        name,
        schema,
        key,
        rules: compiled,
        checked: std::sync::Arc::new(rules),
        fingerprint: std::sync::OnceLock::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_whose_hashes_collide_are_told_apart() {
        // Same length, same first and last eight bytes: the same hash.
        let keys = [
            "thoi_gian_A_den_noi",
            "thoi_gian_B_den_noi",
            "thoi_gian_C_den_noi",
            "x",
            "",
            // Up to sixteen bytes the words alone decide: a difference
            // anywhere, the middle included, tells keys apart.
            "abcdefgh_abcdefg",
            "abcdefgX_abcdefg",
            "abcdefgh",
            "abcdefg",
            "abcde",
            "ab",
            "abc",
        ];
        assert_eq!(key_hash(keys[0].as_bytes()), key_hash(keys[1].as_bytes()));
        let mut root = PathNode::default();
        for (slot, key) in keys.iter().enumerate() {
            root.place(&[key], slot, None);
        }
        for (slot, key) in keys.iter().enumerate() {
            assert_eq!(root.child(key).and_then(|n| n.slot), Some(slot), "{key}");
        }
        for absent in [
            "thoi_gian_D_den_noi",
            "y",
            "xx",
            "thoi_gian_A_den_noi_",
            "abcdefgh_abcdefX",
            "abcdefgh_Xbcdefg",
            "abcdefgX",
            "abcdefg\0",
            "abdce",
            "abcd",
            "ba",
            "acb",
            "aac",
            "a",
        ] {
            assert!(root.child(absent).is_none(), "{absent}");
        }
    }

    #[test]
    fn a_guard_group_finds_the_rules_of_a_value_few_or_many() {
        let rules = |values: &[&str]| {
            let text: String = values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("rule r{i} {{ when unit == \"{v}\" check x required }}\n"))
                .collect();
            Program::from_source("g.rules", &text).expect("compiles")
        };
        let few = [
            "Sở Nội vụ",
            "UBND huyện Nghi Lộc, phòng A",
            "UBND huyện Nghi Lộc, phòng B",
        ];
        let many: Vec<String> = (0..20).map(|i| format!("UBND xã số {i:02}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for values in [&few[..], &many[..]] {
            let program = rules(values);
            let group = &program.guards.groups[0];
            for (i, value) in values.iter().enumerate() {
                assert_eq!(group.rules_for(value), [i as u32], "{value}");
            }
            for absent in ["", "Sở Nội v", "UBND huyện Nghi Lộc, phòng C", "UBND xã số 99"] {
                assert!(group.rules_for(absent).is_empty(), "{absent}");
            }
        }
    }

    #[test]
    fn a_program_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Program>();
    }
}
