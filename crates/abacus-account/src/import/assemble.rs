//! From what the exports say ([`Collected`]) to a scenario: the world (account, Region,
//! organization levels, domains, profiles, roles, IAM users, resources) and its policies with
//! their attachments. Whatever the exports leave open is decided here and said in a note;
//! nothing is filled in silently.

use super::collect::{arn_name, arn_parts, Collected, ForSubject};
use super::error::ImportError;
use super::{ImportNote, OtherVersion};
use abacus_studio::model::{
    Authentication, Domain, ExecutionRoleIdentityConfig, IamUser, Resource, Role, Tags,
    UserProfile, World,
};
use abacus_studio::scenario::{PolicyEntry, PolicyKind, Scenario, Selection, CURRENT_VERSION};
use std::collections::{BTreeMap, BTreeSet};

/// The scenario, its notes and the managed policies' other versions.
pub(crate) struct Assembled {
    pub(crate) scenario: Scenario,
    pub(crate) notes: Vec<ImportNote>,
    pub(crate) other_versions: Vec<OtherVersion>,
}

fn tags(list: &[(String, String)]) -> Tags {
    list.iter().cloned().collect()
}

/// Builds the scenario.
pub(crate) fn assemble(c: Collected) -> Result<Assembled, Vec<ImportError>> {
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let note = |notes: &mut Vec<ImportNote>, m: String| notes.push(ImportNote { message: m });
    let Some((partition, account, _)) = c.account.clone() else {
        return Err(vec![ImportError {
            file: String::new(),
            path: "$".to_owned(),
            line: None,
            column: None,
            message: "no file names the account (no IAM, SageMaker or Secrets Manager ARN)"
                .to_owned(),
            help: "add the output of `aws iam get-account-authorization-details`".to_owned(),
        }]);
    };
    let region = match c.region.clone() {
        Some(r) => r,
        None => {
            note(
                &mut notes,
                "no export names a Region (no SageMaker or Secrets Manager ARN): the world's Region is us-east-1; change it in the World editor".to_owned(),
            );
            "us-east-1".to_owned()
        }
    };

    let mut policies: Vec<PolicyEntry> = Vec::new();
    let mut ids = BTreeSet::new();
    let mut add = |policies: &mut Vec<PolicyEntry>, mut p: PolicyEntry| {
        let mut id = p.id.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{}-{n}", p.id);
            n += 1;
        }
        p.id = id;
        policies.push(p);
    };

    // managed policies, by ARN: one identity entry each, attached below
    let mut managed_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut other_versions = Vec::new();
    for m in &c.managed {
        managed_index.insert(m.arn.clone(), policies.len());
        add(
            &mut policies,
            PolicyEntry {
                id: format!("managed-{}", m.name),
                name: m.name.clone(),
                kind: PolicyKind::Identity,
                text: m.default_text.as_str().into(),
                attached_to: Vec::new(),
                arn: Some(m.arn.clone()),
            },
        );
        for (version, text) in &m.other_versions {
            other_versions.push(OtherVersion {
                policy_arn: m.arn.clone(),
                version: version.clone(),
                default_version: m.default_version.clone(),
                text: text.clone(),
            });
        }
    }
    let attach_managed = |policies: &mut Vec<PolicyEntry>,
                          notes: &mut Vec<ImportNote>,
                          arn: &str,
                          target: &str| {
        match managed_index.get(arn).and_then(|i| policies.get_mut(*i)) {
                Some(p) => {
                    if !p.attached_to.iter().any(|t| t == target) {
                        p.attached_to.push(target.to_owned());
                    }
                }
                None => notes.push(ImportNote {
                    message: format!(
                        "`{target}` has the managed policy {arn} attached, but no export holds its document: it is not simulated (add it with `aws iam get-account-authorization-details`, which lists every policy in use)"
                    ),
                }),
            }
    };
    let boundary_of = |arn: &str| c.managed.iter().find(|m| m.arn == arn);

    let mut world_roles = Vec::new();
    for r in &c.roles {
        let target = format!("role:{}", r.name);
        world_roles.push(Role {
            name: r.name.clone(),
            path: r.path.clone(),
            tags: tags(&r.tags),
            persona: String::new(),
        });
        if let Some(t) = &r.trust {
            add(
                &mut policies,
                PolicyEntry {
                    id: format!("trust-{}", r.name),
                    name: format!("{} trust policy", r.name),
                    kind: PolicyKind::Trust,
                    text: t.as_str().into(),
                    attached_to: vec![target.clone()],
                    arn: None,
                },
            );
        }
        for i in &r.inline {
            add(&mut policies, inline_entry(&r.name, i, &target));
        }
        for arn in &r.managed {
            attach_managed(&mut policies, &mut notes, arn, &target);
        }
        if let Some(b) = &r.boundary {
            boundary_entry(
                &mut policies,
                &mut add,
                &mut notes,
                boundary_of(b),
                b,
                &target,
            );
        }
    }
    let mut world_users = Vec::new();
    for u in &c.users {
        let target = format!("iam-user:{}", u.name);
        world_users.push(IamUser {
            name: u.name.clone(),
            tags: tags(&u.tags),
        });
        for i in &u.inline {
            add(&mut policies, inline_entry(&u.name, i, &target));
        }
        for arn in &u.managed {
            attach_managed(&mut policies, &mut notes, arn, &target);
        }
        // a group's policies are the member's identity policies
        for g in &u.groups {
            let Some(group) = c.groups.iter().find(|x| &x.name == g) else {
                note(
                    &mut notes,
                    format!("IAM user {} is in group {g}, which no export describes: its policies are not simulated", u.name),
                );
                continue;
            };
            for arn in &group.managed {
                attach_managed(&mut policies, &mut notes, arn, &target);
            }
        }
        if let Some(b) = &u.boundary {
            boundary_entry(
                &mut policies,
                &mut add,
                &mut notes,
                boundary_of(b),
                b,
                &target,
            );
        }
    }
    for g in &c.groups {
        let members: Vec<String> = c
            .users
            .iter()
            .filter(|u| u.groups.contains(&g.name))
            .map(|u| format!("iam-user:{}", u.name))
            .collect();
        for i in &g.inline {
            add(
                &mut policies,
                PolicyEntry {
                    id: format!("group-{}-{}", g.name, i.name),
                    name: format!("{} (group {})", i.name, g.name),
                    kind: PolicyKind::Identity,
                    text: i.text.as_str().into(),
                    attached_to: members.clone(),
                    arn: None,
                },
            );
        }
    }

    // SageMaker: domains, profiles and the roles they name
    let role_named = |arn: &Option<String>| arn.as_deref().and_then(arn_name).map(str::to_owned);
    let ensure_role = |roles: &mut Vec<Role>, notes: &mut Vec<ImportNote>, name: &str, by: &str| {
        if !roles.iter().any(|r| r.name == name) {
            notes.push(ImportNote {
                message: format!(
                    "role {name}, the execution role of {by}, is in no IAM export: it is added without policies (add `aws iam get-account-authorization-details`)"
                ),
            });
            roles.push(Role {
                name: name.to_owned(),
                path: "/".to_owned(),
                tags: Tags::new(),
                persona: String::new(),
            });
        }
    };
    let mut domains = Vec::new();
    let mut resources = Vec::new();
    for d in &c.domains {
        let Some(default_role) = role_named(&d.default_role_arn) else {
            errors.push(ImportError {
                file: String::new(),
                path: "$.DefaultUserSettings.ExecutionRole".to_owned(),
                line: None,
                column: None,
                message: format!("domain {} has no default execution role", d.id),
                help: "export it again with `aws sagemaker describe-domain`".to_owned(),
            });
            continue;
        };
        ensure_role(
            &mut world_roles,
            &mut notes,
            &default_role,
            &format!("domain {}", d.id),
        );
        let domain_tags = subject_tags(&c.sagemaker_tags, &d.id);
        resources.push(Resource {
            id: format!("domain-{}", d.id),
            resource_type: "domain".to_owned(),
            name: d.id.clone(),
            owner: None,
            created_in_studio: false,
            tags: domain_tags.clone(),
            kms_key: None,
        });
        domains.push(Domain {
            id: d.id.clone(),
            name: d.name.clone(),
            execution_role_identity_config: if d.source_identity {
                ExecutionRoleIdentityConfig::UserProfileName
            } else {
                ExecutionRoleIdentityConfig::Disabled
            },
            trusted_identity_propagation: d.trusted_identity_propagation,
            default_execution_role: default_role,
            tags: domain_tags,
        });
    }
    let mut profiles = Vec::new();
    for p in &c.profiles {
        let Some(domain) = c.domains.iter().find(|d| d.id == p.domain) else {
            errors.push(ImportError {
                file: String::new(),
                path: "$.DomainId".to_owned(),
                line: None,
                column: None,
                message: format!(
                    "user profile {} is in domain {}, which no export describes",
                    p.name, p.domain
                ),
                help: format!(
                    "add the output of `aws sagemaker describe-domain --domain-id {}`",
                    p.domain
                ),
            });
            continue;
        };
        let execution_role = role_named(&p.role_arn);
        if let Some(r) = &execution_role {
            ensure_role(
                &mut world_roles,
                &mut notes,
                r,
                &format!("user profile {}", p.name),
            );
        }
        let auth = if domain.auth_mode == "SSO" {
            let user = p.sso_user.clone().unwrap_or_else(|| p.name.clone());
            note(
                &mut notes,
                format!("user profile {}: the exports do not hold the IAM Identity Center user id; the user name `{user}` stands for it", p.name),
            );
            Authentication::IdentityCenter {
                user_id: user.clone(),
                user_name: user,
                groups: Vec::new(),
                permission_set_role: None,
            }
        } else {
            if !world_users.iter().any(|u| u.name == p.name) {
                note(
                    &mut notes,
                    format!("user profile {}: how the person signs in to AWS is not in the exports (domain {} uses IAM authentication); an IAM user {} without policies stands for it, change it in the World editor", p.name, domain.id, p.name),
                );
                world_users.push(IamUser {
                    name: p.name.clone(),
                    tags: Tags::new(),
                });
            }
            Authentication::IamUser {
                user_name: p.name.clone(),
            }
        };
        let profile_tags = subject_tags(&c.sagemaker_tags, &p.name);
        resources.push(Resource {
            id: format!("profile-{}", p.name),
            resource_type: "user-profile".to_owned(),
            name: p.name.clone(),
            owner: Some(p.name.clone()),
            created_in_studio: false,
            tags: profile_tags.clone(),
            kms_key: None,
        });
        profiles.push(UserProfile {
            name: p.name.clone(),
            domain: p.domain.clone(),
            tags: profile_tags,
            execution_role,
            auth,
        });
    }
    for t in &c.sagemaker_tags {
        let known = c.domains.iter().any(|d| d.id == t.subject)
            || c.profiles.iter().any(|p| p.name == t.subject);
        if !known {
            errors.push(unmatched(
                t,
                "a domain id or a user profile name of the SageMaker exports",
            ));
        }
    }

    // S3 buckets and secrets
    let mut buckets: BTreeSet<&str> = BTreeSet::new();
    buckets.extend(c.bucket_policies.iter().map(|b| b.subject.as_str()));
    buckets.extend(c.bucket_tags.iter().map(|b| b.subject.as_str()));
    for b in buckets {
        let id = format!("s3-{b}");
        resources.push(Resource {
            id: id.clone(),
            resource_type: "s3-bucket".to_owned(),
            name: b.to_owned(),
            owner: None,
            created_in_studio: false,
            tags: subject_tags(&c.bucket_tags, b),
            kms_key: None,
        });
        for p in c.bucket_policies.iter().filter(|p| p.subject == b) {
            add(
                &mut policies,
                PolicyEntry {
                    id: format!("bucket-{b}"),
                    name: format!("{b} bucket policy"),
                    kind: PolicyKind::Resource,
                    text: p.value.as_str().into(),
                    attached_to: vec![format!("resource:{id}")],
                    arn: None,
                },
            );
        }
    }
    for s in &c.secrets {
        let name = arn_parts(&s.arn)
            .and_then(|p| p.4.strip_prefix("secret:"))
            .unwrap_or(&s.arn)
            .to_owned();
        let id = format!("secret-{name}");
        resources.push(Resource {
            id: id.clone(),
            resource_type: "secret".to_owned(),
            name: name.clone(),
            owner: None,
            created_in_studio: false,
            tags: tags(&s.tags),
            kms_key: None,
        });
        if let Some(text) = &s.policy {
            add(
                &mut policies,
                PolicyEntry {
                    id: format!("secret-policy-{name}"),
                    name: format!("{name} resource policy"),
                    kind: PolicyKind::Resource,
                    text: text.as_str().into(),
                    attached_to: vec![format!("resource:{id}")],
                    arn: None,
                },
            );
        }
    }

    // Organizations: each policy on the levels its targets name
    let mut organization: Vec<String> = Vec::new();
    for p in &c.org_policies {
        let targets: Vec<&ForSubject<Vec<(String, String)>>> = c
            .org_targets
            .iter()
            .filter(|t| t.subject == p.id || t.subject == p.name)
            .collect();
        let mut attached = Vec::new();
        for t in &targets {
            for (kind, name) in &t.value {
                if kind == "ACCOUNT" && name != &account {
                    continue; // another account's attachment
                }
                if !organization.contains(name) {
                    organization.push(name.clone());
                }
                attached.push(format!("org:{name}"));
            }
        }
        if targets.is_empty() {
            note(
                &mut notes,
                format!("{} {} has no targets in the exports (`aws organizations list-targets-for-policy --policy-id {}` saved as `…@{}.json`): it is not attached", if p.rcp { "RCP" } else { "SCP" }, p.name, p.id, p.id),
            );
        }
        add(
            &mut policies,
            PolicyEntry {
                id: format!("{}-{}", if p.rcp { "rcp" } else { "scp" }, p.id),
                name: p.name.clone(),
                kind: if p.rcp {
                    PolicyKind::Rcp
                } else {
                    PolicyKind::Scp
                },
                text: p.text.as_str().into(),
                attached_to: attached,
                arn: Some(p.arn.clone()),
            },
        );
    }
    for t in &c.org_targets {
        if !c
            .org_policies
            .iter()
            .any(|p| p.id == t.subject || p.name == t.subject)
        {
            errors.push(unmatched(
                t,
                "the id or name of a policy of an `aws organizations describe-policy` export",
            ));
        }
    }
    // roots first, then organizational units, then the account
    let rank = |name: &String| {
        c.org_targets
            .iter()
            .flat_map(|t| t.value.iter())
            .find(|(_, n)| n == name)
            .map(|(k, _)| match k.as_str() {
                "ROOT" => 0,
                "ORGANIZATIONAL_UNIT" => 1,
                _ => 2,
            })
            .unwrap_or(2)
    };
    organization.sort_by_key(|n| rank(n));
    if organization.iter().any(|l| rank(l) == 1) {
        note(
            &mut notes,
            "the exports do not say which organizational units hold the account: every targeted unit is taken as one of its parents; remove the others from the World's organization".to_owned(),
        );
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(first) = profiles.first() else {
        return Err(vec![ImportError {
            file: String::new(),
            path: "$".to_owned(),
            line: None,
            column: None,
            message: "no SageMaker user profile in the exports: a scenario simulates a Studio user's calls".to_owned(),
            help: "add the output of `aws sagemaker describe-domain` and `aws sagemaker list-user-profiles` (or `describe-user-profile`)".to_owned(),
        }]);
    };
    let selection = Selection {
        user: first.name.clone(),
        action: "sagemaker:DescribeUserProfile".to_owned(),
        resource: Some(format!("profile-{}", first.name)),
        resource_arn: None,
        route: Default::default(),
        parameters: Default::default(),
    };
    // the simulation's own settings (clock, id seed, source addresses) are the defaults;
    // everything about the account comes from the exports
    let defaults =
        std::sync::Arc::unwrap_or_clone(abacus_studio::scenario::default_scenario().world);
    let world = World {
        account,
        partition,
        region,
        clock: defaults.clock,
        id_seed: 0,
        source_ips: defaults.source_ips,
        identity_store_id: None,
        organization,
        domains,
        users: profiles,
        roles: world_roles,
        iam_users: world_users,
        resources,
        space_sharing_types: Default::default(),
        lookup: Default::default(),
    };
    // a managed policy used only as a permissions boundary is listed once, as the boundary
    let boundaries: Vec<String> = policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Boundary)
        .filter_map(|p| p.arn.clone())
        .collect();
    policies.retain(|p| {
        !(p.kind == PolicyKind::Identity
            && p.attached_to.is_empty()
            && p.arn.as_ref().is_some_and(|a| boundaries.contains(a)))
    });
    let matrix = abacus_studio::scenario::MatrixSpec {
        actions: matrix_actions(&policies),
        users: Vec::new(),
        route: None,
    };
    let scenario = Scenario {
        version: CURRENT_VERSION,
        name: format!("Imported account {}", world.account),
        description: "Imported from AWS CLI exports.".to_owned(),
        source: "import".to_owned(),
        world: std::sync::Arc::new(world),
        policies,
        selection,
        expectations: Vec::new(),
        matrix,
        challenge: None,
        view: Default::default(),
        made_with: None,
    };
    Ok(Assembled {
        scenario,
        notes,
        other_versions,
    })
}

