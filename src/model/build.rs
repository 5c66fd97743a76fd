//! AST → model: Jenkins' `ModelParser`. Walks `pipeline { … }` in source order, builds the
//! typed model and reports every structural problem it meets (the "parse" errors, which Jenkins
//! lists before all validation errors), never stopping at the first one.

mod agent;
mod args;
mod directives;
mod environment;
mod post;
mod stage;
mod steps;
mod when;

use crate::diagnostic::Diagnostic;
use crate::model::catalogue::Catalogue;
use crate::model::pipeline::{Name, Pipeline};
use crate::source::{SourceFile, Span, Spanned};
use crate::syntax::ast::{self, Arg, Args, ExprKind, PropName, Stmt, StmtKind};

/// The top-level sections of `pipeline { … }`, for did-you-mean.
const SECTIONS: &[&str] = &[
    "agent",
    "environment",
    "libraries",
    "options",
    "parameters",
    "post",
    "stages",
    "tools",
    "triggers",
];

/// The walker's state: the source (for Jenkins' line/column and source excerpts), the type
/// catalogue and the problems found so far.
pub(crate) struct Builder<'a> {
    pub(crate) src: &'a SourceFile,
    pub(crate) cat: &'a Catalogue,
    pub(crate) diags: Vec<Diagnostic>,
}

/// A quick fix that replaces a misspelt name with the did-you-mean suggestion.
pub(crate) fn rename_fix(span: Span, to: &str) -> crate::diagnostic::Fix {
    crate::diagnostic::Fix {
        title: format!("Replace with `{to}`"),
        edits: vec![crate::diagnostic::TextEdit {
            span,
            replacement: to.to_owned(),
        }],
    }
}

/// The did-you-mean fix for a name at `span`, when the source there is exactly the name (a
/// quoted or computed name is not rewritten).
pub(crate) fn rename_fix_at(
    src: &SourceFile,
    span: Span,
    name: &str,
    to: Option<&str>,
) -> Option<crate::diagnostic::Fix> {
    let to = to?;
    (src.slice(span) == name).then(|| rename_fix(span, to))
}

/// A statement that is a method call on nothing: `name args… { block }`.
pub(crate) struct Call<'a> {
    pub(crate) name: &'a ast::Ident,
    pub(crate) args: &'a Args,
    /// The whole call.
    pub(crate) span: Span,
    /// `a.b(…)` rather than `b(…)`.
    pub(crate) receiver: bool,
}

impl<'a> Call<'a> {
    /// The closure Jenkins takes as the block: the last argument, if it is a closure.
    pub(crate) fn block(&self) -> Option<(&'a [Stmt], Span)> {
        let closure = self
            .args
            .closures
            .last()
            .or_else(|| match self.args.items.last() {
                Some(Arg::Positional(e)) if matches!(e.node, ExprKind::Closure(_)) => Some(e),
                _ => None,
            })?;
        match &closure.node {
            ExprKind::Closure(c) => Some((c.body.as_slice(), closure.span)),
            _ => None,
        }
    }

    /// The arguments other than the block.
    pub(crate) fn plain_args(&self) -> &'a [Arg] {
        let items = self.args.items.as_slice();
        if self.args.closures.is_empty()
            && let Some(Arg::Positional(e)) = items.last()
            && matches!(e.node, ExprKind::Closure(_))
        {
            return &items[..items.len() - 1];
        }
        items
    }

    pub(crate) fn name(&self) -> Name {
        Spanned::new(self.name.node.clone(), self.name.span)
    }
}

/// The call a statement makes, if it is a plain method call.
pub(crate) fn as_call(stmt: &Stmt) -> Option<Call<'_>> {
    match &stmt.node {
        StmtKind::Expr(expr) => expr_call(expr),
        _ => None,
    }
}

pub(crate) fn expr_call(expr: &ast::Expr) -> Option<Call<'_>> {
    match &expr.node {
        ExprKind::MethodCall {
            receiver,
            name: PropName::Name(name),
            args,
            ..
        } => Some(Call {
            name,
            args,
            span: expr.span,
            receiver: receiver.is_some(),
        }),
        _ => None,
    }
}

impl<'a> Builder<'a> {
    pub(crate) fn new(src: &'a SourceFile, cat: &'a Catalogue) -> Self {
        Builder {
            src,
            cat,
            diags: Vec::new(),
        }
    }

    /// Jenkins' line and column for the node starting at `span`.
    pub(crate) fn jenkins_pos(&self, span: Span) -> (u32, u32) {
        let at = self.src.line_col(span.start as usize);
        (at.line as u32, at.column as u32)
    }

