//! `obj.properties` of a script object: Groovy's `DefaultGroovyMethods.getProperties`, a map
//! of every bean property (`class`, the fields, and what `getX()`/`isX()` methods give).
//! Groovy's map follows its `MetaClass`'s internal order, which this does not reproduce:
//! here `class` comes first, then the fields as declared, then the getters as declared.

use std::rc::Rc;

use indexmap::IndexMap;

use super::args::CallArgs;
use super::flow::R;
use super::interp::Interp;
use super::object::{Object, UserClass};
use super::scope::Cx;
use super::value::{Key, Value};
use crate::source::Span;

impl Interp {
    pub(crate) async fn bean_properties(
        &self,
        obj: &Rc<Object>,
        class: &Rc<UserClass>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let mut out = IndexMap::new();
        out.insert(
            Key::str("class"),
            Value::Class(Rc::from(class.name.as_str())),
        );
        if let Object::Instance { fields, .. } = &**obj {
            for (name, v) in fields.borrow().iter() {
                out.insert(Key::str(name), v.clone());
            }
        }
        for method in class.def.members.iter().filter_map(|m| match m {
            crate::syntax::ast::Member::Method(m) => Some(&m.node),
            _ => None,
        }) {
            let name = method.name.node.as_str();
            let is_static = method.modifiers.iter().any(|m| m.node == "static");
            let Some(prop) = bean_name(name) else {
                continue;
            };
            if !method.params.is_empty() || is_static || prop == "properties" || prop == "class" {
                continue;
            }
            let v = self
                .call_method(
                    Value::Object(obj.clone()),
                    name,
                    CallArgs::default(),
                    span,
                    cx,
                )
                .await?;
            out.insert(Key::str(&prop), v);
        }
        Ok(Value::map(out))
    }
}

/// `getFull` → `full`, `isAdult` → `adult`.
fn bean_name(method: &str) -> Option<String> {
    let rest = method
        .strip_prefix("get")
        .or_else(|| method.strip_prefix("is"))?;
    let mut chars = rest.chars();
    let first = chars.next()?;
    first
        .is_uppercase()
        .then(|| first.to_lowercase().collect::<String>() + chars.as_str())
}
