//! `abacus render` and `abacus lint`: the template library and the ABAC linter.

use std::process::ExitCode;

/// Runs `abacus render ARGS`.
pub fn render(_args: &[String]) -> ExitCode {
    eprintln!("error: `abacus render` is being built (issue 5)");
    ExitCode::from(2)
}

/// Runs `abacus lint ARGS`.
pub fn lint(_args: &[String]) -> ExitCode {
    eprintln!("error: `abacus lint` is being built (issue 5)");
    ExitCode::from(2)
}
