//! What the build needs from the user's git repository: its root (for the job name), the
//! current branch (for `BRANCH_NAME`) and the commit (for `GIT_COMMIT` in the record). Asked of
//! the `git` program; no git, or no repository, means no information.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository around a Jenkinsfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitInfo {
    pub root: PathBuf,
    /// `None` on a detached HEAD.
    pub branch: Option<String>,
    /// `None` before the first commit.
    pub commit: Option<String>,
}

impl GitInfo {
    /// The repository holding `dir`, if any.
    #[must_use]
    pub fn discover(dir: &Path) -> Option<Self> {
        let root = git(dir, &["rev-parse", "--show-toplevel"])?;
        let branch = git(dir, &["symbolic-ref", "--quiet", "--short", "HEAD"]);
        let commit = git(dir, &["rev-parse", "--verify", "--quiet", "HEAD"]);
        Some(Self {
            root: PathBuf::from(root),
            branch,
            commit,
        })
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    // The user's repository: `status` and friends would otherwise refresh and rewrite its
    // index (taking index.lock), which the build must never do.
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
