//! What a file itself makes callable, and which shared libraries it loads: the first pass of
//! `unknown-step`.

use std::collections::HashSet;

use crate::lint::walk::{self, Frame, Visitor};
use crate::lint::{LibraryGlobals, LintOptions};
use crate::syntax::ast::{
    Annotation, DeclTargets, Expr, ExprKind, File, MethodDef, Stmt, StmtKind, VarDecl,
};

/// Names defined in the file, and the libraries it loads.
#[derive(Default)]
pub(crate) struct Known<'a> {
    /// Methods, variables, parameters: anything a bare call could be calling.
    pub(crate) names: HashSet<&'a str>,
    /// Names of the libraries loaded with `@Library`, the `library` step or Declarative's
    /// `libraries { lib('x') }`, without `@version`.
    pub(crate) libraries: Vec<String>,
}

impl<'a> Known<'a> {
    pub(crate) fn collect(file: &'a File) -> Known<'a> {
        let mut known = Known::default();
        walk::walk(file, &mut known);
        known
    }

    /// Libraries the file loads whose globals are unknown: neither configured nor read.
    pub(crate) fn unread_libraries(&self, options: &LintOptions) -> Vec<&str> {
        self.libraries
            .iter()
            .filter(|l| {
                !matches!(
                    options.libraries.get(l.as_str()),
                    Some(LibraryGlobals::Known(_))
                )
            })
            .map(String::as_str)
            .collect()
    }

    fn library_value(&mut self, expr: &Expr) {
        match &expr.node {
            ExprKind::Str(s) => {
                let name = s.value.split('@').next().unwrap_or("").trim();
                if !name.is_empty() && !self.libraries.iter().any(|l| l == name) {
                    self.libraries.push(name.to_owned());
                }
            }
            ExprKind::List(items) => {
                for item in items {
                    self.library_value(item);
                }
            }
            _ => {}
        }
    }

    fn annotations(&mut self, annotations: &[Annotation]) {
        for a in annotations {
            if a.name.node == "Library" || a.name.node.ends_with(".Library") {
                for arg in &a.args {
                    self.library_value(&arg.value);
                }
            }
        }
    }
}

impl<'a> Visitor<'a> for Known<'a> {
    fn expr(&mut self, expr: &'a Expr, frames: &[Frame<'a>]) {
        match &expr.node {
            ExprKind::Closure(c) => {
                for p in c.params.iter().flatten() {
                    self.names.insert(&p.name.node);
                }
            }
            // A binding variable: `deploy = { … }` makes `deploy()` callable.
            ExprKind::Assign { target, .. } => {
                if let ExprKind::Var(v) = &target.node {
                    self.names.insert(v);
                }
            }
            ExprKind::TupleAssign { targets, .. } => {
                for t in targets {
                    self.names.insert(&t.node);
                }
            }
            _ => {
                let Some(call) = walk::call(expr).filter(|c| c.receiver.is_none()) else {
                    return;
                };
                if call.name == "library"
                    && let Some(arg) = call.first_positional().or_else(|| call.named("identifier"))
                {
                    self.library_value(arg);
                } else if call.name == "lib"
                    && in_libraries_directive(frames)
                    && let Some(arg) = call.first_positional()
                {
                    self.library_value(arg);
                }
            }
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        match &stmt.node {
            StmtKind::ForIn { var, .. } => {
                self.names.insert(&var.node);
            }
            StmtKind::Try { catches, .. } => {
                for c in catches {
                    self.names.insert(&c.var.node);
                }
            }
            StmtKind::Import(import) => {
                self.annotations(&import.annotations);
                // `import static a.B.method` and `… as alias` make a bare name callable.
                if import.is_static {
                    let name = import.alias.as_ref().map_or_else(
                        || import.path.node.rsplit('.').next().unwrap_or(""),
                        |a| a.node.as_str(),
                    );
                    self.names.insert(name);
                }
            }
            StmtKind::Class(c) => {
                self.names.insert(&c.name.node);
            }
            _ => {}
        }
    }

    fn decl(&mut self, decl: &'a VarDecl) {
        self.annotations(&decl.annotations);
        match &decl.targets {
            DeclTargets::Names(names) => {
                for d in names {
                    self.names.insert(&d.name.node);
                }
            }
            DeclTargets::Tuple { names, .. } => {
                for (_, n) in names {
                    self.names.insert(&n.node);
                }
            }
        }
    }

    fn method(&mut self, m: &'a MethodDef) {
        self.annotations(&m.annotations);
        self.names.insert(&m.name.node);
        for p in &m.params {
            self.names.insert(&p.name.node);
        }
    }
}

/// Whether the innermost body is Declarative's `libraries { }` directive.
fn in_libraries_directive(frames: &[Frame<'_>]) -> bool {
    matches!(frames.last(), Some(Frame::Body(e))
        if walk::call(e).is_some_and(|c| c.receiver.is_none() && c.name == "libraries"))
}
