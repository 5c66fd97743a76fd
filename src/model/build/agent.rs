//! `agent any`, `agent none`, `agent { <type> … }`.

use crate::model::build::{Builder, Call, as_call};
use crate::model::catalogue::Kind;
use crate::model::pipeline::{Agent, AgentConfig, AgentKind, AgentOption, AgentValue};
use crate::source::Span;
use crate::syntax::ast::{Arg, ExprKind, Stmt};

impl<'a> Builder<'a> {
    /// Reads an `agent` section.
    pub(crate) fn agent(&mut self, call: &Call<'a>) -> Option<Agent> {
        let span = call.span;
        if let Some((body, _)) = call.block() {
            return Some(self.agent_block(call, body));
        }
        let args = call.plain_args();
        if args.is_empty() {
            self.error(
                "agent-without-argument",
                "No argument for agent",
                call.name.span,
                span,
            );
            return None;
        }
        let bare = match args {
            [Arg::Positional(e)] => match &e.node {
                ExprKind::Var(name) => Some((name.as_str(), e.span)),
                _ => None,
            },
            _ => None,
        };
        let kind = match bare {
            Some(("any", _)) => Some(AgentKind::Any),
            Some(("none", _)) => Some(AgentKind::None),
            _ => None,
        };
        if let Some(kind) = kind {
            return Some(Agent { span, kind });
        }
        let at = bare.map_or(span, |(_, s)| s);
        let help = bare.and_then(|(name, _)| {
            self.cat
                .get(Kind::Agent, name)
                .map(|_| format!("write `agent {{ {name} … }}` with its options"))
        });
        let diag = self.error(
            "invalid-bare-agent",
            "Only \"agent none\", \"agent any\" or \"agent {...}\" are allowed.",
            at,
            span,
        );
        diag.label = Some("not `any` or `none`".into());
        diag.help = help;
        None
    }

    fn agent_block(&mut self, call: &Call<'a>, body: &'a [Stmt]) -> Agent {
        let span = call.span;
        let mut calls = Vec::new();
        if body.len() > 1 {
            self.error(
                "multiple-agent-types",
                "Only one agent type is allowed per agent section",
                body[1].span,
                span,
            )
            .label = Some("second agent type".into());
        } else if let [stmt] = body {
            match as_call(stmt) {
                Some(c) => calls.push(c),
                None => {
                    self.error("expected-agent", "Expected an agent", stmt.span, span);
                }
            }
        } else {
            self.error("expected-agent", "Expected an agent", call.name.span, span)
                .label = Some("empty agent block".into());
        }
        let Some(ty) = calls.first() else {
            return Agent {
                span,
                kind: AgentKind::Missing,
            };
        };
        let config = if let Some((inner, _)) = ty.block() {
            AgentConfig::Block(self.agent_options(inner))
        } else {
            let args = ty.plain_args();
            for arg in args {
                if let Arg::Positional(e) | Arg::Spread(e) = arg {
                    self.value(e, false);
                }
            }
            match args {
                [Arg::Positional(e)] => AgentConfig::Value(e.clone()),
                _ => AgentConfig::Block(
                    args.iter()
                        .filter_map(|a| match a {
                            Arg::Named(entry) => Some(AgentOption {
                                key: match &entry.key {
                                    crate::syntax::ast::MapKey::Name(id) => id.clone(),
                                    other => crate::source::Spanned::new(
                                        self.text(map_key_span(other)).to_owned(),
                                        map_key_span(other),
                                    ),
                                },
                                value: AgentValue::Value(entry.value.clone()),
                            }),
                            _ => None,
                        })
                        .collect(),
                ),
            }
        };
        // `label { … }` is `node { … }` in Jenkins.
        let mut name = ty.name();
        if name.node == "label" && matches!(config, AgentConfig::Block(_)) && ty.block().is_some() {
            name.node = "node".into();
        }
        Agent {
            span,
            kind: AgentKind::Typed { ty: name, config },
        }
    }

    /// `key value` entries of an agent type's block; nested blocks are allowed.
    fn agent_options(&mut self, body: &'a [Stmt]) -> Vec<AgentOption> {
        let mut out = Vec::new();
        for stmt in body {
            let Some(c) = as_call(stmt) else {
                self.error(
                    "expected-map-method",
                    "Expected to find ‘someKey \"someValue\"’",
                    stmt.span,
                    stmt.span,
                );
                continue;
            };
            if let Some((inner, _)) = c.block() {
                out.push(AgentOption {
                    key: c.name(),
                    value: AgentValue::Block(self.agent_options(inner)),
                });
                continue;
            }
            let args = c.plain_args();
            let key = &c.name.node;
            match args {
                [] => {
                    self.error(
                        "missing-argument",
                        format!("No argument for map key \"{key}\""),
                        c.name.span,
                        c.span,
                    );
                }
                [Arg::Positional(e)] => {
                    self.value(e, false);
                    out.push(AgentOption {
                        key: c.name(),
                        value: AgentValue::Value(e.clone()),
                    });
                }
                _ => {
                    self.error(
                        "too-many-arguments",
                        format!("Too many arguments for map key \"{key}\""),
                        c.args.span,
                        c.span,
                    );
                }
            }
        }
        out
    }
}

fn map_key_span(key: &crate::syntax::ast::MapKey) -> Span {
    match key {
        crate::syntax::ast::MapKey::Name(id) => id.span,
        crate::syntax::ast::MapKey::Expr(e) => e.span,
        crate::syntax::ast::MapKey::Spread(s) => *s,
    }
}
