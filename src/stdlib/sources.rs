//! The stub files compiled into the binary. Adding a stub file means adding one line here.

use super::load::{Section, Stub};

macro_rules! stub {
    ($section:ident, $path:literal) => {
        Stub {
            section: Section::$section,
            path: $path,
            text: include_str!(concat!("../../stdlib/", $path)),
        }
    };
}

pub(crate) static STUBS: &[Stub] = &[
    stub!(Steps, "steps/shell.groovy"),
    stub!(Steps, "steps/basic.groovy"),
    stub!(Steps, "steps/flow.groovy"),
    stub!(Steps, "steps/scm.groovy"),
    stub!(Steps, "steps/files.groovy"),
    stub!(Steps, "steps/utility.groovy"),
    stub!(Steps, "steps/credentials.groovy"),
    stub!(Steps, "steps/docker.groovy"),
    stub!(Steps, "steps/aws.groovy"),
    stub!(Steps, "steps/kubernetes.groovy"),
    stub!(Steps, "steps/notify.groovy"),
    stub!(Steps, "steps/reports.groovy"),
    stub!(Steps, "steps/buildtools.groovy"),
    stub!(Symbols, "symbols/credentials.groovy"),
    stub!(Symbols, "symbols/parameters.groovy"),
    stub!(Symbols, "symbols/properties.groovy"),
    stub!(Symbols, "symbols/triggers.groovy"),
    stub!(Symbols, "symbols/kubernetes.groovy"),
    stub!(Symbols, "symbols/recipients.groovy"),
    stub!(Symbols, "symbols/analysis.groovy"),
    stub!(Symbols, "symbols/scm.groovy"),
    stub!(Globals, "globals/env.groovy"),
    stub!(Globals, "globals/currentBuild.groovy"),
    stub!(Globals, "globals/scm.groovy"),
    stub!(Globals, "globals/docker.groovy"),
];

#[cfg(test)]
mod tests {
    use super::STUBS;

    /// A stub file on disk that is not listed above would silently be left out.
    #[test]
    fn every_stub_file_is_compiled_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib");
        let mut on_disk = Vec::new();
        for section in ["steps", "symbols", "globals"] {
            for entry in std::fs::read_dir(root.join(section)).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                if name.ends_with(".groovy") {
                    on_disk.push(format!("{section}/{name}"));
                }
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = STUBS.iter().map(|s| s.path.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
    }
}
