//! `jenkinsfile builds`: the past builds of a job, newest first, from their `build.json`.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::Exit;
use super::output::Output;
use crate::report::timespan;

/// Which job in which home (shared with `log`).
#[derive(clap::Args)]
pub(super) struct JobArgs {
    /// Build home [default: `$XDG_DATA_HOME/jenkinsfile` or `~/.local/share/jenkinsfile`]
    #[arg(long, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// Job name [default: the git repository's directory name, else the current directory's]
    #[arg(long, value_name = "NAME")]
    pub job: Option<String>,
}

impl JobArgs {
    /// The job, or a usage message.
    pub(super) fn job(&self) -> Result<crate::home::Job, String> {
        let home = self
            .home
            .clone()
            .or_else(crate::home::default_home)
            .ok_or("no build home: set --home DIR (neither XDG_DATA_HOME nor HOME is set)")?;
        let name = self.job.clone().unwrap_or_else(|| {
            let cwd = std::env::current_dir().unwrap_or_default();
            let git = crate::home::GitInfo::discover(&cwd);
            crate::home::job_name_for(&cwd.join("Jenkinsfile"), git.as_ref())
        });
        crate::home::Job::new(&home, &name)
    }
}

#[derive(clap::Args)]
#[command(
    about = "List a job's past builds: number, result, duration and commit",
    after_long_help = "Exit status:\n  0  success (also when there are no builds)\n  2  usage error"
)]
pub(super) struct Args {
    #[command(flatten)]
    job: JobArgs,
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let job = match args.job.job() {
        Ok(job) => job,
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    let records = job.previous_builds(u64::MAX);
    if records.is_empty() {
        out.note(&format!(
            "no builds of job `{}` in {}",
            job.name,
            job.home.display()
        ));
        return Exit::Success;
    }
    let mut text = format!(
        "{:<7} {:<10} {:<12} COMMIT\n",
        "BUILD", "RESULT", "DURATION"
    );
    for record in records {
        let commit = record
            .git_commit
            .as_deref()
            .map_or("-", |c| c.get(..12).unwrap_or(c));
        let _ = writeln!(
            text,
            "{:<7} {:<10} {:<12} {commit}",
            format!("#{}", record.number),
            record.result,
            timespan(record.duration_ms),
        );
    }
    out.print(&text);
    Exit::Success
}
