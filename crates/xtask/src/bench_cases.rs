//! Random policy cases for the CLI benchmark, written in both input formats: `abacus eval`'s
//! case array (`shared/DESIGN.md`) and iam-simulate's `Simulation` array.
//!
//! Every case is one request in account 111122223333 by an IAM user or a role session, on a
//! real action and an ARN of its resource type, against one to four identity policies and,
//! now and then, a permission boundary, a resource policy and two levels of SCPs. Statements
//! mix exact and wildcard actions, `NotAction`, wildcard and `${aws:PrincipalTag/team}`
//! resources, and conditions on global keys only: iam-simulate drops service keys that do not
//! apply to an action, so they would test its filtering instead of the evaluation both share.
//! The generator is seeded, so a run is repeatable.

use serde_json::{json, Map, Value};

/// The account every request happens in.
const ACCOUNT: &str = "111122223333";
const TEAMS: [&str; 4] = ["red", "blue", "green", "gold"];
const PROJECTS: [&str; 3] = ["proj-alpha", "proj-beta", "lab-gamma"];
const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-south-1"];

/// An action with its resource ARN builder and the wildcard patterns that may name it.
struct ActionSpec {
    action: &'static str,
    patterns: &'static [&'static str],
    resource: fn(&mut Rng, &str) -> String,
}

fn object_arn(rng: &mut Rng, team: &str) -> String {
    let team = if rng.chance(70) {
        team
    } else {
        rng.pick(&TEAMS)
    };
    format!(
        "arn:aws:s3:::bucket-{}/{team}/data-{}.csv",
        rng.below(3),
        rng.below(50)
    )
}

fn bucket_arn(rng: &mut Rng, _: &str) -> String {
    format!("arn:aws:s3:::bucket-{}", rng.below(3))
}

fn training_job_arn(rng: &mut Rng, team: &str) -> String {
    format!(
        "arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/{team}-job-{}",
        rng.below(20)
    )
}

fn model_arn(rng: &mut Rng, team: &str) -> String {
    format!(
        "arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/{team}-model-{}",
        rng.below(20)
    )
}

fn key_arn(rng: &mut Rng, _: &str) -> String {
    format!(
        "arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-{:012}",
        rng.below(5)
    )
}

fn secret_arn(rng: &mut Rng, team: &str) -> String {
    format!(
        "arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{team}/db-{}-AbCdEf",
        rng.below(5)
    )
}

fn table_arn(rng: &mut Rng, team: &str) -> String {
    format!(
        "arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{team}-table-{}",
        rng.below(5)
    )
}

const ACTIONS: [ActionSpec; 12] = [
    ActionSpec {
        action: "s3:GetObject",
        patterns: &["s3:*", "s3:Get*", "s3:*Object", "s3:GetObject"],
        resource: object_arn,
    },
    ActionSpec {
        action: "s3:PutObject",
        patterns: &["s3:*", "s3:Put*", "s3:*Object", "s3:PutObject"],
        resource: object_arn,
    },
    ActionSpec {
        action: "s3:DeleteObject",
        patterns: &["s3:*", "s3:Delete*", "s3:*Object", "s3:DeleteObject"],
        resource: object_arn,
    },
    ActionSpec {
        action: "s3:ListBucket",
        patterns: &["s3:*", "s3:List*", "s3:ListBucket"],
        resource: bucket_arn,
    },
    ActionSpec {
        action: "sagemaker:CreateTrainingJob",
        patterns: &["sagemaker:*", "sagemaker:Create*", "sagemaker:*TrainingJob"],
        resource: training_job_arn,
    },
    ActionSpec {
        action: "sagemaker:StopTrainingJob",
        patterns: &["sagemaker:*", "sagemaker:Stop*", "sagemaker:*TrainingJob"],
        resource: training_job_arn,
    },
    ActionSpec {
        action: "sagemaker:DescribeTrainingJob",
        patterns: &[
            "sagemaker:*",
            "sagemaker:Describe*",
            "sagemaker:*TrainingJob",
        ],
        resource: training_job_arn,
    },
    ActionSpec {
        action: "sagemaker:DeleteModel",
        patterns: &["sagemaker:*", "sagemaker:Delete*", "sagemaker:*Model"],
        resource: model_arn,
    },
    ActionSpec {
        action: "kms:Decrypt",
        patterns: &["kms:*", "kms:Decrypt", "kms:*crypt"],
        resource: key_arn,
    },
    ActionSpec {
        action: "kms:Encrypt",
        patterns: &["kms:*", "kms:Encrypt", "kms:*crypt"],
        resource: key_arn,
    },
    ActionSpec {
        action: "secretsmanager:GetSecretValue",
        patterns: &["secretsmanager:*", "secretsmanager:Get*"],
        resource: secret_arn,
    },
    ActionSpec {
        action: "dynamodb:GetItem",
        patterns: &["dynamodb:*", "dynamodb:Get*", "dynamodb:*Item"],
        resource: table_arn,
    },
];

