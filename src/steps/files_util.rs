//! pipeline-utility-steps' file helpers (`findFiles`, `sha256`, `touch`) and ws-cleanup's
//! `cleanWs`. Relative paths are resolved against the current directory; writes stay in the
//! workspace (`safety`).

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::ant::FileSet;
use super::archive::io_failure;
use super::args::{bool_or, optional_f64, optional_str, required_str};
use super::digest::sha256_file;
use super::safety::{confine, escapes};
use super::{Args, StepContext, StepError, StepFuture};
use crate::report::BuildResult;

/// `FileWrapper`: name, path (relative, `/`-separated), directory, length, lastModified.
fn wrapper(relative: &str, path: &Path) -> Value {
    let meta = std::fs::metadata(path).ok();
    let modified = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let name = relative.rsplit('/').next().unwrap_or(relative);
    json!({
        "name": name,
        "path": relative,
        "directory": meta.as_ref().is_some_and(std::fs::Metadata::is_dir),
        "length": meta.as_ref().map_or(0, std::fs::Metadata::len),
        "lastModified": modified,
    })
}

pub(crate) fn find_files(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let glob = optional_str("findFiles", &args, "glob")?.filter(|g| !g.is_empty());
        let excludes = optional_str("findFiles", &args, "excludes")?.unwrap_or_default();
        let found: Vec<Value> = if let Some(glob) = glob {
            FileSet::new(&glob, &excludes, false)
                .scan(&ctx.cwd, &|p| !escapes(ctx, p))
                .iter()
                .map(|(relative, path)| wrapper(relative, path))
                .collect()
        } else {
            // Without a glob: the direct children of the current directory.
            let mut names: Vec<String> = std::fs::read_dir(&ctx.cwd)
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            names
                .iter()
                .map(|name| wrapper(name, &ctx.cwd.join(name)))
                .collect()
        };
        Ok(Value::Array(found))
    })
}

pub(crate) fn sha256(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = required_str("sha256", &args, "file")?;
        let path = ctx.cwd.join(&file);
        if !path.is_file() {
            return Err(StepError::abort(format!(
                "{} does not exist.",
                path.display()
            )));
        }
        sha256_file(&path)
            .map(Value::String)
            .map_err(|e| io_failure(&path, &e))
    })
}

/// `touch file:, timestamp:`: creates the file if needed and sets its modification time
/// (milliseconds since the epoch; now by default).
pub(crate) fn touch(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = required_str("touch", &args, "file")?;
        let path = confine(ctx, Path::new(&file), "touch")?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_failure(parent, &e))?;
        }
        let time = match optional_f64("touch", &args, "timestamp")? {
            // Milliseconds; negative times are not meaningful here.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(ms) => UNIX_EPOCH + Duration::from_millis(ms.max(0.0) as u64),
            None => SystemTime::now(),
        };
        let handle = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| io_failure(&path, &e))?;
        handle
            .set_modified(time)
            .map_err(|e| io_failure(&path, &e))?;
        Ok(wrapper(&file, &path))
    })
}

/// `cleanWs`: deletes the current directory's content (the workspace itself, outside
/// `dir`), or only what `patterns` select, if the build result allows it.
pub(crate) fn clean_ws(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let result = ctx.host.result.get();
        let when = match result {
            BuildResult::Success => "cleanWhenSuccess",
            BuildResult::Unstable => "cleanWhenUnstable",
            BuildResult::Failure => "cleanWhenFailure",
            BuildResult::NotBuilt => "cleanWhenNotBuilt",
            BuildResult::Aborted => "cleanWhenAborted",
        };
        if !bool_or("cleanWs", &args, when, true)? {
            ctx.emit.log("[WS-CLEANUP] Skipped based on build state");
            return Ok(Value::Null);
        }
        let dir = confine(ctx, &ctx.cwd, "cleanWs")?;
        let delete_dirs = bool_or("cleanWs", &args, "deleteDirs", false)?;
        let (includes, excludes) = patterns(&args);
        ctx.emit.log("[WS-CLEANUP] Deleting project workspace...");
        if includes.is_empty() && excludes.is_empty() {
            let entries = std::fs::read_dir(&dir).map(|e| e.flatten().collect::<Vec<_>>());
            for entry in entries.unwrap_or_default() {
                remove(&entry.path())?;
            }
        } else {
            let set = FileSet::new(&includes.join(","), &excludes.join(","), false);
            for (_, path) in set.scan(&dir, &|_| true) {
                remove(&path)?;
            }
            if delete_dirs {
                remove_empty_matching(&dir, &dir, &set)?;
            }
        }
        ctx.emit.log("[WS-CLEANUP] done");
        Ok(Value::Null)
    })
}

/// `patterns: [[pattern: '*.tmp', type: 'INCLUDE'], …]` as include and exclude lists.
fn patterns(args: &Args) -> (Vec<String>, Vec<String>) {
    let mut includes = Vec::new();
    let mut excludes = Vec::new();
    for item in args
        .get("patterns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(pattern) = item.get("pattern").and_then(Value::as_str) else {
            continue;
        };
        if item.get("type").and_then(Value::as_str) == Some("EXCLUDE") {
            excludes.push(pattern.to_owned());
        } else {
            includes.push(pattern.to_owned());
        }
    }
    if includes.is_empty() && !excludes.is_empty() {
        includes.push("**".to_owned());
    }
    (includes, excludes)
}

/// Removes a file, a link (never its target) or a whole directory.
fn remove(path: &Path) -> Result<(), StepError> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| io_failure(path, &e))?;
    let removed = if meta.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    removed.map_err(|e| io_failure(path, &e))
}

fn remove_empty_matching(root: &Path, dir: &Path, set: &FileSet) -> Result<(), StepError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_empty_matching(root, &path, set)?;
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if set.matches(&relative)
                && std::fs::read_dir(&path).is_ok_and(|mut e| e.next().is_none())
            {
                std::fs::remove_dir(&path).map_err(|e| io_failure(&path, &e))?;
            }
        }
    }
    Ok(())
}
