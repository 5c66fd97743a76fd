//! A call to a step that no catalogue, definition or shared library provides.
//!
//! ## What it flags
//! A bare call (`foo 'x'`, `foo(…)`, `foo { … }`) in a place where steps run (scripted code,
//! `steps`, `script`, `post` conditions, methods) whose name is not a catalogued step or
//! symbol, not a wrapper option of the Declarative catalogue called with a body
//! (`withVault(…) { … }`), not a method, variable or parameter of the file, not a Groovy script method
//! (`println`, `evaluate`, …), not in `allowed-steps`, and not a global (`vars/*.groovy`) of
//! a shared library configured with `--library NAME=PATH` or `[libraries]`. When the file
//! loads a library (`@Library('x')`, `library 'x'`, or `libraries { lib('x') }` in Declarative)
//! that is not configured, the finding is a note instead: the step may come from there. The
//! arguments of known steps are the business of `step-arguments`.
//!
//! ## Why
//! Jenkins only finds out at run time, after the agent is allocated and earlier stages have
//! run: `java.lang.NoSuchMethodError: No such DSL method 'foo' found among steps […]`. A typo
//! or a step from a plugin that is not installed fails the build halfway through.
//!
//! ## Example
//! ```groovy
//! steps {
//!     archiveArtifact 'build/*.jar'
//! }
//! ```
//!
//! ## Fix
//! Correct the name (the finding suggests the closest known step). For a step from a shared
//! library, configure the library (`--library NAME=PATH`); for one from a plugin the
//! catalogue does not know, add it to `allowed-steps` in `.jenkinsfile/config.toml`.

pub(super) mod known;

use crate::diagnostic::{Diagnostic, Severity, TextEdit};
use crate::lint::walk::{self, Frame, Visitor};
use crate::lint::{Context, LibraryGlobals};
use crate::model::catalogue::{Kind, OptionKind};
use crate::source::Span;
use crate::stdlib::Catalogue;
use crate::syntax::ast::{Expr, ExprKind, PropName};

use self::known::Known;

const CODE: &str = "unknown-step";

/// Methods every Groovy script (and Jenkins' `CpsScript`) has, callable without a receiver.
const SCRIPT_METHODS: &[&str] = &[
    "println",
    "print",
    "printf",
    "sprintf",
    "evaluate",
    "run",
    "getBinding",
    "setBinding",
    "getProperty",
    "setProperty",
    "invokeMethod",
    "getClass",
    "getMetaClass",
    "hashCode",
    "toString",
    "equals",
    "is",
    "with",
    "identity",
    "use",
    "sleep",
    "addShutdownHook",
];

/// Similarity above which a name is offered as did-you-mean.
const SIMILAR: f64 = 0.8;

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let known = Known::collect(cx.file);
    let mut rule = Rule {
        cx,
        known,
        catalogue: Catalogue::builtin(),
        out,
    };
    walk::walk(cx.file, &mut rule);
}

struct Rule<'c, 'a, 'o> {
    cx: &'c Context<'a>,
    known: Known<'a>,
    catalogue: &'static Catalogue,
    out: &'o mut Vec<Diagnostic>,
}

impl<'a> Visitor<'a> for Rule<'_, 'a, '_> {
    fn expr(&mut self, expr: &'a Expr, frames: &[Frame<'a>]) {
        let Some(call) = walk::call(expr) else {
            return;
        };
        if call.receiver.is_some() {
            return;
        }
        if walk::in_arguments(frames) || walk::in_declarative_structure(frames) {
            return;
        }
        let name = call.name;
        // The Declarative root itself; the model checks what is inside.
        if name == "pipeline" && call.bodies().next().is_some() {
            return;
        }
        // A method of the file wins over a step of the same name, as in Jenkins.
        if self.known.names.contains(name) {
            return;
        }
        if self.catalogue.step(name).is_some()
            || self.catalogue.is_known(name)
            || (call.bodies().next().is_some() && self.is_wrapper_option(name))
            || SCRIPT_METHODS.contains(&name)
            || self.cx.options.allowed_steps.iter().any(|s| s == name)
            || self.library_globals().any(|g| g == name)
        {
            return;
        }
        let span = match &expr.node {
            ExprKind::MethodCall {
                name: PropName::Name(n),
                ..
            } => n.span,
            _ => expr.span,
        };
        self.report(name, span);
    }
}

impl Rule<'_, '_, '_> {
    /// A Declarative option that wraps the pipeline in a block step (`withVault`,
    /// `timestamps`, also from `--plugin-catalogue`): the same step, written with its body.
    fn is_wrapper_option(&self, name: &str) -> bool {
        self.cx
            .options
            .model_catalogue()
            .get(Kind::Option, name)
            .is_some_and(|d| d.kind == OptionKind::Wrapper)
    }

    /// The globals of every configured library that has been read.
    fn library_globals(&self) -> impl Iterator<Item = &str> {
        self.cx
            .options
            .libraries
            .values()
            .filter_map(|l| match l {
                LibraryGlobals::Known(names) => Some(names),
                LibraryGlobals::Remote(_) => None,
            })
            .flatten()
            .map(String::as_str)
    }

    fn suggestion(&self, name: &str) -> Option<String> {
        let mut best: Option<(f64, String)> = self
            .catalogue
            .suggest(name)
            .map(|s| (strsim::jaro_winkler(name, s), s.to_owned()));
        let local = self.known.names.iter().copied();
        for candidate in local.chain(self.library_globals()) {
            let score = strsim::jaro_winkler(name, candidate);
            if score >= SIMILAR && candidate != name && best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, candidate.to_owned()));
            }
        }
        best.map(|(_, s)| s)
    }

    fn report(&mut self, name: &str, span: Span) {
        let unread = self.known.unread_libraries(self.cx.options);
        let suggestion = self.suggestion(name);
        let diag = if unread.is_empty() {
            let help = match &suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "if it comes from a shared library, configure it with `--library NAME=PATH`; \
                     if from a plugin the catalogue does not know, add it to `allowed-steps` in \
                     `.jenkinsfile/config.toml`"
                        .to_owned()
                }
            };
            Diagnostic::warning(CODE, format!("unknown step `{name}`"), span)
                .with_label("no step, method or library global has this name")
                .with_help(help)
        } else {
            let libs = unread
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let plural = if unread.len() > 1 { "ies" } else { "y" };
            let mut help = format!(
                "configure the librar{plural} with `--library NAME=PATH` to check its globals"
            );
            if let Some(s) = &suggestion {
                help = format!("did you mean `{s}`? Otherwise {help}");
            }
            Diagnostic::new(
                CODE,
                Severity::Info,
                format!("`{name}` is not a known step; it may come from library {libs}"),
                span,
            )
            .with_label("not checked")
            .with_help(help)
        };
        // The did-you-mean as an editor quick fix; the span is the name as written.
        let diag = match suggestion {
            Some(s) if self.cx.source.slice(span) == name => diag.with_fix(
                format!("Replace with `{s}`"),
                vec![TextEdit {
                    span,
                    replacement: s,
                }],
            ),
            _ => diag,
        };
        self.out.push(diag);
    }
}
