//! Lowering expressions: operators through a Pratt parser, calls, command expressions, member
//! access, literals of lists and maps, and closures.

use std::sync::LazyLock;

use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::literal::number;
use super::stmt::ambiguous_block;
use super::{
    Lower, P, R, expr_of, ident, internal, kids, nav_of, next, one, prop_span, span, too_deep,
};
use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};
use crate::syntax::MAX_NESTING;
use crate::syntax::ast::{
    Arg, Args, AssignOp, BinaryOp, Closure, Expr, ExprKind, MapEntry, MapKey, Nav, PropName, Type,
    UnaryOp,
};
use crate::syntax::parser::Rule;

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

impl Lower {
    // ------------------------------------------------------------ expressions

    /// An `expression` or a `command_expression`.
    pub(super) fn any_expr(&self, p: P<'_>) -> R<Expr> {
        match p.as_rule() {
            Rule::expression => self.expr(p),
            Rule::command_expression => self.command(p),
            _ => Err(internal(&p, "expected an expression")),
        }
    }

    pub(super) fn opt_expr(&self, p: P<'_>) -> R<Option<Expr>> {
        kids(p).next().map(|e| self.any_expr(e)).transpose()
    }

    pub(super) fn expr(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let items: Vec<P<'_>> = kids(p).collect();
        // Operators nest the tree one level each; bound them before the Pratt parser recurses.
        let operators = items
            .iter()
            .filter(|c| {
                !matches!(
                    c.as_rule(),
                    Rule::postfix_expression | Rule::command_expression
                )
            })
            .count();
        self.nested(sp, operators, |this| {
            PRATT
                .map_primary(|primary| {
                    if primary.as_rule() == Rule::command_expression {
                        this.command(primary)
                    } else {
                        this.postfix(primary)
                    }
                })
                .map_prefix(|op, operand| this.prefix(&op, operand?))
                .map_postfix(|operand, op| this.postfix_op(operand?, op))
                .map_infix(|lhs, op, rhs| this.infix(lhs?, op, rhs?))
                .parse(items.into_iter())
        })
    }

