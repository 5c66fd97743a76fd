//! Expressions. Leaves (literals, variable reads) are answered without a future; every other
//! node goes through one boxed future because it may contain a call that waits.

use std::rc::Rc;

use indexmap::IndexMap;

use super::cast::cast;
use super::classes;
use super::closure::{Closure, ClosureKind};
use super::flow::{Flow, R};
use super::gstring::{LazyGString, Part, deferred};
use super::host::LocalBoxFuture;
use super::interp::Interp;
use super::literal;
use super::object::Object;
use super::ops::{binary, step, unary};
use super::scope::{Cx, This};
use super::text::to_string;
use super::value::{Key, Range, Value};
use crate::source::Span;
use crate::syntax::ast::{
    AssignOp, BinaryOp, Expr, ExprKind, GStringPart, MapKey, Nav, PropName, UnaryOp,
};

impl Interp {
    /// Evaluates an expression.
    pub async fn eval(&self, e: &Expr, cx: &Cx) -> R<Value> {
        if let Some(v) = self.leaf(e, cx) {
            return v;
        }
        self.eval_node(e, cx).await
    }

    /// The synchronous fast path: `None` when the node needs the evaluator proper.
    fn leaf(&self, e: &Expr, cx: &Cx) -> Option<R<Value>> {
        Some(match &e.node {
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Int(n) => literal::integer(n, e.span),
            ExprKind::Decimal(n) => literal::decimal(n, e.span),
            ExprKind::Str(s) => Ok(Value::str(&s.value)),
            ExprKind::Var(name) => self.lookup(name, e.span, cx),
            ExprKind::This => Ok(match &cx.this {
                This::Script => super::pipeline::load::this_value(self),
                This::Object(o) => Value::Object(o.clone()),
                This::Static(class) => Value::Class(Rc::from(class.name.as_str())),
            }),
            _ => return None,
        })
    }

