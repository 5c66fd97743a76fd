//! The JDK and Groovy classes scripts name: `new` for the ones they construct, static
//! methods and fields (`Integer.parseInt`, `Math.max`, `JsonOutput.toJson`), `instanceof`,
//! and methods on the objects they create. Controller-only APIs (`Jenkins.instance`,
//! `Hudson`) fail with an error that says they need a Jenkins controller.

pub mod date;
pub mod json;
pub mod json_text;
pub mod optional;
pub mod statics;
pub mod util;

use self::statics::pseudo_random;
pub use self::statics::{call_static, static_property, url_encode};

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;
use num_bigint::{BigInt, Sign};

use super::coll::Kind;
use super::exception::Exception;
use super::flow::{Flow, R};
use super::interp::Interp;
use super::object::Object;
use super::text::to_string;
use super::value::Value;
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
    ("TreeSet", "java.util.TreeSet"),
    ("SortedSet", "java.util.SortedSet"),
    ("SortedMap", "java.util.SortedMap"),
    ("Collection", "java.util.Collection"),
    ("Date", "java.util.Date"),
    ("Collections", "java.util.Collections"),
    ("Objects", "java.util.Objects"),
    ("Optional", "java.util.Optional"),
    ("Arrays", "java.util.Arrays"),
    ("SimpleDateFormat", "java.text.SimpleDateFormat"),
    ("TimeZone", "java.util.TimeZone"),
    ("Calendar", "java.util.Calendar"),
    ("GregorianCalendar", "java.util.GregorianCalendar"),
    ("UUID", "java.util.UUID"),
    ("Base64", "java.util.Base64"),
    ("Properties", "java.util.Properties"),
    ("StringReader", "java.io.StringReader"),
    ("URL", "java.net.URL"),
    ("MessageDigest", "java.security.MessageDigest"),
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
    // The step context's types, for `getContext(hudson.FilePath)`.
    ("FilePath", "hudson.FilePath"),
    ("Launcher", "hudson.Launcher"),
    ("EnvVars", "hudson.EnvVars"),
    ("TaskListener", "hudson.model.TaskListener"),
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

