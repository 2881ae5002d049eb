//! Property tests:
//! (a) `fmt::format_source` output parses back, is a fixed point, and
//!     compiles to the same rules as its input;
//! (b) evaluation is deterministic, never panics, and gives one outcome per
//!     rule and record;
//! (c) the three-valued (Kleene) logic obeys its laws;
//! (d) a comparison means the same however it is written;
//! (e) explain shows the outcome checking gives;
//! (f) the checker, which skips the rules whose guard cannot hold, reports
//!     what every rule's outcome says.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{json, Map, Value as Json};

use civrules::fmt::format_source;
use civrules::{check_reader, Checker, InputFormat, Outcome, Program, Reason};

// ---------------------------------------------------------------------------
// Generated rules files

/// A generated condition: tokens, and how they combine.
#[derive(Clone, Debug)]
enum Cond {
    Leaf(Vec<String>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
    Paren(Box<Cond>),
}

impl Cond {
    fn tokens(&self, out: &mut Vec<String>) {
        match self {
            Cond::Leaf(t) => out.extend(t.iter().cloned()),
            Cond::And(l, r) | Cond::Or(l, r) => {
                l.tokens(out);
                out.push(
                    if matches!(self, Cond::And(..)) {
                        "and"
                    } else {
                        "or"
                    }
                    .to_string(),
                );
                r.tokens(out);
            }
            Cond::Not(x) => {
                out.push("not".to_string());
                x.tokens(out);
            }
            Cond::Paren(x) => {
                out.push("(".to_string());
                x.tokens(out);
                out.push(")".to_string());
            }
        }
    }
}

fn toks(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn cmp_op() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">="])
}

fn int_lit() -> impl Strategy<Value = String> {
    prop_oneof![4 => -5i64..=15, 1 => -1000i64..=1000].prop_map(|i| i.to_string())
}

fn dec_lit() -> impl Strategy<Value = String> {
    (-400i64..=400, 1usize..=2).prop_map(|(i, digits)| {
        let sign = if i < 0 { "-" } else { "" };
        let a = i.unsigned_abs();
        if digits == 1 {
            format!("{sign}{}.{}", a / 10, a % 10)
        } else {
            format!("{sign}{}.{:02}", a / 100, a % 100)
        }
    })
}

fn str_lit() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        r#""""#,
        r#""a""#,
        r#""b""#,
        r#""S""#,
        r#""Sở Nội vụ""#,
        r#""đặng""#,
        r#""a\"b""#,
        r#""x\ny""#,
        r#""\u{1EA1}""#,
        r##""#không phải chú thích""##,
        r#""NV-0042""#,
    ])
    .prop_map(str::to_string)
}

fn time_lit() -> impl Strategy<Value = String> {
    (0u8..24, 0u8..60, prop::option::of(0u8..60), any::<bool>()).prop_map(|(h, m, s, short)| {
        let mut t = if short && h < 10 {
            format!("{h}:{m:02}")
        } else {
            format!("{h:02}:{m:02}")
        };
        if let Some(s) = s {
            t.push_str(&format!(":{s:02}"));
        }
        t
    })
}

fn date_lit() -> impl Strategy<Value = String> {
    (2020i32..2027, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn dur_lit() -> impl Strategy<Value = String> {
    (0u32..3, 0u32..24, 0u32..60, 0u32..60).prop_map(|(d, h, m, s)| {
        let mut out = String::new();
        for (n, unit) in [(d, 'd'), (h, 'h'), (m, 'm'), (s, 's')] {
            if n > 0 {
                out.push_str(&format!("{n}{unit}"));
            }
        }
        if out.is_empty() {
            out.push_str("0s");
        }
        out
    })
}

/// Every field the generated rules use; `emp.*` are nested.
const ALL_FIELDS: [&str; 14] = [
    "b1", "b2", "b3", "n1", "n2", "d1", "s1", "emp.unit", "emp.name", "t1", "dt1", "du1", "tags", "u1",
];

fn comparison_leaf() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        prop::sample::select(vec!["b1", "b2", "b3"]).prop_map(|f| toks(&[f])),
        (
            prop::sample::select(vec!["b1", "b3"]),
            prop::sample::select(vec!["==", "!="]),
            prop::sample::select(vec!["true", "false"])
        )
            .prop_map(|(f, op, l)| toks(&[f, op, l])),
        prop::sample::select(vec!["==", "!="]).prop_map(|op| toks(&["b1", op, "b2"])),
        (
            prop::sample::select(vec!["n1", "n2"]),
            cmp_op(),
            int_lit(),
            any::<bool>()
        )
            .prop_map(|(f, op, l, flip)| if flip {
                toks(&[&l, op, f])
            } else {
                toks(&[f, op, &l])
            }),
        cmp_op().prop_map(|op| toks(&["n1", op, "n2"])),
        (cmp_op(), dec_lit()).prop_map(|(op, l)| toks(&["d1", op, &l])),
        (prop::sample::select(vec!["s1", "emp.unit"]), cmp_op(), str_lit())
            .prop_map(|(f, op, l)| toks(&[f, op, &l])),
        (cmp_op(), time_lit()).prop_map(|(op, l)| toks(&["t1", op, &l])),
        (cmp_op(), date_lit()).prop_map(|(op, l)| toks(&["dt1", op, &l])),
        (cmp_op(), dur_lit()).prop_map(|(op, l)| toks(&["du1", op, &l])),
    ]
}

