//! `.dockerignore`, as the docker CLI reads it (moby's `patternmatcher`): one pattern a line,
//! `#` comments, paths relative to the context root (a leading `/` means the same), `*`, `?`
//! and `[…]` within one path element, `**` across any number of them, a `!` line re-including
//! what an earlier line excluded, the last matching line deciding. A pattern that matches a
//! directory also matches everything under it. Globs are compiled with `globset`.

use globset::{Glob, GlobBuilder, GlobMatcher};

/// The compiled patterns of one `.dockerignore`.
#[derive(Clone, Debug, Default)]
pub struct DockerIgnore {
    rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
struct Rule {
    matcher: GlobMatcher,
    /// A `!` line.
    include: bool,
}

impl DockerIgnore {
    /// Compiles the text of a `.dockerignore`.
    ///
    /// # Errors
    /// The pattern that is not a valid glob, with the reason.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rules = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let line = line.trim();
            let (include, pattern) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let pattern = clean(pattern);
            if pattern.is_empty() {
                continue;
            }
            let glob: Glob = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| format!(".dockerignore: pattern `{line}`: {e}"))?;
            rules.push(Rule {
                matcher: glob.compile_matcher(),
                include,
            });
        }
        Ok(Self { rules })
    }

    /// Whether any line re-includes something (then an excluded directory must still be
    /// walked, since a file below it may come back).
    #[must_use]
    pub fn has_exceptions(&self) -> bool {
        self.rules.iter().any(|r| r.include)
    }

    /// Whether `path` (relative to the context, `/`-separated) is left out of the context.
    #[must_use]
    pub fn excludes(&self, path: &str) -> bool {
        let mut excluded = false;
        for rule in &self.rules {
            if rule.include == excluded && matches_or_parent(&rule.matcher, path) {
                excluded = !rule.include;
            }
        }
        excluded
    }
}

/// moby's `MatchesOrParentMatches`: the path itself or one of its parent directories.
fn matches_or_parent(matcher: &GlobMatcher, path: &str) -> bool {
    if matcher.is_match(path) {
        return true;
    }
    let mut end = path.len();
    while let Some(slash) = path[..end].rfind('/') {
        if matcher.is_match(&path[..slash]) {
            return true;
        }
        end = slash;
    }
    false
}

/// `filepath.Clean` of a pattern, without the leading `/`: `./a//b/` is `a/b`, `a/../b` is `b`.
fn clean(pattern: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::DockerIgnore;

    fn ignore(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).unwrap()
    }

    #[test]
    fn patterns_are_anchored_at_the_context_root() {
        let i = ignore("ignored.txt\n/secret\n# comment.txt\n\n");
        assert!(i.excludes("ignored.txt"));
        assert!(!i.excludes("sub/ignored.txt"));
        assert!(i.excludes("secret"));
        assert!(
            i.excludes("secret/key.pem"),
            "a matched directory takes its contents"
        );
        assert!(!i.excludes("# comment.txt"));
        assert!(!i.excludes("kept.txt"));
    }

    #[test]
    fn a_star_stays_within_one_element_and_a_double_star_crosses_them() {
        let i = ignore("*.log\n**/*.tmp\ndocs/**/draft*\n");
        assert!(i.excludes("build.log"));
        assert!(!i.excludes("logs/build.log"));
        assert!(i.excludes("x.tmp"));
        assert!(i.excludes("a/b/x.tmp"));
        assert!(i.excludes("docs/draft1.md"));
        assert!(i.excludes("docs/a/b/draft2.md"));
        assert!(!i.excludes("src/draft.md"));
    }

    #[test]
    fn an_exception_re_includes_and_the_last_match_wins() {
        let i = ignore("*.md\n!README.md\nREADME-*.md\n!README-keep.md\n");
        assert!(i.excludes("CHANGES.md"));
        assert!(!i.excludes("README.md"));
        assert!(i.excludes("README-old.md"));
        assert!(!i.excludes("README-keep.md"));
        let i = ignore("!keep.txt\n*\n");
        assert!(
            i.excludes("keep.txt"),
            "a later exclusion overrides an earlier exception"
        );
        let i = ignore("data\n!data/wanted.csv\n");
        assert!(i.has_exceptions());
        assert!(i.excludes("data/other.csv"));
        assert!(!i.excludes("data/wanted.csv"));
    }

    #[test]
    fn patterns_are_cleaned_and_classes_work() {
        let i = ignore("./a//b/\nsub/../top.txt\nfile[0-9].txt\n?.c\n");
        assert!(i.excludes("a/b"));
        assert!(i.excludes("a/b/c"));
        assert!(i.excludes("top.txt"));
        assert!(i.excludes("file7.txt"));
        assert!(!i.excludes("filex.txt"));
        assert!(i.excludes("x.c"));
        assert!(!i.excludes("xy.c"));
    }

    #[test]
    fn a_bad_pattern_is_named() {
        let e = DockerIgnore::parse("[unclosed\n").unwrap_err();
        assert!(e.contains("`[unclosed`"), "{e}");
    }
}
