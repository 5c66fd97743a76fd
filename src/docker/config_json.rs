//! The temporary Docker client configuration of a `docker.withRegistry` /
//! `withDockerRegistry` block (runtime-semantics §8.4): a fresh directory under the
//! workspace's `@tmp` (mode 0700) holding a `config.json` (mode 0600) with the block's one
//! login, for `DOCKER_CONFIG`. The real `docker` CLI run by `sh` then sees the same login as
//! the native steps, and the user's `~/.docker/config.json` is neither read nor written. The
//! directory is removed when the block ends, also on failure or abort (`Drop`).

use std::fs::{DirBuilder, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::report::base64_encode;

/// A temporary `DOCKER_CONFIG` directory; removed on drop.
#[derive(Debug)]
pub struct TempConfig {
    dir: PathBuf,
}

impl TempConfig {
    /// Creates `<tmp_root>/<unique>/config.json` with the login of `user` at `server`.
    ///
    /// # Errors
    /// The directory or file could not be created.
    pub fn create(
        tmp_root: &Path,
        server: &str,
        user: &str,
        password: &str,
    ) -> std::io::Result<TempConfig> {
        let dir = private_dir(tmp_root, "docker-config")?;
        let config = TempConfig { dir };
        config.write(server, user, password)?;
        Ok(config)
    }

    /// The directory, for `DOCKER_CONFIG`.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replaces the login (after an ECR token was refreshed).
    ///
    /// # Errors
    /// The file could not be written.
    pub fn write(&self, server: &str, user: &str, password: &str) -> std::io::Result<()> {
        write_login(&self.dir, server, user, password)
    }
}

/// A new directory `<tmp_root>/<prefix>-<unique>`, mode 0700.
///
/// # Errors
/// The directory could not be created (or already existed).
pub(super) fn private_dir(tmp_root: &Path, prefix: &str) -> std::io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    std::fs::create_dir_all(tmp_root)?;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "{prefix}-{}-{nanos:08x}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let dir = tmp_root.join(name);
    // `create`, not `create_all`: an existing directory (someone else's) is an error.
    DirBuilder::new().mode(0o700).create(&dir)?;
    Ok(dir)
}

/// Writes `dir/config.json` with the one login of `user` at `server` (mode 0600, replaced
/// atomically, so a `docker` process reading it never sees half a file).
///
/// # Errors
/// The file could not be written.
pub fn write_login(dir: &Path, server: &str, user: &str, password: &str) -> std::io::Result<()> {
    let auth = base64_encode(format!("{user}:{password}").as_bytes());
    let mut auths = serde_json::Map::new();
    auths.insert(server.to_string(), serde_json::json!({ "auth": auth }));
    let text = serde_json::json!({ "auths": auths }).to_string();
    let path = dir.join("config.json");
    let staged = dir.join("config.json.new");
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&staged)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(staged, path)
}

impl Drop for TempConfig {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::TempConfig;

    #[test]
    fn the_config_is_private_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let config = TempConfig::create(tmp.path(), "127.0.0.1:5000", "u", "p").unwrap();
        let dir = config.dir().to_path_buf();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("config.json")), 0o600);
        let text = std::fs::read_to_string(dir.join("config.json")).unwrap();
        assert_eq!(text, r#"{"auths":{"127.0.0.1:5000":{"auth":"dTpw"}}}"#);
        drop(config);
        assert!(!dir.exists());
    }
}
