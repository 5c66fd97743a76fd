//! A lexical sweep over a file that failed to parse, so that the error can name what a person
//! would look for: the bracket that was never closed, the closer with nothing to close, the
//! string or comment that runs off the end of its line or of the file. It runs only on the
//! failure path, once, in linear time, with an explicit stack.
//!
//! It knows just enough of Groovy's lexical rules to skip strings and comments: `//`, `/* */`,
//! `'…'`, `"…"` with `${…}`, `'''…'''`, `"""…"""`, slashy `/…/` and dollar-slashy `$/…/$`.
//! Whether a `/` divides or starts a slashy string is judged from the token before it, which can
//! be wrong on contrived input; callers only trust a finding that agrees with where pest failed.
//! Imports nothing from the crate.

/// A `(`, `[` or `{` in code (`${` of an interpolation counts as `{` with `interp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Opener {
    pub(super) byte: u8,
    pub(super) at: usize,
    pub(super) interp: bool,
}

/// An opener together with the closer that ended it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pair {
    pub(super) open: Opener,
    pub(super) close: usize,
}

/// What kind of text ran on without its closing delimiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Quote {
    Single,
    Double,
    TripleSingle,
    TripleDouble,
    Slashy,
    DollarSlashy,
    BlockComment,
}

impl Quote {
    pub(super) fn opening(self) -> &'static str {
        match self {
            Quote::Single => "'",
            Quote::Double => "\"",
            Quote::TripleSingle => "'''",
            Quote::TripleDouble => "\"\"\"",
            Quote::Slashy => "/",
            Quote::DollarSlashy => "$/",
            Quote::BlockComment => "/*",
        }
    }

    pub(super) fn closing(self) -> &'static str {
        match self {
            Quote::DollarSlashy => "/$",
            Quote::BlockComment => "*/",
            other => other.opening(),
        }
    }

    /// `'…'` and `"…"` end at the line break; the others may span lines.
    pub(super) fn single_line(self) -> bool {
        matches!(self, Quote::Single | Quote::Double)
    }

    fn interpolates(self) -> bool {
        matches!(
            self,
            Quote::Double | Quote::TripleDouble | Quote::Slashy | Quote::DollarSlashy
        )
    }
}

/// A string or comment without its closing delimiter: it opens at `start` and the line or the
/// file ends at `end`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Unterminated {
    pub(super) quote: Quote,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// What the sweep found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// Openers that no closer of their own kind ended, in the order they were given up: the
    /// closer of an outer bracket arrived first (`closed_by`), or the file ended (`None`).
    pub(super) unclosed: Vec<(Opener, Option<usize>)>,
    /// Closers with no opener of their kind left to close.
    pub(super) unmatched: Vec<usize>,
    /// Brace pairs that matched, in the order of their closers.
    pub(super) braces: Vec<Pair>,
    pub(super) unterminated: Vec<Unterminated>,
    /// Strings and block comments that span lines, `(start, end)`: their lines are text, not
    /// code, when judging indentation.
    pub(super) multiline: Vec<(usize, usize)>,
    /// `(bracket, brace)`: for a `(` or `[`, the first `{` directly inside it that ends its
    /// line, where a missing `)` most likely belongs (`if (x {`).
    pub(super) blocks_in_brackets: Vec<(usize, usize)>,
    /// Positions of `?[` in code: Groovy 3's safe index, a conditional in Groovy 2.4.
    pub(super) safe_index: Vec<usize>,
    /// The code brackets open at the target position, outermost first.
    pub(super) open_at_target: Vec<Opener>,
}

#[derive(Clone, Copy, Debug)]
enum Frame {
    Open(Opener),
    Str { quote: Quote, at: usize },
}

/// Keywords after which an operand, and so a slashy string, may follow.
const OPERAND_KEYWORDS: [&[u8]; 6] = [b"return", b"case", b"in", b"assert", b"throw", b"else"];

/// Sweeps the whole text, noting the open brackets at `target`.
pub(super) fn scan(text: &str, target: usize) -> Scan {
    let mut s = Sweep {
        text: text.as_bytes(),
        pos: 0,
        stack: Vec::new(),
        operand: false,
        target,
        snapped: false,
        out: Scan::default(),
    };
    s.run();
    s.out
}

struct Sweep<'a> {
    text: &'a [u8],
    pos: usize,
    stack: Vec<Frame>,
    /// Whether the last code token ended an operand, after which `/` divides.
    operand: bool,
    target: usize,
    snapped: bool,
    out: Scan,
}

