//! Embeds the crate's JSON data (`src/data/*.json`) compactly: each file is checked with
//! serde_json (a syntax error fails the build with its file, line and column), its top-level
//! `about` note (documentation for people editing the file, never read by the code) is
//! dropped, and the rest is written without whitespace. Strings, and so the policy texts
//! inside the default scenario, are kept exactly; only whitespace between tokens and the
//! order of object members change, which no reader depends on. The web bundle carries the
//! compact form.

use std::path::PathBuf;

/// The data files, embedded as `OUT_DIR/<name>`.
const FILES: [&str; 3] = ["actions.json", "implied.json", "default_scenario.json"];

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    for name in FILES {
        let path = manifest.join("src/data").join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: invalid JSON: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if let Some(map) = value.as_object_mut() {
            map.remove("about");
        }
        let compact = serde_json::to_string(&value)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        let target = out_dir.join(name);
        std::fs::write(&target, compact)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(())
}

fn main() {
    if let Err(message) = run() {
        println!("cargo:warning={message}");
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}
