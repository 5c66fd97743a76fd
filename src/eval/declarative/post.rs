//! `post { }` (runtime-semantics.md §5.6): the conditions in Jenkins' fixed order, each
//! checked right before its block against the combined result (the build's, made worse by
//! the error in hand), the build result set to that while the block runs, and a failing block
//! reported without stopping the others.

use std::time::Instant;

use super::Run;
use super::result::{error_result, steps_done};
use super::wrap::{cancel, emitter, stage_end, stage_start};
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::model::pipeline::{POST_CONDITIONS, Post};
use crate::report::BuildResult;
use crate::steps::Cancel;

/// R of runtime-semantics §5.6: the build's result made worse by the error in hand and, for
/// a stage's post, by the marks steps gave the stage (`unstable`, `catchError(stageResult)`).
fn combined(run: &Run<'_>, error: Option<&Flow>, stage: Option<&str>) -> BuildResult {
    let build = run.host.state.result.get();
    let marked = stage.map_or(BuildResult::Success, |s| run.host.state.stage_mark(s, 0));
    error
        .map_or(build, |e| build.max(error_result(e)))
        .max(marked)
}

/// The stage whose post this is (`None` at pipeline level).
fn stage_of(cx: &Cx, root: bool) -> Option<String> {
    if root {
        return None;
    }
    cx.dynamic.stage.as_deref().map(str::to_string)
}

fn previous(run: &Run<'_>) -> Option<BuildResult> {
    run.host.state.config.previous.first().map(|b| b.result)
}

pub(super) fn matches(condition: &str, r: BuildResult, prev: Option<BuildResult>) -> bool {
    match condition {
        "always" | "cleanup" => true,
        "changed" => prev.is_none_or(|p| p != r),
        "fixed" => {
            r == BuildResult::Success
                && matches!(prev, Some(BuildResult::Failure | BuildResult::Unstable))
        }
        "regression" => prev.is_some_and(|p| r > p),
        "aborted" => r == BuildResult::Aborted,
        "success" => r == BuildResult::Success,
        "unsuccessful" => r != BuildResult::Success,
        "unstable" => r == BuildResult::Unstable,
        "failure" => r == BuildResult::Failure,
        "notBuilt" => r == BuildResult::NotBuilt,
        _ => false,
    }
}

fn will_run(run: &Run<'_>, cx: &Cx, post: &Post, error: Option<&Flow>, root: bool) -> bool {
    let stage = stage_of(cx, root);
    let r = combined(run, error, stage.as_deref());
    post.conditions.iter().any(|c| {
        let holds = matches(&c.name.node, r, previous(run));
        // Planning: a block that could run is planned too.
        match &run.host.state.plan {
            Some(plan) => {
                let scope = super::post_plan::scope(run, stage.as_deref());
                let prev = previous(run);
                super::post_plan::verdict(
                    plan.as_ref(),
                    &c.name.node,
                    r,
                    holds,
                    scope.as_deref(),
                    prev,
                ) != super::post_plan::Verdict::No
            }
            None => holds,
        }
    })
}

