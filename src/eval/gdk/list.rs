//! `List` (and `Range`) methods that take no closure.

use std::cmp::Ordering;

use super::{int_arg, iter_items};
use crate::eval::coll::Kind;
use crate::eval::compare::{compare, equals, java_equals};
use crate::eval::flow::{Flow, R};
use crate::eval::ops::plus;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};

fn no_such_element(what: &str) -> Flow {
    Flow::exception(
        "java.util.NoSuchElementException",
        format!("Cannot access {what}() element from an empty List"),
    )
}

/// Sorts by Groovy's natural order (numbers by value, strings by code unit).
fn is_case_insensitive(v: &Value) -> bool {
    matches!(v, Value::Object(o) if matches!(&**o, crate::eval::object::Object::Util(crate::eval::classes::util::Util::CaseInsensitiveOrder)))
}

pub(super) fn natural_sort(items: &mut [Value]) {
    items.sort_by(|a, b| compare(a, b).unwrap_or(Ordering::Equal));
}

/// `sum()` without a closure.
pub(super) fn sum(items: &[Value]) -> R<Value> {
    let mut it = items.iter();
    let Some(first) = it.next() else {
        return Ok(Value::Null);
    };
    let mut acc = first.clone();
    for v in it {
        acc = plus(&acc, v)?;
    }
    Ok(acc)
}

fn flatten_into(out: &mut Vec<Value>, items: &[Value]) {
    for v in items {
        match v {
            Value::List(l) => flatten_into(out, &l.borrow()),
            Value::Range(r) => flatten_into(out, &r.items()),
            other => out.push(other.clone()),
        }
    }
}

fn unique(items: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in items {
        if !out.iter().any(|x| equals(x, v)) {
            out.push(v.clone());
        }
    }
    out
}

