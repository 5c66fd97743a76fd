//! `textDocument/documentSymbol`: the outline. A Declarative file gives `pipeline`, its stages
//! (nested `stages`, `parallel` and `matrix` stages as children), and the `post` conditions of
//! the pipeline and of each stage; top-level `def` functions and variables follow. Built from
//! the model once per parsed version (`analysis.rs`); a version that does not parse shows the
//! outline of the last one that did.

use lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind, Uri};

use crate::lint::walk::{self, Frame, Visitor};
use crate::lsp::document::Document;
use crate::model::pipeline::{Pipeline, Post, Stage, StageBody, Stages};
use crate::source::Span;
use crate::syntax::ast;

/// The outline of a parsed document and its declarative model.
#[must_use]
pub fn outline(
    doc: &Document,
    file: &ast::File,
    pipeline: Option<&Pipeline>,
) -> Vec<DocumentSymbol> {
    let outline = Outline { doc };
    let mut out = Vec::new();
    if let Some(p) = pipeline {
        let mut children = Vec::new();
        if let Some(stages) = &p.stages {
            children.extend(outline.stages(stages));
        }
        if let Some(post) = &p.post {
            children.push(outline.post(post));
        }
        out.push(outline.symbol(
            "pipeline",
            None,
            SymbolKind::MODULE,
            p.span,
            p.span,
            children,
        ));
    }
    out.extend(scripted(&outline, file, pipeline.map(|p| p.span)));
    for stmt in &file.stmts {
        match &stmt.node {
            ast::StmtKind::Method(m) => out.push(outline.symbol(
                &m.name.node,
                Some("def".to_owned()),
                SymbolKind::FUNCTION,
                stmt.span,
                m.name.span,
                Vec::new(),
            )),
            ast::StmtKind::VarDecl(ast::VarDecl {
                targets: ast::DeclTargets::Names(names),
                ..
            }) => {
                for d in names {
                    out.push(outline.symbol(
                        &d.name.node,
                        None,
                        SymbolKind::VARIABLE,
                        stmt.span,
                        d.name.span,
                        Vec::new(),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// One stage call or `parallel` branch of scripted code, before nesting.
struct Found {
    name: String,
    detail: Option<String>,
    span: Span,
    selection: Span,
}

/// Collects `stage('name') { … }` calls and the named branches of `parallel`, outside the
/// declarative `pipeline` (which the model outlines), outermost first.
struct Scripted<'t> {
    text: &'t str,
    skip: Option<Span>,
    found: Vec<Found>,
}

impl<'a> Visitor<'a> for Scripted<'_> {
    fn expr(&mut self, expr: &'a ast::Expr, _frames: &[Frame<'a>]) {
        if self
            .skip
            .is_some_and(|p| p.start <= expr.span.start && expr.span.end <= p.end)
        {
            return;
        }
        let Some(call) = walk::call(expr) else {
            return;
        };
        if call.receiver.is_some() {
            return;
        }
        match call.name {
            "stage" => {
                let Some(first) = call.first_positional() else {
                    return;
                };
                let name = match &first.node {
                    ast::ExprKind::Str(s) => s.value.clone(),
                    // An interpolated name: its source text, as the reader wrote it.
                    ast::ExprKind::GString(_) => self.text_of(first),
                    _ => return,
                };
                self.found.push(Found {
                    name,
                    detail: None,
                    span: expr.span,
                    selection: first.span,
                });
            }
            "parallel" => {
                for arg in &call.args.items {
                    let ast::Arg::Named(entry) = arg else {
                        continue;
                    };
                    if !matches!(entry.value.node, ast::ExprKind::Closure(_)) {
                        continue;
                    }
                    let (name, at) = match &entry.key {
                        ast::MapKey::Name(n) => (n.node.clone(), n.span),
                        ast::MapKey::Expr(e) => match &e.node {
                            ast::ExprKind::Str(s) => (s.value.clone(), e.span),
                            _ => continue,
                        },
                        ast::MapKey::Spread(_) => continue,
                    };
                    if name == "failFast" {
                        continue;
                    }
                    self.found.push(Found {
                        name,
                        detail: Some("branch".to_owned()),
                        span: at.to(entry.value.span),
                        selection: at,
                    });
                }
            }
            _ => {}
        }
    }
}

impl Scripted<'_> {
    /// The source text of a string between its quotes.
    fn text_of(&self, e: &ast::Expr) -> String {
        let raw = self.text.get(e.span.range()).unwrap_or_default();
        raw.trim_matches(|c| c == '"' || c == '\'').to_owned()
    }
}

/// The scripted outline: stages and `parallel` branches, nested as they are in the code.
fn scripted(outline: &Outline<'_>, file: &ast::File, skip: Option<Span>) -> Vec<DocumentSymbol> {
    let mut collect = Scripted {
        text: &outline.doc.text,
        skip,
        found: Vec::new(),
    };
    walk::walk(file, &mut collect);
    let mut found = collect.found;
    // The walk is outermost first, but siblings may come in any order (an argument's closure
    // before a later statement): order by position, parents before children.
    found.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    let mut index = 0;
    nest(outline, &found, &mut index, None)
}

/// The symbols from `found[*index..]` that lie inside `within`, with their children.
fn nest(
    outline: &Outline<'_>,
    found: &[Found],
    index: &mut usize,
    within: Option<Span>,
) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    while let Some(f) = found.get(*index) {
        if within.is_some_and(|w| f.span.start >= w.end || f.span.end > w.end) {
            break;
        }
        *index += 1;
        let children = nest(outline, found, index, Some(f.span));
        out.push(outline.symbol(
            &f.name,
            f.detail.clone(),
            SymbolKind::CLASS,
            f.span,
            f.selection,
            children,
        ));
    }
    out
}

struct Outline<'a> {
    doc: &'a Document,
}

impl Outline<'_> {
    fn stages(&self, stages: &Stages) -> Vec<DocumentSymbol> {
        stages.stages.iter().map(|s| self.stage(s)).collect()
    }

    fn stage(&self, stage: &Stage) -> DocumentSymbol {
        let (detail, mut children) = match stage.body() {
            Some(StageBody::Stages(s)) => (Some("stages"), self.stages(s)),
            Some(StageBody::Parallel(s)) => (Some("parallel"), self.stages(s)),
            Some(StageBody::Matrix(m)) => {
                let mut c = m.stages.as_ref().map_or_else(Vec::new, |s| self.stages(s));
                if let Some(post) = &m.post {
                    c.push(self.post(post));
                }
                (Some("matrix"), c)
            }
            Some(StageBody::Steps(_)) | None => (None, Vec::new()),
        };
        if let Some(post) = &stage.post {
            children.push(self.post(post));
        }
        self.symbol(
            &stage.name.node,
            detail.map(str::to_owned),
            SymbolKind::CLASS,
            stage.span,
            stage.name.span,
            children,
        )
    }

    fn post(&self, post: &Post) -> DocumentSymbol {
        let children = post
            .conditions
            .iter()
            .map(|c| {
                self.symbol(
                    &c.name.node,
                    None,
                    SymbolKind::EVENT,
                    c.name.span.to(c.steps.span),
                    c.name.span,
                    Vec::new(),
                )
            })
            .collect();
        self.symbol(
            "post",
            None,
            SymbolKind::EVENT,
            post.span,
            post.span,
            children,
        )
    }

    fn symbol(
        &self,
        name: &str,
        detail: Option<String>,
        kind: SymbolKind,
        range: Span,
        selection: Span,
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        let text = &self.doc.text;
        // Editors reject a selection outside the range and an empty name.
        let selection = if range.start <= selection.start && selection.end <= range.end {
            selection
        } else {
            range
        };
        #[allow(deprecated)] // `deprecated` is a required field of the struct.
        DocumentSymbol {
            name: if name.is_empty() {
                "(unnamed)".to_owned()
            } else {
                name.to_owned()
            },
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: self.doc.index.range(text, range),
            selection_range: self.doc.index.range(text, selection),
            children: (!children.is_empty()).then_some(children),
        }
    }
}

