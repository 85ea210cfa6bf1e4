//! `cargo xtask bench`, stage `cli-bench`: `abacus eval` against iam-simulate on the same
//! random cases.
//!
//! The stage builds the release CLI, installs the pinned `@cloud-copilot/iam-simulate` with
//! `npm ci` into `crates/xtask/bench/iam-simulate/` (its own folder; never shipped), writes
//! the cases of [`crate::bench_cases`] in both formats under `target/cli-bench/`, and checks
//! that both tools decide every case alike before it times anything: a benchmark of two
//! tools that disagree would compare different work. Then it runs each whole process in
//! turn, several rounds, and prints the median wall time, CPU time and peak memory of each,
//! and their ratio. Each measured process runs under a fresh `xtask rusage` so that its
//! peak memory is its own (`getrusage` of the children of a process that has only one).

use crate::bench_cases;
use crate::cmd::{self, command, root, run};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The target: `abacus eval` takes at most this fraction of iam-simulate's time.
const TARGET_RATIO: f64 = 1.0 / 50.0;
const DEFAULT_CASES: usize = 10_000;
const DEFAULT_ROUNDS: usize = 3;
const SEED: u64 = 20_261_203;

fn simulator_dir() -> PathBuf {
    root()
        .join("crates")
        .join("xtask")
        .join("bench")
        .join("iam-simulate")
}

fn env_number(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("{name}={v} is not a whole number")),
        Err(_) => Ok(default),
    }
}

/// Installs the pinned simulator unless its `node_modules` already holds that version.
fn install_simulator() -> Result<(), String> {
    let dir = simulator_dir();
    let installed = dir
        .join("node_modules")
        .join("@cloud-copilot")
        .join("iam-simulate")
        .join("package.json");
    let wanted = std::fs::read_to_string(dir.join("package.json"))
        .map_err(|e| format!("cannot read the simulator's package.json: {e}"))?;
    let wanted: serde_json::Value =
        serde_json::from_str(&wanted).map_err(|e| format!("the simulator's package.json: {e}"))?;
    let wanted = wanted
        .pointer("/devDependencies/@cloud-copilot~1iam-simulate")
        .and_then(|v| v.as_str())
        .ok_or("the simulator's package.json names no iam-simulate version")?
        .to_owned();
    let have = std::fs::read_to_string(&installed)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("version").and_then(|v| v.as_str()).map(str::to_owned));
    if have.as_deref() == Some(wanted.as_str()) {
        println!("cli-bench: @cloud-copilot/iam-simulate {wanted} already installed");
        return Ok(());
    }
    let mut c = command(
        "npm",
        &["ci", "--no-audit", "--no-fund", "--ignore-scripts"],
    );
    c.current_dir(&dir);
    run(c, "npm ci (iam-simulate for the CLI bench)")
}

/// The decision words of `abacus eval`'s JSON lines, in order.
fn our_decisions(stdout: &str) -> Result<Vec<String>, String> {
    stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).map_err(|e| format!("abacus eval printed `{l}`: {e}"))?;
            v.get("decision")
                .and_then(|d| d.as_str())
                .map(str::to_owned)
                .ok_or_else(|| format!("abacus eval printed no decision in `{l}`"))
        })
        .collect()
}

fn output_of(mut c: Command, what: &str) -> Result<String, String> {
    let out = c
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({})", out.status));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{what} printed invalid UTF-8: {e}"))
}

/// Runs both tools once and compares their decisions case by case.
fn check_agreement(abacus: &Path, ours: &Path, theirs: &Path, dir: &Path) -> Result<(), String> {
    let mut a = Command::new(abacus);
    a.arg("eval").arg(ours);
    let mine = our_decisions(&output_of(a, "abacus eval")?)?;
    let mut b = command("node", &["run.mjs"]);
    b.arg(theirs).current_dir(simulator_dir());
    let other: Vec<String> = output_of(b, "iam-simulate")?
        .lines()
        .map(str::to_owned)
        .collect();
    if mine.len() != other.len() {
        return Err(format!(
            "abacus eval decided {} cases, iam-simulate {}",
            mine.len(),
            other.len()
        ));
    }
    let differing: Vec<usize> = (0..mine.len())
        .filter(|&i| mine.get(i) != other.get(i))
        .collect();
    println!(
        "cli-bench: both tools decide all {} cases alike: {}",
        mine.len(),
        if differing.is_empty() { "yes" } else { "no" }
    );
    let mut tally = std::collections::BTreeMap::<&str, usize>::new();
    for d in &mine {
        *tally.entry(d.as_str()).or_default() += 1;
    }
    println!("cli-bench: decisions {tally:?}");
    if differing.is_empty() {
        return Ok(());
    }
    let cases: Vec<serde_json::Value> = std::fs::read_to_string(ours)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let kept: Vec<&serde_json::Value> = differing.iter().filter_map(|&i| cases.get(i)).collect();
    let out = dir.join("disagreements.json");
    let text = serde_json::to_string_pretty(&kept).map_err(|e| e.to_string())?;
    std::fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    for &i in differing.iter().take(10) {
        println!(
            "  case bench-{i:05}: abacus {} / iam-simulate {}",
            mine.get(i).map_or("-", String::as_str),
            other.get(i).map_or("-", String::as_str)
        );
    }
    Err(format!(
        "{} of {} cases decided differently (all of them in {}); nothing was timed",
        differing.len(),
        mine.len(),
        out.display()
    ))
}

