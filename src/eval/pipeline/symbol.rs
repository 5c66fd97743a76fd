//! Calls to argument symbols that are not steps (`string(name: 'X')`, `booleanParam(…)`,
//! `choice(…)`, `parameters([…])`): Jenkins makes an uninstantiated describable of them,
//! which the step receiving it (`input`, `properties`, …) instantiates. Here that is a map of
//! the named arguments with the symbol under `$symbol`, which reaches a step as JSON.

use indexmap::IndexMap;

use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::value::{Key, Value};
use crate::source::Span;
use crate::stdlib::Catalogue;
use crate::steps::parameter::SYMBOL_KEY;

/// The describable a symbol call makes, or `None` when `name` is no symbol.
pub(crate) fn describable(name: &str, args: &CallArgs, span: Span) -> Option<R<Value>> {
    let catalogue = Catalogue::builtin();
    let overloads = catalogue.symbol(name);
    // A step of the same name (`zip`) is the step, supported or not.
    if overloads.is_empty() || catalogue.step(name).is_some() {
        return None;
    }
    let mut map = IndexMap::new();
    map.insert(Key::str(SYMBOL_KEY), Value::str(name));
    for (k, v) in &args.named {
        map.insert(k.clone(), v.clone());
    }
    if !args.positional.is_empty() {
        let bound = overloads.iter().find_map(|sig| {
            sig.bind_positional(args.positional.len(), !args.named.is_empty(), false)
                .ok()
        });
        match bound {
            Some(params) => {
                for (p, v) in params.iter().zip(&args.positional) {
                    map.insert(Key::str(&p.name), v.clone());
                }
            }
            None if args.positional.len() == 1 => {
                map.insert(Key::str("value"), args.positional[0].clone());
            }
            None => {
                return Some(Err(Flow::exception(
                    "java.lang.IllegalArgumentException",
                    format!("cannot bind the unnamed arguments of `{name}`: use named arguments"),
                )
                .at(span)));
            }
        }
    }
    Some(Ok(Value::map(map)))
}
