//! Static fields and methods of the JDK classes scripts call: `Integer.parseInt`, `Math.max`,
//! `String.format`, `System.getenv`, `JsonOutput.toJson`, `Character.isDigit`, ….

use std::fmt::Write as _;
use std::rc::Rc;

use indexmap::IndexMap;

use super::{arg_str, controller_only, parse_int, qualified, simple, type_named, utc_only};
use super::{date, json};
use crate::eval::decimal::{Dec, Rounding};
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::num::to_f64;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};

/// `Class.field`.
#[must_use]
pub fn static_property(class: &str, name: &str) -> Option<R<Value>> {
    let c = simple(class);
    if let Some(v) = super::util::static_property(c, name) {
        return Some(Ok(v));
    }
    Some(Ok(match (c, name) {
        ("Jenkins" | "Hudson", _) => return Some(Err(controller_only(&format!("{c}.{name}")))),
        (_, "name") => Value::string(qualified(class)),
        (_, "simpleName") => Value::str(c),
        ("String", "CASE_INSENSITIVE_ORDER") => super::util::case_insensitive_order(),
        ("Integer", "MAX_VALUE") => Value::Int(i32::MAX),
        ("Integer", "MIN_VALUE") => Value::Int(i32::MIN),
        ("Long", "MAX_VALUE") => Value::Long(i64::MAX),
        ("Long", "MIN_VALUE") => Value::Long(i64::MIN),
        ("Double", "MAX_VALUE") => Value::Double(f64::MAX),
        ("Closure", "OWNER_FIRST") => Value::Int(0),
        ("Closure", "DELEGATE_FIRST") => Value::Int(1),
        ("Closure", "OWNER_ONLY") => Value::Int(2),
        ("Closure", "DELEGATE_ONLY") => Value::Int(3),
        // The legacy `int` constants, and the enum (shown by its name).
        ("BigDecimal", n) if n.starts_with("ROUND_") && Rounding::from_name(n).is_some() => {
            Value::Int(Rounding::from_name(n).map_or(0, |r| r as i32))
        }
        ("RoundingMode", n) if Rounding::from_name(n).is_some() => Value::str(n),
        ("Double", "MIN_VALUE") => Value::Double(f64::from_bits(1)),
        ("Double", "POSITIVE_INFINITY") => Value::Double(f64::INFINITY),
        ("Double", "NEGATIVE_INFINITY") => Value::Double(f64::NEG_INFINITY),
        ("Double", "NaN") => Value::Double(f64::NAN),
        ("Math", "PI") => Value::Double(std::f64::consts::PI),
        ("Math", "E") => Value::Double(std::f64::consts::E),
        ("Boolean", "TRUE") => Value::Bool(true),
        ("Boolean", "FALSE") => Value::Bool(false),
        ("BigInteger", "ZERO") => Value::big(0),
        ("BigInteger", "ONE") => Value::big(1),
        ("BigInteger", "TWO") => Value::big(2),
        ("BigInteger", "TEN") => Value::big(10),
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
    if let Some(r) = super::util::call_static(c, name, args) {
        return Some(r);
    }
    if let Some(r) = super::optional::call_static(c, name, args) {
        return Some(r);
    }
    if args.is_empty()
        && let Some(v) = super::class_method(class, name)
    {
        return Some(Ok(v));
    }
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
            Value::Int(crate::eval::compare::compare(&args[0], &args[1])? as i32)
        }
        ("Integer" | "Long", "signum", 1) => Value::Int(args[0].as_i64()?.signum() as i32),
        ("Integer", "sum", 2) => return Some(crate::eval::ops::plus(&args[0], &args[1])),
        ("Character", "isDigit", 1) => Value::Bool(first_char(args)?.is_ascii_digit()),
        ("Character", "isLetter", 1) => Value::Bool(first_char(args)?.is_alphabetic()),
        ("Character", "isLetterOrDigit", 1) => Value::Bool(first_char(args)?.is_alphanumeric()),
        ("Character", "isUpperCase", 1) => Value::Bool(first_char(args)?.is_uppercase()),
        ("Character", "isLowerCase", 1) => Value::Bool(first_char(args)?.is_lowercase()),
        ("Character", "isWhitespace", 1) => Value::Bool(first_char(args)?.is_whitespace()),
        ("Character", "toUpperCase", 1) => {
            let c = first_char(args)?;
            Value::Char(c.to_uppercase().next().unwrap_or(c))
        }
        ("Character", "toLowerCase", 1) => {
            let c = first_char(args)?;
            Value::Char(c.to_lowercase().next().unwrap_or(c))
        }
        ("Character", "valueOf", 1) => Value::Char(first_char(args)?),
        ("Collections", "max" | "min", 1) => {
            return crate::eval::gdk::call(interp, &args[0], name, &[]);
        }
        ("Collections", "emptyList", 0) => Value::list(Vec::new()),
        ("Collections", "emptyMap", 0) => Value::map(IndexMap::new()),
        ("Collections", "nCopies", 2) => Value::list(vec![
            args[1].clone();
            usize::try_from(args[0].as_i64()?)
                .ok()?
        ]),
        ("Collections", "unmodifiableList" | "unmodifiableMap" | "unmodifiableCollection", 1) => {
            return Some(unmodifiable(&args[0]));
        }
        // A set has no unmodifiable kind of its own yet: it stays the set it was given.
        ("Collections", "synchronizedList" | "synchronizedMap" | "unmodifiableSet", 1) => {
            args[0].clone()
        }
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
        ("Integer" | "Long", "toOctalString", 1) => {
            Value::string(format!("{:o}", args[0].as_i64()?))
        }
        ("Integer" | "Long" | "Math", "max", 2) => {
            let lt = crate::eval::compare::compare(&args[0], &args[1])?.is_lt();
            if lt { args[1].clone() } else { args[0].clone() }
        }
        ("Integer" | "Long" | "Math", "min", 2) => {
            let gt = crate::eval::compare::compare(&args[0], &args[1])?.is_gt();
            if gt { args[1].clone() } else { args[0].clone() }
        }
        ("Math", "abs", 1) => return crate::eval::gdk::call(interp, &args[0], "abs", &[]),
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
        // A List is one argument, as in Groovy: only an array would be spread.
        ("String", "format", _) if !args.is_empty() => {
            return Some(crate::eval::format::format(&s(0), &args[1..]).map(Value::string));
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
        ("System", "getenv", 1) => host_env(interp)
            .into_iter()
            .find(|(k, _)| *k == s(0))
            .map_or(Value::Null, |(_, v)| Value::string(v)),
        ("System", "getenv", 0) => Value::map(
            host_env(interp)
                .into_iter()
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
            let millis = u64::try_from(args[0].as_i64()?).unwrap_or(0);
            if interp.host.plans_both_branches() {
                // A plan never waits: it says where the build would.
                interp.host.plan_note(
                    &interp.root_cx(crate::eval::dynamic::Dynamic::default()),
                    &format!("Thread.sleep({millis}) would wait {millis} ms"),
                );
            } else {
                std::thread::sleep(std::time::Duration::from_millis(millis));
            }
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
            return Some(crate::eval::ops::pattern_of(&Value::string(s(0))).map(Value::Pattern));
        }
        ("Pattern", "matches", 2) => match crate::eval::ops::pattern_of(&Value::string(s(0))) {
            Ok(p) => Value::Bool(p.matches(&s(1))),
            Err(e) => return Some(Err(e)),
        },
        // Java's form: `\Q…\E`, an `\E` inside closed and reopened.
        ("Pattern", "quote", 1) => {
            Value::string(format!("\\Q{}\\E", s(0).replace("\\E", "\\E\\\\E\\Q")))
        }
        ("Collections", "sort", 1) => return crate::eval::gdk::call(interp, &args[0], "sort", &[]),
        ("Collections", "reverse", 1) => {
            if let Value::List(l) = &args[0] {
                l.borrow_mut().reverse();
            }
            Value::Null
        }
        ("Arrays", "asList", _) => Value::list(args.to_vec()),
        ("BigInteger", "valueOf", 1) => Value::big(args[0].as_i64()?),
        ("Character", "getNumericValue", 1) => {
            Value::Int(first_char(args)?.to_digit(36).map_or(-1, |d| d as i32))
        }
        ("BigDecimal", "valueOf", 1) => {
            return Some(crate::eval::cast::cast(
                &args[0],
                &type_named("BigDecimal"),
                true,
            ));
        }
        _ => return None,
    }))
}

