//! `options { }` at pipeline and stage level (runtime-semantics.md §5.7): the wrappers
//! (`timeout`, `retry`, `timestamps`, `ansiColor`, and any block-scoped step such as
//! `withCredentials`, `withEnv` or `lock`) nest around the body in declaration order;
//! the declarative flags are read by the runner; job properties have no meaning for one local
//! build and say so in one line.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::Run;
use super::agent::UNSUPPORTED;
use super::wrap::{Fut, cancel, emitter, millis, outcome, step_start};
use crate::eval::args::CallArgs;
use crate::eval::closure::{Closure, ClosureKind, NativeBody};
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::host::Host;
use crate::eval::host::LocalBoxFuture;
use crate::eval::num::to_f64;
use crate::eval::pipeline::{interrupted, report_failure};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::model::Pipeline;
use crate::model::pipeline::{Arguments, Invocation, Name, Section};
use crate::report::{Event, timespan};
use crate::syntax::ast::{Expr, ExprKind};

/// The root options the runner reads.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct RootFlags {
    pub skip_after_unstable: bool,
    pub always_fail_fast: bool,
    pub skip_checkout: bool,
}

pub(super) fn root_flags(model: &Pipeline) -> RootFlags {
    let mut flags = RootFlags::default();
    for o in model.options.iter().flatten() {
        match o.name.node.as_str() {
            "skipStagesAfterUnstable" => flags.skip_after_unstable = true,
            "parallelsAlwaysFailFast" => flags.always_fail_fast = true,
            "skipDefaultCheckout" => flags.skip_checkout = flag_value(o),
            _ => {}
        }
    }
    flags
}

/// `skipDefaultCheckout()` or `skipDefaultCheckout(true)` in these options, if present.
pub(super) fn skip_checkout(options: Option<&Section<Invocation>>) -> Option<bool> {
    options?
        .iter()
        .find(|o| o.name.node == "skipDefaultCheckout")
        .map(flag_value)
}

fn flag_value(o: &Invocation) -> bool {
    match o.arg("value", Some("value")) {
        Some(e) => !matches!(&e.node, crate::syntax::ast::ExprKind::Bool(false)),
        None => true,
    }
}

/// Options with no effect on one local build: one note each.
const NO_LOCAL_MEANING: &[&str] = &[
    "buildDiscarder",
    "quietPeriod",
    "durabilityHint",
    "overrideIndexTriggers",
    "rateLimitBuilds",
    "disableRestartFromStage",
    "copyArtifactPermission",
];

/// Read by the runner itself (no wrapper, no note).
const READ_BY_RUNNER: &[&str] = &[
    "skipDefaultCheckout",
    "checkoutToSubdirectory",
    "newContainerPerStage",
    "skipStagesAfterUnstable",
    "parallelsAlwaysFailFast",
    "disableConcurrentBuilds",
    "preserveStashes",
];

const WRAPPERS: &[&str] = &["timeout", "retry", "timestamps", "ansiColor"];

/// Prints the notes for options that mean nothing locally.
pub(super) fn notes(run: &Run<'_>, cx: &Cx, options: Option<&Section<Invocation>>) {
    let emit = emitter(run, cx);
    for o in options.into_iter().flatten() {
        let name = o.name.node.as_str();
        if name == "preserveStashes" {
            let builds = match o.arg("buildCount", Some("buildCount")).map(|e| &e.node) {
                Some(ExprKind::Int(n)) => u32::from_str_radix(&n.digits, n.radix).unwrap_or(1),
                _ => 1,
            };
            run.host.state.config.host.stash_retention.preserve(builds);
        } else if name == "disableResume" {
            emit.log(
                "Resume disabled by user, switching to high-performance, low-durability mode.",
            );
        } else if NO_LOCAL_MEANING.contains(&name) {
            emit.log(format!(
                "Note: option {name} has no meaning for a local run; ignored"
            ));
        }
    }
}

