//! AWS for pipelines, natively (aws-sdk-sts, aws-sdk-ecr): `withAWS` (pipeline-aws'
//! `WithAWSStep`: region, credentials, profile, endpoint, STS `AssumeRole`), `ecrLogin` and
//! `awsIdentity`, and the ECR token behind a `docker.withRegistry(url, 'ecr:<region>:<cred>')`
//! login (the Amazon ECR plugin). The pipeline glue lives in `eval::pipeline::aws`; nothing
//! here knows the interpreter.
//!
//! Every client is built from a build's environment ([`AwsEnv`]), not from the process's:
//! `AWS_ENDPOINT_URL`, `AWS_REGION`/`AWS_DEFAULT_REGION`, the keys and `AWS_PROFILE` are read
//! from the variables a step sees, so `withAWS(endpointUrl: …)` and a local API such as moto
//! work unchanged. The SDKs share the one rustls provider (aws-lc-rs) the crate is built with.

mod config;
pub mod ecr;
mod error;
mod identity;
mod regions;
mod repositories;
mod with_aws;

pub use self::config::AwsEnv;
pub use self::ecr::{EcrLogins, RegistryAuth, ecr_login, registry_auth, registry_auth_in};
pub use self::error::Error;
pub use self::identity::{Identity, caller_identity};
pub use self::repositories::repository_exists;
pub use self::with_aws::{WithAws, WithAwsSetup};
