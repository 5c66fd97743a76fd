//! What a plan reads from the declarative model rather than from evaluation: a stage's
//! agent (with the docker image or Dockerfile), its options and post conditions as written,
//! and the names of its `environment` variables (their values come from the planned steps).

use super::model::{AgentInfo, CredentialRef, CredentialUse, EnvEntry, PostBlock};
use crate::model::pipeline::{
    Agent, AgentConfig, AgentKind, AgentValue, EnvValue, Environment, Invocation, Post, Section,
};
use crate::syntax::ast::{Expr, ExprKind};

/// One line of source text: whitespace runs become one space.
pub(super) fn compact(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn slice(source: &str, span: crate::source::Span) -> String {
    compact(source.get(span.range()).unwrap_or(""))
}

pub(super) fn agent(source: &str, agent: &Agent) -> AgentInfo {
    let text = slice(source, agent.span);
    let text = text
        .strip_prefix("agent")
        .map_or(text.clone(), |t| t.trim().to_string());
    match &agent.kind {
        AgentKind::Any => AgentInfo {
            kind: "any".into(),
            text,
            ..AgentInfo::default()
        },
        AgentKind::None => AgentInfo {
            kind: "none".into(),
            text,
            ..AgentInfo::default()
        },
        AgentKind::Missing => AgentInfo {
            kind: "missing".into(),
            text,
            ..AgentInfo::default()
        },
        AgentKind::Typed { ty, config } => {
            let option = |key: &str| match config {
                AgentConfig::Block(opts) => opts.iter().find_map(|o| match &o.value {
                    AgentValue::Value(e) if o.key.node == key => Some(expr_text(source, e)),
                    _ => None,
                }),
                AgentConfig::Value(_) => None,
            };
            let sole = match config {
                AgentConfig::Value(e) => Some(expr_text(source, e)),
                AgentConfig::Block(_) => None,
            };
            let (image, dockerfile) = match ty.node.as_str() {
                "docker" => (option("image").or(sole), None),
                "dockerfile" => {
                    let file = option("filename").unwrap_or_else(|| "Dockerfile".into());
                    let dir = option("dir");
                    (
                        None,
                        Some(match dir {
                            Some(d) => format!("{d}/{file}"),
                            None => file,
                        }),
                    )
                }
                _ => (None, None),
            };
            let docker = ty.node == "docker";
            AgentInfo {
                kind: ty.node.clone(),
                text,
                image,
                dockerfile,
                registry_url: option("registryUrl").filter(|u| docker && !u.is_empty()),
                registry_credentials_id: option("registryCredentialsId")
                    .filter(|c| docker && !c.is_empty()),
                yaml: option("yaml").filter(|_| ty.node == "kubernetes"),
            }
        }
    }
}

/// A string literal's text, else the expression as written.
fn expr_text(source: &str, e: &Expr) -> String {
    match &e.node {
        ExprKind::Str(s) => s.value.clone(),
        _ => slice(source, e.span),
    }
}

pub(super) fn options(source: &str, section: Option<&Section<Invocation>>) -> Vec<String> {
    section
        .map(|s| s.items.iter().map(|i| slice(source, i.span)).collect())
        .unwrap_or_default()
}

/// Each post condition and whether it runs for a build (or stage) ending `result`. A skipped
/// stage runs no post; when a planned step could fail (`could_fail`), the failure conditions
/// could run although the plan ends in success.
pub(super) fn post(
    post: Option<&Post>,
    result: &str,
    could_fail: bool,
    skipped: bool,
) -> Vec<PostBlock> {
    let Some(post) = post else {
        return Vec::new();
    };
    let ok = result == "SUCCESS";
    post.conditions
        .iter()
        .map(|c| {
            let (runs, reason) = if skipped {
                ("no", Some("the stage is skipped".to_string()))
            } else {
                let failing = |holds: bool| {
                    if holds {
                        ("yes", None)
                    } else if could_fail {
                        ("maybe", Some("if a planned step fails".to_string()))
                    } else {
                        ("no", None)
                    }
                };
                match c.name.node.as_str() {
                    "always" | "cleanup" => ("yes", None),
                    "success" => (yes(ok), None),
                    "failure" => failing(result == "FAILURE"),
                    "unsuccessful" => failing(!ok),
                    "unstable" => failing(result == "UNSTABLE"),
                    "changed" | "fixed" | "regression" => ("maybe", None),
                    "aborted" => (yes(result == "ABORTED"), None),
                    _ => ("no", None),
                }
            };
            PostBlock {
                condition: c.name.node.clone(),
                runs,
                reason,
            }
        })
        .collect()
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// What a skipped stage's `environment` values show: a run does not evaluate them either.
pub(super) const NOT_EVALUATED_SKIPPED: &str = "(not evaluated: stage skipped)";

/// The variables of an `environment` block after evaluation: `value` looks a name up in what
/// the planned steps saw; credentials are `****` with their id and type. The block of a
/// `skipped` stage is not evaluated: its values say so.
pub(super) fn environment(
    source: &str,
    env: Option<&Environment>,
    value: &dyn Fn(&str) -> Option<String>,
    creds: &[CredentialUse],
    skipped: bool,
) -> Vec<EnvEntry> {
    let Some(env) = env else {
        return Vec::new();
    };
    env.vars
        .iter()
        .flat_map(|v| {
            let name = v.name.node.clone();
            match &v.value {
                EnvValue::Credentials { id, .. } => {
                    // A credential binds its own names (`X`, `X_USR`, `X_PSW`), but an `aws`
                    // one binds `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`: found by id.
                    let written = expr_text(source, id);
                    let used = creds
                        .iter()
                        .find(|c| c.via == "environment" && c.variables.first() == Some(&name))
                        .or_else(|| {
                            creds
                                .iter()
                                .find(|c| c.via == "environment" && c.id == written)
                        });
                    let id = used.map_or_else(|| expr_text(source, id), |c| c.id.clone());
                    let kind = used.map_or_else(|| "unknown".to_string(), |c| c.kind.clone());
                    // The names the run sets: an `aws` credential never sets `X` itself.
                    let names = match used {
                        Some(c) if c.kind == "aws" => c.variables.clone(),
                        _ => vec![name],
                    };
                    names
                        .into_iter()
                        .map(|name| EnvEntry {
                            name,
                            value: "****".into(),
                            credential: Some(CredentialRef {
                                id: id.clone(),
                                kind: kind.clone(),
                            }),
                        })
                        .collect::<Vec<_>>()
                }
                EnvValue::Expr(_) if skipped => vec![EnvEntry {
                    value: NOT_EVALUATED_SKIPPED.into(),
                    name,
                    credential: None,
                }],
                EnvValue::Expr(e) => vec![EnvEntry {
                    value: value(&name).map_or_else(|| expr_text(source, e), |v| interpolated(&v)),
                    name,
                    credential: None,
                }],
            }
        })
        .collect()
}

/// A run-time value the environment holds as text: an interpolated one (`"x${params.PW}"`,
/// whose origin is its text with the placeholder inside, `x<****>`) reads as that text, not
/// wrapped once more (`<x<****>>`), as a step's arguments do.
fn interpolated(value: &str) -> String {
    match value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        Some(inner) if inner.contains('<') && inner.contains('>') => inner.to_string(),
        _ => value.to_string(),
    }
}
