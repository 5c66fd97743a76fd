//! The git plugin's `BuildData` for the `git` step and `checkout([$class: 'GitSCM', …])`: each
//! build records, per remote and branch, the commit it built (`builds/<N>/git-revisions.json`),
//! so that the next build knows `GIT_PREVIOUS_COMMIT` (the last build of that branch) and
//! `GIT_PREVIOUS_SUCCESSFUL_COMMIT` (the last successful one), and where its changelog starts.

use std::path::Path;

use serde_json::{Map, Value};

use super::spec::Built;

const FILE: &str = "git-revisions.json";

/// What earlier builds of the job built for one remote and branch.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Previous {
    pub commit: Option<String>,
    pub successful: Option<String>,
}

/// The key of a remote and branch in the record.
pub(crate) fn key(url: &str, branch: &str) -> String {
    format!("{url} {branch}")
}

/// The record directories of the builds before `build_dir` (`…/builds/<N>`), newest first.
fn earlier(build_dir: &Path) -> Vec<std::path::PathBuf> {
    let (Some(builds), Some(current)) = (
        build_dir.parent(),
        build_dir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u64>().ok()),
    ) else {
        return Vec::new();
    };
    let mut numbers: Vec<u64> = std::fs::read_dir(builds)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .filter(|n| *n < current)
        .collect();
    numbers.sort_unstable();
    numbers.reverse();
    numbers
        .into_iter()
        .map(|n| builds.join(n.to_string()))
        .collect()
}

/// Every commit earlier builds built from `url` (any branch), most recent first with its
/// branch: the plugin's `BuildData` for a wildcard spec.
pub(crate) fn built(build_dir: &Path, url: &str) -> Built {
    let prefix = format!("{url} ");
    let mut found = Built::default();
    for dir in earlier(build_dir) {
        // A build records its checkouts in order: the last one is its most recent.
        for (key, commit) in read(&dir).into_iter().rev() {
            let (Some(branch), Some(commit)) = (key.strip_prefix(&prefix), commit.as_str()) else {
                continue;
            };
            found.history.push((commit.to_owned(), branch.to_owned()));
            found.commits.insert(commit.to_owned());
        }
    }
    found
}

/// Looks through the builds before `build_dir` (`…/builds/<N>`), newest first.
pub(crate) fn previous(build_dir: &Path, key: &str) -> Previous {
    let mut found = Previous::default();
    for dir in earlier(build_dir) {
        let Some(commit) = read(&dir)
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        if found.commit.is_none() {
            found.commit = Some(commit.clone());
        }
        if result(&dir).as_deref() == Some("SUCCESS") {
            found.successful = Some(commit);
            break;
        }
    }
    found
}

/// Records that this build built `commit` for `key`.
pub(crate) fn record(build_dir: &Path, key: &str, commit: &str) -> std::io::Result<()> {
    let mut map = read(build_dir);
    // Re-recorded keys move to the end: the order is the order of the checkouts.
    map.shift_remove(key);
    map.insert(key.to_owned(), Value::String(commit.to_owned()));
    let text = serde_json::to_string_pretty(&Value::Object(map)).map_err(std::io::Error::other)?;
    std::fs::write(build_dir.join(FILE), text)
}

fn read(dir: &Path) -> Map<String, Value> {
    std::fs::read_to_string(dir.join(FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The result in a finished build's `build.json`.
fn result(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("build.json")).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    value.get("result")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::{Previous, key, previous, record};

    #[test]
    fn the_previous_and_the_previous_successful_commit_of_a_branch() {
        let root = tempfile::tempdir().unwrap();
        let builds = root.path().join("builds");
        let k = key("file:///o.git", "main");
        for (n, result, commit) in [(1, "SUCCESS", "c1"), (2, "FAILURE", "c2"), (3, "", "")] {
            let dir = builds.join(n.to_string());
            std::fs::create_dir_all(&dir).unwrap();
            if !commit.is_empty() {
                record(&dir, &k, commit).unwrap();
                record(&dir, &key("file:///other.git", "main"), "x").unwrap();
                std::fs::write(
                    dir.join("build.json"),
                    format!("{{\"result\":\"{result}\"}}"),
                )
                .unwrap();
            }
        }
        assert_eq!(
            previous(&builds.join("3"), &k),
            Previous {
                commit: Some("c2".into()),
                successful: Some("c1".into())
            }
        );
        assert_eq!(previous(&builds.join("1"), &k), Previous::default());
    }
}
