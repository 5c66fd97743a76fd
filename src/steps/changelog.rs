//! `currentBuild.changeSets`: one change-log set per checkout that had a previous build to
//! compare with, as the git plugin's `GitChangeSetList`. Each set is `[kind: 'git', items:
//! [...]]`, its items the commits after the previous build's commit up to the new one, oldest
//! first, with the properties Jenkinsfiles read from `GitChangeSet` (`commitId`,
//! `author.fullName`, `msg`, `comment`, `timestamp`, `affectedPaths`, `affectedFiles`). Like the
//! git plugin's default, the author shown is the committer.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

/// The change-log sets of this build, shared by the steps that check out and the
/// interpreter's `currentBuild`.
#[derive(Clone, Debug, Default)]
pub struct ChangeLog(Arc<Mutex<Vec<Value>>>);

impl ChangeLog {
    /// Every set so far, in checkout order.
    #[must_use]
    pub fn sets(&self) -> Vec<Value> {
        self.0.lock().map(|sets| sets.clone()).unwrap_or_default()
    }

    /// Adds a set unless it has no commits: Jenkins leaves an empty change log out of
    /// `changeSets` (`WorkflowRun.getChangeSets` skips `isEmptySet()`).
    pub(crate) fn push(&self, set: Value) {
        if set["items"].as_array().is_some_and(Vec::is_empty) {
            return;
        }
        if let Ok(mut sets) = self.0.lock() {
            sets.push(set);
        }
    }
}

/// The set for the commits of `repo` in `from..to`; `None` if git cannot tell (`from` is not
/// in the repository).
pub(crate) fn git_change_set(repo: &Path, from: &str, to: &str) -> Option<Value> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "log",
            "--reverse",
            "--no-renames",
            "--name-status",
            "--format=%x1e%H%x1f%cn%x1f%ce%x1f%ct%x1f%ci%x1f%B%x1d",
        ])
        .arg(format!("{from}..{to}"))
        .arg("--")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let items: Vec<Value> = text
        .split('\x1e')
        .filter(|record| !record.trim().is_empty())
        .filter_map(item)
        .collect();
    Some(json!({"kind": "git", "items": items}))
}

/// One `GitChangeSet` from a record `id \x1f name \x1f email \x1f seconds \x1f date \x1f
/// message \x1d name-status lines`.
fn item(record: &str) -> Option<Value> {
    let (header, names) = record.split_once('\x1d')?;
    let fields: Vec<&str> = header.split('\x1f').collect();
    let [id, name, email, seconds, date, message] = fields.as_slice() else {
        return None;
    };
    let message = message.trim_end();
    let title = message.lines().next().unwrap_or("");
    let timestamp = seconds.trim().parse::<i64>().unwrap_or(0) * 1000;
    let mut paths = Vec::new();
    let mut files = Vec::new();
    for line in names.lines() {
        let Some((status, path)) = line.split_once('\t') else {
            continue;
        };
        let edit = match status.chars().next() {
            Some('A') => "add",
            Some('D') => "delete",
            _ => "edit",
        };
        paths.push(Value::String(path.to_owned()));
        files.push(json!({"path": path, "editType": {"name": edit}}));
    }
    Some(json!({
        "commitId": id,
        "id": id,
        "revision": id,
        "author": {"fullName": name, "id": name},
        "authorName": name,
        "authorEmail": email,
        "msg": title,
        "comment": format!("{message}\n"),
        "timestamp": timestamp,
        "date": date,
        "affectedPaths": paths,
        "affectedFiles": files,
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{ChangeLog, item};

    #[test]
    fn a_set_without_commits_is_left_out() {
        let log = ChangeLog::default();
        log.push(json!({"kind": "git", "items": []}));
        assert!(log.sets().is_empty());
        log.push(json!({"kind": "git", "items": [{"commitId": "abc"}]}));
        assert_eq!(log.sets().len(), 1);
    }

    #[test]
    fn a_record_becomes_a_git_change_set() {
        let record = "abc\x1fAda\x1fada@example.com\x1f1700000000\x1f2023-11-14 22:13:20 +0000\x1fFix it\n\nBecause.\n\x1d\n\nM\tsrc/a.rs\nA\tnew.txt\nD\told.txt\n";
        let value = item(record).unwrap();
        assert_eq!(value["commitId"], "abc");
        assert_eq!(value["author"]["fullName"], "Ada");
        assert_eq!(value["msg"], "Fix it");
        assert_eq!(value["comment"], "Fix it\n\nBecause.\n");
        assert_eq!(value["timestamp"], 1_700_000_000_000_i64);
        assert_eq!(
            value["affectedPaths"],
            json!(["src/a.rs", "new.txt", "old.txt"])
        );
        assert_eq!(value["affectedFiles"][2]["editType"]["name"], "delete");
    }
}
