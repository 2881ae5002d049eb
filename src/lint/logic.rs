//! The records that make a condition ([`crate::analysis::Cond`]) true,
//! false or unknown (three-valued, as in evaluation).
//!
//! A set of records is a union of *environments*; an environment says, for
//! some terms, which values each may take (the others are free). For an
//! exact atom the three sets are exact; an opaque one may be anything, so every set stays an over-approximation. An empty set is
//! therefore a proof: no record makes the condition take that value.

use std::collections::BTreeMap;

use crate::analysis::{Atom, AtomKind, Cond, Term, TermId};
use crate::semantics::domain::{Domain, VarSet};
use crate::semantics::logic::Kleene;
use crate::semantics::ops::Predicate;

/// How many environments a set may hold; past it, the set becomes "any
/// record" (which is always a safe over-approximation).
const MAX_CASES: usize = 512;

/// One environment: the values of some variables (the others are free).
pub(crate) type Env = BTreeMap<TermId, VarSet>;

/// A set of records: a union of environments, none of them empty.
#[derive(Clone, Debug)]
pub(crate) struct Cases(pub Vec<Env>);

impl Cases {
    pub fn none() -> Cases {
        Cases(Vec::new())
    }

    pub fn all() -> Cases {
        Cases(vec![Env::new()])
    }

    fn one(var: TermId, set: VarSet) -> Cases {
        if set.is_empty() {
            return Cases::none();
        }
        Cases(vec![Env::from([(var, set)])])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn capped(self) -> Cases {
        if self.0.len() > MAX_CASES {
            Cases::all()
        } else {
            self
        }
    }

    pub fn or(&self, other: &Cases) -> Cases {
        Cases(self.0.iter().chain(&other.0).cloned().collect()).capped()
    }

    pub fn and(&self, other: &Cases) -> Cases {
        let mut out = Vec::new();
        for a in &self.0 {
            for b in &other.0 {
                if let Some(env) = meet(a, b) {
                    out.push(env);
                    if out.len() > MAX_CASES {
                        return Cases::all();
                    }
                }
            }
        }
        Cases(out)
    }
}

/// Both environments at once, or `None` if no record is in both.
fn meet(a: &Env, b: &Env) -> Option<Env> {
    let mut env = a.clone();
    for (var, set) in b {
        let joined = match env.get(var) {
            Some(mine) => mine.intersect(set),
            None => set.clone(),
        };
        if joined.is_empty() {
            return None;
        }
        env.insert(*var, joined);
    }
    Some(env)
}

/// The records for which a condition is true, false and unknown.
#[derive(Clone, Debug)]
pub(crate) struct TruthSets {
    pub t: Cases,
    pub f: Cases,
    pub u: Cases,
}

impl TruthSets {
    fn of(&self, value: Kleene) -> &Cases {
        match value {
            Kleene::True => &self.t,
            Kleene::False => &self.f,
            Kleene::Unknown => &self.u,
        }
    }

