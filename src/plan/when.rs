//! The value behind a `when` condition's outcome, in words: `BRANCH_NAME is 'feature/x'`.
//! The outcome itself comes from the runtime's own evaluation (`eval/declarative/when.rs`);
//! this only says which fact decided it.

use crate::model::pipeline::Condition;
use crate::syntax::ast::{Expr, ExprKind};

/// Why `condition` came out as `holds`, for a variable lookup `env`.
pub(super) fn detail(
    condition: &Condition,
    env: &dyn Fn(&str) -> Option<String>,
    holds: bool,
) -> String {
    let var = |name: &str| match env(name) {
        Some(v) => format!("{name} is '{v}'"),
        None => format!("{name} is not set"),
    };
    match condition.name.node.as_str() {
        "branch" => var("BRANCH_NAME"),
        "tag" | "buildingTag" => var("TAG_NAME"),
        "changeRequest" => var("CHANGE_ID"),
        "environment" => match condition.args.get("name", None).and_then(literal) {
            Some(name) => var(&name),
            None => format!("evaluated to {holds}"),
        },
        "not" => condition
            .children
            .iter()
            .map(|c| detail(c, env, !holds))
            .collect::<Vec<_>>()
            .join("; "),
        "allOf" | "anyOf" => condition
            .children
            .iter()
            .map(|c| detail(c, env, holds))
            .collect::<Vec<_>>()
            .join("; "),
        "changelog" | "changeset" => {
            if holds {
                "a change in the change set matches".into()
            } else {
                "no change in the change set matches".into()
            }
        }
        "triggeredBy" => "a local plan has no build cause but the user".into(),
        "expression" => format!("the expression is {holds}"),
        _ => format!("evaluated to {holds}"),
    }
}

/// The text of a plain string literal.
fn literal(expr: &Expr) -> Option<String> {
    match &expr.node {
        ExprKind::Str(s) => Some(s.value.clone()),
        _ => None,
    }
}