fn membership_leaf() -> impl Strategy<Value = Vec<String>> {
    let neg = any::<bool>();
    let in_op = |negated: bool| if negated { vec!["not", "in"] } else { vec!["in"] };
    prop_oneof![
        (neg, prop::collection::vec(int_lit(), 1..4), any::<bool>()).prop_map(move |(n, items, trailing)| {
            let mut t = toks(&["n1"]);
            t.extend(toks(&in_op(n)));
            t.push("[".into());
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    t.push(",".into());
                }
                t.push(item.clone());
            }
            if trailing && !items.is_empty() {
                t.push(",".into());
            }
            t.push("]".into());
            t
        }),
        (neg, int_lit(), int_lit()).prop_map(move |(n, lo, hi)| {
            let mut t = toks(&["n1"]);
            t.extend(toks(&in_op(n)));
            t.extend([lo, "..".into(), hi]);
            t
        }),
        (neg, time_lit(), time_lit()).prop_map(move |(n, lo, hi)| {
            let mut t = toks(&["t1"]);
            t.extend(toks(&in_op(n)));
            t.extend([lo, "..".into(), hi]);
            t
        }),
        (neg, date_lit(), date_lit()).prop_map(move |(n, lo, hi)| {
            let mut t = toks(&["dt1"]);
            t.extend(toks(&in_op(n)));
            t.extend([lo, "..".into(), hi]);
            t
        }),
        (neg, str_lit(), str_lit()).prop_map(move |(n, a, b)| {
            let mut t = toks(&["s1"]);
            t.extend(toks(&in_op(n)));
            t.extend(["[".into(), a, ",".into(), b, "]".into()]);
            t
        }),
        (neg, dec_lit(), int_lit()).prop_map(move |(n, a, b)| {
            let mut t = toks(&["d1"]);
            t.extend(toks(&in_op(n)));
            t.extend(["[".into(), a, ",".into(), b, "]".into()]);
            t
        }),
        (neg, str_lit()).prop_map(move |(n, s)| {
            let mut t = vec![s];
            t.extend(toks(&in_op(n)));
            t.push("tags".into());
            t
        }),
        neg.prop_map(move |n| {
            let mut t = toks(&["s1"]);
            t.extend(toks(&in_op(n)));
            t.push("tags".into());
            t
        }),
    ]
}

fn predicate_leaf() -> impl Strategy<Value = Vec<String>> {
    (
        prop::sample::select(ALL_FIELDS.to_vec()),
        prop::sample::select(vec!["required", "present", "missing"]),
    )
        .prop_map(|(f, p)| toks(&[f, p]))
}

fn call_leaf() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        (
            prop::sample::select(vec!["weekday", "day", "month", "year"]),
            cmp_op(),
            int_lit()
        )
            .prop_map(|(f, op, l)| toks(&[f, "(", "dt1", ")", op, &l])),
        (prop::sample::select(vec!["hour", "minute"]), cmp_op(), int_lit())
            .prop_map(|(f, op, l)| toks(&[f, "(", "t1", ")", op, &l])),
        (prop::sample::select(vec!["s1", "tags"]), cmp_op(), 0i64..5).prop_map(|(f, op, l)| toks(&[
            "len",
            "(",
            f,
            ")",
            op,
            &l.to_string()
        ])),
        (
            prop::sample::select(vec!["contains", "starts_with"]),
            prop::sample::select(vec!["s1", "emp.unit"]),
            str_lit()
        )
            .prop_map(|(f, a, l)| toks(&[f, "(", a, ",", &l, ")"])),
        prop::sample::select(vec![r#""^a""#, r#""\\d{2}""#, r#""(?i)sở""#, r#""^$""#])
            .prop_map(|pat| toks(&["matches", "(", "s1", ",", pat, ")"])),
        (prop::sample::select(vec!["lower", "upper"]), cmp_op(), str_lit())
            .prop_map(|(f, op, l)| toks(&[f, "(", "s1", ")", op, &l])),
    ]
}

fn arithmetic_leaf() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        (
            prop::sample::select(vec!["+", "-", "*"]),
            int_lit(),
            cmp_op(),
            int_lit()
        )
            .prop_map(|(op, a, c, b)| toks(&["n1", op, &a, c, &b])),
        (cmp_op(), int_lit()).prop_map(|(c, b)| toks(&["10", "/", "n1", c, &b])),
        cmp_op().prop_map(|c| toks(&["n1", "*", "1000000000000", c, "0"])),
        (cmp_op(), dec_lit()).prop_map(|(c, b)| toks(&["n1", "/", "4", c, &b])),
        (
            prop::sample::select(vec!["+", "-"]),
            dec_lit(),
            cmp_op(),
            dec_lit()
        )
            .prop_map(|(op, a, c, b)| toks(&["d1", op, &a, c, &b])),
        (
            prop::sample::select(vec!["+", "-"]),
            dur_lit(),
            cmp_op(),
            time_lit()
        )
            .prop_map(|(op, a, c, b)| toks(&["t1", op, &a, c, &b])),
        (
            prop::sample::select(vec!["+", "-"]),
            dur_lit(),
            cmp_op(),
            date_lit()
        )
            .prop_map(|(op, a, c, b)| toks(&["dt1", op, &a, c, &b])),
        (cmp_op(), int_lit()).prop_map(|(c, b)| toks(&["-", "n1", c, &b])),
        (cmp_op(), dur_lit()).prop_map(|(c, b)| toks(&["du1", "+", "30m", c, &b])),
    ]
}

fn leaf() -> impl Strategy<Value = Cond> {
    prop_oneof![
        4 => comparison_leaf(),
        2 => membership_leaf(),
        2 => predicate_leaf(),
        2 => call_leaf(),
        2 => arithmetic_leaf(),
    ]
    .prop_map(Cond::Leaf)
}

fn cond() -> impl Strategy<Value = Cond> {
    leaf().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Cond::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Cond::Or(Box::new(l), Box::new(r))),
            inner.clone().prop_map(|x| Cond::Not(Box::new(x))),
            inner.prop_map(|x| Cond::Paren(Box::new(x))),
        ]
    })
}

#[derive(Clone, Debug)]
struct GenRule {
    title: Option<String>,
    severity: Option<&'static str>,
    reference: Option<String>,
    when: Option<Cond>,
    check: Cond,
    message: Option<String>,
    /// Short form where the rule has only a check.
    short: bool,
    /// A permutation of the six clause slots (the order written).
    order: Vec<usize>,
}

fn gen_rule() -> impl Strategy<Value = GenRule> {
    (
        prop::option::weighted(0.4, str_lit()),
        prop::option::weighted(
            0.4,
            prop::sample::select(vec!["info", "minor", "major", "critical"]),
        ),
        prop::option::weighted(0.3, str_lit()),
        prop::option::weighted(0.4, cond()),
        cond(),
        prop::option::weighted(
            0.4,
            prop::sample::select(vec![
                r#""Đến muộn lúc {t1}""#,
                r#""{emp.unit}: {n1} / {d1}""#,
                r#""{{literal}} {u1}""#,
                r#""no holes""#,
                r#""{ s1 }""#,
            ]),
        ),
        any::<bool>(),
        Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
    )
        .prop_map(
            |(title, severity, reference, when, check, message, short, order)| GenRule {
                title,
                severity,
                reference,
                when,
                check,
                message: message.map(str::to_string),
                short,
                order,
            },
        )
}

