//! Groovy's `==` (`DefaultTypeTransformation.compareEqual`) and `<=>` (`compareTo`): numbers
//! compare by value across types, `GString` equals `String` by text, lists and maps by content.

use std::cmp::Ordering;

use super::num;
use super::value::{List, Value};

/// `a == b`.
#[must_use]
pub fn equals(a: &Value, b: &Value) -> bool {
    if matches!(a, Value::LazyGStr(_)) || matches!(b, Value::LazyGStr(_)) {
        return equals(&a.eager(), &b.eager());
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Char(x), Value::Char(y)) => x == y,
        (Value::Str(x) | Value::GStr(x), Value::Str(y) | Value::GStr(y)) => x == y,
        (x, y) if x.is_number() && y.is_number() => num::compare(x, y) == Some(Ordering::Equal),
        (Value::List(x), Value::List(y)) if x.kind().is_set() || y.kind().is_set() => {
            sets_equal(x, y, equals)
        }
        (Value::List(_) | Value::Range(_), Value::List(_) | Value::Range(_)) => {
            let (x, y) = (items(a), items(b));
            x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| equals(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            if std::rc::Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equals(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => x.equals(y),
        (Value::Class(x), Value::Class(y)) => x == y,
        (Value::Closure(x), Value::Closure(y)) => std::rc::Rc::ptr_eq(x, y),
        (Value::Exception(x), Value::Exception(y)) => std::rc::Rc::ptr_eq(x, y),
        (Value::Unknown(x), Value::Unknown(y)) => x == y,
        _ => false,
    }
}

/// A set equals only another set with the same elements, in any order (`Set.equals`); a
/// set never equals a list.
fn sets_equal(x: &List, y: &List, eq: fn(&Value, &Value) -> bool) -> bool {
    if x.kind().is_set() != y.kind().is_set() {
        return false;
    }
    let (x, y) = (x.borrow(), y.borrow());
    x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| eq(p, q)))
}

fn items(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l.borrow().clone(),
        Value::Range(r) => r.items(),
        _ => Vec::new(),
    }
}

/// `a <=> b`; `None` when the two cannot be compared (Groovy throws).
#[must_use]
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    if matches!(a, Value::LazyGStr(_)) || matches!(b, Value::LazyGStr(_)) {
        return compare(&a.eager(), &b.eager());
    }
    match (a, b) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) => Some(Ordering::Less),
        (_, Value::Null) => Some(Ordering::Greater),
        (x, y) if x.is_number() && y.is_number() => num::compare(x, y),
        (Value::Str(x) | Value::GStr(x), Value::Str(y) | Value::GStr(y)) => {
            Some(java_string_cmp(x, y))
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Object(x), Value::Object(y)) => x.compare(y),
        _ => None,
    }
}

/// Java's `String.compareTo`: by UTF-16 code units.
fn java_string_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The integer `<=>` yields: Java's `compareTo` result, which for strings is the difference of
/// the first differing code units (or of the lengths), not just -1/0/1.
#[must_use]
pub fn spaceship(a: &Value, b: &Value) -> Option<i32> {
    if let (Value::Str(x) | Value::GStr(x), Value::Str(y) | Value::GStr(y)) = (a, b) {
        let (x, y): (Vec<u16>, Vec<u16>) = (x.encode_utf16().collect(), y.encode_utf16().collect());
        for (p, q) in x.iter().zip(&y) {
            if p != q {
                return Some(i32::from(*p) - i32::from(*q));
            }
        }
        return Some(x.len() as i32 - y.len() as i32);
    }
    compare(a, b).map(|o| o as i32)
}

/// Java's `equals`, which `contains`, `in` on a list and `Map` equality use: an `Integer`
/// never equals a `Long`, `1.0` does not equal `1.00`, a `GString` never equals a `String`.
#[must_use]
pub fn java_equals(a: &Value, b: &Value) -> bool {
    if matches!(a, Value::LazyGStr(_)) || matches!(b, Value::LazyGStr(_)) {
        return java_equals(&a.eager(), &b.eager());
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Long(x), Value::Long(y)) => x == y,
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::Dec(x), Value::Dec(y)) => x == y,
        (Value::Double(x), Value::Double(y)) => x.to_bits() == y.to_bits(),
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (x, y) if x.is_number() || y.is_number() => false,
        (Value::Str(x), Value::Str(y)) | (Value::GStr(x), Value::GStr(y)) => x == y,
        (Value::Str(_), Value::GStr(_)) | (Value::GStr(_), Value::Str(_)) => false,
        (Value::List(x), Value::List(y)) if x.kind().is_set() || y.kind().is_set() => {
            sets_equal(x, y, java_equals)
        }
        (Value::List(x), Value::List(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| java_equals(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| java_equals(v, w)))
        }
        _ => equals(a, b),
    }
}
