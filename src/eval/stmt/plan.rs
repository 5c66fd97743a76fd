//! Planning (`jenkinsfile plan`) in the statement walker: an `if` on a value only a run knows
//! plans both sides, a `return` in one side leaves the rest of the body planned under the
//! other side's condition, a variable the two sides leave different is unknown afterwards, and
//! a loop the plan cannot see the end of is planned a bounded number of times, with a note.

use std::rc::Rc;

use super::super::flow::{Flow, R};
use super::super::host::LocalBoxFuture;
use super::super::interp::Interp;
use super::super::scope::{Cx, Frame};
use super::super::text::to_string;
use super::super::value::{Key, Value};
use crate::syntax::ast::{Stmt, StmtKind};

/// Iterations after which a planned `while`/`for` stops whatever its condition says.
pub(super) const MAX_PLANNED_ITERATIONS: usize = 1000;

/// What planning both sides of an `if` found.
#[derive(Debug, Default)]
pub(in crate::eval) struct Sides {
    then_returned: Option<Value>,
    else_returned: Option<Value>,
}

/// The variables visible from `cx` (frames and binding): where each lives and its value.
type Snapshot = (Vec<(Rc<Frame>, Rc<str>, Value)>, Vec<(String, Value)>);

impl Interp {
    fn snapshot(&self, cx: &Cx) -> Snapshot {
        let binding = self
            .binding
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        (Frame::visible(&cx.frame), binding)
    }

    fn restore(&self, snap: &Snapshot) {
        for (frame, name, value) in &snap.0 {
            frame.declare(name, value.clone());
        }
        let mut binding = self.binding.borrow_mut();
        binding.retain(|name, _| snap.1.iter().any(|(n, _)| n == name));
        for (name, value) in &snap.1 {
            binding.insert(name.clone(), value.clone());
        }
    }

    /// A text fingerprint of every visible variable: a loop iteration that leaves it unchanged
    /// (and its condition true) would only ever end by something a run does.
    pub(super) fn state_text(&self, cx: &Cx) -> String {
        let (frames, binding) = self.snapshot(cx);
        let mut out = String::new();
        for (_, name, value) in &frames {
            out.push_str(name);
            out.push('=');
            out.push_str(&to_string(value));
            out.push('\n');
        }
        for (name, value) in &binding {
            out.push_str(name);
            out.push('=');
            out.push_str(&to_string(value));
            out.push('\n');
        }
        out
    }

    /// Planning: an `if` on a value only a run knows runs both sides, each marked with the
    /// condition it needs (`if <stdout of sh#1> is true`); the first error wins after both. A
    /// `return` in a side is caught and reported; a variable the sides leave different
    /// (or that one side changes) is unknown afterwards.
    pub(in crate::eval) async fn plan_both(
        &self,
        origin: &str,
        then: &Stmt,
        otherwise: Option<&Stmt>,
        cx: &Cx,
    ) -> R<Sides> {
        let before = self.snapshot(cx);
        let mut sides = Sides::default();
        let r = match self
            .exec_body(then, &mark(cx, &format!("if <{origin}> is true")))
            .await
        {
            Err(Flow::Return(v)) => {
                sides.then_returned = Some(v);
                Ok(())
            }
            other => other,
        };
        let after_then = self.snapshot(cx);
        self.restore(&before);
        if let Some(o) = otherwise {
            match self
                .exec_body(o, &mark(cx, &format!("if <{origin}> is false")))
                .await
            {
                Err(Flow::Return(v)) => sides.else_returned = Some(v),
                other => other?,
            }
        }
        self.merge(origin, &before, &after_then, cx);
        r.map(|()| sides)
    }

    /// Planning a `try` whose body has a step that could fail in a run: each `catch` is
    /// planned too, marked `if the try body fails` (`if the try body throws X` for a typed
    /// one), with the exception a run-time value; a variable it changes is unknown
    /// afterwards. A catch body that throws (a rethrow, `throw new …`) ends only its own
    /// planning, and the build could end in FAILURE.
    pub(super) async fn plan_catch(&self, c: &crate::syntax::ast::Catch, cx: &Cx) {
        let origin = if c.types.is_empty() {
            "the try body fails".to_string()
        } else {
            let types: Vec<&str> = c.types.iter().map(|t| t.name.as_str()).collect();
            format!("the try body throws {}", types.join(" or "))
        };
        let before = self.snapshot(cx);
        let marked = mark(cx, &format!("if {origin}"));
        let inner = marked.with_frame(Frame::child(&cx.frame));
        inner.frame.declare(
            &c.var.node,
            Value::unknown("exception of the try body".to_string()),
        );
        // A rethrow of the run-time exception may stop at the interpreter (it is no
        // `Throwable` here): any error but a jump counts as the catch throwing.
        if let Err(Flow::Throw(_) | Flow::Fatal(_)) = self.exec_value(&c.body.stmts, &inner).await {
            self.host
                .plan_could_fail(&format!("the catch ({}) throws, if {origin}", c.var.node));
        }
        let after = self.snapshot(cx);
        self.restore(&before);
        self.merge(&origin, &before, &after, cx);
    }

