//! One test per rule, each with a policy that triggers it and one that does not.

use super::*;
use abacus_policy::parse_policy;

fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

fn codes_of(text: &str) -> Vec<String> {
    lint_policy(text).into_iter().map(|d| d.code).collect()
}

fn has(text: &str, code: &str) -> bool {
    codes_of(text).iter().any(|c| c == code)
}

fn finding(text: &str, code: &str) -> Diagnostic {
    lint_policy(text)
        .into_iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no `{code}` in {:?}", codes_of(text)))
}

fn spanned<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    &text[d.span.start..d.span.end]
}

// Seed 001: "access to the sagemaker:AddTags action must be tightly controlled"
#[test]
fn unrestricted_addtags_next_to_resource_tag_abac() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:AddTags", "Resource": "*"},
           {"Effect": "Allow", "Action": "sagemaker:StopTrainingJob", "Resource": "*",
            "Condition": {"StringEquals": {"sagemaker:ResourceTag/team": "${aws:PrincipalTag/team}"}}}"#,
    );
    let d = finding(&text, codes::ABAC_UNRESTRICTED_TAGGING);
    assert_eq!(spanned(&text, &d), r#""sagemaker:AddTags""#);
    assert_eq!(d.severity, Severity::Warning);

    let restricted = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:AddTags", "Resource": "*",
            "Condition": {"Null": {"sagemaker:TaggingAction": "false"}}},
           {"Effect": "Allow", "Action": "sagemaker:StopTrainingJob", "Resource": "*",
            "Condition": {"StringEquals": {"sagemaker:ResourceTag/team": "${aws:PrincipalTag/team}"}}}"#,
    );
    assert!(!has(&restricted, codes::ABAC_UNRESTRICTED_TAGGING));
    let wildcard = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
           {"Effect": "Allow", "Action": "sagemaker:StopTrainingJob", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}}"#,
    );
    assert!(has(&wildcard, codes::ABAC_UNRESTRICTED_TAGGING));
}

#[test]
fn any_services_tag_resource_counts_as_tagging() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": ["kinesis:TagResource", "ecr:TagResource"], "Resource": "*"},
           {"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}"#,
    );
    let found: Vec<Diagnostic> = lint_policy(&text)
        .into_iter()
        .filter(|d| d.code == codes::ABAC_UNRESTRICTED_TAGGING)
        .collect();
    assert_eq!(found.len(), 2);
    assert!(
        found[0]
            .message
            .starts_with("`kinesis:TagResource` is allowed"),
        "{}",
        found[0].message
    );
    assert!(
        found[1].message.starts_with("`ecr:TagResource` is allowed"),
        "{}",
        found[1].message
    );
}

#[test]
fn unrestricted_tagging_is_mitigated_by_a_deny_in_another_policy() {
    let allow = parse_policy(&policy(
        r#"{"Effect": "Allow", "Action": ["sagemaker:AddTags", "sagemaker:DescribeTrainingJob"], "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "${sagemaker:ResourceTag/team}"}}},
           {"Effect": "Allow", "Action": "sagemaker:AddTags", "Resource": "*"}"#,
    ));
    let deny = parse_policy(&policy(
        r#"{"Effect": "Deny", "Action": "sagemaker:AddTags", "Resource": "*",
            "Condition": {"Null": {"sagemaker:TaggingAction": "true"}}}"#,
    ));
    let alone = lint_set(&[LintInput {
        id: "allow",
        kind: None,
        parsed: &allow,
    }]);
    assert!(alone
        .iter()
        .any(|(id, d)| id == "allow" && d.code == codes::ABAC_UNRESTRICTED_TAGGING));
    let both = lint_set(&[
        LintInput {
            id: "allow",
            kind: None,
            parsed: &allow,
        },
        LintInput {
            id: "deny",
            kind: None,
            parsed: &deny,
        },
    ]);
    assert!(!both
        .iter()
        .any(|(_, d)| d.code == codes::ABAC_UNRESTRICTED_TAGGING));
}

