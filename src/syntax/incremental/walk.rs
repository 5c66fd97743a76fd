//! A mutable walk over every span of the tree, stopping at closures and blocks for the
//! reparse to judge or replace them. It knows which closures open a statement (where the
//! grammar decides between a block and a closure by looking inside the braces) and which
//! code sits in a class (whose members the reparse leaves alone), and how many nodes lie
//! above each one.

use crate::source::Span;
use crate::syntax::ast::{
    Annotation, Arg, Args, Block, CaseLabel, ClassDef, DeclTargets, Expr, ExprKind, File,
    GStringPart, Ident, MapEntry, MapKey, Member, MethodDef, Param, PropName, Stmt, StmtKind, Type,
    VarDecl,
};

/// Where a closure or block sits.
#[derive(Clone, Copy, Debug)]
pub(super) struct Place {
    /// Nodes above it.
    pub(super) depth: usize,
    /// Whether it is inside a class body.
    pub(super) in_class: bool,
    /// Whether it is the first token of a statement (or of a `${…}`).
    pub(super) opens_statement: bool,
}

pub(super) trait Visit {
    fn span(&mut self, span: &mut Span);
    /// A closure expression; `true` when it was dealt with and its inside must be skipped.
    fn closure(&mut self, expr: &mut Expr, place: Place) -> bool;
    /// A `{ … }` block; `true` to skip its inside.
    fn block(&mut self, block: &mut Block, place: Place) -> bool;
}

pub(super) fn file(file: &mut File, visit: &mut dyn Visit) {
    let mut walk = Walk {
        visit,
        stmt_start: u32::MAX,
        depth: 0,
        in_class: false,
    };
    if let Some(shebang) = &mut file.shebang {
        walk.visit.span(shebang);
    }
    walk.stmts(&mut file.stmts);
    for comment in &mut file.comments {
        walk.visit.span(&mut comment.span);
    }
}

struct Walk<'v> {
    visit: &'v mut dyn Visit,
    /// Where the innermost statement starts.
    stmt_start: u32,
    depth: usize,
    in_class: bool,
}

