//! `--format json`: one JSON document for the whole run. The shape is versioned by
//! `"version"` and only ever grows (new optional fields); a change that removes or renames a
//! field bumps the version. Documented in README.md (`Output formats`).
//!
//! ```json
//! {
//!   "version": 1,
//!   "diagnostics": [{
//!     "file": "Jenkinsfile", "code": "sh-bashism", "severity": "warning",
//!     "message": "…", "label": "bash only" | null, "help": "…" | null,
//!     "range": {"start": {"line": 3, "column": 9, "offset": 40},
//!               "end":   {"line": 3, "column": 11, "offset": 42}},
//!     "labels": [{"message": "…", "range": {…}}],
//!     "fix": {"title": "…", "edits": [{"range": {…}, "replacement": "…"}]} | null,
//!     "jenkins": {"line": 3, "column": 5, "message": "…"} | null
//!   }],
//!   "summary": {"files": 1, "errors": 0, "warnings": 1, "infos": 0}
//! }
//! ```
//! Lines and columns are 1-based and count characters; offsets are 0-based bytes; an end is
//! exclusive. Diagnostics come file by file, in source order.

use serde::Serialize;

use super::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, Span};

/// The version of this shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<Entry<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Entry<'a> {
    file: &'a str,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    label: Option<&'a str>,
    help: Option<&'a str>,
    range: Range,
    labels: Vec<LabelOut<'a>>,
    fix: Option<FixOut<'a>>,
    jenkins: Option<JenkinsOut<'a>>,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: u32,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    message: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct FixOut<'a> {
    title: &'a str,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    range: Range,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JenkinsOut<'a> {
    line: u32,
    column: u32,
    message: &'a str,
}

/// The severity's name in the machine formats.
#[must_use]
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn range(source: &SourceFile, span: Span) -> Range {
    let position = |offset: u32| {
        let lc = source.line_col(offset as usize);
        Position {
            line: lc.line,
            column: lc.column,
            offset,
        }
    };
    Range {
        start: position(span.start),
        end: position(span.end),
    }
}

fn entry<'a>(source: &'a SourceFile, d: &'a Diagnostic) -> Entry<'a> {
    Entry {
        file: &source.name,
        code: d.code,
        severity: severity_name(d.severity),
        message: &d.message,
        label: d.label.as_deref(),
        help: d.help.as_deref(),
        range: range(source, d.span),
        labels: d
            .secondary
            .iter()
            .map(|l| LabelOut {
                message: &l.message,
                range: range(source, l.span),
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| FixOut {
            title: &f.title,
            edits: f
                .edits
                .iter()
                .map(|e| EditOut {
                    range: range(source, e.span),
                    replacement: &e.replacement,
                })
                .collect(),
        }),
        jenkins: d.jenkins.as_ref().map(|j| JenkinsOut {
            line: j.line,
            column: j.column,
            message: j.message.as_deref().unwrap_or(&d.message),
        }),
    }
}

/// The whole run as one pretty-printed JSON document, ending with a newline.
#[must_use]
pub fn render(reports: &[FileReport<'_>]) -> String {
    let diagnostics: Vec<Entry<'_>> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| entry(r.source, d)))
        .collect();
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| r.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let doc = Document {
        version: VERSION,
        summary: Summary {
            files: reports.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
        diagnostics,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
