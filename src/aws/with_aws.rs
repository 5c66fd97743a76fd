//! `withAWS(…) { }` (pipeline-aws `WithAWSStep`): the `AWS_*` variables of the block, worked
//! out in the plugin's order (credentials, profile, region, endpoint, role), each step seeing
//! the variables of the one before, with the console text the plugin prints.

use std::fmt::Write as _;

use indexmap::IndexMap;

use super::config::{AwsEnv, sdk_error};
use super::error::Error;
use super::identity::caller_identity;
use super::regions;
use crate::creds::{Credential, Kind, Store};

/// The arguments of `withAWS`.
#[derive(Clone, Debug, Default)]
pub struct WithAws {
    pub region: Option<String>,
    pub credentials: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub role: Option<String>,
    pub role_account: Option<String>,
    pub external_id: Option<String>,
    pub role_session_name: Option<String>,
    pub policy: Option<String>,
    /// Seconds of an assumed role's session (the plugin's default is 3600).
    pub duration: Option<i32>,
}

/// What the block gets: variables (name, value or `None` to unset, secret), and the text the
/// plugin prints, line breaks and all.
#[derive(Debug, Default)]
pub struct WithAwsSetup {
    pub vars: Vec<(String, Option<String>, bool)>,
    pub console: String,
}

impl WithAwsSetup {
    fn set(&mut self, env: &mut IndexMap<String, String>, name: &str, value: &str, secret: bool) {
        env.insert(name.to_owned(), value.to_owned());
        self.vars.retain(|v| v.0 != name);
        self.vars
            .push((name.to_owned(), Some(value.to_owned()), secret));
    }

    fn unset(&mut self, env: &mut IndexMap<String, String>, name: &str) {
        env.shift_remove(name);
        self.vars.retain(|v| v.0 != name);
        self.vars.push((name.to_owned(), None, false));
    }

    /// Every secret value, for the masking stage.
    #[must_use]
    pub fn secrets(&self) -> Vec<String> {
        self.vars
            .iter()
            .filter(|v| v.2)
            .filter_map(|v| v.1.clone())
            .collect()
    }
}

const ASSUME: &str = "sts:AssumeRole";

impl WithAws {
    /// Works out the block's variables from the step's environment `env` (the variables the
    /// block's parent sees) and the store.
    pub async fn setup(
        &self,
        store: &Store,
        env: &IndexMap<String, String>,
    ) -> Result<WithAwsSetup, Error> {
        let mut env = env.clone();
        let mut out = WithAwsSetup::default();
        if let Some(region) = self.region.as_deref().filter(|r| !r.is_empty()) {
            regions::check(region)?;
        }
        if let Some(id) = self.credentials.as_deref().filter(|c| !c.is_empty()) {
            let kind = store.lookup(id).map(|e| e.kind);
            let (key, secret, token) = match kind {
                Some(Kind::UsernamePassword) => match store.resolve(id).await? {
                    Credential::UsernamePassword {
                        username, password, ..
                    } => (username, password, None),
                    _ => return Err(Error::CredentialNotFound { id: id.to_owned() }),
                },
                Some(Kind::Aws) => {
                    // `format("Constructing AWS Credentials")`: no line break.
                    out.console.push_str("Constructing AWS Credentials");
                    match store.resolve(id).await? {
                        Credential::Aws {
                            access_key_id,
                            secret_access_key,
                            session_token,
                        } => (access_key_id, secret_access_key, session_token),
                        _ => return Err(Error::CredentialNotFound { id: id.to_owned() }),
                    }
                }
                _ => return Err(Error::CredentialNotFound { id: id.to_owned() }),
            };
            out.set(&mut env, "AWS_ACCESS_KEY_ID", &key, true);
            out.set(&mut env, "AWS_SECRET_ACCESS_KEY", &secret, true);
            match token {
                Some(token) => out.set(&mut env, "AWS_SESSION_TOKEN", &token, true),
                // An inherited session token belongs to other keys.
                None => out.unset(&mut env, "AWS_SESSION_TOKEN"),
            }
        }
        if let Some(profile) = self.profile.as_deref().filter(|p| !p.is_empty()) {
            let _ = write!(out.console, "Setting AWS profile {profile} \n ");
            out.set(&mut env, "AWS_DEFAULT_PROFILE", profile, false);
            out.set(&mut env, "AWS_PROFILE", profile, false);
        }
        if let Some(region) = self.region.as_deref().filter(|r| !r.is_empty()) {
            let _ = write!(out.console, "Setting AWS region {region} \n ");
            out.set(&mut env, "AWS_DEFAULT_REGION", region, false);
            out.set(&mut env, "AWS_REGION", region, false);
        }
        if let Some(url) = self.endpoint_url.as_deref().filter(|u| !u.is_empty()) {
            let _ = write!(out.console, "Setting AWS endpointUrl {url} \n ");
            out.set(&mut env, "AWS_ENDPOINT_URL", url, false);
        }
        if let Some(role) = self.role.as_deref().filter(|r| !r.is_empty()) {
            self.assume(role, &mut env, &mut out).await?;
        }
        Ok(out)
    }

