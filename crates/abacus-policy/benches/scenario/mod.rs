//! The seed-style Studio scenario shared by the `decisions` bench and the
//! `bench_count` example: ten policies, about fifty statements.

use abacus_policy::{Context, NamedPolicy, PolicySet, Request};

const ACCOUNT: &str = "111122223333";

fn statement(i: usize, service: &str) -> String {
    format!(
        r#"{{"Sid":"S{i}","Effect":"Allow","Action":["{service}:Describe*","{service}:List*","{service}:Get*Item{i}"],"Resource":"arn:aws:{service}:us-east-1:{ACCOUNT}:thing-{i}/*","Condition":{{"StringEquals":{{"aws:ResourceTag/team":"${{aws:PrincipalTag/team}}"}}}}}}"#
    )
}

fn policy(statements: &[String]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// The ten policies as (kind, text).
pub fn texts() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // four filler identity policies for other services (5 statements each)
    for (n, svc) in ["s3", "secretsmanager", "elasticmapreduce", "glue"]
        .iter()
        .enumerate()
    {
        let sts: Vec<String> = (0..7).map(|i| statement(n * 10 + i, svc)).collect();
        out.push(("identity", policy(&sts)));
    }
    // the seed's Studio policy: user-level access by source identity (seed 001)
    out.push((
        "identity",
        policy(&[
            r#"{"Sid":"TrainingJobPermissions","Effect":"Allow","Action":["sagemaker:StopTrainingJob","sagemaker:DescribeTrainingJob","sagemaker:UpdateTrainingJob"],"Resource":"arn:aws:sagemaker:us-east-1:111122223333:training-job/*","Condition":{"StringLike":{"sagemaker:ResourceTag/sagemaker:user-profile-arn":"arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abc123/${aws:SourceIdentity}"}}}"#.to_owned(),
            r#"{"Sid":"ListBucket","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::my_bucket","Condition":{"StringLikeIfExists":{"s3:prefix":["my_domain/users/${aws:SourceIdentity}/*"]}}}"#.to_owned(),
            r#"{"Sid":"AccessBucketObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::my_bucket/my_domain/users/${aws:SourceIdentity}/*"]}"#.to_owned(),
            r#"{"Sid":"AddTagsOnCreate","Effect":"Allow","Action":["sagemaker:AddTags"],"Resource":["arn:aws:sagemaker:us-east-1:111122223333:*"],"Condition":{"Null":{"sagemaker:TaggingAction":"false"}}}"#.to_owned(),
            r#"{"Sid":"DenyOthersTags","Effect":"Deny","Action":["sagemaker:AddTags","sagemaker:DeleteTags"],"Resource":"*","Condition":{"Null":{"sagemaker:TaggingAction":"true"}}}"#.to_owned(),
        ]),
    ));
    // read-only Describe/List (seed 003)
    out.push((
        "identity",
        policy(&[
            r#"{"Sid":"ReadOnly","Effect":"Allow","Action":["sagemaker:Describe*","sagemaker:GetSearchSuggestions","sagemaker:List*"],"Resource":"*"}"#.to_owned(),
            r#"{"Sid":"Presigned","Effect":"Allow","Action":"sagemaker:CreatePresignedDomainUrl","Resource":"*","Condition":{"StringEquals":{"sagemaker:ResourceTag/studiouserid":"${aws:PrincipalTag/studiouserid}"}}}"#.to_owned(),
            r#"{"Sid":"CreateTagged","Effect":"Allow","Action":"sagemaker:Create*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]},"StringEqualsIfExists":{"aws:RequestTag/team":"${aws:PrincipalTag/team}"}}}"#.to_owned(),
            r#"{"Sid":"TeamResources","Effect":"Allow","Action":"sagemaker:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${sagemaker:ResourceTag/team}"}}}"#.to_owned(),
            r#"{"Sid":"DenyOutsideNetwork","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}"#.to_owned(),
        ]),
    ));
    let boundary: Vec<String> = (0..5)
        .map(|i| statement(90 + i, "ec2"))
        .chain([r#"{"Effect":"Allow","Action":["sagemaker:*","s3:*"],"Resource":"*"}"#.to_owned()])
        .collect();
    out.push(("boundary", policy(&boundary)));
    out.push((
        "session",
        policy(&[r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.to_owned()]),
    ));
    out.push((
        "scp",
        policy(&[r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.to_owned()]),
    ));
    out.push((
        "scp",
        policy(&[
            r#"{"Sid":"DenyOtherRegions","Effect":"Deny","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}"#.to_owned(),
            r#"{"Sid":"Allow","Effect":"Allow","Action":"*","Resource":"*"}"#.to_owned(),
        ]),
    ));
    out
}

/// The policies parsed into a policy set.
pub fn set() -> PolicySet {
    let mut set = PolicySet::default();
    let mut scps = Vec::new();
    for (i, (kind, text)) in texts().into_iter().enumerate() {
        let p = NamedPolicy::from_text(format!("{kind}{i}"), &text);
        assert!(!p.parsed.has_errors(), "{:?}", p.parsed.diagnostics);
        match kind {
            "identity" => set.identity.push(p),
            "boundary" => set.permission_boundaries.push(p),
            "session" => set.session = Some(p),
            _ => scps.push(vec![p]),
        }
    }
    set.scps = scps;
    set
}

/// A Studio user stopping their own training job from their private space.
pub fn request() -> Request {
    let mut context = Context::new();
    for (k, v) in [
        ("aws:SourceIdentity", "alice"),
        (
            "aws:PrincipalArn",
            "arn:aws:iam::111122223333:role/StudioExecutionRole",
        ),
        ("aws:PrincipalAccount", ACCOUNT),
        ("aws:PrincipalTag/team", "blue"),
        ("aws:RequestedRegion", "us-east-1"),
        ("aws:SourceIp", "10.1.2.3"),
        ("aws:ViaAWSService", "false"),
        (
            "sagemaker:ResourceTag/sagemaker:user-profile-arn",
            "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abc123/alice",
        ),
        ("sagemaker:ResourceTag/team", "blue"),
    ] {
        context.insert_single(k, v);
    }
    Request {
        principal: "arn:aws:sts::111122223333:assumed-role/StudioExecutionRole/SageMaker".into(),
        action: "sagemaker:StopTrainingJob".into(),
        resource: "arn:aws:sagemaker:us-east-1:111122223333:training-job/alice-job-1".into(),
        context,
    }
}
