//! The typed Declarative Pipeline: what `pipeline { … }` says, with a span on everything a
//! diagnostic, the planner or the runner may point at. Values that Jenkins evaluates at run time
//! (environment values, condition arguments, step blocks) stay AST expressions and statements.
//! `span` fields are the whole statement (`stage('x') { … }`), which is also where Jenkins
//! reports most problems.

use crate::source::{Span, Spanned};
use crate::syntax::ast;

pub type Name = Spanned<String>;

/// `pipeline { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub span: Span,
    pub agent: Option<Agent>,
    pub stages: Option<Stages>,
    pub environment: Option<Environment>,
    pub options: Option<Section<Invocation>>,
    pub parameters: Option<Section<Invocation>>,
    pub triggers: Option<Section<Invocation>>,
    pub tools: Option<Section<Tool>>,
    pub libraries: Option<Section<Library>>,
    pub post: Option<Post>,
}

impl Pipeline {
    /// Every stage, depth-first in source order, including those nested in `stages`,
    /// `parallel` and `matrix`.
    #[must_use]
    pub fn all_stages(&self) -> Vec<&Stage> {
        fn walk<'a>(stages: &'a Stages, out: &mut Vec<&'a Stage>) {
            for stage in &stages.stages {
                out.push(stage);
                let nested = [
                    stage.stages.as_ref(),
                    stage.parallel.as_ref(),
                    stage.matrix.as_ref().and_then(|m| m.stages.as_ref()),
                ];
                for inner in nested.into_iter().flatten() {
                    walk(inner, out);
                }
            }
        }
        let mut out = Vec::new();
        if let Some(stages) = &self.stages {
            walk(stages, &mut out);
        }
        out
    }
}

impl<T> Section<T> {
    /// The items in source order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

impl<'a, T> IntoIterator for &'a Section<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl Invocation {
    /// A named argument's value, or the single unnamed one when `name` is the parameter it
    /// binds to (`timeout(5)` binds `time`).
    #[must_use]
    pub fn arg(&self, name: &str, sole: Option<&str>) -> Option<&ast::Expr> {
        self.args.get(name, sole)
    }
}

/// A directive holding a list: `options { … }`, `tools { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Section<T> {
    pub span: Span,
    pub items: Vec<T>,
}

/// An option, trigger or build parameter: `timeout(time: 1, unit: 'HOURS')`.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation {
    pub span: Span,
    pub name: Name,
    pub args: Arguments,
}

/// Arguments as Jenkins classifies them.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Arguments {
    /// `name()` or `name a, b`: unnamed values in order (possibly none).
    #[default]
    None,
    Positional(Vec<ast::Expr>),
    /// Exactly one unnamed value: bound to the sole required parameter.
    Single(ast::Expr),
    /// `name(key: value, …)`.
    Named(Vec<(Name, ast::Expr)>),
    /// Named and unnamed together, which Jenkins rejects in nested calls.
    Mixed {
        named: Vec<(Name, ast::Expr)>,
        positional: Vec<ast::Expr>,
    },
}

impl Arguments {
    /// The value of a named argument, or of the single unnamed one when `sole` names the
    /// parameter it binds to.
    #[must_use]
    pub fn get<'a>(&'a self, name: &str, sole: Option<&str>) -> Option<&'a ast::Expr> {
        match self {
            Arguments::Named(pairs) => pairs.iter().find(|(k, _)| k.node == name).map(|(_, v)| v),
            Arguments::Single(value) if sole == Some(name) => Some(value),
            _ => None,
        }
    }
}

/// `agent …`.
#[derive(Clone, Debug, PartialEq)]
pub struct Agent {
    pub span: Span,
    pub kind: AgentKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AgentKind {
    Any,
    None,
    /// `agent { <type> … }`.
    Typed {
        ty: Name,
        config: AgentConfig,
    },
    /// `agent { }`: no type given (already reported).
    Missing,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AgentConfig {
    /// `docker 'image'`, `label 'linux'`, `dockerfile true`.
    Value(ast::Expr),
    /// `docker { image 'x'; args '-v …' }`.
    Block(Vec<AgentOption>),
}

/// `key value` inside an agent type's block, or a nested block.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentOption {
    pub key: Name,
    pub value: AgentValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AgentValue {
    Value(ast::Expr),
    Block(Vec<AgentOption>),
}

/// `environment { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Environment {
    pub span: Span,
    pub vars: Vec<EnvVar>,
}

/// `NAME = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvVar {
    pub span: Span,
    pub name: Name,
    pub value: EnvValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EnvValue {
    /// A quoted string, a `GString`, a `+` concatenation of those, or a method call.
    Expr(ast::Expr),
    /// `credentials('id')`.
    Credentials { id: ast::Expr, span: Span },
}

/// `stages { … }` or a `parallel { … }` block of stages.
#[derive(Clone, Debug, PartialEq)]
pub struct Stages {
    pub span: Span,
    pub stages: Vec<Stage>,
}

/// `stage('name') { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub span: Span,
    pub name: Name,
    pub agent: Option<Agent>,
    pub when: Option<When>,
    pub environment: Option<Environment>,
    pub tools: Option<Section<Tool>>,
    pub options: Option<Section<Invocation>>,
    pub input: Option<Input>,
    pub post: Option<Post>,
    pub fail_fast: Option<Spanned<bool>>,
    /// Exactly one of these four is set in a valid stage.
    pub steps: Option<Steps>,
    pub stages: Option<Stages>,
    pub parallel: Option<Stages>,
    pub matrix: Option<Box<Matrix>>,
}

