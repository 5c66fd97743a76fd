//! `stash` and `unstash` (workflow-basic-steps `StashStep`, `UnstashStep`): files saved under
//! `builds/<N>/stashes/<name>/` and restored into the current directory, by any stage or
//! parallel branch of the same build. They are deleted when the build ends, unless the job
//! has `preserveStashes(buildCount: N)`: then the stashes of its last N builds are kept, as
//! Jenkins keeps them for restarted stages, and older ones are deleted. A `--from-stage` build
//! (Jenkins' "Restart from Stage") starts with the preserved stashes of the build it restarts
//! (`home::restart`); [`StashOrigin`] says which, for `unstash`'s error. Links and file modes
//! are kept (`stash_tree`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::ant::FileSet;
use super::args::{bool_or, optional_str, required_str};
use super::safety::{confine, lexical};
use super::stash_tree::put;
use super::{Args, StepContext, StepError, StepFuture};

/// The stash directory, refusing names that would leave it (Jenkins' `checkGoodName`).
fn stash_dir(ctx: &StepContext, name: &str) -> Result<PathBuf, StepError> {
    if name.trim().is_empty() {
        return Err(StepError::abort("Must specify a stash name"));
    }
    if let Some(c) = name.chars().find(|c| "/\\:?*\"<>|".contains(*c)) {
        return Err(StepError::abort(format!("‘{c}’ is an unsafe character")));
    }
    if name == "." || name == ".." {
        return Err(StepError::abort(format!(
            "“{name}” is not allowed as a name"
        )));
    }
    Ok(ctx.host.build_dir.join("stashes").join(name))
}

pub(crate) fn stash(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let name = required_str("stash", &args, "name")?;
        let includes = optional_str("stash", &args, "includes")?.unwrap_or_default();
        let excludes = optional_str("stash", &args, "excludes")?.unwrap_or_default();
        let default_excludes = bool_or("stash", &args, "useDefaultExcludes", true)?;
        let allow_empty = bool_or("stash", &args, "allowEmpty", false)?;
        let dir = stash_dir(ctx, &name)?;
        // Links are kept as links, never read through, so one pointing out of the workspace
        // carries no outside file into the stash.
        let set = FileSet::new(&includes, &excludes, default_excludes).links_as_entries(true);
        let files = set.scan(&ctx.cwd, &|_| false);
        if files.is_empty() && !allow_empty {
            return Err(StepError::abort(no_files(&name)));
        }
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| super::archive::io_failure(&dir, &e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| super::archive::io_failure(&dir, &e))?;
        for (relative, path) in &files {
            put(path, &dir.join(relative))?;
        }
        ctx.emit.log(format!("Stashed {} file(s)", files.len()));
        Ok(Value::Null)
    })
}

pub(crate) fn unstash(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let name = required_str("unstash", &args, "name")?;
        let dir = stash_dir(ctx, &name)?;
        if !dir.is_dir() {
            if let Some(note) = ctx.host.stash_origin.missing(&name) {
                ctx.emit.log(note);
            }
            return Err(StepError::abort(no_such_stash(&name)));
        }
        let files = FileSet::new("", "", false)
            .links_as_entries(true)
            .scan(&dir, &|_| false);
        for (relative, path) in &files {
            let relative = Path::new(relative);
            let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
            // A link replaces what is at its place without writing through it, so only its
            // directory must be inside; a file must not be written through a link either.
            // A link already at the place (one pointing out of the workspace included) is
            // replaced, not written through: only its directory must be inside.
            let place = lexical(&ctx.cwd.join(relative));
            let at_link = std::fs::symlink_metadata(&place).is_ok_and(|m| m.is_symlink());
            let target = if is_link || at_link {
                place
            } else {
                confine(ctx, relative, "unstash")?
            };
            // A link in the workspace must not carry the write out of it.
            if let Some(parent) = target.parent() {
                confine(ctx, parent, "unstash")?;
            }
            // Jenkins' untar fails to create such a link and goes on with the next entry.
            if is_link && std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                ctx.emit.log(format!(
                    "Warning: unstash ‘{name}’: {} is a directory, not replaced by the stashed link; going on",
                    relative.display()
                ));
                continue;
            }
            put(path, &target)?;
        }
        Ok(Value::Null)
    })
}

/// The job's `preserveStashes(buildCount: N)`, set by the options or `properties()` while the
/// build runs and read when it ends.
#[derive(Clone, Debug, Default)]
pub struct StashRetention(Arc<Mutex<Option<u32>>>);

impl StashRetention {
    /// Keeps the stashes of the last `builds` builds (Jenkins' default is 1).
    pub fn preserve(&self, builds: u32) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(builds);
        }
    }

    /// How many builds keep their stashes; `None` without `preserveStashes`.
    #[must_use]
    pub fn builds(&self) -> Option<u32> {
        self.0.lock().ok().and_then(|slot| *slot)
    }
}

