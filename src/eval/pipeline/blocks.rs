//! Steps with a body, which Jenkins implements in its flow engine rather than as leaf
//! executors: `node`, `stage`, `parallel`, `dir`, `withEnv`, `timeout`, `retry`,
//! `waitUntil`, `script`, `catchError`, `warnError`, and the transparent wrappers
//! `timestamps` and `ansiColor`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::credentials::with_credentials;
use super::leaf::{describe_failure, report_failure_in};
use super::parallel::parallel;
use super::timeout::timeout;
use super::{PipelineHost, env_insert, interrupted, resolve_dir};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::report::{BuildResult, Event, timespan};
use crate::source::Span;

const BLOCK_STEPS: &[&str] = &[
    "ansiColor",
    "catchError",
    "dir",
    "lock",
    "node",
    "parallel",
    "pipeline",
    "retry",
    "script",
    "stage",
    "timeout",
    "timestamps",
    "waitUntil",
    "warnError",
    "withAWS",
    "withCredentials",
    "withDockerContainer",
    "withDockerRegistry",
    "withDockerServer",
    "withEnv",
    "ws",
];

pub(crate) fn is_block_step(name: &str) -> bool {
    BLOCK_STEPS.contains(&name)
}

fn body(name: &str, args: &CallArgs, span: Span) -> R<Rc<Closure>> {
    match args.positional.last() {
        Some(Value::Closure(c)) => Ok(c.clone()),
        _ => Err(Flow::exception(
            "java.lang.IllegalArgumentException",
            format!("`{name}` needs a block: `{name}(...) {{ ... }}`"),
        )
        .at(span)),
    }
}

/// The first unnamed argument that is not the body, or the named one.
pub(crate) fn arg(args: &CallArgs, named: &str) -> Option<Value> {
    if let Some(v) = args.named.get(&Key::str(named)) {
        return Some(v.clone());
    }
    args.positional
        .iter()
        .find(|v| !matches!(v, Value::Closure(_)))
        .cloned()
}

/// A `buildResult:`/`stageResult:` option: one of the five result names, case-insensitive,
/// or Jenkins' validation error.
fn result_option(args: &CallArgs, key: &str, default: BuildResult, span: Span) -> R<BuildResult> {
    let Some(v) = named(args, key) else {
        return Ok(default);
    };
    let text = to_string(&v);
    let parsed = BuildResult::parse(&text);
    if parsed.as_str().eq_ignore_ascii_case(&text) {
        Ok(parsed)
    } else {
        Err(Flow::exception(
            "java.lang.IllegalArgumentException",
            format!(
                "{key} is invalid: {text}. Valid options are SUCCESS, UNSTABLE, FAILURE, NOT_BUILT and ABORTED."
            ),
        )
        .at(span))
    }
}

pub(crate) fn named(args: &CallArgs, key: &str) -> Option<Value> {
    args.named.get(&Key::str(key)).cloned()
}

pub(crate) fn result_of(r: &R<Value>) -> (BuildResult, Option<String>) {
    match r {
        Ok(_) => (BuildResult::Success, None),
        Err(Flow::Throw(e)) => {
            let (res, text) = describe_failure(e);
            (res, Some(text))
        }
        Err(Flow::Fatal(f)) => (BuildResult::Failure, Some(f.message.clone())),
        Err(_) => (BuildResult::Success, None),
    }
}

impl PipelineHost {
    /// `[Pipeline] name`, optional log lines, `[Pipeline] {`, the body, `[Pipeline] }`,
    /// `[Pipeline] // name`.
    #[allow(clippy::too_many_arguments)]
    async fn block(
        &self,
        interp: &Interp,
        name: &str,
        summary: String,
        logs: &[String],
        dynamic: Dynamic,
        c: &Rc<Closure>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        self.block_handled(interp, name, summary, logs, dynamic, c, span, cx, |r| r)
            .await
    }

    /// [`Self::block`], with `handle` turning the body's outcome into the step's between
    /// `[Pipeline] }` and `[Pipeline] // name`: where Jenkins prints what catchError caught.
    #[allow(clippy::too_many_arguments)]
    async fn block_handled(
        &self,
        interp: &Interp,
        name: &str,
        summary: String,
        logs: &[String],
        dynamic: Dynamic,
        c: &Rc<Closure>,
        span: Span,
        cx: &Cx,
        handle: impl FnOnce(R<Value>) -> R<Value>,
    ) -> R<Value> {
        let emit = self.emitter(cx);
        emit.emit(Event::StepStart {
            name: name.to_string(),
            summary,
            block: true,
            stage: cx.dynamic.stage.as_deref().map(str::to_string),
            branch: cx.dynamic.branch.as_deref().map(str::to_string),
        });
        for line in logs {
            emit.log(line.clone());
        }
        emit.emit(Event::BodyStart { label: None });
        let started = Instant::now();
        let inner = cx.with_dynamic(dynamic);
        let r = interp.call_closure(c, Vec::new(), span, &inner).await;
        emit.emit(Event::BodyEnd);
        let r = handle(r);
        let (result, error) = result_of(&r);
        emit.emit(Event::StepEnd {
            name: name.to_string(),
            block: true,
            result,
            duration_ms: started.elapsed().as_millis() as u64,
            error,
        });
        r
    }
}

