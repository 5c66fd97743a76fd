//! GDK methods that call a closure: `each`, `collect`, `findAll`, `inject`, `sort { }`, …
//! They are async because the closure may run pipeline steps.

use std::rc::Rc;

use indexmap::IndexMap;

use super::iter_items;
use crate::eval::closure::Closure;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::object::Object;
use crate::eval::scope::Cx;
use crate::eval::value::{Key, Value};
use crate::source::Span;

pub(super) fn entry_parts(v: &Value) -> Option<(Value, Value)> {
    match v {
        Value::Object(o) => match &**o {
            Object::Entry(k, v) => Some((k.clone(), v.clone())),
            _ => None,
        },
        _ => None,
    }
}

impl Interp {
    /// Calls `c` on one element; map entries go in as `(key, value)` when the closure takes two.
    async fn call_on(&self, c: &Rc<Closure>, item: &Value, span: Span, cx: &Cx) -> R<Value> {
        if c.param_count() == 2
            && c.explicit_params()
            && let Some((k, v)) = entry_parts(item)
        {
            return self.call_closure(c, vec![k, v], span, cx).await;
        }
        self.call_closure(c, vec![item.clone()], span, cx).await
    }

    /// A closure-taking GDK method, or `None` when `name` is not one for this receiver.
    pub async fn call_with_closure(
        &self,
        recv: &Value,
        name: &str,
        args: &[Value],
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        let closure = match args.last() {
            Some(Value::Closure(c)) => c.clone(),
            _ => return None,
        };
        if let (Value::Int(_) | Value::Long(_), "times" | "upto" | "downto" | "step") = (recv, name)
        {
            return Some(self.count_loop(recv, name, args, &closure, span, cx).await);
        }
        if let Value::Object(o) = recv
            && let Object::Util(crate::eval::classes::util::Util::Optional(v)) = &**o
        {
            return self
                .optional_with_closure(v.as_ref(), name, &closure, span, cx)
                .await;
        }
        if let (Value::Str(s) | Value::GStr(s), [pattern, _]) = (recv, args) {
            return self
                .regex_with_closure(s, name, pattern, &closure, span, cx)
                .await;
        }
        if let (Value::Map(m), "computeIfAbsent", [k, _]) = (recv, name, args) {
            let key = Key(k.clone());
            let existing = m.borrow().get(&key).cloned();
            return Some(match existing {
                Some(v) if !v.is_null() => Ok(v),
                _ => match self.call_closure(&closure, vec![k.clone()], span, cx).await {
                    Ok(v) => {
                        m.borrow_mut().insert(key, v.clone());
                        Ok(v)
                    }
                    Err(e) => Err(e),
                },
            });
        }
        if matches!(recv, Value::Str(_) | Value::GStr(_))
            && !matches!(
                name,
                "eachLine"
                    | "each"
                    | "collect"
                    | "findAll"
                    | "find"
                    | "any"
                    | "every"
                    | "eachWithIndex"
            )
        {
            return None;
        }
        if matches!(name, "with" | "tap") {
            *closure.delegate.borrow_mut() = Some(recv.clone());
            let r = self
                .call_closure(&closure, vec![recv.clone()], span, cx)
                .await;
            return Some(if name == "tap" {
                r.map(|_| recv.clone())
            } else {
                r
            });
        }
        let items = match (recv, name) {
            (Value::Str(s) | Value::GStr(s), "eachLine") => s.lines().map(Value::str).collect(),
            (Value::Str(s) | Value::GStr(s), _) => {
                s.chars().map(|c| Value::string(c.to_string())).collect()
            }
            (Value::List(_) | Value::Range(_) | Value::Map(_) | Value::Matcher(_), _) => {
                match iter_items(recv) {
                    Ok(items) => items,
                    Err(e) => return Some(Err(e)),
                }
            }
            _ => return None,
        };
        let is_map = matches!(recv, Value::Map(_));
        Some(
            self.iterate(recv, name, items, is_map, args, &closure, span, cx)
                .await,
        )
    }

