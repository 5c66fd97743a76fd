//! The seventh review of `plan` (issue 9): a stage that only could run says so in its post
//! summary and its `when` (`holds: null`), an `aws` credential shows its type, the build's
//! values (`WORKSPACE`, the build number, `GIT_URL`, `GIT_PREVIOUS_COMMIT`) are the ones `run`
//! would set, a pipeline reads its workspace as a run finds it (empty until `checkout scm`),
//! a shared library's globals are steps, and every `catch` is planned, a throwing one with
//! the FAILURE it could cause. Expected lines are written from the issue, not copied.

use std::path::Path;
use std::process::Command;

use super::plan::stub_path;
use super::support::{git, tree};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Plans `file` in `dir` with `HOME` at `home` and only stubs on `PATH`: stdout then stderr.
/// The plan must leave `dir` and `home` byte-identical.
fn plan_in(dir: &Path, home: &Path, file: &str, format: &str, extra: &[&str]) -> String {
    std::fs::create_dir_all(home).unwrap();
    let bin = stub_path(home.parent().unwrap());
    let before = (tree(dir), tree(home));
    let output = Command::new(BIN)
        .current_dir(dir)
        .args(["plan", file, "--job", "demo", "--format", format])
        .args(extra)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("no-config"))
        .output()
        .unwrap();
    assert_eq!(
        (tree(dir), tree(home)),
        before,
        "planning changed the work folder or HOME"
    );
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    text
}

/// Runs `file` in `dir` for real (the host's PATH, for `git`), with `HOME` at `home`.
fn run_in(dir: &Path, home: &Path, file: &str) -> String {
    let output = Command::new(BIN)
        .current_dir(dir)
        .args(["run", file, "--job", "demo"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("no-config"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    text
}

/// A committed repository at `tmp/repo` with `files`, its origin a URL nothing serves.
fn repository(tmp: &Path, files: &[(&str, &str)]) -> std::path::PathBuf {
    let repo = tmp.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    for (name, text) in files {
        std::fs::write(repo.join(name), text).unwrap();
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            "https://git.example.invalid/team/app.git",
        ],
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "init"]);
    repo
}

fn has(out: &str, line: &str) {
    assert!(out.contains(line), "missing {line:?} in:\n{out}");
}

/// The text after `marker` on the line that holds it, up to ` (ran` (a planned `echo`) or
/// the end of the line (a run's output).
fn value_after(out: &str, marker: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{out}"));
    let rest = &line[line.find(marker).unwrap() + marker.len()..];
    rest.split(" (ran").next().unwrap().to_string()
}

const MAYBE_STAGE: &str = r"pipeline {
  agent any
  stages {
    stage('Probe') {
      steps {
        script {
          env.OUT = sh(returnStdout: true, script: 'cat flag').trim()
        }
      }
    }
    stage('Deploy') {
      when { expression { env.OUT == 'yes' } }
      steps { sh 'make deploy' }
      post {
        always { echo 'deployed or not' }
        failure { echo 'deploy failed' }
      }
    }
  }
}
";

#[test]
fn a_stage_that_only_could_run_says_so_in_its_post_and_when() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("Jenkinsfile"), MAYBE_STAGE).unwrap();
    let home = tmp.path().join("home");
    let text = plan_in(&work, &home, "Jenkinsfile", "text", &[]);
    has(
        &text,
        "Post: always (runs if the stage runs), failure (could run: if the stage runs and a planned step fails)",
    );
    assert!(!text.contains("always (runs)"), "{text}");
    let json = plan_in(&work, &home, "Jenkinsfile", "json", &[]);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let deploy = &plan["stages"][1];
    assert_eq!(deploy["name"], "Deploy");
    assert_eq!(
        deploy["when"][0]["holds"],
        serde_json::Value::Null,
        "{json}"
    );
    assert!(deploy["when"][0]["depends"].is_string(), "{json}");
    assert_eq!(deploy["post"][0]["runs"], "maybe");
    assert_eq!(deploy["post"][0]["reason"], "if the stage runs");
}

