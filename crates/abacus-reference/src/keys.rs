//! Condition-key names against the reference's key templates, and key types.
//!
//! The reference writes variable parts of key names as `${TagKey}` or `<key>`
//! (`aws:ResourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>`,
//! `codebuild:environment.environmentVariables/${name}.value`). A template's fixed parts match
//! case-insensitively (key names are case-insensitive) and each variable part matches one or
//! more characters.

/// The type of a condition key, as the reference writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `String`.
    String,
    /// `ARN`.
    Arn,
    /// `Bool`.
    Bool,
    /// `Date`.
    Date,
    /// `Numeric` (also `Long`, `Integer`).
    Numeric,
    /// `IPAddress`.
    IpAddress,
    /// `Binary`.
    Binary,
}

/// A key's value type and whether it is multivalued (`ArrayOf…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ValueType {
    /// The element type.
    pub element: KeyType,
    /// True for `ArrayOf…` types (use `ForAllValues` / `ForAnyValue`).
    pub multivalued: bool,
}

impl ValueType {
    /// Parses the reference's type text; unknown types are `None`.
    pub fn parse(text: &str) -> Option<ValueType> {
        let (multivalued, element) = match text.strip_prefix("ArrayOf") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let element = match element.to_ascii_lowercase().as_str() {
            "string" => KeyType::String,
            "arn" => KeyType::Arn,
            "bool" | "boolean" => KeyType::Bool,
            "date" => KeyType::Date,
            "numeric" | "long" | "integer" => KeyType::Numeric,
            "ipaddress" => KeyType::IpAddress,
            "binary" => KeyType::Binary,
            _ => return None,
        };
        Some(ValueType {
            element,
            multivalued,
        })
    }

    /// As the reference writes it, e.g. `ArrayOfString`.
    pub fn name(self) -> String {
        let element = match self.element {
            KeyType::String => "String",
            KeyType::Arn => "ARN",
            KeyType::Bool => "Bool",
            KeyType::Date => "Date",
            KeyType::Numeric => "Numeric",
            KeyType::IpAddress => "IPAddress",
            KeyType::Binary => "Binary",
        };
        if self.multivalued {
            format!("ArrayOf{element}")
        } else {
            element.to_owned()
        }
    }
}

/// The fixed parts of a key template, split at its variable parts (`${…}` or `<…>`).
fn template_parts(template: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = template;
    loop {
        let dollar = rest.find("${").map(|i| (i, '}'));
        let angle = rest.find('<').map(|i| (i, '>'));
        let next = match (dollar, angle) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        let Some((start, close)) = next else {
            parts.push(rest);
            return parts;
        };
        let Some(len) = rest.get(start..).and_then(|r| r.find(close)) else {
            parts.push(rest);
            return parts;
        };
        parts.push(rest.get(..start).unwrap_or(""));
        rest = rest.get(start + len + 1..).unwrap_or("");
    }
}

/// True when `template` has a variable part (e.g. `aws:ResourceTag/${TagKey}`).
pub fn is_template(template: &str) -> bool {
    template_parts(template).len() > 1
}

/// The fixed text before the first variable part, e.g. `aws:ResourceTag/`.
pub fn template_prefix(template: &str) -> &str {
    template_parts(template)
        .first()
        .copied()
        .unwrap_or(template)
}

fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from);
    }
    let last = hay.len().checked_sub(needle.len())?;
    (from..=last).find(|&i| {
        hay.get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// True when the key name `key` is an instance of `template` (case-insensitive; each variable
/// part stands for one or more characters).
pub fn key_matches(template: &str, key: &str) -> bool {
    // the text up to the first possible variable part, compared as it is read: most
    // templates differ from the key there (the linter asks for every key of a policy against
    // every global key and every key of its service), and a plain one is decided there
    let (t, k) = (template.as_bytes(), key.as_bytes());
    let mut i = 0;
    loop {
        match t.get(i) {
            None => return i == k.len(),
            Some(b'$' | b'<') => break,
            Some(c) => match k.get(i) {
                Some(d) if c.eq_ignore_ascii_case(d) => i += 1,
                _ => return false,
            },
        }
    }
    let parts = template_parts(template);
    let key = key.as_bytes();
    let [first, middle @ .., last] = parts.as_slice() else {
        // no variable part: plain comparison
        return template.as_bytes().eq_ignore_ascii_case(key);
    };
    let (first, last) = (first.as_bytes(), last.as_bytes());
    if key.len() < first.len() + last.len() + 1 {
        return false;
    }
    let starts = key
        .get(..first.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(first));
    let ends = key
        .get(key.len() - last.len()..)
        .is_some_and(|s| s.eq_ignore_ascii_case(last));
    if !starts || !ends {
        return false;
    }
    // between the fixed ends: hole, part, hole, part, ..., hole; each hole takes at least one
    // character, and the leftmost place for each part leaves the most room for the rest
    let end = key.len() - last.len();
    let mut at = first.len();
    for part in middle {
        let Some(found) = find_ci(key, part.as_bytes(), at + 1) else {
            return false;
        };
        if found + part.len() >= end {
            return false;
        }
        at = found + part.len();
    }
    at < end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_instances() {
        assert!(key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:resourcetag/team"
        ));
        assert!(key_matches(
            "aws:ResourceTag/${TagKey}",
            "AWS:ResourceTag/a/b"
        ));
        assert!(!key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTag/"
        ));
        assert!(!key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTags"
        ));
        assert!(key_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/x"
        ));
        assert!(key_matches(
            "codebuild:environment.environmentVariables/${name}.value",
            "codebuild:environment.environmentVariables/HOME.value"
        ));
        assert!(!key_matches(
            "codebuild:environment.environmentVariables/${name}.value",
            "codebuild:environment.environmentVariables/.value"
        ));
        assert!(key_matches("aws:SourceIp", "AWS:SOURCEIP"));
        assert!(!key_matches("aws:SourceIp", "aws:SourceIps"));
    }

    #[test]
    fn prefixes() {
        assert!(is_template("aws:PrincipalTag/${TagKey}"));
        assert!(!is_template("aws:SourceIdentity"));
        assert_eq!(
            template_prefix("aws:PrincipalTag/${TagKey}"),
            "aws:PrincipalTag/"
        );
    }

    #[test]
    fn value_types() {
        let t = ValueType::parse("ArrayOfString").unwrap();
        assert!(t.multivalued);
        assert_eq!(t.element, KeyType::String);
        assert_eq!(
            ValueType::parse("IPAddress").unwrap().element,
            KeyType::IpAddress
        );
        assert_eq!(ValueType::parse("ARN").unwrap().name(), "ARN");
        assert_eq!(ValueType::parse("Widget"), None);
    }
}
