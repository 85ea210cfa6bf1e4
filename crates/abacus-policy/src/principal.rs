//! Who is calling, and whether a `Principal` element names them.
//!
//! IAM User Guide, "AWS JSON policy elements: Principal": a resource-based policy can name
//! an account (its id or `arn:aws:iam::ID:root`, which delegates to the account's own
//! identity policies), an IAM user, an IAM role (which covers every session of that
//! role), a specific role session (`arn:aws:sts::ID:assumed-role/ROLE/SESSION`), a
//! federated user session, a service (`sagemaker.amazonaws.com`), or everyone (`*`).
//! Wildcards other than a lone `*` are not supported in principals.

use crate::ast::{PrincipalSpec, PrincipalType};
use serde::Serialize;

/// The kind of calling principal, derived from its ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PrincipalKind {
    /// `arn:aws:sts::ID:assumed-role/ROLE/SESSION` (e.g. a Studio execution-role session).
    RoleSession,
    /// `arn:aws:iam::ID:role/ROLE` (a role named directly; real calls come from sessions).
    Role,
    /// `arn:aws:iam::ID:user/NAME`.
    User,
    /// `arn:aws:iam::ID:root`, the account root user.
    Root,
    /// `arn:aws:sts::ID:federated-user/NAME`.
    FederatedUser,
    /// A service principal such as `sagemaker.amazonaws.com`.
    Service,
    /// An unauthenticated caller (`*` or empty).
    Anonymous,
    /// Anything else (e.g. an identity provider ARN).
    Other,
}

/// The calling principal, split into the parts policy evaluation needs (borrowed from
/// the request, no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallerInfo<'a> {
    /// The ARN (or service name) as given.
    pub arn: &'a str,
    /// What kind it is.
    pub kind: PrincipalKind,
    /// The 12-digit account id (empty for services and anonymous callers).
    pub account: &'a str,
    /// The partition, e.g. `aws`.
    pub partition: &'a str,
    /// Role name (for roles and role sessions) or user name (last path segment).
    pub name: &'a str,
    /// Session name for role sessions.
    pub session: &'a str,
}

impl<'a> CallerInfo<'a> {
    /// Classifies `arn`.
    pub fn parse(arn: &'a str) -> Self {
        let mut info = CallerInfo {
            arn,
            kind: PrincipalKind::Other,
            account: "",
            partition: "",
            name: "",
            session: "",
        };
        if arn.is_empty() || arn == "*" || arn.eq_ignore_ascii_case("anonymous") {
            info.kind = PrincipalKind::Anonymous;
            return info;
        }
        let Some((prefix, partition, service, account, resource)) = split_arn(arn) else {
            if !arn.starts_with("arn:") && arn.contains('.') {
                info.kind = PrincipalKind::Service;
            }
            return info;
        };
        if prefix != "arn" {
            return info;
        }
        info.partition = partition;
        info.account = account;
        match (service, split_byte(resource, b'/')) {
            ("sts", Some(("assumed-role", rest))) => {
                if let Some((role, session)) = split_byte(rest, b'/') {
                    info.kind = PrincipalKind::RoleSession;
                    info.name = role;
                    info.session = session;
                }
            }
            ("sts", Some(("federated-user", name))) => {
                info.kind = PrincipalKind::FederatedUser;
                info.name = name;
            }
            ("iam", Some(("role", rest))) => {
                info.kind = PrincipalKind::Role;
                info.name = rest.rsplit('/').next().unwrap_or(rest);
            }
            ("iam", Some(("user", rest))) => {
                info.kind = PrincipalKind::User;
                info.name = rest.rsplit('/').next().unwrap_or(rest);
            }
            ("iam", None) if resource == "root" => info.kind = PrincipalKind::Root,
            _ => {}
        }
        info
    }

