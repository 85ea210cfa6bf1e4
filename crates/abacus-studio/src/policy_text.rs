//! A policy's text, shared between the versions of a document.
//!
//! Every edit makes a new version of the document, and a document of an imported account
//! holds hundreds of policies (megabytes of text), of which an edit changes one. With the
//! texts shared, a new version copies none of them, and an unchanged text is recognised by
//! its address, without comparing its bytes: the app's parse and lint caches ask that of
//! every policy on every keystroke.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A policy text: immutable, cheap to clone, read as a `str`. Two texts are equal when
/// they are the same version, or else when their bytes are (see [`same_bytes`]).
#[derive(Clone, Default, Eq)]
pub struct PolicyText(Arc<str>);

impl PartialEq for PolicyText {
    fn eq(&self, other: &PolicyText) -> bool {
        self.same_version(other) || same_bytes(self, other)
    }
}

/// Whether two texts are equal, compared eight bytes at a time: in WebAssembly the
/// standard comparison is a plain byte loop (its `memcmp`), and a document of hundreds of
/// policies compares texts it has no shared version of (a document read again, an undo).
fn same_bytes(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (wa, wb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tails_equal = wa.remainder() == wb.remainder();
    tails_equal
        && wa
            .zip(wb)
            .all(|(x, y)| x.first_chunk::<8>() == y.first_chunk::<8>())
}

impl PolicyText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this very text (the same version of it), which implies equal
    /// content; a text written again with the same content is not.
    pub fn same_version(&self, other: &PolicyText) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for PolicyText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PolicyText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<String> for PolicyText {
    fn from(text: String) -> Self {
        PolicyText(Arc::from(text))
    }
}

impl From<&str> for PolicyText {
    fn from(text: &str) -> Self {
        PolicyText(Arc::from(text))
    }
}

impl From<PolicyText> for String {
    fn from(text: PolicyText) -> Self {
        text.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for PolicyText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PolicyText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for PolicyText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Debug for PolicyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PolicyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PolicyText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PolicyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(PolicyText::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_is_the_same_version_and_an_equal_text_is_not() {
        let a = PolicyText::from("{\"Version\":\"2012-10-17\"}");
        let b = a.clone();
        let c = PolicyText::from(a.to_string());
        assert!(a.same_version(&b));
        assert!(!a.same_version(&c));
        assert_eq!(a, c);
        assert_eq!(a, "{\"Version\":\"2012-10-17\"}");
    }

    #[test]
    fn same_bytes_is_string_equality() {
        let cases = [
            ("", ""),
            ("a", "a"),
            ("a", "b"),
            ("12345678", "12345678"),
            ("12345678", "12345679"),
            ("123456789abcdef0x", "123456789abcdef0x"),
            ("123456789abcdef0x", "123456789abcdef0y"),
            ("023456789abcdef0x", "123456789abcdef0x"),
            ("abc", "abcd"),
        ];
        for (a, b) in cases {
            assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            assert_eq!(same_bytes(b, a), a == b, "{b:?} {a:?}");
            let (ta, tb) = (PolicyText::from(a), PolicyText::from(b));
            assert_eq!(ta == tb, a == b);
        }
    }

    #[test]
    fn it_reads_and_writes_as_a_json_string() {
        let t: PolicyText = serde_json::from_str("\"{\\\"Statement\\\":[]}\"").unwrap();
        assert_eq!(t.as_str(), "{\"Statement\":[]}");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"{\\\"Statement\\\":[]}\""
        );
    }
}
