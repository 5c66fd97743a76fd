//! Leaf steps: binds a call's arguments to parameter names with the catalogue, converts them
//! to JSON, runs the executor from `steps`, emits the step's start and end, and turns a
//! failure into the Groovy exception Jenkins would throw.

use std::rc::Rc;
use std::time::Instant;

use serde_json::Map;

use super::{PipelineHost, interrupted};
use crate::eval::args::CallArgs;
use crate::eval::exception::Exception;
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::report::{BuildResult, Emitter, Event};
use crate::source::Span;
use crate::stdlib::Catalogue;
use crate::steps::{self, ErrorKind, StepContext, StepError};

/// A value as the JSON a step executor receives.
pub(crate) fn to_json(v: &Value, span: Span) -> R<serde_json::Value> {
    Ok(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => (*i).into(),
        Value::Long(i) => (*i).into(),
        Value::Double(d) => serde_json::Number::from_f64(*d)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Float(d) => serde_json::Number::from_f64(f64::from(*d))
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Dec(d) => match d.as_integer().and_then(|i| i64::try_from(i).ok()) {
            Some(i) => i.into(),
            None => serde_json::Number::from_f64(d.to_f64())
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
        },
        Value::List(_) | Value::Range(_) => serde_json::Value::Array(
            crate::eval::gdk::iter_items(v)?
                .iter()
                .map(|x| to_json(x, span))
                .collect::<R<_>>()?,
        ),
        Value::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m.borrow().iter() {
                out.insert(to_string(&k.0), to_json(v, span)?);
            }
            serde_json::Value::Object(out)
        }
        Value::Closure(_) => {
            return Err(Flow::fatal("a closure cannot be passed to this step", span));
        }
        other => serde_json::Value::String(to_string(other)),
    })
}

/// The named arguments of a step call, positional ones bound by the catalogue's rules.
fn bind(name: &str, args: &CallArgs, span: Span) -> R<Map<String, serde_json::Value>> {
    let mut out = Map::new();
    for (k, v) in &args.named {
        out.insert(to_string(&k.0), to_json(v, span)?);
    }
    let mut positional = args.positional.clone();
    let sig = Catalogue::builtin().step(name);
    // `step([a: 1])`: a lone map is named arguments unless the catalogue says otherwise.
    if out.is_empty()
        && positional.len() == 1
        && let Value::Map(m) = &positional[0]
    {
        let keys: Vec<String> = m.borrow().keys().map(|k| to_string(&k.0)).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        if sig.is_none_or(|s| s.map_is_named_args(&keys)) {
            if let serde_json::Value::Object(o) = to_json(&positional[0], span)? {
                out = o;
            }
            positional.clear();
        }
    }
    if positional.is_empty() {
        return Ok(out);
    }
    let Some(sig) = sig else {
        if positional.len() == 1 {
            out.insert("value".into(), to_json(&positional[0], span)?);
            return Ok(out);
        }
        return Err(Flow::fatal(
            format!("cannot bind the arguments of `{name}`: it is not in the step catalogue"),
            span,
        ));
    };
    let params = sig
        .bind_positional(positional.len(), !out.is_empty(), false)
        .map_err(|e| {
            Flow::exception("java.lang.IllegalArgumentException", e.message(name)).at(span)
        })?;
    for (p, v) in params.iter().zip(&positional) {
        out.insert(p.name.clone(), to_json(v, span)?);
    }
    Ok(out)
}

/// What a step this runner cannot perform throws. Not a Jenkins class: it prints as its plain
/// message (`unsupported: …`), and `catch (Exception e)` still catches it.
const UNSUPPORTED_CLASS: &str = "jenkinsfile.UnsupportedFeatureException";

/// Jenkins' text for a call to a name that is neither a step, a symbol nor a global
/// (`DSL.invokeMethod`): every known name of each kind, sorted.
fn no_such_dsl_method(cat: &Catalogue, name: &str) -> String {
    let sorted = |names: Vec<&String>| {
        let mut names: Vec<&str> = names.into_iter().map(String::as_str).collect();
        names.sort_unstable();
        names.join(", ")
    };
    format!(
        "No such DSL method '{name}' found among steps [{}] or symbols [{}] or globals [{}]",
        sorted(cat.steps.keys().collect()),
        sorted(cat.symbols.keys().collect()),
        sorted(cat.globals.keys().collect()),
    )
}

