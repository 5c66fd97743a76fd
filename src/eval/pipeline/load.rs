//! The `load` step (workflow-cps `LoadStep`): reads a Groovy file from the current directory
//! of the workspace, parses it and runs it as a script of its own, right away, returning what
//! the script returns (commonly `this`, whose methods the caller then calls).
//!
//! As in CPS, the loaded script shares the binding with the script that loaded it (an
//! undeclared assignment in either is seen by both) and the pipeline host (steps, `env`,
//! `params`, `currentBuild`, `scm`), while its `def` methods, classes, imports and locals are
//! its own: it gets its own [`Interp`]. Its `this` reaches the caller as a [`LoadedScript`]
//! object whose method calls and properties dispatch into that interpreter.
//!
//! Known gap: a closure the loaded file returns (or stores in the binding) runs in the
//! interpreter that calls it, so inside it a call to one of the loaded file's `def` methods
//! is not found; calling the methods through the returned script object works.

use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use super::PipelineHost;
use super::blocks::result_of;
use super::leaf::{bind, missing_workspace};
use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::host::LocalBoxFuture;
use crate::eval::interp::{Interp, Outcome};
use crate::eval::object::{HostObject, Object};
use crate::eval::scope::{Cx, Frame, This};
use crate::eval::value::Value;
use crate::report::Event;
use crate::source::{SourceFile, Span};
use crate::steps;
use crate::syntax::ast;

/// What Groovy throws for a file that does not compile; the plan recognises it too.
pub(crate) const COMPILE_ERROR: &str =
    "org.codehaus.groovy.control.MultipleCompilationErrorsException";

/// Java's class name of a script Jenkins compiled from a loaded file.
const SCRIPT_CLASS: &str = "Script1";

/// `load 'path'` / `load(path: 'x')` in a run.
pub(crate) async fn run(
    host: &PipelineHost,
    interp: &Interp,
    args: CallArgs,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let named = bind("load", &args, span)?;
    if !cx.dynamic.on_node {
        return Err(missing_workspace(host, "load", &named, span, cx));
    }
    let file = named
        .get("path")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string();
    let cwd = cx
        .dynamic
        .cwd
        .clone()
        .unwrap_or_else(|| host.state.workspace(&cx.dynamic));
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: "load".into(),
        summary: steps::summary(&named),
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let started = Instant::now();
    // LoadStepExecution reads and parses the file before it starts the body, so a missing or
    // broken file fails the step without the `{ (path)` lines.
    let compiled = match std::fs::read_to_string(cwd.join(&file)) {
        Ok(text) => compile(text, &file, span),
        Err(e) => Err(not_readable(&cwd.join(&file), &e).at(span)),
    };
    let r = match compiled {
        Ok((source, ast)) => {
            // The script runs as the step's body, named by its path: `[Pipeline] { (x.groovy)`.
            emit.emit(Event::BodyStart {
                label: Some(file.clone()),
            });
            let r = execute(interp, source, &ast, &file, span, cx).await;
            emit.emit(Event::BodyEnd);
            r
        }
        Err(e) => Err(e),
    };
    let (result, error) = result_of(&r);
    emit.emit(Event::StepEnd {
        name: "load".into(),
        block: true,
        result,
        duration_ms: started.elapsed().as_millis() as u64,
        error,
    });
    r
}

/// Parses and runs `text` (the file `file`) as a script sharing `interp`'s host and
/// binding; what it returns, with its `this` as a [`LoadedScript`]. The plan calls this
/// for a file of the working tree.
pub(crate) async fn evaluate(
    interp: &Interp,
    text: String,
    file: &str,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let (source, ast) = compile(text, file, span)?;
    execute(interp, source, &ast, file, span, cx).await
}

/// The parsed file, or Groovy's compilation failure naming the file, line and column.
fn compile(text: String, file: &str, span: Span) -> R<(SourceFile, ast::File)> {
    let source = SourceFile::new(file, text);
    let ast = crate::syntax::parse(&source).map_err(|diags| {
        let lines: Vec<String> = diags
            .iter()
            .map(|d| {
                let at = source.line_col(d.span.start as usize);
                format!("{file}:{}:{}: {}", at.line, at.column, d.message)
            })
            .collect();
        Flow::exception(
            COMPILE_ERROR,
            format!("startup failed:\n{}", lines.join("\n")),
        )
        .at(span)
    })?;
    Ok((source, ast))
}

