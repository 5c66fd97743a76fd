//! `image.run(args, cmd)` and `image.withRun(args, cmd) { c -> }` (§8.5): a detached
//! container created through the engine from the `docker run` argument subset the agents
//! understand, and `Docker$Container` with `id`, `port(n)` and `stop()`. `withRun` removes the
//! container when the body ends, fails or is aborted; a guard removes it even if the build
//! is torn down mid-body.

use std::fmt::Write as _;
use std::rc::Rc;

use bollard::Docker;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{RemoveContainerOptionsBuilder, StopContainerOptionsBuilder};

use super::{
    PipelineHost, State, as_sh, as_sh_with, connect, host_value, no_property, planned_sh, read_only,
};
use crate::docker::{Error as DockerError, PullPolicy, RunArgs, ensure_image, split_words};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::flow::R;
use crate::eval::host::LocalBoxFuture;
use crate::eval::interp::Interp;
use crate::eval::object::HostObject;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::source::Span;

const CONTAINER_CLASS: &str = "org.jenkinsci.plugins.docker.workflow.Docker$Container";

/// The `+ docker run -d …` line Jenkins' `sh` shows.
fn run_script(image: &str, args: &str, cmd: &str) -> String {
    let mut script = "docker run -d".to_string();
    if !args.trim().is_empty() {
        let _ = write!(script, " {}", args.trim());
    }
    let _ = write!(script, " {image}");
    if !cmd.trim().is_empty() {
        let _ = write!(script, " {}", cmd.trim());
    }
    script
}

/// Creates and starts the container; its id.
async fn start(docker: &Docker, image: &str, run: &RunArgs, cmd: &str) -> Result<String, String> {
    let cmd = split_words(cmd).map_err(|e| e.to_string())?;
    let mut body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: (!cmd.is_empty()).then_some(cmd),
        working_dir: run.workdir.clone(),
        ..ContainerCreateBody::default()
    };
    run.apply(&mut body);
    if run.auto_remove {
        body.host_config
            .get_or_insert_with(HostConfig::default)
            .auto_remove = Some(true);
    }
    let options = run.create_options();
    let created = docker
        .create_container(options, body)
        .await
        .map_err(|e| match e {
            bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                message,
            } => DockerError::ImageNotFound {
                image: image.to_string(),
                reason: message,
            }
            .with_hint(),
            other => DockerError::engine("run", &other).with_hint(),
        })?;
    if let Err(e) = docker.start_container(&created.id, None).await {
        remove(docker, &created.id).await;
        return Err(DockerError::engine("run", &e).with_hint());
    }
    Ok(created.id)
}

async fn remove(docker: &Docker, id: &str) {
    let stop = StopContainerOptionsBuilder::default().t(1).build();
    let _ = docker.stop_container(id, Some(stop)).await;
    let rm = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    let _ = docker.remove_container(id, Some(rm)).await;
    // A `--rm` container is removed by the engine itself once stopped, and `rm -f` then only
    // answers "removal in progress": wait (bounded) until it is really gone, so that nothing
    // is listed after the step ends.
    for _ in 0..200 {
        // Not found (or no engine left to ask): nothing more to wait for.
        if docker.inspect_container(id, None).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// `run(args, cmd)`: the started container (or, when planning, the planned `sh`'s value).
async fn run(
    host: &PipelineHost,
    interp: &Interp,
    image: &str,
    args: &str,
    cmd: &str,
    span: Span,
    cx: &Cx,
) -> R<(String, Option<Docker>)> {
    let script = run_script(image, args, cmd);
    if let Some(r) = planned_sh(host, interp, script.clone(), true, span, cx).await {
        return r.map(|v| (to_string(&v), None));
    }
    as_sh(host, cx, &script, span, async |log| {
        log(format!("+ {script}"));
        let cwd = cx
            .dynamic
            .cwd
            .clone()
            .unwrap_or_else(|| host.state.config.host.workspace.clone());
        let run = crate::eval::pipeline::docker_inside::args_in(host, cx, args, &cwd)
            .map_err(|e| e.to_string())?;
        for note in &run.notes {
            log(note.clone());
        }
        let docker = connect(cx).await.map_err(|e| e.with_hint())?;
        // `--pull`: the CLI pulls before it creates; without it a missing image is the
        // engine's "No such image" below.
        if let Some(policy @ (PullPolicy::Always | PullPolicy::Missing)) = run.pull {
            let creds = cx
                .dynamic
                .docker_registry
                .as_ref()
                .and_then(|s| s.credentials_for(image));
            ensure_image(&docker, image, creds, policy == PullPolicy::Always, log)
                .await
                .map_err(|e| {
                    e.with_login_hint(super::login_of(cx.dynamic.docker_registry.as_deref()))
                })?;
        }
        // Jenkins runs `docker run -d` with returnStdout: the id is the value, not a line.
        let id = start(&docker, image, &run, cmd).await?;
        Ok((id, Some(docker)))
    })
    .await
}

pub(super) async fn run_value(
    host: &PipelineHost,
    interp: &Interp,
    image: &str,
    args: &str,
    cmd: &str,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let (id, _) = run(host, interp, image, args, cmd, span, cx).await?;
    Ok(container_value(host, id))
}

fn container_value(host: &PipelineHost, id: String) -> Value {
    host_value(Container {
        state: host.state.clone(),
        id,
    })
}

/// Removes the container if `withRun` is torn down before its own cleanup ran.
struct Guard {
    docker: Option<Docker>,
    id: String,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Some(docker) = self.docker.take() else {
            return;
        };
        let id = std::mem::take(&mut self.id);
        let worker = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(remove(&docker, &id));
        });
        let _ = worker.join();
    }
}

