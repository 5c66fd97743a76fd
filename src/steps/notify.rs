//! `emailext` and `slackSend` (email-ext, slack): like `mail`, a local run has no mail server
//! and no Slack workspace, so each prints one line saying what it would send (recipients and
//! subject, or channel and message; never a token) and returns what Jenkins returns when
//! nothing was delivered.

use serde_json::Value;

use super::args::optional_str;
use super::{Args, StepContext, StepFuture};

/// `emailext` returns null in Jenkins too.
pub(crate) fn emailext(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let to = optional_str("emailext", &args, "to")?.filter(|t| !t.trim().is_empty());
        let providers = args
            .get("recipientProviders")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let to = match (to, providers) {
            (Some(to), 0) => to,
            (Some(to), n) => format!("{to} and {n} recipient provider(s)"),
            (None, 0) => "(no recipients)".to_owned(),
            (None, n) => format!("{n} recipient provider(s)"),
        };
        // email-ext's own defaults, which a Jenkins administrator would have configured.
        let subject = optional_str("emailext", &args, "subject")?
            .unwrap_or_else(|| "$DEFAULT_SUBJECT".to_owned());
        ctx.emit.log(format!(
            "emailext (printed, not sent: no mail server locally): to {to}, subject: {subject}"
        ));
        Ok(Value::Null)
    })
}

/// `slackSend` returns a response object when a message was posted and null when it was not
/// (with `failOnError: false`, the default): here nothing is posted, so null.
pub(crate) fn slack_send(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let channel = optional_str("slackSend", &args, "channel")?
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| "(the default channel)".to_owned());
        // One line: a multi-line message is shown on one.
        let message = optional_str("slackSend", &args, "message")?
            .unwrap_or_default()
            .replace('\n', " ");
        ctx.emit.log(format!(
            "slackSend (printed, not sent: no Slack locally): channel {channel}, message: {message}"
        ));
        Ok(Value::Null)
    })
}
