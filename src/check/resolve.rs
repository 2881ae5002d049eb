//! `extends`, `override` and `disable`: from a tree of files to one
//! effective list of rules, field declarations and key.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use crate::diagnostic::{ErrorKind, Problem, Sources};
use crate::diagnostic::{SourceId, Span};
use crate::load::{LoadError, Loader};
use crate::semantics::value::Type;
use crate::syntax::{self, FieldPath, RuleDef, StatementKind};

/// The rules files merged into one list, still untyped.
pub(crate) struct Effective {
    pub name: String,
    /// The root file's text in the sources.
    pub root: SourceId,
    pub rules: Vec<RuleDef>,
    pub declarations: IndexMap<String, (FieldPath, Type)>,
    pub key: Option<FieldPath>,
    /// Every `override` applied on the way, in the order applied.
    pub overrides: Vec<Replacement>,
    /// Every `disable` applied on the way: the rule's id and where the
    /// `disable` names it.
    pub disabled: Vec<(String, Span)>,
}

/// An `override rule` as written: the inherited rule and the rule that
/// replaced it (typed later, in `types.rs`).
#[derive(Clone)]
pub(crate) struct Replacement {
    pub replaced: RuleDef,
    pub by: RuleDef,
}

/// What a file makes of its rules, once resolved (kept to be reused when
/// the file is reached again).
#[derive(Clone, Default)]
struct Unit {
    rules: Vec<Versioned>,
    /// Position of each rule in `rules`, by id: a province file may have
    /// thousands of rules, so no search by name is linear.
    index: HashMap<String, usize>,
    declarations: IndexMap<String, (FieldPath, Type)>,
    key: Option<FieldPath>,
    overrides: Vec<Replacement>,
    disabled: Vec<(String, Span)>,
}

impl Unit {
    fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    fn push(&mut self, rule: Versioned) {
        self.index.insert(rule.rule.id.name.clone(), self.rules.len());
        self.rules.push(rule);
    }

    fn remove(&mut self, at: usize) {
        self.rules.remove(at);
        self.index = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, v)| (v.rule.id.name.clone(), i))
            .collect();
    }
}

/// A rule and the versions it replaced (by `override`), oldest first, each
/// known by the span of its id: how a file reached twice is recognised as
/// giving the same rule, or a newer version of it.
#[derive(Clone)]
struct Versioned {
    rule: RuleDef,
    replaced: Vec<Span>,
}

struct Resolver<'a> {
    loader: &'a dyn Loader,
    sources: &'a mut Sources,
    /// Identities of the files on the current `extends` path (for cycles).
    stack: Vec<String>,
    /// Every file already resolved, by identity: a file reached twice is
    /// resolved once, and its rules count once.
    done: HashMap<String, Unit>,
    problems: Vec<Problem>,
    limits: &'a crate::Limits,
}

/// Loads `root` and everything it extends, and merges them.
pub(crate) fn resolve(
    loader: &dyn Loader,
    sources: &mut Sources,
    root: &str,
    limits: &crate::Limits,
) -> Result<Effective, Vec<Problem>> {
    let mut resolver = Resolver {
        loader,
        sources,
        stack: Vec::new(),
        done: HashMap::new(),
        problems: Vec::new(),
        limits,
    };
    let loaded = match resolver.loader.load(None, root) {
        Ok(l) => l,
        Err(LoadError::NotUtf8 { path, line, column }) => {
            return Err(vec![Problem::at_place(
                ErrorKind::FileUnreadable,
                path,
                line,
                column,
                "the file is not UTF-8 text",
            )])
        }
        // Not shown: the file is too large to quote.
        Err(LoadError::TooLarge { path, limit }) => {
            return Err(vec![Problem::at_place(
                ErrorKind::FileTooLarge,
                path,
                1,
                1,
                crate::limits::file_too_large(limit, "rules"),
            )])
        }
        Err(e) => return Err(vec![Problem::nowhere(ErrorKind::FileUnreadable, e.to_string())]),
    };
    let stem = loaded.stem.clone();
    let id = resolver.sources.add(loaded.name.clone(), loaded.text);
    let file = resolver
        .parse(id)
        .ok_or_else(|| std::mem::take(&mut resolver.problems))?;
    let name = file.ruleset.as_ref().map_or(stem, |s| s.value.clone());
    resolver.stack.push(loaded.identity.clone());
    let unit = resolver.unit(&loaded.identity, file);
    if !resolver.problems.is_empty() {
        return Err(resolver.problems);
    }
    Ok(Effective {
        name,
        root: id,
        rules: unit.rules.into_iter().map(|v| v.rule).collect(),
        declarations: unit.declarations,
        key: unit.key,
        overrides: unit.overrides,
        disabled: unit.disabled,
    })
}

