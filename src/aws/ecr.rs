//! Amazon ECR logins: `GetAuthorizationToken` with a build's keys (`ecrLogin()`), or with an
//! `aws` credential of the store (`docker.withRegistry(url, 'ecr:<region>:<credId>')`, the
//! Amazon ECR plugin's form, through [`registry_auth`]).
//!
//! A token's `expiresAt` is not trusted: moto always sets it in the past, and a clock skew
//! would do the same. A token is used until the registry answers 401; then the docker side
//! calls [`EcrLogins::refresh`] once, which fetches a new token, and gives up with
//! [`Error::TokenRejected`] if the new one is refused too.

use std::collections::HashMap;
use std::fmt;

use indexmap::IndexMap;
use tokio::sync::Mutex;

use super::config::{AwsEnv, sdk_error};
use super::error::Error;
use crate::creds::{Credential, Kind, Store};

const OPERATION: &str = "ecr:GetAuthorizationToken";

/// A registry login: what `docker login -u username -p password server` would send.
#[derive(Clone, PartialEq, Eq)]
pub struct RegistryAuth {
    pub username: String,
    pub password: String,
    /// The registry, as ECR's `proxyEndpoint` gives it (`https://<acct>.dkr.ecr.<region>.amazonaws.com`).
    pub server: String,
}

impl fmt::Debug for RegistryAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryAuth")
            .field("username", &self.username)
            .field("password", &"<secret>")
            .field("server", &self.server)
            .finish()
    }
}

/// `GetAuthorizationToken` with the keys and region of `aws`: one login per registry (the
/// account's own when `registry_ids` is empty).
pub async fn authorization(
    aws: &AwsEnv,
    registry_ids: &[String],
) -> Result<Vec<RegistryAuth>, Error> {
    let config = aws.sdk_config(OPERATION).await?;
    let client = aws_sdk_ecr::Client::new(&config);
    let ids = (!registry_ids.is_empty()).then(|| registry_ids.to_vec());
    // Deprecated by AWS (a token reaches every registry the principal may use), but
    // pipeline-aws still sends `registryIds`, and so does `ecrLogin(registryIds: …)`.
    #[allow(deprecated, reason = "ecrLogin(registryIds:) mirrors pipeline-aws")]
    let out = client
        .get_authorization_token()
        .set_registry_ids(ids)
        .send()
        .await
        .map_err(|e| sdk_error(&e, OPERATION, aws.endpoint("api.ecr")))?;
    let bad = |what| Error::BadResponse {
        operation: OPERATION,
        what,
    };
    let mut logins = Vec::new();
    for data in out.authorization_data() {
        let token = data.authorization_token().ok_or_else(|| bad("token"))?;
        let decoded = decode_base64(token).ok_or_else(|| bad("base64 token"))?;
        let text = String::from_utf8(decoded).map_err(|_| bad("text token"))?;
        let (username, password) = text
            .split_once(':')
            .ok_or_else(|| bad("user:password token"))?;
        logins.push(RegistryAuth {
            username: username.to_owned(),
            password: password.to_owned(),
            server: data
                .proxy_endpoint()
                .ok_or_else(|| bad("proxy endpoint"))?
                .to_owned(),
        });
    }
    if logins.is_empty() {
        return Err(bad("authorization data"));
    }
    Ok(logins)
}

/// `ecrLogin()`'s command line (pipeline-aws `ECRLoginStep`): the first registry's login,
/// with the two spaces Jenkins prints where `-e none` would go when `email` is false.
#[must_use]
pub fn ecr_login(auth: &RegistryAuth, email: bool) -> String {
    let email = if email { "-e none" } else { "" };
    format!(
        "docker login -u {} -p {} {email} {}",
        auth.username, auth.password, auth.server
    )
}

/// The Amazon ECR plugin's credentials id `ecr:<region>:<credId>`, as `(region, credId)`.
pub fn parse_credentials_id(id: &str) -> Result<(&str, &str), Error> {
    let bad = |reason| Error::EcrCredentialsId {
        id: id.to_owned(),
        reason,
    };
    let rest = id
        .strip_prefix("ecr:")
        .ok_or_else(|| bad("it does not start with `ecr:`"))?;
    let (region, cred) = rest
        .split_once(':')
        .ok_or_else(|| bad("it has no `:` between the region and the credentials id"))?;
    if region.is_empty() || cred.is_empty() {
        return Err(bad("the region and the credentials id must not be empty"));
    }
    Ok((region, cred))
}