/// splitmix64: a small, well-known generator; statistical quality is not the point here,
/// only repeatable variety.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next() % n as u64) as usize
    }

    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice (the first for an empty one never happens here:
    /// every table above is non-empty, and `get` keeps it panic-free regardless).
    pub fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        let i = self.below(items.len());
        items.get(i).copied().unwrap_or_default()
    }
}

/// The request of one case.
struct Caller {
    principal: String,
    team: &'static str,
    context: Map<String, Value>,
}

fn caller(rng: &mut Rng) -> Caller {
    let team = rng.pick(&TEAMS);
    let principal = if rng.chance(50) {
        format!("arn:aws:iam::{ACCOUNT}:user/{team}-dev-{}", rng.below(10))
    } else {
        format!(
            "arn:aws:sts::{ACCOUNT}:assumed-role/{team}-role/session-{}",
            rng.below(10)
        )
    };
    let mut context = Map::new();
    context.insert("aws:PrincipalTag/team".into(), json!(team));
    if rng.chance(80) {
        context.insert(
            "aws:PrincipalTag/project".into(),
            json!(rng.pick(&PROJECTS)),
        );
    }
    let ip = if rng.chance(60) {
        format!("10.{}.{}.{}", rng.below(4), rng.below(256), rng.below(256))
    } else {
        format!("203.0.113.{}", rng.below(256))
    };
    context.insert("aws:SourceIp".into(), json!(ip));
    context.insert(
        "aws:CurrentTime".into(),
        json!(format!("2026-{:02}-15T12:00:00Z", 1 + rng.below(12))),
    );
    context.insert(
        "aws:SecureTransport".into(),
        json!(if rng.chance(85) { "true" } else { "false" }),
    );
    context.insert("aws:RequestedRegion".into(), json!(rng.pick(&REGIONS)));
    if rng.chance(50) {
        context.insert(
            "aws:MultiFactorAuthPresent".into(),
            json!(if rng.chance(50) { "true" } else { "false" }),
        );
        context.insert(
            "aws:MultiFactorAuthAge".into(),
            json!(rng.below(7200).to_string()),
        );
    }
    if rng.chance(40) {
        context.insert(
            "aws:SourceIdentity".into(),
            json!(format!("{team}-person-{}", rng.below(5))),
        );
    }
    Caller {
        principal,
        team,
        context,
    }
}

fn condition(rng: &mut Rng) -> Value {
    let mut block = Map::new();
    for _ in 0..1 + rng.below(2) {
        let (operator, key, value) = match rng.below(12) {
            0 => (
                "StringEquals",
                "aws:PrincipalTag/team",
                json!(rng.pick(&TEAMS)),
            ),
            1 => (
                "StringEquals",
                "aws:PrincipalTag/team",
                json!([rng.pick(&TEAMS), rng.pick(&TEAMS)]),
            ),
            2 => ("StringLike", "aws:PrincipalTag/project", json!("proj-*")),
            3 => (
                "StringNotEquals",
                "aws:RequestedRegion",
                json!(rng.pick(&REGIONS)),
            ),
            4 => ("IpAddress", "aws:SourceIp", json!("10.0.0.0/8")),
            5 => (
                "NotIpAddress",
                "aws:SourceIp",
                json!(["203.0.113.0/25", "10.3.0.0/16"]),
            ),
            6 => (
                "DateGreaterThan",
                "aws:CurrentTime",
                json!(format!("2026-{:02}-01T00:00:00Z", 1 + rng.below(12))),
            ),
            7 => ("Bool", "aws:SecureTransport", json!("true")),
            8 => ("BoolIfExists", "aws:MultiFactorAuthPresent", json!("true")),
            9 => (
                "NumericLessThanIfExists",
                "aws:MultiFactorAuthAge",
                json!(rng.below(7200).to_string()),
            ),
            10 => (
                "Null",
                "aws:SourceIdentity",
                json!(if rng.chance(50) { "true" } else { "false" }),
            ),
            _ => (
                "StringEqualsIgnoreCase",
                "aws:SourceIdentity",
                json!(format!("{}-PERSON-{}", rng.pick(&TEAMS), rng.below(5))),
            ),
        };
        let entry = block
            .entry(operator)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = entry {
            keys.insert(key.to_owned(), value);
        }
    }
    Value::Object(block)
}

