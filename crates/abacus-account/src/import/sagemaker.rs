//! `aws sagemaker describe-domain`, `list-user-profiles`, `describe-user-profile` and
//! `list-tags`. Member names as in the SageMaker API Reference ("DescribeDomain",
//! "DomainSettings": `ExecutionRoleIdentityConfig` is `USER_PROFILE_NAME` or `DISABLED`,
//! `TrustedIdentityPropagationSettings.Status`; "ListUserProfiles"; "DescribeUserProfile":
//! `UserSettings.ExecutionRole`, `SingleSignOnUserValue`; "ListTags").

use super::collect::{Collected, DomainRec, ProfileRec};
use super::error::{ImportError, Reporter};
use super::node::{Node, REEXPORT};

/// `describe-domain`.
pub(crate) fn domain(
    root: &Node<'_>,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    let arn = root.need_str(report, "DomainArn")?;
    out.saw_arn_at(root, arn, report)?;
    let settings = root.get("DomainSettings");
    let identity = match &settings {
        Some(s) => s.opt_str(report, "ExecutionRoleIdentityConfig")?,
        None => None,
    };
    let source_identity = match identity {
        None | Some("DISABLED") => false,
        Some("USER_PROFILE_NAME") => true,
        Some(other) => {
            let node = settings
                .as_ref()
                .and_then(|s| s.get("ExecutionRoleIdentityConfig"))
                .unwrap_or_else(|| root.clone());
            return Err(node.error(
                report,
                format!("`{other}` is not an `ExecutionRoleIdentityConfig` (USER_PROFILE_NAME or DISABLED)"),
                REEXPORT,
            ));
        }
    };
    let tip = match settings
        .as_ref()
        .and_then(|s| s.get("TrustedIdentityPropagationSettings"))
    {
        Some(t) => t.need_str(report, "Status")? == "ENABLED",
        None => false,
    };
    let default_role_arn = match root.get("DefaultUserSettings") {
        Some(d) => d.opt_str(report, "ExecutionRole")?.map(str::to_owned),
        None => None,
    };
    out.domains.push(DomainRec {
        id: root.need_str(report, "DomainId")?.to_owned(),
        name: root
            .opt_str(report, "DomainName")?
            .unwrap_or_default()
            .to_owned(),
        arn: arn.to_owned(),
        auth_mode: root
            .opt_str(report, "AuthMode")?
            .unwrap_or("IAM")
            .to_owned(),
        default_role_arn,
        source_identity,
        trusted_identity_propagation: tip,
    });
    Ok(())
}

/// `list-user-profiles`.
pub(crate) fn profiles(
    root: &Node<'_>,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    root.refuse_next_page(report)?;
    for p in root.list(report, "UserProfiles")? {
        let rec = ProfileRec {
            domain: p.need_str(report, "DomainId")?.to_owned(),
            name: p.need_str(report, "UserProfileName")?.to_owned(),
            role_arn: None,
            sso_user: None,
        };
        merge_profile(out, rec);
    }
    Ok(())
}

/// `describe-user-profile`.
pub(crate) fn profile(
    root: &Node<'_>,
    report: &Reporter<'_>,
    out: &mut Collected,
) -> Result<(), Box<ImportError>> {
    if let Some(arn) = root.opt_str(report, "UserProfileArn")? {
        out.saw_arn_at(root, arn, report)?;
    }
    let role_arn = match root.get("UserSettings") {
        Some(s) => s.opt_str(report, "ExecutionRole")?.map(str::to_owned),
        None => None,
    };
    let rec = ProfileRec {
        domain: root.need_str(report, "DomainId")?.to_owned(),
        name: root.need_str(report, "UserProfileName")?.to_owned(),
        role_arn,
        sso_user: root
            .opt_str(report, "SingleSignOnUserValue")?
            .map(str::to_owned),
    };
    merge_profile(out, rec);
    Ok(())
}

/// Adds a profile, or completes one a list already named (a list and a description of the
/// same profile are one profile).
fn merge_profile(out: &mut Collected, rec: ProfileRec) {
    match out
        .profiles
        .iter_mut()
        .find(|p| p.domain == rec.domain && p.name == rec.name)
    {
        Some(p) => {
            if rec.role_arn.is_some() {
                p.role_arn = rec.role_arn;
            }
            if rec.sso_user.is_some() {
                p.sso_user = rec.sso_user;
            }
        }
        None => out.profiles.push(rec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_policy::json::parse_json;

    fn read(
        text: &str,
        f: fn(&Node<'_>, &Reporter<'_>, &mut Collected) -> Result<(), Box<ImportError>>,
    ) -> Result<Collected, Box<ImportError>> {
        super::super::collect::collect_from(text, |node, _, report, out| f(node, report, out))
    }

    #[test]
    fn a_domain_reads_its_identity_settings() {
        // SageMaker API Reference, "DomainSettings": ExecutionRoleIdentityConfig is
        // USER_PROFILE_NAME or DISABLED
        let c = read(r#"{"DomainArn": "arn:aws:sagemaker:eu-west-1:444455556666:domain/d-1", "DomainId": "d-1", "AuthMode": "SSO", "DefaultUserSettings": {"ExecutionRole": "arn:aws:iam::444455556666:role/R"}, "DomainSettings": {"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME", "TrustedIdentityPropagationSettings": {"Status": "ENABLED"}}}"#, domain).unwrap();
        let d = &c.domains[0];
        assert!(d.source_identity && d.trusted_identity_propagation);
        assert_eq!(
            (d.auth_mode.as_str(), c.region.as_deref()),
            ("SSO", Some("eu-west-1"))
        );
        let e = read(r#"{"DomainArn": "arn:aws:sagemaker:eu-west-1:444455556666:domain/d-1", "DomainId": "d-1", "DomainSettings": {"ExecutionRoleIdentityConfig": "SOMETIMES"}}"#, domain).unwrap_err();
        assert_eq!(e.path, "$.DomainSettings.ExecutionRoleIdentityConfig");
    }

    #[test]
    fn a_listed_and_a_described_profile_are_one() {
        let text = r#"{"UserProfiles": [{"DomainId": "d-1", "UserProfileName": "ana"}]}"#;
        let (root, _) = parse_json(text);
        let root = root.unwrap();
        let report = Reporter::new("l.json", text);
        let mut c = Collected::default();
        profiles(&Node::root(&root), &report, &mut c).unwrap();
        let text = r#"{"DomainId": "d-1", "UserProfileName": "ana", "UserSettings": {"ExecutionRole": "arn:aws:iam::444455556666:role/Own"}, "SingleSignOnUserValue": "ana@example.com"}"#;
        let (root, _) = parse_json(text);
        let root = root.unwrap();
        profile(&Node::root(&root), &Reporter::new("d.json", text), &mut c).unwrap();
        assert_eq!(c.profiles.len(), 1);
        assert_eq!(
            c.profiles[0].role_arn.as_deref(),
            Some("arn:aws:iam::444455556666:role/Own")
        );
        assert_eq!(c.profiles[0].sso_user.as_deref(), Some("ana@example.com"));
        let e = read(r#"{"UserProfiles": [], "NextToken": "t"}"#, profiles).unwrap_err();
        assert!(e.message.contains("NextToken"));
    }
}
