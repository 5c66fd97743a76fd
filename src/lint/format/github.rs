//! `--format github`: GitHub Actions workflow commands, one line per diagnostic, which GitHub
//! shows as annotations on the pull request:
//! `::warning file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::MESSAGE`. Errors use
//! `::error`, warnings `::warning`, notes `::notice`. Values are escaped as GitHub's runner
//! does: `%`, CR and LF everywhere, and also `:` and `,` in properties.

use std::fmt::Write as _;

use super::{FileReport, Region};
use crate::diagnostic::Severity;

#[must_use]
pub fn render(reports: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for report in reports {
        for d in report.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let r = Region::of(report.source, d.span);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&report.source.name),
                r.start_line,
                r.start_column,
                r.end_line,
                r.end_column,
                property(d.code),
                data(&message),
            );
        }
    }
    out
}

/// Escapes a command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn escapes_as_the_runner_does() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
    }
}
