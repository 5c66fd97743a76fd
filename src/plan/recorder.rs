//! The [`Planner`] `jenkinsfile plan` puts in the interpreter: every step call comes here
//! first. Pure steps run for real through the overlay (`pure.rs`); every other step is
//! recorded with its resolved arguments and returns nothing or a symbolic value; a step with
//! a body is recorded and its body planned; credentials are bound as `****`, never resolved.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::{Map, json};

use super::model::{CredentialUse, Step, WhenCheck};
use super::overlay::Overlay;
use super::{pure, when};
use crate::creds::{BINDINGS, Store};
use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::host::LocalBoxFuture;
use crate::eval::interp::Interp;
use crate::eval::pipeline::leaf::{NEEDS_WORKSPACE, bind, missing_workspace};
use crate::eval::pipeline::plan_hook::Planner;
use crate::eval::pipeline::{PipelineHost, blocks, env_insert, symbol};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::model::pipeline::Condition;
use crate::report::{Emitter, Event};
use crate::source::Span;
use crate::steps;
use crate::steps::parameter::SYMBOL_KEY;

/// The summary of the `StepStart` a planned step emits, followed by its id: the tree builder
/// places the step by it. Never shown (plan output is built from the records, not the log).
pub(super) const STEP_MARK: &str = "\u{0}plan-step:";
/// The log line prefix of a `when` outcome, followed by its JSON.
pub(super) const WHEN_MARK: &str = "\u{0}plan-when:";

/// One recorded step and what the plan needs beside it.
#[derive(Debug)]
pub(super) struct Recorded {
    pub step: Step,
    /// The variables that differ from the build's base environment when it ran.
    pub env: IndexMap<String, String>,
    /// The workspace it ran in (a step in another workspace does not change this one's files).
    pub root: PathBuf,
    /// The stage it ran in.
    pub stage: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Recorder {
    pub(super) next: Cell<u32>,
    pub(super) steps: RefCell<Vec<Recorded>>,
    pub(super) overlay: RefCell<Overlay>,
    pub(super) credentials: RefCell<Vec<CredentialUse>>,
    /// The run-time values the `when` being evaluated rests on (`expression` conditions).
    when_unknowns: RefCell<Vec<String>>,
    /// What the `expression`/`equals` conditions of the `when` being evaluated came out as.
    pub(super) when_values: RefCell<Vec<String>>,
    /// Results the build could end with instead (`currentBuild.result` from a run-time
    /// value): the result (`None`: any) and what sets it (`outcome.rs`).
    pub(super) possible: RefCell<Vec<(Option<crate::report::BuildResult>, String)>>,
    /// Each `post` condition the runtime planned: the stage (`None`: the pipeline) and how.
    pub(super) verdicts: RefCell<Vec<(Option<String>, super::model::PostBlock)>>,
    /// The store, for credential types only (never resolved).
    pub(super) store: Option<Arc<Store>>,
    /// Environment variables holding run-time values (`symbolic.rs`).
    pub(super) env_unknowns: RefCell<super::symbolic::EnvUnknowns>,
    /// Names the Jenkinsfile uses but never defines, in order of first use.
    pub(super) assumed: RefCell<Vec<String>>,
    /// The working tree a `checkout scm` brings, and the directories it was planned into
    /// (`checkout.rs`).
    pub(super) tree: PathBuf,
    pub(super) checkouts: RefCell<Vec<PathBuf>>,
    /// What a checkout copies of the tree, read when first needed (`brought.rs`); `None`
    /// until then, and always with `--in-place`, where the workspace is the tree itself.
    pub(super) brought: RefCell<Option<super::brought::Brought>>,
    pub(super) in_place: bool,
    /// A partial run from a stage restores the earlier build's stashes (`--from-stage`).
    pub(super) restores_stashes: bool,
    /// The `password` parameters: each is a run-time value, as a credential is.
    pub(super) secret_params: Vec<String>,
    /// Each condition of the `when` being evaluated that the runtime decided, by where it
    /// is, with its verdict (a child `allOf`/`anyOf` cut short is not among them).
    pub(super) when_verdicts: RefCell<Vec<(crate::source::Span, bool)>>,
    /// The Jenkinsfile's shared libraries (`library.rs`).
    pub(super) libraries: super::library::Libraries,
    /// How many recorded steps have an effect and no body (kept as they are recorded, so
    /// that asking is not a walk over every step).
    effects: Cell<usize>,
    /// Where each recorded step is in `steps`, by id.
    index: RefCell<std::collections::HashMap<u32, usize>>,
}

impl Recorder {
    pub(super) fn new(store: Option<Arc<Store>>, workspace: &Path, tree: &Path) -> Recorder {
        // Outside a repository the workspace is the tree itself: always "checked out".
        let checkouts = if workspace == tree {
            vec![super::overlay::normal(workspace)]
        } else {
            Vec::new()
        };
        Recorder {
            store,
            tree: tree.to_path_buf(),
            checkouts: RefCell::new(checkouts),
            in_place: workspace == tree,
            ..Recorder::default()
        }
    }

