//! The standard environment variables of a build (runtime-semantics.md §6.1), computed in this
//! one place. Jenkins sets some for the whole build and some only inside `node`; the two maps
//! are kept apart so the interpreter can layer them as Jenkins does (§3.2).

use std::path::Path;

use indexmap::IndexMap;

use super::{Build, Job};
use crate::steps::tmp_dir;

/// Jenkins' name for the controller's own node (`master` before 2.307).
pub(crate) const NODE_NAME: &str = "built-in";

/// The standard variables of one build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StandardVars {
    /// Set for the whole build (`Run.getEnvironment`): `BUILD_*`, `JOB_*`, `JENKINS_*`, `CI`,
    /// `BRANCH_NAME`, parameters.
    pub build: IndexMap<String, String>,
    /// Set by `node` (`NODE_NAME`, `NODE_LABELS`, `EXECUTOR_NUMBER`, `WORKSPACE`,
    /// `WORKSPACE_TMP`, `JENKINS_NODE_COOKIE`), on top of the host environment.
    pub node: IndexMap<String, String>,
}

impl StandardVars {
    /// `params` are the build's parameters, already stringified.
    #[must_use]
    pub fn new(
        job: &Job,
        build: &Build,
        workspace: &Path,
        branch: Option<&str>,
        params: &IndexMap<String, String>,
    ) -> Self {
        let mut vars = IndexMap::new();
        let mut set = |name: &str, value: String| {
            vars.insert(name.to_owned(), value);
        };
        let number = build.number.to_string();
        set("BUILD_NUMBER", number.clone());
        set("BUILD_ID", number.clone());
        set("BUILD_DISPLAY_NAME", format!("#{number}"));
        set(
            "BUILD_TAG",
            format!("jenkins-{}-{number}", job.name.replace('/', "-")),
        );
        // There is no server URL; the record directory is where the build "lives".
        set("BUILD_URL", file_url(&build.dir));
        set("JOB_NAME", job.name.clone());
        set("JOB_BASE_NAME", job.base_name().to_owned());
        set("JOB_URL", file_url(&job.dir));
        set("JENKINS_URL", file_url(&job.home));
        set("JENKINS_HOME", job.home.display().to_string());
        set("CI", "true".to_owned());
        set("CLASSPATH", String::new());
        if let Some(branch) = branch {
            set("BRANCH_NAME", branch.to_owned());
        }
        for (name, value) in params {
            set(name, value.clone());
        }
        let mut node = IndexMap::new();
        node.insert("NODE_NAME".to_owned(), NODE_NAME.to_owned());
        node.insert("NODE_LABELS".to_owned(), NODE_NAME.to_owned());
        node.insert("EXECUTOR_NUMBER".to_owned(), "0".to_owned());
        node.insert("WORKSPACE".to_owned(), workspace.display().to_string());
        node.insert(
            "WORKSPACE_TMP".to_owned(),
            tmp_dir(workspace).display().to_string(),
        );
        node.insert("JENKINS_NODE_COOKIE".to_owned(), node_cookie(build));
        Self { build: vars, node }
    }
}

/// `file:///path/` with a trailing slash, as Jenkins' URLs end in one. Only the characters that
/// would break the URL are escaped.
fn file_url(dir: &Path) -> String {
    let mut url = String::from("file://");
    for c in dir.display().to_string().chars() {
        match c {
            ' ' => url.push_str("%20"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            '%' => url.push_str("%25"),
            _ => url.push(c),
        }
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// A per-build identifier in UUID form (Jenkins uses a random UUID).
fn node_cookie(build: &Build) -> String {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    build.dir.hash(&mut hasher);
    let a = hasher.finish();
    build.number.hash(&mut hasher);
    let b = hasher.finish();
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}
