//! The Jenkins-like console log (runtime-semantics.md §9): `[Pipeline] <step>` lines for flow
//! nodes, step output unprefixed between them, `ERROR: …` and `Finished: <RESULT>` at the
//! end. Modern Jenkins prints parallel branches' lines without a branch prefix, interleaved in
//! arrival order, so this renderer does too. Input must come from the masking stage.

use std::fmt::Write as _;

use super::time::iso8601;
use super::{Event, Record};

/// Renders records as console text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Console {
    /// Prefix each line with `[<ISO-8601 time>] ` (the timestamper plugin's plain-text form).
    pub timestamps: bool,
}

impl Console {
    /// The console lines for one record, each ending in `\n` (none for events the console
    /// does not show).
    #[must_use]
    pub fn render(self, record: &Record) -> String {
        let text = match &record.event {
            Event::PipelineStart => "[Pipeline] Start of Pipeline\n".to_owned(),
            Event::StepStart { name, .. } => format!("[Pipeline] {name}\n"),
            Event::BodyStart { label: None } => "[Pipeline] {\n".to_owned(),
            Event::BodyStart { label: Some(label) } => format!("[Pipeline] {{ ({label})\n"),
            Event::BodyEnd => "[Pipeline] }\n".to_owned(),
            Event::StepEnd {
                name, block: true, ..
            } => format!("[Pipeline] // {name}\n"),
            Event::StepEnd { block: false, .. } | Event::Secrets { .. } => String::new(),
            Event::StageStart { name, .. } => {
                format!("[Pipeline] stage\n[Pipeline] {{ ({name})\n")
            }
            Event::StageEnd { .. } => "[Pipeline] }\n[Pipeline] // stage\n".to_owned(),
            Event::Output { text } => with_newline(text),
            Event::Log { line } => with_newline(line),
            Event::Error { message } => with_newline(&format!("ERROR: {message}")),
            Event::PipelineEnd => "[Pipeline] End of Pipeline\n".to_owned(),
            Event::Finished { result, .. } => format!("Finished: {result}\n"),
        };
        if !self.timestamps || text.is_empty() {
            return text;
        }
        let stamp = iso8601(record.time_ms);
        let mut stamped = String::with_capacity(text.len() + 27 * text.lines().count());
        for line in text.split_inclusive('\n') {
            let _ = write!(stamped, "[{stamp}] {line}");
        }
        stamped
    }
}

fn with_newline(text: &str) -> String {
    let mut owned = text.to_owned();
    if !owned.ends_with('\n') {
        owned.push('\n');
    }
    owned
}
