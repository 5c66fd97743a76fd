//! Runtime behaviours of `jenkinsfile run` that Jenkins' logs pin down (runtime-semantics.md
//! §1.5, §5.5, §5.8, §9.1): each expected log is written by hand from the reference, with our
//! node name and workspace, and compared whole.

use crate::run_jenkins_order::run_script;

#[test]
fn fail_fast_parallel_ends_with_the_first_real_failure() {
    // §5.8: the first failure interrupts the other branches, whose `sh` prints the interrupt
    // line; each branch prints `Failed in branch` as it ends; the build ends FAILURE with the
    // original error, not ABORTED.
    let (text, code) = run_script(
        "\
node {
    parallel a: {
        sh 'sleep 5'
    }, b: {
        sleep 1
        error 'b broke'
    }, failFast: true
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
[Pipeline] parallel
[Pipeline] { (Branch: a)
[Pipeline] { (Branch: b)
[Pipeline] sh
[Pipeline] sleep
Sleeping for 1 sec
+ sleep 5
[Pipeline] error
[Pipeline] }
Failed in branch b
Sending interrupt signal to process
[Pipeline] }
Failed in branch a
[Pipeline] // parallel
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
ERROR: b broke
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
}

#[test]
fn parallel_without_fail_fast_rethrows_the_most_severe_error() {
    // §5.8: an ordinary exception beats an AbortException, whatever the branch order.
    let (text, code) = run_script(
        "\
parallel a: {
    error 'first'
}, b: {
    throw new IllegalStateException('worse')
}
",
        &[],
    );
    assert!(text.contains("Failed in branch a\n"), "{text}");
    assert!(text.contains("Failed in branch b\n"), "{text}");
    assert!(
        text.contains("[Pipeline] End of Pipeline\njava.lang.IllegalStateException: worse\n"),
        "{text}"
    );
    assert_eq!(code, 1);
}

#[test]
fn uncaught_exceptions_print_a_stack_trace_and_abort_exceptions_do_not() {
    // §9.1: `ERROR: <message>` for an AbortException, a Java stack trace for anything else,
    // with the frame in `WorkflowScript` at the line that threw.
    let (text, code) = run_script(
        "\
echo 'start'
throw new RuntimeException('boom', new IOException('disk'))
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] echo
start
[Pipeline] End of Pipeline
java.lang.RuntimeException: boom
\tat WorkflowScript.run(WorkflowScript:2)
Caused by: java.io.IOException: disk
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
}

#[test]
fn retry_prints_execution_failed_and_the_stack_trace_of_other_exceptions() {
    // §5.7: `ERROR: Execution failed` + stack trace, then `Retrying`.
    let (text, code) = run_script(
        "\
int n = 0
retry(2) {
    n++
    if (n == 1) { throw new IllegalStateException('flaky') }
}
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] retry
[Pipeline] {
[Pipeline] }
ERROR: Execution failed
java.lang.IllegalStateException: flaky
\tat WorkflowScript.run(WorkflowScript:4)
Retrying
[Pipeline] {
[Pipeline] }
[Pipeline] // retry
[Pipeline] End of Pipeline
Finished: SUCCESS
"
    );
    assert_eq!(code, 0);
}

#[test]
fn sh_outside_node_is_a_missing_context_error() {
    // §1.5: the step's node is printed, then it cannot start; the exception is not an
    // AbortException, so it ends the build as a stack trace.
    let (text, code) = run_script("sh 'echo hi'\n", &[]);
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] sh
[Pipeline] End of Pipeline
org.jenkinsci.plugins.workflow.steps.MissingContextVariableException: Required context class hudson.FilePath is missing
Perhaps you forgot to surround the sh step with a step that provides this, such as: node
\tat WorkflowScript.run(WorkflowScript:1)
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
    let (text, code) = run_script(
        "try { readFile 'x' } catch (e) { echo e.getClass().simpleName }\nnode { echo 'ok' }\n",
        &[],
    );
    assert!(
        text.contains("[Pipeline] readFile\n[Pipeline] echo\nMissingContextVariableException\n"),
        "{text}"
    );
    assert_eq!(code, 0);
}

#[test]
fn unsupported_steps_are_catchable_and_interruptions_have_no_message() {
    let (text, code) = run_script(
        "\
try {
    sshagent(['deploy-key']) { echo 'never' }
} catch (e) {
    echo \"caught: ${e.message}\"
}
node {
    try {
        timeout(time: 1, unit: 'SECONDS') { sleep 3 }
    } catch (org.jenkinsci.plugins.workflow.steps.FlowInterruptedException e) {
        echo \"interrupted: ${e.message} ${e}\"
    }
}
",
        &[],
    );
    assert!(
        text.contains("caught: unsupported: step 'sshagent' is not available yet\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "interrupted: null org.jenkinsci.plugins.workflow.steps.FlowInterruptedException\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("Finished: SUCCESS\n"), "{text}");
    assert_eq!(code, 0);
}