/// `withRun(args, cmd) { c -> }`: run, the body with the container, then (always) stop and
/// remove it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn with_run(
    host: &PipelineHost,
    interp: &Interp,
    image: &str,
    args: &str,
    cmd: &str,
    body: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let (id, docker) = run(host, interp, image, args, cmd, span, cx).await?;
    let mut guard = Guard {
        docker,
        id: id.clone(),
    };
    let c = container_value(host, id.clone());
    let r = interp.call_closure(body, vec![c], span, cx).await;
    let script = format!("docker stop {id} && docker rm -f --volumes {id}");
    if let Some(planned) = planned_sh(host, interp, script.clone(), false, span, cx).await {
        planned?;
        return r;
    }
    // The guard keeps its engine until the removal is over: a second Ctrl-C can drop this
    // future in the middle of `stop`, and the guard's drop must then still remove it.
    let docker = guard.docker.clone();
    let stopped = as_sh_with(host, cx, &script, span, false, async |log| {
        log(format!("+ docker stop {id}"));
        if let Some(docker) = &docker {
            remove(docker, &id).await;
        }
        log(format!("+ docker rm -f --volumes {id}"));
        Ok(())
    })
    .await;
    guard.docker = None;
    // The body's outcome wins; a failed cleanup only shows when the body succeeded.
    let value = r?;
    stopped?;
    Ok(value)
}

/// `Docker$Container`.
#[derive(Debug)]
struct Container {
    state: Rc<State>,
    id: String,
}

impl HostObject for Container {
    fn class_name(&self) -> &'static str {
        CONTAINER_CLASS
    }

    fn get(&self, name: &str, _cx: &Cx) -> R<Value> {
        match name {
            "id" => Ok(Value::string(self.id.clone())),
            _ => Err(no_property(CONTAINER_CLASS, name)),
        }
    }

    fn set(&self, name: &str, _value: Value, _cx: &Cx) -> R<()> {
        Err(read_only(CONTAINER_CLASS, name))
    }

    fn call_async<'a>(
        &'a self,
        interp: &'a Interp,
        name: &'a str,
        args: &CallArgs,
        span: Span,
        cx: &'a Cx,
    ) -> Option<LocalBoxFuture<'a, R<Value>>> {
        let first = args.positional.first().map(to_string).unwrap_or_default();
        let id = &self.id;
        let state = self.state.clone();
        Some(match name {
            "port" => Box::pin(async move {
                let host = &PipelineHost { state };
                let script = format!("docker port {id} {first}");
                if let Some(r) = planned_sh(host, interp, script.clone(), true, span, cx).await {
                    return r;
                }
                as_sh(host, cx, &script, span, async |log| {
                    log(format!("+ {script}"));
                    let docker = connect(cx).await.map_err(|e| e.with_hint())?;
                    let mapped = port(&docker, id, &first).await?;
                    log(mapped.clone());
                    Ok(Value::string(mapped))
                })
                .await
            }),
            "stop" => Box::pin(async move {
                let host = &PipelineHost { state };
                let script = format!("docker stop {id} && docker rm -f --volumes {id}");
                if let Some(r) = planned_sh(host, interp, script.clone(), false, span, cx).await {
                    return r;
                }
                as_sh(host, cx, &script, span, async |log| {
                    log(format!("+ docker stop {id}"));
                    let docker = connect(cx).await.map_err(|e| e.with_hint())?;
                    remove(&docker, id).await;
                    log(format!("+ docker rm -f --volumes {id}"));
                    Ok(Value::Null)
                })
                .await
            }),
            _ => return None,
        })
    }

    fn to_text(&self) -> String {
        format!("{CONTAINER_CLASS}@{}", self.id)
    }
}

/// `docker port <id> <port>`: the first host binding of `port` (`/tcp` by default).
async fn port(docker: &Docker, id: &str, port: &str) -> Result<String, String> {
    let key = if port.contains('/') {
        port.to_string()
    } else {
        format!("{port}/tcp")
    };
    let inspected = docker
        .inspect_container(id, None)
        .await
        .map_err(|e| DockerError::engine("port", &e).with_hint())?;
    let binding = inspected
        .network_settings
        .and_then(|n| n.ports)
        .and_then(|p| p.get(&key).cloned().flatten())
        .and_then(|b| b.into_iter().next());
    if let Some(b) = binding {
        return Ok(format!(
            "{}:{}",
            b.host_ip.unwrap_or_else(|| "0.0.0.0".into()),
            b.host_port.unwrap_or_default()
        ));
    }
    let host_config = inspected.host_config.unwrap_or_default();
    let asked = host_config
        .port_bindings
        .is_some_and(|b| b.contains_key(&key));
    let mode = host_config.network_mode.unwrap_or_default();
    // `docker port` names the port as it was asked for; the second line says why.
    Err(format!(
        "Error: No public port '{port}' published for {id}\n{}",
        unpublished_hint(port, asked, &mode)
    ))
}

/// Why a port has no host binding.
fn unpublished_hint(port: &str, asked: bool, mode: &str) -> String {
    let number = port.split('/').next().unwrap_or(port);
    if !asked {
        return format!(
            "publish it with `-p {number}` (or `-p HOST:{number}`) in the args of run/withRun"
        );
    }
    match mode {
        "none" => format!(
            "the container runs with --network none, which has no ports to publish: -p {number} is ignored there"
        ),
        "host" => format!(
            "the container shares the host's network (--network host): its port {number} is the host's own, so use 127.0.0.1:{number}; -p is ignored there"
        ),
        _ => format!(
            "-p asked for port {number} but the engine published nothing on network `{mode}`: ports are published only through a bridge network, and this engine has none (a daemon started with --bridge=none, as the test engine is); run it with --network host and use 127.0.0.1:{number}"
        ),
    }
}
