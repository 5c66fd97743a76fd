//! The Docker Engine client: connecting (honouring `DOCKER_HOST`, and TLS client
//! certificates from `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH` or a `docker.withServer`
//! credential: `engine`, `tls`), the one error type with its hints, pulling an image when it
//! is missing and pushing and tagging one (with registry credentials passed explicitly:
//! bollard never reads `~/.docker/config.json`), the temporary `DOCKER_CONFIG` of a registry
//! block and `DOCKER_CERT_PATH` of a server block, the `docker run` argument subset the agents
//! understand, image builds (`build`) and layer progress (`progress`). This module speaks to
//! the engine through bollard (the docker CLI only as the build fallback for flags the API
//! cannot express); it never imports `eval` or `steps`.

pub mod build;
pub mod cert_dir;
pub mod config_json;
mod engine;
mod error;
pub mod progress;
mod pull;
mod push;
mod push_layers;
pub mod reference;
mod refusal;
mod run_args;
pub mod tag;
mod tls;

use bollard::Docker;

pub use self::build::{BuildRequest, build_image};
pub use self::engine::Engine;
pub use self::error::Error;
pub(crate) use self::error::root_cause;
pub use self::pull::{ensure_image, split_reference};
pub use self::push::push;
pub use self::refusal::Login;
pub use self::run_args::{
    ArgsContext, PullPolicy, RunArgs, expand, parse_run_args, parse_run_args_in, split_words,
};
pub use bollard::auth::DockerCredentials;

/// Where the engine is expected: `DOCKER_HOST`, else the default socket.
#[must_use]
pub fn engine_address() -> String {
    Engine::from_process().address
}

/// Connects to the engine this process's environment names (`DOCKER_HOST`, and with
/// `DOCKER_TLS_VERIFY` the certificates in `DOCKER_CERT_PATH`, as the docker CLI reads them)
/// and checks that it answers, so that a missing daemon is reported once, up front, with the
/// address that was tried.
///
/// # Errors
/// [`Error::NoEngine`] when nothing answers at [`engine_address`], [`Error::Tls`] when the
/// TLS handshake fails.
pub async fn connect() -> Result<Docker, Error> {
    connect_engine(&Engine::from_process()).await
}

/// [`connect`] to `address` (`unix://…` or plain `tcp://…`), without TLS.
///
/// # Errors
/// [`Error::NoEngine`] when nothing answers there.
pub async fn connect_to(address: &str) -> Result<Docker, Error> {
    connect_engine(&Engine {
        address: address.to_string(),
        tls: None,
    })
    .await
}

/// [`connect`] to `engine`: over TLS with client certificates when it has a certificate
/// directory (`docker.withServer(uri, credentialsId)`, `DOCKER_TLS_VERIFY`).
///
/// # Errors
/// [`Error::NoEngine`] when nothing answers there, [`Error::Tls`] when the certificates
/// cannot be read or the handshake fails.
pub async fn connect_engine(engine: &Engine) -> Result<Docker, Error> {
    let address = engine.address.clone();
    let no_engine = |reason: String| Error::NoEngine {
        address: address.clone(),
        reason,
    };
    let docker = match engine.tls_dir() {
        Some(dir) => tls::connect(&address, dir)?,
        None => Docker::connect_with_host(&address).map_err(|e| no_engine(e.to_string()))?,
    };
    docker.ping().await.map_err(|e| match engine.tls_dir() {
        Some(dir) => tls::handshake_error(&address, dir, &e),
        None => no_engine(error::root_cause(&e)),
    })?;
    Ok(docker)
}
