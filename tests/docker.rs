//! The docker agent against the real engine and loopback registries `scripts/docker-env`
//! starts (`DOCKER_HOST`, `JENKINSFILE_TEST_*` in its env.sh): files written in the container
//! belong to the invoking user, failures and aborts leave no container behind, registry
//! credentials come from the store, a wrong password and a missing engine fail clearly.
//! Without the environment the tests say so and pass, except under `CI=true`, where they fail.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// The test servers, or `None` (with a message) when they are not running.
struct Servers {
    docker_host: String,
    image: String,
    auth_registry: String,
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
            auth_registry: var("JENKINSFILE_TEST_AUTH_REGISTRY")?,
            user: var("JENKINSFILE_TEST_REGISTRY_USER")?,
            password: var("JENKINSFILE_TEST_REGISTRY_PASSWORD")?,
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the docker test environment is missing (run scripts/docker-env start and source target/test-servers/env.sh)"
        );
        eprintln!(
            "docker tests skipped: DOCKER_HOST / JENKINSFILE_TEST_* not set (scripts/docker-env start)"
        );
    }
    found
}

/// `jenkinsfile run --in-place` of `jenkinsfile` in a fresh directory; returns the directory
/// (the workspace) and the output.
fn run(
    servers: Option<&Servers>,
    jenkinsfile: &str,
    extra: &[&str],
) -> (tempfile::TempDir, Output) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("Jenkinsfile"), jenkinsfile).unwrap();
    let mut command = Command::new(BIN);
    command
        .current_dir(&ws)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .args(["run", "--in-place"])
        .args(extra);
    if let Some(s) = servers {
        command.env("DOCKER_HOST", &s.docker_host);
    }
    let output = command.output().unwrap();
    (tmp, output)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The container ids the log says were removed.
fn removed_containers(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| l.strip_prefix("$ docker rm -f --volumes "))
        .map(str::to_string)
        .collect()
}

/// Every container the engine still has, running or not.
fn all_containers(s: &Servers) -> String {
    let out = Command::new("docker")
        .args(["ps", "-a", "-q", "--no-trunc"])
        .env("DOCKER_HOST", &s.docker_host)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_no_container_left(s: &Servers, log: &str) {
    let removed = removed_containers(log);
    assert!(
        !removed.is_empty(),
        "no container was started or cleaned up:\n{log}"
    );
    let left = all_containers(s);
    for id in removed {
        assert!(
            !left.contains(&id),
            "container {id} is still there:\n{left}"
        );
    }
    // Every container the tool made for this workspace, logged or not, carries its label.
    let workspaces: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("$ docker run "))
        .filter_map(|l| l.split(" -w ").nth(1)?.split(' ').next())
        .collect();
    assert!(
        !workspaces.is_empty(),
        "no `$ docker run … -w` line:\n{log}"
    );
    for ws in workspaces {
        let out = Command::new("docker")
            .args(["ps", "-a", "-q", "--no-trunc", "--filter"])
            .arg(format!("label=jenkinsfile.workspace={ws}"))
            .env("DOCKER_HOST", &s.docker_host)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let labelled = String::from_utf8_lossy(&out.stdout);
        assert!(
            labelled.trim().is_empty(),
            "containers of {ws} are still there: {labelled}\n{log}"
        );
    }
}

