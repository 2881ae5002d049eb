//! Group rules (§9) in the checker: each record's part in its groups, as
//! it is checked, and the groups' findings once every record is in.

use super::{by_values, Checker};
use crate::eval::group::{judge, per_values, Entered, GroupState, Judgement};
use crate::eval::Outcome;
use crate::record::Record;
use crate::report::{render_message, ErrorEntry, GroupFindings, GroupViolation};
use crate::semantics::aggregate::GroupKey;

impl Checker<'_> {
    /// Record `number`'s part in the groups of every group rule checked on
    /// it; `violated(R)` tells whether record rule R reported it. Errors
    /// that belong to the record are added to `errors` (when entries are
    /// kept) and counted.
    pub(super) fn enter_groups(
        &mut self,
        record: &Record<'_>,
        number: u64,
        violated: &dyn Fn(u32) -> bool,
        mut errors: Option<&mut Vec<ErrorEntry>>,
    ) {
        let program = self.program;
        for (index, rule) in program.rules.iter().enumerate() {
            let Some(plan) = &rule.group else { continue };
            if !self.is_checked(index) {
                continue;
            }
            let Some(table) = self.totals.groups.get_mut(index) else {
                continue;
            };
            let entered = table.enter(rule, plan, record, number, program.key, violated);
            if matches!(entered, Entered::Grouped) && !self.by.is_empty() {
                // A new group is the last, and only the record that made
                // it is its first.
                if let Some((_, state)) = table.groups.last_mut().filter(|(_, s)| s.first == number) {
                    state.first_by = by_values(&self.by, record);
                }
            }
            let fault = match entered {
                Entered::NotApplicable | Entered::Grouped => None,
                Entered::Ungrouped => {
                    self.totals.ungrouped[index] += 1;
                    None
                }
                Entered::KeyFault(e) => {
                    self.totals.ungrouped[index] += 1;
                    Some(e)
                }
                Entered::WhenFault(e) => Some(e),
            };
            if let Some(e) = fault {
                self.totals.errors += 1;
                if let Some(errors) = errors.as_deref_mut() {
                    errors.push(ErrorEntry {
                        record: number,
                        field: None,
                        rule: Some(rule.id.clone()),
                        key: program.key.and_then(|k| record.cell(k).to_value()),
                        message: e.to_string(),
                        group: None,
                    });
                }
            }
        }
    }

    /// Checks every group of every group rule, once the last record has
    /// been checked, and counts their findings in [`Checker::summary`].
    /// The groups are then forgotten: a second call finds none.
    ///
    /// ```
    /// use civrules::{Checker, Program};
    ///
    /// let rules = "rule late: arrival <= 07:30\n\
    ///              rule late_repeat {\n  per employee_id\n  check violations(late) <= 1\n}\n";
    /// let program = Program::from_source("t.rules", rules)?;
    /// let mut checker = Checker::new(&program);
    /// for line in [
    ///     r#"{"employee_id": "A", "arrival": "07:40"}"#,
    ///     r#"{"employee_id": "A", "arrival": "07:50"}"#,
    ///     r#"{"employee_id": "B", "arrival": "07:50"}"#,
    /// ] {
    ///     checker.check_ndjson_line(line);
    /// }
    /// let groups = checker.finish_groups();
    /// assert_eq!(groups.violations.len(), 1);
    /// assert_eq!(groups.violations[0].records, [1, 2]);
    /// assert_eq!(checker.summary().violations["late_repeat"], 1);
    /// # Ok::<(), civrules::CompileError>(())
    /// ```
    pub fn finish_groups(&mut self) -> GroupFindings {
        let program = self.program;
        let keep = self.detail == crate::report::Detail::Entries;
        let mut findings: Vec<(u64, usize, Finding)> = Vec::new();
        let mut judged_groups = Vec::new();
        self.each_judged_group(|group| {
            // Only what is reported is kept.
            if matches!(
                group.judged.outcome,
                Outcome::Violation { .. } | Outcome::Error(Some(_))
            ) {
                judged_groups.push(group);
            }
        });
        for JudgedGroup {
            rule: index,
            key,
            state,
            judged,
        } in judged_groups
        {
            let rule = &program.rules[index];
            let Some(plan) = &rule.group else { continue };
            match judged.outcome {
                Outcome::Violation { reason, missing } => {
                    self.totals.violations[index] += 1;
                    // Under the values of the group's first record.
                    self.count_by(&state.first_by, index);
                    if keep {
                        let schema = &program.schema;
                        let violation = GroupViolation {
                            rule: rule.id.clone(),
                            severity: rule.severity,
                            reason,
                            missing: missing
                                .iter()
                                .filter_map(|s| schema.slots.get(*s))
                                .map(|s| s.name.clone())
                                .collect(),
                            group: per_values(plan, &key),
                            records: state.records.clone(),
                            records_total: state.total,
                            key: state.first_key.clone(),
                            title: rule.title.clone(),
                            message: rule.message.as_ref().map(|m| render_message(m, &judged.record)),
                            reference: rule.reference.clone(),
                            values: plan
                                .aggregates
                                .iter()
                                .zip(&judged.values)
                                .filter(|(a, _)| a.in_check)
                                .map(|(a, v)| (a.text.clone(), v.clone()))
                                .collect(),
                            by: state.first_by.clone(),
                        };
                        findings.push((state.first, index, Finding::Violation(violation)));
                    }
                }
                Outcome::Error(Some(e)) => {
                    self.totals.errors += 1;
                    if keep {
                        let entry = ErrorEntry {
                            record: state.first,
                            field: None,
                            rule: Some(rule.id.clone()),
                            key: state.first_key.clone(),
                            message: e.to_string(),
                            group: Some(per_values(plan, &key)),
                        };
                        findings.push((state.first, index, Finding::Error(entry)));
                    }
                }
                // A data error has its own entry (the record's).
                _ => {}
            }
        }
        findings.sort_by_key(|(first, rule, _)| (*first, *rule));
        let mut out = GroupFindings::default();
        for (_, _, finding) in findings {
            match finding {
                Finding::Violation(v) => out.violations.push(v),
                Finding::Error(e) => out.errors.push(e),
            }
        }
        out
    }
}

/// One group of one group rule, judged.
pub(crate) struct JudgedGroup {
    /// The rule's index.
    pub rule: usize,
    /// The group's `per` values.
    pub key: GroupKey,
    pub state: GroupState,
    pub judged: Judgement,
}

impl Checker<'_> {
    /// Every group of every group rule with its outcome, by rule, each
    /// rule's groups by their first record; the groups are then forgotten.
    /// Nothing is counted (see [`Checker::finish_groups`]).
    pub(crate) fn judge_groups(&mut self) -> Vec<JudgedGroup> {
        let mut out = Vec::new();
        self.each_judged_group(|group| out.push(group));
        out
    }

    /// Hands each group to `each` as it is judged (and then forgets it):
    /// what is kept of a group is `each`'s to say, so that a run of many
    /// groups that pass ends holding none of them.
    fn each_judged_group(&mut self, mut each: impl FnMut(JudgedGroup)) {
        let program = self.program;
        let tables = std::mem::take(&mut self.totals.groups);
        for (index, table) in tables.into_iter().enumerate() {
            let (rule, Some(plan)) = (&program.rules[index], &program.rules[index].group) else {
                continue;
            };
            for (key, state) in table.groups {
                let judged = judge(rule, plan, &key, &state);
                each(JudgedGroup {
                    rule: index,
                    key,
                    state,
                    judged,
                });
            }
        }
    }
}

enum Finding {
    Violation(GroupViolation),
    Error(ErrorEntry),
}