    async fn assume(
        &self,
        role: &str,
        env: &mut IndexMap<String, String>,
        out: &mut WithAwsSetup,
    ) -> Result<(), Error> {
        let aws = AwsEnv::from_env(env);
        let arn = if role.starts_with("arn:") {
            role.to_owned()
        } else {
            let account = match self.role_account.as_deref().filter(|a| !a.is_empty()) {
                Some(a) => a.to_owned(),
                None => caller_identity(&aws).await?.account,
            };
            format!(
                "arn:{}:iam::{account}:role/{role}",
                regions::partition(aws.region()?)
            )
        };
        let session = match self.role_session_name.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => s.to_owned(),
            None => session_name(env),
        };
        out.console.push_str("Requesting assume role\n");
        let _ = write!(out.console, "Assuming role ARN is {arn}");
        let config = aws.sdk_config(ASSUME).await?;
        let client = aws_sdk_sts::Client::new(&config);
        let result = client
            .assume_role()
            .role_arn(&arn)
            .role_session_name(&session)
            .set_external_id(self.external_id.clone().filter(|e| !e.is_empty()))
            .set_policy(self.policy.clone().filter(|p| !p.is_empty()))
            .duration_seconds(self.duration.unwrap_or(3600))
            .send()
            .await
            .map_err(|e| sdk_error(&e, ASSUME, aws.endpoint("sts")))?;
        let bad = |what| Error::BadResponse {
            operation: ASSUME,
            what,
        };
        let credentials = result.credentials().ok_or_else(|| bad("credentials"))?;
        let user = result
            .assumed_role_user()
            .ok_or_else(|| bad("assumed role user"))?;
        let _ = write!(
            out.console,
            "Assumed role {} with id {} \n ",
            user.arn(),
            user.assumed_role_id()
        );
        out.set(env, "AWS_ACCESS_KEY_ID", credentials.access_key_id(), true);
        out.set(
            env,
            "AWS_SECRET_ACCESS_KEY",
            credentials.secret_access_key(),
            true,
        );
        out.set(env, "AWS_SESSION_TOKEN", credentials.session_token(), true);
        Ok(())
    }
}

/// pipeline-aws' `RoleSessionNameBuilder`: `Jenkins-<job>-<build>`, with characters STS
/// refuses replaced and cut to STS' 64.
fn session_name(env: &IndexMap<String, String>) -> String {
    let job = env.get("JOB_NAME").map_or("job", String::as_str);
    let build = env.get("BUILD_NUMBER").map_or("0", String::as_str);
    let name: String = format!("Jenkins-{job}-{build}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+=,.@-_".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    name.chars().take(64).collect()
}
