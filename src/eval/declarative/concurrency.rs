//! `options { disableConcurrentBuilds() }`: a lock file in the job's directory of the build
//! home, held for the whole run. Jenkins would queue the second build; a local run refuses
//! to start while another live build of the same job holds the lock.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::PathBuf;

use super::Run;
use super::agent::UNSUPPORTED;
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;

/// Removes the lock file when the run ends.
pub(super) struct Guard(PathBuf);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub(super) fn lock(run: &Run<'_>, _cx: &Cx) -> R<Option<Guard>> {
    let wanted = run
        .model
        .options
        .iter()
        .flatten()
        .any(|o| o.name.node == "disableConcurrentBuilds");
    if !wanted {
        return Ok(None);
    }
    let config = &run.host.state.config;
    let Some(job_dir) = config.host.build_dir.parent().and_then(|b| b.parent()) else {
        return Ok(None);
    };
    let path = job_dir.join("concurrent.lock");
    for _ in 0..2 {
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let _ = writeln!(file, "{} {}", config.build_number, std::process::id());
                return Ok(Some(Guard(path)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let mut parts = text.split_whitespace();
                let (build, pid) = (parts.next().unwrap_or("?"), parts.next().unwrap_or(""));
                let alive = !pid.is_empty() && std::path::Path::new("/proc").join(pid).exists();
                if alive {
                    return Err(Flow::exception(
                        UNSUPPORTED,
                        format!(
                            "disableConcurrentBuilds: build #{build} of this job is still running (lock {}); not starting a concurrent build",
                            path.display()
                        ),
                    )
                    .at(run.span));
                }
                // A lock left by a build that died: take it over.
                let _ = std::fs::remove_file(&path);
            }
            Err(_) => return Ok(None),
        }
    }
    Ok(None)
}
