//! The pipeline side of `aws`: the `withAWS` body step and the `ecrLogin` and `awsIdentity`
//! steps, with their `[Pipeline]` lines. The AWS work itself is `crate::aws`'s.
//!
//! The keys `withAWS` binds and the token `ecrLogin` returns go to the masking stage before
//! anything can print them (pipeline-aws does not mask them; a local run errs on the safe side).

use std::rc::Rc;
use std::time::Instant;

use indexmap::IndexMap;

use super::PipelineHost;
use super::blocks::{named, result_of};
use super::env_insert;
use crate::aws::{AwsEnv, Error, WithAws, caller_identity, ecr};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::report::{Emitter, Event};
use crate::source::Span;

/// `ecrLogin` and `awsIdentity`, if `name` is one of them.
pub(super) fn leaf_step(name: &str) -> bool {
    matches!(name, "ecrLogin" | "awsIdentity")
}

/// An `aws` error as the exception Jenkins would throw, its hint after a `;`.
fn aws_flow(e: &Error, span: Span) -> Flow {
    let class = match e {
        Error::CredentialNotFound { .. } => "java.lang.RuntimeException",
        _ => "hudson.AbortException",
    };
    let message = match miette::Diagnostic::help(e) {
        Some(help) => format!("{e}; {help}"),
        None => e.to_string(),
    };
    Flow::exception(class, message).at(span)
}

fn text(args: &CallArgs, key: &str) -> Option<String> {
    named(args, key)
        .filter(|v| !matches!(v, Value::Null))
        .map(|v| to_string(&v))
}

fn start(emit: &Emitter, name: &str, block: bool, cx: &Cx) -> Instant {
    emit.emit(Event::StepStart {
        name: name.into(),
        summary: String::new(),
        block,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    Instant::now()
}

fn end(emit: &Emitter, name: &str, block: bool, started: Instant, r: &R<Value>) {
    let (result, error) = result_of(r);
    emit.emit(Event::StepEnd {
        name: name.into(),
        block,
        result,
        duration_ms: started.elapsed().as_millis() as u64,
        error,
    });
}

/// pipeline-aws prints with `format(…)`, so its text is not line-shaped: pieces join on one
/// line, and a line may end in a space followed by a line break and one more space. Whole
/// lines are printed as they come out; a trailing piece of only spaces (which Jenkins puts in
/// front of the next `[Pipeline]` line) is dropped, and any other trailing piece ends its line.
fn print_console(emit: &Emitter, console: &str) {
    let mut pieces: Vec<&str> = console.split('\n').collect();
    if pieces.last().is_some_and(|p| p.trim().is_empty()) {
        pieces.pop();
    }
    for line in pieces {
        emit.log(line.to_owned());
    }
}

/// `withAWS(region:, credentials:, role:, …) { body }`.
pub(super) async fn with_aws(
    host: &PipelineHost,
    interp: &Interp,
    args: &CallArgs,
    c: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let step = WithAws {
        region: text(args, "region"),
        credentials: text(args, "credentials"),
        profile: text(args, "profile"),
        endpoint_url: text(args, "endpointUrl"),
        role: text(args, "role"),
        role_account: text(args, "roleAccount"),
        external_id: text(args, "externalId"),
        role_session_name: text(args, "roleSessionName"),
        policy: text(args, "policy"),
        duration: text(args, "duration").and_then(|d| d.parse().ok()),
    };
    let emit = host.emitter(cx);
    let started = start(&emit, "withAWS", true, cx);
    let env = host.state.effective_env(&cx.dynamic);
    let setup = match step.setup(&host.state.config.credentials, &env).await {
        Ok(setup) => setup,
        Err(e) => {
            let r = Err(aws_flow(&e, span));
            end(&emit, "withAWS", true, started, &r);
            return r;
        }
    };
    let secrets = setup.secrets();
    if !secrets.is_empty() {
        emit.emit(Event::Secrets { values: secrets });
    }
    print_console(&emit, &setup.console);
    let mut dynamic = (*cx.dynamic).clone();
    for (name, value, _) in setup.vars {
        env_insert(&mut dynamic.env, &name, value);
    }
    emit.emit(Event::BodyStart { label: None });
    let r = interp
        .call_closure(c, Vec::new(), span, &cx.with_dynamic(dynamic))
        .await;
    emit.emit(Event::BodyEnd);
    end(&emit, "withAWS", true, started, &r);
    r
}

/// `ecrLogin()` / `awsIdentity()`.
pub(super) async fn leaf(
    host: &PipelineHost,
    name: &str,
    args: CallArgs,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let emit = host.emitter(cx);
    let started = start(&emit, name, false, cx);
    let env = host.state.effective_env(&cx.dynamic);
    let mut aws = AwsEnv::from_env(&env);
    let r = if name == "ecrLogin" {
        if let Some(region) = text(&args, "region") {
            aws.region = Some(region);
        }
        ecr_login(&emit, &aws, &args).await
    } else {
        aws_identity(&emit, &aws).await
    };
    let r = r.map_err(|e| aws_flow(&e, span));
    end(&emit, name, false, started, &r);
    r
}

async fn ecr_login(emit: &Emitter, aws: &AwsEnv, args: &CallArgs) -> Result<Value, Error> {
    let ids: Vec<String> = match named(args, "registryIds") {
        Some(Value::Null) | None => Vec::new(),
        Some(list) => crate::eval::gdk::iter_items(&list).map_or_else(
            |_| vec![to_string(&list)],
            |items| items.iter().map(to_string).collect(),
        ),
    };
    let email = named(args, "email").is_some_and(|v| v.truthy());
    let logins = ecr::authorization(aws, &ids).await?;
    // Masked before the command line can reach any output.
    emit.emit(Event::Secrets {
        values: logins.iter().map(|l| l.password.clone()).collect(),
    });
    Ok(Value::string(ecr::ecr_login(&logins[0], email)))
}

async fn aws_identity(emit: &Emitter, aws: &AwsEnv) -> Result<Value, Error> {
    let id = caller_identity(aws).await?;
    emit.log(format!(
        "Current AWS identity: {} - {} - {}",
        id.account, id.user, id.arn
    ));
    let mut map = IndexMap::new();
    map.insert(Key::str("account"), Value::string(id.account));
    map.insert(Key::str("user"), Value::string(id.user));
    map.insert(Key::str("arn"), Value::string(id.arn));
    Ok(Value::map(map))
}
