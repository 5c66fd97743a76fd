//! The docker CLI fallback, for build flags the engine API cannot express here (`--secret`,
//! `--ssh`, `--platform`, …): `docker build` runs as a child process against the same engine
//! (`DOCKER_HOST` is inherited), its output streamed line by line, and the image id read back
//! with `docker image inspect`.

use std::path::Path;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::Command;

use super::BuildRequest;
use crate::docker::Error;

pub(super) async fn build(
    req: &BuildRequest,
    cwd: &Path,
    out: &mut dyn FnMut(&str),
) -> Result<String, Error> {
    let failed = |reason: String| Error::Engine {
        during: format!("build of {}", req.tag),
        reason,
    };
    let mut args = vec!["build".to_string(), "-t".to_string(), req.tag.clone()];
    if req.pull {
        args.push("--pull".into());
    }
    if req.no_cache {
        args.push("--no-cache".into());
    }
    for (k, v) in &req.build_args {
        args.extend(["--build-arg".to_string(), format!("{k}={v}")]);
    }
    for (k, v) in &req.labels {
        args.extend(["--label".to_string(), format!("{k}={v}")]);
    }
    if let Some(t) = &req.target {
        args.extend(["--target".to_string(), t.clone()]);
    }
    args.extend(req.cli_only.iter().cloned());
    if let Some(f) = &req.dockerfile {
        args.extend(["-f".to_string(), f.clone()]);
    }
    args.push(req.context.clone());
    let mut child = Command::new("docker")
        .args(&args)
        .current_dir(cwd)
        .env("BUILDKIT_PROGRESS", "plain")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| failed(format!("cannot run the docker CLI: {e}")))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(failed("the docker CLI's output was not captured".into()));
    };
    let mut stdout = BufReader::new(stdout).lines();
    let mut stderr = BufReader::new(stderr).lines();
    let mut last = String::new();
    let (mut out_open, mut err_open) = (true, true);
    while out_open || err_open {
        tokio::select! {
            line = stdout.next_line(), if out_open => match line {
                Ok(Some(l)) => out(&l),
                _ => out_open = false,
            },
            line = stderr.next_line(), if err_open => match line {
                Ok(Some(l)) => {
                    out(&l);
                    if !l.trim().is_empty() {
                        last = l;
                    }
                }
                _ => err_open = false,
            },
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|e| failed(format!("the docker CLI: {e}")))?;
    if !status.success() {
        return Err(failed(if last.is_empty() {
            format!("the docker CLI exited with {status}")
        } else {
            last
        }));
    }
    let inspected = Command::new("docker")
        .args(["image", "inspect", "-f", "{{.Id}}", &req.tag])
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| failed(format!("cannot run the docker CLI: {e}")))?;
    Ok(String::from_utf8_lossy(&inspected.stdout)
        .trim()
        .to_string())
}
