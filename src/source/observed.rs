//! Observed fields (contract §8): the fields an input file can hold at all.
//! A rule that reads a field the file does not observe is not checked on
//! its records: the data never recorded it, so nobody can be accused of it.

use crate::compile::Program;

/// The fields one input file can hold: for CSV and spreadsheets, those its
/// headers give; for JSON and NDJSON, every field, unless a source's
/// `observes` line lists them.
///
/// ```
/// use civrules::{Observed, Program};
///
/// let program = Program::from_source("ban.rules", "
///     rule badge: badge_worn required
///     rule nameplate: nameplate required
/// ")?;
/// let observed = Observed::only(["employee_id", "badge_worn"]);
/// let not_checked = observed.not_checked(&program);
/// assert_eq!(not_checked.len(), 1);
/// assert_eq!(not_checked[0].rule, "nameplate");
/// assert_eq!(not_checked[0].fields, ["nameplate"]);
/// # Ok::<(), civrules::CompileError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observed {
    /// `None`: every field.
    fields: Option<Vec<String>>,
}

/// A rule that cannot be checked on an input file, and the fields it reads
/// that the file does not observe.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NotChecked {
    /// The rule's id.
    pub rule: String,
    /// The rule's position in the effective rule set.
    #[serde(skip)]
    pub index: usize,
    /// In the order the rule reads them.
    pub fields: Vec<String>,
}

impl Observed {
    /// Every field (JSON and NDJSON without an `observes` line).
    pub fn all() -> Observed {
        Observed { fields: None }
    }

    /// Only these fields (a file's headers, or an `observes` line).
    pub fn only<S: Into<String>>(fields: impl IntoIterator<Item = S>) -> Observed {
        Observed {
            fields: Some(fields.into_iter().map(Into::into).collect()),
        }
    }

    /// Whether the file can hold `field` (a dotted path): it, or a field
    /// above it (`employee` for `employee.unit`), is observed.
    pub fn holds(&self, field: &str) -> bool {
        let Some(fields) = &self.fields else {
            return true;
        };
        fields.iter().any(|f| {
            field == f
                || (field.len() > f.len()
                    && field.starts_with(f.as_str())
                    && field.as_bytes()[f.len()] == b'.')
        })
    }

    /// Whether every field is observed.
    pub fn is_all(&self) -> bool {
        self.fields.is_none()
    }

    /// The observed fields, `None` for every field.
    pub fn fields(&self) -> Option<&[String]> {
        self.fields.as_deref()
    }

    /// The rules of `program` that read a field this file does not observe,
    /// in rule order.
    pub fn not_checked(&self, program: &Program) -> Vec<NotChecked> {
        if self.fields.is_none() {
            return Vec::new();
        }
        let slots = &program.schema.slots;
        program
            .rules
            .iter()
            .enumerate()
            .filter_map(|(index, rule)| {
                let fields: Vec<String> = rule
                    .reads
                    .iter()
                    .map(|s| &slots[*s].name)
                    .filter(|name| !self.holds(name))
                    .cloned()
                    .collect();
                (!fields.is_empty()).then(|| NotChecked {
                    rule: rule.id.clone(),
                    index,
                    fields,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_above_a_path_observes_the_path() {
        let observed = Observed::only(["employee", "date"]);
        assert!(observed.holds("employee.unit"));
        assert!(observed.holds("date"));
        assert!(!observed.holds("employee_id"));
        assert!(!observed.holds("dates"));
        assert!(!observed.holds("employees.unit"));
        assert!(Observed::all().holds("anything"));
    }
}
