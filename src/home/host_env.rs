//! Which of the user's environment variables reach the build (Jenkins' "agent OS
//! environment"). Secret-looking names are withheld unless passed explicitly: a local run must
//! not hand a cloud token to every script a Jenkinsfile happens to call.

use indexmap::IndexMap;

/// Kept by `--clean-env`, which passes nothing else.
pub const KEPT_BY_CLEAN_ENV: &[&str] = &["PATH", "HOME", "USER", "LANG", "TERM", "TMPDIR"];

/// Variables that point git at a repository. A run started from a git hook has them set to
/// the user's repository, where they would turn the workspace's `git checkout` and every
/// `sh 'git …'` into commands on the user's repository; so they never reach the build.
pub(super) const REPOSITORY_LOCATORS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
];

/// The environment a build starts from, and what was held back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostEnv {
    pub passed: IndexMap<String, String>,
    /// Names withheld as secret-looking (not those dropped by `--clean-env`), sorted.
    pub withheld: Vec<String>,
}

impl HostEnv {
    /// Filters `vars` (usually `std::env::vars()`). `pass` names go through whatever they look
    /// like; `clean` keeps only [`KEPT_BY_CLEAN_ENV`] and the `pass` names.
    pub fn filter(
        vars: impl IntoIterator<Item = (String, String)>,
        pass: &[String],
        clean: bool,
    ) -> Self {
        let mut env = Self::default();
        for (name, value) in vars {
            if REPOSITORY_LOCATORS.contains(&name.as_str()) {
                continue;
            }
            let explicit = pass.iter().any(|p| p == &name);
            if clean && !explicit && !KEPT_BY_CLEAN_ENV.contains(&name.as_str()) {
                continue;
            }
            if !explicit && looks_secret(&name) {
                env.withheld.push(name);
                continue;
            }
            env.passed.insert(name, value);
        }
        env.withheld.sort();
        env
    }

    /// The one line printed at the start of a run, if anything was withheld.
    #[must_use]
    pub fn withheld_note(&self) -> Option<String> {
        (!self.withheld.is_empty()).then(|| {
            format!(
                "Withheld secret-looking environment variables: {} (pass one with --pass-env NAME)",
                self.withheld.join(", ")
            )
        })
    }
}

/// Whether a variable name looks like it holds a credential: cloud and forge prefixes
/// (`AWS_*`, `GITHUB_*`, `GH_*`, `GITLAB_*`, `AZURE_*`, `GOOGLE_*`, `NPM_*`, `VAULT_*`), names
/// containing `TOKEN`, `SECRET`, `PASSWORD`, `PASSWD`, `PASSPHRASE`, `CREDENTIAL`, `PRIVATE`,
/// `JWT`, `COOKIE`, and names with a `_`-separated part that ends in `KEY` (`APIKEY`,
/// `API_KEY`), `AUTH` (`DOCKER_AUTH_CONFIG`) or `PASS`, is `PAT`, or is `SESSION`. Desktop
/// plumbing (`XDG_*`, `DBUS_*`, `SSH_AUTH_SOCK`) holds paths and ids, not secrets, and passes.
#[must_use]
pub fn looks_secret(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "AWS_", "GITHUB_", "GH_", "GITLAB_", "AZURE_", "GOOGLE_", "NPM_", "VAULT_",
    ];
    const HARMLESS: &[&str] = &["XDG_", "DBUS_"];
    const PARTS: &[&str] = &[
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "CREDENTIAL",
        "PRIVATE",
        "JWT",
        "COOKIE",
    ];
    let upper = name.to_ascii_uppercase();
    if upper == "SSH_AUTH_SOCK" || HARMLESS.iter().any(|p| upper.starts_with(p)) {
        return false;
    }
    PREFIXES.iter().any(|p| upper.starts_with(p))
        || PARTS.iter().any(|p| upper.contains(p))
        || upper.split('_').any(|word| {
            word.ends_with("KEY")
                || word.ends_with("AUTH")
                || word.ends_with("PASS")
                || word == "PAT"
                || word == "SESSION"
        })
}

#[cfg(test)]
mod tests {
    use super::{HostEnv, looks_secret};

    fn vars(names: &[&str]) -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| ((*n).to_owned(), format!("v-{n}")))
            .collect()
    }

    #[test]
    fn repository_locators_never_reach_the_build() {
        let env = HostEnv::filter(
            vars(&[
                "GIT_DIR",
                "GIT_WORK_TREE",
                "GIT_INDEX_FILE",
                "GIT_AUTHOR_NAME",
                "PATH",
            ]),
            &["GIT_DIR".to_owned()],
            false,
        );
        let names: Vec<&str> = env.passed.keys().map(String::as_str).collect();
        assert_eq!(names, ["GIT_AUTHOR_NAME", "PATH"]);
        assert!(env.withheld.is_empty());
    }

    #[test]
    fn secret_looking_names() {
        for name in [
            "AWS_SECRET_ACCESS_KEY",
            "AWS_PROFILE",
            "GITHUB_TOKEN",
            "NPM_TOKEN",
            "DB_PASSWORD",
            "MY_SECRET_THING",
            "SSH_PRIVATE_KEY",
            "SIGNING_KEY",
            "api_key",
            "GH_PAT",
            "APIKEY",
            "CI_JOB_JWT",
            "DOCKER_AUTH_CONFIG",
            "OAUTH",
            "DB_PASS",
            "MY_CREDENTIALS",
            "SITE_COOKIE",
            "APP_SESSION",
            "KEY",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "PATH",
            "HOME",
            "USER",
            "LANG",
            "TERM",
            "TMPDIR",
            "EDITOR",
            "KEYBOARD",
            "GIT_AUTHOR_NAME",
            "SSH_AUTH_SOCK",
            "XDG_SESSION_ID",
            "DBUS_SESSION_BUS_ADDRESS",
            "PASSTHROUGH_MODE",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn filter_withholds_passes_and_cleans() {
        let all = vars(&[
            "PATH",
            "HOME",
            "EDITOR",
            "GITHUB_TOKEN",
            "AWS_REGION",
            "DB_PASSWORD",
        ]);
        let env = HostEnv::filter(all.clone(), &["AWS_REGION".to_owned()], false);
        assert_eq!(
            env.passed.keys().collect::<Vec<_>>(),
            ["PATH", "HOME", "EDITOR", "AWS_REGION"]
        );
        assert_eq!(env.withheld, ["DB_PASSWORD", "GITHUB_TOKEN"]);
        assert_eq!(
            env.withheld_note().unwrap(),
            "Withheld secret-looking environment variables: DB_PASSWORD, GITHUB_TOKEN (pass one with --pass-env NAME)"
        );
        let clean = HostEnv::filter(all, &["GITHUB_TOKEN".to_owned()], true);
        assert_eq!(
            clean.passed.keys().collect::<Vec<_>>(),
            ["PATH", "HOME", "GITHUB_TOKEN"]
        );
        assert!(clean.withheld.is_empty());
    }
}
