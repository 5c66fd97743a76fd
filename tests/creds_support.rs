//! Helpers for the credentials tests: a copy of a fixture store with private permissions, and
//! a run of the real binary with it, returning stdout, stderr, the exit status and the stored
//! build log.

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// What one `jenkinsfile run` left behind.
pub(crate) struct Ran {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    pub log: String,
}

/// Copies `fixtures/creds/<case>` into `dir` (files 0600, as a user's store would be) and
/// returns the copy's path.
pub(crate) fn copy_case(case: &str, dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/creds")
        .join(case);
    let to = dir.join("case");
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        std::fs::copy(entry.path(), &target).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    to
}

/// Runs `case/Jenkinsfile` with `--credentials case/credentials.toml` in a fresh home under
/// `home`, with a clean environment plus `env`.
pub(crate) fn run(case: &Path, home: &Path, extra: &[&str], env: &[(&str, &str)]) -> Ran {
    let output = Command::new(BIN)
        .arg("run")
        .arg(case.join("Jenkinsfile"))
        .args(["--job", "demo", "--branch", "main", "--clean-env"])
        .arg("--home")
        .arg(home)
        .arg("--credentials")
        .arg(case.join("credentials.toml"))
        .args(extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let log = std::fs::read_to_string(home.join("jobs/demo/builds/1/log")).unwrap_or_default();
    Ran {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        code: output.status.code().unwrap_or(-1),
        log,
    }
}
