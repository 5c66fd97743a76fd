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
    assert!(text.contains("Missing required section \"agent\""), "{text}");
    assert!(!text.contains("ran anyway"), "{text}");
    assert!(!text.contains("[Pipeline]"), "{text}");
    assert!(text.ends_with("Finished: FAILURE\n"), "{text}");
}
