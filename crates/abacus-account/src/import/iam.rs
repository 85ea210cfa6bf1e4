//! `aws iam get-account-authorization-details`: users (groups, inline and attached managed
//! policies, permissions boundary, tags), groups, roles (trust policy, inline and attached
//! policies, boundary, tags, path) and managed policies (the default version's document, and
//! the other versions). Member names as in the IAM API Reference, "GetAccountAuthorizationDetails".

use super::collect::{Collected, GroupRec, Inline, ManagedRec, RoleRec, UserRec};
use super::documents::policy_text;
use super::error::{ImportError, Reporter};
use super::node::{Node, REEXPORT};

/// Reads one file into `out`.
pub(crate) fn read(
    root: &Node<'_>,
    source: &str,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    if root.opt_bool(report, "IsTruncated")? == Some(true) {
        return Err(root.error(
            report,
            "this is one page of a longer answer (`IsTruncated` is true)",
            "run the command without `--max-items` (the AWS CLI then fetches every page), or import every page",
        ));
    }
    for u in root.list(report, "UserDetailList")? {
        let arn = u.need_str(report, "Arn")?;
        out.saw_arn_at(&u, arn, report)?;
        let mut groups = Vec::new();
        for g in u.list(report, "GroupList")? {
            groups.push(g.str(report)?.to_owned());
        }
        out.users.push(UserRec {
            name: u.need_str(report, "UserName")?.to_owned(),
            tags: u.tags(report, "Tags")?,
            groups,
            inline: inline(&u, "UserPolicyList", source, report)?,
            managed: attached(&u, report)?,
            boundary: boundary(&u, report)?,
        });
    }
    for g in root.list(report, "GroupDetailList")? {
        out.saw_arn_at(&g, g.need_str(report, "Arn")?, report)?;
        out.groups.push(GroupRec {
            name: g.need_str(report, "GroupName")?.to_owned(),
            inline: inline(&g, "GroupPolicyList", source, report)?,
            managed: attached(&g, report)?,
        });
    }
    for r in root.list(report, "RoleDetailList")? {
        out.saw_arn_at(&r, r.need_str(report, "Arn")?, report)?;
        let trust = match r.get("AssumeRolePolicyDocument") {
            Some(d) => Some(policy_text(&d, source, report)?),
            None => None,
        };
        out.roles.push(RoleRec {
            name: r.need_str(report, "RoleName")?.to_owned(),
            path: r.opt_str(report, "Path")?.unwrap_or("/").to_owned(),
            tags: r.tags(report, "Tags")?,
            trust,
            inline: inline(&r, "RolePolicyList", source, report)?,
            managed: attached(&r, report)?,
            boundary: boundary(&r, report)?,
        });
    }
    for p in root.list(report, "Policies")? {
        let arn = p.need_str(report, "Arn")?;
        out.saw_arn_at(&p, arn, report)?;
        let default_version = p.need_str(report, "DefaultVersionId")?;
        let mut default_text = None;
        let mut others = Vec::new();
        for v in p.list(report, "PolicyVersionList")? {
            let id = v.need_str(report, "VersionId")?;
            let text = policy_text(&v.need(report, "Document")?, source, report)?;
            let is_default = v.opt_bool(report, "IsDefaultVersion")?.unwrap_or(false);
            if is_default || id == default_version {
                default_text = Some(text);
            } else {
                others.push((id.to_owned(), text));
            }
        }
        let Some(default_text) = default_text else {
            return Err(p.error(
                report,
                format!("the default version {default_version} is not in `PolicyVersionList`"),
                REEXPORT,
            ));
        };
        out.managed.push(ManagedRec {
            name: p.need_str(report, "PolicyName")?.to_owned(),
            arn: arn.to_owned(),
            default_text,
            default_version: default_version.to_owned(),
            other_versions: others,
        });
    }
    Ok(())
}

/// The inline policies of list `key` (`[{"PolicyName", "PolicyDocument"}]`).
fn inline(
    n: &Node<'_>,
    key: &str,
    source: &str,
    report: &Reporter<'_>,
) -> Result<Vec<Inline>, Box<ImportError>> {
    let mut out = Vec::new();
    for p in n.list(report, key)? {
        out.push(Inline {
            name: p.need_str(report, "PolicyName")?.to_owned(),
            text: policy_text(&p.need(report, "PolicyDocument")?, source, report)?,
        });
    }
    Ok(out)
}

/// The ARNs of `AttachedManagedPolicies`.
fn attached(n: &Node<'_>, report: &Reporter<'_>) -> Result<Vec<String>, Box<ImportError>> {
    let mut out = Vec::new();
    for p in n.list(report, "AttachedManagedPolicies")? {
        out.push(p.need_str(report, "PolicyArn")?.to_owned());
    }
    Ok(out)
}

/// `PermissionsBoundary.PermissionsBoundaryArn`.
fn boundary(n: &Node<'_>, report: &Reporter<'_>) -> Result<Option<String>, Box<ImportError>> {
    match n.get("PermissionsBoundary") {
        None => Ok(None),
        Some(b) => Ok(Some(
            b.need_str(report, "PermissionsBoundaryArn")?.to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Collected, Box<ImportError>> {
        super::super::collect::collect_from(text, read)
    }

    #[test]
    fn a_user_keeps_its_groups_policies_and_boundary() {
        // IAM API Reference, "UserDetail": GroupList, UserPolicyList, AttachedManagedPolicies,
        // PermissionsBoundary, Tags
        let c = read_text(r#"{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::444455556666:user/u", "GroupList": ["g"], "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": []}}], "AttachedManagedPolicies": [{"PolicyName": "m", "PolicyArn": "arn:aws:iam::444455556666:policy/m"}], "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::444455556666:policy/b"}, "Tags": [{"Key": "team", "Value": "red"}]}]}"#).unwrap();
        let u = &c.users[0];
        assert_eq!(
            (u.groups.as_slice(), u.inline.len()),
            (["g".to_owned()].as_slice(), 1)
        );
        assert_eq!(u.managed, ["arn:aws:iam::444455556666:policy/m"]);
        assert_eq!(
            u.boundary.as_deref(),
            Some("arn:aws:iam::444455556666:policy/b")
        );
        assert_eq!(
            c.account.as_ref().map(|a| a.1.as_str()),
            Some("444455556666")
        );
    }

    #[test]
    fn a_managed_policy_needs_its_default_version() {
        let e = read_text(r#"{"Policies": [{"PolicyName": "m", "Arn": "arn:aws:iam::444455556666:policy/m", "DefaultVersionId": "v3", "PolicyVersionList": [{"Document": {}, "VersionId": "v1", "IsDefaultVersion": false}]}]}"#).unwrap_err();
        assert_eq!(e.path, "$.Policies[0]");
        assert!(e.message.contains("v3"), "{e}");
        // AWS managed policies belong to no account
        let c = read_text(r#"{"Policies": [{"PolicyName": "A", "Arn": "arn:aws:iam::aws:policy/A", "DefaultVersionId": "v1", "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": []}, "VersionId": "v1", "IsDefaultVersion": true}]}]}"#).unwrap();
        assert!(c.account.is_none());
    }
}