    pub(super) fn prefix(&self, op: &P<'_>, operand: Expr) -> R<Expr> {
        let sp = span(op).to(operand.span);
        let unary = match op.as_rule() {
            Rule::negate => Some(UnaryOp::Neg),
            Rule::unary_plus => Some(UnaryOp::Plus),
            Rule::not => Some(UnaryOp::Not),
            Rule::bit_not => Some(UnaryOp::BitNot),
            Rule::pre_inc => Some(UnaryOp::PreInc),
            Rule::pre_dec => Some(UnaryOp::PreDec),
            _ => None,
        };
        if let Some(uop) = unary {
            return Ok(expr_of(
                ExprKind::Unary {
                    op: uop,
                    operand: Box::new(operand),
                },
                sp,
            ));
        }
        match op.as_rule() {
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

    pub(super) fn postfix_op(&self, operand: Expr, op: P<'_>) -> R<Expr> {
        let sp = operand.span.to(span(&op));
        if matches!(op.as_rule(), Rule::as_type | Rule::instanceof_type) {
            check_relational_chain(&operand, span(&op))?;
        }
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

    pub(super) fn infix(&self, lhs: Expr, op: P<'_>, rhs: Expr) -> R<Expr> {
        let sp = lhs.span.to(rhs.span);
        if let Some(bop) = binary_op(op.as_rule()) {
            if is_relational_op(bop) {
                check_relational_chain(&lhs, span(&op))?;
            }
            return Ok(expr_of(
                ExprKind::Binary {
                    op: bop,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                sp,
            ));
        }
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
            _ => return Err(internal(&op, "unknown infix operator")),
        };
        Ok(expr_of(node, sp))
    }

    /// `name arg, key: value` (a call without parentheses).
    pub(super) fn command(&self, p: P<'_>) -> R<Expr> {
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
        let chains: Vec<P<'_>> = it.collect();
        if chains.len() > MAX_NESTING {
            return Err(too_deep(sp));
        }
        let mut cur = self.command_head(head, args, sp)?;
        for chain in chains {
            cur = self.command_chain(cur, chain)?;
        }
        Ok(cur)
    }

    /// One link of a command chain: `a b c d` is `a(b).c(d)`, and `a b c` is `a(b).c`.
    pub(super) fn command_chain(&self, cur: Expr, chain: P<'_>) -> R<Expr> {
        let sp = cur.span.to(span(&chain));
        let mut it = kids(chain.clone());
        let name_pair = next(&mut it, &chain)?;
        let name = if name_pair.as_rule() == Rule::identifier {
            PropName::Name(ident(&name_pair))
        } else {
            PropName::Quoted(Box::new(self.string(name_pair)?))
        };
        let rest: Vec<P<'_>> = it.collect();
        if rest.is_empty() {
            return Ok(expr_of(
                ExprKind::Property {
                    target: Box::new(cur),
                    name,
                    nav: Nav::Dot,
                },
                sp,
            ));
        }
        let mut args = Args {
            parens: false,
            span: span(&rest[0]),
            ..Args::default()
        };
        for part in rest {
            let psp = span(&part);
            match part.as_rule() {
                Rule::command_arguments => {
                    let saved = self.in_command_args.replace(true);
                    let items: R<Vec<Arg>> = kids(part).map(|a| self.argument(a)).collect();
                    self.in_command_args.set(saved);
                    args.items = items?;
                }
                Rule::call_arguments => {
                    args = self.call_args(part)?;
                }
                Rule::closure => {
                    let closure = self.closure(part)?;
                    args.closures.push(expr_of(ExprKind::Closure(closure), psp));
                }
                _ => return Err(internal(&part, "unexpected part of a command chain")),
            }
            args.span = args.span.to(psp);
        }
        check_duplicate_names(&args)?;
        Ok(expr_of(
            ExprKind::MethodCall {
                receiver: Some(Box::new(cur)),
                nav: Nav::Dot,
                name,
                args,
            },
            sp,
        ))
    }

    /// The first call of a command expression: a name path and its arguments.
    fn command_head(&self, head: P<'_>, args: Args, sp: Span) -> R<Expr> {
        let sp = sp.to(args.span).to(span(&head));
        let sp = Span::new(sp.start as usize, args.span.end as usize);
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

    pub(super) fn argument(&self, p: P<'_>) -> R<Arg> {
        Ok(match p.as_rule() {
            Rule::spread_map_argument => {
                let sp = span(&p);
                Arg::Named(MapEntry {
                    key: MapKey::Spread(sp),
                    value: self.expr(one(p)?)?,
                })
            }
            Rule::spread_argument => Arg::Spread(self.expr(one(p)?)?),
            Rule::named_argument => {
                let mut it = kids(p.clone());
                let first = next(&mut it, &p)?;
                match it.next() {
                    Some(value) => Arg::Named(MapEntry {
                        key: self.map_key(first)?,
                        value: self.expr(value)?,
                    }),
                    None => Arg::Positional(self.expr(first)?),
                }
            }
            _ => Arg::Positional(self.expr(p)?),
        })
    }

    /// The key of `key: value`: a bare word becomes a name; strings, numbers and `(expr)`
    /// stay expressions; anything else is not a key in Groovy.
    fn map_key(&self, p: P<'_>) -> R<MapKey> {
        if p.as_rule() == Rule::keyword_key {
            return Ok(MapKey::Name(ident(&p)));
        }
        let key = self.expr(p)?;
        match key.node {
            ExprKind::Var(name) => Ok(MapKey::Name(Spanned::new(name, key.span))),
            ExprKind::Str(_)
            | ExprKind::GString(_)
            | ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Paren(_) => Ok(MapKey::Expr(key)),
            _ => Err(Box::new(
                Diagnostic::error(
                    "invalid-map-key",
                    "this cannot be a map key or argument name",
                    key.span,
                )
                .with_label("not a name, string, number or `(expression)`")
                .with_help(
                    "quote the key (`'a.b': value`) or compute it in parentheses (`(a.b): value`)",
                ),
            )),
        }
    }

    /// The items of `[…]`: all plain items make a list, all `key: value` entries a map.
    fn list_or_map(&self, p: P<'_>) -> R<ExprKind> {
        let mut items = Vec::new();
        let mut entries = Vec::new();
        for c in kids(p) {
            let csp = span(&c);
            match self.argument(c)? {
                Arg::Named(entry) => entries.push((entry, csp)),
                Arg::Positional(e) => items.push(e),
                Arg::Spread(e) => items.push(expr_of(ExprKind::Spread(Box::new(e)), csp)),
            }
        }
        match (items.first(), entries.first()) {
            (Some(item), Some((_, entry_span))) => Err(Box::new(
                Diagnostic::error(
                    "mixed-list-and-map",
                    "a list literal cannot also hold map entries",
                    *entry_span,
                )
                .with_label("a `key: value` entry")
                .with_secondary(item.span, "a list item")
                .with_help("use `[a, b]` for a list or `[k: v]` for a map"),
            )),
            (_, Some(_)) => Ok(ExprKind::Map(entries.into_iter().map(|(e, _)| e).collect())),
            _ => Ok(ExprKind::List(items)),
        }
    }

    pub(super) fn member_name(&self, p: P<'_>) -> R<PropName> {
        let inner = one(p)?;
        Ok(match inner.as_rule() {
            Rule::word => PropName::Name(ident(&inner)),
            Rule::expression => PropName::Dynamic(Box::new(self.expr(inner)?)),
            _ => PropName::Quoted(Box::new(self.string(inner)?)),
        })
    }

    /// A primary with its member accesses, calls, indexes and appended closures.
    pub(super) fn postfix(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let mut it = kids(p.clone());
        let primary = next(&mut it, &p)?;
        let suffixes: Vec<P<'_>> = it.collect();
        // An appended closure joins the call's arguments and counts as a level by itself.
        let levels = suffixes
            .iter()
            .filter(|s| s.as_rule() != Rule::closure_argument)
            .count();
        self.nested(sp, levels, |this| {
            let mut cur = this.atom(primary)?;
            for s in suffixes {
                cur = this.suffix(cur, s)?;
            }
            Ok(cur)
        })
    }

    pub(super) fn suffix(&self, cur: Expr, s: P<'_>) -> R<Expr> {
        let sp = cur.span.to(span(&s));
        Ok(match s.as_rule() {
            Rule::member => {
                let mut it = kids(s.clone());
                let nav_pair = next(&mut it, &s)?;
                let name_pair = next(&mut it, &s)?;
                if nav_pair.as_str() == ".&" {
                    let name = match self.member_name(name_pair.clone())? {
                        PropName::Name(n) => n,
                        PropName::Quoted(e) => match e.node {
                            ExprKind::Str(s) => Spanned::new(s.value, e.span),
                            _ => ident(&name_pair),
                        },
                        PropName::Dynamic(_) => ident(&name_pair),
                    };
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
                if matches!(cur.node, ExprKind::New { .. }) {
                    return Err(Box::new(
                        Diagnostic::error(
                            "unsupported-syntax",
                            "anonymous inner classes are not supported",
                            closure_span,
                        )
                        .with_label("the body of an anonymous class")
                        .with_help("define a named class at the top level of the file and instantiate it instead"),
                    ));
                }
                if self.in_command_args.get()
                    && s.as_str().starts_with(['\n', '\r', ' ', '\t', '/'])
                {
                    let text = s.as_str();
                    let brace = text.find('{').unwrap_or(0);
                    if text[..brace].contains(['\n', '\r']) {
                        let at = Span::new(
                            closure_span.start as usize + brace,
                            closure_span.start as usize + brace + 1,
                        );
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

    pub(super) fn call_args(&self, p: P<'_>) -> R<Args> {
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
    pub(super) fn atom(&self, p: P<'_>) -> R<Expr> {
        let sp = span(&p);
        let node = match p.as_rule() {
            Rule::number => return number(p),
            Rule::annotation => ExprKind::Annotation(Box::new(self.annotation(p)?)),
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
            Rule::parenthesized => self.nested(sp, 1, |this| {
                Ok(ExprKind::Paren(Box::new(this.expr(one(p)?)?)))
            })?,
            Rule::empty_map => ExprKind::Map(Vec::new()),
            Rule::list_literal => self.nested(sp, 1, |this| this.list_or_map(p))?,
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

    pub(super) fn closure(&self, p: P<'_>) -> R<Closure> {
        let sp = span(&p);
        let saved = self.in_command_args.replace(false);
        let result = self.closure_inner(p, sp);
        self.in_command_args.set(saved);
        result
    }

    pub(super) fn closure_inner(&self, p: P<'_>, sp: Span) -> R<Closure> {
        self.nested(sp, 1, |this| {
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
}

/// Applies call arguments to an expression: `name(…)` and `recv.name(…)` become method calls,
/// anything else is a call of the value.
pub(super) fn call_on(callee: Expr, args: Args, sp: Span) -> Expr {
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

pub(super) fn assign_op(text: &str) -> Option<AssignOp> {
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
pub(super) fn check_target(target: &Expr) -> R<()> {
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

/// Groovy rejects a call that names the same parameter twice.
pub(super) fn check_duplicate_names(args: &Args) -> R<()> {
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

fn binary_op(rule: Rule) -> Option<BinaryOp> {
    Some(match rule {
        Rule::or => BinaryOp::Or,
        Rule::and => BinaryOp::And,
        Rule::bit_or => BinaryOp::BitOr,
        Rule::bit_xor => BinaryOp::BitXor,
        Rule::bit_and => BinaryOp::BitAnd,
        Rule::regex_find => BinaryOp::Find,
        Rule::regex_match => BinaryOp::Match,
        Rule::eq => BinaryOp::Eq,
        Rule::ne => BinaryOp::Ne,
        Rule::compare => BinaryOp::Cmp,
        Rule::lt => BinaryOp::Lt,
        Rule::le => BinaryOp::Le,
        Rule::gt => BinaryOp::Gt,
        Rule::ge => BinaryOp::Ge,
        Rule::kw_in_op => BinaryOp::In,
        Rule::shl => BinaryOp::Shl,
        Rule::shr => BinaryOp::Shr,
        Rule::ushr => BinaryOp::UShr,
        Rule::add => BinaryOp::Add,
        Rule::sub => BinaryOp::Sub,
        Rule::mul => BinaryOp::Mul,
        Rule::div => BinaryOp::Div,
        Rule::rem => BinaryOp::Mod,
        Rule::power => BinaryOp::Power,
        _ => return None,
    })
}

fn is_relational_op(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge | BinaryOp::In
    )
}

/// Groovy 2.4's grammar allows one relational operator (`<`, `in`, `as`, `instanceof`, …) per
/// operand: `a < b < c` and `x as A as B` are syntax errors there, so they are here.
fn check_relational_chain(lhs: &Expr, op_span: Span) -> R<()> {
    let chained = match &lhs.node {
        ExprKind::Binary { op, .. } => is_relational_op(*op),
        ExprKind::As { .. } | ExprKind::InstanceOf { .. } => true,
        _ => false,
    };
    if chained {
        return Err(Box::new(
            Diagnostic::error(
                "chained-comparison",
                "relational operators cannot be chained",
                op_span,
            )
            .with_label("a second relational operator on the same operand")
            .with_secondary(lhs.span, "already a comparison")
            .with_help("add parentheses, or combine the comparisons with `&&`"),
        ));
    }
    Ok(())
}
