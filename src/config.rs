//! The one configuration loader shared by `lint`, `plan`, `run` and the editor server.
//!
//! Layers, highest precedence first: the command line ([`Overrides`]), the repository file
//! `.jenkinsfile/config.toml` (found by walking up from the Jenkinsfile to the repository root,
//! the directory holding `.git`), the user file `$XDG_CONFIG_HOME/jenkinsfile/config.toml`
//! (`~/.config/…` by default), then the built-in defaults. Map entries (`[rules]`,
//! `[libraries]`, `[tools]`) and scalars are taken from the highest layer that sets them;
//! `allowed-steps` lists add up. The schema lives in `config/schema.rs` and README.md. Knows
//! nothing of lint rules (their codes are checked by `lint`) and never imports tokio.

mod schema;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

pub use self::schema::Level;
use self::schema::RawConfig;

/// Where the repository file lives, relative to a directory on the walk up.
pub const REPOSITORY_FILE: &str = ".jenkinsfile/config.toml";

/// A shared library: a local checkout (whose `vars/*.groovy` lint reads) or a git URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Library {
    Path(PathBuf),
    Git(String),
}

/// A rule setting with the file (or `command line`) it came from, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetting {
    pub level: Level,
    pub origin: String,
}

/// The merged configuration for one Jenkinsfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Rule code → level (`off` disables the rule).
    pub rules: IndexMap<String, RuleSetting>,
    /// Extra step names that `unknown-step` accepts.
    pub allowed_steps: Vec<String>,
    pub libraries: IndexMap<String, Library>,
    /// A plugin catalogue file that extends the built-in step catalogue.
    pub plugin_catalogue: Option<PathBuf>,
    /// Tool name → home directory, for the `tool` step.
    pub tools: IndexMap<String, PathBuf>,
    /// The files that were read, lowest precedence first.
    pub files: Vec<PathBuf>,
}

/// What the command line says; it wins over every file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Read this file instead of searching for the repository file.
    pub config_file: Option<PathBuf>,
    pub rules: IndexMap<String, Level>,
    pub allowed_steps: Vec<String>,
    pub libraries: IndexMap<String, Library>,
    pub plugin_catalogue: Option<PathBuf>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("cannot read configuration file `{}`: {cause}", path.display())]
    #[diagnostic(code("config-unreadable"))]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("invalid configuration file `{}`: {message}", path.display())]
    #[diagnostic(
        code("config-invalid"),
        help("the keys are described in README.md, section `Configuration`")
    )]
    Invalid { path: PathBuf, message: String },
}

/// Finds and merges the configuration files. The user file is a field so that tests can point
/// it elsewhere; [`Loader::from_env`] reads `XDG_CONFIG_HOME` and `HOME`.
#[derive(Clone, Debug, Default)]
pub struct Loader {
    pub user_file: Option<PathBuf>,
}

impl Loader {
    #[must_use]
    pub fn from_env() -> Self {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")));
        Loader {
            user_file: base.map(|b| b.join("jenkinsfile").join("config.toml")),
        }
    }

    /// The files a Jenkinsfile in `dir` takes its configuration from, named where a value
    /// is missing (`tool` says where to add one): the repository's file (or where it would
    /// be), then the user's.
    #[must_use]
    pub fn searched_files(&self, dir: &Path) -> Vec<PathBuf> {
        let repo = repository_file(dir).unwrap_or_else(|| {
            std::path::absolute(dir)
                .unwrap_or_default()
                .join(REPOSITORY_FILE)
        });
        std::iter::once(repo)
            .chain(self.user_file.clone())
            .collect()
    }

    /// The configuration for a Jenkinsfile in `dir` (the current directory for stdin).
    pub fn load(&self, dir: &Path, cli: &Overrides) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if let Some(user) = self.user_file.as_deref().filter(|p| p.is_file()) {
            apply_file(&mut config, user, user.parent().unwrap_or(Path::new(".")))?;
        }
        let repo = match &cli.config_file {
            Some(file) => Some((file.clone(), file.parent().unwrap_or(Path::new(".")).into())),
            None => repository_file(dir).map(|file| {
                // `.jenkinsfile/config.toml`: paths are relative to the directory holding it.
                let base = file
                    .parent()
                    .and_then(Path::parent)
                    .unwrap_or(Path::new("."));
                (file.clone(), base.to_path_buf())
            }),
        };
        if let Some((file, base)) = repo {
            apply_file(&mut config, &file, &base)?;
        }
        apply_overrides(&mut config, cli);
        Ok(config)
    }
}