/// A body that wrappers may run more than once (`retry`).
pub(super) type Body<'a> = Rc<dyn Fn(Cx) -> Fut<'a, bool> + 'a>;

/// `body` inside the wrapper options, the first declared outermost.
pub(super) fn wrapped<'a>(
    run: &'a Run<'a>,
    cx: Cx,
    options: &'a [Invocation],
    body: Body<'a>,
) -> Fut<'a, bool> {
    let Some((index, first)) = options.iter().enumerate().find(|(_, o)| {
        let name = o.name.node.as_str();
        !NO_LOCAL_MEANING.contains(&name)
            && !READ_BY_RUNNER.contains(&name)
            && name != "disableResume"
    }) else {
        return body(cx);
    };
    let rest = &options[index + 1..];
    let inner: Body<'a> = Rc::new(move |cx| wrapped(run, cx, rest, body.clone()));
    Box::pin(async move {
        match first.name.node.as_str() {
            "timeout" => timeout(run, &cx, first, inner).await,
            "retry" => retry(run, &cx, first, inner).await,
            name @ ("timestamps" | "ansiColor") => {
                let d = (*cx.dynamic).clone();
                super::wrap::block(run, &cx, name, Vec::new(), d, |cx| inner(cx)).await
            }
            name if wraps_as_step(name) => as_step(run, &cx, first, inner).await,
            other => Err(Flow::exception(
                UNSUPPORTED,
                format!(
                    "unsupported: option {other} is not available locally (supported wrappers: {}, and block-scoped steps)",
                    WRAPPERS.join(", ")
                ),
            )
            .at(first.span)),
        }
    })
}

/// Block-scoped steps that may stand in `options` (`withCredentials`, `withEnv`, `lock`, …):
/// Jenkins runs them as the step around the stage's or pipeline's body.
fn wraps_as_step(name: &str) -> bool {
    crate::eval::pipeline::blocks::is_block_step(name)
        && !matches!(name, "pipeline" | "parallel" | "stage" | "node" | "script")
}

/// The option's arguments, evaluated as a step call's.
async fn step_args(run: &Run<'_>, cx: &Cx, o: &Invocation) -> R<CallArgs> {
    let mut args = CallArgs::default();
    let none_named: &[(Name, Expr)] = &[];
    let none: &[Expr] = &[];
    let (named, positional) = match &o.args {
        Arguments::None => (none_named, none),
        Arguments::Single(e) => (none_named, std::slice::from_ref(e)),
        Arguments::Positional(list) => (none_named, list.as_slice()),
        Arguments::Named(pairs) => (pairs.as_slice(), none),
        Arguments::Mixed { named, positional } => (named.as_slice(), positional.as_slice()),
    };
    for (k, e) in named {
        let v = run.interp.eval(e, cx).await?;
        args.named.insert(Key::str(&k.node), v);
    }
    for e in positional {
        args.positional.push(run.interp.eval(e, cx).await?);
    }
    Ok(args)
}

/// A block step given as an option: the step runs with a body that runs `body`. The step
/// calls its body through a channel, so the body keeps the declarative runtime's borrows
/// while the step holds a plain closure value.
async fn as_step<'a>(run: &Run<'a>, cx: &Cx, o: &Invocation, body: Body<'a>) -> R<bool> {
    type Request = (Cx, oneshot::Sender<R<Value>>);
    let mut args = step_args(run, cx, o).await?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Request>();
    let native = NativeBody(Rc::new(
        move |cx: Cx| -> LocalBoxFuture<'static, R<Value>> {
            let tx = tx.clone();
            Box::pin(async move {
                let (reply, answer) = oneshot::channel();
                tx.send((cx, reply))
                    .map_err(|_| interrupted("the option's body is no longer running"))?;
                answer
                    .await
                    .unwrap_or_else(|_| Err(interrupted("the option's body is no longer running")))
            })
        },
    ));
    args.positional.push(Value::Closure(Rc::new(Closure {
        id: run.interp.next_id(),
        kind: ClosureKind::Native(native),
        delegate: RefCell::new(None),
    })));
    let ran = Cell::new(false);
    let serve = async {
        while let Some((cx, reply)) = rx.recv().await {
            let r = body(cx).await;
            ran.set(matches!(r, Ok(true)));
            let _ = reply.send(r.map(Value::Bool));
        }
    };
    let Some(mut step) = run.host.call(run.interp, &o.name.node, args, o.span, cx) else {
        return body(cx.clone()).await;
    };
    tokio::pin!(serve);
    let mut serving = true;
    loop {
        tokio::select! {
            biased;
            r = &mut step => return r.map(|_| ran.get()),
            // Ends only once the step dropped its body; the step is still to be awaited.
            () = &mut serve, if serving => serving = false,
        }
    }
}

