//! The step catalogue: every Pipeline step, argument symbol and global variable the tool
//! knows, with parameters, types and docs. It is written as Groovy stubs under `stdlib/`
//! (format in `stdlib/README.md`), the single source of truth. Parsing them with our own parser
//! costs more than the rest of a one-file lint, so the binary carries what parsing yields as
//! generated JSON (`stdlib/catalogue.json`, checked against the stubs by a test) and reads
//! that, once, on first use. Lint, the interpreter's argument binder, `jenkinsfile steps` and the
//! language server all read it. Never imports tokio or anything that runs processes.

mod bind;
mod check;
mod doc;
mod generated;
mod load;
mod sig;
mod sources;

use std::sync::OnceLock;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use self::bind::{BindError, Binding};
pub use self::check::{check_call, check_overloads};
pub use self::sig::{GlobalSig, ParamSig, ParamType, PropertySig, StepKind, StepSig, TypeSig};

/// Everything the stubs declare, by name, in stub order.
#[derive(Debug, Serialize, Deserialize)]
pub struct Catalogue {
    /// Steps callable as statements: `sh`, `dir`, `withCredentials`.
    pub steps: IndexMap<String, StepSig>,
    /// Describables used as arguments: credential bindings, job properties, parameter and
    /// trigger definitions. One name can have several (`string` is a credential binding and
    /// a build parameter), so each holds every overload.
    pub symbols: IndexMap<String, Vec<StepSig>>,
    /// Global variables: `env`, `params`, `currentBuild`, `scm`, `docker`.
    pub globals: IndexMap<String, GlobalSig>,
    /// The types the globals (and their members) expose: `RunWrapper`, `Image`.
    pub types: IndexMap<String, TypeSig>,
}

/// A did-you-mean is offered only when the names are at least this similar.
const SUGGEST_SIMILARITY: f64 = 0.8;

impl Catalogue {
    /// The catalogue compiled into the binary, read on first use from the JSON generated
    /// from the stubs (the same value `load_builtin` yields; a test holds them equal).
    ///
    /// # Panics
    /// If the generated JSON does not read: a bug caught by the catalogue's own tests.
    #[must_use]
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN.get_or_init(|| match generated::read() {
            Ok(cat) => cat,
            Err(error) => panic!(
                "stdlib/catalogue.json does not read ({error}); {}",
                generated::REGENERATE
            ),
        })
    }

    /// Parses the built-in stubs, returning every problem instead of panicking.
    pub fn load_builtin() -> Result<Catalogue, Vec<String>> {
        let loaded = load::load(sources::STUBS);
        if !loaded.errors.is_empty() {
            return Err(loaded.errors);
        }
        Ok(Catalogue {
            steps: loaded.steps,
            symbols: loaded.symbols,
            globals: loaded.globals,
            types: loaded.types,
        })
    }

    /// A step by its name as called in a Jenkinsfile.
    #[must_use]
    pub fn step(&self, name: &str) -> Option<&StepSig> {
        self.steps.get(name)
    }

    /// Every overload of an argument symbol (`usernamePassword`, `logRotator`, `string`).
    #[must_use]
    pub fn symbol(&self, name: &str) -> &[StepSig] {
        self.symbols.get(name).map_or(&[], Vec::as_slice)
    }

    /// A global variable (`env`, `params`, `currentBuild`, `scm`, `docker`).
    #[must_use]
    pub fn global(&self, name: &str) -> Option<&GlobalSig> {
        self.globals.get(name)
    }

    /// A type exposed by a global (`RunWrapper`, `Image`).
    #[must_use]
    pub fn type_sig(&self, name: &str) -> Option<&TypeSig> {
        self.types.get(name)
    }

    /// Whether a bare call to `name` is something Jenkins knows: a step or a symbol.
    #[must_use]
    pub fn is_known(&self, name: &str) -> bool {
        self.steps.contains_key(name) || self.symbols.contains_key(name)
    }

    /// The known step or symbol name closest to `name`, if one is close enough to be a
    /// plausible typo (`archiveArtifact` → `archiveArtifacts`).
    #[must_use]
    pub fn suggest(&self, name: &str) -> Option<&str> {
        self.steps
            .keys()
            .chain(self.symbols.keys())
            .map(|known| (known, strsim::jaro_winkler(name, known)))
            .filter(|&(known, score)| score >= SUGGEST_SIMILARITY && known != name)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(known, _)| known.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Catalogue;

    #[test]
    fn the_builtin_stubs_load() {
        if let Err(errors) = Catalogue::load_builtin() {
            panic!("{}", errors.join("\n"));
        }
    }

    #[test]
    fn suggests_close_names_only() {
        let cat = Catalogue::builtin();
        assert_eq!(cat.suggest("shh"), Some("sh"));
        assert_eq!(cat.suggest("powershel"), Some("powershell"));
        assert_eq!(cat.suggest("completelyDifferent"), None);
    }
}
