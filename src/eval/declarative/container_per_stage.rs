//! `options { newContainerPerStage() }` with a root `docker` or `dockerfile` agent: the root
//! only takes the node (with the default checkout on the host), and every stage with steps
//! and no agent of its own runs in a fresh container of the root agent's image on that node,
//! the workspace shared between them (Jenkins re-applies the root agent to each stage with
//! `reuseNode`).

use super::Run;
use crate::model::pipeline::{Agent, AgentKind, Stage, StageBody};

/// Whether `agent` is a container agent that the option applies to.
pub(super) fn is_container(agent: &Agent) -> bool {
    matches!(&agent.kind, AgentKind::Typed { ty, .. } if matches!(ty.node.as_str(), "docker" | "dockerfile"))
}

/// Whether the option is in force for this run and `agent` is the root agent it applies to.
pub(super) fn applies(run: &Run<'_>, agent: &Agent) -> bool {
    run.container_per_stage
        && run
            .model
            .agent
            .as_ref()
            .is_some_and(|a| std::ptr::eq(a, agent))
}

/// The agent a stage runs on: its own, or the root container agent under the option.
pub(super) fn stage_agent<'a>(run: &Run<'a>, stage: &'a Stage) -> Option<&'a Agent> {
    if stage.agent.is_some() || !run.container_per_stage {
        return stage.agent.as_ref();
    }
    match stage.body() {
        Some(StageBody::Steps(_)) => run.model.agent.as_ref(),
        _ => None,
    }
}
