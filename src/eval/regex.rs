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

/// The result of `text =~ pattern`: all matches, found eagerly.
#[derive(Debug)]
pub struct Matcher {
    pub pattern: std::rc::Rc<Pattern>,
    pub text: String,
    /// Each match as its groups (0 is the whole match).
    pub found: Vec<Vec<Option<String>>>,
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
        }
    }

    #[must_use]
    pub fn find_any(&self) -> bool {
        !self.found.is_empty()
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
