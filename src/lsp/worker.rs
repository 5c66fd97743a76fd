//! The lint worker: one thread that parses and lints off the message loop, so hover and
//! completion are answered while a long document is being checked. Each job carries the
//! document's generation; the loop drops a result whose generation is no longer current.
//! Jobs that queued up while the worker was busy coalesce to the latest per document.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};

use indexmap::IndexMap;

use crate::lint::LintOptions;
use crate::lsp::analysis::{Analysis, analyse};
use crate::lsp::document::Document;
use crate::lsp::handlers::diagnostics;

/// One document version to analyse, with the options of its directory (or why they are
/// unusable).
pub(super) struct Job {
    pub(super) key: String,
    pub(super) doc: Document,
    pub(super) options: Result<Arc<LintOptions>, String>,
}

/// A finished analysis, for the generation of the document it was made from.
pub(super) struct Done {
    pub(super) key: String,
    pub(super) generation: u64,
    pub(super) analysis: Analysis,
}

/// Starts the worker; `deliver` hands each result to the loop and says `false` once the loop
/// is gone, which ends the thread.
pub(super) fn spawn(deliver: impl Fn(Done) -> bool + Send + 'static) -> Sender<Job> {
    let (jobs, queue) = channel::<Job>();
    std::thread::spawn(move || {
        while let Ok(first) = queue.recv() {
            let mut latest: IndexMap<String, Job> = IndexMap::new();
            latest.insert(first.key.clone(), first);
            for job in queue.try_iter() {
                latest.insert(job.key.clone(), job);
            }
            for (key, job) in latest {
                let generation = job.doc.generation;
                let analysis = run(&job);
                if !deliver(Done {
                    key,
                    generation,
                    analysis,
                }) {
                    return;
                }
            }
        }
    });
    jobs
}

/// The analysis, or the one note that stands in for it (configuration unusable, a panic).
fn run(job: &Job) -> Analysis {
    let note = |message: &str| Analysis {
        version: job.doc.version,
        note: Some(diagnostics::config_error(message)),
        ..Analysis::default()
    };
    match &job.options {
        Ok(options) => catch_unwind(AssertUnwindSafe(|| analyse(&job.doc, options)))
            .unwrap_or_else(|_| note("internal error: lint panicked on this document")),
        Err(message) => note(message),
    }
}