/// The nearest `.jenkinsfile/config.toml` from `dir` up to the repository root (the first
/// directory holding `.git`). Outside a repository only `dir` itself is searched, so that a
/// stray file in `/tmp` or `$HOME` never applies by accident.
#[must_use]
pub fn repository_file(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let in_repo = dir.ancestors().any(|d| d.join(".git").exists());
    for d in dir.ancestors() {
        let candidate = d.join(REPOSITORY_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !in_repo || d.join(".git").exists() {
            break;
        }
    }
    None
}

fn apply_file(config: &mut Config, path: &Path, base: &Path) -> Result<(), ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|cause| ConfigError::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    let raw: RawConfig = toml::from_str(&text).map_err(|err| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: schema::describe(&err, &text),
    })?;
    let origin = path.display().to_string();
    for (code, level) in raw.rules {
        config.rules.insert(
            code,
            RuleSetting {
                level,
                origin: origin.clone(),
            },
        );
    }
    config.allowed_steps.extend(raw.allowed_steps);
    for (name, value) in raw.libraries {
        config.libraries.insert(name, library(&value, base));
    }
    if let Some(file) = raw.plugin_catalogue {
        config.plugin_catalogue = Some(base.join(file));
    }
    for (name, home) in raw.tools {
        config.tools.insert(name, base.join(home));
    }
    config.files.push(path.to_path_buf());
    Ok(())
}

fn apply_overrides(config: &mut Config, cli: &Overrides) {
    for (code, level) in &cli.rules {
        config.rules.insert(
            code.clone(),
            RuleSetting {
                level: *level,
                origin: "the command line".to_owned(),
            },
        );
    }
    config
        .allowed_steps
        .extend(cli.allowed_steps.iter().cloned());
    for (name, lib) in &cli.libraries {
        config.libraries.insert(name.clone(), lib.clone());
    }
    if let Some(file) = &cli.plugin_catalogue {
        config.plugin_catalogue = Some(file.clone());
    }
}

/// A library location as written: a URL (`https://…`, `ssh://…`, `git@host:…`, `file://…`) is
/// a git remote; anything else is a directory, relative to `base`.
#[must_use]
pub fn library(value: &str, base: &Path) -> Library {
    if value.contains("://") || value.starts_with("git@") {
        Library::Git(value.to_owned())
    } else {
        Library::Path(base.join(value))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Level, Library, Loader, Overrides, library, repository_file};

    #[test]
    fn library_values_are_urls_or_paths() {
        let base = Path::new("/repo");
        assert_eq!(
            library("https://git.example.invalid/lib.git", base),
            Library::Git("https://git.example.invalid/lib.git".into())
        );
        assert_eq!(
            library("git@git.example.invalid:team/lib.git", base),
            Library::Git("git@git.example.invalid:team/lib.git".into())
        );
        assert_eq!(
            library("../lib", base),
            Library::Path(Path::new("/repo/../lib").into())
        );
    }

    #[test]
    fn layers_merge_per_key_and_lists_add_up() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join(".jenkinsfile")).unwrap();
        std::fs::create_dir_all(root.join("user")).unwrap();
        std::fs::write(
            root.join("user/config.toml"),
            "allowed-steps = [\"a\"]\n[rules]\nsh-bashism = \"error\"\nunknown-step = \"off\"\n\
             [tools]\nmaven = \"maven-home\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join(".jenkinsfile/config.toml"),
            "allowed-steps = [\"b\"]\nplugin-catalogue = \"cat.toml\"\n[rules]\nsh-bashism = \"info\"\n\
             [libraries]\nlib = \"libs/lib\"\n",
        )
        .unwrap();
        let loader = Loader {
            user_file: Some(root.join("user/config.toml")),
        };
        let mut cli = Overrides::default();
        cli.rules.insert("unknown-step".into(), Level::Warning);
        let config = loader.load(root, &cli).unwrap();
        assert_eq!(config.rules["sh-bashism"].level, Level::Info);
        assert_eq!(config.rules["unknown-step"].level, Level::Warning);
        assert_eq!(config.rules["unknown-step"].origin, "the command line");
        assert_eq!(config.allowed_steps, ["a", "b"]);
        assert_eq!(
            config.libraries["lib"],
            Library::Path(root.join("libs/lib"))
        );
        assert_eq!(config.plugin_catalogue, Some(root.join("cat.toml")));
        assert_eq!(config.tools["maven"], root.join("user/maven-home"));
        assert_eq!(config.files.len(), 2);
        assert_eq!(
            repository_file(root),
            Some(root.join(".jenkinsfile/config.toml"))
        );
    }

    #[test]
    fn a_bad_value_names_the_file_line_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "[rules]\nsh-bashism = \"loud\"\n").unwrap();
        let cli = Overrides {
            config_file: Some(file.clone()),
            ..Overrides::default()
        };
        let err = Loader::default().load(dir.path(), &cli).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&file.display().to_string()), "{text}");
        assert!(text.contains("line 2"), "{text}");
        assert!(text.contains("unknown variant `loud`"), "{text}");
    }
}
