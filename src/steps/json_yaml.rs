//! pipeline-utility-steps' data readers and writers: `readJSON`/`writeJSON`,
//! `readYaml`/`writeYaml` (multi-document) and `readProperties` (runtime-semantics.md §10.2).
//! Values travel as JSON, so `returnPojo` changes nothing here: a JSON `null` is always a
//! real `null` (Jenkins' default `JSONNull` is not reproduced).

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value};

use super::archive::io_failure;
use super::args::{bool_or, optional_f64, optional_str};
use super::safety::confine;
use super::{Args, StepContext, StepError, StepFuture};

/// The text from `file:` or `text:`, exactly one of which must be given.
fn source(ctx: &StepContext, args: &Args, step: &str) -> Result<String, StepError> {
    let file = optional_str(step, args, "file")?;
    let text = optional_str(step, args, "text")?;
    match (file, text) {
        (Some(_), Some(_)) => Err(StepError::abort(format!(
            "At most one of file or text must be provided to {step}."
        ))),
        (None, None) => Err(StepError::abort(format!(
            "At least one of file or text needs to be provided to {step}."
        ))),
        (None, Some(text)) => Ok(text),
        (Some(file), None) => read_text(&ctx.cwd.join(file)),
    }
}

fn read_text(path: &Path) -> Result<String, StepError> {
    if !path.exists() {
        return Err(StepError::abort(format!(
            "{} does not exist.",
            path.display()
        )));
    }
    std::fs::read_to_string(path).map_err(|e| io_failure(path, &e))
}

/// A destination file for a writer; `overwrite: false` refuses an existing one where the
/// step says so.
fn target(ctx: &StepContext, file: &str, step: &str) -> Result<PathBuf, StepError> {
    let path = confine(ctx, Path::new(file), step)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_failure(parent, &e))?;
    }
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(&path).map_err(|e| io_failure(&path, &e))?;
    }
    Ok(path)
}

pub(crate) fn read_json(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let text = source(ctx, &args, "readJSON")?;
        serde_json::from_str(&text)
            .map_err(|e| StepError::failure(format!("net.sf.json.JSONException: {e}")))
    })
}

pub(crate) fn write_json(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let json = args.get("json").cloned().ok_or_else(|| {
            StepError::failure(
                "java.lang.IllegalArgumentException: writeJSON is missing required parameter 'json'",
            )
        })?;
        let pretty = optional_f64("writeJSON", &args, "pretty")?.unwrap_or(0.0);
        let return_text = bool_or("writeJSON", &args, "returnText", false)?;
        let file = optional_str("writeJSON", &args, "file")?;
        let text = if pretty > 0.0 {
            // A small count of spaces: truncation of a user's indent is intended.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let indent = " ".repeat(pretty.min(16.0) as usize);
            let mut out = Vec::new();
            let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
            let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
            json.serialize(&mut ser)
                .map_err(|e| StepError::failure(format!("net.sf.json.JSONException: {e}")))?;
            String::from_utf8_lossy(&out).into_owned()
        } else {
            json.to_string()
        };
        match (file, return_text) {
            (Some(_), true) => Err(StepError::abort(
                "You have to provide either file or returnText, not both.",
            )),
            (None, false) => Err(StepError::abort(
                "You have to provide either file or returnText.",
            )),
            (None, true) => Ok(Value::String(text)),
            (Some(file), false) => {
                let path = target(ctx, &file, "writeJSON")?;
                std::fs::write(&path, text).map_err(|e| io_failure(&path, &e))?;
                Ok(Value::Null)
            }
        }
    })
}

/// Parses YAML text: one document gives its value, several a list, none `null`.
///
/// # Errors
/// The parser's message.
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    // SnakeYAML (pipeline-utility-steps) takes the plain scalars yes, no, on, off (lower,
    // capitalised or upper case) for booleans, but not y, n or mixed case; serde-saphyr's
    // YAML 1.1 reading takes all of them. Reading once each way tells a plain scalar (a
    // boolean in the loose reading, a string in the strict one) from a quoted one.
    // SnakeYAML's INT resolver is YAML 1.1's: a leading 0 means octal (`010` is 8).
    let loose_options = serde_saphyr::options! { legacy_octal_numbers: true };
    let loose: Vec<Value> =
        serde_saphyr::from_multiple_with_options(text, loose_options).map_err(|e| e.to_string())?;
    let strict_options =
        serde_saphyr::options! { strict_booleans: true, legacy_octal_numbers: true };
    let strict: Vec<Value> = serde_saphyr::from_multiple_with_options(text, strict_options)
        .map_err(|e| e.to_string())?;
    let mut docs: Vec<Value> = if loose.len() == strict.len() {
        loose
            .into_iter()
            .zip(strict)
            .map(snake_yaml_booleans)
            .collect()
    } else {
        loose
    };
    Ok(match docs.len() {
        0 => Value::Null,
        1 => docs.remove(0),
        _ => Value::Array(docs),
    })
}

