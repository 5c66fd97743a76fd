//! What a workspace remembers of the untracked files its overlay brought, so that a rebuild
//! touches only what changed. Each file is recorded with the `lstat` stamp (size, mode,
//! inode, mtime and ctime to the nanosecond) of the user's file and of the copy made from
//! it. When a rebuild finds both unchanged, the copy is the file it would make again, so it
//! stays as it is; anything else (the user edited the file, the build wrote to the copy,
//! the file went away or became ignored) is removed and, if still wanted, copied again.
//!
//! The record lives inside the workspace's `.git`, out of the build's sight. A record in
//! the earlier format (names only) still lists what to remove; it just keeps nothing.

use std::collections::HashMap;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Where the record is, relative to the workspace.
const RECORD: &str = ".git/jenkinsfile-overlay";
/// The first field of a record that carries stamps.
const STAMPED: &str = "jenkinsfile-overlay/2";

/// One file's `lstat` as far as a change of content or mode shows in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stamp([i64; 8]);

impl Stamp {
    /// The stamp of `path` itself (a link is not followed); `None` when it is not there.
    pub(super) fn of(path: &Path) -> Option<Self> {
        std::fs::symlink_metadata(path)
            .ok()
            .map(|m| Self::from_meta(&m))
    }

    /// The stamp of an `lstat` already made.
    pub(super) fn from_meta(m: &std::fs::Metadata) -> Self {
        let big = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Self([
            big(m.size()),
            i64::from(m.mode()),
            big(m.ino()),
            big(m.dev()),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec(),
        ])
    }

    fn text(self) -> String {
        self.0.map(|v| v.to_string()).join(" ")
    }

    fn parse(text: &str) -> Option<Self> {
        let fields: Vec<i64> = text
            .split(' ')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        Some(Self(fields.try_into().ok()?))
    }
}

/// A brought file's stamps: the user's file, then the workspace's copy.
pub(super) type Stamps = (Stamp, Stamp);

/// The previous build's overlay: each file it brought, with its stamps when recorded.
pub(super) fn read(dest: &Path) -> Vec<(String, Option<Stamps>)> {
    let Ok(bytes) = std::fs::read(dest.join(RECORD)) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut fields = text.split('\0').filter(|f| !f.is_empty());
    if text.starts_with(STAMPED) {
        fields.next();
        let mut out = Vec::new();
        while let (Some(name), Some(stamps)) = (fields.next(), fields.next()) {
            let stamps = stamps
                .split_once('|')
                .and_then(|(a, b)| Some((Stamp::parse(a)?, Stamp::parse(b)?)));
            out.push((name.to_owned(), stamps));
        }
        out
    } else {
        fields.map(|name| (name.to_owned(), None)).collect()
    }
}

/// Records what this overlay brought.
pub(super) fn write(dest: &Path, brought: &[(String, Option<Stamps>)]) -> io::Result<()> {
    let mut text = String::from(STAMPED);
    text.push('\0');
    for (name, stamps) in brought {
        text.push_str(name);
        text.push('\0');
        if let Some((from, to)) = stamps {
            text.push_str(&from.text());
            text.push('|');
            text.push_str(&to.text());
        } else {
            text.push('-');
        }
        text.push('\0');
    }
    std::fs::write(dest.join(RECORD), text)
}

/// The files of the previous overlay kept in place, with their stamps.
#[derive(Debug, Default)]
pub(super) struct Kept(HashMap<String, Stamps>);

impl Kept {
    pub(super) fn insert(&mut self, name: String, stamps: Stamps) {
        self.0.insert(name, stamps);
    }

    /// Takes `name` out of the kept set; returns its stamps when `from` and `to` still
    /// carry them, so the copy can stay.
    pub(super) fn reuse(&mut self, name: &str, from: &Path, to: &Path) -> Option<Stamps> {
        let (src, dst) = self.0.remove(name)?;
        (Stamp::of(from) == Some(src) && Stamp::of(to) == Some(dst)).then_some((src, dst))
    }

    /// What was kept and is no longer wanted: each name with its copy's stamp.
    pub(super) fn leftovers(self) -> impl Iterator<Item = (String, Stamp)> {
        self.0.into_iter().map(|(name, (_, dst))| (name, dst))
    }
}

/// Removes the record (a missing one is fine).
pub(super) fn remove_record(dest: &Path) -> io::Result<()> {
    match std::fs::remove_file(dest.join(RECORD)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
