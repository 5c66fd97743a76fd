//! `String` and `GString` methods: Java's `String` API plus Groovy's additions
//! (`tokenize`, `padLeft`, `toInteger`, `readLines`, `stripIndent`, …).

use std::rc::Rc;

use super::int_arg;
use crate::eval::flow::{Flow, R};
use crate::eval::ops::pattern_of;
use crate::eval::text::to_string;
use crate::eval::value::Value;

fn s(v: &str) -> Value {
    Value::str(v)
}

fn out_of_range(i: i64) -> Flow {
    Flow::exception(
        "java.lang.StringIndexOutOfBoundsException",
        format!("String index out of range: {i}"),
    )
}

/// Converts a char index into a byte offset, checking the bounds Java checks.
fn byte_at(text: &str, i: i64) -> R<usize> {
    let count = text.chars().count() as i64;
    if i < 0 || i > count {
        return Err(out_of_range(i));
    }
    Ok(text
        .char_indices()
        .nth(usize::try_from(i).unwrap_or(0))
        .map_or(text.len(), |(b, _)| b))
}

fn number_format(text: &str) -> Flow {
    Flow::exception(
        "java.lang.NumberFormatException",
        format!("For input string: \"{text}\""),
    )
}

fn split_regex(text: &str, re: &str, limit: i64) -> R<Vec<Value>> {
    let p = pattern_of(&Value::str(re))?;
    if text.is_empty() {
        return Ok(vec![s("")]);
    }
    Ok(p.split(text, limit).into_iter().map(s).collect())
}

fn pad(text: &str, n: i64, fill: &str, left: bool, right: bool) -> String {
    let len = text.chars().count() as i64;
    if n <= len || fill.is_empty() {
        return text.to_string();
    }
    let total = usize::try_from(n - len).unwrap_or(0);
    let (l, r) = match (left, right) {
        (true, true) => (total / 2, total - total / 2),
        (true, false) => (total, 0),
        _ => (0, total),
    };
    let fill_to = |k: usize| fill.chars().cycle().take(k).collect::<String>();
    format!("{}{text}{}", fill_to(l), fill_to(r))
}