// IAM User Guide: "Monitor and control actions taken with assumed roles" (sts:SetSourceIdentity)
#[test]
fn trust_without_set_source_identity() {
    let identity = parse_policy(&policy(
        r#"{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:user-secrets/${aws:SourceIdentity}/*"}"#,
    ));
    let trust_text = policy(
        r#"{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    );
    let trust = parse_policy(&trust_text);
    let good_trust = parse_policy(&policy(
        r#"{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]}"#,
    ));
    let found = lint_set(&[
        LintInput {
            id: "identity",
            kind: None,
            parsed: &identity,
        },
        LintInput {
            id: "trust",
            kind: Some(PolicyUse::Trust),
            parsed: &trust,
        },
    ]);
    let (id, d) = found
        .iter()
        .find(|(_, d)| d.code == codes::TRUST_MISSING_SET_SOURCE_IDENTITY)
        .unwrap();
    assert_eq!(id, "trust");
    assert_eq!(spanned(&trust_text, d), r#""sts:AssumeRole""#);
    let fine = lint_set(&[
        LintInput {
            id: "identity",
            kind: None,
            parsed: &identity,
        },
        LintInput {
            id: "trust",
            kind: None,
            parsed: &good_trust,
        },
    ]);
    assert!(!fine
        .iter()
        .any(|(_, d)| d.code == codes::TRUST_MISSING_SET_SOURCE_IDENTITY));
}

// IAM User Guide: "IAM JSON policy elements: Version"
#[test]
fn variables_without_version_are_reported_through_the_parser() {
    let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:SourceIdentity}/*"}]}"#;
    assert!(
        has(text, codes::VARIABLE_WITHOUT_VERSION),
        "{:?}",
        codes_of(text)
    );
    assert!(!has(
        &policy(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:SourceIdentity}/*"}"#
        ),
        codes::VARIABLE_WITHOUT_VERSION
    ));
}

// Amazon S3 User Guide: "Policy resources for Amazon S3"
#[test]
fn object_actions_on_a_bucket_arn() {
    let text = policy(
        r#"{"Effect": "Deny", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::my-bucket",
            "Condition": {"StringNotLike": {"aws:SourceIdentity": ["user-a"]}}}"#,
    );
    let d = finding(&text, codes::OBJECT_ACTION_ON_BUCKET_ARN);
    assert_eq!(spanned(&text, &d), r#""arn:aws:s3:::my-bucket""#);
    assert!(
        d.message.contains("this deny never applies"),
        "{}",
        d.message
    );
    assert!(!has(
        &policy(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}"#
        ),
        codes::OBJECT_ACTION_ON_BUCKET_ARN
    ));
    assert!(!has(
        &policy(
            r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}"#
        ),
        codes::OBJECT_ACTION_ON_BUCKET_ARN
    ));
}

// IAM User Guide: "AWS JSON policy elements: NotPrincipal"
#[test]
fn not_principal_with_allow() {
    let text = policy(
        r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    );
    let d = finding(&text, codes::NOT_PRINCIPAL_WITH_ALLOW);
    assert_eq!(d.severity, Severity::Error);
    assert!(!has(
        &text.replace("Allow", "Deny"),
        codes::NOT_PRINCIPAL_WITH_ALLOW
    ));
}

// IAM User Guide: "IAM JSON policy elements: NotAction"
#[test]
fn not_action_with_allow_on_everything() {
    let text = policy(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#);
    let d = finding(&text, codes::NOT_ACTION_ALLOW_ALL);
    assert_eq!(spanned(&text, &d), r#""iam:*""#);
    assert!(!has(
        &policy(r#"{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}"#),
        codes::NOT_ACTION_ALLOW_ALL
    ));
}

// IAM User Guide: "Set operators for multivalued context keys"
#[test]
fn set_operator_on_single_valued_key() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:SourceIdentity": ["alice"]}}}"#,
    );
    let d = finding(&text, codes::SET_OPERATOR_SINGLE_VALUED);
    assert_eq!(spanned(&text, &d), r#""ForAllValues:StringEquals""#);
    assert!(!has(
        &policy(
            r#"{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}"#
        ),
        codes::SET_OPERATOR_SINGLE_VALUED
    ));
}

// IAM User Guide: "IAM JSON policy elements: Condition operators" (negated operators and missing keys)
#[test]
fn negated_operator_in_allow_matches_missing_keys() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:DeleteExperiment", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/team": "TeamB"}}}"#,
    );
    let d = finding(&text, codes::NEGATED_MISSING_KEY);
    assert_eq!(spanned(&text, &d), r#""aws:ResourceTag/team""#);
    let guarded = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:DeleteExperiment", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/team": "TeamB"}, "Null": {"aws:ResourceTag/team": "false"}}}"#,
    );
    assert!(!has(&guarded, codes::NEGATED_MISSING_KEY));
    assert!(!has(
        &text.replace("Allow", "Deny"),
        codes::NEGATED_MISSING_KEY
    ));
}

#[test]
fn for_all_values_in_allow_matches_missing_keys() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"sagemaker:FileSystemDirectoryPath": ["/fsx/users/${aws:SourceIdentity}"]}}}"#,
    );
    let d = finding(&text, codes::FOR_ALL_VALUES_MISSING_KEY);
    assert_eq!(d.severity, Severity::Info);
    let guarded = text.replace(
        r#""Condition": {"#,
        r#""Condition": {"Null": {"sagemaker:FileSystemDirectoryPath": "false"}, "#,
    );
    assert!(
        !has(&guarded, codes::FOR_ALL_VALUES_MISSING_KEY),
        "{guarded}"
    );
    // a required request tag means aws:TagKeys is never empty
    let tagged = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:CreateModel", "Resource": "*", "Condition": {
            "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]},
            "StringEquals": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"}}}"#,
    );
    assert!(!has(&tagged, codes::FOR_ALL_VALUES_MISSING_KEY));
    let optional = tagged.replace(
        r#""StringEquals": {"aws:RequestTag"#,
        r#""StringEqualsIfExists": {"aws:RequestTag"#,
    );
    assert!(has(&optional, codes::FOR_ALL_VALUES_MISSING_KEY));
}

// IAM User Guide: "IAM JSON policy elements: Condition operators" (string condition operators)
#[test]
fn string_equals_with_wildcards() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Condition": {"StringEquals": {"s3:prefix": ["home/${aws:username}/*"]}}}"#,
    );
    let d = finding(&text, codes::STRING_EQUALS_WILDCARD);
    assert_eq!(spanned(&text, &d), r#""home/${aws:username}/*""#);
    assert!(d.help.contains("StringLike"));
    assert!(!has(
        &text.replace("StringEquals", "StringLike"),
        codes::STRING_EQUALS_WILDCARD
    ));
    // `${*}` is a literal star, not a wildcard
    assert!(!has(
        &policy(
            r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Condition": {"StringEquals": {"s3:prefix": ["a${*}"]}}}"#
        ),
        codes::STRING_EQUALS_WILDCARD
    ));
}

// Service Authorization Reference: "Actions, resources, and condition keys for Amazon SageMaker AI"
#[test]
fn unknown_and_misplaced_condition_keys() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:DescribeDomain", "Resource": "*", "Condition": {"StringEquals": {"sagemaker:UserName": "alice"}}}"#,
    );
    let d = finding(&text, codes::UNKNOWN_CONDITION_KEY);
    assert_eq!(spanned(&text, &d), r#""sagemaker:UserName""#);
    let misplaced = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:DescribeDomain", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a/*"}}}"#,
    );
    assert!(has(&misplaced, codes::CONDITION_KEY_SERVICE_MISMATCH));
    assert!(!has(
        &misplaced.replace("sagemaker:DescribeDomain", "s3:ListBucket"),
        codes::CONDITION_KEY_SERVICE_MISMATCH
    ));
    // every service of the reference is judged; prefixes that are no service are not
    assert!(has(
        &policy(
            r#"{"Effect": "Allow", "Action": "ec2:DescribeVpcs", "Resource": "*", "Condition": {"StringEquals": {"ec2:Whatever": "x"}}}"#
        ),
        codes::UNKNOWN_CONDITION_KEY
    ));
    assert!(!has(
        &policy(
            r#"{"Effect": "Allow", "Action": "sts:AssumeRoleWithSAML", "Resource": "*", "Condition": {"StringEquals": {"nosuchservice:Whatever": "x"}}}"#
        ),
        codes::UNKNOWN_CONDITION_KEY
    ));
}

/// The condition keys a policy's `unknown-condition-key` findings point at.
fn unknown_keys(text: &str) -> Vec<String> {
    lint_policy(text)
        .into_iter()
        .filter(|d| d.code == codes::UNKNOWN_CONDITION_KEY)
        .map(|d| spanned(text, &d).trim_matches('"').to_owned())
        .collect()
}

// Service Authorization Reference: "Actions, resources, and condition keys for Amazon SageMaker AI"
// (condition keys table, checked 2026-12-02): Studio space, KMS, lifecycle-configuration and
// model-package keys that exist; `sagemaker:AppType` and `sagemaker:InstanceMetadataServiceVersion`
// are not in the table (only `sagemaker:MinimumInstanceMetadataServiceVersion` is).
#[test]
fn documented_sagemaker_keys_are_known() {
    let documented = policy(
        r#"{"Effect": "Allow", "Action": ["sagemaker:CreateSpace", "sagemaker:CreateTrainingJob", "sagemaker:CreateModelPackage", "sagemaker:CreateNotebookInstance"], "Resource": "*", "Condition": {
            "StringEquals": {"sagemaker:SpaceSharingType": "Private", "sagemaker:RemoteAccess": "ENABLED",
                             "sagemaker:ModelLifeCycle:Stage": "Production", "sagemaker:CurrentCustomerMetadataProperties/team": "a",
                             "sagemaker:MinimumInstanceMetadataServiceVersion": "2", "sagemaker:DirectGatedModelAccess": "Disabled"},
            "ArnLike": {"sagemaker:OwnerUserProfileArn": "arn:aws:sagemaker:*:*:user-profile/*/alice",
                        "sagemaker:VolumeKmsKeyArn": "arn:aws:kms:*:*:key/*", "sagemaker:OutputKmsKeyArn": "arn:aws:kms:*:*:key/*",
                        "sagemaker:DomainSharingOutputKmsKeyArn": "arn:aws:kms:*:*:key/*"},
            "ForAnyValue:ArnLike": {"sagemaker:StudioLifecycleConfigArns": "arn:aws:sagemaker:*:*:studio-lifecycle-config/*"},
            "NumericLessThanEquals": {"sagemaker:KeepAlivePeriod": "3600"},
            "Bool": {"sagemaker:FeatureGroupOfflineStoreConfig": "true"}}}"#,
    );
    assert_eq!(unknown_keys(&documented), Vec::<String>::new());
    let undocumented = policy(
        r#"{"Effect": "Allow", "Action": ["sagemaker:CreateApp", "sagemaker:CreateNotebookInstance"], "Resource": "*", "Condition": {
            "StringEquals": {"sagemaker:AppType": "JupyterLab", "sagemaker:InstanceMetadataServiceVersion": "2", "sagemaker:VpcSubnet": "subnet-1"}}}"#,
    );
    assert_eq!(
        unknown_keys(&undocumented),
        [
            "sagemaker:AppType",
            "sagemaker:InstanceMetadataServiceVersion",
            "sagemaker:VpcSubnet"
        ]
    );
}

