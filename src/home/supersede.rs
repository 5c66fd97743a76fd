//! Supersession between concurrent builds of one job, as the `milestone` step
//! (pipeline-milestone-step) does it on Jenkins: a build passing milestone K cancels every
//! older running build whose last milestone is none or at most K, and a build that passed a
//! milestone cancels, when it ends, every older build still running. The cancelled build is
//! interrupted with `Result.NOT_BUILT` and the cause `Superseded by <job>#<N>`.
//!
//! Locally each running build registers in `<job>/milestones/<N>` (its process id, the last
//! milestone it passed or `-`, and the job name). To cancel one, a newer build writes the cause
//! into `<job>/milestones/cancel-<pid>` and interrupts the process as Ctrl-C would; that run
//! reads the cause (`cancellation`) and ends `NOT_BUILT` instead of `ABORTED`. A build waiting for
//! a `lock` is interrupted the same way, so it stops waiting.

use std::fs;
use std::path::{Path, PathBuf};

use rustix::process::{Pid, Signal, kill_process, test_kill_process};

use super::Job;
use crate::report::BuildResult;

/// Jenkins' `CancelledCause.getShortDescription()` starts so.
const CAUSE: &str = "Superseded by ";

/// One running build, as its registry file records it.
struct Entry {
    number: u64,
    pid: i32,
    /// The last milestone passed; `None` before the first.
    ordinal: Option<i64>,
}

fn registry(job_dir: &Path) -> PathBuf {
    job_dir.join("milestones")
}

fn write(job_dir: &Path, number: u64, ordinal: Option<i64>, job: &str) {
    let dir = registry(job_dir);
    let _ = fs::create_dir_all(&dir);
    let ordinal = ordinal.map_or_else(|| "-".to_string(), |o| o.to_string());
    let _ = fs::write(
        dir.join(number.to_string()),
        format!("{} {ordinal} {job}\n", std::process::id()),
    );
}

fn cancel_file(job_dir: &Path, pid: i32) -> PathBuf {
    registry(job_dir).join(format!("cancel-{pid}"))
}

fn own_pid() -> i32 {
    std::process::id().cast_signed()
}

/// Registers a starting build: from now on a newer build passing a milestone cancels it.
pub fn start(job: &Job, number: u64) {
    // A cause left for a crashed process that had this pid is not ours.
    let _ = fs::remove_file(cancel_file(&job.dir, own_pid()));
    write(&job.dir, number, None, &job.name);
}

/// The job directory and build number of a build record directory `<job>/builds/<N>`.
fn locate(build_dir: &Path) -> Option<(PathBuf, u64)> {
    let number = build_dir.file_name()?.to_str()?.parse().ok()?;
    Some((build_dir.parent()?.parent()?.to_path_buf(), number))
}

/// Records that the build in `build_dir` passed milestone `ordinal`, and cancels the older
/// builds that have not passed it.
pub fn pass(build_dir: &Path, ordinal: i64) {
    let Some((job_dir, number)) = locate(build_dir) else {
        return;
    };
    let job = job_name(&job_dir, number);
    write(&job_dir, number, Some(ordinal), &job);
    cancel_older(&job_dir, number, &job, |o| o.is_none_or(|o| o <= ordinal));
}

/// Unregisters an ending build; one that passed a milestone cancels every older build.
pub fn complete(job: &Job, number: u64, passed_a_milestone: bool) {
    let _ = fs::remove_file(registry(&job.dir).join(number.to_string()));
    let _ = fs::remove_file(cancel_file(&job.dir, own_pid()));
    if passed_a_milestone {
        cancel_older(&job.dir, number, &job.name, |_| true);
    }
}

/// Whether build `number` of the job in `job_dir` is still running: registered by `start`,
/// not yet `complete`, and its process alive (a build whose process died is not running).
#[must_use]
pub fn is_running(job_dir: &Path, number: u64) -> bool {
    entries(job_dir).into_iter().any(|entry| {
        entry.number == number
            && Pid::from_raw(entry.pid).is_some_and(|pid| {
                entry.pid == std::process::id().cast_signed() || test_kill_process(pid).is_ok()
            })
    })
}

