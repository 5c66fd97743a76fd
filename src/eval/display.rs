//! `toString()` as the script sees it: a script class's own `toString` is Groovy code, so
//! printing a value that holds such objects goes through the evaluator.

use super::args::CallArgs;
use super::flow::R;
use super::host::LocalBoxFuture;
use super::interp::Interp;
use super::object::Object;
use super::scope::Cx;
use super::text::to_string;
use super::value::Value;
use crate::source::Span;

impl Interp {
    /// `toString()` of a value, calling a script class's own `toString` if it has one,
    /// also for objects inside lists and maps.
    pub fn display<'a>(
        &'a self,
        v: &'a Value,
        span: Span,
        cx: &'a Cx,
    ) -> LocalBoxFuture<'a, R<String>> {
        Box::pin(async move {
            if !contains_instance(v, 0) {
                return Ok(to_string(v));
            }
            match v {
                Value::LazyGStr(g) => Ok(self.render_gstring(g, span, cx).await?.to_string()),
                Value::Object(o) => {
                    if let Object::Instance { class, .. } = &**o
                        && self
                            .find_method(class, "toString", &CallArgs::default())
                            .is_some()
                    {
                        let s = self
                            .call_method(v.clone(), "toString", CallArgs::default(), span, cx)
                            .await?;
                        return Ok(to_string(&s));
                    }
                    Ok(to_string(v))
                }
                Value::List(l) => {
                    let items = l.borrow().clone();
                    let mut parts = Vec::with_capacity(items.len());
                    for item in &items {
                        parts.push(self.display(item, span, cx).await?);
                    }
                    Ok(format!("[{}]", parts.join(", ")))
                }
                Value::Map(m) => {
                    let entries: Vec<(Value, Value)> = m
                        .borrow()
                        .iter()
                        .map(|(k, v)| (k.0.clone(), v.clone()))
                        .collect();
                    let mut parts = Vec::with_capacity(entries.len());
                    for (k, v) in &entries {
                        parts.push(format!(
                            "{}:{}",
                            self.display(k, span, cx).await?,
                            self.display(v, span, cx).await?
                        ));
                    }
                    Ok(format!("[{}]", parts.join(", ")))
                }
                other => Ok(to_string(other)),
            }
        })
    }
}

/// Whether a value is or holds an instance of a script class (whose `toString` is Groovy code)
/// or a lazy `GString` (whose closures are).
fn contains_instance(v: &Value, depth: usize) -> bool {
    if depth > 20 {
        return false;
    }
    match v {
        Value::Object(o) => matches!(&**o, Object::Instance { .. }),
        Value::LazyGStr(_) => true,
        Value::List(l) => l.borrow().iter().any(|x| contains_instance(x, depth + 1)),
        Value::Map(m) => m
            .borrow()
            .iter()
            .any(|(k, x)| contains_instance(&k.0, depth + 1) || contains_instance(x, depth + 1)),
        _ => false,
    }
}