pub(super) fn call(recv: &Value, name: &str, args: &[Value]) -> Option<R<Value>> {
    let text = recv.as_str()?;
    let arg_str = |i: usize| args.get(i).map(to_string).unwrap_or_default();
    Some(Ok(match (name, args.len()) {
        ("trim", 0) => s(text.trim_matches(|c: char| c <= ' ')),
        ("strip", 0) => s(text.trim()),
        ("size" | "length", 0) => Value::Int(text.encode_utf16().count() as i32),
        ("isEmpty", 0) => Value::Bool(text.is_empty()),
        ("toUpperCase", 0) => Value::string(text.to_uppercase()),
        ("toLowerCase", 0) => Value::string(text.to_lowercase()),
        ("capitalize", 0) => {
            let mut c = text.chars();
            Value::string(c.next().map_or_else(String::new, |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            }))
        }
        ("uncapitalize", 0) => {
            let mut c = text.chars();
            Value::string(c.next().map_or_else(String::new, |f| {
                f.to_lowercase().collect::<String>() + c.as_str()
            }))
        }
        ("contains", 1) => Value::Bool(text.contains(&arg_str(0))),
        ("startsWith", 1) => Value::Bool(text.starts_with(&arg_str(0))),
        ("endsWith", 1) => Value::Bool(text.ends_with(&arg_str(0))),
        ("equalsIgnoreCase", 1) => Value::Bool(text.to_lowercase() == arg_str(0).to_lowercase()),
        ("compareToIgnoreCase", 1) => {
            let o = arg_str(0).to_lowercase();
            return Some(Ok(crate::eval::compare::spaceship(
                &Value::string(text.to_lowercase()),
                &Value::string(o),
            )
            .map_or(Value::Null, Value::Int)));
        }
        ("indexOf", 1) => Value::Int(
            text.find(&arg_str(0))
                .map_or(-1, |b| text[..b].chars().count() as i32),
        ),
        ("lastIndexOf", 1) => Value::Int(
            text.rfind(&arg_str(0))
                .map_or(-1, |b| text[..b].chars().count() as i32),
        ),
        ("indexOf", 2) => {
            let from = match int_arg(args, 1) {
                Ok(f) => f.max(0),
                Err(e) => return Some(Err(e)),
            };
            let Ok(b) = byte_at(text, from.min(text.chars().count() as i64)) else {
                return Some(Ok(Value::Int(-1)));
            };
            Value::Int(
                text[b..]
                    .find(&arg_str(0))
                    .map_or(-1, |x| text[..b + x].chars().count() as i32),
            )
        }
        ("substring", 1 | 2) => {
            let r = (|| {
                let a = int_arg(args, 0)?;
                let start = byte_at(text, a)?;
                let end = if args.len() == 2 {
                    let b = int_arg(args, 1)?;
                    if b < a {
                        return Err(out_of_range(b - a));
                    }
                    byte_at(text, b)?
                } else {
                    text.len()
                };
                Ok(s(&text[start..end]))
            })();
            return Some(r);
        }
        ("charAt", 1) => {
            let i = match int_arg(args, 0) {
                Ok(i) => i,
                Err(e) => return Some(Err(e)),
            };
            match text.chars().nth(usize::try_from(i).unwrap_or(usize::MAX)) {
                Some(c) => Value::Char(c),
                None => return Some(Err(out_of_range(i))),
            }
        }
        ("replace", 2) => Value::string(text.replace(&arg_str(0), &arg_str(1))),
        ("replaceAll", 2) => match pattern_of(&args[0]) {
            Ok(p) => match p.replace_all(text, &arg_str(1)) {
                Ok(done) => Value::string(done),
                Err(e) => return Some(Err(e)),
            },
            Err(e) => return Some(Err(e)),
        },
        ("replaceFirst", 2) => match pattern_of(&args[0]) {
            Ok(p) => match p.replace_first(text, &arg_str(1)) {
                Ok(done) => Value::string(done),
                Err(e) => return Some(Err(e)),
            },
            Err(e) => return Some(Err(e)),
        },
        ("matches", 1) => match pattern_of(&args[0]) {
            Ok(p) => Value::Bool(p.matches(text)),
            Err(e) => return Some(Err(e)),
        },
        ("split", 0) => Value::list(text.split_whitespace().map(s).collect()),
        ("split", 1 | 2) => {
            let limit = if args.len() == 2 {
                args[1].as_i64().unwrap_or(0)
            } else {
                0
            };
            return Some(split_regex(text, &arg_str(0), limit).map(Value::list));
        }
        ("tokenize", 0) => Value::list(text.split_whitespace().map(s).collect()),
        ("tokenize", 1) => {
            let delims = arg_str(0);
            Value::list(
                text.split(|c| delims.contains(c))
                    .filter(|p| !p.is_empty())
                    .map(s)
                    .collect(),
            )
        }
        ("readLines", 0) => Value::list(text.lines().map(s).collect()),
        ("take", 1) => Value::string(
            text.chars()
                .take(usize::try_from(int_arg(args, 0).ok()?).unwrap_or(0))
                .collect(),
        ),
        ("drop", 1) => Value::string(
            text.chars()
                .skip(usize::try_from(int_arg(args, 0).ok()?).unwrap_or(0))
                .collect(),
        ),
        ("toSet", 0) => {
            let mut seen: Vec<char> = Vec::new();
            for c in text.chars() {
                if !seen.contains(&c) {
                    seen.push(c);
                }
            }
            Value::list(
                seen.into_iter()
                    .map(|c| Value::string(c.to_string()))
                    .collect(),
            )
        }
        ("toList" | "chars" | "getChars", 0) => {
            Value::list(text.chars().map(|c| Value::string(c.to_string())).collect())
        }
        ("toInteger" | "toLong" | "toBigInteger", 0) => {
            let t = text.trim();
            let Some(v) = crate::eval::num::parse_big(t, 10) else {
                return Some(Err(number_format(text)));
            };
            match name {
                "toInteger" => match i32::try_from(&v) {
                    Ok(i) => Value::Int(i),
                    Err(_) => return Some(Err(number_format(text))),
                },
                "toLong" => match i64::try_from(&v) {
                    Ok(i) => Value::Long(i),
                    Err(_) => return Some(Err(number_format(text))),
                },
                _ => Value::big(v),
            }
        }
        ("toDouble" | "toFloat" | "toBigDecimal", 0) => {
            let t = text.trim();
            match name {
                "toBigDecimal" => match crate::eval::decimal::Dec::parse(t) {
                    Some(d) => Value::Dec(d),
                    None => return Some(Err(number_format(text))),
                },
                _ => match t.parse::<f64>() {
                    Ok(f) if name == "toFloat" => Value::Float(f as f32),
                    Ok(f) => Value::Double(f),
                    Err(_) => return Some(Err(number_format(text))),
                },
            }
        }
        ("isInteger" | "isNumber" | "isLong", 0) => Value::Bool(if name == "isNumber" {
            text.trim().parse::<f64>().is_ok()
        } else {
            text.trim().parse::<i64>().is_ok()
        }),
        ("isDouble" | "isBigDecimal" | "isFloat", 0) => {
            Value::Bool(text.trim().parse::<f64>().is_ok())
        }
        ("toBoolean", 0) => {
            let t = text.trim().to_lowercase();
            Value::Bool(t == "true" || t == "y" || t == "1")
        }
        ("padLeft" | "padRight" | "center", 1 | 2) => {
            let n = match int_arg(args, 0) {
                Ok(n) => n,
                Err(e) => return Some(Err(e)),
            };
            let fill = if args.len() == 2 {
                arg_str(1)
            } else {
                " ".into()
            };
            let (l, r) = match name {
                "padLeft" => (true, false),
                "padRight" => (false, true),
                _ => (true, true),
            };
            Value::string(pad(text, n, &fill, l, r))
        }
        ("reverse", 0) => Value::string(text.chars().rev().collect()),
        ("multiply", 1) => {
            return Some(crate::eval::ops::binary(
                crate::syntax::ast::BinaryOp::Mul,
                recv,
                &args[0],
            ));
        }
        ("minus", 1) => {
            return Some(crate::eval::ops::binary(
                crate::syntax::ast::BinaryOp::Sub,
                recv,
                &args[0],
            ));
        }
        ("concat", 1) => Value::string(format!("{text}{}", arg_str(0))),
        // Groovy 2.4's `String` overload counts a blank line as no indent, so a text that
        // opens with a newline keeps its indent; the `CharSequence` one (a GString) skips it.
        ("stripIndent", 0) if matches!(recv, Value::Str(_)) && text.starts_with('\n') => {
            Value::Str(Rc::from(text))
        }
        ("stripIndent", 0) => Value::string(strip_indent(text)),
        ("stripMargin", 0 | 1) => {
            let m = if args.is_empty() {
                "|".to_string()
            } else {
                arg_str(0)
            };
            Value::string(strip_margin(text, &m))
        }
        ("count", 1) => Value::Int(text.matches(&arg_str(0)).count() as i32),
        ("find", 1) => match pattern_of(&args[0]) {
            Ok(p) => p.find(text).map_or(Value::Null, s),
            Err(e) => return Some(Err(e)),
        },
        ("findAll", 1) => match pattern_of(&args[0]) {
            Ok(p) => Value::list(
                p.captures_all(text)
                    .into_iter()
                    .filter_map(|g| g.into_iter().next().flatten())
                    .map(|r| s(&text[r]))
                    .collect(),
            ),
            Err(e) => return Some(Err(e)),
        },
        ("decodeBase64", 0) => match decode_base64(text) {
            Some(bytes) => Value::list(
                bytes
                    .into_iter()
                    .map(|b| Value::Int(i32::from(b as i8)))
                    .collect(),
            ),
            None => {
                return Some(Err(Flow::exception(
                    "java.lang.IllegalArgumentException",
                    "Illegal base64 character",
                )));
            }
        },
        ("getBytes", 1) => Value::list(
            text.bytes()
                .map(|b| Value::Int(i32::from(b as i8)))
                .collect(),
        ),
        ("bytes" | "getBytes", 0) => Value::list(
            text.bytes()
                .map(|b| Value::Int(i32::from(b as i8)))
                .collect(),
        ),
        ("toCharArray", 0) => {
            Value::list(text.chars().map(|c| Value::string(c.to_string())).collect())
        }
        ("intern" | "toString", 0) => Value::Str(Rc::from(text)),
        ("format", _) => return Some(crate::eval::format::format(text, args).map(Value::string)),
        ("normalize", 0) => Value::string(text.replace("\r\n", "\n")),
        ("denormalize", 0) => s(text),
        ("isBlank" | "allWhitespace" | "isAllWhitespace", 0) => Value::Bool(text.trim().is_empty()),
        ("encodeBase64", 0) => return None,
        ("plus", 1) => Value::string(format!("{text}{}", arg_str(0))),
        ("next", 0) => {
            let mut chars: Vec<char> = text.chars().collect();
            if let Some(last) = chars.last_mut() {
                *last = char::from_u32(*last as u32 + 1).unwrap_or(*last);
            }
            Value::string(chars.into_iter().collect())
        }
        ("previous", 0) => {
            let mut chars: Vec<char> = text.chars().collect();
            if let Some(last) = chars.last_mut() {
                *last = (*last as u32)
                    .checked_sub(1)
                    .and_then(char::from_u32)
                    .unwrap_or(*last);
            }
            Value::string(chars.into_iter().collect())
        }
        _ => return None,
    }))
}

fn strip_indent(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !l.trim().is_empty() || *i == lines.len() - 1 && !l.is_empty())
        .map(|(_, l)| l.chars().take_while(|c| c.is_whitespace()).count())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            l.chars()
                .skip(indent.min(l.chars().take_while(|c| c.is_whitespace()).count()))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn strip_margin(text: &str, margin: &str) -> String {
    text.split('\n')
        .map(|l| {
            let t = l.trim_start();
            t.strip_prefix(margin)
                .map_or_else(|| l.to_string(), str::to_string)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        })
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c)? << (18 - 6 * i);
        }
        let n = chunk.len().saturating_sub(1);
        for i in 0..n {
            out.push((acc >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}
