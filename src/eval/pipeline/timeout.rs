//! `timeout`: runs the body against a timer; when it fires, the body's cancellation is
//! triggered (stopping its processes) and the step fails with `FlowInterruptedException`.
//! With `activity: true` the timer restarts whenever the body prints output.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::blocks::{arg, named, result_of};
use super::{PipelineHost, interrupted};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::R;
use crate::eval::interp::Interp;
use crate::eval::num::to_f64;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::report::{Event, now_ms, timespan};
use crate::source::Span;

#[allow(clippy::too_many_arguments)]
pub(super) async fn timeout(
    host: &PipelineHost,
    interp: &Interp,
    args: &CallArgs,
    d: Dynamic,
    c: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let time = arg(args, "time").and_then(|v| to_f64(&v)).unwrap_or(0.0);
    let unit = named(args, "unit").map_or_else(|| "MINUTES".to_string(), |v| to_string(&v));
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
    let activity = named(args, "activity").is_some_and(|v| v.truthy());
    let parent = host.cancel(cx);
    let child = parent.child();
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: "timeout".into(),
        summary: format!("time: {time}, unit: {unit}, activity: {activity}"),
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let span_text = timespan(limit.as_millis() as u64);
    emit.log(if activity {
        format!("Timeout set to expire after {span_text} without activity")
    } else {
        format!("Timeout set to expire in {span_text}")
    });
    emit.emit(Event::BodyStart { label: None });
    let started = Instant::now();
    let clock = Arc::new(AtomicU64::new(now_ms()));
    let body_emit = if activity {
        emit.with_activity(clock.clone())
    } else {
        emit.clone()
    };
    let inner = cx.with_dynamic(Dynamic {
        cancel: Some(child.clone()),
        emitter: Some(body_emit),
        ..d
    });
    let body = interp.call_closure(c, Vec::new(), span, &inner);
    tokio::pin!(body);
    // Without `activity` the deadline is fixed; with it, each output of the body moves it.
    let expired = async {
        loop {
            let deadline = if activity {
                let last = clock.load(Ordering::Relaxed);
                let idle = Duration::from_millis(now_ms().saturating_sub(last));
                match limit.checked_sub(idle) {
                    Some(left) if !left.is_zero() => left,
                    _ => return,
                }
            } else {
                match limit.checked_sub(started.elapsed()) {
                    Some(left) if !left.is_zero() => left,
                    _ => return,
                }
            };
            tokio::time::sleep(deadline).await;
        }
    };
    let r = tokio::select! {
        r = &mut body => r,
        () = expired => {
            emit.log("Cancelling nested steps due to timeout");
            child.cancel("Timeout has been exceeded");
            let _ = body.await;
            Err(interrupted("Timeout has been exceeded").at(span))
        }
    };
    emit.emit(Event::BodyEnd);
    let (result, error) = result_of(&r);
    emit.emit(Event::StepEnd {
        name: "timeout".into(),
        block: true,
        result,
        duration_ms: started.elapsed().as_millis() as u64,
        error,
    });
    r
}
