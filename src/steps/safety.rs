//! Where steps may write. Destructive targets (archive, stash, unstash, unzip, writeFile,
//! deleteDir, checkout) must resolve, after following symbolic links, inside the workspace or
//! its `@tmp` sibling; anything else is refused with a clear error. Reading is not limited,
//! as in Jenkins.

use std::path::{Component, Path, PathBuf};

use super::files::tmp_dir;
use super::{Host, StepContext, StepError};
use crate::home::{WorkspacePlace, place_of};

/// `path` resolved against the current directory, checked to stay in the workspace. Returns
/// the path to use (the lexical one: the caller still works with the names it was given).
pub(crate) fn confine(ctx: &StepContext, path: &Path, step: &str) -> Result<PathBuf, StepError> {
    let joined = lexical(&ctx.cwd.join(path));
    let resolved = canonical_prefix(&joined);
    if let Some(dir) = &ctx.host.unconfined {
        return Err(StepError::abort(format!(
            "{step}: refusing to write to {}: the workspace {} is outside the build home, \
             so steps that write or delete files are refused there (`sh` still runs there)",
            path.display(),
            dir.display()
        )));
    }
    if let Some(why) = moved_workspace(&ctx.host) {
        return Err(StepError::abort(format!(
            "{step}: refusing to write to {}: {why}",
            path.display()
        )));
    }
    if !outside_workspace(&joined, &ctx.host.workspace) {
        return Ok(joined);
    }
    Err(StepError::abort(format!(
        "{step}: refusing to write to {}: it resolves to {}, outside the workspace {} and its @tmp",
        path.display(),
        resolved.display(),
        ctx.host.workspace.display()
    )))
}

/// Why the workspace no longer confines anything, if it does not: it was judged when its
/// block started, but a `sh` may since have swapped it for a link (to the user's repository,
/// say), and every write would follow the link.
fn moved_workspace(host: &Host) -> Option<String> {
    let workspace = &host.workspace;
    for dir in [workspace.clone(), tmp_dir(workspace)] {
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(format!(
                "{} is now a symbolic link to {}",
                dir.display(),
                canonical_prefix(&dir).display()
            ));
        }
    }
    let scm = host.scm.as_ref()?;
    if host.jenkins_home.as_os_str().is_empty() {
        return None;
    }
    match place_of(&host.jenkins_home, workspace, Some(scm)) {
        WorkspacePlace::Repository(repo) => Some(format!(
            "the workspace {} now resolves into your repository {}",
            workspace.display(),
            repo.display()
        )),
        WorkspacePlace::Home | WorkspacePlace::Outside(_) => None,
    }
}

/// Whether `dir` (links followed) is outside `workspace` and its `@tmp`: `dir()` allows it,
/// with a note.
#[must_use]
pub fn outside_workspace(dir: &Path, workspace: &Path) -> bool {
    let dir = canonical_prefix(dir);
    !(dir.starts_with(canonical_prefix(workspace))
        || dir.starts_with(canonical_prefix(&tmp_dir(workspace))))
}

/// Removes `.` and resolves `..` without touching the filesystem.
pub(crate) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The longest existing ancestor of `path` canonicalised (links followed), with the rest of
/// the path appended as it is.
pub(crate) fn canonical_prefix(path: &Path) -> PathBuf {
    resolve(path, MAX_LINKS)
}

/// How many dangling links one resolution follows (Linux' own limit), so a loop ends.
const MAX_LINKS: usize = 40;

fn resolve(path: &Path, links: usize) -> PathBuf {
    let path = lexical(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            return with_rest(canonical, &rest);
        }
        // A dangling link: writing to it creates its target, so its target is where the
        // write lands, not the link's directory.
        if links > 0
            && let Ok(target) = std::fs::read_link(existing)
        {
            let base = existing.parent().unwrap_or(Path::new("/"));
            return with_rest(resolve(&base.join(target), links - 1), &rest);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

fn with_rest(mut out: PathBuf, rest: &[std::ffi::OsString]) -> PathBuf {
    for part in rest.iter().rev() {
        out.push(part);
    }
    lexical(&out)
}

/// Whether `path` (inside the workspace) is a symbolic link that points out of it. Walks that
/// copy files skip these, so that a link cannot smuggle outside files into an archive or a
/// stash, or let an unstash write through it.
pub(crate) fn escapes(ctx: &StepContext, path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.file_type().is_symlink() {
        return false;
    }
    outside_workspace(path, &ctx.host.workspace)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::outside_workspace;

    #[test]
    fn a_dangling_link_is_where_its_target_is() {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("ws");
        std::fs::create_dir_all(&ws).unwrap();
        symlink(root.path().join("outside/new.zip"), ws.join("out.zip")).unwrap();
        symlink("inside.txt", ws.join("near")).unwrap();
        symlink("loop", ws.join("loop")).unwrap();
        assert!(outside_workspace(&ws.join("out.zip"), &ws));
        assert!(outside_workspace(&ws.join("out.zip/below"), &ws));
        assert!(!outside_workspace(&ws.join("near"), &ws));
        assert!(!outside_workspace(&ws.join("loop"), &ws));
        assert!(!outside_workspace(&ws.join("not-yet/file"), &ws));
    }
}
