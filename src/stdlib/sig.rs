//! The signatures the catalogue holds: steps, symbols and methods (`StepSig`), their
//! parameters (`ParamSig`), global variables (`GlobalSig`) and the types they expose
//! (`TypeSig`). Plain data, built by `load` from the Groovy stubs and kept in the generated
//! `stdlib/catalogue.json` (serde) so that a start need not parse them.

use serde::{Deserialize, Serialize};

/// What kind of callable a signature describes; it decides how arguments bind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    /// A Pipeline step (`sh`, `dir`): named arguments, or one unnamed argument bound to the
    /// default parameter.
    Step,
    /// A describable used as an argument of a step or directive (`usernamePassword(...)`,
    /// `logRotator(...)`, `cron('H * * * *')`): binds like a step.
    Symbol,
    /// A plain Groovy method (`docker.build(name, args)`, `println`): positional arguments
    /// bind in order.
    Method,
}

/// A parameter type as the stubs write it. Only the scalar types are ever checked against
/// literals; the rest document intent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamType {
    String,
    Boolean,
    Int,
    Long,
    Double,
    Map,
    List,
    Closure,
    Object,
    /// Any other class name (`SCM`, `Image`), kept as written.
    Other(String),
}

impl ParamType {
    /// Reads a stub's type name; generics are ignored (`List<String>` is a `List`).
    #[must_use]
    pub fn from_name(name: &str) -> ParamType {
        match name {
            "String" | "GString" | "CharSequence" => ParamType::String,
            "boolean" | "Boolean" => ParamType::Boolean,
            "int" | "Integer" => ParamType::Int,
            "long" | "Long" => ParamType::Long,
            "double" | "Double" | "float" | "Float" | "BigDecimal" => ParamType::Double,
            "Map" | "LinkedHashMap" => ParamType::Map,
            "List" | "Collection" | "String[]" => ParamType::List,
            "Closure" => ParamType::Closure,
            "Object" | "def" => ParamType::Object,
            other => ParamType::Other(other.to_string()),
        }
    }
}

/// One parameter of a step, symbol or method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamSig {
    pub name: String,
    pub ty: ParamType,
    /// The type as the stub writes it (`boolean`, `Integer`, `List<String>`), for display and
    /// for Jenkins' `Expecting "..."` messages.
    pub type_name: String,
    /// No default in the stub: the call must give it.
    pub required: bool,
    /// The default as Groovy source text (`false`, `'SECONDS'`, `null`).
    pub default: Option<String>,
    /// The `@param` text.
    pub doc: String,
    /// Allowed literal values (`@values`); empty when any value goes.
    pub values: Vec<String>,
}

impl ParamSig {
    /// The type as Jenkins names it in `Expecting "..."` messages: primitives bare, classes
    /// as `class java.lang.String`, interfaces as `interface java.util.Map`.
    #[must_use]
    pub fn jenkins_type(&self) -> String {
        let base = self.type_name.split('<').next().unwrap_or("");
        match base {
            "boolean" | "int" | "long" | "double" | "float" => base.to_string(),
            "String" | "Integer" | "Boolean" | "Long" | "Double" | "Object" => {
                format!("class java.lang.{base}")
            }
            "Map" | "List" | "Collection" => format!("interface java.util.{base}"),
            "Closure" => "class groovy.lang.Closure".to_string(),
            other => format!("class {other}"),
        }
    }
}

/// A step, symbol or method signature with its documentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepSig {
    pub name: String,
    pub kind: StepKind,
    /// Parameters in stub order, without the body closure.
    pub params: Vec<ParamSig>,
    /// The call takes a trailing closure (`Closure body` in the stub).
    pub takes_body: bool,
    /// The body must be given (`Closure body` with no default).
    pub body_required: bool,
    /// The description: the doc comment's text before its first tag.
    pub doc: String,
    /// Each `@example`, as Groovy source (a caption becomes a leading `//` line).
    pub examples: Vec<String>,
    /// The Jenkins plugin that provides it (`@plugin`), e.g. `workflow-durable-task-step`.
    pub plugin: String,
    /// The `@return` text, if the step returns something.
    pub returns: Option<String>,
    /// Index into `params` of the parameter a single unnamed argument binds to.
    pub default_param: Option<usize>,
    /// Any named argument is accepted (`parallel`'s branch names, `$class` maps).
    pub open: bool,
    /// The stub file's family (`shell`, `scm`), from its file name.
    pub family: String,
}

impl StepSig {
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&ParamSig> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The first sentence of the description, for one-line listings.
    #[must_use]
    pub fn summary(&self) -> &str {
        let para = self.doc.split("\n\n").next().unwrap_or("").trim();
        match para.find(". ") {
            Some(at) => &para[..=at],
            None => para,
        }
    }

    /// `sh(String script, boolean returnStdout = false, ...) { body }`, for docs and hover.
    #[must_use]
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| match &p.default {
                Some(d) => format!("{} {} = {d}", p.type_name, p.name),
                None => format!("{} {}", p.type_name, p.name),
            })
            .collect();
        let body = match (self.takes_body, self.body_required) {
            (true, true) => " { … }",
            (true, false) => " [{ … }]",
            _ => "",
        };
        format!("{}({}){body}", self.name, params.join(", "))
    }
}

/// A global variable (`env`, `currentBuild`, `docker`): its type's members live in `TypeSig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlobalSig {
    pub name: String,
    /// The name of its `TypeSig`.
    pub ty: String,
    pub doc: String,
    pub plugin: String,
}

/// A type reachable from a global: `RunWrapper`, `Image`, `EnvActionImpl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeSig {
    pub name: String,
    pub doc: String,
    pub properties: Vec<PropertySig>,
    pub methods: Vec<StepSig>,
    /// Any property name is valid (`env.ANYTHING`, `params.NAME`).
    pub dynamic: bool,
}

impl TypeSig {
    #[must_use]
    pub fn property(&self, name: &str) -> Option<&PropertySig> {
        self.properties.iter().find(|p| p.name == name)
    }

    #[must_use]
    pub fn method(&self, name: &str) -> Option<&StepSig> {
        self.methods.iter().find(|m| m.name == name)
    }
}

/// A property of a type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PropertySig {
    pub name: String,
    pub type_name: String,
    pub doc: String,
    /// Scripts may assign it (`currentBuild.result = 'UNSTABLE'`); `final` in the stub means
    /// read-only.
    pub writable: bool,
}