/// The cause a newer build left for this process, if it cancelled it. The file stays until
/// the build completes: it also tells other builds this one is already cancelled.
#[must_use]
pub fn cancellation(job_dir: &Path) -> Option<String> {
    let cause = fs::read_to_string(cancel_file(job_dir, own_pid())).ok()?;
    Some(cause.trim().to_string())
}

/// Whether an interruption's cause is a milestone's supersession (its result is `NOT_BUILT`).
/// `disableConcurrentBuilds(abortPrevious: true)` says `Superseded by #N`, without the job.
#[must_use]
pub fn is_superseded(cause: &str) -> bool {
    cause
        .strip_prefix(CAUSE)
        .is_some_and(|rest| !rest.starts_with('#'))
}

/// The result an interruption with `cause` carries: `NOT_BUILT` for a milestone's
/// supersession (`Executor.interrupt(Result.NOT_BUILT, …)`), else `ABORTED`. Declarative
/// `post` and `catchError` read it from the `FlowInterruptedException`.
#[must_use]
pub fn interruption_result(cause: Option<&str>) -> BuildResult {
    if cause.is_some_and(is_superseded) {
        BuildResult::NotBuilt
    } else {
        BuildResult::Aborted
    }
}

/// The build's result once interrupted for `cause`: `NOT_BUILT` for a supersession (the
/// result `Executor.interrupt` was given), else what it was.
#[must_use]
pub fn interrupted_result(result: BuildResult, cause: Option<&str>) -> BuildResult {
    match cause {
        Some(cause) if is_superseded(cause) && result >= BuildResult::Failure => {
            BuildResult::NotBuilt
        }
        _ => result,
    }
}

fn job_name(job_dir: &Path, number: u64) -> String {
    fs::read_to_string(registry(job_dir).join(number.to_string()))
        .ok()
        .and_then(|line| line.split_whitespace().nth(2).map(str::to_string))
        .unwrap_or_else(|| {
            job_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
}

fn entries(job_dir: &Path) -> Vec<Entry> {
    let Ok(dir) = fs::read_dir(registry(job_dir)) else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| {
            let number = e.file_name().to_str()?.parse().ok()?;
            let text = fs::read_to_string(e.path()).ok()?;
            let mut fields = text.split_whitespace();
            let pid = fields.next()?.parse().ok()?;
            let ordinal = fields.next()?.parse().ok();
            Some(Entry {
                number,
                pid,
                ordinal,
            })
        })
        .collect()
}

fn cancel_older(job_dir: &Path, number: u64, job: &str, reached: impl Fn(Option<i64>) -> bool) {
    for entry in entries(job_dir) {
        if entry.number >= number || !reached(entry.ordinal) {
            continue;
        }
        let Some(pid) = Pid::from_raw(entry.pid) else {
            continue;
        };
        if entry.pid == own_pid() || test_kill_process(pid).is_err() {
            // A build of this process (never cancelled by itself) or one that died.
            if entry.pid != own_pid() {
                let _ = fs::remove_file(registry(job_dir).join(entry.number.to_string()));
                let _ = fs::remove_file(cancel_file(job_dir, entry.pid));
            }
            continue;
        }
        let cancel = cancel_file(job_dir, entry.pid);
        if cancel.exists() {
            // Already cancelled and winding down: a second interrupt would make it stop
            // waiting for its cleanup and end as a user's abort.
            continue;
        }
        let _ = fs::write(&cancel, format!("{CAUSE}{job}#{number}\n"));
        let _ = kill_process(pid, Signal::INT);
    }
}

#[cfg(test)]
mod tests {
    use super::{BuildResult, interrupted_result, interruption_result, is_superseded};

    #[test]
    fn only_a_milestone_cause_is_a_supersession() {
        assert!(is_superseded("Superseded by demo#4"));
        assert!(!is_superseded("Superseded by #4"));
        assert!(!is_superseded("Aborted by user"));
        assert_eq!(
            interrupted_result(BuildResult::Aborted, Some("Superseded by demo#4")),
            BuildResult::NotBuilt
        );
        assert_eq!(
            interrupted_result(BuildResult::Aborted, Some("Aborted by user")),
            BuildResult::Aborted
        );
        assert_eq!(
            interruption_result(Some("Superseded by demo#4")),
            BuildResult::NotBuilt
        );
        assert_eq!(
            interruption_result(Some("Timeout has been exceeded")),
            BuildResult::Aborted
        );
    }
}
