//! One parse per document version. The tree, the declarative model's outline and the lint
//! findings are computed together, once, and shared by diagnostics, code actions, the
//! outline and go-to-definition; nothing else in the server parses. A version that does not
//! parse keeps the outline of the last version that did, so the editor's outline does not
//! blink away while the user types an unfinished brace.

use std::sync::Arc;

use lsp_types::DocumentSymbol;

use crate::diagnostic::Diagnostic;
use crate::lint::{self, LintOptions};
use crate::lsp::document::{Document, Parsed};
use crate::lsp::handlers::diagnostics;
use crate::lsp::handlers::symbols;
use crate::model;
use crate::source::SourceFile;
use crate::syntax::{self, ast};

/// Everything known about one version of a document.
#[derive(Debug, Default)]
pub struct Analysis {
    pub version: i32,
    /// The tree, when this version parses.
    pub file: Option<Arc<ast::File>>,
    /// The same tree with its text, for the next version's reparse.
    pub parsed: Option<Arc<Parsed>>,
    /// Whether the tree came from reparsing one closure or block of the last version that
    /// parsed (`false` for a full parse).
    pub spliced: bool,
    /// The outline, when this version parses.
    pub outline: Option<Vec<DocumentSymbol>>,
    /// What `jenkinsfile lint` reports for this text.
    pub findings: Vec<Diagnostic>,
    /// The one diagnostic shown instead of the findings (document too large, configuration
    /// unusable, internal error).
    pub note: Option<lsp_types::Diagnostic>,
}

/// Parses, builds the model and lints the document's current text, once.
#[must_use]
pub fn analyse(doc: &Document, options: &LintOptions) -> Analysis {
    let mut out = Analysis {
        version: doc.version,
        ..Analysis::default()
    };
    if let Some(note) = diagnostics::too_large(doc) {
        out.note = Some(note);
        return out;
    }
    let source = SourceFile::new(doc.name(), doc.text.clone());
    let parsed = match &doc.parsed {
        Some(previous) => {
            let reparse = syntax::reparse(&previous.text, &previous.file, &source);
            out.spliced = reparse.spliced;
            reparse.result
        }
        None => syntax::parse(&source),
    };
    let file = match parsed {
        Ok(file) => file,
        Err(diags) => {
            out.findings = diags;
            return out;
        }
    };
    let model_options = model::Options {
        catalogue: options.model_catalogue(),
    };
    let (pipeline, validator) = model::build_with(&file, &source, &model_options);
    out.outline = Some(symbols::outline(doc, &file, pipeline.as_ref()));
    out.findings = lint::check_parsed(&source, &file, validator, options);
    let file = Arc::new(file);
    out.parsed = Some(Arc::new(Parsed {
        text: source.text,
        file: Arc::clone(&file),
    }));
    out.file = Some(file);
    out
}
