//! Sorting, `min`/`max` and `unique` with a comparator or key closure, and natural order of
//! `Comparable` script objects; comparisons may call Groovy code, so they are async.

use std::cmp::Ordering;
use std::rc::Rc;

use super::closures::entry_parts;
use crate::eval::closure::Closure;
use crate::eval::flow::R;
use crate::eval::interp::Interp;
use crate::eval::object::Object;
use crate::eval::scope::Cx;
use crate::eval::value::{Key, Value};
use crate::source::Span;

impl Interp {
    /// Compares two elements with a comparator (two parameters) or a key closure (one).
    async fn cmp_with(
        &self,
        c: &Rc<Closure>,
        a: &Value,
        b: &Value,
        span: Span,
        cx: &Cx,
    ) -> R<Ordering> {
        if c.param_count() == 2 && c.explicit_params() {
            let r = self
                .call_closure(c, vec![a.clone(), b.clone()], span, cx)
                .await?;
            return Ok(r.as_i64().unwrap_or(0).cmp(&0));
        }
        let ka = self.call_closure(c, vec![a.clone()], span, cx).await?;
        let kb = self.call_closure(c, vec![b.clone()], span, cx).await?;
        Ok(crate::eval::compare::compare(&ka, &kb).unwrap_or(Ordering::Equal))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) async fn ordered(
        &self,
        recv: &Value,
        name: &str,
        args: &[Value],
        items: Vec<Value>,
        c: &Rc<Closure>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        match name {
            "max" | "min" => {
                let mut best: Option<Value> = None;
                for item in items {
                    best = Some(match best {
                        None => item,
                        Some(b) => {
                            let ord = self.cmp_with(c, &item, &b, span, cx).await?;
                            if (name == "max" && ord.is_gt()) || (name == "min" && ord.is_lt()) {
                                item
                            } else {
                                b
                            }
                        }
                    });
                }
                Ok(best.unwrap_or(Value::Null))
            }
            "unique" => {
                let mut out: Vec<Value> = Vec::new();
                for item in items {
                    let mut dup = false;
                    for o in &out {
                        if self.cmp_with(c, o, &item, span, cx).await? == Ordering::Equal {
                            dup = true;
                            break;
                        }
                    }
                    if !dup {
                        out.push(item);
                    }
                }
                if let Value::List(l) = recv {
                    *l.borrow_mut() = out;
                    return Ok(recv.clone());
                }
                Ok(Value::list(out))
            }
            _ => {
                // A stable binary-insertion sort: comparisons may call the closure, which may
                // wait, so the standard library's sort cannot be used.
                let mut sorted: Vec<Value> = Vec::with_capacity(items.len());
                for item in items {
                    let (mut lo, mut hi) = (0, sorted.len());
                    while lo < hi {
                        let mid = usize::midpoint(lo, hi);
                        if self
                            .cmp_with(c, &item, &sorted[mid], span, cx)
                            .await?
                            .is_lt()
                        {
                            hi = mid;
                        } else {
                            lo = mid + 1;
                        }
                    }
                    sorted.insert(lo, item);
                }
                if let Value::Map(_) = recv {
                    let entries = sorted
                        .iter()
                        .filter_map(entry_parts)
                        .map(|(k, v)| (Key(k), v));
                    return Ok(Value::map(entries.collect()));
                }
                if let (Value::List(l), "sort", false) =
                    (recv, name, matches!(args.first(), Some(Value::Bool(false))))
                    && !l.kind().is_set()
                {
                    *l.borrow_mut() = sorted;
                    return Ok(recv.clone());
                }
                Ok(Value::list(sorted))
            }
        }
    }

    /// `a <=> b` where `a` may be a script object with its own `compareTo`.
    async fn compare_objects(&self, a: &Value, b: &Value, span: Span, cx: &Cx) -> R<Ordering> {
        if let Value::Object(o) = a
            && let Object::Instance { class, .. } = &**o
            && class.methods.contains_key("compareTo")
        {
            let args = crate::eval::args::CallArgs::positional(vec![b.clone()]);
            let r = self
                .call_method(a.clone(), "compareTo", args, span, cx)
                .await?;
            return Ok(r.as_i64().unwrap_or(0).cmp(&0));
        }
        Ok(crate::eval::compare::compare(a, b).unwrap_or(Ordering::Equal))
    }

    /// `sort()`, `min()`, `max()` of a list holding `Comparable` script objects.
    pub(crate) async fn sort_comparable(
        &self,
        recv: &Value,
        name: &str,
        args: &[Value],
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        let Value::List(l) = recv else {
            return None;
        };
        if !matches!(name, "sort" | "min" | "max")
            || args.iter().any(|a| matches!(a, Value::Closure(_)))
        {
            return None;
        }
        let items = l.borrow().clone();
        let comparable = items.iter().any(|v| {
            matches!(v, Value::Object(o) if matches!(&**o, Object::Instance { class, .. } if class.methods.contains_key("compareTo")))
        });
        if !comparable {
            return None;
        }
        let mut sorted: Vec<Value> = Vec::with_capacity(items.len());
        for item in items {
            let (mut lo, mut hi) = (0, sorted.len());
            while lo < hi {
                let mid = lo.midpoint(hi);
                match self.compare_objects(&item, &sorted[mid], span, cx).await {
                    Ok(o) if o.is_lt() => hi = mid,
                    Ok(_) => lo = mid + 1,
                    Err(e) => return Some(Err(e)),
                }
            }
            sorted.insert(lo, item);
        }
        Some(Ok(match name {
            "min" => sorted.first().cloned().unwrap_or(Value::Null),
            "max" => sorted.last().cloned().unwrap_or(Value::Null),
            _ => {
                if !matches!(args.first(), Some(Value::Bool(false))) {
                    l.borrow_mut().clone_from(&sorted);
                    return Some(Ok(recv.clone()));
                }
                Value::list(sorted)
            }
        }))
    }
}
