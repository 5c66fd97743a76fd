//! `git url:, branch:, credentialsId:` (git-plugin `GitStep`) and the clone behind
//! `checkout([$class: 'GitSCM', …])`: init or reuse a repository in the current directory,
//! fetch the remote's branches and tags, check out the branch's head, and return the git
//! variables. The `git` step checks out a local branch (`GIT_LOCAL_BRANCH`); `checkout` leaves
//! HEAD detached, as Jenkins does, unless its extensions (`extensions.rs`) say otherwise.

mod auth;
mod command;
mod extensions;
mod revisions;
mod spec;
mod url;
mod workspace;

use std::path::Path;
use std::process::Stdio;

use serde_json::{Map, Value};

use self::auth::GitAuth;
pub(crate) use self::command::Git;
use self::command::TIMEOUT_MINUTES;
pub(crate) use self::extensions::Extensions;
pub(crate) use self::url::mask_password as mask_url_password;
pub(crate) use self::workspace::{clean, delete_contents};
use super::args::{optional_str, required_str};
use super::changelog::git_change_set;
use super::safety::confine;
use super::scm::nested_str;
use super::{Args, StepContext, StepError, StepFuture};

/// One remote and the branch to build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Remote {
    pub url: String,
    /// The branch spec as written (`main`, `*/main`, `refs/heads/main`, `*/release-*`, a tag
    /// or a sha), resolved by `spec::choose`.
    pub branch: String,
    pub credentials_id: Option<String>,
    pub extensions: Extensions,
}

impl Remote {
    /// From a `GitSCM` map (`$class: 'GitSCM'` or `scmGit(…)`): the first of
    /// `userRemoteConfigs` and of `branches`, and the extensions.
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
            // GitSCM's constructor: no branches means `*/master`.
            branch: branch
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| "*/master".to_owned()),
            credentials_id: nested_str(&remote, "credentialsId")?,
            extensions: Extensions::from_scm(scm)?,
        })
    }
}

pub(crate) fn git(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let remote = Remote {
            url: required_str("git", &args, "url")?,
            branch: optional_str("git", &args, "branch")?.unwrap_or_else(|| "master".to_owned()),
            credentials_id: optional_str("git", &args, "credentialsId")?,
            // `GitStep` always checks out a local branch named after the remote one.
            extensions: Extensions {
                local_branch: Some("**".to_owned()),
                ..Extensions::default()
            },
        };
        fetch_into(ctx, &remote).await.map(Value::Object)
    })
}

/// Why a fetch into an existing repository failed: in the repository itself (a fresh clone
/// may fix it) or elsewhere (the branch spec, the remote).
enum Failure {
    Local(StepError),
    Other(StepError),
}

