//! The workspace as a git checkout of the user's repository (`checkout scm`): a clone that
//! shares the repository's objects (`git clone --shared`, or alternates for a workspace that
//! already exists), checked out at HEAD, then overlaid with the uncommitted changes and the
//! untracked, not-ignored files, so that a local run tests the work in progress.
//!
//! The user's repository is only ever read: every git command run on it is a query, with
//! `GIT_OPTIONAL_LOCKS=0` so that not even the index's stat cache is refreshed. Overlaid files
//! are reflinked where the filesystem can, else copied; never hard-linked, so that a build
//! cannot write through into the user's files. `.jenkinsfile/` is never copied.
//!
//! A workspace whose repository can no longer be updated (the user rewrote history and `git
//! gc` dropped the objects it still names) is wiped and cloned again.

mod overlay_record;
mod submodules;

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use self::overlay_record::{Kept, Stamp, Stamps};
pub use self::submodules::SubmoduleReport;

/// What goes into the workspace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScmMode {
    /// HEAD plus uncommitted changes and untracked, not-ignored files (the default).
    #[default]
    WorkingCopy,
    /// The committed HEAD only, as Jenkins would check it out.
    Head,
}

/// What a checkout did, for the console and the git variables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckoutReport {
    /// The commit checked out; `None` in a repository without commits.
    pub commit: Option<String>,
    /// The commit's subject line.
    pub subject: Option<String>,
    /// A fresh clone (`true`) or an update of an earlier build's checkout.
    pub cloned: bool,
    /// Files overlaid from the working copy that differ from HEAD.
    pub modified: usize,
    /// Untracked, not-ignored files overlaid.
    pub untracked: usize,
    /// Files deleted in the working copy, removed from the workspace.
    pub deleted: usize,
    /// Of the overlaid files, how many were reflinked rather than copied.
    pub reflinked: usize,
    /// Why the workspace's repository could not be updated, when it was cloned again.
    pub recloned: Option<String>,
    /// Untracked repositories nested in the working copy (`vendor/lib/`): not overlaid.
    pub nested: Vec<String>,
    /// Of the overlaid files, how many an earlier build's overlay had already brought, unchanged
    /// on both sides since, and were left as they were.
    pub reused: usize,
    /// The working copy's submodules: each checked out from its own working copy when it
    /// was initialised there, else left empty.
    pub submodules: Vec<SubmoduleReport>,
}

/// Makes `dest` a checkout of `repo`'s HEAD (plus the working copy in [`ScmMode::WorkingCopy`]).
/// `dest` may be empty, missing, or an earlier build's checkout, whose untracked build outputs
/// are kept, as Jenkins keeps them. The untracked files an earlier overlay brought are not
/// build outputs: they are removed first, so that `dest` holds exactly what this mode brings.
pub fn checkout_working_copy(
    repo: &Path,
    dest: &Path,
    mode: ScmMode,
) -> io::Result<CheckoutReport> {
    let mut report = CheckoutReport::default();
    std::fs::create_dir_all(dest)?;
    let commit = query(repo, &["rev-parse", "--verify", "--quiet", "HEAD"]);
    let objects = absolute_git_path(repo, "objects")?;
    let mut kept = Kept::default();
    let git_dir = std::fs::symlink_metadata(dest.join(".git")).ok();
    let redirected = match &git_dir {
        Some(meta) if !meta.is_dir() => Some(format!(
            "{} is not a directory",
            dest.join(".git").display()
        )),
        Some(_) => redirected_git_dir(&dest.join(".git")),
        None => None,
    };
    if let Some(reason) = redirected {
        // A `.git` link or gitdir file, or links, a `commondir` or a `core.worktree` inside it
        // (a build's `sh` can make any of them), would point the update at another repository
        // or work tree, the user's own perhaps: start again from a clone.
        report.recloned = Some(reason);
        delete_contents(dest)?;
        fresh(repo, dest, commit.as_deref(), &objects)?;
    } else if git_dir.is_some() {
        kept = remove_previous_overlay(repo, dest, mode == ScmMode::WorkingCopy)?;
        let updated =
            write_alternates(dest, &objects).and_then(|()| update(repo, dest, commit.as_deref()));
        if let Err(err) = updated {
            // The user rewrote history and collected the old objects, or the workspace's
            // repository lost some: a fresh clone fixes it. The work tree goes too, so that
            // no file of the old history stays behind as an untracked one.
            report.recloned = Some(err.to_string());
            kept = Kept::default();
            delete_contents(dest)?;
            fresh(repo, dest, commit.as_deref(), &objects)?;
        }
    } else {
        fresh(repo, dest, commit.as_deref(), &objects)?;
        report.cloned = true;
    }
    if let Some(commit) = &commit {
        report.subject = query(repo, &["log", "-1", "--format=%s", commit]);
        report.commit = Some(commit.clone());
    }
    if mode == ScmMode::WorkingCopy {
        overlay(repo, dest, commit.is_some(), kept, &mut report)?;
        report.submodules = submodules::copy_submodules(repo, dest)?;
    }
    // A committed `.jenkinsfile/` (a repository credential store, settings) is the runner's,
    // not the build's: the checkout brought it, so it goes again.
    if commit.is_some() {
        let pathspec = ":(glob)**/.jenkinsfile/**";
        for relative in list(dest, &["ls-files", "-z", "--cached", "--", pathspec])? {
            if is_private(&relative) {
                let path = dest.join(&relative);
                if std::fs::symlink_metadata(&path).is_ok() {
                    std::fs::remove_file(&path)?;
                }
            }
        }
    }
    Ok(report)
}

