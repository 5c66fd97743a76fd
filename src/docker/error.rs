//! The one error type of the Docker client. Every bollard or hyper error is mapped here to a
//! message a user can act on, with help text; none reaches the console raw.

/// What went wrong talking to the Docker Engine.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot connect to the Docker engine at {address}: {reason}")]
    #[diagnostic(
        code(docker::no_engine),
        help(
            "start the Docker daemon, or point DOCKER_HOST at a running one (for example \
             DOCKER_HOST=unix:///var/run/docker.sock); the address above is DOCKER_HOST, or the \
             default socket /var/run/docker.sock when it is unset"
        )
    )]
    NoEngine { address: String, reason: String },

    #[error("TLS connection to the Docker engine at {address} failed: {reason}")]
    #[diagnostic(
        code(docker::tls),
        help(
            "check the client key, client certificate and server CA certificate: the \
             x509ClientCert credential of docker.withServer(uri, credentialsId), or the key.pem, \
             cert.pem and ca.pem in DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set"
        )
    )]
    Tls { address: String, reason: String },

    #[error("image {image} was not found: {reason}")]
    #[diagnostic(
        code(docker::image_not_found),
        help("check the image name and tag; a private image needs registry credentials")
    )]
    ImageNotFound { image: String, reason: String },

    #[error("pull access denied for {image}: {reason}")]
    #[diagnostic(
        code(docker::pull_denied),
        help(
            "the registry refused the credentials (or asked for some): set registryCredentialsId \
             or wrap the call in docker.withRegistry(url, credentialsId) with a username/password \
             credential from the credential store"
        )
    )]
    PullDenied { image: String, reason: String },

    #[error("push of {image} was refused: {reason}")]
    #[diagnostic(
        code(docker::push_denied),
        help(
            "the registry refused the credentials: check the username and password of the \
             credential given to docker.withRegistry"
        )
    )]
    PushDenied { image: String, reason: String },

    #[error("the Docker engine went away during {during}: {reason}")]
    #[diagnostic(
        code(docker::daemon_gone),
        help("the daemon stopped or restarted; check `docker info` and the daemon's log")
    )]
    DaemonGone { during: String, reason: String },

    #[error("docker {during} failed: {reason}")]
    #[diagnostic(code(docker::engine))]
    Engine { during: String, reason: String },

    /// A `docker run` argument the docker CLI would refuse too, in its words.
    #[error("docker run arguments: {0}")]
    #[diagnostic(code(docker::run_args))]
    RunArgs(String),

    #[error("unsupported: {0}")]
    #[diagnostic(code(docker::unsupported))]
    Unsupported(String),
}

impl Error {
    /// The help text, for callers that print the error into a build log.
    #[must_use]
    pub fn hint(&self) -> Option<String> {
        if let Self::NoEngine { address, reason } = self
            && reason.to_ascii_lowercase().contains("permission denied")
        {
            // The daemon is there; this user may not talk to it.
            return Some(format!(
                "the Docker engine is running, but this user cannot access its socket ({address}): \
                 add the user to the `docker` group (then log in again), or set DOCKER_HOST to \
                 an engine this user may use"
            ));
        }
        if let Self::NoEngine { address, reason } = self
            && reason.to_ascii_lowercase().contains("https server")
        {
            return Some(format!(
                "the engine at {address} speaks TLS: use docker.withServer('{address}', \
                 credentialsId) with an x509ClientCert credential (client key, client \
                 certificate, server CA certificate), or set DOCKER_TLS_VERIFY=1 and \
                 DOCKER_CERT_PATH to a directory holding ca.pem, cert.pem and key.pem"
            ));
        }
        if let Self::Engine { reason, .. } | Self::DaemonGone { reason, .. } = self
            && reason.contains("could not select device driver")
        {
            return Some(
                "unsupported locally: --gpus needs a Docker engine with a GPU device driver \
                 (such as the NVIDIA Container Toolkit), and this engine has none; drop --gpus \
                 from the args to run without a GPU"
                    .to_string(),
            );
        }
        if let Self::Tls { reason, .. } = self {
            return Some(tls_hint(reason).to_string());
        }
        miette::Diagnostic::help(self).map(|h| h.to_string())
    }

