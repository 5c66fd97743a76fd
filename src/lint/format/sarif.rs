//! `--format sarif`: SARIF 2.1.0, the format code-scanning services import. One run; the
//! driver lists every rule with its summary and documentation (from the rule's own file), and
//! any other code that appears (`syntax-error`, the validator's codes) with its code as
//! description. Regions carry lines, columns (Unicode code points, as `columnKind` says) and
//! byte offsets; fixes become SARIF fixes.

use std::fmt::Write as _;

use indexmap::IndexMap;
use serde_json::{Value, json};

use super::{FileReport, Region};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::registry::RULES;
use crate::source::{SourceFile, Span};

#[must_use]
pub fn render(reports: &[FileReport<'_>]) -> String {
    let mut rules: IndexMap<&str, Value> = IndexMap::new();
    for rule in RULES {
        let doc = rule.doc();
        rules.insert(
            rule.code,
            json!({
                "id": rule.code,
                "shortDescription": {"text": rule.summary()},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": level(rule.severity)},
            }),
        );
    }
    for d in reports.iter().flat_map(|r| r.diagnostics) {
        rules.entry(d.code).or_insert_with(|| {
            json!({
                "id": d.code,
                "shortDescription": {"text": d.code},
                "defaultConfiguration": {"level": level(d.severity)},
            })
        });
    }
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| result(r.source, d, &rules)))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "jenkinsfile",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(source: &SourceFile, d: &Diagnostic, rules: &IndexMap<&str, Value>) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut out = json!({
        "ruleId": d.code,
        "ruleIndex": rules.get_index_of(d.code),
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical(source, d.span)}],
    });
    if !d.secondary.is_empty() {
        out["relatedLocations"] = d
            .secondary
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "physicalLocation": physical(source, l.span),
                    "message": {"text": l.message},
                })
            })
            .collect();
    }
    if let Some(fix) = &d.fix {
        out["fixes"] = json!([{
            "description": {"text": fix.title},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri(&source.name)},
                "replacements": fix.edits.iter().map(|e| json!({
                    "deletedRegion": region(source, e.span),
                    "insertedContent": {"text": e.replacement},
                })).collect::<Vec<_>>(),
            }],
        }]);
    }
    out
}

fn physical(source: &SourceFile, span: Span) -> Value {
    json!({
        "artifactLocation": {"uri": uri(&source.name)},
        "region": region(source, span),
    })
}

fn region(source: &SourceFile, span: Span) -> Value {
    let r = Region::of(source, span);
    json!({
        "startLine": r.start_line,
        "startColumn": r.start_column,
        "endLine": r.end_line,
        "endColumn": r.end_column,
        "byteOffset": span.start,
        "byteLength": span.len(),
    })
}

/// A relative URI reference for a path: `/` separators, and everything outside the unreserved
/// characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
