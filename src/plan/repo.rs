//! The repository around a Jenkinsfile, read from the `.git` files themselves (root and
//! current branch) so that planning starts no process, not even `git`.

use std::path::{Path, PathBuf};

/// The repository root holding `dir` and its checked-out branch (`None` on a detached HEAD).
#[must_use]
pub fn discover(dir: &Path) -> Option<(PathBuf, Option<String>)> {
    let mut here = Some(dir);
    while let Some(d) = here {
        let dot = d.join(".git");
        let git_dir = if dot.is_dir() {
            Some(dot)
        } else if dot.is_file() {
            // A worktree or submodule: `gitdir: <path>`.
            std::fs::read_to_string(&dot).ok().and_then(|text| {
                let path = text.strip_prefix("gitdir:")?.trim();
                Some(d.join(path))
            })
        } else {
            None
        };
        if let Some(git_dir) = git_dir {
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

#[cfg(test)]
mod tests {
    use super::discover;

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
