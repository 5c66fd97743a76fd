//! Which files of the working tree a run's `checkout scm` brings into the workspace: the
//! tracked ones and the untracked ones git does not ignore (`git ls-files --cached` and
//! `--others --exclude-standard`), never `.jenkinsfile/`. A plan starts no process, so it
//! reads the index and the ignore files itself: an ignored `.env` or `node_modules/` the run
//! leaves behind must not be read (or shown) by the plan as if it were in the workspace.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use ignore::Match;
use ignore::gitignore::Gitignore;

/// The working tree at `root` as a checkout would copy it.
#[derive(Debug)]
pub(super) struct Brought {
    root: PathBuf,
    /// The index's paths (`/`-separated), or `None` when the index could not be read: then
    /// every file counts as tracked and nothing is hidden.
    tracked: Option<HashSet<String>>,
    /// `.gitignore` files, by the directory they are in (relative; `""` is the root).
    ignores: BTreeMap<String, Option<Gitignore>>,
    /// `.git/info/exclude`, then the user's excludes file: the lowest precedence.
    base: Vec<Gitignore>,
}

impl Brought {
    pub(super) fn load(root: &Path) -> Brought {
        let git_dir = super::repo::git_dir(root);
        let tracked = match &git_dir {
            Some(dir) => match std::fs::read(dir.join("index")) {
                Ok(bytes) => index_paths(&bytes, hash_len(root)),
                // A repository without an index tracks nothing yet.
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Some(HashSet::new()),
                Err(_) => None,
            },
            None => None,
        };
        let mut base = Vec::new();
        if let Some(common) = super::repo::common_dir(root) {
            let exclude = common.join("info").join("exclude");
            if exclude.is_file() {
                base.push(Gitignore::new(&exclude).0);
            }
        }
        base.push(Gitignore::global().0);
        Brought {
            root: root.to_path_buf(),
            tracked,
            ignores: BTreeMap::new(),
            base,
        }
    }

    /// Whether a checkout brings `relative` (a path under the tree).
    pub(super) fn brings(&mut self, relative: &Path) -> bool {
        let parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if parts.iter().any(|p| p == ".jenkinsfile" || p == ".git") {
            return false;
        }
        let Some(tracked) = &self.tracked else {
            return true;
        };
        let key = parts.join("/");
        if tracked.contains(&key) {
            return true;
        }
        // Untracked: brought unless it, or a directory above it, is ignored.
        for end in 1..=parts.len() {
            let is_dir = end < parts.len();
            if self.ignored(&parts[..end], is_dir) {
                return false;
            }
        }
        true
    }

    /// git's verdict on one path: the `.gitignore` nearest to it that has a say decides,
    /// then `info/exclude`, then the user's file.
    fn ignored(&mut self, parts: &[String], is_dir: bool) -> bool {
        let path = self.root.join(parts.join("/"));
        for depth in (0..parts.len()).rev() {
            let dir = parts[..depth].join("/");
            let file = self.root.join(&dir).join(".gitignore");
            let matcher = self
                .ignores
                .entry(dir)
                .or_insert_with(|| file.is_file().then(|| Gitignore::new(&file).0));
            if let Some(matcher) = matcher {
                match matcher.matched(&path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        for matcher in &self.base {
            match matcher.matched(&path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

/// The length of an object id: 32 bytes in a SHA-256 repository, else 20.
fn hash_len(root: &Path) -> usize {
    let config = super::repo::common_dir(root).map(|common| common.join("config"));
    let sha256 = config
        .and_then(|c| std::fs::read_to_string(c).ok())
        .is_some_and(|text| {
            text.lines().any(|l| {
                l.replace(' ', "")
                    .eq_ignore_ascii_case("objectformat=sha256")
            })
        });
    if sha256 { 32 } else { 20 }
}

/// The paths of a git index (`Documentation/gitformat-index.txt`, versions 2 to 4), or
/// `None` when it is not one this reads.
fn index_paths(bytes: &[u8], hash_len: usize) -> Option<HashSet<String>> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = u32_at(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = usize::try_from(u32_at(8)?).ok()?;
    let mut paths = HashSet::with_capacity(count);
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        // ctime, mtime, dev, ino, mode, uid, gid, size: ten 32-bit fields, then the id.
        at += 40 + hash_len;
        let flags = u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?);
        at += 2;
        if version >= 3 && flags & 0x4000 != 0 {
            at += 2;
        }
        let name = if version == 4 {
            // The path is the previous one less N bytes, plus a NUL-terminated suffix.
            let (strip, used) = offset_varint(bytes.get(at..)?)?;
            at += used;
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(strip)?;
            let mut name = previous[..keep].to_vec();
            name.extend_from_slice(&bytes[at..end]);
            at = end + 1;
            name
        } else {
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let name = bytes[at..end].to_vec();
            // Entries are padded with 1 to 8 NULs to a multiple of eight bytes.
            at = start + ((end - start + 8) & !7);
            name
        };
        paths.insert(String::from_utf8_lossy(&name).into_owned());
        previous = name;
    }
    Some(paths)
}

/// git's offset varint (`varint.c`): seven bits a byte, each continuation adding one.
fn offset_varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut used = 0;
    let mut c = *bytes.first()?;
    used += 1;
    let mut value = usize::from(c & 0x7f);
    while c & 0x80 != 0 {
        c = *bytes.get(used)?;
        used += 1;
        value = ((value + 1) << 7) | usize::from(c & 0x7f);
    }
    Some((value, used))
}

#[cfg(test)]
mod tests {
    use super::offset_varint;

    #[test]
    fn offset_varints_add_one_per_continuation() {
        assert_eq!(offset_varint(&[0x05]), Some((5, 1)));
        assert_eq!(offset_varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(offset_varint(&[0x81, 0x7f]), Some((383, 2)));
        assert_eq!(offset_varint(&[0x80]), None);
    }
}
