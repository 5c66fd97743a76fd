//! What the git plugin's extensions do to the working tree: `CleanBeforeCheckout` and
//! `CleanCheckout` (the client's `clean`: `git reset --hard`, then `git clean -fdx`, or
//! `-ffdx` to delete untracked nested repositories too), and `WipeWorkspace` (the work tree's
//! contents deleted before the checkout).

use super::command::Git;
pub(crate) use crate::home::delete_contents;
use crate::steps::StepError;

/// The client's `clean(deleteUntrackedNestedRepositories)`, with its console lines. Without a
/// valid HEAD there is nothing to reset to, and the clean goes ahead.
pub(crate) async fn clean(git: &Git<'_>, nested: bool) -> Result<(), StepError> {
    git.ctx.emit.log("Cleaning workspace");
    if git
        .probe(&["rev-parse", "--verify", "HEAD"])
        .await?
        .is_some()
    {
        git.ctx.emit.log("Resetting working tree");
        git.run(&["reset", "--hard"]).await?;
    } else {
        git.ctx.emit.log("No valid HEAD. Skipping the resetting");
    }
    // git leaves an untracked repository nested in the tree alone unless `-f` is doubled.
    git.run(&["clean", if nested { "-ffdx" } else { "-fdx" }])
        .await
}
