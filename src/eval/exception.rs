//! Java throwables as values: a class name, a message, an optional cause and the span where
//! it was raised. `toString` is Java's: `class: message`, or just the class (always for
//! `FlowInterruptedException`, whose message is null in Jenkins).

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use super::object::Object;
use super::value::Value;
use crate::source::Span;

#[derive(Debug)]
pub struct Exception {
    /// Fully qualified: `java.lang.IllegalStateException`, `hudson.AbortException`.
    pub class: String,
    pub message: Option<String>,
    pub cause: Option<Value>,
    pub span: Cell<Option<Span>>,
    /// Stack frames in `load`ed files it passed through, innermost first
    /// (`\tat Script1.run(ci/x.groovy:3)`); `span` is then where the main script called in.
    pub trace: std::cell::RefCell<Vec<String>>,
    /// Set for an instance of a throwable class declared in the script.
    pub script: Option<ScriptThrowable>,
}

/// A script class that extends a JDK throwable (`class DeployException extends
/// RuntimeException`): its instance holds the fields and methods, the exception the rest.
#[derive(Debug)]
pub struct ScriptThrowable {
    pub instance: Rc<Object>,
    /// The script classes from the instance's own up, by simple name.
    pub classes: Vec<String>,
    /// The JDK class the topmost script class extends, by simple name.
    pub jdk: String,
}

impl Exception {
    #[must_use]
    pub fn new(class: &str, message: Option<String>) -> Exception {
        Exception {
            class: class.to_string(),
            message,
            cause: None,
            span: Cell::new(None),
            trace: std::cell::RefCell::default(),
            script: None,
        }
    }

    /// `e.message` as a script sees it. Jenkins' `FlowInterruptedException` has no message
    /// (its causes are kept apart, and we keep the printed cause in `message`).
    #[must_use]
    pub fn script_message(&self) -> Value {
        if self.is_a("FlowInterruptedException") {
            return Value::Null;
        }
        self.message.as_deref().map_or(Value::Null, Value::str)
    }

    #[must_use]
    pub fn simple_name(&self) -> &str {
        self.class.rsplit('.').next().unwrap_or(&self.class)
    }

    /// Whether a `catch (T e)` with this type name catches it.
    #[must_use]
    pub fn is_a(&self, ty: &str) -> bool {
        let ty = ty.rsplit('.').next().unwrap_or(ty);
        let mut class = match &self.script {
            Some(s) if s.classes.iter().any(|c| c == ty) => return true,
            Some(s) => s.jdk.clone(),
            None => self.simple_name().to_string(),
        };
        loop {
            if class == ty {
                return true;
            }
            match superclass(&class) {
                Some(parent) => class = parent.to_string(),
                None => return false,
            }
        }
    }
}

/// The parent of a throwable class, by simple name. Unknown classes are taken to be
/// `Exception`s, as a user-defined exception class would usually be.
fn superclass(name: &str) -> Option<&'static str> {
    Some(match name {
        "Throwable" => return None,
        "Exception" | "Error" => "Throwable",
        "RuntimeException" | "IOException" | "InterruptedException" | "TimeoutException" => {
            "Exception"
        }
        "AssertionError" | "StackOverflowError" | "OutOfMemoryError" => "Error",
        "PowerAssertionError" => "AssertionError",
        "AbortException" | "FileNotFoundException" | "MalformedURLException" => "IOException",
        "NoSuchAlgorithmException" => "GeneralSecurityException",
        "GeneralSecurityException" => "Exception",
        "FlowInterruptedException" => "InterruptedException",
        "NumberFormatException" => "IllegalArgumentException",
        "ArrayIndexOutOfBoundsException" | "StringIndexOutOfBoundsException" => {
            "IndexOutOfBoundsException"
        }
        "MissingPropertyException" | "MissingMethodException" => "GroovyRuntimeException",
        _ => "RuntimeException",
    })
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) if !self.is_a("FlowInterruptedException") => write!(f, "{}: {m}", self.class),
            _ => f.write_str(&self.class),
        }
    }
}