/// A block of steps: `steps { … }` or a `post` condition's body. The statements are the AST,
/// for the evaluator.
#[derive(Clone, Debug, PartialEq)]
pub struct Steps {
    pub span: Span,
    pub stmts: Vec<ast::Stmt>,
}

/// `when { … }`: all conditions must hold.
#[derive(Clone, Debug, PartialEq)]
pub struct When {
    pub span: Span,
    pub before_agent: Option<Spanned<bool>>,
    pub before_input: Option<Spanned<bool>>,
    pub before_options: Option<Spanned<bool>>,
    pub conditions: Vec<Condition>,
}

/// `branch 'main'`, `anyOf { … }`, `expression { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub span: Span,
    pub name: Name,
    pub args: Arguments,
    pub children: Vec<Condition>,
    /// The code block of `expression { … }`.
    pub block: Option<Vec<ast::Stmt>>,
}

/// `input { … }` in a stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub span: Span,
    pub message: Option<ast::Expr>,
    pub id: Option<ast::Expr>,
    pub ok: Option<ast::Expr>,
    pub submitter: Option<ast::Expr>,
    pub submitter_parameter: Option<ast::Expr>,
    pub parameters: Option<Section<Invocation>>,
}

/// `post { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    pub span: Span,
    pub conditions: Vec<PostCondition>,
}

/// `always { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct PostCondition {
    pub name: Name,
    pub steps: Steps,
}

/// The post conditions in Jenkins' execution order, which is also the order of its messages.
pub const POST_CONDITIONS: &[&str] = &[
    "always",
    "changed",
    "fixed",
    "regression",
    "aborted",
    "success",
    "unsuccessful",
    "unstable",
    "failure",
    "notBuilt",
    "cleanup",
];

/// `maven 'apache-maven-3'`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tool {
    pub span: Span,
    pub ty: Name,
    pub version: ast::Expr,
}

/// `lib('name@version')`.
#[derive(Clone, Debug, PartialEq)]
pub struct Library {
    pub span: Span,
    pub id: ast::Expr,
}

/// `matrix { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub span: Span,
    pub axes: Option<Axes>,
    pub excludes: Option<Excludes>,
    pub agent: Option<Agent>,
    pub when: Option<When>,
    pub post: Option<Post>,
    pub options: Option<Section<Invocation>>,
    pub input: Option<Input>,
    pub tools: Option<Section<Tool>>,
    pub environment: Option<Environment>,
    pub stages: Option<Stages>,
}

/// `axes { … }` or an `exclude { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Axes {
    pub span: Span,
    pub axes: Vec<Axis>,
}

/// `excludes { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Excludes {
    pub span: Span,
    pub excludes: Vec<Axes>,
}

/// `axis { name 'OS'; values 'linux', 'mac' }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub span: Span,
    pub name: Option<AxisValue>,
    pub values: Option<Vec<AxisValue>>,
    /// `true` when the values were written `notValues` (in an exclude).
    pub not_values: bool,
}

/// An axis name or value: the literal text, or the expression Jenkins rejects.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisValue {
    pub expr: ast::Expr,
    /// The string when the expression is a literal.
    pub literal: Option<String>,
}

/// What a stage does, for the planner and the runner.
#[derive(Clone, Copy, Debug)]
pub enum StageBody<'a> {
    Steps(&'a Steps),
    Stages(&'a Stages),
    Parallel(&'a Stages),
    Matrix(&'a Matrix),
}

impl Stage {
    /// The stage's one body (`None` only in a model that had errors).
    #[must_use]
    pub fn body(&self) -> Option<StageBody<'_>> {
        if let Some(steps) = &self.steps {
            return Some(StageBody::Steps(steps));
        }
        if let Some(stages) = &self.stages {
            return Some(StageBody::Stages(stages));
        }
        if let Some(parallel) = &self.parallel {
            return Some(StageBody::Parallel(parallel));
        }
        self.matrix.as_deref().map(StageBody::Matrix)
    }

    /// How many of steps / stages / parallel / matrix are present.
    #[must_use]
    pub fn body_count(&self) -> usize {
        usize::from(self.steps.is_some())
            + usize::from(self.stages.is_some())
            + usize::from(self.parallel.is_some())
            + usize::from(self.matrix.is_some())
    }
}
