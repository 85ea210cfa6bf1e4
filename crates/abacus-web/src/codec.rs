//! The share-link codec of the app: [`abacus_studio::share`] (the envelope, base64url and the
//! fragment flags, shared with the CLI's `abacus share`), and test stand-ins for the
//! browser's deflater.

pub use abacus_studio::share::*;

/// Test stand-ins for the browser's deflater: miniz_oxide, a test-only dependency.
#[cfg(test)]
pub mod testing {
    use super::*;

    /// The payload the app writes for `json`.
    pub fn encode(json: &str) -> String {
        wrap(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6))
    }

    /// What the app reads from `payload`, with the decoded-size cap.
    pub fn decode(payload: &str) -> Result<String, ShareError> {
        let deflated = unwrap(payload)?;
        let inflated =
            miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_DECODED_LEN)
                .map_err(|e| match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
                    _ => ShareError::Corrupt,
                })?;
        text(inflated)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{decode, encode};
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40u8 {
            let data: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(37).wrapping_add(251))
                .collect();
            let text = base64url_encode(&data);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&text).unwrap(), data, "len {len}");
        }
    }

    #[test]
    fn base64url_rejects_foreign_characters_with_offset() {
        assert_eq!(base64url_decode("ab+d"), Err(ShareError::InvalidBase64(2)));
        assert_eq!(base64url_decode("abcde"), Err(ShareError::InvalidBase64(4)));
    }

    #[test]
    fn documents_round_trip_including_unicode() {
        let doc = r#"{"name":"Ünïcode ” test","policies":[{"text":"{\n  \"Version\": \"2012-10-17\"\n}"}]}"#;
        let payload = encode(doc);
        assert!(payload.starts_with("1."));
        assert_eq!(decode(&payload).unwrap(), doc);
    }

    #[test]
    fn hostile_payloads_are_rejected_not_panicked_on() {
        assert_eq!(decode("nodot"), Err(ShareError::MissingVersion));
        assert_eq!(
            decode("2.abcd"),
            Err(ShareError::UnsupportedVersion("2".into()))
        );
        assert_eq!(decode("1.!!!!"), Err(ShareError::InvalidBase64(0)));
        assert_eq!(decode("1.AAAA"), Err(ShareError::Corrupt));
        // truncated: drop the tail of a valid payload
        let good = encode(&"x".repeat(5000));
        let cut = &good[..good.len() / 2];
        assert!(decode(cut).is_err());
        // bytes that are valid deflate but not UTF-8
        let bad = format!(
            "1.{}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 6))
        );
        assert_eq!(decode(&bad), Err(ShareError::NotUtf8));
    }

    #[test]
    fn oversize_payloads_are_rejected_before_inflating() {
        let long = format!("1.{}", "A".repeat(MAX_ENCODED_LEN + 1));
        assert_eq!(unwrap(&long), Err(ShareError::TooLong(MAX_ENCODED_LEN + 1)));
        // a zip bomb is tiny encoded: the browser's inflater stops it at the decoded cap
        // (tests/components.rs checks that in Chromium)
        let bomb = encode(&" ".repeat(MAX_DECODED_LEN + 10));
        assert!(bomb.len() < MAX_ENCODED_LEN);
    }

    #[test]
    fn fragments_parse_share_and_embed_flags() {
        let f = Fragment::parse("#embed&s=1.abc", "");
        assert_eq!(f.share.as_deref(), Some("1.abc"));
        assert_eq!(f.embed, Some(EmbedMode::ReadOnly));
        let f = Fragment::parse("s=1.xyz", "?embed=edit");
        assert_eq!(f.embed, Some(EmbedMode::Editable));
        assert_eq!(f.to_hash(), "#embed=edit&s=1.xyz");
        assert_eq!(Fragment::parse("", "").to_hash(), "");
        assert_eq!(Fragment::parse("#s=", "").share, None);
        // presenter mode, in the query or the fragment
        assert!(Fragment::parse("", "?present").present);
        let f = Fragment::parse("#present&s=1.abc", "");
        assert!(f.present && f.embed.is_none());
        assert_eq!(f.to_hash(), "#present&s=1.abc");
        assert!(!Fragment::parse("#s=1.abc", "").present);
    }
}
