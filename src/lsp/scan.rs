//! A forgiving lexical scan for hover and completion. The text under the cursor is usually
//! mid-edit and does not parse, so these features read tokens instead of the tree: identifiers
//! and brackets, with strings and comments skipped, and the names of the enclosing blocks
//! (`pipeline`, `stage`, `steps`) and calls (`sh(`) at a byte offset.

use crate::source::Span;

/// A token the scan keeps: an identifier or one bracket or punctuation character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Ident(Span),
    Punct(u8, usize),
}

/// An open bracket with the name written before it: `stage('x') {` opens a `stage` block,
/// `sh(` a `sh` call; a bare `{` or `(` has an empty name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Open {
    Block(String),
    Call(String),
}

/// What surrounds a byte offset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Enclosing blocks and calls, outermost first.
    pub open: Vec<Open>,
    /// The offset is inside a string or comment.
    pub in_string_or_comment: bool,
    /// Where the string or comment holding the offset starts.
    pub region_start: Option<usize>,
}

impl Context {
    /// The names of the enclosing `{ }` blocks, outermost first.
    #[must_use]
    pub fn blocks(&self) -> Vec<&str> {
        self.open
            .iter()
            .filter_map(|o| match o {
                Open::Block(name) => Some(name.as_str()),
                Open::Call(_) => None,
            })
            .collect()
    }

    /// The innermost block's name.
    #[must_use]
    pub fn block(&self) -> Option<&str> {
        self.blocks().last().copied()
    }

    /// Whether `offset`, inside a double-quoted (interpolating) string, is in the code of a
    /// `${…}` or `$name.path` interpolation, where hover and completion work as in code.
    #[must_use]
    pub fn in_interpolation(&self, text: &str, offset: usize) -> bool {
        let Some(start) = self.region_start else {
            return false;
        };
        if !self.in_string_or_comment || text.as_bytes().get(start) != Some(&b'"') {
            return false;
        }
        let bytes = text.as_bytes();
        // The innermost `${` still open at the offset, brace depth counted from it.
        let mut depth = 0usize;
        let mut i = start + 1;
        let mut bare_from: Option<usize> = None;
        while i < offset.min(bytes.len()) {
            match bytes[i] {
                b'\\' => i += 1,
                b'$' if depth == 0 && bytes.get(i + 1) == Some(&b'{') => {
                    depth = 1;
                    i += 1;
                }
                b'$' if depth == 0 => bare_from = Some(i + 1),
                b'{' if depth > 0 => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b if depth == 0 && bare_from.is_some() && !(is_ident(b) || b == b'.') => {
                    bare_from = None;
                }
                _ => {}
            }
            i += 1;
        }
        depth > 0 || bare_from.is_some()
    }

