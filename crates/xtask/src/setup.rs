//! `cargo xtask setup`: installs every tool the project needs, each only when missing or at
//! the wrong version. Everything comes from package registries (crates.io, Debian, npm):
//! nothing is downloaded from anywhere else, and trunk is pinned to the tools on PATH.

use crate::cmd::{self, command, output_line, root, run};
use std::path::Path;

/// The trunk release this project builds with (0.22 needs a newer rustc than this toolchain).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The cargo-fuzz release for the fuzz smoke stage.
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Runs every set-up step.
pub fn run_all() -> Result<(), String> {
    wasm_target()?;
    rust_components()?;
    trunk()?;
    wasm_bindgen()?;
    chromium()?;
    npm_packages()?;
    crate::reference::ensure_installed()?;
    cargo_fuzz()?;
    println!("setup: everything is in place");
    Ok(())
}

/// Entry point for `cargo xtask setup`.
pub fn ensure() -> Result<(), String> {
    cmd::stage("setup", run_all)
}

fn wasm_target() -> Result<(), String> {
    let list = command("rustup", &["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if list.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        println!("setup: wasm32-unknown-unknown target present");
        return Ok(());
    }
    println!("setup: adding the wasm32-unknown-unknown target");
    run(
        command("rustup", &["target", "add", "wasm32-unknown-unknown"]),
        "rustup target add",
    )
}

fn rust_components() -> Result<(), String> {
    let have_fmt = output_line("cargo", &["fmt", "--version"]).is_some();
    let have_clippy = output_line("cargo", &["clippy", "--version"]).is_some();
    if have_fmt && have_clippy {
        println!("setup: rustfmt and clippy present");
        return Ok(());
    }
    run(
        command("rustup", &["component", "add", "rustfmt", "clippy"]),
        "rustup component add",
    )
}

fn trunk() -> Result<(), String> {
    cargo_install(
        "trunk",
        TRUNK_VERSION,
        &["trunk", "--version"],
        &["--locked"],
    )
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                return Ok(v.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

fn trunk_toml_pin(tool: &str) -> Option<String> {
    let text = std::fs::read_to_string(root().join("Trunk.toml")).ok()?;
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == tool).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn wasm_bindgen() -> Result<(), String> {
    let version = locked_wasm_bindgen_version()?;
    if trunk_toml_pin("wasm_bindgen").as_deref() != Some(version.as_str()) {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen to {:?} but Cargo.lock has {version}: make them equal",
            trunk_toml_pin("wasm_bindgen")
        ));
    }
    // Not --locked: one of its locked dependencies is no longer on the registry.
    cargo_install(
        "wasm-bindgen-cli",
        &version,
        &["wasm-bindgen", "--version"],
        &[],
    )
}

fn chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        println!("setup: Debian chromium and chromium-driver present");
        return Ok(());
    }
    println!("setup: installing Debian chromium and chromium-driver");
    let sudo = output_line("id", &["-u"]).as_deref() != Some("0");
    let apt = |args: &[&str]| {
        if sudo {
            let mut all = vec!["apt-get"];
            all.extend_from_slice(args);
            command("sudo", &all)
        } else {
            command("apt-get", args)
        }
    };
    run(apt(&["update"]), "apt-get update")?;
    let mut install = apt(&[
        "install",
        "-y",
        "--no-install-recommends",
        "chromium",
        "chromium-driver",
    ]);
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run(install, "apt-get install chromium chromium-driver")
}

fn npm_packages() -> Result<(), String> {
    let dir = cmd::e2e_dir();
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(l), Ok(i)) => match (l.modified(), i.modified()) {
            (Ok(lm), Ok(im)) => im >= lm,
            _ => false,
        },
        _ => false,
    };
    let wasm_opt = output_line("wasm-opt", &["--version"]);
    if fresh
        && wasm_opt
            .as_deref()
            .is_some_and(|v| v.contains("version 132"))
    {
        println!(
            "setup: npm packages present ({})",
            wasm_opt.unwrap_or_default()
        );
        return Ok(());
    }
    println!("setup: npm ci (playwright-core, binaryen's wasm-opt)");
    let mut c = command("npm", &["ci", "--no-audit", "--no-fund"]);
    c.current_dir(&dir);
    run(c, "npm ci")
}

fn cargo_fuzz() -> Result<(), String> {
    if !root().join("fuzz").join("Cargo.toml").exists() {
        return Ok(());
    }
    cargo_install(
        "cargo-fuzz",
        CARGO_FUZZ_VERSION,
        &["cargo", "fuzz", "--version"],
        &["--locked"],
    )
}

/// Installs `krate` at exactly `version` (a debug build: as fast at run time for these
/// tools, and several minutes quicker to compile) unless `probe` already prints
/// `NAME VERSION`, NAME being the probed program's own name for itself.
fn cargo_install(krate: &str, version: &str, probe: &[&str], extra: &[&str]) -> Result<(), String> {
    let shown_as = match probe {
        ["cargo", sub, ..] => format!("cargo-{sub}"),
        [program, ..] => (*program).to_owned(),
        [] => return Err(format!("no version probe for {krate}")),
    };
    let want = format!("{shown_as} {version}");
    let Some((program, args)) = probe.split_first() else {
        return Err(format!("no version probe for {krate}"));
    };
    if output_line(program, args).as_deref() == Some(want.as_str()) {
        println!("setup: {want} present");
        return Ok(());
    }
    println!("setup: installing {want} (debug build, a few minutes)");
    let exact = format!("={version}");
    let mut install_args = vec!["install", "--debug", krate, "--version", &exact];
    install_args.extend_from_slice(extra);
    run(
        command("cargo", &install_args),
        &format!("cargo install {krate}"),
    )
}
