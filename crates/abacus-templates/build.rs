//! Embeds every scenario document of the gallery: the seed use cases in the repository's
//! `scenarios/` folder and the challenges in `gallery/challenges/`, so a new file needs no
//! code change.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn json_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter_map(|path| {
            let id = path.file_stem()?.to_str()?.to_owned();
            Some((id, path))
        })
        .collect();
    files.sort();
    files
}

fn table(name: &str, dir: &Path) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = format!("const {name}: &[(&str, &str)] = &[\n");
    for (id, path) in json_files(dir) {
        let _ = writeln!(
            out,
            "    ({id:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    out
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let scenarios = manifest.join("../../scenarios");
    let challenges = manifest.join("gallery/challenges");
    let code = table("USE_CASES", &scenarios) + &table("CHALLENGES", &challenges);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("gallery_files.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
