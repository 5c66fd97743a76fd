//! The docker agent (runtime-semantics §8.1): one container per `inside` / docker agent,
//! started from the image with the workspace and `<ws>@tmp` mounted at the same paths, `-w`
//! the workspace, `-u` the invoking user's uid:gid, running `cat` on a TTY so it stays up.
//! Every process is a `docker exec` carrying only the variables that differ from both the
//! container's and this machine's own environment, never `PATH`. Cleanup is `stop --time=1`
//! then a forced remove with volumes; if the handle is dropped without cleanup (a panic, an
//! early exit), `Drop` removes the container on a thread of its own.

use std::fmt::Write as _;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use bollard::Docker;
use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    RemoveContainerOptionsBuilder, StopContainerOptionsBuilder, TopOptionsBuilder,
};
use futures_util::StreamExt;

use super::{Agent, ExecOutcome, ExecRequest, LocalFuture, drain_lines};
use crate::docker::{Error, RunArgs};

/// Jenkins' message when the container does not run `cat` (`WithContainerStep`).
pub const ENTRYPOINT_ERROR: &str = "ERROR: The container started but didn't run the expected command. Please double check your ENTRYPOINT does execute the command passed as docker run argument, as required by official docker images (see https://github.com/docker-library/official-images#consistency for entrypoint consistency requirements).\nAlternatively you can force image entrypoint to be disabled by adding option `--entrypoint=''`.";

/// The label every agent container carries: the workspace it mounts.
pub const WORKSPACE_LABEL: &str = "jenkinsfile.workspace";

/// What a container agent is started with.
#[derive(Clone, Debug)]
pub struct ContainerSpec {
    pub image: String,
    pub workspace: PathBuf,
    pub args: RunArgs,
    /// The user `args` as written, for the printed `docker run` line.
    pub args_text: String,
    /// `-e` variables for `docker run` (the step environment's difference, §8.1).
    pub env: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct DockerAgent {
    docker: Docker,
    id: String,
    workspace: PathBuf,
    /// The container's own environment (image `ENV` plus `-e`), compared against on exec.
    own_env: HashMap<String, String>,
    /// Cleanup has started (it runs once).
    cleaned: AtomicBool,
    /// The container is removed. Until then a drop removes it: cleanup may be dropped in
    /// the middle of `stop` by a second Ctrl-C.
    removed: AtomicBool,
}

impl DockerAgent {
    /// Creates and starts the container, printing Jenkins' `$ docker run …` and
    /// `$ docker top …` lines through `log`.
    ///
    /// # Errors
    /// The engine refused the container or went away.
    pub async fn start(
        docker: Docker,
        spec: &ContainerSpec,
        log: &mut dyn FnMut(String),
    ) -> Result<Self, Error> {
        let ws = spec.workspace.display().to_string();
        let tmp = format!("{ws}@tmp");
        // The `@tmp` directory holds `sh`'s control files. It is made here, by this user:
        // left to the engine's bind mount it would be created owned by root.
        make_tmp(&tmp)?;
        // Jenkins prints the host uid first; a `-u` in the args comes later and wins, and
        // `RunArgs::apply` below adds the args' user, binds and `-e` entries exactly once.
        let user = host_user();
        let binds = vec![format!("{ws}:{ws}:rw,z"), format!("{tmp}:{tmp}:rw,z")];
        let env: Vec<String> = spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut line = format!("$ docker run -t -d -u {user}");
        if !spec.args_text.trim().is_empty() {
            line.push(' ');
            line.push_str(spec.args_text.trim());
        }
        let _ = write!(line, " -w {ws} -v {ws}:{ws}:rw,z -v {tmp}:{tmp}:rw,z");
        for _ in &env {
            line.push_str(" -e ********");
        }
        let _ = write!(line, " {} cat", spec.image);
        log(line);
        for note in spec.args.agent_notes() {
            log(note);
        }
        let mut body = ContainerCreateBody {
            image: Some(spec.image.clone()),
            cmd: Some(vec!["cat".to_string()]),
            tty: Some(true),
            user: Some(user),
            working_dir: Some(ws.clone()),
            env: Some(env),
            host_config: Some(HostConfig {
                binds: Some(binds),
                ..HostConfig::default()
            }),
            ..ContainerCreateBody::default()
        };
        spec.args.apply(&mut body);
        // Not on the printed line (Jenkins sets no label): lets a check of the engine find
        // every container a build made, logged or not.
        body.labels
            .get_or_insert_with(HashMap::new)
            .insert(WORKSPACE_LABEL.to_string(), ws.clone());
        // The user's `-w` comes before Jenkins' own `-w <workspace>`, which wins.
        body.working_dir = Some(ws.clone());
        let options = spec.args.create_options();
        let created = docker
            .create_container(options, body)
            .await
            .map_err(|e| Error::engine("run", &e))?;
        let mut agent = Self {
            docker,
            id: created.id,
            workspace: spec.workspace.clone(),
            own_env: HashMap::new(),
            cleaned: AtomicBool::new(false),
            removed: AtomicBool::new(false),
        };
        // From here on the container exists: a failure to bring it up removes it here, with
        // the cleanup lines in the log.
        match agent.boot(log).await {
            Ok(()) => Ok(agent),
            Err(e) => {
                agent.remove(log).await;
                Err(e)
            }
        }
    }

