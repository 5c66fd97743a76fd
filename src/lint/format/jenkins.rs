//! `--format jenkins`: the text Jenkins' CLI linter (`declarative-linter`) prints, so that
//! scripts written against Jenkins keep working. Each diagnostic is printed at Jenkins' own
//! position (`Diagnostic::jenkins`) with Jenkins' text, as Groovy's `SyntaxErrorMessage`
//! writes it: `WorkflowScript: L: message @ line L, column C.`, the source line, a caret.
//! Jenkins' quirks are kept: at most 10 errors (Groovy aborts the compilation at the 10th),
//! long lines shown as a 40-character window, messages as `MessageFormat` rendered them (the
//! texts in `model` already lack the apostrophes it drops).

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// Groovy's default error tolerance: the 10th error aborts the compilation.
pub const MAX_ERRORS: usize = 10;

/// One validated file.
pub struct FileReport<'a> {
    pub source: &'a SourceFile,
    /// `false` for a file with no `pipeline { … }` block, which the linter refuses.
    pub declarative: bool,
    /// In Jenkins' order (see `model::Validation::diagnostics`).
    pub diagnostics: &'a [Diagnostic],
}

impl FileReport<'_> {
    /// Whether Jenkins' linter would exit 0 for this file.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.declarative && !self.diagnostics.iter().any(is_error)
    }
}

fn is_error(d: &Diagnostic) -> bool {
    d.severity == Severity::Error
}

/// Renders several files; with more than one, each block starts with `==> name <==`.
#[must_use]
pub fn render(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for (i, file) in files.iter().enumerate() {
        if files.len() > 1 {
            if i > 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "==> {} <==", file.source.name);
        }
        out.push_str(&render_file(file));
    }
    out
}

/// What the linter prints for one file.
#[must_use]
pub fn render_file(file: &FileReport<'_>) -> String {
    if !file.declarative {
        return format!(
            "Jenkinsfile content '{}' did not contain the 'pipeline' step\n",
            file.source.text
        );
    }
    let errors: Vec<&Diagnostic> = file.diagnostics.iter().filter(|d| is_error(d)).collect();
    if errors.is_empty() {
        return "Jenkinsfile successfully validated.\n".to_owned();
    }
    let mut out = String::from("Errors encountered validating Jenkinsfile:\n");
    for diag in errors.into_iter().take(MAX_ERRORS) {
        out.push_str(&error_block(diag, file.source));
        out.push('\n');
    }
    out
}

/// One `WorkflowScript: …` block with its excerpt and caret, without the trailing blank line.
#[must_use]
pub fn error_block(diag: &Diagnostic, source: &SourceFile) -> String {
    let (line, column, message) = if let Some(j) = &diag.jenkins {
        (
            j.line as usize,
            j.column as usize,
            j.message.as_deref().unwrap_or(&diag.message),
        )
    } else {
        let at = source.line_col(diag.span.start as usize);
        (at.line, at.column, diag.message.as_str())
    };
    let mut out = format!("WorkflowScript: {line}: {message} @ line {line}, column {column}.\n");
    let text = source.text.lines().nth(line.wrapping_sub(1)).unwrap_or("");
    let (excerpt, caret) = window(text, column);
    let _ = writeln!(out, "   {excerpt}");
    let _ = writeln!(out, "   {}^", " ".repeat(caret));
    out
}

/// The part of a line Groovy prints and the caret's offset in it: the whole line when the
/// column is at most 40, else columns C-30 … C+9.
fn window(line: &str, column: usize) -> (String, usize) {
    let column = column.max(1);
    if column <= 40 {
        return (line.to_owned(), column - 1);
    }
    let chars: Vec<char> = line.chars().collect();
    let start = (column - 31).min(chars.len());
    let end = (column + 9).min(chars.len());
    (chars[start..end].iter().collect(), 30)
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn short_columns_show_the_whole_line() {
        assert_eq!(
            window("    pipeline {", 5),
            ("    pipeline {".to_owned(), 4)
        );
    }

    #[test]
    fn long_columns_show_a_window() {
        let line: String = ('a'..='z').chain('A'..='Z').collect();
        // Column 45 is 'S'; the window is columns 15..=54 clipped at 52.
        let (excerpt, caret) = window(&line, 45);
        assert_eq!(excerpt, "opqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        assert_eq!(excerpt.chars().nth(caret), Some('S'));
    }
}
