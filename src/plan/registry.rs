//! Registry credentials: a docker agent's `registryCredentialsId` (the pipeline's, a stage's,
//! a matrix's) and the id `docker.withRegistry(url, 'id')` logs in with are credentials the
//! build uses, listed with the others. Their type is the store's, else what the login needs:
//! a username and password, or `aws` for an `ecr:<region>:<id>` (whose credential is `<id>`).

use super::model::CredentialUse;
use super::statics;
use crate::creds::Store;
use crate::model::pipeline::{Agent, Pipeline};

/// How a docker agent's `registryCredentialsId` is listed (`via`).
const AGENT_VIA: &str = "docker agent registryCredentialsId";

/// Whether a credential used `via` this is a registry login (checked as one by `--check`).
pub(super) fn is_login(via: &str) -> bool {
    via == AGENT_VIA || via == "withDockerRegistry"
}

/// The type the login with `id` needs, and the store id it names.
pub(super) fn needs(id: &str) -> (&'static str, &str) {
    match crate::aws::ecr::parse_credentials_id(id) {
        Ok((_, cred)) if id.starts_with("ecr:") => ("aws", cred),
        _ => ("usernamePassword", id),
    }
}

/// The type to show for the registry credential `id`: the store's, else what it needs.
pub(super) fn kind(store: Option<&Store>, id: &str) -> &'static str {
    let (needed, lookup) = needs(id);
    store
        .and_then(|s| s.lookup(lookup))
        .map_or(needed, |e| e.kind.type_name())
}

/// Each docker agent's `registryCredentialsId`, the pipeline's first, then the stages' in
/// order.
pub(super) fn agent_credentials(
    pipeline: &Pipeline,
    source: &str,
    store: Option<&Store>,
) -> Vec<CredentialUse> {
    let mut agents: Vec<(Option<String>, &Agent)> = Vec::new();
    if let Some(a) = &pipeline.agent {
        agents.push((None, a));
    }
    for stage in pipeline.all_stages() {
        let name = Some(stage.name.node.clone());
        if let Some(a) = &stage.agent {
            agents.push((name.clone(), a));
        }
        if let Some(a) = stage.matrix.as_ref().and_then(|m| m.agent.as_ref()) {
            agents.push((name, a));
        }
    }
    agents
        .into_iter()
        .filter_map(|(stage, agent)| {
            let id = statics::agent(source, agent).registry_credentials_id?;
            Some(CredentialUse {
                kind: kind(store, &id).to_string(),
                id,
                via: AGENT_VIA.into(),
                variables: Vec::new(),
                stage,
            })
        })
        .collect()
}
