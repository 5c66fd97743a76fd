//! `stages { stage('x') { … } }`, `parallel { … }` and `matrix { … }`.

use crate::model::build::{Builder, Call, as_call, keep};
use crate::model::pipeline::{Axes, Axis, AxisValue, Excludes, Matrix, Name, Stage, Stages};
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Arg, ExprKind, Stmt};

mod stray;

/// The sections a stage may hold, for did-you-mean.
const STAGE_SECTIONS: &[&str] = &[
    "agent",
    "environment",
    "failFast",
    "input",
    "matrix",
    "options",
    "parallel",
    "post",
    "stages",
    "steps",
    "tools",
    "when",
];

impl<'a> Builder<'a> {
    /// `stages { … }`, or with `parallel` the `parallel { … }` block of a stage.
    pub(crate) fn stages(&mut self, call: &Call<'a>) -> Option<Stages> {
        let body = self.section_block(call)?;
        Some(self.stage_list(call.span, body))
    }

    fn stage_list(&mut self, span: Span, body: &'a [Stmt]) -> Stages {
        let mut stages = Vec::new();
        for stmt in body {
            let stage = as_call(stmt)
                .filter(|c| !c.receiver && c.name.node == "stage" && c.block().is_some());
            if let Some(c) = stage {
                if let Some(stage) = self.stage(&c) {
                    stages.push(stage);
                }
            } else {
                let label = match as_call(stmt) {
                    Some(c) if c.name.node == "stage" => {
                        "a stage needs a block: `stage('name') { … }`"
                    }
                    _ => "only `stage('name') { … }` may appear here",
                };
                self.error("expected-stage", "Expected a stage", stmt.span, stmt.span)
                    .label = Some(label.into());
            }
        }
        Stages { span, stages }
    }

