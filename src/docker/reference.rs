//! Image references checked as the docker CLI checks them (distribution's reference
//! grammar), so that a bad name fails before anything runs, with docker's own words
//! (`invalid reference format`, `… repository name must be lowercase`).

use std::sync::LazyLock;

use regex::Regex;

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let domain_component = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let domain = format!(r"{domain_component}(?:\.{domain_component})*(?::[0-9]+)?");
    let path_component = r"[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
    let name = format!(r"(?:{domain}/)?{path_component}(?:/{path_component})*");
    let tag = r"[\w][\w.-]{0,127}";
    let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    Regex::new(&format!(r"^({name})(?::{tag})?(?:@{digest})?$")).expect("reference grammar")
});

/// Checks `image` against the reference grammar.
///
/// # Errors
/// Docker's message, naming the image.
pub fn check_reference(image: &str) -> Result<(), String> {
    let fail = |why: &str| Err(format!("invalid image name \"{image}\": {why}"));
    if image.is_empty() {
        return fail("invalid reference format: repository name must have at least one component");
    }
    match REFERENCE.captures(image) {
        Some(c) if c.get(1).map_or(0, |m| m.as_str().len()) > 255 => {
            fail("invalid reference format: repository name must not be more than 255 characters")
        }
        Some(_) => Ok(()),
        None if REFERENCE.is_match(&image.to_ascii_lowercase()) => {
            fail("invalid reference format: repository name must be lowercase")
        }
        None => fail("invalid reference format"),
    }
}

/// The registry an image name points at: its first component when that names a host
/// (`127.0.0.1:5000/app` gives `127.0.0.1:5000`), else Docker Hub's `docker.io`.
#[must_use]
pub fn registry_host_of_image(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first.to_string()
        }
        _ => "docker.io".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{check_reference, registry_host_of_image};

    #[test]
    fn names_are_checked_with_dockers_messages() {
        for good in [
            "busybox",
            "busybox:local",
            "127.0.0.1:5000/team/app:1.2",
            "my-registry.example/a_b/c__d:v1.0-rc",
            "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "b7da44cfe0000bea7d487f02880ec7eda45ee806",
        ] {
            assert_eq!(check_reference(good), Ok(()), "{good}");
        }
        let err = check_reference("Acme/App:1").unwrap_err();
        assert!(
            err.ends_with("invalid reference format: repository name must be lowercase"),
            "{err}"
        );
        for bad in [
            "app name",
            "app:",
            "-app",
            "app!x",
            "a//b",
            "app:tag with space",
        ] {
            let err = check_reference(bad).unwrap_err();
            assert!(err.ends_with("invalid reference format"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_registry_of_an_image() {
        assert_eq!(
            registry_host_of_image("127.0.0.1:5000/a/b:1"),
            "127.0.0.1:5000"
        );
        assert_eq!(registry_host_of_image("acme/app"), "docker.io");
    }
}
