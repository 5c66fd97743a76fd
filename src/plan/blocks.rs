//! Block steps in the plan: each is shown with its arguments (`withEnv([...])`,
//! `catchError(buildResult: …)`, `lock('db')`, `sshagent([...])`, `container('x')`), and the
//! steps of its body are listed under it. The blocks with no effect outside the build run on
//! the interpreter's own code, so that their body sees what it would see in a run.

use serde_json::{Map, Value as Json};

use super::recorder::Recorder;
use crate::eval::args::CallArgs;
use crate::eval::flow::R;
use crate::eval::interp::Interp;
use crate::eval::pipeline::leaf::to_json;
use crate::eval::pipeline::{PipelineHost, blocks};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::report::BuildResult;
use crate::source::Span;

/// Block steps the interpreter runs itself that the plan shows with their arguments.
pub(super) const SHOWN: &[&str] = &["catchError", "warnError", "withEnv"];

/// The arguments of a block step by parameter name, its body left out: the catalogue's
/// names when it knows the step (`lock('db')` is `resource: db`), else as given.
pub(super) fn block_args(name: &str, args: &CallArgs, span: Span) -> R<Map<String, Json>> {
    let mut out = Map::new();
    for (k, v) in &args.named {
        out.insert(to_string(&k.0), to_json(&super::symbolic::shown(v), span)?);
    }
    let positional: Vec<&Value> = args
        .positional
        .iter()
        .filter(|v| !matches!(v, Value::Closure(_)))
        .collect();
    if positional.is_empty() {
        return Ok(out);
    }
    let bound = crate::stdlib::Catalogue::builtin()
        .step(name)
        .and_then(|sig| {
            sig.bind_positional(positional.len(), !out.is_empty(), true)
                .ok()
        })
        .map(|params| params.iter().map(|p| p.name.clone()).collect::<Vec<_>>());
    match bound {
        Some(names) => {
            for (p, v) in names.iter().zip(&positional) {
                out.insert(p.clone(), to_json(&super::symbolic::shown(v), span)?);
            }
        }
        None if positional.len() == 1 => {
            out.insert(
                "value".into(),
                to_json(&super::symbolic::shown(positional[0]), span)?,
            );
        }
        None => {
            let all = positional
                .iter()
                .map(|v| to_json(&super::symbolic::shown(v), span))
                .collect::<R<Vec<_>>>()?;
            out.insert("args".into(), Json::Array(all));
        }
    }
    Ok(out)
}

impl Recorder {
    /// `withEnv`, `catchError`, `warnError`: recorded with their arguments, then run by the
    /// interpreter with their body's steps under them. A `withEnv` entry built on a run-time
    /// value (`"V=${out}"`) sets `V` to that value.
    pub(super) async fn shown_block(
        &self,
        host: &PipelineHost,
        interp: &Interp,
        name: &str,
        mut args: CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        if name == "withEnv" {
            self.symbolic_overrides(&mut args);
        }
        let named = block_args(name, &args, span)?;
        let id = self.next_id();
        self.record(host, cx, id, name, named, false, true, None);
        // What a caught failure sets: the build's result and the stage's (Jenkins' defaults:
        // `catchError` FAILURE and SUCCESS, `warnError` UNSTABLE and UNSTABLE).
        let result_of = |key: &str, default: BuildResult| {
            args.named
                .get(&Key::str(key))
                .map_or(default, |v| BuildResult::parse(&to_string(v)))
        };
        let caught = match name {
            "warnError" => Some((BuildResult::Unstable, BuildResult::Unstable)),
            "catchError" => Some((
                result_of("buildResult", BuildResult::Failure),
                result_of("stageResult", BuildResult::Success),
            )),
            _ => None,
        };
        let before = self.steps.borrow().len();
        let mut inside = (*cx.dynamic).clone();
        inside.plan_parent = Some(id);
        let r = blocks::run(host, interp, name, args, span, &cx.with_dynamic(inside)).await;
        // A body step that could fail is caught: the build goes on, with this result.
        let could_fail = self.steps.borrow()[before..]
            .iter()
            .any(|r| r.step.effect && !r.step.block);
        if let Some((build, stage)) = caught
            && could_fail
        {
            if build != BuildResult::Success {
                self.could_end(build, format!("{name}#{id}: if a step in its body fails"));
            }
            // The stage's own result shows nowhere else when it differs from the build's
            // (`catchError(buildResult: 'SUCCESS', stageResult: 'FAILURE')`).
            if stage != build {
                let for_build = if build == BuildResult::Success {
                    "stays as it is".to_string()
                } else {
                    format!("becomes {build}")
                };
                self.note_on(
                    id,
                    format!(
                        "if a step in its body fails, the error is caught: the stage's result becomes {stage}, the build's {for_build}"
                    ),
                );
            }
        }
        r
    }

    /// Rewrites `withEnv`'s run-time entries to their text, remembering each variable's
    /// value.
    fn symbolic_overrides(&self, args: &mut CallArgs) {
        let key = Key::str("overrides");
        let slot = if args.named.contains_key(&key) {
            args.named.get_mut(&key)
        } else {
            args.positional.first_mut()
        };
        let Some(slot) = slot else {
            return;
        };
        let Value::List(items) = &*slot else {
            return;
        };
        let mut out = Vec::new();
        for item in items.borrow().iter() {
            out.push(match item {
                // `"V=${out}"` is text around a run-time value: its origin is that text.
                Value::Unknown(origin) => match origin.split_once('=') {
                    Some((var, value)) if !var.contains('<') => {
                        let inner = value
                            .strip_prefix('<')
                            .and_then(|v| v.strip_suffix('>'))
                            .filter(|v| !v.contains('<'))
                            .unwrap_or(value);
                        let v = Value::unknown(inner.to_string());
                        self.remember_env(var, &v);
                        Value::string(format!("{var}={}", to_string(&v)))
                    }
                    _ => item.clone(),
                },
                other => other.clone(),
            });
        }
        *slot = Value::list(out);
    }
}
