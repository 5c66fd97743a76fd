//! Shared-library globals in the editor: the `vars/NAME.groovy` files of the libraries
//! configured with local paths (`[libraries]` in `.jenkinsfile/config.toml`, `--library`, or
//! the `libraries` setting), as lint reads them. Hover shows the global's help, completion
//! offers its name where steps are offered, and go-to-definition opens its file. Libraries
//! given as git URLs are not fetched, so their globals are unknown here as they are to lint.
//!
//! The help is what Jenkins shows on its global-variable reference page, `vars/NAME.txt`;
//! without one, the comment right before `def call` (or at the top of the file).

use std::path::PathBuf;

use lsp_types::{
    CompletionItem, CompletionItemKind, Documentation, Hover, HoverContents, Location,
    MarkupContent, MarkupKind, Position, Range,
};

use crate::lint::LintOptions;
use crate::lsp::document::{Document, path_uri};
use crate::lsp::position::LineIndex;
use crate::lsp::scan;
use crate::source::Span;

/// One global: `vars/<name>.groovy` of library `library`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Global {
    pub library: String,
    pub name: String,
    pub file: PathBuf,
}

/// Every global of the configured local libraries, the first library winning a name.
#[must_use]
pub fn globals(options: &LintOptions) -> Vec<Global> {
    let mut out: Vec<Global> = Vec::new();
    for (library, dir) in &options.library_dirs {
        let Ok(entries) = std::fs::read_dir(dir.join("vars")) else {
            continue;
        };
        let mut found: Vec<Global> = entries
            .filter_map(|e| {
                let file = e.ok()?.path();
                let name = file.file_name()?.to_str()?.strip_suffix(".groovy")?;
                Some(Global {
                    library: library.clone(),
                    name: name.to_owned(),
                    file: file.clone(),
                })
            })
            .filter(|g| out.iter().all(|o| o.name != g.name))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(found);
    }
    out
}

/// The global called `name`, if a configured library has one.
#[must_use]
pub fn find(options: &LintOptions, name: &str) -> Option<Global> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    {
        return None;
    }
    options.library_dirs.iter().find_map(|(library, dir)| {
        let file = dir.join("vars").join(format!("{name}.groovy"));
        file.is_file().then(|| Global {
            library: library.clone(),
            name: name.to_owned(),
            file,
        })
    })
}

impl Global {
    /// The help: `vars/NAME.txt`, else the comment before `def call` or at the top.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        if let Ok(txt) = std::fs::read_to_string(self.file.with_extension("txt"))
            && !txt.trim().is_empty()
        {
            return Some(txt.trim().to_owned());
        }
        let source = std::fs::read_to_string(&self.file).ok()?;
        let before = source
            .find("def call")
            .map_or(source.as_str(), |at| &source[..at]);
        doc_comment(before).or_else(|| doc_comment_at_top(&source))
    }

    /// The hover text.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "**`{}`**: global variable of shared library `{}` (`vars/{}.groovy`)",
            self.name, self.library, self.name
        );
        if let Some(help) = self.help() {
            out.push_str("\n\n");
            out.push_str(&help);
        }
        out
    }

    /// Its `def call` (the first), or the top of the file.
    #[must_use]
    pub fn location(&self) -> Option<Location> {
        let uri = path_uri(&self.file)?;
        let text = std::fs::read_to_string(&self.file).unwrap_or_default();
        let range = text.find("def call").map_or_else(Range::default, |at| {
            let start = at + "def ".len();
            LineIndex::new(&text).range(&text, Span::new(start, start + "call".len()))
        });
        Some(Location::new(uri, range))
    }
}

/// The comment that ends `text` (after trailing white space): a `/* … */` block or a run of
/// `//` lines, without its markers.
fn doc_comment(text: &str) -> Option<String> {
    let text = text.trim_end();
    if let Some(body) = text.strip_suffix("*/") {
        let open = body.rfind("/*")?;
        return clean_block(&body[open + 2..]);
    }
    let lines: Vec<&str> = text
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with("//"))
        .collect();
    let body: Vec<&str> = lines
        .iter()
        .rev()
        .map(|l| l.trim_start_matches('/').trim())
        .collect();
    let body = body.join("\n");
    (!body.trim().is_empty()).then(|| body.trim().to_owned())
}

/// The comment that opens `text`, if it starts with one.
fn doc_comment_at_top(text: &str) -> Option<String> {
    let text = text.trim_start();
    if let Some(rest) = text.strip_prefix("/*") {
        return clean_block(&rest[..rest.find("*/")?]);
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| l.starts_with("//"))
        .map(|l| l.trim_start_matches('/').trim())
        .collect();
    let body = lines.join("\n");
    (!body.trim().is_empty()).then(|| body.trim().to_owned())
}

/// A block comment's text without the `*` that starts each line (and the second `*` of `/**`).
fn clean_block(body: &str) -> Option<String> {
    let body = body.strip_prefix('*').unwrap_or(body);
    let lines: Vec<&str> = body
        .lines()
        .map(|l| {
            let l = l.trim();
            l.strip_prefix("* ")
                .or_else(|| l.strip_prefix('*'))
                .unwrap_or(l)
        })
        .collect();
    let body = lines.join("\n");
    (!body.trim().is_empty()).then(|| body.trim().to_owned())
}

