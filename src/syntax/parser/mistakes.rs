//! Recognisers for the mistakes people actually make in Jenkinsfiles, tried in order on a parse
//! failure before the generic "unexpected X, expected Y": strings and comments left open,
//! brackets left open or closed twice, characters pasted from web pages, Groovy 3 syntax, and
//! keywords or operators in the wrong place. Each looks at where pest stopped, what it would
//! have accepted there, and the lexical sweep in `scan`, and returns `None` unless it is sure.

use crate::diagnostic::Diagnostic;
use crate::source::Span;

mod brackets;
mod groovy3;

use super::Failure;
use super::scan::{Opener, Quote, Unterminated};
use super::tokens::{
    Found, end_of_file_span, first_on_line, is_word_char, line_end, line_number, line_start,
    operator_at, token_before,
};

/// Binary operators that cannot start an operand, so cannot start a line either.
const BINARY_ONLY: [&str; 32] = [
    "&&", "||", "==", "!=", "<=", ">=", "=~", "==~", "<=>", "<", ">", "|", "&", "^", "%", "*", "/",
    "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**=", "<<=", ">>=", "..", "..<", "**",
];

/// Keywords that start a statement.
const STATEMENT_KEYWORDS: [&str; 14] = [
    "def", "if", "for", "while", "switch", "try", "return", "throw", "assert", "break", "continue",
    "final", "import", "class",
];

/// Runs every recogniser in turn.
pub(super) fn explain(f: &Failure<'_>) -> Option<Diagnostic> {
    typographic_quote(f)
        .or_else(|| unterminated(f))
        .or_else(|| bare_block(f))
        .or_else(|| unpaired_quotes(f))
        .or_else(|| odd_character(f))
        .or_else(|| groovy3::explain(f))
        .or_else(|| brackets::unmatched_closer(f))
        .or_else(|| brackets::unclosed(f))
        .or_else(|| orphan_keyword(f))
        .or_else(|| leading_operator(f))
        .or_else(|| missing_comma(f))
        .or_else(|| same_line_statement(f))
        .or_else(|| missing_name(f))
        .or_else(|| dangling_dot(f))
}

fn span(start: usize, end: usize) -> Span {
    Span::new(start, end)
}

fn syntax(message: impl Into<String>, start: usize, end: usize) -> Diagnostic {
    Diagnostic::error("syntax-error", message, span(start, end))
}

/// An empty span at the end of the last line with text, labelled as the end of the file.
fn at_end_of_file(diag: Diagnostic, text: &str) -> Diagnostic {
    let (start, end) = end_of_file_span(text);
    diag.with_secondary(span(start, end), "the file ends here")
}

// ------------------------------------------------------------------ strings and comments

/// A string or comment that runs past where pest stopped.
fn unterminated(f: &Failure<'_>) -> Option<Diagnostic> {
    let u = *f
        .scan
        .unterminated
        .iter()
        .find(|u| u.start <= f.pos && f.pos <= u.end)?;
    let text = f.text;
    let open = u.quote.opening();
    let close = u.quote.closing();
    let (message, what) = match u.quote {
        Quote::BlockComment => ("unterminated block comment", "comment"),
        Quote::Slashy | Quote::DollarSlashy => ("unterminated slashy string", "string"),
        _ => ("unterminated string literal", "string"),
    };
    if let Some(apostrophe) = apostrophe(text, u) {
        return Some(
            syntax(message, apostrophe, apostrophe + 1)
                .with_label("this apostrophe ends the string")
                .with_secondary(
                    span(u.start, u.start + 1),
                    "so this `'` starts a string that is never closed",
                )
                .with_help(
                    "escape an apostrophe inside '…' as `\\'`, or quote the text with \"…\" \
                     instead",
                ),
        );
    }
    let mut diag = syntax(message, u.start, u.start + open.len())
        .with_label(format!("this {what} is never closed"));
    if u.end < text.len() {
        diag = diag.with_secondary(
            span(u.end, u.end),
            format!("the line ends without a closing `{close}`"),
        );
    } else {
        diag = at_end_of_file(diag, text);
    }
    // `main', wait: false`: what follows the quote reads as code, so the quote was probably
    // meant to close a string whose opening quote is missing.
    let after = text[u.start + 1..u.end].trim_start();
    if u.quote.single_line() && (after.is_empty() || after.starts_with([',', ')', ']', '}', ';'])) {
        return Some(diag.with_help(format!(
            "if this `{open}` was meant to end a string, add the opening `{open}` before the \
             text; otherwise add the closing `{open}`"
        )));
    }
    Some(
        diag.with_help(match u.quote {
            Quote::Single => {
                "add the closing `'`; a '…' string cannot span lines, so use '''…''' for text on \
             several lines"
                    .to_string()
            }
            Quote::Double => {
                "add the closing `\"`; a \"…\" string cannot span lines, so use \"\"\"…\"\"\" for \
             text on several lines"
                    .to_string()
            }
            Quote::BlockComment => "close the comment with `*/`".to_string(),
            Quote::Slashy => {
                "add the closing `/`; where an operand may start, `/` begins a slashy string"
                    .to_string()
            }
            _ => format!("add the closing `{close}`"),
        }),
    )
}

