//! The value behind a `when` condition's outcome, in words: `BRANCH_NAME is 'feature/x', not
//! 'main'`. The outcome itself comes from the runtime's own evaluation
//! (`eval/declarative/when.rs`); this only says which fact decided it, with the values
//! compared (`values`: what `expression` and `equals` conditions came out as, in order).

use crate::model::pipeline::Condition;
use crate::syntax::ast::{Expr, ExprKind};

/// Why `condition` came out as `holds`, for a variable lookup `env`.
pub(super) fn detail(
    condition: &Condition,
    env: &dyn Fn(&str) -> Option<String>,
    holds: bool,
    values: &[String],
) -> String {
    let mut values = values.iter();
    detail_with(condition, env, holds, &mut values)
}

fn detail_with(
    condition: &Condition,
    env: &dyn Fn(&str) -> Option<String>,
    holds: bool,
    values: &mut std::slice::Iter<'_, String>,
) -> String {
    let var = |name: &str| match env(name) {
        Some(v) => format!("{name} is '{v}'"),
        None => format!("{name} is not set"),
    };
    // `BRANCH_NAME is 'feature/x', not 'main'`; a pattern or another comparator "does not
    // match" rather than "is not".
    let against = |name: &str, key: &str, sole: Option<&str>| {
        let fact = var(name);
        let Some(p) = condition.args.get(key, sole).and_then(literal) else {
            return fact;
        };
        let pattern = condition.args.get("comparator", None).is_some() || p.contains(['*', '?']);
        match (holds, pattern) {
            (true, false) => fact,
            (true, true) => format!("{fact}, which matches '{p}'"),
            (false, _) if env(name).is_none() => fact,
            (false, false) => format!("{fact}, not '{p}'"),
            (false, true) => format!("{fact}, which does not match '{p}'"),
        }
    };
    match condition.name.node.as_str() {
        "branch" => against("BRANCH_NAME", "pattern", Some("pattern")),
        "tag" => against("TAG_NAME", "pattern", Some("pattern")),
        "buildingTag" => var("TAG_NAME"),
        // `changeRequest target: 'main'` is decided by CHANGE_TARGET, not CHANGE_ID.
        "changeRequest" => CHANGE_FIELDS
            .iter()
            .find(|(key, _)| condition.args.get(key, None).is_some())
            .map_or_else(|| var("CHANGE_ID"), |(key, name)| against(name, key, None)),
        "environment" => match condition.args.get("name", None).and_then(literal) {
            Some(name) => against(&name, "value", None),
            None => format!("evaluated to {holds}"),
        },
        "not" => condition
            .children
            .iter()
            .map(|c| detail_with(c, env, !holds, values))
            .collect::<Vec<_>>()
            .join("; "),
        // Each child says its own fact; whether it held is not known per child here, so
        // the values are what the runtime saw.
        "allOf" | "anyOf" => condition
            .children
            .iter()
            .map(|c| detail_with(c, env, holds, values))
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
        "expression" | "equals" => match values.next() {
            Some(v) => v.clone(),
            None => format!("evaluated to {holds}"),
        },
        _ => format!("evaluated to {holds}"),
    }
}

/// `changeRequest`'s parameters and the variables they compare.
const CHANGE_FIELDS: &[(&str, &str)] = &[
    ("id", "CHANGE_ID"),
    ("target", "CHANGE_TARGET"),
    ("branch", "CHANGE_BRANCH"),
    ("fork", "CHANGE_FORK"),
    ("url", "CHANGE_URL"),
    ("title", "CHANGE_TITLE"),
    ("author", "CHANGE_AUTHOR"),
    ("authorDisplayName", "CHANGE_AUTHOR_DISPLAY_NAME"),
    ("authorEmail", "CHANGE_AUTHOR_EMAIL"),
];

/// The text of a plain string literal.
fn literal(expr: &Expr) -> Option<String> {
    match &expr.node {
        ExprKind::Str(s) => Some(s.value.clone()),
        _ => None,
    }
}
