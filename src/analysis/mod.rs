//! What the tools reason about, built once from the checked rules: a
//! condition tree ([`Cond`]) over atoms ([`Atom`]) over terms ([`Term`]).
//!
//! A term is a field, a built-in function of a field (`weekday(date)`), or
//! any other expression of fields (`departure - arrival`), known by a
//! canonical key so that the same expression twice is the same term. An
//! atom says which values of one term make it true (`arrival <= 07:30`,
//! `dress in ["formal", "uniform"]`), as a set of the one domain
//! ([`crate::semantics::domain`]), or is opaque: anything, whatever the
//! terms. Lint proves from exact atoms only.

mod terms;

use crate::check::{RuleSet, TypedExpr, TypedKind, TypedSet};
use crate::semantics::domain::{Domain, IntervalSet};
use crate::semantics::ops::{BinaryOp, Predicate};
use crate::semantics::value::{Type, Value};

use terms::Operand;
pub(crate) use terms::Term;

/// An index in [`Builder::terms`].
pub(crate) type TermId = usize;
/// An index in [`Builder::atoms`].
pub(crate) type AtomId = usize;

/// A condition, reduced to what the tools reason about.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    Const(bool),
    /// `x required`, `x present`, `x missing` of a field's term: never
    /// unknown.
    Pred(Predicate, TermId),
    Atom(AtomId),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

/// One test of one term.
#[derive(Clone, Debug)]
pub(crate) struct Atom {
    pub kind: AtomKind,
    pub exact: Exactness,
}

#[derive(Clone, Debug)]
pub(crate) enum AtomKind {
    /// True when the term is present with a value in `set`, false when
    /// present with another value, unknown when missing.
    In { term: TermId, set: Domain },
    /// Anything: true, false or unknown, whatever the terms.
    Opaque,
}

/// Whether an atom says exactly which records make it true.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exactness {
    /// Exactly: lint may prove from it.
    Exact,
    /// Not: every set stays an over-approximation, never a proof.
    Not,
}

/// Builds conditions over one shared table of terms and atoms.
pub(crate) struct Builder<'r> {
    rules: &'r RuleSet,
    pub terms: Vec<Term>,
    pub atoms: Vec<Atom>,
    /// A term some of whose values may never occur, or a `required` that
    /// the domain does not describe, was used.
    inexact_use: bool,
}