/// The access matrix's columns for an imported account: the actions its identity policies
/// (attached) allow by name (no wildcards), that the simulator knows, in policy order, at most
/// [`MATRIX_COLUMNS`]; `sagemaker:DescribeUserProfile` when there are none.
fn matrix_actions(policies: &[PolicyEntry]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Identity && !p.attached_to.is_empty())
    {
        let parsed = abacus_policy::parse::parse_policy(&p.text);
        let Some(policy) = parsed.policy else {
            continue;
        };
        for st in &policy.statements {
            let allows = st
                .effect
                .as_ref()
                .is_some_and(|e| e.value == abacus_policy::ast::Effect::Allow);
            let Some(list) = st.action.as_ref().filter(|_| allows) else {
                continue;
            };
            for a in &list.items {
                let text = &a.value.text;
                if text.contains(['*', '?'])
                    || out.iter().any(|o| o.eq_ignore_ascii_case(text))
                    || abacus_studio::actions::spec(text).is_none()
                {
                    continue;
                }
                if out.len() < MATRIX_COLUMNS {
                    out.push(text.clone());
                }
            }
        }
    }
    if out.is_empty() {
        out.push("sagemaker:DescribeUserProfile".to_owned());
    }
    out
}

/// Columns of an imported account's access matrix, at most.
const MATRIX_COLUMNS: usize = 12;

