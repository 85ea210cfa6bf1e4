//! The pipelines behind `serve`, `test`, `dist` and `bench`.

use crate::cmd::{self, command, root, run, run_counted, stage, Counts};
use crate::{setup, size};
use std::path::PathBuf;

/// The crates that are compiled to wasm32 for the web app (and `abacus-account`, which the
/// app's import, who-can and replay will use: it must stay free of native-only code).
const WASM_CRATES: [&str; 6] = [
    "abacus-reference",
    "abacus-policy",
    "abacus-studio",
    "abacus-templates",
    "abacus-account",
    "abacus-web",
];

fn trunk(args: &[&str]) -> std::process::Command {
    // --offline: trunk must use the pinned tools on PATH and never download one; if a
    // version does not match Trunk.toml it fails instead of fetching.
    let mut all = args.to_vec();
    all.extend_from_slice(&["--offline", "--skip-version-check"]);
    command("trunk", &all)
}

fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Where the generated files that trunk copies into dist/ are written (gitignored).
const GENERATED_DIR: &str = "web/generated";

/// Writes the gallery bundle (`abacus_templates::bundle`), which `index.html` copies into
/// dist/: the web app fetches the gallery and the template library instead of embedding them.
fn gallery_bundle() -> Result<(), String> {
    let out = root().join(GENERATED_DIR).join("gallery.json");
    let out = out.to_string_lossy();
    run(
        command(
            "cargo",
            &[
                "run",
                "--locked",
                "-q",
                "-p",
                "abacus-templates",
                "--example",
                "web_bundle",
                "--",
                &out,
            ],
        ),
        "writing the gallery bundle",
    )
}

/// `cargo xtask dist`: the release site in dist/.
pub fn dist() -> Result<(), String> {
    stage("dist", || {
        gallery_bundle()?;
        run(trunk(&["build", "--release"]), "trunk build --release")?;
        let index = std::fs::read_to_string(dist_dir().join("index.html"))
            .map_err(|e| format!("trunk produced no dist/index.html: {e}"))?;
        // Relative URLs only: the site must work from any sub-path of a static host.
        if index.contains("href=\"/") || index.contains("src=\"/") || index.contains("from '/") {
            return Err("dist/index.html refers to absolute URLs".to_owned());
        }
        println!("dist: static site in {}", dist_dir().display());
        Ok(())
    })
}

/// `cargo xtask serve`.
pub fn serve() -> Result<(), String> {
    setup::ensure()?;
    let port = std::env::var("ABACUS_PORT").unwrap_or_else(|_| "8080".to_owned());
    gallery_bundle()?;
    println!("\nAbacus is being built and served at http://127.0.0.1:{port}/ (Ctrl-C stops it)\n");
    run(
        trunk(&["serve", "--address", "127.0.0.1", "--port", &port]),
        "trunk serve",
    )
}

fn spec_files() -> Result<Vec<String>, String> {
    let mut specs: Vec<String> = std::fs::read_dir(cmd::e2e_dir())
        .map_err(|e| format!("cannot read tests/e2e: {e}"))?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".spec.mjs"))
        .collect();
    specs.sort();
    Ok(specs)
}

fn e2e(only: Option<&str>) -> Result<Counts, String> {
    let specs: Vec<String> = spec_files()?
        .into_iter()
        .filter(|s| only.is_none_or(|o| s == o))
        .collect();
    if specs.is_empty() {
        return Err("no end-to-end specs (tests/e2e/*.spec.mjs)".to_owned());
    }
    let mut args = vec!["--test", "--test-concurrency=1", "--test-reporter=tap"];
    args.extend(specs.iter().map(String::as_str));
    let mut c = command("node", &args);
    c.current_dir(cmd::e2e_dir()).env("ABACUS_DIST", dist_dir());
    run_counted(c, "node --test")
}