impl<'r> Builder<'r> {
    pub fn new(rules: &'r RuleSet) -> Builder<'r> {
        Builder {
            rules,
            terms: Vec::new(),
            atoms: Vec::new(),
            inexact_use: false,
        }
    }

    /// Whether every condition built so far is exact: only exact atoms,
    /// over terms each of whose values can occur.
    pub fn exact(&self) -> bool {
        !self.inexact_use && self.atoms.iter().all(|a| a.exact == Exactness::Exact)
    }

    /// Whether the terms used so far can take their values independently:
    /// no field feeds two of them.
    pub fn independent(&self) -> bool {
        let mut seen = Vec::new();
        for term in &self.terms {
            for field in &term.fields {
                if seen.contains(field) {
                    return false;
                }
                seen.push(*field);
            }
        }
        true
    }

    fn atom(&mut self, kind: AtomKind, exact: Exactness) -> AtomId {
        self.atoms.push(Atom { kind, exact });
        self.atoms.len() - 1
    }

    fn opaque(&mut self) -> AtomId {
        self.atom(AtomKind::Opaque, Exactness::Not)
    }

    fn term(&mut self, term: Term) -> TermId {
        if let Some(i) = self.terms.iter().position(|t| t.key == term.key) {
            return i;
        }
        self.inexact_use |= !term.exact || term.universe == Domain::Any;
        self.terms.push(term);
        self.terms.len() - 1
    }

    fn holds(&mut self, term: TermId, set: Domain) -> AtomId {
        let exact = if self.terms[term].exact {
            Exactness::Exact
        } else {
            Exactness::Not
        };
        self.atom(AtomKind::In { term, set }, exact)
    }

    /// `operand op value` (or `value op operand`, flipped before).
    fn compare(&mut self, operand: Option<Operand>, op: BinaryOp, value: &Value) -> AtomId {
        let Some(Operand { term, through }) = operand else {
            return self.opaque();
        };
        let term = self.term(term);
        let universe = self.terms[term].universe.clone();
        let set = match &through {
            Some(through) => Domain::of_comparison(op, value, &through.results)
                .and_then(|results| through.pulled_back(&results, self.terms[term].ty)),
            None => Domain::of_comparison(op, value, &universe),
        };
        match set {
            Some(set) => self.holds(term, set.intersect(&universe)),
            None => self.opaque(),
        }
    }

    /// `left op right` of two operands: known only for a monotone function
    /// of a field against the field itself, when the function's offset
    /// decides it for every value (`month_start(d) > d`).
    fn related(&mut self, left: Option<Operand>, op: BinaryOp, right: Option<Operand>) -> AtomId {
        let (Some(left), Some(right)) = (left, right) else {
            return self.opaque();
        };
        let (call, field, op) = match (&left.through, &right.through) {
            (Some(_), None) => (left, right, op),
            (None, Some(_)) => (right, left, op.flipped()),
            _ => return self.opaque(),
        };
        let offset = call.through.and_then(|t| t.offset);
        let (Some((lo, hi)), true) = (offset, call.term.key == field.term.key) else {
            return self.opaque();
        };
        // `f(x) op x` is `f(x) − x op 0`, and `f(x) − x` takes every value
        // of the offset.
        let offsets = Domain::Ordinal(IntervalSet::range(lo.into(), hi.into()));
        let Some(holding) = Domain::of_comparison(op, &Value::Int(0), &offsets) else {
            return self.opaque();
        };
        let term = self.term(field.term);
        let universe = self.terms[term].universe.clone();
        if holding.is_empty() {
            let none = universe.none_like();
            self.holds(term, none)
        } else if holding == offsets {
            self.holds(term, universe)
        } else {
            self.opaque()
        }
    }

    /// `operand in [values]` or `operand in low..high`; `not in` holds
    /// the term to the rest of its universe (missing stays unknown, as
    /// under `not`), so that a leaf is one atom.
    fn member(&mut self, operand: Option<Operand>, negated: bool, set: &TypedSet) -> AtomId {
        let Some(operand) = operand else {
            return self.opaque();
        };
        let values = operand.compared_universe().and_then(|universe| match set {
            TypedSet::List(items) => Domain::of_list(items, &universe),
            TypedSet::Range(low, high) => Domain::of_range(low, high, &universe),
            TypedSet::Field(_) => None,
        });
        let Some(values) = values else {
            return self.opaque();
        };
        let Operand { term, through } = operand;
        let term = self.term(term);
        let values = match &through {
            Some(through) => match through.pulled_back(&values, self.terms[term].ty) {
                Some(values) => values,
                None => return self.opaque(),
            },
            None => values,
        };
        let universe = &self.terms[term].universe;
        let set = values.intersect(universe);
        let set = if negated {
            set.within_complement(universe)
        } else {
            set
        };
        self.holds(term, set)
    }

    /// The condition a checked `when` or `check` states, every leaf an
    /// atom of [`Builder::leaf`].
    pub fn cond(&mut self, expr: &TypedExpr) -> Cond {
        self.cond_with(expr, &mut |builder, leaf| Cond::Atom(builder.leaf(leaf)))
    }

    /// The walk every tool shares: `and`, `or`, `not`, `true`, `false` and
    /// the predicates here; `leaf` gives the condition of anything else
    /// (the sampler keeps its own payload for each atom, by its id).
    pub fn cond_with(
        &mut self,
        expr: &TypedExpr,
        leaf: &mut dyn FnMut(&mut Builder<'r>, &TypedExpr) -> Cond,
    ) -> Cond {
        match &expr.kind {
            TypedKind::Literal(Value::Bool(b)) => Cond::Const(*b),
            TypedKind::Not(inner) => Cond::Not(Box::new(self.cond_with(inner, leaf))),
            TypedKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                lhs,
                rhs,
            } => {
                let (lhs, rhs) = (self.cond_with(lhs, leaf), self.cond_with(rhs, leaf));
                if *op == BinaryOp::And {
                    Cond::And(Box::new(lhs), Box::new(rhs))
                } else {
                    Cond::Or(Box::new(lhs), Box::new(rhs))
                }
            }
            TypedKind::Predicate(predicate, id) => {
                let term = self.term(Term::field(self.rules, *id));
                if *predicate == Predicate::Required && !matches!(self.terms[term].ty, Some(Type::Scalar(_)))
                {
                    self.inexact_use = true;
                }
                Cond::Pred(*predicate, term)
            }
            _ => leaf(self, expr),
        }
    }

    /// The one atom a leaf of a condition is: a comparison, a membership,
    /// a bool term, or else an opaque atom.
    pub fn leaf(&mut self, expr: &TypedExpr) -> AtomId {
        match &expr.kind {
            TypedKind::Binary { op, lhs, rhs } if op.is_comparison() => match (&lhs.kind, &rhs.kind) {
                (_, TypedKind::Literal(v)) => {
                    let operand = Operand::of(self.rules, lhs);
                    self.compare(operand, *op, v)
                }
                (TypedKind::Literal(v), _) => {
                    let operand = Operand::of(self.rules, rhs);
                    self.compare(operand, op.flipped(), v)
                }
                _ => {
                    let left = Operand::of(self.rules, lhs);
                    let right = Operand::of(self.rules, rhs);
                    self.related(left, *op, right)
                }
            },
            TypedKind::In {
                negated,
                element,
                set,
            } => {
                let operand = Operand::of(self.rules, element);
                self.member(operand, *negated, set)
            }
            // A bool-valued term standing as a condition: `when is_head`.
            TypedKind::Field(_) | TypedKind::Call(..) if expr.ty == Type::BOOL => {
                let operand = Operand::of(self.rules, expr);
                self.compare(operand, BinaryOp::Eq, &Value::Bool(true))
            }
            _ => self.opaque(),
        }
    }
}

/// The terms a condition reads, in order of first use.
pub(crate) fn used_terms(cond: &Cond, atoms: &[Atom]) -> Vec<TermId> {
    fn walk(cond: &Cond, atoms: &[Atom], out: &mut Vec<TermId>) {
        let mut add = |term: TermId| {
            if !out.contains(&term) {
                out.push(term);
            }
        };
        match cond {
            Cond::Pred(_, term) => add(*term),
            Cond::Atom(atom) => {
                if let AtomKind::In { term, .. } = &atoms[*atom].kind {
                    add(*term);
                }
            }
            Cond::Not(x) => walk(x, atoms, out),
            Cond::And(a, b) | Cond::Or(a, b) => {
                walk(a, atoms, out);
                walk(b, atoms, out);
            }
            Cond::Const(_) => {}
        }
    }
    let mut out = Vec::new();
    walk(cond, atoms, &mut out);
    out
}
