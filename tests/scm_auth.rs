//! `git url:, credentialsId:` against a real server on loopback: git's own `git http-backend`
//! behind a small HTTP server that checks Basic auth (`fixtures/scm/git-http-server.py`). A
//! wrong password fails with git's message, the right one clones, the password shows up
//! nowhere, and the askpass files are gone afterwards.

use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::scm::origin_and_clone;
use crate::scm_golden::{git_fixed, run_in};

pub(crate) const PASSWORD: &str = "s3cret-Pa55word-http";
const WRONG: &str = "wrong-Pa55word-http";

/// The server, serving the bare repositories under a directory; killed on drop.
pub(crate) struct HttpGit {
    child: Child,
    pub(crate) port: u16,
}

impl HttpGit {
    pub(crate) fn start(root: &Path) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scm/git-http-server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(root)
            .args(["alice", PASSWORD])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the test's git HTTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("no port from the git HTTP server: {line:?}"));
        Self { child, port }
    }
}

impl Drop for HttpGit {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `dir`, recursively.
pub(crate) fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() && !path.is_symlink() {
            files(&path, out);
        }
        out.push(path);
    }
}

#[test]
fn git_with_a_username_and_password_clones_over_http_basic_auth() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    let main = git_fixed(&work, &["rev-parse", "main"]);
    let server = HttpGit::start(root.path());
    let url = format!("http://127.0.0.1:{}/origin.git", server.port);
    // Without credentials the server refuses: it really checks.
    let refused = Command::new("git")
        .args(["ls-remote", &url])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", root.path())
        .output()
        .unwrap();
    assert!(!refused.status.success());

    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    let store = root.path().join("credentials.toml");
    std::fs::write(
        &store,
        format!(
            "[http-ok]\ntype = \"usernamePassword\"\nusername = \"alice\"\npassword = \"{PASSWORD}\"\n\n[http-bad]\ntype = \"usernamePassword\"\nusername = \"alice\"\npassword = \"{WRONG}\"\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  dir('bad') {{\n    try {{\n      git url: '{url}', branch: 'main', credentialsId: 'http-bad'\n    }} catch (e) {{\n      echo \"caught: ${{e.message}}\"\n    }}\n  }}\n  dir('good') {{\n    def v = git url: '{url}', branch: 'main', credentialsId: 'http-ok'\n    echo \"commit=${{v.GIT_COMMIT}}\"\n    sh 'git rev-parse HEAD; cat README.md'\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    // A user whose git stores every login: the build's credentials must not end up there.
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".gitconfig"), "[credential]\n\thelper = store\n").unwrap();
    let (text, code) = run_in(
        &pipeline,
        &home,
        &["--credentials".to_owned(), store.display().to_string()],
    );
    drop(server);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("using credential http-bad"), "{text}");
    assert!(
        text.contains(&format!(
            "caught: Command \"git fetch --tags --force --progress -- {url} +refs/heads/*:refs/remotes/origin/*\" returned status code 128:"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("fatal: Authentication failed for '{url}/'")),
        "{text}"
    );
    assert!(text.contains("using credential http-ok"), "{text}");
    assert!(text.contains(&format!("commit={main}")), "{text}");
    assert!(
        text.contains(&format!("+ git rev-parse HEAD\n{main}\n")),
        "{text}"
    );
    let mut recorded = Vec::new();
    files(&home, &mut recorded);
    for path in &recorded {
        assert!(
            !path.to_string_lossy().contains("git-credentials"),
            "left behind: {}",
            path.display()
        );
        if path.is_file() {
            let bytes = std::fs::read(path).unwrap();
            let content = String::from_utf8_lossy(&bytes);
            for secret in [PASSWORD, WRONG] {
                assert!(
                    !content.contains(secret),
                    "{} holds a password",
                    path.display()
                );
            }
        }
    }
    assert!(
        !home.join(".git-credentials").exists(),
        "the user's credential helper stored the build's login"
    );
    let log = std::fs::read_to_string(home.join("jobs/demo/builds/1/log")).unwrap();
    assert!(log.contains("using credential http-ok"), "{log}");
    for secret in [PASSWORD, WRONG] {
        assert!(!text.contains(secret), "{text}");
    }
}
