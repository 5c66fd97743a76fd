//! `// jenkinsfile: ignore[code, …]` comments. A comment suppresses the listed codes on its own
//! line and, when it stands alone on its line, on the next line. Comments come from the parser
//! (`ast::File::comments`), so `//` inside a string never counts.

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::ast::File;

const MARKER: &str = "jenkinsfile: ignore[";

/// One suppression: these codes on these lines (1-based, inclusive).
struct Ignore {
    first_line: usize,
    last_line: usize,
    codes: Vec<String>,
}

/// Drops the diagnostics that a comment suppresses.
pub(super) fn apply(diags: Vec<Diagnostic>, file: &File, source: &SourceFile) -> Vec<Diagnostic> {
    let ignores = ignores(file, source);
    if ignores.is_empty() {
        return diags;
    }
    diags
        .into_iter()
        .filter(|d| {
            let line = source.line_col(d.span.start as usize).line;
            !ignores.iter().any(|i| {
                (i.first_line..=i.last_line).contains(&line) && i.codes.iter().any(|c| c == d.code)
            })
        })
        .collect()
}

fn ignores(file: &File, source: &SourceFile) -> Vec<Ignore> {
    let mut out = Vec::new();
    for comment in &file.comments {
        let text = source.slice(comment.span);
        let Some(at) = text.find(MARKER) else {
            continue;
        };
        let rest = &text[at + MARKER.len()..];
        let Some(end) = rest.find(']') else { continue };
        let codes = rest[..end]
            .split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        let start = comment.span.start as usize;
        let line = source.line_col(start).line;
        let line_start = source.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let alone = source.text[line_start..start].trim().is_empty();
        let end_line = source.line_col(comment.span.end as usize).line;
        out.push(Ignore {
            first_line: line,
            last_line: if alone { end_line + 1 } else { end_line },
            codes,
        });
    }
    out
}
