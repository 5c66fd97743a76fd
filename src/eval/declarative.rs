//! Running a Declarative Pipeline (`model::Pipeline`) the way Jenkins' `ModelInterpreter`
//! does: the root agent, the default checkout, `environment`, the root `options` wrappers, the
//! stages with their `when`/`options`/`input`/`agent`/`environment`/`post` in Jenkins' order,
//! and root `post` in a `Declarative: Post Actions` stage (runtime-semantics.md §5). Step
//! blocks and `script { }` run on the same interpreter and host as a scripted pipeline, so
//! every step behaves the same in both.
//!
//! The runtime is entered from the `pipeline { }` call itself, so the script's own top-level
//! code (helper methods, variables) runs first, as in Jenkins.

mod agent;
mod container_per_stage;
mod custom_workspace;
mod docker_agent;
mod dockerfile_agent;
mod environment;
mod matrix;
mod node_context;
mod options;
mod order;
mod parallel;
mod post;
mod post_plan;
mod result;
mod stage;
mod subdirectory;
mod tools;
mod when;
mod wrap;

use crate::eval::flow::R;
use crate::eval::interp::Interp;
use crate::eval::pipeline::PipelineHost;
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::model::Pipeline;
use crate::model::pipeline::Agent;
use crate::source::Span;

/// What every part of one declarative run shares.
#[derive(Clone, Copy)]
pub(crate) struct Run<'a> {
    pub host: &'a PipelineHost,
    pub interp: &'a Interp,
    pub model: &'a Pipeline,
    /// The `pipeline { }` call, where whole-pipeline problems are reported.
    pub span: Span,
    /// Root `options { skipStagesAfterUnstable() }`.
    pub skip_after_unstable: bool,
    /// Root `options { parallelsAlwaysFailFast() }`.
    pub always_fail_fast: bool,
    /// Root `options { skipDefaultCheckout() }`.
    pub skip_checkout: bool,
    /// The root docker or dockerfile agent under `options { newContainerPerStage() }`.
    pub per_stage_agent: Option<&'a Agent>,
}

/// Runs `model` (the file's `pipeline { }` block) from the call at `span`.
pub(crate) async fn run(
    host: &PipelineHost,
    interp: &Interp,
    model: &Pipeline,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let flags = options::root_flags(model);
    let run = Run {
        host,
        interp,
        model,
        span,
        skip_after_unstable: flags.skip_after_unstable,
        always_fail_fast: flags.always_fail_fast,
        skip_checkout: flags.skip_checkout,
        per_stage_agent: container_per_stage::root_agent(model),
    };
    order::pipeline(&run, cx).await?;
    Ok(Value::Null)
}
