use std::path::Path;
use std::process::Command;

use super::{EditType, ScmFlags, ScmInfo, java_date};

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ann")
        .env("GIT_AUTHOR_EMAIL", "ann@example.com")
        .env("GIT_COMMITTER_NAME", "Ann")
        .env("GIT_COMMITTER_EMAIL", "ann@example.com")
        .env("GIT_COMMITTER_DATE", "1795698309 +0000")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn commit(dir: &Path, file: &str, text: &str, message: &str) -> String {
    std::fs::write(dir.join(file), text).unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

#[test]
fn branch_comes_from_the_flag_then_git() {
    let flags = ScmFlags {
        branch: Some("feature/x".into()),
        ..ScmFlags::default()
    };
    let info = ScmInfo::resolve(&flags, None, Some("main"), None, 0).unwrap();
    assert_eq!(info.env["BRANCH_NAME"], "feature/x");
    let info = ScmInfo::resolve(&ScmFlags::default(), None, Some("main"), None, 0).unwrap();
    assert_eq!(info.branch.as_deref(), Some("main"));
    assert!(info.notes.is_empty());
}

#[test]
fn detached_head_leaves_branch_unset_with_a_note() {
    let dir = repo();
    let info = ScmInfo::resolve(&ScmFlags::default(), Some(dir.path()), None, None, 0).unwrap();
    assert!(info.env.is_empty());
    assert_eq!(
        info.notes,
        ["Note: HEAD is detached, so BRANCH_NAME is not set (give it with --branch NAME)"]
    );
}

#[test]
fn tag_only_from_the_flag() {
    let dir = repo();
    commit(dir.path(), "a", "1", "first");
    git(dir.path(), &["tag", "v1"]);
    let info = ScmInfo::resolve(
        &ScmFlags::default(),
        Some(dir.path()),
        Some("main"),
        None,
        0,
    )
    .unwrap();
    assert!(
        !info.env.contains_key("TAG_NAME"),
        "a tagged HEAD sets no TAG_NAME"
    );
    let flags = ScmFlags {
        tag: Some("v1".into()),
        ..ScmFlags::default()
    };
    let info = ScmInfo::resolve(&flags, Some(dir.path()), Some("main"), None, 0).unwrap();
    assert_eq!(info.env["BRANCH_NAME"], "v1");
    assert_eq!(info.env["TAG_NAME"], "v1");
    assert_eq!(info.env["TAG_TIMESTAMP"], "1795698309000");
    assert_eq!(info.env["TAG_UNIXTIME"], "1795698309");
    assert_eq!(info.env["TAG_DATE"], "Thu Nov 26 13:05:09 UTC 2026");
}

#[test]
fn change_request_sets_change_variables() {
    let flags = ScmFlags {
        change_request: Some("12".into()),
        change_target: Some("main".into()),
        change_author: Some("ann".into()),
        change_title: Some("Fix it".into()),
        ..ScmFlags::default()
    };
    let info = ScmInfo::resolve(&flags, None, Some("fix"), None, 0).unwrap();
    let vars: Vec<(&str, &str)> = info
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        vars,
        [
            ("BRANCH_NAME", "PR-12"),
            ("CHANGE_ID", "12"),
            ("CHANGE_TITLE", "Fix it"),
            ("CHANGE_AUTHOR", "ann"),
            ("CHANGE_AUTHOR_DISPLAY_NAME", "ann"),
            ("CHANGE_TARGET", "main"),
            ("CHANGE_BRANCH", "fix"),
        ]
    );
    let lonely = ScmFlags {
        change_target: Some("main".into()),
        ..ScmFlags::default()
    };
    assert_eq!(
        ScmInfo::resolve(&lonely, None, None, None, 0).unwrap_err(),
        "--change-target needs --change-request N"
    );
}

