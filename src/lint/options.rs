//! What a lint run is told: rule levels, extra allowed steps and the globals of the configured
//! shared libraries. Built from the one `config::Config`, which is where rule codes are checked.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::registry;
use crate::config::{Config, Level, Library};
use crate::model::{self, CatalogueError};

/// The global variables (`vars/*.groovy`) a configured shared library provides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibraryGlobals {
    /// Read from a local checkout.
    Known(Vec<String>),
    /// A git remote: lint does not fetch it, so its globals are unknown.
    Remote(String),
}

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Rule code → level, for the rules the configuration mentions.
    pub levels: IndexMap<String, Level>,
    pub allowed_steps: Vec<String>,
    pub libraries: IndexMap<String, LibraryGlobals>,
    /// The local checkouts of those libraries, by name, for the editor's hover and
    /// go-to-definition of their globals.
    pub library_dirs: IndexMap<String, PathBuf>,
    /// The declarative catalogue extended by a plugin catalogue file; `None` for the built-in.
    pub plugin_catalogue: Option<model::Catalogue>,
}

/// A configuration that lint cannot use.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum OptionsError {
    #[error("unknown rule `{code}` in `[rules]` of {origin}")]
    #[diagnostic(code("config-invalid"), help("the rules are: {known}"))]
    UnknownRule {
        code: String,
        origin: String,
        known: String,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error("cannot read shared library `{name}` at `{}`: {cause}", path.display())]
    #[diagnostic(
        code("config-invalid"),
        help(
            "a library is a directory holding `vars/*.groovy`; give it with `--library NAME=PATH` or under `[libraries]`"
        )
    )]
    Library {
        name: String,
        path: PathBuf,
        cause: std::io::Error,
    },
}

impl LintOptions {
    pub fn from_config(config: &Config) -> Result<Self, OptionsError> {
        let mut levels = IndexMap::new();
        for (code, setting) in &config.rules {
            if registry::rule(code).is_none() {
                return Err(OptionsError::UnknownRule {
                    code: code.clone(),
                    origin: setting.origin.clone(),
                    known: registry::RULES
                        .iter()
                        .map(|r| r.code)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            levels.insert(code.clone(), setting.level);
        }
        let mut libraries = IndexMap::new();
        let mut library_dirs = IndexMap::new();
        for (name, lib) in &config.libraries {
            let globals = match lib {
                Library::Path(path) => {
                    library_dirs.insert(name.clone(), path.clone());
                    LibraryGlobals::Known(library_globals(path).map_err(|cause| {
                        OptionsError::Library {
                            name: name.clone(),
                            path: path.clone(),
                            cause,
                        }
                    })?)
                }
                Library::Git(url) => LibraryGlobals::Remote(url.clone()),
            };
            libraries.insert(name.clone(), globals);
        }
        let plugin_catalogue = match &config.plugin_catalogue {
            Some(path) => {
                let mut catalogue = model::Catalogue::builtin().clone();
                catalogue.load_extra(path)?;
                Some(catalogue)
            }
            None => None,
        };
        Ok(LintOptions {
            levels,
            allowed_steps: config.allowed_steps.clone(),
            libraries,
            library_dirs,
            plugin_catalogue,
        })
    }

    /// The declarative catalogue to validate against.
    #[must_use]
    pub fn model_catalogue(&self) -> &model::Catalogue {
        self.plugin_catalogue
            .as_ref()
            .unwrap_or_else(|| model::Catalogue::builtin())
    }

    /// The configured level of a rule, if the configuration sets one.
    #[must_use]
    pub fn level(&self, code: &str) -> Option<Level> {
        self.levels.get(code).copied()
    }
}

/// The names of `vars/*.groovy` in a library checkout (none when it has no `vars`).
fn library_globals(path: &Path) -> std::io::Result<Vec<String>> {
    std::fs::metadata(path)?;
    let vars = path.join("vars");
    if !vars.is_dir() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&vars)? {
        let entry = entry?;
        let file = entry.file_name();
        if let Some(stem) = file.to_str().and_then(|n| n.strip_suffix(".groovy")) {
            names.push(stem.to_owned());
        }
    }
    names.sort();
    Ok(names)
}
