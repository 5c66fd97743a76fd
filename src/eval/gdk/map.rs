//! `Map` methods that take no closure.

use indexmap::IndexMap;

use crate::eval::coll::Kind;
use crate::eval::compare::{compare, equals};
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
                if let Err(e) = m.modify() {
                    return Some(Err(e));
                }
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
        ("put" | "putAt", [k, v]) => match m.modify() {
            Ok(mut entries) => entries.insert(key(k), v.clone()).unwrap_or(Value::Null),
            Err(e) => return Some(Err(e)),
        },
        ("putIfAbsent", [k, v]) => {
            let existing = m.borrow().get(&key(k)).cloned();
            if let Some(e) = existing {
                e
            } else {
                if let Err(e) = m.modify() {
                    return Some(Err(e));
                }
                m.borrow_mut().insert(key(k), v.clone());
                Value::Null
            }
        }
        ("putAll", [Value::Map(other)]) => {
            let other = other.borrow().clone();
            match m.modify() {
                Ok(mut entries) => entries.extend(other),
                Err(e) => return Some(Err(e)),
            }
            Value::Null
        }
        ("remove", [k]) => match m.modify() {
            Ok(mut entries) => entries.shift_remove(&key(k)).unwrap_or(Value::Null),
            Err(e) => return Some(Err(e)),
        },
        ("containsKey", [k]) => Value::Bool(m.borrow().contains_key(&key(k))),
        ("containsValue", [v]) => Value::Bool(m.borrow().values().any(|x| equals(x, v))),
        ("keySet", []) => Value::list(m.borrow().keys().map(|k| k.0.clone()).collect()),
        ("values", []) => Value::list(m.borrow().values().cloned().collect()),
        ("entrySet", []) => {
            return Some(super::iter_items(&Value::Map(m.clone())).map(Value::list));
        }
        ("clear", []) => {
            match m.modify() {
                Ok(mut entries) => entries.clear(),
                Err(e) => return Some(Err(e)),
            }
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
        ("asImmutable" | "asUnmodifiable", []) => {
            Value::map_of(Kind::Unmodifiable, m.borrow().clone())
        }
        ("clone", []) => Value::map(m.borrow().clone()),
        _ if m.kind() == Kind::Tree => return sorted(m, name, args),
        _ if m.kind() == Kind::Props => return properties(m, name, args),
        _ => return None,
    }))
}

/// `SortedMap`/`NavigableMap` methods of a `TreeMap`, whose entries are kept in key order.
fn sorted(m: &Map, name: &str, args: &[Value]) -> Option<R<Value>> {
    let entries = m.borrow();
    let below = |k: &Value, inclusive: bool| {
        entries
            .iter()
            .filter(|(key, _)| {
                compare(&key.0, k).is_some_and(|o| o.is_lt() || (inclusive && o.is_eq()))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<IndexMap<Key, Value>>()
    };
    let at_least = |k: &Value, inclusive: bool| {
        entries
            .iter()
            .filter(|(key, _)| {
                compare(&key.0, k).is_some_and(|o| o.is_gt() || (inclusive && o.is_eq()))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<IndexMap<Key, Value>>()
    };
    let no_such = || {
        Err(crate::eval::flow::Flow::exception(
            "java.util.NoSuchElementException",
            "",
        ))
    };
    let tree = |e: IndexMap<Key, Value>| Value::map_of(Kind::Tree, e);
    Some(match (name, args) {
        ("firstKey", []) => entries
            .first()
            .map(|(k, _)| k.0.clone())
            .map_or_else(no_such, Ok),
        ("lastKey", []) => entries
            .last()
            .map(|(k, _)| k.0.clone())
            .map_or_else(no_such, Ok),
        ("headMap", [k]) => Ok(tree(below(k, false))),
        ("headMap", [k, Value::Bool(inclusive)]) => Ok(tree(below(k, *inclusive))),
        ("tailMap", [k]) => Ok(tree(at_least(k, true))),
        ("tailMap", [k, Value::Bool(inclusive)]) => Ok(tree(at_least(k, *inclusive))),
        ("subMap", [from, to]) => {
            let low = at_least(from, true);
            Ok(tree(
                low.into_iter()
                    .filter(|(k, _)| compare(&k.0, to).is_some_and(std::cmp::Ordering::is_lt))
                    .collect(),
            ))
        }
        ("descendingMap", []) => Ok(Value::map(
            entries
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )),
        ("floorKey" | "lowerKey", [k]) => Ok(below(k, name == "floorKey")
            .last()
            .map_or(Value::Null, |(k, _)| k.0.clone())),
        ("ceilingKey" | "higherKey", [k]) => Ok(at_least(k, name == "ceilingKey")
            .first()
            .map_or(Value::Null, |(k, _)| k.0.clone())),
        _ => return None,
    })
}

/// `java.util.Properties`: `load` from a reader or string, `getProperty` with a default.
fn properties(m: &Map, name: &str, args: &[Value]) -> Option<R<Value>> {
    Some(Ok(match (name, args) {
        ("load", [source]) => {
            let text = match source {
                Value::Object(o) => match &**o {
                    crate::eval::object::Object::Util(
                        crate::eval::classes::util::Util::StringReader(t),
                    ) => t.clone(),
                    _ => return None,
                },
                other => crate::eval::text::to_string(other),
            };
            let mut entries = m.borrow_mut();
            for (k, v) in crate::steps::parse_properties(&text) {
                entries.insert(Key::str(&k), Value::string(v));
            }
            Value::Null
        }
        ("getProperty", [k]) => m.borrow().get(&key(k)).cloned().unwrap_or(Value::Null),
        ("getProperty", [k, d]) => m
            .borrow()
            .get(&key(k))
            .cloned()
            .unwrap_or_else(|| d.clone()),
        ("setProperty", [k, v]) => m
            .borrow_mut()
            .insert(key(k), v.clone())
            .unwrap_or(Value::Null),
        // `Hashtable.toString`, unlike Groovy's printing of maps: `{a=1, b=2}`.
        ("toString", []) => {
            let entries = m.borrow();
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let text = |x: &Value| crate::eval::text::to_string(x);
                    format!("{}={}", text(&k.0), text(v))
                })
                .collect();
            Value::string(format!("{{{}}}", parts.join(", ")))
        }
        ("stringPropertyNames" | "propertyNames", []) => {
            Value::set(Kind::Hash, m.borrow().keys().map(|k| k.0.clone()).collect())
        }
        _ => return None,
    }))
}
