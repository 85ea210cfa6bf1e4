//! Running tools: the repository root, the PATH the tools need, and commands whose output
//! is streamed through while their summary lines are counted.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Instant;

/// The repository root (two levels above this crate).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or(here)
}

/// The folder holding the e2e npm packages (playwright-core, binaryen's wasm-opt).
pub fn e2e_dir() -> PathBuf {
    root().join("tests").join("e2e")
}

/// `$CARGO_HOME/bin`, where `cargo install` puts trunk and wasm-bindgen.
pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// PATH with the npm tools (binaryen's wasm-opt) and cargo's bin folder first, so trunk
/// finds exactly the pinned tools and never falls back to a download.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![e2e_dir().join("node_modules").join(".bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command in the repository root with the tool PATH.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root()).env("PATH", tool_path());
    c
}

/// Runs a command with inherited output; errors when it cannot start or fails.
pub fn run(mut c: Command, what: &str) -> Result<(), String> {
    let status = c
        .status()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// The first line a command prints on stdout, or None when it cannot run or fails.
pub fn output_line(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(|l| l.trim().to_owned())
}

/// Passed/failed counts collected from a test runner's summary lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
}

impl Counts {
    /// Adds what one output line reports: cargo/libtest's `test result: ... N passed; M failed`
    /// and node's TAP `# pass N` / `# fail N`.
    pub fn absorb(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result:") {
            self.passed += number_before(rest, " passed");
            self.failed += number_before(rest, " failed");
        } else if let Some(n) = line.strip_prefix("# pass ") {
            self.passed += n.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            self.failed += n.trim().parse::<u64>().unwrap_or(0);
        }
    }
}

fn number_before(text: &str, marker: &str) -> u64 {
    let Some(end) = text.find(marker) else {
        return 0;
    };
    let head = text.get(..end).unwrap_or("");
    let digits: String = head
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap_or(0)
}

/// Runs a test command, echoing its output live, and returns the counts it reported.
pub fn run_counted(mut c: Command, what: &str) -> Result<Counts, String> {
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c
        .spawn()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    let (tx, rx) = mpsc::channel::<(bool, String)>();
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(spawn_reader(out, false, tx.clone()));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(spawn_reader(err, true, tx.clone()));
    }
    drop(tx);
    let mut counts = Counts::default();
    for (is_err, line) in rx {
        if is_err {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
        counts.absorb(&line);
    }
    for r in readers {
        let _ = r.join();
    }
    let status = child
        .wait()
        .map_err(|e| format!("{what}: cannot wait: {e}"))?;
    if status.success() && counts.failed == 0 {
        Ok(counts)
    } else {
        Err(format!(
            "{what} failed ({status}): {} passed, {} failed",
            counts.passed, counts.failed
        ))
    }
}

fn spawn_reader<R: Read + Send + 'static>(
    stream: R,
    is_err: bool,
    tx: mpsc::Sender<(bool, String)>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send((is_err, line)).is_err() {
                break;
            }
        }
    })
}

/// Times a stage and prints its banner and result line.
pub fn stage<T>(name: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    println!("\n==> {name}");
    let start = Instant::now();
    let result = f();
    let secs = start.elapsed().as_secs_f64();
    match &result {
        Ok(_) => println!("<== {name} ok ({secs:.1}s)"),
        Err(e) => println!("<== {name} FAILED ({secs:.1}s): {e}"),
    }
    result.map_err(|e| format!("stage `{name}` failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_libtest_and_tap_summaries() {
        let mut c = Counts::default();
        c.absorb("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        c.absorb("test result: FAILED. 3 passed; 2 failed; 0 ignored");
        c.absorb("# pass 7");
        c.absorb("# fail 1");
        c.absorb("unrelated 99 passed");
        assert_eq!(
            c,
            Counts {
                passed: 22,
                failed: 3
            }
        );
    }
}
