//! `getContext(type)`: the step that hands a script one of the objects its step context holds
//! (`getContext(hudson.FilePath) != null` is how a script asks whether it is on a node). The
//! workspace is the `FilePath`, whose `toString` is its path; the other node-bound types
//! (`Launcher`, `EnvVars`, `Computer`, `Node`) exist only inside `node` too, and the build's
//! own (`TaskListener`, `Run`, `FlowNode`) always. They are stand-ins named after their class:
//! their Jenkins methods are not available here.

use super::PipelineHost;
use crate::eval::args::CallArgs;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::report::{BuildResult, Event};

const ON_NODE: &[&str] = &["FilePath", "Launcher", "EnvVars", "Computer", "Node"];
const ALWAYS: &[&str] = &["TaskListener", "Run", "WorkflowRun", "FlowNode"];

pub(super) fn get_context(host: &PipelineHost, args: &CallArgs, cx: &Cx) -> Value {
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: "getContext".into(),
        summary: String::new(),
        block: false,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let class = args
        .positional
        .first()
        .or_else(|| args.named.values().next())
        .map(|v| match v {
            Value::Class(c) => c.to_string(),
            other => to_string(other),
        })
        .unwrap_or_default();
    let simple = class.rsplit('.').next().unwrap_or(&class);
    let value = if simple == "FilePath" && cx.dynamic.on_node {
        let cwd = cx
            .dynamic
            .cwd
            .clone()
            .unwrap_or_else(|| host.state.config.host.workspace.clone());
        Value::string(cwd.display().to_string())
    } else if (ON_NODE.contains(&simple) && cx.dynamic.on_node) || ALWAYS.contains(&simple) {
        Value::string(class.clone())
    } else {
        Value::Null
    };
    emit.emit(Event::StepEnd {
        name: "getContext".into(),
        block: false,
        result: BuildResult::Success,
        duration_ms: 0,
        error: None,
    });
    value
}
