//! `jenkinsfile groovy FILE` (hidden): runs a plain Groovy script and prints what Groovy
//! would print. Used by the differential test against real Groovy; an uncaught exception
//! prints `Caught: …` on stderr and exits 1, as the `groovy` command does.

use std::path::PathBuf;

use super::Exit;
use super::output::Output;
use crate::eval::{self, ScriptFailure};
use crate::source::SourceFile;
use crate::syntax;

#[derive(clap::Args)]
#[command(
    hide = true,
    about = "Run a plain Groovy script (for testing the interpreter)"
)]
pub(super) struct Args {
    /// The Groovy script
    file: PathBuf,
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let source = match SourceFile::read(&args.file) {
        Ok(s) => s,
        Err(err) => {
            out.error(&err);
            return Exit::Unusable;
        }
    };
    let file = match syntax::parse(&source) {
        Ok(f) => f,
        Err(diags) => {
            out.diagnostics(&diags, &source);
            return Exit::Failure;
        }
    };
    let class = args.file.file_stem().map_or_else(
        || "script".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let run = eval::run_groovy(&source, &file, &class);
    out.print(&run.stdout);
    match run.failure {
        None => Exit::Success,
        Some(ScriptFailure::Exception { text, .. }) => {
            eprintln!("Caught: {text}");
            Exit::Failure
        }
        Some(ScriptFailure::Unsupported {
            message,
            line,
            column,
        }) => {
            eprintln!("{}:{line}:{column}: {message}", args.file.display());
            Exit::Failure
        }
    }
}
