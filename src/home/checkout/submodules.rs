//! The submodules of the user's working copy. One initialised there (its directory holds a
//! checkout) is part of the work in progress: it is checked out into the workspace the way
//! the superproject is, recursively (a clone sharing the submodule's objects, at the commit
//! its checkout has, plus its own uncommitted and untracked files). One not initialised stays
//! an empty directory, as Jenkins leaves it without the `SubmoduleOption` extension; with it,
//! the `checkout` step fetches it from its remote.
//!
//! The workspace's `origin` is the user's `origin`, so relative submodule URLs in
//! `.gitmodules` (`url = ../lib.git`) resolve against the real remote, as on Jenkins; each
//! copied submodule is registered (`git submodule init`) with the URL that gives.

use std::io;
use std::path::Path;

use super::{
    CheckoutReport, ScmMode, checkout_working_copy, is_private, list, real_directories, run,
};

/// What happened to one submodule of the working copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmoduleReport {
    /// Its path in the repository.
    pub path: String,
    /// Its own checkout, when it was initialised in the working copy; `None`: left empty.
    pub checkout: Option<CheckoutReport>,
}

/// Checks out the initialised submodules of `repo` into `dest`.
pub(super) fn copy_submodules(repo: &Path, dest: &Path) -> io::Result<Vec<SubmoduleReport>> {
    let mut out = Vec::new();
    for entry in list(repo, &["ls-files", "--stage", "-z"])? {
        // `<mode> <object> <stage>\t<path>`; a submodule is a gitlink, mode 160000.
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        if !meta.starts_with("160000 ") || is_private(path) {
            continue;
        }
        let source = repo.join(path);
        if !source.join(".git").exists() {
            out.push(SubmoduleReport {
                path: path.to_owned(),
                checkout: None,
            });
            continue;
        }
        real_directories(dest, path)?;
        let target = dest.join(path);
        if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&target)?;
        }
        let report = checkout_working_copy(&source, &target, ScmMode::WorkingCopy)?;
        // Registers it in the workspace's configuration, as `git submodule update --init`
        // would have: its URL from `.gitmodules`, resolved against the workspace's origin.
        // A gitlink `.gitmodules` does not name has no URL to register; it is checked out all
        // the same.
        let _ = run(dest, &["submodule", "--quiet", "init", "--", path], &[]);
        out.push(SubmoduleReport {
            path: path.to_owned(),
            checkout: Some(report),
        });
    }
    Ok(out)
}
