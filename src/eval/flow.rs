//! How evaluation leaves the normal path: a thrown Groovy exception, `return`, `break`,
//! `continue`, or a fatal interpreter error (something we do not support), which no `catch`
//! can intercept because Groovy would not have raised it.

use std::rc::Rc;

use super::exception::Exception;
use super::value::Value;
use crate::source::Span;

#[derive(Debug)]
pub enum Flow {
    /// A thrown `Throwable` (always a `Value::Exception`).
    Throw(Rc<Exception>),
    Return(Value),
    Break(Option<String>),
    Continue(Option<String>),
    Fatal(Box<Fatal>),
}

/// An error of this interpreter, not of the script: an unsupported method or construct.
#[derive(Debug, Clone)]
pub struct Fatal {
    pub message: String,
    pub span: Span,
}

pub type R<T> = Result<T, Flow>;

impl Flow {
    #[cold]
    #[must_use]
    pub fn exception(class: &str, message: impl Into<String>) -> Flow {
        Flow::Throw(Rc::new(Exception::new(class, Some(message.into()))))
    }

    #[cold]
    #[must_use]
    pub fn fatal(message: impl Into<String>, span: Span) -> Flow {
        Flow::Fatal(Box::new(Fatal {
            message: message.into(),
            span,
        }))
    }

    #[cold]
    #[must_use]
    pub fn unsupported_method(name: &str, recv: &Value, span: Span) -> Flow {
        Flow::fatal(
            format!("unsupported Groovy method {name} on {}", recv.class_name()),
            span,
        )
    }

    #[cold]
    #[must_use]
    pub fn npe(message: impl Into<String>) -> Flow {
        Flow::exception("java.lang.NullPointerException", message)
    }

    /// Fills in a span for errors raised where no span was known (the innermost wins).
    #[must_use]
    pub fn at(self, span: Span) -> Flow {
        match self {
            Flow::Fatal(mut f) if f.span == Span::default() => {
                f.span = span;
                Flow::Fatal(f)
            }
            Flow::Throw(e) if e.span.get().is_none() => {
                e.span.set(Some(span));
                Flow::Throw(e)
            }
            other => other,
        }
    }
}
