//! Process groups of running `sh` steps. A [`GroupGuard`] kills its group when the step is
//! cancelled or its future is dropped. Groups whose script ended while background processes
//! were still running are remembered, and [`kill_leftovers`] ends them when the build ends, as
//! Jenkins' `ProcessTreeKiller` does.

use std::collections::BTreeSet;
use std::sync::Mutex;

use rustix::process::{Pid, Signal, kill_process_group};

static LEFTOVERS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

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
}
