//! One recursive walk over the tree for every rule. A rule sees each expression together with
//! the frames above it: which call's arguments or body it sits in, which closure, which method.
//! That is enough to tell a step call from a symbol inside another step's arguments, code from
//! Declarative structure, and CPS code from `@NonCPS` methods.

use crate::syntax::ast::{
    Arg, Args, Block, CaseLabel, ClassDef, Closure, DeclTargets, Expr, ExprKind, File, GStringPart,
    MapKey, Member, MethodDef, PropName, Stmt, StmtKind, VarDecl,
};

/// Where an expression sits.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Frame<'a> {
    /// Inside the (non-closure) arguments of a call.
    Args,
    /// Inside a closure given to this call (`stage('x') { … }`, `each { … }`).
    Body(&'a Expr),
    /// Inside a closure that is not a call's argument (`def f = { … }`).
    Closure,
    Method(&'a MethodDef),
}

/// Receives every expression, outermost first; the other hooks are for rules that need
/// declarations too.
pub(crate) trait Visitor<'a> {
    fn expr(&mut self, expr: &'a Expr, frames: &[Frame<'a>]);

    /// Every statement, before its parts.
    fn stmt(&mut self, _stmt: &'a Stmt) {}

    /// Every variable declaration, also class fields.
    fn decl(&mut self, _decl: &'a VarDecl) {}

    /// Every method, also class methods.
    fn method(&mut self, _method: &'a MethodDef) {}
}

/// A method call split into its parts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call<'a> {
    pub(crate) name: &'a str,
    pub(crate) receiver: Option<&'a Expr>,
    pub(crate) args: &'a Args,
}

/// The parts of a call with a plain name (`sh 'x'`, `docker.image('x')`).
pub(crate) fn call(expr: &Expr) -> Option<Call<'_>> {
    match &expr.node {
        ExprKind::MethodCall {
            receiver,
            name: PropName::Name(name),
            args,
            ..
        } => Some(Call {
            name: &name.node,
            receiver: receiver.as_deref(),
            args,
        }),
        _ => None,
    }
}

impl<'a> Call<'a> {
    /// The first positional argument.
    pub(crate) fn first_positional(&self) -> Option<&'a Expr> {
        self.args.items.iter().find_map(|a| match a {
            Arg::Positional(e) => Some(e),
            _ => None,
        })
    }

    /// A named argument's value.
    pub(crate) fn named(&self, key: &str) -> Option<&'a Expr> {
        self.args.items.iter().find_map(|a| match a {
            Arg::Named(entry) => match &entry.key {
                MapKey::Name(n) if n.node == key => Some(&entry.value),
                MapKey::Expr(e) if matches!(&e.node, ExprKind::Str(s) if s.value == key) => {
                    Some(&entry.value)
                }
                _ => None,
            },
            _ => None,
        })
    }

    /// Closures given to the call: trailing ones and closure-valued positional arguments.
    pub(crate) fn bodies(&self) -> impl Iterator<Item = &'a Closure> {
        let positional = self.args.items.iter().filter_map(|a| match a {
            Arg::Positional(e) => closure(e),
            _ => None,
        });
        positional.chain(self.args.closures.iter().filter_map(closure))
    }
}

fn closure(expr: &Expr) -> Option<&Closure> {
    match &expr.node {
        ExprKind::Closure(c) => Some(c),
        _ => None,
    }
}

