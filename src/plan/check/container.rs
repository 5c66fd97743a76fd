//! What `--check` knows about containers beyond the agent: an `sh` inside
//! `withDockerContainer`/`image.inside`/`container('x')` runs in that image or container, so
//! its tools are looked up there, not on the host PATH; and a docker agent's
//! `registryCredentialsId` (a username/password, or `ecr:<region>:<id>` naming an AWS
//! credential) is a credential the build needs, checked like the others.

use serde_json::Value as Json;

use super::Item;
use crate::creds::{Kind, Store};
use crate::plan::model::Step;

/// The image or container the block steps around `step` put it in, from the innermost out.
pub(super) fn enclosing(step: &Step, all: &[Step]) -> Option<String> {
    let mut parent = step.parent;
    while let Some(id) = parent {
        let found = all.iter().find(|s| s.id == id)?;
        let arg = |k: &str| found.args.get(k).and_then(Json::as_str).map(str::to_string);
        match found.name.as_str() {
            "withDockerContainer" => {
                return Some(format!("image {}", arg("image").unwrap_or_default()));
            }
            "container" => {
                let name = arg("name").or_else(|| arg("value")).unwrap_or_default();
                return Some(format!("container {name}"));
            }
            _ => parent = found.parent,
        }
    }
    None
}

/// A registry credential (a docker agent's `registryCredentialsId`, or an `ecr:` id given to
/// `withRegistry`), as a credential item: never its value.
pub(super) fn registry_credential(
    id: &str,
    store: &Store,
    runtime: Option<&tokio::runtime::Runtime>,
) -> Item {
    let item = |status, detail: String, hint: Option<String>| Item {
        category: "credential",
        name: id.to_string(),
        status,
        detail,
        hint,
    };
    let (lookup, needs, via) = if id.starts_with("ecr:") {
        match crate::aws::ecr::parse_credentials_id(id) {
            Ok((_, cred)) => (cred.to_string(), Kind::Aws, "an ECR registry login"),
            Err(e) => {
                return item(
                    "missing",
                    e.to_string(),
                    Some("write it as ecr:<region>:<aws credential id>".into()),
                );
            }
        }
    } else {
        (id.to_string(), Kind::UsernamePassword, "the registry login")
    };
    let Some(entry) = store.lookup(&lookup) else {
        return item(
            "missing",
            format!("not in the credential store (a registry credential, for {via})"),
            Some(format!(
                "add the {} credential `{lookup}` to .jenkinsfile/credentials.toml or pass --credentials FILE",
                needs.type_name()
            )),
        );
    };
    if entry.kind != needs {
        return item(
            "missing",
            format!(
                "is {} but {via} needs {}",
                entry.kind.type_name(),
                needs.type_name()
            ),
            Some("change the credential's type in the store".into()),
        );
    }
    match runtime.map(|rt| rt.block_on(store.resolve(&lookup))) {
        Some(Ok(_)) => item(
            "ok",
            format!(
                "{}, resolves (value not shown; used for {via})",
                entry.kind.type_name()
            ),
            None,
        ),
        Some(Err(e)) => item(
            "unreachable",
            format!("{}, does not resolve: {e}", entry.kind.type_name()),
            Some(format!(
                "check the source of `{lookup}` in {}",
                entry.file.display()
            )),
        ),
        None => item("unreachable", "no runtime to resolve it".into(), None),
    }
}
