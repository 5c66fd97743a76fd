//! Lowering literals: strings with their escapes and interpolation, and numbers.

use super::{Lower, P, R, expr_of, ident, internal, kids, next, one, span};
use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};
use crate::syntax::ast::{
    Closure, Expr, ExprKind, GString, GStringPart, Nav, NumberLit, PropName, Quote, StmtKind,
    StrLit,
};
use crate::syntax::parser::Rule;

impl Lower {
    // ------------------------------------------------------------ strings

    pub(super) fn string(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let quote = match p.as_rule() {
            Rule::single_string => Quote::Single,
            Rule::double_string => Quote::Double,
            Rule::triple_single_string => Quote::TripleSingle,
            Rule::triple_double_string => Quote::TripleDouble,
            Rule::slashy_string => Quote::Slashy,
            Rule::dollar_slashy_string => Quote::DollarSlashy,
            _ => return Err(internal(&p, "not a string")),
        };
        let mut parts: Vec<GStringPart> = Vec::new();
        let mut text = String::new();
        let mut text_start: Option<u32> = None;
        let mut text_end = 0;
        let flush =
            |parts: &mut Vec<GStringPart>, text: &mut String, start: &mut Option<u32>, end: u32| {
                if let Some(s) = start.take() {
                    parts.push(GStringPart::Text(Spanned::new(
                        std::mem::take(text),
                        Span { start: s, end },
                    )));
                }
            };
        for c in p.into_inner() {
            let csp = span(&c);
            match c.as_rule() {
                Rule::interpolation => {
                    flush(&mut parts, &mut text, &mut text_start, text_end);
                    parts.push(self.interpolation(c)?);
                    continue;
                }
                Rule::bad_escape => return Err(bad_escape(&c, quote)),
                Rule::bad_dollar => {
                    return Err(bad_dollar(csp, &c.get_input()[c.as_span().end()..]));
                }
                Rule::escape => text.push_str(&decode_escape(c.as_str())),
                Rule::slashy_escape => text.push('/'),
                Rule::dollar_slashy_escape => text.push_str(&c.as_str()[1..]),
                _ => text.push_str(c.as_str()),
            }
            text_start.get_or_insert(csp.start);
            text_end = csp.end;
        }
        let has_interp = parts.iter().any(|p| !matches!(p, GStringPart::Text(_)));
        if !has_interp {
            return Ok(expr_of(ExprKind::Str(StrLit { value: text, quote }), sp));
        }
        flush(&mut parts, &mut text, &mut text_start, text_end);
        Ok(expr_of(ExprKind::GString(GString { parts, quote }), sp))
    }

    pub(super) fn interpolation(&self, p: P<'_>) -> R<GStringPart> {
        let sp = span(&p);
        let inner = one(p)?;
        if inner.as_rule() == Rule::interpolation_body {
            let body_span = span(&inner);
            let closure = self.closure(inner)?;
            // `${expr}` is by far the common case; anything else (`${a; b}`, `${-> a}`) is a
            // closure that the GString calls, which gives Groovy's value: the last statement.
            return Ok(match (closure.params, closure.body.as_slice()) {
                (None, []) => GStringPart::Empty(sp),
                (
                    None,
                    [
                        Spanned {
                            node: StmtKind::Expr(expr),
                            ..
                        },
                    ],
                ) => GStringPart::Interp {
                    expr: expr.clone(),
                    braces: true,
                },
                (params, _) => GStringPart::Interp {
                    expr: expr_of(
                        ExprKind::Closure(Closure {
                            params,
                            body: closure.body,
                        }),
                        body_span,
                    ),
                    braces: true,
                },
            });
        }
        // `$a.b.c`: a name and a chain of property reads, nothing else.
        let mut it = kids(inner.clone());
        let first = next(&mut it, &inner)?;
        let mut e = expr_of(ExprKind::Var(first.as_str().to_string()), span(&first));
        for w in it {
            let wsp = e.span.to(span(&w));
            e = expr_of(
                ExprKind::Property {
                    target: Box::new(e),
                    name: PropName::Name(ident(&w)),
                    nav: Nav::Dot,
                },
                wsp,
            );
        }
        Ok(GStringPart::Interp {
            expr: e,
            braces: false,
        })
    }
}

