//! A password written into a remote's URL (`https://user:token@host/repo.git`): it goes to the
//! masking stage before the URL is printed anywhere, and it is left out of what the build
//! records about the remote (`git-revisions.json`).

use crate::report::{Emitter, Event};

/// The password of `scheme://user:password@host/…`, as written and percent-decoded.
#[must_use]
pub(crate) fn passwords(url: &str) -> Vec<String> {
    let Some((_, rest)) = url.split_once("://") else {
        return Vec::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return Vec::new();
    };
    let Some((_, password)) = userinfo.split_once(':') else {
        return Vec::new();
    };
    if password.is_empty() {
        return Vec::new();
    }
    let mut out = vec![password.to_owned()];
    let decoded = crate::percent::decode(password);
    if decoded != password {
        out.push(decoded);
    }
    out
}

/// Registers a URL's password with the masking stage.
pub(crate) fn mask_password(emit: &Emitter, url: &str) {
    let values = passwords(url);
    if !values.is_empty() {
        emit.emit(Event::Secrets { values });
    }
}

/// The URL without its password (`https://user@host/…`), for records kept after the build.
#[must_use]
pub(crate) fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
    format!("{scheme}://{user}@{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::{passwords, without_password};

    #[test]
    fn the_password_of_a_url() {
        assert_eq!(
            passwords("https://bob:t0k%40en@host:8443/r.git"),
            vec!["t0k%40en".to_owned(), "t0k@en".to_owned()]
        );
        assert!(passwords("https://bob@host/r.git").is_empty());
        assert!(passwords("git@host:org/r.git").is_empty());
        assert!(passwords("file:///srv/r.git").is_empty());
        assert_eq!(
            without_password("https://bob:pw@host/a@b.git"),
            "https://bob@host/a@b.git"
        );
        assert_eq!(without_password("file:///srv/r.git"), "file:///srv/r.git");
    }
}
