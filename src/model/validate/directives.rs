//! Validation of the list directives (`environment`, `tools`, `options`, `parameters`,
//! `triggers`) and `post`.

use crate::model::build::rename_fix_at;
use crate::model::catalogue::{Kind, OptionKind, nearest};
use crate::model::pipeline::{Environment, Invocation, POST_CONDITIONS, Post, Section, Tool};
use crate::model::validate::{Validator, java_list, literal};
use crate::syntax::ast::{Arg, ExprKind};

/// `[a-zA-Z_][a-zA-Z0-9_]*`: what Jenkins accepts as an environment variable (and axis) name.
pub(crate) fn valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Validator<'_> {
    pub(crate) fn environment(&mut self, env: &Environment) {
        if env.vars.is_empty() {
            let head = self.keyword(env.span);
            self.error(
                "empty-environment",
                "No variables specified for environment",
                head,
                env.span,
            )
            .help = Some("remove the empty `environment` block or add `NAME = 'value'`".into());
        }
        for var in &env.vars {
            if !valid_env_name(&var.name.node) {
                self.invalid_env_name(&var.name.node, var.name.span);
            }
        }
    }

    pub(crate) fn invalid_env_name(&mut self, name: &str, span: crate::source::Span) {
        self.error(
            "invalid-environment-name",
            format!(
                "\"{name}\" is not a valid identifier and cannot be used for an environment variable. Identifiers must start with a letter or underscore and can contain only letters, numbers or underscores."
            ),
            span,
            span,
        )
        .label = Some("not a valid variable name".into());
    }

    pub(crate) fn tools(&mut self, tools: &Section<Tool>) {
        if tools.items.is_empty() {
            let head = self.keyword(tools.span);
            self.error("empty-tools", "No tools specified", head, tools.span);
        }
        for tool in &tools.items {
            let Some(desc) = self.cat.get(Kind::Tool, &tool.ty.node) else {
                let list = java_list(self.cat.names(Kind::Tool));
                let guess = self.cat.suggest(Kind::Tool, &tool.ty.node);
                let help = guess.map(|s| format!("did you mean `{s}`?"));
                let fix = rename_fix_at(self.src, tool.ty.span, &tool.ty.node, guess);
                let diag = self.error(
                    "unknown-tool-type",
                    format!(
                        "Invalid tool type \"{}\". Valid tool types: {list}",
                        tool.ty.node
                    ),
                    tool.ty.span,
                    tool.span,
                );
                diag.help = help;
                diag.fix = fix;
                continue;
            };
            let (Some(installs), ExprKind::Str(version)) = (&desc.installs, &tool.version.node)
            else {
                continue;
            };
            if !installs.contains(&version.value) {
                let guess = nearest(&version.value, installs.iter().map(String::as_str))
                    .or_else(|| installs.first().map(String::as_str))
                    .unwrap_or_default()
                    .to_owned();
                self.error(
                    "unknown-tool-installation",
                    format!(
                        "Tool type \"{}\" does not have an install of \"{}\" configured - did you mean \"{guess}\"?",
                        tool.ty.node, version.value
                    ),
                    tool.version.span,
                    tool.version.span,
                );
            }
        }
    }

    pub(crate) fn options(&mut self, options: &Section<Invocation>, in_stage: bool) {
        if options.items.is_empty() {
            self.empty_section("options", options.span);
        }
        let mut seen: Vec<&str> = Vec::new();
        for option in &options.items {
            let name = option.name.node.as_str();
            let allowed = self
                .cat
                .get(Kind::Option, name)
                .filter(|d| !in_stage || d.stage || d.kind == OptionKind::Wrapper);
            if let Some(desc) = allowed {
                let desc = desc.clone();
                self.describable_args(&option.name, &option.args, &desc, option.span);
                if name == "preserveStashes" {
                    self.preserve_stashes(option);
                }
            } else {
                if name != "triggers" {
                    let names = if in_stage {
                        self.cat.stage_option_names()
                    } else {
                        self.cat.names(Kind::Option)
                    };
                    let (help, fix) = if in_stage && self.cat.get(Kind::Option, name).is_some() {
                        (
                            Some(format!(
                                "`{name}` applies to the whole pipeline: move it to the top-level `options`"
                            )),
                            None,
                        )
                    } else {
                        let guess = nearest(name, names.iter().copied());
                        (
                            guess.map(|s| format!("did you mean `{s}`?")),
                            rename_fix_at(self.src, option.name.span, name, guess),
                        )
                    };
                    let list = java_list(names);
                    let diag = self.error(
                        "unknown-option-type",
                        format!("Invalid option type \"{name}\". Valid option types: {list}"),
                        option.name.span,
                        option.span,
                    );
                    diag.help = help;
                    diag.fix = fix;
                }
                if name == "parameters" || name == "triggers" {
                    self.error(
                        "job-property-in-options",
                        format!(
                            "The \"{name}\" job property cant be used in the \"options\" directive. Use the \"{name} {{...}}\" directive instead."
                        ),
                        option.name.span,
                        option.span,
                    );
                }
            }
            if seen.contains(&name) {
                let head = self.keyword(options.span);
                self.error(
                    "duplicate-option",
                    format!("Duplicate option name: \"{name}\""),
                    option.name.span,
                    head,
                );
            } else {
                seen.push(name);
            }
            self.blocked_in_args(&option.args);
        }
    }

    fn preserve_stashes(&mut self, option: &Invocation) {
        let Some(count) = option.args.get("buildCount", Some("buildCount")) else {
            return;
        };
        if let Some(n) = literal(count).and_then(|l| l.int)
            && !(1..=50).contains(&n)
        {
            self.error(
                "preserve-stashes-range",
                "The number of builds to preserve must be between 1 and 50.",
                count.span,
                option.span,
            );
        }
    }

    fn empty_section(&mut self, name: &str, span: crate::source::Span) {
        let head = self.keyword(span);
        self.error(
            "empty-section",
            format!("{name} can not be empty"),
            head,
            span,
        )
        .help = Some(format!("remove the empty `{name}` block"));
    }

    pub(crate) fn parameters(&mut self, params: &Section<Invocation>) {
        if params.items.is_empty() {
            self.empty_section("parameters", params.span);
        }
        for param in &params.items {
            self.typed(param, Kind::Parameter, "parameter");
        }
    }

    pub(crate) fn triggers(&mut self, triggers: &Section<Invocation>) {
        if triggers.items.is_empty() {
            self.empty_section("triggers", triggers.span);
        }
        let mut seen: Vec<&str> = Vec::new();
        for trigger in &triggers.items {
            self.typed(trigger, Kind::Trigger, "trigger");
            let name = trigger.name.node.as_str();
            if seen.contains(&name) {
                let head = self.keyword(triggers.span);
                self.error(
                    "duplicate-trigger",
                    format!("Duplicate trigger name: \"{name}\""),
                    trigger.name.span,
                    head,
                );
            } else {
                seen.push(name);
            }
        }
    }

    /// A parameter or trigger: known type, then its arguments.
    fn typed(&mut self, item: &Invocation, kind: Kind, word: &str) {
        if let Some(desc) = self.cat.get(kind, &item.name.node) {
            let desc = desc.clone();
            self.describable_args(&item.name, &item.args, &desc, item.span);
        } else {
            let guess = self.cat.suggest(kind, &item.name.node);
            let help = guess.map(|s| format!("did you mean `{s}`?"));
            let fix = rename_fix_at(self.src, item.name.span, &item.name.node, guess);
            let list = java_list(self.cat.names(kind));
            let diag = self.error(
                "unknown-type",
                format!(
                    "Invalid {word} type \"{}\". Valid {word} types: {list}",
                    item.name.node
                ),
                item.name.span,
                item.span,
            );
            diag.help = help;
            diag.fix = fix;
        }
        self.blocked_in_args(&item.args);
    }

    pub(crate) fn post(&mut self, post: &Post) {
        if post.conditions.is_empty() {
            self.empty_section("post", post.span);
        }
        let mut seen: Vec<&str> = Vec::new();
        for cond in &post.conditions {
            let name = cond.name.node.as_str();
            if !POST_CONDITIONS.contains(&name) {
                let guess = nearest(name, POST_CONDITIONS.iter().copied());
                let help = guess.map(|s| format!("did you mean `{s}`?"));
                let fix = rename_fix_at(self.src, cond.name.span, name, guess);
                let diag = self.error(
                    "unknown-post-condition",
                    format!(
                        "Invalid condition \"{name}\" - valid conditions are {}",
                        java_list(POST_CONDITIONS.iter().copied())
                    ),
                    cond.name.span,
                    cond.name.span,
                );
                diag.help = help;
                diag.fix = fix;
            } else if seen.contains(&name) {
                self.error(
                    "duplicate-post-condition",
                    format!("Duplicate build condition name: \"{name}\""),
                    cond.name.span,
                    cond.name.span,
                );
            } else {
                seen.push(name);
            }
            self.steps(&cond.steps);
        }
    }

    /// Blocked steps passed as arguments: `cron(properties([…]))`, `foo(node { … })`.
    pub(crate) fn blocked_in_args(&mut self, args: &crate::model::pipeline::Arguments) {
        use crate::model::pipeline::Arguments;
        let values: Vec<&crate::syntax::ast::Expr> = match args {
            Arguments::None => Vec::new(),
            Arguments::Single(v) => vec![v],
            Arguments::Positional(vs) => vs.iter().collect(),
            Arguments::Named(pairs) => pairs.iter().map(|(_, v)| v).collect(),
            Arguments::Mixed { named, positional } => named
                .iter()
                .map(|(_, v)| v)
                .chain(positional.iter())
                .collect(),
        };
        for value in values {
            self.blocked_value(value);
        }
    }

    pub(crate) fn blocked_value(&mut self, value: &crate::syntax::ast::Expr) {
        match &value.node {
            ExprKind::MethodCall { .. } => {
                let Some(call) = crate::model::build::expr_call(value) else {
                    return;
                };
                if !call.receiver {
                    let name = call.name.node.as_str();
                    let reason = match name {
                        "node" => Some(
                            "The node step cannot be called as an argument to a method in Declarative Pipelines",
                        ),
                        _ => super::steps::blocked_reason(name),
                    };
                    if let Some(reason) = reason {
                        self.blocked(name, reason, call.name.span, value.span);
                    }
                }
                for arg in call.plain_args() {
                    match arg {
                        Arg::Named(e) => self.blocked_value(&e.value),
                        Arg::Positional(e) | Arg::Spread(e) => self.blocked_value(e),
                    }
                }
            }
            ExprKind::List(items) => {
                for item in items {
                    self.blocked_value(item);
                }
            }
            ExprKind::Map(entries) => {
                for entry in entries {
                    self.blocked_value(&entry.value);
                }
            }
            _ => {}
        }
    }
}
