//! Steps that fail when they find nothing: `junit` ("No test report files were found"),
//! `archiveArtifacts` ("No artifacts found that match the file pattern"), `stash` ("No files
//! included in stash"), and `unstash` of a name no planned `stash` saved ("No such saved
//! stash"). The plan predicts the failure when the files are not there now and no planned
//! step in the same workspace (a script, an unstash) runs before it that could write them.
//! `junit` reports that are there but that nothing planned writes first could still fail it:
//! a run counts only reports newer than the build.

use serde_json::{Map, Value as Json};

use super::recorder::{Recorder, cwd};
use super::symbolic::holds_runtime_value;
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::PipelineHost;
use crate::eval::pipeline::leaf::step_exception;
use crate::eval::scope::Cx;
use crate::source::Span;
use crate::steps::StepError;
use crate::steps::ant::FileSet;
use crate::steps::junit::NO_REPORTS;

impl Recorder {
    /// Fails the plan at step `id` when a run would find nothing for it.
    pub(super) fn finds_nothing(
        &self,
        host: &PipelineHost,
        id: u32,
        name: &str,
        named: &Map<String, Json>,
        span: Span,
        cx: &Cx,
    ) -> R<()> {
        let text = |key: &str| named.get(key).and_then(Json::as_str).unwrap_or_default();
        // The files the step takes, the flag that lets it take none, and the run's words.
        let (patterns, allow, message) = match name {
            "junit" => (
                text("testResults"),
                "allowEmptyResults",
                NO_REPORTS.to_string(),
            ),
            "archiveArtifacts" => (
                text("artifacts"),
                "allowEmptyArchive",
                crate::steps::archive::no_artifacts(text("artifacts")),
            ),
            "stash" => (
                text("includes"),
                "allowEmpty",
                crate::steps::stash::no_files(text("name")),
            ),
            "unstash" => return self.unstash_unsaved(host, id, named, span, cx),
            _ => return Ok(()),
        };
        let excludes = text("excludes");
        let allowed = named.get(allow).is_some_and(|v| v.as_bool() != Some(false));
        // Without its pattern (or a stash without its name) the run fails otherwise.
        let missing = if name == "stash" {
            text("name").is_empty()
        } else {
            patterns.is_empty()
        };
        if allowed || missing {
            return Ok(());
        }
        // A run-time pattern, or a side that may not run: not certain.
        if holds_runtime_value(patterns)
            || holds_runtime_value(excludes)
            || cx.dynamic.conditional.is_some()
        {
            return Ok(());
        }
        let dir = cwd(host, cx);
        if self.writer_before(id, &dir).is_some() || self.overlay.borrow().changes_under(&dir) {
            return Ok(());
        }
        let root = self.source_of(&dir);
        let found = FileSet::new(patterns, excludes, name != "junit").scan(&root, &|p| {
            p.starts_with(&root) && !self.left_behind(&dir.join(p.strip_prefix(&root).unwrap_or(p)))
        });
        if found.is_empty() {
            return self.run_stops_here(host, id, name, named, &message, abort(&message, span), cx);
        }
        if name == "junit" {
            self.could_end(
                crate::report::BuildResult::Failure,
                format!("junit '{patterns}': no planned step writes the reports first, and a run fails if none is newer than the build"),
            );
        }
        Ok(())
    }

    /// `unstash 'x'` with no `stash 'x'` planned before it (a partial run from a stage
    /// restores the earlier build's stashes: then it is left to the run).
    fn unstash_unsaved(
        &self,
        host: &PipelineHost,
        id: u32,
        named: &Map<String, Json>,
        span: Span,
        cx: &Cx,
    ) -> R<()> {
        let Some(stash) = named.get("name").and_then(Json::as_str) else {
            return Ok(());
        };
        if holds_runtime_value(stash) || cx.dynamic.conditional.is_some() || self.restores_stashes {
            return Ok(());
        }
        let saved = self.steps.borrow().iter().any(|r| {
            r.step.name == "stash"
                && r.step.id < id
                && r.step.args.get("name").and_then(Json::as_str) == Some(stash)
        });
        if saved {
            return Ok(());
        }
        let message = crate::steps::stash::no_such_stash(stash);
        self.run_stops_here(
            host,
            id,
            "unstash",
            named,
            &message,
            abort(&message, span),
            cx,
        )
    }
}

/// The run's `AbortException` with `message`, where the step is.
fn abort(message: &str, span: Span) -> Flow {
    let ex = step_exception(&StepError::abort(message.to_string()));
    ex.span.set(Some(span));
    Flow::Throw(ex)
}
