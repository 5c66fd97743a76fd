//! The value behind a `when` condition's outcome, in words: `BRANCH_NAME is 'feature/x', not
//! 'main'`. The outcome itself comes from the runtime's own evaluation
//! (`eval/declarative/when.rs`); this only says which fact decided it, with the values
//! compared (`values`: what `expression` and `equals` conditions came out as, in order).

use crate::model::pipeline::Condition;
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind};

/// Why `condition` came out as `holds`, for a variable lookup `env`; `verdicts` are the
/// runtime's own verdicts of the conditions it evaluated, nested ones included.
pub(super) fn detail(
    condition: &Condition,
    env: &dyn Fn(&str) -> Option<String>,
    holds: bool,
    values: &[String],
    verdicts: &[(Span, bool)],
) -> String {
    let mut facts = Facts {
        env,
        values: values.iter(),
        verdicts,
    };
    detail_with(condition, &mut facts, holds)
}

/// What the runtime saw while it evaluated one `when` condition.
struct Facts<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    values: std::slice::Iter<'a, String>,
    verdicts: &'a [(Span, bool)],
}

/// Each child of `allOf`/`anyOf`/`not` with its own verdict; one the runtime never reached
/// (`allOf` stops at the first false, `anyOf` at the first true) says so.
fn children(condition: &Condition, facts: &mut Facts<'_>) -> String {
    let parent = condition.name.node.as_str();
    condition
        .children
        .iter()
        .map(|c| {
            let verdict = facts
                .verdicts
                .iter()
                .find(|(span, _)| *span == c.span)
                .map(|(_, holds)| *holds);
            match verdict {
                Some(holds) => detail_with(c, facts, holds),
                None => format!(
                    "{} not evaluated ({parent} was decided before it)",
                    c.name.node
                ),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn detail_with(condition: &Condition, facts: &mut Facts<'_>, holds: bool) -> String {
    let env = facts.env;
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
        "not" | "allOf" | "anyOf" => children(condition, facts),
        "changelog" | "changeset" => {
            if holds {
                "a change in the change set matches".into()
            } else {
                "no change in the change set matches".into()
            }
        }
        "triggeredBy" => "a local plan has no build cause but the user".into(),
        "expression" | "equals" => match facts.values.next() {
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
