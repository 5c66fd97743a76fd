//! `java.util.Objects` (null-safe helpers) and `java.util.Optional`, which scripts use to
//! default a value that may be missing.

use std::rc::Rc;

use super::util::Util;
use crate::eval::closure::Closure;
use crate::eval::coll::java_hash_code;
use crate::eval::compare::java_equals;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::object::Object;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::source::Span;

fn optional(v: Option<Value>) -> Value {
    Value::Object(Rc::new(Object::Util(Util::Optional(v))))
}

fn no_value() -> Flow {
    Flow::exception("java.util.NoSuchElementException", "No value present")
}

/// `Objects.x(..)` and `Optional.x(..)`.
pub fn call_static(class: &str, name: &str, args: &[Value]) -> Option<R<Value>> {
    Some(Ok(match (class, name, args) {
        ("Objects", "equals", [a, b]) => Value::Bool(java_equals(a, b)),
        ("Objects", "isNull", [a]) => Value::Bool(a.is_null()),
        ("Objects", "nonNull", [a]) => Value::Bool(!a.is_null()),
        ("Objects", "toString", [a]) => Value::string(to_string(a)),
        ("Objects", "toString", [a, d]) => {
            if a.is_null() {
                Value::string(to_string(d))
            } else {
                Value::string(to_string(a))
            }
        }
        ("Objects", "requireNonNull", [a, rest @ ..]) if rest.len() <= 1 => {
            if a.is_null() {
                return Some(Err(match rest.first() {
                    Some(m) => Flow::npe(to_string(m)),
                    None => Flow::npe(""),
                }));
            }
            a.clone()
        }
        ("Objects", "requireNonNullElse", [a, d]) => {
            if a.is_null() {
                d.clone()
            } else {
                a.clone()
            }
        }
        ("Objects", "hashCode", [a]) => return Some(hash(a).map(Value::Int)),
        // `Arrays.hashCode` of the arguments.
        ("Objects", "hash", items) => {
            let mut h: i32 = 1;
            for item in items {
                match hash(item) {
                    Ok(x) => h = h.wrapping_mul(31).wrapping_add(x),
                    Err(e) => return Some(Err(e)),
                }
            }
            Value::Int(h)
        }
        ("Optional", "empty", []) => optional(None),
        ("Optional", "of", [v]) => {
            if v.is_null() {
                return Some(Err(Flow::npe("")));
            }
            optional(Some(v.clone()))
        }
        ("Optional", "ofNullable", [v]) => optional((!v.is_null()).then(|| v.clone())),
        _ => return None,
    }))
}

fn hash(v: &Value) -> R<i32> {
    java_hash_code(v).ok_or_else(|| {
        Flow::fatal(
            format!(
                "unsupported: the Java hashCode of a {} (Objects.hash)",
                v.class_name()
            ),
            Span::default(),
        )
    })
}

/// The methods of an `Optional` that take no closure.
#[must_use]
pub fn method(value: Option<&Value>, name: &str, args: &[Value]) -> Option<R<Value>> {
    Some(Ok(match (name, args, value) {
        ("isPresent", [], v) => Value::Bool(v.is_some()),
        ("isEmpty", [], v) => Value::Bool(v.is_none()),
        ("get" | "orElseThrow", [], Some(v)) => v.clone(),
        ("get" | "orElseThrow", [], None) => return Some(Err(no_value())),
        ("orElse", [_], Some(v)) | ("orElse", [v], None) => v.clone(),
        ("toString", [], Some(v)) => Value::string(format!("Optional[{}]", to_string(v))),
        ("toString", [], None) => Value::str("Optional.empty"),
        _ => return None,
    }))
}

/// `Optional.toString()`.
#[must_use]
pub fn text(value: Option<&Value>) -> String {
    value.map_or_else(
        || "Optional.empty".to_string(),
        |v| format!("Optional[{}]", to_string(v)),
    )
}

impl Interp {
    /// The methods of an `Optional` that call a closure: `map`, `filter`, `ifPresent`,
    /// `orElseGet`, `flatMap`.
    pub(crate) async fn optional_with_closure(
        &self,
        value: Option<&Value>,
        name: &str,
        closure: &Rc<Closure>,
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        let call = |v: Vec<Value>| self.call_closure(closure, v, span, cx);
        Some(match (name, value) {
            ("map", Some(v)) => call(vec![v.clone()])
                .await
                .map(|r| optional((!r.is_null()).then_some(r))),
            ("flatMap", Some(v)) => call(vec![v.clone()]).await,
            ("filter", Some(v)) => call(vec![v.clone()])
                .await
                .map(|keep| optional(keep.truthy().then(|| v.clone()))),
            ("map" | "flatMap" | "filter", None) => Ok(optional(None)),
            ("ifPresent", Some(v)) => call(vec![v.clone()]).await.map(|_| Value::Null),
            ("ifPresent", None) => Ok(Value::Null),
            ("orElseGet", Some(v)) => Ok(v.clone()),
            ("orElseGet", None) => call(Vec::new()).await,
            _ => return None,
        })
    }
}
