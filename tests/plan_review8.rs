//! The eighth review of `plan` (issue 9): each finding is a real `run` compared with a
//! `plan` of the same build. A `changeset` sees the commits since the branch's last build, a
//! `pwd()` after a checkout is the job's workspace, a `password` parameter is a run-time
//! value, each child of `allOf`/`anyOf`/`not` gives its own reason, an `aws` credential in
//! `environment` sets only the AWS names, and a FIFO in the working tree is never opened.
//! Expected lines are written from the issue, not copied.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::plan::stub_path;
use super::support::{git, tree};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// `jenkinsfile <command> <file> --job demo <extra>` in `dir` with `HOME` at `home`: stdout
/// then stderr. `PATH` is the host's (`host_path`) or only stubs. Fails after two minutes
/// rather than hang.
fn jenkinsfile(dir: &Path, home: &Path, command: &[&str], host_path: bool) -> String {
    std::fs::create_dir_all(home).unwrap();
    let path = if host_path {
        std::env::var("PATH").unwrap_or_default()
    } else {
        stub_path(home.parent().unwrap()).display().to_string()
    };
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(command)
        .args(["--job", "demo"])
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("no-config"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("`jenkinsfile {command:?}` did not finish in two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    text
}

/// Plans `file` (extra arguments after it); the work folder and `HOME` stay byte-identical.
pub(super) fn plan(dir: &Path, home: &Path, file: &str, extra: &[&str], host_path: bool) -> String {
    std::fs::create_dir_all(home).unwrap();
    let before = (tree(dir), tree(home));
    let mut command = vec!["plan", file];
    command.extend(extra);
    let text = jenkinsfile(dir, home, &command, host_path);
    assert_eq!(
        (tree(dir), tree(home)),
        before,
        "planning changed the work folder or HOME"
    );
    text
}

/// The plan as JSON (the document only).
pub(super) fn plan_json(dir: &Path, home: &Path, file: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend(extra);
    let text = plan(dir, home, file, &args, true);
    let json = &text[..text.rfind('}').map_or(0, |end| end + 1)];
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {text}"))
}

pub(super) fn run(dir: &Path, home: &Path, file: &str, extra: &[&str]) -> String {
    let mut command = vec!["run", file];
    command.extend(extra);
    jenkinsfile(dir, home, &command, true)
}

/// A committed repository at `tmp/repo` with `files`.
pub(super) fn repository(tmp: &Path, files: &[(&str, &str)]) -> PathBuf {
    let repo = tmp.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    commit(&repo, files, true);
    repo
}

pub(super) fn commit(repo: &Path, files: &[(&str, &str)], init: bool) {
    for (name, text) in files {
        let path = repo.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    if init {
        git(repo, &["init", "-q", "-b", "main"]);
    }
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "change"]);
}

pub(super) fn has(out: &str, line: &str) {
    assert!(out.contains(line), "missing {line:?} in:\n{out}");
}

/// The `when` of the top-level stage `name` in a JSON plan: (holds, detail).
fn when_of(plan: &serde_json::Value, name: &str) -> (serde_json::Value, String) {
    let stage = plan["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {plan:#}"));
    let when = &stage["when"][0];
    (
        when["holds"].clone(),
        when["detail"].as_str().unwrap_or_default().to_string(),
    )
}

/// The word after `marker` on the line that holds it (a planned `echo` goes on with ` in
/// sub/ (ran: …)`).
fn value_after(out: &str, marker: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{out}"));
    let rest = &line[line.find(marker).unwrap() + marker.len()..];
    rest.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_changeset_sees_the_commits_since_the_branchs_last_build() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "Jenkinsfile",
                "pipeline {\n  agent any\n  stages {\n    stage('Src') {\n      when { changeset 'src/**' }\n      steps { echo 'SRC CHANGED' }\n    }\n  }\n}\n",
            ),
            ("src/a.txt", "1\n"),
        ],
    );
    let home = tmp.path().join("home");
    let first = run(&repo, &home, "Jenkinsfile", &[]);
    has(&first, "Finished: SUCCESS");
    commit(&repo, &[("src/a.txt", "2\n")], false);
    let planned = plan_json(&repo, &home, "Jenkinsfile", &[]);
    let second = run(&repo, &home, "Jenkinsfile", &[]);
    has(&second, "SRC CHANGED");
    let (holds, detail) = when_of(&planned, "Src");
    assert_eq!(holds, serde_json::json!(true), "{planned:#}");
    assert_eq!(detail, "a change in the change set matches");
}