    /// How many recorded steps have an effect (and no body): each could fail in a run.
    pub(super) fn effect_count(&self) -> usize {
        self.effects.get()
    }

    /// The recorded step `id`, by its index.
    pub(super) fn position(&self, id: u32) -> Option<usize> {
        self.index.borrow().get(&id).copied()
    }

    pub(super) fn next_id(&self) -> u32 {
        let id = self.next.get() + 1;
        self.next.set(id);
        id
    }

    /// The type a credential id has in the store, without resolving it.
    fn kind_of(&self, id: &str) -> Option<&'static str> {
        self.store
            .as_ref()
            .and_then(|s| s.lookup(id))
            .map(|e| e.kind.type_name())
    }

    pub(super) fn use_credential(
        &self,
        cx: &Cx,
        id: &str,
        expected: Option<&str>,
        via: String,
        vars: Vec<String>,
    ) {
        let kind = self
            .kind_of(id)
            .or(expected)
            .unwrap_or("unknown")
            .to_string();
        self.credentials.borrow_mut().push(CredentialUse {
            id: id.to_string(),
            kind,
            via,
            variables: vars,
            stage: cx.dynamic.stage.as_deref().map(str::to_string),
        });
    }

    /// Records a step and places it in the event stream.
    #[allow(clippy::too_many_arguments, reason = "one record, every field of it")]
    pub(super) fn record(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        id: u32,
        name: &str,
        args: Map<String, serde_json::Value>,
        effect: bool,
        block: bool,
        returns: Option<String>,
    ) {
        let root = workspace_of(host, cx);
        // `dir('..')`, `dir('/opt/x')`, `dir("${env.WORKSPACE}/x")`: where the step really
        // runs, absolute and said when it leaves the workspace.
        let cwd = super::overlay::normal(&cwd(host, cx));
        let (dir, outside_workspace) = match cwd.strip_prefix(super::overlay::normal(&root)) {
            Ok(rel) if rel.as_os_str().is_empty() => (None, false),
            Ok(rel) => (Some(rel.display().to_string()), false),
            Err(_) => (Some(cwd.display().to_string()), true),
        };
        let base = &host.state.config.env;
        let env: IndexMap<String, String> = host
            .state
            .effective_env(&cx.dynamic)
            .into_iter()
            .filter(|(k, v)| base.get(k) != Some(v))
            .collect();
        if effect && !block {
            self.effects.set(self.effects.get() + 1);
        }
        self.index
            .borrow_mut()
            .insert(id, self.steps.borrow().len());
        self.steps.borrow_mut().push(Recorded {
            step: Step {
                id,
                name: name.to_string(),
                args,
                effect,
                block,
                conditional: cx.dynamic.conditional.as_deref().map(str::to_string),
                returns: returns.map(|r| format!("<{r}>")),
                dir,
                outside_workspace,
                post: false,
                post_condition: cx.dynamic.post_condition.as_deref().map(str::to_string),
                note: None,
                parent: cx.dynamic.plan_parent,
                unknown: None,
                path: env.get("PATH").cloned(),
            },
            env,
            root,
            stage: cx.dynamic.stage.as_deref().map(str::to_string),
        });
        emitter(host, cx).emit(Event::StepStart {
            name: name.to_string(),
            summary: format!("{STEP_MARK}{id}"),
            block,
            stage: cx.dynamic.stage.as_deref().map(str::to_string),
            branch: cx.dynamic.branch.as_deref().map(str::to_string),
        });
    }

