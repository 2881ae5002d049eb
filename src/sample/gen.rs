//! Where random choices come from, and how values are drawn from domains:
//! ordinals from interval sets, strings (from the rules' literals, from
//! `matches` patterns, or arbitrary), lists.
//!
//! Every choice is a number where 0 is the simplest: a value nearest to a
//! plain anchor (0, 08:00, 2022-01-03), the first alternative, a short
//! string. Replaying shrunk choices (proptest shrinks them toward 0) gives
//! simpler records.

use regex_syntax::hir::{Class, Hir, HirKind};

use crate::semantics::domain::IntervalSet;
use crate::semantics::ordinal::{self, Grid};
use crate::semantics::value::{Scalar, Value};

/// Where the sampler's choices come from. `0` is always the simplest
/// choice. (Named apart from [`crate::Source`], which reads exports.)
pub trait Choices {
    /// The next raw choice.
    fn next_u64(&mut self) -> u64;

    /// A choice below `n` (0 when `n` is 0 or 1).
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            0
        } else {
            self.next_u64() % n
        }
    }
}

impl<S: Choices + ?Sized> Choices for &mut S {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
}

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same choices on every platform.
#[derive(Clone, Debug)]
pub struct Seeded {
    state: u64,
}

impl Seeded {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Seeded {
        Seeded { state: seed }
    }
}

impl Choices for Seeded {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Replays a list of choices, then answers 0 (the simplest) for ever. The
/// proptest strategies generate and shrink such lists.
#[derive(Clone, Debug, Default)]
pub struct Replay {
    choices: Vec<u64>,
    at: usize,
}

impl Replay {
    /// Replays `choices`.
    pub fn new(choices: Vec<u64>) -> Replay {
        Replay { choices, at: 0 }
    }
}

impl Choices for Replay {
    fn next_u64(&mut self) -> u64 {
        let v = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        v
    }
}

/// A source whose choices are mixed with a retry counter, so that a retry
/// does not repeat the attempt before it; attempt 0 is the source itself.
pub(crate) struct Retry<'s> {
    pub inner: &'s mut dyn Choices,
    pub extra: Seeded,
    pub attempt: u64,
}

impl Choices for Retry<'_> {
    fn next_u64(&mut self) -> u64 {
        let v = self.inner.next_u64();
        if self.attempt == 0 {
            v
        } else {
            v ^ self.extra.next_u64()
        }
    }
}

/// A permutation of `0..n`: the identity for all-zero choices.
pub(crate) fn order(n: usize, src: &mut dyn Choices) -> Vec<usize> {
    let mut out: Vec<usize> = (0..n).collect();
    for i in 0..n {
        let j = i + src.below((n - i) as u64) as usize;
        out.swap(i, j);
    }
    out
}

/// The value a scalar's choices start from.
pub(crate) fn anchor(scalar: Scalar) -> i128 {
    match scalar {
        Scalar::Time => 8 * Grid::HOUR,
        // 2022-01-03, a Monday.
        Scalar::Date => i128::from(ordinal::date(jiff::civil::date(2022, 1, 3))),
        _ => 0,
    }
}

/// The grain values prefer: whole minutes for times and durations.
fn grain(scalar: Scalar) -> i128 {
    match scalar {
        Scalar::Time | Scalar::Duration => Grid::MINUTE,
        _ => 1,
    }
}

/// A member of `set`, preferably inside `window` (where values look like
/// data, see `analyze::window`): nearest the anchor, next to one of
/// `constants`, or anywhere in the window. Where `set` and `window` do not
/// meet, a member of `set` as near the window as it allows, within the
/// window's width of it — never far beyond.
pub(crate) fn pick_ord(
    set: &IntervalSet,
    scalar: Scalar,
    window: &IntervalSet,
    constants: &[i128],
    src: &mut dyn Choices,
) -> Option<i128> {
    let preferred = preferred_part(set, window)?;
    let anchor = anchor(scalar);
    let grain = grain(scalar);
    let near: Vec<i128> = constants.iter().copied().filter(|c| window.contains(c)).collect();
    match src.below(4) {
        0 => preferred.nearest(anchor),
        1 if !near.is_empty() => {
            let c = near[src.below(near.len() as u64) as usize];
            let offset = src.below(3) as i128 - 1;
            preferred.nearest(c + offset * grain)
        }
        _ => {
            let iv = preferred.closed_parts();
            let (lo, hi) = iv[src.below(iv.len() as u64) as usize];
            let center = anchor.clamp(lo, hi);
            let width = hi - lo;
            let choices = u64::try_from(width.saturating_mul(2).saturating_add(1)).unwrap_or(u64::MAX);
            let raw = i128::from(src.below(choices));
            // 0, 1, -1, 2, -2, …: small choices stay near the center.
            let offset = if raw % 2 == 1 { (raw + 1) / 2 } else { -(raw / 2) };
            let mut v = (center + offset).clamp(lo, hi);
            let rounded = v - v.rem_euclid(grain);
            if grain > 1 && rounded >= lo && src.below(4) != 0 {
                v = rounded;
            }
            Some(v)
        }
    }
}

