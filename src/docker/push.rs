//! `docker push` through the engine, with the registry login passed explicitly (never
//! `~/.docker/config.json`). Progress goes through [`Progress`] by way of [`PushLayers`]: one
//! updating line per layer on a terminal; in a log, the repository, each layer's final state
//! and the digest line `docker push` ends with.

use bollard::Docker;
use bollard::auth::DockerCredentials;
use bollard::query_parameters::PushImageOptionsBuilder;
use futures_util::StreamExt;

use super::progress::Progress;
use super::push_layers::PushLayers;
use super::{Error, split_reference};

/// Pushes `image` (`repo:tag`), printing `+ docker push <image>` and its progress.
///
/// # Errors
/// [`Error::PushDenied`] when the registry refuses the login (or wants one),
/// [`Error::ImageNotFound`] when the engine has no such image, or an engine failure.
pub async fn push(
    docker: &Docker,
    image: &str,
    credentials: Option<DockerCredentials>,
    log: &mut dyn FnMut(String),
) -> Result<(), Error> {
    log(format!("+ docker push {image}"));
    let (repo, tag) = split_reference(image);
    let options = PushImageOptionsBuilder::default()
        .tag(tag.unwrap_or("latest"))
        .build();
    let mut stream = docker.push_image(repo, Some(options), credentials);
    let mut progress = Progress::for_console();
    let mut layers = PushLayers::default();
    let result = loop {
        let Some(item) = stream.next().await else {
            break Ok(());
        };
        let info = match item {
            Ok(info) => info,
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                message,
            }) => {
                break Err(Error::ImageNotFound {
                    image: image.to_string(),
                    reason: message,
                });
            }
            Err(e) => break Err(Error::push(image, &e)),
        };
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            let err = bollard::errors::Error::DockerStreamError { error: detail };
            break Err(Error::push(image, &err));
        }
        let Some(status) = info.status else { continue };
        let detail = info.progress_detail.as_ref().and_then(|d| {
            Some((
                u64::try_from(d.current?).ok()?,
                u64::try_from(d.total?).ok()?,
            ))
        });
        layers.update(&mut progress, &status, detail, log);
    };
    progress.finish();
    result
}