    /// Reports `message` at our `span`, with Jenkins' position at the start of `jenkins`.
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        jenkins: Span,
    ) -> &mut Diagnostic {
        let (line, column) = self.jenkins_pos(jenkins);
        let span = trim_span(self.src, span);
        self.diags
            .push(Diagnostic::error(code, message, span).with_jenkins(line, column));
        self.diags.last_mut().expect("just pushed")
    }

    /// The source text of a node, as Jenkins quotes it in messages.
    pub(crate) fn text(&self, span: Span) -> &'a str {
        self.src.slice(span).trim()
    }

    /// The body of a section that must be a block, or reports `Expected a block for <name>`.
    pub(crate) fn section_block(&mut self, call: &Call<'a>) -> Option<&'a [Stmt]> {
        match call.block() {
            Some((body, _)) if call.plain_args().is_empty() => Some(body),
            _ => {
                let name = &call.name.node;
                self.error(
                    "expected-block",
                    format!("Expected a block for {name}"),
                    call.name.span,
                    call.span,
                )
                .label = Some(format!("`{name}` takes a block: `{name} {{ … }}`"));
                None
            }
        }
    }

    /// Reports a section that appears twice.
    pub(crate) fn duplicate_section(&mut self, call: &Call<'_>, first: Span, at: Span) {
        let name = &call.name.node;
        self.error(
            "duplicate-section",
            format!("Multiple occurrences of the {name} section"),
            call.name.span,
            at,
        )
        .secondary
        .push(crate::diagnostic::Label {
            span: first,
            message: "first given here".into(),
        });
    }

    /// A statement where a section was expected is not a method call.
    pub(crate) fn not_a_section(&mut self, stmt: &Stmt, in_stage: Option<Span>) {
        let text = self.text(stmt.span);
        let (code, message) = if in_stage.is_some() {
            (
                "invalid-stage-section",
                format!(
                    "Not a valid stage section definition: \"{text}\". Some extra configuration is required."
                ),
            )
        } else {
            (
                "invalid-section",
                format!(
                    "Not a valid section definition: \"{text}\". Some extra configuration is required."
                ),
            )
        };
        let at = in_stage.unwrap_or(stmt.span);
        self.error(code, message, stmt.span, at).label =
            Some("a section is a call: `name { … }` or `name value`".into());
    }

    fn pipeline(&mut self, call: &Call<'a>, body: &'a [Stmt]) -> Pipeline {
        let mut p = Pipeline {
            span: call.span,
            agent: None,
            stages: None,
            environment: None,
            options: None,
            parameters: None,
            triggers: None,
            tools: None,
            libraries: None,
            post: None,
        };
        for stmt in body {
            let Some(section) = as_call(stmt) else {
                self.not_a_section(stmt, None);
                continue;
            };
            if section.receiver {
                self.object_method_call(&section);
                continue;
            }
            let name = section.name.node.as_str();
            let first = match name {
                "agent" => p.agent.as_ref().map(|a| a.span),
                "stages" => p.stages.as_ref().map(|s| s.span),
                "environment" => p.environment.as_ref().map(|e| e.span),
                "options" => p.options.as_ref().map(|s| s.span),
                "parameters" => p.parameters.as_ref().map(|s| s.span),
                "triggers" => p.triggers.as_ref().map(|s| s.span),
                "tools" => p.tools.as_ref().map(|s| s.span),
                "libraries" => p.libraries.as_ref().map(|s| s.span),
                "post" => p.post.as_ref().map(|s| s.span),
                _ => None,
            };
            if let Some(first) = first {
                self.duplicate_section(&section, first, stmt.span);
            }
            // A repeated section is still read, for its own errors; the first one is kept.
            match name {
                "agent" => keep(&mut p.agent, self.agent(&section)),
                "stages" => keep(&mut p.stages, self.stages(&section)),
                "environment" => keep(&mut p.environment, self.environment(&section)),
                "options" => keep(
                    &mut p.options,
                    self.invocations(&section, directives::OPTIONS),
                ),
                "parameters" => keep(
                    &mut p.parameters,
                    self.invocations(&section, directives::PARAMETERS),
                ),
                "triggers" => keep(
                    &mut p.triggers,
                    self.invocations(&section, directives::TRIGGERS),
                ),
                "tools" => keep(&mut p.tools, self.tools(&section)),
                "libraries" => keep(&mut p.libraries, self.libraries(&section)),
                "post" => keep(&mut p.post, self.post(&section)),
                _ => self.unknown_section(&section, stmt.span),
            }
        }
        p
    }

    fn unknown_section(&mut self, call: &Call<'_>, at: Span) {
        let name = call.name.node.as_str();
        let renamed = match name {
            "properties" => Some(
                "The ‘properties’ section has been renamed as of version 0.8. Use ‘options’ instead.",
            ),
            "jobProperties" => Some(
                "The ‘jobProperties’ section has been renamed as of version 0.7. Use ‘properties’ instead.",
            ),
            "notifications" => Some(
                "The ‘notifications’ section has been removed as of version 0.6. Use ‘post’ for all post-build actions.",
            ),
            "postBuild" => Some(
                "The ‘postBuild’ section has been renamed as of version 0.6. Use ‘post’ for all post-build actions.",
            ),
            "wrappers" => Some(
                "The 'wrappers' section has been removed as of version 0.8. Use 'options' instead.",
            ),
            _ => None,
        };
        if let Some(message) = renamed {
            self.error("renamed-section", message, call.name.span, at);
            return;
        }
        let guess = crate::model::catalogue::nearest(name, SECTIONS.iter().copied());
        let help = guess.map(|s| format!("did you mean `{s}`?")).or_else(|| {
            matches!(
                name,
                "stage" | "matrix" | "steps" | "parallel" | "when" | "input"
            )
            .then(|| format!("`{name}` belongs inside `stages {{ stage('…') {{ … }} }}`"))
        });
        let diag = self.error(
            "undefined-section",
            format!("Undefined section \"{name}\""),
            call.name.span,
            at,
        );
        diag.label = Some("not a section of `pipeline`".into());
        diag.help = help;
        diag.fix = guess.map(|s| rename_fix(call.name.span, s));
    }

    pub(crate) fn object_method_call(&mut self, call: &Call<'_>) {
        self.error(
            "object-method-call",
            "Method calls on objects not allowed outside \"script\" blocks.",
            call.span,
            call.span,
        )
        .help = Some("wrap the call in `script { … }`".into());
    }
}

