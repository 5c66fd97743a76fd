//! `environment { NAME = value … }`: names, duplicates and the value forms Jenkins accepts.

use crate::model::build::args::is_bare_dollar_curly;
use crate::model::build::{Builder, Call, expr_call};
use crate::model::pipeline::{EnvValue, EnvVar, Environment};
use crate::source::Spanned;
use crate::syntax::ast::{Arg, AssignOp, BinaryOp, Expr, ExprKind, StmtKind};

impl<'a> Builder<'a> {
    pub(crate) fn environment(&mut self, call: &Call<'a>) -> Option<Environment> {
        let body = self.section_block(call)?;
        let mut vars: Vec<EnvVar> = Vec::new();
        let mut malformed = false;
        for stmt in body {
            let assignment = match &stmt.node {
                StmtKind::Expr(e) => match &e.node {
                    ExprKind::Assign {
                        op: AssignOp::Assign,
                        target,
                        value,
                    } => match &target.node {
                        ExprKind::Var(name) => {
                            Some((Spanned::new(name.clone(), target.span), value))
                        }
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            };
            let Some((name, value)) = assignment else {
                malformed = true;
                let text = self.text(stmt.span);
                if let Some((before, _)) = text.split_once('=') {
                    let key = before.trim();
                    let key_span = crate::source::Span::new(
                        stmt.span.start as usize,
                        stmt.span.start as usize + before.trim_end().len(),
                    );
                    self.invalid_env_name(key, key_span);
                } else {
                    self.error(
                        "invalid-environment-entry",
                        format!(
                            "\"{text}\" is not a valid environment expression. Use \"key = value\" pairs with valid Java/shell keys."
                        ),
                        stmt.span,
                        stmt.span,
                    )
                    .label = Some("not `NAME = value`".into());
                }
                continue;
            };
            if let Some(first) = vars.iter().find(|v| v.name.node == name.node) {
                let first = first.name.span;
                self.error(
                    "duplicate-environment-variable",
                    format!("Duplicate environment variable name: \"{}\"", name.node),
                    name.span,
                    name.span,
                )
                .secondary
                .push(crate::diagnostic::Label {
                    span: first,
                    message: "first set here".into(),
                });
            }
            // A rejected value still counts as a variable, so that the block is not also
            // reported as empty.
            let value = self
                .env_value(value)
                .unwrap_or_else(|| EnvValue::Expr((**value).clone()));
            vars.push(EnvVar {
                span: stmt.span,
                name,
                value,
            });
        }
        if malformed {
            self.error(
                "expected-name-value-pairs",
                "Expected name=value pairs",
                call.name.span,
                call.span,
            );
        }
        Some(Environment {
            span: call.span,
            vars,
        })
    }

    pub(crate) fn invalid_env_name(&mut self, key: &str, span: crate::source::Span) {
        self.error(
            "invalid-environment-name",
            format!(
                "\"{key}\" is not a valid identifier and cannot be used for an environment variable. Identifiers must start with a letter or underscore and can contain only letters, numbers or underscores."
            ),
            span,
            span,
        )
        .label = Some("not a valid variable name".into());
    }

    fn env_value(&mut self, value: &Expr) -> Option<EnvValue> {
        match &value.node {
            // Constants are fine too: `NUM_TO_KEEP = 1`.
            ExprKind::Str(_)
            | ExprKind::GString(_)
            | ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Bool(_)
            | ExprKind::Null => {
                self.value(value, false);
                Some(EnvValue::Expr(value.clone()))
            }
            ExprKind::MethodCall { .. } if is_bare_dollar_curly(value) => {
                self.value(value, false);
                None
            }
            ExprKind::MethodCall { .. } => {
                if let Some(call) = expr_call(value)
                    && !call.receiver
                    && call.name.node == "credentials"
                {
                    let args = call.plain_args();
                    let mut ok = true;
                    for arg in args {
                        let good = matches!(arg, Arg::Positional(e) if matches!(e.node, ExprKind::Str(_) | ExprKind::GString(_)));
                        if !good {
                            ok = false;
                            self.error(
                                "credentials-argument",
                                "Internal function call parameters must be strings.",
                                call.args.span,
                                value.span,
                            );
                            break;
                        }
                    }
                    if let (true, [Arg::Positional(id)]) = (ok, args) {
                        return Some(EnvValue::Credentials {
                            id: id.clone(),
                            span: value.span,
                        });
                    }
                    return None;
                }
                self.value(value, false);
                Some(EnvValue::Expr(value.clone()))
            }
            ExprKind::Binary {
                op: BinaryOp::Add, ..
            } => self
                .concatenation(value)
                .then(|| EnvValue::Expr(value.clone())),
            ExprKind::Binary { .. } => {
                self.error(
                    "environment-operator",
                    "Environment variable values can only be joined together with ‘+’s.",
                    value.span,
                    value.span,
                )
                .label = Some("only `+` may join values".into());
                None
            }
            _ => {
                self.error(
                    "environment-value",
                    "Environment variable values must either be single quoted, double quoted, or function calls.",
                    value.span,
                    value.span,
                )
                .help = Some("quote it: `\"${…}\"` interpolates any expression".into());
                None
            }
        }
    }

    /// Every operand of a `+` chain must be a quoted string.
    fn concatenation(&mut self, value: &Expr) -> bool {
        match &value.node {
            ExprKind::Binary {
                op: BinaryOp::Add,
                lhs,
                rhs,
            } => {
                let left = self.concatenation(lhs);
                self.concatenation(rhs) && left
            }
            ExprKind::Str(_) | ExprKind::GString(_) => true,
            ExprKind::Binary { .. } => {
                self.error(
                    "environment-operator",
                    "Environment variable values can only be joined together with ‘+’s.",
                    value.span,
                    value.span,
                );
                false
            }
            _ => {
                self.error(
                    "environment-concatenation",
                    "Environment variable values to be concatenated together must be single or double quoted.",
                    value.span,
                    value.span,
                )
                .label = Some("not a quoted string".into());
                false
            }
        }
    }
}
