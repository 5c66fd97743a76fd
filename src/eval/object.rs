//! Objects that are neither numbers, strings nor collections: instances of classes declared
//! in the script, and the few JDK objects scripts create (`StringBuilder`, `Date`,
//! `SimpleDateFormat`, `JsonSlurper`, `Random`).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

use super::args::CallArgs;
use super::flow::R;
use super::host::LocalBoxFuture;
use super::interp::Interp;
use super::scope::Cx;
use super::value::Value;
use crate::source::Span;
use crate::syntax::ast;

/// A class declared in the script.
#[derive(Debug)]
pub struct UserClass {
    pub name: String,
    pub def: Rc<ast::ClassDef>,
    pub methods: HashMap<String, Vec<Rc<ast::MethodDef>>>,
    pub superclass: Option<String>,
    /// Static fields and, for an enum, its constants; filled before the script runs.
    pub statics: RefCell<IndexMap<String, Value>>,
    pub is_enum: bool,
}

/// Whether a field declaration is `static`.
#[must_use]
pub fn is_static(decl: &ast::VarDecl) -> bool {
    decl.modifiers.iter().any(|m| m.node == "static")
}

#[derive(Debug)]
pub enum Object {
    Instance {
        class: Rc<UserClass>,
        fields: RefCell<IndexMap<String, Value>>,
        id: usize,
    },
    StringBuilder(RefCell<String>),
    /// Milliseconds since the epoch, UTC.
    Date(i64),
    SimpleDateFormat(String),
    JsonSlurper {
        classic: bool,
    },
    Random(RefCell<u64>),
    /// A `Map.Entry`, as `for (e in map)` and `map.each { e -> }` see it.
    Entry(Value, Value),
    /// An object the embedding host provides: `env`, `params`, `currentBuild`.
    Host(Rc<dyn HostObject>),
    /// `Calendar`, `UUID`, `MessageDigest`, `Base64` coders, `StringReader`.
    Util(super::classes::util::Util),
}

/// Properties and methods of a host-provided object.
pub trait HostObject: std::fmt::Debug {
    fn class_name(&self) -> &str;
    fn get(&self, name: &str, cx: &Cx) -> R<Value>;
    fn set(&self, name: &str, value: Value, cx: &Cx) -> R<()>;
    /// A method call; `None` when the object has no such method.
    fn call(&self, _name: &str, _args: &[Value], _cx: &Cx) -> Option<R<Value>> {
        None
    }
    /// A method that runs steps or a body (`docker.image(…).inside { }`): asynchronous, with
    /// the interpreter to call closures. Tried before [`HostObject::call`]; `None` when the
    /// object has no such method.
    fn call_async<'a>(
        &'a self,
        _interp: &'a Interp,
        _name: &'a str,
        _args: &CallArgs,
        _span: Span,
        _cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        None
    }
    fn to_text(&self) -> String {
        self.class_name().to_string()
    }
    /// What `for (x in obj)` walks, for an object that is `Iterable` in Jenkins
    /// (`ChangeLogSet`); `None`: the object itself, as for any other object.
    fn items(&self) -> Option<Vec<Value>> {
        None
    }
}

impl Object {
    #[must_use]
    pub fn class_name(&self) -> &str {
        match self {
            Object::Instance { class, .. } => &class.name,
            Object::StringBuilder(_) => "java.lang.StringBuilder",
            Object::Date(_) => "java.util.Date",
            Object::SimpleDateFormat(_) => "java.text.SimpleDateFormat",
            Object::JsonSlurper { classic: false } => "groovy.json.JsonSlurper",
            Object::JsonSlurper { classic: true } => "groovy.json.JsonSlurperClassic",
            Object::Random(_) => "java.util.Random",
            Object::Entry(..) => "java.util.LinkedHashMap$Entry",
            Object::Host(h) => h.class_name(),
            Object::Util(u) => u.class_name(),
        }
    }

    /// `toString` of objects that have no `toString` method of their own in the script.
    #[must_use]
    pub fn to_text(&self) -> String {
        match self {
            Object::Instance { class, fields, .. } if class.is_enum => fields
                .borrow()
                .get("name")
                .map_or_else(String::new, super::text::to_string),
            Object::Instance { class, id, .. } => format!("{}@{id:08x}", class.name),
            Object::StringBuilder(s) => s.borrow().clone(),
            Object::Date(ms) => super::classes::date::to_java_string(*ms),
            Object::Entry(k, v) => format!(
                "{}={}",
                super::text::to_string(k),
                super::text::to_string(v)
            ),
            Object::Host(h) => h.to_text(),
            Object::Util(u) if u.to_text().is_some() => u.to_text().unwrap_or_default(),
            other => format!("{}@0", other.class_name()),
        }
    }

    #[must_use]
    pub fn equals(self: &Rc<Self>, other: &Rc<Self>) -> bool {
        match (&**self, &**other) {
            (Object::Date(a), Object::Date(b)) => a == b,
            (Object::Util(a), Object::Util(b)) => a.equals(b) || Rc::ptr_eq(self, other),
            _ => Rc::ptr_eq(self, other),
        }
    }

    #[must_use]
    pub fn compare(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Object::Date(a), Object::Date(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}
