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
            "pipeline {{\n    agent any\n    stages {{\n        stage('Long') {{\n            steps {{\n                sh 'touch {}; sleep 300'\n            }}\n        }}\n    }}\n    post {{\n        aborted {{\n            sh 'echo post-sh-ran'\n        }}\n    }}\n}}\n",
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
    assert!(text.contains("[Pipeline] { (Declarative: Post Actions)"), "{text}");
    assert!(text.contains("\npost-sh-ran\n"), "{text}");
    assert!(text.ends_with("Finished: ABORTED\n"), "{text}");
}
