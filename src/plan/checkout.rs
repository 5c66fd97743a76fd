//! Which files a plan reads: a run's workspace starts as the build home leaves it (empty on a
//! job's first build) and holds the working tree only once `checkout scm` has brought it
//! there (the declarative default checkout included). So a read in a directory a planned
//! `checkout scm` filled reads the working tree; any other read sees the workspace itself, as
//! the run would (only ever read). Outside a repository the workspace is the working tree.

use std::path::{Path, PathBuf};

use super::overlay::normal;
use super::recorder::Recorder;

impl Recorder {
    /// A planned `checkout scm` into `dir`.
    pub(super) fn checked_out(&self, dir: &Path) {
        let dir = normal(dir);
        let mut checkouts = self.checkouts.borrow_mut();
        if !checkouts.contains(&dir) {
            checkouts.push(dir);
        }
    }

    /// Where the plan reads `path` from: in the working tree when a checkout brought it
    /// (the deepest checkout directory holding it wins), else `path` itself.
    pub(super) fn source_of(&self, path: &Path) -> PathBuf {
        let path = normal(path);
        self.checkouts
            .borrow()
            .iter()
            .filter(|dir| path.starts_with(dir))
            .max_by_key(|dir| dir.components().count())
            .and_then(|dir| path.strip_prefix(dir).ok())
            .map_or_else(|| path.clone(), |rel| self.tree.join(rel))
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
    fn outside_a_repository_the_workspace_is_the_tree() {
        let plan = Recorder::new(None, Path::new("/dir"), Path::new("/dir"));
        assert_eq!(plan.source_of(Path::new("/dir/x")), Path::new("/dir/x"));
    }
}
