#!/usr/bin/env python3
"""Writes scenarios/*.json and the crate's default scenario from the seed use cases.

Run from the repository root: python3 crates/abacus-studio/tools/gen_scenarios.py
The policies are the seeds' sample policies, corrected where the seed prints them
malformed (each correction is named in the scenario description).
"""
import copy
import json
import os

ACCT = "111122223333"
REGION = "us-east-1"
DOM = "d-xxxxxxxxxxxx"
SM = f"arn:aws:sagemaker:{REGION}:{ACCT}"


def pol(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def entry(pid, name, kind, text, attached):
    return {"id": pid, "name": name, "kind": kind, "text": text, "attachedTo": attached}


def sel(user, action, resource=None, route=None, **params):
    s = {"user": user, "action": action}
    if resource:
        s["resource"] = resource
    s["route"] = route or {"type": "studioSpace"}
    if params:
        s["parameters"] = params
    return s


def exp(name, expected, request, contains=None):
    e = {"name": name, "request": request, "expected": expected}
    if contains:
        e["messageContains"] = contains
    return e


STUDIO = {"type": "studioSpace"}
TRAINING = {"type": "trainingJob"}
PROCESSING = {"type": "processingJob"}
PIPELINE = {"type": "pipeline"}
KEYS = {"type": "accessKeys"}
CONSOLE = {"type": "console"}


def chain(role, session=None):
    r = {"type": "roleChain", "role": role}
    if session:
        r["sessionName"] = session
    return r


# ---------------------------------------------------------------- seed 001 world
def world_001():
    return {
        "account": ACCT,
        "partition": "aws",
        "region": REGION,
        "clock": "2025-04-18T13:16:36Z",
        "idSeed": 1,
        "domains": [
            {"id": DOM, "name": "business-unit-1", "executionRoleIdentityConfig": "USER_PROFILE_NAME",
             "trustedIdentityPropagation": False, "defaultExecutionRole": "SageMakerStudioTeamARole"},
        ],
        "users": [
            {"name": "alice", "domain": DOM, "tags": {"studiouserid": "alice", "team": "TeamA"},
             "executionRole": "SageMakerStudioTeamARole", "auth": {"type": "iamUser", "userName": "alice"}},
            {"name": "bob", "domain": DOM, "tags": {"studiouserid": "bob", "team": "TeamA"},
             "executionRole": "SageMakerStudioTeamARole", "auth": {"type": "iamUser", "userName": "bob"}},
            {"name": "carol", "domain": DOM, "tags": {"studiouserid": "carol", "team": "TeamB"},
             "executionRole": "SageMakerStudioTeamBRole", "auth": {"type": "iamUser", "userName": "carol"}},
        ],
        "roles": [
            {"name": "SageMakerStudioTeamARole", "tags": {"team": "TeamA"}, "persona": "data scientist (Studio execution role, team A)"},
            {"name": "SageMakerStudioTeamBRole", "tags": {"team": "TeamB"}, "persona": "data scientist (Studio execution role, team B)"},
            {"name": "DataEngineerRole", "tags": {"persona": "data-engineer"}, "persona": "data engineer"},
        ],
        "iamUsers": [
            {"name": "alice", "tags": {}}, {"name": "bob", "tags": {}}, {"name": "carol", "tags": {}},
        ],
        "resources": [
            {"id": "tj-alice", "type": "training-job", "name": "alice-xgboost-1", "owner": "alice", "createdInStudio": True, "tags": {}},
            {"id": "tj-bob", "type": "training-job", "name": "bob-xgboost-1", "owner": "bob", "createdInStudio": True, "tags": {}},
            {"id": "tj-carol", "type": "training-job", "name": "carol-bert-1", "owner": "carol", "createdInStudio": True, "tags": {}},
            {"id": "pj-alice", "type": "processing-job", "name": "alice-features-1", "owner": "alice", "createdInStudio": True, "tags": {}},
            {"id": "ep-alice", "type": "endpoint", "name": "alice-churn", "owner": "alice", "createdInStudio": True, "tags": {}},
            {"id": "exp-alice", "type": "experiment", "name": "alice-churn-experiment", "owner": "alice", "createdInStudio": True, "tags": {}},
            {"id": "pipeline-bob", "type": "pipeline", "name": "bob-retrain", "owner": "bob", "createdInStudio": True, "tags": {}},
            {"id": "space-alice", "type": "space", "name": "alice-private", "owner": "alice", "createdInStudio": True, "tags": {}},
            {"id": "app-alice", "type": "app", "name": "alice-private/JupyterLab/default", "owner": "alice", "createdInStudio": True, "tags": {}},
            {"id": "space-bob", "type": "space", "name": "bob-private", "owner": "bob", "createdInStudio": True, "tags": {}},
            {"id": "fsx-users", "type": "fsx-file-system", "name": "fs-0123456789abcdef0", "tags": {"purpose": "user-directories"}},
            {"id": "efs-home", "type": "efs-file-system", "name": "fs-0fedcba9876543210", "tags": {"ManagedByAmazonSageMakerResource": f"arn:aws:sagemaker:{REGION}:{ACCT}:domain/{DOM}"}},
            {"id": "bucket", "type": "s3-bucket", "name": "my-bucket", "tags": {}},
            {"id": "obj-alice", "type": "s3-object", "name": "my-bucket/my_domain/users/alice/train.csv", "owner": "alice", "tags": {}},
            {"id": "obj-bob", "type": "s3-object", "name": "my-bucket/my_domain/users/bob/train.csv", "owner": "bob", "tags": {}},
            {"id": "obj-carol", "type": "s3-object", "name": "my-bucket/my_domain/users/carol/train.csv", "owner": "carol", "tags": {}},
            {"id": "secret-alice", "type": "secret", "name": "user-secrets/alice/git-pat-Ab12Cd", "owner": "alice", "tags": {}},
            {"id": "secret-bob", "type": "secret", "name": "user-secrets/bob/git-pat-Ef34Gh", "owner": "bob", "tags": {}},
            {"id": "emr-alice", "type": "emr-cluster", "name": "j-1ALICE2EXAMPLE", "owner": "alice", "tags": {"user": "alice"}},
            {"id": "emr-bob", "type": "emr-cluster", "name": "j-2BOB3EXAMPLE", "owner": "bob", "tags": {"user": "bob"}},
            {"id": "role-teama", "type": "iam-role", "name": "SageMakerStudioTeamARole", "tags": {"team": "TeamA"}},
            {"id": "role-dataengineer", "type": "iam-role", "name": "DataEngineerRole", "tags": {"persona": "data-engineer"}},
            {"id": "glue-db", "type": "glue-database", "name": "my_database", "tags": {}},
            {"id": "glue-table", "type": "glue-table", "name": "my_database/my_table", "tags": {}},
            {"id": "athena-primary", "type": "athena-workgroup", "name": "primary", "tags": {}},
        ],
        "spaceSharingTypes": {"space-alice": "Private", "app-alice": "Private", "space-bob": "Private"},
    }


TRUST_SAGEMAKER_SI = pol({
    "Effect": "Allow",
    "Principal": {"Service": "sagemaker.amazonaws.com"},
    "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
})

TRAIN_KEYS = pol({
    "Sid": "TrainingJobPermissions",
    "Effect": "Allow",
    "Action": ["sagemaker:StopTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:UpdateTrainingJob"],
    "Resource": f"{SM}:training-job/*",
    "Condition": {"StringLike": {
        "sagemaker:ResourceTag/sagemaker:user-profile-arn": f"{SM}:user-profile/${{sagemaker:DomainId}}/${{sagemaker:UserProfileName}}"}},
})

TRAIN_SI = pol({
    "Sid": "TrainingJobPermissions",
    "Effect": "Allow",
    "Action": ["sagemaker:StopTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:UpdateTrainingJob"],
    "Resource": f"{SM}:training-job/*",
    "Condition": {"StringLike": {
        "sagemaker:ResourceTag/sagemaker:user-profile-arn": f"{SM}:user-profile/{DOM}/${{aws:SourceIdentity}}"}},
})

ADD_TAGS_ON_CREATE = pol({
    "Sid": "AddTagsOnCreate",
    "Effect": "Allow",
    "Action": ["sagemaker:AddTags"],
    "Resource": [f"{SM}:*"],
    "Condition": {"Null": {"sagemaker:TaggingAction": "false"}},
})

CREATE_EXPERIMENTS = pol({
    "Sid": "CreateExperimentsAndJobs",
    "Effect": "Allow",
    "Action": ["sagemaker:CreateExperiment", "sagemaker:CreateTrainingJob"],
    "Resource": "*",
})

S3_PREFIX = pol(
    {"Sid": "ListBucket", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket",
     "Condition": {"StringLikeIfExists": {"s3:prefix": ["my_domain/users/${aws:SourceIdentity}/*"]}}},
    {"Sid": "AccessBucketObjects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
     "Resource": ["arn:aws:s3:::my-bucket/my_domain/users/${aws:SourceIdentity}/*"]},
)

BUCKET_POLICY = pol({
    "Sid": "DenyUnlessMatchingUser",
    "Effect": "Deny",
    "Principal": "*",
    "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    "Resource": "arn:aws:s3:::my-bucket/*",
    "Condition": {"StringNotLike": {"aws:SourceIdentity": ["alice", "bob"]}},
})

SECRETS = pol({
    "Sid": "UserSpecificSecretsAccess",
    "Effect": "Allow",
    "Action": ["secretsmanager:GetSecretValue"],
    "Resource": f"arn:aws:secretsmanager:{REGION}:{ACCT}:secret:user-secrets/${{aws:SourceIdentity}}/*",
})

EMR = pol({
    "Sid": "AllowClusterCreds",
    "Effect": "Allow",
    "Action": ["elasticmapreduce:GetClusterSessionCredentials"],
    "Resource": "*",
    "Condition": {"StringEquals": {"elasticmapreduce:ResourceTag/user": "${aws:SourceIdentity}"}},
})

FSX = pol({
    "Sid": "SageMakerLaunchJobs",
    "Effect": "Allow",
    "Action": ["sagemaker:CreateTrainingJob"],
    "Resource": f"{SM}:training-job/*",
    "Condition": {"ForAllValues:StringEquals": {"sagemaker:FileSystemDirectoryPath": ["/fsx/users/${aws:SourceIdentity}"]}},
})

LAKE_FORMATION = pol(
    {"Sid": "QueryThroughAthena", "Effect": "Allow", "Action": ["athena:StartQueryExecution"],
     "Resource": f"arn:aws:athena:{REGION}:{ACCT}:workgroup/primary"},
    {"Sid": "LakeFormationDataAccess", "Effect": "Allow", "Action": ["lakeformation:GetDataAccess", "glue:GetTable"],
     "Resource": "*"},
)

CHAIN_TRUST = pol({
    "Sid": "StudioRolesMayChainWithSourceIdentity",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{ACCT}:role/SageMakerStudioTeamARole"},
    "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
})

ASSUME_DATA_ENGINEER = pol({
    "Sid": "ChainToDataEngineer",
    "Effect": "Allow",
    "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
    "Resource": f"arn:aws:iam::{ACCT}:role/DataEngineerRole",
})

STUDIO_ROLES = ["role:SageMakerStudioTeamARole", "role:SageMakerStudioTeamBRole"]


def base_001(extra_policies):
    return [entry("trust-execution", "SageMakerExecutionTrust", "trust", TRUST_SAGEMAKER_SI, STUDIO_ROLES)] + extra_policies


def doc(name, source, description, world, policies, selection, expectations, matrix=None):
    d = {
        "version": 2,
        "name": name,
        "description": description,
        "source": source,
        "world": world,
        "policies": policies,
        "selection": selection,
        "expectations": expectations,
    }
    if matrix:
        d["matrix"] = matrix
    return d


SCENARIOS = {}

# 001: training jobs with the SageMaker context keys
SCENARIOS["001-training-jobs-own-resources-context-keys"] = doc(
    "Training jobs: users manage only their own (SageMaker context keys)",
    "seed 001: SageMaker AI access control (sagemaker:DomainId / sagemaker:UserProfileName)",
    "The execution role is shared by the whole team; the resource tag sagemaker:user-profile-arn, added by Studio, is compared with ${sagemaker:DomainId}/${sagemaker:UserProfileName}. The seed prints a literal `...` inside Condition; it is left out here. These keys exist only for SageMaker calls made inside Studio, so the same call from a training job or with access keys is denied.",
    world_001(),
    base_001([entry("training-keys", "TrainingJobPermissions", "identity", TRAIN_KEYS, STUDIO_ROLES)]),
    sel("alice", "sagemaker:StopTrainingJob", "tj-bob"),
    [
        exp("alice stops her own training job from her space", "Allow", sel("alice", "sagemaker:StopTrainingJob", "tj-alice")),
        exp("alice describes her own training job", "Allow", sel("alice", "sagemaker:DescribeTrainingJob", "tj-alice")),
        exp("alice cannot stop bob's training job", "ImplicitDeny", sel("alice", "sagemaker:StopTrainingJob", "tj-bob"),
            "is not authorized to perform: sagemaker:StopTrainingJob on resource: arn:aws:sagemaker:us-east-1:111122223333:training-job/bob-xgboost-1"),
        exp("bob cannot update alice's training job", "ImplicitDeny", sel("bob", "sagemaker:UpdateTrainingJob", "tj-alice")),
        exp("carol (team B) cannot describe alice's training job", "ImplicitDeny", sel("carol", "sagemaker:DescribeTrainingJob", "tj-alice")),
        exp("from a training job the SageMaker context keys are absent", "ImplicitDeny", sel("alice", "sagemaker:StopTrainingJob", "tj-alice", TRAINING)),
    ],
    {"actions": ["sagemaker:StopTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:UpdateTrainingJob"]},
)

SCENARIOS["001-training-jobs-own-resources-source-identity"] = doc(
    "Training jobs: users manage only their own (source identity)",
    "seed 001: SageMaker AI access control (aws:SourceIdentity variant)",
    "Same rule written with ${aws:SourceIdentity}; the domain id is fixed in the ARN. The source identity persists into jobs and through role chaining, but external access keys carry none.",
    world_001(),
    base_001([entry("training-si", "TrainingJobPermissions", "identity", TRAIN_SI, STUDIO_ROLES)]),
    sel("alice", "sagemaker:StopTrainingJob", "tj-alice", TRAINING),
    [
        exp("alice stops her own training job from her space", "Allow", sel("alice", "sagemaker:StopTrainingJob", "tj-alice")),
        exp("a pipeline started by alice stops her training job", "Allow", sel("alice", "sagemaker:StopTrainingJob", "tj-alice", PIPELINE)),
        exp("alice cannot stop bob's training job", "ImplicitDeny", sel("alice", "sagemaker:StopTrainingJob", "tj-bob")),
        exp("bob cannot stop alice's training job from his processing job", "ImplicitDeny", sel("bob", "sagemaker:StopTrainingJob", "tj-alice", PROCESSING)),
    ],
    {"actions": ["sagemaker:StopTrainingJob", "sagemaker:DescribeTrainingJob"]},
)

SCENARIOS["001-add-tags-only-on-create"] = doc(
    "AddTags only while creating (sagemaker:TaggingAction)",
    "seed 001: prerequisites (AddTagsOnCreate)",
    "Ownership lives in tags, so sagemaker:AddTags is allowed only as part of a create call (sagemaker:TaggingAction is present). A stand-alone AddTags that rewrites the owner tag of bob's job is denied.",
    world_001(),
    base_001([
        entry("add-tags-on-create", "AddTagsOnCreate", "identity", ADD_TAGS_ON_CREATE, STUDIO_ROLES),
        entry("create", "CreateExperimentsAndJobs", "identity", CREATE_EXPERIMENTS, STUDIO_ROLES),
    ]),
    sel("alice", "sagemaker:AddTags", "tj-bob", tags={"owner": "alice"}),
    [
        exp("creating an experiment with tags is allowed (AddTags during create)", "Allow",
            sel("alice", "sagemaker:CreateExperiment", name="alice-exp-2", tags={"project": "churn"})),
        exp("AddTags issued by CreateTrainingJob carries TaggingAction", "Allow",
            sel("alice", "sagemaker:AddTags", name="alice-job-2", resourceType="training-job", taggingAction="CreateTrainingJob", tags={"project": "churn"})),
        exp("alice cannot retag bob's training job", "ImplicitDeny", sel("alice", "sagemaker:AddTags", "tj-bob", tags={"owner": "alice"})),
    ],
)

SCENARIOS["001-s3-own-prefix"] = doc(
    "S3: each user reaches only their own prefix",
    "seed 001: Amazon S3 access control",
    "Identity policy scoped to my_domain/users/${aws:SourceIdentity}/, plus the seed's bucket policy that denies object access unless the source identity is alice or bob. Corrections: the seed nests the statements in an extra array, names the bucket my_bucket (not a valid bucket name) in one policy and my-bucket in the other, and its bucket policy names the bucket ARN, which never matches object ARNs, so its deny would never apply; here it names my-bucket/*. Listing without a prefix passes the ...IfExists condition.",
    world_001(),
    base_001([
        entry("s3-prefix", "UserPrefixAccess", "identity", S3_PREFIX, STUDIO_ROLES),
        entry("bucket-policy", "my-bucket policy", "resource", BUCKET_POLICY, ["resource:bucket"]),
    ]),
    sel("alice", "s3:GetObject", "obj-bob"),
    [
        exp("alice reads her own object", "Allow", sel("alice", "s3:GetObject", "obj-alice")),
        exp("alice's training job writes her prefix", "Allow", sel("alice", "s3:PutObject", "obj-alice", TRAINING)),
        exp("alice lists her prefix", "Allow", sel("alice", "s3:ListBucket", "bucket", prefix="my_domain/users/alice/")),
        exp("alice cannot list bob's prefix", "ImplicitDeny", sel("alice", "s3:ListBucket", "bucket", prefix="my_domain/users/bob/")),
        exp("alice cannot read bob's object", "ImplicitDeny", sel("alice", "s3:GetObject", "obj-bob"),
            "is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::my-bucket/my_domain/users/bob/train.csv\""),
        exp("bob cannot delete alice's object", "ImplicitDeny", sel("bob", "s3:DeleteObject", "obj-alice")),
        exp("carol is not in the bucket policy's list: explicit deny", "ExplicitDeny", sel("carol", "s3:GetObject", "obj-carol")),
        exp("access keys carry no source identity: explicit deny", "ExplicitDeny", sel("alice", "s3:GetObject", "obj-alice", KEYS)),
    ],
    {"actions": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]},
)

SCENARIOS["001-secrets-per-user"] = doc(
    "Secrets Manager: each user reads only their own secrets",
    "seed 001: Secrets Manager secret access control",
    "GetSecretValue on secret:user-secrets/${aws:SourceIdentity}/*. Correction: the seed has a trailing comma in the Action array.",
    world_001(),
    base_001([entry("secrets", "UserSpecificSecretsAccess", "identity", SECRETS, STUDIO_ROLES)]),
    sel("bob", "secretsmanager:GetSecretValue", "secret-alice"),
    [
        exp("alice reads her secret from her space", "Allow", sel("alice", "secretsmanager:GetSecretValue", "secret-alice")),
        exp("alice's training job reads her secret", "Allow", sel("alice", "secretsmanager:GetSecretValue", "secret-alice", TRAINING)),
        exp("bob cannot read alice's secret", "ImplicitDeny", sel("bob", "secretsmanager:GetSecretValue", "secret-alice"),
            "is not authorized to perform: secretsmanager:GetSecretValue"),
        exp("alice cannot read bob's secret", "ImplicitDeny", sel("alice", "secretsmanager:GetSecretValue", "secret-bob")),
    ],
)

SCENARIOS["001-emr-cluster-by-user-tag"] = doc(
    "EMR: connect only to clusters tagged with your user",
    "seed 001: Amazon EMR cluster access control",
    "GetClusterSessionCredentials requires elasticmapreduce:ResourceTag/user to equal ${aws:SourceIdentity}.",
    world_001(),
    base_001([entry("emr", "AllowClusterCreds", "identity", EMR, STUDIO_ROLES)]),
    sel("alice", "elasticmapreduce:GetClusterSessionCredentials", "emr-bob"),
    [
        exp("alice connects to her cluster", "Allow", sel("alice", "elasticmapreduce:GetClusterSessionCredentials", "emr-alice")),
        exp("alice cannot connect to bob's cluster", "ImplicitDeny", sel("alice", "elasticmapreduce:GetClusterSessionCredentials", "emr-bob"),
            "is not authorized to perform: elasticmapreduce:GetClusterSessionCredentials"),
        exp("bob cannot connect to alice's cluster", "ImplicitDeny", sel("bob", "elasticmapreduce:GetClusterSessionCredentials", "emr-alice")),
    ],
)

SCENARIOS["001-fsx-user-directory"] = doc(
    "FSx: training jobs mount only the user's directory",
    "seed 001: File system access control in SageMaker training jobs",
    "CreateTrainingJob is allowed when every sagemaker:FileSystemDirectoryPath is /fsx/users/${aws:SourceIdentity}. Correction: the seed closes the path with a smart quote. Note the ForAllValues pitfall: a job with no file system input has no such key and is allowed.",
    world_001(),
    base_001([entry("fsx", "SageMakerLaunchJobs", "identity", FSX, STUDIO_ROLES)]),
    sel("alice", "sagemaker:CreateTrainingJob", name="alice-fsx-2", fileSystemDirectoryPaths=["/fsx/users/bob"]),
    [
        exp("alice trains on her directory", "Allow", sel("alice", "sagemaker:CreateTrainingJob", name="alice-fsx-1", fileSystemDirectoryPaths=["/fsx/users/alice"], fileSystemId="fs-0123456789abcdef0", fileSystemType="FSxLustre", fileSystemAccessMode="ro")),
        exp("alice cannot mount bob's directory", "ImplicitDeny",
            sel("alice", "sagemaker:CreateTrainingJob", name="alice-fsx-2", fileSystemDirectoryPaths=["/fsx/users/bob"]),
            "is not authorized to perform: sagemaker:CreateTrainingJob"),
        exp("mounting her own and bob's directory is denied", "ImplicitDeny",
            sel("alice", "sagemaker:CreateTrainingJob", name="alice-fsx-3", fileSystemDirectoryPaths=["/fsx/users/alice", "/fsx/users/bob"])),
        exp("a job without file system input passes ForAllValues (pitfall)", "Allow", sel("alice", "sagemaker:CreateTrainingJob", name="alice-nofs-1")),
    ],
)

SCENARIOS["001-source-identity-auditing"] = doc(
    "Auditing: the source identity follows the user into jobs and chained roles",
    "seed 001: Monitor user access with the source identity",
    "Every CloudTrail record of the shared execution role carries sessionContext.sourceIdentity = the user profile name, from the space, from jobs and pipelines and after role chaining; access keys carry none.",
    world_001(),
    base_001([
        entry("s3-prefix", "UserPrefixAccess", "identity", S3_PREFIX, STUDIO_ROLES + ["role:DataEngineerRole"]),
        entry("assume-de", "ChainToDataEngineer", "identity", ASSUME_DATA_ENGINEER, ["role:SageMakerStudioTeamARole"]),
        entry("trust-de", "DataEngineerTrust", "trust", CHAIN_TRUST, ["role:DataEngineerRole"]),
    ]),
    sel("alice", "s3:GetObject", "obj-alice", chain("DataEngineerRole")),
    [
        exp("alice's processing job reads her data", "Allow", sel("alice", "s3:GetObject", "obj-alice", PROCESSING)),
        exp("alice assumes the data engineer role, keeping her source identity", "Allow",
            sel("alice", "sts:AssumeRole", "role-dataengineer")),
        exp("the chained session still reaches only alice's prefix", "Allow", sel("alice", "s3:GetObject", "obj-alice", chain("DataEngineerRole"))),
        exp("the chained session cannot reach bob's prefix", "ImplicitDeny", sel("alice", "s3:GetObject", "obj-bob", chain("DataEngineerRole"))),
    ],
)

# 001 prerequisite: the execution role's trust policy gates the Studio session
D1_PLAIN = "d-nosourceid001"
TRUST_SAGEMAKER_ONLY_ASSUME = pol({
    "Sid": "SageMakerAssumesTheRole",
    "Effect": "Allow",
    "Principal": {"Service": "sagemaker.amazonaws.com"},
    "Action": "sts:AssumeRole",
})


def world_001_two_domains():
    w = world_001()
    w["domains"].append(
        {"id": D1_PLAIN, "name": "business-unit-2", "executionRoleIdentityConfig": "DISABLED",
         "trustedIdentityPropagation": False, "defaultExecutionRole": "SageMakerStudioTeamARole"})
    w["users"].append(
        {"name": "dave", "domain": D1_PLAIN, "tags": {"studiouserid": "dave", "team": "TeamA"},
         "executionRole": "SageMakerStudioTeamARole", "auth": {"type": "iamUser", "userName": "dave"}})
    w["iamUsers"].append({"name": "dave", "tags": {}})
    w["resources"].append(
        {"id": "tj-dave", "type": "training-job", "name": "dave-xgboost-1", "owner": "dave", "createdInStudio": True, "tags": {}})
    return w


SCENARIOS["001-trust-policy-without-set-source-identity"] = doc(
    "Prerequisite: the execution role must trust SageMaker to set the source identity",
    "seed 001: prerequisites (execution role trust policy with sts:AssumeRole and sts:SetSourceIdentity)",
    "Seed 001 asks for a trust policy that lets sagemaker.amazonaws.com call sts:AssumeRole and sts:SetSourceIdentity before ExecutionRoleIdentityConfig is set to USER_PROFILE_NAME. Here the shared execution role trusts SageMaker with sts:AssumeRole only. In domain business-unit-1 (USER_PROFILE_NAME) SageMaker cannot create the space's session with the profile name as source identity, so nothing alice runs in Studio happens: the only record is SageMaker's failed AssumeRole. dave uses the same role in domain business-unit-2 (DISABLED), where no source identity is set, so sts:AssumeRole alone is enough and his call is evaluated as usual.",
    world_001_two_domains(),
    [
        entry("trust-execution", "SageMakerExecutionTrust (AssumeRole only)", "trust", TRUST_SAGEMAKER_ONLY_ASSUME, STUDIO_ROLES),
        entry("training-keys", "TrainingJobPermissions", "identity", TRAIN_KEYS, STUDIO_ROLES),
    ],
    sel("alice", "sagemaker:StopTrainingJob", "tj-alice"),
    [
        exp("alice's space session cannot exist, so she cannot stop even her own job", "ImplicitDeny",
            sel("alice", "sagemaker:StopTrainingJob", "tj-alice"),
            "its trust policy does not allow sts:SetSourceIdentity for sagemaker.amazonaws.com"),
        exp("a training job alice starts cannot get its session either", "ImplicitDeny",
            sel("alice", "s3:GetObject", "obj-alice", TRAINING),
            "SageMaker could not assume `SageMakerStudioTeamARole` with a source identity"),
        exp("dave's domain sets no source identity: sts:AssumeRole is enough", "Allow",
            sel("dave", "sagemaker:StopTrainingJob", "tj-dave")),
        exp("dave still cannot stop alice's job", "ImplicitDeny", sel("dave", "sagemaker:StopTrainingJob", "tj-alice")),
    ],
    {"actions": ["sagemaker:StopTrainingJob"]},
)

SCENARIOS["001-lake-formation-athena-audit"] = doc(
    "Lake Formation through Athena: GetDataAccess names the user",
    "seed 001: Accessing an AWS Glue table with Amazon Athena",
    "A SELECT from a Studio notebook through Athena makes Lake Formation log GetDataAccess with the execution role, sourceIdentity = the user profile name, the table ARN, SELECT and the Athena query id in auditContext. Lake Formation grants themselves are not evaluated (not IAM).",
    world_001(),
    base_001([entry("lf", "AthenaLakeFormationAccess", "identity", LAKE_FORMATION, STUDIO_ROLES)]),
    sel("alice", "athena:StartQueryExecution", "athena-primary", target="glue-table", query="SELECT * FROM my_database.my_table LIMIT 10"),
    [
        exp("alice queries the table through Athena", "Allow",
            sel("alice", "athena:StartQueryExecution", "athena-primary", target="glue-table", query="SELECT * FROM my_database.my_table LIMIT 10")),
        exp("alice's processing job queries through Athena", "Allow",
            sel("alice", "athena:StartQueryExecution", "athena-primary", PROCESSING, target="glue-table", query="SELECT 1")),
    ],
)

SCENARIOS["001-lake-formation-emr-audit"] = doc(
    "Lake Formation through EMR: GetDataAccess names the user",
    "seed 001: Accessing an AWS Glue table with Amazon EMR",
    "A PySpark SELECT on an EMR cluster with runtime roles logs GetDataAccess with sourceIdentity and the LakeFormationAuthorizedCaller session tag.",
    world_001(),
    base_001([entry("lf", "AthenaLakeFormationAccess", "identity", LAKE_FORMATION, STUDIO_ROLES)]),
    sel("alice", "lakeformation:GetDataAccess", None, PIPELINE, target="glue-table", via="emr"),
    [
        exp("alice's pipeline EMR step reads the table", "Allow", sel("alice", "lakeformation:GetDataAccess", None, PIPELINE, target="glue-table", via="emr")),
        exp("alice's notebook on EMR reads the table", "Allow", sel("alice", "lakeformation:GetDataAccess", None, STUDIO, target="glue-table", via="emr")),
    ],
)

# ---------------------------------------------------------------- seed 003 world
D3 = "d-teamsdomain01"


def world_003(federated=False):
    def auth(name):
        if federated:
            return {"type": "saml", "role": "StudioFederatedUserRole", "sessionName": f"{name}@example.com",
                    "principalTags": {"studiouserid": name}, "transitiveTagKeys": ["studiouserid"]}
        return {"type": "iamUser", "userName": name}
    users = [
        ("usera1", "TeamA", "SageMakerStudioDeveloperTeamARole"),
        ("usera2", "TeamA", "SageMakerStudioDeveloperTeamARole"),
        ("userb1", "TeamB", "SageMakerStudioDeveloperTeamBRole"),
    ]
    return {
        "account": ACCT,
        "partition": "aws",
        "region": REGION,
        "clock": "2025-04-18T13:16:36Z",
        "idSeed": 3,
        "domains": [{"id": D3, "name": "teams", "executionRoleIdentityConfig": "DISABLED",
                     "trustedIdentityPropagation": False, "defaultExecutionRole": "SageMakerStudioDeveloperTeamARole"}],
        "users": [{"name": n, "domain": D3, "tags": {"studiouserid": n, "team": t}, "executionRole": r, "auth": auth(n)} for n, t, r in users],
        "roles": [
            {"name": "SageMakerStudioDeveloperTeamARole", "tags": {"team": "TeamA"}, "persona": "data scientist, team A"},
            {"name": "SageMakerStudioDeveloperTeamBRole", "tags": {"team": "TeamB"}, "persona": "data scientist, team B"},
            {"name": "StudioFederatedUserRole", "tags": {}, "persona": "SAML federation role"},
        ],
        "iamUsers": [{"name": n, "tags": {}} for n, _, _ in users] + [{"name": "studio-admin", "tags": {}}],
        "resources": [
            {"id": "profile-usera1", "type": "user-profile", "name": "usera1", "owner": "usera1", "tags": {"studiouserid": "usera1"}},
            {"id": "profile-usera2", "type": "user-profile", "name": "usera2", "owner": "usera2", "tags": {"studiouserid": "usera2"}},
            {"id": "profile-userb1", "type": "user-profile", "name": "userb1", "owner": "userb1", "tags": {"studiouserid": "userb1"}},
            {"id": "exp-a1", "type": "experiment", "name": "USERA1TEAMAEXPERIMENT1", "owner": "usera1", "createdInStudio": True, "tags": {"team": "TeamA"}},
            {"id": "exp-b1", "type": "experiment", "name": "USERB1TEAMBEXPERIMENT1", "owner": "userb1", "createdInStudio": True, "tags": {"team": "TeamB"}},
            {"id": "ep-a1", "type": "endpoint", "name": "teama-churn", "owner": "usera1", "createdInStudio": True, "tags": {"team": "TeamA"}},
            {"id": "app-a1", "type": "app", "name": "usera1/JupyterServer/default", "owner": "usera1", "createdInStudio": True, "tags": {}},
        ],
    }


ADMIN_CREATE_PROFILE = pol({
    "Sid": "CreateSageMakerStudioUserProfilePolicy",
    "Effect": "Allow",
    "Action": "sagemaker:CreateUserProfile",
    "Resource": "*",
    "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["studiouserid"]}},
})

PRESIGNED_IAM = pol({
    "Sid": "AmazonSageMakerPresignedUrlPolicy",
    "Effect": "Allow",
    "Action": ["sagemaker:CreatePresignedDomainUrl"],
    "Resource": "*",
    "Condition": {"StringEquals": {"sagemaker:ResourceTag/studiouserid": "${aws:username}"}},
})

PRESIGNED_SAML = pol({
    "Sid": "AmazonSageMakerPresignedUrlPolicy",
    "Effect": "Allow",
    "Action": ["sagemaker:CreatePresignedDomainUrl"],
    "Resource": "*",
    "Condition": {"StringEquals": {"sagemaker:ResourceTag/studiouserid": "${aws:PrincipalTag/studiouserid}"}},
})

SAML_TRUST = pol(
    {"Sid": "SamlFederation", "Effect": "Allow",
     "Principal": {"Federated": f"arn:aws:iam::{ACCT}:saml-provider/okta"},
     "Action": "sts:AssumeRoleWithSAML",
     "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}},
    {"Sid": "IdentifyTransitiveTags", "Effect": "Allow",
     "Principal": {"Federated": f"arn:aws:iam::{ACCT}:saml-provider/okta"},
     "Action": "sts:TagSession",
     "Condition": {"ForAllValues:StringEquals": {"sts:TransitiveTagKeys": ["studiouserid"]}}},
)

READ_ONLY = pol(
    {"Sid": "AmazonSageMakerDescribeReadyOnlyPolicy", "Effect": "Allow",
     "Action": ["sagemaker:Describe*", "sagemaker:GetSearchSuggestions"], "Resource": "*"},
    {"Sid": "AmazonSageMakerListOnlyPolicy", "Effect": "Allow", "Action": ["sagemaker:List*"], "Resource": "*"},
    {"Sid": "AmazonSageMakerUIandMetricsOnlyPolicy", "Effect": "Allow",
     "Action": ["sagemaker:*App", "sagemaker:Search", "sagemaker:RenderUiTemplate", "sagemaker:BatchGetMetrics"], "Resource": "*"},
    {"Sid": "AmazonSageMakerEC2ReadOnlyPolicy", "Effect": "Allow",
     "Action": ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables",
                "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcs"],
     "Resource": "*"},
    {"Sid": "AmazonSageMakerIAMReadOnlyPolicy", "Effect": "Allow", "Action": ["iam:ListRoles"], "Resource": "*"},
)

DEVELOPER = pol(
    {"Sid": "AmazonSageMakerStudioCreateApp", "Effect": "Allow", "Action": ["sagemaker:CreateApp"], "Resource": "*"},
    {"Sid": "AmazonSageMakerStudioIAMPassRole", "Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*"},
    {"Sid": "AmazonSageMakerInvokeEndPointRole", "Effect": "Allow", "Action": ["sagemaker:InvokeEndpoint"], "Resource": "*"},
    {"Sid": "AmazonSageMakerAddTags", "Effect": "Allow", "Action": ["sagemaker:AddTags"], "Resource": "*"},
    {"Sid": "AmazonSageMakerCreate", "Effect": "Allow", "Action": ["sagemaker:Create*"], "Resource": "*",
     "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]},
                   "StringEqualsIfExists": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"}}},
    {"Sid": "AmazonSageMakerUpdateDeleteExecutePolicy", "Effect": "Allow",
     "Action": ["sagemaker:Delete*", "sagemaker:Stop*", "sagemaker:Update*", "sagemaker:Start*",
                "sagemaker:DisassociateTrialComponent", "sagemaker:AssociateTrialComponent", "sagemaker:BatchPutMetrics"],
     "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "${sagemaker:ResourceTag/team}"}}},
)

TEAM_ROLES = ["role:SageMakerStudioDeveloperTeamARole", "role:SageMakerStudioDeveloperTeamBRole"]
TRUST_SAGEMAKER = pol({"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"})

SCENARIOS["003-admin-creates-profiles-with-studiouserid"] = doc(
    "Admin: user profiles must carry the studiouserid tag",
    "seed 003: Applying your policy to the admin user",
    "CreateUserProfile is allowed only when the request's tag keys include studiouserid. Addition: SageMaker also authorizes sagemaker:AddTags (with sagemaker:TaggingAction = CreateUserProfile) when a create call carries tags, which the seed's admin policy does not grant; the AddTagsOnCreate statement of seed 001 is attached to the admin so the tagged create can succeed.",
    world_003(),
    [
        entry("admin-create", "CreateSageMakerStudioUserProfilePolicy", "identity", ADMIN_CREATE_PROFILE, ["iam-user:studio-admin"]),
        entry("admin-add-tags-on-create", "AddTagsOnCreate", "identity", ADD_TAGS_ON_CREATE, ["iam-user:studio-admin"]),
    ],
    sel("usera1", "sagemaker:CreateUserProfile", None, {"type": "accessKeys", "iamUser": "studio-admin"}, name="userc1", tags={"studiouserid": "userc1"}),
    [
        exp("the admin creates a profile with studiouserid", "Allow",
            sel("usera1", "sagemaker:CreateUserProfile", None, {"type": "accessKeys", "iamUser": "studio-admin"}, name="userc1", tags={"studiouserid": "userc1"})),
        exp("without the tag the admin is denied", "ImplicitDeny",
            sel("usera1", "sagemaker:CreateUserProfile", None, {"type": "accessKeys", "iamUser": "studio-admin"}, name="userc2"),
            "is not authorized to perform: sagemaker:CreateUserProfile"),
        exp("with another tag only the admin is denied", "ImplicitDeny",
            sel("usera1", "sagemaker:CreateUserProfile", None, {"type": "accessKeys", "iamUser": "studio-admin"}, name="userc3", tags={"team": "TeamA"})),
    ],
)

SCENARIOS["003-studio-access-own-profile-iam-users"] = doc(
    "Opening Studio: only your own profile (IAM users)",
    "seed 003: use case 1 with IAM users",
    "CreatePresignedDomainUrl requires the profile's studiouserid tag to equal ${aws:username}.",
    world_003(),
    [entry("presigned", "AmazonSageMakerPresignedUrlPolicy", "identity", PRESIGNED_IAM,
           ["iam-user:usera1", "iam-user:usera2", "iam-user:userb1"])],
    sel("usera2", "sagemaker:CreatePresignedDomainUrl", "profile-usera1", CONSOLE),
    [
        exp("usera1 opens her own Studio", "Allow", sel("usera1", "sagemaker:CreatePresignedDomainUrl", "profile-usera1", CONSOLE)),
        exp("usera2 cannot open usera1's Studio", "ImplicitDeny", sel("usera2", "sagemaker:CreatePresignedDomainUrl", "profile-usera1", CONSOLE),
            "is not authorized to perform: sagemaker:CreatePresignedDomainUrl on resource: arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-teamsdomain01/usera1"),
        exp("usera1 cannot open usera2's Studio", "ImplicitDeny", sel("usera1", "sagemaker:CreatePresignedDomainUrl", "profile-usera2", CONSOLE)),
    ],
)

SCENARIOS["003-studio-access-own-profile-saml-federation"] = doc(
    "Opening Studio: only your own profile (SAML federation)",
    "seed 003: use case 1 with AWS account federation",
    "The IdP passes PrincipalTag:studiouserid as a transitive session tag; CreatePresignedDomainUrl compares the profile tag with ${aws:PrincipalTag/studiouserid}. Correction: the seed's trust-policy fragment is a bare Statement array; here it is a full policy with the SAML statement it extends.",
    world_003(federated=True),
    [
        entry("presigned", "AmazonSageMakerPresignedUrlPolicy", "identity", PRESIGNED_SAML, ["role:StudioFederatedUserRole"]),
        entry("saml-trust", "StudioFederatedUserRole trust", "trust", SAML_TRUST, ["role:StudioFederatedUserRole"]),
    ],
    sel("usera2", "sagemaker:CreatePresignedDomainUrl", "profile-usera1", CONSOLE),
    [
        exp("usera1 opens her own Studio", "Allow", sel("usera1", "sagemaker:CreatePresignedDomainUrl", "profile-usera1", CONSOLE)),
        exp("usera2 cannot open usera1's Studio", "ImplicitDeny", sel("usera2", "sagemaker:CreatePresignedDomainUrl", "profile-usera1", CONSOLE),
            "assumed-role/StudioFederatedUserRole/usera2@example.com is not authorized to perform: sagemaker:CreatePresignedDomainUrl"),
        exp("userb1 cannot open usera2's Studio", "ImplicitDeny", sel("userb1", "sagemaker:CreatePresignedDomainUrl", "profile-usera2", CONSOLE)),
    ],
)

SCENARIOS["003-team-artifacts-isolation"] = doc(
    "Teams: Team B cannot touch Team A's artifacts",
    "seed 003: use case 2",
    "Team roles carry a team tag; creates must tag team = the caller's team, and update/delete/stop/start need the resource's team tag to equal the caller's. Team B deleting Team A's experiment fails with the seed's AccessDenied message.",
    world_003(),
    [
        entry("trust", "SageMakerTrust", "trust", TRUST_SAGEMAKER, TEAM_ROLES),
        entry("read-only", "AmazonSageMakerReadOnly", "identity", READ_ONLY, TEAM_ROLES),
        entry("developer", "AmazonSageMakerStudioDeveloperAccess", "identity", DEVELOPER, TEAM_ROLES),
    ],
    sel("userb1", "sagemaker:DeleteExperiment", "exp-a1"),
    [
        exp("Team B deleting Team A's experiment is denied", "ImplicitDeny", sel("userb1", "sagemaker:DeleteExperiment", "exp-a1"),
            "User: arn:aws:sts::111122223333:assumed-role/SageMakerStudioDeveloperTeamBRole/SageMaker is not authorized to perform: sagemaker:DeleteExperiment on resource: arn:aws:sagemaker:us-east-1:111122223333:experiment/usera1teamaexperiment1"),
        exp("usera2 (Team A) deletes Team A's experiment", "Allow", sel("usera2", "sagemaker:DeleteExperiment", "exp-a1")),
        exp("usera1 creates an experiment tagged with her team", "Allow",
            sel("usera1", "sagemaker:CreateExperiment", name="USERA1TEAMAEXPERIMENT2", tags={"team": "TeamA"})),
        exp("usera1 cannot create an experiment tagged for Team B", "ImplicitDeny",
            sel("usera1", "sagemaker:CreateExperiment", name="USERA1TEAMAEXPERIMENT3", tags={"team": "TeamB"})),
        exp("an untagged create is denied", "ImplicitDeny", sel("usera1", "sagemaker:CreateExperiment", name="UNTAGGED")),
        exp("Team B cannot update Team A's endpoint", "ImplicitDeny", sel("userb1", "sagemaker:UpdateEndpoint", "ep-a1")),
        exp("anyone may describe (read-only policy)", "Allow", sel("userb1", "sagemaker:DescribeExperiment", "exp-a1")),
        exp("Team B may invoke Team A's endpoint (seed grants InvokeEndpoint on *)", "Allow", sel("userb1", "sagemaker:InvokeEndpoint", "ep-a1")),
        exp("pitfall: sagemaker:*App in the read-only policy lets Team B delete Team A's app", "Allow", sel("userb1", "sagemaker:DeleteApp", "app-a1")),
    ],
    {"actions": ["sagemaker:DeleteExperiment", "sagemaker:DescribeExperiment", "sagemaker:UpdateEndpoint", "sagemaker:DeleteApp"]},
)

# ---------------------------------------------------------------- seed 004 world
D4 = "d-tipdomain0001"


def world_004():
    return {
        "account": ACCT,
        "partition": "aws",
        "region": REGION,
        "clock": "2025-07-01T09:30:00Z",
        "idSeed": 4,
        "identityStoreId": "d-9067c2ab1e",
        "domains": [{"id": D4, "name": "tip", "executionRoleIdentityConfig": "USER_PROFILE_NAME",
                     "trustedIdentityPropagation": True, "defaultExecutionRole": "SageMakerTIPExecutionRole"}],
        "users": [
            {"name": "dana", "domain": D4, "tags": {}, "auth": {"type": "identityCenter", "userId": "94482488-3041-7026-18f3-be45837cd0e4",
                                                             "userName": "dana@example.com", "groups": ["DataScientists"]}},
            {"name": "eli", "domain": D4, "tags": {}, "auth": {"type": "identityCenter", "userId": "c4c8b4a8-e0d1-70f4-2b5a-1f0a6e4d9b21",
                                                            "userName": "eli@example.com", "groups": ["Analysts"]}},
        ],
        "roles": [{"name": "SageMakerTIPExecutionRole", "tags": {}, "persona": "Studio execution role with trusted identity propagation"}],
        "resources": [
            {"id": "grants", "type": "s3-access-grants-instance", "name": "default", "tags": {}},
            {"id": "obj-dana", "type": "s3-object", "name": "ml-data/scientists/dana/features.parquet", "owner": "dana", "tags": {}},
            {"id": "glue-table", "type": "glue-table", "name": "sales/orders", "tags": {}},
            {"id": "athena-primary", "type": "athena-workgroup", "name": "primary", "tags": {}},
            {"id": "tj-dana", "type": "training-job", "name": "dana-background-1", "owner": "dana", "createdInStudio": True, "tags": {}},
        ],
    }


TIP_TRUST = pol({"Effect": "Allow", "Principal": {"Service": ["sagemaker.amazonaws.com"]},
                 "Action": ["sts:AssumeRole", "sts:SetContext", "sts:SetSourceIdentity"],
                 "Condition": {"StringEquals": {"aws:SourceAccount": ACCT}}})
TIP_ROLE = pol(
    {"Sid": "S3AccessGrants", "Effect": "Allow", "Action": ["s3:GetDataAccess"],
     "Resource": f"arn:aws:s3:{REGION}:{ACCT}:access-grants/default"},
    {"Sid": "AthenaLakeFormation", "Effect": "Allow",
     "Action": ["athena:StartQueryExecution", "lakeformation:GetDataAccess", "glue:GetTable"], "Resource": "*"},
    {"Sid": "TrainingJobs", "Effect": "Allow", "Action": ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob"],
     "Resource": f"{SM}:training-job/*"},
    {"Sid": "PassSelf", "Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{ACCT}:role/SageMakerTIPExecutionRole",
     "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}},
)
TIP_POLICIES = [
    entry("tip-trust", "SageMakerTIPExecutionRole trust", "trust", TIP_TRUST, ["role:SageMakerTIPExecutionRole"]),
    entry("tip-role", "SageMakerTIPExecutionPolicy", "identity", TIP_ROLE, ["role:SageMakerTIPExecutionRole"]),
]

SCENARIOS["004-s3-access-grants-notebook"] = doc(
    "Identity propagation: S3 Access Grants from a notebook",
    "seed 004: scenario 1 (experiment with Amazon S3 data in notebooks)",
    "The execution role needs s3:GetDataAccess on the Access Grants instance; the identity-enhanced session carries onBehalfOf (Identity Center user) into CloudTrail. Approximated: which grant matches (user or group, location, READ/WRITE) is decided by S3 Access Grants, not IAM, and is not evaluated.",
    world_004(), TIP_POLICIES,
    sel("dana", "s3:GetDataAccess", "grants", target="obj-dana", permission="READ"),
    [
        exp("dana asks S3 Access Grants for read credentials", "Allow", sel("dana", "s3:GetDataAccess", "grants", permission="READ")),
        exp("with access keys there is no identity context and no IAM grant", "ImplicitDeny",
            sel("dana", "s3:GetDataAccess", "grants", {"type": "accessKeys", "iamUser": "dana-keys"}, permission="READ")),
    ],
)
SCENARIOS["004-s3-access-grants-notebook"]["world"]["iamUsers"] = [{"name": "dana-keys", "tags": {}}]

SCENARIOS["004-lake-formation-athena-identity"] = doc(
    "Identity propagation: Lake Formation through Athena",
    "seed 004: scenario 2 (access Lake Formation through Athena)",
    "Athena passes the user's identity to Lake Formation; the GetDataAccess record carries onBehalfOf and the query id. Lake Formation grants per user or group are not evaluated (not IAM).",
    world_004(), TIP_POLICIES,
    sel("dana", "athena:StartQueryExecution", "athena-primary", target="glue-table", query="SELECT * FROM sales.orders LIMIT 10"),
    [
        exp("dana queries through Athena", "Allow",
            sel("dana", "athena:StartQueryExecution", "athena-primary", target="glue-table", query="SELECT * FROM sales.orders LIMIT 10")),
        exp("eli queries through Athena (IAM allows; Lake Formation decides per user)", "Allow",
            sel("eli", "athena:StartQueryExecution", "athena-primary", target="glue-table", query="SELECT 1")),
    ],
)

SCENARIOS["004-background-training-job"] = doc(
    "Identity propagation: training job with a user background session",
    "seed 004: scenario 3 (create a training job supported with user background sessions)",
    "dana starts a training job from her space; the job later reads S3 through Access Grants with her identity context although she has signed out. The background-session lifetime (up to 90 days) is an IAM Identity Center setting and is not simulated.",
    world_004(), TIP_POLICIES,
    sel("dana", "s3:GetDataAccess", "grants", TRAINING, permission="READ"),
    [
        exp("dana creates the training job, passing the execution role", "Allow", sel("dana", "sagemaker:CreateTrainingJob", name="dana-background-2")),
        exp("the job passes the role to SageMaker", "Allow", sel("dana", "iam:PassRole", None, STUDIO, name="SageMakerTIPExecutionRole", resourceType="iam-role")),
        exp("the job reaches S3 Access Grants with dana's identity", "Allow", sel("dana", "s3:GetDataAccess", "grants", TRAINING, permission="READ")),
    ],
)

SCENARIOS["004-auditing-cloudtrail"] = doc(
    "Identity propagation: auditing in CloudTrail",
    "seed 004: scenario 4 (auditing using CloudTrail)",
    "With trusted identity propagation every record of the execution role names the Identity Center user in userIdentity.onBehalfOf (userId and identityStoreArn), next to the source identity.",
    world_004(), TIP_POLICIES,
    sel("dana", "sagemaker:DescribeTrainingJob", "tj-dana"),
    [
        exp("dana describes her training job", "Allow", sel("dana", "sagemaker:DescribeTrainingJob", "tj-dana")),
        exp("eli describes dana's training job (no per-user rule here)", "Allow", sel("eli", "sagemaker:DescribeTrainingJob", "tj-dana")),
    ],
)

# ---------------------------------------------------------------- seed 002 (personas)
D2 = "d-personas0001"


def world_002():
    def saml(name, role):
        return {"type": "saml", "role": role, "sessionName": f"{name}@example.com", "principalTags": {}, "transitiveTagKeys": []}
    return {
        "account": ACCT, "partition": "aws", "region": REGION, "clock": "2025-04-18T13:16:36Z", "idSeed": 2,
        "domains": [{"id": D2, "name": "ml-platform", "executionRoleIdentityConfig": "USER_PROFILE_NAME",
                     "trustedIdentityPropagation": False, "defaultExecutionRole": "SageMakerNotebookExecutionRole"}],
        "users": [
            {"name": "dsuser", "domain": D2, "tags": {}, "auth": saml("dsuser", "DataScientistRole")},
            {"name": "deuser", "domain": D2, "tags": {}, "auth": saml("deuser", "DataEngineerRole")},
            {"name": "mlopsuser", "domain": D2, "tags": {}, "auth": saml("mlopsuser", "MLOpsRole")},
        ],
        "roles": [
            {"name": "DataScientistRole", "tags": {"persona": "data-scientist"}, "persona": "user role: data scientist / ML engineer"},
            {"name": "DataEngineerRole", "tags": {"persona": "data-engineer"}, "persona": "user role: data engineer"},
            {"name": "MLOpsRole", "tags": {"persona": "mlops"}, "persona": "user role: MLOps engineer"},
            {"name": "SageMakerNotebookExecutionRole", "tags": {}, "persona": "service role: notebook / Studio execution"},
            {"name": "SageMakerProcessingJobRole", "tags": {}, "persona": "service role: processing jobs"},
            {"name": "SageMakerTrainingJobRole", "tags": {}, "persona": "service role: training and tuning jobs"},
            {"name": "SageMakerModelExecutionRole", "tags": {}, "persona": "service role: endpoints and batch transform"},
        ],
        "resources": [
            {"id": "obj-raw", "type": "s3-object", "name": "ml-datalake/raw/orders.csv", "tags": {}},
            {"id": "obj-processed", "type": "s3-object", "name": "ml-datalake/processed/orders.parquet", "tags": {}},
            {"id": "obj-model", "type": "s3-object", "name": "ml-artifacts/models/churn/model.tar.gz", "tags": {}},
            {"id": "glue-orders", "type": "glue-table", "name": "sales/orders", "tags": {}},
        ],
    }


def pass_role(sid, roles):
    return {"Sid": sid, "Effect": "Allow", "Action": "iam:PassRole",
            "Resource": [f"arn:aws:iam::{ACCT}:role/{r}" for r in roles],
            "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}


NOTEBOOK = pol(
    {"Sid": "LaunchJobs", "Effect": "Allow", "Action": ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"],
     "Resource": [f"{SM}:training-job/*", f"{SM}:processing-job/*"]},
    pass_role("PassJobRoles", ["SageMakerTrainingJobRole", "SageMakerProcessingJobRole"]),
    {"Sid": "ReadData", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ml-datalake/*"},
)
DATA_SCIENTIST = pol(
    {"Sid": "OpenStudio", "Effect": "Allow", "Action": "sagemaker:CreatePresignedDomainUrl", "Resource": f"{SM}:user-profile/{D2}/*"},
    {"Sid": "ReadData", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ml-datalake/processed/*"},
)
DATA_ENGINEER = pol(
    {"Sid": "Catalog", "Effect": "Allow", "Action": ["glue:GetTable", "glue:GetDatabase"], "Resource": "*"},
    {"Sid": "DataLake", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::ml-datalake/*"},
)
MLOPS = pol(
    {"Sid": "Deploy", "Effect": "Allow", "Action": ["sagemaker:CreatePipeline", "sagemaker:StartPipelineExecution", "sagemaker:CreateEndpoint"], "Resource": "*"},
    pass_role("PassModelRole", ["SageMakerModelExecutionRole", "SageMakerTrainingJobRole"]),
)
TRAINING_ROLE = pol(
    {"Sid": "ReadTrainingData", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ml-datalake/processed/*"},
    {"Sid": "WriteModel", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::ml-artifacts/models/*"},
)
PROCESSING_ROLE = pol(
    {"Sid": "ReadRaw", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ml-datalake/raw/*"},
    {"Sid": "WriteProcessed", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::ml-datalake/processed/*"},
)
MODEL_ROLE = pol({"Sid": "ReadModel", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ml-artifacts/models/*"})
SERVICE_TRUST = pol({"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]})


def passrole_sel(user, role, route):
    return sel(user, "iam:PassRole", None, route, name=role, resourceType="iam-role")


SCENARIOS["002-personas-and-service-roles"] = doc(
    "Personas and service roles: who may pass which role",
    "seed 002: user roles (data scientist, data engineer, MLOps) and service roles",
    "Seed 002 describes personas and service roles without sample policies; these policies are ours and follow its least-privilege advice: people sign in to persona roles, Studio runs as the notebook execution role, and each job type runs as its own service role, which only the right persona may pass (iam:PassRole with iam:PassedToService).",
    world_002(),
    [
        entry("service-trust", "SageMakerServiceTrust", "trust", SERVICE_TRUST,
              ["role:SageMakerNotebookExecutionRole", "role:SageMakerProcessingJobRole", "role:SageMakerTrainingJobRole", "role:SageMakerModelExecutionRole"]),
        entry("notebook", "NotebookExecutionPolicy", "identity", NOTEBOOK, ["role:SageMakerNotebookExecutionRole"]),
        entry("data-scientist", "DataScientistPolicy", "identity", DATA_SCIENTIST, ["role:DataScientistRole"]),
        entry("data-engineer", "DataEngineerPolicy", "identity", DATA_ENGINEER, ["role:DataEngineerRole"]),
        entry("mlops", "MLOpsPolicy", "identity", MLOPS, ["role:MLOpsRole"]),
        entry("training-role", "TrainingJobPolicy", "identity", TRAINING_ROLE, ["role:SageMakerTrainingJobRole"]),
        entry("processing-role", "ProcessingJobPolicy", "identity", PROCESSING_ROLE, ["role:SageMakerProcessingJobRole"]),
        entry("model-role", "ModelExecutionPolicy", "identity", MODEL_ROLE, ["role:SageMakerModelExecutionRole"]),
    ],
    sel("dsuser", "s3:GetObject", "obj-raw", {"type": "trainingJob", "role": "SageMakerTrainingJobRole"}),
    [
        exp("the notebook execution role passes the training job role", "Allow", passrole_sel("dsuser", "SageMakerTrainingJobRole", STUDIO)),
        exp("the notebook execution role cannot pass the model execution role", "ImplicitDeny",
            passrole_sel("dsuser", "SageMakerModelExecutionRole", STUDIO), "is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/SageMakerModelExecutionRole"),
        exp("the MLOps persona passes the model execution role", "Allow", passrole_sel("mlopsuser", "SageMakerModelExecutionRole", CONSOLE)),
        exp("the data scientist persona cannot pass the model execution role", "ImplicitDeny", passrole_sel("dsuser", "SageMakerModelExecutionRole", CONSOLE)),
        exp("a training job reads processed data", "Allow", sel("dsuser", "s3:GetObject", "obj-processed", {"type": "trainingJob", "role": "SageMakerTrainingJobRole"})),
        exp("a training job cannot read raw data", "ImplicitDeny", sel("dsuser", "s3:GetObject", "obj-raw", {"type": "trainingJob", "role": "SageMakerTrainingJobRole"})),
        exp("a processing job writes processed data", "Allow", sel("dsuser", "s3:PutObject", "obj-processed", {"type": "processingJob", "role": "SageMakerProcessingJobRole"})),
        exp("a pipeline step running as the model execution role reads the model", "Allow", sel("mlopsuser", "s3:GetObject", "obj-model", {"type": "pipeline", "role": "SageMakerModelExecutionRole"})),
        exp("the data engineer reads the Glue table", "Allow", sel("deuser", "glue:GetTable", "glue-orders", CONSOLE)),
        exp("the data scientist persona cannot read the Glue table", "ImplicitDeny", sel("dsuser", "glue:GetTable", "glue-orders", CONSOLE)),
    ],
)

# ---------------------------------------------------------------- default scenario
def default():
    w = world_001()
    return doc(
        "Studio ABAC with source identity (seed 001)",
        "seed 001: user-level ABAC with source identity",
        "One domain, one execution role per team, and user-level isolation from tags, SageMaker context keys and the source identity. alice and bob are in team A, carol in team B.",
        w,
        base_001([
            entry("training-keys", "TrainingJobPermissions", "identity", TRAIN_KEYS, STUDIO_ROLES),
            entry("add-tags-on-create", "AddTagsOnCreate", "identity", ADD_TAGS_ON_CREATE, STUDIO_ROLES),
            entry("s3-prefix", "UserPrefixAccess", "identity", S3_PREFIX, STUDIO_ROLES),
            entry("secrets", "UserSpecificSecretsAccess", "identity", SECRETS, STUDIO_ROLES),
            entry("emr", "AllowClusterCreds", "identity", EMR, STUDIO_ROLES),
            entry("fsx", "SageMakerLaunchJobs", "identity", FSX, STUDIO_ROLES),
        ]),
        sel("alice", "sagemaker:StopTrainingJob", "tj-bob"),
        [
            exp("alice stops her own training job", "Allow", sel("alice", "sagemaker:StopTrainingJob", "tj-alice")),
            exp("alice cannot stop bob's training job", "ImplicitDeny", sel("alice", "sagemaker:StopTrainingJob", "tj-bob")),
            exp("alice reads her own object", "Allow", sel("alice", "s3:GetObject", "obj-alice")),
            exp("alice cannot read bob's object", "ImplicitDeny", sel("alice", "s3:GetObject", "obj-bob")),
            exp("alice reads her own secret", "Allow", sel("alice", "secretsmanager:GetSecretValue", "secret-alice")),
            exp("alice cannot read bob's secret", "ImplicitDeny", sel("alice", "secretsmanager:GetSecretValue", "secret-bob")),
            exp("alice connects to her EMR cluster", "Allow", sel("alice", "elasticmapreduce:GetClusterSessionCredentials", "emr-alice")),
            exp("alice cannot connect to bob's EMR cluster", "ImplicitDeny", sel("alice", "elasticmapreduce:GetClusterSessionCredentials", "emr-bob")),
            exp("alice cannot mount bob's FSx directory", "ImplicitDeny",
                sel("alice", "sagemaker:CreateTrainingJob", name="alice-fsx-2", fileSystemDirectoryPaths=["/fsx/users/bob"])),
        ],
        {"actions": ["sagemaker:StopTrainingJob", "sagemaker:DescribeTrainingJob", "s3:GetObject", "s3:PutObject",
                     "secretsmanager:GetSecretValue", "elasticmapreduce:GetClusterSessionCredentials"]},
    )


def main():
    root = os.getcwd()
    out = os.path.join(root, "scenarios")
    os.makedirs(out, exist_ok=True)
    for name, d in SCENARIOS.items():
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(d, f, indent=2, ensure_ascii=False)
            f.write("\n")
    with open(os.path.join(root, "crates/abacus-studio/src/data/default_scenario.json"), "w") as f:
        json.dump(default(), f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(SCENARIOS)} scenarios and the default scenario")


if __name__ == "__main__":
    main()