    /// Human words for explanations: "role session", "IAM user", ...
    pub fn kind_words(&self) -> &'static str {
        match self.kind {
            PrincipalKind::RoleSession => "role session",
            PrincipalKind::Role => "IAM role",
            PrincipalKind::User => "IAM user",
            PrincipalKind::Root => "account root user",
            PrincipalKind::FederatedUser => "federated user session",
            PrincipalKind::Service => "service principal",
            PrincipalKind::Anonymous => "anonymous caller",
            PrincipalKind::Other => "principal",
        }
    }

    /// The ARN of the role behind a role session: `arn:aws:iam::ID:role/NAME` (the
    /// session ARN does not carry the role's path).
    pub fn role_arn(&self) -> Option<String> {
        match self.kind {
            PrincipalKind::RoleSession => Some(format!(
                "arn:{}:iam::{}:role/{}",
                self.partition, self.account, self.name
            )),
            PrincipalKind::Role => Some(self.arn.to_owned()),
            _ => None,
        }
    }

    /// The value of `aws:PrincipalArn` AWS would put in the request context.
    pub fn principal_arn(&self) -> String {
        self.role_arn().unwrap_or_else(|| self.arn.to_owned())
    }
}

/// Splits an ARN at its first five colons (byte scan; this runs for every request):
/// prefix, partition, service, account, resource.
pub(crate) fn split_arn(arn: &str) -> Option<(&str, &str, &str, &str, &str)> {
    let [c0, c1, c2, c3, c4] = first_colons(arn.as_bytes())?;
    Some((
        arn.get(..c0)?,
        arn.get(c0 + 1..c1)?,
        arn.get(c1 + 1..c2)?,
        arn.get(c3 + 1..c4)?,
        arn.get(c4 + 1..)?,
    ))
}

/// Positions of the first five colons of `bytes`, eight bytes at a time.
fn first_colons(bytes: &[u8]) -> Option<[usize; 5]> {
    const COLONS: u64 = 0x3a3a_3a3a_3a3a_3a3a;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut found = [0usize; 5];
    let mut n = 0;
    let mut base = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let x = u64::from_le_bytes(chunk.try_into().ok()?) ^ COLONS;
        // the high bit of each byte that is zero in x (a colon in the text), exactly: no
        // carry crosses a byte, as (b & 0x7f) + 0x7f stays below 0x100
        let mut colons = !((((x & LOW7).wrapping_add(LOW7)) | x) | LOW7);
        while colons != 0 {
            *found.get_mut(n)? = base + (colons.trailing_zeros() / 8) as usize;
            n += 1;
            if n == 5 {
                return Some(found);
            }
            colons &= colons - 1;
        }
        base += 8;
    }
    for (i, b) in chunks.remainder().iter().enumerate() {
        if *b == b':' {
            *found.get_mut(n)? = base + i;
            n += 1;
            if n == 5 {
                return Some(found);
            }
        }
    }
    None
}

/// `s.split_once(sep)` for an ASCII separator, as a plain byte scan (hot path).
pub(crate) fn split_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = memchr::memchr(sep, s.as_bytes())?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// How a `Principal` element named the caller. The kind matters for same-account
/// evaluation (IAM User Guide: "Policy evaluation logic", resource-based policies).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GrantKind {
    /// `*`: everyone, which includes this caller.
    Everyone,
    /// The caller's own ARN: the IAM user, the role session, the federated user session,
    /// the service or identity provider.
    Direct,
    /// The ARN of the role whose session is calling.
    Role,
    /// The caller's account (`123456789012` or `arn:aws:iam::123456789012:root`):
    /// trusts the account, which must still grant permission in identity policies.
    Account,
}

impl GrantKind {
    /// Words for explanations.
    pub fn describe(self) -> &'static str {
        match self {
            GrantKind::Everyone => "names every principal (`*`)",
            GrantKind::Direct => "names the calling principal itself",
            GrantKind::Role => "names the role whose session is calling",
            GrantKind::Account => "names the caller's account, which delegates to the account's identity-based policies",
        }
    }
}

/// Does the principal element name the caller, and how? Returns the grant kind and the
/// index of the matching value among all values in source order (for explanations).
pub fn match_principal(
    spec: &PrincipalSpec,
    caller: &CallerInfo<'_>,
) -> Option<(GrantKind, usize)> {
    let entries = match spec {
        PrincipalSpec::Any => return Some((GrantKind::Everyone, 0)),
        PrincipalSpec::Map { entries } => entries,
    };
    let mut best: Option<(GrantKind, usize)> = None;
    let mut index = 0;
    for entry in entries {
        for v in &entry.values {
            if let Some(kind) = match_value(entry.kind.value, &v.value, caller) {
                let rank = |k: GrantKind| match k {
                    GrantKind::Direct | GrantKind::Everyone => 0,
                    GrantKind::Role => 1,
                    GrantKind::Account => 2,
                };
                if best.is_none_or(|(b, _)| rank(kind) < rank(b)) {
                    best = Some((kind, index));
                }
            }
            index += 1;
        }
    }
    best
}

