//! The `extensions` of a `GitSCM` (`checkout([$class: 'GitSCM', …])` or `checkout
//! scmGit(…)`), written as `[$class: 'CleanBeforeCheckout']` maps or as the git plugin's symbols
//! (`cleanBeforeCheckout()`). The ones this runtime honours become fields; any other one is
//! named in a warning, never dropped in silence.

use serde_json::{Map, Value};

use crate::steps::StepError;
use crate::steps::parameter::SYMBOL_KEY;

/// The git plugin's `SubmoduleOption` fields this runtime honours.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Submodules {
    /// `recursiveSubmodules`.
    pub recursive: bool,
    /// `parentCredentials`: fetch the submodules with the parent's credentials.
    pub parent_credentials: bool,
}

/// `CloneOption`: applied to the first fetch and to later ones, as the plugin does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CloneOption {
    /// `--depth=N` (`shallow`, with `depth`, 1 when unset).
    pub depth: Option<u32>,
    pub no_tags: bool,
    /// The fetch's timeout in minutes, when not the default.
    pub timeout: Option<u64>,
}

/// The extensions of one `GitSCM`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extensions {
    /// `RelativeTargetDirectory`'s `relativeTargetDir`.
    pub target_dir: Option<String>,
    /// `LocalBranch`: `Some("**")` (or empty) names the local branch after the remote one.
    pub local_branch: Option<String>,
    /// `CleanBeforeCheckout`: `Some(deleteUntrackedNestedRepositories)`.
    pub clean_before: Option<bool>,
    /// `CleanCheckout` (`cleanAfterCheckout`): `Some(deleteUntrackedNestedRepositories)`.
    pub clean_after: Option<bool>,
    /// `WipeWorkspace`.
    pub wipe: bool,
    pub clone: CloneOption,
    /// `SubmoduleOption` (`submodule`), unless it disables submodules.
    pub submodules: Option<Submodules>,
    /// One warning per extension (or field) given and not honoured.
    pub ignored: Vec<String>,
}

