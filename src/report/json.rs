//! JSON lines: one object per record, `{"source":0,"time_ms":…,"event":"step_start",…}`.
//! The field names are the serde forms of [`Record`] and [`super::Event`], and are stable.

use super::Record;

/// One record as one line of JSON, ending in `\n`.
#[must_use]
pub fn render(record: &Record) -> String {
    // A record holds only strings, numbers and enums, so serialisation cannot fail.
    let mut line = serde_json::to_string(record).unwrap_or_default();
    line.push('\n');
    line
}
