//! The store: credential files in lookup order, parsed when loaded, resolved per id when a
//! step first needs one (then cached for the build).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indexmap::IndexMap;

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

/// One credential as written in a store file; no secret is read until [`Store::resolve`].
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub kind: Kind,
    pub origin: Origin,
    /// The store file that holds it.
    pub file: PathBuf,
    pub description: String,
    sources: IndexMap<&'static str, Source>,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    role_session_duration: Option<i32>,
    region: Option<String>,
    username_secret: bool,
    file_name: Option<String>,
}

/// The fields each kind takes: (name, required, path-valued: a plain string is a path).
fn fields(kind: Kind) -> &'static [(&'static str, bool, bool)] {
    match kind {
        Kind::String => &[("secret", true, false)],
        Kind::UsernamePassword => &[("username", true, false), ("password", true, false)],
        Kind::SshUserPrivateKey => &[
            ("username", true, false),
            ("private_key", true, false),
            ("passphrase", false, false),
        ],
        Kind::File => &[("file", true, true)],
        Kind::Certificate => &[("keystore", true, true), ("password", true, false)],
        Kind::Aws => &[
            ("access_key_id", true, false),
            ("secret_access_key", true, false),
        ],
    }
}

/// Plain (non-secret) settings each kind accepts besides `type` and `description`.
fn settings(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::UsernamePassword | Kind::SshUserPrivateKey => &["username_secret"],
        Kind::File => &["file_name"],
        Kind::Aws => &[
            "role_arn",
            "role_session_name",
            "role_session_duration",
            "region",
        ],
        Kind::String | Kind::Certificate => &[],
    }
}

