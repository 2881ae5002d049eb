//! Terms: what a condition compares, with its canonical key, the fields it
//! reads and the values it may take.

use crate::check::display::{self, Grouping};
use crate::check::{FieldId, RuleSet, TypedExpr, TypedKind};
use crate::semantics::domain::{Domain, IntervalSet};
use crate::semantics::functions::{Preimage, Shape};
use crate::semantics::ops::BinaryOp;
use crate::semantics::ordinal;
use crate::semantics::value::Type;

/// A field, or an expression of fields (`weekday(date)`, `departure -
/// arrival`) whose value the rules compare.
#[derive(Clone, Debug)]
pub(crate) struct Term {
    /// The expression in a canonical form; equal keys, equal values.
    pub key: String,
    pub ty: Option<Type>,
    /// The fields it is computed from.
    pub fields: Vec<FieldId>,
    /// The values it may take when present.
    pub universe: Domain,
    /// Whether every value of `universe` occurs for some record: a field
    /// (not a list), or a function of one field whose image is known.
    pub exact: bool,
}

/// An operand of a comparison: a term, maybe seen through a monotone
/// function (`year(d)` is the field `d`, and `year(d) == 2022` a set of
/// dates).
pub(crate) struct Operand {
    pub term: Term,
    pub through: Option<Through>,
}

/// A monotone function of a field, which a comparison with literals holds
/// the field to exactly: the results compared, pulled back through the
/// function's preimage.
pub(crate) struct Through {
    pub result: Type,
    /// The results the function gives.
    pub results: Domain,
    pub preimage: Preimage,
    /// The least and greatest `result − field`, in ordinals, when they are
    /// of one type.
    pub offset: Option<(i64, i64)>,
}

impl Term {
    /// The term of a field.
    pub fn field(rules: &RuleSet, id: FieldId) -> Term {
        let ty = rules.field(id).ty;
        Term {
            key: rules.field(id).name.clone(),
            ty,
            fields: vec![id],
            universe: ty.map_or(Domain::Any, Domain::universe),
            exact: !matches!(ty, Some(Type::List(_))),
        }
    }
}

impl Operand {
    /// The operand an expression is; `None` for a condition.
    pub fn of(rules: &RuleSet, expr: &TypedExpr) -> Option<Operand> {
        let key = key(rules, expr)?;
        let plain = |term| Some(Operand { term, through: None });
        match &expr.kind {
            TypedKind::Field(id) => plain(Term::field(rules, *id)),
            TypedKind::Call(function, args) => {
                let field = match args.as_slice() {
                    [TypedExpr {
                        kind: TypedKind::Field(id),
                        ..
                    }] => Some(*id),
                    _ => None,
                };
                let signature = function.builtin.signature();
                let ints = |(lo, hi): (i64, i64)| Domain::Ordinal(IntervalSet::range(lo.into(), hi.into()));
                if let (
                    Shape::Monotone {
                        image,
                        preimage,
                        offset,
                    },
                    Some(id),
                ) = (signature.shape, field)
                {
                    if rules.field(id).ty.is_some() {
                        return Some(Operand {
                            term: Term::field(rules, id),
                            through: Some(Through {
                                result: signature.result,
                                results: image.map_or_else(|| Domain::universe(signature.result), ints),
                                preimage,
                                offset,
                            }),
                        });
                    }
                }
                // The ints it takes, each for some argument: then its
                // comparisons are as exact as a field's.
                let image = match signature.shape {
                    Shape::Part { image, .. }
                    | Shape::Monotone {
                        image: Some(image), ..
                    } => Some(image),
                    Shape::Image(lo, hi) => Some((lo, hi)),
                    Shape::Monotone { image: None, .. } | Shape::Opaque | Shape::Holds(_) => None,
                };
                plain(Term {
                    key,
                    ty: Some(signature.result),
                    fields: reads(expr),
                    universe: image.map_or_else(|| Domain::universe(signature.result), ints),
                    exact: image.is_some() && field.is_some(),
                })
            }
            _ => plain(Term {
                key,
                ty: Some(expr.ty),
                fields: reads(expr),
                universe: Domain::universe(expr.ty),
                exact: false,
            }),
        }
    }

    /// The values the operand's comparisons are about: the function's
    /// results, or the term's type's.
    pub fn compared_universe(&self) -> Option<Domain> {
        match &self.through {
            Some(through) => Some(through.results.clone()),
            None => self.term.ty.map(Domain::universe),
        }
    }
}

impl Through {
    /// The values of a field of type `ty` whose results are in `results`.
    pub fn pulled_back(&self, results: &Domain, ty: Option<Type>) -> Option<Domain> {
        let Domain::Ordinal(results) = results.intersect(&self.results) else {
            return None;
        };
        let result = self.result.scalar()?;
        let field_universe = Domain::universe(ty?);
        let mut out = field_universe.none_like();
        for (lo, hi) in results.bounded_parts()? {
            let (lo, hi) = (ordinal::value_at(result, lo)?, ordinal::value_at(result, hi)?);
            if let Some((first, last)) = (self.preimage)(&lo, &hi) {
                out = out.union(&Domain::of_range(&first, &last, &field_universe)?);
            }
        }
        Some(out)
    }
}

/// The canonical text of an operand (every arithmetic operation in
/// parentheses); `None` for a condition.
fn key(rules: &RuleSet, expr: &TypedExpr) -> Option<String> {
    fn operand(expr: &TypedExpr) -> bool {
        match &expr.kind {
            // A group's value (§9) is a term like a field: its text names it.
            TypedKind::Literal(_)
            | TypedKind::Field(_)
            | TypedKind::GroupKey { .. }
            | TypedKind::Aggregate { .. } => true,
            TypedKind::Call(_, args) => args.iter().all(operand),
            TypedKind::Neg(inner) => operand(inner),
            TypedKind::Binary { op, lhs, rhs } => {
                !op.is_comparison()
                    && !matches!(op, BinaryOp::And | BinaryOp::Or)
                    && operand(lhs)
                    && operand(rhs)
            }
            _ => false,
        }
    }
    operand(expr).then(|| display::text(rules, expr, Grouping::EveryArithmetic))
}

/// The fields an expression reads, by id.
fn reads(expr: &TypedExpr) -> Vec<FieldId> {
    let mut out: Vec<FieldId> = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            TypedKind::Field(id) | TypedKind::Predicate(_, id) => out.push(*id),
            TypedKind::Call(_, args) => stack.extend(args),
            TypedKind::Neg(x) | TypedKind::Not(x) => stack.push(x),
            TypedKind::Binary { lhs, rhs, .. } => {
                stack.push(lhs);
                stack.push(rhs);
            }
            TypedKind::In { element, .. } => stack.push(element),
            TypedKind::Literal(_) | TypedKind::GroupKey { .. } | TypedKind::Aggregate { .. } => {}
        }
    }
    out.sort();
    out.dedup();
    out
}
