//! Reading the text around a syntax error the way a person would: the token at a position, the
//! token before it, lines and indentation. Failure path only; every position returned is on a
//! char boundary. Imports nothing from the crate.

/// Groovy's operators, longest first so that the first prefix match is the whole token. The
/// Groovy 3 ones are here so that an error names them whole.
const OPERATORS: [&str; 49] = [
    ">>>=", "!==", "===", "==~", "<=>", "..<", "**=", "<<=", ">>=", "!in", "&&", "||", "==", "!=",
    "<=", ">=", "=~", "->", "?:", "?.", "*.", ".@", ".&", "::", "?=", "?[", "..", "<<", ">>", "++",
    "--", "**", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "*:", "+", "-", "*", "/", "%", "=",
    "<", ">",
];

/// The token found at an error position.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub(super) start: usize,
    pub(super) end: usize,
    /// How a message names it: "`else`", "end of file", "string `'x'`".
    pub(super) desc: String,
}

impl Found {
    pub(super) fn at(text: &str, pos: usize) -> Found {
        let rest = &text[pos..];
        let token = |len: usize, desc: String| Found {
            start: pos,
            end: pos + len,
            desc,
        };
        let Some(c) = rest.chars().next() else {
            return token(0, "end of file".to_string());
        };
        if c == '\n' || c == '\r' {
            return token(0, "end of line".to_string());
        }
        if is_word_char(c) {
            let len = word_len(rest);
            return token(len, format!("`{}`", &rest[..len.min(floor(rest, 40))]));
        }
        if c == '\'' || c == '"' {
            let close = rest[1..].find([c, '\n', '\r']).map(|i| i + 1);
            if let Some(close) = close
                && rest[close..].starts_with(c)
                && close < 40
            {
                return token(close + 1, format!("string `{}`", &rest[..=close]));
            }
            return token(1, format!("`{c}`"));
        }
        if rest.starts_with("!instanceof") && !starts_word(&rest[11..]) {
            return token(11, "`!instanceof`".to_string());
        }
        if let Some(op) = operator_at(rest) {
            return token(op.len(), format!("`{op}`"));
        }
        if c.is_control() {
            return token(c.len_utf8(), format!("character U+{:04X}", c as u32));
        }
        token(c.len_utf8(), format!("`{c}`"))
    }

    pub(super) fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// The operator that starts `rest`, if any; `!in` only when a whole word.
pub(super) fn operator_at(rest: &str) -> Option<&'static str> {
    OPERATORS
        .iter()
        .copied()
        .find(|op| rest.starts_with(op) && (*op != "!in" || !starts_word(&rest[3..])))
}

/// The significant token that ends before `pos`, skipping white space and line breaks:
/// `(start, end)`. A word, an operator or a single character.
pub(super) fn token_before(text: &str, pos: usize) -> Option<(usize, usize)> {
    let before = text[..pos].trim_end();
    let end = before.len();
    let last = before.chars().next_back()?;
    if is_word_char(last) {
        let start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word_char(c))
            .last()
            .map_or(end, |(i, _)| i);
        return Some((start, end));
    }
    // The longest operator that ends here.
    for len in (2..=4).rev() {
        if end >= len
            && before.is_char_boundary(end - len)
            && operator_at(&before[end - len..]).is_some_and(|op| op.len() == len)
        {
            return Some((end - len, end));
        }
    }
    Some((end - last.len_utf8(), end))
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn starts_word(rest: &str) -> bool {
    rest.chars().next().is_some_and(is_word_char)
}

pub(super) fn word_len(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(rest.len(), |(i, _)| i)
}

/// The largest char boundary of `s` not after `max`.
fn floor(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte offset where the line holding `pos` starts.
pub(super) fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The byte offset of the line break (or end of file) that ends the line holding `pos`.
pub(super) fn line_end(text: &str, pos: usize) -> usize {
    text[pos..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| pos + i)
}

/// The one-based line number of `pos`.
pub(super) fn line_number(text: &str, pos: usize) -> usize {
    text[..pos].matches('\n').count() + 1
}

/// The width of the white space that starts the line holding `pos`; a tab counts as four.
pub(super) fn indent(text: &str, pos: usize) -> usize {
    text[line_start(text, pos)..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// Whether only white space precedes `pos` on its line.
pub(super) fn first_on_line(text: &str, pos: usize) -> bool {
    text[line_start(text, pos)..pos].trim().is_empty()
}

/// Where "the file ends" is shown: just after the last character that is not white space, as an
/// empty span, or on that last character itself when nothing follows it, since miette draws no
/// label at the very end of the text.
pub(super) fn end_of_file_span(text: &str) -> (usize, usize) {
    let end = text.trim_end().len();
    if end < text.len() {
        (end, end)
    } else {
        let last = text.chars().next_back().map_or(0, char::len_utf8);
        (end - last, end)
    }
}

#[cfg(test)]
mod tests {
    use super::{Found, token_before};

    #[test]
    fn found_names_whole_tokens() {
        let t = "a && b !in c !instanceof D 'str' x";
        assert_eq!(Found::at(t, 2).desc, "`&&`");
        assert_eq!(Found::at(t, 7).desc, "`!in`");
        assert_eq!(Found::at(t, 13).desc, "`!instanceof`");
        assert_eq!(Found::at(t, 27).desc, "string `'str'`");
        assert_eq!(Found::at(t, t.len()).desc, "end of file");
        assert_eq!(Found::at("§x", 0).end, 2);
    }

    #[test]
    fn token_before_skips_space() {
        let t = "x = 'a' +\n  }";
        assert_eq!(token_before(t, 12), Some((8, 9)));
        assert_eq!(token_before("def =", 4), Some((0, 3)));
        assert_eq!(token_before("a ==~ b", 6), Some((2, 5)));
        assert_eq!(token_before("  ", 2), None);
    }
}
