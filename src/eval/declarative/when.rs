//! `when { }` (runtime-semantics.md §5.3): every built-in condition, with the EQUALS, GLOB
//! (the default: Ant-style and case-insensitive) and REGEXP (whole string) comparators. Branch,
//! tag and change-request facts come from the environment (`BRANCH_NAME`, `TAG_NAME`,
//! `CHANGE_*`); the changelog from the run's configuration.

use regex::{Regex, RegexBuilder};

use super::Run;
use super::agent::UNSUPPORTED;
use super::wrap::{Fut, emitter};
use crate::eval::compare::equals;
use crate::eval::flow::{Flow, R};
use crate::eval::scope::{Cx, Frame};
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::model::pipeline::{Condition, When};
use crate::syntax::ast::{Expr, Stmt, StmtKind};

/// All the conditions of `when` (none: true).
pub(super) async fn holds(run: &Run<'_>, cx: &Cx, when: &When) -> R<bool> {
    for c in &when.conditions {
        let mut holds = condition(run, cx, c).await?;
        if let Some(plan) = &run.host.state.plan {
            holds = plan.when_condition(run.host, cx, c, &run.interp.source_text(c.span), holds);
        }
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Tells the planner which of `values` are run-time values: a comparison with one could go
/// either way, as an `expression` on one can.
fn run_time(run: &Run<'_>, values: &[&Value]) {
    if let Some(plan) = &run.host.state.plan {
        for v in values {
            if let Value::Unknown(origin) = v {
                plan.when_unknown(origin);
            }
        }
    }
}

/// One condition's verdict; a planner hears each one, nested ones included.
fn condition<'a>(run: &'a Run<'a>, cx: &'a Cx, c: &'a Condition) -> Fut<'a, bool> {
    Box::pin(async move {
        let holds = verdict(run, cx, c).await?;
        if let Some(plan) = &run.host.state.plan {
            plan.when_verdict(c.span, holds);
        }
        Ok(holds)
    })
}

fn verdict<'a>(run: &'a Run<'a>, cx: &'a Cx, c: &'a Condition) -> Fut<'a, bool> {
    Box::pin(async move {
        let env = |name: &str| run.host.state.env_var(&cx.dynamic, name);
        Ok(match c.name.node.as_str() {
            "allOf" => {
                for child in &c.children {
                    if !condition(run, cx, child).await? {
                        return Ok(false);
                    }
                }
                true
            }
            "anyOf" => {
                for child in &c.children {
                    if condition(run, cx, child).await? {
                        return Ok(true);
                    }
                }
                false
            }
            "not" => match c.children.first() {
                Some(child) => !condition(run, cx, child).await?,
                None => true,
            },
            "expression" => {
                let stmts = c.block.as_deref().unwrap_or_default();
                let value = block_value(run, cx, stmts).await?;
                if let (Value::Unknown(origin), Some(plan)) = (&value, &run.host.state.plan) {
                    plan.when_unknown(origin);
                }
                if let Some(plan) = &run.host.state.plan {
                    plan.when_value(&format!(
                        "the expression returned {}",
                        crate::eval::text::inspect(&value)
                    ));
                }
                value.truthy()
            }
            "equals" => {
                let expected = arg(run, cx, c, "expected", None)
                    .await?
                    .unwrap_or(Value::Null);
                let actual = arg(run, cx, c, "actual", None)
                    .await?
                    .unwrap_or(Value::Null);
                run_time(run, &[&expected, &actual]);
                if let Some(plan) = &run.host.state.plan {
                    plan.when_value(&format!(
                        "actual is {}, expected {}",
                        crate::eval::text::inspect(&actual),
                        crate::eval::text::inspect(&expected)
                    ));
                }
                equals(&expected, &actual)
            }
            "environment" => {
                let name = text_arg(run, cx, c, "name", None)
                    .await?
                    .unwrap_or_default();
                let value = text_arg(run, cx, c, "value", None)
                    .await?
                    .unwrap_or_default();
                let ignore_case = arg(run, cx, c, "ignoreCase", None)
                    .await?
                    .is_some_and(|v| v.truthy());
                if let Some(v) = run.host.state.env_value(&cx.dynamic, &name) {
                    run_time(run, &[&v]);
                }
                let actual = env(&name).unwrap_or_default();
                if ignore_case {
                    actual.eq_ignore_ascii_case(&value)
                } else {
                    actual == value
                }
            }
            "branch" => {
                let pattern = text_arg(run, cx, c, "pattern", Some("pattern")).await?;
                let comparator = text_arg(run, cx, c, "comparator", None).await?;
                let branch = env("BRANCH_NAME").or_else(|| env("GIT_LOCAL_BRANCH"));
                match (pattern.unwrap_or_default(), branch) {
                    (_, None) => false,
                    (p, Some(b)) if p.is_empty() || b.is_empty() => p.is_empty() && b.is_empty(),
                    (p, Some(b)) => compare(comparator.as_deref(), "GLOB", &p, &b, true)?,
                }
            }
            "tag" => {
                let pattern = text_arg(run, cx, c, "pattern", Some("pattern")).await?;
                let comparator = text_arg(run, cx, c, "comparator", None).await?;
                match (pattern.filter(|p| !p.is_empty()), env("TAG_NAME")) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(p), Some(t)) => compare(comparator.as_deref(), "GLOB", &p, &t, true)?,
                }
            }
            "buildingTag" => env("TAG_NAME").is_some_and(|t| !t.is_empty()),
            "changeRequest" => change_request(run, cx, c).await?,
            "changelog" => {
                let pattern = text_arg(run, cx, c, "pattern", Some("pattern"))
                    .await?
                    .unwrap_or_default();
                let changes = &run.host.state.config.changes;
                if changes.is_empty() {
                    emitter(run, cx)
                        .log("Warning, empty changelog. Probably because this is the first build.");
                    return Ok(false);
                }
                changes.changelog_matches(&pattern).map_err(bad_pattern)?
            }
            "changeset" => {
                let pattern = text_arg(run, cx, c, "pattern", Some("pattern"))
                    .await?
                    .unwrap_or_default();
                let comparator = text_arg(run, cx, c, "comparator", None).await?;
                let case_sensitive = arg(run, cx, c, "caseSensitive", None)
                    .await?
                    .is_some_and(|v| v.truthy());
                let changes = &run.host.state.config.changes;
                if changes.is_empty() {
                    emitter(run, cx)
                        .log("Warning, empty changelog. Probably because this is the first build.");
                    return Ok(false);
                }
                changes
                    .changeset_matches(&pattern, comparator.as_deref(), case_sensitive)
                    .map_err(bad_pattern)?
            }
            "triggeredBy" => {
                let cause = text_arg(run, cx, c, "cause", Some("cause"))
                    .await?
                    .unwrap_or_default();
                // A local run is started by its user.
                matches!(cause.as_str(), "UserIdCause" | "UserCause")
            }
            "isRestartedRun" => false,
            other => {
                return Err(Flow::exception(
                    UNSUPPORTED,
                    format!("unsupported: the when condition `{other}` is not available locally"),
                )
                .at(c.span));
            }
        })
    })
}

