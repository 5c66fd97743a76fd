//! The state a pipeline branch carries down its calls rather than through its variables:
//! environment overrides from `withEnv`, the directory from `dir`/`node`, the enclosing stage
//! and parallel branch. Closures run with the caller's dynamic state, as Jenkins' steps do.

use std::path::PathBuf;
use std::rc::Rc;

use indexmap::IndexMap;

use std::cell::Cell;

use crate::report::{BuildResult, Emitter};
use crate::steps::Cancel;

#[derive(Clone, Debug, Default)]
pub struct Dynamic {
    /// `withEnv` layers flattened: `Some(v)` sets, `None` unsets.
    pub env: IndexMap<String, Option<String>>,
    /// The working directory, once inside `node`/`dir`.
    pub cwd: Option<PathBuf>,
    /// Whether the code runs inside `node { }`.
    pub on_node: bool,
    /// Under a declarative `agent none` (outside any node): a step that needs one fails
    /// with the Declarative plugin's message instead of the bare missing-context one.
    pub agent_none: bool,
    pub stage: Option<Rc<str>>,
    /// The worst result a step marked the enclosing stage with (Jenkins' `WarningAction`,
    /// from `unstable`, `warnError`, `catchError(stageResult: …)`); read at the stage's end.
    pub stage_warning: Option<Rc<Cell<BuildResult>>>,
    pub branch: Option<Rc<str>>,
    /// Where this branch's events go (pipelines only).
    pub emitter: Option<Emitter>,
    /// Fires when this branch must stop: timeout, failFast, abort.
    pub cancel: Option<Cancel>,
    /// Planning only: the run-time value this code depends on (`<stdout of sh#3> is true`).
    pub conditional: Option<Rc<str>>,
    /// Planning only: the planned block step (`withCredentials#2`) this code runs inside.
    pub plan_parent: Option<u32>,
    /// Planning only: the `post` condition this code runs under (`always`, `failure`, …).
    pub post_condition: Option<Rc<str>>,
    /// The container steps run in (`agent { docker … }`, `docker.image(…).inside`).
    pub agent: Option<crate::agents::AgentHandle>,
    /// Inside a `node` that leased a workspace other than the build's: the host with that
    /// workspace, for the steps (`eval::pipeline::node_workspace`).
    pub node_host: Option<std::sync::Arc<crate::steps::Host>>,
    /// The registry login of the enclosing `docker.withRegistry` / `withDockerRegistry`.
    pub(crate) docker_registry: Option<Rc<crate::eval::pipeline::docker_global::RegistryScope>>,
}
