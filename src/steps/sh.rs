//! `sh`, as durable-task runs it (runtime-semantics.md §1): the script is written verbatim to
//! `<cwd>@tmp/durable-<8 hex>/script.sh.copy` and run as
//! `sh -xe <copy>` (or directly when it starts with `#!`). stdout and stderr share one pipe,
//! so the `-x` trace and the output interleave in true order, and each line is emitted as soon
//! as it is complete. Each script runs in its own process group; cancelling the step kills the
//! whole group (SIGTERM, then SIGKILL), so background grandchildren die too.

mod agent;
mod group;
mod lines;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash, Hasher};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncReadExt;
use tokio::process::Command;

use self::group::GroupGuard;
use self::lines::Lines;
use super::args::{bool_or, optional_str, required_str};
use super::encoding::Charset;
use super::files::tmp_dir;
use super::{Args, StepContext, StepError, StepFuture};

pub use self::group::kill_leftovers;

/// How long a process group gets between SIGTERM and SIGKILL when a step is cancelled.
const KILL_GRACE: Duration = Duration::from_secs(3);

/// How long output from background processes is still read after the script itself exited.
const DRAIN_GRACE: Duration = Duration::from_millis(200);

pub(crate) fn sh(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(run(ctx, args))
}

/// The parsed arguments of one `sh` call.
struct ShArgs {
    script: String,
    return_stdout: bool,
    return_status: bool,
    charset: Charset,
}

impl ShArgs {
    fn parse(args: &Args) -> Result<Self, StepError> {
        Ok(Self {
            script: required_str("sh", args, "script")?,
            return_stdout: bool_or("sh", args, "returnStdout", false)?,
            return_status: bool_or("sh", args, "returnStatus", false)?,
            charset: Charset::named(optional_str("sh", args, "encoding")?.as_deref())?,
        })
        // `label` only names the step in the stage view; it is never printed (§1.3).
    }
}

async fn run(ctx: &StepContext, args: Args) -> Result<Value, StepError> {
    let args = ShArgs::parse(&args)?;
    if let Some(path) = ctx.env.get("PATH").filter(|p| p.contains("$PATH")) {
        ctx.emit.log(format!(
            "Warning: JENKINS-41339 probably bogus PATH={path}; perhaps you meant to use \u{2018}PATH+EXTRA=/something/bin\u{2019}?"
        ));
    }
    if args.script.is_empty() {
        ctx.emit.log("Warning: was asked to run an empty script");
    }
    let control = prepare(&ctx.cwd, &args.script)?;
    let result = match ctx.agent.clone() {
        Some(agent) => self::agent::execute(ctx, &*agent, &args, &control).await,
        None => execute(ctx, &args, &control).await,
    };
    // The control directory goes away with the step, as in Jenkins; a leftover is harmless.
    let _ = std::fs::remove_dir_all(&control);
    result
}

/// Creates the current directory (Jenkins' `cwd.mkdirs()`) and the control directory with
/// the script in it. Returns the control directory. Jenkins writes `script.sh` and runs a copy,
/// `script.sh.copy` (to dodge "Text file busy"); only the copy is ever run or named (`$0`), so
/// only the copy is written: each file created and deleted costs measurably per step. Done
/// synchronously: a few small local file operations, cheaper than a blocking-thread handoff.
fn prepare(cwd: &Path, script: &str) -> Result<PathBuf, StepError> {
    let io = |err: std::io::Error| StepError::failure(format!("java.io.IOException: {err}"));
    std::fs::create_dir_all(cwd).map_err(io)?;
    let control = tmp_dir(cwd).join(format!("durable-{}", random_hex8()));
    std::fs::create_dir_all(&control).map_err(io)?;
    let copy = control.join("script.sh.copy");
    std::fs::write(&copy, script.as_bytes()).map_err(io)?;
    if script.starts_with("#!") {
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).map_err(io)?;
    }
    Ok(control)
}

/// The `sh` on the step's `PATH`, as the agent would resolve it; remembered per `PATH` value,
/// since looking it up costs a failed `exec` per directory before it.
fn shell(path_var: Option<&str>) -> PathBuf {
    static CACHE: Mutex<Option<(String, PathBuf)>> = Mutex::new(None);
    let path_var = path_var.unwrap_or("/usr/bin:/bin");
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((cached_for, shell)) = cache.as_ref()
        && cached_for == path_var
    {
        return shell.clone();
    }
    let found = path_var
        .split(':')
        .filter(|dir| !dir.is_empty())
        .map(|dir| Path::new(dir).join("sh"))
        .find(|candidate| candidate.is_file())
        // Not found: let the spawn fail with the system's own error.
        .unwrap_or_else(|| PathBuf::from("sh"));
    *cache = Some((path_var.to_owned(), found.clone()));
    found
}

