//! The JDK and Groovy classes scripts name: `new` for the ones they construct, static
//! methods and fields (`Integer.parseInt`, `Math.max`, `JsonOutput.toJson`), `instanceof`,
//! and methods on the objects they create. Controller-only APIs (`Jenkins.instance`,
//! `Hudson`) fail with an error that says they need a Jenkins controller.

pub mod date;
pub mod json;

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use indexmap::IndexMap;

use super::decimal::Dec;
use super::exception::Exception;
use super::flow::{Flow, R};
use super::interp::Interp;
use super::num::to_f64;
use super::object::Object;
use super::text::to_string;
use super::value::{Key, Value};
use crate::source::Span;

/// Simple name to qualified name of every class a script may name.
const CLASSES: &[(&str, &str)] = &[
    ("String", "java.lang.String"),
    ("Integer", "java.lang.Integer"),
    ("Long", "java.lang.Long"),
    ("Double", "java.lang.Double"),
    ("Float", "java.lang.Float"),
    ("Boolean", "java.lang.Boolean"),
    ("Math", "java.lang.Math"),
    ("System", "java.lang.System"),
    ("Object", "java.lang.Object"),
    ("Number", "java.lang.Number"),
    ("Character", "java.lang.Character"),
    ("Thread", "java.lang.Thread"),
    ("StringBuilder", "java.lang.StringBuilder"),
    ("StringBuffer", "java.lang.StringBuffer"),
    ("BigDecimal", "java.math.BigDecimal"),
    ("BigInteger", "java.math.BigInteger"),
    ("List", "java.util.List"),
    ("ArrayList", "java.util.ArrayList"),
    ("LinkedList", "java.util.LinkedList"),
    ("Map", "java.util.Map"),
    ("HashMap", "java.util.HashMap"),
    ("LinkedHashMap", "java.util.LinkedHashMap"),
    ("TreeMap", "java.util.TreeMap"),
    ("Set", "java.util.Set"),
    ("HashSet", "java.util.HashSet"),
    ("LinkedHashSet", "java.util.LinkedHashSet"),
    ("Collection", "java.util.Collection"),
    ("Date", "java.util.Date"),
    ("Collections", "java.util.Collections"),
    ("Arrays", "java.util.Arrays"),
    ("SimpleDateFormat", "java.text.SimpleDateFormat"),
    ("TimeZone", "java.util.TimeZone"),
    ("URLEncoder", "java.net.URLEncoder"),
    ("URLDecoder", "java.net.URLDecoder"),
    ("Pattern", "java.util.regex.Pattern"),
    ("Matcher", "java.util.regex.Matcher"),
    ("JsonSlurper", "groovy.json.JsonSlurper"),
    ("JsonSlurperClassic", "groovy.json.JsonSlurperClassic"),
    ("JsonOutput", "groovy.json.JsonOutput"),
    ("Closure", "groovy.lang.Closure"),
    ("RoundingMode", "java.math.RoundingMode"),
    ("GString", "groovy.lang.GString"),
    ("Throwable", "java.lang.Throwable"),
    ("Exception", "java.lang.Exception"),
    ("Error", "java.lang.Error"),
    ("RuntimeException", "java.lang.RuntimeException"),
    (
        "IllegalArgumentException",
        "java.lang.IllegalArgumentException",
    ),
    ("IllegalStateException", "java.lang.IllegalStateException"),
    (
        "UnsupportedOperationException",
        "java.lang.UnsupportedOperationException",
    ),
    ("NullPointerException", "java.lang.NullPointerException"),
    ("NumberFormatException", "java.lang.NumberFormatException"),
    ("ArithmeticException", "java.lang.ArithmeticException"),
    (
        "IndexOutOfBoundsException",
        "java.lang.IndexOutOfBoundsException",
    ),
    ("InterruptedException", "java.lang.InterruptedException"),
    ("AssertionError", "java.lang.AssertionError"),
    ("IOException", "java.io.IOException"),
    ("FileNotFoundException", "java.io.FileNotFoundException"),
    ("AbortException", "hudson.AbortException"),
    (
        "FlowInterruptedException",
        "org.jenkinsci.plugins.workflow.steps.FlowInterruptedException",
    ),
    (
        "MissingPropertyException",
        "groovy.lang.MissingPropertyException",
    ),
    (
        "MissingMethodException",
        "groovy.lang.MissingMethodException",
    ),
    ("Field", "groovy.transform.Field"),
    ("NonCPS", "com.cloudbees.groovy.cps.NonCPS"),
    ("Jenkins", "jenkins.model.Jenkins"),
    ("Hudson", "hudson.model.Hudson"),
    ("Result", "hudson.model.Result"),
];

