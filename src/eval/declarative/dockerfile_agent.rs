//! `agent { dockerfile { filename …; dir …; additionalBuildArgs …; args …; label …;
//! reuseNode … } }` (and `agent { dockerfile true }`), as Declarative runs it
//! (runtime-semantics §8.2): a node with the default checkout on the host, then the image is
//! built from the workspace (at the root inside stage `Declarative: Agent Setup`), named by
//! the SHA-1 of the job name, the Dockerfile's text and the extra build arguments, and the
//! rest of the pipeline or stage runs in a container of it, exactly as the docker agent does.

use std::fmt::Write as _;
use std::time::Instant;

use sha1::{Digest as _, Sha1};

use super::Run;
use super::agent::{Checkout, node};
use super::wrap::{Fut, emitter, millis, stage_end, stage_start, step_start};
use crate::docker::{BuildRequest, build_image};
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::docker_global::registry_scope;
use crate::eval::pipeline::docker_inside::{Inside, inside};
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::model::pipeline::{AgentConfig, AgentValue};
use crate::report::{BuildResult, Event};
use crate::source::Span;

/// The options of one `dockerfile` agent.
#[derive(Clone, Debug)]
struct Options {
    filename: String,
    dir: String,
    additional_build_args: String,
    args: String,
    reuse_node: bool,
    registry_url: Option<String>,
    credentials_id: Option<String>,
}

/// Runs `body` in a container of the image built for `config`. `force_reuse`: the stage
/// inherits the root agent under `newContainerPerStage`, so it stays on the root's node.
pub(super) async fn run<'a>(
    run: &Run<'a>,
    cx: &Cx,
    config: &'a AgentConfig,
    checkout: Checkout,
    span: Span,
    force_reuse: bool,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let options = read_options(run, cx, config).await?;
    let reuse = (options.reuse_node || force_reuse) && cx.dynamic.on_node;
    // At the root no stage has started yet (whatever the checkout option says).
    let root = cx.dynamic.stage.is_none();
    if reuse {
        return build_and_run(run, cx, options, span, root, body).await;
    }
    let this: Run<'a> = *run;
    node(run, cx, checkout, move |cx| {
        Box::pin(async move { build_and_run(&this, &cx, options, span, root, body).await })
    })
    .await
}

/// Builds the image and runs `body` in it, both inside the registry block of
/// `registryUrl`/`registryCredentialsId` when either is set (§8.2): the base image's pull
/// uses that login, and so do the steps (`DOCKER_CONFIG`).
async fn build_and_run<'a>(
    run: &Run<'a>,
    cx: &Cx,
    o: Options,
    span: Span,
    root: bool,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let credentials_id = o.credentials_id.clone().filter(|c| !c.is_empty());
    if o.registry_url.is_none() && credentials_id.is_none() {
        let image = build(run, cx, &o, span, root).await?;
        return inside(run.host, cx, container(image, &o), span, body).await;
    }
    let url = o.registry_url.clone().unwrap_or_default();
    let this: Run<'a> = *run;
    let in_scope = async move |inner: Cx| {
        let image = build(&this, &inner, &o, span, root).await?;
        inside(this.host, &inner, container(image, &o), span, body).await
    };
    registry_scope(run.host, url, credentials_id, true, span, cx, in_scope).await
}

fn container(image: String, o: &Options) -> Inside {
    Inside {
        image,
        args: o.args.clone(),
        groovy_steps: true,
        ..Inside::default()
    }
}

async fn read_options(run: &Run<'_>, cx: &Cx, config: &AgentConfig) -> R<Options> {
    let mut o = Options {
        filename: "Dockerfile".into(),
        dir: ".".into(),
        additional_build_args: String::new(),
        args: String::new(),
        reuse_node: false,
        registry_url: None,
        credentials_id: None,
    };
    // `dockerfile true` takes every default.
    let AgentConfig::Block(entries) = config else {
        return Ok(o);
    };
    for option in entries {
        let AgentValue::Value(e) = &option.value else {
            continue;
        };
        let value = run.interp.eval(e, cx).await?;
        let text = to_string(&value);
        match option.key.node.as_str() {
            "filename" if !text.is_empty() => o.filename = text,
            "dir" if !text.is_empty() => o.dir = text,
            "additionalBuildArgs" => o.additional_build_args = text,
            "args" => o.args = text,
            "reuseNode" => o.reuse_node = matches!(value, Value::Bool(true)) || text == "true",
            "registryUrl" => o.registry_url = Some(text).filter(|u| !u.is_empty()),
            "registryCredentialsId" => o.credentials_id = Some(text),
            // A label picks a Jenkins agent; a custom workspace is not supported yet.
            _ => {}
        }
    }
    Ok(o)
}

