//! `git url:, branch:, credentialsId:` (git-plugin `GitStep`) and the clone behind
//! `checkout([$class: 'GitSCM', …])`: init or reuse a repository in the current directory,
//! fetch the remote's branches and tags, check out the branch's head, and return the git
//! variables. The `git` step checks out a local branch (`GIT_LOCAL_BRANCH`); `checkout` leaves
//! HEAD detached, as Jenkins does.

mod auth;
mod revisions;

use std::path::Path;
use std::process::Stdio;

use serde_json::{Map, Value};

use self::auth::GitAuth;
use super::args::{optional_str, required_str};
use super::changelog::git_change_set;
use super::safety::confine;
use super::scm::nested_str;
use super::{Args, StepContext, StepError, StepFuture};

/// One remote and the branch to build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Remote {
    pub url: String,
    /// The branch spec as written (`main`, `*/main`, `refs/heads/main`, a tag or a sha).
    pub branch: String,
    pub credentials_id: Option<String>,
    /// `extensions: [[$class: 'SubmoduleOption', …]]`, unless it disables submodules.
    pub submodules: Option<Submodules>,
}

/// The git plugin's `SubmoduleOption` fields this runtime honours.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Submodules {
    /// `recursiveSubmodules`.
    pub recursive: bool,
    /// `parentCredentials`: fetch the submodules with the parent's credentials.
    pub parent_credentials: bool,
}

impl Submodules {
    /// From a `GitSCM`'s `extensions`.
    fn from_extensions(scm: &Map<String, Value>) -> Result<Option<Self>, StepError> {
        let mut found = None;
        for extension in scm
            .get("extensions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(extension) = extension.as_object() else {
                continue;
            };
            let class = extension
                .get("$class")
                .and_then(Value::as_str)
                .unwrap_or("");
            let flag = |name: &str| extension.get(name).and_then(Value::as_bool) == Some(true);
            // Other extensions keep being ignored, as before this one was honoured.
            if class.rsplit('.').next().unwrap_or(class) != "SubmoduleOption" {
                continue;
            }
            if flag("disableSubmodules") {
                found = None;
                continue;
            }
            let reference = extension.get("reference").and_then(Value::as_str);
            for (name, set) in [
                ("shallow", flag("shallow")),
                ("trackingSubmodules", flag("trackingSubmodules")),
                ("reference", reference.is_some_and(|r| !r.is_empty())),
            ] {
                if set {
                    return Err(StepError::unsupported(format!(
                        "unsupported: SubmoduleOption's `{name}`: only recursiveSubmodules, parentCredentials and disableSubmodules are supported"
                    )));
                }
            }
            found = Some(Self {
                recursive: flag("recursiveSubmodules"),
                parent_credentials: flag("parentCredentials"),
            });
        }
        Ok(found)
    }
}

impl Remote {
    /// From a `GitSCM` map: the first of `userRemoteConfigs` and of `branches`.
    pub(crate) fn from_git_scm(scm: &Map<String, Value>) -> Result<Self, StepError> {
        let first = |name: &str| {
            scm.get(name)
                .and_then(Value::as_array)
                .and_then(|list| list.first())
                .and_then(Value::as_object)
                .cloned()
        };
        let remote = first("userRemoteConfigs").ok_or_else(|| {
            StepError::abort("checkout: GitSCM needs userRemoteConfigs: [[url: '…']]")
        })?;
        let url = nested_str(&remote, "url")?
            .ok_or_else(|| StepError::abort("checkout: GitSCM's remote has no url"))?;
        let branch = match first("branches") {
            Some(branch) => nested_str(&branch, "name")?,
            None => None,
        };
        Ok(Self {
            url,
            branch: branch.unwrap_or_else(|| "**".to_owned()),
            credentials_id: nested_str(&remote, "credentialsId")?,
            submodules: Submodules::from_extensions(scm)?,
        })
    }

    /// The branch name inside `refs/remotes/origin/`, if the spec names one.
    fn branch_name(&self) -> Option<&str> {
        let spec = self.branch.as_str();
        if spec == "**" || spec.is_empty() {
            return None;
        }
        let spec = spec
            .strip_prefix("*/")
            .or_else(|| spec.strip_prefix("origin/"))
            .or_else(|| spec.strip_prefix("refs/heads/"))
            .unwrap_or(spec);
        (!spec.starts_with("refs/")).then_some(spec)
    }
}

