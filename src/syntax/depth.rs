//! The nesting pre-scan that runs before the grammar. pest, the lowering and every later phase
//! recurse once per level of nesting, so ten thousand `(` would overflow the native stack long
//! before any of them could report it. This pass counts `(`, `[`, `{` and the `${` of string
//! interpolations in one sweep over the bytes, with an explicit stack instead of recursion, and
//! turns the first level past `MAX_NESTING` into one diagnostic. It reports nothing else:
//! unbalanced or unclosed input is the parser's to explain.
//!
//! It follows the lexical rules of `grammar/jenkinsfile.pest` closely enough that brackets in
//! comments and strings do not count: `//` and `/* */`, `'…'`, `"…"`, `'''…'''`, `"""…"""`,
//! slashy `/…/` and dollar-slashy `$/…/$`, with the code inside `${…}` counted again. As in
//! Groovy, a `/` divides after an operand (a name, a number, a closing bracket, a string, `x++`,
//! the generic type after `as`) and starts a slashy string anywhere else, including after a cast
//! `(Type)`, after `return`, `case` or `in`, and at the start of a statement.
//!
//! That judgement can still differ from the grammar's on contrived input, and then brackets the
//! parser reads as code would be skipped here. So brackets inside strings and comments are
//! counted as well, against a doubled limit and only until their string or comment ends: real
//! text never comes near it, and no misread quote can hide deep code from this check.
//! Imports only `source`, `diagnostic` and the limit itself.

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::MAX_NESTING;

/// The limit for code depth plus the brackets open inside the current string or comment.
const QUOTED_LIMIT: usize = 2 * MAX_NESTING;

/// A parenthesised text longer than this is never a cast, which keeps the cast test O(1).
const CAST_SCAN_LIMIT: usize = 200;

const PRIMITIVES: [&[u8]; 9] = [
    b"boolean", b"byte", b"char", b"short", b"int", b"long", b"float", b"double", b"void",
];

/// Keywords after which an operand, and so a slashy string, may follow.
const OPERAND_KEYWORDS: [&[u8]; 6] = [b"return", b"case", b"in", b"assert", b"throw", b"else"];

/// Returns the `nesting-too-deep` diagnostic for the first bracket past `MAX_NESTING`, if any.
pub(crate) fn check(text: &str) -> Option<Diagnostic> {
    Scan::new(text.as_bytes()).run().err().map(Hit::diagnostic)
}

// The string kinds are the tree's own.
use crate::syntax::ast::Quote;

#[derive(Clone, Copy, Debug)]
enum Frame {
    /// `(`, `[` or `{` in code, opened at byte `at`.
    Bracket { open: u8, at: usize },
    /// `${` inside a string: code up to the matching `}`.
    Interp,
    /// Inside a string; `inner` counts the brackets open in its text so far.
    Str { quote: Quote, inner: usize },
}

/// What the last code token leaves behind, which decides whether a `/` divides.
#[derive(Clone, Copy, Debug)]
enum Prev {
    /// An operator, an opening bracket, a statement break or the start: an operand may follow.
    Operator,
    /// The end of an operand.
    Operand,
    /// A name, number or keyword, `text[start..end]`; `after_dot` when it names a member.
    Word {
        start: usize,
        end: usize,
        after_dot: bool,
    },
}

/// Where the limit was crossed.
#[derive(Debug)]
enum Hit {
    /// Code nesting past `MAX_NESTING`; `interp` when the opener is `${`.
    Code { span: Span, interp: bool },
    /// Brackets inside a string or comment past `QUOTED_LIMIT`.
    Quoted { span: Span },
}

impl Hit {
    #[cold]
    fn diagnostic(self) -> Diagnostic {
        match self {
            Hit::Code { span, interp } => Diagnostic::error(
                "nesting-too-deep",
                format!("nesting is deeper than {MAX_NESTING} levels"),
                span,
            )
            .with_label(format!(
                "this {} opens level {}",
                if interp { "interpolation" } else { "bracket" },
                MAX_NESTING + 1
            ))
            .with_help(format!(
                "brackets, blocks, closures and `${{…}}` may nest at most {MAX_NESTING} levels \
                 deep, which keeps the parser and every later phase, all of which walk the code \
                 recursively, well within the stack; flatten the code, for example by moving \
                 inner parts into variables or helper methods"
            )),
            Hit::Quoted { span } => Diagnostic::error(
                "nesting-too-deep",
                format!(
                    "brackets nest deeper than {QUOTED_LIMIT} levels, counting those inside \
                     strings and comments"
                ),
                span,
            )
            .with_label(format!("this bracket opens level {}", QUOTED_LIMIT + 1))
            .with_help(
                "brackets in strings and comments are counted too, against a higher limit, \
                 because a misplaced quote or slash can make the parser read them as code; \
                 check for an unclosed string or comment, or split the text",
            ),
        }
    }
}

