//! Leaf step executors (`sh`, `echo`, `writeFile`, …) and the one table that names them.
//!
//! The interpreter (`eval`) binds a call's arguments to parameter names, converts them to
//! JSON, looks the executor up with [`lookup`] and awaits it with a [`StepContext`]. Steps with
//! a body (`node`, `stage`, `dir`, `withEnv`, …) belong to the interpreter, not here. This
//! module never imports `eval`.

pub(crate) mod ant;
pub(crate) mod archive;
mod args;
mod basic;
pub(crate) mod build;
mod cancel;
mod changelog;
mod digest;
mod encoding;
mod files;
mod files_util;
pub(crate) mod generic_step;
mod git;
mod input;
mod json_yaml;
pub(crate) mod junit;
mod milestone;
mod notify;
pub mod parameter;
pub(crate) mod safety;
pub(crate) mod scm;
mod sh;
pub(crate) mod shell_windows;
pub(crate) mod stash;
mod stash_tree;
mod tool;
mod validate_declarative;
mod zip;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::report::{BuildResult, Emitter};

pub use self::args::summary;
pub use self::cancel::Cancel;
pub use self::changelog::ChangeLog;
pub use self::files::tmp_dir;
pub use self::input::{Answerer, FixedAnswer, InputAnswer, InputPolicy, InputRequest, ask};
pub use self::json_yaml::{parse_properties, parse_yaml};
pub use self::junit::{Counts, count_report};
pub use self::milestone::Milestones;
pub use self::safety::outside_workspace;
pub(crate) use self::safety::{canonical_prefix, lexical};
pub use self::scm::ScmSource;
pub use self::sh::kill_leftovers;
pub use self::stash::{StashOrigin, StashRetention, clear_stashes};
pub(crate) use self::stash_tree::copy_stashes;
/// Standard base64 (the `Base64` pseudo-charset of the file steps); kept here for callers of
/// the step layer.
pub use crate::report::base64_encode as base64;

/// A step's arguments by parameter name, positional ones already bound by the interpreter.
pub type Args = Map<String, Value>;

/// What an executor returns: a future local to the interpreter's thread.
pub type StepFuture<'a> = Pin<Box<dyn Future<Output = Result<Value, StepError>> + 'a>>;

/// A step executor. It prints through `ctx.emit` and returns the step's value as JSON
/// (`Value::Null` for steps that return nothing).
pub type Executor = for<'a> fn(&'a StepContext, Args) -> StepFuture<'a>;

/// Everything a step may use: where it runs, with which environment, where to print, and how
/// to notice that it must stop.
#[derive(Clone, Debug)]
pub struct StepContext {
    /// The current directory: the workspace, or the `dir(...)` path inside it. Absolute.
    pub cwd: PathBuf,
    /// The effective environment (runtime-semantics.md §3.2), in order. Passed to processes
    /// as it is; the interpreter has already applied `withEnv`, `env.X = …` and so on.
    pub env: IndexMap<String, String>,
    /// Where the step prints, bound to the current branch's source.
    pub emit: Emitter,
    /// Fires when the step must stop (timeout, failFast, Ctrl-C).
    pub cancel: Cancel,
    /// What stays fixed for the whole build.
    pub host: Arc<Host>,
    /// The container processes run in (`agent { docker … }`, `inside`); `None`: this machine.
    pub agent: Option<crate::agents::AgentHandle>,
}

/// The machine a build runs on (Jenkins' built-in node) and the build's fixed paths.
#[derive(Clone, Debug, Default)]
pub struct Host {
    /// The job's workspace (`WORKSPACE`).
    pub workspace: PathBuf,
    /// The build home (`JENKINS_HOME`).
    pub jenkins_home: PathBuf,
    /// This build's record directory, `jobs/<job>/builds/<N>/`.
    pub build_dir: PathBuf,
    /// The config's `[tools]` table: tool name to its home directory.
    pub tools: IndexMap<String, PathBuf>,
    /// The config files where `[tools]` was looked for, named when a tool is missing.
    pub tool_config: Vec<PathBuf>,
    /// Who answers `input`.
    pub input: InputPolicy,
    /// The job's SCM (`scm`, `checkout scm`): the user's repository, when there is one.
    pub scm: Option<ScmSource>,
    /// The build result as steps see it; a step may make it worse (`junit` → UNSTABLE).
    pub result: ResultCell,
    /// `preserveStashes(buildCount: N)`, once the options or `properties()` have set it.
    pub stash_retention: StashRetention,
    /// The credential store, for steps that take a `credentialsId` (`git`, `checkout`).
    pub credentials: Arc<crate::creds::Store>,
    /// `currentBuild.changeSets`, filled by the checkouts.
    pub changelog: ChangeLog,
    /// When the build started (ms since the epoch): `junit` counts only reports written
    /// since. 0: unknown, every report counts.
    pub build_started_ms: u64,
    /// The last `milestone` ordinal passed.
    pub milestones: Milestones,
    /// The build's workspaces: each `node` leases one (`workspace@2` while another holds
    /// the first). Off by default: every node shares `workspace`.
    pub workspaces: crate::home::WorkspaceList,
    /// Whose stashes this build started with (`--from-stage`).
    pub stash_origin: StashOrigin,
    /// Set when `ws()` or `customWorkspace` made the workspace a directory outside the build
    /// home (see `home::workspace_area`): it names that directory, and the steps that write
    /// or delete files refuse to work there.
    pub unconfined: Option<PathBuf>,
}

