//! The shared, mutable cell behind lists and maps, with the Java class it stands for. An
//! `ArrayList` and a `LinkedHashMap` keep what they are given; a set drops repeated elements,
//! a `TreeSet`/`TreeMap` keeps its natural order and a `HashSet`/`HashMap` Java's bucket order.
//! Every mutation goes through `borrow_mut`, whose guard restores that order when it is
//! dropped, so no method that mutates a collection needs to know which kind it has.

use std::cell::{Ref, RefCell, RefMut};
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Deref, DerefMut};

use indexmap::IndexMap;

use super::compare::compare;
use super::flow::{Flow, R};
use super::value::{Key, Value};

/// Which `java.util` class a list or map is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Kind {
    /// `ArrayList` for a list, `LinkedHashMap` for a map: insertion order, repeats allowed.
    #[default]
    Plain,
    /// `LinkedHashSet`: insertion order, no repeats.
    Linked,
    /// `HashSet` / `HashMap`: Java's hash-bucket order.
    Hash,
    /// `TreeSet` / `TreeMap`: natural order.
    Tree,
    /// `java.util.Properties` (maps only): since Java 9 a `ConcurrentHashMap` inside, so
    /// its bucket order with that map's table sizes.
    Props,
    /// `Collections.unmodifiableList`/`Map`, `asImmutable()`: a view that refuses changes
    /// with an `UnsupportedOperationException`; it keeps the order it was given.
    Unmodifiable,
}

impl Kind {
    #[must_use]
    pub fn is_set(self) -> bool {
        matches!(self, Kind::Linked | Kind::Hash | Kind::Tree)
    }

    /// The class name of a list of this kind.
    #[must_use]
    pub fn list_class(self) -> &'static str {
        match self {
            Kind::Plain | Kind::Props => "java.util.ArrayList",
            Kind::Unmodifiable => "java.util.Collections$UnmodifiableRandomAccessList",
            Kind::Linked => "java.util.LinkedHashSet",
            Kind::Hash => "java.util.HashSet",
            Kind::Tree => "java.util.TreeSet",
        }
    }

    /// The class name of a map of this kind.
    #[must_use]
    pub fn map_class(self) -> &'static str {
        match self {
            Kind::Plain | Kind::Linked => "java.util.LinkedHashMap",
            Kind::Hash => "java.util.HashMap",
            Kind::Tree => "java.util.TreeMap",
            Kind::Props => "java.util.Properties",
            Kind::Unmodifiable => "java.util.Collections$UnmodifiableMap",
        }
    }
}

/// Contents that know how to restore the order their kind demands.
pub trait Ordered {
    fn restore(&mut self, kind: Kind);
}

pub struct Shared<T: Ordered> {
    kind: Kind,
    cell: RefCell<T>,
}

impl<T: Ordered> Shared<T> {
    pub fn new(kind: Kind, mut value: T) -> Shared<T> {
        value.restore(kind);
        Shared {
            kind,
            cell: RefCell::new(value),
        }
    }

    #[must_use]
    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn borrow(&self) -> Ref<'_, T> {
        self.cell.borrow()
    }

    pub fn borrow_mut(&self) -> Guard<'_, T> {
        Guard {
            kind: self.kind,
            inner: self.cell.borrow_mut(),
        }
    }

    /// A mutable borrow for a change a script asked for, which an unmodifiable view refuses
    /// as Java does.
    pub fn modify(&self) -> R<Guard<'_, T>> {
        if self.kind == Kind::Unmodifiable {
            return Err(Flow::exception(
                "java.lang.UnsupportedOperationException",
                "",
            ));
        }
        Ok(self.borrow_mut())
    }
}

impl<T: Ordered + fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}{:?}", self.kind, self.cell)
    }
}

/// A mutable borrow that puts the contents back in order when it ends.
pub struct Guard<'a, T: Ordered> {
    kind: Kind,
    inner: RefMut<'a, T>,
}

impl<T: Ordered> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: Ordered> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T: Ordered> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        if self.kind != Kind::Plain {
            self.inner.restore(self.kind);
        }
    }
}

