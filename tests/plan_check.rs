//! `plan --check` against the real servers: the Docker engine and loopback registries of
//! `scripts/docker-env` (`DOCKER_HOST`, `JENKINSFILE_TEST_*` from its env.sh) and the
//! `moto_server` of `scripts/moto` (`JENKINSFILE_MOTO_ENDPOINT`). Images present and absent
//! in a registry, registry credentials right and wrong, ECR repositories that exist and that
//! do not, and an all-ok plan that exits 0. Cases that need a server skip with a message when
//! it is absent, and fail under `CI=true`. No output may contain a test secret.

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

const AWS_KEY: &str = "AKIAPLANCHECK0000001";
const AWS_SECRET: &str = "plan-check/aws+secret00000000000000000001";
const SECRETS: &[&str] = &[
    AWS_KEY,
    AWS_SECRET,
    "registry-secret-pw",
    "wrong-NEVER-SHOWN",
];

#[expect(clippy::print_stdout, reason = "the test says why it skipped")]
fn server(vars: &[&str], what: &str) -> Option<Vec<String>> {
    let found: Option<Vec<String>> = vars
        .iter()
        .map(|v| std::env::var(v).ok().filter(|v| !v.is_empty()))
        .collect();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {what} is missing ({vars:?} unset)"
        );
        println!("plan_check: skipped, no {what} ({vars:?} unset)");
    }
    found
}

/// `DOCKER_HOST`, the base image, the anonymous and the htpasswd registry.
fn docker_env() -> Option<Vec<String>> {
    server(
        &[
            "DOCKER_HOST",
            "JENKINSFILE_TEST_BASE_IMAGE",
            "JENKINSFILE_TEST_REGISTRY",
            "JENKINSFILE_TEST_AUTH_REGISTRY",
            "JENKINSFILE_TEST_REGISTRY_USER",
            "JENKINSFILE_TEST_REGISTRY_PASSWORD",
        ],
        "docker test environment (scripts/docker-env start; source target/test-servers/env.sh)",
    )
}

fn moto() -> Option<String> {
    server(
        &["JENKINSFILE_MOTO_ENDPOINT"],
        "moto_server (scripts/moto -- cargo test …)",
    )
    .map(|v| v[0].clone())
}

/// A name no earlier run used: moto and the registry keep their state between tests.
fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

struct Checked {
    exit: i32,
    items: Vec<Value>,
    text: String,
}

impl Checked {
    /// The one item of `category` whose name contains `name`.
    fn item(&self, category: &str, name: &str) -> &Value {
        let found: Vec<&Value> = self
            .items
            .iter()
            .filter(|i| i["category"] == category && i["name"].as_str().unwrap().contains(name))
            .collect();
        assert_eq!(found.len(), 1, "{category} {name} in\n{}", self.text);
        found[0]
    }

    fn status(&self, category: &str, name: &str) -> &str {
        self.item(category, name)["status"].as_str().unwrap()
    }
}

/// `plan --check --format json` of `jenkinsfile` with `store`, `PATH` holding only `tools`
/// (stubs), and `env`.
fn check(jenkinsfile: &str, store: &str, tools: &[&str], env: &[(&str, &str)]) -> Checked {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in tools {
        let path = bin.join(tool);
        std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("Jenkinsfile"), jenkinsfile).unwrap();
    let creds = tmp.path().join("credentials.toml");
    std::fs::write(&creds, store).unwrap();
    std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = Command::new(BIN)
        .current_dir(&work)
        .args(["plan", "Jenkinsfile", "--check", "--format", "json"])
        .arg("--credentials")
        .arg(&creds)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", tmp.path())
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        // Nothing listens here unless a case says otherwise: no call leaves the machine.
        .env(
            "DOCKER_HOST",
            format!("unix://{}", tmp.path().join("no-docker.sock").display()),
        )
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let text = format!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    for secret in SECRETS {
        assert!(!text.contains(secret), "a secret leaked:\n{text}");
    }
    let plan: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {text}"));
    Checked {
        exit: output.status.code().unwrap_or(-1),
        items: plan["check"].as_array().cloned().unwrap_or_default(),
        text,
    }
}

fn docker_cli(args: &[&str]) {
    let status = Command::new("docker").args(args).status().unwrap();
    assert!(status.success(), "docker {args:?} failed");
}

/// `image` exists in `registry` but not in the engine: tag the base image, push, remove.
fn push_to_registry(base: &str, image: &str) {
    docker_cli(&["tag", base, image]);
    docker_cli(&["push", "-q", image]);
    docker_cli(&["rmi", image]);
}

fn aws_store(extra: &str) -> String {
    format!(
        "[aws-creds]\ntype = \"aws\"\naccess_key_id = \"{AWS_KEY}\"\nsecret_access_key = \"{AWS_SECRET}\"\n{extra}"
    )
}

