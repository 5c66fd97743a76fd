//! `docker.withRegistry(url, credentialsId)` and `withDockerRegistry` (runtime-semantics
//! §8.4); `server` holds `docker.withServer` and uses this module's block helpers.
//!
//! A registry block resolves its login (a username/password of the store, or an ECR token for
//! `ecr:<region>:<credId>`), prints Jenkins' `$ docker login -u … -p ******** <url>` line,
//! and runs the body with `DOCKER_CONFIG` pointing at a temporary config under the
//! workspace's `@tmp` that holds that login; native steps take the same login from the
//! branch's [`RegistryScope`]. The login is not checked when the block starts: the first
//! pull or push reports a wrong password. An ECR token the registry refuses (401) is
//! refreshed once through [`EcrLogins`], since `expiresAt` cannot be trusted.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::LazyLock;
use std::time::Instant;

use super::outcome;
use crate::aws::ecr::{EcrLogins, RegistryAuth};
use crate::creds::{Credential, Kind};
use crate::docker::DockerCredentials;
use crate::docker::config_json::{TempConfig, write_login};
use crate::docker::tag::{DOCKER_HUB, registry_host};
use crate::eval::closure::Closure;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::pipeline::{PipelineHost, env_insert};
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::report::{Event, millis};
use crate::source::Span;

/// The ECR logins of this build (one build per process).
static ECR_LOGINS: LazyLock<EcrLogins> = LazyLock::new(EcrLogins::new);

/// The login of an enclosing registry block.
#[derive(Debug)]
pub(crate) struct RegistryScope {
    /// The URL as written (`DOCKER_REGISTRY_URL`).
    pub url: String,
    /// `host[:port]`: where images of this registry are named, and the key of the login.
    pub server: String,
    pub credentials_id: Option<String>,
    auth: RefCell<Option<DockerCredentials>>,
    /// `(region, credentials id)` of an ECR login.
    ecr: Option<(String, String)>,
    config_dir: Option<PathBuf>,
}

impl RegistryScope {
    /// The login for `image`, when the image lives in this registry.
    pub(crate) fn credentials_for(&self, image: &str) -> Option<DockerCredentials> {
        let first = image.split('/').next().unwrap_or_default();
        let names_a_registry = image.contains('/')
            && (first.contains('.') || first.contains(':') || first == "localhost");
        let ours = if names_a_registry {
            first == self.server
        } else {
            self.server == "index.docker.io"
        };
        if ours {
            self.auth.borrow().clone()
        } else {
            None
        }
    }

    /// The block's login, whatever the image.
    pub(crate) fn login(&self) -> Option<DockerCredentials> {
        self.auth.borrow().clone()
    }

    /// Whether a refused request can be retried with a new token.
    pub(crate) fn is_ecr(&self) -> bool {
        self.ecr.is_some()
    }

    /// The registry refused the ECR token: fetch a new one (once), store it in the scope
    /// and the temporary config, and say so in the log.
    pub(crate) async fn refresh(
        &self,
        host: &PipelineHost,
        cx: &Cx,
        log: &mut dyn FnMut(String),
    ) -> Result<(), String> {
        let Some((region, cred)) = &self.ecr else {
            return Err("not an ECR login".into());
        };
        let rejected = self.auth.borrow().clone().unwrap_or_default();
        let rejected = RegistryAuth {
            username: rejected.username.unwrap_or_default(),
            password: rejected.password.unwrap_or_default(),
            server: self.url.clone(),
        };
        log(format!(
            "The registry {} refused the ECR token; fetching a new one and retrying once",
            self.server
        ));
        let env = aws_env(host, cx);
        let fresh = ECR_LOGINS
            .refresh(
                &host.state.config.credentials,
                region,
                cred,
                &env,
                &rejected,
            )
            .await
            .map_err(|e| e.to_string())?;
        host.emitter(cx).emit(Event::Secrets {
            values: vec![fresh.password.clone()],
        });
        if let Some(dir) = &self.config_dir {
            write_login(dir, &self.server, &fresh.username, &fresh.password).map_err(|e| {
                format!("cannot update the docker config in {}: {e}", dir.display())
            })?;
        }
        *self.auth.borrow_mut() = Some(self.credentials(fresh.username, fresh.password));
        Ok(())
    }

    fn credentials(&self, username: String, password: String) -> DockerCredentials {
        DockerCredentials {
            username: Some(username),
            password: Some(password),
            serveraddress: Some(self.server.clone()),
            ..DockerCredentials::default()
        }
    }
}