/// Merges the loose and strict readings of one document: a scalar that only the loose one
/// took for a boolean stays a boolean when `SnakeYAML`'s resolver agrees, else its text.
fn snake_yaml_booleans((loose, strict): (Value, Value)) -> Value {
    match (loose, strict) {
        (Value::Bool(b), Value::String(text)) => {
            if SNAKE_YAML_BOOLEANS.contains(&text.as_str()) {
                Value::Bool(b)
            } else {
                Value::String(text)
            }
        }
        (Value::Array(loose), Value::Array(strict)) if loose.len() == strict.len() => Value::Array(
            loose
                .into_iter()
                .zip(strict)
                .map(snake_yaml_booleans)
                .collect(),
        ),
        (Value::Object(loose), Value::Object(mut strict)) => Value::Object(
            loose
                .into_iter()
                .map(|(k, v)| {
                    let merged = match strict.remove(&k) {
                        Some(s) => snake_yaml_booleans((v, s)),
                        None => v,
                    };
                    (k, merged)
                })
                .collect(),
        ),
        (loose, _) => loose,
    }
}

/// `SnakeYAML`'s `Resolver.BOOL` spellings besides true and false.
const SNAKE_YAML_BOOLEANS: &[&str] = &[
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
];

pub(crate) fn read_yaml(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let text = source(ctx, &args, "readYaml")?;
        parse_yaml(&text)
            .map_err(|e| StepError::failure(format!("org.yaml.snakeyaml.error.YAMLException: {e}")))
    })
}

pub(crate) fn write_yaml(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let file = optional_str("writeYaml", &args, "file")?;
        let overwrite = bool_or("writeYaml", &args, "overwrite", false)?;
        let return_text = bool_or("writeYaml", &args, "returnText", false)?;
        let data = args.get("data").filter(|v| !v.is_null());
        let datas = args.get("datas").filter(|v| !v.is_null());
        let yaml_error = |e: serde_saphyr::SerializeError| {
            StepError::failure(format!("org.yaml.snakeyaml.error.YAMLException: {e}"))
        };
        let text = match (data, datas) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(StepError::abort("either data or datas should be defined"));
            }
            (Some(data), None) => serde_saphyr::to_string(data).map_err(yaml_error)?,
            (None, Some(Value::Array(list))) => {
                serde_saphyr::to_string_multiple(list).map_err(yaml_error)?
            }
            (None, Some(_)) => return Err(StepError::abort("datas must be a list")),
        };
        match (file, return_text) {
            (Some(_), true) => Err(StepError::abort(
                "You have to provide either file or returnText, not both.",
            )),
            (None, false) => Err(StepError::abort(
                "You have to provide either file or returnText.",
            )),
            (None, true) => Ok(Value::String(text)),
            (Some(file), false) => {
                let path = target(ctx, &file, "writeYaml")?;
                if !overwrite && path.exists() {
                    return Err(StepError::failure(format!(
                        "java.nio.file.FileAlreadyExistsException: {}",
                        path.display()
                    )));
                }
                std::fs::write(&path, text).map_err(|e| io_failure(&path, &e))?;
                Ok(Value::Null)
            }
        }
    })
}

pub(crate) fn read_properties(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let step = "readProperties";
        let file = optional_str(step, &args, "file")?;
        let text = optional_str(step, &args, "text")?;
        let interpolate = bool_or(step, &args, "interpolate", false)?;
        let mut props: IndexMap<String, String> = IndexMap::new();
        if let Some(Value::Object(defaults)) = args.get("defaults") {
            for (k, v) in defaults {
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                props.insert(k.clone(), v);
            }
        }
        if let Some(file) = file {
            let path = ctx.cwd.join(file);
            let bytes = std::fs::read(&path).map_err(|e| io_failure(&path, &e))?;
            // The file is ISO-8859-1 by default: each byte is one character.
            let latin1: String = bytes.iter().map(|b| char::from(*b)).collect();
            props.extend(parse_properties(&latin1));
        }
        if let Some(text) = text {
            props.extend(parse_properties(&text));
        }
        if interpolate {
            let snapshot = props.clone();
            for value in props.values_mut() {
                *value = interpolate_value(value, &snapshot);
            }
        }
        Ok(Value::Object(
            props
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<_, _>>(),
        ))
    })
}