#[test]
fn an_aws_credential_shows_its_type() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("creds.toml"),
        // `aws-bound` is in the store too: a binding of a missing id fails the plan as it
        // fails the run (tests/plan_review9.rs).
        "[aws-env]\ntype = \"aws\"\naccess_key_id = \"AKIAPLANFIDELITY0001\"\nsecret_access_key = \"plan-fidelity-NEVER-SHOWN\"\n\n[aws-bound]\ntype = \"aws\"\naccess_key_id = \"AKIAPLANFIDELITY0002\"\nsecret_access_key = \"plan-fidelity-NEVER-SHOWN\"\n",
    )
    .unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        r"pipeline {
  agent any
  environment {
    AWS = credentials('aws-env')
  }
  stages {
    stage('Deploy') {
      steps {
        withCredentials([[$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'aws-bound']]) {
          sh 'aws sts get-caller-identity'
        }
        withAWS(credentials: 'aws-block', region: 'eu-west-1') {
          sh 'aws s3 ls'
        }
      }
    }
  }
}
",
    )
    .unwrap();
    let home = tmp.path().join("home");
    let text = plan_in(
        &work,
        &home,
        "Jenkinsfile",
        "text",
        &["--credentials", "creds.toml"],
    );
    assert!(!text.contains("NEVER-SHOWN"), "{text}");
    has(&text, "AWS_ACCESS_KEY_ID = **** (credential aws-env, aws)");
    assert!(!text.contains("AWS = "), "{text}");
    has(
        &text,
        "aws-env (aws) via environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY",
    );
    has(
        &text,
        "aws-bound (aws) via withCredentials aws: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY",
    );
    has(&text, "aws-block (aws) via withAWS");
    assert!(!text.contains("unknown"), "{text}");
}

#[test]
fn build_values_are_the_ones_run_would_set() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            r#"node {
  def c = checkout scm
  echo "VALUES ws=${env.WORKSPACE} n=${currentBuild.number} url=${c.GIT_URL} prev=${c.GIT_PREVIOUS_COMMIT}"
}
"#,
        )],
    );
    let home = tmp.path().join("home");
    let first = run_in(&repo, &home, "Jenkinsfile");
    assert!(first.contains("Finished: SUCCESS"), "{first}");
    let plan = plan_in(&repo, &home, "Jenkinsfile", "text", &[]);
    let planned = value_after(&plan, "VALUES ");
    let second = run_in(&repo, &home, "Jenkinsfile");
    assert_eq!(planned, value_after(&second, "VALUES "), "{plan}\n{second}");
    // What they are: the second build, in the job's workspace, after the first's commit.
    has(&planned, " n=2 ");
    has(&planned, "url=https://git.example.invalid/team/app.git ");
    assert!(!planned.contains("prev=null"), "{planned}");
    has(&planned, "/jobs/demo/workspace ");
}

#[test]
fn the_workspace_is_read_as_a_run_finds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            ("VERSION", "1.2.3\n"),
            (
                "Jenkinsfile",
                r"node {
  echo 'before: ' + fileExists('VERSION')
  checkout scm
  echo 'after: ' + fileExists('VERSION')
  echo 'version: ' + readFile('VERSION').trim()
}
",
            ),
            ("NoCheckout", "node {\n  echo readFile('VERSION')\n}\n"),
        ],
    );
    let home = tmp.path().join("home");
    let plan = plan_in(&repo, &home, "Jenkinsfile", "text", &[]);
    has(&plan, "message: before: false (ran: no effect)");
    has(&plan, "message: after: true (ran: no effect)");
    has(&plan, "message: version: 1.2.3 (ran: no effect)");
    has(&plan, "Result: SUCCESS");
    // Without `checkout scm` the workspace has no VERSION: the plan fails as the run does.
    let plan = plan_in(&repo, &home, "NoCheckout", "text", &[]);
    has(&plan, "java.nio.file.NoSuchFileException: ");
    has(&plan, "Result: FAILURE");
    let run = run_in(&repo, &home, "NoCheckout");
    has(&run, "java.nio.file.NoSuchFileException: ");
    has(&run, "Finished: FAILURE");
}

