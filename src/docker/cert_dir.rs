//! The temporary `DOCKER_CERT_PATH` of a `docker.withServer(uri, credentialsId)` /
//! `withDockerServer` block, as docker-commons' `ServerKeyMaterialFactory` makes it: a fresh
//! directory under the workspace's `@tmp` (mode 0700) holding the credential's `key.pem`,
//! `cert.pem` and, when it has one, `ca.pem` (mode 0600), the names the docker CLI reads. It
//! is removed when the block ends, also on failure or abort (`Drop`).

use std::fs::OpenOptions;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use super::config_json::private_dir;

/// A temporary certificate directory; removed on drop.
#[derive(Debug)]
pub struct CertDir {
    dir: PathBuf,
}

/// The PEM texts of a `DockerServerCredentials`.
#[derive(Clone, Copy, Debug)]
pub struct ClientCerts<'a> {
    pub client_key: &'a str,
    pub client_certificate: &'a str,
    pub server_ca_certificate: Option<&'a str>,
}

impl CertDir {
    /// Creates `<tmp_root>/docker-certs-<unique>/` with the files of `certs`.
    ///
    /// # Errors
    /// The directory or a file could not be created.
    pub fn create(tmp_root: &Path, certs: ClientCerts<'_>) -> std::io::Result<CertDir> {
        let made = CertDir {
            dir: private_dir(tmp_root, "docker-certs")?,
        };
        write_private(&made.dir.join("key.pem"), certs.client_key)?;
        write_private(&made.dir.join("cert.pem"), certs.client_certificate)?;
        if let Some(ca) = certs.server_ca_certificate.filter(|c| !c.trim().is_empty()) {
            write_private(&made.dir.join("ca.pem"), ca)?;
        }
        Ok(made)
    }

    /// The directory, for `DOCKER_CERT_PATH`.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Writes `text` (with a final newline, which the store's `{ file = … }` strips) as 0600.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    Ok(())
}

impl Drop for CertDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::{CertDir, ClientCerts};

    #[test]
    fn the_certificates_are_private_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let certs = ClientCerts {
            client_key: "KEY",
            client_certificate: "CERT\n",
            server_ca_certificate: None,
        };
        let cert_dir = CertDir::create(tmp.path(), certs).unwrap();
        let dir = cert_dir.dir().to_path_buf();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("key.pem")), 0o600);
        assert_eq!(mode(&dir.join("cert.pem")), 0o600);
        assert_eq!(
            std::fs::read_to_string(dir.join("key.pem")).unwrap(),
            "KEY\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("cert.pem")).unwrap(),
            "CERT\n"
        );
        assert!(!dir.join("ca.pem").exists());
        drop(cert_dir);
        assert!(!dir.exists());
        let with_ca = CertDir::create(
            tmp.path(),
            ClientCerts {
                server_ca_certificate: Some("CA"),
                ..certs
            },
        )
        .unwrap();
        assert_eq!(mode(&with_ca.dir().join("ca.pem")), 0o600);
    }
}
