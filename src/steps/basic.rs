//! `echo`, `error`, `isUnix`, `mail` and `sleep` (workflow-basic-steps, runtime-semantics.md
//! §10.1 and §5.11).

use std::time::Duration;

use serde_json::Value;

use super::args::{optional_f64, optional_str, required_str};
use super::{Args, StepContext, StepError, StepFuture};
use crate::report::timespan;

pub(crate) fn echo(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let message = optional_str("echo", &args, "message")?.unwrap_or_default();
        ctx.emit.output(format!("{message}\n"));
        Ok(Value::Null)
    })
}

/// `error 'msg'` throws `hudson.AbortException(msg)`; nothing is printed here.
pub(crate) fn error(_: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let message = required_str("error", &args, "message")?;
        Err(StepError::abort(message))
    })
}

pub(crate) fn is_unix(_: &StepContext, _: Args) -> StepFuture<'_> {
    Box::pin(async { Ok(Value::Bool(cfg!(unix))) })
}

/// `mail` prints the message it would send: there is no mail server configured locally.
pub(crate) fn mail(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let subject = required_str("mail", &args, "subject")?;
        let body = required_str("mail", &args, "body")?;
        ctx.emit
            .log("mail (printed, not sent: no mail server locally)");
        for header in ["from", "to", "cc", "bcc", "replyTo", "charset", "mimeType"] {
            if let Some(value) = optional_str("mail", &args, header)? {
                ctx.emit.log(format!("{header}: {value}"));
            }
        }
        ctx.emit.log(format!("subject: {subject}"));
        let mut text = body;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        ctx.emit.output(text);
        Ok(Value::Null)
    })
}

/// `sleep(time: N, unit: 'SECONDS')`: logs `Sleeping for <span>` and waits, or stops early
/// when cancelled.
pub(crate) fn sleep(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let time = optional_f64("sleep", &args, "time")?.ok_or_else(|| {
            StepError::failure(
                "java.lang.IllegalArgumentException: sleep is missing required parameter 'time'",
            )
        })?;
        let unit = optional_str("sleep", &args, "unit")?.unwrap_or_else(|| "SECONDS".to_owned());
        let per_unit_ms: f64 = match unit.to_ascii_uppercase().as_str() {
            "NANOSECONDS" => 1e-6,
            "MICROSECONDS" => 1e-3,
            "MILLISECONDS" => 1.0,
            "SECONDS" => 1e3,
            "MINUTES" => 60e3,
            "HOURS" => 3_600e3,
            "DAYS" => 86_400e3,
            _ => {
                return Err(StepError::failure(format!(
                    "java.lang.IllegalArgumentException: No enum constant java.util.concurrent.TimeUnit.{unit}"
                )));
            }
        };
        // Jenkins' `time` is a long: a fraction is cut off before the unit applies.
        // Non-negative and far below 2^64 for any sleep a build could mean; `as` saturates.
        #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
        let millis = (time.trunc().max(0.0) * per_unit_ms) as u64;
        ctx.emit.log(format!("Sleeping for {}", timespan(millis)));
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(millis)) => Ok(Value::Null),
            reason = ctx.cancel.cancelled() => Err(StepError::interrupted(&*reason)),
        }
    })
}
