//! The one definition of "a Jenkinsfile", and the walk that turns the command line's paths into
//! inputs. Every command that accepts a directory goes through `discover`, so `parse`, `lint`
//! and the rest always agree on which files they read. Imports only `source`.
//!
//! A file found by walking a directory is a Jenkinsfile when its name is `Jenkinsfile`,
//! `Jenkinsfile.*`, `*.jenkinsfile` or `*.Jenkinsfile`. A walk never picks up `*.groovy`, not
//! even `Jenkinsfile.groovy`: such files are usually shared-library sources, not pipelines. A
//! file named on the command line is always read, whatever its name, which is how a `*.groovy`
//! file gets parsed.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::source::{ReadError, SourceFile};

/// Directory names a walk never enters, besides every hidden directory (name starting with `.`).
const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules"];

/// The command-line spelling of standard input.
pub const STDIN_ARG: &str = "-";

/// The name standard input goes by in reports.
pub const STDIN_NAME: &str = "<stdin>";

/// One thing to read: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name used in reports and `;; <path>` headers.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// Reads the whole input as UTF-8 source text.
    pub fn read(&self) -> Result<SourceFile, ReadError> {
        match self {
            Input::File(path) => SourceFile::read(path),
            Input::Stdin => {
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|cause| ReadError::Io {
                        name: STDIN_NAME.to_owned(),
                        cause,
                    })?;
                SourceFile::from_bytes(STDIN_NAME.to_owned(), bytes)
            }
        }
    }
}

/// A path on the command line that yields no input.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DiscoverError {
    #[error("`{}` does not exist", path.display())]
    #[diagnostic(code("missing-input"))]
    NotFound { path: PathBuf },
    #[error("cannot read `{}`: {cause}", path.display())]
    #[diagnostic(code("unreadable-input"))]
    Io {
        path: PathBuf,
        // Not `#[source]`: the message already quotes it, and renderers would print it twice.
        cause: io::Error,
    },
}

/// What the command line's paths expand to.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Inputs in command-line order; each directory's files in sorted, depth-first order.
    pub inputs: Vec<Input>,
    /// Paths that do not exist, and directories that could not be listed.
    pub errors: Vec<DiscoverError>,
}

/// Expands the command line's paths: `-` is standard input, a file is taken as named, and a
/// directory is searched recursively for Jenkinsfiles.
#[must_use]
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        if path.as_os_str() == STDIN_ARG {
            found.inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut found),
            // Anything else named explicitly is read as given: a regular file, but also
            // `/dev/stdin` or a shell's `<(…)` pipe.
            Ok(_) => found.inputs.push(Input::File(path.clone())),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                found
                    .errors
                    .push(DiscoverError::NotFound { path: path.clone() });
            }
            Err(cause) => found.errors.push(DiscoverError::Io {
                path: path.clone(),
                cause,
            }),
        }
    }
    found
}

/// Whether a file found by a directory walk is a Jenkinsfile, judged by its name alone.
/// `*.groovy` never is, not even `Jenkinsfile.groovy`: a walk must not sweep in Groovy sources.
#[must_use]
pub fn is_jenkinsfile_name(name: &str) -> bool {
    if name.ends_with(".groovy") {
        return false;
    }
    if name == "Jenkinsfile" {
        return true;
    }
    if name
        .strip_prefix("Jenkinsfile.")
        .is_some_and(|rest| !rest.is_empty())
    {
        return true;
    }
    [".jenkinsfile", ".Jenkinsfile"].iter().any(|suffix| {
        name.strip_suffix(suffix)
            .is_some_and(|stem| !stem.is_empty())
    })
}