#[test]
fn a_docker_agent_writes_the_workspace_as_the_invoking_user() {
    let Some(s) = servers() else { return };
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{ docker {{ image '{}'; args '--network none' }} }}\n  stages {{\n    stage('Build') {{\n      steps {{\n        sh 'echo made in a container > out.txt; id -u > uid.txt; echo \"HOME=$HOME\"'\n      }}\n    }}\n  }}\n}}\n",
        s.image
    );
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("Jenkinsfile"), &jenkinsfile).unwrap();
    // CI runs as root, where uid:gid 0:0 would prove nothing: run the tool as another user
    // that owns the directory, with the test daemon's socket opened to it.
    let root = rustix::process::getuid().is_root();
    let uid: u32 = if root {
        4242
    } else {
        rustix::process::getuid().as_raw()
    };
    let mut command = if root {
        chown_tree(tmp.path(), uid);
        let socket = s.docker_host.trim_start_matches("unix://");
        let status = Command::new("chmod")
            .args(["666", socket])
            .status()
            .unwrap();
        assert!(status.success());
        let mut c = Command::new("setpriv");
        c.args([
            &format!("--reuid={uid}"),
            &format!("--regid={uid}"),
            "--clear-groups",
            BIN,
        ]);
        c
    } else {
        Command::new(BIN)
    };
    let output = command
        .current_dir(&ws)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("DOCKER_HOST", &s.docker_host)
        .args(["run", "--in-place"])
        .output()
        .unwrap();
    let log = text(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert_eq!(
        std::fs::read_to_string(ws.join("out.txt")).unwrap(),
        "made in a container\n"
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("uid.txt")).unwrap(),
        format!("{uid}\n")
    );
    assert_eq!(std::fs::metadata(ws.join("out.txt")).unwrap().uid(), uid);
    // Jenkins' lines, in order.
    let order = [
        "Jenkins does not seem to be running inside a container",
        &format!("$ docker run -t -d -u {uid}:{uid} --network none -w "),
        "$ docker top ",
        "+ echo made ",
        "$ docker stop --time=1 ",
        "$ docker rm -f --volumes ",
    ];
    let mut at = 0;
    for needle in order {
        let found = log[at..]
            .find(needle)
            .unwrap_or_else(|| panic!("missing {needle:?} after byte {at}:\n{log}"));
        at += found + needle.len();
    }
    // The host's HOME never reaches the container (it equals this process's environment
    // only in the child, so it is passed: what matters is that PATH is not).
    assert!(!log.contains("PATH="), "{log}");
    assert_no_container_left(&s, &log);
}

fn chown_tree(dir: &Path, uid: u32) {
    let status = Command::new("chown")
        .args(["-R", &format!("{uid}:{uid}")])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_failing_step_still_removes_the_container() {
    let Some(s) = servers() else { return };
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{ docker {{ image '{}'; args '--network none' }} }}\n  stages {{\n    stage('Fail') {{\n      steps {{\n        sh 'echo before; exit 3'\n      }}\n    }}\n  }}\n}}\n",
        s.image
    );
    let (_tmp, output) = run(Some(&s), &jenkinsfile, &[]);
    let log = text(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    assert!(log.contains("ERROR: script returned exit code 3"), "{log}");
    assert_no_container_left(&s, &log);
}

/// The args' binds, `-e` and `-u` reach the container once: a doubled bind is refused by the
/// engine as a duplicate mount point, and Jenkins prints the host uid before the args' `-u`.
#[test]
fn agent_args_volumes_env_and_user_are_applied_once() {
    let Some(s) = servers() else { return };
    let host_dir = tempfile::tempdir().unwrap();
    std::fs::write(host_dir.path().join("f"), "from the host\n").unwrap();
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{ docker {{ image '{}'; args '--network none -v {}:/hd:ro -e GREETING=a=b -u 0:0' }} }}\n  stages {{\n    stage('S') {{\n      steps {{\n        sh 'cat /hd/f; echo \"$GREETING\"; id -u'\n      }}\n    }}\n  }}\n}}\n",
        s.image,
        host_dir.path().display()
    );
    let (_tmp, output) = run(Some(&s), &jenkinsfile, &[]);
    let log = text(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    for line in ["\nfrom the host\n", "\na=b\n", "+ id -u\n0\n"] {
        assert!(log.contains(line), "missing {line:?}:\n{log}");
    }
    let uid = rustix::process::getuid().as_raw();
    let gid = rustix::process::getgid().as_raw();
    assert!(
        log.contains(&format!(
            "$ docker run -t -d -u {uid}:{gid} --network none -v "
        )),
        "{log}"
    );
    assert_no_container_left(&s, &log);
}

