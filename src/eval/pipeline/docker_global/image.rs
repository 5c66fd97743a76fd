//! `docker.image(id)`: `org.jenkinsci.plugins.docker.workflow.Docker$Image` (§8.1, §8.5).
//! Names are qualified by the registry of the enclosing `docker.withRegistry` when a method
//! runs (`DOCKER_REGISTRY_URL`), as Jenkins' `imageName()` reads it.

use std::rc::Rc;

use super::{
    PipelineHost, State, as_sh, body, connect, container, host_value, no_property, planned_sh,
    read_only, texts,
};
use crate::docker::tag::{image_name, tag_of};
use crate::docker::{Error as DockerError, ensure_image, split_reference};
use crate::eval::args::CallArgs;
use crate::eval::flow::R;
use crate::eval::host::LocalBoxFuture;
use crate::eval::interp::Interp;
use crate::eval::object::HostObject;
use crate::eval::pipeline::docker_inside::{Inside, inside, planned_container};
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::source::Span;

const IMAGE_CLASS: &str = "org.jenkinsci.plugins.docker.workflow.Docker$Image";

pub(super) fn value(state: &Rc<State>, id: String) -> Value {
    host_value(Image {
        state: state.clone(),
        id,
    })
}

#[derive(Debug)]
struct Image {
    state: Rc<State>,
    id: String,
}

impl Image {
    fn name(&self, cx: &Cx) -> String {
        let url = cx.dynamic.env.get("DOCKER_REGISTRY_URL").cloned().flatten();
        image_name(&self.id, url.as_deref())
    }
}

impl HostObject for Image {
    fn class_name(&self) -> &'static str {
        IMAGE_CLASS
    }

    fn get(&self, name: &str, _cx: &Cx) -> R<Value> {
        match name {
            "id" => Ok(Value::string(self.id.clone())),
            _ => Err(no_property(IMAGE_CLASS, name)),
        }
    }

    fn set(&self, name: &str, _value: Value, _cx: &Cx) -> R<()> {
        Err(read_only(IMAGE_CLASS, name))
    }

    fn call(&self, name: &str, args: &[Value], cx: &Cx) -> Option<R<Value>> {
        match (name, args) {
            ("imageName", []) => Some(Ok(Value::string(self.name(cx)))),
            ("getId", []) => Some(Ok(Value::string(self.id.clone()))),
            _ => None,
        }
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
        let host = PipelineHost {
            state: self.state.clone(),
        };
        let arg = move |i: usize| texts.get(i).cloned().unwrap_or_default();
        Some(match name {
            "inside" => Box::pin(async move {
                let c = body(&args, "inside", span)?;
                self.inside(&host, interp, arg(0), c, span, cx).await
            }),
            "withRun" => Box::pin(async move {
                let c = body(&args, "withRun", span)?;
                container::with_run(&host, interp, &self.id, &arg(0), &arg(1), &c, span, cx).await
            }),
            "run" => Box::pin(async move {
                container::run_value(&host, interp, &self.id, &arg(0), &arg(1), span, cx).await
            }),
            "pull" => Box::pin(async move { self.pull(&host, interp, span, cx).await }),
            "tag" => Box::pin(async move {
                let t = Some(arg(0)).filter(|t| !t.is_empty());
                self.tag(&host, interp, t, span, cx)
                    .await
                    .map(Value::string)
            }),
            "push" => Box::pin(async move {
                let t = Some(arg(0)).filter(|t| !t.is_empty());
                self.push(&host, interp, t, span, cx).await
            }),
            _ => return None,
        })
    }

    fn to_text(&self) -> String {
        format!("{IMAGE_CLASS}@{}", self.id)
    }
}

impl Image {
    async fn inside(
        &self,
        host: &PipelineHost,
        interp: &Interp,
        args: String,
        c: Rc<crate::eval::closure::Closure>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let image = self.name(cx);
        if let Some(r) = planned_container(host, interp, &image, &args, &c, span, cx) {
            return r.await;
        }
        // Under a registry, an image built or tagged here under its plain id runs as it is:
        // Docker.groovy checks `docker inspect -f . "$JD_ID"` first.
        let spec = Inside {
            local_id: (image != self.id).then(|| self.id.clone()),
            image,
            args,
            registry_url: None,
            credentials_id: cx
                .dynamic
                .docker_registry
                .as_ref()
                .and_then(|s| s.credentials_id.clone()),
            always_pull: false,
            engine: super::engine_of(cx),
            groovy_steps: true,
            agent: false,
        };
        inside(host, cx, spec, span, |inner| {
            Box::pin(async move { interp.call_closure(&c, Vec::new(), span, &inner).await })
        })
        .await
    }

    async fn pull(&self, host: &PipelineHost, interp: &Interp, span: Span, cx: &Cx) -> R<Value> {
        let image = self.name(cx);
        let script = format!("docker pull {image}");
        if let Some(r) = planned_sh(host, interp, script.clone(), false, span, cx).await {
            return r.map(|_| Value::Null);
        }
        as_sh(host, cx, &script, span, async |log| {
            let docker = connect(cx).await.map_err(|e| e.with_hint())?;
            with_login(host, cx, &image, log, async |creds, log| {
                ensure_image(&docker, &image, creds, true, log).await
            })
            .await
        })
        .await?;
        Ok(Value::Null)
    }

