//! Typed build parameters: the definitions (a declarative `parameters {}` block, or the
//! evaluated arguments of a parameter symbol such as `string(name: 'X')`), the values the user
//! gives (`-p NAME=VALUE`, `--params-file FILE` in JSON or YAML), and the check of one against
//! the other. A value that does not fit its type (a choice outside its list, a `booleanParam`
//! that is neither `true` nor `false`) is a usage error; a name nobody defined is dropped with
//! Jenkins' warning. The result is what `params` holds: JSON values by name.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::model::pipeline::{Arguments, Invocation, Pipeline};
use crate::steps::parameter::scalar_text;
use crate::syntax::ast::{Expr, ExprKind, MapKey, UnaryOp};

pub use crate::steps::parameter::{ParamDef, ParamError, ParamKind};

/// The definitions of a pipeline's `parameters {}` block, plus notes about what cannot be
/// honoured locally (non-constant defaults, file parameters).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Definitions {
    pub defs: Vec<ParamDef>,
    pub notes: Vec<String>,
}

/// The build's parameters, checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    /// `params`, in definition order, then (without definitions) in the order given.
    pub values: IndexMap<String, Value>,
    /// Values of `password` parameters, to mask from the first line of the log.
    pub secrets: Vec<String>,
    /// Names of `password` parameters (their values never go into `build.json`).
    pub secret_names: Vec<String>,
    /// Lines to print at the start of the build (Jenkins' `Skipped parameter` warning).
    pub warnings: Vec<String>,
}

/// The definitions in a pipeline's `parameters {}` block. Arguments must be constants here
/// (the model is not evaluated); anything else is reported in `notes` and left at its
/// type's default.
#[must_use]
pub fn definitions(pipeline: &Pipeline) -> Definitions {
    let mut out = Definitions::default();
    let Some(section) = &pipeline.parameters else {
        return out;
    };
    for call in section {
        definition(call, &mut out);
    }
    out
}

/// The parameter definitions a scripted build's `properties([parameters([…])])` left with the
/// job (`<job>/parameters.json`): Jenkins keeps them in the job's configuration, and the next
/// build's `params` has them from its start. `None` when there are none.
#[must_use]
pub fn job_definitions(job_dir: &Path) -> Option<Definitions> {
    let text = std::fs::read_to_string(job_dir.join("parameters.json")).ok()?;
    let list: Vec<Value> = serde_json::from_str(&text).ok()?;
    let mut out = Definitions::default();
    for def in &list {
        match ParamDef::from_symbol(def) {
            Ok(def) => out.defs.push(def),
            Err(e) => out.notes.push(format!(
                "Note: a parameter definition kept from an earlier build is ignored: {e}"
            )),
        }
    }
    Some(out)
}

/// One definition from a `parameters {}` entry or an `input { parameters {} }` entry.
fn definition(call: &Invocation, out: &mut Definitions) {
    let symbol = call.name.node.as_str();
    let mut args = Map::new();
    let pairs: Vec<(&str, &Expr)> = match &call.args {
        Arguments::Named(pairs) => pairs.iter().map(|(k, v)| (k.node.as_str(), v)).collect(),
        Arguments::Single(value) => vec![("name", value)],
        _ => Vec::new(),
    };
    for (key, expr) in pairs {
        match constant(expr) {
            Some(value) => {
                args.insert(key.to_owned(), value);
            }
            None => out.notes.push(format!(
                "parameter {symbol}: `{key}` is not a constant and is not evaluated locally; pass the value with -p"
            )),
        }
    }
    match ParamDef::from_call(symbol, &args) {
        Ok(def) => {
            match def.kind {
                ParamKind::File => out.notes.push(format!(
                    "unsupported: file parameter `{}` has no value locally",
                    def.name
                )),
                ParamKind::Run => out.notes.push(format!(
                    "run parameter `{}` has no value unless given with -p {}=JOB#NUMBER",
                    def.name, def.name
                )),
                _ => {}
            }
            out.defs.push(def);
        }
        Err(message) => out.notes.push(message),
    }
}

/// Definitions of an `input { parameters {} }` directive, as [`definitions`] reads them.
#[must_use]
pub fn input_definitions(calls: &[Invocation]) -> Definitions {
    let mut out = Definitions::default();
    for call in calls {
        definition(call, &mut out);
    }
    out
}