/// Java's implicit imports plus Groovy's (`java.util.*`, `java.io.*`, `groovy.lang.*`, …).
const DEFAULT_IMPORTED: &[&str] = &[
    "java.lang.",
    "java.util.",
    "java.io.",
    "java.net.",
    "java.math.",
    "groovy.lang.",
    "groovy.util.",
];

/// The canonical (qualified) name of a class named `name`, simple or qualified.
#[must_use]
pub fn known(name: &str) -> Option<&'static str> {
    CLASSES.iter().find_map(|(simple, q)| {
        let default = DEFAULT_IMPORTED
            .iter()
            .any(|p| q.starts_with(p) && q[p.len()..] == **simple);
        ((*q == name) || (*simple == name && (default || !name.is_empty()))).then_some(*q)
    })
}

#[must_use]
pub fn qualified(name: &str) -> String {
    known(name).map_or_else(|| name.to_string(), str::to_string)
}

fn simple(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The class of a value, as `x.class` gives it.
#[must_use]
pub fn class_of(v: &Value) -> String {
    v.class_name()
}

/// `v instanceof T`.
#[must_use]
pub fn instance_of(v: &Value, ty: &str) -> bool {
    let t = simple(ty);
    if v.is_null() {
        return false;
    }
    match t {
        "Object" | "def" => true,
        "Number" => v.is_number(),
        "String" | "CharSequence" => {
            matches!(v, Value::Str(_)) || (t == "CharSequence" && matches!(v, Value::GStr(_)))
        }
        "GString" => matches!(v, Value::GStr(_)),
        "List" | "Collection" | "Iterable" | "ArrayList" => {
            matches!(v, Value::List(_) | Value::Range(_))
        }
        "Map" | "LinkedHashMap" | "HashMap" => matches!(v, Value::Map(_)),
        "Closure" => matches!(v, Value::Closure(_)),
        "Integer" | "int" => matches!(v, Value::Int(_)),
        "Long" | "long" => matches!(v, Value::Long(_)),
        "Boolean" | "boolean" => matches!(v, Value::Bool(_)),
        "BigDecimal" => matches!(v, Value::Dec(_)),
        "Double" | "double" => matches!(v, Value::Double(_)),
        _ => match v {
            Value::Exception(e) => e.is_a(t),
            Value::Object(o) => match &**o {
                Object::Instance { class, .. } => {
                    class.name == t || class.superclass.as_deref() == Some(t)
                }
                other => simple(other.class_name()) == t,
            },
            other => simple(&other.class_name()) == t,
        },
    }
}

#[cold]
fn controller_only(what: &str) -> Flow {
    Flow::fatal(
        format!(
            "`{what}` is not available outside Jenkins: it needs a Jenkins controller, which a local run does not have"
        ),
        Span::default(),
    )
}

fn arg_str(args: &[Value], i: usize) -> String {
    args.get(i).map(to_string).unwrap_or_default()
}

fn parse_int(s: &str, radix: u32) -> R<i128> {
    i128::from_str_radix(s.trim_start_matches('+'), radix).map_err(|_| {
        Flow::exception(
            "java.lang.NumberFormatException",
            format!("For input string: \"{s}\""),
        )
    })
}

/// `Class.field`.
#[must_use]
pub fn static_property(class: &str, name: &str) -> Option<R<Value>> {
    let c = simple(class);
    Some(Ok(match (c, name) {
        ("Jenkins" | "Hudson", _) => return Some(Err(controller_only(&format!("{c}.{name}")))),
        (_, "name") => Value::string(qualified(class)),
        (_, "simpleName") => Value::str(c),
        ("Integer", "MAX_VALUE") => Value::Int(i32::MAX),
        ("Integer", "MIN_VALUE") => Value::Int(i32::MIN),
        ("Long", "MAX_VALUE") => Value::Long(i64::MAX),
        ("Long", "MIN_VALUE") => Value::Long(i64::MIN),
        ("Double", "MAX_VALUE") => Value::Double(f64::MAX),
        ("Closure", "OWNER_FIRST") => Value::Int(0),
        ("Closure", "DELEGATE_FIRST") => Value::Int(1),
        ("Closure", "OWNER_ONLY") => Value::Int(2),
        ("Closure", "DELEGATE_ONLY") => Value::Int(3),
        ("BigDecimal", "ROUND_HALF_UP") => Value::Int(4),
        ("RoundingMode", "HALF_UP") => Value::Int(4),
        ("Double", "MIN_VALUE") => Value::Double(f64::from_bits(1)),
        ("Double", "POSITIVE_INFINITY") => Value::Double(f64::INFINITY),
        ("Double", "NEGATIVE_INFINITY") => Value::Double(f64::NEG_INFINITY),
        ("Double", "NaN") => Value::Double(f64::NAN),
        ("Math", "PI") => Value::Double(std::f64::consts::PI),
        ("Math", "E") => Value::Double(std::f64::consts::E),
        ("Boolean", "TRUE") => Value::Bool(true),
        ("Boolean", "FALSE") => Value::Bool(false),
        ("BigDecimal", "ZERO") => Value::Dec(Dec::from_int(0)),
        ("BigDecimal", "ONE") => Value::Dec(Dec::from_int(1)),
        ("BigDecimal", "TEN") => Value::Dec(Dec::from_int(10)),
        ("Result", "SUCCESS" | "UNSTABLE" | "FAILURE" | "ABORTED" | "NOT_BUILT") => {
            Value::str(name)
        }
        ("System", "out" | "err") => Value::Class(Rc::from("out")),
        _ => return None,
    }))
}

/// `Class.method(args)`.
#[allow(clippy::many_single_char_names)]
pub fn call_static(interp: &Interp, class: &str, name: &str, args: &[Value]) -> Option<R<Value>> {
    let c = simple(class);
    let s = |i| arg_str(args, i);
    let f = |i: usize| args.get(i).and_then(to_f64).unwrap_or(f64::NAN);
    Some(Ok(match (c, name, args.len()) {
        ("Jenkins" | "Hudson", _, _) => {
            return Some(Err(controller_only(&format!("{c}.{name}()"))));
        }
        ("Integer", "parseInt" | "valueOf", 1) => match parse_int(s(0).as_str(), 10) {
            Ok(v) => match i32::try_from(v) {
                Ok(i) => Value::Int(i),
                Err(_) => {
                    return Some(Err(Flow::exception(
                        "java.lang.NumberFormatException",
                        format!("For input string: \"{}\"", s(0)),
                    )));
                }
            },
            Err(e) => return Some(Err(e)),
        },
        ("Integer", "parseInt" | "valueOf", 2) => {
            let radix = args[1]
                .as_i64()
                .and_then(|r| u32::try_from(r).ok())
                .unwrap_or(10);
            match parse_int(&s(0), radix) {
                Ok(v) => Value::Int(v as i32),
                Err(e) => return Some(Err(e)),
            }
        }
        ("Long", "parseLong" | "valueOf", 1) => match parse_int(&s(0), 10) {
            Ok(v) => Value::Long(v as i64),
            Err(e) => return Some(Err(e)),
        },
        ("Double", "parseDouble" | "valueOf", 1) => match s(0).trim().parse::<f64>() {
            Ok(v) => Value::Double(v),
            Err(_) => {
                return Some(Err(Flow::exception(
                    "java.lang.NumberFormatException",
                    format!("For input string: \"{}\"", s(0)),
                )));
            }
        },
        ("Boolean", "parseBoolean" | "valueOf", 1) => {
            Value::Bool(s(0).eq_ignore_ascii_case("true"))
        }
        ("Integer" | "Long" | "Double" | "Boolean", "toString", 1) => Value::string(s(0)),
        ("Integer" | "Long", "toString", 2) => {
            let (n, radix) = (args[0].as_i64()?, u32::try_from(args[1].as_i64()?).ok()?);
            Value::string(radix_string(n, radix))
        }
        ("Integer" | "Long", "compare", 2) => {
            Value::Int(super::compare::compare(&args[0], &args[1])? as i32)
        }
        ("Integer" | "Long", "signum", 1) => Value::Int(args[0].as_i64()?.signum() as i32),
        ("Integer", "sum", 2) => return Some(super::ops::plus(&args[0], &args[1])),
        ("Character", "isDigit", 1) => Value::Bool(first_char(args)?.is_ascii_digit()),
        ("Character", "isLetter", 1) => Value::Bool(first_char(args)?.is_alphabetic()),
        ("Character", "isLetterOrDigit", 1) => Value::Bool(first_char(args)?.is_alphanumeric()),
        ("Character", "isUpperCase", 1) => Value::Bool(first_char(args)?.is_uppercase()),
        ("Character", "isLowerCase", 1) => Value::Bool(first_char(args)?.is_lowercase()),
        ("Character", "isWhitespace", 1) => Value::Bool(first_char(args)?.is_whitespace()),
        ("Character", "toUpperCase", 1) => {
            Value::string(first_char(args)?.to_uppercase().collect())
        }
        ("Character", "toLowerCase", 1) => {
            Value::string(first_char(args)?.to_lowercase().collect())
        }
        ("Collections", "max" | "min", 1) => return super::gdk::call(interp, &args[0], name, &[]),
        ("Collections", "emptyList", 0) => Value::list(Vec::new()),
        ("Collections", "emptyMap", 0) => Value::map(IndexMap::new()),
        ("Collections", "nCopies", 2) => Value::list(vec![
            args[1].clone();
            usize::try_from(args[0].as_i64()?)
                .ok()?
        ]),
        (
            "Collections",
            "unmodifiableList" | "unmodifiableMap" | "unmodifiableSet" | "synchronizedList"
            | "synchronizedMap",
            1,
        ) => args[0].clone(),
        ("System", "getProperty", 2) => args[1].clone(),
        ("Matcher", "quoteReplacement", 1) => {
            Value::string(s(0).replace('\\', "\\\\").replace('$', "\\$"))
        }
        ("String", "valueOf", 1) if matches!(args[0], Value::Map(_)) => {
            Value::string(java_map_string(&args[0]))
        }
        ("Integer" | "Long", "toHexString", 1) => Value::string(format!("{:x}", args[0].as_i64()?)),
        ("Integer" | "Long", "toBinaryString", 1) => {
            Value::string(format!("{:b}", args[0].as_i64()?))
        }
        ("Integer" | "Long" | "Math", "max", 2) => {
            let lt = super::compare::compare(&args[0], &args[1])?.is_lt();
            if lt { args[1].clone() } else { args[0].clone() }
        }
        ("Integer" | "Long" | "Math", "min", 2) => {
            let gt = super::compare::compare(&args[0], &args[1])?.is_gt();
            if gt { args[1].clone() } else { args[0].clone() }
        }
        ("Math", "abs", 1) => return super::gdk::call(interp, &args[0], "abs", &[]),
        ("Math", "pow", 2) => Value::Double(f(0).powf(f(1))),
        ("Math", "sqrt", 1) => Value::Double(f(0).sqrt()),
        ("Math", "floor", 1) => Value::Double(f(0).floor()),
        ("Math", "ceil", 1) => Value::Double(f(0).ceil()),
        ("Math", "round", 1) => match &args[0] {
            Value::Float(x) => Value::Int((x + 0.5).floor() as i32),
            _ => Value::Long((f(0) + 0.5).floor() as i64),
        },
        ("Math", "log", 1) => Value::Double(f(0).ln()),
        ("Math", "log10", 1) => Value::Double(f(0).log10()),
        ("Math", "exp", 1) => Value::Double(f(0).exp()),
        ("Math", "signum", 1) => Value::Double(f(0).signum()),
        ("Math", "random", 0) => Value::Double(pseudo_random()),
        ("String", "valueOf", 1) => Value::string(s(0)),
        ("String", "format", _) if !args.is_empty() => {
            let rest = match &args[1..] {
                [Value::List(l)] => l.borrow().clone(),
                other => other.to_vec(),
            };
            return Some(super::format::format(&s(0), &rest).map(Value::string));
        }
        ("String", "join", _) if !args.is_empty() => {
            let items = match &args[1..] {
                [Value::List(l)] => l.borrow().clone(),
                other => other.to_vec(),
            };
            Value::string(items.iter().map(to_string).collect::<Vec<_>>().join(&s(0)))
        }
        ("System", "currentTimeMillis", 0) => Value::Long(date::now_millis()),
        ("System", "nanoTime", 0) => Value::Long(date::now_millis() * 1_000_000),
        ("System", "lineSeparator", 0) => Value::str("\n"),
        ("System", "getenv", 1) => std::env::var(s(0)).map_or(Value::Null, Value::string),
        ("System", "getenv", 0) => Value::map(
            std::env::vars()
                .map(|(k, v)| (Key(Value::string(k)), Value::string(v)))
                .collect(),
        ),
        ("System", "getProperty", 1) => match s(0).as_str() {
            "line.separator" => Value::str("\n"),
            "file.separator" => Value::str("/"),
            "os.name" => Value::str("Linux"),
            _ => Value::Null,
        },
        ("Thread", "sleep", 1) => {
            std::thread::sleep(std::time::Duration::from_millis(
                u64::try_from(args[0].as_i64()?).unwrap_or(0),
            ));
            Value::Null
        }
        ("TimeZone", "getTimeZone", 1) => {
            return Some(utc_only(&s(0)).map(|()| Value::string(s(0))));
        }
        ("URLEncoder", "encode", 1 | 2) => Value::string(url_encode(&s(0))),
        ("URLDecoder", "decode", 1 | 2) => Value::string(url_decode(&s(0))),
        ("JsonOutput", "toJson", 1) => return Some(json::to_json(&args[0]).map(Value::string)),
        ("JsonOutput", "prettyPrint", 1) => {
            return Some(json::pretty_print(&s(0)).map(Value::string));
        }
        ("Pattern", "compile", 1) => {
            return Some(super::ops::pattern_of(&Value::string(s(0))).map(Value::Pattern));
        }
        ("Pattern", "matches", 2) => match super::ops::pattern_of(&Value::string(s(0))) {
            Ok(p) => Value::Bool(p.matches(&s(1))),
            Err(e) => return Some(Err(e)),
        },
        ("Pattern", "quote", 1) => Value::string(regex::escape(&s(0))),
        ("Collections", "sort", 1) => return super::gdk::call(interp, &args[0], "sort", &[]),
        ("Collections", "reverse", 1) => {
            if let Value::List(l) = &args[0] {
                l.borrow_mut().reverse();
            }
            Value::Null
        }
        ("Arrays", "asList", _) => Value::list(args.to_vec()),
        ("BigDecimal", "valueOf", 1) => {
            return Some(super::cast::cast(&args[0], &type_named("BigDecimal"), true));
        }
        _ => return None,
    }))
}

fn type_named(name: &str) -> crate::syntax::ast::Type {
    crate::syntax::ast::Type {
        name: name.into(),
        generics: Vec::new(),
        array_dims: 0,
        span: Span::default(),
    }
}

/// A deterministic pseudo-random sequence: runs must be reproducible.
fn pseudo_random() -> f64 {
    thread_local!(static STATE: std::cell::Cell<u64> = const { std::cell::Cell::new(0x2545_F491_4F6C_DD1D) });
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    })
}

