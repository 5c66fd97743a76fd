//! `jenkinsfile steps [NAME]` as a user runs it.

use std::process::{Command, Output};

fn steps(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("steps")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn one_step_prints_its_documentation() {
    let out = steps(&["sh"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    insta::assert_snapshot!("steps_sh", stdout(&out));
}

#[test]
fn the_listing_groups_steps_by_plugin() {
    let out = steps(&[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let group = text
        .split("\n\n")
        .find(|g| g.starts_with("workflow-durable-task-step\n"))
        .expect("a workflow-durable-task-step group");
    for step in ["sh", "bat", "powershell", "pwsh", "node", "ws"] {
        assert!(
            group.contains(&format!("\n  {step} ")),
            "{step} in\n{group}"
        );
    }
    assert!(text.contains("Argument symbols"), "{text}");
    assert!(text.contains("usernamePassword"), "{text}");
    assert!(text.contains("\n  currentBuild "), "{text}");
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "lines fit 80 columns"
    );
}

#[test]
fn symbols_and_globals_have_documentation_too() {
    let out = steps(&["string"]);
    let text = stdout(&out);
    assert!(
        text.contains("string(String credentialsId, String variable)"),
        "{text}"
    );
    assert!(
        text.contains("string(String name, String defaultValue = ''"),
        "{text}"
    );
    let text = stdout(&steps(&["zip"]));
    assert!(
        text.starts_with("zip(String zipFile"),
        "the step first:\n{text}"
    );
    assert!(
        text.contains("zip(String credentialsId, String variable)"),
        "{text}"
    );
    let out = steps(&["docker"]);
    let text = stdout(&out);
    assert!(
        text.contains("build(String image, String args = '.')"),
        "{text}"
    );
}

#[test]
fn an_unknown_name_is_a_usage_error_with_a_suggestion() {
    let out = steps(&["archiveArtifact"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown step `archiveArtifact`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `archiveArtifacts`?"),
        "{stderr}"
    );
}