#[test]
fn an_aborted_step_still_removes_the_container() {
    let Some(s) = servers() else { return };
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{ docker {{ image '{}'; args '--network none' }} }}\n  stages {{\n    stage('Slow') {{\n      steps {{\n        timeout(time: 2, unit: 'SECONDS') {{\n          sh 'sleep 60'\n        }}\n      }}\n    }}\n  }}\n}}\n",
        s.image
    );
    let started = std::time::Instant::now();
    let (_tmp, output) = run(Some(&s), &jenkinsfile, &[]);
    let log = text(&output);
    assert_eq!(output.status.code(), Some(4), "{log}");
    assert!(
        started.elapsed().as_secs() < 30,
        "the abort waited for sleep 60:\n{log}"
    );
    assert_no_container_left(&s, &log);
}

#[test]
fn ctrl_c_removes_the_container() {
    if let Some(code) = abort_with(rustix::process::Signal::INT) {
        assert_eq!(code, 130);
    }
}

/// `kill` (SIGTERM) and a closed terminal (SIGHUP) abort as Ctrl-C does: the build is
/// recorded as ABORTED and no container is left.
#[test]
fn sigterm_and_sighup_remove_the_container() {
    for signal in [rustix::process::Signal::TERM, rustix::process::Signal::HUP] {
        assert!(
            abort_with(signal).is_some_and(|code| code != 0),
            "{signal:?}"
        );
    }
}

/// Runs a docker-agent pipeline, sends `signal` once its `sh` has started, checks the end of
/// the log and that no container is left, and returns the exit code (`None` if skipped).
fn abort_with(signal: rustix::process::Signal) -> Option<i32> {
    let s = servers()?;
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{ docker {{ image '{}'; args '--network none' }} }}\n  stages {{\n    stage('Slow') {{\n      steps {{\n        sh 'echo started; sleep 60'\n      }}\n    }}\n  }}\n}}\n",
        s.image
    );
    let (tmp, log_path, child) = start_in_place(&s, &jenkinsfile);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::fs::read_to_string(&log_path)
        .unwrap()
        .contains("started")
    {
        assert!(std::time::Instant::now() < deadline, "never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, signal).unwrap();
    let output = child.wait_with_output().unwrap();
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.ends_with("Finished: ABORTED\n"), "{signal:?}:\n{log}");
    assert!(
        tmp.path()
            .join("data/jenkinsfile/jobs/ws/builds/1/build.json")
            .is_file(),
        "{signal:?}: no build record:\n{log}"
    );
    assert_no_container_left(&s, &log);
    output.status.code()
}

/// A second Ctrl-C while the container is being stopped (the `cat` at PID 1 ignores the
/// stop's SIGTERM, so `stop --time=1` takes a second) still removes it.
#[test]
fn a_second_ctrl_c_during_the_stop_still_removes_the_container() {
    let Some(s) = servers() else { return };
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{ docker {{ image '{}'; args '--network none' }} }}\n  stages {{\n    stage('Slow') {{\n      steps {{\n        sh 'trap \"\" TERM INT; echo started; sleep 300'\n      }}\n    }}\n  }}\n}}\n",
        s.image
    );
    let (_tmp, log_path, child) = start_in_place(&s, &jenkinsfile);
    let wait_for = |text: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !std::fs::read_to_string(&log_path).unwrap().contains(text) {
            assert!(
                std::time::Instant::now() < deadline,
                "never logged {text:?}:\n{}",
                std::fs::read_to_string(&log_path).unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    let pid = rustix::process::Pid::from_child(&child);
    wait_for("started");
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    wait_for("$ docker stop --time=1 ");
    std::thread::sleep(std::time::Duration::from_millis(300));
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let output = child.wait_with_output().unwrap();
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert_ne!(output.status.code(), Some(0), "{log}");
    let id = log
        .lines()
        .find_map(|l| l.strip_prefix("$ docker stop --time=1 "))
        .expect("a stop line")
        .trim()
        .to_string();
    assert!(
        !all_containers(&s).contains(&id),
        "container {id} is still there:\n{log}"
    );
}

/// Starts `run --in-place` on `jenkinsfile` in a fresh directory, its console going to a file
/// that the caller can watch: (the directory, the log file, the process).
fn start_in_place(
    s: &Servers,
    jenkinsfile: &str,
) -> (tempfile::TempDir, std::path::PathBuf, std::process::Child) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("Jenkinsfile"), jenkinsfile).unwrap();
    let log_path = tmp.path().join("log.txt");
    let child = Command::new(BIN)
        .current_dir(&ws)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("DOCKER_HOST", &s.docker_host)
        .args(["run", "--in-place"])
        .stdout(std::fs::File::create(&log_path).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    (tmp, log_path, child)
}