    #[allow(clippy::many_single_char_names)]
    fn eval_node<'a>(&'a self, e: &'a Expr, cx: &'a Cx) -> LocalBoxFuture<'a, R<Value>> {
        Box::pin(async move {
            let span = e.span;
            match &e.node {
                ExprKind::GString(g) => {
                    let mut out = String::new();
                    let mut unknown = false;
                    // Set once a part must be rendered at each use (`gstring.rs`).
                    let mut parts: Option<Vec<Part>> = None;
                    for part in &g.parts {
                        match part {
                            GStringPart::Text(t) => out.push_str(&t.node),
                            GStringPart::Interp { expr, .. } => {
                                let v = self.eval(expr, cx).await?;
                                unknown |= matches!(v, Value::Unknown(_));
                                if let Some(later) = deferred(&v) {
                                    let parts = parts.get_or_insert_with(Vec::new);
                                    if !out.is_empty() {
                                        parts.push(Part::Text(Rc::from(std::mem::take(&mut out))));
                                    }
                                    parts.push(later);
                                } else {
                                    out.push_str(&self.display(&v, expr.span, cx).await?);
                                }
                            }
                            GStringPart::Empty(_) => out.push_str("null"),
                        }
                    }
                    if let Some(mut parts) = parts {
                        if !out.is_empty() {
                            parts.push(Part::Text(Rc::from(out)));
                        }
                        let lazy = Rc::new(LazyGString::new(parts));
                        if lazy.calls() {
                            self.lazy_calls.set(true);
                        }
                        if unknown {
                            return Ok(Value::unknown(
                                self.render_gstring(&lazy, span, cx).await?.to_string(),
                            ));
                        }
                        return Ok(Value::LazyGStr(lazy));
                    }
                    Ok(if unknown {
                        Value::unknown(out)
                    } else {
                        Value::GStr(Rc::from(out))
                    })
                }
                ExprKind::List(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        if let ExprKind::Spread(inner) = &item.node {
                            let v = self.eval(inner, cx).await?;
                            out.extend(super::gdk::iter_items(&v).map_err(|f| f.at(inner.span))?);
                        } else {
                            out.push(self.eval(item, cx).await?);
                        }
                    }
                    Ok(Value::list(out))
                }
                ExprKind::Map(entries) => {
                    let mut out = IndexMap::with_capacity(entries.len());
                    for entry in entries {
                        let value = self.eval(&entry.value, cx).await?;
                        match &entry.key {
                            MapKey::Name(n) => {
                                out.insert(Key::str(&n.node), value);
                            }
                            MapKey::Expr(k) => {
                                // A lazy GString stays lazy as a key, as in Groovy: printing
                                // the map renders it again.
                                let key = self.eval(k, cx).await?;
                                out.insert(Key(key), value);
                            }
                            MapKey::Spread(_) => match value {
                                Value::Map(m) => {
                                    out.extend(
                                        m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())),
                                    );
                                }
                                Value::Null => {}
                                other => {
                                    return Err(Flow::fatal(
                                        format!(
                                            "cannot spread a {} into a map",
                                            other.class_name()
                                        ),
                                        entry.value.span,
                                    ));
                                }
                            },
                        }
                    }
                    Ok(Value::map(out))
                }
                ExprKind::Range {
                    from,
                    to,
                    exclusive,
                } => {
                    let a = self.eval(from, cx).await?;
                    let b = self.eval(to, cx).await?;
                    if let (Some(x), Some(y)) = (a.as_str(), b.as_str())
                        && x.chars().count() == 1
                        && y.chars().count() == 1
                    {
                        let (x, y) = (
                            x.chars().next().unwrap_or('a'),
                            y.chars().next().unwrap_or('a'),
                        );
                        return Ok(Value::Range(Rc::new(Range::of_chars(x, y, *exclusive))));
                    }
                    match (a.as_i64(), b.as_i64()) {
                        (Some(x), Some(y)) => Ok(Value::Range(Rc::new(Range::new(
                            x,
                            y,
                            *exclusive,
                            matches!(a, Value::Long(_)) || matches!(b, Value::Long(_)),
                        )))),
                        _ => Err(Flow::fatal(
                            format!(
                                "unsupported: a range of {} to {} (only integer ranges are supported)",
                                a.class_name(),
                                b.class_name()
                            ),
                            span,
                        )),
                    }
                }
                ExprKind::Property { target, name, nav } => {
                    if let Some(class) = Self::class_path(e) {
                        return Ok(class);
                    }
                    let obj = self.eval(target, cx).await?;
                    let name = self.prop_name(name, cx).await?;
                    self.get_property_nav(&obj, &name, *nav, span, cx).await
                }
                ExprKind::Index {
                    target,
                    index,
                    safe,
                } => {
                    let obj = self.eval(target, cx).await?;
                    if *safe && obj.is_null() {
                        return Ok(Value::Null);
                    }
                    let idx = self.eval_index(index, cx).await?;
                    let obj = self.force(obj, span, cx).await?;
                    let idx = self.force(idx, span, cx).await?;
                    let got = super::access::get_index(&obj, &idx, cx).map_err(|f| f.at(span))?;
                    self.map_default(&obj, &idx, got, span, cx).await
                }
                ExprKind::MethodCall {
                    receiver,
                    nav,
                    name,
                    args,
                } => {
                    let name = self.prop_name(name, cx).await?;
                    match receiver {
                        None => {
                            let args = self.eval_args(args, cx).await?;
                            self.call_function(&name, args, span, cx).await
                        }
                        Some(r) if matches!(r.node, ExprKind::Super) => {
                            let args = self.eval_args(args, cx).await?;
                            self.call_super(Some(&name), args, span, cx).await
                        }
                        Some(r) => {
                            if let Some(class) = Self::class_path(r) {
                                let args = self.eval_args(args, cx).await?;
                                return self.call_method(class, &name, args, span, cx).await;
                            }
                            let recv = self.eval(r, cx).await?;
                            if recv.is_null() && *nav == Nav::Safe {
                                return Ok(Value::Null);
                            }
                            // `list.remove((Object) x)` picks `remove(Object)`: by value.
                            let name = if name == "remove"
                                && matches!(recv, Value::List(_))
                                && Self::object_cast_only(args)
                            {
                                "removeElement".to_owned()
                            } else {
                                name
                            };
                            let args = self.eval_args(args, cx).await?;
                            if *nav == Nav::Spread {
                                if recv.is_null() {
                                    return Ok(Value::Null);
                                }
                                let items =
                                    super::gdk::iter_items(&recv).map_err(|f| f.at(span))?;
                                let mut out = Vec::with_capacity(items.len());
                                for item in items {
                                    out.push(if item.is_null() {
                                        Value::Null
                                    } else {
                                        self.call_method(item, &name, args.clone(), span, cx)
                                            .await?
                                    });
                                }
                                return Ok(Value::list(out));
                            }
                            self.call_method(recv, &name, args, span, cx).await
                        }
                    }
                }
                ExprKind::Call { callee, args } if matches!(callee.node, ExprKind::Super) => {
                    let args = self.eval_args(args, cx).await?;
                    self.call_super(None, args, span, cx).await
                }
                ExprKind::Call { callee, args } => {
                    let f = self.eval(callee, cx).await?;
                    let args = self.eval_args(args, cx).await?;
                    match &f {
                        Value::Closure(c) => {
                            self.call_closure(c, args.into_groovy(), span, cx).await
                        }
                        _ => self.call_method(f, "call", args, span, cx).await,
                    }
                }
                ExprKind::MethodPointer { target, name } => {
                    let t = match &target.node {
                        ExprKind::This => None,
                        _ => Some(self.eval(target, cx).await?),
                    };
                    Ok(Value::Closure(Rc::new(Closure {
                        id: self.next_id(),
                        kind: ClosureKind::Method {
                            target: t,
                            name: name.node.clone(),
                        },
                        delegate: std::cell::RefCell::new(None),
                    })))
                }
                ExprKind::Closure(c) => Ok(Value::Closure(Rc::new(Closure {
                    id: self.next_id(),
                    kind: ClosureKind::Code {
                        def: self.closure_def(c, span),
                        frame: cx.frame.clone(),
                        this: cx.this.clone(),
                    },
                    delegate: std::cell::RefCell::new(None),
                }))),
                ExprKind::Unary { op, operand } => match op {
                    UnaryOp::PreInc | UnaryOp::PreDec | UnaryOp::PostInc | UnaryOp::PostDec => {
                        let old = self.eval(operand, cx).await?;
                        let by = if matches!(op, UnaryOp::PreInc | UnaryOp::PostInc) {
                            1
                        } else {
                            -1
                        };
                        let new = step(&old, by).map_err(|f| f.at(span))?;
                        self.assign_to(operand, new.clone(), cx).await?;
                        Ok(if matches!(op, UnaryOp::PreInc | UnaryOp::PreDec) {
                            new
                        } else {
                            old
                        })
                    }
                    _ => {
                        let v = self.eval(operand, cx).await?;
                        let v = self.force(v, span, cx).await?;
                        unary(*op, &v).map_err(|f| f.at(span))
                    }
                },
                ExprKind::Binary { op, lhs, rhs } => {
                    let a = self.eval(lhs, cx).await?;
                    match op {
                        BinaryOp::And => {
                            if let Value::Unknown(o) = &a {
                                return self.plan_logic(o, "&&", rhs, cx).await;
                            }
                            if !a.truthy() {
                                return Ok(Value::Bool(false));
                            }
                            let b = self.eval(rhs, cx).await?;
                            if let Value::Unknown(_) = b {
                                return Ok(b);
                            }
                            Ok(Value::Bool(b.truthy()))
                        }
                        BinaryOp::Or => {
                            if let Value::Unknown(o) = &a {
                                return self.plan_logic(o, "||", rhs, cx).await;
                            }
                            if a.truthy() {
                                return Ok(Value::Bool(true));
                            }
                            let b = self.eval(rhs, cx).await?;
                            if let Value::Unknown(_) = b {
                                return Ok(b);
                            }
                            Ok(Value::Bool(b.truthy()))
                        }
                        _ => {
                            let b = self.eval(rhs, cx).await?;
                            self.binary_op(*op, &a, &b, span, cx).await
                        }
                    }
                }
                ExprKind::Ternary {
                    cond,
                    then,
                    otherwise,
                } => {
                    let c = self.eval(cond, cx).await?;
                    if let Value::Unknown(o) = &c {
                        return self.plan_ternary(o, then, otherwise, cx).await;
                    }
                    if c.truthy() {
                        self.eval(then, cx).await
                    } else {
                        self.eval(otherwise, cx).await
                    }
                }
                ExprKind::Elvis { value, fallback } => {
                    let v = self.eval(value, cx).await?;
                    if v.truthy() {
                        Ok(v)
                    } else {
                        self.eval(fallback, cx).await
                    }
                }
                ExprKind::Assign { op, target, value } => {
                    let v = self.eval(value, cx).await?;
                    let new = match op {
                        AssignOp::Assign => v,
                        AssignOp::Elvis => {
                            let old = self.eval(target, cx).await?;
                            if old.truthy() {
                                return Ok(old);
                            }
                            v
                        }
                        _ => {
                            let old = self.eval(target, cx).await?;
                            self.binary_op(compound(*op), &old, &v, span, cx).await?
                        }
                    };
                    self.assign_to(target, new.clone(), cx).await?;
                    Ok(new)
                }
                ExprKind::TupleAssign { targets, value } => {
                    let v = self.eval(value, cx).await?;
                    let items = super::gdk::iter_items(&v).map_err(|f| f.at(value.span))?;
                    for (i, t) in targets.iter().enumerate() {
                        let item = items.get(i).cloned().unwrap_or(Value::Null);
                        self.assign_var(&t.node, item, cx);
                    }
                    Ok(v)
                }
                ExprKind::Cast { ty, operand } => {
                    let v = self.eval(operand, cx).await?;
                    let v = self.force_for(v, ty, span, cx).await?;
                    cast(&v, ty, false).map_err(|f| f.at(span))
                }
                ExprKind::As { operand, ty } => {
                    let v = self.eval(operand, cx).await?;
                    let v = self.force_for(v, ty, span, cx).await?;
                    cast(&v, ty, true).map_err(|f| f.at(span))
                }
                ExprKind::InstanceOf { operand, ty } => {
                    let v = self.eval(operand, cx).await?;
                    Ok(Value::Bool(classes::instance_of(&v, &ty.name)))
                }
                ExprKind::New { ty, args, array } => {
                    if let Some(dims) = array {
                        let mut items = Vec::new();
                        for d in dims {
                            items.push(self.eval(d, cx).await?);
                        }
                        // `new String[n]` gives n nulls; `new String[] {a, b}` the items.
                        if args.items.is_empty() && items.len() == 1 && ty.array_dims == 0 {
                            let n = items[0].as_i64().unwrap_or(0);
                            return Ok(Value::list(vec![
                                Value::Null;
                                usize::try_from(n).unwrap_or(0)
                            ]));
                        }
                        return Ok(Value::list(items));
                    }
                    let args = self.eval_args(args, cx).await?;
                    match self.construct(&ty.name, args, span, cx).await {
                        // Planning: a library's class (`new org.acme.Butler(this)`) is a
                        // run-time object, not the end of the plan.
                        Err(Flow::Fatal(f))
                            if self.host.plans_both_branches()
                                && f.message.starts_with("unsupported class:") =>
                        {
                            // Listed with the plan's names from outside the Jenkinsfile; a JDK
                            // class the run lacks fails the plan as it fails the run.
                            match self.host.unknown_name(&ty.name, cx) {
                                Some(_) => Ok(Value::unknown(format!("new {}(…)", ty.name))),
                                None => Err(Flow::Fatal(f)),
                            }
                        }
                        other => other,
                    }
                }
                ExprKind::Paren(inner) => self.eval(inner, cx).await,
                ExprKind::Spread(_) => Err(Flow::fatal(
                    "unsupported: the spread operator `*` outside a list or argument list",
                    span,
                )),
                ExprKind::Annotation(_) => Ok(Value::Null),
                ExprKind::Super => Err(Flow::fatal("unsupported: `super`", span)),
                ExprKind::Null
                | ExprKind::Bool(_)
                | ExprKind::Int(_)
                | ExprKind::Decimal(_)
                | ExprKind::Str(_)
                | ExprKind::Var(_)
                | ExprKind::This => self.leaf(e, cx).unwrap_or(Ok(Value::Null)),
            }
        })
    }

    /// A binary operator; user objects may define it as a method (`plus`, `equals`, …).
    async fn binary_op(&self, op: BinaryOp, a: &Value, b: &Value, span: Span, cx: &Cx) -> R<Value> {
        if matches!(a, Value::LazyGStr(_)) || matches!(b, Value::LazyGStr(_)) {
            let a = self.force(a.clone(), span, cx).await?;
            let b = self.force(b.clone(), span, cx).await?;
            return Box::pin(self.binary_op(op, &a, &b, span, cx)).await;
        }
        if let (Value::Object(o), BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul) = (a, op)
            && let Object::Instance { class, .. } = &**o
        {
            let name = match op {
                BinaryOp::Add => "plus",
                BinaryOp::Sub => "minus",
                _ => "multiply",
            };
            if class.methods.contains_key(name) {
                return self
                    .call_method(
                        a.clone(),
                        name,
                        super::args::CallArgs::positional(vec![b.clone()]),
                        span,
                        cx,
                    )
                    .await;
            }
        }
        if let (Value::Object(o), BinaryOp::Eq | BinaryOp::Ne) = (a, op)
            && let Object::Instance { class, .. } = &**o
            && class.methods.contains_key("equals")
        {
            let r = self
                .call_method(
                    a.clone(),
                    "equals",
                    super::args::CallArgs::positional(vec![b.clone()]),
                    span,
                    cx,
                )
                .await?
                .truthy();
            return Ok(Value::Bool(if op == BinaryOp::Eq { r } else { !r }));
        }
        if op == BinaryOp::Add
            && (matches!(a, Value::Str(_) | Value::GStr(_))
                || matches!(b, Value::Str(_) | Value::GStr(_)))
            && (matches!(a, Value::Object(_)) || matches!(b, Value::Object(_)))
        {
            let text = self.display(a, span, cx).await? + &self.display(b, span, cx).await?;
            return Ok(if matches!(a, Value::GStr(_)) {
                Value::GStr(Rc::from(text))
            } else {
                Value::string(text)
            });
        }
        if let (BinaryOp::In, Value::Closure(c)) = (op, b) {
            return Ok(Value::Bool(
                self.call_closure(c, vec![a.clone()], span, cx)
                    .await?
                    .truthy(),
            ));
        }
        binary(op, a, b).map_err(|f| f.at(span))
    }

    pub async fn prop_name(&self, name: &PropName, cx: &Cx) -> R<String> {
        Ok(match name {
            PropName::Name(n) => n.node.clone(),
            PropName::Quoted(e) | PropName::Dynamic(e) => to_string(&self.eval(e, cx).await?),
        })
    }

    pub(crate) async fn eval_index(&self, index: &[Expr], cx: &Cx) -> R<Value> {
        if index.len() == 1 {
            return self.eval(&index[0], cx).await;
        }
        let mut out = Vec::new();
        for i in index {
            out.push(self.eval(i, cx).await?);
        }
        Ok(Value::list(out))
    }

    /// Whether the arguments are one `(Object) x`, which makes Java choose the `Object`
    /// overload.
    fn object_cast_only(args: &crate::syntax::ast::Args) -> bool {
        match (args.items.as_slice(), args.closures.is_empty()) {
            ([crate::syntax::ast::Arg::Positional(e)], true) => matches!(
                &e.node,
                ExprKind::Cast { ty, .. } if matches!(ty.name.as_str(), "Object" | "java.lang.Object")
            ),
            _ => false,
        }
    }

    /// `a.b.C` written as a qualified class name.
    fn class_path(e: &Expr) -> Option<Value> {
        let mut parts = Vec::new();
        let mut cur = e;
        loop {
            match &cur.node {
                ExprKind::Property {
                    target,
                    name: PropName::Name(n),
                    nav: Nav::Dot,
                } => {
                    parts.push(n.node.as_str());
                    cur = target;
                }
                ExprKind::Var(v) => {
                    parts.push(v.as_str());
                    break;
                }
                _ => return None,
            }
        }
        if parts.len() < 2 || !parts.last()?.chars().next()?.is_lowercase() {
            return None;
        }
        parts.reverse();
        let path = parts.join(".");
        classes::known(&path).map(|c| Value::Class(Rc::from(c)))
    }

    async fn get_property_nav(
        &self,
        obj: &Value,
        name: &str,
        nav: Nav,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        match nav {
            Nav::Safe if obj.is_null() => Ok(Value::Null),
            Nav::Spread => {
                if obj.is_null() {
                    return Ok(Value::Null);
                }
                let items = super::gdk::iter_items(obj).map_err(|f| f.at(span))?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(if item.is_null() {
                        Value::Null
                    } else {
                        self.get_property(&item, name, span, cx).await?
                    });
                }
                Ok(Value::list(out))
            }
            _ => self.get_property(obj, name, span, cx).await,
        }
    }
}

fn compound(op: AssignOp) -> BinaryOp {
    match op {
        AssignOp::Add => BinaryOp::Add,
        AssignOp::Sub => BinaryOp::Sub,
        AssignOp::Mul => BinaryOp::Mul,
        AssignOp::Div => BinaryOp::Div,
        AssignOp::Mod => BinaryOp::Mod,
        AssignOp::Power => BinaryOp::Power,
        AssignOp::Shl => BinaryOp::Shl,
        AssignOp::Shr => BinaryOp::Shr,
        AssignOp::UShr => BinaryOp::UShr,
        AssignOp::BitAnd => BinaryOp::BitAnd,
        AssignOp::BitXor => BinaryOp::BitXor,
        AssignOp::BitOr => BinaryOp::BitOr,
        AssignOp::Assign | AssignOp::Elvis => BinaryOp::Eq,
    }
}
