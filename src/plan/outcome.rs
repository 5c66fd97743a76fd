//! The build's result when the plan cannot be sure of it, and the post blocks that follow:
//! `currentBuild.result = cond ? 'UNSTABLE' : 'SUCCESS'` on a run-time `cond` (or an
//! assignment on a side that may not run) leaves the planned result as it is and adds
//! "could be UNSTABLE"; the declarative runtime asks for these when it plans `post`, and
//! tells the recorder each condition's verdict, which is what the plan's post summary shows.

use super::model::{PossibleResult, PostBlock};
use super::recorder::Recorder;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::model::pipeline::POST_CONDITIONS;
use crate::report::BuildResult;

/// Why a post block of a stage that only could run (its `when` rests on a run-time value)
/// runs only maybe.
pub(super) const IF_STAGE_RUNS: &str = "if the stage runs";

/// A post block of a stage that only could run: what runs, runs only if the stage does.
pub(super) fn if_stage_runs(block: &mut PostBlock) {
    match (block.runs, block.reason.take()) {
        ("yes", _) => {
            block.runs = "maybe";
            block.reason = Some(IF_STAGE_RUNS.to_string());
        }
        ("maybe", Some(why)) => {
            let why = why.strip_prefix("if ").unwrap_or(&why);
            block.reason = Some(format!("{IF_STAGE_RUNS} and {why}"));
        }
        ("maybe", None) => {
            block.reason = Some(format!("{IF_STAGE_RUNS}, depending on the previous build"));
        }
        (_, why) => block.reason = why,
    }
}

/// The results a script can set, as Jenkins names them.
const RESULTS: &[BuildResult] = &[
    BuildResult::Success,
    BuildResult::Unstable,
    BuildResult::Failure,
    BuildResult::NotBuilt,
    BuildResult::Aborted,
];

impl Recorder {
    /// `currentBuild.result = value`, not certain: a run-time value names the results it
    /// could be by the quoted names in its text (`<… ? 'UNSTABLE' : 'SUCCESS'>`); a known value on
    /// a side that may not run is that result.
    pub(super) fn possible_result(&self, value: &Value, conditional: Option<&str>) {
        let (results, detail) = match value {
            Value::Unknown(origin) => {
                let named: Vec<Option<BuildResult>> = RESULTS
                    .iter()
                    .filter(|r| {
                        let name = r.to_string();
                        origin.contains(&format!("'{name}'"))
                            || origin.contains(&format!("\"{name}\""))
                    })
                    .map(|r| Some(*r))
                    .collect();
                let results = if named.is_empty() { vec![None] } else { named };
                (results, format!("currentBuild.result set from <{origin}>"))
            }
            other => (
                vec![Some(BuildResult::parse(&to_string(other)))],
                format!("currentBuild.result = '{}'", to_string(other)),
            ),
        };
        let detail = match conditional {
            Some(c) => format!("{detail} {c}"),
            None => detail,
        };
        let mut possible = self.possible.borrow_mut();
        for r in results {
            // Setting SUCCESS never changes a result (Jenkins only makes it worse).
            if r == Some(BuildResult::Success) {
                continue;
            }
            if !possible.iter().any(|(p, d)| *p == r && *d == detail) {
                possible.push((r, detail.clone()));
            }
        }
    }

    /// A result the build could end with because of a step that may not run or may fail
    /// (`error` or `unstable` inside a run-time `if`, a failing `warnError` body).
    pub(super) fn could_end(&self, result: BuildResult, detail: String) {
        let mut possible = self.possible.borrow_mut();
        if !possible
            .iter()
            .any(|(p, d)| *p == Some(result) && *d == detail)
        {
            possible.push((Some(result), detail));
        }
    }

    /// The possible results with why, as `post` planning words them.
    pub(super) fn possible_whys(&self) -> Vec<(Option<BuildResult>, String)> {
        self.possible
            .borrow()
            .iter()
            .map(|(r, detail)| {
                let why = match r {
                    Some(r) => format!("the result becomes {r} ({detail})"),
                    None => format!("the result changes ({detail})"),
                };
                (*r, why)
            })
            .collect()
    }

    /// The possible results worse than `result`, for the plan.
    pub(super) fn could_be(&self, result: &str) -> Vec<PossibleResult> {
        let planned = BuildResult::parse(result);
        self.possible
            .borrow()
            .iter()
            .filter(|(r, _)| r.is_none_or(|r| r > planned))
            .map(|(r, detail)| PossibleResult {
                result: r.map(|r| r.to_string()),
                because: detail.clone(),
            })
            .collect()
    }

    pub(super) fn remember_verdict(
        &self,
        stage: Option<&str>,
        condition: &str,
        runs: &'static str,
        why: Option<&str>,
    ) {
        let stage = stage.map(str::to_string);
        let mut verdicts = self.verdicts.borrow_mut();
        // A stage planned twice (matrix cells with the same inner stage) keeps its first.
        if verdicts
            .iter()
            .any(|(s, b)| *s == stage && b.condition == condition)
        {
            return;
        }
        verdicts.push((
            stage,
            PostBlock {
                condition: condition.to_string(),
                runs,
                reason: why.map(str::to_string),
            },
        ));
    }

    /// The post conditions the runtime planned for `stage` (`None`: the pipeline's), in
    /// Jenkins' order; `None` when it planned none (the stage was skipped or not reached).
    pub(super) fn post_of(&self, stage: Option<&str>) -> Option<Vec<PostBlock>> {
        let mut blocks: Vec<PostBlock> = self
            .verdicts
            .borrow()
            .iter()
            .filter(|(s, _)| s.as_deref() == stage)
            .map(|(_, b)| b.clone())
            .collect();
        if blocks.is_empty() {
            return None;
        }
        sort_post(&mut blocks);
        Some(blocks)
    }
}

/// Post blocks in the order Jenkins runs them (runtime-semantics.md §5.6).
pub(super) fn sort_post(blocks: &mut [PostBlock]) {
    blocks.sort_by_key(|b| {
        POST_CONDITIONS
            .iter()
            .position(|c| *c == b.condition)
            .unwrap_or(usize::MAX)
    });
}

impl Recorder {
    /// The `when`-like check a stage gets when a result the build could have by now would
    /// skip it (`options { skipStagesAfterUnstable() }` after a conditional `unstable`): the
    /// stage is planned, marked as one that could be skipped, with why. `None` when no
    /// possible result is `result` (or could be anything).
    pub(super) fn could_skip_mark(&self, result: BuildResult, option: &str) -> Option<String> {
        let whys: Vec<String> = self
            .possible
            .borrow()
            .iter()
            .filter(|(r, _)| r.is_none_or(|r| r == result))
            .map(|(_, detail)| detail.clone())
            .collect();
        if whys.is_empty() {
            return None;
        }
        let whys = whys.join("; ");
        let check = super::model::WhenCheck {
            condition: option.to_string(),
            holds: None,
            detail: format!(
                "could be skipped: the stage is skipped if the build is {result} by then ({whys})"
            ),
            depends: Some(format!("the build not being {result} ({whys})")),
        };
        Some(format!(
            "{}{}",
            super::recorder::WHEN_MARK,
            serde_json::to_string(&check).unwrap_or_default()
        ))
    }
}
