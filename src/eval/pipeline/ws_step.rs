//! `ws(dir) { }` (workflow-durable-task-step `WorkspaceStep`): the body runs in another
//! workspace of the current node, leased from the same list as the nodes' own
//! (`WorkspaceList.allocate`), so `dir@2`, `@3`, … while something else holds `dir`. As on
//! Jenkins, a relative `dir` is a child of the node's root directory (for the built-in node,
//! `JENKINS_HOME`, which here is the build home), an absolute one is taken as written, and
//! `ws { }` without one leases the job's workspace again. It needs a node, and fails outside
//! one as Jenkins does, for want of its `Computer` context. Unlike Jenkins, a directory
//! outside the build home is only half a workspace (see `home::workspace_area`): `sh` runs
//! there, the steps that write or delete files refuse it, and the user's repository is
//! refused outright.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::PipelineHost;
use super::node_workspace::{NodeEntry, in_workspace};
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::home::{WorkspacePlace, place_of};
use crate::source::Span;
use crate::steps::{canonical_prefix, lexical};

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
    let named = dir.filter(|d| !d.is_empty());
    if let Some(dir) = named {
        let base = lexical(&config.jenkins_home.join(dir));
        match place_of(&config.jenkins_home, &base, config.scm.as_ref()) {
            WorkspacePlace::Home => {}
            WorkspacePlace::Repository(repo) => {
                return Err(Flow::exception(
                    "hudson.AbortException",
                    format!(
                        "ws: refusing {}: it is, holds or lies inside your repository {}, which a \
                         build only changes with --in-place",
                        base.display(),
                        repo.display()
                    ),
                )
                .at(span));
            }
            WorkspacePlace::Outside(resolved) => return Ok(outside(host, &base, &resolved, cx)),
        }
    }
    let leased = match named {
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
        note: None,
        lease,
    })
}

/// A `ws` outside the build home: used as named and unleased (no lock file is written beside
/// a directory that is not the build's), with the steps' host marked so that steps that
/// write or delete files refuse it. `sh` runs there, as on Jenkins.
fn outside(host: &PipelineHost, base: &Path, resolved: &Path, cx: &Cx) -> NodeEntry {
    let mut dynamic = in_workspace(&host.state, &cx.dynamic, base);
    let mut step_host = (*host.state.step_host(&dynamic)).clone();
    step_host.unconfined = Some(resolved.to_path_buf());
    dynamic.node_host = Some(Arc::new(step_host));
    NodeEntry {
        dynamic,
        line: format!("Running in {}", base.display()),
        note: Some(format!(
            "Note: {} is outside the build home's workspaces; `sh` runs there, but steps that \
             write or delete files refuse to",
            resolved.display()
        )),
        lease: None,
    }
}

/// `dir(path)` may leave the workspace, as on Jenkins, but not into the user's repository
/// (the directory itself or one inside it) without `--in-place`: `sh` there would write into
/// the user's files, which a build never does. A home kept inside the repository is the
/// build's own, and allowed.
pub(crate) fn refuse_dir_in_repository(host: &PipelineHost, dir: &Path, span: Span) -> R<()> {
    let config = &host.state.config.host;
    let Some(scm) = config.scm.as_ref().filter(|s| !s.in_place) else {
        return Ok(());
    };
    let resolved = canonical_prefix(dir);
    let repo = canonical_prefix(&scm.repo);
    if resolved.starts_with(&repo) && !resolved.starts_with(canonical_prefix(&config.jenkins_home))
    {
        return Err(Flow::exception(
            "hudson.AbortException",
            format!(
                "dir: refusing {}: it is or lies inside your repository {}, which a build only \
                 changes with --in-place",
                dir.display(),
                repo.display()
            ),
        )
        .at(span));
    }
    Ok(())
}
