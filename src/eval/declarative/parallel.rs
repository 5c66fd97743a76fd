//! Declarative `parallel` and matrix cells (runtime-semantics.md §5.8): one branch per child
//! stage or cell, all `{ (Branch: …)` lines first, branches interleaving as they wait, and
//! `failFast` (or `parallelsAlwaysFailFast()`) interrupting the others with
//! `Failed in branch X`. The error re-thrown is the first in time with failFast, else the
//! most severe.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use super::Run;
use super::result::severity;
use super::wrap::{Fut, cancel, emitter, millis, outcome, step_start};
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::R;
use crate::eval::pipeline::join::{Branch, join_all};
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::report::Event;

/// Runs `make(i, cx)` for each of `names` as the branches of one `parallel` step.
pub(super) async fn branches<'a>(
    run: &'a Run<'a>,
    cx: &Cx,
    names: &[String],
    fail_fast: bool,
    make: impl Fn(usize, Cx) -> Fut<'a, ()>,
) -> R<()> {
    let emit = emitter(run, cx);
    step_start(run, cx, "parallel", names.join(", "), true);
    let started = Instant::now();
    if names.is_empty() {
        emit.log("No branches to run");
    }
    let parent = cancel(run, cx);
    let mut cancels = Vec::new();
    let mut futures: Vec<Branch<'a>> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let branch_emit = emit.fork();
        let child = parent.child();
        cancels.push(child.clone());
        branch_emit.emit(Event::BodyStart {
            label: Some(format!("Branch: {name}")),
        });
        let inner = cx.with_dynamic(Dynamic {
            emitter: Some(branch_emit.clone()),
            cancel: Some(child),
            branch: Some(Rc::from(name.as_str())),
            ..(*cx.dynamic).clone()
        });
        let fut = make(i, inner);
        futures.push(Box::pin(async move {
            let r = fut.await;
            branch_emit.emit(Event::BodyEnd);
            r.map(|()| Value::Null)
        }));
    }
    let failed_order = RefCell::new(Vec::new());
    let results = join_all(futures, |i| {
        failed_order.borrow_mut().push(i);
        // Jenkins' failure callback prints it as the branch ends, right after its `}`.
        emit.log(format!("Failed in branch {}", names[i]));
        if fail_fast {
            for (j, c) in cancels.iter().enumerate() {
                if j != i {
                    c.cancel(&format!("Failed in branch {}", names[i]));
                }
            }
        }
    })
    .await;
    let mut errors: Vec<Option<crate::eval::flow::Flow>> =
        results.into_iter().map(Result::err).collect();
    let order = failed_order.into_inner();
    let pick = if fail_fast {
        order.first().copied()
    } else {
        // The most severe; among equals, the first to fail.
        let mut best: Option<(usize, u8)> = None;
        for &i in &order {
            let s = errors[i].as_ref().map_or(0, severity);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
        best.map(|(i, _)| i)
    };
    let r = match pick.and_then(|i| errors[i].take()) {
        Some(e) => Err(e),
        None => Ok(()),
    };
    let (result, error) = outcome(&r);
    emit.emit(Event::StepEnd {
        name: "parallel".into(),
        block: true,
        result,
        duration_ms: millis(started),
        error,
    });
    r
}
