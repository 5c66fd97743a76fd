//! `build`: triggers another Jenkins job. There is no Jenkins server here, so it says so.

use super::args::required_str;
use super::{Args, StepContext, StepError, StepFuture};

pub(crate) fn build(_: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let job = required_str("build", &args, "job")?;
        Err(StepError::unsupported(format!(
            "unsupported: `build job: '{job}'` needs a Jenkins server to trigger another job"
        )))
    })
}
