//! Which revision a branch spec names, as the git plugin's `GitSCM.getSingleBranch` and
//! `DefaultBuildChooser` decide it after the fetch.
//!
//! - `*/main` stands for `origin/main`; `main`, `origin/main`, `refs/heads/main`,
//!   `remotes/origin/main` and `refs/remotes/origin/main` all name the remote-tracking branch
//!   `refs/remotes/origin/main`. Each ref tried is echoed (` > git rev-parse <ref>^{commit}`),
//!   the remote-tracking form first, then the spec as written (a tag such as `v1.0` or
//!   `refs/tags/v1.0`), as the plugin's log shows for a tag.
//! - Six to forty hex digits are a commit, built detached.
//! - A spec with a wildcard left (`*/release-*`, `**`) lists the remote branches
//!   (` > git branch -a -v --no-abbrev`), keeps those that match, drops commits an earlier
//!   build of the job already built, and builds the **oldest** remaining tip by commit time:
//!   the plugin's "fairness" order, which then schedules another build for the others. A local
//!   run schedules nothing: it says so, and the next run builds the next one. When every
//!   match was built already, the last built revision is built again, as the plugin does.
//! - Nothing found: the plugin's `Couldn't find any revision to build…`.

use std::collections::HashSet;

use super::command::Git;
use crate::steps::StepError;

/// The plugin's `AbortException` when no revision matches.
pub(crate) const NO_REVISION: &str = "Couldn't find any revision to build. Verify the repository and branch configuration for this job.";

/// The revision chosen for a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chosen {
    pub commit: String,
    /// What `Checking out Revision <sha> (<label>)` shows: the ref that resolved.
    pub label: String,
    /// The remote branch (`main` for `refs/remotes/origin/main`), when the revision is one.
    pub branch: Option<String>,
}

/// Earlier builds' revisions of the same remote, for wildcard specs.
#[derive(Debug, Default)]
pub(crate) struct Built {
    pub commits: HashSet<String>,
    /// `(commit, branch)` as built, the most recent first.
    pub history: Vec<(String, String)>,
}

/// `GitSCM.getSingleBranch`: `*/x` is `origin/x`; `None` when a wildcard remains.
fn single(spec: &str) -> Option<String> {
    let spec = if spec.is_empty() { "**" } else { spec };
    let single = spec
        .strip_prefix("*/")
        .map_or_else(|| spec.to_owned(), |rest| format!("origin/{rest}"));
    (!single.contains('*')).then_some(single)
}

/// The refs tried for a spec without wildcards, in order.
fn candidates(spec: &str) -> Vec<String> {
    let qualified = if let Some(rest) = spec.strip_prefix("origin/") {
        format!("refs/remotes/origin/{rest}")
    } else if let Some(rest) = spec.strip_prefix("remotes/origin/") {
        format!("refs/remotes/origin/{rest}")
    } else if let Some(rest) = spec.strip_prefix("refs/heads/") {
        format!("refs/remotes/origin/{rest}")
    } else {
        spec.to_owned()
    };
    let mut out = Vec::new();
    if qualified.starts_with("refs/") {
        out.push(qualified.clone());
    } else {
        // A branch name, possibly with a `/` (`feature/x`), before a tag of that name.
        out.push(format!("refs/remotes/origin/{qualified}"));
    }
    if !out.contains(&qualified) {
        out.push(qualified);
    }
    out
}

/// The branch inside `refs/remotes/origin/`, if the ref is one.
fn remote_branch(reference: &str) -> Option<String> {
    reference
        .strip_prefix("refs/remotes/origin/")
        .map(str::to_owned)
}

