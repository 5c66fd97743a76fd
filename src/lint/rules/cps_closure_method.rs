//! A closure given to a collection method that Jenkins' CPS transform does not translate.
//!
//! ## What it flags
//! `sort { … }`, `toSorted { … }`, `unique { … }`, `toUnique { … }` and `dropWhile { … }` with
//! a closure argument, anywhere outside a method annotated `@NonCPS`.
//!
//! ## Why
//! Jenkins runs pipeline code through a CPS transform so that a build can be paused and
//! resumed. Only a fixed list of Groovy collection methods (`each`, `collect`, `findAll`, …)
//! have CPS versions; any other method that calls a closure runs it as ordinary Groovy. The
//! closure then returns after its first step-like call, the result is wrong, and the log shows
//! `expected to call … but wound up catching …`.
//!
//! ## Example
//! ```groovy
//! def sorted = versions.sort { a, b -> a <=> b }
//! ```
//!
//! ## Fix
//! Move the call into a helper method annotated `@NonCPS` (which must not call steps), or use
//! a method without a closure (`versions.sort()`, `versions.unique()`).

use crate::diagnostic::Diagnostic;
use crate::lint::Context;
use crate::lint::walk::{self, Frame, Visitor};
use crate::syntax::ast::{Arg, Expr, ExprKind, PropName};

const CODE: &str = "cps-closure-method";

/// The closure-taking methods that have no CPS translation (runtime-semantics.md, section 7).
const UNTRANSLATED: &[&str] = &["sort", "toSorted", "unique", "toUnique", "dropWhile"];

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    walk::walk(cx.file, &mut Rule { out });
}

struct Rule<'o> {
    out: &'o mut Vec<Diagnostic>,
}

impl<'a> Visitor<'a> for Rule<'_> {
    fn expr(&mut self, expr: &'a Expr, frames: &[Frame<'a>]) {
        let Some(call) = walk::call(expr) else { return };
        if call.receiver.is_none() || !UNTRANSLATED.contains(&call.name) {
            return;
        }
        let Some(closure) = call
            .args
            .items
            .iter()
            .filter_map(|a| match a {
                Arg::Positional(e) => Some(e),
                _ => None,
            })
            .chain(&call.args.closures)
            .find(|e| is_closure(e))
        else {
            return;
        };
        if walk::in_non_cps(frames) {
            return;
        }
        let name = match &expr.node {
            ExprKind::MethodCall {
                name: PropName::Name(n),
                ..
            } => n.span,
            _ => expr.span,
        };
        self.out.push(
            Diagnostic::warning(
                CODE,
                format!(
                    "`{}` with a closure misbehaves under Jenkins' CPS transform",
                    call.name
                ),
                name,
            )
            .with_label("not CPS-translated")
            .with_secondary(closure.span, "this closure runs as plain Groovy")
            .with_help(
                "call it from a method annotated `@NonCPS` (which must not call steps), or use \
                 a form without a closure",
            ),
        );
    }
}

/// A closure, also one coerced to an interface (`{ a, b -> … } as Comparator`): the
/// coercion does not make the closure CPS-translated.
fn is_closure(expr: &Expr) -> bool {
    match &expr.node {
        ExprKind::Closure(_) => true,
        ExprKind::As { operand, .. } | ExprKind::Paren(operand) => is_closure(operand),
        _ => false,
    }
}
