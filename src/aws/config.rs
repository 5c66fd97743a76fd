//! [`AwsEnv`]: what an AWS client needs, read from the environment a step sees, and the SDK
//! configuration built from it. Keys come from the variables (`withAWS`, `withCredentials`,
//! `--pass-env`), or from a named profile; never silently from the machine's own AWS setup,
//! which a local run withholds from the build.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_sts::config::{Credentials, Region, SharedCredentialsProvider};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use indexmap::IndexMap;

use super::error::Error;
use super::regions;

/// The region when the environment names none: STS' global endpoint lives there.
const DEFAULT_REGION: &str = "us-east-1";

/// The AWS settings of one step's environment.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AwsEnv {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    pub profile: Option<String>,
}

impl fmt::Debug for AwsEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsEnv")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("has_keys", &self.access_key_id.is_some())
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

fn var(env: &IndexMap<String, String>, name: &str) -> Option<String> {
    env.get(name).filter(|v| !v.is_empty()).cloned()
}

impl AwsEnv {
    /// The `AWS_*` variables of `env` (`AWS_REGION` before `AWS_DEFAULT_REGION`, as the SDKs);
    /// `AWS_ENDPOINT_URL` falls back to this process's.
    #[must_use]
    pub fn from_env(env: &IndexMap<String, String>) -> AwsEnv {
        AwsEnv {
            region: var(env, "AWS_REGION").or_else(|| var(env, "AWS_DEFAULT_REGION")),
            // The run's own setting wins; the invoking shell's is the fallback, as for the
            // store's STS calls, so that `AWS_ENDPOINT_URL=… jenkinsfile run` never reaches
            // real AWS by surprise.
            endpoint_url: var(env, "AWS_ENDPOINT_URL").or_else(|| {
                std::env::var("AWS_ENDPOINT_URL")
                    .ok()
                    .filter(|v| !v.is_empty())
            }),
            access_key_id: var(env, "AWS_ACCESS_KEY_ID"),
            secret_access_key: var(env, "AWS_SECRET_ACCESS_KEY"),
            session_token: var(env, "AWS_SESSION_TOKEN"),
            profile: var(env, "AWS_PROFILE").or_else(|| var(env, "AWS_DEFAULT_PROFILE")),
        }
    }

    /// The checked region, or the default.
    pub fn region(&self) -> Result<&str, Error> {
        match &self.region {
            Some(r) => regions::check(r),
            None => Ok(DEFAULT_REGION),
        }
    }

    /// Where requests for `service` go, for messages.
    #[must_use]
    pub fn endpoint(&self, service: &str) -> String {
        self.endpoint_url.clone().unwrap_or_else(|| {
            format!(
                "https://{service}.{}.amazonaws.com",
                self.region.as_deref().unwrap_or(DEFAULT_REGION)
            )
        })
    }

    /// The SDK configuration for `operation`: explicit keys, or a named profile.
    pub(crate) async fn sdk_config(&self, operation: &'static str) -> Result<SdkConfig, Error> {
        let region = Region::new(self.region()?.to_owned());
        // A refused connection fails at once; a black hole should not hang a build.
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_timeout(Duration::from_secs(60))
            .build();
        let retries = RetryConfig::standard().with_max_attempts(2);
        if let (Some(key), Some(secret)) = (&self.access_key_id, &self.secret_access_key) {
            let credentials = Credentials::new(
                key,
                secret,
                self.session_token.clone(),
                None,
                "jenkinsfile-build-environment",
            );
            let mut builder = SdkConfig::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(region)
                .credentials_provider(SharedCredentialsProvider::new(credentials))
                .timeout_config(timeouts)
                .retry_config(retries);
            if let Some(url) = &self.endpoint_url {
                builder = builder.endpoint_url(url);
            }
            return Ok(builder.build());
        }
        let Some(profile) = &self.profile else {
            return Err(Error::NoCredentials { operation });
        };
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .profile_name(profile)
            .region(region)
            .timeout_config(timeouts)
            .retry_config(retries);
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        Ok(loader.load().await)
    }
}

/// An SDK error as [`Error`]: the service's code and message, or the endpoint that could not
/// be reached with the innermost cause (`Connection refused (os error 111)`).
pub(crate) fn sdk_error<E, R>(
    e: &SdkError<E, R>,
    operation: &'static str,
    endpoint: String,
) -> Error
where
    E: ProvideErrorMetadata + StdError + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    match e {
        SdkError::ServiceError(service) => {
            let err = service.err();
            Error::Service {
                operation,
                code: err.code().unwrap_or("error").to_owned(),
                message: err.message().unwrap_or("no message").to_owned(),
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => Error::Unreachable {
            endpoint,
            operation,
            cause: innermost(e),
        },
        other => Error::Service {
            operation,
            code: "error".to_owned(),
            message: innermost(other),
        },
    }
}

/// The last message of an error's source chain: the OS error rather than the wrappers.
fn innermost(e: &(dyn StdError + 'static)) -> String {
    let mut current = e;
    while let Some(next) = current.source() {
        current = next;
    }
    let text = current.to_string();
    if text.is_empty() {
        "no response".to_owned()
    } else {
        text
    }
}