/// One whole-process measurement.
#[derive(Clone, Copy, Debug, Default)]
struct Sample {
    wall_ms: f64,
    cpu_ms: f64,
    max_rss_kb: u64,
}

/// Runs `program args` under `xtask rusage`, output discarded.
fn measure(program: &Path, args: &[&Path], dir: &Path) -> Result<Sample, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find xtask itself: {e}"))?;
    let mut c = Command::new(me);
    c.arg("rusage").arg(program).args(args).current_dir(dir);
    let line = output_of(c, "xtask rusage")?;
    let mut numbers = line.split_whitespace().map(str::parse::<f64>);
    match (numbers.next(), numbers.next(), numbers.next()) {
        (Some(Ok(wall_ms)), Some(Ok(cpu_ms)), Some(Ok(rss))) => Ok(Sample {
            wall_ms,
            cpu_ms,
            max_rss_kb: rss as u64,
        }),
        _ => Err(format!("xtask rusage printed `{}`", line.trim())),
    }
}

/// `xtask rusage PROGRAM ARGS...`: runs the program with its output discarded and prints
/// `WALL_MS CPU_MS MAX_RSS_KB` of it (this process has no other child).
pub fn rusage(args: &[String]) -> Result<(), String> {
    let (program, rest) = args
        .split_first()
        .ok_or("usage: xtask rusage PROGRAM ARGS...")?;
    let start = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let wall = start.elapsed();
    // exit 1 is `abacus eval`'s "a case failed its expectation"; the bench cases have none
    if !status.success() {
        return Err(format!("{program} failed ({status})"));
    }
    use nix::sys::resource::{getrusage, UsageWho};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| format!("getrusage: {e}"))?;
    let ms = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 * 1e3 + t.tv_usec() as f64 / 1e3;
    println!(
        "{:.1} {:.1} {}",
        wall.as_secs_f64() * 1e3,
        ms(usage.user_time()) + ms(usage.system_time()),
        usage.max_rss()
    );
    Ok(())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn summary(samples: &[Sample]) -> Sample {
    Sample {
        wall_ms: median(samples.iter().map(|s| s.wall_ms).collect()),
        cpu_ms: median(samples.iter().map(|s| s.cpu_ms).collect()),
        max_rss_kb: samples.iter().map(|s| s.max_rss_kb).max().unwrap_or(0),
    }
}

/// The stage.
pub fn bench() -> Result<(), String> {
    let count = env_number("ABACUS_BENCH_CASES", DEFAULT_CASES)?;
    let rounds = env_number("ABACUS_BENCH_ROUNDS", DEFAULT_ROUNDS)?.max(1);
    run(
        command(
            "cargo",
            &["build", "--locked", "--release", "-q", "-p", "abacus-cli"],
        ),
        "building the release CLI",
    )?;
    let abacus = root().join("target").join("release").join("abacus");
    install_simulator()?;

    let dir = root().join("target").join("cli-bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let (ours, theirs) = bench_cases::generate(count, SEED)?;
    let ours_file = dir.join("cases.json");
    let theirs_file = dir.join("simulations.json");
    for (file, text) in [(&ours_file, &ours), (&theirs_file, &theirs)] {
        std::fs::write(file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    println!(
        "cli-bench: {count} random cases (seed {SEED}): {} ({:.1} MB), {} ({:.1} MB)",
        ours_file.display(),
        ours.len() as f64 / 1e6,
        theirs_file.display(),
        theirs.len() as f64 / 1e6
    );
    check_agreement(&abacus, &ours_file, &theirs_file, &dir)?;

    let node = PathBuf::from("node");
    let runner = simulator_dir().join("run.mjs");
    let (mut mine, mut other) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        let a = measure(&abacus, &[Path::new("eval"), &ours_file], &dir)?;
        let b = measure(&node, &[&runner, &theirs_file], &simulator_dir())?;
        println!(
            "cli-bench: round {round}: abacus eval {:.0} ms, iam-simulate {:.0} ms",
            a.wall_ms, b.wall_ms
        );
        mine.push(a);
        other.push(b);
    }
    let (a, b) = (summary(&mine), summary(&other));
    let ratio = a.wall_ms / b.wall_ms;
    let date = cmd::output_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    let cores = cmd::output_line("nproc", &[]).unwrap_or_default();
    println!("\ncli-bench: {count} cases, median of {rounds} rounds, {date}, {cores} cores");
    println!("| tool | wall | CPU | peak memory |");
    println!("|---|---:|---:|---:|");
    for (name, s) in [("abacus eval", a), ("iam-simulate (node)", b)] {
        println!(
            "| {name} | {:.0} ms | {:.0} ms | {:.1} MB |",
            s.wall_ms,
            s.cpu_ms,
            s.max_rss_kb as f64 / 1024.0
        );
    }
    println!(
        "cli-bench: abacus eval takes 1/{:.0} of iam-simulate's time (target: at most 1/{:.0}): {}",
        1.0 / ratio,
        1.0 / TARGET_RATIO,
        if ratio <= TARGET_RATIO {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}