fn walk(dir: &Path, found: &mut Discovered) {
    let entries = match fs::read_dir(dir).and_then(Iterator::collect::<io::Result<Vec<_>>>) {
        Ok(entries) => entries,
        Err(cause) => {
            found.errors.push(DiscoverError::Io {
                path: dir.to_path_buf(),
                cause,
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries
        .into_iter()
        .map(|entry| (entry.file_name(), entry))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    for (name, entry) in entries {
        let path = entry.path();
        // A name that is not UTF-8 can be neither a Jenkinsfile nor a skipped directory.
        let Some(name) = name.to_str() else { continue };
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name) {
                walk(&path, found);
            }
        } else if is_jenkinsfile_name(name) {
            // Symlinks to files count; symlinks to directories are not followed, so a walk
            // cannot loop.
            let is_file = file_type.is_file() || fs::metadata(&path).is_ok_and(|m| m.is_file());
            if is_file {
                found.inputs.push(Input::File(path));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use super::{DiscoverError, Input, discover, is_jenkinsfile_name};

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "pipeline {}\n").unwrap();
    }

    /// The discovered files, relative to `root`, with `/` separators.
    fn relative(root: &Path, inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|input| match input {
                Input::Stdin => "-".to_owned(),
                Input::File(path) => path
                    .strip_prefix(root)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            })
            .collect()
    }

    #[test]
    fn names() {
        for yes in [
            "Jenkinsfile",
            "Jenkinsfile.prod",
            "Jenkinsfile.release.v2",
            "ci.jenkinsfile",
            "x.Jenkinsfile",
        ] {
            assert!(is_jenkinsfile_name(yes), "{yes} should count");
        }
        for no in [
            "lib.groovy",
            "Jenkinsfile.groovy",
            "jenkinsfile",
            "JENKINSFILE",
            "Jenkinsfile.",
            ".jenkinsfile",
            ".Jenkinsfile",
            "MyJenkinsfile",
            "Jenkinsfile-prod",
            "ci.jenkinsfile.bak",
            "README.md",
        ] {
            assert!(!is_jenkinsfile_name(no), "{no} should not count");
        }
    }

    #[test]
    fn walk_is_recursive_sorted_and_skips_junk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "Jenkinsfile",
            "Jenkinsfile.prod",
            "ci.jenkinsfile",
            "x.Jenkinsfile",
            "lib.groovy",
            "vars/build.groovy",
            "README.md",
            "b/Jenkinsfile",
            "a/deep/er/Jenkinsfile",
            ".git/Jenkinsfile",
            ".github/Jenkinsfile",
            "target/Jenkinsfile",
            "node_modules/pkg/Jenkinsfile",
            "sub/target/Jenkinsfile",
        ] {
            touch(root, rel);
        }
        let found = discover(&[root.to_path_buf()]);
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert_eq!(
            relative(root, &found.inputs),
            [
                "Jenkinsfile",
                "Jenkinsfile.prod",
                "a/deep/er/Jenkinsfile",
                "b/Jenkinsfile",
                "ci.jenkinsfile",
                "x.Jenkinsfile",
            ]
        );
    }

    #[test]
    fn explicit_files_count_whatever_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, "lib.groovy");
        touch(root, "notes.txt");
        let paths = [root.join("lib.groovy"), root.join("notes.txt")];
        let found = discover(&paths);
        assert!(found.errors.is_empty());
        assert_eq!(relative(root, &found.inputs), ["lib.groovy", "notes.txt"]);
    }

    #[test]
    fn a_hidden_directory_named_explicitly_is_walked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, ".ci/Jenkinsfile");
        let found = discover(&[root.join(".ci")]);
        assert_eq!(relative(root, &found.inputs), [".ci/Jenkinsfile"]);
    }

    #[test]
    fn keeps_command_line_order_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, "z/Jenkinsfile");
        touch(root, "a.Jenkinsfile");
        let missing = root.join("missing.Jenkinsfile");
        let paths = [
            root.join("z"),
            PathBuf::from("-"),
            missing.clone(),
            root.join("a.Jenkinsfile"),
        ];
        let found = discover(&paths);
        assert_eq!(
            relative(root, &found.inputs),
            ["z/Jenkinsfile", "-", "a.Jenkinsfile"]
        );
        assert_eq!(found.inputs[1], Input::Stdin);
        match found.errors.as_slice() {
            [DiscoverError::NotFound { path }] => assert_eq!(path, &missing),
            other => panic!("expected one missing path, got {other:?}"),
        }
        assert_eq!(
            found.errors[0].to_string(),
            format!("`{}` does not exist", missing.display())
        );
    }

    #[test]
    fn empty_directory_yields_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let found = discover(&[dir.path().to_path_buf()]);
        assert!(found.inputs.is_empty());
        assert!(found.errors.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn follows_file_symlinks_but_not_directory_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, "real/Jenkinsfile");
        std::os::unix::fs::symlink(root.join("real"), root.join("loop")).unwrap();
        std::os::unix::fs::symlink(root.join("real/Jenkinsfile"), root.join("ln.Jenkinsfile"))
            .unwrap();
        let found = discover(&[root.to_path_buf()]);
        assert_eq!(
            relative(root, &found.inputs),
            ["ln.Jenkinsfile", "real/Jenkinsfile"]
        );
    }
}