/// Where a build's stashes came from, for `unstash`'s error when one is missing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StashOrigin {
    /// An ordinary build: only its own stashes.
    #[default]
    Fresh,
    /// `--from-stage STAGE`, started with the stashes preserved by build `from` (`None`: no
    /// earlier build preserved any).
    Restarted { stage: String, from: Option<u64> },
}

impl StashOrigin {
    /// A line that explains a missing stash in a restarted build.
    #[must_use]
    pub fn missing(&self, name: &str) -> Option<String> {
        match self {
            Self::Fresh => None,
            Self::Restarted {
                stage,
                from: Some(n),
            } => Some(format!(
                "Note: this build restarts build #{n} from stage ‘{stage}’, and build #{n} preserved no stash ‘{name}’"
            )),
            Self::Restarted { stage, from: None } => Some(format!(
                "Note: this build restarts from stage ‘{stage}’, but no earlier build of this job preserved its stashes; add `preserveStashes()` to its options and run the whole pipeline once"
            )),
        }
    }
}

/// Ends build `number` (whose record directory is `build_dir`, in the job's `builds/`):
/// without `preserve`, deletes its stashes; with `preserve = Some(n)`, keeps the stashes of
/// builds `number - n + 1 ..= number` and deletes those of every older build that has
/// finished. An older build still running (a concurrent run that this one, restarted or
/// quicker, overtook) needs its stashes for its own later stages; it prunes in turn when it
/// ends.
pub fn clear_stashes(build_dir: &Path, number: u64, preserve: Option<u32>) {
    let Some(keep) = preserve else {
        let _ = std::fs::remove_dir_all(build_dir.join("stashes"));
        return;
    };
    let Some(builds) = build_dir.parent() else {
        return;
    };
    let oldest_kept = number.saturating_sub(u64::from(keep)).saturating_add(1);
    let Ok(entries) = std::fs::read_dir(builds) else {
        return;
    };
    for entry in entries.flatten() {
        let older = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|n| n < oldest_kept && !running(builds, n));
        if older {
            let _ = std::fs::remove_dir_all(entry.path().join("stashes"));
        }
    }
}

/// Whether build `n` of the job whose `builds/` is `builds` is still running.
fn running(builds: &Path, n: u64) -> bool {
    builds
        .parent()
        .is_some_and(|job| crate::home::supersede::is_running(job, n))
}

/// Jenkins' message for a stash that takes no file (`plan` predicts it too).
pub(crate) fn no_files(name: &str) -> String {
    format!("No files included in stash ‘{name}’")
}

/// Jenkins' message for an unstash of a name never stashed (`plan` predicts it too).
pub(crate) fn no_such_stash(name: &str) -> String {
    format!("No such saved stash ‘{name}’")
}

#[cfg(test)]
mod tests {
    use super::clear_stashes;

    fn builds_with_stashes(root: &std::path::Path, numbers: &[u64]) {
        for n in numbers {
            let dir = root.join(n.to_string()).join("stashes/s");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("f"), "x").unwrap();
        }
    }

    fn kept(root: &std::path::Path, numbers: &[u64]) -> Vec<u64> {
        numbers
            .iter()
            .copied()
            .filter(|n| root.join(n.to_string()).join("stashes").exists())
            .collect()
    }

    #[test]
    fn without_preserve_only_this_build_loses_its_stashes() {
        let tmp = tempfile::tempdir().unwrap();
        builds_with_stashes(tmp.path(), &[1, 2, 3]);
        clear_stashes(&tmp.path().join("3"), 3, None);
        assert_eq!(kept(tmp.path(), &[1, 2, 3]), vec![1, 2]);
    }

    #[test]
    fn preserve_keeps_the_last_n_builds() {
        let tmp = tempfile::tempdir().unwrap();
        builds_with_stashes(tmp.path(), &[1, 2, 3, 4]);
        clear_stashes(&tmp.path().join("4"), 4, Some(2));
        assert_eq!(kept(tmp.path(), &[1, 2, 3, 4]), vec![3, 4]);
        clear_stashes(&tmp.path().join("4"), 4, Some(1));
        assert_eq!(kept(tmp.path(), &[1, 2, 3, 4]), vec![4]);
    }

    #[test]
    fn preserve_skips_an_older_build_still_running() {
        let job = tempfile::tempdir().unwrap();
        let builds = job.path().join("builds");
        builds_with_stashes(&builds, &[1, 2, 3]);
        // Build 2 is registered as running, by this (live) process.
        std::fs::create_dir_all(job.path().join("milestones")).unwrap();
        std::fs::write(
            job.path().join("milestones/2"),
            format!("{} - demo\n", std::process::id()),
        )
        .unwrap();
        clear_stashes(&builds.join("3"), 3, Some(1));
        assert_eq!(kept(&builds, &[1, 2, 3]), vec![2, 3]);
    }
}
