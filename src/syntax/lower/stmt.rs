//! Lowering statements: control flow, blocks, imports and the statement-level checks Groovy
//! makes (ambiguous blocks, misplaced methods).

use super::{Lower, P, R, expr_of, ident, internal, kids, next, one, span};
use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};
use crate::syntax::ast::{
    Block, CaseLabel, Catch, Closure, ExprKind, Import, Stmt, StmtKind, SwitchCase,
};
use crate::syntax::parser::Rule;

impl Lower {
    // ------------------------------------------------------------ statements

    pub(super) fn stmts<'i>(&self, pairs: impl Iterator<Item = P<'i>>) -> R<Vec<Stmt>> {
        pairs.map(|p| self.stmt(p)).collect()
    }

    pub(super) fn block(&self, p: P<'_>) -> R<Block> {
        let sp = span(&p);
        self.nested(sp, 1, |this| {
            Ok(Block {
                stmts: this.stmts(kids(p))?,
                span: sp,
            })
        })
    }

    pub(super) fn stmt(&self, p: P<'_>) -> R<Stmt> {
        let sp = span(&p);
        self.nested(sp, 0, |this| {
            let node = this.stmt_kind(p)?;
            Ok(Spanned::new(node, sp))
        })
    }

    /// The body of `if`, `else`, a loop or a label: a block counts as its own level, and a
    /// single statement counts as one too (`if (a) if (b) …` nests without braces).
    pub(super) fn boxed_stmt(&self, p: P<'_>) -> R<Box<Stmt>> {
        if p.as_rule() == Rule::block {
            return Ok(Box::new(self.stmt(p)?));
        }
        let sp = span(&p);
        self.nested(sp, 1, |this| Ok(Box::new(this.stmt(p)?)))
    }

    pub(super) fn stmt_kind(&self, p: P<'_>) -> R<StmtKind> {
        let rule = p.as_rule();
        Ok(match rule {
            Rule::block => StmtKind::Block(self.block(p)?),
            Rule::empty_statement => StmtKind::Block(Block {
                stmts: Vec::new(),
                span: span(&p),
            }),
            Rule::expression_statement | Rule::command_statement => {
                let mut it = kids(p.clone());
                let inner = next(&mut it, &p)?;
                let mut e = self.any_expr(inner)?;
                for chain in it {
                    if !matches!(e.node, ExprKind::MethodCall { .. } | ExprKind::Call { .. }) {
                        return Err(Box::new(
                            Diagnostic::error(
                                "syntax-error",
                                "unexpected name after an expression",
                                span(&chain),
                            )
                            .with_label("only a call can continue as a command chain")
                            .with_help(
                                "put this on its own line, or separate the statements with `;`",
                            ),
                        ));
                    }
                    e = self.command_chain(e, chain)?;
                }
                if let ExprKind::Closure(Closure { params: None, .. }) = e.node {
                    let at = Span::new(e.span.start as usize, e.span.start as usize + 1);
                    return Err(ambiguous_block(at, false));
                }
                StmtKind::Expr(e)
            }
            Rule::if_statement => {
                let mut it = kids(p.clone());
                let cond = self.expr(next(&mut it, &p)?)?;
                let then = self.boxed_stmt(next(&mut it, &p)?)?;
                let otherwise = match it.next() {
                    Some(else_clause) => {
                        let body = one(else_clause)?;
                        Some(self.boxed_stmt(body)?)
                    }
                    None => None,
                };
                StmtKind::If {
                    cond,
                    then,
                    otherwise,
                }
            }
            Rule::while_statement => {
                let mut it = kids(p.clone());
                let cond = self.expr(next(&mut it, &p)?)?;
                let body = self.boxed_stmt(next(&mut it, &p)?)?;
                StmtKind::While { cond, body }
            }
            Rule::for_statement => self.for_statement(p)?,
            Rule::switch_statement => {
                let mut it = kids(p.clone());
                let subject = self.expr(next(&mut it, &p)?)?;
                let cases = it.map(|c| self.switch_case(c)).collect::<R<_>>()?;
                StmtKind::Switch { subject, cases }
            }
            Rule::try_statement => {
                let mut it = kids(p.clone());
                let body = self.block(next(&mut it, &p)?)?;
                let mut catches = Vec::new();
                let mut finally = None;
                for c in it {
                    match c.as_rule() {
                        Rule::catch_clause => catches.push(self.catch_clause(c)?),
                        Rule::finally_clause => finally = Some(self.block(one(c)?)?),
                        _ => return Err(internal(&c, "unexpected child of try")),
                    }
                }
                StmtKind::Try {
                    body,
                    catches,
                    finally,
                }
            }
            Rule::return_statement => StmtKind::Return(self.opt_expr(p)?),
            Rule::throw_statement => {
                let e = one(p)?;
                StmtKind::Throw(self.expr(e)?)
            }
            Rule::break_statement => StmtKind::Break(kids(p).next().map(|c| ident(&c))),
            Rule::continue_statement => StmtKind::Continue(kids(p).next().map(|c| ident(&c))),
            Rule::assert_statement => {
                let mut it = kids(p.clone());
                let cond = self.expr(next(&mut it, &p)?)?;
                let message = it.next().map(|m| self.expr(m)).transpose()?;
                StmtKind::Assert { cond, message }
            }
            Rule::labeled_statement => {
                let mut it = kids(p.clone());
                let label = ident(&next(&mut it, &p)?);
                let body_pair = next(&mut it, &p)?;
                let body = self.boxed_stmt(body_pair)?;
                StmtKind::Labeled { label, body }
            }
            Rule::import_statement => StmtKind::Import(self.import(p)?),
            Rule::package_statement => {
                let name = kids(p.clone())
                    .find(|c| c.as_rule() == Rule::qualified_name)
                    .ok_or_else(|| internal(&p, "package without a name"))?;
                StmtKind::Package(ident(&name))
            }
            Rule::class_definition => StmtKind::Class(self.class_def(p)?),
            Rule::method_definition => {
                // Statements at the top of the file are at depth 0.
                if self.depth.get() > 0 {
                    let whole = span(&p);
                    let head = kids(p.clone())
                        .find(|c| c.as_rule() == Rule::method_name)
                        .map_or(whole, |name| Span {
                            start: whole.start,
                            end: span(&name).end,
                        });
                    return Err(Box::new(
                        Diagnostic::error(
                            "misplaced-method",
                            "method definition not expected here",
                            head,
                        )
                        .with_label("a method cannot be defined inside a block or closure")
                        .with_help(
                            "define the method at the top level of the file, or assign a closure: `def name = { args -> … }`",
                        ),
                    ));
                }
                StmtKind::Method(self.method_def(p)?)
            }
            Rule::variable_declaration => StmtKind::VarDecl(self.var_decl(p)?),
            Rule::tuple_declaration => StmtKind::VarDecl(self.tuple_decl(p)?),
            Rule::tuple_assignment => {
                let mut targets = Vec::new();
                let mut value = None;
                for c in kids(p.clone()) {
                    if c.as_rule() == Rule::identifier {
                        targets.push(ident(&c));
                    } else {
                        value = Some(self.any_expr(c)?);
                    }
                }
                let value = value.ok_or_else(|| internal(&p, "tuple assignment without value"))?;
                StmtKind::Expr(expr_of(
                    ExprKind::TupleAssign {
                        targets,
                        value: Box::new(value),
                    },
                    span(&p),
                ))
            }
            _ => return Err(internal(&p, "unexpected statement")),
        })
    }

    pub(super) fn for_statement(&self, p: P<'_>) -> R<StmtKind> {
        let mut it = kids(p.clone());
        let head = next(&mut it, &p)?;
        let body = self.boxed_stmt(next(&mut it, &p)?)?;
        if head.as_rule() == Rule::for_in {
            let mut ty = None;
            let mut var = None;
            let mut iterable = None;
            let mut has_modifier = false;
            for c in kids(head.clone()) {
                match c.as_rule() {
                    Rule::modifiers => has_modifier = true,
                    Rule::any_type => ty = Some(self.ty(c)?),
                    Rule::identifier => var = Some(ident(&c)),
                    Rule::expression => iterable = Some(self.expr(c)?),
                    _ => {}
                }
            }
            if let (None, false, Some(v), Some(it)) = (&ty, has_modifier, &var, &iterable) {
                let head_start = head.as_span().start();
                let between = head
                    .as_str()
                    .get(v.span.end as usize - head_start..it.span.start as usize - head_start)
                    .unwrap_or("");
                if between.trim_start().starts_with(':') {
                    return Err(Box::new(
                        Diagnostic::error(
                            "untyped-for-each",
                            "a Java-style for-each statement requires a type declaration",
                            v.span,
                        )
                        .with_label("no type given for this variable")
                        .with_help(
                            "write `for (x in items)`, or give a type: `for (String x : items)`",
                        ),
                    ));
                }
            }
            return match (var, iterable) {
                (Some(var), Some(iterable)) => Ok(StmtKind::ForIn {
                    ty,
                    var,
                    iterable,
                    body,
                }),
                _ => Err(internal(&head, "incomplete for-in")),
            };
        }
        let mut init = Vec::new();
        let mut cond = None;
        let mut update = Vec::new();
        for c in kids(head) {
            match c.as_rule() {
                Rule::for_init => {
                    let inner = one(c)?;
                    if inner.as_rule() == Rule::variable_declaration {
                        let sp = span(&inner);
                        init.push(Spanned::new(StmtKind::VarDecl(self.var_decl(inner)?), sp));
                    } else {
                        for e in kids(inner) {
                            let sp = span(&e);
                            init.push(Spanned::new(StmtKind::Expr(self.expr(e)?), sp));
                        }
                    }
                }
                Rule::expression => cond = Some(self.expr(c)?),
                Rule::for_update => {
                    for e in kids(one(c)?) {
                        update.push(self.expr(e)?);
                    }
                }
                _ => return Err(internal(&c, "unexpected child of for")),
            }
        }
        Ok(StmtKind::For {
            init,
            cond,
            update,
            body,
        })
    }

    pub(super) fn switch_case(&self, p: P<'_>) -> R<SwitchCase> {
        let sp = span(&p);
        let mut labels = Vec::new();
        let mut body = Vec::new();
        for c in kids(p) {
            if c.as_rule() == Rule::case_label {
                let lsp = span(&c);
                match kids(c).find(|k| k.as_rule() == Rule::expression) {
                    Some(e) => labels.push(CaseLabel::Case(self.expr(e)?)),
                    None => labels.push(CaseLabel::Default(lsp)),
                }
            } else {
                body.push(self.stmt(c)?);
            }
        }
        Ok(SwitchCase {
            labels,
            body,
            span: sp,
        })
    }

    pub(super) fn catch_clause(&self, p: P<'_>) -> R<Catch> {
        let mut types = Vec::new();
        let mut var = None;
        let mut body = None;
        for c in kids(p.clone()) {
            match c.as_rule() {
                Rule::catch_types => {
                    for t in kids(c) {
                        types.push(self.ty(t)?);
                    }
                }
                Rule::identifier => var = Some(ident(&c)),
                Rule::block => body = Some(self.block(c)?),
                _ => {}
            }
        }
        match (var, body) {
            (Some(var), Some(body)) => Ok(Catch { types, var, body }),
            _ => Err(internal(&p, "incomplete catch")),
        }
    }

    pub(super) fn import(&self, p: P<'_>) -> R<Import> {
        let mut annotations = Vec::new();
        let mut is_static = false;
        let mut path = None;
        let mut star = false;
        let mut alias = None;
        for c in kids(p.clone()) {
            match c.as_rule() {
                Rule::annotations => annotations = self.annotations(c)?,
                Rule::import_static => is_static = true,
                Rule::qualified_name => path = Some(ident(&c)),
                Rule::import_star => star = true,
                Rule::identifier => alias = Some(ident(&c)),
                _ => {}
            }
        }
        let path = path.ok_or_else(|| internal(&p, "import without a path"))?;
        Ok(Import {
            annotations,
            is_static,
            path,
            star,
            alias,
        })
    }
}

#[cold]
pub(super) fn ambiguous_block(at: Span, after_command: bool) -> Box<Diagnostic> {
    let message = if after_command {
        "ambiguous expression: a closure on a new line after a command expression"
    } else {
        "ambiguous expression: a parameterless closure or an isolated block"
    };
    Box::new(
        Diagnostic::error("ambiguous-block", message, at)
            .with_label("Groovy cannot tell what this `{` opens")
            .with_help(if after_command {
                "put the `{` on the same line as the call, or wrap the arguments in parentheses"
            } else {
                "add an explicit parameter list (`{ it -> … }`), or label the block (`L: { … }`)"
            }),
    )
}
