//! Ant-style file patterns (`**/*.jar`, `target/`, comma lists), as Jenkins' `FileSet` reads
//! them for archiveArtifacts, stash, junit and findFiles, and the walk that applies them to a
//! directory. `*` and `?` stay inside one path segment; `**` spans any number of segments; a
//! pattern ending in `/` means everything below it.

use std::path::{Path, PathBuf};

/// Ant's default excludes (`DirectoryScanner.DEFAULTEXCLUDES`), applied unless disabled.
pub(crate) const DEFAULT_EXCLUDES: &[&str] = &[
    "**/*~",
    "**/#*#",
    "**/.#*",
    "**/%*%",
    "**/._*",
    "**/CVS",
    "**/CVS/**",
    "**/.cvsignore",
    "**/SCCS",
    "**/SCCS/**",
    "**/vssver.scc",
    "**/.svn",
    "**/.svn/**",
    "**/.DS_Store",
    "**/.git",
    "**/.git/**",
    "**/.gitattributes",
    "**/.gitignore",
    "**/.gitmodules",
    "**/.hg",
    "**/.hg/**",
    "**/.hgignore",
    "**/.hgsub",
    "**/.hgsubstate",
    "**/.hgtags",
    "**/.bzr",
    "**/.bzr/**",
    "**/.bzrignore",
];

/// A set of include and exclude patterns.
#[derive(Clone, Debug, Default)]
pub(crate) struct FileSet {
    includes: Vec<Vec<String>>,
    excludes: Vec<Vec<String>>,
    case_sensitive: bool,
    /// Enter directories behind symbolic links (that `keep` accepts).
    follow_links: bool,
    /// Report every matching symbolic link itself, never what it points to (a tar's view).
    links_as_entries: bool,
}

impl FileSet {
    /// `includes` and `excludes` are comma-separated lists; an empty include list means `**`.
    pub(crate) fn new(includes: &str, excludes: &str, default_excludes: bool) -> Self {
        let mut includes = split(includes);
        if includes.is_empty() {
            includes.push(parse("**"));
        }
        let mut excludes = split(excludes);
        if default_excludes {
            excludes.extend(DEFAULT_EXCLUDES.iter().map(|p| parse(p)));
        }
        Self {
            includes,
            excludes,
            case_sensitive: true,
            follow_links: false,
            links_as_entries: false,
        }
    }

    /// Also walks directories behind symbolic links that `scan`'s `keep` accepts, as Ant's
    /// `followSymlinks` does; each real directory is walked once, so a link loop ends.
    pub(crate) fn follow_links(mut self, yes: bool) -> Self {
        self.follow_links = yes;
        self
    }

    /// Reports each matching symbolic link (to a file, a directory, or nothing) as an entry of
    /// its own and never enters it: `stash` keeps links as links, as its tar does.
    pub(crate) fn links_as_entries(mut self, yes: bool) -> Self {
        self.links_as_entries = yes;
        self
    }

    pub(crate) fn case_sensitive(mut self, yes: bool) -> Self {
        self.case_sensitive = yes;
        self
    }

    /// Whether a `/`-separated relative path is selected.
    pub(crate) fn matches(&self, relative: &str) -> bool {
        let parts: Vec<&str> = relative.split('/').collect();
        let hit = |pattern: &Vec<String>| segments(pattern, &parts, self.case_sensitive);
        self.includes.iter().any(hit) && !self.excludes.iter().any(hit)
    }

    /// Every selected regular file under `root`, sorted by relative path. Symbolic links are
    /// reported as files only when `keep` says so; directories behind links are entered only
    /// with [`FileSet::follow_links`], and only when `keep` says so.
    pub(crate) fn scan(&self, root: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<(String, PathBuf)> {
        let mut found = Vec::new();
        let mut seen: std::collections::HashSet<PathBuf> =
            std::fs::canonicalize(root).into_iter().collect();
        let mut stack = vec![(root.to_path_buf(), String::new())];
        while let Some((dir, prefix)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let relative = if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}/{name}")
                };
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if self.links_as_entries && kind.is_symlink() {
                    if self.matches(&relative) {
                        found.push((relative, path));
                    }
                } else if kind.is_dir() {
                    if !self.excluded_dir(&relative) {
                        stack.push((path, relative));
                    }
                } else if self.follow_links && kind.is_symlink() && path.is_dir() {
                    let walk = keep(&path)
                        && !self.excluded_dir(&relative)
                        && std::fs::canonicalize(&path).is_ok_and(|real| seen.insert(real));
                    if walk {
                        stack.push((path, relative));
                    }
                } else if (kind.is_file() || (kind.is_symlink() && keep(&path) && path.is_file()))
                    && self.matches(&relative)
                {
                    found.push((relative, path));
                }
            }
        }
        found.sort();
        found
    }

    /// A directory whose whole content is excluded (`**/.git/**`) is not walked.
    fn excluded_dir(&self, relative: &str) -> bool {
        let probe = format!("{relative}/\u{0}");
        let parts: Vec<&str> = probe.split('/').collect();
        self.excludes.iter().any(|pattern| {
            pattern.last().is_some_and(|last| last == "**")
                && segments(pattern, &parts, self.case_sensitive)
        })
    }
}

fn split(list: &str) -> Vec<Vec<String>> {
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(parse)
        .collect()
}

/// Splits a pattern into segments; `dir/` means `dir/**`, and `\` separators become `/`.
fn parse(pattern: &str) -> Vec<String> {
    let mut pattern = pattern.replace('\\', "/");
    if pattern.ends_with('/') {
        pattern.push_str("**");
    }
    pattern
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::to_owned)
        .collect()
}

fn segments(pattern: &[String], path: &[&str], case: bool) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| segments(rest, &path[skip..], case))
        }
        Some((first, rest)) => match path.split_first() {
            Some((name, tail)) => wildcard(first, name, case) && segments(rest, tail, case),
            None => false,
        },
    }
}

/// `*` and `?` within one segment.
pub(crate) fn wildcard(pattern: &str, name: &str, case: bool) -> bool {
    let fold = |s: &str| {
        if case {
            s.chars().collect::<Vec<_>>()
        } else {
            s.to_lowercase().chars().collect()
        }
    };
    let (p, n) = (fold(pattern), fold(name));
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::FileSet;

    #[test]
    fn ant_patterns() {
        let set = FileSet::new("**/*.jar, docs/", "**/skip/**", true);
        assert!(set.matches("a.jar"));
        assert!(set.matches("target/lib/a.jar"));
        assert!(set.matches("docs/x/y.md"));
        assert!(!set.matches("target/skip/a.jar"));
        assert!(!set.matches("a.jar.txt"));
        assert!(!set.matches(".git/config"));
        let one = FileSet::new("target/*.txt", "", false);
        assert!(one.matches("target/a.txt"));
        assert!(!one.matches("target/sub/a.txt"));
        assert!(FileSet::new("", "", true).matches("any/thing"));
        assert!(!FileSet::new("a?.txt", "", true).matches("abc.txt"));
        assert!(
            FileSet::new("*.TXT", "", true)
                .case_sensitive(false)
                .matches("a.txt")
        );
    }
}
