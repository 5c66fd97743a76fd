//! `--format json`: the [`Plan`] as one pretty-printed JSON document (schema in the README).
//! A Jenkinsfile that does not parse or validate has no plan: it gets a document of the same
//! schema that says so, with the diagnostics in `lint --format json`'s shape.

use serde_json::json;

use super::model::{Plan, SCHEMA};
use crate::diagnostic::Diagnostic;
use crate::lint::format::{FileReport, json as lint_json};
use crate::source::SourceFile;

#[must_use]
pub fn render(plan: &Plan) -> String {
    let mut text =
        serde_json::to_string_pretty(plan).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// The document for a file with no plan: `error` says why (`the Jenkinsfile does not
/// parse`), `diagnostics` are the errors, each as `lint --format json` prints it.
#[must_use]
pub fn render_invalid(source: &SourceFile, diagnostics: &[Diagnostic], error: &str) -> String {
    let report = FileReport {
        source,
        diagnostics,
    };
    let lint: serde_json::Value =
        serde_json::from_str(&lint_json::render(&[report])).unwrap_or_default();
    let doc = json!({
        "schema": SCHEMA,
        "file": source.name,
        "error": error,
        "diagnostics": lint["diagnostics"],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
