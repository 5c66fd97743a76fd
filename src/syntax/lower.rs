//! Lowering: pest pairs to the tree in `ast`. The last place pest is visible. One function per
//! grammar rule family; a child the grammar makes impossible becomes an internal error with its
//! span, never a panic. Errors the grammar deliberately lets through (bad escapes, a `$` that
//! starts nothing) are reported here with their own words.

use std::cell::Cell;
use std::sync::LazyLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::MAX_NESTING;
use super::ast::{
    Annotation, AnnotationArg, Arg, Args, AssignOp, BinaryOp, Block, CaseLabel, Catch, ClassDef,
    ClassKind, Closure, Comment, CommentKind, DeclTargets, Declarator, Expr, ExprKind, File,
    GString, GStringPart, Ident, Import, MapEntry, MapKey, Member, MethodDef, Nav, NumberLit,
    Param, PropName, Quote, Stmt, StmtKind, StrLit, SwitchCase, Type, UnaryOp, VarDecl,
};
use super::parser::Rule;
use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};

type P<'i> = Pair<'i, Rule>;
type R<T> = Result<T, Box<Diagnostic>>;

/// Lowers a successful parse of `Rule::file`.
pub(crate) fn file(pairs: Pairs<'_, Rule>, _text: &str) -> R<File> {
    let comments = pairs
        .clone()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| Comment {
            kind: if p.as_str().starts_with("//") {
                CommentKind::Line
            } else if p.as_str().starts_with("/**") && p.as_str() != "/**/" {
                CommentKind::Doc
            } else {
                CommentKind::Block
            },
            span: span(&p),
        })
        .collect();
    let lower = Lower {
        depth: Cell::new(0),
        in_command_args: Cell::new(false),
    };
    let mut shebang = None;
    let mut stmts = Vec::new();
    for pair in pairs {
        for child in kids(pair) {
            if child.as_rule() == Rule::file_body {
                for inner in kids(child) {
                    if inner.as_rule() == Rule::shebang {
                        shebang = Some(span(&inner));
                    } else {
                        stmts.push(lower.stmt(inner)?);
                    }
                }
            } else if child.as_rule() == Rule::shebang {
                shebang = Some(span(&child));
            } else {
                stmts.push(lower.stmt(child)?);
            }
        }
    }
    Ok(File {
        shebang,
        stmts,
        comments,
    })
}

fn span(p: &P<'_>) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.end())
}

fn ident(p: &P<'_>) -> Ident {
    Spanned::new(p.as_str().to_string(), span(p))
}

/// Children without comments and keyword tokens whose only job is to be matched.
fn kids<'i>(p: P<'i>) -> impl Iterator<Item = P<'i>> {
    p.into_inner().filter(|c| {
        !matches!(
            c.as_rule(),
            Rule::COMMENT
                | Rule::EOI
                | Rule::kw_if
                | Rule::kw_else
                | Rule::kw_for
                | Rule::kw_while
                | Rule::kw_return
                | Rule::kw_break
                | Rule::kw_continue
                | Rule::kw_throw
                | Rule::kw_assert
                | Rule::kw_import
                | Rule::kw_package
                | Rule::kw_try
                | Rule::kw_catch
                | Rule::kw_finally
                | Rule::kw_switch
                | Rule::kw_new
                | Rule::kw_throws
                | Rule::kw_as
                | Rule::kw_instanceof
                | Rule::kw_in
        )
    })
}

#[cold]
fn internal(p: &P<'_>, what: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "internal-error",
            format!("internal parser error: {what} (rule {:?})", p.as_rule()),
            span(p),
        )
        .with_help("this is a bug in jenkinsfile; please report it with this file"),
    )
}

#[cold]
fn too_deep(at: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "nesting-too-deep",
            format!("the code is nested more than {MAX_NESTING} levels deep"),
            at,
        )
        .with_label(format!("level {} starts here", MAX_NESTING + 1))
        .with_help(
            "every phase walks the tree recursively, so nesting is bounded; split this code into smaller functions or variables",
        ),
    )
}

fn expr_of(node: ExprKind, span: Span) -> Expr {
    Spanned::new(node, span)
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::assign_operator, Assoc::Right))
        .op(Op::infix(Rule::ternary_operator, Assoc::Right) | Op::infix(Rule::elvis, Assoc::Right))
        .op(Op::infix(Rule::or, Assoc::Left))
        .op(Op::infix(Rule::and, Assoc::Left))
        .op(Op::infix(Rule::bit_or, Assoc::Left))
        .op(Op::infix(Rule::bit_xor, Assoc::Left))
        .op(Op::infix(Rule::bit_and, Assoc::Left))
        .op(Op::infix(Rule::regex_find, Assoc::Left) | Op::infix(Rule::regex_match, Assoc::Left))
        .op(Op::infix(Rule::eq, Assoc::Left)
            | Op::infix(Rule::ne, Assoc::Left)
            | Op::infix(Rule::compare, Assoc::Left))
        .op(Op::infix(Rule::lt, Assoc::Left)
            | Op::infix(Rule::le, Assoc::Left)
            | Op::infix(Rule::gt, Assoc::Left)
            | Op::infix(Rule::ge, Assoc::Left)
            | Op::infix(Rule::kw_in_op, Assoc::Left)
            | Op::postfix(Rule::as_type)
            | Op::postfix(Rule::instanceof_type))
        .op(Op::infix(Rule::shl, Assoc::Left)
            | Op::infix(Rule::shr, Assoc::Left)
            | Op::infix(Rule::ushr, Assoc::Left)
            | Op::infix(Rule::range_inclusive, Assoc::Left)
            | Op::infix(Rule::range_exclusive, Assoc::Left))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left)
            | Op::infix(Rule::div, Assoc::Left)
            | Op::infix(Rule::rem, Assoc::Left))
        // Groovy binds `-a ** b` as `-(a ** b)` but `!a ** b` as `(!a) ** b`.
        .op(Op::prefix(Rule::negate)
            | Op::prefix(Rule::unary_plus)
            | Op::prefix(Rule::pre_inc)
            | Op::prefix(Rule::pre_dec))
        .op(Op::infix(Rule::power, Assoc::Left))
        .op(Op::prefix(Rule::not) | Op::prefix(Rule::bit_not) | Op::prefix(Rule::cast))
        .op(Op::postfix(Rule::post_inc) | Op::postfix(Rule::post_dec))
});