/// Pushes the base image to the htpasswd registry as `name` with the docker CLI (the setup
/// only; the tool pulls it back), then removes the local tag so that the tool must pull.
fn push_to_auth_registry(s: &Servers, name: &str) {
    let config = tempfile::tempdir().unwrap();
    let docker = |args: &[&str], stdin: Option<&str>| {
        let mut c = Command::new("docker");
        c.args(args)
            .env("DOCKER_HOST", &s.docker_host)
            .env("DOCKER_CONFIG", config.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "docker {args:?}: {out:?}");
    };
    docker(&["tag", &s.image, name], None);
    docker(
        &["login", "-u", &s.user, "--password-stdin", &s.auth_registry],
        Some(&s.password),
    );
    docker(&["push", name], None);
    docker(&["rmi", name], None);
}

fn store(dir: &Path, user: &str, password: &str) -> PathBuf {
    let path = dir.join("creds.toml");
    std::fs::write(
        &path,
        format!("[registry]\ntype = \"usernamePassword\"\nusername = \"{user}\"\npassword = \"{password}\"\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    path
}

#[test]
fn a_private_image_is_pulled_with_store_credentials_and_a_wrong_password_fails_clearly() {
    let Some(s) = servers() else { return };
    let tag = format!("{}", std::process::id());
    let name = format!("{}/jenkinsfile-test/agent:{tag}", s.auth_registry);
    push_to_auth_registry(&s, &name);
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{\n    docker {{\n      image 'jenkinsfile-test/agent:{tag}'\n      registryUrl 'http://{}'\n      registryCredentialsId 'registry'\n      args '--network none'\n    }}\n  }}\n  stages {{\n    stage('Pulled') {{\n      steps {{\n        sh 'echo pulled ok; echo \"config=$DOCKER_CONFIG\"; grep -c {} \"$DOCKER_CONFIG/config.json\"'\n      }}\n    }}\n  }}\n}}\n",
        s.auth_registry, s.auth_registry
    );
    let creds_dir = tempfile::tempdir().unwrap();

    let wrong = store(creds_dir.path(), &s.user, "not-the-password");
    let (_tmp, output) = run(
        Some(&s),
        &jenkinsfile,
        &["--credentials", wrong.to_str().unwrap()],
    );
    let log = text(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    assert!(
        log.contains(&format!("pull access denied for {name}")),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "the registry {} refused the credentials `registry` (registryCredentialsId)",
            s.auth_registry
        )),
        "the hint is missing:\n{log}"
    );
    assert!(!log.contains("not-the-password"), "{log}");

    let right = store(creds_dir.path(), &s.user, &s.password);
    let (_tmp, output) = run(
        Some(&s),
        &jenkinsfile,
        &["--credentials", right.to_str().unwrap()],
    );
    let log = text(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(log.contains(&format!("+ docker pull {name}")), "{log}");
    assert!(log.contains("pulled ok"), "{log}");
    // The agent is wrapped in the registry block (§8.2): its steps see the login too.
    assert!(log.contains("[Pipeline] withDockerRegistry"), "{log}");
    let config = log
        .lines()
        .find_map(|l| l.strip_prefix("config="))
        .unwrap_or_default();
    assert!(
        config.contains("@tmp/"),
        "no DOCKER_CONFIG in the container:\n{log}"
    );
    assert!(
        log.lines().any(|l| l == "1"),
        "the login is not in the config:\n{log}"
    );
    assert!(!log.contains(&s.password), "{log}");
}