#[test]
fn changes_since_the_previous_commit_and_uncommitted() {
    let dir = repo();
    let first = commit(dir.path(), "a.txt", "1", "first");
    commit(dir.path(), "b.md", "1", "docs: add b\n\nlonger body");
    std::fs::create_dir(dir.path().join("src")).unwrap();
    commit(dir.path(), "src/main.rs", "1", "feat: main [ci skip]");
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("new.txt"), "x").unwrap();
    let info = ScmInfo::resolve(
        &ScmFlags::default(),
        Some(dir.path()),
        Some("main"),
        Some(&first),
        0,
    )
    .unwrap();
    let set = &info.changes;
    let messages: Vec<&str> = set.commits.iter().map(|c| c.message.as_str()).collect();
    assert_eq!(
        messages,
        ["docs: add b\n\nlonger body", "feat: main [ci skip]"]
    );
    assert_eq!(set.commits[0].author, "Ann");
    assert_eq!(set.commits[0].email, "ann@example.com");
    assert_eq!(
        set.paths,
        [
            ("b.md".to_owned(), EditType::Add),
            ("src/main.rs".to_owned(), EditType::Add),
            ("a.txt".to_owned(), EditType::Delete),
            ("new.txt".to_owned(), EditType::Add),
        ]
    );
    assert!(set.changelog_matches(r".*\[ci skip\].*").unwrap());
    assert!(set.changelog_matches("longer").unwrap());
    assert!(!set.changelog_matches("^release").unwrap());
    assert!(set.changeset_matches("**/*.rs", None, false).unwrap());
    assert!(set.changeset_matches("B.MD", None, false).unwrap());
    assert!(!set.changeset_matches("B.MD", None, true).unwrap());
    assert!(
        set.changeset_matches(r"src/.*\.rs", Some("REGEXP"), true)
            .unwrap()
    );
    assert!(
        set.changeset_matches("new.txt", Some("EQUALS"), true)
            .unwrap()
    );
    assert!(set.changeset_matches("x", Some("FUZZY"), true).is_err());
}

#[test]
fn first_build_has_only_uncommitted_changes_and_since_picks_the_base() {
    let dir = repo();
    commit(dir.path(), "a.txt", "1", "first");
    commit(dir.path(), "a.txt", "2", "second");
    let info = ScmInfo::resolve(
        &ScmFlags::default(),
        Some(dir.path()),
        Some("main"),
        None,
        0,
    )
    .unwrap();
    assert!(info.changes.is_empty());
    let since = ScmFlags {
        since: Some("HEAD~1".into()),
        ..ScmFlags::default()
    };
    let info = ScmInfo::resolve(&since, Some(dir.path()), Some("main"), None, 0).unwrap();
    assert_eq!(info.changes.commits.len(), 1);
    assert_eq!(info.changes.paths, [("a.txt".to_owned(), EditType::Edit)]);
    let bad = ScmFlags {
        since: Some("nope".into()),
        ..ScmFlags::default()
    };
    assert_eq!(
        ScmInfo::resolve(&bad, Some(dir.path()), Some("main"), None, 0).unwrap_err(),
        "--since nope: no such commit"
    );
    let gone = "0123456789012345678901234567890123456789";
    let info = ScmInfo::resolve(
        &ScmFlags::default(),
        Some(dir.path()),
        Some("main"),
        Some(gone),
        0,
    )
    .unwrap();
    assert_eq!(info.notes.len(), 1, "{:?}", info.notes);
}

#[test]
fn java_dates() {
    assert_eq!(java_date(0), "Thu Jan 01 00:00:00 UTC 1970");
    assert_eq!(java_date(1_795_698_309_123), "Thu Nov 26 13:05:09 UTC 2026");
}

#[test]
fn comparators() {
    use super::Comparator;
    assert_eq!(Comparator::parse(None), Ok(Comparator::Glob));
    assert!(Comparator::parse(Some("LIKE")).is_err());
    assert!(Comparator::Glob.compare("release/*", "Release/1.0", false));
    assert!(!Comparator::Glob.compare("release/*", "Release/1.0", true));
    assert!(Comparator::Equals.compare("main", "main", true));
    assert!(!Comparator::Equals.compare("main", "Main", true));
    assert!(Comparator::Regexp.compare(r"v\d+", "v12", true));
    assert!(
        !Comparator::Regexp.compare(r"v\d+", "xv12", true),
        "whole string"
    );
    assert!(Comparator::Regexp.check("(").is_err());
    assert!(!Comparator::Regexp.compare("(", "(", true));
}
