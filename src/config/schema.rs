//! The file format of `config.toml`, as serde reads it. Unknown keys are errors, so that a
//! typo never silently does nothing.

use indexmap::IndexMap;
use serde::Deserialize;

/// How loudly a rule reports: `off` disables it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => Ok(Level::Off),
            "info" => Ok(Level::Info),
            "warning" => Ok(Level::Warning),
            "error" => Ok(Level::Error),
            _ => Err(format!(
                "unknown level `{s}`; expected off, info, warning or error"
            )),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawConfig {
    #[serde(default)]
    pub(super) rules: IndexMap<String, Level>,
    #[serde(default)]
    pub(super) allowed_steps: Vec<String>,
    #[serde(default)]
    pub(super) libraries: IndexMap<String, String>,
    pub(super) plugin_catalogue: Option<String>,
    #[serde(default)]
    pub(super) tools: IndexMap<String, String>,
}

/// toml's message, with the line and column of the offending key when toml knows it.
pub(super) fn describe(err: &toml::de::Error, text: &str) -> String {
    let message = err.message().trim_end();
    match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message.to_owned(),
    }
}
