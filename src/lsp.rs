//! `jenkinsfile lsp`: a Language Server Protocol server over stdio, for lint-as-you-type,
//! hover, completion, outline and go-to-definition in any editor. Built on `lsp-server` (a
//! synchronous transport: no async runtime is needed for a server that never evaluates) and
//! `lsp-types`. `server.rs` is the thin message loop; `handlers/` holds one pure function per
//! feature over (document, settings, position), reusing `lint`, `model`, `stdlib` and
//! `config` exactly as `jenkinsfile lint` does; `position.rs` maps byte spans to UTF-16 editor
//! positions; `scan.rs` reads the text around the cursor when it does not parse. Never imports
//! tokio and never runs anything from the document.

pub mod analysis;
pub mod document;
pub mod handlers;
pub mod position;
pub mod scan;
pub mod sections;
mod server;
pub mod wire;
mod worker;

use std::path::PathBuf;

pub use self::handlers::diagnostics::RuleDocs;
pub use self::server::serve;

/// Where the rule documentation the diagnostics link to is written.
#[must_use]
pub fn rule_docs_dir() -> PathBuf {
    std::env::temp_dir().join(format!("jenkinsfile-{}-rules", env!("CARGO_PKG_VERSION")))
}

/// Serves one client on stdin/stdout. `Ok(true)` when it shut down cleanly (`shutdown` then
/// `exit`), `Ok(false)` when it exited or hung up without `shutdown`.
pub fn serve_stdio() -> Result<bool, String> {
    // Without the documentation files the diagnostics simply carry no link.
    let docs = RuleDocs::write(&rule_docs_dir()).unwrap_or_default();
    let (connection, stdio) = wire::Stdio::start();
    let clean = serve(connection, docs);
    stdio.finish();
    clean
}
