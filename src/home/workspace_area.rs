//! Where a `ws(dir)` or `customWorkspace` directory may become a writable workspace. Jenkins
//! takes any directory as a workspace; here that would let a build's `deleteDir` or
//! `cleanWs` wipe the user's files (the steps' safety checks confine writes to the
//! workspace, so a workspace chosen by the Jenkinsfile confines nothing). So the directory is
//! judged once, links and `..` resolved, when the block starts:
//!
//! - inside the build home's own area (anything under the home but the home itself, its
//!   `locks/` and the job records under `jobs/`, except the jobs' `workspace*` directories):
//!   a workspace like the job's own;
//! - the user's repository, a directory holding it or one inside it: refused, unless the
//!   build runs `--in-place` (then the repository is the workspace anyway);
//! - anywhere else: used, as `dir()` outside the workspace is, so `sh` runs there, but the
//!   steps that write or delete files refuse it.

use std::path::{Component, Path, PathBuf};

use crate::steps::{ScmSource, canonical_prefix};

/// What a workspace directory named by the Jenkinsfile may be used for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkspacePlace {
    /// In the build home's area (or the repository under `--in-place`): writable.
    Home,
    /// Elsewhere (the resolved directory): steps that write or delete files refuse it.
    Outside(PathBuf),
    /// The user's repository (its root), or a directory overlapping it: not used at all.
    Repository(PathBuf),
}

/// Judges `dir` for a build whose home is `home` and whose repository is `scm`.
#[must_use]
pub fn place_of(home: &Path, dir: &Path, scm: Option<&ScmSource>) -> WorkspacePlace {
    let resolved = canonical_prefix(dir);
    let home = canonical_prefix(home);
    let in_home = in_home_area(&home, &resolved);
    if let Some(scm) = scm {
        let repo = canonical_prefix(&scm.repo);
        let holds_repo = repo.starts_with(&resolved);
        // A home the user keeps inside the repository holds workspaces like any other; a home
        // that is the repository itself would make every file of it a workspace.
        let in_repo =
            resolved.starts_with(&repo) && !(in_home && home.starts_with(&repo) && home != repo);
        if holds_repo || in_repo {
            return if scm.in_place && (!holds_repo || resolved == repo) {
                WorkspacePlace::Home
            } else {
                WorkspacePlace::Repository(repo)
            };
        }
    }
    if in_home {
        WorkspacePlace::Home
    } else {
        WorkspacePlace::Outside(resolved)
    }
}

/// Whether `dir` (resolved) is strictly inside `home` (resolved) and not one of the home's
/// own records.
fn in_home_area(home: &Path, dir: &Path) -> bool {
    let Ok(relative) = dir.strip_prefix(home) else {
        return false;
    };
    let parts: Vec<&str> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    match parts.split_first() {
        None | Some((&"locks", _)) => false,
        Some((&"jobs", rest)) => in_job_workspace(rest),
        Some(_) => true,
    }
}

/// `rest` (below `jobs/`) names `<job>/workspace[@N]…` or a folder's `<folder>/jobs/…`.
fn in_job_workspace(rest: &[&str]) -> bool {
    match rest {
        [_job, "jobs", more @ ..] => in_job_workspace(more),
        [_job, ws, ..] => *ws == "workspace" || ws.starts_with("workspace@"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;
    use std::path::Path;

    use super::{WorkspacePlace, place_of};
    use crate::steps::ScmSource;

    fn scm(repo: &Path, in_place: bool) -> ScmSource {
        ScmSource {
            repo: repo.to_path_buf(),
            in_place,
            ..ScmSource::default()
        }
    }

    #[test]
    fn the_home_area_is_writable_and_its_records_are_not() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(home.join("jobs/demo/builds")).unwrap();
        let place = |p: &str| place_of(&home, &home.join(p), None);
        assert_eq!(place("custom"), WorkspacePlace::Home);
        assert_eq!(place("a/b/../c"), WorkspacePlace::Home);
        assert_eq!(place("jobs/demo/workspace@3"), WorkspacePlace::Home);
        assert_eq!(
            place("jobs/team/jobs/demo/workspace/x"),
            WorkspacePlace::Home
        );
        for refused in [
            ".",
            "jobs",
            "jobs/demo",
            "jobs/demo/builds",
            "locks/x",
            "../x",
        ] {
            assert!(
                matches!(place(refused), WorkspacePlace::Outside(_)),
                "{refused}"
            );
        }
    }

    #[test]
    fn a_link_out_of_the_home_is_outside_and_the_repository_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let repo = root.path().join("repo");
        std::fs::create_dir_all(repo.join("src")).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        symlink(root.path(), home.join("up")).unwrap();
        symlink(&repo, home.join("mine")).unwrap();
        let s = scm(&repo, false);
        let resolved = std::fs::canonicalize(root.path()).unwrap();
        let repo_c = resolved.join("repo");
        assert_eq!(
            place_of(&home, &home.join("up/elsewhere"), Some(&s)),
            WorkspacePlace::Outside(resolved.join("elsewhere"))
        );
        for dir in [repo.clone(), repo.join("src"), root.path().to_path_buf()] {
            assert_eq!(
                place_of(&home, &dir, Some(&s)),
                WorkspacePlace::Repository(repo_c.clone()),
                "{}",
                dir.display()
            );
        }
        assert_eq!(
            place_of(&home, &home.join("mine"), Some(&s)),
            WorkspacePlace::Repository(repo_c.clone())
        );
        // With --in-place the repository is the workspace; what holds it still is not.
        let in_place = scm(&repo, true);
        assert_eq!(
            place_of(&home, &repo, Some(&in_place)),
            WorkspacePlace::Home
        );
        assert_eq!(
            place_of(&home, root.path(), Some(&in_place)),
            WorkspacePlace::Repository(repo_c)
        );
    }

    #[test]
    fn a_home_inside_the_repository_keeps_its_workspaces() {
        let repo = tempfile::tempdir().unwrap();
        let home = repo.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let s = scm(repo.path(), false);
        assert_eq!(
            place_of(&home, &home.join("custom"), Some(&s)),
            WorkspacePlace::Home
        );
        assert!(matches!(
            place_of(&home, &repo.path().join("src"), Some(&s)),
            WorkspacePlace::Repository(_)
        ));
        // A home that is the repository itself makes none of it a workspace.
        assert!(matches!(
            place_of(repo.path(), &repo.path().join("src"), Some(&s)),
            WorkspacePlace::Repository(_)
        ));
    }
}
