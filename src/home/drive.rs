//! Runs one build around an interpreter: starts the sinks (user's stream and the build log,
//! both behind the masking stage), hands the interpreter its first [`StepContext`], turns
//! Ctrl-C into an abort of every running step (a second Ctrl-C stops waiting, kills what is
//! left and still closes the log and writes the record), and writes the record.
//!
//! Contract with the interpreter: it emits every event, from `PipelineStart` to `Finished`
//! (the final `ERROR: …` included), and drops its emitters when it returns.

use std::fs::File;
use std::future::Future;
use std::io::{self, BufWriter, Write};

use tokio::task::LocalSet;

use super::{BuildRecord, Session};
use crate::report::console::Console;
use crate::report::sink::{Format, Sinks, drain};
use crate::report::{BuildResult, Emitter, Event, millis};
use crate::steps::{Cancel, StepContext, kill_leftovers};

/// How the user wants to see the build.
#[derive(Clone, Debug, Default)]
pub struct DriveOptions {
    pub format: Format,
    pub timestamps: bool,
    /// Masked from the first line (values known before the build starts).
    pub secrets: Vec<String>,
    /// Lines printed before the pipeline starts (like Jenkins' `Started by …` header).
    pub preamble: Vec<String>,
}

/// What the interpreter reports at the end, for the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ending {
    pub result: BuildResult,
    /// `currentBuild.displayName`, if the build set one.
    pub display_name: Option<String>,
    /// `currentBuild.description`, if the build set one.
    pub description: Option<String>,
}

impl From<BuildResult> for Ending {
    fn from(result: BuildResult) -> Self {
        Self {
            result,
            display_name: None,
            description: None,
        }
    }
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
    F: Future<Output = Ending>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let log = BufWriter::new(File::create(session.build.log_path())?);
    let console = Console {
        timestamps: options.timestamps,
    };
    let mut sinks = Sinks::new(options.format, console, out).with_log(Box::new(log));
    sinks.add_secrets(&options.secrets);
    let (emit, rx) = Emitter::channel();
    let cancel = Cancel::new();
    for line in &options.preamble {
        emit.log(line.clone());
    }
    // Kept to close the log ourselves if a second Ctrl-C abandons the interpreter.
    let closer = emit.clone();
    let ctx = session.step_context(emit, cancel.clone());
    let cause = cancel.clone();
    let started = std::time::Instant::now();
    let local = LocalSet::new();
    let (ending, interrupted, summary) = local.block_on(&runtime, async move {
        let sink_task = tokio::task::spawn_local(drain(rx, sinks));
        let mut build = Box::pin(body(ctx));
        let mut interrupted = false;
        let mut listening = true;
        // `kill` and a closed terminal abort the build as Ctrl-C does, so that containers,
        // temporary credentials and build records are cleaned up the same way.
        let mut terminate = TerminationSignals::new();
        let ending = loop {
            tokio::select! {
                ending = &mut build => break Some(ending),
                signal = tokio::signal::ctrl_c(), if listening => {
                    // Without signal handling the build simply runs on.
                    if signal.is_err() {
                        listening = false;
                        continue;
                    }
                }
                () = terminate.recv() => {}
            }
            if interrupted {
                // A second signal stops waiting for the build to wind down.
                break None;
            }
            interrupted = true;
            cancel.cancel(&super::queue::interruption_cause(&session.job));
        };
        let ending = ending.unwrap_or_else(|| {
            // Dropping the interpreter kills the process groups of its running steps.
            drop(build);
            kill_leftovers();
            closer.log("Aborted by user");
            closer.emit(Event::Finished {
                result: BuildResult::Aborted,
                duration_ms: millis(started.elapsed()),
            });
            Ending::from(BuildResult::Aborted)
        });
        drop(closer);
        // The sink ends when every emitter is gone: the interpreter has dropped its own.
        let summary = sink_task.await.unwrap_or_default();
        (ending, interrupted, summary)
    });
    let mut result = summary
        .result
        .map_or(ending.result, |printed| printed.max(ending.result));
    if interrupted {
        // A newer build's milestone interrupts with NOT_BUILT (`supersede.rs`).
        let cause = cause.reason();
        result = super::supersede::interrupted_result(
            result.max(BuildResult::Aborted),
            cause.as_deref(),
        );
    }
    let record = session.finish(&summary, &ending, result)?;
    Ok(Driven {
        result,
        interrupted,
        record,
    })
}

/// SIGTERM and SIGHUP, as one stream; a signal that cannot be listened to never fires.
struct TerminationSignals {
    term: Option<tokio::signal::unix::Signal>,
    hangup: Option<tokio::signal::unix::Signal>,
}

impl TerminationSignals {
    fn new() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        Self {
            term: signal(SignalKind::terminate()).ok(),
            hangup: signal(SignalKind::hangup()).ok(),
        }
    }

    async fn recv(&mut self) {
        async fn one(signal: &mut Option<tokio::signal::unix::Signal>) {
            if let Some(stream) = signal
                && stream.recv().await.is_some()
            {
                return;
            }
            std::future::pending::<()>().await;
        }
        tokio::select! {
            () = one(&mut self.term) => {}
            () = one(&mut self.hangup) => {}
        }
    }
}
