//! `Map` methods that take no closure.

use indexmap::IndexMap;

use crate::eval::compare::equals;
use crate::eval::flow::R;
use crate::eval::value::{Key, Map, Value};

fn key(v: &Value) -> Key {
    Key(v.clone())
}

pub(super) fn call(m: &Map, name: &str, args: &[Value]) -> Option<R<Value>> {
    Some(Ok(match (name, args) {
        ("size", []) => Value::Int(m.borrow().len() as i32),
        ("isEmpty", []) => Value::Bool(m.borrow().is_empty()),
        ("get", [k]) => m.borrow().get(&key(k)).cloned().unwrap_or(Value::Null),
        ("get", [k, d]) => {
            let found = m.borrow().get(&key(k)).cloned();
            if let Some(v) = found {
                v
            } else {
                m.borrow_mut().insert(key(k), d.clone());
                d.clone()
            }
        }
        ("getOrDefault", [k, d]) => m
            .borrow()
            .get(&key(k))
            .cloned()
            .unwrap_or_else(|| d.clone()),
        ("getAt", [k]) => {
            let k = match k {
                Value::GStr(s) => Value::Str(s.clone()),
                other => other.clone(),
            };
            m.borrow().get(&Key(k)).cloned().unwrap_or(Value::Null)
        }
        ("put" | "putAt", [k, v]) => m
            .borrow_mut()
            .insert(key(k), v.clone())
            .unwrap_or(Value::Null),
        ("putIfAbsent", [k, v]) => {
            let existing = m.borrow().get(&key(k)).cloned();
            if let Some(e) = existing {
                e
            } else {
                m.borrow_mut().insert(key(k), v.clone());
                Value::Null
            }
        }
        ("putAll", [Value::Map(other)]) => {
            let other = other.borrow().clone();
            m.borrow_mut().extend(other);
            Value::Null
        }
        ("remove", [k]) => m.borrow_mut().shift_remove(&key(k)).unwrap_or(Value::Null),
        ("containsKey", [k]) => Value::Bool(m.borrow().contains_key(&key(k))),
        ("containsValue", [v]) => Value::Bool(m.borrow().values().any(|x| equals(x, v))),
        ("keySet", []) => Value::list(m.borrow().keys().map(|k| k.0.clone()).collect()),
        ("values", []) => Value::list(m.borrow().values().cloned().collect()),
        ("entrySet", []) => {
            return Some(super::iter_items(&Value::Map(m.clone())).map(Value::list));
        }
        ("clear", []) => {
            m.borrow_mut().clear();
            Value::Null
        }
        ("plus", [Value::Map(other)]) => {
            let mut out = m.borrow().clone();
            out.extend(other.borrow().iter().map(|(k, v)| (k.clone(), v.clone())));
            Value::map(out)
        }
        ("subMap", [keys]) => {
            let keys = super::iter_items(keys).ok()?;
            let src = m.borrow();
            let out: IndexMap<Key, Value> = keys
                .iter()
                .filter_map(|k| src.get(&key(k)).map(|v| (key(k), v.clone())))
                .collect();
            Value::map(out)
        }
        ("sort", []) => {
            let mut entries: Vec<(Key, Value)> = m
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            entries.sort_by(|a, b| {
                crate::eval::compare::compare(&a.0.0, &b.0.0).unwrap_or(std::cmp::Ordering::Equal)
            });
            Value::map(entries.into_iter().collect())
        }
        ("asImmutable" | "asUnmodifiable" | "clone", []) => Value::map(m.borrow().clone()),
        _ => return None,
    }))
}
