//! Renderers for lint results, one file per output format. They all read the same
//! `Diagnostic`s; the machine formats (`json`, `sarif`, `github`) are stable, documented
//! shapes that do not follow internal changes. None of them prints: the CLI does.

pub mod github;
pub mod human;
pub mod jenkins;
pub mod json;
pub mod sarif;

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};

/// One linted file and what was found in it.
#[derive(Clone, Copy, Debug)]
pub struct FileReport<'a> {
    pub source: &'a SourceFile,
    pub diagnostics: &'a [Diagnostic],
}

/// 1-based line and column (in characters) of both ends of a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) start_line: usize,
    pub(crate) start_column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
}

impl Region {
    pub(crate) fn of(source: &SourceFile, span: Span) -> Region {
        let start = source.line_col(span.start as usize);
        let end = source.line_col(span.end as usize);
        Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}