/// The part of `set` to pick from: its members inside `window`, or, where
/// there are none, those within the window's width of the member nearest
/// to the window.
fn preferred_part(set: &IntervalSet, window: &IntervalSet) -> Option<IntervalSet> {
    let inside = set.intersect(window);
    if !inside.is_empty() {
        return Some(inside);
    }
    let (Some(lo), Some(hi)) = (window.min(), window.max()) else {
        return set.nearest(0).map(IntervalSet::point);
    };
    let nearest = set.nearest(lo + (hi - lo) / 2)?;
    let width = hi - lo;
    Some(set.intersect(&IntervalSet::range(nearest - width, nearest + width)))
}

/// How a value of a field of no type should look, guessed from the
/// field's name and use: `employee_id` an id, `full_name` a person's name,
/// `unit` an office, a field a rule holds `required` a flag, anything else
/// a short word. Never a number: a field of no type is text or a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Looks {
    Id,
    PersonName,
    Unit,
    Flag,
    Word,
}

impl Looks {
    /// For a field named `name` (the last part of its path); `required`:
    /// a rule holds it `required`.
    pub fn of(name: &str, required: bool) -> Looks {
        let name = name.to_lowercase();
        let words: Vec<&str> = name.split(['_', '-']).collect();
        // Vietnamese terms are often two words: `don_vi`, `co_quan`.
        let pairs: Vec<String> = words.windows(2).map(|w| w.concat()).collect();
        let has = |terms: &[&str]| {
            words.iter().any(|w| terms.contains(w)) || pairs.iter().any(|p| terms.contains(&p.as_str()))
        };
        if has(&["id", "code", "ma", "key"]) {
            Looks::Id
        } else if has(&["name", "ten", "hoten", "fullname"]) {
            Looks::PersonName
        } else if has(&["unit", "office", "department", "donvi", "coquan"]) {
            Looks::Unit
        } else if required
            || words
                .first()
                .is_some_and(|w| matches!(*w, "is" | "has" | "co" | "da"))
        {
            Looks::Flag
        } else {
            Looks::Word
        }
    }

    /// A value that looks so, not empty (a flag is `true`).
    pub fn value(self, src: &mut dyn Choices) -> Value {
        let pick =
            |list: &[&str], src: &mut dyn Choices| list[src.below(list.len() as u64) as usize].to_string();
        Value::String(match self {
            Looks::Id => id_text(1 + src.below(9999)),
            Looks::PersonName => {
                let family = pick(FAMILY_NAMES, src);
                let middle = pick(MIDDLE_NAMES, src);
                let given = pick(GIVEN_NAMES, src);
                format!("{family} {middle} {given}")
            }
            Looks::Unit => pick(UNITS, src),
            Looks::Flag => return Value::Bool(true),
            Looks::Word => pick(WORDS, src),
        })
    }
}

/// An id like the ones offices give their staff: `NV-0042`.
pub(crate) fn id_text(number: u64) -> String {
    format!("NV-{number:04}")
}

const FAMILY_NAMES: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng"];
const MIDDLE_NAMES: &[&str] = &["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"];
const GIVEN_NAMES: &[&str] = &["An", "Bình", "Hà", "Hùng", "Lan", "Tuấn", "Hương", "Nam"];
const UNITS: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tài chính",
    "Văn phòng UBND tỉnh",
    "UBND thành phố Vinh",
    "Trung tâm Phục vụ hành chính công",
];
const WORDS: &[&str] = &["mẫu", "ghi chú", "văn bản", "hồ sơ", "báo cáo", "kiểm tra"];

const ALPHABET: &[char] = &[
    'a', 'b', 'c', 'd', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x',
    'y', 'A', 'B', 'C', 'D', 'H', 'N', 'T', 'V', 'ă', 'â', 'đ', 'ê', 'ô', 'ơ', 'ư', 'á', 'à', 'ả', 'ã', 'ạ',
    'ệ', 'Đ', '0', '1', '2', '7', '9', ' ', '-', '_', '.',
];

/// An arbitrary short string (may be empty).
pub(crate) fn random_string(src: &mut dyn Choices) -> String {
    let len = src.below(13) as usize;
    (0..len)
        .map(|_| ALPHABET[src.below(ALPHABET.len() as u64) as usize])
        .collect()
}

/// An arbitrary string of exactly `length` characters.
pub(crate) fn string_of_length(length: usize, src: &mut dyn Choices) -> String {
    (0..length)
        .map(|_| ALPHABET[src.below(ALPHABET.len() as u64) as usize])
        .collect()
}

/// A string that `hir` matches (as a whole), if one is easily found.
pub(crate) fn from_pattern(hir: &Hir, src: &mut dyn Choices) -> Option<String> {
    let mut out = String::new();
    walk(hir, src, &mut out, 0)?;
    Some(out)
}

