//! Declarative behaviour that depends on more than one file: the flags of a partial run, the
//! `when` sources given on the command line, the changelog between two builds of a git
//! repository, and the post conditions that compare with the previous build.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::git;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// A repository and a build home that outlive several builds.
struct Project {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    home: PathBuf,
}

impl Project {
    fn new(script: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&repo).unwrap();
        let project = Project {
            repo,
            home,
            _dir: dir,
        };
        project.write("Jenkinsfile", script);
        git(&project.repo, &["init", "-q", "-b", "main"]);
        git(&project.repo, &["add", "."]);
        git(&project.repo, &["commit", "-q", "-m", "first"]);
        project
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.repo.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn commit(&self, message: &str) {
        git(&self.repo, &["add", "."]);
        git(&self.repo, &["commit", "-q", "-m", message]);
    }

    /// stdout (home replaced by `[HOME]`), stderr and the exit status.
    fn run(&self, extra: &[&str]) -> (String, String, i32) {
        run_in(&self.repo, &self.home, extra)
    }
}

fn run_in(repo: &Path, home: &Path, extra: &[&str]) -> (String, String, i32) {
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
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout)
            .unwrap()
            .replace(&home.display().to_string(), "[HOME]"),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

/// The console lines that are not `[Pipeline]` structure.
fn said(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with("[Pipeline]"))
        .collect()
}

const STAGES: &str = "\
pipeline {
    agent none
    stages {
        stage('Build') {
            steps { echo 'build' }
        }
        stage('Test') {
            stages {
                stage('Unit') {
                    steps { echo 'unit' }
                }
                stage('Integration') {
                    steps { echo 'integration' }
                }
            }
        }
        stage('Deploy') {
            steps { echo 'deploy' }
        }
    }
}
";

