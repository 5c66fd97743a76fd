//! `docker.withServer(uri, credentialsId)` / `withDockerServer` with a TLS client certificate
//! (an `x509ClientCert` credential, Jenkins' `DockerServerCredentials`) against the real
//! `--tlsverify` listener of `scripts/docker-env` (`JENKINSFILE_TEST_TLS_DOCKER_HOST`, its
//! certificates in `JENKINSFILE_TEST_TLS_CERTS`). The process's own `DOCKER_HOST` names no
//! engine, so whatever reaches the engine went through the block's TLS address. The fixtures
//! are `fixtures/docker/server-tls*`. Without the servers the tests say so and pass, except
//! under `CI=true`, where they fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

struct Servers {
    /// The engine's unix socket, for the test's own checks.
    docker_host: String,
    tls_host: String,
    certs: PathBuf,
    image: String,
}

#[expect(clippy::print_stderr, reason = "the test says why it skipped")]
fn servers() -> Option<Servers> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let found = (|| {
        Some(Servers {
            docker_host: var("DOCKER_HOST")?,
            tls_host: var("JENKINSFILE_TEST_TLS_DOCKER_HOST")?,
            certs: PathBuf::from(var("JENKINSFILE_TEST_TLS_CERTS")?),
            image: var("JENKINSFILE_TEST_BASE_IMAGE")?,
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the docker test environment is missing (scripts/docker-env start; source target/test-servers/env.sh)"
        );
        eprintln!("docker_tls tests skipped: JENKINSFILE_TEST_TLS_* not set");
    }
    found
}

/// A credential store with `docker-tls` made of `key`, `cert` and `ca` from the test
/// certificates (file names under `JENKINSFILE_TEST_TLS_CERTS`).
fn store(s: &Servers, key: &str, cert: &str, ca: &str) -> String {
    let file = |name: &str| s.certs.join(name).display().to_string();
    format!(
        "[docker-tls]\ntype = \"x509ClientCert\"\nclient_key = {{ file = \"{}\" }}\nclient_certificate = {{ file = \"{}\" }}\nserver_ca_certificate = {{ file = \"{}\" }}\n",
        file(key),
        file(cert),
        file(ca)
    )
}

struct Build {
    dir: tempfile::TempDir,
}

impl Build {
    fn new(credentials: &str, fixture: &str) -> Build {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws")).unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/docker")
                .join(fixture)
                .join("Jenkinsfile"),
            dir.path().join("ws/Jenkinsfile"),
        )
        .unwrap();
        let creds = dir.path().join("creds.toml");
        std::fs::write(&creds, credentials).unwrap();
        std::fs::set_permissions(&creds, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        Build { dir }
    }

    fn run(&self, s: &Servers, env: &[(&str, &str)]) -> (String, Option<i32>) {
        let mut command = Command::new(BIN);
        command
            .current_dir(self.dir.path().join("ws"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env("TLS_DOCKER_HOST", &s.tls_host)
            .env("BASE_IMAGE", &s.image)
            .env("TAG", format!("t{}", std::process::id()))
            .args(["run", "--in-place", "--credentials"])
            .arg(self.dir.path().join("creds.toml"));
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.output().unwrap();
        (text(&output), output.status.code())
    }

    /// No certificate directory is left under the workspace's `@tmp`.
    fn assert_no_cert_dir_left(&self, log: &str) {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("ws@tmp")) else {
            return;
        };
        let left: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("docker-certs-"))
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}\n{log}");
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn docker(s: &Servers, args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .env("DOCKER_HOST", &s.docker_host)
        .env("DOCKER_CONFIG", "/nonexistent-docker-config")
        .output()
        .unwrap();
    text(&out)
}

/// Every container the log removed is gone from the engine.
fn assert_no_container_left(s: &Servers, log: &str) {
    let ids: Vec<&str> = log
        .lines()
        .filter_map(|l| {
            l.strip_prefix("$ docker rm -f --volumes ")
                .or_else(|| l.strip_prefix("+ docker rm -f --volumes "))
        })
        .map(str::trim)
        .collect();
    assert!(!ids.is_empty(), "no container was removed:\n{log}");
    let left = docker(s, &["ps", "-a", "-q", "--no-trunc"]);
    for id in ids {
        assert!(!left.contains(id), "container {id} is still there:\n{log}");
    }
}

#[test]
fn with_server_talks_tls_with_the_client_certificate_natively_and_through_the_cli() {
    let Some(s) = servers() else { return };
    let build = Build::new(&store(&s, "key.pem", "cert.pem", "ca.pem"), "server-tls");
    let (log, code) = build.run(&s, &[]);
    assert_eq!(code, Some(0), "{log}");
    // The CLI saw the block's variables and a private certificate directory.
    assert!(
        log.contains(&format!("tls: 1 host: {}", s.tls_host)),
        "{log}"
    );
    assert!(log.contains("files: ca.pem cert.pem key.pem "), "{log}");
    let cert_path = log
        .lines()
        .find_map(|l| l.strip_prefix("cert path: "))
        .unwrap_or_else(|| panic!("no cert path line:\n{log}"))
        .trim()
        .to_string();
    assert!(
        cert_path.starts_with(&build.dir.path().join("ws@tmp").display().to_string()),
        "{cert_path}\n{log}"
    );
    assert!(log.contains(&format!("mode 700 {cert_path}\n")), "{log}");
    for file in ["ca.pem", "cert.pem", "key.pem"] {
        assert!(
            log.contains(&format!("mode 600 {cert_path}/{file}\n")),
            "{file}\n{log}"
        );
    }
    assert!(log.contains("cli reached server "), "{log}");
    assert!(log.contains("map form reached "), "{log}");
    // Native build and container over the same TLS engine.
    assert!(
        log.contains("Successfully built") || log.contains("writing image"),
        "{log}"
    );
    assert!(log.contains("inside over tls: root:x:0:0"), "{log}");
    assert!(log.contains("Finished: SUCCESS"), "{log}");
    // The certificates are gone, and so is the container.
    assert!(
        !Path::new(&cert_path).exists(),
        "{cert_path} is still there"
    );
    build.assert_no_cert_dir_left(&log);
    assert_no_container_left(&s, &log);
    let tag = format!("jf-tls:t{}", std::process::id());
    let labels = docker(
        &s,
        &["image", "inspect", "-f", "{{json .Config.Labels}}", &tag],
    );
    assert!(labels.contains("\"built.over\":\"tls\""), "{labels}");
    docker(&s, &["rmi", &tag]);
}

#[test]
fn a_wrong_or_missing_certificate_is_refused_clearly_and_leaves_nothing() {
    let Some(s) = servers() else { return };
    // The engine's certificate is not signed by the CA the credential gives.
    let wrong_ca = Build::new(
        &store(&s, "key.pem", "cert.pem", "other-ca.pem"),
        "server-tls-refused",
    );
    let (log, code) = wrong_ca.run(&s, &[("CRED_ID", "docker-tls")]);
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains(&format!(
            "TLS connection to the Docker engine at {} failed",
            s.tls_host
        )),
        "{log}"
    );
    assert!(
        log.contains("the engine's certificate is not signed by the server CA certificate given"),
        "{log}"
    );
    assert!(!log.contains("never-here"), "{log}");
    wrong_ca.assert_no_cert_dir_left(&log);

    // A client certificate the daemon's CA did not sign.
    let wrong_client = Build::new(
        &store(&s, "other-ca-key.pem", "other-ca.pem", "ca.pem"),
        "server-tls-refused",
    );
    let (log, code) = wrong_client.run(&s, &[("CRED_ID", "docker-tls")]);
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains("the engine refused the client certificate"),
        "{log}"
    );
    wrong_client.assert_no_cert_dir_left(&log);

    // No credential: the engine's TLS port answers plain HTTP with 400.
    let none = Build::new("", "server-tls-refused");
    let (log, code) = none.run(&s, &[("CRED_ID", "")]);
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("cert path: none"), "{log}");
    assert!(
        log.contains(&format!("the engine at {} speaks TLS", s.tls_host)),
        "{log}"
    );
    assert!(log.contains("x509ClientCert"), "{log}");

    // A credential of another type is named with Jenkins' wrong-type message.
    let other_type = Build::new(
        "[docker-tls]\ntype = \"usernamePassword\"\nusername = \"u\"\npassword = \"p\"\n",
        "server-tls-refused",
    );
    let (log, code) = other_type.run(&s, &[("CRED_ID", "docker-tls")]);
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains("Credentials 'docker-tls' is of type 'Username with password' where 'X.509 Client Certificate' was expected"),
        "{log}"
    );
    assert!(!log.contains("cert path:"), "the body ran:\n{log}");
}

/// `credentials check` expects an X.509 client certificate for `docker.withServer`.
#[test]
fn credentials_check_expects_a_client_certificate_for_with_server() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Jenkinsfile"),
        "node {\n  docker.withServer('tcp://127.0.0.1:2376', 'tls-ok') { }\n  docker.withServer('tcp://127.0.0.1:2376', 'tls-wrong') { }\n}\n",
    )
    .unwrap();
    let creds = dir.path().join("credentials.toml");
    std::fs::write(
        &creds,
        "[tls-ok]\ntype = \"x509ClientCert\"\nclient_key = { env = \"K\" }\nclient_certificate = { env = \"C\" }\n\n[tls-wrong]\ntype = \"string\"\nsecret = \"s\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&creds, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let output = Command::new(BIN)
        .current_dir(dir.path())
        .args(["credentials", "check", "Jenkinsfile", "--credentials"])
        .arg(&creds)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("tls-ok (docker.withServer, expects X.509 Client Certificate): ok"),
        "{out}"
    );
    assert!(
        out.contains("Credentials 'tls-wrong' is of type 'Secret text' where 'X.509 Client Certificate' was expected"),
        "{out}"
    );
}