    /// After both sides: a variable whose value differs between them becomes unknown.
    fn merge(&self, origin: &str, before: &Snapshot, after_then: &Snapshot, cx: &Cx) {
        let after_else = self.snapshot(cx);
        let unknown = |name: &str| Value::unknown(format!("{name} after if <{origin}>"));
        for (frame, name, value) in &after_then.0 {
            let other = after_else
                .0
                .iter()
                .find(|(f, n, _)| Rc::ptr_eq(f, frame) && n == name)
                .map(|(_, _, v)| v);
            if !same(other, Some(value)) {
                frame.declare(name, unknown(name));
            }
        }
        let mut binding = self.binding.borrow_mut();
        for (name, value) in &after_then.1 {
            if !same(binding.get(name), Some(value)) {
                binding.insert(name.clone(), unknown(name));
            }
        }
        for (name, _) in &after_else.1 {
            if !after_then.1.iter().any(|(n, _)| n == name)
                && !before.1.iter().any(|(n, _)| n == name)
            {
                binding.insert(name.clone(), unknown(name));
            }
        }
    }

    /// Planning an `if` statement on a run-time value inside a statement list: `Some(cx)` when
    /// one side returned, the context the rest of the list is planned in (under the other
    /// side's condition). When both sides return, the body returns.
    pub(super) async fn plan_if_in_list(
        &self,
        origin: &str,
        then: &Stmt,
        otherwise: Option<&Stmt>,
        cx: &Cx,
    ) -> R<Option<Early>> {
        let sides = self.plan_both(origin, then, otherwise, cx).await?;
        Ok(match (sides.then_returned, sides.else_returned) {
            (Some(_), Some(_)) => {
                return Err(Flow::Return(Value::unknown(format!("if <{origin}>"))));
            }
            (Some(v), None) => Some(Early {
                rest: mark(cx, &format!("if <{origin}> is false")),
                returned: v,
            }),
            (None, Some(v)) => Some(Early {
                rest: mark(cx, &format!("if <{origin}> is true")),
                returned: v,
            }),
            (None, None) => None,
        })
    }

    /// [`Interp::exec_stmts`] when planning: after an `if` one of whose sides returned, the
    /// rest is planned under the other side's condition, and what the body returns is one of
    /// the two values.
    pub(in crate::eval) async fn plan_stmts(&self, stmts: &[Stmt], cx: &Cx) -> R<()> {
        let mut early: Option<Early> = None;
        for stmt in stmts {
            let now = early.as_ref().map_or(cx, |e| &e.rest);
            match self.plan_stmt(stmt, now).await {
                Ok(Some(e)) => early = Some(e),
                Ok(None) => {}
                Err(Flow::Return(v)) => return Err(Flow::Return(either(early.as_ref(), v))),
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    /// One statement of a list, when planning: an `if` on a run-time value is planned by
    /// [`Interp::plan_if_in_list`]; anything else runs as usual.
    pub(in crate::eval) fn plan_stmt<'a>(
        &'a self,
        stmt: &'a Stmt,
        cx: &'a Cx,
    ) -> LocalBoxFuture<'a, R<Option<Early>>> {
        Box::pin(async move {
            if let StmtKind::If {
                cond,
                then,
                otherwise,
            } = &stmt.node
            {
                let c = self.eval(cond, cx).await?;
                return match &c {
                    Value::Unknown(origin) => {
                        self.plan_if_in_list(origin, then, otherwise.as_deref(), cx)
                            .await
                    }
                    _ if c.truthy() => self.exec_body(then, cx).await.map(|()| None),
                    _ => match otherwise {
                        Some(o) => self.exec_body(o, cx).await.map(|()| None),
                        None => Ok(None),
                    },
                };
            }
            self.exec_stmt(stmt, cx, None).await.map(|()| None)
        })
    }
}

/// An `if` side that returned: the context the rest of the body is planned in, and the value
/// that side returned.
#[derive(Debug)]
pub(in crate::eval) struct Early {
    pub(in crate::eval) rest: Cx,
    returned: Value,
}

/// What a body returns after an early return on one side: `v`, or one of the two.
pub(in crate::eval) fn either(early: Option<&Early>, v: Value) -> Value {
    match early {
        Some(e) if !same(Some(&e.returned), Some(&v)) => Value::unknown(format!(
            "{} or {}",
            crate::eval::text::inspect(&e.returned),
            crate::eval::text::inspect(&v)
        )),
        _ => v,
    }
}

/// Whether two values are the same for planning (Groovy's map-key equality).
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Key(a.clone()) == Key(b.clone()),
        (None, None) => true,
        _ => false,
    }
}