    fn stage(&mut self, call: &Call<'a>) -> Option<Stage> {
        let at = call.span;
        let args = call.plain_args();
        let name: Name = match args.first() {
            Some(Arg::Positional(e)) => match &e.node {
                ExprKind::Str(s) => Spanned::new(s.value.clone(), e.span),
                ExprKind::Var(v) => Spanned::new(v.clone(), e.span),
                _ => {
                    self.error(
                        "expected-string-literal",
                        "Expected string literal",
                        e.span,
                        e.span,
                    )
                    .label = Some("a stage name must be a plain quoted string".into());
                    Spanned::new(self.text(e.span).to_owned(), e.span)
                }
            },
            Some(_) => {
                self.error(
                    "expected-string-literal",
                    "Expected string literal",
                    call.args.span,
                    at,
                );
                Spanned::new(String::new(), call.args.span)
            }
            None => {
                self.error(
                    "expected-string-literal",
                    "Expected string literal",
                    call.name.span,
                    at,
                )
                .label = Some("this stage has no name".into());
                self.error(
                    "stage-without-block",
                    "Stage does not have a block",
                    call.name.span,
                    at,
                );
                Spanned::new(String::new(), call.name.span)
            }
        };
        if args.len() > 1 {
            self.error(
                "stage-without-block",
                "Stage does not have a block",
                call.args.span,
                at,
            );
        }
        let (body, _) = call.block()?;
        let mut stage = Stage {
            span: at,
            name,
            agent: None,
            when: None,
            environment: None,
            tools: None,
            options: None,
            input: None,
            post: None,
            fail_fast: None,
            steps: None,
            stages: None,
            parallel: None,
            matrix: None,
        };
        let mut seen: Vec<(String, Span)> = Vec::new();
        // Consecutive stray steps: (their diagnostic, their span), wrapped by one fix.
        let mut stray: Vec<(usize, Span)> = Vec::new();
        let mut runs: Vec<Vec<(usize, Span)>> = Vec::new();
        // The block of the stage's own `steps`, into which stray steps are moved.
        let mut steps_block: Option<Span> = None;
        for stmt in body {
            let Some(section) = as_call(stmt) else {
                stray::end_run(&mut stray, &mut runs);
                self.not_a_section(stmt, Some(at));
                continue;
            };
            if section.receiver {
                stray::end_run(&mut stray, &mut runs);
                self.object_method_call(&section);
                continue;
            }
            if !STAGE_SECTIONS.contains(&section.name.node.as_str()) {
                if self.unknown_stage_section(&section, at) {
                    stray.push((
                        self.diags.len() - 1,
                        crate::model::build::trim_span(self.src, section.span),
                    ));
                } else {
                    stray::end_run(&mut stray, &mut runs);
                }
                continue;
            }
            stray::end_run(&mut stray, &mut runs);
            let name = section.name.node.as_str();
            if name == "steps" && steps_block.is_none() {
                steps_block = section.block().map(|(_, span)| span);
            }
            if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
                self.duplicate_section(&section, *first, at);
            } else if STAGE_SECTIONS.contains(&name) {
                seen.push((name.to_owned(), section.name.span));
            }
            match name {
                "agent" => keep(&mut stage.agent, self.agent(&section)),
                "when" => keep(&mut stage.when, self.when(&section)),
                "environment" => keep(&mut stage.environment, self.environment(&section)),
                "tools" => keep(&mut stage.tools, self.tools(&section)),
                "options" => keep(
                    &mut stage.options,
                    self.invocations(&section, super::directives::OPTIONS),
                ),
                "input" => keep(&mut stage.input, self.input(&section)),
                "post" => keep(&mut stage.post, self.post(&section)),
                "steps" => keep(&mut stage.steps, self.steps(&section)),
                "stages" => keep(&mut stage.stages, self.stages(&section)),
                "parallel" => keep(&mut stage.parallel, self.stages(&section)),
                "matrix" => keep(&mut stage.matrix, self.matrix(&section).map(Box::new)),
                "failFast" => keep(&mut stage.fail_fast, self.boolean_flag(&section)),
                _ => {}
            }
        }
        stray::end_run(&mut stray, &mut runs);
        // With a `steps` block already there, a second one would be a duplicate section:
        // the stray steps move into it instead.
        match steps_block {
            Some(block) if !runs.is_empty() => self.move_into_steps(&runs, block),
            _ => {
                for mut run in runs {
                    self.wrap_stray_run(&mut run);
                }
            }
        }
        Some(stage)
    }

    /// Gives every diagnostic of a run of stray steps the same fix: one `steps { }` around
    /// the whole run. A single step is wrapped on its line (`steps { sh 'make' }`); several are
    /// moved into a block, one level deeper.
    fn wrap_stray_run(&mut self, run: &mut Vec<(usize, Span)>) {
        let (Some(&(_, first)), Some(&(_, last))) = (run.first(), run.last()) else {
            return;
        };
        let fix = if run.len() == 1 {
            wrap_fix(first, "steps { ".into(), " }".into())
        } else {
            let text = &self.src.text;
            let line_start = text[..first.start as usize]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let indent: String = text[line_start..first.start as usize]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let unit = if indent.starts_with('\t') {
                "\t"
            } else if indent.len().is_multiple_of(4) && !indent.is_empty() {
                "    "
            } else {
                "  "
            };
            let region = self
                .src
                .slice(Span::new(first.start as usize, last.end as usize));
            let mut body = String::new();
            for (i, line) in region.split('\n').enumerate() {
                if i > 0 {
                    body.push('\n');
                }
                if i == 0 {
                    body.push_str(&indent);
                }
                if !line.trim().is_empty() {
                    body.push_str(unit);
                }
                body.push_str(line);
            }
            crate::diagnostic::Fix {
                title: "Wrap in `steps { }`".into(),
                edits: vec![crate::diagnostic::TextEdit {
                    span: Span::new(first.start as usize, last.end as usize),
                    replacement: format!("steps {{\n{body}\n{indent}}}"),
                }],
            }
        };
        for (index, _) in run.drain(..) {
            self.diags[index].fix = Some(fix.clone());
        }
    }

    /// Reports a statement of a stage that is no section; says whether it is a stray step
    /// (whose fix, wrapping it in `steps { }`, the caller may widen to its neighbours).
    fn unknown_stage_section(&mut self, call: &Call<'_>, at: Span) -> bool {
        let name = call.name.node.as_str();
        let guess = crate::model::catalogue::nearest(name, STAGE_SECTIONS.iter().copied());
        let is_step = crate::stdlib::Catalogue::builtin().is_known(name);
        let help = guess.filter(|_| !is_step).map_or_else(
            || "steps go inside `steps { … }`".into(),
            |s| format!("did you mean `{s}`?"),
        );
        let diag = self.error(
            "unknown-stage-section",
            format!(
                "Unknown stage section \"{name}\". Starting with version 0.5, steps in a stage must be in a ‘steps’ block."
            ),
            call.name.span,
            at,
        );
        diag.label = Some("not a stage section".into());
        diag.help = Some(help);
        diag.fix = if is_step {
            // A stray step: the quick fix wraps it in `steps { }`.
            Some(wrap_fix(call.span, "steps { ".into(), " }".into()))
        } else {
            guess.map(|s| super::rename_fix(call.name.span, s))
        };
        is_step
    }

    /// `failFast true`, `beforeAgent true`: a boolean literal.
    pub(crate) fn boolean_flag(&mut self, call: &Call<'a>) -> Option<Spanned<bool>> {
        if let [Arg::Positional(e)] = call.plain_args()
            && call.block().is_none()
            && let ExprKind::Bool(b) = e.node
        {
            return Some(Spanned::new(b, e.span));
        }
        let name = &call.name.node;
        self.error(
            "expected-boolean",
            format!("Expected a boolean with {name}"),
            call.span,
            call.span,
        )
        .label = Some("write `true` or `false`".into());
        None
    }

    fn matrix(&mut self, call: &Call<'a>) -> Option<Matrix> {
        let body = self.section_block(call)?;
        let at = call.span;
        let mut m = Matrix {
            span: at,
            axes: None,
            excludes: None,
            agent: None,
            when: None,
            post: None,
            options: None,
            input: None,
            tools: None,
            environment: None,
            stages: None,
        };
        let mut seen: Vec<(String, Span)> = Vec::new();
        for stmt in body {
            let Some(section) = as_call(stmt) else {
                self.not_a_section(stmt, None);
                continue;
            };
            let name = section.name.node.as_str();
            if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
                self.duplicate_section(&section, *first, stmt.span);
            } else {
                seen.push((name.to_owned(), section.name.span));
            }
            match name {
                "axes" => {
                    let axes = self
                        .section_block(&section)
                        .map(|b| self.axes(section.span, b, false));
                    keep(&mut m.axes, axes);
                }
                "excludes" => {
                    let excludes = self
                        .section_block(&section)
                        .map(|b| self.excludes(section.span, b));
                    keep(&mut m.excludes, excludes);
                }
                "agent" => keep(&mut m.agent, self.agent(&section)),
                "when" => keep(&mut m.when, self.when(&section)),
                "post" => keep(&mut m.post, self.post(&section)),
                "options" => keep(
                    &mut m.options,
                    self.invocations(&section, super::directives::OPTIONS),
                ),
                "input" => keep(&mut m.input, self.input(&section)),
                "tools" => keep(&mut m.tools, self.tools(&section)),
                "environment" => keep(&mut m.environment, self.environment(&section)),
                "stages" => keep(&mut m.stages, self.stages(&section)),
                _ => {
                    self.error(
                        "undefined-section",
                        format!("Undefined section \"{name}\""),
                        section.name.span,
                        stmt.span,
                    );
                }
            }
        }
        Some(m)
    }

    fn excludes(&mut self, span: Span, body: &'a [Stmt]) -> Excludes {
        let excludes =
            self.named_blocks(body, "exclude", |b, span, block| b.axes(span, block, true));
        Excludes { span, excludes }
    }

    fn axes(&mut self, span: Span, body: &'a [Stmt], exclude: bool) -> Axes {
        let axes = self.named_blocks(body, "axis", |b, span, block| b.axis(span, block, exclude));
        Axes { span, axes }
    }

    /// Reads a section whose only statements are `name { … }` blocks (`axes`, `excludes`);
    /// anything else is an undefined section, as Jenkins says.
    fn named_blocks<T>(
        &mut self,
        body: &'a [Stmt],
        name: &str,
        mut read: impl FnMut(&mut Self, Span, &'a [Stmt]) -> T,
    ) -> Vec<T> {
        let mut found = Vec::new();
        for stmt in body {
            match as_call(stmt).filter(|c| c.name.node == name) {
                Some(c) => {
                    if let Some(b) = self.section_block(&c) {
                        found.push(read(self, c.span, b));
                    }
                }
                None => {
                    self.error(
                        "undefined-section",
                        undefined(self.text(stmt.span)),
                        stmt.span,
                        stmt.span,
                    );
                }
            }
        }
        found
    }

    fn axis(&mut self, span: Span, body: &'a [Stmt], exclude: bool) -> Axis {
        let mut axis = Axis {
            span,
            name: None,
            values: None,
            not_values: false,
        };
        for stmt in body {
            let Some(field) = as_call(stmt) else {
                self.not_a_section(stmt, None);
                continue;
            };
            let name = field.name.node.as_str();
            let values: Vec<AxisValue> = field
                .plain_args()
                .iter()
                .filter_map(|a| match a {
                    Arg::Positional(e) => Some(AxisValue {
                        expr: e.clone(),
                        literal: crate::model::validate::literal(e).map(|l| l.text),
                    }),
                    _ => None,
                })
                .collect();
            match name {
                "name" => {
                    if axis.name.is_some() {
                        self.duplicate_section(&field, span, stmt.span);
                    }
                    match values.len() {
                        0 => {
                            self.error(
                                "missing-argument",
                                "No argument for field \"name\"",
                                field.name.span,
                                field.span,
                            );
                        }
                        1 => {
                            let value = values.into_iter().next().expect("one value");
                            if value.literal.is_none() {
                                self.error(
                                    "expected-string-literal",
                                    "Expected string literal",
                                    value.expr.span,
                                    field.span,
                                );
                            }
                            axis.name = Some(value);
                        }
                        _ => {
                            self.error(
                                "too-many-arguments",
                                "Too many arguments for field \"name\"",
                                field.args.span,
                                field.span,
                            );
                        }
                    }
                }
                "values" | "notValues" if exclude || name == "values" => {
                    if axis.values.is_some() {
                        if exclude && (name == "notValues") != axis.not_values {
                            self.error(
                                "values-and-not-values",
                                "Exclude axis must contain either \"values\" or \"notValues\"",
                                field.name.span,
                                field.span,
                            );
                        } else {
                            self.duplicate_section(&field, span, stmt.span);
                        }
                        continue;
                    }
                    axis.not_values = name == "notValues";
                    axis.values = Some(values);
                }
                _ => {
                    self.error(
                        "undefined-section",
                        format!("Undefined section \"{name}\""),
                        field.name.span,
                        field.span,
                    );
                }
            }
        }
        axis
    }
}

fn undefined(text: &str) -> String {
    format!("Undefined section \"{text}\"")
}

/// A fix that puts `before` and `after` around `span`.
fn wrap_fix(span: Span, before: String, after: String) -> crate::diagnostic::Fix {
    crate::diagnostic::Fix {
        title: "Wrap in `steps { }`".into(),
        edits: vec![
            crate::diagnostic::TextEdit {
                span: Span::new(span.start as usize, span.start as usize),
                replacement: before,
            },
            crate::diagnostic::TextEdit {
                span: Span::new(span.end as usize, span.end as usize),
                replacement: after,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::STAGE_SECTIONS;

    #[test]
    fn stage_sections_are_sorted_for_readers() {
        let mut sorted = STAGE_SECTIONS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STAGE_SECTIONS);
    }
}
