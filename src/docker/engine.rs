//! Which engine a step talks to, read from environment variables the way the docker CLI reads
//! them: `DOCKER_HOST` (else the default socket), and, when `DOCKER_TLS_VERIFY` is set to
//! anything, TLS with the client certificates in `DOCKER_CERT_PATH` (else `~/.docker`).
//! `docker.withServer(uri, credentialsId)` sets the same three variables for its block, so
//! native steps and `sh 'docker …'` inside it reach the same engine the same way.

use std::path::{Path, PathBuf};

/// The engine's address and, for TLS, its certificate directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Engine {
    /// `unix://…` or `tcp://host:port`.
    pub address: String,
    /// The directory holding `ca.pem`, `cert.pem` and `key.pem` when TLS is verified.
    pub tls: Option<PathBuf>,
}

/// The docker CLI's default.
const DEFAULT_SOCKET: &str = "unix:///var/run/docker.sock";

impl Engine {
    /// The engine `var` names (`DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`).
    #[must_use]
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Engine {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        let address = set("DOCKER_HOST").unwrap_or_else(|| DEFAULT_SOCKET.to_string());
        let tls = set("DOCKER_TLS_VERIFY").map(|_| {
            set("DOCKER_CERT_PATH").map_or_else(
                || {
                    std::env::var_os("HOME")
                        .map(PathBuf::from)
                        .unwrap_or_default()
                        .join(".docker")
                },
                PathBuf::from,
            )
        });
        Engine { address, tls }
    }

    /// The engine this process's environment names.
    #[must_use]
    pub fn from_process() -> Engine {
        Engine::from_vars(|name| std::env::var(name).ok())
    }

    /// The certificate directory when the connection is TLS: a local socket never is, as
    /// with the docker CLI.
    #[must_use]
    pub fn tls_dir(&self) -> Option<&Path> {
        if self.address.starts_with("unix://") || self.address.starts_with("npipe://") {
            return None;
        }
        self.tls.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Engine;

    fn engine(vars: &[(&str, &str)]) -> Engine {
        Engine::from_vars(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_string())
        })
    }

    #[test]
    fn reads_the_variables_the_docker_cli_reads() {
        let plain = engine(&[]);
        assert_eq!(plain.address, "unix:///var/run/docker.sock");
        assert_eq!(plain.tls_dir(), None);
        let tls = engine(&[
            ("DOCKER_HOST", "tcp://127.0.0.1:2376"),
            ("DOCKER_TLS_VERIFY", "1"),
            ("DOCKER_CERT_PATH", "/certs"),
        ]);
        assert_eq!(tls.tls_dir(), Some(Path::new("/certs")));
        // An empty DOCKER_TLS_VERIFY is unset; a socket never uses TLS.
        let off = engine(&[
            ("DOCKER_HOST", "tcp://127.0.0.1:2376"),
            ("DOCKER_TLS_VERIFY", ""),
            ("DOCKER_CERT_PATH", "/certs"),
        ]);
        assert_eq!(off.tls_dir(), None);
        let socket = engine(&[
            ("DOCKER_HOST", "unix:///run/d.sock"),
            ("DOCKER_TLS_VERIFY", "1"),
        ]);
        assert_eq!(socket.tls_dir(), None);
    }
}
