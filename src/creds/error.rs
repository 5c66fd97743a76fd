//! Why a credential cannot be used. The messages of a missing id and a wrong type are
//! Jenkins' own (runtime-semantics.md §4.4); none of them quotes a secret, and the missing-id
//! message names neither the store file nor its contents.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CredError {
    /// `MultiBinding.getCredentials`.
    #[error("Could not find credentials entry with ID '{id}'")]
    NotFound { id: String },
    #[error("Credentials '{id}' is of type '{actual}' where '{expected}' was expected")]
    WrongType {
        id: String,
        actual: &'static str,
        expected: &'static str,
    },
    #[error("cannot read credentials file `{}`: {cause}", path.display())]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("invalid credentials file `{}`: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    /// A field could not be resolved: an unset variable, a missing file, a failed command.
    #[error("credential '{id}': {message}")]
    Resolve { id: String, message: String },
    #[error(
        "credential '{id}' in the repository's {file} runs a command; a cloned repository may not run commands through its credentials unless you pass --trust-repo-credentials",
        file = super::REPOSITORY_FILE
    )]
    Untrusted { id: String },
    #[error("credential '{id}': STS AssumeRole of {role_arn} failed: {message}")]
    Sts {
        id: String,
        role_arn: String,
        message: String,
    },
}