/// Code that pest rejects on a line whose quotes do not pair up: a quote is missing or extra,
/// so text became code and a later quote starts a string that runs off the line.
fn unpaired_quotes(f: &Failure<'_>) -> Option<Diagnostic> {
    let end = line_end(f.text, f.pos);
    let u = f
        .scan
        .unterminated
        .iter()
        .find(|u| u.quote.single_line() && f.pos < u.start && u.start < end)?;
    let q = u.quote.opening();
    Some(
        syntax(
            format!("unexpected {}", f.found.desc),
            f.found.start,
            f.found.end,
        )
        .with_label("this is read as code, outside any string")
        .with_secondary(
            span(u.start, u.start + 1),
            format!("and this `{q}` starts a string that is never closed"),
        )
        .with_help(format!(
            "the quotes on this line do not pair up; check for a missing or extra `{q}`"
        )),
    )
}

/// In `'Don't deploy'` the apostrophe closes the string and the last `'` opens one that never
/// ends: finds that apostrophe, a `'` between two letters earlier on the same line.
fn apostrophe(text: &str, u: Unterminated) -> Option<usize> {
    if u.quote != Quote::Single {
        return None;
    }
    let line = &text[line_start(text, u.start)..u.start];
    let base = u.start - line.len();
    let bytes = line.as_bytes();
    (1..bytes.len().saturating_sub(1))
        .find(|&i| {
            bytes[i] == b'\''
                && bytes[i - 1].is_ascii_alphabetic()
                && bytes[i + 1].is_ascii_alphabetic()
        })
        .map(|i| base + i)
}

// ------------------------------------------------------------------ characters

/// Characters that are not Groovy at all: typographic quotes, `#`, invisible or odd spaces,
/// dashes, and other symbols, usually pasted from a web page or a shell script.
/// A statement that starts with `{` and no `->`: the grammar refuses it outright (see
/// `plain_statement`), so the failure lands on the brace itself.
fn bare_block(f: &Failure<'_>) -> Option<Diagnostic> {
    if !f.text[f.pos..].starts_with('{') {
        return None;
    }
    let line_start = f.text[..f.pos].rfind('\n').map_or(0, |i| i + 1);
    if !f.text[line_start..f.pos].trim().is_empty() {
        return None;
    }
    Some(
        Diagnostic::error(
            "ambiguous-block",
            "ambiguous expression: a parameterless closure or an isolated block",
            span(f.pos, f.pos + 1),
        )
        .with_label("Groovy cannot tell what this `{` opens")
        .with_help(
            "add an explicit parameter list (`{ it -> … }`), or label the block (`L: { … }`); \
             a closure meant for the call above must start on the same line",
        ),
    )
}

/// Groovy 2.4 lexes characters from U+0100 up as letters, so a pasted `‘make’` reads as a
/// name and the parse fails somewhere later. When it fails, a typographic quote before the
/// failure is the likeliest cause, so it is reported there.
fn typographic_quote(f: &Failure<'_>) -> Option<Diagnostic> {
    let line_end = f.text[f.pos..]
        .find('\n')
        .map_or(f.text.len(), |i| f.pos + i);
    let (at, c) = f.text[..line_end]
        .char_indices()
        .find(|(_, c)| matches!(c, '‘' | '’' | '‚' | '‛' | '“' | '”' | '„' | '‟'))?;
    Some(
        syntax(
            format!("unexpected typographic quote `{c}`"),
            at,
            at + c.len_utf8(),
        )
        .with_label("Groovy strings need straight quotes")
        .with_help(
            "replace typographic quotes with ' or \"; they usually come from copying code out of \
                 a web page or a word processor",
        ),
    )
}