/// `(stage, result)` of every `stage_end` event of a `--format json` run.
fn stage_results(json_lines: &str) -> Vec<(String, String)> {
    json_lines
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["event"] == "stage_end")
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_string(),
                v["result"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn catch_error_warn_error_and_unstable_mark_the_stage() {
    // §5.5: `stageResult` marks the stage (the build keeps `buildResult`), `unstable` and
    // `warnError` mark it UNSTABLE, and a nested stage's mark shows on its parent.
    let (text, code) = run_script(
        "\
node {
    stage('A') { catchError(buildResult: 'SUCCESS', stageResult: 'UNSTABLE') { error 'x' } }
    stage('B') { unstable 'meh' }
    stage('C') { stage('C1') { warnError('w') { error 'y' } } }
    stage('D') { catchError { error 'z' } }
    stage('E') { echo 'fine' }
}
",
        &["--format", "json"],
    );
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
            .collect()
    };
    assert_eq!(
        stage_results(&text),
        pairs(&[
            ("A", "UNSTABLE"),
            ("B", "UNSTABLE"),
            ("C1", "UNSTABLE"),
            ("C", "UNSTABLE"),
            ("D", "SUCCESS"),
            ("E", "SUCCESS"),
        ]),
        "{text}"
    );
    // catchError's default buildResult is FAILURE.
    assert_eq!(code, 1);
}

#[test]
fn catch_error_rejects_an_unknown_result_name() {
    let (text, code) = run_script("catchError(stageResult: 'BOGUS') { echo 'never' }\n", &[]);
    assert!(
        text.contains(
            "java.lang.IllegalArgumentException: stageResult is invalid: BOGUS. Valid options are SUCCESS, UNSTABLE, FAILURE, NOT_BUILT and ABORTED.\n"
        ),
        "{text}"
    );
    assert!(!text.contains("never"), "{text}");
    assert_eq!(code, 1);
}

/// Runs `script` as build N of job `demo` in `home` (the repository is `home/../repo`).
fn run_in(home: &std::path::Path, script: &str) -> (String, i32) {
    let repo = home.parent().unwrap().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join("Jenkinsfile"), script).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("run")
        .arg(repo.join("Jenkinsfile"))
        .args(["--job", "demo", "--branch", "main", "--clean-env", "--home"])
        .arg(home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn current_build_earlier_builds_result_comparisons_and_variables() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (_, code) = run_in(&home, "error 'first fails'\n");
    assert_eq!(code, 1);
    let (_, code) = run_in(&home, "echo 'second passes'\n");
    assert_eq!(code, 0);
    let (text, code) = run_in(
        &home,
        "\
env.DEPLOYED = 'yes'
echo \"succ=${currentBuild.previousSuccessfulBuild?.number} fail=${currentBuild.previousFailedBuild.number}\"
echo \"chain=${currentBuild.previousBuild.previousSuccessfulBuild}\"
echo \"better=${currentBuild.resultIsBetterOrEqualTo('UNSTABLE')} worse=${currentBuild.resultIsWorseOrEqualTo('FAILURE')}\"
echo \"prevWorse=${currentBuild.previousFailedBuild.resultIsWorseOrEqualTo('FAILURE')}\"
echo \"vars=${currentBuild.buildVariables}\"
echo \"url=${currentBuild.absoluteUrl == env.BUILD_URL} ${currentBuild.absoluteUrl.startsWith('file://')}\"
unstable 'meh'
echo \"now better=${currentBuild.resultIsBetterOrEqualTo('SUCCESS')}\"
",
    );
    for line in [
        "succ=2 fail=1\n",
        "chain=null\n",
        "better=true worse=false\n",
        "prevWorse=true\n",
        "vars=[DEPLOYED:yes]\n",
        "url=true true\n",
        "now better=false\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert_eq!(code, 3);
}

#[test]
fn properties_with_parameters_defines_params_with_their_defaults() {
    // Parameter symbols evaluate to describables. On Jenkins the new definition reaches
    // `params` from the next build on; a local run keeps no job definition between builds, so
    // it behaves as that next build, as declarative `parameters {}` does (README).
    let (text, code) = run_script(
        "\
properties([
    parameters([
        string(name: 'TARGET', defaultValue: 'staging', description: 'where'),
        booleanParam(name: 'DRY_RUN', defaultValue: true),
        choice(name: 'REGION', choices: ['eu', 'us']),
    ]),
    buildDiscarder(logRotator(numToKeepStr: '10')),
])
echo \"target=${params.TARGET}\"
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] properties
properties: buildDiscarder is a job property with no meaning for a local run
[Pipeline] echo
target=staging
[Pipeline] End of Pipeline
Finished: SUCCESS
"
    );
    assert_eq!(code, 0);
}

