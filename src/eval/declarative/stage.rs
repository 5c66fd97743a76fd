//! One stage, in Jenkins' order (runtime-semantics.md §5.2): the skip checks (an inherited
//! skip, an earlier failure, `skipStagesAfterUnstable`), then `when` at its first enabled
//! point among beforeOptions, beforeInput, beforeAgent and the default, with `options`,
//! `input`, `agent` and `environment` in between, then the body and the stage's `post`. A
//! stage skipped by `when` prints its line after the wrappers have closed.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use super::agent::{Checkout, with_agent};
use super::environment::with_environment;
use super::matrix::{cell_stage, cells};
use super::options::{Body, notes, skip_checkout, wrapped};
use super::parallel::branches;
use super::result::{Skip, Why, error_result, steps_done};
use super::tools::with_tools;
use super::wrap::{Fut, skip_line, stage_end, stage_start, with_env};
use super::{Run, node_context, post, when};
use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::host::Host;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::home::selection::Decision;
use crate::model::pipeline::{Stage, StageBody, Stages};
use crate::report::BuildResult;

/// A `stages { }` block, one stage after the other. Once one fails the rest are skipped;
/// the first error is returned when all are done.
pub(super) fn sequential<'a>(
    run: &'a Run<'a>,
    cx: &'a Cx,
    stages: &'a Stages,
    parents: &'a [String],
) -> Fut<'a, ()> {
    Box::pin(async move {
        let mut first: Option<Flow> = None;
        for stage in &stages.stages {
            let r = evaluate(run, cx, stage, parents, first.is_some(), &[]).await;
            if let Err(e) = r {
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    })
}

/// One stage, with its matrix axis values (if it is a cell) bound around everything.
pub(super) fn evaluate<'a>(
    run: &'a Run<'a>,
    cx: &'a Cx,
    stage: &'a Stage,
    parents: &'a [String],
    earlier_failure: bool,
    axes: &'a [(String, String)],
) -> Fut<'a, ()> {
    Box::pin(async move {
        let name = stage.name.node.as_str();
        let started = Instant::now();
        let marks_from = run.host.state.stage_marks.borrow().len();
        let scx = stage_start(run, cx, name);
        let mut path = parents.to_vec();
        path.push(name.to_string());
        let selected = run
            .host
            .state
            .config
            .stage_filter
            .as_ref()
            .and_then(|filter| {
                let names: Vec<&str> = path.iter().map(String::as_str).collect();
                match filter.decide(&names) {
                    Decision::Skip(reason) => Some(reason),
                    Decision::Run | Decision::RunAsAncestor => None,
                }
            });
        let skip = selected
            .map(|reason| Skip::new(Why::Selection(reason), name))
            .or_else(|| earlier_failure.then(|| Skip::new(Why::EarlierFailure, name)))
            .or_else(|| {
                (run.skip_after_unstable && run.host.state.result.get() == BuildResult::Unstable)
                    .then(|| Skip::new(Why::Unstable, name))
            });
        if skip.is_none()
            && run.skip_after_unstable
            && let Some(plan) = &run.host.state.plan
        {
            // Planning: a result the build could have by now (a conditional `unstable`)
            // would skip the stage.
            plan.could_skip(
                run.host,
                &scx,
                BuildResult::Unstable,
                "skipStagesAfterUnstable()",
            );
        }
        if let Some(skip) = skip {
            skip_line(run, &scx, skip.line());
            skip_children(run, &scx, stage, &skip).await?;
            stage_end(run, cx, name, BuildResult::NotBuilt, true, started);
            return Ok(());
        }
        let path = &path;
        let r = if axes.is_empty() {
            body(run, scx.clone(), stage, path).await
        } else {
            // A cell's when-skip line is printed inside its axis withEnv (§5.2).
            with_env(run, &scx, axes, |cx| {
                Box::pin(async move {
                    let ran = body(run, cx.clone(), stage, path).await?;
                    if !ran {
                        let skip = Skip::new(Why::When, name);
                        skip_line(run, &cx, skip.line());
                        skip_children(run, &cx, stage, &skip).await?;
                    }
                    Ok(ran)
                })
            })
            .await
        };
        match r {
            Ok(true) => {
                let result = run.host.state.stage_mark(name, marks_from);
                stage_end(run, cx, name, result, false, started);
                Ok(())
            }
            Ok(false) => {
                if axes.is_empty() {
                    let skip = Skip::new(Why::When, name);
                    skip_line(run, &scx, skip.line());
                    skip_children(run, &scx, stage, &skip).await?;
                }
                stage_end(run, cx, name, BuildResult::NotBuilt, true, started);
                Ok(())
            }
            Err(e) => {
                stage_end(run, cx, name, error_result(&e), false, started);
                Err(e)
            }
        }
    })
}