#[test]
fn pwd_after_a_checkout_is_the_job_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "Jenkinsfile",
                "node {\n  checkout scm\n  echo \"PWD=${pwd()}\"\n  dir('sub') { echo \"SUB=${pwd()}\" }\n  echo \"TMP=${pwd(tmp: true)}\"\n}\n",
            ),
            (
                "Declarative",
                "pipeline {\n  agent any\n  stages {\n    stage('s') {\n      steps { echo \"DECL=${pwd()}\" }\n    }\n  }\n}\n",
            ),
        ],
    );
    let home = tmp.path().join("home");
    let planned = plan(&repo, &home, "Jenkinsfile", &[], false);
    let ran = run(&repo, &home, "Jenkinsfile", &[]);
    for marker in ["PWD=", "SUB=", "TMP="] {
        assert_eq!(
            value_after(&planned, marker),
            value_after(&ran, marker),
            "{planned}\n{ran}"
        );
    }
    has(&value_after(&planned, "PWD="), "/jobs/demo/workspace");
    let planned = plan(&repo, &home, "Declarative", &[], false);
    let ran = run(&repo, &home, "Declarative", &[]);
    assert_eq!(
        value_after(&planned, "DECL="),
        value_after(&ran, "DECL="),
        "{planned}\n{ran}"
    );
    assert!(!planned.contains(&repo.display().to_string()), "{planned}");
}

#[test]
fn a_password_parameter_is_a_run_time_value() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            "pipeline {\n  agent any\n  parameters { password(name: 'PW', defaultValue: 'pw-value-NEVER') }\n  stages {\n    stage('Truthy') {\n      when { expression { return params.PW } }\n      steps { echo 'TRUTHY RAN' }\n    }\n    stage('Long') {\n      when { expression { params.PW.length() > 5 } }\n      steps { echo 'LONG RAN' }\n    }\n  }\n}\n",
        )],
    );
    let home = tmp.path().join("home");
    let planned = plan_json(&repo, &home, "Jenkinsfile", &[]);
    let ran = run(&repo, &home, "Jenkinsfile", &[]);
    has(&ran, "TRUTHY RAN");
    has(&ran, "LONG RAN");
    for stage in ["Truthy", "Long"] {
        let (holds, detail) = when_of(&planned, stage);
        assert_eq!(holds, serde_json::Value::Null, "{stage}: {planned:#}");
        has(&detail, "depends on <****");
    }
    assert!(!planned.to_string().contains("NEVER"), "{planned:#}");
}

