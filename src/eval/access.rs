//! Property and subscript access: `a.b`, `a.b = v`, `a[i]`, `a[i] = v` on every kind of
//! value, with Groovy's rules (map keys as properties, negative list indices, list property
//! spreading, `GString` subscripts read as Strings).

use std::rc::Rc;

use super::args::CallArgs;
use super::classes;
use super::flow::{Flow, R};
use super::interp::Interp;
use super::object::Object;
use super::scope::{Cx, This};
use super::text::to_string;
use super::value::{Key, Value};
use crate::source::Span;

#[cold]
fn no_property(name: &str, class: &str) -> Flow {
    Flow::exception(
        "groovy.lang.MissingPropertyException",
        format!("No such property: {name} for class: {class}"),
    )
}

fn getter(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |c| {
        format!("get{}{}", c.to_uppercase(), chars.as_str())
    })
}

impl Interp {
    pub async fn get_property(&self, obj: &Value, name: &str, span: Span, cx: &Cx) -> R<Value> {
        if let Value::LazyGStr(_) = obj {
            let obj = self.force(obj.clone(), span, cx).await?;
            return Box::pin(self.get_property(&obj, name, span, cx)).await;
        }
        let fail = |f: Flow| f.at(span);
        match obj {
            Value::Unknown(o) => Ok(Value::unknown(format!("{o}.{name}"))),
            Value::Null => Err(fail(Flow::npe(format!(
                "Cannot get property '{name}' on null object"
            )))),
            Value::Map(m) => Ok(m
                .borrow()
                .get(&Key::str(name))
                .cloned()
                .unwrap_or(Value::Null)),
            Value::Class(c) if &**c == "this" => self.lookup(name, span, cx),
            Value::Object(o) if super::pipeline::load::is_self(self, o) => {
                self.lookup(name, span, cx)
            }
            Value::Class(c) if self.classes.borrow().contains_key(&**c) => {
                let class = self.classes.borrow().get(&**c).cloned();
                let found = class
                    .as_ref()
                    .and_then(|k| k.statics.borrow().get(name).cloned());
                match (found, name) {
                    (Some(v), _) => Ok(v),
                    (None, "name" | "simpleName") => Ok(Value::str(c)),
                    _ => Err(fail(no_property(name, c))),
                }
            }
            Value::Class(c) if &**c == "binding" && name == "variables" => Ok(Value::map(
                self.binding
                    .borrow()
                    .iter()
                    .map(|(k, v)| (Key::str(k), v.clone()))
                    .collect(),
            )),
            Value::Object(o) => match &**o {
                Object::Instance { class, fields, .. } => {
                    if let Some(v) = fields.borrow().get(name) {
                        return Ok(v.clone());
                    }
                    if let Some(v) = super::superclass::throwable_property(&fields.borrow(), name) {
                        return Ok(v);
                    }
                    if class.methods.contains_key(&getter(name)) {
                        return self
                            .call_method(obj.clone(), &getter(name), CallArgs::default(), span, cx)
                            .await;
                    }
                    if name == "class" {
                        return Ok(Value::Class(Rc::from(class.name.as_str())));
                    }
                    if name == "properties" {
                        return self.bean_properties(o, class, span, cx).await;
                    }
                    if let This::Object(me) = &cx.this
                        && Rc::ptr_eq(me, o)
                    {
                        return self.lookup(name, span, cx);
                    }
                    Err(fail(no_property(name, &class.name)))
                }
                Object::Host(h) => h.get(name, cx).map_err(fail),
                _ => self.builtin_property(obj, name).map_err(fail),
            },
            Value::Exception(e)
                if !matches!(
                    name,
                    "message" | "localizedMessage" | "cause" | "stackTrace" | "class"
                ) && e.script.is_some() =>
            {
                let instance = e.script.as_ref().map(|s| Value::Object(s.instance.clone()));
                let instance = instance.unwrap_or(Value::Null);
                Box::pin(self.get_property(&instance, name, span, cx)).await
            }
            Value::List(l) if name == "length" => Ok(Value::Int(l.borrow().len() as i32)),
            Value::Closure(c) => match name {
                "maximumNumberOfParameters" => Ok(Value::Int(c.param_count() as i32)),
                "parameterTypes" => Ok(Value::list(vec![
                    Value::Class(Rc::from("java.lang.Object"));
                    c.param_count()
                ])),
                "delegate" => Ok(c.delegate.borrow().clone().unwrap_or(Value::Null)),
                "owner" | "thisObject" => Ok(super::pipeline::load::this_value(self)),
                "resolveStrategy" => Ok(Value::Int(0)),
                _ => self.builtin_property(obj, name).map_err(fail),
            },
            Value::Range(_) if matches!(name, "from" | "to" | "reverse") => {
                self.builtin_property(obj, name).map_err(fail)
            }
            Value::List(_) | Value::Range(_) if !matches!(name, "class" | "empty") => {
                let items = super::gdk::iter_items(obj)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(if item.is_null() {
                        Value::Null
                    } else {
                        Box::pin(self.get_property(&item, name, span, cx)).await?
                    });
                }
                Ok(Value::list(out))
            }
            _ => self.builtin_property(obj, name).map_err(fail),
        }
    }

    /// Bean properties of built-in values: `class`, `empty`, `message`, `key`, ….
    fn builtin_property(&self, obj: &Value, name: &str) -> R<Value> {
        if name == "class" {
            return Ok(Value::Class(Rc::from(classes::class_of(obj))));
        }
        match (obj, name) {
            (Value::Exception(e), "message" | "localizedMessage") => Ok(e.script_message()),
            (Value::Exception(e), "cause") => Ok(e.cause.clone().unwrap_or(Value::Null)),
            (Value::Exception(_), "stackTrace") => Ok(Value::list(Vec::new())),
            (Value::Object(o), _) if matches!(&**o, Object::Entry(..)) => {
                let Object::Entry(k, v) = &**o else {
                    unreachable!("matched above")
                };
                match name {
                    "key" => Ok(k.clone()),
                    "value" => Ok(v.clone()),
                    _ => Err(no_property(name, o.class_name())),
                }
            }
            (Value::Range(r), "from" | "to") => {
                let (from, to) = r.bounds();
                Ok(if name == "from" { from } else { to })
            }
            (Value::Range(r), "reverse") => Ok(Value::Bool(r.reverse)),
            (Value::Class(c), _) => classes::static_property(c, name)
                .unwrap_or_else(|| Err(no_property(name, &classes::qualified(c)))),
            _ => {
                // A bean getter: `x.empty` is `x.isEmpty()`, `x.foo` is `x.getFoo()`.
                let mut chars = name.chars();
                let cap = chars.next().map_or_else(String::new, |c| {
                    format!("{}{}", c.to_uppercase(), chars.as_str())
                });
                for m in [format!("get{cap}"), format!("is{cap}")] {
                    if let Some(r) = super::gdk::call(self, obj, &m, &[]) {
                        return r;
                    }
                }
                Err(no_property(name, &obj.class_name()))
            }
        }
    }

    pub async fn set_property(
        &self,
        obj: &Value,
        name: &str,
        v: Value,
        span: Span,
        cx: &Cx,
    ) -> R<()> {
        // `env` and the other host objects keep strings: render a lazy GString now.
        let v = match obj {
            Value::Object(o) if matches!(&**o, Object::Host(_)) => self.force(v, span, cx).await?,
            _ => v,
        };
        match obj {
            Value::Unknown(_) => Ok(()),
            Value::Null => {
                Err(Flow::npe(format!("Cannot set property '{name}' on null object")).at(span))
            }
            Value::Map(m) => {
                m.modify()
                    .map_err(|e| e.at(span))?
                    .insert(Key::str(name), v);
                Ok(())
            }
            Value::Class(c) if &**c == "this" => {
                self.assign_var(name, v, cx);
                Ok(())
            }
            Value::Object(o) if super::pipeline::load::is_self(self, o) => {
                self.assign_var(name, v, cx);
                Ok(())
            }
            Value::Class(c) if self.classes.borrow().contains_key(&**c) => {
                let class = self.classes.borrow().get(&**c).cloned();
                if let Some(k) = class {
                    k.statics.borrow_mut().insert(name.to_string(), v);
                }
                Ok(())
            }
            Value::Object(o) => match &**o {
                Object::Instance { class, fields, .. } => {
                    let mut chars = name.chars();
                    let setter = chars.next().map_or_else(String::new, |c| {
                        format!("set{}{}", c.to_uppercase(), chars.as_str())
                    });
                    if class.methods.contains_key(&setter) {
                        self.call_method(
                            obj.clone(),
                            &setter,
                            CallArgs::positional(vec![v]),
                            span,
                            cx,
                        )
                        .await?;
                        return Ok(());
                    }
                    fields.borrow_mut().insert(name.to_string(), v);
                    Ok(())
                }
                Object::Host(h) => h.set(name, v, cx).map_err(|f| f.at(span)),
                _ => {
                    // A bean setter: `fmt.timeZone = tz` is `fmt.setTimeZone(tz)`.
                    let mut chars = name.chars();
                    let setter = chars.next().map_or_else(String::new, |c| {
                        format!("set{}{}", c.to_uppercase(), chars.as_str())
                    });
                    match super::gdk::call(self, obj, &setter, std::slice::from_ref(&v)) {
                        Some(r) => r.map(|_| ()).map_err(|f| f.at(span)),
                        None => Err(no_property(name, o.class_name()).at(span)),
                    }
                }
            },
            Value::Closure(c) if name == "delegate" => {
                *c.delegate.borrow_mut() = Some(v);
                Ok(())
            }
            Value::Closure(_) if name == "resolveStrategy" => Ok(()),
            other => Err(Flow::exception(
                "groovy.lang.ReadOnlyPropertyException",
                format!(
                    "Cannot set readonly property: {name} for class: {}",
                    other.class_name()
                ),
            )
            .at(span)),
        }
    }
}

