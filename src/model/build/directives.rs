//! `options`, `parameters`, `triggers` (lists of describable calls), `tools` and `libraries`.

use crate::model::build::{Builder, Call, as_call};
use crate::model::pipeline::{Invocation, Library, Section, Tool};
use crate::syntax::ast::{Arg, ExprKind, StmtKind};

/// How one kind of describable list is named in Jenkins' messages.
pub(crate) struct ListKind {
    /// `Options`, used in "… definitions cannot have blocks".
    pub(crate) plural: &'static str,
    /// `Expected an option`
    pub(crate) expected: &'static str,
}

pub(crate) const OPTIONS: &ListKind = &ListKind {
    plural: "Options",
    expected: "Expected an option",
};
pub(crate) const PARAMETERS: &ListKind = &ListKind {
    plural: "Build parameters",
    expected: "Expected a build parameter definition",
};
pub(crate) const TRIGGERS: &ListKind = &ListKind {
    plural: "Triggers",
    expected: "Expected a trigger",
};

impl<'a> Builder<'a> {
    pub(crate) fn invocations(
        &mut self,
        call: &Call<'a>,
        kind: &ListKind,
    ) -> Option<Section<Invocation>> {
        let body = self.section_block(call)?;
        let mut items = Vec::new();
        for stmt in body {
            if let StmtKind::Expr(e) = &stmt.node
                && let ExprKind::Map(_) = e.node
            {
                self.error(
                    "map-definition",
                    format!("{} cannot be defined as maps", kind.plural),
                    stmt.span,
                    stmt.span,
                )
                .help = Some("use the symbol form, e.g. `cron('@daily')`".into());
                continue;
            }
            let Some(item) = as_call(stmt) else {
                self.error("expected-definition", kind.expected, stmt.span, stmt.span);
                continue;
            };
            if item.receiver {
                self.object_method_call(&item);
                continue;
            }
            if let Some((_, block)) = item.block() {
                self.error(
                    "definition-with-block",
                    format!("{} definitions cannot have blocks", kind.plural),
                    block,
                    stmt.span,
                );
                continue;
            }
            let args = self.arguments(&item, true);
            items.push(Invocation {
                span: item.span,
                name: item.name(),
                args,
            });
        }
        Some(Section {
            span: call.span,
            items,
        })
    }

    pub(crate) fn tools(&mut self, call: &Call<'a>) -> Option<Section<Tool>> {
        let body = self.section_block(call)?;
        let mut items = Vec::new();
        for stmt in body {
            let Some(tool) = as_call(stmt).filter(|c| !c.receiver && c.block().is_none()) else {
                self.error(
                    "expected-tool",
                    "Expected to find ‘someTool \"someVersion\"’",
                    stmt.span,
                    stmt.span,
                )
                .label = Some("write `<tool type> '<installation name>'`".into());
                continue;
            };
            let name = &tool.name.node;
            match tool.plain_args() {
                [Arg::Positional(version)] => {
                    self.value(version, false);
                    items.push(Tool {
                        span: tool.span,
                        ty: tool.name(),
                        version: version.clone(),
                    });
                }
                [] => {
                    self.error(
                        "missing-argument",
                        format!("No argument for tool \"{name}\""),
                        tool.name.span,
                        tool.span,
                    );
                }
                _ => {
                    self.error(
                        "too-many-arguments",
                        format!("Too many arguments for tool \"{name}\""),
                        tool.args.span,
                        tool.span,
                    );
                }
            }
        }
        Some(Section {
            span: call.span,
            items,
        })
    }

    pub(crate) fn libraries(&mut self, call: &Call<'a>) -> Option<Section<Library>> {
        let body = self.section_block(call)?;
        let mut items = Vec::new();
        for stmt in body {
            if let Some(lib) = as_call(stmt).filter(|c| !c.receiver && c.name.node == "lib") {
                if let Some((_, block)) = lib.block() {
                    self.error(
                        "definition-with-block",
                        "Libraries definitions cannot have blocks",
                        block,
                        stmt.span,
                    );
                    continue;
                }
                if let [Arg::Positional(id)] = lib.plain_args() {
                    items.push(Library {
                        span: lib.span,
                        id: id.clone(),
                    });
                    continue;
                }
            }
            let text = self.text(stmt.span);
            self.error(
                "expected-library",
                format!("Expected a \"lib(...)\" but got {text}"),
                stmt.span,
                stmt.span,
            )
            .label = Some("write `lib('name@version')`".into());
        }
        Some(Section {
            span: call.span,
            items,
        })
    }
}
