//! `combinations()`, `subsequences()` and `permutations()` on a list, as Groovy 2.4's
//! `GroovyCollections` and `DefaultGroovyMethods` compute them. The last two give a
//! `HashSet`, so repeated results collapse as in Groovy.

use crate::eval::coll::Kind;
use crate::eval::flow::{Flow, R};
use crate::eval::gdk::iter_items;
use crate::eval::value::Value;

/// Inputs past these sizes would build millions of lists: refused plainly.
const MAX_SUBSEQUENCE_ITEMS: usize = 16;
const MAX_PERMUTATION_ITEMS: usize = 9;

pub(super) fn call(items: &[Value], name: &str) -> Option<R<Value>> {
    Some(match name {
        "combinations" => combinations(items),
        "subsequences" => subsequences(items),
        "permutations" => permutations(items),
        _ => return None,
    })
}

fn too_many(name: &str, limit: usize) -> Flow {
    Flow::fatal(
        format!("unsupported: {name}() of more than {limit} elements"),
        crate::source::Span::default(),
    )
}

/// Every choice of one element per inner collection, the first collection varying fastest.
fn combinations(items: &[Value]) -> R<Value> {
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for collection in items {
        let choices = match collection {
            Value::List(_) | Value::Range(_) => iter_items(collection)?,
            single => vec![single.clone()],
        };
        let mut next = Vec::with_capacity(out.len() * choices.len());
        for choice in &choices {
            for combo in &out {
                let mut c = combo.clone();
                c.push(choice.clone());
                next.push(c);
            }
        }
        out = next;
    }
    Ok(Value::list(out.into_iter().map(Value::list).collect()))
}

/// The non-empty sub-lists that keep the elements' order.
fn subsequences(items: &[Value]) -> R<Value> {
    if items.len() > MAX_SUBSEQUENCE_ITEMS {
        return Err(too_many("subsequences", MAX_SUBSEQUENCE_ITEMS));
    }
    let subsets = (1u32..1 << items.len()).map(|mask| {
        let picked = items
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, v)| v.clone());
        Value::list(picked.collect())
    });
    Ok(Value::set(Kind::Hash, subsets.collect()))
}

/// Every ordering of the elements.
fn permutations(items: &[Value]) -> R<Value> {
    if items.len() > MAX_PERMUTATION_ITEMS {
        return Err(too_many("permutations", MAX_PERMUTATION_ITEMS));
    }
    let mut out = Vec::new();
    let mut current = items.to_vec();
    permute(&mut current, 0, &mut out);
    Ok(Value::set(Kind::Hash, out))
}

fn permute(items: &mut Vec<Value>, k: usize, out: &mut Vec<Value>) {
    if k + 1 >= items.len() {
        out.push(Value::list(items.clone()));
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permute(items, k + 1, out);
        items.swap(k, i);
    }
}
