//! An Access Analyzer-like policy summary: per service, the access levels a policy allows
//! (or denies), on which resources and under which conditions (IAM User Guide: "Understand
//! access level summaries within policy summaries").

use std::collections::{BTreeMap, BTreeSet};

use abacus_policy::ast::{ActionPattern, Effect, Statement};
use abacus_policy::ParsedPolicy;
use serde::Serialize;

use super::knowledge::{AccessLevel, Knowledge};
use abacus_reference::ServiceStatus;

/// What one policy grants, service by service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PolicySummary {
    /// One entry per service (`*` for `NotAction` and `"Action": "*"`), sorted by service.
    pub services: Vec<ServiceSummary>,
    /// Action patterns the reference does not recognise (typos, unknown services), listed
    /// apart as the IAM console does, in policy order.
    pub unrecognized: Vec<String>,
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
    /// One entry per statement that names this service, in statement order.
    pub grants: Vec<Grant>,
}

/// What one statement does to one service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The statement's index in the policy.
    pub statement: usize,
    /// Its `Sid`.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// The access levels its actions of this service reach.
    pub levels: BTreeSet<AccessLevel>,
    /// Its action patterns of this service (`all except ...` for `NotAction`).
    pub actions: Vec<String>,
    /// Its resources (`NotResource` entries prefixed with `not `); empty when the statement
    /// has no resource element (trust policies).
    pub resources: Vec<String>,
    /// Its conditions, one line each: `operator key values`.
    pub conditions: Vec<String>,
}

fn levels_text(levels: &BTreeSet<AccessLevel>) -> String {
    let names: Vec<&str> = levels.iter().map(|l| l.as_str()).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

impl ServiceSummary {
    /// `Read, Tagging` style text of the allowed levels (`none` when empty).
    pub fn allowed_text(&self) -> String {
        levels_text(&self.allowed)
    }
}

/// The access levels an action pattern can grant, by the Service Authorization Reference:
/// an exact name's level, or the levels of every action a wildcard matches. `None` when the
/// pattern names or matches no action of its (loaded) service.
fn levels_of(pattern: &ActionPattern, knowledge: &Knowledge) -> Option<BTreeSet<AccessLevel>> {
    let text = pattern.text.as_str();
    let name = text.split_once(':').map_or("", |(_, n)| n);
    if text == "*" || name == "*" {
        return Some(AccessLevel::ALL.into_iter().collect());
    }
    if !text.contains('*') && !text.contains('?') {
        return knowledge.access_level(text).map(|l| BTreeSet::from([l]));
    }
    let levels: BTreeSet<AccessLevel> =
        abacus_reference::matching_actions(knowledge.reference(), text)
            .into_iter()
            .map(|(_, a)| a.access_level())
            .collect();
    (!levels.is_empty()).then_some(levels)
}

fn service_of(text: &str) -> String {
    if text == "*" {
        return "*".to_owned();
    }
    text.split(':').next().unwrap_or("*").to_ascii_lowercase()
}

fn add_statement(
    services: &mut BTreeMap<String, ServiceSummary>,
    unrecognized: &mut Vec<String>,
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
    // (service, levels, action text) per action item
    let mut items: Vec<(String, BTreeSet<AccessLevel>, String)> = Vec::new();
    if let Some(action) = &stmt.action {
        for a in &action.items {
            let service = service_of(&a.value.text);
            match levels_of(&a.value, knowledge) {
                Some(levels) => items.push((service, levels, a.value.text.clone())),
                // a service not loaded yet is summarised without levels, not as a typo
                None if knowledge.service_status(&service) == ServiceStatus::NotLoaded => {
                    items.push((service, BTreeSet::new(), a.value.text.clone()));
                }
                None => {
                    if !unrecognized.contains(&a.value.text) {
                        unrecognized.push(a.value.text.clone());
                    }
                }
            }
        }
    }
    if let Some(not_action) = &stmt.not_action {
        let listed: Vec<String> = not_action
            .items
            .iter()
            .map(|a| a.value.text.clone())
            .collect();
        items.push((
            "*".to_owned(),
            AccessLevel::ALL.into_iter().collect(),
            format!("all except {}", listed.join(", ")),
        ));
    }
    for (service, levels, action) in items {
        let entry = services
            .entry(service.clone())
            .or_insert_with(|| ServiceSummary {
                service,
                ..ServiceSummary::default()
            });
        match effect {
            Effect::Allow => entry.allowed.extend(levels.iter().copied()),
            Effect::Deny => entry.denied.extend(levels.iter().copied()),
        }
        let grant = match entry.grants.last_mut() {
            Some(g) if g.statement == stmt.index => g,
            _ => {
                entry.grants.push(Grant {
                    statement: stmt.index,
                    sid: stmt.sid.as_ref().map(|s| s.value.clone()),
                    effect: effect.as_str().to_owned(),
                    resources: resources.clone(),
                    conditions: conditions.clone(),
                    ..Grant::default()
                });
                let Some(g) = entry.grants.last_mut() else {
                    continue;
                };
                g
            }
        };
        grant.levels.extend(levels);
        grant.actions.push(action);
    }
}

/// Summarizes one parsed policy (an unparsable policy summarizes to nothing).
pub fn summarize(parsed: &ParsedPolicy) -> PolicySummary {
    let knowledge = Knowledge::get();
    let mut services = BTreeMap::new();
    let mut unrecognized = Vec::new();
    for stmt in parsed.policy.iter().flat_map(|p| &p.statements) {
        add_statement(&mut services, &mut unrecognized, stmt, &knowledge);
    }
    PolicySummary {
        services: services.into_values().collect(),
        unrecognized,
    }
}

impl std::fmt::Display for PolicySummary {
    /// Per service a line with the allowed (and denied) levels, then one indented line per
    /// statement: effect, levels, resources and conditions.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for s in &self.services {
            write!(f, "{}: {}", s.service, s.allowed_text())?;
            if !s.denied.is_empty() {
                write!(f, "; denies {}", levels_text(&s.denied))?;
            }
            writeln!(f)?;
            for g in &s.grants {
                let name = g.sid.clone().unwrap_or_else(|| format!("#{}", g.statement));
                let on = if g.resources.is_empty() {
                    "(no Resource element)".to_owned()
                } else {
                    g.resources.join(", ")
                };
                write!(
                    f,
                    "  {} {}: {} on {}",
                    name,
                    g.effect,
                    levels_text(&g.levels),
                    on
                )?;
                if !g.conditions.is_empty() {
                    write!(f, " when {}", g.conditions.join(" and "))?;
                }
                writeln!(f)?;
            }
        }
        if !self.unrecognized.is_empty() {
            writeln!(f, "unrecognized actions: {}", self.unrecognized.join(", "))?;
        }
        Ok(())
    }
}
