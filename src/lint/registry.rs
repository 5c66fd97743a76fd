//! The rule table: one line per rule with its code, default severity and check function. A
//! rule's documentation is the `//!` comment of its own file, read here with `include_str!`,
//! so the SARIF output, `--help` texts and the source never disagree.

use super::Context;
use super::rules;
use crate::diagnostic::{Diagnostic, Severity};

/// A lint rule.
pub struct Rule {
    /// Kebab-case code, as written in diagnostics, `ignore[…]` comments and `[rules]`.
    pub code: &'static str,
    pub severity: Severity,
    pub(crate) check: fn(&Context<'_>, &mut Vec<Diagnostic>),
    /// The rule's source file, whose leading `//!` lines are its documentation.
    source: &'static str,
}

macro_rules! rule {
    ($code:literal, $severity:ident, $module:ident) => {
        Rule {
            code: $code,
            severity: Severity::$severity,
            check: rules::$module::check,
            source: include_str!(concat!("rules/", stringify!($module), ".rs")),
        }
    };
}

/// Every rule, in the order they run and are listed.
pub static RULES: &[Rule] = &[
    rule!("unknown-step", Warning, unknown_step),
    rule!("step-arguments", Warning, step_arguments),
    rule!("secret-interpolation", Warning, secret_interpolation),
    rule!("cps-closure-method", Warning, cps_closure_method),
    rule!("unpinned-image", Warning, unpinned_image),
    rule!("sh-bashism", Warning, sh_bashism),
];

/// The rule with this code.
#[must_use]
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

impl Rule {
    /// The documentation: What it flags, Why, Example, Fix (Markdown).
    #[must_use]
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out
    }

    /// The one-line summary: the first line of the documentation.
    #[must_use]
    pub fn summary(&self) -> String {
        self.doc().lines().next().unwrap_or_default().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn every_rule_is_documented_with_the_fixed_sections() {
        for rule in RULES {
            let doc = rule.doc();
            assert!(!rule.summary().is_empty(), "{}: no summary", rule.code);
            for section in ["## What it flags", "## Why", "## Example", "## Fix"] {
                assert!(doc.contains(section), "{}: no `{section}`", rule.code);
            }
            let kebab = rule
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-');
            assert!(kebab, "{}: not kebab-case", rule.code);
        }
    }
}
