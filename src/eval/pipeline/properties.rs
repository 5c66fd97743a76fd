//! `properties([…])` in a scripted pipeline. Jenkins writes the job properties for the next
//! builds; what this build sees is `parameters([…])`: from then on `params` holds every defined
//! parameter, with the value given on the command line checked against its type, else its
//! default (Jenkins' `ParamsVariable` reads the job's definitions the same way). The other
//! properties have no local meaning and say so in one line each. The parameter definitions
//! are kept with the job (`<job>/parameters.json`), as Jenkins keeps them in the job's
//! configuration, so that the next build's `params` has them from its start.

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::PipelineHost;
use super::blocks::arg;
use super::leaf::to_json;
use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::report::{BuildResult, Event};
use crate::source::Span;
use crate::steps::parameter::{ParamDef, SYMBOL_KEY};

pub(super) fn run(host: &PipelineHost, args: &CallArgs, span: Span, cx: &Cx) -> R<Value> {
    let list = match arg(args, "properties") {
        Some(v) => to_json(&v, span)?,
        None => Json::Array(Vec::new()),
    };
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: "properties".into(),
        summary: String::new(),
        block: false,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let outcome = apply(host, list);
    let (result, error) = match &outcome {
        Ok(notes) => {
            for note in notes {
                emit.log(note.clone());
            }
            (BuildResult::Success, None)
        }
        Err(message) => (BuildResult::Failure, Some(message.clone())),
    };
    emit.emit(Event::StepEnd {
        name: "properties".into(),
        block: false,
        result,
        duration_ms: 0,
        error,
    });
    match outcome {
        Ok(_) => Ok(Value::Null),
        Err(message) => Err(Flow::exception("hudson.AbortException", message).at(span)),
    }
}

/// Applies the properties; returns the notes to print, or why a given value does not fit.
fn apply(host: &PipelineHost, list: Json) -> Result<Vec<String>, String> {
    let items = match list {
        Json::Array(items) => items,
        other => vec![other],
    };
    let mut notes = Vec::new();
    let mut defs: Option<Vec<ParamDef>> = None;
    for item in &items {
        let symbol = item
            .get(SYMBOL_KEY)
            .or_else(|| item.get("$class"))
            .and_then(Json::as_str)
            .unwrap_or("?");
        if symbol == "parameters" {
            let found = defs.get_or_insert_with(Vec::new);
            let list = item
                .get("parameterDefinitions")
                .or_else(|| item.get("value"))
                .and_then(Json::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for def in list {
                found.push(ParamDef::from_symbol(def)?);
            }
            persist(host, list);
        } else if symbol == "preserveStashes" {
            let builds = item
                .get("buildCount")
                .or_else(|| item.get("value"))
                .and_then(Json::as_u64)
                .map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX));
            host.state.config.host.stash_retention.preserve(builds);
        } else {
            notes.push(format!(
                "properties: {symbol} is a job property with no meaning for a local run"
            ));
        }
    }
    if let Some(defs) = defs {
        let state = &host.state;
        let given = &state.config.params;
        let mut params = IndexMap::new();
        for def in &defs {
            let value = match given.get(&def.name) {
                Some(value) => def.check(value).map_err(|e| e.0)?,
                None => def.default.clone(),
            };
            params.insert(def.name.clone(), value);
        }
        for (name, value) in given {
            params.entry(name.clone()).or_insert_with(|| value.clone());
        }
        *state.params_defined.borrow_mut() = Some(params);
    }
    Ok(notes)
}

/// The job's file of parameter definitions written by `properties([parameters([…])])`.
const JOB_PARAMETERS: &str = "parameters.json";

/// Keeps the definitions for the job's next builds. A failure to write only loses that.
fn persist(host: &PipelineHost, defs: &[Json]) {
    let build_dir = &host.state.config.host.build_dir;
    if let Some(job_dir) = build_dir.parent().and_then(std::path::Path::parent)
        && let Ok(text) = serde_json::to_string_pretty(defs)
    {
        let _ = std::fs::write(job_dir.join(JOB_PARAMETERS), text);
    }
}