/// The build's environment for STS/ECR calls, with the process's `AWS_ENDPOINT_URL` when the
/// build does not set one.
fn aws_env(host: &PipelineHost, cx: &Cx) -> indexmap::IndexMap<String, String> {
    let mut env = host.state.effective_env(&cx.dynamic);
    if !env.contains_key("AWS_ENDPOINT_URL")
        && let Ok(url) = std::env::var("AWS_ENDPOINT_URL")
    {
        env.insert("AWS_ENDPOINT_URL".into(), url);
    }
    env
}

/// `[Pipeline] name` … `[Pipeline] {` around `run`, then `}` and `// name`.
pub(super) async fn block_events<T>(
    host: &PipelineHost,
    cx: &Cx,
    name: &str,
    summary: String,
    run: impl AsyncFnOnce() -> R<T>,
) -> R<T> {
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: name.to_string(),
        summary,
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let started = Instant::now();
    let r = run().await;
    let (result, error) = outcome(&r);
    emit.emit(Event::StepEnd {
        name: name.to_string(),
        block: true,
        result,
        duration_ms: millis(started.elapsed()),
        error,
    });
    r
}

/// The login of `credentials_id` for `url`.
async fn login(
    host: &PipelineHost,
    cx: &Cx,
    server: &str,
    url: &str,
    id: &str,
) -> Result<(String, String, Option<(String, String)>), String> {
    if id.starts_with("ecr:") {
        let (region, cred) =
            crate::aws::ecr::parse_credentials_id(id).map_err(|e| e.to_string())?;
        let env = aws_env(host, cx);
        let auth = ECR_LOGINS
            .get(&host.state.config.credentials, region, cred, &env)
            .await
            .map_err(|e| e.to_string())?;
        return Ok((
            auth.username,
            auth.password,
            Some((region.to_string(), cred.to_string())),
        ));
    }
    match host
        .state
        .config
        .credentials
        .resolve_as(id, Kind::UsernamePassword)
        .await
    {
        Ok(Credential::UsernamePassword {
            username, password, ..
        }) => Ok((username, password, None)),
        Ok(_) => Err(format!(
            "credentials {id} are not a username and password, as a login to {server} ({url}) needs"
        )),
        Err(_) => Err(format!("Could not find credentials matching {id}")),
    }
}

/// The arguments a registry or server block is recorded with in a plan: the body, its
/// address under `key` and the credentials id.
pub(super) fn planned_args(
    body: &Rc<Closure>,
    key: &str,
    address: &str,
    credentials_id: Option<&str>,
) -> crate::eval::args::CallArgs {
    let mut args = crate::eval::args::CallArgs::positional(vec![Value::Closure(body.clone())]);
    args.named.insert(
        crate::eval::value::Key::str(key),
        Value::string(address.to_owned()),
    );
    if let Some(id) = credentials_id {
        args.named.insert(
            crate::eval::value::Key::str("credentialsId"),
            Value::string(id.to_owned()),
        );
    }
    args
}

/// `withDockerRegistry(url:, credentialsId:) { }`; with `set_url_env` (`docker.withRegistry`)
/// wrapped in `withEnv(["DOCKER_REGISTRY_URL=<url>"])` as Jenkins does.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn with_registry(
    host: &PipelineHost,
    interp: &Interp,
    url: String,
    credentials_id: Option<String>,
    set_url_env: bool,
    body: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    if let Some(plan) = host.state.plan.clone() {
        let args = planned_args(body, "url", &url, credentials_id.as_deref());
        // The body's image names are qualified by the registry when planned too.
        let mut dynamic = (*cx.dynamic).clone();
        if set_url_env {
            env_insert(&mut dynamic.env, "DOCKER_REGISTRY_URL", Some(url.clone()));
        }
        let inner = cx.with_dynamic(dynamic);
        if let Some(planned) = plan.call(host, interp, "withDockerRegistry", args, span, &inner) {
            return planned.await;
        }
    }
    let run = async move |inner: Cx| interp.call_closure(body, Vec::new(), span, &inner).await;
    registry_scope(host, url, credentials_id, set_url_env, span, cx, run).await
}

/// The run-time part of a registry block around any body: the declarative docker and
/// dockerfile agents' `registryUrl`/`registryCredentialsId` (§8.2) use it as
/// `docker.withRegistry` does.
pub(crate) async fn registry_scope<T>(
    host: &PipelineHost,
    url: String,
    credentials_id: Option<String>,
    set_url_env: bool,
    span: Span,
    cx: &Cx,
    body: impl AsyncFnOnce(Cx) -> R<T>,
) -> R<T> {
    let url = if url.trim().is_empty() {
        DOCKER_HUB.to_string()
    } else {
        url
    };
    let emit = host.emitter(cx);
    let mut dynamic = (*cx.dynamic).clone();
    if set_url_env {
        emit.emit(Event::StepStart {
            name: "withEnv".into(),
            summary: format!("overrides: [DOCKER_REGISTRY_URL={url}]"),
            block: true,
            stage: cx.dynamic.stage.as_deref().map(str::to_string),
            branch: cx.dynamic.branch.as_deref().map(str::to_string),
        });
        emit.emit(Event::BodyStart { label: None });
        env_insert(&mut dynamic.env, "DOCKER_REGISTRY_URL", Some(url.clone()));
    }
    let started = Instant::now();
    let r = registry_block(host, url, credentials_id, dynamic, span, cx, body).await;
    if set_url_env {
        emit.emit(Event::BodyEnd);
        let (result, error) = outcome(&r);
        emit.emit(Event::StepEnd {
            name: "withEnv".into(),
            block: true,
            result,
            duration_ms: millis(started.elapsed()),
            error,
        });
    }
    r
}

