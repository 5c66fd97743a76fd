//! The repository around a Jenkinsfile, read from the `.git` files themselves (root and
//! current branch) so that planning starts no process, not even `git`.

use std::path::{Path, PathBuf};

/// The repository root holding `dir` and its checked-out branch (`None` on a detached HEAD).
#[must_use]
pub fn discover(dir: &Path) -> Option<(PathBuf, Option<String>)> {
    let mut here = Some(dir);
    while let Some(d) = here {
        if let Some(git_dir) = git_dir(d) {
            let head = std::fs::read_to_string(git_dir.join("HEAD")).unwrap_or_default();
            let branch = head
                .trim()
                .strip_prefix("ref: refs/heads/")
                .map(str::to_string);
            return Some((d.to_path_buf(), branch));
        }
        here = d.parent();
    }
    None
}

/// The commit checked out in the repository at `root` (`GIT_COMMIT` after `checkout scm`),
/// read from `.git` (`HEAD`, the branch's ref file or `packed-refs`); `None` before the first
/// commit.
#[must_use]
pub fn head_commit(root: &Path) -> Option<String> {
    // A worktree keeps its refs in the main repository (`commondir`).
    let (git_dir, common) = git_dirs(root)?;
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let Some(name) = head.trim().strip_prefix("ref: ") else {
        return Some(head.trim().to_string()).filter(|h| is_sha(h));
    };
    for dir in [&git_dir, &common] {
        if let Ok(sha) = std::fs::read_to_string(dir.join(name)) {
            return Some(sha.trim().to_string()).filter(|h| is_sha(h));
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (sha, reference) = line.split_once(' ')?;
        (reference.trim() == name && is_sha(sha)).then(|| sha.to_string())
    })
}

/// A value of the repository's configuration, read from its `config` file (`git config
/// --get remote.origin.url` without starting `git`): `section` is `remote "origin"` or
/// `user`. The last value wins, as with `git config --get`.
#[must_use]
pub fn config(root: &Path, section: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(common_dir(root)?.join("config")).ok()?;
    let mut inside = false;
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = header.trim() == section;
            continue;
        }
        if !inside || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some((k, v)) = line.split_once('=')
            && k.trim().eq_ignore_ascii_case(key)
        {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            found = Some(v.to_string()).filter(|v| !v.is_empty());
        }
    }
    found
}

/// The repository's own `.git` directory, and the one its refs and config live in (a
/// worktree's `commondir`).
fn git_dirs(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let git_dir = git_dir(root)?;
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .ok()
        .map_or_else(|| git_dir.clone(), |c| git_dir.join(c.trim()));
    Some((git_dir, common))
}

/// The `.git` directory of a repository rooted at `root`: `.git` itself, or where a
/// worktree's or submodule's `.git` file points (`gitdir: <path>`).
pub(super) fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot = root.join(".git");
    if dot.is_dir() {
        Some(dot)
    } else if dot.is_file() {
        let text = std::fs::read_to_string(&dot).ok()?;
        Some(root.join(text.strip_prefix("gitdir:")?.trim()))
    } else {
        None
    }
}

pub(super) fn common_dir(root: &Path) -> Option<PathBuf> {
    git_dirs(root).map(|(_, common)| common)
}

fn is_sha(text: &str) -> bool {
    text.len() >= 40 && text.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::{config, discover, head_commit};

    #[test]
    fn reads_config_values_from_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(
            dir.path().join(".git/config"),
            "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://example.invalid/up.git\n[remote \"origin\"]\n\turl = git@example.invalid:team/app.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[user]\n\tname = \"Jane Doe\"\n",
        )
        .unwrap();
        assert_eq!(
            config(dir.path(), "remote \"origin\"", "url").as_deref(),
            Some("git@example.invalid:team/app.git")
        );
        assert_eq!(
            config(dir.path(), "user", "name").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(config(dir.path(), "user", "email"), None);
    }

    #[test]
    fn reads_the_head_commit_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        assert_eq!(head_commit(dir.path()), None);
        let sha = "0123456789abcdef0123456789abcdef01234567";
        std::fs::write(
            git.join("packed-refs"),
            format!("# pack-refs with: peeled\n{sha} refs/heads/main\n"),
        )
        .unwrap();
        assert_eq!(head_commit(dir.path()).as_deref(), Some(sha));
        let newer = "89abcdef0123456789abcdef0123456789abcdef";
        std::fs::write(git.join("refs/heads/main"), format!("{newer}\n")).unwrap();
        assert_eq!(head_commit(dir.path()).as_deref(), Some(newer));
    }

    #[test]
    fn reads_root_and_branch_from_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let (root, branch) = discover(&dir.path().join("a/b")).unwrap();
        assert_eq!(root, dir.path());
        assert_eq!(branch.as_deref(), Some("main"));
        std::fs::write(dir.path().join(".git/HEAD"), "0123abcd\n").unwrap();
        assert_eq!(discover(dir.path()).unwrap().1, None);
    }
}
