//! The simulated world: account, domains, user profiles, roles, IAM users and resources.
//!
//! Everything here is plain data (serde) so the world can live inside a scenario document.
//! Derived facts (ARNs, automatic Studio tags, unique ids) are computed by methods, never
//! stored twice.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Tags as key -> value, ordered for deterministic output.
pub type Tags = BTreeMap<String, String>;

/// The whole simulated account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct World {
    /// 12-digit account id.
    pub account: String,
    /// `aws`, `aws-cn` or `aws-us-gov`.
    #[serde(default = "default_partition")]
    pub partition: String,
    /// Region the calls are made in, e.g. `us-east-1`.
    pub region: String,
    /// The simulated clock (ISO 8601 UTC), used for `aws:CurrentTime` and `eventTime`.
    #[serde(default = "default_clock")]
    pub clock: String,
    /// Seed for the deterministic request ids, event ids and access key ids.
    #[serde(default)]
    pub id_seed: u64,
    /// Source IP addresses per route family.
    #[serde(default)]
    pub source_ips: SourceIps,
    /// IAM Identity Center identity store id (`d-...`), for identity propagation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_store_id: Option<String>,
    /// AWS Organizations levels from the root down (names used by SCP/RCP attachments);
    /// empty when the account is not in an organization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organization: Vec<String>,
    /// SageMaker domains.
    #[serde(default)]
    pub domains: Vec<Domain>,
    /// Studio user profiles (the people of the playground).
    #[serde(default)]
    pub users: Vec<UserProfile>,
    /// IAM roles (execution roles, team roles, federation roles, service roles).
    #[serde(default)]
    pub roles: Vec<Role>,
    /// IAM users (for IAM-user authentication and external access keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub iam_users: Vec<IamUser>,
    /// Resources calls can target.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Sharing type (`Private` or `Shared`) of spaces and of the apps in them, by resource
    /// id (`sagemaker:SpaceSharingType`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub space_sharing_types: BTreeMap<String, String>,
    /// Where each user profile and resource is, for [`World::user`] and
    /// [`World::resource`] (not part of the document).
    #[serde(skip)]
    pub lookup: Lookup,
}

/// Where each user profile and resource of a large world is, by a hash of its name or id,
/// built on the first lookup: the access matrix looks both up for every cell, and a real
/// account has hundreds of users and thousands of resources. Every hit is checked against
/// the entry it points at and a miss scans the list, so a world changed after the index was
/// built (a user added, a resource renamed or removed) still reads right, only slower. A
/// copy of a world starts without an index; two indexes always compare equal.
#[derive(Default)]
pub struct Lookup {
    index: std::sync::OnceLock<LookupIndex>,
}

/// The positions of [`Lookup`], by hash.
struct LookupIndex {
    users: foldhash::HashMap<u64, usize>,
    resources: foldhash::HashMap<u64, usize>,
}

/// Below this many entries a scan is as cheap as a hash.
const INDEXED_FROM: usize = 32;

/// The first of `items` whose `key_of` is `key`: through `positions` (a [`Lookup`] map,
/// built on first use) for a long list, each hit checked against its entry, else a scan.
fn indexed<'a, T>(
    items: &'a [T],
    key: &str,
    key_of: impl Fn(&T) -> &String,
    positions: impl FnOnce() -> &'a foldhash::HashMap<u64, usize>,
) -> Option<&'a T> {
    if items.len() >= INDEXED_FROM {
        let hit = positions()
            .get(&lookup_key(key))
            .and_then(|i| items.get(*i));
        if let Some(item) = hit.filter(|item| key_of(item) == key) {
            return Some(item);
        }
    }
    items.iter().find(|item| key_of(item) == key)
}

