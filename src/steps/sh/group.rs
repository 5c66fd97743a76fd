//! Process groups of running `sh` steps. A [`GroupGuard`] kills its group when the step is
//! cancelled or its future is dropped. Groups whose script ended while background processes
//! were still running are remembered, and [`kill_leftovers`] ends them when the build ends, as
//! Jenkins' `ProcessTreeKiller` does. Like it, it also finds processes that left their group
//! (`setsid`, daemons) by the build's cookie, `JENKINS_NODE_COOKIE`, in their environment.

use std::collections::BTreeSet;
use std::sync::Mutex;

use rustix::process::{Pid, Signal, kill_process_group};

static LEFTOVERS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// `JENKINS_NODE_COOKIE` values of the builds whose scripts ran in this process.
static COOKIES: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// The environment variable whose value marks every process of one build.
const COOKIE_VAR: &str = "JENKINS_NODE_COOKIE";

/// Remembers the build cookie of a script's environment, for [`kill_leftovers`].
pub(super) fn remember_cookie<'a>(mut env: impl Iterator<Item = (&'a String, &'a String)>) {
    if let Some((_, cookie)) = env.find(|(k, v)| k.as_str() == COOKIE_VAR && !v.is_empty()) {
        COOKIES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(cookie.clone());
    }
}

/// The process group of one script (its id is the script's pid).
pub(super) struct GroupGuard {
    pgid: Option<Pid>,
}

impl GroupGuard {
    pub(super) fn new(pid: Option<u32>) -> Self {
        Self {
            pgid: pid
                .and_then(|raw| i32::try_from(raw).ok())
                .and_then(Pid::from_raw),
        }
    }

    pub(super) fn terminate(&self) {
        self.signal(Signal::TERM);
    }

    pub(super) fn kill(&self) {
        self.signal(Signal::KILL);
    }

    /// The script has exited normally; whatever it left in the background runs on until the
    /// end of the build.
    pub(super) fn leave_running(mut self) {
        if let Some(pgid) = self.pgid.take()
            && rustix::process::test_kill_process_group(pgid).is_ok()
        {
            let mut leftovers = LEFTOVERS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            leftovers.insert(pgid.as_raw_nonzero().get());
        }
    }

    fn signal(&self, signal: Signal) {
        if let Some(pgid) = self.pgid {
            // ESRCH (the group is already gone) is the outcome we want.
            let _ = kill_process_group(pgid, signal);
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Kills every process group a finished `sh` left behind. Called when the build ends.
pub fn kill_leftovers() {
    let groups = std::mem::take(
        &mut *LEFTOVERS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for raw in groups {
        if let Some(pgid) = Pid::from_raw(raw) {
            let _ = kill_process_group(pgid, Signal::KILL);
        }
    }
    let cookies = std::mem::take(
        &mut *COOKIES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    // Twice: a process may have forked between the scan and its end.
    for _ in 0..2 {
        if kill_by_cookie(&cookies) == 0 {
            break;
        }
    }
}

/// Kills every process (of this user, readable in `/proc`) whose environment holds one of
/// `cookies`; returns how many were signalled.
fn kill_by_cookie(cookies: &BTreeSet<String>) -> usize {
    if cookies.is_empty() {
        return 0;
    }
    let needles: Vec<Vec<u8>> = cookies
        .iter()
        .map(|c| format!("{COOKIE_VAR}={c}").into_bytes())
        .collect();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let me = std::process::id();
    let mut killed = 0;
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        let marked = environ
            .split(|b| *b == 0)
            .any(|var| needles.iter().any(|n| var == n.as_slice()));
        if marked
            && let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw)
            && rustix::process::kill_process(pid, Signal::KILL).is_ok()
        {
            killed += 1;
        }
    }
    killed
}
