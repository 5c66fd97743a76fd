//! Which agent, option, trigger, parameter, tool and `when` types exist. In Jenkins that depends
//! on the installed plugins, so it is data: TOML files under `stdlib/declarative/`, compiled in,
//! plus any number of user files (`--plugin-catalogue FILE`) in the same format:
//!
//! ```toml
//! [option.myWrapper]            # kind.name
//! plugin = "my-plugin"
//! kind = "wrapper"              # options only: property | declarative | wrapper
//! params = ["count:int!", "label:String"]   # `!` = required
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

const BUILTIN: &[(&str, &str)] = &[
    (
        "agents.toml",
        include_str!("../../stdlib/declarative/agents.toml"),
    ),
    (
        "options.toml",
        include_str!("../../stdlib/declarative/options.toml"),
    ),
    (
        "triggers.toml",
        include_str!("../../stdlib/declarative/triggers.toml"),
    ),
    (
        "parameters.toml",
        include_str!("../../stdlib/declarative/parameters.toml"),
    ),
    (
        "tools.toml",
        include_str!("../../stdlib/declarative/tools.toml"),
    ),
    (
        "when.toml",
        include_str!("../../stdlib/declarative/when.toml"),
    ),
];

/// The Java type of a parameter, as Jenkins names it in type errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `java.lang.String`
    String,
    /// primitive `int`
    Int,
    /// primitive `long`
    Long,
    /// primitive `boolean`
    Boolean,
    /// `java.lang.Integer`
    IntegerObject,
    /// `java.lang.Boolean`
    BooleanObject,
    /// Anything: lists, maps, nested describables. Never type-checked.
    Any,
}

impl ParamType {
    fn parse(text: &str) -> Option<ParamType> {
        Some(match text {
            "String" => ParamType::String,
            "int" => ParamType::Int,
            "long" => ParamType::Long,
            "boolean" => ParamType::Boolean,
            "Integer" => ParamType::IntegerObject,
            "Boolean" => ParamType::BooleanObject,
            "any" => ParamType::Any,
            _ => return None,
        })
    }
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::String => "class java.lang.String",
            ParamType::Int => "int",
            ParamType::Long => "long",
            ParamType::Boolean => "boolean",
            ParamType::IntegerObject => "class java.lang.Integer",
            ParamType::BooleanObject => "class java.lang.Boolean",
            ParamType::Any => "class java.lang.Object",
        })
    }
}

/// One parameter of a describable (an option, trigger, build parameter, agent type or condition).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamSpec {
    pub name: String,
    pub ty: ParamType,
    pub required: bool,
}

/// How an option is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A job property (`buildDiscarder`): pipeline level only.
    Property,
    /// An option of the Declarative plugin (`skipDefaultCheckout`).
    Declarative,
    /// A block-scoped step written without its block (`timeout`): wraps the pipeline or stage.
    Wrapper,
}

/// How many child conditions a `when` condition takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Children {
    None,
    One,
    Many,
}

/// One catalogued type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Describable {
    pub name: String,
    pub plugin: String,
    pub params: Vec<ParamSpec>,
    /// Shown in "valid types" lists (false for aliases such as agent `node`).
    pub listed: bool,
    /// Options only.
    pub kind: OptionKind,
    /// Options only: allowed in a stage's `options`.
    pub stage: bool,
    /// `when` conditions only.
    pub children: Children,
    /// `when` conditions only: written with a code block (`expression { … }`).
    pub block: bool,
    /// Tools only: the configured installation names, when known.
    pub installs: Option<Vec<String>>,
}

impl Describable {
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    pub fn required(&self) -> impl Iterator<Item = &ParamSpec> {
        self.params.iter().filter(|p| p.required)
    }

    /// The parameter a single unnamed argument binds to, if there is exactly one required one.
    #[must_use]
    pub fn sole_required(&self) -> Option<&ParamSpec> {
        let mut required = self.required();
        match (required.next(), required.next()) {
            (Some(p), None) => Some(p),
            _ => None,
        }
    }
}