/// FNV-1a over the text's bytes: names and ids are short, and a hit is checked anyway, so
/// a fast hash beats a collision-resistant one here.
fn lookup_key(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Lookup {
    fn index(&self, world: &World) -> &LookupIndex {
        self.index.get_or_init(|| {
            let mut users = <foldhash::HashMap<u64, usize> as foldhash::HashMapExt>::with_capacity(
                world.users.len(),
            );
            for (i, u) in world.users.iter().enumerate() {
                // the first of equal names wins, as a scan finds it
                users.entry(lookup_key(&u.name)).or_insert(i);
            }
            let mut resources =
                <foldhash::HashMap<u64, usize> as foldhash::HashMapExt>::with_capacity(
                    world.resources.len(),
                );
            for (i, r) in world.resources.iter().enumerate() {
                resources.entry(lookup_key(&r.id)).or_insert(i);
            }
            LookupIndex { users, resources }
        })
    }
}

impl Clone for Lookup {
    fn clone(&self) -> Self {
        Lookup::default()
    }
}

impl PartialEq for Lookup {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

// A valid world has no two user profiles of one name and no two resources of one id (the
// scenario validator refuses them), so the entry a hit points at is the one a scan finds.
impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

fn default_partition() -> String {
    "aws".to_owned()
}

fn default_clock() -> String {
    "2025-04-18T13:16:36Z".to_owned()
}

/// Source IP addresses of calls, per route family.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceIps {
    /// Calls from a Studio space.
    #[serde(default = "default_studio_ip")]
    pub studio: String,
    /// Calls from training/processing jobs and pipeline steps.
    #[serde(default = "default_job_ip")]
    pub jobs: String,
    /// Calls from a laptop with access keys or a console session.
    #[serde(default = "default_external_ip")]
    pub external: String,
}

fn default_studio_ip() -> String {
    "10.0.12.34".to_owned()
}
fn default_job_ip() -> String {
    "10.0.200.17".to_owned()
}
fn default_external_ip() -> String {
    "198.51.100.23".to_owned()
}

impl Default for SourceIps {
    fn default() -> Self {
        Self {
            studio: default_studio_ip(),
            jobs: default_job_ip(),
            external: default_external_ip(),
        }
    }
}

/// `ExecutionRoleIdentityConfig` of a domain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExecutionRoleIdentityConfig {
    /// The user profile name becomes the execution role session's source identity.
    #[serde(rename = "USER_PROFILE_NAME")]
    UserProfileName,
    /// No source identity is set.
    #[default]
    #[serde(rename = "DISABLED")]
    Disabled,
}

/// A SageMaker domain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Domain {
    /// Domain id, e.g. `d-xxxxxxxxxxxx`.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Whether the user profile name is set as `sts:SourceIdentity`.
    #[serde(default)]
    pub execution_role_identity_config: ExecutionRoleIdentityConfig,
    /// Trusted identity propagation (IAM Identity Center) on or off.
    #[serde(default)]
    pub trusted_identity_propagation: bool,
    /// Default execution role name for profiles without their own.
    pub default_execution_role: String,
    /// Domain tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
}

/// How the person behind a user profile signs in to AWS.
///
/// JSON: an object with `"type"` (`iamUser`, `saml`, `identityCenter`) next to the variant's
/// fields. `Deserialize` is written by hand, to keep the web bundle small.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Authentication {
    /// An IAM user (console password or access keys).
    #[serde(rename_all = "camelCase")]
    IamUser {
        /// The IAM user's name (must be in `iamUsers`).
        user_name: String,
    },
    /// SAML federation into a role, with session tags from the IdP.
    #[serde(rename_all = "camelCase")]
    Saml {
        /// The role the IdP maps the user to.
        role: String,
        /// The `RoleSessionName` attribute (often the e-mail address).
        session_name: String,
        /// `PrincipalTag:*` SAML attributes.
        #[serde(default)]
        principal_tags: Tags,
        /// `TransitiveTagKeys` SAML attribute.
        #[serde(default)]
        transitive_tag_keys: Vec<String>,
        /// The account's SAML identity provider (`arn:aws:iam::ACCOUNT:saml-provider/NAME`):
        /// with it, the sign-in's `sts:AssumeRoleWithSAML` (and `sts:TagSession` for session
        /// tags) is evaluated against the role's trust policy; without it the sign-in is
        /// assumed to have happened.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        saml_provider: Option<String>,
    },
    /// IAM Identity Center user.
    #[serde(rename_all = "camelCase")]
    IdentityCenter {
        /// Identity store user id (a UUID).
        user_id: String,
        /// User name in the identity store.
        user_name: String,
        /// Group display names the user belongs to.
        #[serde(default)]
        groups: Vec<String>,
        /// Permission-set role the user signs in to the console with, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        permission_set_role: Option<String>,
    },
}

