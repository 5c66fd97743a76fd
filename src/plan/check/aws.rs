//! The AWS part of `plan --check`: each AWS identity the pipeline uses works (STS
//! `GetCallerIdentity`), and each ECR repository it names exists (ECR `DescribeRepositories`).
//!
//! Identities: every `withAWS(…)` block (set up as the run would: credentials, profile,
//! region, endpoint, role) and every `aws` credential of the store that a binding or an
//! `environment` entry uses. Repositories, found conservatively: image names of the form
//! `<account>.dkr.ecr.<region>.amazonaws.com/<repo>` in agent images, step arguments (`sh`
//! scripts included) and `environment` values, and plain repository names in `environment`
//! variables whose name contains `ECR_REPO` (`ECR_REPO`, `ECR_REPOSITORY`, …), looked up in
//! the region of an `AWS_REGION`/`AWS_DEFAULT_REGION` entry, else the identity's. Every call
//! goes to `AWS_ENDPOINT_URL` when it is set (or `withAWS(endpointUrl:)`). No key is shown.

use std::sync::LazyLock;

use indexmap::IndexMap;
use regex::Regex;

use super::Item;
use crate::aws::{AwsEnv, Error, WithAws, caller_identity, repository_exists};
use crate::creds::{Credential, Kind, Store};

/// Where a pipeline's AWS keys come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// A `withAWS` block's arguments, as text.
    WithAws(Vec<(String, String)>),
    /// An `aws` credential of the store.
    Credential(String),
}

/// An ECR repository the pipeline names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Repo {
    pub name: String,
    pub region: Option<String>,
    /// The account (registry id), when the name says it.
    pub registry: Option<String>,
}

static ECR_IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?)",
    )
    .expect("valid regex")
});

static REPO_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?$").expect("valid regex"));

/// The ECR image names in `text`, added to `out` once each.
pub(super) fn scan(text: &str, out: &mut Vec<Repo>) {
    for c in ECR_IMAGE.captures_iter(text) {
        let repo = Repo {
            name: c[3].to_string(),
            region: Some(c[2].to_string()),
            registry: Some(c[1].to_string()),
        };
        if !out.contains(&repo) {
            out.push(repo);
        }
    }
}

/// An `environment` variable: an ECR image name in its value, or a plain repository name in
/// an `ECR_REPO`-style variable.
pub(super) fn scan_env(name: &str, value: &str, region: Option<&str>, out: &mut Vec<Repo>) {
    scan(value, out);
    if name.to_ascii_uppercase().contains("ECR_REPO") && REPO_NAME.is_match(value) {
        let repo = Repo {
            name: value.to_string(),
            region: region.map(str::to_string),
            registry: None,
        };
        if !out.contains(&repo) {
            out.push(repo);
        }
    }
}

/// The variables of this process that decide where AWS calls go.
fn base_env() -> IndexMap<String, String> {
    std::env::vars()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "AWS_ENDPOINT_URL" | "AWS_REGION" | "AWS_DEFAULT_REGION"
            )
        })
        .collect()
}

fn item(name: String, status: &'static str, detail: String, hint: Option<String>) -> Item {
    Item {
        category: "aws",
        name,
        status,
        detail,
        hint,
    }
}

/// A failed AWS call as an item: no keys is `missing`, anything else `unreachable`.
fn failure(name: String, what: &str, e: &Error) -> Item {
    let status = match e {
        Error::NoCredentials { .. } | Error::CredentialNotFound { .. } | Error::Credential(_) => {
            "missing"
        }
        _ => "unreachable",
    };
    let hint = miette::Diagnostic::help(e).map(|h| h.to_string());
    item(name, status, format!("{what}: {e}"), hint)
}

/// Symbolic plan values (`<stdout of sh#3>`, `****`) are not known before the run.
fn symbolic(value: &str) -> bool {
    value.contains('<') || value.contains("****") || value.contains('$')
}

