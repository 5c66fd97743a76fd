//! A `credentialsId` for git, as the git client plugin (`CliGitAPIImpl`) uses it: a username
//! and password through a `GIT_ASKPASS` script, an SSH key through `GIT_SSH_COMMAND` with a
//! 0600 key file. The script prints values it reads from the environment of the git process,
//! so no secret is ever written into it. The files live in a private directory under the
//! workspace's `@tmp`, removed when the [`GitAuth`] drops, whether the fetch succeeded,
//! failed or was interrupted. Every secret goes to the masking stage before git runs.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::creds::{CredError, Credential, Store};
use crate::report::{Emitter, Event};
use crate::steps::StepError;
use crate::steps::tmp_dir;

/// Variables the askpass scripts read; only the git process sees them.
const USERNAME_VAR: &str = "JENKINSFILE_GIT_USERNAME";
const PASSWORD_VAR: &str = "JENKINSFILE_GIT_PASSWORD";
const PASSPHRASE_VAR: &str = "JENKINSFILE_SSH_PASSPHRASE";

/// The start of the name of each fetch's private directory under `@tmp`.
const DIR_PREFIX: &str = "git-credentials";

/// The git client's default host key verification (`KnownHostsFileVerificationStrategy`):
/// only hosts already in `~/.ssh/known_hosts` are trusted.
const HOST_KEY_CHECKING: &str = "StrictHostKeyChecking=yes";

/// Lines of a key shorter than this are not masked (too likely to be common text).
const MIN_MASKED_LINE: usize = 8;

/// The environment that lets git authenticate, and the files behind it.
#[derive(Debug, Default)]
pub(crate) struct GitAuth {
    pub env: Vec<(String, String)>,
    dir: Option<PathBuf>,
    /// How git gets the credential: `GIT_ASKPASS` or `GIT_SSH`.
    via: Option<&'static str>,
}

impl Drop for GitAuth {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl GitAuth {
    /// Resolves `id` from the store and prepares git's environment for it. A missing id is
    /// a warning and the fetch goes on without credentials, as the git plugin does.
    pub(crate) async fn prepare(
        store: &Store,
        id: &str,
        cwd: &Path,
        emit: &Emitter,
    ) -> Result<GitAuth, StepError> {
        let credential = match store.resolve(id).await {
            Ok(credential) => credential,
            Err(CredError::NotFound { .. }) => {
                emit.log(format!(
                    "Warning: CredentialId \"{id}\" could not be found."
                ));
                return Ok(GitAuth::default());
            }
            Err(e) => return Err(StepError::abort(e.to_string())),
        };
        emit.log(format!("using credential {id}"));
        let mut auth = GitAuth::default();
        match credential {
            Credential::UsernamePassword {
                username,
                password,
                username_secret,
            } => {
                let mut secrets = vec![password.clone()];
                if username_secret {
                    secrets.push(username.clone());
                }
                register(emit, secrets);
                let script = auth.file(cwd, "pass", ".sh", 0o700, &askpass_script())?;
                auth.via = Some("GIT_ASKPASS");
                auth.set("GIT_ASKPASS", script.display().to_string());
                auth.set("SSH_ASKPASS", script.display().to_string());
                auth.set(USERNAME_VAR, username);
                auth.set(PASSWORD_VAR, password);
            }
            Credential::SshUserPrivateKey {
                username,
                mut private_key,
                passphrase,
                username_secret,
            } => {
                let mut secrets: Vec<String> = private_key
                    .lines()
                    .map(str::trim)
                    .filter(|l| l.chars().count() >= MIN_MASKED_LINE)
                    .map(str::to_owned)
                    .collect();
                secrets.extend(passphrase.clone().filter(|p| !p.is_empty()));
                if username_secret {
                    secrets.push(username.clone());
                }
                register(emit, secrets);
                if !private_key.ends_with('\n') {
                    private_key.push('\n');
                }
                let key = auth.file(cwd, "ssh", ".key", 0o600, private_key.as_bytes())?;
                auth.via = Some("GIT_SSH");
                auth.set("GIT_SSH_COMMAND", ssh_command(&key, &username));
                if let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) {
                    let script = auth.file(cwd, "pass", ".sh", 0o700, &passphrase_script())?;
                    auth.set("SSH_ASKPASS", script.display().to_string());
                    auth.set("SSH_ASKPASS_REQUIRE", "force".to_owned());
                    auth.set("DISPLAY", ":0".to_owned());
                    auth.set(PASSPHRASE_VAR, passphrase);
                }
            }
            other => {
                return Err(StepError::abort(format!(
                    "credential '{id}' is of type '{}': git takes a usernamePassword or an sshUserPrivateKey",
                    other.kind()
                )));
            }
        }
        Ok(auth)
    }

