//! `bat`, `powershell` and `pwsh`: Windows shells. This runtime runs builds on the local Unix
//! host only, so they fail plainly instead of guessing at a translation.

use super::{Args, StepContext, StepError, StepFuture};

/// Why a run refuses `step` (`plan` says the same).
pub(crate) fn refusal(step: &str) -> String {
    format!(
        "unsupported: the `{step}` step is not available on this platform: builds run on the local Unix host; use `sh`"
    )
}

fn not_available(step: &'static str) -> StepFuture<'static> {
    Box::pin(async move { Err(StepError::unsupported(refusal(step))) })
}

pub(crate) fn bat(_: &StepContext, _: Args) -> StepFuture<'_> {
    not_available("bat")
}

pub(crate) fn powershell(_: &StepContext, _: Args) -> StepFuture<'_> {
    not_available("powershell")
}

pub(crate) fn pwsh(_: &StepContext, _: Args) -> StepFuture<'_> {
    not_available("pwsh")
}