struct Scan<'a> {
    text: &'a [u8],
    pos: usize,
    stack: Vec<Frame>,
    /// Indices into `stack` of the `{` and `${` frames, innermost last. A `}` closes the
    /// innermost one together with any `(` or `[` left open inside it, as the grammar's
    /// fallback for a broken `${…}` (plain text up to the closing quote) would.
    braces: Vec<usize>,
    /// The `Bracket` and `Interp` frames on the stack.
    depth: usize,
    prev: Prev,
    /// The last significant code byte: tells a member name after `.` from a keyword.
    last: u8,
    /// `Some(open angle brackets)` while reading the type after `as` or `instanceof`, where a
    /// closing `>` ends an operand instead of being an operator.
    type_angles: Option<u32>,
    /// Where the last `++` or `--` ended, so that `+++` holds one pair, not two.
    pair_end: usize,
    /// Whether the first sign of a possible `++`/`--` pair followed an operand (postfix).
    sign_after_operand: bool,
}

impl<'a> Scan<'a> {
    fn new(text: &'a [u8]) -> Self {
        Scan {
            text,
            pos: 0,
            stack: Vec::new(),
            braces: Vec::new(),
            depth: 0,
            prev: Prev::Operator,
            last: b'\n',
            type_angles: None,
            pair_end: 0,
            sign_after_operand: false,
        }
    }

    fn run(&mut self) -> Result<(), Hit> {
        if self.text.starts_with(b"#!") {
            self.pos = self.line_end(2);
        }
        // Every step consumes at least one byte, except closing a string at a line break,
        // which pops a frame instead; so this loop is linear in the input.
        while self.pos < self.text.len() {
            match self.stack.last() {
                Some(&Frame::Str { quote, .. }) => self.string(quote)?,
                _ => self.code()?,
            }
        }
        Ok(())
    }

    fn code(&mut self) -> Result<(), Hit> {
        let at = self.pos;
        let b = self.text[at];
        if !is_ident(b) {
            self.end_word();
        }
        self.track_type(b);
        match b {
            b' ' | b'\t' | 0x0C => self.pos += 1,
            b'\n' | b'\r' => {
                self.pos += 1;
                // Inside `( )` and `[ ]` a line break is white space; elsewhere it ends a
                // statement, and a `/` that starts the next one starts a slashy string.
                if !self.in_parens() {
                    self.prev = Prev::Operator;
                }
            }
            b'\\' => match self.text.get(at + 1) {
                Some(b'\n' | b'\r') => self.pos = self.newline_end(at + 1),
                _ => self.step(Prev::Operator),
            },
            b'/' => match self.text.get(at + 1) {
                Some(b'/') => self.line_comment()?,
                Some(b'*') => self.block_comment()?,
                _ if self.operand_may_start() => self.open_str(Quote::Slashy, 1),
                _ => self.step(Prev::Operator),
            },
            b'$' if self.text.get(at + 1) == Some(&b'/')
                && !(at > 0 && is_ident(self.text[at - 1])) =>
            {
                self.open_str(Quote::DollarSlashy, 2);
            }
            b'\'' if self.text[at..].starts_with(b"'''") => self.open_str(Quote::TripleSingle, 3),
            b'\'' => self.open_str(Quote::Single, 1),
            b'"' if self.text[at..].starts_with(b"\"\"\"") => {
                self.open_str(Quote::TripleDouble, 3);
            }
            b'"' => self.open_str(Quote::Double, 1),
            b'(' | b'[' | b'{' => self.open_bracket(b)?,
            b')' | b']' => self.close_bracket(b),
            b'}' => self.close_brace(),
            b'+' | b'-' => self.sign(b),
            b'>' => {
                let prev = if at > 0 && self.text[at - 1] == b'-' {
                    // `->` ends a closure's parameters; statements follow.
                    Prev::Operator
                } else if let Some(open) = self.type_angles
                    && open > 0
                {
                    self.type_angles = Some(open - 1);
                    if open == 1 {
                        Prev::Operand
                    } else {
                        Prev::Operator
                    }
                } else {
                    Prev::Operator
                };
                self.step(prev);
            }
            b'<' => {
                if let Some(open) = &mut self.type_angles {
                    *open += 1;
                }
                self.step(Prev::Operator);
            }
            _ if is_ident(b) => self.word_byte(),
            _ => self.step(Prev::Operator),
        }
        Ok(())
    }

