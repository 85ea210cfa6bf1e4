//! The workspace's own policies: new, rename, delete, attach and detach. Each edit keeps the
//! document valid for `Scenario::from_json`: it is checked with the studio's `problems()`
//! and refused (with the reason, in words a user of the app knows) when it would break it.

use abacus_studio::scenario::{PolicyEntry, PolicyKind, Scenario};

/// The policy kinds a user can create, with their labels.
pub const KINDS: [(PolicyKind, &str); 7] = [
    (PolicyKind::Identity, "Identity policy"),
    (PolicyKind::Resource, "Resource policy"),
    (PolicyKind::Trust, "Role trust policy"),
    (PolicyKind::Boundary, "Permissions boundary"),
    (PolicyKind::Session, "Session policy"),
    (PolicyKind::Scp, "Service control policy (SCP)"),
    (PolicyKind::Rcp, "Resource control policy (RCP)"),
];

/// What a new policy of `kind` is called (`New identity policy`, `New SCP`, …).
fn new_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "New identity policy",
        PolicyKind::Resource => "New resource policy",
        PolicyKind::Trust => "New trust policy",
        PolicyKind::Boundary => "New permissions boundary",
        PolicyKind::Session => "New session policy",
        PolicyKind::Scp => "New SCP",
        PolicyKind::Rcp => "New RCP",
    }
}

/// The label of `kind` (the `KINDS` entry).
pub fn kind_label(kind: PolicyKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Policy", |(_, label)| label)
}

/// Every place a policy of `kind` can be attached in this world: (`prefix:name`, label).
pub fn attachment_options(doc: &Scenario, kind: PolicyKind) -> Vec<(String, String)> {
    let w = &doc.world;
    let mut out = Vec::new();
    for prefix in kind.attachment_targets() {
        let (names, what): (Vec<&str>, &str) = match *prefix {
            "role" => (w.roles.iter().map(|r| r.name.as_str()).collect(), "role"),
            "iam-user" => (
                w.iam_users.iter().map(|u| u.name.as_str()).collect(),
                "IAM user",
            ),
            "resource" => (
                w.resources.iter().map(|r| r.id.as_str()).collect(),
                "resource",
            ),
            "user" => (
                w.users.iter().map(|u| u.name.as_str()).collect(),
                "sessions of user",
            ),
            _ => (
                w.organization.iter().map(String::as_str).collect(),
                "organization",
            ),
        };
        out.extend(
            names
                .into_iter()
                .map(|n| (format!("{prefix}:{n}"), format!("{what} {n}"))),
        );
    }
    out
}

/// Where a new policy of `kind` is attached at first: where the selected request will meet
/// it (the selected user's execution role, resource or sessions; the root of the
/// organization), so that it takes part in the decision at once.
fn default_attachment(doc: &Scenario, kind: PolicyKind) -> Vec<String> {
    let sel = &doc.selection;
    let role = doc
        .world
        .user(&sel.user)
        .and_then(|u| doc.world.execution_role_of(u))
        .map(|r| format!("role:{r}"));
    let target = match kind {
        PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Trust => role,
        PolicyKind::Resource => sel.resource.as_ref().map(|r| format!("resource:{r}")),
        PolicyKind::Session => Some(format!("user:{}", sel.user)),
        PolicyKind::Scp | PolicyKind::Rcp => {
            doc.world.organization.first().map(|o| format!("org:{o}"))
        }
    };
    let options = attachment_options(doc, kind);
    target
        .filter(|t| options.iter().any(|(v, _)| v == t))
        .into_iter()
        .collect()
}

