//! `JsonSlurper.parseText`, `JsonOutput.toJson` and `JsonOutput.prettyPrint`, with Groovy's
//! output shapes (numbers as Integer/Long/BigDecimal, four-space pretty printing).

use std::fmt::Write as _;

use indexmap::IndexMap;

use super::json_text::{Flavor, read};
use crate::eval::flow::{Flow, R};
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};

/// Parses JSON text as `JsonSlurper` (or `JsonSlurperClassic`) does, numbers included
/// (`json_text.rs`). Keys come sorted: Groovy 2.4's slurpers both return them that way.
pub fn parse(text: &str, flavor: Flavor) -> R<Value> {
    let Some(v) = read(text, flavor) else {
        let why = serde_json::from_str::<serde_json::Value>(text)
            .err()
            .map_or_else(|| "invalid JSON".to_owned(), |e| e.to_string());
        return Err(Flow::exception(
            "groovy.json.JsonException",
            format!("Unable to parse JSON: {why}"),
        ));
    };
    sort_keys(&v);
    Ok(v)
}

fn sort_keys(v: &Value) {
    match v {
        Value::Map(m) => {
            m.borrow_mut()
                .sort_by(|a, _, b, _| to_string(&a.0).cmp(&to_string(&b.0)));
            for x in m.borrow().values() {
                sort_keys(x);
            }
        }
        Value::List(l) => l.borrow().iter().for_each(sort_keys),
        _ => {}
    }
}

/// A step's JSON result as the Groovy value the step gives on Jenkins. Decimals are `Double`s:
/// `readJSON` reads with json-lib, `readYaml` with `SnakeYAML`, and both make a `Double` of
/// them (the slurpers' `BigDecimal`s come from `json_text.rs` instead).
#[must_use]
pub fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i32::try_from(i).map_or(Value::Long(i), Value::Int)
            } else if let Some(u) = n.as_u64() {
                Value::big(u)
            } else {
                Value::Double(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| (Key::str(k), from_json(v)))
                .collect::<IndexMap<_, _>>(),
        ),
    }
}

fn escape(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                for unit in c.encode_utf16(&mut [0u16; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write(v: &Value, out: &mut String) -> R<()> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        n if n.is_number() => out.push_str(&to_string(n)),
        Value::Str(s) | Value::GStr(s) => escape(s, out),
        Value::LazyGStr(g) => escape(&g.text(), out),
        Value::List(_) | Value::Range(_) => {
            out.push('[');
            for (i, item) in crate::eval::gdk::iter_items(v)?.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                escape(&to_string(&k.0), out);
                out.push(':');
                write(v, out)?;
            }
            out.push('}');
        }
        Value::Unknown(o) => escape(&format!("<{o}>"), out),
        other => escape(&to_string(other), out),
    }
    Ok(())
}

pub fn to_json(v: &Value) -> R<String> {
    let mut out = String::new();
    write(v, &mut out)?;
    Ok(out)
}

/// Re-indents JSON text the way `JsonOutput.prettyPrint` does: four spaces, `": "` after
/// keys, empty containers kept as `{}` and `[]`.
pub fn pretty_print(text: &str) -> R<String> {
    let mut out = String::new();
    let mut indent = 0usize;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let newline = |out: &mut String, indent: usize| {
        out.push('\n');
        out.push_str(&" ".repeat(indent * 4));
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                out.extend(&chars[start..=i.min(chars.len() - 1)]);
            }
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if j < chars.len() && chars[j] == close {
                    // Groovy 2.4 prints an empty container over three lines.
                    out.push(c);
                    newline(&mut out, indent + 1);
                    newline(&mut out, indent);
                    out.push(close);
                    i = j;
                } else {
                    out.push(c);
                    indent += 1;
                    newline(&mut out, indent);
                }
            }
            '}' | ']' => {
                indent = indent.saturating_sub(1);
                newline(&mut out, indent);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, indent);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}
