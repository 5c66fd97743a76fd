//! `docker build` through the engine API (runtime-semantics §8.2, §8.3): the arguments Jenkins'
//! `docker.build(name, args)` and the dockerfile agent pass are parsed into a
//! [`BuildRequest`], the context directory is sent as a tar that honours `.dockerignore`, and
//! the engine's output reaches the console line by line as it arrives. Flags the API cannot
//! express (`--secret`, `--ssh`, `--platform`, …) make the build run through the docker CLI
//! instead, with a one-line note saying so.

mod args;
mod cli;
mod context;
mod ignore;
mod stream;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bollard::Docker;
use bollard::auth::DockerCredentials;
use bollard::query_parameters::BuildImageOptionsBuilder;
use futures_util::StreamExt;

use super::Error;

pub use self::ignore::DockerIgnore;

/// One `docker build -t <tag> <args>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildRequest {
    pub tag: String,
    /// `-f`, relative to the working directory (as the docker CLI reads it).
    pub dockerfile: Option<String>,
    /// The context directory, relative to the working directory (the last argument).
    pub context: String,
    /// `--build-arg K=V`, in order.
    pub build_args: Vec<(String, String)>,
    /// `--target`.
    pub target: Option<String>,
    /// `--label K=V`, in order.
    pub labels: Vec<(String, String)>,
    /// `--pull`.
    pub pull: bool,
    /// `--no-cache`.
    pub no_cache: bool,
    /// Arguments only the docker CLI understands; when not empty the build goes through it.
    pub cli_only: Vec<String>,
    /// The arguments as written (split into words): Jenkins runs `docker build -t <tag>
    /// <args>`, so its trace shows them in the user's order. Empty: none were written.
    pub written: Vec<String>,
}

impl BuildRequest {
    /// Parses Jenkins' `docker.build(tag, args)` arguments: flags, then the context, which
    /// must come last (default `.`).
    ///
    /// # Errors
    /// A message naming the argument that cannot be read (a flag without its value,
    /// unbalanced quotes, more than one context).
    pub fn parse(tag: &str, args: &str) -> Result<BuildRequest, String> {
        args::parse(tag, args)
    }

    /// The command as the `sh` trace shows it, without the leading `+ `.
    #[must_use]
    pub fn command_line(&self) -> String {
        args::command_line(self)
    }

    /// The Dockerfile as the working directory sees it: `-f`, or `Dockerfile` in the context.
    #[must_use]
    pub fn dockerfile_path(&self, cwd: &Path) -> PathBuf {
        match &self.dockerfile {
            Some(f) => cwd.join(f),
            None => cwd.join(&self.context).join("Dockerfile"),
        }
    }
}

/// Builds `req` from `cwd`, printing `+ docker build …` and the build's output through `out`
/// (one call per line), and returns the new image's id.
///
/// # Errors
/// A missing context or Dockerfile, a failing instruction or a bad Dockerfile
/// ([`Error::Engine`] with the engine's own message, e.g. `The command '/bin/sh -c false'
/// returned a non-zero code: 1`), or the engine going away.
pub async fn build_image(
    docker: &Docker,
    req: &BuildRequest,
    cwd: &Path,
    auth: &[DockerCredentials],
    out: &mut dyn FnMut(&str),
) -> Result<String, Error> {
    out(&format!("+ {}", req.command_line()));
    if !req.cli_only.is_empty() {
        out(&format!(
            "Note: {} cannot go through the engine API; running the docker CLI instead",
            req.cli_only.join(" ")
        ));
        return cli::build(req, cwd, out).await;
    }
    let failed = |reason: String| Error::Engine {
        during: format!("build of {}", req.tag),
        reason,
    };
    let context_dir = cwd.join(&req.context);
    if !context_dir.is_dir() {
        return Err(failed(format!(
            "unable to prepare context: path \"{}\" not found",
            req.context
        )));
    }
    let dockerfile = req.dockerfile_path(cwd);
    if !dockerfile.is_file() {
        return Err(failed(format!(
            "cannot locate specified Dockerfile: {}",
            dockerfile.display()
        )));
    }
    let packed = {
        let context_dir = context_dir.clone();
        tokio::task::spawn_blocking(move || context::pack(&context_dir, &dockerfile))
            .await
            .map_err(|e| failed(e.to_string()))?
            .map_err(failed)?
    };
    let build_args: HashMap<String, String> = req.build_args.iter().cloned().collect();
    let labels: HashMap<String, String> = req.labels.iter().cloned().collect();
    let mut options = BuildImageOptionsBuilder::default()
        .dockerfile(&packed.dockerfile)
        .t(&req.tag)
        .rm(true)
        .forcerm(true)
        .nocache(req.no_cache)
        .buildargs(&build_args)
        .labels(&labels);
    if req.pull {
        options = options.pull("1");
    }
    if let Some(target) = &req.target {
        options = options.target(target);
    }
    let credentials: HashMap<String, DockerCredentials> = auth
        .iter()
        .filter_map(|c| c.serveraddress.clone().map(|s| (s, c.clone())))
        .collect();
    let body = bollard::body_full(packed.tar.into());
    let mut stream = docker.build_image(
        options.build(),
        (!credentials.is_empty()).then_some(credentials),
        Some(body),
    );
    let mut printer = stream::Printer::default();
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => printer.take(info, out).map_err(failed)?,
            Err(bollard::errors::Error::DockerStreamError { error }) => {
                printer.flush(out);
                return Err(failed(error));
            }
            Err(e) => {
                printer.flush(out);
                return Err(Error::engine(&format!("build of {}", req.tag), &e));
            }
        }
    }
    printer.flush(out);
    match printer.image_id() {
        Some(id) => Ok(id),
        None => docker
            .inspect_image(&req.tag)
            .await
            .map(|i| i.id.unwrap_or_default())
            .map_err(|e| Error::engine("inspect", &e)),
    }
}