    /// `message` plus the hint on its own line, as the build log shows it.
    #[must_use]
    pub fn with_hint(&self) -> String {
        match self.hint() {
            Some(h) => format!("{self}\n{h}"),
            None => self.to_string(),
        }
    }

    /// Maps a bollard error from an operation on the engine (`during`: what was being done).
    #[cold]
    #[must_use]
    pub fn engine(during: &str, err: &bollard::errors::Error) -> Self {
        use bollard::errors::Error as B;
        let reason = root_cause(err);
        match err {
            B::DockerResponseServerError { .. }
            | B::DockerStreamError { .. }
            | B::JsonDataError { .. }
            | B::JsonSerdeError { .. } => Self::Engine {
                during: during.to_string(),
                reason,
            },
            // Transport failures after a successful connect: the daemon is gone.
            _ => Self::DaemonGone {
                during: during.to_string(),
                reason,
            },
        }
    }

    /// Maps a failed pull of `image`.
    #[cold]
    #[must_use]
    pub fn pull(image: &str, err: &bollard::errors::Error) -> Self {
        let reason = root_cause(err);
        let lower = reason.to_ascii_lowercase();
        if lower.contains("denied")
            || lower.contains("unauthorized")
            || lower.contains("no basic auth")
        {
            Self::PullDenied {
                image: image.to_string(),
                reason,
            }
        } else if lower.contains("not found")
            || lower.contains("manifest unknown")
            || lower.contains("does not exist")
        {
            Self::ImageNotFound {
                image: image.to_string(),
                reason,
            }
        } else {
            Self::engine("pull", err)
        }
    }

    /// Maps a failed push of `image`.
    #[cold]
    #[must_use]
    pub fn push(image: &str, err: &bollard::errors::Error) -> Self {
        let reason = root_cause(err);
        let lower = reason.to_ascii_lowercase();
        if lower.contains("denied")
            || lower.contains("unauthorized")
            || lower.contains("no basic auth")
        {
            Self::PushDenied {
                image: image.to_string(),
                reason,
            }
        } else {
            Self::engine("push", err)
        }
    }
}

/// What to check after a failed TLS handshake, by what rustls (or the engine's alert) said.
fn tls_hint(reason: &str) -> &'static str {
    let lower = reason.to_ascii_lowercase();
    if lower.contains("unknownissuer") || lower.contains("invalid peer certificate") {
        "the engine's certificate is not signed by the server CA certificate given (the \
         credential's server_ca_certificate, ca.pem): use the CA that signed the daemon's \
         --tlscert"
    } else if lower.contains("notvalidforname") {
        "the engine's certificate does not name the host of the address: connect through a \
         name or IP its certificate lists"
    } else if lower.contains("alert") || lower.contains("certificate required") {
        "the engine refused the client certificate: the credential's client_certificate and \
         client_key must be a pair, signed by the CA the daemon trusts (--tlscacert)"
    } else if lower.contains("corrupt message") {
        "the engine at this address does not speak TLS: use a plain tcp:// engine without a \
         credential, or the daemon's --tlsverify port"
    } else {
        "check the client key, client certificate and server CA certificate: the \
         x509ClientCert credential of docker.withServer(uri, credentialsId), or the key.pem, \
         cert.pem and ca.pem in DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set"
    }
}

/// The innermost message of an error chain (the I/O reason under hyper's wrapping), or the
/// engine's own message for a server response.
pub(crate) fn root_cause(err: &bollard::errors::Error) -> String {
    if let bollard::errors::Error::DockerResponseServerError { message, .. } = err {
        return message.trim().to_string();
    }
    let mut last: &dyn std::error::Error = err;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn a_socket_without_permission_gets_its_own_hint() {
        let denied = Error::NoEngine {
            address: "unix:///var/run/docker.sock".into(),
            reason: "Permission denied (os error 13)".into(),
        };
        let hint = denied.hint().unwrap();
        assert!(
            hint.contains("cannot access its socket") && hint.contains("docker` group"),
            "{hint}"
        );
        let absent = Error::NoEngine {
            address: "unix:///var/run/docker.sock".into(),
            reason: "No such file or directory (os error 2)".into(),
        };
        assert!(
            absent
                .hint()
                .unwrap()
                .starts_with("start the Docker daemon")
        );
    }
}
