//! Bash-only syntax in an `sh` script that runs under `/bin/sh`.
//!
//! ## What it flags
//! In the literal text of an `sh` step's script (or the literal parts of an interpolated one)
//! that has no bash shebang: `source`, `[[ … ]]`, `function f`, arrays (`a=(…)`, `${a[0]}`),
//! `==` inside `[ … ]`, `$'…'`, `&>`, `<<<`, brace expansion `{a,b}`, `pipefail`, process
//! substitution `<(…)`, `(( … ))`, bash-only parameter expansions (`${v:0:3}`, `${v//a/b}`),
//! `echo -e`, and the builtins `pushd`, `popd`, `shopt`, `declare`, `typeset`. Quoted text,
//! comments and here-documents are not read.
//!
//! ## Why
//! Jenkins writes the script to a file and runs it with `sh -xe` unless the script starts
//! with `#!`. On Debian and Ubuntu agents (and most Docker images built on them) `sh` is dash,
//! which rejects or silently misreads these constructs; the same Jenkinsfile then works on one
//! agent and fails on another. A shebang only counts in the very first characters: a script
//! that starts with a newline before `#!/bin/bash` still runs under `sh`.
//!
//! ## Example
//! ```groovy
//! sh 'if [[ -f build.gradle ]]; then ./gradlew build; fi'
//! ```
//!
//! ## Fix
//! Write POSIX sh (`[ -f build.gradle ]`), or put `#!/bin/bash` at the very start of the
//! script so that Jenkins runs it with bash.

mod scan;

use crate::diagnostic::Diagnostic;
use crate::lint::Context;
use crate::lint::walk::{self, Frame, Visitor};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{Expr, ExprKind, GStringPart, Quote};

const CODE: &str = "sh-bashism";

/// Stands in for an interpolated value: a plain word, so the scanner reads on.
const PLACEHOLDER: &str = "GROOVY";

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    walk::walk(
        cx.file,
        &mut Rule {
            source: cx.source,
            out,
        },
    );
}

struct Rule<'s, 'o> {
    source: &'s SourceFile,
    out: &'o mut Vec<Diagnostic>,
}

/// Script text assembled from a string literal, with where each piece came from.
struct Script {
    text: String,
    /// Pieces whose source position is known, one per literal part.
    pieces: Vec<Piece>,
    /// The whole literal, for findings in pieces whose position is not known.
    whole: Span,
}

impl<'a> Visitor<'a> for Rule<'_, '_> {
    fn expr(&mut self, expr: &'a Expr, _frames: &[Frame<'a>]) {
        let Some(call) = walk::call(expr).filter(|c| c.receiver.is_none() && c.name == "sh") else {
            return;
        };
        let Some(arg) = call.first_positional().or_else(|| call.named("script")) else {
            return;
        };
        let Some(script) = self.script(arg) else {
            return;
        };
        let shebang = shebang_interpreter(&script.text);
        if shebang.is_some_and(|i| !matches!(i, "sh" | "dash" | "ash")) {
            return;
        }
        let late_shebang = shebang.is_none() && script.text.trim_start().starts_with("#!");
        let mut seen = Vec::new();
        for finding in scan::scan(&script.text) {
            // One report per kind and script keeps a long script readable.
            if seen.contains(&finding.kind) {
                continue;
            }
            seen.push(finding.kind);
            let (what, fix) = finding.kind.describe();
            let mut help = format!(
                "{fix}; Jenkins runs `sh` scripts with /bin/sh, which is dash on Debian and Ubuntu"
            );
            if late_shebang {
                help.push_str(
                    "; the `#!` line does not count because it is not at the very start of \
                     the script",
                );
            }
            self.out.push(
                Diagnostic::warning(
                    CODE,
                    format!("{what}, but `sh` runs /bin/sh"),
                    script.span(finding.start, finding.end),
                )
                .with_label("bash only")
                .with_help(help),
            );
        }
    }
}

