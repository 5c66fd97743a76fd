//! `input`: asks a person to approve (with parameters to fill in) before the build goes on
//! (pipeline-input-step, runtime-semantics.md §5.10). Who answers is the run's
//! [`InputPolicy`]: a terminal the command line drives, fixed answers from `--input approve|abort`
//! and `--input-param`, or nobody, as in CI, where the step fails at once instead of hanging.
//! The declarative `input {}` directive calls [`ask`] with the same [`InputRequest`].

use std::fmt;
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::args::{optional_str, required_str};
use super::parameter::{ParamDef, ParamKind};
use super::{Args, StepContext, StepError, StepFuture};
use crate::report::Event;

/// One `input` as asked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InputRequest {
    pub message: String,
    /// The caption of the approve button (`Proceed`).
    pub ok: String,
    /// Who may answer (comma-separated users or groups), as written; not enforced locally.
    pub submitter: Option<String>,
    /// The name under which the approver is returned.
    pub submitter_parameter: Option<String>,
    pub parameters: Vec<ParamDef>,
}

/// What the person answered.
#[derive(Clone, Debug, PartialEq)]
pub enum InputAnswer {
    /// Approved, with the parameter values given by name (missing ones take their default).
    Approve(IndexMap<String, Value>),
    /// Rejected: the build is aborted.
    Abort,
}

/// Something that answers `input` requests. `answer` may block (it reads a terminal); the step
/// calls it on a blocking thread. `Err` is why no answer could be had.
pub trait Answerer: Send + Sync + fmt::Debug {
    fn answer(&self, request: &InputRequest) -> Result<InputAnswer, String>;
}

/// How this run answers `input`.
#[derive(Clone, Debug, Default)]
pub struct InputPolicy {
    /// `None`: nobody can answer (no terminal, no `--input`): the step fails at once.
    pub answerer: Option<Arc<dyn Answerer>>,
    /// The approver's name, for `Approved by …` and `submitterParameter`.
    pub user: String,
}

/// `--input approve|abort` with `--input-param NAME=VALUE`: the same answer to every `input`.
#[derive(Clone, Debug, Default)]
pub struct FixedAnswer {
    pub approve: bool,
    pub params: IndexMap<String, String>,
    /// The parameter names some `input` asked for, so that a `--input-param` no step used
    /// is reported rather than silently ignored.
    pub asked: Arc<Mutex<Vec<String>>>,
}

impl FixedAnswer {
    /// The `--input-param` names no `input` step asked for.
    #[must_use]
    pub fn unused(&self) -> Vec<String> {
        let asked = self.asked.lock().map(|a| a.clone()).unwrap_or_default();
        self.params
            .keys()
            .filter(|name| !asked.contains(name))
            .cloned()
            .collect()
    }
}

impl Answerer for FixedAnswer {
    fn answer(&self, request: &InputRequest) -> Result<InputAnswer, String> {
        if let Ok(mut asked) = self.asked.lock() {
            asked.extend(request.parameters.iter().map(|p| p.name.clone()));
        }
        if !self.approve {
            return Ok(InputAnswer::Abort);
        }
        Ok(InputAnswer::Approve(
            request
                .parameters
                .iter()
                .filter_map(|p| {
                    let value = self.params.get(&p.name)?;
                    Some((p.name.clone(), Value::String(value.clone())))
                })
                .collect(),
        ))
    }
}

impl InputRequest {
    /// The request a step call describes: `message` (required), `ok`, `submitter`,
    /// `submitterParameter`, and `parameters` as a list of parameter symbol calls.
    pub fn from_args(args: &Args) -> Result<Self, StepError> {
        let message = required_str("input", args, "message")?;
        let ok = optional_str("input", args, "ok")?.unwrap_or_else(|| "Proceed".to_owned());
        let submitter = optional_str("input", args, "submitter")?;
        let submitter_parameter = optional_str("input", args, "submitterParameter")?;
        let parameters = match args.get("parameters") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| ParamDef::from_symbol(item).map_err(StepError::abort))
                .collect::<Result<_, _>>()?,
            Some(other) => vec![ParamDef::from_symbol(other).map_err(StepError::abort)?],
        };
        Ok(Self {
            message,
            ok,
            submitter,
            submitter_parameter: submitter_parameter.filter(|s| !s.is_empty()),
            parameters,
        })
    }
}

/// `input(message: …, parameters: […], …)`.
pub(crate) fn input(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let request = InputRequest::from_args(&args)?;
        ask(ctx, &request).await
    })
}

/// Asks `request` as Jenkins' input step does and returns what it returns: `null` with no
/// parameters and no submitter parameter, the bare value when there is exactly one of them,
/// else a map by name. A rejection is an interruption (`Rejected by …`; the build ends
/// ABORTED).
pub async fn ask(ctx: &StepContext, request: &InputRequest) -> Result<Value, StepError> {
    let policy = &ctx.host.input;
    if request.parameters.is_empty() {
        ctx.emit.log(request.message.clone());
        ctx.emit.log(format!("{} or Abort", request.ok));
    } else {
        ctx.emit.log("Input requested");
    }
    let Some(answerer) = policy.answerer.clone() else {
        return Err(StepError::abort(format!(
            "input \"{}\" needs an answer, and there is no terminal to ask on: run with --input approve (with --input-param NAME=VALUE for its parameters) or --input abort",
            request.message
        )));
    };
    // A plain thread, not `spawn_blocking`: a terminal read cannot be interrupted, and the
    // runtime would wait for it at the end of an aborted build.
    let owned = request.clone();
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(answerer.answer(&owned));
    });
    let answer = tokio::select! {
        reply = rx => reply.unwrap_or_else(|_| Err("the answering thread ended".into())),
        reason = ctx.cancel.cancelled() => return Err(StepError::interrupted(reason.to_string())),
    };
    let user = if policy.user.is_empty() {
        "anonymous"
    } else {
        policy.user.as_str()
    };
    match answer.map_err(|e| StepError::abort(format!("input: {e}")))? {
        InputAnswer::Abort => {
            let line = format!("Rejected by {user}");
            ctx.emit.log(line.clone());
            Err(StepError::interrupted(line))
        }
        InputAnswer::Approve(given) => {
            let mut values = Map::new();
            let mut secrets = Vec::new();
            for def in &request.parameters {
                let value = match given.get(&def.name) {
                    Some(value) => def.check(value).map_err(|e| StepError::abort(e.0))?,
                    None => def.default.clone(),
                };
                if def.kind == ParamKind::Password
                    && let Value::String(secret) = &value
                    && !secret.is_empty()
                {
                    secrets.push(secret.clone());
                }
                values.insert(def.name.clone(), value);
            }
            if !secrets.is_empty() {
                ctx.emit.emit(Event::Secrets { values: secrets });
            }
            if let Some(name) = &request.submitter_parameter {
                values.insert(name.clone(), Value::String(user.to_owned()));
            }
            ctx.emit.log(format!("Approved by {user}"));
            Ok(match values.len() {
                0 => Value::Null,
                1 => values.into_iter().next().map_or(Value::Null, |(_, v)| v),
                _ => Value::Object(values),
            })
        }
    }
}

#[cfg(test)]
mod tests;
