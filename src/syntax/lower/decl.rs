//! Lowering declarations: annotations, methods, parameters, variables, classes and types.

use super::{Lower, P, R, expr_of, ident, internal, kids, next, one, span};
use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};
use crate::syntax::ast::{
    Annotation, AnnotationArg, ClassDef, ClassKind, DeclTargets, Declarator, Expr, ExprKind, Ident,
    Member, MethodDef, Nav, Param, PropName, Type, VarDecl,
};
use crate::syntax::parser::Rule;

impl Lower {
    // ------------------------------------------------------------ declarations

    pub(super) fn annotations(&self, p: P<'_>) -> R<Vec<Annotation>> {
        kids(p).map(|a| self.annotation(a)).collect()
    }

    pub(super) fn annotation(&self, p: P<'_>) -> R<Annotation> {
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

    pub(super) fn modifiers(p: P<'_>) -> Vec<Ident> {
        kids(p).map(|m| ident(&m)).collect()
    }

    pub(super) fn method_def(&self, p: P<'_>) -> R<MethodDef> {
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

    pub(super) fn method_name(&self, p: P<'_>) -> R<Ident> {
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

    pub(super) fn params(&self, p: P<'_>) -> R<Vec<Param>> {
        kids(p).map(|c| self.param(c)).collect()
    }

    /// A closure parameter's default: a literal, or a dotted name read as property accesses.
    fn simple_default(&self, p: P<'_>) -> R<Expr> {
        let inner = one(p)?;
        if inner.as_rule() != Rule::qualified_name {
            return self.atom(inner);
        }
        let base = inner.as_span().start();
        let mut offset = base;
        let mut cur: Option<Expr> = None;
        for part in inner.as_str().split('.') {
            let part_span = Span::new(offset, offset + part.len());
            offset += part.len() + 1;
            cur = Some(match cur {
                None => expr_of(ExprKind::Var(part.to_string()), part_span),
                Some(target) => {
                    let sp = target.span.to(part_span);
                    expr_of(
                        ExprKind::Property {
                            target: Box::new(target),
                            name: PropName::Name(Spanned::new(part.to_string(), part_span)),
                            nav: Nav::Dot,
                        },
                        sp,
                    )
                }
            });
        }
        cur.ok_or_else(|| internal(&inner, "empty default"))
    }

    pub(super) fn param(&self, p: P<'_>) -> R<Param> {
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
                Rule::simple_default => param.default = Some(self.simple_default(c)?),
                _ => return Err(internal(&c, "unexpected child of a parameter")),
            }
        }
        Ok(param)
    }

    pub(super) fn var_decl(&self, p: P<'_>) -> R<VarDecl> {
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

    pub(super) fn tuple_decl(&self, p: P<'_>) -> R<VarDecl> {
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

    pub(super) fn class_def(&self, p: P<'_>) -> R<ClassDef> {
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

    pub(super) fn class_body(&self, p: P<'_>, def: &mut ClassDef) -> R<()> {
        for c in kids(p) {
            if c.as_rule() == Rule::enum_constants {
                def.constants = kids(c).map(|k| ident(&k)).collect();
                continue;
            }
            let member = one(c)?;
            let sp = span(&member);
            let m = self.nested(sp, 1, |this| {
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

    pub(super) fn ty(&self, p: P<'_>) -> R<Type> {
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

    pub(super) fn generics(&self, p: P<'_>) -> R<Vec<Type>> {
        let sp = span(&p);
        self.nested(sp, 1, |this| this.generics_here(p))
    }

    fn generics_here(&self, p: P<'_>) -> R<Vec<Type>> {
        let mut out = Vec::new();
        for arg in kids(p) {
            let sp = span(&arg);
            let mut bound_kind = None;
            let mut inner = None;
            for k in kids(arg) {
                match k.as_rule() {
                    Rule::wildcard_bound => bound_kind = Some(k.as_str().trim().to_string()),
                    Rule::any_type => inner = Some(self.ty(k)?),
                    _ => return Err(internal(&k, "unexpected type argument")),
                }
            }
            match (bound_kind, inner) {
                (None, Some(t)) => out.push(t),
                // A wildcard: `?`, `? extends T` or `? super T`, with the bound as its argument.
                (kind, bound) => out.push(Type {
                    name: kind.map_or_else(|| "?".to_string(), |k| format!("? {k}")),
                    generics: bound.into_iter().collect(),
                    array_dims: 0,
                    span: sp,
                }),
            }
        }
        Ok(out)
    }
}
