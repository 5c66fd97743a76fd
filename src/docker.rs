//! The Docker Engine client: connecting (honouring `DOCKER_HOST`), the one error type with its
//! hints, pulling an image when it is missing and pushing and tagging one (with registry
//! credentials passed explicitly: bollard never reads `~/.docker/config.json`), the temporary
//! `DOCKER_CONFIG` of a registry block, the `docker run` argument subset the agents
//! understand, image builds (`build`) and layer progress (`progress`). This module speaks to
//! the engine through bollard (the docker CLI only as the build fallback for flags the API
//! cannot express); it never imports `eval` or `steps`.

pub mod build;
pub mod config_json;
mod error;
pub mod progress;
mod pull;
mod push;
mod push_layers;
pub mod reference;
mod run_args;
pub mod tag;

use bollard::Docker;

pub use self::build::{BuildRequest, build_image};
pub use self::error::Error;
pub(crate) use self::error::root_cause;
pub use self::pull::{ensure_image, split_reference};
pub use self::push::push;
pub use self::run_args::{
    ArgsContext, RunArgs, expand, parse_run_args, parse_run_args_in, split_words,
};
pub use bollard::auth::DockerCredentials;

/// Where the engine is expected: `DOCKER_HOST`, else the default socket.
#[must_use]
pub fn engine_address() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unix:///var/run/docker.sock".to_string())
}

/// Connects to the engine and checks that it answers, so that a missing daemon is reported
/// once, up front, with the address that was tried.
///
/// # Errors
/// [`Error::NoEngine`] when nothing answers at [`engine_address`].
pub async fn connect() -> Result<Docker, Error> {
    connect_to(&engine_address()).await
}

/// [`connect`] to `address` (`unix://…` or plain `tcp://…`; `docker.withServer`).
///
/// # Errors
/// [`Error::NoEngine`] when nothing answers there.
pub async fn connect_to(address: &str) -> Result<Docker, Error> {
    let address = address.to_string();
    let no_engine = |reason: String| Error::NoEngine {
        address: address.clone(),
        reason,
    };
    let docker = Docker::connect_with_host(&address).map_err(|e| no_engine(e.to_string()))?;
    docker
        .ping()
        .await
        .map_err(|e| no_engine(error::root_cause(&e)))?;
    Ok(docker)
}