/// The children of a skipped stage are opened, skipped and closed: a nested sequential
/// child repeats the parent's line, a parallel child or a matrix cell names itself.
fn skip_children<'a>(
    run: &'a Run<'a>,
    cx: &'a Cx,
    stage: &'a Stage,
    skip: &'a Skip,
) -> Fut<'a, ()> {
    Box::pin(async move {
        let (names, nested): (Vec<String>, Vec<&Stage>) = match stage.body() {
            Some(StageBody::Stages(stages)) => {
                for child in &stages.stages {
                    let started = Instant::now();
                    let ccx = stage_start(run, cx, &child.name.node);
                    skip_line(run, &ccx, skip.line());
                    skip_children(run, &ccx, child, skip).await?;
                    stage_end(
                        run,
                        cx,
                        &child.name.node,
                        BuildResult::NotBuilt,
                        true,
                        started,
                    );
                }
                return Ok(());
            }
            Some(StageBody::Parallel(stages)) => (
                stages.stages.iter().map(|s| s.name.node.clone()).collect(),
                stages.stages.iter().collect(),
            ),
            Some(StageBody::Matrix(m)) => {
                (cells(m).into_iter().map(|c| c.name).collect(), Vec::new())
            }
            _ => return Ok(()),
        };
        let why = skip.why.clone();
        branches(run, cx, &names, false, |i, bcx| {
            let name = names[i].clone();
            let child = nested.get(i).copied();
            let own = Skip::new(why.clone(), &name);
            Box::pin(async move {
                let started = Instant::now();
                let ccx = stage_start(run, &bcx, &name);
                skip_line(run, &ccx, own.line());
                if let Some(child) = child {
                    skip_children(run, &ccx, child, &own).await?;
                }
                stage_end(run, &bcx, &name, BuildResult::NotBuilt, true, started);
                Ok(())
            })
        })
        .await
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Point {
    BeforeOptions,
    BeforeInput,
    BeforeAgent,
    Default,
}

/// Whether the stage goes on past `point`: `when` is evaluated once, at its first enabled
/// point, and its answer reused after.
async fn gate(
    run: &Run<'_>,
    cx: &Cx,
    stage: &Stage,
    point: Point,
    memo: &Cell<Option<bool>>,
) -> R<bool> {
    let Some(w) = &stage.when else {
        return Ok(true);
    };
    if let Some(known) = memo.get() {
        return Ok(known);
    }
    let flag = |f: &Option<crate::source::Spanned<bool>>| f.as_ref().is_some_and(|b| b.node);
    let enabled = match point {
        Point::BeforeOptions => flag(&w.before_options),
        Point::BeforeInput => flag(&w.before_input),
        Point::BeforeAgent => flag(&w.before_agent),
        Point::Default => true,
    };
    if !enabled {
        return Ok(true);
    }
    let holds = when::holds(run, cx, w).await?;
    memo.set(Some(holds));
    Ok(holds)
}

/// Everything inside the stage's own `{ }`; `Ok(false)` when `when` skipped it.
async fn body<'a>(run: &'a Run<'a>, cx: Cx, stage: &'a Stage, path: &'a [String]) -> R<bool> {
    let memo = Rc::new(Cell::new(None));
    if !gate(run, &cx, stage, Point::BeforeOptions, &memo).await? {
        return Ok(false);
    }
    notes(run, &cx, stage.options.as_ref());
    let options = stage.options.as_ref().map_or(&[][..], |o| &o.items[..]);
    let inner: Body<'a> = Rc::new(move |cx| {
        let memo = memo.clone();
        Box::pin(async move { after_options(run, cx, stage, path, memo).await })
    });
    wrapped(run, cx, options, inner).await
}

