//! The model → Jenkins' `ModelValidatorImpl` and its contributors. Runs once on the finished
//! model, in Jenkins' traversal order (pipeline, stages depth-first, then post, environment,
//! agent, tools, options, parameters, triggers, libraries), so that `--format jenkins` lists the
//! errors as Jenkins does.

mod args;
mod directives;
mod regex;
mod stage;
mod steps;
mod when;

use crate::diagnostic::Diagnostic;
use crate::model::catalogue::Catalogue;
use crate::model::pipeline::{Agent, AgentConfig, AgentKind, AgentOption, Pipeline};
use crate::source::{SourceFile, Span};

pub(crate) use args::literal;

pub(crate) struct Validator<'a> {
    pub(crate) src: &'a SourceFile,
    pub(crate) cat: &'a Catalogue,
    pub(crate) diags: Vec<Diagnostic>,
}

/// Validates a built pipeline; the diagnostics come in Jenkins' order.
pub(crate) fn validate(p: &Pipeline, src: &SourceFile, cat: &Catalogue) -> Vec<Diagnostic> {
    let mut v = Validator {
        src,
        cat,
        diags: Vec::new(),
    };
    v.pipeline(p);
    v.diags
}

/// A list as Java's `toString()` prints it.
pub(crate) fn java_list<'s>(items: impl IntoIterator<Item = &'s str>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

