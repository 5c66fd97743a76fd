//! The store: credential files in lookup order, parsed when loaded, resolved per id when a
//! step first needs one (then cached for the build).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::entry::Entry;
use super::error::CredError;
use super::source::{Source, expand_path};
use super::types::{Credential, Kind};

/// Where a store file came from, highest precedence first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--credentials FILE`.
    Flag,
    /// `JENKINSFILE_CREDENTIALS`.
    EnvVar,
    /// The repository's `.jenkinsfile/credentials.toml`: commands need trust.
    Repository,
    /// `$XDG_CONFIG_HOME/jenkinsfile/credentials.toml`.
    User,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Origin::Flag => "--credentials",
            Origin::EnvVar => super::ENV_VAR,
            Origin::Repository => "repository",
            Origin::User => "user",
        })
    }
}

/// Which files make up the store.
#[derive(Clone, Debug, Default)]
pub struct StoreOptions {
    /// `--credentials` files, in command-line order (a later one wins).
    pub files: Vec<PathBuf>,
    /// The value of `JENKINSFILE_CREDENTIALS`.
    pub env_file: Option<PathBuf>,
    /// The Jenkinsfile's directory, where the search for the repository store starts.
    pub jenkinsfile_dir: Option<PathBuf>,
    /// The user store (`$XDG_CONFIG_HOME/jenkinsfile/credentials.toml`).
    pub user_file: Option<PathBuf>,
    /// `--trust-repo-credentials`: let the repository store run commands.
    pub trust_repo: bool,
    /// Start no process while loading: `plan` skips the `git check-ignore` warning.
    pub no_processes: bool,
}

impl StoreOptions {
    /// The user file and `JENKINSFILE_CREDENTIALS` from this process's environment.
    #[must_use]
    pub fn from_env() -> Self {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
        StoreOptions {
            env_file: std::env::var_os(super::ENV_VAR)
                .filter(|v| !v.is_empty())
                .map(|v| expand_path(&v.to_string_lossy(), Path::new("."))),
            user_file: config.map(|c| c.join("jenkinsfile").join("credentials.toml")),
            ..StoreOptions::default()
        }
    }
}

