//! `milestone` (pipeline-milestone-step): Jenkins prints `Trying to pass milestone N` and
//! cancels older builds of the job that have not passed milestone N yet: locally, the older
//! `jenkinsfile run`s of the same job still running (`home/supersede.rs`). An ordinal left out
//! (or `null`) is the previous one plus one, starting at 0; the ordinals must grow.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{Args, StepContext, StepError, StepFuture};

/// The last milestone ordinal this build passed.
#[derive(Clone, Debug, Default)]
pub struct Milestones(Arc<Mutex<Option<i64>>>);

impl Milestones {
    /// The last ordinal passed, if any.
    #[must_use]
    pub fn last(&self) -> Option<i64> {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub(crate) fn milestone(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let given = match args.get("ordinal") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_i64()
                    .ok_or_else(|| StepError::abort("milestone: the ordinal must be an integer"))?,
            ),
        };
        let mut last = ctx
            .host
            .milestones
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let ordinal = match (given, *last) {
            (Some(n), Some(prev)) if n <= prev => {
                // MilestoneStepExecution: "Invalid ordinal N, as the previous one was M".
                return Err(StepError::abort(format!(
                    "Invalid ordinal {n}, as the previous one was {prev}"
                )));
            }
            (Some(n), _) => n,
            (None, Some(prev)) => prev + 1,
            (None, None) => 0,
        };
        *last = Some(ordinal);
        drop(last);
        ctx.emit.log(format!("Trying to pass milestone {ordinal}"));
        crate::home::supersede::pass(&ctx.host.build_dir, ordinal);
        Ok(Value::Null)
    })
}