fn first_char(args: &[Value]) -> Option<char> {
    match args.first()? {
        Value::Int(i) => char::from_u32(u32::try_from(*i).ok()?),
        other => to_string(other).chars().next(),
    }
}

fn radix_string(n: i64, radix: u32) -> String {
    if !(2..=36).contains(&radix) {
        return n.to_string();
    }
    let mut v = n.unsigned_abs();
    let mut digits = Vec::new();
    loop {
        digits.push(std::char::from_digit((v % u64::from(radix)) as u32, radix).unwrap_or('0'));
        v /= u64::from(radix);
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// Java's own `AbstractMap.toString`: `{a=1, b=[2]}`.
fn java_map_string(v: &Value) -> String {
    match v {
        Value::Map(m) => {
            let parts: Vec<String> = m
                .borrow()
                .iter()
                .map(|(k, v)| format!("{}={}", java_map_string(&k.0), java_map_string(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => to_string(other),
    }
}

/// Dates are computed in UTC only; another zone fails plainly rather than print wrong times.
fn utc_only(zone: &str) -> R<()> {
    if matches!(zone, "UTC" | "GMT" | "Z" | "Etc/UTC" | "GMT+0" | "UTC+0") {
        Ok(())
    } else {
        Err(Flow::fatal(
            format!("unsupported time zone `{zone}`: dates are computed in UTC only"),
            Span::default(),
        ))
    }
}

/// `java.net.URLEncoder.encode(s, "UTF-8")`.
#[must_use]
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            other => {
                let _ = write!(out, "%{other:02X}");
            }
        }
    }
    out
}

fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && i + 2 < bytes.len() => {
                if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    out.push(b);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `new T(args)` for a JDK or Groovy class.
pub fn construct(ty: &str, args: &[Value]) -> R<Value> {
    let c = simple(ty);
    let s = |i| arg_str(args, i);
    Ok(match (c, args) {
        ("ArrayList" | "LinkedList" | "Vector", []) => Value::list(Vec::new()),
        ("ArrayList" | "LinkedList" | "HashSet" | "LinkedHashSet" | "TreeSet", [v]) => {
            if let Some(n) = v.as_i64() {
                let _ = n;
                Value::list(Vec::new())
            } else {
                super::cast::cast(v, &type_named(c), true)?
            }
        }
        ("HashSet" | "LinkedHashSet" | "TreeSet", []) => Value::list(Vec::new()),
        ("HashMap" | "LinkedHashMap" | "TreeMap" | "ConcurrentHashMap", []) => {
            Value::map(IndexMap::new())
        }
        ("HashMap" | "LinkedHashMap" | "TreeMap", [Value::Map(m)]) => {
            Value::map(m.borrow().clone())
        }
        ("StringBuilder" | "StringBuffer", []) => {
            Value::Object(Rc::new(Object::StringBuilder(RefCell::new(String::new()))))
        }
        ("StringBuilder" | "StringBuffer", [v]) => {
            let init = if v.as_i64().is_some() {
                String::new()
            } else {
                to_string(v)
            };
            Value::Object(Rc::new(Object::StringBuilder(RefCell::new(init))))
        }
        ("String", []) => Value::str(""),
        ("String", [Value::List(bytes)]) => {
            let raw: Vec<u8> = bytes
                .borrow()
                .iter()
                .map(|b| b.as_i64().unwrap_or(0) as u8)
                .collect();
            Value::string(String::from_utf8_lossy(&raw).into_owned())
        }
        ("String", [Value::List(_), _]) => return construct(ty, &args[..1]),
        ("String", [v]) => Value::string(to_string(v)),
        ("Date", []) => Value::Object(Rc::new(Object::Date(date::now_millis()))),
        ("Date", [v]) if v.as_i64().is_some() => {
            Value::Object(Rc::new(Object::Date(v.as_i64().unwrap_or(0))))
        }
        ("SimpleDateFormat", [p, ..]) => {
            Value::Object(Rc::new(Object::SimpleDateFormat(to_string(p))))
        }
        ("JsonSlurper", []) => Value::Object(Rc::new(Object::JsonSlurper { classic: false })),
        ("JsonSlurperClassic", []) => Value::Object(Rc::new(Object::JsonSlurper { classic: true })),
        ("Integer", [v]) => super::cast::cast(v, &type_named("Integer"), true)?,
        ("BigDecimal", [v]) => super::cast::cast(v, &type_named("BigDecimal"), true)?,
        ("Random", _) => Value::Object(Rc::new(Object::Random(RefCell::new(0)))),
        ("Jenkins" | "Hudson", _) => return Err(controller_only(&format!("new {c}()"))),
        (name, _) if is_throwable(name) => {
            let message = match args.first() {
                None | Some(Value::Null) => None,
                Some(Value::Exception(cause)) => Some(cause.to_string()),
                Some(v) => Some(to_string(v)),
            };
            let mut ex = Exception::new(
                &qualified(name).replace("java.lang.java.lang.", "java.lang."),
                message,
            );
            if ex.class == name && !name.contains('.') {
                ex.class = known(name).map_or_else(|| name.to_string(), str::to_string);
            }
            ex.cause = match args {
                [Value::Exception(c)] | [_, Value::Exception(c)] => {
                    Some(Value::Exception(c.clone()))
                }
                _ => None,
            };
            let _ = s;
            Value::Exception(Rc::new(ex))
        }
        _ => {
            return Err(Flow::fatal(
                format!("unsupported class: `new {ty}(…)` is not available in this interpreter"),
                Span::default(),
            ));
        }
    })
}

fn is_throwable(name: &str) -> bool {
    name.ends_with("Exception") || name.ends_with("Error") || name == "Throwable"
}

/// Methods of the built-in objects (`StringBuilder`, `Date`, …) and host objects.
pub fn object_method(
    interp: &Interp,
    o: &Rc<Object>,
    name: &str,
    args: &[Value],
) -> Option<R<Value>> {
    let _ = interp;
    match &**o {
        Object::StringBuilder(sb) => Some(Ok(match (name, args) {
            ("append" | "leftShift", [v]) => {
                sb.borrow_mut().push_str(&to_string(v));
                Value::Object(o.clone())
            }
            ("toString", []) => Value::string(sb.borrow().clone()),
            ("length" | "size", []) => Value::Int(sb.borrow().encode_utf16().count() as i32),
            ("reverse", []) => {
                let r: String = sb.borrow().chars().rev().collect();
                *sb.borrow_mut() = r;
                Value::Object(o.clone())
            }
            ("setLength", [n]) => {
                let n = usize::try_from(n.as_i64()?).ok()?;
                let t: String = sb.borrow().chars().take(n).collect();
                *sb.borrow_mut() = t;
                Value::Null
            }
            ("insert", [i, v]) => {
                let i = usize::try_from(i.as_i64()?).ok()?;
                let mut chars: Vec<char> = sb.borrow().chars().collect();
                let ins: Vec<char> = to_string(v).chars().collect();
                let i = i.min(chars.len());
                chars.splice(i..i, ins);
                *sb.borrow_mut() = chars.into_iter().collect();
                Value::Object(o.clone())
            }
            _ => return None,
        })),
        Object::Date(ms) => Some(Ok(match (name, args) {
            ("getTime", []) => Value::Long(*ms),
            ("format", [p]) => Value::string(date::format(*ms, &to_string(p))),
            ("format", [p, tz]) => match utc_only(&to_string(tz)) {
                Ok(()) => Value::string(date::format(*ms, &to_string(p))),
                Err(e) => return Some(Err(e)),
            },
            ("toString", []) => Value::string(date::to_java_string(*ms)),
            ("before", [Value::Object(d)]) => match &**d {
                Object::Date(other) => Value::Bool(ms < other),
                _ => return None,
            },
            ("after", [Value::Object(d)]) => match &**d {
                Object::Date(other) => Value::Bool(ms > other),
                _ => return None,
            },
            _ => return None,
        })),
        Object::SimpleDateFormat(p) => Some(Ok(match (name, args) {
            ("setTimeZone", [tz]) => match utc_only(&to_string(tz)) {
                Ok(()) => Value::Null,
                Err(e) => return Some(Err(e)),
            },
            ("format", [Value::Object(d)]) => match &**d {
                Object::Date(ms) => Value::string(date::format(*ms, p)),
                _ => return None,
            },
            _ => return None,
        })),
        Object::JsonSlurper { .. } => match (name, args) {
            ("parseText", [t]) => Some(json::parse(&to_string(t))),
            _ => None,
        },
        Object::Entry(k, v) => Some(Ok(match (name, args) {
            ("getKey", []) => k.clone(),
            ("getValue", []) => v.clone(),
            _ => return None,
        })),
        Object::Random(_) => match (name, args) {
            ("nextInt", [n]) => {
                let n = n.as_i64()?;
                Some(Ok(Value::Int((pseudo_random() * n as f64) as i32)))
            }
            _ => None,
        },
        Object::Host(h) => h.call(
            name,
            args,
            &interp.root_cx(super::dynamic::Dynamic::default()),
        ),
        Object::Instance { .. } => None,
    }
}
