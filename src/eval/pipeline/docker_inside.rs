//! `withDockerContainer`: the machinery behind `agent { docker … }` and
//! `docker.image(…).inside`. It pulls the image when missing (with registry credentials from
//! the store), starts the container agent, runs the body with the agent on the branch's
//! dynamic state so that `sh` goes through `docker exec`, and always stops and removes the
//! container afterwards, whether the body succeeded, failed or was aborted (runtime-semantics
//! §8.1, §8.2).

use std::sync::Arc;
use std::time::Instant;

use super::docker_global::{ImageCheck, image_check};
use super::{PipelineHost, describe_failure};
use crate::agents::AgentHandle;
use crate::agents::docker::{ContainerSpec, DockerAgent};
use crate::creds::{Credential, Kind};
use crate::docker::{ArgsContext, DockerCredentials, PullPolicy, ensure_image, parse_run_args_in};
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::host::LocalBoxFuture;
use crate::eval::scope::Cx;
use crate::report::{BuildResult, Event, millis};
use crate::source::Span;

/// What a docker agent (or `inside`) asks for.
#[derive(Clone, Debug, Default)]
pub(crate) struct Inside {
    pub image: String,
    pub args: String,
    pub registry_url: Option<String>,
    pub credentials_id: Option<String>,
    pub always_pull: bool,
    /// The engine of an enclosing `docker.withServer` (else `DOCKER_HOST` or the default).
    pub engine: Option<crate::docker::Engine>,
    /// Docker.groovy's `inside` (`image.inside`, the declarative agents): the image is
    /// checked with Jenkins' `isUnix` / `withEnv` / `sh 'docker inspect …'` lines first.
    /// Without it (the bare `withDockerContainer` step) the check prints only its own lines.
    pub groovy_steps: bool,
    /// Under a registry, the unqualified id Docker.groovy tries first.
    pub local_id: Option<String>,
    /// A declarative docker agent: `credentials_id` is its `registryCredentialsId`.
    pub agent: bool,
}

/// Runs `body` inside a container of `spec.image`.
pub(crate) async fn inside<'a, T>(
    host: &'a PipelineHost,
    cx: &Cx,
    spec: Inside,
    span: Span,
    body: impl FnOnce(Cx) -> LocalBoxFuture<'a, R<T>>,
) -> R<T> {
    // Boxed: the container's state would otherwise sit in every stage's and step's future.
    Box::pin(inside_unboxed(host, cx, spec, span, body)).await
}

