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
        futures.push(Box::pin(async move {
            let r = interp.call_closure(&c, Vec::new(), span, &inner).await;
            branch_emit.emit(Event::BodyEnd);
            r
        }));
    }
    let names: Vec<String> = branches.iter().map(|(n, _)| n.clone()).collect();
    let results = join_all(futures, |i| {
        if fail_fast {
            for (j, c) in cancels.iter().enumerate() {
                if j != i {
                    c.cancel(&format!("Failed in branch {}", names[i]));
                }
            }
        }
    })
    .await;
    let mut first_error = None;
    let mut out = indexmap::IndexMap::new();
    for (name, r) in names.iter().zip(results) {
        match r {
            Ok(v) => {
                out.insert(Key::str(name), v);
            }
            Err(e) => {
                emit.log(format!("Failed in branch {name}"));
                if first_error.is_none() {
                    first_error = Some(e);
                }
            }
        }
    }
    let r = match first_error {
        Some(e) => Err(e),
        None => Ok(Value::map(out)),
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
