//! The third review of `plan` (issue 9): a stage's `input` parameters are run-time values,
//! `unstable` is a planned step, `error`/`unstable` on a side that may not run and a failing
//! `warnError`/`catchError` body add the results the build could end with, and a `catch`
//! body is planned when its `try` body could fail. Expected plans written by hand.

use std::path::Path;

use super::plan::{plan, stub_path};

/// The text plan of `fixtures/plan/<case>`, planned in a temporary copy.
fn text_plan(case: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let source = root.join("fixtures/plan").join(case).join("Jenkinsfile");
    std::fs::copy(source, work.join("Jenkinsfile")).unwrap();
    let bin = stub_path(tmp.path());
    plan(&work, "Jenkinsfile", "text", &[], &bin)
}

#[test]
fn a_stage_input_parameter_is_a_run_time_value() {
    let want = "\
Plan for Jenkinsfile (declarative)
Agent: any
Stages:
└── ask
    input#1 message: Which?, parameters: [{\"$symbol\":\"choice\",\"name\":\"WHERE\",\"choices\":[\"a\",\"b\"]}] → <result of input#1>
    echo#2 message: W=<input WHERE> E=<input WHERE> (ran: no effect)
    sh#3 [if <input WHERE == a> is true]
        $ to-a
    sh#4 [if <input WHERE == a> is false]
        $ to-b
    sh#5 [if <input WHERE == a> is true]
        $ env-a
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text_plan("input-runtime"), want);
}

#[test]
fn conditional_error_and_unstable_add_possible_results() {
    let want = "\
Plan for Jenkinsfile (scripted)
Stages:
└── T
    sh#1 returnStdout: true → <stdout of sh#1>
        $ cat status
    error#2 message: status bad (ran: no effect) [if <stdout of sh#1.trim() == bad> is true]
    unstable#3 message: meh (ran: no effect) [if <stdout of sh#1.trim() == meh> is true]
    warnError#4 message: w { … } (ran: no effect)
      sh#5
          $ y
Result: SUCCESS [could be FAILURE (error 'status bad' if <stdout of sh#1.trim() == bad> is true), or UNSTABLE (unstable 'meh' if <stdout of sh#1.trim() == meh> is true), or UNSTABLE (warnError#4: if a step in its body fails)]
--- exit 0 ---
";
    assert_eq!(text_plan("result-steps"), want);
}

#[test]
fn unstable_is_a_step_and_a_catch_error_body_could_fail() {
    let want = "\
Plan for Jenkinsfile (declarative)
Agent: any
Stages:
├── a
│   sh#1
│       $ x
│   unstable#2 message: flaky (ran: no effect)
│   catchError#3 buildResult: FAILURE, stageResult: FAILURE { … } (ran: no effect)
│     sh#4
│         $ y
└── Declarative: Post Actions
    post unstable:
    echo#5 message: U (ran: no effect) [post unstable runs unless the result becomes FAILURE (catchError#3: if a step in its body fails)]
Post: success (does not run), unstable (could run: unless the result becomes FAILURE (catchError#3: if a step in its body fails))
Result: UNSTABLE [could be FAILURE (catchError#3: if a step in its body fails)]
--- exit 1 ---
";
    assert_eq!(text_plan("result-caught"), want);
}

#[test]
fn a_catch_body_is_planned_when_the_try_body_could_fail() {
    let want = "\
Plan for Jenkinsfile (scripted)
Stages:
└── T
    sh#1
        $ might fail
    echo#2 message: caught <exception of the try body> (ran: no effect) [if the try body fails]
    sh#3 [if the try body fails]
        $ cleanup
    echo#4 message: fin (ran: no effect)
Result: SUCCESS [could be FAILURE (currentBuild.result = 'FAILURE' if the try body fails)]
--- exit 0 ---
";
    assert_eq!(text_plan("try-catch"), want);
}
