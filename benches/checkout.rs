//! `checkout scm` of a 10,000-file repository (1,000 directories of 10 files, one commit, plus
//! 100 modified and 100 untracked files to overlay) into a fresh workspace: the shared clone,
//! the checkout of HEAD and the overlay together. Target: under one second.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) it runs once on 200 files, as a
//! smoke test.

use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use jenkinsfile::home::{ScmMode, checkout_working_copy};

fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "b")
        .env("GIT_AUTHOR_EMAIL", "b@b")
        .env("GIT_COMMITTER_NAME", "b")
        .env("GIT_COMMITTER_EMAIL", "b@b")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `dirs` directories of 10 files; the first `changed` get one modified and one new file.
fn repository(root: &Path, dirs: usize, changed: usize) -> std::path::PathBuf {
    let repo = root.join("repo");
    for d in 0..dirs {
        let dir = repo.join(format!("pkg{d:04}"));
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..10 {
            std::fs::write(dir.join(format!("f{f}.txt")), format!("{d} {f}\n")).unwrap();
        }
    }
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "--quiet", "-m", "10k files"]);
    for d in 0..changed {
        let dir = repo.join(format!("pkg{d:04}"));
        std::fs::write(dir.join("f0.txt"), "modified\n").unwrap();
        std::fs::write(dir.join("new.txt"), "untracked\n").unwrap();
    }
    repo
}

fn checkout(c: &mut Criterion) {
    let root = tempfile::tempdir().unwrap();
    let (dirs, changed) = if measuring() { (1000, 100) } else { (20, 5) };
    let repo = repository(root.path(), dirs, changed);
    let mut n = 0u32;
    let mut group = c.benchmark_group("checkout");
    group.sample_size(10);
    group.bench_function("working copy of 10,000 files into a fresh workspace", |b| {
        b.iter(|| {
            n += 1;
            let dest = root.path().join(format!("ws{n}"));
            let report = checkout_working_copy(&repo, &dest, ScmMode::WorkingCopy).unwrap();
            assert_eq!((report.modified, report.untracked), (changed, changed));
        });
    });
    group.bench_function("update of an existing workspace", |b| {
        let dest = root.path().join("again");
        checkout_working_copy(&repo, &dest, ScmMode::WorkingCopy).unwrap();
        b.iter(|| checkout_working_copy(&repo, &dest, ScmMode::WorkingCopy).unwrap());
    });
    group.finish();
}

criterion_group!(benches, checkout);
criterion_main!(benches);
