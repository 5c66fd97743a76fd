//! Running a scripted pipeline: the host that gives the interpreter Jenkins' globals (`env`,
//! `params`, `currentBuild`), binds step calls to the catalogue and runs the leaf executors of
//! `steps`, and the body steps Jenkins implements in the flow engine (`node`, `stage`,
//! `parallel`, `dir`, `withEnv`, `timeout`, `retry`, `waitUntil`, `script`, `catchError`,
//! `warnError`), which live in `pipeline/blocks.rs`.
//!
//! Concurrency is Jenkins': Groovy code runs on one thread; parallel branches are futures
//! polled together in one task, so they interleave at every step call (`join::step_boundary`)
//! and whenever one waits for a process.

mod aws;
pub(crate) mod blocks;
mod causes;
mod change_sets;
mod context;
pub(crate) mod credentials;
pub(crate) mod docker_global;
pub(crate) mod docker_inside;
mod globals;
pub(crate) mod join;
pub(crate) mod leaf;
pub(crate) mod load;
pub(crate) mod lock;
pub(crate) mod node_workspace;
mod parallel;
pub(crate) mod plan_hook;
mod properties;
pub(crate) mod symbol;
#[cfg(test)]
mod tests;
mod timeout;
pub(crate) mod ws_step;

pub(crate) use credentials::environment_credential;
pub(crate) use leaf::{describe_failure, report_failure};

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use indexmap::IndexMap;

use super::args::CallArgs;
use super::dynamic::Dynamic;
use super::flow::{Flow, R};
use super::host::{Host, LocalBoxFuture};
use super::interp::{Interp, Outcome};
use super::object::Object;
use super::scope::Cx;
use super::value::{Key, Value};
use crate::home::scm_info::ChangeSet;
use crate::home::selection::StageFilter;
use crate::report::{BuildResult, Emitter, Event};
use crate::source::{SourceFile, Span};
use crate::steps::{self, Cancel};
use crate::syntax::ast;

/// A finished earlier build, for `currentBuild.previousBuild`.
#[derive(Clone, Debug)]
pub struct BuildRecord {
    pub number: u32,
    pub result: BuildResult,
    pub duration_ms: u64,
    pub display_name: Option<String>,
    pub description: Option<String>,
}

/// Everything a run needs from the caller (`jenkinsfile run`).
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The base environment: the filtered host environment plus Jenkins' variables
    /// (`BUILD_NUMBER`, `JOB_NAME`, `WORKSPACE`, …), already assembled by the runtime.
    pub env: IndexMap<String, String>,
    /// Build parameters (`params.X`), as JSON values.
    pub params: IndexMap<String, serde_json::Value>,
    pub build_number: u32,
    pub job_name: String,
    pub emitter: Emitter,
    pub cancel: Cancel,
    pub host: Arc<steps::Host>,
    /// Earlier builds of the same job, newest first.
    pub previous: Vec<BuildRecord>,
    /// `--stage` / `--skip-stage` / `--from-stage`, checked against the declarative stages
    /// (`None`: every stage runs).
    pub stage_filter: Option<Arc<StageFilter>>,
    /// The changelog and changed paths for `when { changelog … }` / `when { changeset … }`.
    pub changes: Arc<ChangeSet>,
    /// The credential store (`withCredentials`, `credentials()`).
    pub credentials: Arc<crate::creds::Store>,
}

/// How the build ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildOutcome {
    pub result: BuildResult,
    pub duration_ms: u64,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// The error that ended the build, as printed after `ERROR: `, if any.
    pub error: Option<String>,
    /// Where that error was raised in the Jenkinsfile (line, column), when known.
    pub error_at: Option<(usize, usize)>,
}

/// Build-wide state shared by every branch.
#[derive(Debug)]
pub(crate) struct State {
    pub config: RunConfig,
    /// `env.X = …` assignments (global in Jenkins, not per branch).
    pub env_writes: RefCell<IndexMap<String, String>>,
    pub result: Cell<BuildResult>,
    /// `currentBuild.result` once something set it (null until then, as in Jenkins).
    pub result_set: Cell<bool>,
    pub display_name: RefCell<Option<String>>,
    pub description: RefCell<Option<String>>,
    pub started: Instant,
    /// The declarative model, when the file has a `pipeline { }` block.
    pub declarative: Option<Rc<crate::model::Pipeline>>,
    /// Results steps gave the stage they ran in (Jenkins' `WarningAction`: `unstable`,
    /// `warnError`, `catchError(stageResult: …)`), by stage name, in order.
    pub stage_marks: RefCell<Vec<(Rc<str>, BuildResult)>>,
    /// `params` once a scripted `properties([parameters([…])])` has defined them.
    pub params_defined: RefCell<Option<IndexMap<String, serde_json::Value>>>,
    /// Set when planning (`jenkinsfile plan`): the planner takes every step call.
    pub plan: Option<Rc<dyn plan_hook::Planner>>,
}

