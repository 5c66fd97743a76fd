//! Build events and their renderers. The interpreter and the step executors describe what
//! happens as [`Event`]s sent through an [`Emitter`]; everything a user sees (console, JSON
//! lines, the stored build log) is rendered from those events after they pass the one masking
//! stage in [`mask`]. Nothing here knows about the interpreter (`eval`): it depends on us.

mod base64;
pub mod console;
pub mod json;
pub mod mask;
pub mod sink;
mod time;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

pub use self::base64::base64_encode;
pub use self::time::{iso8601, timespan};

/// A build or stage result, best first, so that `max` gives the worse of two (Jenkins'
/// `Result.combine`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BuildResult {
    Success,
    Unstable,
    Failure,
    NotBuilt,
    Aborted,
}

impl BuildResult {
    /// Jenkins' name: `SUCCESS`, `UNSTABLE`, `FAILURE`, `NOT_BUILT`, `ABORTED`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "SUCCESS",
            Self::Unstable => "UNSTABLE",
            Self::Failure => "FAILURE",
            Self::NotBuilt => "NOT_BUILT",
            Self::Aborted => "ABORTED",
        }
    }

    /// `Result.fromString`: case-insensitive, and anything unknown is FAILURE.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        match text.to_ascii_uppercase().as_str() {
            "SUCCESS" => Self::Success,
            "UNSTABLE" => Self::Unstable,
            "NOT_BUILT" => Self::NotBuilt,
            "ABORTED" => Self::Aborted,
            _ => Self::Failure,
        }
    }
}

impl fmt::Display for BuildResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identifies one stream of output: the main flow, or one parallel branch. Partial lines are
/// assembled per source, so that two branches never splice their output into one line.
pub type SourceId = u32;

/// Something that happened during the build. Console lines in the docs are what
/// `console.rs` prints for each event (runtime-semantics.md §9.1).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// `[Pipeline] Start of Pipeline`.
    PipelineStart,
    /// `[Pipeline] <name>`: any step, atom or block. `summary` is a short, human rendering of
    /// the arguments (shown by the JSON renderer only, as Jenkins' step view does).
    StepStart {
        name: String,
        summary: String,
        /// Whether the step takes a body; a block step ends with `[Pipeline] // <name>`.
        block: bool,
        stage: Option<String>,
        branch: Option<String>,
    },
    /// `[Pipeline] {`, or `[Pipeline] { (<label>)` (`Branch: A` for a parallel branch).
    BodyStart { label: Option<String> },
    /// `[Pipeline] }`.
    BodyEnd,
    /// Nothing for an atom step; `[Pipeline] // <name>` for a block step.
    StepEnd {
        name: String,
        block: bool,
        result: BuildResult,
        duration_ms: u64,
        /// The failure, if the step failed (the message Jenkins would print).
        error: Option<String>,
    },
    /// `[Pipeline] stage` then `[Pipeline] { (<name>)`.
    StageStart {
        name: String,
        branch: Option<String>,
    },
    /// `[Pipeline] }` then `[Pipeline] // stage`.
    StageEnd {
        name: String,
        result: BuildResult,
        /// True when the stage was skipped (when, earlier failure, unstable).
        skipped: bool,
        duration_ms: u64,
    },
    /// Bytes a step printed, decoded; not necessarily whole lines. The masking stage turns
    /// these into whole lines before any renderer sees them.
    Output { text: String },
    /// One whole line the runtime itself prints (`Running on Jenkins in /ws`,
    /// `Sleeping for 2 sec`, `Failed in branch A`, `Post stage`).
    Log { line: String },
    /// `ERROR: <message>`: an error printed where it is handled (end of build, catchError,
    /// retry).
    Error { message: String },
    /// Adds secret values to mask from now on (withCredentials). Never rendered.
    Secrets { values: Vec<String> },
    /// `[Pipeline] End of Pipeline`.
    PipelineEnd,
    /// `Finished: <RESULT>`. The last event of a build.
    Finished {
        result: BuildResult,
        duration_ms: u64,
    },
}

/// An event with the stream it belongs to and the wall-clock time it was emitted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Record {
    pub source: SourceId,
    /// Milliseconds since the Unix epoch.
    pub time_ms: u64,
    #[serde(flatten)]
    pub event: Event,
}

/// The sending end of the build's event channel, bound to one source. Cheap to clone;
/// [`Emitter::fork`] gives a parallel branch its own source.
#[derive(Clone, Debug)]
pub struct Emitter {
    tx: UnboundedSender<Record>,
    source: SourceId,
    next_source: Arc<AtomicU32>,
    /// Clocks of `timeout(activity: true)` blocks around this emitter: each step output
    /// stores its time (ms since the epoch) there.
    activity: Vec<Arc<AtomicU64>>,
}

impl Emitter {
    /// A new channel. The emitter has source 0; receive the records on the other end.
    #[must_use]
    pub fn channel() -> (Self, UnboundedReceiver<Record>) {
        let (tx, rx) = unbounded_channel();
        let emitter = Self {
            tx,
            source: 0,
            next_source: Arc::new(AtomicU32::new(1)),
            activity: Vec::new(),
        };
        (emitter, rx)
    }

    #[must_use]
    pub fn source(&self) -> SourceId {
        self.source
    }

    /// An emitter on the same channel with a fresh source id (for a parallel branch).
    #[must_use]
    pub fn fork(&self) -> Self {
        Self {
            tx: self.tx.clone(),
            source: self.next_source.fetch_add(1, Ordering::Relaxed),
            next_source: Arc::clone(&self.next_source),
            activity: self.activity.clone(),
        }
    }

    /// The same emitter, also recording the time of each step output in `clock` (for
    /// `timeout(activity: true)`, which restarts on output).
    #[must_use]
    pub fn with_activity(&self, clock: Arc<AtomicU64>) -> Self {
        let mut out = self.clone();
        out.activity.push(clock);
        out
    }

    /// Sends an event. A closed receiver means nobody is listening any more (the renderer
    /// stopped); the build goes on, so the event is dropped.
    pub fn emit(&self, event: Event) {
        let time_ms = now_ms();
        if matches!(event, Event::Output { .. }) {
            for clock in &self.activity {
                clock.store(time_ms, Ordering::Relaxed);
            }
        }
        let record = Record {
            source: self.source,
            time_ms,
            event,
        };
        let _ = self.tx.send(record);
    }

    /// Step output (any chunk of text; need not be whole lines).
    pub fn output(&self, text: impl Into<String>) {
        self.emit(Event::Output { text: text.into() });
    }

    /// One whole line printed by the runtime.
    pub fn log(&self, line: impl Into<String>) {
        self.emit(Event::Log { line: line.into() });
    }
}

/// Milliseconds since the Unix epoch (0 if the clock is before 1970).
#[must_use]
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A duration in whole milliseconds, saturating.
#[must_use]
pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