async fn registry_block<T>(
    host: &PipelineHost,
    url: String,
    credentials_id: Option<String>,
    mut dynamic: crate::eval::dynamic::Dynamic,
    span: Span,
    cx: &Cx,
    body: impl AsyncFnOnce(Cx) -> R<T>,
) -> R<T> {
    let summary = match &credentials_id {
        Some(id) => format!("url: {url}, credentialsId: {id}"),
        None => format!("url: {url}"),
    };
    let emit = host.emitter(cx);
    block_events(host, cx, "withDockerRegistry", summary, async || {
        let fail = |message: String| Flow::exception("hudson.AbortException", message).at(span);
        let server = registry_host(&url);
        let mut scope = RegistryScope {
            url: url.clone(),
            server: server.clone(),
            credentials_id: credentials_id.clone(),
            auth: RefCell::new(None),
            ecr: None,
            config_dir: None,
        };
        // Owned here so that the directory goes when the block ends, however it ends.
        let mut config: Option<TempConfig> = None;
        if let Some(id) = &credentials_id {
            let (user, password, ecr) = login(host, cx, &server, &url, id).await.map_err(fail)?;
            emit.emit(Event::Secrets {
                values: vec![password.clone()],
            });
            let tmp = PathBuf::from(format!(
                "{}@tmp",
                host.state.config.host.workspace.display()
            ));
            let made = TempConfig::create(&tmp, &server, &user, &password).map_err(|e| {
                fail(format!(
                    "cannot create a docker config directory under {}: {e}",
                    tmp.display()
                ))
            })?;
            emit.log(format!("$ docker login -u {user} -p ******** {url}"));
            env_insert(
                &mut dynamic.env,
                "DOCKER_CONFIG",
                Some(made.dir().display().to_string()),
            );
            scope.config_dir = Some(made.dir().to_path_buf());
            *scope.auth.borrow_mut() = Some(scope.credentials(user, password));
            scope.ecr = ecr;
            config = Some(made);
        }
        dynamic.docker_registry = Some(Rc::new(scope));
        emit.emit(Event::BodyStart { label: None });
        let r = body(cx.with_dynamic(dynamic)).await;
        emit.emit(Event::BodyEnd);
        drop(config);
        r
    })
    .await
}

/// The step forms: `withDockerRegistry(url: …, credentialsId: …)`, `withDockerRegistry([url:
/// …, credentialsId: …])` (the map bound to `registry`), and positional `(url, credentialsId)`.
pub(crate) async fn with_docker_registry(
    host: &PipelineHost,
    interp: &Interp,
    args: &crate::eval::args::CallArgs,
    body: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let (url, id) = endpoint(args, "url", "registry");
    with_registry(host, interp, url, id, false, body, span, cx).await
}

/// `(address, credentialsId)` from named arguments, a map (first positional or `map_name:`),
/// or positional strings.
pub(super) fn endpoint(
    args: &crate::eval::args::CallArgs,
    address: &str,
    map_name: &str,
) -> (String, Option<String>) {
    use crate::eval::text::to_string;
    use crate::eval::value::Key;
    let from_map = |m: &Value| -> Option<(String, Option<String>)> {
        let Value::Map(m) = m else { return None };
        let m = m.borrow();
        let get = |k: &str| m.get(&Key::str(k)).filter(|v| !v.is_null()).map(to_string);
        Some((get(address).unwrap_or_default(), get("credentialsId")))
    };
    if let Some(found) = args.named.get(&Key::str(map_name)).and_then(from_map) {
        return found;
    }
    if let Some(found) = args.positional.first().and_then(from_map) {
        return found;
    }
    let named = |k: &str| {
        args.named
            .get(&Key::str(k))
            .filter(|v| !v.is_null())
            .map(to_string)
    };
    if named(address).is_some() || named("credentialsId").is_some() {
        return (named(address).unwrap_or_default(), named("credentialsId"));
    }
    let texts = super::texts(args);
    (
        texts.first().cloned().unwrap_or_default(),
        texts.get(1).cloned().filter(|c| !c.is_empty()),
    )
}
