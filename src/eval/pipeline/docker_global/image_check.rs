//! What Docker.groovy's `inside` runs before `withDockerContainer` (runtime-semantics §8.1
//! step 2), with Jenkins' console: `[Pipeline] isUnix`, then a `withEnv` of `JD_ID` and
//! `JD_TO_RUN` around `sh 'docker inspect -f . …'` (`.` or `Error: No such object: …`), and,
//! when the image is missing, `pull()`: another `isUnix` and a `withEnv` of `JD_TO_PULL`
//! around `sh 'docker pull …'`. Under a registry the unqualified id is tried first, as a
//! locally built image runs without the registry prefix. The engine does the work (bollard);
//! only the lines are Jenkins'.

use std::time::Instant;

use bollard::Docker;

use super::{as_sh, outcome};
use crate::docker::{DockerCredentials, Error as DockerError, ensure_image};
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::PipelineHost;
use crate::eval::scope::Cx;
use crate::report::{BuildResult, Event, millis};
use crate::source::Span;

/// The image to check, and how to get it when it is missing.
pub(crate) struct ImageCheck<'a> {
    pub docker: &'a Docker,
    /// The name to run (qualified by the registry in scope).
    pub image: &'a str,
    /// The unqualified id, tried first when it differs from `image`.
    pub local_id: Option<&'a str>,
    pub credentials: Option<DockerCredentials>,
    /// Where `credentials` came from, named when a pull is refused.
    pub login: crate::docker::Login<'a>,
    /// Declarative `alwaysPull` / `--pull always`: `pull()` first.
    pub always_pull: bool,
    /// `--pull never`: a missing image is an error.
    pub never_pull: bool,
}

/// Runs the check with Jenkins' steps around it; the image to run.
pub(crate) async fn image_check(
    host: &PipelineHost,
    cx: &Cx,
    span: Span,
    check: ImageCheck<'_>,
) -> R<String> {
    let ImageCheck {
        docker,
        image,
        local_id,
        credentials,
        login,
        always_pull,
        never_pull,
    } = check;
    let pull = async |credentials: Option<DockerCredentials>| {
        leaf(host, cx, "isUnix");
        let summary = format!("overrides: [JD_TO_PULL={image}]");
        with_env(host, cx, summary, async || {
            as_sh(
                host,
                cx,
                &format!("docker pull {image}"),
                span,
                async |log| {
                    ensure_image(docker, image, credentials, true, log)
                        .await
                        .map_err(|e| e.with_login_hint(login))
                },
            )
            .await
        })
        .await
    };
    if always_pull {
        pull(credentials.clone()).await?;
    }
    leaf(host, cx, "isUnix");
    let id = local_id.unwrap_or(image);
    let summary = format!("overrides: [JD_ID={id}, JD_TO_RUN={image}]");
    with_env(host, cx, summary, async || {
        if let Some(id) = local_id.filter(|id| *id != image)
            && inspect(host, cx, span, docker, id).await?
        {
            return Ok(id.to_string());
        }
        if !inspect(host, cx, span, docker, image).await? {
            if never_pull {
                let missing = DockerError::ImageNotFound {
                    image: image.to_string(),
                    reason: format!("No such image: {image} (--pull never: nothing is pulled)"),
                };
                return Err(Flow::exception("hudson.AbortException", missing.with_hint()).at(span));
            }
            pull(credentials).await?;
        }
        Ok(image.to_string())
    })
    .await
}

/// `sh 'docker inspect -f . <name>'` with `returnStatus: true`: whether the engine has it.
async fn inspect(host: &PipelineHost, cx: &Cx, span: Span, docker: &Docker, name: &str) -> R<bool> {
    let script = format!("docker inspect -f . {name}");
    as_sh(host, cx, &script, span, async |log| {
        log(format!("+ {script}"));
        match docker.inspect_image(name).await {
            Ok(_) => {
                log(".".to_string());
                Ok(true)
            }
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => {
                log(format!("Error: No such object: {name}"));
                Ok(false)
            }
            Err(e) => Err(DockerError::engine("inspect", &e).with_hint()),
        }
    })
    .await
}

/// A step without a body or output (`[Pipeline] isUnix`).
fn leaf(host: &PipelineHost, cx: &Cx, name: &str) {
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: name.to_string(),
        summary: String::new(),
        block: false,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    emit.emit(Event::StepEnd {
        name: name.to_string(),
        block: false,
        result: BuildResult::Success,
        duration_ms: 0,
        error: None,
    });
}

/// `withEnv(overrides) { run }`'s lines around `run`. The variables only feed Jenkins' own
/// `sh` lines, which are native here, so nothing is set.
async fn with_env<T>(
    host: &PipelineHost,
    cx: &Cx,
    summary: String,
    run: impl AsyncFnOnce() -> R<T>,
) -> R<T> {
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: "withEnv".to_string(),
        summary,
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let started = Instant::now();
    emit.emit(Event::BodyStart { label: None });
    let r = run().await;
    emit.emit(Event::BodyEnd);
    let (result, error) = outcome(&r);
    emit.emit(Event::StepEnd {
        name: "withEnv".to_string(),
        block: true,
        result,
        duration_ms: millis(started.elapsed()),
        error,
    });
    r
}