/// The starting text of a new policy of `kind`: one valid statement to edit. Guardrails
/// (SCP, RCP, boundary, session policy) start as AWS's full-access pattern, so adding one
/// changes no decision until it is narrowed; an identity or resource policy allows the
/// selected action, so its effect shows at once; a trust policy lets SageMaker assume the role.
fn skeleton(kind: PolicyKind, doc: &Scenario) -> String {
    let w = &doc.world;
    let root = format!("arn:{}:iam::{}:root", w.partition, w.account);
    let action = doc.selection.action.as_str();
    let (principal, action) = match kind {
        PolicyKind::Identity => (String::new(), action),
        PolicyKind::Resource => (format!("\"Principal\": {{\"AWS\": \"{root}\"}}, "), action),
        PolicyKind::Trust => (
            "\"Principal\": {\"Service\": \"sagemaker.amazonaws.com\"}, ".to_owned(),
            "sts:AssumeRole",
        ),
        PolicyKind::Rcp => ("\"Principal\": \"*\", ".to_owned(), "*"),
        PolicyKind::Scp | PolicyKind::Boundary | PolicyKind::Session => (String::new(), "*"),
    };
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"NewStatement\",\n      \"Effect\": \"Allow\",\n      {principal}\"Action\": \"{action}\",\n      \"Resource\": \"*\"\n    }}\n  ]\n}}\n"
    )
}

/// Adds a new policy of `kind` (see [`skeleton`]) and returns its index. Its name is unique.
pub fn new_policy(doc: &mut Scenario, kind: PolicyKind) -> usize {
    let base = new_name(kind).to_owned();
    let mut name = base.clone();
    let mut n = 1;
    while doc.policies.iter().any(|p| p.name == name) {
        n += 1;
        name = format!("{base} {n}");
    }
    let attached_to = default_attachment(doc, kind);
    crate::doc::add_policy(
        doc,
        crate::doc::NewPolicy {
            name,
            kind,
            text: skeleton(kind, doc),
            attached_to,
        },
    )
}

/// Renames policy `index`; the name must be non-empty and not another policy's.
pub fn rename_policy(doc: &mut Scenario, index: usize, name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("a policy needs a name".to_owned());
    }
    if doc
        .policies
        .iter()
        .enumerate()
        .any(|(i, p)| i != index && p.name == name)
    {
        return Err(format!("another policy is already called `{name}`"));
    }
    let p = policy_mut(doc, index)?;
    p.name = name.to_owned();
    Ok(())
}

/// Deletes policy `index` and returns its name. The policy a challenge's worked solution
/// replaces cannot be deleted (the challenge could not be solved any more).
pub fn delete_policy(doc: &mut Scenario, index: usize) -> Result<String, String> {
    let id = policy_mut(doc, index)?.id.clone();
    let solution_policy = doc
        .challenge
        .as_ref()
        .and_then(|c| c.solution.as_ref())
        .map(|s| s.policy.as_str());
    if solution_policy == Some(id.as_str()) {
        return Err("this challenge is solved by editing this policy: it cannot be deleted (detach it instead to see what it does)".to_owned());
    }
    if index >= doc.policies.len() {
        return Err(no_policy(index));
    }
    let removed = doc.policies.remove(index);
    if doc.view.policy.as_deref() == Some(id.as_str()) {
        doc.view.policy = None;
    }
    Ok(removed.name)
}

/// Sets where policy `index` is attached (`prefix:name` each); refused when a target does
/// not fit its kind or does not exist.
pub fn set_attachments(
    doc: &mut Scenario,
    index: usize,
    targets: Vec<String>,
) -> Result<(), String> {
    let kind = policy_mut(doc, index)?.kind;
    let options = attachment_options(doc, kind);
    if let Some(bad) = targets
        .iter()
        .find(|t| !options.iter().any(|(v, _)| v == *t))
    {
        return Err(format!(
            "`{bad}` cannot hold this policy ({}): it is not in the world, or holds another kind",
            kind_label(kind)
        ));
    }
    policy_mut(doc, index)?.attached_to = targets;
    Ok(())
}

fn no_policy(index: usize) -> String {
    format!("there is no policy number {}", index + 1)
}

