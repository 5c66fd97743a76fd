//! Settings from `workspace/didChangeConfiguration`, turned into the same command-line layer
//! (`config::Overrides`) that `jenkinsfile lint` builds from its flags, so that the one
//! configuration loader merges them with `.jenkinsfile/config.toml` exactly as lint does.
//!
//! The JSON may be the settings object itself or wrapped in `{"jenkinsfile": {…}}`:
//! `configFile` (path), `rules` (code → `off`/`info`/`warning`/`error`), `disable` (codes),
//! `libraries` (name → path or git URL), `pluginCatalogue` (path), `allowedSteps` (names).

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::config::{self, Level, Loader, Overrides};
use crate::lint::LintOptions;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct Raw {
    config_file: Option<PathBuf>,
    rules: IndexMap<String, String>,
    disable: Vec<String>,
    libraries: IndexMap<String, String>,
    plugin_catalogue: Option<PathBuf>,
    allowed_steps: Vec<String>,
}

/// The keys of the settings object.
const KEYS: [&str; 6] = [
    "configFile",
    "rules",
    "disable",
    "libraries",
    "pluginCatalogue",
    "allowedSteps",
];

/// Reads the client's settings. `None` when the value holds nothing of ours: `null`, `{}`,
/// an object without our keys, or `{"jenkinsfile": null}` (clients send `{settings: null}`
/// when they sync no section, and expect the server to keep what it has or to pull); the
/// settings then stay as they are. `{"jenkinsfile": {}}` is an empty section: every default.
/// Under a `jenkinsfile` key an unknown key is an error (a typo); bare, the object may be the
/// editor's whole settings, so keys that are not ours are ignored. An unknown rule code is an
/// error too, so that it keeps the previous settings like a bad level does. Relative paths
/// are read against `root`, the workspace folder (editors do not agree on the server's
/// working directory).
pub fn from_json(value: &Value, root: &Path) -> Result<Option<Overrides>, String> {
    let ours;
    let value = if let Some(wrapped) = value.get("jenkinsfile") {
        wrapped
    } else {
        ours = match value.as_object() {
            Some(map) if map.keys().any(|k| KEYS.contains(&k.as_str())) => Value::Object(
                map.iter()
                    .filter(|(k, _)| KEYS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            Some(_) => Value::Null,
            None => value.clone(),
        };
        &ours
    };
    if value.is_null() {
        return Ok(None);
    }
    let raw: Raw =
        Raw::deserialize(value).map_err(|e| format!("invalid jenkinsfile settings: {e}"))?;
    let mut rules = IndexMap::new();
    for (code, level) in raw.rules {
        let level: Level = level
            .parse()
            .map_err(|e| format!("settings `rules.{code}`: {e}"))?;
        known_rule(&code, "rules")?;
        rules.insert(code, level);
    }
    for code in raw.disable {
        known_rule(&code, "disable")?;
        rules.insert(code, Level::Off);
    }
    let resolve = |path: PathBuf| {
        if path.is_relative() {
            root.join(path)
        } else {
            path
        }
    };
    Ok(Some(Overrides {
        config_file: raw.config_file.map(resolve),
        rules,
        allowed_steps: raw.allowed_steps,
        libraries: raw
            .libraries
            .iter()
            .map(|(name, path)| (name.clone(), config::library(path, root)))
            .collect(),
        plugin_catalogue: raw.plugin_catalogue.map(resolve),
    }))
}

/// An error naming the setting when `code` is no rule of lint's.
fn known_rule(code: &str, key: &str) -> Result<(), String> {
    if crate::lint::rule(code).is_some() {
        return Ok(());
    }
    let hint = crate::model::catalogue::nearest(code, crate::lint::RULES.iter().map(|r| r.code))
        .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
    Err(format!(
        "settings `{key}`: unknown rule `{code}`{hint} (the previous settings stay)"
    ))
}

/// The lint options for a document in `dir`: the client's settings over the configuration
/// files, through the one loader. The error is the message to show in the document.
pub fn lint_options(
    loader: &Loader,
    dir: &Path,
    overrides: &Overrides,
) -> Result<LintOptions, String> {
    let config = loader.load(dir, overrides).map_err(|e| e.to_string())?;
    LintOptions::from_config(&config).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::{from_json, lint_options};
    use crate::config::{Level, Loader, Overrides};

    #[test]
    fn reads_wrapped_or_bare_settings() {
        let wrapped = json!({"jenkinsfile": {"rules": {"sh-bashism": "error"}, "disable": ["unpinned-image"], "allowedSteps": ["deploy"]}});
        let o = from_json(&wrapped, Path::new("/ws")).unwrap().unwrap();
        assert_eq!(o.rules["sh-bashism"], Level::Error);
        assert_eq!(o.rules["unpinned-image"], Level::Off);
        assert_eq!(o.allowed_steps, ["deploy"]);
        let bare = json!({"pluginCatalogue": "/x/cat.toml"});
        assert_eq!(
            from_json(&bare, Path::new("/ws"))
                .unwrap()
                .unwrap()
                .plugin_catalogue
                .unwrap()
                .to_str(),
            Some("/x/cat.toml")
        );
        // An empty section is every default.
        let empty = from_json(&json!({"jenkinsfile": {}}), Path::new("/ws")).unwrap();
        assert!(empty.unwrap().rules.is_empty());
    }

    #[test]
    fn values_holding_nothing_of_ours_are_no_settings() {
        // What clients send when they sync no section: the settings must stay as they are.
        for value in [
            json!(null),
            json!({}),
            json!({"other": {}}),
            json!({"jenkinsfile": null}),
            json!({"editor": {"tabSize": 4}, "colour": true}),
        ] {
            assert_eq!(
                from_json(&value, Path::new("/ws")).map(|o| o.is_none()),
                Ok(true),
                "{value}"
            );
        }
    }

    #[test]
    fn an_unknown_rule_is_an_error_like_a_bad_level() {
        let err = from_json(
            &json!({"jenkinsfile": {"rules": {"no-such-rule": "off"}}}),
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(
            err,
            "settings `rules`: unknown rule `no-such-rule` (the previous settings stay)"
        );
        let err = from_json(&json!({"disable": ["sh-bashisms"]}), Path::new(".")).unwrap_err();
        assert_eq!(
            err,
            "settings `disable`: unknown rule `sh-bashisms`; did you mean `sh-bashism`? (the previous settings stay)"
        );
    }

    #[test]
    fn relative_paths_are_read_against_the_workspace_root() {
        let o = from_json(
            &json!({"configFile": "ci/lint.toml", "pluginCatalogue": "/abs/cat.toml", "libraries": {"lib": "vendor/lib"}}),
            Path::new("/ws"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(o.config_file.unwrap(), Path::new("/ws/ci/lint.toml"));
        assert_eq!(o.plugin_catalogue.unwrap(), Path::new("/abs/cat.toml"));
        let lib = format!("{:?}", o.libraries["lib"]);
        assert!(lib.contains("/ws/vendor/lib"), "{lib}");
    }

    #[test]
    fn bad_settings_are_messages_not_panics() {
        let err = from_json(&json!({"rules": {"sh-bashism": "loud"}}), Path::new(".")).unwrap_err();
        assert!(err.contains("unknown level `loud`"), "{err}");
        let err = from_json(&json!({"jenkinsfile": {"colour": true}}), Path::new(".")).unwrap_err();
        assert!(err.contains("unknown field `colour`"), "{err}");
        // Bare, the object may be every setting of the editor: other keys are not ours.
        let bare = from_json(
            &json!({"colour": true, "allowedSteps": ["deploy"]}),
            Path::new("."),
        )
        .unwrap()
        .unwrap();
        assert_eq!(bare.allowed_steps, ["deploy"]);
    }

    #[test]
    fn the_repository_file_applies_under_the_settings() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".jenkinsfile")).unwrap();
        std::fs::write(
            dir.path().join(".jenkinsfile/config.toml"),
            "[rules]\nsh-bashism = \"off\"\nunknown-step = \"error\"\n",
        )
        .unwrap();
        let mut overrides = Overrides::default();
        overrides.rules.insert("unknown-step".into(), Level::Info);
        let options = lint_options(&Loader::default(), dir.path(), &overrides).unwrap();
        assert_eq!(options.level("sh-bashism"), Some(Level::Off));
        assert_eq!(options.level("unknown-step"), Some(Level::Info));
        overrides.rules.insert("no-such-rule".into(), Level::Off);
        let err = lint_options(&Loader::default(), dir.path(), &overrides).unwrap_err();
        assert!(err.contains("unknown rule `no-such-rule`"), "{err}");
    }
}
