//! Deferred `GString`s. Groovy keeps a `GString`'s values and turns them into text each time
//! the `GString` becomes a String: `"${-> x}"` calls its closure again, and `"${list}"` shows
//! the list as it is then. A `GString` whose values are all immutable (numbers, strings, null)
//! renders the same every time, so it is rendered once when built (`Value::GStr`, the common
//! case, no slower than before); the others are a `Value::LazyGStr` holding their parts.
//!
//! The interpreter renders a lazy `GString` where Groovy turns it into a String: printing,
//! operators, built-in methods and steps (their receiver and arguments), casts to `String`,
//! subscripts and map keys. Code that only has the value (`toString` of a collection holding
//! one, `join`, `JsonOutput.toJson`) uses `text()`: values rendered now, closures as of their
//! last call; so before a method or step receives a list or map, `refresh_lazy` calls the
//! closures of the lazy `GString`s inside it, and `text()` shows them as of that use.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use super::args::CallArgs;
use super::closure::{Closure, ClosureKind};
use super::flow::R;
use super::interp::Interp;
use super::object::Object;
use super::scope::Cx;
use super::text::to_string;
use super::value::Value;
use crate::source::Span;
use crate::syntax::ast::Type;

/// A `GString` with at least one part that must be rendered at each use.
#[derive(Debug)]
pub struct LazyGString {
    pub parts: Vec<Part>,
    /// The text of each `Call` part at its last call, for `text()`.
    last: RefCell<Vec<Rc<str>>>,
}

#[derive(Debug)]
pub enum Part {
    Text(Rc<str>),
    /// A mutable value (list, map, object), shown as it is at rendering time.
    Value(Value),
    /// `${-> expr}` or a closure value without parameters: called at each rendering.
    Call(Rc<Closure>),
    /// A closure taking the writer (`${ w -> w << 'x' }`, or `${c}` with `c = { … }`): Groovy
    /// calls it with the output writer and ignores its result; we support no writer, so such a
    /// part renders as what it appended: nothing.
    Writer,
}

impl LazyGString {
    #[must_use]
    pub fn new(parts: Vec<Part>) -> LazyGString {
        let calls = parts.iter().filter(|p| matches!(p, Part::Call(_))).count();
        LazyGString {
            parts,
            last: RefCell::new(vec![Rc::from(""); calls]),
        }
    }

    /// Whether a part calls a closure at each rendering.
    #[must_use]
    pub fn calls(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Call(_)))
    }

    /// The text without calling closures: values as they are now, closures as of their last
    /// call (empty before the first).
    #[must_use]
    pub fn text(&self) -> String {
        let last = self.last.borrow();
        let mut calls = last.iter();
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Value(v) => out.push_str(&to_string(v)),
                Part::Call(_) => out.push_str(calls.next().map_or("", |t| t)),
                Part::Writer => {}
            }
        }
        out
    }
}

fn may_hold_lazy(v: &Value) -> bool {
    matches!(v, Value::LazyGStr(_) | Value::List(_) | Value::Map(_))
}

/// How an interpolated value enters a `GString`: `None` when it renders the same at every use.
#[must_use]
pub fn deferred(v: &Value) -> Option<Part> {
    match v {
        Value::List(_) | Value::Map(_) | Value::LazyGStr(_) => Some(Part::Value(v.clone())),
        Value::Object(o) if !matches!(&**o, Object::Host(_)) => Some(Part::Value(v.clone())),
        Value::Closure(c) => Some(if takes_no_argument(c) {
            Part::Call(c.clone())
        } else {
            Part::Writer
        }),
        _ => None,
    }
}

/// Whether Groovy's `getMaximumNumberOfParameters()` is 0 (`{-> x}`), so the `GString` calls the
/// closure for its value instead of handing it the writer.
fn takes_no_argument(c: &Closure) -> bool {
    match &c.kind {
        ClosureKind::Code { def, .. } => def.params.as_ref().is_some_and(Vec::is_empty),
        ClosureKind::Memoized { inner, .. } => takes_no_argument(inner),
        _ => false,
    }
}

