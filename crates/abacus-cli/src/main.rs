//! `abacus`: the Abacus engine on the command line, for CI use and for our own tests.
//!
//! Each subcommand lives in its own module and returns its exit code:
//! 0 success, 1 a failed expectation or lint error, 2 bad usage or unreadable input.

use std::process::ExitCode;

/// Most of the CLI's time is spent allocating the small strings and vectors of parsed
/// policies; mimalloc does that at about half the system allocator's cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod account;
mod eval;
mod scenario;
mod share;
mod template;
mod terminal;

const USAGE: &str = "\
usage: abacus <command> [args]

commands:
  eval FILE... [--explain]      evaluate policy cases (one JSON line per case)
  run FILE [--request N]        evaluate a scenario's selected request: decision, trace, CloudTrail
  test FILE...                  check scenario expectations; a course: every step fails
                                as shipped and passes with its worked solution
  matrix FILE [--json]          users x actions (x resources) access matrix
  render --list                 list the template library (id first)
  render ID [--set k=v]... [--scenario FILE] [--setup] [--slots]
                                render a template with world defaults and overrides
  render --bind FILE            bind a pasted sample's <placeholders> to world values
  lint [--summary] [--json] FILE...
                                lint a policy or a scenario (LINE:COL severity code message;
                                --json: one JSON document with the reference data's version)
  lint --rules                  list the lint rules
  import FILE... [-o OUT]       a scenario from AWS CLI exports of an account (IAM, SageMaker,
                                Organizations, S3, Secrets Manager; nothing leaves the machine)
  who-can FILE ACTION ARN [--json]
                                every user profile, role session and IAM user allowed ACTION
                                on ARN, then the explicitly denied ones, then
                                `N allowed, N denied`
  replay FILE TRAIL...          replay CloudTrail records (log file, lookup-events output or
                                array): one JSON line per record with `recorded`, `decision`,
                                `agrees`, then `N agree, N disagree, N not compared`; exit 1
                                when any disagree
  share FILE [--embed | --embed=edit] [--base URL]
                                the app's share link for a scenario or a course, or a
                                scenario's <iframe> snippet
  --version                     the version, and the AWS reference data's package and date
";

/// `abacus 0.1.0` and the reference data it carries.
fn version() -> String {
    let reference = abacus_reference::current();
    let data = reference
        .index()
        .map_or_else(|| "none".to_owned(), abacus_reference::Index::describe);
    format!(
        "abacus {}\nAWS Service Authorization Reference: {data}\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    match command.as_str() {
        "eval" => eval::main(rest),
        "run" => scenario::run(rest),
        "test" => scenario::test(rest),
        "matrix" => scenario::matrix(rest),
        "render" => template::render(rest),
        "lint" => template::lint(rest),
        "import" => account::import(rest),
        "who-can" => account::who_can(rest),
        "replay" => account::replay(rest),
        "share" => share::share(rest),
        "--version" | "-V" | "version" => {
            print!("{}", version());
            ExitCode::SUCCESS
        }
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => {
            eprintln!(
                "error: unknown command `{}`\n\n{USAGE}",
                terminal::shown(other)
            );
            ExitCode::from(2)
        }
    }
}
