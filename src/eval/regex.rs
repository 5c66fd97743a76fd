//! `java.util.regex` for `~/re/`, `=~` and `==~`, on the `regex` crate, falling back to
//! `fancy-regex` (a backtracking engine) for the Java features the crate lacks: look-around
//! and back-references. A pattern neither accepts fails with a message that says so instead
//! of silently matching differently.

use std::ops::Range;

use regex::Regex;

use super::flow::{Flow, R};
use super::value::Value;

/// The groups of one match as byte ranges of the text (0 is the whole match).
pub type Groups = Vec<Option<Range<usize>>>;

#[derive(Debug)]
enum Engine {
    Plain(Regex),
    Fancy(Box<fancy_regex::Regex>),
}

/// Java's quoting `\Q…\E` (to `\E` or the end), which neither engine reads, as escaped text.
fn unquote(source: &str) -> std::borrow::Cow<'_, str> {
    if !source.contains("\\Q") {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.chars().next() {
            Some('Q') => {
                let quoted = &after[1..];
                let end = quoted.find("\\E").unwrap_or(quoted.len());
                out.push_str(&regex::escape(&quoted[..end]));
                rest = quoted.get(end + 2..).unwrap_or("");
            }
            // An escape pair stays as it is (`\\Q` is a backslash, then Q).
            Some(c) => {
                out.push('\\');
                out.push(c);
                rest = &after[c.len_utf8()..];
            }
            None => {
                out.push('\\');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

impl Engine {
    fn new(source: &str) -> Result<Engine, String> {
        let source = &*unquote(source);
        match Regex::new(source) {
            Ok(re) => Ok(Engine::Plain(re)),
            Err(plain) => fancy_regex::Regex::new(source)
                .map(|re| Engine::Fancy(Box::new(re)))
                .map_err(|fancy| unsupported(source, &plain, &fancy)),
        }
    }

    fn captures_all(&self, text: &str) -> Vec<Groups> {
        match self {
            Engine::Plain(re) => re
                .captures_iter(text)
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                .collect(),
            // A backtracking limit hit mid-text ends the search there.
            Engine::Fancy(re) => re
                .captures_iter(text)
                .map_while(Result::ok)
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                .collect(),
        }
    }

    fn captures(&self, text: &str) -> Option<Groups> {
        match self {
            Engine::Plain(re) => re
                .captures(text)
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect()),
            Engine::Fancy(re) => re
                .captures(text)
                .ok()
                .flatten()
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect()),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Engine::Plain(re) => re.is_match(text),
            Engine::Fancy(re) => re.is_match(text).unwrap_or(false),
        }
    }

    fn captures_len(&self) -> usize {
        match self {
            Engine::Plain(re) => re.captures_len(),
            Engine::Fancy(re) => re.captures_len(),
        }
    }

    fn capture_names(&self) -> Vec<Option<String>> {
        match self {
            Engine::Plain(re) => re.capture_names().map(|n| n.map(String::from)).collect(),
            Engine::Fancy(re) => re.capture_names().map(|n| n.map(String::from)).collect(),
        }
    }
}

#[derive(Debug)]
pub struct Pattern {
    source: String,
    re: Engine,
    /// The same pattern anchored at both ends, for `matches()` and `==~`.
    full: Engine,
}

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, String> {
        let re = Engine::new(source)?;
        // Quoted text is unquoted first, so a `\Q` left open ends before the anchor.
        let full = Engine::new(&format!("^(?:{})$", unquote(source)))?;
        Ok(Pattern {
            source: source.to_string(),
            re,
            full,
        })
    }

    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    #[must_use]
    pub fn matches(&self, text: &str) -> bool {
        self.full.is_match(text)
    }

    /// Every match, left to right, as Java's `find()` walks them.
    #[must_use]
    pub fn captures_all(&self, text: &str) -> Vec<Groups> {
        self.re.captures_all(text)
    }

    /// The text of the first match, for `String.find(regex)`.
    #[must_use]
    pub fn find<'t>(&self, text: &'t str) -> Option<&'t str> {
        let groups = self.re.captures(text)?;
        groups.first()?.clone().map(|r| &text[r])
    }

    /// `groupCount()`: the capturing groups, not counting the whole match.
    #[must_use]
    pub fn group_count(&self) -> usize {
        self.re.captures_len().saturating_sub(1)
    }

    /// The number of the group called `name`.
    #[must_use]
    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.re
            .capture_names()
            .iter()
            .position(|n| n.as_deref() == Some(name))
    }

    /// The groups of a whole-string match, for `==~` in `switch` and `matches()`.
    #[must_use]
    pub fn groups_of_full(&self, text: &str) -> Option<Vec<Option<String>>> {
        self.full.captures(text).map(|c| {
            c.into_iter()
                .map(|m| m.map(|r| text[r].to_string()))
                .collect()
        })
    }

    /// Java's `Pattern.split(text, limit)`: a zero-width match at the start makes no empty
    /// first part; with `limit` 0 the trailing empty parts are dropped.
    #[must_use]
    pub fn split<'t>(&self, text: &'t str, limit: i64) -> Vec<&'t str> {
        let mut parts = Vec::new();
        let mut index = 0;
        let max = usize::try_from(limit).unwrap_or(0);
        for groups in self.re.captures_all(text) {
            let Some(Some(m)) = groups.into_iter().next() else {
                continue;
            };
            if max > 0 && parts.len() + 1 >= max {
                break;
            }
            if index == 0 && m.start == 0 && m.is_empty() {
                continue;
            }
            parts.push(&text[index..m.start]);
            index = m.end;
        }
        if index == 0 && parts.is_empty() {
            return vec![text];
        }
        parts.push(&text[index..]);
        if limit == 0 {
            while parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
        }
        parts
    }

    /// Java's `replaceAll`, with its replacement syntax: `$1`, `${name}`, `\$`.
    pub fn replace_all(&self, text: &str, replacement: &str) -> R<String> {
        self.replace(text, replacement, usize::MAX)
    }

    pub fn replace_first(&self, text: &str, replacement: &str) -> R<String> {
        self.replace(text, replacement, 1)
    }

    fn replace(&self, text: &str, replacement: &str, times: usize) -> R<String> {
        let mut out = String::new();
        let mut last = 0;
        for groups in self.re.captures_all(text).into_iter().take(times) {
            let Some(Some(whole)) = groups.first().cloned() else {
                continue;
            };
            out.push_str(&text[last..whole.start]);
            self.expand(text, &groups, replacement, &mut out)?;
            last = whole.end;
        }
        out.push_str(&text[last..]);
        Ok(out)
    }

    /// `Matcher.appendReplacement`'s reading of a replacement string, with Java's errors.
    fn expand(&self, text: &str, groups: &Groups, replacement: &str, out: &mut String) -> R<()> {
        let illegal = |m: &str| Flow::exception("java.lang.IllegalArgumentException", m);
        let mut chars = replacement.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(n) => out.push(n),
                    None => return Err(illegal("character to be escaped is missing")),
                },
                '$' => {
                    let group = match chars.peek() {
                        None => {
                            return Err(illegal("Illegal group reference: group index is missing"));
                        }
                        Some('{') => {
                            chars.next();
                            let mut name = String::new();
                            for n in chars.by_ref() {
                                if n == '}' {
                                    break;
                                }
                                name.push(n);
                            }
                            self.group_index(&name)
                                .ok_or_else(|| illegal(&format!("No group with name {{{name}}}")))?
                        }
                        Some(d) if d.is_ascii_digit() => {
                            // The first digit always counts; later ones while the number is
                            // still a group.
                            let mut n = d.to_digit(10).unwrap_or(0) as usize;
                            chars.next();
                            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                                let more = n * 10 + d as usize;
                                if more > self.group_count() {
                                    break;
                                }
                                n = more;
                                chars.next();
                            }
                            if n > self.group_count() {
                                return Err(Flow::exception(
                                    "java.lang.IndexOutOfBoundsException",
                                    format!("No group {n}"),
                                ));
                            }
                            n
                        }
                        Some(_) => return Err(illegal("Illegal group reference")),
                    };
                    if let Some(Some(r)) = groups.get(group) {
                        out.push_str(&text[r.clone()]);
                    }
                }
                other => out.push(other),
            }
        }
        Ok(())
    }
}

