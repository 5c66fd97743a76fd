//! `toString` as Groovy prints values (`InvokerHelper.toString`): collections as `[1, 2]` and
//! `[a:1]`, numbers as Java prints them, `null` as `null`.

use std::fmt::Write as _;

use super::num::{double_to_string, float_to_string};
use super::value::Value;

/// The text `println` and string concatenation use.
#[must_use]
pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out
}

fn write_value(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Long(i) => {
            let _ = write!(out, "{i}");
        }
        Value::BigInt(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Dec(d) => {
            let _ = write!(out, "{d}");
        }
        Value::Double(d) => out.push_str(&double_to_string(*d)),
        Value::Float(f) => out.push_str(&float_to_string(*f)),
        Value::Str(s) | Value::GStr(s) => out.push_str(s),
        Value::Char(c) => out.push(*c),
        Value::LazyGStr(g) => out.push_str(&g.text()),
        Value::List(items) => {
            if depth > 50 {
                out.push_str("[...]");
                return;
            }
            write_list(out, &items.borrow(), depth);
        }
        // Printed as a list, but as an element of another collection by its `toString()`.
        Value::Range(r) if depth > 0 => out.push_str(&r.text(false)),
        Value::Range(r) => write_list(out, &r.items(), depth),
        Value::Map(m) => {
            let m = m.borrow();
            if m.is_empty() {
                out.push_str("[:]");
                return;
            }
            if depth > 50 {
                out.push_str("[...]");
                return;
            }
            out.push('[');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, &k.0, depth + 1);
                out.push(':');
                write_value(out, v, depth + 1);
            }
            out.push(']');
        }
        Value::Closure(c) => {
            let _ = write!(out, "Script1$_run_closure{}@0", c.id);
        }
        Value::Object(o) => out.push_str(&o.to_text()),
        Value::Class(name) => {
            let _ = write!(out, "class {}", super::classes::qualified(name));
        }
        Value::Pattern(p) => out.push_str(p.source()),
        Value::Matcher(m) => out.push_str(&m.describe()),
        Value::Exception(e) => out.push_str(&e.to_string()),
        Value::Unknown(origin) => {
            let _ = write!(out, "<{origin}>");
        }
    }
}

fn write_list(out: &mut String, items: &[Value], depth: usize) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_value(out, item, depth + 1);
    }
    out.push(']');
}

/// `inspect()`: like `toString` but `String`s are quoted, as Groovy shows them in assertions.
#[must_use]
pub fn inspect(v: &Value) -> String {
    match v {
        // `InvokerHelper.format` escapes backslashes and the control characters
        // (`escapeBackslashes`) before the quote.
        Value::Str(s) => format!(
            "'{}'",
            s.replace('\\', "\\\\")
                .replace('\n', "\\n")
                .replace('\r', "\\r")
                .replace('\t', "\\t")
                .replace('\u{c}', "\\f")
                .replace('\'', "\\'")
        ),
        // `InvokerHelper.format` quotes only a `String`; a GString shows its text.
        Value::GStr(s) => s.to_string(),
        Value::LazyGStr(g) => g.text(),
        Value::List(items) => {
            let parts: Vec<String> = items.borrow().iter().map(inspect).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(m) => {
            let m = m.borrow();
            if m.is_empty() {
                return "[:]".into();
            }
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}:{}", inspect(&k.0), inspect(v)))
                .collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Range(r) => r.text(true),
        other => to_string(other),
    }
}
