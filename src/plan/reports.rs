//! Steps that fail when they find nothing: `junit` ("No test report files were found"),
//! `archiveArtifacts` ("No artifacts found that match the file pattern"), `stash` ("No files
//! included in stash"), and `unstash` of a name no planned `stash` saved ("No such saved
//! stash"). The plan predicts the failure when the files are not there now and no planned
//! step in the same workspace (a script, an unstash) runs before it that could write them.
//! `junit` reports that are there but that nothing planned writes first could still fail it:
//! a run counts only reports newer than the build.

use serde_json::{Map, Value as Json};

use super::recorder::{Recorder, cwd};
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
        let text = |key: &str| named.get(key).and_then(Json::as_str);
        let allowed = |key: &str| named.get(key).is_some_and(|v| v.as_bool() != Some(false));
        let (patterns, excludes, message) = match name {
            "junit" if !allowed("allowEmptyResults") => {
                let Some(p) = text("testResults") else {
                    return Ok(());
                };
                (p.to_string(), String::new(), NO_REPORTS.to_string())
            }
            "archiveArtifacts" if !allowed("allowEmptyArchive") => {
                let Some(p) = text("artifacts") else {
                    return Ok(());
                };
                (
                    p.to_string(),
                    text("excludes").unwrap_or_default().to_string(),
                    format!(
                        "No artifacts found that match the file pattern \"{p}\". Configuration error?"
                    ),
                )
            }
            "stash" if !allowed("allowEmpty") => {
                let Some(stash) = text("name") else {
                    return Ok(());
                };
                (
                    text("includes").unwrap_or_default().to_string(),
                    text("excludes").unwrap_or_default().to_string(),
                    format!("No files included in stash ‘{stash}’"),
                )
            }
            "unstash" => return self.unstash_unsaved(host, id, named, span, cx),
            _ => return Ok(()),
        };
        // A run-time pattern, or a side that may not run: not certain.
        if patterns.contains('<') || excludes.contains('<') || cx.dynamic.conditional.is_some() {
            return Ok(());
        }
        let dir = cwd(host, cx);
        if self.writer_before(id, &dir.join("x")).is_some()
            || self.overlay.borrow().changes_under(&dir)
        {
            return Ok(());
        }
        let root = self.source_of(&dir);
        let found = FileSet::new(&patterns, &excludes, name != "junit").scan(&root, &|p| {
            p.starts_with(&root) && !self.left_behind(&dir.join(p.strip_prefix(&root).unwrap_or(p)))
        });
        if found.is_empty() {
            return Err(self.fails_here(host, id, name, named, &message, span, cx));
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
        if stash.contains('<') || cx.dynamic.conditional.is_some() || self.restores_stashes {
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
        let message = format!("No such saved stash ‘{stash}’");
        Err(self.fails_here(host, id, "unstash", named, &message, span, cx))
    }

    /// Records step `id` and the run's failure there.
    #[allow(clippy::too_many_arguments, reason = "the step as recorded, and where")]
    pub(super) fn fails_here(
        &self,
        host: &PipelineHost,
        id: u32,
        name: &str,
        named: &Map<String, Json>,
        message: &str,
        span: Span,
        cx: &Cx,
    ) -> Flow {
        self.record(host, cx, id, name, named.clone(), true, false, None);
        let ex = step_exception(&StepError::abort(message.to_string()));
        ex.span.set(Some(span));
        Flow::Throw(ex)
    }
}