    /// The client's line after `git --version` (`using GIT_ASKPASS to set credentials <id>`);
    /// it names the credential's description, which a local store does not have: the id.
    pub(crate) fn announcement(&self, id: Option<&str>) -> Option<String> {
        Some(format!(
            "using {} to set credentials {}",
            self.via?,
            id.unwrap_or("")
        ))
    }

    fn set(&mut self, name: &str, value: String) {
        self.env.push((name.to_owned(), value));
    }

    /// Writes one file into this fetch's private directory (created on first use, 0700).
    fn file(
        &mut self,
        cwd: &Path,
        prefix: &str,
        suffix: &str,
        mode: u32,
        contents: &[u8],
    ) -> Result<PathBuf, StepError> {
        let io = |e: std::io::Error, path: &Path| {
            StepError::failure(format!("java.io.IOException: {}: {e}", path.display()))
        };
        if self.dir.is_none() {
            let parent = tmp_dir(cwd);
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&parent)
                .map_err(|e| io(e, &parent))?;
            remove_stale(&parent);
            let dir = parent.join(unique_name(DIR_PREFIX));
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(&dir)
                .map_err(|e| io(e, &dir))?;
            self.dir = Some(dir);
        }
        let dir = self.dir.as_ref().map_or_else(PathBuf::new, Clone::clone);
        let path = dir.join(format!("{prefix}{}{suffix}", unique_name("")));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&path)
            .map_err(|e| io(e, &path))?;
        file.write_all(contents).map_err(|e| io(e, &path))?;
        Ok(path)
    }
}

/// Removes the credential directories of processes that are gone (killed before their
/// [`GitAuth`] dropped): a directory's name starts with its process id, so the directories
/// of this process and of builds still running in the same workspace stay.
fn remove_stale(parent: &Path) {
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
            continue;
        };
        let owner = rest
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<i32>().ok())
            .and_then(rustix::process::Pid::from_raw);
        let alive = owner.is_some_and(|pid| {
            !matches!(
                rustix::process::test_kill_process(pid),
                Err(rustix::io::Errno::SRCH)
            )
        });
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Hands secrets to the masking stage.
fn register(emit: &Emitter, secrets: Vec<String>) {
    let values: Vec<String> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
    if !values.is_empty() {
        emit.emit(Event::Secrets { values });
    }
}

/// git asks `Username for '…': ` and `Password for '…': `.
fn askpass_script() -> Vec<u8> {
    format!(
        "#!/bin/sh\ncase \"$1\" in\n  [Uu]sername*) printf '%s\\n' \"${USERNAME_VAR}\" ;;\n  *) printf '%s\\n' \"${PASSWORD_VAR}\" ;;\nesac\n"
    )
    .into_bytes()
}

/// ssh asks for the key's passphrase.
fn passphrase_script() -> Vec<u8> {
    format!("#!/bin/sh\nprintf '%s\\n' \"${PASSPHRASE_VAR}\"\n").into_bytes()
}

