//! The canonical layout of a rules file (`civrules fmt`).
//!
//! - one statement a line; a blank line kept where the author left one
//!   (several become one), and always around block rules;
//! - a rule with only `check` in short form (`rule id: check`), others as
//!   blocks with clauses in the order title, severity, ref, when, per,
//!   check, message, keywords padded to one column, two spaces of indent;
//! - single spaces around operators, none inside brackets, the author's
//!   parentheses and literal spellings kept;
//! - comments kept: a comment on the line of a statement or clause stays
//!   at its end, others stand on their own line before what follows them.
//!
//! Formatting a formatted file changes nothing, and the result parses to
//! the same rules.

use std::io::{self, Write as _};
use std::path::Path;

use crate::diagnostic::Span;
use crate::diagnostic::{CompileError, Problem, Sources};
use crate::syntax::{self, Clause, Comment, Expr, RuleDef, Statement, StatementKind};

/// Formats `text` (a rules file reported under `name`).
pub fn format_source(name: &str, text: &str) -> Result<String, CompileError> {
    let mut sources = Sources::default();
    let id = sources.add(name, text);
    let text = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
    let file = syntax::parse(id, &text).map_err(|e| CompileError {
        diagnostics: vec![Problem::from(e).into_diagnostic(&sources)],
    })?;
    Ok(Printer {
        text: &text,
        comments: &file.comments,
        next_comment: 0,
        out: String::new(),
    }
    .file(&file.statements))
}

/// Writes `text` over the file at `path` (`civrules fmt --write`): into a
/// new file in the same folder, then renamed over the old one, so that the
/// file is at every moment the old text or the new one, never a part. The
/// file keeps its permissions; a symbolic link is followed, and the file it
/// points to is replaced. Nothing else is left in the folder, also when
/// writing fails.
pub fn replace_file(path: &Path, text: &str) -> io::Result<()> {
    let path = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&path)?.permissions();
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a file"));
    };
    let name = name.to_string_lossy();
    // A name of this process, with a number for the unlikely file of that
    // name left by an earlier process of the same id.
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = folder.join(format!(".{name}.{}-{attempt}.civrules-fmt", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| file.set_permissions(permissions));
    drop(file);
    let replaced = written.and_then(|()| std::fs::rename(&temp, &path));
    if replaced.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    replaced
}

struct Printer<'a> {
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
}

fn is_block(stmt: &Statement) -> bool {
    match &stmt.kind {
        StatementKind::Rule(r) | StatementKind::Override(r) => !only_check(r),
        _ => false,
    }
}

fn only_check(rule: &RuleDef) -> bool {
    rule.title.is_none()
        && rule.severity.is_none()
        && rule.reference.is_none()
        && rule.when.is_none()
        && rule.per.is_none()
        && rule.message.is_none()
}

impl<'a> Printer<'a> {
    /// Whether the source has a blank line between byte offsets.
    fn blank_between(&self, from: usize, to: usize) -> bool {
        let gap = &self.text[from.min(to)..to.min(self.text.len())];
        let lines: Vec<&str> = gap.split('\n').collect();
        lines.len() >= 3 && lines[1..lines.len() - 1].iter().any(|l| l.trim().is_empty())
    }

