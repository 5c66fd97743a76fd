//! `ModelInterpreter.catchRequiredContextForNode`: under `agent none`, a step that needs a
//! workspace fails with `MissingContextVariableException`, and the Declarative plugin turns it,
//! where it wraps a stage's steps (and the root post), into its own `error` step with
//! `ModelInterpreter.NoNodeContext` (runtime-semantics §5.1). The log shows the failed step,
//! the blocks around it closing, then `[Pipeline] error`.

use std::rc::Rc;

use super::Run;
use super::wrap::{emitter, step_start};
use crate::eval::exception::Exception;
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::report::{BuildResult, Event};

/// `ModelInterpreter.NoNodeContext` (`MessageFormat` renders the quoted brace as `{`).
const NO_NODE_CONTEXT: &str = "Attempted to execute a step that requires a node context while \u{2018}agent none\u{2019} was specified. Be sure to specify your own \u{2018}node { ... }\u{2019} blocks when using \u{2018}agent none\u{2019}.";

/// `r`, with a missing workspace under `agent none` turned into the `error` step's failure.
pub(super) fn required<T>(run: &Run<'_>, cx: &Cx, r: R<T>) -> R<T> {
    match r {
        Err(Flow::Throw(e))
            if cx.dynamic.agent_none && e.is_a("MissingContextVariableException") =>
        {
            step_start(
                run,
                cx,
                "error",
                format!("message: {NO_NODE_CONTEXT}"),
                false,
            );
            emitter(run, cx).emit(Event::StepEnd {
                name: "error".into(),
                block: false,
                result: BuildResult::Failure,
                duration_ms: 0,
                error: Some(NO_NODE_CONTEXT.into()),
            });
            let abort = Exception::new("hudson.AbortException", Some(NO_NODE_CONTEXT.into()));
            abort.span.set(e.span.get());
            Err(Flow::Throw(Rc::new(abort)))
        }
        other => other,
    }
}