fn wasm_tests() -> Result<Counts, String> {
    // chromedriver leaves ~22 MB in TMPDIR on every run: keep it in a folder we empty.
    let tmp = root().join("target").join("wasm-test-tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let mut c = command(
        "cargo",
        &[
            "test",
            "--locked",
            "-p",
            "abacus-web",
            "--target",
            "wasm32-unknown-unknown",
        ],
    );
    c.env("TMPDIR", &tmp)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver");
    let result = run_counted(c, "wasm-bindgen-test");
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn fuzz_smoke() -> Result<(), String> {
    let dir = root().join("fuzz");
    if !dir.join("Cargo.toml").exists() {
        println!("fuzz: no fuzz/ crate");
        return Ok(());
    }
    let list = command("cargo", &["fuzz", "list"])
        .current_dir(&dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .map_err(|e| format!("cannot run cargo fuzz list: {e}"))?;
    let targets: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let seconds = std::env::var("ABACUS_FUZZ_SECONDS").unwrap_or_else(|_| "30".to_owned());
    for target in &targets {
        let max = format!("-max_total_time={seconds}");
        // new inputs go to corpus/TARGET (ignored by git); the seeds are read only
        let corpus = format!("corpus/{target}");
        std::fs::create_dir_all(dir.join(&corpus))
            .map_err(|e| format!("cannot create fuzz/{corpus}: {e}"))?;
        let seeds = match target.as_str() {
            "parse_evaluate" => "../crates/abacus-policy/tests/fixtures",
            "scenario_decode" => "../scenarios",
            _ => "",
        };
        let mut args = vec!["fuzz", "run", target.as_str(), corpus.as_str()];
        if !seeds.is_empty() {
            args.push(seeds);
        }
        args.extend_from_slice(&["--", &max, "-rss_limit_mb=2048", "-max_len=8192"]);
        let mut c = command("cargo", &args);
        // cargo-fuzz needs nightly flags; this stable toolchain accepts them with bootstrap.
        c.current_dir(&dir).env("RUSTC_BOOTSTRAP", "1");
        run(c, &format!("cargo fuzz run {target}"))?;
        println!("fuzz: {target} ran clean for {seconds}s");
    }
    Ok(())
}

/// `cargo xtask test`: every stage, stopping at the first red one.
pub fn test_all() -> Result<(), String> {
    let mut total = Counts::default();
    let mut add = |name: &str, c: Counts| {
        println!("{name}: {} passed, {} failed", c.passed, c.failed);
        total.passed += c.passed;
        total.failed += c.failed;
    };
    setup::ensure()?;
    stage("fmt", || {
        run(
            command("cargo", &["fmt", "--all", "--", "--check"]),
            "cargo fmt --check",
        )
    })?;
    stage("clippy", || {
        run(
            command(
                "cargo",
                &[
                    "clippy",
                    "--locked",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            "cargo clippy (host)",
        )
    })?;
    stage("clippy-wasm32", || {
        let mut args = vec!["clippy", "--locked", "--target", "wasm32-unknown-unknown"];
        for c in WASM_CRATES {
            args.extend_from_slice(&["-p", c]);
        }
        args.extend_from_slice(&["--", "-D", "warnings"]);
        run(command("cargo", &args), "cargo clippy (wasm32)")
    })?;
    let native = stage("native-tests", || {
        run_counted(
            command("cargo", &["test", "--locked", "--workspace"]),
            "cargo test",
        )
    })?;
    add("native", native);
    let wasm = stage("wasm-tests", wasm_tests)?;
    add("wasm", wasm);
    stage("fuzz-smoke", fuzz_smoke)?;
    dist()?;
    let browser = stage("e2e", || e2e(None))?;
    add("e2e", browser);
    // Prints the gzip total against `size::BUDGET_GZIP`; over budget is reported, not fatal.
    stage("size", || {
        let entries = size::measure(&dist_dir())?;
        size::print(&entries);
        Ok(())
    })?;
    println!("\nall stages green");
    println!("total: {} passed, {} failed", total.passed, total.failed);
    Ok(())
}

/// `cargo xtask bench`: engine throughput and (with valgrind) instructions per decision,
/// then browser timings on a release build.
pub fn bench() -> Result<(), String> {
    setup::ensure()?;
    stage("engine-bench", || {
        run(
            command("cargo", &["bench", "--locked", "-p", "abacus-policy"]),
            "cargo bench",
        )
    })?;
    stage("engine-instructions", || {
        // Machine-independent: instructions per warm decision, counted by callgrind on
        // the bench scenario (examples/bench_count), a run of N decisions less a run of none.
        if cmd::output_line("valgrind", &["--version"]).is_none() {
            println!("valgrind not found: instructions per decision not counted (install valgrind to count them)");
            return Ok(());
        }
        run(
            command(
                "cargo",
                &[
                    "build",
                    "--locked",
                    "--profile",
                    "bench",
                    "-p",
                    "abacus-policy",
                    "--example",
                    "bench_count",
                ],
            ),
            "cargo build bench_count",
        )?;
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| root().join("target"), PathBuf::from);
        let example = target.join("release/examples/bench_count");
        let collected = |decisions: u32| -> Result<u64, String> {
            let out = command(
                "valgrind",
                &["--tool=callgrind", "--callgrind-out-file=/dev/null"],
            )
            .arg(&example)
            .arg(decisions.to_string())
            .output()
            .map_err(|e| format!("valgrind: cannot start: {e}"))?;
            if !out.status.success() {
                return Err(format!("valgrind on bench_count failed ({})", out.status));
            }
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .find_map(|l| {
                    l.split_once("Collected :")
                        .map(|(_, n)| n.trim().to_owned())
                })
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| "valgrind printed no `Collected :` count".to_owned())
        };
        const DECISIONS: u32 = 10_000;
        let (base, warm) = (collected(0)?, collected(DECISIONS)?);
        let per_decision = warm.saturating_sub(base) / u64::from(DECISIONS);
        println!("instructions per decision: {per_decision} (callgrind, bench_count, {DECISIONS} decisions less none)");
        Ok(())
    })?;
    stage("cli-bench", crate::cli_bench::bench)?;
    stage("hostile-bench", || {
        let date = cmd::output_line("date", &["-u", "+%Y-%m-%d, %H:%M UTC"]).unwrap_or_default();
        let cores = cmd::output_line("nproc", &[]).unwrap_or_default();
        let mut c = command(
            "cargo",
            &[
                "run",
                "--locked",
                "--release",
                "-p",
                "abacus-cli",
                "--example",
                "hostile_bench",
            ],
        );
        c.env("ABACUS_BENCH_DATE", format!("{date}, {cores} cores"));
        run(c, "hostile-input bench")
    })?;
    bench_browser()
}

/// `cargo xtask bench browser` (and the end of `cargo xtask bench`): the browser timings of
/// the small worlds and of the large world, on a release build made now.
pub fn bench_browser() -> Result<(), String> {
    dist()?;
    stage("browser-perf", || e2e(Some("perf.spec.mjs")).map(|_| ()))?;
    stage("browser-large-world", || {
        e2e(Some("large-world.spec.mjs")).map(|_| ())
    })?;
    Ok(())
}
