//! `agent { node { label …; customWorkspace 'dir' } }` (also `label { … }`): as Jenkins'
//! declarative runtime does, the node's body, default checkout included, runs inside
//! `ws(dir)`, so a relative `dir` is a child of the node's root (the build home here) and an
//! absolute one is taken as written, under the `ws` step's rules: outside the build home `sh`
//! runs but the steps that write or delete files refuse, and the user's repository is refused.

use super::Run;
use crate::eval::flow::R;
use crate::eval::pipeline::node_workspace::NodeEntry;
use crate::eval::pipeline::ws_step::enter_ws;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::model::pipeline::{AgentConfig, AgentValue};

/// The `customWorkspace` option of a `node`/`label` agent block, evaluated; `None` when
/// absent or empty.
pub(super) async fn custom_workspace(
    run: &Run<'_>,
    cx: &Cx,
    config: &AgentConfig,
) -> R<Option<String>> {
    let AgentConfig::Block(options) = config else {
        return Ok(None);
    };
    for option in options {
        if let AgentValue::Value(e) = &option.value
            && option.key.node == "customWorkspace"
        {
            let dir = to_string(&run.interp.eval(e, cx).await?);
            return Ok(Some(dir).filter(|d| !d.is_empty()));
        }
    }
    Ok(None)
}

/// `node` moved into `ws(dir)`: the node's `Running on` line, then the `ws` step's lines;
/// both leases are returned for the caller to hold for the block.
pub(super) fn enter_custom(
    run: &Run<'_>,
    cx: &Cx,
    node: NodeEntry,
    dir: &str,
) -> R<(NodeEntry, NodeEntry)> {
    let inner = cx.with_dynamic(node.dynamic.clone());
    let ws = enter_ws(run.host, Some(dir), run.span, &inner)?;
    Ok((node, ws))
}