    #[allow(clippy::too_many_arguments)]
    async fn iterate(
        &self,
        recv: &Value,
        name: &str,
        items: Vec<Value>,
        is_map: bool,
        args: &[Value],
        c: &Rc<Closure>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        match name {
            "each" | "eachLine" | "reverseEach" => {
                let iter: Box<dyn Iterator<Item = &Value>> = if name == "reverseEach" {
                    Box::new(items.iter().rev())
                } else {
                    Box::new(items.iter())
                };
                for (i, item) in iter.enumerate() {
                    if name == "eachLine" && c.param_count() == 2 {
                        self.call_closure(c, vec![item.clone(), Value::Int(i as i32)], span, cx)
                            .await?;
                    } else {
                        self.call_on(c, item, span, cx).await?;
                    }
                }
                Ok(recv.clone())
            }
            "eachWithIndex" => {
                for (i, item) in items.iter().enumerate() {
                    let idx = Value::Int(i as i32);
                    if is_map && c.param_count() == 3 {
                        let (k, v) = entry_parts(item).unwrap_or((Value::Null, Value::Null));
                        self.call_closure(c, vec![k, v, idx], span, cx).await?;
                    } else {
                        self.call_closure(c, vec![item.clone(), idx], span, cx)
                            .await?;
                    }
                }
                Ok(recv.clone())
            }
            "collect" | "collectMany" | "collectNested" => {
                let mut out = match args {
                    [Value::List(init), _] => init.borrow().clone(),
                    _ => Vec::new(),
                };
                for item in &items {
                    let v = self.call_on(c, item, span, cx).await?;
                    if name == "collectMany" {
                        out.extend(iter_items(&v)?);
                    } else {
                        out.push(v);
                    }
                }
                Ok(Value::list(out))
            }
            "collectEntries" => {
                let mut out = match args {
                    [Value::Map(init), _] => init.borrow().clone(),
                    _ => IndexMap::new(),
                };
                for item in &items {
                    match self.call_on(c, item, span, cx).await? {
                        Value::Map(m) => {
                            out.extend(m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())));
                        }
                        Value::List(l) if l.borrow().len() == 2 => {
                            let l = l.borrow();
                            out.insert(Key(l[0].clone()), l[1].clone());
                        }
                        other => {
                            return Err(Flow::fatal(
                                format!(
                                    "collectEntries: the closure returned a {}, not a map entry or a [key, value] pair",
                                    other.class_name()
                                ),
                                span,
                            ));
                        }
                    }
                }
                Ok(Value::map(out))
            }
            "findAll" | "grep" | "findResults" => {
                if is_map && name == "findAll" {
                    let mut out = IndexMap::new();
                    for item in &items {
                        if self.call_on(c, item, span, cx).await?.truthy()
                            && let Some((k, v)) = entry_parts(item)
                        {
                            out.insert(Key(k), v);
                        }
                    }
                    return Ok(Value::map(out));
                }
                let mut out = Vec::new();
                for item in &items {
                    let r = self.call_on(c, item, span, cx).await?;
                    if name == "findResults" {
                        if !r.is_null() {
                            out.push(r);
                        }
                    } else if r.truthy() {
                        out.push(item.clone());
                    }
                }
                Ok(match recv {
                    Value::List(l) if name == "findAll" => Value::similar(l, out),
                    _ => Value::list(out),
                })
            }
            "find" | "findResult" => {
                for item in &items {
                    let r = self.call_on(c, item, span, cx).await?;
                    if name == "findResult" && !r.is_null() {
                        return Ok(r);
                    }
                    if name == "find" && r.truthy() {
                        return Ok(item.clone());
                    }
                }
                Ok(Value::Null)
            }
            "findIndexOf" => {
                for (i, item) in items.iter().enumerate() {
                    if self.call_on(c, item, span, cx).await?.truthy() {
                        return Ok(Value::Int(i as i32));
                    }
                }
                Ok(Value::Int(-1))
            }
            "any" | "every" => {
                for item in &items {
                    let t = self.call_on(c, item, span, cx).await?.truthy();
                    if name == "any" && t {
                        return Ok(Value::Bool(true));
                    }
                    if name == "every" && !t {
                        return Ok(Value::Bool(false));
                    }
                }
                Ok(Value::Bool(name == "every"))
            }
            "count" => {
                let mut n = 0;
                for item in &items {
                    if self.call_on(c, item, span, cx).await?.truthy() {
                        n += 1;
                    }
                }
                Ok(Value::Int(n))
            }
            "inject" if is_map && c.param_count() == 3 => {
                let mut acc = args
                    .first()
                    .filter(|_| args.len() == 2)
                    .cloned()
                    .unwrap_or(Value::Null);
                for item in &items {
                    let (k, v) = entry_parts(item).unwrap_or((Value::Null, Value::Null));
                    acc = self.call_closure(c, vec![acc, k, v], span, cx).await?;
                }
                Ok(acc)
            }
            "takeWhile" | "dropWhile" => {
                let mut n = 0;
                for item in &items {
                    if !self.call_on(c, item, span, cx).await?.truthy() {
                        break;
                    }
                    n += 1;
                }
                Ok(Value::list(if name == "takeWhile" {
                    items[..n].to_vec()
                } else {
                    items[n..].to_vec()
                }))
            }
            "removeAll" | "retainAll" | "removeIf" => {
                let mut keep = Vec::new();
                let mut changed = false;
                for item in &items {
                    let hit = self.call_on(c, item, span, cx).await?.truthy();
                    if hit == (name == "retainAll") {
                        keep.push(item.clone());
                    } else {
                        changed = true;
                    }
                }
                if let Value::List(l) = recv {
                    *l.borrow_mut() = keep;
                }
                Ok(Value::Bool(changed))
            }
            "inject" => {
                let (mut acc, rest) = match args {
                    [init, _] => (init.clone(), &items[..]),
                    _ => match items.split_first() {
                        Some((first, rest)) => (first.clone(), rest),
                        None => return Ok(Value::Null),
                    },
                };
                for item in rest {
                    acc = self
                        .call_closure(c, vec![acc, item.clone()], span, cx)
                        .await?;
                }
                Ok(acc)
            }
            "sum" => {
                let mut acc: Option<Value> = match args {
                    [init, _] => Some(init.clone()),
                    _ => None,
                };
                for item in &items {
                    let v = self.call_on(c, item, span, cx).await?;
                    acc = Some(match acc {
                        None => v,
                        Some(a) => crate::eval::ops::plus(&a, &v)?,
                    });
                }
                Ok(acc.unwrap_or(Value::Null))
            }
            "groupBy" => {
                let mut out: IndexMap<Key, Value> = IndexMap::new();
                for item in &items {
                    let k = self.call_on(c, item, span, cx).await?;
                    let slot = out.entry(Key(k)).or_insert_with(|| Value::list(Vec::new()));
                    if let Value::List(l) = slot {
                        l.borrow_mut().push(item.clone());
                    }
                }
                Ok(Value::map(out))
            }
            "countBy" => {
                let mut out: IndexMap<Key, Value> = IndexMap::new();
                for item in &items {
                    let k = self.call_on(c, item, span, cx).await?;
                    let slot = out.entry(Key(k)).or_insert(Value::Int(0));
                    if let Value::Int(n) = slot {
                        *n += 1;
                    }
                }
                Ok(Value::map(out))
            }
            "split" | "split_" => {
                let (mut yes, mut no) = (Vec::new(), Vec::new());
                for item in &items {
                    if self.call_on(c, item, span, cx).await?.truthy() {
                        yes.push(item.clone());
                    } else {
                        no.push(item.clone());
                    }
                }
                Ok(Value::list(vec![Value::list(yes), Value::list(no)]))
            }
            "sort" | "max" | "min" | "unique" | "toSorted" => {
                self.ordered(recv, name, args, items, c, span, cx).await
            }
            _ => Err(Flow::unsupported_method(name, recv, span)),
        }
    }

    async fn count_loop(
        &self,
        recv: &Value,
        name: &str,
        args: &[Value],
        c: &Rc<Closure>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let from = recv.as_i64().unwrap_or(0);
        let wrap = |i: i64| {
            if matches!(recv, Value::Long(_)) {
                Value::Long(i)
            } else {
                Value::Int(i as i32)
            }
        };
        match name {
            "times" => {
                for i in 0..from {
                    self.call_closure(c, vec![wrap(i)], span, cx).await?;
                }
            }
            "upto" | "downto" => {
                let to = args.first().and_then(Value::as_i64).unwrap_or(from);
                if name == "upto" {
                    for i in from..=to {
                        self.call_closure(c, vec![wrap(i)], span, cx).await?;
                    }
                } else {
                    for i in (to..=from).rev() {
                        self.call_closure(c, vec![wrap(i)], span, cx).await?;
                    }
                }
            }
            "step" => {
                // `from.step(to, by) { }`: `to` excluded, counting down for a negative `by`.
                let to = args.first().and_then(Value::as_i64).unwrap_or(from);
                let by = args.get(1).and_then(Value::as_i64).unwrap_or(1);
                let mut i = from;
                while (by > 0 && i < to) || (by < 0 && i > to) {
                    self.call_closure(c, vec![wrap(i)], span, cx).await?;
                    i += by;
                }
            }
            _ => {}
        }
        Ok(Value::Null)
    }
}

impl Interp {}

impl Interp {}
