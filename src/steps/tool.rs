//! `tool`: the home directory of a configured tool installation. Locally the installations
//! come from the config's `[tools]` table.

use serde_json::Value;

use super::args::{optional_str, required_str};
use super::{Args, StepContext, StepError, StepFuture};

pub(crate) fn tool(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let name = required_str("tool", &args, "name")?;
        let kind = optional_str("tool", &args, "type")?;
        if let Some(home) = ctx.host.tools.get(&name) {
            return Ok(Value::String(home.display().to_string()));
        }
        // Jenkins' text first (`No <type> named <name> found`), then where to fix it.
        let kind = kind.as_deref().map_or("tool", short_type);
        let searched = if ctx.host.tool_config.is_empty() {
            "the config".to_owned()
        } else {
            ctx.host
                .tool_config
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        Err(StepError::abort(format!(
            "No {kind} named {name} found (add `{name} = \"/path/to/home\"` to the [tools] table of {searched})"
        )))
    })
}

/// `hudson.tasks.Maven$MavenInstallation` → `Maven`: Jenkins prints the descriptor's display
/// name; the class's simple name is the closest we have.
fn short_type(kind: &str) -> &str {
    let simple = kind
        .rsplit(['.', '$'])
        .find(|part| !part.is_empty())
        .unwrap_or(kind);
    simple
        .strip_suffix("Installation")
        .filter(|s| !s.is_empty())
        .unwrap_or(simple)
}
