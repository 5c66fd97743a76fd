//! Byte offsets (our spans) to LSP positions and back. LSP counts columns in UTF-16 code units
//! by default, so a line with `é` (one unit, two bytes) or `😀` (two units, four bytes) puts
//! byte and editor columns apart; every conversion goes through here. Lines end at `\n`,
//! `\r\n` or a lone `\r` (as LSP says); a `\r` before `\n` belongs to no column an editor
//! can reach.

use lsp_types::{Position, Range};

use crate::source::Span;

/// The line starts of one text, for conversions in both directions.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        // LSP's line breaks: `\n`, `\r\n` and a lone `\r`.
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        LineIndex { line_starts }
    }

    /// The editor position of a byte offset; an offset past the end or inside a character is
    /// moved back to the nearest character boundary.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of an editor position. A line past the end gives the end of the text; a
    /// column past the end of its line gives the end of the line; a column inside a surrogate
    /// pair gives the start of its character.
    #[must_use]
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&next| next - 1);
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        let mut units = 0usize;
        for (at, c) in line.char_indices() {
            let next = units + c.len_utf16();
            if next > position.character as usize {
                return start + at;
            }
            units = next;
        }
        start + line.len()
    }

    /// The editor range of a span.
    #[must_use]
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start as usize),
            self.position(text, span.end as usize),
        )
    }

    /// The span of an editor range (start and end ordered).
    #[must_use]
    pub fn span(&self, text: &str, range: Range) -> Span {
        let a = self.offset(text, range.start);
        let b = self.offset(text, range.end);
        Span::new(a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    use lsp_types::Position;

    use super::LineIndex;
    use crate::source::Span;

    #[test]
    fn ascii_positions_round_trip() {
        let text = "ab\ncd\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 4), Position::new(1, 1));
        assert_eq!(index.offset(text, Position::new(1, 1)), 4);
        assert_eq!(index.position(text, 6), Position::new(2, 0));
        assert_eq!(index.offset(text, Position::new(2, 0)), 6);
    }

    #[test]
    fn columns_count_utf16_units_not_bytes_or_chars() {
        // `é` is 2 bytes and 1 unit; `😀` is 4 bytes and 2 units; `中` is 3 bytes and 1 unit.
        let text = "é😀中x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(x, 9);
        assert_eq!(index.position(text, x), Position::new(0, 4));
        assert_eq!(index.offset(text, Position::new(0, 4)), x);
        assert_eq!(
            index.offset(text, Position::new(0, 3)),
            text.find('中').unwrap()
        );
        assert_eq!(index.position(text, 2), Position::new(0, 1));
        assert_eq!(
            index.range(text, Span::new(2, 6)),
            lsp_types::Range::new(Position::new(0, 1), Position::new(0, 3))
        );
    }

    #[test]
    fn a_lone_carriage_return_is_a_line_break() {
        let text = "a\rbc\r\nd\ne";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 2), Position::new(1, 0));
        assert_eq!(index.position(text, 3), Position::new(1, 1));
        assert_eq!(index.position(text, 6), Position::new(2, 0));
        assert_eq!(index.position(text, 8), Position::new(3, 0));
        assert_eq!(index.offset(text, Position::new(1, 1)), 3);
        // The end of line 0 is before its `\r`; of line 1, before its `\r\n`.
        assert_eq!(index.offset(text, Position::new(0, 9)), 1);
        assert_eq!(index.offset(text, Position::new(1, 9)), 4);
        assert_eq!(index.offset(text, Position::new(2, 0)), 6);
    }

    #[test]
    fn out_of_range_and_mid_character_positions_clamp() {
        let text = "a😀b\r\nz";
        let index = LineIndex::new(text);
        // Inside the surrogate pair: the start of the emoji.
        assert_eq!(index.offset(text, Position::new(0, 2)), 1);
        // Past the end of the line: before the `\r\n`.
        assert_eq!(index.offset(text, Position::new(0, 99)), 6);
        // Past the last line: the end of the text.
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        // A byte offset inside the emoji moves back to its start.
        assert_eq!(index.position(text, 3), Position::new(0, 1));
        assert_eq!(index.position(text, 999), Position::new(1, 1));
    }
}
