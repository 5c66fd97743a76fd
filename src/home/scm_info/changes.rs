//! The build's change set, read from git: the commits after a base commit (oldest first) and
//! the paths they touch, plus what the working tree changes on top. `when { changelog … }`
//! matches the commit messages, `when { changeset … }` the paths.

use std::path::Path;
use std::process::{Command, Stdio};

use regex::{Regex, RegexBuilder};

use super::glob::ant_glob_matches;

/// How a path changed (Jenkins' `EditType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditType {
    Add,
    Edit,
    Delete,
}

impl EditType {
    /// Jenkins' name: `add`, `edit`, `delete`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EditType::Add => "add",
            EditType::Edit => "edit",
            EditType::Delete => "delete",
        }
    }

    fn from_status(status: char) -> Self {
        match status {
            'A' | '?' => EditType::Add,
            'D' => EditType::Delete,
            _ => EditType::Edit,
        }
    }
}

/// One commit of the changelog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub author: String,
    pub email: String,
    /// The whole message (subject and body), without the trailing newline.
    pub message: String,
}

/// What changed since the previous build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Oldest first.
    pub commits: Vec<Commit>,
    /// Every path the commits or the working tree touch, once each, with its last change.
    pub paths: Vec<(String, EditType)>,
}

impl ChangeSet {
    /// The commits of `repo` after `base` up to `HEAD` (none without a base, as on a first
    /// build), and the paths they and the uncommitted changes touch.
    #[must_use]
    pub fn collect(repo: &Path, base: Option<&str>) -> Self {
        let mut set = Self::default();
        if let Some(base) = base {
            let range = format!("{base}..HEAD");
            if let Some(log) = git(
                repo,
                &["log", "--format=%H%x1f%an%x1f%ae%x1f%B%x1e", &range],
            ) {
                for record in log.split('\x1e') {
                    let fields: Vec<&str> = record.trim_start_matches('\n').split('\x1f').collect();
                    if let [id, author, email, message] = fields.as_slice() {
                        set.commits.push(Commit {
                            id: (*id).to_owned(),
                            author: (*author).to_owned(),
                            email: (*email).to_owned(),
                            message: message.trim_end().to_owned(),
                        });
                    }
                }
                set.commits.reverse();
            }
            if let Some(names) = git(
                repo,
                &[
                    "log",
                    "--reverse",
                    "--no-renames",
                    "--name-status",
                    "--format=",
                    &range,
                ],
            ) {
                for line in names.lines() {
                    if let Some((status, path)) = line.split_once('\t') {
                        let kind = EditType::from_status(status.chars().next().unwrap_or('M'));
                        set.add_path(path, kind);
                    }
                }
            }
        }
        if let Some(status) = git(
            repo,
            &[
                "status",
                "--porcelain=v1",
                "-z",
                "--no-renames",
                "--untracked-files=all",
            ],
        ) {
            for entry in status.split('\0').filter(|e| e.len() > 3) {
                let mut codes = entry[..2].chars().filter(|c| *c != ' ');
                let kind = EditType::from_status(codes.next().unwrap_or('M'));
                set.add_path(&entry[3..], kind);
            }
        }
        set
    }

    fn add_path(&mut self, path: &str, kind: EditType) {
        match self.paths.iter_mut().find(|(p, _)| p == path) {
            Some(entry) => entry.1 = kind,
            None => self.paths.push((path.to_owned(), kind)),
        }
    }