/// Creates the ECR repository `name` in moto (region us-east-1, its default account).
fn create_repository(endpoint: &str, name: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = aws_sdk_ecr::Config::builder()
            .behavior_version(aws_sdk_ecr::config::BehaviorVersion::latest())
            .region(aws_sdk_ecr::config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(aws_sdk_ecr::config::Credentials::new(
                AWS_KEY, AWS_SECRET, None, None, "test",
            ))
            .build();
        aws_sdk_ecr::Client::from_conf(config)
            .create_repository()
            .repository_name(name)
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn images_in_the_engine_in_a_registry_and_absent() {
    let Some(env) = docker_env() else {
        return;
    };
    let [host, base, registry, auth_registry, user, password] = &env[..] else {
        unreachable!()
    };
    let present = format!("{registry}/{}:1", unique("plan-check/present"));
    let private = format!("{auth_registry}/{}:1", unique("plan-check/private"));
    let absent = format!("{registry}/plan-check/absent:1");
    push_to_registry(base, &present);
    // The htpasswd registry takes a push only after a login, in a config of this test's own.
    let config = tempfile::tempdir().unwrap();
    let cli = |args: &[&str]| {
        let mut c = Command::new("docker");
        c.env("DOCKER_CONFIG", config.path()).args(args);
        c
    };
    let mut child = cli(&["login", "-u", user, "--password-stdin", auth_registry])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), password.as_bytes()).unwrap();
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success(), "docker login failed");
    assert!(cli(&["tag", base, &private]).status().unwrap().success());
    assert!(cli(&["push", "-q", &private]).status().unwrap().success());
    assert!(cli(&["rmi", &private]).status().unwrap().success());
    let private_name = private.strip_prefix(&format!("{auth_registry}/")).unwrap();
    let jenkinsfile = format!(
        r"pipeline {{
    agent {{ docker {{ image '{base}' }} }}
    stages {{
        stage('Local') {{ steps {{ sh 'true' }} }}
        stage('Registry') {{
            agent {{ docker {{ image '{present}' }} }}
            steps {{ sh 'true' }}
        }}
        stage('Absent') {{
            agent {{ docker {{ image '{absent}' }} }}
            steps {{ sh 'true' }}
        }}
        stage('Private') {{
            agent {{ docker {{ image '{private_name}'; registryUrl 'http://{auth_registry}'; registryCredentialsId 'registry' }} }}
            steps {{ sh 'true' }}
        }}
    }}
}}
"
    );
    let store = |pw: &str| {
        format!(
            "[registry]\ntype = \"usernamePassword\"\nusername = \"{user}\"\npassword = \"{pw}\"\n"
        )
    };
    let checked = check(
        &jenkinsfile,
        &store(password),
        &[],
        &[("DOCKER_HOST", host)],
    );
    assert_eq!(checked.status("docker", "engine"), "ok", "{}", checked.text);
    assert_eq!(checked.status("docker", base), "ok", "{}", checked.text);
    assert_eq!(checked.status("docker", &present), "ok", "{}", checked.text);
    assert_eq!(
        checked.status("docker", &absent),
        "missing",
        "{}",
        checked.text
    );
    assert!(checked.item("docker", &absent)["hint"].is_string());
    assert_eq!(checked.status("docker", &private), "ok", "{}", checked.text);
    assert_eq!(checked.exit, 1, "{}", checked.text);

    // The registry refuses a wrong password: the image cannot be confirmed.
    let checked = check(
        &jenkinsfile,
        &store("wrong-NEVER-SHOWN"),
        &[],
        &[("DOCKER_HOST", host)],
    );
    assert_eq!(
        checked.status("docker", &private),
        "unreachable",
        "{}",
        checked.text
    );
    assert!(
        checked.item("docker", &private)["hint"]
            .as_str()
            .unwrap()
            .contains("registryCredentialsId"),
        "{}",
        checked.text
    );
    // A registry credential that is not in the store.
    let checked = check(&jenkinsfile, "", &[], &[("DOCKER_HOST", host)]);
    assert_eq!(
        checked.status("docker", &private),
        "missing",
        "{}",
        checked.text
    );
}

#[test]
fn no_engine_is_unreachable() {
    let checked = check(
        "pipeline { agent { docker { image 'busybox:1' } }\n stages { stage('a') { steps { sh 'true' } } } }\n",
        "",
        &[],
        &[],
    );
    let engine = checked.item("docker", "engine");
    assert_eq!(engine["status"], "unreachable", "{}", checked.text);
    assert!(
        engine["detail"]
            .as_str()
            .unwrap()
            .contains("no-docker.sock")
    );
    assert!(engine["hint"].as_str().unwrap().contains("DOCKER_HOST"));
    assert_eq!(checked.status("docker", "busybox:1"), "unreachable");
    assert_eq!(checked.exit, 1);
}