// Service Authorization Reference: "Actions, resources, and condition keys for Amazon SageMaker AI"
// — InstanceTypes and VpcSubnets are ArrayOfString, ImageArns is ArrayOfARN (multivalued);
// SpaceSharingType is String and VolumeKmsKeyArn is ARN (single-valued).
#[test]
fn sagemaker_key_types_decide_set_operator_findings() {
    let multivalued = policy(
        r#"{"Effect": "Allow", "Action": ["sagemaker:CreateApp", "sagemaker:CreateDomain"], "Resource": "*", "Condition": {
            "ForAnyValue:StringEquals": {"sagemaker:InstanceTypes": ["ml.t3.medium"], "sagemaker:VpcSubnets": ["subnet-1"]},
            "ForAnyValue:ArnLike": {"sagemaker:ImageArns": ["arn:aws:sagemaker:*:*:image/*"]}}}"#,
    );
    assert!(!has(&multivalued, codes::SET_OPERATOR_SINGLE_VALUED));
    // ForAllValues on a multivalued key without a Null guard is the missing-key trap
    let all_values = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:CreateApp", "Resource": "*", "Condition": {
            "ForAllValues:ArnLike": {"sagemaker:ImageArns": ["arn:aws:sagemaker:*:*:image/approved-*"]}}}"#,
    );
    assert!(has(&all_values, codes::FOR_ALL_VALUES_MISSING_KEY));
    assert!(!has(&all_values, codes::SET_OPERATOR_SINGLE_VALUED));

    let single = policy(
        r#"{"Effect": "Allow", "Action": ["sagemaker:CreateSpace", "sagemaker:CreateTrainingJob"], "Resource": "*", "Condition": {
            "ForAnyValue:StringEquals": {"sagemaker:SpaceSharingType": ["Private"]},
            "ForAllValues:ArnEquals": {"sagemaker:VolumeKmsKeyArn": ["arn:aws:kms:us-east-1:111122223333:key/k"]}}}"#,
    );
    let found: Vec<Diagnostic> = lint_policy(&single)
        .into_iter()
        .filter(|d| d.code == codes::SET_OPERATOR_SINGLE_VALUED)
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found
        .iter()
        .any(|d| d.message.contains("sagemaker:SpaceSharingType")));
    assert!(found
        .iter()
        .any(|d| d.message.contains("sagemaker:VolumeKmsKeyArn")));
}