/// The outline as a flat list, for a client that does not declare
/// `hierarchicalDocumentSymbolSupport` (the nested form is then not one it must accept): each
/// symbol in document order, naming its parent as its container.
#[must_use]
pub fn flat(uri: &Uri, outline: &[DocumentSymbol]) -> Vec<SymbolInformation> {
    // `SymbolInformation::deprecated` is itself deprecated, and still a field to fill.
    #[allow(deprecated)]
    fn walk(
        uri: &Uri,
        symbols: &[DocumentSymbol],
        container: Option<&str>,
        out: &mut Vec<SymbolInformation>,
    ) {
        for s in symbols {
            out.push(SymbolInformation {
                name: s.name.clone(),
                kind: s.kind,
                tags: s.tags.clone(),
                deprecated: None,
                location: Location::new(uri.clone(), s.range),
                container_name: container.map(str::to_owned),
            });
            walk(
                uri,
                s.children.as_deref().unwrap_or_default(),
                Some(&s.name),
                out,
            );
        }
    }
    let mut out = Vec::new();
    walk(uri, outline, None, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use lsp_types::{DocumentSymbol, Position};

    use crate::lint::LintOptions;
    use crate::lsp::analysis::analyse;
    use crate::lsp::handlers::testing::doc;

    fn symbols(text: &str) -> Vec<DocumentSymbol> {
        let mut d = doc(text);
        let analysis = analyse(&d, &LintOptions::default());
        d.set_analysis(analysis);
        d.outline.to_vec()
    }

    fn tree(symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
        for s in symbols {
            let _ = write!(out, "{}{}", "  ".repeat(depth), s.name);
            if let Some(d) = &s.detail {
                let _ = write!(out, " ({d})");
            }
            out.push('\n');
            tree(s.children.as_deref().unwrap_or_default(), depth + 1, out);
        }
    }

    #[test]
    fn the_flat_form_names_each_symbols_container() {
        let d = doc(
            "pipeline {\n  agent any\n  stages {\n    stage('a') { steps { sh 'x' } }\n    stage('b') {\n      stages { stage('c') { steps { sh 'y' } } }\n    }\n  }\n}\n",
        );
        let nested = symbols(&d.text);
        let flat = super::flat(&d.uri, &nested);
        let names: Vec<(&str, Option<&str>, u32)> = flat
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.container_name.as_deref(),
                    s.location.range.start.line,
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("pipeline", None, 0),
                ("a", Some("pipeline"), 3),
                ("b", Some("pipeline"), 4),
                ("c", Some("b"), 5),
            ]
        );
        assert!(flat.iter().all(|s| s.location.uri == d.uri));
    }

    #[test]
    fn pipeline_stages_nested_parallel_matrix_and_post() {
        let text = "\
def helper() { 1 }
pipeline {
  agent any
  stages {
    stage('Build') {
      steps { sh 'make' }
      post { failure { echo 'x' } }
    }
    stage('Tests') {
      parallel {
        stage('Unit') { steps { sh 'x' } }
        stage('Lint') { steps { sh 'y' } }
      }
    }
    stage('Matrix') {
      matrix {
        axes { axis { name 'OS'; values 'linux', 'mac' } }
        stages { stage('Per OS') { steps { echo 'z' } } }
      }
    }
    stage('Deploy') { stages { stage('Prod') { steps { echo 'p' } } } }
  }
  post {
    always { echo 'done' }
    cleanup { echo 'c' }
  }
}
def VERSION = '1'
";
        let out = symbols(text);
        let mut rendered = String::new();
        tree(&out, 0, &mut rendered);
        assert_eq!(
            rendered,
            "\
pipeline
  Build
    post
      failure
  Tests (parallel)
    Unit
    Lint
  Matrix (matrix)
    Per OS
  Deploy (stages)
    Prod
  post
    always
    cleanup
helper (def)
VERSION
"
        );
        let build = &out[0].children.as_ref().unwrap()[0];
        assert_eq!(build.selection_range.start, Position::new(4, 10));
    }

    #[test]
    fn scripted_stages_nested_with_parallel_branches() {
        let text = "\
node {
  stage('Checkout') { checkout scm }
  stage(\"Build ${env.X}\") {
    parallel linux: {
      stage('Linux tests') { sh 'make' }
    }, 'windows': {
      bat 'make'
    }, failFast: true
  }
}
stage('Deploy') {
  node { stage('Inner') { echo 'x' } }
}
";
        let out = symbols(text);
        let mut rendered = String::new();
        tree(&out, 0, &mut rendered);
        assert_eq!(
            rendered,
            "\
Checkout
Build ${env.X}
  linux (branch)
    Linux tests
  windows (branch)
Deploy
  Inner
"
        );
        assert_eq!(out[0].selection_range.start, Position::new(1, 8));
    }

    #[test]
    fn text_that_does_not_parse_has_no_outline() {
        assert!(symbols("pipeline {").is_empty());
    }

    #[test]
    fn a_version_that_does_not_parse_keeps_the_last_outline() {
        let mut d = doc("pipeline { agent any\n stages { stage('A') { steps { echo 'x' } } } }\n");
        let good = analyse(&d, &LintOptions::default());
        d.set_analysis(good);
        let change = lsp_types::TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "pipeline { agent any\n stages { stage('A') { steps { echo 'x' \n".into(),
        };
        d.apply(2, vec![change]);
        let broken = analyse(&d, &LintOptions::default());
        assert!(broken.file.is_none() && !broken.findings.is_empty());
        d.set_analysis(broken);
        assert_eq!(d.analysis.as_ref().unwrap().version, 2);
        let names: Vec<&str> = d.outline.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["pipeline"]);
        assert_eq!(d.outline[0].children.as_ref().unwrap()[0].name, "A");
    }
}
