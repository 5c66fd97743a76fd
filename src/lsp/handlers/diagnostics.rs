//! `textDocument/publishDiagnostics`: exactly what `jenkinsfile lint` reports for the unsaved
//! text, converted to the protocol: code, severity, UTF-16 range, the secondary labels as
//! related information, the help as a second paragraph, and a link to the code's
//! documentation (`docs/rules/<code>.md`, built in and written once by the server to the
//! user's cache directory), for lint rules, syntax errors and Jenkins' validator codes alike.

use std::path::{Path, PathBuf};

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lsp::document::{Document, path_uri};
use crate::lsp::rule_docs::{self, PAGES};
use crate::source::Span;

/// The largest document checked as you type. `cargo bench --bench lsp` (release) takes
/// 110–220 ms to parse, model and lint its 1,000-line, ~40 KB file on a loaded 2-core
/// machine, so 200 KiB is roughly 0.5–1 s on the lint worker; a bigger buffer gets one note
/// instead.
pub const LIVE_LIMIT: usize = 200 << 10;

/// Where the rule documentation files are: `<dir>/<code>.md`.
#[derive(Clone, Debug, Default)]
pub struct RuleDocs {
    pub dir: Option<PathBuf>,
}

impl RuleDocs {
    /// Writes the page of every code (`docs/rules/`, as built in) under `dir`.
    pub fn write(dir: &Path) -> std::io::Result<RuleDocs> {
        std::fs::create_dir_all(dir)?;
        for (code, page) in PAGES {
            std::fs::write(dir.join(format!("{code}.md")), page)?;
        }
        Ok(RuleDocs {
            dir: Some(dir.to_path_buf()),
        })
    }

    /// The note `d` (too large, configuration unusable) with the link to its code's page.
    #[must_use]
    pub fn linked(&self, mut d: lsp_types::Diagnostic) -> lsp_types::Diagnostic {
        if let Some(NumberOrString::String(code)) = &d.code {
            d.code_description = self.link(code);
        }
        d
    }

    fn link(&self, code: &str) -> Option<CodeDescription> {
        rule_docs::page(code)?;
        let href = path_uri(&self.dir.as_ref()?.join(format!("{code}.md")))?;
        Some(CodeDescription { href })
    }
}

