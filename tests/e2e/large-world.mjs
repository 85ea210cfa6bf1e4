// A real-account-sized scenario document for the large-world spec and the bench
// (issue 14): 200 policies holding 5,000 statements, 100 Studio user profiles (each with
// an IAM user), 20 roles, 1,000 resources and an access matrix of 100 users × 80 columns.
//
// Deterministic: the same seed gives the same document, byte for byte (a small seeded PRNG,
// no dependency). The document has the format of `scenarios/*.json` (version 2, see
// crates/abacus-studio/README.md) and loads without errors in the app, `abacus run` and
// `abacus lint` (warnings only).
//
//   node tests/e2e/large-world.mjs [OUT.json]   # writes the document (stdout without OUT)
//   import { largeWorld, LARGE_WORLD } from './large-world.mjs';

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The sizes the issue asks for, checked by the spec against the generated document. */
export const LARGE_WORLD = {
  policies: 200,
  statements: 5000,
  users: 100,
  roles: 20,
  resources: 1000,
  matrixColumns: 80,
};

/** mulberry32: a tiny, well-distributed 32-bit PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TEAMS = 12;
const pad = (n, w = 3) => String(n).padStart(w, '0');
const team = (t) => `team${pad(t, 2)}`;

// The 40 matrix actions: each acts on a resource type users own, so each gives an own and an
// others' column (no create calls, which give one).
const MATRIX_ACTIONS = [
  'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:UpdateTrainingJob',
  'sagemaker:BatchPutMetrics', 'sagemaker:BatchGetMetrics', 'sagemaker:AddTags',
  'sagemaker:DeleteTags', 'sagemaker:ListTags',
  'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob',
  'sagemaker:DescribeEndpoint', 'sagemaker:UpdateEndpoint', 'sagemaker:DeleteEndpoint',
  'sagemaker:InvokeEndpoint',
  'sagemaker:DescribeExperiment', 'sagemaker:UpdateExperiment', 'sagemaker:DeleteExperiment',
  'sagemaker:DescribePipeline', 'sagemaker:StartPipelineExecution', 'sagemaker:DeletePipeline',
  'sagemaker:DescribeSpace', 'sagemaker:UpdateSpace', 'sagemaker:DeleteSpace',
  'sagemaker:DescribeUserProfile', 'sagemaker:UpdateUserProfile', 'sagemaker:DeleteUserProfile',
  'sagemaker:CreatePresignedDomainUrl',
  's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload',
  'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret',
  'elasticmapreduce:GetClusterSessionCredentials', 'elasticmapreduce:DescribeCluster',
  'kms:Decrypt', 'kms:DescribeKey', 'ecr:BatchGetImage', 'ecr:PutImage',
  'athena:StartQueryExecution',
];

/** Builds the large world from `seed` (default 14, the number). */
export function largeWorld(seed = 14) {
  const rand = prng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

  // ---- world -------------------------------------------------------------------------
  const domains = [
    { id: 'd-prodml000001', name: 'ml-production', executionRoleIdentityConfig: 'USER_PROFILE_NAME', trustedIdentityPropagation: false, defaultExecutionRole: 'StudioTeam00Role' },
    { id: 'd-research0002', name: 'ml-research', executionRoleIdentityConfig: 'USER_PROFILE_NAME', trustedIdentityPropagation: false, defaultExecutionRole: 'StudioTeam06Role' },
  ];
  const execRole = (t) => `StudioTeam${pad(t, 2)}Role`;
  const otherRoles = ['DataEngineerRole', 'MLOpsPipelineRole', 'TrainingJobRole', 'ProcessingJobRole',
    'ModelHostingRole', 'SecurityAuditRole', 'PlatformAdminRole', 'EMR_EC2_DefaultRole'];
  const roles = [
    ...Array.from({ length: TEAMS }, (_, t) => ({ name: execRole(t), tags: { team: team(t), costcenter: `cc-${pad(100 + t)}` }, persona: `data scientist (Studio execution role, ${team(t)})` })),
    ...otherRoles.map((name) => ({ name, tags: { persona: name.replace(/Role$/, '').toLowerCase() }, persona: name })),
  ];
  const projects = ['churn', 'fraud', 'forecast', 'nlp', 'vision', 'ranking', 'pricing', 'ads'];
  const users = [];
  const iamUsers = [];
  for (let i = 0; i < LARGE_WORLD.users; i++) {
    const name = `user${pad(i)}`;
    const t = i % TEAMS;
    const domain = t < 6 ? domains[0].id : domains[1].id;
    users.push({
      name,
      domain,
      tags: { studiouserid: name, team: team(t), project: pick(projects) },
      executionRole: execRole(t),
      auth: { type: 'iamUser', userName: name },
    });
    iamUsers.push({ name, tags: { team: team(t) } });
  }

  const resources = [];
  const userType = [
    ['training-job', 'tj', (u) => `${u}-train-${int(1, 9)}`, true],
    ['processing-job', 'pj', (u) => `${u}-features-${int(1, 9)}`, true],
    ['endpoint', 'ep', (u) => `${u}-${pick(projects)}`, true],
    ['experiment', 'exp', (u) => `${u}-${pick(projects)}-experiment`, true],
    ['pipeline', 'pl', (u) => `${u}-retrain`, true],
    ['space', 'space', (u) => `${u}-private`, true],
    ['user-profile', 'profile', (u) => u, false],
    ['s3-object', 'obj', (u) => `ml-data-${pad(Number(u.slice(4)) % 10, 2)}/teams/${users[Number(u.slice(4))].tags.team}/users/${u}/train.csv`, false],
    ['secret', 'secret', (u) => `user-secrets/${u}/git-pat-${int(1000, 9999)}`, false],
  ];
  const spaceSharingTypes = {};
  for (const u of users) {
    for (const [type, prefix, name, studio] of userType) {
      const r = { id: `${prefix}-${u.name}`, type, name: name(u.name), owner: u.name, createdInStudio: studio, tags: { team: u.tags.team, project: u.tags.project } };
      if (type === 'user-profile') r.tags = { studiouserid: u.name, team: u.tags.team };
      if (type === 's3-object') r.kmsKey = `key-${pad(Number(u.name.slice(4)) % 10, 2)}`;
      if (type === 'space') spaceSharingTypes[r.id] = 'Private';
      resources.push(r);
    }
  }
  // shared resources, 100: buckets, KMS keys, EMR clusters, Glue, Athena, ECR, logs, FSx
  const lead = (k) => users[(k * 7) % users.length].name;
  for (let k = 0; k < 10; k++) {
    resources.push({ id: `bucket-${pad(k, 2)}`, type: 's3-bucket', name: `ml-data-${pad(k, 2)}`, tags: { classification: pick(['internal', 'confidential']) }, kmsKey: `key-${pad(k, 2)}` });
    resources.push({ id: `key-${pad(k, 2)}`, type: 'kms-key', name: `${pad(k, 8)}-12ab-34cd-56ef-${pad(k, 12)}`, owner: lead(k), tags: { team: team(k % TEAMS) } });
    resources.push({ id: `emr-${pad(k, 2)}`, type: 'emr-cluster', name: `j-${pad(k, 4)}EXAMPLE${k}`, owner: lead(k + 1), tags: { user: lead(k + 1), team: team(k % TEAMS) } });
    resources.push({ id: `glue-db-${pad(k, 2)}`, type: 'glue-database', name: `analytics_${pad(k, 2)}`, tags: {} });
    resources.push({ id: `glue-table-${pad(k, 2)}a`, type: 'glue-table', name: `analytics_${pad(k, 2)}/events`, tags: {} });
    resources.push({ id: `glue-table-${pad(k, 2)}b`, type: 'glue-table', name: `analytics_${pad(k, 2)}/features`, tags: {} });
    resources.push({ id: `wg-${pad(k, 2)}`, type: 'athena-workgroup', name: `wg-${team(k % TEAMS)}-${k}`, owner: lead(k + 2), tags: { team: team(k % TEAMS) } });
    resources.push({ id: `ecr-${pad(k, 2)}`, type: 'ecr-repository', name: `images/${team(k % TEAMS)}-${k}`, owner: lead(k + 3), tags: { team: team(k % TEAMS) } });
    resources.push({ id: `logs-${pad(k, 2)}`, type: 'log-group', name: `/aws/sagemaker/TrainingJobs-${k}`, tags: {} });
    resources.push({ id: `fsx-${pad(k, 2)}`, type: 'fsx-file-system', name: `fs-0${pad(k, 16)}`, tags: { purpose: 'user-directories' } });
  }

  // ---- policies ----------------------------------------------------------------------
  const arn = (svc, rest) => `arn:aws:${svc}:${REGION}:${ACCOUNT}:${rest}`;
  const sageTypes = ['training-job', 'processing-job', 'endpoint', 'experiment', 'pipeline', 'space', 'user-profile/*', 'app'];
  const verbs = ['Describe', 'Stop', 'Update', 'Delete', 'List', 'Start'];
  const sageActions = MATRIX_ACTIONS.filter((a) => a.startsWith('sagemaker:'));
  const statementMakers = [
    // ABAC: the resource's team tag must match the caller's
    (t) => ({ Effect: 'Allow', Action: [pick(sageActions), pick(sageActions), `sagemaker:${pick(verbs)}*`], Resource: arn('sagemaker', `${pick(sageTypes)}/*`), Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }),
    // user-level isolation through the Studio-added tag
    () => ({ Effect: 'Allow', Action: [pick(sageActions), pick(sageActions)], Resource: arn('sagemaker', `${pick(sageTypes)}/*`), Condition: { StringLike: { 'sagemaker:ResourceTag/sagemaker:user-profile-arn': arn('sagemaker', 'user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}') } } }),
    // own S3 prefix by source identity
    (t) => ({ Effect: 'Allow', Action: [pick(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload']), 's3:GetObject'], Resource: `arn:aws:s3:::ml-data-${pad(int(0, 9), 2)}/teams/${team(t)}/users/\${aws:SourceIdentity}/*` }),
    // listing under the own prefix
    (t) => ({ Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::ml-data-${pad(int(0, 9), 2)}`, Condition: { StringLike: { 's3:prefix': [`teams/${team(t)}/users/\${aws:SourceIdentity}/*`] } } }),
    // secrets by source identity
    () => ({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: arn('secretsmanager', 'secret:user-secrets/${aws:SourceIdentity}/*') }),
    // KMS through S3 only
    () => ({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: arn('kms', `key/*`), Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } }),
    // passing the own team's role to SageMaker
    (t) => ({ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/${execRole(t)}`, Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } }),
    // tagging only on create
    () => ({ Effect: 'Allow', Action: 'sagemaker:AddTags', Resource: arn('sagemaker', '*'), Condition: { Null: { 'sagemaker:TaggingAction': 'false' } } }),
    // no re-tagging of another team's resources
    () => ({ Effect: 'Deny', Action: ['sagemaker:AddTags', 'sagemaker:DeleteTags'], Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' }, Null: { 'sagemaker:TaggingAction': 'true' } } }),
    // EMR clusters by user tag
    () => ({ Effect: 'Allow', Action: ['elasticmapreduce:GetClusterSessionCredentials', 'elasticmapreduce:DescribeCluster'], Resource: arn('elasticmapreduce', 'cluster/*'), Condition: { StringEquals: { 'elasticmapreduce:ResourceTag/user': '${aws:SourceIdentity}' } } }),
    // ECR and Athena by team tag
    () => ({ Effect: 'Allow', Action: [pick(['ecr:BatchGetImage', 'ecr:PutImage', 'ecr:GetDownloadUrlForLayer']), 'ecr:BatchGetImage'], Resource: arn('ecr', 'repository/*'), Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }),
    () => ({ Effect: 'Allow', Action: 'athena:StartQueryExecution', Resource: arn('athena', 'workgroup/*'), Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }),
    // read-only listings, wildcards
    () => ({ Effect: 'Allow', Action: [pick(['sagemaker:List*', 'sagemaker:Search', 'ec2:Describe*', 'cloudwatch:GetMetricData', 'logs:Describe*'])], Resource: '*' }),
    // logs of the team's jobs
    () => ({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:GetLogEvents'], Resource: arn('logs', 'log-group:/aws/sagemaker/*') }),
    // project tag on create
    () => ({ Effect: 'Allow', Action: pick(['sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateEndpoint']), Resource: arn('sagemaker', '*'), Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'project'] }, StringEquals: { 'aws:RequestTag/team': '${aws:PrincipalTag/team}' } } }),
    // only from TLS
    () => ({ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::ml-data-*/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    // time-boxed access
    () => ({ Effect: 'Allow', Action: pick(sageActions), Resource: arn('sagemaker', `${pick(sageTypes)}/*`), Condition: { DateLessThan: { 'aws:CurrentTime': '2027-12-31T23:59:59Z' }, StringEquals: { 'aws:ResourceTag/project': '${aws:PrincipalTag/project}' } } }),
  ];

  const policies = [];
  const statements = (n, make) => Array.from({ length: n }, (_, i) => ({ Sid: `S${pad(i)}`, ...make(i) }));
  const text = (stmts) => JSON.stringify({ Version: '2012-10-17', Statement: stmts }, null, 2);
  const add = (id, name, kind, stmts, attachedTo) => policies.push({ id, name, kind, text: text(stmts), attachedTo });

  // 20 trust policies (30 statements): SageMaker assumes the execution and job roles
  roles.forEach((r, k) => {
    const sagemaker = { Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] };
    const stmts = k % 2 ? [sagemaker, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/team': r.tags.team ?? 'platform' } } }] : [sagemaker];
    add(`trust-${r.name}`, `${r.name}Trust`, 'trust', stmts.map((s, i) => ({ Sid: `T${i}`, ...s })), [`role:${r.name}`]);
  });
  // 8 SCPs (2 full access + 6 guardrails, 62 statements) on two organization levels
  const levels = ['root', 'ml-ou'];
  for (const level of levels) {
    add(`scp-full-${level}`, `FullAWSAccess (${level})`, 'scp', [{ Sid: 'FullAccess', Effect: 'Allow', Action: '*', Resource: '*' }], [`org:${level}`]);
  }
  const guardrail = (i) => pick([
    { Effect: 'Deny', Action: ['sagemaker:CreateDomain', 'sagemaker:DeleteDomain', `sagemaker:${pick(['CreateNotebookInstance', 'CreateHyperParameterTuningJob', 'CreateLabelingJob'])}`], Resource: '*' },
    { Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::ml-data-*/*', Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } },
    { Effect: 'Deny', NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': [REGION, 'us-west-2'] } } },
    { Effect: 'Deny', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { Null: { 'sagemaker:VolumeKmsKey': 'true' } } },
    { Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/PlatformAdminRole` } } },
    { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { 'ForAnyValue:StringLike': { 'ec2:InstanceType': ['p4d.*', 'p5.*', `x${i}.*`] } } },
  ]);
  for (let k = 0; k < 6; k++) {
    add(`scp-guardrail-${k}`, `Guardrails${k}`, 'scp', statements(10, guardrail), [`org:${levels[k % 2]}`]);
  }
  // 10 boundaries (150 statements) on the execution roles
  for (let k = 0; k < 10; k++) {
    const stmts = statements(15, (i) => (i === 0
      ? { Effect: 'Allow', Action: ['sagemaker:*', 's3:*', 'secretsmanager:*', 'kms:*', 'elasticmapreduce:*', 'ecr:*', 'athena:*', 'logs:*', 'iam:PassRole', 'ec2:Describe*', 'cloudwatch:*'], Resource: '*' }
      : { Effect: 'Deny', Action: pick(['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'organizations:*', 'sagemaker:DeleteDomain']), Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } } }));
    add(`boundary-${pad(k, 2)}`, `StudioBoundary${pad(k, 2)}`, 'boundary', stmts, [`role:${execRole(k)}`]);
  }
  // 30 resource policies (300 statements): bucket and KMS key policies, and ECR repositories
  for (let k = 0; k < 30; k++) {
    const b = pad(k % 10, 2);
    if (k < 10) {
      add(`bucket-policy-${b}`, `ml-data-${b} bucket policy`, 'resource', statements(10, (i) => (i === 0
        ? { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::ml-data-${b}`, `arn:aws:s3:::ml-data-${b}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }
        : { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${execRole(i % TEAMS)}` }, Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::ml-data-${b}/teams/${team(i % TEAMS)}/*` })), [`resource:bucket-${b}`]);
    } else if (k < 20) {
      add(`key-policy-${b}`, `key-${b} key policy`, 'resource', statements(10, (i) => (i === 0
        ? { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }
        : { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${execRole(i % TEAMS)}` }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } })), [`resource:key-${b}`]);
    } else {
      add(`ecr-policy-${b}`, `ecr-${b} repository policy`, 'resource', statements(10, (i) => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${execRole(i % TEAMS)}` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] })), [`resource:ecr-${b}`]);
    }
  }
  // 2 session policies (4 statements)
  for (let k = 0; k < 2; k++) {
    add(`session-${k}`, `ContractorSession${k}`, 'session', statements(2, (i) => (i === 0
      ? { Effect: 'Allow', Action: ['sagemaker:*', 's3:*', 'secretsmanager:*', 'kms:*', 'elasticmapreduce:*', 'ecr:*', 'athena:*', 'logs:*', 'iam:PassRole'], Resource: '*' }
      : { Effect: 'Deny', Action: 'sagemaker:Delete*', Resource: '*' })), [`user:${users[90 + k].name}`]);
  }
  // 130 identity policies with the remaining 4,454 statements: 9 on each execution role,
  // the rest on the other roles and on IAM users
  const used = policies.reduce((n, p) => n + JSON.parse(p.text).Statement.length, 0);
  const identityCount = LARGE_WORLD.policies - policies.length;
  let left = LARGE_WORLD.statements - used;
  for (let k = 0; k < identityCount; k++) {
    const n = k === identityCount - 1 ? left : Math.max(5, Math.min(left - 5 * (identityCount - k - 1), Math.round(left / (identityCount - k)) + int(-8, 8)));
    left -= n;
    const t = k % TEAMS;
    const target = k < 9 * TEAMS ? `role:${execRole(t)}` : k % 2 ? `role:${pick(otherRoles)}` : `iam-user:${users[k % users.length].name}`;
    const attachedTo = [target];
    if (k < 9 * TEAMS && k % 5 === 0) attachedTo.push(`iam-user:${users[(k * 3) % users.length].name}`);
    add(`identity-${pad(k)}`, `${team(t)}-${pick(['ml', 'data', 'ops', 'studio'])}-access-${pad(k)}`, 'identity', statements(n, () => pick(statementMakers)(t)), attachedTo);
  }

  // ---- selection, expectations, matrix -------------------------------------------------
  const route = { type: 'studioSpace' };
  const req = (user, action, resource) => ({ user, action, resource, route });
  const doc = {
    version: 2,
    name: 'Large world: 200 policies, 5,000 statements, 100 users, 1,000 resources',
    description: 'A generated real-account-sized world (tests/e2e/large-world.mjs) for the performance targets of issue 14: twelve teams of Studio users, one execution role per team with nine identity policies, permission boundaries, SCPs on two organization levels, bucket, key and repository policies.',
    source: `generated by tests/e2e/large-world.mjs, seed ${seed}`,
    world: {
      account: ACCOUNT,
      partition: 'aws',
      region: REGION,
      clock: '2026-12-02T12:00:00Z',
      idSeed: seed,
      domains,
      users,
      roles,
      iamUsers,
      resources,
      organization: levels,
      spaceSharingTypes,
    },
    policies,
    selection: req('user000', 'sagemaker:StopTrainingJob', 'tj-user012'),
    expectations: [
      { name: 'user000 describes their own training job', request: req('user000', 'sagemaker:DescribeTrainingJob', 'tj-user000'), expected: 'Allow' },
      { name: 'user000 cannot stop a job of another team', request: req('user000', 'sagemaker:StopTrainingJob', 'tj-user001'), expected: 'ImplicitDeny' },
      { name: 'user000 reads their own object', request: req('user000', 's3:GetObject', 'obj-user000'), expected: 'Allow' },
      { name: 'user000 cannot read an object of another team', request: req('user000', 's3:GetObject', 'obj-user001'), expected: 'ImplicitDeny' },
      { name: 'user000 reads their own secret', request: req('user000', 'secretsmanager:GetSecretValue', 'secret-user000'), expected: 'Allow' },
      { name: 'user000 cannot read a secret of another user', request: req('user000', 'secretsmanager:GetSecretValue', 'secret-user012'), expected: 'ImplicitDeny' },
    ],
    matrix: { actions: MATRIX_ACTIONS, route },
    // the editor opens on the first identity policy of user000's execution role
    view: { policy: 'identity-000', panel: 'explanation' },
  };
  return doc;
}

/** Statement count of a document (for the spec's checks). */
export function statementCount(doc) {
  return doc.policies.reduce((n, p) => {
    const s = JSON.parse(p.text).Statement;
    return n + (Array.isArray(s) ? s.length : 1);
  }, 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const json = `${JSON.stringify(largeWorld(), null, 2)}\n`;
  const out = process.argv[2];
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
}
