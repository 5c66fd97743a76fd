//! One git command in the workspace, as the git client plugin's `CliGitAPIImpl.launchCommand`
//! runs it: echoed as ` > git … # timeout=10`, limited to ten minutes, and killed with its
//! whole process group when the step is cancelled (timeout, abort) or the limit passes, so
//! that no `git-remote-http` or `ssh` holding a password outlives it.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::steps::{StepContext, StepError};

/// The git client's default command timeout, in minutes (`# timeout=10` in every echo).
pub(crate) const TIMEOUT_MINUTES: u64 = 10;

/// git in one directory, with the credentials' environment.
pub(crate) struct Git<'a> {
    pub ctx: &'a StepContext,
    pub dir: &'a Path,
    pub env: &'a [(String, String)],
}

impl Git<'_> {
    /// Echoes and runs a command that must succeed.
    pub(crate) async fn run(&self, args: &[&str]) -> Result<(), StepError> {
        self.checked(args).await.map(drop)
    }

    /// Echoes and runs a command that must succeed; returns its stdout.
    pub(crate) async fn checked(&self, args: &[&str]) -> Result<String, StepError> {
        self.checked_within(args, TIMEOUT_MINUTES).await
    }

    /// [`Git::checked`] with another limit (`CloneOption`'s `timeout`, in minutes).
    pub(crate) async fn checked_within(
        &self,
        args: &[&str],
        minutes: u64,
    ) -> Result<String, StepError> {
        self.echo_within(args, minutes);
        let output = self.spawn(args, minutes).await?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            // The git client's GitException: the command, its status, and what git said.
            Err(StepError::abort(format!(
                "Command \"git {}\" returned status code {}:\nstdout: {}\nstderr: {}",
                args.join(" "),
                output.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&output.stdout).trim_end(),
                String::from_utf8_lossy(&output.stderr).trim_end(),
            )))
        }
    }

    /// Echoes and runs a command whose failure is an answer (`rev-parse` of a ref that may
    /// not exist): its stdout on success, `None` otherwise.
    pub(crate) async fn probe(&self, args: &[&str]) -> Result<Option<String>, StepError> {
        self.echo(args);
        let output = self.spawn(args, TIMEOUT_MINUTES).await?;
        Ok(output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
    }

    /// Runs a command without echoing it: the plugin reads these through `JGit` (commit
    /// times, the commit message), so they are not in its log either.
    pub(crate) async fn quiet(&self, args: &[&str]) -> Result<String, StepError> {
        let output = self.spawn(args, TIMEOUT_MINUTES).await?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(StepError::abort(format!("git {} failed", args.join(" "))))
        }
    }

    pub(crate) fn echo(&self, args: &[&str]) {
        self.echo_within(args, TIMEOUT_MINUTES);
    }

    fn echo_within(&self, args: &[&str], minutes: u64) {
        self.ctx
            .emit
            .log(format!(" > git {} # timeout={minutes}", args.join(" ")));
    }

    async fn spawn(&self, args: &[&str], minutes: u64) -> Result<std::process::Output, StepError> {
        let mut command = tokio::process::Command::new("git");
        if !self.env.is_empty() {
            // With a credentialsId, no credential helper of the user's may answer instead of
            // it, nor store the password it gave (`credential.helper=store` writes
            // `~/.git-credentials`): an empty value resets git's list of helpers.
            command.args(["-c", "credential.helper="]);
        }
        command
            .arg("-C")
            .arg(self.dir)
            .args(args)
            .env_clear()
            .envs(&self.ctx.env)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .process_group(0);
        let io = |e: std::io::Error| {
            StepError::failure(format!("java.io.IOException: cannot run git: {e}"))
        };
        let child = command.spawn().map_err(io)?;
        // git's helpers (`git-remote-http`, ssh) carry the password in their environment:
        // cancelling kills all of them, not git alone.
        let group = Group::of(child.id());
        let limit = Duration::from_secs(minutes.saturating_mul(60));
        tokio::select! {
            output = child.wait_with_output() => {
                group.disarm();
                output.map_err(io)
            }
            reason = self.ctx.cancel.cancelled() => Err(StepError::interrupted(&*reason)),
            () = tokio::time::sleep(limit) => Err(StepError::abort(format!(
                "Command \"git {}\" timed out after {minutes} minutes",
                args.join(" ")
            ))),
        }
    }
}

/// The process group of one git command, killed when dropped before [`Group::disarm`].
struct Group(Option<rustix::process::Pid>);

impl Group {
    fn of(pid: Option<u32>) -> Self {
        Self(
            pid.and_then(|raw| i32::try_from(raw).ok())
                .and_then(rustix::process::Pid::from_raw),
        )
    }

    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(pgid) = self.0 {
            // ESRCH (the group is already gone) is the outcome we want.
            let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL);
        }
    }
}