    pub(super) async fn leaf(
        &self,
        host: &PipelineHost,
        name: &str,
        args: CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        // `writeFile text: out` keeps the run-time value for a later `readFile`.
        let symbolic_text = match args.named.get(&crate::eval::value::Key::str("text")) {
            Some(Value::Unknown(origin)) if name == "writeFile" => Some(origin.to_string()),
            _ => None,
        };
        if name == "checkout"
            && let Some(flow) = super::checkout::without_scm(host, &args, span)
        {
            return Err(flow);
        }
        let args = readable(args);
        let mut named = bind(name, &args, span)?;
        if !cx.dynamic.on_node && NEEDS_WORKSPACE.contains(&name) {
            return Err(missing_workspace(host, name, &named, span, cx));
        }
        let id = self.next_id();
        if let Some(serde_json::Value::String(cred)) = named.get("credentialsId") {
            self.use_credential(cx, cred, None, name.to_string(), Vec::new());
        }
        self.refused_call(host, id, name, &named, span, cx)?;
        self.refused_write(host, id, name, &named, span, cx)?;
        self.finds_nothing(host, id, name, &named, span, cx)?;
        if name == "checkout" {
            scm_by_name(host, &mut named);
        }
        // `checkout scm` of the working tree: the GIT_* variables a run's checkout returns,
        // computed as the run computes them, from the commit `.git` names.
        let git_vars = if name == "checkout" && named.get("scm") == Some(&json!("scm")) {
            checkout_vars(host)
        } else {
            None
        };
        let pure = pure::is_pure(name);
        let returns = if pure || git_vars.is_some() {
            None
        } else {
            pure::symbolic(name, &named, id)
        };
        self.record(
            host,
            cx,
            id,
            name,
            named.clone(),
            !pure,
            false,
            returns.clone(),
        );
        if pure {
            return pure::run(self, host, id, name, named, span, cx).await;
        }
        pure::plan_effect(self, name, &named, &cwd(host, cx), symbolic_text, id);
        if git_vars.is_some() {
            self.checked_out(&cwd(host, cx));
        }
        if let Some(vars) = git_vars {
            return Ok(crate::eval::classes::json::from_json(
                &serde_json::Value::Object(vars),
            ));
        }
        Ok(returns.map_or(Value::Null, Value::unknown))
    }

    /// A step with a body this plan knows nothing special about: recorded, body planned.
    async fn block(
        &self,
        host: &PipelineHost,
        interp: &Interp,
        name: &str,
        mut args: CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let Some(Value::Closure(body)) = args.positional.pop() else {
            return Err(Flow::fatal("internal: a block step without its body", span));
        };
        let named = super::blocks::block_args(name, &args, span).unwrap_or_default();
        let id = self.next_id();
        if name == "sshagent" {
            for key in credential_list(&args) {
                self.use_credential(cx, &key, Some("sshUserPrivateKey"), name.into(), Vec::new());
            }
        }
        if let Some(serde_json::Value::String(cred)) = named
            .get("credentialsId")
            .or_else(|| named.get("credentials"))
        {
            // `withAWS(credentials: 'id')` takes an `aws` credential; a registry login a
            // username and password (`aws` for `ecr:<region>:<id>`).
            let expected = match name {
                "withAWS" => Some("aws"),
                "withDockerRegistry" => Some(super::registry::needs(cred).0),
                _ => None,
            };
            self.use_credential(cx, cred, expected, name.to_string(), Vec::new());
        }
        self.record(host, cx, id, name, named, true, true, None);
        let mut inside = (*cx.dynamic).clone();
        inside.plan_parent = Some(id);
        if steps::lookup(name).is_none() && crate::stdlib::Catalogue::builtin().step(name).is_none()
        {
            // A library's block (`cosaPod { … }`, `withPod { … }`) usually gives its body a
            // node: its steps are planned as they would run there.
            inside.on_node = true;
            self.local_run_lacks(name, false);
        }
        interp
            .call_closure(&body, Vec::new(), span, &cx.with_dynamic(inside))
            .await
    }

