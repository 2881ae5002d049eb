//! From checked rules to what the solver works on: each `when`/`check` as a
//! tree of `and`/`or`/`not` over predicates and *atoms* (comparisons,
//! memberships, calls), each atom classified by how exactly the solver can
//! treat it.

use std::collections::BTreeSet;
use std::ops::Bound::{Excluded, Included, Unbounded};

pub(crate) use crate::analysis::Cond;
use crate::analysis::{self, AtomId, TermId};
use crate::check::{FieldId, Function, RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::semantics::functions::{Part, Preimage, Shape, Within};
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{Scalar, Type, Value};

use super::domain::{self, literal_step, Calendar, DAYS, MINUTES, MONTHS, WEEKDAYS};
use crate::compile::{self, Node, Schema};
use crate::eval::truth_of;
use crate::record::Record;
use crate::semantics::domain::IntervalSet;
use crate::semantics::logic::Kleene;
use crate::semantics::ordinal::Grid;

/// What a field holds, as far as generation goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// No type: only its presence (and emptiness) matters.
    Untyped,
    /// No type, and other fields are read from inside it: a JSON object.
    Object,
    Bool,
    Str,
    /// int, decimal, time, date, duration.
    Ord(Scalar),
    List(Scalar),
}

#[derive(Clone, Debug)]
pub(crate) struct FieldInfo {
    pub kind: Kind,
    pub universe: IntervalSet,
    /// Fields read from inside this one (`a.b` inside `a`).
    pub children: Vec<FieldId>,
    /// Fields this one is read from inside of.
    pub parents: Vec<FieldId>,
    pub depth: usize,
    /// A rule holds the field `required` (a value of no type then looks
    /// like a flag).
    pub required: bool,
}

/// A leaf condition and how the solver treats it, kept by the id of its
/// atom in [`crate::analysis`]'s tree. For every kind but
/// `Unary` and `Opaque` the condition is known exactly when its fields are
/// present (and within `safe`), and its truth is what the kind says.
#[derive(Clone, Debug)]
pub(crate) struct Atom {
    /// The condition as the evaluator runs it: candidate values are tested
    /// with the program's own evaluator.
    pub node: Node,
    pub fields: Vec<FieldId>,
    pub kind: AtomKind,
    /// Where each field must lie for the atom to evaluate without error
    /// (`arrival + 9h` stays within the day).
    pub safe: Vec<(FieldId, IntervalSet)>,
    /// Constants compared with: boundary points (subject, ordinal, step).
    pub points: Vec<(Subject, i128, i128)>,
}

/// What a boundary point is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    Field(FieldId),
    /// `f - g` (same units).
    Difference(FieldId, FieldId),
}

#[derive(Clone, Debug)]
pub(crate) enum AtomKind {
    /// True exactly when the field's ordinal is in the set.
    Ord { field: FieldId, set: IntervalSet },
    /// True exactly when the calendar admits the field's value.
    Cal { field: FieldId, cal: Calendar },
    /// True exactly when the field's bool is allowed by the mask (bit 0:
    /// false, bit 1: true).
    Bool { field: FieldId, mask: u8 },
    /// True exactly when the string is among `items` (`!= negated`).
    Str {
        field: FieldId,
        items: BTreeSet<String>,
        negated: bool,
    },
    /// True exactly when `f - g` (ordinals) is in the set.
    Diff {
        f: FieldId,
        g: FieldId,
        set: IntervalSet,
    },
    /// True exactly when `(f == g) == equal` (strings, bools).
    Same { f: FieldId, g: FieldId, equal: bool },
    /// One field: values are searched for and tested with the evaluator.
    Unary { field: FieldId, hints: Hints },
    /// Several fields, beyond the solver: values are tested with the
    /// evaluator after they are chosen (bounded retries).
    Opaque,
}

/// Strings worth trying for a field, taken from the condition.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hints {
    pub strings: Vec<String>,
    pub patterns: Vec<regex_syntax::hir::Hir>,
    pub prefixes: Vec<String>,
    pub needles: Vec<String>,
    /// Lengths worth trying (`len(s) == 12` gives 11, 12 and 13).
    pub lengths: Vec<usize>,
}

/// The longest string drawn for a length the rules mention.
const LONGEST_HINTED: i64 = 256;

