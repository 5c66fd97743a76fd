use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::{Value, json};

use super::{FixedAnswer, InputPolicy, InputRequest, ask};
use crate::report::{Emitter, Event};
use crate::steps::{Cancel, Host, StepContext};

fn run(policy: InputPolicy, args: Value) -> (Result<Value, String>, Vec<String>) {
    let (emit, mut rx) = Emitter::channel();
    let ctx = StepContext {
        cwd: std::env::temp_dir(),
        env: IndexMap::new(),
        emit,
        cancel: Cancel::new(),
        host: Arc::new(Host {
            input: policy,
            ..Host::default()
        }),
        agent: None,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Value::Object(args) = args else {
        unreachable!()
    };
    let result = rt.block_on(async {
        let request = InputRequest::from_args(&args).map_err(|e| e.message)?;
        ask(&ctx, &request)
            .await
            .map_err(|e| format!("{:?}: {}", e.kind, e.message))
    });
    drop(ctx);
    let mut lines = Vec::new();
    while let Ok(record) = rx.try_recv() {
        match record.event {
            Event::Log { line } => lines.push(line),
            Event::Secrets { values } => lines.push(format!("<secrets {values:?}>")),
            other => lines.push(format!("{other:?}")),
        }
    }
    (result, lines)
}

fn approve(params: &[(&str, &str)]) -> InputPolicy {
    InputPolicy {
        answerer: Some(Arc::new(FixedAnswer {
            approve: true,
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..FixedAnswer::default()
        })),
        user: "ann".into(),
    }
}

#[test]
fn no_parameters_returns_null_and_prints_jenkins_lines() {
    let (result, lines) = run(approve(&[]), json!({"message": "Deploy to production?"}));
    assert_eq!(result, Ok(Value::Null));
    assert_eq!(
        lines,
        [
            "Deploy to production?",
            "Proceed or Abort",
            "Approved by ann"
        ]
    );
    let (_, lines) = run(approve(&[]), json!({"message": "Ship?", "ok": "Ship it"}));
    assert_eq!(lines[1], "Ship it or Abort");
}

#[test]
fn one_parameter_returns_its_value() {
    let args = json!({"message": "m", "parameters": [
        {"$symbol": "choice", "name": "ENV", "choices": ["dev", "prod"]}
    ]});
    let (result, lines) = run(approve(&[("ENV", "prod")]), args.clone());
    assert_eq!(result, Ok(json!("prod")));
    assert_eq!(lines, ["Input requested", "Approved by ann"]);
    let (result, _) = run(approve(&[]), args.clone());
    assert_eq!(result, Ok(json!("dev")), "the default when not given");
    let (result, _) = run(approve(&[("ENV", "qa")]), args);
    assert_eq!(
        result,
        Err("Abort: Illegal choice for parameter ENV: qa (the choices are: dev, prod)".into())
    );
}

#[test]
fn several_parameters_or_a_submitter_give_a_map() {
    let args = json!({"message": "m", "submitterParameter": "WHO", "parameters": [
        {"$symbol": "booleanParam", "name": "GO", "defaultValue": false},
        {"$symbol": "password", "name": "PIN"}
    ]});
    let (result, lines) = run(approve(&[("GO", "true"), ("PIN", "1234")]), args);
    assert_eq!(result, Ok(json!({"GO": true, "PIN": "1234", "WHO": "ann"})));
    assert_eq!(
        lines,
        ["Input requested", "<secrets [\"1234\"]>", "Approved by ann"]
    );
    let (result, _) = run(
        approve(&[]),
        json!({"message": "m", "submitterParameter": "WHO"}),
    );
    assert_eq!(
        result,
        Ok(json!("ann")),
        "only the submitter: its bare value"
    );
}

#[test]
fn abort_is_a_rejection() {
    let policy = InputPolicy {
        answerer: Some(Arc::new(FixedAnswer::default())),
        user: "ann".into(),
    };
    let (result, lines) = run(policy, json!({"message": "Go?"}));
    assert_eq!(result, Err("Interrupted: Rejected by ann".into()));
    assert_eq!(lines, ["Go?", "Proceed or Abort", "Rejected by ann"]);
}

#[test]
fn nobody_to_ask_fails_at_once_naming_the_flag() {
    let (result, _) = run(InputPolicy::default(), json!({"message": "Go?"}));
    let err = result.unwrap_err();
    assert!(
        err.starts_with("Abort: input \"Go?\" needs an answer"),
        "{err}"
    );
    assert!(err.contains("--input approve"), "{err}");
}
