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
    root.refuse_next_page(report)?;
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
    out.saw_arn_at(&arn_node, arn, report)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_policy::json::parse_json;

    use super::super::collect::collect_from as with;

    #[test]
    fn organizations_policies_are_scps_or_rcps() {
        // Organizations API Reference, "PolicySummary": Type
        let c = with(r#"{"Policy": {"PolicySummary": {"Id": "p-1", "Arn": "arn:aws:organizations::1:policy/o/resource_control_policy/p-1", "Name": "R", "Type": "RESOURCE_CONTROL_POLICY"}, "Content": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}}"#, org_policy).unwrap();
        assert!(c.org_policies[0].rcp);
        let e = with(r#"{"Policy": {"PolicySummary": {"Id": "p-2", "Arn": "a", "Name": "T", "Type": "TAG_POLICY"}, "Content": "{}"}}"#, org_policy).unwrap_err();
        assert_eq!(e.path, "$.Policy.PolicySummary.Type");
        let c = with(r#"{"Targets": [{"TargetId": "444455556666", "Name": "dev", "Type": "ACCOUNT"}, {"TargetId": "ou-1", "Name": "ML", "Type": "ORGANIZATIONAL_UNIT"}]}"#, |n, _, r, o| org_targets(n, "p-1", r, o)).unwrap();
        let t = &c.org_targets[0].value;
        assert_eq!(
            t[0],
            ("ACCOUNT".to_owned(), "444455556666".to_owned()),
            "an account by its id"
        );
        assert_eq!(t[1], ("ORGANIZATIONAL_UNIT".to_owned(), "ML".to_owned()));
    }

    #[test]
    fn a_secret_is_completed_by_its_second_file() {
        let mut c = with(r#"{"ARN": "arn:aws:secretsmanager:eu-west-1:444455556666:secret:s-AbCdEf", "Name": "s", "ResourcePolicy": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}"#, secret).unwrap();
        let text = r#"{"ARN": "arn:aws:secretsmanager:eu-west-1:444455556666:secret:s-AbCdEf", "Name": "s", "Tags": [{"Key": "team", "Value": "red"}]}"#;
        let (root, _) = parse_json(text);
        let root = root.unwrap();
        secret(
            &Node::root(&root),
            text,
            &Reporter::new("d.json", text),
            &mut c,
        )
        .unwrap();
        assert_eq!(c.secrets.len(), 1);
        assert!(c.secrets[0].policy.is_some());
        assert_eq!(c.secrets[0].tags, [("team".to_owned(), "red".to_owned())]);
        let e = with(r#"{"ARN": "arn:aws:s3:::b", "Name": "b"}"#, secret).unwrap_err();
        assert_eq!(e.message, "not a Secrets Manager secret ARN");
        let c = with(
            r#"{"TagSet": [{"Key": "k", "Value": "v"}]}"#,
            |n, _, r, o| bucket_tagging(n, "b", r, o),
        )
        .unwrap();
        assert_eq!(c.bucket_tags[0].subject, "b");
    }
}