impl State {
    /// Makes the build result worse (never better), as `Result.combine` does.
    pub(crate) fn degrade(&self, r: BuildResult) {
        self.result.set(self.result.get().max(r));
        self.result_set.set(true);
    }

    /// Marks the stage `dynamic` runs in with `r` (nothing outside a stage or for SUCCESS).
    pub(crate) fn mark_stage(&self, dynamic: &Dynamic, r: BuildResult) {
        if let Some(stage) = &dynamic.stage
            && r > BuildResult::Success
        {
            self.stage_marks.borrow_mut().push((stage.clone(), r));
        }
        // The scripted `stage` step reads its mark from this cell.
        if let Some(mark) = &dynamic.stage_warning {
            mark.set(mark.get().max(r));
        }
    }

    /// The worst mark of stage `name` from entry `from` on.
    pub(crate) fn stage_mark(&self, name: &str, from: usize) -> BuildResult {
        self.stage_marks
            .borrow()
            .iter()
            .skip(from)
            .filter(|(stage, _)| &**stage == name)
            .map(|(_, r)| *r)
            .max()
            .unwrap_or(BuildResult::Success)
    }

    /// The environment a step in this branch sees. Names are case-insensitive, as in
    /// Jenkins' `EnvVars` (a case-insensitive `TreeMap`): a later layer replaces the value
    /// and the first spelling of the name is kept.
    pub(crate) fn effective_env(&self, dynamic: &Dynamic) -> IndexMap<String, String> {
        let mut env = IndexMap::new();
        for (k, v) in &self.config.env {
            env_insert(&mut env, k, v.clone());
        }
        for (k, v) in self.env_writes.borrow().iter() {
            env_insert(&mut env, k, v.clone());
        }
        for (k, v) in &dynamic.env {
            match v {
                Some(v) => env_insert(&mut env, k, v.clone()),
                None => {
                    if let Some(found) = env_key(&env, k) {
                        env.shift_remove(&found);
                    }
                }
            }
        }
        env
    }

    /// An environment variable as a script reads it: when planning, a variable that holds a
    /// run-time value (`env.V = sh(returnStdout: true)`) reads as that value, not its text.
    pub(crate) fn env_value(&self, dynamic: &Dynamic, name: &str) -> Option<Value> {
        let text = self.env_var(dynamic, name)?;
        Some(
            self.plan
                .as_ref()
                .and_then(|plan| plan.env_unknown(name, &text))
                .unwrap_or_else(|| Value::string(text)),
        )
    }

    pub(crate) fn env_var(&self, dynamic: &Dynamic, name: &str) -> Option<String> {
        if let Some(k) = env_key(&dynamic.env, name) {
            return dynamic.env[&k].clone();
        }
        let writes = self.env_writes.borrow();
        if let Some(k) = env_key(&writes, name) {
            return Some(writes[&k].clone());
        }
        env_key(&self.config.env, name).map(|k| self.config.env[&k].clone())
    }
}

/// The key of `map` that names the same variable as `name`, ignoring case.
pub(crate) fn env_key<V>(map: &IndexMap<String, V>, name: &str) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_string());
    }
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

/// Sets `name` in `map`, replacing a variable spelled with other case in place.
pub(crate) fn env_insert<V>(map: &mut IndexMap<String, V>, name: &str, value: V) {
    match env_key(map, name) {
        Some(k) => {
            map.insert(k, value);
        }
        None => {
            map.insert(name.to_string(), value);
        }
    }
}

pub(crate) struct PipelineHost {
    pub state: Rc<State>,
}

impl PipelineHost {
    fn emitter(&self, cx: &Cx) -> Emitter {
        cx.dynamic
            .emitter
            .clone()
            .unwrap_or_else(|| self.state.config.emitter.clone())
    }

    /// Marks the enclosing stage with `result` if that is worse than its mark so far.
    pub(crate) fn mark_stage(cx: &Cx, result: BuildResult) {
        if let Some(mark) = &cx.dynamic.stage_warning {
            mark.set(mark.get().max(result));
        }
    }

    pub(crate) fn cancel(&self, cx: &Cx) -> Cancel {
        cx.dynamic
            .cancel
            .clone()
            .unwrap_or_else(|| self.state.config.cancel.clone())
    }
}

impl Host for PipelineHost {
    fn print(&self, cx: &Cx, text: &str) {
        self.emitter(cx).output(text);
    }

