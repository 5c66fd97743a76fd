//! The message of a failed `assert cond : message`, as Groovy 2.4 writes it:
//! `message. Expression: (x > 5). Values: x = 3`. The expression is the AST's `getText()`,
//! not the source: binary operations in parentheses, strings without quotes, an implicit
//! receiver as `this.`, closures as `{ -> ... }`. The values are those of the variables met
//! by descending through binary operations only (`AssertionWriter.addVariableNames`).

use crate::syntax::ast::{Arg, Args, Expr, ExprKind, GStringPart, MapKey, Nav, PropName, UnaryOp};

use super::classes::qualified;

/// `expr.getText()`, or `None` for a form this does not render (the caller then shows the
/// source text).
#[must_use]
pub fn text(e: &Expr) -> Option<String> {
    Some(match &e.node {
        ExprKind::Null => "null".into(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Int(n) | ExprKind::Decimal(n) if n.radix == 10 => n.digits.clone(),
        ExprKind::Str(s) => s.value.clone(),
        ExprKind::GString(g) => {
            let mut out = String::new();
            for part in &g.parts {
                match part {
                    GStringPart::Text(t) => out.push_str(&t.node),
                    GStringPart::Interp { expr, .. } => {
                        out.push('$');
                        out.push_str(&text(expr)?);
                    }
                    GStringPart::Empty(_) => return None,
                }
            }
            out
        }
        ExprKind::List(items) => format!("[{}]", texts(items)?.join(", ")),
        ExprKind::Map(entries) if entries.is_empty() => "[:]".into(),
        ExprKind::Map(entries) => {
            let mut parts = Vec::with_capacity(entries.len());
            for entry in entries {
                let key = match &entry.key {
                    MapKey::Name(n) => n.node.clone(),
                    MapKey::Expr(k) => text(k)?,
                    MapKey::Spread(_) => return None,
                };
                parts.push(format!("{key}:{}", text(&entry.value)?));
            }
            format!("[{}]", parts.join(", "))
        }
        ExprKind::Range {
            from,
            to,
            exclusive,
        } => format!(
            "({}{}{})",
            text(from)?,
            if *exclusive { "..<" } else { ".." },
            text(to)?
        ),
        ExprKind::Var(name) => name.clone(),
        ExprKind::This => "this".into(),
        ExprKind::Property { target, name, nav } => {
            format!("{}{}{}", text(target)?, nav_text(*nav), prop(name)?)
        }
        ExprKind::Index {
            target,
            index,
            safe,
        } => match index.as_slice() {
            [i] => format!(
                "{}{}[{}]",
                text(target)?,
                if *safe { "?" } else { "" },
                text(i)?
            ),
            _ => return None,
        },
        ExprKind::MethodCall {
            receiver,
            nav,
            name,
            args,
        } => {
            let recv = match receiver {
                Some(r) => text(r)?,
                None => "this".into(),
            };
            format!(
                "{recv}{}{}{}",
                nav_text(*nav),
                prop(name)?,
                args_text(args)?
            )
        }
        ExprKind::Closure(c) => match &c.params {
            Some(params) if !params.is_empty() => {
                let params: Vec<String> = params
                    .iter()
                    .map(|p| {
                        let ty = p
                            .ty
                            .as_ref()
                            .map_or_else(|| "java.lang.Object".to_string(), |t| qualified(&t.name));
                        format!("{ty} {}", p.name.node)
                    })
                    .collect();
                format!("{{ {} -> ... }}", params.join(", "))
            }
            _ => "{ -> ... }".into(),
        },
        // Groovy's `NotExpression` and unary minus/plus show only their operand.
        ExprKind::Unary {
            op: UnaryOp::Not | UnaryOp::Neg | UnaryOp::Plus,
            operand,
        } => text(operand)?,
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", text(lhs)?, op.symbol(), text(rhs)?)
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => format!("({}) ? {} : {}", text(cond)?, text(then)?, text(otherwise)?),
        ExprKind::Elvis { value, fallback } => {
            let v = text(value)?;
            format!("({v}) ? {v} : {}", text(fallback)?)
        }
        ExprKind::InstanceOf { operand, ty } if ty.array_dims == 0 => {
            format!("({} instanceof {})", text(operand)?, qualified(&ty.name))
        }
        ExprKind::Cast { ty, operand } if ty.array_dims == 0 => {
            format!("({}) {}", qualified(&ty.name), text(operand)?)
        }
        ExprKind::As { operand, ty } if ty.array_dims == 0 => {
            let t = qualified(&ty.name);
            format!("({t} -> {t}) {}", text(operand)?)
        }
        ExprKind::New {
            ty,
            args,
            array: None,
        } => format!("new {}{}", qualified(&ty.name), args_text(args)?),
        ExprKind::Paren(inner) => text(inner)?,
        _ => return None,
    })
}

/// The variables whose values the message lists, in order, repeats included.
pub fn value_names(e: &Expr, out: &mut Vec<String>) {
    match &e.node {
        ExprKind::Var(name) => out.push(name.clone()),
        ExprKind::Binary { lhs, rhs, .. } => {
            value_names(lhs, out);
            value_names(rhs, out);
        }
        ExprKind::Index { target, index, .. } => {
            value_names(target, out);
            for i in index {
                value_names(i, out);
            }
        }
        // `instanceof` is a binary expression in Groovy's tree.
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        }
        | ExprKind::Paren(operand)
        | ExprKind::InstanceOf { operand, .. } => value_names(operand, out),
        _ => {}
    }
}

fn texts(items: &[Expr]) -> Option<Vec<String>> {
    items.iter().map(text).collect()
}

fn nav_text(nav: Nav) -> &'static str {
    match nav {
        Nav::Dot => ".",
        Nav::Safe => "?.",
        Nav::Spread => "*.",
        Nav::Attribute => ".@",
    }
}

fn prop(name: &PropName) -> Option<String> {
    match name {
        PropName::Name(n) => Some(n.node.clone()),
        PropName::Quoted(_) | PropName::Dynamic(_) => None,
    }
}

/// `(a, b)`; named arguments come first as one map, trailing closures last.
fn args_text(args: &Args) -> Option<String> {
    let mut parts = Vec::new();
    let mut named = Vec::new();
    for arg in &args.items {
        match arg {
            Arg::Named(entry) => {
                let key = match &entry.key {
                    MapKey::Name(n) => n.node.clone(),
                    MapKey::Expr(k) => text(k)?,
                    MapKey::Spread(_) => return None,
                };
                named.push(format!("{key}:{}", text(&entry.value)?));
            }
            Arg::Positional(e) => parts.push(text(e)?),
            Arg::Spread(_) => return None,
        }
    }
    if !named.is_empty() {
        parts.insert(0, format!("[{}]", named.join(", ")));
    }
    parts.extend(texts(&args.closures)?);
    Some(format!("({})", parts.join(", ")))
}
