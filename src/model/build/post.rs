//! `post { <condition> { … } }` and a stage's `input { … }`.

use crate::model::build::{Builder, Call, as_call};
use crate::model::pipeline::{Input, POST_CONDITIONS, Post, PostCondition, Steps};
use crate::syntax::ast::Arg;

impl<'a> Builder<'a> {
    pub(crate) fn post(&mut self, call: &Call<'a>) -> Option<Post> {
        let Some((body, _)) = call.block().filter(|_| call.plain_args().is_empty()) else {
            self.error(
                "expected-block",
                "Expected a block",
                call.name.span,
                call.span,
            );
            return None;
        };
        let mut conditions = Vec::new();
        for stmt in body {
            let cond = as_call(stmt).filter(|c| !c.receiver && c.plain_args().is_empty());
            let Some((c, (steps, block))) = cond.and_then(|c| c.block().map(|b| (c, b))) else {
                self.error(
                    "invalid-post-entry",
                    format!(
                        "The ‘post’ section can only contain build condition names with code blocks. Valid condition names are [{}]",
                        POST_CONDITIONS.join(", ")
                    ),
                    stmt.span,
                    stmt.span,
                )
                .label = Some("write `<condition> { steps… }`".into());
                continue;
            };
            self.step_block(steps);
            conditions.push(PostCondition {
                name: c.name(),
                steps: Steps {
                    span: block,
                    stmts: steps.to_vec(),
                },
            });
        }
        Some(Post {
            span: call.span,
            conditions,
        })
    }

    pub(crate) fn input(&mut self, call: &Call<'a>) -> Option<Input> {
        let body = self.section_block(call)?;
        let mut input = Input {
            span: call.span,
            message: None,
            id: None,
            ok: None,
            submitter: None,
            submitter_parameter: None,
            parameters: None,
        };
        let mut seen: Vec<(String, crate::source::Span)> = Vec::new();
        for stmt in body {
            let Some(field) = as_call(stmt) else {
                self.not_a_section(stmt, None);
                continue;
            };
            let name = field.name.node.as_str();
            if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
                self.duplicate_section(&field, *first, stmt.span);
                continue;
            }
            seen.push((name.to_owned(), field.name.span));
            if name == "parameters" {
                input.parameters = self.invocations(&field, super::directives::PARAMETERS);
                continue;
            }
            let slot = match name {
                "message" => &mut input.message,
                "id" => &mut input.id,
                "ok" => &mut input.ok,
                "submitter" => &mut input.submitter,
                "submitterParameter" => &mut input.submitter_parameter,
                _ => {
                    let guess = crate::model::catalogue::nearest(
                        name,
                        [
                            "message",
                            "id",
                            "ok",
                            "submitter",
                            "submitterParameter",
                            "parameters",
                        ],
                    );
                    let help = guess.map(|s| format!("did you mean `{s}`?"));
                    let fix = super::rename_fix_at(self.src, field.name.span, name, guess);
                    let diag = self.error(
                        "invalid-input-field",
                        format!("Not a valid field for input: \"{name}\""),
                        field.name.span,
                        field.span,
                    );
                    diag.help = help;
                    diag.fix = fix;
                    continue;
                }
            };
            match field.plain_args() {
                [Arg::Positional(value)] => *slot = Some(value.clone()),
                [] => {
                    self.error(
                        "missing-argument",
                        format!("No argument for field \"{name}\""),
                        field.name.span,
                        field.span,
                    );
                }
                _ => {
                    self.error(
                        "too-many-arguments",
                        format!("Too many arguments for field \"{name}\""),
                        field.args.span,
                        field.span,
                    );
                }
            }
        }
        Some(input)
    }
}
