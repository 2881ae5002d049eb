//! A structured generator of rules files and records, driven by
//! `arbitrary::Unstructured`: every input decodes to some rules text built
//! from typed pieces (fields of each type, literals, comparisons, `and` /
//! `or` / `not`, `in` lists and ranges, arithmetic, functions, predicates)
//! and some JSON records for it. Mostly well typed, sometimes not, so that
//! both compiled programs and compile errors are reached.
//!
//! Shared by the `evaluate` fuzz target and `tests/fuzz_properties.rs`.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value as Json};

/// The types the generator builds expressions of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    Dec,
    Str,
    Time,
    Date,
    Dur,
    ListStr,
    ListInt,
}

impl Ty {
    const SCALARS: [Ty; 7] = [Ty::Bool, Ty::Int, Ty::Dec, Ty::Str, Ty::Time, Ty::Date, Ty::Dur];
    const ORDERED: [Ty; 6] = [Ty::Int, Ty::Dec, Ty::Str, Ty::Time, Ty::Date, Ty::Dur];

    fn name(self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Int => "int",
            Ty::Dec => "decimal",
            Ty::Str => "string",
            Ty::Time => "time",
            Ty::Date => "date",
            Ty::Dur => "duration",
            Ty::ListStr => "list[string]",
            Ty::ListInt => "list[int]",
        }
    }
}

/// The fields the generated rules use, with the type each is meant to have.
pub const FIELDS: &[(&str, Ty)] = &[
    ("b", Ty::Bool),
    ("b2", Ty::Bool),
    ("i", Ty::Int),
    ("i2", Ty::Int),
    ("d", Ty::Dec),
    ("s", Ty::Str),
    ("s2", Ty::Str),
    ("t", Ty::Time),
    ("t2", Ty::Time),
    ("dt", Ty::Date),
    ("du", Ty::Dur),
    ("tags", Ty::ListStr),
    ("nums", Ty::ListInt),
    ("emp.unit", Ty::Str),
    ("emp.age", Ty::Int),
    ("emp.boss.ok", Ty::Bool),
];

/// Fields that only predicates and messages use (no type).
pub const UNTYPED: &[&str] = &["u", "note", "emp.extra"];

const MAX_DEPTH: u32 = 5;

/// A generated rules file and records to check against it.
#[derive(Debug)]
pub struct Case {
    pub rules: String,
    /// The ids of the rules written, in order (possibly repeated).
    pub ids: Vec<String>,
    pub records: Vec<Json>,
}

pub fn case(u: &mut Unstructured<'_>) -> Result<Case> {
    let mut g = Gen {
        u,
        out: String::new(),
    };
    let (rules, ids) = g.file()?;
    let n = g.u.int_in_range(0..=6)?;
    let mut records = Vec::with_capacity(n);
    for _ in 0..n {
        records.push(g.record()?);
    }
    Ok(Case { rules, ids, records })
}

struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    out: String,
}

impl Gen<'_, '_> {
    fn pick<T: Copy>(&mut self, items: &[T]) -> Result<T> {
        Ok(*self.u.choose(items)?)
    }

    fn one_in(&mut self, n: u32) -> Result<bool> {
        Ok(self.u.int_in_range(0..=n - 1)? == 0)
    }