pub(super) fn number(p: P<'_>) -> R<Expr> {
    let sp = span(&p);
    let raw = p.as_str();
    let inner = one(p)?;
    let mut digits = String::new();
    let mut suffix = None;
    let mut decimal = false;
    let radix = match inner.as_rule() {
        Rule::hex_number => 16,
        Rule::binary_number => 2,
        _ => 10,
    };
    for c in inner.into_inner() {
        match c.as_rule() {
            Rule::fraction | Rule::exponent => {
                decimal = true;
                digits.extend(c.as_str().chars().filter(|&ch| ch != '_'));
            }
            Rule::int_suffix | Rule::number_suffix => {
                let s = c.as_str().chars().next().map(|ch| ch.to_ascii_uppercase());
                if matches!(s, Some('D' | 'F')) {
                    decimal = true;
                }
                suffix = s;
            }
            _ => digits.extend(c.as_str().chars().filter(|&ch| ch != '_')),
        }
    }
    if misplaced_underscore(raw) {
        return Err(Box::new(
            Diagnostic::error("invalid-number", "a number cannot end with `_`", sp)
                .with_label("digits must follow `_`")
                .with_help("underscores may only separate digits, as in `1_000`"),
        ));
    }
    // Groovy reads `017` as octal, like Java.
    let (digits, radix) = if radix == 10
        && !decimal
        && digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        (digits[1..].to_string(), 8)
    } else {
        (digits, radix)
    };
    let lit = NumberLit {
        digits,
        radix,
        suffix,
    };
    Ok(expr_of(
        if decimal {
            ExprKind::Decimal(lit)
        } else {
            ExprKind::Int(lit)
        },
        sp,
    ))
}

pub(super) fn decode_escape(text: &str) -> String {
    let body = &text[1..];
    match body {
        "b" => "\u{8}".to_string(),
        "t" => "\t".to_string(),
        "n" => "\n".to_string(),
        "f" => "\u{c}".to_string(),
        "r" => "\r".to_string(),
        "\\" | "'" | "\"" | "$" => body.to_string(),
        "\n" | "\r\n" | "\r" => String::new(),
        _ if body.starts_with('u') => u32::from_str_radix(&body[1..], 16)
            .ok()
            .and_then(char::from_u32)
            .map_or_else(|| "\u{fffd}".to_string(), String::from),
        _ => u32::from_str_radix(body, 8)
            .ok()
            .and_then(char::from_u32)
            .map_or_else(|| "\u{fffd}".to_string(), String::from),
    }
}

#[cold]
pub(super) fn bad_escape(p: &P<'_>, quote: Quote) -> Box<Diagnostic> {
    let text = p.as_str();
    let help = if matches!(quote, Quote::Single | Quote::TripleSingle) {
        "valid escapes are \\b \\t \\n \\f \\r \\\\ \\' \\\" \\$ \\uXXXX and octal \\0-\\377; write `\\\\` for a literal backslash, or use a slashy string /…/ for a regular expression"
    } else {
        "valid escapes are \\b \\t \\n \\f \\r \\\\ \\' \\\" \\$ \\uXXXX and octal \\0-\\377; write `\\\\` for a literal backslash"
    };
    let what = if text.len() <= 1 {
        "a backslash at the end of the input".to_string()
    } else if text.starts_with("\\u") {
        "`\\u` must be followed by four hexadecimal digits".to_string()
    } else {
        format!("invalid escape sequence `{text}`")
    };
    Box::new(
        Diagnostic::error("invalid-escape", what, span(p))
            .with_label("not a valid escape")
            .with_help(help),
    )
}

/// `$` that starts neither a name nor a well-formed `${…}`; `after` is the text that follows it.
#[cold]
pub(super) fn bad_dollar(at: Span, after: &str) -> Box<Diagnostic> {
    if after.starts_with('{') {
        // A `}` later on the line means the code inside is broken; none means `${` never closes.
        let line = after.split(['\n', '\r']).next().unwrap_or("");
        let open = Span {
            start: at.start,
            end: at.end + 1,
        };
        return Box::new(if line.contains('}') {
            Diagnostic::error("syntax-error", "invalid code inside `${…}`", open)
                .with_label("this interpolation does not hold a valid expression")
                .with_help(r#"put one expression between `${` and `}`, as in "${env.BRANCH_NAME}""#)
        } else {
            Diagnostic::error(
                "unterminated-interpolation",
                "unterminated interpolation `${`",
                open,
            )
            .with_label("this `${` is never closed with `}`")
            .with_help(
                r#"close the expression with `}` before the string ends, as in "${env.BRANCH_NAME}"; for a literal `${`, escape the dollar sign: "\${""#,
            )
        });
    }
    let help = if after.starts_with(|c: char| c.is_ascii_digit()) {
        r#"escape a literal dollar sign ("\$5") or bracket the value expression ("${5}")"#
    } else {
        r"escape a literal dollar sign as `\$`"
    };
    Box::new(
        Diagnostic::error(
            "illegal-dollar",
            "illegal string body character after dollar sign",
            at,
        )
        .with_label("`$` must start a name or `${…}`")
        .with_help(help),
    )
}

/// Groovy's lexer wants a digit after every `_` in a number (`1_000`, not `1_`).
pub(super) fn misplaced_underscore(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'_'
            && !bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_hexdigit() || *n == b'_')
    })
}
