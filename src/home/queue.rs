//! `disableConcurrentBuilds()`: Jenkins keeps a second build of the job in its queue, with no
//! build number, until the running one ends (`abortPrevious: true` aborts the running one
//! instead of waiting for it). Locally the queue is a `flock` on `<job>/concurrent.lock`,
//! taken before the build number and held for the whole build; the holder writes its number
//! and process id into the file so that a waiting run can say whom it waits for (and signal
//! it). The kernel drops the lock when its process dies, so a crashed run never blocks the
//! job.

use std::fs::File;
use std::io::{self, Read as _, Seek as _, SeekFrom, Write as _};

use rustix::fs::{FlockOperation, flock};
use rustix::process::{Pid, Signal, kill_process};

use super::Job;
use super::lock::open_lock_file;

/// Written by a run that aborts the running build (`abortPrevious: true`): that build's pid
/// and the number the new build is about to take.
const SUPERSEDED: &str = "superseded";

/// Why this process was interrupted: a newer build's milestone (`supersede.rs`), Jenkins'
/// `Superseded by #N` when a newer build of the job aborted it
/// (`disableConcurrentBuilds(abortPrevious: true)`), else a user's abort.
#[must_use]
pub(super) fn interruption_cause(job: &Job) -> String {
    if let Some(cause) = super::supersede::cancellation(&job.dir) {
        return cause;
    }
    let path = job.dir.join(SUPERSEDED);
    let marker = std::fs::read_to_string(&path).unwrap_or_default();
    let mut fields = marker.split_whitespace();
    if fields.next() == Some(std::process::id().to_string().as_str())
        && let Some(next) = fields.next()
    {
        let _ = std::fs::remove_file(&path);
        return format!("Superseded by #{next}");
    }
    "Aborted by user".to_string()
}

/// The job's concurrency lock, held until dropped.
#[derive(Debug)]
pub struct QueueTurn {
    file: File,
}

/// What the running build wrote into the lock file: its build number (once it has one) and
/// its process id.
struct Holder {
    number: Option<u64>,
    pid: Option<i32>,
}

impl QueueTurn {
    /// Waits for the job's running build, if any, to end; `abort_previous` aborts it first
    /// (as Ctrl-C would). `notify` receives the line saying whom this run waits for.
    ///
    /// # Errors
    /// When the lock file cannot be opened or locked.
    pub fn wait(job: &Job, abort_previous: bool, mut notify: impl FnMut(&str)) -> io::Result<Self> {
        std::fs::create_dir_all(&job.dir)?;
        let mut file = open_lock_file(&job.dir.join("concurrent.lock"))?;
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                let holder = read_holder(&mut file);
                let build = holder.number.map_or_else(String::new, |n| format!(" #{n}"));
                if abort_previous && let Some(pid) = holder.pid.and_then(Pid::from_raw) {
                    notify(&format!(
                        "Aborting the previous build{build} of {}: disableConcurrentBuilds(abortPrevious: true)",
                        job.name
                    ));
                    // The running build treats it as Ctrl-C: it aborts and runs its post,
                    // giving Jenkins' cause (`CancelledCause`) from the marker written first.
                    let next = std::fs::read_to_string(job.dir.join("nextBuildNumber"))
                        .ok()
                        .and_then(|n| n.trim().parse::<u64>().ok())
                        .map_or_else(|| "?".to_string(), |n| n.to_string());
                    let _ = std::fs::write(
                        job.dir.join(SUPERSEDED),
                        format!("{} {next}\n", pid.as_raw_nonzero()),
                    );
                    let _ = kill_process(pid, Signal::INT);
                }
                notify(&format!(
                    "Waiting for the previous build{build} of {} to finish",
                    job.name
                ));
                // Blocking is safe: no signal handler is installed yet, so Ctrl-C still ends
                // this run while it waits.
                flock(&file, FlockOperation::LockExclusive)?;
            }
            Err(err) => return Err(err.into()),
        }
        let mut turn = Self { file };
        turn.write(None)?;
        Ok(turn)
    }

    /// Records the build number this run has taken, for the runs that queue behind it.
    ///
    /// # Errors
    /// When the lock file cannot be written.
    pub fn started(&mut self, number: u64) -> io::Result<()> {
        self.write(Some(number))
    }

    fn write(&mut self, number: Option<u64>) -> io::Result<()> {
        let number = number.map_or_else(|| "?".to_string(), |n| n.to_string());
        self.file.set_len(0)?;
        self.file.seek(SeekFrom::Start(0))?;
        writeln!(self.file, "{number} {}", std::process::id())?;
        self.file.flush()
    }
}

fn read_holder(file: &mut File) -> Holder {
    let mut text = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut text);
    let mut parts = text.split_whitespace();
    Holder {
        number: parts.next().and_then(|n| n.parse().ok()),
        pid: parts.next().and_then(|p| p.parse().ok()),
    }
}