    /// The call whose parentheses hold the offset, if the innermost bracket is one.
    #[must_use]
    pub fn call(&self) -> Option<&str> {
        match self.open.last() {
            Some(Open::Call(name)) if !name.is_empty() => Some(name),
            _ => None,
        }
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Walks the text's tokens in order, calling `visit` with each token, the brackets open
/// before it, and the text. Stops once a token starts at or after `stop`. Returns whether
/// `stop` fell inside a string or comment, and the brackets open at `stop`.
pub fn walk(text: &str, stop: usize, mut visit: impl FnMut(Token, &[Open])) -> Context {
    let bytes = text.as_bytes();
    let mut open: Vec<Open> = Vec::new();
    // The name a following bracket takes: the identifier just before it, or the call just closed.
    let mut pending: Option<String> = None;
    let mut i = 0;
    let mut inside = false;
    let mut region_start = None;
    // The last byte of code that is not white space, which tells a slashy string from `/`
    // (as in `statement_start`).
    let mut prev: Option<u8> = None;
    while i < bytes.len() && i < stop {
        let b = bytes[i];
        let skip_to = match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                Some(text[i..].find('\n').map_or(bytes.len(), |n| i + n))
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => Some(
                text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2),
            ),
            b'\'' | b'"' => Some(string_end(text, i)),
            b'/' if slashy_may_start(bytes, i, prev) => Some(quoted_end(bytes, i)),
            b'$' if bytes.get(i + 1) == Some(&b'/') => Some(dollar_slashy_end(bytes, i)),
            _ => None,
        };
        if let Some(end) = skip_to {
            if !text[i..].starts_with("//") && !text[i..].starts_with("/*") {
                prev = Some(b'"');
            }
            // The loop runs only while `i < stop`, so `stop` is past the region's start.
            if stop < end || (stop == end && !closed(text, i, end)) {
                inside = true;
                region_start = Some(i);
            }
            i = end;
            pending = None;
            continue;
        }
        if is_ident_start(b) {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let span = Span::new(start, i);
            prev = Some(bytes[i - 1]);
            visit(Token::Ident(span), &open);
            pending = Some(text[start..i].to_owned());
            continue;
        }
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        prev = Some(b);
        visit(Token::Punct(b, i), &open);
        match b {
            b'{' => open.push(Open::Block(pending.take().unwrap_or_default())),
            b'(' | b'[' => open.push(Open::Call(if b == b'(' {
                pending.take().unwrap_or_default()
            } else {
                String::new()
            })),
            b'}' => {
                pop_to(&mut open, |o| matches!(o, Open::Block(_)));
                pending = None;
            }
            b')' | b']' => {
                // `stage('x') {`: the block is named after the call that just closed.
                pending = match pop_to(&mut open, |o| matches!(o, Open::Call(_))) {
                    Some(Open::Call(name)) if b == b')' && !name.is_empty() => Some(name),
                    _ => None,
                };
            }
            _ => pending = None,
        }
        i += 1;
    }
    Context {
        open,
        in_string_or_comment: inside,
        region_start,
    }
}

/// Pops up to and including the innermost entry `matches` accepts (unbalanced text must not
/// leave the stack wrong for the rest of the file), returning it.
fn pop_to(open: &mut Vec<Open>, matches: impl Fn(&Open) -> bool) -> Option<Open> {
    let at = open.iter().rposition(matches)?;
    let found = open.remove(at);
    open.truncate(at);
    Some(found)
}

