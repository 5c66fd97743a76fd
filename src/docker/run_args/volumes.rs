//! `-v source:target[:mode]` sources, read as the docker CLI reads them: a source starting
//! with `/` or `~` is a host path, one starting with `.` is a host path relative to where the
//! command runs (the CLI makes it absolute; here, the step's directory), and any other is
//! the name of a volume. `-v build:/out` therefore mounts a volume called `build`, not the
//! workspace's `build` directory; when the workspace has such an entry the log says so.

use std::path::Path;

use crate::steps::lexical;

/// The bind as the engine should get it, and a note for the log.
pub(super) fn bind(value: &str, cwd: &Path) -> (String, Option<String>) {
    let Some((source, rest)) = value.split_once(':') else {
        // `-v /path`: an anonymous volume at that path.
        return (value.to_string(), None);
    };
    if source.starts_with('.') {
        // `filepath.Abs` after the join: `.` dropped, `..` taken back.
        let absolute = lexical(&cwd.join(source));
        return (format!("{}:{rest}", absolute.display()), None);
    }
    if source.is_empty() || source.starts_with('/') || source.starts_with('~') {
        return (value.to_string(), None);
    }
    let local = cwd.join(source);
    let note = local.symlink_metadata().is_ok().then(|| {
        format!(
            "Note: -v {value} mounts the volume named `{source}`, not {}: as with the docker CLI, a source that does not start with /, . or ~ names a volume; write -v ./{value} to mount the directory",
            local.display()
        )
    });
    (value.to_string(), note)
}

#[cfg(test)]
mod tests {
    use super::bind;

    #[test]
    fn sources_are_paths_or_volume_names_as_for_the_cli() {
        let ws = tempfile::tempdir().unwrap();
        std::fs::create_dir(ws.path().join("build")).unwrap();
        let cwd = ws.path();
        let (b, note) = bind("./out/../build:/x:ro", cwd);
        assert_eq!(b, format!("{}/build:/x:ro", cwd.display()));
        assert_eq!(note, None);
        assert_eq!(bind("/abs:/x", cwd), ("/abs:/x".to_string(), None));
        assert_eq!(bind("/anon", cwd), ("/anon".to_string(), None));
        assert_eq!(bind("cache:/x", cwd), ("cache:/x".to_string(), None));
        let (b, note) = bind("build:/x", cwd);
        assert_eq!(b, "build:/x");
        let note = note.unwrap();
        assert!(
            note.contains("mounts the volume named `build`")
                && note.contains(&cwd.join("build").display().to_string())
                && note.contains("write -v ./build:/x"),
            "{note}"
        );
    }
}
