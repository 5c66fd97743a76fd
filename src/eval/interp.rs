//! The interpreter: script-level state (binding, methods, classes, imports) and the entry
//! point that runs a parsed file. Statements live in `stmt`, expressions in `expr`, calls in
//! `call`.
//!
//! Evaluation is async because a pipeline step inside a closure must be able to wait for a
//! process while other parallel branches go on, all on one thread. Each tree node that can
//! contain a call is evaluated through one boxed future (recursion needs the box); literals
//! and variable reads are answered synchronously without allocating, which keeps the common
//! leaves cheap.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

use super::closure::Closure;
use super::dynamic::Dynamic;
use super::exception::Exception;
use super::flow::{Fatal, Flow};
use super::host::Host;
use super::object::UserClass;
use super::scope::{Cx, Frame, This};
use super::value::{Key, Value};
use crate::source::Span;
use crate::syntax::ast::{self, StmtKind};

/// How many nested calls are allowed before `StackOverflowError`, by default: what fits in an
/// 8 MiB thread stack in a debug build (`eval::tests::deep_recursion_fits_in_a_main_thread_stack`).
pub const MAX_CALL_DEPTH: u32 = 200;

pub struct Interp {
    pub host: Rc<dyn Host>,
    /// Script variables assigned without a declaration, and `@Field`s; shared with the
    /// scripts this one `load`s (`pipeline/load.rs`).
    pub binding: Rc<RefCell<IndexMap<String, Value>>>,
    pub methods: RefCell<HashMap<String, Vec<Rc<ast::MethodDef>>>>,
    pub classes: RefCell<HashMap<String, Rc<UserClass>>>,
    /// Imported simple names and aliases, to their qualified names.
    pub imports: RefCell<HashMap<String, String>>,
    closures: RefCell<HashMap<u32, Rc<ast::Closure>>>,
    next_id: Cell<usize>,
    /// Shared with the scripts this one `load`s: one call stack.
    pub depth: Rc<Cell<u32>>,
    /// The call depth limit; raise it only on a thread with a larger stack.
    pub max_depth: Cell<u32>,
    source: RefCell<Rc<str>>,
    /// The closures of maps made by `withDefault` (`gdk/map_default.rs`).
    pub(crate) map_defaults: RefCell<Vec<MapDefault>>,
    /// Set once the script makes a `GString` that calls a closure at each rendering
    /// (`${-> x}`): until then there is nothing for `refresh_lazy` to do.
    pub(crate) lazy_calls: Cell<bool>,
    /// The scripts sharing this binding, and the ones this one `load`ed (`pipeline/load.rs`).
    pub(crate) family: super::pipeline::load::Family,
}

/// A map made by `withDefault`, held weakly, and its default closure.
pub(crate) type MapDefault = (
    std::rc::Weak<super::coll::Shared<IndexMap<Key, Value>>>,
    Rc<Closure>,
);

/// How a script ended when it did not finish normally.
#[derive(Debug)]
pub enum Outcome {
    /// An exception nobody caught.
    Uncaught(Rc<Exception>),
    /// Something this interpreter does not support.
    Fatal(Fatal),
}

impl Interp {
    #[must_use]
    pub fn new(host: Rc<dyn Host>) -> Interp {
        Interp {
            host,
            binding: Rc::default(),
            methods: RefCell::default(),
            classes: RefCell::default(),
            imports: RefCell::default(),
            closures: RefCell::default(),
            next_id: Cell::new(1),
            lazy_calls: Cell::new(false),
            depth: Rc::new(Cell::new(0)),
            max_depth: Cell::new(MAX_CALL_DEPTH),
            source: RefCell::new(Rc::from("")),
            map_defaults: RefCell::default(),
            family: super::pipeline::load::Family::default(),
        }
    }

    /// A fresh interpreter for another script (a `load`ed file) with the same host and
    /// binding: its methods, classes and imports are its own.
    #[must_use]
    pub fn sharing_binding(&self) -> Interp {
        let mut other = Interp::new(self.host.clone());
        other.binding = self.binding.clone();
        other.max_depth.set(self.max_depth.get());
        other.depth = self.depth.clone();
        other.family = self.family.relative();
        other
    }

    /// Whether `def` is one of this script's closure literals.
    #[must_use]
    pub(crate) fn owns_closure(&self, def: &Rc<ast::Closure>) -> bool {
        self.closures.borrow().values().any(|d| Rc::ptr_eq(d, def))
    }

    /// The script text, so that `assert` can quote the failed expression.
    pub fn set_source(&self, text: &str) {
        *self.source.borrow_mut() = Rc::from(text);
    }

    /// The script text, for numbering stack-trace lines.
    #[must_use]
    pub fn source(&self) -> Rc<str> {
        self.source.borrow().clone()
    }

    #[must_use]
    pub fn source_text(&self, span: Span) -> String {
        self.source
            .borrow()
            .get(span.range())
            .unwrap_or("")
            .to_string()
    }

