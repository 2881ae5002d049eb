//! Three-valued logic (§6 of the contract): [`Kleene`] truth, `and`, `or`
//! and `not` by Kleene's tables, and the predicates `required` and
//! `present` (`missing` is not `present`).

use super::cell::Cell;

/// The truth of a condition: a comparison with a missing operand is
/// unknown, not false.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kleene {
    False,
    Unknown,
    True,
}

impl Kleene {
    /// False wins over unknown.
    #[inline]
    pub const fn and(self, other: Kleene) -> Kleene {
        match (self, other) {
            (Kleene::False, _) | (_, Kleene::False) => Kleene::False,
            (Kleene::True, Kleene::True) => Kleene::True,
            _ => Kleene::Unknown,
        }
    }

    /// True wins over unknown.
    #[inline]
    pub const fn or(self, other: Kleene) -> Kleene {
        match (self, other) {
            (Kleene::True, _) | (_, Kleene::True) => Kleene::True,
            (Kleene::False, Kleene::False) => Kleene::False,
            _ => Kleene::Unknown,
        }
    }

    #[inline]
    pub const fn not(self) -> Kleene {
        match self {
            Kleene::False => Kleene::True,
            Kleene::Unknown => Kleene::Unknown,
            Kleene::True => Kleene::False,
        }
    }

    /// Whether `self and x` is `self` whatever `x` is: `and` goes left to
    /// right and does not evaluate its right side then.
    #[inline]
    pub const fn settles_and(self) -> bool {
        matches!(self, Kleene::False)
    }

    /// Whether `self or x` is `self` whatever `x` is.
    #[inline]
    pub const fn settles_or(self) -> bool {
        matches!(self, Kleene::True)
    }

    /// The ways `left and right` comes out `self`, as `(left, right)`;
    /// `right` is `None` where `left` settles the result, so that the right
    /// side is not evaluated at all. For tools that work backwards from a
    /// truth (the sampler): the tables are [`Kleene::and`]'s.
    pub fn and_pairs(self) -> Vec<(Kleene, Option<Kleene>)> {
        self.pairs(Kleene::and, Kleene::settles_and)
    }

    /// The ways `left or right` comes out `self`, as for
    /// [`Kleene::and_pairs`].
    pub fn or_pairs(self) -> Vec<(Kleene, Option<Kleene>)> {
        self.pairs(Kleene::or, Kleene::settles_or)
    }

    /// The left side that settles the result first, then the others, each
    /// side in the order false, true, unknown.
    fn pairs(
        self,
        op: fn(Kleene, Kleene) -> Kleene,
        settles: fn(Kleene) -> bool,
    ) -> Vec<(Kleene, Option<Kleene>)> {
        const ORDER: [Kleene; 3] = [Kleene::False, Kleene::True, Kleene::Unknown];
        let settling = ORDER
            .into_iter()
            .filter(|left| settles(*left) && *left == self)
            .map(|left| (left, None));
        let both = ORDER
            .into_iter()
            .filter(|left| !settles(*left))
            .flat_map(|left| ORDER.into_iter().map(move |right| (left, right)))
            .filter(|(left, right)| op(*left, *right) == self)
            .map(|(left, right)| (left, Some(right)));
        settling.chain(both).collect()
    }
}

impl From<bool> for Kleene {
    #[inline]
    fn from(b: bool) -> Kleene {
        if b {
            Kleene::True
        } else {
            Kleene::False
        }
    }
}

impl From<Option<bool>> for Kleene {
    #[inline]
    fn from(b: Option<bool>) -> Kleene {
        b.map_or(Kleene::Unknown, Kleene::from)
    }
}

impl From<Kleene> for Option<bool> {
    #[inline]
    fn from(k: Kleene) -> Option<bool> {
        match k {
            Kleene::False => Some(false),
            Kleene::Unknown => None,
            Kleene::True => Some(true),
        }
    }
}

/// `x required`: present, and not `false`, `""` or `[]` (`0` counts).
#[inline]
pub(crate) fn required(cell: &Cell<'_>) -> bool {
    match cell {
        Cell::Missing | Cell::Error(_) => false,
        Cell::Bool(b) => *b,
        Cell::String(s) => !s.is_empty(),
        Cell::List(items) => !items.is_empty(),
        _ => true,
    }
}

/// `x present`: there and not `null` (a data error is not a value).
#[inline]
pub(crate) fn present(cell: &Cell<'_>) -> bool {
    !matches!(cell, Cell::Missing | Cell::Error(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Kleene; 3] = [Kleene::False, Kleene::Unknown, Kleene::True];

    #[test]
    fn the_tables_are_kleenes() {
        for a in ALL {
            for b in ALL {
                let (x, y): (Option<bool>, Option<bool>) = (a.into(), b.into());
                // Unknown is "either": a result is known when both choices agree.
                let either = |f: fn(bool, bool) -> bool| -> Option<bool> {
                    let xs = x.map_or(vec![false, true], |x| vec![x]);
                    let ys = y.map_or(vec![false, true], |y| vec![y]);
                    let results: Vec<bool> = xs
                        .iter()
                        .flat_map(|&x| ys.iter().map(move |&y| f(x, y)))
                        .collect();
                    results.iter().all(|r| *r == results[0]).then_some(results[0])
                };
                assert_eq!(Option::from(a.and(b)), either(|x, y| x && y), "{a:?} and {b:?}");
                assert_eq!(Option::from(a.or(b)), either(|x, y| x || y), "{a:?} or {b:?}");
                assert_eq!(
                    a.settles_and(),
                    a.and(Kleene::True) == a && a.and(Kleene::Unknown) == a && a.and(Kleene::False) == a
                );
                assert_eq!(
                    a.settles_or(),
                    a.or(Kleene::True) == a && a.or(Kleene::Unknown) == a && a.or(Kleene::False) == a
                );
            }
            assert_eq!(Option::<bool>::from(a.not()), Option::<bool>::from(a).map(|b| !b));
        }
    }

    #[test]
    fn the_pairs_are_exactly_the_ways_to_a_truth() {
        type Table = (
            fn(Kleene) -> Vec<(Kleene, Option<Kleene>)>,
            fn(Kleene, Kleene) -> Kleene,
        );
        let tables: [Table; 2] = [(Kleene::and_pairs, Kleene::and), (Kleene::or_pairs, Kleene::or)];
        for (pairs_of, op) in tables {
            for result in ALL {
                let pairs = pairs_of(result);
                for left in ALL {
                    for right in ALL {
                        // Covered once: by the settling left side alone, or
                        // by the pair itself.
                        let covered = pairs
                            .iter()
                            .filter(|(l, r)| *l == left && r.is_none_or(|r| r == right))
                            .count();
                        assert_eq!(
                            covered,
                            usize::from(op(left, right) == result),
                            "{left:?} {right:?}"
                        );
                    }
                }
                for (left, right) in pairs {
                    let settles = ALL.iter().all(|r| op(left, *r) == left);
                    assert_eq!(right.is_none(), settles, "{left:?} {result:?}");
                }
            }
        }
    }
}