/// Clones or fetches `remote` into the current directory (or its `RelativeTargetDirectory`)
/// and checks it out, printing what the git plugin prints. runtime-semantics.md §9 gives the
/// lines of a fetch into an existing checkout, in this order. It is silent on a first clone
/// and on the local branch: those lines follow the plugin's `GitSCM.retrieveChanges` and the
/// client's `CliGitAPIImpl` (`git init`, the fetch, then `git config` of the remote, `Avoid
/// second fetch`; `git branch -a -v --no-abbrev`, `git branch -D`, `git checkout -b`).
///
/// A repository that cannot be updated (history rewritten and collected under it, objects
/// lost) is not the user's problem to fix by hand: when the fetch or the checkout fails and
/// the remote still answers, the directory is wiped and the checkout starts again as a
/// clone, with a line saying so.
pub(crate) async fn fetch_into(
    ctx: &StepContext,
    remote: &Remote,
) -> Result<Map<String, Value>, StepError> {
    let ext = &remote.extensions;
    let mut dir = confine(ctx, &ctx.cwd, "git")?;
    if let Some(sub) = &ext.target_dir {
        dir = confine(ctx, &ctx.cwd.join(sub), "checkout")?;
    }
    // Before the URL is printed anywhere.
    url::mask_password(&ctx.emit, &remote.url);
    for warning in &ext.ignored {
        ctx.emit.log(warning);
    }
    ctx.emit.log("The recommended git tool is: NONE");
    // Held until the fetch is over: dropping it removes the key or askpass files.
    let auth = if let Some(id) = &remote.credentials_id {
        GitAuth::prepare(&ctx.host.credentials, id, &dir, &ctx.emit).await?
    } else {
        ctx.emit.log("No credentials specified");
        GitAuth::default()
    };
    if ext.wipe {
        ctx.emit.log("Wiping out workspace first.");
        delete_contents(&dir).map_err(|e| {
            StepError::failure(format!("java.io.IOException: {}: {e}", dir.display()))
        })?;
    }
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| StepError::failure(format!("java.io.IOException: {}: {e}", dir.display())))?;
    let git = Git {
        ctx,
        dir: &dir,
        env: &auth.env,
    };
    let git_dir = dir.join(".git");
    let mut existing = false;
    if std::fs::symlink_metadata(&git_dir).is_ok() {
        existing = git
            .probe(&[
                "rev-parse",
                "--resolve-git-dir",
                &git_dir.display().to_string(),
            ])
            .await?
            .is_some();
        if !existing {
            ctx.emit.log(format!(
                "{} is not a usable git repository: removing it and cloning again",
                git_dir.display()
            ));
            remove_git_dir(&git_dir)?;
        }
    }
    let announce = auth.announcement(remote.credentials_id.as_deref());
    let announce = announce.as_deref();
    let chosen = match update(&git, remote, existing, announce).await {
        Ok(chosen) => chosen,
        Err(Failure::Local(error)) if existing && reachable(&git, &remote.url).await => {
            ctx.emit
                .log(reclone_line(&dir, &remote.url, &git_reason(&error.message)));
            delete_contents(&dir).map_err(|e| {
                StepError::failure(format!("java.io.IOException: {}: {e}", dir.display()))
            })?;
            update(&git, remote, false, announce)
                .await
                .map_err(|f| match f {
                    Failure::Local(e) | Failure::Other(e) => e,
                })?
        }
        Err(Failure::Local(e) | Failure::Other(e)) => return Err(e),
    };
    let commit = chosen.commit.clone();
    let local_branch = ext.local_branch_for(chosen.branch.as_deref());
    if let Some(branch) = &local_branch {
        let listing = git.checked(&["branch", "-a", "-v", "--no-abbrev"]).await?;
        let exists = listing
            .lines()
            .filter_map(|line| line.get(2..)?.split_whitespace().next())
            .any(|name| name == branch);
        if exists {
            git.run(&["branch", "-D", branch]).await?;
        }
        git.run(&["checkout", "-b", branch, &commit]).await?;
    }
    if let Some(nested) = ext.clean_after {
        clean(&git, nested).await?;
    }
    if let Some(submodules) = &ext.submodules {
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
        .quiet(&["log", "-1", "--format=%s", &commit])
        .await
        .unwrap_or_default();
    ctx.emit
        .log(format!("Commit message: \"{}\"", subject.trim()));
    let record_url = url::without_password(&remote.url);
    let key = revisions::key(
        &record_url,
        chosen.branch.as_deref().unwrap_or(&chosen.label),
    );
    let previous = revisions::previous(&ctx.host.build_dir, &key);
    match &previous.commit {
        Some(from) => {
            let known = git.probe(&["rev-list", "--no-walk", from]).await?.is_some();
            match git_change_set(&dir, from, &commit).filter(|_| known) {
                Some(set) => ctx.host.changelog.push(set),
                None => ctx.emit.log(format!(
                    "Could not determine the changelog: the previous build's commit {from} is not in {}",
                    remote.url
                )),
            }
        }
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
    match &chosen.branch {
        Some(branch) => set("GIT_BRANCH", format!("origin/{branch}")),
        None => set("GIT_BRANCH", chosen.label.clone()),
    }
    if let Some(branch) = local_branch {
        set("GIT_LOCAL_BRANCH", branch);
    }
    if let Some(sub) = &ext.target_dir {
        set("GIT_CHECKOUT_DIR", sub.clone());
    }
    set("GIT_URL", remote.url.clone());
    Ok(vars)
}

/// Init (or reuse) the repository, fetch, choose the revision and check it out detached.
async fn update(
    git: &Git<'_>,
    remote: &Remote,
    existing: bool,
    announce: Option<&str>,
) -> Result<spec::Chosen, Failure> {
    let ctx = git.ctx;
    let ext = &remote.extensions;
    let other = Failure::Other;
    let refspec = "+refs/heads/*:refs/remotes/origin/*";
    if existing {
        ctx.emit
            .log("Fetching changes from the remote Git repository");
        git.run(&["config", "remote.origin.url", &remote.url])
            .await
            .map_err(Failure::Local)?;
        // `CleanBeforeCheckout` decorates the fetch of an existing repository only.
        if let Some(nested) = ext.clean_before {
            clean(git, nested).await.map_err(Failure::Local)?;
        }
    } else {
        ctx.emit.log("Cloning the remote Git repository");
        ctx.emit.log(format!("Cloning repository {}", remote.url));
        git.run(&["init", &git.dir.display().to_string()])
            .await
            .map_err(other)?;
    }
    ctx.emit
        .log(format!("Fetching upstream changes from {}", remote.url));
    let version = git.checked(&["--version"]).await.map_err(other)?;
    ctx.emit
        .log(format!(" > git --version # '{}'", version.trim()));
    if let Some(how) = announce {
        ctx.emit.log(how);
    }
    let depth = ext.clone.depth.map(|d| format!("--depth={d}"));
    let mut fetch = vec![
        "fetch",
        if ext.clone.no_tags {
            "--no-tags"
        } else {
            "--tags"
        },
        "--force",
        "--progress",
    ];
    fetch.extend(depth.as_deref());
    fetch.extend(["--", &remote.url, refspec]);
    let minutes = ext.clone.timeout.unwrap_or(TIMEOUT_MINUTES);
    git.checked_within(&fetch, minutes)
        .await
        .map_err(if existing { Failure::Local } else { other })?;
    if !existing {
        git.run(&["config", "remote.origin.url", &remote.url])
            .await
            .map_err(other)?;
        git.run(&["config", "--add", "remote.origin.fetch", refspec])
            .await
            .map_err(other)?;
        ctx.emit.log("Avoid second fetch");
    }
    let record_url = url::without_password(&remote.url);
    let built = revisions::built(&ctx.host.build_dir, &record_url);
    let chosen = spec::choose(git, &remote.branch, &built)
        .await
        .map_err(other)?;
    ctx.emit.log(format!(
        "Checking out Revision {} ({})",
        chosen.commit, chosen.label
    ));
    // The plugin asks whether sparse checkout is on; the answer (unset: status 1) only
    // decides whether it configures one, which this runtime does not support.
    git.probe(&["config", "core.sparsecheckout"])
        .await
        .map_err(other)?;
    git.run(&["checkout", "-f", &chosen.commit])
        .await
        .map_err(if existing { Failure::Local } else { other })?;
    Ok(chosen)
}

/// Whether the remote answers (`git ls-remote`), so that a failed fetch is the local
/// repository's fault.
async fn reachable(git: &Git<'_>, url: &str) -> bool {
    git.quiet(&["ls-remote", "--heads", "--", url])
        .await
        .is_ok()
}

/// The git command of a `GitException` message, for a one-line mention.
/// The line both checkouts (`git`/`checkout` of a remote, and `checkout scm`) print when
/// the workspace's repository cannot be updated and is cloned again.
pub(crate) fn reclone_line(dir: &Path, from: &str, reason: &str) -> String {
    format!(
        "The repository in {0} cannot be updated from {from} ({reason}): wiping {0} and cloning again",
        dir.display()
    )
}

/// `git <command>: <what git said>` from a `GitException` message (the command, its status,
/// stdout and stderr), for [`reclone_line`].
fn git_reason(message: &str) -> String {
    let command = message
        .strip_prefix("Command \"")
        .and_then(|rest| rest.split_once('"'))
        .map(|(command, _)| command);
    let said = message
        .split_once("\nstderr: ")
        .and_then(|(_, err)| err.lines().map(str::trim).find(|l| !l.is_empty()));
    match (command, said) {
        (Some(command), Some(said)) => format!("{command}: {said}"),
        _ => message.lines().next().unwrap_or(message).to_owned(),
    }
}

fn remove_git_dir(git_dir: &Path) -> Result<(), StepError> {
    let removed = match std::fs::symlink_metadata(git_dir) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(git_dir),
        Ok(_) => std::fs::remove_file(git_dir),
        Err(_) => Ok(()),
    };
    removed
        .map_err(|e| StepError::failure(format!("java.io.IOException: {}: {e}", git_dir.display())))
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