    /// `tag(t)`: `<imageName() repo>:<t>`; the engine tags only when that differs from the id.
    async fn tag(
        &self,
        host: &PipelineHost,
        interp: &Interp,
        t: Option<String>,
        span: Span,
        cx: &Cx,
    ) -> R<String> {
        let name = self.name(cx);
        let repo = split_reference(&name).0.to_string();
        let tagged = format!("{repo}:{}", t.as_deref().unwrap_or(tag_of(&self.id)));
        if tagged == self.id {
            return Ok(tagged);
        }
        let script = format!("docker tag {} {tagged}", self.id);
        if let Some(r) = planned_sh(host, interp, script.clone(), false, span, cx).await {
            return r.map(|_| tagged);
        }
        as_sh(host, cx, &script, span, async |log| {
            log(format!("+ {script}"));
            let docker = connect(cx).await.map_err(|e| e.with_hint())?;
            crate::docker::tag::tag(&docker, &self.id, &tagged)
                .await
                .map_err(|e| e.with_hint())
        })
        .await?;
        Ok(tagged)
    }

    /// `push(t)`: tag, then push with the registry login in scope.
    async fn push(
        &self,
        host: &PipelineHost,
        interp: &Interp,
        t: Option<String>,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let tagged = self.tag(host, interp, t, span, cx).await?;
        let script = format!("docker push {tagged}");
        if let Some(r) = planned_sh(host, interp, script.clone(), false, span, cx).await {
            return r.map(|_| Value::Null);
        }
        as_sh(host, cx, &script, span, async |log| {
            let docker = connect(cx).await.map_err(|e| e.with_hint())?;
            with_login(host, cx, &tagged, log, async |creds, log| {
                crate::docker::push(&docker, &tagged, creds, log).await
            })
            .await
        })
        .await?;
        Ok(Value::Null)
    }
}

/// Runs `op` with the login of the enclosing registry block for `image`; when the registry
/// refuses an ECR token, refreshes it once and runs `op` again.
pub(super) async fn with_login(
    host: &PipelineHost,
    cx: &Cx,
    image: &str,
    log: &mut dyn FnMut(String),
    mut op: impl AsyncFnMut(
        Option<crate::docker::DockerCredentials>,
        &mut dyn FnMut(String),
    ) -> Result<(), DockerError>,
) -> Result<(), String> {
    let scope = cx.dynamic.docker_registry.clone();
    let creds_of = || scope.as_ref().and_then(|s| s.credentials_for(image));
    let refreshable = creds_of().is_some() && scope.as_ref().is_some_and(|s| s.is_ecr());
    let r = retry_once(
        refreshable,
        log,
        async |log| op(creds_of(), log).await,
        async |log| match &scope {
            Some(s) => s.refresh(host, cx, log).await,
            None => Ok(()),
        },
    )
    .await;
    r.map_err(|e| match e {
        Retried::Refresh(message) => message,
        Retried::Docker(e) => e.with_login_hint(login_of(scope.as_deref())),
    })
}

/// The login of an enclosing registry block, for the hint of a refusal.
pub(crate) fn login_of(scope: Option<&super::RegistryScope>) -> crate::docker::Login<'_> {
    match scope {
        Some(s) => crate::docker::Login::Block {
            url: &s.url,
            server: &s.server,
            credentials_id: s.credentials_id.as_deref(),
        },
        None => crate::docker::Login::None,
    }
}

/// Why [`retry_once`] failed: the refresh itself, or the operation.
#[derive(Debug)]
pub(super) enum Retried {
    Refresh(String),
    Docker(DockerError),
}

/// `op`; if it is refused (`PushDenied`/`PullDenied`, the registry's 401) and the login is
/// `refreshable`, `refresh` once and `op` once more. Nothing is retried otherwise.
pub(super) async fn retry_once<T>(
    refreshable: bool,
    log: &mut dyn FnMut(String),
    mut op: impl AsyncFnMut(&mut dyn FnMut(String)) -> Result<T, DockerError>,
    refresh: impl AsyncFnOnce(&mut dyn FnMut(String)) -> Result<(), String>,
) -> Result<T, Retried> {
    match op(log).await {
        Err(DockerError::PushDenied { .. } | DockerError::PullDenied { .. }) if refreshable => {
            refresh(log).await.map_err(Retried::Refresh)?;
            op(log).await.map_err(Retried::Docker)
        }
        other => other.map_err(Retried::Docker),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::retry_once;
    use crate::docker::Error;

    fn denied() -> Error {
        Error::PushDenied {
            image: "r/app:1".into(),
            reason: "unauthorized: authentication required".into(),
        }
    }

    fn run(refreshable: bool, failures: u32) -> (Result<(), super::Retried>, u32, u32) {
        let calls = Cell::new(0);
        let refreshes = Cell::new(0);
        let r = futures_executor(retry_once(
            refreshable,
            &mut |_| {},
            async |_| {
                calls.set(calls.get() + 1);
                if calls.get() <= failures {
                    Err(denied())
                } else {
                    Ok(())
                }
            },
            async |_| {
                refreshes.set(refreshes.get() + 1);
                Ok(())
            },
        ));
        (r, calls.get(), refreshes.get())
    }

    fn futures_executor<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_refused_ecr_token_is_refreshed_exactly_once() {
        // 401 once: one refresh, one retry, success.
        let (r, calls, refreshes) = run(true, 1);
        assert_eq!((r.is_ok(), calls, refreshes), (true, 2, 1));
        // 401 twice: one refresh, one retry, then the error with its hint.
        let (r, calls, refreshes) = run(true, 2);
        assert_eq!((calls, refreshes), (2, 1));
        assert!(matches!(
            r.unwrap_err(),
            super::Retried::Docker(Error::PushDenied { .. })
        ));
        // Not an ECR login: no refresh, no retry.
        let (r, calls, refreshes) = run(false, 1);
        assert_eq!((r.is_err(), calls, refreshes), (true, 1, 0));
        // Success first time: nothing else.
        assert_eq!(run(true, 0).1, 1);
    }
}
