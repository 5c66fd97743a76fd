//! Parsing Jenkinsfiles (a Groovy 2.4-shaped language) into the spanned tree in `ast`.
//! pest is visible only inside this module: `parser` runs the grammar and turns its errors
//! into `Diagnostic`s, `lower` turns pairs into the tree. Never imports tokio, bollard, kube
//! or aws.

pub mod ast;
mod depth;
mod incremental;
mod lower;
mod parser;
pub mod print;

pub use incremental::{Reparse, reparse};

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// The deepest nesting of brackets, blocks, closures and expressions that is accepted. Every
/// later phase walks the tree recursively, so this bound is what keeps them off the stack limit.
pub const MAX_NESTING: usize = 500;

/// The stack the parser runs on. pest recurses once per grammar rule, several frames per
/// nesting level, so a caller's small thread stack (2 MiB for Rust's spawned threads) could
/// run out well before `MAX_NESTING`. The memory is reserved, not committed, until used.
const PARSE_STACK: usize = 256 << 20;

/// Parses a whole file. On failure the diagnostics say what was expected, where.
pub fn parse(source: &SourceFile) -> Result<ast::File, Vec<Diagnostic>> {
    if let Some(diag) = depth::check(&source.text) {
        return Err(vec![diag]);
    }
    on_parse_stack(|| parse_here(source))
}

/// Runs `f` on a thread with `PARSE_STACK` of stack, or on this one if none can be had
/// (pest's stack guard still applies).
fn on_parse_stack<T: Send>(f: impl Fn() -> T + Sync) -> T {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("jenkinsfile-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, &f);
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => f(),
        }
    })
}

fn parse_here(source: &SourceFile) -> Result<ast::File, Vec<Diagnostic>> {
    let pairs = parser::parse(&source.text).map_err(|d| vec![*d])?;
    lower::file(pairs).map_err(|d| vec![*d])
}
