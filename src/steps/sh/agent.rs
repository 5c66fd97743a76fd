//! `sh` on an agent other than this machine (a container): the same control directory and
//! `sh -xe <copy>` command, run through [`Agent::exec`] with its output streamed line by line.
//! The workspace and its `@tmp` are mounted at their own paths, so the script's path is the
//! same inside.

use serde_json::Value;

use super::{ShArgs, StepContext, StepError};
use crate::agents::{Agent, ExecRequest};

pub(super) async fn execute(
    ctx: &StepContext,
    agent: &dyn Agent,
    args: &ShArgs,
    control: &std::path::Path,
) -> Result<Value, StepError> {
    let copy = control.join("script.sh.copy").display().to_string();
    let command = if args.script.starts_with("#!") {
        vec![copy]
    } else {
        vec!["sh".to_string(), "-xe".to_string(), copy]
    };
    let request = ExecRequest {
        argv: command,
        cwd: ctx.cwd.clone(),
        env: ctx
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        capture_stdout: args.return_stdout,
    };
    let charset = args.charset;
    let emit = ctx.emit.clone();
    let mut line = |bytes: &[u8]| emit.output(charset.decode(bytes));
    let cancel = ctx.cancel.clone();
    let cancelled = Box::pin(async move {
        cancel.cancelled().await;
    });
    let outcome = agent
        .exec(request, &mut line, cancelled)
        .await
        .map_err(|e| StepError::abort(e.with_hint()))?;
    let Some(code) = outcome.code else {
        ctx.emit.log("Sending interrupt signal to process");
        let reason = ctx.cancel.reason().unwrap_or_else(|| "interrupted".into());
        return Err(StepError::interrupted(&*reason));
    };
    super::finish(ctx, args, code, &outcome.stdout)
}