fn index_of(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let i = if i < 0 { i + len } else { i };
    if (0..len).contains(&i) {
        usize::try_from(i).ok()
    } else {
        None
    }
}

/// The `[from, to]` bounds of a range subscript, possibly reversed.
fn range_bounds(r: &super::value::Range, len: usize) -> R<(usize, usize, bool)> {
    let fix = |i: i64| if i < 0 { i + len as i64 } else { i };
    let (a, b) = (fix(r.from), fix(r.to));
    if r.empty {
        let a = usize::try_from(a).unwrap_or(0).min(len);
        return Ok((a, a, false));
    }
    let (lo, hi) = (a.min(b), a.max(b));
    if lo < 0 || hi >= len as i64 {
        return Err(Flow::exception(
            "java.lang.IndexOutOfBoundsException",
            format!("Index: {hi}, Size: {len}"),
        ));
    }
    Ok((lo as usize, hi as usize + 1, a > b))
}

/// `obj[idx]`.
pub fn get_index(obj: &Value, idx: &Value, cx: &Cx) -> R<Value> {
    match (obj, idx) {
        (Value::Unknown(o), _) => Ok(Value::unknown(format!("{o}[{}]", to_string(idx)))),
        (Value::Null, _) => Err(Flow::npe("Cannot invoke method getAt() on null object")),
        (Value::Map(m), k) => {
            let k = match k {
                Value::GStr(s) => Value::Str(s.clone()),
                other => other.clone(),
            };
            Ok(m.borrow().get(&Key(k)).cloned().unwrap_or(Value::Null))
        }
        (Value::List(_) | Value::Range(_), _) => {
            let items = super::gdk::iter_items(obj)?;
            match idx {
                Value::Range(r) => {
                    let (lo, hi, rev) = range_bounds(r, items.len())?;
                    let mut out = items[lo..hi].to_vec();
                    if rev {
                        out.reverse();
                    }
                    Ok(Value::list(out))
                }
                Value::List(l) => {
                    let mut out = Vec::new();
                    for i in l.borrow().iter() {
                        out.push(get_index(obj, i, cx)?);
                    }
                    Ok(Value::list(out))
                }
                i => match i.as_i64() {
                    Some(i) => {
                        Ok(index_of(i, items.len()).map_or(Value::Null, |i| items[i].clone()))
                    }
                    None => Err(Flow::fatal(
                        format!("unsupported: a {} subscript on a list", i.class_name()),
                        Span::default(),
                    )),
                },
            }
        }
        (Value::Str(s) | Value::GStr(s), _) => {
            let chars: Vec<char> = s.chars().collect();
            match idx {
                Value::Range(r) => {
                    let (lo, hi, rev) = range_bounds(r, chars.len()).map_err(|_| {
                        Flow::exception(
                            "java.lang.StringIndexOutOfBoundsException",
                            format!("String index out of range: {}", r.to.max(r.from)),
                        )
                    })?;
                    let mut out: Vec<char> = chars[lo..hi].to_vec();
                    if rev {
                        out.reverse();
                    }
                    Ok(Value::string(out.into_iter().collect()))
                }
                i => {
                    let n = i.as_i64().ok_or_else(|| {
                        Flow::fatal(
                            "unsupported: a non-integer subscript on a String",
                            Span::default(),
                        )
                    })?;
                    index_of(n, chars.len())
                        .map(|i| Value::string(chars[i].to_string()))
                        .ok_or_else(|| {
                            Flow::exception(
                                "java.lang.StringIndexOutOfBoundsException",
                                format!("String index out of range: {n}"),
                            )
                        })
                }
            }
        }
        (Value::Matcher(m), i) => {
            let n = i.as_i64().unwrap_or(0);
            index_of(n, m.found.len())
                .and_then(|i| m.get(i))
                .ok_or_else(|| {
                    Flow::exception(
                        "java.lang.IndexOutOfBoundsException",
                        format!(
                            "index is out of range 0..{} (index = {n})",
                            m.found.len() as i64 - 1
                        ),
                    )
                })
        }
        (Value::Object(o), _) => match &**o {
            Object::Host(h) => h.get(&to_string(idx), cx),
            Object::Instance { fields, .. } => Ok(fields
                .borrow()
                .get(&to_string(idx))
                .cloned()
                .unwrap_or(Value::Null)),
            _ => Err(Flow::unsupported_method("getAt", obj, Span::default())),
        },
        _ => Err(Flow::unsupported_method("getAt", obj, Span::default())),
    }
}

