//! `stash` and `unstash` (workflow-basic-steps `StashStep`, `UnstashStep`): files saved under
//! `builds/<N>/stashes/<name>/` and restored into the current directory, by any stage or
//! parallel branch of the same build. They are deleted when the build ends.

use std::path::PathBuf;

use serde_json::Value;

use super::ant::FileSet;
use super::archive::copy_into;
use super::args::{bool_or, optional_str, required_str};
use super::safety::{confine, escapes};
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
        let set = FileSet::new(&includes, &excludes, default_excludes);
        let files = set.scan(&ctx.cwd, &|path| !escapes(ctx, path));
        if files.is_empty() && !allow_empty {
            return Err(StepError::abort(format!(
                "No files included in stash ‘{name}’"
            )));
        }
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| super::archive::io_failure(&dir, &e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| super::archive::io_failure(&dir, &e))?;
        for (relative, path) in &files {
            copy_into(path, &dir.join(relative))?;
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
            return Err(StepError::abort(format!("No such saved stash ‘{name}’")));
        }
        let files = FileSet::new("", "", false).scan(&dir, &|_| false);
        for (relative, path) in &files {
            let target = confine(ctx, std::path::Path::new(relative), "unstash")?;
            // A link in the workspace must not carry the write out of it.
            if let Some(parent) = target.parent() {
                confine(ctx, parent, "unstash")?;
            }
            copy_into(path, &target)?;
        }
        Ok(Value::Null)
    })
}
