//! Golden console logs of the workspace, SCM and artifact steps: every
//! `fixtures/scm/<case>/Jenkinsfile` is run by the real binary from a fresh git repository made
//! of the case's files (committed on `main` with a fixed identity and date, tagged `v1.0`),
//! then overlaid with the case's `dirty/` files as uncommitted work. `<case>/args` adds
//! arguments, one per line. stdout and the exit status are snapshotted.

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// git with a fixed identity and date, and no user or system configuration.
pub(crate) fn git_fixed(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Copies `from` into `to`, leaving out the names in `skip` at the top level.
pub(crate) fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name), &[]);
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// A repository on `main` holding the case's files, one commit tagged `v1.0`, then `dirty/`.
pub(crate) fn repo_for(case: &Path, root: &Path) -> PathBuf {
    let repo = root.join("repo");
    copy_tree(case, &repo, &["args", "dirty"]);
    git_fixed(&repo, &["init", "--quiet", "--initial-branch=main"]);
    git_fixed(&repo, &["config", "user.name", "Dev Eloper"]);
    git_fixed(&repo, &["config", "user.email", "dev@example.com"]);
    git_fixed(&repo, &["add", "-A"]);
    git_fixed(&repo, &["commit", "--quiet", "-m", "Initial import"]);
    git_fixed(&repo, &["tag", "v1.0"]);
    if case.join("dirty").is_dir() {
        copy_tree(&case.join("dirty"), &repo, &[]);
    }
    repo
}

pub(crate) fn run_in(repo: &Path, home: &Path, extra: &[String]) -> (String, i32) {
    let output = Command::new(BIN)
        .arg("run")
        .arg(repo.join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(home)
        .args(extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    (text, output.status.code().unwrap_or(-1))
}

#[test]
fn console_logs() {
    insta::glob!("../fixtures/scm", "*/Jenkinsfile", |path| {
        let case = path.parent().unwrap();
        let root = tempfile::tempdir().unwrap();
        let repo = repo_for(case, root.path());
        let home = root.path().join("home");
        let extra: Vec<String> = std::fs::read_to_string(case.join("args"))
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        let (text, code) = run_in(&repo, &home, &extra);
        assert!(
            home.join("jobs/demo/builds/1/build.json").is_file(),
            "no build record for {}",
            case.display()
        );
        insta::with_settings!({
            filters => vec![
                (regex_escape(&root.path().display().to_string()).as_str(), "[TMP]"),
                (r"durable-[0-9a-f]{8}", "durable-XXXXXXXX"),
            ],
        }, {
            insta::assert_snapshot!(format!("{text}--- exit: {code}\n"));
        });
    });
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