#[test]
fn each_child_of_a_combined_when_gives_its_own_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            "pipeline {\n  agent any\n  stages {\n    stage('A') {\n      when { allOf { branch 'release/*'; branch 'nope' } }\n      steps { echo 'A RAN' }\n    }\n    stage('B') {\n      when { allOf { expression { false }; expression { true } } }\n      steps { echo 'B RAN' }\n    }\n    stage('C') {\n      when { anyOf { expression { true }; branch 'x' } }\n      steps { echo 'C RAN' }\n    }\n    stage('D') {\n      when { not { branch 'release/*' } }\n      steps { echo 'D RAN' }\n    }\n  }\n}\n",
        )],
    );
    let home = tmp.path().join("home");
    let args = ["--branch", "release/1.0"];
    let planned = plan_json(&repo, &home, "Jenkinsfile", &args);
    let ran = run(&repo, &home, "Jenkinsfile", &args);
    for (stage, runs, detail) in [
        (
            "A",
            false,
            "BRANCH_NAME is 'release/1.0', which matches 'release/*'; BRANCH_NAME is 'release/1.0', not 'nope'",
        ),
        (
            "B",
            false,
            "the expression returned false; expression not evaluated (allOf was decided before it)",
        ),
        (
            "C",
            true,
            "the expression returned true; branch not evaluated (anyOf was decided before it)",
        ),
        (
            "D",
            false,
            "BRANCH_NAME is 'release/1.0', which matches 'release/*'",
        ),
    ] {
        let (holds, said) = when_of(&planned, stage);
        assert_eq!(holds, serde_json::json!(runs), "{stage}: {planned:#}");
        assert_eq!(said, detail, "{stage}");
        assert_eq!(
            ran.contains(&format!("{stage} RAN")),
            runs,
            "{stage}: {ran}"
        );
    }
}

#[test]
fn an_aws_credential_in_environment_sets_only_the_aws_names() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            "pipeline {\n  agent any\n  environment { AW = credentials('aws-env') }\n  stages {\n    stage('s') {\n      steps { echo \"AW=${env.AW}\" }\n    }\n  }\n}\n",
        )],
    );
    let creds = tmp.path().join("creds.toml");
    std::fs::write(
        &creds,
        "[aws-env]\ntype = \"aws\"\naccess_key_id = \"AKIAPLANREVIEW80001\"\nsecret_access_key = \"review8-NEVER-SHOWN\"\n",
    )
    .unwrap();
    let home = tmp.path().join("home");
    let args = ["--credentials", creds.to_str().unwrap()];
    let planned = plan(&repo, &home, "Jenkinsfile", &args, false);
    let ran = run(&repo, &home, "Jenkinsfile", &args);
    has(&ran, "AW=null");
    has(&planned, "message: AW=null");
    has(
        &planned,
        "AWS_ACCESS_KEY_ID = **** (credential aws-env, aws)",
    );
    has(
        &planned,
        "AWS_SECRET_ACCESS_KEY = **** (credential aws-env, aws)",
    );
    assert!(!planned.contains("AW = "), "{planned}");
    assert!(!planned.contains("NEVER-SHOWN"), "{planned}");
}

#[test]
fn a_fifo_in_the_working_tree_is_never_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            "node {\n  checkout scm\n  echo \"F=${readFile('fifo')}\"\n  echo 'AFTER'\n}\n",
        )],
    );
    let made = Command::new("mkfifo")
        .arg(repo.join("fifo"))
        .status()
        .unwrap();
    assert!(made.success());
    let home = tmp.path().join("home");
    let planned = jenkinsfile(&repo, &home, &["plan", "Jenkinsfile"], false);
    has(
        &planned,
        "fifo is not a regular file: a plan does not read it",
    );
    has(&planned, "F=<readFile of fifo>");
    has(&planned, "message: AFTER");
}