async fn inside_unboxed<'a, T>(
    host: &'a PipelineHost,
    cx: &Cx,
    spec: Inside,
    span: Span,
    body: impl FnOnce(Cx) -> LocalBoxFuture<'a, R<T>>,
) -> R<T> {
    let emit = host.emitter(cx);
    let fail = |message: String| Flow::exception("hudson.AbortException", message).at(span);
    let docker = match &spec.engine {
        Some(engine) => crate::docker::connect_engine(engine).await,
        None => crate::docker::connect().await,
    }
    .map_err(|e| fail(e.with_hint()))?;
    let image = qualified(&spec.image, spec.registry_url.as_deref());
    crate::docker::tag::check_reference(&image).map_err(fail)?;
    // Inside the registry block of the same credentials (a declarative agent's
    // `registryCredentialsId`, or `docker.withRegistry`), its login is the one to use.
    let scope_login = cx
        .dynamic
        .docker_registry
        .as_ref()
        .filter(|s| s.credentials_id.is_some() && s.credentials_id == spec.credentials_id)
        .and_then(|s| s.login());
    let credentials = match (&spec.credentials_id, scope_login) {
        (_, Some(login)) => Some(login),
        (Some(id), None) if !id.is_empty() => {
            Some(registry_credentials(host, id, &spec).await.map_err(fail)?)
        }
        _ => None,
    };
    let workspace = cx
        .dynamic
        .cwd
        .clone()
        .unwrap_or_else(|| host.state.config.host.workspace.clone());
    let run_args = args_in(host, cx, &spec.args, &workspace).map_err(|e| fail(e.to_string()))?;
    let login = match spec.credentials_id.as_deref() {
        Some(id) if spec.agent && !id.is_empty() => {
            crate::docker::Login::Agent { credentials_id: id }
        }
        _ if spec.agent => crate::docker::Login::None,
        _ => crate::eval::pipeline::docker_global::login_of(cx.dynamic.docker_registry.as_deref()),
    };
    let mut log = |line: String| emit.log(line);
    let always_pull = spec.always_pull || run_args.pull == Some(PullPolicy::Always);
    let never_pull = run_args.pull == Some(PullPolicy::Never);
    let image = if spec.groovy_steps {
        let check = ImageCheck {
            docker: &docker,
            image: &image,
            local_id: spec.local_id.as_deref(),
            credentials,
            login,
            always_pull,
            never_pull,
        };
        // Boxed: its steps' futures would otherwise sit in every agent's future.
        Box::pin(image_check(host, cx, span, check)).await?
    } else if never_pull {
        require_local(&docker, &image, &mut log)
            .await
            .map_err(fail)?;
        image
    } else {
        ensure_image(&docker, &image, credentials, always_pull, &mut log)
            .await
            .map_err(|e| fail(e.with_login_hint(login)))?;
        image
    };

    let started = Instant::now();
    emit.emit(Event::StepStart {
        name: "withDockerContainer".to_string(),
        summary: String::new(),
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    emit.log("Jenkins does not seem to be running inside a container");
    let container = ContainerSpec {
        image,
        workspace,
        args: run_args,
        args_text: spec.args.clone(),
        env: run_env(host, cx),
    };
    let r = match DockerAgent::start(docker, &container, &mut log).await {
        Ok(agent) => {
            let agent: AgentHandle = Arc::new(agent);
            let dynamic = Dynamic {
                agent: Some(agent.clone()),
                ..(*cx.dynamic).clone()
            };
            emit.emit(Event::BodyStart { label: None });
            let r = body(cx.with_dynamic(dynamic)).await;
            emit.emit(Event::BodyEnd);
            agent.cleanup(&mut log).await;
            r
        }
        // A container that was created but did not start is removed when the agent drops.
        Err(e) => Err(fail(e.with_hint())),
    };
    let (result, error) = match &r {
        Ok(_) => (BuildResult::Success, None),
        Err(Flow::Throw(e)) => {
            let (res, text) = describe_failure(e);
            (res, Some(text))
        }
        Err(Flow::Fatal(f)) => (BuildResult::Failure, Some(f.message.clone())),
        Err(_) => (BuildResult::Success, None),
    };
    emit.emit(Event::StepEnd {
        name: "withDockerContainer".to_string(),
        block: true,
        result,
        duration_ms: millis(started.elapsed()),
        error,
    });
    r
}

/// `--pull never`: the image must be on the engine already (`docker inspect`), as `docker run
/// --pull never` requires.
pub(crate) async fn require_local(
    docker: &bollard::Docker,
    image: &str,
    log: &mut dyn FnMut(String),
) -> Result<(), String> {
    log(format!("+ docker inspect -f . {image}"));
    match docker.inspect_image(image).await {
        Ok(_) => {
            log(".".to_string());
            Ok(())
        }
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => Err(crate::docker::Error::ImageNotFound {
            image: image.to_string(),
            reason: format!("No such image: {image} (--pull never: nothing is pulled)"),
        }
        .with_hint()),
        Err(e) => Err(crate::docker::Error::engine("inspect", &e).with_hint()),
    }
}

/// `withDockerContainer(image: …, args: …, toolName: …) { }`: the step `inside` stands on
/// (§8.1), with the login of an enclosing registry block.
/// Under `plan`, a container block (`withDockerContainer`, `image.inside`) is handed to the
/// planner as `withDockerContainer(image:, args:) { body }`; `None` when not planning.
pub(crate) fn planned_container<'a>(
    host: &'a PipelineHost,
    interp: &'a crate::eval::interp::Interp,
    image: &str,
    docker_args: &str,
    body: &std::rc::Rc<crate::eval::closure::Closure>,
    span: Span,
    cx: &'a Cx,
) -> Option<LocalBoxFuture<'a, R<crate::eval::value::Value>>> {
    use crate::eval::value::{Key, Value};
    let plan = host.state.plan.as_ref()?;
    let mut planned = crate::eval::args::CallArgs::positional(vec![Value::Closure(body.clone())]);
    planned
        .named
        .insert(Key::str("image"), Value::string(image.to_owned()));
    planned
        .named
        .insert(Key::str("args"), Value::string(docker_args.to_owned()));
    plan.call(host, interp, "withDockerContainer", planned, span, cx)
}

