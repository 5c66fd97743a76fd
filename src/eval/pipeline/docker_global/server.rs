//! `docker.withServer(uri, credentialsId)` and the `withDockerServer` step (runtime-semantics
//! §8.4): the body's native steps and `sh 'docker …'` talk to `uri`. With an
//! `x509ClientCert` credential (Jenkins' `DockerServerCredentials`) its client certificate goes
//! to a temporary `DOCKER_CERT_PATH` (`crate::docker::cert_dir`) for the CLI and native steps
//! alike, removed when the block ends however it ends.

use std::path::PathBuf;
use std::rc::Rc;

use super::registry::{block_events, endpoint, planned_args};
use crate::creds::{Credential, Kind};
use crate::docker::cert_dir::{CertDir, ClientCerts};
use crate::eval::closure::Closure;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::pipeline::{PipelineHost, env_insert};
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::report::Event;
use crate::source::Span;

/// `withDockerServer(uri:, credentialsId:) { }` / `docker.withServer`: the body's native
/// steps and `sh 'docker …'` talk to `uri` (`DOCKER_HOST`). With a credential (an
/// `x509ClientCert`, Jenkins' `DockerServerCredentials`) they talk TLS with its client
/// certificate: the body gets `DOCKER_TLS_VERIFY=1` and `DOCKER_CERT_PATH`, a temporary
/// directory holding `key.pem`, `cert.pem` and `ca.pem`, as docker-commons sets them; native
/// steps read the same variables.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn with_server(
    host: &PipelineHost,
    interp: &Interp,
    uri: String,
    credentials_id: Option<String>,
    body: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    if let Some(plan) = host.state.plan.clone() {
        let args = planned_args(body, "uri", &uri, credentials_id.as_deref());
        if let Some(planned) = plan.call(host, interp, "withDockerServer", args, span, cx) {
            return planned.await;
        }
    }
    let summary = format!("server: {uri}");
    // Boxed, as the certificate directory would otherwise sit in every block step's future.
    Box::pin(block_events(
        host,
        cx,
        "withDockerServer",
        summary,
        async || {
            let fail = |message: String| Flow::exception("hudson.AbortException", message).at(span);
            let mut dynamic = (*cx.dynamic).clone();
            if !uri.trim().is_empty() {
                env_insert(&mut dynamic.env, "DOCKER_HOST", Some(uri.clone()));
            }
            // Owned here so that the directory goes when the block ends, however it ends.
            let certs = match &credentials_id {
                Some(id) => Some(server_certs(host, id).await.map_err(fail)?),
                None => None,
            };
            if let Some(certs) = &certs {
                env_insert(&mut dynamic.env, "DOCKER_TLS_VERIFY", Some("1".into()));
                env_insert(
                    &mut dynamic.env,
                    "DOCKER_CERT_PATH",
                    Some(certs.dir().display().to_string()),
                );
            }
            let emit = host.emitter(cx);
            emit.emit(Event::BodyStart { label: None });
            let r = interp
                .call_closure(body, Vec::new(), span, &cx.with_dynamic(dynamic))
                .await;
            emit.emit(Event::BodyEnd);
            drop(certs);
            r
        },
    ))
    .await
}

/// The certificate directory of the `x509ClientCert` credential `id`, under the workspace's
/// `@tmp` (docker-commons' `ServerKeyMaterialFactory`).
async fn server_certs(host: &PipelineHost, id: &str) -> Result<CertDir, String> {
    let credential = host
        .state
        .config
        .credentials
        .resolve_as(id, Kind::DockerServer)
        .await
        .map_err(|e| e.to_string())?;
    let Credential::DockerServer {
        client_key,
        client_certificate,
        server_ca_certificate,
    } = credential
    else {
        return Err(format!(
            "credentials {id} are not an X.509 client certificate, as docker.withServer needs"
        ));
    };
    let tmp = PathBuf::from(format!(
        "{}@tmp",
        host.state.config.host.workspace.display()
    ));
    let certs = ClientCerts {
        client_key: &client_key,
        client_certificate: &client_certificate,
        server_ca_certificate: server_ca_certificate.as_deref(),
    };
    CertDir::create(&tmp, certs).map_err(|e| {
        format!(
            "cannot create a docker certificate directory under {}: {e}",
            tmp.display()
        )
    })
}

/// `withDockerServer(uri: …, credentialsId: …)`, `withDockerServer([uri: …])`, positional.
pub(crate) async fn with_docker_server(
    host: &PipelineHost,
    interp: &Interp,
    args: &crate::eval::args::CallArgs,
    body: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let (uri, id) = endpoint(args, "uri", "server");
    with_server(host, interp, uri, id, body, span, cx).await
}
