//! `agent`: `any`, `label` and `node` run on this machine inside a `node` block (a label is
//! noted as ignored); `none` runs outside any node; `docker` and `dockerfile` run in a
//! container (see their own files); the cluster agent fails plainly until its runtime exists. Where the agent allocates a node, the default
//! checkout runs in it through the same `checkout scm` step call a user would write. A
//! `customWorkspace` moves the node's body into `ws(dir)` (`custom_workspace.rs`).

use super::Run;
use super::container_per_stage::applies;
use super::wrap::{Fut, block, emitter, stage_end, stage_start, with_env};
use crate::eval::args::CallArgs;
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::host::Host;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::model::pipeline::{Agent, AgentConfig, AgentKind, AgentValue};
use crate::report::BuildResult;

/// What the runner thrown for a feature it lacks (printed as its plain message).
pub(super) const UNSUPPORTED: &str = "jenkinsfile.UnsupportedFeatureException";

/// Where the default checkout goes for this agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Checkout {
    /// Root agent: in a `Declarative: Checkout SCM` stage.
    Stage,
    /// Stage agent: the `checkout` step straight inside the node.
    Inline,
    Skip,
}

/// Runs `body` on `agent` (`None`: the enclosing one). `place` names the stage for messages.
pub(super) async fn with_agent<'a>(
    run: &Run<'a>,
    cx: &Cx,
    agent: Option<&'a Agent>,
    place: &str,
    checkout: Checkout,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let Some(agent) = agent else {
        return body(cx.clone()).await;
    };
    match &agent.kind {
        AgentKind::None => {
            let none = cx.with_dynamic(Dynamic {
                agent_none: true,
                ..(*cx.dynamic).clone()
            });
            body(none).await
        }
        AgentKind::Missing => body(cx.clone()).await,
        AgentKind::Any => node(run, cx, checkout, body).await,
        AgentKind::Typed { ty, config } => match ty.node.as_str() {
            "label" | "node" => {
                let label = label_of(run, cx, config).await?;
                if !label.is_empty() {
                    emitter(run, cx).log(format!(
                        "Note: agent label '{label}' is ignored locally; {place} runs on this machine"
                    ));
                }
                let custom = super::custom_workspace::custom_workspace(run, cx, config).await?;
                node_in(run, cx, custom.as_deref(), checkout, body).await
            }
            // Planning shows the container agent; its steps are planned on a node. Another
            // (`kubernetes`) fails as in a run.
            "docker" | "dockerfile" if run.host.state.plan.is_some() => {
                node(run, cx, checkout, body).await
            }
            // newContainerPerStage: the root takes the node only, each stage a container.
            "docker" | "dockerfile" if applies(run, agent) && !cx.dynamic.on_node => {
                node(run, cx, checkout, body).await
            }
            "docker" => {
                let inherited = applies(run, agent);
                super::docker_agent::run(run, cx, config, checkout, agent.span, inherited, body)
                    .await
            }
            "dockerfile" => {
                let inherited = applies(run, agent);
                super::dockerfile_agent::run(run, cx, config, checkout, agent.span, inherited, body)
                    .await
            }
            other => Err(Flow::exception(
                UNSUPPORTED,
                format!(
                    "unsupported: `agent {{ {other} … }}` ({place}) is not yet supported: it needs {}",
                    if other == "kubernetes" { "a Kubernetes cluster" } else { "docker" }
                ),
            )
            .at(agent.span)),
        },
    }
}

async fn label_of(run: &Run<'_>, cx: &Cx, config: &AgentConfig) -> R<String> {
    let expr = match config {
        AgentConfig::Value(e) => Some(e),
        AgentConfig::Block(opts) => opts.iter().find_map(|o| match &o.value {
            AgentValue::Value(e) if o.key.node == "label" => Some(e),
            _ => None,
        }),
    };
    // The label only feeds a note, so a label naming a variable set later (Jenkins resolves
    // it lazily) is shown as written rather than failing the build.
    match expr {
        Some(e) => Ok(match run.interp.eval(e, cx).await {
            Ok(v) => to_string(&v),
            Err(_) => run.interp.source_text(e.span),
        }),
        None => Ok(String::new()),
    }
}

