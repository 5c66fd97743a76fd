//! TLS to a remote engine with client certificates, as the docker CLI does under
//! `DOCKER_TLS_VERIFY`: `key.pem`, `cert.pem` and `ca.pem` of one directory. bollard (its
//! `aws-lc-rs` feature: rustls on the one crypto provider the AWS SDK already uses) does the
//! handshake. The files are checked first, so that a missing or malformed one is named, and a
//! failed handshake is told as what to check rather than as rustls' words alone.

use std::path::{Path, PathBuf};

use bollard::Docker;

use super::Error;
use super::error::root_cause;

/// The read timeout bollard's own constructors use, in seconds.
const TIMEOUT_SECS: u64 = 120;

/// A client for the engine at `address` (`tcp://host:port`) with the certificates in `dir`.
/// Nothing is sent yet.
///
/// # Errors
/// [`Error::Tls`] when a certificate file is missing or holds no PEM block of its kind.
pub(super) fn connect(address: &str, dir: &Path) -> Result<Docker, Error> {
    let fail = |reason: String| Error::Tls {
        address: address.to_string(),
        reason,
        ca: dir.join("ca.pem").exists(),
    };
    let key = dir.join("key.pem");
    let cert = dir.join("cert.pem");
    check_pem(&key, "PRIVATE KEY", "the client key").map_err(fail)?;
    if std::fs::read_to_string(&key).is_ok_and(|k| k.contains("ENCRYPTED PRIVATE KEY")) {
        return Err(fail(format!(
            "{} is an encrypted private key; the docker CLI and this tool need it unencrypted",
            key.display()
        )));
    }
    check_pem(&cert, "CERTIFICATE", "the client certificate").map_err(fail)?;
    // Without a ca.pem (a credential without a server CA certificate) only the system's
    // roots are trusted; bollard adds those in any case.
    let ca = dir.join("ca.pem");
    let ca = if ca.exists() {
        check_pem(&ca, "CERTIFICATE", "the server CA certificate").map_err(fail)?;
        ca
    } else {
        PathBuf::from("/dev/null")
    };
    Docker::connect_with_ssl(
        address,
        &key,
        &cert,
        &ca,
        TIMEOUT_SECS,
        bollard::API_DEFAULT_VERSION,
    )
    .map_err(|e| fail(e.to_string()))
}

/// `path` holds a PEM block whose label ends with `label`.
fn check_pem(path: &Path, label: &str, what: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
    let found = text.lines().any(|l| {
        l.strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
            .is_some_and(|l| l.ends_with(label))
    });
    if found {
        Ok(())
    } else {
        Err(format!(
            "{what} {} holds no PEM `{label}` block",
            path.display()
        ))
    }
}

/// The error of a failed first request over TLS: [`Error::Tls`] when the handshake failed,
/// [`Error::NoEngine`] when nothing answered at all.
pub(super) fn handshake_error(address: &str, dir: &Path, err: &bollard::errors::Error) -> Error {
    let reason = root_cause(err);
    let lower = reason.to_ascii_lowercase();
    let tls = [
        "certificate",
        "alert",
        "tls",
        "handshake",
        "peer",
        "corrupt message",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if tls {
        Error::Tls {
            address: address.to_string(),
            reason: format!("{reason} (certificates from {})", dir.display()),
            ca: dir.join("ca.pem").exists(),
        }
    } else {
        Error::NoEngine {
            address: address.to_string(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_pem;

    #[test]
    fn a_file_without_its_pem_block_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key.pem");
        std::fs::write(
            &key,
            "-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----\n",
        )
        .unwrap();
        assert_eq!(check_pem(&key, "PRIVATE KEY", "the client key"), Ok(()));
        let err = check_pem(&key, "CERTIFICATE", "the client certificate").unwrap_err();
        assert!(err.contains("holds no PEM `CERTIFICATE` block"), "{err}");
        let missing = check_pem(&dir.path().join("ca.pem"), "CERTIFICATE", "the CA").unwrap_err();
        assert!(missing.starts_with("cannot read the CA"), "{missing}");
    }
}