/// What kind of thing a catalogue entry describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Agent,
    Option,
    Trigger,
    Parameter,
    Tool,
    When,
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "agent" => Kind::Agent,
            "option" => Kind::Option,
            "trigger" => Kind::Trigger,
            "parameter" => Kind::Parameter,
            "tool" => Kind::Tool,
            "when" => Kind::When,
            _ => return None,
        })
    }
}

/// Every known type, by kind and name.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    entries: BTreeMap<(Kind, String), Describable>,
}

/// A catalogue file that could not be read or understood.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CatalogueError {
    #[error("cannot read plugin catalogue `{name}`: {cause}")]
    #[diagnostic(code("unreadable-catalogue"))]
    Io { name: String, cause: std::io::Error },
    #[error("plugin catalogue `{name}`: {message}")]
    #[diagnostic(
        code("invalid-catalogue"),
        help(
            "entries are `[kind.name]` tables with `params = [\"name:Type!\", …]`; see stdlib/declarative/"
        )
    )]
    Invalid { name: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default)]
    plugin: String,
    #[serde(default)]
    params: Vec<String>,
    listed: Option<bool>,
    kind: Option<String>,
    #[serde(default)]
    stage: bool,
    children: Option<String>,
    #[serde(default)]
    block: bool,
    installs: Option<Vec<String>>,
    /// Free text for readers of the file; not used.
    #[serde(default, rename = "doc")]
    _doc: String,
}

impl Catalogue {
    /// Stock Jenkins plus the common plugins, parsed once.
    #[must_use]
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN_CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN_CATALOGUE.get_or_init(|| {
            let mut cat = Catalogue::default();
            for (name, text) in BUILTIN {
                // The built-in files are part of the binary; a test parses each of them.
                cat.add_toml(name, text)
                    .unwrap_or_else(|err| panic!("built-in catalogue is broken: {err}"));
            }
            cat
        })
    }

    /// An empty catalogue: only what `add_toml`/`load_extra` add (for test environments).
    #[must_use]
    pub fn empty() -> Catalogue {
        Catalogue::default()
    }

    /// Adds (or replaces) the entries of a user file.
    pub fn load_extra(&mut self, path: &Path) -> Result<(), CatalogueError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|cause| CatalogueError::Io {
            name: name.clone(),
            cause,
        })?;
        self.add_toml(&name, &text)
    }

    /// Adds (or replaces) the entries of catalogue text in the TOML format above.
    pub fn add_toml(&mut self, name: &str, text: &str) -> Result<(), CatalogueError> {
        let invalid = |message: String| CatalogueError::Invalid {
            name: name.to_owned(),
            message,
        };
        let raw: BTreeMap<String, BTreeMap<String, RawEntry>> =
            toml::from_str(text).map_err(|err| invalid(err.message().to_owned()))?;
        for (kind_name, entries) in raw {
            let kind = Kind::parse(&kind_name).ok_or_else(|| {
                invalid(format!(
                    "unknown kind `{kind_name}` (expected agent, option, trigger, parameter, tool or when)"
                ))
            })?;
            for (entry_name, entry) in entries {
                let described = describe(kind, &entry_name, entry)
                    .map_err(|m| invalid(format!("`{kind_name}.{entry_name}`: {m}")))?;
                self.entries.insert((kind, entry_name), described);
            }
        }
        Ok(())
    }

    /// Removes an entry, to mirror an installation without that plugin.
    pub fn remove(&mut self, kind: Kind, name: &str) -> Option<Describable> {
        self.entries.remove(&(kind, name.to_owned()))
    }

    #[must_use]
    pub fn get(&self, kind: Kind, name: &str) -> Option<&Describable> {
        self.entries.get(&(kind, name.to_owned()))
    }

    /// The listed names of a kind, sorted as Jenkins prints them.
    #[must_use]
    pub fn names(&self, kind: Kind) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|((k, _), d)| *k == kind && d.listed)
            .map(|((_, name), _)| name.as_str())
            .collect()
    }

    /// The option names allowed in a stage's `options`.
    #[must_use]
    pub fn stage_option_names(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|((k, _), d)| {
                *k == Kind::Option && d.listed && (d.stage || d.kind == OptionKind::Wrapper)
            })
            .map(|((_, name), _)| name.as_str())
            .collect()
    }

    /// The nearest listed name of a kind, for a did-you-mean.
    #[must_use]
    pub fn suggest(&self, kind: Kind, name: &str) -> Option<&str> {
        nearest(name, self.names(kind))
    }
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
pub(crate) fn nearest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, c)| d <= (c.len().max(name.len()) / 3).max(1))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn describe(kind: Kind, name: &str, raw: RawEntry) -> Result<Describable, String> {
    let params = raw
        .params
        .iter()
        .map(|spec| parse_param(spec))
        .collect::<Result<Vec<_>, _>>()?;
    let option_kind = match raw.kind.as_deref() {
        None | Some("wrapper") => OptionKind::Wrapper,
        Some("property") => OptionKind::Property,
        Some("declarative") => OptionKind::Declarative,
        Some(other) => return Err(format!("unknown option kind `{other}`")),
    };
    if kind != Kind::Option && raw.kind.is_some() {
        return Err("`kind` is for options only".into());
    }
    let children = match raw.children.as_deref() {
        None | Some("none") => Children::None,
        Some("one") => Children::One,
        Some("many") => Children::Many,
        Some(other) => return Err(format!("unknown `children` value `{other}`")),
    };
    Ok(Describable {
        name: name.to_owned(),
        plugin: raw.plugin,
        params,
        listed: raw.listed.unwrap_or(true),
        kind: option_kind,
        stage: raw.stage,
        children,
        block: raw.block,
        installs: raw.installs,
    })
}