fn first_char(args: &[Value]) -> Option<char> {
    match args.first()? {
        Value::Char(c) => Some(*c),
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

/// A deterministic pseudo-random sequence: runs must be reproducible.
pub(super) fn pseudo_random() -> f64 {
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

/// The host's environment as `System.getenv` sees it. A plan shows what it reads, so it reads
/// through the same filter as the environment it shows (secret-looking names withheld).
fn host_env(interp: &Interp) -> Vec<(String, String)> {
    if interp.host.plans_both_branches() {
        crate::home::HostEnv::filter(std::env::vars(), &[], false)
            .passed
            .into_iter()
            .collect()
    } else {
        std::env::vars().collect()
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

/// `Collections.unmodifiableList(l)`: a collection that refuses changes. Java's is a view of
/// `l`; this is a copy, so a later change to `l` does not show through it.
fn unmodifiable(v: &Value) -> R<Value> {
    use crate::eval::coll::Kind;
    Ok(match v {
        Value::List(l) => Value::list_of(Kind::Unmodifiable, l.borrow().clone()),
        Value::Map(m) => Value::map_of(Kind::Unmodifiable, m.borrow().clone()),
        other => {
            return Err(Flow::exception(
                "groovy.lang.MissingMethodException",
                format!(
                    "No signature of method: java.util.Collections.unmodifiableList() is applicable for argument types: ({})",
                    other.class_name()
                ),
            ));
        }
    })
}