/// The JSON value of a constant expression: literals, lists and maps of literals.
#[must_use]
pub fn constant(expr: &Expr) -> Option<Value> {
    Some(match &expr.node {
        ExprKind::Null => Value::Null,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Str(s) => Value::String(s.value.clone()),
        ExprKind::Int(n) => Value::from(i64::from_str_radix(&n.digits, n.radix).ok()?),
        ExprKind::Decimal(n) => Value::from(n.digits.parse::<f64>().ok()?),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => match constant(operand)? {
            Value::Number(n) => match n.as_i64() {
                Some(i) => Value::from(-i),
                None => Value::from(-n.as_f64()?),
            },
            _ => return None,
        },
        ExprKind::List(items) => Value::Array(items.iter().map(constant).collect::<Option<_>>()?),
        ExprKind::Map(entries) => {
            let mut map = Map::new();
            for entry in entries {
                let key = match &entry.key {
                    MapKey::Name(name) => name.node.clone(),
                    MapKey::Expr(expr) => match constant(expr)? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    },
                    MapKey::Spread(_) => return None,
                };
                map.insert(key, constant(&entry.value)?);
            }
            Value::Object(map)
        }
        _ => return None,
    })
}

/// The values given on the command line: the `--params-file` values, then the `-p` ones,
/// which win.
#[must_use]
pub fn given(file: IndexMap<String, Value>, cli: &[(String, String)]) -> IndexMap<String, Value> {
    let mut out = file;
    for (name, value) in cli {
        out.insert(name.clone(), Value::String(value.clone()));
    }
    out
}

/// Checks the given values against the definitions. Without definitions (`None`: a scripted
/// pipeline, whose `properties([parameters(…)])` is only known at run time) every given
/// value is kept as it is. `job` names the job in Jenkins' warning.
pub fn resolve(
    defs: Option<&[ParamDef]>,
    given: &IndexMap<String, Value>,
    job: &str,
) -> Result<Resolved, ParamError> {
    let mut out = Resolved::default();
    let Some(defs) = defs else {
        out.values.clone_from(given);
        return Ok(out);
    };
    for def in defs {
        let value = match given.get(&def.name) {
            Some(value) => def.check(value)?,
            None => def.default.clone(),
        };
        if def.kind == ParamKind::Password {
            out.secret_names.push(def.name.clone());
            if let Value::String(secret) = &value
                && !secret.is_empty()
            {
                out.secrets.push(secret.clone());
            }
        }
        if def.kind == ParamKind::File && value.is_null() {
            continue;
        }
        out.values.insert(def.name.clone(), value);
    }
    for name in given.keys() {
        if !defs.iter().any(|def| &def.name == name) {
            // `hudson.model.ParametersAction`'s warning, without the system-property advice.
            out.warnings.push(format!(
                "Skipped parameter `{name}` as it is undefined on `{job}`."
            ));
        }
    }
    Ok(out)
}

/// The environment form of the parameters: Booleans and numbers as text, `null` left out.
#[must_use]
pub fn env_strings(values: &IndexMap<String, Value>) -> IndexMap<String, String> {
    values
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), scalar_text(v)))
        .collect()
}

/// Reads `--params-file`: a JSON or YAML mapping of names to values. `.json` is JSON, `.yaml`
/// and `.yml` are YAML; any other name is tried as JSON, then as YAML.
pub fn read_params_file(path: &Path) -> Result<IndexMap<String, Value>, ParamError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ParamError(format!("cannot read {}: {e}", path.display())))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let parsed = match ext.as_deref() {
        Some("json") => parse_json(&text),
        Some("yaml" | "yml") => parse_yaml(&text),
        _ => parse_json(&text).or_else(|_| parse_yaml(&text)),
    };
    let value = parsed.map_err(|e| ParamError(format!("{}: {e}", path.display())))?;
    match value {
        Value::Object(map) => Ok(map.into_iter().collect()),
        Value::Null => Ok(IndexMap::new()),
        other => Err(ParamError(format!(
            "{}: expected a mapping of parameter names to values, got {}",
            path.display(),
            kind_name(&other)
        ))),
    }
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_saphyr::from_str(text).map_err(|e| format!("invalid YAML: {e}"))
}

fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests;
