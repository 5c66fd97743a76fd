//! Evaluated call arguments. Groovy collects named arguments into one map passed first; steps
//! want them by name. Both views come from here.

use indexmap::IndexMap;

use super::value::{Key, Value};

#[derive(Clone, Debug, Default)]
pub struct CallArgs {
    /// `name: value` arguments in source order (empty when none were written).
    pub named: IndexMap<Key, Value>,
    /// Positional arguments, then the closures written after the parentheses.
    pub positional: Vec<Value>,
}

impl CallArgs {
    #[must_use]
    pub fn positional(values: Vec<Value>) -> CallArgs {
        CallArgs {
            named: IndexMap::new(),
            positional: values,
        }
    }

    /// The argument list Groovy would pass: the named map first, if any.
    #[must_use]
    pub fn into_groovy(self) -> Vec<Value> {
        if self.named.is_empty() {
            return self.positional;
        }
        let mut out = Vec::with_capacity(self.positional.len() + 1);
        out.push(Value::map(self.named));
        out.extend(self.positional);
        out
    }

    #[must_use]
    pub fn to_groovy(&self) -> Vec<Value> {
        self.clone().into_groovy()
    }
}
