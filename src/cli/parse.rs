//! `jenkinsfile parse`: check that files parse, and optionally dump their syntax trees. A
//! debugging aid for the grammar, and the simplest user of `discover`.

use std::path::PathBuf;

use super::Exit;
use super::output::Output;
use crate::discover::discover;
use crate::syntax;

// clap is built without `wrap_help`, so these texts are wrapped by hand at 80 columns.
const LONG_ABOUT: &str = "\
Parse Jenkinsfiles and report syntax errors.

Each PATH is a file, a directory, or `-` for standard input. A directory is
searched recursively, in sorted order, for Jenkinsfiles: files named

    Jenkinsfile   Jenkinsfile.*   *.jenkinsfile   *.Jenkinsfile

The search skips hidden directories, `.git`, `target` and `node_modules`, and
never picks up `*.groovy` files (not even `Jenkinsfile.groovy`): those are
usually shared-library sources. A file named on the command line is always
parsed, whatever its name, so `*.groovy` files can be checked one by one.

A file that parses prints nothing. With --ast its syntax tree is printed as an
S-expression, preceded by a `;; PATH` line when there are several files. A
syntax error prints a report on stderr, in colour when stderr is a terminal and
NO_COLOR is unset. Every input is processed, even after a failure.";

const AFTER_LONG_HELP: &str = "\
Exit status (the worst over all inputs):
  0  every input parsed
  1  a syntax error in at least one input, or stdout could not be written
  2  usage error, or an input that is missing, unreadable or not UTF-8";

#[derive(clap::Args)]
#[command(
    about = "Parse Jenkinsfiles and report syntax errors",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
)]
pub(super) struct Args {
    /// Files, directories to search, or `-` for standard input
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Print each file's syntax tree as an S-expression
    #[arg(long)]
    ast: bool,
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let found = discover(&args.paths);
    let mut exit = Exit::Success;
    for err in &found.errors {
        out.error(err);
        exit = Exit::Unusable;
    }
    if found.inputs.is_empty() && found.errors.is_empty() {
        out.warn("no Jenkinsfiles found in the given directories");
    }
    let headers = args.ast && found.inputs.len() > 1;
    for input in &found.inputs {
        let source = match input.read() {
            Ok(source) => source,
            Err(err) => {
                out.error(&err);
                exit = exit.max(Exit::Unusable);
                continue;
            }
        };
        match syntax::parse(&source) {
            Ok(file) if args.ast => {
                let mut text = String::new();
                if headers {
                    text.push_str(";; ");
                    text.push_str(&source.name);
                    text.push('\n');
                }
                text.push_str(&syntax::print::sexpr(&file));
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                out.print(&text);
            }
            Ok(_) => {}
            Err(diags) => {
                out.diagnostics(&diags, &source);
                exit = exit.max(Exit::Failure);
            }
        }
    }
    exit
}