async fn after_options<'a>(
    run: &'a Run<'a>,
    cx: Cx,
    stage: &'a Stage,
    path: &'a [String],
    memo: Rc<Cell<Option<bool>>>,
) -> R<bool> {
    if !gate(run, &cx, stage, Point::BeforeInput, &memo).await? {
        return Ok(false);
    }
    let answers = input(run, &cx, stage).await?;
    if answers.is_empty() {
        after_input(run, cx, stage, path, memo).await
    } else {
        with_env(run, &cx, &answers, move |cx| {
            Box::pin(after_input(run, cx, stage, path, memo))
        })
        .await
    }
}

async fn after_input<'a>(
    run: &'a Run<'a>,
    cx: Cx,
    stage: &'a Stage,
    path: &'a [String],
    memo: Rc<Cell<Option<bool>>>,
) -> R<bool> {
    if matches!(
        stage.body(),
        Some(StageBody::Parallel(_) | StageBody::Matrix(_))
    ) {
        if !gate(run, &cx, stage, Point::Default, &memo).await? {
            return Ok(false);
        }
        return with_environment(run, &cx, stage.environment.as_ref(), move |cx| {
            Box::pin(async move {
                let r = children(run, &cx, stage, path).await.map(|()| true);
                post::stage(run, &cx, stage.post.as_ref(), r).await
            })
        })
        .await;
    }
    if !gate(run, &cx, stage, Point::BeforeAgent, &memo).await? {
        return Ok(false);
    }
    let skip = skip_checkout(stage.options.as_ref()).unwrap_or(run.skip_checkout);
    let checkout = if skip {
        Checkout::Skip
    } else {
        Checkout::Inline
    };
    let place = format!("stage '{}'", stage.name.node);
    with_agent(
        run,
        &cx,
        super::container_per_stage::stage_agent(run, stage),
        &place,
        checkout,
        move |cx| {
            Box::pin(async move {
                if !gate(run, &cx, stage, Point::Default, &memo).await? {
                    return Ok(false);
                }
                with_environment(run, &cx, stage.environment.as_ref(), move |cx| {
                    Box::pin(async move {
                        with_tools(run, &cx, stage.tools.as_ref(), false, move |cx| {
                            Box::pin(steps_and_post(run, cx, stage, path))
                        })
                        .await
                    })
                })
                .await
            })
        },
    )
    .await
}

/// The stage's steps (or nested stages), then its `post`.
async fn steps_and_post<'a>(
    run: &'a Run<'a>,
    cx: Cx,
    stage: &'a Stage,
    path: &'a [String],
) -> R<bool> {
    let r = match stage.body() {
        Some(StageBody::Steps(steps)) => node_context::required(
            run,
            &cx,
            steps_done(run.interp.exec_block(&steps.stmts, &cx).await),
        ),
        Some(StageBody::Stages(stages)) => sequential(run, &cx, stages, path).await,
        _ => Ok(()),
    };
    post::stage(run, &cx, stage.post.as_ref(), r.map(|()| true)).await
}

