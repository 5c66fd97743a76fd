//! `steps { … }` and post-condition bodies: every statement must be a step call; block steps
//! nest; `script { … }` holds free Groovy; `parallel(a: { … })` alone is the legacy parallel.

use crate::model::build::{Builder, Call, as_call};
use crate::model::pipeline::Steps;
use crate::syntax::ast::{Arg, ExprKind, MapKey, Stmt};

impl<'a> Builder<'a> {
    pub(crate) fn steps(&mut self, call: &Call<'a>) -> Option<Steps> {
        let body = self.section_block(call)?;
        self.step_block(body);
        Some(Steps {
            span: call.span,
            stmts: body.to_vec(),
        })
    }

    /// Checks a list of step statements.
    pub(crate) fn step_block(&mut self, body: &'a [Stmt]) {
        let sole = body.len() == 1;
        for stmt in body {
            self.step(stmt, sole);
        }
    }

    fn step(&mut self, stmt: &'a Stmt, sole: bool) {
        let Some(call) = as_call(stmt) else {
            self.error("expected-step", "Expected a step", stmt.span, stmt.span)
                .help = Some("Groovy statements go inside `script { … }`".into());
            return;
        };
        if call.receiver {
            self.object_method_call(&call);
            return;
        }
        match call.name.node.as_str() {
            "script" => {
                if call.block().is_none() {
                    self.error(
                        "script-without-block",
                        "Script step without a block",
                        call.name.span,
                        call.span,
                    );
                }
                return;
            }
            // Jenkins reads a step named `expression` like the `when` condition: a code block.
            "expression" => return,
            "parallel" if sole && call.block().is_none() => {
                self.legacy_parallel(&call);
                return;
            }
            _ => {}
        }
        for arg in call.plain_args() {
            match arg {
                Arg::Named(entry) => self.value(&entry.value, false),
                Arg::Positional(e) | Arg::Spread(e) => self.value(e, false),
            }
        }
        if let Some((body, _)) = call.block() {
            self.step_block(body);
        }
    }

    /// `parallel(a: { … }, b: { … }, failFast: true)`.
    fn legacy_parallel(&mut self, call: &Call<'a>) {
        for arg in call.plain_args() {
            let Arg::Named(entry) = arg else {
                // `parallel(map)` with a map variable is evaluated at run time.
                continue;
            };
            let key = match &entry.key {
                MapKey::Name(id) => id.node.as_str(),
                MapKey::Expr(e) => match &e.node {
                    ExprKind::Str(s) => s.value.as_str(),
                    _ => "",
                },
                MapKey::Spread(_) => "",
            };
            match (&entry.value.node, key) {
                (ExprKind::Bool(_), "failFast") => {}
                (_, "failFast") => {
                    self.error(
                        "expected-boolean",
                        "Expected a boolean with failFast",
                        entry.value.span,
                        entry.value.span,
                    );
                }
                (ExprKind::Closure(c), _) => self.step_block(&c.body),
                _ => {
                    self.error(
                        "expected-closure-or-fail-fast",
                        "Expected closure or failFast",
                        entry.value.span,
                        entry.value.span,
                    )
                    .label = Some("each branch is a closure `{ … }`".into());
                }
            }
        }
    }
}