    fn global(&self, name: &str, cx: &Cx) -> Option<Value> {
        let state = self.state.clone();
        match name {
            "env" => Some(Value::Object(Rc::new(Object::Host(Rc::new(
                globals::Env { state },
            ))))),
            "params" => {
                let defined = state.params_defined.borrow();
                let params = defined.as_ref().unwrap_or(&state.config.params);
                Some(Value::map(
                    params
                        .iter()
                        .map(|(k, v)| {
                            let planned = state.plan.as_ref().and_then(|p| p.param(k));
                            let value =
                                planned.unwrap_or_else(|| super::classes::json::from_json(v));
                            (Key::str(k), value)
                        })
                        .collect(),
                ))
            }
            "currentBuild" => Some(Value::Object(Rc::new(Object::Host(Rc::new(
                globals::CurrentBuild { state },
            ))))),
            "docker" => Some(docker_global::global(&state)),
            "scm" => Some(state.config.host.scm.as_ref().map_or_else(
                || Value::unknown("scm"),
                |scm| super::classes::json::from_json(&scm.global()),
            )),
            _ => state.env_value(&cx.dynamic, name),
        }
    }

    fn call<'a>(
        &'a self,
        interp: &'a Interp,
        name: &'a str,
        args: CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        if name == "unstable" {
            let r = self.unstable(&args, span, cx);
            return Some(Box::pin(async move { r }));
        }
        if name == "getContext" {
            let v = context::get_context(self, &args, cx);
            return Some(Box::pin(async move { Ok(v) }));
        }
        if name == "properties" {
            let r = properties::run(self, &args, span, cx);
            return Some(Box::pin(async move { r }));
        }
        if let Some(binding) = credentials::binding_symbol(name, &args) {
            return Some(Box::pin(async move { Ok(binding) }));
        }
        if name == "load" && self.state.plan.is_none() {
            return Some(Box::pin(load::run(self, interp, args, span, cx)));
        }
        if let Some(plan) = &self.state.plan
            && let Some(planned) = plan.call(self, interp, name, args.clone(), span, cx)
        {
            return Some(planned);
        }
        if aws::leaf_step(name) {
            return Some(Box::pin(async move {
                join::step_boundary().await;
                let r = aws::leaf(self, name, args, span, cx).await;
                join::step_boundary().await;
                r
            }));
        }
        if blocks::is_block_step(name) {
            return Some(Box::pin(async move {
                join::step_boundary().await;
                blocks::run(self, interp, name, args, span, cx).await
            }));
        }
        Some(Box::pin(async move {
            join::step_boundary().await;
            let r = leaf::run(self, name, args, span, cx).await;
            join::step_boundary().await;
            r
        }))
    }

    fn binding_class(&self) -> String {
        "groovy.lang.Binding".into()
    }

    fn plans_both_branches(&self) -> bool {
        self.state.plan.is_some()
    }

    fn planned_effects(&self) -> usize {
        self.state.plan.as_ref().map_or(0, |plan| plan.effects())
    }

    fn plan_note(&self, cx: &Cx, text: &str) {
        if let Some(plan) = &self.state.plan {
            plan.note(self, cx, text);
        }
    }

    fn plan_method_call(
        &self,
        origin: &str,
        name: &str,
        args: &CallArgs,
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        self.state
            .plan
            .as_ref()?
            .method_call(self, origin, name, args, span, cx)
    }

    fn plan_could_fail(&self, why: &str) {
        if let Some(plan) = &self.state.plan {
            plan.could_end(BuildResult::Failure, why);
        }
    }

    fn unknown_name(&self, name: &str, _cx: &Cx) -> Option<Value> {
        self.state
            .plan
            .as_ref()
            .and_then(|plan| plan.unknown_name(name))
    }
}

impl PipelineHost {
    /// `unstable('msg')`: `WARNING: msg`, the build result becomes UNSTABLE, and the build
    /// goes on (runtime-semantics §5.5).
    fn unstable(&self, args: &CallArgs, span: Span, cx: &Cx) -> R<Value> {
        let message = blocks::arg(args, "message")
            .map(|v| super::text::to_string(&v))
            .filter(|m| !m.is_empty())
            .ok_or_else(|| {
                Flow::exception(
                    "java.lang.IllegalArgumentException",
                    "unstable: a non-empty message is required".to_string(),
                )
                .at(span)
            })?;
        let emit = self.emitter(cx);
        emit.emit(Event::StepStart {
            name: "unstable".into(),
            summary: format!("message: {message}"),
            block: false,
            stage: cx.dynamic.stage.as_deref().map(str::to_string),
            branch: cx.dynamic.branch.as_deref().map(str::to_string),
        });
        emit.log(format!("WARNING: {message}"));
        if let Some(plan) = &self.state.plan {
            plan.result_step(self, cx, "unstable", &message, BuildResult::Unstable);
        }
        // Planning: `unstable` on a side that may not run does not decide the result.
        if self.state.plan.is_none() || cx.dynamic.conditional.is_none() {
            self.state.degrade(BuildResult::Unstable);
            self.state.mark_stage(&cx.dynamic, BuildResult::Unstable);
        }
        emit.emit(Event::StepEnd {
            name: "unstable".into(),
            block: false,
            result: BuildResult::Unstable,
            duration_ms: 0,
            error: None,
        });
        Ok(Value::Null)
    }
}

