//! Conditions as the lint sees them, and the records that make a condition
//! true, false or unknown (three-valued, as in evaluation).
//!
//! A set of records is a union of *environments*; an environment says, for
//! some variables, which values each may take (the others are free). For a
//! comparison of a variable with a literal the three sets are exact; a part
//! of a condition the lint does not understand is *opaque* and may be
//! anything, so every set stays an over-approximation. An empty set is
//! therefore a proof: no record makes the condition take that value.

use std::collections::BTreeMap;

use super::intervals::{Values, VarSet};
use crate::semantics::ops::Predicate;
use crate::semantics::value::Type;

/// How many environments a set may hold; past it, the set becomes "any
/// record" (which is always a safe over-approximation).
const MAX_CASES: usize = 512;

/// What the lint reasons about: a field, or an expression of fields
/// (`weekday(date)`, `departure - arrival`) whose value the rules compare.
#[derive(Clone, Debug)]
pub(crate) struct Var {
    /// The expression in a canonical form; equal keys, equal values.
    pub key: String,
    pub ty: Option<Type>,
    /// The values it may take when present.
    pub universe: Values,
    /// The fields it is computed from.
    pub base: Vec<String>,
}

/// A condition, reduced to what the lint reasons about.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    Const(bool),
    /// True when the variable is present with a value in `set`, false when
    /// present with another value, unknown when missing.
    Holds {
        var: usize,
        set: Values,
    },
    /// `x required`, `x present`, `x missing`: never unknown.
    Pred {
        var: usize,
        predicate: Predicate,
    },
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    /// Anything: true, false or unknown, whatever the variables.
    Opaque,
}