pub(crate) fn git(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let remote = Remote {
            url: required_str("git", &args, "url")?,
            branch: optional_str("git", &args, "branch")?.unwrap_or_else(|| "master".to_owned()),
            credentials_id: optional_str("git", &args, "credentialsId")?,
            submodules: None,
        };
        fetch_into(ctx, &remote, true).await.map(Value::Object)
    })
}

/// Clones or fetches `remote` into the current directory and checks it out.
pub(crate) async fn fetch_into(
    ctx: &StepContext,
    remote: &Remote,
    local_branch: bool,
) -> Result<Map<String, Value>, StepError> {
    let dir = confine(ctx, &ctx.cwd, "git")?;
    ctx.emit.log("The recommended git tool is: NONE");
    // Held until the fetch is over: dropping it removes the key or askpass files.
    let auth = if let Some(id) = &remote.credentials_id {
        GitAuth::prepare(&ctx.host.credentials, id, &dir, &ctx.emit).await?
    } else {
        ctx.emit.log("No credentials specified");
        GitAuth::default()
    };
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| StepError::failure(format!("java.io.IOException: {}: {e}", dir.display())))?;
    let git = Git {
        ctx,
        dir: &dir,
        env: &auth.env,
    };
    if dir.join(".git").exists() {
        ctx.emit
            .log("Fetching changes from the remote Git repository");
    } else {
        ctx.emit.log("Cloning the remote Git repository");
        ctx.emit.log(format!("Cloning repository {}", remote.url));
        git.run(&["init", "--quiet", &dir.display().to_string()])
            .await?;
    }
    git.run(&["config", "remote.origin.url", &remote.url])
        .await?;
    git.run(&[
        "config",
        "remote.origin.fetch",
        "+refs/heads/*:refs/remotes/origin/*",
    ])
    .await?;
    ctx.emit
        .log(format!("Fetching upstream changes from {}", remote.url));
    git.run(&[
        "fetch",
        "--tags",
        "--force",
        "--progress",
        "--",
        &remote.url,
        "+refs/heads/*:refs/remotes/origin/*",
    ])
    .await?;
    let (reference, commit) = resolve(&git, remote).await?;
    ctx.emit
        .log(format!("Checking out Revision {commit} ({reference})"));
    git.run(&["checkout", "-f", &commit]).await?;
    let branch = remote.branch_name().map(str::to_owned);
    if local_branch && let Some(branch) = &branch {
        git.run(&["checkout", "-B", branch, &commit]).await?;
    }
    if let Some(submodules) = &remote.submodules {
        let no_auth = Git {
            ctx,
            dir: &dir,
            env: &[],
        };
        let sub = if submodules.parent_credentials {
            &git
        } else {
            &no_auth
        };
        sub.run(&["submodule", "init"]).await?;
        sub.run(&["submodule", "sync"]).await?;
        let mut update = vec!["submodule", "update", "--init"];
        if submodules.recursive {
            update.push("--recursive");
        }
        sub.run(&update).await?;
    }
    let subject = git
        .output(&["log", "-1", "--format=%s", &commit])
        .await
        .unwrap_or_default();
    ctx.emit
        .log(format!("Commit message: \"{}\"", subject.trim()));
    let key = revisions::key(&remote.url, branch.as_deref().unwrap_or(&reference));
    let previous = revisions::previous(&ctx.host.build_dir, &key);
    match &previous.commit {
        Some(from) => match git_change_set(&dir, from, &commit) {
            Some(set) => ctx.host.changelog.push(set),
            None => ctx.emit.log(format!(
                "Could not determine the changelog: the previous build's commit {from} is not in {}",
                remote.url
            )),
        },
        None => ctx.emit.log("First time build. Skipping changelog."),
    }
    if !ctx.host.build_dir.as_os_str().is_empty()
        && let Err(e) = revisions::record(&ctx.host.build_dir, &key, &commit)
    {
        ctx.emit
            .log(format!("Warning: cannot record the built revision: {e}"));
    }
    let mut vars = Map::new();
    let mut set = |name: &str, value: String| {
        vars.insert(name.to_owned(), Value::String(value));
    };
    set("GIT_COMMIT", commit.clone());
    if let Some(from) = previous.commit {
        set("GIT_PREVIOUS_COMMIT", from);
    }
    if let Some(from) = previous.successful {
        set("GIT_PREVIOUS_SUCCESSFUL_COMMIT", from);
    }
    if let Some(branch) = &branch {
        set("GIT_BRANCH", format!("origin/{branch}"));
        if local_branch {
            set("GIT_LOCAL_BRANCH", branch.clone());
        }
    }
    set("GIT_URL", remote.url.clone());
    Ok(vars)
}