fn unsupported(source: &str, plain: &regex::Error, fancy: &fancy_regex::Error) -> String {
    let why = if matches!(fancy, fancy_regex::Error::ParseError(..)) {
        fancy.to_string()
    } else {
        plain.to_string()
    };
    format!(
        "unsupported regular expression /{source}/ (a Java feature neither regex engine has): {why}"
    )
}

/// The result of `text =~ pattern`: all matches, found eagerly, and Java's cursor over them
/// (`find()` advances it; `group()` reads the match it points at).
#[derive(Debug)]
pub struct Matcher {
    pub pattern: std::rc::Rc<Pattern>,
    pub text: String,
    /// Each match as its groups (0 is the whole match).
    pub found: Vec<Vec<Option<String>>>,
    /// The index in `found` of the current match, if any.
    current: std::cell::Cell<Option<usize>>,
    /// Where the next `find()` starts.
    next: std::cell::Cell<usize>,
}

impl Matcher {
    #[must_use]
    pub fn new(pattern: std::rc::Rc<Pattern>, text: &str) -> Matcher {
        let found = pattern
            .captures_all(text)
            .into_iter()
            .map(|groups| {
                groups
                    .into_iter()
                    .map(|m| m.map(|r| text[r].to_string()))
                    .collect()
            })
            .collect();
        Matcher {
            pattern,
            text: text.to_string(),
            found,
            current: std::cell::Cell::new(None),
            next: std::cell::Cell::new(0),
        }
    }

