//! Where records go: through the masking stage, then to the user's stream (console or JSON
//! lines), to the stored build log (console form, masked, no timestamps), and into a
//! [`Summary`] for the build record. Every line is written as soon as it is complete.

use std::io::Write;

use serde::Serialize;
use tokio::sync::mpsc::UnboundedReceiver;

use super::console::Console;
use super::mask::Masker;
use super::{BuildResult, Event, Record, json};

/// The user's output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Console,
    Json,
}

/// One stage as it ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageSummary {
    pub name: String,
    pub result: BuildResult,
    pub skipped: bool,
    pub duration_ms: u64,
}

/// What the build record keeps from the event stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Stages in the order they ended.
    pub stages: Vec<StageSummary>,
    /// From the `Finished` event, if there was one.
    pub result: Option<BuildResult>,
    pub duration_ms: u64,
    /// The masking stage's patterns at the end, for text the build record keeps.
    #[serde(skip)]
    pub secret_forms: Vec<String>,
}

/// The masking stage followed by every sink.
pub struct Sinks {
    masker: Masker,
    format: Format,
    console: Console,
    out: Box<dyn Write>,
    out_failed: bool,
    log: Option<Box<dyn Write>>,
    summary: Summary,
}

impl Sinks {
    #[must_use]
    pub fn new(format: Format, console: Console, out: Box<dyn Write>) -> Self {
        Self {
            masker: Masker::new(),
            format,
            console,
            out,
            out_failed: false,
            log: None,
            summary: Summary::default(),
        }
    }

    /// Also write the console form, without timestamps, to the build log.
    #[must_use]
    pub fn with_log(mut self, log: Box<dyn Write>) -> Self {
        self.log = Some(log);
        self
    }

    /// Masks these values from the start (tests; the credentials store later).
    pub fn add_secrets<S: AsRef<str>>(&mut self, values: &[S]) {
        self.masker.add_secrets(values);
    }

    /// Takes one record through masking to every sink.
    pub fn accept(&mut self, record: Record) {
        for record in self.masker.push(record) {
            self.write(&record);
        }
    }

    /// Flushes what the masking stage still holds and returns the summary.
    #[must_use]
    pub fn finish(mut self) -> Summary {
        for record in self.masker.finish() {
            self.write(&record);
        }
        if let Some(log) = self.log.as_mut() {
            let _ = log.flush();
        }
        let _ = self.out.flush();
        self.summary.secret_forms = self.masker.patterns().to_vec();
        self.summary
    }

    fn write(&mut self, record: &Record) {
        match &record.event {
            Event::StageEnd {
                name,
                result,
                skipped,
                duration_ms,
            } => self.summary.stages.push(StageSummary {
                name: name.clone(),
                result: *result,
                skipped: *skipped,
                duration_ms: *duration_ms,
            }),
            Event::Finished {
                result,
                duration_ms,
            } => {
                self.summary.result = Some(*result);
                self.summary.duration_ms = *duration_ms;
            }
            _ => {}
        }
        if !self.out_failed {
            let text = match self.format {
                Format::Console => self.console.render(record),
                Format::Json => json::render(record),
            };
            // A closed stdout (`| head`) must not stop the build or its log.
            self.out_failed = self
                .out
                .write_all(text.as_bytes())
                .and_then(|()| self.out.flush())
                .is_err();
        }
        if let Some(log) = self.log.as_mut() {
            let text = Console { timestamps: false }.render(record);
            if log.write_all(text.as_bytes()).is_err() {
                self.log = None;
            }
        }
    }
}

/// Receives until every emitter is dropped, then finishes.
pub async fn drain(mut rx: UnboundedReceiver<Record>, mut sinks: Sinks) -> Summary {
    while let Some(record) = rx.recv().await {
        sinks.accept(record);
    }
    sinks.finish()
}