/// The identity items, then the repository items.
pub(super) async fn check(store: &Store, sources: &[Source], repos: &[Repo]) -> Vec<Item> {
    let base = base_env();
    let mut items = Vec::new();
    let mut working: Option<AwsEnv> = None;
    for source in sources {
        let (name, env) = match source {
            Source::WithAws(args) => {
                let shown = args
                    .iter()
                    .filter(|(k, _)| {
                        matches!(
                            k.as_str(),
                            "credentials" | "region" | "profile" | "role" | "endpointUrl"
                        )
                    })
                    .map(|(k, v)| format!("{k}: '{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let name = format!("identity of withAWS({shown})");
                if args.iter().any(|(_, v)| symbolic(v)) {
                    items.push(item(
                        name,
                        "not-checked",
                        "not checked: an argument is only known at run time".into(),
                        None,
                    ));
                    continue;
                }
                match with_aws_env(store, args, &base).await {
                    Ok(env) => (name, env),
                    Err(e) => {
                        items.push(failure(name, "withAWS cannot be set up", &e));
                        continue;
                    }
                }
            }
            Source::Credential(id) => {
                let name = format!("identity of credential {id}");
                match credential_env(store, id, &base).await {
                    Ok(env) => (name, env),
                    Err(e) => {
                        items.push(failure(name, "no keys", &e));
                        continue;
                    }
                }
            }
        };
        match caller_identity(&env).await {
            Ok(identity) => {
                items.push(item(
                    name,
                    "ok",
                    format!(
                        "sts:GetCallerIdentity: account {}, {}",
                        identity.account, identity.arn
                    ),
                    None,
                ));
                working.get_or_insert(env);
            }
            Err(e) => items.push(failure(name, "the identity does not work", &e)),
        }
    }
    for repo in repos {
        items.push(check_repo(repo, working.as_ref(), !sources.is_empty()).await);
    }
    items
}

async fn check_repo(repo: &Repo, keys: Option<&AwsEnv>, any_identity: bool) -> Item {
    let name = format!("ECR repository {}", repo.name);
    let Some(keys) = keys else {
        return if any_identity {
            item(
                name,
                "unreachable",
                "not checked: no AWS identity of the pipeline works (see above)".into(),
                None,
            )
        } else {
            item(
                name,
                "not-checked",
                "not checked: the pipeline uses no AWS credentials to look it up with".into(),
                Some("the build needs AWS keys for it: withAWS(credentials: 'id') or an `aws` credential binding".into()),
            )
        };
    };
    let mut aws = keys.clone();
    if let Some(region) = &repo.region {
        aws.region = Some(region.clone());
    }
    let region = aws
        .region
        .clone()
        .unwrap_or_else(|| "the default region".into());
    let account = repo.registry.as_deref().map_or_else(
        || "the caller's account".to_string(),
        |a| format!("account {a}"),
    );
    match repository_exists(&aws, repo.registry.as_deref(), &repo.name).await {
        Ok(true) => item(name, "ok", format!("exists in {account}, {region}"), None),
        Ok(false) => item(
            name,
            "missing",
            format!("does not exist in {account}, {region}"),
            Some(format!(
                "create it (aws ecr create-repository --repository-name {}) or fix the name or region",
                repo.name
            )),
        ),
        Err(e) => failure(name, "cannot be looked up", &e),
    }
}

/// The keys and region a `withAWS` block would give its steps.
async fn with_aws_env(
    store: &Store,
    args: &[(String, String)],
    base: &IndexMap<String, String>,
) -> Result<AwsEnv, Error> {
    let text = |key: &str| args.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let step = WithAws {
        region: text("region"),
        credentials: text("credentials"),
        profile: text("profile"),
        endpoint_url: text("endpointUrl"),
        role: text("role"),
        role_account: text("roleAccount"),
        external_id: text("externalId"),
        role_session_name: text("roleSessionName"),
        policy: text("policy"),
        duration: text("duration").and_then(|d| d.parse().ok()),
    };
    let setup = step.setup(store, base).await?;
    let mut env = base.clone();
    for (name, value, _) in setup.vars {
        match value {
            Some(v) => {
                env.insert(name, v);
            }
            None => {
                env.shift_remove(&name);
            }
        }
    }
    Ok(AwsEnv::from_env(&env))
}

/// The keys of the store's `aws` credential `id`, with this process's region and endpoint.
async fn credential_env(
    store: &Store,
    id: &str,
    base: &IndexMap<String, String>,
) -> Result<AwsEnv, Error> {
    let Credential::Aws {
        access_key_id,
        secret_access_key,
        session_token,
    } = store.resolve_as(id, Kind::Aws).await?
    else {
        return Err(Error::CredentialNotFound { id: id.to_string() });
    };
    Ok(AwsEnv {
        access_key_id: Some(access_key_id),
        secret_access_key: Some(secret_access_key),
        session_token,
        ..AwsEnv::from_env(base)
    })
}

#[cfg(test)]
mod tests {
    use super::{Repo, scan, scan_env};

    #[test]
    fn finds_ecr_names_conservatively() {
        let mut repos = Vec::new();
        scan(
            "docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2 && echo $ECR_URI/x",
            &mut repos,
        );
        scan_env("ECR_REPO", "demo-app", Some("us-east-2"), &mut repos);
        scan_env("IMAGE", "demo-app", None, &mut repos);
        scan_env("ECR_REPOSITORY", "${NAME}", None, &mut repos);
        assert_eq!(
            repos,
            [
                Repo {
                    name: "team/app".into(),
                    region: Some("eu-west-1".into()),
                    registry: Some("123456789012".into()),
                },
                Repo {
                    name: "demo-app".into(),
                    region: Some("us-east-2".into()),
                    registry: None,
                },
            ]
        );
    }
}
