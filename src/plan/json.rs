//! `--format json`: the [`Plan`] as one pretty-printed JSON document (schema in the README).

use super::model::Plan;

#[must_use]
pub fn render(plan: &Plan) -> String {
    let mut text =
        serde_json::to_string_pretty(plan).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