// By hand rather than derived: a derived internally tagged enum first buffers the whole
// object in serde's private `Content` tree, a few KiB of wasm per type. This visitor reads
// the members once, in order, and keeps the derived format and error messages (unknown
// variant, missing or unknown or duplicate field), which the tests below pin.
impl<'de> Deserialize<'de> for Authentication {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AuthVisitor)
    }
}

/// The `"type"` values of [`Authentication`].
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
enum AuthKind {
    IamUser,
    Saml,
    IdentityCenter,
}

impl AuthKind {
    /// The members a variant accepts besides `"type"`, in declaration order.
    fn fields(self) -> &'static [&'static str] {
        match self {
            AuthKind::IamUser => &["userName"],
            AuthKind::Saml => &[
                "role",
                "sessionName",
                "principalTags",
                "transitiveTagKeys",
                "samlProvider",
            ],
            AuthKind::IdentityCenter => &["userId", "userName", "groups", "permissionSetRole"],
        }
    }
}

/// Reads an [`Authentication`] object member by member.
struct AuthVisitor;

/// Reads the next map value into `slot`, rejecting a second occurrence of `name` (shared by
/// the hand-written visitors of [`Authentication`] and `Route`).
pub(crate) fn fill<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de> serde::de::Visitor<'de> for AuthVisitor {
    type Value = Authentication;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("internally tagged enum Authentication")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<Authentication, A::Error> {
        use serde::de::Error;
        let mut kind: Option<AuthKind> = None;
        let mut user_name: Option<String> = None;
        let mut role: Option<String> = None;
        let mut session_name: Option<String> = None;
        let mut principal_tags: Option<Tags> = None;
        let mut transitive_tag_keys: Option<Vec<String>> = None;
        let mut user_id: Option<String> = None;
        let mut groups: Option<Vec<String>> = None;
        let mut permission_set_role: Option<Option<String>> = None;
        let mut saml_provider: Option<Option<String>> = None;
        // Member names in document order, checked against the variant once it is known.
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "type" {
                fill(&mut map, &mut kind, "type")?;
                continue;
            }
            if let Some(k) = kind {
                if !k.fields().contains(&key.as_str()) {
                    return Err(A::Error::unknown_field(&key, k.fields()));
                }
            }
            match key.as_str() {
                "userName" => fill(&mut map, &mut user_name, "userName")?,
                "role" => fill(&mut map, &mut role, "role")?,
                "sessionName" => fill(&mut map, &mut session_name, "sessionName")?,
                "principalTags" => fill(&mut map, &mut principal_tags, "principalTags")?,
                "transitiveTagKeys" => {
                    fill(&mut map, &mut transitive_tag_keys, "transitiveTagKeys")?
                }
                "userId" => fill(&mut map, &mut user_id, "userId")?,
                "groups" => fill(&mut map, &mut groups, "groups")?,
                "permissionSetRole" => {
                    fill(&mut map, &mut permission_set_role, "permissionSetRole")?
                }
                "samlProvider" => fill(&mut map, &mut saml_provider, "samlProvider")?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            seen.push(key);
        }
        let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
        if let Some(key) = seen.iter().find(|k| !kind.fields().contains(&k.as_str())) {
            return Err(A::Error::unknown_field(key, kind.fields()));
        }
        let need = |v: Option<String>, name: &'static str| v.ok_or(A::Error::missing_field(name));
        Ok(match kind {
            AuthKind::IamUser => Authentication::IamUser {
                user_name: need(user_name, "userName")?,
            },
            AuthKind::Saml => Authentication::Saml {
                role: need(role, "role")?,
                session_name: need(session_name, "sessionName")?,
                principal_tags: principal_tags.unwrap_or_default(),
                transitive_tag_keys: transitive_tag_keys.unwrap_or_default(),
                saml_provider: saml_provider.flatten(),
            },
            AuthKind::IdentityCenter => Authentication::IdentityCenter {
                user_id: need(user_id, "userId")?,
                user_name: need(user_name, "userName")?,
                groups: groups.unwrap_or_default(),
                permission_set_role: permission_set_role.flatten(),
            },
        })
    }
}

