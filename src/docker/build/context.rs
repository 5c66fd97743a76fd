//! The build context as the engine receives it: a tar of the context directory minus what
//! `.dockerignore` leaves out, symlinks kept as links, entries in a stable (sorted) order. The
//! Dockerfile and `.dockerignore` always go (the CLI re-includes them the same way); a
//! Dockerfile outside the context is added under a name of its own, as the CLI does.

use std::path::Path;

use super::ignore::DockerIgnore;

/// Where an outside Dockerfile goes in the tar.
const OUTSIDE_DOCKERFILE: &str = ".dockerfile.jenkinsfile";

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
    walk(context, "", &ignore, &always, &mut builder)?;
    let dockerfile_name = if let Some(rel) = inside {
        rel
    } else {
        let text =
            std::fs::read(dockerfile).map_err(|e| format!("{}: {e}", dockerfile.display()))?;
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, OUTSIDE_DOCKERFILE, text.as_slice())
            .map_err(|e| e.to_string())?;
        OUTSIDE_DOCKERFILE.to_string()
    };
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
            walk(&path, &rel, ignore, always, builder)?;
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
                "src/",
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
        assert_eq!(packed.dockerfile, ".dockerfile.jenkinsfile");
        assert_eq!(names(&packed.tar), ["a", ".dockerfile.jenkinsfile"]);
    }
}
