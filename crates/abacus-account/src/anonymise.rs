//! Anonymising an imported scenario before it is shared: every account id and every name
//! the world gives (roles, IAM users, profiles, domains, resources, policies, organization
//! levels) is replaced, consistently, wherever it appears, policy texts and tags included, so
//! the link still decides as the original does but no longer names the account.
//!
//! Account ids other than the world's (in trust policies, organizations ARNs) are replaced
//! too, and an organizations policy's ARN is rewritten whole (it names the organization).
//! A name written only in part inside a wildcard pattern (`team-red/*`) is not recognised.
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
        // a managed policy's own name, as its ARN holds it (a boundary's entry is named
        // `NAME (boundary)`)
        if let Some(name) = p.arn.as_deref().and_then(|a| a.rsplit('/').next()) {
            add(&mut map, name, format!("Policy{}", i + 1));
        }
    }
    // every other account id the document names (trust policies, organizations ARNs)
    let text = scenario.to_json_pretty();
    for (n, id) in account_ids(&text).into_iter().enumerate() {
        add(
            &mut map,
            &id,
            format!("{:012}", 210_000_000_000u64 + n as u64 + 1),
        );
    }
    let replaced = replace_names(&text, &map);
    let mut out = Scenario::from_json(&replaced)
        .map_err(|e| format!("the anonymised scenario is not valid: {e:?}"))?;
    // an organizations policy's ARN names the organization and the policy ids
    for (i, p) in out.policies.iter_mut().enumerate() {
        if let Some(arn) = &mut p.arn {
            if arn.starts_with("arn:aws:organizations:") {
                let kind = arn.split('/').nth(2).unwrap_or("policy").to_owned();
                *arn = format!(
                    "arn:aws:organizations::{ANONYMOUS_ACCOUNT}:policy/o-anonymous/{kind}/p-{:08}",
                    i + 1
                );
            }
        }
    }
    out.name = "Anonymised account".to_owned();
    out.description = "Imported from AWS CLI exports, then anonymised.".to_owned();
    Ok((out, map.len()))
}

/// The distinct 12-digit account ids standing alone in `text`, in order of appearance.
fn account_ids(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i - start == 12 {
            let before = text.get(..start).and_then(|b| b.chars().next_back());
            let after = text.get(i..).and_then(|a| a.chars().next());
            let alone = !before.is_some_and(|c| c.is_ascii_alphanumeric())
                && !after.is_some_and(|c| c.is_ascii_alphanumeric());
            if let Some(id) = text.get(start..i).filter(|_| alone) {
                if !out.iter().any(|o| o == id) {
                    out.push(id.to_owned());
                }
            }
        }
        if i == start {
            i += text
                .get(i..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
        }
    }
    out
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
    fn account_ids_are_the_standalone_twelve_digit_numbers() {
        assert_eq!(
            account_ids(
                r#"arn:aws:iam::444455556666:role/r "777788889999" 1234567890123 x111122223333"#
            ),
            ["444455556666", "777788889999"]
        );
    }

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
