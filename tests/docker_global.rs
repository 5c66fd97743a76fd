//! The `docker` global (`docker.image(…)`, `docker.withRegistry`, the `withDockerRegistry`
//! step) against the real engine and loopback registries of `scripts/docker-env`, and moto
//! (`scripts/moto`) for the ECR login. The fixtures are `fixtures/docker/global-*`. Without the
//! servers the tests say so and pass, except under `CI=true`, where they fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

struct Servers {
    docker_host: String,
    image: String,
    registry: String,
    user: String,
    password: String,
}

#[expect(clippy::print_stderr, reason = "the test says why it skipped")]
fn servers() -> Option<Servers> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let found = (|| {
        Some(Servers {
            docker_host: var("DOCKER_HOST")?,
            image: var("JENKINSFILE_TEST_BASE_IMAGE")?,
            registry: var("JENKINSFILE_TEST_AUTH_REGISTRY")?,
            user: var("JENKINSFILE_TEST_REGISTRY_USER")?,
            password: var("JENKINSFILE_TEST_REGISTRY_PASSWORD")?,
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the docker test environment is missing (scripts/docker-env start; source target/test-servers/env.sh)"
        );
        eprintln!("docker_global tests skipped: DOCKER_HOST / JENKINSFILE_TEST_* not set");
    }
    found
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/docker")
        .join(name)
        .join("Jenkinsfile")
}

/// A build directory: `home` (HOME, with a `.docker/config.json` of the user's own),
/// `ws` (the workspace) and the credential store.
struct Build {
    dir: tempfile::TempDir,
}

const USER_DOCKER_CONFIG: &str = "{\"auths\": {}, \"note\": \"the user's own, never touched\"}\n";

impl Build {
    fn new(credentials: &str) -> Build {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws")).unwrap();
        std::fs::create_dir_all(dir.path().join("home/.docker")).unwrap();
        std::fs::write(
            dir.path().join("home/.docker/config.json"),
            USER_DOCKER_CONFIG,
        )
        .unwrap();
        let creds = dir.path().join("creds.toml");
        std::fs::write(&creds, credentials).unwrap();
        std::fs::set_permissions(&creds, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        Build { dir }
    }

    fn ws(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    fn command(&self, s: &Servers, fixture_name: &str, env: &[(&str, &str)]) -> Command {
        std::fs::copy(fixture(fixture_name), self.ws().join("Jenkinsfile")).unwrap();
        let mut command = Command::new(BIN);
        command
            .current_dir(self.ws())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("DOCKER_HOST", &s.docker_host)
            .env("REGISTRY", &s.registry)
            .env("BASE_IMAGE", &s.image)
            .env("TAG", tag())
            .args(["run", "--in-place", "--credentials"])
            .arg(self.dir.path().join("creds.toml"));
        for (k, v) in env {
            command.env(k, v);
        }
        command
    }

    fn run(&self, s: &Servers, fixture_name: &str, env: &[(&str, &str)]) -> (String, Option<i32>) {
        let output = self.command(s, fixture_name, env).output().unwrap();
        (text(&output), output.status.code())
    }

    /// The user's own docker config is as it was.
    fn assert_user_config_untouched(&self) {
        let now =
            std::fs::read_to_string(self.dir.path().join("home/.docker/config.json")).unwrap();
        assert_eq!(now, USER_DOCKER_CONFIG);
    }

    /// No temporary docker config is left under the workspace's `@tmp`.
    fn assert_no_temp_config_left(&self) {
        let tmp = self.dir.path().join("ws@tmp");
        let Ok(entries) = std::fs::read_dir(&tmp) else {
            return;
        };
        let left: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("docker-config-"))
            .collect();
        assert!(
            left.is_empty(),
            "left behind under {}: {left:?}",
            tmp.display()
        );
    }
}

fn registry_store(s: &Servers, password: &str) -> String {
    format!(
        "[registry]\ntype = \"usernamePassword\"\nusername = \"{}\"\npassword = \"{password}\"\n",
        s.user
    )
}

fn tag() -> String {
    format!("g{}", std::process::id())
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn docker(s: &Servers, args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .env("DOCKER_HOST", &s.docker_host)
        .env("DOCKER_CONFIG", "/nonexistent-docker-config")
        .output()
        .unwrap()
}

/// The tags the registry holds for `repo`, read with the registry login.
fn registry_tags(s: &Servers, user: &str, password: &str, repo: &str) -> String {
    let out = Command::new("curl")
        .args(["-s", "-u", &format!("{user}:{password}")])
        .arg(format!("http://{}/v2/{repo}/tags/list", s.registry))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every container id the log printed after `prefix`, none of which the engine still has.
fn assert_containers_gone(s: &Servers, log: &str, prefix: &str) {
    let ids: Vec<&str> = log
        .lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .map(str::trim)
        .collect();
    assert!(!ids.is_empty(), "no `{prefix}` line:\n{log}");
    let out = docker(s, &["ps", "-a", "-q", "--no-trunc"]);
    let left = String::from_utf8_lossy(&out.stdout);
    for id in ids {
        assert!(id.len() >= 12, "not a container id: {id}\n{log}");
        assert!(
            !left.contains(id),
            "container {id} is still there:\n{left}\n{log}"
        );
    }
}

#[test]
fn an_image_is_pushed_with_store_credentials_pulled_back_and_a_wrong_password_fails() {
    let Some(s) = servers() else { return };
    let tag = tag();
    let local = format!("jenkinsfile-test/global:{tag}");
    let remote = format!("{}/{local}", s.registry);

    let wrong = Build::new(&registry_store(&s, "not-the-password"));
    let (log, code) = wrong.run(&s, "global-push", &[]);
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains(&format!("push of {remote} was refused")),
        "{log}"
    );
    assert!(
        log.contains("docker.withRegistry"),
        "the hint is missing:\n{log}"
    );
    assert!(!log.contains("not-the-password"), "{log}");
    wrong.assert_no_temp_config_left();

    let build = Build::new(&registry_store(&s, &s.password));
    let (log, code) = build.run(&s, "global-push", &[]);
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains(&format!("imageName: {remote}")), "{log}");
    assert!(
        log.contains(&format!(
            "$ docker login -u {} -p ******** http://{}",
            s.user, s.registry
        )),
        "{log}"
    );
    assert!(
        log.contains(&format!("+ docker tag {local} {remote}")),
        "{log}"
    );
    assert!(log.contains(&format!("+ docker push {remote}")), "{log}");
    assert!(
        log.contains(&format!(
            "+ docker push {}/jenkinsfile-test/global:second",
            s.registry
        )),
        "{log}"
    );
    assert!(!log.contains(&s.password), "{log}");
    let tags = registry_tags(&s, &s.user, &s.password, "jenkinsfile-test/global");
    assert!(tags.contains(&tag) && tags.contains("second"), "{tags}");
    build.assert_user_config_untouched();
    build.assert_no_temp_config_left();

    // Gone locally, then pulled back through the registry login and run.
    for name in [
        &remote,
        &local,
        &format!("{}/jenkinsfile-test/global:second", s.registry),
    ] {
        let out = docker(&s, &["rmi", name]);
        assert!(out.status.success(), "rmi {name}: {out:?}");
    }
    let (log, code) = build.run(&s, "global-pull", &[]);
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains(&format!("+ docker pull {remote}")), "{log}");
    assert!(log.contains("hello from the pushed image"), "{log}");
    assert_containers_gone(&s, &log, "$ docker rm -f --volumes ");
}

#[test]
fn image_methods_and_the_cli_share_the_temporary_registry_login() {
    let Some(s) = servers() else { return };
    let tag = tag();
    let build = Build::new(&registry_store(&s, &s.password));
    let (log, code) = build.run(&s, "global-methods", &[]);
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains(&format!("qualified: {}/team/app:1", s.registry)),
        "{log}"
    );
    assert!(log.contains(&format!("id: {}", s.image)), "{log}");
    let tagged = format!("{}/busybox:t{tag}", s.registry);
    assert!(log.contains(&format!("tagged: {tagged}")), "{log}");
    // The CLI push went through the temporary config's login: the registry has the tag.
    let tags = registry_tags(&s, &s.user, &s.password, "busybox");
    assert!(tags.contains(&format!("t{tag}")), "{tags}\n{log}");
    // DOCKER_CONFIG was a private directory under the workspace's @tmp.
    let tmp = format!("{}@tmp/docker-config-", build.ws().display());
    assert!(log.contains(&format!("config: {tmp}")), "{log}");
    assert!(log.contains("mode 700 "), "{log}");
    assert!(log.contains("mode 600 "), "{log}");
    // inside ran the local image under its plain id, not a registry name that does not exist.
    assert!(log.contains("inside-ok"), "{log}");
    assert!(
        log.contains("map-form-ok") && log.contains("named-form-ok"),
        "{log}"
    );
    assert!(!log.contains(&s.password), "{log}");
    assert_containers_gone(&s, &log, "run: ");
    assert_containers_gone(&s, &log, "withRun: ");
    assert_containers_gone(&s, &log, "$ docker rm -f --volumes ");
    build.assert_user_config_untouched();
    build.assert_no_temp_config_left();
}