pub(super) fn simple(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The methods of `java.lang.Class` scripts call on a class: `x.getClass().getName()`.
#[must_use]
pub fn class_method(class: &str, name: &str) -> Option<Value> {
    Some(match name {
        "getName" | "getCanonicalName" | "getTypeName" => Value::string(qualified(class)),
        "getSimpleName" => Value::str(simple(class)),
        "toString" => Value::string(format!("class {}", qualified(class))),
        _ => return None,
    })
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
            matches!(v, Value::Str(_))
                || (t == "CharSequence" && matches!(v, Value::GStr(_) | Value::LazyGStr(_)))
        }
        "GString" => matches!(v, Value::GStr(_) | Value::LazyGStr(_)),
        "Collection" | "Iterable" => matches!(v, Value::List(_) | Value::Range(_)),
        "List" | "ArrayList" => match v {
            Value::List(l) => !l.kind().is_set(),
            other => matches!(other, Value::Range(_)),
        },
        "Set" => matches!(v, Value::List(l) if l.kind().is_set()),
        "SortedSet" | "TreeSet" => matches!(v, Value::List(l) if l.kind() == Kind::Tree),
        "HashSet" => matches!(v, Value::List(l) if matches!(l.kind(), Kind::Hash | Kind::Linked)),
        "LinkedHashSet" => matches!(v, Value::List(l) if l.kind() == Kind::Linked),
        "Map" => matches!(v, Value::Map(_)),
        "HashMap" => matches!(v, Value::Map(m) if m.kind() != Kind::Tree),
        "LinkedHashMap" => matches!(v, Value::Map(m) if m.kind() == Kind::Plain),
        "SortedMap" | "TreeMap" => matches!(v, Value::Map(m) if m.kind() == Kind::Tree),
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

/// What reaching for the Jenkins controller throws. A catchable exception, not a fatal
/// error: Jenkins' sandbox rejects such calls with a `RejectedAccessException` that scripts
/// guard with `try`/`catch (Throwable e)`, so a guarded call must take its `catch` here too.
/// `UnsupportedOperationException` says what happened without pretending to be the
/// sandbox; uncaught, it ends the build with this message.
#[cold]
pub(crate) fn controller_only(what: &str) -> Flow {
    Flow::exception(
        "java.lang.UnsupportedOperationException",
        format!(
            "`{what}` is not available outside Jenkins: it needs a Jenkins controller, which a local run does not have"
        ),
    )
}

pub(super) fn arg_str(args: &[Value], i: usize) -> String {
    args.get(i).map(to_string).unwrap_or_default()
}

pub(super) fn parse_int(s: &str, radix: u32) -> R<i128> {
    i128::from_str_radix(s.trim_start_matches('+'), radix).map_err(|_| {
        Flow::exception(
            "java.lang.NumberFormatException",
            format!("For input string: \"{s}\""),
        )
    })
}

pub(super) fn type_named(name: &str) -> crate::syntax::ast::Type {
    crate::syntax::ast::Type {
        name: name.into(),
        generics: Vec::new(),
        array_dims: 0,
        span: Span::default(),
    }
}

/// Dates are computed in UTC only; another zone fails plainly rather than print wrong times.
pub(super) fn utc_only(zone: &str) -> R<()> {
    if matches!(zone, "UTC" | "GMT" | "Z" | "Etc/UTC" | "GMT+0" | "UTC+0") {
        Ok(())
    } else {
        Err(Flow::fatal(
            format!("unsupported time zone `{zone}`: dates are computed in UTC only"),
            Span::default(),
        ))
    }
}

/// `new BigInteger(text)`, `new BigInteger(text, radix)` and `new BigInteger(signum, bytes)`
/// (a sign and a big-endian magnitude, as `MessageDigest` hex digests use it).
fn big_integer(args: &[Value]) -> R<Value> {
    let format = |text: &str| {
        Flow::exception(
            "java.lang.NumberFormatException",
            format!("For input string: \"{text}\""),
        )
    };
    match args {
        [v] => super::cast::cast(v, &type_named("BigInteger"), true),
        [Value::Str(text) | Value::GStr(text), radix] => {
            let radix = radix
                .as_i64()
                .and_then(|r| u32::try_from(r).ok())
                .filter(|r| (2..=36).contains(r))
                .ok_or_else(|| format(text))?;
            crate::eval::num::parse_big(text, radix)
                .map(Value::big)
                .ok_or_else(|| format(text))
        }
        [signum, Value::List(bytes)] => {
            let signum = signum.as_i64().unwrap_or(0);
            // Bytes as Java holds them (signed), read as an unsigned big-endian magnitude.
            let magnitude: Vec<u8> = bytes
                .borrow()
                .iter()
                .map(|b| b.as_i64().unwrap_or(0) as u8)
                .collect();
            let zero = magnitude.iter().all(|b| *b == 0);
            let sign = match signum {
                1 => Sign::Plus,
                -1 => Sign::Minus,
                0 if zero => Sign::NoSign,
                0 => {
                    return Err(Flow::exception(
                        "java.lang.NumberFormatException",
                        "signum-magnitude mismatch",
                    ));
                }
                _ => {
                    return Err(Flow::exception(
                        "java.lang.NumberFormatException",
                        "Invalid signum value",
                    ));
                }
            };
            Ok(Value::big(BigInt::from_bytes_be(sign, &magnitude)))
        }
        _ => Err(Flow::exception(
            "groovy.lang.GroovyRuntimeException",
            "Could not find matching constructor for: java.math.BigInteger",
        )),
    }
}

/// `new T(args)` for a JDK or Groovy class.
pub fn construct(ty: &str, args: &[Value]) -> R<Value> {
    let c = simple(ty);
    let s = |i| arg_str(args, i);
    if let Some(made) = util::construct(c, args) {
        return made;
    }
    Ok(match (c, args) {
        ("Properties", []) => Value::map_of(Kind::Props, IndexMap::new()),
        ("ArrayList" | "LinkedList" | "Vector", []) => Value::list(Vec::new()),
        ("ArrayList" | "LinkedList", [v]) => {
            if v.as_i64().is_some() {
                // An initial capacity.
                Value::list(Vec::new())
            } else if let Value::List(l) = v {
                // A copy constructor: the new list never aliases its argument.
                Value::list(l.borrow().clone())
            } else {
                super::cast::cast(v, &type_named(c), true)?
            }
        }
        ("HashSet" | "LinkedHashSet" | "TreeSet", []) => Value::set(set_kind(c), Vec::new()),
        ("HashSet" | "LinkedHashSet" | "TreeSet", [v]) => {
            // An initial capacity, or the elements to copy.
            let items = if v.as_i64().is_some() {
                Vec::new()
            } else {
                super::gdk::iter_items(v)?
            };
            Value::set(set_kind(c), items)
        }
        ("HashMap" | "LinkedHashMap" | "TreeMap" | "ConcurrentHashMap", []) => {
            Value::map_of(map_kind(c), IndexMap::new())
        }
        ("HashMap" | "LinkedHashMap" | "TreeMap" | "ConcurrentHashMap", [Value::Map(m)]) => {
            Value::map_of(map_kind(c), m.borrow().clone())
        }
        ("HashMap" | "LinkedHashMap" | "ConcurrentHashMap", [n]) if n.as_i64().is_some() => {
            Value::map_of(map_kind(c), IndexMap::new())
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
        ("BigInteger", _) => return big_integer(args),
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

fn set_kind(class: &str) -> Kind {
    match class {
        "HashSet" => Kind::Hash,
        "TreeSet" => Kind::Tree,
        _ => Kind::Linked,
    }
}

fn map_kind(class: &str) -> Kind {
    match class {
        "HashMap" | "ConcurrentHashMap" => Kind::Hash,
        "TreeMap" => Kind::Tree,
        _ => Kind::Plain,
    }
}

pub(crate) fn is_throwable(name: &str) -> bool {
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
            ("indexOf" | "lastIndexOf", [v]) => {
                let text = sb.borrow();
                let needle = to_string(v);
                let found = if name == "indexOf" {
                    text.find(&needle)
                } else {
                    text.rfind(&needle)
                };
                Value::Int(found.map_or(-1, |b| text[..b].chars().count() as i32))
            }
            ("charAt", [i]) => {
                let i = usize::try_from(i.as_i64()?).ok()?;
                Value::string(sb.borrow().chars().nth(i)?.to_string())
            }
            ("deleteCharAt", [i]) => {
                let i = usize::try_from(i.as_i64()?).ok()?;
                let mut chars: Vec<char> = sb.borrow().chars().collect();
                if i >= chars.len() {
                    return None;
                }
                chars.remove(i);
                *sb.borrow_mut() = chars.into_iter().collect();
                Value::Object(o.clone())
            }
            ("delete" | "replace", [start, end, rest @ ..]) if rest.len() <= 1 => {
                let mut chars: Vec<char> = sb.borrow().chars().collect();
                let start = usize::try_from(start.as_i64()?).ok()?.min(chars.len());
                let end = usize::try_from(end.as_i64()?)
                    .ok()?
                    .min(chars.len())
                    .max(start);
                let with: Vec<char> = rest
                    .first()
                    .map(to_string)
                    .unwrap_or_default()
                    .chars()
                    .collect();
                if (name == "delete") != rest.is_empty() {
                    return None;
                }
                chars.splice(start..end, with);
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
            ("parse", [t]) => match date::parse(&to_string(t), p) {
                Some(ms) => Value::Object(Rc::new(Object::Date(ms))),
                None => {
                    return Some(Err(Flow::exception(
                        "java.text.ParseException",
                        format!("Unparseable date: \"{}\"", to_string(t)),
                    )));
                }
            },
            _ => return None,
        })),
        Object::JsonSlurper { classic } => match (name, args) {
            ("parseText", [t]) => Some(json::parse(
                &to_string(t),
                if *classic {
                    json_text::Flavor::Classic
                } else {
                    json_text::Flavor::Slurper
                },
            )),
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
        Object::Util(u) => util::method(u, name, args),
        Object::Instance { .. } => None,
    }
}
