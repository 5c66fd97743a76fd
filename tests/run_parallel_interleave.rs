//! Parallel branches interleave at step boundaries, as Jenkins' CPS thread group runs them on
//! one thread (issue 4, runtime-semantics.md §5.8 and §9.2): every step, even one that ends at
//! once like `echo`, lets the next branch take its turn. Expected logs are written by hand
//! from §9.2's shape.

use crate::run_jenkins_order::run_script;

#[test]
fn echo_only_scripted_branches_take_turns() {
    let (text, code) = run_script(
        "parallel(a: { echo 'a1'; echo 'a2' }, b: { echo 'b1'; echo 'b2' })\n",
        &[],
    );
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] parallel
[Pipeline] { (Branch: a)
[Pipeline] { (Branch: b)
[Pipeline] echo
a1
[Pipeline] echo
b1
[Pipeline] echo
a2
[Pipeline] echo
b2
[Pipeline] }
[Pipeline] }
[Pipeline] // parallel
[Pipeline] End of Pipeline
Finished: SUCCESS
"
    );
    assert_eq!(code, 0);
}

/// §9.2's `Test` stage with `echo` in place of `sh`: the branch and stage openings come in
/// the same order as in the real log, and the branches' steps alternate.
const DECLARATIVE_ECHO: &str = "\
pipeline {
    agent any
    stages {
        stage('Test') {
            parallel {
                stage('Unit') { steps { echo 'unit ok' } }
                stage('Lint') {
                    steps { echo 'linting'; error 'lint broke' }
                    post { failure { echo 'lint failed' } }
                }
            }
        }
    }
}
";

#[test]
fn echo_only_declarative_branches_follow_jenkins_shape() {
    let (text, code) = run_script(DECLARATIVE_ECHO, &[]);
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
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
[Pipeline] echo
linting
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] error
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
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
ERROR: lint broke
Finished: FAILURE
"
    );
    assert_eq!(code, 1);
}

#[test]
fn sh_branches_open_as_in_the_real_log() {
    // §9.2 verbatim for the `Test` stage. The processes' own lines depend on timing, so the
    // head (up to both `[Pipeline] sh`) and the tail are compared exactly, the middle as lines.
    let script = "\
pipeline {
    agent any
    stages {
        stage('Test') {
            parallel {
                stage('Unit') { steps { sh 'echo unit ok' } }
                stage('Lint') {
                    steps { sh 'exit 3' }
                    post { failure { echo 'lint failed' } }
                }
            }
        }
    }
}
";
    let (text, code) = run_script(script, &[]);
    let head = "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [HOME]/jobs/demo/workspace
[Pipeline] {
[Pipeline] stage
[Pipeline] { (Test)
[Pipeline] parallel
[Pipeline] { (Branch: Unit)
[Pipeline] { (Branch: Lint)
[Pipeline] stage
[Pipeline] { (Unit)
[Pipeline] stage
[Pipeline] { (Lint)
[Pipeline] sh
[Pipeline] sh
";
    let tail = "\
Failed in branch Lint
[Pipeline] // parallel
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
ERROR: script returned exit code 3
Finished: FAILURE
";
    assert!(text.starts_with(head), "{text}");
    assert!(text.ends_with(tail), "{text}");
    let mut middle: Vec<&str> = text[head.len()..text.len() - tail.len()].lines().collect();
    middle.sort_unstable();
    let mut expected = vec![
        "+ echo unit ok",
        "unit ok",
        "+ exit 3",
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] }",
        "Post stage",
        "[Pipeline] echo",
        "lint failed",
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] }",
    ];
    expected.sort_unstable();
    assert_eq!(middle, expected, "{text}");
    assert_eq!(code, 1);
}