/// The exception Jenkins throws for a failed step.
pub(crate) fn step_exception(e: &StepError) -> Rc<Exception> {
    let (class, message) = match e.kind {
        ErrorKind::Abort => ("hudson.AbortException".to_string(), Some(e.message.clone())),
        ErrorKind::Interrupted => (
            "org.jenkinsci.plugins.workflow.steps.FlowInterruptedException".to_string(),
            Some(e.message.clone()),
        ),
        ErrorKind::Unsupported => (
            UNSUPPORTED_CLASS.to_string(),
            Some(if e.message.starts_with("unsupported") {
                e.message.clone()
            } else {
                format!("unsupported: {}", e.message)
            }),
        ),
        ErrorKind::Failure => match e.message.split_once(": ") {
            Some((class, rest)) if class.contains('.') && !class.contains(' ') => {
                (class.to_string(), Some(rest.to_string()))
            }
            _ => (
                "java.lang.RuntimeException".to_string(),
                Some(e.message.clone()),
            ),
        },
    };
    Rc::new(Exception::new(&class, message))
}

/// The result and the `ERROR:` text for an exception that ends the build.
pub(crate) fn describe_failure(e: &Exception) -> (BuildResult, String) {
    if e.is_a("FlowInterruptedException") {
        return (BuildResult::Aborted, e.message.clone().unwrap_or_default());
    }
    if e.is_a("AbortException") || e.is_a(UNSUPPORTED_CLASS) {
        return (BuildResult::Failure, e.message.clone().unwrap_or_default());
    }
    (BuildResult::Failure, e.to_string())
}

/// Prints an exception where it is handled (end of build, catchError, retry): `ERROR: <msg>`,
/// except an interruption, which prints its cause as it is (`Timeout has been exceeded`).
pub(crate) fn report_failure(emit: &Emitter, e: &Exception) {
    let (result, text) = describe_failure(e);
    if result == BuildResult::Aborted {
        emit.log(text);
    } else {
        emit.emit(Event::Error { message: text });
    }
}

pub(crate) async fn run(
    host: &PipelineHost,
    name: &str,
    args: CallArgs,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let Some(exec) = steps::lookup(name) else {
        let cat = Catalogue::builtin();
        if cat.step(name).is_some() {
            return Err(Flow::fatal(
                format!("unsupported: step '{name}' is not available yet"),
                span,
            ));
        }
        return Err(
            Flow::exception("java.lang.NoSuchMethodError", no_such_dsl_method(cat, name)).at(span),
        );
    };
    let named = bind(name, &args, span)?;
    let cancel = host.cancel(cx);
    if let Some(reason) = cancel.reason() {
        return Err(interrupted(&reason).at(span));
    }
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: name.to_string(),
        summary: steps::summary(&named),
        block: false,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    super::credentials::warn_interpolation(host, name, &args, cx, &emit);
    let state = &host.state;
    let ctx = StepContext {
        cwd: cx
            .dynamic
            .cwd
            .clone()
            .unwrap_or_else(|| state.config.host.workspace.clone()),
        env: state.effective_env(&cx.dynamic),
        emit: emit.clone(),
        cancel,
        host: state.config.host.clone(),
    };
    let started = Instant::now();
    let result = exec(&ctx, named).await;
    let duration_ms = started.elapsed().as_millis() as u64;
    let (step_result, error) = match &result {
        Ok(_) => (BuildResult::Success, None),
        Err(e) if e.kind == ErrorKind::Interrupted => {
            (BuildResult::Aborted, Some(e.message.clone()))
        }
        Err(e) => (BuildResult::Failure, Some(e.message.clone())),
    };
    emit.emit(Event::StepEnd {
        name: name.to_string(),
        block: false,
        result: step_result,
        duration_ms,
        error,
    });
    match result {
        Ok(v) => Ok(crate::eval::classes::json::from_json(&v)),
        Err(e) => {
            let ex = step_exception(&e);
            ex.span.set(Some(span));
            Err(Flow::Throw(ex))
        }
    }
}
