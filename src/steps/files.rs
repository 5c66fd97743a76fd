//! Workspace file steps: `readFile`, `writeFile`, `fileExists`, `deleteDir`, `pwd`. Relative
//! paths are resolved against the step's current directory.

use std::io::ErrorKind as IoKind;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::args::{bool_or, optional_str, required_str};
use super::encoding::Charset;
use super::safety::confine;
use super::{Args, StepContext, StepError, StepFuture};

fn resolve(ctx: &StepContext, file: &str) -> PathBuf {
    ctx.cwd.join(file)
}

/// Jenkins reports I/O problems as Java exceptions with the path; these are not
/// `AbortException`s, so they print as stack traces in Jenkins.
#[cold]
fn io_error(path: &Path, err: &std::io::Error) -> StepError {
    let class = match err.kind() {
        IoKind::NotFound => "java.nio.file.NoSuchFileException",
        IoKind::PermissionDenied => "java.nio.file.AccessDeniedException",
        _ => "java.io.IOException",
    };
    StepError::failure(format!("{class}: {}", path.display()))
}

pub(crate) fn read_file(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = required_str("readFile", &args, "file")?;
        let charset = Charset::named(optional_str("readFile", &args, "encoding")?.as_deref())?;
        let path = resolve(ctx, &file);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| io_error(&path, &e))?;
        Ok(Value::String(charset.decode(&bytes)))
    })
}

pub(crate) fn write_file(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = required_str("writeFile", &args, "file")?;
        let text = required_str("writeFile", &args, "text")?;
        let charset = Charset::named(optional_str("writeFile", &args, "encoding")?.as_deref())?;
        let path = confine(ctx, Path::new(&file), "writeFile")?;
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            // Replace the link rather than write through it.
            let _ = std::fs::remove_file(&path);
        }
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(|e| io_error(parent, &e))?;
        }
        let bytes = charset.encode(&text)?;
        tokio::fs::write(&path, bytes)
            .await
            .map_err(|e| io_error(&path, &e))?;
        Ok(Value::Null)
    })
}

pub(crate) fn file_exists(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = optional_str("fileExists", &args, "file")?.unwrap_or_default();
        if file.trim().is_empty() {
            ctx.emit.log(
                "The fileExists step was called with a null or empty string, so the current directory will be checked instead.",
            );
        }
        let exists = tokio::fs::try_exists(resolve(ctx, &file))
            .await
            .unwrap_or(false);
        Ok(Value::Bool(exists))
    })
}

/// Deletes the current directory recursively. Refuses the filesystem root and the user's home
/// directory, whatever the current directory is: a mistake there cannot be undone.
pub(crate) fn delete_dir(ctx: &StepContext, _: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let dir = &ctx.cwd;
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if dir.parent().is_none() || home.as_deref() == Some(dir.as_path()) {
            return Err(StepError::abort(format!(
                "refusing to delete {}: deleteDir never removes the filesystem root or the home directory",
                dir.display()
            )));
        }
        confine(ctx, dir, "deleteDir")?;
        match tokio::fs::remove_dir_all(dir).await {
            Ok(()) => Ok(Value::Null),
            Err(err) if err.kind() == IoKind::NotFound => Ok(Value::Null),
            Err(err) => Err(io_error(dir, &err)),
        }
    })
}

/// `pwd()` is the current directory; `pwd(tmp: true)` its `@tmp` sibling (not created).
pub(crate) fn pwd(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let dir = if bool_or("pwd", &args, "tmp", false)? {
            tmp_dir(&ctx.cwd)
        } else {
            ctx.cwd.clone()
        };
        Ok(Value::String(dir.display().to_string()))
    })
}

/// `WorkspaceList.tempDir`: the sibling `<dir>@tmp`.
#[must_use]
pub fn tmp_dir(dir: &Path) -> PathBuf {
    let mut name = dir
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push("@tmp");
    dir.with_file_name(name)
}