/// The branches of a `parallel` or `matrix` stage.
async fn children<'a>(run: &'a Run<'a>, cx: &Cx, stage: &'a Stage, path: &'a [String]) -> R<()> {
    let fail_fast = stage.fail_fast.as_ref().is_some_and(|f| f.node) || run.always_fail_fast;
    match stage.body() {
        Some(StageBody::Parallel(stages)) => {
            let names: Vec<String> = stages.stages.iter().map(|s| s.name.node.clone()).collect();
            branches(run, cx, &names, fail_fast, |i, bcx| {
                let child = &stages.stages[i];
                Box::pin(async move { evaluate(run, &bcx, child, path, false, &[]).await })
            })
            .await
        }
        Some(StageBody::Matrix(m)) => {
            let cells = cells(m);
            let stages: Vec<Stage> = cells.iter().map(|c| cell_stage(m, c)).collect();
            let names: Vec<String> = cells.iter().map(|c| c.name.clone()).collect();
            let (cells, stages) = (&cells, &stages);
            branches(run, cx, &names, fail_fast, |i, bcx| {
                Box::pin(async move {
                    evaluate(run, &bcx, &stages[i], path, false, &cells[i].axes).await
                })
            })
            .await
        }
        _ => Ok(()),
    }
}

/// The stage's `input`: asked through the `input` step; its answers become environment
/// variables of the stage.
async fn input(run: &Run<'_>, cx: &Cx, stage: &Stage) -> R<Vec<(String, String)>> {
    let Some(input) = &stage.input else {
        return Ok(Vec::new());
    };
    let mut args = CallArgs::default();
    let fields = [
        ("message", &input.message),
        ("id", &input.id),
        ("ok", &input.ok),
        ("submitter", &input.submitter),
        ("submitterParameter", &input.submitter_parameter),
    ];
    for (key, expr) in fields {
        if let Some(e) = expr {
            let v = run.interp.eval(e, cx).await?;
            args.named.insert(Key::str(key), v);
        }
    }
    let mut names = Vec::new();
    if let Some(params) = &input.parameters {
        // Each parameter is its symbol called as a step (`choice(name: …)`), as Jenkins
        // instantiates the describable.
        let mut list = Vec::new();
        for p in params {
            let mut def = CallArgs::default();
            match &p.args {
                crate::model::pipeline::Arguments::Named(pairs) => {
                    for (k, e) in pairs {
                        let v = run.interp.eval(e, cx).await?;
                        if k.node == "name" {
                            names.push(to_string(&v));
                        }
                        def.named.insert(Key::str(&k.node), v);
                    }
                }
                crate::model::pipeline::Arguments::Single(e) => {
                    def.positional.push(run.interp.eval(e, cx).await?);
                }
                _ => {}
            }
            if let Some(call) = run.host.call(run.interp, &p.name.node, def, p.span, cx) {
                list.push(call.await?);
            }
        }
        args.named.insert(Key::str("parameters"), Value::list(list));
    }
    let Some(call) = run.host.call(run.interp, "input", args, input.span, cx) else {
        return Ok(Vec::new());
    };
    let answer = call.await?;
    if let (Some(plan), Value::Unknown(_)) = (&run.host.state.plan, &answer) {
        // Planning: each parameter is a run-time value of its own (`<input WHERE>`), read
        // back as that value both as a variable and as `env.WHERE`.
        return Ok(names
            .iter()
            .map(|n| {
                let v = Value::unknown(format!("input {n}"));
                plan.env_set(n, &v);
                (n.clone(), to_string(&v))
            })
            .collect());
    }
    Ok(match answer {
        Value::Null => Vec::new(),
        Value::Map(m) => m
            .borrow()
            .iter()
            .map(|(k, v)| (to_string(&k.0), to_string(v)))
            .collect(),
        single => match (names.first(), &input.submitter_parameter) {
            (Some(n), _) => vec![(n.clone(), to_string(&single))],
            (None, Some(e)) => {
                let n = to_string(&run.interp.eval(e, cx).await?);
                vec![(n, to_string(&single))]
            }
            (None, None) => Vec::new(),
        },
    })
}
