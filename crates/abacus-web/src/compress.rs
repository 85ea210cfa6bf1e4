//! Raw deflate by the browser: `CompressionStream` and `DecompressionStream` with the
//! `deflate-raw` format (in every current browser), so the bundle carries no deflater of its
//! own. Inflating streams chunk by chunk and stops at a cap, so a "zip bomb" link never
//! takes more memory than the cap.
//!
//! web-sys has both classes only behind `web_sys_unstable_apis`; the two constructors are
//! bound here instead, and the streams are used through web-sys' stable stream types.

use crate::codec::ShareError;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `new CompressionStream(format)`.
    #[wasm_bindgen(js_name = CompressionStream)]
    type Deflater;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<Deflater, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// `new DecompressionStream(format)`.
    #[wasm_bindgen(js_name = DecompressionStream)]
    type Inflater;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Inflater, JsValue>;
}

/// Why a stream stopped.
enum Stop {
    /// The output would pass the cap.
    Cap,
    /// The browser refused: corrupt input, or no such stream.
    Browser,
}

/// Pipes `input` through `transform` (a `{readable, writable}` pair) and collects the
/// output, stopping once it would exceed `cap` bytes.
async fn pipe(input: &[u8], transform: &JsValue, cap: usize) -> Result<Vec<u8>, Stop> {
    let parts = Array::of1(&Uint8Array::from(input));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| Stop::Browser)?;
    let stream = blob
        .stream()
        .pipe_through(transform.unchecked_ref::<web_sys::ReadableWritablePair>());
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| Stop::Browser)?;
        if Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy()) {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(|_| Stop::Browser)?
            .unchecked_into();
        if out.len().saturating_add(value.length() as usize) > cap {
            let _ = reader.cancel();
            return Err(Stop::Cap);
        }
        out.extend(value.to_vec());
    }
}

/// `input` raw-deflated (the share link's payload before base64url).
pub async fn deflate(input: &[u8]) -> Result<Vec<u8>, String> {
    let deflater = Deflater::new("deflate-raw")
        .map_err(|_| "this browser cannot compress (no CompressionStream)".to_owned())?;
    // no cap: deflate never grows a document by more than a few bytes per block
    pipe(input, &deflater, usize::MAX)
        .await
        .map_err(|_| "the browser could not compress the document".to_owned())
}

/// `input` inflated, refused once it passes `cap` bytes.
pub async fn inflate(input: &[u8], cap: usize) -> Result<Vec<u8>, ShareError> {
    let inflater = Inflater::new("deflate-raw").map_err(|_| ShareError::Corrupt)?;
    pipe(input, &inflater, cap)
        .await
        .map_err(|stop| match stop {
            Stop::Cap => ShareError::TooLarge,
            Stop::Browser => ShareError::Corrupt,
        })
}
