//! Typed template slots and the validation of their values.
//!
//! The formats follow the AWS references: account IDs are 12 digits ("AWS account
//! identifiers"), bucket names follow "General purpose bucket naming rules", domain IDs and
//! user profile names follow the SageMaker API patterns (`CreateUserProfile`), role names the
//! IAM quotas page, tag keys and values the SageMaker `Tag` shape.

use serde::{Deserialize, Serialize};

/// The type of a slot: decides how a value is validated and which world fact fills it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlotKind {
    /// A 12-digit AWS account ID.
    AccountId,
    /// An AWS Region code such as `us-east-1`.
    Region,
    /// An AWS partition such as `aws`.
    Partition,
    /// A SageMaker domain ID such as `d-abc123`.
    DomainId,
    /// An S3 general purpose bucket name.
    Bucket,
    /// A team name used as a tag value.
    Team,
    /// A SageMaker Studio user profile name.
    UserProfile,
    /// An IAM role name.
    RoleName,
    /// A tag key.
    TagKey,
    /// An absolute file system path such as `/fsx/users`.
    FileSystemPath,
    /// Any ARN.
    Arn,
    /// Free text (escaped for JSON when rendered).
    Text,
}

impl SlotKind {
    /// Every kind, in display order.
    pub const ALL: [SlotKind; 12] = [
        SlotKind::AccountId,
        SlotKind::Region,
        SlotKind::Partition,
        SlotKind::DomainId,
        SlotKind::Bucket,
        SlotKind::Team,
        SlotKind::UserProfile,
        SlotKind::RoleName,
        SlotKind::TagKey,
        SlotKind::FileSystemPath,
        SlotKind::Arn,
        SlotKind::Text,
    ];

    /// The kebab-case name used in data files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SlotKind::AccountId => "account-id",
            SlotKind::Region => "region",
            SlotKind::Partition => "partition",
            SlotKind::DomainId => "domain-id",
            SlotKind::Bucket => "bucket",
            SlotKind::Team => "team",
            SlotKind::UserProfile => "user-profile",
            SlotKind::RoleName => "role-name",
            SlotKind::TagKey => "tag-key",
            SlotKind::FileSystemPath => "file-system-path",
            SlotKind::Arn => "arn",
            SlotKind::Text => "text",
        }
    }

    /// What a valid value looks like, for help texts.
    pub fn expectation(self) -> &'static str {
        match self {
            SlotKind::AccountId => "12 digits, e.g. `111122223333`",
            SlotKind::Region => "a Region code, e.g. `us-east-1`",
            SlotKind::Partition => "one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`",
            SlotKind::DomainId => "`d-` then lowercase letters and digits, e.g. `d-abc123xyz`",
            SlotKind::Bucket => "3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
            SlotKind::Team => "up to 256 letters, digits, spaces and `_ . : / = + - @`",
            SlotKind::UserProfile => "up to 63 letters, digits and hyphens, starting with a letter or digit",
            SlotKind::RoleName => "1 to 64 letters, digits and `+ = , . @ _ -`",
            SlotKind::TagKey => "1 to 128 letters, digits, spaces and `_ . : / = + - @`, not starting with `aws:`",
            SlotKind::FileSystemPath => "an absolute path such as `/fsx/users`, without spaces or a trailing `/`",
            SlotKind::Arn => "an ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`",
            SlotKind::Text => "any non-empty text",
        }
    }

    /// Checks `value` against this kind; `Err` carries a lowercase reason.
    pub fn validate(self, value: &str) -> Result<(), String> {
        let ok = match self {
            SlotKind::AccountId => value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()),
            SlotKind::Region => is_region(value),
            SlotKind::Partition => PARTITIONS.contains(&value),
            SlotKind::DomainId => is_domain_id(value),
            SlotKind::Bucket => is_bucket(value),
            SlotKind::Team => value.chars().count() <= 256 && value.chars().all(is_tag_char),
            SlotKind::UserProfile => is_user_profile(value),
            SlotKind::RoleName => {
                (1..=64).contains(&value.len())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
            }
            SlotKind::TagKey => {
                (1..=128).contains(&value.chars().count())
                    && value.chars().all(is_tag_char)
                    && !value.to_ascii_lowercase().starts_with("aws:")
            }
            SlotKind::FileSystemPath => {
                value.starts_with('/')
                    && (value.len() == 1 || !value.ends_with('/'))
                    && value.len() <= 4096
                    && value
                        .chars()
                        .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '\\')
            }
            SlotKind::Arn => is_arn(value),
            SlotKind::Text => !value.is_empty(),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a valid {}", self.name()))
        }
    }
}

