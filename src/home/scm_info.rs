//! Where the `when` conditions of a local build get their facts, as a multibranch job would:
//! `BRANCH_NAME` (from `--branch`, else the current git branch; unset with a note on a
//! detached HEAD), `TAG_NAME`/`TAG_*` only from `--tag`, `CHANGE_*` only from
//! `--change-request N` and its companions (a tagged HEAD or a pull-request branch alone sets
//! nothing: a Jenkins branch build has neither), and the change set for `changelog` and
//! `changeset`: the commits since the previous local build's `GIT_COMMIT` (or `--since REF`),
//! plus the uncommitted changes of the working tree.

mod changes;
mod glob;
#[cfg(test)]
mod tests;

use std::path::Path;

use indexmap::IndexMap;

pub use self::changes::{ChangeSet, Commit, Comparator, EditType};
pub use self::glob::ant_glob_matches;

/// The command line's SCM flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScmFlags {
    /// `--branch`.
    pub branch: Option<String>,
    /// `--tag`.
    pub tag: Option<String>,
    /// `--change-request N`.
    pub change_request: Option<String>,
    pub change_target: Option<String>,
    pub change_branch: Option<String>,
    pub change_author: Option<String>,
    pub change_author_email: Option<String>,
    pub change_title: Option<String>,
    pub change_url: Option<String>,
    /// `--since REF`: the changelog starts after this commit.
    pub since: Option<String>,
}

/// What the build knows about its sources.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScmInfo {
    /// `BRANCH_NAME`, if set.
    pub branch: Option<String>,
    /// Variables for the whole build: `BRANCH_NAME`, `TAG_*`, `CHANGE_*`, in that order.
    pub env: IndexMap<String, String>,
    /// Lines to print at the start of the build (detached HEAD, unknown previous commit).
    pub notes: Vec<String>,
    /// The changelog and the changed paths.
    pub changes: ChangeSet,
}

impl ScmInfo {
    /// `BRANCH_NAME`: a multibranch job names a tag build after the tag and a change build
    /// `PR-N`; else `--branch`, else the current git branch.
    #[must_use]
    pub fn branch_name(flags: &ScmFlags, git_branch: Option<&str>) -> Option<String> {
        flags
            .branch
            .clone()
            .or_else(|| flags.tag.clone())
            .or_else(|| flags.change_request.as_ref().map(|id| format!("PR-{id}")))
            .or_else(|| git_branch.map(str::to_owned))
    }

    /// Resolves the flags against the repository at `repo` (its root, or `None` outside git).
    /// `git_branch` is the current branch (`None` on a detached HEAD), `previous_commit` the
    /// `GIT_COMMIT` of the previous local build, `now_ms` the time for a `--tag` not in the
    /// repository. A flag that cannot be honoured (`--since` naming no commit, a
    /// `--change-*` flag without `--change-request`) is a usage error.
    pub fn resolve(
        flags: &ScmFlags,
        repo: Option<&Path>,
        git_branch: Option<&str>,
        previous_commit: Option<&str>,
        now_ms: u64,
    ) -> Result<Self, String> {
        let companions = [
            ("--change-target", &flags.change_target),
            ("--change-branch", &flags.change_branch),
            ("--change-author", &flags.change_author),
            ("--change-author-email", &flags.change_author_email),
            ("--change-title", &flags.change_title),
            ("--change-url", &flags.change_url),
        ];
        if flags.change_request.is_none()
            && let Some((flag, _)) = companions.iter().find(|(_, v)| v.is_some())
        {
            return Err(format!("{flag} needs --change-request N"));
        }
        if flags.tag.is_some() && flags.change_request.is_some() {
            return Err("--tag and --change-request describe different builds: give one".into());
        }
        let mut info = Self::default();
        let branch = Self::branch_name(flags, git_branch);
        match &branch {
            Some(name) => {
                info.env.insert("BRANCH_NAME".into(), name.clone());
            }
            None if repo.is_some() => info.notes.push(
                "Note: HEAD is detached, so BRANCH_NAME is not set (give it with --branch NAME)"
                    .into(),
            ),
            None => {}
        }
        info.branch = branch;
        if let Some(tag) = &flags.tag {
            let ms = repo
                .and_then(|r| changes::tag_time_ms(r, tag))
                .unwrap_or(now_ms);
            info.env.insert("TAG_NAME".into(), tag.clone());
            info.env.insert("TAG_TIMESTAMP".into(), ms.to_string());
            info.env
                .insert("TAG_UNIXTIME".into(), (ms / 1000).to_string());
            info.env.insert("TAG_DATE".into(), java_date(ms));
        }
        if let Some(id) = &flags.change_request {
            let mut set = |name: &str, value: Option<&String>| {
                if let Some(value) = value {
                    info.env.insert(name.into(), value.clone());
                }
            };
            set("CHANGE_ID", Some(id));
            set("CHANGE_URL", flags.change_url.as_ref());
            set("CHANGE_TITLE", flags.change_title.as_ref());
            set("CHANGE_AUTHOR", flags.change_author.as_ref());
            set("CHANGE_AUTHOR_DISPLAY_NAME", flags.change_author.as_ref());
            set("CHANGE_AUTHOR_EMAIL", flags.change_author_email.as_ref());
            set("CHANGE_TARGET", flags.change_target.as_ref());
            let source = flags
                .change_branch
                .clone()
                .or_else(|| git_branch.map(str::to_owned));
            set("CHANGE_BRANCH", source.as_ref());
        }
        if let Some(repo) = repo {
            let base = match &flags.since {
                Some(reference) => Some(
                    changes::commit_id(repo, reference)
                        .ok_or_else(|| format!("--since {reference}: no such commit"))?,
                ),
                None => previous_commit.and_then(|commit| {
                    let found = changes::commit_id(repo, commit);
                    if found.is_none() {
                        info.notes.push(format!(
                            "Note: the previous build's commit {commit} is not in this repository; the changelog holds only uncommitted changes"
                        ));
                    }
                    found
                }),
            };
            info.changes = ChangeSet::collect(repo, base.as_deref());
        } else if flags.since.is_some() {
            return Err("--since needs a git repository".into());
        }
        Ok(info)
    }
}

/// Java's `Date.toString()` in UTC: `Thu Nov 26 13:05:09 UTC 2026`.
fn java_date(ms: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let iso = crate::report::iso8601(ms);
    // `YYYY-MM-DDTHH:MM:SS.mmmZ`
    let (year, month, day, time) = (&iso[0..4], &iso[5..7], &iso[8..10], &iso[11..19]);
    let month = month.parse::<usize>().unwrap_or(1).clamp(1, 12);
    let weekday = DAYS[usize::try_from((ms / 86_400_000) % 7).unwrap_or(0)];
    format!("{weekday} {} {day} {time} UTC {year}", MONTHS[month - 1])
}