#[derive(Clone, Debug)]
enum Stmt {
    Field(&'static str, &'static str),
    Key(&'static str),
    Rule(usize, GenRule),
}

#[derive(Clone, Debug)]
struct GenFile {
    ruleset: Option<String>,
    statements: Vec<Stmt>,
    /// Drives the layout (whitespace, newlines, comments).
    layout_seed: u64,
    leading_comment: bool,
}

fn gen_file() -> impl Strategy<Value = GenFile> {
    (
        prop::option::of(prop::sample::select(vec!["nghe-an", "Sở Nội vụ", "x"])),
        prop::collection::vec(gen_rule(), 1..5),
        prop::option::of(prop::sample::select(vec!["emp.name", "u1", "n2"])),
        any::<u64>(),
        any::<bool>(),
        prop::sample::subsequence(
            vec![("d1", "decimal"), ("du1", "duration"), ("u1", "string")],
            0..=3,
        ),
        any::<u64>(),
    )
        .prop_map(
            |(ruleset, rules, key, shuffle_seed, leading_comment, extra, layout_seed)| {
                let mut statements = vec![
                    Stmt::Field("b1", "bool"),
                    Stmt::Field("b2", "bool"),
                    Stmt::Field("n2", "int"),
                    Stmt::Field("s1", "string"),
                    Stmt::Field("tags", "list[string]"),
                ];
                for (f, t) in extra {
                    statements.push(Stmt::Field(f, t));
                }
                if let Some(k) = key {
                    statements.push(Stmt::Key(k));
                }
                for (i, r) in rules.into_iter().enumerate() {
                    statements.push(Stmt::Rule(i, r));
                }
                // A deterministic shuffle of the statements.
                let mut rng = Rng(shuffle_seed | 1);
                for i in (1..statements.len()).rev() {
                    let j = (rng.next() % (i as u64 + 1)) as usize;
                    statements.swap(i, j);
                }
                GenFile {
                    ruleset: ruleset.map(|s| format!("\"{s}\"")),
                    statements,
                    layout_seed,
                    leading_comment,
                }
            },
        )
}

/// xorshift64*: the layout's randomness, fixed by the case's seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const COMMENTS: [&str; 6] = [
    "# ghi chú",
    "#",
    "# rule x: y required",
    "# \"quoted\" and {braces}",
    "#### đúng giờ ####",
    "# check arrival <= 07:30",
];

fn is_punct(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| "()[],:{}=!<>+*/.".contains(c))
}

struct Layout {
    rng: Rng,
    out: String,
}

impl Layout {
    /// A separator between two tokens: whitespace, newlines or a comment;
    /// nothing at all only next to punctuation.
    fn sep(&mut self, prev: &str, next: &str) {
        let may_be_empty = is_punct(prev) || is_punct(next);
        let choice = self.rng.below(100);
        let s: String = match choice {
            0..=49 => " ".into(),
            50..=59 if may_be_empty => String::new(),
            50..=59 => " ".into(),
            60..=66 => "  ".into(),
            67..=70 => "\t".into(),
            71..=80 => "\n".into(),
            81..=84 => "\n\n   ".into(),
            85..=87 => "\r\n".into(),
            _ => {
                let c = COMMENTS[self.rng.below(COMMENTS.len() as u64) as usize];
                format!(" {c}\n")
            }
        };
        self.out.push_str(&s);
    }

    fn tokens(&mut self, tokens: &[String], prev: &mut String) {
        for t in tokens {
            if !prev.is_empty() {
                self.sep(prev, t);
            }
            self.out.push_str(t);
            *prev = t.clone();
        }
    }

    /// Between statements: at least one whitespace character.
    fn statement_sep(&mut self) {
        let s = match self.rng.below(10) {
            0..=4 => "\n".to_string(),
            5 => " ".to_string(),
            6 => "\n\n".to_string(),
            7 => "\n\n\n".to_string(),
            8 => "\r\n".to_string(),
            _ => {
                let c = COMMENTS[self.rng.below(COMMENTS.len() as u64) as usize];
                format!("  {c}\n")
            }
        };
        self.out.push_str(&s);
    }
}

fn render(file: &GenFile) -> String {
    let mut layout = Layout {
        rng: Rng(file.layout_seed | 1),
        out: String::new(),
    };
    if file.leading_comment {
        layout.out.push_str("# tệp quy tắc\n\n");
    }
    let mut first = true;
    let mut emit = |layout: &mut Layout, tokens: Vec<String>| {
        if !first {
            layout.statement_sep();
        }
        first = false;
        let mut prev = String::new();
        layout.tokens(&tokens, &mut prev);
    };
    if let Some(name) = &file.ruleset {
        emit(&mut layout, toks(&["ruleset", name]));
    }
    for stmt in &file.statements {
        let tokens = match stmt {
            Stmt::Field(f, t) => {
                let mut v = toks(&["field", f, ":"]);
                if let Some(elem) = t.strip_prefix("list[").and_then(|s| s.strip_suffix(']')) {
                    v.extend(toks(&["list", "[", elem, "]"]));
                } else {
                    v.push(t.to_string());
                }
                v
            }
            Stmt::Key(k) => toks(&["key", k]),
            Stmt::Rule(i, rule) => rule_tokens(*i, rule),
        };
        emit(&mut layout, tokens);
    }
    if layout.rng.below(2) == 0 {
        layout.out.push('\n');
    }
    layout.out
}

fn rule_tokens(i: usize, rule: &GenRule) -> Vec<String> {
    let bases = ["r", "quy_tac_", "đúng_giờ_", "_x", "Rule"];
    let id = format!("{}{i}", bases[i % bases.len()]);
    let mut t = toks(&["rule", &id]);
    let only_check = rule.title.is_none()
        && rule.severity.is_none()
        && rule.reference.is_none()
        && rule.when.is_none()
        && rule.message.is_none();
    if only_check && rule.short {
        t.push(":".into());
        rule.check.tokens(&mut t);
        return t;
    }
    t.push("{".into());
    for slot in &rule.order {
        match slot {
            0 => {
                if let Some(x) = &rule.title {
                    t.extend(["title".to_string(), x.clone()]);
                }
            }
            1 => {
                if let Some(x) = rule.severity {
                    t.extend(toks(&["severity", x]));
                }
            }
            2 => {
                if let Some(x) = &rule.reference {
                    t.extend(["ref".to_string(), x.clone()]);
                }
            }
            3 => {
                if let Some(x) = &rule.when {
                    t.push("when".into());
                    x.tokens(&mut t);
                }
            }
            4 => {
                t.push("check".into());
                rule.check.tokens(&mut t);
            }
            _ => {
                if let Some(x) = &rule.message {
                    t.extend(["message".to_string(), x.clone()]);
                }
            }
        }
    }
    t.push("}".into());
    t
}