#[test]
fn missing_credential_and_tool() {
    let checked = check(
        r"pipeline {
    agent any
    stages {
        stage('a') {
            steps {
                // Before the binding: a run (and so the plan) stops at a missing credential.
                sh 'make build && npm test'
                withCredentials([string(credentialsId: 'absent-token', variable: 'T')]) {
                    sh 'make deploy'
                }
            }
        }
    }
}
",
        "",
        &["npm"],
        &[],
    );
    assert_eq!(checked.status("credential", "absent-token"), "missing");
    assert_eq!(checked.status("tool", "make"), "missing");
    assert_eq!(checked.status("tool", "npm"), "ok");
    assert_eq!(checked.exit, 1);
}

const ECR_PIPELINE: &str = r"pipeline {
    agent any
    environment {
        AWS_REGION = 'us-east-1'
        ECR_REPO = '@PRESENT@'
    }
    stages {
        stage('Push') {
            steps {
                withAWS(credentials: 'aws-creds', region: 'us-east-1') {
                    sh 'docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/@ABSENT@:1'
                }
            }
        }
    }
}
";

#[test]
fn aws_identity_and_ecr_repositories() {
    let Some(endpoint) = moto() else {
        return;
    };
    let present = unique("plan-check-present");
    let absent = unique("plan-check-absent");
    create_repository(&endpoint, &present);
    let jenkinsfile = ECR_PIPELINE
        .replace("@PRESENT@", &present)
        .replace("@ABSENT@", &absent);
    let env = [("AWS_ENDPOINT_URL", endpoint.as_str())];
    let checked = check(&jenkinsfile, &aws_store(""), &["docker"], &env);
    assert_eq!(
        checked.status("credential", "aws-creds"),
        "ok",
        "{}",
        checked.text
    );
    assert_eq!(
        checked.status("aws", "identity of withAWS"),
        "ok",
        "{}",
        checked.text
    );
    assert_eq!(checked.status("aws", &present), "ok", "{}", checked.text);
    let missing = checked.item("aws", &absent);
    assert_eq!(missing["status"], "missing", "{}", checked.text);
    assert!(
        missing["hint"]
            .as_str()
            .unwrap()
            .contains("create-repository")
    );
    assert_eq!(checked.exit, 1, "{}", checked.text);

    // An identity moto cannot reach: every AWS item says so.
    let checked = check(&jenkinsfile, &aws_store(""), &["docker"], &[]);
    assert_eq!(
        checked.status("aws", "identity of withAWS"),
        "unreachable",
        "{}",
        checked.text
    );
    assert!(
        checked.item("aws", "identity")["hint"]
            .as_str()
            .unwrap()
            .contains("AWS_ENDPOINT_URL")
    );
    assert_eq!(checked.status("aws", &present), "unreachable");
}

#[test]
fn all_ok_exits_zero() {
    let (Some(env), Some(endpoint)) = (docker_env(), moto()) else {
        return;
    };
    let (host, base) = (&env[0], &env[1]);
    let repo = unique("plan-check-all-ok");
    create_repository(&endpoint, &repo);
    let jenkinsfile = format!(
        r"pipeline {{
    agent any
    environment {{ ECR_REPOSITORY = '{repo}' }}
    stages {{
        stage('Build') {{
            agent {{ docker {{ image '{base}' }} }}
            steps {{ sh 'true' }}
        }}
        stage('Deploy') {{
            steps {{
                withCredentials([[$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'aws-creds']]) {{
                    sh 'make deploy'
                }}
            }}
        }}
    }}
}}
"
    );
    let checked = check(
        &jenkinsfile,
        &aws_store(""),
        &["make"],
        &[
            ("DOCKER_HOST", host),
            ("AWS_ENDPOINT_URL", &endpoint),
            ("AWS_REGION", "us-east-1"),
        ],
    );
    assert!(
        checked.items.iter().all(|i| i["status"] == "ok"),
        "{}",
        checked.text
    );
    for (category, name) in [
        ("docker", "engine"),
        ("docker", base.as_str()),
        ("aws", "identity of credential aws-creds"),
        ("aws", repo.as_str()),
        ("credential", "aws-creds"),
        ("tool", "make"),
    ] {
        assert_eq!(checked.status(category, name), "ok", "{}", checked.text);
    }
    assert_eq!(checked.exit, 0, "{}", checked.text);
}

#[test]
fn ecr_names_need_aws_keys_to_be_checked() {
    let checked = check(
        "pipeline { agent any\n environment { ECR_REPO = 'demo-app' }\n stages { stage('a') { steps { echo 'x' } } } }\n",
        "",
        &[],
        &[],
    );
    assert_eq!(
        checked.status("aws", "demo-app"),
        "not-checked",
        "{}",
        checked.text
    );
    assert_eq!(checked.exit, 0, "{}", checked.text);
}
