//! `jenkinsfile plan`: what a build would do, without doing it. The pipeline runs on the real
//! interpreter with a planner in place of the step executors (`recorder.rs`): pure steps run
//! for real against a read-only view of the working tree plus an in-memory overlay
//! (`overlay.rs`, `pure.rs`), every step with an effect is recorded with its resolved
//! arguments, a value only a run would know is symbolic (`<stdout of sh#3>`) and an `if` on it
//! plans both branches. The stage tree comes from the run's own events (`tree.rs`), so stage
//! names, skips and their reasons are the run's; the model adds agents, options and post
//! (`statics.rs`). Renderers: `text.rs`, `json.rs`, `mermaid.rs`; `--check` is `check.rs`.
//!
//! Nothing here writes a file, starts a process or opens a connection (but `--check`, which
//! looks tools up on PATH and resolves credentials without showing them).

pub mod check;
pub mod json;
pub mod mermaid;
pub mod model;
mod overlay;
mod pure;
mod recorder;
pub mod repo;
mod scan;
mod statics;
pub mod text;
mod tree;
mod when;

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use tokio::task::LocalSet;

use self::model::{CredentialUse, Plan, Stage, Step};
use self::recorder::Recorder;
use crate::creds::Store;
use crate::eval::pipeline::{RunConfig, run_pipeline_with};
use crate::home::scm_info::ChangeSet;
use crate::model::pipeline::Pipeline;
use crate::report::{BuildResult, Emitter};
use crate::source::SourceFile;
use crate::steps::{self, Cancel, ScmSource};
use crate::syntax::ast;

pub use self::model::{Inputs, SCHEMA};

/// Everything a plan is made from.
#[derive(Debug)]
pub struct Request {
    /// The Jenkinsfile as named on the command line (shown in the plan).
    pub file: String,
    /// The working tree the plan reads (the repository root, or the Jenkinsfile's directory).
    pub workspace: PathBuf,
    /// The base environment: host variables and the build's (`BRANCH_NAME`, `JOB_NAME`, …).
    pub env: IndexMap<String, String>,
    pub params: IndexMap<String, serde_json::Value>,
    pub job_name: String,
    pub scm: Option<ScmSource>,
    pub changes: Arc<ChangeSet>,
    /// The credential store, for the types of credential ids only.
    pub credentials: Option<Arc<Store>>,
    pub inputs: Inputs,
}

/// Whether the pipeline has a `changelog` or `changeset` condition: only then does the plan
/// read the repository's history (with `git log`; otherwise planning starts no process).
#[must_use]
pub fn reads_changes(pipeline: &Pipeline) -> bool {
    fn uses(c: &crate::model::pipeline::Condition) -> bool {
        matches!(c.name.node.as_str(), "changelog" | "changeset") || c.children.iter().any(uses)
    }
    pipeline
        .all_stages()
        .iter()
        .filter_map(|s| s.when.as_ref())
        .any(|w| w.conditions.iter().any(uses))
}