/// One environment: the values of some variables (the others are free).
pub(crate) type Env = BTreeMap<usize, VarSet>;

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

    fn one(var: usize, set: VarSet) -> Cases {
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
pub(crate) struct Truth {
    pub t: Cases,
    pub f: Cases,
    pub u: Cases,
}

/// The three sets of a condition, by Kleene's tables.
pub(crate) fn truth(cond: &Cond, vars: &[Var]) -> Truth {
    let present = |var: usize, values: Values| {
        Cases::one(
            var,
            VarSet {
                missing: false,
                values,
            },
        )
    };
    match cond {
        Cond::Const(b) => Truth {
            t: if *b { Cases::all() } else { Cases::none() },
            f: if *b { Cases::none() } else { Cases::all() },
            u: Cases::none(),
        },
        Cond::Opaque => Truth {
            t: Cases::all(),
            f: Cases::all(),
            u: Cases::all(),
        },
        Cond::Holds { var, set } => {
            let universe = &vars[*var].universe;
            Truth {
                t: present(*var, set.clone()),
                f: present(*var, set.within_complement(universe)),
                u: Cases::one(
                    *var,
                    VarSet {
                        missing: true,
                        values: universe.none_like(),
                    },
                ),
            }
        }
        Cond::Pred { var, predicate } => predicate_truth(*var, *predicate, &vars[*var]),
        Cond::Not(inner) => {
            let Truth { t, f, u } = truth(inner, vars);
            Truth { t: f, f: t, u }
        }
        Cond::And(a, b) => {
            let (a, b) = (truth(a, vars), truth(b, vars));
            Truth {
                t: a.t.and(&b.t),
                f: a.f.or(&b.f),
                u: a.u.and(&b.t).or(&a.u.and(&b.u)).or(&a.t.and(&b.u)),
            }
        }
        Cond::Or(a, b) => {
            let (a, b) = (truth(a, vars), truth(b, vars));
            Truth {
                t: a.t.or(&b.t),
                f: a.f.and(&b.f),
                u: a.u.and(&b.f).or(&a.u.and(&b.u)).or(&a.f.and(&b.u)),
            }
        }
    }
}

/// `required` holds for a present value that is not `false`, `""` or `[]`.
fn predicate_truth(var: usize, predicate: Predicate, info: &Var) -> Truth {
    let set = |missing: bool, values: Values| Cases::one(var, VarSet { missing, values });
    let universe = &info.universe;
    let (t, f) = match predicate {
        Predicate::Present => (set(false, universe.clone()), set(true, universe.none_like())),
        Predicate::Missing => (set(true, universe.none_like()), set(false, universe.clone())),
        Predicate::Required => {
            let empty = match (info.ty, universe) {
                (Some(Type::BOOL), Values::Int(_)) => Some(Values::Int(super::intervals::Ranges::point(0))),
                (Some(Type::STRING), Values::Str(_)) => {
                    Some(Values::Str(super::intervals::Ranges::point(String::new())))
                }
                (Some(Type::Scalar(_)), _) => Some(universe.none_like()),
                // A list (`[]`) or a value of no type: not described.
                _ => None,
            };
            match empty {
                Some(empty) => (
                    set(false, empty.within_complement(universe)),
                    set(true, empty.intersect(universe)),
                ),
                None => (set(false, Values::Any), Cases::all()),
            }
        }
    };
    Truth {
        t,
        f,
        u: Cases::none(),
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Bound::{Excluded, Included, Unbounded};

    use super::super::intervals::Ranges;
    use super::*;

    fn time_var() -> Var {
        Var {
            key: "arrival".into(),
            ty: Some(Type::TIME),
            universe: Values::Int(Ranges::between(Included(0), Included(86_399))),
            base: vec!["arrival".into()],
        }
    }

    fn at_most(secs: i64) -> Cond {
        Cond::Holds {
            var: 0,
            set: Values::Int(Ranges::between(Unbounded, Included(secs))),
        }
    }

    fn above(secs: i64) -> Cond {
        Cond::Holds {
            var: 0,
            set: Values::Int(Ranges::between(Excluded(secs), Unbounded)),
        }
    }

    #[test]
    fn a_contradiction_is_never_true_but_may_be_unknown() {
        let vars = [time_var()];
        // arrival <= 07:30 and arrival > 08:00
        let cond = Cond::And(Box::new(at_most(27_000)), Box::new(above(28_800)));
        let t = truth(&cond, &vars);
        assert!(t.t.is_empty());
        assert!(!t.f.is_empty());
        assert!(!t.u.is_empty(), "a missing arrival makes it unknown");
    }

    #[test]
    fn a_tautology_over_values_is_never_false_but_unknown_when_missing() {
        let vars = [time_var()];
        // arrival <= 08:00 or arrival > 07:30
        let cond = Cond::Or(Box::new(at_most(28_800)), Box::new(above(27_000)));
        let t = truth(&cond, &vars);
        assert!(!t.t.is_empty());
        assert!(t.f.is_empty());
        assert!(!t.u.is_empty());
    }

    #[test]
    fn present_or_missing_is_always_true() {
        let vars = [time_var()];
        let cond = Cond::Or(
            Box::new(Cond::Pred {
                var: 0,
                predicate: Predicate::Present,
            }),
            Box::new(Cond::Pred {
                var: 0,
                predicate: Predicate::Missing,
            }),
        );
        let t = truth(&cond, &vars);
        assert!(t.f.is_empty() && t.u.is_empty() && !t.t.is_empty());
    }

    #[test]
    fn not_keeps_unknown_and_swaps_true_and_false() {
        let vars = [time_var()];
        let t = truth(&Cond::Not(Box::new(at_most(27_000))), &vars);
        let envs = &t.t.0;
        assert_eq!(envs.len(), 1);
        assert_eq!(
            envs[0][&0].values,
            Values::Int(Ranges::between(Included(27_001), Included(86_399)))
        );
        assert!(!t.u.is_empty());
    }

    #[test]
    fn opaque_parts_never_prove_anything() {
        let vars = [time_var()];
        let cond = Cond::And(Box::new(at_most(27_000)), Box::new(Cond::Opaque));
        let t = truth(&cond, &vars);
        assert!(!t.t.is_empty() && !t.f.is_empty() && !t.u.is_empty());
    }

    #[test]
    fn required_on_a_bool_is_false_for_false_and_for_missing() {
        let var = Var {
            key: "badge_worn".into(),
            ty: Some(Type::BOOL),
            universe: Values::Int(Ranges::between(Included(0), Included(1))),
            base: vec!["badge_worn".into()],
        };
        let t = truth(
            &Cond::Pred {
                var: 0,
                predicate: Predicate::Required,
            },
            &[var],
        );
        assert_eq!(t.t.0[0][&0].values, Values::Int(Ranges::point(1)));
        assert!(t.f.0[0][&0].missing);
        assert_eq!(t.f.0[0][&0].values, Values::Int(Ranges::point(0)));
        assert!(t.u.is_empty());
    }
}
