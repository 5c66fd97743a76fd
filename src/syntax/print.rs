//! Placeholder: replaced by the S-expression printer.
use crate::syntax::ast::File;

#[must_use]
pub fn sexpr(_file: &File) -> String {
    String::new()
}
