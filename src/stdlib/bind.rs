//! How a call's arguments bind to a signature's parameters, by Jenkins' rules: named
//! arguments by name; a single unnamed argument to the step's default parameter (its one
//! required parameter, or the `@positional` one); several unnamed arguments only for plain
//! Groovy methods. The interpreter binds with this, and `check` reports with it.

use super::sig::{ParamSig, StepKind, StepSig};

/// Why a call's argument shape does not fit a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindError {
    /// Several unnamed arguments to a step.
    TooManyUnnamed,
    /// One unnamed argument, but the step has no default parameter.
    NoDefaultParameter,
    /// Named and unnamed arguments in one step call.
    MixedNamedAndUnnamed,
    /// More positional arguments than a method has parameters.
    TooManyArguments { max: usize },
    /// A step that needs a block was called without one.
    MissingBody,
    /// A block given to a step that takes none.
    UnexpectedBody,
}

impl BindError {
    /// The message for a call of `step`: Jenkins' own text where Jenkins' validator has one.
    #[must_use]
    pub fn message(&self, step: &str) -> String {
        match self {
            BindError::TooManyUnnamed => {
                format!("Arguments to \"{step}\" must be explicitly named.")
            }
            BindError::NoDefaultParameter => {
                "Step does not take a single required parameter - use named parameters instead"
                    .to_string()
            }
            BindError::MixedNamedAndUnnamed => "Cannot mix named and unnamed arguments".to_string(),
            BindError::TooManyArguments { max } => {
                format!("`{step}` takes at most {max} argument(s)")
            }
            BindError::MissingBody => format!("`{step}` needs a block: `{step}(...) {{ ... }}`"),
            BindError::UnexpectedBody => format!("`{step}` does not take a block"),
        }
    }

    /// Whether Jenkins' Declarative validator reports this with the same text.
    #[must_use]
    pub fn is_jenkins(&self) -> bool {
        matches!(
            self,
            BindError::TooManyUnnamed
                | BindError::NoDefaultParameter
                | BindError::MixedNamedAndUnnamed
        )
    }

    /// A stable kebab-case diagnostic code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            BindError::TooManyUnnamed => "unnamed-arguments",
            BindError::NoDefaultParameter => "no-default-parameter",
            BindError::MixedNamedAndUnnamed => "mixed-arguments",
            BindError::TooManyArguments { .. } => "too-many-arguments",
            BindError::MissingBody => "missing-step-body",
            BindError::UnexpectedBody => "unexpected-step-body",
        }
    }
}

/// How a call's arguments fit a signature, for the interpreter: which parameter each unnamed
/// argument fills, which named keys are unknown, which required parameters nobody gave.
#[derive(Debug, PartialEq)]
pub struct Binding<'a> {
    /// The parameter of each unnamed argument, in order.
    pub positional: Vec<&'a ParamSig>,
    /// Named keys that are no parameter (never for `@open` steps; `$class` is always allowed).
    pub unknown: Vec<String>,
    /// Required parameters given neither by name nor by position.
    pub missing: Vec<&'a ParamSig>,
}

impl StepSig {
    /// Whether a call's only argument, a map with these keys, is read as named arguments
    /// (workflow-cps `DSL.parseArgs`): yes unless it has a `$class` key (`checkout([$class:
    /// 'GitSCM', ...])`) or is a describable a symbol call made (`$symbol`: `checkout
    /// scmGit(...)`, which Jenkins passes as an object, never as a map), or the step's one
    /// and only parameter is required and the map is not exactly that parameter
    /// (`publishHTML([reportDir: ...])` binds the whole map to `target`).
    #[must_use]
    pub fn map_is_named_args(&self, keys: &[&str]) -> bool {
        if self.kind == StepKind::Method || keys.contains(&"$class") || keys.contains(&"$symbol") {
            return false;
        }
        match self.params.as_slice() {
            [only] if only.required => keys == [only.name.as_str()],
            _ => true,
        }
    }