/// A Studio user profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserProfile {
    /// Profile name (also the source identity when the domain sets it).
    pub name: String,
    /// Domain id.
    pub domain: String,
    /// Profile tags, e.g. `studiouserid`, `team`.
    #[serde(default)]
    pub tags: Tags,
    /// Execution role name; the domain default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role: Option<String>,
    /// How the person signs in.
    pub auth: Authentication,
}

/// An IAM role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Role {
    /// Role name.
    pub name: String,
    /// Role path, `/` by default.
    #[serde(default = "default_path")]
    pub path: String,
    /// Role tags (become `aws:PrincipalTag/*` for its sessions).
    #[serde(default)]
    pub tags: Tags,
    /// Persona or purpose, for display (seed 002: data scientist, MLOps, service role...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub persona: String,
}

fn default_path() -> String {
    "/".to_owned()
}

/// An IAM user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IamUser {
    /// User name.
    pub name: String,
    /// User tags.
    #[serde(default)]
    pub tags: Tags,
}

/// A resource calls can target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resource {
    /// Stable id used by selections and attachments.
    pub id: String,
    /// Resource type from the catalogue, e.g. `training-job`, `s3-object`, `secret`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The name inside the ARN (for S3 objects `bucket/key`, for apps
    /// `profile/type/name`, for Glue tables `database/table`).
    pub name: String,
    /// Owning user profile, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Created from Studio: SageMaker adds `sagemaker:user-profile-arn` and
    /// `sagemaker:domain-arn` tags for the owner.
    #[serde(default)]
    pub created_in_studio: bool,
    /// Tags set explicitly.
    #[serde(default)]
    pub tags: Tags,
    /// The resource id of the customer managed KMS key that encrypts it (for an S3 object,
    /// its bucket's default encryption key counts too): reading or writing it then also
    /// needs the KMS permission on that key (see `implied`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
}

/// A resolved resource: its ARN and every tag, including automatic ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedResource {
    /// Full ARN.
    pub arn: String,
    /// Explicit plus automatic tags.
    pub tags: Tags,
}

impl World {
    /// The user profile named `name`.
    pub fn user(&self, name: &str) -> Option<&UserProfile> {
        indexed(
            &self.users,
            name,
            |u| &u.name,
            || &self.lookup.index(self).users,
        )
    }

    /// The domain with id `id`.
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    /// The role named `name`.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The IAM user named `name`.
    pub fn iam_user(&self, name: &str) -> Option<&IamUser> {
        self.iam_users.iter().find(|u| u.name == name)
    }

