//! `abacus eval`: policy cases in the format of `shared/DESIGN.md`.

use std::process::ExitCode;

/// Runs `abacus eval ARGS`.
pub fn main(_args: &[String]) -> ExitCode {
    eprintln!("error: `abacus eval` is being built (issue 3)");
    ExitCode::from(2)
}
