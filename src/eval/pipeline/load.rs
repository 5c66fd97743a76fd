//! The `load` step (workflow-cps `LoadStep`): reads a Groovy file from the current directory
//! of the workspace, parses it and runs it as a script of its own, right away, returning what
//! the script returns (commonly `this`, whose methods the caller then calls).
//!
//! As in CPS, the loaded script shares the binding with the script that loaded it (an
//! undeclared assignment in either is seen by both) and the pipeline host (steps, `env`,
//! `params`, `currentBuild`, `scm`), while its `def` methods, classes, imports and locals are
//! its own: it gets its own [`Interp`]. Its `this` is a [`ScriptObject`]
//! whose method calls and properties dispatch into that interpreter.
//!
//! A closure runs in the script it was written in, whichever script calls it (a loaded
//! file's closure sees that file's methods; a Jenkinsfile closure given to a loaded file's
//! method sees the Jenkinsfile's): every script of a build is in one [`Family`].
//!
//! Ownership: the script that loads another keeps it alive; everything else (the
//! [`LoadedScript`] object, the family list) reaches it weakly. A loaded script's object is
//! often stored in the shared binding (`utils = load …`), and a strong reference there would
//! close a cycle binding → script → binding that keeps the host, and with it the build's
//! log, open for ever: the process then never ends.

use std::cell::RefCell;
use std::path::Path;
use std::rc::{Rc, Weak};
use std::time::Instant;

use super::PipelineHost;
use super::blocks::result_of;
use super::leaf::{UNSUPPORTED_CLASS, bind, missing_workspace};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::exception::Exception;
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

