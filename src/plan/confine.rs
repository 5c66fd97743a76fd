//! Where a run refuses to write: the steps that write or delete files (`writeFile`,
//! `deleteDir`, `checkout`, `unstash`, …) must stay in the workspace, and in a workspace
//! outside the build home (`ws('/abs')`, an absolute `customWorkspace`) they are refused
//! altogether (`sh` still runs there). The plan asks the run's own check (`steps::safety`),
//! which only looks at paths, and fails where the run would.

use std::path::PathBuf;

use serde_json::{Map, Value as Json};

use super::recorder::{Recorder, cwd, emitter};
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::PipelineHost;
use crate::eval::pipeline::leaf::step_exception;
use crate::eval::scope::Cx;
use crate::source::Span;
use crate::steps::safety::confine;
use crate::steps::{Cancel, StepContext};

impl Recorder {
    /// Fails the plan at step `id` when the run would refuse to write where it writes.
    pub(super) fn refused_write(
        &self,
        host: &PipelineHost,
        id: u32,
        name: &str,
        named: &Map<String, Json>,
        span: Span,
        cx: &Cx,
    ) -> R<()> {
        let dir = cwd(host, cx);
        let file = |key: &str| named.get(key).and_then(Json::as_str).map(PathBuf::from);
        let target = match name {
            "writeFile" | "touch" | "writeJSON" | "writeYaml" | "zip" => file("file"),
            "unzip" => file("dir").or_else(|| Some(dir.clone())),
            "deleteDir" | "cleanWs" | "git" | "unstash" => Some(dir.clone()),
            // `--in-place`: the checkout into the repository itself copies nothing.
            "checkout" if !self.in_place => Some(dir.clone()),
            _ => None,
        };
        let Some(target) = target else {
            return Ok(());
        };
        if super::symbolic::holds_runtime_value(&target.to_string_lossy()) {
            return Ok(());
        }
        let ctx = StepContext {
            cwd: dir,
            env: indexmap::IndexMap::new(),
            emit: emitter(host, cx),
            cancel: Cancel::new(),
            host: host.state.step_host(&cx.dynamic),
            agent: None,
        };
        let Err(refusal) = confine(&ctx, &target, name) else {
            return Ok(());
        };
        let error = step_exception(&refusal);
        error.span.set(Some(span));
        self.run_stops_here(
            host,
            id,
            name,
            named,
            &refusal.message,
            Flow::Throw(error),
            cx,
        )
    }
}