fn walk(hir: &Hir, src: &mut dyn Choices, out: &mut String, depth: usize) -> Option<()> {
    if depth > 200 || out.len() > 4096 {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(std::str::from_utf8(&lit.0).ok()?),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            if ranges.is_empty() {
                return None;
            }
            let contains = |c: char| ranges.iter().any(|r| r.start() <= c && c <= r.end());
            let nice: Vec<char> = ALPHABET.iter().copied().filter(|c| contains(*c)).collect();
            let c = if !nice.is_empty() && src.below(4) != 0 {
                nice[src.below(nice.len() as u64) as usize]
            } else {
                let r = ranges[src.below(ranges.len() as u64) as usize];
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                // Printable first: skip the control characters where the
                // range goes beyond them.
                let lo = if lo < 0x20 && hi >= 0x20 { 0x20 } else { lo };
                let span = (hi - lo).min(94);
                let mut pick = None;
                for k in 0..=span {
                    let cand = lo + (src.below(u64::from(span) + 1) as u32 + k) % (span + 1);
                    if let Some(c) = char::from_u32(cand) {
                        pick = Some(c);
                        break;
                    }
                }
                pick?
            };
            out.push(c);
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ascii: Vec<u8> = class
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .filter(|b| b.is_ascii() && (*b >= 0x20 || class.ranges().iter().all(|r| r.end() < 0x20)))
                .collect();
            if ascii.is_empty() {
                return None;
            }
            out.push(char::from(ascii[src.below(ascii.len() as u64) as usize]));
        }
        HirKind::Repetition(rep) => {
            let max = rep
                .max
                .unwrap_or(rep.min.saturating_add(3))
                .min(rep.min.saturating_add(3));
            let n = rep.min + src.below(u64::from(max - rep.min) + 1) as u32;
            for _ in 0..n {
                walk(&rep.sub, src, out, depth + 1)?;
            }
        }
        HirKind::Capture(cap) => walk(&cap.sub, src, out, depth + 1)?,
        HirKind::Concat(subs) => {
            for sub in subs {
                walk(sub, src, out, depth + 1)?;
            }
        }
        HirKind::Alternation(subs) => {
            let sub = &subs[src.below(subs.len() as u64) as usize];
            walk(sub, src, out, depth + 1)?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_is_deterministic_and_replay_ends_in_zeros() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut s = Seeded::new(7);
                move |_| s.next_u64()
            })
            .collect();
        let mut s = Seeded::new(7);
        assert_eq!(a, (0..4).map(|_| s.next_u64()).collect::<Vec<_>>());
        let mut r = Replay::new(vec![5, 6]);
        assert_eq!((r.next_u64(), r.next_u64(), r.next_u64()), (5, 6, 0));
        assert_eq!(order(4, &mut Replay::default()), vec![0, 1, 2, 3]);
    }

    #[test]
    fn patterns_give_matching_strings() {
        for pattern in [
            "^NV-[0-9]{4}$",
            "^(Sở|Phòng) [A-Z][a-z]+$",
            r"\d{2}\.\d",
            "^[^a-z]+$",
            "(?-u:[a-c])x",
        ] {
            let re = regex::Regex::new(pattern).unwrap();
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let mut src = Seeded::new(3);
            for _ in 0..50 {
                let s = from_pattern(&hir, &mut src).unwrap();
                assert!(re.is_match(&s), "{pattern}: {s:?}");
            }
        }
    }

    #[test]
    fn picks_stay_in_the_set() {
        let set = IntervalSet::range(10, 20).union(&IntervalSet::range(100, 200));
        let everywhere = IntervalSet::range(-1000, 1000);
        let mut src = Seeded::new(1);
        for _ in 0..200 {
            let v = pick_ord(&set, Scalar::Int, &everywhere, &[15, 300], &mut src).unwrap();
            assert!(set.contains(&v));
        }
        assert_eq!(
            pick_ord(&set, Scalar::Int, &everywhere, &[], &mut Replay::default()),
            Some(10)
        );
    }

    #[test]
    fn picks_stay_in_the_window_or_near_it() {
        let window = IntervalSet::range(0, 5);
        let mut src = Seeded::new(2);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..400 {
            let v = pick_ord(
                &IntervalSet::range(1, 1 << 60),
                Scalar::Int,
                &window,
                &[0, 5000],
                &mut src,
            )
            .unwrap();
            assert!((1..=5).contains(&v), "{v}");
            seen.insert(v);
        }
        assert_eq!(seen.len(), 5, "the whole window is used: {seen:?}");
        // A set beyond the window: its members nearest to it.
        for _ in 0..400 {
            let v = pick_ord(
                &IntervalSet::range(1000, 1 << 60),
                Scalar::Int,
                &window,
                &[],
                &mut src,
            )
            .unwrap();
            assert!((1000..=1005).contains(&v), "{v}");
        }
        assert_eq!(
            pick_ord(&IntervalSet::empty(), Scalar::Int, &window, &[], &mut src),
            None
        );
    }
}
