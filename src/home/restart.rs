//! `--from-stage` is Jenkins' "Restart from Stage". Jenkins copies the stashes of the build it
//! restarts into the new build before it runs (`StashManager.copyAll`), so `unstash` in the
//! restarted stages finds what the skipped stages stashed. Stashes outlive their build only
//! under `preserveStashes`, so the build restarted here is the newest finished one that kept
//! some.

use crate::steps::{StashOrigin, copy_stashes};

use super::{Build, Job};

/// Starts `build`, restarted from `stage`, with the preserved stashes of the newest finished
/// build that has any. Returns where they came from and the lines to print first.
pub(super) fn restore_stashes(job: &Job, build: &Build, stage: &str) -> (StashOrigin, Vec<String>) {
    let Some((number, dir)) = restarted_build(job, build.number) else {
        return (
            StashOrigin::Restarted {
                stage: stage.to_owned(),
                from: None,
            },
            Vec::new(),
        );
    };
    // Jenkins' cause for a restarted build (`RestartDeclarativePipelineCause`).
    let mut lines = vec![format!("Restarted from build #{number}, stage {stage}")];
    if let Err(e) = copy_stashes(&dir.join("stashes"), &build.dir.join("stashes")) {
        lines.push(format!(
            "Warning: cannot copy the stashes of build #{number}: {e}"
        ));
    }
    let origin = StashOrigin::Restarted {
        stage: stage.to_owned(),
        from: Some(number),
    };
    (origin, lines)
}

/// The newest build before `current` that finished (has its record) and kept its stashes.
fn restarted_build(job: &Job, current: u64) -> Option<(u64, std::path::PathBuf)> {
    let mut numbers: Vec<u64> = std::fs::read_dir(job.builds_dir())
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter(|n| *n < current)
        .collect();
    numbers.sort_unstable();
    numbers.into_iter().rev().find_map(|n| {
        let dir = job.builds_dir().join(n.to_string());
        (dir.join("build.json").is_file() && dir.join("stashes").is_dir()).then_some((n, dir))
    })
}