    /// Groovy's `asBoolean`: resets, then finds the first match (which becomes current).
    #[must_use]
    pub fn find_any(&self) -> bool {
        self.current.set(None);
        self.next.set(0);
        self.find()
    }

    /// Java's `find()`: moves to the next match; false (and no current match) past the last.
    pub fn find(&self) -> bool {
        let i = self.next.get();
        if i < self.found.len() {
            self.current.set(Some(i));
            self.next.set(i + 1);
            true
        } else {
            self.current.set(None);
            false
        }
    }

    /// `matches()`: whether the whole text matches; the first match becomes current (an
    /// approximation: Java's current match is then the whole text).
    pub fn matches(&self) -> bool {
        let whole = self.pattern.matches(&self.text);
        self.current
            .set(whole.then_some(0).filter(|_| !self.found.is_empty()));
        self.next.set(1);
        whole
    }

    /// The groups of the current match.
    #[must_use]
    pub fn current(&self) -> Option<&Vec<Option<String>>> {
        self.found.get(self.current.get()?)
    }

    /// `matcher[i]`: the match text, or a list of match and groups when there are groups.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Value> {
        let groups = self.found.get(i)?;
        Some(groups_value(groups))
    }

    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "java.util.regex.Matcher[pattern={} region=0,{} lastmatch=]",
            self.pattern.source,
            self.text.chars().count()
        )
    }
}

/// One match as Groovy shows it: a string without groups, else `[whole, g1, …]`.
#[must_use]
pub fn groups_value(groups: &[Option<String>]) -> Value {
    let s = |g: &Option<String>| g.as_deref().map_or(Value::Null, Value::str);
    if groups.len() == 1 {
        s(&groups[0])
    } else {
        Value::list(groups.iter().map(s).collect())
    }
}

#[cfg(test)]
mod quote_tests {
    use super::unquote;

    #[test]
    fn quoted_text_is_escaped() {
        assert_eq!(unquote(r"a\Q.*\Eb"), r"a\.\*b");
        assert_eq!(unquote(r"\Q(x"), r"\(x");
        assert_eq!(unquote(r"a\\Qb"), r"a\\Qb");
        assert_eq!(unquote(r"\d+"), r"\d+");
    }
}
