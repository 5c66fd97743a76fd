//! `ws(dir) { }` (workflow-durable-task-step `WorkspaceStep`): the body runs in another
//! workspace of the current node, leased from the same list as the nodes' own
//! (`WorkspaceList.allocate`), so `dir@2`, `@3`, … while something else holds `dir`. As on
//! Jenkins, a relative `dir` is a child of the node's root directory (for the built-in node,
//! `JENKINS_HOME`, which here is the build home), an absolute one is taken as written, and
//! `ws { }` without one leases the job's workspace again. It needs a node, and fails outside
//! one as Jenkins does, for want of its `Computer` context.

use std::path::PathBuf;

use super::PipelineHost;
use super::node_workspace::{NodeEntry, in_workspace};
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::source::Span;
use crate::steps::lexical;

/// Leases the workspace of `ws(dir)` entered with `cx`: the body's state, Jenkins'
/// `Running in <workspace>` line and the lease to drop when the body ends.
pub(crate) fn enter_ws(
    host: &PipelineHost,
    dir: Option<&str>,
    span: Span,
    cx: &Cx,
) -> R<NodeEntry> {
    if !cx.dynamic.on_node {
        let mut named = serde_json::Map::new();
        if let Some(dir) = dir {
            named.insert("dir".into(), serde_json::Value::String(dir.to_owned()));
        }
        return Err(super::leaf::missing_context(
            host,
            "ws",
            &named,
            "hudson.model.Computer",
            span,
            cx,
        ));
    }
    let config = &host.state.config.host;
    let list = &config.workspaces;
    let leased = match dir.filter(|d| !d.is_empty()) {
        Some(dir) => {
            let base = lexical(&config.jenkins_home.join(dir));
            list.allocate_at(&base).map(|lease| (base, lease))
        }
        None => list
            .allocate()
            .map(|lease| (config.workspace.clone(), lease)),
    };
    let (base, lease) = leased.map_err(|e| {
        Flow::exception(
            "java.io.IOException",
            format!("cannot lease a workspace: {e}"),
        )
        .at(span)
    })?;
    // Without a workspace list (`--in-place`, planning) the directory is used as named,
    // unleased, and made by the first step that writes there, as after `dir()`.
    let workspace: PathBuf = lease.as_ref().map_or(base, |l| l.path.clone());
    let dynamic = in_workspace(&host.state, &cx.dynamic, &workspace);
    Ok(NodeEntry {
        dynamic,
        line: format!("Running in {}", workspace.display()),
        lease,
    })
}