// ---------------------------------------------------------------------------
// Generated records

fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        // Few digits: an f64 with 17 significant digits may not survive
        // serde_json's text round trip to the last bit.
        (-100_000_000i64..100_000_000).prop_map(|i| json!(i as f64 / 100.0)),
        "[a-zĐđ0-9:. -]{0,8}".prop_map(Json::String),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Json::Array),
            prop::collection::vec(("[a-z]{1,4}", inner), 0..3)
                .prop_map(|kv| Json::Object(kv.into_iter().collect::<Map<String, Json>>())),
        ]
    })
}

/// A value of the right type for `field` (or, for untyped fields, anything).
fn good_value(field: &'static str) -> BoxedStrategy<Json> {
    match field {
        "b1" | "b2" | "b3" => any::<bool>().prop_map(Json::Bool).boxed(),
        "n1" | "n2" => prop_oneof![
            6 => (-3i64..=12).prop_map(|i| json!(i)),
            1 => Just(json!(0)),
            1 => Just(json!(i64::MAX)),
            1 => Just(json!(i64::MIN)),
            1 => Just(json!(4_000_000_000i64)),
        ]
        .boxed(),
        "d1" => (-40i64..=40).prop_map(|i| json!(i as f64 / 10.0)).boxed(),
        "s1" | "emp.unit" => {
            prop::sample::select(vec!["", "a", "b", "ab", "S", "Sở Nội vụ", "đặng", "NV-0042", "x"])
                .prop_map(|s| json!(s))
                .boxed()
        }
        "t1" => prop::sample::select(vec!["07:30", "7:00", "23:59:59", "00:00", "12:15", "23:00"])
            .prop_map(|s| json!(s))
            .boxed(),
        "dt1" => prop::sample::select(vec![
            "2024-01-01",
            "2024-02-29",
            "2023-12-31",
            "9999-12-31",
            "2022-02-09",
        ])
        .prop_map(|s| json!(s))
        .boxed(),
        "du1" => prop::sample::select(vec!["30m", "1h", "2d", "0s", "-1h", "1h30m"])
            .prop_map(|s| json!(s))
            .boxed(),
        "tags" => prop::collection::vec(prop::sample::select(vec!["a", "b", "x", "Sở Nội vụ"]), 0..3)
            .prop_map(|v| json!(v))
            .boxed(),
        _ => any_json().boxed(),
    }
}

#[derive(Clone, Debug)]
enum Slot {
    Absent,
    Null,
    Good(Json),
    Other(Json),
}

fn slot(field: &'static str) -> impl Strategy<Value = Slot> {
    prop_oneof![
        2 => Just(Slot::Absent),
        1 => Just(Slot::Null),
        6 => good_value(field).prop_map(Slot::Good),
        1 => any_json().prop_map(Slot::Other),
    ]
}

/// A record with the fields the generated rules use (nested `emp`), each
/// absent, null, of its type, or of any other JSON.
fn record() -> impl Strategy<Value = Json> {
    let slots: Vec<_> = ALL_FIELDS.iter().map(|f| slot(f).boxed()).collect();
    (
        slots,
        prop_oneof![4 => Just(None), 1 => any_json().prop_map(Some)],
    )
        .prop_map(|(slots, emp_override)| {
            let mut top = Map::new();
            let mut emp = Map::new();
            for (field, s) in ALL_FIELDS.iter().zip(slots) {
                let value = match s {
                    Slot::Absent => continue,
                    Slot::Null => Json::Null,
                    Slot::Good(v) | Slot::Other(v) => v,
                };
                match field.strip_prefix("emp.") {
                    Some(inner) => {
                        emp.insert(inner.to_string(), value);
                    }
                    None => {
                        top.insert(field.to_string(), value);
                    }
                }
            }
            match emp_override {
                Some(other) => {
                    top.insert("emp".into(), other);
                }
                None if !emp.is_empty() => {
                    top.insert("emp".into(), Json::Object(emp));
                }
                None => {}
            }
            Json::Object(top)
        })
}

fn compile(text: &str) -> Result<Program, TestCaseError> {
    Program::from_source("gen.rules", text).map_err(|e| {
        TestCaseError::fail(format!(
            "does not compile:\n{}\n--- source ---\n{text}",
            e.render()
        ))
    })
}

fn reports(program: &Program, records: &[Json]) -> Vec<civrules::RecordReport> {
    let mut checker = Checker::new(program);
    records.iter().map(|r| checker.check_json(r)).collect()
}

/// A modest number of cases, and no regression files written next to the
/// tests.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

// ---------------------------------------------------------------------------
// (a) fmt

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn formatting_parses_back_is_a_fixed_point_and_keeps_the_rules(
        file in gen_file(),
        records in prop::collection::vec(record(), 1..5),
    ) {
        let source = render(&file);
        let original = compile(&source)?;
        let once = format_source("gen.rules", &source).map_err(|e| {
            TestCaseError::fail(format!("fmt refused its input:\n{}\n--- source ---\n{source}", e.render()))
        })?;
        let twice = format_source("gen.rules", &once).map_err(|e| {
            TestCaseError::fail(format!(
                "fmt output does not parse:\n{}\n--- source ---\n{source}\n--- formatted ---\n{once}",
                e.render()
            ))
        })?;
        prop_assert_eq!(&twice, &once, "not a fixed point\n--- source ---\n{:?}", source);
        let formatted = Program::from_source("gen.rules", &once).map_err(|e| {
            TestCaseError::fail(format!(
                "fmt output does not compile:\n{}\n--- source ---\n{source}\n--- formatted ---\n{once}",
                e.render()
            ))
        })?;
        prop_assert_eq!(original.name(), formatted.name());
        prop_assert_eq!(
            original.rule_ids().collect::<Vec<_>>(),
            formatted.rule_ids().collect::<Vec<_>>()
        );
        // Same outcomes, and the same report entries (severity, title,
        // message, ref, key and missing fields included).
        for r in &records {
            let a = original.record_from_json(r).expect("an object");
            let b = formatted.record_from_json(r).expect("an object");
            prop_assert_eq!(
                original.outcomes(&a).expect("the program's own record"),
                formatted.outcomes(&b).expect("the program's own record"),
                "record {}\n--- source ---\n{}\n--- formatted ---\n{}",
                r,
                source,
                once
            );
        }
        prop_assert_eq!(reports(&original, &records), reports(&formatted, &records));
    }
}