    /// The resource with id `id`.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        indexed(
            &self.resources,
            id,
            |r| &r.id,
            || &self.lookup.index(self).resources,
        )
    }

    /// The execution role name of `user` (its own, else its domain's default).
    pub fn execution_role_of(&self, user: &UserProfile) -> Option<String> {
        user.execution_role.clone().or_else(|| {
            self.domain(&user.domain)
                .map(|d| d.default_execution_role.clone())
        })
    }

    /// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
    pub fn role_arn(&self, role: &str) -> String {
        let path = self.role(role).map(|r| r.path.as_str()).unwrap_or("/");
        [
            "arn:",
            &self.partition,
            ":iam::",
            &self.account,
            ":role",
            &normalise_path(path),
            role,
        ]
        .concat()
    }

    /// `arn:PARTITION:iam::ACCOUNT:user/NAME`.
    pub fn iam_user_arn(&self, name: &str) -> String {
        [
            "arn:",
            &self.partition,
            ":iam::",
            &self.account,
            ":user/",
            name,
        ]
        .concat()
    }

    /// `arn:PARTITION:sagemaker:REGION:ACCOUNT:` followed by `resource`'s parts.
    fn sagemaker_arn(&self, resource: &[&str]) -> String {
        let head = [
            "arn:",
            &self.partition,
            ":sagemaker:",
            &self.region,
            ":",
            &self.account,
            ":",
        ];
        let parts = || head.iter().chain(resource);
        let mut out = String::with_capacity(parts().map(|p| p.len()).sum());
        parts().for_each(|p| out.push_str(p));
        out
    }

    /// The user profile ARN; SageMaker lowercases names in ARNs.
    pub fn user_profile_arn(&self, domain: &str, profile: &str) -> String {
        self.sagemaker_arn(&["user-profile/", domain, "/", &profile.to_ascii_lowercase()])
    }

    /// The domain ARN.
    pub fn domain_arn(&self, domain: &str) -> String {
        self.sagemaker_arn(&["domain/", domain])
    }

    /// ARN and tags of `resource`, from the catalogue's ARN format for its type.
    pub fn resolve(&self, resource: &Resource) -> Option<ResolvedResource> {
        let rtype = crate::actions::resource_type_spec(&resource.resource_type)?;
        let domain = resource
            .owner
            .as_deref()
            .and_then(|o| self.user(o))
            .map(|u| u.domain.clone())
            .unwrap_or_default();
        let name = if rtype.lowercase_name {
            resource.name.to_ascii_lowercase()
        } else {
            resource.name.clone()
        };
        let arn = if resource.resource_type == "iam-role" {
            // a role's ARN carries its path, which the catalogue's format cannot know
            self.role_arn(&resource.name)
        } else {
            fill_arn(
                &rtype.arn,
                &self.partition,
                &self.region,
                &self.account,
                &domain,
                &name,
            )
        };
        let mut tags = Tags::new();
        if resource.created_in_studio {
            if let Some(user) = resource.owner.as_deref().and_then(|o| self.user(o)) {
                tags.insert(
                    "sagemaker:user-profile-arn".to_owned(),
                    self.user_profile_arn(&user.domain, &user.name),
                );
                tags.insert(
                    "sagemaker:domain-arn".to_owned(),
                    self.domain_arn(&user.domain),
                );
            }
        }
        for (k, v) in &resource.tags {
            tags.insert(k.clone(), v.clone());
        }
        Some(ResolvedResource { arn, tags })
    }
}