// IAM User Guide: "AWS global condition context keys" — the referer key is spelt
// `aws:referer`, aws:VpceOrgPaths is multivalued, aws:AssumedRoot is a single Boolean,
// aws:SignInSessionArn is an ARN.
#[test]
fn documented_global_keys() {
    let text = policy(
        r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {
            "StringNotLike": {"aws:referer": "https://example.com/*"},
            "ForAnyValue:StringLike": {"aws:VpceOrgPaths": ["o-a1b2c3d4e5/*"]},
            "ArnEquals": {"aws:SignInSessionArn": "arn:aws:signin:us-east-1:111122223333:session/s"},
            "Bool": {"aws:AssumedRoot": "true"}}}"#,
    );
    assert_eq!(unknown_keys(&text), Vec::<String>::new());
    assert!(!has(&text, codes::SET_OPERATOR_SINGLE_VALUED));
    let k = knowledge::Knowledge::get();
    assert!(k.key_info("aws:AssumedRoot").is_single_valued());
    assert!(!k.key_info("aws:VpceOrgPaths").is_single_valued());
}

// Service Authorization Reference: "Actions, resources, and condition keys for AWS Secrets
// Manager", "... for AWS Identity and Access Management (IAM)", "... for AWS Security Token
// Service" and "... for Amazon S3" (condition keys tables, checked 2026-12-02).
#[test]
fn documented_keys_of_other_services() {
    let k = knowledge::Knowledge::get();
    for key in [
        "secretsmanager:KmsKeyArn",
        "secretsmanager:resource/Type",
        "iam:PermissionsBoundary",
        "iam:ServiceSpecificCredentialAgeDays",
        "sts:TaskPolicyArn",
        "s3:x-amz-grant-read",
        "s3:AccessPointTag/team",
        "s3:versionid",
        "elasticmapreduce:ExecutionRoleArn",
    ] {
        assert!(k.key_info(key).is_single_valued(), "{key}");
    }
    for key in [
        "sts:IdentityTokenAudience",
        "s3:InventoryAccessibleOptionalFields",
        "iam:AccountPropertyNamespaces",
    ] {
        assert!(
            matches!(k.key_info(key), knowledge::KeyInfo::Known { .. }),
            "{key}"
        );
        assert!(!k.key_info(key).is_single_valued(), "{key}");
    }
    assert!(matches!(
        k.key_info("secretsmanager:KmsKey"),
        knowledge::KeyInfo::UnknownKey { .. }
    ));
}

