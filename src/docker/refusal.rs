//! The hint of a registry's refusal (pull or push denied, 401), worded for where the login
//! came from: none at all, a registry block with or without a credentials id, a block for
//! another registry, or a docker agent's `registryCredentialsId`. A generic "set
//! registryCredentialsId" is wrong inside a `docker.withRegistry` that already names one.

use super::Error;
use super::reference::registry_host_of_image;

/// Where the login of a pull or push came from.
#[derive(Debug, Clone, Copy)]
pub enum Login<'a> {
    /// Neither a registry block nor `registryCredentialsId`.
    None,
    /// `docker.withRegistry(url, id)` / `withDockerRegistry`: `server` is the block's
    /// `host[:port]`; `credentials_id` is `None` when the block was given none.
    Block {
        url: &'a str,
        server: &'a str,
        credentials_id: Option<&'a str>,
    },
    /// A docker agent's `registryCredentialsId`.
    Agent { credentials_id: &'a str },
}

impl Error {
    /// `message` plus a hint that names the login that was used (or its absence).
    #[must_use]
    pub fn with_login_hint(&self, login: Login<'_>) -> String {
        match self.refusal_hint(login) {
            Some(h) => format!("{self}\n{h}"),
            None => self.with_hint(),
        }
    }

    /// The hint of a refused pull or push; `None` for any other error.
    #[must_use]
    pub fn refusal_hint(&self, login: Login<'_>) -> Option<String> {
        let (image, op) = match self {
            Self::PullDenied { image, .. } => (image, "pull"),
            Self::PushDenied { image, .. } => (image, "push"),
            _ => return None,
        };
        let registry = registry_host_of_image(image);
        let store = "a username/password credential from the credential store";
        Some(match login {
            Login::None => format!(
                "the registry {registry} refused the {op} without a login (no registry block \
                 encloses it): wrap the call in docker.withRegistry('https://{registry}', \
                 credentialsId) with {store}{agent}",
                agent = if op == "pull" {
                    ", or set registryCredentialsId on the docker agent"
                } else {
                    ""
                }
            ),
            Login::Block { url, server, .. } if !same_registry(server, &registry) => format!(
                "the enclosing docker.withRegistry('{url}') logs in to {server} only, and \
                 {image} lives in {registry}, so the {op} went without a login: name the \
                 image under {server}, or wrap the call in a \
                 docker.withRegistry('https://{registry}', credentialsId)"
            ),
            Login::Block {
                url,
                credentials_id: None | Some(""),
                ..
            } => format!(
                "docker.withRegistry('{url}') was given no credentials id, so the {op} went \
                 without a login and {registry} wants one: pass {store}, as in \
                 docker.withRegistry('{url}', credentialsId)"
            ),
            Login::Block {
                url,
                credentials_id: Some(id),
                ..
            } => format!(
                "the registry {registry} refused the credentials `{id}` of \
                 docker.withRegistry('{url}', '{id}'): check that credential's username and \
                 password, and that it belongs to {registry}"
            ),
            Login::Agent { credentials_id: id } => format!(
                "the registry {registry} refused the credentials `{id}` \
                 (registryCredentialsId): check that credential's username and password, and \
                 that it belongs to {registry}"
            ),
        })
    }
}

/// Docker Hub answers to several names.
fn same_registry(server: &str, registry: &str) -> bool {
    let hub = |s: &str| matches!(s, "docker.io" | "index.docker.io" | "registry-1.docker.io");
    server == registry || (hub(server) && hub(registry))
}

#[cfg(test)]
mod tests {
    use super::{Error, Login};

    fn pull() -> Error {
        Error::PullDenied {
            image: "127.0.0.1:5000/app:1".into(),
            reason: "unauthorized: authentication required".into(),
        }
    }

    fn push() -> Error {
        Error::PushDenied {
            image: "127.0.0.1:5000/app:1".into(),
            reason: "unauthorized: authentication required".into(),
        }
    }

    const URL: &str = "https://127.0.0.1:5000";
    const SERVER: &str = "127.0.0.1:5000";

    #[test]
    fn a_pull_in_a_block_with_a_bad_credential_names_that_credential() {
        let login = Login::Block {
            url: URL,
            server: SERVER,
            credentials_id: Some("bad"),
        };
        assert_eq!(
            pull().with_login_hint(login),
            "pull access denied for 127.0.0.1:5000/app:1: unauthorized: authentication required\n\
             the registry 127.0.0.1:5000 refused the credentials `bad` of \
             docker.withRegistry('https://127.0.0.1:5000', 'bad'): check that credential's \
             username and password, and that it belongs to 127.0.0.1:5000"
        );
    }

    #[test]
    fn a_push_in_a_block_without_credentials_says_none_was_given() {
        let login = Login::Block {
            url: URL,
            server: SERVER,
            credentials_id: None,
        };
        assert_eq!(
            push().refusal_hint(login).unwrap(),
            "docker.withRegistry('https://127.0.0.1:5000') was given no credentials id, so the \
             push went without a login and 127.0.0.1:5000 wants one: pass a username/password \
             credential from the credential store, as in \
             docker.withRegistry('https://127.0.0.1:5000', credentialsId)"
        );
    }

    #[test]
    fn a_refusal_outside_any_block_suggests_one() {
        assert_eq!(
            push().refusal_hint(Login::None).unwrap(),
            "the registry 127.0.0.1:5000 refused the push without a login (no registry block \
             encloses it): wrap the call in docker.withRegistry('https://127.0.0.1:5000', \
             credentialsId) with a username/password credential from the credential store"
        );
        assert!(
            pull()
                .refusal_hint(Login::None)
                .unwrap()
                .ends_with(", or set registryCredentialsId on the docker agent")
        );
    }

    #[test]
    fn a_block_for_another_registry_is_named() {
        let login = Login::Block {
            url: "https://other:5001",
            server: "other:5001",
            credentials_id: Some("c"),
        };
        assert_eq!(
            pull().refusal_hint(login).unwrap(),
            "the enclosing docker.withRegistry('https://other:5001') logs in to other:5001 \
             only, and 127.0.0.1:5000/app:1 lives in 127.0.0.1:5000, so the pull went without \
             a login: name the image under other:5001, or wrap the call in a \
             docker.withRegistry('https://127.0.0.1:5000', credentialsId)"
        );
    }

    #[test]
    fn the_agent_credential_is_named_as_registry_credentials_id() {
        let hint = pull()
            .refusal_hint(Login::Agent {
                credentials_id: "reg",
            })
            .unwrap();
        assert!(
            hint.starts_with(
                "the registry 127.0.0.1:5000 refused the credentials `reg` (registryCredentialsId)"
            ),
            "{hint}"
        );
        // Not a refusal: the error's own hint.
        let other = Error::Unsupported("x".into());
        assert_eq!(other.refusal_hint(Login::None), None);
    }
}