pub(crate) async fn run(
    host: &PipelineHost,
    interp: &Interp,
    name: &str,
    args: CallArgs,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    if name == "pipeline" {
        return match host.state.declarative.clone() {
            Some(model) => crate::eval::declarative::run(host, interp, &model, span, cx).await,
            None => Err(Flow::fatal(
                "unsupported: this `pipeline { }` block is not a valid declarative pipeline",
                span,
            )),
        };
    }
    if name == "parallel" {
        return parallel(host, interp, args, span, cx).await;
    }
    if name == "stage" && !matches!(args.positional.last(), Some(Value::Closure(_))) {
        // The old form `stage 'Build'` marks the start of a stage that runs to the next one.
        let stage = arg(&args, "name")
            .map(|v| to_string(&v))
            .unwrap_or_default();
        let emit = host.emitter(cx);
        emit.emit(Event::StepStart {
            name: format!("stage ({stage})"),
            summary: format!("name: {stage}"),
            block: false,
            stage: Some(stage.clone()),
            branch: cx.dynamic.branch.as_deref().map(str::to_string),
        });
        emit.log("Using the ‘stage’ step without a block argument is deprecated");
        emit.emit(Event::StepEnd {
            name: "stage".into(),
            block: false,
            result: BuildResult::Success,
            duration_ms: 0,
            error: None,
        });
        return Ok(Value::Null);
    }
    let c = body(name, &args, span)?;
    let d = (*cx.dynamic).clone();
    let workspace = host.state.workspace(&d);
    match name {
        "node" => {
            let label = arg(&args, "label")
                .map(|v| to_string(&v))
                .unwrap_or_default();
            let entry =
                super::node_workspace::enter_node(&host.state, &d).map_err(|e| e.at(span))?;
            let summary = if label.is_empty() {
                String::new()
            } else {
                format!("label: {label}")
            };
            // The same note as a declarative `agent { label … }`: no agent is chosen locally.
            let mut logs = vec![entry.line];
            if !label.is_empty() && host.state.plan.is_none() {
                logs.push(format!(
                    "Note: node label '{label}' is ignored locally; the block runs on this machine"
                ));
            }
            let r = host
                .block(interp, name, summary, &logs, entry.dynamic, &c, span, cx)
                .await;
            // Released only now, whether the block succeeded, failed or (by drop) was aborted.
            drop(entry.lease);
            r
        }
        "dir" => {
            let path = arg(&args, "path")
                .map(|v| to_string(&v))
                .unwrap_or_default();
            if !cx.dynamic.on_node {
                let mut summary = serde_json::Map::new();
                summary.insert("path".into(), serde_json::Value::String(path));
                return Err(super::leaf::missing_workspace(
                    host, name, &summary, span, cx,
                ));
            }
            let dir = resolve_dir(cx, &workspace, &path);
            super::ws_step::refuse_dir_in_repository(host, &dir, span)?;
            let line = format!("Running in {}", dir.display());
            let mut lines = vec![line];
            // Allowed, as in Jenkins; but writes there are refused (steps::safety).
            if crate::steps::outside_workspace(&dir, &workspace) {
                lines.push(format!(
                    "Note: {} is outside the workspace; steps that write files refuse to write there",
                    dir.display()
                ));
            }
            let dynamic = Dynamic {
                cwd: Some(dir),
                ..d
            };
            host.block(
                interp,
                name,
                format!("path: {path}"),
                &lines,
                dynamic,
                &c,
                span,
                cx,
            )
            .await
        }
        "ws" => {
            let dir = arg(&args, "dir").map(|v| to_string(&v));
            let entry = super::ws_step::enter_ws(host, dir.as_deref(), span, cx)?;
            let r = host
                .block(
                    interp,
                    name,
                    dir.map(|d| format!("dir: {d}")).unwrap_or_default(),
                    &entry.lines(),
                    entry.dynamic,
                    &c,
                    span,
                    cx,
                )
                .await;
            drop(entry.lease);
            r
        }
        "withEnv" => {
            let list = arg(&args, "overrides").unwrap_or(Value::Null);
            let mut dynamic = d;
            let mut shown = Vec::new();
            for item in crate::eval::gdk::iter_items(&list)? {
                let text = to_string(&item);
                shown.push(text.clone());
                let (k, v) = text.split_once('=').unwrap_or((&text, ""));
                if let Some((var, _)) = k.split_once('+') {
                    // `PATH+EXTRA=/opt/bin` prepends to `PATH`.
                    let current = host.state.env_var(&dynamic, var);
                    let joined = match current {
                        Some(c) if !c.is_empty() => format!("{v}:{c}"),
                        _ => v.to_string(),
                    };
                    env_insert(&mut dynamic.env, var, Some(joined));
                } else if v.is_empty() {
                    env_insert(&mut dynamic.env, k, None);
                } else {
                    env_insert(&mut dynamic.env, k, Some(v.to_string()));
                }
            }
            host.block(interp, name, shown.join(", "), &[], dynamic, &c, span, cx)
                .await
        }
        "script" | "timestamps" | "ansiColor" => {
            host.block(interp, name, String::new(), &[], d, &c, span, cx)
                .await
        }
        "lock" => super::lock::lock(host, interp, &args, &c, d, span, cx).await,
        "stage" => {
            let stage = arg(&args, "name")
                .map(|v| to_string(&v))
                .unwrap_or_default();
            let emit = host.emitter(cx);
            emit.emit(Event::StageStart {
                name: stage.clone(),
                branch: cx.dynamic.branch.as_deref().map(str::to_string),
            });
            let started = Instant::now();
            let mark = Rc::new(Cell::new(BuildResult::Success));
            let mut dynamic = Dynamic {
                stage: Some(Rc::from(stage.as_str())),
                stage_warning: Some(mark.clone()),
                ..d
            };
            // Jenkins' stage step contributes STAGE_NAME to the environment of its body.
            env_insert(&mut dynamic.env, "STAGE_NAME", Some(stage.clone()));
            let r = interp
                .call_closure(&c, Vec::new(), span, &cx.with_dynamic(dynamic))
                .await;
            let (result, _) = result_of(&r);
            // A mark inside a nested stage shows on the stages around it too.
            PipelineHost::mark_stage(cx, mark.get());
            let result = result.max(mark.get());
            emit.emit(Event::StageEnd {
                name: stage,
                result,
                skipped: false,
                duration_ms: started.elapsed().as_millis() as u64,
            });
            r
        }
        "timeout" => timeout(host, interp, &args, d, &c, span, cx).await,
        "withCredentials" => with_credentials(host, interp, &args, &c, span, cx).await,
        "withAWS" => super::aws::with_aws(host, interp, &args, &c, span, cx).await,
        "withDockerRegistry" => {
            super::docker_global::with_docker_registry(host, interp, &args, &c, span, cx).await
        }
        "withDockerContainer" => {
            super::docker_inside::with_docker_container(host, interp, &args, &c, span, cx).await
        }
        "withDockerServer" => {
            super::docker_global::with_docker_server(host, interp, &args, &c, span, cx).await
        }
        "retry" => {
            let count = arg(&args, "count")
                .and_then(|v| v.as_i64())
                .unwrap_or(1)
                .max(1);
            // `conditions: [agent(), nonresumable(), kubernetesAgent()]` limit retrying to
            // the loss of an agent or a controller restart, neither of which happens to a
            // local build: with conditions, a failure is not retried.
            let conditions: Vec<String> = match named(&args, "conditions") {
                Some(list) => crate::eval::gdk::iter_items(&list)?
                    .iter()
                    .map(|c| match c {
                        Value::Map(m) => m
                            .borrow()
                            .get(&Key::str(crate::steps::parameter::SYMBOL_KEY))
                            .map_or_else(|| to_string(c), to_string),
                        other => to_string(other),
                    })
                    .collect(),
                None => Vec::new(),
            };
            let emit = host.emitter(cx);
            let mut summary = format!("count: {count}");
            if !conditions.is_empty() {
                summary = format!(
                    "{summary}, conditions: {} (never met by a local build: failures are not retried)",
                    conditions.join(", ")
                );
            }
            emit.emit(Event::StepStart {
                name: "retry".into(),
                summary,
                block: true,
                stage: cx.dynamic.stage.as_deref().map(str::to_string),
                branch: cx.dynamic.branch.as_deref().map(str::to_string),
            });
            let started = Instant::now();
            let mut attempt = 1;
            let r = loop {
                emit.emit(Event::BodyStart { label: None });
                let r = interp
                    .call_closure(&c, Vec::new(), span, &cx.with_dynamic(d.clone()))
                    .await;
                emit.emit(Event::BodyEnd);
                match r {
                    Err(Flow::Throw(e))
                        if attempt < count
                            && conditions.is_empty()
                            && !e.is_a("FlowInterruptedException") =>
                    {
                        report_failure_in(
                            &emit,
                            &e,
                            Some(&interp.source()),
                            Some("Execution failed"),
                        );
                        emit.log("Retrying");
                        attempt += 1;
                    }
                    other => break other,
                }
            };
            let (result, error) = result_of(&r);
            emit.emit(Event::StepEnd {
                name: "retry".into(),
                block: true,
                result,
                duration_ms: started.elapsed().as_millis() as u64,
                error,
            });
            r
        }
        "waitUntil" => {
            let emit = host.emitter(cx);
            let cancel = host.cancel(cx);
            // Jenkins' defaults: a first pause of 250 ms, growing by 1.2 up to 15 s.
            let initial = named(&args, "initialRecurrencePeriod")
                .and_then(|v| v.as_i64())
                .filter(|ms| *ms > 0)
                .map_or(250, i64::cast_unsigned);
            let quiet = named(&args, "quiet").is_some_and(|v| v.truthy());
            let mut period = Duration::from_millis(initial);
            let inner = d.clone();
            let waiting = async {
                loop {
                    let v = interp
                        .call_closure(&c, Vec::new(), span, &cx.with_dynamic(inner.clone()))
                        .await?;
                    if v.truthy() {
                        return Ok(Value::Null);
                    }
                    if !quiet {
                        emit.log(format!(
                            "Will try again after {}",
                            timespan(period.as_millis() as u64)
                        ));
                    }
                    tokio::select! {
                        () = tokio::time::sleep(period) => {}
                        reason = cancel.cancelled() => return Err(interrupted(&reason).at(span)),
                    }
                    period = (period.mul_f64(1.2)).min(Duration::from_secs(15));
                }
            };
            emit.emit(Event::StepStart {
                name: "waitUntil".into(),
                summary: String::new(),
                block: true,
                stage: cx.dynamic.stage.as_deref().map(str::to_string),
                branch: cx.dynamic.branch.as_deref().map(str::to_string),
            });
            emit.emit(Event::BodyStart { label: None });
            let started = Instant::now();
            let r = waiting.await;
            emit.emit(Event::BodyEnd);
            let (result, error) = result_of(&r);
            emit.emit(Event::StepEnd {
                name: "waitUntil".into(),
                block: true,
                result,
                duration_ms: started.elapsed().as_millis() as u64,
                error,
            });
            r
        }
        "catchError" | "warnError" => {
            let (build_result, stage_result, message) = if name == "warnError" {
                let message = arg(&args, "message")
                    .map(|v| to_string(&v))
                    .filter(|m| !m.is_empty())
                    .ok_or_else(|| {
                        Flow::exception(
                            "java.lang.IllegalArgumentException",
                            "warnError: a non-empty message is required",
                        )
                        .at(span)
                    })?;
                (BuildResult::Unstable, BuildResult::Unstable, Some(message))
            } else {
                (
                    result_option(&args, "buildResult", BuildResult::Failure, span)?,
                    result_option(&args, "stageResult", BuildResult::Success, span)?,
                    named(&args, "message").map(|v| to_string(&v)),
                )
            };
            let catch_interruptions = named(&args, "catchInterruptions").is_none_or(|v| v.truthy());
            let in_stage = cx.dynamic.clone();
            let emit = host.emitter(cx);
            let state = host.state.clone();
            let script = interp.source();
            host.block_handled(
                interp,
                name,
                String::new(),
                &[],
                d,
                &c,
                span,
                cx,
                |r| match r {
                    Err(Flow::Throw(e))
                        if catch_interruptions || !e.is_a("FlowInterruptedException") =>
                    {
                        if let Some(m) = message {
                            emit.emit(Event::Error { message: m });
                        }
                        report_failure_in(&emit, &e, Some(&script), None);
                        // An interruption's own result (ABORTED) wins over `buildResult`.
                        let (caught, _) = describe_failure(&e);
                        let (for_build, for_stage) = if caught == BuildResult::Aborted {
                            (caught, caught)
                        } else {
                            (build_result, stage_result)
                        };
                        if for_build != BuildResult::Success {
                            state.degrade(for_build);
                        }
                        state.mark_stage(&in_stage, for_stage);
                        Ok(Value::Null)
                    }
                    other => other,
                },
            )
            .await
        }
        _ => Err(super::leaf::unsupported(
            format!("unsupported: step '{name}' is not available yet"),
            span,
        )),
    }
}