#[test]
fn a_null_credentials_id_is_anonymous() {
    let Some(s) = servers() else { return };
    let build = Build::new("");
    let (log, code) = build.run(&s, "null-credentials", &[]);
    assert_eq!(code, Some(0), "{log}");
    for line in [
        "\nregistry block without credentials\n",
        "\nserver block without credentials\n",
    ] {
        assert!(log.contains(line), "missing {line:?}:\n{log}");
    }
    assert!(
        !log.contains("matching null") && !log.contains("'null'"),
        "{log}"
    );
    build.assert_no_temp_config_left();
}

#[test]
fn an_unknown_credential_fails_before_the_body() {
    let Some(s) = servers() else { return };
    let build = Build::new("");
    let (log, code) = build.run(&s, "global-push", &[]);
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains("Could not find credentials matching registry"),
        "{log}"
    );
    assert!(!log.contains("+ docker push"), "{log}");
    build.assert_no_temp_config_left();
}

#[test]
fn a_native_build_stops_at_its_timeout() {
    let Some(s) = servers() else { return };
    let build = Build::new("");
    let started = std::time::Instant::now();
    let (log, code) = build.run(&s, "global-build-timeout", &[]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the build ran on past its timeout:\n{log}"
    );
    assert!(log.contains("Timeout has been exceeded"), "{log}");
    assert!(log.ends_with("Finished: ABORTED\n"), "{log}");
    assert_eq!(code, Some(4), "{log}");
}

