//! Decode arbitrary input the way a share link or an imported file reaches the app: a
//! `1.PAYLOAD` share fragment goes through the app's own envelope codec (version, size cap,
//! base64url; the inflating is the browser's `DecompressionStream`, so the decoded bytes are
//! read as they are), anything else is read as a scenario document. A document that loads is then evaluated:
//! its selected request, its expectations and its access matrix. Checks: no panic, no hang,
//! and every reported problem's line and column lie inside the text.
#![no_main]

// The app's share-link envelope is plain Rust with no web dependency: fuzz the very file.
#[path = "../../crates/abacus-web/src/codec.rs"]
#[allow(dead_code, missing_docs)]
mod codec;

use abacus_studio::evaluate::Workspace;
use abacus_studio::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let json = match text.strip_prefix("1.") {
        Some(_) => match codec::unwrap(&text) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => return,
        },
        None => text.into_owned(),
    };
    let lines = json.split('\n').count();
    match Scenario::from_json(&json) {
        Ok(scenario) => {
            let ws = Workspace::new(&scenario);
            let _ = ws.evaluate(&scenario.selection);
            let _ = ws.check_expectations();
            let _ = ws.matrix();
        }
        Err(e) => {
            for issue in &e.issues {
                if let Some(line) = issue.line {
                    assert!(line >= 1 && line <= lines, "{issue:?}");
                }
            }
        }
    }
});