/// `cx` with one more run-time condition on the code it runs.
pub(in crate::eval) fn mark(cx: &Cx, what: &str) -> Cx {
    let mut d = (*cx.dynamic).clone();
    d.conditional = Some(match &d.conditional {
        Some(outer) => format!("{outer} and {what}").into(),
        None => what.into(),
    });
    cx.with_dynamic(d)
}

/// Planning a `while`/`for`: the condition's say, unless the plan cannot see the loop end.
/// A condition on a run-time value plans the body once; a condition still true after an
/// iteration that changed no variable would only end by something a run does (a file
/// appearing, time passing), so the body is planned once; and no loop goes past
/// [`MAX_PLANNED_ITERATIONS`]. Each cut is said in the plan.
#[derive(Debug, Default)]
pub(super) struct LoopGuard {
    iterations: usize,
    before: Option<String>,
}

impl LoopGuard {
    /// Whether to run the body once more, for the condition's value `c`.
    pub(super) fn go(&mut self, interp: &Interp, c: &Value, cx: &Cx) -> bool {
        if !interp.host.plans_both_branches() {
            return c.truthy();
        }
        if let Value::Unknown(origin) = c {
            if self.iterations > 0 {
                return false;
            }
            interp.host.plan_note(
                cx,
                &format!("loop planned once: its condition depends on run time (<{origin}>)"),
            );
        } else if !c.truthy() {
            return false;
        } else {
            let now = interp.state_text(cx);
            if self.iterations > 0 && self.before.as_deref() == Some(now.as_str()) {
                interp.host.plan_note(
                    cx,
                    "loop planned once: its condition depends on run time (nothing the plan sees changes it)",
                );
                return false;
            }
            if self.iterations >= MAX_PLANNED_ITERATIONS {
                interp.host.plan_note(
                    cx,
                    &format!("loop cut after {MAX_PLANNED_ITERATIONS} planned iterations"),
                );
                return false;
            }
            self.before = Some(now);
        }
        self.iterations += 1;
        true
    }
}

/// Methods that call their closure once per element of the receiver.
const PER_ELEMENT: &[&str] = &[
    "any",
    "collect",
    "collectEntries",
    "collectMany",
    "each",
    "eachLine",
    "eachWithIndex",
    "every",
    "find",
    "findAll",
    "findResults",
    "forEach",
    "groupBy",
    "sort",
];