#[test]
fn partial_runs_skip_with_the_reason() {
    let project = Project::new(STAGES);
    let (text, _, code) = project.run(&["--stage", "Test/Integration"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        said(&text),
        [
            "Stage \"Build\" skipped due to --stage \"Test/Integration\"",
            "Stage \"Unit\" skipped due to --stage \"Test/Integration\"",
            "integration",
            "Stage \"Deploy\" skipped due to --stage \"Test/Integration\"",
            "Finished: SUCCESS",
        ]
    );
    let (text, _, _) = project.run(&["--skip-stage", "Build", "--skip-stage", "Unit"]);
    assert_eq!(
        said(&text),
        [
            "Stage \"Build\" skipped due to --skip-stage \"Build\"",
            "Stage \"Unit\" skipped due to --skip-stage \"Test/Unit\"",
            "integration",
            "deploy",
            "Finished: SUCCESS",
        ]
    );
    let (text, _, _) = project.run(&["--from-stage", "Integration"]);
    assert_eq!(
        said(&text),
        [
            "Stage \"Build\" skipped due to --from-stage \"Test/Integration\"",
            "Stage \"Unit\" skipped due to --from-stage \"Test/Integration\"",
            "integration",
            "deploy",
            "Finished: SUCCESS",
        ]
    );
    // An unknown stage is a usage error, before any build starts.
    let (text, stderr, code) = project.run(&["--stage", "Nope"]);
    assert_eq!(code, 2, "{text}{stderr}");
    assert!(stderr.contains("Nope"), "{stderr}");
}

#[test]
fn tag_and_change_request_come_from_flags_only() {
    let script = "\
pipeline {
    agent none
    stages {
        stage('Tag') {
            when { buildingTag() }
            steps { echo \"tag ${TAG_NAME}\" }
        }
        stage('Release') {
            when { tag 'v*' }
            steps { echo 'release' }
        }
        stage('PR') {
            when { changeRequest target: 'main' }
            steps { echo \"PR ${CHANGE_ID} on ${BRANCH_NAME}\" }
        }
    }
}
";
    let project = Project::new(script);
    // A tagged HEAD alone is a branch build: no TAG_NAME.
    git(&project.repo, &["tag", "v1.0"]);
    let (text, _, _) = project.run(&[]);
    assert_eq!(
        said(&text),
        [
            "Stage \"Tag\" skipped due to when conditional",
            "Stage \"Release\" skipped due to when conditional",
            "Stage \"PR\" skipped due to when conditional",
            "Finished: SUCCESS",
        ]
    );
    let (text, _, _) = project.run(&["--tag", "v1.0"]);
    assert_eq!(
        said(&text),
        [
            "tag v1.0",
            "release",
            "Stage \"PR\" skipped due to when conditional",
            "Finished: SUCCESS",
        ]
    );
    let (text, _, _) = project.run(&["--change-request", "7", "--change-target", "main"]);
    assert_eq!(
        said(&text),
        [
            "Stage \"Tag\" skipped due to when conditional",
            "Stage \"Release\" skipped due to when conditional",
            "PR 7 on PR-7",
            "Finished: SUCCESS",
        ]
    );
}

#[test]
fn changelog_and_changeset_look_at_the_commits_since_the_previous_build() {
    let script = "\
pipeline {
    agent none
    stages {
        stage('Skip CI') {
            when { changelog '.*\\\\[ci skip\\\\].*' }
            steps { echo 'ci skip requested' }
        }
        stage('Docs') {
            when { changeset 'docs/**' }
            steps { echo 'docs changed' }
        }
        stage('Sources') {
            when { changeset 'src/**' }
            steps { echo 'never' }
        }
    }
}
";
    let project = Project::new(script);
    let (text, _, _) = project.run(&[]);
    let warning = "Warning, empty changelog. Probably because this is the first build.";
    assert_eq!(
        said(&text),
        [
            warning,
            "Stage \"Skip CI\" skipped due to when conditional",
            warning,
            "Stage \"Docs\" skipped due to when conditional",
            warning,
            "Stage \"Sources\" skipped due to when conditional",
            "Finished: SUCCESS",
        ]
    );
    project.write("docs/guide.md", "typo fixed\n");
    project.commit("docs: fix a typo [ci skip]");
    let (text, _, _) = project.run(&[]);
    assert_eq!(
        said(&text),
        [
            "ci skip requested",
            "docs changed",
            "Stage \"Sources\" skipped due to when conditional",
            "Finished: SUCCESS",
        ]
    );
}

#[test]
fn changed_fixed_and_regression_compare_with_the_previous_build() {
    let post = "
    post {
        changed { echo 'changed' }
        fixed { echo 'fixed' }
        regression { echo 'regression' }
    }
}
";
    let with = |steps: &str| {
        format!(
            "pipeline {{\n    agent none\n    stages {{\n        stage('S') {{\n            steps {{ {steps} }}\n        }}\n    }}{post}"
        )
    };
    let project = Project::new(&with("echo 'ok'"));
    // No previous build: changed runs, fixed and regression do not.
    let (text, _, _) = project.run(&[]);
    assert_eq!(said(&text), ["ok", "changed", "Finished: SUCCESS"]);
    let (text, _, _) = project.run(&[]);
    assert_eq!(said(&text), ["ok", "Finished: SUCCESS"]);
    project.write("Jenkinsfile", &with("unstable 'flaky'"));
    let (text, _, _) = project.run(&[]);
    assert_eq!(
        said(&text),
        [
            "WARNING: flaky",
            "changed",
            "regression",
            "Finished: UNSTABLE"
        ]
    );
    project.write("Jenkinsfile", &with("echo 'ok'"));
    let (text, _, _) = project.run(&[]);
    assert_eq!(said(&text), ["ok", "changed", "fixed", "Finished: SUCCESS"]);
}

#[test]
fn disable_concurrent_builds_refuses_a_second_live_build() {
    let project = Project::new(
        "\
pipeline {
    agent none
    options { disableConcurrentBuilds() }
    stages {
        stage('Wait') {
            steps { sleep 3 }
        }
    }
}
",
    );
    let (repo, home) = (project.repo.clone(), project.home.clone());
    let first = std::thread::spawn(move || run_in(&repo, &home, &[]));
    let lock = project.home.join("jobs/demo/concurrent.lock");
    let started = std::time::Instant::now();
    while !lock.exists() && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (text, _, code) = project.run(&[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("disableConcurrentBuilds: build #1 of this job is still running"),
        "{text}"
    );
    let (text, _, code) = first.join().unwrap();
    assert_eq!(code, 0, "{text}");
    assert!(!lock.exists(), "the lock is released at the end");
}