/// Builds the image, in stage `Declarative: Agent Setup` at the root, and returns its name.
async fn build(run: &Run<'_>, cx: &Cx, o: &Options, span: Span, root: bool) -> R<String> {
    if !root {
        return build_step(run, cx, o, span).await;
    }
    let started = Instant::now();
    let name = "Declarative: Agent Setup";
    let scx = stage_start(run, cx, name);
    let r = build_step(run, &scx, o, span).await;
    let result = if r.is_ok() {
        BuildResult::Success
    } else {
        BuildResult::Failure
    };
    stage_end(run, cx, name, result, false, started);
    r
}

/// Jenkins' `sh "docker build -t <sha1> <additionalBuildArgs> -f \"<dir>/<filename>\" \"<dir>\""`.
async fn build_step(run: &Run<'_>, cx: &Cx, o: &Options, span: Span) -> R<String> {
    let fail = |message: String| Flow::exception("hudson.AbortException", message).at(span);
    let workspace = cx
        .dynamic
        .cwd
        .clone()
        .unwrap_or_else(|| run.host.state.config.host.workspace.clone());
    let path = format!("{}/{}", o.dir, o.filename);
    let Ok(contents) = std::fs::read_to_string(workspace.join(&path)) else {
        return Err(fail(format!(
            "No Dockerfile found at {path} in repository - failing."
        )));
    };
    let env = run.host.state.effective_env(&cx.dynamic);
    let job = env.get("JOB_NAME").cloned().unwrap_or_default();
    let tag = image_name(&job, &contents, &o.additional_build_args);
    let args = format!("{} -f \"{path}\" \"{}\"", o.additional_build_args, o.dir);
    let req = BuildRequest::parse(&tag, &args).map_err(fail)?;

    // The base image's pull uses the login of the enclosing registry block.
    let auth: Vec<crate::docker::DockerCredentials> = cx
        .dynamic
        .docker_registry
        .as_ref()
        .and_then(|s| s.login())
        .into_iter()
        .collect();
    let emit = emitter(run, cx);
    let started = Instant::now();
    step_start(run, cx, "sh", String::new(), false);
    let cancel = run.host.cancel(cx);
    let build = async {
        let docker = crate::docker::connect().await?;
        let mut out = |line: &str| emit.log(line.to_string());
        build_image(&docker, &req, &workspace, &auth, &mut out)
            .await
            .map(|_| tag)
    };
    // Dropping the build closes its connection to the engine, which stops it there.
    let r = tokio::select! {
        r = build => r,
        reason = cancel.cancelled() => {
            emit.emit(Event::StepEnd {
                name: "sh".into(),
                block: false,
                result: BuildResult::Aborted,
                duration_ms: millis(started),
                error: None,
            });
            return Err(crate::eval::pipeline::interrupted(&reason).at(span));
        }
    };
    let (result, error) = match &r {
        Ok(_) => (BuildResult::Success, None),
        Err(e) => (BuildResult::Failure, Some(e.with_hint())),
    };
    emit.emit(Event::StepEnd {
        name: "sh".into(),
        block: false,
        result,
        duration_ms: millis(started),
        error,
    });
    r.map_err(|e| fail(e.with_hint()))
}

/// SHA-1 hex of `"<job>\n<Dockerfile text>\n<additionalBuildArgs with a leading space>"`.
fn image_name(job: &str, dockerfile: &str, additional_build_args: &str) -> String {
    let extra = if additional_build_args.is_empty() {
        String::new()
    } else {
        format!(" {additional_build_args}")
    };
    let digest = Sha1::digest(format!("{job}\n{dockerfile}\n{extra}").as_bytes());
    digest.iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::image_name;

    #[test]
    fn the_image_is_named_by_the_sha1_of_job_dockerfile_and_args() {
        // printf 'app\nFROM busybox\n\n' | sha1sum; printf 'app\nFROM busybox\n\n --build-arg X=1' | sha1sum
        assert_eq!(
            image_name("app", "FROM busybox\n", ""),
            "b7da44cfe0000bea7d487f02880ec7eda45ee806"
        );
        assert_eq!(
            image_name("app", "FROM busybox\n", "--build-arg X=1"),
            "f7aed54378c5303b9c91cdc264a8ba6312e00cf9"
        );
    }
}
