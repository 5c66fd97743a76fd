//! `step([$class: 'X', …])`, the generic step of workflow-basic-steps that runs a build step
//! or publisher by its class. The two that have a step of their own here run as that step:
//! `ArtifactArchiver` as `archiveArtifacts` and `JUnitResultArchiver` as `junit`. Any other
//! class needs its plugin inside a Jenkins controller, and the step says so, naming it.

use serde_json::Value;

use super::{Args, StepContext, StepError, StepFuture};

pub(crate) fn step(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let Some(Value::Object(delegate)) = args.get("delegate") else {
            return Err(StepError::failure(
                "step: expects a describable map such as [$class: 'ArtifactArchiver', artifacts: '*.jar']",
            ));
        };
        let class = delegate.get("$class").and_then(Value::as_str).unwrap_or("");
        let mut rest = delegate.clone();
        rest.shift_remove("$class");
        // `hudson.tasks.ArtifactArchiver` and the simple name both occur.
        match class.rsplit('.').next().unwrap_or(class) {
            "ArtifactArchiver" => super::archive::archive_artifacts(ctx, rest).await,
            "JUnitResultArchiver" => super::junit::junit(ctx, rest).await,
            "" => Err(StepError::failure("step: the map has no $class")),
            _ => Err(StepError::unsupported(refusal(&args).unwrap_or_default())),
        }
    })
}

/// Why a run refuses this `step([$class: …])`: a class with no step of its own here (`plan`
/// says the same).
pub(crate) fn refusal(args: &Args) -> Option<String> {
    let Some(Value::Object(delegate)) = args.get("delegate") else {
        return None;
    };
    let class = delegate.get("$class").and_then(Value::as_str).unwrap_or("");
    match class.rsplit('.').next().unwrap_or(class) {
        "ArtifactArchiver" | "JUnitResultArchiver" | "" => None,
        other => Some(format!(
            "unsupported: step([$class: '{other}']) needs the plugin that provides {other}, which a local run does not have"
        )),
    }
}