/// `n - 1`, `n` and `n + 1`, those that a string can have.
fn lengths_near(n: i64, out: &mut Vec<usize>) {
    for m in [n - 1, n, n + 1] {
        if let Ok(m) = usize::try_from(m.clamp(-1, LONGEST_HINTED)) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
}

/// Whether `expr` is a length (`len(…)`) of something.
fn is_len(expr: &TypedExpr) -> bool {
    matches!(&expr.kind, TypedKind::Call(f, _) if matches!(f.builtin.signature().shape, Shape::Image(..)))
}

pub(crate) struct RuleConds {
    pub when: Option<Cond>,
    pub check: Cond,
    /// Every field the rule reads.
    pub reads: Vec<FieldId>,
}

/// The rules, ready to be solved.
pub(crate) struct Analysis {
    pub fields: Vec<FieldInfo>,
    pub rules: Vec<RuleConds>,
    /// By [`AtomId`]: the tree's atom ids index the sampler's atoms.
    pub atoms: Vec<Atom>,
    /// By [`TermId`]: the field a term is, if it is one (the term of a
    /// predicate always is).
    pub term_fields: Vec<Option<FieldId>>,
    pub grid: Grid,
    /// Ordinals of the literals of each ordered scalar, for values near them.
    pub constants: Vec<(Scalar, i128)>,
    /// Every string literal the rules mention.
    pub strings: Vec<String>,
    /// For each ordered field (empty for others), where values look like
    /// data: a small window around the constants the rules compare the
    /// field with (see [`window`]).
    pub windows: Vec<IntervalSet>,
}

impl Analysis {
    /// The field of the term a predicate tests.
    pub fn field_of(&self, term: TermId) -> Option<FieldId> {
        self.term_fields.get(term).copied().flatten()
    }

    /// The window of values of `scalar` that no rule compares with a
    /// constant of its own (list elements, fields only in conditions over
    /// several fields): around the scalar's anchor and around each of the
    /// rules' constants of that scalar.
    pub fn scalar_window(&self, scalar: Scalar) -> IntervalSet {
        scalar_window(&self.constants, scalar, self.grid)
    }
}

fn scalar_window(constants: &[(Scalar, i128)], scalar: Scalar, grid: Grid) -> IntervalSet {
    constants
        .iter()
        .filter(|(s, _)| *s == scalar)
        .fold(window(&[], scalar, grid), |set, (_, o)| {
            set.union(&window(&[(*o, 1)], scalar, grid))
        })
}

/// Where values of a field compared with `points` (ordinal, step; the
/// constants of one condition) look like data: from the smallest point to
/// the largest, widened on each side by five steps or by a margin of the
/// scalar's own (five units, a whole unit of a decimal, an hour, thirty
/// days), and not below zero for a number or duration compared only with
/// zero or more (a count of overdue files is not -991). Without points,
/// the same around the scalar's anchor (0, 08:00, 2022-01-03).
pub(crate) fn window(points: &[(i128, i128)], scalar: Scalar, grid: Grid) -> IntervalSet {
    let universe = domain::universe(grid, scalar);
    let anchor = [(super::gen::anchor(scalar), 1)];
    let points = if points.is_empty() { &anchor[..] } else { points };
    let low = points.iter().map(|p| p.0).min().unwrap_or(0);
    let high = points.iter().map(|p| p.0).max().unwrap_or(0);
    let step = points.iter().map(|p| p.1).max().unwrap_or(1).max(1);
    let own = match scalar {
        Scalar::Int => 5,
        Scalar::Decimal => grid.per_unit(),
        Scalar::Time | Scalar::Duration => Grid::HOUR,
        Scalar::Date => 30,
        Scalar::Bool | Scalar::String => 0,
    };
    let margin = step.saturating_mul(5).max(own);
    let mut lo = low.saturating_sub(margin);
    let non_negative = matches!(scalar, Scalar::Int | Scalar::Decimal | Scalar::Duration);
    if non_negative && low >= 0 {
        lo = lo.max(0);
    }
    IntervalSet::range(lo, high.saturating_add(margin)).intersect(&universe)
}

/// A linear form: `sum(coef * field ordinal) + constant`, in the units of
/// an expression's type.
#[derive(Clone, Debug, Default)]
struct Lin {
    terms: Vec<(i128, FieldId)>,
    c: i128,
}

impl Lin {
    fn term(f: FieldId) -> Lin {
        Lin {
            terms: vec![(1, f)],
            c: 0,
        }
    }

    fn constant(c: i128) -> Lin {
        Lin { terms: Vec::new(), c }
    }

    fn scaled(mut self, k: i128) -> Option<Lin> {
        for t in &mut self.terms {
            t.0 = t.0.checked_mul(k)?;
        }
        // `x * 0` does not depend on `x`: a term with a zero coefficient
        // would be divided by later.
        self.terms.retain(|t| t.0 != 0);
        self.c = self.c.checked_mul(k)?;
        Some(self)
    }

    fn plus(mut self, other: Lin, sign: i128) -> Option<Lin> {
        for (k, f) in other.terms {
            let k = k.checked_mul(sign)?;
            match self.terms.iter_mut().find(|t| t.1 == f) {
                Some(t) => t.0 = t.0.checked_add(k)?,
                None => self.terms.push((k, f)),
            }
        }
        self.terms.retain(|t| t.0 != 0);
        self.c = self.c.checked_add(other.c.checked_mul(sign)?)?;
        Some(self)
    }
}

fn scalar_of(ty: Type) -> Option<Scalar> {
    ty.scalar()
}

fn is_ord(s: Scalar) -> bool {
    !matches!(s, Scalar::Bool | Scalar::String)
}

/// `k * x op c` as a set of `x` (over all integers).
pub(crate) fn solve_scaled(op: BinaryOp, k: i128, c: i128) -> IntervalSet {
    let (k, c, op) = if k < 0 { (-k, -c, op.flipped()) } else { (k, c, op) };
    if k == 0 {
        let holds = match op {
            BinaryOp::Eq => c == 0,
            BinaryOp::Ne => c != 0,
            BinaryOp::Lt => 0 < c,
            BinaryOp::Le => 0 <= c,
            BinaryOp::Gt => 0 > c,
            _ => 0 >= c,
        };
        return if holds {
            IntervalSet::all()
        } else {
            IntervalSet::empty()
        };
    }
    let floor = c.div_euclid(k);
    let ceil = -(-c).div_euclid(k);
    match op {
        BinaryOp::Le => IntervalSet::between(Unbounded, Included(floor)),
        BinaryOp::Lt => IntervalSet::between(Unbounded, Excluded(ceil)),
        BinaryOp::Ge => IntervalSet::between(Included(ceil), Unbounded),
        BinaryOp::Gt => IntervalSet::between(Excluded(floor), Unbounded),
        BinaryOp::Eq if c % k == 0 => IntervalSet::point(c / k),
        BinaryOp::Eq => IntervalSet::empty(),
        _ if c % k == 0 => IntervalSet::point(c / k).complement(),
        _ => IntervalSet::all(),
    }
}

fn fields_of(expr: &TypedExpr, out: &mut Vec<FieldId>) {
    let push = |f: FieldId, out: &mut Vec<FieldId>| {
        if !out.contains(&f) {
            out.push(f);
        }
    };
    match &expr.kind {
        TypedKind::Literal(_) | TypedKind::GroupKey { .. } | TypedKind::Aggregate { .. } => {}
        TypedKind::Field(f) | TypedKind::Predicate(_, f) => push(*f, out),
        TypedKind::Call(_, args) => args.iter().for_each(|a| fields_of(a, out)),
        TypedKind::Neg(x) | TypedKind::Not(x) => fields_of(x, out),
        TypedKind::Binary { lhs, rhs, .. } => {
            fields_of(lhs, out);
            fields_of(rhs, out);
        }
        TypedKind::In { element, set, .. } => {
            fields_of(element, out);
            if let TypedSet::Field(f) = set {
                push(*f, out);
            }
        }
    }
}

fn literals(expr: &TypedExpr, out: &mut Vec<Value>) {
    match &expr.kind {
        TypedKind::Literal(v) => out.push(v.clone()),
        TypedKind::Field(_)
        | TypedKind::Predicate(..)
        | TypedKind::GroupKey { .. }
        | TypedKind::Aggregate { .. } => {}
        TypedKind::Call(_, args) => args.iter().for_each(|a| literals(a, out)),
        TypedKind::Neg(x) | TypedKind::Not(x) => literals(x, out),
        TypedKind::Binary { lhs, rhs, .. } => {
            literals(lhs, out);
            literals(rhs, out);
        }
        TypedKind::In { element, set, .. } => {
            literals(element, out);
            match set {
                TypedSet::List(items) => out.extend(items.iter().cloned()),
                TypedSet::Range(lo, hi) => out.extend([lo.clone(), hi.clone()]),
                TypedSet::Field(_) => {}
            }
        }
    }
}

fn hints(expr: &TypedExpr, out: &mut Hints) {
    match &expr.kind {
        TypedKind::Literal(Value::String(s)) => {
            out.strings.push(s.clone());
            out.strings.push(s.to_uppercase());
        }
        TypedKind::Call(
            Function {
                pattern: Some(re), ..
            },
            args,
        ) => {
            if let Ok(hir) = regex_syntax::Parser::new().parse(re.as_str()) {
                out.patterns.push(hir);
            }
            args.iter().for_each(|a| hints(a, out));
        }
        TypedKind::Call(f, args) if matches!(f.builtin.signature().shape, Shape::Holds(_)) => {
            if let (
                Shape::Holds(within),
                Some(TypedExpr {
                    kind: TypedKind::Literal(Value::String(s)),
                    ..
                }),
            ) = (f.builtin.signature().shape, args.get(1))
            {
                let list = match within {
                    Within::Start => &mut out.prefixes,
                    Within::Anywhere => &mut out.needles,
                };
                list.push(s.clone());
                list.push(s.to_uppercase());
            }
            args.iter().for_each(|a| hints(a, out));
        }
        TypedKind::In { element, set, .. } => {
            hints(element, out);
            if let TypedSet::List(items) = set {
                for item in items {
                    match item {
                        Value::String(s) => out.strings.push(s.clone()),
                        Value::Int(n) if is_len(element) => lengths_near(*n, &mut out.lengths),
                        _ => {}
                    }
                }
            }
            if let (TypedSet::Range(Value::Int(lo), Value::Int(hi)), true) = (set, is_len(element)) {
                lengths_near(*lo, &mut out.lengths);
                lengths_near(*hi, &mut out.lengths);
            }
        }
        TypedKind::Call(_, args) => args.iter().for_each(|a| hints(a, out)),
        TypedKind::Neg(x) | TypedKind::Not(x) => hints(x, out),
        TypedKind::Binary { lhs, rhs, .. } => {
            for (side, other) in [(lhs, rhs), (rhs, lhs)] {
                if let (true, TypedKind::Literal(Value::Int(n))) = (is_len(side), &other.kind) {
                    lengths_near(*n, &mut out.lengths);
                }
            }
            hints(lhs, out);
            hints(rhs, out);
        }
        TypedKind::Literal(_)
        | TypedKind::Field(_)
        | TypedKind::Predicate(..)
        | TypedKind::GroupKey { .. }
        | TypedKind::Aggregate { .. } => {}
    }
}

struct Builder<'r> {
    rules: &'r RuleSet,
    grid: Grid,
    atoms: Vec<Atom>,
}