    fn string(&mut self, quote: Quote) -> Result<(), Hit> {
        let at = self.pos;
        let rest = &self.text[at..];
        let b = rest[0];
        let escapes = matches!(
            quote,
            Quote::Single | Quote::Double | Quote::TripleSingle | Quote::TripleDouble
        );
        let interpolates = matches!(
            quote,
            Quote::Double | Quote::TripleDouble | Quote::Slashy | Quote::DollarSlashy
        );
        if escapes && b == b'\\' {
            self.pos = match self.text.get(at + 1) {
                None => at + 1,
                Some(b'\n' | b'\r') => self.newline_end(at + 1),
                Some(_) => at + 2,
            };
            return Ok(());
        }
        let close: &[u8] = match quote {
            Quote::Single => b"'",
            Quote::Double => b"\"",
            Quote::TripleSingle => b"'''",
            Quote::TripleDouble => b"\"\"\"",
            Quote::Slashy => b"/",
            Quote::DollarSlashy => b"/$",
        };
        if rest.starts_with(close) {
            self.stack.pop();
            self.pos += close.len();
            self.prev = Prev::Operand;
            self.last = b;
        } else if matches!(quote, Quote::Single | Quote::Double) && matches!(b, b'\n' | b'\r') {
            // These strings cannot span lines, so the grammar fails here; returning to code
            // keeps a stray quote from hiding the rest of the file.
            self.stack.pop();
            self.prev = Prev::Operand;
        } else if match quote {
            Quote::Slashy => rest.starts_with(b"\\/"),
            Quote::DollarSlashy => rest.starts_with(b"$$") || rest.starts_with(b"$/"),
            _ => false,
        } {
            // An escape that would otherwise read as the end or an interpolation.
            self.pos += 2;
        } else if interpolates && rest.starts_with(b"${") {
            self.open_interp()?;
        } else {
            self.quoted_byte(b)?;
            self.pos += 1;
        }
        Ok(())
    }

    /// Advances over one operator byte.
    fn step(&mut self, prev: Prev) {
        self.last = self.text[self.pos];
        self.prev = prev;
        self.pos += 1;
    }

    fn word_byte(&mut self) {
        let at = self.pos;
        self.prev = match self.prev {
            Prev::Word {
                start,
                end,
                after_dot,
            } if end == at => Prev::Word {
                start,
                end: at + 1,
                after_dot,
            },
            _ => Prev::Word {
                start: at,
                end: at + 1,
                after_dot: self.last == b'.',
            },
        };
        self.last = self.text[at];
        self.pos += 1;
    }

    /// Called on the byte after a word: `as` and `instanceof` start a type.
    fn end_word(&mut self) {
        if let Prev::Word {
            start,
            end,
            after_dot: false,
        } = self.prev
            && end == self.pos
            && matches!(&self.text[start..end], b"as" | b"instanceof")
        {
            self.type_angles = Some(0);
        }
    }

    /// Leaves the type after `as` or `instanceof` at the first byte no type may contain.
    fn track_type(&mut self, b: u8) {
        if let Some(open) = self.type_angles {
            let keep = is_ident(b)
                || matches!(b, b'.' | b' ' | b'\t' | b'<' | b'>' | b'[' | b']')
                || (open > 0 && matches!(b, b'?' | b',' | b'\n' | b'\r'));
            if !keep {
                self.type_angles = None;
            }
        }
    }

    /// `+` and `-`: a doubled sign after an operand is a postfix `++`/`--`, which ends an
    /// operand; anything else is an operator.
    fn sign(&mut self, b: u8) {
        let at = self.pos;
        if at > 0 && self.text[at - 1] == b && self.pair_end != at {
            self.pair_end = at + 1;
            let prev = if self.sign_after_operand {
                Prev::Operand
            } else {
                Prev::Operator
            };
            self.step(prev);
        } else {
            self.sign_after_operand = !self.operand_may_start();
            self.step(Prev::Operator);
        }
    }

    /// Whether a `/` here starts a slashy string rather than dividing.
    fn operand_may_start(&self) -> bool {
        match self.prev {
            Prev::Operator => true,
            Prev::Operand => false,
            Prev::Word {
                start,
                end,
                after_dot,
            } => !after_dot && OPERAND_KEYWORDS.contains(&&self.text[start..end]),
        }
    }