impl Rule<'_, '_> {
    fn script(&self, arg: &Expr) -> Option<Script> {
        let mut script = Script {
            text: String::new(),
            pieces: Vec::new(),
            whole: arg.span,
        };
        match &arg.node {
            ExprKind::Str(s) => {
                let open = quote_len(s.quote);
                let raw = self.source.slice(Span::new(
                    arg.span.start as usize + open,
                    (arg.span.end as usize).saturating_sub(open),
                ));
                script.push(&s.value, raw, arg.span.start as usize + open);
            }
            ExprKind::GString(g) => {
                for part in &g.parts {
                    match part {
                        GStringPart::Text(t) => {
                            script.push(&t.node, self.source.slice(t.span), t.span.start as usize);
                        }
                        GStringPart::Interp { .. } | GStringPart::Empty(_) => {
                            script.text.push_str(PLACEHOLDER);
                        }
                    }
                }
            }
            _ => return None,
        }
        Some(script)
    }
}

impl Script {
    /// Appends decoded text, with where each of its bytes came from in the source when that
    /// can be worked out from the raw text.
    fn push(&mut self, decoded: &str, raw: &str, source_start: usize) {
        let at = self.text.len();
        let offsets = if decoded == raw {
            Some((0..=decoded.len()).collect())
        } else {
            escape_offsets(raw, decoded)
        };
        if let Some(offsets) = offsets {
            self.pieces.push(Piece {
                at,
                len: decoded.len(),
                source_start,
                offsets,
            });
        }
        self.text.push_str(decoded);
    }

    /// The source span of a script range: exact where the piece's offsets are known, else
    /// the whole literal.
    fn span(&self, start: usize, end: usize) -> Span {
        for piece in &self.pieces {
            if start >= piece.at && end <= piece.at + piece.len {
                let from = piece.source_start + piece.offsets[start - piece.at];
                let to = piece.source_start + piece.offsets[end - piece.at];
                return Span::new(from, to);
            }
        }
        self.whole
    }
}

/// A literal part of a script and the raw offset (from the part's source start) of each byte
/// boundary of its decoded text.
struct Piece {
    at: usize,
    len: usize,
    source_start: usize,
    offsets: Vec<usize>,
}

/// Maps decoded text back to its raw form through Groovy's backslash escapes: for each byte
/// boundary of `decoded`, the raw offset. `None` when the raw text decodes to something else
/// (an escape this mapping does not know), so that no finding points at the wrong place.
fn escape_offsets(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let mut offsets = Vec::with_capacity(decoded.len() + 1);
    let mut rebuilt = String::with_capacity(decoded.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let value = if c == '\\' {
            let (_, next) = chars.next()?;
            match next {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'b' => '\u{8}',
                'f' => '\u{c}',
                '\\' | '\'' | '"' | '$' | '/' => next,
                // A backslash before a line break joins the lines.
                '\n' => continue,
                _ => return None,
            }
        } else {
            c
        };
        for _ in 0..value.len_utf8() {
            offsets.push(i);
        }
        rebuilt.push(value);
    }
    offsets.push(raw.len());
    (rebuilt == decoded).then_some(offsets)
}

fn quote_len(quote: Quote) -> usize {
    match quote {
        Quote::Single | Quote::Double | Quote::Slashy => 1,
        Quote::DollarSlashy => 2,
        Quote::TripleSingle | Quote::TripleDouble => 3,
    }
}

/// The interpreter named by a `#!` line at the very start (`bash` for `#!/usr/bin/env bash`).
fn shebang_interpreter(script: &str) -> Option<&str> {
    let line = script.strip_prefix("#!")?.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    let program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        return words.find(|w| !w.starts_with('-'));
    }
    Some(program)
}

#[cfg(test)]
mod tests {
    use super::escape_offsets;

    #[test]
    fn escapes_map_back_to_the_raw_text() {
        let raw = r"a\\nb\$c";
        let offsets = escape_offsets(raw, "a\\nb$c").unwrap();
        // `b` is decoded byte 3 and raw byte 4; `c` is decoded 5, raw 7.
        assert_eq!(offsets[3], 4);
        assert_eq!(offsets[5], 7);
        assert_eq!(offsets[6], raw.len());
        assert!(escape_offsets(r"\u0041", "A").is_none());
    }
}