/// The end of the string starting at `start` (after its closing quote, or the end of the
/// text or line for an unterminated one).
fn string_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let quote = bytes[start];
    let triple = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' if !triple => return i,
            c if c == quote => {
                if !triple {
                    return i + 1;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    return i + 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether the string or comment spanning `start..end` is closed (so the end is outside it).
fn closed(text: &str, start: usize, end: usize) -> bool {
    let piece = &text[start..end];
    match piece.as_bytes().first() {
        Some(b'/') if piece.starts_with("//") => false,
        Some(b'/') if piece.starts_with("/*") => piece.len() >= 4 && piece.ends_with("*/"),
        Some(b'$') => piece.len() >= 4 && piece.ends_with("/$"),
        Some(&q) => piece.len() >= 2 && piece.as_bytes()[piece.len() - 1] == q,
        None => true,
    }
}

/// The context at `offset`.
#[must_use]
pub fn context(text: &str, offset: usize) -> Context {
    walk(text, offset, |_, _| {})
}

/// The identifier touching `offset` (under it, or just before it, as while typing).
#[must_use]
pub fn word_at(text: &str, offset: usize) -> Option<Span> {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let mut start = offset;
    while start > 0 && is_ident(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && is_ident(bytes[end]) {
        end += 1;
    }
    (start < end && is_ident_start(bytes[start])).then(|| Span::new(start, end))
}

/// `env` for a word written `env.NAME` (or `env?.NAME`), given the word's start.
#[must_use]
pub fn receiver(text: &str, word_start: usize) -> Option<&str> {
    let before = text[..word_start].strip_suffix('.')?;
    let before = before.strip_suffix('?').unwrap_or(before);
    let bytes = before.as_bytes();
    let mut start = bytes.len();
    while start > 0 && is_ident(bytes[start - 1]) {
        start -= 1;
    }
    (start < bytes.len() && is_ident_start(bytes[start])).then(|| &before[start..])
}

/// The step a paren-less call names (`sh script: 'x', lab|`): the first word of the statement
/// (from the line start, `{` or `;` before the cursor, outside strings and comments), when the
/// cursor is past it and a space follows it.
#[must_use]
pub fn line_call(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let line_start = statement_start(text, offset);
    let line = &text[line_start..offset];
    let trimmed = line.trim_start();
    let end = trimmed
        .bytes()
        .position(|b| !is_ident(b))
        .unwrap_or(trimmed.len());
    let (name, rest) = trimmed.split_at(end);
    let ok = !name.is_empty()
        && is_ident_start(name.as_bytes()[0])
        && rest.starts_with([' ', '\t'])
        && !rest.trim_start().starts_with(['=', '{', '.']);
    ok.then_some(name)
}

/// Where the statement holding `offset` starts: after the last newline, `{` or `;` that is
/// code, not part of a string (`'echo ${env.FOO}'`), a `${…}` in one, or a comment.
fn statement_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // The last byte of code that is not white space, which tells a slashy string from `/`.
    let mut prev = None;
    while i < offset {
        let b = bytes[i];
        let end = match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                text[i..].find('\n').map_or(bytes.len(), |n| i + n)
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2),
            b'\'' | b'"' => quoted_end(bytes, i),
            b'/' if slashy_may_start(bytes, i, prev) => quoted_end(bytes, i),
            b'\n' | b'{' | b';' => {
                start = i + 1;
                prev = Some(b);
                i += 1;
                continue;
            }
            _ => {
                if !b.is_ascii_whitespace() {
                    prev = Some(b);
                }
                i += 1;
                continue;
            }
        };
        prev = Some(b'"');
        i = end;
    }
    start
}

/// Whether the `/` at `i` opens a slashy string rather than dividing: it follows an operator
/// or opening bracket (`prev`, the last code byte), nothing, or a keyword that an expression
/// follows (`return /x/`, `case /y/:`).
fn slashy_may_start(bytes: &[u8], i: usize, prev: Option<u8>) -> bool {
    if prev.is_none_or(|p| b"=(,:[!&|?{;~+".contains(&p)) {
        return true;
    }
    let before = bytes[..i].trim_ascii_end();
    let word_start = before
        .iter()
        .rposition(|b| !is_ident(*b))
        .map_or(0, |p| p + 1);
    matches!(
        &before[word_start..],
        b"return" | b"case" | b"in" | b"assert" | b"throw" | b"else"
    )
}