/// Fills an ARN format: `${Partition}`, `${Region}`, `${Account}` and a scoping `${DomainId}`
/// from the world, then the remaining placeholders in order from the resource name split at `/` (the
/// last one takes the rest), so that `${BucketName}/${ObjectName}` with `b/k/x` is `b/k/x`
/// and `${Name}` is the whole name. A placeholder with no part left is filled with its own
/// name in lowercase, so the ARN stays well formed.
pub fn fill_arn(
    format: &str,
    partition: &str,
    region: &str,
    account: &str,
    domain: &str,
    name: &str,
) -> String {
    // `${DomainId}` scopes a resource inside a domain (`user-profile/${DomainId}/…`); as the
    // last placeholder (`domain/${DomainId}`) it is the resource's own name
    let domain_is_name = format.ends_with("${DomainId}");
    let world_value = |placeholder: &str| match placeholder {
        "Partition" => Some(partition),
        "Region" => Some(region),
        "Account" => Some(account),
        "DomainId" if !domain_is_name => Some(domain),
        _ => None,
    };
    let holes = placeholders(format)
        .filter(|(_, p, _)| world_value(p).is_none())
        .count();
    let mut parts = name.splitn(holes.max(1), '/');
    let mut out = String::with_capacity(format.len() + name.len() + account.len());
    let mut copied = 0;
    for (start, placeholder, end) in placeholders(format) {
        out.push_str(format.get(copied..start).unwrap_or(""));
        match world_value(placeholder) {
            Some(value) => out.push_str(value),
            None => match parts.next() {
                Some(part) if !part.is_empty() => out.push_str(part),
                _ => out.push_str(&placeholder.to_ascii_lowercase()),
            },
        }
        copied = end;
    }
    out.push_str(format.get(copied..).unwrap_or(""));
    out
}

/// The `${Name}` placeholders of an ARN format, in order: where each starts, its name, and
/// where it ends. An unclosed `${` is text.
fn placeholders(format: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let bytes = format.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + bytes.get(from..)?.windows(2).position(|w| w == b"${")?;
        let len = bytes.get(start..)?.iter().position(|b| *b == b'}')?;
        from = start + len + 1;
        Some((start, format.get(start + 2..start + len)?, from))
    })
}

/// `/` stays `/`; `team/` becomes `/team/`.
fn normalise_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

/// A deterministic pseudo-random generator (SplitMix64): ids must be reproducible so
/// snapshots are stable, and wasm has no entropy source we want to depend on.
#[derive(Clone, Debug)]
pub struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    /// A generator for `seed`, mixed with `salt` (e.g. the selection being evaluated).
    pub fn new(seed: u64, salt: &str) -> Self {
        // FNV-1a over the salt keeps different selections apart.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in salt.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Self { state: seed ^ h }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A version-4-shaped UUID string.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// `len` characters from the uppercase-alphanumeric alphabet IAM uses in unique ids.
    pub fn iam_suffix(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut out = String::with_capacity(len);
        for _ in 0..len {
            let idx = (self.next_u64() % ALPHABET.len() as u64) as usize;
            out.push(char::from(*ALPHABET.get(idx).unwrap_or(&b'A')));
        }
        out
    }
}

/// A stable IAM unique id for a named entity (`AROA` roles, `AIDA` users): the same name
/// always gets the same id in a given account.
pub fn unique_id(prefix: &str, account: &str, name: &str) -> String {
    let mut g = IdGenerator::new(0x5eed, &[account, "/", prefix, "/", name].concat());
    [prefix, &g.iam_suffix(17)].concat()
}

#[cfg(test)]
mod fill_arn_tests {
    use super::fill_arn;