#[test]
fn timeout_with_activity_restarts_on_output_and_expires_when_silent() {
    // §5.7: `Timeout set to expire after <span> without activity`.
    let (text, code) = run_script(
        "\
node {
    timeout(time: 1, unit: 'SECONDS', activity: true) {
        sh 'for i in 1 2 3 4 5; do echo tick; sleep 0.4; done'
    }
    timeout(time: 1, unit: 'SECONDS', activity: true) {
        sh 'echo once; sleep 5'
    }
}
",
        &[],
    );
    assert!(
        text.contains("[Pipeline] timeout\nTimeout set to expire after 1 sec without activity\n"),
        "{text}"
    );
    // The first body runs 2 s, longer than the limit, but never 1 s without output.
    assert_eq!(text.lines().filter(|l| *l == "tick").count(), 5, "{text}");
    assert_eq!(
        text.matches("Cancelling nested steps due to timeout\n")
            .count(),
        1,
        "{text}"
    );
    assert!(
        text.ends_with(
            "[Pipeline] End of Pipeline\nTimeout has been exceeded\nFinished: ABORTED\n"
        ),
        "{text}"
    );
    assert_eq!(code, 4);
}

#[test]
fn retry_with_conditions_does_not_retry_a_local_failure() {
    // `agent()`/`nonresumable()` retry only after a lost agent or a controller restart.
    let (text, code) = run_script(
        "\
int n = 0
retry(count: 3, conditions: [agent(), nonresumable()]) {
    n++
    error \"attempt ${n}\"
}
",
        &[],
    );
    assert!(!text.contains("Retrying"), "{text}");
    assert!(
        text.ends_with("ERROR: attempt 1\nFinished: FAILURE\n"),
        "{text}"
    );
    assert_eq!(code, 1);
}

#[test]
fn wait_until_starts_at_the_initial_recurrence_period_and_can_be_quiet() {
    // §5.11: each retry logs `Will try again after <time>`, the pause growing by 1.2.
    let (text, code) = run_script(
        "\
int n = 0
waitUntil(initialRecurrencePeriod: 100) { n++; n >= 3 }
int m = 0
waitUntil(initialRecurrencePeriod: 100, quiet: true) { m++; m >= 3 }
echo \"n=${n} m=${m}\"
",
        &[],
    );
    assert!(
        text.contains("Will try again after 0.1 sec\nWill try again after 0.12 sec\n"),
        "{text}"
    );
    assert_eq!(text.matches("Will try again").count(), 2, "{text}");
    assert!(text.contains("n=3 m=3\n"), "{text}");
    assert_eq!(code, 0);
}

fn process_alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

#[test]
fn a_second_ctrl_c_still_writes_the_log_and_record_and_kills_setsid_children() {
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().unwrap();
    let pid_file = tmp.path().join("bg.pid");
    let home = tmp.path().join("home");
    let jenkinsfile = tmp.path().join("Jenkinsfile");
    // The script ignores SIGTERM, so the first Ctrl-C leaves it running for the grace period;
    // its `setsid` child has left the script's process group.
    std::fs::write(
        &jenkinsfile,
        format!(
            "node {{\n    sh '''trap \"\" TERM; setsid sleep 300 & echo $! > {}; sleep 300'''\n}}\n",
            pid_file.display()
        ),
    )
    .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("run")
        .arg(&jenkinsfile)
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(&home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::fs::read_to_string(&pid_file).map_or(true, |t| !t.ends_with('\n')) {
        assert!(Instant::now() < deadline, "the script never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let background: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let pid = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap()).unwrap();
    // The runner installs its Ctrl-C handler as the build starts; on a loaded machine the
    // script can get this far first.
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let output = child.wait_with_output().unwrap();
    // Well within the 3 s grace the first Ctrl-C gives the script.
    assert!(started.elapsed() < Duration::from_millis(2500));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{:?} {stdout}",
        output.status
    );
    assert!(
        stdout.ends_with("Aborted by user\nFinished: ABORTED\n"),
        "{stdout}"
    );
    let deadline = Instant::now() + Duration::from_secs(3);
    while process_alive(background) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !process_alive(background),
        "setsid child {background} survived"
    );
    let build = home.join("jobs/demo/builds/1");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(build.join("build.json")).unwrap()).unwrap();
    assert_eq!(record["result"], "ABORTED");
    let log = std::fs::read_to_string(build.join("log")).unwrap();
    assert!(log.ends_with("Finished: ABORTED\n"), "{log}");
}

/// Recursion in a pipeline reaches the interpreter's call limit (200) without overflowing the
/// process's stack, and past it Groovy's `StackOverflowError` is a catchable exception.
#[test]
fn deep_recursion_in_a_pipeline_reaches_the_call_limit() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (text, code) = run_in(
        &home,
        "def count(n) { n == 0 ? 0 : 1 + count(n - 1) }\n\
         def forever(n) { forever(n + 1) }\n\
         node {\n\
           stage('deep') { echo \"depth ${count(190)}\" }\n\
           try { forever(0) } catch (StackOverflowError e) { echo \"caught ${e} ${e.message}\" }\n\
         }\n",
    );
    assert!(text.contains("\ndepth 190\n"), "{text}");
    assert!(
        text.contains("\ncaught java.lang.StackOverflowError null\n"),
        "{text}"
    );
    assert_eq!(code, 0, "{text}");
}