/// Points `dest`'s `origin` where Jenkins' workspace points it, fetches the user's refs
/// from `repo` (the objects are already there through the alternates) and checks out
/// `commit`, detached.
fn update(repo: &Path, dest: &Path, commit: Option<&str>) -> io::Result<()> {
    let Some(commit) = commit else {
        return Ok(());
    };
    // `origin` is the user's `origin`, as Jenkins' workspace has the remote it cloned from:
    // relative submodule URLs resolve against it, and a `git push` goes there. Without
    // one, `origin` is the repository itself for fetching, and a path that does not exist
    // for pushing, which refuses the push and names why: a build never pushes into the
    // user's repository.
    let user_origin =
        query(repo, &["config", "--get", "remote.origin.url"]).map(|url| absolute_url(repo, &url));
    let url = user_origin
        .clone()
        .unwrap_or_else(|| repo.as_os_str().to_owned());
    let _ = run(dest, &["remote", "add", "origin"], &[url.as_os_str()]);
    run(dest, &["remote", "set-url", "origin"], &[url.as_os_str()])?;
    let push_url = user_origin.unwrap_or_else(|| NO_PUSH_URL.into());
    run(
        dest,
        &["config", "remote.origin.pushurl"],
        &[push_url.as_os_str()],
    )?;
    // The refs come from the user's repository itself, never the network, so that
    // `git describe`, `git branch -a` and `git log origin/x` see the user's.
    run(
        dest,
        &[
            "fetch",
            "--quiet",
            "--force",
            "--tags",
            "--no-write-fetch-head",
        ],
        &[
            repo.as_os_str(),
            std::ffi::OsStr::new("+refs/heads/*:refs/remotes/origin/*"),
        ],
    )?;
    run(
        dest,
        &["checkout", "--quiet", "--force", "--detach", commit],
        &[],
    )
}

/// A remote URL as written in `repo`'s configuration, with a relative path (`../x.git`)
/// made absolute: git reads it relative to the repository's work tree.
fn absolute_url(repo: &Path, url: &str) -> std::ffi::OsString {
    if url.starts_with("./") || url.starts_with("../") {
        repo.join(url).into_os_string()
    } else {
        url.into()
    }
}

/// A new checkout in `dest`: `git clone --shared` into an empty directory, else a new
/// repository that borrows `objects` (a used workspace keeps its untracked files).
fn fresh(repo: &Path, dest: &Path, commit: Option<&str>, objects: &Path) -> io::Result<()> {
    if std::fs::read_dir(dest)?.next().is_none() && commit.is_some() {
        run(
            dest,
            &["clone", "--shared", "--no-checkout", "--quiet", "--"],
            &[repo.as_os_str(), dest.as_os_str()],
        )?;
    } else {
        run(dest, &["init", "--quiet"], &[])?;
        write_alternates(dest, objects)?;
    }
    update(repo, dest, commit)
}