    /// Comments that start before `before`, each on its own line.
    fn leading_comments(&mut self, before: usize, indent: &str, mut last_end: usize) -> usize {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.span.start >= before {
                break;
            }
            if !self.out.is_empty()
                && !self.out.ends_with("\n\n")
                && !self.out.ends_with("{\n")
                && self.blank_between(last_end, c.span.start)
            {
                self.out.push('\n');
            }
            self.out.push_str(indent);
            self.out.push_str(&c.text);
            self.out.push('\n');
            last_end = c.span.end;
            self.next_comment += 1;
        }
        last_end
    }

    /// A comment on the same line as `end`, appended to the current line.
    fn trailing_comment(&mut self, end: usize) {
        if let Some(c) = self.comments.get(self.next_comment) {
            if c.span.start >= end && !self.text[end..c.span.start].contains('\n') {
                self.out.push_str("  ");
                self.out.push_str(&c.text);
                self.next_comment += 1;
            }
        }
        self.out.push('\n');
    }

    fn file(mut self, statements: &[Statement]) -> String {
        let mut last_end = 0;
        let mut previous: Option<&Statement> = None;
        for stmt in statements {
            let comments_before = self.next_comment;
            let after_comments = self.leading_comments(stmt.span.start, "", last_end);
            let had_comments = self.next_comment > comments_before;
            if let Some(prev) = previous {
                let gap_from = if had_comments { after_comments } else { last_end };
                let wants_blank = self.blank_between(gap_from, stmt.span.start)
                    || (!had_comments && (is_block(prev) || is_block(stmt)));
                if wants_blank && !self.out.ends_with("\n\n") {
                    self.out.push('\n');
                }
            }
            self.statement(stmt);
            last_end = stmt.span.end;
            previous = Some(stmt);
        }
        let rest = self.comments.len();
        if self.next_comment < rest {
            self.leading_comments(usize::MAX, "", last_end);
        }
        self.out
    }

    fn statement(&mut self, stmt: &Statement) {
        let line = match &stmt.kind {
            StatementKind::Ruleset(s) => format!("ruleset {}", s.raw),
            StatementKind::Extends(s) => format!("extends {}", s.raw),
            StatementKind::Field { path, ty } => format!("field {}: {ty}", path.dotted()),
            StatementKind::Key(path) => format!("key {}", path.dotted()),
            StatementKind::Disable(id) => format!("disable rule {}", id.name),
            StatementKind::Rule(rule) => return self.rule("rule", rule, stmt.span),
            StatementKind::Override(rule) => return self.rule("override rule", rule, stmt.span),
        };
        self.out.push_str(&line);
        self.trailing_comment(stmt.span.end);
    }

    fn rule(&mut self, keyword: &str, rule: &RuleDef, span: Span) {
        if only_check(rule) {
            // Comments inside the rule move before it.
            self.leading_comments(span.end, "", span.start);
            self.out.push_str(&format!(
                "{keyword} {}: {}",
                rule.id.name,
                expr(&rule.check.value)
            ));
            self.trailing_comment(span.end);
            return;
        }
        self.out.push_str(&format!("{keyword} {} {{", rule.id.name));
        let first = clauses(rule).first().map_or(span.end, |(_, c)| c.start);
        self.trailing_comment_before(first);
        let mut entries: Vec<(usize, Span, String)> = clauses(rule)
            .into_iter()
            .map(|(rank, c)| (rank, c, String::new()))
            .collect();
        entries.sort_by_key(|(_, span, _)| span.start);
        // Render each clause with its own comments, in source order...
        let mut rendered: Vec<(usize, String)> = Vec::new();
        for (rank, clause_span, _) in &entries {
            let saved = std::mem::take(&mut self.out);
            self.leading_comments(clause_span.start, "  ", clause_span.start);
            self.leading_comments(clause_span.end, "  ", clause_span.start);
            self.out.push_str(&clause_line(rule, *rank));
            self.trailing_comment(clause_span.end);
            rendered.push((*rank, std::mem::replace(&mut self.out, saved)));
        }
        // ...then print them in the canonical order.
        rendered.sort_by_key(|(rank, _)| *rank);
        for (_, text) in rendered {
            self.out.push_str(&text);
        }
        self.leading_comments(span.end, "  ", span.end);
        self.out.push('}');
        self.trailing_comment(span.end);
    }

    /// A comment right after `{` on its line.
    fn trailing_comment_before(&mut self, limit: usize) {
        if let Some(c) = self.comments.get(self.next_comment) {
            if c.span.start < limit {
                let brace = self.text[..c.span.start].rfind('{').unwrap_or(0);
                if !self.text[brace..c.span.start].contains('\n') {
                    self.out.push_str("  ");
                    self.out.push_str(&c.text);
                    self.next_comment += 1;
                }
            }
        }
        self.out.push('\n');
    }
}

/// The clauses of a block rule as (canonical rank, span).
fn clauses(rule: &RuleDef) -> Vec<(usize, Span)> {
    fn span<T>(c: &Option<Clause<T>>) -> Option<Span> {
        c.as_ref().map(|c| c.span)
    }
    [
        span(&rule.title),
        span(&rule.severity),
        span(&rule.reference),
        span(&rule.when),
        span(&rule.per),
        Some(rule.check.span),
        span(&rule.message),
    ]
    .into_iter()
    .enumerate()
    .filter_map(|(rank, s)| s.map(|s| (rank, s)))
    .collect()
}

fn clause_line(rule: &RuleDef, rank: usize) -> String {
    let (keyword, value) = match rank {
        0 => ("title", rule.title.as_ref().map(|c| c.value.raw.clone())),
        1 => (
            "severity",
            rule.severity.as_ref().map(|c| c.value.as_str().to_string()),
        ),
        2 => ("ref", rule.reference.as_ref().map(|c| c.value.raw.clone())),
        3 => ("when", rule.when.as_ref().map(|c| expr(&c.value))),
        4 => (
            "per",
            rule.per
                .as_ref()
                .map(|c| c.value.iter().map(expr).collect::<Vec<_>>().join(", ")),
        ),
        5 => ("check", Some(expr(&rule.check.value))),
        _ => (
            "message",
            rule.message.as_ref().map(|c| c.value.literal.raw.clone()),
        ),
    };
    format!("  {keyword:<8} {}", value.unwrap_or_default())
}