// ---------------------------------------------------------------------------
// (b) evaluation

/// Reports with the wording of data-error messages left out (it may say
/// `[]` or `an array` depending on how the record was read), and the
/// violation messages too (a decimal `-3.0` in JSON text prints as written,
/// from a `serde_json::Value` as `-3`; see the eval unit tests).
fn same_but_wording(reports: &[civrules::RecordReport]) -> Vec<civrules::RecordReport> {
    let mut reports = reports.to_vec();
    for r in &mut reports {
        for v in &mut r.violations {
            v.message = v.message.as_ref().map(|_| String::new());
        }
        for e in &mut r.errors {
            if e.field.is_some() {
                e.message.clear();
            }
        }
    }
    reports
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn evaluation_is_deterministic_and_gives_one_outcome_per_rule(
        file in gen_file(),
        records in prop::collection::vec(
            prop_oneof![8 => record(), 1 => any_json()],
            1..8,
        ),
    ) {
        let source = render(&file);
        let program = compile(&source)?;
        let rules: Vec<String> = program.rule_ids().map(str::to_string).collect();
        let first = reports(&program, &records);
        let second = reports(&program, &records);
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(first.len(), records.len());

        // The same records as JSON text, a line each or as one document,
        // give the same reports.
        let mut checker = Checker::new(&program);
        let from_lines: Vec<_> = records
            .iter()
            .map(|r| checker.check_ndjson_line(&r.to_string()).expect("not blank"))
            .collect();
        prop_assert_eq!(same_but_wording(&first), same_but_wording(&from_lines), "NDJSON lines");
        let findings = |reports: &[civrules::RecordReport]| -> Vec<civrules::RecordReport> {
            same_but_wording(reports)
                .into_iter()
                .filter(|r| !r.violations.is_empty() || !r.errors.is_empty())
                .collect()
        };
        let document = Json::Array(records.clone()).to_string();
        let mut checker = Checker::new(&program);
        let mut from_document = Vec::new();
        check_reader(document.as_bytes(), InputFormat::Json, &mut checker, |r| {
            from_document.push(r);
            Ok::<(), civrules::InputError>(())
        })
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        // (Records without findings need not be handed over.)
        prop_assert_eq!(findings(&first), findings(&from_document), ".json document");
        let lines: String = records.iter().map(|r| format!("{r}\n")).collect();
        let mut checker = Checker::new(&program);
        let mut from_reader = Vec::new();
        check_reader(lines.as_bytes(), InputFormat::Ndjson, &mut checker, |r| {
            from_reader.push(r);
            Ok::<(), civrules::InputError>(())
        })
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(findings(&first), findings(&from_reader), "NDJSON reader");

        for (i, (json, report)) in records.iter().zip(&first).enumerate() {
            prop_assert_eq!(report.record, i as u64 + 1);
            let Some(record) = program.record_from_json(json) else {
                // Not an object: one error, nothing else.
                prop_assert!(!json.is_object());
                prop_assert_eq!(report.errors.len(), 1);
                prop_assert!(report.violations.is_empty());
                prop_assert_eq!((&report.errors[0].field, &report.errors[0].rule), (&None, &None));
                continue;
            };
            let outcomes = program.outcomes(&record).expect("the program's own record");
            prop_assert_eq!(outcomes.len(), rules.len());
            prop_assert_eq!(&outcomes, &program.outcomes(&record).expect("the program's own record"));

            // The report says what the outcomes say, rule by rule, in order.
            let violated: Vec<&str> = rules
                .iter()
                .zip(&outcomes)
                .filter(|(_, o)| matches!(o, Outcome::Violation { .. }))
                .map(|(r, _)| r.as_str())
                .collect();
            let reported: Vec<&str> = report.violations.iter().map(|v| v.rule.as_str()).collect();
            prop_assert_eq!(violated, reported);
            let eval_errors: Vec<&str> = rules
                .iter()
                .zip(&outcomes)
                .filter(|(_, o)| matches!(o, Outcome::Error(Some(_))))
                .map(|(r, _)| r.as_str())
                .collect();
            let reported: Vec<&str> = report.errors.iter().filter_map(|e| e.rule.as_deref()).collect();
            prop_assert_eq!(eval_errors, reported);
            // Data errors come first, then evaluation errors.
            let kinds: Vec<bool> = report.errors.iter().map(|e| e.field.is_some()).collect();
            let mut sorted = kinds.clone();
            sorted.sort_by(|a, b| b.cmp(a));
            prop_assert_eq!(&kinds, &sorted);
            for e in &report.errors {
                prop_assert!(e.field.is_some() != e.rule.is_some());
            }
            // A rule's data error needs a field data error in the record.
            if outcomes.contains(&Outcome::Error(None)) {
                prop_assert!(report.errors.iter().any(|e| e.field.is_some()));
            }
            for v in &report.violations {
                match v.reason {
                    Reason::Failed => prop_assert!(v.missing.is_empty()),
                    Reason::Missing => {
                        prop_assert!(!v.missing.is_empty(), "{:?}", v);
                        let unique: BTreeSet<&String> = v.missing.iter().collect();
                        prop_assert_eq!(unique.len(), v.missing.len());
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// (c) Kleene logic

#[derive(Clone, Debug)]
enum B {
    Var(usize),
    Lit(bool),
    And(Box<B>, Box<B>),
    Or(Box<B>, Box<B>),
    Not(Box<B>),
}

const VARS: [&str; 3] = ["a", "b", "c"];

fn bool_expr() -> impl Strategy<Value = B> {
    prop_oneof![4 => (0usize..3).prop_map(B::Var), 1 => any::<bool>().prop_map(B::Lit)].prop_recursive(
        4,
        20,
        2,
        |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(l, r)| B::And(Box::new(l), Box::new(r))),
                (inner.clone(), inner.clone()).prop_map(|(l, r)| B::Or(Box::new(l), Box::new(r))),
                inner.prop_map(|x| B::Not(Box::new(x))),
            ]
        },
    )
}

/// Fully parenthesised source text.
fn text(e: &B) -> String {
    match e {
        B::Var(i) => VARS[*i].to_string(),
        B::Lit(b) => b.to_string(),
        B::And(l, r) => format!("({} and {})", text(l), text(r)),
        B::Or(l, r) => format!("({} or {})", text(l), text(r)),
        B::Not(x) => format!("(not {})", text(x)),
    }
}

fn kleene(e: &B, env: &[Option<bool>; 3]) -> Option<bool> {
    match e {
        B::Var(i) => env[*i],
        B::Lit(b) => Some(*b),
        B::And(l, r) => match (kleene(l, env), kleene(r, env)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        B::Or(l, r) => match (kleene(l, env), kleene(r, env)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        B::Not(x) => kleene(x, env).map(|b| !b),
    }
}

/// true / false / missing (absent) / missing (null).
fn three_valued() -> impl Strategy<Value = (Option<bool>, bool)> {
    prop_oneof![
        Just((Some(true), false)),
        Just((Some(false), false)),
        Just((None, false)),
        Just((None, true)),
    ]
}

fn env_and_record() -> impl Strategy<Value = ([Option<bool>; 3], Json)> {
    [three_valued(), three_valued(), three_valued()].prop_map(|vals| {
        let mut map = Map::new();
        let mut env = [None; 3];
        for (i, (v, null)) in vals.iter().enumerate() {
            env[i] = *v;
            match v {
                Some(b) => {
                    map.insert(VARS[i].into(), Json::Bool(*b));
                }
                None if *null => {
                    map.insert(VARS[i].into(), Json::Null);
                }
                None => {}
            }
        }
        (env, Json::Object(map))
    })
}

/// pass / failed / missing (or n/a, error).
fn verdict(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Violation {
            reason: Reason::Failed,
            ..
        } => "failed",
        Outcome::Violation {
            reason: Reason::Missing,
            ..
        } => "missing",
        Outcome::NotApplicable => "n/a",
        Outcome::NotChecked => "not checked",
        Outcome::Error(_) => "error",
    }
}

/// Compiles `checks` as rules r0, r1, … over bool fields a, b, c and
/// returns each rule's verdict and missing fields for `record`.
fn judge(checks: &[String], record: &Json) -> Result<Vec<(&'static str, BTreeSet<String>)>, TestCaseError> {
    let mut source = String::from("field a: bool\nfield b: bool\nfield c: bool\n");
    for (i, c) in checks.iter().enumerate() {
        source.push_str(&format!("rule r{i}: {c}\n"));
    }
    let program = compile(&source)?;
    let mut checker = Checker::new(&program);
    let report = checker.check_json(record);
    let outcomes = program
        .outcomes(&program.record_from_json(record).expect("an object"))
        .expect("the program's own record");
    Ok(outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let kind = verdict(o);
            let missing = report
                .violations
                .iter()
                .find(|v| v.rule == format!("r{i}"))
                .map(|v| v.missing.iter().cloned().collect())
                .unwrap_or_default();
            (kind, missing)
        })
        .collect())
}

fn expected_kind(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "pass",
        Some(false) => "failed",
        None => "missing",
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn nested_logic_follows_kleene(e in bool_expr(), (env, record) in env_and_record()) {
        let got = judge(&[text(&e)], &record)?;
        prop_assert_eq!(got[0].0, expected_kind(kleene(&e, &env)), "{} with {}", text(&e), record);
        // The missing fields are among those that are missing.
        for f in &got[0].1 {
            let i = VARS.iter().position(|v| v == f).expect("a known field");
            prop_assert_eq!(env[i], None);
        }
    }

    #[test]
    fn kleene_laws_hold(x in bool_expr(), y in bool_expr(), z in bool_expr(), (_, record) in env_and_record()) {
        let (x, y, z) = (text(&x), text(&y), text(&z));
        let checks = vec![
            format!("{x} and {y}"),
            format!("{y} and {x}"),
            format!("{x} or {y}"),
            format!("{y} or {x}"),
            format!("not ({x} and {y})"),
            format!("not {x} or not {y}"),
            format!("not ({x} or {y})"),
            format!("not {x} and not {y}"),
            format!("not not {x}"),
            x.clone(),
            format!("false and {x}"),
            format!("true or {x}"),
            format!("{x} and ({y} or {z})"),
            format!("({x} and {y}) or ({x} and {z})"),
            format!("({x} and {y}) and {z}"),
            format!("{x} and ({y} and {z})"),
        ];
        let got = judge(&checks, &record)?;
        let same = |i: usize, j: usize, law: &str| -> Result<(), TestCaseError> {
            prop_assert_eq!(
                got[i].0, got[j].0,
                "{}: `{}` vs `{}` with {}", law, &checks[i], &checks[j], record
            );
            Ok(())
        };
        same(0, 1, "and commutes")?;
        prop_assert_eq!(&got[0].1, &got[1].1, "missing of and: {}", record);
        same(2, 3, "or commutes")?;
        prop_assert_eq!(&got[2].1, &got[3].1, "missing of or: {}", record);
        same(4, 5, "De Morgan (and)")?;
        same(6, 7, "De Morgan (or)")?;
        same(8, 9, "double negation")?;
        prop_assert_eq!(&got[8].1, &got[9].1, "missing of not not: {}", record);
        prop_assert_eq!(got[10].0, "failed", "`false and x` is false with {}", record);
        prop_assert_eq!(got[11].0, "pass", "`true or x` is true with {}", record);
        same(12, 13, "distributivity")?;
        same(14, 15, "associativity")?;
    }
}

// ---------------------------------------------------------------------------
// (d) one comparison, written several ways, means one thing

fn flipped(op: &str) -> &'static str {
    match op {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        "==" => "==",
        _ => "!=",
    }
}

fn negated(op: &str) -> &'static str {
    match op {
        "<" => ">=",
        "<=" => ">",
        ">" => "<=",
        ">=" => "<",
        "==" => "!=",
        _ => "==",
    }
}

