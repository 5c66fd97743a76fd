//! `junit` with nothing to record: a run fails with "No test report files were found" when
//! no file matches `testResults` (without `allowEmptyResults: true`). The plan predicts it
//! when the files are not there now and no planned step in the same workspace (a script, an
//! unstash) runs before it that could write them; when they are there but nothing planned
//! writes them first, the build could fail (a run counts only reports newer than the build).

use serde_json::{Map, Value as Json};

use super::recorder::{Recorder, cwd};
use crate::eval::flow::R;
use crate::eval::pipeline::PipelineHost;
use crate::eval::pipeline::leaf::step_exception;
use crate::eval::scope::Cx;
use crate::source::Span;
use crate::steps::StepError;
use crate::steps::ant::FileSet;
use crate::steps::junit::NO_REPORTS;

impl Recorder {
    /// Fails the plan at a `junit` (step `id`) that a run would find nothing for.
    pub(super) fn junit_without_reports(
        &self,
        host: &PipelineHost,
        id: u32,
        named: &Map<String, Json>,
        span: Span,
        cx: &Cx,
    ) -> R<()> {
        let Some(patterns) = named.get("testResults").and_then(Json::as_str) else {
            return Ok(());
        };
        let allow_empty = named
            .get("allowEmptyResults")
            .is_some_and(|v| v.as_bool() != Some(false));
        // A run-time pattern, or a step before it that may write the reports: not certain.
        if allow_empty || patterns.contains('<') || cx.dynamic.conditional.is_some() {
            return Ok(());
        }
        let dir = cwd(host, cx);
        if self.writer_before(id, &dir.join("x")).is_some() {
            return Ok(());
        }
        let root = self.source_of(&dir);
        let found = FileSet::new(patterns, "", false).scan(&root, &|p| {
            p.starts_with(&root) && !self.left_behind(&dir.join(p.strip_prefix(&root).unwrap_or(p)))
        });
        if self.overlay.borrow().changes_under(&dir) {
            return Ok(());
        }
        if !found.is_empty() {
            // Reports nothing planned writes first: a run counts only those newer than the
            // build, and fails when none is.
            self.could_end(
                crate::report::BuildResult::Failure,
                format!("junit '{patterns}': no planned step writes the reports first, and a run fails if none is newer than the build"),
            );
            return Ok(());
        }
        self.record(host, cx, id, "junit", named.clone(), true, false, None);
        let ex = step_exception(&StepError::abort(NO_REPORTS));
        ex.span.set(Some(span));
        Err(crate::eval::flow::Flow::Throw(ex))
    }
}
