//! One diagnostic model for every phase (syntax now; model and lint later) and every output.
//! A problem in a user's file is a `Diagnostic` value, never a panic or an `Err` that stops the
//! run. Rendering to miette's human form lives here too, so the CLI and the tests agree.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::source::{SourceFile, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A secondary location with its own short message.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A problem found in a source file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Kebab-case identifier, stable across releases (`syntax-error`, `nesting-too-deep`).
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The primary location, as narrow as possible.
    pub span: Span,
    /// Text shown at the primary location.
    pub label: Option<String>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// Where and how Jenkins itself reports this problem, when Jenkins reports it at all.
    /// `--format jenkins` prints this form; every other output uses `span` and `message`.
    pub jenkins: Option<JenkinsForm>,
    /// An optional automatic fix, offered as an editor quick fix.
    pub fix: Option<Fix>,
}

/// Jenkins' own position for a diagnostic. Jenkins often points elsewhere than our precise
/// span: at the `stage(...)` line for errors about a stage's contents, for example.
#[derive(Clone, Debug, PartialEq)]
pub struct JenkinsForm {
    /// 1-based line, as Jenkins prints it after `@ line`.
    pub line: u32,
    /// 1-based column, as Jenkins prints it after `column`.
    pub column: u32,
    /// Jenkins' text when it differs from `Diagnostic::message` (for example after
    /// `MessageFormat` dropped a lone apostrophe); `None` means the message is the same.
    pub message: Option<String>,
}

/// A fix: a title for the editor's menu and the text edits that apply it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// Replaces the text under `span` with `replacement` (an empty span inserts).
#[derive(Clone, Debug, PartialEq)]
pub struct TextEdit {
    pub span: Span,
    pub replacement: String,
}

impl Diagnostic {
    #[cold]
    #[must_use]
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic::new(code, Severity::Error, message, span)
    }

    #[cold]
    #[must_use]
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic::new(code, Severity::Warning, message, span)
    }

    #[cold]
    #[must_use]
    pub fn new(
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            label: None,
            secondary: Vec::new(),
            help: None,
            jenkins: None,
            fix: None,
        }
    }

    /// Records Jenkins' own position (1-based line and column) for `--format jenkins`.
    #[must_use]
    pub fn with_jenkins(mut self, line: u32, column: u32) -> Self {
        self.jenkins = Some(JenkinsForm {
            line,
            column,
            message: None,
        });
        self
    }

    #[must_use]
    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<TextEdit>) -> Self {
        self.fix = Some(Fix {
            title: title.into(),
            edits,
        });
        self
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adapts this diagnostic to miette for the given source.
    #[must_use]
    pub fn report<'a>(&'a self, source: &'a SourceFile) -> Report<'a> {
        Report {
            diag: self,
            source: Named {
                name: &source.name,
                text: &source.text,
            },
        }
    }
}

/// A diagnostic paired with its source, as miette wants it.
pub struct Report<'a> {
    diag: &'a Diagnostic,
    source: Named<'a>,
}

/// miette's `NamedSource` wants owned text; this borrows it, so rendering copies nothing.
struct Named<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // miette's `str` source counts line breaks from the start of the file here, which makes
        // the renderer merge distant labels into one snippet; count the snippet's own lines.
        let lines = inner.data().iter().filter(|&&b| b == b'\n').count();
        // miette counts the column in bytes; editors, Jenkins and `SourceFile::line_col` count
        // characters, so a line with `é` before the error would point too far right.
        let start = inner.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self
            .text
            .get(line_start..start)
            .map_or(inner.column(), |before| before.chars().count());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            lines,
        )))
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diag, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            self.diag.label.clone(),
            source_span(self.diag.span),
        );
        let secondary = self
            .diag
            .secondary
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), source_span(l.span)));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// How a rendered report looks: colour for terminals, plain unicode for files and tests.
#[derive(Clone, Copy, Debug)]
pub struct RenderStyle {
    pub color: bool,
    pub width: usize,
}

impl RenderStyle {
    /// The deterministic style used by snapshot tests and non-terminal output.
    pub const PLAIN: RenderStyle = RenderStyle {
        color: false,
        width: 80,
    };
}

/// Renders diagnostics in miette's graphical form, one after another.
#[must_use]
pub fn render(diags: &[Diagnostic], source: &SourceFile, style: RenderStyle) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for diag in diags {
        let report = diag.report(source);
        // miette's graphical handler panics on columns past 65535 (its padding width
        // overflows), and a snippet of such a line is unreadable anyway: those reports are
        // narrated as plain text instead.
        if touches_long_line(diag, source) {
            let _ = miette::NarratableReportHandler::new().render_report(&mut out, &report);
        } else {
            // Writing into a String cannot fail; miette only errors on a failing writer.
            let _ = handler.render_report(&mut out, &report);
        }
    }
    out
}

/// Lines longer than this are not drawn as snippets.
const LONG_LINE: usize = 2000;

fn touches_long_line(diag: &Diagnostic, source: &SourceFile) -> bool {
    let text = source.text.as_str();
    let line_len = |offset: u32| {
        let offset = (offset as usize).min(text.len());
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        end - start
    };
    std::iter::once(diag.span)
        .chain(diag.secondary.iter().map(|l| l.span))
        .any(|span| line_len(span.start) > LONG_LINE || line_len(span.end) > LONG_LINE)
}

#[cfg(test)]
mod tests {
    use super::{Diagnostic, RenderStyle, render};
    use crate::source::{SourceFile, Span};

    #[test]
    fn header_column_counts_characters() {
        let source = SourceFile::new("col.groovy", "x = \"ééé\" )\n");
        let at = source.text.find(')').unwrap();
        let diag = Diagnostic::error("syntax-error", "unmatched `)`", Span::new(at, at + 1));
        let out = render(&[diag], &source, RenderStyle::PLAIN);
        assert!(out.contains("[col.groovy:1:11]"), "{out}");
    }

    #[test]
    fn a_very_long_line_is_narrated_not_drawn() {
        let text = format!("x = \"{}\" )\n", "a".repeat(70_000));
        let source = SourceFile::new("long.groovy", text.clone());
        let at = text.find(')').unwrap();
        let diag = Diagnostic::error("syntax-error", "unmatched `)`", Span::new(at, at + 1));
        let out = render(&[diag], &source, RenderStyle::PLAIN);
        assert!(out.contains("unmatched `)`"), "{out}");
    }
}
