//! The build context as the engine receives it: a tar of the context directory minus what
//! `.dockerignore` leaves out, symlinks kept as links, entries in a stable (sorted) order. The
//! Dockerfile and `.dockerignore` always go (the CLI re-includes them the same way). A
//! Dockerfile outside the context is added as the CLI adds it: under a random
//! `.dockerfile.<hex>` name that the tar's `.dockerignore` (only the tar's, never the file on
//! disk) also lists, so the engine reads it as the Dockerfile but `COPY . .` does not see it.

use std::path::Path;

use super::ignore::DockerIgnore;

/// A name for an outside Dockerfile: `.dockerfile.` and 20 hex digits, as the CLI picks.
fn outside_name(dockerfile: &Path) -> String {
    use sha2::{Digest as _, Sha256};
    use std::fmt::Write as _;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{nanos}:{}:{}", std::process::id(), dockerfile.display());
    let digest = Sha256::digest(seed.as_bytes());
    digest
        .iter()
        .take(10)
        .fold(".dockerfile.".to_string(), |mut name, b| {
            let _ = write!(name, "{b:02x}");
            name
        })
}

fn append_file(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) -> Result<(), String> {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    builder
        .append_data(&mut header, name, data)
        .map_err(|e| e.to_string())
}

/// The tar and the Dockerfile's path inside it.
pub(super) struct Packed {
    pub tar: Vec<u8>,
    pub dockerfile: String,
}

/// Packs `context` (a directory) for a build of `dockerfile`.
pub(super) fn pack(context: &Path, dockerfile: &Path) -> Result<Packed, String> {
    let ignore = match std::fs::read_to_string(context.join(".dockerignore")) {
        Ok(text) => DockerIgnore::parse(&text)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DockerIgnore::default(),
        Err(e) => return Err(format!("cannot read .dockerignore: {e}")),
    };
    let canonical_context = context
        .canonicalize()
        .map_err(|e| format!("{}: {e}", context.display()))?;
    let canonical_dockerfile = dockerfile
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dockerfile.display()))?;
    let inside = canonical_dockerfile
        .strip_prefix(&canonical_context)
        .ok()
        .map(|rel| rel.to_string_lossy().replace('\\', "/"));
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    let always: Vec<String> = [Some(".dockerignore".to_string()), inside.clone()]
        .into_iter()
        .flatten()
        .collect();
    if let Some(rel) = inside {
        walk(context, "", &ignore, &always, &[], &mut builder)?;
        let tar = builder.into_inner().map_err(|e| e.to_string())?;
        return Ok(Packed {
            tar,
            dockerfile: rel,
        });
    }
    // The tar's own `.dockerignore` replaces the one on disk.
    let skip = [".dockerignore".to_string()];
    walk(context, "", &ignore, &always, &skip, &mut builder)?;
    let text = std::fs::read(dockerfile).map_err(|e| format!("{}: {e}", dockerfile.display()))?;
    let name = outside_name(dockerfile);
    append_file(&mut builder, &name, &text)?;
    let mut ignore_text = match std::fs::read_to_string(context.join(".dockerignore")) {
        Ok(existing) => existing,
        Err(_) => ".dockerignore".to_string(),
    };
    ignore_text.push('\n');
    ignore_text.push_str(&name);
    ignore_text.push('\n');
    append_file(&mut builder, ".dockerignore", ignore_text.as_bytes())?;
    let dockerfile_name = name;
    let tar = builder.into_inner().map_err(|e| e.to_string())?;
    Ok(Packed {
        tar,
        dockerfile: dockerfile_name,
    })
}

fn walk(
    dir: &Path,
    prefix: &str,
    ignore: &DockerIgnore,
    always: &[String],
    skip: &[String],
    builder: &mut tar::Builder<Vec<u8>>,
) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if skip.contains(&rel) {
            continue;
        }
        let excluded = ignore.excludes(&rel) && !always.contains(&rel);
        if kind.is_dir() {
            // An excluded directory is still walked when an exception or an always-sent file
            // may bring something under it back.
            let needed = always.iter().any(|a| a.starts_with(&format!("{rel}/")));
            if excluded && !ignore.has_exceptions() && !needed {
                continue;
            }
            if !excluded {
                builder
                    .append_dir(&rel, &path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
            walk(&path, &rel, ignore, always, skip, builder)?;
        } else if !excluded {
            builder
                .append_path_with_name(&path, &rel)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::pack;

    fn contents(tar: &[u8], name: &str) -> String {
        use std::io::Read as _;
        let mut archive = tar::Archive::new(tar);
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            if entry.path().unwrap().to_string_lossy() == name {
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                return text;
            }
        }
        panic!("{name} not in the tar");
    }

    fn names(tar: &[u8]) -> Vec<String> {
        let mut archive = tar::Archive::new(tar);
        archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn ignored_files_stay_out_and_the_dockerfile_always_goes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::write(
            root.join(".dockerignore"),
            "Dockerfile\n.dockerignore\n*.txt\n!keep.txt\ncache\n",
        )
        .unwrap();
        std::fs::write(root.join("ignored.txt"), "x").unwrap();
        std::fs::write(root.join("keep.txt"), "x").unwrap();
        std::fs::create_dir_all(root.join("cache/deep")).unwrap();
        std::fs::write(root.join("cache/deep/blob"), "x").unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/main.c"), "x").unwrap();
        let packed = pack(root, &root.join("Dockerfile")).unwrap();
        assert_eq!(packed.dockerfile, "Dockerfile");
        assert_eq!(
            names(&packed.tar),
            [
                ".dockerignore",
                "Dockerfile",
                "keep.txt",
                "src",
                "src/main.c"
            ]
        );
    }

    #[test]
    fn a_dockerfile_outside_the_context_is_added() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ctx")).unwrap();
        std::fs::write(dir.path().join("ctx/a"), "x").unwrap();
        std::fs::write(dir.path().join("Dockerfile.ci"), "FROM scratch\n").unwrap();
        let packed = pack(&dir.path().join("ctx"), &dir.path().join("Dockerfile.ci")).unwrap();
        let name = packed.dockerfile.clone();
        assert!(
            name.starts_with(".dockerfile.") && name.len() == 32,
            "{name}"
        );
        assert_eq!(names(&packed.tar), ["a", name.as_str(), ".dockerignore"]);
        // The tar's .dockerignore hides the Dockerfile from COPY; the disk has none.
        assert_eq!(
            contents(&packed.tar, ".dockerignore"),
            format!(".dockerignore\n{name}\n")
        );
        assert!(!dir.path().join("ctx/.dockerignore").exists());
        // An existing .dockerignore keeps its lines, in the tar only.
        std::fs::write(dir.path().join("ctx/.dockerignore"), "*.log").unwrap();
        let packed = pack(&dir.path().join("ctx"), &dir.path().join("Dockerfile.ci")).unwrap();
        assert_eq!(
            contents(&packed.tar, ".dockerignore"),
            format!("*.log\n{}\n", packed.dockerfile)
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("ctx/.dockerignore")).unwrap(),
            "*.log"
        );
    }
}
