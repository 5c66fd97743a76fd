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

/// Waits until build #1 of `demo` holds the queue lock (it writes its number there).
fn wait_for_first_build(home: &Path) {
    let lock = home.join("jobs/demo/concurrent.lock");
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.starts_with("1 ")) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "build #1 never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn record(home: &Path, number: u32) -> serde_json::Value {
    let text = std::fs::read_to_string(home.join(format!("jobs/demo/builds/{number}/build.json")))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn recorded_result(home: &Path, number: u32) -> String {
    record(home, number)["result"].as_str().unwrap().to_string()
}

#[test]
fn disable_concurrent_builds_queues_a_second_build_until_the_first_ends() {
    // Jenkins keeps the second build in the queue, with no number, until the first ends.
    let project = Project::new(
        "\
pipeline {
    agent none
    options { disableConcurrentBuilds() }
    stages {
        stage('Wait') {
            steps { sleep 2 }
        }
    }
}
",
    );
    let (repo, home) = (project.repo.clone(), project.home.clone());
    let first = std::thread::spawn(move || run_in(&repo, &home, &[]));
    wait_for_first_build(&project.home);
    let (text, stderr, code) = project.run(&[]);
    assert_eq!(code, 0, "{text}{stderr}");
    assert!(
        stderr.contains("Waiting for the previous build #1 of demo to finish"),
        "{stderr}"
    );
    let (first_text, _, first_code) = first.join().unwrap();
    assert_eq!(first_code, 0, "{first_text}");
    // The second build took the next number only after the first had ended.
    assert_eq!(recorded_result(&project.home, 1), "SUCCESS");
    assert_eq!(recorded_result(&project.home, 2), "SUCCESS");
    assert!(!project.home.join("jobs/demo/builds/3").exists());
    let (one, two) = (record(&project.home, 1), record(&project.home, 2));
    let first_end = one["start_time_ms"].as_u64().unwrap() + one["duration_ms"].as_u64().unwrap();
    assert!(
        two["start_time_ms"].as_u64().unwrap() >= first_end,
        "build #2 started while #1 ran"
    );
}

#[test]
fn disable_concurrent_builds_abort_previous_aborts_the_running_build() {
    let project = Project::new(
        "\
pipeline {
    agent none
    options { disableConcurrentBuilds(abortPrevious: true) }
    stages {
        stage('Wait') {
            steps { sleep 60 }
        }
    }
    post { aborted { echo 'first was aborted' } }
}
",
    );
    let (repo, home) = (project.repo.clone(), project.home.clone());
    let started = std::time::Instant::now();
    let first = std::thread::spawn(move || run_in(&repo, &home, &[]));
    wait_for_first_build(&project.home);
    // The second run waits for the first only as long as the abort takes; it then sleeps 60
    // seconds itself, so it is not run here: the first one's end is what this test checks.
    let mut second = Command::new(BIN)
        .arg("run")
        .arg(project.repo.join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(&project.home)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (text, _, code) = first.join().unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{text}"
    );
    assert_eq!(code, 130, "{text}");
    assert!(text.contains("first was aborted"), "{text}");
    // Jenkins' `DisableConcurrentBuildsJobProperty.CancelledCause`, not a user's abort.
    assert!(text.contains("Superseded by #2\n"), "{text}");
    assert!(!text.contains("Aborted by user"), "{text}");
    assert!(text.ends_with("Finished: ABORTED\n"), "{text}");
    assert_eq!(recorded_result(&project.home, 1), "ABORTED");
    wait_for_second(&project.home);
    let _ = second.kill();
    let output = second.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Aborting the previous build #1 of demo"),
        "{stderr}"
    );
}

/// Waits until build #2 holds the queue lock.
fn wait_for_second(home: &Path) {
    let lock = home.join("jobs/demo/concurrent.lock");
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.starts_with("2 ")) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "build #2 never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