/// One protocol diagnostic.
#[must_use]
pub fn to_lsp(doc: &Document, diag: &Diagnostic, docs: &RuleDocs) -> lsp_types::Diagnostic {
    let range = |span: Span| doc.index.range(&doc.text, span);
    let related: Vec<DiagnosticRelatedInformation> = diag
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(doc.uri.clone(), range(label.span)),
            message: label.message.clone(),
        })
        .collect();
    let mut message = diag.message.clone();
    if let Some(help) = &diag.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp_types::Diagnostic {
        range: range(diag.span),
        severity: Some(match diag.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(diag.code.to_owned())),
        code_description: docs.link(diag.code),
        source: Some("jenkinsfile".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// Every diagnostic of a lint run, converted.
#[must_use]
pub fn convert(
    doc: &Document,
    diags: &[Diagnostic],
    docs: &RuleDocs,
) -> Vec<lsp_types::Diagnostic> {
    diags.iter().map(|d| to_lsp(doc, d, docs)).collect()
}

/// The note shown instead of the findings of a document over [`LIVE_LIMIT`].
#[must_use]
pub fn too_large(doc: &Document) -> Option<lsp_types::Diagnostic> {
    let len = doc.text.len();
    (len > LIVE_LIMIT).then(|| lsp_types::Diagnostic {
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String("too-large-for-live-lint".to_owned())),
        source: Some("jenkinsfile".to_owned()),
        message: format!(
            "unsupported: this document is {} KiB; checking as you type stops at {} KiB. \
             Run `jenkinsfile lint` on the saved file",
            len >> 10,
            LIVE_LIMIT >> 10
        ),
        ..lsp_types::Diagnostic::default()
    })
}

/// The one diagnostic shown when the configuration cannot be used.
#[must_use]
pub fn config_error(message: &str) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config-invalid".to_owned())),
        source: Some("jenkinsfile".to_owned()),
        message: message.to_owned(),
        ..lsp_types::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use lsp_types::{DiagnosticSeverity, NumberOrString, Position, Range};

    use super::{RuleDocs, convert};
    use crate::diagnostic::Diagnostic;
    use crate::lint::LintOptions;
    use crate::lsp::analysis::analyse;
    use crate::lsp::document::Document;
    use crate::lsp::handlers::testing::doc;

    fn lint(d: &Document, options: &LintOptions) -> Vec<Diagnostic> {
        analyse(d, options).findings
    }

    #[test]
    fn lint_findings_keep_code_severity_and_utf16_range() {
        // The `é` in the comment is two bytes but one UTF-16 unit.
        let d = doc("// é\nnode {\n  shh 'make'\n}\n");
        let diags = lint(&d, &LintOptions::default());
        assert_eq!(diags.len(), 1, "{diags:?}");
        let out = convert(&d, &diags, &RuleDocs::default());
        assert_eq!(
            out[0].code,
            Some(NumberOrString::String("unknown-step".into()))
        );
        assert_eq!(out[0].severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(out[0].range.start, Position::new(2, 2));
        assert_eq!(out[0].range.end, Position::new(2, 5));
        assert!(
            out[0].message.contains("did you mean `sh`?"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn syntax_errors_and_rule_links() {
        let dir = tempfile::tempdir().unwrap();
        let docs = RuleDocs::write(dir.path()).unwrap();
        let d = doc(
            "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps { sh \"echo ${\" }\n",
        );
        let out = convert(&d, &lint(&d, &LintOptions::default()), &docs);
        assert!(!out.is_empty());
        assert_eq!(out[0].severity, Some(DiagnosticSeverity::ERROR));
        let d = doc("node {\n  sh 'if [[ -f x ]]; then echo; fi'\n}\n");
        let out = convert(&d, &lint(&d, &LintOptions::default()), &docs);
        let bashism = out
            .iter()
            .find(|o| o.code == Some(NumberOrString::String("sh-bashism".into())))
            .expect("a bashism finding");
        let href = bashism.code_description.as_ref().unwrap().href.as_str();
        assert!(
            href.starts_with("file://") && href.ends_with("/sh-bashism.md"),
            "{href}"
        );
        assert!(dir.path().join("sh-bashism.md").is_file());
        assert_ne!(bashism.range, Range::default());
        // A syntax error and a Jenkins validator error link to their pages too.
        let d = doc("pipeline {\n  stages { stage('a') { steps { echo 'x' } } }\n}\n");
        let out = convert(&d, &lint(&d, &LintOptions::default()), &docs);
        let missing = out
            .iter()
            .find(|o| o.code == Some(NumberOrString::String("missing-agent".into())))
            .expect("a missing-agent finding");
        let href = missing.code_description.as_ref().unwrap().href.as_str();
        assert!(href.ends_with("/missing-agent.md"), "{href}");
        let page = std::fs::read_to_string(dir.path().join("missing-agent.md")).unwrap();
        assert!(page.contains("Missing required section \"{0}\""), "{page}");
        let d = doc("node { echo 'x\n");
        let out = convert(&d, &lint(&d, &LintOptions::default()), &docs);
        assert!(out[0].code_description.is_some(), "{:?}", out[0]);
    }

    #[test]
    fn every_rule_page_is_the_rules_own_documentation() {
        for rule in crate::lint::RULES {
            assert_eq!(
                crate::lsp::rule_docs::page(rule.code),
                Some(rule.doc().as_str()),
                "docs/rules/{}.md differs from the rule's `//!` documentation",
                rule.code
            );
        }
        let codes: Vec<&str> = super::PAGES.iter().map(|(c, _)| *c).collect();
        assert!(codes.is_sorted(), "PAGES must stay sorted by code");
    }
}
