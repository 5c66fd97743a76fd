//! `java.util.regex` for `~/re/`, `=~` and `==~`, on the `regex` crate. Java features the
//! crate lacks (look-around, back-references, possessive quantifiers) fail with a message
//! that says so instead of silently matching differently.

use std::fmt::Write as _;

use regex::Regex;

use super::value::Value;

#[derive(Debug)]
pub struct Pattern {
    source: String,
    re: Regex,
    /// The same pattern anchored at both ends, for `matches()` and `==~`.
    full: Regex,
}

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, String> {
        let re = Regex::new(source).map_err(|e| unsupported(source, &e))?;
        let full = Regex::new(&format!("^(?:{source})$")).map_err(|e| unsupported(source, &e))?;
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
    pub fn regex(&self) -> &Regex {
        &self.re
    }

    #[must_use]
    pub fn matches(&self, text: &str) -> bool {
        self.full.is_match(text)
    }

    /// The groups of a whole-string match, for `==~` in `switch` and `matches()`.
    #[must_use]
    pub fn groups_of_full(&self, text: &str) -> Option<Vec<Option<String>>> {
        self.full.captures(text).map(|c| {
            c.iter()
                .map(|m| m.map(|m| m.as_str().to_string()))
                .collect()
        })
    }

    /// Java's `replaceAll` replacement: `$1` and `\$` as Java reads them.
    #[must_use]
    pub fn replace_all(&self, text: &str, replacement: &str) -> String {
        self.re
            .replace_all(text, java_replacement(replacement).as_str())
            .into_owned()
    }

    #[must_use]
    pub fn replace_first(&self, text: &str, replacement: &str) -> String {
        self.re
            .replace(text, java_replacement(replacement).as_str())
            .into_owned()
    }
}

fn unsupported(source: &str, err: &regex::Error) -> String {
    format!(
        "unsupported regular expression /{source}/ (Java features such as look-around and back-references are not supported): {err}"
    )
}

/// Converts Java's `$1`/`\$` replacement syntax to the crate's `${1}`/`$$`.
fn java_replacement(r: &str) -> String {
    let mut out = String::new();
    let mut chars = r.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if n == '$' {
                        out.push_str("$$");
                    } else {
                        out.push(n);
                    }
                }
            }
            '$' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let _ = write!(out, "${{{digits}}}");
            }
            other => out.push(other),
        }
    }
    out
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
            .re
            .captures_iter(text)
            .map(|c| {
                c.iter()
                    .map(|m| m.map(|m| m.as_str().to_string()))
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
