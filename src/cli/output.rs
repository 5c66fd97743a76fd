//! Where the CLI's text goes. Results go to stdout, reports to stderr. A closed stdout (the
//! reader of `| head` has exited) stops further output quietly instead of panicking, and the
//! run goes on so that the exit status still covers every input.

use std::env;
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

use miette::{GraphicalReportHandler, GraphicalTheme};

use super::Exit;
use crate::diagnostic::{self, Diagnostic, RenderStyle};
use crate::source::SourceFile;

pub(super) struct Output {
    stdout: BufWriter<StdoutLock<'static>>,
    /// Set once a write to stdout has failed; later results are dropped.
    stdout_closed: bool,
    /// `Failure` if stdout failed for a reason other than a closed pipe.
    status: Exit,
    style: RenderStyle,
}

impl Output {
    pub(super) fn new() -> Self {
        Output {
            stdout: BufWriter::new(io::stdout().lock()),
            stdout_closed: false,
            status: Exit::Success,
            style: RenderStyle {
                color: use_color(&io::stderr()),
                ..RenderStyle::PLAIN
            },
        }
    }

    /// Writes results to stdout.
    pub(super) fn print(&mut self, text: &str) {
        if self.stdout_closed {
            return;
        }
        let result = self.stdout.write_all(text.as_bytes());
        self.check(result);
    }

    /// Renders a file's diagnostics on stderr.
    pub(super) fn diagnostics(&mut self, diags: &[Diagnostic], source: &SourceFile) {
        let text = diagnostic::render(diags, source, self.style);
        self.report(text);
    }

    /// Renders an error that is not about a file's contents (missing or unreadable input).
    pub(super) fn error(&mut self, err: &dyn miette::Diagnostic) {
        let theme = if self.style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.style.width)
            .with_links(false);
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut text, err);
        self.report(text);
    }

    /// A one-line error on stderr about the command line itself; the caller sets the status.
    pub(super) fn warn_error(&mut self, message: &str) {
        self.eprint(&format!("error: {message}\n"));
    }

    /// A line of plain text on stderr.
    pub(super) fn note(&mut self, message: &str) {
        self.eprint(&format!("{message}\n"));
    }

    /// A one-line note on stderr that does not change the exit status.
    pub(super) fn warn(&mut self, message: &str) {
        self.eprint(&format!("warning: {message}\n"));
    }

    /// Flushes stdout and returns `Failure` if any output was lost for a reason other than a
    /// closed pipe.
    pub(super) fn finish(mut self) -> Exit {
        self.flush();
        self.status
    }

    /// Writes a rendered report followed by a blank line, which keeps reports apart.
    fn report(&mut self, mut text: String) {
        while !text.ends_with("\n\n") {
            text.push('\n');
        }
        self.eprint(&text);
    }

    fn eprint(&mut self, text: &str) {
        // Results already buffered must appear before this report when both go to a terminal.
        self.flush();
        // Nowhere is left to report a failing stderr, so its errors are ignored.
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }

    fn flush(&mut self) {
        if !self.stdout_closed {
            let result = self.stdout.flush();
            self.check(result);
        }
    }

    fn check(&mut self, result: io::Result<()>) {
        let Err(err) = result else { return };
        self.stdout_closed = true;
        if err.kind() != io::ErrorKind::BrokenPipe {
            self.status = Exit::Failure;
            let _ = writeln!(io::stderr().lock(), "error: cannot write to stdout: {err}");
        }
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set to a non-empty value
/// (<https://no-color.org>).
fn use_color(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