/// `ssh -i <key> -l <user> -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes`, quoted for
/// the shell git runs it with.
pub(crate) fn ssh_command(key: &Path, username: &str) -> String {
    let mut command = format!("ssh -i {}", shell_quote(&key.display().to_string()));
    if !username.is_empty() {
        command.push_str(" -l ");
        command.push_str(&shell_quote(username));
    }
    command.push_str(" -o IdentitiesOnly=yes -o ");
    command.push_str(HOST_KEY_CHECKING);
    command
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A name no other fetch of this process or another uses at the same time.
fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;
    use std::path::Path;

    use super::{GitAuth, ssh_command};
    use crate::creds::{Store, StoreOptions};
    use crate::report::{Emitter, Event};

    fn store(dir: &Path, toml: &str) -> Store {
        let file = dir.join("credentials.toml");
        std::fs::write(&file, toml).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        Store::load(&StoreOptions {
            files: vec![file],
            ..StoreOptions::default()
        })
        .unwrap()
        .0
    }

    fn prepare(store: &Store, id: &str, cwd: &Path) -> (GitAuth, Vec<Event>) {
        let (emit, mut rx) = Emitter::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let auth = runtime
            .block_on(GitAuth::prepare(store, id, cwd, &emit))
            .unwrap();
        drop(emit);
        let mut events = Vec::new();
        while let Ok(record) = rx.try_recv() {
            events.push(record.event);
        }
        (auth, events)
    }

    fn env<'a>(auth: &'a GitAuth, name: &str) -> Option<&'a str> {
        auth.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn an_ssh_key_is_a_0600_file_named_by_git_ssh_command_and_removed_on_drop() {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("ws");
        std::fs::create_dir_all(&ws).unwrap();
        let store = store(
            root.path(),
            "[deploy]\ntype = \"sshUserPrivateKey\"\nusername = \"git\"\nprivate_key = \"-----BEGIN KEY-----\\nsecret-key-body-123\\n-----END KEY-----\"\npassphrase = \"pass-phrase-9\"\n",
        );
        let (auth, events) = prepare(&store, "deploy", &ws);
        let command = env(&auth, "GIT_SSH_COMMAND").unwrap();
        let key = command
            .strip_prefix("ssh -i '")
            .and_then(|rest| rest.split_once('\''))
            .map(|(path, _)| Path::new(path).to_path_buf())
            .unwrap();
        assert!(key.starts_with(root.path().join("ws@tmp")), "{command}");
        assert!(
            command.ends_with("' -l 'git' -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"),
            "{command}"
        );
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(
            std::fs::read_to_string(&key)
                .unwrap()
                .contains("secret-key-body-123")
        );
        assert_eq!(env(&auth, "SSH_ASKPASS_REQUIRE"), Some("force"));
        let askpass = std::fs::read_to_string(env(&auth, "SSH_ASKPASS").unwrap()).unwrap();
        assert!(!askpass.contains("pass-phrase-9"), "{askpass}");
        let masked: Vec<String> = events
            .into_iter()
            .filter_map(|e| match e {
                Event::Secrets { values } => Some(values),
                _ => None,
            })
            .flatten()
            .collect();
        assert!(
            masked.contains(&"secret-key-body-123".to_owned()),
            "{masked:?}"
        );
        assert!(masked.contains(&"pass-phrase-9".to_owned()), "{masked:?}");
        drop(auth);
        assert!(!key.exists());
        assert!(!key.parent().unwrap().exists());
    }

    #[test]
    fn a_password_is_read_from_the_environment_not_written_into_the_script() {
        let root = tempfile::tempdir().unwrap();
        let store = store(
            root.path(),
            "[http]\ntype = \"usernamePassword\"\nusername = \"alice\"\npassword = \"pw-in-env-only\"\n",
        );
        let (auth, _) = prepare(&store, "http", &root.path().join("ws"));
        let script = env(&auth, "GIT_ASKPASS").unwrap().to_owned();
        let text = std::fs::read_to_string(&script).unwrap();
        assert!(
            !text.contains("pw-in-env-only") && !text.contains("alice"),
            "{text}"
        );
        let mode = std::fs::metadata(&script).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        let output = std::process::Command::new(&script)
            .arg("Password for 'http://alice@127.0.0.1': ")
            .env_clear()
            .envs(auth.env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stdout), "pw-in-env-only\n");
        drop(auth);
        assert!(!Path::new(&script).exists());
    }

    #[test]
    fn directories_of_dead_processes_are_removed_before_a_new_one_is_made() {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("ws");
        let tmp = root.path().join("ws@tmp");
        // Above any pid_max: no such process.
        let dead = tmp.join("git-credentials2147483646-0-1");
        let live = tmp.join(format!("git-credentials{}-99-1", std::process::id()));
        let other = tmp.join("unrelated");
        for dir in [&dead, &live, &other] {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(dead.join("pass1.sh"), "x").unwrap();
        let store = store(
            root.path(),
            "[http]\ntype = \"usernamePassword\"\nusername = \"alice\"\npassword = \"pw\"\n",
        );
        let (auth, _) = prepare(&store, "http", &ws);
        assert!(!dead.exists());
        assert!(live.exists());
        assert!(other.exists());
        drop(auth);
    }

    #[test]
    fn ssh_command_names_the_key_the_user_and_jenkins_host_key_checking() {
        assert_eq!(
            ssh_command(Path::new("/ws@tmp/git-credentials-1/ssh1.key"), "git"),
            "ssh -i '/ws@tmp/git-credentials-1/ssh1.key' -l 'git' -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
        );
        assert_eq!(
            ssh_command(Path::new("/it's here/k"), ""),
            "ssh -i '/it'\\''s here/k' -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
        );
    }
}
