//! Parameter definitions and their typed values, shared by build parameters (`parameters {}`,
//! `-p`) and the `input` step's parameters: the kinds Jenkins has, their defaults, and the
//! check of a given value against its kind. A definition comes from a parameter symbol and
//! its evaluated arguments (`string(name: 'X', defaultValue: 'y')`), which the interpreter
//! hands over as a JSON map with the symbol under `$symbol`.

use std::fmt;

use serde_json::{Map, Value};

/// The key under which a symbol call's name travels in its JSON form.
pub const SYMBOL_KEY: &str = "$symbol";

/// What kind of value a parameter holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// `string`; `trim: true` strips the value.
    String { trim: bool },
    /// `text` (multi-line string).
    Text { trim: bool },
    /// `booleanParam`: a Boolean in `params`, `"true"`/`"false"` in the environment.
    Boolean,
    /// `choice`: one of these, the first being the default.
    Choice(Vec<String>),
    /// `password`: a string that is masked in the log.
    Password,
    /// `file`, `base64File`, `stashedFile`: there is no upload locally.
    File,
    /// `run`: `job#number` of another job's build.
    Run,
    /// `credentials`: a credentials id.
    Credentials,
    /// A plugin's parameter type this runner knows only by name; its value is a string.
    Other(String),
}

/// One parameter definition.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDef {
    pub name: String,
    pub kind: ParamKind,
    /// The value when none is given (`Value::Null` when the type has none locally).
    pub default: Value,
    pub description: String,
}

/// A value that does not fit its parameter: a usage error (exit 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError(pub String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParamError {}

impl ParamDef {
    /// A definition from a parameter symbol and its evaluated named arguments, as
    /// `string(name: 'X', defaultValue: 'y')` gives them. `Err` names what is wrong.
    pub fn from_call(symbol: &str, args: &Map<String, Value>) -> Result<Self, String> {
        let name = match args.get("name") {
            Some(Value::String(name)) if !name.is_empty() => name.clone(),
            _ => return Err(format!("`{symbol}` parameter without a `name`")),
        };
        let text = |key: &str| args.get(key).map(scalar_text);
        let trim = matches!(args.get("trim"), Some(Value::Bool(true)));
        let (kind, default) = match symbol {
            "string" => (
                ParamKind::String { trim },
                Value::String(text("defaultValue").unwrap_or_default()),
            ),
            "text" => (
                ParamKind::Text { trim },
                Value::String(text("defaultValue").unwrap_or_default()),
            ),
            "booleanParam" => {
                let default = match args.get("defaultValue") {
                    Some(Value::Bool(b)) => *b,
                    Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
                    _ => false,
                };
                (ParamKind::Boolean, Value::Bool(default))
            }
            "choice" => {
                let choices = choices(args.get("choices"));
                let default = choices
                    .first()
                    .map_or(Value::Null, |c| Value::String(c.clone()));
                (ParamKind::Choice(choices), default)
            }
            "password" => (
                ParamKind::Password,
                Value::String(text("defaultValue").unwrap_or_default()),
            ),
            "file" | "base64File" | "stashedFile" => (ParamKind::File, Value::Null),
            "run" => (ParamKind::Run, Value::Null),
            "credentials" => (
                ParamKind::Credentials,
                Value::String(text("defaultValue").unwrap_or_default()),
            ),
            other => (
                ParamKind::Other(other.to_owned()),
                Value::String(text("defaultValue").unwrap_or_default()),
            ),
        };
        let default = match (&kind, default) {
            (
                ParamKind::String { trim: true } | ParamKind::Text { trim: true },
                Value::String(s),
            ) => Value::String(s.trim().to_owned()),
            (_, default) => default,
        };
        Ok(Self {
            name,
            kind,
            default,
            description: text("description").unwrap_or_default(),
        })
    }

