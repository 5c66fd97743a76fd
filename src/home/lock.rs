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
        let file = open(path)?;
        flock(&file, FlockOperation::LockExclusive)?;
        Ok(Self { _file: file })
    }
}

fn open(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
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
        for n in 1u32.. {
            let name = if n == 1 {
                "workspace".to_owned()
            } else {
                format!("workspace@{n}")
            };
            let file = open(&job_dir.join(format!(".{name}.lock")))?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {
                    let path = job_dir.join(name);
                    std::fs::create_dir_all(&path)?;
                    return Ok(Self { path, _file: file });
                }
                Err(rustix::io::Errno::WOULDBLOCK) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Err(io::Error::other("no free workspace"))
    }
}