fn parse_param(spec: &str) -> Result<ParamSpec, String> {
    let (body, required) = match spec.strip_suffix('!') {
        Some(body) => (body, true),
        None => (spec, false),
    };
    let (name, ty) = body
        .split_once(':')
        .ok_or_else(|| format!("parameter `{spec}` is not `name:Type`"))?;
    let ty = ParamType::parse(ty).ok_or_else(|| {
        format!("parameter `{spec}`: unknown type `{ty}` (String, int, long, boolean, Integer, Boolean, any)")
    })?;
    Ok(ParamSpec {
        name: name.to_owned(),
        ty,
        required,
    })
}

#[cfg(test)]
mod tests {
    use super::{Catalogue, Kind, OptionKind, ParamType};

    #[test]
    fn builtin_files_parse_and_list_sorted() {
        let cat = Catalogue::builtin();
        assert_eq!(
            cat.names(Kind::Agent),
            ["any", "docker", "dockerfile", "kubernetes", "label", "none"]
        );
        let timeout = cat.get(Kind::Option, "timeout").unwrap();
        assert_eq!(timeout.kind, OptionKind::Wrapper);
        assert_eq!(timeout.sole_required().unwrap().ty, ParamType::Int);
        assert!(cat.stage_option_names().contains(&"skipDefaultCheckout"));
        assert!(!cat.stage_option_names().contains(&"buildDiscarder"));
    }

    #[test]
    fn load_extra_reads_a_user_file() {
        let dir = std::env::temp_dir().join(format!("jf-catalogue-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("plugins.toml");
        std::fs::write(&path, "[agent.ecs]\nparams = [\"cloud:String!\"]\n").unwrap();
        let mut cat = Catalogue::builtin().clone();
        cat.load_extra(&path).unwrap();
        assert!(cat.names(Kind::Agent).contains(&"ecs"));
        let missing = cat.load_extra(&dir.join("absent.toml")).unwrap_err();
        assert!(
            missing.to_string().contains("cannot read plugin catalogue"),
            "{missing}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn extra_entries_are_added_and_errors_are_named() {
        let mut cat = Catalogue::builtin().clone();
        cat.add_toml(
            "x.toml",
            "[trigger.myTrigger]\nparams = [\"spec:String!\"]\n",
        )
        .unwrap();
        assert!(cat.get(Kind::Trigger, "myTrigger").is_some());
        let err = cat.add_toml("bad.toml", "[widget.x]\n").unwrap_err();
        assert!(err.to_string().contains("unknown kind `widget`"), "{err}");
        let err = cat
            .add_toml("bad.toml", "[option.x]\nparams = [\"a:float\"]\n")
            .unwrap_err();
        assert!(err.to_string().contains("unknown type `float`"), "{err}");
    }
}