/// Why the workspace's `.git` directory would send git somewhere else: a symbolic link among
/// its entries, a `commondir` (a linked worktree's pointer to its main repository) or a
/// `core.worktree` in its config.
fn redirected_git_dir(git_dir: &Path) -> Option<String> {
    for entry in std::fs::read_dir(git_dir).ok()?.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            return Some(format!("{} is a symbolic link", entry.path().display()));
        }
    }
    let commondir = git_dir.join("commondir");
    if std::fs::symlink_metadata(&commondir).is_ok() {
        return Some(format!("{} exists", commondir.display()));
    }
    let config = std::fs::read_to_string(git_dir.join("config")).unwrap_or_default();
    let worktree = config.lines().any(|line| {
        let line = line.trim_start().to_ascii_lowercase();
        line.strip_prefix("worktree")
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    worktree.then(|| format!("{} sets core.worktree", git_dir.join("config").display()))
}

/// Deletes everything inside `dir` (not `dir` itself). Links are removed, never followed.
pub(crate) fn delete_contents(dir: &Path) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Copies what differs from HEAD in the working copy, and removes what was deleted there.
fn overlay(
    repo: &Path,
    dest: &Path,
    has_head: bool,
    mut kept: Kept,
    report: &mut CheckoutReport,
) -> io::Result<()> {
    // (path, not in HEAD): a file HEAD lacks is the overlay's to remove later, staged or not.
    let changed: Vec<(String, bool)> = if has_head {
        changed_since_head(repo, dest)?
    } else {
        list(repo, &["ls-files", "-z", "--cached"])?
            .into_iter()
            .map(|path| (path, true))
            .collect()
    };
    let untracked: Vec<(String, bool)> =
        list(repo, &["ls-files", "-z", "--others", "--exclude-standard"])?
            .into_iter()
            .map(|path| (path, true))
            .collect();
    let mut brought: Vec<(String, Option<Stamps>)> = Vec::new();
    let roots = Roots::new(repo, dest);
    for (paths, is_untracked) in [(changed, false), (untracked, true)] {
        for (relative, not_in_head) in paths {
            if is_private(&relative) {
                continue;
            }
            // git lists an untracked nested repository as its directory, `lib/`: it is
            // another project's checkout, not a file of the work in progress.
            if relative.ends_with('/') {
                report.nested.push(relative);
                continue;
            }
            let from = repo.join(&relative);
            let to = dest.join(&relative);
            real_directories(dest, &relative)?;
            let reused = if not_in_head {
                kept.reuse(&relative, &from, &to)
            } else {
                None
            };
            if let Some(stamps) = reused {
                report.reused += 1;
                brought.push((relative, Some(stamps)));
                if is_untracked {
                    report.untracked += 1;
                } else {
                    report.modified += 1;
                }
                continue;
            }
            match std::fs::symlink_metadata(&from) {
                Ok(meta) => {
                    // Stamped before the copy: a change made while copying shows next time.
                    let source = Stamp::from_meta(&meta);
                    if copy_entry(&from, &to, &meta, &roots)? {
                        report.reflinked += 1;
                    }
                    if not_in_head {
                        let stamps = Stamp::of(&to).map(|copy| (source, copy));
                        brought.push((relative.clone(), stamps));
                    }
                    if is_untracked {
                        report.untracked += 1;
                    } else {
                        report.modified += 1;
                    }
                }
                // A directory of HEAD that became a file in the working copy: its files
                // are gone (`ENOTDIR`), and the file comes as an untracked entry.
                Err(err) if gone(&err) => match std::fs::remove_file(&to) {
                    Ok(()) => report.deleted += 1,
                    Err(err) if gone(&err) => {}
                    Err(err) => return Err(err),
                },
                Err(err) => return Err(err),
            }
        }
    }
    // Kept from the previous overlay but no longer wanted (committed, ignored since): gone,
    // unless the checkout wrote over it (a file HEAD now has).
    for (relative, copy) in kept.leftovers() {
        remove_brought(dest, &relative, Some(copy))?;
    }
    overlay_record::write(dest, &brought)
}

/// Whether an error says the path is not there: missing, or under something that is no
/// longer a directory.
fn gone(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Removes the untracked files the previous overlay brought (whatever the build did to them
/// since), and the directories that leaves empty. With `keep`, a file unchanged since, in the
/// user's repository and in the workspace, stays: the overlay would copy it again as it is.
/// Returns those kept.
fn remove_previous_overlay(repo: &Path, dest: &Path, keep: bool) -> io::Result<Kept> {
    let mut kept = Kept::default();
    for (relative, stamps) in overlay_record::read(dest) {
        if let Some((source, copy)) = stamps.filter(|_| keep)
            && plain_parts(&relative).is_some()
            && Stamp::of(&repo.join(&relative)) == Some(source)
            && real_path(dest, &relative).is_some_and(|path| Stamp::of(&path) == Some(copy))
        {
            kept.insert(relative, (source, copy));
            continue;
        }
        remove_brought(dest, &relative, None)?;
    }
    overlay_record::remove_record(dest)?;
    Ok(kept)
}

/// `dest/relative` when every directory on the way is a real one, not a link.
fn real_path(dest: &Path, relative: &str) -> Option<PathBuf> {
    let parts = plain_parts(relative)?;
    let mut dir = dest.to_path_buf();
    for part in &parts[..parts.len() - 1] {
        dir.push(part);
        if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            return None;
        }
    }
    Some(dir.join(parts[parts.len() - 1]))
}

/// Removes one file an overlay brought (only if its stamp is still `only_if`, when given),
/// and the directories that leaves empty. A path whose directories were replaced by links is
/// left alone: removing through a link could reach the user's files.
fn remove_brought(dest: &Path, relative: &str, only_if: Option<Stamp>) -> io::Result<()> {
    let Some(path) = real_path(dest, relative) else {
        return Ok(());
    };
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if !meta.is_dir() => {
            if only_if.is_some_and(|stamp| Stamp::from_meta(&meta) != stamp) {
                return Ok(());
            }
            std::fs::remove_file(&path)?;
        }
        _ => return Ok(()),
    }
    // Empty directories the file leaves behind, up to the workspace.
    let mut parent = path.parent();
    while let Some(p) = parent {
        if p == dest || std::fs::remove_dir(p).is_err() {
            break;
        }
        parent = p.parent();
    }
    Ok(())
}

/// The segments of a relative path from git, or `None` if it could climb out.
fn plain_parts(relative: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = relative.split('/').collect();
    let plain = !parts.is_empty()
        && parts
            .iter()
            .all(|p| !p.is_empty() && *p != "." && *p != "..");
    plain.then_some(parts)
}

/// Makes every directory on the way to `relative` under `dest` a real directory: a link a
/// build left there (into the user's repository, say) is removed, never written through.
fn real_directories(dest: &Path, relative: &str) -> io::Result<()> {
    let Some(parts) = plain_parts(relative) else {
        return Err(io::Error::other(format!(
            "unexpected path from git: {relative}"
        )));
    };
    let mut dir = dest.to_path_buf();
    for part in &parts[..parts.len() - 1] {
        dir.push(part);
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(&dir)?;
        }
    }
    Ok(())
}