impl Validator<'_> {
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        jenkins: Span,
    ) -> &mut Diagnostic {
        let at = self.src.line_col(jenkins.start as usize);
        let span = crate::model::build::trim_span(self.src, span);
        self.diags.push(
            Diagnostic::error(code, message, span).with_jenkins(at.line as u32, at.column as u32),
        );
        self.diags.last_mut().expect("just pushed")
    }

    /// The first word of a statement: `pipeline`, `stages`, `environment`.
    pub(crate) fn keyword(&self, span: Span) -> Span {
        let text = self.src.slice(span);
        let len = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(text.len());
        Span::new(span.start as usize, span.start as usize + len.max(1))
    }

    fn pipeline(&mut self, p: &Pipeline) {
        let head = self.keyword(p.span);
        if p.stages.is_none() {
            self.error(
                "missing-stages",
                "Missing required section \"stages\"",
                head,
                p.span,
            )
            .help = Some("add `stages { stage('Build') { steps { … } } }`".into());
        }
        if p.agent.is_none() {
            self.error(
                "missing-agent",
                "Missing required section \"agent\"",
                head,
                p.span,
            )
            .help = Some("add `agent any` (or `agent none` and an agent per stage)".into());
            // The quick fix: `agent any` as the first line of the block. When code follows
            // the `{` on its line (`pipeline { stages { … } }`), that code moves to a line of
            // its own after `agent any`, at the same indentation.
            if let Some(brace) = self.src.slice(p.span).find('{') {
                let at = p.span.start as usize + brace + 1;
                let line_start = self.src.text[..p.span.start as usize]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let indent = leading_space(&self.src.text[line_start..]);
                let child = child_indent(&self.src.text, at, indent);
                let rest = &self.src.text[at..];
                let line = rest.split(['\n', '\r']).next().unwrap_or("");
                let gap = leading_space(line).len();
                let next = &line[gap..];
                let follows = !next.is_empty() && !next.starts_with("//");
                // A `}` that follows closes the pipeline: it keeps the pipeline's indentation.
                let after: &str = if next.starts_with('}') {
                    indent
                } else {
                    &child
                };
                let fix = crate::diagnostic::TextEdit {
                    span: Span::new(at, if follows { at + gap } else { at }),
                    replacement: if follows {
                        format!("\n{child}agent any\n{after}")
                    } else {
                        format!("\n{child}agent any")
                    },
                };
                if let Some(last) = self.diags.last_mut() {
                    last.fix = Some(crate::diagnostic::Fix {
                        title: "Add `agent any`".into(),
                        edits: vec![fix],
                    });
                }
            }
        }
        if let Some(stages) = &p.stages {
            self.stages(stages, false);
        }
        if let Some(post) = &p.post {
            self.post(post);
        }
        if let Some(env) = &p.environment {
            self.environment(env);
        }
        if let Some(agent) = &p.agent {
            self.agent(agent);
        }
        if let Some(tools) = &p.tools {
            self.tools(tools);
        }
        if let Some(options) = &p.options {
            self.options(options, false);
        }
        if let Some(params) = &p.parameters {
            self.parameters(params);
        }
        if let Some(triggers) = &p.triggers {
            self.triggers(triggers);
        }
        if let Some(libs) = &p.libraries
            && libs.items.is_empty()
        {
            let head = self.keyword(libs.span);
            self.error(
                "empty-section",
                "libraries can not be empty",
                head,
                libs.span,
            );
        }
    }

    pub(crate) fn agent(&mut self, agent: &Agent) {
        let head = self.keyword(agent.span);
        let types = self.cat.names(crate::model::catalogue::Kind::Agent);
        let list = java_list(types.iter().copied());
        let (ty, config) = match &agent.kind {
            AgentKind::Any | AgentKind::None => return,
            AgentKind::Missing => {
                self.error(
                    "missing-agent-type",
                    format!("No agent type specified. Must be one of {list}"),
                    head,
                    agent.span,
                );
                return;
            }
            AgentKind::Typed { ty, config } => (ty, config),
        };
        let Some(desc) = self.cat.get(crate::model::catalogue::Kind::Agent, &ty.node) else {
            let guess = self
                .cat
                .suggest(crate::model::catalogue::Kind::Agent, &ty.node);
            let fix = crate::model::build::rename_fix_at(self.src, ty.span, &ty.node, guess);
            let help = guess.map_or_else(
                || "agent types come from plugins; add one with --plugin-catalogue".into(),
                |s| format!("did you mean `{s}`?"),
            );
            let diag = self.error(
                "unknown-agent-type",
                format!(
                    "Invalid agent type \"{}\" specified. Must be one of {list}",
                    ty.node
                ),
                ty.span,
                ty.span,
            );
            diag.help = Some(help);
            diag.fix = fix;
            return;
        };
        let desc = desc.clone();
        match config {
            AgentConfig::Value(_) => {
                let required: Vec<&str> = desc.required().map(|p| p.name.as_str()).collect();
                if required.len() > 1 {
                    self.error(
                        "agent-needs-block",
                        format!(
                            "Multiple parameters are required for agent type \"{}\" - {}. Please use a block instead.",
                            ty.node,
                            java_list(required)
                        ),
                        ty.span,
                        ty.span,
                    );
                }
            }
            AgentConfig::Block(options) => {
                self.agent_options(&ty.node, options, &desc);
                for required in desc.required() {
                    if !options.iter().any(|o| o.key.node == required.name) {
                        self.error(
                            "missing-agent-parameter",
                            format!(
                                "Missing required parameter for agent type \"{}\": {}",
                                ty.node, required.name
                            ),
                            ty.span,
                            ty.span,
                        );
                    }
                }
            }
        }
    }

    fn agent_options(
        &mut self,
        ty: &str,
        options: &[AgentOption],
        desc: &crate::model::catalogue::Describable,
    ) {
        for option in options {
            if desc.param(&option.key.node).is_none() {
                let valid: Vec<&str> = desc.params.iter().map(|p| p.name.as_str()).collect();
                let guess =
                    crate::model::catalogue::nearest(&option.key.node, valid.iter().copied());
                let help = guess.map(|s| format!("did you mean `{s}`?"));
                let fix = crate::model::build::rename_fix_at(
                    self.src,
                    option.key.span,
                    &option.key.node,
                    guess,
                );
                let diag = self.error(
                    "unknown-agent-option",
                    format!(
                        "Invalid config option \"{}\" for agent type \"{ty}\". Valid config options are {}",
                        option.key.node,
                        java_list(valid.iter().copied())
                    ),
                    option.key.span,
                    option.key.span,
                );
                diag.help = help;
                diag.fix = fix;
            }
        }
    }
}

fn leading_space(line: &str) -> &str {
    let end = line.find(|c| c != ' ' && c != '\t').unwrap_or(line.len());
    &line[..end]
}

/// The indentation of a new first line in the block opened just before `at`: that of the
/// block's next non-blank line when it is deeper than the block's own (`indent`), else one
/// level of the file's own style (a tab when it indents with tabs, else two or four spaces).
fn child_indent(text: &str, at: usize, indent: &str) -> String {
    let after = text[at..].split_once('\n').map_or("", |(_, rest)| rest);
    if let Some(line) = after.lines().find(|l| !l.trim().is_empty()) {
        let own = leading_space(line);
        if own.len() > indent.len() && own.starts_with(indent) {
            return own.to_owned();
        }
    }
    let unit = if text.lines().any(|l| l.starts_with('\t')) {
        "\t"
    } else if text
        .lines()
        .any(|l| l.starts_with("  ") && !l.starts_with("    "))
    {
        "  "
    } else {
        "    "
    };
    format!("{indent}{unit}")
}
