//! `checkout` (git-plugin `GitSCM`, workflow-scm-step) and the job's SCM. `checkout scm` makes
//! the current directory a checkout of the user's repository at HEAD, overlaid with their
//! uncommitted work (`home::checkout_working_copy`), and returns the git variables
//! (runtime-semantics.md §6.1, §10.3). `checkout([$class: 'GitSCM', …])` with another URL
//! clones it, like the `git` step (`git.rs`).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::args::optional_str;
use super::changelog::git_change_set;
use super::git::{self, Extensions, Git, Remote};
use super::parameter::SYMBOL_KEY;
use super::safety::confine;
use super::{Args, StepContext, StepError, StepFuture};
use crate::home::{CheckoutReport, ScmMode, checkout_working_copy};

/// The job's SCM: the git repository around the Jenkinsfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScmSource {
    /// The repository's root (absolute).
    pub repo: PathBuf,
    pub mode: ScmMode,
    /// The branch checked out in the repository; `None` on a detached HEAD.
    pub branch: Option<String>,
    /// `GIT_URL`: the repository's `origin` URL, else its path.
    pub url: String,
    /// The workspace is the repository itself (`--in-place`): nothing to check out.
    pub in_place: bool,
    /// `GIT_COMMIT` of the previous build, and of the last successful one.
    pub previous_commit: Option<String>,
    pub previous_successful_commit: Option<String>,
    /// `user.name` / `user.email` from the repository's configuration, which is where the git
    /// plugin takes `GIT_COMMITTER_*` and `GIT_AUTHOR_*` from (its global git identity).
    pub user_name: Option<String>,
    pub user_email: Option<String>,
}

impl ScmSource {
    /// The `scm` global: a `GitSCM` as a map, with the properties Jenkinsfiles read
    /// (`scm.userRemoteConfigs[0].url`, `scm.branches[0].name`). Its URL is the local
    /// repository, so that `checkout([$class: 'GitSCM', userRemoteConfigs:
    /// scm.userRemoteConfigs, …])` stays local too.
    #[must_use]
    pub fn global(&self) -> Value {
        let branch = self
            .branch
            .as_ref()
            .map_or_else(|| "HEAD".to_owned(), |b| format!("*/{b}"));
        json!({
            "$class": "GitSCM",
            "userRemoteConfigs": [{"url": self.repo.display().to_string(), "name": "origin"}],
            "branches": [{"name": branch}],
            "extensions": [],
        })
    }
}

/// `SCMVar`'s message when the Pipeline did not come from an SCM.
pub(crate) const NO_SCM: &str = "‘checkout scm’ is only available when using “Multibranch Pipeline” or “Pipeline script from SCM”";

/// Why a run refuses this checkout: an SCM other than git (`plan` says the same).
pub(crate) fn refusal(args: &Args) -> Option<String> {
    let Some(Value::Object(scm)) = args.get("scm") else {
        return None;
    };
    // `[$class: 'GitSCM', …]`, its full class name, or the `scmGit(…)` symbol.
    let class = scm.get("$class").and_then(Value::as_str);
    let symbol = scm.get(SYMBOL_KEY).and_then(Value::as_str);
    let is_git = matches!(class, Some("GitSCM" | "hudson.plugins.git.GitSCM"))
        || (class.is_none() && symbol == Some("scmGit"));
    if is_git {
        return None;
    }
    let what = match (class, symbol) {
        (Some(class), _) => format!("$class `{class}`"),
        (None, Some(symbol)) => format!("`{symbol}(…)`"),
        (None, None) => "a map without $class".to_owned(),
    };
    Some(format!(
        "unsupported: checkout with {what}: only GitSCM (`scmGit`) is supported"
    ))
}

pub(crate) fn checkout(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let scm = args.get("scm").cloned().unwrap_or(Value::Null);
        let Value::Object(scm) = scm else {
            return Err(StepError::abort(NO_SCM));
        };
        if let Some(message) = refusal(&args) {
            return Err(StepError::unsupported(message));
        }
        let remote = Remote::from_git_scm(&scm)?;
        match &ctx.host.scm {
            Some(source) if same_repo(&remote.url, &source.repo) => {
                working_copy(ctx, source, &remote.extensions).await
            }
            _ => git::fetch_into(ctx, &remote).await.map(Value::Object),
        }
    })
}

fn same_repo(url: &str, repo: &Path) -> bool {
    let path = url.strip_prefix("file://").unwrap_or(url);
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    canonical(Path::new(path)).is_some_and(|p| Some(p) == canonical(repo))
}

