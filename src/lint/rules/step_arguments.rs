//! A known step called with arguments its catalogue entry does not accept, in code that
//! Jenkins' Declarative validator never sees.
//!
//! ## What it flags
//! Inside `script { }`, scripted pipelines and methods of the file: an unknown parameter
//! (with did-you-mean), a missing required parameter, a literal of the wrong type, too many
//! positional arguments, for catalogued steps and methods of catalogued globals
//! (`docker.build(…)`). The same mistakes in Declarative `steps` and `post` blocks are
//! Jenkins' validator errors, reported as errors with Jenkins' wording and codes
//! (`unknown-parameter`: `Invalid parameter "x"…`). Outside them, when the file loads a shared
//! library that is not configured, the findings are notes: a library global of the same name
//! may shadow the step, and its parameters are unknown.
//!
//! ## Why
//! Jenkins does not check this code before the build. At run time an unknown parameter is
//! only a console warning (`WARNING: Unknown parameter(s) found for class type …`) and is
//! ignored; a missing one fails the step halfway through the build.
//!
//! ## Example
//! ```groovy
//! def ping(String url) {
//!     httpRequest url: url, method: 'GET'
//! }
//! ```
//!
//! ## Fix
//! Use the parameter names the step documents (`jenkinsfile steps NAME`), here
//! `httpMode: 'GET'`. If the step comes from a shared library, configure the library
//! (`--library NAME=PATH`).

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Context;
use crate::lint::rules::unknown_step::known::Known;
use crate::lint::walk::{self, Call, Frame, Visitor};
use crate::stdlib::{self, Catalogue, StepSig};
use crate::syntax::ast::{Expr, ExprKind};

const CODE: &str = "step-arguments";

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let known = Known::collect(cx.file);
    let libraries = known
        .unread_libraries(cx.options)
        .iter()
        .map(|l| format!("`{l}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rule = Rule {
        cx,
        known: &known,
        libraries,
        catalogue: Catalogue::builtin(),
        out,
    };
    walk::walk(cx.file, &mut rule);
}

struct Rule<'c, 'a, 'o> {
    cx: &'c Context<'a>,
    known: &'c Known<'a>,
    /// The unconfigured libraries the file loads, quoted, or empty.
    libraries: String,
    catalogue: &'static Catalogue,
    out: &'o mut Vec<Diagnostic>,
}

impl<'a> Visitor<'a> for Rule<'_, 'a, '_> {
    fn expr(&mut self, expr: &'a Expr, frames: &[Frame<'a>]) {
        let Some(call) = walk::call(expr) else {
            return;
        };
        if let Some(receiver) = call.receiver {
            self.global_method(expr, receiver, &call, frames);
            return;
        }
        if walk::in_arguments(frames) || walk::in_declarative_structure(frames) {
            return;
        }
        // A method of the file wins over a step of the same name, as in Jenkins.
        if self.known.names.contains(call.name) {
            return;
        }
        if let Some(step) = self.catalogue.step(call.name) {
            self.check(step, expr, &call, frames, true);
        }
    }
}

impl<'a> Rule<'_, 'a, '_> {
    /// `docker.build('app', '.')`: a method of a catalogued global gets its arguments checked.
    fn global_method(
        &mut self,
        expr: &'a Expr,
        receiver: &'a Expr,
        call: &Call<'a>,
        frames: &[Frame<'a>],
    ) {
        let ExprKind::Var(global) = &receiver.node else {
            return;
        };
        if self.known.names.contains(global.as_str()) {
            return;
        }
        let method = self
            .catalogue
            .global(global)
            .and_then(|g| self.catalogue.type_sig(&g.ty))
            .and_then(|t| t.method(call.name));
        if let Some(method) = method {
            // A library global shadows a name, not a method of another global.
            self.check(method, expr, call, frames, false);
        }
    }

    fn check(
        &mut self,
        step: &StepSig,
        expr: &'a Expr,
        call: &Call<'a>,
        frames: &[Frame<'a>],
        shadowable: bool,
    ) {
        let found = stdlib::check_call(step, expr.span, call.args, self.cx.source);
        let declarative = walk::in_declarative_steps(frames);
        for mut d in found {
            if declarative {
                // Jenkins' validator error, with Jenkins' form, kept as it is (the model
                // reports the same finding; duplicates are merged).
                self.out.push(d);
                continue;
            }
            d.code = CODE;
            d.jenkins = None;
            if shadowable && !self.libraries.is_empty() {
                d.severity = Severity::Info;
                d.message = format!(
                    "{}; `{}` may come from library {}",
                    d.message, call.name, self.libraries
                );
            } else {
                d.severity = Severity::Warning;
            }
            self.out.push(d);
        }
    }
}
