//! The catalogue as the binary carries it: `stdlib/catalogue.json`, what `load` yields from
//! the stubs, serialised with serde. Reading it takes a fraction of a millisecond where
//! parsing the stubs took most of a one-file lint. The stubs stay the source of truth: the
//! test below fails on a stale file and names the command that rewrites it.

use super::Catalogue;

/// The generated catalogue, compiled in.
const JSON: &str = include_str!("../../stdlib/catalogue.json");

/// What to run when the generated file no longer matches the stubs.
pub(super) const REGENERATE: &str =
    "regenerate it with `JENKINSFILE_REGENERATE=1 cargo test --lib stdlib::generated`";

pub(super) fn read() -> Result<Catalogue, serde_json::Error> {
    serde_json::from_str(JSON)
}

#[cfg(test)]
mod tests {
    use super::{Catalogue, JSON, REGENERATE};

    /// The stubs, parsed now, give exactly the JSON the binary carries.
    #[test]
    fn generated_json_matches_the_stubs() {
        let parsed =
            Catalogue::load_builtin().unwrap_or_else(|errors| panic!("{}", errors.join("\n")));
        let mut expected = serde_json::to_string_pretty(&parsed).unwrap();
        expected.push('\n');
        if std::env::var_os("JENKINSFILE_REGENERATE").is_some() {
            let path =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib/catalogue.json");
            std::fs::write(&path, &expected).unwrap();
            return;
        }
        assert!(
            JSON == expected,
            "stdlib/catalogue.json is stale: {REGENERATE}"
        );
    }

    /// Reading the JSON back gives the same catalogue, so no field is lost on the way.
    #[test]
    fn generated_json_reads_back_whole() {
        let read = super::read().unwrap();
        let again = serde_json::to_string_pretty(&read).unwrap();
        assert_eq!(again.trim_end(), JSON.trim_end());
    }
}
