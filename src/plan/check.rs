//! `plan --check`: the preflight. From a finished plan it lists what the build needs and
//! whether it is there: every credential id (in the store, of the right type, resolving;
//! the value is never shown) and every tool the `sh` steps call, found on PATH, or noted as
//! inside the agent's image; the Docker engine and the docker agents' images
//! ([`docker`]); the AWS identities and the ECR repositories the pipeline names ([`aws`]).
//! Kubernetes is reported as not checked until its support lands.

mod aws;
mod commands;
mod container;
mod docker;

use std::path::Path;

use serde::Serialize;
use serde_json::Value as Json;

use self::commands::commands;

use super::model::{AgentInfo, EnvEntry, Plan, Stage, Step};
use crate::creds::{BINDINGS, Kind, Store};

/// One thing the build needs.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Item {
    /// `credential`, `tool`, `docker`, `aws` or `kubernetes`.
    pub category: &'static str,
    pub name: String,
    /// `ok`, `missing`, `unreachable` or `not-checked`.
    pub status: &'static str,
    pub detail: String,
    pub hint: Option<String>,
}

impl Item {
    /// Whether this item fails the check (exit 1).
    #[must_use]
    pub fn fails(&self) -> bool {
        matches!(self.status, "missing" | "unreachable")
    }
}

/// The credential and tool items of `plan`. `path` is the PATH to look tools up on.
#[must_use]
pub fn check(plan: &Plan, store: &Store, path: Option<&str>) -> Vec<Item> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok();
    let mut items = credentials(plan, store, runtime.as_ref());
    let mut uses = Vec::new();
    for step in &plan.steps {
        uses.push((step.clone(), plan.agent.clone()));
    }
    for stage in &plan.stages {
        collect(stage, plan.agent.as_ref(), &mut uses);
    }
    for agent in agents(plan) {
        if let Some(id) = &agent.registry_credentials_id
            && !items
                .iter()
                .any(|i| i.category == "credential" && &i.name == id)
        {
            items.push(container::registry_credential(id, store, runtime.as_ref()));
        }
    }
    let all: Vec<Step> = uses.iter().map(|(s, _)| s.clone()).collect();
    let mut seen: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let (mut docker, mut aws, mut kube) = (false, false, false);
    let mut images: Vec<docker::Image> = Vec::new();
    let mut repos: Vec<aws::Repo> = Vec::new();
    let mut sources: Vec<aws::Source> = Vec::new();
    environment(plan, &mut repos);
    for agent in agents(plan) {
        if agent.kind != "docker" {
            continue;
        }
        let image = docker::Image {
            name: agent.image.clone().unwrap_or_default(),
            registry_url: agent.registry_url.clone(),
            credentials_id: agent.registry_credentials_id.clone(),
        };
        aws::scan(&image.name, &mut repos);
        if !image.name.is_empty() && !images.contains(&image) {
            images.push(image);
        }
    }
    for (step, agent) in &uses {
        // An `sh` in `withDockerContainer`/`inside`/`container('x')` runs there, whatever
        // the agent.
        let inside =
            container::enclosing(step, &all).or_else(|| agent.as_ref().and_then(container));
        strings(&Json::Object(step.args.clone()), &mut |s| {
            aws::scan(s, &mut repos);
        });
        if step.name == "withAWS" {
            let args = step
                .args
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect();
            let source = aws::Source::WithAws(args);
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        match step.name.as_str() {
            "withAWS" | "ecrLogin" | "awsIdentity" | "s3Upload" | "s3Download" => aws = true,
            "withDockerRegistry" | "withDockerServer" | "dockerNode" => docker = true,
            "withKubeConfig" | "kubernetesDeploy" => kube = true,
            _ => {}
        }
        if agent.as_ref().is_some_and(|a| a.kind == "kubernetes") {
            kube = true;
        }
        if agent
            .as_ref()
            .is_some_and(|a| a.kind == "docker" || a.kind == "dockerfile")
        {
            docker = true;
        }
        let Some(script) = step.args.get("script").and_then(Json::as_str) else {
            continue;
        };
        if step.name != "sh" {
            continue;
        }
        for cmd in commands(script) {
            match cmd.as_str() {
                "docker" => docker = true,
                "aws" => aws = true,
                "kubectl" | "helm" => kube = true,
                _ => {}
            }
            // Looked up on the PATH the step runs with: the pipeline may prepend to it.
            let path = step.path.as_deref().or(path);
            let key = (cmd.clone(), inside.clone(), path.map(str::to_string));
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            items.push(match &inside {
                Some(image) => Item {
                    category: "tool",
                    name: cmd,
                    status: "not-checked",
                    detail: format!("inside {image}, not checked"),
                    hint: None,
                },
                None => tool(&cmd, path),
            });
        }
    }
    for used in &plan.credentials {
        let typed_aws = store
            .lookup(&used.id)
            .map_or(used.via == "withCredentials aws", |e| e.kind == Kind::Aws);
        // A withAWS block's credential is checked with the block's own settings.
        let source = aws::Source::Credential(used.id.clone());
        if typed_aws && used.via != "withAWS" && !sources.contains(&source) {
            sources.push(source);
        }
    }
    aws |= !sources.is_empty() || !repos.is_empty();
    docker |= !images.is_empty();
    if let Some(runtime) = &runtime {
        if docker {
            items.extend(runtime.block_on(docker::check(store, &images)));
        }
        if aws && sources.is_empty() {
            items.push(Item {
                category: "aws",
                name: "identity".into(),
                status: "not-checked",
                detail: "not checked: the pipeline uses no AWS credentials (withAWS, an aws binding or credential)".into(),
                hint: None,
            });
        }
        if aws {
            items.extend(runtime.block_on(aws::check(store, &sources, &repos)));
        }
    }
    if kube {
        items.push(Item {
            category: "kubernetes",
            name: "cluster".into(),
            status: "not-checked",
            detail: "not checked: unsupported yet".into(),
            hint: None,
        });
    }
    items
}