async fn execute(ctx: &StepContext, args: &ShArgs, control: &Path) -> Result<Value, StepError> {
    let copy = control.join("script.sh.copy");
    let mut command = if args.script.starts_with("#!") {
        Command::new(&copy)
    } else {
        let mut command = Command::new(shell(ctx.env.get("PATH").map(String::as_str)));
        command.arg("-xe").arg(&copy);
        command
    };
    let (reader, writer) = std::io::pipe().map_err(spawn_error)?;
    let stdout = if args.return_stdout {
        Stdio::piped()
    } else {
        Stdio::from(writer.try_clone().map_err(spawn_error)?)
    };
    command
        .current_dir(&ctx.cwd)
        .env_clear()
        .envs(&ctx.env)
        .env("JENKINS_SERVER_COOKIE", server_cookie(&ctx.host.workspace))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::from(writer))
        .process_group(0);
    self::group::remember_cookie(ctx.env.iter());
    let mut child = command.spawn().map_err(spawn_error)?;
    // The command still holds the parent's copies of the pipe's write end; drop them now, or
    // the reader never sees end-of-file.
    drop(command);
    let guard = GroupGuard::new(child.id());

    let mut lines = Lines::new(reader).map_err(spawn_error)?;
    let mut captured = child.stdout.take();
    let capture = async move {
        let mut bytes = Vec::new();
        if let Some(stdout) = captured.as_mut() {
            // A read error leaves what was read so far; the exit code still decides the step.
            let _ = stdout.read_to_end(&mut bytes).await;
        }
        bytes
    };

    let waited = async {
        let (status, bytes) = tokio::join!(child.wait(), capture);
        (status, bytes)
    };
    tokio::pin!(waited);
    let mut cancelled = None;
    let mut lines_open = true;
    let (status, bytes) = loop {
        tokio::select! {
            line = lines.next(), if lines_open => match line {
                Some(bytes) => ctx.emit.output(args.charset.decode(&bytes)),
                None => lines_open = false,
            },
            done = &mut waited => break done,
            reason = ctx.cancel.cancelled(), if cancelled.is_none() => {
                ctx.emit.log("Sending interrupt signal to process");
                guard.terminate();
                cancelled = Some(reason);
                let ended = tokio::time::timeout(KILL_GRACE, &mut waited).await;
                guard.kill();
                if let Ok(done) = ended {
                    break done;
                }
            }
        }
    };
    // Output still in flight from the script, and for a short while from background
    // processes that inherited the pipe.
    let deadline = tokio::time::sleep(DRAIN_GRACE);
    tokio::pin!(deadline);
    while lines_open {
        tokio::select! {
            line = lines.next() => match line {
                Some(bytes) => ctx.emit.output(args.charset.decode(&bytes)),
                None => lines_open = false,
            },
            () = &mut deadline => break,
        }
    }
    if cancelled.is_some() {
        guard.kill();
    } else {
        guard.leave_running();
    }
    if let Some(reason) = cancelled {
        return Err(StepError::interrupted(&*reason));
    }
    let code = exit_code(status.map_err(spawn_error)?);
    finish(ctx, args, code, &bytes)
}

/// The step's value from a finished script's exit code and captured stdout, on any agent:
/// the status, the stdout as captured, or Jenkins' error for a non-zero exit.
fn finish(ctx: &StepContext, args: &ShArgs, code: i32, stdout: &[u8]) -> Result<Value, StepError> {
    let stdout = args.charset.decode(stdout);
    if args.return_status {
        return Ok(Value::from(code));
    }
    if code != 0 {
        if args.return_stdout && !stdout.is_empty() {
            ctx.emit.output(stdout);
        }
        return Err(StepError::abort(format!(
            "script returned exit code {code}"
        )));
    }
    if args.return_stdout {
        Ok(Value::String(stdout))
    } else {
        Ok(Value::Null)
    }
}

/// The exit code, or 128 + N when a signal ended the script (SIGTERM → 143), as a shell
/// reports it.
fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|signal| 128 + signal))
        .unwrap_or(-1)
}

#[cold]
fn spawn_error(err: std::io::Error) -> StepError {
    StepError::failure(format!(
        "java.io.IOException: Cannot run program \"sh\": {err}"
    ))
}

/// Eight random hex digits for the control directory's name.
fn random_hex8() -> String {
    let mut hasher = RandomState::new().build_hasher();
    std::time::SystemTime::now().hash(&mut hasher);
    std::process::id().hash(&mut hasher);
    format!("{:08x}", hasher.finish() as u32)
}

/// `durable-<hash of the workspace path>`: stable for one workspace, like Jenkins' cookie.
fn server_cookie(workspace: &Path) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    workspace.hash(&mut hasher);
    format!("durable-{:016x}", hasher.finish())
}
