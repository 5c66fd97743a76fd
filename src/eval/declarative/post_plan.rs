//! Planning `post` (`jenkinsfile plan`): whether each condition runs, could run or does not,
//! for the planned result and the results the build could end with instead (a failing step,
//! a `currentBuild.result` set from a run-time value, an abort). The planner hears each
//! verdict, so the plan's post summary is the same as the post steps it planned.

use super::Run;
use crate::eval::dynamic::Dynamic;
use crate::eval::pipeline::plan_hook::Planner;
use crate::eval::scope::Cx;
use crate::model::pipeline::{Stage, Stages};
use crate::report::BuildResult;

/// How a post condition is planned.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Yes,
    /// Planned, marked with why it could run (or not).
    Maybe(String),
    No,
}

/// The stages whose planned steps a post answers for: the stage `stage` and the stages inside
/// it; `None` (any step) for the pipeline's post or a stage the model does not name (a matrix
/// cell).
pub(super) fn scope(run: &Run<'_>, stage: Option<&str>) -> Option<Vec<String>> {
    fn walk(stages: &Stages, out: &mut Vec<String>) {
        for s in &stages.stages {
            inner(s, out);
        }
    }
    fn inner(stage: &Stage, out: &mut Vec<String>) {
        out.push(stage.name.node.clone());
        let nested = [
            stage.stages.as_ref(),
            stage.parallel.as_ref(),
            stage.matrix.as_ref().and_then(|m| m.stages.as_ref()),
        ];
        for n in nested.into_iter().flatten() {
            walk(n, out);
        }
    }
    let name = stage?;
    let found = run
        .model
        .all_stages()
        .into_iter()
        .find(|s| s.name.node == name)?;
    let mut out = Vec::new();
    inner(found, &mut out);
    Some(out)
}

/// The verdict for condition `name` when the planned result is `r` (`holds`: it matches `r`);
/// `scope`: the stages whose steps could fail it ([`scope`]); `prev`: the previous build's
/// result, from the job's records, which `changed`, `fixed` and `regression` compare with as
/// the run does (none: this would be the job's first build).
pub(super) fn verdict(
    plan: &dyn Planner,
    name: &str,
    r: BuildResult,
    holds: bool,
    scope: Option<&[String]>,
    prev: Option<BuildResult>,
) -> Verdict {
    if matches!(name, "always" | "cleanup") {
        return Verdict::Yes;
    }
    // A result set later only makes the build's worse (Jenkins never improves it).
    let possible: Vec<(Option<BuildResult>, String)> = plan
        .possible_results()
        .into_iter()
        .map(|(res, why)| (res.map(|p| p.max(r)), why))
        .collect();
    let fits =
        |res: Option<BuildResult>| res.is_none_or(|res| super::post::matches(name, res, prev));
    if holds {
        // The build could end with another result, under which this one would not run.
        return match possible
            .iter()
            .find(|(res, _)| res.is_none_or(|res| !fits(Some(res))))
        {
            Some((_, why)) => Verdict::Maybe(format!("unless {why}")),
            None => Verdict::Yes,
        };
    }
    let mut others: Vec<(Option<BuildResult>, String)> = possible;
    if plan.could_fail(scope) && r == BuildResult::Success {
        others.push((Some(BuildResult::Failure), "a planned step fails".into()));
        others.push((
            Some(BuildResult::Unstable),
            "a planned step marks the build unstable".into(),
        ));
    }
    others.push((Some(BuildResult::Aborted), "the build is aborted".into()));
    match others.into_iter().find(|(res, _)| fits(*res)) {
        Some((_, why)) => Verdict::Maybe(format!("if {why}")),
        None => Verdict::No,
    }
}

/// Tells the planner the verdict and returns the context the block is planned in: its steps
/// are labelled with the condition.
pub(super) fn under(
    plan: &dyn Planner,
    cx: &Cx,
    stage: Option<&str>,
    name: &str,
    verdict: &Verdict,
) -> Cx {
    let (runs, why) = match verdict {
        Verdict::Yes => ("yes", None),
        Verdict::Maybe(why) => ("maybe", Some(why.as_str())),
        Verdict::No => ("no", None),
    };
    plan.post_verdict(stage, name, runs, why);
    cx.with_dynamic(Dynamic {
        post_condition: Some(name.into()),
        ..(*cx.dynamic).clone()
    })
}
