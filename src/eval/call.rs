//! Calls: arguments, script methods, closures, methods on values, and the order in which a
//! bare call `f(x)` is resolved (local closure, method of `this`, script method, binding
//! closure, built-in, host step).

use std::rc::Rc;

use super::args::CallArgs;
use super::closure::{Closure, ClosureKind};
use super::flow::{Flow, R};
use super::host::LocalBoxFuture;
use super::interp::Interp;
use super::object::Object;
use super::scope::{Cx, Frame, This};
use super::text::{inspect, to_string};
use super::value::{Key, Value};
use crate::source::Span;
use crate::syntax::ast::{self, Arg, Args, MapKey, Stmt, StmtKind};

/// Groovy's `MissingMethodException` message.
#[cold]
pub fn missing_method(class: &str, name: &str, args: &[Value]) -> Flow {
    let types: Vec<String> = args.iter().map(Value::class_name).collect();
    let values: Vec<String> = args.iter().map(inspect).collect();
    Flow::exception(
        "groovy.lang.MissingMethodException",
        format!(
            "No signature of method: {class}.{name}() is applicable for argument types: ({}) values: [{}]",
            types.join(", "),
            values.join(", ")
        ),
    )
}

/// A method this interpreter does not know on a JDK or GDK value. Groovy would throw
/// `MissingMethodException` for a method that does not exist, and scripts catch it, so this
/// throws one too, with Groovy's text on the first line; the second line says plainly that the
/// method may well exist in Groovy and is only missing here.
#[cold]
pub fn unknown_method(name: &str, recv: &Value, args: &[Value]) -> Flow {
    let class = recv.class_name();
    let types: Vec<String> = args.iter().map(Value::class_name).collect();
    let values: Vec<String> = args.iter().map(inspect).collect();
    Flow::exception(
        "groovy.lang.MissingMethodException",
        format!(
            "No signature of method: {class}.{name}() is applicable for argument types: ({}) values: [{}]\n\
             unsupported Groovy method {name} on {class} (not implemented by jenkinsfile, or not a Groovy method)",
            types.join(", "),
            values.join(", ")
        ),
    )
}