fn odd_character(f: &Failure<'_>) -> Option<Diagnostic> {
    let c = f.text[f.pos..].chars().next()?;
    let end = f.pos + c.len_utf8();
    let diag = |message: String, label: &str, help: &str| {
        let d = syntax(message, f.pos, end).with_label(label);
        Some(if help.is_empty() {
            d
        } else {
            d.with_help(help)
        })
    };
    match c {
        '‘' | '’' | '‚' | '‛' | '“' | '”' | '„' | '‟' | '′' | '″' | '«' | '»' => {
            diag(
                format!("unexpected typographic quote `{c}`"),
                "Groovy strings need straight quotes",
                "replace typographic quotes with ' or \"; they usually come from copying code out of \
             a web page or a word processor",
            )
        }
        '#' => diag(
            "unexpected `#`".to_string(),
            "`#` does not start a comment in Groovy",
            "Groovy comments start with `//`, or are wrapped in `/* … */`; only the very first \
             line of a file may start with `#!`",
        ),
        '`' => diag(
            "unexpected backtick".to_string(),
            "Groovy has no backtick strings",
            "quote strings with ' or \"; to run a command, use `sh 'command'`",
        ),
        '\u{a0}'
        | '\u{2000}'..='\u{200d}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{2060}'
        | '\u{3000}'
        | '\u{feff}' => diag(
            format!(
                "unexpected invisible character U+{:04X}{}",
                c as u32,
                match c {
                    '\u{a0}' => " (no-break space)",
                    '\u{200b}' => " (zero-width space)",
                    '\u{feff}' => " (byte order mark)",
                    _ => "",
                }
            ),
            "this looks like a space but is not one",
            "replace it with an ordinary space; such characters usually come from copying code \
             out of a web page or a chat",
        ),
        '–' | '—' | '−' => diag(
            format!("unexpected dash `{c}`"),
            "not a minus sign",
            "replace it with `-`; word processors turn `-` into dashes",
        ),
        _ if !c.is_ascii() && !is_word_char(c) => diag(
            format!("unexpected character `{c}`"),
            "not valid outside strings and comments",
            "",
        ),
        _ => None,
    }
}

// ------------------------------------------------------------------ misplaced words

/// `else`, `catch` or `finally` with no `if` or `try` before it.
fn orphan_keyword(f: &Failure<'_>) -> Option<Diagnostic> {
    let word = f.found.text(f.text);
    let (owner, label, help) = match word {
        "else" => (
            "if",
            "this `else` does not follow the body of an `if`",
            "`else` must come right after the body of an `if`; check that the `if` is there \
             and that the braces between them are balanced",
        ),
        "catch" | "finally" => (
            "try",
            if word == "catch" {
                "this `catch` does not follow a `try` block"
            } else {
                "this `finally` does not follow a `try` block"
            },
            "`catch` and `finally` must come right after the `}` of a `try { … }` block",
        ),
        _ => return None,
    };
    Some(
        syntax(
            format!("`{word}` without `{owner}`"),
            f.found.start,
            f.found.end,
        )
        .with_label(label)
        .with_help(help),
    )
}

/// A line that starts with `&&` or another binary operator: the statement ended at the line
/// break before it.
fn leading_operator(f: &Failure<'_>) -> Option<Diagnostic> {
    if !first_on_line(f.text, f.pos) {
        return None;
    }
    let op = operator_at(&f.text[f.pos..])?;
    if !BINARY_ONLY.contains(&op) {
        return None;
    }
    Some(
        syntax(
            format!("unexpected `{op}` at the start of a line"),
            f.pos,
            f.pos + op.len(),
        )
        .with_label("the statement already ended at the line break before it")
        .with_help(format!(
            "put `{op}` at the end of the previous line, or wrap the whole expression in \
             parentheses"
        )),
    )
}

