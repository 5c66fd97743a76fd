//! The Groovy Development Kit methods scripts call on values, split by receiver type under
//! `gdk/`. `call` answers the synchronous ones and returns `None` for a method it does not
//! know, so the caller can say "unsupported" with the span; methods that take a closure are
//! in `gdk/closures.rs` because calling a closure may wait.

mod closures;
mod combinatorics;
mod equality;
mod list;
mod map;
mod map_default;
mod number;
mod ordering;
mod regex_closures;
mod string;

pub(crate) use self::string::decode_base64;

use std::rc::Rc;

use super::flow::{Flow, R};
use super::interp::Interp;
use super::object::Object;
use super::text::to_string;
use super::value::Value;

/// The elements a `for` loop or `each` visits.
pub fn iter_items(v: &Value) -> R<Vec<Value>> {
    Ok(match v {
        Value::Null => Vec::new(),
        Value::List(l) => l.borrow().clone(),
        Value::Range(r) => r.items(),
        Value::Map(m) => m
            .borrow()
            .iter()
            .map(|(k, v)| Value::Object(Rc::new(Object::Entry(k.0.clone(), v.clone()))))
            .collect(),
        Value::Str(s) | Value::GStr(s) => s.chars().map(|c| Value::string(c.to_string())).collect(),
        Value::Matcher(m) => (0..m.found.len()).filter_map(|i| m.get(i)).collect(),
        Value::Object(o) => match &**o {
            Object::Host(h) => h.items().unwrap_or_else(|| vec![v.clone()]),
            _ => vec![v.clone()],
        },
        Value::Unknown(o) => {
            return Err(Flow::fatal(
                format!(
                    "cannot iterate over <{o}>: its value is only known when the pipeline runs"
                ),
                crate::source::Span::default(),
            ));
        }
        other => vec![other.clone()],
    })
}

/// A synchronous GDK method, or `None` when there is none of that name for the receiver.
pub fn call(interp: &Interp, recv: &Value, name: &str, args: &[Value]) -> Option<R<Value>> {
    let specific = match recv {
        Value::Str(_) | Value::GStr(_) => string::call(recv, name, args),
        Value::Range(r)
            if args.is_empty()
                && matches!(
                    name,
                    "isReverse" | "getFrom" | "getTo" | "toString" | "inspect"
                ) =>
        {
            let (from, to) = r.bounds();
            Some(Ok(match name {
                "isReverse" => Value::Bool(r.reverse),
                "getFrom" => from,
                "getTo" => to,
                "inspect" => Value::string(r.text(true)),
                _ => Value::string(r.text(false)),
            }))
        }
        Value::List(_) | Value::Range(_) => list::call(recv, name, args),
        Value::Map(m) => map::call(m, name, args),
        v if v.is_number() => number::call(v, name, args),
        Value::Object(o) => super::classes::object_method(interp, o, name, args),
        Value::Exception(e) => match name {
            "getMessage" | "getLocalizedMessage" => Some(Ok(e.script_message())),
            "getCause" => Some(Ok(e.cause.clone().unwrap_or(Value::Null))),
            "printStackTrace" => Some(Ok(Value::Null)),
            "getStackTrace" => Some(Ok(Value::list(Vec::new()))),
            _ => None,
        },
        Value::Matcher(m) => match name {
            "matches" => Some(Ok(Value::Bool(m.matches()))),
            "find" => Some(Ok(Value::Bool(m.find()))),
            "getCount" | "size" => Some(Ok(Value::Int(m.found.len() as i32))),
            "groupCount" => Some(Ok(Value::Int(m.pattern.group_count() as i32))),
            "group" => {
                let g = match args.first() {
                    Some(Value::Str(n) | Value::GStr(n)) => {
                        m.pattern.group_index(n).map_or(-1, |i| i as i64)
                    }
                    Some(v) => v.as_i64().unwrap_or(0),
                    None => 0,
                };
                Some(
                    m.current()
                        .and_then(|f| f.get(usize::try_from(g).ok()?).cloned())
                        .map(|s| s.map_or(Value::Null, Value::string))
                        .ok_or_else(|| {
                            Flow::exception("java.lang.IllegalStateException", "No match found")
                        }),
                )
            }
            _ => None,
        },
        Value::Pattern(p) => match (name, args) {
            ("matcher", [s]) => Some(Ok(Value::Matcher(Rc::new(super::regex::Matcher::new(
                p.clone(),
                &to_string(s),
            ))))),
            ("pattern" | "toString", []) => Some(Ok(Value::str(p.source()))),
            _ => None,
        },
        Value::Char(c) => char_method(*c, name, args),
        Value::Bool(b) => match name {
            "booleanValue" => Some(Ok(Value::Bool(*b))),
            _ => None,
        },
        _ => None,
    };
    specific.or_else(|| common(recv, name, args))
}