/// `checkout scm`: the user's repository into the current directory.
async fn working_copy(
    ctx: &StepContext,
    source: &ScmSource,
    ext: &Extensions,
) -> Result<Value, StepError> {
    // `GIT_URL` is the origin's URL, which may hold a password.
    git::mask_url_password(&ctx.emit, &source.url);
    for warning in &ext.ignored {
        ctx.emit.log(warning);
    }
    ctx.emit.log("The recommended git tool is: NONE");
    ctx.emit.log("No credentials specified");
    let dest = match &ext.target_dir {
        Some(sub) => ctx.cwd.join(sub),
        None => ctx.cwd.clone(),
    };
    let report = if source.in_place && same_dir(&dest, &source.repo) {
        ctx.emit.log(format!(
            "Using {} itself as the workspace (--in-place): nothing to check out",
            source.repo.display()
        ));
        CheckoutReport {
            commit: git::query(&source.repo, &["rev-parse", "--verify", "--quiet", "HEAD"]),
            ..CheckoutReport::default()
        }
    } else {
        confine(ctx, &dest, "checkout")?;
        if inside(&dest, &source.repo) {
            return Err(StepError::abort(format!(
                "refusing to check out into {}: it is inside your repository {}, which a build never modifies",
                dest.display(),
                source.repo.display()
            )));
        }
        let repo = source.repo.clone();
        let mode = source.mode;
        let target = dest.clone();
        prepare_working_copy(ctx, &dest, ext).await?;
        let fresh = !target.join(".git").exists();
        ctx.emit.log(if fresh {
            "Cloning the remote Git repository"
        } else {
            "Fetching changes from the remote Git repository"
        });
        if fresh {
            ctx.emit
                .log(format!("Cloning repository {}", source.repo.display()));
        }
        tokio::task::spawn_blocking(move || checkout_working_copy(&repo, &target, mode))
            .await
            .map_err(|e| StepError::failure(format!("java.io.IOException: {e}")))?
            .map_err(|e| StepError::abort(format!("checkout failed: {e}")))?
    };
    if let Some(reason) = report.recloned.as_deref().and_then(|r| r.lines().next()) {
        let from = source.repo.display().to_string();
        ctx.emit.log(git::reclone_line(&dest, &from, reason));
    }
    let spec = source
        .branch
        .clone()
        .unwrap_or_else(|| "detached".to_owned());
    if let Some(commit) = &report.commit {
        ctx.emit
            .log(format!("Checking out Revision {commit} ({spec})"));
    }
    let local_branch = ext.local_branch_for(source.branch.as_deref());
    if let (Some(branch), Some(_)) = (&local_branch, &report.commit)
        && !source.in_place
    {
        let git = Git {
            ctx,
            dir: &dest,
            env: &[],
        };
        // `-B` keeps the overlaid changes in the tree, as a switch to the same commit does.
        git.run(&["checkout", "-B", branch]).await?;
    }
    if report.commit.is_some() {
        if let Some(subject) = &report.subject {
            ctx.emit.log(format!("Commit message: \"{subject}\""));
        }
    } else {
        ctx.emit
            .log("The repository has no commits yet: the workspace holds its files only");
    }
    match source.mode {
        ScmMode::Head => ctx
            .emit
            .log("Checked out the committed HEAD only (--scm head)"),
        ScmMode::WorkingCopy if !source.in_place => ctx.emit.log(format!(
            "Overlaid your working copy: {} modified, {} untracked, {} deleted file(s) (--scm head checks out the committed HEAD only)",
            report.modified, report.untracked, report.deleted
        )),
        ScmMode::WorkingCopy => {}
    }
    submodules(ctx, &dest, source, ext, &report).await?;
    for nested in &report.nested {
        ctx.emit.log(format!(
            "Not overlaid: {nested} is a git repository nested in your working copy, untracked; the workspace leaves it out"
        ));
    }
    match (&source.previous_commit, &report.commit) {
        (None, _) => ctx.emit.log("First time build. Skipping changelog."),
        (Some(from), Some(to)) => match git_change_set(&source.repo, from, to) {
            Some(set) => ctx.host.changelog.push(set),
            None => ctx.emit.log(format!(
                "Could not determine the changelog: the previous build's commit {from} is not in {}",
                source.repo.display()
            )),
        },
        (Some(_), None) => {}
    }
    let mut vars = vars(source, &report);
    if let Some(branch) = local_branch {
        vars.insert("GIT_LOCAL_BRANCH".into(), Value::String(branch));
    }
    if let Some(sub) = &ext.target_dir {
        vars.insert("GIT_CHECKOUT_DIR".into(), Value::String(sub.clone()));
    }
    Ok(Value::Object(vars))
}