fn is_sha(spec: &str) -> bool {
    (6..=40).contains(&spec.len()) && spec.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Resolves `spec` in the fetched repository.
pub(crate) async fn choose(git: &Git<'_>, spec: &str, built: &Built) -> Result<Chosen, StepError> {
    if spec.starts_with(':') {
        return Err(StepError::unsupported(format!(
            "unsupported: the regular-expression branch spec `{spec}`: use a name or a wildcard"
        )));
    }
    let Some(single) = single(spec.trim()) else {
        return choose_wildcard(git, spec.trim(), built).await;
    };
    if is_sha(&single)
        && let Some(out) = git
            .probe(&["rev-parse", &format!("{single}^{{commit}}")])
            .await?
    {
        return Ok(Chosen {
            commit: out.trim().to_owned(),
            label: single,
            branch: None,
        });
    }
    for reference in candidates(&single) {
        if let Some(out) = git
            .probe(&["rev-parse", &format!("{reference}^{{commit}}")])
            .await?
        {
            return Ok(Chosen {
                commit: out.trim().to_owned(),
                branch: remote_branch(&reference),
                label: reference,
            });
        }
    }
    Err(StepError::abort(NO_REVISION))
}

async fn choose_wildcard(git: &Git<'_>, spec: &str, built: &Built) -> Result<Chosen, StepError> {
    let listing = git.checked(&["branch", "-a", "-v", "--no-abbrev"]).await?;
    let pattern = pattern(spec);
    let mut matched: Vec<(String, String)> = remote_branches(&listing)
        .into_iter()
        .filter(|(name, _)| glob(&pattern, &format!("origin/{name}")))
        .collect();
    if matched.is_empty() {
        return Err(StepError::abort(NO_REVISION));
    }
    let fresh: Vec<(String, String)> = matched
        .iter()
        .filter(|(_, commit)| !built.commits.contains(commit))
        .cloned()
        .collect();
    // The last revision this spec built: the most recent built branch it matches.
    let last = built
        .history
        .iter()
        .find(|(_, branch)| glob(&pattern, &format!("origin/{branch}")));
    if fresh.is_empty()
        && let Some((commit, branch)) = last
    {
        return Ok(Chosen {
            commit: commit.clone(),
            label: format!("origin/{branch}"),
            branch: Some(branch.clone()),
        });
    }
    if !fresh.is_empty() {
        matched = fresh;
    }
    let mut timed = Vec::with_capacity(matched.len());
    for (name, commit) in matched {
        let seconds = git
            .quiet(&["log", "-1", "--format=%ct", &commit])
            .await?
            .trim()
            .parse::<i64>()
            .unwrap_or(0);
        timed.push((seconds, name, commit));
    }
    timed.sort();
    if timed.len() > 1 {
        git.ctx.emit.log("Multiple candidate revisions");
        git.ctx.emit.log(format!(
            "Not scheduling another build to catch up: a local run builds one revision; {} more match `{spec}` and run again builds the next",
            timed.len() - 1
        ));
    }
    let (_, name, commit) = timed.swap_remove(0);
    Ok(Chosen {
        commit,
        label: format!("origin/{name}"),
        branch: Some(name),
    })
}

/// `BranchSpec`'s pattern for a spec: a name without `/` is `*/<name>`; `refs/heads/x` is
/// `origin/x`; `remotes/` and `refs/remotes/` are dropped.
fn pattern(spec: &str) -> String {
    let spec = if spec.is_empty() { "**" } else { spec };
    if let Some(rest) = spec.strip_prefix("refs/heads/") {
        return format!("origin/{rest}");
    }
    let spec = spec
        .strip_prefix("refs/remotes/")
        .or_else(|| spec.strip_prefix("remotes/"))
        .unwrap_or(spec);
    if spec.contains('/') || spec == "**" {
        spec.to_owned()
    } else {
        format!("*/{spec}")
    }
}

/// `**` matches across `/`, `*` and `?` within one segment.
fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob_at(&p, &n)
}

fn glob_at(p: &[char], n: &[char]) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') if p.get(1) == Some(&'*') => (0..=n.len()).any(|i| glob_at(&p[2..], &n[i..])),
        Some('*') => {
            for i in 0..=n.len() {
                if glob_at(&p[1..], &n[i..]) {
                    return true;
                }
                if n.get(i) == Some(&'/') {
                    break;
                }
            }
            false
        }
        Some('?') => n.first().is_some_and(|c| *c != '/') && glob_at(&p[1..], &n[1..]),
        Some(c) => n.first() == Some(c) && glob_at(&p[1..], &n[1..]),
    }
}

/// `(branch, commit)` of every `remotes/origin/<branch>` line of `git branch -a -v
/// --no-abbrev`, leaving out the `HEAD -> …` alias.
fn remote_branches(listing: &str) -> Vec<(String, String)> {
    listing
        .lines()
        .filter_map(|line| {
            let mut words = line.get(2..)?.split_whitespace();
            let name = words.next()?.strip_prefix("remotes/origin/")?;
            let commit = words.next()?;
            (commit != "->" && name != "HEAD").then(|| (name.to_owned(), commit.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{candidates, glob, pattern, remote_branches, single};

    #[test]
    fn specs_without_wildcards_name_the_remote_tracking_branch_first() {
        assert_eq!(single("*/main").as_deref(), Some("origin/main"));
        assert_eq!(single("*/release-*"), None);
        assert_eq!(single(""), None);
        for spec in [
            "main",
            "origin/main",
            "refs/heads/main",
            "remotes/origin/main",
        ] {
            assert_eq!(candidates(spec)[0], "refs/remotes/origin/main", "{spec}");
        }
        assert_eq!(
            candidates("main"),
            vec!["refs/remotes/origin/main".to_owned(), "main".to_owned()]
        );
        assert_eq!(
            candidates("tags/v1"),
            vec![
                "refs/remotes/origin/tags/v1".to_owned(),
                "tags/v1".to_owned()
            ]
        );
        assert_eq!(candidates("refs/tags/v1"), vec!["refs/tags/v1".to_owned()]);
    }

    #[test]
    fn wildcard_specs_match_like_branch_spec() {
        assert!(glob(&pattern("*/release-*"), "origin/release-1.2"));
        assert!(!glob(&pattern("*/release-*"), "origin/release/1"));
        assert!(glob(&pattern("release-*"), "origin/release-1"));
        assert!(glob(&pattern("**"), "origin/feature/deep"));
        assert!(glob(&pattern("origin/feature/**"), "origin/feature/a/b"));
        assert!(!glob(&pattern("*/main"), "origin/mainline"));
    }

    #[test]
    fn the_remote_branches_of_a_listing() {
        let listing = "* (HEAD detached at abc) abc1 x\n  main abc2 y\n  remotes/origin/HEAD -> origin/main\n  remotes/origin/main abc2 y\n  remotes/origin/release-1 abc3 z\n";
        assert_eq!(
            remote_branches(listing),
            vec![
                ("main".to_owned(), "abc2".to_owned()),
                ("release-1".to_owned(), "abc3".to_owned())
            ]
        );
    }
}
