//! `agent { docker { image …; args …; reuseNode …; registryUrl …; registryCredentialsId …;
//! alwaysPull … } }` (and `agent { docker 'image' }`), as Declarative runs it
//! (runtime-semantics §8.2): a node with the default checkout on the host first, unless
//! `reuseNode true` finds one already, then the rest of the pipeline or stage inside a
//! container (`withDockerContainer`).

use super::Run;
use super::agent::{Checkout, node};
use super::wrap::Fut;
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::docker_inside::{Inside, inside_registry};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::model::pipeline::{AgentConfig, AgentValue};
use crate::source::Span;

pub(super) async fn run<'a>(
    run: &Run<'a>,
    cx: &Cx,
    config: &'a AgentConfig,
    checkout: Checkout,
    span: Span,
    force_reuse: bool,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let mut spec = Inside {
        groovy_steps: true,
        agent: true,
        ..Inside::default()
    };
    let mut reuse_node = false;
    match config {
        AgentConfig::Value(e) => spec.image = to_string(&run.interp.eval(e, cx).await?),
        AgentConfig::Block(options) => {
            for option in options {
                let AgentValue::Value(e) = &option.value else {
                    continue;
                };
                let value = run.interp.eval(e, cx).await?;
                let text = || to_string(&value);
                match option.key.node.as_str() {
                    "image" => spec.image = text(),
                    "args" => spec.args = text(),
                    "registryUrl" => spec.registry_url = Some(text()).filter(|u| !u.is_empty()),
                    "registryCredentialsId" => spec.credentials_id = Some(text()),
                    "alwaysPull" => spec.always_pull = truthy(&value),
                    "reuseNode" => reuse_node = truthy(&value),
                    // A label picks a Jenkins agent; here there is one machine. A custom
                    // workspace is not supported yet and is said so by the stage's node line.
                    _ => {}
                }
            }
        }
    }
    if spec.image.is_empty() {
        return Err(
            Flow::exception("hudson.AbortException", "agent docker: no `image` given").at(span),
        );
    }
    let host = run.host;
    // `force_reuse`: a stage inheriting the root agent under newContainerPerStage.
    if (reuse_node || force_reuse) && cx.dynamic.on_node {
        return inside_registry(host, cx, spec, span, body).await;
    }
    node(run, cx, checkout, move |cx| {
        Box::pin(async move { inside_registry(host, &cx, spec, span, body).await })
    })
    .await
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        other => to_string(other) == "true",
    }
}
