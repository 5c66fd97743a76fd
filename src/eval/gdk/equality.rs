//! `contains`, `indexOf` and `remove` of a list asked about a script object whose class
//! declares `equals`: Java calls that method (`o.equals(element)`), which needs the
//! interpreter, so these run here instead of in the synchronous `list.rs`.

use crate::eval::args::CallArgs;
use crate::eval::flow::R;
use crate::eval::interp::Interp;
use crate::eval::object::Object;
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::source::Span;

impl Interp {
    pub(crate) async fn list_user_equality(
        &self,
        recv: &Value,
        name: &str,
        args: &[Value],
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        let (Value::List(l), [wanted]) = (recv, args) else {
            return None;
        };
        if !matches!(name, "contains" | "indexOf" | "remove" | "removeElement") {
            return None;
        }
        let Value::Object(o) = wanted else {
            return None;
        };
        let Object::Instance { class, .. } = &**o else {
            return None;
        };
        if !class.methods.contains_key("equals") {
            return None;
        }
        let items = l.borrow().clone();
        let mut found = None;
        for (i, item) in items.iter().enumerate() {
            let args = CallArgs::positional(vec![item.clone()]);
            match self
                .call_method(wanted.clone(), "equals", args, span, cx)
                .await
            {
                Ok(v) if v.truthy() => {
                    found = Some(i);
                    break;
                }
                Ok(_) => {}
                Err(e) => return Some(Err(e)),
            }
        }
        Some(Ok(match name {
            "contains" => Value::Bool(found.is_some()),
            "indexOf" => Value::Int(found.map_or(-1, |i| i as i32)),
            _ => {
                if let Some(i) = found {
                    match l.modify() {
                        Ok(mut items) => {
                            items.remove(i);
                        }
                        Err(e) => return Some(Err(e)),
                    }
                }
                Value::Bool(found.is_some())
            }
        }))
    }
}