/// The commit a branch spec names: `refs/remotes/origin/<branch>`, else a tag or a sha.
async fn resolve(git: &Git<'_>, remote: &Remote) -> Result<(String, String), StepError> {
    let mut candidates = Vec::new();
    if let Some(name) = remote.branch_name() {
        candidates.push(format!("refs/remotes/origin/{name}"));
        candidates.push(format!("refs/tags/{name}"));
        candidates.push(name.to_owned());
    } else if remote.branch.starts_with("refs/") {
        candidates.push(remote.branch.clone());
    } else {
        for head in ["master", "main"] {
            candidates.push(format!("refs/remotes/origin/{head}"));
        }
    }
    for reference in candidates {
        if let Ok(commit) = git
            .output(&[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{reference}^{{commit}}"),
            ])
            .await
        {
            return Ok((reference, commit.trim().to_owned()));
        }
    }
    Err(StepError::abort(
        "Couldn't find any revision to build. Verify the repository and branch configuration for this job.",
    ))
}

/// git in one directory, echoing each command as the git plugin does (` > git …`).
struct Git<'a> {
    ctx: &'a StepContext,
    dir: &'a Path,
    env: &'a [(String, String)],
}

impl Git<'_> {
    async fn run(&self, args: &[&str]) -> Result<(), StepError> {
        self.ctx.emit.log(format!(" > git {}", args.join(" ")));
        let output = self.spawn(args).await?;
        if output.status.success() {
            Ok(())
        } else {
            // The git client's GitException: the command, its status, and what git said.
            Err(StepError::abort(format!(
                "Command \"git {}\" returned status code {}:\nstdout: {}\nstderr: {}",
                args.join(" "),
                output.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&output.stdout).trim_end(),
                String::from_utf8_lossy(&output.stderr).trim_end(),
            )))
        }
    }

    async fn output(&self, args: &[&str]) -> Result<String, StepError> {
        let output = self.spawn(args).await?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(StepError::abort(format!("git {} failed", args.join(" "))))
        }
    }

    async fn spawn(&self, args: &[&str]) -> Result<std::process::Output, StepError> {
        let mut command = tokio::process::Command::new("git");
        if !self.env.is_empty() {
            // With a credentialsId, no credential helper of the user's may answer instead of
            // it, nor store the password it gave (`credential.helper=store` writes
            // `~/.git-credentials`): an empty value resets git's list of helpers.
            command.args(["-c", "credential.helper="]);
        }
        command
            .arg("-C")
            .arg(self.dir)
            .args(args)
            .env_clear()
            .envs(&self.ctx.env)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .process_group(0);
        let io = |e: std::io::Error| {
            StepError::failure(format!("java.io.IOException: cannot run git: {e}"))
        };
        let child = command.spawn().map_err(io)?;
        // git's helpers (`git-remote-http`, ssh) carry the password in their environment:
        // cancelling kills all of them, not git alone.
        let group = Group::of(child.id());
        tokio::select! {
            output = child.wait_with_output() => {
                group.disarm();
                output.map_err(io)
            }
            reason = self.ctx.cancel.cancelled() => Err(StepError::interrupted(&*reason)),
        }
    }
}

/// The process group of one git command, killed when dropped before [`Group::disarm`].
struct Group(Option<rustix::process::Pid>);

impl Group {
    fn of(pid: Option<u32>) -> Self {
        Self(
            pid.and_then(|raw| i32::try_from(raw).ok())
                .and_then(rustix::process::Pid::from_raw),
        )
    }

    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(pgid) = self.0 {
            // ESRCH (the group is already gone) is the outcome we want.
            let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL);
        }
    }
}

/// A query on a repository outside any step: trimmed stdout, or `None`.
pub(crate) fn query(repo: &Path, args: &[&str]) -> Option<String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_owned())
}