/// The agents of the pipeline and of every stage, in order.
fn agents(plan: &Plan) -> Vec<&AgentInfo> {
    fn walk<'a>(stages: &'a [Stage], out: &mut Vec<&'a AgentInfo>) {
        for stage in stages {
            out.extend(&stage.agent);
            walk(&stage.stages, out);
        }
    }
    let mut out: Vec<&AgentInfo> = plan.agent.iter().collect();
    walk(&plan.stages, &mut out);
    out
}

/// Every string inside a JSON value.
fn strings(value: &Json, f: &mut dyn FnMut(&str)) {
    match value {
        Json::String(s) => f(s),
        Json::Array(items) => items.iter().for_each(|v| strings(v, f)),
        Json::Object(map) => map.values().for_each(|v| strings(v, f)),
        _ => {}
    }
}

/// The ECR repositories named in the `environment` blocks of the pipeline and its stages.
fn environment(plan: &Plan, repos: &mut Vec<aws::Repo>) {
    fn entries<'a>(stages: &'a [Stage], out: &mut Vec<&'a EnvEntry>) {
        for stage in stages {
            out.extend(&stage.environment);
            entries(&stage.stages, out);
        }
    }
    let mut all: Vec<&EnvEntry> = plan.environment.iter().collect();
    entries(&plan.stages, &mut all);
    let region = all
        .iter()
        .filter(|e| e.credential.is_none())
        .find(|e| matches!(e.name.as_str(), "AWS_REGION" | "AWS_DEFAULT_REGION"))
        .map(|e| e.value.as_str());
    for entry in all.iter().filter(|e| e.credential.is_none()) {
        aws::scan_env(&entry.name, &entry.value, region, repos);
    }
}

fn collect(stage: &Stage, agent: Option<&AgentInfo>, out: &mut Vec<(Step, Option<AgentInfo>)>) {
    let agent = stage.agent.as_ref().or(agent);
    for step in &stage.steps {
        out.push((step.clone(), agent.cloned()));
    }
    for child in &stage.stages {
        collect(child, agent, out);
    }
}

/// The image a container agent runs in (`None`: the host).
fn container(agent: &AgentInfo) -> Option<String> {
    match agent.kind.as_str() {
        "docker" => Some(format!(
            "image {}",
            agent.image.as_deref().unwrap_or(&agent.text)
        )),
        "dockerfile" => Some(format!(
            "the image built from {}",
            agent.dockerfile.as_deref().unwrap_or("Dockerfile")
        )),
        "kubernetes" => Some("the Kubernetes pod".to_string()),
        _ => None,
    }
}

fn tool(cmd: &str, path: Option<&str>) -> Item {
    let found = path.and_then(|p| {
        std::env::split_paths(p)
            .map(|dir| dir.join(cmd))
            .find(|f| is_executable(f))
    });
    match found {
        Some(f) => Item {
            category: "tool",
            name: cmd.to_string(),
            status: "ok",
            detail: f.display().to_string(),
            hint: None,
        },
        None => Item {
            category: "tool",
            name: cmd.to_string(),
            status: "missing",
            detail: "not found on PATH".into(),
            hint: Some(format!("install `{cmd}` or add its directory to PATH")),
        },
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn credentials(plan: &Plan, store: &Store, runtime: Option<&tokio::runtime::Runtime>) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for used in &plan.credentials {
        if items.iter().any(|i| i.name == used.id) {
            continue;
        }
        if used.id.starts_with("ecr:") || super::registry::is_login(&used.via) {
            // `ecr:<region>:<id>` names an AWS credential, not a store entry of its own; a
            // registry login needs a username and password.
            items.push(container::registry_credential(&used.id, store, runtime));
            continue;
        }
        let expected = used
            .via
            .strip_prefix("withCredentials ")
            .and_then(|symbol| BINDINGS.iter().find(|b| b.0 == symbol))
            .map(|b| b.2);
        let item = |status, detail: String, hint: Option<String>| Item {
            category: "credential",
            name: used.id.clone(),
            status,
            detail,
            hint,
        };
        let Some(entry) = store.lookup(&used.id) else {
            items.push(item(
                "missing",
                format!("not in the credential store (used by {})", used.via),
                Some(format!(
                    "add a [{}] table to .jenkinsfile/credentials.toml or pass --credentials FILE",
                    used.id
                )),
            ));
            continue;
        };
        if let Some(kind) = expected.filter(|k| *k != entry.kind) {
            items.push(item(
                "missing",
                format!(
                    "is {} but {} needs {}",
                    entry.kind.type_name(),
                    used.via,
                    kind.type_name()
                ),
                Some("change the credential's type in the store".into()),
            ));
            continue;
        }
        let resolved = runtime.map(|rt| rt.block_on(store.resolve(&used.id)));
        items.push(match resolved {
            Some(Ok(_)) => item(
                "ok",
                format!("{}, resolves (value not shown)", entry.kind.type_name()),
                None,
            ),
            Some(Err(e)) => item(
                "unreachable",
                format!("{}, does not resolve: {e}", entry.kind.type_name()),
                Some(format!(
                    "check the source of `{}` in {}",
                    used.id,
                    entry.file.display()
                )),
            ),
            None => item("unreachable", "no runtime to resolve it".into(), None),
        });
    }
    items
}