async fn change_request(run: &Run<'_>, cx: &Cx, c: &Condition) -> R<bool> {
    let env = |name: &str| run.host.state.env_var(&cx.dynamic, name);
    if env("CHANGE_ID").is_none_or(|id| id.is_empty()) {
        return Ok(false);
    }
    let comparator = text_arg(run, cx, c, "comparator", None).await?;
    let attributes = [
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
    for (attr, var) in attributes {
        if let Some(pattern) = text_arg(run, cx, c, attr, None).await? {
            let actual = env(var).unwrap_or_default();
            if !compare(comparator.as_deref(), "EQUALS", &pattern, &actual, false)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// The value of a block: its last expression statement, or what it returns.
pub(super) async fn block_value(run: &Run<'_>, cx: &Cx, stmts: &[Stmt]) -> R<Value> {
    let Some((last, init)) = stmts.split_last() else {
        return Ok(Value::Null);
    };
    // One scope for the whole block, so the last expression sees its variables.
    let scope = cx.with_frame(Frame::child(&cx.frame));
    let ran = async {
        run.interp.exec_stmts(init, &scope).await?;
        match &last.node {
            StmtKind::Expr(e) => run.interp.eval(e, &scope).await,
            _ => run
                .interp
                .exec_stmts(std::slice::from_ref(last), &scope)
                .await
                .map(|()| Value::Null),
        }
    };
    match ran.await {
        Err(Flow::Return(v)) => Ok(v),
        other => other,
    }
}

async fn arg(
    run: &Run<'_>,
    cx: &Cx,
    c: &Condition,
    name: &str,
    sole: Option<&str>,
) -> R<Option<Value>> {
    let expr: Option<&Expr> = c.args.get(name, sole);
    match expr {
        Some(e) => Ok(Some(run.interp.eval(e, cx).await?)),
        None => Ok(None),
    }
}

async fn text_arg(
    run: &Run<'_>,
    cx: &Cx,
    c: &Condition,
    name: &str,
    sole: Option<&str>,
) -> R<Option<String>> {
    Ok(arg(run, cx, c, name, sole).await?.map(|v| to_string(&v)))
}

/// Jenkins' `Comparator`: `EQUALS`, `GLOB` (Ant paths) or `REGEXP` (`String.matches`).
fn compare(
    comparator: Option<&str>,
    default: &str,
    pattern: &str,
    actual: &str,
    ignore_case: bool,
) -> R<bool> {
    match comparator.unwrap_or(default) {
        "EQUALS" => Ok(pattern == actual),
        "REGEXP" => Ok(regex(&format!("^(?:{pattern})$"), false)?.is_match(actual)),
        "GLOB" => Ok(regex(&glob(pattern), ignore_case)?.is_match(actual)),
        other => Err(Flow::exception(
            "java.lang.IllegalArgumentException",
            format!(
                "No enum constant org.jenkinsci.plugins.pipeline.modeldefinition.when.impl.Comparator.{other}"
            ),
        )),
    }
}

#[cold]
fn bad_pattern(message: String) -> Flow {
    Flow::exception("java.lang.IllegalArgumentException", message)
}

fn regex(source: &str, ignore_case: bool) -> R<Regex> {
    RegexBuilder::new(source)
        .case_insensitive(ignore_case)
        .build()
        .map_err(|e| Flow::exception("java.util.regex.PatternSyntaxException", format!("{e}")))
}

/// An Ant-style path pattern as an anchored regular expression.
fn glob(pattern: &str) -> String {
    let mut out = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    out.push_str("(?:.*/)?");
                    i += 3;
                } else {
                    out.push_str(".*");
                    i += 2;
                }
                continue;
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::{compare, glob};

    #[test]
    fn glob_is_ant_style_and_case_insensitive() {
        assert_eq!(glob("release/*"), "^release/[^/]*$");
        assert!(compare(None, "GLOB", "release/*", "Release/1.0", true).unwrap());
        assert!(!compare(None, "GLOB", "release/*", "release/1/2", true).unwrap());
        assert!(compare(None, "GLOB", "**/*.md", "docs/a/b.md", true).unwrap());
        assert!(compare(None, "GLOB", "**/*.md", "b.md", true).unwrap());
        assert!(compare(Some("REGEXP"), "GLOB", "rel.*", "release", true).unwrap());
        assert!(!compare(Some("REGEXP"), "GLOB", "rel", "release", true).unwrap());
        assert!(!compare(Some("EQUALS"), "GLOB", "Main", "main", true).unwrap());
    }
}