fn calendar_with(part: Part, mask: u64) -> Calendar {
    let mut cal = Calendar::ALL;
    match part {
        Part::Weekday => cal.weekday = mask & WEEKDAYS,
        Part::Month => cal.month = mask & MONTHS,
        Part::Day => cal.day = mask & DAYS,
        Part::Minute => cal.minute = mask & MINUTES,
    }
    cal
}

impl Builder<'_> {
    fn ty(&self, f: FieldId) -> Option<Type> {
        self.rules.field(f).ty
    }

    fn universe(&self, f: FieldId) -> IntervalSet {
        match self.ty(f).and_then(scalar_of) {
            Some(s) => domain::universe(self.grid, s),
            None => IntervalSet::empty(),
        }
    }

    /// The condition of the shared tree, each atom's payload kept here.
    fn cond(&mut self, tree: &mut analysis::Builder<'_>, expr: &TypedExpr) -> Cond {
        tree.cond_with(expr, &mut |tree, leaf| self.atom(tree, leaf))
    }

    fn atom(&mut self, tree: &mut analysis::Builder<'_>, expr: &TypedExpr) -> Cond {
        let mut fields = Vec::new();
        fields_of(expr, &mut fields);
        let mut safe = Vec::new();
        let mut points = Vec::new();
        let node = compile::node(expr);
        let kind = self.classify(expr, &mut safe, &mut points);
        let kind = match kind {
            Some(k) => k,
            None if fields.is_empty() => {
                // A condition of literals only: its value, if it has one,
                // on a record of no fields.
                let nothing = Record::empty(&Schema::default());
                match truth_of(&node, &nothing) {
                    Ok(Kleene::True) => return Cond::Const(true),
                    Ok(Kleene::False) => return Cond::Const(false),
                    _ => AtomKind::Opaque,
                }
            }
            None if fields.len() == 1 => {
                safe.clear();
                let mut h = Hints::default();
                hints(expr, &mut h);
                AtomKind::Unary {
                    field: fields[0],
                    hints: h,
                }
            }
            None => {
                safe.clear();
                AtomKind::Opaque
            }
        };
        let id: AtomId = tree.leaf(expr);
        debug_assert_eq!(id, self.atoms.len(), "one sampler atom for each of the tree's");
        self.atoms.push(Atom {
            node,
            fields,
            kind,
            safe,
            points,
        });
        Cond::Atom(id)
    }

    /// An exact kind for the forms the solver knows, else `None`.
    fn classify(
        &self,
        expr: &TypedExpr,
        safe: &mut Vec<(FieldId, IntervalSet)>,
        points: &mut Vec<(Subject, i128, i128)>,
    ) -> Option<AtomKind> {
        match &expr.kind {
            TypedKind::Field(f) if expr.ty == Type::BOOL => Some(AtomKind::Bool {
                field: *f,
                mask: 0b10,
            }),
            TypedKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                let s = scalar_of(lhs.ty)?;
                match s {
                    Scalar::Bool => self.bool_comparison(*op, lhs, rhs),
                    Scalar::String => self.string_comparison(*op, lhs, rhs),
                    _ => self.ord_comparison(*op, lhs, rhs, safe, points),
                }
            }
            TypedKind::In {
                negated,
                element,
                set,
            } => self.membership(*negated, element, set, safe, points),
            _ => None,
        }
    }

    fn bool_comparison(&self, op: BinaryOp, lhs: &TypedExpr, rhs: &TypedExpr) -> Option<AtomKind> {
        let equal = match op {
            BinaryOp::Eq => true,
            BinaryOp::Ne => false,
            _ => return None,
        };
        match (&lhs.kind, &rhs.kind) {
            (TypedKind::Field(f), TypedKind::Literal(Value::Bool(b)))
            | (TypedKind::Literal(Value::Bool(b)), TypedKind::Field(f)) => {
                let mask = if *b == equal { 0b10 } else { 0b01 };
                Some(AtomKind::Bool { field: *f, mask })
            }
            (TypedKind::Field(f), TypedKind::Field(g)) if f != g => {
                Some(AtomKind::Same { f: *f, g: *g, equal })
            }
            _ => None,
        }
    }

    fn string_comparison(&self, op: BinaryOp, lhs: &TypedExpr, rhs: &TypedExpr) -> Option<AtomKind> {
        let negated = match op {
            BinaryOp::Eq => false,
            BinaryOp::Ne => true,
            _ => return None,
        };
        match (&lhs.kind, &rhs.kind) {
            (TypedKind::Field(f), TypedKind::Literal(Value::String(s)))
            | (TypedKind::Literal(Value::String(s)), TypedKind::Field(f)) => Some(AtomKind::Str {
                field: *f,
                items: BTreeSet::from([s.clone()]),
                negated,
            }),
            (TypedKind::Field(f), TypedKind::Field(g)) if f != g => Some(AtomKind::Same {
                f: *f,
                g: *g,
                equal: !negated,
            }),
            _ => None,
        }
    }

    /// The ordinal of a literal a function's result is compared with: an
    /// int for an int (as before any other kind was), else of its own kind.
    fn ordinal_of_result(&self, literal: &Value, result: Scalar) -> Option<i128> {
        match (literal, result) {
            (Value::Int(i), _) => Some(i128::from(*i)),
            (_, Scalar::Int | Scalar::Decimal) => None,
            (v, s) => self.grid.project(v, s),
        }
    }

    /// A function of a field: `(function, field)`.
    fn calendar_call<'e>(&self, expr: &'e TypedExpr) -> Option<(&'e Function, FieldId)> {
        match &expr.kind {
            TypedKind::Call(f, args) => match args.as_slice() {
                [TypedExpr {
                    kind: TypedKind::Field(x),
                    ..
                }] => Some((f, *x)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The ordinals of `field` whose image under a monotone function
    /// (one of `image`, if given) is in `values` (ordinals of `result`):
    /// each interval of results, through the function's preimage.
    fn period_set(
        &self,
        (image, preimage): (Option<(i64, i64)>, Preimage),
        result: Scalar,
        field: FieldId,
        values: &IntervalSet,
    ) -> Option<IntervalSet> {
        let arg = self.ty(field).and_then(scalar_of)?;
        let results = match image {
            Some((lo, hi)) => IntervalSet::range(i128::from(lo), i128::from(hi)),
            None => domain::universe(self.grid, result),
        };
        let mut out = IntervalSet::empty();
        for (lo, hi) in values.intersect(&results).closed_parts() {
            let (lo, hi) = (self.grid.value_at(lo, result)?, self.grid.value_at(hi, result)?);
            if let Some((first, last)) = preimage(&lo, &hi) {
                let (first, last) = (self.grid.project(&first, arg)?, self.grid.project(&last, arg)?);
                out = out.union(&IntervalSet::range(first, last));
            }
        }
        Some(out.intersect(&self.universe(field)))
    }

    /// A function of one field compared with a set of ordinals of its
    /// result.
    fn function_atom(&self, f: &Function, field: FieldId, values: &IntervalSet) -> Option<AtomKind> {
        let signature = f.builtin.signature();
        match signature.shape {
            Shape::Part {
                part,
                image: (lo, hi),
            } => {
                let mut mask = 0u64;
                for v in lo..=hi {
                    if values.contains(&i128::from(v)) {
                        mask |= 1 << v;
                    }
                }
                Some(AtomKind::Cal {
                    field,
                    cal: calendar_with(part, mask),
                })
            }
            Shape::Monotone { image, preimage, .. } => {
                let result = scalar_of(signature.result)?;
                let set = self.period_set((image, preimage), result, field, values)?;
                Some(AtomKind::Ord { field, set })
            }
            _ => None,
        }
    }

    fn ord_comparison(
        &self,
        op: BinaryOp,
        lhs: &TypedExpr,
        rhs: &TypedExpr,
        safe: &mut Vec<(FieldId, IntervalSet)>,
        points: &mut Vec<(Subject, i128, i128)>,
    ) -> Option<AtomKind> {
        // A function of a field against a literal of its result.
        for (call, lit, op) in [(lhs, rhs, op), (rhs, lhs, op.flipped())] {
            if let (Some((f, field)), TypedKind::Literal(v)) = (self.calendar_call(call), &lit.kind) {
                if let Some(c) = scalar_of(call.ty).and_then(|s| self.ordinal_of_result(v, s)) {
                    let values = solve_scaled(op, 1, c);
                    return self.function_atom(f, field, &values);
                }
            }
        }
        let dom = match (scalar_of(lhs.ty)?, scalar_of(rhs.ty)?) {
            (Scalar::Int, Scalar::Decimal) | (Scalar::Decimal, Scalar::Int) => Scalar::Decimal,
            (a, _) => a,
        };
        let l = self.convert(self.lin(lhs, safe)?, scalar_of(lhs.ty)?, dom)?;
        let r = self.convert(self.lin(rhs, safe)?, scalar_of(rhs.ty)?, dom)?;
        let step = self.literal_step(lhs, rhs, dom);
        let d = l.plus(r, -1)?;
        match d.terms.as_slice() {
            [(k, f)] => {
                let set = solve_scaled(op, *k, -d.c).intersect(&self.universe(*f));
                if (-d.c).checked_rem(*k) == Some(0) {
                    let step = step.map(|s| (s / k.abs()).max(1));
                    if let Some(step) = step {
                        points.push((Subject::Field(*f), -d.c / k, step));
                    }
                }
                Some(AtomKind::Ord { field: *f, set })
            }
            [(k1, f), (k2, g)] if *k1 == -*k2 => {
                let (f, g, k) = if *k1 > 0 { (*f, *g, *k1) } else { (*g, *f, *k2) };
                let set = solve_scaled(op, k, -d.c);
                if (-d.c).checked_rem(k) == Some(0) {
                    if let Some(step) = step {
                        points.push((Subject::Difference(f, g), -d.c / k, (step / k).max(1)));
                    }
                }
                Some(AtomKind::Diff { f, g, set })
            }
            _ => None,
        }
    }

    /// The step next to the first literal of a comparison, in `dom` units.
    fn literal_step(&self, lhs: &TypedExpr, rhs: &TypedExpr, dom: Scalar) -> Option<i128> {
        let mut lits = Vec::new();
        literals(lhs, &mut lits);
        literals(rhs, &mut lits);
        let lit = lits.into_iter().next()?;
        Some(match (&lit, dom) {
            // `d - e <= 15d`: the difference of dates counts days.
            (Value::Duration(_), Scalar::Duration) if self.grid.project(&lit, dom)? % Grid::DAY == 0 => {
                Grid::DAY
            }
            _ => literal_step(self.grid, &lit, dom),
        })
    }

    fn membership(
        &self,
        negated: bool,
        element: &TypedExpr,
        set: &TypedSet,
        safe: &mut Vec<(FieldId, IntervalSet)>,
        points: &mut Vec<(Subject, i128, i128)>,
    ) -> Option<AtomKind> {
        let items: Vec<&Value> = match set {
            TypedSet::List(items) => items.iter().collect(),
            TypedSet::Range(lo, hi) => vec![lo, hi],
            TypedSet::Field(_) => return None,
        };
        let is_range = matches!(set, TypedSet::Range(..));
        let element_scalar = scalar_of(element.ty)?;
        let atom = match element_scalar {
            Scalar::String => {
                let TypedKind::Field(f) = element.kind else {
                    return None;
                };
                let items = items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                return Some(AtomKind::Str {
                    field: f,
                    items,
                    negated,
                });
            }
            Scalar::Bool => {
                let TypedKind::Field(f) = element.kind else {
                    return None;
                };
                let mut mask = 0u8;
                for v in &items {
                    if let Value::Bool(b) = v {
                        mask |= if *b { 0b10 } else { 0b01 };
                    }
                }
                if negated {
                    mask = !mask & 0b11;
                }
                return Some(AtomKind::Bool { field: f, mask });
            }
            _ => {
                if let Some((f, field)) = self.calendar_call(element) {
                    let mut values = IntervalSet::empty();
                    let ints: Option<Vec<i128>> = items
                        .iter()
                        .map(|v| self.ordinal_of_result(v, element_scalar))
                        .collect();
                    let ints = ints?;
                    if is_range {
                        values = IntervalSet::range(ints[0], ints[1]);
                    } else {
                        for i in ints {
                            values = values.union(&IntervalSet::point(i));
                        }
                    }
                    if negated {
                        values = values.complement();
                    }
                    return self.function_atom(f, field, &values);
                }
                let dom = if element_scalar == Scalar::Decimal
                    || items.iter().any(|v| matches!(v, Value::Decimal(_)))
                {
                    Scalar::Decimal
                } else {
                    element_scalar
                };
                let lin = self.convert(self.lin(element, safe)?, element_scalar, dom)?;
                let [(k, field)] = lin.terms.as_slice() else {
                    return None;
                };
                let ords: Option<Vec<i128>> = items.iter().map(|v| self.grid.project(v, dom)).collect();
                let ords = ords?;
                let mut set = if is_range {
                    solve_scaled(BinaryOp::Ge, *k, ords[0] - lin.c).intersect(&solve_scaled(
                        BinaryOp::Le,
                        *k,
                        ords[1] - lin.c,
                    ))
                } else {
                    let mut s = IntervalSet::empty();
                    for p in &ords {
                        s = s.union(&solve_scaled(BinaryOp::Eq, *k, p - lin.c));
                    }
                    s
                };
                for (v, p) in items.iter().zip(&ords) {
                    if (p - lin.c).checked_rem(*k) == Some(0) {
                        let step = (literal_step(self.grid, v, dom) / k.abs()).max(1);
                        points.push((Subject::Field(*field), (p - lin.c) / k, step));
                    }
                }
                if negated {
                    set = set.complement();
                }
                AtomKind::Ord {
                    field: *field,
                    set: set.intersect(&self.universe(*field)),
                }
            }
        };
        Some(atom)
    }

    fn convert(&self, lin: Lin, from: Scalar, to: Scalar) -> Option<Lin> {
        match (from, to) {
            _ if from == to => Some(lin),
            (Scalar::Int, Scalar::Decimal) => lin.scaled(self.grid.per_unit()),
            _ => None,
        }
    }

    /// Keeps every field of a time (or date) valued form inside its
    /// range: `lin` must lie in `range`.
    fn keep_in(&self, lin: &Lin, range: &IntervalSet, safe: &mut Vec<(FieldId, IntervalSet)>) -> Option<()> {
        match lin.terms.as_slice() {
            [] => range.contains(&lin.c).then_some(()),
            [(1, f)] => {
                safe.push((*f, range.shift(-lin.c)));
                Some(())
            }
            _ => None,
        }
    }

    /// Int arithmetic stays far from overflow.
    fn keep_small(&self, lin: &Lin, safe: &mut Vec<(FieldId, IntervalSet)>) {
        for (k, f) in &lin.terms {
            let bound = (1i128 << 61) / k.abs().max(1);
            safe.push((*f, IntervalSet::range(-bound, bound)));
        }
    }

    /// The linear form of an expression, in the units of its own type.
    fn lin(&self, expr: &TypedExpr, safe: &mut Vec<(FieldId, IntervalSet)>) -> Option<Lin> {
        let s = scalar_of(expr.ty)?;
        if !is_ord(s) {
            return None;
        }
        match &expr.kind {
            TypedKind::Literal(v) => Some(Lin::constant(self.grid.project(v, s)?)),
            TypedKind::Field(f) => Some(Lin::term(*f)),
            TypedKind::Neg(x) => {
                let l = self.lin(x, safe)?.scaled(-1)?;
                if s == Scalar::Int {
                    self.keep_small(&l, safe);
                }
                Some(l)
            }
            TypedKind::Binary { op, lhs, rhs } => {
                let (ls, rs) = (scalar_of(lhs.ty)?, scalar_of(rhs.ty)?);
                match op {
                    BinaryOp::Add | BinaryOp::Sub => {
                        let sign = if *op == BinaryOp::Sub { -1 } else { 1 };
                        let l = self.lin(lhs, safe)?;
                        let r = self.lin(rhs, safe)?;
                        match (ls, rs, s) {
                            (Scalar::Int | Scalar::Decimal, Scalar::Int | Scalar::Decimal, _) => {
                                let out = self.convert(l, ls, s)?.plus(self.convert(r, rs, s)?, sign)?;
                                if s == Scalar::Int {
                                    self.keep_small(&out, safe);
                                }
                                Some(out)
                            }
                            (Scalar::Time, Scalar::Time, _) => l.plus(r, -1),
                            (Scalar::Date, Scalar::Date, _) => l.plus(r, -1)?.scaled(Grid::DAY),
                            (Scalar::Duration, Scalar::Duration, _) => l.plus(r, sign),
                            (Scalar::Time, Scalar::Duration, _) | (Scalar::Duration, Scalar::Time, _) => {
                                let out = l.plus(r, sign)?;
                                self.keep_in(&out, &domain::universe(self.grid, Scalar::Time), safe)?;
                                Some(out)
                            }
                            (Scalar::Date, Scalar::Duration, _) | (Scalar::Duration, Scalar::Date, _) => {
                                let (date, dur) = if ls == Scalar::Date { (l, r) } else { (r, l) };
                                if !dur.terms.is_empty() || dur.c % Grid::DAY != 0 {
                                    return None;
                                }
                                let out = date.plus(Lin::constant(dur.c / Grid::DAY), sign)?;
                                self.keep_in(&out, &domain::universe(self.grid, Scalar::Date), safe)?;
                                Some(out)
                            }
                            _ => None,
                        }
                    }
                    BinaryOp::Mul if s == Scalar::Int => {
                        let l = self.lin(lhs, safe)?;
                        let r = self.lin(rhs, safe)?;
                        let out = if l.terms.is_empty() {
                            r.scaled(l.c)?
                        } else if r.terms.is_empty() {
                            l.scaled(r.c)?
                        } else {
                            return None;
                        };
                        self.keep_small(&out, safe);
                        Some(out)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

fn decimal_places(rules: &RuleSet) -> u32 {
    let mut places = 0u32;
    let mut lits = Vec::new();
    for rule in &rules.rules {
        if let Some(w) = &rule.when {
            literals(w, &mut lits);
        }
        literals(&rule.check, &mut lits);
        for arg in rule
            .group
            .iter()
            .flat_map(|g| &g.aggregates)
            .filter_map(|a| a.arg.as_ref())
        {
            literals(arg, &mut lits);
        }
    }
    for v in &lits {
        if let Value::Decimal(d) = v {
            places = places.max(d.normalize().scale());
        }
    }
    (places + 1).clamp(1, 6)
}

fn mark_required(cond: &Cond, term_fields: &[Option<FieldId>], fields: &mut [FieldInfo]) {
    match cond {
        Cond::Pred(Predicate::Required, term) => {
            if let Some(Some(f)) = term_fields.get(*term) {
                fields[f.0 as usize].required = true;
            }
        }
        Cond::And(a, b) | Cond::Or(a, b) => {
            mark_required(a, term_fields, fields);
            mark_required(b, term_fields, fields);
        }
        Cond::Not(a) => mark_required(a, term_fields, fields),
        Cond::Const(_) | Cond::Pred(..) | Cond::Atom(_) => {}
    }
}

/// Analyses a checked rule set.
pub(crate) fn analyze(rules: &RuleSet) -> Analysis {
    let grid = Grid {
        decimals: decimal_places(rules),
    };
    let mut fields: Vec<FieldInfo> = rules
        .fields
        .iter()
        .map(|f| {
            let kind = match f.ty {
                None => Kind::Untyped,
                Some(Type::Scalar(Scalar::Bool)) => Kind::Bool,
                Some(Type::Scalar(Scalar::String)) => Kind::Str,
                Some(Type::Scalar(s)) => Kind::Ord(s),
                Some(Type::List(s)) => Kind::List(s),
            };
            let universe = match kind {
                Kind::Ord(s) => domain::universe(grid, s),
                _ => IntervalSet::empty(),
            };
            FieldInfo {
                kind,
                universe,
                children: Vec::new(),
                parents: Vec::new(),
                depth: f.path.len(),
                required: false,
            }
        })
        .collect();
    for (i, inner) in rules.fields.iter().enumerate() {
        for (j, outer) in rules.fields.iter().enumerate() {
            if outer.path.len() < inner.path.len() && inner.path.starts_with(&outer.path) {
                fields[j].children.push(FieldId(i as u32));
                fields[i].parents.push(FieldId(j as u32));
                if fields[j].kind == Kind::Untyped {
                    fields[j].kind = Kind::Object;
                }
            }
        }
    }
    let mut builder = Builder {
        rules,
        grid,
        atoms: Vec::new(),
    };
    let mut tree = analysis::Builder::new(rules);
    let mut conds = Vec::new();
    let mut lits = Vec::new();
    for rule in &rules.rules {
        // A group rule has no outcome for a record (§9): to one record's
        // solver it is a rule that never applies. Groups are sampled from
        // records (`sample::group`).
        if rule.group.is_some() {
            conds.push(RuleConds {
                when: Some(Cond::Const(false)),
                check: Cond::Const(true),
                reads: Vec::new(),
            });
            continue;
        }
        let when = rule.when.as_ref().map(|w| builder.cond(&mut tree, w));
        let check = builder.cond(&mut tree, &rule.check);
        if let Some(w) = &rule.when {
            literals(w, &mut lits);
        }
        literals(&rule.check, &mut lits);
        conds.push(RuleConds {
            when,
            check,
            reads: rule.reads.clone(),
        });
    }
    let mut constants = Vec::new();
    let mut strings: Vec<String> = Vec::new();
    for v in &lits {
        match v {
            Value::String(s) if !strings.contains(s) => strings.push(s.clone()),
            Value::Int(_) => {
                for s in [Scalar::Int, Scalar::Decimal] {
                    if let Some(o) = grid.project(v, s) {
                        constants.push((s, o));
                    }
                }
            }
            Value::Decimal(_) => {
                constants.extend(grid.project(v, Scalar::Decimal).map(|o| (Scalar::Decimal, o)))
            }
            Value::Time(_) => constants.extend(grid.project(v, Scalar::Time).map(|o| (Scalar::Time, o))),
            Value::Date(_) => constants.extend(grid.project(v, Scalar::Date).map(|o| (Scalar::Date, o))),
            Value::Duration(_) => {
                constants.extend(grid.project(v, Scalar::Duration).map(|o| (Scalar::Duration, o)))
            }
            _ => {}
        }
    }
    let term_fields: Vec<Option<FieldId>> = tree
        .terms
        .iter()
        .map(|term| match term.fields.as_slice() {
            [f] if term.key == rules.field(*f).name => Some(*f),
            _ => None,
        })
        .collect();
    for rule in &conds {
        for cond in rule.when.iter().chain([&rule.check]) {
            mark_required(cond, &term_fields, &mut fields);
        }
    }
    // Each field's window: around the constants of each condition that
    // compares it with some, else around all the scalar's constants.
    let mut windows: Vec<Option<IntervalSet>> = vec![None; fields.len()];
    for atom in &builder.atoms {
        for (i, info) in fields.iter().enumerate() {
            let Kind::Ord(s) = info.kind else { continue };
            let own: Vec<(i128, i128)> = atom
                .points
                .iter()
                .filter(|(subject, _, _)| *subject == Subject::Field(FieldId(i as u32)))
                .map(|(_, ord, step)| (*ord, *step))
                .collect();
            if !own.is_empty() {
                let near = window(&own, s, grid);
                windows[i] = Some(windows[i].take().map_or(near.clone(), |w| w.union(&near)));
            }
        }
    }
    let windows = fields
        .iter()
        .zip(windows)
        .map(|(info, own)| match (info.kind, own) {
            (Kind::Ord(_), Some(own)) => own,
            (Kind::Ord(s), None) => scalar_window(&constants, s, grid),
            _ => IntervalSet::empty(),
        })
        .collect();
    Analysis {
        fields,
        rules: conds,
        atoms: builder.atoms,
        term_fields,
        grid,
        constants,
        strings,
        windows,
    }
}
