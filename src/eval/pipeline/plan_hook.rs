//! The seam `jenkinsfile plan` uses: a [`Planner`] in the build's state takes every step call
//! before the real dispatch, binds credentials without resolving them, and hears each `when`
//! condition's outcome. The planner itself lives in `crate::plan`; this file only names what
//! the interpreter asks of it, so that a run without a planner is untouched.

use std::fmt::Debug;

use super::PipelineHost;
use crate::eval::args::CallArgs;
use crate::eval::flow::R;
use crate::eval::host::LocalBoxFuture;
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::model::pipeline::Condition;
use crate::report::BuildResult;
use crate::source::Span;

/// What planning replaces in the interpreter.
pub(crate) trait Planner: Debug {
    /// A step call (leaf or with a body). `None`: the interpreter runs it as usual (the pure
    /// body steps: `node`, `stage`, `dir`, `withEnv`, `script`, …).
    fn call<'a>(
        &'a self,
        host: &'a PipelineHost,
        interp: &'a Interp,
        name: &'a str,
        args: CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>>;

    /// `environment { VAR = credentials('id') }`: the variables it would set, with masked
    /// values. Nothing is resolved; a credential the run would refuse (missing from the
    /// store, of a type with no binding) throws what the run throws.
    fn environment_credential(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        var: &str,
        id: &str,
        span: Span,
    ) -> R<Vec<(String, String)>>;

    /// One top-level `when` condition of the stage `cx` is about to enter, and its outcome.
    /// Returns the outcome the plan goes on with: a condition that rests on a run-time value
    /// (see [`Planner::when_unknown`]) holds, so that the stage is planned, as "could run".
    fn when_condition(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        condition: &Condition,
        text: &str,
        holds: bool,
    ) -> bool;

    /// An `expression` inside the `when` being evaluated came out as a run-time value.
    fn when_unknown(&self, origin: &str);

    /// A note in the plan where `cx` is (`loop planned once: …`).
    fn note(&self, host: &PipelineHost, cx: &Cx, text: &str);

    /// A name the script never defines: the run-time value it stands for (a library
    /// variable, a job parameter), listed in the plan; `None` where a run fails on it (a
    /// JDK class the interpreter does not have): the interpreter fails as the run does.
    fn unknown_name(&self, name: &str) -> Option<Value>;

    /// `env.NAME = value`: remembers a run-time value stored in the environment.
    fn env_set(&self, name: &str, value: &Value);

    /// The run-time value the environment variable `name`, now `text`, holds, if it holds one.
    fn env_unknown(&self, name: &str, text: &str) -> Option<Value>;

    /// `params.NAME` when it is a run-time value to the plan (a `password` parameter, shown
    /// redacted as a credential is); `None`: the given value.
    fn param(&self, name: &str) -> Option<Value>;

    /// A condition (at `span`) of the `when` being evaluated came out as `holds`, the
    /// children of `allOf`/`anyOf`/`not` included: each says its own verdict.
    fn when_verdict(&self, span: Span, holds: bool);

    /// What an `expression` (or `equals`) inside the `when` being evaluated came out as.
    fn when_value(&self, what: &str);

    /// `currentBuild.result = value` with a run-time value, or on a side that may not run
    /// (`conditional`): the build could end with another result than the planned one.
    fn result_set(&self, value: &Value, conditional: Option<&str>);

    /// A step that sets the build's result (`unstable 'msg'`): recorded; on a side that may
    /// not run, the result it sets is one the build could end with.
    fn result_step(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        name: &str,
        message: &str,
        result: BuildResult,
    );

    /// The results the build could end with besides the planned one (`None`: any), each with
    /// why (`currentBuild.result is set to UNSTABLE (…)`).
    fn possible_results(&self) -> Vec<(Option<BuildResult>, String)>;

    /// Whether a planned step so far could fail (any step with an effect: an `sh`, a push),
    /// among the steps of `stages` (`None`: anywhere).
    fn could_fail(&self, stages: Option<&[String]>) -> bool;

    /// `recv.name(args)` on the run-time value `origin`: `Some` when the planner records it
    /// (a shared library's global).
    fn method_call(
        &self,
        host: &PipelineHost,
        origin: &str,
        name: &str,
        args: &CallArgs,
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>>;

    /// The build could end with `result` because of code that may run (a `catch` that
    /// throws): `why` says what.
    fn could_end(&self, result: BuildResult, why: &str);

    /// The stage `cx` is entering is planned, but would be skipped (by `option`) if the
    /// build's result were `result` by now: if it could be, the stage could be skipped.
    fn could_skip(&self, host: &PipelineHost, cx: &Cx, result: BuildResult, option: &str);

    /// How many planned steps have an effect (could fail in a run) so far.
    fn effects(&self) -> usize;

    /// How a `post` condition of `stage` (`None`: the pipeline's) was planned: `yes`,
    /// `maybe` (with why) or `no`. The plan's post summary is these, so it matches the
    /// planned post steps.
    fn post_verdict(
        &self,
        stage: Option<&str>,
        condition: &str,
        runs: &'static str,
        why: Option<&str>,
    );
}

/// Whether a run would stop at the step `name` with "unsupported: step '…' is not available
/// yet": the catalogue knows it, but no executor, body step or AWS step runs it (the same
/// dispatch as `PipelineHost::call`, after the names it handles itself).
pub(crate) fn run_lacks_step(name: &str) -> bool {
    !matches!(name, "unstable" | "getContext" | "properties" | "load")
        && !super::aws::leaf_step(name)
        && !super::blocks::is_block_step(name)
        && crate::steps::lookup(name).is_none()
        && crate::stdlib::Catalogue::builtin().step(name).is_some()
}
