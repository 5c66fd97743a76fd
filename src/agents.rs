//! Where a step's processes run. Without an agent handle, `sh` runs on this machine (the host
//! path in `steps/sh.rs`, unchanged); inside a docker agent it goes through [`Agent::exec`].
//! The interpreter only sees the [`Agent`] trait; backends live in one file each. This module
//! never imports `eval` or `steps`.

pub mod docker;

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// A future local to the interpreter's thread.
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A handle the interpreter carries in its dynamic state and steps find on their context.
pub type AgentHandle = Arc<dyn Agent>;

/// One process to run on the agent.
#[derive(Clone, Debug)]
pub struct ExecRequest {
    pub argv: Vec<String>,
    /// The working directory, a path the agent sees (the workspace is mounted at its own path).
    pub cwd: PathBuf,
    /// The step's effective environment; the agent decides what of it to pass (§3.5).
    pub env: Vec<(String, String)>,
    /// Keep stdout apart (`returnStdout`) instead of streaming it with stderr.
    pub capture_stdout: bool,
}

/// How a process ended.
#[derive(Clone, Debug, Default)]
pub struct ExecOutcome {
    /// The exit code (128 + N for a signal, as a shell reports it); `None` when cancelled.
    pub code: Option<i32>,
    /// stdout, when it was captured.
    pub stdout: Vec<u8>,
}

/// Where and how steps run: a container today, the host through `steps/sh.rs`.
pub trait Agent: fmt::Debug + Send + Sync {
    /// The workspace as the agent sees it.
    fn workspace(&self) -> &Path;

    /// Runs `request`, handing each complete output line (with its newline) to `line`,
    /// until it ends or `cancel` completes.
    fn exec<'a>(
        &'a self,
        request: ExecRequest,
        line: &'a mut dyn FnMut(&[u8]),
        cancel: LocalFuture<'a, ()>,
    ) -> LocalFuture<'a, Result<ExecOutcome, crate::docker::Error>>;

    /// Releases the agent (stops and removes the container), printing what it does through
    /// `log`. Safe to call twice.
    fn cleanup<'a>(&'a self, log: &'a mut dyn FnMut(String)) -> LocalFuture<'a, ()>;
}

/// Splits `buf` into complete lines for `line`, keeping an unfinished tail in `buf`.
pub(crate) fn drain_lines(buf: &mut Vec<u8>, line: &mut dyn FnMut(&[u8])) {
    while let Some(end) = buf.iter().position(|&b| b == b'\n') {
        line(&buf[..=end]);
        buf.drain(..=end);
    }
}
