//! The `docker` global of docker-workflow (runtime-semantics §8.3–§8.5): `docker.image(id)`
//! with `inside`, `withRun`, `run`, `pull`, `tag`, `push`, `id` and `imageName()`,
//! `docker.build`, `docker.withRegistry` and `docker.withServer`, plus the
//! `withDockerRegistry` / `withDockerServer` steps they stand on.
//!
//! Jenkins implements these in Groovy over `sh 'docker …'`. Here tag, pull and push go
//! through the engine (bollard) with the login of the enclosing registry block, `inside`
//! reuses `withDockerContainer`, and `run`/`withRun` create the container through the engine
//! so that it is removed whatever happens to the body. The log keeps Jenkins' lines
//! (`[Pipeline] sh`, `+ docker push …`). Under `jenkinsfile plan` each effect goes to the
//! planner as the `sh` (or block step) Jenkins would run, so nothing reaches the engine.

mod container;
mod image;
mod image_check;
mod registry;
mod server;

pub(crate) use image::login_of;
pub(crate) use image_check::{ImageCheck, image_check};
pub(crate) use registry::{RegistryScope, registry_scope, with_docker_registry};
pub(crate) use server::with_docker_server;

use std::rc::Rc;
use std::time::Instant;

use super::{PipelineHost, State};
use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::host::LocalBoxFuture;
use crate::eval::interp::Interp;
use crate::eval::object::{HostObject, Object};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::report::{BuildResult, Event, millis};
use crate::source::Span;

/// The value of the `docker` global.
pub(crate) fn global(state: &Rc<State>) -> Value {
    host_value(DockerGlobal {
        state: state.clone(),
    })
}

fn host_value(object: impl HostObject + 'static) -> Value {
    Value::Object(Rc::new(Object::Host(Rc::new(object))))
}

/// The non-closure arguments of a Groovy method call, as text.
/// The positional arguments as text; `null` is empty, as docker-workflow treats a `null`
/// credentials id (`docker.withRegistry(url, env.CREDS)` with no `CREDS`) as anonymous.
fn texts(args: &CallArgs) -> Vec<String> {
    args.positional
        .iter()
        .filter(|v| !matches!(v, Value::Closure(_)))
        .map(|v| {
            if matches!(v, Value::Null) {
                String::new()
            } else {
                to_string(v)
            }
        })
        .collect()
}

fn body(args: &CallArgs, what: &str, span: Span) -> R<Rc<crate::eval::closure::Closure>> {
    match args.positional.last() {
        Some(Value::Closure(c)) => Ok(c.clone()),
        _ => Err(Flow::exception(
            "java.lang.IllegalArgumentException",
            format!("`{what}` needs a block: `{what}(...) {{ ... }}`"),
        )
        .at(span)),
    }
}

fn no_property(class: &str, name: &str) -> Flow {
    Flow::exception(
        "groovy.lang.MissingPropertyException",
        format!("No such property: {name} for class: {class}"),
    )
}

fn read_only(class: &str, name: &str) -> Flow {
    Flow::exception(
        "groovy.lang.ReadOnlyPropertyException",
        format!("Cannot set readonly property: {name} for class: {class}"),
    )
}

/// The engine of an enclosing `docker.withServer` (its `DOCKER_HOST`, and with a credential
/// `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`), if any.
pub(crate) fn engine_of(cx: &Cx) -> Option<crate::docker::Engine> {
    let overlay = &cx.dynamic.env;
    overlay.get("DOCKER_HOST").cloned().flatten()?;
    Some(crate::docker::Engine::from_vars(|name| {
        match overlay.get(name) {
            Some(value) => value.clone(),
            None => std::env::var(name).ok(),
        }
    }))
}

async fn connect(cx: &Cx) -> Result<bollard::Docker, crate::docker::Error> {
    match engine_of(cx) {
        Some(engine) => crate::docker::connect_engine(&engine).await,
        None => crate::docker::connect().await,
    }
}

/// Under `jenkinsfile plan`: the `sh` Jenkins would run for this effect, recorded by the
/// planner instead of run. `None` when not planning.
async fn planned_sh(
    host: &PipelineHost,
    interp: &Interp,
    script: String,
    return_stdout: bool,
    span: Span,
    cx: &Cx,
) -> Option<R<Value>> {
    let plan = host.state.plan.clone()?;
    let mut args = CallArgs::positional(Vec::new());
    args.named.insert(Key::str("script"), Value::string(script));
    if return_stdout {
        args.named
            .insert(Key::str("returnStdout"), Value::Bool(true));
    }
    Some(plan.call(host, interp, "sh", args, span, cx)?.await)
}

/// A native operation shown as the `sh` step Jenkins runs for it: `[Pipeline] sh`, the
/// operation's `+ docker …` lines, and the step's end (failed with the error and its hint).
async fn as_sh<T>(
    host: &PipelineHost,
    cx: &Cx,
    script: &str,
    span: Span,
    op: impl AsyncFnOnce(&mut dyn FnMut(String)) -> Result<T, String>,
) -> R<T> {
    as_sh_with(host, cx, script, span, true, op).await
}