    async fn with_credentials(
        &self,
        host: &PipelineHost,
        interp: &Interp,
        args: CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let Some(Value::Closure(body)) = args.positional.last().cloned() else {
            return Err(Flow::exception(
                "java.lang.IllegalArgumentException",
                "`withCredentials` needs a block: `withCredentials(...) { ... }`",
            )
            .at(span));
        };
        let list = blocks::arg(&args, "bindings").unwrap_or(Value::Null);
        let mut dynamic = (*cx.dynamic).clone();
        let mut shown = Vec::new();
        let mut refused = None;
        for item in crate::eval::gdk::iter_items(&list)? {
            let Value::Map(map) = &item else {
                continue;
            };
            let mut params: IndexMap<String, String> = map
                .borrow()
                .iter()
                .map(|(k, v)| (to_string(&k.0), to_string(v)))
                .collect();
            let symbol = params.shift_remove(SYMBOL_KEY).or_else(|| {
                let class = params.shift_remove("$class")?;
                let short = class.rsplit('.').next().unwrap_or(&class).to_string();
                BINDINGS
                    .iter()
                    .find(|b| b.1 == short)
                    .map(|b| b.0.to_string())
            });
            let symbol = symbol.unwrap_or_else(|| "binding".into());
            let binding_kind = BINDINGS.iter().find(|b| b.0 == symbol).map(|b| b.2);
            let expected = binding_kind.map(crate::creds::Kind::type_name);
            let id = params.shift_remove("credentialsId").unwrap_or_default();
            if refused.is_none() {
                refused = self.refusal(&id, binding_kind);
            }
            let mut vars: Vec<String> = params
                .iter()
                .filter(|(k, _)| k.as_str() == "variable" || k.ends_with("Variable"))
                .map(|(_, v)| v.clone())
                .collect();
            if symbol == "aws" && vars.is_empty() {
                // The binding's defaults.
                vars = vec!["AWS_ACCESS_KEY_ID".into(), "AWS_SECRET_ACCESS_KEY".into()];
            }
            for v in &vars {
                env_insert(&mut dynamic.env, v, Some("****".to_string()));
                self.remember_secret(v);
            }
            self.use_credential(
                cx,
                &id,
                expected,
                format!("withCredentials {symbol}"),
                vars.clone(),
            );
            let mut entry = Map::new();
            entry.insert("binding".into(), json!(symbol));
            entry.insert("credentialsId".into(), json!(id));
            for (k, v) in &params {
                entry.insert(k.clone(), json!(v));
            }
            shown.push(serde_json::Value::Object(entry));
        }
        let id = self.next_id();
        let mut named = Map::new();
        named.insert("bindings".into(), serde_json::Value::Array(shown));
        self.record(host, cx, id, "withCredentials", named, true, true, None);
        if let Some(message) = refused {
            // The run fails here, before the body, with the store's own words.
            self.refuse(
                cx,
                "withCredentials",
                ("hudson.AbortException", message),
                span,
            )?;
        }
        dynamic.plan_parent = Some(id);
        interp
            .call_closure(&body, Vec::new(), span, &cx.with_dynamic(dynamic))
            .await
    }
}

/// Body steps whose own work has an effect outside the plan.
// `lock` takes a file lock under the build home in a run, and would wait for another build:
// a plan records it and plans its body. `withDockerContainer` (also what `image.inside`
// hands the planner) would start a container: the plan never reaches the engine.
const EFFECTFUL_BLOCKS: &[&str] = &[
    "withAWS",
    "withDockerRegistry",
    "withDockerServer",
    "lock",
    "withDockerContainer",
];