/// A field, its declared type, literals of that type, and whether ranges
/// apply to it.
fn typed_field() -> impl Strategy<Value = (&'static str, &'static str, [String; 3], bool)> {
    let three = |s: BoxedStrategy<String>| [s.clone(), s.clone(), s];
    prop_oneof![
        three(int_lit().boxed()).prop_map(|l| ("n1", "int", l, true)),
        three(prop_oneof![dec_lit(), int_lit()].boxed()).prop_map(|l| ("d1", "decimal", l, true)),
        three(str_lit().boxed()).prop_map(|l| ("s1", "string", l, false)),
        three(time_lit().boxed()).prop_map(|l| ("t1", "time", l, true)),
        three(date_lit().boxed()).prop_map(|l| ("dt1", "date", l, true)),
        three(dur_lit().boxed()).prop_map(|l| ("du1", "duration", l, false)),
        three(prop::sample::select(vec!["true".to_string(), "false".to_string()]).boxed())
            .prop_map(|l| ("b1", "bool", l, false)),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_comparison_means_the_same_however_written(
        (field, ty, [l1, l2, l3], ranges) in typed_field(),
        op in cmp_op(),
        value in prop_oneof![4 => any::<u8>().prop_map(Some), 1 => Just(None)],
        extra in any_json(),
    ) {
        // bool has only == and !=.
        let op = if ty == "bool" && !matches!(op, "==" | "!=") { "==" } else { op };
        // The record: a value near the literals (or any JSON, or none).
        let pick = match value {
            Some(v) => match v % 4 {
                0 => l1.clone(),
                1 => l2.clone(),
                2 => l3.clone(),
                _ => String::new(),
            },
            None => String::new(),
        };
        let record = if pick.is_empty() {
            match value {
                Some(v) if v % 8 == 3 => json!({ field: extra }),
                Some(v) if v % 8 == 7 => json!({ field: null }),
                _ => json!({}),
            }
        } else {
            // The literal's own value, as a record holds it.
            let lit = Program::from_source("lit.rules", &format!("field {field}: {ty}\nrule r: {field} == {pick}\n"));
            prop_assert!(lit.is_ok());
            let json_value: Json = match ty {
                "int" => json!(pick.parse::<i64>().unwrap()),
                "decimal" => json!(pick.parse::<f64>().unwrap()),
                "bool" => json!(pick == "true"),
                "string" => serde_json::from_str(&unescape_rules_string(&pick)).unwrap(),
                _ => json!(pick),
            };
            json!({ field: json_value })
        };
        let mut checks = vec![
            format!("{field} {op} {l1}"),
            format!("{l1} {} {field}", flipped(op)),
            format!("not ({field} {} {l1})", negated(op)),
            format!("({field} {op} {l1}) or false"),
        ];
        let pairs_from = checks.len();
        if ty != "bool" {
            checks.push(format!("{field} in [{l1}, {l2}]"));
            checks.push(format!("{field} == {l1} or {field} == {l2}"));
            checks.push(format!("{field} not in [{l1}, {l2}]"));
            checks.push(format!("not ({field} in [{l1}, {l2}])"));
            checks.push(format!("{field} not in [{l1}, {l2}]"));
            checks.push(format!("{field} != {l1} and {l2} != {field}"));
        }
        if ranges {
            checks.push(format!("{field} in {l1}..{l2}"));
            checks.push(format!("{field} >= {l1} and {field} <= {l2}"));
            checks.push(format!("{field} not in {l1}..{l2}"));
            checks.push(format!("not ({l1} <= {field} and {l2} >= {field})"));
        }
        let mut source = format!("field {field}: {ty}\n");
        for (i, c) in checks.iter().enumerate() {
            source.push_str(&format!("rule r{i}: {c}\n"));
        }
        let program = compile(&source)?;
        let outcomes = program.outcomes(&program.record_from_json(&record).expect("an object")).expect("the program's own record");
        let kinds: Vec<&str> = outcomes.iter().map(verdict).collect();
        for i in 1..pairs_from {
            prop_assert_eq!(kinds[0], kinds[i], "`{}` vs `{}` with {}", &checks[0], &checks[i], record);
        }
        for i in (pairs_from..checks.len()).step_by(2) {
            prop_assert_eq!(
                kinds[i], kinds[i + 1],
                "`{}` vs `{}` with {}", &checks[i], &checks[i + 1], record
            );
        }
        // With a value of the right type present, nothing is unknown.
        if !pick.is_empty() {
            prop_assert!(kinds.iter().all(|k| *k == "pass" || *k == "failed"), "{:?} with {}", kinds, record);
        }
    }
}

/// A rules string literal (quotes included) as JSON text: the escapes of
/// the rules language (`\" \\ \n \t \u{…}`) written the JSON way.
fn unescape_rules_string(lit: &str) -> String {
    let inner = &lit[1..lit.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    serde_json::to_string(&out).unwrap()
}

// ---------------------------------------------------------------------------
// (e) explain shows the evaluator's own walk

/// How `explain` names `outcome`.
fn explained(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Pass => "pass".into(),
        Outcome::NotApplicable => "not applicable".into(),
        Outcome::NotChecked => "not checked (its input does not hold every field it reads)".into(),
        Outcome::Violation {
            reason: Reason::Failed,
            ..
        } => "violation (failed)".into(),
        Outcome::Violation { missing, .. } => format!("violation (missing: {} fields)", missing.len()),
        Outcome::Error(None) => "error (a field it reads holds a data error)".into(),
        Outcome::Error(Some(e)) => format!("error ({e})"),
    }
}

/// The truth `explain` gives the top-level condition `label` (`when`,
/// `check`) in one rule's part of its text, if it shows it.
fn shown_truth<'t>(part: &'t str, label: &str) -> Option<&'t str> {
    let line = part.lines().find(|l| l.starts_with(&format!("  {label} ")))?;
    let after = &line[line.find("  → ")? + "  → ".len()..];
    Some(after.split("  (").next().unwrap_or(after))
}

