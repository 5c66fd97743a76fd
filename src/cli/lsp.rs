//! `jenkinsfile lsp`: runs the language server on stdin/stdout until the editor says `exit`.

use super::Exit;

const LONG_ABOUT: &str = "\
Run the Language Server Protocol server on stdin/stdout, for editors.

It publishes the `jenkinsfile lint` diagnostics of the unsaved buffer as you type
(same configuration: `.jenkinsfile/config.toml` found from the document's path,
then the user file; editor settings act like command-line flags), with quick
fixes, hover documentation for steps, parameters, sections and variables,
completion, the document outline and go-to-definition of top-level `def`s.
It checks documents named like Jenkinsfiles and any document the editor opens
with the language id `jenkinsfile`. Settings (workspace/didChangeConfiguration,
under a `jenkinsfile` key): configFile, rules {CODE: LEVEL}, disable [CODE],
libraries {NAME: PATH}, pluginCatalogue, allowedSteps. See README.md, section
`Editor setup`.";

#[derive(clap::Args)]
#[command(about = "Run the language server for editors (LSP over stdio)", long_about = LONG_ABOUT)]
pub(super) struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

pub(super) fn run(_args: &Args) -> Exit {
    match crate::lsp::serve_stdio() {
        Ok(true) => Exit::Success,
        Ok(false) => Exit::Failure,
        Err(message) => {
            eprintln!("error: lsp: {message}");
            Exit::Failure
        }
    }
}
