//! Which AWS CLI command printed a file, told by its shape (the members its output always
//! has), as the AWS CLI Command Reference documents each output.

use super::node::Node;

/// The exports Abacus reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExportKind {
    /// `aws iam get-account-authorization-details`.
    AuthorizationDetails,
    /// `aws sagemaker describe-domain`.
    Domain,
    /// `aws sagemaker list-user-profiles`.
    UserProfiles,
    /// `aws sagemaker describe-user-profile`.
    UserProfile,
    /// `aws sagemaker list-tags` (`Tags`), for the resource the file name names.
    SageMakerTags,
    /// `aws organizations describe-policy` (an SCP or RCP).
    OrganizationsPolicy,
    /// `aws organizations list-targets-for-policy`, for the policy the file name names.
    OrganizationsTargets,
    /// `aws s3api get-bucket-policy`, for the bucket the file name names.
    BucketPolicy,
    /// `aws s3api get-bucket-tagging` (`TagSet`), for the bucket the file name names.
    BucketTagging,
    /// `aws secretsmanager get-resource-policy`.
    SecretPolicy,
    /// `aws secretsmanager describe-secret`.
    SecretDescription,
}

impl ExportKind {
    /// The command that prints it.
    pub fn command(self) -> &'static str {
        match self {
            ExportKind::AuthorizationDetails => "aws iam get-account-authorization-details",
            ExportKind::Domain => "aws sagemaker describe-domain",
            ExportKind::UserProfiles => "aws sagemaker list-user-profiles",
            ExportKind::UserProfile => "aws sagemaker describe-user-profile",
            ExportKind::SageMakerTags => "aws sagemaker list-tags",
            ExportKind::OrganizationsPolicy => "aws organizations describe-policy",
            ExportKind::OrganizationsTargets => "aws organizations list-targets-for-policy",
            ExportKind::BucketPolicy => "aws s3api get-bucket-policy",
            ExportKind::BucketTagging => "aws s3api get-bucket-tagging",
            ExportKind::SecretPolicy => "aws secretsmanager get-resource-policy",
            ExportKind::SecretDescription => "aws secretsmanager describe-secret",
        }
    }

    /// True for outputs that do not name what they are about: the file name must
    /// (`…@SUBJECT.json`).
    pub fn needs_subject(self) -> bool {
        matches!(
            self,
            ExportKind::SageMakerTags
                | ExportKind::OrganizationsTargets
                | ExportKind::BucketPolicy
                | ExportKind::BucketTagging
        )
    }

    /// Every kind, for help texts.
    pub const ALL: [ExportKind; 11] = [
        ExportKind::AuthorizationDetails,
        ExportKind::Domain,
        ExportKind::UserProfiles,
        ExportKind::UserProfile,
        ExportKind::SageMakerTags,
        ExportKind::OrganizationsPolicy,
        ExportKind::OrganizationsTargets,
        ExportKind::BucketPolicy,
        ExportKind::BucketTagging,
        ExportKind::SecretPolicy,
        ExportKind::SecretDescription,
    ];
}

/// The kind of the file whose root is `root`, from the members each output always has.
pub(crate) fn detect(root: &Node<'_>) -> Option<ExportKind> {
    if !root.is_object() {
        return None;
    }
    let has = |k: &str| root.has(k);
    let kind = if [
        "UserDetailList",
        "GroupDetailList",
        "RoleDetailList",
        "Policies",
    ]
    .iter()
    .any(|k| has(k))
    {
        ExportKind::AuthorizationDetails
    } else if has("DomainId") && has("DomainArn") {
        ExportKind::Domain
    } else if has("UserProfiles") {
        ExportKind::UserProfiles
    } else if has("DomainId") && has("UserProfileName") {
        ExportKind::UserProfile
    } else if has("Policy") && root.get("Policy").is_some_and(|p| p.is_object()) {
        ExportKind::OrganizationsPolicy
    } else if has("Policy") {
        ExportKind::BucketPolicy
    } else if has("Targets") {
        ExportKind::OrganizationsTargets
    } else if has("TagSet") {
        ExportKind::BucketTagging
    } else if has("ResourcePolicy") && has("ARN") {
        ExportKind::SecretPolicy
    } else if has("ARN") && has("Name") {
        ExportKind::SecretDescription
    } else if has("Tags") {
        ExportKind::SageMakerTags
    } else {
        return None;
    };
    Some(kind)
}