    /// Nothing changed: `changelog` and `changeset` print Jenkins' empty-changelog warning.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.commits.is_empty() && self.paths.is_empty()
    }

    /// `when { changelog 'regex' }`: a commit message matches the whole pattern, or one of
    /// its lines contains a match (case-insensitive), as Jenkins' `ChangeLogConditional`
    /// checks. `Err` is the regex's error.
    pub fn changelog_matches(&self, pattern: &str) -> Result<bool, String> {
        let whole = Regex::new(&format!("^(?s:{pattern})$")).map_err(|e| e.to_string())?;
        let line = RegexBuilder::new(&format!("^[^\\r\\n]*?(?:{pattern})[^\\r\\n]*?$"))
            .case_insensitive(true)
            .multi_line(true)
            .dot_matches_new_line(true)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(self
            .commits
            .iter()
            .any(|c| whole.is_match(&c.message) || line.is_match(&c.message)))
    }

    /// `when { changeset pattern: '…', comparator: '…', caseSensitive: … }`: a changed path
    /// matches. The comparator is `GLOB` (Ant-style, the default), `REGEXP` (the whole path)
    /// or `EQUALS`. `Err` is an unknown comparator or a bad regex.
    pub fn changeset_matches(
        &self,
        pattern: &str,
        comparator: Option<&str>,
        case_sensitive: bool,
    ) -> Result<bool, String> {
        let kind = Comparator::parse(comparator)?;
        let regex = match kind {
            Comparator::Regexp => Some(whole_regex(pattern, case_sensitive)?),
            _ => None,
        };
        Ok(self.paths.iter().any(|(path, _)| match &regex {
            Some(regex) => regex.is_match(path),
            None => kind.compare(pattern, path, case_sensitive),
        }))
    }
}

/// Jenkins' comparators for `branch`, `tag` and `changeset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// The same text.
    Equals,
    /// Ant-style path pattern (the default).
    Glob,
    /// A regular expression matching the whole text.
    Regexp,
}

impl Comparator {
    /// `EQUALS`, `GLOB` or `REGEXP`; `None` is `GLOB`.
    pub fn parse(name: Option<&str>) -> Result<Self, String> {
        match name.unwrap_or("GLOB") {
            "EQUALS" => Ok(Comparator::Equals),
            "GLOB" => Ok(Comparator::Glob),
            "REGEXP" => Ok(Comparator::Regexp),
            other => Err(format!(
                "unknown comparator `{other}`: use EQUALS, GLOB or REGEXP"
            )),
        }
    }

    /// Whether `actual` matches `pattern`. A `REGEXP` that does not compile matches nothing
    /// (check it with [`Comparator::check`] first to report it).
    #[must_use]
    pub fn compare(self, pattern: &str, actual: &str, case_sensitive: bool) -> bool {
        match self {
            Comparator::Equals if case_sensitive => actual == pattern,
            Comparator::Equals => actual.to_lowercase() == pattern.to_lowercase(),
            Comparator::Glob => ant_glob_matches(pattern, actual, case_sensitive),
            Comparator::Regexp => {
                whole_regex(pattern, case_sensitive).is_ok_and(|r| r.is_match(actual))
            }
        }
    }

    /// A pattern this comparator cannot use (a bad regular expression), as its error text.
    pub fn check(self, pattern: &str) -> Result<(), String> {
        match self {
            Comparator::Regexp => whole_regex(pattern, true).map(|_| ()),
            Comparator::Equals | Comparator::Glob => Ok(()),
        }
    }
}

fn whole_regex(pattern: &str, case_sensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(&format!("^(?:{pattern})$"))
        .case_insensitive(!case_sensitive)
        .build()
        .map_err(|e| e.to_string())
}

/// The full id of the commit `reference` names, if any.
pub(super) fn commit_id(repo: &Path, reference: &str) -> Option<String> {
    let spec = format!("{reference}^{{commit}}");
    git(repo, &["rev-parse", "--verify", "--quiet", &spec]).map(|s| s.trim().to_owned())
}

/// When the tag was made (an annotated tag's date, else its commit's), in ms.
pub(super) fn tag_time_ms(repo: &Path, tag: &str) -> Option<u64> {
    let reference = format!("refs/tags/{tag}");
    let out = git(
        repo,
        &["for-each-ref", "--format=%(creatordate:unix)", &reference],
    )?;
    out.trim().parse::<u64>().ok().map(|s| s * 1000)
}

fn git(repo: &Path, args: &[&str]) -> Option<String> {
    // The user's repository: `git status` would otherwise refresh and rewrite its index
    // (taking index.lock), in a plan too.
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}
