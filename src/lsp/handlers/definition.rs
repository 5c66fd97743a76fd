//! `textDocument/definition`: a name used in the file jumps to its top-level `def` function or
//! variable, read from the tree of the current version's analysis (no parse of its own).
//! Shared-library globals (`vars/NAME.groovy`) are resolved by `lsp::library` when this finds
//! nothing.

use lsp_types::{Location, Position};

use crate::lsp::document::Document;
use crate::lsp::scan;
use crate::source::Span;
use crate::syntax::ast;

/// Where the name under the cursor is defined at the top level of `file` (the tree of the
/// document's current text; `None` when it does not parse).
#[must_use]
pub fn definition(
    doc: &Document,
    file: Option<&ast::File>,
    position: Position,
) -> Option<Location> {
    let text = &doc.text;
    let offset = doc.index.offset(text, position);
    let word = scan::word_at(text, offset)?;
    if scan::receiver(text, word.start as usize).is_some() {
        return None;
    }
    let name = &text[word.range()];
    let span = top_level(file?, name)?;
    Some(Location::new(doc.uri.clone(), doc.index.range(text, span)))
}

/// The name span of the top-level method or variable called `name` (the first one).
fn top_level(file: &ast::File, name: &str) -> Option<Span> {
    file.stmts.iter().find_map(|stmt| match &stmt.node {
        ast::StmtKind::Method(m) if m.name.node == name => Some(m.name.span),
        ast::StmtKind::VarDecl(decl) => match &decl.targets {
            ast::DeclTargets::Names(names) => names
                .iter()
                .find(|d| d.name.node == name)
                .map(|d| d.name.span),
            ast::DeclTargets::Tuple { names, .. } => names
                .iter()
                .find(|(_, n)| n.node == name)
                .map(|(_, n)| n.span),
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range};

    use crate::lint::LintOptions;
    use crate::lsp::analysis::analyse;
    use crate::lsp::document::Document;
    use crate::lsp::handlers::testing::doc_at;

    fn definition(doc: &Document, at: Position) -> Option<lsp_types::Location> {
        let analysis = analyse(doc, &LintOptions::default());
        super::definition(doc, analysis.file.as_deref(), at)
    }

    #[test]
    fn functions_and_variables_at_the_top_level() {
        let (doc, at) =
            doc_at("def greet(n) { echo n }\ndef TARGET = 'x'\nnode { gr|eet(TARGET) }\n");
        let loc = definition(&doc, at).unwrap();
        assert_eq!(
            loc.range,
            Range::new(Position::new(0, 4), Position::new(0, 9))
        );
        let (doc, at) =
            doc_at("def greet(n) { echo n }\ndef TARGET = 'x'\nnode { greet(TAR|GET) }\n");
        assert_eq!(
            definition(&doc, at).unwrap().range.start,
            Position::new(1, 4)
        );
        let (doc, at) = doc_at("node { s|h 'x' }\n");
        assert_eq!(definition(&doc, at), None);
        let (doc, at) = doc_at("def x = 1\nnode { env.|x }\n");
        assert_eq!(definition(&doc, at), None);
    }
}
