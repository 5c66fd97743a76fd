//! The Docker part of `plan --check`: the engine answers at `DOCKER_HOST` (a ping), and each
//! docker agent's image is in the engine (an inspect) or, failing that, in its registry. The
//! registry is asked through the engine's distribution endpoint, which sends a manifest
//! request to the registry with the agent's registry credentials (`registryCredentialsId`, a
//! username/password or `ecr:<region>:<cred>`); nothing is pulled. Credential values never
//! reach an item.

use bollard::Docker;
use bollard::errors::Error as BollardError;

use super::Item;
use crate::creds::{Credential, Kind, Store};
use crate::docker::DockerCredentials;

/// A docker agent's image and how to log in to its registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Image {
    pub name: String,
    pub registry_url: Option<String>,
    pub credentials_id: Option<String>,
}

fn item(name: &str, status: &'static str, detail: String, hint: Option<String>) -> Item {
    Item {
        category: "docker",
        name: name.to_string(),
        status,
        detail,
        hint,
    }
}

/// The engine item, then one item per image.
pub(super) async fn check(store: &Store, images: &[Image]) -> Vec<Item> {
    let address = crate::docker::engine_address();
    let docker = match crate::docker::connect().await {
        Ok(docker) => docker,
        Err(e) => {
            let mut items = vec![item("engine", "unreachable", e.to_string(), e.hint())];
            items.extend(images.iter().map(|i| {
                item(
                    &i.name,
                    "unreachable",
                    "not checked: the Docker engine is unreachable".into(),
                    None,
                )
            }));
            return items;
        }
    };
    let mut items = vec![item("engine", "ok", format!("answers at {address}"), None)];
    for image in images {
        items.push(check_image(&docker, store, image).await);
    }
    items
}

async fn check_image(docker: &Docker, store: &Store, image: &Image) -> Item {
    let name =
        crate::eval::pipeline::docker_inside::qualified(&image.name, image.registry_url.as_deref());
    if name.contains(['$', '<']) || name.contains(char::is_whitespace) {
        return item(
            &name,
            "not-checked",
            "not checked: the image name is computed at run time".into(),
            None,
        );
    }
    match docker.inspect_image(&name).await {
        Ok(_) => return item(&name, "ok", "present in the engine".into(), None),
        Err(BollardError::DockerResponseServerError {
            status_code: 404, ..
        }) => {}
        Err(e) => {
            let e = crate::docker::Error::engine("inspect", &e);
            return item(&name, "unreachable", e.to_string(), e.hint());
        }
    }
    let credentials = match &image.credentials_id {
        Some(id) => match credentials(store, id, image.registry_url.as_deref()).await {
            Ok(c) => Some(c),
            Err(reason) => {
                return item(
                    &name,
                    "missing",
                    format!("not in the engine, and the registry credentials {reason}"),
                    Some(format!(
                        "add a usernamePassword credential `{id}` to the store (or an `aws` one for `ecr:<region>:<id>`)"
                    )),
                );
            }
        },
        None => None,
    };
    match docker.inspect_registry_image(&name, credentials).await {
        Ok(_) => item(
            &name,
            "ok",
            "not in the engine; its registry has it (a pull would fetch it)".into(),
            None,
        ),
        Err(e) => registry_failure(&name, &e),
    }
}

/// A refused or failed registry lookup: not found is `missing`; a refusal or a registry that
/// does not answer is `unreachable`.
fn registry_failure(name: &str, e: &BollardError) -> Item {
    let reason = match e {
        BollardError::DockerResponseServerError { message, .. } => message.trim().to_string(),
        other => other.to_string(),
    };
    let lower = reason.to_ascii_lowercase();
    if lower.contains("denied")
        || lower.contains("unauthorized")
        || lower.contains("authentication required")
        || lower.contains("no basic auth")
    {
        item(
            name,
            "unreachable",
            format!("the registry refused the lookup: {reason}"),
            Some(
                "set registryCredentialsId (a usernamePassword credential in the store) on the docker agent, or check that credential's username and password"
                    .into(),
            ),
        )
    } else if lower.contains("manifest unknown")
        || lower.contains("not found")
        || lower.contains("does not exist")
        || lower.contains("name unknown")
    {
        item(
            name,
            "missing",
            format!("neither in the engine nor in its registry: {reason}"),
            Some("check the image name and tag, or build and push it first".into()),
        )
    } else {
        item(
            name,
            "unreachable",
            format!("not in the engine; its registry could not be asked: {reason}"),
            Some("check that the registry answers and the image name's host is right".into()),
        )
    }
}

/// The registry login of `registryCredentialsId`, without showing it.
async fn credentials(
    store: &Store,
    id: &str,
    registry_url: Option<&str>,
) -> Result<DockerCredentials, String> {
    if id.starts_with("ecr:") {
        let (region, cred) =
            crate::aws::ecr::parse_credentials_id(id).map_err(|e| format!("are invalid: {e}"))?;
        let auth = crate::aws::ecr::registry_auth(store, region, cred)
            .await
            .map_err(|e| format!("`{id}` gave no ECR login: {e}"))?;
        return Ok(DockerCredentials {
            username: Some(auth.username),
            password: Some(auth.password),
            serveraddress: registry_url.map(str::to_string).or(Some(auth.server)),
            ..DockerCredentials::default()
        });
    }
    if store.lookup(id).is_none() {
        return Err(format!("`{id}` are not in the credential store"));
    }
    match store.resolve_as(id, Kind::UsernamePassword).await {
        Ok(Credential::UsernamePassword {
            username, password, ..
        }) => Ok(DockerCredentials {
            username: Some(username),
            password: Some(password),
            serveraddress: registry_url.map(str::to_string),
            ..DockerCredentials::default()
        }),
        Ok(_) => Err(format!("`{id}` are not a username and password")),
        Err(e) => Err(format!("`{id}` do not resolve: {e}")),
    }
}