    /// The records for which `a op b` is `value`: the union, over the
    /// pairs of `op`'s table that give it ([`Kleene::and_pairs`]), of `a`'s
    /// set and `b`'s. A side that gives `value` whatever the other is
    /// counts alone, which keeps environments few and wide; the other pairs
    /// follow, those with an unknown left first and an unknown right last.
    fn joined(a: &TruthSets, b: &TruthSets, pairs: &[(Kleene, Option<Kleene>)]) -> Cases {
        const ALL: [Kleene; 3] = [Kleene::False, Kleene::Unknown, Kleene::True];
        let covers = |l: Kleene, r: Kleene| pairs.iter().any(|(x, y)| *x == l && y.is_none_or(|y| y == r));
        let left_alone: Vec<Kleene> = ALL
            .into_iter()
            .filter(|l| ALL.iter().all(|r| covers(*l, *r)))
            .collect();
        let right_alone: Vec<Kleene> = ALL
            .into_iter()
            .filter(|r| ALL.iter().all(|l| covers(*l, *r)))
            .collect();
        let mut rest: Vec<(Kleene, Kleene)> = pairs
            .iter()
            .filter_map(|(l, r)| r.map(|r| (*l, r)))
            .filter(|(l, r)| !left_alone.contains(l) && !right_alone.contains(r))
            .collect();
        rest.sort_by_key(|(l, r)| (*l != Kleene::Unknown, *r == Kleene::Unknown));
        left_alone
            .iter()
            .map(|l| a.of(*l).clone())
            .chain(right_alone.iter().map(|r| b.of(*r).clone()))
            .chain(rest.iter().map(|(l, r)| a.of(*l).and(b.of(*r))))
            .reduce(|all, cases| all.or(&cases))
            .unwrap_or_else(Cases::none)
    }
}

/// The three sets of a condition, by Kleene's tables.
pub(crate) fn truth(cond: &Cond, terms: &[Term], atoms: &[Atom]) -> TruthSets {
    let present = |term: TermId, values: Domain| {
        Cases::one(
            term,
            VarSet {
                missing: false,
                values,
            },
        )
    };
    match cond {
        Cond::Const(b) => TruthSets {
            t: if *b { Cases::all() } else { Cases::none() },
            f: if *b { Cases::none() } else { Cases::all() },
            u: Cases::none(),
        },
        Cond::Atom(atom) => match &atoms[*atom].kind {
            AtomKind::Opaque => TruthSets {
                t: Cases::all(),
                f: Cases::all(),
                u: Cases::all(),
            },
            AtomKind::In { term, set } => {
                let universe = &terms[*term].universe;
                TruthSets {
                    t: present(*term, set.clone()),
                    f: present(*term, set.within_complement(universe)),
                    u: Cases::one(
                        *term,
                        VarSet {
                            missing: true,
                            values: universe.none_like(),
                        },
                    ),
                }
            }
        },
        Cond::Pred(predicate, term) => predicate_truth(*term, *predicate, &terms[*term]),
        Cond::Not(inner) => {
            // `not` is its own inverse: `not x` is `v` where `x` is `not v`.
            let inner = truth(inner, terms, atoms);
            let of = |value: Kleene| inner.of(value.not()).clone();
            TruthSets {
                t: of(Kleene::True),
                f: of(Kleene::False),
                u: of(Kleene::Unknown),
            }
        }
        Cond::And(a, b) | Cond::Or(a, b) => {
            let (a, b) = (truth(a, terms, atoms), truth(b, terms, atoms));
            let pairs = |value: Kleene| match cond {
                Cond::And(..) => value.and_pairs(),
                _ => value.or_pairs(),
            };
            TruthSets {
                t: TruthSets::joined(&a, &b, &pairs(Kleene::True)),
                f: TruthSets::joined(&a, &b, &pairs(Kleene::False)),
                u: TruthSets::joined(&a, &b, &pairs(Kleene::Unknown)),
            }
        }
    }
}

/// `required` holds for a present value that is not `false`, `""` or `[]`.
fn predicate_truth(term: TermId, predicate: Predicate, info: &Term) -> TruthSets {
    let set = |missing: bool, values: Domain| Cases::one(term, VarSet { missing, values });
    let universe = &info.universe;
    let (t, f) = match predicate {
        Predicate::Present => (set(false, universe.clone()), set(true, universe.none_like())),
        Predicate::Missing => (set(true, universe.none_like()), set(false, universe.clone())),
        Predicate::Required => match Domain::not_required(info.ty, universe) {
            Some(empty) => (
                set(false, empty.within_complement(universe)),
                set(true, empty.intersect(universe)),
            ),
            None => (set(false, Domain::Any), Cases::all()),
        },
    };
    TruthSets {
        t,
        f,
        u: Cases::none(),
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::Exactness;
    use crate::check::FieldId;
    use crate::semantics::domain::IntervalSet;
    use crate::semantics::value::Type;

    use super::*;

    /// A second, in the ordinals of a time.
    const S: i128 = 1_000_000_000;

    fn time_term() -> Term {
        Term {
            key: "arrival".into(),
            ty: Some(Type::TIME),
            fields: vec![FieldId(0)],
            universe: Domain::universe(Type::TIME),
            exact: true,
        }
    }

    /// `arrival <= secs` and `arrival > secs`, as atoms 0 and 1 of `atoms`.
    fn atoms(at_most: i128, above: i128) -> Vec<Atom> {
        let atom = |set| Atom {
            kind: AtomKind::In { term: 0, set },
            exact: Exactness::Exact,
        };
        vec![
            atom(Domain::Ordinal(IntervalSet::range(0, at_most * S))),
            atom(Domain::Ordinal(IntervalSet::range(above * S + 1, 86_400 * S - 1))),
            Atom {
                kind: AtomKind::Opaque,
                exact: Exactness::Not,
            },
        ]
    }

    fn both(a: Cond, b: Cond) -> Cond {
        Cond::And(Box::new(a), Box::new(b))
    }

    fn either(a: Cond, b: Cond) -> Cond {
        Cond::Or(Box::new(a), Box::new(b))
    }

    #[test]
    fn a_contradiction_is_never_true_but_may_be_unknown() {
        // arrival <= 07:30 and arrival > 08:00
        let t = truth(
            &both(Cond::Atom(0), Cond::Atom(1)),
            &[time_term()],
            &atoms(27_000, 28_800),
        );
        assert!(t.t.is_empty());
        assert!(!t.f.is_empty());
        assert!(!t.u.is_empty(), "a missing arrival makes it unknown");
    }

    #[test]
    fn a_tautology_over_values_is_never_false_but_unknown_when_missing() {
        // arrival <= 08:00 or arrival > 07:30
        let t = truth(
            &either(Cond::Atom(0), Cond::Atom(1)),
            &[time_term()],
            &atoms(28_800, 27_000),
        );
        assert!(!t.t.is_empty());
        assert!(t.f.is_empty());
        assert!(!t.u.is_empty());
    }

    #[test]
    fn present_or_missing_is_always_true() {
        let cond = either(
            Cond::Pred(Predicate::Present, 0),
            Cond::Pred(Predicate::Missing, 0),
        );
        let t = truth(&cond, &[time_term()], &[]);
        assert!(t.f.is_empty() && t.u.is_empty() && !t.t.is_empty());
    }

    #[test]
    fn not_keeps_unknown_and_swaps_true_and_false() {
        let t = truth(
            &Cond::Not(Box::new(Cond::Atom(0))),
            &[time_term()],
            &atoms(27_000, 0),
        );
        let envs = &t.t.0;
        assert_eq!(envs.len(), 1);
        assert_eq!(
            envs[0][&0].values,
            Domain::Ordinal(IntervalSet::range(27_000 * S + 1, 86_400 * S - 1))
        );
        assert!(!t.u.is_empty());
    }

    #[test]
    fn opaque_parts_never_prove_anything() {
        let t = truth(
            &both(Cond::Atom(0), Cond::Atom(2)),
            &[time_term()],
            &atoms(27_000, 0),
        );
        assert!(!t.t.is_empty() && !t.f.is_empty() && !t.u.is_empty());
    }

    #[test]
    fn required_on_a_bool_is_false_for_false_and_for_missing() {
        let term = Term {
            key: "badge_worn".into(),
            ty: Some(Type::BOOL),
            fields: vec![FieldId(0)],
            universe: Domain::universe(Type::BOOL),
            exact: true,
        };
        let t = truth(&Cond::Pred(Predicate::Required, 0), &[term], &[]);
        assert_eq!(t.t.0[0][&0].values, Domain::Ordinal(IntervalSet::point(1)));
        assert!(t.f.0[0][&0].missing);
        assert_eq!(t.f.0[0][&0].values, Domain::Ordinal(IntervalSet::point(0)));
        assert!(t.u.is_empty());
    }
}
