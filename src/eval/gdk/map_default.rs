//! `Map.withDefault { key -> value }` (Groovy's `MapWithDefault`): reading a missing key with
//! `map[key]` calls the closure, stores its value under the key and returns it, so that
//! `counts[w] += 1` and `groups[k] << v` work. The map stays the same `Map` value (Groovy's
//! wrapper also writes through to the map it decorates); the interpreter keeps the closure
//! beside it, by a weak reference.

use std::rc::{Rc, Weak};

use crate::eval::closure::Closure;
use crate::eval::flow::R;
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::value::{Key, Map, Value};
use crate::source::Span;

impl Interp {
    /// Gives `map` a default: `withDefault` returns the map itself.
    pub(crate) fn set_map_default(&self, map: &Map, closure: Rc<Closure>) {
        let mut defaults = self.map_defaults.borrow_mut();
        defaults.retain(|(m, _)| m.strong_count() > 0 && !Weak::ptr_eq(m, &Rc::downgrade(map)));
        defaults.push((Rc::downgrade(map), closure));
    }

    /// `got`, the value `obj[idx]` read, or the default for a missing key of a map that has one.
    pub(crate) async fn map_default(
        &self,
        obj: &Value,
        idx: &Value,
        got: Value,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let Value::Map(map) = obj else {
            return Ok(got);
        };
        if !got.is_null() || map.borrow().contains_key(&Key(idx.clone())) {
            return Ok(got);
        }
        let closure = self
            .map_defaults
            .borrow()
            .iter()
            .find(|(m, _)| std::ptr::eq(m.as_ptr(), Rc::as_ptr(map)))
            .map(|(_, c)| c.clone());
        let Some(closure) = closure else {
            return Ok(got);
        };
        let v = self
            .call_closure(&closure, vec![idx.clone()], span, cx)
            .await?;
        map.borrow_mut().insert(Key(idx.clone()), v.clone());
        Ok(v)
    }
}
