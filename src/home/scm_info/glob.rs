//! Ant-style path patterns, Jenkins' `GLOB` comparator (`SelectorUtils.matchPath`): `?` is
//! one character, `*` any run of characters within a segment, `**` any number of whole
//! segments. Segments are split on `/`.

/// Whether `path` matches the Ant pattern `pattern`.
#[must_use]
pub fn ant_glob_matches(pattern: &str, path: &str, case_sensitive: bool) -> bool {
    let fold = |s: &str| {
        if case_sensitive {
            s.to_owned()
        } else {
            s.to_lowercase()
        }
    };
    let (pattern, path) = (fold(pattern), fold(path));
    // Ant: a pattern ending in `/` means everything below it.
    let pattern = if pattern.ends_with('/') {
        format!("{pattern}**")
    } else {
        pattern
    };
    let parts: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if pattern.starts_with('/') != path.starts_with('/') {
        return false;
    }
    match_segments(&parts, &segs)
}

fn match_segments(pats: &[&str], segs: &[&str]) -> bool {
    match pats.split_first() {
        None => segs.is_empty(),
        Some((&"**", rest)) => (0..=segs.len()).any(|skip| match_segments(rest, &segs[skip..])),
        Some((pat, rest)) => match segs.split_first() {
            Some((seg, more)) => match_segment(pat, seg) && match_segments(rest, more),
            None => false,
        },
    }
}

/// `*` and `?` within one segment.
fn match_segment(pat: &str, text: &str) -> bool {
    let pat: Vec<char> = pat.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while t < text.len() {
        if p < pat.len() && (pat[p] == '?' || pat[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pat.len() && pat[p] == '*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::ant_glob_matches;

    #[test]
    fn ant_patterns() {
        let m = |p, s| ant_glob_matches(p, s, true);
        assert!(m("*.md", "README.md"));
        assert!(!m("*.md", "docs/README.md"));
        assert!(m("**/*.md", "docs/README.md"));
        assert!(m("**/*.md", "README.md"));
        assert!(m("src/**", "src/a/b.rs"));
        assert!(m("src/", "src/a/b.rs"));
        assert!(m("src/**/test?.rs", "src/x/y/test1.rs"));
        assert!(!m("src/**/test?.rs", "src/x/y/test12.rs"));
        assert!(m("release-*", "release-1.2"));
        assert!(!m("release-*", "feature/release-1.2"));
        assert!(m("feature/*", "feature/x"));
        assert!(!m("feature/*", "feature/x/y"));
        assert!(!m("Main", "main"));
        assert!(ant_glob_matches("Main", "main", false));
    }
}
