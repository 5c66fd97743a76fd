//! The log shapes every declarative construct is made of: a block step
//! (`[Pipeline] name`, `[Pipeline] {`, …, `[Pipeline] }`, `[Pipeline] // name`), a stage, and
//! the `getContext` atom a skipped stage prints.

use std::rc::Rc;
use std::time::Instant;

use super::Run;
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::host::LocalBoxFuture;
use crate::eval::pipeline::{describe_failure, env_insert};
use crate::eval::scope::Cx;
use crate::report::{BuildResult, Emitter, Event};
use crate::steps::Cancel;

/// A piece of the run, boxed so that stages can nest.
pub(super) type Fut<'a, T> = LocalBoxFuture<'a, R<T>>;

pub(super) fn emitter(run: &Run<'_>, cx: &Cx) -> Emitter {
    cx.dynamic
        .emitter
        .clone()
        .unwrap_or_else(|| run.host.state.config.emitter.clone())
}

pub(super) fn cancel(run: &Run<'_>, cx: &Cx) -> Cancel {
    cx.dynamic
        .cancel
        .clone()
        .unwrap_or_else(|| run.host.state.config.cancel.clone())
}

/// The result and error text of an outcome, as a step's end event carries them.
pub(super) fn outcome<T>(r: &R<T>) -> (BuildResult, Option<String>) {
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

pub(super) fn step_start(run: &Run<'_>, cx: &Cx, name: &str, summary: String, block: bool) {
    emitter(run, cx).emit(Event::StepStart {
        name: name.to_string(),
        summary,
        block,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
}

/// A block step around `body`, which runs with `dynamic`.
pub(super) async fn block<'a, T>(
    run: &Run<'a>,
    cx: &Cx,
    name: &str,
    logs: Vec<String>,
    dynamic: Dynamic,
    body: impl FnOnce(Cx) -> Fut<'a, T>,
) -> R<T> {
    let emit = emitter(run, cx);
    step_start(run, cx, name, String::new(), true);
    for line in logs {
        emit.log(line);
    }
    emit.emit(Event::BodyStart { label: None });
    let started = Instant::now();
    let r = body(cx.with_dynamic(dynamic)).await;
    emit.emit(Event::BodyEnd);
    let (result, error) = outcome(&r);
    emit.emit(Event::StepEnd {
        name: name.to_string(),
        block: true,
        result,
        duration_ms: millis(started),
        error,
    });
    r
}

/// `withEnv` with `vars` (an empty value unsets, as in Jenkins).
pub(super) async fn with_env<'a, T>(
    run: &Run<'a>,
    cx: &Cx,
    vars: &[(String, String)],
    body: impl FnOnce(Cx) -> Fut<'a, T>,
) -> R<T> {
    let mut d = (*cx.dynamic).clone();
    for (k, v) in vars {
        if let Some((var, _)) = k.split_once('+') {
            // `PATH+JDK=/opt/jdk/bin` prepends to `PATH`.
            let joined = match run.host.state.env_var(&d, var) {
                Some(old) if !old.is_empty() => format!("{v}:{old}"),
                _ => v.clone(),
            };
            env_insert(&mut d.env, var, Some(joined));
            continue;
        }
        env_insert(
            &mut d.env,
            k,
            if v.is_empty() { None } else { Some(v.clone()) },
        );
    }
    block(run, cx, "withEnv", Vec::new(), d, body).await
}

/// `[Pipeline] stage` / `[Pipeline] { (name)`; the returned context is the stage's.
pub(super) fn stage_start(run: &Run<'_>, cx: &Cx, name: &str) -> Cx {
    emitter(run, cx).emit(Event::StageStart {
        name: name.to_string(),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let mut d = (*cx.dynamic).clone();
    d.stage = Some(Rc::from(name));
    env_insert(&mut d.env, "STAGE_NAME", Some(name.to_string()));
    cx.with_dynamic(d)
}

pub(super) fn stage_end(
    run: &Run<'_>,
    cx: &Cx,
    name: &str,
    result: BuildResult,
    skipped: bool,
    started: Instant,
) {
    emitter(run, cx).emit(Event::StageEnd {
        name: name.to_string(),
        result,
        skipped,
        duration_ms: millis(started),
    });
}

/// The skip line and the `getContext` step modern Jenkins prints after it (§5.4).
pub(super) fn skip_line(run: &Run<'_>, cx: &Cx, line: String) {
    let emit = emitter(run, cx);
    emit.log(line);
    step_start(run, cx, "getContext", String::new(), false);
    emit.emit(Event::StepEnd {
        name: "getContext".into(),
        block: false,
        result: BuildResult::Success,
        duration_ms: 0,
        error: None,
    });
}

pub(super) fn millis(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