/// Runs the matching conditions; the first error a block threw, if any.
async fn conditions(
    run: &Run<'_>,
    cx: &Cx,
    post: &Post,
    error: Option<&Flow>,
    root: bool,
) -> R<()> {
    let state = &run.host.state;
    let own_stage = stage_of(cx, root);
    // An interruption (timeout, failFast, an abort) is delivered once: the post blocks after
    // it run, as in Jenkins. After a timeout or failFast they stay stoppable by an abort of
    // the whole build; after that abort (the first Ctrl-C) they get a signal of their own,
    // and the second Ctrl-C stops them (the driver drops the build and kills its steps).
    let fresh;
    let cx = if cancel(run, cx).reason().is_some() {
        let root = &state.config.cancel;
        fresh = cx.with_dynamic(Dynamic {
            cancel: Some(if root.reason().is_some() {
                Cancel::new()
            } else {
                root.child()
            }),
            ..(*cx.dynamic).clone()
        });
        &fresh
    } else {
        cx
    };
    let mut first = None;
    for name in POST_CONDITIONS {
        let Some(c) = post.conditions.iter().find(|c| c.name.node == *name) else {
            continue;
        };
        // changed, fixed and regression look at the build alone.
        let r = if matches!(*name, "changed" | "fixed" | "regression") {
            combined(run, error, None)
        } else {
            combined(run, error, own_stage.as_deref())
        };
        let holds = matches(name, r, previous(run));
        let planned;
        let cx = match &state.plan {
            Some(plan) => {
                let scope = super::post_plan::scope(run, own_stage.as_deref());
                let verdict = super::post_plan::verdict(
                    plan.as_ref(),
                    name,
                    r,
                    holds,
                    scope.as_deref(),
                    previous(run),
                );
                planned = super::post_plan::under(
                    plan.as_ref(),
                    cx,
                    own_stage.as_deref(),
                    name,
                    &verdict,
                );
                if let super::post_plan::Verdict::Maybe(why) = &verdict {
                    // A condition that could hold (or not) is planned, marked with why.
                    let marked =
                        crate::eval::stmt::mark(&planned, &format!("post {name} runs {why}"));
                    let _ = steps_done(run.interp.exec_block(&c.steps.stmts, &marked).await);
                    continue;
                }
                &planned
            }
            None => cx,
        };
        if !holds {
            continue;
        }
        let (saved, saved_set) = (state.result.get(), state.result_set.get());
        state.result.set(r);
        state.result_set.set(saved_set || r != BuildResult::Success);
        let ran = steps_done(run.interp.exec_block(&c.steps.stmts, cx).await);
        if state.result.get() == r {
            state.result.set(saved);
            state.result_set.set(saved_set);
        }
        if let Err(e) = ran {
            let emit = emitter(run, cx);
            emit.log(format!("Error when executing {name} post condition:"));
            match &e {
                Flow::Throw(ex) => emit.log(ex.to_string()),
                Flow::Fatal(f) => emit.log(f.message.clone()),
                _ => {}
            }
            first.get_or_insert(e);
        }
    }
    first.map_or(Ok(()), Err)
}

/// A stage's post, after its body: `Post stage`, then the conditions. The body's error wins
/// over a post error.
pub(super) async fn stage(run: &Run<'_>, cx: &Cx, post: Option<&Post>, r: R<bool>) -> R<bool> {
    let Some(post) = post else {
        return r;
    };
    if !will_run(run, cx, post, r.as_ref().err(), false) {
        return r;
    }
    emitter(run, cx).log("Post stage");
    let posted = conditions(run, cx, post, r.as_ref().err(), false).await;
    match (r, posted) {
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        (Ok(v), Ok(())) => Ok(v),
    }
}

/// Root post, in a `Declarative: Post Actions` stage when some condition runs.
pub(super) async fn root(run: &Run<'_>, cx: &Cx, r: R<bool>) -> R<bool> {
    let Some(post) = run.model.post.as_ref() else {
        return r;
    };
    if !will_run(run, cx, post, r.as_ref().err(), true) {
        return r;
    }
    let name = "Declarative: Post Actions";
    let started = Instant::now();
    let scx = stage_start(run, cx, name);
    let posted = conditions(run, &scx, post, r.as_ref().err(), true).await;
    let posted = super::node_context::required(run, &scx, posted);
    let result = if posted.is_ok() {
        BuildResult::Success
    } else {
        BuildResult::Failure
    };
    stage_end(run, cx, name, result, false, started);
    match (r, posted) {
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        (Ok(v), Ok(())) => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;
    use crate::report::BuildResult::{Aborted, Failure, Success, Unstable};

    #[test]
    fn conditions_follow_jenkins_table() {
        assert!(matches("changed", Success, None));
        assert!(!matches("changed", Success, Some(Success)));
        assert!(matches("fixed", Success, Some(Unstable)));
        assert!(!matches("fixed", Success, Some(Aborted)));
        assert!(matches("regression", Failure, Some(Unstable)));
        assert!(!matches("regression", Failure, None));
        assert!(matches("unsuccessful", Aborted, None));
        assert!(!matches("failure", Aborted, None));
    }
}
