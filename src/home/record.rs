//! `build.json`: what a finished build leaves behind for `currentBuild.previousBuild`, the
//! `builds` command and people reading the home by hand.

use std::io;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// One build's record. Field names are stable: other runs read them back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRecord {
    pub job: String,
    pub number: u64,
    /// `SUCCESS`, `UNSTABLE`, `FAILURE`, `NOT_BUILT` or `ABORTED`.
    pub result: String,
    /// `currentBuild.displayName` when the build set it.
    #[serde(default)]
    pub display_name: Option<String>,
    /// `currentBuild.description` when the build set it.
    #[serde(default)]
    pub description: Option<String>,
    pub start_time_ms: u64,
    pub duration_ms: u64,
    pub jenkinsfile: String,
    pub branch: Option<String>,
    pub git_commit: Option<String>,
    pub parameters: IndexMap<String, String>,
    pub stages: Vec<StageRecord>,
    pub artifacts: Vec<Artifact>,
    /// Run with `--stage`, `--skip-stage` or `--from-stage`: not a build of the whole
    /// pipeline, so later builds do not compare themselves with it (`changed`, `fixed`, …).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// One stage as it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub name: String,
    pub result: String,
    pub skipped: bool,
    pub duration_ms: u64,
}

/// One archived file, relative to `archive/`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    pub path: String,
    pub size: u64,
    /// The sha256 recorded by `archiveArtifacts fingerprint: true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl BuildRecord {
    pub fn read(path: &Path) -> io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(io::Error::other)
    }

    /// Writes the record atomically (temp file, then rename), so readers never see half.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        text.push('\n');
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, path)
    }
}

/// Every file under `archive/`, sorted, with `/`-separated relative paths.
pub(super) fn list_artifacts(archive: &Path) -> Vec<Artifact> {
    let prints: IndexMap<String, String> = archive
        .parent()
        .and_then(|build| std::fs::read_to_string(build.join("fingerprints.json")).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut stack = vec![archive.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(path),
                Ok(kind) if kind.is_file() => {
                    let relative = path.strip_prefix(archive).unwrap_or(&path);
                    let parts: Vec<String> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    let path = parts.join("/");
                    found.push(Artifact {
                        sha256: prints.get(&path).cloned(),
                        path,
                        size: entry.metadata().map_or(0, |m| m.len()),
                    });
                }
                _ => {}
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}