#[test]
fn no_engine_is_a_clear_error_naming_docker_host() {
    let tmp = tempfile::tempdir().unwrap();
    let socket = tmp.path().join("no-daemon.sock");
    let (_ws, output) = {
        let jenkinsfile = "pipeline {\n  agent { docker { image 'busybox:local' } }\n  stages {\n    stage('A') {\n      steps {\n        sh 'true'\n      }\n    }\n  }\n}\n";
        let ws = tempfile::tempdir().unwrap();
        std::fs::write(ws.path().join("Jenkinsfile"), jenkinsfile).unwrap();
        let output = Command::new(BIN)
            .current_dir(ws.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("HOME", ws.path())
            .env("XDG_DATA_HOME", ws.path().join("data"))
            .env("XDG_CONFIG_HOME", ws.path().join("config"))
            .env("DOCKER_HOST", format!("unix://{}", socket.display()))
            .args(["run", "--in-place"])
            .output()
            .unwrap();
        (ws, output)
    };
    let log = text(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    assert!(
        log.contains(&format!(
            "cannot connect to the Docker engine at unix://{}",
            socket.display()
        )),
        "{log}"
    );
    assert!(log.contains("DOCKER_HOST"), "{log}");
    assert!(!log.contains("hyper"), "a raw client error leaked:\n{log}");
    assert!(!log.contains("panicked"), "{log}");
}

/// `registryCredentialsId 'ecr:<region>:<cred>'`: the pull logs in with moto's ECR token, which
/// the htpasswd registry of scripts/docker-env accepts for user `AWS`.
#[test]
fn an_ecr_credential_pulls_with_the_token_from_get_authorization_token() {
    let Some(s) = servers() else { return };
    let Ok(moto) = std::env::var("JENKINSFILE_MOTO_ENDPOINT") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but JENKINSFILE_MOTO_ENDPOINT is unset (scripts/moto)"
        );
        return;
    };
    let tag = format!("ecr{}", std::process::id());
    let name = format!("{}/jenkinsfile-test/agent:{tag}", s.auth_registry);
    push_to_auth_registry(&s, &name);
    let jenkinsfile = format!(
        "pipeline {{\n  agent {{\n    docker {{\n      image 'jenkinsfile-test/agent:{tag}'\n      registryUrl 'http://{}'\n      registryCredentialsId 'ecr:us-east-1:aws-creds'\n      args '--network none'\n    }}\n  }}\n  stages {{\n    stage('Pulled') {{\n      steps {{\n        sh 'echo pulled with ecr'\n      }}\n    }}\n  }}\n}}\n",
        s.auth_registry
    );
    let tmp = tempfile::tempdir().unwrap();
    let creds = tmp.path().join("creds.toml");
    std::fs::write(
        &creds,
        "[aws-creds]\ntype = \"aws\"\naccess_key_id = \"AKIADOCKERECR0000001\"\nsecret_access_key = \"docker/ecr/secret0000000000000000000001\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&creds, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("Jenkinsfile"), jenkinsfile).unwrap();
    let output = Command::new(BIN)
        .current_dir(&ws)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("DOCKER_HOST", &s.docker_host)
        .env("AWS_ENDPOINT_URL", &moto)
        .args([
            "run",
            "--in-place",
            "--credentials",
            creds.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let log = text(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(log.contains(&format!("+ docker pull {name}")), "{log}");
    assert!(log.contains("pulled with ecr"), "{log}");
    assert!(!log.contains("auth-token"), "the token leaked:\n{log}");
    assert_no_container_left(&s, &log);
}