struct Lower {
    depth: Cell<usize>,
    /// Set while lowering the arguments of a command expression (`foo a, b`), where Groovy
    /// refuses a closure on the next line rather than appending it to the last argument.
    in_command_args: Cell<bool>,
}

impl Lower {
    /// Runs `f` one nesting level deeper, refusing to go past `MAX_NESTING`.
    fn nested<T>(&self, at: Span, extra: usize, f: impl FnOnce(&Self) -> R<T>) -> R<T> {
        let depth = self.depth.get() + 1 + extra;
        if depth > MAX_NESTING {
            return Err(too_deep(at));
        }
        let saved = self.depth.replace(depth);
        let result = f(self);
        self.depth.set(saved);
        result
    }

    // ------------------------------------------------------------ statements

    fn stmts<'i>(&self, pairs: impl Iterator<Item = P<'i>>) -> R<Vec<Stmt>> {
        pairs.map(|p| self.stmt(p)).collect()
    }

    fn block(&self, p: P<'_>) -> R<Block> {
        let sp = span(&p);
        Ok(Block {
            stmts: self.stmts(kids(p))?,
            span: sp,
        })
    }

    fn stmt(&self, p: P<'_>) -> R<Stmt> {
        let sp = span(&p);
        self.nested(sp, 0, |this| {
            let node = this.stmt_kind(p)?;
            Ok(Spanned::new(node, sp))
        })
    }

    fn boxed_stmt(&self, p: P<'_>) -> R<Box<Stmt>> {
        Ok(Box::new(self.stmt(p)?))
    }

    fn stmt_kind(&self, p: P<'_>) -> R<StmtKind> {
        let rule = p.as_rule();
        Ok(match rule {
            Rule::block => StmtKind::Block(self.block(p)?),
            Rule::empty_statement => StmtKind::Block(Block {
                stmts: Vec::new(),
                span: span(&p),
            }),
            Rule::expression_statement | Rule::command_statement => {
                let inner = one(p)?;
                let e = self.any_expr(inner)?;
                if let ExprKind::Closure(Closure { params: None, .. }) = e.node {
                    let at = Span::new(e.span.start as usize, e.span.start as usize + 1);
                    return Err(ambiguous_block(at, false));
                }
                StmtKind::Expr(e)
            }
            Rule::assignment_command => StmtKind::Expr(self.assignment_command(p)?),
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
                // `label: { … }` is how Groovy spells a plain block; lower it as one.
                if body_pair.as_rule() == Rule::expression_statement
                    && body_pair.as_str().starts_with('{')
                {
                    let bsp = span(&body_pair);
                    let e = self.any_expr(one(body_pair)?)?;
                    if let ExprKind::Closure(Closure { params: None, body }) = e.node {
                        return Ok(StmtKind::Labeled {
                            label,
                            body: Box::new(Spanned::new(
                                StmtKind::Block(Block { stmts: body, span: bsp }),
                                bsp,
                            )),
                        });
                    }
                    return Ok(StmtKind::Labeled {
                        label,
                        body: Box::new(Spanned::new(StmtKind::Expr(e), bsp)),
                    });
                }
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
                // Statements at the top of the file are at depth 1.
                if self.depth.get() > 1 {
                    return Err(Box::new(
                        Diagnostic::error(
                            "misplaced-method",
                            "method definition not expected here",
                            span(&p),
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

    fn for_statement(&self, p: P<'_>) -> R<StmtKind> {
        let mut it = kids(p.clone());
        let head = next(&mut it, &p)?;
        let body = self.boxed_stmt(next(&mut it, &p)?)?;
        if head.as_rule() == Rule::for_in {
            let mut ty = None;
            let mut var = None;
            let mut iterable = None;
            for c in kids(head.clone()) {
                match c.as_rule() {
                    Rule::modifiers => {}
                    Rule::any_type => ty = Some(self.ty(c)?),
                    Rule::identifier => var = Some(ident(&c)),
                    Rule::expression => iterable = Some(self.expr(c)?),
                    _ => {}
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

    fn switch_case(&self, p: P<'_>) -> R<SwitchCase> {
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

    fn catch_clause(&self, p: P<'_>) -> R<Catch> {
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

    fn import(&self, p: P<'_>) -> R<Import> {
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

    // ------------------------------------------------------------ declarations

    fn annotations(&self, p: P<'_>) -> R<Vec<Annotation>> {
        kids(p).map(|a| self.annotation(a)).collect()
    }

    fn annotation(&self, p: P<'_>) -> R<Annotation> {
        let sp = span(&p);
        let mut it = kids(p.clone());
        let name = ident(&next(&mut it, &p)?);
        let mut args = Vec::new();
        if let Some(list) = it.next() {
            for a in kids(list) {
                if a.as_rule() == Rule::annotation_pair {
                    let mut pit = kids(a.clone());
                    let key = ident(&next(&mut pit, &a)?);
                    let value = self.expr(next(&mut pit, &a)?)?;
                    args.push(AnnotationArg {
                        name: Some(key),
                        value,
                    });
                } else {
                    args.push(AnnotationArg {
                        name: None,
                        value: self.expr(a)?,
                    });
                }
            }
        }
        Ok(Annotation {
            name,
            args,
            span: sp,
        })
    }

    fn modifiers(p: P<'_>) -> Vec<Ident> {
        kids(p).map(|m| ident(&m)).collect()
    }

    fn method_def(&self, p: P<'_>) -> R<MethodDef> {
        let mut def = MethodDef {
            annotations: Vec::new(),
            modifiers: Vec::new(),
            ret: None,
            name: Spanned::new(String::new(), span(&p)),
            params: Vec::new(),
            throws: Vec::new(),
            body: None,
        };
        let mut named = false;
        for c in kids(p.clone()) {
            match c.as_rule() {
                Rule::annotations => def.annotations = self.annotations(c)?,
                Rule::modifiers => def.modifiers = Self::modifiers(c),
                Rule::type_parameters => {}
                Rule::decl_type => def.ret = Some(self.ty(c)?),
                Rule::identifier => {
                    def.name = ident(&c);
                    named = true;
                }
                Rule::method_name => {
                    def.name = self.method_name(c)?;
                    named = true;
                }
                Rule::parameters => def.params = self.params(c)?,
                Rule::throws_clause => {
                    def.throws = kids(c).map(|t| self.ty(t)).collect::<R<_>>()?;
                }
                Rule::block => def.body = Some(self.block(c)?),
                _ => return Err(internal(&c, "unexpected child of a method")),
            }
        }
        if !named {
            return Err(internal(&p, "method without a name"));
        }
        Ok(def)
    }

    fn method_name(&self, p: P<'_>) -> R<Ident> {
        let inner = one(p)?;
        if inner.as_rule() == Rule::identifier {
            return Ok(ident(&inner));
        }
        let sp = span(&inner);
        match self.string(inner)?.node {
            ExprKind::Str(s) => Ok(Spanned::new(s.value, sp)),
            _ => Err(Box::new(
                Diagnostic::error(
                    "syntax-error",
                    "a method name cannot contain interpolation",
                    sp,
                )
                .with_label("interpolated method name"),
            )),
        }
    }

    fn params(&self, p: P<'_>) -> R<Vec<Param>> {
        kids(p).map(|c| self.param(c)).collect()
    }

    fn param(&self, p: P<'_>) -> R<Param> {
        let mut param = Param {
            annotations: Vec::new(),
            modifiers: Vec::new(),
            ty: None,
            vararg: false,
            name: Spanned::new(String::new(), span(&p)),
            default: None,
        };
        for c in kids(p) {
            match c.as_rule() {
                Rule::annotations => param.annotations = self.annotations(c)?,
                Rule::modifiers => param.modifiers = Self::modifiers(c),
                Rule::any_type => param.ty = Some(self.ty(c)?),
                Rule::vararg => param.vararg = true,
                Rule::identifier => param.name = ident(&c),
                Rule::expression => param.default = Some(self.expr(c)?),
                _ => return Err(internal(&c, "unexpected child of a parameter")),
            }
        }
        Ok(param)
    }

    fn var_decl(&self, p: P<'_>) -> R<VarDecl> {
        let mut decl = VarDecl {
            annotations: Vec::new(),
            modifiers: Vec::new(),
            ty: None,
            targets: DeclTargets::Names(Vec::new()),
        };
        for c in kids(p) {
            match c.as_rule() {
                Rule::annotations => decl.annotations = self.annotations(c)?,
                Rule::modifiers => decl.modifiers = Self::modifiers(c),
                Rule::decl_type => decl.ty = Some(self.ty(c)?),
                Rule::declarators => {
                    let mut names = Vec::new();
                    for d in kids(c) {
                        let mut it = kids(d.clone());
                        let name = ident(&next(&mut it, &d)?);
                        let init = it.next().map(|e| self.any_expr(e)).transpose()?;
                        names.push(Declarator { name, init });
                    }
                    decl.targets = DeclTargets::Names(names);
                }
                _ => return Err(internal(&c, "unexpected child of a declaration")),
            }
        }
        Ok(decl)
    }

    fn tuple_decl(&self, p: P<'_>) -> R<VarDecl> {
        let mut annotations = Vec::new();
        let mut modifiers = Vec::new();
        let mut names = Vec::new();
        let mut init = None;
        for c in kids(p.clone()) {
            match c.as_rule() {
                Rule::annotations => annotations = self.annotations(c)?,
                Rule::modifiers => modifiers = Self::modifiers(c),
                Rule::tuple_item => {
                    let mut ty = None;
                    let mut name = None;
                    for t in kids(c) {
                        if t.as_rule() == Rule::decl_type {
                            ty = Some(self.ty(t)?);
                        } else {
                            name = Some(ident(&t));
                        }
                    }
                    let name = name.ok_or_else(|| internal(&p, "tuple item without a name"))?;
                    names.push((ty, name));
                }
                _ => init = Some(self.any_expr(c)?),
            }
        }
        let init = init.ok_or_else(|| internal(&p, "tuple declaration without a value"))?;
        Ok(VarDecl {
            annotations,
            modifiers,
            ty: None,
            targets: DeclTargets::Tuple { names, init },
        })
    }

    fn class_def(&self, p: P<'_>) -> R<ClassDef> {
        let mut def = ClassDef {
            annotations: Vec::new(),
            modifiers: Vec::new(),
            kind: ClassKind::Class,
            name: Spanned::new(String::new(), span(&p)),
            generics: Vec::new(),
            extends: Vec::new(),
            implements: Vec::new(),
            constants: Vec::new(),
            members: Vec::new(),
        };
        let mut implementing = false;
        for c in kids(p) {
            match c.as_rule() {
                Rule::annotations => def.annotations = self.annotations(c)?,
                Rule::modifiers => def.modifiers = Self::modifiers(c),
                Rule::class_keyword => {
                    let text = c.as_str();
                    def.kind = if text.starts_with("enum") {
                        ClassKind::Enum
                    } else if text.contains("interface") {
                        ClassKind::Interface
                    } else {
                        ClassKind::Class
                    };
                }
                Rule::identifier => def.name = ident(&c),
                Rule::type_parameters => def.generics = self.generics(one(c)?)?,
                Rule::kw_extends => implementing = false,
                Rule::kw_implements => implementing = true,
                Rule::any_type if implementing => def.implements.push(self.ty(c)?),
                Rule::any_type => def.extends.push(self.ty(c)?),
                Rule::class_body => self.class_body(c, &mut def)?,
                _ => return Err(internal(&c, "unexpected child of a class")),
            }
        }
        Ok(def)
    }

    fn class_body(&self, p: P<'_>, def: &mut ClassDef) -> R<()> {
        for c in kids(p) {
            if c.as_rule() == Rule::enum_constants {
                def.constants = kids(c).map(|k| ident(&k)).collect();
                continue;
            }
            let member = one(c)?;
            let sp = span(&member);
            let m = self.nested(sp, 0, |this| {
                Ok(match member.as_rule() {
                    Rule::class_definition => {
                        Member::Class(Spanned::new(this.class_def(member)?, sp))
                    }
                    Rule::method_definition | Rule::constructor | Rule::abstract_method => {
                        Member::Method(Spanned::new(this.method_def(member)?, sp))
                    }
                    Rule::variable_declaration => {
                        Member::Field(Spanned::new(this.var_decl(member)?, sp))
                    }
                    Rule::initializer_block => {
                        let mut is_static = false;
                        let mut body = None;
                        for k in kids(member.clone()) {
                            if k.as_rule() == Rule::kw_static {
                                is_static = true;
                            } else {
                                body = Some(this.block(k)?);
                            }
                        }
                        let body = body.ok_or_else(|| internal(&member, "empty initializer"))?;
                        Member::Initializer { is_static, body }
                    }
                    _ => return Err(internal(&member, "unexpected class member")),
                })
            })?;
            def.members.push(m);
        }
        Ok(())
    }

    // ------------------------------------------------------------ types

    fn ty(&self, p: P<'_>) -> R<Type> {
        let sp = span(&p);
        let mut ty = Type {
            name: String::new(),
            generics: Vec::new(),
            array_dims: 0,
            span: sp,
        };
        for c in kids(p) {
            match c.as_rule() {
                Rule::primitive_type | Rule::upper_type | Rule::any_type_name => {
                    ty.name = c.as_str().split_whitespace().collect();
                }
                Rule::generics => ty.generics = self.generics(c)?,
                Rule::array_dims => ty.array_dims = c.as_str().matches('[').count() as u8,
                _ => return Err(internal(&c, "unexpected child of a type")),
            }
        }
        Ok(ty)
    }

    fn generics(&self, p: P<'_>) -> R<Vec<Type>> {
        let mut out = Vec::new();
        for arg in kids(p) {
            let sp = span(&arg);
            let inner = kids(arg).find(|k| k.as_rule() == Rule::any_type);
            match inner {
                Some(t) if sp.start == t.as_span().start() as u32 => out.push(self.ty(t)?),
                // A wildcard, with or without a bound.
                bound => out.push(Type {
                    name: "?".to_string(),
                    generics: bound.map(|b| self.ty(b)).transpose()?.into_iter().collect(),
                    array_dims: 0,
                    span: sp,
                }),
            }
        }
        Ok(out)
    }

    // ------------------------------------------------------------ expressions

    /// An `expression`, a `command_expression`, or an `assignment_command`.
    fn any_expr(&self, p: P<'_>) -> R<Expr> {
        match p.as_rule() {
            Rule::expression => self.expr(p),
            Rule::command_expression => self.command(p),
            Rule::assignment_command => self.assignment_command(p),
            _ => Err(internal(&p, "expected an expression")),
        }
    }

    fn opt_expr(&self, p: P<'_>) -> R<Option<Expr>> {
        kids(p).next().map(|e| self.any_expr(e)).transpose()
    }

    fn expr(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let items: Vec<P<'_>> = kids(p).collect();
        // Operators nest the tree one level each; bound them before the Pratt parser recurses.
        let operators = items
            .iter()
            .filter(|c| c.as_rule() != Rule::postfix_expression)
            .count();
        self.nested(sp, operators, |this| {
            PRATT
                .map_primary(|primary| this.postfix(primary))
                .map_prefix(|op, operand| this.prefix(&op, operand?))
                .map_postfix(|operand, op| this.postfix_op(operand?, op))
                .map_infix(|lhs, op, rhs| this.infix(lhs?, op, rhs?))
                .parse(items.into_iter())
        })
    }

    fn prefix(&self, op: &P<'_>, operand: Expr) -> R<Expr> {
        let sp = span(op).to(operand.span);
        let unary = |op| {
            Ok(expr_of(
                ExprKind::Unary {
                    op,
                    operand: Box::new(operand.clone()),
                },
                sp,
            ))
        };
        match op.as_rule() {
            Rule::negate => unary(UnaryOp::Neg),
            Rule::unary_plus => unary(UnaryOp::Plus),
            Rule::not => unary(UnaryOp::Not),
            Rule::bit_not => unary(UnaryOp::BitNot),
            Rule::pre_inc => unary(UnaryOp::PreInc),
            Rule::pre_dec => unary(UnaryOp::PreDec),
            Rule::cast => {
                let mut it = kids(op.clone());
                let first = next(&mut it, op)?;
                let ty = if first.as_rule() == Rule::decl_type {
                    self.ty(first)?
                } else {
                    let mut ty = Type {
                        name: first.as_str().to_string(),
                        generics: Vec::new(),
                        array_dims: 0,
                        span: span(&first),
                    };
                    if let Some(dims) = it.next() {
                        ty.array_dims = dims.as_str().matches('[').count() as u8;
                        ty.span = ty.span.to(span(&dims));
                    }
                    ty
                };
                Ok(expr_of(
                    ExprKind::Cast {
                        ty,
                        operand: Box::new(operand),
                    },
                    sp,
                ))
            }
            _ => Err(internal(op, "unknown prefix operator")),
        }
    }

    fn postfix_op(&self, operand: Expr, op: P<'_>) -> R<Expr> {
        let sp = operand.span.to(span(&op));
        let operand = Box::new(operand);
        let node = match op.as_rule() {
            Rule::post_inc => ExprKind::Unary {
                op: UnaryOp::PostInc,
                operand,
            },
            Rule::post_dec => ExprKind::Unary {
                op: UnaryOp::PostDec,
                operand,
            },
            Rule::as_type => ExprKind::As {
                operand,
                ty: self.ty(one(op)?)?,
            },
            Rule::instanceof_type => ExprKind::InstanceOf {
                operand,
                ty: self.ty(one(op)?)?,
            },
            _ => return Err(internal(&op, "unknown postfix operator")),
        };
        Ok(expr_of(node, sp))
    }

    fn infix(&self, lhs: Expr, op: P<'_>, rhs: Expr) -> R<Expr> {
        let sp = lhs.span.to(rhs.span);
        let binary = |op| ExprKind::Binary {
            op,
            lhs: Box::new(lhs.clone()),
            rhs: Box::new(rhs.clone()),
        };
        let node = match op.as_rule() {
            Rule::assign_operator => {
                let aop = assign_op(op.as_str()).ok_or_else(|| internal(&op, "assignment"))?;
                check_target(&lhs)?;
                ExprKind::Assign {
                    op: aop,
                    target: Box::new(lhs),
                    value: Box::new(rhs),
                }
            }
            Rule::ternary_operator => ExprKind::Ternary {
                cond: Box::new(lhs),
                then: Box::new(self.expr(one(op)?)?),
                otherwise: Box::new(rhs),
            },
            Rule::elvis => ExprKind::Elvis {
                value: Box::new(lhs),
                fallback: Box::new(rhs),
            },
            Rule::range_inclusive | Rule::range_exclusive => ExprKind::Range {
                from: Box::new(lhs),
                to: Box::new(rhs),
                exclusive: op.as_rule() == Rule::range_exclusive,
            },
            Rule::or => binary(BinaryOp::Or),
            Rule::and => binary(BinaryOp::And),
            Rule::bit_or => binary(BinaryOp::BitOr),
            Rule::bit_xor => binary(BinaryOp::BitXor),
            Rule::bit_and => binary(BinaryOp::BitAnd),
            Rule::regex_find => binary(BinaryOp::Find),
            Rule::regex_match => binary(BinaryOp::Match),
            Rule::eq => binary(BinaryOp::Eq),
            Rule::ne => binary(BinaryOp::Ne),
            Rule::compare => binary(BinaryOp::Cmp),
            Rule::lt => binary(BinaryOp::Lt),
            Rule::le => binary(BinaryOp::Le),
            Rule::gt => binary(BinaryOp::Gt),
            Rule::ge => binary(BinaryOp::Ge),
            Rule::kw_in_op => binary(BinaryOp::In),
            Rule::shl => binary(BinaryOp::Shl),
            Rule::shr => binary(BinaryOp::Shr),
            Rule::ushr => binary(BinaryOp::UShr),
            Rule::add => binary(BinaryOp::Add),
            Rule::sub => binary(BinaryOp::Sub),
            Rule::mul => binary(BinaryOp::Mul),
            Rule::div => binary(BinaryOp::Div),
            Rule::rem => binary(BinaryOp::Mod),
            Rule::power => binary(BinaryOp::Power),
            _ => return Err(internal(&op, "unknown infix operator")),
        };
        Ok(expr_of(node, sp))
    }

    fn assignment_command(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let mut it = kids(p.clone());
        let target = self.postfix(next(&mut it, &p)?)?;
        let op = next(&mut it, &p)?;
        let value = self.command(next(&mut it, &p)?)?;
        check_target(&target)?;
        let op = assign_op(op.as_str()).ok_or_else(|| internal(&op, "assignment"))?;
        Ok(expr_of(
            ExprKind::Assign {
                op,
                target: Box::new(target),
                value: Box::new(value),
            },
            sp,
        ))
    }

    /// `name arg, key: value` (a call without parentheses).
    fn command(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let mut it = kids(p.clone());
        let head = next(&mut it, &p)?;
        let args_pair = next(&mut it, &p)?;
        let args_span = span(&args_pair);
        let mut args = Args {
            parens: false,
            span: args_span,
            ..Args::default()
        };
        let saved = self.in_command_args.replace(true);
        let items: R<Vec<Arg>> = kids(args_pair).map(|a| self.argument(a)).collect();
        self.in_command_args.set(saved);
        args.items = items?;
        check_duplicate_names(&args)?;
        let mut parts = kids(head.clone());
        let first = next(&mut parts, &head)?;
        let mut receiver = self.atom(first)?;
        let rest: Vec<P<'_>> = parts.collect();
        if rest.len() / 2 > MAX_NESTING {
            return Err(too_deep(sp));
        }
        let mut pairs = rest.chunks(2).peekable();
        while let Some(chunk) = pairs.next() {
            let [nav, name] = chunk else {
                return Err(internal(&head, "member without a name"));
            };
            let nav = nav_of(nav.as_str());
            let name = self.member_name(name.clone())?;
            if pairs.peek().is_none() {
                return Ok(expr_of(
                    ExprKind::MethodCall {
                        receiver: Some(Box::new(receiver)),
                        nav,
                        name,
                        args,
                    },
                    sp,
                ));
            }
            let rsp = receiver.span.to(prop_span(&name));
            receiver = expr_of(
                ExprKind::Property {
                    target: Box::new(receiver),
                    name,
                    nav,
                },
                rsp,
            );
        }
        Ok(call_on(receiver, args, sp))
    }

    fn argument(&self, p: P<'_>) -> R<Arg> {
        Ok(match p.as_rule() {
            Rule::named_argument => Arg::Named(self.map_entry(p)?),
            Rule::spread_map_argument => {
                let sp = span(&p);
                Arg::Named(MapEntry {
                    key: MapKey::Spread(sp),
                    value: self.expr(one(p)?)?,
                })
            }
            Rule::spread_argument => Arg::Spread(self.expr(one(p)?)?),
            _ => Arg::Positional(self.expr(p)?),
        })
    }

    fn map_entry(&self, p: P<'_>) -> R<MapEntry> {
        if p.as_rule() == Rule::spread_map_argument {
            let sp = span(&p);
            return Ok(MapEntry {
                key: MapKey::Spread(sp),
                value: self.expr(one(p)?)?,
            });
        }
        let mut it = kids(p.clone());
        let key = next(&mut it, &p)?;
        if key.as_rule() == Rule::spread_map_argument {
            return self.map_entry(key);
        }
        let key_inner = one(key)?;
        let key = match key_inner.as_rule() {
            Rule::word => MapKey::Name(ident(&key_inner)),
            _ => MapKey::Expr(self.atom(key_inner)?),
        };
        let value = self.expr(next(&mut it, &p)?)?;
        Ok(MapEntry { key, value })
    }

    fn member_name(&self, p: P<'_>) -> R<PropName> {
        let inner = one(p)?;
        Ok(match inner.as_rule() {
            Rule::word => PropName::Name(ident(&inner)),
            Rule::expression => PropName::Dynamic(Box::new(self.expr(inner)?)),
            _ => PropName::Quoted(Box::new(self.string(inner)?)),
        })
    }

    /// A primary with its member accesses, calls, indexes and appended closures.
    fn postfix(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let mut it = kids(p.clone());
        let primary = next(&mut it, &p)?;
        let suffixes: Vec<P<'_>> = it.collect();
        self.nested(sp, suffixes.len(), |this| {
            let mut cur = this.atom(primary)?;
            for s in suffixes {
                cur = this.suffix(cur, s)?;
            }
            Ok(cur)
        })
    }

    fn suffix(&self, cur: Expr, s: P<'_>) -> R<Expr> {
        let sp = cur.span.to(span(&s));
        Ok(match s.as_rule() {
            Rule::member => {
                let mut it = kids(s.clone());
                let nav_pair = next(&mut it, &s)?;
                let name_pair = next(&mut it, &s)?;
                if nav_pair.as_str() == ".&" {
                    let name = ident(&name_pair);
                    return Ok(expr_of(
                        ExprKind::MethodPointer {
                            target: Box::new(cur),
                            name,
                        },
                        sp,
                    ));
                }
                let nav = nav_of(nav_pair.as_str());
                let name = self.member_name(name_pair)?;
                expr_of(
                    ExprKind::Property {
                        target: Box::new(cur),
                        name,
                        nav,
                    },
                    sp,
                )
            }
            Rule::call_arguments => {
                let args = self.call_args(s)?;
                call_on(cur, args, sp)
            }
            Rule::closure_argument => {
                let closure_span = span(&s);
                if self.in_command_args.get() && s.as_str().starts_with(['\n', '\r', ' ', '\t', '/']) {
                    let text = s.as_str();
                    let brace = text.find('{').unwrap_or(0);
                    if text[..brace].contains(['\n', '\r']) {
                        let at = Span::new(closure_span.start as usize + brace, closure_span.start as usize + brace + 1);
                        return Err(ambiguous_block(at, true));
                    }
                }
                let closure = expr_of(ExprKind::Closure(self.closure(one(s)?)?), closure_span);
                match cur.node {
                    ExprKind::MethodCall {
                        receiver,
                        nav,
                        name,
                        mut args,
                    } => {
                        args.closures.push(closure);
                        args.span = args.span.to(closure_span);
                        expr_of(
                            ExprKind::MethodCall {
                                receiver,
                                nav,
                                name,
                                args,
                            },
                            sp,
                        )
                    }
                    ExprKind::Call { callee, mut args } => {
                        args.closures.push(closure);
                        args.span = args.span.to(closure_span);
                        expr_of(ExprKind::Call { callee, args }, sp)
                    }
                    node => {
                        let args = Args {
                            items: Vec::new(),
                            closures: vec![closure],
                            parens: false,
                            span: closure_span,
                        };
                        call_on(Spanned::new(node, cur.span), args, sp)
                    }
                }
            }
            Rule::index => {
                let index = kids(s).map(|e| self.expr(e)).collect::<R<_>>()?;
                expr_of(
                    ExprKind::Index {
                        target: Box::new(cur),
                        index,
                        safe: false,
                    },
                    sp,
                )
            }
            _ => return Err(internal(&s, "unknown suffix")),
        })
    }

    fn call_args(&self, p: P<'_>) -> R<Args> {
        let sp = span(&p);
        let saved = self.in_command_args.replace(false);
        let items = kids(p).map(|a| self.argument(a)).collect::<R<_>>();
        self.in_command_args.set(saved);
        let args = Args {
            items: items?,
            closures: Vec::new(),
            parens: true,
            span: sp,
        };
        check_duplicate_names(&args)?;
        Ok(args)
    }

    /// A primary expression.
    fn atom(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let node = match p.as_rule() {
            Rule::number => return number(p),
            Rule::kw_true => ExprKind::Bool(true),
            Rule::kw_false => ExprKind::Bool(false),
            Rule::kw_null => ExprKind::Null,
            Rule::kw_this => ExprKind::This,
            Rule::kw_super => ExprKind::Super,
            Rule::identifier | Rule::primitive_class => ExprKind::Var(p.as_str().to_string()),
            Rule::single_string
            | Rule::double_string
            | Rule::triple_single_string
            | Rule::triple_double_string
            | Rule::slashy_string
            | Rule::dollar_slashy_string => return self.string(p),
            Rule::parenthesized => ExprKind::Paren(Box::new(self.expr(one(p)?)?)),
            Rule::empty_map => ExprKind::Map(Vec::new()),
            Rule::map_literal => {
                let entries = kids(p).map(|e| self.map_entry(e)).collect::<R<_>>()?;
                ExprKind::Map(entries)
            }
            Rule::list_literal => {
                let mut items = Vec::new();
                for c in kids(p) {
                    if c.as_rule() == Rule::spread_argument {
                        let esp = span(&c);
                        let inner = self.expr(one(c)?)?;
                        items.push(expr_of(ExprKind::Spread(Box::new(inner)), esp));
                    } else {
                        items.push(self.expr(c)?);
                    }
                }
                ExprKind::List(items)
            }
            Rule::closure => return Ok(expr_of(ExprKind::Closure(self.closure(p)?), sp)),
            Rule::new_expression => {
                let mut it = kids(p.clone());
                let ty = self.ty(next(&mut it, &p)?)?;
                let rest = next(&mut it, &p)?;
                if rest.as_rule() == Rule::call_arguments {
                    ExprKind::New {
                        ty,
                        args: self.call_args(rest)?,
                        array: None,
                    }
                } else {
                    let mut ty = ty;
                    let mut sizes = Vec::new();
                    for c in kids(rest) {
                        match c.as_rule() {
                            Rule::expression => {
                                sizes.push(self.expr(c)?);
                                ty.array_dims += 1;
                            }
                            Rule::array_dims => {
                                ty.array_dims += c.as_str().matches('[').count() as u8;
                            }
                            Rule::array_initializer => {
                                sizes = kids(c).map(|e| self.expr(e)).collect::<R<_>>()?;
                            }
                            _ => return Err(internal(&c, "unexpected array creation")),
                        }
                    }
                    ExprKind::New {
                        ty,
                        args: Args::default(),
                        array: Some(sizes),
                    }
                }
            }
            _ => return Err(internal(&p, "unexpected primary expression")),
        };
        Ok(expr_of(node, sp))
    }

    fn closure(&self, p: P<'_>) -> R<Closure> {
        let sp = span(&p);
        let saved = self.in_command_args.replace(false);
        let result = self.closure_inner(p, sp);
        self.in_command_args.set(saved);
        result
    }

    fn closure_inner(&self, p: P<'_>, sp: Span) -> R<Closure> {
        self.nested(sp, 0, |this| {
            let mut params = None;
            let mut body = Vec::new();
            for c in kids(p) {
                if c.as_rule() == Rule::closure_parameters {
                    params = Some(this.params(c)?);
                } else {
                    body.push(this.stmt(c)?);
                }
            }
            Ok(Closure { params, body })
        })
    }

    // ------------------------------------------------------------ strings

    fn string(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let quote = match p.as_rule() {
            Rule::single_string => Quote::Single,
            Rule::double_string => Quote::Double,
            Rule::triple_single_string => Quote::TripleSingle,
            Rule::triple_double_string => Quote::TripleDouble,
            Rule::slashy_string => Quote::Slashy,
            Rule::dollar_slashy_string => Quote::DollarSlashy,
            _ => return Err(internal(&p, "not a string")),
        };
        let mut parts: Vec<GStringPart> = Vec::new();
        let mut text = String::new();
        let mut text_start: Option<u32> = None;
        let mut text_end = 0;
        let flush = |parts: &mut Vec<GStringPart>,
                     text: &mut String,
                     start: &mut Option<u32>,
                     end: u32| {
            if let Some(s) = start.take() {
                parts.push(GStringPart::Text(Spanned::new(
                    std::mem::take(text),
                    Span { start: s, end },
                )));
            }
        };
        for c in p.into_inner() {
            let csp = span(&c);
            match c.as_rule() {
                Rule::interpolation => {
                    flush(&mut parts, &mut text, &mut text_start, text_end);
                    parts.push(self.interpolation(c)?);
                    continue;
                }
                Rule::bad_escape => return Err(bad_escape(&c, quote)),
                Rule::bad_dollar => return Err(bad_dollar(csp)),
                Rule::escape => text.push_str(&decode_escape(c.as_str())),
                Rule::slashy_escape => text.push('/'),
                Rule::dollar_slashy_escape => text.push_str(&c.as_str()[1..]),
                _ => text.push_str(c.as_str()),
            }
            text_start.get_or_insert(csp.start);
            text_end = csp.end;
        }
        let has_interp = parts.iter().any(|p| !matches!(p, GStringPart::Text(_)));
        if !has_interp {
            return Ok(expr_of(ExprKind::Str(StrLit { value: text, quote }), sp));
        }
        flush(&mut parts, &mut text, &mut text_start, text_end);
        Ok(expr_of(ExprKind::GString(GString { parts, quote }), sp))
    }

    fn interpolation(&self, p: P<'_>) -> R<GStringPart> {
        let sp = span(&p);
        let inner = one(p)?;
        if inner.as_rule() == Rule::interpolation_body {
            let body_span = span(&inner);
            let closure = self.closure(inner)?;
            // `${expr}` is by far the common case; anything else (`${a; b}`, `${-> a}`) is a
            // closure that the GString calls, which gives Groovy's value: the last statement.
            return Ok(match (closure.params, closure.body.as_slice()) {
                (None, []) => GStringPart::Empty(sp),
                (None, [only]) if matches!(only.node, StmtKind::Expr(_)) => {
                    let StmtKind::Expr(expr) = closure.body.into_iter().next().map(|s| s.node).unwrap_or(StmtKind::Break(None)) else {
                        return Err(Box::new(Diagnostic::error("internal-error", "interpolation lost its expression", sp)));
                    };
                    GStringPart::Interp { expr, braces: true }
                }
                (params, _) => GStringPart::Interp {
                    expr: expr_of(
                        ExprKind::Closure(Closure {
                            params,
                            body: closure.body,
                        }),
                        body_span,
                    ),
                    braces: true,
                },
            });
        }
        // `$a.b.c`: a name and a chain of property reads, nothing else.
        let mut it = kids(inner.clone());
        let first = next(&mut it, &inner)?;
        let mut e = expr_of(ExprKind::Var(first.as_str().to_string()), span(&first));
        for w in it {
            let wsp = e.span.to(span(&w));
            e = expr_of(
                ExprKind::Property {
                    target: Box::new(e),
                    name: PropName::Name(ident(&w)),
                    nav: Nav::Dot,
                },
                wsp,
            );
        }
        Ok(GStringPart::Interp {
            expr: e,
            braces: false,
        })
    }
}

fn next<'i>(it: &mut impl Iterator<Item = P<'i>>, parent: &P<'i>) -> R<P<'i>> {
    it.next()
        .ok_or_else(|| internal(parent, "a required child is missing"))
}

/// The single meaningful child of a pair.
fn one(p: P<'_>) -> R<P<'_>> {
    let parent = p.clone();
    kids(p)
        .next()
        .ok_or_else(|| internal(&parent, "a required child is missing"))
}

fn nav_of(text: &str) -> Nav {
    match text {
        "?." => Nav::Safe,
        "*." => Nav::Spread,
        ".@" => Nav::Attribute,
        _ => Nav::Dot,
    }
}

fn prop_span(name: &PropName) -> Span {
    match name {
        PropName::Name(n) => n.span,
        PropName::Quoted(e) | PropName::Dynamic(e) => e.span,
    }
}

/// Applies call arguments to an expression: `name(…)` and `recv.name(…)` become method calls,
/// anything else is a call of the value.
fn call_on(callee: Expr, args: Args, sp: Span) -> Expr {
    match callee.node {
        ExprKind::Var(name) => expr_of(
            ExprKind::MethodCall {
                receiver: None,
                nav: Nav::Dot,
                name: PropName::Name(Spanned::new(name, callee.span)),
                args,
            },
            sp,
        ),
        ExprKind::Property { target, name, nav } if nav != Nav::Attribute => expr_of(
            ExprKind::MethodCall {
                receiver: Some(target),
                nav,
                name,
                args,
            },
            sp,
        ),
        node => expr_of(
            ExprKind::Call {
                callee: Box::new(Spanned::new(node, callee.span)),
                args,
            },
            sp,
        ),
    }
}

fn assign_op(text: &str) -> Option<AssignOp> {
    Some(match text {
        "=" => AssignOp::Assign,
        "+=" => AssignOp::Add,
        "-=" => AssignOp::Sub,
        "*=" => AssignOp::Mul,
        "/=" => AssignOp::Div,
        "%=" => AssignOp::Mod,
        "**=" => AssignOp::Power,
        "<<=" => AssignOp::Shl,
        ">>=" => AssignOp::Shr,
        ">>>=" => AssignOp::UShr,
        "&=" => AssignOp::BitAnd,
        "^=" => AssignOp::BitXor,
        "|=" => AssignOp::BitOr,
        _ => return None,
    })
}

/// Groovy accepts assignment only to names, properties and indexes.
fn check_target(target: &Expr) -> R<()> {
    match &target.node {
        ExprKind::Var(_) | ExprKind::Property { .. } | ExprKind::Index { .. } => Ok(()),
        ExprKind::Paren(inner) => check_target(inner),
        _ => Err(Box::new(
            Diagnostic::error(
                "invalid-assignment-target",
                "invalid left-hand side of an assignment",
                target.span,
            )
            .with_label("this cannot be assigned to")
            .with_help("only a variable, a property (`a.b`) or an index (`a[i]`) can be assigned"),
        )),
    }
}

fn number(p: P<'_>) -> R<Expr> {
    let sp = span(&p);
    let raw = p.as_str();
    let inner = one(p)?;
    let mut digits = String::new();
    let mut suffix = None;
    let mut decimal = false;
    let radix = match inner.as_rule() {
        Rule::hex_number => 16,
        Rule::binary_number => 2,
        _ => 10,
    };
    for c in inner.into_inner() {
        match c.as_rule() {
            Rule::fraction | Rule::exponent => {
                decimal = true;
                digits.extend(c.as_str().chars().filter(|&ch| ch != '_'));
            }
            Rule::int_suffix | Rule::number_suffix => {
                let s = c.as_str().chars().next().map(|ch| ch.to_ascii_uppercase());
                if matches!(s, Some('D' | 'F')) {
                    decimal = true;
                }
                suffix = s;
            }
            _ => digits.extend(c.as_str().chars().filter(|&ch| ch != '_')),
        }
    }
    if misplaced_underscore(raw) {
        return Err(Box::new(
            Diagnostic::error("invalid-number", "a number cannot end with `_`", sp)
                .with_label("digits must follow `_`")
                .with_help("underscores may only separate digits, as in `1_000`"),
        ));
    }
    let lit = NumberLit {
        digits,
        radix,
        suffix,
    };
    Ok(expr_of(
        if decimal {
            ExprKind::Decimal(lit)
        } else {
            ExprKind::Int(lit)
        },
        sp,
    ))
}

fn decode_escape(text: &str) -> String {
    let body = &text[1..];
    match body {
        "b" => "\u{8}".to_string(),
        "t" => "\t".to_string(),
        "n" => "\n".to_string(),
        "f" => "\u{c}".to_string(),
        "r" => "\r".to_string(),
        "\\" | "'" | "\"" | "$" => body.to_string(),
        "\n" | "\r\n" | "\r" => String::new(),
        _ if body.starts_with('u') => u32::from_str_radix(&body[1..], 16)
            .ok()
            .and_then(char::from_u32)
            .map_or_else(|| "\u{fffd}".to_string(), String::from),
        _ => u32::from_str_radix(body, 8)
            .ok()
            .and_then(char::from_u32)
            .map_or_else(|| "\u{fffd}".to_string(), String::from),
    }
}

#[cold]
fn bad_escape(p: &P<'_>, quote: Quote) -> Box<Diagnostic> {
    let text = p.as_str();
    let help = if matches!(quote, Quote::Single | Quote::TripleSingle) {
        "valid escapes are \\b \\t \\n \\f \\r \\\\ \\' \\\" \\$ \\uXXXX and octal \\0-\\377; write `\\\\` for a literal backslash, or use a slashy string /…/ for a regular expression"
    } else {
        "valid escapes are \\b \\t \\n \\f \\r \\\\ \\' \\\" \\$ \\uXXXX and octal \\0-\\377; write `\\\\` for a literal backslash"
    };
    let what = if text.len() <= 1 {
        "a backslash at the end of the input".to_string()
    } else if text.starts_with("\\u") {
        "`\\u` must be followed by four hexadecimal digits".to_string()
    } else {
        format!("invalid escape sequence `{text}`")
    };
    Box::new(
        Diagnostic::error("invalid-escape", what, span(p))
            .with_label("not a valid escape")
            .with_help(help),
    )
}

#[cold]
fn bad_dollar(at: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "illegal-dollar",
            "illegal string body character after dollar sign",
            at,
        )
        .with_label("`$` must start a name or `${…}`")
        .with_help(r#"escape a literal dollar sign ("\$5") or bracket the value expression ("${5}")"#),
    )
}

#[cold]
fn ambiguous_block(at: Span, after_command: bool) -> Box<Diagnostic> {
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

/// Groovy rejects a call that names the same parameter twice.
fn check_duplicate_names(args: &Args) -> R<()> {
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for arg in &args.items {
        let Arg::Named(entry) = arg else { continue };
        let (name, at) = match &entry.key {
            MapKey::Name(n) => (n.node.as_str(), n.span),
            MapKey::Expr(e) => match &e.node {
                ExprKind::Str(s) => (s.value.as_str(), e.span),
                _ => continue,
            },
            MapKey::Spread(_) => continue,
        };
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            return Err(Box::new(
                Diagnostic::error(
                    "duplicate-named-argument",
                    format!("duplicate named parameter `{name}` found"),
                    at,
                )
                .with_label("named again here")
                .with_secondary(*first, "first given here")
                .with_help("Groovy collects named arguments into one map, so each name can appear only once"),
            ));
        }
        seen.push((name, at));
    }
    Ok(())
}

/// Groovy's lexer wants a digit after every `_` in a number (`1_000`, not `1_`).
fn misplaced_underscore(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'_' && !bytes.get(i + 1).is_some_and(|n| n.is_ascii_hexdigit() || *n == b'_')
    })
}