/// Inside a `.jenkinsfile/` directory (the runner's own) at any depth: a Jenkinsfile in a
/// subdirectory has its store beside it.
fn is_private(relative: &str) -> bool {
    relative.split('/').any(|part| part == ".jenkinsfile")
}

/// Copies one file or symlink; returns whether the copy is a reflink.
fn copy_entry(from: &Path, to: &Path, meta: &std::fs::Metadata, roots: &Roots) -> io::Result<bool> {
    if !meta.is_file() && !meta.file_type().is_symlink() {
        // A submodule or a special file: not ours to copy. A tracked file that became a
        // directory: its files come as untracked entries, and the file checked out from
        // HEAD would stand in their way.
        if meta.is_dir() && std::fs::symlink_metadata(to).is_ok_and(|old| !old.is_dir()) {
            std::fs::remove_file(to)?;
        }
        return Ok(false);
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Never write through whatever is there: it could be a link into the user's files.
    match std::fs::symlink_metadata(to) {
        Ok(old) if old.is_dir() => std::fs::remove_dir_all(to)?,
        Ok(_) => std::fs::remove_file(to)?,
        Err(_) => {}
    }
    if meta.file_type().is_symlink() {
        let target = roots.relink(std::fs::read_link(from)?);
        symlink(&target, to)?;
        return Ok(false);
    }
    copy_file(from, to)
}

/// The user's repository and the workspace, to re-point absolute links.
struct Roots {
    /// The repository as given and as resolved, which a link's text may use either of.
    repo: Vec<PathBuf>,
    dest: PathBuf,
}

impl Roots {
    fn new(repo: &Path, dest: &Path) -> Self {
        let mut forms = vec![repo.to_path_buf()];
        if let Ok(real) = std::fs::canonicalize(repo)
            && real != repo
        {
            forms.push(real);
        }
        Self {
            repo: forms,
            dest: dest.to_path_buf(),
        }
    }

    /// An absolute link into the user's repository (`/home/me/app/data`) would let the build
    /// write into the user's files through it: it points at the same path in the workspace.
    /// Relative links, and absolute ones elsewhere, are copied as written.
    fn relink(&self, target: PathBuf) -> PathBuf {
        if target.is_absolute() {
            for repo in &self.repo {
                if let Ok(rest) = target.strip_prefix(repo) {
                    return self.dest.join(rest);
                }
            }
        }
        target
    }
}

/// A reflink (`FICLONE`) where the filesystem allows it, else a plain copy. Returns whether
/// it was a reflink.
pub(crate) fn copy_file(from: &Path, to: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        let source = std::fs::File::open(from)?;
        let target = std::fs::File::create(to)?;
        if rustix::fs::ioctl_ficlone(&target, &source).is_ok() {
            target.set_permissions(source.metadata()?.permissions())?;
            return Ok(true);
        }
        drop(target);
    }
    std::fs::copy(from, to)?;
    Ok(false)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    let _ = (target, link);
    Err(io::Error::other("symbolic links are not supported here"))
}