proptest! {
    #![proptest_config(config(192))]

    /// Explaining a record walks each rule with the evaluator's own walk:
    /// the outcome it names, and the truths of `when` and `check` it
    /// shows, are those of checking.
    #[test]
    fn explain_traces_the_outcome_checking_gives(
        file in gen_file(),
        records in prop::collection::vec(record(), 1..5),
    ) {
        let source = render(&file);
        let program = compile(&source)?;
        let rules: Vec<String> = program.rule_ids().map(str::to_string).collect();
        for json in &records {
            let record = program.record_from_json(json).expect("an object");
            let outcomes = program.outcomes(&record).expect("the program's own record");
            let text = civrules::explain::explain(&program, &record, 1, None).expect("explains");
            let parts: Vec<&str> = text.split("\n\nrule ").skip(1).collect();
            prop_assert_eq!(parts.len(), rules.len(), "{}", text);
            for ((id, outcome), part) in rules.iter().zip(&outcomes).zip(&parts) {
                let head = part.lines().next().unwrap_or_default();
                let said = head.strip_prefix(&format!("{id}: ")).unwrap_or(head);
                let said = match said.strip_prefix("violation (missing: ") {
                    Some(names) => format!(
                        "violation (missing: {} fields)",
                        names.trim_end_matches(')').split(", ").count()
                    ),
                    None => said.to_string(),
                };
                prop_assert_eq!(&said, &explained(outcome), "rule {}\n{}\n--- source ---\n{}", id, text, source);
                let (when, check) = (shown_truth(part, "when "), shown_truth(part, "check"));
                let truths_agree = match outcome {
                    Outcome::Pass => check == Some("true") && when.is_none_or(|w| w == "true"),
                    Outcome::Violation { reason: Reason::Failed, .. } => check == Some("false"),
                    Outcome::Violation { reason: Reason::Missing, .. } => check == Some("unknown"),
                    Outcome::NotApplicable => matches!(when, Some("false" | "unknown")) && check.is_none(),
                    Outcome::Error(Some(_)) => [when, check].iter().flatten().any(|t| t.starts_with("error: ")),
                    Outcome::Error(None) | Outcome::NotChecked => when.is_none() && check.is_none(),
                };
                prop_assert!(truths_agree, "rule {}: {:?}\n{}\n--- source ---\n{}", id, outcome, text, source);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// (f) reports skip what cannot apply, and say what every rule's outcome says

/// One rule of each way the checker finds a record's violations without
/// evaluating every rule: guards of one value and of several, guards going
/// on with `and` (one to a division by zero where `unit` is missing), a
/// guard on another field, a negated guard, rules without a guard that read
/// only one field each (a `required`, an int, a time and a decimal
/// comparison), and rules that need the whole evaluator.
const GUARDED_RULES: &str = r#"
rule a { when unit == "A" check x > 1 }
rule b { when unit in ["A", "B"] and x > 0 check y required }
rule c: x < 10
rule d { when unit == "B" check x / y > 1 }
rule e { when kind == "k" check x == 2 }
rule f { when unit != "A" check x > 5 }
rule g: y required
rule h: x + y > 3
rule i { when x > 0 check y < 5 }
rule j: t <= 07:30
rule k: y > 1.5
rule l { when unit == "B" and x / y > 1 check y < 3 }
"#;

/// A record of the fields `GUARDED_RULES` read: each absent, null, of its
/// type, or a data error (`"zz"` in `x` and `y`, `7` in `unit`, `3` in `kind`,
/// `"7h"` in `t`), so that the rules passed over by a guard meet fields in error.
fn guarded_record() -> impl Strategy<Value = Json> {
    let one_of = |values: Vec<Json>| prop::option::weighted(0.85, prop::sample::select(values));
    (
        one_of(vec![
            json!("A"),
            json!("B"),
            json!("C"),
            json!(""),
            Json::Null,
            json!(7),
        ]),
        one_of(vec![
            json!(-1),
            json!(0),
            json!(1),
            json!(2),
            json!(3),
            json!(6),
            json!(12),
            Json::Null,
            json!("zz"),
        ]),
        one_of(vec![
            json!(0),
            json!(1),
            json!(1.5),
            json!(2),
            json!(4.75),
            json!(6),
            Json::Null,
            json!("zz"),
        ]),
        one_of(vec![json!("k"), json!("j"), Json::Null, json!(3)]),
        one_of(vec![
            json!("07:30"),
            json!("7:30:00"),
            json!("07:30:01"),
            json!("06:00"),
            Json::Null,
            json!("7h"),
        ]),
    )
        .prop_map(|(unit, x, y, kind, t)| {
            let mut record = Map::new();
            for (field, value) in [("unit", unit), ("x", x), ("y", y), ("kind", kind), ("t", t)] {
                if let Some(value) = value {
                    record.insert(field.to_string(), value);
                }
            }
            Json::Object(record)
        })
}

proptest! {
    #![proptest_config(config(256))]

    /// The checker meets only the rules whose guard may hold for the
    /// record; `Program::outcomes` evaluates every rule. Their reports are
    /// the same: a violation for each `Violation`, an entry for each
    /// evaluation error, and nothing for a rule that meets a field in
    /// error (the field's own entry stands for it), whichever way.
    #[test]
    fn the_checkers_report_says_what_every_rules_outcome_says(
        records in prop::collection::vec(guarded_record(), 1..16),
    ) {
        let program = compile(GUARDED_RULES)?;
        let rules: Vec<&str> = program.rule_ids().collect();
        let mut entries = Checker::new(&program);
        let mut totals = Checker::new(&program).with_detail(civrules::Detail::Totals);
        let mut violations = vec![0u64; rules.len()];
        let mut errors = 0;
        for json in &records {
            let report = entries.check_json(json);
            totals.check_json(json);
            let record = program.record_from_json(json).expect("an object");
            let outcomes = program.outcomes(&record).expect("the program's own record");

            let expected: Vec<(&str, Reason, usize)> = rules
                .iter()
                .zip(&outcomes)
                .filter_map(|(rule, outcome)| match outcome {
                    Outcome::Violation { reason, missing } => Some((*rule, *reason, missing.len())),
                    _ => None,
                })
                .collect();
            let reported: Vec<(&str, Reason, usize)> = report
                .violations
                .iter()
                .map(|v| (v.rule.as_str(), v.reason, v.missing.len()))
                .collect();
            prop_assert_eq!(reported, expected.clone(), "{}", json);

            let expected_errors: Vec<(&str, String)> = rules
                .iter()
                .zip(&outcomes)
                .filter_map(|(rule, outcome)| match outcome {
                    Outcome::Error(Some(error)) => Some((*rule, error.to_string())),
                    _ => None,
                })
                .collect();
            let reported_errors: Vec<(&str, String)> = report
                .errors
                .iter()
                .filter_map(|e| Some((e.rule.as_deref()?, e.message.clone())))
                .collect();
            prop_assert_eq!(reported_errors, expected_errors.clone(), "{}", json);

            for (rule, _, _) in &expected {
                let index = rules.iter().position(|r| r == rule).expect("a rule");
                violations[index] += 1;
            }
            errors += report.errors.len() as u64;
        }
        // Counting only, the checker counts what the outcomes say.
        let summary = totals.summary();
        let counted: Vec<u64> = rules.iter().map(|rule| summary.violations[*rule]).collect();
        prop_assert_eq!(counted, violations);
        prop_assert_eq!(summary.errors, errors);
        prop_assert_eq!(entries.summary(), summary);
    }
}
