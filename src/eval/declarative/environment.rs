//! `environment { }` at pipeline and stage level (runtime-semantics.md §3.4): one
//! `withCredentials` for the `credentials()` entries, then every plain value computed before
//! one `withEnv` holds them all. A value may name another key of the same block in any order,
//! a self-reference reads the value from before the block, and an unknown name interpolated
//! on its own reads as the string `null`.

use std::cell::RefCell;

use indexmap::IndexMap;

use super::Run;
use super::wrap::{Fut, block, with_env};
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::{env_insert, environment_credential};
use crate::eval::scope::{Cx, Frame};
use crate::eval::text::to_string;
use crate::model::pipeline::{EnvValue, EnvVar, Environment};

/// Runs `body` inside the environment block (`None`: directly).
pub(super) async fn with_environment<'a>(
    run: &Run<'a>,
    cx: &Cx,
    env: Option<&'a Environment>,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let Some(env) = env else {
        return body(cx.clone()).await;
    };
    let creds: Vec<&EnvVar> = env
        .vars
        .iter()
        .filter(|v| matches!(v.value, EnvValue::Credentials { .. }))
        .collect();
    if creds.is_empty() {
        return plain(run, cx.clone(), env, body).await;
    }
    let mut bound = Vec::new();
    for var in &creds {
        if let EnvValue::Credentials { id, span } = &var.value {
            let id = to_string(&credential_id(run, cx, env, id, &bound).await?);
            bound.extend(environment_credential(run.host, cx, &var.name.node, &id, *span).await?);
        }
    }
    let masked: Vec<String> = bound
        .iter()
        .filter(|(k, _)| !k.ends_with("_USR"))
        .map(|(k, _)| format!("${k}"))
        .collect();
    let mut d = (*cx.dynamic).clone();
    for (k, v) in &bound {
        env_insert(&mut d.env, k, Some(v.clone()));
    }
    let line = format!(
        "Masking supported pattern matches of {}",
        masked.join(" or ")
    );
    block(run, cx, "withCredentials", vec![line], d, move |cx| {
        Box::pin(async move { plain(run, cx, env, body).await })
    })
    .await
}

/// A `credentials(id)` argument, which may name a plain key of the same block
/// (`CRED_NAME = 'cred1'; CRED1 = credentials("${CRED_NAME}")`): such a key is computed on
/// demand, with the credentials bound so far, as Jenkins resolves the block's references.
async fn credential_id(
    run: &Run<'_>,
    cx: &Cx,
    env: &Environment,
    id: &crate::syntax::ast::Expr,
    bound: &[(String, String)],
) -> R<crate::eval::value::Value> {
    let mut d = (*cx.dynamic).clone();
    for (k, v) in bound {
        env_insert(&mut d.env, k, Some(v.clone()));
    }
    // Each round computes one more key; the block's size bounds the rounds.
    for _ in 0..=env.vars.len() {
        let scope = cx.with_dynamic(d.clone());
        match run.interp.eval(id, &scope).await {
            Err(Flow::Throw(e)) if e.is_a("MissingPropertyException") => {
                let missing = missing_name(e.message.as_deref().unwrap_or_default());
                let plain = missing.and_then(|name| {
                    env.vars.iter().find_map(|v| match &v.value {
                        EnvValue::Expr(x) if v.name.node == name => Some((name.clone(), x)),
                        _ => None,
                    })
                });
                let Some((name, expr)) = plain else {
                    return Err(Flow::Throw(e));
                };
                let value = to_string(&run.interp.eval(expr, &scope).await?);
                env_insert(&mut d.env, &name, Some(value));
            }
            other => return other,
        }
    }
    run.interp.eval(id, &cx.with_dynamic(d)).await
}

async fn plain<'a>(
    run: &Run<'a>,
    cx: Cx,
    env: &'a Environment,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let vars = evaluate(run, &cx, env).await?;
    if vars.is_empty() {
        return body(cx).await;
    }
    with_env(run, &cx, &vars, body).await
}

/// Every plain value of the block, as text, in declaration order.
async fn evaluate(run: &Run<'_>, cx: &Cx, env: &Environment) -> R<Vec<(String, String)>> {
    let exprs: IndexMap<&str, &crate::syntax::ast::Expr> = env
        .vars
        .iter()
        .filter_map(|v| match &v.value {
            EnvValue::Expr(e) => Some((v.name.node.as_str(), e)),
            EnvValue::Credentials { .. } => None,
        })
        .collect();
    let values = RefCell::new(IndexMap::<String, String>::new());
    // Unknown names are declared null in a frame of the block's own.
    let scope = cx.with_frame(Frame::child(&cx.frame));
    for name in exprs.keys() {
        value_of(run, &scope, &exprs, name, &values, &mut Vec::new()).await?;
    }
    let values = values.into_inner();
    Ok(exprs
        .keys()
        .map(|k| {
            (
                (*k).to_string(),
                values.get(*k).cloned().unwrap_or_default(),
            )
        })
        .collect())
}

fn value_of<'a>(
    run: &'a Run<'_>,
    scope: &'a Cx,
    exprs: &'a IndexMap<&'a str, &'a crate::syntax::ast::Expr>,
    name: &'a str,
    values: &'a RefCell<IndexMap<String, String>>,
    stack: &'a mut Vec<String>,
) -> Fut<'a, ()> {
    Box::pin(async move {
        if values.borrow().contains_key(name) {
            return Ok(());
        }
        stack.push(name.to_string());
        loop {
            let mut d = (*scope.dynamic).clone();
            for (k, v) in values.borrow().iter() {
                env_insert(&mut d.env, k, Some(v.clone()));
            }
            match run.interp.eval(exprs[name], &scope.with_dynamic(d)).await {
                Ok(v) => {
                    if let Some(plan) = &run.host.state.plan {
                        // A run-time value reads back as itself, as after `env.V = out`.
                        plan.env_set(name, &v);
                    }
                    values.borrow_mut().insert(name.to_string(), to_string(&v));
                    break;
                }
                Err(Flow::Throw(e)) if e.is_a("MissingPropertyException") => {
                    let Some(missing) = missing_name(e.message.as_deref().unwrap_or_default())
                    else {
                        return Err(Flow::Throw(e));
                    };
                    if exprs.contains_key(missing.as_str()) && !stack.contains(&missing) {
                        let key = *exprs.keys().find(|k| **k == missing).unwrap_or(&name);
                        value_of(run, scope, exprs, key, values, stack).await?;
                    } else if scope.frame.lookup(&missing).is_none()
                        && (exprs.contains_key(missing.as_str())
                            || interpolated(&run.interp.source_text(exprs[name].span), &missing))
                    {
                        // A key of the block that has no value yet (a self-reference to an
                        // unset name), or an unknown name interpolated on its own: null.
                        scope
                            .frame
                            .declare(&missing, crate::eval::value::Value::Null);
                    } else {
                        return Err(Flow::Throw(e));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        stack.pop();
        Ok(())
    })
}

/// Whether `source` interpolates `name` on its own (`${NAME}` or `$NAME`): the only use
/// Jenkins turns into the text `null` when the name is undefined (`${NAME?.x}` still fails).
fn interpolated(source: &str, name: &str) -> bool {
    let braced = format!("${{{name}}}");
    if source.contains(&braced) {
        return true;
    }
    let bare = format!("${name}");
    source.match_indices(&bare).any(|(i, _)| {
        source[i + bare.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
    })
}

/// `X` from `No such property: X for class: …`.
fn missing_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("No such property: ")?;
    Some(rest.split(" for class").next()?.trim().to_string())
}
