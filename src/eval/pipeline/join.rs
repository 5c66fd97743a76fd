//! Runs parallel branches as futures polled together in one task, with no `Send` bound: they
//! interleave at every step boundary and whenever one waits (for a process, a sleep), as
//! Jenkins' CPS threads do on their one VM thread.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

use crate::eval::flow::R;
use crate::eval::value::Value;

pub(crate) type Branch<'a> = Pin<Box<dyn Future<Output = R<Value>> + 'a>>;

/// Polls every branch to completion. `on_fail(i)` is called once when branch `i` fails,
/// while the others still run (failFast cancels them there).
pub(crate) async fn join_all(
    mut branches: Vec<Branch<'_>>,
    mut on_fail: impl FnMut(usize),
) -> Vec<R<Value>> {
    let mut results: Vec<Option<R<Value>>> = branches.iter().map(|_| None).collect();
    poll_fn(|task| {
        let mut pending = false;
        for (i, branch) in branches.iter_mut().enumerate() {
            if results[i].is_some() {
                continue;
            }
            match branch.as_mut().poll(task) {
                Poll::Ready(r) => {
                    if r.is_err() {
                        on_fail(i);
                    }
                    results[i] = Some(r);
                }
                Poll::Pending => pending = true,
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    results
        .into_iter()
        .map(|r| r.unwrap_or(Ok(Value::Null)))
        .collect()
}

/// A step boundary, where Jenkins' CPS thread group moves on to the next runnable branch:
/// every step, even one that ends at once like `echo`, lets the other branches of a
/// `parallel` take their turn. Round-robin in [`join_all`]'s order, so the interleaving of
/// steps that do not wait is deterministic.
pub(crate) async fn step_boundary() {
    tokio::task::yield_now().await;
}