/// The inline policy `policy` of the role or IAM user `owner`, attached to `target`.
fn inline_entry(owner: &str, policy: &super::collect::Inline, target: &str) -> PolicyEntry {
    PolicyEntry {
        id: format!("inline-{owner}-{}", policy.name),
        name: policy.name.clone(),
        kind: PolicyKind::Identity,
        text: policy.text.as_str().into(),
        attached_to: vec![target.to_owned()],
        arn: None,
    }
}

/// A boundary: the managed policy's document as a boundary entry on `target`.
fn boundary_entry(
    policies: &mut Vec<PolicyEntry>,
    add: &mut impl FnMut(&mut Vec<PolicyEntry>, PolicyEntry),
    notes: &mut Vec<ImportNote>,
    managed: Option<&super::collect::ManagedRec>,
    arn: &str,
    target: &str,
) {
    let Some(m) = managed else {
        notes.push(ImportNote {
            message: format!("`{target}` has the permissions boundary {arn}, but no export holds its document: the boundary is not simulated"),
        });
        return;
    };
    match policies
        .iter_mut()
        .find(|p| p.kind == PolicyKind::Boundary && p.arn.as_deref() == Some(arn))
    {
        Some(p) => p.attached_to.push(target.to_owned()),
        None => add(
            policies,
            PolicyEntry {
                id: format!("boundary-{}", m.name),
                name: format!("{} (boundary)", m.name),
                kind: PolicyKind::Boundary,
                text: m.default_text.as_str().into(),
                attached_to: vec![target.to_owned()],
                arn: Some(arn.to_owned()),
            },
        ),
    }
}

/// The tags the files name `subject` give.
fn subject_tags(list: &[ForSubject<Vec<(String, String)>>], subject: &str) -> Tags {
    list.iter()
        .filter(|t| t.subject == subject)
        .flat_map(|t| t.value.iter().cloned())
        .collect()
}

fn unmatched<T>(t: &ForSubject<T>, what: &str) -> ImportError {
    ImportError {
        file: t.file.clone(),
        path: "$".to_owned(),
        line: None,
        column: None,
        message: format!("the file name names `{}`, which is not {what}", t.subject),
        help: "name the file `…@SUBJECT.json` after what the command was run for".to_owned(),
    }
}