/// The ECR login for `docker.withRegistry(…, 'ecr:<region>:<cred_id>')`, with the keys of
/// the store's `aws` credential `cred_id` and the process's `AWS_ENDPOINT_URL`.
pub async fn registry_auth(
    store: &Store,
    region: &str,
    cred_id: &str,
) -> Result<RegistryAuth, Error> {
    let env: IndexMap<String, String> = std::env::vars()
        .filter(|(k, _)| k == "AWS_ENDPOINT_URL")
        .collect();
    registry_auth_in(store, region, cred_id, &env).await
}

/// [`registry_auth`] with the endpoint taken from a build's environment `env`.
pub async fn registry_auth_in(
    store: &Store,
    region: &str,
    cred_id: &str,
    env: &IndexMap<String, String>,
) -> Result<RegistryAuth, Error> {
    let Credential::Aws {
        access_key_id,
        secret_access_key,
        session_token,
    } = store.resolve_as(cred_id, Kind::Aws).await?
    else {
        return Err(Error::NoCredentials {
            operation: OPERATION,
        });
    };
    let aws = AwsEnv {
        region: Some(region.to_owned()),
        endpoint_url: AwsEnv::from_env(env).endpoint_url,
        access_key_id: Some(access_key_id),
        secret_access_key: Some(secret_access_key),
        session_token,
        profile: None,
    };
    let mut logins = authorization(&aws, &[]).await?;
    Ok(logins.swap_remove(0))
}

/// The ECR logins of one build, by `(region, credentials id)`: fetched once, refreshed only
/// when the registry refused the token.
#[derive(Debug, Default)]
pub struct EcrLogins {
    cache: Mutex<HashMap<(String, String), RegistryAuth>>,
}

impl EcrLogins {
    #[must_use]
    pub fn new() -> EcrLogins {
        EcrLogins::default()
    }

    /// The cached login, or a new one.
    pub async fn get(
        &self,
        store: &Store,
        region: &str,
        cred_id: &str,
        env: &IndexMap<String, String>,
    ) -> Result<RegistryAuth, Error> {
        let key = (region.to_owned(), cred_id.to_owned());
        let mut cache = self.cache.lock().await;
        if let Some(found) = cache.get(&key) {
            return Ok(found.clone());
        }
        let auth = registry_auth_in(store, region, cred_id, env).await?;
        cache.insert(key, auth.clone());
        Ok(auth)
    }

    /// The registry answered 401 to `rejected`: fetch a new token, once. Another branch may
    /// have refreshed it already, and then that one is returned. A new token equal to the
    /// rejected one cannot help, so that is [`Error::TokenRejected`].
    pub async fn refresh(
        &self,
        store: &Store,
        region: &str,
        cred_id: &str,
        env: &IndexMap<String, String>,
        rejected: &RegistryAuth,
    ) -> Result<RegistryAuth, Error> {
        let key = (region.to_owned(), cred_id.to_owned());
        let mut cache = self.cache.lock().await;
        if let Some(found) = cache.get(&key).filter(|a| a.password != rejected.password) {
            return Ok(found.clone());
        }
        let auth = registry_auth_in(store, region, cred_id, env).await?;
        if auth.password == rejected.password {
            cache.remove(&key);
            return Err(Error::TokenRejected {
                server: rejected.server.clone(),
            });
        }
        cache.insert(key, auth.clone());
        Ok(auth)
    }
}

/// Standard base64 with optional padding (ECR tokens), `None` on anything else.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let bytes = text.trim().trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for &c in bytes {
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_ids() {
        let token = crate::report::base64_encode(b"AWS:123456789012-auth-token");
        assert_eq!(
            decode_base64(&token).as_deref(),
            Some(&b"AWS:123456789012-auth-token"[..])
        );
        assert_eq!(decode_base64("a*b"), None);
        assert_eq!(
            parse_credentials_id("ecr:eu-west-1:aws-creds").unwrap(),
            ("eu-west-1", "aws-creds")
        );
        assert!(parse_credentials_id("eu-west-1:aws-creds").is_err());
        let auth = RegistryAuth {
            username: "AWS".into(),
            password: "pw".into(),
            server: "https://1.dkr.ecr.us-east-1.amazonaws.com".into(),
        };
        assert_eq!(
            ecr_login(&auth, false),
            "docker login -u AWS -p pw  https://1.dkr.ecr.us-east-1.amazonaws.com"
        );
        assert!(!format!("{auth:?}").contains("pw"));
    }
}
