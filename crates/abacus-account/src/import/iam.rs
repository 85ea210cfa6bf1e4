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
    let account_seen = |out: &mut Collected, n: &Node<'_>, arn: &str| {
        out.saw_arn(arn, &format!("{} {}", report_file(report), n.path))
            .map_err(|m| n.error(report, m, "import the exports of one account at a time"))
    };
    for u in root.list(report, "UserDetailList")? {
        let arn = u.need_str(report, "Arn")?;
        account_seen(out, &u, arn)?;
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
        account_seen(out, &g, g.need_str(report, "Arn")?)?;
        out.groups.push(GroupRec {
            name: g.need_str(report, "GroupName")?.to_owned(),
            inline: inline(&g, "GroupPolicyList", source, report)?,
            managed: attached(&g, report)?,
        });
    }
    for r in root.list(report, "RoleDetailList")? {
        account_seen(out, &r, r.need_str(report, "Arn")?)?;
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
        account_seen(out, &p, arn)?;
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

fn report_file(report: &Reporter<'_>) -> String {
    report.file().to_owned()
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
