//! Validation of step blocks: not empty, no blocked steps (`stage`, `properties`, a `parallel`
//! mixed with other steps, `node` passed as an argument).

use crate::model::build::as_call;
use crate::model::pipeline::Steps;
use crate::model::validate::Validator;
use crate::source::Span;
use crate::syntax::ast::{Arg, ExprKind, Stmt};

/// Why Jenkins refuses a step by name anywhere in Declarative.
pub(crate) fn blocked_reason(name: &str) -> Option<&'static str> {
    match name {
        "stage" => Some("The stage step cannot be used in Declarative Pipelines"),
        "properties" => Some("The properties step cannot be used in Declarative Pipelines"),
        _ => None,
    }
}

impl Validator<'_> {
    pub(crate) fn steps(&mut self, steps: &Steps) {
        if steps.stmts.is_empty() {
            let head = self.keyword(steps.span);
            self.error(
                "empty-steps",
                "No steps specified for branch",
                head,
                steps.span,
            )
            .help = Some("add a step, e.g. `echo 'TODO'`, or remove the block".into());
        }
        self.step_list(&steps.stmts);
    }

    fn step_list(&mut self, stmts: &[Stmt]) {
        let sole = stmts.len() == 1;
        for stmt in stmts {
            let Some(call) = as_call(stmt) else { continue };
            if call.receiver {
                continue;
            }
            let name = call.name.node.as_str();
            if name == "script" || name == "expression" {
                continue;
            }
            if let Some(reason) = blocked_reason(name) {
                self.blocked(name, reason, call.name.span, call.span);
            } else if name == "parallel" && !sole {
                self.blocked(
                    name,
                    "The parallel step can only be used as the only top-level step in a stages step block",
                    call.name.span,
                    call.span,
                );
            }
            for arg in call.plain_args() {
                match arg {
                    Arg::Named(entry) => {
                        if let ExprKind::Closure(c) = &entry.value.node
                            && name == "parallel"
                        {
                            self.step_list(&c.body);
                        } else {
                            self.blocked_value(&entry.value);
                        }
                    }
                    Arg::Positional(e) | Arg::Spread(e) => self.blocked_value(e),
                }
            }
            self.step_arguments(name, call.span, call.args);
            if let Some((body, _)) = call.block() {
                self.step_list(body);
            }
        }
    }

    /// The step catalogue's argument checks, keeping those Jenkins makes (they carry
    /// Jenkins' position); the others belong to lint rules, not to Jenkins' verdict.
    fn step_arguments(&mut self, name: &str, span: Span, args: &crate::syntax::ast::Args) {
        if name == "parallel" {
            return;
        }
        let Some(step) = crate::stdlib::Catalogue::builtin().step(name) else {
            return;
        };
        self.diags.extend(
            crate::stdlib::check_call(step, span, args, self.src)
                .into_iter()
                .filter(|d| d.jenkins.is_some()),
        );
    }

    pub(crate) fn blocked(&mut self, name: &str, reason: &str, span: Span, at: Span) {
        self.error(
            "blocked-step",
            format!("Invalid step \"{name}\" used - not allowed in this context - {reason}"),
            span,
            at,
        );
    }
}