/// Whether the innermost frames make this a position where code runs (a step position) rather
/// than a symbol inside another call's arguments.
pub(crate) fn in_arguments(frames: &[Frame<'_>]) -> bool {
    matches!(frames.last(), Some(Frame::Args))
}

/// Whether the code is inside a method annotated `@NonCPS`.
pub(crate) fn in_non_cps(frames: &[Frame<'_>]) -> bool {
    frames.iter().any(|f| match f {
        Frame::Method(m) => m.annotations.iter().any(|a| a.name.node == "NonCPS"),
        _ => false,
    })
}

/// Walks the whole file.
pub(crate) fn walk<'a>(file: &'a File, visitor: &mut dyn Visitor<'a>) {
    let mut w = Walker {
        visitor,
        frames: Vec::new(),
    };
    for stmt in &file.stmts {
        w.stmt(stmt);
    }
}

struct Walker<'a, 'v> {
    visitor: &'v mut dyn Visitor<'a>,
    frames: Vec<Frame<'a>>,
}

impl<'a> Walker<'a, '_> {
    fn within(&mut self, frame: Frame<'a>, f: impl FnOnce(&mut Self)) {
        self.frames.push(frame);
        f(self);
        self.frames.pop();
    }

    fn stmts(&mut self, stmts: &'a [Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn block(&mut self, block: &'a Block) {
        self.stmts(&block.stmts);
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        self.visitor.stmt(stmt);
        match &stmt.node {
            StmtKind::Expr(e) | StmtKind::Throw(e) | StmtKind::Return(Some(e)) => self.expr(e),
            StmtKind::VarDecl(decl) => self.var_decl(decl),
            StmtKind::Method(m) => self.method(m),
            StmtKind::Class(c) => self.class(c),
            StmtKind::Block(b) => self.block(b),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.stmt(then);
                if let Some(o) = otherwise {
                    self.stmt(o);
                }
            }
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.stmt(body);
            }
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                self.stmts(init);
                if let Some(c) = cond {
                    self.expr(c);
                }
                for u in update {
                    self.expr(u);
                }
                self.stmt(body);
            }
            StmtKind::ForIn { iterable, body, .. } => {
                self.expr(iterable);
                self.stmt(body);
            }
            StmtKind::Switch { subject, cases } => {
                self.expr(subject);
                for case in cases {
                    for label in &case.labels {
                        if let CaseLabel::Case(e) = label {
                            self.expr(e);
                        }
                    }
                    self.stmts(&case.body);
                }
            }
            StmtKind::Try {
                body,
                catches,
                finally,
            } => {
                self.block(body);
                for c in catches {
                    self.block(&c.body);
                }
                if let Some(f) = finally {
                    self.block(f);
                }
            }
            StmtKind::Assert { cond, message } => {
                self.expr(cond);
                if let Some(m) = message {
                    self.expr(m);
                }
            }
            StmtKind::Labeled { body, .. } => self.stmt(body),
            StmtKind::Return(None)
            | StmtKind::Break(_)
            | StmtKind::Continue(_)
            | StmtKind::Import(_)
            | StmtKind::Package(_) => {}
        }
    }

    fn var_decl(&mut self, decl: &'a VarDecl) {
        self.visitor.decl(decl);
        match &decl.targets {
            DeclTargets::Names(names) => {
                for d in names {
                    if let Some(init) = &d.init {
                        self.expr(init);
                    }
                }
            }
            DeclTargets::Tuple { init, .. } => self.expr(init),
        }
    }

    fn method(&mut self, m: &'a MethodDef) {
        self.visitor.method(m);
        if let Some(body) = &m.body {
            self.within(Frame::Method(m), |w| w.block(body));
        }
    }

    fn class(&mut self, c: &'a ClassDef) {
        for member in &c.members {
            match member {
                Member::Field(f) => self.var_decl(f),
                Member::Method(m) => self.method(m),
                Member::Class(c) => self.class(c),
                Member::Initializer { body, .. } => self.block(body),
            }
        }
    }

    fn args(&mut self, call: &'a Expr, args: &'a Args) {
        for item in &args.items {
            match item {
                Arg::Positional(e) if matches!(e.node, ExprKind::Closure(_)) => {
                    self.within(Frame::Body(call), |w| w.expr(e));
                }
                Arg::Positional(e) | Arg::Spread(e) => {
                    self.within(Frame::Args, |w| w.expr(e));
                }
                Arg::Named(entry) => self.within(Frame::Args, |w| {
                    if let MapKey::Expr(k) = &entry.key {
                        w.expr(k);
                    }
                    w.expr(&entry.value);
                }),
            }
        }
        for c in &args.closures {
            self.within(Frame::Body(call), |w| w.expr(c));
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        self.visitor.expr(expr, &self.frames);
        match &expr.node {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Str(_)
            | ExprKind::Var(_)
            | ExprKind::This
            | ExprKind::Super
            | ExprKind::Annotation(_) => {}
            ExprKind::GString(g) => {
                for part in &g.parts {
                    if let GStringPart::Interp { expr, .. } = part {
                        self.expr(expr);
                    }
                }
            }
            ExprKind::List(items) => {
                for e in items {
                    self.expr(e);
                }
            }
            ExprKind::Map(entries) => {
                for entry in entries {
                    if let MapKey::Expr(k) = &entry.key {
                        self.expr(k);
                    }
                    self.expr(&entry.value);
                }
            }
            ExprKind::Range { from, to, .. } => {
                self.expr(from);
                self.expr(to);
            }
            ExprKind::Property { target, name, .. } => {
                self.expr(target);
                self.prop_name(name);
            }
            ExprKind::Index { target, index, .. } => {
                self.expr(target);
                for e in index {
                    self.expr(e);
                }
            }
            ExprKind::MethodCall {
                receiver,
                name,
                args,
                ..
            } => {
                if let Some(r) = receiver {
                    self.expr(r);
                }
                self.prop_name(name);
                self.args(expr, args);
            }
            ExprKind::Call { callee, args } => {
                self.expr(callee);
                self.args(expr, args);
            }
            ExprKind::MethodPointer { target, .. } => self.expr(target),
            ExprKind::Closure(c) => {
                // A call's closure already has its `Body` frame.
                if matches!(self.frames.last(), Some(Frame::Body(_))) {
                    self.stmts(&c.body);
                } else {
                    self.within(Frame::Closure, |w| w.stmts(&c.body));
                }
            }
            ExprKind::Unary { operand, .. }
            | ExprKind::Cast { operand, .. }
            | ExprKind::As { operand, .. }
            | ExprKind::InstanceOf { operand, .. }
            | ExprKind::Paren(operand)
            | ExprKind::Spread(operand) => self.expr(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.expr(then);
                self.expr(otherwise);
            }
            ExprKind::Elvis { value, fallback } => {
                self.expr(value);
                self.expr(fallback);
            }
            ExprKind::Assign { target, value, .. } => {
                self.expr(target);
                self.expr(value);
            }
            ExprKind::TupleAssign { value, .. } => self.expr(value),
            ExprKind::New { args, array, .. } => {
                self.args(expr, args);
                for e in array.iter().flatten() {
                    self.expr(e);
                }
            }
        }
    }

    fn prop_name(&mut self, name: &'a PropName) {
        match name {
            PropName::Name(_) => {}
            PropName::Quoted(e) | PropName::Dynamic(e) => self.expr(e),
        }
    }
}