fn policy_mut(doc: &mut Scenario, index: usize) -> Result<&mut PolicyEntry, String> {
    doc.policies.get_mut(index).ok_or_else(|| no_policy(index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::evaluate::Workspace;
    use abacus_studio::scenario::{default_scenario, Challenge, ChallengeSolution};

    fn valid(doc: &Scenario) {
        if let Err(e) = Scenario::from_json(&doc.to_json_pretty()) {
            panic!("the edit broke the document: {e}");
        }
    }

    #[test]
    fn a_new_policy_of_every_kind_is_valid_named_and_attached_where_the_request_meets_it() {
        let mut d = default_scenario();
        for (kind, _) in KINDS {
            let i = new_policy(&mut d, kind);
            let p = &d.policies[i];
            assert_eq!(p.kind, kind);
            assert!(p.name.starts_with("New "), "{}", p.name);
            valid(&d);
        }
        let names: Vec<&str> = d.policies.iter().map(|p| p.name.as_str()).collect();
        let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        let identity = new_policy(&mut d, PolicyKind::Identity);
        assert_eq!(d.policies[identity].name, "New identity policy 2");
        let role = d
            .world
            .user(&d.selection.user)
            .and_then(|u| d.world.execution_role_of(u))
            .unwrap()
            .to_owned();
        assert_eq!(d.policies[identity].attached_to, [format!("role:{role}")]);
    }

    #[test]
    fn new_policies_are_clean_and_only_identity_and_resource_ones_change_the_decision() {
        let base = default_scenario();
        let before = Workspace::new(&base).decide(&base.selection).unwrap();
        for (kind, _) in KINDS {
            let mut d = base.clone();
            let i = new_policy(&mut d, kind);
            let id = d.policies[i].id.clone();
            let errors: Vec<String> = abacus_templates::lint::lint_scenario(&d)
                .into_iter()
                .filter(|(p, diag)| *p == id && diag.severity == abacus_policy::Severity::Error)
                .map(|(_, diag)| diag.message)
                .collect();
            assert_eq!(errors, Vec::<String>::new(), "{kind:?}");
            let after = Workspace::new(&d).decide(&d.selection).unwrap();
            match kind {
                PolicyKind::Identity => {
                    assert_eq!(after, abacus_policy::Decision::Allow, "it allows the call")
                }
                PolicyKind::Scp
                | PolicyKind::Rcp
                | PolicyKind::Boundary
                | PolicyKind::Session
                | PolicyKind::Trust => assert_eq!(after, before, "{kind:?} changes nothing"),
                PolicyKind::Resource => {}
            }
        }
    }

    #[test]
    fn rename_delete_and_attach_are_checked() {
        let mut d = default_scenario();
        let first = d.policies[0].name.clone();
        assert!(rename_policy(&mut d, 1, &first)
            .unwrap_err()
            .contains("already"));
        assert!(rename_policy(&mut d, 1, "  ").is_err());
        rename_policy(&mut d, 1, "  Mine ").unwrap();
        assert_eq!(d.policies[1].name, "Mine");

        let kind = d.policies[0].kind;
        let options = attachment_options(&d, kind);
        assert!(!options.is_empty());
        set_attachments(&mut d, 0, Vec::new()).unwrap();
        assert!(d.policies[0].attached_to.is_empty());
        set_attachments(&mut d, 0, vec![options[0].0.clone()]).unwrap();
        assert!(set_attachments(&mut d, 0, vec!["org:nowhere".into()])
            .unwrap_err()
            .contains("`org:nowhere`"));
        valid(&d);

        d.view.policy = Some(d.policies[1].id.clone());
        let n = d.policies.len();
        assert_eq!(delete_policy(&mut d, 1).unwrap(), "Mine");
        assert_eq!(d.policies.len(), n - 1);
        assert_eq!(d.view.policy, None);
        assert!(delete_policy(&mut d, 99).is_err());
        valid(&d);
    }

    #[test]
    fn the_policy_a_challenge_solution_replaces_is_kept() {
        let mut d = default_scenario();
        d.challenge = Some(Challenge {
            id: "c".into(),
            title: "t".into(),
            hint: String::new(),
            solution: Some(ChallengeSolution {
                policy: d.policies[0].id.clone(),
                text: "{}".into(),
                explanation: String::new(),
            }),
            more_hints: Vec::new(),
            solution_shown: false,
        });
        assert!(delete_policy(&mut d, 0).unwrap_err().contains("solved by"));
        valid(&d);
    }
}
