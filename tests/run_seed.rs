//! The product brief's two example pipelines (`fixtures/seed/`), run from a git repository
//! of their own. The CI pipeline runs end to end against real servers: moto (`scripts/moto`)
//! for `aws sts`/`aws ecr`, the docker engine and the htpasswd registry of
//! `scripts/docker-env`, which takes moto's ECR token as its password, standing in for the
//! ECR host (`ECR_URI_OVERRIDE`); without them it says so and passes, except with `CI=true`.
//! The CD pipeline must get as far as the first step that needs a capability a local run
//! does not have yet (helm, a cluster), stop there with a plain error that names it, and skip
//! the rest as Jenkins would after a failure.

use std::path::Path;
use std::process::Command;

use super::support::git;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Words one of which the final error must contain: the capability that is missing.
const CAPABILITIES: &[&str] = &["credential", "aws", "docker", "AWS"];

fn run_seed(name: &str) -> (String, String, i32) {
    run_seed_with(name, &[], &[], &[])
}

/// Runs `fixtures/seed/<name>` from a fresh repository that also holds `files` (a name
/// starting with `~/` goes to the run's HOME instead: the agent's own configuration), with
/// `--clean-env` plus `env` (each passed with `--pass-env`) and `args`.
fn run_seed_with(
    name: &str,
    files: &[(&str, &str)],
    env: &[(&str, String)],
    args: &[&str],
) -> (String, String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/seed")
        .join(name);
    // The fixture's files (the Jenkinsfile, and the CI seed's Dockerfile).
    for entry in std::fs::read_dir(&seed).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), repo.join(entry.file_name())).unwrap();
    }
    for (file, text) in files {
        let path = match file.strip_prefix("~/") {
            Some(in_home) => dir.path().join(in_home),
            None => repo.join(file),
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "seed"]);
    let mut command = Command::new(BIN);
    command
        .arg("run")
        .arg(repo.join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(dir.path().join("home"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir.path())
        .env("LANG", "C.UTF-8");
    for (var, value) in env {
        command.arg("--pass-env").arg(var).env(var, value);
    }
    let output = command.output().unwrap();
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

/// A server the CI seed needs, or `None` (and a note) when the test scripts did not start it.
fn server(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but {var} is not set: run the tests through scripts/test"
            );
            say(&format!(
                "run_seed: CI seed skipped, {var} is unset (scripts/moto and scripts/docker-env start the servers)"
            ));
            None
        }
    }
}

#[expect(clippy::print_stdout, reason = "the test says why it skipped")]
fn say(line: &str) {
    println!("{line}");
}

/// The store the CI seed's `withCredentials` reads: moto takes any keys.
const CI_STORE: &str = r#"
[aws-creds]
type = "aws"
access_key_id = "AKIASEEDCIKEY0000001"
secret_access_key = "seed/ci/secret+key00000000000000000000001"
"#;

#[test]
fn ci_seed_logs_in_to_ecr_builds_and_pushes() {
    use std::os::unix::fs::PermissionsExt as _;
    let (Some(moto), Some(moto_bin), Some(registry), Some(docker_host)) = (
        server("JENKINSFILE_MOTO_ENDPOINT"),
        server("JENKINSFILE_MOTO_BIN"),
        server("JENKINSFILE_TEST_AUTH_REGISTRY"),
        server("DOCKER_HOST"),
    ) else {
        return;
    };
    let store_dir = tempfile::tempdir().unwrap();
    let store = store_dir.path().join("credentials.toml");
    std::fs::write(&store, CI_STORE).unwrap();
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o600)).unwrap();
    let path = format!("{moto_bin}:{}", std::env::var("PATH").unwrap());
    let (text, stderr, code) = run_seed_with(
        "ci",
        &[
            // Not an edit: the agent's own AWS CLI configuration, as a Jenkins agent has it
            // (`aws configure`; on EC2 the instance metadata). The pipeline's `AWS_REGION` is
            // not read by the AWS CLI v1, and `aws sts get-caller-identity` needs a region.
            // Nothing is added to the build's environment for it.
            ("~/.aws/config", "[default]\nregion = us-east-2\n"),
        ],
        &[
            ("PATH", path),
            ("DOCKER_HOST", docker_host),
            ("AWS_ENDPOINT_URL", moto),
            ("ECR_URI_OVERRIDE", registry.clone()),
        ],
        &["--credentials", store.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{text}{stderr}");
    assert!(text.ends_with("Finished: SUCCESS\n"), "{text}");
    let image = format!("{registry}/demo-app:1");
    for line in [
        "Login Succeeded".to_owned(),
        format!("Building {image}"),
        format!("Pushing {image}"),
        "CI complete: image pushed to ECR.".to_owned(),
    ] {
        assert!(
            text.lines().any(|l| l.ends_with(&line)),
            "no `{line}` in:\n{text}"
        );
    }
    assert!(text.contains("1: digest: sha256:"), "{text}");
    for secret in [
        "AKIASEEDCIKEY0000001",
        "seed/ci/secret+key",
        "123456789012-auth-token",
    ] {
        assert!(!text.contains(secret), "`{secret}` shown:\n{text}");
    }
    // The registry really holds the image, behind the ECR token's password.
    let tags = Command::new("curl")
        .args(["-sf", "-u", "AWS:123456789012-auth-token"])
        .arg(format!("http://{registry}/v2/demo-app/tags/list"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&tags.stdout).trim(),
        r#"{"name":"demo-app","tags":["1"]}"#
    );
}

#[test]
fn cd_seed_stops_cleanly_at_the_first_missing_capability() {
    check("cd", &["Checkout", "Configure kubeconfig", "Helm Deploy"]);
}
