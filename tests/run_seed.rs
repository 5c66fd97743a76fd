//! The product brief's two example pipelines (`fixtures/seed/`), run from a git repository
//! of their own: they must get as far as the first step that needs a capability a local run
//! does not have yet (the AWS credential, docker, the aws CLI), stop there with a plain error that
//! names it, and skip the rest as Jenkins would after a failure.

use std::path::Path;
use std::process::Command;

use super::support::git;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Words one of which the final error must contain: the capability that is missing.
const CAPABILITIES: &[&str] = &["credential", "aws", "docker", "AWS"];

fn run_seed(name: &str) -> (String, String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/seed")
        .join(name);
    std::fs::copy(seed.join("Jenkinsfile"), repo.join("Jenkinsfile")).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "seed"]);
    let output = Command::new(BIN)
        .arg("run")
        .arg(repo.join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(dir.path().join("home"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir.path())
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

fn check(name: &str, stages: &[&str]) {
    let (text, stderr, code) = run_seed(name);
    assert_eq!(code, 1, "{name}: {text}{stderr}");
    assert!(stderr.is_empty(), "{name}: nothing on stderr: {stderr}");
    assert!(text.ends_with("Finished: FAILURE\n"), "{text}");
    let error = text
        .lines()
        .rev()
        .find(|l| l.starts_with("ERROR: "))
        .unwrap_or_else(|| panic!("{name}: no ERROR line in {text}"));
    assert!(
        error.contains("unsupported")
            || error.contains("not found")
            || error.contains("Could not find"),
        "{name}: the error says what is missing: {error}"
    );
    assert!(
        CAPABILITIES.iter().any(|c| error.contains(c)),
        "{name}: the error names the capability: {error}"
    );
    // The stage that failed is the last one that ran; every later stage is skipped.
    let opened: Vec<&str> = stages
        .iter()
        .copied()
        .filter(|s| text.contains(&format!("[Pipeline] {{ ({s})")))
        .collect();
    assert_eq!(
        opened.len(),
        stages.len(),
        "{name}: every stage is opened: {text}"
    );
    let skip = |s: &str| format!("Stage \"{s}\" skipped due to earlier failure(s)");
    let failed = stages
        .iter()
        .position(|s| text.contains(&skip(s)))
        .unwrap_or(stages.len());
    assert!(failed >= 1, "{name}: the first stage runs: {text}");
    for later in &stages[failed..] {
        assert!(
            text.contains(&format!(
                "Stage \"{later}\" skipped due to earlier failure(s)"
            )),
            "{name}: {later} is skipped after the failure: {text}"
        );
    }
}

#[test]
fn ci_seed_stops_cleanly_at_the_first_missing_capability() {
    check(
        "ci",
        &[
            "Checkout",
            "Unit Tests",
            "Login to ECR",
            "Build & Push Image",
        ],
    );
}

#[test]
fn cd_seed_stops_cleanly_at_the_first_missing_capability() {
    check("cd", &["Checkout", "Configure kubeconfig", "Helm Deploy"]);
}
