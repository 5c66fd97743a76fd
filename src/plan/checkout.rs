//! Which files a plan reads: a run's workspace starts as the build home leaves it (empty on a
//! job's first build) and holds the working tree only once `checkout scm` has brought it
//! there (the declarative default checkout included). So a read in a directory a planned
//! `checkout scm` filled reads the working tree; any other read sees the workspace itself, as
//! the run would (only ever read). With `--in-place` the workspace is the working tree.

use std::path::{Path, PathBuf};

use super::brought::Brought;
use super::overlay::normal;
use super::recorder::Recorder;
use crate::eval::args::CallArgs;
use crate::eval::flow::Flow;
use crate::eval::pipeline::PipelineHost;
use crate::eval::pipeline::blocks;
use crate::eval::pipeline::leaf::step_exception;
use crate::eval::value::Value;
use crate::source::Span;
use crate::steps::StepError;
use crate::steps::scm::NO_SCM;

/// `checkout scm` in a pipeline that did not come from a repository: `scm` is then the
/// placeholder `run` also has, not a run-time value, and the run fails at this step.
pub(super) fn without_scm(host: &PipelineHost, args: &CallArgs, span: Span) -> Option<Flow> {
    if host.state.config.host.scm.is_some() {
        return None;
    }
    let scm = blocks::arg(args, "scm")?;
    if !matches!(&scm, Value::Unknown(origin) if &**origin == "scm") {
        return None;
    }
    let ex = step_exception(&StepError::abort(NO_SCM));
    ex.span.set(Some(span));
    Some(Flow::Throw(ex))
}

impl Recorder {
    /// A planned `checkout scm` into `dir`.
    pub(super) fn checked_out(&self, dir: &Path) {
        let dir = normal(dir);
        self.overlay.borrow_mut().checked_out(&dir);
        let mut checkouts = self.checkouts.borrow_mut();
        if !checkouts.contains(&dir) {
            checkouts.push(dir);
        }
    }

    /// Where the plan reads `path` from: in the working tree when a checkout brought it
    /// (the deepest checkout directory holding it wins), else `path` itself.
    pub(super) fn source_of(&self, path: &Path) -> PathBuf {
        self.checked_out_as(path)
            .map_or_else(|| normal(path), |rel| self.tree.join(rel))
    }

    /// `path` relative to the tree, when a planned checkout brought the tree where it is.
    pub(super) fn checked_out_as(&self, path: &Path) -> Option<PathBuf> {
        let path = normal(path);
        self.checkouts
            .borrow()
            .iter()
            .filter(|dir| path.starts_with(dir))
            .max_by_key(|dir| dir.components().count())
            .and_then(|dir| path.strip_prefix(dir).ok())
            .map(Path::to_path_buf)
    }

    /// Whether `path` is in the working tree but not where a checkout put the tree's copy:
    /// an ignored, untracked file (or `.jenkinsfile/`) the run's checkout leaves behind.
    pub(super) fn left_behind(&self, path: &Path) -> bool {
        if self.in_place {
            return false;
        }
        let Some(relative) = self.checked_out_as(path) else {
            return false;
        };
        let mut brought = self.brought.borrow_mut();
        !brought
            .get_or_insert_with(|| Brought::load(&self.tree))
            .brings(&relative)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Recorder;

    #[test]
    fn reads_the_tree_only_where_a_checkout_brought_it() {
        let plan = Recorder::new(
            None,
            Path::new("/home/jobs/app/workspace"),
            Path::new("/repo"),
        );
        let file = Path::new("/home/jobs/app/workspace/VERSION");
        assert_eq!(plan.source_of(file), file);
        plan.checked_out(Path::new("/home/jobs/app/workspace/src"));
        assert_eq!(plan.source_of(file), file);
        assert_eq!(
            plan.source_of(Path::new("/home/jobs/app/workspace/src/./a.txt")),
            Path::new("/repo/a.txt")
        );
        plan.checked_out(Path::new("/home/jobs/app/workspace"));
        assert_eq!(plan.source_of(file), Path::new("/repo/VERSION"));
    }

    #[test]
    fn in_place_the_workspace_is_the_tree() {
        let plan = Recorder::new(None, Path::new("/dir"), Path::new("/dir"));
        assert_eq!(plan.source_of(Path::new("/dir/x")), Path::new("/dir/x"));
    }
}
