//! Where `jenkinsfile run` prints what ended or was caught, compared with the real Jenkins logs
//! of runtime-semantics.md §5.5 and §9. Each expected log is written by hand from the
//! reference (with our node name and workspace) and compared whole.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Runs `script` as a Jenkinsfile in a fresh repository and home; stdout (with the home
/// replaced by `[HOME]`) and the exit status.
pub(crate) fn run_script(script: &str, extra: &[&str]) -> (String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join("Jenkinsfile"), script).unwrap();
    let output = Command::new(BIN)
        .arg("run")
        .arg(repo.join("Jenkinsfile"))
        .args(["--job", "demo", "--branch", "main", "--clean-env", "--home"])
        .arg(&home)
        .args(extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout)
        .unwrap()
        .replace(&home.display().to_string(), "[HOME]");
    (text, output.status.code().unwrap_or(-1))
}

#[test]
fn uncaught_error_is_printed_after_end_of_pipeline() {
    // §9.2's tail: `[Pipeline] End of Pipeline`, `ERROR: …`, `Finished: FAILURE`.
    let (text, code) = run_script("node {\n    error 'deploy failed'\n}\n", &[]);
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] error
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
ERROR: deploy failed
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
}

#[test]
fn timeout_prints_its_cause_without_error_prefix() {
    // §9.4 "Stage-level timeout expiring".
    let (text, code) = run_script(
        "node {\n    timeout(time: 1, unit: 'SECONDS') {\n        sleep 5\n    }\n}\n",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] timeout
Timeout set to expire in 1 sec
[Pipeline] {
[Pipeline] sleep
Sleeping for 5 sec
Cancelling nested steps due to timeout
[Pipeline] }
[Pipeline] // timeout
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Timeout has been exceeded
Finished: ABORTED
"
    );
    assert_eq!(code, 4);
}

#[test]
fn catch_error_prints_message_and_cause_before_its_end() {
    // §5.5's real example: `[Pipeline] }`, `ERROR: <message>`, `ERROR: <cause>`,
    // `[Pipeline] // catchError`.
    let (text, code) = run_script(
        "\
node {
    catchError(buildResult: 'UNSTABLE', stageResult: 'UNSTABLE', message: 'abc failed') {
        sh 'exit 127'
    }
}
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] catchError
[Pipeline] {
[Pipeline] sh
+ exit 127
[Pipeline] }
ERROR: abc failed
ERROR: script returned exit code 127
[Pipeline] // catchError
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: UNSTABLE
"
    );
    assert_eq!(code, 3);
}

#[test]
fn unsupported_steps_say_so_and_unknown_steps_are_jenkins_no_such_dsl_method() {
    let (text, code) = run_script("node {\n    build job: 'deploy'\n}\n", &[]);
    // Our own limit: the plain `unsupported` message, with the place of the call.
    let Some((_, tail)) = text.split_once("[Pipeline] End of Pipeline\nERROR: ") else {
        panic!("{text}")
    };
    assert!(
        tail.ends_with(
            "/repo/Jenkinsfile:2:5: unsupported: `build job: 'deploy'` needs a Jenkins server to trigger another job\n\
Finished: FAILURE\n"
        ),
        "{text}"
    );
    assert_eq!(code, 1);
    let (text, code) = run_script("node {\n    sshagent(['key']) { echo 'x' }\n}\n", &[]);
    assert!(
        text.contains("/repo/Jenkinsfile:2:5: unsupported: step 'sshagent' is not available yet\n"),
        "{text}"
    );
    assert!(!text.contains("RuntimeException"), "{text}");
    assert_eq!(code, 1);
    // §7: `No such DSL method 'foo' found among steps [<list>] or symbols [<list>] or
    // globals [<list>]`, a `NoSuchMethodError`, so printed as a stack trace (§9.1).
    let (text, code) = run_script("node {\n    noSuchStep 'x'\n}\n", &[]);
    let line = text
        .lines()
        .find(|l| l.contains("NoSuchMethodError"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with(
            "java.lang.NoSuchMethodError: No such DSL method 'noSuchStep' found among steps ["
        ),
        "{line}"
    );
    assert!(line.contains(", echo, "), "{line}");
    assert!(line.contains("] or symbols ["), "{line}");
    assert!(line.contains("] or globals ["), "{line}");
    assert!(
        line.contains("currentBuild, ") && line.ends_with(']'),
        "{line}"
    );
    assert!(
        text.contains("]\n\tat WorkflowScript.run(WorkflowScript:2)\nFinished: FAILURE\n"),
        "{text}"
    );
    assert_eq!(code, 1);
}

#[test]
fn tool_reads_the_tools_table_of_the_repository_config() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let home = dir.path().join("home");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join(".jenkinsfile")).unwrap();
    std::fs::create_dir_all(repo.join("ci")).unwrap();
    std::fs::write(
        repo.join(".jenkinsfile/config.toml"),
        "[tools]\nM3 = \"/opt/maven-3\"\n",
    )
    .unwrap();
    // The Jenkinsfile is below the config's directory: the loader walks up to it.
    std::fs::write(
        repo.join("ci/Jenkinsfile"),
        "node {\n    echo \"home=${tool 'M3'}\"\n    tool 'jdk8'\n}\n",
    )
    .unwrap();
    let output = Command::new(BIN)
        .arg("run")
        .arg(repo.join("ci/Jenkinsfile"))
        .args(["--job", "demo", "--branch", "main", "--clean-env", "--home"])
        .arg(&home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("[Pipeline] echo\nhome=/opt/maven-3\n"),
        "{text}"
    );
    let config = repo.join(".jenkinsfile/config.toml");
    let user = dir.path().join("xdg/jenkinsfile/config.toml");
    let expected = format!(
        "ERROR: No tool named jdk8 found (add `jdk8 = \"/path/to/home\"` to the [tools] table of {} or {})\n",
        config.display(),
        user.display()
    );
    assert!(text.contains(&expected), "{text}\nexpected: {expected}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_file_that_does_not_parse_is_a_recorded_failed_build() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::write(dir.path().join("Jenkinsfile"), "node {\n    echo 'x'\n").unwrap();
    let output = Command::new(BIN)
        .arg("run")
        .arg(dir.path().join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(&home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.ends_with("Finished: FAILURE\n"), "{stdout}");
    let build = home.join("jobs/demo/builds/1");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(build.join("build.json")).unwrap()).unwrap();
    assert_eq!(record["result"], "FAILURE");
    assert_eq!(record["number"], 1);
    let log = std::fs::read_to_string(build.join("log")).unwrap();
    assert!(
        log.contains("expected `}` to close the block opened at line 1"),
        "{log}"
    );
    assert!(!log.contains("[Pipeline]"), "nothing ran: {log}");
}

#[test]
fn unstable_results_finish_unstable_with_exit_3() {
    // §5.5: `currentBuild.result = 'UNSTABLE'` prints nothing; `unstable 'msg'` prints
    // `WARNING: msg` and the build goes on.
    let (text, code) = run_script("node {\n    currentBuild.result = 'UNSTABLE'\n}\n", &[]);
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: UNSTABLE
"
    );
    assert_eq!(code, 3);
    let (text, code) = run_script(
        "node {\n    unstable('flaky tests')\n    echo 'after'\n}\n",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] unstable
WARNING: flaky tests
[Pipeline] echo
after
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: UNSTABLE
"
    );
    assert_eq!(code, 3);
}