/// An expression in canonical spacing.
pub fn expr(e: &Expr) -> String {
    crate::syntax::print::expr(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format_source("t.rules", text).unwrap()
    }

    fn folder(name: &str) -> std::path::PathBuf {
        let folder = std::env::temp_dir().join(format!("civrules-fmt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_replaced_whole_and_nothing_else_is_left() {
        let folder = folder("replace");
        let path = folder.join("a.rules");
        std::fs::write(&path, "rule   a :x required\n# a longer text than the new one\n").unwrap();
        replace_file(&path, "rule a: x required\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "rule a: x required\n");
        assert_eq!(names(&folder), ["a.rules"]);
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_file_that_is_not_there_is_an_error_and_nothing_is_created() {
        let folder = folder("replace-missing");
        let error = replace_file(&folder.join("none.rules"), "rule a: x required\n").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert!(names(&folder).is_empty());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn odd_layout_becomes_canonical() {
        let odd = "ruleset    \"so-noi-vu\"\nkey\temployee_id\n\n\n\nrule    badge   :\n        badge_worn     required\nrule on_time{check arrival<=7:30}\n   rule   du_gio   {\ntitle \"Đủ giờ\"\n      check    hours_worked>=8.0      }\n";
        let want = "ruleset \"so-noi-vu\"\nkey employee_id\n\nrule badge: badge_worn required\nrule on_time: arrival <= 7:30\n\nrule du_gio {\n  title    \"Đủ giờ\"\n  check    hours_worked >= 8.0\n}\n";
        assert_eq!(fmt(odd), want);
        assert_eq!(fmt(want), want);
    }

    #[test]
    fn comments_are_kept_in_place() {
        let src = "# đầu tệp\nruleset \"x\"  # tên\n\n# quy tắc\nrule a { # mở\n  # trước check\n  check x required # sau\n  title \"t\"\n}\n# cuối\n";
        let once = fmt(src);
        for c in [
            "# đầu tệp",
            "# tên",
            "# quy tắc",
            "# mở",
            "# trước check",
            "# sau",
            "# cuối",
        ] {
            assert!(once.contains(c), "{c} lost:\n{once}");
        }
        assert_eq!(fmt(&once), once);
    }

    /// The examples of §9 (group rules), verbatim.
    const GROUP_RULES: &str = include_str!("../tests/data/group_rules.rules");

    #[test]
    fn group_rules_print_per_after_when_and_round_trip() {
        // The first example is written canonically already.
        let late_repeat = &GROUP_RULES[GROUP_RULES.find("rule late_repeat").unwrap()..];
        let late_repeat = &late_repeat[..late_repeat.find("}\n").unwrap() + 2];
        assert_eq!(fmt(late_repeat), late_repeat);
        // The others line their keywords up to one column, and keep their
        // comments.
        let want = "rule daily_hours_in_week {  # 8 h a day on the days worked: a short
  title    \"Đủ 8 giờ mỗi ngày làm việc trong tuần\"  # week (Tết, a month's edge)
  ref      \"QĐ 188/1999/QĐ-TTg\"  # accuses nobody
  when     weekday(date) in 1..5
  per      employee_id, week_start(date)
  check    sum(departure - arrival) >= count() * 8h
}

rule unit_overdue_rate {
  when     handles_procedures
  per      unit
  check    count(overdue_procedures > 0) <= count() * 0.05
}
";
        let once = fmt(GROUP_RULES);
        assert!(once.ends_with(want), "{once}");
        assert_eq!(fmt(&once), once);
        // Formatting changes no rule: the same keys, checks and messages.
        let before = crate::syntax::parse(crate::diagnostic::SourceId(0), GROUP_RULES).unwrap();
        let after = crate::syntax::parse(crate::diagnostic::SourceId(0), &once).unwrap();
        assert_eq!(canonical_rules(&before), canonical_rules(&after));
    }

    /// Each rule of a file as fmt prints its clauses, one string a rule.
    fn canonical_rules(file: &crate::syntax::File) -> Vec<String> {
        file.statements
            .iter()
            .filter_map(|s| match &s.kind {
                StatementKind::Rule(r) => {
                    Some(clauses(r).iter().map(|(rank, _)| clause_line(r, *rank)).collect())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn per_moves_to_its_place_among_the_clauses() {
        let src = "rule r {\n  message \"{unit}\"\n  check count() > 1\n  per unit,month_start( date )\n  when x\n  title \"t\"\n}\n";
        let want = "rule r {\n  title    \"t\"\n  when     x\n  per      unit, month_start(date)\n  check    count() > 1\n  message  \"{unit}\"\n}\n";
        assert_eq!(fmt(src), want);
        // A block with only `per` and `check` stays a block.
        let src = "rule r { per unit check count() > 1 }\n";
        assert_eq!(fmt(src), "rule r {\n  per      unit\n  check    count() > 1\n}\n");
    }

    #[test]
    fn misplaced_per_is_refused_at_its_place() {
        for (text, at) in [
            (
                "rule r {\n  per a\n  check count() > 1\n  per b\n}\n",
                "t.rules:4:3",
            ),
            ("rule r: count() > 1 per a\n", "t.rules:1:21"),
            ("rule r {\n  per\n  check count() > 1\n}\n", "t.rules:2:3"),
            ("rule r {\n  per a,\n  check count() > 1\n}\n", "t.rules:2:8"),
        ] {
            let e = format_source("t.rules", text).unwrap_err();
            let rendered = e.to_string();
            assert!(rendered.starts_with(at), "{text}: {rendered}");
        }
    }
}
