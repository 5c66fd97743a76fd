//! Answers `input` on the user's terminal: the question and each parameter on stderr, the
//! answers read from stdin, one line each (an empty line takes the default). Used only when
//! stdin is a terminal and no `--input` was given.

use std::io::{self, BufRead, Write};
use std::sync::Mutex;

use indexmap::IndexMap;
use serde_json::Value;

use crate::steps::parameter::{ParamDef, ParamKind, scalar_text};
use crate::steps::{Answerer, InputAnswer, InputRequest};

/// The terminal answerer. One question at a time, even from parallel branches.
#[derive(Debug, Default)]
pub(super) struct Terminal {
    lock: Mutex<()>,
}

impl Answerer for Terminal {
    fn answer(&self, request: &InputRequest) -> Result<InputAnswer, String> {
        let _one_at_a_time = self
            .lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stdin = io::stdin();
        let mut input = stdin.lock();
        let mut err = io::stderr().lock();
        converse(request, &mut input, &mut err)
    }
}

/// The conversation, over any reader and writer (tested without a terminal).
pub(super) fn converse(
    request: &InputRequest,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<InputAnswer, String> {
    let io_err = |e: io::Error| format!("cannot ask on the terminal: {e}");
    writeln!(out, "\n>>> input: {}", request.message).map_err(io_err)?;
    let mut values = IndexMap::new();
    for def in &request.parameters {
        loop {
            let default = match &def.default {
                Value::Null => String::new(),
                value => scalar_text(value),
            };
            let shown = if def.kind == ParamKind::Password && !default.is_empty() {
                "****".to_owned()
            } else {
                default.clone()
            };
            write!(out, "    {} ({}) [{shown}]: ", def.name, describe(def)).map_err(io_err)?;
            out.flush().map_err(io_err)?;
            let line = read_line(input)?;
            let text = if line.is_empty() { default } else { line };
            match def.check(&Value::String(text)) {
                Ok(value) => {
                    values.insert(def.name.clone(), value);
                    break;
                }
                Err(e) => writeln!(out, "    {e}").map_err(io_err)?,
            }
        }
    }
    loop {
        write!(out, "    {} or Abort? [p/a]: ", request.ok).map_err(io_err)?;
        out.flush().map_err(io_err)?;
        match read_line(input)?.to_ascii_lowercase().as_str() {
            "" | "p" | "proceed" | "y" | "yes" => return Ok(InputAnswer::Approve(values)),
            "a" | "abort" | "n" | "no" => return Ok(InputAnswer::Abort),
            _ => writeln!(out, "    answer p (proceed) or a (abort)").map_err(io_err)?,
        }
    }
}

fn describe(def: &ParamDef) -> String {
    match &def.kind {
        ParamKind::Boolean => "true/false".to_owned(),
        ParamKind::Choice(choices) => choices.join("|"),
        ParamKind::String { .. } => "string".to_owned(),
        ParamKind::Text { .. } => "text".to_owned(),
        ParamKind::Password => "password".to_owned(),
        ParamKind::File => "file".to_owned(),
        ParamKind::Run => "JOB#NUMBER".to_owned(),
        ParamKind::Credentials => "credentials id".to_owned(),
        ParamKind::Other(kind) => kind.clone(),
    }
}

fn read_line(input: &mut dyn BufRead) -> Result<String, String> {
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) => Err("no answer: the terminal's input ended".to_owned()),
        Ok(_) => Ok(line.trim_end_matches(['\r', '\n']).to_owned()),
        Err(e) => Err(format!("cannot read the answer: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::converse;
    use crate::steps::parameter::ParamDef;
    use crate::steps::{InputAnswer, InputRequest};

    fn request() -> InputRequest {
        InputRequest {
            message: "Deploy?".into(),
            ok: "Proceed".into(),
            parameters: vec![
                ParamDef::from_symbol(
                    &json!({"$symbol": "choice", "name": "ENV", "choices": ["dev", "prod"]}),
                )
                .unwrap(),
                ParamDef::from_symbol(&json!({"$symbol": "booleanParam", "name": "GO"})).unwrap(),
            ],
            ..InputRequest::default()
        }
    }

    #[test]
    fn asks_each_parameter_then_proceed_or_abort() {
        let mut out = Vec::new();
        let answer = converse(&request(), &mut &b"qa\nprod\n\nmaybe\np\n"[..], &mut out).unwrap();
        let InputAnswer::Approve(values) = answer else {
            panic!("approved")
        };
        assert_eq!(values["ENV"], json!("prod"));
        assert_eq!(values["GO"], json!(false));
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\n>>> input: Deploy?\n    ENV (dev|prod) [dev]:     Illegal choice for parameter ENV: qa (the choices are: dev, prod)\n    ENV (dev|prod) [dev]:     GO (true/false) [false]:     Proceed or Abort? [p/a]:     answer p (proceed) or a (abort)\n    Proceed or Abort? [p/a]: "
        );
    }

    #[test]
    fn abort_and_end_of_input() {
        let mut out = Vec::new();
        let plain = InputRequest {
            message: "Go?".into(),
            ok: "Ship".into(),
            ..InputRequest::default()
        };
        assert_eq!(
            converse(&plain, &mut &b"a\n"[..], &mut out),
            Ok(InputAnswer::Abort)
        );
        assert_eq!(
            converse(&plain, &mut &b""[..], &mut out),
            Err("no answer: the terminal's input ended".into())
        );
    }
}
