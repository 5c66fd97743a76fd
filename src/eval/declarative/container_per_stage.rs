//! `options { newContainerPerStage() }` with a root `docker` or `dockerfile` agent: the root
//! only takes the node (with the default checkout on the host), and every stage with steps
//! and no agent of its own runs in a fresh container of the root agent's image on that node,
//! the workspace shared between them (Jenkins re-applies the root agent to each stage with
//! `reuseNode`).

use super::Run;
use crate::model::pipeline::{Agent, AgentKind, Pipeline, Stage, StageBody};

/// The root agent when the option is set and that agent is a docker or dockerfile one.
pub(super) fn root_agent(model: &Pipeline) -> Option<&Agent> {
    let set = model
        .options
        .iter()
        .flatten()
        .any(|o| o.name.node == "newContainerPerStage");
    let agent = model.agent.as_ref()?;
    let container = matches!(&agent.kind, AgentKind::Typed { ty, .. }
        if matches!(ty.node.as_str(), "docker" | "dockerfile"));
    (set && container).then_some(agent)
}

/// Whether `agent` is the root agent the option is in force for.
pub(super) fn applies(run: &Run<'_>, agent: &Agent) -> bool {
    run.per_stage_agent.is_some_and(|a| std::ptr::eq(a, agent))
}

/// The agent a stage runs on: its own, or the root container agent under the option.
pub(super) fn stage_agent<'a>(run: &Run<'a>, stage: &'a Stage) -> Option<&'a Agent> {
    if stage.agent.is_some() {
        return stage.agent.as_ref();
    }
    match stage.body() {
        Some(StageBody::Steps(_)) => run.per_stage_agent,
        _ => None,
    }
}
