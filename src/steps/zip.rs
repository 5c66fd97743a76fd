//! pipeline-utility-steps' `zip` and `unzip`. Entries are selected with Ant patterns; every
//! extracted path must stay inside the workspace (a `../` or absolute entry name, or a link in
//! the destination, is refused), and the archive written must be in it too. Entries are
//! streamed to and from disk, never held whole in memory (except for `read: true`, whose
//! value is their text). A symbolic-link entry is extracted as a regular file holding the
//! link's target, as the plugin's `java.util.zip` extraction does: never as a link.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::ant::FileSet;
use super::archive::{copy_into, io_failure};
use super::args::{bool_or, optional_str, required_str};
use super::safety::{confine, escapes};
use super::{Args, StepContext, StepError, StepFuture};

#[cold]
fn zip_error(path: &Path, err: &zip::result::ZipError) -> StepError {
    StepError::failure(format!("java.io.IOException: {}: {err}", path.display()))
}

pub(crate) fn zip(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = required_str("zip", &args, "zipFile")?;
        let dir = optional_str("zip", &args, "dir")?.unwrap_or_default();
        let glob = optional_str("zip", &args, "glob")?.unwrap_or_default();
        let exclude = optional_str("zip", &args, "exclude")?.unwrap_or_default();
        let archive = bool_or("zip", &args, "archive", false)?;
        let overwrite = bool_or("zip", &args, "overwrite", false)?;
        let target = confine(ctx, Path::new(&file), "zip")?;
        if target.exists() && !overwrite {
            return Err(StepError::abort(format!("{} exists.", target.display())));
        }
        let source = ctx.cwd.join(&dir);
        ctx.emit.log(format!(
            "Writing zip file of {} filtered by [{glob}] - [{exclude}] to {}",
            source.display(),
            target.display()
        ));
        let files = FileSet::new(&glob, &exclude, false).scan(&source, &|p| !escapes(ctx, p));
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_failure(parent, &e))?;
        }
        let out = std::fs::File::create(&target).map_err(|e| io_failure(&target, &e))?;
        let mut writer = ZipWriter::new(out);
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let mut count = 0;
        for (relative, path) in &files {
            // The archive itself may sit among the files it selects.
            if path == &target {
                continue;
            }
            let mut input = std::fs::File::open(path).map_err(|e| io_failure(path, &e))?;
            writer
                .start_file(relative.as_str(), options)
                .map_err(|e| zip_error(&target, &e))?;
            std::io::copy(&mut input, &mut writer).map_err(|e| io_failure(&target, &e))?;
            count += 1;
        }
        writer.finish().map_err(|e| zip_error(&target, &e))?;
        ctx.emit.log(format!("Zipped {count} entries."));
        if archive {
            let name = target
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            copy_into(&target, &ctx.host.build_dir.join("archive").join(name))?;
        }
        Ok(Value::Null)
    })
}

pub(crate) fn unzip(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = required_str("unzip", &args, "zipFile")?;
        let dir = optional_str("unzip", &args, "dir")?.unwrap_or_default();
        let glob = optional_str("unzip", &args, "glob")?.unwrap_or_default();
        let read = bool_or("unzip", &args, "read", false)?;
        let quiet = bool_or("unzip", &args, "quiet", false)?;
        let source = ctx.cwd.join(&file);
        if !source.is_file() {
            return Err(StepError::abort(format!(
                "{} does not exist.",
                source.display()
            )));
        }
        let input = std::fs::File::open(&source).map_err(|e| io_failure(&source, &e))?;
        let mut archive = ZipArchive::new(input).map_err(|e| zip_error(&source, &e))?;
        let dest = if read {
            ctx.cwd.join(&dir)
        } else {
            confine(ctx, Path::new(&dir), "unzip")?
        };
        let set = FileSet::new(&glob, "", false);
        let mut contents = Map::new();
        let mut count = 0;
        for index in 0..archive.len() {
            let mut entry = archive
                .by_index(index)
                .map_err(|e| zip_error(&source, &e))?;
            let name = entry
                .name()
                .map_err(|e| zip_error(&source, &e))?
                .into_owned();
            if entry.is_dir() || !set.matches(&name) {
                continue;
            }
            let Some(relative) = entry.enclosed_name() else {
                return Err(StepError::abort(format!(
                    "unzip: refusing entry `{name}` of {}: it would be written outside the destination",
                    source.display()
                )));
            };
            count += 1;
            if read {
                let mut bytes = Vec::new();
                entry
                    .read_to_end(&mut bytes)
                    .map_err(|e| io_failure(&source, &e))?;
                contents.insert(
                    name,
                    Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                );
                continue;
            }
            let target = confine(ctx, &dest.join(&relative), "unzip")?;
            if let Some(parent) = target.parent() {
                confine(ctx, parent, "unzip")?;
                if let Some(file) = file_on_the_way(&dest, parent) {
                    return Err(StepError::abort(format!(
                        "unzip: cannot extract `{name}` of {}: {} is a file (an earlier entry, or a link entry extracted as a file), not a directory",
                        source.display(),
                        file.display()
                    )));
                }
                std::fs::create_dir_all(parent).map_err(|e| io_failure(parent, &e))?;
            }
            match std::fs::symlink_metadata(&target) {
                Ok(meta) if meta.is_dir() => {
                    return Err(StepError::abort(format!(
                        "unzip: cannot extract `{name}` of {}: {} is a directory (made for other entries), not replaced by a file",
                        source.display(),
                        target.display()
                    )));
                }
                Ok(_) => std::fs::remove_file(&target).map_err(|e| io_failure(&target, &e))?,
                Err(_) => {}
            }
            if !quiet {
                ctx.emit
                    .log(format!("Extracting: {name} -> {}", target.display()));
            }
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(|e| io_failure(&target, &e))?;
            std::io::copy(&mut entry, &mut out).map_err(|e| io_failure(&target, &e))?;
        }
        if read {
            return Ok(Value::Object(contents));
        }
        ctx.emit.log(format!("Extracted: {count} files"));
        Ok(Value::Null)
    })
}