/// The build result shared between the interpreter and the steps: the interpreter writes it
/// before a step runs and reads it back after, so a step can read it (`onlyIfSuccessful`) and
/// worsen it (`junit`) without a channel of its own.
#[derive(Clone, Debug, Default)]
pub struct ResultCell(Arc<Mutex<Option<BuildResult>>>);

impl ResultCell {
    /// The current result (SUCCESS until something worsened it).
    #[must_use]
    pub fn get(&self) -> BuildResult {
        self.0
            .lock()
            .map_or(BuildResult::Success, |r| r.unwrap_or(BuildResult::Success))
    }

    /// Sets the result as the interpreter sees it before a step runs. It may be better than
    /// before: a declarative `post` condition shows its own result only while it runs.
    pub fn set(&self, r: BuildResult) {
        if let Ok(mut current) = self.0.lock() {
            *current = Some(r);
        }
    }

    /// Makes the result `r` or worse, never better.
    pub fn worsen(&self, r: BuildResult) {
        if let Ok(mut current) = self.0.lock() {
            *current = Some(current.unwrap_or(BuildResult::Success).max(r));
        }
    }
}

/// How a step failed, which decides how Jenkins prints it and what the build result becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `hudson.AbortException`: printed as `ERROR: <message>`, no stack trace; FAILURE.
    Abort,
    /// Any other exception (Jenkins prints a stack trace); FAILURE. The message is the
    /// exception's text, e.g. `java.nio.file.NoSuchFileException: /ws/f`.
    Failure,
    /// The step was stopped through its [`Cancel`] (timeout, abort, failFast); ABORTED. The
    /// message is the cancellation's reason.
    Interrupted,
    /// The step cannot run here (needs a Jenkins server, or another platform); FAILURE.
    Unsupported,
}

/// A failed step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepError {
    pub kind: ErrorKind,
    /// Jenkins' message, exactly (`script returned exit code 2`).
    pub message: String,
}

impl StepError {
    #[cold]
    #[must_use]
    pub fn abort(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Abort,
            message: message.into(),
        }
    }

    #[cold]
    #[must_use]
    pub fn failure(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Failure,
            message: message.into(),
        }
    }

    #[cold]
    #[must_use]
    pub fn interrupted(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Interrupted,
            message: message.into(),
        }
    }

    #[cold]
    #[must_use]
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Unsupported,
            message: message.into(),
        }
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StepError {}

/// Every leaf step this runtime executes, one line each, sorted by name.
pub const STEPS: &[(&str, Executor)] = &[
    ("archive", archive::archive),
    ("archiveArtifacts", archive::archive_artifacts),
    ("bat", shell_windows::bat),
    ("build", build::build),
    ("checkout", scm::checkout),
    ("cleanWs", files_util::clean_ws),
    ("deleteDir", files::delete_dir),
    ("echo", basic::echo),
    ("emailext", notify::emailext),
    ("error", basic::error),
    ("fileExists", files::file_exists),
    ("findFiles", files_util::find_files),
    ("git", git::git),
    ("input", input::input),
    ("isUnix", basic::is_unix),
    ("junit", junit::junit),
    ("mail", basic::mail),
    ("milestone", milestone::milestone),
    ("powershell", shell_windows::powershell),
    ("pwd", files::pwd),
    ("pwsh", shell_windows::pwsh),
    ("readFile", files::read_file),
    ("readJSON", json_yaml::read_json),
    ("readProperties", json_yaml::read_properties),
    ("readYaml", json_yaml::read_yaml),
    ("sh", sh::sh),
    ("sha256", files_util::sha256),
    ("slackSend", notify::slack_send),
    ("sleep", basic::sleep),
    ("stash", stash::stash),
    ("step", generic_step::step),
    ("tool", tool::tool),
    ("touch", files_util::touch),
    ("unstash", stash::unstash),
    ("unzip", zip::unzip),
    (
        "validateDeclarativePipeline",
        validate_declarative::validate,
    ),
    ("writeFile", files::write_file),
    ("writeJSON", json_yaml::write_json),
    ("writeYaml", json_yaml::write_yaml),
    ("zip", zip::zip),
];

/// Why a run refuses this call of a step it has (another job, a plugin's class, an SCM
/// other than git, a Windows shell), in the run's words: `plan` predicts the same failure.
#[must_use]
pub(crate) fn refusal(name: &str, args: &Args) -> Option<String> {
    match name {
        "build" => build::refusal(args),
        "step" => generic_step::refusal(args),
        "checkout" => scm::refusal(args),
        "bat" | "powershell" | "pwsh" => Some(shell_windows::refusal(name)),
        _ => None,
    }
}

/// The executor for a step name, if this runtime has one.
#[must_use]
pub fn lookup(name: &str) -> Option<Executor> {
    STEPS
        .binary_search_by(|(candidate, _)| (*candidate).cmp(name))
        .ok()
        .map(|index| STEPS[index].1)
}
