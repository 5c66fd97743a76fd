//! Runs one build around an interpreter: starts the sinks (user's stream and the build log,
//! both behind the masking stage), hands the interpreter its first [`StepContext`], turns
//! Ctrl-C into an abort of every running step, emits `Finished`, and writes the record.
//!
//! Contract with the interpreter: it emits everything from `PipelineStart` to `PipelineEnd`,
//! including the final `ERROR: …` (or interruption causes, or stack trace) after it, and
//! returns the build result; this module emits only `Finished: <RESULT>`.

use std::fs::File;
use std::future::Future;
use std::io::{self, BufWriter, Write};

use tokio::task::LocalSet;

use super::{BuildRecord, Session};
use crate::report::console::Console;
use crate::report::sink::{Format, Sinks, drain};
use crate::report::{BuildResult, Emitter, Event, now_ms};
use crate::steps::{Cancel, StepContext, kill_leftovers};

/// How the user wants to see the build.
#[derive(Clone, Debug, Default)]
pub struct DriveOptions {
    pub format: Format,
    pub timestamps: bool,
    /// Masked from the first line (values known before the build starts).
    pub secrets: Vec<String>,
}

/// How a driven build ended.
#[derive(Debug)]
pub struct Driven {
    pub result: BuildResult,
    /// Ctrl-C was pressed: the build was aborted, and the process should exit 130.
    pub interrupted: bool,
    pub record: BuildRecord,
}

/// Runs `body` (the interpreter) as build `session`, writing the user's stream to `out`.
pub fn drive<B, F>(
    session: &Session,
    options: &DriveOptions,
    out: Box<dyn Write>,
    body: B,
) -> io::Result<Driven>
where
    B: FnOnce(StepContext) -> F,
    F: Future<Output = BuildResult>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let log = BufWriter::new(File::create(session.build.log_path())?);
    let mut sinks = Sinks::new(
        options.format,
        Console {
            timestamps: options.timestamps,
        },
        out,
    )
    .with_log(Box::new(log));
    sinks.add_secrets(&options.secrets);
    let (emit, rx) = Emitter::channel();
    let cancel = Cancel::new();
    let ctx = session.step_context(emit.clone(), cancel.clone());
    let started = now_ms();
    let local = LocalSet::new();
    let (result, interrupted, summary) = local.block_on(&runtime, async move {
        let sink_task = tokio::task::spawn_local(drain(rx, sinks));
        let build = body(ctx);
        tokio::pin!(build);
        let mut interrupted = false;
        let mut listening = true;
        let result = loop {
            tokio::select! {
                result = &mut build => break result,
                signal = tokio::signal::ctrl_c(), if listening => {
                    listening = false;
                    // Without signal handling the build simply runs on.
                    if signal.is_ok() {
                        interrupted = true;
                        cancel.cancel("Aborted by user");
                        // A second Ctrl-C ends everything at once.
                        tokio::task::spawn_local(async {
                            if tokio::signal::ctrl_c().await.is_ok() {
                                kill_leftovers();
                                std::process::exit(130);
                            }
                        });
                    }
                }
            }
        };
        let result = if interrupted {
            result.max(BuildResult::Aborted)
        } else {
            result
        };
        emit.emit(Event::Finished {
            result,
            duration_ms: now_ms().saturating_sub(started),
        });
        drop(emit);
        // The sink ends when every emitter is gone; one kept by a leaked task would hang us,
        // so the interpreter must not keep emitters past its own end.
        let summary = sink_task.await.unwrap_or_default();
        (result, interrupted, summary)
    });
    let record = session.finish(&summary)?;
    Ok(Driven {
        result,
        interrupted,
        record,
    })
}
