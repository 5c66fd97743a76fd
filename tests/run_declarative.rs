//! Declarative runs compared whole with the real Jenkins logs of runtime-semantics.md (§9.2,
//! §5.4, §5.5, §5.9, §9.4). Each expected log is written by hand from the reference, with our
//! node name and workspace, and with the differences the reference itself names (an inline
//! script has no `Obtained Jenkinsfile` line and no GIT_* `withEnv`; the git lines of the
//! checkout are illustrative, so the checkout stage's inside is not compared).

use std::fmt::Write as _;

use super::run_jenkins_order::run_script;

/// The log with the inside of the `Declarative: Checkout SCM` stage taken out, and the
/// `withEnv` the checkout's variables add (present once checkout works) unwrapped, for a
/// pipeline that has its own `environment { }`.
fn without_checkout_details(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    let mut git_env = false;
    while i < lines.len() {
        out.push(lines[i]);
        if lines[i] == "[Pipeline] { (Declarative: Checkout SCM)" {
            i += 1;
            while i < lines.len() && lines[i] != "[Pipeline] }" {
                i += 1;
            }
            out.push(lines[i]);
            out.push(lines[i + 1]);
            i += 2;
            // The test pipelines have an `environment { }`, so a checkout that returned
            // variables shows two `withEnv` blocks in a row.
            if lines.get(i..i + 4)
                == Some(
                    &[
                        "[Pipeline] withEnv",
                        "[Pipeline] {",
                        "[Pipeline] withEnv",
                        "[Pipeline] {",
                    ][..],
                )
            {
                git_env = true;
                i += 2;
            }
            continue;
        }
        i += 1;
    }
    if git_env {
        // The checkout's withEnv closes right inside the node.
        if let Some(end) = out.iter().rposition(|l| *l == "[Pipeline] // node") {
            out.drain(end - 3..end - 1);
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[test]
fn section_9_2_declarative_pipeline_failing_in_a_parallel_branch() {
    // §9.2 run from a Jenkinsfile outside any repository (so, as for Jenkins' inline script,
    // no checkout stage), without `REG = credentials(…)`, with
    // `echo` in the Unit branch so that the branches' order is fixed. The branches take turns
    // at each step, as in the real log: both stages open, then Unit's `echo` and Lint's `sh`.
    let (text, code) = run_script(
        r#"pipeline {
    agent any
    environment {
        APP     = 'demo'
        VERSION = "1.0.${BUILD_NUMBER}"
    }
    options { timeout(time: 10, unit: 'MINUTES') }
    stages {
        stage('Build') {
            steps { sh 'echo "building $APP $VERSION"' }
        }
        stage('Test') {
            parallel {
                stage('Unit') { steps { echo 'unit ok' } }
                stage('Lint') {
                    steps { sh 'exit 3' }
                    post { failure { echo 'lint failed' } }
                }
            }
        }
        stage('Deploy') {
            when { branch 'main' }
            steps { sh 'echo deploying' }
        }
    }
    post {
        always  { echo "Result: ${currentBuild.currentResult}" }
        failure { echo 'Notifying team' }
    }
}
"#,
        &[],
    );
    assert_eq!(
        without_checkout_details(&text),
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] withEnv
[Pipeline] {
[Pipeline] timeout
Timeout set to expire in 10 min
[Pipeline] {
[Pipeline] stage
[Pipeline] { (Build)
[Pipeline] sh
+ echo building demo 1.0.1
building demo 1.0.1
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Test)
[Pipeline] parallel
[Pipeline] { (Branch: Unit)
[Pipeline] { (Branch: Lint)
[Pipeline] stage
[Pipeline] { (Unit)
[Pipeline] stage
[Pipeline] { (Lint)
[Pipeline] echo
unit ok
[Pipeline] sh
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
+ exit 3
Post stage
[Pipeline] echo
lint failed
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
Failed in branch Lint
[Pipeline] // parallel
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Deploy)
Stage \"Deploy\" skipped due to earlier failure(s)
[Pipeline] getContext
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Declarative: Post Actions)
[Pipeline] echo
Result: FAILURE
[Pipeline] echo
Notifying team
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // timeout
[Pipeline] }
[Pipeline] // withEnv
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
ERROR: script returned exit code 3
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
}

#[test]
fn section_5_4_skipped_stage_shapes_and_messages() {
    // §5.4: the skip line, `getContext`, and the three reasons.
    let (text, code) = run_script(
        "\
pipeline {
    agent none
    options { skipStagesAfterUnstable() }
    stages {
        stage('Deploy') {
            when { branch 'production' }
            steps { echo 'never' }
        }
        stage('Test') {
            steps { unstable 'flaky' }
        }
        stage('Package') {
            steps { echo 'never' }
        }
    }
}
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] stage
[Pipeline] { (Deploy)
Stage \"Deploy\" skipped due to when conditional
[Pipeline] getContext
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Test)
[Pipeline] unstable
WARNING: flaky
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Package)
Stage \"Package\" skipped due to earlier stage(s) marking the build as unstable
[Pipeline] getContext
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
Finished: UNSTABLE
"
    );
    assert_eq!(code, 3);
    let (text, code) = run_script(
        "\
pipeline {
    agent none
    stages {
        stage('Build') {
            steps { error 'broken' }
        }
        stage('Deploy') {
            steps { echo 'never' }
        }
    }
}
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] stage
[Pipeline] { (Build)
[Pipeline] error
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Deploy)
Stage \"Deploy\" skipped due to earlier failure(s)
[Pipeline] getContext
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
ERROR: broken
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
}

#[test]
fn section_5_5_catch_error_in_a_declarative_stage() {
    // §5.5's real example inside a stage: the build ends UNSTABLE and the next stage runs.
    let (text, code) = run_script(
        "\
pipeline {
    agent any
    stages {
        stage('Check') {
            steps {
                catchError(buildResult: 'UNSTABLE', stageResult: 'UNSTABLE', message: 'abc: command not found') {
                    sh 'exit 127'
                }
            }
        }
        stage('After') {
            steps { echo \"now ${currentBuild.result}\" }
        }
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
[Pipeline] stage
[Pipeline] { (Check)
[Pipeline] catchError
[Pipeline] {
[Pipeline] sh
+ exit 127
[Pipeline] }
ERROR: abc: command not found
ERROR: script returned exit code 127
[Pipeline] // catchError
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (After)
[Pipeline] echo
now UNSTABLE
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: UNSTABLE
"
    );
    assert_eq!(code, 3);
}

#[test]
fn section_5_9_matrix_cells_order_names_and_axis_env() {
    // §5.9: OS = linux, windows, mac and ARC = 32, 64; the first axis changes fastest; each
    // cell is a branch holding a `Matrix - …` stage whose axis values are a `withEnv`.
    let (text, code) = run_script(
        "\
pipeline {
    agent none
    stages {
        stage('os setup') {
            matrix {
                axes {
                    axis {
                        name 'OS'
                        values 'linux', 'windows', 'mac'
                    }
                    axis {
                        name 'ARC'
                        values '32', '64'
                    }
                }
                excludes {
                    exclude {
                        axis {
                            name 'OS'
                            values 'mac'
                        }
                        axis {
                            name 'ARC'
                            notValues '64'
                        }
                    }
                }
                stages {
                    stage('echo') {
                        steps { echo \"${OS} ${ARC}\" }
                    }
                }
            }
        }
    }
}
",
        &[],
    );
    let cells = [
        ("linux", "32"),
        ("windows", "32"),
        ("linux", "64"),
        ("windows", "64"),
        ("mac", "64"),
    ];
    let mut expected = String::from(
        "\
[Pipeline] Start of Pipeline
[Pipeline] stage
[Pipeline] { (os setup)
[Pipeline] parallel
",
    );
    for (os, arc) in cells {
        writeln!(
            expected,
            "[Pipeline] {{ (Branch: Matrix - OS = '{os}', ARC = '{arc}')"
        )
        .unwrap();
    }
    // The cells take turns at each step (a withEnv, a stage, an echo), as parallel
    // branches do on Jenkins' one CPS thread.
    for (os, arc) in cells {
        write!(
            expected,
            "\
[Pipeline] stage
[Pipeline] {{ (Matrix - OS = '{os}', ARC = '{arc}')
[Pipeline] withEnv
[Pipeline] {{
[Pipeline] stage
[Pipeline] {{ (echo)
"
        )
        .unwrap();
    }
    for (os, arc) in cells {
        write!(expected, "[Pipeline] echo\n{os} {arc}\n").unwrap();
    }
    for _ in cells {
        expected += "\
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // withEnv
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
";
    }
    expected += "\
[Pipeline] // parallel
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
Finished: SUCCESS
";
    assert_eq!(text, expected);
    assert_eq!(code, 0);
}

#[test]
fn section_9_4_stage_timeout_and_when_false_after_the_agent() {
    // §9.4 "Stage-level timeout expiring": ABORTED; root post runs `aborted`, not `failure`.
    let (text, code) = run_script(
        "\
pipeline {
    agent none
    stages {
        stage('Build') {
            options { timeout(time: 1, unit: 'SECONDS') }
            steps {
                echo 'Hello World'
                sleep 2
            }
        }
    }
    post {
        aborted { echo 'aborted' }
        failure { echo 'never' }
    }
}
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] stage
[Pipeline] { (Build)
[Pipeline] timeout
Timeout set to expire in 1 sec
[Pipeline] {
[Pipeline] echo
Hello World
[Pipeline] sleep
Sleeping for 2 sec
Cancelling nested steps due to timeout
[Pipeline] }
[Pipeline] // timeout
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Declarative: Post Actions)
[Pipeline] echo
aborted
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
Timeout has been exceeded
Finished: ABORTED
"
    );
    assert_eq!(code, 4);
    // §9.4 "when false without beforeAgent": the node opens and closes before the skip line.
    let (text, _) = run_script(
        "\
pipeline {
    agent none
    options { skipDefaultCheckout() }
    stages {
        stage('Deploy') {
            agent any
            when { branch 'production' }
            steps { echo 'never' }
        }
    }
}
",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] stage
[Pipeline] { (Deploy)
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] }
[Pipeline] // node
Stage \"Deploy\" skipped due to when conditional
[Pipeline] getContext
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
Finished: SUCCESS
"
    );
}
