//! Credential ids in the editor: hover on the id in `credentialsId: 'x'` or `credentials('x')`
//! shows its type and description from the local store, and completion inside such a string
//! offers the store's ids. The store is found as `jenkinsfile run` finds it (the
//! repository's `.jenkinsfile/credentials.toml` from the document's directory,
//! `JENKINSFILE_CREDENTIALS`, the user file). Only what loading parses is shown: no secret is
//! ever resolved (no variable, file, command or STS call is read for it).

use std::fmt::Write as _;
use std::path::Path;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Hover, HoverContents,
    MarkupContent, MarkupKind, Position, TextEdit,
};

use super::document::Document;
use super::scan;
use crate::creds::{Entry, Store, StoreOptions};
use crate::source::Span;

/// The store for a document in `dir`, without starting any process; a store that cannot be
/// read is an empty one.
#[must_use]
pub fn load(dir: Option<&Path>) -> Store {
    load_reporting(dir).0
}

/// [`load`], with the reason when the store could not be read (shown by the hover, which
/// would otherwise say that no store file was found).
#[must_use]
pub fn load_reporting(dir: Option<&Path>) -> (Store, Option<String>) {
    read(&StoreOptions {
        jenkinsfile_dir: dir.map(Path::to_path_buf),
        no_processes: true,
        ..StoreOptions::from_env()
    })
}

fn read(options: &StoreOptions) -> (Store, Option<String>) {
    match Store::load(options) {
        Ok((store, _)) => (store, None),
        Err(e) => (Store::empty(), Some(e.to_string())),
    }
}

/// The string a credential id goes in, holding `offset`: the span of its content (up to the
/// closing quote, or the cursor in an unterminated one).
#[must_use]
pub fn id_string_at(text: &str, offset: usize) -> Option<Span> {
    let cx = scan::context(text, offset);
    let open = cx.region_start?;
    if !cx.in_string_or_comment {
        return None;
    }
    let quote = *text.as_bytes().get(open)?;
    if quote != b'\'' && quote != b'"' {
        return None;
    }
    if !takes_credential_id(&text[..open]) {
        return None;
    }
    let content = open + 1;
    let rest = &text[content..];
    let len = rest
        .find([char::from(quote), '\n'])
        .unwrap_or(rest.len())
        .max(offset.saturating_sub(content));
    Some(Span::new(content, content + len))
}

/// Whether a string written after `before` is a credential id: the value of `credentialsId:`
/// (or `*CredentialsId:`, as in `registryCredentialsId`) or the argument of `credentials(`.
fn takes_credential_id(before: &str) -> bool {
    let before = before.trim_end();
    if let Some(call) = before.strip_suffix('(') {
        return ident_before(call.trim_end()) == "credentials";
    }
    let Some(key) = before.strip_suffix(':') else {
        return false;
    };
    let key = ident_before(key.trim_end());
    key == "credentialsId" || key.ends_with("CredentialsId")
}

/// The identifier `text` ends with.
fn ident_before(text: &str) -> &str {
    let start = text
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    &text[start..]
}

/// What is known of a credential without its secrets.
fn describe(entry: &Entry) -> String {
    let mut out = format!(
        "**credential** `{}`: {} (`{}`)",
        entry.id,
        entry.kind.display_name(),
        entry.kind.type_name()
    );
    if !entry.description.is_empty() {
        let _ = write!(out, "\n\n{}", entry.description);
    }
    let _ = write!(
        out,
        "\n\nFrom the {} store, `{}`.",
        entry.origin,
        entry.file.display()
    );
    out
}

/// The hover on a credential id the store knows.
#[must_use]
pub fn hover(doc: &Document, position: Position, store: &Store) -> Option<Hover> {
    hover_reporting(doc, position, store, None)
}

/// [`hover`], naming `problem`, why the store could not be read, for an id it lacks.
#[must_use]
pub fn hover_reporting(
    doc: &Document,
    position: Position,
    store: &Store,
    problem: Option<&str>,
) -> Option<Hover> {
    let text = &doc.text;
    let offset = doc.index.offset(text, position);
    let span = id_string_at(text, offset)?;
    let value = match (store.lookup(&text[span.range()]), problem) {
        (Some(entry), _) => describe(entry),
        (None, Some(problem)) => format!(
            "**credential** `{}`: the local store could not be read: {problem}",
            &text[span.range()],
        ),
        (None, None) => format!(
            "**credential** `{}`: not in the local store{}",
            &text[span.range()],
            if store.files.is_empty() {
                " (no store file was found)"
            } else {
                ""
            }
        ),
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(doc.index.range(text, span)),
    })
}

/// The store's ids, when the cursor is in a string that takes one; `None` elsewhere.
#[must_use]
pub fn completion(
    doc: &Document,
    position: Position,
    store: &Store,
) -> Option<Vec<CompletionItem>> {
    let text = &doc.text;
    let offset = doc.index.offset(text, position);
    let span = id_string_at(text, offset)?;
    // The typed part is replaced, so ids with `-` or `.` complete as a whole.
    let typed = doc
        .index
        .range(text, Span::new(span.start as usize, offset));
    let quote = text.as_bytes()[span.start as usize - 1];
    Some(
        store
            .entries()
            .map(|entry| CompletionItem {
                label: entry.id.clone(),
                kind: Some(CompletionItemKind::VALUE),
                detail: Some(entry.kind.display_name().to_owned()),
                documentation: Some(Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: describe(entry),
                })),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: typed,
                    new_text: escape(&entry.id, quote),
                })),
                ..CompletionItem::default()
            })
            .collect(),
    )
}

/// An id as written inside a string opened by `quote`: in `"…"` a `$` would start an
/// interpolation, so it is escaped with `\`, as are `\` and the quote itself.
fn escape(id: &str, quote: u8) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c == '\\' || c == char::from(quote) || (quote == b'"' && c == '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