/// `${name}` references to other keys (commons-text `StringSubstitutor`), a few levels deep.
fn interpolate_value(value: &str, props: &IndexMap<String, String>) -> String {
    let mut out = value.to_owned();
    for _ in 0..8 {
        let mut changed = false;
        for (k, v) in props {
            let reference = format!("${{{k}}}");
            if out.contains(&reference) {
                out = out.replace(&reference, v);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// `java.util.Properties.load`: `#`/`!` comments, `=`, `:` or whitespace separators, `\`
/// line continuations and escapes (`\n`, `\t`, `\uXXXX`).
#[must_use]
pub fn parse_properties(text: &str) -> IndexMap<String, String> {
    let mut props = IndexMap::new();
    let mut logical = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let mut line = line.trim_start().to_owned();
        if logical.is_empty() && (line.starts_with('#') || line.starts_with('!') || line.is_empty())
        {
            continue;
        }
        // An odd number of trailing backslashes continues the line.
        while line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1 {
            line.pop();
            logical.push_str(&line);
            lines
                .next()
                .unwrap_or("")
                .trim_start()
                .clone_into(&mut line);
        }
        logical.push_str(&line);
        let (key, value) = split_entry(&logical);
        props.insert(unescape(&key), unescape(&value));
        logical.clear();
    }
    props
}

fn split_entry(line: &str) -> (String, String) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '=' | ':' | ' ' | '\t' | '\u{c}' => break,
            _ => i += 1,
        }
    }
    let key: String = chars[..i.min(chars.len())].iter().collect();
    let mut rest = &chars[i.min(chars.len())..];
    while rest
        .first()
        .is_some_and(|c| matches!(c, ' ' | '\t' | '\u{c}'))
    {
        rest = &rest[1..];
    }
    if rest.first().is_some_and(|c| matches!(c, '=' | ':')) {
        rest = &rest[1..];
    }
    while rest
        .first()
        .is_some_and(|c| matches!(c, ' ' | '\t' | '\u{c}'))
    {
        rest = &rest[1..];
    }
    (key, rest.iter().collect())
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{parse_properties, parse_yaml};

    #[test]
    fn properties() {
        let props =
            parse_properties("# c\na=1\nb : two words\nc three\nlong=x\\\n   y\nesc=\\u0041\\n\n");
        let got: Vec<(&str, &str)> = props
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "1"),
                ("b", "two words"),
                ("c", "three"),
                ("long", "xy"),
                ("esc", "A\n")
            ]
        );
    }

    #[test]
    fn yaml_documents() {
        assert_eq!(
            parse_yaml("a: 1\nb: [x, z, yes]\n").unwrap(),
            json!({"a": 1, "b": ["x", "z", true]})
        );
        assert_eq!(
            parse_yaml("a: 1\n---\nb: 2\n").unwrap(),
            json!([{"a": 1}, {"b": 2}])
        );
    }

    #[test]
    fn yaml_booleans_as_snake_yaml_resolves_them() {
        let yaml = "plain: [yes, Yes, YES, no, NO, on, On, off, OFF, true, False]\nnot: [y, n, Y, N, yEs, 'yes', \"off\", ~, null]\nnested: {deploy: on, ask: n}\n---\n- off\n- n\n";
        assert_eq!(
            parse_yaml(yaml).unwrap(),
            json!([
                {
                    "plain": [true, true, true, false, false, true, true, false, false, true, false],
                    "not": ["y", "n", "Y", "N", "yEs", "yes", "off", null, null],
                    "nested": {"deploy": true, "ask": "n"}
                },
                [false, "n"]
            ])
        );
    }

    // SnakeYAML's resolver (`org.yaml.snakeyaml.resolver.Resolver`, YAML 1.1) decides the
    // type of a plain scalar; no SnakeYAML runs here (the Groovy oracle has none), so these
    // expectations are written by hand from its INT, FLOAT and NULL patterns: `0b`, leading
    // `0` (octal), `0x` and `_` in integers; Integer, then Long, then BigInteger by size.
    #[test]
    fn yaml_scalars_as_snake_yaml_resolves_them() {
        let yaml = "ints: [010, 0x1F, 0b101, 1_000, +12, -7, 0, 2147483648, 12345678901234567890]\nfloats: [3.5, 1e3, -0.25]\nnulls: [~, null, Null, NULL]\nempty:\nquoted: ['010', \"0x1F\", '~']\n";
        assert_eq!(
            parse_yaml(yaml).unwrap(),
            json!({
                "ints": [8, 31, 5, 1000, 12, -7, 0, 2_147_483_648_i64, 12_345_678_901_234_567_890_u64],
                "floats": [3.5, 1000.0, -0.25],
                "nulls": [null, null, null, null],
                "empty": null,
                "quoted": ["010", "0x1F", "~"]
            })
        );
    }
}
