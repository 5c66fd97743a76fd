//! File locks (`flock`) for the build home: one per job while a build number is taken, and one
//! per workspace while a build uses it. The kernel drops a lock when its process dies, so a
//! crashed run never leaves a job locked.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};

/// An exclusive lock on a lock file, released on drop.
pub(super) struct JobLock {
    _file: File,
}

impl JobLock {
    /// Blocks until the lock is ours.
    pub(super) fn acquire(path: &Path) -> io::Result<Self> {
        let file = open_lock_file(path)?;
        flock(&file, FlockOperation::LockExclusive)?;
        Ok(Self { _file: file })
    }
}

/// Opens (creating) a lock file without truncating it: a holder may have written who it is.
/// Readable too, so a waiter can name the holder.
pub(crate) fn open_lock_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
}

/// A workspace held by one build.
#[derive(Debug)]
pub struct WorkspaceLease {
    pub path: PathBuf,
    _file: File,
}

impl WorkspaceLease {
    pub(super) fn acquire(job_dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(job_dir)?;
        let base = job_dir.join("workspace");
        for n in 1u32.. {
            let path = suffixed(&base, n);
            if let Some(file) = try_lock(&path)? {
                real_dir(&path)?;
                return Ok(Self { path, _file: file });
            }
        }
        Err(io::Error::other("no free workspace"))
    }
}

/// Makes the job's workspace `path` a directory. A symbolic link there (an earlier build's
/// `sh` can leave one) would make every step of this build work in the link's target, the
/// user's repository perhaps; the link is the build home's own, so it goes.
pub(super) fn real_dir(path: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(path)?;
    }
    std::fs::create_dir_all(path)
}

/// `base` for `n == 1`, else `base@n` (Jenkins' `WorkspaceList.COMBINATOR`).
pub(super) fn suffixed(base: &Path, n: u32) -> PathBuf {
    if n == 1 {
        return base.to_path_buf();
    }
    let mut name = base.file_name().unwrap_or_default().to_os_string();
    name.push(format!("@{n}"));
    base.with_file_name(name)
}

/// Takes the cross-process lock of workspace `path` (`.<name>.lock` beside it) without
/// waiting: `None` when another process holds it.
pub(super) fn try_lock(path: &Path) -> io::Result<Option<File>> {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".lock");
    let file = open_lock_file(&path.with_file_name(name))?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(file)),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
        Err(err) => Err(err.into()),
    }
}
