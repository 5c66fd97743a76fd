//! Why a stage is skipped (with Jenkins' exact lines, runtime-semantics.md §5.4), and which
//! error a failed parallel re-throws (§5.8).

use crate::eval::flow::Flow;
use crate::report::BuildResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Why {
    EarlierFailure,
    Unstable,
    When,
    /// Left out of a partial run: `--stage "Deploy"`, `--skip-stage "Lint"`, ….
    Selection(String),
}

/// A skip, with the stage its line names (a nested sequential child repeats its parent's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Skip {
    pub why: Why,
    pub named: String,
}

impl Skip {
    pub(super) fn new(why: Why, named: &str) -> Skip {
        Skip {
            why,
            named: named.to_string(),
        }
    }

    pub(super) fn line(&self) -> String {
        let name = &self.named;
        match &self.why {
            Why::EarlierFailure => format!("Stage \"{name}\" skipped due to earlier failure(s)"),
            Why::Unstable => format!(
                "Stage \"{name}\" skipped due to earlier stage(s) marking the build as unstable"
            ),
            Why::When => format!("Stage \"{name}\" skipped due to when conditional"),
            Why::Selection(reason) => format!("Stage \"{name}\" skipped due to {reason}"),
        }
    }
}

/// The result an error in hand stands for: the interruption's own (`ABORTED`, or `NOT_BUILT`
/// for a milestone's supersession), else FAILURE.
pub(super) fn error_result(e: &Flow) -> BuildResult {
    match e {
        Flow::Throw(ex) if ex.is_a("FlowInterruptedException") => {
            crate::home::supersede::interruption_result(ex.message.as_deref())
        }
        Flow::Throw(_) | Flow::Fatal(_) => BuildResult::Failure,
        _ => BuildResult::Success,
    }
}

/// How severe an error is when a parallel without failFast picks the one to re-throw: any
/// ordinary exception beats an `AbortException`, which beats an interruption.
pub(super) fn severity(e: &Flow) -> u8 {
    match e {
        Flow::Throw(ex) if ex.is_a("FlowInterruptedException") => 0,
        Flow::Throw(ex) if ex.is_a("AbortException") => 1,
        _ => 2,
    }
}

/// `return` in a steps block ends the block, as it ends the closure in Jenkins.
pub(super) fn steps_done(r: Result<(), Flow>) -> Result<(), Flow> {
    match r {
        Err(Flow::Return(_)) => Ok(()),
        other => other,
    }
}