#[test]
fn a_credential_of_the_wrong_type_fails_the_plan_and_check_flags_a_missing_one() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "WrongType",
                "node {\n  withCredentials([string(credentialsId: 'up', variable: 'T')]) {\n    echo 'INSIDE'\n  }\n}\n",
            ),
            (
                "Missing",
                "node {\n  withCredentials([string(credentialsId: 'nope', variable: 'T')]) {\n    echo 'INSIDE'\n  }\n}\n",
            ),
        ],
    );
    let creds = tmp.path().join("creds.toml");
    std::fs::write(
        &creds,
        "[up]\ntype = \"usernamePassword\"\nusername = \"u\"\npassword = \"review8-NEVER-SHOWN\"\n",
    )
    .unwrap();
    let home = tmp.path().join("home");
    let args = ["--credentials", creds.to_str().unwrap()];
    for (file, message) in [
        (
            "WrongType",
            "Credentials 'up' is of type 'Username with password' where 'Secret text' was expected",
        ),
        ("Missing", "Could not find credentials entry with ID 'nope'"),
    ] {
        let ran = run(&repo, &home, file, &args);
        has(&ran, message);
        has(&ran, "Finished: FAILURE");
        assert!(!ran.contains("INSIDE"), "{ran}");
        let planned = plan(&repo, &home, file, &args, false);
        if file == "WrongType" {
            has(&planned, message);
            has(&planned, "Result: FAILURE");
            assert!(!planned.contains("message: INSIDE"), "{planned}");
        }
        let mut checked = args.to_vec();
        checked.push("--check");
        let checked = plan(&repo, &home, file, &checked, false);
        let id = if file == "Missing" { "nope" } else { "up" };
        has(&checked, &format!("missing     credential {id}: "));
        assert!(
            !checked.contains(&format!("ok          credential {id}")),
            "{checked}"
        );
        assert!(!checked.contains("NEVER-SHOWN"), "{checked}");
    }
}

/// Outside a repository a run works in the job's workspace, which holds none of the
/// folder's files and has no `scm` to check out: the plan fails where the run fails, with
/// its message. `--in-place` plans (and runs) in the folder itself, and `--home` reads the
/// records of the build home `run --home` wrote.
#[test]
fn outside_a_repository_the_plan_has_the_runs_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("folder");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("data.txt"), "from the folder\n").unwrap();
    std::fs::write(
        dir.join("Jenkinsfile"),
        "node {\n  echo \"N=${env.BUILD_NUMBER}\"\n  echo \"DATA=${readFile('data.txt').trim().replace(' ', '_')}\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("Checkout"),
        "node {\n  checkout scm\n  sh 'true'\n}\n",
    )
    .unwrap();
    let home = tmp.path().join("home");
    let missing = "java.nio.file.NoSuchFileException";
    let workspace = "/jobs/demo/workspace/data.txt";
    let planned = plan(&dir, &home, "Jenkinsfile", &[], false);
    has(&planned, missing);
    has(&planned, workspace);
    has(&planned, "Result: FAILURE");
    let ran = run(&dir, &home, "Jenkinsfile", &[]);
    has(&ran, missing);
    has(&ran, workspace);
    has(&ran, "Finished: FAILURE");

    let planned = plan(&dir, &home, "Jenkinsfile", &["--in-place"], false);
    has(&planned, "DATA=from_the_folder");
    has(&planned, "Result: SUCCESS");
    let ran = run(&dir, &home, "Jenkinsfile", &["--in-place"]);
    has(&ran, "DATA=from_the_folder");

    let no_scm = "‘checkout scm’ is only available when using “Multibranch Pipeline” or “Pipeline script from SCM”";
    let planned = plan(&dir, &home, "Checkout", &[], false);
    has(&planned, no_scm);
    has(&planned, "Result: FAILURE");
    assert!(!planned.contains("sh#"), "{planned}");
    let ran = run(&dir, &home, "Checkout", &[]);
    has(&ran, no_scm);
    has(&ran, "Finished: FAILURE");

    // Another home: its first build, then the one after the build `run --home` records.
    let other = tmp.path().join("other-home");
    let other_arg = other.display().to_string();
    let planned = plan(
        &dir,
        &home,
        "Jenkinsfile",
        &["--in-place", "--home", &other_arg],
        false,
    );
    assert_eq!(value_after(&planned, "N="), "1", "{planned}");
    let ran = run(
        &dir,
        &home,
        "Jenkinsfile",
        &["--in-place", "--home", &other_arg],
    );
    assert_eq!(value_after(&ran, "N="), "1", "{ran}");
    let planned = plan(
        &dir,
        &home,
        "Jenkinsfile",
        &["--in-place", "--home", &other_arg],
        false,
    );
    assert_eq!(value_after(&planned, "N="), "2", "{planned}");
}