/// `obj[idx] = v`.
pub fn set_index(obj: &Value, idx: &Value, v: Value, cx: &Cx) -> R<()> {
    match obj {
        Value::Unknown(_) => Ok(()),
        Value::Null => Err(Flow::npe("Cannot invoke method putAt() on null object")),
        Value::Map(m) => {
            let k = match idx {
                Value::GStr(s) => Value::Str(s.clone()),
                other => other.clone(),
            };
            m.modify()?.insert(Key(k), v);
            Ok(())
        }
        Value::List(l) => {
            let i = idx.as_i64().ok_or_else(|| {
                Flow::fatal(
                    "unsupported: a non-integer list subscript assignment",
                    Span::default(),
                )
            })?;
            let mut l = l.modify()?;
            let len = l.len() as i64;
            let i = if i < 0 { i + len } else { i };
            if i < 0 {
                return Err(Flow::exception(
                    "java.lang.ArrayIndexOutOfBoundsException",
                    format!(
                        "Negative array index [{}] too large for array size {len}",
                        i - len
                    ),
                ));
            }
            let i = usize::try_from(i).unwrap_or(0);
            if i >= l.len() {
                l.resize(i + 1, Value::Null);
            }
            l[i] = v;
            Ok(())
        }
        Value::Object(o) => match &**o {
            Object::Host(h) => h.set(&to_string(idx), v, cx),
            Object::Instance { fields, .. } => {
                fields.borrow_mut().insert(to_string(idx), v);
                Ok(())
            }
            _ => Err(Flow::unsupported_method("putAt", obj, Span::default())),
        },
        _ => Err(Flow::unsupported_method("putAt", obj, Span::default())),
    }
}