/// Says what became of the working copy's submodules, and with `SubmoduleOption` fetches
/// those it could not copy (not initialised in the working copy; all of them with
/// `--scm head`) from their remotes, as the git plugin does.
async fn submodules(
    ctx: &StepContext,
    dest: &Path,
    source: &ScmSource,
    ext: &Extensions,
    report: &CheckoutReport,
) -> Result<(), StepError> {
    let mut missing = Vec::new();
    for sub in &report.submodules {
        match &sub.checkout {
            Some(r) => ctx.emit.log(format!(
                "Submodule {}: checked out {} from your working copy ({} modified, {} untracked, {} deleted file(s))",
                sub.path,
                r.commit.as_deref().unwrap_or("(no commit)"),
                r.modified,
                r.untracked,
                r.deleted
            )),
            None => missing.push(sub.path.as_str()),
        }
    }
    let Some(option) = &ext.submodules else {
        for path in &missing {
            ctx.emit.log(format!(
                "Submodule {path}: not initialised in your working copy, left empty (the SubmoduleOption extension fetches it)"
            ));
        }
        return Ok(());
    };
    if source.in_place || (source.mode == ScmMode::WorkingCopy && missing.is_empty()) {
        return Ok(());
    }
    let git = Git {
        ctx,
        dir: dest,
        env: &[],
    };
    let mut update = vec!["submodule", "update", "--init"];
    if option.recursive {
        update.push("--recursive");
    }
    if source.mode == ScmMode::WorkingCopy {
        update.push("--");
        update.extend(missing);
    }
    git.run(&update).await?;
    Ok(())
}

/// `WipeWorkspace`, `CleanBeforeCheckout` and `CleanCheckout` on the workspace of a working
/// copy checkout. Cleaning after the checkout would delete the overlaid untracked files, the
/// work in progress a local run is for: both cleans run before it, which leaves the same tree
/// (HEAD, plus the overlay).
async fn prepare_working_copy(
    ctx: &StepContext,
    dest: &Path,
    ext: &Extensions,
) -> Result<(), StepError> {
    if ext.wipe {
        ctx.emit.log("Wiping out workspace first.");
        git::delete_contents(dest).map_err(|e| {
            StepError::failure(format!("java.io.IOException: {}: {e}", dest.display()))
        })?;
    }
    let nested = match (ext.clean_before, ext.clean_after) {
        (None, None) => return Ok(()),
        (a, b) => a.unwrap_or(false) || b.unwrap_or(false),
    };
    if dest.join(".git").exists() {
        let git = Git {
            ctx,
            dir: dest,
            env: &[],
        };
        git::clean(&git, nested).await?;
    }
    Ok(())
}

/// The map `checkout` returns (GitSCM.buildEnvironment). Missing values are left out, as
/// Jenkins leaves them out (PREVIOUS_* on a first build).
pub(crate) fn vars(source: &ScmSource, report: &CheckoutReport) -> Map<String, Value> {
    let mut map = Map::new();
    let mut set = |name: &str, value: Option<&String>| {
        if let Some(value) = value {
            map.insert(name.to_owned(), Value::String(value.clone()));
        }
    };
    set("GIT_BRANCH", source.branch.as_ref());
    set("GIT_LOCAL_BRANCH", source.branch.as_ref());
    set("GIT_COMMIT", report.commit.as_ref());
    set("GIT_PREVIOUS_COMMIT", source.previous_commit.as_ref());
    set(
        "GIT_PREVIOUS_SUCCESSFUL_COMMIT",
        source.previous_successful_commit.as_ref(),
    );
    set("GIT_URL", Some(&source.url));
    set("GIT_COMMITTER_NAME", source.user_name.as_ref());
    set("GIT_AUTHOR_NAME", source.user_name.as_ref());
    set("GIT_COMMITTER_EMAIL", source.user_email.as_ref());
    set("GIT_AUTHOR_EMAIL", source.user_email.as_ref());
    map
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Whether `dir` is `repo` or below it (after resolving links).
fn inside(dir: &Path, repo: &Path) -> bool {
    let dir = super::safety::canonical_prefix(dir);
    std::fs::canonicalize(repo).is_ok_and(|repo| dir.starts_with(repo))
}

/// `optional_str` for a nested map.
pub(crate) fn nested_str(
    map: &Map<String, Value>,
    name: &str,
) -> Result<Option<String>, StepError> {
    optional_str("checkout", map, name)
}
