//! STS `GetCallerIdentity`: `awsIdentity()`, and the account of `withAWS(role: 'name')`
//! without `roleAccount`.

use super::config::{AwsEnv, sdk_error};
use super::error::Error;

/// Who the keys belong to: pipeline-aws' `awsIdentity()` map (`account`, `user`, `arn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    /// The `UserId` (`AIDA…`, or `AROA…:session` for a role).
    pub user: String,
    pub arn: String,
}

const OPERATION: &str = "sts:GetCallerIdentity";

/// `GetCallerIdentity` with the keys of `aws`.
pub async fn caller_identity(aws: &AwsEnv) -> Result<Identity, Error> {
    let config = aws.sdk_config(OPERATION).await?;
    let client = aws_sdk_sts::Client::new(&config);
    let out = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| sdk_error(&e, OPERATION, aws.endpoint("sts")))?;
    let field = |v: Option<&str>, what| {
        v.map(str::to_owned).ok_or(Error::BadResponse {
            operation: OPERATION,
            what,
        })
    };
    Ok(Identity {
        account: field(out.account(), "account")?,
        user: field(out.user_id(), "user id")?,
        arn: field(out.arn(), "arn")?,
    })
}
