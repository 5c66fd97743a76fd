//! Jenkins' `WorkspaceList` inside one build. Every `node` block is its own executor and
//! leases a workspace when it starts: the job's `workspace`, or, while a running node (of
//! this build, or another build through the flock files of `lock.rs`) holds it, the next free
//! `workspace@2`, `@3`, …. Parallel branches thus never share a directory, and a nested `node`
//! gets a second one, as on Jenkins. The lease ends when the block ends, however it ends.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::WorkspaceLease;
use super::lock::{suffixed, try_lock};

/// The build's workspaces. The default list is off: every node shares the host's one
/// workspace (`--in-place`, where `<repo>@2` beside the user's repository would be a
/// surprise, and hosts made for tests or planning).
#[derive(Clone, Debug, Default)]
pub struct WorkspaceList(Option<Arc<Mutex<Inner>>>);

#[derive(Debug)]
struct Inner {
    /// `jobs/<job>/workspace`: where every allocation starts, as Jenkins starts at the job's.
    base: PathBuf,
    /// The build's own cross-process lease, taken before the build started; its directory is
    /// free for this build's nodes whenever none of them holds it.
    own: WorkspaceLease,
    /// Directories held by running nodes, with the flock taken for them (none for `own`).
    held: HashMap<PathBuf, Option<File>>,
}

/// One node's workspace, released on drop (end of block, failure, or abort dropping it).
#[derive(Debug)]
pub struct NodeLease {
    list: Arc<Mutex<Inner>>,
    pub path: PathBuf,
}

impl WorkspaceList {
    /// A list for a build that holds `own` (its cross-process lease).
    #[must_use]
    pub fn new(own: WorkspaceLease) -> Self {
        let base = own.path.with_file_name("workspace");
        Self(Some(Arc::new(Mutex::new(Inner {
            base,
            own,
            held: HashMap::new(),
        }))))
    }

    /// The first workspace no running node holds, for a new node; `None` when the list is
    /// off (the caller uses the host's workspace).
    ///
    /// # Errors
    /// When a lock file or the directory cannot be created.
    pub fn allocate(&self) -> io::Result<Option<NodeLease>> {
        self.allocate_from(None)
    }

    /// The first of `base`, `base@2`, … that no running node or `ws` holds (the `ws` step's
    /// lease of a directory it names); `None` when the list is off.
    ///
    /// # Errors
    /// When a lock file or the directory cannot be created.
    pub fn allocate_at(&self, base: &Path) -> io::Result<Option<NodeLease>> {
        self.allocate_from(Some(base))
    }

    fn allocate_from(&self, base: Option<&Path>) -> io::Result<Option<NodeLease>> {
        let Some(list) = &self.0 else {
            return Ok(None);
        };
        let mut inner = list.lock().unwrap_or_else(PoisonError::into_inner);
        // The job's own workspaces are the build home's, so a link found there is replaced;
        // a `ws()` directory is the Jenkinsfile's, judged by where it leads.
        let own_base = base.is_none();
        let base = base.map_or_else(|| inner.base.clone(), Path::to_path_buf);
        if let Some(parent) = base.parent() {
            // The lock file sits beside the directory.
            std::fs::create_dir_all(parent)?;
        }
        for n in 1u32.. {
            let path = suffixed(&base, n);
            if inner.held.contains_key(&path) {
                continue;
            }
            let lock = if path == inner.own.path {
                None
            } else {
                match try_lock(&path)? {
                    Some(file) => Some(file),
                    // Another build's, through its flock.
                    None => continue,
                }
            };
            if own_base {
                super::lock::real_dir(&path)?;
            } else {
                std::fs::create_dir_all(&path)?;
            }
            inner.held.insert(path.clone(), lock);
            return Ok(Some(NodeLease {
                list: Arc::clone(list),
                path,
            }));
        }
        Err(io::Error::other("no free workspace"))
    }

    /// Whether `path` is held by a running node (for tests and diagnostics).
    #[must_use]
    pub fn is_held(&self, path: &Path) -> bool {
        self.0.as_ref().is_some_and(|list| {
            list.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .held
                .contains_key(path)
        })
    }
}

impl Drop for NodeLease {
    fn drop(&mut self) {
        // Dropping the file releases its flock for other builds.
        self.list
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .held
            .remove(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::WorkspaceList;
    use crate::home::WorkspaceLease;

    #[test]
    fn a_held_workspace_gives_the_next_suffix_and_comes_back_when_released() {
        let job = tempfile::tempdir().unwrap();
        let list = WorkspaceList::new(WorkspaceLease::acquire(job.path()).unwrap());
        let one = list.allocate().unwrap().unwrap();
        let two = list.allocate().unwrap().unwrap();
        let three = list.allocate().unwrap().unwrap();
        assert_eq!(one.path, job.path().join("workspace"));
        assert_eq!(two.path, job.path().join("workspace@2"));
        assert_eq!(three.path, job.path().join("workspace@3"));
        drop(two);
        assert!(!list.is_held(&job.path().join("workspace@2")));
        let again = list.allocate().unwrap().unwrap();
        assert_eq!(again.path, job.path().join("workspace@2"));
    }

    #[test]
    fn another_builds_workspace_is_skipped() {
        let job = tempfile::tempdir().unwrap();
        // The first build holds `workspace`; this one was given `workspace@2`.
        let _first = WorkspaceLease::acquire(job.path()).unwrap();
        let list = WorkspaceList::new(WorkspaceLease::acquire(job.path()).unwrap());
        let node = list.allocate().unwrap().unwrap();
        assert_eq!(node.path, job.path().join("workspace@2"));
        let branch = list.allocate().unwrap().unwrap();
        assert_eq!(branch.path, job.path().join("workspace@3"));
    }

    #[test]
    fn a_named_directory_is_leased_with_suffixes_too() {
        let job = tempfile::tempdir().unwrap();
        let list = WorkspaceList::new(WorkspaceLease::acquire(job.path()).unwrap());
        let base = job.path().join("custom/dir");
        let one = list.allocate_at(&base).unwrap().unwrap();
        let two = list.allocate_at(&base).unwrap().unwrap();
        assert_eq!(one.path, base);
        assert_eq!(two.path, job.path().join("custom/dir@2"));
        assert!(two.path.is_dir());
        drop(one);
        assert_eq!(list.allocate_at(&base).unwrap().unwrap().path, base);
    }

    #[test]
    fn an_off_list_leases_nothing() {
        assert!(WorkspaceList::default().allocate().unwrap().is_none());
    }
}