/// `Character` methods, and the GDK's on it.
fn char_method(c: char, name: &str, args: &[Value]) -> Option<R<Value>> {
    let upper = || c.to_uppercase().next().unwrap_or(c);
    let lower = || c.to_lowercase().next().unwrap_or(c);
    let step = |d: i64| {
        u32::try_from(i64::from(u32::from(c)) + d)
            .ok()
            .and_then(char::from_u32)
            .map(Value::Char)
    };
    Some(Ok(match (name, args) {
        ("charValue", []) => Value::Char(c),
        ("isDigit", []) => Value::Bool(c.is_ascii_digit()),
        ("isLetter", []) => Value::Bool(c.is_alphabetic()),
        ("isLetterOrDigit", []) => Value::Bool(c.is_alphanumeric()),
        ("isUpperCase", []) => Value::Bool(c.is_uppercase()),
        ("isLowerCase", []) => Value::Bool(c.is_lowercase()),
        ("isWhitespace", []) => Value::Bool(c.is_whitespace()),
        ("toUpperCase", []) => Value::Char(upper()),
        ("toLowerCase", []) => Value::Char(lower()),
        ("next", []) => step(1)?,
        ("previous", []) => step(-1)?,
        ("hashCode", []) => Value::Int(c as i32),
        ("compareTo", [Value::Char(o)]) => Value::Int(c as i32 - *o as i32),
        _ => return None,
    }))
}

/// Methods every object has.
fn common(recv: &Value, name: &str, args: &[Value]) -> Option<R<Value>> {
    Some(Ok(match (name, args) {
        ("toString", []) => Value::string(to_string(recv)),
        ("equals", [o]) => Value::Bool(super::compare::java_equals(recv, o)),
        ("is", [o]) => Value::Bool(identical(recv, o)),
        ("hashCode", []) => Value::Int(java_hash(&to_string(recv))),
        ("getClass", []) => Value::Class(Rc::from(super::classes::class_of(recv))),
        ("inspect", []) => Value::string(super::text::inspect(recv)),
        ("asBoolean", []) => Value::Bool(recv.truthy()),
        ("compareTo", [o]) => match super::compare::spaceship(recv, o) {
            Some(i) => Value::Int(i),
            None => return None,
        },
        ("isCase", [o]) => return Some(super::ops::is_case(recv, o).map(Value::Bool)),
        ("asType", [Value::Class(c)]) => {
            let ty = crate::syntax::ast::Type {
                name: c.to_string(),
                generics: Vec::new(),
                array_dims: 0,
                span: crate::source::Span::default(),
            };
            return Some(super::cast::cast(recv, &ty, true));
        }
        ("plus", [o]) => return Some(super::ops::plus(recv, o)),
        ("dump", []) => Value::string(format!("<{}>", recv.class_name())),
        _ => return None,
    }))
}

fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) => Rc::ptr_eq(x, y),
        (Value::Map(x), Value::Map(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        _ => super::compare::equals(a, b),
    }
}

/// Java's `String.hashCode`.
#[must_use]
pub fn java_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// An argument as an `int`, or an `IllegalArgumentException`-style failure.
pub(crate) fn int_arg(args: &[Value], i: usize) -> R<i64> {
    args.get(i).and_then(Value::as_i64).ok_or_else(|| {
        Flow::exception(
            "java.lang.IllegalArgumentException",
            format!("argument {} must be an integer", i + 1),
        )
    })
}