impl Interp {
    pub async fn eval_args(&self, args: &Args, cx: &Cx) -> R<CallArgs> {
        let mut out = CallArgs::default();
        for arg in &args.items {
            match arg {
                Arg::Positional(e) => out.positional.push(self.eval(e, cx).await?),
                Arg::Named(entry) => {
                    let value = self.eval(&entry.value, cx).await?;
                    match &entry.key {
                        MapKey::Name(n) => {
                            out.named.insert(Key::str(&n.node), value);
                        }
                        MapKey::Expr(k) => {
                            let key = self.eval(k, cx).await?;
                            // A GString key is a String by the time a step sees it.
                            let key = match key {
                                Value::GStr(s) => Value::Str(s),
                                other => other,
                            };
                            out.named.insert(Key(key), value);
                        }
                        MapKey::Spread(_) => {
                            if let Value::Map(m) = value {
                                out.named
                                    .extend(m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())));
                            }
                        }
                    }
                }
                Arg::Spread(e) => {
                    let v = self.eval(e, cx).await?;
                    out.positional
                        .extend(super::gdk::iter_items(&v).map_err(|f| f.at(e.span))?);
                }
            }
        }
        for c in &args.closures {
            out.positional.push(self.eval(c, cx).await?);
        }
        Ok(out)
    }

    /// `name(args)` with no receiver.
    pub fn call_function<'a>(
        &'a self,
        name: &'a str,
        args: CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> LocalBoxFuture<'a, R<Value>> {
        Box::pin(async move {
            if let Some(Value::Closure(c)) = cx.frame.lookup(name) {
                return self.call_closure(&c, args.into_groovy(), span, cx).await;
            }
            if let Some(script) = super::pipeline::load::callable(self, name, cx) {
                return self.call_method(script, "call", args, span, cx).await;
            }
            if let This::Object(o) = &cx.this
                && let Object::Instance { class, .. } = &**o
                && let Some(m) = self.find_method(class, name, &args)
            {
                let this = This::Object(o.clone());
                return self.invoke(&m, this, args.into_groovy(), span, cx).await;
            }
            if let This::Static(class) = &cx.this
                && let Some(m) = self.find_method(class, name, &args)
            {
                let this = This::Static(class.clone());
                return self.invoke(&m, this, args.into_groovy(), span, cx).await;
            }
            let script_method = self.methods.borrow().get(name).map(|ms| pick(ms, &args));
            if let Some(m) = script_method {
                return self
                    .invoke(&m, This::Script, args.into_groovy(), span, cx)
                    .await;
            }
            let bound = self.binding.borrow().get(name).cloned();
            if let Some(Value::Closure(c)) = bound {
                return self.call_closure(&c, args.into_groovy(), span, cx).await;
            }
            if let Some(Value::Object(o)) = &cx.delegate
                && let Object::Instance { class, .. } = &**o
                && let Some(m) = self.find_method(class, name, &args)
            {
                let this = This::Object(o.clone());
                return self.invoke(&m, this, args.into_groovy(), span, cx).await;
            }
            if let Some(v) = self.builtin(name, &args, span, cx).await {
                return v;
            }
            let args = self.force_args(args, span, cx).await?;
            if let Some(fut) = self.host.call(self, name, args.clone(), span, cx) {
                return fut.await;
            }
            Err(missing_method(&self.host.binding_class(), name, &args.into_groovy()).at(span))
        })
    }

    pub(crate) fn find_method(
        &self,
        class: &Rc<super::object::UserClass>,
        name: &str,
        args: &CallArgs,
    ) -> Option<Rc<ast::MethodDef>> {
        if let Some(ms) = class.methods.get(name) {
            return Some(pick(ms, args));
        }
        let parent = class.superclass.as_ref()?;
        let parent = self.classes.borrow().get(parent)?.clone();
        self.find_method(&parent, name, args)
    }

    /// Functions every Groovy script has.
    async fn builtin(&self, name: &str, args: &CallArgs, span: Span, cx: &Cx) -> Option<R<Value>> {
        let a = args.to_groovy();
        Some(
            match (name, a.as_slice()) {
                ("println", []) => {
                    self.host.print(cx, "\n");
                    Ok(Value::Null)
                }
                ("println", [v]) => {
                    let text = self.display(v, span, cx).await;
                    text.map(|t| {
                        self.host.print(cx, &(t + "\n"));
                        Value::Null
                    })
                }
                ("print", [v]) => {
                    let text = self.display(v, span, cx).await;
                    text.map(|t| {
                        self.host.print(cx, &t);
                        Value::Null
                    })
                }
                ("printf", [fmt, rest @ ..]) => {
                    super::format::format(&to_string(fmt), &flatten_varargs(rest)).map(|t| {
                        self.host.print(cx, &t);
                        Value::Null
                    })
                }
                ("sprintf", [fmt, rest @ ..]) => {
                    super::format::format(&to_string(fmt), &flatten_varargs(rest))
                        .map(Value::string)
                }
                _ => return None,
            }
            .map_err(|f| f.at(span)),
        )
    }

    /// Runs a script or class method.
    pub async fn invoke(
        &self,
        m: &Rc<ast::MethodDef>,
        this: This,
        args: Vec<Value>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let Some(body) = &m.body else {
            return Err(Flow::fatal(
                format!("method {} has no body", m.name.node),
                span,
            ));
        };
        let frame = Frame::root();
        let inner = Cx {
            frame,
            this,
            delegate: None,
            dynamic: cx.dynamic.clone(),
        };
        self.bind_super(m, &inner.this, &inner);
        self.bind_params(&m.params, args, &inner, span).await?;
        self.enter(span)?;
        let result = self.exec_value(&body.stmts, &inner).await;
        self.depth.set(self.depth.get() - 1);
        match result {
            Ok(v) | Err(Flow::Return(v)) => Ok(match &m.ret {
                Some(t) if t.name != "void" && t.name != "def" => {
                    super::cast::cast(&v, t, false).map_err(|f| f.at(span))?
                }
                Some(_) if m.ret.as_ref().is_some_and(|t| t.name == "void") => Value::Null,
                _ => v,
            }),
            Err(other) => Err(other),
        }
    }

    pub(crate) fn enter(&self, span: Span) -> R<()> {
        let d = self.depth.get() + 1;
        if d > self.max_depth.get() {
            // Java's has no message: `toString()` is the bare class name.
            let error = super::exception::Exception::new("java.lang.StackOverflowError", None);
            return Err(Flow::Throw(Rc::new(error)).at(span));
        }
        self.depth.set(d);
        Ok(())
    }

    async fn bind_params(
        &self,
        params: &[ast::Param],
        mut args: Vec<Value>,
        cx: &Cx,
        span: Span,
    ) -> R<()> {
        let required = params
            .iter()
            .filter(|p| p.default.is_none() && !p.vararg)
            .count();
        let mut optional_left = args.len().saturating_sub(required);
        // Groovy packs surplus arguments into a trailing varargs parameter.
        if let Some(last) = params.last()
            && last.vararg
        {
            let fixed = params.len() - 1;
            let rest = if args.len() > fixed {
                args.split_off(fixed)
            } else {
                Vec::new()
            };
            args.push(Value::list(rest));
        }
        let mut it = args.into_iter();
        for p in params {
            let v = if p.default.is_some() && !p.vararg {
                if optional_left > 0 {
                    optional_left -= 1;
                    it.next().unwrap_or(Value::Null)
                } else if let Some(d) = &p.default {
                    self.eval(d, cx).await?
                } else {
                    Value::Null
                }
            } else {
                match it.next() {
                    Some(v) => v,
                    None => {
                        return Err(Flow::exception(
                            "groovy.lang.MissingMethodException",
                            format!("missing argument `{}`", p.name.node),
                        )
                        .at(span));
                    }
                }
            };
            let v = match &p.ty {
                Some(t) if !p.vararg => {
                    let v = self.force_for(v, t, span, cx).await?;
                    super::cast::cast(&v, t, false).map_err(|f| f.at(span))?
                }
                _ => v,
            };
            cx.frame.declare(&p.name.node, v);
        }
        Ok(())
    }

    /// Runs statements and yields the value of the last one, as a method or closure body
    /// without `return` does.
    pub fn exec_value<'a>(&'a self, stmts: &'a [Stmt], cx: &'a Cx) -> LocalBoxFuture<'a, R<Value>> {
        Box::pin(async move {
            let Some((last, init)) = stmts.split_last() else {
                return Ok(Value::Null);
            };
            let mut early: Option<super::stmt::Early> = None;
            for s in init {
                if self.host.plans_both_branches() {
                    // Planning: after an `if` one of whose sides returned, the rest is planned
                    // under the other side's condition.
                    let now = early.as_ref().map_or(cx, |e| &e.rest);
                    match self.plan_stmt(s, now).await {
                        Ok(Some(e)) => early = Some(e),
                        Ok(None) => {}
                        Err(Flow::Return(v)) => {
                            return Err(Flow::Return(super::stmt::either(early.as_ref(), v)));
                        }
                        Err(other) => return Err(other),
                    }
                } else {
                    self.exec_stmt(s, cx, None).await?;
                }
            }
            let cx = early.as_ref().map_or(cx, |e| &e.rest);
            let value = match &last.node {
                StmtKind::Expr(e) => self.eval(e, cx).await,
                StmtKind::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    let c = self.eval(cond, cx).await?;
                    if let Value::Unknown(origin) = &c
                        && self.host.plans_both_branches()
                    {
                        self.plan_both(origin, then, otherwise.as_deref(), cx)
                            .await?;
                        Ok(Value::unknown(format!("if <{origin}>")))
                    } else if c.truthy() {
                        self.exec_value(std::slice::from_ref(then), cx).await
                    } else if let Some(o) = otherwise {
                        self.exec_value(std::slice::from_ref(o), cx).await
                    } else {
                        Ok(Value::Null)
                    }
                }
                StmtKind::Block(b) => {
                    let inner = cx.with_frame(Frame::child(&cx.frame));
                    self.exec_value(&b.stmts, &inner).await
                }
                StmtKind::Try {
                    body,
                    catches,
                    finally,
                } => self.exec_try(body, catches, finally.as_ref(), cx).await,
                _ => self.exec_stmt(last, cx, None).await.map(|()| Value::Null),
            };
            match value {
                Ok(v) if early.is_some() => Ok(super::stmt::either(early.as_ref(), v)),
                Err(Flow::Return(v)) if early.is_some() => {
                    Err(Flow::Return(super::stmt::either(early.as_ref(), v)))
                }
                other => other,
            }
        })
    }

    /// Calls a closure with Groovy's argument rules: implicit `it`, and a single list argument
    /// spread over several parameters.
    pub fn call_closure<'a>(
        &'a self,
        c: &'a Rc<Closure>,
        args: Vec<Value>,
        span: Span,
        cx: &'a Cx,
    ) -> LocalBoxFuture<'a, R<Value>> {
        Box::pin(async move {
            match &c.kind {
                ClosureKind::Method { target, name } => match target {
                    Some(t) => {
                        self.call_method(t.clone(), name, CallArgs::positional(args), span, cx)
                            .await
                    }
                    None => {
                        self.call_function(name, CallArgs::positional(args), span, cx)
                            .await
                    }
                },
                ClosureKind::Curried {
                    inner,
                    args: bound,
                    at,
                } => {
                    self.call_closure(inner, at.place(bound, args), span, cx)
                        .await
                }
                ClosureKind::Memoized { inner, cache } => {
                    let hit = cache.borrow().iter().find_map(|(key, v)| {
                        (key.len() == args.len()
                            && key
                                .iter()
                                .zip(&args)
                                .all(|(a, b)| super::compare::equals(a, b)))
                        .then(|| v.clone())
                    });
                    if let Some(v) = hit {
                        return Ok(v);
                    }
                    let v = self.call_closure(inner, args.clone(), span, cx).await?;
                    cache.borrow_mut().push((args, v.clone()));
                    Ok(v)
                }
                ClosureKind::Composed { first, then } => {
                    let v = self.call_closure(first, args, span, cx).await?;
                    self.call_closure(then, vec![v], span, cx).await
                }
                ClosureKind::Native(body) => (body.0)(cx.clone()).await,
                ClosureKind::Code { def, frame, this } => {
                    // A closure of a `load`ed script runs in that script: its methods.
                    if let Some(owner) = super::pipeline::load::owner_of(self, def) {
                        return super::pipeline::load::call_in(&owner, c, args, span, cx).await;
                    }
                    let inner = Cx {
                        frame: Frame::child(frame),
                        this: this.clone(),
                        delegate: c.delegate.borrow().clone(),
                        dynamic: cx.dynamic.clone(),
                    };
                    match &def.params {
                        None => {
                            let it = match args.len() {
                                0 => Value::Null,
                                1 => args.into_iter().next().unwrap_or(Value::Null),
                                _ => {
                                    return Err(missing_method(
                                        "Script1$_run_closure",
                                        "call",
                                        &args,
                                    )
                                    .at(span));
                                }
                            };
                            inner.frame.declare("it", it);
                        }
                        Some(params) => {
                            let args = if params.len() > 1
                                && args.len() == 1
                                && let Value::List(l) = &args[0]
                            {
                                l.borrow().clone()
                            } else {
                                args
                            };
                            let max = params.len();
                            let min = params.iter().filter(|p| p.default.is_none()).count();
                            if args.len() > max && !params.last().is_some_and(|p| p.vararg)
                                || args.len() < min
                            {
                                return Err(missing_method(
                                    "Script1$_run_closure",
                                    "doCall",
                                    &args,
                                )
                                .at(span));
                            }
                            self.bind_params(params, args, &inner, span).await?;
                        }
                    }
                    // `call(…)` inside a closure calls the closure itself.
                    inner.frame.declare("call", Value::Closure(c.clone()));
                    self.enter(span)?;
                    let r = self.exec_value(&def.body, &inner).await;
                    self.depth.set(self.depth.get() - 1);
                    match r {
                        Ok(v) | Err(Flow::Return(v)) => Ok(v),
                        Err(other) => Err(other),
                    }
                }
            }
        })
    }
}

