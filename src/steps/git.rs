//! `git url:, branch:, credentialsId:` (git-plugin `GitStep`) and the clone behind
//! `checkout([$class: 'GitSCM', …])`: init or reuse a repository in the current directory,
//! fetch the remote's branches and tags, check out the branch's head, and return the git
//! variables. The `git` step checks out a local branch (`GIT_LOCAL_BRANCH`); `checkout` leaves
//! HEAD detached, as Jenkins does.

mod auth;
mod command;
mod revisions;
mod spec;
mod url;

use std::path::Path;
use std::process::Stdio;

use serde_json::{Map, Value};

use self::auth::GitAuth;
use self::command::Git;
pub(crate) use self::url::mask_password as mask_url_password;
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
            // GitSCM's constructor: no branches means `*/master`.
            branch: branch
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| "*/master".to_owned()),
            credentials_id: nested_str(&remote, "credentialsId")?,
            submodules: Submodules::from_extensions(scm)?,
        })
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

/// Clones or fetches `remote` into the current directory and checks it out, printing what
/// the git plugin prints. runtime-semantics.md §9 gives the lines of a fetch into an existing
/// checkout, in this order. It is silent on a first clone and on the `git` step's local
/// branch: those lines follow the plugin's `GitSCM.retrieveChanges` and the client's
/// `CliGitAPIImpl` (`git init`, the fetch, then `git config` of the remote, `Avoid second
/// fetch`; `git branch -a -v --no-abbrev`, `git branch -D`, `git checkout -b`).
pub(crate) async fn fetch_into(
    ctx: &StepContext,
    remote: &Remote,
    local_branch: bool,
) -> Result<Map<String, Value>, StepError> {
    let dir = confine(ctx, &ctx.cwd, "git")?;
    // Before the URL is printed anywhere.
    url::mask_password(&ctx.emit, &remote.url);
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
    let git_dir = dir.join(".git");
    let existing = git_dir.exists()
        && git
            .probe(&[
                "rev-parse",
                "--resolve-git-dir",
                &git_dir.display().to_string(),
            ])
            .await?
            .is_some();
    let refspec = "+refs/heads/*:refs/remotes/origin/*";
    if existing {
        ctx.emit
            .log("Fetching changes from the remote Git repository");
        git.run(&["config", "remote.origin.url", &remote.url])
            .await?;
    } else {
        ctx.emit.log("Cloning the remote Git repository");
        ctx.emit.log(format!("Cloning repository {}", remote.url));
        git.run(&["init", &dir.display().to_string()]).await?;
    }
    ctx.emit
        .log(format!("Fetching upstream changes from {}", remote.url));
    let version = git.checked(&["--version"]).await?;
    ctx.emit
        .log(format!(" > git --version # '{}'", version.trim()));
    if let Some(how) = auth.announcement(remote.credentials_id.as_deref()) {
        ctx.emit.log(how);
    }
    git.run(&[
        "fetch",
        "--tags",
        "--force",
        "--progress",
        "--",
        &remote.url,
        refspec,
    ])
    .await?;
    if !existing {
        git.run(&["config", "remote.origin.url", &remote.url])
            .await?;
        git.run(&["config", "--add", "remote.origin.fetch", refspec])
            .await?;
        ctx.emit.log("Avoid second fetch");
    }
    let record_url = url::without_password(&remote.url);
    let built = revisions::built(&ctx.host.build_dir, &record_url);
    let chosen = spec::choose(&git, &remote.branch, &built).await?;
    let commit = chosen.commit.clone();
    ctx.emit
        .log(format!("Checking out Revision {commit} ({})", chosen.label));
    // The plugin asks whether sparse checkout is on; the answer (unset: status 1) only
    // decides whether it configures one, which this runtime does not support.
    git.probe(&["config", "core.sparsecheckout"]).await?;
    git.run(&["checkout", "-f", &commit]).await?;
    if local_branch && let Some(branch) = &chosen.branch {
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
        .quiet(&["log", "-1", "--format=%s", &commit])
        .await
        .unwrap_or_default();
    ctx.emit
        .log(format!("Commit message: \"{}\"", subject.trim()));
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
        Some(branch) => {
            set("GIT_BRANCH", format!("origin/{branch}"));
            if local_branch {
                set("GIT_LOCAL_BRANCH", branch.clone());
            }
        }
        None => set("GIT_BRANCH", chosen.label.clone()),
    }
    set("GIT_URL", remote.url.clone());
    Ok(vars)
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
