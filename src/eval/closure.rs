//! Closures: a piece of the tree plus the frame it was created in, or a method pointer
//! (`this.&name`, `obj.&name`). The delegate can be changed after creation, as pipelines do
//! for DSL-style blocks. `curry`, `memoize` and `>>`/`<<` wrap another closure.

use std::cell::RefCell;
use std::rc::Rc;

use super::flow::R;
use super::host::LocalBoxFuture;
use super::scope::{Cx, Frame, This};
use super::value::Value;
use crate::syntax::ast;

#[derive(Debug)]
pub struct Closure {
    /// Numbered in creation order, for `toString`.
    pub id: usize,
    pub kind: ClosureKind,
    pub delegate: RefCell<Option<Value>>,
}

#[derive(Debug)]
pub enum ClosureKind {
    Code {
        def: Rc<ast::Closure>,
        frame: Rc<Frame>,
        this: This,
    },
    /// `target.&name`; `None` for a script method.
    Method { target: Option<Value>, name: String },
    /// `c.curry(a…)`, `c.rcurry(a…)`, `c.ncurry(n, a…)`: `inner` with `args` bound.
    Curried {
        inner: Rc<Closure>,
        args: Vec<Value>,
        at: CurryAt,
    },
    /// `c.memoize()`: `inner`, its results cached by argument list.
    Memoized {
        inner: Rc<Closure>,
        cache: RefCell<Vec<(Vec<Value>, Value)>>,
    },
    /// `first >> then` (and `then << first`): `then(first(args))`.
    Composed {
        first: Rc<Closure>,
        then: Rc<Closure>,
    },
    /// A body the runtime supplies rather than the script: a declarative stage or pipeline
    /// body that a block step given as an option (`withCredentials`, `lock`, …) wraps.
    Native(NativeBody),
}

/// The Rust side of [`ClosureKind::Native`]: called with the context the step gives its body.
#[derive(Clone)]
pub struct NativeBody(pub Rc<dyn Fn(Cx) -> LocalBoxFuture<'static, R<Value>>>);

impl std::fmt::Debug for NativeBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NativeBody")
    }
}

/// Where curried arguments go.
#[derive(Clone, Copy, Debug)]
pub enum CurryAt {
    Left,
    Right,
    Index(usize),
}

impl CurryAt {
    /// The full argument list: `bound` placed among the call's `args`.
    #[must_use]
    pub fn place(self, bound: &[Value], args: Vec<Value>) -> Vec<Value> {
        match self {
            CurryAt::Left => bound.iter().cloned().chain(args).collect(),
            CurryAt::Right => args.into_iter().chain(bound.iter().cloned()).collect(),
            CurryAt::Index(n) => {
                let mut out = args;
                let n = n.min(out.len());
                out.splice(n..n, bound.iter().cloned());
                out
            }
        }
    }
}

impl Closure {
    /// How many parameters it declares (implicit `it` counts as one, optional).
    #[must_use]
    pub fn param_count(&self) -> usize {
        match &self.kind {
            ClosureKind::Code { def, .. } => def.params.as_ref().map_or(1, Vec::len),
            ClosureKind::Method { .. } => 1,
            ClosureKind::Curried { inner, args, .. } => {
                inner.param_count().saturating_sub(args.len())
            }
            ClosureKind::Memoized { inner, .. } => inner.param_count(),
            ClosureKind::Composed { first, .. } => first.param_count(),
            ClosureKind::Native(_) => 0,
        }
    }

    /// Whether the closure was written with explicit parameters.
    #[must_use]
    pub fn explicit_params(&self) -> bool {
        match &self.kind {
            ClosureKind::Code { def, .. } => def.params.is_some(),
            ClosureKind::Method { .. } => false,
            ClosureKind::Curried { inner, .. } | ClosureKind::Memoized { inner, .. } => {
                inner.explicit_params()
            }
            ClosureKind::Composed { first, .. } => first.explicit_params(),
            ClosureKind::Native(_) => false,
        }
    }
}