/// Java's class name of the Jenkinsfile's script.
const MAIN_CLASS: &str = "WorkflowScript";

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
    // The path is a String parameter: `load 42` coerces, `load()` has none.
    let file = match named.get("path") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => {
            return Err(Flow::exception(
                "java.lang.IllegalArgumentException",
                "load is missing required parameter 'path'",
            )
            .at(span));
        }
        Some(other) => other.to_string(),
    };
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
            let r = execute(interp, source, ast, &file, span, cx).await;
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
/// binding; what it returns, its `this` being a [`ScriptObject`]. The plan calls this
/// for a file of the working tree.
pub(crate) async fn evaluate(
    interp: &Interp,
    text: String,
    file: &str,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let (source, ast) = compile(text, file, span)?;
    execute(interp, source, ast, file, span, cx).await
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

/// Runs a parsed file in an interpreter of its own that shares `interp`'s host and binding;
/// `interp` keeps it alive.
async fn execute(
    interp: &Interp,
    source: SourceFile,
    ast: ast::File,
    file: &str,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let ast = returning_last(ast);
    // A load is a call: a file that loads itself ends in StackOverflowError, not in an
    // overflow of the process's stack.
    interp.enter(span)?;
    let r = execute_entered(interp, source, ast, file, span, cx).await;
    interp.depth.set(interp.depth.get() - 1);
    r
}

async fn execute_entered(
    interp: &Interp,
    source: SourceFile,
    ast: ast::File,
    file: &str,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let child = Rc::new(interp.sharing_binding());
    child.set_source(&source.text);
    *child.family.script.borrow_mut() = Some(Rc::new(Named {
        file: file.to_string(),
        source,
    }));
    interp.family.loaded.borrow_mut().push(child.clone());
    child
        .family
        .members
        .borrow_mut()
        .push(Rc::downgrade(&child));
    give_self(&child, SCRIPT_CLASS);
    let script_cx = root_cx(cx);
    let r = child.run_file(&ast, &script_cx).await;
    match r {
        Ok(v) => Ok(v),
        Err(Outcome::Uncaught(e)) => Err(relocate(&child, Flow::Throw(e), "run", span)),
        Err(Outcome::Fatal(f)) => Err(relocate(&child, Flow::Fatal(Box::new(f)), "run", span)),
    }
}

/// Groovy's script `run()` returns its last statement's value (its methods, classes and
/// imports are not statements of `run()`): a file ending in an expression returns it, as if
/// `return` were written; one ending in a declaration returns the declared value (Groovy
/// 2.4: `def x = 5` gives 5). A last `if`/`switch`/`try` is not looked into.
fn returning_last(mut file: ast::File) -> ast::File {
    let last = file.stmts.iter().rposition(|s| {
        !matches!(
            s.node,
            ast::StmtKind::Method(_) | ast::StmtKind::Class(_) | ast::StmtKind::Import(_)
        )
    });
    let Some(at) = last else {
        return file;
    };
    let stmt = &mut file.stmts[at];
    match &stmt.node {
        ast::StmtKind::Expr(e) => stmt.node = ast::StmtKind::Return(Some(e.clone())),
        ast::StmtKind::VarDecl(ast::VarDecl {
            targets: ast::DeclTargets::Names(names),
            ..
        }) if !names.is_empty() => {
            let name = names[names.len() - 1].name.clone();
            let value = ast::Expr::new(ast::ExprKind::Var(name.node), name.span);
            let back = ast::Stmt::new(ast::StmtKind::Return(Some(value)), stmt.span);
            file.stmts.insert(at + 1, back);
        }
        _ => {}
    }
    file
}

/// Every script of one build: the Jenkinsfile (once [`register`]ed) and the files it loads.
#[derive(Default)]
pub(crate) struct Family {
    /// All of them, shared by all of them.
    members: Rc<RefCell<Vec<Weak<Interp>>>>,
    /// The scripts this one loaded, which it keeps alive.
    loaded: RefCell<Vec<Rc<Interp>>>,
    /// Which file this script is; `None` for the Jenkinsfile.
    script: RefCell<Option<Rc<Named>>>,
    /// What `this` is at the script's top level and in its methods: one object, so that a
    /// script's `this` is the same object wherever it is kept.
    me: RefCell<Option<Rc<Object>>>,
}

impl Family {
    /// The family a new script sharing the binding joins.
    pub(crate) fn relative(&self) -> Family {
        Family {
            members: self.members.clone(),
            ..Family::default()
        }
    }
}

/// A loaded file's name as given to `load` and its text, to locate failures in it.
struct Named {
    file: String,
    source: SourceFile,
}

/// Makes the build's main script a member of its family, so that its closures run in it when
/// a loaded script calls them.
pub(crate) fn register(interp: &Rc<Interp>) {
    interp
        .family
        .members
        .borrow_mut()
        .push(Rc::downgrade(interp));
    give_self(interp, MAIN_CLASS);
}

/// Makes `interp`'s `this` an object of class `class` that calls into it.
fn give_self(interp: &Rc<Interp>, class: &'static str) {
    let me = ScriptObject {
        interp: Rc::downgrade(interp),
        class,
    };
    *interp.family.me.borrow_mut() = Some(Rc::new(Object::Host(Rc::new(me))));
}

/// What `this` is in a script's top level, methods and closures: its script object once it
/// has one (a build's scripts), else the marker the interpreter resolves against itself.
pub(crate) fn this_value(interp: &Interp) -> Value {
    match &*interp.family.me.borrow() {
        Some(o) => Value::Object(o.clone()),
        None => Value::Class(Rc::from("this")),
    }
}

/// `java.lang.Object`'s methods of script object `me`: `is`/`equals` (identity), `toString`.
pub(crate) fn object_method(me: &Rc<Object>, name: &str, args: &CallArgs) -> Option<Value> {
    match (name, args.positional.as_slice()) {
        ("is" | "equals", [other]) => Some(Value::Bool(
            matches!(other, Value::Object(o) if Rc::ptr_eq(o, me)),
        )),
        ("toString", []) => Some(Value::str(&me.to_text())),
        _ => None,
    }
}

/// Whether `o` is `interp`'s own `this`: its calls and properties are then resolved as
/// a bare name's are.
pub(crate) fn is_self(interp: &Interp, o: &Rc<Object>) -> bool {
    interp
        .family
        .me
        .borrow()
        .as_ref()
        .is_some_and(|me| Rc::ptr_eq(me, o))
}

/// The script a closure literal was written in, when another script is about to run it.
pub(crate) fn owner_of(interp: &Interp, def: &Rc<ast::Closure>) -> Option<Rc<Interp>> {
    let members = interp.family.members.borrow();
    if members.len() < 2 || interp.owns_closure(def) {
        return None;
    }
    members
        .iter()
        .filter_map(Weak::upgrade)
        .find(|m| m.owns_closure(def))
}

/// Runs closure `c` in `owner`, the script it was written in (the call depth is shared by
/// the scripts of a build); a failure inside a loaded file is located in it.
pub(crate) async fn call_in(
    owner: &Interp,
    c: &Rc<Closure>,
    args: Vec<Value>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let r = owner.call_closure(c, args, span, cx).await;
    r.map_err(|flow| relocate(owner, flow, "doCall", span))
}

/// `utils()` where the local `utils` holds a loaded script: Groovy calls its `call` method.
pub(crate) fn callable(interp: &Interp, name: &str, cx: &Cx) -> Option<Value> {
    if interp.family.members.borrow().len() < 2 {
        return None;
    }
    match cx.frame.lookup(name)? {
        Value::Object(o) if matches!(&*o, Object::Host(h) if matches!(h.class_name(), SCRIPT_CLASS | MAIN_CLASS)) => {
            Some(Value::Object(o))
        }
        _ => None,
    }
}

/// A failure leaving loaded script `script` (in its `what`, `run` for its top level) for
/// the script that called it at `span`: an exception gets a stack frame in the file and the
/// caller's position; an interpreter error or an "unsupported" one is prefixed with
/// `file:line:col`, as the caller's position is then printed before it.
fn relocate(script: &Interp, flow: Flow, what: &str, span: Span) -> Flow {
    let Some(named) = script.family.script.borrow().clone() else {
        return flow;
    };
    let at = |s: Span| named.source.line_col(s.start as usize);
    match flow {
        Flow::Fatal(mut f) => {
            if f.span != Span::default() {
                let lc = at(f.span);
                f.message = format!("{}:{}:{}: {}", named.file, lc.line, lc.column, f.message);
            }
            f.span = span;
            Flow::Fatal(f)
        }
        Flow::Throw(e) if e.class == UNSUPPORTED_CLASS => {
            let Some(inside) = e.span.get() else {
                e.span.set(Some(span));
                return Flow::Throw(e);
            };
            let lc = at(inside);
            let message = e.message.clone().unwrap_or_default();
            let moved = Exception::new(
                UNSUPPORTED_CLASS,
                Some(format!(
                    "{}:{}:{}: {message}",
                    named.file, lc.line, lc.column
                )),
            );
            moved.span.set(Some(span));
            Flow::Throw(Rc::new(moved))
        }
        Flow::Throw(e) => {
            if let Some(inside) = e.span.get().filter(|s| *s != Span::default()) {
                let line = at(inside).line;
                e.trace
                    .borrow_mut()
                    .push(format!("\tat {SCRIPT_CLASS}.{what}({}:{line})", named.file));
            }
            e.span.set(Some(span));
            Flow::Throw(e)
        }
        other => other,
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

/// The object a script's `this` is: `WorkflowScript` for the Jenkinsfile, `Script1` for a
/// loaded file, as in Jenkins.
pub(crate) struct ScriptObject {
    interp: Weak<Interp>,
    class: &'static str,
}

impl std::fmt::Debug for ScriptObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = self
            .interp
            .upgrade()
            .and_then(|i| i.family.script.borrow().as_ref().map(|n| n.file.clone()));
        write!(f, "{}({})", self.class, file.unwrap_or_default())
    }
}

impl ScriptObject {
    /// Its interpreter, alive as long as the script that loaded it.
    fn script(&self) -> R<Rc<Interp>> {
        self.interp.upgrade().ok_or_else(|| {
            Flow::fatal(
                "internal: a loaded script outlived its build",
                Span::default(),
            )
        })
    }
}

impl HostObject for ScriptObject {
    fn class_name(&self) -> &'static str {
        self.class
    }

    fn get(&self, name: &str, cx: &Cx) -> R<Value> {
        self.script()?.lookup(name, Span::default(), &root_cx(cx))
    }

    fn set(&self, name: &str, value: Value, _cx: &Cx) -> R<()> {
        self.script()?
            .binding
            .borrow_mut()
            .insert(name.to_string(), value);
        Ok(())
    }

    fn call_async<'a>(
        &'a self,
        _caller: &'a Interp,
        name: &'a str,
        args: &CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        let args = args.clone();
        Some(Box::pin(async move {
            let script = self.script()?;
            let me = script.family.me.borrow().clone();
            if let Some(v) = me.and_then(|me| object_method(&me, name, &args)) {
                return Ok(v);
            }
            let inner = root_cx(cx);
            let r = script
                .call_function(name, args, Span::default(), &inner)
                .await;
            r.map_err(|flow| relocate(&script, flow, name, span))
        }))
    }

    fn to_text(&self) -> String {
        // Java's identity hash: stable for the object, differing between scripts.
        let hash = Weak::as_ptr(&self.interp).addr() & 0xffff_ffff;
        format!("{}@{hash:x}", self.class)
    }
}