    /// Starts the created container, checks it runs `cat` and reads its environment.
    async fn boot(&mut self, log: &mut dyn FnMut(String)) -> Result<(), Error> {
        let agent = self;
        agent
            .docker
            .start_container(&agent.id, None)
            .await
            .map_err(|e| Error::engine("run", &e))?;
        log(format!("$ docker top {} -eo pid,comm", agent.id));
        agent.check_command(log).await?;
        let inspected = agent
            .docker
            .inspect_container(&agent.id, None)
            .await
            .map_err(|e| Error::engine("inspect", &e))?;
        agent.own_env = inspected
            .config
            .and_then(|c| c.env)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
        Ok(())
    }

    /// Jenkins' check that the container runs `cat` (`docker top <id> -eo pid,comm`): when
    /// it does not, the image's ENTRYPOINT ignored the command, which Jenkins reports as an
    /// error and carries on from (the body's steps then run through exec as usual). A
    /// container that is no longer running fails, as `docker top` does there.
    async fn check_command(&self, log: &mut dyn FnMut(String)) -> Result<(), Error> {
        let options = TopOptionsBuilder::default().ps_args("-eo pid,comm").build();
        let top = self.docker.top_processes(&self.id, Some(options)).await;
        let top = match top {
            Ok(top) => top,
            Err(e) => {
                let cause = if self.has_stopped().await {
                    format!("Container {} is not running", self.id)
                } else {
                    crate::docker::root_cause(&e)
                };
                return Err(Error::Engine {
                    during: "top".into(),
                    reason: format!("Failed to run top '{}'. Error: {cause}", self.id),
                });
            }
        };
        let runs_cat = top
            .processes
            .unwrap_or_default()
            .iter()
            .any(|row| row.last().is_some_and(|comm| comm == "cat"));
        if !runs_cat {
            for line in ENTRYPOINT_ERROR.lines() {
                log(line.to_string());
            }
        }
        Ok(())
    }

