//! `options { checkoutToSubdirectory('sub') }`: the default checkout goes into
//! `$WORKSPACE/sub`, as Jenkins' `CheckoutScript` wraps `checkout scm` in `dir('sub')`; the
//! stages still run at the top of the workspace.

use super::Run;
use super::wrap::{Fut, block};
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::R;
use crate::eval::pipeline::resolve_dir;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;

/// The root option's directory, if set and not empty.
pub(super) async fn checkout_subdirectory(run: &Run<'_>, cx: &Cx) -> R<Option<String>> {
    let Some(option) = run
        .model
        .options
        .iter()
        .flatten()
        .find(|o| o.name.node == "checkoutToSubdirectory")
    else {
        return Ok(None);
    };
    let Some(expr) = option.arg("value", Some("value")) else {
        return Ok(None);
    };
    let sub = to_string(&run.interp.eval(expr, cx).await?);
    Ok((!sub.trim().is_empty()).then_some(sub))
}

/// `dir(sub) { body }` with the `dir` step's console lines.
pub(super) async fn in_dir<'a, T>(
    run: &Run<'a>,
    cx: &Cx,
    sub: &str,
    body: impl FnOnce(Cx) -> Fut<'a, T>,
) -> R<T> {
    let workspace = run.host.state.config.host.workspace.clone();
    let dir = resolve_dir(cx, &workspace, sub);
    let line = format!("Running in {}", dir.display());
    let dynamic = Dynamic {
        cwd: Some(dir),
        ..(*cx.dynamic).clone()
    };
    block(run, cx, "dir", vec![line], dynamic, body).await
}
