//! An Access Analyzer-like policy summary: per service, the access levels a policy allows
//! (or denies), on which resources and under which conditions (IAM User Guide: "Understand
//! access level summaries within policy summaries").

use std::collections::{BTreeMap, BTreeSet};

use abacus_policy::ast::{ActionPattern, Effect, Statement};
use abacus_policy::ParsedPolicy;
use serde::Serialize;

use super::knowledge::{AccessLevel, Knowledge};

/// What one policy grants, service by service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PolicySummary {
    /// One entry per service (`*` for `NotAction` and `"Action": "*"`), sorted by service.
    pub services: Vec<ServiceSummary>,
}

/// What a policy does to one service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServiceSummary {
    /// The service prefix, e.g. `sagemaker`.
    pub service: String,
    /// Access levels allowed by some statement.
    pub allowed: BTreeSet<AccessLevel>,
    /// Access levels denied by some statement.
    pub denied: BTreeSet<AccessLevel>,
    /// The action patterns as written.
    pub actions: BTreeSet<String>,
    /// The resources (`NotResource` entries prefixed with `not `).
    pub resources: BTreeSet<String>,
    /// The conditions, one line each: `operator key values`.
    pub conditions: BTreeSet<String>,
    /// True when some statement uses `NotAction` (all actions except those listed).
    pub not_action: bool,
}

impl ServiceSummary {
    /// `Read, Tagging` style text of the allowed levels (`none` when empty).
    pub fn allowed_text(&self) -> String {
        let levels: Vec<&str> = self.allowed.iter().map(|l| l.as_str()).collect();
        if levels.is_empty() {
            "none".to_owned()
        } else {
            levels.join(", ")
        }
    }
}

/// The access levels an action pattern can grant: exact names by the tables, wildcards by
/// the known actions they match plus the verb before the `*`.
fn levels_of(pattern: &ActionPattern, knowledge: &Knowledge) -> BTreeSet<AccessLevel> {
    let text = pattern.text.as_str();
    if !text.contains('*') && !text.contains('?') {
        return BTreeSet::from([knowledge.access_level(text)]);
    }
    let name = text.split_once(':').map_or("", |(_, n)| n);
    if text == "*" || name.starts_with('*') && name.len() == 1 {
        return AccessLevel::ALL.into_iter().collect();
    }
    let mut levels: BTreeSet<AccessLevel> = knowledge
        .known_actions()
        .filter(|a| pattern.matches(a))
        .map(|a| knowledge.access_level(a))
        .collect();
    let catalogue = abacus_studio::actions::catalogue();
    levels.extend(
        catalogue
            .actions
            .iter()
            .filter(|a| pattern.matches(&a.action))
            .map(|a| knowledge.access_level(&a.action)),
    );
    let verb: String = name
        .chars()
        .take_while(|c| *c != '*' && *c != '?')
        .collect();
    if !verb.is_empty() {
        let service = text.split(':').next().unwrap_or_default();
        levels.insert(knowledge.access_level(&format!("{service}:{verb}")));
    }
    levels
}

fn service_of(text: &str) -> String {
    if text == "*" {
        return "*".to_owned();
    }
    text.split(':').next().unwrap_or("*").to_ascii_lowercase()
}

fn add_statement(
    services: &mut BTreeMap<String, ServiceSummary>,
    stmt: &Statement,
    knowledge: &Knowledge,
) {
    let effect = stmt.effect_or_allow();
    let resources: Vec<String> = stmt
        .resource
        .iter()
        .flat_map(|r| r.items.iter().map(|i| i.value.text.clone()))
        .chain(
            stmt.not_resource
                .iter()
                .flat_map(|r| r.items.iter().map(|i| format!("not {}", i.value.text))),
        )
        .collect();
    let conditions: Vec<String> = stmt
        .conditions
        .iter()
        .map(|c| {
            let values: Vec<&str> = c.values.iter().map(|v| v.value.text.as_str()).collect();
            format!(
                "{} {} {}",
                c.operator.value.text,
                c.key.value,
                values.join(" | ")
            )
        })
        .collect();
    let mut touch =
        |service: String, levels: BTreeSet<AccessLevel>, action: String, not_action: bool| {
            let entry = services
                .entry(service.clone())
                .or_insert_with(|| ServiceSummary {
                    service,
                    ..ServiceSummary::default()
                });
            match effect {
                Effect::Allow => entry.allowed.extend(levels),
                Effect::Deny => entry.denied.extend(levels),
            }
            entry.actions.insert(action);
            entry.resources.extend(resources.iter().cloned());
            entry.conditions.extend(conditions.iter().cloned());
            entry.not_action |= not_action;
        };
    if let Some(action) = &stmt.action {
        for a in &action.items {
            let levels = levels_of(&a.value, knowledge);
            touch(
                service_of(&a.value.text),
                levels,
                a.value.text.clone(),
                false,
            );
        }
    }
    if let Some(not_action) = &stmt.not_action {
        let listed: Vec<String> = not_action
            .items
            .iter()
            .map(|a| a.value.text.clone())
            .collect();
        touch(
            "*".to_owned(),
            AccessLevel::ALL.into_iter().collect(),
            format!("all except {}", listed.join(", ")),
            true,
        );
    }
}

/// Summarizes one parsed policy (an unparsable policy summarizes to nothing).
pub fn summarize(parsed: &ParsedPolicy) -> PolicySummary {
    let knowledge = Knowledge::get();
    let mut services = BTreeMap::new();
    for stmt in parsed.policy.iter().flat_map(|p| &p.statements) {
        add_statement(&mut services, stmt, knowledge);
    }
    PolicySummary {
        services: services.into_values().collect(),
    }
}

impl std::fmt::Display for PolicySummary {
    /// One line per service: `service  allowed-levels  [denied ...]  resources  conditions`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for s in &self.services {
            write!(f, "{}: {}", s.service, s.allowed_text())?;
            if !s.denied.is_empty() {
                let denied: Vec<&str> = s.denied.iter().map(|l| l.as_str()).collect();
                write!(f, "; denies {}", denied.join(", "))?;
            }
            let resources: Vec<&str> = s.resources.iter().map(String::as_str).collect();
            write!(
                f,
                " on {}",
                if resources.is_empty() {
                    "(no Resource element)".to_owned()
                } else {
                    resources.join(", ")
                }
            )?;
            if !s.conditions.is_empty() {
                let conditions: Vec<&str> = s.conditions.iter().map(String::as_str).collect();
                write!(f, " when {}", conditions.join(" and "))?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