    #[must_use]
    pub fn next_id(&self) -> usize {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// The shared copy of a closure's tree, made once per closure literal.
    #[must_use]
    pub fn closure_def(&self, def: &ast::Closure, span: Span) -> Rc<ast::Closure> {
        self.closures
            .borrow_mut()
            .entry(span.start)
            .or_insert_with(|| Rc::new(def.clone()))
            .clone()
    }

    /// A fresh top-level context: the `run()` frame of the script.
    #[must_use]
    pub fn root_cx(&self, dynamic: Dynamic) -> Cx {
        Cx {
            frame: Frame::root(),
            this: This::Script,
            delegate: None,
            dynamic: Rc::new(dynamic),
        }
    }

    /// Registers the methods, classes and imports of a file; Groovy knows them all before
    /// the first statement runs.
    pub fn declare(&self, file: &ast::File) {
        for stmt in &file.stmts {
            match &stmt.node {
                StmtKind::Method(m) => {
                    self.methods
                        .borrow_mut()
                        .entry(m.name.node.clone())
                        .or_default()
                        .push(Rc::new(m.clone()));
                }
                StmtKind::Class(c) => self.declare_class(c),
                StmtKind::Import(i) => {
                    let path = &i.path.node;
                    let simple = i.alias.as_ref().map_or_else(
                        || path.rsplit('.').next().unwrap_or(path).to_string(),
                        |a| a.node.clone(),
                    );
                    if !i.star {
                        self.imports.borrow_mut().insert(simple, path.clone());
                    }
                }
                _ => {}
            }
        }
    }

    /// Evaluates static field initializers and creates enum constants, class by class.
    async fn init_statics(&self, cx: &Cx) -> super::flow::R<()> {
        let classes: Vec<Rc<UserClass>> = self.classes.borrow().values().cloned().collect();
        for class in classes {
            for (ordinal, name) in class.def.constants.iter().enumerate() {
                let fields = IndexMap::from([
                    ("name".to_string(), Value::str(&name.node)),
                    ("ordinal".to_string(), Value::Int(ordinal as i32)),
                ]);
                let constant = Value::Object(Rc::new(super::object::Object::Instance {
                    class: class.clone(),
                    fields: RefCell::new(fields),
                    id: self.next_id(),
                }));
                class
                    .statics
                    .borrow_mut()
                    .insert(name.node.clone(), constant);
            }
            for member in &class.def.members {
                if let ast::Member::Field(f) = member
                    && super::object::is_static(f)
                    && let ast::DeclTargets::Names(names) = &f.targets
                {
                    for d in names {
                        let v = match &d.init {
                            Some(e) => self.eval(e, cx).await?,
                            None => f.ty.as_ref().map_or(Value::Null, super::cast::default_for),
                        };
                        class.statics.borrow_mut().insert(d.name.node.clone(), v);
                    }
                }
            }
        }
        Ok(())
    }

    /// The script class `this` belongs to, or the one a static method runs in.
    #[must_use]
    pub fn static_of(&self, cx: &Cx, name: &str) -> Option<Rc<UserClass>> {
        if let This::Static(class) = &cx.this
            && class.statics.borrow().contains_key(name)
        {
            return Some(class.clone());
        }
        if let This::Object(o) = &cx.this
            && let super::object::Object::Instance { class, .. } = &**o
            && class.statics.borrow().contains_key(name)
        {
            return Some(class.clone());
        }
        self.classes
            .borrow()
            .values()
            .find(|c| c.statics.borrow().contains_key(name) && !c.is_enum)
            .cloned()
    }

    fn declare_class(&self, c: &ast::ClassDef) {
        let mut methods: HashMap<String, Vec<Rc<ast::MethodDef>>> = HashMap::new();
        for member in &c.members {
            match member {
                ast::Member::Method(m) => methods
                    .entry(m.name.node.clone())
                    .or_default()
                    .push(Rc::new(m.node.clone())),
                ast::Member::Class(inner) => self.declare_class(inner),
                _ => {}
            }
        }
        let class = UserClass {
            name: c.name.node.clone(),
            def: Rc::new(c.clone()),
            methods,
            superclass: c.extends.first().map(|t| t.name.clone()),
            statics: RefCell::default(),
            is_enum: c.kind == ast::ClassKind::Enum,
        };
        self.classes
            .borrow_mut()
            .insert(c.name.node.clone(), Rc::new(class));
    }

    /// Runs a whole script. `Ok` when it finished (even by `return`).
    pub async fn run_file(&self, file: &ast::File, cx: &Cx) -> Result<Value, Outcome> {
        self.declare(file);
        let run = async {
            self.init_statics(cx).await?;
            self.exec_stmts(&file.stmts, cx).await
        };
        match run.await {
            Ok(()) => Ok(Value::Null),
            Err(Flow::Return(v)) => Ok(v),
            Err(Flow::Throw(e)) => Err(Outcome::Uncaught(e)),
            Err(Flow::Fatal(f)) => Err(Outcome::Fatal(*f)),
            Err(Flow::Break(_) | Flow::Continue(_)) => Err(Outcome::Fatal(Fatal {
                message: "break or continue outside a loop".into(),
                span: Span::default(),
            })),
        }
    }
}
