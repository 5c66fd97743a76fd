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

mod blocks;
mod brought;
pub mod check;
mod checkout;
mod confine;
pub mod escape;
pub mod json;
pub mod library;
mod load;
pub mod mermaid;
pub mod model;
mod outcome;
mod overlay;
mod pure;
mod recorder;
mod refusal;
mod registry;
pub mod repo;
mod reports;
mod scan;
mod statics;
mod symbolic;
pub mod text;
mod tree;
mod unsupported;
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

pub use self::library::Libraries;
pub use self::model::{Inputs, SCHEMA};

/// Everything a plan is made from.
#[derive(Debug)]
pub struct Request {
    /// The Jenkinsfile as named on the command line (shown in the plan).
    pub file: String,
    /// The build's workspace, as `run` would use it: the job's workspace in the build home
    /// (only read, never created), or outside a repository the Jenkinsfile's directory.
    pub workspace: PathBuf,
    /// The working tree a `checkout scm` brings into the workspace (the repository root):
    /// after one, reads in the checked-out directory read it.
    pub tree: PathBuf,
    /// The shared libraries' globals, from the configuration.
    pub libraries: Libraries,
    /// The number the next build would get (read from the records, never taken).
    pub build_number: u32,
    /// The job's earlier builds, newest first (`currentBuild.previousBuild`, `changed`).
    pub previous: Vec<crate::eval::pipeline::BuildRecord>,
    /// The base environment: host variables and the build's (`BRANCH_NAME`, `JOB_NAME`, …).
    pub env: IndexMap<String, String>,
    pub params: IndexMap<String, serde_json::Value>,
    /// The `password` parameters: run-time values to the script, shown as `****`.
    pub secret_params: Vec<String>,
    pub job_name: String,
    pub scm: Option<ScmSource>,
    pub changes: Arc<ChangeSet>,
    /// The credential store, for the types of credential ids only.
    pub credentials: Option<Arc<Store>>,
    pub inputs: Inputs,
    /// `--stage`, `--skip-stage`, `--from-stage`: the stages planned as skipped say why.
    pub stage_filter: Option<Arc<crate::home::selection::StageFilter>>,
    /// The config's `[tools]` table and the files it was looked for in, as `run` reads
    /// them: the `tool` step (and `tools { }`) resolves a name the same way, or fails so.
    pub tools: IndexMap<String, PathBuf>,
    pub tool_config: Vec<PathBuf>,
    /// The build home: a relative `ws('dir')` or `customWorkspace` is under it, as in a run.
    pub jenkins_home: PathBuf,
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
    let mut recorder = Recorder::new(
        request.credentials.clone(),
        &request.workspace,
        &request.tree,
    );
    recorder.libraries = request.libraries.clone();
    // A partial run restores an earlier build's stashes (`--from-stage`); with any selection
    // the plan does not claim an `unstash` fails.
    recorder.restores_stashes = request.stage_filter.is_some();
    for name in &request.secret_params {
        recorder.remember_secret(name);
    }
    recorder.secret_params.clone_from(&request.secret_params);
    let recorder = Rc::new(recorder);
    let (emitter, mut rx) = Emitter::channel();
    let config = RunConfig {
        env: request.env.clone(),
        params: request.params.clone(),
        build_number: request.build_number,
        job_name: request.job_name.clone(),
        emitter,
        cancel: Cancel::new(),
        host: Arc::new(steps::Host {
            workspace: request.workspace.clone(),
            scm: request.scm.clone(),
            tools: request.tools.clone(),
            tool_config: request.tool_config.clone(),
            jenkins_home: request.jenkins_home.clone(),
            ..steps::Host::default()
        }),
        previous: request.previous.clone(),
        stage_filter: request.stage_filter.clone(),
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
        let at = recorder.position(id)?;
        steps.get(at).map(|r| Step {
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
    let mut errors = tree.errors;
    if let Some(o) = &outcome {
        reason(&mut errors, o, &source.name);
    }
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
        errors,
        result,
        ..Plan::default()
    };
    plan.could_be = recorder.could_be(&plan.result);
    if let Some(p) = &pipeline {
        decorate(&mut plan, p, &source.text, &steps, &credentials, &recorder);
    } else if plan.stages.is_empty() {
        plan.stages = scan::stages(&source.text);
        plan.approximate = !plan.stages.is_empty();
    }
    plan.credentials = match &pipeline {
        Some(p) => {
            let store = request.credentials.as_deref();
            let mut all = registry::agent_credentials(p, &source.text, store);
            all.extend(credentials);
            all
        }
        None => credentials,
    };
    plan.assumed.clone_from(&recorder.assumed.borrow());
    plan
}

/// The error that ended the build, with where it was raised, as the run prints it (`ERROR:`
/// for a step's failure, or the exception Jenkins would show a stack trace for): a plan that
/// ends in FAILURE says why.
fn reason(errors: &mut Vec<String>, outcome: &crate::eval::BuildOutcome, file: &str) {
    let Some(text) = &outcome.error else {
        return;
    };
    let located = match outcome.error_at {
        Some((line, column)) if !text.starts_with(file) => {
            format!("{file}:{line}:{column}: {text}")
        }
        _ => text.clone(),
    };
    // The same failure already printed as `ERROR:` (an `error` step, an unsupported
    // construct) is shown once, with its place.
    errors.retain(|e| e != text);
    if !errors.contains(&located) {
        errors.push(located);
    }
}

/// Adds what the model says to the evaluated tree: agents, environments, options, post.
fn decorate(
    plan: &mut Plan,
    pipeline: &Pipeline,
    source: &str,
    steps: &[recorder::Recorded],
    creds: &[CredentialUse],
    recorder: &Recorder,
) {
    // The post conditions the runtime planned, as it planned them (so the summary says what
    // the planned post steps show); the model's prediction only where it planned none.
    let post_of = |stage: Option<&str>, fallback: Vec<model::PostBlock>| {
        recorder.post_of(stage).unwrap_or_else(|| {
            let mut blocks = fallback;
            outcome::sort_post(&mut blocks);
            blocks
        })
    };
    let first_env = |ids: &[u32], name: &str| {
        ids.iter().find_map(|id| {
            recorder
                .position(*id)
                .and_then(|at| steps.get(at))
                .and_then(|r| r.env.get(name).cloned())
        })
    };
    let model_stages = pipeline.all_stages();
    // A stage's `environment` wins inside it: the level above shows its own value, read off
    // steps outside the stages that override the name.
    let overrides = |stage: &Stage, name: &str| {
        model_stages
            .iter()
            .find(|m| m.name.node == stage.name)
            .and_then(|m| m.environment.as_ref())
            .is_some_and(|e| e.vars.iter().any(|v| v.name.node == name))
    };
    let top_ids = |name: &str| -> Vec<u32> {
        let mut ids: Vec<u32> = plan.steps.iter().map(|s| s.id).collect();
        for stage in &plan.stages {
            ids.extend(ids_for(stage, name, &overrides, true));
        }
        ids
    };
    let could_fail_all = steps.iter().any(|r| r.step.effect);
    plan.agent = pipeline.agent.as_ref().map(|a| statics::agent(source, a));
    plan.environment = statics::environment(
        source,
        pipeline.environment.as_ref(),
        &|name| first_env(&top_ids(name), name),
        creds,
        false,
    );
    plan.options = statics::options(source, pipeline.options.as_ref());
    plan.post = post_of(
        None,
        statics::post(pipeline.post.as_ref(), &plan.result, could_fail_all, false),
    );
    let mut stages = std::mem::take(&mut plan.stages);
    for stage in &mut stages {
        walk(stage, &mut |s: &mut Stage| {
            let Some(m) = model_stages.iter().find(|m| m.name.node == s.name) else {
                return;
            };
            let skipped = s.status == "skipped";
            let could_fail = could_fail_in(s);
            s.agent = m.agent.as_ref().map(|a| statics::agent(source, a));
            let env_of = |name: &str| first_env(&ids_for(s, name, &overrides, false), name);
            s.environment =
                statics::environment(source, m.environment.as_ref(), &env_of, creds, skipped);
            s.options = statics::options(source, m.options.as_ref());
            // A stage's post follows the stage's own result, not the build's.
            let result = if s.result.is_empty() {
                "SUCCESS".to_string()
            } else {
                s.result.clone()
            };
            s.post = if skipped {
                statics::post(m.post.as_ref(), &result, could_fail, skipped)
            } else {
                post_of(
                    Some(&s.name),
                    statics::post(m.post.as_ref(), &result, could_fail, skipped),
                )
            };
            if let Some(matrix) = &m.matrix {
                for cell in &mut s.stages {
                    let cell_result = if cell.result.is_empty() {
                        "SUCCESS".to_string()
                    } else {
                        cell.result.clone()
                    };
                    cell.agent = matrix.agent.as_ref().map(|a| statics::agent(source, a));
                    let fallback = statics::post(
                        matrix.post.as_ref(),
                        &cell_result,
                        could_fail_in(cell),
                        cell.status == "skipped",
                    );
                    cell.post = if cell.status == "skipped" {
                        fallback
                    } else {
                        post_of(Some(&cell.name), fallback)
                    };
                }
                s.parallel = true;
            }
        });
    }
    for stage in &mut stages {
        only_could_run(stage, false);
    }
    plan.stages = stages;
}

/// The post blocks of a stage that only could run (its own `when`, or an enclosing stage's,
/// rests on a run-time value) run only if it does.
fn only_could_run(stage: &mut Stage, inherited: bool) {
    let could = inherited || (stage.conditional.is_some() && stage.status != "skipped");
    if could {
        stage.post.iter_mut().for_each(outcome::if_stage_runs);
    }
    for child in &mut stage.stages {
        only_could_run(child, could);
    }
}

/// The ids of the steps of `stage` and its children, leaving out (the children, and with
/// `outer` the stage itself) whose own `environment` sets `name`.
fn ids_for(
    stage: &Stage,
    name: &str,
    overrides: &dyn Fn(&Stage, &str) -> bool,
    outer: bool,
) -> Vec<u32> {
    if outer && overrides(stage, name) {
        return Vec::new();
    }
    let mut ids: Vec<u32> = stage.steps.iter().map(|s| s.id).collect();
    for child in &stage.stages {
        ids.extend(ids_for(child, name, overrides, true));
    }
    ids
}

/// Whether a planned step of `stage` (or of a stage inside it) could fail: any step with an
/// effect (an `sh` can exit non-zero, a push can be refused).
fn could_fail_in(stage: &Stage) -> bool {
    stage.steps.iter().any(|s| s.effect && !s.post) || stage.stages.iter().any(could_fail_in)
}

fn walk(stage: &mut Stage, f: &mut dyn FnMut(&mut Stage)) {
    f(stage);
    for child in &mut stage.stages {
        walk(child, f);
    }
}