/// Plans `file`. Runs the interpreter on a current-thread runtime (the caller's thread needs
/// the stack a run needs, see `run_pipeline`).
#[must_use]
pub fn plan(source: &SourceFile, file: &ast::File, request: &Request) -> Plan {
    let pipeline = crate::model::build(file, source).0;
    let recorder = Rc::new(Recorder::new(
        request.credentials.clone(),
        request.workspace.clone(),
    ));
    let (emitter, mut rx) = Emitter::channel();
    let config = RunConfig {
        env: request.env.clone(),
        params: request.params.clone(),
        build_number: 1,
        job_name: request.job_name.clone(),
        emitter,
        cancel: Cancel::new(),
        host: Arc::new(steps::Host {
            workspace: request.workspace.clone(),
            scm: request.scm.clone(),
            ..steps::Host::default()
        }),
        previous: Vec::new(),
        stage_filter: None,
        changes: Arc::clone(&request.changes),
        credentials: request
            .credentials
            .clone()
            .unwrap_or_else(|| Arc::new(Store::empty())),
    };
    let outcome = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => {
            let planner: Rc<dyn crate::eval::pipeline::plan_hook::Planner> = recorder.clone();
            Some(LocalSet::new().block_on(
                &runtime,
                Box::pin(run_pipeline_with(source, file, config, Some(planner))),
            ))
        }
        Err(_) => None,
    };
    let mut records = Vec::new();
    while let Ok(r) = rx.try_recv() {
        records.push(r);
    }
    let steps = recorder.steps.borrow();
    let step = |id: u32, post: bool| {
        steps.iter().find(|r| r.step.id == id).map(|r| Step {
            post,
            ..r.step.clone()
        })
    };
    let tree = tree::build(&records, &step);
    let result = outcome
        .as_ref()
        .map_or(BuildResult::Failure, |o| o.result)
        .to_string();
    let credentials = recorder.credentials.borrow().clone();
    let mut plan = Plan {
        schema: SCHEMA,
        file: request.file.clone(),
        kind: if pipeline.is_some() {
            "declarative"
        } else {
            "scripted"
        },
        inputs: request.inputs.clone(),
        stages: tree.stages,
        steps: tree.top,
        errors: tree.errors,
        result,
        ..Plan::default()
    };
    if let Some(p) = &pipeline {
        decorate(&mut plan, p, &source.text, &steps, &credentials);
    } else if plan.stages.is_empty() {
        plan.stages = scan::stages(&source.text);
        plan.approximate = !plan.stages.is_empty();
    }
    plan.credentials = credentials;
    plan
}

/// Adds what the model says to the evaluated tree: agents, environments, options, post.
fn decorate(
    plan: &mut Plan,
    pipeline: &Pipeline,
    source: &str,
    steps: &[recorder::Recorded],
    creds: &[CredentialUse],
) {
    let first_env = |ids: &[u32], name: &str| {
        ids.iter().find_map(|id| {
            steps
                .iter()
                .find(|r| r.step.id == *id)
                .and_then(|r| r.env.get(name).cloned())
        })
    };
    let all: Vec<u32> = steps.iter().map(|r| r.step.id).collect();
    plan.agent = pipeline.agent.as_ref().map(|a| statics::agent(source, a));
    plan.environment = statics::environment(
        source,
        pipeline.environment.as_ref(),
        &|name| first_env(&all, name),
        creds,
    );
    plan.options = statics::options(source, pipeline.options.as_ref());
    plan.post = statics::post(pipeline.post.as_ref(), &plan.result);
    let model_stages = pipeline.all_stages();
    let result = plan.result.clone();
    for stage in &mut plan.stages {
        walk(stage, &mut |s: &mut Stage| {
            let Some(m) = model_stages.iter().find(|m| m.name.node == s.name) else {
                return;
            };
            let ids = step_ids(s);
            s.agent = m.agent.as_ref().map(|a| statics::agent(source, a));
            s.environment = statics::environment(
                source,
                m.environment.as_ref(),
                &|name| first_env(&ids, name),
                creds,
            );
            s.options = statics::options(source, m.options.as_ref());
            s.post = statics::post(m.post.as_ref(), &result);
            if let Some(matrix) = &m.matrix {
                for cell in &mut s.stages {
                    cell.agent = matrix.agent.as_ref().map(|a| statics::agent(source, a));
                    cell.post = statics::post(matrix.post.as_ref(), &result);
                }
                s.parallel = true;
            }
        });
    }
}

fn walk(stage: &mut Stage, f: &mut dyn FnMut(&mut Stage)) {
    f(stage);
    for child in &mut stage.stages {
        walk(child, f);
    }
}

/// The ids of every step in a stage and its children.
fn step_ids(stage: &Stage) -> Vec<u32> {
    let mut ids: Vec<u32> = stage.steps.iter().map(|s| s.id).collect();
    for child in &stage.stages {
        ids.extend(step_ids(child));
    }
    ids
}