pub(super) fn call(recv: &Value, name: &str, args: &[Value]) -> Option<R<Value>> {
    let items = iter_items(recv).ok()?;
    if args.is_empty()
        && let Some(r) = super::combinatorics::call(&items, name)
    {
        return Some(r);
    }
    let list = match recv {
        Value::List(l) => Some(l),
        _ => None,
    };
    // `sort()` of a set gives a new list; of a list it sorts that list.
    let sorts_in_place = list.filter(|l| !l.kind().is_set());
    let mutable = |f: &dyn Fn(&mut Vec<Value>) -> R<Value>| -> R<Value> {
        match list {
            Some(l) => f(&mut *l.modify()?),
            None => Err(Flow::exception(
                "java.lang.UnsupportedOperationException",
                "",
            )),
        }
    };
    Some(Ok(match (name, args) {
        ("size", []) => Value::Int(items.len() as i32),
        ("isEmpty", []) => Value::Bool(items.is_empty()),
        ("contains", [v]) => Value::Bool(items.iter().any(|x| java_equals(x, v))),
        ("containsAll", [v]) => {
            let want = iter_items(v).ok()?;
            Value::Bool(want.iter().all(|w| items.iter().any(|x| equals(x, w))))
        }
        ("indexOf", [v]) => Value::Int(
            items
                .iter()
                .position(|x| equals(x, v))
                .map_or(-1, |i| i as i32),
        ),
        ("lastIndexOf", [v]) => Value::Int(
            items
                .iter()
                .rposition(|x| equals(x, v))
                .map_or(-1, |i| i as i32),
        ),
        ("get" | "getAt", [i]) if i.as_i64().is_some() => {
            let n = i.as_i64().unwrap_or(0);
            let len = items.len() as i64;
            let idx = if n < 0 && name == "getAt" { n + len } else { n };
            if (0..len).contains(&idx) {
                items[usize::try_from(idx).unwrap_or(0)].clone()
            } else if name == "getAt" {
                Value::Null
            } else {
                return Some(Err(Flow::exception(
                    "java.lang.IndexOutOfBoundsException",
                    format!("Index {n} out of bounds for length {len}"),
                )));
            }
        }
        ("first" | "head", []) => match items.first() {
            Some(v) => v.clone(),
            None => return Some(Err(no_such_element("first"))),
        },
        ("last", []) => match items.last() {
            Some(v) => v.clone(),
            None => return Some(Err(no_such_element("last"))),
        },
        ("tail", []) => Value::list(items.iter().skip(1).cloned().collect()),
        ("init", []) => Value::list(items[..items.len().saturating_sub(1)].to_vec()),
        ("take", [n]) => Value::list(
            items
                .iter()
                .take(usize::try_from(n.as_i64()?).unwrap_or(0))
                .cloned()
                .collect(),
        ),
        ("drop", [n]) => Value::list(
            items
                .iter()
                .skip(usize::try_from(n.as_i64()?).unwrap_or(0))
                .cloned()
                .collect(),
        ),
        ("takeRight", [n]) => {
            let n = usize::try_from(n.as_i64()?).unwrap_or(0);
            Value::list(items[items.len().saturating_sub(n)..].to_vec())
        }
        ("dropRight", [n]) => {
            let n = usize::try_from(n.as_i64()?).unwrap_or(0);
            Value::list(items[..items.len().saturating_sub(n)].to_vec())
        }
        ("join", []) => Value::string(items.iter().map(to_string).collect::<String>()),
        ("join", [sep]) => Value::string(
            items
                .iter()
                .map(to_string)
                .collect::<Vec<_>>()
                .join(&to_string(sep)),
        ),
        ("sum", []) => return Some(sum(&items)),
        ("sum", [init]) => {
            let mut all = vec![init.clone()];
            all.extend(items);
            return Some(sum(&all));
        }
        ("max" | "min", []) => {
            let mut best: Option<&Value> = None;
            for v in &items {
                best = match best {
                    None => Some(v),
                    Some(b) => {
                        let ord = compare(v, b).unwrap_or(Ordering::Equal);
                        if (name == "max" && ord.is_gt()) || (name == "min" && ord.is_lt()) {
                            Some(v)
                        } else {
                            Some(b)
                        }
                    }
                };
            }
            best.cloned().unwrap_or(Value::Null)
        }
        ("sort", []) => {
            let mut sorted = items.clone();
            natural_sort(&mut sorted);
            if let Some(l) = sorts_in_place {
                if let Err(e) = l.modify() {
                    return Some(Err(e));
                }
                l.borrow_mut().clone_from(&sorted);
                return Some(Ok(recv.clone()));
            }
            Value::list(sorted)
        }
        ("sort", [cmp] | [Value::Bool(_), cmp]) if is_case_insensitive(cmp) => {
            let mut sorted = items.clone();
            sorted.sort_by(crate::eval::classes::util::case_insensitive);
            let mutate = !matches!(args.first(), Some(Value::Bool(false)));
            if mutate && let Some(l) = sorts_in_place {
                if let Err(e) = l.modify() {
                    return Some(Err(e));
                }
                l.borrow_mut().clone_from(&sorted);
                return Some(Ok(recv.clone()));
            }
            Value::list(sorted)
        }
        ("sort", [Value::Bool(mutate)]) => {
            let mut sorted = items.clone();
            natural_sort(&mut sorted);
            if *mutate && let Some(l) = sorts_in_place {
                if let Err(e) = l.modify() {
                    return Some(Err(e));
                }
                l.borrow_mut().clone_from(&sorted);
                return Some(Ok(recv.clone()));
            }
            Value::list(sorted)
        }
        ("unique", []) => {
            let u = unique(&items);
            if let Some(l) = list {
                *l.borrow_mut() = u;
                return Some(Ok(recv.clone()));
            }
            Value::list(u)
        }
        ("unique", [Value::Bool(false)]) => Value::list(unique(&items)),
        ("toUnique", []) => Value::list(unique(&items)),
        ("reverse", []) => Value::list(items.iter().rev().cloned().collect()),
        ("flatten", []) => {
            let mut out = Vec::new();
            flatten_into(&mut out, &items);
            Value::list(out)
        }
        ("toList" | "asList" | "toArray", []) => Value::list(items),
        ("toSet", []) => Value::set(Kind::Hash, items),
        ("asUnmodifiable", []) => Value::list(unique(&items)),
        ("asImmutable", []) => Value::list_of(Kind::Unmodifiable, items),
        ("plus", [v]) => return Some(plus(recv, v)),
        ("minus", [v]) => {
            return Some(crate::eval::ops::binary(
                crate::syntax::ast::BinaryOp::Sub,
                recv,
                v,
            ));
        }
        ("intersect", [v]) => {
            // Groovy's order: the larger collection is the one picked from, the result is
            // like it, and the elements come in the order of the smaller one.
            let other = iter_items(v).ok()?;
            let (pick_from, order, like) = if items.len() < other.len() {
                (&other, &items, v)
            } else {
                (&items, &other, recv)
            };
            let common: Vec<Value> = order
                .iter()
                .filter(|x| pick_from.iter().any(|o| equals(o, x)))
                .cloned()
                .collect();
            match like {
                Value::List(l) => Value::similar(l, common),
                _ => Value::list(common),
            }
        }
        ("disjoint", [v]) => {
            let other = iter_items(v).ok()?;
            Value::Bool(!items.iter().any(|x| other.iter().any(|o| equals(o, x))))
        }
        ("count", [v]) => Value::Int(items.iter().filter(|x| equals(x, v)).count() as i32),
        ("collate", [n]) => {
            let n = usize::try_from(n.as_i64()?).unwrap_or(1).max(1);
            Value::list(items.chunks(n).map(|c| Value::list(c.to_vec())).collect())
        }
        ("subList", [a, b]) => {
            let (a, b) = (
                usize::try_from(a.as_i64()?).ok()?,
                usize::try_from(b.as_i64()?).ok()?,
            );
            if a > b || b > items.len() {
                return Some(Err(Flow::exception(
                    "java.lang.IndexOutOfBoundsException",
                    format!("toIndex = {b}"),
                )));
            }
            Value::list(items[a..b].to_vec())
        }
        ("add", [v]) if list.is_some_and(|l| l.kind().is_set()) => {
            let fresh = !items.iter().any(|x| Key(x.clone()) == Key(v.clone()));
            return Some(mutable(&|l| {
                l.push(v.clone());
                Ok(Value::Bool(fresh))
            }));
        }
        ("add" | "leftShift" | "push", [v]) => {
            return Some(mutable(&|l| {
                l.push(v.clone());
                Ok(if name == "leftShift" {
                    recv.clone()
                } else {
                    Value::Bool(true)
                })
            }));
        }
        ("add", [i, v]) => {
            let i = usize::try_from(i.as_i64()?).ok()?;
            return Some(mutable(&|l| {
                if i > l.len() {
                    return Err(Flow::exception(
                        "java.lang.IndexOutOfBoundsException",
                        format!("Index: {i}, Size: {}", l.len()),
                    ));
                }
                l.insert(i, v.clone());
                Ok(Value::Null)
            }));
        }
        ("addAll", [v]) => {
            let more = iter_items(v).ok()?;
            return Some(mutable(&|l| {
                l.extend(more.iter().cloned());
                Ok(Value::Bool(!more.is_empty()))
            }));
        }
        ("remove" | "removeAt", [i]) if i.as_i64().is_some() => {
            let i = i.as_i64()?;
            return Some(mutable(&|l| {
                let len = l.len();
                match usize::try_from(i).ok().filter(|i| *i < len) {
                    Some(i) => Ok(l.remove(i)),
                    None => Err(Flow::exception(
                        "java.lang.IndexOutOfBoundsException",
                        format!("Index {i} out of bounds for length {len}"),
                    )),
                }
            }));
        }
        ("remove" | "removeElement", [v]) => {
            return Some(mutable(
                &|l| match l.iter().position(|x| java_equals(x, v)) {
                    Some(i) => {
                        l.remove(i);
                        Ok(Value::Bool(true))
                    }
                    None => Ok(Value::Bool(false)),
                },
            ));
        }
        ("removeAll", [v]) => {
            let gone = iter_items(v).ok()?;
            return Some(mutable(&|l| {
                let before = l.len();
                l.retain(|x| !gone.iter().any(|g| equals(g, x)));
                Ok(Value::Bool(l.len() != before))
            }));
        }
        ("pop" | "removeLast", []) => {
            return Some(mutable(&|l| l.pop().ok_or_else(|| no_such_element("last"))));
        }
        ("clear", []) => {
            return Some(mutable(&|l| {
                l.clear();
                Ok(Value::Null)
            }));
        }
        ("set" | "putAt", [i, v]) => {
            let i = usize::try_from(i.as_i64()?).ok()?;
            return Some(mutable(&|l| {
                if i >= l.len() {
                    l.resize(i + 1, Value::Null);
                }
                Ok(std::mem::replace(&mut l[i], v.clone()))
            }));
        }
        ("step", [_]) => {
            let n = usize::try_from(int_arg(args, 0).ok()?).ok()?.max(1);
            Value::list(items.iter().step_by(n).cloned().collect())
        }
        ("any", []) => Value::Bool(items.iter().any(Value::truthy)),
        ("every", []) => Value::Bool(items.iter().all(Value::truthy)),
        ("findAll" | "grep", []) => {
            Value::list(items.iter().filter(|v| v.truthy()).cloned().collect())
        }
        ("find", []) => items
            .iter()
            .find(|v| v.truthy())
            .cloned()
            .unwrap_or(Value::Null),
        ("collect", []) => Value::list(items.clone()),
        ("grep", [p]) => {
            let mut out = Vec::new();
            for v in &items {
                match crate::eval::ops::is_case(p, v) {
                    Ok(true) => out.push(v.clone()),
                    Ok(false) => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            Value::list(out)
        }
        ("collectEntries", []) => {
            let mut out = indexmap::IndexMap::new();
            for v in &items {
                let pair = iter_items(v).ok()?;
                if pair.len() != 2 {
                    return None;
                }
                out.insert(crate::eval::value::Key(pair[0].clone()), pair[1].clone());
            }
            Value::map(out)
        }
        ("indexed", []) => Value::map(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (crate::eval::value::Key(Value::Int(i as i32)), v.clone()))
                .collect(),
        ),
        ("combinations", []) => {
            let lists: Vec<Vec<Value>> = items
                .iter()
                .map(|v| iter_items(v).unwrap_or_default())
                .collect();
            let mut out: Vec<Vec<Value>> = vec![Vec::new()];
            for l in &lists {
                let mut next = Vec::new();
                for item in l {
                    for prefix in &out {
                        let mut p = prefix.clone();
                        p.push(item.clone());
                        next.push(p);
                    }
                }
                out = next;
            }
            Value::list(out.into_iter().map(Value::list).collect())
        }
        ("transpose", []) => {
            let lists: Vec<Vec<Value>> = items
                .iter()
                .map(|v| iter_items(v).unwrap_or_default())
                .collect();
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            Value::list(
                (0..n)
                    .map(|i| Value::list(lists.iter().map(|l| l[i].clone()).collect()))
                    .collect(),
            )
        }
        ("encodeBase64", []) => {
            let bytes: Vec<u8> = items
                .iter()
                .map(|v| v.as_i64().unwrap_or(0) as u8)
                .collect();
            Value::string(crate::steps::base64(&bytes))
        }
        ("encodeHex", []) => {
            let bytes: Vec<u8> = items
                .iter()
                .map(|v| v.as_i64().unwrap_or(0) as u8)
                .collect();
            Value::string(crate::eval::classes::util::hex(&bytes))
        }
        ("withIndex", []) => Value::list(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| Value::list(vec![v.clone(), Value::Int(i as i32)]))
                .collect(),
        ),
        _ => return None,
    }))
}