fn action_element(rng: &mut Rng, spec: &ActionSpec) -> Value {
    let own = |rng: &mut Rng| -> Value {
        if rng.chance(40) {
            json!(spec.action)
        } else {
            json!(rng.pick(spec.patterns))
        }
    };
    match rng.below(10) {
        0 => json!("*"),
        1..=3 => {
            let other = &ACTIONS.get(rng.below(ACTIONS.len())).map(|a| a.action);
            json!([own(rng), other.unwrap_or("s3:GetObject")])
        }
        _ => own(rng),
    }
}

fn resource_element(rng: &mut Rng, spec: &ActionSpec, team: &str) -> Value {
    let exact = (spec.resource)(rng, team);
    match rng.below(10) {
        0..=2 => json!("*"),
        3..=4 => json!(exact),
        5..=6 => {
            // a trailing wildcard over the resource's own prefix
            let cut = exact.rfind(['/', ':']).map_or(exact.len(), |i| i + 1);
            json!(format!("{}*", exact.get(..cut).unwrap_or(&exact)))
        }
        7 if spec.action.starts_with("s3:") && !spec.action.ends_with("Bucket") => json!(format!(
            "arn:aws:s3:::bucket-{}/${{aws:PrincipalTag/team}}/*",
            rng.below(3)
        )),
        _ => {
            let other_team = rng.pick(&TEAMS);
            json!([exact, (spec.resource)(rng, other_team)])
        }
    }
}

fn statement(rng: &mut Rng, spec: &ActionSpec, team: &str, deny_percent: usize) -> Value {
    let mut s = Map::new();
    if rng.chance(30) {
        s.insert("Sid".into(), json!(format!("S{}", rng.below(1000))));
    }
    let deny = rng.chance(deny_percent);
    s.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
    if rng.chance(8) {
        s.insert("NotAction".into(), json!(rng.pick(spec.patterns)));
    } else {
        s.insert("Action".into(), action_element(rng, spec));
    }
    s.insert("Resource".into(), resource_element(rng, spec, team));
    if rng.chance(55) {
        s.insert("Condition".into(), condition(rng));
    }
    Value::Object(s)
}