    /// The typed value for `given`, or why it does not fit.
    pub fn check(&self, given: &Value) -> Result<Value, ParamError> {
        let name = &self.name;
        let text = match given {
            Value::String(s) => s.clone(),
            Value::Bool(_) | Value::Number(_) => scalar_text(given),
            Value::Null => return Ok(Value::Null),
            Value::Array(_) | Value::Object(_) => {
                return Err(ParamError(format!(
                    "parameter `{name}` takes a single value, not {given}"
                )));
            }
        };
        match &self.kind {
            ParamKind::String { trim } | ParamKind::Text { trim } => Ok(Value::String(if *trim {
                text.trim().to_owned()
            } else {
                text
            })),
            ParamKind::Boolean => match text.to_ascii_lowercase().as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(ParamError(format!(
                    "parameter `{name}` is a booleanParam: expected `true` or `false`, got `{text}`"
                ))),
            },
            ParamKind::Choice(choices) => {
                if choices.contains(&text) {
                    Ok(Value::String(text))
                } else {
                    // Jenkins' `ChoiceParameterDefinition`: "Illegal choice for parameter X: v".
                    Err(ParamError(format!(
                        "Illegal choice for parameter {name}: {text} (the choices are: {})",
                        choices.join(", ")
                    )))
                }
            }
            ParamKind::File => Err(ParamError(format!(
                "unsupported: parameter `{name}` is a file parameter, which cannot be given locally"
            ))),
            ParamKind::Run => {
                if text.contains('#') {
                    Ok(Value::String(text))
                } else {
                    Err(ParamError(format!(
                        "parameter `{name}` is a run parameter: expected JOB#NUMBER, got `{text}`"
                    )))
                }
            }
            ParamKind::Password | ParamKind::Credentials | ParamKind::Other(_) => {
                Ok(Value::String(text))
            }
        }
    }
}

/// `choices: ['a', 'b']` or the older `choices: 'a\nb'`.
fn choices(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().map(scalar_text).collect(),
        Some(Value::String(text)) => text.lines().map(str::to_owned).collect(),
        Some(other) => vec![scalar_text(other)],
        None => Vec::new(),
    }
}

/// A JSON scalar as Groovy's `toString` would print it (`null` for null).
#[must_use]
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

impl ParamDef {
    /// A definition from the JSON form of a parameter symbol call
    /// (`{"$symbol": "string", "name": "X", …}`).
    pub fn from_symbol(value: &Value) -> Result<Self, String> {
        let Some(map) = value.as_object() else {
            return Err(format!(
                "expected a parameter definition such as string(name: 'X'), got {value}"
            ));
        };
        let symbol = match (map.get(SYMBOL_KEY), map.get("$class")) {
            (Some(Value::String(symbol)), _) => symbol.as_str(),
            (None, Some(Value::String(class))) => class_symbol(class),
            _ => {
                return Err(format!(
                    "expected a parameter definition such as string(name: 'X'), got {value}"
                ));
            }
        };
        Self::from_call(symbol, map)
    }
}

/// The symbol of a core parameter class named in the older `[$class: '…']` form; other
/// names (symbols already) stay as they are.
fn class_symbol(class: &str) -> &str {
    match class.rsplit('.').next().unwrap_or(class) {
        "StringParameterDefinition" => "string",
        "TextParameterDefinition" => "text",
        "BooleanParameterDefinition" => "booleanParam",
        "ChoiceParameterDefinition" => "choice",
        "PasswordParameterDefinition" => "password",
        "FileParameterDefinition" => "file",
        "RunParameterDefinition" => "run",
        _ => class,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{ParamDef, ParamKind};

    #[test]
    fn definitions_from_symbol_maps() {
        let def = ParamDef::from_symbol(
            &json!({"$symbol": "booleanParam", "name": "B", "defaultValue": true}),
        )
        .unwrap();
        assert_eq!(def.kind, ParamKind::Boolean);
        assert_eq!(def.default, json!(true));
        assert_eq!(def.check(&json!("false")).unwrap(), json!(false));
        let def = ParamDef::from_symbol(
            &json!({"$symbol": "text", "name": "T", "defaultValue": " a ", "trim": true}),
        )
        .unwrap();
        assert_eq!(def.default, json!("a"));
        assert!(ParamDef::from_symbol(&json!("x")).is_err());
        let def = ParamDef::from_symbol(
            &json!({"$class": "BooleanParameterDefinition", "name": "C", "defaultValue": true}),
        )
        .unwrap();
        assert_eq!(def.kind, ParamKind::Boolean);
        let def =
            ParamDef::from_symbol(&json!({"$class": "choice", "name": "D", "choices": ["x"]}))
                .unwrap();
        assert_eq!(def.default, json!("x"));
        let def =
            ParamDef::from_symbol(&json!({"$symbol": "run", "name": "R", "projectName": "p"}))
                .unwrap();
        assert!(def.check(&json!("other#3")).is_ok());
        assert!(def.check(&json!("3")).is_err());
    }
}
