//! Lexical frames: local variables, closure captures and the `this` a body runs with. A closure
//! keeps the frame it was created in, so it sees (and changes) the variables around it, as a
//! Groovy closure does. Script variables that are not declared locally live in the binding,
//! which belongs to the interpreter, not to a frame.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::dynamic::Dynamic;
use super::object::{Object, UserClass};
use super::value::Value;

/// One level of local variables.
#[derive(Debug, Default)]
pub struct Frame {
    vars: RefCell<HashMap<Rc<str>, Value>>,
    parent: Option<Rc<Frame>>,
}

impl Frame {
    #[must_use]
    pub fn root() -> Rc<Frame> {
        Rc::new(Frame::default())
    }

    #[must_use]
    pub fn child(parent: &Rc<Frame>) -> Rc<Frame> {
        Rc::new(Frame {
            vars: RefCell::default(),
            parent: Some(parent.clone()),
        })
    }

    #[must_use]
    pub fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.vars.borrow().get(name) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.lookup(name))
    }

    /// Sets an existing variable in this frame or an enclosing one; `false` when none has it.
    pub fn assign(&self, name: &str, value: Value) -> Result<(), Value> {
        if let Some(slot) = self.vars.borrow_mut().get_mut(name) {
            *slot = value;
            return Ok(());
        }
        match &self.parent {
            Some(p) => p.assign(name, value),
            None => Err(value),
        }
    }

    /// Every variable visible from `frame`, with the frame that holds it (planning compares
    /// them around the two sides of an `if`).
    #[must_use]
    pub fn visible(frame: &Rc<Frame>) -> Vec<(Rc<Frame>, Rc<str>, Value)> {
        let mut out = Vec::new();
        let mut at = Some(frame.clone());
        while let Some(f) = at.take() {
            for (name, value) in f.vars.borrow().iter() {
                out.push((f.clone(), name.clone(), value.clone()));
            }
            at.clone_from(&f.parent);
        }
        out
    }

    pub fn declare(&self, name: &str, value: Value) {
        self.vars.borrow_mut().insert(Rc::from(name), value);
    }
}

/// What `this` is inside a body.
#[derive(Clone, Debug)]
pub enum This {
    Script,
    Object(Rc<Object>),
    /// A static method's body: its class's static fields and methods are in reach by bare
    /// name, as Groovy resolves them against the class.
    Static(Rc<UserClass>),
}

/// Everything an expression is evaluated against: the lexical frame, `this`, a closure's
/// delegate, and the dynamic pipeline state (environment, directory, stage) of the branch.
#[derive(Clone, Debug)]
pub struct Cx {
    pub frame: Rc<Frame>,
    pub this: This,
    pub delegate: Option<Value>,
    pub dynamic: Rc<Dynamic>,
}

impl Cx {
    #[must_use]
    pub fn with_frame(&self, frame: Rc<Frame>) -> Cx {
        Cx {
            frame,
            this: self.this.clone(),
            delegate: self.delegate.clone(),
            dynamic: self.dynamic.clone(),
        }
    }

    #[must_use]
    pub fn with_dynamic(&self, dynamic: Dynamic) -> Cx {
        Cx {
            frame: self.frame.clone(),
            this: self.this.clone(),
            delegate: self.delegate.clone(),
            dynamic: Rc::new(dynamic),
        }
    }
}
