//! Parsing Jenkinsfiles (a Groovy 2.4-shaped language) into the spanned tree in `ast`.
//! pest is visible only inside this module: `parser` runs the grammar and turns its errors
//! into `Diagnostic`s, `lower` turns pairs into the tree. Never imports tokio, bollard, kube
//! or aws.

pub mod ast;
mod depth;
mod lower;
mod parser;
pub mod print;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// The deepest nesting of brackets, blocks, closures and expressions that is accepted. Every
/// later phase walks the tree recursively, so this bound is what keeps them off the stack limit.
pub const MAX_NESTING: usize = 500;

/// Parses a whole file. On failure the diagnostics say what was expected, where.
pub fn parse(source: &SourceFile) -> Result<ast::File, Vec<Diagnostic>> {
    if let Some(diag) = depth::check(&source.text) {
        return Err(vec![diag]);
    }
    let pairs = parser::parse(&source.text).map_err(|d| vec![*d])?;
    lower::file(pairs, &source.text).map_err(|d| vec![*d])
}