fn policy(rng: &mut Rng, spec: &ActionSpec, team: &str, deny_percent: usize) -> Value {
    let statements: Vec<Value> = (0..1 + rng.below(4))
        .map(|_| {
            // most statements are about other actions: a policy holds more than one grant
            if rng.chance(50) {
                statement(rng, spec, team, deny_percent)
            } else {
                let other = ACTIONS.get(rng.below(ACTIONS.len())).unwrap_or(spec);
                statement(rng, other, team, deny_percent)
            }
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn full_access() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
}

/// One case in both formats: (`abacus eval` case, iam-simulate simulation).
fn case(rng: &mut Rng, index: usize) -> Result<(Value, Value), String> {
    let Some(spec) = ACTIONS.get(rng.below(ACTIONS.len())) else {
        return Err("the action table is empty".to_owned());
    };
    let caller = caller(rng);
    let resource = (spec.resource)(rng, caller.team);
    let identity: Vec<Value> = (0..1 + rng.below(4))
        .map(|_| policy(rng, spec, caller.team, 20))
        .collect();
    let boundary = rng.chance(25).then(|| {
        let mut p = policy(rng, spec, caller.team, 10);
        if rng.chance(60) {
            if let Some(Value::Array(st)) = p.get_mut("Statement") {
                st.push(json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
            }
        }
        p
    });
    let scps = rng.chance(30).then(|| {
        (0..1 + rng.below(2))
            .map(|_| {
                let mut level = vec![full_access()];
                if rng.chance(50) {
                    level.push(policy(rng, spec, caller.team, 70));
                }
                level
            })
            .collect::<Vec<_>>()
    });
    // A KMS key always has a key policy, and nothing grants use of a key without one; the
    // case format reads a missing resourcePolicy as "none", iam-simulate as a key policy
    // that allows nothing. Give every KMS case one: usually the default key policy, which
    // lets IAM policies of the account grant access ("Default key policy", AWS KMS
    // Developer Guide).
    let key = spec.action.starts_with("kms:");
    let resource_policy = if key && rng.chance(70) {
        Some(
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM policies",
            "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
            "Action": "kms:*", "Resource": "*"}]}),
        )
    } else {
        None
    };
    let resource_policy = resource_policy.or_else(|| {
        (key || spec.action.starts_with("s3:") && rng.chance(30)).then(|| {
            let principal = if rng.chance(50) {
                json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")})
            } else {
                json!({"AWS": caller.principal.clone()})
            };
            let mut st = statement(rng, spec, caller.team, 30);
            if let Value::Object(m) = &mut st {
                m.insert("Principal".into(), principal);
            }
            json!({"Version": "2012-10-17", "Statement": [st]})
        })
    });

    let name = format!("bench-{index:05}");
    let mut ours = Map::new();
    ours.insert("name".into(), json!(name));
    ours.insert(
        "request".into(),
        json!({"principal": caller.principal, "action": spec.action, "resource": resource,
               "context": caller.context}),
    );
    ours.insert("identityPolicies".into(), json!(identity));
    let mut theirs = Map::new();
    theirs.insert(
        "request".into(),
        json!({"principal": caller.principal, "action": spec.action,
               "resource": {"resource": resource, "accountId": ACCOUNT},
               "contextVariables": caller.context}),
    );
    let named = |prefix: &str, docs: &[Value]| -> Value {
        docs.iter()
            .enumerate()
            .map(|(i, p)| json!({"name": format!("{prefix}{i}"), "policy": p}))
            .collect()
    };
    theirs.insert("identityPolicies".into(), named("identity", &identity));
    let org = |levels: &[Vec<Value>]| -> Value {
        levels
            .iter()
            .enumerate()
            .map(|(i, docs)| {
                json!({"orgIdentifier": format!("level-{i}"), "policies": named("scp", docs)})
            })
            .collect()
    };
    match &scps {
        Some(levels) => {
            ours.insert("serviceControlPolicies".into(), json!(levels));
            theirs.insert("serviceControlPolicies".into(), org(levels));
        }
        None => {
            theirs.insert("serviceControlPolicies".into(), json!([]));
        }
    }
    theirs.insert("resourceControlPolicies".into(), json!([]));
    if let Some(b) = boundary {
        ours.insert("permissionBoundaries".into(), json!([b]));
        theirs.insert(
            "permissionBoundaryPolicies".into(),
            json!([{"name": "boundary", "policy": b}]),
        );
    }
    if let Some(r) = resource_policy {
        ours.insert("resourcePolicy".into(), r.clone());
        theirs.insert("resourcePolicy".into(), r);
    }
    Ok((Value::Object(ours), Value::Object(theirs)))
}

/// `count` cases from `seed`, as two JSON array texts (ours, iam-simulate's), one case per
/// line.
pub fn generate(count: usize, seed: u64) -> Result<(String, String), String> {
    let mut rng = Rng::new(seed);
    let mut ours = String::from("[\n");
    let mut theirs = String::from("[\n");
    for i in 0..count {
        let (a, b) = case(&mut rng, i)?;
        let sep = if i + 1 == count { "\n" } else { ",\n" };
        ours.push_str(&serde_json::to_string(&a).map_err(|e| e.to_string())?);
        ours.push_str(sep);
        theirs.push_str(&serde_json::to_string(&b).map_err(|e| e.to_string())?);
        theirs.push_str(sep);
    }
    ours.push_str("]\n");
    theirs.push_str("]\n");
    Ok((ours, theirs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_repeatable_and_both_formats_hold_every_case() {
        let (a1, b1) = generate(50, 7).unwrap();
        let (a2, _) = generate(50, 7).unwrap();
        assert_eq!(a1, a2);
        let ours: Vec<Value> = serde_json::from_str(&a1).unwrap();
        let theirs: Vec<Value> = serde_json::from_str(&b1).unwrap();
        assert_eq!(ours.len(), 50);
        assert_eq!(theirs.len(), 50);
        for (o, t) in ours.iter().zip(&theirs) {
            assert_eq!(o["request"]["action"], t["request"]["action"]);
            assert_eq!(
                o["identityPolicies"].as_array().unwrap().len(),
                t["identityPolicies"].as_array().unwrap().len()
            );
        }
    }
}
