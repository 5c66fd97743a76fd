//! `archiveArtifacts` (Jenkins core `ArtifactArchiver`) and the legacy `archive`: copy the
//! files an Ant pattern selects from the current directory to `builds/<N>/archive/`, with
//! sha256 fingerprints recorded in `builds/<N>/fingerprints.json` when asked. Links inside
//! the workspace are followed (`followSymlinks`), links out of it never.

use std::path::Path;

use serde_json::Value;

use super::ant::FileSet;
use super::args::{bool_or, optional_str, required_str};
use super::digest::sha256_file;
use super::safety::escapes;
use super::{Args, StepContext, StepError, StepFuture};
use crate::home::copy_file;
use crate::report::BuildResult;

pub(crate) fn archive_artifacts(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let step = "archiveArtifacts";
        // ArtifactArchiver trims the pattern in its constructor and refuses an empty one
        // before anything else, rather than archiving the whole workspace.
        let artifacts = required_str(step, &args, "artifacts")?.trim().to_owned();
        if artifacts.is_empty() {
            return Err(StepError::abort(
                "No artifacts are configured for archiving.\nYou probably forgot to set the file pattern, please go back to the configuration and specify it.\nIf you really did mean to archive all the files in the workspace, please specify \"**\"",
            ));
        }
        let excludes = optional_str(step, &args, "excludes")?.unwrap_or_default();
        let allow_empty = bool_or(step, &args, "allowEmptyArchive", false)?;
        let fingerprint = bool_or(step, &args, "fingerprint", false)?;
        let only_if_successful = bool_or(step, &args, "onlyIfSuccessful", false)?;
        let case_sensitive = bool_or(step, &args, "caseSensitive", true)?;
        let default_excludes = bool_or(step, &args, "defaultExcludes", true)?;
        let follow = bool_or(step, &args, "followSymlinks", true)?;
        let result = ctx.host.result.get();
        // ArtifactArchiver: `result.isWorseThan(UNSTABLE)`, so an unstable build archives.
        if only_if_successful && result > BuildResult::Unstable {
            ctx.emit
                .log("Skipped archiving because build is not successful");
            return Ok(Value::Null);
        }
        ctx.emit.log("Archiving artifacts");
        let set = FileSet::new(&artifacts, &excludes, default_excludes)
            .case_sensitive(case_sensitive)
            .follow_links(follow);
        let count = copy_selected(ctx, &set, fingerprint, follow)?;
        if count == 0 {
            let message = no_artifacts(&artifacts);
            if allow_empty {
                ctx.emit.log(message);
            } else if result > BuildResult::Unstable {
                // ArtifactArchiver: "If the build failed, don't complain that there was no
                // matching artifact."
            } else {
                return Err(StepError::abort(message));
            }
        }
        Ok(Value::Null)
    })
}

/// The legacy `archive` step: the same copy, never failing on no match.
pub(crate) fn archive(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let includes = required_str("archive", &args, "includes")?;
        let excludes = optional_str("archive", &args, "excludes")?.unwrap_or_default();
        let set = FileSet::new(&includes, &excludes, true);
        if copy_selected(ctx, &set.follow_links(true), false, true)? == 0 {
            ctx.emit.log(format!(
                "No files found to archive for pattern \"{includes}\"; continuing."
            ));
        }
        Ok(Value::Null)
    })
}

/// Copies what `set` selects. With `follow` (`followSymlinks`, true by default), links to
/// files and directories inside the workspace are archived as what they point to, as
/// Jenkins does; links out of the workspace never are. Without it, links are left out
/// (Jenkins would keep them as links in the archive).
fn copy_selected(
    ctx: &StepContext,
    set: &FileSet,
    fingerprint: bool,
    follow: bool,
) -> Result<usize, StepError> {
    let archive = ctx.host.build_dir.join("archive");
    let files = set.scan(&ctx.cwd, &|path| follow && !escapes(ctx, path));
    let mut prints = read_fingerprints(&ctx.host.build_dir);
    for (relative, path) in &files {
        let target = archive.join(relative);
        copy_into(path, &target)?;
        if fingerprint {
            let sum = sha256_file(path).map_err(|e| io_failure(path, &e))?;
            prints.insert(relative.clone(), Value::String(sum));
        }
    }
    if fingerprint && !files.is_empty() {
        ctx.emit.log("Recording fingerprints");
        let text = serde_json::to_string_pretty(&prints).unwrap_or_default();
        let path = ctx.host.build_dir.join("fingerprints.json");
        std::fs::write(&path, text).map_err(|e| io_failure(&path, &e))?;
    }
    Ok(files.len())
}

fn read_fingerprints(build_dir: &Path) -> serde_json::Map<String, Value> {
    std::fs::read_to_string(build_dir.join("fingerprints.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Copies one file, replacing (never writing through) whatever is at `target`.
pub(crate) fn copy_into(from: &Path, target: &Path) -> Result<(), StepError> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_failure(parent, &e))?;
    }
    if std::fs::symlink_metadata(target).is_ok() {
        std::fs::remove_file(target).map_err(|e| io_failure(target, &e))?;
    }
    copy_file(from, target).map_err(|e| io_failure(from, &e))?;
    Ok(())
}

#[cold]
pub(crate) fn io_failure(path: &Path, err: &std::io::Error) -> StepError {
    StepError::failure(format!("java.io.IOException: {}: {err}", path.display()))
}

/// Jenkins' message when nothing matches `artifacts` (`plan` predicts it too).
pub(crate) fn no_artifacts(artifacts: &str) -> String {
    format!("No artifacts found that match the file pattern \"{artifacts}\". Configuration error?")
}
