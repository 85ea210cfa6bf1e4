//! The share-link codec: a workspace document, deflated and base64url'd into the URL fragment,
//! shared by the web app (which deflates with the browser's `CompressionStream`) and the CLI's
//! `abacus share` (which deflates natively), so both write and read exactly one format.
//!
//! Wire format of the fragment value: `VERSION.PAYLOAD`, where `VERSION` is [`SHARE_VERSION`]
//! and `PAYLOAD` is the raw-deflate of the document's JSON in unpadded base64url. This module
//! reads and writes the envelope ([`wrap`], [`unwrap`]); the deflating itself is the
//! browser's in the app (`CompressionStream("deflate-raw")`, `abacus_web::compress`), which keeps the
//! decoded size under [`MAX_DECODED_LEN`] while it streams. The codec only moves bytes; the
//! document is validated field by field by its own parser (`Scenario::from_json`) after
//! decoding. Both sizes are capped so a hostile link can neither hang the tab nor balloon
//! memory (a "zip bomb").

use std::fmt;

/// The current share-format version (the number before the dot).
pub const SHARE_VERSION: u32 = 1;
/// Longest accepted encoded payload, in characters.
pub const MAX_ENCODED_LEN: usize = 64 * 1024;
/// Largest accepted decompressed document, in bytes.
pub const MAX_DECODED_LEN: usize = 1024 * 1024;
/// Links longer than this still work, but some chat tools and browsers truncate them.
pub const WARN_URL_LEN: usize = 8 * 1024;

/// Why a share payload could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// No `VERSION.` prefix.
    MissingVersion,
    /// A version this build does not know.
    UnsupportedVersion(String),
    /// The payload is longer than [`MAX_ENCODED_LEN`].
    TooLong(usize),
    /// A character outside the base64url alphabet, at this offset.
    InvalidBase64(usize),
    /// The deflate stream is corrupt.
    Corrupt,
    /// The document inflates beyond [`MAX_DECODED_LEN`].
    TooLarge,
    /// The inflated bytes are not UTF-8.
    NotUtf8,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::MissingVersion => f.write_str("the share link has no version prefix"),
            ShareError::UnsupportedVersion(v) => {
                write!(
                    f,
                    "the share link has version `{v}`, this build reads version {SHARE_VERSION}"
                )
            }
            ShareError::TooLong(n) => write!(
                f,
                "the share link payload is {n} characters, more than the limit of {MAX_ENCODED_LEN}"
            ),
            ShareError::InvalidBase64(at) => {
                write!(
                    f,
                    "the share link has a character outside base64url at offset {at}"
                )
            }
            ShareError::Corrupt => {
                f.write_str("the share link payload is corrupt (truncated when copied?)")
            }
            ShareError::TooLarge => write!(
                f,
                "the share link expands to more than {} KiB",
                MAX_DECODED_LEN / 1024
            ),
            ShareError::NotUtf8 => f.write_str("the share link payload is not UTF-8 text"),
        }
    }
}

impl std::error::Error for ShareError {}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url of `bytes`.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // a short last chunk is padded with zero bits, as base64 specifies
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            // `idx` is masked to 0..=63 and ALPHABET has 64 entries: the fallback is never
            // taken (it is there so that the code has no indexing panic at all)
            out.push(char::from(ALPHABET.get(idx).copied().unwrap_or(b'A')));
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes unpadded (or `=`-padded) base64url; the error carries the offending offset.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let trimmed = text.trim_end_matches('=');
    let bytes = trimmed.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err(ShareError::InvalidBase64(bytes.len().saturating_sub(1)));
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for (ci, chunk) in bytes.chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = sextet(c).ok_or(ShareError::InvalidBase64(ci * 4 + i))?;
            n |= v << (18 - 6 * i);
        }
        let [_, a, b, c] = n.to_be_bytes();
        out.push(a);
        if chunk.len() > 2 {
            out.push(b);
        }
        if chunk.len() > 3 {
            out.push(c);
        }
    }
    Ok(out)
}

/// The versioned share payload (`1.xxxx`) of a raw-deflated document.
pub fn wrap(deflated: &[u8]) -> String {
    format!("{SHARE_VERSION}.{}", base64url_encode(deflated))
}

/// The raw-deflated bytes of a share payload, after its version and size are checked.
pub fn unwrap(payload: &str) -> Result<Vec<u8>, ShareError> {
    let (version, data) = payload.split_once('.').ok_or(ShareError::MissingVersion)?;
    if version != SHARE_VERSION.to_string() {
        let shown: String = version.chars().take(16).collect();
        return Err(ShareError::UnsupportedVersion(shown));
    }
    if data.len() > MAX_ENCODED_LEN {
        return Err(ShareError::TooLong(data.len()));
    }
    base64url_decode(data)
}

/// The document text of inflated bytes.
pub fn text(inflated: Vec<u8>) -> Result<String, ShareError> {
    String::from_utf8(inflated).map_err(|_| ShareError::NotUtf8)
}

/// The fragment flags the app understands: `#s=PAYLOAD`, `#embed`, `#embed=edit`, `#present`,
/// joined by `&` (each may also be in the query, `?embed`, `?present`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// The share payload, if any.
    pub share: Option<String>,
    /// Embed mode requested, and whether it is editable.
    pub embed: Option<EmbedMode>,
    /// Presenter mode (`present`): a fresh session that reads and writes nothing in the
    /// browser's storage, with larger text.
    pub present: bool,
}

/// How an embedded view behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedMode {
    /// Read-only: the policy and the request are shown, nothing can be changed.
    ReadOnly,
    /// The policy can be edited and the request changed, without the app chrome.
    Editable,
}

impl Fragment {
    /// Parses `location.hash` (with or without the `#`) plus `location.search` (`?embed`).
    pub fn parse(hash: &str, search: &str) -> Self {
        let mut out = Fragment::default();
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let search = search.strip_prefix('?').unwrap_or(search);
        for part in hash.split('&').chain(search.split('&')) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            match key {
                "s" if !value.is_empty() => out.share = Some(value.to_owned()),
                "present" => out.present = true,
                "embed" => {
                    out.embed = Some(if value == "edit" {
                        EmbedMode::Editable
                    } else {
                        EmbedMode::ReadOnly
                    })
                }
                _ => {}
            }
        }
        out
    }

    /// Renders the fragment back to `#...` text (empty string when there is nothing).
    pub fn to_hash(&self) -> String {
        let mut parts = Vec::new();
        if self.present {
            parts.push("present".to_owned());
        }
        match self.embed {
            Some(EmbedMode::ReadOnly) => parts.push("embed".to_owned()),
            Some(EmbedMode::Editable) => parts.push("embed=edit".to_owned()),
            None => {}
        }
        if let Some(s) = &self.share {
            parts.push(format!("s={s}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.join("&"))
        }
    }
}