#[test]
fn a_shared_librarys_globals_are_planned_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    std::fs::create_dir_all(lib.join("vars")).unwrap();
    std::fs::write(
        lib.join("vars/buildPlugin.groovy"),
        "def call(Map m) { sh \"mvn ${m.goal}\" }\n",
    )
    .unwrap();
    std::fs::write(
        lib.join("vars/myLib.groovy"),
        "def deploy(String where) { sh \"deploy $where\" }\n",
    )
    .unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(work.join(".jenkinsfile")).unwrap();
    std::fs::write(
        work.join(".jenkinsfile/config.toml"),
        format!("[libraries]\nshared = {:?}\n", lib.display().to_string()),
    )
    .unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        r#"@Library('shared') _
node {
  buildPlugin(goal: 'verify', jdk: 17)
  def r = myLib.deploy('prod')
  echo "deployed: ${r}"
}
"#,
    )
    .unwrap();
    let home = tmp.path().join("home");
    let text = plan_in(&work, &home, "Jenkinsfile", "text", &[]);
    has(
        &text,
        "buildPlugin#1 goal: verify, jdk: 17 (a shared library's global: not evaluated) → <result of buildPlugin#1>",
    );
    has(&text, "note: buildPlugin of library shared (");
    has(
        &text,
        "myLib.deploy#2 value: prod (a shared library's global: not evaluated) → <result of myLib.deploy#2>",
    );
    has(&text, "message: deployed: <result of myLib.deploy#2>");
    let json = plan_in(&work, &home, "Jenkinsfile", "json", &[]);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(plan["steps"][1]["name"], "myLib.deploy");
    assert_eq!(plan["steps"][1]["args"]["value"], "prod");
    assert_eq!(
        plan["steps"][1]["unknown"],
        "a shared library's global: not evaluated"
    );
}

#[test]
fn a_line_break_in_a_stage_name_stays_on_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        "pipeline {\n  agent any\n  stages {\n    stage('Two\\nLines') {\n      steps {\n        emailext to: 'team@example.invalid', subject: 'done', body: 'b'\n      }\n    }\n  }\n}\n",
    )
    .unwrap();
    let home = tmp.path().join("home");
    let text = plan_in(&work, &home, "Jenkinsfile", "text", &[]);
    has(&text, "└── Two\\nLines\n");
    // `emailext` returns nothing: no run-time value stands for its result.
    has(
        &text,
        "emailext#1 to: team@example.invalid, subject: done, body: b\n",
    );
}

#[test]
fn every_catch_is_planned_and_a_throwing_one_could_fail_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        r#"node {
  try {
    sh 'make'
  } catch (IOException e) {
    echo 'io'
  } catch (e) {
    echo "failed: ${e}"
    throw e
  }
  catchError(buildResult: 'SUCCESS', stageResult: 'FAILURE') {
    sh 'flaky'
  }
}
"#,
    )
    .unwrap();
    let home = tmp.path().join("home");
    let text = plan_in(&work, &home, "Jenkinsfile", "text", &[]);
    has(
        &text,
        "echo#2 message: io (ran: no effect) [if the try body throws IOException]",
    );
    has(&text, "[if the try body fails]");
    has(
        &text,
        "Result: SUCCESS [could be FAILURE (the catch (e) throws, if the try body fails)]",
    );
    has(
        &text,
        "note: if a step in its body fails, the error is caught: the stage's result becomes FAILURE, the build's stays as it is",
    );
}
