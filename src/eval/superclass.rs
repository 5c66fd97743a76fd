//! `super` in the methods of script classes: `super(args)` in a constructor and
//! `super.method(args)`, resolved against the parent of the class that declares the running
//! method (not of the instance's class, so a chain of three classes works). A script class may
//! extend a JDK throwable (`class DeployException extends RuntimeException`): `super(msg)`
//! then gives the exception its message and cause, and `new` yields an exception that `throw`,
//! `catch (DeployException e)` and `e.message` understand, with the instance's own fields.

use std::rc::Rc;

use super::args::CallArgs;
use super::call::pick;
use super::exception::{Exception, ScriptThrowable};
use super::flow::{Flow, R};
use super::interp::Interp;
use super::object::{Object, UserClass};
use super::scope::{Cx, This};
use super::value::Value;
use crate::source::Span;
use crate::syntax::ast;

/// The frame slot that names the parent of the class declaring the running method; not a
/// name a script can write.
const SUPER_SLOT: &str = "\0super";
/// Instance fields that hold what `super(…)` gave a JDK throwable until `new` ends.
const MESSAGE_SLOT: &str = "\0message";
const CAUSE_SLOT: &str = "\0cause";

/// `message` or `cause` of an instance whose constructor called a JDK throwable's `super(…)`.
pub(crate) fn throwable_property(
    fields: &indexmap::IndexMap<String, Value>,
    name: &str,
) -> Option<Value> {
    match name {
        "message" => fields.get(MESSAGE_SLOT).cloned(),
        "cause" => fields.get(CAUSE_SLOT).cloned(),
        _ => None,
    }
}

impl Interp {
    /// The script classes from `class` up through its script superclasses.
    pub(crate) fn class_chain(&self, class: &Rc<UserClass>) -> Vec<Rc<UserClass>> {
        let mut chain = vec![class.clone()];
        while let Some(parent) = chain.last().and_then(|c| c.superclass.clone()) {
            match self.classes.borrow().get(&parent) {
                Some(p) if !chain.iter().any(|c| Rc::ptr_eq(c, p)) => chain.push(p.clone()),
                _ => break,
            }
        }
        chain
    }

    /// Records, in the frame of a method about to run on `this`, the parent of the class
    /// that declares it, for `super`.
    pub(crate) fn bind_super(&self, m: &Rc<ast::MethodDef>, this: &This, cx: &Cx) {
        let This::Object(o) = this else { return };
        let Object::Instance { class, .. } = &**o else {
            return;
        };
        let declaring = self.class_chain(class).into_iter().find(|c| {
            c.methods
                .values()
                .any(|ms| ms.iter().any(|x| Rc::ptr_eq(x, m)))
        });
        if let Some(parent) = declaring.and_then(|c| c.superclass.clone()) {
            cx.frame
                .declare(SUPER_SLOT, Value::Class(Rc::from(parent.as_str())));
        }
    }

    /// `super(args)` (`name` is `None`) or `super.name(args)`.
    pub(crate) async fn call_super(
        &self,
        name: Option<&str>,
        args: CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let (Some(Value::Class(parent)), This::Object(obj)) =
            (cx.frame.lookup(SUPER_SLOT), &cx.this)
        else {
            return Err(Flow::fatal(
                "unsupported: `super` outside a method of a class that extends another",
                span,
            ));
        };
        let user = self.classes.borrow().get(&*parent).cloned();
        let this = This::Object(obj.clone());
        match (user, name) {
            (Some(p), None) => match p.methods.get(&p.name) {
                Some(ctors) => {
                    let ctor = pick(ctors, &args);
                    self.invoke(&ctor, this, args.into_groovy(), span, cx)
                        .await
                        .map(|_| Value::Null)
                }
                None if args.positional.is_empty() && args.named.is_empty() => Ok(Value::Null),
                None => Err(Flow::exception(
                    "groovy.lang.GroovyRuntimeException",
                    format!("Could not find matching constructor for: {}", p.name),
                )
                .at(span)),
            },
            (Some(p), Some(n)) => match self.find_method(&p, n, &args) {
                Some(m) => self.invoke(&m, this, args.into_groovy(), span, cx).await,
                None => self.jdk_super_method(obj, n, &args, span),
            },
            (None, None) => {
                // A JDK parent: only a throwable's constructor carries anything we keep.
                if let Value::Exception(base) =
                    super::classes::construct(&parent, &args.into_groovy())
                        .map_err(|f| f.at(span))?
                    && let Object::Instance { fields, .. } = &**obj
                {
                    let mut fields = fields.borrow_mut();
                    fields.insert(MESSAGE_SLOT.into(), base.script_message());
                    fields.insert(CAUSE_SLOT.into(), base.cause.clone().unwrap_or(Value::Null));
                }
                Ok(Value::Null)
            }
            (None, Some(n)) => self.jdk_super_method(obj, n, &args, span),
        }
    }

    /// `super.m()` that reaches a JDK class: the methods every object has.
    fn jdk_super_method(
        &self,
        obj: &Rc<Object>,
        name: &str,
        args: &CallArgs,
        span: Span,
    ) -> R<Value> {
        let a = args.to_groovy();
        super::gdk::call(self, &Value::Object(obj.clone()), name, &a)
            .unwrap_or_else(|| {
                Err(Flow::unsupported_method(
                    name,
                    &Value::Object(obj.clone()),
                    span,
                ))
            })
            .map_err(|f| f.at(span))
    }

    /// After `new` ran the constructors: an instance of a script class that extends a JDK
    /// throwable becomes that exception; any other instance is returned as it is.
    pub(crate) fn finish_new(&self, class: &Rc<UserClass>, obj: Rc<Object>) -> Value {
        let chain = self.class_chain(class);
        let jdk = chain
            .last()
            .and_then(|c| c.superclass.clone())
            .filter(|p| super::classes::is_throwable(super::classes::simple(p)));
        let Some(jdk) = jdk else {
            return Value::Object(obj);
        };
        // The slots stay on the instance: its own methods read `message` and `cause` too.
        let (message, cause) = match &*obj {
            Object::Instance { fields, .. } => {
                let fields = fields.borrow();
                (
                    fields.get(MESSAGE_SLOT).cloned(),
                    fields.get(CAUSE_SLOT).cloned(),
                )
            }
            _ => (None, None),
        };
        let mut ex = Exception::new(
            &class.name,
            message
                .filter(|m| !m.is_null())
                .map(|m| super::text::to_string(&m)),
        );
        ex.cause = cause.filter(|c| !c.is_null());
        ex.script = Some(ScriptThrowable {
            instance: obj,
            classes: chain.iter().map(|c| c.name.clone()).collect(),
            jdk: super::classes::simple(&jdk).to_string(),
        });
        Value::Exception(Rc::new(ex))
    }
}
