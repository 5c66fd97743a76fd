//! A rebuild touches only what changed in the overlay: an untracked file unchanged since the
//! previous build (in the user's repository and in the workspace) keeps its copy, inode and
//! all; one the user changed, or the build wrote to, is copied again; one that went away, or
//! became ignored, leaves the workspace.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::scm::origin_and_clone;
use crate::scm_golden::run_in;
use crate::support::tree;

fn stamp(path: &Path) -> (u64, i64, i64) {
    let m = std::fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (m.ino(), m.mtime(), m.mtime_nsec())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_rebuild_rewrites_only_the_untracked_files_that_changed() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  checkout scm\n  sh 'if [ \"$BUILD_NUMBER\" = 1 ]; then echo build >> built.txt; fi; cat built.txt'\n}\n",
    )
    .unwrap();
    std::fs::create_dir_all(work.join("tmp")).unwrap();
    std::fs::create_dir_all(work.join("deep/er")).unwrap();
    for (name, text) in [
        ("same.txt", "same\n"),
        ("deep/er/same.txt", "deep\n"),
        ("changed.txt", "one\n"),
        ("removed.txt", "removed\n"),
        ("tmp/x.txt", "soon ignored\n"),
        ("built.txt", "orig\n"),
    ] {
        std::fs::write(work.join(name), text).unwrap();
    }
    let home = root.path().join("home");
    let ws = home.join("jobs/demo/workspace");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("+ cat built.txt\norig\nbuild\n"), "{text}");
    let same = stamp(&ws.join("same.txt"));
    let deep = stamp(&ws.join("deep/er/same.txt"));
    let changed = stamp(&ws.join("changed.txt"));

    // Between the builds: one file changes (same size, so only the stamp tells), one goes,
    // one becomes ignored.
    std::fs::write(work.join("changed.txt"), "two\n").unwrap();
    std::fs::remove_file(work.join("removed.txt")).unwrap();
    std::fs::write(work.join(".gitignore"), "*.log\ntmp/\n").unwrap();
    let before = tree(&work);
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(tree(&work), before, "the user's repository changed");
    // The build's append to its copy is gone: the copy was made again from the user's file.
    assert!(
        text.contains("+ cat built.txt\norig\n[Pipeline] }"),
        "{text}"
    );
    assert_eq!(
        stamp(&ws.join("same.txt")),
        same,
        "an unchanged file was rewritten"
    );
    assert_eq!(stamp(&ws.join("deep/er/same.txt")), deep);
    assert_ne!(stamp(&ws.join("changed.txt")), changed);
    assert_eq!(read(&ws.join("changed.txt")), "two\n");
    assert_eq!(read(&ws.join("same.txt")), "same\n");
    assert!(!ws.join("removed.txt").exists());
    assert!(!ws.join("tmp").exists(), "an ignored file stayed");

    // `--scm head` keeps nothing of the overlay.
    let (text, code) = run_in(&work, &home, &["--scm".into(), "head".into()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("built.txt: No such file"), "{text}");
    assert!(!ws.join("same.txt").exists());
    assert!(!ws.join("deep").exists());
    assert!(!ws.join("changed.txt").exists());
}