/// Declarative sections whose closures hold code (steps, conditions, `script`), as opposed to
/// structure (`stages`, `agent`, `options`, …) that the declarative validator checks.
const CODE_SECTIONS: &[&str] = &[
    "steps",
    "script",
    "expression",
    "always",
    "success",
    "failure",
    "unstable",
    "changed",
    "fixed",
    "regression",
    "aborted",
    "cleanup",
    "unsuccessful",
    "notBuilt",
];

/// Whether the frames put an expression inside Declarative structure (inside `pipeline { }`
/// but not inside `steps`, `script`, a `post` condition or `expression`).
pub(crate) fn in_declarative_structure(frames: &[Frame<'_>]) -> bool {
    let mut structure = false;
    for frame in frames {
        let Frame::Body(expr) = frame else { continue };
        let Some(c) = call(expr).filter(|c| c.receiver.is_none()) else {
            continue;
        };
        if !structure && c.name == "pipeline" {
            structure = true;
        } else if structure && CODE_SECTIONS.contains(&c.name) {
            return false;
        }
    }
    structure
}

/// Whether the frames put a step where Jenkins' Declarative validator checks it: in a
/// pipeline's `steps` or `post` condition (also nested in other steps' bodies), not in
/// `script { }`, a method or a free closure, which the validator never sees.
pub(crate) fn in_declarative_steps(frames: &[Frame<'_>]) -> bool {
    let mut pipeline = false;
    let mut steps = false;
    for frame in frames {
        match frame {
            Frame::Method(_) | Frame::Closure => return false,
            Frame::Args => {}
            Frame::Body(expr) => {
                let Some(c) = call(expr).filter(|c| c.receiver.is_none()) else {
                    continue;
                };
                if !pipeline {
                    pipeline = c.name == "pipeline";
                } else if c.name == "script" || c.name == "expression" {
                    return false;
                } else if CODE_SECTIONS.contains(&c.name) {
                    steps = true;
                }
            }
        }
    }
    steps
}