/// `sh script: 'x' returnStdout: true` or `foo(a b)`: two arguments with no `,` between them.
fn missing_comma(f: &Failure<'_>) -> Option<Diagnostic> {
    let text = f.text;
    // A named argument: pest read `returnStdout` as a method name and stopped at the `:`.
    let (start, end) = if f.found.text(text) == ":" {
        let (s, e) = token_before(text, f.pos)?;
        if e != f.pos || !text[s..e].starts_with(|c: char| is_word_char(c)) {
            return None;
        }
        (s, e)
    } else {
        let inner = f.scan.open_at_target.last()?;
        if !arguments(text, inner) {
            return None;
        }
        let first = text[f.pos..].chars().next()?;
        if !(is_word_char(first) || first == '\'' || first == '"') {
            return None;
        }
        if let Some(help) = unquoted_text(text, inner.at) {
            return Some(
                syntax(
                    format!("unexpected {}", f.found.desc),
                    f.found.start,
                    f.found.end,
                )
                .with_label("expected `)` or `,`")
                .with_help(help),
            );
        }
        (f.found.start, f.found.end)
    };
    let (ps, pe) = token_before(text, start)?;
    let prev = &text[ps..pe];
    let operand_end = prev.ends_with(|c: char| is_word_char(c) || "'\")]".contains(c));
    if !operand_end || line_number(text, pe) != line_number(text, start) || pe == start {
        return None;
    }
    let name = &text[start..end];
    Some(
        syntax(format!("missing `,` before `{name}`"), start, end)
            .with_label("expected `,` before this argument")
            .with_help("separate arguments with `,`"),
    )
}

/// Whether a bracket holds arguments or items: `[`, or a `(` right after a name that is not a
/// keyword (`if (`, `for (` hold conditions), a closing bracket or a string.
fn arguments(text: &str, open: &Opener) -> bool {
    match open.byte {
        b'[' => true,
        b'(' => match token_before(text, open.at) {
            Some((s, e)) => {
                let before = &text[s..e];
                let keyword = matches!(
                    before,
                    "if" | "for" | "while" | "switch" | "catch" | "synchronized" | "return"
                );
                !keyword && before.ends_with(|c: char| is_word_char(c) || ")]'\"".contains(c))
            }
            None => false,
        },
        _ => false,
    }
}

/// For `stage(Build and Test)`: the words between `(` and `)` on one line, if that is all
/// there is, as a help text suggesting quotes.
fn unquoted_text(text: &str, open: usize) -> Option<String> {
    let line = &text[open + 1..line_end(text, open)];
    let inside = &line[..line.find(')')?];
    let words = inside.split_whitespace().count();
    let plain = inside
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_');
    (words > 1 && plain).then(|| format!("text must be quoted: `'{}'`", inside.trim()))
}

/// `def a = 1 def b = 2`: a statement keyword in the middle of a line.
fn same_line_statement(f: &Failure<'_>) -> Option<Diagnostic> {
    let word = f.found.text(f.text);
    if !STATEMENT_KEYWORDS.contains(&word)
        || first_on_line(f.text, f.pos)
        || !f.expected.contains(&"`;`")
    {
        return None;
    }
    Some(
        syntax(format!("unexpected `{word}`"), f.found.start, f.found.end)
            .with_label("a new statement must start on its own line or after `;`")
            .with_help("put each statement on its own line, or separate them with `;`"),
    )
}

/// `def = 1`: a declaration keyword with no name after it.
fn missing_name(f: &Failure<'_>) -> Option<Diagnostic> {
    let (s, e) = token_before(f.text, f.pos)?;
    let keyword = &f.text[s..e];
    if !matches!(keyword, "def" | "final" | "static" | "private" | "public")
        || f.text[f.pos..].starts_with(|c: char| is_word_char(c))
    {
        return None;
    }
    let found: &Found = &f.found;
    Some(
        syntax(
            format!("missing name after `{keyword}`"),
            found.start,
            found.end,
        )
        .with_label(format!("expected a name, found {}", found.desc))
        .with_help(format!(
            "`{keyword}` declares a variable or method: `{keyword} name = …`"
        )),
    )
}

/// `env.` with no name after the dot.
fn dangling_dot(f: &Failure<'_>) -> Option<Diagnostic> {
    const DOTS: [&str; 5] = [".", "?.", "*.", ".&", ".@"];
    let text = f.text;
    let found = f.found.text(text);
    let (start, end) = if DOTS.contains(&found) {
        (f.found.start, f.found.end)
    } else {
        let (s, e) = token_before(text, f.pos)?;
        if !DOTS.contains(&&text[s..e]) {
            return None;
        }
        (s, e)
    };
    if text[end..].trim_start().starts_with(is_word_char) {
        return None;
    }
    let dot = &text[start..end];
    Some(
        syntax(format!("missing name after `{dot}`"), start, end).with_label(format!(
            "expected a property or method name after this `{dot}`"
        )),
    )
}