// IAM User Guide: "Define permissions based on attributes with ABAC authorization"
#[test]
fn broad_actions_in_abac_statements() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}"#,
    );
    let d = finding(&text, codes::BROAD_ACTION_IN_ABAC);
    assert_eq!(spanned(&text, &d), r#""sagemaker:*""#);
    assert!(!has(
        &policy(r#"{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}"#),
        codes::BROAD_ACTION_IN_ABAC
    ));
}

// SageMaker: sagemaker:DomainId / sagemaker:UserProfileName exist only for certain actions
#[test]
fn studio_context_keys_for_actions_that_lack_them() {
    // which calls carry the keys is the simulator catalogue's business: take one of each
    use abacus_studio::actions::{catalogue, KeyFamily};
    let sagemaker = || {
        catalogue()
            .actions
            .iter()
            .filter(|a| a.service() == "sagemaker")
    };
    let without = sagemaker()
        .find(|a| !a.carries(KeyFamily::StudioContext))
        .unwrap();
    let with = sagemaker()
        .find(|a| a.carries(KeyFamily::StudioContext))
        .unwrap();
    let text = policy(&format!(
        r#"{{"Effect": "Allow", "Action": ["{}", "{}"], "Resource": "arn:aws:sagemaker:us-east-1:111122223333:*/${{sagemaker:DomainId}}/${{sagemaker:UserProfileName}}"}}"#,
        without.action, with.action
    ));
    let found: Vec<Diagnostic> = lint_policy(&text)
        .into_iter()
        .filter(|d| d.code == codes::CONTEXT_KEY_ABSENT)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(spanned(&text, &found[0]), format!("\"{}\"", without.action));
    let s3 = policy(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${sagemaker:UserProfileName}/*"}"#,
    );
    assert!(has(&s3, codes::CONTEXT_KEY_ABSENT));
}

#[test]
fn rule_table_lists_every_code_once() {
    let mut seen: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), RULES.len());
    assert!(RULES.len() >= 14);
}

// IAM User Guide: "Understand access level summaries within policy summaries"
#[test]
fn summary_per_service() {
    use knowledge::AccessLevel;
    let parsed = parse_policy(&policy(
        r#"{"Effect": "Allow", "Action": ["sagemaker:Describe*", "sagemaker:AddTags", "iam:PassRole"], "Resource": "*",
            "Condition": {"Null": {"sagemaker:TaggingAction": "false"}}},
           {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/*"}"#,
    ));
    let summary = summarize(&parsed);
    let services: Vec<&str> = summary
        .services
        .iter()
        .map(|s| s.service.as_str())
        .collect();
    assert_eq!(services, ["iam", "s3", "sagemaker"]);
    let sm = &summary.services[2];
    assert_eq!(
        sm.allowed,
        [AccessLevel::Read, AccessLevel::Tagging]
            .into_iter()
            .collect()
    );
    assert_eq!(sm.grants.len(), 1);
    assert_eq!(
        sm.grants[0].conditions,
        ["Null sagemaker:TaggingAction false"]
    );
    assert_eq!(
        sm.grants[0].actions,
        ["sagemaker:Describe*", "sagemaker:AddTags"]
    );
    // the Service Authorization Reference lists iam:PassRole at access level Write
    assert_eq!(summary.services[0].allowed_text(), "Write");
    assert_eq!(summary.services[1].allowed_text(), "none");
    assert!(summary.services[1].denied.contains(&AccessLevel::Write));
    let text = summary.to_string();
    assert!(
        text.contains("sagemaker: Read, Tagging\n  #0 Allow: Read, Tagging on * when Null sagemaker:TaggingAction false"),
        "{text}"
    );
}

/// Damaged versions of every library template (a byte range cut out) never make the
/// linter or the summary panic.
#[test]
fn damaged_policies_never_panic() {
    let library = crate::Library::builtin();
    let world = crate::WorldFacts::example();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for t in &library.templates {
        let text = t.render(&world, &crate::Overrides::new()).unwrap().text;
        for _ in 0..40 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let a = (state % text.len() as u64) as usize;
            let b = (a + (state >> 32) as usize % 12).min(text.len());
            let (Some(head), Some(tail)) = (text.get(..a), text.get(b..)) else {
                continue;
            };
            let damaged = format!("{head}{tail}");
            let _ = lint_policy(&damaged);
            let _ = summarize(&parse_policy(&damaged));
        }
    }
}

// IAM User Guide: "Single-valued vs. multivalued context keys" — multivalued context keys
// require a condition set operator.
#[test]
fn multivalued_key_without_set_operator() {
    let plain = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "*",
            "Condition": {"StringEquals": {"aws:TagKeys": ["team", "project"]}}}"#,
    );
    let d = finding(&plain, codes::MULTIVALUED_WITHOUT_SET_OPERATOR);
    assert_eq!(spanned(&plain, &d), r#""StringEquals""#);
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("aws:TagKeys"));
    for ok in [
        r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "project"]}}"#,
        r#"{"ForAnyValue:StringEquals": {"sagemaker:InstanceTypes": ["ml.t3.medium"]}}"#,
        r#"{"Null": {"aws:TagKeys": "false"}}"#,
        r#"{"StringEquals": {"aws:RequestTag/team": "a"}}"#,
    ] {
        let text = policy(&format!(
            r#"{{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "*", "Condition": {ok}}}"#
        ));
        assert!(
            !has(&text, codes::MULTIVALUED_WITHOUT_SET_OPERATOR),
            "{ok}: {:?}",
            codes_of(&text)
        );
    }
}

// Service Authorization Reference: the actions of Amazon S3 and AWS Glue (typos get the
// nearest real names; IAM Access Analyzer policy check "Invalid action")
#[test]
fn unknown_actions_and_wildcards_from_the_reference() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": ["s3:GetObjcet", "glue:GetTabel", "sagemaker:Stop*Jbo", "nosuchsvc:Get", "sagemaker:Stop*Job"], "Resource": "*"}"#,
    );
    let found: Vec<(String, String)> = lint_policy(&text)
        .into_iter()
        .filter(|d| d.code == codes::UNKNOWN_ACTION || d.code == codes::WILDCARD_MATCHES_NO_ACTION)
        .map(|d| (spanned(&text, &d).to_owned(), d.message.clone()))
        .collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert_eq!(found[0].0, r#""s3:GetObjcet""#);
    assert!(
        found[0].1.contains("did you mean `s3:GetObject`"),
        "{}",
        found[0].1
    );
    assert!(found[1].1.contains("`glue:GetTable`"), "{}", found[1].1);
    assert_eq!(found[2].0, r#""sagemaker:Stop*Jbo""#);
    assert!(
        found[3].1.contains("not a service prefix"),
        "{}",
        found[3].1
    );
    // the summary lists them apart instead of counting them as Read or Write
    let summary = summarize(&parse_policy(&text));
    assert_eq!(
        summary.unrecognized,
        [
            "s3:GetObjcet",
            "glue:GetTabel",
            "sagemaker:Stop*Jbo",
            "nosuchsvc:Get"
        ]
    );
    assert!(!summary.services.iter().any(|s| s.service == "s3"));
}

// IAM User Guide: "Controlling access to AWS resources using tags" — at creation the
// resource has no tags, so aws:ResourceTag is missing; the reference lists aws:RequestTag
#[test]
fn resource_tag_on_a_create_action_never_applies() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}"#,
    );
    let d = finding(&text, codes::KEY_NOT_APPLICABLE);
    assert_eq!(spanned(&text, &d), r#""aws:ResourceTag/team""#);
    assert!(
        d.message.contains("this Allow never applies"),
        "{}",
        d.message
    );
    assert!(d.help.contains("aws:RequestTag/team"), "{}", d.help);
    // a Deny never applies either; a negated operator or IfExists only sees an absent key
    let deny = text.replace("\"Allow\"", "\"Deny\"");
    assert!(finding(&deny, codes::KEY_NOT_APPLICABLE)
        .message
        .contains("this Deny never applies"));
    let negated = text.replace("StringEquals", "StringNotEquals");
    assert!(finding(&negated, codes::KEY_NOT_APPLICABLE)
        .message
        .contains("always absent"));
    let if_exists = text.replace("StringEquals", "StringEqualsIfExists");
    assert!(finding(&if_exists, codes::KEY_NOT_APPLICABLE)
        .message
        .contains("always absent"));
    // the same key on an action on an existing training job is fine
    assert!(!has(
        &text.replace("CreateTrainingJob", "StopTrainingJob"),
        codes::KEY_NOT_APPLICABLE
    ));
    // global keys and the keys the Studio simulator adds are never flagged
    assert!(!has(
        &policy(
            r#"{"Effect": "Allow", "Action": "sagemaker:StopTrainingJob", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceIdentity": "a", "sagemaker:UserProfileName": "a"}}}"#
        ),
        codes::KEY_NOT_APPLICABLE
    ));
}

// IAM User Guide: "IAM JSON policy elements: Condition operators" (Date operators compare
// dates; s3:prefix is a String key in "Actions, resources, and condition keys for Amazon S3")
#[test]
fn operator_types_must_fit_the_key() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Condition": {"DateGreaterThan": {"s3:prefix": "2025-01-01T00:00:00Z"}, "Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}"#,
    );
    let found: Vec<String> = lint_policy(&text)
        .into_iter()
        .filter(|d| d.code == codes::OPERATOR_TYPE_MISMATCH)
        .map(|d| spanned(&text, &d).to_owned())
        .collect();
    assert_eq!(found, [r#""DateGreaterThan""#]);
    assert!(finding(&text, codes::OPERATOR_TYPE_MISMATCH)
        .help
        .contains("Type mismatch"));
}

// Service Authorization Reference: CreateModel acts on `model`, not on `training-job`; an
// action without resource types only matches "*"
#[test]
fn resources_must_fit_the_actions_resource_types() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": ["sagemaker:CreateModel", "sagemaker:StopTrainingJob"], "Resource": "arn:aws:sagemaker:us-east-1:111122223333:training-job/*"}"#,
    );
    let found: Vec<String> = lint_policy(&text)
        .into_iter()
        .filter(|d| d.code == codes::RESOURCE_TYPE_MISMATCH)
        .map(|d| spanned(&text, &d).to_owned())
        .collect();
    assert_eq!(found, [r#""sagemaker:CreateModel""#]);
    let star_only = policy(
        r#"{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::b"}"#,
    );
    assert!(finding(&star_only, codes::RESOURCE_TYPE_MISMATCH)
        .message
        .contains("only `\"Resource\": \"*\"`"));
    // object actions on a bucket ARN keep their own, more specific finding
    let bucket =
        policy(r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}"#);
    assert!(has(&bucket, codes::OBJECT_ACTION_ON_BUCKET_ARN));
    assert!(!has(&bucket, codes::RESOURCE_TYPE_MISMATCH));
}

#[test]
fn linting_parsed_policies_finds_what_linting_the_texts_does() {
    for text in [
        include_str!("../../../../scenarios/001-s3-own-prefix.json"),
        include_str!("../../../../scenarios/001-trust-policy-without-set-source-identity.json"),
    ] {
        let scenario = abacus_studio::scenario::Scenario::from_json(text).unwrap();
        let parsed: Vec<_> = scenario
            .policies
            .iter()
            .map(|p| parse_policy(&p.text))
            .collect();
        let refs: Vec<_> = parsed.iter().collect();
        let found = super::lint_scenario_parsed(&scenario, &refs);
        assert_eq!(found, super::lint_scenario(&scenario));
        // one policy's own findings and the cross-policy findings make up the whole
        let mut parts: Vec<(String, abacus_policy::Diagnostic)> = scenario
            .policies
            .iter()
            .zip(&parsed)
            .flat_map(|(p, parsed)| {
                super::lint_entry(p.kind, parsed)
                    .into_iter()
                    .map(|d| (p.id.clone(), d))
            })
            .collect();
        parts.extend(super::lint_scenario_cross(&scenario, &refs));
        super::sort_scenario_findings(&scenario, &mut parts);
        assert_eq!(parts, found);
    }
}

#[test]
fn the_cross_lint_cache_finds_what_linting_afresh_does_through_edits() {
    use abacus_policy::ParsedPolicy;
    use abacus_studio::scenario::Scenario;
    use std::sync::Arc;
    let afresh = |s: &Scenario, p: &[Arc<ParsedPolicy>]| {
        let refs: Vec<_> = p.iter().map(|p| &**p).collect();
        super::lint_scenario_cross(s, &refs)
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut with_findings = 0;
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let Ok(mut scenario) = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()) else {
            continue;
        };
        let mut parsed: Vec<Arc<ParsedPolicy>> = scenario
            .policies
            .iter()
            .map(|p| Arc::new(parse_policy(&p.text)))
            .collect();
        let mut cache = super::CrossLint::default();
        let first = cache.run(&scenario, &parsed);
        assert_eq!(first, afresh(&scenario, &parsed), "{}", path.display());
        with_findings += usize::from(!first.is_empty());
        // unchanged: the same findings from the kept groups
        assert_eq!(cache.run(&scenario, &parsed), first);
        // each policy in turn made to allow sts:SetSourceIdentity (or edited harmlessly):
        // the findings follow the edit exactly as a fresh lint's do
        for i in 0..scenario.policies.len() {
            let edited = scenario.policies[i].text.replace(
                "\"sts:AssumeRole\"",
                "[\"sts:AssumeRole\", \"sts:SetSourceIdentity\"]",
            );
            scenario.policies[i].text = format!("{edited} ").into();
            parsed[i] = Arc::new(parse_policy(&scenario.policies[i].text));
            let found = cache.run(&scenario, &parsed);
            assert_eq!(
                found,
                afresh(&scenario, &parsed),
                "{} edit {i}",
                path.display()
            );
        }
        // a policy renamed: its findings carry the new id
        if let Some(p) = scenario.policies.first_mut() {
            p.id = "renamed".into();
        }
        assert_eq!(cache.run(&scenario, &parsed), afresh(&scenario, &parsed));
    }
    assert!(with_findings > 0, "some scenario has cross-policy findings");
}