impl Planner for Recorder {
    fn call<'a>(
        &'a self,
        host: &'a PipelineHost,
        interp: &'a Interp,
        name: &'a str,
        args: CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        if name == "load" {
            return Some(Box::pin(self.load(host, interp, args, span, cx)));
        }
        if name == "withCredentials" {
            return Some(Box::pin(
                self.with_credentials(host, interp, args, span, cx),
            ));
        }
        if let Some(r) = self.unsupported_step(host, name, &args, span, cx) {
            return Some(Box::pin(async move { r }));
        }
        // Body steps that would reach a server (STS, a registry, a Docker engine) are recorded
        // and their body planned; the other body steps (dir, timeout, retry, …) run as usual.
        if EFFECTFUL_BLOCKS.contains(&name) {
            return Some(Box::pin(self.block(host, interp, name, args, span, cx)));
        }
        // A plan never waits nor repeats: `timeout` and `retry` are recorded around one
        // planning of their body, `waitUntil`'s body is planned once.
        if matches!(name, "timeout" | "retry" | "waitUntil") {
            return Some(Box::pin(async move {
                let value = self.block(host, interp, name, args, span, cx).await?;
                Ok(if name == "waitUntil" {
                    Value::Null
                } else {
                    value
                })
            }));
        }
        if super::blocks::SHOWN.contains(&name) {
            return Some(Box::pin(
                self.shown_block(host, interp, name, args, span, cx),
            ));
        }
        if name == "stage" {
            super::tree::stage_conditional(&emitter(host, cx), cx.dynamic.conditional.as_deref());
        }
        if blocks::is_block_step(name) {
            return None;
        }
        if matches!(args.positional.last(), Some(Value::Closure(_))) {
            return Some(Box::pin(self.block(host, interp, name, args, span, cx)));
        }
        if steps::lookup(name).is_none() {
            if symbol::describable(name, &args, span).is_some() {
                return None;
            }
            if let Some(note) = self.library_note(name) {
                let r = self.record_library(host, name, &args, note, span, cx);
                return Some(Box::pin(async move { r }));
            }
            if super::unsupported::script_method(name) {
                // Not a step: the run fails on it (`No such DSL method`), and so does the plan.
                return None;
            }
            if crate::stdlib::Catalogue::builtin().step(name).is_none() {
                // A library's or a plugin's step: recorded as unknown, the plan goes on.
                self.local_run_lacks(name, false);
                let r = self.unknown_step(host, name, &args, span, cx);
                return Some(Box::pin(async move { r }));
            }
        }
        Some(Box::pin(self.leaf(host, name, args, span, cx)))
    }

    fn environment_credential(
        &self,
        _host: &PipelineHost,
        cx: &Cx,
        var: &str,
        id: &str,
        span: Span,
    ) -> R<Vec<(String, String)>> {
        let kind = self.kind_of(id).unwrap_or("unknown");
        let mut vars = match kind {
            "aws" => vec![
                "AWS_ACCESS_KEY_ID".to_string(),
                "AWS_SECRET_ACCESS_KEY".to_string(),
            ],
            "usernamePassword" | "sshUserPrivateKey" => {
                vec![var.to_string(), format!("{var}_USR"), format!("{var}_PSW")]
            }
            _ => vec![var.to_string()],
        };
        vars.dedup();
        for v in &vars {
            self.remember_secret(v);
        }
        self.use_credential(cx, id, None, "environment".into(), vars.clone());
        if let Some(refused) = self.environment_refusal(id) {
            self.refuse(cx, &format!("credentials('{id}')"), refused, span)?;
        }
        Ok(vars.into_iter().map(|v| (v, "****".to_string())).collect())
    }

    fn when_condition(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        condition: &Condition,
        text: &str,
        holds: bool,
    ) -> bool {
        let env = |name: &str| host.state.env_var(&cx.dynamic, name);
        let unknowns = std::mem::take(&mut *self.when_unknowns.borrow_mut());
        let values = std::mem::take(&mut *self.when_values.borrow_mut());
        let verdicts = std::mem::take(&mut *self.when_verdicts.borrow_mut());
        let depends = (!unknowns.is_empty()).then(|| {
            unknowns
                .iter()
                .map(|u| format!("<{u}>"))
                .collect::<Vec<_>>()
                .join(", ")
        });
        // A condition on a run-time value could go either way: the stage is planned.
        let holds = holds || depends.is_some();
        let check = WhenCheck {
            condition: text.split_whitespace().collect::<Vec<_>>().join(" "),
            holds: depends.is_none().then_some(holds),
            detail: match &depends {
                Some(d) => format!("depends on {d}"),
                None => when::detail(condition, &env, holds, &values, &verdicts),
            },
            depends,
        };
        let line = serde_json::to_string(&check).unwrap_or_default();
        emitter(host, cx).emit(Event::Log {
            line: format!("{WHEN_MARK}{line}"),
        });
        holds
    }

    fn when_unknown(&self, origin: &str) {
        self.when_unknowns.borrow_mut().push(origin.to_string());
    }

    fn unknown_name(&self, name: &str) -> Option<Value> {
        (!super::unsupported::jdk_class(name)).then(|| self.assume(name))
    }

    fn env_set(&self, name: &str, value: &Value) {
        self.remember_env(name, value);
    }

    fn env_unknown(&self, name: &str, text: &str) -> Option<Value> {
        self.env_value(name, text)
    }

    fn param(&self, name: &str) -> Option<Value> {
        self.secret_params
            .iter()
            .any(|p| p == name)
            .then(|| Value::unknown("****"))
    }

    fn when_verdict(&self, span: crate::source::Span, holds: bool) {
        self.when_verdicts.borrow_mut().push((span, holds));
    }

    fn when_value(&self, what: &str) {
        self.when_values.borrow_mut().push(what.to_string());
    }

    fn result_set(&self, value: &Value, conditional: Option<&str>) {
        self.possible_result(value, conditional);
    }

    fn result_step(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        name: &str,
        message: &str,
        result: crate::report::BuildResult,
    ) {
        let id = self.next_id();
        let mut args = Map::new();
        args.insert("message".into(), json!(message));
        self.record(host, cx, id, name, args, false, false, None);
        if let Some(c) = cx.dynamic.conditional.as_deref() {
            self.could_end(result, format!("{name} '{message}' {c}"));
        }
    }

    fn method_call(
        &self,
        host: &PipelineHost,
        origin: &str,
        name: &str,
        args: &CallArgs,
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        self.library_call(host, origin, name, args, span, cx)
    }

    fn could_end(&self, result: crate::report::BuildResult, why: &str) {
        Recorder::could_end(self, result, why.to_string());
    }

    fn possible_results(&self) -> Vec<(Option<crate::report::BuildResult>, String)> {
        self.possible_whys()
    }

    fn could_fail(&self, stages: Option<&[String]>) -> bool {
        if stages.is_none() {
            return self.effects.get() > 0;
        }
        self.steps.borrow().iter().any(|r| {
            r.step.effect
                && !r.step.block
                && stages.is_none_or(|names| r.stage.as_ref().is_some_and(|s| names.contains(s)))
        })
    }

    fn effects(&self) -> usize {
        self.effect_count()
    }

    fn could_skip(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        result: crate::report::BuildResult,
        option: &str,
    ) {
        if let Some(line) = self.could_skip_mark(result, option) {
            emitter(host, cx).emit(Event::Log { line });
        }
    }

    fn post_verdict(
        &self,
        stage: Option<&str>,
        condition: &str,
        runs: &'static str,
        why: Option<&str>,
    ) {
        self.remember_verdict(stage, condition, runs, why);
    }

    fn note(&self, host: &PipelineHost, cx: &Cx, text: &str) {
        let id = self.next_id();
        let mut args = Map::new();
        args.insert("text".into(), json!(text));
        self.record(host, cx, id, "note", args, false, false, None);
    }
}

