//! A shared library's globals in a plan: `buildPlugin()` or `myLib.deploy(…)` calls a
//! `vars/*.groovy` of a configured library (`[libraries]` in `.jenkinsfile/config.toml`).
//! The plan shows each call as a step with its arguments, marked as not evaluated: it does
//! not run a library's code (and neither does a local run yet), so the steps inside are not
//! shown. An `obj.method()` on a name the Jenkinsfile never defines counts as a library call
//! only for a configured library's global, or for a lowercase name when the Jenkinsfile
//! loads a library whose globals the plan cannot list (`@Library`, `library`).

use std::path::{Path, PathBuf};

use super::recorder::Recorder;
use crate::config::{Config, Library};
use crate::eval::args::CallArgs;
use crate::eval::flow::R;
use crate::eval::pipeline::PipelineHost;
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::source::Span;

/// One global variable of a configured library.
#[derive(Clone, Debug)]
pub struct Global {
    pub library: String,
    pub name: String,
    /// `vars/NAME.groovy` in a local checkout.
    pub file: PathBuf,
}

/// What the plan knows of the Jenkinsfile's shared libraries.
#[derive(Clone, Debug, Default)]
pub struct Libraries {
    /// The globals of the configured local libraries (the first library wins a name).
    pub globals: Vec<Global>,
    /// Whether the Jenkinsfile loads a library the plan cannot list (`@Library`, `library`,
    /// or a configured git URL).
    pub unlisted: bool,
}

impl Libraries {
    /// The configured libraries' globals, read from their `vars/` directories; `text` is the
    /// Jenkinsfile.
    #[must_use]
    pub fn from_config(config: &Config, text: &str) -> Libraries {
        let mut globals: Vec<Global> = Vec::new();
        let mut remote = false;
        for (library, location) in &config.libraries {
            let dir = match location {
                Library::Path(dir) => dir,
                Library::Git(_) => {
                    remote = true;
                    continue;
                }
            };
            let mut found: Vec<Global> = vars(dir)
                .into_iter()
                .filter(|(name, _)| globals.iter().all(|g| &g.name != name))
                .map(|(name, file)| Global {
                    library: library.clone(),
                    name,
                    file,
                })
                .collect();
            found.sort_by(|a, b| a.name.cmp(&b.name));
            globals.extend(found);
        }
        let loads = text.contains("@Library")
            || text.contains("library(")
            || text.contains("library '")
            || text.contains("library \"");
        Libraries {
            globals,
            unlisted: remote || (loads && config.libraries.is_empty()),
        }
    }

    pub(super) fn global(&self, name: &str) -> Option<&Global> {
        self.globals.iter().find(|g| g.name == name)
    }
}

fn vars(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir.join("vars")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let file = e.ok()?.path();
            let name = file
                .file_name()?
                .to_str()?
                .strip_suffix(".groovy")?
                .to_string();
            Some((name, file))
        })
        .collect()
}

impl Recorder {
    /// What the plan says of a call of `name` it does not know: a library global's note, or
    /// `None` (an unknown step).
    pub(super) fn library_note(&self, name: &str) -> Option<String> {
        let global = self.libraries.global(name)?;
        Some(format!(
            "{} of library {} ({}): not evaluated (the plan does not run a library's code, nor does a local run yet); its steps are not shown, and what it returns is a run-time value",
            global.name,
            global.library,
            global.file.display()
        ))
    }

    /// `recv.method(args)` on the run-time value `origin`: when `origin` is a library's
    /// global, the call is recorded as a step `recv.method` with its arguments.
    pub(super) fn library_call(
        &self,
        host: &PipelineHost,
        origin: &str,
        method: &str,
        args: &CallArgs,
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        let assumed = self.assumed.borrow().iter().any(|a| a == origin);
        let note = match self.libraries.global(origin) {
            Some(_) => self.library_note(origin)?,
            None if assumed
                && self.libraries.unlisted
                && origin.starts_with(|c: char| c.is_ascii_lowercase()) =>
            {
                format!(
                    "{origin} is not defined in the Jenkinsfile: a shared library's global, presumably; not evaluated (its steps are not shown, and what it returns is a run-time value)"
                )
            }
            None => return None,
        };
        Some(self.record_library(host, &format!("{origin}.{method}"), args, note, span, cx))
    }

    /// Records a library call as a step with its arguments and `note`.
    pub(super) fn record_library(
        &self,
        host: &PipelineHost,
        name: &str,
        args: &CallArgs,
        note: String,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let (id, value) = self.record_not_evaluated(host, name, args, NOT_EVALUATED, span, cx)?;
        self.note_on(id, note);
        self.local_run_lacks(name, true);
        Ok(value)
    }
}

impl Recorder {
    /// A step a local run does not have (a plugin's, or a shared library's: libraries are
    /// not loaded by `run` yet): the plan goes on, but the build could fail there.
    pub(super) fn local_run_lacks(&self, name: &str, library: bool) {
        let why = if library || self.library_note(name).is_some() {
            format!(
                "`{name}` is a shared library's, which a local run does not load yet: `run` fails there"
            )
        } else {
            format!(
                "`{name}` is not a step a local run has: `run` fails there with No such DSL method"
            )
        };
        self.could_end(crate::report::BuildResult::Failure, why);
    }
}

/// The `unknown` of a library call in the JSON plan.
pub(super) const NOT_EVALUATED: &str = "a shared library's global: not evaluated";