impl Resolver<'_> {
    fn parse(&mut self, id: SourceId) -> Option<syntax::File> {
        let text = self.sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
        match syntax::parse_with(id, &text, self.limits) {
            Ok(file) => Some(file),
            Err(e) => {
                self.problems.push(Problem::from(e));
                None
            }
        }
    }

    /// Merges what `file` inherits, then applies its own statements.
    fn unit(&mut self, identity: &str, file: syntax::File) -> Unit {
        let mut unit = Unit::default();
        for ext in &file.extends {
            if let Some(parent) = self.extend(identity, &ext.value, ext.span) {
                self.merge_inherited(&mut unit, parent);
            }
        }
        let inherited: HashSet<String> = unit.rules.iter().map(|v| v.rule.id.name.clone()).collect();
        let mut own: HashSet<String> = HashSet::new();
        for stmt in file.statements {
            match stmt.kind {
                StatementKind::Field { path, ty } => self.declare(&mut unit, path, ty),
                StatementKind::Key(path) => unit.key = Some(path),
                StatementKind::Rule(rule) => {
                    let id = rule.id.name.clone();
                    if let Some(previous) = unit.position(&id).map(|i| &unit.rules[i].rule) {
                        let how = if inherited.contains(&id) {
                            "is inherited; write `override rule` to replace it"
                        } else {
                            "is already defined in this file"
                        };
                        let problem = Problem::at(
                            ErrorKind::DuplicateRule,
                            rule.id.span,
                            format!("rule `{id}` {how}"),
                        )
                        .note("the other definition", Some(previous.id.span));
                        self.problems.push(problem);
                    } else {
                        own.insert(id);
                        unit.push(Versioned {
                            rule,
                            replaced: Vec::new(),
                        });
                    }
                }
                StatementKind::Override(rule) => {
                    let id = rule.id.name.clone();
                    let position = unit.position(&id);
                    match position {
                        Some(i) if inherited.contains(&id) && !own.contains(&id) => {
                            own.insert(id);
                            let old = &mut unit.rules[i];
                            old.replaced.push(old.rule.id.span);
                            let replaced = std::mem::replace(&mut old.rule, rule);
                            let by = old.rule.clone();
                            unit.overrides.push(Replacement { replaced, by });
                        }
                        _ => self.nothing_inherited(&unit, &own, "override", &rule.id.name, rule.id.span),
                    }
                }
                StatementKind::Disable(ident) => {
                    let position = unit.position(&ident.name);
                    match position {
                        Some(i) if inherited.contains(&ident.name) && !own.contains(&ident.name) => {
                            own.insert(ident.name.clone());
                            unit.remove(i);
                            unit.disabled.push((ident.name.clone(), ident.span));
                        }
                        _ => self.nothing_inherited(&unit, &own, "disable", &ident.name, ident.span),
                    }
                }
                StatementKind::Ruleset(_) | StatementKind::Extends(_) => {}
            }
        }
        unit
    }

    fn nothing_inherited(&mut self, unit: &Unit, own: &HashSet<String>, verb: &str, id: &str, span: Span) {
        let mut problem = if own.contains(id) {
            Problem::at(ErrorKind::BadOverride, span, format!("`{verb} rule {id}` applies to an inherited rule, and this file already defines, overrides or disables `{id}`"))
        } else {
            Problem::at(
                ErrorKind::BadOverride,
                span,
                format!("`{verb} rule {id}`: no inherited rule is called `{id}`"),
            )
        };
        let names = unit.rules.iter().map(|v| v.rule.id.name.as_str());
        if let Some(near) = crate::diagnostic::closest(id, names) {
            problem = problem.note(format!("did you mean `{near}`?"), None);
        }
        self.problems.push(problem);
    }

    fn declare(&mut self, unit: &mut Unit, path: FieldPath, ty: Type) {
        let name = path.dotted();
        match unit.declarations.get(&name) {
            Some((previous, previous_ty)) if *previous_ty != ty => {
                let problem = Problem::at(
                    ErrorKind::TypeConflict,
                    path.span,
                    format!("field `{name}` is declared as {ty} here but as {previous_ty} elsewhere"),
                )
                .note("the other declaration", Some(previous.span));
                self.problems.push(problem);
            }
            _ => {
                unit.declarations.insert(name, (path, ty));
            }
        }
    }

    fn merge_inherited(&mut self, unit: &mut Unit, parent: Unit) {
        for incoming in parent.rules {
            let name = &incoming.rule.id.name;
            let Some(at) = unit.position(name) else {
                unit.push(incoming);
                continue;
            };
            let existing = &mut unit.rules[at];
            let (old, new) = (existing.rule.id.span, incoming.rule.id.span);
            if old == new || existing.replaced.contains(&new) {
                // The same rule (a file reached twice), or an older version.
            } else if incoming.replaced.contains(&old) {
                // A newer version of the same rule: it takes the old place.
                *existing = incoming;
            } else {
                let problem = Problem::at(
                    ErrorKind::DuplicateRule,
                    new,
                    format!("rule `{name}` is inherited from two files"),
                )
                .note("the other definition", Some(old));
                self.problems.push(problem);
            }
        }
        for (_, (path, ty)) in parent.declarations {
            self.declare(unit, path, ty);
        }
        if parent.key.is_some() {
            unit.key = parent.key;
        }
        for disabled in parent.disabled {
            if !unit.disabled.contains(&disabled) {
                unit.disabled.push(disabled);
            }
        }
        for applied in parent.overrides {
            // A file reached twice brings its overrides twice.
            if !unit.overrides.iter().any(|o| o.by.id.span == applied.by.id.span) {
                unit.overrides.push(applied);
            }
        }
    }

    fn extend(&mut self, from: &str, target: &str, span: Span) -> Option<Unit> {
        let limit = self.limits.max_extends_depth;
        if self.stack.len() >= limit {
            let message = format!("`extends` chains more than {limit} files deep");
            self.problems
                .push(Problem::at(ErrorKind::ExtendsCycle, span, message));
            return None;
        }
        let loaded = match self.loader.load(Some(from), target) {
            Ok(l) => l,
            Err(e) => {
                let (kind, message) = match e {
                    LoadError::NotFound { .. } => (
                        ErrorKind::FileUnreadable,
                        format!("cannot extend \"{target}\": no such file"),
                    ),
                    LoadError::TooLarge { limit, .. } => (
                        ErrorKind::FileTooLarge,
                        format!(
                            "cannot extend \"{target}\": {}",
                            crate::limits::file_too_large(limit, "rules")
                        ),
                    ),
                    other => (
                        ErrorKind::FileUnreadable,
                        format!("cannot extend \"{target}\": {other}"),
                    ),
                };
                self.problems.push(Problem::at(kind, span, message));
                return None;
            }
        };
        if self.stack.contains(&loaded.identity) {
            let chain: Vec<&str> = self.stack.iter().map(String::as_str).collect();
            let message = format!("`extends` cycle: {} → {}", chain.join(" → "), loaded.identity);
            self.problems
                .push(Problem::at(ErrorKind::ExtendsCycle, span, message));
            return None;
        }
        if let Some(unit) = self.done.get(&loaded.identity) {
            return Some(unit.clone());
        }
        let id = self.sources.add(loaded.name.clone(), loaded.text);
        let file = self.parse(id)?;
        self.stack.push(loaded.identity.clone());
        let unit = self.unit(&loaded.identity, file);
        self.stack.pop();
        self.done.insert(loaded.identity, unit.clone());
        Some(unit)
    }
}
