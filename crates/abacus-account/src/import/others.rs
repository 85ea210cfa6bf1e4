//! Organizations policies and their targets, S3 bucket policies and tags, Secrets Manager
//! resource policies and descriptions. Member names as in each service's API Reference:
//! Organizations "DescribePolicy" (`Policy.PolicySummary` with `Id`, `Arn`, `Name`, `Type`
//! `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`; `Policy.Content`) and
//! "ListTargetsForPolicy" (`Targets` with `TargetId`, `Name`, `Type`); Amazon S3
//! "GetBucketPolicy" (`Policy`) and "GetBucketTagging" (`TagSet`); Secrets Manager
//! "GetResourcePolicy" (`ARN`, `Name`, `ResourcePolicy`) and "DescribeSecret" (`ARN`,
//! `Name`, `Tags`).

use super::collect::{Collected, ForSubject, OrgPolicyRec, SecretRec};
use super::documents::policy_text;
use super::error::{ImportError, Reporter};
use super::node::{Node, REEXPORT};

/// `organizations describe-policy`.
pub(crate) fn org_policy(
    root: &Node<'_>,
    source: &str,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    let policy = root.need(report, "Policy")?;
    let summary = policy.need(report, "PolicySummary")?;
    let kind = summary.need(report, "Type")?;
    let rcp = match kind.str(report)? {
        "SERVICE_CONTROL_POLICY" => false,
        "RESOURCE_CONTROL_POLICY" => true,
        other => {
            return Err(kind.error(
                report,
                format!("a `{other}` is not an authorization policy"),
                "import service control policies and resource control policies only",
            ))
        }
    };
    out.org_policies.push(OrgPolicyRec {
        id: summary.need_str(report, "Id")?.to_owned(),
        arn: summary.need_str(report, "Arn")?.to_owned(),
        name: summary.need_str(report, "Name")?.to_owned(),
        rcp,
        text: policy_text(&policy.need(report, "Content")?, source, report)?,
    });
    Ok(())
}

/// `organizations list-targets-for-policy`, for the policy `subject` names.
pub(crate) fn org_targets(
    root: &Node<'_>,
    subject: &str,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    let mut targets = Vec::new();
    for t in root.list(report, "Targets")? {
        let kind = t.need_str(report, "Type")?.to_owned();
        let name = match t.opt_str(report, "Name")? {
            Some(n) if !n.is_empty() => n.to_owned(),
            _ => t.need_str(report, "TargetId")?.to_owned(),
        };
        let id = t.need_str(report, "TargetId")?.to_owned();
        // an account target is named by its id: that is what the world's levels hold
        targets.push((kind.clone(), if kind == "ACCOUNT" { id } else { name }));
    }
    out.org_targets.push(ForSubject {
        file: report.file().to_owned(),
        subject: subject.to_owned(),
        value: targets,
    });
    Ok(())
}

/// `s3api get-bucket-policy`, for the bucket `subject` names.
pub(crate) fn bucket_policy(
    root: &Node<'_>,
    subject: &str,
    source: &str,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    let text = policy_text(&root.need(report, "Policy")?, source, report)?;
    out.bucket_policies.push(ForSubject {
        file: report.file().to_owned(),
        subject: subject.to_owned(),
        value: text,
    });
    Ok(())
}

/// `s3api get-bucket-tagging`, for the bucket `subject` names.
pub(crate) fn bucket_tagging(
    root: &Node<'_>,
    subject: &str,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    out.bucket_tags.push(ForSubject {
        file: report.file().to_owned(),
        subject: subject.to_owned(),
        value: root.tags(report, "TagSet")?,
    });
    Ok(())
}

/// `sagemaker list-tags`, for the domain or profile `subject` names.
pub(crate) fn sagemaker_tags(
    root: &Node<'_>,
    subject: &str,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    if root.opt_str(report, "NextToken")?.is_some() {
        return Err(root.error(
            report,
            "this is one page of a longer list (`NextToken` is set)",
            "run the command without `--max-items`, or import every page",
        ));
    }
    out.sagemaker_tags.push(ForSubject {
        file: report.file().to_owned(),
        subject: subject.to_owned(),
        value: root.tags(report, "Tags")?,
    });
    Ok(())
}

/// `secretsmanager get-resource-policy` or `describe-secret`: one secret, completed by the
/// other file when both are given.
pub(crate) fn secret(
    root: &Node<'_>,
    source: &str,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    let arn_node = root.need(report, "ARN")?;
    let arn = arn_node.str(report)?;
    out.saw_arn(arn, &format!("{} {}", report.file(), arn_node.path))
        .map_err(|m| arn_node.error(report, m, "import the exports of one account at a time"))?;
    if super::collect::arn_parts(arn).map(|p| p.1) != Some("secretsmanager") {
        return Err(arn_node.error(report, "not a Secrets Manager secret ARN", REEXPORT));
    }
    let policy = match root.get("ResourcePolicy") {
        Some(p) => Some(policy_text(&p, source, report)?),
        None => None,
    };
    let tags = root.tags(report, "Tags")?;
    match out.secrets.iter_mut().find(|s| s.arn == arn) {
        Some(s) => {
            if policy.is_some() {
                s.policy = policy;
            }
            if !tags.is_empty() {
                s.tags = tags;
            }
        }
        None => out.secrets.push(SecretRec {
            arn: arn.to_owned(),
            tags,
            policy,
        }),
    }
    Ok(())
}
