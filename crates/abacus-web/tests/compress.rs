//! The share link's deflating by the browser (`CompressionStream` / `DecompressionStream`),
//! in headless Chromium: what the app writes, it reads back; the wire format is raw deflate,
//! so links made by the earlier, hand-written codec still open; and a hostile payload is
//! refused with the codec's errors, within the decoded-size cap.
#![cfg(target_arch = "wasm32")]
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step is a failed test (wasm_bindgen_test is not seen as a test by clippy.toml)"
)]

use abacus_web::codec::{self, ShareError, MAX_DECODED_LEN};
use abacus_web::compress::{deflate, inflate};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn documents_round_trip_through_the_browser() {
    let doc =
        r#"{"name":"Ünïcode ” test","text":"{\n  \"Version\": \"2012-10-17\"\n}"}"#.repeat(50);
    let deflated = deflate(doc.as_bytes()).await.unwrap();
    assert!(deflated.len() < doc.len() / 10, "{} bytes", deflated.len());
    let payload = codec::wrap(&deflated);
    let back = inflate(&codec::unwrap(&payload).unwrap(), MAX_DECODED_LEN)
        .await
        .unwrap();
    assert_eq!(codec::text(back).unwrap(), doc);
}

#[wasm_bindgen_test]
async fn links_of_the_earlier_codec_still_open() {
    // these bytes were written by the hand-written codec the app used before (LZ77 with
    // fixed Huffman codes), run once on the text below
    let earlier: [u8; 113] = [
        171, 86, 202, 75, 204, 77, 85, 178, 82, 42, 47, 202, 44, 41, 73, 205, 83, 72, 170, 84, 40,
        201, 72, 85, 72, 77, 44, 202, 201, 76, 45, 82, 72, 206, 79, 73, 77, 86, 210, 81, 42, 200,
        207, 201, 76, 206, 76, 45, 86, 178, 138, 174, 86, 42, 73, 173, 40, 1, 106, 169, 142, 201,
        83, 80, 136, 81, 10, 75, 45, 42, 206, 204, 207, 139, 81, 178, 2, 114, 140, 12, 12, 141,
        116, 13, 13, 116, 13, 205, 99, 148, 98, 242, 106, 149, 106, 99, 117, 148, 138, 82, 11, 82,
        19, 65, 26, 18, 147, 146, 177, 34, 165, 90, 0,
    ];
    let text = r#"{"name":"written by the earlier codec","policies":[{"text":"{\n  \"Version\": \"2012-10-17\"\n}"}],"repeat":"abcabcabcabcabcabcabcabc"}"#;
    let back = inflate(&earlier, MAX_DECODED_LEN).await.unwrap();
    assert_eq!(codec::text(back).unwrap(), text);
}

#[wasm_bindgen_test]
async fn zip_bombs_and_garbage_are_refused() {
    let bomb = deflate(&vec![b' '; MAX_DECODED_LEN + 10]).await.unwrap();
    assert!(codec::wrap(&bomb).len() < codec::MAX_ENCODED_LEN);
    assert_eq!(
        inflate(&bomb, MAX_DECODED_LEN).await,
        Err(ShareError::TooLarge)
    );
    assert_eq!(
        inflate(&[0xff, 0xff, 0xff, 0xff], MAX_DECODED_LEN).await,
        Err(ShareError::Corrupt)
    );
    // truncated: half of a valid stream
    let good = deflate("x".repeat(5000).as_bytes()).await.unwrap();
    let cut = good.get(..good.len() / 2).unwrap();
    assert_eq!(
        inflate(cut, MAX_DECODED_LEN).await,
        Err(ShareError::Corrupt)
    );
}
