//! What the interpreter asks of whoever embeds it: where `println` goes, which globals exist
//! (`env`, `params`, `currentBuild` in a pipeline) and how to run a call the script does not
//! define (a pipeline step). The plain-Groovy host of `jenkinsfile groovy` has no globals and
//! no steps.

use std::future::Future;
use std::pin::Pin;

use super::args::CallArgs;
use super::flow::R;
use super::interp::Interp;
use super::scope::Cx;
use super::value::Value;
use crate::source::Span;

pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

pub trait Host {
    /// `println`/`print` output.
    fn print(&self, cx: &Cx, text: &str);

    /// A name that is neither a variable nor a class: `env`, `params`, `BUILD_NUMBER`, ….
    fn global(&self, _name: &str, _cx: &Cx) -> Option<Value> {
        None
    }

    /// A call to a function the script does not define. `None` when the host has no such
    /// function, so the interpreter raises `MissingMethodException`.
    fn call<'a>(
        &'a self,
        _interp: &'a Interp,
        _name: &'a str,
        _args: CallArgs,
        _span: Span,
        _cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        None
    }

    /// The message class of `MissingPropertyException` for an unknown bare name: the script
    /// class for plain Groovy, `groovy.lang.Binding` in Jenkins.
    fn binding_class(&self) -> String;

    /// Whether an `if` on a value only a run would know runs both branches (planning).
    fn plans_both_branches(&self) -> bool {
        false
    }

    /// Planning: how many steps with an effect (an `sh`, a push) are planned so far; a body
    /// that adds one could fail in a run.
    fn planned_effects(&self) -> usize {
        0
    }

    /// Planning: a note for the plan where `cx` is (`loop planned once: …`).
    fn plan_note(&self, _cx: &Cx, _text: &str) {}

    /// Planning: `recv.name(args)` on the run-time value `origin`. `Some` when the planner
    /// takes the call (a shared library's global: recorded as a step).
    fn plan_method_call(
        &self,
        _origin: &str,
        _name: &str,
        _args: &CallArgs,
        _span: Span,
        _cx: &Cx,
    ) -> Option<R<Value>> {
        None
    }

    /// Planning: code that may run (a `catch` body) throws: the build could end in FAILURE,
    /// for the reason `why`.
    fn plan_could_fail(&self, _why: &str) {}

    /// Planning: what a name the script never defines stands for (a shared library's
    /// variable, a job parameter, an agent's variable): a run-time value. `None` (a run):
    /// Groovy's `MissingPropertyException`.
    fn unknown_name(&self, _name: &str, _cx: &Cx) -> Option<Value> {
        None
    }
}

/// A host that prints into a callback and has nothing else: plain Groovy.
pub struct PlainHost {
    pub script_class: String,
    pub out: Box<dyn Fn(&str)>,
}

impl Host for PlainHost {
    fn print(&self, _cx: &Cx, text: &str) {
        (self.out)(text);
    }

    fn binding_class(&self) -> String {
        self.script_class.clone()
    }
}