impl Extensions {
    /// From a `GitSCM`'s `extensions`.
    pub(crate) fn from_scm(scm: &Map<String, Value>) -> Result<Self, StepError> {
        let mut found = Self::default();
        for extension in scm
            .get("extensions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(extension) = extension.as_object() else {
                found.ignored.push(format!(
                    "Warning: unsupported git extension {extension}: ignored"
                ));
                continue;
            };
            found.add(extension)?;
        }
        Ok(found)
    }

    fn add(&mut self, extension: &Map<String, Value>) -> Result<(), StepError> {
        let name = extension
            .get("$class")
            .or_else(|| extension.get(SYMBOL_KEY))
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = name.rsplit('.').next().unwrap_or(name);
        let flag = |field: &str| extension.get(field).is_some_and(truthy);
        let text = |field: &str| {
            extension
                .get(field)
                .and_then(|v| match v {
                    Value::String(s) => Some(s.trim().to_owned()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
        };
        let number = |field: &str| text(field).and_then(|s| s.parse::<u64>().ok());
        match name {
            "RelativeTargetDirectory" | "relativeTargetDirectory" => {
                self.target_dir = text("relativeTargetDir").filter(|d| d != ".");
            }
            "LocalBranch" | "localBranch" => {
                self.local_branch = Some(text("localBranch").unwrap_or_else(|| "**".to_owned()));
            }
            "CleanBeforeCheckout" | "cleanBeforeCheckout" => {
                self.clean_before = Some(flag("deleteUntrackedNestedRepositories"));
            }
            "CleanCheckout" | "cleanAfterCheckout" => {
                self.clean_after = Some(flag("deleteUntrackedNestedRepositories"));
            }
            "WipeWorkspace" => self.wipe = true,
            "CloneOption" | "cloneOption" => {
                let depth = number("depth").unwrap_or(0).max(1);
                self.clone = CloneOption {
                    depth: flag("shallow").then(|| u32::try_from(depth).unwrap_or(u32::MAX)),
                    no_tags: flag("noTags"),
                    timeout: number("timeout").filter(|t| *t > 0),
                };
                // `reference` is a path, `honorRefspec` a flag: either one set is ignored.
                let reference = extension
                    .get("reference")
                    .and_then(Value::as_str)
                    .is_some_and(|r| !r.is_empty());
                let honor = extension.get("honorRefspec").is_some_and(truthy);
                for (field, set) in [("reference", reference), ("honorRefspec", honor)] {
                    if set {
                        self.ignored.push(format!(
                            "Warning: unsupported: CloneOption's `{field}` is ignored"
                        ));
                    }
                }
            }
            "SubmoduleOption" | "submodule" => self.submodules(extension)?,
            "" => self.ignored.push(format!(
                "Warning: unsupported git extension {}: ignored",
                Value::Object(extension.clone())
            )),
            other => self.ignored.push(format!(
                "Warning: unsupported git extension {other}: ignored"
            )),
        }
        Ok(())
    }

    fn submodules(&mut self, extension: &Map<String, Value>) -> Result<(), StepError> {
        let flag = |name: &str| extension.get(name).is_some_and(truthy);
        if flag("disableSubmodules") {
            self.submodules = None;
            return Ok(());
        }
        let reference = extension.get("reference").and_then(Value::as_str);
        for (name, set) in [
            ("shallow", flag("shallow")),
            ("trackingSubmodules", flag("trackingSubmodules")),
            ("reference", reference.is_some_and(|r| !r.is_empty())),
        ] {
            if set {
                return Err(StepError::unsupported(format!(
                    "unsupported: SubmoduleOption's `{name}`: only recursiveSubmodules, parentCredentials and disableSubmodules are supported"
                )));
            }
        }
        self.submodules = Some(Submodules {
            recursive: flag("recursiveSubmodules"),
            parent_credentials: flag("parentCredentials"),
        });
        Ok(())
    }

    /// The local branch to check out for the remote branch `remote` (`None`: stay detached).
    pub(crate) fn local_branch_for(&self, remote: Option<&str>) -> Option<String> {
        match self.local_branch.as_deref()? {
            "**" | "" => remote.map(str::to_owned),
            name => Some(name.to_owned()),
        }
    }
}

/// Groovy truth for a flag: `true`, or a string `'true'`.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s == "true",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Extensions;

    fn parse(extensions: serde_json::Value) -> Extensions {
        let scm = json!({"$class": "GitSCM", "extensions": extensions});
        Extensions::from_scm(scm.as_object().unwrap()).unwrap()
    }

    #[test]
    fn class_maps_and_symbols_read_alike() {
        let by_class = parse(json!([
            {"$class": "RelativeTargetDirectory", "relativeTargetDir": "app"},
            {"$class": "LocalBranch", "localBranch": "**"},
            {"$class": "CleanBeforeCheckout", "deleteUntrackedNestedRepositories": true},
            {"$class": "CleanCheckout"},
            {"$class": "CloneOption", "shallow": true, "depth": 0, "noTags": true, "timeout": 20},
            {"$class": "WipeWorkspace"},
        ]));
        let by_symbol = parse(json!([
            {"$symbol": "relativeTargetDirectory", "relativeTargetDir": "app"},
            {"$symbol": "localBranch", "localBranch": "**"},
            {"$symbol": "cleanBeforeCheckout", "deleteUntrackedNestedRepositories": true},
            {"$symbol": "cleanAfterCheckout"},
            {"$symbol": "cloneOption", "shallow": true, "depth": 0, "noTags": true, "timeout": 20},
            {"$class": "hudson.plugins.git.extensions.impl.WipeWorkspace"},
        ]));
        assert_eq!(by_class, by_symbol);
        assert_eq!(by_class.target_dir.as_deref(), Some("app"));
        assert_eq!(by_class.clean_before, Some(true));
        assert_eq!(by_class.clean_after, Some(false));
        assert_eq!(by_class.clone.depth, Some(1));
        assert_eq!(by_class.clone.timeout, Some(20));
        assert!(by_class.clone.no_tags && by_class.wipe);
        assert!(by_class.ignored.is_empty());
        assert_eq!(
            by_class.local_branch_for(Some("main")).as_deref(),
            Some("main")
        );
    }

    #[test]
    fn other_extensions_are_named_in_a_warning() {
        let found = parse(json!([
            {"$class": "PruneStaleBranch"},
            {"$symbol": "lfs"},
            {"$class": "LocalBranch", "localBranch": "work"},
        ]));
        assert_eq!(
            found.ignored,
            vec![
                "Warning: unsupported git extension PruneStaleBranch: ignored".to_owned(),
                "Warning: unsupported git extension lfs: ignored".to_owned(),
            ]
        );
        assert_eq!(found.local_branch_for(None).as_deref(), Some("work"));
    }

    #[test]
    fn a_clone_reference_path_is_named_as_ignored() {
        let found = parse(json!([
            {"$symbol": "cloneOption", "shallow": true, "reference": "/var/cache/x"},
        ]));
        assert_eq!(
            found.ignored,
            vec!["Warning: unsupported: CloneOption's `reference` is ignored".to_owned()]
        );
        assert!(
            parse(json!([{"$class": "CloneOption", "reference": ""}]))
                .ignored
                .is_empty()
        );
    }
}
