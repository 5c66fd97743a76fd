//! Planning has no side effects, by construction: destructive pipelines are planned in a
//! temporary git repository with `DOCKER_HOST`, `AWS_ENDPOINT_URL`, a registry and a
//! Kubernetes API pointed at loopback listeners that count connections, and with recording
//! shims for `sh`, `docker`, `aws`, `git` and `kubectl` first on `PATH`; the repository has its
//! own credential store. Afterwards the repository is byte-identical, no build home exists,
//! every listener saw zero connections and no shim ran. `plan --check`, which reads from the
//! engine and AWS on purpose, runs after the listeners close, and changes nothing either.

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use crate::support::{git, tree};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// A loopback listener that counts the connections it accepts until stopped.
struct Counter {
    port: u16,
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Counter {
    fn start() -> Counter {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let count = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (Arc::clone(&count), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok(_) => {
                        c.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        });
        Counter {
            port,
            count,
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> usize {
        // Anything that connected did so before the plan exited; one more poll catches it.
        std::thread::sleep(std::time::Duration::from_millis(50));
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        self.count.load(Ordering::SeqCst)
    }
}

fn digest(dir: &Path) -> String {
    let mut hasher = Sha256::new();
    for (path, bytes) in tree(dir) {
        hasher.update(path.display().to_string().as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
    }
    format!("{:x}", hasher.finalize())
}

fn shims(dir: &Path, log: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::create_dir_all(dir).unwrap();
    for tool in [
        "sh", "bash", "docker", "aws", "git", "kubectl", "helm", "rm", "touch",
    ] {
        let path = dir.join(tool);
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\necho \"{tool} $*\" >> '{}'\nexit 0\n",
                log.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

const SCRIPTED: &str = r#"
node {
    stage('Wreck') {
        sh 'rm -rf ./* .git'
        sh 'touch marker'
        deleteDir()
        writeFile file: 'README.md', text: 'gone'
        def out = sh(script: 'docker images -q', returnStdout: true)
        if (out.trim()) {
            sh "docker rmi ${out}"
        }
        archiveArtifacts artifacts: '**'
        stash name: 'everything', includes: '**'
        withCredentials([string(credentialsId: 'token', variable: 'TOKEN')]) {
            sh 'curl -H "Authorization: $TOKEN" https://example.invalid'
        }
        git url: 'https://example.invalid/repo.git', branch: 'main'
        input message: 'Really?'
        mail to: 'x@example.invalid', subject: 's', body: 'b'
    }
}
"#;

fn declarative(registry: u16) -> String {
    format!(
        r"
pipeline {{
    agent {{ docker {{ image '127.0.0.1:{registry}/builder:1' }} }}
    environment {{ AWS = credentials('aws-creds') }}
    stages {{
        stage('Push') {{
            steps {{
                sh 'docker build -t 127.0.0.1:{registry}/app:1 . && docker push 127.0.0.1:{registry}/app:1'
                sh 'aws ecr describe-repositories && aws s3 rm s3://bucket --recursive'
                sh 'kubectl delete namespace prod'
                sh 'git push --force origin main'
                writeFile file: 'out.txt', text: 'x'
                deleteDir()
            }}
        }}
    }}
    post {{ always {{ cleanWs() }} }}
}}
"
    )
}

#[test]
fn planning_destructive_pipelines_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::write(repo.join("README.md"), "keep me\n").unwrap();
    std::fs::write(repo.join("src/main.c"), "int main(void) { return 0; }\n").unwrap();
    let (docker, aws, registry, kube) = (
        Counter::start(),
        Counter::start(),
        Counter::start(),
        Counter::start(),
    );
    std::fs::write(repo.join("Jenkinsfile"), declarative(registry.port)).unwrap();
    std::fs::write(repo.join("Scripted.groovy"), SCRIPTED).unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/plan/destructive/Jenkinsfile");
    std::fs::copy(&fixture, repo.join("Destructive.groovy")).unwrap();
    std::fs::write(
        repo.join("kubeconfig"),
        format!(
            "apiVersion: v1\nclusters:\n- cluster: {{server: 'http://127.0.0.1:{}'}}\n  name: c\n",
            kube.port
        ),
    )
    .unwrap();
    // A repository credential store: loading it must not run `git check-ignore` either.
    std::fs::create_dir_all(repo.join(".jenkinsfile")).unwrap();
    std::fs::write(
        repo.join(".jenkinsfile/credentials.toml"),
        "[token]\ntype = \"string\"\nsecret = \"side-effect-token\"\n\n[aws-creds]\ntype = \"aws\"\naccess_key_id = \"AKIASIDEEFFECT000001\"\nsecret_access_key = \"side-effect-aws\"\n",
    )
    .unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "init"]);
    let before = tree(&repo);
    let before_digest = digest(&repo);
    let log = tmp.path().join("shim.log");
    let bin = tmp.path().join("shims");
    shims(&bin, &log);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    for file in ["Jenkinsfile", "Scripted.groovy", "Destructive.groovy"] {
        for extra in [
            &["--format", "text"][..],
            &["--format", "json"],
            &["--format", "mermaid"],
        ] {
            let output = Command::new(BIN)
                .current_dir(&repo)
                .args(["plan", file, "--branch", "main"])
                .args(extra)
                .env_clear()
                .env("PATH", &bin)
                .env("HOME", &home)
                .env("XDG_DATA_HOME", home.join("data"))
                .env("XDG_CONFIG_HOME", home.join("config"))
                .env("DOCKER_HOST", format!("tcp://127.0.0.1:{}", docker.port))
                .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{}", aws.port))
                .env("KUBECONFIG", repo.join("kubeconfig"))
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                !stdout.is_empty(),
                "{file} {extra:?} printed nothing: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            if extra[0] == "--format" {
                // The plan shows what it would run.
                assert!(
                    stdout.contains("sh") || stdout.contains("flowchart"),
                    "{stdout}"
                );
            }
        }
    }
    let (docker_port, aws_port) = (docker.port, aws.port);
    let connections = [
        ("docker", docker.finish()),
        ("aws", aws.finish()),
        ("registry", registry.finish()),
        ("kubernetes", kube.finish()),
    ];
    assert_eq!(
        connections.iter().map(|c| c.1).sum::<usize>(),
        0,
        "connections: {connections:?}"
    );
    // `--check` is the preflight: it does ask the engine and AWS (a ping, an image inspect,
    // GetCallerIdentity, DescribeRepositories: reads only), so it runs once the listeners are
    // gone, and must still change no file and run no tool.
    for file in ["Jenkinsfile", "Scripted.groovy", "Destructive.groovy"] {
        let output = Command::new(BIN)
            .current_dir(&repo)
            .args(["plan", file, "--branch", "main", "--check"])
            .env_clear()
            .env("PATH", &bin)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("DOCKER_HOST", format!("tcp://127.0.0.1:{docker_port}"))
            .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{aws_port}"))
            .env("KUBECONFIG", repo.join("kubeconfig"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("Check:"), "{file} --check: {stdout}");
    }
    let ran = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(ran.is_empty(), "shims ran:\n{ran}");
    let after = tree(&repo);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files appeared or vanished"
    );
    assert!(before == after, "a file changed");
    assert_eq!(before_digest, digest(&repo));
    let home_files = tree(&home);
    assert!(
        home_files.is_empty(),
        "planning wrote {:?}",
        home_files.keys()
    );
}
