//! Run-time values that live on in the plan: a value stored in the environment
//! (`env.V = sh(returnStdout: true)`, `withEnv(["V=${out}"])`, a credential variable) reads
//! back as the same symbolic value instead of its text, a name the Jenkinsfile never
//! defines (a shared library's variable, a job parameter) is a run-time value listed in the
//! plan, and a step the catalogue does not know (a library or plugin step) is recorded as
//! unknown instead of ending the plan.

use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

use super::recorder::Recorder;
use crate::eval::args::CallArgs;
use crate::eval::flow::R;
use crate::eval::pipeline::leaf::to_json;
use crate::eval::pipeline::{PipelineHost, env_insert, env_key};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::source::Span;

/// Whether a shown text is (or holds) a run-time value: rendered as a `<…>` placeholder.
pub(super) fn holds_runtime_value(text: &str) -> bool {
    text.contains('<') && text.contains('>')
}

/// What the plan says of a step it does not know.
pub(super) const UNKNOWN_STEP: &str = "not a known step (a shared library's or a plugin's): not planned inside; a local run stops here with NoSuchMethodError";

/// The environment variables that hold a run-time value: name → (the text the environment
/// holds, the value's origin).
pub(super) type EnvUnknowns = IndexMap<String, (String, String)>;

impl Recorder {
    pub(super) fn remember_env(&self, name: &str, value: &Value) {
        let mut map = self.env_unknowns.borrow_mut();
        match value {
            Value::Unknown(origin) => {
                env_insert(&mut map, name, (to_string(value), origin.to_string()));
            }
            _ => {
                if let Some(k) = env_key(&map, name) {
                    map.shift_remove(&k);
                }
            }
        }
    }

    /// A credential variable: `****` in the environment, a run-time value to the script.
    pub(super) fn remember_secret(&self, name: &str) {
        env_insert(
            &mut self.env_unknowns.borrow_mut(),
            name,
            ("****".to_string(), "****".to_string()),
        );
    }

    pub(super) fn env_value(&self, name: &str, text: &str) -> Option<Value> {
        let map = self.env_unknowns.borrow();
        let (held, origin) = &map[&env_key(&map, name)?];
        (held == text).then(|| Value::unknown(origin.clone()))
    }

    pub(super) fn assume(&self, name: &str) -> Value {
        let mut assumed = self.assumed.borrow_mut();
        // A configured library's global is defined, by the library: its calls are steps.
        let global = self.libraries.global(name).is_some();
        if !global && !assumed.iter().any(|a| a == name) {
            assumed.push(name.to_string());
        }
        Value::unknown(name.to_string())
    }

    /// A call to a step the catalogue does not know: recorded, with its arguments as given,
    /// and a run-time result.
    pub(super) fn unknown_step(
        &self,
        host: &PipelineHost,
        name: &str,
        args: &CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        self.record_not_evaluated(host, name, args, UNKNOWN_STEP, span, cx)
            .map(|(_, value)| value)
    }

    /// Records a call the plan does not evaluate as a step with its arguments as given,
    /// marked with `why` (the JSON `unknown`); its id, and its run-time result.
    pub(super) fn record_not_evaluated(
        &self,
        host: &PipelineHost,
        name: &str,
        args: &CallArgs,
        why: &str,
        span: Span,
        cx: &Cx,
    ) -> R<(u32, Value)> {
        let named = shown_arguments(args, span)?;
        let id = self.next_id();
        let returns = format!("result of {name}#{id}");
        self.record(
            host,
            cx,
            id,
            name,
            named,
            true,
            false,
            Some(returns.clone()),
        );
        if let Some(at) = self.position(id)
            && let Some(r) = self.steps.borrow_mut().get_mut(at)
        {
            r.step.unknown = Some(why.to_string());
        }
        Ok((id, Value::unknown(returns)))
    }
}

/// The arguments of a call the plan does not evaluate, as shown: named ones by name, one
/// positional as `value`, several as `args`.
pub(super) fn shown_arguments(args: &CallArgs, span: Span) -> R<Map<String, Json>> {
    let mut named = Map::new();
    for (k, v) in &args.named {
        named.insert(to_string(&k.0), to_json(&shown(v), span)?);
    }
    let positional: Vec<Json> = args
        .positional
        .iter()
        .map(|v| to_json(&shown(v), span))
        .collect::<R<_>>()?;
    match positional.len() {
        0 => {}
        1 => {
            named.insert(
                "value".into(),
                positional.into_iter().next().unwrap_or_default(),
            );
        }
        _ => {
            named.insert("args".into(), Json::Array(positional));
        }
    }
    Ok(named)
}

/// `v` as a plan shows it: a closure passed as an argument (`myStep(onFailure: { … })`)
/// is shown as `{ … }` rather than ending the plan (a closure has no JSON form).
pub(super) fn shown(v: &Value) -> Value {
    match v {
        Value::Closure(_) => Value::string("{ … }".to_string()),
        Value::List(items) if items.borrow().iter().any(has_closure) => {
            Value::list(items.borrow().iter().map(shown).collect())
        }
        Value::Map(map) if map.borrow().values().any(has_closure) => Value::map(
            map.borrow()
                .iter()
                .map(|(k, v)| (k.clone(), shown(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn has_closure(v: &Value) -> bool {
    match v {
        Value::Closure(_) => true,
        Value::List(items) => items.borrow().iter().any(has_closure),
        Value::Map(map) => map.borrow().values().any(has_closure),
        _ => false,
    }
}