    fn in_parens(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Bracket {
                open: b'(' | b'[',
                ..
            })
        )
    }

    fn open_bracket(&mut self, open: u8) -> Result<(), Hit> {
        let at = self.pos;
        if open == b'{' {
            self.braces.push(self.stack.len());
        }
        self.stack.push(Frame::Bracket { open, at });
        self.step(Prev::Operator);
        self.deeper(Span::new(at, at + 1), false)
    }

    fn open_interp(&mut self) -> Result<(), Hit> {
        let at = self.pos;
        self.braces.push(self.stack.len());
        self.stack.push(Frame::Interp);
        self.pos += 2;
        self.prev = Prev::Operator;
        self.last = b'{';
        self.type_angles = None;
        self.deeper(Span::new(at, at + 2), true)
    }

    fn deeper(&mut self, span: Span, interp: bool) -> Result<(), Hit> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Hit::Code { span, interp });
        }
        Ok(())
    }

    /// `)` or `]`: closes a matching opener; a mismatched one is left for the parser.
    fn close_bracket(&mut self, close: u8) {
        let want = if close == b')' { b'(' } else { b'[' };
        let mut prev = Prev::Operand;
        if let Some(&Frame::Bracket { open, at }) = self.stack.last()
            && open == want
        {
            self.stack.pop();
            self.depth -= 1;
            if close == b')' && looks_like_cast(&self.text[at + 1..self.pos]) {
                // `(Type) /re/` casts a slashy string in the grammar.
                prev = Prev::Operator;
            }
        }
        self.step(prev);
    }

    fn close_brace(&mut self) {
        if let Some(index) = self.braces.pop() {
            let closed = self.stack[index..]
                .iter()
                .filter(|frame| !matches!(frame, Frame::Str { .. }))
                .count();
            self.depth -= closed;
            self.stack.truncate(index);
        }
        // After a `${…}` this returns to the string, where `prev` is not used.
        self.step(Prev::Operand);
    }

    fn open_str(&mut self, quote: Quote, len: usize) {
        self.stack.push(Frame::Str { quote, inner: 0 });
        self.pos += len;
    }

    /// A byte of string text: brackets count against `QUOTED_LIMIT` until the string ends.
    fn quoted_byte(&mut self, b: u8) -> Result<(), Hit> {
        let depth = self.depth;
        let at = self.pos;
        if let Some(Frame::Str { inner, .. }) = self.stack.last_mut() {
            count_quoted(b, inner, depth, at)?;
        }
        Ok(())
    }

    fn line_comment(&mut self) -> Result<(), Hit> {
        let end = self.line_end(self.pos + 2);
        self.quoted_run(self.pos + 2, end)?;
        self.pos = end;
        Ok(())
    }

    fn block_comment(&mut self) -> Result<(), Hit> {
        let from = self.pos + 2;
        let end = self.text[from..]
            .windows(2)
            .position(|w| w == b"*/")
            .map_or(self.text.len(), |i| from + i);
        self.quoted_run(from, end)?;
        self.pos = (end + 2).min(self.text.len());
        Ok(())
    }

    fn quoted_run(&self, from: usize, to: usize) -> Result<(), Hit> {
        let mut inner = 0;
        for (offset, &b) in self.text[from..to].iter().enumerate() {
            count_quoted(b, &mut inner, self.depth, from + offset)?;
        }
        Ok(())
    }

    /// The offset of the next line break at or after `from`, or the end of the text.
    fn line_end(&self, from: usize) -> usize {
        let from = from.min(self.text.len());
        self.text[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.text.len(), |i| from + i)
    }

    /// The offset after the line break that starts at `at` (`\r\n` counts as one).
    fn newline_end(&self, at: usize) -> usize {
        if self.text.get(at) == Some(&b'\r') && self.text.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        }
    }
}

fn count_quoted(b: u8, inner: &mut usize, depth: usize, at: usize) -> Result<(), Hit> {
    match b {
        b'(' | b'[' | b'{' => {
            *inner += 1;
            if depth + *inner > QUOTED_LIMIT {
                return Err(Hit::Quoted {
                    span: Span::new(at, at + 1),
                });
            }
        }
        b')' | b']' | b'}' => *inner = inner.saturating_sub(1),
        _ => {}
    }
    Ok(())
}

/// Bytes that may continue a name or number; every byte of a multi-byte character counts, as
/// names may contain letters beyond ASCII.
fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Whether the text between `(` and `)` reads as the type of a cast: a primitive, or a dotted
/// name whose last part is capitalised, with optional generics and array dimensions.
fn looks_like_cast(inner: &[u8]) -> bool {
    if inner.len() > CAST_SCAN_LIMIT {
        return false;
    }
    let mut body = inner.trim_ascii();
    while let Some(rest) = body.strip_suffix(b"]")
        && let Some(rest) = rest.trim_ascii_end().strip_suffix(b"[")
    {
        body = rest.trim_ascii_end();
    }
    let (name, has_generics) = match body.iter().position(|&b| b == b'<') {
        Some(i) if body.ends_with(b">") => (body[..i].trim_ascii_end(), true),
        Some(_) => return false,
        None => (body, false),
    };
    let mut last: &[u8] = &[];
    for part in name.split(|&b| b == b'.') {
        if part.is_empty() || part[0].is_ascii_digit() || !part.iter().all(|&b| is_ident(b)) {
            return false;
        }
        last = part;
    }
    last.first().is_some_and(u8::is_ascii_uppercase)
        || (!has_generics && PRIMITIVES.contains(&name))
}

#[cfg(test)]
mod tests;
