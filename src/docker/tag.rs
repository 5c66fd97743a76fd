//! Image names as `docker.image(…)` handles them (runtime-semantics §8.4, §8.5): the registry
//! host of a `withRegistry` URL, the qualified `imageName()`, the tag of an id, and `docker
//! tag` through the engine.

use bollard::Docker;
use bollard::query_parameters::TagImageOptionsBuilder;

pub use super::reference::{check_reference, registry_host_of_image};
use super::{Error, split_reference};

/// Docker Hub, as an empty `withRegistry` URL means it.
pub const DOCKER_HUB: &str = "https://index.docker.io/v1/";

/// The authority (`host[:port]`) of a registry URL: `https://r.example:5000/v2/` gives
/// `r.example:5000`; an empty URL is Docker Hub's `index.docker.io`.
#[must_use]
pub fn registry_host(url: &str) -> String {
    let url = if url.trim().is_empty() {
        DOCKER_HUB
    } else {
        url.trim()
    };
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or_default().to_string()
}

/// `imageName()`: `id` under the registry of `registry_url` (`host/id`), unless it already
/// starts with that host.
#[must_use]
pub fn image_name(id: &str, registry_url: Option<&str>) -> String {
    let Some(url) = registry_url else {
        return id.to_string();
    };
    let host = registry_host(url);
    if host.is_empty() || id.starts_with(&format!("{host}/")) {
        id.to_string()
    } else {
        format!("{host}/{id}")
    }
}

/// The tag of an image id, `latest` when it has none (§8.5; `host:5000/img` has none).
#[must_use]
pub fn tag_of(id: &str) -> &str {
    split_reference(id).1.unwrap_or("latest")
}

/// `docker tag source target`.
///
/// # Errors
/// [`Error::ImageNotFound`] when the engine has no `source`, or an engine failure.
pub async fn tag(docker: &Docker, source: &str, target: &str) -> Result<(), Error> {
    let (repo, tag) = split_reference(target);
    let options = TagImageOptionsBuilder::default()
        .repo(repo)
        .tag(tag.unwrap_or("latest"))
        .build();
    docker
        .tag_image(source, Some(options))
        .await
        .map_err(|e| match e {
            bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                message,
            } => Error::ImageNotFound {
                image: source.to_string(),
                reason: message,
            },
            other => Error::engine("tag", &other),
        })
}

#[cfg(test)]
mod tests {
    use super::{image_name, registry_host, tag_of};

    #[test]
    fn names_under_a_registry() {
        assert_eq!(registry_host("http://127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(registry_host("https://r.example/v2/"), "r.example");
        assert_eq!(registry_host(""), "index.docker.io");
        assert_eq!(
            image_name("acme/app:42", Some("")),
            "index.docker.io/acme/app:42"
        );
        assert_eq!(
            image_name("127.0.0.1:5000/app", Some("http://127.0.0.1:5000/")),
            "127.0.0.1:5000/app"
        );
        assert_eq!(image_name("app", None), "app");
        assert_eq!(tag_of("127.0.0.1:5000/app"), "latest");
        assert_eq!(tag_of("app:7"), "7");
    }
}