impl Entry {
    fn parse(id: &str, value: &toml::Value, origin: Origin, file: &Path) -> Result<Entry, String> {
        let base = file.parent().unwrap_or(Path::new("."));
        let toml::Value::Table(table) = value else {
            return Err(format!("`{id}` must be a table ([{id}])"));
        };
        let Some(type_name) = table.get("type").and_then(toml::Value::as_str) else {
            return Err(format!("[{id}] has no `type`"));
        };
        let kind = Kind::parse(type_name).ok_or_else(|| {
            let known: Vec<&str> = Kind::ALL.iter().map(|k| k.type_name()).collect();
            format!(
                "[{id}] has unknown type `{type_name}`; expected one of {}",
                known.join(", ")
            )
        })?;
        let mut sources = IndexMap::new();
        for &(name, required, path_valued) in fields(kind) {
            match table.get(name) {
                Some(toml::Value::String(path)) if path_valued => {
                    sources.insert(name, Source::File(expand_path(path, base)));
                }
                Some(v) => {
                    let source =
                        Source::parse(v, base).map_err(|e| format!("[{id}] `{name}`: {e}"))?;
                    sources.insert(name, source);
                }
                None if required => return Err(format!("[{id}] needs `{name}`")),
                None => {}
            }
        }
        for key in table.keys() {
            let known = key == "type"
                || key == "description"
                || fields(kind).iter().any(|f| f.0 == key)
                || settings(kind).contains(&key.as_str());
            if !known {
                return Err(format!(
                    "[{id}] has unknown key `{key}` for type `{type_name}`"
                ));
            }
        }
        let text = |key: &str| -> Result<Option<String>, String> {
            match table.get(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("[{id}] `{key}` must be a string")),
            }
        };
        let role_session_duration = match table.get("role_session_duration") {
            None => None,
            Some(toml::Value::Integer(n)) => Some(
                i32::try_from(*n)
                    .map_err(|_| format!("[{id}] `role_session_duration` is out of range"))?,
            ),
            Some(_) => return Err(format!("[{id}] `role_session_duration` must be an integer")),
        };
        let username_secret = match table.get("username_secret") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err(format!("[{id}] `username_secret` must be true or false")),
        };
        Ok(Entry {
            id: id.to_owned(),
            kind,
            origin,
            file: file.to_path_buf(),
            description: text("description")?.unwrap_or_default(),
            sources,
            role_arn: text("role_arn")?,
            role_session_name: text("role_session_name")?,
            role_session_duration,
            region: text("region")?,
            username_secret,
            file_name: text("file_name")?,
        })
    }

    /// Whether resolving this entry runs a command.
    #[must_use]
    pub fn runs_command(&self) -> bool {
        self.sources.values().any(Source::is_command)
    }

    fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    async fn text(&self, field: &str) -> Result<Option<String>, CredError> {
        let Some(source) = self.sources.get(field) else {
            return Ok(None);
        };
        source
            .read_text(self.dir())
            .await
            .map(Some)
            .map_err(|message| self.error(format!("`{field}`: {message}")))
    }

    async fn required_text(&self, field: &str) -> Result<String, CredError> {
        Ok(self.text(field).await?.unwrap_or_default())
    }

    async fn bytes(&self, field: &str) -> Result<Vec<u8>, CredError> {
        match self.sources.get(field) {
            None => Ok(Vec::new()),
            // A file credential is the file as it is, trailing newline included.
            Some(Source::File(path)) => tokio::fs::read(path)
                .await
                .map_err(|e| self.error(format!("`{field}`: cannot read {}: {e}", path.display()))),
            Some(source) => source
                .read(self.dir())
                .await
                .map_err(|message| self.error(format!("`{field}`: {message}"))),
        }
    }

    fn error(&self, message: String) -> CredError {
        CredError::Resolve {
            id: self.id.clone(),
            message,
        }
    }

    async fn resolve(&self) -> Result<Credential, CredError> {
        Ok(match self.kind {
            Kind::String => Credential::String {
                secret: self.required_text("secret").await?,
            },
            Kind::UsernamePassword => Credential::UsernamePassword {
                username: self.required_text("username").await?,
                password: self.required_text("password").await?,
                username_secret: self.username_secret,
            },
            Kind::SshUserPrivateKey => Credential::SshUserPrivateKey {
                username: self.required_text("username").await?,
                private_key: self.required_text("private_key").await?,
                passphrase: self.text("passphrase").await?,
                username_secret: self.username_secret,
            },
            Kind::File => Credential::File {
                file_name: self.file_name.clone().unwrap_or_else(|| {
                    match self.sources.get("file") {
                        Some(Source::File(p)) => p
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        _ => self.id.clone(),
                    }
                }),
                contents: self.bytes("file").await?,
            },
            Kind::Certificate => Credential::Certificate {
                keystore: self.bytes("keystore").await?,
                password: self.required_text("password").await?,
                description: self.description.clone(),
            },
            Kind::Aws => {
                let access_key_id = self.required_text("access_key_id").await?;
                let secret_access_key = self.required_text("secret_access_key").await?;
                match &self.role_arn {
                    None => Credential::Aws {
                        access_key_id,
                        secret_access_key,
                        session_token: None,
                    },
                    Some(role_arn) => {
                        let assumed = super::sts::assume_role(&super::sts::Request {
                            access_key_id: &access_key_id,
                            secret_access_key: &secret_access_key,
                            role_arn,
                            session_name: self.role_session_name.as_deref().unwrap_or("Jenkins"),
                            duration_seconds: self.role_session_duration,
                            region: self.region.as_deref(),
                        })
                        .await
                        .map_err(|message| CredError::Sts {
                            id: self.id.clone(),
                            role_arn: role_arn.clone(),
                            message,
                        })?;
                        Credential::Aws {
                            access_key_id: assumed.access_key_id,
                            secret_access_key: assumed.secret_access_key,
                            session_token: Some(assumed.session_token),
                        }
                    }
                }
            }
        })
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
            if origin == Origin::Repository {
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
                // A key or secret file the entry reads deserves ssh's warning too.
                for source in entry.sources.values() {
                    if let Source::File(file) = source {
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
mod tests {
    use std::os::unix::fs::PermissionsExt as _;
    use std::path::Path;

    use super::{Origin, Store, StoreOptions};
    use crate::creds::{CredError, Credential, Kind};

    fn write(path: &Path, text: &str, mode: u32) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn secret(store: &Store, id: &str) -> String {
        match block_on(store.resolve(id)) {
            Ok(Credential::String { secret }) => secret,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lookup_order_is_flags_last_first_then_env_repo_user() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let entry = |v: &str| format!("[a]\ntype = \"string\"\nsecret = \"{v}\"\n");
        write(
            &d.join("f1.toml"),
            &(entry("flag1") + "[f1only]\ntype = \"string\"\nsecret = \"x1\"\n"),
            0o600,
        );
        write(&d.join("f2.toml"), &entry("flag2"), 0o600);
        write(
            &d.join("env.toml"),
            &(entry("env") + "[b]\ntype = \"string\"\nsecret = \"env-b\"\n"),
            0o600,
        );
        write(
            &d.join("repo/.jenkinsfile/credentials.toml"),
            "[b]\ntype = \"string\"\nsecret = \"repo-b\"\n[c]\ntype = \"string\"\nsecret = \"repo-c\"\n",
            0o600,
        );
        write(
            &d.join("user.toml"),
            "[c]\ntype = \"string\"\nsecret = \"user-c\"\n[u]\ntype = \"string\"\nsecret = \"user-u\"\n",
            0o600,
        );
        let options = StoreOptions {
            files: vec![d.join("f1.toml"), d.join("f2.toml")],
            env_file: Some(d.join("env.toml")),
            jenkinsfile_dir: Some(d.join("repo")),
            user_file: Some(d.join("user.toml")),
            trust_repo: false,
        };
        let (store, _) = Store::load(&options).unwrap();
        assert_eq!(secret(&store, "a"), "flag2");
        assert_eq!(secret(&store, "f1only"), "x1");
        assert_eq!(secret(&store, "b"), "env-b");
        assert_eq!(secret(&store, "c"), "repo-c");
        assert_eq!(secret(&store, "u"), "user-u");
        let origins: Vec<Origin> = store.files.iter().map(|f| f.0).collect();
        assert_eq!(
            origins,
            [
                Origin::Flag,
                Origin::Flag,
                Origin::EnvVar,
                Origin::Repository,
                Origin::User
            ]
        );
        assert_eq!(
            block_on(store.resolve("zz")).unwrap_err().to_string(),
            "Could not find credentials entry with ID 'zz'"
        );
    }

    #[test]
    fn a_repository_command_needs_trust() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        write(
            &repo.join(".jenkinsfile/credentials.toml"),
            "[cmd]\ntype = \"string\"\nsecret = { command = \"echo ran\" }\n",
            0o600,
        );
        let options = |trust_repo| StoreOptions {
            jenkinsfile_dir: Some(repo.clone()),
            trust_repo,
            ..StoreOptions::default()
        };
        let (untrusted, _) = Store::load(&options(false)).unwrap();
        let err = block_on(untrusted.resolve("cmd")).unwrap_err();
        assert!(matches!(err, CredError::Untrusted { .. }), "{err}");
        assert!(err.to_string().contains("--trust-repo-credentials"));
        let (trusted, _) = Store::load(&options(true)).unwrap();
        assert_eq!(secret(&trusted, "cmd"), "ran");
    }

    #[test]
    fn warns_about_readable_files_and_an_unignored_repository_store() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        let git = std::process::Command::new("git")
            .arg("init")
            .arg("-q")
            .arg(&repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .unwrap();
        assert!(git.success());
        let file = repo.join(".jenkinsfile/credentials.toml");
        write(
            &file,
            "[a]\ntype = \"string\"\nsecret = \"s\"\n[k]\ntype = \"file\"\nfile = \"key\"\n",
            0o644,
        );
        write(&repo.join(".jenkinsfile/key"), "k", 0o640);
        let options = StoreOptions {
            jenkinsfile_dir: Some(repo.clone()),
            ..StoreOptions::default()
        };
        let (_, warnings) = Store::load(&options).unwrap();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("permissions 0644"), "{warnings:?}");
        assert!(
            warnings[1].contains("is not ignored by git"),
            "{warnings:?}"
        );
        assert!(
            warnings[2].contains(".jenkinsfile/key is accessible by others (permissions 0640)"),
            "{warnings:?}"
        );
        std::fs::write(repo.join(".gitignore"), ".jenkinsfile/credentials.toml\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(
            repo.join(".jenkinsfile/key"),
            std::fs::Permissions::from_mode(0o400),
        )
        .unwrap();
        let (_, warnings) = Store::load(&options).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn wrong_type_is_checked_before_resolving() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        // Resolving would fail (the variable is unset), so the message proves the order.
        write(
            &file,
            "[t]\ntype = \"string\"\nsecret = { env = \"JENKINSFILE_TEST_UNSET_VARIABLE\" }\n",
            0o600,
        );
        let (store, _) = Store::load(&StoreOptions {
            files: vec![file],
            ..StoreOptions::default()
        })
        .unwrap();
        let err = block_on(store.resolve_as("t", Kind::UsernamePassword)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Credentials 't' is of type 'Secret text' where 'Username with password' was expected"
        );
        let err = block_on(store.resolve("t")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "credential 't': `secret`: the environment variable JENKINSFILE_TEST_UNSET_VARIABLE is not set"
        );
    }

    #[test]
    fn invalid_entries_are_reported_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        for (text, message) in [
            ("[a]\nsecret = \"x\"\n", "[a] has no `type`"),
            ("[a]\ntype = \"nope\"\n", "[a] has unknown type `nope`"),
            (
                "[a]\ntype = \"usernamePassword\"\nusername = \"u\"\n",
                "[a] needs `password`",
            ),
            (
                "[a]\ntype = \"string\"\nsecret = \"x\"\nsecert = \"y\"\n",
                "[a] has unknown key `secert`",
            ),
        ] {
            write(&file, text, 0o600);
            let err = Store::load(&StoreOptions {
                files: vec![file.clone()],
                ..StoreOptions::default()
            })
            .unwrap_err();
            assert!(err.to_string().contains(message), "{err}");
            assert!(!err.to_string().contains("\"x\""), "{err}");
        }
    }
}