    #[test]
    fn placeholders_fill_from_the_world_and_the_name() {
        let f = |format: &str, name: &str| {
            fill_arn(format, "aws", "us-east-1", "111122223333", "d-1", name)
        };
        assert_eq!(
            f(
                "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
                "b/k/x.csv"
            ),
            "arn:aws:s3:::b/k/x.csv"
        );
        assert_eq!(
            f(
                "arn:${Partition}:sagemaker:${Region}:${Account}:domain/${DomainId}",
                "d-9"
            ),
            "arn:aws:sagemaker:us-east-1:111122223333:domain/d-9"
        );
        assert_eq!(f("arn:${Partition}:sagemaker:${Region}:${Account}:user-profile/${DomainId}/${UserProfileName}", "alice"), "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-1/alice");
        assert_eq!(
            f(
                "arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${TableName}",
                "db"
            ),
            "arn:aws:glue:us-east-1:111122223333:table/db/tablename"
        );
        assert_eq!(
            f(
                "arn:${Partition}:s3:${Region}:${Account}:access-grants/default",
                "x"
            ),
            "arn:aws:s3:us-east-1:111122223333:access-grants/default"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(json: &str) -> Result<Authentication, String> {
        serde_json::from_str(json).map_err(|e| {
            let m = e.to_string();
            m.split(" at line ").next().unwrap_or_default().to_owned()
        })
    }

    /// A world of `n` users (`u0`..) and `n` resources (`r0`..), copied from the default
    /// scenario's first user and resource.
    fn big_world(n: usize) -> World {
        let mut w = std::sync::Arc::unwrap_or_clone(crate::scenario::default_scenario().world);
        let (user, resource) = (w.users[0].clone(), w.resources[0].clone());
        w.users.clear();
        w.resources.clear();
        for i in 0..n {
            let mut u = user.clone();
            u.name = format!("u{i}");
            w.users.push(u);
            let mut r = resource.clone();
            r.id = format!("r{i}");
            w.resources.push(r);
        }
        w
    }

    #[test]
    fn lookups_find_what_a_scan_finds_even_after_the_world_changed() {
        let mut w = big_world(100);
        assert_eq!(w.user("u42").map(|u| u.name.as_str()), Some("u42"));
        assert_eq!(w.resource("r99").map(|r| r.id.as_str()), Some("r99"));
        assert!(w.user("nobody").is_none() && w.resource("nothing").is_none());
        // changed after the index was built: a rename, a removal, an addition
        w.users[42].name = "renamed".into();
        w.resources.remove(0);
        let mut extra = w.users[1].clone();
        extra.name = "newcomer".into();
        w.users.push(extra);
        assert!(w.user("u42").is_none());
        assert_eq!(w.user("renamed").map(|u| u.name.as_str()), Some("renamed"));
        assert_eq!(
            w.user("newcomer").map(|u| u.name.as_str()),
            Some("newcomer")
        );
        assert!(w.resource("r0").is_none());
        for i in 1..100 {
            let id = format!("r{i}");
            assert_eq!(w.resource(&id).map(|r| r.id.as_str()), Some(id.as_str()));
        }
        // a copy starts without an index and equals the original
        let copy = w.clone();
        assert_eq!(copy, w);
        assert_eq!(copy.user("u7").map(|u| u.name.as_str()), Some("u7"));
    }

    #[test]
    fn authentication_reads_every_form() {
        assert_eq!(
            auth(r#"{"type": "iamUser", "userName": "alice"}"#),
            Ok(Authentication::IamUser {
                user_name: "alice".into()
            })
        );
        assert_eq!(
            auth(
                r#"{"sessionName": "a@x", "type": "saml", "role": "R", "principalTags": {"team": "A"}, "transitiveTagKeys": ["team"], "samlProvider": "okta"}"#
            ),
            Ok(Authentication::Saml {
                role: "R".into(),
                session_name: "a@x".into(),
                principal_tags: [("team".to_owned(), "A".to_owned())].into(),
                transitive_tag_keys: vec!["team".into()],
                saml_provider: Some("okta".into()),
            })
        );
        assert_eq!(
            auth(r#"{"type": "saml", "role": "R", "sessionName": "s"}"#),
            Ok(Authentication::Saml {
                role: "R".into(),
                session_name: "s".into(),
                principal_tags: Tags::new(),
                transitive_tag_keys: Vec::new(),
                saml_provider: None,
            })
        );
        assert_eq!(
            auth(r#"{"type": "identityCenter", "userId": "u-1", "userName": "dana"}"#),
            Ok(Authentication::IdentityCenter {
                user_id: "u-1".into(),
                user_name: "dana".into(),
                groups: Vec::new(),
                permission_set_role: None,
            })
        );
        assert_eq!(
            auth(
                r#"{"type": "identityCenter", "userId": "u-1", "userName": "dana", "groups": ["g"], "permissionSetRole": "P"}"#
            ),
            Ok(Authentication::IdentityCenter {
                user_id: "u-1".into(),
                user_name: "dana".into(),
                groups: vec!["g".into()],
                permission_set_role: Some("P".into()),
            })
        );
    }

    #[test]
    fn authentication_errors_name_the_problem() {
        assert_eq!(
            auth(r#"{"type": "sso"}"#),
            Err(
                "unknown variant `sso`, expected one of `iamUser`, `saml`, `identityCenter`".into()
            )
        );
        assert_eq!(
            auth(r#"{"userName": "alice"}"#),
            Err("missing field `type`".into())
        );
        assert_eq!(
            auth(r#"{"type": "iamUser"}"#),
            Err("missing field `userName`".into())
        );
        assert_eq!(
            auth(r#"{"type": "iamUser", "userName": "a", "role": "R"}"#),
            Err("unknown field `role`, expected `userName`".into())
        );
        assert_eq!(
            auth(r#"{"type": "saml", "role": "R", "sessionName": "s", "colour": 1}"#),
            Err("unknown field `colour`, expected one of `role`, `sessionName`, `principalTags`, `transitiveTagKeys`, `samlProvider`".into())
        );
        assert_eq!(
            auth(r#"{"type": "iamUser", "userName": 5}"#),
            Err("invalid type: integer `5`, expected a string".into())
        );
        assert_eq!(
            auth(r#"{"role": "R", "type": "iamUser", "userName": "a"}"#),
            Err("unknown field `role`, expected `userName`".into())
        );
        assert_eq!(
            auth(r#"{"type": "iamUser", "userName": "a", "userName": "b"}"#),
            Err("duplicate field `userName`".into())
        );
        assert_eq!(
            auth(r#"{"type": "saml", "role": "R"}"#),
            Err("missing field `sessionName`".into())
        );
        assert_eq!(
            auth(r#"{"type": "identityCenter", "userId": "u", "userName": "d", "permissionSetRole": null}"#)
                .map(|a| matches!(a, Authentication::IdentityCenter { permission_set_role: None, .. })),
            Ok(true)
        );
        assert_eq!(
            auth(r#""iamUser""#),
            Err(
                "invalid type: string \"iamUser\", expected internally tagged enum Authentication"
                    .into()
            )
        );
    }

    #[test]
    fn role_arn_includes_path() {
        let mut w = std::sync::Arc::unwrap_or_clone(crate::scenario::default_scenario().world);
        w.roles.push(Role {
            name: "X".into(),
            path: "team/".into(),
            tags: Tags::new(),
            persona: String::new(),
        });
        assert_eq!(w.role_arn("X"), "arn:aws:iam::111122223333:role/team/X");
        // a role resource resolves to the same ARN (the world editor and requests agree)
        let r = Resource {
            id: "role-x".into(),
            resource_type: "iam-role".into(),
            name: "X".into(),
            owner: None,
            created_in_studio: false,
            tags: Tags::new(),
            kms_key: None,
        };
        assert_eq!(
            w.resolve(&r).map(|x| x.arn).as_deref(),
            Some("arn:aws:iam::111122223333:role/team/X")
        );
    }

    #[test]
    fn uuid_is_deterministic_and_shaped() {
        let a = IdGenerator::new(7, "x").uuid();
        let b = IdGenerator::new(7, "x").uuid();
        assert_eq!(a, b);
        assert_eq!(a.len(), 36);
        assert_ne!(a, IdGenerator::new(8, "x").uuid());
    }

    #[test]
    fn unique_ids_are_stable_per_name() {
        assert_eq!(unique_id("AROA", "1", "r"), unique_id("AROA", "1", "r"));
        assert_ne!(unique_id("AROA", "1", "r"), unique_id("AROA", "1", "s"));
        assert_eq!(unique_id("AROA", "1", "r").len(), 21);
    }
}