/// Does a `NotPrincipal` element list the caller, so that its `Deny` does not apply?
/// IAM User Guide, "AWS JSON policy elements: NotPrincipal": AWS may check the account
/// first, then the role, then the role session (or the user), and the Deny applies to any
/// of them that is not listed; so the caller is exempt only when every level is listed
/// (the account's ARN, the role's ARN and the session's ARN for a role session; the
/// account and the user for an IAM user). `*` lists everyone.
pub fn not_principal_lists(spec: &PrincipalSpec, caller: &CallerInfo<'_>) -> bool {
    let entries = match spec {
        PrincipalSpec::Any => return true,
        PrincipalSpec::Map { entries } => entries,
    };
    let (mut account, mut role, mut direct) = (false, false, false);
    for entry in entries {
        for v in &entry.values {
            match match_value(entry.kind.value, &v.value, caller) {
                Some(GrantKind::Everyone) => return true,
                Some(GrantKind::Account) => account = true,
                Some(GrantKind::Role) => role = true,
                Some(GrantKind::Direct) => direct = true,
                None => {}
            }
        }
    }
    match caller.kind {
        PrincipalKind::User | PrincipalKind::FederatedUser => account && direct,
        PrincipalKind::RoleSession => account && role && direct,
        PrincipalKind::Role => account && role,
        PrincipalKind::Root => account,
        PrincipalKind::Service | PrincipalKind::Other => direct,
        PrincipalKind::Anonymous => false,
    }
}