/// The end of the string starting at `start` (`'`, `"`, triple-quoted or slashy), after its
/// closing delimiter; interpolations (`${…}`) in the interpolating kinds are skipped whole, so
/// quotes inside them do not end the string. An unterminated one-line string ends at the line.
fn quoted_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = quote != b'/'
        && bytes.get(start + 1) == Some(&quote)
        && bytes.get(start + 2) == Some(&quote);
    let interpolates = quote != b'\'';
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' if interpolates && bytes.get(i + 1) == Some(&b'{') => {
                i = interpolation_end(bytes, i + 2);
            }
            b'\n' if !triple && quote != b'/' => return i,
            c if c == quote => {
                if !triple {
                    return i + 1;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    return i + 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of the dollar-slashy string `$/…/$` starting at `start` (after its `/$`); `$$`
/// and `$/` are its escapes. Unterminated, it runs to the end of the text.
fn dollar_slashy_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 2;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'$', Some(b'$' | b'/')) => i += 2,
            (b'/', Some(b'$')) => return i + 2,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a `${…}` whose body starts at `i` (after its closing brace), strings in it
/// skipped.
fn interpolation_end(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 1usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => {
                i = quoted_end(bytes, i);
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::{Open, context, line_call, receiver, word_at};

    #[test]
    fn blocks_are_named_by_the_word_or_call_before_them() {
        let text =
            "pipeline {\n  stages {\n    stage('b{') {\n      steps {\n        sh(script: 'x'";
        let cx = context(text, text.len());
        assert_eq!(cx.blocks(), ["pipeline", "stages", "stage", "steps"]);
        assert_eq!(cx.call(), Some("sh"));
        assert!(!cx.in_string_or_comment);
        let at = text.find("'x'").unwrap() + 1;
        assert!(context(text, at).in_string_or_comment);
        assert_eq!(context(text, 12).open, [Open::Block("pipeline".into())]);
    }

    #[test]
    fn closed_blocks_and_comments_do_not_count() {
        let text = "pipeline { agent any /* { */ post { always { } } // {\n ";
        assert_eq!(context(text, text.len()).blocks(), ["pipeline"]);
        let text = "steps { // a comment";
        assert!(context(text, text.len()).in_string_or_comment);
    }

    #[test]
    fn slashy_and_dollar_slashy_strings_are_skipped() {
        let text = "node {\n  if ('x' =~ /\\}/) { echo 'a' }\n  ";
        assert_eq!(context(text, text.len()).blocks(), ["node"]);
        let text = "def r = $/a}b$/c/$\nnode {\n  ";
        assert_eq!(context(text, text.len()).blocks(), ["node"]);
        let inside = text.find("a}").unwrap() + 1;
        assert!(context(text, inside).in_string_or_comment);
        // Division is no string: `/ 2 {` opens a block.
        let text = "def x = 10 / 2\nnode { y = x / 2 }\nstage {\n  ";
        assert_eq!(context(text, text.len()).blocks(), ["stage"]);
        // After `return` and `case`, `/` opens a slashy string.
        let text = "def f() {\n  return /}/\n}\nnode {\n  switch (x) { case /{/: break }\n  ";
        assert_eq!(context(text, text.len()).blocks(), ["node"]);
        // A word that only ends in a keyword divides.
        let text = "node { def y = xreturn / 2 }\nstage {\n  ";
        assert_eq!(context(text, text.len()).blocks(), ["stage"]);
        // A closed slashy string does not hold the offset just after it.
        let text = "x = /a/";
        assert!(!context(text, text.len()).in_string_or_comment);
        assert!(context(text, 5).in_string_or_comment);
    }

    #[test]
    fn words_receivers_and_line_calls() {
        let text = "echo env.BUILD_NUMBER\nsh script: 'x', lab";
        let w = word_at(text, 12).unwrap();
        assert_eq!(&text[w.range()], "BUILD_NUMBER");
        assert_eq!(receiver(text, w.start as usize), Some("env"));
        assert_eq!(line_call(text, text.len()), Some("sh"));
        assert_eq!(line_call("x = 1", 5), None);
        assert_eq!(line_call("node { sh script: 'x', r", 24), Some("sh"));
        assert_eq!(word_at("a.", 2), None);
    }

    #[test]
    fn line_calls_skip_braces_and_semicolons_in_strings() {
        let cases = [
            "sh script: 'echo ${env.FOO}', returnStdout: true",
            "sh script: \"echo ${env.FOO; x}\", returnStdout: true",
            "sh script: \"echo ${ [a: '}'].a }\", returnStdout: true",
            "sh script: \"\"\"\necho {\n;\"\"\", returnStdout: true",
            "sh script: /echo {;/, returnStdout: true",
            "sh script: 'x', /* { */ returnStdout: true",
        ];
        for text in cases {
            assert_eq!(line_call(text, text.len()), Some("sh"), "{text}");
        }
        // Division is not a slashy string: the statement still starts after the `{`.
        let text = "x = a / 2 { echo msg: 'a', lev";
        assert_eq!(line_call(text, text.len()), Some("echo"));
        // Inside an unterminated string the statement is the one the string belongs to.
        let text = "withCredentials x\nsh script: 'echo {";
        assert_eq!(line_call(text, text.len()), Some("sh"));
    }
}
