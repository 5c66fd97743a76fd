//! Pull-if-missing, as `docker.image(…).inside` does it (runtime-semantics §8.1): inspect,
//! and pull only when the engine does not have the image (or when asked to always pull).
//! Progress goes through [`Progress`]: updating lines on a terminal, a plain line per layer
//! when it finishes otherwise.

use bollard::Docker;
use bollard::auth::DockerCredentials;
use bollard::query_parameters::CreateImageOptionsBuilder;
use futures_util::StreamExt;

use super::Error;
use super::progress::Progress;

/// Makes sure the engine has `image`: prints Jenkins' `+ docker inspect -f . <image>` and its
/// answer, then `+ docker pull <image>` and the pull's progress when it is missing or
/// `always_pull` is set.
///
/// # Errors
/// Pull refused or image unknown ([`Error::PullDenied`], [`Error::ImageNotFound`]), or an
/// engine failure.
pub async fn ensure_image(
    docker: &Docker,
    image: &str,
    credentials: Option<DockerCredentials>,
    always_pull: bool,
    log: &mut dyn FnMut(String),
) -> Result<(), Error> {
    if !always_pull {
        log(format!("+ docker inspect -f . {image}"));
        match docker.inspect_image(image).await {
            Ok(_) => {
                log(".".to_string());
                return Ok(());
            }
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => log(format!("Error: No such object: {image}")),
            Err(e) => return Err(Error::engine("inspect", &e)),
        }
    }
    pull(docker, image, credentials, log).await
}

/// `docker pull <image>` with its progress lines.
async fn pull(
    docker: &Docker,
    image: &str,
    credentials: Option<DockerCredentials>,
    log: &mut dyn FnMut(String),
) -> Result<(), Error> {
    log(format!("+ docker pull {image}"));
    let (repo, tag) = split_reference(image);
    let mut options = CreateImageOptionsBuilder::default().from_image(repo);
    if let Some(tag) = tag {
        options = options.tag(tag);
    }
    let mut stream = docker.create_image(Some(options.build()), None, credentials);
    let mut progress = Progress::for_console();
    while let Some(item) = stream.next().await {
        let info = match item {
            Ok(info) => info,
            Err(e) => {
                progress.finish();
                return Err(Error::pull(image, &e));
            }
        };
        let Some(status) = info.status else {
            continue;
        };
        let detail = info.progress_detail.as_ref().and_then(|d| {
            Some((
                u64::try_from(d.current?).ok()?,
                u64::try_from(d.total?).ok()?,
            ))
        });
        progress.update(info.id.as_deref(), &status, detail, log);
    }
    progress.finish();
    Ok(())
}

/// `repo` and `tag` of an image reference: the tag is the text after the last `:` that comes
/// after the last `/` (so `host:5000/img` has none); a digest reference keeps its whole name
/// as the repository. Without a tag the engine would pull every tag, so callers default it.
#[must_use]
pub fn split_reference(image: &str) -> (&str, Option<&str>) {
    if image.contains('@') {
        return (image, None);
    }
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].rfind(':') {
        Some(colon) => (&image[..slash + colon], Some(&image[slash + colon + 1..])),
        None => (image, Some("latest")),
    }
}

#[cfg(test)]
mod tests {
    use super::split_reference;

    #[test]
    fn references_split_at_the_tag_only() {
        assert_eq!(split_reference("busybox:1.36"), ("busybox", Some("1.36")));
        assert_eq!(split_reference("busybox"), ("busybox", Some("latest")));
        assert_eq!(
            split_reference("127.0.0.1:5000/team/app"),
            ("127.0.0.1:5000/team/app", Some("latest"))
        );
        assert_eq!(
            split_reference("127.0.0.1:5000/team/app:2"),
            ("127.0.0.1:5000/team/app", Some("2"))
        );
        assert_eq!(split_reference("app@sha256:abc"), ("app@sha256:abc", None));
    }
}