async fn timeout<'a>(run: &Run<'a>, cx: &Cx, o: &Invocation, body: Body<'a>) -> R<bool> {
    let time = match o.arg("time", Some("time")) {
        Some(e) => to_f64(&run.interp.eval(e, cx).await?).unwrap_or(0.0),
        None => 0.0,
    };
    let unit = match o.arg("unit", None) {
        Some(e) => to_string(&run.interp.eval(e, cx).await?),
        None => "MINUTES".to_string(),
    };
    let secs = match unit.as_str() {
        "NANOSECONDS" => time / 1e9,
        "MICROSECONDS" => time / 1e6,
        "MILLISECONDS" => time / 1e3,
        "SECONDS" => time,
        "HOURS" => time * 3600.0,
        "DAYS" => time * 86400.0,
        _ => time * 60.0,
    };
    let limit = Duration::from_secs_f64(secs.max(0.0));
    let child = cancel(run, cx).child();
    let emit = emitter(run, cx);
    step_start(
        run,
        cx,
        "timeout",
        format!("time: {time}, unit: {unit}"),
        true,
    );
    emit.log(format!(
        "Timeout set to expire in {}",
        timespan(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX))
    ));
    emit.emit(Event::BodyStart { label: None });
    let started = Instant::now();
    let inner = cx.with_dynamic(Dynamic {
        cancel: Some(child.clone()),
        ..(*cx.dynamic).clone()
    });
    let running = body(inner);
    tokio::pin!(running);
    let r = tokio::select! {
        r = &mut running => r,
        () = tokio::time::sleep(limit) => {
            emit.log("Cancelling nested steps due to timeout");
            child.cancel("Timeout has been exceeded");
            let _ = running.await;
            Err(interrupted("Timeout has been exceeded").at(o.span))
        }
    };
    emit.emit(Event::BodyEnd);
    let (result, error) = outcome(&r);
    emit.emit(Event::StepEnd {
        name: "timeout".into(),
        block: true,
        result,
        duration_ms: millis(started),
        error,
    });
    r
}

async fn retry<'a>(run: &Run<'a>, cx: &Cx, o: &Invocation, body: Body<'a>) -> R<bool> {
    let count = match o.arg("count", Some("count")) {
        Some(e) => run.interp.eval(e, cx).await?.as_i64().unwrap_or(1).max(1),
        None => 1,
    };
    let emit = emitter(run, cx);
    step_start(run, cx, "retry", format!("count: {count}"), true);
    let started = Instant::now();
    let mut attempt = 1;
    let r = loop {
        emit.emit(Event::BodyStart { label: None });
        let r = body(cx.clone()).await;
        emit.emit(Event::BodyEnd);
        match r {
            Err(Flow::Throw(e))
                if attempt < count
                    && !(e.is_a("FlowInterruptedException")
                        && e.message.as_deref() != Some("Timeout has been exceeded")) =>
            {
                report_failure(&emit, &e);
                emit.log("Retrying");
                attempt += 1;
            }
            other => break other,
        }
    };
    let (result, error) = outcome(&r);
    emit.emit(Event::StepEnd {
        name: "retry".into(),
        block: true,
        result,
        duration_ms: millis(started),
        error,
    });
    r
}
