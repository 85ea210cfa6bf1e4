//! The size report: what a browser downloads from `dist/` (wasm, JS, CSS), raw and gzip.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Transfer budget of the shipped app: wasm + JS + CSS after `gzip -9`, in bytes. Reported,
/// not enforced: going over is a finding for the size report, not a broken build.
pub const BUDGET_GZIP: u64 = 400_000;

/// One shipped file's size.
#[derive(Debug)]
pub struct Entry {
    /// File name inside dist/.
    pub name: String,
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes after `gzip -9`.
    pub gzip: u64,
}

fn gzip_len(path: &Path) -> Result<u64, String> {
    let data = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start gzip: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("gzip has no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("gzip failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "gzip writer thread failed".to_owned())?
        .map_err(|e| format!("cannot feed gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}

/// Measures every .wasm, .js and .css file in `dist`.
pub fn measure(dist: &Path) -> Result<Vec<Entry>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("wasm" | "js" | "css")
            )
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let raw = std::fs::metadata(p)
                .map_err(|e| format!("cannot stat {}: {e}", p.display()))?
                .len();
            Ok(Entry {
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                raw,
                gzip: gzip_len(p)?,
            })
        })
        .collect()
}

/// Prints the report as a Markdown table (pasteable into the README).
pub fn print(entries: &[Entry]) {
    let kb = |b: u64| b as f64 / 1024.0;
    println!("| file | raw | gzip |");
    println!("|---|---:|---:|");
    for e in entries {
        // Hashed names change every build; report by kind.
        let kind = e.name.rsplit('.').next().unwrap_or("");
        println!(
            "| {kind} ({}) | {:.1} KiB | {:.1} KiB |",
            e.name,
            kb(e.raw),
            kb(e.gzip)
        );
    }
    let raw: u64 = entries.iter().map(|e| e.raw).sum();
    let gzip: u64 = entries.iter().map(|e| e.gzip).sum();
    println!("| **total** | {:.1} KiB | {:.1} KiB |", kb(raw), kb(gzip));
    println!("\n{}", budget_verdict(gzip, BUDGET_GZIP));
}

/// One line comparing the gzip total with the budget.
pub fn budget_verdict(gzip: u64, budget: u64) -> String {
    if gzip <= budget {
        format!(
            "size: {gzip} bytes gzip, within budget ({budget} bytes, {} to spare)",
            budget - gzip
        )
    } else {
        format!(
            "size: {gzip} bytes gzip, over budget by {} bytes (budget {budget} bytes)",
            gzip - budget
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_says_within_or_over_budget() {
        assert_eq!(
            budget_verdict(399_000, 400_000),
            "size: 399000 bytes gzip, within budget (400000 bytes, 1000 to spare)"
        );
        assert!(budget_verdict(400_000, 400_000).contains("within budget"));
        assert_eq!(
            budget_verdict(400_123, 400_000),
            "size: 400123 bytes gzip, over budget by 123 bytes (budget 400000 bytes)"
        );
    }
}
