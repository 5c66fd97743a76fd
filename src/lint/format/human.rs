//! `--format human`: miette's graphical reports, one per diagnostic, as `parse` prints them.

use super::FileReport;
use crate::diagnostic::{self, RenderStyle};

/// Renders every file's diagnostics in order.
#[must_use]
pub fn render(reports: &[FileReport<'_>], style: RenderStyle) -> String {
    let mut out = String::new();
    for report in reports {
        out.push_str(&diagnostic::render(
            report.diagnostics,
            report.source,
            style,
        ));
    }
    out
}
