//! `git url: 'ssh://…', credentialsId:` against a real OpenSSH server on 127.0.0.1: Debian's
//! `sshd` (openssh-server, installed by `scripts/install-deps`) started by the test with its
//! own configuration, host key and `authorized_keys` in a temporary directory, on a free
//! port, and stopped when the test ends. The key comes from a fixture credential store; the
//! build checks the host key against `known_hosts` (`StrictHostKeyChecking=yes`), which the
//! test provides through an `ssh` wrapper first on `PATH`, since ssh reads `~/.ssh` from the
//! password database, not from `$HOME`.
//!
//! sshd run by root needs its privilege-separation directory (`/run/sshd`), which the
//! service's start script normally creates: the test creates it when missing. sshd run by
//! another user can only log that user in, so the login is always the current user's.

use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::scm::origin_and_clone;
use crate::scm_golden::git_fixed;

const SSHD: &str = "/usr/sbin/sshd";

/// The sshd of one test; killed on drop.
struct Sshd {
    child: Child,
    port: u16,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

impl Sshd {
    fn start(dir: &Path, authorized: &Path) -> Self {
        assert!(
            Path::new(SSHD).exists(),
            "{SSHD} is missing: run scripts/install-deps (Debian's openssh-server)"
        );
        if rustix::process::getuid().is_root() {
            std::fs::create_dir_all("/run/sshd").unwrap();
        }
        let host_key = dir.join("host_key");
        keygen(&host_key);
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = dir.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nAuthorizedKeysFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin prohibit-password\nAllowUsers {}\nLogLevel ERROR\n",
                host_key.display(),
                dir.join("sshd.pid").display(),
                authorized.display(),
                user()
            ),
        )
        .unwrap();
        let child = Command::new(SSHD)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let sshd = Self { child, port };
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return sshd;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("sshd did not start on port {port}");
    }
}

#[test]
fn git_over_ssh_with_a_key_from_the_credential_store() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    let main = git_fixed(&work, &["rev-parse", "main"]);
    let keys = root.path().join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    let client_key = keys.join("id");
    keygen(&client_key);
    let authorized = keys.join("authorized_keys");
    std::fs::copy(keys.join("id.pub"), &authorized).unwrap();
    let sshd = Sshd::start(&keys, &authorized);

    // known_hosts for the server, and an `ssh` that reads it.
    let host_pub = std::fs::read_to_string(keys.join("host_key.pub")).unwrap();
    let known_hosts = keys.join("known_hosts");
    std::fs::write(
        &known_hosts,
        format!("[127.0.0.1]:{} {host_pub}", sshd.port),
    )
    .unwrap();
    let bin = root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let wrapper = bin.join("ssh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec /usr/bin/ssh -o UserKnownHostsFile={} -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes \"$@\"\n",
            known_hosts.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();

    let key_text = std::fs::read_to_string(&client_key).unwrap();
    let store = root.path().join("credentials.toml");
    std::fs::write(
        &store,
        format!(
            "[key]\ntype = \"sshUserPrivateKey\"\nusername = \"{}\"\nprivate_key = \"\"\"\n{key_text}\"\"\"\n",
            user()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o600)).unwrap();

    let url = format!("ssh://git@127.0.0.1:{}{}", sshd.port, origin.display());
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  def v = git url: '{url}', branch: 'main', credentialsId: 'key'\n  echo \"commit=${{v.GIT_COMMIT}}\"\n  sh 'cat README.md'\n  dir('unknown-host') {{\n    withEnv(['PATH=/usr/local/bin:/usr/bin:/bin']) {{\n      try {{\n        git url: '{url}', branch: 'main', credentialsId: 'key'\n      }} catch (e) {{\n        echo \"refused: ${{e.message}}\"\n      }}\n    }}\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let output = Command::new(crate::scm_golden::BIN)
        .arg("run")
        .arg(pipeline.join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(&home)
        .arg("--credentials")
        .arg(&store)
        .env_clear()
        .env("PATH", &path)
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    drop(sshd);
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("using credential key"), "{text}");
    assert!(
        text.contains("using GIT_SSH to set credentials key"),
        "{text}"
    );
    assert!(text.contains(&format!("commit={main}")), "{text}");
    assert!(text.contains("+ cat README.md\nv2\n"), "{text}");
    // Without the known_hosts entry, host key checking refuses the server.
    assert!(text.contains("refused: Command \"git fetch"), "{text}");
    assert!(text.contains("Host key verification failed."), "{text}");
    // No line of the private key in the log; the key file is gone.
    for line in key_text
        .lines()
        .filter(|l| l.len() >= 8 && !l.starts_with("-----"))
    {
        assert!(!text.contains(line), "{text}");
    }
    let mut left = Vec::new();
    collect(&home, &mut left);
    assert!(
        !left
            .iter()
            .any(|p| p.to_string_lossy().contains("git-credentials")),
        "{left:?}"
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() && !path.is_symlink() {
            collect(&path, out);
        }
        out.push(path);
    }
}