    /// Whether the container has ended. A container dying while the engine talks to it
    /// fails calls with transport errors (`ttrpc: closed`) instead of "is not running";
    /// asking the engine afterwards tells the two apart.
    /// The engine may still report the dying container as running for a moment after the
    /// failed call, so it is asked a few times (this runs only on an error path).
    async fn has_stopped(&self) -> bool {
        for _ in 0..10 {
            match self.docker.inspect_container(&self.id, None).await {
                Ok(c) => match c.state.and_then(|s| s.running) {
                    Some(false) => return true,
                    Some(true) => {
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    None => return false,
                },
                Err(_) => return false,
            }
        }
        false
    }

    /// An exec that failed to start, worded as the engine words a stopped container when
    /// the container has in fact stopped.
    async fn exec_error(&self, e: &bollard::errors::Error) -> Error {
        if self.has_stopped().await {
            Error::Engine {
                during: "exec".into(),
                reason: format!("Container {} is not running", self.id),
            }
        } else {
            Error::engine("exec", e)
        }
    }

    /// The container id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The variables `docker exec` passes: those that differ from the container's own and
    /// from this machine's environment, never `PATH` (§3.5).
    fn exec_env(&self, env: &[(String, String)]) -> Vec<String> {
        env.iter()
            .filter(|(k, _)| k != "PATH")
            .filter(|(k, v)| self.own_env.get(k) != Some(v))
            .filter(|(k, v)| std::env::var(k).ok().as_ref() != Some(v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }

    async fn run_exec(
        &self,
        request: ExecRequest,
        line: &mut dyn FnMut(&[u8]),
        cancel: LocalFuture<'_, ()>,
    ) -> Result<ExecOutcome, Error> {
        let cwd = request.cwd.display().to_string();
        // Jenkins' durable task writes stdout and stderr to one log file, so `+ cmd` traces
        // and output keep their order. The engine multiplexes two pipes, which it reads
        // independently; joining them in the container keeps one ordered stream.
        let argv = if request.capture_stdout {
            request.argv.clone()
        } else {
            let mut merged: Vec<String> = ["sh", "-c", "exec \"$@\" 2>&1", "sh"]
                .into_iter()
                .map(str::to_string)
                .collect();
            merged.extend(request.argv.iter().cloned());
            merged
        };
        let options = CreateExecOptions {
            cmd: Some(argv),
            env: Some(self.exec_env(&request.env)),
            working_dir: Some(cwd),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            tty: Some(false),
            ..CreateExecOptions::default()
        };
        let exec = match self.docker.create_exec(&self.id, options).await {
            Ok(exec) => exec,
            Err(e) => return Err(self.exec_error(&e).await),
        };
        let started = match self.docker.start_exec(&exec.id, None).await {
            Ok(started) => started,
            Err(e) => return Err(self.exec_error(&e).await),
        };
        let StartExecResults::Attached { mut output, .. } = started else {
            return Err(Error::Engine {
                during: "exec".into(),
                reason: "the engine detached the exec".into(),
            });
        };
        let mut pending = Vec::new();
        let mut stdout = Vec::new();
        tokio::pin!(cancel);
        loop {
            tokio::select! {
                item = output.next() => match item {
                    Some(Ok(chunk)) => {
                        use bollard::container::LogOutput;
                        match chunk {
                            LogOutput::StdOut { message } if request.capture_stdout => {
                                stdout.extend_from_slice(&message);
                            }
                            LogOutput::StdOut { message }
                            | LogOutput::StdErr { message }
                            | LogOutput::Console { message } => {
                                pending.extend_from_slice(&message);
                                drain_lines(&mut pending, line);
                            }
                            LogOutput::StdIn { .. } => {}
                        }
                    }
                    Some(Err(e)) => return Err(Error::engine("exec", &e)),
                    None => break,
                },
                () = &mut cancel => {
                    self.interrupt(&exec.id).await;
                    if !pending.is_empty() {
                        line(&pending);
                    }
                    return Ok(ExecOutcome { code: None, stdout });
                }
            }
        }
        if !pending.is_empty() {
            line(&pending);
        }
        let inspected = self
            .docker
            .inspect_exec(&exec.id)
            .await
            .map_err(|e| Error::engine("exec", &e))?;
        let code = inspected
            .exit_code
            .and_then(|c| i32::try_from(c).ok())
            .unwrap_or(-1);
        Ok(ExecOutcome {
            code: Some(code),
            stdout,
        })
    }

    /// Sends SIGTERM to the exec's process (the engine reports its host pid); the container
    /// itself is stopped by cleanup, which ends anything it left behind.
    async fn interrupt(&self, exec_id: &str) {
        let Ok(inspected) = self.docker.inspect_exec(exec_id).await else {
            return;
        };
        if let Some(pid) = inspected
            .pid
            .and_then(|p| i32::try_from(p).ok())
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
    }

    async fn remove(&self, log: &mut dyn FnMut(String)) {
        if self.cleaned.swap(true, Ordering::SeqCst) {
            return;
        }
        log(format!("$ docker stop --time=1 {}", self.id));
        let stop = StopContainerOptionsBuilder::default().t(1).build();
        let _ = self.docker.stop_container(&self.id, Some(stop)).await;
        log(format!("$ docker rm -f --volumes {}", self.id));
        let rm = RemoveContainerOptionsBuilder::default()
            .force(true)
            .v(true)
            .build();
        if let Err(e) = self.docker.remove_container(&self.id, Some(rm)).await {
            log(format!(
                "WARNING: could not remove container {}: {}",
                self.id,
                Error::engine("rm", &e)
            ));
        }
        self.removed.store(true, Ordering::SeqCst);
    }
}

impl Agent for DockerAgent {
    fn workspace(&self) -> &Path {
        &self.workspace
    }

    fn exec<'a>(
        &'a self,
        request: ExecRequest,
        line: &'a mut dyn FnMut(&[u8]),
        cancel: LocalFuture<'a, ()>,
    ) -> LocalFuture<'a, Result<ExecOutcome, Error>> {
        Box::pin(self.run_exec(request, line, cancel))
    }

    fn cleanup<'a>(&'a self, log: &'a mut dyn FnMut(String)) -> LocalFuture<'a, ()> {
        Box::pin(self.remove(log))
    }
}

impl Drop for DockerAgent {
    fn drop(&mut self) {
        if self.removed.swap(true, Ordering::SeqCst) {
            return;
        }
        // Dropped without cleanup: remove the container on a runtime of its own, since this
        // may run inside (or after) the build's runtime.
        let docker = self.docker.clone();
        let id = self.id.clone();
        let worker = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let rm = RemoveContainerOptionsBuilder::default()
                    .force(true)
                    .v(true)
                    .build();
                let _ = docker.remove_container(&id, Some(rm)).await;
            });
        });
        let _ = worker.join();
    }
}

/// Creates `<ws>@tmp`, naming it and the reason when that fails.
fn make_tmp(tmp: &str) -> Result<(), Error> {
    std::fs::create_dir_all(tmp).map_err(|e| Error::TmpDir {
        path: tmp.to_string(),
        reason: e.to_string(),
    })
}

/// `uid:gid` of this process, as Jenkins passes the agent user's ids.
fn host_user() -> String {
    format!(
        "{}:{}",
        rustix::process::getuid().as_raw(),
        rustix::process::getgid().as_raw()
    )
}

#[cfg(test)]
mod tests {
    use super::make_tmp;

    #[test]
    fn an_uncreatable_tmp_dir_is_named_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        // A regular file where the parent directory should be: fails even for root.
        let file = dir.path().join("ws");
        std::fs::write(&file, "").unwrap();
        let tmp = format!("{}/inner@tmp", file.display());
        let err = make_tmp(&tmp).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("cannot create {tmp}: Not a directory (os error 20)")
        );
        assert!(
            err.with_hint().contains("before `docker run`"),
            "{}",
            err.with_hint()
        );
        let ok = format!("{}/ws2@tmp", dir.path().display());
        make_tmp(&ok).unwrap();
        assert!(std::path::Path::new(&ok).is_dir());
    }
}
