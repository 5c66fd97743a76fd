//! The quick fix for stray steps in a stage that already has a `steps` block: wrapping them
//! in a `steps { }` of their own would make a duplicate section, so they move into the
//! existing block instead, before its statements when they stood before it and after them
//! when they stood after it (the order they run in does not change). One fix moves every
//! stray step of the stage, so applying it for any one of them leaves none.
//!
//! The edits are deletions of the stray runs (whole lines when a run has its lines to
//! itself) and insertions that replace only the whitespace inside the `steps` braces, so
//! they never overlap another fix made inside that block (a did-you-mean on a step).

use crate::diagnostic::{Fix, TextEdit};
use crate::model::build::Builder;
use crate::source::Span;

/// Ends a run of consecutive stray steps: `stray` moves to `runs` when it holds any.
pub(super) fn end_run(stray: &mut Vec<(usize, Span)>, runs: &mut Vec<Vec<(usize, Span)>>) {
    if !stray.is_empty() {
        runs.push(std::mem::take(stray));
    }
}

impl Builder<'_> {
    /// Gives every stray step of the stage one fix that moves them all into `block`, the
    /// stage's `steps` closure (its span may start before the `{`).
    pub(super) fn move_into_steps(&mut self, runs: &[Vec<(usize, Span)>], block: Span) {
        let fix = move_fix(&self.src.text, runs, block);
        for &(index, _) in runs.iter().flatten() {
            let diag = &mut self.diags[index];
            diag.help = Some(if fix.is_some() {
                "move it into the stage's `steps { … }` block".into()
            } else {
                // Not seen in practice: the block's braces are not where its span says.
                "move it into the stage's `steps { … }` block (no quick fix: the block's braces were not found)".into()
            });
            diag.fix.clone_from(&fix);
        }
    }
}

fn move_fix(text: &str, runs: &[Vec<(usize, Span)>], block: Span) -> Option<Fix> {
    let slice = text.get(block.range())?;
    let open = block.start as usize + slice.find('{')?;
    let close = block.start as usize + slice.rfind('}')?;
    if close <= open {
        return None;
    }
    let steps_indent = line_indent(text, open);
    let inner = format!("{steps_indent}{}", unit(steps_indent));
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut edits = Vec::new();
    for run in runs {
        let (first, last) = (run.first()?.1, run.last()?.1);
        let body = reindent(text, first, last, &inner);
        if (last.end as usize) <= open {
            before.push(body);
        } else if first.start as usize > close {
            after.push(body);
        } else {
            return None;
        }
        edits.push(TextEdit {
            span: deletion(text, first, last),
            replacement: String::new(),
        });
    }
    let inside = &text[open + 1..close];
    let content_start = open + 1 + (inside.len() - inside.trim_start().len());
    let content_end = open + 1 + inside.trim_end().len();
    // The `}` keeps its own line's indentation, or gets the `steps` line's when it shared a
    // line with the last statement.
    let close_indent = if text[content_end..close].contains('\n') {
        line_indent(text, close)
    } else {
        steps_indent
    };
    if content_start >= close {
        // An empty block: one edit between the braces.
        let all: Vec<String> = before.into_iter().chain(after).collect();
        edits.push(TextEdit {
            span: Span::new(open + 1, close),
            replacement: format!("\n{}\n{close_indent}", all.join("\n")),
        });
    } else {
        // The block's first statement goes on a line of its own when it shared the `{` line.
        if !before.is_empty() || !text[open + 1..content_start].contains('\n') {
            let mut lines = before.join("\n");
            if !lines.is_empty() {
                lines.push('\n');
            }
            edits.push(TextEdit {
                span: Span::new(open + 1, content_start),
                replacement: format!("\n{lines}{inner}"),
            });
        }
        // The `}` goes on a line of its own too when it shared the last statement's line.
        if !after.is_empty() || !text[content_end..close].contains('\n') {
            let mut moved = String::new();
            for body in &after {
                moved.push('\n');
                moved.push_str(body);
            }
            edits.push(TextEdit {
                span: Span::new(content_end, close),
                replacement: format!("{moved}\n{close_indent}"),
            });
        }
    }
    edits.sort_by_key(|e| e.span.start);
    Some(Fix {
        title: "Move into the stage's `steps { }`".into(),
        edits,
    })
}

