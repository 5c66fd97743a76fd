//! The inputs of a run, through the binary: typed parameters (`-p`, `--params-file`), the
//! sources `when` looks at (`--branch`, `--tag`, `--change-request`, git), the `input` step
//! (`--input approve|abort`, no terminal), and the usage errors of the partial-run flags.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::git;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("run")
        .arg("--home")
        .arg(dir.join("home"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir)
        .env("USER", "ann")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The lines the pipeline printed with `echo`, without the `[Pipeline]` lines.
fn echoed(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .filter(|l| l.starts_with("> "))
        .map(|l| l[2..].to_owned())
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn record(dir: &Path, job: &str, number: u32) -> serde_json::Value {
    let path = dir.join(format!("home/jobs/{job}/builds/{number}/build.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const ECHO_PARAMS: &str = r#"node {
    echo "> TARGET=${params.TARGET} env=${env.TARGET}"
    echo "> FLAG=${params.FLAG} boolean=${params.FLAG instanceof Boolean}"
}
"#;

#[test]
fn scripted_parameters_from_flags_and_a_yaml_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", ECHO_PARAMS);
    write(tmp.path(), "params.yaml", "TARGET: staging\nFLAG: true\n");
    let output = run(
        tmp.path(),
        &["--params-file", "params.yaml", "-p", "TARGET=prod"],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        echoed(&output),
        ["TARGET=prod env=prod", "FLAG=true boolean=true"]
    );
    let output = run(tmp.path(), &["--param", "TARGET=qa"]);
    assert_eq!(echoed(&output)[0], "TARGET=qa env=qa");
}

#[test]
fn a_params_file_that_is_no_mapping_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", ECHO_PARAMS);
    write(tmp.path(), "p.json", "[1, 2]");
    let output = run(tmp.path(), &["--params-file", "p.json"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr(&output).contains("expected a mapping of parameter names to values, got a list"),
        "{output:?}"
    );
    assert!(
        !tmp.path()
            .join("home/jobs")
            .join(job_of(tmp.path()))
            .join("builds/1")
            .exists()
    );
}

fn job_of(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

const DECLARATIVE: &str = r"pipeline {
    agent any
    parameters {
        string(name: 'TARGET', defaultValue: 'staging')
        booleanParam(name: 'DRY_RUN', defaultValue: true)
        choice(name: 'REGION', choices: ['eu', 'us'])
        password(name: 'PIN', defaultValue: '1234')
    }
    stages {
        stage('Build') { steps { echo 'b' } }
        stage('Deploy') {
            stages {
                stage('Canary') { steps { echo 'c' } }
                stage('Full') { steps { echo 'f' } }
            }
        }
    }
}
";

#[test]
fn declarative_parameters_are_checked_against_their_types() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", DECLARATIVE);
    let output = run(tmp.path(), &["-p", "REGION=asia"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr(&output)
            .contains("Illegal choice for parameter REGION: asia (the choices are: eu, us)"),
        "{output:?}"
    );
    let output = run(tmp.path(), &["-p", "DRY_RUN=maybe"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr(&output).contains(
            "parameter `DRY_RUN` is a booleanParam: expected `true` or `false`, got `maybe`"
        ),
        "{output:?}"
    );
    // Nothing was built for a usage error.
    assert!(!tmp.path().join("home/jobs").exists());
}

#[test]
fn declarative_parameters_reach_the_record_with_defaults_and_no_password() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", DECLARATIVE);
    let output = run(tmp.path(), &["-p", "REGION=us", "-p", "NOPE=1"]);
    assert!(
        stdout(&output).contains(&format!(
            "Warning: Skipped parameter `NOPE` as it is undefined on `{}`.",
            job_of(tmp.path())
        )),
        "{output:?}"
    );
    let record = record(tmp.path(), &job_of(tmp.path()), 1);
    assert_eq!(
        record["parameters"],
        serde_json::json!({
            "TARGET": "staging",
            "DRY_RUN": "true",
            "REGION": "us",
            "PIN": "********",
        })
    );
}

#[test]
fn stage_names_are_checked_before_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", DECLARATIVE);
    let output = run(tmp.path(), &["--stage", "Canry"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr(&output).contains("--stage: there is no stage \"Canry\"; did you mean \"Canary\"?"),
        "{output:?}"
    );
    let output = run(tmp.path(), &["--skip-stage", "Deploy/Nope"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    write(tmp.path(), "Jenkinsfile", ECHO_PARAMS);
    let output = run(tmp.path(), &["--from-stage", "Build"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr(&output).contains("unsupported: --stage, --skip-stage and --from-stage select the stages of a declarative pipeline"),
        "{output:?}"
    );
}

const ECHO_SOURCES: &str = r#"node {
    for (name in ['BRANCH_NAME', 'TAG_NAME', 'TAG_UNIXTIME', 'CHANGE_ID', 'CHANGE_TARGET', 'CHANGE_BRANCH', 'CHANGE_AUTHOR']) {
        echo "> ${name}=${env.getProperty(name)}"
    }
}
"#;

fn repo_with_tag(dir: &Path) {
    write(dir, "Jenkinsfile", ECHO_SOURCES);
    git(dir, &["init", "-q", "-b", "feature/x"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "init"]);
    git(dir, &["tag", "v1.0"]);
}

#[test]
fn branch_from_git_and_a_tagged_head_is_no_tag_build() {
    let tmp = tempfile::tempdir().unwrap();
    repo_with_tag(tmp.path());
    let output = run(tmp.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        echoed(&output),
        [
            "BRANCH_NAME=feature/x",
            "TAG_NAME=null",
            "TAG_UNIXTIME=null",
            "CHANGE_ID=null",
            "CHANGE_TARGET=null",
            "CHANGE_BRANCH=null",
            "CHANGE_AUTHOR=null"
        ]
    );
    let output = run(tmp.path(), &["--branch", "main"]);
    assert_eq!(echoed(&output)[0], "BRANCH_NAME=main");
}

#[test]
fn tag_and_change_request_builds_from_flags() {
    let tmp = tempfile::tempdir().unwrap();
    repo_with_tag(tmp.path());
    let output = run(tmp.path(), &["--tag", "v1.0"]);
    let lines = echoed(&output);
    assert_eq!(lines[0], "BRANCH_NAME=v1.0");
    assert_eq!(lines[1], "TAG_NAME=v1.0");
    assert!(lines[2].len() > "TAG_UNIXTIME=".len() + 8, "{lines:?}");
    let output = run(
        tmp.path(),
        &[
            "--change-request",
            "42",
            "--change-target",
            "main",
            "--change-author",
            "ann",
        ],
    );
    assert_eq!(
        echoed(&output),
        [
            "BRANCH_NAME=PR-42",
            "TAG_NAME=null",
            "TAG_UNIXTIME=null",
            "CHANGE_ID=42",
            "CHANGE_TARGET=main",
            "CHANGE_BRANCH=feature/x",
            "CHANGE_AUTHOR=ann"
        ]
    );
    let output = run(tmp.path(), &["--change-target", "main"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("--change-target needs --change-request N"));
}

#[test]
fn detached_head_leaves_branch_name_unset_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    repo_with_tag(tmp.path());
    git(tmp.path(), &["checkout", "-q", "--detach"]);
    let output = run(tmp.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        stdout(&output).contains(
            "Note: HEAD is detached, so BRANCH_NAME is not set (give it with --branch NAME)"
        ),
        "{output:?}"
    );
    assert_eq!(echoed(&output)[0], "BRANCH_NAME=null");
    let output = run(tmp.path(), &["--since", "nope"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("--since nope: no such commit"));
}

const INPUT: &str = r#"node {
    def none = input 'Deploy?'
    echo "> none=${none}"
    def one = input message: 'Which?', parameters: [choice(name: 'ENV', choices: ['dev', 'prod'])]
    echo "> one=${one}"
    def many = input message: 'Details?', submitterParameter: 'WHO', parameters: [
        string(name: 'TAG', defaultValue: 'latest'),
        booleanParam(name: 'FORCE', defaultValue: false)
    ]
    echo "> many=${many} force=${many.FORCE instanceof Boolean}"
}
"#;

#[test]
fn input_approved_from_the_command_line_returns_jenkins_values() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", INPUT);
    let output = run(
        tmp.path(),
        &[
            "--input",
            "approve",
            "--input-param",
            "ENV=prod",
            "--input-param",
            "FORCE=true",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        echoed(&output),
        [
            "none=null",
            "one=prod",
            "many=[TAG:latest, FORCE:true, WHO:ann] force=true"
        ]
    );
    let text = stdout(&output);
    assert!(
        text.contains("[Pipeline] input\nDeploy?\nProceed or Abort\nApproved by ann\n"),
        "{text}"
    );
    assert!(
        text.contains("[Pipeline] input\nInput requested\nApproved by ann\n"),
        "{text}"
    );
}

#[test]
fn input_rejected_aborts_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", INPUT);
    let output = run(tmp.path(), &["--input", "abort"]);
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.contains("[Pipeline] input\nDeploy?\nProceed or Abort\nRejected by ann\n"),
        "{text}"
    );
    assert!(
        text.ends_with("[Pipeline] End of Pipeline\nRejected by ann\nFinished: ABORTED\n"),
        "{text}"
    );
    assert!(!text.contains("> none"), "{text}");
}

#[test]
fn input_without_a_terminal_or_flag_fails_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", INPUT);
    let started = std::time::Instant::now();
    let output = run(tmp.path(), &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.contains("ERROR: input \"Deploy?\" needs an answer, and there is no terminal to ask on: run with --input approve"),
        "{text}"
    );
    assert!(text.ends_with("Finished: FAILURE\n"), "{text}");
    // --input-param alone is a usage error: it only means something when approving.
    let output = run(tmp.path(), &["--input-param", "ENV=prod"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

const DECLARATIVE_INPUT: &str = r"pipeline {
    agent any
    options { skipDefaultCheckout() }
    stages {
        stage('Deploy') {
            input {
                message 'Ship it?'
                ok 'Ship'
                submitterParameter 'APPROVER'
                parameters { string(name: 'TARGET', defaultValue: 'prod') }
            }
            steps { echo '> target=' + env.TARGET + ' by ' + env.APPROVER }
        }
    }
}
";

#[test]
fn the_input_directive_binds_its_answers_as_environment() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", DECLARATIVE_INPUT);
    let output = run(
        tmp.path(),
        &["--input", "approve", "--input-param", "TARGET=canary"],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(echoed(&output), ["target=canary by ann"]);
    assert!(
        stdout(&output).contains("[Pipeline] input\nInput requested\nApproved by ann\n"),
        "{output:?}"
    );
    let output = run(tmp.path(), &["--input", "abort"]);
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert!(echoed(&output).is_empty());
    assert!(
        stdout(&output).ends_with("Rejected by ann\nFinished: ABORTED\n"),
        "{output:?}"
    );
}

const SCRIPTED_PROPERTIES: &str = r#"properties([
    buildDiscarder(logRotator(numToKeepStr: '10')),
    parameters([
        string(name: 'TARGET', defaultValue: 'staging'),
        booleanParam(name: 'DRY_RUN', defaultValue: true),
        choice(name: 'REGION', choices: ['eu', 'us'])
    ])
])
node {
    echo "> ${params.TARGET} ${params.DRY_RUN} ${params.DRY_RUN instanceof Boolean} ${params.REGION}"
}
"#;

#[test]
fn scripted_properties_parameters_type_the_given_values() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", SCRIPTED_PROPERTIES);
    let output = run(tmp.path(), &["-p", "DRY_RUN=false"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(echoed(&output), ["staging false true eu"]);
    assert!(
        stdout(&output).contains(
            "[Pipeline] properties\nproperties: buildDiscarder is a job property with no meaning for a local run\n"
        ),
        "{output:?}"
    );
    // A first build checks a given value where `properties` defines the parameter.
    let fresh = tempfile::tempdir().unwrap();
    write(fresh.path(), "Jenkinsfile", SCRIPTED_PROPERTIES);
    let output = run(fresh.path(), &["-p", "REGION=asia"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        stdout(&output).contains(
            "ERROR: Illegal choice for parameter REGION: asia (the choices are: eu, us)\nFinished: FAILURE"
        ),
        "{output:?}"
    );
}

#[test]
fn scripted_parameter_definitions_stay_with_the_job_for_the_next_build() {
    // Jenkins writes `properties` into the job's configuration: the next build has the
    // parameters from its start, even before (or without) calling `properties` again.
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Jenkinsfile", SCRIPTED_PROPERTIES);
    let output = run(tmp.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    write(
        tmp.path(),
        "Jenkinsfile",
        "node {\n    echo \"> ${params.TARGET} ${params.DRY_RUN} ${params.DRY_RUN instanceof Boolean} ${params.REGION}\"\n}\n",
    );
    let output = run(tmp.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(echoed(&output), ["staging true true eu"]);
    // A value given on the command line is now checked before the build, as Jenkins checks
    // it when the build is triggered: no build number is taken.
    let output = run(tmp.path(), &["-p", "REGION=asia"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr(&output).contains("Illegal choice for parameter REGION: asia"),
        "{output:?}"
    );
}
