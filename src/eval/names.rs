//! Names and assignment targets: reading a bare name (locals, fields, delegate, binding,
//! host globals, classes) and assigning to a variable, property or element.

use std::rc::Rc;

use super::classes;
use super::flow::{Flow, R};
use super::host::LocalBoxFuture;
use super::interp::Interp;
use super::object::Object;
use super::scope::{Cx, This};
use super::value::{Key, Value};
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, Nav};

impl Interp {
    /// Assigns to a variable, property or element.
    pub fn assign_to<'a>(
        &'a self,
        target: &'a Expr,
        v: Value,
        cx: &'a Cx,
    ) -> LocalBoxFuture<'a, R<()>> {
        Box::pin(async move {
            match &target.node {
                ExprKind::Var(name) => {
                    self.assign_var(name, v, cx);
                    Ok(())
                }
                ExprKind::Property {
                    target: t,
                    name,
                    nav,
                } => {
                    let obj = self.eval(t, cx).await?;
                    if obj.is_null() && *nav == Nav::Safe {
                        return Ok(());
                    }
                    let name = self.prop_name(name, cx).await?;
                    self.set_property(&obj, &name, v, target.span, cx).await
                }
                ExprKind::Index {
                    target: t, index, ..
                } => {
                    let obj = self.eval(t, cx).await?;
                    let idx = self.eval_index(index, cx).await?;
                    super::access::set_index(&obj, &idx, v, cx).map_err(|f| f.at(target.span))
                }
                ExprKind::Paren(inner) => self.assign_to(inner, v, cx).await,
                _ => Err(Flow::fatal("cannot assign to this expression", target.span)),
            }
        })
    }

    /// `name = v`: a local if one is in scope, a field of `this`, else a script variable.
    pub fn assign_var(&self, name: &str, v: Value, cx: &Cx) {
        let Err(v) = cx.frame.assign(name, v) else {
            return;
        };
        if let This::Object(o) = &cx.this
            && let Object::Instance { fields, .. } = &**o
            && fields.borrow().contains_key(name)
        {
            fields.borrow_mut().insert(name.to_string(), v);
            return;
        }
        if !matches!(cx.this, This::Script)
            && let Some(class) = self.static_of(cx, name)
        {
            class.statics.borrow_mut().insert(name.to_string(), v);
            return;
        }
        // A DSL block: `name = 'x'` inside a closure whose delegate is a map sets the key.
        if let Some(Value::Map(m)) = &cx.delegate
            && !self.binding.borrow().contains_key(name)
        {
            m.borrow_mut().insert(Key::str(name), v);
            return;
        }
        self.binding.borrow_mut().insert(name.to_string(), v);
    }

    /// Reads a bare name.
    pub fn lookup(&self, name: &str, span: Span, cx: &Cx) -> R<Value> {
        if let Some(v) = cx.frame.lookup(name) {
            return Ok(v);
        }
        if let This::Object(o) = &cx.this
            && let Object::Instance { fields, .. } = &**o
            && let Some(v) = fields
                .borrow()
                .get(name)
                .cloned()
                .or_else(|| super::superclass::throwable_property(&fields.borrow(), name))
        {
            return Ok(v);
        }
        if let Some(Value::Map(m)) = &cx.delegate
            && let Some(v) = m.borrow().get(&Key::str(name))
        {
            return Ok(v.clone());
        }
        if !matches!(cx.this, This::Script)
            && let Some(class) = self.static_of(cx, name)
            && let Some(v) = class.statics.borrow().get(name)
        {
            return Ok(v.clone());
        }
        if let Some(v) = self.binding.borrow().get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = self.host.global(name, cx) {
            return Ok(v);
        }
        if self.classes.borrow().contains_key(name) {
            return Ok(Value::Class(Rc::from(name)));
        }
        if let Some(q) = self.imports.borrow().get(name)
            && let Some(c) = classes::known(q)
        {
            return Ok(Value::Class(Rc::from(c)));
        }
        if let Some(c) = classes::known(name) {
            return Ok(Value::Class(Rc::from(c)));
        }
        if name == "out" || name == "binding" {
            return Ok(Value::Class(Rc::from(name)));
        }
        if let Some(v) = self.host.unknown_name(name, cx) {
            return Ok(v);
        }
        Err(Flow::exception(
            "groovy.lang.MissingPropertyException",
            format!(
                "No such property: {name} for class: {}",
                self.host.binding_class()
            ),
        )
        .at(span))
    }
}