    fn field_of(&mut self, ty: Ty) -> Result<Option<&'static str>> {
        let matching: Vec<&'static str> = FIELDS.iter().filter(|(_, t)| *t == ty).map(|(f, _)| *f).collect();
        if matching.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.pick(&matching)?))
    }

    fn file(&mut self) -> Result<(String, Vec<String>)> {
        let mut text = String::new();
        if self.one_in(3)? {
            text.push_str(&format!("ruleset {}\n", self.string_lit()?));
        }
        for &(path, ty) in FIELDS {
            match self.u.int_in_range(0..=9)? {
                0..=4 => {}
                5..=8 => text.push_str(&format!("field {path}: {}\n", ty.name())),
                _ => {
                    // A declaration that may contradict the uses.
                    let other = self.pick(&[
                        Ty::Bool,
                        Ty::Int,
                        Ty::Dec,
                        Ty::Str,
                        Ty::Time,
                        Ty::Date,
                        Ty::Dur,
                        Ty::ListStr,
                        Ty::ListInt,
                    ])?;
                    text.push_str(&format!("field {path}: {}\n", other.name()));
                }
            }
        }
        if self.one_in(2)? {
            let all: Vec<&str> = FIELDS
                .iter()
                .map(|(f, _)| *f)
                .chain(UNTYPED.iter().copied())
                .collect();
            text.push_str(&format!("key {}\n", self.pick(&all)?));
        }
        let n = self.u.int_in_range(1..=6)?;
        let mut ids: Vec<String> = Vec::new();
        for k in 0..n {
            let id = if k > 0 && self.one_in(16)? {
                ids[0usize].clone()
            } else {
                format!("r{k}")
            };
            self.rule(&id)?;
            text.push_str(&std::mem::take(&mut self.out));
            ids.push(id);
        }
        Ok((text, ids))
    }

    fn rule(&mut self, id: &str) -> Result<()> {
        if self.one_in(3)? {
            let check = self.expr(Ty::Bool, MAX_DEPTH)?;
            self.out.push_str(&format!("rule {id}: {check}\n"));
            return Ok(());
        }
        let mut clauses = Vec::new();
        if self.one_in(2)? {
            clauses.push(format!("title {}", self.string_lit()?));
        }
        if self.one_in(2)? {
            let sev = self.pick(&["info", "minor", "major", "critical"])?;
            clauses.push(format!("severity {sev}"));
        }
        if self.one_in(3)? {
            clauses.push(format!("ref {}", self.string_lit()?));
        }
        if self.one_in(2)? {
            let when = self.when()?;
            clauses.push(format!("when {when}"));
        }
        let check = self.expr(Ty::Bool, MAX_DEPTH)?;
        clauses.push(format!("check {check}"));
        if self.one_in(2)? {
            clauses.push(format!("message {}", self.message()?));
        }
        // Any order: each clause at most once.
        for i in (1..clauses.len()).rev() {
            let j = self.u.int_in_range(0..=i)?;
            clauses.swap(i, j);
        }
        self.out.push_str(&format!("rule {id} {{\n"));
        for c in clauses {
            self.out.push_str(&format!("  {c}\n"));
        }
        self.out.push_str("}\n");
        Ok(())
    }

    /// A `when`: often a guard on a string field's value (what the guard
    /// index of the compiled program serves), otherwise any condition.
    fn when(&mut self) -> Result<String> {
        if self.one_in(2)? {
            let field = self.pick(&["s", "s2", "emp.unit"])?;
            let guard = if self.one_in(2)? {
                format!("{field} == {}", self.guard_value()?)
            } else {
                format!("{field} in [{}, {}]", self.guard_value()?, self.guard_value()?)
            };
            if self.one_in(2)? {
                let rest = self.expr(Ty::Bool, 2)?;
                return Ok(format!("{guard} and {rest}"));
            }
            return Ok(guard);
        }
        self.expr(Ty::Bool, 3)
    }

    /// A short string literal, so that records often meet it.
    fn guard_value(&mut self) -> Result<String> {
        if self.one_in(4)? {
            return self.string_lit();
        }
        Ok(format!("\"{}\"", self.pick(&["a", "b", "Sở Nội vụ", "", "A"])?))
    }

    fn message(&mut self) -> Result<String> {
        let mut m = String::from("\"");
        let n = self.u.int_in_range(0..=4)?;
        for _ in 0..n {
            match self.u.int_in_range(0..=6)? {
                0 => m.push_str("{{"),
                1 => m.push_str("}}"),
                2 => m.push_str("lúc "),
                3 => {
                    let all: Vec<&str> = FIELDS
                        .iter()
                        .map(|(f, _)| *f)
                        .chain(UNTYPED.iter().copied())
                        .collect();
                    m.push_str(&format!("{{{}}}", self.pick(&all)?));
                }
                4 => m.push_str(self.pick(&["{", "}", "{ s }", "{nope}", "{emp}", "{1x}"])?),
                _ => {
                    let s = self.string_lit()?;
                    m.push_str(&s[1..s.len() - 1]);
                }
            }
        }
        m.push('"');
        Ok(m)
    }

    /// An expression meant to have type `ty` (now and then one of another
    /// type, for the checker to refuse).
    fn expr(&mut self, ty: Ty, depth: u32) -> Result<String> {
        if self.one_in(24)? {
            let other = self.pick(&Ty::SCALARS)?;
            return self.expr_typed(other, depth.saturating_sub(1));
        }
        self.expr_typed(ty, depth)
    }

    fn expr_typed(&mut self, ty: Ty, depth: u32) -> Result<String> {
        if depth == 0 || self.u.is_empty() || self.one_in(3)? {
            return self.leaf(ty);
        }
        let d = depth - 1;
        Ok(match ty {
            Ty::Bool => match self.u.int_in_range(0..=12)? {
                0 => format!("{} and {}", self.expr(Ty::Bool, d)?, self.expr(Ty::Bool, d)?),
                1 => format!("{} or {}", self.expr(Ty::Bool, d)?, self.expr(Ty::Bool, d)?),
                2 => format!("not {}", self.expr(Ty::Bool, d)?),
                3 => format!("({})", self.expr(Ty::Bool, d)?),
                4 | 5 => {
                    let t = self.pick(&Ty::ORDERED)?;
                    let op = self.pick(&["==", "!=", "<", "<=", ">", ">="])?;
                    format!("{} {op} {}", self.expr(t, d)?, self.expr(t, d)?)
                }
                6 => {
                    let op = self.pick(&["==", "!="])?;
                    format!("{} {op} {}", self.expr(Ty::Bool, d)?, self.expr(Ty::Bool, d)?)
                }
                7 => {
                    let t = self.pick(&[Ty::Int, Ty::Dec, Ty::Str, Ty::Time, Ty::Date, Ty::Dur])?;
                    let n = self.u.int_in_range(0..=4)?;
                    let mut items = Vec::new();
                    for _ in 0..n {
                        items.push(self.literal(t)?);
                    }
                    let trailing = if n > 0 && self.one_in(4)? { "," } else { "" };
                    let op = self.pick(&["in", "not in"])?;
                    format!("{} {op} [{}{trailing}]", self.expr(t, d)?, items.join(", "))
                }
                8 => {
                    let t = self.pick(&[Ty::Int, Ty::Dec, Ty::Time, Ty::Date, Ty::Dur])?;
                    let op = self.pick(&["in", "not in"])?;
                    format!(
                        "{} {op} {}..{}",
                        self.expr(t, d)?,
                        self.literal(t)?,
                        self.literal(t)?
                    )
                }
                9 => {
                    let (elem, list) = if self.one_in(2)? {
                        (Ty::Str, "tags")
                    } else {
                        (Ty::Int, "nums")
                    };
                    let op = self.pick(&["in", "not in"])?;
                    format!("{} {op} {list}", self.expr(elem, d)?)
                }
                10 => {
                    let f = self.pick(&["contains", "starts_with"])?;
                    format!("{f}({}, {})", self.expr(Ty::Str, d)?, self.expr(Ty::Str, d)?)
                }
                11 => format!("matches({}, {})", self.expr(Ty::Str, d)?, self.pattern()?),
                _ => self.predicate()?,
            },
            Ty::Int => match self.u.int_in_range(0..=6)? {
                0..=2 => {
                    let op = self.pick(&["+", "-", "*"])?;
                    format!("{} {op} {}", self.expr(Ty::Int, d)?, self.expr(Ty::Int, d)?)
                }
                3 => format!("-{}", self.expr(Ty::Int, d)?),
                4 => {
                    let f = self.pick(&["weekday", "day", "month", "year"])?;
                    format!("{f}({})", self.expr(Ty::Date, d)?)
                }
                5 => {
                    let f = self.pick(&["hour", "minute"])?;
                    format!("{f}({})", self.expr(Ty::Time, d)?)
                }
                _ => {
                    let arg = match self.u.int_in_range(0..=2)? {
                        0 => "tags".to_string(),
                        1 => "nums".to_string(),
                        _ => self.expr(Ty::Str, d)?,
                    };
                    format!("len({arg})")
                }
            },
            Ty::Dec => match self.u.int_in_range(0..=4)? {
                0 | 1 => {
                    let op = self.pick(&["+", "-", "*", "/"])?;
                    format!("{} {op} {}", self.expr(Ty::Dec, d)?, self.expr(Ty::Dec, d)?)
                }
                2 => format!("{} / {}", self.expr(Ty::Int, d)?, self.expr(Ty::Int, d)?),
                3 => format!("{} * {}", self.expr(Ty::Int, d)?, self.expr(Ty::Dec, d)?),
                _ => format!("({})", self.expr(Ty::Dec, d)?),
            },
            Ty::Str => {
                let f = self.pick(&["lower", "upper"])?;
                format!("{f}({})", self.expr(Ty::Str, d)?)
            }
            Ty::Time => {
                let op = self.pick(&["+", "-"])?;
                format!("{} {op} {}", self.expr(Ty::Time, d)?, self.expr(Ty::Dur, d)?)
            }
            Ty::Date => {
                let op = self.pick(&["+", "-"])?;
                format!("{} {op} {}", self.expr(Ty::Date, d)?, self.expr(Ty::Dur, d)?)
            }
            Ty::Dur => match self.u.int_in_range(0..=3)? {
                0 => format!("{} - {}", self.expr(Ty::Time, d)?, self.expr(Ty::Time, d)?),
                1 => format!("{} - {}", self.expr(Ty::Date, d)?, self.expr(Ty::Date, d)?),
                2 => {
                    let op = self.pick(&["+", "-"])?;
                    format!("{} {op} {}", self.expr(Ty::Dur, d)?, self.expr(Ty::Dur, d)?)
                }
                _ => format!("-({})", self.expr(Ty::Dur, d)?),
            },
            Ty::ListStr | Ty::ListInt => self.leaf(ty)?,
        })
    }

    fn leaf(&mut self, ty: Ty) -> Result<String> {
        if ty == Ty::Bool && self.one_in(3)? {
            return self.predicate();
        }
        if self.one_in(2)? {
            if let Some(f) = self.field_of(ty)? {
                return Ok(f.to_string());
            }
        }
        self.literal(ty)
    }

    fn predicate(&mut self) -> Result<String> {
        let all: Vec<&str> = FIELDS
            .iter()
            .map(|(f, _)| *f)
            .chain(UNTYPED.iter().copied())
            .collect();
        let f = self.pick(&all)?;
        let p = self.pick(&["required", "present", "missing"])?;
        Ok(format!("{f} {p}"))
    }

    fn pattern(&mut self) -> Result<String> {
        if self.one_in(3)? {
            return self.string_lit();
        }
        Ok(self
            .pick(&[
                r#""^a""#,
                r#""\\d{2}""#,
                r#""(?i)sở""#,
                r#""^$""#,
                r#""^NA-[0-9]{4}$""#,
                r#""(""#,
                r#""a{1000}{1000}""#,
                r#""\\p{L}+""#,
                r#""\\b""#,
            ])?
            .to_string())
    }

    fn literal(&mut self, ty: Ty) -> Result<String> {
        Ok(match ty {
            Ty::Bool => self.pick(&["true", "false"])?.to_string(),
            Ty::Int => self.int_lit()?,
            Ty::Dec => self.dec_lit()?,
            Ty::Str => self.string_lit()?,
            Ty::Time => self.time_text()?,
            Ty::Date => self.date_text()?,
            Ty::Dur => self.dur_text(false)?,
            Ty::ListStr => format!("[{}]", self.string_lit()?),
            Ty::ListInt => format!("[{}]", self.int_lit()?),
        })
    }

    fn int_lit(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0..=5)? {
            0 => self
                .pick(&[
                    "0",
                    "1",
                    "-1",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "9223372036854775808",
                    "99999999999999999999999",
                    "007",
                    "4611686018427387904",
                    "3037000500",
                ])?
                .to_string(),
            1 => self.u.arbitrary::<i64>()?.to_string(),
            _ => self.u.int_in_range(-20i64..=3000)?.to_string(),
        })
    }

    fn dec_lit(&mut self) -> Result<String> {
        if self.one_in(4)? {
            return Ok(self
                .pick(&[
                    "0.0",
                    "-0.0",
                    "1.5",
                    "0.1",
                    "7922816251426433759354395033.5",
                    "79228162514264337593543950335.0",
                    "0.00000000000000000000000000001",
                    "1.0000000000000000000000000001",
                    "-79228162514264337593543950335.9",
                ])?
                .to_string());
        }
        let neg = if self.one_in(4)? { "-" } else { "" };
        let whole = self.digits(1, 30)?;
        let frac = self.digits(1, 30)?;
        Ok(format!("{neg}{whole}.{frac}"))
    }

    fn digits(&mut self, min: usize, max: usize) -> Result<String> {
        let n = if self.one_in(3)? {
            self.u.int_in_range(min..=max)?
        } else {
            self.u.int_in_range(min..=min.max(3))?
        };
        let mut s = String::with_capacity(n);
        for _ in 0..n {
            s.push(char::from(b'0' + self.u.int_in_range(0..=9u8)?));
        }
        Ok(s)
    }

    fn string_lit(&mut self) -> Result<String> {
        let text: String = if self.one_in(2)? {
            self.pick(&[
                "",
                "a",
                "b",
                "A",
                "Sở Nội vụ",
                "ĐẶNG",
                "ß",
                "İ",
                "NA-0042",
                "07:30",
            ])?
            .to_string()
        } else {
            let raw: &str = self.u.arbitrary()?;
            raw.chars().take(24).collect()
        };
        let mut lit = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => lit.push_str("\\\""),
                '\\' => lit.push_str("\\\\"),
                '\n' => lit.push_str("\\n"),
                '\t' => lit.push_str("\\t"),
                '\r' => lit.push_str("\\u{d}"),
                c if c.is_control() => lit.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => lit.push(c),
            }
        }
        if self.one_in(16)? {
            // Escapes that name no character, or are not escapes at all.
            lit.push_str(self.pick(&["\\u{D800}", "\\u{110000}", "\\u{}", "\\x41", "\\u{1EA1}"])?);
        }
        lit.push('"');
        Ok(lit)
    }

    /// A time in the literal form (`7:30`, `07:30:15`), now and then an
    /// impossible one.
    fn time_text(&mut self) -> Result<String> {
        let bad = self.one_in(10)?;
        let h = if bad {
            self.u.int_in_range(0..=99u32)?
        } else {
            self.u.int_in_range(0..=23u32)?
        };
        let m = if bad {
            self.u.int_in_range(0..=99u32)?
        } else {
            self.u.int_in_range(0..=59u32)?
        };
        let mut t = if h < 10 && self.one_in(2)? {
            format!("{h}:{m:02}")
        } else {
            format!("{h:02}:{m:02}")
        };
        if self.one_in(3)? {
            let s = if bad {
                self.u.int_in_range(0..=99u32)?
            } else {
                self.u.int_in_range(0..=59u32)?
            };
            t.push_str(&format!(":{s:02}"));
        }
        Ok(t)
    }

    fn date_text(&mut self) -> Result<String> {
        let (y, m, d) = if self.one_in(10)? {
            (
                self.u.int_in_range(0..=9999u32)?,
                self.u.int_in_range(0..=99u32)?,
                self.u.int_in_range(0..=99u32)?,
            )
        } else {
            let y = if self.one_in(8)? {
                self.pick(&[1u32, 1900, 2000, 2024, 9999])?
            } else {
                self.u.int_in_range(2019..=2025u32)?
            };
            (
                y,
                self.u.int_in_range(1..=12u32)?,
                self.u.int_in_range(1..=31u32)?,
            )
        };
        Ok(format!("{y:04}-{m:02}-{d:02}"))
    }

    /// A duration in the literal form; `signed` allows the leading `-` of
    /// record values.
    fn dur_text(&mut self, signed: bool) -> Result<String> {
        let mut out = String::new();
        if signed && self.one_in(4)? {
            out.push('-');
        }
        let huge = self.one_in(12)?;
        let mut any = false;
        for unit in ['d', 'h', 'm', 's'] {
            if self.one_in(2)? {
                let n: u64 = if huge {
                    self.pick(&[u64::MAX, i64::MAX as u64, 106_751_991_167_300, 9_999_999_999_999])?
                } else {
                    self.u.int_in_range(0..=90u64)?
                };
                out.push_str(&format!("{n}{unit}"));
                any = true;
            }
        }
        if !any {
            out.push_str(self.pick(&["8h", "30m", "1h30m", "0s", "15d"])?);
        }
        Ok(out)
    }

    // -----------------------------------------------------------------
    // Records

    fn record(&mut self) -> Result<Json> {
        if self.one_in(16)? {
            return self.any_json(2);
        }
        let mut obj = Map::new();
        for &(path, ty) in FIELDS {
            if let Some(v) = self.field_value(Some(ty))? {
                insert_path(&mut obj, path, v);
            }
        }
        for &path in UNTYPED.iter().chain(["other", "emp"].iter()) {
            if let Some(v) = self.field_value(None)? {
                insert_path(&mut obj, path, v);
            }
        }
        Ok(Json::Object(obj))
    }

    /// Absent (`None`), null, a value of the field's type, or anything.
    fn field_value(&mut self, ty: Option<Ty>) -> Result<Option<Json>> {
        Ok(match self.u.int_in_range(0..=9)? {
            0 | 1 => None,
            2 => Some(Json::Null),
            3 => Some(self.any_json(2)?),
            _ => match ty {
                Some(ty) => Some(self.typed_json(ty)?),
                None => Some(self.any_json(1)?),
            },
        })
    }

    fn typed_json(&mut self, ty: Ty) -> Result<Json> {
        Ok(match ty {
            Ty::Bool => Json::Bool(self.u.arbitrary()?),
            Ty::Int => match self.u.int_in_range(0..=3)? {
                0 => Json::from(self.u.arbitrary::<i64>()?),
                1 => Json::from(self.pick(&[i64::MAX, i64::MIN, 0, -1])?),
                _ => Json::from(self.u.int_in_range(-20i64..=3000)?),
            },
            Ty::Dec => match self.u.int_in_range(0..=3)? {
                0 => self.float()?,
                1 => Json::from(self.u.arbitrary::<u64>()?),
                _ => Json::from(self.u.int_in_range(-100i64..=100)?),
            },
            Ty::Str => Json::String(self.string_lit().map(|s| unquote(&s))?),
            Ty::Time => Json::String(self.time_text()?),
            Ty::Date => Json::String(self.date_text()?),
            Ty::Dur => Json::String(self.dur_text(true)?),
            Ty::ListStr => {
                let n = self.u.int_in_range(0..=3)?;
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(self.typed_json(Ty::Str)?);
                }
                Json::Array(items)
            }
            Ty::ListInt => {
                let n = self.u.int_in_range(0..=3)?;
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(self.typed_json(Ty::Int)?);
                }
                Json::Array(items)
            }
        })
    }

    fn float(&mut self) -> Result<Json> {
        let f = if self.one_in(2)? {
            self.pick(&[
                0.1,
                -0.0,
                7.99,
                1e300,
                1e-300,
                5e-324,
                f64::MAX,
                1.0,
                123_456_789.123_456_79,
            ])?
        } else {
            self.u.arbitrary::<f64>()?
        };
        Ok(serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number))
    }

    fn any_json(&mut self, depth: u32) -> Result<Json> {
        let top = if depth == 0 { 4 } else { 6 };
        Ok(match self.u.int_in_range(0..=top)? {
            0 => Json::Null,
            1 => Json::Bool(self.u.arbitrary()?),
            2 => match self.u.int_in_range(0..=2)? {
                0 => Json::from(self.u.arbitrary::<i64>()?),
                1 => Json::from(self.u.arbitrary::<u64>()?),
                _ => self.float()?,
            },
            3 => {
                let ty = self.pick(&Ty::SCALARS)?;
                match ty {
                    Ty::Bool | Ty::Int | Ty::Dec => Json::String(self.literal(ty)?),
                    _ => self.typed_json(ty)?,
                }
            }
            4 => Json::String(self.u.arbitrary::<&str>()?.chars().take(16).collect()),
            5 => {
                let n = self.u.int_in_range(0..=3)?;
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(self.any_json(depth - 1)?);
                }
                Json::Array(items)
            }
            _ => {
                let n = self.u.int_in_range(0..=3)?;
                let mut obj = Map::new();
                for _ in 0..n {
                    let key = self.pick(&["unit", "age", "boss", "ok", "extra", "x"])?;
                    obj.insert(key.to_string(), self.any_json(depth - 1)?);
                }
                Json::Object(obj)
            }
        })
    }
}

/// The text of a string literal made by `string_lit`, unescaped the easy
/// way (a record's string need not match the literal exactly).
fn unquote(lit: &str) -> String {
    let inner = &lit[1..lit.len() - 1];
    inner
        .replace("\\\"", "\"")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

/// Puts `value` at a dotted path, making (or replacing) objects on the way.
fn insert_path(obj: &mut Map<String, Json>, path: &str, value: Json) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = obj
                .entry(head.to_string())
                .or_insert_with(|| Json::Object(Map::new()));
            if !entry.is_object() {
                *entry = Json::Object(Map::new());
            }
            if let Json::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}
