//! Shared helpers for the corpus and scenario tests under `tests/tests/`.

use std::path::PathBuf;

/// The repository root (the parent of this package's folder).
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}
