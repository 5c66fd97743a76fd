//! The Groovy interpreter: runs the tree from `syntax` on one thread, as Jenkins runs
//! pipeline code (CPS), with parallel branches interleaving at their waits. Values, the GDK
//! subset, the JDK classes scripts use, and the plain-Groovy entry point used by
//! `jenkinsfile groovy` live here. Imports tokio only for the runtime that drives it.

// Java's numeric conversions wrap, truncate and lose precision, and Groovy programs rely on
// exactly that (`(int) 3000000000L`, `list.size()` as an `Integer`, `Math.round`); the casts in
// this module reproduce them on purpose.
#![allow(
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
// Method tables match one Groovy method (or receiver type) per arm, in the order of the GDK
// docs; merging arms that happen to share a body would hide which method is which.
#![allow(clippy::match_same_arms)]

pub mod access;
pub mod args;
pub mod assert_text;
pub mod bean;
pub mod call;
pub mod cast;
pub mod classes;
pub mod closure;
pub mod coll;
pub mod compare;
pub mod construct;
pub mod decimal;
pub mod declarative;
pub mod display;
pub mod dynamic;
pub mod exception;
pub mod expr;
pub mod flow;
pub mod format;
pub mod gdk;
pub mod gstring;
pub mod host;
pub mod interp;
pub mod literal;
pub mod method;
pub mod names;
pub mod num;
pub mod object;
pub mod ops;
pub mod pipeline;
pub mod regex;
pub mod scope;
pub mod stmt;
pub mod superclass;
pub mod text;
pub mod value;

#[cfg(test)]
mod tests;

pub use self::pipeline::{BuildOutcome, BuildRecord, RunConfig, run_pipeline};

use std::cell::RefCell;
use std::rc::Rc;

use self::dynamic::Dynamic;
use self::host::PlainHost;
use self::interp::{Interp, Outcome};
use crate::source::SourceFile;
use crate::syntax::ast;

/// What a plain Groovy script printed, and how it ended.
#[derive(Debug)]
pub struct ScriptRun {
    pub stdout: String,
    /// `None` when it finished; otherwise what `groovy` prints on stderr after `Caught: `.
    pub failure: Option<ScriptFailure>,
}

#[derive(Debug)]
pub enum ScriptFailure {
    /// An uncaught exception, as `toString()` prints it, and where it was raised.
    Exception { text: String, line: Option<usize> },
    /// Something this interpreter does not support.
    Unsupported {
        message: String,
        line: usize,
        column: usize,
    },
}

/// The stack of the thread `run_groovy` runs on, and the call depth that fits in it.
const GROOVY_STACK: usize = 256 << 20;
const GROOVY_MAX_DEPTH: u32 = 2000;

/// Runs a plain Groovy script (no pipeline globals or steps) and collects what it prints.
/// `script_class` is the class name Groovy gives the script (the file name without `.groovy`).
/// Runs on a thread of its own with a large stack, so deep recursion works as in Groovy.
#[must_use]
pub fn run_groovy(source: &SourceFile, file: &ast::File, script_class: &str) -> ScriptRun {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("jenkinsfile-groovy".into())
            .stack_size(GROOVY_STACK)
            .spawn_scoped(scope, || {
                run_groovy_here(source, file, script_class, GROOVY_MAX_DEPTH)
            });
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => run_groovy_here(source, file, script_class, interp::MAX_CALL_DEPTH),
        }
    })
}

fn run_groovy_here(
    source: &SourceFile,
    file: &ast::File,
    script_class: &str,
    max_depth: u32,
) -> ScriptRun {
    let out = Rc::new(RefCell::new(String::new()));
    let sink = out.clone();
    let host = PlainHost {
        script_class: script_class.to_string(),
        out: Box::new(move |t: &str| sink.borrow_mut().push_str(t)),
    };
    let interp = Interp::new(Rc::new(host));
    interp.max_depth.set(max_depth);
    interp.set_source(&source.text);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return ScriptRun {
                stdout: String::new(),
                failure: Some(ScriptFailure::Unsupported {
                    message: format!("cannot start the async runtime: {e}"),
                    line: 1,
                    column: 1,
                }),
            };
        }
    };
    let local = tokio::task::LocalSet::new();
    let cx = interp.root_cx(Dynamic::default());
    let result = local.block_on(&runtime, interp.run_file(file, &cx));
    let failure = match result {
        Ok(_) => None,
        Err(Outcome::Uncaught(e)) => Some(ScriptFailure::Exception {
            text: e.to_string(),
            line: e.span.get().map(|s| source.line_col(s.start as usize).line),
        }),
        Err(Outcome::Fatal(f)) => {
            let lc = source.line_col(f.span.start as usize);
            Some(ScriptFailure::Unsupported {
                message: f.message,
                line: lc.line,
                column: lc.column,
            })
        }
    };
    let stdout = out.borrow().clone();
    ScriptRun { stdout, failure }
}