#[test]
fn a_failing_with_run_body_removes_its_container() {
    let Some(s) = servers() else { return };
    let build = Build::new("");
    let (log, code) = build.run(&s, "global-failure", &[]);
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("the body failed"), "{log}");
    assert_containers_gone(&s, &log, "withRun: ");
}

#[test]
fn an_aborted_with_run_removes_its_container() {
    let Some(s) = servers() else { return };
    let build = Build::new("");
    let log_path = build.dir.path().join("log.txt");
    let child = build
        .command(&s, "global-abort", &[])
        .stdout(std::fs::File::create(&log_path).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::fs::read_to_string(&log_path)
        .unwrap()
        .contains("started")
    {
        assert!(std::time::Instant::now() < deadline, "never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let output = child.wait_with_output().unwrap();
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert_eq!(output.status.code(), Some(130), "{log}");
    assert_containers_gone(&s, &log, "withRun: ");
}

/// `docker.withRegistry(<ECR URL>, 'ecr:us-east-1:aws-creds')`: the login is moto's ECR token,
/// which the htpasswd registry standing in for ECR accepts (see the fixture's comment).
#[test]
fn an_ecr_registry_login_pushes_with_the_token_from_get_authorization_token() {
    let Some(s) = servers() else { return };
    let Ok(moto) = std::env::var("JENKINSFILE_MOTO_ENDPOINT") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but JENKINSFILE_MOTO_ENDPOINT is unset (scripts/moto)"
        );
        return;
    };
    let tag = tag();
    let build = Build::new(
        "[aws-creds]\ntype = \"aws\"\naccess_key_id = \"AKIADOCKERGLOBAL0001\"\nsecret_access_key = \"docker/global/secret00000000000000000001\"\n",
    );
    let registry = format!("http://{}", s.registry);
    let (log, code) = build.run(
        &s,
        "global-ecr",
        &[("AWS_ENDPOINT_URL", &moto), ("ECR_URI_OVERRIDE", &registry)],
    );
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains(&format!("$ docker login -u AWS -p ******** {registry}")),
        "{log}"
    );
    assert!(
        log.contains(&format!("+ docker push {}/busybox:ecr{tag}", s.registry)),
        "{log}"
    );
    assert!(!log.contains("auth-token"), "the token leaked:\n{log}");
    let tags = registry_tags(&s, "AWS", "123456789012-auth-token", "busybox");
    assert!(tags.contains(&format!("ecr{tag}")), "{tags}");
    build.assert_no_temp_config_left();
}

