//! The workspace a `node` block runs in. Each node (scripted `node { }`, declarative
//! `agent any`/`label`/`node`) leases one from the build's [`WorkspaceList`](crate::home::WorkspaceList),
//! so parallel branches and nested nodes get `workspace@2`, `@3`, … instead of sharing one
//! directory. Inside, `WORKSPACE`, `WORKSPACE_TMP`, `pwd()`, the steps' safety checks and
//! `checkout scm` all see the leased directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{State, env_insert};
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::home::NodeLease;
use crate::steps::{self, tmp_dir};

/// A node's state on entry, with the lease that must live exactly as long as its block.
pub(crate) struct NodeEntry {
    pub dynamic: Dynamic,
    /// Jenkins' `Running on <node> in <workspace>`.
    pub line: String,
    /// A line after it: why the steps that write refuse this workspace.
    pub note: Option<String>,
    pub lease: Option<NodeLease>,
}

impl NodeEntry {
    /// The lines the block prints when it starts.
    pub(crate) fn lines(&self) -> Vec<String> {
        std::iter::once(self.line.clone())
            .chain(self.note.clone())
            .collect()
    }
}

impl State {
    /// The workspace of the node the code runs in.
    pub(crate) fn workspace(&self, dynamic: &Dynamic) -> PathBuf {
        dynamic.node_host.as_ref().map_or_else(
            || self.config.host.workspace.clone(),
            |h| h.workspace.clone(),
        )
    }

    /// The host steps see: the build's, with the node's own workspace when it leased one.
    pub(crate) fn step_host(&self, dynamic: &Dynamic) -> Arc<steps::Host> {
        dynamic
            .node_host
            .clone()
            .unwrap_or_else(|| self.config.host.clone())
    }
}

/// Leases a workspace for a new node entered with `outer`.
pub(crate) fn enter_node(state: &State, outer: &Dynamic) -> R<NodeEntry> {
    let lease = state.config.host.workspaces.allocate().map_err(|e| {
        Flow::exception(
            "java.io.IOException",
            format!("cannot lease a workspace: {e}"),
        )
    })?;
    let build = &state.config.host.workspace;
    let workspace = lease
        .as_ref()
        .map_or_else(|| build.clone(), |l| l.path.clone());
    let dynamic = in_workspace(state, outer, &workspace);
    // The built-in node's display name is `Jenkins`, though NODE_NAME is `built-in`.
    let line = format!("Running on Jenkins in {}", workspace.display());
    Ok(NodeEntry {
        dynamic,
        line,
        note: None,
        lease,
    })
}

/// `outer` moved into `workspace`: the current directory, `WORKSPACE`, `WORKSPACE_TMP` and
/// the steps' host (a node's, or a `ws` step's).
pub(crate) fn in_workspace(state: &State, outer: &Dynamic, workspace: &Path) -> Dynamic {
    let build = &state.config.host.workspace;
    let mut dynamic = Dynamic {
        cwd: Some(workspace.to_path_buf()),
        on_node: true,
        ..outer.clone()
    };
    // The build's own workspace needs no override unless an enclosing node set one.
    if workspace != build || outer.node_host.is_some() {
        env_insert(
            &mut dynamic.env,
            "WORKSPACE",
            Some(workspace.display().to_string()),
        );
        env_insert(
            &mut dynamic.env,
            "WORKSPACE_TMP",
            Some(tmp_dir(workspace).display().to_string()),
        );
        dynamic.node_host = Some(Arc::new(steps::Host {
            workspace: workspace.to_path_buf(),
            ..(*state.config.host).clone()
        }));
    }
    dynamic
}
