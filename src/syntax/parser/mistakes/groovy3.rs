//! Syntax that Groovy 3 added and Groovy 2.4, which Jenkins runs, rejects: `?=`, `!in`,
//! `!instanceof`, `===`, `!==`, `::`, lambdas, `?[`, `do … while` and array initializers. Each
//! is named as what it is, with the Groovy 2.4 way to write it.

use crate::diagnostic::Diagnostic;

use super::super::Failure;
use super::super::tokens::{
    is_word_char, line_end, line_start, operator_at, token_before, word_len,
};
use super::{span, syntax};

const GROOVY_2_4: &str = "Jenkins runs Groovy 2.4";

/// An operator that contains `pos`, starting up to two bytes before it.
fn operator_around(text: &str, pos: usize) -> Option<(usize, &'static str)> {
    (0..=2).rev().find_map(|back| {
        let start = pos.checked_sub(back)?;
        if !text.is_char_boundary(start) {
            return None;
        }
        let op = operator_at(&text[start..])?;
        (start + op.len() > pos).then_some((start, op))
    })
}

/// Syntax that Groovy 3 added and Groovy 2.4 rejects.
pub(super) fn explain(f: &Failure<'_>) -> Option<Diagnostic> {
    let text = f.text;
    let rest = &text[f.pos..];
    let new = |what: &str, start: usize, end: usize, label: &str, help: String| {
        Some(
            syntax(format!("{what} is Groovy 3 syntax"), start, end)
                .with_label(label)
                .with_help(format!("{GROOVY_2_4}; {help}")),
        )
    };
    if rest.starts_with("!instanceof") {
        return new(
            "`!instanceof`",
            f.pos,
            f.pos + 11,
            "not an operator in Groovy 2.4",
            "write `!(x instanceof Type)` instead".to_string(),
        );
    }
    if rest.starts_with("do") && rest[2..].trim_start().starts_with('{') {
        return new(
            "`do … while`",
            f.pos,
            f.pos + 2,
            "not a loop in Groovy 2.4",
            "write `while (true) { …; if (!(condition)) break }` instead".to_string(),
        );
    }
    if let Some((start, op)) = operator_around(text, f.pos) {
        let end = start + op.len();
        let label = "not an operator in Groovy 2.4";
        match op {
            "?=" => {
                let target = text[line_start(text, start)..start].trim();
                let target =
                    if !target.is_empty() && target.chars().all(|c| is_word_char(c) || c == '.') {
                        target
                    } else {
                        "x"
                    };
                return new(
                    "`?=`",
                    start,
                    end,
                    label,
                    format!("write `{target} = {target} ?: …` instead"),
                );
            }
            "!in" => {
                return new(
                    "`!in`",
                    start,
                    end,
                    label,
                    "write `!(x in y)` instead".into(),
                );
            }
            "===" => return new("`===`", start, end, label, "write `x.is(y)` instead".into()),
            "!==" => {
                return new(
                    "`!==`",
                    start,
                    end,
                    label,
                    "write `!x.is(y)` instead".into(),
                );
            }
            "::" => {
                let name = &text[end..end + word_len(&text[end..])];
                let example = if name.is_empty() {
                    "{ it.method() }".to_string()
                } else {
                    format!("{{ it.{name}() }}")
                };
                return new(
                    "a method reference `::`",
                    start,
                    end,
                    label,
                    format!("write a closure instead, such as `{example}`"),
                );
            }
            "->" if lambda(f, start) => {
                let params = match token_before(text, start) {
                    Some((s, e)) if is_word_char(text[s..e].chars().next()?) => &text[s..e],
                    _ => "x",
                };
                return new(
                    "a lambda expression",
                    start,
                    end,
                    "Groovy 2.4 accepts `->` only at the start of a closure",
                    format!("write a closure instead: `{{ {params} -> … }}`"),
                );
            }
            _ => {}
        }
    }
    safe_index(f).or_else(|| array_initializer(f))
}

/// Whether a `->` that pest rejected is a Groovy 3 lambda rather than a broken closure header.
fn lambda(f: &Failure<'_>, arrow: usize) -> bool {
    match f.scan.open_at_target.last() {
        Some(o) if o.byte == b'{' && !o.interp => f
            .text
            .get(o.at + 1..arrow)
            .is_some_and(|head| head.contains(['=', '\n'])),
        _ => true,
    }
}

/// `list?[0]`: Groovy 2.4 reads `?` as a conditional and fails where it wants the `:`.
fn safe_index(f: &Failure<'_>) -> Option<Diagnostic> {
    if !f.expected.contains(&"`:`") {
        return None;
    }
    let at = *f.scan.safe_index.iter().rev().find(|&&s| s < f.pos)?;
    let close = f.text[at..line_end(f.text, at)].find(']')?;
    let index = &f.text[at + 2..at + close];
    Some(
        syntax("`?[` is Groovy 3 syntax", at, at + 2)
            .with_label("safe indexing is not available in Groovy 2.4")
            .with_secondary(
                span(f.found.start, f.found.end),
                "so Groovy 2.4 reads the `?` as a conditional and wants `:` before this",
            )
            .with_help(format!(
                "{GROOVY_2_4}; write `?.getAt({index})` instead of `?[{index}]`"
            )),
    )
}

/// `int[] a = {1, 2}`: Java's array initializer, which Groovy 2.4 reads as a closure.
fn array_initializer(f: &Failure<'_>) -> Option<Diagnostic> {
    let o = *f.scan.open_at_target.last()?;
    if o.byte != b'{' || o.interp {
        return None;
    }
    let head = &f.text[line_start(f.text, o.at)..o.at];
    if !head.trim_end().ends_with('=') || !head.contains("[]") {
        return None;
    }
    let line = &f.text[o.at..line_end(f.text, o.at)];
    let help = match line.find('}') {
        Some(close) => format!(
            "{GROOVY_2_4}; write a list instead: `{} [{}]`",
            head.trim(),
            &line[1..close]
        ),
        None => format!("{GROOVY_2_4}; write a list `[…]` instead"),
    };
    Some(
        syntax(
            "array initializers `{…}` are Groovy 3 syntax",
            o.at,
            o.at + 1,
        )
        .with_label("Groovy 2.4 reads this `{` as the start of a closure")
        .with_secondary(
            span(f.found.start, f.found.end),
            format!("so {} is unexpected here", f.found.desc),
        )
        .with_help(help),
    )
}
