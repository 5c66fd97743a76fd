//! Secret files of `withCredentials` live in `<cwd>@tmp/secretFiles/<uuid>/` (directory 0700,
//! files 0400) and are gone when the block ends: after success, after a failure, after an
//! abort by `timeout`, and after Ctrl-C. The Jenkinsfile writes the paths and the modes it saw
//! into the workspace (the paths themselves are masked in the log).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::creds_support::BIN;

const STORE: &str = r#"
[f]
type = "file"
file = "secret.txt"

[k]
type = "sshUserPrivateKey"
username = "git"
private_key = "-----BEGIN KEY-----\nsecret-key-material\n-----END KEY-----"
"#;

fn jenkinsfile(inner: &str) -> String {
    format!(
        r#"node {{
    withCredentials([file(credentialsId: 'f', variable: 'F'), sshUserPrivateKey(credentialsId: 'k', keyFileVariable: 'K')]) {{
        sh '''
            echo "$F" > seen.txt
            echo "$K" >> seen.txt
            stat -c %a "$(dirname "$F")" "$(dirname "$(dirname "$F")")" "$F" "$K" > modes.txt
        '''
        {inner}
    }}
}}
"#
    )
}

fn setup(dir: &Path, inner: &str) -> Command {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(dir.join("Jenkinsfile"), jenkinsfile(inner)).unwrap();
    std::fs::write(dir.join("credentials.toml"), STORE).unwrap();
    std::fs::write(dir.join("secret.txt"), "file-secret-contents\n").unwrap();
    for f in ["credentials.toml", "secret.txt"] {
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut cmd = Command::new(BIN);
    cmd.arg("run")
        .arg(dir.join("Jenkinsfile"))
        .args(["--job", "demo", "--branch", "main", "--clean-env"])
        .arg("--home")
        .arg(dir.join("home"))
        .arg("--credentials")
        .arg(dir.join("credentials.toml"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn workspace(dir: &Path) -> std::path::PathBuf {
    dir.join("home/jobs/demo/workspace")
}

/// The files existed with the right modes, under `workspace@tmp/secretFiles/`, and are gone.
fn assert_cleaned(dir: &Path, stdout: &str) {
    let ws = workspace(dir);
    let seen = std::fs::read_to_string(ws.join("seen.txt")).expect("the body ran");
    let modes = std::fs::read_to_string(ws.join("modes.txt")).unwrap();
    assert_eq!(modes, "700\n700\n400\n400\n", "{stdout}");
    let paths: Vec<&str> = seen.lines().collect();
    assert_eq!(paths.len(), 2);
    let secret_files = dir.join("home/jobs/demo/workspace@tmp/secretFiles");
    for path in &paths {
        let path = Path::new(path);
        assert!(path.starts_with(&secret_files), "{}", path.display());
        assert!(!path.exists(), "{} is left behind", path.display());
        assert!(!path.parent().unwrap().exists());
    }
    assert_eq!(std::fs::read_dir(&secret_files).unwrap().count(), 0);
    // The files' paths are masked (the script's own `dirname` of them is not a secret).
    assert!(
        !stdout.contains(paths[0]) && !stdout.contains(paths[1]),
        "{stdout}"
    );
    assert!(!stdout.contains("secret-key-material"), "{stdout}");
}

#[test]
fn removed_after_success() {
    let dir = tempfile::tempdir().unwrap();
    let out = setup(dir.path(), "echo 'done'").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_cleaned(dir.path(), &stdout);
}

#[test]
fn removed_after_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = setup(dir.path(), "sh 'exit 4'").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("ERROR: script returned exit code 4"),
        "{stdout}"
    );
    assert_cleaned(dir.path(), &stdout);
}

#[test]
fn removed_after_a_timeout_abort() {
    let dir = tempfile::tempdir().unwrap();
    let file = jenkinsfile("sh 'sleep 30'");
    let file = file.replacen("node {", "node { timeout(time: 2, unit: 'SECONDS') {", 1) + "}\n";
    let mut cmd = setup(dir.path(), "");
    std::fs::write(dir.path().join("Jenkinsfile"), file).unwrap();
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(4), "ABORTED:\n{stdout}");
    assert_cleaned(dir.path(), &stdout);
}

#[test]
fn removed_after_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let child = setup(dir.path(), "sh 'sleep 30'").spawn().unwrap();
    let modes = workspace(dir.path()).join("modes.txt");
    let started = Instant::now();
    while std::fs::read_to_string(&modes).map_or(0, |m| m.lines().count()) < 4 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the body never ran"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Let the step reach its `sleep`.
    std::thread::sleep(Duration::from_millis(300));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert_cleaned(dir.path(), &stdout);
}
