//! Groovy 2.4's own wording and position for the syntax errors it shares with our parser, so
//! that `--format jenkins` prints what Jenkins prints for a file Groovy rejects. Our messages
//! (and spans) stay ours; only `Diagnostic::jenkins` is filled in. Errors without a known
//! Groovy form keep our text at our position.

use crate::diagnostic::{Diagnostic, JenkinsForm};
use crate::source::SourceFile;

/// Fills in Groovy's text and position where we know them.
pub(crate) fn add_jenkins_form(diag: &mut Diagnostic, src: &SourceFile) {
    if diag.jenkins.is_some() {
        return;
    }
    let form = match diag.code {
        "duplicate-named-argument" => duplicate_named(diag),
        "invalid-number" if diag.message.contains("cannot end with `_`") => {
            let at = diag.span.end as usize;
            src.text[at..].chars().next().map(|found| {
                (
                    at,
                    format!("expecting token in range: '0'..'9', found '{found}'"),
                )
            })
        }
        "invalid-assignment-target" => assignment_target(diag, src),
        // Groovy reports the end of the text, after any final line break.
        "syntax-error" if diag.message.starts_with("expected `}` to close") => {
            Some((src.text.len(), "expecting '}', found ''".to_owned()))
        }
        // A character no Groovy token starts with: `#`, a stray backslash.
        "syntax-error" => single_char(&diag.message, "unexpected `")
            .map(|c| (diag.span.start as usize, format!("unexpected char: '{c}'"))),
        "invalid-escape" => Some((diag.span.start as usize, "unexpected char: '\\'".to_owned())),
        _ => None,
    };
    if let Some((offset, message)) = form {
        let at = src.line_col(offset);
        let message = message
            .replace("{line}", &at.line.to_string())
            .replace("{column}", &at.column.to_string());
        diag.jenkins = Some(JenkinsForm {
            line: at.line as u32,
            column: at.column as u32,
            message: Some(message),
        });
    }
}

/// The one character quoted in a message such as "unexpected `#`".
fn single_char(message: &str, prefix: &str) -> Option<char> {
    let rest = message.strip_prefix(prefix)?.strip_suffix('`')?;
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn duplicate_named(diag: &Diagnostic) -> Option<(usize, String)> {
    let name = diag.message.split('`').nth(1)?;
    let first = diag.secondary.first().map_or(diag.span, |l| l.span);
    Some((
        first.start as usize,
        format!(
            "Duplicate named parameter '{name}' found. at line: {{line}} column: {{column}}. File: WorkflowScript"
        ),
    ))
}

/// `hey-look = …` and `"heyLook" = …`: Groovy names the expression and points at the `=`.
fn assignment_target(diag: &Diagnostic, src: &SourceFile) -> Option<(usize, String)> {
    let target = src.slice(diag.span).trim();
    let after = diag.span.end as usize;
    let eq = after + src.text[after..].find('=')?;
    let what = if let Some(inner) = target
        .strip_prefix(['"', '\''])
        .and_then(|t| t.strip_suffix(['"', '\'']))
    {
        format!("[{inner}] is a constant expression")
    } else {
        let op = target.find(['-', '+', '*', '/'])?;
        let (lhs, rest) = target.split_at(op);
        let (sym, rhs) = rest.split_at(1);
        format!(
            "({} {sym} {}) is a binary expression",
            lhs.trim(),
            rhs.trim()
        )
    };
    Some((
        eq,
        format!(
            "\n{what}, but it should be a variable expression at line: {{line}} column: {{column}}. File: WorkflowScript"
        ),
    ))
}
