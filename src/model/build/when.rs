//! `when { … }`: the three evaluation-point flags and a tree of conditions.

use crate::model::build::{Builder, Call, as_call};
use crate::model::pipeline::{Condition, When};
use crate::syntax::ast::Stmt;

impl<'a> Builder<'a> {
    pub(crate) fn when(&mut self, call: &Call<'a>) -> Option<When> {
        let body = self.section_block(call)?;
        let mut when = When {
            span: call.span,
            before_agent: None,
            before_input: None,
            before_options: None,
            conditions: Vec::new(),
        };
        for stmt in body {
            let Some(c) = as_call(stmt) else {
                self.expected_condition(stmt);
                continue;
            };
            match c.name.node.as_str() {
                "beforeAgent" => when.before_agent = self.boolean_flag(&c),
                "beforeInput" => when.before_input = self.boolean_flag(&c),
                "beforeOptions" => when.before_options = self.boolean_flag(&c),
                _ => {
                    if let Some(cond) = self.condition(&c) {
                        when.conditions.push(cond);
                    }
                }
            }
        }
        Some(when)
    }

    fn expected_condition(&mut self, stmt: &Stmt) {
        self.error(
            "expected-when-condition",
            "Expected a when condition",
            stmt.span,
            stmt.span,
        )
        .label = Some("a condition is a call such as `branch 'main'`".into());
    }

    fn condition(&mut self, c: &Call<'a>) -> Option<Condition> {
        if c.receiver {
            self.object_method_call(c);
            return None;
        }
        let name = c.name();
        let args = self.arguments(c, true);
        let mut cond = Condition {
            span: c.span,
            name,
            args,
            children: Vec::new(),
            block: None,
        };
        let is_expression = c.name.node == "expression";
        match c.block() {
            Some((body, _)) if is_expression => cond.block = Some(body.to_vec()),
            Some((body, _)) => {
                for stmt in body {
                    match as_call(stmt) {
                        Some(child) => {
                            if let Some(child) = self.condition(&child) {
                                cond.children.push(child);
                            }
                        }
                        None => self.expected_condition(stmt),
                    }
                }
            }
            None if is_expression => {
                self.error(
                    "expression-without-block",
                    "When step without a block",
                    c.name.span,
                    c.span,
                )
                .help = Some("write `expression { return … }`".into());
            }
            None => {}
        }
        Some(cond)
    }
}
