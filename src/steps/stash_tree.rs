//! How a stash holds its files. Jenkins' stash is a tar: symbolic links stay links (their
//! targets, relative or absolute, kept as written, never read through) and files keep their
//! mode. Here a stash is a directory tree that does the same: links are recreated as links,
//! files are copied with their permissions.

use std::io;
use std::path::Path;

use super::StepError;
use super::archive::{copy_into, io_failure};

/// Copies one workspace entry (a file or a link) to `target`, replacing what is there.
pub(super) fn put(from: &Path, target: &Path) -> Result<(), StepError> {
    match std::fs::read_link(from) {
        Ok(link) => put_link(&link, target).map_err(|e| io_failure(target, &e)),
        // `copy_into` keeps the permission bits (the executable bit with them).
        Err(_) => copy_into(from, target),
    }
}

fn put_link(link: &Path, target: &Path) -> io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::symlink_metadata(target) {
        // A real directory is not silently replaced by a link, as tar refuses it too.
        Ok(meta) if meta.is_dir() => {
            return Err(io::Error::other("a directory is in the way of a link"));
        }
        Ok(_) => std::fs::remove_file(target)?,
        Err(_) => {}
    }
    symlink(link, target)
}

#[cfg(unix)]
fn symlink(link: &Path, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(link, target)
}

#[cfg(not(unix))]
fn symlink(link: &Path, target: &Path) -> io::Result<()> {
    let _ = (link, target);
    Err(io::Error::other("symbolic links are not supported here"))
}

/// Copies every stash under `from` (a build's `stashes/`) to `to`, links as links; returns
/// how many stashes were copied.
pub(crate) fn copy_stashes(from: &Path, to: &Path) -> io::Result<usize> {
    let mut count = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
            count += 1;
        }
    }
    Ok(count)
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let (path, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            put_link(&std::fs::read_link(&path)?, &target)?;
        } else if kind.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            crate::home::copy_file(&path, &target)?;
        }
    }
    Ok(())
}
