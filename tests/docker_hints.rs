//! Failures a docker agent meets before its first step, against the real engine of
//! `scripts/docker-env`: an image without `cat`, an ENTRYPOINT that ends at once, a registry
//! that cannot be reached, a workspace whose `@tmp` cannot be made, and `docker.withTool`.
//! Each fails with the engine's words plus a hint, leaves no container behind (checked
//! through the label every agent container carries), and never creates `@tmp` as root.
//! Without the environment the server tests say so and pass, except under `CI=true`.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

#[expect(clippy::print_stderr, reason = "the test says why it skipped")]
fn servers() -> Option<(String, String)> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let found = (|| Some((var("DOCKER_HOST")?, var("JENKINSFILE_TEST_BASE_IMAGE")?)))();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the docker test environment is missing (scripts/docker-env start; source target/test-servers/env.sh)"
        );
        eprintln!("docker_hints test skipped: DOCKER_HOST / JENKINSFILE_TEST_* not set");
    }
    found
}

/// `jenkinsfile run --in-place` in `dir/ws`; the log.
fn run(host: Option<&str>, dir: &Path, jenkinsfile: &str) -> (Option<i32>, String) {
    let ws = dir.join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("Jenkinsfile"), jenkinsfile).unwrap();
    let mut command = Command::new(BIN);
    command
        .current_dir(&ws)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .args(["run", "--in-place"]);
    if let Some(host) = host {
        command.env("DOCKER_HOST", host);
    }
    let output: Output = command.output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), log)
}

fn agent(image: &str, args: &str) -> String {
    format!(
        "pipeline {{\n  agent {{ docker {{ image '{image}'; args '{args}' }} }}\n  stages {{\n    stage('A') {{\n      steps {{\n        sh 'echo never'\n      }}\n    }}\n  }}\n}}\n"
    )
}

fn docker(host: &str, args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .env("DOCKER_HOST", host)
        .env("DOCKER_CONFIG", "/nonexistent-docker-config")
        .output()
        .unwrap();
    assert!(out.status.success(), "docker {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The cleanup is in the log, and no container labelled with this workspace is left.
fn assert_cleaned_up(host: &str, dir: &Path, log: &str) {
    assert!(log.contains("$ docker stop --time=1 "), "{log}");
    assert!(log.contains("$ docker rm -f --volumes "), "{log}");
    let ws = dir.join("ws");
    let left = docker(
        host,
        &[
            "ps",
            "-a",
            "-q",
            "--filter",
            &format!("label=jenkinsfile.workspace={}", ws.display()),
        ],
    );
    assert!(left.trim().is_empty(), "left: {left}\n{log}");
}

#[test]
fn an_entrypoint_that_exits_at_once_is_explained_and_cleaned_up() {
    let Some((host, image)) = servers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // `true cat` ends at once, as an image whose ENTRYPOINT ignores its command would.
    let (code, log) = run(Some(&host), dir.path(), &agent(&image, "--entrypoint true"));
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("is not running"), "{log}");
    assert!(
        log.contains(
            "the container stopped right after it started: its ENTRYPOINT ran instead of `cat` and ended."
        ),
        "{log}"
    );
    assert!(log.contains("`args '--entrypoint='`"), "{log}");
    assert_cleaned_up(&host, dir.path(), &log);
}

#[test]
fn an_image_without_cat_is_explained_and_cleaned_up() {
    let Some((host, _)) = servers() else { return };
    let dir = tempfile::tempdir().unwrap();
    // An image of one file: no shell, no `cat`.
    let root = dir.path().join("root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("README"), "no cat here\n").unwrap();
    let tar = dir.path().join("root.tar");
    let status = Command::new("tar")
        .arg("-cf")
        .arg(&tar)
        .arg("-C")
        .arg(&root)
        .arg(".")
        .status()
        .unwrap();
    assert!(status.success());
    docker(
        &host,
        &["import", tar.to_str().unwrap(), "jenkinsfile-test/nocat:1"],
    );
    let (code, log) = run(
        Some(&host),
        dir.path(),
        &agent("jenkinsfile-test/nocat:1", "--network none"),
    );
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("executable file not found"), "{log}");
    assert!(
        log.contains("the image has no `cat`, which the container runs to stay up"),
        "{log}"
    );
    assert_cleaned_up(&host, dir.path(), &log);
}

#[test]
fn an_unreachable_registry_says_the_image_is_not_local() {
    let Some((host, _)) = servers() else { return };
    let dir = tempfile::tempdir().unwrap();
    // `.invalid` never resolves: the lookup fails on this machine, with no network used.
    let (code, log) = run(
        Some(&host),
        dir.path(),
        &agent("nonexistent.invalid/x:1", "--network none"),
    );
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains(
            "cannot reach the registry nonexistent.invalid to pull nonexistent.invalid/x:1: "
        ),
        "{log}"
    );
    assert!(
        log.contains(
            "the image nonexistent.invalid/x:1 is not present on this engine and the registry nonexistent.invalid cannot be reached from it"
        ),
        "{log}"
    );
    assert!(!log.contains("Docker stream error"), "{log}");
    assert!(!log.contains("$ docker run"), "{log}");
}

#[test]
fn an_uncreatable_tmp_dir_is_named_before_docker_run() {
    let Some((host, image)) = servers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A file where `<ws>@tmp` should go fails even as root, as an unwritable parent would.
    let tmp = dir.path().join("ws@tmp");
    std::fs::write(&tmp, "").unwrap();
    let (code, log) = run(Some(&host), dir.path(), &agent(&image, "--network none"));
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains(&format!(
            "cannot create {}: File exists (os error 17)",
            tmp.display()
        )),
        "{log}"
    );
    assert!(log.contains("before `docker run`"), "{log}");
    assert!(!log.contains("$ docker run"), "{log}");
    assert!(std::fs::metadata(&tmp).unwrap().is_file());
}

#[test]
fn docker_with_tool_is_unsupported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let (code, log) = run(
        None,
        dir.path(),
        "node {\n  docker.withTool('docker-19') {\n    echo 'never'\n  }\n}\n",
    );
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains("unsupported locally: docker.withTool('docker-19')"),
        "{log}"
    );
    assert!(!log.contains("\nnever"), "{log}");
}
