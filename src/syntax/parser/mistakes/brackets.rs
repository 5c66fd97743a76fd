//! Brackets left open or closed once too often. The lexical sweep pairs every closer with its
//! opener; when a file is indented consistently, the indentation points at the brace that is
//! really missing or extra, which the pairing alone cannot tell.

use crate::diagnostic::Diagnostic;

use super::super::Failure;
use super::super::scan::Opener;
use super::super::tokens::{
    first_on_line, indent, line_end, line_number, line_start, token_before,
};
use super::{at_end_of_file, span, syntax};

fn closer(open: u8) -> char {
    match open {
        b'(' => ')',
        b'[' => ']',
        _ => '}',
    }
}

/// A `)`, `]` or `}` with nothing open to close.
pub(super) fn unmatched_closer(f: &Failure<'_>) -> Option<Diagnostic> {
    if !f.scan.unmatched.contains(&f.pos) {
        return None;
    }
    let c = char::from(f.text.as_bytes()[f.pos]);
    let open = match c {
        ')' => '(',
        ']' => '[',
        _ => '{',
    };
    if c == '}'
        && let Some(extra) = extra_brace(f)
    {
        // The extra `}` comes first in the text; pest only noticed at the last one.
        return Some(
            syntax("unmatched `}`", extra, extra + 1)
                .with_label("judging by the indentation, this `}` is one too many")
                .with_secondary(
                    span(f.pos, f.pos + 1),
                    "so this `}` has no `{` left to close",
                )
                .with_help("remove the extra `}`, or add the `{` it was meant to close"),
        );
    }
    Some(
        syntax(format!("unmatched `{c}`"), f.pos, f.pos + 1)
            .with_label(format!("there is no open `{open}` for this `{c}` to close"))
            .with_help(format!(
                "remove it, or add the `{open}` it was meant to close"
            )),
    )
}

/// The first `}` before the failure that is indented deeper than the line of the `{` it
/// closed: in well-indented code, the closer that should not be there.
fn extra_brace(f: &Failure<'_>) -> Option<usize> {
    let text = f.text;
    f.scan
        .braces
        .iter()
        .filter(|p| p.close < f.pos && code_line(f, p.close))
        .find(|p| {
            line_number(text, p.open.at) != line_number(text, p.close)
                && indent(text, p.close) > indent(text, p.open.at)
        })
        .map(|p| p.close)
}

/// Whether `pos` begins its line's code: first on the line, and the line is not inside a
/// multi-line string or comment.
fn code_line(f: &Failure<'_>, pos: usize) -> bool {
    first_on_line(f.text, pos) && !in_multiline(f, line_start(f.text, pos))
}

fn in_multiline(f: &Failure<'_>, pos: usize) -> bool {
    f.scan
        .multiline
        .iter()
        .any(|&(start, end)| start < pos && pos < end)
}

/// A bracket that is still open where pest stopped and that nothing closes later.
pub(super) fn unclosed(f: &Failure<'_>) -> Option<Diagnostic> {
    let text = f.text;
    let at_eof = text[f.pos..].trim().is_empty();
    let inner = *f.scan.open_at_target.last()?;
    if inner.interp {
        return None;
    }
    let mut missing_before = None;
    let open = if at_eof {
        match (inner.byte, suspect_brace(f)) {
            (b'{', Some((open, close))) => {
                // Before the first line indented like the opener, or else before the `}`
                // that closed it in its place.
                missing_before = missing_line(f, open, close).or(Some(close));
                open
            }
            _ => inner,
        }
    } else {
        let close = format!("`{}`", closer(inner.byte));
        let given_up = f.scan.unclosed.iter().any(|(o, _)| o.at == inner.at);
        // pest loses the expected tokens after some lookaheads; then the sweep alone decides.
        let tokens_lost = !f.expected.iter().any(|e| e.starts_with('`'));
        let later = f.text[f.pos..].starts_with([')', ']', '}'])
            || line_number(text, f.pos) > line_number(text, inner.at);
        if !given_up || !(f.expected.contains(&close.as_str()) || tokens_lost && later) {
            return None;
        }
        inner
    };
    let (o, c) = (char::from(open.byte), closer(open.byte));
    let line = line_number(text, open.at);
    let message = if o == '{' {
        format!("expected `}}` to close the block opened at line {line}")
    } else {
        format!("expected `{c}` to close the `{o}` opened at line {line}")
    };
    let mut diag =
        syntax(message, open.at, open.at + 1).with_label(format!("this `{o}` is never closed"));
    if let Some(before) = missing_before {
        diag = diag.with_secondary(
            span(before, before),
            format!("judging by the indentation, `{c}` is missing before this line"),
        );
    }
    if o != '{'
        && let Some(brace) = block_inside(f, open)
    {
        diag = diag.with_secondary(
            span(brace, brace + 1),
            format!("`{c}` probably belongs before this `{{`"),
        );
    }
    diag = if at_eof {
        at_end_of_file(diag, text)
    } else {
        diag.with_secondary(
            span(f.found.start, f.found.end),
            format!("expected `{c}` before {}", f.found.desc),
        )
    };
    let help = if o == '{' {
        match missing_before {
            Some(before) => format!(
                "add the missing `}}` before line {}",
                line_number(text, before)
            ),
            None if at_eof => "add the missing `}` at the end of the file".to_string(),
            None => "add the missing `}`".to_string(),
        }
    } else if let Some(brace) = block_inside(f, open) {
        format!(
            "add `{c}` before the `{{` on line {}",
            line_number(text, brace)
        )
    } else {
        let last = token_before(text, f.pos).map_or(open.at, |(_, e)| e);
        format!("add `{c}` at the end of line {}", line_number(text, last))
    };
    Some(diag.with_help(help))
}

/// The first `{` that ends a line directly inside the bracket `open`, before the failure: in
/// `if (x {` or `stage('a' {`, the block the bracket should have closed before.
fn block_inside(f: &Failure<'_>, open: Opener) -> Option<usize> {
    f.scan
        .blocks_in_brackets
        .iter()
        .find(|(bracket, _)| *bracket == open.at)
        .map(|&(_, brace)| brace)
        // Only a block that pest went into; one after the failure is no evidence.
        .filter(|&brace| brace < f.pos)
}

/// In well-indented code, the `{` whose `}` is missing is the first one closed by a `}`
/// indented less than its own line: `(opener, the closer that took it)`.
fn suspect_brace(f: &Failure<'_>) -> Option<(Opener, usize)> {
    let text = f.text;
    f.scan
        .braces
        .iter()
        .filter(|p| code_line(f, p.close))
        .find(|p| {
            line_number(text, p.open.at) != line_number(text, p.close)
                && indent(text, p.close) < indent(text, p.open.at)
        })
        .map(|p| (p.open, p.close))
}

/// The first code line after the opener's that is indented no deeper than the opener's line
/// and does not start with its closer: where the closer is probably missing.
fn missing_line(f: &Failure<'_>, open: Opener, until: usize) -> Option<usize> {
    let text = f.text;
    let depth = indent(text, open.at);
    let mut pos = line_end(text, open.at);
    while pos < until {
        pos += 1;
        let code = pos + (text[pos..].len() - text[pos..].trim_start_matches([' ', '\t']).len());
        let end = line_end(text, pos);
        let comment = text[code..].starts_with("//");
        if code < end && !in_multiline(f, pos) && !comment && indent(text, pos) <= depth {
            return (!text[code..].starts_with(closer(open.byte))).then_some(code);
        }
        pos = end;
    }
    None
}
