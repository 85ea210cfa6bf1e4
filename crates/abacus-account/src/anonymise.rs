//! Anonymising an imported scenario before it is shared: every account id and every name
//! the world gives (roles, IAM users, profiles, domains, resources, policies, organization
//! levels) is replaced, consistently, wherever it appears, policy texts and tags included, so
//! the link still decides as the original does but no longer names the account.
//!
//! A name is replaced only where it stands alone (between characters that cannot be part of
//! an IAM name), so `ana` in `banana` stays; longer names are replaced first, so a name that
//! contains another is replaced whole.

use abacus_studio::scenario::Scenario;
use std::collections::BTreeMap;

/// The replacement account id (the one AWS documentation uses for examples).
pub const ANONYMOUS_ACCOUNT: &str = "123456789012";

/// The anonymised scenario and how many distinct values were replaced; an error when the
/// result is not a valid scenario (it should always be: replacements keep names valid).
pub fn anonymise(scenario: &Scenario) -> Result<(Scenario, usize), String> {
    let w = &scenario.world;
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    let add = |map: &mut BTreeMap<String, String>, from: &str, to: String| {
        if !from.is_empty() && from != to && !map.contains_key(from) {
            map.insert(from.to_owned(), to);
        }
    };
    add(&mut map, &w.account, ANONYMOUS_ACCOUNT.to_owned());
    for (i, r) in w.roles.iter().enumerate() {
        add(&mut map, &r.name, format!("Role{}", i + 1));
    }
    for (i, u) in w.iam_users.iter().enumerate() {
        add(&mut map, &u.name, format!("iam-user-{}", i + 1));
    }
    for (i, u) in w.users.iter().enumerate() {
        add(&mut map, &u.name, format!("user-{}", i + 1));
    }
    for (i, d) in w.domains.iter().enumerate() {
        add(&mut map, &d.id, format!("d-{:012}", i + 1));
        add(&mut map, &d.name, format!("domain-{}", i + 1));
    }
    for (i, r) in w.resources.iter().enumerate() {
        add(&mut map, &r.name, format!("{}-{}", r.resource_type, i + 1));
        add(&mut map, &r.id, format!("resource-{}", i + 1));
    }
    for (i, level) in w.organization.iter().enumerate() {
        add(&mut map, level, format!("org-level-{}", i + 1));
    }
    for (i, p) in scenario.policies.iter().enumerate() {
        add(&mut map, &p.name, format!("Policy{}", i + 1));
        add(&mut map, &p.id, format!("policy-{}", i + 1));
    }
    let text = serde_json_text(scenario);
    let replaced = replace_names(&text, &map);
    let mut out = Scenario::from_json(&replaced)
        .map_err(|e| format!("the anonymised scenario is not valid: {e:?}"))?;
    out.name = "Anonymised account".to_owned();
    out.description = "Imported from AWS CLI exports, then anonymised.".to_owned();
    Ok((out, map.len()))
}

fn serde_json_text(s: &Scenario) -> String {
    s.to_json_pretty()
}

/// True for the characters an IAM name, id or tag value can hold around a replaced name.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '=' | ',' | '.' | '@')
}

/// `text` with every standalone occurrence of each key of `map` replaced by its value,
/// longest keys first.
fn replace_names(text: &str, map: &BTreeMap<String, String>) -> String {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let mut out = text.to_owned();
    for key in keys {
        let Some(to) = map.get(key) else { continue };
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(key.as_str()) {
            let before = rest.get(..at).and_then(|b| b.chars().next_back());
            let after = rest.get(at + key.len()..).and_then(|a| a.chars().next());
            next.push_str(rest.get(..at).unwrap_or_default());
            if before.is_some_and(name_char) || after.is_some_and(name_char) {
                next.push_str(key);
            } else {
                next.push_str(to);
            }
            rest = rest.get(at + key.len()..).unwrap_or_default();
        }
        next.push_str(rest);
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standalone_names_are_replaced_longest_first() {
        let mut map = BTreeMap::new();
        map.insert("ana".to_owned(), "user-1".to_owned());
        map.insert("ana-admin".to_owned(), "iam-user-1".to_owned());
        assert_eq!(
            replace_names("ana banana ana-admin /ana/ \"ana\"", &map),
            "user-1 banana iam-user-1 /user-1/ \"user-1\""
        );
    }
}
