//! The whole pipeline in Jenkins' order (runtime-semantics.md §5.1): the root agent (with
//! the default `Declarative: Checkout SCM` stage), the root `environment`, the root option
//! wrappers, the stages, and root `post` inside all of them. The first error is re-thrown at
//! the end, where the scripted runtime prints it.

use std::rc::Rc;

use super::Run;
use super::agent::{Checkout, with_agent};
use super::environment::with_environment;
use super::options::{Body, notes, wrapped};
use super::post;
use super::stage::sequential;
use super::tools::with_tools;
use crate::eval::flow::R;
use crate::eval::scope::Cx;

pub(super) async fn pipeline(run: &Run<'_>, cx: &Cx) -> R<()> {
    let model = run.model;
    notes(run, cx, model.options.as_ref());
    let checkout = if run.skip_checkout {
        Checkout::Skip
    } else {
        Checkout::Stage
    };
    with_agent(
        run,
        cx,
        model.agent.as_ref(),
        "the pipeline",
        checkout,
        |cx| {
            Box::pin(async move {
                with_environment(run, &cx, model.environment.as_ref(), |cx| {
                    let options = model.options.as_ref().map_or(&[][..], |o| &o.items[..]);
                    let body: Body<'_> = Rc::new(move |cx| {
                        Box::pin(async move {
                            with_tools(run, &cx, model.tools.as_ref(), true, |cx| {
                                Box::pin(stages_and_post(run, cx))
                            })
                            .await
                        })
                    });
                    wrapped(run, cx, options, body)
                })
                .await
            })
        },
    )
    .await
    .map(|_| ())
}

async fn stages_and_post(run: &Run<'_>, cx: Cx) -> R<bool> {
    let r = match &run.model.stages {
        Some(stages) => sequential(run, &cx, stages, &[]).await,
        None => Ok(()),
    };
    post::root(run, &cx, r.map(|()| true)).await
}