pub(super) async fn node<'a>(
    run: &Run<'a>,
    cx: &Cx,
    checkout: Checkout,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    node_in(run, cx, None, checkout, body).await
}

/// [`node`], moved into `ws(custom)` when the agent names a `customWorkspace`.
async fn node_in<'a>(
    run: &Run<'a>,
    cx: &Cx,
    custom: Option<&str>,
    checkout: Checkout,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let entry = crate::eval::pipeline::node_workspace::enter_node(&run.host.state, &cx.dynamic)
        .map_err(|e| e.at(run.span))?;
    let (entry, ws) = match custom {
        Some(dir) => {
            let (node, ws) = super::custom_workspace::enter_custom(run, cx, entry, dir)?;
            (node, Some(ws))
        }
        None => (entry, None),
    };
    let mut lines = vec![entry.line.clone()];
    let mut dynamic = entry.dynamic.clone();
    if let Some(ws) = &ws {
        lines.extend(ws.lines());
        dynamic = ws.dynamic.clone();
    }
    let lease = (entry.lease, ws.and_then(|w| w.lease));
    let r = block(run, cx, "node", lines, dynamic, move |cx| {
        Box::pin(async move {
            // A Jenkinsfile outside any repository is Jenkins' inline script: the job has no
            // SCM, so Jenkins adds no default checkout at all.
            let checkout = if run.host.state.config.host.scm.is_none() {
                Checkout::Skip
            } else {
                checkout
            };
            let vars = match checkout {
                Checkout::Skip => Vec::new(),
                Checkout::Inline => checkout_scm(run, &cx).await?,
                Checkout::Stage => {
                    let started = std::time::Instant::now();
                    let name = "Declarative: Checkout SCM";
                    let scx = stage_start(run, &cx, name);
                    let r = checkout_scm(run, &scx).await;
                    let result = if r.is_ok() {
                        BuildResult::Success
                    } else {
                        BuildResult::Failure
                    };
                    stage_end(run, &cx, name, result, false, started);
                    r?
                }
            };
            if vars.is_empty() {
                body(cx).await
            } else {
                with_env(run, &cx, &vars, body).await
            }
        })
    })
    .await;
    // Released only now, whether the body succeeded, failed or (by drop) was aborted.
    drop(lease);
    r
}

/// `checkout scm`, through the host's own step dispatch. The variables it returns
/// (`GIT_COMMIT`, …) wrap the rest of the run. While the step is not available, a note says
/// so and the workspace stays as it is.
async fn checkout_scm(run: &Run<'_>, cx: &Cx) -> R<Vec<(String, String)>> {
    if let Some(sub) = super::subdirectory::checkout_subdirectory(run, cx).await? {
        return super::subdirectory::in_dir(run, cx, &sub, |cx| {
            Box::pin(async move { checkout_here(run, &cx).await })
        })
        .await;
    }
    checkout_here(run, cx).await
}

async fn checkout_here(run: &Run<'_>, cx: &Cx) -> R<Vec<(String, String)>> {
    let scm = run.host.global("scm", cx).unwrap_or(Value::Null);
    let args = CallArgs::positional(vec![scm]);
    let Some(call) = run.host.call(run.interp, "checkout", args, run.span, cx) else {
        return Ok(Vec::new());
    };
    match call.await {
        Ok(Value::Map(m)) => Ok(m
            .borrow()
            .iter()
            .map(|(k, v)| (to_string(&k.0), to_string(v)))
            .collect()),
        Ok(_) => Ok(Vec::new()),
        Err(Flow::Fatal(f)) if f.message.starts_with("unsupported") => {
            emitter(run, cx).log(format!(
                "{}; the default checkout is skipped and the workspace is left as it is",
                f.message
            ));
            Ok(Vec::new())
        }
        Err(Flow::Throw(e)) if e.is_a(UNSUPPORTED) => {
            emitter(run, cx).log(format!(
                "{}; the default checkout is skipped and the workspace is left as it is",
                e.message.clone().unwrap_or_default()
            ));
            Ok(Vec::new())
        }
        Err(e) => Err(e),
    }
}