/// The leading spaces and tabs of the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.find(|c| c != ' ' && c != '\t').unwrap_or(line.len())]
}

/// One level of indentation in the style of `indent`.
fn unit(indent: &str) -> &'static str {
    if indent.starts_with('\t') {
        "\t"
    } else if indent.len().is_multiple_of(4) && !indent.is_empty() {
        "    "
    } else {
        "  "
    }
}

/// The run's text with its lines moved from their own indentation to `inner`. A line that
/// starts inside a multi-line string is part of the string's value (a heredoc's `EOF` must
/// stay at its column), so it is kept as it is.
fn reindent(text: &str, first: Span, last: Span, inner: &str) -> String {
    let own = line_indent(text, first.start as usize);
    let region = &text[first.start as usize..last.end as usize];
    let in_string = lines_starting_in_string(region);
    let mut out = String::new();
    for (i, line) in region.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if in_string.get(i).copied().unwrap_or(false) {
            out.push_str(line);
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        out.push_str(inner);
        out.push_str(if i == 0 {
            line
        } else {
            line.strip_prefix(own).unwrap_or(line)
        });
    }
    out
}

/// For each line of `code`, whether it starts inside a string literal. Only `'''` and `"""`
/// strings span lines (a newline ends the others), so a scan for those, skipping comments and
/// one-line strings, is enough.
fn lines_starting_in_string(code: &str) -> Vec<bool> {
    let bytes = code.as_bytes();
    let mut starts = vec![false];
    // The closing delimiter we are inside of: a triple quote, or `*/` of a block comment.
    let mut open: Option<&[u8]> = None;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest[0] == b'\n' {
            starts.push(open.is_some_and(|close| close != b"*/"));
            i += 1;
        } else if let Some(close) = open {
            if rest[0] == b'\\' && close != b"*/" {
                // An escaped character, unless it is the newline counted above.
                i += if rest.get(1) == Some(&b'\n') { 1 } else { 2 };
            } else if rest.starts_with(close) {
                open = None;
                i += close.len();
            } else {
                i += 1;
            }
        } else if rest.starts_with(b"'''") || rest.starts_with(b"\"\"\"") {
            open = Some(&rest[..3]);
            i += 3;
        } else if rest.starts_with(b"/*") {
            open = Some(b"*/");
            i += 2;
        } else if rest.starts_with(b"//") {
            i += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        } else if rest[0] == b'\'' || rest[0] == b'"' {
            let quote = rest[0];
            let mut j = 1;
            while j < rest.len() && rest[j] != quote && rest[j] != b'\n' {
                j += if rest[j] == b'\\' && rest.get(j + 1) != Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            i += if rest.get(j) == Some(&quote) {
                j + 1
            } else {
                j
            };
        } else {
            i += 1;
        }
    }
    starts
}

/// What to delete for a run: its whole lines when nothing else is on them (a trailing `;`
/// aside), else the run alone.
fn deletion(text: &str, first: Span, last: Span) -> Span {
    let (start, end) = (first.start as usize, last.end as usize);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let blank = |s: &str| s.chars().all(|c| c.is_whitespace() || c == ';');
    if blank(&text[line_start..start]) && blank(&text[end..line_end]) {
        Span::new(line_start, line_end)
    } else {
        Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::lines_starting_in_string;

    #[test]
    fn lines_inside_triple_quoted_strings_are_found() {
        let code = "sh '''\ncat <<EOF\nhi \\'''\nEOF\n'''\necho \"a'''\" /* x\n \"\"\" */\necho \"\"\"\n  b\"\"\"";
        assert_eq!(
            lines_starting_in_string(code),
            [false, true, true, true, true, false, false, false, true]
        );
    }
}