/// Points `dest`'s object store at the user's, as `clone --shared` does.
fn write_alternates(dest: &Path, objects: &Path) -> io::Result<()> {
    let info = dest.join(".git/objects/info");
    std::fs::create_dir_all(&info)?;
    std::fs::write(info.join("alternates"), format!("{}\n", objects.display()))
}

/// `<repo>/.git/<name>`, absolute, through `git rev-parse --git-path` (worktrees and
/// `GIT_DIR` layouts included).
fn absolute_git_path(repo: &Path, name: &str) -> io::Result<PathBuf> {
    let common = query(repo, &["rev-parse", "--git-common-dir"])
        .ok_or_else(|| io::Error::other(format!("{} is not a git repository", repo.display())))?;
    let common = PathBuf::from(common);
    let common = if common.is_absolute() {
        common
    } else {
        repo.join(common)
    };
    Ok(common.join(name))
}

fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    for name in super::host_env::REPOSITORY_LOCATORS {
        command.env_remove(name);
    }
    // A damaged workspace `.git` (an interrupted clone left it empty) must be an error, not a
    // reason for git to climb to a repository above the build home and rewrite that one.
    if dir.join(".git").exists()
        && let Some(parent) = dir.parent().filter(|p| p.is_absolute())
    {
        command.env("GIT_CEILING_DIRECTORIES", parent);
    }
    command
        .arg("-C")
        .arg(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    command
}

/// The push URL of a workspace whose repository has no `origin`: git refuses it with
/// "'…' does not appear to be a git repository".
const NO_PUSH_URL: &str = "/nonexistent/jenkinsfile-builds-do-not-push-to-your-local-repository";

/// A query on the user's repository: trimmed stdout, or `None` if git fails.
fn query(repo: &Path, args: &[&str]) -> Option<String> {
    let output = git(repo).args(args).stderr(Stdio::null()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A NUL-separated list of paths from the user's repository.
/// The working copy's files that differ from HEAD, each with whether HEAD lacks it (added,
/// staged or not). `git diff` refreshes the index's stat
/// cache and writes the index back even under `GIT_OPTIONAL_LOCKS=0`, so it runs on a copy
/// of the user's index kept in the workspace's own `.git`.
fn changed_since_head(repo: &Path, dest: &Path) -> io::Result<Vec<(String, bool)>> {
    let args = ["diff", "--name-status", "-z", "--no-renames", "HEAD", "--"];
    let index = query(
        repo,
        &["rev-parse", "--path-format=absolute", "--git-path", "index"],
    )
    .map(PathBuf::from);
    let copy = dest.join(".git").join("jenkinsfile-user-index");
    let fields = match index {
        Some(index) if index.is_file() => {
            std::fs::copy(&index, &copy)?;
            let result = list_with(repo, &args, Some(&copy));
            let _ = std::fs::remove_file(&copy);
            result?
        }
        // No index to refresh: the plumbing form compares without writing one.
        _ => list(
            repo,
            &[
                "diff-index",
                "--name-status",
                "-z",
                "--no-renames",
                "HEAD",
                "--",
            ],
        )?,
    };
    // `-z --name-status`: a status field, then its path.
    Ok(fields
        .chunks_exact(2)
        .map(|pair| (pair[1].clone(), pair[0].starts_with('A')))
        .collect())
}

fn list(repo: &Path, args: &[&str]) -> io::Result<Vec<String>> {
    list_with(repo, args, None)
}

fn list_with(repo: &Path, args: &[&str], index: Option<&Path>) -> io::Result<Vec<String>> {
    let mut command = git(repo);
    if let Some(index) = index {
        command.env("GIT_INDEX_FILE", index);
    }
    let output = command.args(args).stderr(Stdio::piped()).output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// A command in the workspace that must succeed.
fn run(dir: &Path, args: &[&str], more: &[&std::ffi::OsStr]) -> io::Result<()> {
    let output = git(dir)
        .args(args)
        .args(more)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    if output.status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}
