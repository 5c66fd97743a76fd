//! `recv.name(args)`: methods of script objects, closures held in maps and fields, enum and
//! `binding` helpers, class statics, then the closure-taking and plain GDK methods.

use std::cell::RefCell;
use std::rc::Rc;

use super::args::CallArgs;
use super::call::missing_method;
use super::closure::{Closure, ClosureKind, CurryAt};
use super::flow::{Flow, R};
use super::host::LocalBoxFuture;
use super::interp::Interp;
use super::object::Object;
use super::scope::{Cx, This};
use super::text::to_string;
use super::value::{Key, Value};
use crate::source::Span;

impl Interp {
    /// `recv.name(args)`.
    pub fn call_method<'a>(
        &'a self,
        recv: Value,
        name: &'a str,
        args: CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> LocalBoxFuture<'a, R<Value>> {
        Box::pin(async move {
            let recv = self.force(recv, span, cx).await?;
            self.refresh_lazy(&recv, span, cx).await?;
            match &recv {
                Value::Unknown(o) => {
                    if self.host.plans_both_branches()
                        && let Some(r) = self
                            .plan_per_element(o, name, &args.positional, span, cx)
                            .await
                    {
                        return r;
                    }
                    // `myLib.deploy(…)` on a shared library's global: a planned step.
                    if let Some(r) = self.host.plan_method_call(o, name, &args, span, cx) {
                        return r;
                    }
                    // The arguments stay in the placeholder: `<stdout of sh#1.replace('-', '_')>`.
                    let shown = |v: &Value| match v {
                        Value::Closure(_) => "{ … }".to_string(),
                        other => super::text::inspect(other),
                    };
                    let shown: Vec<String> = args
                        .named
                        .iter()
                        .map(|(k, v)| format!("{}: {}", to_string(&k.0), shown(v)))
                        .chain(args.positional.iter().map(shown))
                        .collect();
                    return Ok(Value::unknown(format!("{o}.{name}({})", shown.join(", "))));
                }
                Value::Null => {
                    return match name {
                        "toString" | "inspect" => Ok(Value::str("null")),
                        "equals" => Ok(Value::Bool(
                            args.positional.first().is_none_or(Value::is_null),
                        )),
                        // The GDK iterates null as an empty collection (`NullObject.iterator()`),
                        // so these do not throw; their closure is never called.
                        "collect" | "findAll" => Ok(Value::list(Vec::new())),
                        "each" | "eachWithIndex" | "find" => Ok(Value::Null),
                        "any" => Ok(Value::Bool(false)),
                        "every" => Ok(Value::Bool(true)),
                        _ => Err(Flow::npe(format!(
                            "Cannot invoke method {name}() on null object"
                        ))
                        .at(span)),
                    };
                }
                Value::Class(c) if &**c == "binding" => {
                    let a = args.into_groovy();
                    let key = a.first().map(to_string).unwrap_or_default();
                    return match (name, a.len()) {
                        ("hasVariable", 1) => {
                            Ok(Value::Bool(self.binding.borrow().contains_key(&key)))
                        }
                        ("getVariable", 1) => {
                            self.binding.borrow().get(&key).cloned().ok_or_else(|| {
                                Flow::exception(
                                    "groovy.lang.MissingPropertyException",
                                    format!(
                                        "No such property: {key} for class: groovy.lang.Binding"
                                    ),
                                )
                                .at(span)
                            })
                        }
                        ("setVariable", 2) => {
                            self.binding.borrow_mut().insert(key, a[1].clone());
                            Ok(Value::Null)
                        }
                        _ => Err(Flow::unsupported_method(
                            name,
                            &Value::Class(c.clone()),
                            span,
                        )),
                    };
                }
                Value::Class(c) if &**c == "this" => {
                    return self.call_function(name, args, span, cx).await;
                }
                Value::Object(o) if super::pipeline::load::is_self(self, o) => {
                    if let Some(v) = super::pipeline::load::object_method(o, name, &args) {
                        return Ok(v);
                    }
                    return self.call_function(name, args, span, cx).await;
                }
                Value::Class(c) if &**c == "out" && matches!(name, "println" | "print") => {
                    return self.call_function(name, args, span, cx).await;
                }
                Value::Class(c) => {
                    let user = self.classes.borrow().get(&**c).cloned();
                    if let Some(class) = user {
                        if class.is_enum {
                            let constants: Vec<Value> =
                                class.statics.borrow().values().cloned().collect();
                            match (name, args.positional.as_slice()) {
                                ("values", []) => return Ok(Value::list(constants)),
                                ("valueOf", [v]) => {
                                    let key = to_string(v);
                                    return class.statics.borrow().get(&key).cloned().ok_or_else(
                                        || {
                                            Flow::exception(
                                                "java.lang.IllegalArgumentException",
                                                format!("No enum constant {}.{key}", class.name),
                                            )
                                            .at(span)
                                        },
                                    );
                                }
                                _ => {}
                            }
                        }
                        if let Some(m) = self.find_method(&class, name, &args) {
                            let this = This::Static(class.clone());
                            return self.invoke(&m, this, args.into_groovy(), span, cx).await;
                        }
                        if args.positional.is_empty()
                            && let Some(v) = super::classes::class_method(&class.name, name)
                        {
                            return Ok(v);
                        }
                        return Err(missing_method(&class.name, name, &args.into_groovy()).at(span));
                    }
                    let a = self.force_args(args, span, cx).await?.into_groovy();
                    return super::classes::call_static(self, c, name, &a)
                        .unwrap_or_else(|| {
                            Err(missing_method(&super::classes::qualified(c), name, &a))
                        })
                        .map_err(|f| f.at(span));
                }
                Value::Object(o) if matches!(&**o, Object::Host(_)) => {
                    // Host objects (`env`, `currentBuild`) see the caller's branch state.
                    if let Object::Host(h) = &**o {
                        let args = self.force_args(args.clone(), span, cx).await?;
                        if let Some(running) = h.call_async(self, name, &args, span, cx) {
                            return running.await.map_err(|f| f.at(span));
                        }
                        let a = args.to_groovy();
                        if let Some(r) = h.call(name, &a, cx) {
                            return r.map_err(|f| f.at(span));
                        }
                    }
                }
                Value::Object(o) => {
                    if let Object::Instance { class, fields, .. } = &**o {
                        if let Some(m) = self.find_method(class, name, &args) {
                            return self
                                .invoke(&m, This::Object(o.clone()), args.into_groovy(), span, cx)
                                .await;
                        }
                        let held = fields.borrow().get(name).cloned();
                        if let Some(Value::Closure(c)) = held {
                            return self.call_closure(&c, args.into_groovy(), span, cx).await;
                        }
                        if class.is_enum
                            && args.positional.is_empty()
                            && matches!(name, "name" | "ordinal" | "toString")
                        {
                            let key = if name == "ordinal" { "ordinal" } else { "name" };
                            return Ok(fields.borrow().get(key).cloned().unwrap_or(Value::Null));
                        }
                        // Generated accessors of properties: `getX()`, `isX()`, `setX(v)`.
                        if let Some(prop) = accessor(name, &["get", "is"])
                            && args.positional.is_empty()
                            && let Some(v) = fields.borrow().get(&prop).cloned()
                        {
                            return Ok(v);
                        }
                        if let Some(prop) = accessor(name, &["set"])
                            && args.positional.len() == 1
                            && fields.borrow().contains_key(&prop)
                        {
                            fields.borrow_mut().insert(prop, args.positional[0].clone());
                            return Ok(Value::Null);
                        }
                    }
                }
                Value::Exception(e) => {
                    // A method of a script class that extends a throwable.
                    if let Some(s) = &e.script
                        && let Object::Instance { class, .. } = &*s.instance
                        && let Some(m) = self.find_method(class, name, &args)
                    {
                        let this = This::Object(s.instance.clone());
                        return self.invoke(&m, this, args.into_groovy(), span, cx).await;
                    }
                }
                Value::Map(m) => {
                    let held = m.borrow().get(&Key::str(name)).cloned();
                    if let Some(Value::Closure(c)) = held {
                        return self.call_closure(&c, args.into_groovy(), span, cx).await;
                    }
                }
                Value::Closure(c) => match name {
                    "call" | "doCall" => {
                        return self.call_closure(c, args.into_groovy(), span, cx).await;
                    }
                    "setDelegate" => {
                        *c.delegate.borrow_mut() = args.positional.first().cloned();
                        return Ok(Value::Null);
                    }
                    "setResolveStrategy" => return Ok(Value::Null),
                    "curry" | "rcurry" | "ncurry" | "memoize" => {
                        let a = args.into_groovy();
                        let kind = match name {
                            "memoize" => ClosureKind::Memoized {
                                inner: c.clone(),
                                cache: RefCell::new(Vec::new()),
                            },
                            "ncurry" => {
                                let n = a.first().and_then(Value::as_i64).unwrap_or(0);
                                ClosureKind::Curried {
                                    inner: c.clone(),
                                    args: a.iter().skip(1).cloned().collect(),
                                    at: CurryAt::Index(usize::try_from(n).unwrap_or(0)),
                                }
                            }
                            _ => ClosureKind::Curried {
                                inner: c.clone(),
                                args: a,
                                at: if name == "rcurry" {
                                    CurryAt::Right
                                } else {
                                    CurryAt::Left
                                },
                            },
                        };
                        return Ok(Value::Closure(Rc::new(Closure {
                            id: self.next_id(),
                            kind,
                            delegate: RefCell::new(None),
                        })));
                    }
                    _ => {}
                },
                _ => {}
            }
            let a = self.force_args(args, span, cx).await?.into_groovy();
            if name == "withDefault"
                && let (Value::Map(m), [Value::Closure(c)]) = (&recv, a.as_slice())
            {
                self.set_map_default(m, c.clone());
                return Ok(recv.clone());
            }
            if let Some(r) = self.list_user_equality(&recv, name, &a, span, cx).await {
                return r.map_err(|f| f.at(span));
            }
            if let Some(r) = self.sort_comparable(&recv, name, &a, span, cx).await {
                return r.map_err(|f| f.at(span));
            }
            if let Some(r) = self.call_with_closure(&recv, name, &a, span, cx).await {
                return r.map_err(|f| f.at(span));
            }
            match super::gdk::call(self, &recv, name, &a) {
                Some(r) => r.map_err(|f| f.at(span)),
                None => Err(match &recv {
                    Value::Object(o) if matches!(&**o, Object::Instance { .. }) => {
                        missing_method(o.class_name(), name, &a).at(span)
                    }
                    _ => super::call::unknown_method(name, &recv, &a).at(span),
                }),
            }
        })
    }
}

/// `getFoo` → `foo` for the given prefixes.
fn accessor(name: &str, prefixes: &[&str]) -> Option<String> {
    let rest = prefixes.iter().find_map(|p| name.strip_prefix(p))?;
    let mut chars = rest.chars();
    let first = chars.next()?;
    first
        .is_uppercase()
        .then(|| first.to_lowercase().collect::<String>() + chars.as_str())
}