impl Walk<'_> {
    fn place(&self, start: u32) -> Place {
        Place {
            depth: self.depth,
            in_class: self.in_class,
            opens_statement: start == self.stmt_start,
        }
    }

    fn ident(&mut self, ident: &mut Ident) {
        self.visit.span(&mut ident.span);
    }

    fn idents(&mut self, idents: &mut [Ident]) {
        for ident in idents {
            self.ident(ident);
        }
    }

    fn stmts(&mut self, stmts: &mut [Stmt]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &mut Stmt) {
        let saved = std::mem::replace(&mut self.stmt_start, stmt.span.start);
        self.depth += 1;
        self.visit.span(&mut stmt.span);
        match &mut stmt.node {
            StmtKind::Expr(e) | StmtKind::Throw(e) => self.expr(e),
            StmtKind::VarDecl(d) => self.var_decl(d),
            StmtKind::Method(m) => self.method(m),
            StmtKind::Class(c) => self.class(c),
            StmtKind::Import(i) => {
                self.annotations(&mut i.annotations);
                self.ident(&mut i.path);
                if let Some(alias) = &mut i.alias {
                    self.ident(alias);
                }
            }
            StmtKind::Package(name) => self.ident(name),
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
                self.exprs(update);
                self.stmt(body);
            }
            StmtKind::ForIn {
                ty,
                var,
                iterable,
                body,
            } => {
                if let Some(t) = ty {
                    self.ty(t);
                }
                self.ident(var);
                self.expr(iterable);
                self.stmt(body);
            }
            StmtKind::Switch { subject, cases } => {
                self.expr(subject);
                for case in cases {
                    for label in &mut case.labels {
                        match label {
                            CaseLabel::Case(e) => self.expr(e),
                            CaseLabel::Default(span) => self.visit.span(span),
                        }
                    }
                    self.stmts(&mut case.body);
                    self.visit.span(&mut case.span);
                }
            }
            StmtKind::Try {
                body,
                catches,
                finally,
            } => {
                self.block(body);
                for catch in catches {
                    self.types(&mut catch.types);
                    self.ident(&mut catch.var);
                    self.block(&mut catch.body);
                }
                if let Some(f) = finally {
                    self.block(f);
                }
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            StmtKind::Break(label) | StmtKind::Continue(label) => {
                if let Some(l) = label {
                    self.ident(l);
                }
            }
            StmtKind::Assert { cond, message } => {
                self.expr(cond);
                if let Some(m) = message {
                    self.expr(m);
                }
            }
            StmtKind::Labeled { label, body } => {
                self.ident(label);
                self.stmt(body);
            }
        }
        self.depth -= 1;
        self.stmt_start = saved;
    }

    fn block(&mut self, block: &mut Block) {
        let place = self.place(block.span.start);
        if self.visit.block(block, place) {
            return;
        }
        self.depth += 1;
        self.visit.span(&mut block.span);
        self.stmts(&mut block.stmts);
        self.depth -= 1;
    }

    fn var_decl(&mut self, d: &mut VarDecl) {
        self.annotations(&mut d.annotations);
        self.idents(&mut d.modifiers);
        if let Some(t) = &mut d.ty {
            self.ty(t);
        }
        match &mut d.targets {
            DeclTargets::Names(names) => {
                for declarator in names {
                    self.ident(&mut declarator.name);
                    if let Some(init) = &mut declarator.init {
                        self.expr(init);
                    }
                }
            }
            DeclTargets::Tuple { names, init } => {
                for (ty, name) in names {
                    if let Some(t) = ty {
                        self.ty(t);
                    }
                    self.ident(name);
                }
                self.expr(init);
            }
        }
    }

    fn method(&mut self, m: &mut MethodDef) {
        self.annotations(&mut m.annotations);
        self.idents(&mut m.modifiers);
        if let Some(t) = &mut m.ret {
            self.ty(t);
        }
        self.ident(&mut m.name);
        self.params(&mut m.params);
        self.types(&mut m.throws);
        if let Some(b) = &mut m.body {
            self.block(b);
        }
    }

    fn class(&mut self, c: &mut ClassDef) {
        let saved = std::mem::replace(&mut self.in_class, true);
        self.annotations(&mut c.annotations);
        self.idents(&mut c.modifiers);
        self.ident(&mut c.name);
        self.types(&mut c.generics);
        self.types(&mut c.extends);
        self.types(&mut c.implements);
        self.idents(&mut c.constants);
        for member in &mut c.members {
            match member {
                Member::Field(f) => {
                    self.visit.span(&mut f.span);
                    self.var_decl(&mut f.node);
                }
                Member::Method(m) => {
                    self.visit.span(&mut m.span);
                    self.method(&mut m.node);
                }
                Member::Class(k) => {
                    self.visit.span(&mut k.span);
                    self.class(&mut k.node);
                }
                Member::Initializer { body, .. } => self.block(body),
            }
        }
        self.in_class = saved;
    }

    fn annotations(&mut self, annotations: &mut [Annotation]) {
        for a in annotations {
            self.annotation(a);
        }
    }

    fn annotation(&mut self, a: &mut Annotation) {
        self.ident(&mut a.name);
        for arg in &mut a.args {
            if let Some(name) = &mut arg.name {
                self.ident(name);
            }
            self.expr(&mut arg.value);
        }
        self.visit.span(&mut a.span);
    }

    fn types(&mut self, types: &mut [Type]) {
        for t in types {
            self.ty(t);
        }
    }

    fn ty(&mut self, t: &mut Type) {
        self.types(&mut t.generics);
        self.visit.span(&mut t.span);
    }

    fn params(&mut self, params: &mut [Param]) {
        for p in params {
            self.annotations(&mut p.annotations);
            self.idents(&mut p.modifiers);
            if let Some(t) = &mut p.ty {
                self.ty(t);
            }
            self.ident(&mut p.name);
            if let Some(d) = &mut p.default {
                self.expr(d);
            }
        }
    }

    fn exprs(&mut self, exprs: &mut [Expr]) {
        for e in exprs {
            self.expr(e);
        }
    }

    fn boxed(&mut self, e: &mut Expr) {
        self.expr(e);
    }

    fn args(&mut self, args: &mut Args) {
        for item in &mut args.items {
            match item {
                Arg::Positional(e) | Arg::Spread(e) => self.expr(e),
                Arg::Named(entry) => self.entry(entry),
            }
        }
        self.exprs(&mut args.closures);
        self.visit.span(&mut args.span);
    }

    fn entry(&mut self, entry: &mut MapEntry) {
        match &mut entry.key {
            MapKey::Name(name) => self.ident(name),
            MapKey::Expr(e) => self.expr(e),
            MapKey::Spread(span) => self.visit.span(span),
        }
        self.expr(&mut entry.value);
    }

    fn prop_name(&mut self, name: &mut PropName) {
        match name {
            PropName::Name(n) => self.ident(n),
            PropName::Quoted(e) | PropName::Dynamic(e) => self.expr(e),
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        if matches!(e.node, ExprKind::Closure(_)) {
            let place = self.place(e.span.start);
            if self.visit.closure(e, place) {
                return;
            }
        }
        self.depth += 1;
        self.visit.span(&mut e.span);
        match &mut e.node {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Str(_)
            | ExprKind::Var(_)
            | ExprKind::This
            | ExprKind::Super => {}
            ExprKind::GString(g) => {
                for part in &mut g.parts {
                    match part {
                        GStringPart::Text(t) => self.visit.span(&mut t.span),
                        GStringPart::Interp { expr, .. } => {
                            // `${…}` holds statements: its first token opens one.
                            let saved = std::mem::replace(&mut self.stmt_start, expr.span.start);
                            self.expr(expr);
                            self.stmt_start = saved;
                        }
                        GStringPart::Empty(span) => self.visit.span(span),
                    }
                }
            }
            ExprKind::List(items) => self.exprs(items),
            ExprKind::Map(entries) => {
                for entry in entries {
                    self.entry(entry);
                }
            }
            ExprKind::Range { from, to, .. } => {
                self.boxed(from);
                self.boxed(to);
            }
            ExprKind::Property { target, name, .. } => {
                self.boxed(target);
                self.prop_name(name);
            }
            ExprKind::Index { target, index, .. } => {
                self.boxed(target);
                self.exprs(index);
            }
            ExprKind::MethodCall {
                receiver,
                name,
                args,
                ..
            } => {
                if let Some(r) = receiver {
                    self.boxed(r);
                }
                self.prop_name(name);
                self.args(args);
            }
            ExprKind::Call { callee, args } => {
                self.boxed(callee);
                self.args(args);
            }
            ExprKind::MethodPointer { target, name } => {
                self.boxed(target);
                self.ident(name);
            }
            ExprKind::Closure(c) => {
                if let Some(params) = &mut c.params {
                    self.params(params);
                }
                self.stmts(&mut c.body);
            }
            ExprKind::Unary { operand, .. }
            | ExprKind::Paren(operand)
            | ExprKind::Spread(operand) => self.boxed(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.boxed(lhs);
                self.boxed(rhs);
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                self.boxed(cond);
                self.boxed(then);
                self.boxed(otherwise);
            }
            ExprKind::Elvis { value, fallback } => {
                self.boxed(value);
                self.boxed(fallback);
            }
            ExprKind::Assign { target, value, .. } => {
                self.boxed(target);
                self.boxed(value);
            }
            ExprKind::TupleAssign { targets, value } => {
                self.idents(targets);
                self.boxed(value);
            }
            ExprKind::Cast { ty, operand }
            | ExprKind::As { operand, ty }
            | ExprKind::InstanceOf { operand, ty } => {
                self.ty(ty);
                self.boxed(operand);
            }
            ExprKind::New { ty, args, array } => {
                self.ty(ty);
                self.args(args);
                if let Some(items) = array {
                    self.exprs(items);
                }
            }
            ExprKind::Annotation(a) => self.annotation(a),
        }
        self.depth -= 1;
    }
}
