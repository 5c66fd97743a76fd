//! Statements: declarations, control flow, `try`/`catch`/`finally`, `switch`, loops with
//! labels, `assert` and `throw`.

use std::rc::Rc;

use super::cast::{cast, default_for};
use super::exception::Exception;
use super::flow::{Flow, R};
use super::gdk::iter_items;
use super::host::LocalBoxFuture;
use super::interp::Interp;
use super::ops::is_case;
use super::scope::{Cx, Frame};
use super::text::to_string;
use super::value::Value;
use crate::syntax::ast::{self, CaseLabel, DeclTargets, Stmt, StmtKind};

mod plan;

pub(in crate::eval) use plan::mark;

pub(super) use self::plan::{Early, either};

fn declares(stmts: &[Stmt]) -> bool {
    stmts
        .iter()
        .any(|s| matches!(s.node, StmtKind::VarDecl(_) | StmtKind::Method(_)))
}

/// Whether a loop with this label handles a `break`/`continue` aimed at `target`.
fn ours(target: Option<&String>, label: Option<&str>) -> bool {
    match target {
        None => true,
        Some(t) => Some(t.as_str()) == label,
    }
}

impl Interp {
    /// Runs statements in order, in the given context.
    pub fn exec_stmts<'a>(&'a self, stmts: &'a [Stmt], cx: &'a Cx) -> LocalBoxFuture<'a, R<()>> {
        Box::pin(async move {
            if self.host.plans_both_branches() {
                return self.plan_stmts(stmts, cx).await;
            }
            for stmt in stmts {
                self.exec_stmt(stmt, cx, None).await?;
            }
            Ok(())
        })
    }

    /// Runs a block in its own scope when it declares variables.
    pub async fn exec_block(&self, stmts: &[Stmt], cx: &Cx) -> R<()> {
        if declares(stmts) {
            let inner = cx.with_frame(Frame::child(&cx.frame));
            self.exec_stmts(stmts, &inner).await
        } else {
            self.exec_stmts(stmts, cx).await
        }
    }

    fn exec_body<'a>(&'a self, stmt: &'a Stmt, cx: &'a Cx) -> LocalBoxFuture<'a, R<()>> {
        Box::pin(async move {
            match &stmt.node {
                StmtKind::Block(b) => self.exec_block(&b.stmts, cx).await,
                _ => self.exec_stmt(stmt, cx, None).await,
            }
        })
    }

    pub fn exec_stmt<'a>(
        &'a self,
        stmt: &'a Stmt,
        cx: &'a Cx,
        label: Option<&'a str>,
    ) -> LocalBoxFuture<'a, R<()>> {
        Box::pin(async move {
            let span = stmt.span;
            match &stmt.node {
                StmtKind::Expr(e) => {
                    self.eval(e, cx).await?;
                }
                StmtKind::VarDecl(d) => self.exec_decl(d, cx).await?,
                StmtKind::Method(_)
                | StmtKind::Class(_)
                | StmtKind::Import(_)
                | StmtKind::Package(_) => {}
                StmtKind::Block(b) => self.exec_block(&b.stmts, cx).await?,
                StmtKind::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    let c = self.eval(cond, cx).await?;
                    if let Value::Unknown(origin) = &c
                        && self.host.plans_both_branches()
                    {
                        // A lone statement (`while (a) if (b) return`): what follows is planned
                        // as it is (there is no rest of a list to mark).
                        self.plan_if_in_list(origin, then, otherwise.as_deref(), cx)
                            .await?;
                    } else if c.truthy() {
                        self.exec_body(then, cx).await?;
                    } else if let Some(o) = otherwise {
                        self.exec_body(o, cx).await?;
                    }
                }
                StmtKind::While { cond, body } => {
                    // Planning: a loop whose end the plan cannot see is planned once.
                    let mut guard = plan::LoopGuard::default();
                    loop {
                        let c = self.eval(cond, cx).await?;
                        if !guard.go(self, &c, cx) {
                            break;
                        }
                        match self.exec_body(body, cx).await {
                            Err(Flow::Break(t)) if ours(t.as_ref(), label) => break,
                            Err(Flow::Continue(t)) if ours(t.as_ref(), label) => {}
                            other => other?,
                        }
                    }
                }
                StmtKind::For {
                    init,
                    cond,
                    update,
                    body,
                } => {
                    let inner = cx.with_frame(Frame::child(&cx.frame));
                    for s in init {
                        self.exec_stmt(s, &inner, None).await?;
                    }
                    let mut guard = plan::LoopGuard::default();
                    loop {
                        let c = match cond {
                            Some(c) => self.eval(c, &inner).await?,
                            None => Value::Bool(true),
                        };
                        if !guard.go(self, &c, &inner) {
                            break;
                        }
                        match self.exec_body(body, &inner).await {
                            Err(Flow::Break(t)) if ours(t.as_ref(), label) => break,
                            Err(Flow::Continue(t)) if ours(t.as_ref(), label) => {}
                            other => other?,
                        }
                        for u in update {
                            self.eval(u, &inner).await?;
                        }
                    }
                }
                StmtKind::ForIn {
                    var,
                    iterable,
                    body,
                    ..
                } => {
                    let subject = self.eval(iterable, cx).await?;
                    if let Value::Unknown(origin) = &subject
                        && self.host.plans_both_branches()
                    {
                        return self.plan_for_in(origin, &var.node, body, cx).await;
                    }
                    let items = iter_items(&subject).map_err(|f| f.at(iterable.span))?;
                    // Groovy 2.4 has one loop variable for the whole `for (x in …)`: closures
                    // made in the body all see its last value. Body locals stay per iteration.
                    let shared = Frame::child(&cx.frame);
                    for item in items {
                        shared.declare(&var.node, item);
                        let inner = cx.with_frame(Frame::child(&shared));
                        match self.exec_body(body, &inner).await {
                            Err(Flow::Break(t)) if ours(t.as_ref(), label) => break,
                            Err(Flow::Continue(t)) if ours(t.as_ref(), label) => {}
                            other => other?,
                        }
                    }
                }
                StmtKind::Switch { subject, cases } => {
                    let value = self.eval(subject, cx).await?;
                    let value = self.force(value, subject.span, cx).await?;
                    if let Value::Unknown(origin) = &value
                        && self.host.plans_both_branches()
                    {
                        return self.plan_switch(origin, cases, cx).await;
                    }
                    let mut start = None;
                    'find: for (i, case) in cases.iter().enumerate() {
                        for l in &case.labels {
                            if let CaseLabel::Case(e) = l {
                                let pattern = self.eval(e, cx).await?;
                                let hit = match &pattern {
                                    Value::Closure(c) => self
                                        .call_closure(c, vec![value.clone()], e.span, cx)
                                        .await?
                                        .truthy(),
                                    _ => is_case(&pattern, &value).map_err(|f| f.at(e.span))?,
                                };
                                if hit {
                                    start = Some(i);
                                    break 'find;
                                }
                            }
                        }
                    }
                    if start.is_none() {
                        start = cases.iter().position(|c| {
                            c.labels.is_empty()
                                || c.labels.iter().any(|l| matches!(l, CaseLabel::Default(_)))
                        });
                    }
                    if let Some(start) = start {
                        let inner = cx.with_frame(Frame::child(&cx.frame));
                        for case in &cases[start..] {
                            match self.exec_stmts(&case.body, &inner).await {
                                Err(Flow::Break(None)) => break,
                                other => other?,
                            }
                        }
                    }
                }
                StmtKind::Try {
                    body,
                    catches,
                    finally,
                } => {
                    self.exec_try(body, catches, finally.as_ref(), cx).await?;
                }
                StmtKind::Return(e) => {
                    let v = match e {
                        Some(e) => self.eval(e, cx).await?,
                        None => Value::Null,
                    };
                    return Err(Flow::Return(v));
                }
                StmtKind::Break(l) => return Err(Flow::Break(l.as_ref().map(|l| l.node.clone()))),
                StmtKind::Continue(l) => {
                    return Err(Flow::Continue(l.as_ref().map(|l| l.node.clone())));
                }
                StmtKind::Throw(e) => {
                    let v = self.eval(e, cx).await?;
                    return Err(match v {
                        Value::Exception(ex) => {
                            if ex.span.get().is_none() {
                                ex.span.set(Some(span));
                            }
                            Flow::Throw(ex)
                        }
                        Value::Null => Flow::npe("Cannot throw null").at(span),
                        other => Flow::fatal(
                            format!("cannot throw a {}: not a Throwable", other.class_name()),
                            e.span,
                        ),
                    });
                }
                StmtKind::Assert { cond, message } => {
                    if !self.eval(cond, cx).await?.truthy() {
                        let text = self.source_text(cond.span);
                        let ex = match message {
                            Some(m) => {
                                let m = to_string(&self.eval(m, cx).await?);
                                let text = super::assert_text::text(cond).unwrap_or(text);
                                let mut names = Vec::new();
                                super::assert_text::value_names(cond, &mut names);
                                let mut values = Vec::with_capacity(names.len());
                                for name in names {
                                    if let Ok(v) = self.lookup(&name, cond.span, cx) {
                                        values.push(format!("{name} = {}", to_string(&v)));
                                    }
                                }
                                let values = if values.is_empty() {
                                    String::new()
                                } else {
                                    format!(". Values: {}", values.join(", "))
                                };
                                Exception::new(
                                    "java.lang.AssertionError",
                                    Some(format!("{m}. Expression: {text}{values}")),
                                )
                            }
                            None => Exception::new(
                                "org.codehaus.groovy.runtime.powerassert.PowerAssertionError",
                                Some(format!("assert {text}")),
                            ),
                        };
                        ex.span.set(Some(span));
                        return Err(Flow::Throw(Rc::new(ex)));
                    }
                }
                StmtKind::Labeled { label, body } => {
                    match self.exec_stmt(body, cx, Some(&label.node)).await {
                        Err(Flow::Break(Some(t))) if t == label.node => {}
                        other => other?,
                    }
                }
            }
            Ok(())
        })
    }

    async fn exec_decl(&self, d: &ast::VarDecl, cx: &Cx) -> R<()> {
        // `@Field` with the import, or written out as `@groovy.transform.Field`.
        let field = d
            .annotations
            .iter()
            .any(|a| matches!(a.name.node.as_str(), "Field" | "groovy.transform.Field"));
        match &d.targets {
            DeclTargets::Names(names) => {
                for decl in names {
                    let v = match &decl.init {
                        Some(e) => {
                            let v = self.eval(e, cx).await?;
                            match &d.ty {
                                Some(t) => {
                                    let v = self.force_for(v, t, e.span, cx).await?;
                                    cast(&v, t, false).map_err(|f| f.at(e.span))?
                                }
                                None => v,
                            }
                        }
                        None => d.ty.as_ref().map_or(Value::Null, default_for),
                    };
                    if field {
                        self.binding.borrow_mut().insert(decl.name.node.clone(), v);
                    } else {
                        cx.frame.declare(&decl.name.node, v);
                    }
                }
            }
            DeclTargets::Tuple { names, init } => {
                let v = self.eval(init, cx).await?;
                let items = match &v {
                    Value::List(l) => l.borrow().clone(),
                    other => iter_items(other).map_err(|f| f.at(init.span))?,
                };
                for (i, (ty, name)) in names.iter().enumerate() {
                    let item = items.get(i).cloned().unwrap_or(Value::Null);
                    let item = match ty {
                        Some(t) => cast(&item, t, false).map_err(|f| f.at(name.span))?,
                        None => item,
                    };
                    cx.frame.declare(&name.node, item);
                }
            }
        }
        Ok(())
    }

    /// `try`/`catch`/`finally`; the value is that of the last statement run (a `try` can be
    /// the value of a closure or method).
    pub async fn exec_try(
        &self,
        body: &ast::Block,
        catches: &[ast::Catch],
        finally: Option<&ast::Block>,
        cx: &Cx,
    ) -> R<Value> {
        let inner = cx.with_frame(Frame::child(&cx.frame));
        let effects = self.host.planned_effects();
        let mut result = self.exec_value(&body.stmts, &inner).await;
        if result.is_ok()
            && self.host.plans_both_branches()
            && self.host.planned_effects() > effects
        {
            for c in catches {
                self.plan_catch(c, cx).await;
            }
        }
        if let Err(Flow::Throw(ex)) = &result {
            let ex = ex.clone();
            let handler = catches.iter().find(|c| {
                if c.types.is_empty() {
                    ex.is_a("Exception")
                } else {
                    c.types.iter().any(|t| ex.is_a(&t.name))
                }
            });
            if let Some(c) = handler {
                let inner = cx.with_frame(Frame::child(&cx.frame));
                inner.frame.declare(&c.var.node, Value::Exception(ex));
                result = self.exec_value(&c.body.stmts, &inner).await;
            }
        }
        if let Some(f) = finally {
            self.exec_block(&f.stmts, cx).await?;
        }
        result
    }
}
