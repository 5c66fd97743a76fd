//! The build home, laid out like `JENKINS_HOME`:
//!
//! ```text
//! <home>/jobs/<job>/nextBuildNumber
//! <home>/jobs/<job>/workspace/            the workspace (`workspace@2` while another node holds it)
//! <home>/jobs/<job>/builds/<N>/log        the masked console log
//! <home>/jobs/<job>/builds/<N>/build.json result, duration, stages, parameters, GIT_COMMIT, artifacts
//! <home>/jobs/<job>/builds/<N>/archive/   archived artifacts
//! ```
//!
//! A job in a folder (`team/demo`) lives in `jobs/team/jobs/demo`, as in Jenkins. Build numbers
//! are taken under an exclusive lock on the job, so concurrent runs never share one. The
//! standard environment variables and the host-environment filter live here too, because they
//! are computed from these paths.

mod checkout;
mod drive;
mod git;
mod host_env;
mod lock;
pub mod params;
mod queue;
mod record;
mod restart;
pub mod scm_info;
pub mod selection;
mod session;
pub mod supersede;
mod vars;
mod workspace_area;
mod workspace_lock;

use std::io;
use std::path::{Path, PathBuf};

pub(crate) use self::checkout::copy_file;
pub(crate) use self::checkout::delete_contents;
pub use self::checkout::{CheckoutReport, ScmMode, SubmoduleReport, checkout_working_copy};
pub use self::drive::{DriveOptions, Driven, Ending, drive};
pub use self::git::GitInfo;
pub use self::host_env::{HostEnv, KEPT_BY_CLEAN_ENV, looks_secret};
pub use self::lock::WorkspaceLease;
pub(crate) use self::lock::open_lock_file;
pub use self::queue::QueueTurn;
pub use self::record::{Artifact, BuildRecord, StageRecord};
pub use self::session::{RunOptions, Session};
pub use self::vars::StandardVars;
pub use self::workspace_area::{WorkspacePlace, place_of};
pub use self::workspace_lock::{NodeLease, WorkspaceList};

use self::lock::JobLock;

/// The default home: `$XDG_DATA_HOME/jenkinsfile`, else `~/.local/share/jenkinsfile`.
#[must_use]
pub fn default_home() -> Option<PathBuf> {
    if let Some(data) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(data).join("jenkinsfile"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(".local/share/jenkinsfile"))
}

/// The job name for a Jenkinsfile: the name of its git repository's root directory, else of
/// the directory holding it.
#[must_use]
pub fn job_name_for(jenkinsfile: &Path, git: Option<&GitInfo>) -> String {
    let dir = git.map(|g| g.root.clone()).or_else(|| {
        let absolute = std::path::absolute(jenkinsfile).ok()?;
        absolute.parent().map(Path::to_path_buf)
    });
    dir.as_deref().and_then(Path::file_name).map_or_else(
        || "job".to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// One job in the build home.
#[derive(Clone, Debug)]
pub struct Job {
    /// The build home (`JENKINS_HOME`).
    pub home: PathBuf,
    /// Full name, `/` between folders (`JOB_NAME`).
    pub name: String,
    /// `<home>/jobs/<job>`.
    pub dir: PathBuf,
}

/// A build that has its number and its record directory.
#[derive(Clone, Debug)]
pub struct Build {
    pub number: u64,
    /// `<home>/jobs/<job>/builds/<N>`.
    pub dir: PathBuf,
}

impl Build {
    #[must_use]
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("log")
    }

    #[must_use]
    pub fn record_path(&self) -> PathBuf {
        self.dir.join("build.json")
    }

    #[must_use]
    pub fn archive_dir(&self) -> PathBuf {
        self.dir.join("archive")
    }
}

impl Job {
    /// The job `name` in `home`. Names are `/`-separated folder paths; empty, `.` and `..`
    /// segments are refused.
    pub fn new(home: &Path, name: &str) -> Result<Self, String> {
        let mut dir = home.to_path_buf();
        for segment in name.split('/') {
            if segment.is_empty() || segment == "." || segment == ".." || segment.contains('\\') {
                return Err(format!(
                    "invalid job name `{name}`: use folder/name with plain segments"
                ));
            }
            dir.push("jobs");
            dir.push(segment);
        }
        Ok(Self {
            home: home.to_path_buf(),
            name: name.to_owned(),
            dir,
        })
    }

    /// `JOB_BASE_NAME`: the last segment.
    #[must_use]
    pub fn base_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    #[must_use]
    pub fn builds_dir(&self) -> PathBuf {
        self.dir.join("builds")
    }

    /// Takes the next build number and creates its record directory. Holds the job's lock
    /// while doing so; `nextBuildNumber` is read and written as Jenkins does, and a number
    /// whose directory already exists is skipped.
    pub fn next_build(&self) -> io::Result<Build> {
        std::fs::create_dir_all(self.builds_dir())?;
        let _lock = JobLock::acquire(&self.dir.join(".lock"))?;
        let counter = self.dir.join("nextBuildNumber");
        let mut number = self.counter();
        loop {
            let dir = self.builds_dir().join(number.to_string());
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    std::fs::write(&counter, format!("{}\n", number + 1))?;
                    return Ok(Build { number, dir });
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => number += 1,
                Err(err) => return Err(err),
            }
        }
    }

    /// `nextBuildNumber`, as Jenkins reads it (1 when absent or unreadable).
    fn counter(&self) -> u64 {
        std::fs::read_to_string(self.dir.join("nextBuildNumber"))
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(1)
    }

    /// The build [`Job::next_build`] would take now, without taking it: nothing is created
    /// or locked (`plan` shows the variables of the build a `run` would start).
    #[must_use]
    pub fn peek_next_build(&self) -> Build {
        let mut number = self.counter();
        while self.builds_dir().join(number.to_string()).exists() {
            number += 1;
        }
        Build {
            number,
            dir: self.builds_dir().join(number.to_string()),
        }
    }

    /// The workspace for a build: `workspace`, or `workspace@2`, `@3`, … while another build
    /// holds the first (Jenkins' `WorkspaceList`). The lease holds it until dropped.
    pub fn lease_workspace(&self) -> io::Result<WorkspaceLease> {
        WorkspaceLease::acquire(&self.dir)
    }

    /// The record of the latest build before `number` that has one (`currentBuild.previousBuild`).
    #[must_use]
    pub fn previous_build(&self, number: u64) -> Option<BuildRecord> {
        self.previous_builds(number).into_iter().next()
    }

    /// Every earlier build's record, newest first (builds without a record are left out).
    #[must_use]
    pub fn previous_builds(&self, number: u64) -> Vec<BuildRecord> {
        let Ok(entries) = std::fs::read_dir(self.builds_dir()) else {
            return Vec::new();
        };
        let mut numbers: Vec<u64> = entries
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
            .filter(|n| *n < number)
            .collect();
        numbers.sort_unstable();
        numbers
            .into_iter()
            .rev()
            .filter_map(|n| {
                BuildRecord::read(&self.builds_dir().join(n.to_string()).join("build.json")).ok()
            })
            .collect()
    }
}