pub(crate) async fn with_docker_container(
    host: &PipelineHost,
    interp: &crate::eval::interp::Interp,
    args: &crate::eval::args::CallArgs,
    body: &std::rc::Rc<crate::eval::closure::Closure>,
    span: Span,
    cx: &Cx,
) -> R<crate::eval::value::Value> {
    use crate::eval::text::to_string;
    use crate::eval::value::{Key, Value};
    let named = |k: &str| {
        args.named
            .get(&Key::str(k))
            .filter(|v| !v.is_null())
            .map(to_string)
    };
    let image = named("image")
        .or_else(|| {
            args.positional
                .iter()
                .find(|v| !matches!(v, Value::Closure(_)))
                .map(to_string)
        })
        .unwrap_or_default();
    if image.is_empty() {
        return Err(Flow::exception(
            "java.lang.IllegalArgumentException",
            "withDockerContainer: no `image` given",
        )
        .at(span));
    }
    let docker_args = named("args").unwrap_or_default();
    if let Some(r) = planned_container(host, interp, &image, &docker_args, body, span, cx) {
        return r.await;
    }
    let spec = Inside {
        image,
        args: docker_args,
        registry_url: None,
        credentials_id: cx
            .dynamic
            .docker_registry
            .as_ref()
            .and_then(|s| s.credentials_id.clone()),
        always_pull: false,
        engine: super::docker_global::engine_of(cx),
        ..Inside::default()
    };
    inside(host, cx, spec, span, |inner| {
        Box::pin(async move { interp.call_closure(body, Vec::new(), span, &inner).await })
    })
    .await
}

/// `args` read against the step's environment (`$VAR`, `-e NAME`, `--env-file`), relative
/// paths from `cwd`.
pub(crate) fn args_in(
    host: &PipelineHost,
    cx: &Cx,
    args: &str,
    cwd: &std::path::Path,
) -> Result<crate::docker::RunArgs, crate::docker::Error> {
    let env = host.state.effective_env(&cx.dynamic);
    let lookup = |name: &str| env.get(name).cloned();
    parse_run_args_in(args, &ArgsContext { env: &lookup, cwd })
}

/// [`inside`], wrapped in the registry block of `spec.registry_url` /
/// `spec.credentials_id` when either is set, as Declarative wraps its docker and dockerfile
/// agents in `docker.withRegistry(url, credentialsId)` (§8.2): the steps inside then see
/// `DOCKER_CONFIG` with that login, and pulls use it.
pub(crate) async fn inside_registry<'a, T>(
    host: &'a PipelineHost,
    cx: &Cx,
    spec: Inside,
    span: Span,
    body: impl FnOnce(Cx) -> LocalBoxFuture<'a, R<T>>,
) -> R<T> {
    let credentials_id = spec.credentials_id.clone().filter(|c| !c.is_empty());
    if spec.registry_url.is_none() && credentials_id.is_none() {
        return inside(host, cx, spec, span, body).await;
    }
    let url = spec.registry_url.clone().unwrap_or_default();
    let run = async move |inner: Cx| inside(host, &inner, spec, span, body).await;
    super::docker_global::registry_scope(host, url, credentials_id, true, span, cx, run).await
}

/// `-e` for `docker run`: the step environment's variables that differ from this machine's
/// own, never `PATH` (§8.1).
fn run_env(host: &PipelineHost, cx: &Cx) -> Vec<(String, String)> {
    host.state
        .effective_env(&cx.dynamic)
        .into_iter()
        .filter(|(k, _)| k != "PATH")
        .filter(|(k, v)| std::env::var(k).ok().as_ref() != Some(v))
        .collect()
}

/// The image name under a registry: `host[:port]/name` unless it already starts with it
/// (`imageName()`, §8.4).
pub(crate) fn qualified(image: &str, registry_url: Option<&str>) -> String {
    let Some(url) = registry_url else {
        return image.to_string();
    };
    let host = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    if host.is_empty() || image.starts_with(&format!("{host}/")) {
        image.to_string()
    } else {
        format!("{host}/{image}")
    }
}

/// A username/password credential of the store as registry credentials.
async fn registry_credentials(
    host: &PipelineHost,
    id: &str,
    spec: &Inside,
) -> Result<DockerCredentials, String> {
    let store = &host.state.config.credentials;
    // The Amazon ECR plugin's form: a token from GetAuthorizationToken with an `aws` credential.
    if let Some(rest) = id.strip_prefix("ecr:") {
        let Some((region, cred)) = rest.split_once(':') else {
            return Err(format!(
                "ECR registry credentials read `ecr:<region>:<credentialsId>`, not `{id}`"
            ));
        };
        let auth = crate::aws::ecr::registry_auth(store, region, cred)
            .await
            .map_err(|e| e.to_string())?;
        return Ok(DockerCredentials {
            username: Some(auth.username),
            password: Some(auth.password),
            serveraddress: spec.registry_url.clone().or(Some(auth.server)),
            ..DockerCredentials::default()
        });
    }
    match store.resolve_as(id, Kind::UsernamePassword).await {
        Ok(Credential::UsernamePassword {
            username, password, ..
        }) => Ok(DockerCredentials {
            username: Some(username),
            password: Some(password),
            serveraddress: spec.registry_url.clone(),
            ..DockerCredentials::default()
        }),
        Ok(_) => Err(format!(
            "credentials {id} are not a username and password, as a registry login needs"
        )),
        Err(_) => Err(format!("Could not find credentials matching {id}")),
    }
}
