//! `jenkinsfile credentials check`: ids used, the type each use expects, missing and
//! wrong-type ids; `--resolve` resolves; no secret is ever printed. Also `run`'s store
//! warnings and its refusal of an unreadable store.

use std::process::Command;

use crate::creds_support::{BIN, copy_case};

fn check(extra: &[&str]) -> (String, String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let case = copy_case("check", dir.path());
    let output = Command::new(BIN)
        .current_dir(&case)
        .args([
            "credentials",
            "check",
            "Jenkinsfile",
            "--credentials",
            "credentials.toml",
        ])
        .args(extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout)
        .unwrap()
        .replace(&case.display().to_string(), "[CASE]");
    (
        stdout,
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn check_lists_uses_without_resolving() {
    let (stdout, stderr, code) = check(&[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    insta::assert_snapshot!(stdout);
    assert!(!stdout.contains("check-secret-value"));
    assert!(!stdout.contains("check-password-value"));
}

#[test]
fn check_resolve_reports_what_does_not_resolve() {
    let (stdout, stderr, code) = check(&["--resolve"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    insta::assert_snapshot!(stdout);
    for secret in ["check-secret-value", "check-password-value", "AKIACHECK"] {
        assert!(!stdout.contains(secret), "{stdout}");
        assert!(!stderr.contains(secret), "{stderr}");
    }
}

#[test]
fn run_refuses_a_missing_store_file_as_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Jenkinsfile"), "echo 'hi'\n").unwrap();
    let output = Command::new(BIN)
        .arg("run")
        .arg(dir.path().join("Jenkinsfile"))
        .arg("--home")
        .arg(dir.path().join("home"))
        .args([
            "--credentials",
            "/nonexistent/credentials.toml",
            "--clean-env",
        ])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot read credentials file `/nonexistent/credentials.toml`"),
        "{stderr}"
    );
}

#[test]
fn run_warns_about_a_readable_store_in_the_build_log() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let case = copy_case("bindings/string", dir.path());
    let store = case.join("credentials.toml");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
    let home = dir.path().join("home");
    let ran = crate::creds_support::run(&case, &home, &[], &[("GOLDEN_TOKEN", "tok-value")]);
    let line = format!(
        "WARNING: credentials file {} is accessible by others (permissions 0644); run `chmod 600` on it",
        store.display()
    );
    assert!(ran.stdout.lines().any(|l| l == line), "{}", ran.stdout);
    assert!(ran.log.lines().any(|l| l == line), "{}", ran.log);
}
