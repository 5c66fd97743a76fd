//! Reading named arguments out of the JSON map the interpreter hands over. Type errors use
//! the wording of Jenkins' own argument binding where it has one.

use serde_json::Value;

use super::{Args, StepError};

/// A required string parameter. Numbers and booleans are accepted and turned into text, as
/// Groovy would when a step declares a `String` parameter.
pub(crate) fn required_str(step: &str, args: &Args, name: &str) -> Result<String, StepError> {
    optional_str(step, args, name)?.ok_or_else(|| {
        StepError::failure(format!(
            "java.lang.IllegalArgumentException: {step} is missing required parameter '{name}'"
        ))
    })
}

/// An optional string parameter; `null` counts as absent.
pub(crate) fn optional_str(
    step: &str,
    args: &Args,
    name: &str,
) -> Result<Option<String>, StepError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(Value::Bool(flag)) => Ok(Some(flag.to_string())),
        Some(other) => Err(wrong_type(step, name, "String", other)),
    }
}

/// A boolean parameter with a default. Strings `"true"`/`"false"` are accepted, as Jenkins'
/// data binding coerces them.
pub(crate) fn bool_or(
    step: &str,
    args: &Args,
    name: &str,
    default: bool,
) -> Result<bool, StepError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("false") => Ok(false),
        Some(other) => Err(wrong_type(step, name, "boolean", other)),
    }
}

/// An optional number parameter (integers or decimals; numeric strings are accepted).
pub(crate) fn optional_f64(step: &str, args: &Args, name: &str) -> Result<Option<f64>, StepError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => Ok(number.as_f64()),
        Some(Value::String(text)) => text
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| wrong_type(step, name, "number", &Value::String(text.clone()))),
        Some(other) => Err(wrong_type(step, name, "number", other)),
    }
}

#[cold]
fn wrong_type(step: &str, name: &str, expected: &str, got: &Value) -> StepError {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "String",
        Value::Array(_) => "List",
        Value::Object(_) => "Map",
    };
    StepError::failure(format!(
        "java.lang.IllegalArgumentException: {step}: parameter '{name}' expects {expected}, got {got}"
    ))
}

/// A one-line summary of the arguments, for `Event::StepStart` (at most 80 characters).
#[must_use]
pub fn summary(args: &Args) -> String {
    let mut parts = Vec::new();
    for (name, value) in args {
        let shown = match value {
            Value::String(text) => text.lines().next().unwrap_or("").to_owned(),
            other => other.to_string(),
        };
        parts.push(format!("{name}: {shown}"));
    }
    let text = parts.join(", ");
    if text.chars().count() > 80 {
        let mut cut: String = text.chars().take(79).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}