/// The overload whose parameter count fits the arguments best.
pub(crate) fn pick(ms: &[Rc<ast::MethodDef>], args: &CallArgs) -> Rc<ast::MethodDef> {
    let n = args.positional.len() + usize::from(!args.named.is_empty());
    let groovy = args.to_groovy();
    // Overloads by parameter type: the first whose declared types all accept the arguments,
    // preferring specific types over `Object`/`def`.
    if ms.len() > 1 {
        let typed = |m: &&Rc<ast::MethodDef>, strict: bool| {
            m.params.len() == groovy.len()
                && m.params.iter().zip(&groovy).all(|(p, v)| match &p.ty {
                    None => !strict,
                    Some(t) if t.name == "Object" || t.name == "def" => !strict,
                    Some(t) => v.is_null() || super::classes::instance_of(v, &t.name),
                })
        };
        if let Some(m) = ms
            .iter()
            .find(|m| typed(m, true))
            .or_else(|| ms.iter().find(|m| typed(m, false)))
        {
            return m.clone();
        }
    }
    ms.iter()
        .find(|m| {
            let max = m.params.len();
            let min = m
                .params
                .iter()
                .filter(|p| p.default.is_none() && !p.vararg)
                .count();
            (min..=max).contains(&n) || m.params.last().is_some_and(|p| p.vararg) && n >= min
        })
        .unwrap_or(&ms[0])
        .clone()
}

/// `printf(fmt, a, b)` and `printf(fmt, [a, b] as Object[])` both pass a list of values.
fn flatten_varargs(rest: &[Value]) -> Vec<Value> {
    match rest {
        [Value::List(l)] => l.borrow().clone(),
        other => other.to_vec(),
    }
}
