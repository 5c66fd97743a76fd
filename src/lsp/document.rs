//! An open document: the editor's unsaved text, its version and line index, and where it
//! lives on disk (for the configuration file search). Edits arrive as ranges in editor
//! positions and are applied here, in order.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use lsp_types::{DocumentSymbol, TextDocumentContentChangeEvent, Uri};

use super::analysis::Analysis;
use super::position::LineIndex;
use crate::discover::is_jenkinsfile_name;
use crate::syntax::ast;

/// The source of generations, shared by every document: a document opened again under the
/// same URI never reuses a generation of its predecessor, so a late result for the old text
/// is always recognised as stale.
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

/// The language id editors use for Jenkinsfiles (a `*.groovy` file opened with it is linted too).
pub const LANGUAGE_ID: &str = "jenkinsfile";

#[derive(Clone, Debug)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub language_id: String,
    pub text: String,
    pub index: LineIndex,
    /// Renewed (from one counter for all documents) by every edit and by every change of the
    /// options: an analysis made at another generation is stale.
    pub generation: u64,
    /// The analysis of the current text, once it is done.
    pub analysis: Option<Arc<Analysis>>,
    /// The outline of the last version that parsed.
    pub outline: Arc<Vec<DocumentSymbol>>,
    /// The last version that parsed, kept across edits so that the next analysis reparses
    /// only the closure or block that changed.
    pub parsed: Option<Arc<Parsed>>,
}

/// A text and its tree.
#[derive(Debug)]
pub struct Parsed {
    pub text: String,
    pub file: Arc<ast::File>,
}

impl Document {
    #[must_use]
    pub fn new(uri: Uri, version: i32, language_id: String, text: String) -> Self {
        let index = LineIndex::new(&text);
        Document {
            uri,
            version,
            language_id,
            text,
            index,
            generation: next_generation(),
            analysis: None,
            outline: Arc::default(),
            parsed: None,
        }
    }

    /// Forgets the analysis (the options changed).
    pub fn invalidate(&mut self) {
        self.generation = next_generation();
        self.analysis = None;
    }

    /// Stores the analysis of the current text, keeping the last good outline when this
    /// version does not parse.
    pub fn set_analysis(&mut self, mut analysis: Analysis) {
        if let Some(parsed) = &analysis.parsed {
            self.parsed = Some(Arc::clone(parsed));
        }
        if let Some(outline) = analysis.outline.take() {
            self.outline = Arc::new(outline);
        }
        self.analysis = Some(Arc::new(analysis));
    }

    /// Applies the editor's changes in order: a change without a range replaces the text.
    pub fn apply(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let span = self.index.span(&self.text, range);
                    self.text.replace_range(span.range(), &change.text);
                }
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
        self.invalidate();
    }

    /// The file on disk, for `file:` URIs.
    #[must_use]
    pub fn path(&self) -> Option<PathBuf> {
        file_path(&self.uri)
    }

    /// The name diagnostics are reported under: the path, or the URI itself.
    #[must_use]
    pub fn name(&self) -> String {
        self.path()
            .map_or_else(|| self.uri.as_str().to_owned(), |p| p.display().to_string())
    }

    /// Whether the server checks this document: the jenkinsfile language id, or a file
    /// named like a Jenkinsfile whatever language the editor guessed (often `groovy`).
    #[must_use]
    pub fn is_jenkinsfile(&self) -> bool {
        if self.language_id == LANGUAGE_ID {
            return true;
        }
        let name = self.uri.as_str().rsplit('/').next().unwrap_or("");
        is_jenkinsfile_name(&crate::percent::decode(name))
    }
}

/// The local path of a `file:` URI (`file:///a/b%20c` → `/a/b c`).
#[must_use]
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` names the same file as `file:///x`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    rest.starts_with('/')
        .then(|| PathBuf::from(crate::percent::decode(rest)))
}

/// The `file:` URI of an absolute path, escaping everything but unreserved characters and `/`.
/// `.` and `..` are resolved in the text (a library path such as `../lib` from the settings
/// must not reach the editor as `/ws/../lib/vars/x.groovy`, which it would open as a second
/// buffer of the same file); links are not followed.
#[must_use]
pub fn path_uri(path: &Path) -> Option<Uri> {
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    let text = clean.to_str()?;
    let mut out = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Uri::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::str::FromStr;

    use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

    use super::{Document, file_path, path_uri};

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn incremental_changes_apply_in_order_with_utf16_columns() {
        let mut doc = Document::new(
            uri("file:///x/Jenkinsfile"),
            1,
            "groovy".into(),
            "é😀b\n".into(),
        );
        let change = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        };
        // Replace `😀` (columns 1..3), then insert at the new end of line 0.
        doc.apply(2, vec![change(0, 1, 0, 3, "ü"), change(0, 3, 0, 3, "!")]);
        assert_eq!(doc.text, "éüb!\n");
        assert_eq!(doc.version, 2);
        assert!(doc.is_jenkinsfile());
    }

    #[test]
    fn file_uris_decode_to_paths() {
        assert_eq!(
            file_path(&uri("file:///a/b%20c/Jenkinsfile")),
            Some(PathBuf::from("/a/b c/Jenkinsfile"))
        );
        assert_eq!(file_path(&uri("untitled:Untitled-1")), None);
        let back = path_uri(&PathBuf::from("/a/b c/é")).unwrap();
        assert_eq!(back.as_str(), "file:///a/b%20c/%C3%A9");
        assert_eq!(file_path(&back), Some(PathBuf::from("/a/b c/é")));
        let dotted = path_uri(&PathBuf::from("/ws/ci/../lib/./vars/x.groovy")).unwrap();
        assert_eq!(dotted.as_str(), "file:///ws/lib/vars/x.groovy");
        let above_root = path_uri(&PathBuf::from("/../x")).unwrap();
        assert_eq!(above_root.as_str(), "file:///x");
        let doc = Document::new(
            uri("file:///a/build.groovy"),
            1,
            "groovy".into(),
            String::new(),
        );
        assert!(!doc.is_jenkinsfile());
    }
}
