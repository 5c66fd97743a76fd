//! The command-line front end: arguments (clap derive), one file per subcommand under `cli/`,
//! and exit codes. This is the only module that writes to stdout or stderr; every layer below
//! returns data (`Diagnostic`s, trees, errors) and `cli` decides how to show it.

// Printing is this module's job. The crate-wide `print_stdout`/`print_stderr` lints are there to
// keep every other module from doing it.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod builds;
mod credentials;
mod groovy;
mod inputs;
mod lint;
mod log;
mod lsp;
mod output;
mod parse;
mod plan;
mod run;
mod steps;

use clap::{Parser, Subcommand};

use self::output::Output;

const ABOUT: &str = "Lint, plan and run Jenkinsfiles locally, with no Jenkins server and no JVM.";

const AFTER_HELP: &str = "\
Exit status (every command; with several inputs the worst one wins):
  0  success
  1  findings or failure (for `parse`: a syntax error; for `lint`: an error,
     or a warning with --deny-warnings)
  2  usage error, or an input that is missing, unreadable or not UTF-8";

#[derive(Parser)]
#[command(
    name = "jenkinsfile",
    version,
    about = ABOUT,
    after_help = AFTER_HELP,
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Credentials(credentials::Args),
    Lint(lint::Args),
    Lsp(lsp::Args),
    Parse(parse::Args),
    Plan(Box<plan::Args>),
    Run(Box<run::Args>),
    Groovy(groovy::Args),
    Steps(steps::Args),
    Builds(builds::Args),
    Log(log::Args),
}

/// The process exit status. Ordered from best to worst, so that `max` combines the results of
/// several inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Exit {
    Success = 0,
    /// Findings or failure: a syntax error, or output that could not be written.
    Failure = 1,
    /// A usage error, or input that does not exist or cannot be read as UTF-8 text.
    Unusable = 2,
    /// `run`: the build is UNSTABLE.
    Unstable = 3,
    /// `run`: the build was ABORTED.
    Aborted = 4,
    /// `run`: the build is `NOT_BUILT`.
    NotBuilt = 5,
    /// `run`: interrupted with Ctrl-C.
    Interrupted = 130,
}

/// Runs the command line of this process and returns its exit code.
#[must_use]
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // `--help` and `--version` arrive here too, with exit code 0; usage errors with 2.
            // If even this write fails (a closed pipe) there is nowhere left to report it.
            let _ = err.print();
            return err.exit_code();
        }
    };
    // The server's own writer thread owns stdout: `Output` must not lock it.
    if let Command::Lsp(args) = &cli.command {
        return lsp::run(args) as i32;
    }
    let mut out = Output::new();
    let exit = match &cli.command {
        Command::Credentials(args) => credentials::run(args, &mut out),
        Command::Lint(args) => lint::run(args, &mut out),
        Command::Lsp(_) => Exit::Success,
        Command::Parse(args) => parse::run(args, &mut out),
        Command::Plan(args) => plan::run(args, &mut out),
        Command::Run(args) => run::run(args, &mut out),
        Command::Groovy(args) => groovy::run(args, &mut out),
        Command::Steps(args) => steps::run(args, &mut out),
        Command::Builds(args) => builds::run(args, &mut out),
        Command::Log(args) => log::run(args, &mut out),
    };
    exit.max(out.finish()) as i32
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