/// The global named by the word under the cursor: not a member (`x.name`), not in a string
/// or comment unless inside `${…}`.
fn at_cursor(doc: &Document, position: Position, options: &LintOptions) -> Option<(Global, Span)> {
    if options.library_dirs.is_empty() {
        return None;
    }
    let text = &doc.text;
    let offset = doc.index.offset(text, position);
    let span = scan::word_at(text, offset)?;
    let start = span.start as usize;
    let cx = scan::context(text, start);
    if cx.in_string_or_comment && !cx.in_interpolation(text, start) {
        return None;
    }
    if scan::receiver(text, start).is_some() {
        return None;
    }
    Some((find(options, &text[span.range()])?, span))
}

/// `textDocument/hover` on a library global.
#[must_use]
pub fn hover(doc: &Document, position: Position, options: &LintOptions) -> Option<Hover> {
    let (global, span) = at_cursor(doc, position, options)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: global.markdown(),
        }),
        range: Some(doc.index.range(&doc.text, span)),
    })
}

/// `textDocument/definition` of a library global: its `vars/NAME.groovy`.
#[must_use]
pub fn definition(doc: &Document, position: Position, options: &LintOptions) -> Option<Location> {
    at_cursor(doc, position, options)?.0.location()
}

/// Completion items for every global, offered where step names are.
#[must_use]
pub fn completion_items(options: &LintOptions) -> Vec<CompletionItem> {
    globals(options)
        .into_iter()
        .map(|g| CompletionItem {
            label: g.name.clone(),
            kind: Some(CompletionItemKind::FUNCTION),
            detail: Some(format!("shared library {}", g.library)),
            documentation: g.help().map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            ..CompletionItem::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use lsp_types::{HoverContents, Position, Range};

    use super::{completion_items, definition, globals, hover};
    use crate::lint::LintOptions;
    use crate::lsp::handlers::testing::doc_at;

    /// A library `ci` with `deployApp` (help in a `.txt`), `notify` (a `/** */` comment
    /// before `def call`) and `plain` (no help).
    fn library() -> (tempfile::TempDir, LintOptions) {
        let dir = tempfile::tempdir().unwrap();
        let vars = dir.path().join("vars");
        std::fs::create_dir_all(&vars).unwrap();
        std::fs::write(
            vars.join("deployApp.groovy"),
            "// top\n\ndef call(String env) {\n  sh \"deploy ${env}\"\n}\n",
        )
        .unwrap();
        std::fs::write(vars.join("deployApp.txt"), "Deploys the app to `env`.\n").unwrap();
        std::fs::write(
            vars.join("notify.groovy"),
            "import x.Y\n\n/**\n * Posts to the team channel.\n * @param msg text\n */\ndef call(msg) { echo msg }\n",
        )
        .unwrap();
        std::fs::write(vars.join("plain.groovy"), "def call() {}\n").unwrap();
        std::fs::write(vars.join("README.md"), "not a global\n").unwrap();
        let mut options = LintOptions::default();
        options
            .library_dirs
            .insert("ci".into(), dir.path().to_path_buf());
        (dir, options)
    }

    fn hover_text(text: &str, options: &LintOptions) -> Option<String> {
        let (doc, at) = doc_at(text);
        match hover(&doc, at, options)?.contents {
            HoverContents::Markup(m) => Some(m.value),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hover_shows_the_txt_help_or_the_doc_comment() {
        let (_dir, options) = library();
        let txt = hover_text("node { deplo|yApp 'prod' }\n", &options).unwrap();
        assert!(txt.contains("shared library `ci`"), "{txt}");
        assert!(txt.contains("Deploys the app to `env`."), "{txt}");
        let comment = hover_text("node { notify('x') }\nnotif|y 'y'\n", &options).unwrap();
        assert!(
            comment.ends_with("Posts to the team channel.\n@param msg text"),
            "{comment}"
        );
        let plain = hover_text("pla|in()\n", &options).unwrap();
        assert!(plain.ends_with("(`vars/plain.groovy`)"), "{plain}");
        // Not a member, not inside a string, not without the library.
        assert_eq!(hover_text("x.notif|y()\n", &options), None);
        assert_eq!(hover_text("echo 'notif|y'\n", &options), None);
        assert_eq!(hover_text("notif|y()\n", &LintOptions::default()), None);
    }

    #[test]
    fn completion_lists_every_global_once() {
        let (_dir, mut options) = library();
        // A second library with a global of the same name: the first one wins.
        let (other, _) = library();
        options
            .library_dirs
            .insert("other".into(), other.path().to_path_buf());
        let items = completion_items(&options);
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["deployApp", "notify", "plain"]);
        assert_eq!(items[0].detail.as_deref(), Some("shared library ci"));
        assert!(items[0].documentation.is_some() && items[2].documentation.is_none());
        assert_eq!(globals(&LintOptions::default()), []);
    }

    #[test]
    fn definition_opens_the_globals_def_call() {
        let (dir, options) = library();
        let (doc, at) =
            doc_at("pipeline { agent any\n stages { stage('a') { steps { notif|y 'x' } } } }\n");
        let loc = definition(&doc, at, &options).unwrap();
        assert!(
            loc.uri.as_str().ends_with("/vars/notify.groovy"),
            "{}",
            loc.uri.as_str()
        );
        assert!(loc.uri.as_str().starts_with("file://"));
        // `def call` on line 6 (0-based), `call` at column 4.
        assert_eq!(
            loc.range,
            Range::new(Position::new(6, 4), Position::new(6, 8))
        );
        let (doc, at) = doc_at("unkno|wn()\n");
        assert_eq!(definition(&doc, at, &options), None);
        drop(dir);
    }
}