/// Runs a parsed file in an interpreter of its own that shares `interp`'s host and binding.
async fn execute(
    interp: &Interp,
    source: SourceFile,
    ast: &ast::File,
    file: &str,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let child = Rc::new(interp.sharing_binding());
    child.set_source(&source.text);
    let script_cx = root_cx(cx);
    let loaded = LoadedScript {
        interp: child.clone(),
        file: file.to_string(),
        source: Rc::new(source),
    };
    match child.run_file(ast, &script_cx).await {
        Ok(v) => Ok(loaded.adopt(v)),
        Err(Outcome::Uncaught(e)) => Err(loaded.relocate(Flow::Throw(e), span)),
        Err(Outcome::Fatal(f)) => Err(loaded.relocate(Flow::Fatal(Box::new(f)), span)),
    }
}

/// Java's `FilePath.readToString` of a missing file: `NoSuchFileException: /ws/x.groovy`.
fn not_readable(path: &Path, e: &std::io::Error) -> Flow {
    let shown = path.display().to_string();
    match e.kind() {
        std::io::ErrorKind::NotFound => Flow::exception("java.nio.file.NoSuchFileException", shown),
        _ => Flow::exception("java.io.IOException", format!("{shown}: {e}")),
    }
}

/// The loaded script's `run()` frame, with the caller's dynamic state (node, directory,
/// environment, stage).
fn root_cx(cx: &Cx) -> Cx {
    Cx {
        frame: Frame::root(),
        this: This::Script,
        delegate: None,
        dynamic: cx.dynamic.clone(),
    }
}

/// The object a loaded file's `this` is: `Script1` in Jenkins.
pub(crate) struct LoadedScript {
    interp: Rc<Interp>,
    file: String,
    source: Rc<SourceFile>,
}

impl std::fmt::Debug for LoadedScript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoadedScript({})", self.file)
    }
}

impl LoadedScript {
    /// The loaded script's `this` (`Value::Class("this")` inside it) becomes this object;
    /// any other value is returned as it is.
    fn adopt(self, v: Value) -> Value {
        match v {
            Value::Class(c) if &*c == "this" => Value::Object(Rc::new(Object::Host(Rc::new(self)))),
            other => other,
        }
    }

    /// A failure inside the loaded file carries a position in that file: its message says
    /// `file:line:col` and the position becomes the caller's, so the report points into the
    /// file that is shown.
    fn relocate(&self, flow: Flow, span: Span) -> Flow {
        match flow {
            Flow::Fatal(mut f) => {
                if f.span != Span::default() {
                    let at = self.source.line_col(f.span.start as usize);
                    f.message = format!("{}:{}:{}: {}", self.file, at.line, at.column, f.message);
                }
                f.span = span;
                Flow::Fatal(f)
            }
            Flow::Throw(e) => {
                e.span.set(Some(span));
                Flow::Throw(e)
            }
            other => other,
        }
    }
}

impl HostObject for LoadedScript {
    fn class_name(&self) -> &'static str {
        SCRIPT_CLASS
    }

    fn get(&self, name: &str, cx: &Cx) -> R<Value> {
        self.interp.lookup(name, Span::default(), &root_cx(cx))
    }

    fn set(&self, name: &str, value: Value, _cx: &Cx) -> R<()> {
        self.interp
            .binding
            .borrow_mut()
            .insert(name.to_string(), value);
        Ok(())
    }

    fn call_async<'a>(
        &'a self,
        _interp: &'a Interp,
        name: &'a str,
        args: &CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        let args = args.clone();
        Some(Box::pin(async move {
            let inner = root_cx(cx);
            let r = self
                .interp
                .call_function(name, args, Span::default(), &inner)
                .await;
            match r {
                Ok(Value::Class(c)) if &*c == "this" => Ok(Value::Object(Rc::new(Object::Host(
                    Rc::new(LoadedScript {
                        interp: self.interp.clone(),
                        file: self.file.clone(),
                        source: self.source.clone(),
                    }),
                )))),
                Ok(v) => Ok(v),
                Err(flow) => Err(self.relocate(flow, span)),
            }
        }))
    }

    fn to_text(&self) -> String {
        format!("{SCRIPT_CLASS}@1")
    }
}