impl std::fmt::Display for SlotKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The AWS partitions an ARN or a slot may name.
pub const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// SageMaker's `Tag` pattern: letters, digits, spaces and `_ . : / = + - @`.
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c)
}

/// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`, `us-isob-east-1`.
fn is_region(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    parts.len() >= 3
        && first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && parts
            .get(1..parts.len() - 1)
            .unwrap_or_default()
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// SageMaker `DomainId`: `d-(-*[a-z0-9]){1,61}`, at most 63 characters.
fn is_domain_id(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("d-") else {
        return false;
    };
    value.len() <= 63
        && rest.bytes().any(|b| b != b'-')
        && !rest.ends_with('-')
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// SageMaker `UserProfileName`: `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`.
fn is_user_profile(value: &str) -> bool {
    (1..=63).contains(&value.len())
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// S3 general purpose bucket naming rules (the ones that matter for a policy).
fn is_bucket(value: &str) -> bool {
    let bytes = value.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let looks_like_ip = value.split('.').count() == 4
        && value
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (3..=63).contains(&value.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && !value.contains("..")
        && !looks_like_ip
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` with a known partition and a service.
fn is_arn(value: &str) -> bool {
    let mut parts = value.splitn(6, ':');
    let (
        Some("arn"),
        Some(partition),
        Some(service),
        Some(_region),
        Some(_account),
        Some(resource),
    ) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    )
    else {
        return false;
    };
    PARTITIONS.contains(&partition)
        && !service.is_empty()
        && !resource.is_empty()
        && !value.contains('"')
        && !value.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    // AWS Account Management Reference Guide: "AWS account identifiers"
    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(SlotKind::AccountId.validate("111122223333").is_ok());
        assert!(SlotKind::AccountId.validate("11112222333").is_err());
        assert!(SlotKind::AccountId.validate("<account_number>").is_err());
    }

    #[test]
    fn regions_and_partitions() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "eu-central-2",
            "us-isob-east-1",
        ] {
            assert!(SlotKind::Region.validate(ok).is_ok(), "{ok}");
        }
        for bad in ["{region}", "us-east", "US-EAST-1", "useast1", ""] {
            assert!(SlotKind::Region.validate(bad).is_err(), "{bad}");
        }
        assert!(SlotKind::Partition.validate("aws-us-gov").is_ok());
        assert!(SlotKind::Partition.validate("amazon").is_err());
    }

    // Amazon S3 User Guide: "General purpose bucket naming rules"
    #[test]
    fn bucket_names_follow_s3_rules() {
        assert!(SlotKind::Bucket.validate("abacus-ml-data").is_ok());
        assert!(
            SlotKind::Bucket.validate("my_bucket").is_err(),
            "underscores are not allowed"
        );
        assert!(SlotKind::Bucket.validate("ab").is_err());
        assert!(SlotKind::Bucket.validate("a..b").is_err());
        assert!(SlotKind::Bucket.validate("192.168.5.4").is_err());
        assert!(SlotKind::Bucket.validate("-abc").is_err());
    }

    // Amazon SageMaker API Reference: "CreateUserProfile" (DomainId and UserProfileName patterns)
    #[test]
    fn sagemaker_names() {
        assert!(SlotKind::DomainId.validate("d-abc123xyz").is_ok());
        assert!(SlotKind::DomainId.validate("<domain_id>").is_err());
        assert!(SlotKind::DomainId.validate("d-").is_err());
        assert!(SlotKind::UserProfile.validate("alice").is_ok());
        assert!(SlotKind::UserProfile.validate("user-a1").is_ok());
        assert!(SlotKind::UserProfile.validate("user_a").is_err());
    }

    #[test]
    fn arns_tags_roles_paths() {
        assert!(SlotKind::Arn
            .validate("arn:aws:iam::111122223333:saml-provider/Okta")
            .is_ok());
        assert!(SlotKind::Arn.validate("arn:aws:iam::111122223333").is_err());
        assert!(SlotKind::TagKey.validate("studiouserid").is_ok());
        assert!(SlotKind::TagKey.validate("aws:foo").is_err());
        assert!(SlotKind::RoleName
            .validate("SageMakerStudioDeveloperTeamARole")
            .is_ok());
        assert!(SlotKind::RoleName.validate("bad role").is_err());
        assert!(SlotKind::FileSystemPath.validate("/fsx/users").is_ok());
        assert!(SlotKind::FileSystemPath.validate("fsx/users").is_err());
        assert!(SlotKind::FileSystemPath.validate("/fsx/users/").is_err());
        assert!(SlotKind::Text.validate("").is_err());
    }
}
