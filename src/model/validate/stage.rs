//! Validation of `stages`, each stage (exactly one body, nesting rules), `parallel` and
//! `matrix`.

use crate::model::pipeline::{Axes, AxisValue, Matrix, Stage, Stages};
use crate::model::validate::Validator;
use crate::model::validate::directives::valid_env_name;
use crate::source::Span;
use crate::syntax::ast::ExprKind;

impl Validator<'_> {
    /// A list of stages; `nested` is true inside `parallel` or `matrix`.
    pub(crate) fn stages(&mut self, stages: &Stages, nested: bool) {
        self.stage_list(stages);
        for stage in &stages.stages {
            self.stage(stage, nested);
        }
    }

    /// The list-level checks: not empty, no two siblings with one name.
    fn stage_list(&mut self, stages: &Stages) {
        let head = self.keyword(stages.span);
        if stages.stages.is_empty() {
            self.error("empty-stages", "No stages specified", head, stages.span)
                .help = Some("add `stage('name') { steps { … } }`".into());
        }
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for stage in &stages.stages {
            let name = stage.name.node.as_str();
            if let Some(&(_, first)) = seen.iter().find(|(n, _)| *n == name) {
                self.error(
                    "duplicate-stage-name",
                    format!("Duplicate stage name: \"{name}\""),
                    stage.name.span,
                    stages.span,
                )
                .secondary
                .push(crate::diagnostic::Label {
                    span: first,
                    message: "first used here".into(),
                });
            } else {
                seen.push((name, stage.name.span));
            }
        }
    }

    fn stage(&mut self, stage: &Stage, nested: bool) {
        if let Some(agent) = &stage.agent {
            self.agent(agent);
        }
        if let Some(when) = &stage.when {
            self.when(when);
        }
        if let Some(post) = &stage.post {
            self.post(post);
        }
        if let Some(tools) = &stage.tools {
            self.tools(tools);
        }
        if let Some(env) = &stage.environment {
            self.environment(env);
        }
        if let Some(options) = &stage.options {
            self.options(options, true);
        }
        if let Some(input) = &stage.input {
            self.input(input);
        }
        let name = &stage.name.node;
        let head = self.keyword(stage.span);
        let empty_parallel = stage
            .steps
            .as_ref()
            .is_some_and(|s| is_empty_parallel(&s.stmts));
        match stage.body_count() - usize::from(empty_parallel) {
            0 => {
                self.error(
                    "stage-without-body",
                    format!("Expected one of \"steps\", \"stages\", or \"parallel\" for stage \"{name}\""),
                    head,
                    stage.span,
                )
                .help = Some("add `steps { … }`".into());
            }
            1 => {}
            _ => {
                self.error(
                    "stage-with-several-bodies",
                    format!("Only one of \"matrix\", \"parallel\", \"stages\", or \"steps\" allowed for stage \"{name}\""),
                    head,
                    stage.span,
                );
            }
        }
        let fans_out = stage.parallel.is_some() || stage.matrix.is_some();
        if fans_out {
            if let Some(agent) = &stage.agent {
                let at = self.keyword(agent.span);
                self.error(
                    "agent-with-parallel",
                    format!("\"agent\" is not allowed in stage \"{name}\" as it contains parallel or matrix stages"),
                    at,
                    stage.span,
                )
                .help = Some("give each parallel stage its own agent".into());
            }
            if let Some(tools) = &stage.tools {
                let at = self.keyword(tools.span);
                self.error(
                    "tools-with-parallel",
                    format!("\"tools\" is not allowed in stage \"{name}\" as it contains parallel or matrix stages"),
                    at,
                    stage.span,
                );
            }
        }
        let legacy_parallel = stage
            .steps
            .as_ref()
            .is_some_and(|s| steps_are_parallel(&s.stmts));
        if nested && (fans_out || legacy_parallel) {
            self.error(
                "nested-parallel",
                "\"matrix\" or \"parallel\" cannot be nested inside another \"matrix\" or \"parallel\".",
                head,
                stage.span,
            );
        }
        if let Some(steps) = stage.steps.as_ref().filter(|_| !empty_parallel) {
            self.steps(steps);
        }
        if let Some(parallel) = &stage.parallel {
            // Jenkins checks a parallel block both as a stage list and as the parallel
            // element, so its list-level errors appear twice.
            self.stage_list(parallel);
            self.stages(parallel, true);
        }
        if let Some(matrix) = &stage.matrix {
            self.matrix(matrix);
        }
        if let Some(stages) = &stage.stages {
            self.stages(stages, nested);
        }
    }

    fn input(&mut self, input: &crate::model::pipeline::Input) {
        if input.message.is_none() {
            let head = self.keyword(input.span);
            self.error(
                "input-without-message",
                "No message specified for input",
                head,
                input.span,
            )
            .help = Some("add `message 'Proceed?'`".into());
        }
        if let Some(params) = &input.parameters {
            self.parameters(params);
        }
    }

    fn matrix(&mut self, m: &Matrix) {
        let head = self.keyword(m.span);
        if let Some(agent) = &m.agent {
            self.agent(agent);
        }
        if let Some(when) = &m.when {
            self.when(when);
        }
        if let Some(post) = &m.post {
            self.post(post);
        }
        if let Some(tools) = &m.tools {
            self.tools(tools);
        }
        if let Some(env) = &m.environment {
            self.environment(env);
        }
        if let Some(options) = &m.options {
            self.options(options, true);
        }
        if let Some(input) = &m.input {
            self.input(input);
        }
        match &m.axes {
            None => {
                self.error(
                    "missing-axes",
                    "Missing required section \"axes\"",
                    head,
                    m.span,
                );
            }
            Some(axes) => self.axes(axes),
        }
        if let Some(excludes) = &m.excludes {
            if excludes.excludes.is_empty() {
                let at = self.keyword(excludes.span);
                self.error(
                    "empty-excludes",
                    "No exclude directives specified",
                    at,
                    excludes.span,
                );
            }
            for exclude in &excludes.excludes {
                self.axes(exclude);
            }
        }
        match &m.stages {
            None => {
                self.error(
                    "missing-stages",
                    "Missing required section \"stages\"",
                    head,
                    m.span,
                );
            }
            Some(stages) => self.stages(stages, true),
        }
    }

    fn axes(&mut self, axes: &Axes) {
        let head = self.keyword(axes.span);
        if axes.axes.is_empty() {
            self.error(
                "empty-axes",
                "No axis directives specified",
                head,
                axes.span,
            );
        }
        let mut names: Vec<&str> = Vec::new();
        for axis in &axes.axes {
            let at = self.keyword(axis.span);
            match &axis.name {
                None => {
                    self.error(
                        "missing-axis-name",
                        "Missing required section \"name\"",
                        at,
                        axis.span,
                    );
                }
                Some(AxisValue {
                    literal: Some(name),
                    expr,
                }) => {
                    if names.contains(&name.as_str()) {
                        self.error(
                            "duplicate-axis-name",
                            format!("Duplicate axis name: \"{name}\""),
                            expr.span,
                            expr.span,
                        );
                    } else {
                        names.push(name);
                    }
                    if !valid_env_name(name) {
                        self.invalid_env_name(name, expr.span);
                    }
                }
                Some(_) => {}
            }
            let Some(values) = &axis.values else {
                self.error(
                    "missing-axis-values",
                    "Missing required section \"values\"",
                    at,
                    axis.span,
                );
                continue;
            };
            let mut seen: Vec<&str> = Vec::new();
            for value in values {
                if let Some(v) = &value.literal {
                    if seen.contains(&v.as_str()) {
                        self.error(
                            "duplicate-axis-value",
                            format!("Duplicate axis value: \"{v}\""),
                            value.expr.span,
                            value.expr.span,
                        );
                    } else {
                        seen.push(v);
                    }
                } else {
                    let text = self.src.slice(value.expr.span);
                    let shown = if matches!(value.expr.node, ExprKind::GString(_)) {
                        text.to_owned()
                    } else {
                        format!(
                            "${{{}}}",
                            text.trim_start_matches('(').trim_end_matches(')')
                        )
                    };
                    self.error(
                        "expected-string-literal",
                        format!("Expected string literal but got {shown}"),
                        value.expr.span,
                        value.expr.span,
                    );
                }
            }
        }
    }
}

/// Whether a `steps` block is the legacy `parallel(a: { … }, …)` form.
fn steps_are_parallel(stmts: &[crate::syntax::ast::Stmt]) -> bool {
    matches!(stmts, [only] if crate::model::build::as_call(only).is_some_and(|c| !c.receiver && c.name.node == "parallel"))
}

/// `steps { parallel() }`: a legacy parallel with no branches, which Jenkins counts as no
/// content at all.
fn is_empty_parallel(stmts: &[crate::syntax::ast::Stmt]) -> bool {
    matches!(stmts, [only] if crate::model::build::as_call(only).is_some_and(|c| {
        !c.receiver && c.name.node == "parallel" && c.args.items.is_empty() && c.args.closures.is_empty()
    }))
}