/// `jenkinsfile plan` records docker.build, the registry block and the push as the `sh`
/// and block steps Jenkins would run, and reaches no engine (`DOCKER_HOST` names a socket
/// nothing listens on).
#[test]
fn plan_records_the_docker_global_without_running_it() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("global-push"), tmp.path().join("Jenkinsfile")).unwrap();
    let output = Command::new(BIN)
        .current_dir(tmp.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env(
            "DOCKER_HOST",
            format!("unix://{}", tmp.path().join("nothing.sock").display()),
        )
        .env("REGISTRY", "127.0.0.1:9")
        .env("BASE_IMAGE", "busybox:local")
        .env("TAG", "planned")
        .args(["plan", "Jenkinsfile"])
        .output()
        .unwrap();
    let log = text(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(
        log.contains("docker build -t jenkinsfile-test/global:planned ."),
        "{log}"
    );
    assert!(log.contains("withDockerRegistry"), "{log}");
    assert!(
        log.contains("docker push 127.0.0.1:9/jenkinsfile-test/global:planned"),
        "{log}"
    );
    assert!(
        !log.contains("cannot connect to the Docker engine"),
        "{log}"
    );
    assert!(
        !tmp.path().join("Dockerfile").exists(),
        "the plan wrote the Dockerfile"
    );
}

/// moto's ECR token for its default account, base64 of `AWS:123456789012-auth-token`, and a
/// rotated-out one of the same length (`AWS:123456789012-old1-token`), which the htpasswd
/// registry does not know.
const MOTO_TOKEN: &str = "QVdTOjEyMzQ1Njc4OTAxMi1hdXRoLXRva2Vu";
const STALE_TOKEN: &str = "QVdTOjEyMzQ1Njc4OTAxMi1vbGQxLXRva2Vu";

/// A loopback relay in front of moto: every request goes to moto unchanged, and the first
/// `GetAuthorizationToken` answer has moto's token swapped for [`STALE_TOKEN`], as if the
/// token had been rotated since. Returns the relay's URL and the number of token answers.
fn rotating_ecr_relay(moto: &str) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read as _, Write as _};
    use std::sync::atomic::Ordering;
    let upstream = moto
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tokens = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = tokens.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            // The request: headers, then Content-Length bytes of body.
            let mut request = Vec::new();
            let mut buf = [0u8; 8192];
            let head_end = loop {
                let n = client.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break None;
                }
                request.extend_from_slice(&buf[..n]);
                if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    break Some(i + 4);
                }
            };
            let Some(head_end) = head_end else { continue };
            let head = String::from_utf8_lossy(&request[..head_end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            while request.len() < head_end + length {
                let n = client.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            // One request per connection, so moto's answer ends at EOF.
            let line_end = request.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
            request.splice(line_end..line_end, b"Connection: close\r\n".iter().copied());
            let mut server = std::net::TcpStream::connect(&upstream).unwrap();
            server.write_all(&request).unwrap();
            let mut response = Vec::new();
            server.read_to_end(&mut response).unwrap();
            let text = String::from_utf8_lossy(&response).into_owned();
            let answer = if text.contains(MOTO_TOKEN) {
                if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                    text.replace(MOTO_TOKEN, STALE_TOKEN).into_bytes()
                } else {
                    response
                }
            } else {
                response
            };
            let _ = client.write_all(&answer);
        }
    });
    (url, tokens)
}

/// The registry refuses the first ECR token (rotated out); the build notices the 401, fetches
/// a new token from `GetAuthorizationToken` once, and the push goes through with it. Neither
/// token shows in the log.
#[test]
fn an_ecr_token_the_registry_refuses_is_refreshed_once_and_the_push_succeeds() {
    let Some(s) = servers() else { return };
    let Ok(moto) = std::env::var("JENKINSFILE_MOTO_ENDPOINT") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but JENKINSFILE_MOTO_ENDPOINT is unset (scripts/moto)"
        );
        return;
    };
    let (relay, tokens) = rotating_ecr_relay(&moto);
    // Its own tag: the other ECR test pushes `ecr<tag>` to the same repository.
    let tag = format!("{}r", tag());
    let build = Build::new(
        "[aws-creds]\ntype = \"aws\"\naccess_key_id = \"AKIADOCKERGLOBAL0002\"\nsecret_access_key = \"docker/global/secret00000000000000000002\"\n",
    );
    let registry = format!("http://{}", s.registry);
    let (log, code) = build.run(
        &s,
        "global-ecr",
        &[
            ("AWS_ENDPOINT_URL", &relay),
            ("ECR_URI_OVERRIDE", &registry),
            ("TAG", &tag),
        ],
    );
    assert_eq!(code, Some(0), "{log}");
    assert_eq!(tokens.load(std::sync::atomic::Ordering::SeqCst), 2, "{log}");
    assert!(
        log.contains("refused the ECR token; fetching a new one and retrying once"),
        "{log}"
    );
    assert!(
        log.contains(&format!("+ docker push {}/busybox:ecr{tag}", s.registry)),
        "{log}"
    );
    assert!(!log.contains("auth-token"), "the token leaked:\n{log}");
    assert!(
        !log.contains("old1-token"),
        "the stale token leaked:\n{log}"
    );
    let tags = registry_tags(&s, "AWS", "123456789012-auth-token", "busybox");
    assert!(tags.contains(&format!("ecr{tag}")), "{tags}");
    build.assert_no_temp_config_left();
}