impl Sweep<'_> {
    fn run(&mut self) {
        if self.text.starts_with(b"#!") {
            self.pos = self.line_end(0);
        }
        while self.pos < self.text.len() {
            self.snap();
            match self.stack.last() {
                Some(&Frame::Str { quote, at }) => self.string(quote, at),
                _ => self.code(),
            }
        }
        self.snap();
        while let Some(frame) = self.stack.pop() {
            match frame {
                Frame::Open(open) => {
                    if !open.interp {
                        self.out.unclosed.push((open, None));
                    }
                }
                Frame::Str { quote, at } => {
                    self.out.multiline.push((at, self.text.len()));
                    self.out.unterminated.push(Unterminated {
                        quote,
                        start: at,
                        end: self.text.len(),
                    });
                }
            }
        }
    }

    /// Records the open code brackets the first time the sweep reaches the target.
    fn snap(&mut self) {
        if !self.snapped && self.pos >= self.target {
            self.snapped = true;
            self.out.open_at_target = self
                .stack
                .iter()
                .filter_map(|f| match f {
                    Frame::Open(o) => Some(*o),
                    Frame::Str { .. } => None,
                })
                .collect();
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.text.get(i).copied().unwrap_or(0)
    }

    fn starts(&self, s: &[u8]) -> bool {
        self.text[self.pos..].starts_with(s)
    }

    fn code(&mut self) {
        let b = self.text[self.pos];
        let next = self.at(self.pos + 1);
        match b {
            b'\n' => {
                // A line break inside braces ends the statement; inside brackets it is space.
                if !matches!(self.stack.last(), Some(Frame::Open(o)) if o.byte != b'{') {
                    self.operand = false;
                }
                self.pos += 1;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => self.pos += 1,
            b'\\' if matches!(next, b'\n' | b'\r') => self.pos += 2,
            b'/' if next == b'/' => self.pos = self.line_end(self.pos),
            b'/' if next == b'*' => self.block_comment(),
            b'/' if !self.operand => self.open_str(Quote::Slashy, 1),
            b'$' if next == b'/' && !self.operand => self.open_str(Quote::DollarSlashy, 2),
            b'\'' if self.starts(b"'''") => self.open_str(Quote::TripleSingle, 3),
            b'\'' => self.open_str(Quote::Single, 1),
            b'"' if self.starts(b"\"\"\"") => self.open_str(Quote::TripleDouble, 3),
            b'"' => self.open_str(Quote::Double, 1),
            b'(' | b'[' | b'{' => {
                if b == b'{' {
                    self.block_in_bracket();
                }
                self.stack.push(Frame::Open(Opener {
                    byte: b,
                    at: self.pos,
                    interp: false,
                }));
                self.operand = false;
                self.pos += 1;
            }
            b')' | b']' | b'}' => {
                self.close(b);
                self.operand = true;
                self.pos += 1;
            }
            b'?' if next == b'[' && self.operand => {
                self.out.safe_index.push(self.pos);
                self.operand = false;
                self.pos += 1;
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 => self.word(),
            _ => {
                self.operand = false;
                self.pos += 1;
            }
        }
    }

    /// Notes a `{` that ends its line directly inside a `(` or `[`, once per bracket.
    fn block_in_bracket(&mut self) {
        let Some(Frame::Open(outer)) = self.stack.last() else {
            return;
        };
        if outer.byte == b'{'
            || self
                .out
                .blocks_in_brackets
                .iter()
                .any(|&(b, _)| b == outer.at)
        {
            return;
        }
        let rest = &self.text[self.pos + 1..self.line_end(self.pos)];
        let rest = rest.trim_ascii_start();
        if rest.is_empty() || rest.starts_with(b"//") {
            self.out.blocks_in_brackets.push((outer.at, self.pos));
        }
    }

    fn block_comment(&mut self) {
        if let Some(end) = find(self.text, self.pos + 2, b"*/") {
            self.out.multiline.push((self.pos, end + 2));
            self.pos = end + 2;
        } else {
            self.out.multiline.push((self.pos, self.text.len()));
            self.out.unterminated.push(Unterminated {
                quote: Quote::BlockComment,
                start: self.pos,
                end: self.text.len(),
            });
            self.pos = self.text.len();
        }
    }

    fn word(&mut self) {
        let start = self.pos;
        while self.pos < self.text.len() {
            let c = self.text[self.pos];
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
                self.pos += 1;
            } else {
                break;
            }
        }
        let word = &self.text[start..self.pos];
        let after_dot = start > 0 && self.text[start - 1] == b'.';
        self.operand = after_dot || !OPERAND_KEYWORDS.contains(&word);
    }

    fn open_str(&mut self, quote: Quote, len: usize) {
        self.stack.push(Frame::Str {
            quote,
            at: self.pos,
        });
        self.pos += len;
    }

    /// One step inside a string: an escape, the closing quote, `${`, a line break or text.
    fn string(&mut self, quote: Quote, at: usize) {
        let b = self.text[self.pos];
        let close = quote.closing().as_bytes();
        if self.starts(close) {
            self.stack.pop();
            self.pos += close.len();
            if self.text[at..self.pos].contains(&b'\n') {
                self.out.multiline.push((at, self.pos));
            }
            self.operand = true;
        } else if b == b'\\' && !matches!(quote, Quote::Slashy | Quote::DollarSlashy) {
            self.pos += 2;
            // `\` + CRLF is one line continuation.
            if self.at(self.pos - 1) == b'\r' && self.at(self.pos) == b'\n' {
                self.pos += 1;
            }
        } else if (b == b'\\' && quote == Quote::Slashy && self.at(self.pos + 1) == b'/')
            || (b == b'$'
                && quote == Quote::DollarSlashy
                && matches!(self.at(self.pos + 1), b'$' | b'/'))
        {
            self.pos += 2;
        } else if b == b'$' && self.at(self.pos + 1) == b'{' && quote.interpolates() {
            self.stack.push(Frame::Open(Opener {
                byte: b'{',
                at: self.pos,
                interp: true,
            }));
            self.operand = false;
            self.pos += 2;
        } else if matches!(b, b'\n' | b'\r') && quote.single_line() {
            self.stack.pop();
            self.out.unterminated.push(Unterminated {
                quote,
                start: at,
                end: self.pos,
            });
            self.operand = true;
        } else {
            self.pos += 1;
        }
        self.pos = self.pos.min(self.text.len());
    }

    /// A closer ends the nearest opener of its kind in the current code region (not past the
    /// string an interpolation sits in); the brackets open inside it are given up as unclosed.
    fn close(&mut self, byte: u8) {
        let open = match byte {
            b')' => b'(',
            b']' => b'[',
            _ => b'{',
        };
        let mut found = None;
        for (i, frame) in self.stack.iter().enumerate().rev() {
            match frame {
                Frame::Open(o) if o.byte == open => {
                    found = Some(i);
                    break;
                }
                Frame::Open(_) => {}
                Frame::Str { .. } => break,
            }
        }
        let Some(i) = found else {
            self.out.unmatched.push(self.pos);
            return;
        };
        while self.stack.len() > i + 1 {
            if let Some(Frame::Open(o)) = self.stack.pop()
                && !o.interp
            {
                self.out.unclosed.push((o, Some(self.pos)));
            }
        }
        if let Some(Frame::Open(o)) = self.stack.pop()
            && byte == b'}'
            && !o.interp
        {
            self.out.braces.push(Pair {
                open: o,
                close: self.pos,
            });
        }
    }

    fn line_end(&self, from: usize) -> usize {
        self.text[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.text.len(), |i| from + i)
    }
}

fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::{Quote, scan};

    #[test]
    fn finds_the_bracket_left_open() {
        let s = scan("node {\n  foo(1\n}\n", 14);
        assert_eq!(s.unclosed.len(), 1);
        assert_eq!(s.unclosed[0].0.at, 12);
        assert_eq!(s.unclosed[0].1, Some(15));
        assert_eq!(s.open_at_target.len(), 2);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let s = scan("a('(', \"${b[0]}\", /[/) // (\n/* { */ x = y / z\n", 0);
        assert!(s.unclosed.is_empty() && s.unmatched.is_empty());
        assert!(s.unterminated.is_empty());
    }

    #[test]
    fn a_string_ends_at_the_line_break() {
        let s = scan("stage('Build) {\n}\n", 0);
        assert_eq!(s.unterminated.len(), 1);
        assert_eq!(s.unterminated[0].quote, Quote::Single);
        assert_eq!((s.unterminated[0].start, s.unterminated[0].end), (6, 15));
        assert_eq!(s.unclosed.len(), 1);
    }

    #[test]
    fn an_extra_closer_is_unmatched() {
        let s = scan("a { }\n}\n", 0);
        assert_eq!(s.unmatched, vec![6]);
        assert_eq!(s.braces.len(), 1);
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "\\",
            "'\\",
            "\"${",
            "$/",
            "/",
            "/*",
            "'''\\",
            "\"\"\"${'",
            "?[",
        ] {
            for target in 0..=text.len() {
                let _ = scan(text, target);
            }
        }
    }
}
