//! `build`: triggers another Jenkins job. There is no Jenkins server here, so it says so.

use super::args::required_str;
use super::{Args, StepContext, StepError, StepFuture};

/// Why a run refuses this `build` (always: `plan` says the same).
pub(crate) fn refusal(args: &Args) -> Option<String> {
    let job = args.get("job").and_then(serde_json::Value::as_str)?;
    Some(format!(
        "unsupported: `build job: '{job}'` needs a Jenkins server to trigger another job"
    ))
}

pub(crate) fn build(_: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        required_str("build", &args, "job")?;
        Err(StepError::unsupported(refusal(&args).unwrap_or_default()))
    })
}
