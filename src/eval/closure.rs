//! Closures: a piece of the tree plus the frame it was created in, or a method pointer
//! (`this.&name`, `obj.&name`). The delegate can be changed after creation, as pipelines do
//! for DSL-style blocks.

use std::cell::RefCell;
use std::rc::Rc;

use super::scope::{Frame, This};
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
}

impl Closure {
    /// How many parameters it declares (implicit `it` counts as one, optional).
    #[must_use]
    pub fn param_count(&self) -> usize {
        match &self.kind {
            ClosureKind::Code { def, .. } => def.params.as_ref().map_or(1, Vec::len),
            ClosureKind::Method { .. } => 1,
        }
    }

    /// Whether the closure was written with explicit parameters.
    #[must_use]
    pub fn explicit_params(&self) -> bool {
        match &self.kind {
            ClosureKind::Code { def, .. } => def.params.is_some(),
            ClosureKind::Method { .. } => false,
        }
    }
}