    /// Binds a call's argument shape: unnamed count, named keys, and whether a block is given.
    /// A lone map argument must already be counted as `map_is_named_args` says, and a closure
    /// passed as the last argument counted as the block.
    pub fn bind(
        &self,
        positional: usize,
        named: &[&str],
        has_body: bool,
    ) -> Result<Binding<'_>, BindError> {
        let bound = self.bind_positional(positional, !named.is_empty(), has_body)?;
        let unknown = if self.open {
            Vec::new()
        } else {
            named
                .iter()
                .filter(|k| **k != "$class" && self.param(k).is_none())
                .map(|k| (*k).to_string())
                .collect()
        };
        let missing = self
            .params
            .iter()
            .filter(|p| p.required && !self.open)
            .filter(|p| {
                !named.contains(&p.name.as_str()) && !bound.iter().any(|b| b.name == p.name)
            })
            .collect();
        Ok(Binding {
            positional: bound,
            unknown,
            missing,
        })
    }

    /// Says which parameter each unnamed argument binds to, given how many unnamed arguments
    /// a call has, whether it has named ones, and whether a block follows.
    ///
    /// A call whose only argument is a map counts as named arguments or as one unnamed
    /// argument as `map_is_named_args` says.
    pub fn bind_positional(
        &self,
        positional: usize,
        has_named: bool,
        has_body: bool,
    ) -> Result<Vec<&ParamSig>, BindError> {
        if has_body && !self.takes_body {
            return Err(BindError::UnexpectedBody);
        }
        if !has_body && self.body_required {
            return Err(BindError::MissingBody);
        }
        if self.kind == StepKind::Method {
            // A Groovy method gathers named arguments into a leading Map parameter.
            let skip = usize::from(has_named);
            let available = self.params.len().saturating_sub(skip);
            if positional > available {
                return Err(BindError::TooManyArguments {
                    max: self.params.len(),
                });
            }
            return Ok(self.params[skip..skip + positional].iter().collect());
        }
        match positional {
            0 => Ok(Vec::new()),
            _ if has_named => Err(BindError::MixedNamedAndUnnamed),
            1 => self
                .default_param
                .map(|i| vec![&self.params[i]])
                .ok_or(BindError::NoDefaultParameter),
            _ => Err(BindError::TooManyUnnamed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BindError;
    use crate::stdlib::Catalogue;

    #[test]
    fn a_single_unnamed_argument_binds_to_the_default_parameter() {
        let cat = Catalogue::builtin();
        let sh = cat.step("sh").unwrap();
        let bound = sh.bind_positional(1, false, false).unwrap();
        assert_eq!(bound[0].name, "script");
        assert_eq!(sh.bind_positional(0, true, false).unwrap().len(), 0);
    }

    #[test]
    fn shapes_jenkins_rejects() {
        let cat = Catalogue::builtin();
        let sh = cat.step("sh").unwrap();
        assert_eq!(
            sh.bind_positional(2, false, false),
            Err(BindError::TooManyUnnamed)
        );
        assert_eq!(
            sh.bind_positional(1, true, false),
            Err(BindError::MixedNamedAndUnnamed)
        );
        assert_eq!(
            sh.bind_positional(1, false, true),
            Err(BindError::UnexpectedBody)
        );
        let dir = cat.step("dir").unwrap();
        assert_eq!(
            dir.bind_positional(1, false, false),
            Err(BindError::MissingBody)
        );
        assert_eq!(dir.bind_positional(1, false, true).unwrap()[0].name, "path");
    }

    #[test]
    fn bind_reports_unknown_and_missing_parameters() {
        let cat = Catalogue::builtin();
        let write = cat.step("writeFile").unwrap();
        let b = write.bind(0, &["file", "txt"], false).unwrap();
        assert_eq!(b.unknown, vec!["txt".to_string()]);
        let missing: Vec<&str> = b.missing.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(missing, ["text"]);
        let sh = cat.step("sh").unwrap();
        let b = sh.bind(1, &[], false).unwrap();
        assert!(b.unknown.is_empty() && b.missing.is_empty());
        let parallel = cat.step("parallel").unwrap();
        let b = parallel
            .bind(0, &["linux", "windows", "failFast"], false)
            .unwrap();
        assert!(b.unknown.is_empty() && b.missing.is_empty());
    }

    #[test]
    fn a_lone_map_is_named_unless_it_names_a_class_or_fills_the_only_parameter() {
        let cat = Catalogue::builtin();
        let sh = cat.step("sh").unwrap();
        assert!(sh.map_is_named_args(&["script"]));
        assert!(sh.map_is_named_args(&["script", "returnStdout"]));
        let echo = cat.step("echo").unwrap();
        assert!(echo.map_is_named_args(&["message"]));
        assert!(
            !echo.map_is_named_args(&["text"]),
            "bound whole to `message`"
        );
        assert!(
            !cat.step("checkout")
                .unwrap()
                .map_is_named_args(&["$class", "branches"])
        );
        assert!(
            !cat.step("checkout")
                .unwrap()
                .map_is_named_args(&["$symbol", "userRemoteConfigs"])
        );
        assert!(
            !cat.step("publishHTML")
                .unwrap()
                .map_is_named_args(&["reportDir"])
        );
        assert!(
            cat.step("withDockerRegistry")
                .unwrap()
                .map_is_named_args(&["url"])
        );
    }

    #[test]
    fn the_positional_tag_names_an_optional_default_parameter() {
        let node = Catalogue::builtin().step("node").unwrap();
        assert_eq!(
            node.bind_positional(1, false, true).unwrap()[0].name,
            "label"
        );
        assert!(node.bind_positional(0, false, true).unwrap().is_empty());
    }
}
