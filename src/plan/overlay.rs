//! The read-only view of the working tree with an in-memory overlay: a planned `writeFile`
//! lands here, a planned `deleteDir` hides a directory until a planned checkout brings the
//! tree back into it, and the pure file steps read through it, so that `readFile` after
//! `writeFile` returns the recorded text. Nothing here writes to the file system.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Planned changes to the workspace.
#[derive(Debug, Default)]
pub(super) struct Overlay {
    files: BTreeMap<PathBuf, String>,
    /// Files written with a run-time value (`writeFile text: out`): the value's origin.
    symbolic: BTreeMap<PathBuf, String>,
    /// What happened to whole directories, in plan order: the latest event above a path
    /// decides whether its real file is there. Files written later are in `files`.
    dirs: Vec<DirEvent>,
}

#[derive(Debug)]
enum DirEvent {
    /// A planned `deleteDir` (step `at`) emptied the directory.
    Deleted { dir: PathBuf, at: u32 },
    /// A planned `checkout` brought the working tree into it again.
    CheckedOut(PathBuf),
}

/// What the overlay knows about one path.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Seen<'a> {
    Written(&'a str),
    /// Removed by the planned `deleteDir` that is step `at`.
    Deleted {
        at: u32,
    },
    /// Not touched by the plan: read the real file.
    Real,
}

impl Overlay {
    pub(super) fn write(&mut self, path: &Path, text: String) {
        self.symbolic.remove(&normal(path));
        self.files.insert(normal(path), text);
    }

    /// A planned write of a run-time value: reading it back gives that value.
    pub(super) fn write_symbolic(&mut self, path: &Path, text: String, origin: String) {
        self.write(path, text);
        self.symbolic.insert(normal(path), origin);
    }

    /// The run-time value a planned write left in `path`, if it wrote one.
    #[must_use]
    pub(super) fn symbolic(&self, path: &Path) -> Option<&str> {
        self.symbolic.get(&normal(path)).map(String::as_str)
    }

    pub(super) fn delete_dir(&mut self, dir: &Path, at: u32) {
        let dir = normal(dir);
        self.files.retain(|p, _| !p.starts_with(&dir));
        self.symbolic.retain(|p, _| !p.starts_with(&dir));
        self.dirs.push(DirEvent::Deleted { dir, at });
    }

    /// A planned checkout into `dir`: the working tree's files are there again, even where an
    /// earlier `deleteDir` removed them.
    pub(super) fn checked_out(&mut self, dir: &Path) {
        self.dirs.push(DirEvent::CheckedOut(normal(dir)));
    }

    /// Whether a planned write or deletion touched anything under `dir` (or `dir` itself).
    #[must_use]
    pub(super) fn changes_under(&self, dir: &Path) -> bool {
        let dir = normal(dir);
        self.files.keys().any(|p| p.starts_with(&dir))
            || self.dirs.iter().any(|event| match event {
                DirEvent::Deleted { dir: d, .. } => d.starts_with(&dir) || dir.starts_with(d),
                DirEvent::CheckedOut(_) => false,
            })
    }

    #[must_use]
    pub(super) fn get(&self, path: &Path) -> Seen<'_> {
        let path = normal(path);
        if let Some(text) = self.files.get(&path) {
            return Seen::Written(text);
        }
        let latest = self.dirs.iter().rev().find(|event| match event {
            DirEvent::Deleted { dir, .. } | DirEvent::CheckedOut(dir) => path.starts_with(dir),
        });
        match latest {
            Some(DirEvent::Deleted { at, .. }) => Seen::Deleted { at: *at },
            _ => Seen::Real,
        }
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system.
pub(super) fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Overlay, Seen};

    #[test]
    fn written_then_deleted_then_written() {
        let mut o = Overlay::default();
        o.write(Path::new("/ws/out/a.txt"), "one".into());
        assert_eq!(o.get(Path::new("/ws/out/./a.txt")), Seen::Written("one"));
        o.delete_dir(Path::new("/ws/out"), 2);
        assert_eq!(o.get(Path::new("/ws/out/a.txt")), Seen::Deleted { at: 2 });
        assert_eq!(o.get(Path::new("/ws/other")), Seen::Real);
        o.write(Path::new("/ws/out/a.txt"), "two".into());
        assert_eq!(o.get(Path::new("/ws/out/a.txt")), Seen::Written("two"));
    }

    #[test]
    fn a_checkout_after_a_delete_brings_the_tree_back_where_it_checks_out() {
        let mut o = Overlay::default();
        o.delete_dir(Path::new("/ws"), 1);
        o.checked_out(Path::new("/ws/src"));
        assert_eq!(o.get(Path::new("/ws/src/VERSION")), Seen::Real);
        assert_eq!(o.get(Path::new("/ws/VERSION")), Seen::Deleted { at: 1 });
        o.checked_out(Path::new("/ws"));
        assert_eq!(o.get(Path::new("/ws/VERSION")), Seen::Real);
        o.delete_dir(Path::new("/ws/src"), 7);
        assert_eq!(o.get(Path::new("/ws/src/VERSION")), Seen::Deleted { at: 7 });
    }
}
