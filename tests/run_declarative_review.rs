//! Declarative runtime defects found by review, each pinned by a run of the binary: a
//! pipeline that fails validation does not run (§5.1), …

use super::run_jenkins_order::run_script;

#[test]
fn a_pipeline_that_fails_validation_does_not_run() {
    // §5.1: "parse + validate … nothing runs"; the build is a FAILURE whose log holds the
    // validator's error, like a compilation error.
    let (text, code) = run_script(
        "pipeline {\n    stages {\n        stage('A') {\n            steps {\n                echo 'ran anyway'\n            }\n        }\n    }\n}\n",
        &[],
    );
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("Missing required section \"agent\""),
        "{text}"
    );
    assert!(!text.contains("ran anyway"), "{text}");
    assert!(!text.contains("[Pipeline]"), "{text}");
    assert!(text.ends_with("Finished: FAILURE\n"), "{text}");
}

#[test]
fn post_blocks_run_after_ctrl_c_mid_stage() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    // §5.1/§5.6: an abort is an error like the others; the post blocks still run (with the
    // `aborted` condition), and their steps are not cancelled by the abort that is over.
    let tmp = tempfile::tempdir().unwrap();
    let marker = tmp.path().join("started");
    let jenkinsfile = tmp.path().join("Jenkinsfile");
    std::fs::write(
        &jenkinsfile,
        format!(
            "pipeline {{\n    agent any\n    options {{ skipDefaultCheckout() }}\n    stages {{\n        stage('Long') {{\n            steps {{\n                sh 'touch {}; sleep 300'\n            }}\n        }}\n    }}\n    post {{\n        aborted {{\n            sh 'echo post-sh-ran'\n        }}\n    }}\n}}\n",
            marker.display()
        ),
    )
    .unwrap();
    let home = tmp.path().join("home");
    let child = Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("run")
        .arg(&jenkinsfile)
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(&home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !marker.exists() {
        assert!(Instant::now() < deadline, "the stage never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(130), "{text}");
    assert!(
        text.contains("[Pipeline] { (Declarative: Post Actions)"),
        "{text}"
    );
    assert!(text.contains("\npost-sh-ran\n"), "{text}");
    assert!(text.ends_with("Finished: ABORTED\n"), "{text}");
}

#[test]
fn a_step_needing_a_node_under_agent_none_fails_with_the_declarative_message() {
    // §5.1: ModelInterpreter.NoNodeContext, curly quotes and all.
    let (text, code) = run_script(
        "pipeline {\n    agent none\n    stages {\n        stage('A') {\n            steps {\n                sh 'echo should-not-run'\n            }\n        }\n    }\n}\n",
        &[],
    );
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("\nshould-not-run\n"), "{text}");
    assert!(
        text.ends_with(
            "ERROR: Attempted to execute a step that requires a node context while \u{2018}agent none\u{2019} was specified. Be sure to specify your own \u{2018}node { ... }\u{2019} blocks when using \u{2018}agent none\u{2019}.\nFinished: FAILURE\n"
        ),
        "{text}"
    );
}

#[test]
fn agent_none_prints_the_failed_step_then_the_declarative_error_step() {
    // ModelInterpreter.catchRequiredContextForNode wraps the stage's steps: the step fails to
    // start (MissingContextVariableException), the blocks around it close, then the plugin
    // calls `error` with NoNodeContext, still inside the stage.
    let (text, code) = run_script(
        "pipeline {\n    agent none\n    stages {\n        stage('A') {\n            steps {\n                withEnv(['X=1']) {\n                    sh 'echo should-not-run'\n                }\n            }\n        }\n    }\n}\n",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] stage
[Pipeline] { (A)
[Pipeline] withEnv
[Pipeline] {
[Pipeline] sh
[Pipeline] }
[Pipeline] // withEnv
[Pipeline] error
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
ERROR: Attempted to execute a step that requires a node context while \u{2018}agent none\u{2019} was specified. Be sure to specify your own \u{2018}node { ... }\u{2019} blocks when using \u{2018}agent none\u{2019}.
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
}

/// Runs `repo/Jenkinsfile` in the build home `home` with `extra` flags: (stdout, exit code).
fn run_in(dir: &std::path::Path, extra: &[&str]) -> (String, i32) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("run")
        .arg(dir.join("Jenkinsfile"))
        .args(["--job", "demo", "--branch", "main", "--clean-env", "--home"])
        .arg(dir.join("home"))
        .args(extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir.join("home"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn a_partial_run_is_recorded_as_partial_and_not_compared_with() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Jenkinsfile"),
        "pipeline {\n    agent any\n    options { skipDefaultCheckout() }\n    stages {\n        stage('Build') {\n            steps {\n                echo 'building'\n            }\n        }\n        stage('Deploy') {\n            steps {\n                error 'deploy failed'\n            }\n        }\n    }\n    post {\n        changed {\n            echo 'RESULT CHANGED'\n        }\n    }\n}\n",
    )
    .unwrap();
    let (first, code) = run_in(dir.path(), &[]);
    assert_eq!(code, 1, "{first}");
    let (second, code) = run_in(dir.path(), &["--stage", "Build"]);
    assert_eq!(code, 0, "{second}");
    let record = |n: u32| -> serde_json::Value {
        let path = dir
            .path()
            .join(format!("home/jobs/demo/builds/{n}/build.json"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    assert_eq!(record(2)["partial"], true);
    assert_eq!(record(1).get("partial"), None);
    // Build 3 fails like build 1, the last whole build: nothing changed.
    let (third, code) = run_in(dir.path(), &[]);
    assert_eq!(code, 1, "{third}");
    assert!(!third.contains("RESULT CHANGED"), "{third}");
}

#[test]
fn contradictory_stage_selections_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Jenkinsfile"),
        "pipeline {\n    agent any\n    stages {\n        stage('Build') {\n            steps {\n                echo 'building'\n            }\n        }\n        stage('Deploy') {\n            steps {\n                echo 'deploying'\n            }\n        }\n    }\n}\n",
    )
    .unwrap();
    for flags in [
        &["--from-stage", "Deploy", "--stage", "Build"][..],
        &["--skip-stage", "Build", "--stage", "Build"][..],
    ] {
        let (text, code) = run_in(dir.path(), flags);
        assert_eq!(code, 2, "{flags:?}: {text}");
        assert!(text.is_empty(), "{flags:?}: {text}");
    }
    assert!(!dir.path().join("home/jobs/demo/builds/1").exists());
}

#[test]
fn catch_error_with_an_unknown_build_result_fails_in_a_declarative_stage() {
    // CatchErrorStep's setter: an IllegalArgumentException the stage cannot swallow.
    let (text, code) = run_script(
        "pipeline {\n    agent any\n    options { skipDefaultCheckout() }\n    stages {\n        stage('A') {\n            steps {\n                catchError(buildResult: 'WRONG') {\n                    echo 'inside'\n                }\n            }\n        }\n    }\n}\n",
        &[],
    );
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("\ninside\n"), "{text}");
    assert!(
        text.contains("java.lang.IllegalArgumentException: buildResult is invalid: WRONG. Valid options are SUCCESS, UNSTABLE, FAILURE, NOT_BUILT and ABORTED.\n"),
        "{text}"
    );
    assert!(text.ends_with("Finished: FAILURE\n"), "{text}");
}

#[test]
fn an_input_param_no_input_asked_for_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Jenkinsfile"),
        "pipeline {\n    agent any\n    options { skipDefaultCheckout() }\n    stages {\n        stage('Deploy') {\n            input {\n                message 'Where?'\n                parameters {\n                    choice(name: 'TARGET', choices: ['staging', 'production'])\n                }\n            }\n            steps {\n                echo \"deploying to ${TARGET}\"\n            }\n        }\n    }\n}\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("run")
        .arg(dir.path().join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(dir.path().join("home"))
        .args(["--input", "approve", "--input-param", "TRAGET=production"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir.path().join("home"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.contains("\ndeploying to staging\n"), "{stdout}");
    assert!(
        stderr.contains(
            "warning: --input-param TRAGET: no input step asked for a parameter of that name"
        ),
        "{stderr}"
    );
}

#[test]
fn block_steps_in_options_wrap_the_body() {
    // A block-scoped step given as an option runs as that step around the body: `withEnv`
    // at pipeline level around every stage, `lock` and `withEnv` at stage level around the
    // stage's steps only, nested in declaration order.
    let (text, code) = run_script(
        "pipeline {\n    agent any\n    options {\n        skipDefaultCheckout()\n        withEnv(['OUTER=o1'])\n    }\n    stages {\n        stage('A') {\n            options {\n                lock('res-a')\n                withEnv(['INNER=i1'])\n            }\n            steps {\n                echo \"A sees ${env.OUTER} ${env.INNER}\"\n            }\n        }\n        stage('B') {\n            steps {\n                echo \"B sees ${env.OUTER} ${env.INNER}\"\n            }\n        }\n    }\n}\n",
        &[],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("A sees o1 i1\n"), "{text}");
    assert!(text.contains("B sees o1 null\n"), "{text}");
    let lock = text
        .find("Lock acquired on [Resource: res-a]")
        .expect(&text);
    let with_env = text.find("[Pipeline] withEnv\n[Pipeline] {\n[Pipeline] echo\nA sees");
    assert!(with_env.is_some_and(|w| w > lock), "{text}");
    assert!(text.ends_with("Finished: SUCCESS\n"), "{text}");
}
