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
        Value::Dec(d) => match d.as_integer().and_then(|i| i64::try_from(&i).ok()) {
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
pub(crate) fn bind(name: &str, args: &CallArgs, span: Span) -> R<Map<String, serde_json::Value>> {
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
pub(crate) const UNSUPPORTED_CLASS: &str = "jenkinsfile.UnsupportedFeatureException";

/// What a step this runner cannot perform (yet) throws: a plain `unsupported: …` message,
/// catchable like any exception, printed with its place when nothing catches it.
#[cold]
pub(crate) fn unsupported(message: String, span: Span) -> Flow {
    Flow::exception(UNSUPPORTED_CLASS, message).at(span)
}

/// Whether an exception is this runner's own "unsupported" one.
pub(crate) fn is_unsupported(e: &Exception) -> bool {
    e.class == UNSUPPORTED_CLASS
}

/// Steps whose executor needs a workspace (Jenkins' `FilePath` context), so that they fail
/// outside `node` as in Jenkins. The file-system steps of other families are listed too.
pub(crate) const NEEDS_WORKSPACE: &[&str] = &[
    "archiveArtifacts",
    "bat",
    "checkout",
    "cleanWs",
    "deleteDir",
    "dir",
    "fileExists",
    "findFiles",
    "git",
    "junit",
    "powershell",
    "pwd",
    "pwsh",
    "readCSV",
    "readFile",
    "readJSON",
    "readManifest",
    "readMavenPom",
    "readProperties",
    "readYaml",
    "sh",
    "stash",
    "touch",
    "unstash",
    "unzip",
    "writeFile",
    "writeJSON",
    "writeMavenPom",
    "writeYaml",
    "zip",
];

/// Jenkins' `MissingContextVariableException` for a workspace step outside `node`
/// (runtime-semantics §1.5): the step's node is printed, then the step fails to start.
#[cold]
pub(crate) fn missing_workspace(
    host: &PipelineHost,
    name: &str,
    named: &Map<String, serde_json::Value>,
    span: Span,
    cx: &Cx,
) -> Flow {
    missing_context(host, name, named, "hudson.FilePath", span, cx)
}

/// The same for a step that needs another context class (`ws` needs `hudson.model.Computer`).
#[cold]
pub(crate) fn missing_context(
    host: &PipelineHost,
    name: &str,
    named: &Map<String, serde_json::Value>,
    context: &str,
    span: Span,
    cx: &Cx,
) -> Flow {
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: name.to_string(),
        summary: steps::summary(named),
        block: false,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    // Under `agent none`, the declarative runtime turns this into its own `error`
    // (`declarative/node_context.rs`).
    let class = "org.jenkinsci.plugins.workflow.steps.MissingContextVariableException";
    let message = format!(
        "Required context class {context} is missing\n\
         Perhaps you forgot to surround the {name} step with a step that provides this, such as: node"
    );
    emit.emit(Event::StepEnd {
        name: name.to_string(),
        block: false,
        result: BuildResult::Failure,
        duration_ms: 0,
        error: Some(message.clone()),
    });
    Flow::exception(class, message).at(span)
}

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
        let result = crate::home::supersede::interruption_result(e.message.as_deref());
        return (result, e.message.clone().unwrap_or_default());
    }
    if e.is_a("AbortException") || e.is_a(UNSUPPORTED_CLASS) {
        return (BuildResult::Failure, e.message.clone().unwrap_or_default());
    }
    (BuildResult::Failure, e.to_string())
}

/// Prints an exception where it is handled (end of build, catchError, retry): `ERROR: <msg>`
/// for an `AbortException`, an interruption's cause as it is (`Timeout has been exceeded`),
/// and Java's stack-trace form for anything else (runtime-semantics §9.1).
// Part of the API the declarative runtime (another branch) builds on.
#[allow(dead_code)]
pub(crate) fn report_failure(emit: &Emitter, e: &Exception) {
    report_failure_in(emit, e, None, None);
}

/// [`report_failure`], with the script text to number the stack trace's line from, and the
/// `ERROR:` line Jenkins puts before a stack trace at some places (`retry`'s
/// `Execution failed`).
pub(crate) fn report_failure_in(
    emit: &Emitter,
    e: &Exception,
    script: Option<&str>,
    lead: Option<&str>,
) {
    let (result, text) = describe_failure(e);
    if matches!(result, BuildResult::Aborted | BuildResult::NotBuilt) {
        emit.log(text);
    } else if e.is_a("AbortException") || e.is_a(UNSUPPORTED_CLASS) {
        emit.emit(Event::Error { message: text });
    } else {
        if let Some(lead) = lead {
            emit.emit(Event::Error {
                message: lead.to_string(),
            });
        }
        for line in stack_trace(e, script) {
            emit.log(line);
        }
    }
}

/// Java's `printStackTrace` form of a script exception: `class: message`, one frame in the
/// script (`WorkflowScript`, the class Jenkins compiles the Jenkinsfile into) where the line
/// is known, and the causes.
pub(crate) fn stack_trace(e: &Exception, script: Option<&str>) -> Vec<String> {
    let mut lines = vec![e.to_string()];
    let frame = |e: &Exception, lines: &mut Vec<String>| {
        if let (Some(span), Some(text)) = (e.span.get(), script) {
            let line = 1 + text
                .get(..span.start as usize)
                .map_or(0, |before| before.matches('\n').count());
            lines.push(format!("\tat WorkflowScript.run(WorkflowScript:{line})"));
        }
    };
    lines.extend(e.trace.borrow().iter().cloned());
    frame(e, &mut lines);
    let cause_of = |e: &Exception| match &e.cause {
        Some(Value::Exception(c)) => Some(c.clone()),
        _ => None,
    };
    let mut next = cause_of(e);
    // A cause chain is short; the bound only guards against a cycle.
    for _ in 0..16 {
        let Some(c) = next else {
            break;
        };
        lines.push(format!("Caused by: {c}"));
        lines.extend(c.trace.borrow().iter().cloned());
        frame(&c, &mut lines);
        next = cause_of(&c);
    }
    lines
}

pub(crate) async fn run(
    host: &PipelineHost,
    name: &str,
    args: CallArgs,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let Some(exec) = steps::lookup(name) else {
        if let Some(made) = super::symbol::describable(name, &args, span) {
            return made;
        }
        let cat = Catalogue::builtin();
        if cat.step(name).is_some() {
            return Err(unsupported(
                format!("unsupported: step '{name}' is not available yet"),
                span,
            ));
        }
        return Err(
            Flow::exception("java.lang.NoSuchMethodError", no_such_dsl_method(cat, name)).at(span),
        );
    };
    let named = bind(name, &args, span)?;
    if !cx.dynamic.on_node && NEEDS_WORKSPACE.contains(&name) {
        return Err(missing_workspace(host, name, &named, span, cx));
    }
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
            .unwrap_or_else(|| state.workspace(&cx.dynamic)),
        env: state.effective_env(&cx.dynamic),
        emit: emit.clone(),
        cancel,
        host: state.step_host(&cx.dynamic),
        agent: cx.dynamic.agent.clone(),
    };
    let started = Instant::now();
    let before = state.result.get();
    state.config.host.result.set(before);
    let result = exec(&ctx, named).await;
    // A step may have worsened the result (`junit` marks the build UNSTABLE).
    let after = state.config.host.result.get();
    if after > before {
        state.degrade(after);
    }
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
