//! The local credential store: Jenkins' credentials for a build run on this machine.
//!
//! Credentials are read from TOML files (one table per id, `type` is one of Jenkins' kinds),
//! looked up per id in this order: `--credentials FILE` (a later flag wins), the file named
//! by `JENKINSFILE_CREDENTIALS`, the repository's `.jenkinsfile/credentials.toml`, then
//! `$XDG_CONFIG_HOME/jenkinsfile/credentials.toml`. Loading only parses the files; a secret is
//! resolved (an environment variable read, a file read, a command run, a role assumed
//! through STS) when a step first needs it, and then kept for the rest of the build.
//! Bindings (`withCredentials`, `credentials()`) live in `eval::pipeline::credentials`.

mod entry;
mod error;
mod source;
mod store;
mod sts;
mod types;

pub use self::entry::Entry;
pub use self::error::CredError;
pub use self::source::Source;
pub use self::store::{Origin, Store, StoreOptions};
pub use self::types::{BINDINGS, Credential, Kind};

/// The repository-local store, relative to the repository root (or the Jenkinsfile's
/// directory outside a repository). It is never copied into a workspace.
pub const REPOSITORY_FILE: &str = ".jenkinsfile/credentials.toml";

/// The environment variable naming one more store file.
pub const ENV_VAR: &str = "JENKINSFILE_CREDENTIALS";