/// [`as_sh`], where `interruptible: false` is for cleanup that must run to its end after the
/// build was interrupted (removing a `withRun` container).
async fn as_sh_with<T>(
    host: &PipelineHost,
    cx: &Cx,
    script: &str,
    span: Span,
    interruptible: bool,
    op: impl AsyncFnOnce(&mut dyn FnMut(String)) -> Result<T, String>,
) -> R<T> {
    let emit = host.emitter(cx);
    let mut summary = serde_json::Map::new();
    summary.insert("script".into(), serde_json::Value::String(script.into()));
    emit.emit(Event::StepStart {
        name: "sh".into(),
        summary: crate::steps::summary(&summary),
        block: false,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let started = Instant::now();
    let mut log = |line: String| emit.log(line);
    let cancel = host.cancel(cx);
    let r = tokio::select! {
        r = op(&mut log) => {
            r.map_err(|message| Flow::exception("hudson.AbortException", message).at(span))
        }
        // Dropping the operation closes its connection to the engine, which stops a build,
        // pull or push there: Ctrl-C and `timeout` reach native docker operations too.
        reason = cancel.cancelled(), if interruptible => {
            Err(super::interrupted(&reason).at(span))
        }
    };
    let (result, error) = outcome(&r);
    emit.emit(Event::StepEnd {
        name: "sh".into(),
        block: false,
        result,
        duration_ms: millis(started.elapsed()),
        error,
    });
    r
}

/// The step's result and error text, as a block step reports them.
fn outcome<T>(r: &R<T>) -> (BuildResult, Option<String>) {
    match r {
        Ok(_) => (BuildResult::Success, None),
        Err(Flow::Throw(e)) => {
            let (result, text) = super::describe_failure(e);
            (result, Some(text))
        }
        Err(Flow::Fatal(f)) => (BuildResult::Failure, Some(f.message.clone())),
        Err(_) => (BuildResult::Success, None),
    }
}

/// `docker.build(name, args = '.')`: the native build (`crate::docker::build`) from the
/// branch's directory, with the registry login in scope for its base images; the image
/// object of `name`.
async fn build(
    host: &PipelineHost,
    interp: &Interp,
    name: String,
    build_args: String,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    // Docker.groovy checks the name before anything runs.
    crate::docker::tag::check_reference(&name)
        .map_err(|e| Flow::exception("java.lang.IllegalArgumentException", e).at(span))?;
    let request = crate::docker::BuildRequest::parse(&name, &build_args).map_err(|e| {
        Flow::exception(
            "java.lang.IllegalArgumentException",
            format!("docker.build: {e}"),
        )
        .at(span)
    })?;
    let script = request.command_line();
    if let Some(r) = planned_sh(host, interp, script.clone(), false, span, cx).await {
        r?;
        return Ok(image::value(&host.state, name));
    }
    let cwd = cx
        .dynamic
        .cwd
        .clone()
        .unwrap_or_else(|| host.state.config.host.workspace.clone());
    let auth: Vec<crate::docker::DockerCredentials> = cx
        .dynamic
        .docker_registry
        .as_ref()
        .and_then(|s| s.login())
        .into_iter()
        .collect();
    as_sh(host, cx, &script, span, async |log| {
        let docker = connect(cx).await.map_err(|e| e.with_hint())?;
        crate::docker::build_image(&docker, &request, &cwd, &auth, &mut |line: &str| {
            log(line.to_string());
        })
        .await
        .map_err(|e| e.with_hint())
    })
    .await?;
    Ok(image::value(&host.state, name))
}

/// `docker`: `org.jenkinsci.plugins.docker.workflow.Docker`.
#[derive(Debug)]
struct DockerGlobal {
    state: Rc<State>,
}

const DOCKER_CLASS: &str = "org.jenkinsci.plugins.docker.workflow.Docker";

impl HostObject for DockerGlobal {
    fn class_name(&self) -> &'static str {
        DOCKER_CLASS
    }

    fn get(&self, name: &str, _cx: &Cx) -> R<Value> {
        Err(no_property(DOCKER_CLASS, name))
    }

    fn set(&self, name: &str, _value: Value, _cx: &Cx) -> R<()> {
        Err(read_only(DOCKER_CLASS, name))
    }

    fn call_async<'a>(
        &'a self,
        interp: &'a Interp,
        name: &'a str,
        args: &CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        let texts = texts(args);
        let args = args.clone();
        let state = self.state.clone();
        match name {
            "image" => {
                let id = texts.first().cloned().unwrap_or_default();
                Some(Box::pin(async move { Ok(image::value(&state, id)) }))
            }
            "build" => Some(Box::pin(async move {
                let host = PipelineHost { state };
                let name = texts.first().cloned().unwrap_or_default();
                let build_args = texts.get(1).cloned().unwrap_or_else(|| ".".to_string());
                build(&host, interp, name, build_args, span, cx).await
            })),
            "withRegistry" | "withServer" => Some(Box::pin(async move {
                let host = PipelineHost { state };
                let c = body(&args, &format!("docker.{name}"), span)?;
                let url = texts.first().cloned().unwrap_or_default();
                let credentials_id = texts.get(1).cloned().filter(|c| !c.is_empty());
                if name == "withRegistry" {
                    registry::with_registry(&host, interp, url, credentials_id, true, &c, span, cx)
                        .await
                } else {
                    server::with_server(&host, interp, url, credentials_id, &c, span, cx).await
                }
            })),
            // Jenkins puts a DockerTool installation's bin on PATH; there are no tool
            // installers here, so say so, with the equivalent that works.
            "withTool" => Some(Box::pin(async move {
                let tool = texts.first().cloned().unwrap_or_default();
                Err(Flow::exception(
                    "hudson.AbortException",
                    format!(
                        "unsupported locally: docker.withTool('{tool}') (Docker tool \
                         installations); the docker CLI on PATH is used. To use another one, \
                         add `{tool} = \"/path/to/docker-home\"` to the config's [tools] and \
                         write withEnv([\"PATH+DOCKER=${{tool('{tool}')}}/bin\"]) {{ … }}"
                    ),
                )
                .at(span))
            })),
            _ => None,
        }
    }

    fn to_text(&self) -> String {
        format!("{DOCKER_CLASS}@1")
    }
}
