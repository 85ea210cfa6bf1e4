//! `abacus run`, `abacus test` and `abacus matrix`: scenario documents.

use std::process::ExitCode;

/// Runs `abacus run ARGS`.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("error: `abacus run` is being built (issue 4)");
    ExitCode::from(2)
}

/// Runs `abacus test ARGS`.
pub fn test(_args: &[String]) -> ExitCode {
    eprintln!("error: `abacus test` is being built (issue 4)");
    ExitCode::from(2)
}

/// Runs `abacus matrix ARGS`.
pub fn matrix(_args: &[String]) -> ExitCode {
    eprintln!("error: `abacus matrix` is being built (issue 4)");
    ExitCode::from(2)
}
