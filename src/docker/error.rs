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
    Tls {
        address: String,
        reason: String,
        /// Whether a server CA certificate (`ca.pem`) was given; without one only the
        /// system's roots are trusted.
        ca: bool,
    },

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
            "the registry refused the credentials (or asked for some): check the credential of \
             the enclosing docker.withRegistry, or the agent's registryCredentialsId"
        )
    )]
    PullDenied { image: String, reason: String },

    #[error("push of {image} was refused: {reason}")]
    #[diagnostic(
        code(docker::push_denied),
        help(
            "the registry refused the credentials (or asked for some): check the credential of \
             the enclosing docker.withRegistry"
        )
    )]
    PushDenied { image: String, reason: String },

    #[error("cannot reach the registry {registry} to pull {image}: {reason}")]
    #[diagnostic(code(docker::registry_unreachable))]
    RegistryUnreachable {
        image: String,
        registry: String,
        reason: String,
    },

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

    /// The workspace's `@tmp` directory, mounted into the container, cannot be made.
    #[error("cannot create {path}: {reason}")]
    #[diagnostic(
        code(docker::tmp_dir),
        help(
            "the container mounts the workspace's `@tmp` directory (beside the workspace), and \
             this user must create it before `docker run`, or the engine would create it owned \
             by root: make the workspace's parent directory writable by this user, or run \
             without --in-place from a directory whose parent is"
        )
    )]
    TmpDir { path: String, reason: String },

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
        if let Self::Engine { during, reason } = self {
            if reason.contains("executable file not found") && reason.contains("\"cat\"") {
                return Some(
                    "the image has no `cat`, which the container runs to stay up while the \
                     steps run through exec (as in Jenkins): use an image that has `cat` (a \
                     shell and coreutils or busybox), or build one FROM this image that adds it"
                        .to_string(),
                );
            }
            // The `docker top` check races the ENTRYPOINT: when it looks before the container
            // ends, the first `sh`'s exec is what finds it gone.
            if (during == "top" || during == "exec") && reason.contains("is not running") {
                return Some(
                    "the container stopped right after it started: its ENTRYPOINT ran instead \
                     of `cat` and ended. Jenkins says: please double check your ENTRYPOINT \
                     does execute the command passed as docker run argument; or force the \
                     image entrypoint to be disabled with `args '--entrypoint='`"
                        .to_string(),
                );
            }
        }
        if let Self::Tls { reason, ca, .. } = self {
            return Some(tls_hint(reason, *ca).to_string());
        }
        if let Self::RegistryUnreachable {
            image, registry, ..
        } = self
        {
            return Some(format!(
                "the image {image} is not present on this engine and the registry {registry} \
                 cannot be reached from it: `docker pull {image}` (where the registry is \
                 reachable) or `docker load` it into this engine first, or use a tag that is \
                 present locally (`docker images`)"
            ));
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
        if unreachable(&lower) {
            Self::RegistryUnreachable {
                image: image.to_string(),
                registry: super::reference::registry_host_of_image(image),
                reason,
            }
        } else if lower.contains("denied")
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

/// The engine could not reach the registry at all (a name that does not resolve, a refused
/// or timed-out connection), as dockerd words it.
fn unreachable(lower: &str) -> bool {
    lower.contains("no such host")
        || lower.contains("dial tcp")
        || lower.contains("i/o timeout")
        || lower.contains("network is unreachable")
        || lower.contains("server misbehaving")
}

/// What to check after a failed TLS handshake, by what rustls (or the engine's alert) said;
/// `ca`: whether a server CA certificate was given.
fn tls_hint(reason: &str, ca: bool) -> &'static str {
    let lower = reason.to_ascii_lowercase();
    let untrusted = lower.contains("unknownissuer") || lower.contains("invalid peer certificate");
    if untrusted && !ca {
        "no server CA certificate was given (the x509ClientCert credential has no \
         server_ca_certificate, or DOCKER_CERT_PATH has no ca.pem), so only the system's roots \
         were trusted, and they do not trust the engine's certificate: add the CA that signed \
         the daemon's --tlscert as the credential's server_ca_certificate (in the credentials \
         file: server_ca_certificate = \"\"\"-----BEGIN CERTIFICATE-----…\"\"\"), or as ca.pem in \
         DOCKER_CERT_PATH"
    } else if untrusted {
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
    match err {
        bollard::errors::Error::DockerResponseServerError { message, .. } => {
            return message.trim().to_string();
        }
        // The engine's own words, without bollard's "Docker stream error:" prefix.
        bollard::errors::Error::DockerStreamError { error } => return error.trim().to_string(),
        _ => {}
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

    #[test]
    fn a_missing_cat_and_a_dead_container_get_hints() {
        let no_cat = Error::Engine {
            during: "run".into(),
            reason: "failed to create task for container: failed to create shim task: OCI \
                     runtime create failed: runc create failed: unable to start container \
                     process: exec: \"cat\": executable file not found in $PATH: unknown"
                .into(),
        };
        assert!(
            no_cat
                .hint()
                .unwrap()
                .starts_with("the image has no `cat`, which the container runs to stay up")
        );
        let dead = Error::Engine {
            during: "top".into(),
            reason: "Failed to run top 'abc'. Error: Container abc is not running".into(),
        };
        assert!(
            dead.hint()
                .unwrap()
                .ends_with("with `args '--entrypoint='`")
        );
        let other = Error::Engine {
            during: "top".into(),
            reason: "boom".into(),
        };
        assert_eq!(other.hint(), None);
    }

    #[test]
    fn a_stream_error_loses_bollard_s_prefix() {
        let err = bollard::errors::Error::DockerStreamError {
            error: "unauthorized: authentication required".into(),
        };
        assert_eq!(
            Error::push("127.0.0.1:5000/app:1", &err).to_string(),
            "push of 127.0.0.1:5000/app:1 was refused: unauthorized: authentication required"
        );
    }

    #[test]
    fn an_unreachable_registry_says_the_image_is_not_local() {
        let err = bollard::errors::Error::DockerResponseServerError {
            status_code: 500,
            message: "Get \"https://nonexistent.invalid/v2/\": dial tcp: lookup \
                      nonexistent.invalid: no such host"
                .into(),
        };
        let e = Error::pull("nonexistent.invalid/x:1", &err);
        assert_eq!(
            e.with_hint(),
            "cannot reach the registry nonexistent.invalid to pull nonexistent.invalid/x:1: Get \
             \"https://nonexistent.invalid/v2/\": dial tcp: lookup nonexistent.invalid: no such \
             host\n\
             the image nonexistent.invalid/x:1 is not present on this engine and the registry \
             nonexistent.invalid cannot be reached from it: `docker pull \
             nonexistent.invalid/x:1` (where the registry is reachable) or `docker load` it into \
             this engine first, or use a tag that is present locally (`docker images`)"
        );
    }

    #[test]
    fn an_untrusted_engine_without_a_ca_says_none_was_given() {
        let reason = "invalid peer certificate: UnknownIssuer (certificates from /tmp/c)";
        let without = Error::Tls {
            address: "tcp://127.0.0.1:2376".into(),
            reason: reason.into(),
            ca: false,
        };
        let hint = without.hint().unwrap();
        assert!(
            hint.starts_with("no server CA certificate was given")
                && hint.contains("add the CA that signed the daemon's --tlscert as the credential's server_ca_certificate")
                && !hint.contains("not signed by the server CA certificate given"),
            "{hint}"
        );
        let with = Error::Tls {
            address: "tcp://127.0.0.1:2376".into(),
            reason: reason.into(),
            ca: true,
        };
        assert!(with.hint().unwrap().starts_with(
            "the engine's certificate is not signed by the server CA certificate given"
        ));
    }
}