/// Runs a scripted pipeline to its end. Emits `PipelineStart` first and `PipelineEnd` and
/// `Finished` last. Must run on a current-thread tokio runtime (values are `Rc`), on a thread
/// with at least 8 MiB of stack (the call depth limit, `interp::MAX_CALL_DEPTH`, is sized
/// for that).
pub async fn run_pipeline(
    source: &SourceFile,
    file: &ast::File,
    config: RunConfig,
) -> BuildOutcome {
    run_pipeline_with(source, file, config, None).await
}

/// [`run_pipeline`] with a planner that takes every step call instead (`jenkinsfile plan`).
pub(crate) async fn run_pipeline_with(
    source: &SourceFile,
    file: &ast::File,
    config: RunConfig,
    plan: Option<Rc<dyn plan_hook::Planner>>,
) -> BuildOutcome {
    let emitter = config.emitter.clone();
    let state = Rc::new(State {
        config,
        env_writes: RefCell::default(),
        result: Cell::new(BuildResult::Success),
        result_set: Cell::new(false),
        display_name: RefCell::new(None),
        description: RefCell::new(None),
        started: Instant::now(),
        declarative: crate::model::build(file, source).0.map(Rc::new),
        stage_marks: RefCell::default(),
        params_defined: RefCell::new(None),
        plan,
    });
    let host = Rc::new(PipelineHost {
        state: state.clone(),
    });
    let interp = Rc::new(Interp::new(host));
    load::register(&interp);
    interp.set_source(&source.text);
    emitter.emit(Event::PipelineStart);
    let dynamic = Dynamic {
        emitter: Some(emitter.clone()),
        cancel: Some(state.config.cancel.clone()),
        cwd: Some(state.config.host.workspace.clone()),
        ..Dynamic::default()
    };
    let cx = interp.root_cx(dynamic);
    let mut error = None;
    let mut error_at = None;
    let ran = interp.run_file(file, &cx).await;
    // Jenkins prints what ended the build after the flow's end node, before `Finished:`.
    emitter.emit(Event::PipelineEnd);
    match ran {
        Ok(_) => {}
        Err(Outcome::Uncaught(e)) if leaf::is_unsupported(&e) => {
            // Our own limit, not Jenkins': say where, as for any unsupported construct.
            let text = match e.span.get() {
                Some(span) => {
                    let lc = source.line_col(span.start as usize);
                    let message = e.message.clone().unwrap_or_default();
                    format!("{}:{}:{}: {message}", source.name, lc.line, lc.column)
                }
                None => e.message.clone().unwrap_or_default(),
            };
            state.degrade(BuildResult::Failure);
            emitter.emit(Event::Error {
                message: text.clone(),
            });
            error = Some(text);
        }
        Err(Outcome::Uncaught(e)) => {
            let (result, text) = leaf::describe_failure(&e);
            error_at = e.span.get().map(|span| {
                let lc = source.line_col(span.start as usize);
                (lc.line, lc.column)
            });
            state.degrade(result);
            leaf::report_failure_in(&emitter, &e, Some(&source.text), None);
            error = Some(text);
        }
        Err(Outcome::Fatal(f)) => {
            let lc = source.line_col(f.span.start as usize);
            let text = format!("{}:{}:{}: {}", source.name, lc.line, lc.column, f.message);
            state.degrade(BuildResult::Failure);
            emitter.emit(Event::Error {
                message: text.clone(),
            });
            error = Some(text);
        }
    }
    let duration_ms = u64::try_from(state.started.elapsed().as_millis()).unwrap_or(u64::MAX);
    // A build a newer one superseded at a milestone ends NOT_BUILT, not ABORTED.
    let cause = state.config.cancel.reason();
    let result = crate::home::supersede::interrupted_result(state.result.get(), cause.as_deref());
    emitter.emit(Event::Finished {
        result,
        duration_ms,
    });
    BuildOutcome {
        result,
        duration_ms,
        display_name: state.display_name.borrow().clone(),
        description: state.description.borrow().clone(),
        error,
        error_at,
    }
}

/// The directory a relative path names, from the branch's current directory.
pub(crate) fn resolve_dir(cx: &Cx, workspace: &std::path::Path, path: &str) -> PathBuf {
    let base = cx
        .dynamic
        .cwd
        .clone()
        .unwrap_or_else(|| workspace.to_path_buf());
    base.join(path)
}

#[cold]
pub(crate) fn interrupted(message: &str) -> Flow {
    Flow::exception(
        "org.jenkinsci.plugins.workflow.steps.FlowInterruptedException",
        message.to_string(),
    )
}
