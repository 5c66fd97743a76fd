//! The console around `docker.image(…).inside` against the real engine of
//! `scripts/docker-env`, compared line by line with `fixtures/docker/inside-console/
//! expected.log`, which was written from runtime-semantics §8.1's real Jenkins log:
//! `[Pipeline] isUnix`, `withEnv` around `sh 'docker inspect -f . …'`, `pull()` in its own
//! `isUnix`/`withEnv`/`sh` when the image is missing, then `withDockerContainer` with its `$
//! docker run/top/stop/rm` lines. Ids, paths, the uid and the pull's layer lines are
//! normalised. Without the servers the test says so and passes, except under `CI=true`.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

#[expect(clippy::print_stderr, reason = "the test says why it skipped")]
fn servers() -> Option<(String, String, String)> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let found = (|| {
        Some((
            var("DOCKER_HOST")?,
            var("JENKINSFILE_TEST_BASE_IMAGE")?,
            var("JENKINSFILE_TEST_REGISTRY")?,
        ))
    })();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the docker test environment is missing (scripts/docker-env start; source target/test-servers/env.sh)"
        );
        eprintln!("docker_console test skipped: DOCKER_HOST / JENKINSFILE_TEST_* not set");
    }
    found
}

fn docker(host: &str, args: &[&str]) {
    let out = Command::new("docker")
        .args(args)
        .env("DOCKER_HOST", host)
        .env("DOCKER_CONFIG", "/nonexistent-docker-config")
        .output()
        .unwrap();
    assert!(out.status.success(), "docker {args:?}: {out:?}");
}

/// The part of the log from the first `[Pipeline] isUnix` to the last `// withDockerContainer`,
/// with what differs per run replaced.
fn normalise(log: &str, ws: &str, registry: &str, tag: &str) -> String {
    let start = log.find("[Pipeline] isUnix").expect("no isUnix line");
    let end_marker = "[Pipeline] // withDockerContainer\n";
    let end = log.rfind(end_marker).expect("no withDockerContainer end") + end_marker.len();
    let id = regex::Regex::new(r"\b[0-9a-f]{64}\b").unwrap();
    let uid = regex::Regex::new(r"-u \d+:\d+ ").unwrap();
    let envs = regex::Regex::new(r"(-e \*{8} )+").unwrap();
    let mut out = String::new();
    let mut in_pull = false;
    for line in log[start..end].lines() {
        if line.starts_with("[Pipeline]") {
            in_pull = false;
        } else if in_pull {
            // The pull's per-layer lines depend on the engine.
            continue;
        }
        if line.starts_with("+ docker pull ") {
            in_pull = true;
        }
        let line = line
            .replace(ws, "<ws>")
            .replace(registry, "<registry>")
            .replace(tag, "<tag>");
        let line = id.replace_all(&line, "<id>");
        let line = uid.replace_all(&line, "-u <uid>:<gid> ");
        let line = envs.replace_all(&line, "-e ******** … ");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn inside_prints_docker_groovys_steps_around_with_docker_container() {
    let Some((host, image, registry)) = servers() else {
        return;
    };
    let tag = format!("c{}", std::process::id());
    let pulled = format!("{registry}/jf-console:{tag}");
    // An image only the registry has.
    docker(&host, &["tag", &image, &pulled]);
    docker(&host, &["push", &pulled]);
    docker(&host, &["rmi", &pulled]);

    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/docker/inside-console");
    std::fs::copy(fixture.join("Jenkinsfile"), ws.join("Jenkinsfile")).unwrap();
    let output = Command::new(BIN)
        .current_dir(&ws)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("DOCKER_HOST", &host)
        .env("BASE_IMAGE", &image)
        .env("PULLED_IMAGE", &pulled)
        .args(["run", "--in-place"])
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = Command::new("docker")
        .args(["rmi", &pulled])
        .env("DOCKER_HOST", &host)
        .output();
    assert_eq!(output.status.code(), Some(0), "{log}");
    let canonical = std::fs::canonicalize(&ws).unwrap().display().to_string();
    let log = log.replace(&canonical, &ws.display().to_string());
    let got = normalise(&log, &ws.display().to_string(), &registry, &tag);
    let expected = std::fs::read_to_string(fixture.join("expected.log")).unwrap();
    assert_eq!(got, expected, "full log:\n{log}");
}