/// A statement's span without the blanks and semicolons the grammar lets it end with.
pub(crate) fn trim_span(src: &SourceFile, span: Span) -> Span {
    let text = src.slice(span);
    let kept = text
        .trim_end_matches(|c: char| c.is_whitespace() || c == ';')
        .len();
    if kept == 0 {
        return span;
    }
    Span::new(span.start as usize, span.start as usize + kept)
}

fn keep<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// Finds the Declarative block of a file and builds it. `None` with no diagnostics means a
/// scripted pipeline.
pub(crate) fn build(
    file: &ast::File,
    src: &SourceFile,
    cat: &Catalogue,
) -> (Option<Pipeline>, Vec<Diagnostic>) {
    let mut b = Builder::new(src, cat);
    let mut pipeline = None;
    for stmt in &file.stmts {
        let Some(call) = as_call(stmt) else { continue };
        if call.receiver || call.name.node != "pipeline" {
            continue;
        }
        match call.block() {
            Some((body, _)) if call.plain_args().is_empty() => {
                if pipeline.is_none() {
                    pipeline = Some(b.pipeline(&call, body));
                }
            }
            _ => {
                b.error(
                    "pipeline-without-block",
                    "Expected a block with the \"pipeline\" step",
                    call.name.span,
                    call.span,
                );
            }
        }
    }
    if pipeline.is_none() && b.diags.is_empty() {
        pipeline = library_pipeline(file, &mut b);
        if pipeline.is_none()
            && let Some(nested) = nested_pipeline(&file.stmts, 0)
        {
            b.error(
                "nested-pipeline",
                "pipeline block must be at the top-level, not within another block.",
                nested.name.span,
                nested.span,
            )
            .help = Some("move `pipeline { … }` out of the enclosing block".into());
        }
    }
    (pipeline, b.diags)
}

/// A shared-library global: `def call() { pipeline { agent …; stages … } }`, possibly under an
/// `if`/`else` choosing between several; the first one is modelled.
fn library_pipeline<'a>(file: &'a ast::File, b: &mut Builder<'a>) -> Option<Pipeline> {
    let call = file
        .stmts
        .iter()
        .filter_map(|stmt| match &stmt.node {
            StmtKind::Method(method) if method.name.node == "call" => method.body.as_ref(),
            _ => None,
        })
        .find_map(|body| library_pipeline_call(&body.stmts))?;
    let (body, _) = call.block()?;
    Some(b.pipeline(&call, body))
}

fn library_pipeline_call(stmts: &[Stmt]) -> Option<Call<'_>> {
    stmts.iter().find_map(|stmt| match &stmt.node {
        StmtKind::If {
            then, otherwise, ..
        } => library_pipeline_call(std::slice::from_ref(then)).or_else(|| {
            otherwise
                .as_deref()
                .and_then(|o| library_pipeline_call(std::slice::from_ref(o)))
        }),
        StmtKind::Block(block) => library_pipeline_call(&block.stmts),
        _ => {
            let call = as_call(stmt)?;
            let (body, _) = call.block()?;
            let has = |n: &str| {
                body.iter()
                    .filter_map(as_call)
                    .any(|c| c.name.node == n && !c.receiver)
            };
            (!call.receiver && call.name.node == "pipeline" && has("agent") && has("stages"))
                .then_some(call)
        }
    })
}

/// A `pipeline { … }` call nested inside another block.
fn nested_pipeline(stmts: &[Stmt], depth: usize) -> Option<Call<'_>> {
    for stmt in stmts {
        let Some(call) = as_call(stmt) else { continue };
        if depth > 0 && !call.receiver && call.name.node == "pipeline" && call.block().is_some() {
            return Some(call);
        }
        if let Some((body, _)) = call.block()
            && let Some(found) = nested_pipeline(body, depth + 1)
        {
            return Some(found);
        }
    }
    None
}
