//! The features, one file each, as pure functions of (document, settings, position): no I/O
//! besides what the shared configuration loader reads, no client, no evaluation. The server
//! loop calls them; their unit tests call them directly.

pub mod code_action;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod hover;
pub mod settings;
pub mod symbols;

#[cfg(test)]
pub(crate) mod testing {
    //! Documents and positions for the handler tests.

    use std::str::FromStr;

    use lsp_types::{Position, Uri};

    use crate::lsp::document::Document;

    /// A document named `Jenkinsfile` holding `text`, with the cursor where `|` was (removed).
    pub(crate) fn doc_at(text: &str) -> (Document, Position) {
        let at = text.find('|').expect("a `|` marks the cursor");
        let clean = format!("{}{}", &text[..at], &text[at + 1..]);
        let doc = doc(&clean);
        let position = doc.index.position(&doc.text, at);
        (doc, position)
    }

    pub(crate) fn doc(text: &str) -> Document {
        Document::new(
            Uri::from_str("file:///work/Jenkinsfile").unwrap(),
            1,
            "jenkinsfile".into(),
            text.into(),
        )
    }
}
