//! The temp directory of a binding's secret files: `<cwd>@tmp/secretFiles/<uuid>/` (0700),
//! files named as `File.createTempFile` names them (0400), removed when the guard drops.

use std::fmt::Write as _;
use std::io::Read as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

/// A temp directory of secret files, removed when dropped.
pub(super) struct SecretDir {
    path: PathBuf,
}

impl SecretDir {
    /// `<cwd>@tmp/secretFiles/<uuid>/`, both directories 0700.
    pub(super) fn create(cwd: &Path) -> std::io::Result<SecretDir> {
        let name = cwd.file_name().map_or_else(
            || "workspace".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        let parent = cwd
            .with_file_name(format!("{name}@tmp"))
            .join("secretFiles");
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&parent)?;
        let path = parent.join(uuid());
        std::fs::DirBuilder::new().mode(0o700).create(&path)?;
        Ok(SecretDir { path })
    }

    /// Writes one file (mode 0400) named as `File.createTempFile` would, and returns its path.
    pub(super) fn write(&self, prefix: &str, contents: &[u8]) -> std::io::Result<PathBuf> {
        use std::io::Write as _;
        let digits: String = random_bytes::<10>()
            .iter()
            .map(|b| char::from(b'0' + b % 10))
            .collect();
        let path = self.path.join(format!("{prefix}{digits}.tmp"));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o400)
            .open(&path)?;
        file.write_all(contents)?;
        Ok(path)
    }

    /// Hands the directory over, so that dropping `self` no longer removes it.
    #[allow(dead_code, reason = "used by environment_credential, which decl calls")]
    pub(super) fn keep(self) -> PathBuf {
        let path = self.path.clone();
        std::mem::forget(self);
        path
    }
}

impl Drop for SecretDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        // No urandom: the time still makes a name no other build uses at once.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (nanos >> ((i % 16) * 8)) as u8 ^ (std::process::id() as u8);
        }
    }
    bytes
}

/// A random (version 4) UUID.
fn uuid() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = b.iter().fold(String::new(), |mut hex, x| {
        let _ = write!(hex, "{x:02x}");
        hex
    });
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
