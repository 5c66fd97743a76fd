//! `new T(args)`: script classes (fields, constructors, named-argument construction) and the
//! JDK classes `classes` knows.

use std::rc::Rc;

use indexmap::IndexMap;

use super::args::CallArgs;
use super::call::pick;
use super::flow::{Flow, R};
use super::interp::Interp;
use super::object::Object;
use super::scope::{Cx, Frame, This};
use super::text::to_string;
use super::value::Value;
use crate::source::Span;
use crate::syntax::ast::{self};

impl Interp {
    /// `new T(args)`.
    pub async fn construct(&self, ty: &str, args: CallArgs, span: Span, cx: &Cx) -> R<Value> {
        let simple = ty.rsplit('.').next().unwrap_or(ty);
        let user = self.classes.borrow().get(simple).cloned();
        let Some(class) = user else {
            let qualified = self
                .imports
                .borrow()
                .get(simple)
                .cloned()
                .unwrap_or_else(|| ty.to_string());
            return super::classes::construct(&qualified, &args.into_groovy())
                .map_err(|f| f.at(span));
        };
        let obj = Rc::new(Object::Instance {
            class: class.clone(),
            fields: std::cell::RefCell::new(IndexMap::new()),
            id: self.next_id(),
        });
        let this = This::Object(obj.clone());
        let init_cx = Cx {
            frame: Frame::root(),
            this: this.clone(),
            delegate: None,
            dynamic: cx.dynamic.clone(),
        };
        // Fields of the superclasses first, then this class's.
        let mut chain = vec![class.clone()];
        while let Some(parent) = chain.last().and_then(|c| c.superclass.clone()) {
            match self.classes.borrow().get(&parent) {
                Some(p) => chain.push(p.clone()),
                None => break,
            }
        }
        for c in chain.iter().rev() {
            for member in &c.def.members {
                if let ast::Member::Field(f) = member
                    && !super::object::is_static(f)
                    && let ast::DeclTargets::Names(names) = &f.targets
                {
                    for d in names {
                        let v = match &d.init {
                            Some(e) => self.eval(e, &init_cx).await?,
                            None => f.ty.as_ref().map_or(Value::Null, super::cast::default_for),
                        };
                        if let Object::Instance { fields, .. } = &*obj {
                            fields.borrow_mut().insert(d.name.node.clone(), v);
                        }
                    }
                }
            }
        }
        let ctor = class.methods.get(&class.name).map(|ms| pick(ms, &args));
        match ctor {
            Some(m) => {
                self.invoke(&m, this, args.into_groovy(), span, cx).await?;
            }
            None if !args.named.is_empty() && args.positional.is_empty() => {
                for (k, v) in args.named {
                    self.set_property(&Value::Object(obj.clone()), &to_string(&k.0), v, span, cx)
                        .await?;
                }
            }
            None if args.positional.is_empty() => {}
            None => {
                return Err(Flow::exception(
                    "groovy.lang.GroovyRuntimeException",
                    format!(
                        "Could not find matching constructor for: {}({})",
                        class.name,
                        args.positional
                            .iter()
                            .map(Value::class_name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .at(span));
            }
        }
        Ok(self.finish_new(&class, obj))
    }
}