pub(super) fn emitter(host: &PipelineHost, cx: &Cx) -> Emitter {
    cx.dynamic
        .emitter
        .clone()
        .unwrap_or_else(|| host.state.config.emitter.clone())
}

/// The workspace of the `node` `cx` is in (`workspace@2` when another lease holds the
/// build's).
pub(super) fn workspace_of(host: &PipelineHost, cx: &Cx) -> PathBuf {
    host.state.workspace(&cx.dynamic)
}

pub(super) fn cwd(host: &PipelineHost, cx: &Cx) -> PathBuf {
    cx.dynamic
        .cwd
        .clone()
        .unwrap_or_else(|| host.state.config.host.workspace.clone())
}

/// Text built around a run-time value (`"deploy ${answer}"`) reads as its text with the
/// value's placeholder inside (`deploy <result of input#4>`), not as one opaque value.
fn readable(mut args: CallArgs) -> CallArgs {
    let fix = |v: &mut Value| {
        if let Value::Unknown(origin) = v
            && origin.contains('<')
        {
            *v = Value::string(origin.to_string());
        }
    };
    args.positional.iter_mut().for_each(fix);
    args.named.values_mut().for_each(fix);
    args
}

/// The variables `checkout scm` returns in a run (`GIT_COMMIT`, `GIT_BRANCH`, `GIT_URL`, …),
/// by the run's own function, for the commit checked out in the working tree.
fn checkout_vars(host: &PipelineHost) -> Option<Map<String, serde_json::Value>> {
    let source = host.state.config.host.scm.as_ref()?;
    let report = crate::home::CheckoutReport {
        commit: super::repo::head_commit(&source.repo),
        ..crate::home::CheckoutReport::default()
    };
    Some(crate::steps::scm::vars(source, &report))
}

/// `checkout scm` shows `scm`, not the map the `scm` global stands for.
fn scm_by_name(host: &PipelineHost, named: &mut Map<String, serde_json::Value>) {
    let Some(scm) = &host.state.config.host.scm else {
        return;
    };
    if named.get("scm") == Some(&scm.global()) {
        named.insert("scm".into(), json!("scm"));
    }
}

/// The ids of `sshagent(['a', 'b'])` or `sshagent(credentials: [...])`.
pub(super) fn credential_list(args: &CallArgs) -> Vec<String> {
    let list = blocks::arg(args, "credentials").unwrap_or(Value::Null);
    crate::eval::gdk::iter_items(&list)
        .unwrap_or_default()
        .iter()
        .map(to_string)
        .collect()
}

/// Joins a step's file argument to the directory it runs in.
pub(super) fn path_in(cwd: &Path, file: &str) -> PathBuf {
    cwd.join(file)
}
