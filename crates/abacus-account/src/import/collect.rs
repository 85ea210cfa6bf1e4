//! What the exports say, gathered from every file before the world is built (a user's
//! groups and a role's managed policies may be in different files than the policies).

/// A policy written in a file, with where it came from for messages.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Inline {
    pub(crate) name: String,
    pub(crate) text: String,
}

/// An IAM user of `get-account-authorization-details`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct UserRec {
    pub(crate) name: String,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) groups: Vec<String>,
    pub(crate) inline: Vec<Inline>,
    pub(crate) managed: Vec<String>,
    pub(crate) boundary: Option<String>,
}

/// An IAM group.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct GroupRec {
    pub(crate) name: String,
    pub(crate) inline: Vec<Inline>,
    pub(crate) managed: Vec<String>,
}

/// An IAM role.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RoleRec {
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) trust: Option<String>,
    pub(crate) inline: Vec<Inline>,
    pub(crate) managed: Vec<String>,
    pub(crate) boundary: Option<String>,
}

/// A managed policy: its default version's document, and the other versions.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ManagedRec {
    pub(crate) name: String,
    pub(crate) arn: String,
    pub(crate) default_text: String,
    pub(crate) default_version: String,
    /// `(version id, document)` of the versions that are not the default.
    pub(crate) other_versions: Vec<(String, String)>,
}

/// A SageMaker domain.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct DomainRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) arn: String,
    pub(crate) auth_mode: String,
    pub(crate) default_role_arn: Option<String>,
    pub(crate) source_identity: bool,
    pub(crate) trusted_identity_propagation: bool,
}

/// A Studio user profile.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ProfileRec {
    pub(crate) domain: String,
    pub(crate) name: String,
    pub(crate) role_arn: Option<String>,
    /// `SingleSignOnUserValue`: the Identity Center user name, for IAM Identity Center
    /// domains.
    pub(crate) sso_user: Option<String>,
}

/// An SCP or RCP.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct OrgPolicyRec {
    pub(crate) id: String,
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) rcp: bool,
    pub(crate) text: String,
}

/// A secret.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SecretRec {
    pub(crate) arn: String,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) policy: Option<String>,
}

/// Tags, or targets, that a file name assigns to a subject.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ForSubject<T> {
    pub(crate) file: String,
    pub(crate) subject: String,
    pub(crate) value: T,
}

/// One organization target: `(type, name or id)`.
pub(crate) type Target = (String, String);

/// Everything read from the files.
#[derive(Clone, Debug, Default)]
pub(crate) struct Collected {
    /// `(partition, account, where it was seen)` of the first ARN.
    pub(crate) account: Option<(String, String, String)>,
    /// The Region of the first regional ARN.
    pub(crate) region: Option<String>,
    pub(crate) users: Vec<UserRec>,
    pub(crate) groups: Vec<GroupRec>,
    pub(crate) roles: Vec<RoleRec>,
    pub(crate) managed: Vec<ManagedRec>,
    pub(crate) domains: Vec<DomainRec>,
    pub(crate) profiles: Vec<ProfileRec>,
    pub(crate) org_policies: Vec<OrgPolicyRec>,
    pub(crate) org_targets: Vec<ForSubject<Vec<Target>>>,
    pub(crate) bucket_policies: Vec<ForSubject<String>>,
    pub(crate) bucket_tags: Vec<ForSubject<Vec<(String, String)>>>,
    pub(crate) sagemaker_tags: Vec<ForSubject<Vec<(String, String)>>>,
    pub(crate) secrets: Vec<SecretRec>,
}

/// The parts of an ARN: `(partition, service, region, account, resource)`.
pub(crate) fn arn_parts(arn: &str) -> Option<(&str, &str, &str, &str, &str)> {
    let mut p = arn.splitn(6, ':');
    if p.next()? != "arn" {
        return None;
    }
    Some((p.next()?, p.next()?, p.next()?, p.next()?, p.next()?))
}

/// The last path segment of an ARN's resource (`role/path/Name` → `Name`).
pub(crate) fn arn_name(arn: &str) -> Option<&str> {
    let (_, _, _, _, resource) = arn_parts(arn)?;
    resource.rsplit('/').next().filter(|n| !n.is_empty())
}

impl Collected {
    /// [`Collected::saw_arn`] for the ARN at `node`, an error placed there when it names a
    /// second account.
    pub(crate) fn saw_arn_at(
        &mut self,
        node: &super::node::Node<'_>,
        arn: &str,
        report: &super::error::Reporter<'_>,
    ) -> Result<(), Box<super::error::ImportError>> {
        self.saw_arn(arn, &format!("{} {}", report.file(), node.path))
            .map_err(|m| node.error(report, m, "import the exports of one account at a time"))
    }

    /// Notes the account and Region an ARN shows, keeping the first seen; a second account
    /// is an error (one import is one account).
    pub(crate) fn saw_arn(&mut self, arn: &str, place: &str) -> Result<(), String> {
        let Some((partition, _service, region, account, _)) = arn_parts(arn) else {
            return Ok(());
        };
        if self.region.is_none() && !region.is_empty() {
            self.region = Some(region.to_owned());
        }
        // AWS managed policies (`arn:aws:iam::aws:policy/…`) belong to no account
        if account.is_empty() || account == "aws" {
            return Ok(());
        }
        match &self.account {
            None => {
                self.account = Some((partition.to_owned(), account.to_owned(), place.to_owned()));
                Ok(())
            }
            Some((_, first, _)) if first == account => Ok(()),
            Some((_, first, seen)) => Err(format!(
                "account {account} here, but {first} in {seen}: one import is one account"
            )),
        }
    }
}

/// What an importer `read` collects from the JSON `text` (read as the file `f.json`): the
/// importers' tests share it.
#[cfg(test)]
pub(super) fn collect_from(
    text: &str,
    read: impl FnOnce(
        &super::node::Node<'_>,
        &str,
        &super::error::Reporter<'_>,
        &mut Collected,
    ) -> Result<(), Box<super::error::ImportError>>,
) -> Result<Collected, Box<super::error::ImportError>> {
    let (root, _) = abacus_policy::json::parse_json(text);
    let root = root.unwrap();
    let report = super::error::Reporter::new("f.json", text);
    let mut out = Collected::default();
    read(&super::node::Node::root(&root), text, &report, &mut out).map(|()| out)
}
