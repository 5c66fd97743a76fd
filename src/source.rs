//! Source text, byte spans and the line index. Spans are byte offsets; lines and columns are
//! computed here, only when something is printed. Imports nothing from the rest of the crate.

use std::fmt;
use std::path::Path;

/// A half-open byte range `[start, end)` into one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    #[must_use]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    #[must_use]
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A value with the span it was parsed from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.node
    }
}

/// One-based line and column; the column counts characters, as editors and Jenkins do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A named source text with its line-start index.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// Why a file could not be turned into source text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    #[error("cannot read `{name}`: {cause}")]
    #[diagnostic(code("unreadable-input"))]
    Io {
        name: String,
        // Not `#[source]`: the message already quotes it, and renderers would print it twice.
        cause: std::io::Error,
    },
    #[error(
        "`{name}` is not UTF-8 text: invalid byte 0x{byte:02x} at line {line}, column {column}"
    )]
    #[diagnostic(
        code("invalid-utf8"),
        help(
            "Jenkins reads Jenkinsfiles as UTF-8; re-encode the file, for example with `iconv -t UTF-8`"
        )
    )]
    NotUtf8 {
        name: String,
        byte: u8,
        line: usize,
        column: usize,
    },
    #[error("`{name}` is larger than 4 GiB, which spans cannot address")]
    #[diagnostic(code("input-too-large"))]
    TooLarge { name: String },
}

impl SourceFile {
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Reads a file, rejecting non-UTF-8 bytes with their position.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|cause| ReadError::Io {
            name: name.clone(),
            cause,
        })?;
        Self::from_bytes(name, bytes)
    }

    /// Turns raw bytes into source text, rejecting non-UTF-8 bytes with their position.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, ReadError> {
        if u32::try_from(bytes.len()).is_err() {
            return Err(ReadError::TooLarge { name });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(name, text)),
            Err(err) => {
                let bytes = err.as_bytes();
                let at = err.utf8_error().valid_up_to();
                let before = String::from_utf8_lossy(&bytes[..at]);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Err(ReadError::NotUtf8 {
                    name,
                    byte: bytes[at],
                    line,
                    column,
                })
            }
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The text a span covers (empty if the span is out of range).
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::{LineCol, SourceFile, Span};

    #[test]
    fn line_col_counts_characters() {
        let src = SourceFile::new("t", "ab\nçd\n");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(src.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(src.line_col(8), LineCol { line: 3, column: 1 });
        assert_eq!(src.slice(Span::new(3, 5)), "ç");
    }

    #[test]
    fn non_utf8_reports_position() {
        let err = SourceFile::from_bytes("x".into(), b"ab\nc\xffd".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`x` is not UTF-8 text: invalid byte 0xff at line 2, column 2"
        );
    }
}