/// The first path from `dest` down to `dir` that exists and is not a directory.
fn file_on_the_way(dest: &Path, dir: &Path) -> Option<PathBuf> {
    let relative = dir.strip_prefix(dest).ok()?;
    let mut path = dest.to_path_buf();
    for part in relative.components() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if !meta.is_dir() => return Some(path),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::Path;
    use std::sync::Arc;

    use serde_json::json;
    use zip::ZipWriter;
    use zip::write::SimpleFileOptions;

    use crate::report::Emitter;
    use crate::steps::{Cancel, Host, StepContext, StepError};

    /// Runs `unzip zipFile: 'test.zip', dir: 'out'` in `workspace`.
    fn unzip_in(workspace: &Path) -> Result<serde_json::Value, StepError> {
        let (emit, _rx) = Emitter::channel();
        let ctx = StepContext {
            cwd: workspace.to_path_buf(),
            env: indexmap::IndexMap::new(),
            emit,
            cancel: Cancel::new(),
            host: Arc::new(Host {
                workspace: workspace.to_path_buf(),
                ..Host::default()
            }),
            agent: None,
        };
        let serde_json::Value::Object(args) = json!({"zipFile": "test.zip", "dir": "out"}) else {
            unreachable!()
        };
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(super::unzip(&ctx, args))
    }

    #[test]
    fn an_entry_that_climbs_out_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws");
        std::fs::create_dir_all(&workspace).unwrap();
        let mut writer = ZipWriter::new(std::fs::File::create(workspace.join("test.zip")).unwrap());
        for name in ["ok.txt", "../evil.txt", "../../evil.txt"] {
            writer
                .start_file(name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(b"x").unwrap();
        }
        writer.finish().unwrap();
        let err = unzip_in(&workspace).unwrap_err();
        assert!(
            err.message.contains("refusing entry `../evil.txt`"),
            "{err:?}"
        );
        assert!(!dir.path().join("evil.txt").exists());
        assert!(!workspace.join("evil.txt").exists());
    }

    #[test]
    fn a_symbolic_link_entry_becomes_a_plain_file_and_nothing_lands_outside() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&workspace).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        let mut writer = ZipWriter::new(std::fs::File::create(workspace.join("test.zip")).unwrap());
        let options = SimpleFileOptions::default();
        writer.start_file("data.txt", options).unwrap();
        writer.write_all(&vec![b'd'; 1 << 20]).unwrap();
        writer
            .add_symlink("link", outside.display().to_string(), options)
            .unwrap();
        writer.start_file("link/evil.txt", options).unwrap();
        writer.write_all(b"through the link").unwrap();
        writer.finish().unwrap();
        // The entry below the link cannot be written: `link` is a file, not a directory.
        let err = unzip_in(&workspace).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "unzip: cannot extract `link/evil.txt` of {}: {} is a file (an earlier entry, or a link entry extracted as a file), not a directory",
                workspace.join("test.zip").display(),
                workspace.join("out/link").display()
            )
        );
        let link = workspace.join("out/link");
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.is_file(), "{meta:?}");
        assert_eq!(
            std::fs::read_to_string(&link).unwrap(),
            outside.display().to_string()
        );
        assert_eq!(
            std::fs::metadata(workspace.join("out/data.txt"))
                .unwrap()
                .len(),
            1 << 20
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    }

    #[test]
    fn a_file_entry_where_a_directory_was_made_is_refused_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws");
        std::fs::create_dir_all(&workspace).unwrap();
        let mut writer = ZipWriter::new(std::fs::File::create(workspace.join("test.zip")).unwrap());
        let options = SimpleFileOptions::default();
        writer.start_file("a/x.txt", options).unwrap();
        writer.write_all(b"x").unwrap();
        writer.add_symlink("a", "elsewhere", options).unwrap();
        writer.finish().unwrap();
        let err = unzip_in(&workspace).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "unzip: cannot extract `a` of {}: {} is a directory (made for other entries), not replaced by a file",
                workspace.join("test.zip").display(),
                workspace.join("out/a").display()
            )
        );
        assert_eq!(
            std::fs::read_to_string(workspace.join("out/a/x.txt")).unwrap(),
            "x"
        );
    }
}
