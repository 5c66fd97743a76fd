//! `jenkinsfile lsp`: a Language Server Protocol server over stdio, for lint-as-you-type,
//! hover, completion, outline and go-to-definition in any editor. Built on `lsp-server` (a
//! synchronous transport: no async runtime is needed for a server that never evaluates) and
//! `lsp-types`. `server.rs` is the thin message loop; `handlers/` holds one pure function per
//! feature over (document, settings, position), reusing `lint`, `model`, `stdlib` and
//! `config` exactly as `jenkinsfile lint` does; `position.rs` maps byte spans to UTF-16 editor
//! positions; `scan.rs` reads the text around the cursor when it does not parse. Never imports
//! tokio and never runs anything from the document.

pub mod analysis;
pub mod credentials;
pub mod document;
pub mod handlers;
pub mod library;
pub mod position;
pub mod rule_docs;
pub mod scan;
pub mod sections;
mod server;
pub mod wire;
mod worker;

use std::ffi::OsString;
use std::path::PathBuf;

pub use self::handlers::diagnostics::RuleDocs;
pub use self::server::serve;

/// Where the rule documentation the diagnostics link to is written: the user's own cache
/// directory (`$XDG_CACHE_HOME`, else `~/.cache`), never a shared one like `/tmp` where
/// another user could plant the files first. `None` when neither is known.
#[must_use]
pub fn rule_docs_dir() -> Option<PathBuf> {
    rule_docs_dir_in(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
}

fn rule_docs_dir_in(xdg_cache: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let cache = xdg_cache
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            home.filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(
        cache
            .join("jenkinsfile")
            .join(env!("CARGO_PKG_VERSION"))
            .join("rules"),
    )
}

/// Serves one client on stdin/stdout. `Ok(true)` when it shut down cleanly (`shutdown` then
/// `exit`), `Ok(false)` when it exited or hung up without `shutdown`.
pub fn serve_stdio() -> Result<bool, String> {
    // Without the documentation files the diagnostics simply carry no link.
    let docs = rule_docs_dir()
        .and_then(|dir| RuleDocs::write(&dir).ok())
        .unwrap_or_default();
    let (connection, stdio) = wire::Stdio::start();
    let clean = serve(connection, docs);
    stdio.finish();
    clean
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::path::PathBuf;

    use super::rule_docs_dir_in;

    #[test]
    fn rule_docs_go_to_the_users_cache_not_tmp() {
        let os = |s: &str| Some(OsString::from(s));
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            rule_docs_dir_in(os("/c"), os("/home/u")),
            Some(PathBuf::from(format!("/c/jenkinsfile/{version}/rules")))
        );
        assert_eq!(
            rule_docs_dir_in(os(""), os("/home/u")),
            Some(PathBuf::from(format!(
                "/home/u/.cache/jenkinsfile/{version}/rules"
            )))
        );
        assert_eq!(rule_docs_dir_in(None, None), None);
    }
}