/// The credential store of one run.
#[derive(Debug, Default)]
pub struct Store {
    /// Highest precedence first; the first entry with an id wins.
    entries: Vec<Entry>,
    /// Every file read, highest precedence first.
    pub files: Vec<(Origin, PathBuf)>,
    trust_repo: bool,
    cache: Mutex<HashMap<String, Credential>>,
    /// Variables bound to a secret during the build, with their values: Jenkins' "sensitive
    /// variables", for the insecure-interpolation warning.
    sensitive: Mutex<Vec<(String, String)>>,
    /// Temp directories of `credentials()` bindings, which live until the build ends.
    kept_dirs: Mutex<Vec<PathBuf>>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Ok(dirs) = self.kept_dirs.get_mut() {
            for dir in dirs.drain(..) {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

impl Store {
    /// A store with no credentials.
    #[must_use]
    pub fn empty() -> Store {
        Store::default()
    }

    /// Reads the store files. Returns the store and warnings to show (files readable by
    /// others, a repository store git does not ignore). A missing `--credentials` or
    /// `JENKINSFILE_CREDENTIALS` file is an error; missing default files are skipped.
    pub fn load(options: &StoreOptions) -> Result<(Store, Vec<String>), CredError> {
        let mut layers: Vec<(Origin, PathBuf, bool)> = Vec::new();
        for file in options.files.iter().rev() {
            layers.push((
                Origin::Flag,
                expand_path(&file.to_string_lossy(), Path::new(".")),
                true,
            ));
        }
        if let Some(file) = &options.env_file {
            layers.push((Origin::EnvVar, file.clone(), true));
        }
        if let Some(file) = options.jenkinsfile_dir.as_deref().and_then(repository_file) {
            layers.push((Origin::Repository, file, false));
        }
        if let Some(file) = &options.user_file {
            layers.push((Origin::User, file.clone(), false));
        }
        let mut store = Store::default();
        store.trust_repo = options.trust_repo;
        let mut warnings = Vec::new();
        for (origin, path, required) in layers {
            let path = std::path::absolute(&path).unwrap_or(path);
            if !required && !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|cause| CredError::Read {
                path: path.clone(),
                cause,
            })?;
            warnings.extend(permission_warning(&path));
            if origin == Origin::Repository && !options.no_processes {
                warnings.extend(git_ignore_warning(&path));
            }
            let table: toml::Table = toml::from_str(&text).map_err(|e| CredError::Invalid {
                path: path.clone(),
                message: e.message().to_owned(),
            })?;
            for (id, value) in &table {
                let entry = Entry::parse(id, value, origin, &path).map_err(|message| {
                    CredError::Invalid {
                        path: path.clone(),
                        message,
                    }
                })?;
                // A key or secret file the entry reads deserves ssh's warning too; a
                // certificate is public (only an x509ClientCert's client_key is secret).
                for (field, source) in &entry.sources {
                    if let Source::File(file) = source
                        && !is_public(field)
                    {
                        warnings.extend(permission_warning(file));
                    }
                }
                store.entries.push(entry);
            }
            store.files.push((origin, path));
        }
        Ok((store, warnings))
    }

    /// The entry that wins for `id`.
    #[must_use]
    pub fn lookup(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entry that wins for each id, highest precedence first (for the editor's hover
    /// and completion); no secret is read.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(at, e)| !self.entries[..*at].iter().any(|f| f.id == e.id))
            .map(|(_, e)| e)
    }

    /// The credential `id` with its secrets, resolving it on first use.
    pub async fn resolve(&self, id: &str) -> Result<Credential, CredError> {
        if let Some(found) = self.cache.lock().ok().and_then(|c| c.get(id).cloned()) {
            return Ok(found);
        }
        let entry = self
            .lookup(id)
            .ok_or_else(|| CredError::NotFound { id: id.to_owned() })?;
        if entry.origin == Origin::Repository && entry.runs_command() && !self.trust_repo {
            return Err(CredError::Untrusted { id: id.to_owned() });
        }
        let credential = entry.resolve().await?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(id.to_owned(), credential.clone());
        }
        Ok(credential)
    }

    /// Like [`Self::resolve`], but first checks that `id` is of the `expected` kind, so that
    /// a binding of the wrong type never runs a command or calls STS.
    pub async fn resolve_as(&self, id: &str, expected: Kind) -> Result<Credential, CredError> {
        let entry = self
            .lookup(id)
            .ok_or_else(|| CredError::NotFound { id: id.to_owned() })?;
        if entry.kind != expected {
            return Err(CredError::WrongType {
                id: id.to_owned(),
                actual: entry.kind.display_name(),
                expected: expected.display_name(),
            });
        }
        self.resolve(id).await
    }

    /// Records that `var` holds a secret `value` while it is bound.
    pub fn mark_sensitive(&self, var: &str, value: &str) {
        if let Ok(mut s) = self.sensitive.lock() {
            let pair = (var.to_owned(), value.to_owned());
            if !s.contains(&pair) {
                s.push(pair);
            }
        }
    }

    /// Every (variable, secret value) pair bound so far.
    #[must_use]
    pub fn sensitive(&self) -> Vec<(String, String)> {
        self.sensitive.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Removes `dir` when the store is dropped (the end of the build) at the latest.
    pub fn remove_at_end(&self, dir: PathBuf) {
        if let Ok(mut dirs) = self.kept_dirs.lock() {
            dirs.push(dir);
        }
    }
}

/// The nearest `.jenkinsfile/credentials.toml` from `dir` up to the repository root; outside
/// a repository only `dir` itself.
fn repository_file(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let in_repo = dir.ancestors().any(|d| d.join(".git").exists());
    for d in dir.ancestors() {
        let candidate = d.join(super::REPOSITORY_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !in_repo || d.join(".git").exists() {
            break;
        }
    }
    None
}

/// Fields whose files are public: the certificates of an x509ClientCert.
fn is_public(field: &str) -> bool {
    matches!(field, "client_certificate" | "server_ca_certificate")
}

/// ssh's rule: a secrets file readable by group or others deserves a warning.
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "WARNING: credentials file {} is accessible by others (permissions {mode:04o}); run `chmod 600` on it",
            path.display()
        )
    })
}

/// A repository store that git would commit is one `git add .` away from being published.
fn git_ignore_warning(path: &Path) -> Option<String> {
    let dir = path.parent()?;
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .args(["check-ignore", "-q", "--"])
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    // 0: ignored; 1: not ignored; 128: not a repository (nothing to warn about).
    (status.code() == Some(1)).then(|| {
        format!(
            "WARNING: {} is not ignored by git; add `{}` to .gitignore so that it is never committed",
            path.display(),
            super::REPOSITORY_FILE
        )
    })
}

#[cfg(test)]
mod tests;
