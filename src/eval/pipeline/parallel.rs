//! `parallel`: branches from named arguments or a map, each on its own event source and
//! cancellation, polled together; `failFast` cancels the others when one fails.

use std::rc::Rc;
use std::time::Instant;

use super::PipelineHost;
use super::blocks::result_of;
use super::join::{Branch, join_all};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::report::Event;
use crate::source::Span;

pub(super) async fn parallel(
    host: &PipelineHost,
    interp: &Interp,
    args: CallArgs,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let mut entries: Vec<(String, Value)> = args
        .named
        .iter()
        .map(|(k, v)| (to_string(&k.0), v.clone()))
        .collect();
    for p in &args.positional {
        if let Value::Map(m) = p {
            entries.extend(m.borrow().iter().map(|(k, v)| (to_string(&k.0), v.clone())));
        }
    }
    let fail_fast = entries
        .iter()
        .find(|(k, _)| k == "failFast")
        .is_some_and(|(_, v)| v.truthy());
    let branches: Vec<(String, Rc<Closure>)> = entries
        .into_iter()
        .filter(|(k, _)| k != "failFast")
        .map(|(k, v)| match v {
            Value::Closure(c) => Ok((k, c)),
            other => Err(Flow::exception(
                "java.lang.IllegalArgumentException",
                format!(
                    "Expected a closure or failFast for branch {k}, got {}",
                    other.class_name()
                ),
            )
            .at(span)),
        })
        .collect::<R<_>>()?;
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: "parallel".into(),
        summary: branches
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let started = Instant::now();
    let parent = host.cancel(cx);
    let mut cancels = Vec::new();
    let mut futures: Vec<Branch<'_>> = Vec::new();
    for (branch, c) in &branches {
        let branch_emit = emit.fork();
        let cancel = parent.child();
        cancels.push(cancel.clone());
        branch_emit.emit(Event::BodyStart {
            label: Some(format!("Branch: {branch}")),
        });
        let inner = cx.with_dynamic(Dynamic {
            emitter: Some(branch_emit.clone()),
            cancel: Some(cancel),
            branch: Some(Rc::from(branch.as_str())),
            ..(*cx.dynamic).clone()
        });
        let c = c.clone();
        let parent_emit = emit.clone();
        let name = branch.clone();
        futures.push(Box::pin(async move {
            let r = interp.call_closure(&c, Vec::new(), span, &inner).await;
            branch_emit.emit(Event::BodyEnd);
            // Jenkins prints this from the branch's failure callback, as the branch ends.
            if r.is_err() {
                parent_emit.log(format!("Failed in branch {name}"));
            }
            r
        }));
    }
    let names: Vec<String> = branches.iter().map(|(n, _)| n.clone()).collect();
    let mut failed_order = Vec::new();
    let results = join_all(futures, |i| {
        failed_order.push(i);
        if fail_fast && failed_order.len() == 1 {
            for (j, c) in cancels.iter().enumerate() {
                if j != i {
                    c.cancel(&format!("Failed in branch {}", names[i]));
                }
            }
        }
    })
    .await;
    let mut results: Vec<Option<R<Value>>> = results.into_iter().map(Some).collect();
    let chosen = if fail_fast {
        // With failFast the errors stay in the order they happened: the first failure is
        // the real one, and the branches it interrupted do not replace it.
        failed_order.first().copied()
    } else {
        // The most severe error wins, ties to the earliest branch (§5.8).
        (0..results.len())
            .filter(|&i| matches!(results[i], Some(Err(_))))
            .max_by_key(|&i| (severity(results[i].as_ref()), std::cmp::Reverse(i)))
    };
    let r = if let Some(i) = chosen {
        results[i].take().unwrap_or(Ok(Value::Null))
    } else {
        let mut out = indexmap::IndexMap::new();
        for (name, r) in names.iter().zip(results) {
            if let Some(Ok(v)) = r {
                out.insert(Key::str(name), v);
            }
        }
        Ok(Value::map(out))
    };
    let (result, error) = result_of(&r);
    emit.emit(Event::StepEnd {
        name: "parallel".into(),
        block: true,
        result,
        duration_ms: started.elapsed().as_millis() as u64,
        error,
    });
    r
}

/// How much an error of a branch counts when choosing the one `parallel` rethrows: an
/// ordinary exception beats an `AbortException`, which beats an interruption.
fn severity(r: Option<&R<Value>>) -> u8 {
    match r {
        Some(Err(Flow::Throw(e))) if e.is_a("FlowInterruptedException") => 1,
        Some(Err(Flow::Throw(e))) if e.is_a("AbortException") => 2,
        Some(Err(_)) => 3,
        _ => 0,
    }
}