impl Ordered for Vec<Value> {
    fn restore(&mut self, kind: Kind) {
        if !kind.is_set() {
            return;
        }
        let mut seen: Vec<Key> = Vec::with_capacity(self.len());
        self.retain(|v| {
            let key = Key(v.clone());
            if seen.contains(&key) {
                false
            } else {
                seen.push(key);
                true
            }
        });
        match kind {
            Kind::Tree => self.sort_by(|a, b| compare(a, b).unwrap_or(Ordering::Equal)),
            Kind::Hash => {
                let capacity = table_size(self.len());
                self.sort_by_key(|v| bucket(v, capacity));
            }
            Kind::Plain | Kind::Linked | Kind::Props | Kind::Unmodifiable => {}
        }
    }
}

impl Ordered for IndexMap<Key, Value> {
    fn restore(&mut self, kind: Kind) {
        match kind {
            Kind::Tree => self.sort_by(|a, _, b, _| compare(&a.0, &b.0).unwrap_or(Ordering::Equal)),
            Kind::Hash => {
                let capacity = table_size(self.len());
                self.sort_by(|a, _, b, _| bucket(&a.0, capacity).cmp(&bucket(&b.0, capacity)));
            }
            Kind::Props => {
                let capacity = concurrent_table_size(self.len());
                self.sort_by(|a, _, b, _| bucket(&a.0, capacity).cmp(&bucket(&b.0, capacity)));
            }
            Kind::Plain | Kind::Linked | Kind::Unmodifiable => {}
        }
    }
}

/// The table size of the `ConcurrentHashMap` inside a `Properties` grown one entry at a time:
/// 16, doubled when it becomes three quarters full.
fn concurrent_table_size(len: usize) -> u32 {
    let mut capacity: u32 = 16;
    while len as u64 * 4 >= u64::from(capacity) * 3 {
        capacity *= 2;
    }
    capacity
}

/// The table size a `java.util.HashMap` grown one element at a time has for `len` entries:
/// 16, doubled whenever it is more than three quarters full.
fn table_size(len: usize) -> u32 {
    let mut capacity: u32 = 16;
    while len as u64 * 4 > u64::from(capacity) * 3 {
        capacity *= 2;
    }
    capacity
}

/// The bucket `HashMap` puts a key in (`(h ^ h >>> 16) & (n - 1)`); keys whose Java hash we
/// do not compute go last, in insertion order (the sort is stable).
fn bucket(v: &Value, capacity: u32) -> u32 {
    match java_hash_code(v) {
        Some(h) => {
            let h = h as u32;
            (h ^ (h >> 16)) & (capacity - 1)
        }
        None => u32::MAX,
    }
}

/// `hashCode()` of the values whose Java hash is well defined.
#[must_use]
pub fn java_hash_code(v: &Value) -> Option<i32> {
    Some(match v {
        Value::Null => 0,
        Value::Str(s) | Value::GStr(s) => super::gdk::java_hash(s),
        Value::Int(i) => *i,
        Value::Char(c) => *c as i32,
        Value::Long(l) => (*l ^ ((*l as u64) >> 32) as i64) as i32,
        Value::Bool(b) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        Value::Double(d) => {
            let bits = d.to_bits();
            (bits ^ (bits >> 32)) as i32
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_set_uses_java_bucket_order() {
        let items = ["b", "a", "zz", "c"].map(Value::str).to_vec();
        let set = Shared::new(Kind::Hash, items);
        let got: Vec<String> = set
            .borrow()
            .iter()
            .map(super::super::text::to_string)
            .collect();
        assert_eq!(got, ["zz", "a", "b", "c"]);
    }

    #[test]
    fn tree_set_sorts_and_drops_repeats_after_a_mutation() {
        let set = Shared::new(Kind::Tree, vec![Value::Int(5), Value::Int(3)]);
        set.borrow_mut().push(Value::Int(1));
        set.borrow_mut().push(Value::Int(3));
        let got: Vec<i64> = set.borrow().iter().filter_map(Value::as_i64).collect();
        assert_eq!(got, [1, 3, 5]);
    }
}