fn match_value(kind: PrincipalType, value: &str, caller: &CallerInfo<'_>) -> Option<GrantKind> {
    match kind {
        PrincipalType::Aws => {
            // "AWS JSON policy elements: Principal": for anonymous users, `"*"` and
            // `{"AWS": "*"}` are equivalent
            if value == "*" {
                return Some(GrantKind::Everyone);
            }
            if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
                return (value == caller.account
                    && !caller.account.is_empty()
                    && caller.kind != PrincipalKind::Service)
                    .then_some(GrantKind::Account);
            }
            let target = CallerInfo::parse(value);
            if target.account != caller.account || target.account.is_empty() {
                return None;
            }
            match (target.kind, caller.kind) {
                (PrincipalKind::Root, k)
                    if k != PrincipalKind::Service && k != PrincipalKind::Anonymous =>
                {
                    Some(GrantKind::Account)
                }
                (PrincipalKind::Role, PrincipalKind::RoleSession) => {
                    (target.name == caller.name).then_some(GrantKind::Role)
                }
                (PrincipalKind::Role, PrincipalKind::Role) => {
                    (target.arn == caller.arn).then_some(GrantKind::Role)
                }
                (PrincipalKind::RoleSession, PrincipalKind::RoleSession)
                | (PrincipalKind::User, PrincipalKind::User)
                | (PrincipalKind::FederatedUser, PrincipalKind::FederatedUser) => {
                    (target.arn == caller.arn).then_some(GrantKind::Direct)
                }
                _ => None,
            }
        }
        PrincipalType::Service => (caller.kind == PrincipalKind::Service
            && (value == "*" || value.eq_ignore_ascii_case(caller.arn)))
        .then_some(GrantKind::Direct),
        PrincipalType::Federated | PrincipalType::CanonicalUser => {
            (value == caller.arn).then_some(GrantKind::Direct)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_policy;

    proptest::proptest! {
        // the word-at-a-time split agrees with splitting at the first five colons (`º` and
        // `ú` hold the byte 0xba, a colon with the high bit set)
        #[test]
        fn split_arn_is_splitn(arn in "[a:;9/\\x00\\x01ºú]{0,40}") {
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            let expected = match parts.as_slice() {
                [p, pa, s, _, a, r] => Some((*p, *pa, *s, *a, *r)),
                _ => None,
            };
            proptest::prop_assert_eq!(split_arn(&arn), expected);
        }
    }

    fn spec(principal: &str) -> PrincipalSpec {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"s3:*","Resource":"*"}}]}}"#
        );
        let p = parse_policy(&text);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        p.policy.unwrap().statements[0]
            .principal
            .clone()
            .unwrap()
            .spec
    }

    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/StudioRole/alice";

    // IAM User Guide: "AWS JSON policy elements: Principal"
    #[test]
    fn classifies_callers() {
        let c = CallerInfo::parse(SESSION);
        assert_eq!(c.kind, PrincipalKind::RoleSession);
        assert_eq!(c.account, "111122223333");
        assert_eq!(c.name, "StudioRole");
        assert_eq!(
            c.role_arn().unwrap(),
            "arn:aws:iam::111122223333:role/StudioRole"
        );
        assert_eq!(
            CallerInfo::parse("sagemaker.amazonaws.com").kind,
            PrincipalKind::Service
        );
        assert_eq!(
            CallerInfo::parse("arn:aws:iam::111122223333:root").kind,
            PrincipalKind::Root
        );
        assert_eq!(
            CallerInfo::parse("arn:aws:iam::111122223333:user/a/b").name,
            "b"
        );
    }

    // IAM User Guide: "AWS JSON policy elements: NotPrincipal" (account, then role, then
    // session: every level must be listed)
    #[test]
    fn not_principal_needs_every_level() {
        let c = CallerInfo::parse(SESSION);
        let role = "arn:aws:iam::111122223333:role/StudioRole";
        let root = "arn:aws:iam::111122223333:root";
        assert!(!not_principal_lists(
            &spec(&format!(r#"{{"AWS":["{SESSION}"]}}"#)),
            &c
        ));
        assert!(!not_principal_lists(
            &spec(&format!(r#"{{"AWS":["{SESSION}","{root}"]}}"#)),
            &c
        ));
        assert!(not_principal_lists(
            &spec(&format!(r#"{{"AWS":["{SESSION}","{role}","{root}"]}}"#)),
            &c
        ));
        let user = CallerInfo::parse("arn:aws:iam::111122223333:user/bob");
        assert!(not_principal_lists(
            &spec(&format!(
                r#"{{"AWS":["arn:aws:iam::111122223333:user/bob","{root}"]}}"#
            )),
            &user
        ));
        assert!(!not_principal_lists(
            &spec(r#"{"AWS":["arn:aws:iam::111122223333:user/bob"]}"#),
            &user
        ));
    }

    #[test]
    fn grant_kinds() {
        let c = CallerInfo::parse(SESSION);
        assert_eq!(
            match_principal(&spec(r#""*""#), &c),
            Some((GrantKind::Everyone, 0))
        );
        assert_eq!(
            match_principal(&spec(r#"{"AWS":"111122223333"}"#), &c)
                .unwrap()
                .0,
            GrantKind::Account
        );
        assert_eq!(
            match_principal(&spec(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#), &c)
                .unwrap()
                .0,
            GrantKind::Account
        );
        assert_eq!(
            match_principal(
                &spec(r#"{"AWS":"arn:aws:iam::111122223333:role/path/StudioRole"}"#),
                &c
            )
            .unwrap()
            .0,
            GrantKind::Role
        );
        assert_eq!(
            match_principal(
                &spec(&format!(
                    r#"{{"AWS":["arn:aws:iam::111122223333:root","{SESSION}"]}}"#
                )),
                &c
            ),
            Some((GrantKind::Direct, 1))
        );
        assert_eq!(
            match_principal(&spec(r#"{"AWS":"arn:aws:iam::444455556666:root"}"#), &c),
            None
        );
        assert_eq!(
            match_principal(&spec(r#"{"Service":"sagemaker.amazonaws.com"}"#), &c),
            None
        );
        let s = CallerInfo::parse("sagemaker.amazonaws.com");
        assert_eq!(
            match_principal(&spec(r#"{"Service":"sagemaker.amazonaws.com"}"#), &s)
                .unwrap()
                .0,
            GrantKind::Direct
        );
    }
}