impl Interp {
    /// Renders a lazy `GString` now, calling its closures.
    pub async fn render_gstring(&self, g: &LazyGString, span: Span, cx: &Cx) -> R<Rc<str>> {
        let mut out = String::new();
        let mut called = Vec::new();
        for part in &g.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Value(v) => out.push_str(&self.display(v, span, cx).await?),
                Part::Call(c) => {
                    let v = self.call_closure(c, Vec::new(), span, cx).await?;
                    let text = self.display(&v, span, cx).await?;
                    out.push_str(&text);
                    called.push(Rc::from(text));
                }
                Part::Writer => {}
            }
        }
        *g.last.borrow_mut() = called;
        Ok(Rc::from(out))
    }

    /// A lazy `GString` rendered into an ordinary (eager) `GString`; any other value as it is.
    pub async fn force(&self, v: Value, span: Span, cx: &Cx) -> R<Value> {
        match v {
            Value::LazyGStr(g) => Ok(Value::GStr(self.render_gstring(&g, span, cx).await?)),
            other => Ok(other),
        }
    }

    /// `force` before a cast or a typed declaration to `ty`, unless the type keeps a `GString`.
    pub async fn force_for(&self, v: Value, ty: &Type, span: Span, cx: &Cx) -> R<Value> {
        let keeps = matches!(ty.name.as_str(), "def" | "Object" | "var" | "GString");
        if keeps || !matches!(v, Value::LazyGStr(_)) {
            return Ok(v);
        }
        self.force(v, span, cx).await
    }

    /// Calls the closures of every lazy `GString` reachable from `v` (inside lists, maps and
    /// other lazy `GString`s), so that code that only has the value shows them as of this
    /// use, as Groovy renders a `GString` each time it becomes text. Free until the script
    /// makes its first `${-> …}`.
    pub async fn refresh_lazy(&self, v: &Value, span: Span, cx: &Cx) -> R<()> {
        if !self.lazy_calls.get() || !matches!(v, Value::List(_) | Value::Map(_)) {
            return Ok(());
        }
        let mut stack = vec![v.clone()];
        let mut seen: HashSet<*const ()> = HashSet::new();
        while let Some(v) = stack.pop() {
            match &v {
                Value::LazyGStr(g) if seen.insert(Rc::as_ptr(g).cast()) => {
                    self.render_gstring(g, span, cx).await?;
                    stack.extend(g.parts.iter().filter_map(|p| match p {
                        Part::Value(v) => Some(v.clone()),
                        _ => None,
                    }));
                }
                Value::List(l) if seen.insert(Rc::as_ptr(l).cast()) => {
                    stack.extend(l.borrow().iter().filter(|x| may_hold_lazy(x)).cloned());
                }
                Value::Map(m) if seen.insert(Rc::as_ptr(m).cast()) => {
                    for (k, x) in m.borrow().iter() {
                        stack.extend([&k.0, x].into_iter().filter(|x| may_hold_lazy(x)).cloned());
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `force` over the arguments of a built-in method or a step, and `refresh_lazy` over the
    /// lists and maps among them.
    pub async fn force_args(&self, mut args: CallArgs, span: Span, cx: &Cx) -> R<CallArgs> {
        if self.lazy_calls.get() {
            for v in args.positional.iter().chain(args.named.values()) {
                self.refresh_lazy(v, span, cx).await?;
            }
        }
        let lazy = |v: &Value| matches!(v, Value::LazyGStr(_));
        if !args.positional.iter().any(lazy) && !args.named.values().any(lazy) {
            return Ok(args);
        }
        for v in &mut args.positional {
            if lazy(v) {
                *v = self.force(v.clone(), span, cx).await?;
            }
        }
        for v in args.named.values_mut() {
            if lazy(v) {
                *v = self.force(v.clone(), span, cx).await?;
            }
        }
        Ok(args)
    }
}