impl Interp {
    /// Planning `switch` on a run-time value: every case may run, each planned from its
    /// label on (falling through as Groovy does) and marked with the case it needs; a
    /// variable a case changes is unknown afterwards.
    pub(super) async fn plan_switch(
        &self,
        origin: &str,
        cases: &[crate::syntax::ast::SwitchCase],
        cx: &Cx,
    ) -> R<()> {
        use crate::syntax::ast::CaseLabel;
        let before = self.snapshot(cx);
        let mut afters = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let mut labels = Vec::new();
            for l in &case.labels {
                labels.push(match l {
                    CaseLabel::Case(e) => crate::eval::text::inspect(&self.eval(e, cx).await?),
                    CaseLabel::Default(_) => "default".to_string(),
                });
            }
            if labels.is_empty() {
                labels.push("default".to_string());
            }
            let what = format!("if <{origin}> matches case {}", labels.join(" or "));
            let inner = mark(cx, &what).with_frame(Frame::child(&cx.frame));
            self.restore(&before);
            for case in &cases[i..] {
                match self.exec_stmts(&case.body, &inner).await {
                    Err(Flow::Break(None) | Flow::Return(_)) => break,
                    other => other?,
                }
            }
            afters.push(self.snapshot(cx));
        }
        self.restore(&before);
        let unknown = |name: &str| Value::unknown(format!("{name} after switch <{origin}>"));
        for after in &afters {
            for (frame, name, value) in &after.0 {
                let old = before
                    .0
                    .iter()
                    .find(|(f, n, _)| Rc::ptr_eq(f, frame) && n == name)
                    .map(|(_, _, v)| v);
                if !same(old, Some(value)) {
                    frame.declare(name, unknown(name));
                }
            }
            let mut binding = self.binding.borrow_mut();
            for (name, value) in &after.1 {
                let old = before.1.iter().find(|(n, _)| n == name).map(|(_, v)| v);
                if !same(old, Some(value)) {
                    binding.insert(name.clone(), unknown(name));
                }
            }
        }
        Ok(())
    }

    /// Planning `for (x in list)` over a run-time list: the body once, with `x` a run-time
    /// element, marked "per element".
    pub(super) async fn plan_for_in(&self, origin: &str, var: &str, body: &Stmt, cx: &Cx) -> R<()> {
        let inner = mark(cx, &format!("per element of <{origin}>"));
        let frame = Frame::child(&cx.frame);
        frame.declare(var, Value::unknown(format!("element of <{origin}>")));
        match self.exec_body(body, &inner.with_frame(frame)).await {
            Err(Flow::Break(_) | Flow::Continue(_)) | Ok(()) => Ok(()),
            Err(other) => Err(other),
        }
    }

    /// Planning `list.each { … }` (and the other per-element methods) on a run-time list:
    /// the closure once, with run-time arguments, marked "per element". `None` when `name`
    /// does not take a per-element closure.
    pub(in crate::eval) async fn plan_per_element(
        &self,
        origin: &str,
        name: &str,
        args: &[Value],
        span: crate::source::Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        if !PER_ELEMENT.contains(&name) {
            return None;
        }
        let Some(Value::Closure(c)) = args.last() else {
            return None;
        };
        let element = Value::unknown(format!("element of <{origin}>"));
        let mut call_args = vec![element; c.param_count().max(1)];
        if name == "eachWithIndex" && call_args.len() == 2 {
            call_args[1] = Value::unknown(format!("index in <{origin}>"));
        }
        let inner = mark(cx, &format!("per element of <{origin}>"));
        Some(
            self.call_closure(c, call_args, span, &inner)
                .await
                .map(|_| Value::unknown(format!("{origin}.{name}()"))),
        )
    }
}

impl Interp {
    /// `u && b` / `u || b` with `u` a run-time value: `b` is evaluated too (its steps marked
    /// with what they need), and the result rests on both unless `b` alone decides it.
    pub(in crate::eval) async fn plan_logic(
        &self,
        origin: &str,
        op: &str,
        rhs: &crate::syntax::ast::Expr,
        cx: &Cx,
    ) -> R<Value> {
        let when = if op == "&&" { "true" } else { "false" };
        let b = if self.host.plans_both_branches() {
            self.eval(rhs, &mark(cx, &format!("if <{origin}> is {when}")))
                .await?
        } else {
            self.eval(rhs, cx).await?
        };
        Ok(match (&b, op) {
            (Value::Unknown(x), _) => Value::unknown(format!("{origin} {op} {x}")),
            (_, "&&") if !b.truthy() => Value::Bool(false),
            (_, "||") if b.truthy() => Value::Bool(true),
            _ => Value::unknown(origin.to_string()),
        })
    }

    /// `u ? x : y` with `u` a run-time value: both arms are evaluated, each marked with what
    /// it needs; the result is one of the two.
    pub(in crate::eval) async fn plan_ternary(
        &self,
        origin: &str,
        then: &crate::syntax::ast::Expr,
        otherwise: &crate::syntax::ast::Expr,
        cx: &Cx,
    ) -> R<Value> {
        if !self.host.plans_both_branches() {
            return Ok(Value::unknown(format!("{origin} ? … : …")));
        }
        let a = self
            .eval(then, &mark(cx, &format!("if <{origin}> is true")))
            .await?;
        let b = self
            .eval(otherwise, &mark(cx, &format!("if <{origin}> is false")))
            .await?;
        if same(Some(&a), Some(&b)) {
            return Ok(a);
        }
        Ok(Value::unknown(format!(
            "{origin} ? {} : {}",
            crate::eval::text::inspect(&a),
            crate::eval::text::inspect(&b)
        )))
    }
}
